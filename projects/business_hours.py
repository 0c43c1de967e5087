"""Business hours: adding working time to a moment and measuring the working time between two moments.

Plain Python on plain values, with no database, so that SLA due times, the time used and the compliance figures
agree everywhere and tests need no fixtures. An SLA target of "8 business hours" means 8 hours of the calendar's
working time, counted in the calendar's own timezone (the vendor's office, e.g. Asia/Shanghai).

A `Calendar` has working spans per weekday in minutes after midnight (Monday first; (540, 1080) is 09:00–18:00, a
day may have several spans, e.g. a lunch break), days off (public holidays and closures) and make-up working days
(调休: a Saturday or Sunday worked to bridge a holiday), which take the hours of `makeup_weekday` (Monday unless
told). A day off wins over a make-up day. `always=True` is 24×7: every minute counts, holidays or not.

- `add(calendar, start, minutes)`: the moment when `minutes` of working time have passed after `start`. Work that
  starts outside working hours starts at the next working minute; 0 minutes from a moment outside working hours is
  that next working minute (a ticket opened on Saturday night is answered from Monday 09:00). A result that falls
  exactly at the end of a span stays there (18:00), not at the next morning.
- `between(calendar, start, end)`: the working minutes in [start, end), as a float (seconds count); 0 if end ≤ start.
- Neither looks further than `HORIZON_DAYS` ahead: a calendar without any working time raises `NoWorkingTime`.

`public_days(country, years)` reads a country's public holidays and make-up working days from the `holidays`
package (python-holidays, kept up to date with each government's announcements; for China it knows the 调休
days, e.g. Sunday 28 September 2025 and Saturday 14 February 2026). A year the government has not announced yet
has its fixed holidays but no make-up days: the project adds those by hand when they are announced.
`holiday_names` and `makeup_for` read the same package for people: a holiday's name, and which day off a make-up
working day is worked for.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Span = tuple[int, int]  # minutes after midnight, start < end ≤ 1440
HORIZON_DAYS = 3 * 366
DAY = 24 * 60
MINUTE = 60 * 1_000_000  # microseconds


class NoWorkingTime(ValueError):
    """The calendar has no working time within the horizon."""


@dataclass(frozen=True)
class Calendar:
    timezone: ZoneInfo
    week: tuple[tuple[Span, ...], ...] = ()  # 7 entries, Monday first
    days_off: frozenset[date] = frozenset()
    makeup_days: frozenset[date] = frozenset()
    makeup_weekday: int = 0
    always: bool = False
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.always and len(self.week) != 7:
            raise ValueError("A calendar needs working spans for the 7 days of the week.")
        for spans in self.week:
            for start, end in spans:
                if not 0 <= start < end <= DAY:
                    raise ValueError(f"A working span must lie within the day: {start}–{end}.")

    def spans(self, day: date) -> tuple[Span, ...]:
        """The working spans of one day, in order."""
        if self.always:
            return ((0, DAY),)
        if day in self.days_off:
            return ()
        if day in self.makeup_days:
            return tuple(sorted(self.week[self.makeup_weekday]))
        return tuple(sorted(self.week[day.weekday()]))

    def is_working_day(self, day: date) -> bool:
        return bool(self.spans(day))


def office_week(start: time = time(9), end: time = time(18), lunch: tuple[time, time] | None = None, days: int = 5):
    """Monday to Friday (or the first `days` days) from `start` to `end`, with an optional lunch break."""
    first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    if lunch:
        away, back = lunch[0].hour * 60 + lunch[0].minute, lunch[1].hour * 60 + lunch[1].minute
        spans: tuple[Span, ...] = ((first, away), (back, last))
    else:
        spans = ((first, last),)
    return tuple(spans if weekday < days else () for weekday in range(7))


def _at(calendar: Calendar, day: date, minute: int) -> datetime:
    return datetime.combine(day, time(), tzinfo=calendar.timezone) + timedelta(minutes=minute)


def _local(calendar: Calendar, moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Business hours need aware datetimes.")
    return moment.astimezone(calendar.timezone)


def _windows(calendar: Calendar, start: datetime) -> Iterable[tuple[datetime, datetime]]:
    """The working windows from `start` on, as aware datetimes, clipped to start; at most HORIZON_DAYS of them."""
    local = _local(calendar, start)
    day = local.date()
    for _ in range(HORIZON_DAYS):
        for first, last in calendar.spans(day):
            begin, end = _at(calendar, day, first), _at(calendar, day, last)
            if end <= local:
                continue
            yield max(begin, local), end
        day += timedelta(days=1)


def add(calendar: Calendar, start: datetime, minutes: float) -> datetime:
    """The moment `minutes` of working time after `start` (see the module docstring)."""
    if minutes < 0:
        raise ValueError("Cannot add negative working time.")
    if calendar.always:
        return start + timedelta(minutes=minutes)
    left = timedelta(minutes=minutes)
    for begin, end in _windows(calendar, start):
        if left <= end - begin:
            return begin + left
        left -= end - begin
    raise NoWorkingTime(f"No working time in the {HORIZON_DAYS} days after {start:%Y-%m-%d}.")


def _microsecond_of_day(moment: datetime) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def _worked(spans: tuple[Span, ...], since: int, until: int) -> int:
    """Microseconds of `spans` within [since, until) of one day (both in microseconds after midnight)."""
    return sum(max(0, min(last * MINUTE, until) - max(first * MINUTE, since)) for first, last in spans)


def between(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Working minutes in [start, end): the part of the first day, the whole days between, the part of the last.

    Counted day by day on the spans (wall-clock minutes, as `add` counts them), without making a datetime per span,
    so that an incident open for months is measured as quickly as one open for an hour.
    """
    if end <= start:
        return 0.0
    if calendar.always:
        return (end - start).total_seconds() / 60
    first, last = _local(calendar, start), _local(calendar, end)
    since, until = _microsecond_of_day(first), _microsecond_of_day(last)
    if first.date() == last.date():
        total = _worked(calendar.spans(first.date()), since, until)
    else:
        total = _worked(calendar.spans(first.date()), since, DAY * MINUTE)
        day = first.date() + timedelta(days=1)
        while day < last.date():
            total += _worked(calendar.spans(day), 0, DAY * MINUTE)
            day += timedelta(days=1)
        total += _worked(calendar.spans(last.date()), 0, until)
    return timedelta(microseconds=total).total_seconds() / 60


def within(calendar: Calendar, intervals: Sequence[tuple[datetime, datetime]]) -> float:
    """Working minutes in a set of non-overlapping intervals (e.g. the times a clock was running)."""
    return sum(between(calendar, start, end) for start, end in intervals)


def public_days(country: str, years: Iterable[int]) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, make-up working days) of `country` (ISO code, e.g. "CN") in `years`; empty for no country."""
    if not country:
        return frozenset(), frozenset()
    import holidays

    years = sorted(set(years))
    calendar = holidays.country_holidays(country, years=years)
    makeup = getattr(calendar, "weekend_workdays", set())
    return (
        frozenset(day for day in calendar if day.year in years),
        frozenset(day for day in makeup if day.year in years),
    )


def holiday_names(country: str, year: int, *, chinese: bool = False) -> dict[date, str]:
    """The names of `country`'s public holidays in `year`, in Chinese or English; {} without a country."""
    if not country:
        return {}
    import holidays

    try:
        names = holidays.country_holidays(country, years=[year], language="zh_CN" if chinese else "en_US")
    except NotImplementedError:  # pragma: no cover - a country the package does not know
        return {}
    return dict(names.items())


SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


def makeup_for(country: str, year: int) -> dict[date, date]:
    """Which day off each make-up working day (调休) of `year` is worked for, read from the package's English names
    ("Day off (substituted from 09/20/2026)")."""
    if not country:
        return {}
    import holidays

    try:
        names = holidays.country_holidays(country, years=[year - 1, year, year + 1], language="en_US")
    except NotImplementedError:  # pragma: no cover
        return {}
    pairs = {}
    for day_off, name in names.items():
        for match in SUBSTITUTED.finditer(name):
            pairs[date(int(match[3]), int(match[1]), int(match[2]))] = day_off
    return pairs
