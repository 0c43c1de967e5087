"""The requirement rules: keys, workflow per role, meaning changes, suspects, bulk changes, baselines."""

import pytest
from django.core.exceptions import ValidationError

from projects.models import Membership
from requirements import suspects
from requirements.models import Baseline, ImmutableError, Requirement, SuspectFlag, Transition
from requirements.services import (
    RequirementError,
    baseline_sign,
    requirement_create,
    requirement_delete,
    requirement_transition,
    requirement_update,
    requirements_bulk_update,
)
from requirements.workflow import allowed_moves
from tests.factories import PASSWORD, ProjectFactory
from workbench.locking import StaleVersionError


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def new(project, title="Real-time stock", **fields) -> Requirement:
    return requirement_create(
        project=project, title=title, statement=fields.pop("statement", "Stock is live."), **fields
    )


def approve(requirement, owner_membership) -> None:
    for status in ("in_review", "approved"):
        requirement_transition(requirement=requirement, to_status=status, membership=owner_membership)


def test_keys_count_up_per_project(project):
    first, second = new(project), new(project, "Batches")
    other = new(ProjectFactory(), "Elsewhere")

    assert (first.key, second.key, other.key) == ("REQ-001", "REQ-002", "REQ-001")


def test_a_creation_that_fails_validation_leaves_no_gap(project):
    new(project)
    with pytest.raises(ValidationError):
        requirement_create(project=project, title="", statement="")

    assert new(project, "Next").key == "REQ-002"


@pytest.mark.parametrize(
    ("role", "moves"),
    [
        ("owner", {"in_review", "rejected", "deferred"}),
        ("editor", {"in_review"}),
        ("tester", set()),
        ("viewer", set()),
        ("vendor", set()),
    ],
)
def test_who_may_move_a_draft(project, team, role, moves):
    assert set(allowed_moves("draft", member(project, team[role]))) == moves


def test_editors_propose_and_owners_approve(project, owner, editor):
    requirement = new(project)
    requirement_transition(requirement=requirement, to_status="in_review", membership=member(project, editor))

    with pytest.raises(RequirementError):
        requirement_transition(requirement=requirement, to_status="approved", membership=member(project, editor))
    requirement.refresh_from_db()
    assert requirement.status == "in_review"

    requirement_transition(
        requirement=requirement, to_status="approved", membership=member(project, owner), comment="Agreed in workshop"
    )
    log = list(requirement.transitions.order_by("at", "pk").values_list("from_status", "to_status", "by__username"))
    assert log == [("draft", "in_review", "editor"), ("in_review", "approved", "owner")]
    assert requirement.transitions.filter(comment="Agreed in workshop").exists()


def test_testers_verify_what_was_implemented(project, owner, editor, tester):
    requirement = new(project)
    approve(requirement, member(project, owner))
    requirement_transition(requirement=requirement, to_status="implemented", membership=member(project, editor))

    requirement_transition(requirement=requirement, to_status="verified", membership=member(project, tester))

    assert Requirement.objects.get(pk=requirement.pk).status == "verified"


def test_a_move_the_workflow_does_not_know_is_refused(project, owner):
    requirement = new(project)

    with pytest.raises(RequirementError):
        requirement_transition(requirement=requirement, to_status="verified", membership=member(project, owner))
    assert not Transition.objects.exists()


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(project, owner):
    requirement = new(project)
    mine = Requirement.objects.get(pk=requirement.pk)
    theirs = Requirement.objects.get(pk=requirement.pk)
    requirement_update(requirement=theirs, expected_version=theirs.version, user=owner, statement="Their text")

    with pytest.raises(StaleVersionError):
        requirement_update(requirement=mine, expected_version=1, user=owner, statement="My text")
    assert Requirement.objects.get(pk=requirement.pk).statement == "Their text"


def test_changing_the_meaning_of_an_approved_requirement_sends_it_back_to_review(project, owner):
    requirement = new(project)
    approve(requirement, member(project, owner))

    requirement_update(requirement=requirement, expected_version=requirement.version, user=owner, statement="Changed")

    requirement.refresh_from_db()
    assert requirement.status == "in_review"
    assert requirement.transitions.first().to_status == "in_review"


def test_a_priority_change_keeps_an_approved_requirement_approved(project, owner):
    requirement = new(project)
    approve(requirement, member(project, owner))

    requirement_update(requirement=requirement, expected_version=requirement.version, user=owner, priority="must")

    assert Requirement.objects.get(pk=requirement.pk).status == "approved"


def test_a_change_of_meaning_flags_children_suspect_until_reviewed(project, owner, editor):
    parent = new(project, "Stock")
    child = new(project, "Stock per store", parent=parent)

    requirement_update(requirement=parent, expected_version=parent.version, user=owner, title="Stock per channel")

    flags = suspects.open_flags_for(child)
    assert flags.count() == 1
    assert "title" in flags.get().reason
    assert suspects.annotate_suspect(Requirement.objects.filter(pk=child.pk)).get().is_suspect

    # a second change refreshes the open flag instead of piling up another
    parent.refresh_from_db()
    requirement_update(requirement=parent, expected_version=parent.version, user=owner, statement="Also online")
    assert suspects.open_flags_for(child).count() == 1

    assert suspects.clear(item=child, user=editor, comment="Still right") == 1
    assert not suspects.open_flags_for(child).exists()
    assert SuspectFlag.objects.get().cleared_by == editor


def test_a_change_that_keeps_the_meaning_flags_nothing(project, owner):
    parent = new(project)
    new(project, "Child", parent=parent)

    requirement_update(requirement=parent, expected_version=parent.version, user=owner, priority="could")

    assert not SuspectFlag.objects.exists()


def test_a_requirement_cannot_sit_under_its_own_child(project, owner):
    parent = new(project)
    child = new(project, "Child", parent=parent)

    with pytest.raises(ValidationError):
        requirement_update(requirement=parent, expected_version=parent.version, user=owner, parent=child)


def test_bulk_changes_follow_the_workflow_row_by_row(project, owner, editor):
    draft, reviewed = new(project, "A"), new(project, "B")
    requirement_transition(requirement=reviewed, to_status="in_review", membership=member(project, editor))

    result = requirements_bulk_update(
        requirements=[draft, reviewed], membership=member(project, editor), status="in_review", priority="must"
    )

    assert [r.key for r in result.changed] == ["REQ-001", "REQ-002"]  # REQ-002 was in review: only its priority
    assert result.refused == []
    assert set(Requirement.objects.values_list("status", "priority")) == {("in_review", "must")}

    refused = requirements_bulk_update(requirements=[draft], membership=member(project, editor), status="approved")
    assert len(refused.refused) == 1
    assert Requirement.objects.get(pk=draft.pk).status == "in_review"


def test_only_drafts_without_children_or_baselines_can_be_deleted(project, owner):
    requirement = new(project)
    approve(requirement, member(project, owner))

    with pytest.raises(RequirementError):
        requirement_delete(requirement=requirement)

    draft = new(project, "Draft")
    requirement_delete(requirement=draft)
    assert not Requirement.objects.filter(pk=draft.pk).exists()


def test_a_baseline_freezes_the_agreed_requirements_with_their_exact_version(project, owner):
    agreed, draft = new(project, "Agreed"), new(project, "Draft")
    approve(agreed, member(project, owner))
    agreed.refresh_from_db()

    baseline = baseline_sign(project=project, membership=member(project, owner), name="Scope", password=PASSWORD)

    item = baseline.items.get()
    assert (item.key, item.version, item.status) == ("REQ-001", agreed.version, "approved")
    assert item.history_id == agreed.history.latest().history_id
    assert baseline.signed_by == owner and baseline.requirement_count == 1
    assert not baseline.items.filter(requirement=draft).exists()

    requirement_update(requirement=agreed, expected_version=agreed.version, user=owner, statement="Later change")
    item.refresh_from_db()
    assert item.statement == "Stock is live."


def test_signing_needs_the_owner_and_the_right_password(project, owner, editor):
    approve(new(project), member(project, owner))

    with pytest.raises(RequirementError):
        baseline_sign(project=project, membership=member(project, owner), name="X", password="wrong")
    with pytest.raises(RequirementError):
        baseline_sign(project=project, membership=member(project, editor), name="X", password=PASSWORD)
    assert not Baseline.objects.exists()


def test_a_signed_baseline_cannot_be_changed_or_deleted_through_the_models(project, owner):
    approve(new(project), member(project, owner))
    baseline = baseline_sign(project=project, membership=member(project, owner), name="Scope", password=PASSWORD)
    item = baseline.items.get()

    baseline.name = "Renamed"
    with pytest.raises(ImmutableError):
        baseline.save()
    item.title = "Changed"
    with pytest.raises(ImmutableError):
        item.save()
    for attempt in (baseline.delete, item.delete, Baseline.objects.all().delete, baseline.items.all().delete):
        with pytest.raises(ImmutableError):
            attempt()
    with pytest.raises(ImmutableError):
        Baseline.objects.update(name="Renamed")

    fresh = Baseline.objects.get(pk=baseline.pk)
    assert fresh.name == "Scope" and fresh.items.get().title == "Real-time stock"
