"""The cutover scheduling engine on hand-computed runbooks: forecast times, slack, critical path, late tasks, cycles.

Every expected time below was worked out by hand from the rules in the module docstring.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from projects.cutover_schedule import (
    Schedule,
    ScheduleCycle,
    Slot,
    Task,
    find_cycle,
    reestimate,
    schedule,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hhmm: str, day: int = 14) -> datetime:
    """A time on the cutover weekend (2026-03-14 is a Saturday), Shanghai time."""
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def times(plan: Schedule, tid: int) -> tuple[datetime, datetime]:
    return plan.slots[tid].start, plan.slots[tid].finish


def test_a_chain_runs_back_to_back_and_is_critical_throughout():
    tasks = [  # listed out of order on purpose
        Task(3, 15, predecessors=(2,)),
        Task(1, 30),
        Task(2, 45, predecessors=(1,)),
    ]
    plan = schedule(tasks, start=at("22:00", day=13))

    assert times(plan, 1) == (at("22:00", day=13), at("22:30", day=13))
    assert times(plan, 2) == (at("22:30", day=13), at("23:15", day=13))
    assert times(plan, 3) == (at("23:15", day=13), at("23:30", day=13))
    assert plan.end == at("23:30", day=13)
    assert plan.start == at("22:00", day=13)
    assert plan.critical_path == [1, 2, 3]
    assert plan.order() == [1, 2, 3]
    for slot in plan.slots.values():
        assert slot.slack == 0
        assert slot.critical
        assert not slot.late
        assert (slot.late_start, slot.late_finish) == (slot.start, slot.finish)


def test_a_diamond_is_critical_through_the_longer_branch_and_the_shorter_has_slack():
    # 1 freeze (10) → 2 final stock count (60) and 3 snapshot balances (20) → 4 load (5)
    tasks = [
        Task(1, 10),
        Task(2, 60, predecessors=(1,)),
        Task(3, 20, predecessors=(1,)),
        Task(4, 5, predecessors=(2, 3)),
    ]
    plan = schedule(tasks, start=at("00:00"))

    assert times(plan, 1) == (at("00:00"), at("00:10"))
    assert times(plan, 2) == (at("00:10"), at("01:10"))
    assert times(plan, 3) == (at("00:10"), at("00:30"))
    assert times(plan, 4) == (at("01:10"), at("01:15"))
    assert plan.end == at("01:15")
    assert plan.critical_path == [1, 2, 4]

    short = plan.slots[3]
    assert (short.late_start, short.late_finish) == (at("00:50"), at("01:10"))
    assert short.slack == 40
    assert not short.critical
    assert [plan.slots[tid].critical for tid in (1, 2, 4)] == [True, True, True]
    assert plan.order() == [1, 2, 3, 4]


def test_a_fixed_time_task_waits_for_its_time_and_its_predecessors_gain_slack():
    # 1 last receipt (30) → 2 switch the tills at 06:00 (60) → 3 first-day checks (30);
    # 4 parallel: reconcile (200); 5 notify the shop at 05:00 (10), nothing after it.
    tasks = [
        Task(1, 30),
        Task(2, 60, predecessors=(1,), fixed_start=at("06:00")),
        Task(3, 30, predecessors=(2,)),
        Task(4, 200),
        Task(5, 10, fixed_start=at("05:00")),
    ]
    plan = schedule(tasks, start=at("04:00"))

    assert times(plan, 1) == (at("04:00"), at("04:30"))
    assert times(plan, 2) == (at("06:00"), at("07:00"))  # waits 90 minutes for its time
    assert times(plan, 3) == (at("07:00"), at("07:30"))
    assert times(plan, 4) == (at("04:00"), at("07:20"))
    assert times(plan, 5) == (at("05:00"), at("05:10"))
    assert plan.end == at("07:30")

    # the fixed-time task cannot move: no slack, critical, and the path to the end starts there
    assert (plan.slots[2].late_start, plan.slots[2].late_finish) == (at("06:00"), at("07:00"))
    assert plan.slots[2].slack == 0
    assert plan.slots[2].critical
    assert plan.critical_path == [2, 3]
    # its predecessor may finish as late as 06:00
    assert (plan.slots[1].late_start, plan.slots[1].late_finish) == (at("05:30"), at("06:00"))
    assert plan.slots[1].slack == 90
    assert not plan.slots[1].critical
    assert plan.slots[4].slack == 10
    assert not plan.slots[4].critical
    # a fixed-time task is critical (it has no room) even where it does not drive the end
    assert plan.slots[5].slack == 0
    assert plan.slots[5].critical
    assert 5 not in plan.critical_path
    assert not any(slot.late for slot in plan.slots.values())
    assert plan.order() == [1, 4, 5, 2, 3]


def test_a_fixed_time_task_pushed_by_its_predecessor_is_late_and_on_the_path():
    # final stock count (90) must end before the channel switch fixed at 05:00; it cannot
    tasks = [
        Task(1, 90),
        Task(2, 30, predecessors=(1,), fixed_start=at("05:00")),
        Task(3, 45),
    ]
    plan = schedule(tasks, start=at("04:00"))

    assert times(plan, 1) == (at("04:00"), at("05:30"))
    assert times(plan, 2) == (at("05:30"), at("06:00"))
    assert plan.slots[2].late
    assert not plan.slots[1].late
    assert plan.end == at("06:00")
    assert plan.critical_path == [1, 2]
    assert plan.slots[1].critical and plan.slots[2].critical
    assert plan.slots[3].slack == 75


def test_a_pending_fixed_time_task_not_started_by_now_is_late():
    tasks = [
        Task(1, 30, status="done", actual_start=at("04:00"), actual_end=at("04:30")),
        Task(2, 15, predecessors=(1,), fixed_start=at("05:00")),
    ]
    on_time = schedule(tasks, start=at("04:00"), now=at("04:45"))
    assert times(on_time, 2) == (at("05:00"), at("05:15"))
    assert not on_time.slots[2].late

    missed = schedule(tasks, start=at("04:00"), now=at("05:10"))
    assert times(missed, 2) == (at("05:10"), at("05:25"))
    assert missed.slots[2].late
    assert missed.end == at("05:25")
    assert missed.critical_path == [2]


def test_a_running_task_past_its_duration_shifts_its_successors_the_end_and_the_path():
    # 1 data load (30) → 2 reconciliation (60) → 4 go-live (milestone); 3 parallel run comparison (100) → 4
    tasks = [
        Task(1, 30, status="running", actual_start=at("04:00")),
        Task(2, 60, predecessors=(1,)),
        Task(3, 100, status="running", actual_start=at("04:00")),
        Task(4, 0, predecessors=(2, 3)),
    ]
    as_planned = schedule(tasks, start=at("04:00"))
    assert times(as_planned, 1) == (at("04:00"), at("04:30"))
    assert times(as_planned, 2) == (at("04:30"), at("05:30"))
    assert times(as_planned, 4) == (at("05:40"), at("05:40"))
    assert as_planned.critical_path == [3, 4]
    assert as_planned.slots[2].slack == 10

    # at 04:50 the load is still running, 20 minutes past its planned finish
    live = schedule(tasks, start=at("04:00"), now=at("04:50"))
    assert times(live, 1) == (at("04:00"), at("04:50"))
    assert live.slots[1].late
    assert times(live, 2) == (at("04:50"), at("05:50"))
    assert times(live, 3) == (at("04:00"), at("05:40"))  # running, within its duration
    assert not live.slots[3].late
    assert times(live, 4) == (at("05:50"), at("05:50"))
    assert live.end == at("05:50")
    assert live.critical_path == [1, 2, 4]
    assert live.slots[3].slack == 10
    assert not live.slots[3].critical


def test_a_task_done_early_pulls_its_successors_earlier_and_one_done_late_is_late():
    tasks = [
        Task(1, 60, status="done", actual_start=at("04:00"), actual_end=at("04:40")),
        Task(2, 30, predecessors=(1,)),
    ]
    plan = schedule(tasks, start=at("04:00"), now=at("04:40"))
    assert times(plan, 2) == (at("04:40"), at("05:10"))
    assert plan.end == at("05:10")  # planned 05:30
    assert not plan.slots[1].late
    assert not plan.slots[1].critical  # done: nothing left to manage
    assert plan.slots[2].critical
    assert plan.critical_path == [1, 2]  # the finished task still explains when its successor starts

    # without `now` the same: the done task's actual times count
    assert times(schedule(tasks, start=at("04:00")), 2) == (at("04:40"), at("05:10"))

    overran = [Task(1, 60, status="done", actual_start=at("04:00"), actual_end=at("05:15")), tasks[1]]
    plan = schedule(overran, start=at("04:00"), now=at("05:20"))
    assert plan.slots[1].late
    assert times(plan, 2) == (at("05:20"), at("05:50"))  # not before now
    assert plan.critical_path == [2]  # the path starts at what is next


def test_a_failed_task_keeps_its_actual_times():
    tasks = [
        Task(1, 20, status="failed", actual_start=at("04:00"), actual_end=at("04:35")),
        Task(2, 10, predecessors=(1,)),
    ]
    plan = schedule(tasks, start=at("04:00"))
    assert times(plan, 1) == (at("04:00"), at("04:35"))
    assert plan.slots[1].late
    assert not plan.slots[1].critical
    assert times(plan, 2) == (at("04:35"), at("04:45"))


def test_a_skipped_task_takes_no_time_and_ignores_its_fixed_time():
    tasks = [
        Task(1, 30),
        Task(2, 45, predecessors=(1,), status="skipped", fixed_start=at("06:00")),
        Task(3, 15, predecessors=(2,)),
    ]
    plan = schedule(tasks, start=at("04:00"), now=at("04:10"))

    assert times(plan, 1) == (at("04:10"), at("04:40"))  # pending, so not before now
    assert times(plan, 2) == (at("04:40"), at("04:40"))
    assert times(plan, 3) == (at("04:40"), at("04:55"))
    assert plan.end == at("04:55")
    assert plan.slots[2].slack == 0
    assert not plan.slots[2].critical
    assert not plan.slots[2].late
    assert plan.critical_path == [1, 2, 3]


def test_a_milestone_takes_no_time_and_comes_before_its_successor_in_order():
    tasks = [
        Task(1, 30, predecessors=(10,)),
        Task(10, 0),  # "cutover starts"
        Task(2, 30, predecessors=(1,)),
        Task(11, 0, predecessors=(2,)),  # "go live"
    ]
    plan = schedule(tasks, start=at("04:00"))

    assert times(plan, 10) == (at("04:00"), at("04:00"))
    assert times(plan, 11) == (at("05:00"), at("05:00"))
    assert plan.end == at("05:00")
    assert plan.slots[10].critical and plan.slots[11].critical
    assert plan.critical_path == [10, 1, 2, 11]
    # by start then id 1 would come first; the order stays topological
    assert plan.order() == [10, 1, 2, 11]


def test_unknown_and_repeated_predecessors_are_ignored():
    tasks = [Task(1, 30, predecessors=(99,)), Task(2, 15, predecessors=(1, 1, 42))]
    plan = schedule(tasks, start=at("04:00"))

    assert times(plan, 1) == (at("04:00"), at("04:30"))
    assert times(plan, 2) == (at("04:30"), at("04:45"))
    assert plan.predecessors == {1: (), 2: (1,)}


def test_a_cycle_is_refused_with_the_cycle_shown():
    tasks = [
        Task(4, 10),
        Task(2, 10, predecessors=(1,)),
        Task(3, 10, predecessors=(2, 4)),
        Task(1, 10, predecessors=(3,)),
    ]
    # 1 waits for 3, which waits for 2, which waits for 1
    assert find_cycle(tasks) == [1, 3, 2, 1]
    with pytest.raises(ScheduleCycle) as refused:
        schedule(tasks, start=at("04:00"))
    assert refused.value.cycle == [1, 3, 2, 1]
    assert "1 ← 3 ← 2 ← 1" in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_a_task_waiting_for_itself_is_a_cycle_and_a_dag_has_none():
    assert find_cycle([Task(1, 5), Task(5, 10, predecessors=(1, 5))]) == [5, 5]
    assert find_cycle([Task(1, 5), Task(2, 5, predecessors=(1,)), Task(3, 5, predecessors=(1, 2))]) == []
    assert find_cycle([]) == []


def test_an_empty_plan_ends_when_it_starts():
    plan = schedule([], start=at("04:00"))
    assert plan.end == at("04:00")
    assert plan.critical_path == []
    assert plan.order() == []


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="twice"):
        schedule([Task(1, 5), Task(1, 10)], start=at("04:00"))
    with pytest.raises(ValueError, match="status"):
        schedule([Task(1, 5, status="started")], start=at("04:00"))
    with pytest.raises(ValueError, match="negative"):
        schedule([Task(1, -5)], start=at("04:00"))


def test_slots_are_plain_values():
    plan = schedule([Task(7, 20)], start=at("04:00"))
    assert plan.slots[7] == Slot(
        task_id=7,
        start=at("04:00"),
        finish=at("04:20"),
        late_start=at("04:00"),
        late_finish=at("04:20"),
        slack=0,
        critical=True,
        late=False,
    )


@pytest.mark.parametrize(
    ("planned", "measured", "expected"),
    [
        (30, [], 30),  # no rehearsal yet: the plan stands
        (30, [38, 42, 47], 45),  # mean 42.3, rounded up to 5
        (30, [90, 38, 42, 47], 45),  # only the latest three count
        (30, [40, 50], 45),  # a multiple of 5 stays
        (30, [61], 65),
        (60, [20, 25], 25),  # faster than planned: the estimate comes down
        (10, [1], 5),  # never under 5 minutes …
        (10, [0, 0], 5),  # … nor 0
        (10, [-3, 12], 15),  # negative measurements are bad data
        (0, [10, 12], 0),  # a milestone stays a milestone
    ],
)
def test_reestimate_from_rehearsals(planned, measured, expected):
    assert reestimate(planned, measured) == expected
