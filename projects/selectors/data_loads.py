"""Reads for the trial load pages: per-load figures, the error trend across loads, each object's reconciliation.

Every function costs a fixed number of queries, however many loads, objects or figures there are. Whether a
control figure is within its tolerance is judged in Python (`Measure.within_tolerance`, the same rule the
verdict uses) on figures fetched in one query: exact decimals, no float rounding in SQL.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pygal
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from projects.models import (
    DataObject,
    DataSignOff,
    Measure,
    Project,
    Reconciliation,
    ReconciliationException,
    TrialLoad,
)
from projects.services.migration import project_load_order
from workbench.charts import chart_style, static_chart, svg_markup

OPEN = ReconciliationException.Disposition.OPEN
# The workbench style (its font family set explicitly, for Chinese) with the errors in red, orange and blue.
TREND_STYLE = chart_style("#d63939", "#f76707", "#066fd1")


@dataclass
class LoadRow:
    """One trial load with its reconciliation figures."""

    load: TrialLoad
    passed: int = 0
    failed: int = 0
    pending: int = 0
    figures_outside: int = 0
    open_exceptions: int = 0
    signatures: int = 0

    @property
    def reconciled(self) -> int:
        return self.passed + self.failed + self.pending


def _outside_by(measures: QuerySet[Measure], key: str) -> Counter:
    """How many figures are outside their tolerance, counted by `key` (a value of the query)."""
    counts: Counter = Counter()
    rows = measures.values_list(key, "source_value", "target_value", "tolerance", "tolerance_kind")
    for group, source, target, tolerance, kind in rows:
        figure = Measure(source_value=source, target_value=target, tolerance=tolerance, tolerance_kind=kind)
        if not figure.within_tolerance:
            counts[group] += 1
    return counts


def load_rows(*, project: Project) -> list[LoadRow]:
    """The project's trial loads in order, each with its verdict counts, figures outside tolerance, open
    exceptions and signatures (five queries)."""
    rows = {load.pk: LoadRow(load=load) for load in project.trial_loads.order_by("number")}
    reconciliations = Reconciliation.objects.filter(load__project=project)
    for load_id, verdict, count in reconciliations.values_list("load_id", "verdict").annotate(n=Count("pk")):
        row = rows[load_id]
        if verdict == Reconciliation.Verdict.PASS:
            row.passed = count
        elif verdict == Reconciliation.Verdict.FAIL:
            row.failed = count
        else:
            row.pending = count
    outside = _outside_by(Measure.objects.filter(reconciliation__load__project=project), "reconciliation__load_id")
    for load_id, count in outside.items():
        rows[load_id].figures_outside = count
    open_exceptions = (
        ReconciliationException.objects.filter(reconciliation__load__project=project, disposition=OPEN)
        .values_list("reconciliation__load_id")
        .annotate(n=Count("pk"))
    )
    for load_id, count in open_exceptions:
        rows[load_id].open_exceptions = count
    signatures = (
        DataSignOff.objects.filter(reconciliation__load__project=project)
        .values_list("reconciliation__load_id")
        .annotate(n=Count("pk"))
    )
    for load_id, count in signatures:
        rows[load_id].signatures = count
    return list(rows.values())


def load_label(load: TrialLoad) -> str:
    return f"#{load.number} {load.name}"


def error_trend_svg(rows: list[LoadRow]) -> SafeString:
    """The errors of each trial load side by side: failing objects, figures outside tolerance, open
    exceptions. A server-side SVG (pygal) in the CJK-capable font family, so Chinese renders everywhere."""
    chart = static_chart(
        pygal.Bar,
        width=720,
        height=300,
        style=TREND_STYLE,
        explicit_size=False,
        legend_at_bottom_columns=3,
        show_x_guides=False,
        x_label_rotation=0,
        min_scale=1,
        max_scale=6,
        range=(0, max([1, *(max(r.failed, r.figures_outside, r.open_exceptions) for r in rows)])),
        value_formatter=lambda value: f"{value:g}",
    )
    chart.x_labels = [load_label(r.load) for r in rows]
    chart.add(_("Failing objects"), [r.failed for r in rows])
    chart.add(_("Control figures outside tolerance"), [r.figures_outside for r in rows])
    chart.add(_("Open exceptions"), [r.open_exceptions for r in rows])
    return svg_markup(chart)


@dataclass
class ObjectRow:
    """One data object in one load: its reconciliation (None before anything was recorded) and its figures."""

    data_object: DataObject
    reconciliation: Reconciliation | None = None
    figures: int = 0
    figures_outside: int = 0
    open_exceptions: int = 0
    exceptions: int = 0
    signoffs: list[DataSignOff] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return self.reconciliation.verdict if self.reconciliation else Reconciliation.Verdict.PENDING

    @property
    def verdict_label(self) -> str:
        return str(Reconciliation.Verdict(self.verdict).label)


def load_object_rows(*, load: TrialLoad) -> list[ObjectRow]:
    """Every data object of the load's project, in load order, with its reconciliation in this load
    (six queries)."""
    rows = [ObjectRow(data_object=o) for o in project_load_order(load.project)]
    by_object = {row.data_object.pk: row for row in rows}
    by_reconciliation: dict[int, ObjectRow] = {}
    for reconciliation in load.reconciliations.annotate(
        figures=Count("measures"),
    ):
        row = by_object[reconciliation.data_object_id]
        row.reconciliation = reconciliation
        row.figures = reconciliation.figures
        by_reconciliation[reconciliation.pk] = row
    for reconciliation_id, count in _outside_by(
        Measure.objects.filter(reconciliation__load=load), "reconciliation_id"
    ).items():
        by_reconciliation[reconciliation_id].figures_outside = count
    exceptions = (
        ReconciliationException.objects.filter(reconciliation__load=load)
        .values_list("reconciliation_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(disposition=OPEN)))
    )
    for reconciliation_id, total, open_count in exceptions:
        row = by_reconciliation[reconciliation_id]
        row.exceptions, row.open_exceptions = total, open_count
    signoffs: dict[int, list[DataSignOff]] = defaultdict(list)
    for signoff in DataSignOff.objects.filter(reconciliation__load=load).select_related("signer"):
        signoffs[signoff.reconciliation_id].append(signoff)
    for reconciliation_id, signed in signoffs.items():
        by_reconciliation[reconciliation_id].signoffs = signed
    return rows


def load_totals(rows: list[ObjectRow]) -> dict[str, int]:
    verdicts = Counter(row.verdict for row in rows)
    return {
        "objects": len(rows),
        "passed": verdicts[Reconciliation.Verdict.PASS],
        "failed": verdicts[Reconciliation.Verdict.FAIL],
        "pending": verdicts[Reconciliation.Verdict.PENDING],
        "signed": sum(1 for row in rows if row.signoffs),
    }


def load_history_querysets(*, load: TrialLoad) -> list[QuerySet]:
    return [TrialLoad.history.filter(id=load.pk)]


def reconciliation_history_querysets(*, reconciliation: Reconciliation) -> list[QuerySet]:
    """The figures and exceptions of one reconciliation, as they changed (the verdict follows the figures)."""
    return [
        Measure.history.filter(reconciliation_id=reconciliation.pk),
        ReconciliationException.history.filter(reconciliation_id=reconciliation.pk),
    ]
