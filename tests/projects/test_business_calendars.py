"""Business calendars as stored: hours typed per weekday, checked; the country's public days and the calendar's own
closures and working days combined into the engine's calendar, against hand-computed due times."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from projects.business_hours import add
from projects.models import BusinessCalendar, CalendarDay
from projects.models.sla import parse_spans
from projects.selectors.sla import engine_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("09:00-18:00", ((540, 1080),)),
        ("13:00-18:00, 09:00-12:00", ((540, 720), (780, 1080))),
        ("08:30 - 12:00；13:00-17:30", ((510, 720), (780, 1050))),
        ("00:00-24:00", ((0, 1440),)),
        ("", ()),
    ],
)
def test_hours_are_read_as_minutes_after_midnight(text, spans):
    assert parse_spans(text) == spans


@pytest.mark.parametrize("text", ["9-18", "18:00-09:00", "09:00-12:00, 11:00-13:00", "09:00-25:00", "09:60-10:00"])
def test_hours_that_cannot_be_read_are_refused(text):
    with pytest.raises(ValueError):
        parse_spans(text)


def test_a_calendar_with_bad_hours_or_time_zone_says_which(project):
    calendar = BusinessCalendar(project=project, name="Office", timezone="Asia/Peking", tue="9 to 6")
    with pytest.raises(ValidationError) as refused:
        calendar.full_clean()
    assert set(refused.value.message_dict) == {"timezone", "tue"}


def test_a_calendar_without_any_working_hours_is_refused_unless_around_the_clock(project):
    empty = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "")
    with pytest.raises(ValidationError) as refused:
        BusinessCalendar(project=project, name="Never", **empty).full_clean()
    assert "mon" in refused.value.message_dict
    BusinessCalendar(project=project, name="24×7", always=True, **empty).full_clean()


def test_china_s_public_days_come_with_the_calendar(project):
    office = BusinessCalendar.objects.create(project=project, name="Vendor office")
    calendar = engine_calendar(office, [2025])
    # Tuesday 30 September 2025 16:00 + 4 h: 2 h that day; National Day and Mid-Autumn to 8 October; 9th 11:00.
    assert add(calendar, at("2025-09-30", "16:00"), 4 * 60) == at("2025-10-09", "11:00")
    # Saturday 11 October is a make-up working day.
    assert add(calendar, at("2025-10-10", "17:00"), 2 * 60) == at("2025-10-11", "10:00")


def test_the_calendar_s_own_days_win(project):
    office = BusinessCalendar.objects.create(project=project, name="Vendor office", sat="09:00-12:00")
    CalendarDay.objects.create(calendar=office, date=date(2025, 10, 9), kind="closed", reason="Stock-take")
    CalendarDay.objects.create(calendar=office, date=date(2025, 10, 8), kind="working", reason="On call")
    calendar = engine_calendar(office, [2025])
    # 7 October (a holiday) 17:00 + 2 h: the 8th is worked with Monday's hours, 09:00–11:00.
    assert add(calendar, at("2025-10-07", "17:00"), 2 * 60) == at("2025-10-08", "11:00")
    # The 8th 17:00 + 2 h: 1 h on the 8th; the 9th is closed; the 10th 09:00–10:00.
    assert add(calendar, at("2025-10-08", "17:00"), 2 * 60) == at("2025-10-10", "10:00")
    # A make-up Saturday works Monday's hours, not the calendar's Saturday mornings: 11 October 09:00 + 5 h = 14:00.
    assert add(calendar, at("2025-10-11", "09:00"), 5 * 60) == at("2025-10-11", "14:00")


def test_without_a_country_only_the_week_counts(project):
    office = BusinessCalendar.objects.create(project=project, name="Plain week", country="")
    calendar = engine_calendar(office, [2025])
    assert add(calendar, at("2025-10-01", "09:00"), 60) == at("2025-10-01", "10:00")


def test_a_calendar_keeps_its_history(project, owner):
    office = BusinessCalendar.objects.create(project=project, name="Vendor office")
    office.fri = "09:00-17:00"
    office._history_user = owner
    office.save()
    assert [h.fri for h in office.history.order_by("history_id")] == ["09:00-18:00", "09:00-17:00"]
