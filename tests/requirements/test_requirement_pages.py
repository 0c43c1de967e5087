"""The requirement pages: create, versioned edit with conflicts, detail with workflow, suspects, comments, history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from projects.models import Membership
from projects.services import goals as goal_services
from projects.services import processes as process_services
from requirements import services
from requirements.models import Comment, Requirement, SuspectFlag, Transition
from tests.conftest import client_for
from tests.factories import ProjectFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": "ACME", **kwargs})


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def new(project, title="Real-time stock", **fields) -> Requirement:
    return services.requirement_create(
        project=project, title=title, statement=fields.pop("statement", "Stock is updated within a second."), **fields
    )


def move(requirement, membership, *statuses) -> None:
    for status in statuses:
        services.requirement_transition(requirement=requirement, to_status=status, membership=membership)


def form_data(**overrides) -> dict:
    data = {
        "title": "Batch tracking",
        "statement": "Every receipt records the batch number.",
        "layer": "core",
        "category": "inventory",
        "priority": "must",
        "acceptance_criteria": "",
        "owner": "",
        "source": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def edit_data(requirement: Requirement, **overrides) -> dict:
    data = form_data(
        title=requirement.title,
        statement=requirement.statement,
        layer=requirement.layer,
        category=requirement.category,
        priority=requirement.priority,
        acceptance_criteria=requirement.acceptance_criteria,
        owner=requirement.owner_id or "",
        source=requirement.source,
        parent=requirement.parent_id or "",
        version=requirement.version,
    )
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- Create ----------------------------------------------------------------------------------


def test_creating_gives_keys_req_001_then_req_002(project, editor):
    client = client_for(editor)

    first = client.post(url("requirement-create"), form_data())
    second = client.post(url("requirement-create"), form_data(title="Serial numbers"))

    assert first["Location"] == url("requirement-detail", key="REQ-001")
    assert second["Location"] == url("requirement-detail", key="REQ-002")
    assert list(Requirement.objects.order_by("number").values_list("key", "status")) == [
        ("REQ-001", "draft"),
        ("REQ-002", "draft"),
    ]
    assert "REQ-002 created as a draft." in messages_of(second)[-1]


def test_a_new_requirement_gets_its_links_owner_and_parent(project, editor, tester):
    goal = goal_services.goal_create(project=project, statement="Stock is right")
    kpi = goal_services.kpi_create(goal=goal, name="Accuracy", baseline=90, target=99)
    process = process_services.process_create(project=project, name="Receiving")
    step = process_services.step_insert(process=process, lane="Warehouse", action="Count")
    finding = process_services.finding_create(step=step, kind="risk", severity=4, description="Miscounts")
    parent = new(project, "Stock")

    client_for(editor).post(
        url("requirement-create"),
        form_data(
            goals=[goal.pk], kpis=[kpi.pk], findings=[finding.pk], owner=member(project, tester).pk, parent=parent.pk
        ),
    )

    created = Requirement.objects.get(key="REQ-002")
    assert list(created.goals.all()) == [goal]
    assert list(created.kpis.all()) == [kpi]
    assert list(created.findings.all()) == [finding]
    assert created.owner.user == tester and created.parent == parent


def test_the_form_offers_only_this_projects_members_and_items(project, editor):
    goal_services.goal_create(project=project, statement="Ours")
    other = ProjectFactory(code="ELSE")
    foreign_goal = goal_services.goal_create(project=other, statement="Someone else's goal")
    foreign = new(other, "Someone else's requirement")

    response = client_for(editor).get(url("requirement-create"))
    form = response.context["form"]

    assert set(form.fields["owner"].queryset) == set(Membership.objects.filter(project=project))
    assert "Someone else" not in response.content.decode()
    refused = client_for(editor).post(url("requirement-create"), form_data(goals=[foreign_goal.pk], parent=foreign.pk))
    assert set(refused.context["form"].errors) == {"goals", "parent"}
    assert Requirement.objects.filter(project=project).count() == 0


def test_a_new_requirement_needs_a_title_and_a_statement_and_keeps_what_was_typed(project, editor):
    response = client_for(editor).post(url("requirement-create"), form_data(title="", statement="", source="Workshop"))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "statement"}
    assert 'value="Workshop"' in response.content.decode()
    assert not Requirement.objects.exists()


def test_the_create_form_takes_a_parent_from_the_url(project, editor):
    parent = new(project, "Stock", layer="integration", category="finance")

    form = client_for(editor).get(url("requirement-create"), {"parent": parent.key}).context["form"]

    assert form.initial["parent"] == parent
    assert (form.initial["layer"], form.initial["category"]) == ("integration", "finance")
    assert form.initial["owner"] == member(project, editor)


# --- Edit, with versions ---------------------------------------------------------------------


def test_an_edit_saves_and_bumps_the_version(project, editor):
    requirement = new(project)

    response = client_for(editor).post(
        url("requirement-edit", key=requirement.key), edit_data(requirement, statement="Within 2 seconds.")
    )

    requirement.refresh_from_db()
    assert response["Location"] == url("requirement-detail", key="REQ-001")
    assert (requirement.statement, requirement.version) == ("Within 2 seconds.", 2)


def test_a_textarea_sent_with_crlf_is_not_a_change_of_meaning(project, owner):
    requirement = new(project, statement="Line one.\nLine two.")
    move(requirement, member(project, owner), "in_review", "approved")
    requirement.refresh_from_db()

    client_for(owner).post(
        url("requirement-edit", key=requirement.key),
        edit_data(requirement, statement="Line one.\r\nLine two.", priority="could"),
    )

    requirement.refresh_from_db()
    assert (requirement.status, requirement.priority, requirement.statement) == (
        "approved",
        "could",
        "Line one.\nLine two.",
    )


def test_a_stale_save_is_refused_shows_what_changed_and_overwrites_nothing(project, owner, editor):
    requirement = new(project, statement="Stock is updated within a second.")
    opened = edit_data(requirement)
    services.requirement_update(
        requirement=Requirement.objects.get(pk=requirement.pk),
        expected_version=1,
        user=owner,
        statement="Stock is updated within two seconds.",
        priority="must",
    )

    response = client_for(editor).post(
        url("requirement-edit", key=requirement.key),
        {**opened, "statement": "Stock is updated at once.", "title": "Live stock"},
    )

    assert response.status_code == 200
    stored = Requirement.objects.get(pk=requirement.pk)
    assert (stored.title, stored.statement, stored.priority, stored.version) == (
        "Real-time stock",
        "Stock is updated within two seconds.",
        "must",
        2,
    )
    content = response.content.decode()
    assert "Your changes were not saved" in content
    changes = {change.name: outcome for change, outcome in response.context["conflict"].changes}
    assert changes == {"statement": "kept", "priority": "taken"}
    assert "<del>a</del><ins>two</ins>" in content.replace(" ", "")  # the word diff of their change
    # What the editor typed is still in the form; their untouched priority now shows the new one.
    form = response.context["form"]
    assert form["statement"].value() == "Stock is updated at once."
    assert form["title"].value() == "Live stock"
    assert form["priority"].value() == "must"
    assert form["version"].value() == "2"


def test_after_a_conflict_saving_again_applies_the_change_on_top(project, owner, editor):
    requirement = new(project)
    opened = edit_data(requirement)
    services.requirement_update(requirement=requirement, expected_version=1, user=owner, priority="must")
    client = client_for(editor)
    refused = client.post(url("requirement-edit", key=requirement.key), {**opened, "title": "Live stock"})
    retry = {name: refused.context["form"][name].value() for name in opened}

    response = client.post(url("requirement-edit", key=requirement.key), retry)

    stored = Requirement.objects.get(pk=requirement.pk)
    assert response.status_code == 302
    assert (stored.title, stored.priority, stored.version) == ("Live stock", "must", 3)


def test_editing_an_approved_statement_sends_it_back_to_review_and_flags_the_child(project, owner, editor):
    parent = new(project)
    child = new(project, "Batches", parent=parent)
    move(parent, member(project, owner), "in_review", "approved")
    parent.refresh_from_db()

    response = client_for(editor).post(
        url("requirement-edit", key=parent.key), edit_data(parent, statement="Stock is updated at once.")
    )

    parent.refresh_from_db()
    assert parent.status == "in_review"
    text = messages_of(response)[-1]
    assert "It was “Approved”; your change to its meaning sent it back to review." in text
    assert "1 item below it is marked suspect" in text
    flag = SuspectFlag.objects.get(object_id=child.pk, cleared_at__isnull=True)
    assert flag.upstream == parent
    assert Transition.objects.filter(
        requirement=parent, from_status="approved", to_status="in_review", by=editor
    ).exists()


def test_the_edit_page_warns_before_changing_an_agreed_requirement(project, owner, editor):
    requirement = new(project)
    move(requirement, member(project, owner), "in_review", "approved")

    content = client_for(editor).get(url("requirement-edit", key=requirement.key)).content.decode()

    assert "sends it back to review" in content


def test_the_parent_choices_leave_out_itself_and_its_descendants(project, editor):
    top = new(project, "Top")
    middle = new(project, "Middle", parent=top)
    bottom = new(project, "Bottom", parent=middle)
    sibling = new(project, "Sibling")
    client = client_for(editor)

    form = client.get(url("requirement-edit", key=top.key)).context["form"]
    assert list(form.fields["parent"].queryset) == [sibling]

    response = client.post(url("requirement-edit", key=top.key), edit_data(top, parent=bottom.pk))
    assert "parent" in response.context["form"].errors
    top.refresh_from_db()
    assert top.parent is None


# --- Detail ----------------------------------------------------------------------------------


def test_the_detail_shows_the_requirement_its_links_both_ways_and_its_history(project, owner, viewer):
    goal = goal_services.goal_create(project=project, statement="Stock is right")
    kpi = goal_services.kpi_create(goal=goal, name="Accuracy", baseline=90, target=99)
    process = process_services.process_create(project=project, name="Receiving")
    step = process_services.step_insert(process=process, lane="Warehouse", action="Count")
    finding = process_services.finding_create(step=step, kind="risk", severity=4, description="Miscounts")
    parent = new(project, "Inventory")
    requirement = new(
        project,
        "Real-time stock",
        statement="Stock is **live**.",
        acceptance_criteria="- a receipt shows at once",
        owner=member(project, owner),
        source="Warehouse workshop",
        parent=parent,
        goals=[goal],
        kpis=[kpi],
        findings=[finding],
    )
    child = new(project, "Batches", parent=requirement)

    response = client_for(viewer).get(url("requirement-detail", key=requirement.key))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="requirement-key">REQ-002</span>' in content
    assert "<strong>live</strong>" in content and "<li>a receipt shows at once</li>" in content
    assert escape(owner.get_full_name()) in content and "Warehouse workshop" in content
    assert url("requirement-detail", key=parent.key) in content
    assert url("requirement-detail", key=child.key) in content
    assert reverse("projects:goal-detail", args=["ACME", goal.pk]) in content
    assert reverse("projects:kpi-detail", args=["ACME", kpi.pk]) in content
    assert 'data-state="no_data"' in content  # the KPI's state
    assert reverse("projects:finding-detail", args=["ACME", finding.pk]) in content
    assert "severity 4/5" in content
    assert url("requirement-history", key=requirement.key) in content
    assert (
        'class="breadcrumb-item active text-truncate" aria-current="page"><span class="wb-key">REQ-002</span>'
        in content
    )
    # A viewer reads everything and changes nothing.
    for target in ("requirement-edit", "requirement-delete", "requirement-comment", "requirement-transition"):
        assert url(target, key=requirement.key) not in content


def test_another_projects_key_is_404(project, editor):
    foreign = new(ProjectFactory(code="ELSE"), "Theirs")
    new(project)  # REQ-001 here too: the key alone must not find theirs
    client = client_for(editor)

    assert client.get(url("requirement-detail", key="REQ-009")).status_code == 404
    assert client.get(reverse("requirements:requirement-detail", args=["ELSE", foreign.key])).status_code == 404
    assert "Theirs" not in client.get(url("requirement-detail", key="REQ-001")).content.decode()


def buttons(response) -> set[str]:
    return {status for status, _label in response.context["moves"]}


@pytest.mark.parametrize(
    ("status_path", "role", "expected"),
    [
        ([], "editor", {"in_review"}),
        ([], "owner", {"in_review", "rejected", "deferred"}),
        ([], "tester", set()),
        ([], "viewer", set()),
        (["in_review"], "editor", {"draft"}),
        (["in_review"], "owner", {"approved", "draft", "rejected", "deferred"}),
        (["in_review", "approved", "implemented"], "tester", {"verified"}),
        (["in_review", "approved", "implemented"], "editor", {"approved", "verified"}),
        (["in_review", "approved", "implemented"], "viewer", set()),
    ],
)
def test_the_detail_shows_exactly_the_moves_the_member_may_make(project, team, status_path, role, expected):
    requirement = new(project)
    move(requirement, member(project, team["owner"]), *status_path)

    response = client_for(team[role]).get(url("requirement-detail", key=requirement.key))

    assert buttons(response) == expected
    content = response.content.decode()
    assert content.count("data-move=") == len(expected)
    if not expected:
        assert 'data-testid="workflow-form"' not in content


def test_the_buttons_read_as_the_workflow_says(project, editor, owner):
    requirement = new(project)

    editor_page = client_for(editor).get(url("requirement-detail", key=requirement.key)).content.decode()
    owner_page = client_for(owner).get(url("requirement-detail", key=requirement.key)).content.decode()

    assert 'data-move="in_review">Send to review</button>' in editor_page
    assert "Reject</button>" in owner_page and "Defer</button>" in owner_page
    move(requirement, member(project, owner), "in_review")
    owner_page = client_for(owner).get(url("requirement-detail", key=requirement.key)).content.decode()
    assert "Approve</button>" in owner_page


def test_a_move_is_logged_with_its_comment_and_shown(project, editor):
    requirement = new(project)
    client = client_for(editor)

    response = client.post(
        url("requirement-transition", key=requirement.key), {"to_status": "in_review", "comment": "Ready"}
    )

    assert response["Location"] == url("requirement-detail", key=requirement.key)
    assert "REQ-001 is now “In review”." in messages_of(response)
    requirement.refresh_from_db()
    assert (requirement.status, requirement.version) == ("in_review", 2)
    content = client.get(url("requirement-detail", key=requirement.key)).content.decode()
    assert 'data-testid="transition"' in content and "Ready" in content


@pytest.mark.parametrize("to_status", ["approved", "verified", "nonsense", ""])
def test_a_tampered_move_is_refused_with_a_message_and_changes_nothing(project, editor, to_status):
    requirement = new(project)

    response = client_for(editor).post(url("requirement-transition", key=requirement.key), {"to_status": to_status})

    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.status, requirement.version) == ("draft", 1)
    assert not Transition.objects.exists()
    assert any("REQ-001" in text for text in messages_of(response))


def test_a_tester_marks_an_implemented_requirement_verified(project, owner, tester):
    requirement = new(project)
    move(requirement, member(project, owner), "in_review", "approved", "implemented")

    client_for(tester).post(url("requirement-transition", key=requirement.key), {"to_status": "verified"})

    requirement.refresh_from_db()
    assert requirement.status == "verified"


# --- Suspect links ---------------------------------------------------------------------------


@pytest.fixture
def suspect_child(project, owner):
    parent = new(project, "Stock")
    child = new(project, "Batches", parent=parent)
    services.requirement_update(
        requirement=parent, expected_version=1, user=owner, statement="Stock is updated at once."
    )
    return child


def test_a_suspect_requirement_shows_what_changed_upstream(project, viewer, suspect_child):
    content = client_for(viewer).get(url("requirement-detail", key=suspect_child.key)).content.decode()

    assert 'data-testid="suspect-banner"' in content
    assert 'class="wb-key">REQ-001</a>\n            changed: statement' in content
    assert "version 2" in content
    assert 'data-testid="suspect-clear-form"' not in content  # a viewer cannot clear it


def test_an_editor_clears_the_suspect_flags_with_a_note(project, editor, suspect_child):
    client = client_for(editor)
    assert (
        'data-testid="suspect-clear-form"'
        in client.get(url("requirement-detail", key=suspect_child.key)).content.decode()
    )

    response = client.post(url("requirement-suspect-clear", key=suspect_child.key), {"note": "Still holds"})

    assert "REQ-002 reviewed: 1 suspect link cleared." in messages_of(response)
    flag = SuspectFlag.objects.get()
    assert (flag.cleared_by, flag.cleared_comment) == (editor, "Still holds")
    assert "suspect-banner" not in client.get(url("requirement-detail", key=suspect_child.key)).content.decode()
    again = client.post(url("requirement-suspect-clear", key=suspect_child.key), {"note": ""})
    assert "REQ-002 had nothing left to review." in messages_of(again)


def test_a_too_long_review_note_is_refused(project, editor, suspect_child):
    response = client_for(editor).post(url("requirement-suspect-clear", key=suspect_child.key), {"note": "x" * 301})

    assert response.status_code == 302
    assert SuspectFlag.objects.get().cleared_at is None


# --- Comments --------------------------------------------------------------------------------


def test_an_editor_adds_a_review_comment(project, editor, viewer):
    requirement = new(project)

    response = client_for(editor).post(url("requirement-comment", key=requirement.key), {"body": "Needs a **limit**"})

    comment = Comment.objects.get()
    assert response["Location"] == url("requirement-detail", key=requirement.key) + f"#comment-{comment.pk}"
    assert (comment.author, comment.body) == (editor, "Needs a **limit**")
    content = client_for(viewer).get(url("requirement-detail", key=requirement.key)).content.decode()
    assert "Needs a <strong>limit</strong>" in content
    assert 'data-testid="comment-form"' not in content


def test_an_empty_comment_is_refused(project, editor):
    requirement = new(project)

    response = client_for(editor).post(url("requirement-comment", key=requirement.key), {"body": "   "})

    assert not Comment.objects.exists()
    assert "The comment was empty, so nothing was added." in messages_of(response)


# --- History ---------------------------------------------------------------------------------


@pytest.fixture
def three_versions(project, editor):
    requirement = new(project, statement="Stock is updated within a second.")
    services.requirement_update(
        requirement=requirement,
        expected_version=1,
        user=editor,
        statement="Stock is updated within two seconds.",
        priority="must",
    )
    services.requirement_update(requirement=requirement, expected_version=2, user=editor, source="Workshop 2")
    return requirement


def test_the_history_lists_every_version_and_compares_the_last_two_by_default(project, viewer, three_versions):
    response = client_for(viewer).get(url("requirement-history", key=three_versions.key))

    assert [row.record.version for row in response.context["versions"]] == [3, 2, 1]
    assert (response.context["a"].version, response.context["b"].version) == (2, 3)
    changed = [row.name for row in response.context["rows"] if row.changed]
    assert changed == ["source"]
    content = response.content.decode()
    assert 'name="a"' in content and 'name="b"' in content
    assert "requirement created" in content


def test_comparing_two_versions_shows_the_statement_word_by_word(project, viewer, three_versions):
    records = {r.version: r.history_id for r in Requirement.history.filter(id=three_versions.pk)}

    response = client_for(viewer).get(
        url("requirement-history", key=three_versions.key), {"a": records[1], "b": records[3]}
    )

    rows = {row.name: row for row in response.context["rows"]}
    assert {name for name, row in rows.items() if row.changed} == {"statement", "priority", "source"}
    assert str(rows["statement"].diff) == (
        "<span>Stock is updated within </span><del>a</del><ins>two</ins><span> </span>"
        "<del>second.</del><ins>seconds.</ins>"
    )
    assert (rows["priority"].old_display, rows["priority"].new_display) == ("Should", "Must")
    content = response.content.decode()
    assert "<del>a</del><ins>two</ins>" in content
    assert content.count('data-changed="yes"') == 3


@pytest.mark.parametrize("query", [{"a": "999999"}, {"b": "abc"}, {"a": "other"}])
def test_a_history_record_of_another_requirement_is_404(project, viewer, three_versions, query):
    other = new(project, "Other")
    other_record = Requirement.history.filter(id=other.pk).first().history_id
    query = {name: (other_record if value == "other" else value) for name, value in query.items()}

    assert client_for(viewer).get(url("requirement-history", key=three_versions.key), query).status_code == 404


# --- Delete ----------------------------------------------------------------------------------


def test_a_draft_is_deleted_after_confirming(project, editor):
    requirement = new(project)
    client = client_for(editor)

    page = client.get(url("requirement-detail", key=requirement.key)).content.decode()
    confirm = client.get(url("requirement-delete", key=requirement.key))
    response = client.post(url("requirement-delete", key=requirement.key))

    assert 'data-testid="delete-link"' in page
    assert 'data-testid="confirm-delete"' in confirm.content.decode()
    assert response["Location"] == url("requirement-list")
    assert "REQ-001 deleted. The history keeps it." in messages_of(response)
    assert not Requirement.objects.exists()


def test_only_drafts_can_be_deleted(project, owner, editor):
    requirement = new(project)
    move(requirement, member(project, owner), "in_review")
    client = client_for(editor)

    page = client.get(url("requirement-detail", key=requirement.key)).content.decode()
    response = client.post(url("requirement-delete", key=requirement.key))

    assert 'data-testid="delete-link"' not in page
    assert response["Location"] == url("requirement-detail", key=requirement.key)
    assert "Only drafts can be deleted." in messages_of(response)[0]
    assert Requirement.objects.filter(pk=requirement.pk).exists()


def test_a_draft_with_children_is_not_deleted(project, editor):
    parent = new(project)
    new(project, "Child", parent=parent)

    response = client_for(editor).post(url("requirement-delete", key=parent.key))

    assert "This requirement has children" in messages_of(response)[0]
    assert Requirement.objects.count() == 2


# --- Permissions -----------------------------------------------------------------------------


def write_requests(key: str) -> list[tuple[str, str]]:
    return [
        ("get", url("requirement-create")),
        ("post", url("requirement-create")),
        ("get", url("requirement-edit", key=key)),
        ("post", url("requirement-edit", key=key)),
        ("get", url("requirement-delete", key=key)),
        ("post", url("requirement-delete", key=key)),
        ("post", url("requirement-comment", key=key)),
        ("post", url("requirement-suspect-clear", key=key)),
        ("post", url("requirement-bulk")),
    ]


@pytest.mark.parametrize("role", ["viewer"])
def test_viewers_get_403_on_every_write(project, team, role):
    requirement = new(project)
    client = client_for(team[role])

    for method, target in [*write_requests(requirement.key), ("post", url("requirement-transition", key="REQ-001"))]:
        response = getattr(client, method)(target, {**form_data(), "to_status": "in_review", "body": "x"})
        assert response.status_code == 403, (method, target)
    assert client.get(url("requirement-detail", key=requirement.key)).status_code == 200
    assert client.get(url("requirement-history", key=requirement.key)).status_code == 200
    stored = Requirement.objects.get()
    assert (stored.title, stored.status, stored.version) == ("Real-time stock", "draft", 1)
    assert not Comment.objects.exists()


def test_a_vendor_member_gets_403_on_every_requirement_page_read_or_write(project, team):
    """Vendors answer the requirements in the vendor portal; the team's requirement pages are closed to them."""
    requirement = new(project)
    client = client_for(team["vendor"])

    for method, target in [*write_requests(requirement.key), ("post", url("requirement-transition", key="REQ-001"))]:
        assert getattr(client, method)(target, form_data()).status_code == 403, (method, target)
    for name in ("requirement-detail", "requirement-history"):
        assert client.get(url(name, key=requirement.key)).status_code == 403
    assert client.get(url("requirement-list")).status_code == 403
    assert Requirement.objects.get().version == 1


def test_a_tester_may_move_but_not_edit(project, tester):
    requirement = new(project)
    client = client_for(tester)

    for method, target in write_requests(requirement.key):
        assert getattr(client, method)(target, form_data()).status_code == 403, (method, target)
    assert (
        client.post(url("requirement-transition", key=requirement.key), {"to_status": "in_review"}).status_code == 302
    )
    assert Requirement.objects.get().status == "draft"  # the workflow refused the move itself


def test_an_outsider_gets_404_everywhere(project, outsider):
    requirement = new(project)
    client = client_for(outsider)
    reads = [url("requirement-detail", key=requirement.key), url("requirement-history", key=requirement.key)]

    for _method, target in [*write_requests(requirement.key), *[("get", r) for r in reads]]:
        assert client.get(target).status_code == 404, target
        assert client.post(target, form_data()).status_code == 404, target


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client, target: str) -> int:
    client.get(target)  # warm up caches (content types, session)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def add_links(project, owner, requirement: Requirement, n: int) -> None:
    membership = member(project, owner)
    process = process_services.process_create(project=project, name=f"Process {n}")
    step = process_services.step_insert(process=process, lane="Warehouse", action="Count")
    for i in range(n):
        goal = goal_services.goal_create(project=project, statement=f"Goal {n}-{i}", owner=membership)
        kpi = goal_services.kpi_create(goal=goal, name=f"KPI {n}-{i}", baseline=1, target=2)
        finding = process_services.finding_create(step=step, kind="risk", severity=3, description=f"F {n}-{i}")
        requirement.goals.add(goal)
        requirement.kpis.add(kpi)
        requirement.findings.add(finding)
        new(project, f"Child {n}-{i}", parent=requirement, owner=membership)
        services.comment_add(requirement=requirement, author=owner, body=f"Comment {n}-{i}")
        requirement.refresh_from_db()
        services.requirement_update(
            requirement=requirement, expected_version=requirement.version, user=owner, statement=f"Version {n}-{i}"
        )
        move(requirement, membership, "in_review", "draft")


def test_the_detail_costs_the_same_queries_with_more_links_children_comments_and_versions(project, owner):
    client = client_for(owner)
    parent = new(project, "Upstream")
    requirement = new(project, "Subject", parent=parent, owner=member(project, owner))
    add_links(project, owner, requirement, 1)
    services.requirement_update(requirement=parent, expected_version=1, user=owner, statement="Changed")
    target = url("requirement-detail", key=requirement.key)
    small = queries_for(client, target)

    add_links(project, owner, requirement, 6)

    assert queries_for(client, target) == small


def test_the_history_page_costs_the_same_queries_for_3_and_20_versions(project, owner):
    client = client_for(owner)
    requirement = new(project, owner=member(project, owner))
    for i in range(2):
        services.requirement_update(requirement=requirement, expected_version=i + 1, user=owner, source=f"S{i}")
    target = url("requirement-history", key=requirement.key)
    small = queries_for(client, target)
    for i in range(2, 19):
        services.requirement_update(requirement=requirement, expected_version=i + 1, user=owner, source=f"S{i}")

    assert queries_for(client, target) == small
