"""The UAT pages run as many queries for a run of 40 cases as for one of 5, and stay under a fixed ceiling.

A page whose query count grew with its rows would crawl at 1,000 cases (see bench/uat.py); these tests pin the
counts so that a per-row query shows up here first.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Membership
from requirements import services as requirement_services
from testing import services as svc
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

# The most queries each page may run, whatever the number of cases (session, user and membership included);
# today's counts plus one, so that a new query is a decision, not an accident.
CEILINGS = {
    "run detail": 14,
    "queue": 8,
    "case list": 7,
    "defect list": 8,
    "coverage": 7,
}


@pytest.fixture
def people(db):
    return {"lead": UserFactory(username="lead"), "runner": UserFactory(username="runner")}


def build(code: str, cases: int, people) -> dict:
    """A project with `cases` cases (3 steps, 2 requirements each) in a started run, all assigned to the tester;
    every third case executed (each fourth of those failed, with a defect), so both sizes show the same kinds."""
    project = ProjectFactory(code=code)
    MembershipFactory(project=project, user=people["lead"], role=Membership.Role.OWNER)
    runner = MembershipFactory(project=project, user=people["runner"], role=Membership.Role.TESTER)
    requirements = [
        requirement_services.requirement_create(
            project=project, title=f"Requirement {n}", statement="s", priority=("must", "should")[n % 2]
        )
        for n in range(cases // 2 + 2)
    ]
    made = [
        svc.case_create(
            project=project,
            title=f"Case {n}",
            role="warehouse_keeper",
            requirements=[requirements[n % len(requirements)], requirements[(n + 1) % len(requirements)]],
            steps=[("Scan", "Order opens"), ("Enter 8 of 10", "Shortage flagged", "PO-1"), ("Post", "Stock +8")],
        )
        for n in range(cases)
    ]
    run = svc.run_create(project=project, name=f"{code} round 1", cases=made)
    for run_case in run.run_cases.all():
        svc.run_assign(run_case=run_case, tester=runner)
    svc.run_start(run=run)
    for index, run_case in enumerate(run.run_cases.select_related("run").order_by("order")):
        if index % 3:
            continue
        failing = index % 4 == 0
        for order in (1, 2, 3):
            status = "fail" if failing and order == 2 else "pass"
            svc.step_record(run_case=run_case, step_order=order, status=status, actual="Booked 10", user=runner.user)
        if failing:
            svc.defect_raise(project=project, title="Shortage", user=runner.user, run_case=run_case, step_order=2)
    return {"project": project, "run": run}


def urls(world) -> dict[str, str]:
    code = world["project"].code
    return {
        "run detail": reverse("testing:run-detail", args=[code, world["run"].pk]),
        "queue": reverse("testing:queue", args=[code]),
        "case list": reverse("testing:case-list", args=[code]),
        "defect list": reverse("testing:defect-list", args=[code]),
        "coverage": reverse("testing:coverage", args=[code]),
    }


def count_queries(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm-up: caches filled once per process don't count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(CEILINGS))
def test_the_query_count_does_not_grow_with_the_cases(page, people):
    small = build("SMALL", 5, people)
    big = build("BIG", 40, people)
    # The queue is the tester's page; the others are read by the lead.
    client = client_for(people["runner"] if page == "queue" else people["lead"])
    small_count = count_queries(client, urls(small)[page])
    big_count = count_queries(client, urls(big)[page])
    assert small_count == big_count, f"{page}: {small_count} queries for 5 cases, {big_count} for 40"
    assert big_count <= CEILINGS[page], f"{page}: {big_count} queries, ceiling {CEILINGS[page]}"
