"""Write operations of go-live, with their rules.

- Runbook tasks get numbers 1, 2, 3 … per plan; their predecessors stay inside the plan and never form a
  cycle (refused naming it, like the data objects' dependencies).
- Training is complete for a trainee when they attended every session of their role's plan; a role's
  completion is the share of its trainees who are complete.
- The go/no-go decision is signed by the plan's named decider, re-entering the password; it keeps the
  criteria as they were evaluated and is never changed (`GoNoGoDecision`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projects.models import (
    Attendance,
    CutoverPlan,
    CutoverRun,
    CutoverTask,
    GoNoGoDecision,
    Project,
    TaskRun,
    TrainingPlan,
)
from workbench.errors import BusinessRuleError
from workbench.graphs import find_cycle
from workbench.locking import save_versioned


class GoLiveError(BusinessRuleError):
    """A go-live rule refused the change; the message is shown to the user as it is."""


def plan_for(project: Project) -> CutoverPlan:
    plan, _created = CutoverPlan.objects.get_or_create(project=project)
    return plan


# Runbook tasks --------------------------------------------------------------------------------------------


def _check_predecessors(task: CutoverTask, predecessors: Iterable[CutoverTask]) -> list[CutoverTask]:
    predecessors = list(predecessors)
    if any(p.plan_id != task.plan_id for p in predecessors):
        raise GoLiveError(_("A task can only follow tasks of the same runbook."))
    if any(p.pk == task.pk for p in predecessors):
        raise GoLiveError(_("A task cannot follow itself."))
    edges: dict[int, set[int]] = {}
    through = CutoverTask.predecessors.through
    for from_id, to_id in through.objects.filter(from_cutovertask__plan=task.plan).values_list(
        "from_cutovertask_id", "to_cutovertask_id"
    ):
        edges.setdefault(from_id, set()).add(to_id)
    edges[task.pk] = {p.pk for p in predecessors}
    if cycle := find_cycle(edges):
        numbers = dict(CutoverTask.objects.filter(pk__in=cycle).values_list("pk", "number"))
        path = " → ".join(str(numbers.get(pk, "?")) for pk in cycle)
        raise GoLiveError(_("Those tasks would wait for each other in a circle: %(cycle)s.") % {"cycle": path})
    return predecessors


@transaction.atomic
def task_create(
    *,
    plan: CutoverPlan,
    title: str,
    predecessors: Iterable[CutoverTask] = (),
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> CutoverTask:
    for member in (fields.get("owner"), fields.get("backup")):
        if member is not None and member.project_id != plan.project_id:
            raise GoLiveError(_("Owner and backup must be members of this project."))
    CutoverPlan.objects.select_for_update().get(pk=plan.pk)  # numbers are given one at a time
    number = (plan.tasks.aggregate(last=Max("number"))["last"] or 0) + 1
    task = CutoverTask(plan=plan, number=number, title=title, **fields)
    task.full_clean()
    task._history_user = user
    task.save()
    task.predecessors.set(_check_predecessors(task, predecessors))
    return task


@transaction.atomic
def task_update(
    *,
    task: CutoverTask,
    expected_version: int,
    predecessors: Iterable[CutoverTask] | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> CutoverTask:
    for frozen in ("plan", "number", "version"):
        fields.pop(frozen, None)
    for member in (fields.get("owner"), fields.get("backup")):
        if member is not None and member.project_id != task.plan.project_id:
            raise GoLiveError(_("Owner and backup must be members of this project."))
    for name, value in fields.items():
        setattr(task, name, value)
    task.full_clean()
    task._history_user = user
    if predecessors is not None:
        predecessors = _check_predecessors(task, predecessors)
    save_versioned(task, expected_version=expected_version)
    if predecessors is not None:
        task.predecessors.set(predecessors)
    return task


# Training -------------------------------------------------------------------------------------------------


@dataclass
class RoleCompletion:
    plan: TrainingPlan
    trainees: int
    complete: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.complete / self.trainees, 1) if self.trainees else None


def training_completion(project: Project) -> tuple[list[RoleCompletion], float | None]:
    """Per role, how many trainees attended every session of their plan; and the share over all trainees."""
    plans = list(project.training_plans.prefetch_related("trainees", "sessions"))
    attended: dict[int, set[int]] = {}
    for session_id, member_id in Attendance.objects.filter(
        session__plan__project=project, status=Attendance.Status.ATTENDED
    ).values_list("session_id", "member_id"):
        attended.setdefault(member_id, set()).add(session_id)
    rows = []
    for plan in plans:
        sessions = {s.pk for s in plan.sessions.all()}
        trainees = list(plan.trainees.all())
        complete = sum(1 for t in trainees if sessions and sessions <= attended.get(t.pk, set()))
        rows.append(RoleCompletion(plan=plan, trainees=len(trainees), complete=complete))
    total = sum(r.trainees for r in rows)
    overall = round(100 * sum(r.complete for r in rows) / total, 1) if total else None
    return rows, overall


# Go/no-go -------------------------------------------------------------------------------------------------


@transaction.atomic
def decision_sign(
    *,
    project: Project,
    user: AbstractBaseUser,
    password: str,
    outcome: str,
    conditions: str = "",
    criteria: Sequence[dict] = (),
) -> GoNoGoDecision:
    """The named decider signs go, no-go or go with conditions; the evaluated criteria are kept with it."""
    if not user.check_password(password):
        raise GoLiveError(_("The password is not right; nothing was signed."))
    plan = plan_for(project)
    if plan.decider is None:
        raise GoLiveError(_("Name the go/no-go decider in the cutover plan first."))
    if plan.decider.user_id != user.pk:
        raise GoLiveError(
            _("Only the named decider (%(name)s) signs the go/no-go decision.")
            % {"name": plan.decider.user.get_full_name() or plan.decider.user}
        )
    if outcome not in GoNoGoDecision.Outcome.values:
        raise GoLiveError(_("Choose go, no-go or go with conditions."))
    if outcome == GoNoGoDecision.Outcome.GO_WITH_CONDITIONS and not conditions.strip():
        raise GoLiveError(_("Write down the conditions of the go."))
    return GoNoGoDecision.objects.create(
        project=project, outcome=outcome, conditions=conditions.strip(), decider=user, criteria=list(criteria)
    )


# Runs: rehearsals and the live cutover -----------------------------------------------------------------------


def _moment(run: CutoverRun, at: datetime | None, not_before: datetime | None = None) -> datetime:
    """When something happened in a run: now, or a time typed after the fact (not in the future, not before)."""
    now = timezone.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=1):
        raise GoLiveError(_("That time is in the future."))
    floor = not_before or run.started_at
    if floor and at < floor:
        raise GoLiveError(
            _("That time is before %(moment)s.") % {"moment": date_format(timezone.localtime(floor), "DATETIME_FORMAT")}
        )
    return at


@transaction.atomic
def run_create(
    *, plan: CutoverPlan, kind: str, name: str, planned_start: datetime, user: AbstractBaseUser | None = None
) -> CutoverRun:
    if (
        kind == CutoverRun.Kind.LIVE
        and plan.runs.filter(kind=CutoverRun.Kind.LIVE).exclude(status=CutoverRun.Status.ABORTED).exists()
    ):
        raise GoLiveError(_("There is already a live cutover; abort it before planning another one."))
    run = CutoverRun(plan=plan, kind=kind, name=name.strip(), planned_start=planned_start)
    run.full_clean()
    run._history_user = user
    run.save()
    return run


@transaction.atomic
def run_start(*, run: CutoverRun, user: AbstractBaseUser | None = None, at: datetime | None = None) -> CutoverRun:
    """Start a planned run: every task of the runbook gets its row in the run, not started."""
    run = CutoverRun.objects.select_for_update().get(pk=run.pk)
    if run.status != CutoverRun.Status.PLANNED:
        raise GoLiveError(_("Only a planned run can be started."))
    if not run.plan.tasks.exists():
        raise GoLiveError(_("The runbook has no tasks yet."))
    busy = run.plan.runs.filter(status=CutoverRun.Status.RUNNING).exclude(pk=run.pk).first()
    if busy is not None:
        raise GoLiveError(_("%(run)s is still running; finish or abort it first.") % {"run": busy.name})
    run.started_at = _moment(run, at)
    run.status = CutoverRun.Status.RUNNING
    run._history_user = user
    run.save()
    existing = set(run.task_runs.values_list("task_id", flat=True))
    TaskRun.objects.bulk_create(TaskRun(run=run, task=task) for task in run.plan.tasks.exclude(pk__in=existing))
    return run


@transaction.atomic
def run_finish(
    *, run: CutoverRun, abort: bool = False, user: AbstractBaseUser | None = None, at: datetime | None = None
) -> CutoverRun:
    """Finish a running run when every task is done or skipped; or abort it, whatever its state."""
    run = CutoverRun.objects.select_for_update().get(pk=run.pk)
    if abort:
        if run.status not in (CutoverRun.Status.PLANNED, CutoverRun.Status.RUNNING):
            raise GoLiveError(_("Only a planned or running run can be aborted."))
        run.status = CutoverRun.Status.ABORTED
    else:
        if run.status != CutoverRun.Status.RUNNING:
            raise GoLiveError(_("Only a running run can be finished."))
        open_tasks = run.task_runs.exclude(status__in=[TaskRun.Status.DONE, TaskRun.Status.SKIPPED]).select_related(
            "task"
        )
        if open_tasks:
            numbers = ", ".join(str(tr.task.number) for tr in open_tasks[:10])
            raise GoLiveError(
                _("Tasks %(numbers)s are not done or skipped yet; finish them, or abort the run.")
                % {"numbers": numbers}
            )
        run.status = CutoverRun.Status.FINISHED
    run.finished_at = _moment(run, at)
    run._history_user = user
    run.save()
    return run


def _task_run(run: CutoverRun, task: CutoverTask) -> TaskRun:
    run = CutoverRun.objects.select_for_update().get(pk=run.pk)
    if run.status != CutoverRun.Status.RUNNING:
        raise GoLiveError(_("The run is not running; start it first."))
    task_run, _created = TaskRun.objects.select_for_update().get_or_create(run=run, task=task)
    task_run.run = run
    return task_run


def _save_task_run(task_run: TaskRun, user: AbstractBaseUser | None) -> TaskRun:
    task_run.by = user
    task_run._history_user = user
    task_run.save()
    return task_run


@transaction.atomic
def task_start(
    *, run: CutoverRun, task: CutoverTask, user: AbstractBaseUser | None = None, at: datetime | None = None
) -> TaskRun:
    """Start a task whose predecessors are done or skipped; a failed task can be started again."""
    task_run = _task_run(run, task)
    if task_run.status not in (TaskRun.Status.PENDING, TaskRun.Status.FAILED):
        raise GoLiveError(_("Task %(number)d has already started.") % {"number": task.number})
    waiting = [
        p.number
        for p in task.predecessors.all()
        if not TaskRun.objects.filter(
            run=task_run.run, task=p, status__in=[TaskRun.Status.DONE, TaskRun.Status.SKIPPED]
        ).exists()
    ]
    if waiting:
        raise GoLiveError(
            _("Task %(number)d waits for %(waiting)s.")
            % {"number": task.number, "waiting": ", ".join(str(n) for n in sorted(waiting))}
        )
    task_run.status = TaskRun.Status.RUNNING
    task_run.actual_start = _moment(task_run.run, at)
    task_run.actual_end = None
    return _save_task_run(task_run, user)


@transaction.atomic
def task_finish(
    *,
    run: CutoverRun,
    task: CutoverTask,
    outcome: str,
    reason: str = "",
    user: AbstractBaseUser | None = None,
    at: datetime | None = None,
) -> TaskRun:
    """Complete or fail a running task (a validation passes or fails); a failure needs its reason."""
    if outcome not in (TaskRun.Status.DONE, TaskRun.Status.FAILED):
        raise GoLiveError(_("A task ends done or failed."))
    task_run = _task_run(run, task)
    if task_run.status != TaskRun.Status.RUNNING:
        raise GoLiveError(_("Task %(number)d is not running; start it first.") % {"number": task.number})
    if outcome == TaskRun.Status.FAILED and not reason.strip():
        raise GoLiveError(_("Say why the task failed."))
    task_run.actual_end = _moment(task_run.run, at, not_before=task_run.actual_start)
    task_run.status = outcome
    task_run.reason = reason.strip()
    return _save_task_run(task_run, user)


@transaction.atomic
def task_skip(*, run: CutoverRun, task: CutoverTask, reason: str, user: AbstractBaseUser | None = None) -> TaskRun:
    """Skip a task that has not started (e.g. a rollback step when all went well); the reason is required."""
    task_run = _task_run(run, task)
    if task_run.status not in (TaskRun.Status.PENDING, TaskRun.Status.FAILED):
        raise GoLiveError(_("Task %(number)d has already started.") % {"number": task.number})
    if not reason.strip():
        raise GoLiveError(_("Say why the task is skipped."))
    task_run.status = TaskRun.Status.SKIPPED
    task_run.reason = reason.strip()
    task_run.actual_start = task_run.actual_end = None
    return _save_task_run(task_run, user)


@transaction.atomic
def durations_apply(
    *, plan: CutoverPlan, durations: dict[int, int], user: AbstractBaseUser | None = None
) -> list[CutoverTask]:
    """Set new planned durations (task id → minutes), e.g. the ones re-estimated from rehearsals."""
    changed = []
    for task in plan.tasks.filter(pk__in=durations):
        minutes = durations[task.pk]
        if minutes < 0:
            raise GoLiveError(_("A duration cannot be negative."))
        if task.duration_minutes != minutes:
            task.duration_minutes = minutes
            task._history_user = user
            save_versioned(task, expected_version=task.version)
            changed.append(task)
    return changed
