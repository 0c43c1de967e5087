"""Write operations of SLAs and incidents, with their rules.

- An incident gets the next number of its project (INC-001 …) and its first change, "new" at its opening.
- Its status moves along new → acknowledged → in progress ⇄ waiting → resolved → closed; a resolved incident can be
  reopened (in progress) and a closed one cannot move. Every move is a change with its time: now, or a time typed
  after the fact that is neither in the future nor before the previous change. The SLA clocks are computed from
  those changes (`projects.selectors.sla.incident_clock`), never typed.
- A service level is one per vendor and severity, on a calendar of the same project; a calendar a service level
  counts its hours on cannot be deleted. Calendars and service levels are versioned: an edit saves only over the
  version it was made on.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projects.models import (
    BusinessCalendar,
    CalendarDay,
    Incident,
    IncidentChange,
    IncidentSequence,
    Project,
    ServiceLevel,
)
from workbench.errors import BusinessRuleError
from workbench.locking import save_versioned
from workbench.sequences import next_number

Status = Incident.Status
MOVES: dict[str, set[str]] = {
    Status.NEW: {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED},
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.WAITING, Status.RESOLVED},
    Status.WAITING: {Status.IN_PROGRESS, Status.RESOLVED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: set(),
}


class SLAError(BusinessRuleError):
    """An SLA rule refused the change; the message is shown to the user as it is."""


def _member_of(project: Project, **members: Any) -> None:
    for member in members.values():
        if member is not None and member.project_id != project.pk:
            raise SLAError(_("Reporter and assignee must be members of this project."))


def _linked_to(project: Project, fields: dict[str, Any]) -> None:
    for name in ("vendor", "requirement", "uat_case", "defect"):
        item = fields.get(name)
        if item is not None and item.project_id != project.pk:
            raise SLAError(_("Link only items of this project."))


def _save(item: Any, user: AbstractBaseUser | None, expected_version: int | None) -> Any:
    """Check and save a calendar or a service level: created as it is, or updated when at `expected_version`."""
    item.full_clean()
    item._history_user = user
    if item.pk is None:
        item.save()
        return item
    return save_versioned(item, expected_version=item.version if expected_version is None else expected_version)


@transaction.atomic
def calendar_save(
    calendar: BusinessCalendar, *, user: AbstractBaseUser | None = None, expected_version: int | None = None
) -> BusinessCalendar:
    """Add a business calendar, or save an edit of one made at `expected_version`."""
    return _save(calendar, user, expected_version)


@transaction.atomic
def calendar_delete(calendar: BusinessCalendar, *, user: AbstractBaseUser | None = None) -> None:
    """Delete a calendar no service level counts its hours on (the history keeps it)."""
    vendors = sorted({level.vendor.name for level in calendar.service_levels.select_related("vendor")})
    if not vendors:
        calendar._history_user = user
        try:
            calendar.delete()
            return
        except ProtectedError:  # a service level was put on it meanwhile
            vendors = sorted({level.vendor.name for level in calendar.service_levels.select_related("vendor")})
    raise SLAError(
        _(
            "The service levels of %(vendors)s count their hours on “%(calendar)s”. Move them to another calendar "
            "before deleting this one."
        )
        % {"vendors": ", ".join(vendors), "calendar": calendar.name}
    )


def calendar_day_add(day: CalendarDay, *, user: AbstractBaseUser | None = None) -> CalendarDay:
    """Add a closure or a working day of the calendar's own; a date it already has is refused."""
    day.full_clean()
    day._history_user = user
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError as exc:  # another request added the date after the check
        raise SLAError(
            _("%(day)s is already in this calendar.") % {"day": date_format(day.date, "SHORT_DATE_FORMAT")}
        ) from exc
    return day


@transaction.atomic
def calendar_day_delete(day: CalendarDay, *, user: AbstractBaseUser | None = None) -> None:
    day._history_user = user
    day.delete()


@transaction.atomic
def service_level_save(
    level: ServiceLevel, *, user: AbstractBaseUser | None = None, expected_version: int | None = None
) -> ServiceLevel:
    """Add a vendor's service level for a severity, or save an edit of one made at `expected_version`."""
    return _save(level, user, expected_version)


@transaction.atomic
def service_level_delete(level: ServiceLevel, *, user: AbstractBaseUser | None = None) -> None:
    """Delete a service level: its incidents then have no SLA clocks (the history keeps it)."""
    level._history_user = user
    level.delete()


@transaction.atomic
def incident_create(
    *,
    project: Project,
    title: str,
    opened_at: datetime | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> Incident:
    """Open an incident: the next number, the first change ("new") at its opening (now unless given, not later)."""
    now = timezone.now()
    opened_at = opened_at or now
    if opened_at > now + timedelta(minutes=1):
        raise SLAError(_("An incident cannot be opened in the future."))
    _member_of(project, reporter=fields.get("reporter"), assignee=fields.get("assignee"))
    _linked_to(project, fields)
    incident = Incident(project=project, title=title.strip(), opened_at=opened_at, **fields)
    incident.number = 0  # given below, once the rest is known to be valid
    incident.full_clean(exclude=["number"])
    incident.number = next_number(IncidentSequence, project)
    incident._history_user = user
    incident.save()
    IncidentChange.objects.create(incident=incident, at=opened_at, status=Status.NEW, by=user)
    return incident


@transaction.atomic
def incident_update(
    *, incident: Incident, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> Incident:
    """Change what the incident says (title, severity, links …); its status moves only by `incident_move`."""
    for frozen in ("project", "number", "status", "opened_at", "version"):
        fields.pop(frozen, None)
    _member_of(incident.project, reporter=fields.get("reporter"), assignee=fields.get("assignee"))
    _linked_to(incident.project, fields)
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.full_clean()
    incident._history_user = user
    return save_versioned(incident, expected_version=expected_version)


@transaction.atomic
def incident_move(
    *,
    incident: Incident,
    status: str,
    at: datetime | None = None,
    note: str = "",
    user: AbstractBaseUser | None = None,
) -> IncidentChange:
    """Move the incident to `status` now (or at `at`, typed after the fact) and record the change."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if status not in MOVES[incident.status]:
        raise SLAError(
            _("An incident that is “%(current)s” cannot move to “%(status)s”.")
            % {"current": incident.get_status_display(), "status": dict(Status.choices).get(status, status)}
        )
    now = timezone.now()
    at = at or now
    if at > now + timedelta(minutes=1):
        raise SLAError(_("That time is in the future."))
    last = incident.changes.order_by("-at", "-pk").first()
    if last is not None and at < last.at:
        raise SLAError(
            _("That time is before the incident's last change (%(moment)s).")
            % {"moment": date_format(timezone.localtime(last.at), "SHORT_DATETIME_FORMAT")}
        )
    change = IncidentChange.objects.create(incident=incident, at=at, status=status, by=user, note=note.strip())
    incident.status = status
    incident._history_user = user
    save_versioned(incident, expected_version=incident.version)  # an edit opened before the move is then stale
    return change
