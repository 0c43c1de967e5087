"""The requirements API as an integration sees it: requirements by key, the workflow, baselines compared."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import Membership
from projects.services import goals as goal_services
from projects.services import processes as process_services
from requirements import services
from requirements.models import Baseline, BaselineItem, Requirement, Transition
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

API = "/api/v1/projects/ACME"
REQUIREMENTS = f"{API}/requirements/"
BASELINES = f"{API}/baselines/"
COMPARE = f"{BASELINES}compare/"


def url(requirement: Requirement) -> str:
    return f"{REQUIREMENTS}{requirement.key}/"


def send(client: Client, method: str, address: str, data: dict | None = None):
    return getattr(client, method)(address, data=json.dumps(data or {}), content_type="application/json")


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def make(project, title: str = "Real-time stock", **fields) -> Requirement:
    return services.requirement_create(
        project=project, title=title, statement=fields.pop("statement", "Stock is live."), **fields
    )


def move(requirement: Requirement, membership: Membership, *statuses: str) -> None:
    for status in statuses:
        services.requirement_transition(requirement=requirement, to_status=status, membership=membership)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def links(project):
    """A goal, a KPI and a finding of the ACME project."""
    goal = goal_services.goal_create(project=project, statement="Stock is right")
    kpi = goal_services.kpi_create(goal=goal, name="Accuracy", unit="%", baseline=Decimal(92), target=Decimal(99))
    process = process_services.process_create(project=project, name="Receiving")
    step = process_services.step_insert(process=process, lane="Warehouse", action="Unload")
    finding = process_services.finding_create(step=step, kind="pain_point", severity=4, description="Slips get lost")
    return {"goal": goal, "kpi": kpi, "finding": finding}


@pytest.fixture
def elsewhere(db):
    """One of everything in a project the ACME team does not belong to."""
    other = ProjectFactory(code="ELSEWHERE")
    goal = goal_services.goal_create(project=other, statement="Theirs")
    kpi = goal_services.kpi_create(goal=goal, name="Turns", unit="x", baseline=Decimal(4), target=Decimal(6))
    process = process_services.process_create(project=other, name="Shipping")
    step = process_services.step_insert(process=process, lane="Warehouse", action="Pick")
    finding = process_services.finding_create(step=step, kind="risk", severity=3, description="Wrong picks")
    requirement = make(other, "Their requirement")
    return {"project": other, "goal": goal, "kpi": kpi, "finding": finding, "requirement": requirement}


@pytest.fixture
def approved(project, owner):
    requirement = make(project, "Batches", statement="Track batches and expiry dates.")
    move(requirement, member(project, owner), "in_review", "approved")
    return requirement


# --- Requirements ----------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_requirement(project, editor_client, links, owner):
    parent = make(project, "Stock")
    created = send(
        editor_client,
        "post",
        REQUIREMENTS,
        {
            "title": "Scan goods in",
            "statement": "Receiving scans **every** pallet.",
            "layer": "core",
            "category": "warehouse",
            "priority": "must",
            "acceptance_criteria": "A pallet without a scan cannot be put away.",
            "owner": "Owner",  # user names ignore case
            "source": "Workshop 3",
            "parent": parent.key,
            "goals": [links["goal"].pk],
            "kpis": [links["kpi"].pk],
            "findings": [links["finding"].pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "key": "REQ-002",
        "title": "Scan goods in",
        "statement": "Receiving scans **every** pallet.",
        "layer": "core",
        "category": "warehouse",
        "priority": "must",
        "status": "draft",
        "acceptance_criteria": "A pallet without a scan cannot be put away.",
        "owner": "owner",
        "source": "Workshop 3",
        "parent": "REQ-001",
        "goals": [links["goal"].pk],
        "kpis": [links["kpi"].pk],
        "findings": [links["finding"].pk],
        "suspect": False,
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    requirement = Requirement.objects.get(project=project, key="REQ-002")
    assert requirement.owner == member(project, owner)
    assert requirement.parent == parent

    assert editor_client.get(url(requirement)).json()["title"] == "Scan goods in"
    listed = editor_client.get(REQUIREMENTS).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [r["key"] for r in listed["results"]] == ["REQ-001", "REQ-002"]

    updated = send(editor_client, "patch", url(requirement), {"priority": "should", "kpis": [], "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["priority"] == "should"
    assert updated.json()["kpis"] == []
    assert updated.json()["goals"] == [links["goal"].pk]  # not sent: left alone
    assert updated.json()["version"] == 2

    replaced = send(
        editor_client,
        "put",
        url(requirement),
        {"title": "Scan pallets in", "statement": "Every pallet.", "layer": "extended", "parent": None, "version": 2},
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["parent"] is None
    assert replaced.json()["layer"] == "extended"
    assert replaced.json()["source"] == "Workshop 3"

    assert editor_client.delete(url(requirement)).status_code == 204
    assert not Requirement.objects.filter(pk=requirement.pk).exists()
    assert editor_client.get(url(requirement)).status_code == 404


def test_the_status_is_read_only_and_the_key_stays(project, editor_client):
    requirement = make(project)

    response = send(
        editor_client,
        "patch",
        url(requirement),
        {"status": "approved", "key": "REQ-999", "title": "Renamed", "version": requirement.version},
    )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["key"]) == ("draft", "REQ-001")
    requirement.refresh_from_db()
    assert (requirement.status, requirement.key, requirement.title) == ("draft", "REQ-001", "Renamed")


def test_an_update_without_the_version_read_is_400(project, editor_client):
    requirement = make(project)

    response = send(editor_client, "patch", url(requirement), {"title": "Renamed"})

    assert response.status_code == 400
    assert "version" in response.json()
    requirement.refresh_from_db()
    assert requirement.title == "Real-time stock"


def test_a_stale_version_is_409_and_changes_nothing(project, editor_client, editor, links):
    requirement = make(project, goals=[links["goal"]])
    services.requirement_update(
        requirement=requirement, expected_version=1, user=editor, title="Changed by someone else"
    )

    response = send(
        editor_client, "patch", url(requirement), {"title": "Mine", "priority": "must", "goals": [], "version": 1}
    )

    assert response.status_code == 409
    assert "changed this record" in response.json()["detail"]
    requirement.refresh_from_db()
    assert (requirement.title, requirement.priority, requirement.version) == ("Changed by someone else", "should", 2)
    assert list(requirement.goals.all()) == [links["goal"]]


def test_only_drafts_can_be_deleted(project, editor_client, approved):
    response = editor_client.delete(url(approved))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Only drafts can be deleted. Reject or defer this requirement instead."]
    }
    assert Requirement.objects.filter(pk=approved.pk).exists()


def test_a_requirement_with_children_cannot_be_deleted(project, editor_client):
    parent = make(project, "Stock")
    make(project, "Batches", parent=parent)

    response = editor_client.delete(url(parent))

    assert response.status_code == 400
    assert Requirement.objects.filter(pk=parent.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("goals", lambda e: [e["goal"].pk], "There is no goal {} in this project."),
        ("kpis", lambda e: [e["kpi"].pk], "There is no KPI {} in this project."),
        ("findings", lambda e: [e["finding"].pk], "There is no finding {} in this project."),
        ("parent", lambda e: e["requirement"].key, "There is no requirement {} in this project."),
        ("owner", lambda e: "outsider", "“outsider” is not a member of this project."),
    ],
)
def test_links_to_another_project_are_400(project, editor_client, elsewhere, outsider, field, value, message):
    sent = value(elsewhere)

    response = send(editor_client, "post", REQUIREMENTS, {"title": "Mine", "statement": "X", field: sent})

    assert response.status_code == 400
    shown = sent[0] if isinstance(sent, list) else sent
    assert response.json() == {field: [message.format(shown)]}
    assert not Requirement.objects.filter(project=project).exists()


def test_a_foreign_link_on_update_is_400_and_changes_nothing(project, editor_client, elsewhere, links):
    requirement = make(project, goals=[links["goal"]])

    response = send(
        editor_client,
        "patch",
        url(requirement),
        {"title": "Mine", "goals": [links["goal"].pk, elsewhere["goal"].pk], "version": 1},
    )

    assert response.status_code == 400
    assert "goals" in response.json()
    requirement.refresh_from_db()
    assert (requirement.title, requirement.version) == ("Real-time stock", 1)
    assert list(requirement.goals.all()) == [links["goal"]]


def test_a_requirement_cannot_sit_under_its_own_child(project, editor_client):
    parent = make(project, "Stock")
    child = make(project, "Batches", parent=parent)

    response = send(editor_client, "patch", url(parent), {"parent": child.key, "version": parent.version})

    assert response.status_code == 400
    assert response.json() == {"parent": ["A requirement cannot sit under itself or one of its children."]}
    parent.refresh_from_db()
    assert parent.parent is None


@pytest.mark.parametrize(("field", "value"), [("layer", "frontend"), ("priority", "asap"), ("category", "misc")])
def test_unknown_choices_are_400(project, editor_client, field, value):
    response = send(editor_client, "post", REQUIREMENTS, {"title": "Mine", "statement": "X", field: value})

    assert response.status_code == 400
    assert field in response.json()


def test_a_requirement_without_title_or_statement_is_400_and_takes_no_key(project, editor_client):
    refused = send(editor_client, "post", REQUIREMENTS, {"title": "", "statement": ""})
    created = send(editor_client, "post", REQUIREMENTS, {"title": "Mine", "statement": "X"})

    assert refused.status_code == 400
    assert set(refused.json()) == {"title", "statement"}
    assert created.json()["key"] == "REQ-001"


def test_a_viewer_reads_but_cannot_write(project, viewer_client, approved):
    draft = make(project, "Draft")

    assert viewer_client.get(REQUIREMENTS).status_code == 200
    assert viewer_client.get(url(draft)).json()["key"] == draft.key
    assert send(viewer_client, "post", REQUIREMENTS, {"title": "Mine", "statement": "X"}).status_code == 403
    assert send(viewer_client, "patch", url(draft), {"title": "Mine", "version": 1}).status_code == 403
    assert send(viewer_client, "put", url(draft), {"title": "Mine", "statement": "X", "version": 1}).status_code == 403
    assert viewer_client.delete(url(draft)).status_code == 403
    transition = send(viewer_client, "post", f"{url(draft)}transition/", {"to_status": "in_review"})
    assert transition.status_code == 403
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.version) == ("Draft", "draft", 1)
    assert Requirement.objects.filter(project=project).count() == 2


def test_an_outsider_gets_404_for_everything(project, outsider_client, approved, owner):
    baseline = services.baseline_sign(project=project, membership=member(project, owner), name="BL", password=PASSWORD)

    for address in (REQUIREMENTS, url(approved), BASELINES, f"{BASELINES}{baseline.pk}/", f"{COMPARE}?a={baseline.pk}"):
        assert outsider_client.get(address).status_code == 404, address
    assert send(outsider_client, "post", REQUIREMENTS, {"title": "X", "statement": "X"}).status_code == 404
    assert send(outsider_client, "patch", url(approved), {"title": "X", "version": 3}).status_code == 404
    assert outsider_client.delete(url(approved)).status_code == 404
    assert send(outsider_client, "post", f"{url(approved)}transition/", {"to_status": "deferred"}).status_code == 404
    assert send(outsider_client, "post", BASELINES, {"name": "X", "password": PASSWORD}).status_code == 404
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_another_projects_requirement_is_404(project, editor_client, elsewhere):
    assert editor_client.get(f"{REQUIREMENTS}{elsewhere['requirement'].key}/").status_code == 404


# --- Transitions -----------------------------------------------------------------------------


def transition(client: Client, requirement: Requirement, to_status: str, comment: str = ""):
    return send(client, "post", f"{url(requirement)}transition/", {"to_status": to_status, "comment": comment})


def test_an_editor_sends_a_draft_to_review(project, editor_client, editor):
    requirement = make(project)

    response = transition(editor_client, requirement, "in_review", "Ready for the warehouse leads")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    assert response.json()["version"] == 2
    recorded = Transition.objects.get(requirement=requirement)
    assert (recorded.from_status, recorded.to_status, recorded.by, recorded.comment) == (
        "draft",
        "in_review",
        editor,
        "Ready for the warehouse leads",
    )


def test_an_editor_cannot_approve(project, editor_client, owner):
    requirement = make(project)
    move(requirement, member(project, owner), "in_review")

    response = transition(editor_client, requirement, "approved")

    assert response.status_code == 400
    assert response.json() == {"to_status": ["REQ-001 cannot go from “In review” to “Approved” with your role."]}
    requirement.refresh_from_db()
    assert requirement.status == "in_review"


def test_an_owner_approves(project, owner_client, owner):
    requirement = make(project)
    move(requirement, member(project, owner), "in_review")

    response = transition(owner_client, requirement, "approved")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"


def test_a_tester_verifies_what_was_implemented_and_nothing_else(project, tester, owner, approved):
    tester_client = client_for(tester)
    draft = make(project, "Draft")

    assert transition(tester_client, draft, "in_review").status_code == 400
    assert transition(tester_client, approved, "implemented").status_code == 400
    move(approved, member(project, owner), "implemented")
    verified = transition(tester_client, approved, "verified")

    assert verified.status_code == 200, verified.content
    assert verified.json()["status"] == "verified"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_move_the_workflow_does_not_know_is_400(project, owner_client):
    requirement = make(project)

    assert transition(owner_client, requirement, "verified").status_code == 400
    unknown = transition(owner_client, requirement, "shipped")
    assert unknown.status_code == 400
    assert "to_status" in unknown.json()


def test_changing_the_meaning_of_an_approved_requirement_sends_it_back_to_review(
    project, editor_client, editor, approved
):
    response = send(
        editor_client, "patch", url(approved), {"statement": "Track batches only.", "version": approved.version}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    assert Transition.objects.filter(requirement=approved, to_status="in_review", by=editor).count() == 1


def test_children_of_a_changed_requirement_are_suspect(project, editor_client):
    parent = make(project, "Stock")
    child = make(project, "Batches", parent=parent)
    make(project, "Unrelated")

    send(editor_client, "patch", url(parent), {"title": "Stock per bin", "version": 1})

    assert editor_client.get(url(child)).json()["suspect"] is True
    assert editor_client.get(url(parent)).json()["suspect"] is False
    flagged = editor_client.get(REQUIREMENTS, {"suspect": "true"}).json()
    assert [r["key"] for r in flagged["results"]] == [child.key]
    clean = editor_client.get(REQUIREMENTS, {"suspect": "false"}).json()
    assert [r["key"] for r in clean["results"]] == ["REQ-001", "REQ-003"]


# --- Filters ---------------------------------------------------------------------------------


def keys(client: Client, **params) -> list[str]:
    response = client.get(REQUIREMENTS, params)
    assert response.status_code == 200, response.content
    return [r["key"] for r in response.json()["results"]]


def test_the_requirements_can_be_filtered(project, viewer_client, owner, links):
    owner_membership = member(project, owner)
    make(project, "Scan in", layer="core", priority="must", category="warehouse", goals=[links["goal"]])
    make(project, "EDI orders", layer="integration", priority="should", category="sales", owner=owner_membership)
    third = make(project, "Fast lists", layer="nonfunctional", priority="must", category="performance")
    move(third, owner_membership, "in_review")

    assert keys(viewer_client, layer="core") == ["REQ-001"]
    assert keys(viewer_client, priority="must") == ["REQ-001", "REQ-003"]
    assert keys(viewer_client, status="in_review") == ["REQ-003"]
    assert keys(viewer_client, category="sales") == ["REQ-002"]
    assert keys(viewer_client, owner="OWNER") == ["REQ-002"]
    assert keys(viewer_client, goal=links["goal"].pk) == ["REQ-001"]
    assert keys(viewer_client, search="edi") == ["REQ-002"]
    assert keys(viewer_client, search="req-003") == ["REQ-003"]
    assert keys(viewer_client, layer="core", priority="should") == []
    assert viewer_client.get(REQUIREMENTS, {"layer": "frontend"}).status_code == 400


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


def test_the_requirement_list_does_not_query_per_row(project, viewer, owner, links):
    client = client_for(viewer)
    owner_membership = member(project, owner)

    def grow(n: int) -> None:
        start = Requirement.objects.filter(project=project).count()
        parent = Requirement.objects.filter(project=project).first()
        for i in range(n):
            make(
                project,
                f"Requirement {start + i}",
                owner=owner_membership,
                parent=parent,
                goals=[links["goal"]],
                kpis=[links["kpi"]],
                findings=[links["finding"]],
            )

    grow(2)
    queries_for(client, REQUIREMENTS)  # warm-up: the content type of the suspect flags is cached
    small = queries_for(client, REQUIREMENTS)
    grow(28)
    large = queries_for(client, REQUIREMENTS)

    # session, user, membership, count, rows (owner, parent, suspect joined in), goals, KPIs, findings
    assert small == large == 8


def test_the_baseline_detail_and_compare_do_not_query_per_row(project, owner_client, owner):
    owner_membership = member(project, owner)

    def sign(name: str, n: int) -> Baseline:
        for i in range(n):
            move(make(project, f"{name} {i}"), owner_membership, "in_review", "approved")
        return services.baseline_sign(project=project, membership=owner_membership, name=name, password=PASSWORD)

    small = sign("small", 2)
    large = sign("large", 28)
    queries_for(owner_client, f"{COMPARE}?a={small.pk}")  # warm-up

    assert queries_for(owner_client, f"{BASELINES}{small.pk}/") == queries_for(owner_client, f"{BASELINES}{large.pk}/")
    assert queries_for(owner_client, f"{COMPARE}?a={small.pk}&b=today") == queries_for(
        owner_client, f"{COMPARE}?a={large.pk}&b=today"
    )


# --- Baselines -------------------------------------------------------------------------------


def test_an_owner_signs_a_baseline_with_the_password(project, owner_client, owner, approved):
    make(project, "Still a draft")

    response = send(
        owner_client, "post", BASELINES, {"name": "BL-1", "description": "After workshops", "password": PASSWORD}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "name": "BL-1",
        "description": "After workshops",
        "signed_by": "owner",
        "signed_at": body["signed_at"],
        "requirement_count": 1,
    }
    baseline = Baseline.objects.get(pk=body["id"])
    assert (baseline.project, baseline.signed_by) == (project, owner)
    assert [item.key for item in baseline.items.all()] == [approved.key]


def test_a_wrong_password_signs_nothing(project, owner_client, approved):
    response = send(owner_client, "post", BASELINES, {"name": "BL-1", "password": "guess"})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The password is not correct. The baseline was not signed."]}
    assert not Baseline.objects.exists()


def test_a_baseline_name_is_used_once(project, owner_client, owner, approved):
    services.baseline_sign(project=project, membership=member(project, owner), name="BL-1", password=PASSWORD)

    response = send(owner_client, "post", BASELINES, {"name": "BL-1", "password": PASSWORD})

    assert response.status_code == 400
    assert Baseline.objects.count() == 1


@pytest.mark.parametrize("role", ["editor", "tester", "viewer"])
def test_only_an_owner_signs(project, team, role, approved):
    response = send(client_for(team[role]), "post", BASELINES, {"name": "BL-1", "password": PASSWORD})

    assert response.status_code == 403
    assert not Baseline.objects.exists()


def test_a_baseline_is_read_with_its_items(project, viewer_client, owner, approved):
    second = make(project, "Scan in")
    move(second, member(project, owner), "in_review", "approved")
    baseline = services.baseline_sign(
        project=project, membership=member(project, owner), name="BL-1", password=PASSWORD
    )

    listed = viewer_client.get(BASELINES).json()
    body = viewer_client.get(f"{BASELINES}{baseline.pk}/").json()

    assert [b["name"] for b in listed["results"]] == ["BL-1"]
    assert "items" not in listed["results"][0]
    assert body["requirement_count"] == 2
    assert body["items"][0] == {
        "key": "REQ-001",
        "version": approved.version,
        "title": "Batches",
        "statement": "Track batches and expiry dates.",
        "acceptance_criteria": "",
        "layer": "core",
        "category": "other",
        "priority": "should",
        "status": "approved",
    }
    assert [item["key"] for item in body["items"]] == ["REQ-001", "REQ-002"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_signed_baseline_cannot_be_changed_or_deleted(project, owner_client, owner, approved, method):
    baseline = services.baseline_sign(
        project=project, membership=member(project, owner), name="BL-1", password=PASSWORD
    )

    response = send(owner_client, method, f"{BASELINES}{baseline.pk}/", {"name": "Renamed", "password": PASSWORD})

    assert response.status_code == 405
    baseline.refresh_from_db()
    assert (baseline.name, baseline.requirement_count) == ("BL-1", 1)
    assert BaselineItem.objects.filter(baseline=baseline).count() == 1


def test_another_projects_baseline_is_404(project, owner_client, elsewhere):
    foreign = MembershipFactory(project=elsewhere["project"], user=UserFactory(username="theirs"), role="owner")
    move(elsewhere["requirement"], foreign, "in_review", "approved")
    theirs = services.baseline_sign(project=elsewhere["project"], membership=foreign, name="BL", password=PASSWORD)

    assert owner_client.get(f"{BASELINES}{theirs.pk}/").status_code == 404
    response = owner_client.get(COMPARE, {"a": theirs.pk})
    assert response.status_code == 400
    assert response.json() == {"a": [f"There is no baseline {theirs.pk} in this project."]}


# --- Compare ---------------------------------------------------------------------------------


def test_a_baseline_compared_with_today(project, viewer_client, owner, editor, approved):
    owner_membership = member(project, owner)
    unchanged = make(project, "Scan in")
    dropped = make(project, "Paper slips")
    move(unchanged, owner_membership, "in_review", "approved")
    move(dropped, owner_membership, "in_review", "approved")
    baseline = services.baseline_sign(project=project, membership=owner_membership, name="BL-1", password=PASSWORD)
    services.requirement_update(
        requirement=approved, expected_version=approved.version, user=editor, title="Batches and serials"
    )
    move(approved, owner_membership, "approved")
    move(dropped, owner_membership, "deferred")
    added = make(project, "EDI orders")
    move(added, owner_membership, "in_review", "approved")
    approved.refresh_from_db()

    response = viewer_client.get(COMPARE, {"a": baseline.pk, "b": "today"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["a"]["name"] == "BL-1"
    assert body["b"] is None
    assert body["rows"] == [
        {
            "status": "changed",
            "key": "REQ-001",
            "title": "Batches and serials",
            "version_a": 3,
            "version_b": approved.version,
            "changed": ["title", "version"],
        },
        {"status": "unchanged", "key": "REQ-002", "title": "Scan in", "version_a": 3, "version_b": 3, "changed": []},
        {  # deferred since the baseline: still listed, as changed, so nobody loses sight of it
            "status": "changed",
            "key": "REQ-003",
            "title": "Paper slips",
            "version_a": 3,
            "version_b": 4,
            "changed": ["status", "version"],
        },
        {"status": "added", "key": "REQ-004", "title": "EDI orders", "version_a": None, "version_b": 3, "changed": []},
    ]
    assert viewer_client.get(COMPARE, {"a": baseline.pk}).json() == body  # today is the default


def test_two_baselines_compared(project, viewer_client, owner, approved):
    owner_membership = member(project, owner)
    first = services.baseline_sign(project=project, membership=owner_membership, name="BL-1", password=PASSWORD)
    move(approved, owner_membership, "implemented")
    second = services.baseline_sign(project=project, membership=owner_membership, name="BL-2", password=PASSWORD)

    body = viewer_client.get(COMPARE, {"a": first.pk, "b": second.pk}).json()

    assert (body["a"]["name"], body["b"]["name"]) == ("BL-1", "BL-2")
    assert body["rows"] == [
        {
            "status": "changed",
            "key": "REQ-001",
            "title": "Batches",
            "version_a": 3,
            "version_b": 4,
            "changed": ["status", "version"],
        }
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "a"), ({"a": "x"}, "a"), ({"a": 999999}, "a"), ({"a": "{pk}", "b": "yesterday"}, "b")],
)
def test_a_compare_needs_baselines_of_this_project(project, viewer_client, owner, approved, params, field):
    baseline = services.baseline_sign(
        project=project, membership=member(project, owner), name="BL-1", password=PASSWORD
    )
    params = {name: str(value).format(pk=baseline.pk) for name, value in params.items()}

    response = viewer_client.get(COMPARE, params)

    assert response.status_code == 400
    assert field in response.json()
