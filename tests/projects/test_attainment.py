"""Attainment and state: the rules the goals pages, API and overview all rely on."""

from datetime import date
from decimal import Decimal as D

import pytest

from projects.attainment import Progress, State, attainment, kpi_state, time_used, worst_state

START, DUE = date(2026, 1, 1), date(2026, 12, 31)


def test_nothing_measured_yet_has_no_attainment_and_no_data():
    reached = attainment(baseline=D(92), target=D("99.5"), latest=None)

    assert reached is None
    assert kpi_state(attainment=reached, start=START, due=DUE, today=date(2026, 6, 1)) == State.NO_DATA


def test_higher_is_better_halfway():
    assert attainment(baseline=D(92), target=D("99.5"), latest=D("95.75")) == D("0.5")


def test_lower_is_better_counts_a_fall_as_progress():
    # month-end close from 5 days to 2: at 4 days a third of the way
    reached = attainment(baseline=D(5), target=D(2), latest=D(4))
    assert reached == D(1) / D(3)
    # and a rise as going backwards
    assert attainment(baseline=D(5), target=D(2), latest=D(6)) < 0


def test_overshooting_the_target_is_achieved_and_shows_above_100_percent():
    reached = attainment(baseline=D(6), target=D("6.9"), latest=D("7.08"))

    assert reached == D("1.2")
    assert kpi_state(attainment=reached, start=START, due=DUE, today=date(2026, 2, 1)) == State.ACHIEVED
    assert Progress(reached, State.ACHIEVED).percent == 120
    assert Progress(reached, State.ACHIEVED).bar_percent == 100


def test_overshooting_a_lower_is_better_target_is_achieved_too():
    reached = attainment(baseline=D(6), target=D("1.8"), latest=D("1.5"))

    assert reached > 1
    assert kpi_state(attainment=reached, start=START, due=DUE, today=date(2026, 3, 1)) == State.ACHIEVED


def test_a_target_equal_to_the_baseline_gives_no_attainment():
    assert attainment(baseline=D(5), target=D(5), latest=D(4)) is None


@pytest.mark.parametrize(
    ("reached", "expected"),
    [
        (D("0.50"), State.ON_TRACK),  # half the time used, half the way: on track
        (D("0.41"), State.ON_TRACK),  # trails by 0.09
        (D("0.35"), State.AT_RISK),  # trails by 0.15
        (D("0.20"), State.OFF_TRACK),  # trails by 0.30
        (D("-0.1"), State.OFF_TRACK),  # went backwards
    ],
)
def test_state_compares_attainment_with_the_share_of_time_used(reached, expected):
    halfway = date(2026, 7, 2)
    assert time_used(start=START, due=DUE, today=halfway) == D(182) / D(364)

    assert kpi_state(attainment=reached, start=START, due=DUE, today=halfway) == expected


def test_a_due_date_passed_short_of_the_target_is_off_track():
    assert kpi_state(attainment=D("0.95"), start=START, due=DUE, today=date(2027, 1, 2)) == State.OFF_TRACK


def test_before_the_baseline_date_nothing_is_expected_yet():
    assert kpi_state(attainment=D(0), start=START, due=DUE, today=date(2025, 12, 1)) == State.ON_TRACK


def test_without_a_time_frame_progress_is_judged_by_direction_alone():
    assert kpi_state(attainment=D("0.1"), start=None, due=None, today=date(2026, 5, 1)) == State.ON_TRACK
    assert kpi_state(attainment=D(0), start=None, due=None, today=date(2026, 5, 1)) == State.AT_RISK
    assert kpi_state(attainment=D("-0.1"), start=None, due=None, today=date(2026, 5, 1)) == State.OFF_TRACK


def test_a_goal_takes_the_worst_state_of_its_measured_kpis():
    assert worst_state([State.ACHIEVED, State.AT_RISK, State.NO_DATA]) == State.AT_RISK
    assert worst_state([State.ON_TRACK, State.OFF_TRACK]) == State.OFF_TRACK
    assert worst_state([State.NO_DATA, State.NO_DATA]) == State.NO_DATA
    assert worst_state([]) == State.NO_DATA
