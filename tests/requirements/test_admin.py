"""The admin shows requirements and their trail to staff, and changes nothing, superusers included."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from projects.models import Membership
from requirements.models import Baseline, BaselineItem, Requirement, SuspectFlag, Transition
from requirements.services import baseline_sign, requirement_create, requirement_transition, requirement_update
from tests.conftest import client_for
from tests.factories import PASSWORD


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    assert user.is_staff and user.is_superuser
    return client_for(user)


@pytest.fixture
def world(project, owner):
    membership = Membership.objects.get(project=project, user=owner)
    parent = requirement_create(project=project, title="Real-time stock", statement="Stock is live.")
    child = requirement_create(project=project, title="Scanner booking", statement="Scans book stock.", parent=parent)
    for status in ("in_review", "approved"):
        requirement_transition(requirement=parent, to_status=status, membership=membership)
    baseline = baseline_sign(project=project, membership=membership, name="BL-1", password=PASSWORD)
    parent.refresh_from_db()
    requirement_update(requirement=parent, expected_version=parent.version, user=owner, statement="Stock is live now.")
    return {
        "requirement": parent,
        "child": child,
        "baseline": baseline,
        "item": baseline.items.get(),
        "transition": Transition.objects.filter(requirement=parent).first(),
        "flag": SuspectFlag.objects.get(),
    }


def admin_url(obj, view: str) -> str:
    meta = obj._meta
    args = [] if view in ("changelist", "add") else [obj.pk]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def snapshot(world) -> tuple:
    baseline, item = world["baseline"], world["item"]
    return (
        Baseline.objects.filter(pk=baseline.pk).values_list("name", "description", "requirement_count").first(),
        BaselineItem.objects.filter(pk=item.pk).values_list("title", "statement", "version", "status").first(),
        Requirement.objects.filter(pk=world["requirement"].pk).values_list("title", "statement", "version").first(),
        Transition.objects.count(),
        SuspectFlag.objects.count(),
    )


OBJECTS = ["requirement", "baseline", "item", "transition", "flag"]


@pytest.mark.parametrize("name", OBJECTS)
def test_the_superuser_sees_each_list_and_record_without_a_save_button(admin_client, world, name):
    obj = world[name]

    listing = admin_client.get(admin_url(obj, "changelist"))
    page = admin_client.get(admin_url(obj, "change"))

    assert listing.status_code == 200 and page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'name="action"' not in listing.content.decode()  # no bulk actions, so no "delete selected"
    assert admin_url(obj, "add") not in listing.content.decode()


@pytest.mark.parametrize("name", OBJECTS)
def test_the_admin_refuses_to_add_change_or_delete(admin_client, world, name):
    obj = world[name]
    before = snapshot(world)

    assert admin_client.get(admin_url(obj, "add")).status_code == 403
    assert admin_client.post(admin_url(obj, "add"), {"name": "New"}).status_code == 403
    assert admin_client.post(admin_url(obj, "change"), {"name": "Renamed", "title": "Renamed"}).status_code == 403
    assert admin_client.get(admin_url(obj, "delete")).status_code == 403
    assert admin_client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403

    assert snapshot(world) == before


@pytest.mark.parametrize("name", OBJECTS)
def test_the_delete_selected_action_does_nothing(admin_client, world, name):
    obj = world[name]
    before = snapshot(world)

    admin_client.post(
        admin_url(obj, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )

    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert snapshot(world) == before


def test_the_baseline_page_lists_its_frozen_items(admin_client, world):
    content = admin_client.get(admin_url(world["baseline"], "change")).content.decode()

    assert world["item"].key in content and "Real-time stock" in content


def test_requirements_are_listed_with_key_title_project_and_status_and_can_be_searched(admin_client, world):
    changelist = admin_url(world["requirement"], "changelist")

    response = admin_client.get(changelist, {"q": "scanner"})

    assert [r.key for r in response.context["cl"].result_list] == [world["child"].key]
    assert response.context["cl"].list_display == ["key", "title", "project", "status"]
    content = admin_client.get(changelist).content.decode()
    assert "REQ-001" in content and "ACME" in content and "In review" in content


def test_the_requirement_history_is_shown_but_cannot_be_reverted(admin_client, world):
    requirement = world["requirement"]
    before = snapshot(world)
    record = requirement.history.order_by("history_date").first()
    revert = reverse("admin:requirements_requirement_simple_history", args=[requirement.pk, record.history_id])

    assert admin_client.get(admin_url(requirement, "history")).status_code == 200
    assert admin_client.get(revert).status_code == 200
    response = admin_client.post(revert, {"title": "Old", "statement": "Old", "layer": "core", "priority": "must"})

    assert response.status_code == 403
    assert snapshot(world) == before


def test_the_suspect_flag_list_names_what_changed(admin_client, world):
    content = admin_client.get(admin_url(world["flag"], "changelist")).content.decode()

    assert world["flag"].reason in content
    assert ContentType.objects.get_for_model(Requirement).model in content
