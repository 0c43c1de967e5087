"""Test run pages: create and edit, cases chosen by filter, testers, start and complete, the run page (frozen
text, progress, burn-down, flat query count), sign-off, history, and who may do what."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Membership
from requirements import services as requirement_services
from testing import services as svc
from testing.models import RunCase, SignOff, TestRun
from tests.conftest import client_for
from tests.factories import PASSWORD

STEPS = [("Open the order", "The order opens"), ("Post it", "It is posted")]


def url(name, project, run=None, **kwargs):
    if run is not None:
        kwargs["run_id"] = run.pk
    return reverse(f"testing:{name}", kwargs={"project_code": project.code, **kwargs})


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def members(project, team):
    return {m.role: m for m in Membership.objects.filter(project=project)}


@pytest.fixture
def cases(project):
    core = requirement_services.requirement_create(project=project, title="Receive", statement="s", layer="core")
    integration = requirement_services.requirement_create(
        project=project, title="EDI", statement="s", layer="integration", priority="must"
    )
    return {
        "receipt": svc.case_create(
            project=project, title="Receive a delivery", steps=STEPS, requirements=[core], role="warehouse_keeper"
        ),
        "short": svc.case_create(
            project=project,
            title="Receive a short shipment",
            steps=STEPS,
            requirements=[core],
            role="warehouse_keeper",
            flow="exception",
        ),
        "edi": svc.case_create(
            project=project, title="Import an EDI invoice", steps=STEPS, requirements=[integration], role="finance"
        ),
        "sale": svc.case_create(project=project, title="Sell at the till", steps=STEPS, role="sales_clerk"),
    }


@pytest.fixture
def run(project, cases):
    return svc.run_create(project=project, name="UAT round 1", environment="UAT server", cases=list(cases.values()))


def started(run):
    svc.run_start(run=run)
    run.refresh_from_db()
    return run


def run_case(run, case):
    return RunCase.objects.select_related("run").get(run=run, case=case)


# Create and edit -------------------------------------------------------------------------------------------


def test_create_a_run_then_choose_its_cases(project, owner, cases):
    response = client_for(owner).post(
        url("run-create", project),
        {"name": "UAT round 2", "environment": "UAT", "build": "v2.3", "planned_start": "2026-11-02"},
    )
    run = TestRun.objects.get(name="UAT round 2")
    assert response.status_code == 302 and response["Location"] == url("run-cases", project, run)
    assert (run.build, run.planned_start, run.status) == ("v2.3", date(2026, 11, 2), "planned")


def test_planned_end_before_start_is_refused(project, owner, cases):
    response = client_for(owner).post(
        url("run-create", project), {"name": "Backwards", "planned_start": "2026-11-10", "planned_end": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "The planned end cannot be before the planned start." in response.content.decode()
    assert not TestRun.objects.filter(name="Backwards").exists()


def test_edit_saves_and_a_stale_edit_is_refused_with_the_input_kept(project, owner, editor, run):
    form = {"name": "UAT round 1 (retail)", "environment": "UAT server", "build": "rc2", "version": run.version}
    assert client_for(owner).post(url("run-edit", project, run), form).status_code == 302
    run.refresh_from_db()
    assert (run.name, run.build, run.version) == ("UAT round 1 (retail)", "rc2", 2)

    stale = {**form, "name": "Someone else's name", "version": 1}
    response = client_for(editor).post(url("run-edit", project, run), stale)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your changes were not saved" in body
    assert 'value="Someone else&#x27;s name"' in body  # what was typed is still in the form
    run.refresh_from_db()
    assert run.name == "UAT round 1 (retail)"


# Cases by filter ---------------------------------------------------------------------------------------------


def test_add_by_requirement_layer_and_no_duplicates(project, owner, cases):
    run = svc.run_create(project=project, name="Core only")
    client = client_for(owner)
    page = client.get(url("run-cases", project, run), {"layer": "core"})
    assert 'data-matching="2" data-in-run="0"' in page.content.decode()

    client.post(url("run-cases", project, run), {"action": "add", "layer": "core"})
    assert set(run.run_cases.values_list("case__key", flat=True)) == {cases["receipt"].key, cases["short"].key}

    response = client.post(url("run-cases", project, run), {"action": "add", "layer": "core", "flow": "exception"})
    assert run.run_cases.count() == 2
    assert any("in it already" in text for text in message_texts(response))
    page = client.get(url("run-cases", project, run), {"layer": "core"})
    assert 'data-matching="2" data-in-run="2"' in page.content.decode()


def test_add_by_role_and_requirement_priority(project, owner, cases):
    run = svc.run_create(project=project, name="Mixed")
    client = client_for(owner)
    client.post(url("run-cases", project, run), {"action": "add", "role": "sales_clerk"})
    client.post(url("run-cases", project, run), {"action": "add", "requirement_priority": "must"})
    assert set(run.run_cases.values_list("case__key", flat=True)) == {cases["sale"].key, cases["edi"].key}


def test_a_completed_run_takes_no_more_cases(project, owner, cases):
    run = svc.run_create(project=project, name="Done", cases=[cases["sale"]])
    started(run)
    svc.run_complete(run=run)
    response = client_for(owner).post(url("run-cases", project, run), {"action": "add"})
    assert run.run_cases.count() == 1
    assert "This run is completed; plan a new run for more cases." in message_texts(response)


# Testers -------------------------------------------------------------------------------------------------


def test_bulk_assign_only_to_members_who_execute(project, owner, members, run, cases):
    client = client_for(owner)
    ticked = [run_case(run, cases["receipt"]).pk, run_case(run, cases["short"]).pk]
    response = client.post(
        url("run-cases", project, run),
        {"action": "assign", "scope": "ticked", "tester": members["viewer"].pk, "run_cases": ticked},
    )
    assert response.status_code == 302 and message_texts(response)
    assert not run.run_cases.filter(tester__isnull=False).exists()

    client.post(
        url("run-cases", project, run),
        {"action": "assign", "scope": "ticked", "tester": members["tester"].pk, "run_cases": ticked},
    )
    assert set(run.run_cases.filter(tester=members["tester"]).values_list("pk", flat=True)) == set(ticked)


def test_bulk_assign_every_case_matching_a_filter(project, owner, members, run, cases):
    client_for(owner).post(
        url("run-cases", project, run),
        {"action": "assign", "scope": "matching", "role": "warehouse_keeper", "tester": members["editor"].pk},
    )
    assigned = set(run.run_cases.filter(tester=members["editor"]).values_list("case__key", flat=True))
    assert assigned == {cases["receipt"].key, cases["short"].key}


def test_assign_and_unassign_one_case(project, owner, members, run, cases):
    rc = run_case(run, cases["sale"])
    client = client_for(owner)
    assign = url("run-case-assign", project, run, run_case_id=rc.pk)
    response = client.post(assign, {"tester": members["viewer"].pk})
    assert "Assign a project member who may execute tests." in message_texts(response)
    client.post(assign, {"tester": members["tester"].pk})
    rc.refresh_from_db()
    assert rc.tester == members["tester"]
    client.post(assign, {"tester": ""})
    rc.refresh_from_db()
    assert rc.tester is None


def test_remove_a_case_unless_it_has_results(project, owner, tester, run, cases):
    client = client_for(owner)
    plain = run_case(run, cases["sale"])
    client.post(url("run-case-remove", project, run, run_case_id=plain.pk))
    assert not RunCase.objects.filter(pk=plain.pk).exists()

    started(run)
    tried = run_case(run, cases["edi"])
    svc.step_record(run_case=tried, step_order=1, status="pass", user=tester)
    response = client.post(url("run-case-remove", project, run, run_case_id=tried.pk))
    assert RunCase.objects.filter(pk=tried.pk).exists()
    assert any("has results in this run and stays in it" in text for text in message_texts(response))


# Start, complete, frozen text --------------------------------------------------------------------------------


def test_start_and_complete_take_post_only(project, owner, run):
    client = client_for(owner)
    assert client.get(url("run-start", project, run)).status_code == 405
    assert client.get(url("run-complete", project, run)).status_code == 405
    page = client.get(url("run-detail", project, run)).content.decode()
    assert "Starting freezes the text of the 4 cases" in page

    client.post(url("run-start", project, run))
    run.refresh_from_db()
    assert run.status == "in_progress" and run.started_at is not None
    response = client.post(url("run-start", project, run))
    assert "This run has started already." in message_texts(response)

    client.post(url("run-complete", project, run))
    run.refresh_from_db()
    assert run.status == "completed"


def test_the_run_page_shows_the_frozen_text_after_the_case_changes(project, owner, run, cases):
    client = client_for(owner)
    client.post(url("run-start", project, run))
    case = cases["receipt"]
    svc.case_update(case=case, expected_version=case.version, title="Receive a delivery (rewritten)")
    page = client.get(url("run-detail", project, run)).content.decode()
    assert "Receive a delivery" in page
    assert "rewritten" not in page
    rc = run_case(run, case)
    assert url("execute", project, run, run_case_id=rc.pk) in page


# The run page ------------------------------------------------------------------------------------------------


def test_run_page_shows_progress_burndown_and_filters(project, owner, tester, members, run, cases):
    svc.run_assign(run_case=run_case(run, cases["receipt"]), tester=members["tester"])
    started(run)
    rc = run_case(run, cases["receipt"])
    svc.step_record(run_case=rc, step_order=1, status="pass", user=tester)
    svc.step_record(run_case=rc, step_order=2, status="pass", user=tester)
    svc.step_record(run_case=run_case(run, cases["edi"]), step_order=1, status="fail", actual="No", user=tester)
    client = client_for(owner)
    page = client.get(url("run-detail", project, run)).content.decode()
    assert 'data-percent="50"' in page
    assert 'data-testid="burndown" data-remaining-today="2"' in page
    assert f'data-day="{timezone.localdate():%Y-%m-%d}" data-remaining="2"' in page
    assert "<svg" in page
    assert f'data-tester="{members["tester"].pk}" data-assigned="1" data-done="1" data-pass="1"' in page
    assert 'data-layer="core" data-total="2" data-done="1"' in page

    failing = client.get(url("run-detail", project, run), {"result": "fail"}).content.decode()
    assert failing.count('data-testid="run-case"') == 1 and cases["edi"].key in failing
    mine = client_for(tester).get(url("run-detail", project, run), {"tester": "mine"}).content.decode()
    assert mine.count('data-testid="run-case"') == 1 and 'data-case="UAT-001"' in mine


def build_run(project, owner_member, size: int) -> TestRun:
    requirement = requirement_services.requirement_create(project=project, title=f"R{size}", statement="s")
    cases = [
        svc.case_create(project=project, title=f"Case {n}", steps=STEPS, requirements=[requirement])
        for n in range(size)
    ]
    run = svc.run_create(project=project, name=f"Run of {size}", cases=cases)
    for rc in run.run_cases.select_related("run"):
        svc.run_assign(run_case=rc, tester=owner_member)
    started(run)
    user = owner_member.user
    for n, rc in enumerate(run.run_cases.select_related("run")[: size // 2]):
        if n % 3 == 0:
            svc.step_record(run_case=rc, step_order=1, status="fail", actual="Broken", user=user)
            svc.defect_raise(project=project, title="Broken", user=user, run_case=rc, step_order=1)
        else:
            svc.step_record(run_case=rc, step_order=1, status="pass", user=user)
            svc.step_record(run_case=rc, step_order=2, status="pass", user=user)
    svc.run_sign(run=run, user=user, password=PASSWORD, role="Lead", waiver="")
    return run


def test_run_page_query_count_does_not_grow_with_the_cases(project, owner, members):
    client = client_for(owner)
    counts = []
    for size in (5, 60):
        run = build_run(project, members["owner"], size)
        client.get(url("run-detail", project, run))  # warm up (session, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("run-detail", project, run))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_run_page_lists_fifty_cases_a_page(project, owner, members):
    run = build_run(project, members["owner"], 60)
    client = client_for(owner)
    assert client.get(url("run-detail", project, run)).content.decode().count('data-testid="run-case"') == 50
    second = client.get(url("run-detail", project, run), {"page": 2}).content.decode()
    assert second.count('data-testid="run-case"') == 10


def test_run_list_shows_each_run_with_its_figures(project, owner, members):
    run = build_run(project, members["owner"], 6)
    page = client_for(owner).get(url("run-list", project)).content.decode()
    assert run.name in page
    assert 'data-testid="run-open-defects" data-count="1"' in page
    assert 'data-testid="run-signatures" data-count="1"' in page
    assert "50 % executed (3 of 6)" in page
    assert url("run-create", project) in page


def test_run_list_without_cases_sends_to_the_cases(project, viewer):
    page = client_for(viewer).get(url("run-list", project)).content.decode()
    assert 'data-testid="runs-no-cases"' in page
    assert url("case-list", project) in page
    assert url("run-create", project) not in page


# Sign-off -------------------------------------------------------------------------------------------------


def test_sign_with_a_wrong_password_is_refused(project, owner, run):
    started(run)
    response = client_for(owner).post(url("run-sign", project, run), {"role": "Project lead", "password": "nope"})
    assert response.status_code == 200
    assert "The password is not right; the run was not signed." in message_texts(response)
    assert 'value="Project lead"' in response.content.decode()
    assert not SignOff.objects.exists()


def test_sign_needs_a_waiver_while_a_critical_defect_is_open(project, owner, tester, run, cases):
    started(run)
    rc = run_case(run, cases["edi"])
    svc.step_record(run_case=rc, step_order=1, status="fail", actual="Crash", user=tester)
    defect = svc.defect_raise(
        project=project, title="Invoice import crashes", user=tester, run_case=rc, severity="critical"
    )
    client = client_for(owner)
    page = client.get(url("run-sign", project, run)).content.decode()
    assert defect.key in page and 'name="waiver"' in page

    response = client.post(url("run-sign", project, run), {"role": "Finance owner", "password": PASSWORD})
    assert any("record a waiver" in text for text in message_texts(response))
    assert not SignOff.objects.exists()

    response = client.post(
        url("run-sign", project, run),
        {"role": "Finance owner", "password": PASSWORD, "comment": "OK", "waiver": "Manual import until fixed"},
    )
    assert response.status_code == 302
    signoff = SignOff.objects.get()
    assert (signoff.role, signoff.waiver) == ("Finance owner", "Manual import until fixed")
    page = client.get(url("run-detail", project, run)).content.decode()
    assert 'data-testid="signoff-waiver"' in page and "Manual import until fixed" in page


def test_a_signature_is_listed_on_the_run(project, owner, run):
    started(run)
    response = client_for(owner).post(
        url("run-sign", project, run), {"role": "Warehouse business owner", "password": PASSWORD, "comment": "Fine"}
    )
    assert response["Location"].endswith("#signoffs")
    page = client_for(owner).get(url("run-detail", project, run)).content.decode()
    assert 'data-testid="signoff-role">Warehouse business owner<' in page
    assert 'data-testid="signoff-waiver"' not in page


# Who may do what -----------------------------------------------------------------------------------------


def test_viewer_sees_no_edit_or_sign_buttons(project, viewer, run):
    started(run)
    page = client_for(viewer).get(url("run-detail", project, run)).content.decode()
    assert url("run-edit", project, run) not in page
    assert url("run-sign", project, run) not in page
    assert url("run-start", project, run) not in page
    assert url("run-complete", project, run) not in page
    assert url("run-checklist", project, run) in page
    cases_page = client_for(viewer).get(url("run-cases", project, run)).content.decode()
    assert 'data-testid="add-cases"' not in cases_page and 'data-testid="bulk-assign"' not in cases_page


def test_tester_may_not_edit_or_sign(project, tester, run):
    client = client_for(tester)
    assert client.post(url("run-edit", project, run), {"name": "Mine now", "version": 1}).status_code == 403
    assert client.post(url("run-sign", project, run), {"role": "x", "password": PASSWORD}).status_code == 403
    assert client.post(url("run-cases", project, run), {"action": "add"}).status_code == 403
    run.refresh_from_db()
    assert run.name == "UAT round 1"


def test_history_lists_the_changes(project, owner, run):
    client = client_for(owner)
    client.post(url("run-edit", project, run), {"name": "Renamed round", "environment": "UAT", "version": 1})
    page = client.get(url("run-history", project, run)).content.decode()
    assert "Renamed round" in page and "UAT round 1" in page


def test_a_filter_matching_nothing_still_counts_the_run(project, owner, run):
    page = client_for(owner).get(url("run-cases", project, run), {"q": "nothing like this"}).content.decode()
    assert 'data-matching="0" data-in-run="0"' in page
    assert "The run holds 4 cases." in page
    assert 'data-testid="run-cases-none-match"' in page


def test_run_list_query_count_does_not_grow_with_the_runs(project, owner, members, cases):
    client = client_for(owner)

    def list_queries():
        client.get(url("run-list", project))
        with CaptureQueriesContext(connection) as queries:
            client.get(url("run-list", project))
        return len(queries)

    svc.run_create(project=project, name="First", cases=[cases["sale"]])
    one = list_queries()
    for n in range(3):
        run = svc.run_create(project=project, name=f"More {n}", cases=list(cases.values()))
        started(run)
    assert list_queries() == one
