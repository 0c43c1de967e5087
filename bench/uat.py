"""UAT at scale: a throw-away project with a started run of 1,000 cases × 5 steps, about a third executed.

`.venv/bin/python -m bench uat`. The project is built in a temporary SQLite file in bulk (cases, steps, the run's
frozen cases, executions and step results, with their history rows), assigned round-robin to four testers, with
a few defects raised on failed cases. Then the run page, the run page deep in its paging, a tester's queue, the
case list, the defect list and coverage are each requested 30 times after a warm-up with Django's test client;
the figures are server time in process, without a network. The target: the run page's median ≤ 50 ms.
"""

import gc
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.requirements import _use_database

CASES = 1000
STEPS = 5
REQUIREMENTS = 300
TESTERS = 4
EXECUTED_EVERY = 3  # every third case has been executed
REPEAT = 30
BATCH = 500
TARGET_MS = 50.0


def build(code: str = "UATBENCH") -> dict[str, Any]:
    """The project, its owner, the testers and the started run."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from projects.models import Membership
    from projects.services import project_create
    from requirements.models import Requirement, RequirementSequence, format_key
    from testing import services as svc
    from testing.models import (
        CaseSequence,
        CaseStep,
        Execution,
        RunCase,
        StepResult,
        TestRun,
        UATCase,
        format_case_key,
    )
    from testing.models.runs import Result

    rng = random.Random(1000)
    users = get_user_model()
    owner = users.objects.create_user("lead", first_name="Li", last_name="Lead")
    project = project_create(creator=owner, code=code, name="Bench: a UAT run of 1,000 cases")
    testers = [
        Membership.objects.create(
            project=project,
            user=users.objects.create_user(f"tester{i + 1}", first_name="Tester", last_name=str(i + 1)),
            role=Membership.Role.TESTER,
        )
        for i in range(TESTERS)
    ]
    now = timezone.now()
    started = now - timedelta(days=6)

    requirements = [
        Requirement(
            project=project,
            number=n,
            key=format_key(n),
            title=f"Requirement {n}",
            statement=f"The system handles situation {n}.",
            layer=rng.choice(Requirement.Layer.values),
            priority=rng.choice(["must", "must", "should", "could"]),
            status="approved",
        )
        for n in range(1, REQUIREMENTS + 1)
    ]
    requirements = bulk_create_with_history(requirements, Requirement, batch_size=BATCH, default_user=owner)
    RequirementSequence.objects.create(project=project, last_number=REQUIREMENTS)
    requirements = list(Requirement.objects.filter(project=project).order_by("number"))

    roles, priorities = UATCase.Role.values, UATCase.Priority.values
    cases = [
        UATCase(
            project=project,
            number=n,
            key=format_case_key(n),
            title=f"Scenario {n}: {rng.choice(['receive', 'sell', 'return', 'count', 'transfer'])} "
            f"{rng.choice(['pallets', 'an order', 'an expired batch', 'zone A', 'two warehouses'])}",
            role=roles[n % len(roles)],
            flow=UATCase.Flow.EXCEPTION if n % 3 == 0 else UATCase.Flow.NORMAL,
            priority=priorities[n % len(priorities)],
            preconditions="Stock of **SKU-1001** is 10 in the main warehouse.",
        )
        for n in range(1, CASES + 1)
    ]
    bulk_create_with_history(cases, UATCase, batch_size=BATCH, default_user=owner)
    CaseSequence.objects.create(project=project, last_number=CASES)
    cases = list(UATCase.objects.filter(project=project).order_by("number"))
    steps_of = {
        case.pk: [
            {
                "order": s,
                "action": f"Step {s} of {case.key}: do the next thing on the handheld",
                "expected": f"The screen shows the result of step {s}",
                "test_data": "PO-2026-0042" if s == 2 else "",
            }
            for s in range(1, STEPS + 1)
        ]
        for case in cases
    }
    CaseStep.objects.bulk_create(
        [CaseStep(case=case, **step) for case in cases for step in steps_of[case.pk]], batch_size=BATCH
    )
    links = UATCase.requirements.through
    verified = {case.pk: [requirements[(case.number * 7 + k) % REQUIREMENTS] for k in range(2)] for case in cases}
    links.objects.bulk_create(
        [links(uatcase_id=pk, requirement_id=r.pk) for pk, reqs in verified.items() for r in reqs], batch_size=BATCH
    )

    run = svc.run_create(project=project, name="UAT round 1", environment="UAT server", build="2026.11-rc2")
    run_cases = [
        RunCase(
            run=run,
            case=case,
            tester=testers[i % TESTERS],
            order=i + 1,
            frozen_at=started,
            frozen_key=case.key,
            frozen_title=case.title,
            frozen_role=case.role,
            frozen_flow=case.flow,
            frozen_priority=case.priority,
            frozen_preconditions=case.preconditions,
            frozen_steps=steps_of[case.pk],
            frozen_requirements=[r.key for r in verified[case.pk]],
        )
        for i, case in enumerate(cases)
    ]
    bulk_create_with_history(run_cases, RunCase, batch_size=BATCH, default_user=owner)
    TestRun.objects.filter(pk=run.pk).update(status=TestRun.Status.IN_PROGRESS, started_at=started)
    run.refresh_from_db()
    run_cases = list(run.run_cases.order_by("order"))

    # A third executed: most passed, some failed at step 3, a few blocked at step 2, some half-way.
    outcomes = ["pass"] * 14 + ["fail"] * 3 + ["blocked"] + ["in_progress"] * 2
    executions, step_results, results = [], [], {}
    for run_case in run_cases[::EXECUTED_EVERY]:
        outcome = rng.choice(outcomes)
        tester = run_case.tester.user
        statuses = {
            "pass": ["pass"] * STEPS,
            "fail": ["pass", "pass", "fail"],
            "blocked": ["pass", "blocked"],
            "in_progress": ["pass", "pass"],
        }[outcome]
        finished = started + timedelta(days=rng.randint(0, 5), hours=rng.randint(0, 8))
        execution = Execution(
            run_case=run_case,
            number=1,
            tester=tester,
            result=outcome,
            finished_at=finished if outcome != "in_progress" else None,
        )
        executions.append(execution)
        results[run_case.pk] = outcome
        for order, status in enumerate(statuses, start=1):
            step_results.append(
                (
                    execution,
                    StepResult(
                        step_order=order,
                        status=status,
                        actual="" if status == "pass" else "The screen froze with error E-42",
                        recorded_by=tester,
                    ),
                )
            )
    bulk_create_with_history(executions, Execution, batch_size=BATCH, default_user=owner)
    saved = {e.run_case_id: e.pk for e in Execution.objects.filter(run_case__run=run)}
    for execution, step_result in step_results:
        step_result.execution_id = saved[execution.run_case.pk]
    bulk_create_with_history([s for _e, s in step_results], StepResult, batch_size=BATCH, default_user=owner)
    for run_case in run_cases:
        run_case.result = results.get(run_case.pk, Result.NOT_RUN)
    RunCase.objects.bulk_update(run_cases, ["result"], batch_size=BATCH)

    failed = [rc for rc in run_cases if rc.result == Result.FAIL]
    for i, run_case in enumerate(failed[:25]):
        svc.defect_raise(
            project=project,
            title=f"{run_case.frozen_key} step 3: the screen froze",
            user=run_case.tester.user,
            run_case=run_case,
            step_order=3,
            severity="critical" if i % 10 == 0 else "major",
        )
    return {"project": project, "owner": owner, "tester": testers[0].user, "run": run}


def _measure(client: Any, label: str, url: str) -> tuple[str, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(url)
    assert warm.status_code == 200, (url, warm.status_code)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return label, statistics.median(times), statistics.quantiles(times, n=20)[18], len(queries)


def bench_uat() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _use_database(Path(tmp) / "bench-uat.sqlite3")
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        world = build()
        built = time.perf_counter() - began
        gc.collect()  # the build's garbage is not the pages' to pay for
        project, run = world["project"], world["run"]
        executed = run.run_cases.exclude(result="not_run").count()
        print(
            f"uat  built a run of {CASES} cases × {STEPS} steps ({executed} executed, {TESTERS} testers, "
            f"{REQUIREMENTS} requirements) in {built:.1f} s"
        )
        lead = Client(HTTP_HOST="127.0.0.1")
        lead.force_login(world["owner"])
        tester = Client(HTTP_HOST="127.0.0.1")
        tester.force_login(world["tester"])
        code = {"project_code": project.code}
        run_page = reverse("testing:run-detail", kwargs={**code, "run_id": run.pk})
        pages = [
            (lead, "run page", run_page),
            (lead, "run page, page 20", run_page + "?page=20"),
            (lead, "run page, failed only", run_page + "?result=fail"),
            (tester, "tester queue", reverse("testing:queue", kwargs=code)),
            (lead, "case list", reverse("testing:case-list", kwargs=code)),
            (lead, "defect list", reverse("testing:defect-list", kwargs=code)),
            (lead, "coverage", reverse("testing:coverage", kwargs=code)),
        ]
        figures = [_measure(client, label, url) for client, label, url in pages]
        print(f"uat  {'page':<24} {'median':>9} {'p95':>9} {'queries':>8}")
        for label, median, p95, queries in figures:
            print(f"uat  {label:<24} {median:6.1f} ms {p95:6.1f} ms {queries:8d}")
        median = figures[0][1]
        verdict = "within" if median <= TARGET_MS else "OVER"
        print(f"uat  run page median {median:.1f} ms: {verdict} the target of {TARGET_MS:.0f} ms")
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    bench_uat()
