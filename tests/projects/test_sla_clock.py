"""SLA clocks against hand-computed values: response and resolution due times across nights, weekends, National Day
and its make-up working days; pausing while waiting for the customer; reopening; re-rating; warnings and breaches.

The vendor's office: Shanghai, Monday to Friday 09:00–18:00, National Day 2025 off (1–8 October) with the make-up
working days Sunday 28 September and Saturday 11 October. Critical: response 30 min, resolution 4 h; major:
response 2 h, resolution 16 h (business time).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from projects.business_hours import Calendar, office_week
from projects.sla_clock import Change, Targets, clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = Calendar(
    SHANGHAI,
    office_week(),
    days_off=frozenset(date(2025, 10, day) for day in range(1, 9)),
    makeup_days=frozenset({date(2025, 9, 28), date(2025, 10, 11)}),
)
CRITICAL = Targets(response=30, resolution=4 * 60)
MAJOR = Targets(response=2 * 60, resolution=16 * 60)


def at(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}").replace(tzinfo=SHANGHAI)


def history(*moves: tuple[str, str, str]) -> list[Change]:
    return [Change(at(day, time), status) for day, time, status in moves]


def test_an_incident_handled_within_the_day():
    changes = history(("2025-09-16", "10:20", "acknowledged"), ("2025-09-16", "13:00", "resolved"))
    result = clock(OFFICE, at("2025-09-16", "10:00"), changes, CRITICAL, now=at("2025-09-16", "15:00"))

    assert result.response.due == at("2025-09-16", "10:30")
    assert result.response.met_at == at("2025-09-16", "10:20")
    assert result.response.used == 20 and not result.response.breached
    assert result.resolution.used == 180 and result.resolution.left == 60
    assert result.resolution.due == at("2025-09-16", "14:00")
    assert result.resolution.met_at == at("2025-09-16", "13:00")
    assert not result.breached and not result.resolution.running
    assert result.resolution.warning == 75


def test_a_late_evening_incident_answered_next_morning_is_a_late_response():
    changes = history(("2025-09-17", "09:10", "acknowledged"), ("2025-09-17", "09:10", "in_progress"))
    result = clock(OFFICE, at("2025-09-16", "17:00"), changes, CRITICAL, now=at("2025-09-17", "12:00"))

    assert result.response.due == at("2025-09-16", "17:30")
    assert result.response.breached and result.response.used == 70  # 17:00–18:00 and 09:00–09:10
    # Resolution: 1 h on Tuesday and 3 h on Wednesday: all 4 h used by 12:00, due exactly then, not yet over.
    assert result.resolution.used == 240
    assert result.resolution.due == at("2025-09-17", "12:00")
    assert not result.resolution.breached and result.resolution.warning == 100
    assert result.breached  # the response was late


def test_waiting_for_the_customer_stops_the_resolution_clock():
    changes = history(
        ("2025-09-15", "09:15", "acknowledged"),
        ("2025-09-15", "10:00", "waiting"),
        ("2025-09-16", "14:00", "in_progress"),
        ("2025-09-16", "16:00", "resolved"),
    )
    waiting = clock(OFFICE, at("2025-09-15", "09:00"), changes, CRITICAL, now=at("2025-09-15", "15:00"))
    assert waiting.resolution.used == 60 and waiting.resolution.left == 180
    assert waiting.resolution.due is None and not waiting.resolution.running

    resumed = clock(OFFICE, at("2025-09-15", "09:00"), changes, CRITICAL, now=at("2025-09-16", "15:00"))
    assert resumed.resolution.used == 120
    assert resumed.resolution.due == at("2025-09-16", "17:00")  # 180 min left from 14:00
    assert resumed.resolution.running

    done = clock(OFFICE, at("2025-09-15", "09:00"), changes, CRITICAL, now=at("2025-09-17", "09:00"))
    assert done.resolution.used == 180 and not done.resolution.breached
    assert done.resolution.due == at("2025-09-16", "17:00")
    assert done.resolution.met_at == at("2025-09-16", "16:00")


def test_the_clock_stands_still_over_national_day_and_counts_the_make_up_saturday():
    changes = history(("2025-09-30", "15:00", "acknowledged"), ("2025-09-30", "15:00", "in_progress"))
    opened = at("2025-09-30", "14:00")

    on_the_10th = clock(OFFICE, opened, changes, MAJOR, now=at("2025-10-10", "12:00"))
    assert on_the_10th.response.due == at("2025-09-30", "16:00") and not on_the_10th.response.breached
    # 4 h on 30 September, nothing 1–8 October, 9 h on the 9th, 3 h on the 10th: 16 h, due at that very moment.
    assert on_the_10th.resolution.used == 16 * 60
    assert on_the_10th.resolution.due == at("2025-10-10", "12:00")
    assert not on_the_10th.resolution.breached

    on_the_11th = clock(OFFICE, opened, changes, MAJOR, now=at("2025-10-11", "10:00"))
    # The rest of the 10th (6 h) and the make-up Saturday from 09:00 (1 h) count.
    assert on_the_11th.resolution.used == 23 * 60
    assert on_the_11th.resolution.breached


def test_a_friday_evening_incident_is_due_on_the_make_up_sunday():
    result = clock(OFFICE, at("2025-09-26", "17:00"), [], CRITICAL, now=at("2025-09-26", "17:10"))
    assert result.response.due == at("2025-09-26", "17:30")
    assert result.resolution.due == at("2025-09-28", "12:00")  # 1 h on Friday, 3 h on Sunday the 28th (调休)
    assert result.response.running and result.resolution.running
    assert result.response.used == 10 and result.resolution.warning is None


def test_a_reopened_incident_carries_on_where_its_clock_stood():
    changes = history(
        ("2025-09-16", "09:10", "acknowledged"),
        ("2025-09-16", "10:00", "resolved"),
        ("2025-09-17", "09:00", "in_progress"),
        ("2025-09-17", "11:00", "resolved"),
        ("2025-09-18", "09:00", "closed"),
    )
    result = clock(OFFICE, at("2025-09-16", "09:00"), changes, CRITICAL, now=at("2025-09-18", "10:00"))
    assert result.resolution.used == 180  # 60 + 120; the night of the 16th was resolved time
    assert result.resolution.due == at("2025-09-17", "12:00")  # 180 min left at 09:00 on the 17th
    assert result.resolution.met_at == at("2025-09-17", "11:00")
    assert not result.breached


def test_a_re_rated_incident_is_measured_with_its_new_targets_from_the_opening():
    changes = history(("2025-09-16", "10:45", "acknowledged"))
    now = at("2025-09-16", "12:00")
    as_major = clock(OFFICE, at("2025-09-16", "10:00"), changes, MAJOR, now=now)
    as_critical = clock(OFFICE, at("2025-09-16", "10:00"), changes, CRITICAL, now=now)
    assert not as_major.response.breached and as_major.resolution.due == at("2025-09-17", "17:00")
    assert as_critical.response.breached and as_critical.resolution.due == at("2025-09-16", "14:00")
    assert as_critical.resolution.warning == 50


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        clock(
            OFFICE,
            at("2025-09-16", "10:00"),
            history(("2025-09-16", "11:00", "solved")),
            CRITICAL,
            now=at("2025-09-16", "12:00"),
        )
