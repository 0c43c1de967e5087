"""Runs of the runbook: the rules of a rehearsal and the live cutover, the live dashboard's forecast, critical path
and red/amber/green, the tasks startable now, and the durations re-estimated from rehearsals.

The runbook of every test (minutes; after = finish-to-start):

    1 Freeze master data   30
    2 Count the stock      60  after 1
    3 Back up old system   20  after 1
    4 Load opening stock   30  after 2, 3
    5 Check stock values   10  after 4   (a validation: it passes or fails)

From a start at 20:00 the plan is 1: 20:00–20:30, 2: 20:30–21:30, 3: 20:30–20:50, 4: 21:30–22:00,
5: 22:00–22:10; planned end 22:10; critical path 1 → 2 → 4 → 5. The window is 3 h long, so a rehearsal that
starts at 20:00 must end by 23:00.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from projects.models import CutoverRun, TaskRun
from projects.selectors import golive as sel
from projects.services import golive as svc

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2025, 3, 1, tzinfo=TZ)  # a Saturday long past: every time recorded here is "after the fact"


def at(hh_mm: str, day: int = 0) -> datetime:
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return DAY + timedelta(days=day, hours=hours, minutes=minutes)


@pytest.fixture
def plan(project):
    plan = svc.plan_for(project)
    plan.window_start, plan.window_end = at("20:00", day=7), at("23:00", day=7)
    plan.save()
    return plan


@pytest.fixture
def tasks(plan, owner):
    freeze = svc.task_create(plan=plan, title="Freeze master data", duration_minutes=30, stream="business")
    count = svc.task_create(plan=plan, title="Count the stock", duration_minutes=60, predecessors=[freeze])
    backup = svc.task_create(
        plan=plan, title="Back up old system", duration_minutes=20, predecessors=[freeze], stream="technical"
    )
    load = svc.task_create(
        plan=plan, title="Load opening stock", duration_minutes=30, predecessors=[count, backup], stream="data"
    )
    check = svc.task_create(
        plan=plan, title="Check stock values", duration_minutes=10, predecessors=[load], kind="validation"
    )
    return {1: freeze, 2: count, 3: backup, 4: load, 5: check}


@pytest.fixture
def run(plan, tasks, owner):
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at("20:00"), user=owner)
    return svc.run_start(run=rehearsal, user=owner, at=at("20:00"))


def record(run, tasks, number, start, end=None, outcome="done", user=None, reason="", day=0):
    svc.task_start(run=run, task=tasks[number], at=at(start, day), user=user)
    if end is not None:
        svc.task_finish(run=run, task=tasks[number], outcome=outcome, at=at(end, day), reason=reason, user=user)


def status(run, task) -> str:
    return TaskRun.objects.get(run=run, task=task).status


# The rules ---------------------------------------------------------------------------------------------------


def test_a_task_waits_for_its_predecessors_and_the_refusal_names_them(run, tasks):
    with pytest.raises(svc.GoLiveError, match=r"^Task 4 waits for 2, 3\.$"):
        svc.task_start(run=run, task=tasks[4], at=at("20:05"))
    assert status(run, tasks[4]) == "pending"
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30", "21:30")
    with pytest.raises(svc.GoLiveError, match=r"^Task 4 waits for 3\.$"):
        svc.task_start(run=run, task=tasks[4], at=at("21:30"))
    svc.task_skip(run=run, task=tasks[3], reason="Backup taken the night before")  # skipped counts as finished
    svc.task_start(run=run, task=tasks[4], at=at("21:30"))
    assert status(run, tasks[4]) == "running"


def test_failing_and_skipping_need_a_reason_and_only_a_running_task_completes(run, tasks):
    with pytest.raises(svc.GoLiveError, match="not running; start it first"):
        svc.task_finish(run=run, task=tasks[1], outcome="done", at=at("20:10"))
    record(run, tasks, 1, "20:00")
    with pytest.raises(svc.GoLiveError, match="Say why the task failed"):
        svc.task_finish(run=run, task=tasks[1], outcome="failed", reason="  ", at=at("20:10"))
    with pytest.raises(svc.GoLiveError, match="Say why the task is skipped"):
        svc.task_skip(run=run, task=tasks[5], reason="")
    with pytest.raises(svc.GoLiveError, match="already started"):
        svc.task_skip(run=run, task=tasks[1], reason="Not needed")
    task_run = TaskRun.objects.get(run=run, task=tasks[1])
    assert (task_run.status, task_run.actual_end, task_run.reason) == ("running", None, "")


def test_a_failed_task_starts_again_and_its_failure_stays_in_the_history(run, tasks, tester):
    svc.task_start(run=run, task=tasks[1], at=at("20:00"), user=tester)
    svc.task_finish(
        run=run, task=tasks[1], outcome="failed", reason="Price list still open", at=at("20:20"), user=tester
    )
    svc.task_start(run=run, task=tasks[1], at=at("20:25"), user=tester)
    task_run = TaskRun.objects.get(run=run, task=tasks[1])
    assert (task_run.status, task_run.actual_start, task_run.actual_end, task_run.reason) == (
        "running",
        at("20:25"),
        None,
        "",
    )
    assert task_run.by == tester
    records = list(task_run.history.order_by("history_date", "history_id"))
    assert [(r.status, r.reason, r.history_user) for r in records] == [
        ("running", "", tester),
        ("failed", "Price list still open", tester),
        ("running", "", tester),
    ]


def test_a_run_finishes_only_when_every_task_is_done_or_skipped(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30", "21:30")
    record(run, tasks, 3, "20:30", "20:40", outcome="failed", reason="Disk full")
    with pytest.raises(svc.GoLiveError, match=r"^Tasks 3, 4, 5 are not done or skipped yet; finish them, or abort"):
        svc.run_finish(run=run, at=at("21:40"))
    svc.task_skip(run=run, task=tasks[3], reason="Backup taken the night before")
    record(run, tasks, 4, "21:30", "22:00")
    with pytest.raises(svc.GoLiveError, match=r"^Task 5 is not done or skipped yet; finish it"):
        svc.run_finish(run=run, at=at("22:05"))
    record(run, tasks, 5, "22:00", "22:10")
    with pytest.raises(svc.GoLiveError, match="That time is before"):  # not before its last task ended
        svc.run_finish(run=run, at=at("22:05"))
    finished = svc.run_finish(run=run, at=at("22:12"))
    assert (finished.status, finished.finished_at) == ("finished", at("22:12"))


def test_there_is_one_live_cutover_and_one_running_run(plan, tasks, owner):
    live = svc.run_create(plan=plan, kind="live", name="Go-live weekend", planned_start=at("20:00", day=7))
    with pytest.raises(svc.GoLiveError, match="There is already a live cutover"):
        svc.run_create(plan=plan, kind="live", name="Another go-live", planned_start=at("20:00", day=8))
    svc.run_finish(run=live, abort=True)
    svc.run_create(plan=plan, kind="live", name="Go-live, second date", planned_start=at("20:00", day=14))
    assert plan.runs.filter(kind="live").count() == 2

    first = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at("20:00"))
    second = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 2", planned_start=at("20:00", day=1))
    svc.run_start(run=first, at=at("20:00"))
    with pytest.raises(svc.GoLiveError, match="Rehearsal 1 is still running; finish or abort it first"):
        svc.run_start(run=second, at=at("20:00", day=1))
    second.refresh_from_db()
    assert (second.status, second.started_at) == ("planned", None)


def test_times_in_the_future_or_before_the_run_started_are_refused(run, tasks):
    with pytest.raises(svc.GoLiveError, match="That time is in the future"):
        svc.task_start(run=run, task=tasks[1], at=timezone.now() + timedelta(minutes=10))
    with pytest.raises(svc.GoLiveError, match=r"^That time is before 2025-03-01 20:00\.$"):
        svc.task_start(run=run, task=tasks[1], at=at("19:55"))
    assert status(run, tasks[1]) == "pending"
    svc.task_start(run=run, task=tasks[1], at=at("20:00"))
    with pytest.raises(svc.GoLiveError, match="That time is before"):  # a task cannot end before it started
        svc.task_finish(run=run, task=tasks[1], outcome="done", at=at("19:59"))


def test_a_run_is_edited_only_while_planned_and_durations_wait_until_it_ends(plan, tasks, owner):
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at("20:00"))
    moved = svc.run_update(
        run=rehearsal, expected_version=rehearsal.version, name="Dress rehearsal", planned_start=at("21:00")
    )
    assert (moved.name, moved.planned_start) == ("Dress rehearsal", at("21:00"))
    started = svc.run_start(run=moved, at=at("21:00"))
    with pytest.raises(svc.GoLiveError, match="Only a planned run can be changed"):
        svc.run_update(run=started, expected_version=started.version, name="Later", planned_start=at("22:00"))
    with pytest.raises(svc.GoLiveError, match="Dress rehearsal is running; change the planned durations after"):
        svc.durations_apply(plan=plan, durations={tasks[1].pk: 45})
    tasks[1].refresh_from_db()
    assert tasks[1].duration_minutes == 30


# The dashboard ---------------------------------------------------------------------------------------------------


def test_on_plan_the_dashboard_is_green_with_the_planned_end(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30")
    record(run, tasks, 3, "20:30")
    board = sel.dashboard(run, now=at("20:40"))
    assert board.rag == "green" and board.reasons == []
    assert (board.planned_end, board.end, board.delay_minutes, board.delay_text) == (
        at("22:10"),
        at("22:10"),
        0,
        "±0 min",
    )
    assert board.window_end == at("23:00") and board.window_margin == 50
    assert [line.task.number for line in board.path_rows] == [1, 2, 4, 5]
    assert [t.number for t in board.running] == [2, 3] and board.startable == [] and board.late == []
    assert (board.finished, board.total, board.percent) == (1, 5, 20)


def test_a_task_finished_late_moves_the_forecast_end_and_the_critical_path(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30", "21:20")  # 50 of 60 minutes: early
    record(run, tasks, 3, "20:30", "21:45")  # 75 of 20 minutes: 55 late, and now it holds up task 4
    board = sel.dashboard(run, now=at("21:45"))
    slots = {number: (board.lines[t.pk].slot.start, board.lines[t.pk].slot.finish) for number, t in tasks.items()}
    assert slots[4] == (at("21:45"), at("22:15")) and slots[5] == (at("22:15"), at("22:25"))
    assert (board.end, board.delay_minutes, board.delay_text) == (at("22:25"), 15, "+15 min")
    assert [line.task.number for line in board.path_rows] == [1, 3, 4, 5]
    assert board.lines[tasks[4].pk].variance == 15 and board.lines[tasks[2].pk].variance == -10
    assert board.rag == "amber" and board.reasons == ["The forecast end is later than planned."]
    assert board.late == []  # task 3 ran late but is done: it shows in the forecast, not as late now
    assert [t.number for t in board.startable] == [4]


def test_a_task_finished_early_pulls_the_forecast_end_in(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30", "21:10")  # 40 of 60 minutes
    record(run, tasks, 3, "20:30", "20:50")
    board = sel.dashboard(run, now=at("21:10"))
    assert (board.end, board.delay_minutes, board.delay_text) == (at("21:50"), -20, "−20 min")
    assert board.rag == "green"
    assert [line.task.number for line in board.path_rows] == [1, 2, 4, 5]


def test_amber_while_a_task_runs_past_its_duration(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30")
    record(run, tasks, 3, "20:30", "20:50")
    board = sel.dashboard(run, now=at("21:40"))  # task 2 was due at 21:30
    assert [t.number for t in board.late] == [2]
    assert board.end == at("22:20")  # 2 ends now at the earliest, then 4: 21:40–22:10, 5: 22:10–22:20
    assert board.rag == "amber"
    assert board.reasons == ["The forecast end is later than planned.", "1 task is late."]


def test_red_when_a_task_failed(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 3, "20:30", "20:45", outcome="failed", reason="Disk full")
    board = sel.dashboard(run, now=at("20:45"))
    assert board.rag == "red" and board.reasons == ["1 task failed."]
    assert [t.number for t in board.failed] == [3]
    assert [t.number for t in board.startable] == [2]  # 4 waits for the failed 3


def test_red_when_the_forecast_passes_the_end_of_the_window(run, tasks):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30")
    record(run, tasks, 3, "20:30", "20:50")
    board = sel.dashboard(run, now=at("23:00"))  # 2 still running: 4 23:00–23:30, 5 23:30–23:40
    assert board.end == at("23:40") and board.window_end == at("23:00")
    assert (board.window_margin, board.window_margin_text) == (-40, "40 min")
    assert board.rag == "red" and board.reasons == ["The forecast end is after the end of the window."]


def test_the_live_run_is_judged_against_the_real_window(plan, tasks):
    live = svc.run_create(plan=plan, kind="live", name="Go-live", planned_start=at("20:00", day=7))
    live = svc.run_start(run=live, at=at("20:30", day=7))  # started half an hour late
    assert sel.run_window_end(live) == at("23:00", day=7)  # the window does not move with it
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="R", planned_start=at("20:00"))
    rehearsal.started_at = at("20:30")
    assert sel.run_window_end(rehearsal) == at("23:30")  # a rehearsal gets the window's length from its start


def test_the_tasks_startable_now_follow_the_run(run, tasks):
    def startable():
        return [t.number for t in sel.dashboard(run, now=at("23:59")).startable]

    assert startable() == [1]
    record(run, tasks, 1, "20:00", "20:30")
    assert startable() == [2, 3]
    record(run, tasks, 2, "20:30", "21:30")
    record(run, tasks, 3, "20:30")
    assert startable() == []
    svc.task_finish(run=run, task=tasks[3], outcome="done", at=at("20:50"))
    assert startable() == [4]


def test_a_planned_run_is_grey_and_lists_nothing_to_start(plan, tasks):
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="Later", planned_start=at("20:00", day=1))
    board = sel.dashboard(rehearsal)
    assert board.rag == "grey" and board.reasons == ["The run has not started yet."]
    assert board.startable == [] and board.end == board.planned_end == at("22:10", day=1)


# Planned vs actual ---------------------------------------------------------------------------------------------


def rehearse(plan, tasks, day: int, minutes_for_task_1: int) -> CutoverRun:
    """A finished rehearsal on `day` where task 1 took the given minutes and the rest were skipped."""
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name=f"Rehearsal {day}", planned_start=at("20:00", day))
    rehearsal = svc.run_start(run=rehearsal, at=at("20:00", day))
    svc.task_start(run=rehearsal, task=tasks[1], at=at("20:00", day))
    end = at("20:00", day) + timedelta(minutes=minutes_for_task_1)
    svc.task_finish(run=rehearsal, task=tasks[1], outcome="done", at=end)
    for number in (2, 3, 4, 5):
        svc.task_skip(run=rehearsal, task=tasks[number], reason="Not rehearsed")
    return svc.run_finish(run=rehearsal, at=end)


def test_planned_30_measured_38_42_47_proposes_45(plan, tasks):
    for day, minutes in ((1, 38), (2, 42), (3, 47)):
        rehearse(plan, tasks, day, minutes)
    runs, rows = sel.estimates(plan)
    assert [r.name for r in runs] == ["Rehearsal 1", "Rehearsal 2", "Rehearsal 3"]
    first = rows[0]
    assert (first.task.duration_minutes, first.measured, first.proposed, first.changes) == (30, [38, 42, 47], 45, True)
    assert [row.changes for row in rows[1:]] == [False] * 4  # skipped everywhere: the plan stands
    changed = svc.durations_apply(plan=plan, durations={first.task.pk: first.proposed})
    tasks[1].refresh_from_db()
    assert [t.number for t in changed] == [1] and tasks[1].duration_minutes == 45


def test_the_runs_list_figures(plan, tasks):
    rehearse(plan, tasks, 1, 38)  # 20:00 → 20:38; planned end 22:10 (the others skipped: they take no time)
    long = svc.run_create(plan=plan, kind="rehearsal", name="Long", planned_start=at("20:00", day=2))
    long = svc.run_start(run=long, at=at("20:00", day=2))
    record(long, tasks, 1, "20:00", "20:30", day=2)
    record(long, tasks, 2, "20:30", "23:00", day=2)  # 150 of 60 minutes
    record(long, tasks, 3, "20:30", "20:50", day=2)
    record(long, tasks, 4, "23:00", "23:30", day=2)
    record(long, tasks, 5, "23:30", "23:40", day=2)
    svc.run_finish(run=long, at=at("23:40", day=2))
    svc.run_create(plan=plan, kind="live", name="Go-live", planned_start=at("20:00", day=7))
    rows = {row.run.name: row for row in sel.run_rows(plan)}
    assert list(rows) == ["Rehearsal 1", "Long", "Go-live"]
    first, long, live = rows["Rehearsal 1"], rows["Long"], rows["Go-live"]
    assert (first.duration, first.over_window, first.delay_text) == (38, -142, "−1 h 32 min")
    assert (long.duration_text, long.over_window_text, long.delay, long.delay_text) == (
        "3 h 40 min",
        "40 min",
        90,
        "+1 h 30 min",
    )
    assert (live.duration, live.over_window, live.delay) == (130, -50, None)  # planned: the plan's length
