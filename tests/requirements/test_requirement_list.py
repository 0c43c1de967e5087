"""The requirement list: filters in the URL, sorting, paging, counts, CSV export, bulk changes and query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from projects.models import Membership
from projects.services import goals as goal_services
from requirements import services
from requirements.models import Requirement
from tests.conftest import client_for
from tests.factories import ProjectFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": "ACME", **kwargs})


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def new(project, title="Real-time stock", **fields) -> Requirement:
    return services.requirement_create(
        project=project, title=title, statement=fields.pop("statement", f"{title}: the system does it."), **fields
    )


def move(requirement, membership, *statuses) -> None:
    for status in statuses:
        services.requirement_transition(requirement=requirement, to_status=status, membership=membership)


def keys(response) -> list[str]:
    return [r.key for r in response.context["page_obj"].object_list]


# --- Empty states ----------------------------------------------------------------------------


def test_the_empty_list_offers_the_catalogue_and_the_first_requirement(project, editor):
    response = client_for(editor).get(url("requirement-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="requirements-empty"' in content
    assert url("requirement-catalogue") in content
    assert url("requirement-create") in content
    assert 'data-testid="requirement-table"' not in content


def test_a_viewer_sees_the_empty_list_without_the_create_button(project, viewer):
    content = client_for(viewer).get(url("requirement-list")).content.decode()

    assert 'data-testid="requirements-empty"' in content
    assert url("requirement-create") not in content
    assert url("requirement-catalogue") in content


def test_filters_that_match_nothing_say_so_and_offer_to_clear(project, viewer):
    new(project)

    content = client_for(viewer).get(url("requirement-list"), {"q": "nothing like this"}).content.decode()

    assert 'data-testid="requirements-none-match"' in content
    assert "0 of 1 requirements" in content


# --- Rows ------------------------------------------------------------------------------------


def test_a_row_shows_key_link_badges_owner_links_and_suspect(project, owner, editor):
    goal = goal_services.goal_create(project=project, statement="Stock is right")
    kpi = goal_services.kpi_create(goal=goal, name="Accuracy", baseline=90, target=99)
    parent = new(project, "Parent", owner=member(project, editor), priority="must", goals=[goal], kpis=[kpi])
    child = new(project, "Child", parent=parent)
    services.requirement_update(
        requirement=parent, expected_version=parent.version, user=owner, statement="Changed meaning."
    )

    response = client_for(owner).get(url("requirement-list"))

    content = response.content.decode()
    detail = url("requirement-detail", key=parent.key)
    assert f'<a href="{detail}" class="wb-key">REQ-001</a>' in content
    assert 'data-priority="must"' in content and 'data-status="draft"' in content
    assert editor.get_full_name() in content
    rows = {r.key: r for r in response.context["page_obj"].object_list}
    assert (rows["REQ-001"].goal_count, rows["REQ-001"].kpi_count, rows["REQ-001"].finding_count) == (1, 1, 0)
    assert (rows["REQ-001"].is_suspect, rows[child.key].is_suspect) == (False, True)
    assert content.count('data-testid="suspect-icon"') == 1


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def spread(project, owner, editor):
    """Five requirements that differ in every filtered field."""
    goal = goal_services.goal_create(project=project, statement="Close faster")
    other_goal = goal_services.goal_create(project=project, statement="Fewer stock-outs")
    owner_m, editor_m = member(project, owner), member(project, editor)
    items = {
        "a": new(project, "Batch tracking", layer="core", priority="must", category="inventory", owner=editor_m),
        "b": new(project, "Shop sync", layer="integration", priority="should", category="ecommerce", goals=[goal]),
        "c": new(project, "Response time", layer="nonfunctional", priority="could", category="performance"),
        "d": new(
            project,
            "Mobile picking",
            layer="extended",
            priority="wont",
            category="mobile",
            owner=owner_m,
            statement="Pick orders with a handheld scanner.",
            goals=[other_goal],
        ),
        "e": new(project, "Child of batch", layer="core", priority="must", category="inventory", owner=editor_m),
    }
    items["e"].parent = items["a"]
    items["e"].save()
    move(items["b"], owner_m, "in_review", "approved")
    move(items["c"], owner_m, "rejected")
    services.requirement_update(
        requirement=items["a"], expected_version=items["a"].version, user=owner, title="Batch and lot tracking"
    )
    return {"goal": goal, "editor": editor_m, "owner": owner_m, **items}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"layer": "core"}, ["a", "e"]),
        ({"priority": "should"}, ["b"]),
        ({"status": "approved"}, ["b"]),
        ({"status": "rejected"}, ["c"]),
        ({"category": "mobile"}, ["d"]),
        ({"owner": "editor"}, ["a", "e"]),
        ({"goal": "goal"}, ["b"]),
        ({"suspect": "on"}, ["e"]),
        ({"q": "scanner"}, ["d"]),  # the statement
        ({"q": "sync"}, ["b"]),  # the title
        ({"q": "REQ-003"}, ["c"]),  # the key
        ({"q": "batch TRACKING"}, ["a"]),  # every word, any case
    ],
)
def test_each_filter_narrows_the_list(project, viewer, spread, query, expected):
    resolved = {name: (spread[value].pk if name in ("owner", "goal") else value) for name, value in query.items()}

    response = client_for(viewer).get(url("requirement-list"), resolved)

    assert keys(response) == sorted(spread[k].key for k in expected)
    assert response.context["filtered"] is True


def test_filters_combine_and_stay_in_the_paging_sorting_and_export_links(project, viewer, spread):
    for i in range(55):
        new(project, f"Core item {i}", layer="core", priority="must")
    query = {"layer": "core", "priority": "must", "q": "item"}

    response = client_for(viewer).get(url("requirement-list"), query)

    assert len(keys(response)) == 50
    assert response.context["match_count"] == 55
    content = response.content.decode()
    assert "?layer=core&amp;priority=must&amp;q=item&amp;page=2" in content
    assert "?layer=core&amp;priority=must&amp;q=item&amp;sort=-key&amp;page=1" in content
    assert "?layer=core&amp;priority=must&amp;q=item&amp;format=csv&amp;page=1" in content
    assert "55 of 60 requirements" in content


def test_an_unknown_filter_value_is_shown_as_an_error_and_ignored(project, viewer, spread):
    response = client_for(viewer).get(url("requirement-list"), {"layer": "bogus", "owner": "999999"})

    assert len(keys(response)) == 5
    form = response.context["filter"].form
    assert "layer" in form.errors and "owner" in form.errors


def test_another_projects_goal_or_member_is_not_a_filter_choice(project, viewer, spread):
    other = ProjectFactory(code="ELSE")
    foreign_goal = goal_services.goal_create(project=other, statement="Not ours")

    response = client_for(viewer).get(url("requirement-list"), {"goal": foreign_goal.pk})

    assert "goal" in response.context["filter"].form.errors
    assert "Not ours" not in response.content.decode()


# --- Sorting and paging ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("key", ["a", "b", "c", "d", "e"]),
        ("-key", ["e", "d", "c", "b", "a"]),
        ("title", ["a", "e", "d", "c", "b"]),
        ("-title", ["b", "c", "d", "e", "a"]),
        ("layer", ["a", "e", "d", "b", "c"]),  # core, extended, integration, non-functional
        ("priority", ["a", "e", "b", "c", "d"]),  # Must, Should, Could, Won't: MoSCoW, not A–Z
        ("-priority", ["d", "c", "b", "a", "e"]),  # the key still breaks ties upwards
        ("status", ["a", "d", "e", "b", "c"]),  # draft, approved, rejected
        ("owner", ["b", "c", "d", "a", "e"]),  # no owner first, then by name
    ],
)
def test_the_list_sorts_by_each_column(project, viewer, spread, sort, expected):
    spread["owner"].user.last_name, spread["editor"].user.last_name = "Aaron", "Zhang"
    spread["owner"].user.save()
    spread["editor"].user.save()

    response = client_for(viewer).get(url("requirement-list"), {"sort": sort})

    assert keys(response) == [spread[k].key for k in expected]


def test_sorting_by_updated_puts_the_latest_change_first_when_descending(project, viewer, spread):
    Requirement.objects.filter(pk=spread["c"].pk).update(updated_at=timezone.now() + timedelta(hours=1))

    response = client_for(viewer).get(url("requirement-list"), {"sort": "-updated"})

    assert keys(response)[0] == spread["c"].key


def test_a_column_header_links_to_the_other_direction(project, viewer, spread):
    content = client_for(viewer).get(url("requirement-list"), {"sort": "priority"}).content.decode()

    assert 'aria-sort="ascending"' in content
    assert "?sort=-priority&amp;page=1" in content
    assert "?sort=title&amp;page=1" in content


def test_the_list_shows_50_per_page(project, viewer):
    for i in range(53):
        new(project, f"Item {i}")
    client = client_for(viewer)

    first = client.get(url("requirement-list"))
    second = client.get(url("requirement-list"), {"page": 2})

    assert len(keys(first)) == 50 and keys(first)[0] == "REQ-001"
    assert keys(second) == ["REQ-051", "REQ-052", "REQ-053"]
    assert "Showing 51–53 of 53" in second.content.decode()


# --- Counts ----------------------------------------------------------------------------------


def counts(response, name: str) -> dict[str, int]:
    return {value: count for value, _label, count in response.context[name] if count}


def test_counts_by_layer_and_status_follow_the_filters(project, viewer, spread):
    client = client_for(viewer)

    everything = client.get(url("requirement-list"))
    must = client.get(url("requirement-list"), {"priority": "must"})

    assert counts(everything, "layer_counts") == {"core": 2, "extended": 1, "integration": 1, "nonfunctional": 1}
    assert counts(everything, "status_counts") == {"draft": 3, "approved": 1, "rejected": 1}
    assert counts(must, "layer_counts") == {"core": 2}
    assert counts(must, "status_counts") == {"draft": 2}
    content = must.content.decode()
    assert 'data-layer="core" data-count="2"' in content
    assert 'data-layer="integration" data-count="0"' in content
    assert "?priority=must&amp;layer=core&amp;page=1" in content  # a count filters the list further


# --- CSV export ------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_export_has_a_bom_a_header_and_the_filtered_rows(project, viewer, spread):
    response = client_for(viewer).get(url("requirement-list"), {"format": "csv", "layer": "core", "sort": "-key"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ACME-requirements.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:6] == ["Key", "Title", "Layer", "Category", "Priority", "Status"]
    assert [row[0] for row in rows[1:]] == ["REQ-005", "REQ-001"]
    first = dict(zip(rows[0], rows[2], strict=True))
    assert first["Title"] == "Batch and lot tracking"
    assert (first["Layer"], first["Priority"], first["Status"]) == ("Core functional", "Must", "Draft")
    assert first["Owner"] == spread["editor"].user.get_full_name()
    assert first["Version"] == "2"
    child = dict(zip(rows[0], rows[1], strict=True))
    assert child["Parent"] == "REQ-001"


def test_the_csv_export_contains_every_match_not_one_page(project, viewer):
    for i in range(60):
        new(project, f"Item {i}")

    rows = read_csv(client_for(viewer).get(url("requirement-list"), {"format": "csv", "page": 2}))

    assert len(rows) == 61


def test_the_csv_export_writes_chinese_text_and_neutralises_formulas(project, viewer):
    new(project, "实时库存", statement='=HYPERLINK("http://evil")')

    rows = read_csv(client_for(viewer).get(url("requirement-list"), {"format": "csv"}))

    assert rows[1][1] == "实时库存"
    assert rows[1][-2] == '\'=HYPERLINK("http://evil")'


def test_the_csv_export_speaks_the_users_language(project, viewer):
    new(project, "Stock", layer="integration")
    client = client_for(viewer)

    rows = read_csv(client.get(url("requirement-list"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="zh-hans"))

    with translation.override("zh-hans"):
        assert rows[0][0] == gettext("Key") != "Key"
        assert rows[1][2] == str(Requirement.Layer.INTEGRATION.label)


# --- Bulk changes ----------------------------------------------------------------------------


def bulk(client, requirements, next_url="", **changes):
    data = {"ids": [r.pk for r in requirements], "next": next_url, "status": "", "priority": "", "owner": ""}
    data.update(changes)
    return client.post(url("requirement-bulk"), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def test_the_bulk_bar_is_for_editors_only(project, editor, viewer):
    new(project)

    assert 'data-testid="bulk-form"' in client_for(editor).get(url("requirement-list")).content.decode()
    content = client_for(viewer).get(url("requirement-list")).content.decode()
    assert 'data-testid="bulk-form"' not in content
    assert 'name="ids"' not in content


def test_bulk_status_goes_through_the_workflow_and_reports_each_refused_row(project, owner, editor):
    draft, other_draft, approved = new(project, "A"), new(project, "B"), new(project, "C")
    move(approved, member(project, owner), "in_review", "approved")
    back = url("requirement-list") + "?layer=core&sort=-key"

    response = bulk(client_for(editor), [draft, other_draft, approved], back, status="in_review")

    assert response.status_code == 302 and response["Location"] == back
    statuses = dict(Requirement.objects.values_list("key", "status"))
    assert statuses == {"REQ-001": "in_review", "REQ-002": "in_review", "REQ-003": "approved"}
    texts = messages_of(response)
    assert "2 requirements changed." in texts
    assert any(t.startswith("Not changed: REQ-003 cannot go from “Approved” to “In review”") for t in texts)


def test_bulk_status_that_an_editor_may_not_give_changes_nothing(project, editor):
    items = [new(project, "A"), new(project, "B")]

    response = bulk(client_for(editor), items, status="approved")

    assert set(Requirement.objects.values_list("status", flat=True)) == {"draft"}
    texts = messages_of(response)
    assert not any("changed." in t and "Not" not in t for t in texts)
    assert len([t for t in texts if t.startswith("Not changed:")]) == 2


def test_bulk_priority_changes_every_ticked_row_and_no_other(project, editor):
    a, b, untouched = new(project, "A"), new(project, "B"), new(project, "C")

    response = bulk(client_for(editor), [a, b], priority="must")

    assert dict(Requirement.objects.values_list("key", "priority")) == {
        "REQ-001": "must",
        "REQ-002": "must",
        "REQ-003": "should",
    }
    assert Requirement.objects.get(pk=a.pk).version == 2
    assert Requirement.objects.get(pk=untouched.pk).version == 1
    assert "2 requirements changed." in messages_of(response)


def test_bulk_owner_sets_a_member_of_this_project(project, editor, tester):
    a, b = new(project, "A"), new(project, "B")

    bulk(client_for(editor), [a, b], owner=member(project, tester).pk)

    assert set(Requirement.objects.values_list("owner__user__username", flat=True)) == {"tester"}


def test_bulk_refuses_an_owner_or_a_requirement_of_another_project(project, editor):
    mine = new(project)
    other = ProjectFactory(code="ELSE")
    foreign = new(other, "Theirs")
    stranger = Membership.objects.create(project=other, user=editor.__class__.objects.create(username="x"))
    client = client_for(editor)

    bulk(client, [mine], owner=stranger.pk)
    bulk(client, [mine, foreign], priority="must")

    assert Requirement.objects.get(pk=mine.pk).owner is None
    assert set(Requirement.objects.values_list("priority", flat=True)) == {"should"}


def test_bulk_without_rows_or_without_a_change_says_what_is_missing(project, editor):
    item = new(project)
    client = client_for(editor)

    nothing_ticked = bulk(client, [], priority="must")
    nothing_chosen = bulk(client, [item])

    assert "Tick the requirements to change first." in messages_of(nothing_ticked)
    assert "Choose a new status, priority or owner for the ticked requirements." in messages_of(nothing_chosen)
    assert Requirement.objects.get(pk=item.pk).version == 1


def test_bulk_returns_only_to_the_list(project, editor):
    item = new(project)

    response = bulk(client_for(editor), [item], "https://evil.example/", priority="must")

    assert response["Location"] == url("requirement-list")


def test_bulk_is_post_only_and_for_editors(project, team):
    item = new(project)

    assert client_for(team["editor"]).get(url("requirement-bulk")).status_code == 405
    for role in ("viewer", "tester", "vendor"):
        assert bulk(client_for(team[role]), [item], priority="must").status_code == 403
    assert Requirement.objects.get(pk=item.pk).priority == "should"


def test_an_outsider_gets_404_on_the_list_export_and_bulk(project, outsider):
    item = new(project)
    client = client_for(outsider)

    assert client.get(url("requirement-list")).status_code == 404
    assert client.get(url("requirement-list"), {"format": "csv"}).status_code == 404
    assert bulk(client, [item], priority="must").status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client, target: str, data=None) -> int:
    client.get(target, data)  # warm up caches (content types, session)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target, data).status_code == 200
    return len(captured)


def add_linked(project, owner, n: int) -> None:
    goal = goal_services.goal_create(project=project, statement=f"Goal {n}")
    kpi = goal_services.kpi_create(goal=goal, name=f"KPI {n}", baseline=1, target=2)
    membership = member(project, owner)
    for i in range(n):
        parent = new(project, f"Item {i}", owner=membership, goals=[goal], kpis=[kpi])
        new(project, f"Child {i}", parent=parent, owner=membership)
        services.requirement_update(requirement=parent, expected_version=1, user=owner, statement=f"v2 {i}")


def test_the_list_costs_the_same_queries_for_2_and_60_requirements(project, owner):
    client = client_for(owner)
    add_linked(project, owner, 1)
    small = queries_for(client, url("requirement-list"))
    add_linked(project, owner, 29)
    assert Requirement.objects.count() == 60
    assert queries_for(client, url("requirement-list")) == small == 9


def test_a_filtered_sorted_page_costs_the_same_queries_for_few_and_many(project, owner):
    client = client_for(owner)
    query = {"q": "item", "suspect": "", "sort": "-priority", "layer": "core"}
    add_linked(project, owner, 1)
    small = queries_for(client, url("requirement-list"), query)
    add_linked(project, owner, 29)
    assert queries_for(client, url("requirement-list"), {**query, "page": 1}) == small
