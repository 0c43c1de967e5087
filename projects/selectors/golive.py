"""Reads of go-live: the runbook with its forecast, a run with its live forecast and dashboard, rehearsal figures.

The pages, the Gantt and dependency charts, the API and the exports all schedule through `plan_schedule` and
`run_schedule`, so they agree on every start, finish and critical flag.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from projects import cutover_schedule as engine
from projects.models import CutoverPlan, CutoverRun, CutoverTask, TaskRun
from workbench.numbers import hours_minutes

FINISHED = (TaskRun.Status.DONE, TaskRun.Status.SKIPPED)  # what lets a successor start


def runbook_tasks(plan: CutoverPlan) -> QuerySet[CutoverTask]:
    """The plan's tasks by number, with owner, backup, phase and predecessors loaded (3 queries when listed)."""
    return (
        plan.tasks.select_related("owner__user", "backup__user", "phase")
        .prefetch_related(Prefetch("predecessors", queryset=CutoverTask.objects.only("pk", "number", "plan_id")))
        .order_by("number")
    )


def plan_start(plan: CutoverPlan) -> datetime:
    """Where the runbook's forecast starts: the cutover window, else the go-live morning, else now."""
    if plan.window_start:
        return plan.window_start
    if plan.go_live_date:
        return timezone.make_aware(datetime.combine(plan.go_live_date, datetime.min.time()))
    return timezone.now().replace(second=0, microsecond=0)


def _engine_task(task: CutoverTask, task_run: TaskRun | None = None, shift: timedelta | None = None) -> engine.Task:
    fixed = task.fixed_start + shift if task.fixed_start and shift else task.fixed_start
    return engine.Task(
        id=task.pk,
        duration=task.duration_minutes,
        predecessors=tuple(p.pk for p in task.predecessors.all()),
        fixed_start=fixed,
        status=task_run.status if task_run else engine.PENDING,
        actual_start=task_run.actual_start if task_run else None,
        actual_end=task_run.actual_end if task_run else None,
    )


def plan_schedule(plan: CutoverPlan, tasks: list[CutoverTask] | None = None) -> engine.Schedule:
    """The planned forecast of the runbook from `plan_start`. Raises `engine.ScheduleCycle` (never, as saved)."""
    tasks = list(runbook_tasks(plan)) if tasks is None else tasks
    return engine.schedule([_engine_task(t) for t in tasks], start=plan_start(plan))


def run_shift(run: CutoverRun) -> timedelta:
    """How far a run is moved from the plan: fixed start times keep their place relative to the start.

    The live run starts at the window as planned (no shift); a rehearsal a week earlier shifts every fixed time
    by the same week, so "the stores close at 22:00" is still 22:00 on the rehearsal day.
    """
    start = plan_start(run.plan)
    if run.kind == CutoverRun.Kind.LIVE or not (run.plan.window_start or run.plan.go_live_date):
        return timedelta(0)
    return run.planned_start - start


def run_task_runs(run: CutoverRun) -> dict[int, TaskRun]:
    """The run's task runs by task id."""
    return {tr.task_id: tr for tr in run.task_runs.select_related("by")}


def run_schedule(
    run: CutoverRun,
    tasks: list[CutoverTask] | None = None,
    task_runs: dict[int, TaskRun] | None = None,
    now: datetime | None = None,
) -> engine.Schedule:
    """The forecast of one run: actual times where tasks ran, `now` for a running run, the planned start else."""
    tasks = list(runbook_tasks(run.plan)) if tasks is None else tasks
    task_runs = run_task_runs(run) if task_runs is None else task_runs
    shift = run_shift(run)
    start = run.started_at or run.planned_start
    now = (now or timezone.now()) if run.status == CutoverRun.Status.RUNNING else None
    return engine.schedule([_engine_task(t, task_runs.get(t.pk), shift) for t in tasks], start=start, now=now)


def baseline_schedule(run: CutoverRun, tasks: list[CutoverTask] | None = None) -> engine.Schedule:
    """The run as planned: every task pending, from the run's planned start (what "late" is measured against)."""
    tasks = list(runbook_tasks(run.plan)) if tasks is None else tasks
    shift = run_shift(run)
    return engine.schedule([_engine_task(t, None, shift) for t in tasks], start=run.planned_start)


def run_window_end(run: CutoverRun) -> datetime | None:
    """The latest the run may end: the window's end for the live run, the same length after a rehearsal's start."""
    plan = run.plan
    if not plan.window_start or not plan.window_end:
        return None
    if run.kind == CutoverRun.Kind.LIVE:
        return plan.window_end
    length = plan.window_end - plan.window_start
    return (run.started_at or run.planned_start) + length


def window_length(plan: CutoverPlan) -> timedelta | None:
    if not plan.window_start or not plan.window_end or plan.window_end <= plan.window_start:
        return None
    return plan.window_end - plan.window_start


def minutes_text(minutes: int | None, signed: bool = False) -> str:
    """80 → "1 h 20 min"; signed: "+1 h 20 min", "−35 min", "±0 min". None → "—"."""
    return "—" if minutes is None else hours_minutes(minutes, signed=signed)


def _minutes(delta: timedelta) -> int:
    """Whole minutes of a time difference, rounded towards zero (30 s late is not a minute late)."""
    seconds = delta.total_seconds()
    return int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)


# The live dashboard -----------------------------------------------------------------------------------------

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
CHECK_KINDS = (CutoverTask.Kind.VALIDATION, CutoverTask.Kind.GATE)  # they pass or fail


@dataclass
class StreamProgress:
    stream: str
    label: str
    total: int = 0
    finished: int = 0
    running: int = 0
    failed: int = 0

    @property
    def percent(self) -> int:
        return 100 * self.finished // self.total if self.total else 0

    def share(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0


@dataclass
class TaskLine:
    """One task in one run: its status, its planned (baseline) and forecast or actual slot."""

    task: CutoverTask
    task_run: TaskRun | None
    status: str
    slot: engine.Slot
    planned: engine.Slot
    on_path: bool
    waits_for: list[int]  # numbers of the predecessors not done or skipped yet

    @property
    def is_check(self) -> bool:
        """A validation or a go/no-go gate: it passes or fails."""
        return self.task.kind in CHECK_KINDS

    @property
    def started(self) -> bool:
        """Whether the start shown is the actual one."""
        return self.status in (TaskRun.Status.RUNNING, TaskRun.Status.DONE, TaskRun.Status.FAILED)

    @property
    def ended(self) -> bool:
        return self.status in (TaskRun.Status.DONE, TaskRun.Status.FAILED)

    @property
    def variance(self) -> int | None:
        """Minutes the task finishes (forecast or actually) after (+) or before (−) its planned finish."""
        if self.status == TaskRun.Status.SKIPPED:
            return None
        return _minutes(self.slot.finish - self.planned.finish)

    @property
    def variance_text(self) -> str:
        return minutes_text(self.variance, signed=True)

    @property
    def took(self) -> int | None:
        """Minutes a finished task took."""
        if not self.ended:
            return None
        return _minutes(self.slot.finish - self.slot.start)

    @property
    def late(self) -> bool:
        return self.slot.late


@dataclass
class Dashboard:
    run: CutoverRun
    schedule: engine.Schedule
    baseline: engine.Schedule
    tasks: list[CutoverTask]
    task_runs: dict[int, TaskRun]
    streams: list[StreamProgress]
    late: list[CutoverTask]
    startable: list[CutoverTask]
    running: list[CutoverTask]
    failed: list[CutoverTask]
    window_end: datetime | None
    rag: str
    reasons: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    lines: dict[int, TaskLine] = field(default_factory=dict)
    now: datetime | None = None

    @property
    def planned_end(self) -> datetime:
        return self.baseline.end

    @property
    def end(self) -> datetime:
        """When the run ends: when it was finished, else the forecast."""
        if self.run.status == CutoverRun.Status.FINISHED and self.run.finished_at:
            return self.run.finished_at
        return self.schedule.end

    @property
    def delay_minutes(self) -> int:
        """How much later than planned the run is forecast to end, or ended (negative: earlier)."""
        return _minutes(self.end - self.baseline.end)

    @property
    def delay_text(self) -> str:
        return minutes_text(self.delay_minutes, signed=True)

    @property
    def window_margin(self) -> int | None:
        """Minutes between the end and the end of the window (negative: past it)."""
        return _minutes(self.window_end - self.end) if self.window_end else None

    @property
    def window_margin_text(self) -> str:
        margin = self.window_margin
        return minutes_text(abs(margin) if margin is not None else None)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def finished(self) -> int:
        return sum(1 for t in self.tasks if self.status_of(t) in FINISHED)

    @property
    def percent(self) -> int:
        return 100 * self.finished // self.total if self.total else 0

    def status_of(self, task: CutoverTask) -> str:
        task_run = self.task_runs.get(task.pk)
        return task_run.status if task_run else TaskRun.Status.PENDING

    def _lines(self, tasks: list[CutoverTask]) -> list[TaskLine]:
        return [self.lines[t.pk] for t in tasks]

    @property
    def rows(self) -> list[TaskLine]:
        return self._lines(self.tasks)

    @property
    def startable_rows(self) -> list[TaskLine]:
        return self._lines(self.startable)

    @property
    def running_rows(self) -> list[TaskLine]:
        return self._lines(self.running)

    @property
    def late_rows(self) -> list[TaskLine]:
        return self._lines(self.late)

    @property
    def failed_rows(self) -> list[TaskLine]:
        return self._lines(self.failed)

    @property
    def path_rows(self) -> list[TaskLine]:
        """The critical path, in order: the chain of tasks that drives the (forecast) end."""
        return [self.lines[tid] for tid in self.schedule.critical_path if tid in self.lines]


def _waits_for(task: CutoverTask, status: dict[int, str]) -> list[int]:
    return sorted(p.number for p in task.predecessors.all() if status.get(p.pk, TaskRun.Status.PENDING) not in FINISHED)


def startable(tasks: list[CutoverTask], task_runs: dict[int, TaskRun]) -> list[CutoverTask]:
    """Pending tasks whose predecessors are all done or skipped."""
    status = {tid: tr.status for tid, tr in task_runs.items()}
    return [
        t
        for t in tasks
        if status.get(t.pk, TaskRun.Status.PENDING) == TaskRun.Status.PENDING and not _waits_for(t, status)
    ]


def dashboard(run: CutoverRun, now: datetime | None = None) -> Dashboard:
    """Progress by stream, late, running, failed and startable tasks, and red/amber/green for one run.

    Red: a task failed, or the (forecast) end is after the end of the window. Amber: the end is a minute or more
    later than planned, or a task is late. Green otherwise. A run without a window is judged against its plan
    only. A planned or aborted run is grey: nothing runs. Late, in a running run, means late now: a task running
    past its duration or waiting past its fixed start (one that ran late and is done shows in the forecast); once
    the run is over, the tasks that ran late. Costs 3 queries (the tasks, their predecessors, the task runs).
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    plan = run.plan
    live = run.status == CutoverRun.Status.RUNNING
    now = (now or timezone.now()) if live else None
    tasks = list(runbook_tasks(plan))
    task_runs = run_task_runs(run)
    schedule = run_schedule(run, tasks, task_runs, now)
    baseline = baseline_schedule(run, tasks)
    status = {tid: tr.status for tid, tr in task_runs.items()}
    streams: dict[str, StreamProgress] = {
        value: StreamProgress(value, label) for value, label in CutoverTask.Stream.choices
    }
    on_path = set(schedule.critical_path)
    counts: Counter = Counter()
    late, running, failed, ready = [], [], [], []
    lines: dict[int, TaskLine] = {}
    for task in tasks:
        task_run = task_runs.get(task.pk)
        state = status.get(task.pk, TaskRun.Status.PENDING)
        waits_for = _waits_for(task, status)
        counts[state] += 1
        progress = streams[task.stream]
        progress.total += 1
        progress.finished += state in FINISHED
        progress.running += state == TaskRun.Status.RUNNING
        progress.failed += state == TaskRun.Status.FAILED
        if state == TaskRun.Status.RUNNING:
            running.append(task)
        elif state == TaskRun.Status.FAILED:
            failed.append(task)
        elif state == TaskRun.Status.PENDING and not waits_for and live:
            ready.append(task)
        slot = schedule.slots[task.pk]
        if slot.late and (state in (TaskRun.Status.PENDING, TaskRun.Status.RUNNING) or not live):
            late.append(task)
        lines[task.pk] = TaskLine(
            task=task,
            task_run=task_run,
            status=state,
            slot=slot,
            planned=baseline.slots[task.pk],
            on_path=task.pk in on_path,
            waits_for=waits_for,
        )
    window_end = run_window_end(run)
    board = Dashboard(
        run=run,
        schedule=schedule,
        baseline=baseline,
        tasks=tasks,
        task_runs=task_runs,
        streams=[s for s in streams.values() if s.total],
        late=late,
        startable=ready,
        running=running,
        failed=failed,
        window_end=window_end,
        rag=GREY,
        counts=counts,
        lines=lines,
        now=now,
    )
    reasons = board.reasons
    if run.status == CutoverRun.Status.PLANNED:
        reasons.append(_("The run has not started yet."))
        return board
    if run.status == CutoverRun.Status.ABORTED:
        reasons.append(_("The run was aborted."))
        return board
    if failed:
        reasons.append(
            ngettext("%(count)d task failed.", "%(count)d tasks failed.", len(failed)) % {"count": len(failed)}
        )
    if window_end and board.end > window_end:
        if live:
            reasons.append(_("The forecast end is after the end of the window."))
        else:
            reasons.append(_("The run ended after the end of the window."))
    if reasons:
        board.rag = RED
        return board
    if board.delay_minutes >= 1:
        if live:
            reasons.append(_("The forecast end is later than planned."))
        else:
            reasons.append(_("The run ended later than planned."))
    if late:
        if live:
            reasons.append(
                ngettext("%(count)d task is late.", "%(count)d tasks are late.", len(late)) % {"count": len(late)}
            )
        else:
            reasons.append(
                ngettext("%(count)d task ran late.", "%(count)d tasks ran late.", len(late)) % {"count": len(late)}
            )
    board.rag = AMBER if reasons else GREEN
    return board


# The runs list ------------------------------------------------------------------------------------------------


@dataclass
class RunRow:
    """A run in the list: how long it takes or took against the window, and how late it ends against its plan."""

    run: CutoverRun
    planned_end: datetime
    end: datetime | None  # when it ended, or the forecast while it runs; None while planned or once aborted
    window: timedelta | None

    @property
    def duration(self) -> int | None:
        """Minutes the run took (or is forecast to take); planned: the planned length."""
        if self.run.status == CutoverRun.Status.PLANNED:
            return _minutes(self.planned_end - self.run.planned_start)
        if self.end is None or self.run.started_at is None:
            return None
        return _minutes(self.end - self.run.started_at)

    @property
    def duration_text(self) -> str:
        return minutes_text(self.duration)

    @property
    def over_window(self) -> int | None:
        """Minutes the run is longer than the window (negative or zero: it fits); None without a window."""
        if self.window is None or self.duration is None:
            return None
        return self.duration - _minutes(self.window)

    @property
    def over_window_text(self) -> str:
        return minutes_text(self.over_window)

    @property
    def delay(self) -> int | None:
        if self.end is None or self.run.status == CutoverRun.Status.PLANNED:
            return None
        return _minutes(self.end - self.planned_end)

    @property
    def delay_text(self) -> str:
        return minutes_text(self.delay, signed=True)


def run_rows(plan: CutoverPlan, tasks: list[CutoverTask] | None = None) -> list[RunRow]:
    """The plan's runs by planned start, with their figures; 2 queries (4 without `tasks`) however many there are."""
    runs = list(plan.runs.order_by("planned_start", "pk"))
    if not runs:
        return []
    tasks = list(runbook_tasks(plan)) if tasks is None else tasks
    by_run: dict[int, dict[int, TaskRun]] = {run.pk: {} for run in runs}
    for task_run in TaskRun.objects.filter(run__in=runs).only(
        "run_id", "task_id", "status", "actual_start", "actual_end"
    ):
        by_run[task_run.run_id][task_run.task_id] = task_run
    window = window_length(plan)
    now = timezone.now()
    rows = []
    for run in runs:
        run.plan = plan
        baseline = baseline_schedule(run, tasks)
        end = None
        if run.status == CutoverRun.Status.FINISHED:
            end = run.finished_at or run_schedule(run, tasks, by_run[run.pk]).end
        elif run.status == CutoverRun.Status.RUNNING:
            end = run_schedule(run, tasks, by_run[run.pk], now).end
        rows.append(RunRow(run=run, planned_end=baseline.end, end=end, window=window))
    return rows


# Rehearsal figures --------------------------------------------------------------------------------------------


@dataclass
class Measurement:
    run: CutoverRun
    minutes: int | None  # None: the task did not finish in that run


@dataclass
class TaskEstimate:
    task: CutoverTask
    measurements: list[Measurement]
    proposed: int

    @property
    def measured(self) -> list[int]:
        return [m.minutes for m in self.measurements if m.minutes is not None]

    @property
    def changes(self) -> bool:
        return self.proposed != self.task.duration_minutes


def rehearsals(plan: CutoverPlan) -> list[CutoverRun]:
    """Finished rehearsals, oldest first."""
    return list(
        plan.runs.filter(kind=CutoverRun.Kind.REHEARSAL, status=CutoverRun.Status.FINISHED).order_by("started_at", "pk")
    )


def estimates(plan: CutoverPlan, tasks: list[CutoverTask] | None = None) -> tuple[list[CutoverRun], list[TaskEstimate]]:
    """Planned vs actual per task per finished rehearsal, and the duration `reestimate` proposes for the next run.

    A task's measurement is its actual end − actual start in whole minutes, for tasks done in that rehearsal.
    """
    tasks = list(runbook_tasks(plan)) if tasks is None else tasks
    runs = rehearsals(plan)
    minutes: dict[tuple[int, int], int] = {}
    for task_run in TaskRun.objects.filter(
        run__in=runs, status=TaskRun.Status.DONE, actual_start__isnull=False, actual_end__isnull=False
    ).only("run_id", "task_id", "actual_start", "actual_end"):
        minutes[(task_run.run_id, task_run.task_id)] = int(
            (task_run.actual_end - task_run.actual_start).total_seconds() // 60
        )
    rows = []
    for task in tasks:
        measurements = [Measurement(run, minutes.get((run.pk, task.pk))) for run in runs]
        measured = [m.minutes for m in measurements if m.minutes is not None]
        rows.append(TaskEstimate(task, measurements, engine.reestimate(task.duration_minutes, measured)))
    return runs, rows
