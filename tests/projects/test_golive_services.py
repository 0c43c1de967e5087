"""Go-live rules: runbook tasks without cycles, training completion per role, the signed go/no-go decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Attendance, GoNoGoDecision, Membership, TrainingPlan, TrainingSession
from projects.services import golive as svc
from tests.factories import PASSWORD
from workbench.models import ImmutableError


@pytest.fixture
def plan(project):
    return svc.plan_for(project)


def test_tasks_are_numbered_in_order_and_a_circle_is_refused_with_its_numbers(plan):
    freeze = svc.task_create(plan=plan, title="Freeze master data")
    count = svc.task_create(plan=plan, title="Final stock count", predecessors=[freeze])
    load = svc.task_create(plan=plan, title="Final data load", predecessors=[count])
    assert [t.number for t in (freeze, count, load)] == [1, 2, 3]
    with pytest.raises(svc.GoLiveError, match=r"circle: 1 → 3 → 2 → 1"):
        svc.task_update(task=freeze, expected_version=freeze.version, predecessors=[load])
    freeze.refresh_from_db()
    assert list(freeze.predecessors.all()) == [] and freeze.version == 1


def test_a_task_follows_only_tasks_of_its_own_runbook(plan, outsider):
    from projects.models import Project

    other = svc.plan_for(Project.objects.get(code="OTHER"))
    foreign = svc.task_create(plan=other, title="Elsewhere")
    with pytest.raises(svc.GoLiveError, match="same runbook"):
        svc.task_create(plan=plan, title="Here", predecessors=[foreign])


def test_training_is_complete_for_those_who_attended_every_session_of_their_plan(project, team):
    members = {m.user.username: m for m in Membership.objects.filter(project=project)}
    warehouse = TrainingPlan.objects.create(project=project, role="warehouse_keeper", title="Receiving and counting")
    finance = TrainingPlan.objects.create(project=project, role="finance", title="Postings")
    warehouse.trainees.set([members["tester"], members["editor"]])
    finance.trainees.set([members["viewer"]])
    start = timezone.now()
    first = TrainingSession.objects.create(plan=warehouse, title="Receiving", starts_at=start)
    second = TrainingSession.objects.create(plan=warehouse, title="Stock-take", starts_at=start + timedelta(days=1))
    for session in (first, second):
        Attendance.objects.create(session=session, member=members["tester"], status="attended")
    Attendance.objects.create(session=first, member=members["editor"], status="attended")
    Attendance.objects.create(session=second, member=members["editor"], status="absent")
    rows, overall = svc.training_completion(project)
    by_role = {row.plan.role: (row.trainees, row.complete, row.percent) for row in rows}
    assert by_role == {"warehouse_keeper": (2, 1, 50.0), "finance": (1, 0, 0.0)}  # a plan without sessions: nobody
    assert overall == pytest.approx(33.3)


def test_only_the_named_decider_signs_with_the_password_and_the_decision_never_changes(project, team):
    plan = svc.plan_for(project)
    with pytest.raises(svc.GoLiveError, match="decider"):
        svc.decision_sign(project=project, user=team["owner"], password=PASSWORD, outcome="go")
    plan.decider = Membership.objects.get(project=project, user=team["owner"])
    plan.save()
    with pytest.raises(svc.GoLiveError, match="password"):
        svc.decision_sign(project=project, user=team["owner"], password="wrong", outcome="go")
    with pytest.raises(svc.GoLiveError, match="Only the named decider"):
        svc.decision_sign(project=project, user=team["editor"], password=PASSWORD, outcome="go")
    with pytest.raises(svc.GoLiveError, match="conditions"):
        svc.decision_sign(project=project, user=team["owner"], password=PASSWORD, outcome="go_with_conditions")
    decision = svc.decision_sign(
        project=project,
        user=team["owner"],
        password=PASSWORD,
        outcome="go_with_conditions",
        conditions="Hotfix v2.3.2 installed before the stores open",
        criteria=[{"kind": "open_severe_defects", "value": 1, "met": False}],
    )
    assert decision.criteria[0]["value"] == 1
    decision.outcome = "go"
    with pytest.raises(ImmutableError):
        decision.save()
    with pytest.raises(ImmutableError):
        GoNoGoDecision.objects.filter(pk=decision.pk).update(outcome="go")
