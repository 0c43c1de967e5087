"""Coverage: requirements × the latest results of their cases, with the verdicts and counts a user reads."""

from collections import Counter

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from requirements import services as requirement_services
from testing import services as svc
from testing.coverage import (
    BLOCKED,
    FAILING,
    NO_CASE,
    NOT_RUN,
    PARTLY_RUN,
    PASSING,
    coverage_rows,
    coverage_summary,
    verdict,
)
from tests.conftest import client_for
from tests.factories import ProjectFactory

# key: (layer, priority); the case letters that verify it are set up in `world`.
REQUIREMENTS = {
    "REQ-001": ("core", "must"),  # no case
    "REQ-002": ("core", "must"),  # A: pass
    "REQ-003": ("extended", "should"),  # A pass, B fail
    "REQ-004": ("integration", "must"),  # C: blocked
    "REQ-005": ("core", "could"),  # D: in a run, not executed
    "REQ-006": ("core", "must"),  # A pass, D not run
    "REQ-007": ("extended", "should"),  # E: fail in run 1, pass in run 2
    "REQ-008": ("extended", "should"),  # F: pass in run 1, not executed in run 2
    "REQ-009": ("nonfunctional", "must"),  # G: pass in run 1, fail in run 2, retest not started
}
EXPECTED = {
    "REQ-001": NO_CASE,
    "REQ-002": PASSING,
    "REQ-003": FAILING,
    "REQ-004": BLOCKED,
    "REQ-005": NOT_RUN,
    "REQ-006": PARTLY_RUN,
    "REQ-007": PASSING,
    "REQ-008": PASSING,
    "REQ-009": FAILING,
}
MUST_WITHOUT_PASS = ["REQ-001", "REQ-004", "REQ-009"]


@pytest.fixture
def world(project, tester):
    reqs = {}
    for key, (layer, priority) in REQUIREMENTS.items():
        reqs[key] = requirement_services.requirement_create(
            project=project, title=f"Requirement {key}", statement="s", layer=layer, priority=priority
        )
        assert reqs[key].key == key

    def case(title, *keys):
        return svc.case_create(
            project=project, title=title, steps=[("Do it", "It works")], requirements=[reqs[k] for k in keys]
        )

    cases = {
        "A": case("A", "REQ-002", "REQ-003", "REQ-006"),
        "B": case("B", "REQ-003"),
        "C": case("C", "REQ-004"),
        "D": case("D", "REQ-005", "REQ-006"),
        "E": case("E", "REQ-007"),
        "F": case("F", "REQ-008"),
        "G": case("G", "REQ-009"),
    }

    def record(run, letter, status):
        run_case = run.run_cases.get(case=cases[letter])
        svc.step_record(run_case=run_case, step_order=1, status=status, actual="Not as expected", user=tester)
        return run_case

    first = svc.run_create(project=project, name="Round 1", cases=cases.values())
    svc.run_start(run=first)
    for letter, status in {"A": "pass", "B": "fail", "C": "blocked", "E": "fail", "F": "pass", "G": "pass"}.items():
        record(first, letter, status)
    second = svc.run_create(project=project, name="Round 2", cases=[cases[k] for k in "EFG"])
    svc.run_start(run=second)
    record(second, "E", "pass")
    failed = record(second, "G", "fail")
    failed.refresh_from_db()
    svc.retest(run_case=failed, user=tester)  # a new attempt with nothing recorded: the fail still counts
    return reqs


def _page(client, project, query=""):
    response = client.get(reverse("testing:coverage", args=[project.code]) + query)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def _rows(tree) -> dict[str, dict]:
    return {
        row.get("data-key"): {
            "verdict": row.get("data-verdict"),
            "cases": int(row.get("data-cases")),
            "must_gap": row.get("data-must-gap") == "yes",
            "highlighted": "wb-coverage-gap" in (row.get("class") or ""),
            "summary": {
                badge.get("data-result"): int(badge.get("data-count"))
                for badge in row.xpath('.//*[@data-testid="coverage-summary"]/*[@data-result]')
            },
        }
        for row in tree.xpath('//*[@data-testid="coverage-row"]')
    }


def _counts(tree) -> dict[str, int]:
    return {
        chip.get("data-verdict"): int(chip.get("data-count"))
        for chip in tree.xpath('//*[@data-testid="coverage-counts"]/*[@data-verdict]')
    }


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ({}, NO_CASE),
        ({"not_run": 2}, NOT_RUN),
        ({"pass": 2}, PASSING),
        ({"pass": 1, "not_run": 1}, PARTLY_RUN),
        ({"pass": 1, "skipped": 1}, PARTLY_RUN),
        ({"in_progress": 1}, PARTLY_RUN),
        ({"pass": 3, "blocked": 1}, BLOCKED),
        ({"blocked": 1, "fail": 1}, FAILING),
    ],
)
def test_the_verdict_follows_from_the_cases_latest_results(results, expected):
    assert verdict(Counter(results)) == expected


def test_each_requirement_gets_its_verdict_from_the_latest_results(project, world, viewer):
    rows = _rows(_page(client_for(viewer), project))
    assert {key: row["verdict"] for key, row in rows.items()} == EXPECTED
    assert rows["REQ-001"]["cases"] == 0 and rows["REQ-003"]["cases"] == 2 and rows["REQ-006"]["cases"] == 2
    assert rows["REQ-003"]["summary"] == {"pass": 1, "fail": 1}
    assert rows["REQ-006"]["summary"] == {"pass": 1, "not_run": 1}
    assert rows["REQ-009"]["summary"] == {"fail": 1}  # the pending retest does not bring back round 1's pass
    assert rows["REQ-008"]["summary"] == {"pass": 1}  # round 2 has not run it yet: round 1's pass counts


def test_the_counts_per_verdict_and_the_must_haves_without_a_pass(project, world, viewer):
    tree = _page(client_for(viewer), project)
    assert _counts(tree) == {
        "": 9,
        NO_CASE: 1,
        NOT_RUN: 1,
        FAILING: 2,
        BLOCKED: 1,
        PARTLY_RUN: 1,
        PASSING: 3,
    }
    (warning,) = tree.xpath('//*[@data-testid="coverage-must-gap"]')
    assert (
        warning.get("data-count") == "3" and "3 must-have requirements have no passing case" in warning.text_content()
    )
    rows = _rows(tree)
    assert sorted(k for k, row in rows.items() if row["must_gap"]) == MUST_WITHOUT_PASS
    assert sorted(k for k, row in rows.items() if row["highlighted"]) == MUST_WITHOUT_PASS


def test_filters_by_layer_priority_verdict_and_must_gap(project, world, viewer):
    client = client_for(viewer)
    assert list(_rows(_page(client, project, "?layer=integration"))) == ["REQ-004"]
    musts = _page(client, project, "?priority=must")
    assert list(_rows(musts)) == ["REQ-001", "REQ-002", "REQ-004", "REQ-006", "REQ-009"]
    assert _counts(musts)[PASSING] == 1  # the counts follow the layer and priority filters
    assert list(_rows(_page(client, project, "?verdict=failing"))) == ["REQ-003", "REQ-009"]
    gap = _page(client, project, "?must_gap=on")
    assert list(_rows(gap)) == MUST_WITHOUT_PASS
    assert _counts(gap)[""] == 9  # the chips still count every requirement of the layer and priority
    assert list(_rows(_page(client, project, "?must_gap=on&layer=core"))) == ["REQ-001"]


def test_the_computation_runs_a_fixed_number_of_queries(project, world, django_assert_num_queries):
    with django_assert_num_queries(3):
        summary = coverage_summary(coverage_rows(project))
    assert summary.must_without_pass == 3 and summary.counts[PASSING] == 3


def test_cases_and_runs_of_another_project_do_not_count(project, world, viewer, outsider):
    other = ProjectFactory(code="OTHER2")
    theirs = requirement_services.requirement_create(project=other, title="Same key", statement="s", priority="must")
    assert theirs.key == "REQ-001"
    case = svc.case_create(project=other, title="Theirs", steps=[("Do it", "It works")], requirements=[theirs])
    run = svc.run_create(project=other, name="Their run", cases=[case])
    svc.run_start(run=run)
    svc.step_record(run_case=run.run_cases.get(), step_order=1, status="pass", user=outsider)
    rows = _rows(_page(client_for(viewer), project))
    assert rows["REQ-001"]["verdict"] == NO_CASE and len(rows) == 9
    assert client_for(outsider).get(reverse("testing:coverage", args=[project.code])).status_code == 404


def test_a_project_without_requirements_says_what_to_do(project, viewer):
    tree = _page(client_for(viewer), project)
    assert tree.xpath('//*[@data-testid="coverage-empty"]')


def test_rows_are_paged(project, viewer):
    for n in range(55):
        requirement_services.requirement_create(project=project, title=f"R{n}", statement="s")
    client = client_for(viewer)
    assert len(_rows(_page(client, project))) == 50
    assert len(_rows(_page(client, project, "?page=2"))) == 5


def test_rejected_and_deferred_requirements_are_out_of_scope(project, team):
    from projects.models import Membership

    owner = Membership.objects.get(project=project, user=team["owner"])
    kept = requirement_services.requirement_create(project=project, title="Kept", statement="S.", priority="must")
    for title, moves in (("Dropped", ["rejected"]), ("Later", ["deferred"])):
        requirement = requirement_services.requirement_create(
            project=project, title=title, statement="S.", priority="must"
        )
        for status in moves:
            requirement_services.requirement_transition(requirement=requirement, to_status=status, membership=owner)
    rows = coverage_rows(project)
    assert [row.key for row in rows] == [kept.key]
    assert coverage_summary(rows).must_without_pass == 1
