"""The UAT API as an integration sees it: cases by key, runs, executions step by step, defects."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import Membership
from requirements import services as requirement_services
from testing import services
from testing.models import CaseStep, Defect, Execution, RunCase, TestRun, UATCase
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

API = "/api/v1/projects/ACME"
CASES = f"{API}/uat-cases/"
RUNS = f"{API}/runs/"
DEFECTS = f"{API}/defects/"


def send(client: Client, method: str, address: str, data: dict | None = None):
    return getattr(client, method)(address, data=json.dumps(data or {}), content_type="application/json")


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def executions(run: TestRun) -> str:
    return f"{RUNS}{run.pk}/executions/"


def make_case(project, title: str = "Receive a short shipment", **fields) -> UATCase:
    fields.setdefault("steps", [("Scan the order", "The open lines show"), ("Enter 8 of 10", "A shortage of 2")])
    return services.case_create(project=project, title=title, **fields)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def tester_client(tester):
    return client_for(tester)


@pytest.fixture
def requirements(project):
    """REQ-001 (core, must) and REQ-002 (integration, should)."""
    return [
        requirement_services.requirement_create(
            project=project, title="Receipts", statement="Receipts against orders.", layer="core", priority="must"
        ),
        requirement_services.requirement_create(
            project=project, title="EDI", statement="Orders by EDI.", layer="integration", priority="should"
        ),
    ]


@pytest.fixture
def case(project, requirements):
    return make_case(project, requirements=requirements, role="warehouse_keeper", flow="exception", priority="high")


@pytest.fixture
def run(project, case, tester):
    """A started run holding the case, assigned to the tester."""
    run = services.run_create(project=project, name="UAT round 1", cases=[case])
    services.run_assign(run_case=run.run_cases.get(), tester=member(project, tester))
    services.run_start(run=run)
    return run


@pytest.fixture
def run_case(run) -> RunCase:
    return run.run_cases.get()  # read after the start: frozen


def record(client: Client, run: TestRun, step: int, status: str, actual: str = "", case: str = "UAT-001"):
    return send(client, "post", executions(run), {"case": case, "step": step, "status": status, "actual": actual})


# --- Cases -----------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_case_by_key(project, editor_client, requirements):
    created = send(
        editor_client,
        "post",
        CASES,
        {
            "title": "Sell more than the stock",
            "requirements": ["REQ-002", "REQ-001"],
            "role": "sales_clerk",
            "flow": "exception",
            "priority": "high",
            "preconditions": "Warehouse A holds **5**.",
            "steps": [
                {"action": "Order 8", "expected": "Refused: only 5 available"},
                {"action": "Order 5", "expected": "Accepted", "test_data": "SKU-42"},
            ],
        },
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "key": "UAT-001",
        "title": "Sell more than the stock",
        "requirements": ["REQ-001", "REQ-002"],
        "role": "sales_clerk",
        "flow": "exception",
        "priority": "high",
        "preconditions": "Warehouse A holds **5**.",
        "steps": [
            {"order": 1, "action": "Order 8", "expected": "Refused: only 5 available", "test_data": ""},
            {"order": 2, "action": "Order 5", "expected": "Accepted", "test_data": "SKU-42"},
        ],
        "suspect": False,
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    case = UATCase.objects.get(project=project, key="UAT-001")
    assert set(case.requirements.all()) == set(requirements)

    assert editor_client.get(f"{CASES}UAT-001/").json() == body
    listed = editor_client.get(CASES).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [c["key"] for c in listed["results"]] == ["UAT-001"]

    updated = send(
        editor_client,
        "patch",
        f"{CASES}UAT-001/",
        {"steps": [{"action": "Order 9", "expected": "Refused"}], "requirements": ["REQ-001"], "version": 1},
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["steps"] == [{"order": 1, "action": "Order 9", "expected": "Refused", "test_data": ""}]
    assert updated.json()["requirements"] == ["REQ-001"]
    assert updated.json()["version"] == 2
    assert updated.json()["title"] == "Sell more than the stock"  # untouched by the PATCH

    replaced = send(editor_client, "put", f"{CASES}UAT-001/", {"title": "Oversell refused", "version": 2})
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["title"] == "Oversell refused"
    assert len(replaced.json()["steps"]) == 1  # steps not sent: kept

    assert editor_client.delete(f"{CASES}UAT-001/").status_code == 204
    assert not UATCase.objects.filter(project=project).exists()
    assert not CaseStep.objects.exists()
    assert editor_client.get(f"{CASES}UAT-001/").status_code == 404


def test_an_unknown_requirement_key_is_named_and_nothing_is_saved(project, editor_client, case):
    created = send(
        editor_client,
        "post",
        CASES,
        {"title": "Return an expired batch", "requirements": ["REQ-001", "REQ-999"], "steps": []},
    )

    assert created.status_code == 400
    assert created.json() == {"requirements": ["There is no requirement REQ-999 in this project."]}
    assert UATCase.objects.filter(project=project).count() == 1

    updated = send(editor_client, "patch", f"{CASES}{case.key}/", {"requirements": ["REQ-404"], "version": 1})

    assert updated.status_code == 400
    assert "REQ-404" in updated.json()["requirements"][0]
    case.refresh_from_db()
    assert case.version == 1
    assert sorted(case.requirements.values_list("key", flat=True)) == ["REQ-001", "REQ-002"]


def test_another_projects_requirement_cannot_be_verified(project, editor_client):
    other = ProjectFactory(code="ELSEWHERE")
    requirement_services.requirement_create(project=other, title="Theirs", statement="s")

    response = send(editor_client, "post", CASES, {"title": "Mine", "requirements": ["REQ-001"]})

    assert response.status_code == 400
    assert response.json() == {"requirements": ["There is no requirement REQ-001 in this project."]}


def test_a_step_needs_an_action_and_an_expected_result(project, editor_client, case):
    response = send(
        editor_client,
        "patch",
        f"{CASES}{case.key}/",
        {"steps": [{"action": "Scan", "expected": "Opens"}, {"action": "Post", "expected": ""}], "version": 1},
    )

    assert response.status_code == 400
    assert "steps" in response.json()
    assert [s.action for s in case.steps.all()] == ["Scan the order", "Enter 8 of 10"]


def test_a_stale_version_is_refused_and_nothing_is_lost(project, editor_client, owner, case):
    services.case_update(case=case, expected_version=1, title="Receive a short shipment (owner's words)", user=owner)

    stale = send(editor_client, "patch", f"{CASES}{case.key}/", {"title": "Mine", "version": 1})
    missing = send(editor_client, "patch", f"{CASES}{case.key}/", {"title": "Mine"})

    assert stale.status_code == 409
    assert missing.status_code == 400
    assert "version" in missing.json()
    case.refresh_from_db()
    assert (case.title, case.version) == ("Receive a short shipment (owner's words)", 2)


def test_a_case_in_a_run_is_not_deleted(project, editor_client, case, run):
    response = editor_client.delete(f"{CASES}{case.key}/")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["UAT-001 is part of a test run and cannot be deleted; edit it instead."]
    }
    assert UATCase.objects.filter(pk=case.pk).exists()


def keys(client: Client, **params) -> list[str]:
    response = client.get(CASES, params)
    assert response.status_code == 200, response.content
    return [c["key"] for c in response.json()["results"]]


def test_the_cases_can_be_filtered(project, viewer_client, requirements):
    core, integration = requirements
    make_case(project, "Receive", role="warehouse_keeper", priority="high", requirements=[core])
    make_case(project, "EDI order", role="sales_clerk", flow="exception", requirements=[core, integration])
    make_case(project, "Pay an invoice", role="finance", priority="low")

    assert keys(viewer_client, role="sales_clerk") == ["UAT-002"]
    assert keys(viewer_client, flow="exception") == ["UAT-002"]
    assert keys(viewer_client, priority="high") == ["UAT-001"]
    assert keys(viewer_client, requirement="req-001") == ["UAT-001", "UAT-002"]
    assert keys(viewer_client, layer="integration") == ["UAT-002"]
    assert keys(viewer_client, layer="core") == ["UAT-001", "UAT-002"]  # once each, not once per requirement
    assert keys(viewer_client, search="invoice") == ["UAT-003"]
    assert keys(viewer_client, search="uat-002") == ["UAT-002"]
    assert viewer_client.get(CASES, {"flow": "sideways"}).status_code == 400


# --- Roles -----------------------------------------------------------------------------------


def test_a_tester_cannot_write_cases_or_runs(project, tester_client, case, run):
    assert tester_client.get(CASES).status_code == 200
    assert send(tester_client, "post", CASES, {"title": "Mine"}).status_code == 403
    assert send(tester_client, "patch", f"{CASES}{case.key}/", {"title": "Mine", "version": 1}).status_code == 403
    assert tester_client.delete(f"{CASES}{case.key}/").status_code == 403
    assert send(tester_client, "post", RUNS, {"name": "Mine"}).status_code == 403
    assert send(tester_client, "patch", f"{RUNS}{run.pk}/", {"name": "Mine", "version": 1}).status_code == 403
    assert send(tester_client, "post", f"{RUNS}{run.pk}/complete/").status_code == 403
    case.refresh_from_db()
    run.refresh_from_db()
    assert (case.title, run.name, run.status) == ("Receive a short shipment", "UAT round 1", "in_progress")
    assert UATCase.objects.count() == 1 and TestRun.objects.count() == 1


def test_a_tester_records_a_step_and_the_result_follows(project, tester_client, tester, run, run_case):
    passed = record(tester_client, run, 1, "pass")

    assert passed.status_code == 201, passed.content
    row = passed.json()
    assert row["id"] == run_case.pk
    assert (row["case"], row["title"], row["tester"], row["result"]) == (
        "UAT-001",
        "Receive a short shipment",
        "tester",
        "in_progress",
    )

    failed = record(tester_client, run, 2, "fail", "The shortage is not flagged")

    assert failed.status_code == 201, failed.content
    row = failed.json()
    assert row["result"] == "fail"
    latest = row["latest_execution"]
    assert (latest["number"], latest["tester"], latest["result"]) == (1, "tester", "fail")
    assert latest["finished_at"] is not None
    assert [(s["step"], s["status"], s["actual"], s["recorded_by"]) for s in latest["steps"]] == [
        (1, "pass", "", "tester"),
        (2, "fail", "The shortage is not flagged", "tester"),
    ]
    assert row["previous_attempts"] == 0

    corrected = record(tester_client, run, 1, "blocked", "Scanner offline")

    assert corrected.status_code == 200  # the step was recorded already: changed
    run_case.refresh_from_db()
    assert run_case.result == "fail"
    assert Execution.objects.get(run_case=run_case).steps.get(step_order=1).status == "blocked"


def test_a_viewer_cannot_record_but_reads_the_results(project, viewer_client, tester_client, run, run_case):
    refused = record(viewer_client, run, 1, "pass")

    assert refused.status_code == 403
    assert not Execution.objects.exists()
    record(tester_client, run, 1, "pass")
    rows = viewer_client.get(executions(run)).json()["results"]
    assert [(r["case"], r["result"]) for r in rows] == [("UAT-001", "in_progress")]
    assert viewer_client.post(f"{executions(run)}{run_case.pk}/retest/").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": 1, "status": "fail", "actual": ""}, "Say what actually happened when a step fails or is blocked."),
        ({"step": 9, "status": "pass"}, "This case has no step 9."),
    ],
)
def test_a_refused_step_records_nothing(project, tester_client, run, data, message):
    response = send(tester_client, "post", executions(run), {"case": "UAT-001", **data})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}
    assert not Execution.objects.exists()


def test_a_step_is_recorded_only_for_a_case_of_the_run(project, tester_client, run):
    make_case(project, "Not in the run")

    outside = record(tester_client, run, 1, "pass", case="UAT-002")
    unknown = record(tester_client, run, 1, "pass", case="UAT-404")
    bad_status = record(tester_client, run, 1, "great")

    assert outside.status_code == 400
    assert outside.json() == {"case": ["UAT-002 is not in this run."]}
    assert unknown.json() == {"case": ["There is no case UAT-404 in this project."]}
    assert "status" in bad_status.json()
    assert not Execution.objects.exists()


def test_nothing_is_recorded_before_the_run_starts(project, tester_client, case):
    planned = services.run_create(project=project, name="Later", cases=[case])

    response = record(tester_client, planned, 1, "pass")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Results are recorded while the run is in progress."]}


def test_a_retest_keeps_the_earlier_attempts(project, tester_client, run, run_case):
    record(tester_client, run, 1, "fail", "Wrong order opens")
    detail = f"{executions(run)}{run_case.pk}/"

    retested = tester_client.post(f"{detail}retest/")

    assert retested.status_code == 201, retested.content
    row = retested.json()
    assert row["result"] == "not_run"
    assert row["previous_attempts"] == 1
    assert [a["number"] for a in row["attempts"]] == [1, 2]
    assert row["attempts"][0]["result"] == "fail"
    assert row["attempts"][0]["steps"][0]["actual"] == "Wrong order opens"
    assert row["latest_execution"]["number"] == 2
    assert row["latest_execution"]["steps"] == []

    record(tester_client, run, 1, "pass")
    record(tester_client, run, 2, "pass")
    again = tester_client.get(detail).json()

    assert again["result"] == "pass"
    assert [(a["number"], a["result"]) for a in again["attempts"]] == [(1, "fail"), (2, "pass")]
    assert [s["order"] for s in again["steps"]] == [1, 2]
    assert again["requirements"] == ["REQ-001", "REQ-002"]
    listed = tester_client.get(executions(run)).json()["results"][0]
    assert (listed["latest_execution"]["number"], listed["previous_attempts"]) == (2, 1)
    assert "attempts" not in listed


def test_a_retest_needs_a_finished_attempt(project, tester_client, run, run_case):
    record(tester_client, run, 1, "pass")

    response = tester_client.post(f"{executions(run)}{run_case.pk}/retest/")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Finish the current execution before a retest."]}
    assert Execution.objects.filter(run_case=run_case).count() == 1


def test_the_executions_can_be_filtered(project, tester_client, editor, requirements):
    cases = [make_case(project, f"Case {i}") for i in range(3)]
    run = services.run_create(project=project, name="Round 2", cases=cases)
    first = run.run_cases.get(case=cases[0])
    services.run_assign(run_case=first, tester=member(project, editor))
    services.run_start(run=run)
    record(tester_client, run, 1, "fail", "Broken", case="UAT-002")

    def rows(**params) -> list[str]:
        response = tester_client.get(executions(run), params)
        assert response.status_code == 200, response.content
        return [r["case"] for r in response.json()["results"]]

    assert rows() == ["UAT-001", "UAT-002", "UAT-003"]
    assert rows(result="fail") == ["UAT-002"]
    assert rows(result="not_run") == ["UAT-001", "UAT-003"]
    assert rows(tester="EDITOR") == ["UAT-001"]
    assert rows(case="uat-003") == ["UAT-003"]


def test_a_vendor_gets_403_and_an_outsider_404(project, vendor, outsider_client, case, run, run_case):
    defect = services.defect_raise(project=project, title="Broken", user=vendor, run_case=run_case)
    addresses = [
        CASES,
        f"{CASES}{case.key}/",
        RUNS,
        f"{RUNS}{run.pk}/",
        executions(run),
        f"{executions(run)}{run_case.pk}/",
        DEFECTS,
        f"{DEFECTS}{defect.key}/",
    ]
    vendor_client = client_for(vendor)
    for address in addresses:
        assert vendor_client.get(address).status_code == 403, address
        assert outsider_client.get(address).status_code == 404, address
    assert record(vendor_client, run, 1, "pass").status_code == 403
    assert record(outsider_client, run, 1, "pass").status_code == 404
    assert send(outsider_client, "post", DEFECTS, {"title": "Mine"}).status_code == 404
    assert not Execution.objects.exists()
    assert Defect.objects.count() == 1


def test_another_projects_run_is_404(project, owner_client, tester_client):
    other = ProjectFactory(code="ELSEWHERE")
    MembershipFactory(project=other, user=UserFactory(username="theirs"), role="owner")
    theirs = services.run_create(project=other, name="Theirs", cases=[make_case(other)])
    services.run_start(run=theirs)

    assert owner_client.get(f"{RUNS}{theirs.pk}/").status_code == 404
    assert owner_client.get(executions(theirs)).status_code == 404
    assert record(tester_client, theirs, 1, "pass").status_code == 404
    assert not Execution.objects.exists()


# --- Runs ------------------------------------------------------------------------------------


def test_an_editor_plans_fills_starts_and_completes_a_run(project, editor_client, tester_client, case):
    make_case(project, "Sell from two warehouses")  # UAT-002

    created = send(
        editor_client,
        "post",
        RUNS,
        {"name": "UAT round 1", "environment": "UAT server", "build": "2.4.1", "planned_start": "2026-11-02"},
    )
    assert created.status_code == 201, created.content
    run = created.json()
    assert (run["status"], run["case_count"], run["version"], run["signoffs"]) == ("planned", 0, 1, [])
    address = f"{RUNS}{run['id']}/"

    added = send(editor_client, "post", f"{address}cases/", {"cases": ["UAT-001", "uat-002", "UAT-001"]})
    assert added.status_code == 200, added.content
    assert added.json()["case_count"] == 2
    unknown = send(editor_client, "post", f"{address}cases/", {"cases": ["UAT-404"]})
    assert unknown.status_code == 400
    assert unknown.json() == {"cases": ["There is no case UAT-404 in this project."]}

    renamed = send(
        editor_client, "patch", address, {"name": "UAT round 1 (retail)", "status": "completed", "version": 1}
    )
    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["name"], renamed.json()["status"], renamed.json()["version"]) == (
        "UAT round 1 (retail)",
        "planned",
        2,
    )
    assert send(editor_client, "patch", address, {"build": "2.4.2", "version": 1}).status_code == 409

    started = send(editor_client, "post", f"{address}start/")
    assert started.status_code == 200, started.content
    assert started.json()["status"] == "in_progress"
    assert started.json()["started_at"] is not None
    assert send(editor_client, "post", f"{address}start/").json() == {
        "non_field_errors": ["This run has started already."]
    }

    record(tester_client, TestRun.objects.get(pk=run["id"]), 1, "fail", "Broken")
    progress = editor_client.get(address).json()["progress"]
    assert progress == {"not_run": 1, "in_progress": 0, "pass": 0, "fail": 1, "blocked": 0, "skipped": 0}

    completed = send(editor_client, "post", f"{address}complete/")
    assert completed.status_code == 200
    assert completed.json()["status"] == "completed"
    closed = send(editor_client, "post", f"{address}cases/", {"cases": ["UAT-001"]})
    assert closed.status_code == 400
    assert closed.json() == {"cases": ["This run is completed; plan a new run for more cases."]}
    assert editor_client.delete(address).status_code == 405


def test_a_run_lists_its_signatures(project, viewer_client, owner, run):
    services.run_sign(run=run, user=owner, password=PASSWORD, role="Warehouse business owner", comment="Fine")

    body = viewer_client.get(f"{RUNS}{run.pk}/").json()

    assert [(s["role"], s["signer"], s["comment"], s["waiver"]) for s in body["signoffs"]] == [
        ("Warehouse business owner", "owner", "Fine", "")
    ]
    assert [r["id"] for r in viewer_client.get(RUNS, {"status": "in_progress"}).json()["results"]] == [run.pk]
    assert viewer_client.get(RUNS, {"status": "planned"}).json()["results"] == []


# --- Defects ---------------------------------------------------------------------------------


def test_a_tester_raises_a_defect_from_a_failing_step(project, tester_client, run, run_case):
    record(tester_client, run, 2, "fail", "No shortage flagged")

    raised = send(
        tester_client,
        "post",
        DEFECTS,
        {"title": "Shortage not flagged", "severity": "critical", "case": run_case.pk, "step": 2},
    )

    assert raised.status_code == 201, raised.content
    body = raised.json()
    assert body == {
        "key": "DEF-001",
        "title": "Shortage not flagged",
        "description": "",
        "severity": "critical",
        "status": "open",
        "requirement": "REQ-001",  # the case's first requirement, pre-filled
        "vendor_reference": "",
        "case": run_case.pk,
        "case_key": "UAT-001",
        "run": run.pk,
        "step": 2,
        "attempt": 1,
        "raised_by": "tester",
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    defect = Defect.objects.get(key="DEF-001")
    assert defect.execution == Execution.objects.get(run_case=run_case)

    chosen = send(
        tester_client, "post", DEFECTS, {"title": "EDI too", "case": run_case.pk, "step": 1, "requirement": "REQ-002"}
    )
    assert chosen.json()["requirement"] == "REQ-002"


def test_a_tester_updates_a_defect_with_the_version_read(project, tester_client, editor, run, run_case):
    defect = services.defect_raise(project=project, title="Broken", user=editor, run_case=run_case)
    address = f"{DEFECTS}{defect.key}/"

    edited = send(tester_client, "patch", address, {"vendor_reference": "ALPHA-1234", "version": 1})
    stale = send(tester_client, "patch", address, {"severity": "minor", "version": 1})
    moved = send(tester_client, "patch", address, {"case": None, "version": 2})

    assert edited.status_code == 200, edited.content
    assert (edited.json()["vendor_reference"], edited.json()["status"], edited.json()["version"]) == (
        "ALPHA-1234",
        "open",
        2,
    )
    assert stale.status_code == 409
    assert moved.status_code == 400
    assert moved.json() == {"case": ["A defect stays with the case and step it was raised from."]}
    defect.refresh_from_db()
    assert (defect.severity, defect.run_case, defect.version) == ("major", run_case, 2)


def test_a_defect_status_follows_the_flow(project, tester_client, editor, run_case):
    defect = services.defect_raise(project=project, title="Broken", user=editor, run_case=run_case)
    address = f"{DEFECTS}{defect.key}/"

    skipped = send(tester_client, "patch", address, {"status": "closed", "title": "Renamed", "version": 1})

    assert skipped.status_code == 400
    assert skipped.json() == {"status": ["A defect that is “Open” cannot be set to “Closed”."]}
    defect.refresh_from_db()
    assert (defect.status, defect.title, defect.version) == ("open", "Broken", 1)

    fixed = send(tester_client, "patch", address, {"status": "fixed", "title": "Broken order", "version": 1})
    assert fixed.status_code == 200, fixed.content
    assert (fixed.json()["status"], fixed.json()["title"]) == ("fixed", "Broken order")
    version = fixed.json()["version"]
    assert send(tester_client, "patch", address, {"status": "retest", "version": version - 1}).status_code == 409
    retest = send(tester_client, "patch", address, {"status": "retest", "version": version})
    closed = send(tester_client, "patch", address, {"status": "closed", "version": retest.json()["version"]})
    assert closed.status_code == 200, closed.content
    defect.refresh_from_db()
    assert defect.status == "closed"


def test_a_defect_is_raised_open(project, tester_client, run_case):
    response = send(tester_client, "post", DEFECTS, {"title": "Broken", "case": run_case.pk, "status": "closed"})

    assert response.status_code == 400
    assert response.json() == {"status": ["A defect is raised open; move its status afterwards."]}
    assert not Defect.objects.exists()


def test_a_viewer_cannot_raise_or_update_a_defect(project, viewer_client, editor, run_case):
    defect = services.defect_raise(project=project, title="Broken", user=editor, run_case=run_case)

    assert send(viewer_client, "post", DEFECTS, {"title": "Mine"}).status_code == 403
    assert (
        send(viewer_client, "patch", f"{DEFECTS}{defect.key}/", {"status": "closed", "version": 1}).status_code == 403
    )
    defect.refresh_from_db()
    assert defect.status == "open"


@pytest.mark.parametrize("method", ["delete", "put"])
def test_a_defect_is_never_deleted(project, owner_client, editor, run_case, method):
    defect = services.defect_raise(project=project, title="Broken", user=editor, run_case=run_case)

    response = send(owner_client, method, f"{DEFECTS}{defect.key}/", {"title": "Gone", "version": 1})

    assert response.status_code == 405
    assert Defect.objects.get(pk=defect.pk).title == "Broken"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"step": 1}, "step"),  # a step without its case
        ({"case": "{case}", "step": 7}, "step"),  # a step the case does not have
        ({"case": 999999}, "case"),
        ({"requirement": "REQ-404"}, "requirement"),
        ({"severity": "apocalyptic"}, "severity"),
    ],
)
def test_a_defect_with_bad_links_is_refused(project, tester_client, run_case, data, field):
    data = {name: (run_case.pk if value == "{case}" else value) for name, value in data.items()}

    response = send(tester_client, "post", DEFECTS, {"title": "Broken", **data})

    assert response.status_code == 400
    assert field in response.json()
    assert not Defect.objects.exists()


def test_the_defects_can_be_filtered(project, viewer_client, editor, requirements, run, run_case):
    other_run = services.run_create(project=project, name="Round 2", cases=[make_case(project, "Other")])
    services.run_start(run=other_run)
    other_case = other_run.run_cases.get()
    services.defect_raise(project=project, title="A", user=editor, run_case=run_case, severity="critical")
    services.defect_raise(project=project, title="B", user=editor, run_case=other_case, requirement=requirements[1])
    closed = services.defect_raise(project=project, title="C", user=editor, severity="minor")
    services.defect_update(defect=closed, expected_version=1, status="closed")

    def found(**params) -> list[str]:
        response = viewer_client.get(DEFECTS, params)
        assert response.status_code == 200, response.content
        return [d["title"] for d in response.json()["results"]]

    assert found() == ["A", "B", "C"]
    assert found(status="open") == ["A", "B"]
    assert found(severity="critical") == ["A"]
    assert found(run=run.pk) == ["A"]
    assert found(requirement="req-002") == ["B"]
    assert found(requirement="REQ-001") == ["A"]


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


def test_the_lists_do_not_query_per_row(project, viewer, tester, editor, requirements):
    client = client_for(viewer)
    tester_membership = member(project, tester)
    run = services.run_create(project=project, name="Big run")

    def grow(n: int) -> None:
        start = UATCase.objects.filter(project=project).count()
        cases = [make_case(project, f"Case {start + i}", requirements=requirements) for i in range(n)]
        for run_case in services.run_add_cases(run=run, cases=cases):
            services.run_assign(run_case=run_case, tester=tester_membership)
        if run.status == TestRun.Status.PLANNED:
            services.run_start(run=run)
        for run_case in run.run_cases.filter(case__in=cases):
            services.step_record(run_case=run_case, step_order=1, status="fail", actual="No", user=tester)
            services.retest(run_case=run_case, user=tester)
            services.step_record(run_case=run_case, step_order=1, status="pass", user=tester)
            services.defect_raise(project=project, title=f"Defect {run_case.pk}", user=editor, run_case=run_case)

    def counts() -> list[int]:
        return [queries_for(client, address) for address in (CASES, RUNS, executions(run), DEFECTS)]

    grow(5)
    counts()  # warm-up: the content type of the suspect flags is cached
    small = counts()
    grow(25)
    large = counts()

    assert client.get(CASES).json()["count"] == 30
    assert small == large
    # session, user, membership, count, rows, then: requirements + steps / sign-offs / run, attempts + steps
    assert small == [7, 6, 8, 5]


# --- Schema ----------------------------------------------------------------------------------


def test_the_schema_documents_the_uat_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    base = "/api/v1/projects/{project_code}"
    for path in [
        "/uat-cases/",
        "/uat-cases/{case_key}/",
        "/runs/",
        "/runs/{run_id}/",
        "/runs/{run_id}/start/",
        "/runs/{run_id}/complete/",
        "/runs/{run_id}/cases/",
        "/runs/{run_id}/executions/",
        "/runs/{run_id}/executions/{run_case_id}/",
        "/runs/{run_id}/executions/{run_case_id}/retest/",
        "/defects/",
        "/defects/{defect_key}/",
    ]:
        assert base + path in paths, path

    def params(path: str) -> set[str]:
        return {p["name"] for p in paths[base + path]["get"]["parameters"]}

    assert {"role", "flow", "priority", "requirement", "layer", "search"} <= params("/uat-cases/")
    assert {"result", "tester", "case"} <= params("/runs/{run_id}/executions/")
    assert {"status", "severity", "run", "requirement"} <= params("/defects/")
    assert "delete" not in paths[f"{base}/defects/{{defect_key}}/"]
    assert "delete" not in paths[f"{base}/runs/{{run_id}}/"]
    assert {"200", "201"} <= set(paths[f"{base}/runs/{{run_id}}/executions/"]["post"]["responses"])
    # The choice sets other modules named before keep their names.
    components = schema["components"]["schemas"]
    assert {"UATRoleEnum", "UATPriorityEnum", "ResultEnum", "SeverityEnum", "DefectStatusEnum"} <= set(components)
    assert components["RoleEnum"]["enum"][0] == "owner"
    assert components["PriorityEnum"]["enum"][0] == "must"


def test_the_schema_builds_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert "/uat-cases/{case_key}/" in (tmp_path / "schema.yaml").read_text()
