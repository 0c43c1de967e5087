"""Incidents imported from a CSV file, e.g. an export of the vendor's ticket system: all rows, or none.

Columns (header names in English or Chinese, any order; only title and opened are required):
ticket, title, description, severity, vendor, opened, responded, resolved, closed, reporter, assignee.
Severity is critical/major/minor/trivial, 致命/严重/一般/轻微 or P1–P4 (major when empty); times are
"2025-10-09 13:00" and the like in the project's time zone, in order (opened ≤ responded ≤ resolved ≤ closed) and
not in the future; vendor is a vendor's name in this project; reporter and assignee are user names of members.

Each row becomes an incident opened at its time, with its changes: acknowledged when it was responded to, resolved,
closed. Its SLA clocks follow from those like any other incident's. A row whose ticket number is already in the
project (or is the key of an incident opened in the workbench, as the export writes it) is skipped and reported, so
the same export can be imported again as it grows. Any wrong row refuses the whole file, naming the row and what is
wrong.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Incident, Membership, Project, Severity
from projects.services import sla as services
from workbench.textfiles import UnreadableText, choice_lookup, header_key, parse_datetime, read_csv

COLUMNS = [
    "ticket",
    "title",
    "description",
    "severity",
    "vendor",
    "opened",
    "responded",
    "resolved",
    "closed",
    "reporter",
    "assignee",
]
REQUIRED = ("title", "opened")
MAX_ROWS = 5000
HEADER_ALIASES = {
    "ticket": ("ticket_no", "ticket_number", "id", "key", "number", "工单", "工单号", "编号"),
    "title": ("subject", "summary", "标题", "主题", "摘要"),
    "description": ("details", "描述", "说明", "详情"),
    "severity": ("priority", "严重程度", "级别", "优先级"),
    "vendor": ("supplier", "供应商", "厂商"),
    "opened": ("created", "opened_at", "reported", "创建时间", "提报时间", "报告时间"),
    "responded": ("first_response", "acknowledged", "响应时间", "首次响应", "受理时间"),
    "resolved": ("resolved_at", "solved", "解决时间"),
    "closed": ("closed_at", "关闭时间"),
    "reporter": ("报告人", "提报人"),
    "assignee": ("owner", "处理人", "负责人"),
}
HEADER_LOOKUP = {header_key(name): name for name in COLUMNS} | {
    header_key(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}
SEVERITY_NAMES = {
    "p1": "critical",
    "p2": "major",
    "p3": "minor",
    "p4": "trivial",
    "致命": "critical",
    "严重": "major",
    "一般": "minor",
    "轻微": "trivial",
}
MOVES = (
    ("responded", Incident.Status.ACKNOWLEDGED),
    ("resolved", Incident.Status.RESOLVED),
    ("closed", Incident.Status.CLOSED),
)


@dataclass
class IncidentImport:
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, message); row 0: the file itself
    created: list[Incident] = field(default_factory=list)
    skipped: list[tuple[int, Incident]] = field(default_factory=list)  # (row, the incident it already is)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Refused(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors


def incident_import(project: Project, data: bytes, *, user: AbstractBaseUser | None = None) -> IncidentImport:
    try:
        with transaction.atomic():
            return _import(project, data, user)
    except _Refused as refused:
        return IncidentImport(errors=sorted(refused.errors, key=lambda e: e[0]))


def _import(project: Project, data: bytes, user: AbstractBaseUser | None) -> IncidentImport:
    try:
        _header_row, headers, rows = read_csv(data)
    except UnreadableText as exc:
        raise _Refused([(0, str(exc))]) from exc
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = HEADER_LOOKUP.get(header_key(header))
        if name is not None and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if not headers or missing:
        raise _Refused([(0, _("The file needs the columns %(columns)s.") % {"columns": ", ".join(REQUIRED)})])
    if len(rows) > MAX_ROWS:
        raise _Refused([(0, _("More than %(max)s rows: split the file.") % {"max": MAX_ROWS})])

    severities = choice_lookup(Severity.choices, SEVERITY_NAMES)
    vendors = {v.name.casefold(): v for v in project.vendors.all()}
    members = {m.user.username.casefold(): m for m in Membership.objects.filter(project=project).select_related("user")}
    # A ticket number already in the project: the vendor's ticket, or the key of an incident opened here (the
    # export writes it in the ticket column), so that an export imported back adds nothing twice.
    known = {i.external_ref or i.key: i for i in project.incidents.all()}
    now = timezone.now()
    errors: list[tuple[int, str]] = []
    result = IncidentImport()
    seen: dict[str, int] = {}

    for row, cells in rows:
        values = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        problems: list[str] = []
        ticket = values.get("ticket", "")[:60]
        if ticket and ticket in known:
            result.skipped.append((row, known[ticket]))
            continue
        if ticket and ticket in seen:
            problems.append(_("ticket %(ticket)s is also in row %(row)d") % {"ticket": ticket, "row": seen[ticket]})
        if ticket:
            seen.setdefault(ticket, row)
        if not values["title"]:
            problems.append(_("the title is empty"))
        severity = severities.get(values.get("severity", "").casefold(), None) if values.get("severity") else "major"
        if severity is None:
            problems.append(_("“%(value)s” is not a severity") % {"value": values["severity"]})
        fields: dict[str, Any] = {}
        if name := values.get("vendor", ""):
            if (vendor := vendors.get(name.casefold())) is None:
                problems.append(_("there is no vendor “%(name)s” in this project") % {"name": name})
            fields["vendor"] = vendor
        for role in ("reporter", "assignee"):
            if name := values.get(role, ""):
                if (member := members.get(name.casefold())) is None:
                    problems.append(_("“%(name)s” is not a member of this project") % {"name": name})
                fields[role] = member
        moments: dict[str, datetime] = {}
        for column in ("opened", "responded", "resolved", "closed"):
            text = values.get(column, "")
            if not text:
                continue
            if (moment := parse_datetime(text)) is None:
                problems.append(_("“%(value)s” is not a date and time") % {"value": text})
            elif moment > now:
                problems.append(_("%(time)s is in the future") % {"time": text})
            else:
                moments[column] = moment
        if "opened" not in moments and values.get("opened") == "":
            problems.append(_("the opening time is empty"))
        times = [moments[c] for c in ("opened", "responded", "resolved", "closed") if c in moments]
        if times != sorted(times):
            problems.append(_("the times are not in order (opened, responded, resolved, closed)"))
        if "closed" in moments and "resolved" not in moments:
            problems.append(_("a closed ticket needs its resolution time"))
        if problems:
            errors.append((row, "; ".join(problems)))
            continue
        incident = services.incident_create(
            project=project,
            title=values["title"][:200],
            description=values.get("description", ""),
            severity=severity,
            opened_at=moments["opened"],
            external_ref=ticket,
            user=user,
            **fields,
        )
        for column, status in MOVES:
            if column in moments:
                services.incident_move(incident=incident, status=status, at=moments[column], user=user)
        incident.refresh_from_db()
        result.created.append(incident)
    if errors:
        raise _Refused(errors)
    return result
