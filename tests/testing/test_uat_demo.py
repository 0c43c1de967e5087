"""The demo's UAT: about 30 cases verifying the demo requirements, a signed smoke test on the pilot store, and
UAT round 1 half executed with failures, a blocked case, defects and a retest — in English and Chinese, built once.

Building the whole demo takes seconds, so one test per language checks everything on one build."""

import re

import pytest

from projects.demo import build_demo
from testing.demo import CASES, ROUND_ONE_RESULTS, SMOKE_CASES, build_uat_demo
from testing.models import CaseStep, Defect, Execution, RunCase, SignOff, StepResult, TestRun, UATCase
from testing.models.runs import Result

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MODELS = [UATCase, CaseStep, TestRun, RunCase, Execution, StepResult, Defect, SignOff]


def _counts() -> list[int]:
    return [model.objects.count() for model in MODELS] + [UATCase.history.count(), Defect.history.count()]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_demo_carries_a_uat_story_built_once(language):
    project = build_demo(language=language)

    cases = project.uat_cases.prefetch_related("steps", "requirements")
    assert 28 <= cases.count() == len(CASES) <= 32
    for case in cases:
        assert 3 <= case.steps.count() <= 6, case.key
        assert case.requirements.exists(), case.key
        assert case.preconditions
    assert {UATCase.Flow.NORMAL, UATCase.Flow.EXCEPTION} <= set(cases.values_list("flow", flat=True))
    assert len(set(cases.values_list("role", flat=True))) >= 5
    titles = list(cases.values_list("title", flat=True))
    if language == "zh-hans":
        assert all(CHINESE.search(title) for title in titles)
    else:
        assert not any(CHINESE.search(title) for title in titles)

    runs = {run.name: run for run in project.test_runs.all()}
    assert len(runs) == 2
    round_one = next(run for run in runs.values() if run.environment == "UAT")
    smoke = next(run for run in runs.values() if run is not round_one)
    assert round_one.status == smoke.status == TestRun.Status.IN_PROGRESS
    assert round_one.build == "v2.3.0-rc1"

    # Round 1: every case, assigned to the tester and the warehouse user, about half executed.
    run_cases = round_one.run_cases.select_related("tester__user")
    assert run_cases.count() == cases.count()
    assert all(rc.frozen_steps and rc.frozen_requirements for rc in run_cases)
    assert {rc.tester.user.username for rc in run_cases} == {"tester", "warehouse"}
    results = [rc.result for rc in run_cases]
    executed = [r for r in results if r != Result.NOT_RUN]
    assert len(executed) == len(ROUND_ONE_RESULTS)
    assert 0.4 <= len(executed) / len(results) <= 0.6
    assert results.count(Result.PASS) > len(executed) / 2
    assert results.count(Result.FAIL) >= 1
    assert results.count(Result.BLOCKED) == 1
    failed_steps = StepResult.objects.filter(execution__run_case__run=round_one, status=Result.FAIL)
    assert failed_steps.exists() and all(step.actual for step in failed_steps)

    defects = Defect.objects.filter(project=project)
    assert defects.count() == 2
    assert all(d.run_case.run_id == round_one.pk and d.execution and d.step_order and d.requirement for d in defects)
    critical = defects.get(severity=Defect.Severity.CRITICAL)
    assert critical.status == Defect.Status.OPEN
    assert critical.run_case.result == Result.FAIL
    major = defects.get(severity=Defect.Severity.MAJOR)
    assert major.status == Defect.Status.CLOSED
    retested = major.run_case
    executions = list(retested.executions.order_by("number"))
    assert [e.result for e in executions] == [Result.FAIL, Result.PASS]
    assert retested.result == Result.PASS
    assert major.execution == executions[0]

    # The smoke test: eight cases, all passed, signed by the lead and the warehouse business owner.
    smoke_cases = smoke.run_cases.all()
    assert smoke_cases.count() == len(SMOKE_CASES) == 8
    assert set(smoke_cases.values_list("result", flat=True)) == {Result.PASS}
    signoffs = list(smoke.signoffs.select_related("signer"))
    assert [s.signer.username for s in signoffs] == ["lead", "warehouse"]
    assert all(s.comment and s.role and not s.waiver for s in signoffs)
    if language == "en":
        assert [s.role for s in signoffs] == ["Project lead", "Warehouse business owner"]
    else:
        assert all(CHINESE.search(s.role) for s in signoffs)
    assert not round_one.signoffs.exists()

    # Again: the whole demo, then the builder alone; nothing changes.
    before = _counts()
    build_demo(language=language)
    build_uat_demo(project=project, language=language)
    assert _counts() == before
