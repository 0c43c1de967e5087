"""The runbook as a calendar (ICS): one event per task at its forecast time, to import into Outlook or a phone.

Times are the planned forecast (`selectors.golive.plan_schedule`), the same as the runbook page and the Gantt
chart, written in UTC so that no time zone definition is needed. Each task keeps the UID
`cutover-task-<id>@<project code>`, so importing the calendar again after a change moves the events instead of
adding new ones; SEQUENCE is the task's version. A milestone (no duration) has no DTEND: it ends when it starts.
The texts (summary "#<number> <title>", the description's labels, the stream as category) are in the active
language, so call `runbook_calendar` inside `translation.override`.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from projects.cutover_schedule import Schedule
from projects.golive_charts import Labels, duration_label
from projects.models import CutoverPlan, CutoverTask, Membership

PRODID = "-//Upgrade Workbench//Cutover runbook//EN"


def _person(member: Membership | None) -> str:
    if member is None:
        return "—"
    return member.user.get_full_name() or member.user.get_username()


def task_uid(task: CutoverTask, project_code: str) -> str:
    return f"cutover-task-{task.pk}@{project_code}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def runbook_calendar(
    plan: CutoverPlan,
    tasks: Sequence[CutoverTask],
    schedule: Schedule,
    *,
    task_url: Callable[[CutoverTask], str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The calendar of the runbook: one VEVENT per task of `schedule`, in schedule order.

    `tasks` as `selectors.golive.runbook_tasks` reads them (owner, backup and predecessors loaded); `task_url`
    gives the absolute address of a task's page for the event's URL; `stamp` is DTSTAMP (now by default).
    """
    code = plan.project.code
    stamp = _utc(stamp or timezone.now()).replace(microsecond=0)
    by_id = {task.pk: task for task in tasks}
    numbers = {task.pk: task.number for task in tasks}
    critical = set(schedule.critical_path)
    labels = Labels.now()
    names = {
        "stream": _("Stream"),
        "type": _("Type"),
        "owner": _("Owner"),
        "backup": _("Backup"),
        "after": _("After"),
        "duration": _("Duration"),
    }

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("%(code)s cutover runbook") % {"code": code})
    for tid in schedule.order():
        task = by_id.get(tid)
        if task is None:
            continue
        slot = schedule.slots[tid]
        after = [numbers[p] for p in schedule.predecessors.get(tid, ()) if p in numbers]
        stream = labels.streams.get(task.stream, task.stream)
        lines = [
            f"{names['stream']}: {stream}",
            f"{names['type']}: {labels.kinds.get(task.kind, task.kind)}",
            f"{names['owner']}: {_person(task.owner)}",
            f"{names['backup']}: {_person(task.backup)}",
            f"{names['after']}: {', '.join(f'#{n}' for n in sorted(after)) if after else '—'}",
            f"{names['duration']}: {duration_label(task.duration_minutes)}",
        ]
        if tid in critical:
            lines.append(labels.on_path)
        if task.description.strip():
            lines += ["", task.description.strip()]
        event = Event()
        event.add("uid", task_uid(task, code))
        event.add("dtstamp", stamp)
        event.add("sequence", task.version)
        event.add("summary", f"#{task.number} {task.title}")
        event.add("dtstart", _utc(slot.start))
        if slot.finish > slot.start:
            event.add("dtend", _utc(slot.finish))
        event.add("description", "\n".join(lines))
        event.add("categories", [stream])
        if task.updated_at:
            event.add("last-modified", _utc(task.updated_at).replace(microsecond=0))
        if task_url is not None:
            event.add("url", task_url(task))
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_filename(plan: CutoverPlan) -> str:
    return f"{plan.project.code}-runbook.ics"
