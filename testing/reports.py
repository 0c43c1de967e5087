"""Printable UAT documents: the blank checklist of a run (PDF), the executed run report (PDF), the results (XLSX).

`run_records` reads a run's cases with their executions, step results and evidence in a fixed number of
queries (prefetched, never per case) and turns them into plain records: the frozen case text once the run
has started, the live text of the case before. `checklist_context` and `report_context` build what the two
templates (`templates/pdf/uat_checklist.html`, `templates/pdf/uat_report.html`) show, with every label
translated once in the active language, so call them inside `translation.override`. `results_xlsx` writes
the same records as a workbook with three sheets (results, steps, defects).
"""

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projects.models import Membership
from requirements.models import Requirement
from testing.models import CaseStep, Defect, Evidence, Execution, RunCase, SignOff, StepResult, TestRun, UATCase
from testing.models.runs import STEP_STATUSES, Result
from workbench.markdown import render_markdown
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css, self_contained

FINISHED = tuple(STEP_STATUSES)  # the finished results, in the summary's order
SUMMARY_ORDER = (Result.PASS, Result.FAIL, Result.BLOCKED, Result.SKIPPED, Result.IN_PROGRESS, Result.NOT_RUN)


@dataclass
class StepLine:
    order: int
    action: str
    expected: str
    test_data: str
    status: str = ""
    status_label: str = ""
    actual: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None


@dataclass
class Attempt:
    number: int
    result: str
    result_label: str
    tester: str
    finished_at: datetime | None


@dataclass
class EvidenceLine:
    case_key: str
    attempt: int
    name: str
    content_type: str
    size: int
    size_label: str
    step: int | None
    uploaded_by: str
    uploaded_at: datetime


@dataclass
class CaseRecord:
    key: str
    title: str
    role_label: str
    flow: str
    flow_label: str
    priority: str
    priority_label: str
    requirements: list[str]
    preconditions: str
    preconditions_html: SafeString
    tester: str
    result: str
    result_label: str
    steps: list[StepLine]
    attempts: list[Attempt] = field(default_factory=list)
    evidence: list[EvidenceLine] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def earlier(self) -> list[Attempt]:
        return self.attempts[:-1]

    @property
    def finished_at(self) -> datetime | None:
        return self.latest.finished_at if self.latest else None


def person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def stamp(moment: datetime | None) -> str:
    """A moment as the project reads it in tables (ISO, local time), the same in English and Chinese."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _choice_labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


class _Markdown:
    """Each distinct preconditions text rendered once and made self-contained (no images, no list boxes)."""

    def __init__(self) -> None:
        self.cache: dict[str, SafeString] = {}

    def render(self, text: str) -> SafeString:
        if not text.strip():
            return mark_safe("")  # noqa: S308 - empty string
        if text not in self.cache:
            self.cache[text] = self_contained(render_markdown(text))
        return self.cache[text]


def _run_cases(run: TestRun, *, tester: Membership | None = None, executions: bool = True) -> list[RunCase]:
    """The run's cases in run order with everything the documents show: 1 query, +2 for the live text of a
    run not yet started, +3 for executions, step results and evidence."""
    queryset = run.run_cases.select_related("case", "tester__user").order_by("order", "pk")
    if tester is not None:
        queryset = queryset.filter(tester=tester)
    if run.started_at is None:  # nothing is frozen yet: the cases' current text
        queryset = queryset.prefetch_related(
            Prefetch("case__steps", queryset=CaseStep.objects.order_by("order")),
            Prefetch("case__requirements", queryset=Requirement.objects.order_by("number").only("pk", "key")),
        )
    if executions:
        queryset = queryset.prefetch_related(
            Prefetch(
                "executions",
                queryset=Execution.objects.select_related("tester")
                .order_by("number")
                .prefetch_related(
                    Prefetch("steps", queryset=StepResult.objects.select_related("recorded_by").order_by("step_order")),
                    Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by").order_by("pk")),
                ),
            )
        )
    return list(queryset)


def run_records(run: TestRun, *, tester: Membership | None = None, executions: bool = True) -> list[CaseRecord]:
    """The run's cases as plain records, in run order; labels in the active language."""
    roles = _choice_labels(UATCase.Role)
    flows = _choice_labels(UATCase.Flow)
    priorities = _choice_labels(UATCase.Priority)
    results = _choice_labels(Result)
    markdown_ = _Markdown()
    records = []
    for run_case in _run_cases(run, tester=tester, executions=executions):
        if run_case.frozen_at is not None:
            key, title, role, flow, priority = (
                run_case.frozen_key,
                run_case.frozen_title,
                run_case.frozen_role,
                run_case.frozen_flow,
                run_case.frozen_priority,
            )
            preconditions = run_case.frozen_preconditions
            steps = [
                StepLine(order=s["order"], action=s["action"], expected=s["expected"], test_data=s.get("test_data", ""))
                for s in run_case.frozen_steps
            ]
            requirements = list(run_case.frozen_requirements)
        else:
            case = run_case.case
            key, title, role, flow, priority = case.key, case.title, case.role, case.flow, case.priority
            preconditions = case.preconditions
            steps = [
                StepLine(order=s.order, action=s.action, expected=s.expected, test_data=s.test_data)
                for s in case.steps.all()
            ]
            requirements = [r.key for r in case.requirements.all()]
        record = CaseRecord(
            key=key,
            title=title,
            role_label=roles.get(role, role),
            flow=flow,
            flow_label=flows.get(flow, flow),
            priority=priority,
            priority_label=priorities.get(priority, priority),
            requirements=requirements,
            preconditions=preconditions,
            preconditions_html=markdown_.render(preconditions),
            tester=person(run_case.tester.user) if run_case.tester else "",
            result=run_case.result,
            result_label=results.get(run_case.result, run_case.result),
            steps=steps,
        )
        if executions:
            attempts = list(run_case.executions.all())
            for execution in attempts:
                record.attempts.append(
                    Attempt(
                        number=execution.number,
                        result=execution.result,
                        result_label=results.get(execution.result, execution.result),
                        tester=person(execution.tester),
                        finished_at=execution.finished_at,
                    )
                )
                for evidence in execution.evidence.all():
                    record.evidence.append(
                        EvidenceLine(
                            case_key=key,
                            attempt=execution.number,
                            name=evidence.original_name,
                            content_type=evidence.content_type,
                            size=evidence.size,
                            size_label=filesizeformat(evidence.size),
                            step=evidence.step_order,
                            uploaded_by=person(evidence.uploaded_by),
                            uploaded_at=evidence.created_at,
                        )
                    )
            if attempts:
                recorded = {r.step_order: r for r in attempts[-1].steps.all()}
                for step in steps:
                    result = recorded.get(step.order)
                    if result is None:
                        step.status, step.status_label = Result.NOT_RUN, results[Result.NOT_RUN]
                    else:
                        step.status, step.status_label = result.status, results.get(result.status, result.status)
                        step.actual = result.actual
                        step.recorded_by = person(result.recorded_by)
                        step.recorded_at = result.updated_at
        records.append(record)
    return records


@dataclass
class DefectLine:
    key: str
    title: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    is_open: bool
    case_key: str
    step: int | None
    requirement: str
    vendor_reference: str
    raised_by: str
    raised_at: datetime


def run_defects(run: TestRun) -> list[DefectLine]:
    """The defects raised in the run, by key: 1 query."""
    severities = _choice_labels(Defect.Severity)
    statuses = _choice_labels(Defect.Status)
    defects = (
        Defect.objects.filter(run_case__run=run)
        .select_related("requirement", "run_case__case", "raised_by")
        .order_by("number")
    )
    return [
        DefectLine(
            key=d.key,
            title=d.title,
            severity=d.severity,
            severity_label=severities.get(d.severity, d.severity),
            status=d.status,
            status_label=statuses.get(d.status, d.status),
            is_open=d.status in Defect.OPEN_STATUSES,
            case_key=d.run_case.frozen_key or d.run_case.case.key,
            step=d.step_order,
            requirement=d.requirement.key if d.requirement else "",
            vendor_reference=d.vendor_reference,
            raised_by=person(d.raised_by),
            raised_at=d.created_at,
        )
        for d in defects
    ]


def _percent(part: int, whole: int) -> float | None:
    return None if not whole else 100 * part / whole


def _planned(run: TestRun) -> str:
    if not run.planned_start and not run.planned_end:
        return "—"
    return f"{run.planned_start or '…'} – {run.planned_end or '…'}"


def _common(run: TestRun, document_title: str) -> dict[str, Any]:
    project = run.project
    return {
        "project": {"code": project.code, "name": project.name},
        "run": {
            "id": run.pk,
            "name": run.name,
            "environment": run.environment,
            "build": run.build,
            "planned": _planned(run),
            "status": run.status,
            "status_label": run.get_status_display(),
            "started": stamp(run.started_at),
        },
        "document_title": document_title,
        "issued": date_format(timezone.localdate(), "DATE_FORMAT"),
        "language": translation.get_language() or "en",
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
    }


def _labels() -> dict[str, str]:
    """Labels translated once here rather than by {% translate %} for each of hundreds of cases."""
    return {
        "role": _("Role"),
        "flow": _("Flow"),
        "priority": _("Priority"),
        "requirements": _("Requirements"),
        "tester": _("Tester"),
        "preconditions": _("Preconditions"),
        "number": "#",
        "action": _("Action"),
        "expected": _("Expected result"),
        "test_data": _("Test data"),
        "result": _("Result"),
        "status": _("Status"),
        "actual": _("Actual result"),
        "recorded": _("Recorded"),
        "date": _("Date"),
        "signature": _("Signature"),
        "name": _("Name"),
        "attempt": _("Attempt"),
        "earlier": _("Earlier attempts"),
        "defects": _("Defects"),
        "not_executed": _("Not executed yet."),
        "unassigned": _("unassigned"),
        "none": _("none"),
    }


def _text_state(run: TestRun) -> str:
    if run.started_at is None:
        return _("Draft: the run has not started, the case text may still change")
    return _("Case text as frozen on %(date)s") % {"date": timezone.localtime(run.started_at).date().isoformat()}


def checklist_context(*, run: TestRun, tester: Membership | None = None) -> dict[str, Any]:
    """The blank checklist: the run's cases (one tester's only, when given) with their steps to tick; 1–3 queries."""
    records = run_records(run, tester=tester, executions=False)
    return {
        **_common(run, _("UAT checklist")),
        "labels": _labels(),
        "ticks": [_choice_labels(Result)[s] for s in STEP_STATUSES],
        "text_state": _text_state(run),
        "frozen": run.started_at is not None,
        "tester": person(tester.user) if tester else "",
        "cases": records,
        "count": len(records),
    }


def report_context(*, run: TestRun) -> dict[str, Any]:
    """The executed run report: summary, every case with its latest execution, defects, evidence, sign-offs.

    A fixed number of queries whatever the number of cases (run cases, executions, step results, evidence,
    defects, sign-offs).
    """
    records = run_records(run)
    defects = run_defects(run)
    by_case: dict[str, list[str]] = {}
    for defect in defects:
        by_case.setdefault(defect.case_key, []).append(defect.key)
    for record in records:
        record.defects = by_case.get(record.key, [])
    total = len(records)
    results = _choice_labels(Result)
    counts = dict.fromkeys(SUMMARY_ORDER, 0)
    for record in records:
        counts[record.result] = counts.get(record.result, 0) + 1
    executed = sum(counts[value] for value in FINISHED)
    signoffs = [
        {
            "role": s.role,
            "signer": person(s.signer),
            "signed_at": s.signed_at,
            "comment": s.comment,
            "waiver": s.waiver,
        }
        for s in SignOff.objects.filter(run=run).select_related("signer").order_by("signed_at", "pk")
    ]
    return {
        **_common(run, _("UAT run report")),
        "labels": _labels(),
        "text_state": _text_state(run),
        "cases": records,
        "count": total,
        "summary": [
            {"value": value, "label": results[value], "count": counts[value], "percent": _percent(counts[value], total)}
            for value in SUMMARY_ORDER
        ],
        "executed": executed,
        "executed_percent": _percent(executed, total),
        "pass_rate": _percent(counts[Result.PASS], executed),
        "defects": defects,
        "open_defects": sum(1 for d in defects if d.is_open),
        "open_critical": [d.key for d in defects if d.is_open and d.severity == Defect.Severity.CRITICAL],
        "evidence": [line for record in records for line in record.evidence],
        "signoffs": signoffs,
    }


def checklist_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("pdf/uat_checklist.html", {**context, "for_pdf": True}))


def report_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("pdf/uat_report.html", {**context, "for_pdf": True}))


def filename(run: TestRun, kind: str) -> str:
    """`<CODE>-<run id>-checklist.pdf`, `…-report.pdf`, `…-results.xlsx`."""
    return f"{run.project.code}-{run.pk}-{kind}"


# XLSX ---------------------------------------------------------------------------------------------------

DATE_FORMAT_XLSX = "yyyy-mm-dd hh:mm"


def _cell(value: Any) -> Any:
    """A value as openpyxl takes it: naive local datetimes, text without control characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet(workbook: Any, title: str, columns: list[tuple[str, int]], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([label for label, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT_XLSX
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def results_xlsx(*, run: TestRun) -> bytes:
    """The run's results as a workbook: "Results" (a row per case), "Steps" (a row per step of the latest
    execution) and "Defects"; headers bold and frozen, moments as real dates."""
    from openpyxl import Workbook

    records = run_records(run)
    defects = run_defects(run)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        _("Results"),
        [
            (_("Key"), 10),
            (_("Title"), 40),
            (_("Role"), 16),
            (_("Flow"), 14),
            (_("Priority"), 10),
            (_("Requirements"), 18),
            (_("Tester"), 18),
            (_("Result"), 12),
            (_("Attempts"), 9),
            (_("Finished at"), 17),
        ],
        [
            [
                r.key,
                r.title,
                r.role_label,
                r.flow_label,
                r.priority_label,
                ", ".join(r.requirements),
                r.tester,
                r.result_label,
                len(r.attempts),
                r.finished_at,
            ]
            for r in records
        ],
    )
    _sheet(
        workbook,
        _("Steps"),
        [
            (_("Key"), 10),
            (_("Step"), 6),
            (_("Action"), 40),
            (_("Expected result"), 40),
            (_("Status"), 12),
            (_("Actual result"), 40),
            (_("Recorded by"), 18),
            (_("Recorded at"), 17),
        ],
        [
            [r.key, s.order, s.action, s.expected, s.status_label, s.actual, s.recorded_by, s.recorded_at]
            for r in records
            if r.attempts
            for s in r.steps
        ],
    )
    _sheet(
        workbook,
        _("Defects"),
        [
            (_("Key"), 10),
            (_("Title"), 40),
            (_("Severity"), 11),
            (_("Status"), 11),
            (_("Case"), 10),
            (_("Step"), 6),
            (_("Requirement"), 12),
            (_("Vendor reference"), 18),
            (_("Raised by"), 18),
            (_("Raised at"), 17),
        ],
        [
            [
                d.key,
                d.title,
                d.severity_label,
                d.status_label,
                d.case_key,
                d.step,
                d.requirement,
                d.vendor_reference,
                d.raised_by,
                d.raised_at,
            ]
            for d in defects
        ],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
