"""The runbook as a landscape A4 PDF: the cutover plan, its contingency plan, the Gantt chart and the task table.

`runbook_context` reads the plan and its tasks in a fixed number of queries and schedules them through
`selectors.golive.plan_schedule`, so the PDF shows the same forecast as the runbook page, the Gantt chart and the
calendar. Labels are translated in the active language: call it inside `translation.override`. The Gantt chart is
cut into pieces of `GANTT_ROWS_PER_PAGE` rows on one time scale, because a picture cannot break across pages.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projects import golive_charts
from projects.cutover_schedule import Schedule
from projects.models import CutoverPlan, CutoverTask, Membership
from projects.selectors.golive import plan_schedule, runbook_tasks
from workbench.markdown import render_markdown
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css, self_contained

GANTT_ROWS_PER_PAGE = 35


@dataclass
class TaskLine:
    number: int
    title: str
    stream: str
    stream_label: str
    kind_label: str
    owner: str
    backup: str
    after: list[int]
    start: str
    finish: str
    duration: str
    critical: bool
    late: bool


def _person(member: Membership | None) -> str:
    if member is None:
        return ""
    return member.user.get_full_name() or member.user.get_username()


def stamp(moment: datetime | None) -> str:
    """A moment as the project reads it in tables (ISO, local time), the same in English and Chinese."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _finish(start: datetime, finish: datetime) -> str:
    """The finish, without its date when it is on the start's day."""
    start_local, finish_local = timezone.localtime(start), timezone.localtime(finish)
    return finish_local.strftime("%H:%M" if finish_local.date() == start_local.date() else "%Y-%m-%d %H:%M")


def task_lines(tasks: list[CutoverTask], schedule: Schedule) -> list[TaskLine]:
    """The task table in schedule order."""
    by_id = {task.pk: task for task in tasks}
    numbers = {task.pk: task.number for task in tasks}
    critical = set(schedule.critical_path)
    labels = golive_charts.Labels.now()
    lines = []
    for tid in schedule.order():
        task = by_id.get(tid)
        if task is None:
            continue
        slot = schedule.slots[tid]
        lines.append(
            TaskLine(
                number=task.number,
                title=task.title,
                stream=task.stream,
                stream_label=labels.streams.get(task.stream, task.stream),
                kind_label=labels.kinds.get(task.kind, task.kind),
                owner=_person(task.owner),
                backup=_person(task.backup),
                after=sorted(numbers[p] for p in schedule.predecessors.get(tid, ()) if p in numbers),
                start=stamp(slot.start),
                finish=_finish(slot.start, slot.finish),
                duration=golive_charts.duration_label(task.duration_minutes),
                critical=tid in critical,
                late=slot.late,
            )
        )
    return lines


def _date(value: Any) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def runbook_context(*, plan: CutoverPlan) -> dict[str, Any]:
    """Everything the PDF shows; 4 queries for the tasks and phases whatever their number (plan and project read)."""
    project = plan.project
    tasks = list(runbook_tasks(plan)) if plan.pk else []
    schedule = plan_schedule(plan, tasks)
    markers, window = golive_charts.plan_markers(plan)
    gantt = golive_charts.gantt_pages(
        tasks, schedule, rows_per_page=GANTT_ROWS_PER_PAGE, markers=markers, window=window
    )
    window_text = ""
    if plan.window_start or plan.window_end:
        window_text = f"{stamp(plan.window_start) or '…'} – {stamp(plan.window_end) or '…'}"
    lines = task_lines(tasks, schedule)
    return {
        "project": {"code": project.code, "name": project.name},
        "document_title": _("Cutover runbook"),
        "plan": {
            "strategy": plan.get_strategy_display(),
            "strategy_value": plan.strategy,
            "go_live_date": _date(plan.go_live_date),
            "window": window_text,
            "point_of_no_return": stamp(plan.point_of_no_return),
            "rollback_deadline": stamp(plan.rollback_deadline),
            "hypercare_until": _date(plan.hypercare_until),
            "parallel_until": _date(plan.parallel_until),
            "decider": _person(plan.decider) if plan.decider_id else "",
        },
        "comparison_checks": self_contained(render_markdown(plan.comparison_checks)),
        "contingency_plan": self_contained(render_markdown(plan.contingency_plan)),
        "phases": list(plan.phases.order_by("order")) if plan.pk else [],
        "forecast_start": stamp(schedule.start) if tasks else "",
        "forecast_end": stamp(schedule.end) if tasks else "",
        "critical_count": len(schedule.critical_path),
        "late_count": sum(1 for line in lines if line.late),
        "gantt": gantt,
        "tasks": lines,
        "issued": date_format(timezone.localdate(), "DATE_FORMAT"),
        "language": translation.get_language() or "en",
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
    }


def runbook_html(context: dict[str, Any], *, for_pdf: bool = True) -> SafeString:
    return mark_safe(render_to_string("pdf/runbook.html", {**context, "for_pdf": for_pdf}))  # noqa: S308 - a template


def runbook_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(runbook_html(context))


def pdf_filename(plan: CutoverPlan) -> str:
    return f"{plan.project.code}-runbook.pdf"
