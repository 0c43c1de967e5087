"""Reads of SLAs: a stored business calendar as the engine's calendar, an incident's SLA clocks."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from projects.business_hours import Calendar, public_days
from projects.models import BusinessCalendar, CalendarDay, Incident, ServiceLevel
from projects.sla_clock import Change, Clock, Targets, clock


def engine_calendar(calendar: BusinessCalendar, years: Iterable[int]) -> Calendar:
    """The calendar for the given years: its week, the country's public days, then its own days on top.

    A closure of its own wins over everything; a working day of its own (e.g. a make-up day announced after the
    `holidays` package was released) makes the day a working day with the hours of `makeup_weekday`.
    """
    days_off, makeup = public_days(calendar.country, years)
    closed, working = set(), set()
    for day, kind in calendar.days.values_list("date", "kind"):
        (closed if kind == CalendarDay.Kind.CLOSED else working).add(day)
    return Calendar(
        calendar.zone(),
        calendar.week(),
        days_off=frozenset((days_off - working) | closed),
        makeup_days=frozenset((makeup | working) - closed),
        makeup_weekday=calendar.makeup_weekday,
        always=calendar.always,
        name=calendar.name,
    )


def service_level_of(incident: Incident) -> ServiceLevel | None:
    """The vendor's service level for the incident's severity now, or None (no vendor, or no SLA for it)."""
    if incident.vendor_id is None:
        return None
    return (
        ServiceLevel.objects.select_related("calendar")
        .filter(project_id=incident.project_id, vendor_id=incident.vendor_id, severity=incident.severity)
        .first()
    )


def incident_clock(incident: Incident, now: datetime | None = None) -> Clock | None:
    """The incident's SLA clocks at `now` from its changes, or None when no service level applies."""
    level = service_level_of(incident)
    if level is None:
        return None
    now = now or timezone.now()
    changes = [Change(at, status) for at, status in incident.changes.values_list("at", "status")]
    years = range(incident.opened_at.year, max(now.year, incident.opened_at.year) + 2)
    calendar = engine_calendar(level.calendar, years)
    targets = Targets(response=round(level.response_hours * 60), resolution=round(level.resolution_hours * 60))
    return clock(calendar, incident.opened_at, changes, targets, now)
