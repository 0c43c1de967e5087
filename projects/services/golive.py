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
from django.utils.translation import ngettext

from projects.models import (
    Attendance,
    CutoverPhase,
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


@transaction.atomic
def task_delete(*, task: CutoverTask, user: AbstractBaseUser | None = None) -> list[CutoverTask]:
    """Delete a task that no run has recorded anything for; its successors lose the link (returned, by number).

    A task that started, finished, failed or was skipped in a rehearsal or the live run stays: deleting it
    would lose what happened there. Its rows in runs that had not reached it yet go with it.
    """
    task = CutoverTask.objects.select_for_update().select_related("plan").get(pk=task.pk)
    recorded = list(
        TaskRun.objects.filter(task=task)
        .exclude(status=TaskRun.Status.PENDING)
        .select_related("run")
        .order_by("run__planned_start", "run_id")
    )
    if recorded:
        names = ", ".join(dict.fromkeys(task_run.run.name for task_run in recorded))
        raise GoLiveError(
            _(
                "Task %(number)d cannot be deleted: it was run in %(runs)s, and deleting it would lose what was "
                "recorded there. Change it instead, or skip it in the next run."
            )
            % {"number": task.number, "runs": names}
        )
    successors = list(task.successors.order_by("number"))
    for successor in successors:
        successor._history_user = user
        successor.predecessors.remove(task)  # recorded in the successor's history
    task._history_user = user
    task.delete()
    return successors


@transaction.atomic
def plan_update(
    *, plan: CutoverPlan, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> CutoverPlan:
    """Change the cutover plan: strategy, dates, window, contingency plan, decider (checked by `CutoverPlan.clean`)."""
    for frozen in ("project", "version"):
        fields.pop(frozen, None)
    decider = fields.get("decider")
    if decider is not None and decider.project_id != plan.project_id:
        raise GoLiveError(_("The go/no-go decider must be a member of this project."))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan._history_user = user
    return save_versioned(plan, expected_version=expected_version)


def _phase_save(phase: CutoverPhase, user: AbstractBaseUser | None) -> CutoverPhase:
    phase.name = phase.name.strip()
    phase.scope = phase.scope.strip()
    phase.full_clean()
    phase._history_user = user
    phase.save()
    return phase


@transaction.atomic
def phase_create(
    *, plan: CutoverPlan, name: str, order: int | None = None, user: AbstractBaseUser | None = None, **fields: Any
) -> CutoverPhase:
    """Add a phase of a phased go-live; without an order it comes last."""
    if order is None:
        order = (plan.phases.aggregate(last=Max("order"))["last"] or 0) + 1
    return _phase_save(CutoverPhase(plan=plan, name=name, order=order, **fields), user)


@transaction.atomic
def phase_update(*, phase: CutoverPhase, user: AbstractBaseUser | None = None, **fields: Any) -> CutoverPhase:
    for frozen in ("plan", "id"):
        fields.pop(frozen, None)
    for name, value in fields.items():
        setattr(phase, name, value)
    return _phase_save(phase, user)


@transaction.atomic
def phase_delete(*, phase: CutoverPhase, user: AbstractBaseUser | None = None) -> list[CutoverTask]:
    """Delete a phase; its tasks stay in the runbook, in no phase (each change in the task's history)."""
    tasks = list(phase.tasks.order_by("number"))
    for task in tasks:
        task.phase = None
        task._history_user = user
        save_versioned(task, expected_version=task.version)
    phase._history_user = user
    phase.delete()
    return tasks


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


# The go/no-go criteria a person sets up: computed kinds are judged against a threshold, a yes/no kind takes none,
# a manual check is ticked by hand (met, not met, or not judged yet).
GO_PERCENT_KINDS = ("must_have_uat", "reconciliations_pass", "data_signoffs", "training_completion")
GO_COUNT_KINDS = ("open_severe_defects", "uat_runs_signed")
GO_YES_NO_KINDS = ("rehearsal_in_window",)
GO_MANUAL = "manual"
_CRITERION_FIELDS = ("kind", "name", "comparison", "threshold", "note", "manual_met")


def _criterion_check(criterion: Any) -> None:
    """Refuse a criterion that cannot be judged; tidy what a kind does not use."""
    from projects.models import GoNoGoCriterion

    kind = criterion.kind
    if kind not in GoNoGoCriterion.Kind.values:
        raise GoLiveError(_("Choose what the criterion measures."))
    if criterion.comparison not in GoNoGoCriterion.Comparison.values:
        raise GoLiveError(_("Choose “at least” or “at most”."))
    criterion.name = (criterion.name or "").strip()
    criterion.note = (criterion.note or "").strip()
    threshold = criterion.threshold
    if kind == GO_MANUAL:
        if not criterion.name:
            raise GoLiveError(_("Name the manual check, e.g. “Support rota for the first two weeks agreed”."))
        if threshold is not None:
            raise GoLiveError(_("A manual check is ticked by hand: it takes no threshold."))
        criterion.comparison = GoNoGoCriterion.Comparison.AT_LEAST
        return
    criterion.manual_met = None
    if kind in GO_YES_NO_KINDS:
        if threshold is not None:
            raise GoLiveError(
                _("“%(kind)s” is a yes-or-no figure: it takes no threshold.") % {"kind": criterion.get_kind_display()}
            )
        criterion.comparison = GoNoGoCriterion.Comparison.AT_LEAST
        return
    if threshold is None:
        raise GoLiveError(_("Set the threshold the figure is judged against."))
    if threshold < 0:
        raise GoLiveError(_("A threshold cannot be negative."))
    if kind in GO_PERCENT_KINDS and threshold > 100:
        raise GoLiveError(_("This figure is a share: its threshold is between 0 and 100 %."))
    if kind in GO_COUNT_KINDS and threshold != threshold.to_integral_value():
        raise GoLiveError(_("This figure is a count: its threshold is a whole number."))


def _criterion_save(criterion: Any, user: AbstractBaseUser | None) -> Any:
    from django.core.exceptions import ValidationError

    _criterion_check(criterion)
    try:
        criterion.full_clean(exclude=["project"])
    except ValidationError as exc:
        raise GoLiveError(" ".join(exc.messages)) from exc
    criterion._history_user = user
    criterion.save()
    return criterion


@transaction.atomic
def criterion_create(
    *,
    project: Project,
    kind: str,
    name: str = "",
    comparison: str = "at_least",
    threshold: Any = None,
    note: str = "",
    manual_met: bool | None = None,
    user: AbstractBaseUser | None = None,
) -> Any:
    """A go/no-go criterion of the project, after the others; `manual_met` is a manual check's verdict."""
    from projects.models import GoNoGoCriterion

    Project.objects.select_for_update().filter(pk=project.pk).first()  # orders are given one at a time
    last = project.go_criteria.aggregate(last=Max("order"))["last"] or 0
    criterion = GoNoGoCriterion(
        project=project,
        order=last + 10,
        kind=kind,
        name=name,
        comparison=comparison,
        threshold=threshold,
        note=note,
        manual_met=manual_met,
    )
    return _criterion_save(criterion, user)


@transaction.atomic
def criterion_update(
    *,
    criterion: Any,
    expected_updated_at: datetime | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> Any:
    """Change a criterion's kind, name, comparison, threshold, note or manual verdict. With `expected_updated_at`
    (when the person opened it), a criterion someone else saved meanwhile is refused (StaleVersionError)."""
    from projects.models import GoNoGoCriterion
    from workbench.locking import StaleVersionError

    current = GoNoGoCriterion.objects.select_for_update().get(pk=criterion.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise StaleVersionError(current)
    unknown = set(fields) - set(_CRITERION_FIELDS)
    if unknown:
        raise GoLiveError(_("A criterion has no field %(name)s.") % {"name": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(current, name, value)
    if current.kind != GO_MANUAL:
        current.manual_met = None
    return _criterion_save(current, user)


@transaction.atomic
def criterion_judge(
    *, criterion: Any, met: bool | None, note: str | None = None, user: AbstractBaseUser | None = None
) -> Any:
    """Tick a manual check: met (True), not met (False) or not judged yet (None); `note` replaces the note when
    given. A computed criterion is refused: its verdict comes from live data."""
    from projects.models import GoNoGoCriterion

    current = GoNoGoCriterion.objects.select_for_update().get(pk=criterion.pk)
    if current.kind != GO_MANUAL:
        raise GoLiveError(_("Only a manual check is ticked by hand; this one is measured from live data."))
    current.manual_met = met
    if note is not None:
        current.note = note
    return _criterion_save(current, user)


@transaction.atomic
def criterion_delete(*, criterion: Any, user: AbstractBaseUser | None = None) -> None:
    """Remove a criterion; decisions already signed keep it as it was evaluated."""
    criterion._history_user = user
    criterion.delete()


@transaction.atomic
def criteria_add_standard(*, project: Project, user: AbstractBaseUser | None = None) -> list:
    """The usual go/no-go criteria the project does not have yet (`projects.gonogo.standard_criteria`); refused
    when it has them all."""
    from projects.gonogo import standard_criteria
    from projects.models import GoNoGoCriterion

    added = standard_criteria(project)
    if not added:
        raise GoLiveError(_("The project already has every standard criterion; nothing was added."))
    if user is not None:
        GoNoGoCriterion.history.filter(id__in=[c.pk for c in added], history_type="+").update(history_user=user)
    return added


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
            _("That time is before %(moment)s.")
            % {"moment": date_format(timezone.localtime(floor), "SHORT_DATETIME_FORMAT")}
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
def run_update(
    *,
    run: CutoverRun,
    expected_version: int,
    name: str,
    planned_start: datetime,
    user: AbstractBaseUser | None = None,
) -> CutoverRun:
    """Rename or move a run while it is planned; once it started, its times are history."""
    if CutoverRun.objects.filter(pk=run.pk).values_list("status", flat=True).first() != CutoverRun.Status.PLANNED:
        raise GoLiveError(_("Only a planned run can be changed; this one has started."))
    run.name = name.strip()
    run.planned_start = planned_start
    run.full_clean()
    run._history_user = user
    return save_versioned(run, expected_version=expected_version)


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
        finished = TaskRun.objects.filter(run=run, status__in=[TaskRun.Status.DONE, TaskRun.Status.SKIPPED])
        open_numbers = list(
            run.plan.tasks.exclude(pk__in=finished.values("task_id"))
            .order_by("number")
            .values_list("number", flat=True)
        )
        if open_numbers:
            shown = ", ".join(str(n) for n in open_numbers[:12]) + (" …" if len(open_numbers) > 12 else "")
            raise GoLiveError(
                ngettext(
                    "Task %(numbers)s is not done or skipped yet; finish it, or abort the run.",
                    "Tasks %(numbers)s are not done or skipped yet; finish them, or abort the run.",
                    len(open_numbers),
                )
                % {"numbers": shown}
            )
        run.status = CutoverRun.Status.FINISHED
    last_end = run.task_runs.filter(actual_end__isnull=False).aggregate(last=Max("actual_end"))["last"]
    floor = max((t for t in (run.started_at, last_end) if t is not None), default=None)
    run.finished_at = _moment(run, at, not_before=floor)
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
    task_run.reason = ""  # a failed task started again: why it failed stays in the history
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
    """Set new planned durations (task id → minutes), e.g. the ones re-estimated from rehearsals.

    Refused while a run is in progress: its plan, what "late" is measured against, would move under it.
    """
    busy = plan.runs.filter(status=CutoverRun.Status.RUNNING).first()
    if busy is not None:
        raise GoLiveError(_("%(run)s is running; change the planned durations after it ends.") % {"run": busy.name})
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
