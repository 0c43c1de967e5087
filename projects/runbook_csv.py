"""Runbook tasks in and out of CSV, so that a runbook can be drafted or reworked in a spreadsheet.

The export writes UTF-8 with a BOM (Excel opens it with the Chinese intact) and these columns:

    number, title, stream, type, owner, backup, duration_minutes, fixed_start, after, description

`stream` and `type` hold the stored values (`data`, `gate` …), `owner` and `backup` usernames,
`fixed_start` an ISO date and time in the project's time zone, `after` the numbers of the predecessors
separated by spaces. A cell that starts like a formula is written with a leading apostrophe.

The import reads UTF-8 (with or without a BOM) or GB18030 as Chinese Excel saves it, with commas,
semicolons or tabs between cells. The header row is the first row with two or more filled cells; its
columns may come in any order and may also be named in Chinese (编号, 标题 …); `number` and `title` are
required, other columns may be left out. A row creates the task with its number, or updates the task
that already has it; tasks not in the file stay as they are. For a column that is left out, an updated
task keeps its value and a new one takes the default. An empty stream or type cell works the same way.
Streams and types are accepted as the stored value, or as their name in English or Chinese.

Every row is checked before anything is written, the predecessors as the runbook will be after the
import: a number that is neither in the file nor in the plan, or a circle of tasks, is refused. Any
error and nothing is written; the errors come back as (row, message), where the row is the spreadsheet
row (the header is row 1 when it is the first line) and row 0 stands for the whole file.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import CutoverPlan, CutoverTask, Membership
from workbench.graphs import find_cycle
from workbench.locking import save_versioned
from workbench.textfiles import UnreadableText, choice_lookup, header_key, parse_datetime, read_csv

COLUMNS = [
    "number",
    "title",
    "stream",
    "type",
    "owner",
    "backup",
    "duration_minutes",
    "fixed_start",
    "after",
    "description",
]
MAX_ROWS = 2000
MAX_NUMBER = 1_000_000
MAX_MINUTES = 60 * 24 * 60  # sixty days

# Other names a header may use (compared without case, with spaces and hyphens as underscores).
HEADER_ALIASES = {
    "number": ("no", "no.", "#", "task", "编号", "序号", "任务编号"),
    "title": ("name", "标题", "名称", "任务名称"),
    "stream": ("工作流", "条线"),
    "type": ("kind", "task_type", "类型", "任务类型"),
    "owner": ("负责人",),
    "backup": ("backup_owner", "备份", "后备", "替补", "后备负责人"),
    "duration_minutes": ("duration", "minutes", "时长", "时长(分钟)", "时长（分钟）", "持续时间", "分钟"),
    "fixed_start": ("fixed_start_time", "start", "固定开始", "固定开始时间", "开始时间"),
    "after": ("predecessors", "depends_on", "前置", "前置任务", "紧前任务"),
    "description": ("notes", "说明", "描述", "备注"),
}

# Chinese names of streams and types, whatever the translation catalogue says (it is also asked).
STREAM_NAMES = {
    "业务": "business",
    "数据": "data",
    "技术": "technical",
    "沟通": "communications",
    "通讯": "communications",
}
KIND_NAMES = {
    "任务": "normal",
    "普通": "normal",
    "普通任务": "normal",
    "里程碑": "milestone",
    "验证": "validation",
    "校验": "validation",
    "上线决策": "gate",
    "决策关口": "gate",
    "go/no-go": "gate",
    "回退": "rollback",
    "回退步骤": "rollback",
    "回滚": "rollback",
    "回滚步骤": "rollback",
    "沟通": "communication",
    "通知": "communication",
}
AFTER_SEPARATORS = re.compile(r"[\s,;，；、]+")


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[CutoverTask] = field(default_factory=list)
    updated: list[CutoverTask] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Export ---------------------------------------------------------------------------------------


def _safe(text: str) -> str:
    """A cell that cannot run as a formula (CSV injection): "=SUM(…)" is written as "'=SUM(…)"."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def runbook_export(plan: CutoverPlan) -> bytes:
    """The plan's tasks by number as CSV, UTF-8 with a BOM."""
    tasks = plan.tasks.select_related("owner__user", "backup__user").prefetch_related("predecessors")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for task in tasks.order_by("number"):
        fixed = timezone.localtime(task.fixed_start).isoformat() if task.fixed_start else ""
        after = " ".join(str(n) for n in sorted(p.number for p in task.predecessors.all()))
        row = [
            str(task.number),
            task.title,
            task.stream,
            task.kind,
            task.owner.user.get_username() if task.owner else "",
            task.backup.user.get_username() if task.backup else "",
            str(task.duration_minutes),
            fixed,
            after,
            task.description,
        ]
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- Reading --------------------------------------------------------------------------------------


HEADER_LOOKUP = {header_key(name): name for name in COLUMNS} | {
    header_key(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _whole_number(text: str, lowest: int, highest: int) -> int | None:
    if not re.fullmatch(r"\d+", text):
        return None
    value = int(text)
    return value if lowest <= value <= highest else None


@dataclass
class _Row:
    row: int
    number: int
    fields: dict[str, Any]  # only the columns the file has
    after: list[int] | None  # None: the file has no "after" column


# --- Import ---------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors


def runbook_import(plan: CutoverPlan, data: bytes, *, user: AbstractBaseUser | None = None) -> ImportResult:
    """Create or update (by number) the tasks of a CSV file: all rows, or none when any row is wrong."""
    try:
        with transaction.atomic():
            # One import (or task creation) at a time per plan: the checks see the plan as it is written.
            CutoverPlan.objects.select_for_update().get(pk=plan.pk)
            return _import(plan, data, user)
    except _Refused as refused:
        return ImportResult(errors=sorted(refused.errors, key=lambda e: e[0]))


def _import(plan: CutoverPlan, data: bytes, user: AbstractBaseUser | None) -> ImportResult:
    try:
        header_row, headers, raw_rows = read_csv(data)
    except UnreadableText as exc:
        raise _Refused([(0, str(exc))]) from exc
    except csv.Error as exc:
        raise _Refused([(0, _("The file cannot be read as CSV: %(error)s") % {"error": exc})]) from exc
    if not headers:
        raise _Refused([(0, _("No header row found: the first row with two or more filled cells is the header."))])

    errors: list[tuple[int, str]] = []
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = HEADER_LOOKUP.get(header_key(header))
        if name is None or not header.strip():
            continue  # a column of the user's own, e.g. notes for the team
        if name in columns:
            errors.append((header_row, _("The column “%(name)s” appears twice.") % {"name": header}))
        columns[name] = index
    for required in ("number", "title"):
        if required not in columns:
            errors.append((header_row, _("The file has no “%(name)s” column.") % {"name": required}))
    if errors:
        raise _Refused(errors)
    if not raw_rows:
        raise _Refused([(0, _("The file has a header but no tasks."))])
    if len(raw_rows) > MAX_ROWS:
        raise _Refused([(0, _("More than %(max)s rows: split the file.") % {"max": MAX_ROWS})])

    streams = choice_lookup(CutoverTask.Stream.choices, STREAM_NAMES)
    kinds = choice_lookup(CutoverTask.Kind.choices, KIND_NAMES)
    members = {
        m.user.get_username(): m for m in Membership.objects.filter(project_id=plan.project_id).select_related("user")
    }
    members_folded = {name.casefold(): m for name, m in members.items()}
    existing = {t.number: t for t in plan.tasks.prefetch_related("predecessors")}

    rows: list[_Row] = []
    first_row_of: dict[int, int] = {}
    for row_number, cells in raw_rows:

        def cell(name: str, cells: list[str] = cells) -> str | None:
            index = columns.get(name)
            if index is None:
                return None
            return cells[index] if index < len(cells) else ""

        def refuse(message: str, row_number: int = row_number) -> None:
            errors.append((row_number, message))

        number = _whole_number(cell("number") or "", 1, MAX_NUMBER)
        if number is None:
            refuse(
                _("The number “%(value)s” is not a whole number from 1 to %(max)s.")
                % {"value": cell("number"), "max": MAX_NUMBER}
            )
            continue
        if number in first_row_of:
            refuse(_("Task %(number)s is already in row %(row)s.") % {"number": number, "row": first_row_of[number]})
            continue
        first_row_of[number] = row_number
        task = existing.get(number)
        fields: dict[str, Any] = {}

        title = cell("title") or ""
        if not title:
            refuse(_("Task %(number)s has no title.") % {"number": number})
        elif len(title) > 200:
            refuse(_("The title is longer than 200 characters."))
        fields["title"] = title

        for name, target, lookup, label in (
            ("stream", "stream", streams, _("stream")),
            ("type", "kind", kinds, _("type")),
        ):
            value = cell(name)
            if value is None:
                continue
            if not value:
                if task is None:
                    fields[target] = CutoverTask._meta.get_field(target).default
                continue
            if value.casefold() not in lookup:
                allowed = ", ".join(
                    v for v, _label in (CutoverTask.Stream if name == "stream" else CutoverTask.Kind).choices
                )
                refuse(
                    _("Unknown %(what)s “%(value)s”: use one of %(allowed)s.")
                    % {"what": label, "value": value, "allowed": allowed}
                )
                continue
            fields[target] = lookup[value.casefold()]

        for name in ("owner", "backup"):
            value = cell(name)
            if value is None:
                continue
            if not value:
                fields[name] = None
                continue
            member = members.get(value) or members_folded.get(value.casefold())
            if member is None:
                refuse(_("“%(value)s” is not the username of a member of this project.") % {"value": value})
                continue
            fields[name] = member

        value = cell("duration_minutes")
        if value is not None:
            if not value:
                if task is None:
                    fields["duration_minutes"] = CutoverTask._meta.get_field("duration_minutes").default
            elif (minutes := _whole_number(value, 0, MAX_MINUTES)) is None:
                refuse(
                    _("The duration “%(value)s” is not a whole number of minutes from 0 to %(max)s.")
                    % {"value": value, "max": MAX_MINUTES}
                )
            else:
                fields["duration_minutes"] = minutes

        value = cell("fixed_start")
        if value is not None:
            if not value:
                fields["fixed_start"] = None
            elif (moment := parse_datetime(value)) is None:
                refuse(
                    _("The fixed start “%(value)s” is not a date and time such as 2025-06-06 22:00.") % {"value": value}
                )
            else:
                fields["fixed_start"] = moment

        value = cell("description")
        if value is not None:
            fields["description"] = value

        after: list[int] | None = None
        value = cell("after")
        if value is not None:
            after = []
            for token in AFTER_SEPARATORS.split(value):
                if not token:
                    continue
                predecessor = _whole_number(token, 1, MAX_NUMBER)
                if predecessor is None:
                    refuse(_("“%(value)s” in “after” is not a task number.") % {"value": token})
                elif predecessor == number:
                    refuse(_("A task cannot follow itself."))
                elif predecessor not in after:
                    after.append(predecessor)
        rows.append(_Row(row_number, number, fields, after))

    # The predecessors as they will be: the plan's, replaced by the file's where it has an "after" column.
    known = set(existing) | set(first_row_of)
    edges: dict[int, set[int]] = {n: {p.number for p in t.predecessors.all()} for n, t in existing.items()}
    for row in rows:
        if row.after is None:
            edges.setdefault(row.number, set())
            continue
        missing = [n for n in row.after if n not in known]
        for n in missing:
            errors.append((row.row, _("Task %(number)s is neither in the file nor in the runbook.") % {"number": n}))
        edges[row.number] = {n for n in row.after if n in known}
    if cycle := find_cycle(edges):
        in_file = [n for n in cycle if n in first_row_of]
        at = min(first_row_of[n] for n in in_file) if in_file else 0
        path = " → ".join(str(n) for n in cycle)
        errors.append((at, _("Those tasks would wait for each other in a circle: %(cycle)s.") % {"cycle": path}))
    if errors:
        raise _Refused(errors)
    return _write(plan, rows, existing, user)


def _write(
    plan: CutoverPlan, rows: list[_Row], existing: dict[int, CutoverTask], user: AbstractBaseUser | None
) -> ImportResult:
    result = ImportResult()
    by_number = dict(existing)
    for row in rows:
        task = existing.get(row.number)
        try:
            if task is None:
                task = CutoverTask(plan=plan, number=row.number, **row.fields)
                task.full_clean()
                task._history_user = user
                task.save()
                result.created.append(task)
            else:
                current = {p.number for p in task.predecessors.all()}
                if any(getattr(task, name) != value for name, value in row.fields.items()) or (
                    row.after is not None and set(row.after) != current
                ):
                    for name, value in row.fields.items():
                        setattr(task, name, value)
                    task.full_clean()
                    task._history_user = user
                    save_versioned(task, expected_version=task.version)
                    result.updated.append(task)
                else:
                    result.unchanged += 1
        except ValidationError as exc:
            raise _Refused([(row.row, " ".join(exc.messages))]) from exc
        by_number[row.number] = task
    created = {task.number for task in result.created}
    updated = {task.number for task in result.updated}
    for row in rows:
        if row.after is not None and (row.number in created or row.number in updated):
            by_number[row.number].predecessors.set([by_number[n] for n in row.after])
    return result
