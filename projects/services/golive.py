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
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from projects.models import (
    Attendance,
    CutoverPlan,
    CutoverTask,
    GoNoGoDecision,
    Project,
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
