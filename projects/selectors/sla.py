"""Reads of SLAs: a stored business calendar as the engine's calendar, an incident's SLA clocks."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from projects.business_hours import Calendar, public_days
from projects.models import BusinessCalendar, CalendarDay, Incident, IncidentChange, Project, ServiceLevel
from projects.sla_clock import Change, Clock, Targets, clock
from projects.sla_compliance import Outcome


def engine_calendar(calendar: BusinessCalendar, years: Iterable[int]) -> Calendar:
    """The calendar for the given years: its week, the country's public days, then its own days on top.

    A closure of its own wins over everything; a working day of its own (e.g. a make-up day announced after the
    `holidays` package was released) makes the day a working day with the hours of `makeup_weekday`.
    """
    return _engine_calendar(calendar, years, calendar.days.values_list("date", "kind"))


def _engine_calendar(
    calendar: BusinessCalendar, years: Iterable[int], own_days: Iterable[tuple[date, str]]
) -> Calendar:
    days_off, makeup = public_days(calendar.country, years)
    closed, working = set(), set()
    for day, kind in own_days:
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
    return incident_clocks([incident], now)[incident.pk]


def incident_clocks(incidents: Sequence[Incident], now: datetime | None = None) -> dict[int, Clock | None]:
    """The SLA clocks of many incidents of one project at `now`, by incident pk, in three queries.

    The same figures as `incident_clock` one by one: the service levels and calendars are read once, the changes
    of all the incidents in one query, and each calendar is built once for the years the incidents span.
    """
    now = now or timezone.now()
    if not incidents:
        return {}
    project_ids = {i.project_id for i in incidents}
    levels = {
        (level.vendor_id, level.severity): level
        for level in ServiceLevel.objects.select_related("calendar").filter(project_id__in=project_ids)
    }
    changes: dict[int, list[Change]] = defaultdict(list)
    for incident_id, at, status in IncidentChange.objects.filter(incident__in=[i.pk for i in incidents]).values_list(
        "incident_id", "at", "status"
    ):
        changes[incident_id].append(Change(at, status))
    first_year = min(i.opened_at.year for i in incidents)
    years = range(first_year, max(now.year, first_year) + 2)
    calendars: dict[int, Calendar] = {}
    days = defaultdict(list)
    calendar_ids = {level.calendar_id for level in levels.values()}
    for calendar_id, day, kind in CalendarDay.objects.filter(calendar_id__in=calendar_ids).values_list(
        "calendar_id", "date", "kind"
    ):
        days[calendar_id].append((day, kind))
    clocks: dict[int, Clock | None] = {}
    for incident in incidents:
        level = levels.get((incident.vendor_id, incident.severity))
        if level is None:
            clocks[incident.pk] = None
            continue
        if level.calendar_id not in calendars:
            calendars[level.calendar_id] = _engine_calendar(level.calendar, years, days[level.calendar_id])
        targets = Targets(response=round(level.response_hours * 60), resolution=round(level.resolution_hours * 60))
        engine = calendars[level.calendar_id]
        clocks[incident.pk] = clock(engine, incident.opened_at, changes[incident.pk], targets, now)
    return clocks


def outcome_of(incident: Incident, clock_: Clock, now: datetime) -> Outcome:
    """The incident as measured for compliance and hypercare (see `projects.sla_compliance.Outcome`)."""
    response, resolution = clock_.response, clock_.resolution
    is_open = incident.is_open
    response_met = None if response.running and not response.breached else not response.breached
    resolution_met = None if is_open and not resolution.breached else not resolution.breached
    return Outcome(
        opened_at=timezone.localtime(incident.opened_at),  # months and weeks are the project's, not UTC's
        severity=incident.severity,
        vendor=incident.vendor.name if incident.vendor_id else "",
        open=is_open,
        response_minutes=None if response.running else response.used,
        response_met=response_met,
        resolution_minutes=None if is_open else resolution.used,
        resolution_met=resolution_met,
    )


@dataclass(frozen=True)
class Measured:
    """An incident under a service level with its clocks and its outcome, at one moment."""

    incident: Incident
    clock: Clock
    outcome: Outcome

    @property
    def month(self) -> str:
        """The month it was opened in the project's time zone, as "2026-09"."""
        return f"{self.outcome.opened_at:%Y-%m}"


def measure(project: Project, now: datetime | None = None) -> tuple[list[Measured], int]:
    """The project's incidents under a service level measured at `now` (oldest first), and how many have none; the
    compliance page, the SLA report and hypercare all read them from here."""
    now = now or timezone.now()
    incidents = list(
        Incident.objects.filter(project=project, opened_at__lte=now).select_related("vendor").order_by("opened_at")
    )
    clocks = incident_clocks(incidents, now)
    measured = [Measured(i, clocks[i.pk], outcome_of(i, clocks[i.pk], now)) for i in incidents if clocks[i.pk]]
    return measured, len(incidents) - len(measured)
