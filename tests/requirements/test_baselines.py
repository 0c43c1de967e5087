"""The baseline pages: list, signing with the owner's password, the frozen detail and the comparison."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.models import Membership
from requirements.models import Baseline, BaselineItem, Requirement
from requirements.selectors.baselines import baseline_compare
from requirements.services import baseline_sign, requirement_create, requirement_transition, requirement_update
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory

TO = {"approved": ["in_review", "approved"], "implemented": ["in_review", "approved", "implemented"]}
TO["verified"] = [*TO["implemented"], "verified"]


def url(name: str, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": "ACME", **kwargs})


def compare_url(a, b="today") -> str:
    return f"{url('baseline-compare')}?a={a}&b={b}"


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def agreed(project, owner, title, status="approved", **fields) -> Requirement:
    """A requirement moved by the owner to `status` (draft and in_review are left where they are)."""
    fields.setdefault("statement", f"{title}: the system does it.")
    requirement = requirement_create(project=project, title=title, **fields)
    for to_status in TO.get(status, ["in_review"] if status == "in_review" else []):
        requirement_transition(requirement=requirement, to_status=to_status, membership=member(project, owner))
    return requirement


def move(requirement, owner, *statuses) -> None:
    for to_status in statuses:
        requirement_transition(
            requirement=requirement, to_status=to_status, membership=member(requirement.project, owner)
        )


def sign(project, owner, name="BL-1", **kwargs) -> Baseline:
    return baseline_sign(project=project, membership=member(project, owner), name=name, password=PASSWORD, **kwargs)


def edit(requirement, user, **fields) -> None:
    requirement.refresh_from_db()
    requirement_update(requirement=requirement, expected_version=requirement.version, user=user, **fields)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# --- The list --------------------------------------------------------------------------------


def test_the_empty_list_explains_baselines_and_offers_signing_to_owners(project, owner):
    response = client_for(owner).get(url("baseline-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="baselines-empty"' in content
    assert "A baseline is a signed, frozen set of the approved requirements" in content
    assert "compare it with another baseline or with today" in content
    assert url("baseline-create") in content


def test_other_roles_see_the_empty_list_without_the_sign_button(project, editor, viewer):
    for user in (editor, viewer):
        content = client_for(user).get(url("baseline-list")).content.decode()

        assert 'data-testid="baselines-empty"' in content
        assert url("baseline-create") not in content
        assert "A project owner signs baselines." in content


def test_the_list_shows_each_baseline_and_a_compare_form(project, owner, viewer):
    owner.first_name, owner.last_name = "Li", "Wei"
    owner.save()
    agreed(project, owner, "Real-time stock")
    first = sign(project, owner, "Tender scope", description="Sent to the three vendors.")
    agreed(project, owner, "Batches")
    second = sign(project, owner, "UAT scope")

    response = client_for(viewer).get(url("baseline-list"))

    content = response.content.decode()
    assert response.context["baselines"] == [second, first]
    assert url("baseline-detail", baseline_id=first.pk) in content
    assert "Li Wei" in content and "Sent to the three vendors." in content
    assert '<td class="text-end" data-testid="requirement-count">2</td>' in content
    assert '<td class="text-end" data-testid="requirement-count">1</td>' in content
    assert 'data-testid="compare-form"' in content and url("baseline-compare") in content
    assert '<option value="today" selected>' in content
    assert url("baseline-create") not in content  # a viewer


def test_an_owner_gets_the_sign_button_above_a_filled_list(project, owner):
    agreed(project, owner, "Real-time stock")
    sign(project, owner)

    content = client_for(owner).get(url("baseline-list")).content.decode()

    assert 'data-testid="sign-baseline"' in content


# --- Signing ---------------------------------------------------------------------------------


def test_the_sign_form_asks_for_the_password_and_counts_what_will_be_frozen(project, owner, editor):
    agreed(project, owner, "A", "approved")
    agreed(project, owner, "B", "approved")
    agreed(project, owner, "C", "implemented")
    agreed(project, owner, "D", "verified")
    agreed(project, owner, "Still a draft", "draft")
    agreed(project, owner, "Under review", "in_review")

    response = client_for(owner).get(url("baseline-create"))

    assert response.status_code == 200
    assert response.context["agreed_total"] == 4
    assert [(s, c) for s, _label, c in response.context["agreed_counts"]] == [
        ("approved", 2),
        ("implemented", 1),
        ("verified", 1),
    ]
    content = response.content.decode()
    assert 'type="password" name="password"' in content
    assert 'data-testid="nothing-agreed"' not in content


def test_signing_with_the_right_password_freezes_and_opens_the_detail(project, owner):
    first = agreed(project, owner, "Real-time stock")
    second = agreed(project, owner, "Batches", "implemented")
    agreed(project, owner, "Not yet", "draft")

    response = client_for(owner).post(
        url("baseline-create"),
        {"name": "  Tender scope ", "description": "For the tender.", "password": PASSWORD},
        follow=True,
    )

    baseline = Baseline.objects.get()
    assert response.redirect_chain[-1][0] == url("baseline-detail", baseline_id=baseline.pk)
    assert messages_of(response) == ["Baseline “Tender scope” signed: 2 requirements are frozen as they stand now."]
    assert (baseline.name, baseline.description, baseline.signed_by, baseline.requirement_count) == (
        "Tender scope",
        "For the tender.",
        owner,
        2,
    )
    assert baseline.signed_at is not None
    assert list(baseline.items.order_by("key").values_list("requirement", "status")) == [
        (first.pk, "approved"),
        (second.pk, "implemented"),
    ]


def test_a_wrong_password_is_an_error_at_the_field_and_nothing_is_signed(project, owner):
    agreed(project, owner, "Real-time stock")

    response = client_for(owner).post(
        url("baseline-create"), {"name": "Tender scope", "description": "", "password": "not-my-password"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "password": ["The password is not correct. The baseline was not signed."]
    }
    content = response.content.decode()
    assert "not-my-password" not in content  # never echoed back
    assert 'value="Tender scope"' in content  # the rest is kept
    assert not Baseline.objects.exists() and not BaselineItem.objects.exists()


@pytest.mark.parametrize("role", ["editor", "tester", "viewer", "vendor"])
def test_only_owners_may_sign(project, team, role):
    agreed(project, team["owner"], "Real-time stock")
    client = client_for(team[role])

    assert client.get(url("baseline-create")).status_code == 403
    assert client.post(url("baseline-create"), {"name": "X", "password": PASSWORD}).status_code == 403
    assert not Baseline.objects.exists()


def test_an_outsider_does_not_even_see_the_sign_page(project, owner, outsider):
    agreed(project, owner, "Real-time stock")
    client = client_for(outsider)

    assert client.get(url("baseline-create")).status_code == 404
    assert client.post(url("baseline-create"), {"name": "X", "password": PASSWORD}).status_code == 404
    assert not Baseline.objects.exists()


def test_with_nothing_agreed_the_page_says_so_and_signing_is_refused(project, owner):
    agreed(project, owner, "Only a draft", "draft")
    client = client_for(owner)

    page = client.get(url("baseline-create")).content.decode()
    response = client.post(url("baseline-create"), {"name": "Too early", "password": PASSWORD})

    assert 'data-testid="nothing-agreed"' in page
    assert "There is no approved requirement to freeze yet." in page
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["There is no approved requirement to freeze yet."]
    assert not Baseline.objects.exists()


def test_a_second_baseline_with_the_same_name_is_refused(project, owner):
    agreed(project, owner, "Real-time stock")
    sign(project, owner, "Tender scope")

    response = client_for(owner).post(url("baseline-create"), {"name": "Tender scope", "password": PASSWORD})

    assert response.context["form"].errors == {"name": ["A baseline called “Tender scope” exists already."]}
    assert Baseline.objects.count() == 1


def test_the_same_name_may_be_used_in_another_project(project, owner):
    other = ProjectFactory(code="OTHER")
    MembershipFactory(project=other, user=owner, role=Membership.Role.OWNER)
    agreed(other, owner, "Elsewhere")
    sign(other, owner, "Tender scope")
    agreed(project, owner, "Real-time stock")

    response = client_for(owner).post(url("baseline-create"), {"name": "Tender scope", "password": PASSWORD})

    assert response.status_code == 302
    assert Baseline.objects.filter(project=project, name="Tender scope").exists()


# --- The snapshot ----------------------------------------------------------------------------


def test_the_snapshot_keeps_the_exact_version_and_stays_after_the_requirement_changes(project, owner):
    requirement = agreed(project, owner, "Real-time stock", statement="Stock is updated within a second.")
    requirement.refresh_from_db()
    baseline = sign(project, owner)
    item = baseline.items.get()
    assert (item.version, item.title, item.statement, item.status) == (
        requirement.version,
        "Real-time stock",
        "Stock is updated within a second.",
        "approved",
    )
    record = Requirement.history.get(history_id=item.history_id)
    assert (record.id, record.version, record.statement) == (requirement.pk, item.version, item.statement)

    edit(requirement, owner, title="Live stock", statement="Stock is updated within five seconds.")
    move(requirement, owner, "approved", "implemented")

    requirement.refresh_from_db()
    assert requirement.version > item.version and requirement.title == "Live stock"
    frozen = BaselineItem.objects.get(pk=item.pk)
    assert (frozen.version, frozen.title, frozen.statement, frozen.status, frozen.history_id) == (
        item.version,
        "Real-time stock",
        "Stock is updated within a second.",
        "approved",
        item.history_id,
    )
    content = client_for(owner).get(url("baseline-detail", baseline_id=baseline.pk)).content.decode()
    assert "Real-time stock" in content and "Live stock" not in content


# --- The detail ------------------------------------------------------------------------------


def test_the_detail_shows_the_signed_header_and_the_frozen_items(project, owner, viewer):
    owner.first_name, owner.last_name = "Li", "Wei"
    owner.save()
    first = agreed(project, owner, "Real-time stock", layer="core", priority="must")
    agreed(project, owner, "Batches", "verified", layer="extended", priority="could")
    baseline = sign(project, owner, "Tender scope", description="Sent to the three vendors.")

    response = client_for(viewer).get(url("baseline-detail", baseline_id=baseline.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Signed — cannot be changed" in content
    assert "Tender scope" in content and "Sent to the three vendors." in content
    assert '<dd data-testid="signed-by">Li Wei</dd>' in content
    assert "2 requirements" in content
    assert [i.key for i in response.context["items"]] == ["REQ-001", "REQ-002"]
    first.refresh_from_db()
    assert f'href="{first.get_absolute_url()}"' in content
    assert f'<td class="d-none d-md-table-cell text-end" data-testid="item-version">{first.version}</td>' in content
    assert "Core functional" in content and "Must" in content and "Could" in content
    assert 'data-status="approved">Approved</span>' in content
    assert 'data-status="verified">Verified</span>' in content
    assert compare_url(baseline.pk).replace("&", "&amp;") in content


def test_a_baseline_of_another_project_is_not_found(project, owner):
    other = ProjectFactory(code="OTHER")
    MembershipFactory(project=other, user=owner, role=Membership.Role.OWNER)
    agreed(other, owner, "Elsewhere")
    foreign = sign(other, owner)
    agreed(project, owner, "Real-time stock")
    mine = sign(project, owner, "Mine")
    client = client_for(owner)

    assert client.get(url("baseline-detail", baseline_id=foreign.pk)).status_code == 404
    assert client.get(url("baseline-detail", baseline_id=999999)).status_code == 404
    assert client.get(compare_url(foreign.pk)).status_code == 404
    assert client.get(compare_url(mine.pk, foreign.pk)).status_code == 404


def test_an_outsider_gets_404_on_every_baseline_page(project, owner, outsider):
    agreed(project, owner, "Real-time stock")
    baseline = sign(project, owner)
    client = client_for(outsider)

    for target in (url("baseline-list"), url("baseline-detail", baseline_id=baseline.pk), compare_url(baseline.pk)):
        assert client.get(target).status_code == 404


# --- The comparison --------------------------------------------------------------------------


@pytest.fixture
def history(project, owner):
    """Two baselines a month apart: one requirement kept, one reworded, one reopened, one implemented, one new."""
    kept = agreed(project, owner, "Real-time stock")
    reworded = agreed(
        project,
        owner,
        "Batches",
        statement="Track batches on every receipt.",
        acceptance_criteria="A receipt without a batch is refused.",
    )
    reopened = agreed(project, owner, "Serial numbers")
    built = agreed(project, owner, "Barcode labels")
    first = sign(project, owner, "Tender scope")

    edit(reworded, owner, title="Batches and expiry", statement="Track batches and expiry dates on every receipt.")
    move(reworded, owner, "approved")
    edit(reopened, owner, statement="Serial numbers for high-value goods only.")  # back to review
    move(built, owner, "implemented")
    added = agreed(project, owner, "Stock-taking on mobile")
    second = sign(project, owner, "UAT scope")
    return {
        "first": first,
        "second": second,
        "kept": kept,
        "reworded": reworded,
        "reopened": reopened,
        "built": built,
        "added": added,
    }


def test_comparing_two_baselines_shows_added_removed_changed_and_unchanged(project, viewer, history):
    response = client_for(viewer).get(compare_url(history["first"].pk, history["second"].pk))

    assert response.status_code == 200
    rows = {row.item.key: row for row in response.context["changed_rows"] + response.context["unchanged_rows"]}
    assert {key: row.status for key, row in rows.items()} == {
        history["kept"].key: "unchanged",
        history["reworded"].key: "changed",
        history["reopened"].key: "removed",
        history["built"].key: "changed",
        history["added"].key: "added",
    }
    reworded = rows[history["reworded"].key]
    assert [c.name for c in reworded.changes] == ["title", "statement", "version"]
    title, statement, _version = reworded.changes
    assert (title.old, title.new) == ("Batches", "Batches and expiry")
    assert "<ins> and expiry dates</ins>" in statement.diff and "<span>Track batches</span>" in statement.diff
    assert rows[history["reopened"].key].now == "In review"  # why it left: its meaning changed
    built = rows[history["built"].key]
    assert [(c.name, c.old_display, c.new_display) for c in built.changes][0] == ("status", "Approved", "Implemented")
    assert [c.name for c in built.changes] == ["status", "version"]

    content = response.content.decode()
    for status, count in (("added", 1), ("removed", 1), ("changed", 2), ("unchanged", 1)):
        assert f'data-status="{status}" data-count="{count}"' in content
    assert "<del>Batches</del> → <ins>Batches and expiry</ins>" in content
    assert "<ins> and expiry dates</ins>" in content
    assert "<del>Approved</del> → <ins>Implemented</ins>" in content
    assert '<div class="small mt-1" data-testid="now-status">Now: In review</div>' in content


def test_unchanged_requirements_are_collapsed_behind_a_toggle(project, viewer, history):
    content = client_for(viewer).get(compare_url(history["first"].pk, history["second"].pk)).content.decode()

    changes, unchanged = content.split('data-testid="compare-unchanged"')
    assert '<details class="card"' in changes[-40:] and "open" not in changes[-40:]
    assert "Show the 1 unchanged requirement" in unchanged
    assert f'data-status="unchanged" data-key="{history["kept"].key}"' in unchanged
    assert 'data-status="unchanged" data-key' not in changes


def test_the_word_diff_covers_the_acceptance_criteria(project, owner, viewer):
    requirement = agreed(project, owner, "Batches", acceptance_criteria="A receipt without a batch is refused.")
    first = sign(project, owner)
    edit(requirement, owner, acceptance_criteria="A receipt without a batch is held for checking.")
    move(requirement, owner, "approved")
    second = sign(project, owner, "BL-2")

    response = client_for(viewer).get(compare_url(first.pk, second.pk))

    (row,) = response.context["changed_rows"]
    criteria = next(c for c in row.changes if c.name == "acceptance_criteria")
    assert "<del>refused.</del><ins>held for checking.</ins>" in criteria.diff.replace("<span></span>", "")
    assert 'data-field="acceptance_criteria"' in response.content.decode()


def test_comparing_a_baseline_with_today_reads_the_agreed_requirements_now(project, viewer, owner, history):
    edit(history["kept"], owner, priority="must")  # not a change of meaning: it stays approved
    move(history["reopened"], owner, "approved")
    agreed(project, owner, "A draft is never part of today", "draft")

    response = client_for(viewer).get(compare_url(history["second"].pk))

    assert response.status_code == 200
    statuses = {row.item.key: row.status for row in response.context["changed_rows"]}
    assert statuses == {history["kept"].key: "changed", history["reopened"].key: "added"}
    kept = next(r for r in response.context["changed_rows"] if r.item.key == history["kept"].key)
    assert [(c.name, c.new_display) for c in kept.changes] == [("priority", "Must"), ("version", str(kept.b.version))]
    assert [row.item.key for row in response.context["unchanged_rows"]] == [
        history["reworded"].key,
        history["built"].key,
        history["added"].key,
    ]
    content = response.content.decode()
    assert "the agreed requirements now" in content


def test_comparing_a_baseline_with_itself_says_so(project, viewer, history):
    response = client_for(viewer).get(compare_url(history["first"].pk, history["first"].pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="compare-same"' in content
    assert "Both sides are the same baseline" in content
    assert "changed_rows" not in response.context


def test_without_a_choice_the_compare_page_offers_the_form(project, viewer, history):
    response = client_for(viewer).get(url("baseline-compare"))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="compare-form"' in content
    assert 'data-testid="compare-counts"' not in content
    assert f'<option value="{history["second"].pk}" selected>' in content


def test_the_compare_page_without_baselines_sends_back_to_the_list(project, viewer):
    content = client_for(viewer).get(url("baseline-compare")).content.decode()

    assert 'data-testid="compare-empty"' in content and url("baseline-list") in content


@pytest.mark.parametrize(("a", "b"), [("x", "today"), ("today", "today"), ("999999", "today"), ("{first}", "7x")])
def test_a_side_that_is_not_a_baseline_of_the_project_is_not_found(project, viewer, history, a, b):
    a = a.format(first=history["first"].pk)

    assert client_for(viewer).get(compare_url(a, b)).status_code == 404


def test_a_missing_b_means_today(project, viewer, history):
    response = client_for(viewer).get(f"{url('baseline-compare')}?a={history['first'].pk}")

    assert response.context["b"].baseline is None


def test_the_comparison_of_plain_items_pairs_them_by_requirement():
    def item(requirement_id, key, **fields):
        values = {"version": 1, "title": key, "statement": "s", "layer": "core", "category": "other"}
        values.update({"priority": "should", "status": "approved", **fields})
        return BaselineItem(requirement_id=requirement_id, key=key, history_id=0, **values)

    rows = baseline_compare(
        a_items=[item(2, "REQ-002"), item(10, "REQ-010"), item(3, "REQ-003")],
        b_items=[item(10, "REQ-010", layer="integration"), item(3, "REQ-003"), item(11, "REQ-011")],
    )

    assert [(row.item.key, row.status) for row in rows] == [
        ("REQ-002", "removed"),
        ("REQ-003", "unchanged"),
        ("REQ-010", "changed"),
        ("REQ-011", "added"),
    ]
    change = rows[2].changes[0]
    assert (change.label, change.old_display, change.new_display, change.diff) == (
        "layer",
        "Core functional",
        "Integration",
        None,
    )


# --- Query counts ----------------------------------------------------------------------------


def queries_for(client, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def grow(project, owner, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        agreed(project, owner, f"Requirement {i}", "implemented" if i % 2 else "approved")


def test_the_pages_cost_the_same_queries_for_2_and_40_items(project, owner):
    client = client_for(owner)
    grow(project, owner, 2)
    small = sign(project, owner, "Small")
    small_counts = (
        queries_for(client, url("baseline-list")),
        queries_for(client, url("baseline-detail", baseline_id=small.pk)),
        queries_for(client, compare_url(small.pk)),
    )
    grow(project, owner, 38, start=2)
    big = sign(project, owner, "Big")
    edit(Requirement.objects.get(title="Requirement 3"), owner, priority="must")

    big_counts = (
        queries_for(client, url("baseline-list")),
        queries_for(client, url("baseline-detail", baseline_id=big.pk)),
        queries_for(client, compare_url(big.pk)),
        queries_for(client, compare_url(small.pk, big.pk)),
    )

    assert small_counts == big_counts[:3] == (4, 5, 6)
    assert big_counts[3] == 6
