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
    if run.kind == CutoverRun.Kind.LIVE or not run.plan.window_start:
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
    length = plan.window_end - plan.window_start
    return (run.started_at or run.planned_start) + length


# The live dashboard -----------------------------------------------------------------------------------------

GREEN, AMBER, RED = "green", "amber", "red"


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


@dataclass
class Dashboard:
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

    @property
    def delay_minutes(self) -> int:
        """How much later than planned the run is forecast to end (negative: earlier)."""
        return int((self.schedule.end - self.baseline.end).total_seconds() // 60)

    @property
    def percent(self) -> int:
        total = len(self.tasks)
        finished = sum(1 for t in self.tasks if self.status_of(t) in FINISHED)
        return 100 * finished // total if total else 0

    def status_of(self, task: CutoverTask) -> str:
        task_run = self.task_runs.get(task.pk)
        return task_run.status if task_run else TaskRun.Status.PENDING


def startable(tasks: list[CutoverTask], task_runs: dict[int, TaskRun]) -> list[CutoverTask]:
    """Pending tasks whose predecessors are all done or skipped."""

    def status(task: CutoverTask) -> str:
        task_run = task_runs.get(task.pk)
        return task_run.status if task_run else TaskRun.Status.PENDING

    return [
        t
        for t in tasks
        if status(t) == TaskRun.Status.PENDING and all(status(p) in FINISHED for p in t.predecessors.all())
    ]


def dashboard(run: CutoverRun, now: datetime | None = None) -> Dashboard:
    """Progress by stream, late, running, failed and startable tasks, and red/amber/green for one run.

    Red: a task failed, or the forecast end is after the end of the window. Amber: the forecast end is later
    than planned, or a task is late. Green otherwise. A run without a window is judged against its plan only.
    """
    from django.utils.translation import gettext as _

    tasks = list(runbook_tasks(run.plan))
    task_runs = run_task_runs(run)
    schedule = run_schedule(run, tasks, task_runs, now)
    baseline = baseline_schedule(run, tasks)
    streams: dict[str, StreamProgress] = {
        value: StreamProgress(value, label) for value, label in CutoverTask.Stream.choices
    }
    counts: Counter = Counter()
    late, running, failed = [], [], []
    for task in tasks:
        task_run = task_runs.get(task.pk)
        status = task_run.status if task_run else TaskRun.Status.PENDING
        counts[status] += 1
        progress = streams[task.stream]
        progress.total += 1
        progress.finished += status in FINISHED
        progress.running += status == TaskRun.Status.RUNNING
        progress.failed += status == TaskRun.Status.FAILED
        if status == TaskRun.Status.RUNNING:
            running.append(task)
        if status == TaskRun.Status.FAILED:
            failed.append(task)
        if schedule.slots[task.pk].late:
            late.append(task)
    window_end = run_window_end(run)
    reasons = []
    if failed:
        reasons.append(_("%(count)d task(s) failed.") % {"count": len(failed)})
    if window_end and schedule.end > window_end:
        reasons.append(_("The forecast end is after the end of the window."))
    if reasons:
        rag = RED
    else:
        if schedule.end > baseline.end:
            reasons.append(_("The forecast end is later than planned."))
        if late:
            reasons.append(_("%(count)d task(s) are late.") % {"count": len(late)})
        rag = AMBER if reasons else GREEN
    return Dashboard(
        schedule=schedule,
        baseline=baseline,
        tasks=tasks,
        task_runs=task_runs,
        streams=[s for s in streams.values() if s.total],
        late=late,
        startable=startable(tasks, task_runs) if run.status == CutoverRun.Status.RUNNING else [],
        running=running,
        failed=failed,
        window_end=window_end,
        rag=rag,
        reasons=reasons,
        counts=counts,
    )


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
