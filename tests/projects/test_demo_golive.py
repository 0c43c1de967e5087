"""The demo's go-live: a parallel-run cutover plan with the 进销存 runbook, one rehearsal done (two tasks late),
training partly done and the go/no-go criteria evaluated, in English and in Chinese."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from projects import gonogo
from projects.demo import build_demo
from projects.demo_golive import build_golive_demo
from projects.models import (
    Attendance,
    CutoverPlan,
    CutoverRun,
    CutoverTask,
    GoNoGoCriterion,
    GoNoGoDecision,
    Membership,
    TaskRun,
    TrainingPlan,
    TrainingSession,
)
from projects.selectors.golive import dashboard
from projects.services.golive import training_completion

CHINESE = "zh-hans"


@pytest.fixture(scope="module", params=["en", CHINESE])
def demo(request, django_db_setup, django_db_blocker):
    """The demo built once per language, in a transaction rolled back after that language's tests; each test runs
    in a savepoint inside it (see `_each_test_in_a_savepoint`)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield request.param, build_demo(language=request.param)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(db):
    """Whatever a test changes is undone before the next one (see `demo`)."""


def _minutes(task_run: TaskRun) -> int:
    return int((task_run.actual_end - task_run.actual_start).total_seconds() // 60)


def test_the_plan_is_a_parallel_run_over_a_weekend_window_with_its_points_in_order(demo):
    language, project = demo
    plan = project.cutover_plan
    local = timezone.localtime

    assert plan.strategy == CutoverPlan.Strategy.PARALLEL
    go_live = plan.go_live_date
    if timezone.localdate() <= date(2027, 6, 5):  # the last Saturday on or before the target go-live, 30 June 2027
        assert go_live == date(2027, 6, 26)
    else:  # the target is too close: a Saturday five weeks on
        assert go_live.weekday() == 5 and go_live >= timezone.localdate() + timedelta(weeks=5)
    friday, sunday = go_live - timedelta(days=1), go_live + timedelta(days=1)
    assert local(plan.window_start).strftime("%a %Y-%m-%d %H:%M") == f"Fri {friday} 18:00"
    assert local(plan.rollback_deadline).strftime("%a %Y-%m-%d %H:%M") == f"Sat {go_live} 07:30"
    assert local(plan.point_of_no_return).strftime("%a %Y-%m-%d %H:%M") == f"Sat {go_live} 10:00"
    assert local(plan.window_end).strftime("%a %Y-%m-%d %H:%M") == f"Sun {sunday} 18:00"
    assert plan.window_start < plan.rollback_deadline < plan.point_of_no_return < plan.window_end
    assert plan.parallel_until == go_live + timedelta(days=14)
    assert plan.hypercare_until == go_live + timedelta(days=27)  # four weeks, the last a Friday
    assert plan.decider.user.username == "lead"
    assert not plan.phases.exists()
    if language == CHINESE:
        assert "0.5%" in plan.comparison_checks and "按客户的应收账款" in plan.comparison_checks
        assert "30 分钟无法过账销售" in plan.contingency_plan
    else:
        assert "Stock by warehouse and SKU" in plan.comparison_checks and "CNY 1.00" in plan.comparison_checks
        assert "cannot post sales for 30 minutes" in plan.contingency_plan and "0.5 %" in plan.contingency_plan


def test_the_runbook_has_the_templates_46_tasks_each_with_an_owner_and_another_backup(demo):
    language, project = demo
    tasks = list(project.cutover_plan.tasks.select_related("owner__user", "backup__user"))

    assert len(tasks) == 46
    assert all(t.owner is not None and t.backup is not None and t.owner != t.backup for t in tasks)
    by_key = {t.template_key: t for t in tasks}
    owners = {key: by_key[key].owner.user.username for key in by_key}
    assert owners["go-no-go"] == "lead"
    assert owners["count-warehouses"] == "warehouse" and owners["freeze-master-data"] == "procurement"
    assert owners["load-stock"] == "it" and owners["reconcile-opening-balances"] == "finance"
    assert {t.owner.user.username for t in tasks if t.stream == CutoverTask.Stream.TECHNICAL} == {"it"}
    assert {t.owner.user.username for t in tasks if t.stream == CutoverTask.Stream.COMMUNICATIONS} == {"lead"}
    assert {t.owner.user.username for t in tasks if t.stream == CutoverTask.Stream.DATA} <= {"it", "finance"}
    assert by_key["count-stores"].duration_minutes == 180  # the rehearsal's overrun is not applied by itself
    assert by_key["go-no-go"].kind == CutoverTask.Kind.GATE
    if language == CHINESE:
        assert by_key["count-stores"].title == "各门店最终盘点"
        assert by_key["go-no-go"].title == "上线决策（Go/No-Go）"
    else:
        assert by_key["count-stores"].title == "Final stock count in every store"


def test_rehearsal_one_ran_late_on_two_tasks_and_still_fit_the_window(demo):
    language, project = demo
    plan = project.cutover_plan
    first, second = plan.runs.order_by("planned_start")
    today = timezone.localdate()

    assert first.kind == second.kind == CutoverRun.Kind.REHEARSAL
    assert first.status == CutoverRun.Status.FINISHED
    assert timezone.localtime(first.started_at).strftime("%a %H:%M") == "Fri 18:00"
    assert 7 <= (today - timezone.localdate(first.started_at)).days <= 13
    # From Friday 18:00 to Saturday 23:00, when day one closes after the evening's comparisons (fixed at 22:00).
    assert first.finished_at - first.started_at == timedelta(hours=29)
    assert first.finished_at - first.started_at <= plan.window_end - plan.window_start

    task_runs = list(first.task_runs.select_related("task"))
    assert len(task_runs) == 46
    skipped = [tr for tr in task_runs if tr.status == TaskRun.Status.SKIPPED]
    assert {tr.task.kind for tr in skipped} == {CutoverTask.Kind.ROLLBACK} and len(skipped) == 3
    reason = "不需要：演练顺利完成。" if language == CHINESE else "Not needed: the rehearsal went through."
    assert {tr.reason for tr in skipped} == {reason}
    done = [tr for tr in task_runs if tr.status == TaskRun.Status.DONE]
    assert len(done) == 43
    longer = {
        tr.task.template_key: (tr.task.duration_minutes, _minutes(tr))
        for tr in done
        if _minutes(tr) != tr.task.duration_minutes
    }
    assert longer == {"count-stores": (180, 225), "load-opening-balances": (45, 75)}

    board = dashboard(first)
    assert {t.template_key for t in board.late} == {"count-stores", "load-opening-balances"}
    assert board.rag == "amber"
    gate = next(tr for tr in done if tr.task.template_key == "go-no-go")
    assert timezone.localtime(gate.actual_start).strftime("%a %H:%M") == "Sat 07:00"  # the slack took the delay

    assert second.status == CutoverRun.Status.PLANNED and not second.task_runs.exists()
    assert 3 <= (timezone.localdate(second.planned_start) - today).days <= 9
    assert [first.name, second.name] == (
        ["第一次切换演练", "第二次切换演练"] if language == CHINESE else ["Rehearsal 1", "Rehearsal 2"]
    )


def test_training_is_partly_done(demo):
    language, project = demo
    rows, overall = training_completion(project)

    completion = {row.plan.role: (row.trainees, row.complete, row.percent) for row in rows}
    assert completion == {
        "warehouse_keeper": (2, 2, 100.0),
        "purchaser": (1, 1, 100.0),
        "manager": (2, 1, 50.0),  # the IT lead missed the reports session
        "sales_clerk": (1, 0, 0.0),  # one session to come
        "finance": (2, 0, 0.0),  # the auditor missed the first session; two to come
    }
    assert overall == 50.0

    trainees = list(Membership.objects.filter(training_plans__project=project).values_list("user__username", flat=True))
    assert len(trainees) == len(set(trainees)) == 8  # nobody is in two plans
    now = timezone.now()
    sessions = TrainingSession.objects.filter(plan__project=project).prefetch_related("attendances")
    assert sessions.count() == 12
    for session in sessions:
        assert session.trainer and session.location and session.topics.startswith("- ")
        statuses = {a.status for a in session.attendances.all()}
        assert len(session.attendances.all()) == session.plan.trainees.count()
        if session.starts_at < now:
            assert statuses <= {Attendance.Status.ATTENDED, Attendance.Status.ABSENT}
        else:
            assert statuses == {Attendance.Status.INVITED}
    attendance = Attendance.objects.filter(session__plan__project=project)
    assert attendance.filter(status=Attendance.Status.ABSENT).count() == 2
    scores = [a.quiz_score for a in attendance.filter(status=Attendance.Status.ATTENDED)]
    assert len(scores) == 12 and all(Decimal(60) <= s <= Decimal(98) for s in scores)
    assert not attendance.filter(status=Attendance.Status.ABSENT, quiz_score__isnull=False).exists()

    titles = set(TrainingPlan.objects.filter(project=project).values_list("title", flat=True))
    if language == CHINESE:
        assert "仓管员：用手持终端收货、调拨和盘点" in titles
        assert sessions.filter(title="用手持终端收货和上架", trainer="周敏（供应商实施顾问）").exists()
    else:
        assert "Warehouse keepers: receiving, transfers and counts on the handheld" in titles


def test_the_go_no_go_criteria_evaluate_to_a_mix_with_data_and_no_decision(demo):
    language, project = demo
    evaluations = gonogo.evaluate(project)
    states = {e.kind: e.state for e in evaluations if e.kind != GoNoGoCriterion.Kind.MANUAL}

    assert states == {
        "must_have_uat": gonogo.NOT_MET,  # UAT round 1 is half way
        "open_severe_defects": gonogo.NOT_MET,  # the overselling defect is open
        "uat_runs_signed": gonogo.MET,  # the pilot store's smoke test
        "reconciliations_pass": gonogo.NOT_MET,  # the open sales orders of trial load 2
        "data_signoffs": gonogo.NOT_MET,
        "training_completion": gonogo.NOT_MET,
        "rehearsal_in_window": gonogo.MET,
    }
    by_kind = {e.kind: e for e in evaluations}
    assert by_kind["training_completion"].value == Decimal("50.0")
    assert by_kind["rehearsal_in_window"].value is True
    manual = {e.name: (e.state, bool(e.note)) for e in evaluations if e.kind == GoNoGoCriterion.Kind.MANUAL}
    desk, briefed = (
        ("上线首周支持台人员到位", "店长已了解应急处理流程")
        if language == CHINESE
        else ("Support desk staffed for the first week", "Store managers briefed on the fallback procedure")
    )
    assert manual[desk] == (gonogo.MET, True)
    assert manual[briefed] == (gonogo.NO_DATA, True)
    assert len(manual) == 3  # with the standard support-rota check, not ticked yet
    assert not GoNoGoDecision.objects.filter(project=project).exists()


def _counts():
    models = (CutoverPlan, CutoverTask, CutoverRun, TaskRun, TrainingPlan, TrainingSession, Attendance, GoNoGoCriterion)
    rows = tuple(model.objects.count() for model in models)
    histories = sum(model.history.count() for model in models)
    return rows, histories


def test_building_it_again_changes_nothing(demo):
    language, project = demo
    before = _counts()

    build_golive_demo(project=project, language=language)
    build_demo(language=language)

    assert _counts() == before
