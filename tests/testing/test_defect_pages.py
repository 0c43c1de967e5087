"""Defect pages: raising one from a failing step (pre-filled), the status buttons, editing, history, the list."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from requirements import services as requirement_services
from testing import services as svc
from testing.models import Defect
from tests.conftest import client_for
from tests.factories import ProjectFactory


@pytest.fixture
def requirements(project):
    return [
        requirement_services.requirement_create(project=project, title=title, statement="s", priority="must")
        for title in ("Receipt against the order", "Shortage is flagged", "Stock is updated")
    ]


@pytest.fixture
def run_case(project, requirements, tester, team):
    """A started run whose case failed at step 2 (its requirements: REQ-002 first, then REQ-003)."""
    case = svc.case_create(
        project=project,
        title="Receive a short-shipped delivery",
        flow="exception",
        role="warehouse_keeper",
        requirements=[requirements[1], requirements[2]],
        steps=[
            ("Scan the purchase order", "The open lines show"),
            ("Enter 8 of 10 cartons", "A shortage of 2 is flagged", "PO-2026-0042"),
            ("Post the receipt", "Stock rises by 8"),
        ],
    )
    run = svc.run_create(project=project, name="UAT round 1", cases=[case])
    svc.run_start(run=run)
    run_case = run.run_cases.get()
    svc.step_record(run_case=run_case, step_order=1, status="pass", user=tester)
    svc.step_record(
        run_case=run_case, step_order=2, status="fail", actual="No shortage shown; 10 booked in", user=tester
    )
    run_case.refresh_from_db()
    return run_case


def _create_url(project, query: str = "") -> str:
    return reverse("testing:defect-create", args=[project.code]) + query


def _detail_url(project, defect) -> str:
    return reverse("testing:defect-detail", args=[project.code, defect.key])


def _tree(response):
    return lxml_html.fromstring(response.content.decode())


def _texts(tree, testid: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(f'//*[@data-testid="{testid}"]')]


def _field(tree, name: str) -> str:
    (element,) = tree.xpath(f'//form[@data-testid="defect-form"]//*[@name="{name}"]')
    return element.text_content() if element.tag == "textarea" else element.get("value", "")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _raise(project, run_case, user, **fields) -> Defect:
    return svc.defect_raise(project=project, title="Shortage not flagged", user=user, run_case=run_case, **fields)


# Raising a defect


def test_raising_from_a_failing_step_is_prefilled_with_the_case_step_and_requirement(project, run_case, tester):
    client = client_for(tester)
    page = _tree(client.get(_create_url(project, f"?run_case={run_case.pk}&step=2")))
    title = _field(page, "title")
    assert "UAT-001" in title and "step 2" in title and "No shortage shown" in title
    description = _field(page, "description")
    for text in ("UAT-001", "Enter 8 of 10 cartons", "A shortage of 2 is flagged", "No shortage shown; 10 booked in"):
        assert text in description
    assert _field(page, "requirement") == "REQ-002"  # the case's first requirement
    assert [o.get("value") for o in page.xpath('//datalist[@id="requirement-suggestions"]/option')] == [
        "REQ-002",
        "REQ-003",
    ]
    assert "Enter 8 of 10 cartons" in _texts(page, "defect-source")[0]


def test_the_prefilled_form_saves_a_defect_linked_to_the_step_and_shows_its_key(project, run_case, tester):
    client = client_for(tester)
    response = client.post(
        _create_url(project, f"?run_case={run_case.pk}&step=2"),
        {
            "title": "Shortage not flagged on receipt",
            "severity": "critical",
            "description": "Booked 10 instead of 8.",
            "requirement": "req-003",  # the user picked the case's other requirement, typed in lower case
            "vendor_reference": " VND-4711 ",
        },
    )
    defect = Defect.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == _detail_url(project, defect)
    assert (defect.key, defect.severity, defect.status) == ("DEF-001", "critical", "open")
    assert defect.run_case == run_case and defect.step_order == 2
    assert defect.execution.number == 1 and defect.requirement.key == "REQ-003"
    assert defect.vendor_reference == "VND-4711" and defect.raised_by == tester
    page = client.get(response["Location"])
    tree = _tree(page)
    assert _texts(tree, "defect-key") == ["DEF-001"]
    assert "UAT-001" in _texts(tree, "defect-case")[0] and "step 2" in _texts(tree, "defect-case")[0]
    assert _texts(tree, "defect-attempt") == ["attempt 1"]
    assert _texts(tree, "defect-requirement")[0].startswith("REQ-003")


def test_an_empty_requirement_falls_back_to_the_cases_first(project, run_case, tester):
    client_for(tester).post(
        _create_url(project, f"?run_case={run_case.pk}&step=2"),
        {"title": "Shortage", "severity": "major", "description": "", "requirement": "", "vendor_reference": ""},
    )
    assert Defect.objects.get(project=project).requirement.key == "REQ-002"


def test_a_requirement_of_another_project_is_refused_and_nothing_is_saved(project, run_case, tester):
    other = ProjectFactory(code="OTHER")
    for n in range(5):
        foreign = requirement_services.requirement_create(project=other, title=f"Foreign {n}", statement="s")
    assert foreign.key == "REQ-005" and not project.requirements.filter(key="REQ-005").exists()
    response = client_for(tester).post(
        _create_url(project, f"?run_case={run_case.pk}&step=2"),
        {"title": "Shortage", "severity": "major", "description": "", "requirement": "REQ-005", "vendor_reference": ""},
    )
    assert response.status_code == 200
    assert "REQ-005 is no requirement of this project" in response.content.decode()
    assert not Defect.objects.exists()


def test_a_free_standing_defect_has_no_case(project, requirements, editor):
    response = client_for(editor).post(
        _create_url(project),
        {"title": "Menu typo", "severity": "trivial", "description": "", "requirement": "", "vendor_reference": ""},
    )
    defect = Defect.objects.get(project=project)
    assert response.status_code == 302
    assert defect.run_case is None and defect.requirement is None and defect.severity == "trivial"


def test_a_run_case_of_another_project_is_not_found(project, run_case, outsider, tester):
    other_case = svc.case_create(project=ProjectFactory(code="ELSE"), title="Theirs", steps=[("a", "b")])
    other_run = svc.run_create(project=other_case.project, name="Their run", cases=[other_case])
    response = client_for(tester).get(_create_url(project, f"?run_case={other_run.run_cases.get().pk}&step=1"))
    assert response.status_code == 404


def test_a_viewer_cannot_raise_a_defect(project, run_case, viewer):
    assert client_for(viewer).get(_create_url(project)).status_code == 403


# Status buttons


def _move(client, project, defect, status: str, version: int):
    return client.post(_detail_url(project, defect), {"status": status, "version": version}, follow=True)


def test_the_status_moves_open_fixed_retest_closed_and_reopens(project, run_case, tester):
    defect = _raise(project, run_case, tester)
    client = client_for(tester)
    buttons = [
        b.get("data-status")
        for b in _tree(client.get(_detail_url(project, defect))).xpath('//*[@data-testid="defect-move"]')
    ]
    assert buttons == ["fixed", "rejected"]
    for version, status in enumerate(["fixed", "retest"], start=1):
        response = _move(client, project, defect, status, version)
        assert f"DEF-001 is now “{Defect.Status(status).label}”." in _messages(response)
    # In retest while the run is in progress: the page leads to the case, where the tester presses Retest.
    page = _tree(client.get(_detail_url(project, defect)))
    execute = reverse("testing:execute", args=[project.code, run_case.run_id, run_case.pk])
    assert page.xpath(f'//*[@data-testid="defect-retest"]//a[@href="{execute}"]')
    _move(client, project, defect, "closed", 3)
    defect.refresh_from_db()
    assert (defect.status, defect.version) == ("closed", 4)
    assert not _tree(client.get(_detail_url(project, defect))).xpath('//*[@data-testid="defect-retest"]')
    _move(client, project, defect, "open", 4)
    defect.refresh_from_db()
    assert defect.status == "open"
    history = client.get(reverse("testing:defect-history", args=[project.code, defect.key])).content.decode()
    assert "Closed" in history and "Retest" in history and "Fixed" in history


def test_a_stale_status_button_is_refused(project, run_case, tester, editor):
    defect = _raise(project, run_case, tester)
    svc.defect_move(defect=defect, to_status="fixed", expected_version=1, user=editor)  # someone else, meanwhile
    response = _move(client_for(tester), project, defect, "rejected", 1)  # the page the tester opened showed v1
    assert any("after you opened it" in m for m in _messages(response))
    defect.refresh_from_db()
    assert (defect.status, defect.version) == ("fixed", 2)


def test_a_move_outside_the_flow_is_refused(project, run_case, tester):
    defect = _raise(project, run_case, tester)
    response = _move(client_for(tester), project, defect, "closed", 1)
    assert any("cannot be set to “Closed”" in m for m in _messages(response))
    defect.refresh_from_db()
    assert (defect.status, defect.version) == ("open", 1)


def test_a_viewer_sees_no_buttons_and_cannot_change_the_status(project, run_case, tester, viewer):
    defect = _raise(project, run_case, tester)
    client = client_for(viewer)
    page = client.get(_detail_url(project, defect))
    assert page.status_code == 200
    assert not _tree(page).xpath('//*[@data-testid="defect-move"] | //*[@data-testid="defect-edit"]')
    response = client.post(_detail_url(project, defect), {"status": "fixed", "version": 1})
    assert response.status_code == 403
    defect.refresh_from_db()
    assert defect.status == "open"


# Edit


def test_editing_saves_and_a_stale_edit_keeps_what_was_typed(project, run_case, tester, editor, requirements):
    defect = _raise(project, run_case, tester)
    url = reverse("testing:defect-edit", args=[project.code, defect.key])
    client = client_for(editor)
    form = _tree(client.get(url))
    assert _field(form, "requirement") == "REQ-002" and _field(form, "version") == "1"
    data = {
        "title": "Shortage not flagged",
        "severity": "minor",
        "description": "Seen twice",
        "requirement": "REQ-001",
        "vendor_reference": "VND-1",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    defect.refresh_from_db()
    assert (defect.severity, defect.requirement.key, defect.vendor_reference, defect.version) == (
        "minor",
        "REQ-001",
        "VND-1",
        2,
    )
    stale = client.post(url, {**data, "title": "My late change", "version": 1})
    assert stale.status_code == 200 and "after you opened it" in stale.content.decode()
    assert _field(_tree(stale), "title") == "My late change"
    defect.refresh_from_db()
    assert defect.title == "Shortage not flagged"


# The list


def test_the_list_shows_open_ones_by_default_and_all_on_request(project, run_case, tester):
    open_one = _raise(project, run_case, tester, severity="critical")
    in_retest = _raise(project, run_case, tester)
    for status in ("fixed", "retest"):
        svc.defect_move(defect=in_retest, to_status=status, expected_version=in_retest.version, user=tester)
    rejected = _raise(project, run_case, tester)
    svc.defect_move(defect=rejected, to_status="rejected", expected_version=1, user=tester)
    client = client_for(tester)
    url = reverse("testing:defect-list", args=[project.code])

    def keys(query=""):
        tree = _tree(client.get(url + query))
        return [row.get("data-key") for row in tree.xpath('//*[@data-testid="defect-row"]')]

    assert keys() == [in_retest.key, open_one.key]  # newest first; the rejected one is not open
    assert keys("?status=all") == [rejected.key, in_retest.key, open_one.key]
    assert keys("?status=rejected") == [rejected.key]
    assert keys("?severity=critical") == [open_one.key]
    assert keys("?requirement=req-002") == [in_retest.key, open_one.key]
    assert keys("?requirement=REQ-001") == []
    assert keys(f"?run={run_case.run_id}&status=all") == [rejected.key, in_retest.key, open_one.key]
    page = _tree(client.get(url))
    execute = reverse("testing:execute", args=[project.code, run_case.run_id, run_case.pk])
    assert page.xpath(f'//*[@data-testid="defect-case"]/a[@href="{execute}"]')
    assert page.xpath('//*[@data-severity="critical"]//i')  # critical stands out


def test_the_list_is_paged(project, tester):
    for n in range(55):
        svc.defect_raise(project=project, title=f"Defect {n}", user=tester)
    client = client_for(tester)
    url = reverse("testing:defect-list", args=[project.code])
    first = _tree(client.get(url))
    second = _tree(client.get(url + "?page=2"))
    assert len(first.xpath('//*[@data-testid="defect-row"]')) == 50
    assert len(second.xpath('//*[@data-testid="defect-row"]')) == 5
