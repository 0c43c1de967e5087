"""Go-live readiness: the go/no-go criteria as people read them, the signed decisions, and the readiness PDF.

`criterion_rows` turns `projects.gonogo.evaluate` into rows with the wording the go/no-go page and the PDF share
(what a criterion measures, its target with the unit, the verdict's label and colour); `record_rows` does the
same for the criteria kept with a signed decision (`GoNoGoDecision.criteria`, see `gonogo.as_record`), and
`recommendation` says in one sentence whether the project is ready and, if not, what holds it back.

`readiness_context(project)` builds what `templates/pdf/readiness.html` shows — the cutover plan in short, every
criterion, training completion per role, the last finished rehearsal against the window, the latest decision
with its signature line — with every label in the active language, so call it inside `translation.override`.
`readiness_pdf` renders it; a fixed number of queries however many criteria there are (the providers' own,
each called once per kind).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from projects import gonogo
from projects.models import CutoverPlan, CutoverRun, GoNoGoCriterion, GoNoGoDecision, Project
from projects.services.golive import GO_MANUAL, GO_PERCENT_KINDS, GO_YES_NO_KINDS, training_completion
from workbench.numbers import hours_minutes, plain_decimal
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css

Kind = GoNoGoCriterion.Kind
Outcome = GoNoGoDecision.Outcome

# What each kind measures, in a sentence (the page's second line, the PDF's too).
MEASURES = {
    Kind.MUST_HAVE_UAT: gettext_lazy("The share of must-have requirements with at least one passing UAT case."),
    Kind.OPEN_SEVERE_DEFECTS: gettext_lazy("Critical and major defects still open, fixed or waiting for a retest."),
    Kind.UAT_RUNS_SIGNED: gettext_lazy("UAT runs with at least one sign-off."),
    Kind.RECONCILIATIONS_PASS: gettext_lazy(
        "The share of data objects whose reconciliation passes in the last trial load."
    ),
    Kind.DATA_SIGNOFFS: gettext_lazy("The share of data objects their steward signed in the last trial load."),
    Kind.TRAINING_COMPLETION: gettext_lazy("The share of trainees who attended every session of their role's plan."),
    Kind.REHEARSAL_IN_WINDOW: gettext_lazy(
        "Whether the last finished rehearsal took no longer than the cutover window."
    ),
    Kind.MANUAL: gettext_lazy("Checked by hand by the team."),
}

# The one vocabulary of states: (css suffix of .wb-state-*, Tabler icon, label).
STATES = {
    gonogo.MET: ("good", "ti-circle-check", gettext_lazy("Met")),
    gonogo.NOT_MET: ("bad", "ti-circle-x", gettext_lazy("Not met")),
    gonogo.NO_DATA: ("idle", "ti-circle-dashed", gettext_lazy("No data")),
}
OUTCOMES = {
    Outcome.GO: ("good", "ti-circle-check"),
    Outcome.NO_GO: ("bad", "ti-circle-x"),
    Outcome.GO_WITH_CONDITIONS: ("warn", "ti-alert-triangle"),
}


def person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def stamp(moment: datetime | None) -> str:
    """A moment in the reader's time zone, as the project's tables show it (the same in English and Chinese)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def duration_text(delta: timedelta) -> str:
    return hours_minutes(int(delta.total_seconds() // 60))


def kind_label(kind: str) -> str:
    labels = dict(Kind.choices)
    return str(labels.get(kind, kind))


def target_text(kind: str, comparison: str, threshold: Decimal | str | None) -> str:
    """The target as it is read: "at least 95 %", "at most 0", "yes" for a yes/no figure."""
    if kind == GO_MANUAL:
        return _("checked as met")
    if kind in GO_YES_NO_KINDS:
        return _("yes")
    if threshold is None or threshold == "":
        return _("not set")
    try:
        number = plain_decimal(Decimal(str(threshold)))
    except InvalidOperation:
        number = str(threshold)
    unit = " %" if kind in GO_PERCENT_KINDS else ""
    if comparison == GoNoGoCriterion.Comparison.AT_MOST:
        return _("at most %(number)s%(unit)s") % {"number": number, "unit": unit}
    return _("at least %(number)s%(unit)s") % {"number": number, "unit": unit}


def state_look(state: str) -> dict[str, str]:
    css, icon, label = STATES.get(state, STATES[gonogo.NO_DATA])
    return {"state": state if state in STATES else gonogo.NO_DATA, "css": css, "icon": icon, "label": str(label)}


@dataclass
class CriterionRow:
    criterion_id: int | None
    kind: str
    name: str
    kind_label: str
    measures: str
    target: str
    value: str
    state: str
    state_css: str
    state_icon: str
    state_label: str
    detail: str
    note: str
    is_manual: bool
    now: dict[str, str] | None = None  # on a decision's record: the verdict of the same criterion today
    source: tuple[str, str] | None = None  # on the page: (url, text) of where the figure comes from

    @property
    def named(self) -> bool:
        """Whether the criterion has a name of its own (then the kind is shown under it)."""
        return self.name != self.kind_label


def criterion_rows(evaluations: Iterable[gonogo.Evaluation]) -> list[CriterionRow]:
    rows = []
    for e in evaluations:
        look = state_look(e.state)
        rows.append(
            CriterionRow(
                criterion_id=e.criterion_id,
                kind=e.kind,
                name=e.name,
                kind_label=kind_label(e.kind),
                measures=str(MEASURES.get(e.kind, "")),
                target=target_text(e.kind, e.comparison, e.threshold),
                value=e.value_text,
                state=look["state"],
                state_css=look["css"],
                state_icon=look["icon"],
                state_label=look["label"],
                detail=e.detail,
                note=e.note,
                is_manual=e.kind == GO_MANUAL,
            )
        )
    return rows


def _now_look(row: CriterionRow) -> dict[str, str]:
    return {"state": row.state, "css": row.state_css, "icon": row.state_icon, "label": row.state_label}


def record_rows(record: Sequence[dict], now: Iterable[CriterionRow] = ()) -> list[CriterionRow]:
    """The criteria kept with a decision, as rows; `now` (today's rows) adds each criterion's verdict today."""
    today = {row.criterion_id: row for row in now if row.criterion_id is not None}
    rows = []
    for item in record:
        kind = str(item.get("kind", ""))
        look = state_look(str(item.get("state", "")))
        current = today.get(item.get("criterion_id"))
        rows.append(
            CriterionRow(
                criterion_id=item.get("criterion_id"),
                kind=kind,
                name=str(item.get("name", "")),
                kind_label=kind_label(kind),
                measures=str(MEASURES.get(kind, "")),
                target=target_text(kind, str(item.get("comparison", "")), item.get("threshold")),
                value=str(item.get("value_text") or "—"),
                state=look["state"],
                state_css=look["css"],
                state_icon=look["icon"],
                state_label=look["label"],
                detail=str(item.get("detail", "")),
                note=str(item.get("note", "")),
                is_manual=kind == GO_MANUAL,
                now=None if current is None else _now_look(current),
            )
        )
    return rows


def counts_of(rows: Sequence[CriterionRow]) -> dict[str, Any]:
    counts = {state: sum(1 for row in rows if row.state == state) for state in gonogo.STATES}
    return {**counts, "total": len(rows), "ready": bool(rows) and counts[gonogo.MET] == len(rows)}


def recommendation(rows: Sequence[CriterionRow]) -> str:
    """One or two sentences: ready to go, or which criteria are not met and which have no data."""
    if not rows:
        return _("No criteria yet: add the criteria that must hold before go-live, then judge them here.")
    counts = counts_of(rows)
    if counts["ready"]:
        return ngettext(
            "The only criterion is met: the project is ready to go.",
            "All %(count)d criteria are met: the project is ready to go.",
            counts["total"],
        ) % {"count": counts["total"]}
    parts = [_("Not ready to go.")]
    not_met = [row.name for row in rows if row.state == gonogo.NOT_MET]
    no_data = [row.name for row in rows if row.state == gonogo.NO_DATA]
    if not_met:
        parts.append(
            ngettext(
                "%(count)d criterion is not met: %(names)s.",
                "%(count)d criteria are not met: %(names)s.",
                len(not_met),
            )
            % {"count": len(not_met), "names": gonogo.listing(not_met)}
        )
    if no_data:
        parts.append(
            ngettext(
                "%(count)d criterion has no data yet, and a criterion without data does not pass: %(names)s.",
                "%(count)d criteria have no data yet, and a criterion without data does not pass: %(names)s.",
                len(no_data),
            )
            % {"count": len(no_data), "names": gonogo.listing(no_data)}
        )
    return " ".join(parts)


@dataclass
class DecisionView:
    decision: GoNoGoDecision
    outcome_label: str
    outcome_css: str
    outcome_icon: str
    decider: str
    decided_at: datetime
    rows: list[CriterionRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, Any]:
        return counts_of(self.rows)


def decision_views(decisions: Iterable[GoNoGoDecision], now: Sequence[CriterionRow] = ()) -> list[DecisionView]:
    """Decisions, newest first, each with the criteria as evaluated when it was signed."""
    labels = dict(Outcome.choices)
    views = []
    for decision in decisions:
        css, icon = OUTCOMES.get(decision.outcome, ("idle", "ti-circle-dashed"))
        views.append(
            DecisionView(
                decision=decision,
                outcome_label=str(labels.get(decision.outcome, decision.outcome)),
                outcome_css=css,
                outcome_icon=icon,
                decider=person(decision.decider),
                decided_at=decision.decided_at,
                rows=record_rows(decision.criteria or [], now),
            )
        )
    return views


# The readiness PDF -----------------------------------------------------------------------------------------


def _date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def plan_facts(plan: CutoverPlan | None) -> list[tuple[str, str]]:
    """The cutover plan in short: (label, text); "—" where nothing is set."""
    if plan is None:
        return [(_("Cutover plan"), _("No cutover plan yet."))]
    window = "—"
    if plan.window_start or plan.window_end:
        window = f"{stamp(plan.window_start) or '…'} – {stamp(plan.window_end) or '…'}"
        if plan.window_start and plan.window_end and plan.window_end > plan.window_start:
            window += f" ({duration_text(plan.window_end - plan.window_start)})"
    facts = [
        (_("Strategy"), plan.get_strategy_display()),
        (_("Go-live date"), _date(plan.go_live_date) or "—"),
        (_("Cutover window"), window),
        (_("Point of no return"), stamp(plan.point_of_no_return) or "—"),
        (_("Rollback deadline"), stamp(plan.rollback_deadline) or "—"),
        (_("Hypercare until"), _date(plan.hypercare_until) or "—"),
        (_("Go/no-go decider"), person(plan.decider.user) if plan.decider else _("not named yet")),
    ]
    if plan.strategy == CutoverPlan.Strategy.PARALLEL:
        facts.insert(1, (_("Parallel run until"), _date(plan.parallel_until) or "—"))
    return facts


def last_rehearsal(plan: CutoverPlan | None) -> dict[str, Any] | None:
    """The last finished rehearsal: when, how long, and whether it fitted the window (None when unknown)."""
    if plan is None:
        return None
    run = (
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
    if run is None:
        return None
    took = run.finished_at - run.started_at
    window = None
    if plan.window_start and plan.window_end and plan.window_end > plan.window_start:
        window = plan.window_end - plan.window_start
    return {
        "name": run.name,
        "started": stamp(run.started_at),
        "finished": stamp(run.finished_at),
        "took": duration_text(took),
        "window": duration_text(window) if window is not None else "",
        "fits": None if window is None else took <= window,
    }


def readiness_context(*, project: Project) -> dict[str, Any]:
    plan = CutoverPlan.objects.select_related("decider__user").filter(project=project).first()
    criteria = list(project.go_criteria.all())
    rows = criterion_rows(gonogo.evaluate(project, criteria))
    roles, overall = training_completion(project)
    decisions = decision_views(project.go_decisions.select_related("decider")[:1], rows)
    issued = timezone.localtime()
    return {
        "project": {"code": project.code, "name": project.name},
        "document_title": _("Go-live readiness"),
        "issued": date_format(issued, "DATE_FORMAT"),
        "issued_at": stamp(issued),
        "language": translation.get_language() or "en",
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
        "plan_facts": plan_facts(plan),
        "rows": rows,
        "counts": counts_of(rows),
        "recommendation": recommendation(rows),
        "training": [
            {
                "role": row.plan.get_role_display(),
                "title": row.plan.title,
                "trainees": row.trainees,
                "complete": row.complete,
                "percent": row.percent,
            }
            for row in roles
        ],
        "training_overall": overall,
        "training_trainees": sum(row.trainees for row in roles),
        "training_complete": sum(row.complete for row in roles),
        "rehearsal": last_rehearsal(plan),
        "decision": decisions[0] if decisions else None,
    }


def readiness_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("pdf/readiness.html", {**context, "for_pdf": True}))


def filename(project: Project) -> str:
    return f"{project.code}-readiness-{timezone.localdate().isoformat()}.pdf"
