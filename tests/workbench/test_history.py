"""Readable history: who changed what, with labels people understand, at a constant query cost."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Membership, Project
from projects.selectors import project_history_querysets
from tests.conftest import client_for
from tests.factories import UserFactory
from workbench.history import format_change, history_entries, word_diff


def save_as(instance, user, reason: str | None = None):
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def entries_for(project: Project):
    return history_entries(project_history_querysets(project=project))


def project_entries(project: Project):
    return [e for e in entries_for(project) if e.model_label == "project"]


def change(entry, label: str):
    return next(c for c in entry.changes if c.label == label)


def test_a_new_project_is_one_created_entry_listing_what_was_filled_in(db):
    ada = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME upgrade", phase="selection"), ada, "project created")

    (entry,) = project_entries(project)

    assert entry.action == "+"
    assert entry.action_label == "created"
    assert entry.user == ada
    assert entry.reason == "project created"
    assert entry.object_label == "ACME · ACME upgrade"
    labels = {c.label: c.new for c in entry.changes}
    assert labels["code"] == "ACME"
    assert labels["name"] == "ACME upgrade"
    assert labels["phase"] == "Selection"
    assert "description" not in labels  # empty fields are not listed
    assert "version" not in labels
    assert all(c.old in ("", "—") for c in entry.changes)  # nothing was there before
    assert "ACME upgrade" in format_change(change(entry, "name"))


def test_a_rename_shows_who_changed_the_name_from_old_to_new(db):
    ada, grace = UserFactory(username="ada"), UserFactory(username="grace")
    project = save_as(Project(code="ACME", name="Old name"), ada)
    project.name = "New name"
    save_as(project, grace)

    newest = project_entries(project)[0]

    assert newest.action == "~"
    assert newest.action_label == "changed"
    assert newest.user == grace
    assert [c.label for c in newest.changes] == ["name"]
    name = change(newest, "name")
    assert (name.old, name.new) == ("Old name", "New name")
    assert name.diff is None
    assert format_change(name) == "<del>Old name</del> → <ins>New name</ins>"


def test_choices_are_shown_by_their_label_not_their_stored_value(db):
    user = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME"), user)
    project.phase = Project.Phase.GO_LIVE
    save_as(project, user)

    phase = change(project_entries(project)[0], "phase")

    assert (phase.old, phase.new) == ("Preparation", "Go-live")


def test_dates_and_empty_values_are_readable(db):
    from datetime import date

    user = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME"), user)
    project.target_go_live = date(2027, 3, 1)
    save_as(project, user)

    go_live = change(project_entries(project)[0], "target go-live")

    assert go_live.old == "—"
    assert "2027" in go_live.new
    assert go_live.new != "2027-03-01 00:00:00"


def test_a_description_change_is_a_word_diff_with_html_escaped(db):
    user = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME", description="Replace the <b>old</b> system"), user)
    project.description = "Replace the <b>legacy</b> system <script>x()</script>"
    save_as(project, user)

    description = change(project_entries(project)[0], "description")
    html = format_change(description)

    assert description.diff is not None
    assert "<del>&lt;b&gt;old&lt;/b&gt;</del>" in html
    assert "<ins>&lt;b&gt;legacy&lt;/b&gt;</ins>" in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert "<b>" not in html
    assert html.startswith('<span class="wb-diff">')


def test_word_diff_keeps_unchanged_words_and_marks_the_rest():
    html = word_diff("the quick brown fox", "the slow brown fox jumps")

    assert "<del>quick</del>" in html
    assert "<ins>slow</ins>" in html
    assert "<ins> jumps</ins>" in html
    assert "<span>the </span>" in html


def test_a_save_that_changed_nothing_visible_is_left_out(db):
    user = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME"), user)
    save_as(project, user)  # no field changed
    project.version += 1
    save_as(project, user)  # only the lock counter changed

    assert [e.action for e in project_entries(project)] == ["+"]


def test_membership_changes_are_listed_with_the_user_and_role_labels(db):
    owner = UserFactory(username="boss")
    project = save_as(Project(code="ACME", name="ACME"), owner)
    member = save_as(
        Membership(project=project, user=UserFactory(username="mei"), role="tester", department="it"),
        owner,
        "member added",
    )
    member.role = Membership.Role.EDITOR
    save_as(member, owner)
    member._history_user = owner
    member.delete()

    entries = [e for e in entries_for(project) if e.model_label == "member"]

    assert [e.action for e in entries] == ["-", "~", "+"]
    removed, changed, added = entries
    assert added.reason == "member added"
    assert added.object_label == "mei · Tester"
    assert change(added, "user").new == "mei"
    assert change(added, "department").new == "IT"
    assert (change(changed, "role").old, change(changed, "role").new) == ("Tester", "Editor")
    assert removed.action_label == "deleted"
    assert removed.changes == []


def test_entries_are_newest_first_across_project_and_team(db):
    user = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME"), user)
    save_as(Membership(project=project, user=user, role="owner"), user)
    project.name = "Renamed"
    save_as(project, user)

    entries = entries_for(project)

    assert [(e.model_label, e.action) for e in entries] == [
        ("project", "~"),
        ("member", "+"),
        ("project", "+"),
    ]
    assert all(a.when >= b.when for a, b in zip(entries, entries[1:], strict=False))


def test_history_costs_one_query_per_model_however_long(db):
    user = UserFactory(username="ada")
    project = save_as(Project(code="ACME", name="ACME"), user)
    for n in range(6):
        save_as(Membership(project=project, user=UserFactory(username=f"m{n}")), user)
        project.name = f"Name {n}"
        save_as(project, user)

    with CaptureQueriesContext(connection) as queries:
        entries = entries_for(project)
        for entry in entries:
            str(entry.user)
            [(c.old, c.new) for c in entry.changes]

    # project history, membership history, projects pointed at, users pointed at
    assert len(queries) == 4
    assert len(entries) == 13


def _history_page_queries(project, owner, members: int, prefix: str) -> int:
    client = client_for(owner)
    for n in range(members):
        user = UserFactory(username=f"{prefix}{n}")
        membership = Membership(project=project, user=user, role="viewer")
        save_as(membership, owner, "member added")
    url = reverse("projects:project-history", kwargs={"project_code": project.code})
    client.get(url)  # warm up session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) >= members
    return len(queries)


def test_the_history_page_query_count_does_not_grow_with_the_team(project, owner):
    with_two = _history_page_queries(project, owner, 2, "first")
    with_eight = _history_page_queries(project, owner, 6, "more")  # 2 + 6 = 8 members added

    assert with_two == with_eight
