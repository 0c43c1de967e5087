"""Go/no-go criteria computed from live data, through a registry of "criterion providers".

`projects` never imports `requirements` or `testing` (DESIGN.md, Architecture). The figures those apps own —
must-haves passing UAT, open severe defects, signed UAT runs — reach the go/no-go list through providers they
register from their `AppConfig.ready()` with `register_provider(kind, provider)`. The figures `projects` owns
itself (the last trial load, training, rehearsals) have their providers here.

A provider takes the project and returns a `Measured` (value, detail, unit) or None when there is nothing to
measure yet.

Rules of the evaluation (`evaluate`):
- Each criterion of the project, in its order, is measured by the provider of its kind; a provider is called
  once per evaluation however many criteria share its kind.
- "no_data" when the provider returns None or a value of None, or when no app registered a provider for the
  kind (the module is not installed): the detail says what is missing ("No UAT data yet").
- A number meets the criterion when it is at least (or at most) the threshold; a number without a threshold
  has nothing to be judged against and reads "no_data". A yes/no figure (rehearsal within the window) is met
  when it is yes; the threshold and comparison are ignored.
- A manual criterion is what someone ticked: met, not met, or — not ticked yet — "no_data".
- Percentages are rounded down to one decimal, so a share never reads as reaching a threshold it does not
  reach (1999 of 2000 is 99.9 %, not 100.0 %).
- The project is ready (`summary`) when it has criteria and every one of them is met.

The built-in providers:
- reconciliations_pass: of the project's data objects, the share whose reconciliation in the last trial load
  (the highest number) passes; an object not reconciled in that load does not pass. No data without a load or
  without data objects.
- data_signoffs: of the same objects, the share with a data steward's sign-off in the last load (a sign-off
  counts whatever the verdict it was given with).
- training_completion: the overall completion of `services.golive.training_completion` (the share of trainees
  who attended every session of their role's plan); no data without trainees.
- rehearsal_in_window: whether the last finished rehearsal (finished_at − started_at) fits in the cutover
  window (window_end − window_start); no data without a finished rehearsal or without the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from projects.models import CutoverPlan, CutoverRun, DataSignOff, GoNoGoCriterion, Project, Reconciliation
from projects.services.golive import training_completion
from workbench.numbers import hours_minutes

Kind = GoNoGoCriterion.Kind
Comparison = GoNoGoCriterion.Comparison

MET = "met"
NOT_MET = "not_met"
NO_DATA = "no_data"
STATES = (MET, NOT_MET, NO_DATA)

PERCENT = "%"


@dataclass(frozen=True)
class Measured:
    """What a provider measured: the value (a number, a count or yes/no; None when there is nothing to
    measure), a sentence that explains it, and the unit ("%" for a share)."""

    value: Decimal | int | bool | None
    detail: str
    unit: str = ""


Provider = Callable[[Project], "Measured | None"]

_PROVIDERS: dict[str, Provider] = {}

# What "no data" means for each kind when its provider has nothing to say (or no app registered one).
_NO_DATA = {
    Kind.MUST_HAVE_UAT: gettext_noop("No UAT data yet."),
    Kind.OPEN_SEVERE_DEFECTS: gettext_noop("No UAT data yet."),
    Kind.UAT_RUNS_SIGNED: gettext_noop("No UAT data yet."),
    Kind.RECONCILIATIONS_PASS: gettext_noop("No trial load yet."),
    Kind.DATA_SIGNOFFS: gettext_noop("No trial load yet."),
    Kind.TRAINING_COMPLETION: gettext_noop("No trainees yet."),
    Kind.REHEARSAL_IN_WINDOW: gettext_noop("No finished rehearsal yet."),
}


def register_provider(kind: str, provider: Provider) -> None:
    """Let `provider` measure the criteria of `kind` (a `GoNoGoCriterion.Kind`, not "manual"). Registering a
    kind again replaces its provider."""
    if kind not in Kind.values or kind == Kind.MANUAL:
        raise ValueError(f"No computed go/no-go criterion is called {kind!r}.")
    _PROVIDERS[str(kind)] = provider


def provider_for(kind: str) -> Provider | None:
    return _PROVIDERS.get(kind)


def percent(part: int, whole: int) -> Decimal:
    """`part` of `whole` in percent, rounded down to one decimal (see the module's text)."""
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)


def listing(names: Iterable[str], limit: int = 5) -> str:
    """The names joined with commas, the first `limit` of them and "and 3 more" when there are many."""
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return _("%(names)s and %(count)d more") % {"names": ", ".join(names[:limit]), "count": len(names) - limit}


# Evaluation -----------------------------------------------------------------------------------------------


@dataclass
class Evaluation:
    criterion_id: int | None
    kind: str
    name: str
    threshold: Decimal | None
    comparison: str
    value: Decimal | int | bool | None
    unit: str
    detail: str
    state: str
    note: str = ""

    @property
    def value_text(self) -> str:
        """The value as it is read: "96.5 %", "2", "yes", or "—" without data."""
        if self.value is None:
            return "—"
        if isinstance(self.value, bool):
            return _("yes") if self.value else _("no")
        return f"{self.value} {self.unit}" if self.unit else str(self.value)

    @property
    def target_text(self) -> str:
        """The threshold as it is read: "≥ 95.00 %", "≤ 0"; empty for a yes/no or manual criterion."""
        if self.threshold is None or isinstance(self.value, bool) or self.kind == Kind.MANUAL:
            return ""
        sign = "≤" if self.comparison == Comparison.AT_MOST else "≥"
        threshold = self.threshold.normalize() if self.threshold == self.threshold.to_integral() else self.threshold
        return f"{sign} {threshold:f} {self.unit}".rstrip()


def _judge(criterion: GoNoGoCriterion, measured: Measured) -> tuple[str, str]:
    """(state, detail) of a computed criterion from what was measured."""
    value = measured.value
    if value is None:
        return NO_DATA, measured.detail or _(_NO_DATA.get(criterion.kind, gettext_noop("No data yet.")))
    if isinstance(value, bool):
        return (MET if value else NOT_MET), measured.detail
    if criterion.threshold is None:
        return NO_DATA, " ".join(filter(None, [measured.detail, _("Set a threshold to judge this figure.")]))
    at_most = criterion.comparison == Comparison.AT_MOST
    met = value <= criterion.threshold if at_most else value >= criterion.threshold
    return (MET if met else NOT_MET), measured.detail


def _evaluate_manual(criterion: GoNoGoCriterion) -> tuple[bool | None, str, str]:
    if criterion.manual_met is None:
        return None, NO_DATA, _("Not checked yet.")
    if criterion.manual_met:
        return True, MET, _("Checked: met.")
    return False, NOT_MET, _("Checked: not met.")


def evaluate(project: Project, criteria: Sequence[GoNoGoCriterion] | None = None) -> list[Evaluation]:
    """Every go/no-go criterion of the project (or those given), in order, measured now (module's text)."""
    if criteria is None:
        criteria = list(project.go_criteria.all())
    measured: dict[str, Measured | None] = {}
    evaluations = []
    for criterion in criteria:
        if criterion.kind == Kind.MANUAL:
            value, state, detail = _evaluate_manual(criterion)
            unit = ""
        else:
            provider = _PROVIDERS.get(criterion.kind)
            if provider is None:
                result = None
            else:
                if criterion.kind not in measured:
                    measured[criterion.kind] = provider(project)
                result = measured[criterion.kind]
            if result is None:
                result = Measured(None, _(_NO_DATA.get(criterion.kind, gettext_noop("No data yet."))))
            value, unit = result.value, result.unit
            state, detail = _judge(criterion, result)
        evaluations.append(
            Evaluation(
                criterion_id=criterion.pk,
                kind=criterion.kind,
                name=str(criterion),
                threshold=criterion.threshold,
                comparison=criterion.comparison,
                value=value,
                unit=unit,
                detail=detail,
                state=state,
                note=criterion.note,
            )
        )
    return evaluations


def summary(evaluations: Sequence[Evaluation]) -> dict[str, Any]:
    """How many criteria are met, not met and without data; ready when there are criteria and all are met."""
    counts = {state: sum(1 for e in evaluations if e.state == state) for state in STATES}
    return {**counts, "ready": bool(evaluations) and counts[MET] == len(evaluations)}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def as_record(evaluations: Sequence[Evaluation]) -> list[dict[str, Any]]:
    """The evaluations as JSON-safe dicts (numbers as exact decimal strings), to be kept with the decision
    (`services.golive.decision_sign(criteria=…)`)."""
    return [
        {
            "criterion_id": e.criterion_id,
            "kind": e.kind,
            "name": e.name,
            "comparison": e.comparison,
            "threshold": _plain(e.threshold),
            "target": e.target_text,
            "value": _plain(e.value),
            "unit": e.unit,
            "value_text": e.value_text,
            "detail": e.detail,
            "state": e.state,
            "note": e.note,
        }
        for e in evaluations
    ]


# The standard set -----------------------------------------------------------------------------------------

SUPPORT_ROTA = gettext_noop("Support rota for the first two weeks agreed")

# (kind, comparison, threshold); the computed ones keep no name of their own, so they read as their kind's
# label in the reader's language.
STANDARD = [
    (Kind.MUST_HAVE_UAT, Comparison.AT_LEAST, Decimal(95)),
    (Kind.OPEN_SEVERE_DEFECTS, Comparison.AT_MOST, Decimal(0)),
    (Kind.UAT_RUNS_SIGNED, Comparison.AT_LEAST, Decimal(1)),
    (Kind.RECONCILIATIONS_PASS, Comparison.AT_LEAST, Decimal(100)),
    (Kind.DATA_SIGNOFFS, Comparison.AT_LEAST, Decimal(100)),
    (Kind.TRAINING_COMPLETION, Comparison.AT_LEAST, Decimal(90)),
    (Kind.REHEARSAL_IN_WINDOW, Comparison.AT_LEAST, None),
]


@transaction.atomic
def standard_criteria(project: Project) -> list[GoNoGoCriterion]:
    """Add the usual go/no-go criteria the project does not have yet (a computed kind it has, or the manual
    support-rota check by its name, is left as it is); returns those added. Calling it again adds nothing."""
    Project.objects.select_for_update().filter(pk=project.pk).first()  # two clicks at once add the set once
    existing = project.go_criteria.all()
    kinds = set(existing.values_list("kind", flat=True))
    manual_names = {name.strip().lower() for name in existing.filter(kind=Kind.MANUAL).values_list("name", flat=True)}
    order = existing.aggregate(last=Max("order"))["last"] or 0
    added = []
    for kind, comparison, threshold in STANDARD:
        if kind in kinds:
            continue
        order += 10
        added.append(
            GoNoGoCriterion(project=project, order=order, kind=kind, comparison=comparison, threshold=threshold)
        )
    if not {SUPPORT_ROTA.lower(), _(SUPPORT_ROTA).lower()} & manual_names:
        order += 10
        added.append(GoNoGoCriterion(project=project, order=order, kind=Kind.MANUAL, name=_(SUPPORT_ROTA)))
    for criterion in added:
        criterion.full_clean()
        criterion.save()
    return added


# Built-in providers (the data `projects` owns) ------------------------------------------------------------


def _last_load_objects(project: Project):
    """(the last trial load, the project's data objects as (pk, name), {object id: reconciliation}) or None."""
    load = project.trial_loads.order_by("-number").first()
    objects = list(project.data_objects.order_by("name").values_list("pk", "name"))
    if load is None or not objects:
        return None
    reconciliations = {r.data_object_id: r for r in Reconciliation.objects.filter(load=load)}
    return load, objects, reconciliations


def reconciliations_pass(project: Project) -> Measured | None:
    found = _last_load_objects(project)
    if found is None:
        return Measured(None, _("No trial load or no data object yet."))
    load, objects, reconciliations = found
    failing = []
    for pk, name in objects:
        reconciliation = reconciliations.get(pk)
        if reconciliation is None:
            failing.append(_("%(object)s (not reconciled)") % {"object": name})
        elif reconciliation.verdict != Reconciliation.Verdict.PASS:
            failing.append(f"{name} ({reconciliation.get_verdict_display().lower()})")
    passing = len(objects) - len(failing)
    detail = _("%(load)s: %(passing)d of %(total)d data objects pass.") % {
        "load": load.name,
        "passing": passing,
        "total": len(objects),
    }
    if failing:
        detail += " " + _("Not passing: %(objects)s.") % {"objects": listing(failing)}
    return Measured(percent(passing, len(objects)), detail, PERCENT)


def data_signoffs(project: Project) -> Measured | None:
    found = _last_load_objects(project)
    if found is None:
        return Measured(None, _("No trial load or no data object yet."))
    load, objects, _reconciliations = found
    signed = set(
        DataSignOff.objects.filter(reconciliation__load=load).values_list("reconciliation__data_object_id", flat=True)
    )
    unsigned = [name for pk, name in objects if pk not in signed]
    count = len(objects) - len(unsigned)
    detail = _("%(load)s: %(signed)d of %(total)d data objects signed.") % {
        "load": load.name,
        "signed": count,
        "total": len(objects),
    }
    if unsigned:
        detail += " " + _("Not signed: %(objects)s.") % {"objects": listing(unsigned)}
    return Measured(percent(count, len(objects)), detail, PERCENT)


def training(project: Project) -> Measured | None:
    rows, overall = training_completion(project)
    if overall is None:
        return Measured(None, _("No trainees yet."))
    trainees = sum(row.trainees for row in rows)
    complete = sum(row.complete for row in rows)
    detail = _("%(complete)d of %(total)d trainees attended every session of their role.") % {
        "complete": complete,
        "total": trainees,
    }
    behind = [
        f"{row.plan.get_role_display()} {row.percent} %"
        for row in rows
        if row.percent is not None and row.percent < 100
    ]
    if behind:
        detail += " " + _("Behind: %(roles)s.") % {"roles": listing(behind, limit=8)}
    return Measured(Decimal(str(overall)), detail, PERCENT)


def rehearsal_in_window(project: Project) -> Measured | None:
    plan = CutoverPlan.objects.filter(project=project).first()
    if plan is None:
        return Measured(None, _("No cutover plan yet."))
    rehearsal = (
        CutoverRun.objects.filter(
            plan=plan,
            kind=CutoverRun.Kind.REHEARSAL,
            status=CutoverRun.Status.FINISHED,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if rehearsal is None:
        return Measured(None, _("No finished rehearsal yet."))
    if plan.window_start is None or plan.window_end is None or plan.window_end <= plan.window_start:
        return Measured(None, _("The cutover window is not set."))
    took = rehearsal.finished_at - rehearsal.started_at
    window = plan.window_end - plan.window_start
    fits = took <= window
    values = {
        "run": rehearsal.name,
        "took": hours_minutes(int(took.total_seconds() // 60)),
        "window": hours_minutes(int(window.total_seconds() // 60)),
    }
    if fits:
        detail = _("%(run)s took %(took)s; the window is %(window)s.") % values
    else:
        detail = _("%(run)s took %(took)s, longer than the window of %(window)s.") % values
    return Measured(fits, detail)


register_provider(Kind.RECONCILIATIONS_PASS, reconciliations_pass)
register_provider(Kind.DATA_SIGNOFFS, data_signoffs)
register_provider(Kind.TRAINING_COMPLETION, training)
register_provider(Kind.REHEARSAL_IN_WINDOW, rehearsal_in_window)
