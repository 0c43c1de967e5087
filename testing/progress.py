"""A run's progress: counts and percentages by result, by tester and by requirement layer, and the burn-down.

Every figure is counted by the database (GROUP BY), so a run of 1,000 cases costs the same few queries as a run
of five. "Done" (executed) means the case's current result is pass, fail, blocked or skipped: the tester has
finished with it for now; not run and in progress are still to do.
"""

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import pygal
from django.core.cache import cache
from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from requirements.models import Requirement
from testing.models import Defect, Execution, RunCase, SignOff, TestRun
from testing.models.runs import FINISHED_RESULTS, Result
from workbench.charts import STYLE, static_chart, svg_markup

FINISHED = FINISHED_RESULTS
# The order of the segments of a progress bar and of the count badges.
RESULT_ORDER = (Result.PASS, Result.FAIL, Result.BLOCKED, Result.SKIPPED, Result.IN_PROGRESS, Result.NOT_RUN)
NO_LAYER = "none"
MAX_BURNDOWN_DAYS = 366
CHART_CACHE_SECONDS = 24 * 60 * 60
BURNDOWN_CACHE_SECONDS = 5 * 60


def percent(part: int, whole: int) -> int:
    """A whole percentage, rounded down, so that 99.6 % done never reads as 100 %."""
    return part * 100 // whole if whole else 0


@dataclass
class ResultCount:
    value: str
    label: str
    count: int
    percent: int  # of all cases of the run (for the width of a progress bar segment)


@dataclass
class Tally:
    """Counts of a group of the run's cases (one tester's, one layer's): how many, and their results."""

    total: int = 0
    done: int = 0
    passed: int = 0
    failed: int = 0
    blocked: int = 0
    skipped: int = 0

    @property
    def percent_done(self) -> int:
        return percent(self.done, self.total)

    @property
    def percent_passed(self) -> int:
        return percent(self.passed, self.total)

    def add(self, result: str, count: int) -> None:
        self.total += count
        if result in FINISHED:
            self.done += count
        if result == Result.PASS:
            self.passed += count
        elif result == Result.FAIL:
            self.failed += count
        elif result == Result.BLOCKED:
            self.blocked += count
        elif result == Result.SKIPPED:
            self.skipped += count


@dataclass
class TesterRow(Tally):
    membership_id: int | None = None  # None: the cases nobody is assigned to
    name: str = ""


@dataclass
class LayerRow(Tally):
    value: str = NO_LAYER
    label: str = ""


@dataclass
class RunProgress:
    total: int
    by_result: list[ResultCount]
    done: int
    by_tester: list[TesterRow] = field(default_factory=list)
    by_layer: list[LayerRow] = field(default_factory=list)

    @property
    def percent_done(self) -> int:
        return percent(self.done, self.total)

    @property
    def counts(self) -> dict[str, int]:
        return {row.value: row.count for row in self.by_result}


def result_counts(counts: dict[str, int]) -> list[ResultCount]:
    """Per result (in bar order): the count and its share of all cases."""
    total = sum(counts.values())
    return [
        ResultCount(value, Result(value).label, counts.get(value, 0), percent(counts.get(value, 0), total))
        for value in RESULT_ORDER
    ]


def counts_by_run(runs: list[TestRun]) -> dict[int, dict[str, int]]:
    """Run id → {result: number of cases}, for many runs in one query (the run list)."""
    out: dict[int, dict[str, int]] = {run.pk: {} for run in runs}
    rows = RunCase.objects.filter(run__in=runs).values_list("run_id", "result").annotate(n=Count("id")).order_by()
    for run_id, result, n in rows:
        out[run_id][result] = n
    return out


def _by_result(run: TestRun) -> dict[str, int]:
    rows = run.run_cases.values_list("result").annotate(n=Count("id")).order_by()
    return dict(rows)


def _by_tester(run: TestRun) -> list[TesterRow]:
    rows = (
        run.run_cases.values_list(
            "tester_id", "tester__user__first_name", "tester__user__last_name", "tester__user__username", "result"
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    testers: dict[int | None, TesterRow] = {}
    for membership_id, first, last, username, result, n in rows:
        if membership_id not in testers:
            name = " ".join(filter(None, [first, last])) or username or _("Unassigned")
            testers[membership_id] = TesterRow(membership_id=membership_id, name=name)
        testers[membership_id].add(result, n)
    unassigned = testers.pop(None, None)
    ordered = sorted(testers.values(), key=lambda row: row.name.lower())
    return [*ordered, unassigned] if unassigned else ordered


def _by_layer(run: TestRun) -> list[LayerRow]:
    """Cases grouped by the layer of the requirements they verify: the frozen requirement keys once the run has
    started, the case's current requirements before. A case verifying requirements of two layers counts in both,
    so the layers may add up to more than the run's cases; a case verifying none counts under "no requirement"."""
    layers: dict[str, LayerRow] = {}

    def row(value: str) -> LayerRow:
        if value not in layers:
            labels = dict(Requirement.Layer.choices)
            layers[value] = LayerRow(value=value, label=str(labels.get(value, _("No requirement"))))
        return layers[value]

    if run.status == TestRun.Status.PLANNED:
        rows = (
            run.run_cases.values_list("case__requirements__layer", "result")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        for layer, result, n in rows:
            row(layer or NO_LAYER).add(result, n)
    else:
        # Grouped by the frozen list itself: one row per distinct set of requirements, not per case.
        groups = list(run.run_cases.values_list("frozen_requirements", "result").annotate(n=Count("id")).order_by())
        keys = {key for frozen, _result, _n in groups for key in (frozen or [])}
        layer_of = dict(Requirement.objects.filter(project_id=run.project_id, key__in=keys).values_list("key", "layer"))
        for frozen, result, n in groups:
            case_layers = {layer_of[key] for key in (frozen or []) if key in layer_of}
            for layer in case_layers or {NO_LAYER}:
                row(layer).add(result, n)
    order = [value for value, _label in Requirement.Layer.choices] + [NO_LAYER]
    return sorted(layers.values(), key=lambda r: order.index(r.value))


def run_progress(run: TestRun) -> RunProgress:
    """The run's progress figures, in four queries (five once started) whatever the number of cases."""
    counts = _by_result(run)
    total = sum(counts.values())
    return RunProgress(
        total=total,
        by_result=result_counts(counts),
        done=sum(n for result, n in counts.items() if result in FINISHED),
        by_tester=_by_tester(run),
        by_layer=_by_layer(run),
    )


@dataclass
class RunRow:
    """A run in the run list: its progress bar, open defects and signatures."""

    run: TestRun
    total: int
    done: int
    bar: list[ResultCount]
    open_defects: int
    signatures: int

    @property
    def percent_done(self) -> int:
        return percent(self.done, self.total)


def run_rows(runs: list[TestRun]) -> list[RunRow]:
    """The run list's rows for a page of runs, in three queries however many runs there are."""
    counts = counts_by_run(runs)
    defects = open_defect_counts(runs)
    signatures = dict(SignOff.objects.filter(run__in=runs).values_list("run_id").annotate(n=Count("id")).order_by())
    return [
        RunRow(
            run=run,
            total=sum(counts[run.pk].values()),
            done=sum(n for result, n in counts[run.pk].items() if result in FINISHED),
            bar=result_counts(counts[run.pk]),
            open_defects=defects.get(run.pk, 0),
            signatures=signatures.get(run.pk, 0),
        )
        for run in runs
    ]


def open_defect_counts(runs: list[TestRun]) -> dict[int, int]:
    """Run id → number of its open defects (open, fixed, retest), for many runs in one query."""
    rows = (
        Defect.objects.filter(run_case__run__in=runs, status__in=Defect.OPEN_STATUSES)
        .values_list("run_case__run_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def with_open_defects(queryset: QuerySet[RunCase]) -> QuerySet[RunCase]:
    """Each case's number of open defects, counted by a subquery for the rows fetched only (a page)."""
    open_count = (
        Defect.objects.filter(run_case=OuterRef("pk"), status__in=Defect.OPEN_STATUSES)
        .order_by()
        .values("run_case")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(open_defects=Coalesce(Subquery(open_count, output_field=IntegerField()), 0))


# Burn-down ----------------------------------------------------------------------------------------------


@dataclass
class BurnPoint:
    day: date
    ideal: float | None  # None after the planned end, or without one
    remaining: int | None  # None for days still to come


@dataclass
class Burndown:
    total: int
    start: date
    end: date
    today: date
    planned_end: date | None
    points: list[BurnPoint]

    @property
    def remaining_today(self) -> int:
        for point in reversed(self.points):
            if point.remaining is not None:
                return point.remaining
        return self.total

    @property
    def ideal_today(self) -> float | None:
        for point in self.points:
            if point.day == self.today:
                return point.ideal
        return None

    @property
    def table(self) -> list[BurnPoint]:
        """The days the text version lists: every day up to today (the future has no actual figures)."""
        return [point for point in self.points if point.remaining is not None]


def _done_per_day(run: TestRun) -> dict[date | None, int]:
    """How many finished cases reached their current result on each day (in the current time zone)."""
    latest_finished = Execution.objects.filter(run_case=OuterRef("pk")).order_by("-number").values("finished_at")[:1]
    rows = (
        run.run_cases.filter(result__in=FINISHED)
        .annotate(
            done_at=Coalesce(Subquery(latest_finished, output_field=DateTimeField()), "updated_at"),
            day=TruncDate("done_at"),
        )
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def run_burndown(run: TestRun, *, total: int | None = None, today: date | None = None) -> Burndown:
    """Cases remaining (not finished) at the end of each day, from the planned start (or the day the run
    started) to the planned end or today, whichever is later; the ideal line falls straight from all cases on
    the first day to none on the planned end.

    The actual line is rebuilt from the current state, which is an approximation: a finished case counts as
    done from the day its latest execution reached its result (`Execution.finished_at`; a step changed later
    moves that day). A retest opens a new execution, so a retested case counts as remaining again, on every
    day, until the retest finishes; cases added to the run later count as remaining from the first day.
    """
    today = today or timezone.localdate()
    if total is None:
        total = run.run_cases.count()
    done = _done_per_day(run)
    undated = done.pop(None, 0)
    started = timezone.localdate(run.started_at) if run.started_at else None
    start = run.planned_start or started or timezone.localdate(run.created_at)
    if done:
        start = min(start, min(done))
    end = max(run.planned_end or today, today, start)
    if (end - start).days >= MAX_BURNDOWN_DAYS:
        start = end - timedelta(days=MAX_BURNDOWN_DAYS - 1)
    planned_end = run.planned_end if run.planned_end and run.planned_end > start else None
    span = (planned_end - start).days if planned_end else 0

    points = []
    finished = undated + sum(n for day, n in done.items() if day < start)
    day = start
    while day <= end:
        finished += done.get(day, 0)
        ideal = None
        if planned_end and day <= planned_end:
            ideal = round(total * (1 - (day - start).days / span), 1)
        points.append(BurnPoint(day, ideal, total - finished if day <= today else None))
        day += timedelta(days=1)
    return Burndown(total=total, start=start, end=end, today=today, planned_end=planned_end, points=points)


def cached_burndown(run: TestRun, *, total: int) -> Burndown:
    """`run_burndown`, kept for a few minutes under a fingerprint of what it is computed from: the run's dates
    and status, its number of cases and the last change to any of them (every recorded step, retest or
    assignment saves the case), and today. One cheap aggregate query instead of dating every finished case."""
    last_change = run.run_cases.order_by().aggregate(last=Max("updated_at"))["last"]
    fingerprint = (
        run.pk,
        run.status,
        run.planned_start,
        run.planned_end,
        run.started_at,
        total,
        last_change,
        timezone.localdate(),
        timezone.get_current_timezone_name(),
    )
    key = "uat-burndown-data:" + hashlib.sha256(repr(fingerprint).encode()).hexdigest()
    burndown = cache.get(key)
    if burndown is None:
        burndown = run_burndown(run, total=total)
        cache.set(key, burndown, BURNDOWN_CACHE_SECONDS)
    return burndown


BURNDOWN_STYLE = STYLE  # blue for the remaining cases, grey for the ideal line


def burndown_chart(burndown: Burndown, *, width: int = 600, height: int = 300) -> SafeString:
    """The burn-down as inline SVG: remaining cases per day (blue) and the ideal line (grey, dashed).

    Drawing takes pygal tens of milliseconds, so the markup is cached under a digest of everything it shows
    (the figures, the size and the language): the same figures are drawn once, changed figures get a new key."""
    figures = (
        burndown.total,
        burndown.planned_end,
        [(p.day, p.ideal, p.remaining) for p in burndown.points],
        width,
        height,
        get_language(),
    )
    key = "uat-burndown:" + hashlib.sha256(repr(figures).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _draw_burndown(burndown, width=width, height=height)
        cache.set(key, str(svg), CHART_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - pygal's own markup, escaped by pygal, script removed


def _draw_burndown(burndown: Burndown, *, width: int, height: int) -> SafeString:
    days = len(burndown.points)
    chart = static_chart(
        pygal.Line,
        width=width,
        height=height,
        style=BURNDOWN_STYLE,
        legend_at_bottom_columns=2,
        range=(0, max(burndown.total, 1)),
        min_scale=1,
        max_scale=min(max(burndown.total, 1), 10),
        show_x_guides=False,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, math.ceil(days / 10)),
        x_label_rotation=0,
        dots_size=2.5,
        show_dots=False,
        allow_interruptions=True,
        explicit_size=False,
    )
    chart.x_labels = [point.day.strftime("%m-%d") for point in burndown.points]
    actual = [point.remaining for point in burndown.points]
    # Dots while there are few days with figures, so that the first day's figure shows without a line.
    chart.add(_("Remaining cases"), actual, show_dots=sum(v is not None for v in actual) <= 31)
    if burndown.planned_end:
        chart.add(
            _("Ideal"),
            [point.ideal for point in burndown.points],
            show_dots=False,
            stroke_style={"width": 1.5, "dasharray": "6, 4"},
        )
    return svg_markup(chart)
