"""Run progress: counts by result, by tester and by requirement layer, and the burn-down, on a hand-built run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Membership
from requirements import services as requirement_services
from testing import services as svc
from testing.models import Execution
from testing.progress import burndown_chart, run_burndown, run_progress

STEPS = [("Open the form", "The form opens"), ("Save", "Saved")]


@pytest.fixture
def world(project, team):
    members = {m.role: m for m in Membership.objects.filter(project=project)}
    core = requirement_services.requirement_create(project=project, title="Receive", statement="s", layer="core")
    integration = requirement_services.requirement_create(
        project=project, title="EDI", statement="s", layer="integration"
    )
    cases = {
        "core": svc.case_create(project=project, title="Core only", steps=STEPS, requirements=[core]),
        "both": svc.case_create(project=project, title="Both layers", steps=STEPS, requirements=[core, integration]),
        "none": svc.case_create(project=project, title="No requirement", steps=STEPS),
        "integration": svc.case_create(project=project, title="EDI only", steps=STEPS, requirements=[integration]),
    }
    run = svc.run_create(project=project, name="Round 1", cases=list(cases.values()))
    by_case = {rc.case_id: rc for rc in run.run_cases.select_related("run")}
    rc = {name: by_case[case.pk] for name, case in cases.items()}
    svc.run_assign(run_case=rc["core"], tester=members["tester"])
    svc.run_assign(run_case=rc["both"], tester=members["tester"])
    svc.run_assign(run_case=rc["none"], tester=members["editor"])
    return {"run": run, "rc": rc, "cases": cases, "members": members, "core": core, "integration": integration}


def execute(world, user):
    """core: pass; both: fail; none: blocked; integration: not run."""
    run = world["run"]
    svc.run_start(run=run)
    rc = {name: r.__class__.objects.select_related("run").get(pk=r.pk) for name, r in world["rc"].items()}
    svc.step_record(run_case=rc["core"], step_order=1, status="pass", user=user)
    svc.step_record(run_case=rc["core"], step_order=2, status="pass", user=user)
    svc.step_record(run_case=rc["both"], step_order=1, status="fail", actual="Error 500", user=user)
    svc.step_record(run_case=rc["none"], step_order=1, status="blocked", actual="No printer", user=user)
    return rc


def test_counts_by_result(world, tester):
    execute(world, tester)
    progress = run_progress(world["run"])
    assert progress.total == 4
    assert progress.counts == {"pass": 1, "fail": 1, "blocked": 1, "skipped": 0, "in_progress": 0, "not_run": 1}
    assert progress.done == 3
    assert progress.percent_done == 75
    assert {r.value: r.percent for r in progress.by_result}["pass"] == 25


def test_counts_by_tester_with_unassigned_last(world, tester):
    execute(world, tester)
    rows = run_progress(world["run"]).by_tester
    figures = [(r.membership_id, r.total, r.done, r.passed, r.failed, r.blocked) for r in rows]
    members = world["members"]
    assert sorted(figures[:2]) == sorted([(members["tester"].pk, 2, 2, 1, 1, 0), (members["editor"].pk, 1, 1, 0, 0, 1)])
    assert figures[2] == (None, 1, 0, 0, 0, 0)
    assert rows[2].name == "Unassigned"


def test_counts_by_layer_count_a_case_in_each_of_its_layers(world, tester):
    execute(world, tester)
    rows = {r.value: (r.total, r.done, r.passed, r.failed, r.blocked) for r in run_progress(world["run"]).by_layer}
    assert rows == {
        "core": (2, 2, 1, 1, 0),
        "integration": (2, 1, 0, 1, 0),
        "none": (1, 1, 0, 0, 1),
    }


def test_layers_before_the_start_follow_the_cases(world):
    rows = {r.value: r.total for r in run_progress(world["run"]).by_layer}
    assert rows == {"core": 2, "integration": 2, "none": 1}


def test_layers_once_started_follow_the_frozen_requirements(world, tester):
    execute(world, tester)
    case = world["cases"]["integration"]
    svc.case_update(case=case, expected_version=case.version, requirements=[world["core"]])
    rows = {r.value: r.total for r in run_progress(world["run"]).by_layer}
    assert rows == {"core": 2, "integration": 2, "none": 1}


def test_burndown_counts_what_remains_each_day(world, tester):
    run = world["run"]
    today = timezone.localdate()
    run.planned_start, run.planned_end = today - timedelta(days=2), today + timedelta(days=2)
    run.save()
    rc = execute(world, tester)
    # The passed case was finished two days ago.
    Execution.objects.filter(run_case=rc["core"]).update(finished_at=timezone.now() - timedelta(days=2))
    burndown = run_burndown(run)
    assert [p.day for p in burndown.points] == [today + timedelta(days=d) for d in range(-2, 3)]
    assert [p.remaining for p in burndown.points] == [3, 3, 1, None, None]
    assert burndown.remaining_today == 1
    assert [p.ideal for p in burndown.points] == [4.0, 3.0, 2.0, 1.0, 0.0]


def test_a_retest_reopens_the_case(world, tester):
    rc = execute(world, tester)
    assert run_burndown(world["run"]).remaining_today == 1
    svc.retest(run_case=rc["both"], user=tester)
    assert run_burndown(world["run"]).remaining_today == 2


def test_burndown_runs_to_today_after_the_planned_end(world, tester):
    run = world["run"]
    today = timezone.localdate()
    run.planned_start, run.planned_end = today - timedelta(days=5), today - timedelta(days=3)
    run.save()
    execute(world, tester)
    burndown = run_burndown(run)
    assert burndown.points[-1].day == today
    assert burndown.points[-1].remaining == 1
    assert burndown.points[2].ideal == 0.0 and burndown.points[3].ideal is None


def test_burndown_chart_is_svg_with_the_cjk_font(world, tester):
    execute(world, tester)
    svg = burndown_chart(run_burndown(world["run"]))
    assert svg.startswith("<svg") and "<script" not in svg
    assert "Noto Sans CJK SC" in svg
    assert "Remaining cases" in svg
