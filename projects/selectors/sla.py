"""Reads of SLAs: a stored business calendar as the engine's calendar (`projects.business_hours`)."""

from collections.abc import Iterable

from projects.business_hours import Calendar, public_days
from projects.models import BusinessCalendar, CalendarDay


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
