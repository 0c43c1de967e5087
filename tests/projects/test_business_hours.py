"""Business hours against hand-computed values: nights, weekends, public holidays, make-up working days (调休),
lunch breaks, 24×7, and measuring the time between two moments.

The calendar is Shanghai's office week, Monday to Friday 09:00–18:00, with National Day 2025 (1–8 October off)
and its make-up working days, Sunday 28 September and Saturday 11 October.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from projects.business_hours import Calendar, NoWorkingTime, add, between, office_week, within

SHANGHAI = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY = frozenset(date(2025, 10, day) for day in range(1, 9))
MAKEUP = frozenset({date(2025, 9, 28), date(2025, 10, 11)})
OFFICE = Calendar(SHANGHAI, office_week(), days_off=NATIONAL_DAY, makeup_days=MAKEUP)


def at(day: str, clock: str = "00:00", zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=zone)


def test_time_within_one_working_day():
    assert add(OFFICE, at("2025-09-16", "10:00"), 4 * 60) == at("2025-09-16", "14:00")


def test_the_end_of_the_day_is_reached_not_skipped():
    assert add(OFFICE, at("2025-09-16", "17:00"), 60) == at("2025-09-16", "18:00")


def test_work_left_at_night_goes_on_next_morning():
    # Tuesday 16:00 + 4 h: 2 h on Tuesday, 2 h from Wednesday 09:00.
    assert add(OFFICE, at("2025-09-16", "16:00"), 4 * 60) == at("2025-09-17", "11:00")


def test_a_ticket_opened_at_night_starts_counting_next_morning():
    assert add(OFFICE, at("2025-09-16", "22:30"), 30) == at("2025-09-17", "09:30")


def test_the_weekend_is_skipped():
    # Friday 17:00 + 3 h: 1 h on Friday, then Monday 09:00–11:00.
    assert add(OFFICE, at("2025-09-19", "17:00"), 3 * 60) == at("2025-09-22", "11:00")


def test_zero_time_on_a_saturday_is_monday_morning():
    assert add(OFFICE, at("2025-09-20", "12:00"), 0) == at("2025-09-22", "09:00")


def test_a_make_up_sunday_is_a_working_day():
    # Friday 26 September 17:00 + 2 h: 1 h on Friday, then Sunday the 28th (调休) 09:00–10:00.
    assert add(OFFICE, at("2025-09-26", "17:00"), 2 * 60) == at("2025-09-28", "10:00")


def test_the_public_holiday_is_skipped_and_the_make_up_saturday_counts():
    # Tuesday 30 September 14:00 + 8 h: 4 h on the 30th; 1–8 October off (National Day);
    # Thursday the 9th and Friday the 10th are working days again.
    assert add(OFFICE, at("2025-09-30", "14:00"), 8 * 60) == at("2025-10-09", "13:00")
    # 4 h + 9 h + 9 h = 22 h by Friday evening; 2 more hours fall on the make-up Saturday the 11th.
    assert add(OFFICE, at("2025-09-30", "14:00"), 24 * 60) == at("2025-10-11", "11:00")


def test_a_day_off_wins_over_a_make_up_day():
    calendar = Calendar(SHANGHAI, office_week(), days_off=frozenset({date(2025, 9, 28)}), makeup_days=MAKEUP)
    assert not calendar.is_working_day(date(2025, 9, 28))


def test_a_lunch_break_does_not_count():
    calendar = Calendar(SHANGHAI, office_week(time(9), time(18), lunch=(time(12), time(13))))
    # 11:00 + 2 h: 11–12, lunch, 13–14.
    assert add(calendar, at("2025-09-16", "11:00"), 2 * 60) == at("2025-09-16", "14:00")
    assert between(calendar, at("2025-09-16", "09:00"), at("2025-09-16", "18:00")) == 8 * 60


def test_around_the_clock_counts_every_minute_holidays_too():
    always = Calendar(SHANGHAI, always=True)
    assert add(always, at("2025-09-30", "22:00"), 4 * 60) == at("2025-10-01", "02:00")
    assert between(always, at("2025-10-01"), at("2025-10-02")) == 24 * 60


def test_time_between_two_moments_skips_nights_weekends_and_holidays():
    assert between(OFFICE, at("2025-09-16", "16:00"), at("2025-09-17", "11:00")) == 4 * 60
    assert between(OFFICE, at("2025-09-19", "17:00"), at("2025-09-22", "11:00")) == 3 * 60
    # Tuesday 30 September 14:00 to Saturday 11 October 11:00: 4 + 9 + 9 + 2 hours.
    assert between(OFFICE, at("2025-09-30", "14:00"), at("2025-10-11", "11:00")) == 24 * 60


def test_between_counts_seconds_and_is_zero_backwards():
    assert between(OFFICE, at("2025-09-16", "10:00"), at("2025-09-16", "10:00:30")) == 0.5
    assert between(OFFICE, at("2025-09-16", "11:00"), at("2025-09-16", "10:00")) == 0


def test_moments_in_another_timezone_are_read_in_the_calendar_s():
    # 01:00 UTC is 09:00 in Shanghai.
    utc = ZoneInfo("UTC")
    assert add(OFFICE, at("2025-09-16", "01:00", utc), 60) == at("2025-09-16", "10:00")
    assert add(OFFICE, at("2025-09-16", "01:00", utc), 60).astimezone(utc) == at("2025-09-16", "02:00", utc)


def test_time_within_running_intervals_leaves_out_the_pauses():
    running = [
        (at("2025-09-16", "10:00"), at("2025-09-16", "12:00")),  # 2 h, then waiting for the customer
        (at("2025-09-17", "09:30"), at("2025-09-17", "10:00")),  # 30 min
    ]
    assert within(OFFICE, running) == 150


def test_a_calendar_without_working_time_says_so():
    with pytest.raises(NoWorkingTime):
        add(Calendar(SHANGHAI, tuple(() for _ in range(7))), at("2025-09-16"), 1)


@pytest.mark.parametrize(
    "week",
    [
        tuple(((600, 540),) for _ in range(7)),  # ends before it starts
        tuple(((0, 1441),) for _ in range(7)),  # past midnight
        (((540, 1080),),) * 6,  # six days
    ],
)
def test_a_malformed_week_is_refused(week):
    with pytest.raises(ValueError):
        Calendar(SHANGHAI, week)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add(OFFICE, datetime(2025, 9, 16, 10), 60)


def test_adding_then_measuring_gives_the_same_time_back():
    start = at("2025-09-25", "15:20")
    for minutes in (0, 1, 45, 9 * 60, 17 * 60 + 5, 40 * 60):
        due = add(OFFICE, start, minutes)
        assert between(OFFICE, start, due) == minutes
        assert due - start >= timedelta(minutes=minutes)


def test_china_s_holidays_and_make_up_working_days_come_from_the_holidays_package():
    from projects.business_hours import public_days

    days_off, makeup = public_days("CN", [2025, 2026])

    assert {date(2025, 10, 1), date(2025, 10, 8), date(2026, 2, 17)} <= days_off  # National Day, Spring Festival
    assert {date(2025, 9, 28), date(2025, 10, 11), date(2026, 2, 14)} <= makeup  # a Sunday and two Saturdays
    assert not any(day.year == 2024 for day in days_off | makeup)
    calendar = Calendar(SHANGHAI, office_week(), days_off=days_off, makeup_days=makeup)
    # Friday 26 September 2025 17:00 + 2 h: 1 h on Friday, then the make-up Sunday 09:00–10:00.
    assert add(calendar, at("2025-09-26", "17:00"), 2 * 60) == at("2025-09-28", "10:00")
    # Tuesday 30 September 14:00 + 8 h: National Day and Mid-Autumn run to 8 October; Thursday the 9th 13:00.
    assert add(calendar, at("2025-09-30", "14:00"), 8 * 60) == at("2025-10-09", "13:00")


def test_no_country_means_no_public_days():
    from projects.business_hours import public_days

    assert public_days("", [2026]) == (frozenset(), frozenset())


def test_the_holidays_have_their_names_and_each_make_up_day_its_day_off():
    from projects.business_hours import holiday_names, makeup_for

    assert holiday_names("CN", 2026, chinese=True)[date(2026, 10, 1)] == "国庆节"
    assert holiday_names("CN", 2026)[date(2026, 10, 1)] == "National Day"
    # Sunday 20 September is worked for Tuesday 6 October, Saturday 10 October for Wednesday 7 October.
    worked_for = makeup_for("CN", 2026)
    assert (worked_for[date(2026, 9, 20)], worked_for[date(2026, 10, 10)]) == (date(2026, 10, 6), date(2026, 10, 7))
    assert holiday_names("", 2026) == {} and makeup_for("", 2026) == {}
