"""The team pages: who may add, change and remove members, and the rule that a project keeps an owner."""

from django.urls import reverse

from projects.models import Membership
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

TEAM_URL = reverse("projects:team", kwargs={"project_code": "ACME"})
ADD_URL = reverse("projects:member-add", kwargs={"project_code": "ACME"})


def edit_url(membership: Membership, code: str = "ACME") -> str:
    return reverse("projects:member-edit", kwargs={"project_code": code, "membership_id": membership.pk})


def remove_url(membership: Membership, code: str = "ACME") -> str:
    return reverse("projects:member-remove", kwargs={"project_code": code, "membership_id": membership.pk})


def membership_of(user, project) -> Membership:
    return Membership.objects.get(project=project, user=user)


def add_data(**overrides) -> dict:
    data = {"username": "", "role": "tester", "department": "warehouse", "responsibility": ""}
    data.update(overrides)
    return data


def edit_data(membership: Membership, **overrides) -> dict:
    data = {
        "role": membership.role,
        "department": membership.department,
        "responsibility": membership.responsibility,
    }
    data.update(overrides)
    return data


# --- Reading the team ------------------------------------------------------------------------


def test_every_member_sees_the_team_with_roles_and_departments(project, team):
    response = client_for(team["viewer"]).get(TEAM_URL)

    assert response.status_code == 200
    assert {m.user.username for m in response.context["members"]} == set(team)
    content = response.content.decode()
    assert "5 members" in content
    assert "Warehouse" in content


def test_a_vendor_member_does_not_see_the_team(project, team):
    """A vendor consultant sees the vendor portal only, not who is on the customer's team."""
    assert client_for(team["vendor"]).get(TEAM_URL).status_code == 403


def test_only_the_owner_sees_the_add_edit_and_remove_buttons(project, owner, editor):
    owner_page = client_for(owner).get(TEAM_URL).content.decode()
    editor_page = client_for(editor).get(TEAM_URL).content.decode()

    assert ADD_URL in owner_page
    assert edit_url(membership_of(editor, project)) in owner_page
    assert ADD_URL not in editor_page
    assert edit_url(membership_of(editor, project)) not in editor_page


# --- Adding ----------------------------------------------------------------------------------


def test_the_owner_adds_an_existing_user_by_user_name_ignoring_case(project, owner):
    newcomer = UserFactory(username="MeiLing")

    response = client_for(owner).post(
        ADD_URL,
        add_data(username="  meiling ", role="editor", department="procurement", responsibility="buyer"),
    )

    assert response.status_code == 302
    assert response["Location"] == TEAM_URL
    membership = membership_of(newcomer, project)
    assert membership.role == Membership.Role.EDITOR
    assert membership.department == Membership.Department.PROCUREMENT
    assert membership.responsibility == "buyer"


def test_the_team_page_confirms_the_new_member(project, owner):
    UserFactory(username="meiling")

    response = client_for(owner).post(ADD_URL, add_data(username="meiling"), follow=True)

    assert "meiling joined the team." in response.content.decode()
    assert "meiling" in {m.user.username for m in response.context["members"]}


def test_an_unknown_user_name_is_refused_next_to_the_field(project, owner):
    response = client_for(owner).post(ADD_URL, add_data(username="nobody-here"))

    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert any("No active user is called “nobody-here”" in e for e in errors)
    assert "No active user is called" in response.content.decode()
    assert project.memberships.count() == 1


def test_an_inactive_user_cannot_be_added(project, owner):
    UserFactory(username="gone", is_active=False)

    response = client_for(owner).post(ADD_URL, add_data(username="gone"))

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not project.memberships.filter(user__username="gone").exists()


def test_adding_someone_already_on_the_team_is_refused(project, owner, editor):
    response = client_for(owner).post(ADD_URL, add_data(username="EDITOR", role="viewer"))

    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert any("editor is already a member of this project." in e for e in errors)
    assert project.memberships.count() == 2
    assert membership_of(editor, project).role == Membership.Role.EDITOR


# --- Editing ---------------------------------------------------------------------------------


def test_the_owner_changes_a_members_role_and_department(project, owner, editor):
    membership = membership_of(editor, project)

    response = client_for(owner).post(
        edit_url(membership), edit_data(membership, role="viewer", department="sales", responsibility="demo")
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.VIEWER
    assert membership.department == Membership.Department.SALES
    assert membership.responsibility == "demo"


def test_the_edit_form_shows_the_member(project, owner, editor):
    response = client_for(owner).get(edit_url(membership_of(editor, project)))

    assert response.status_code == 200
    assert response.context["form"].initial["role"] == "editor"


def test_the_last_owner_cannot_be_demoted(project, owner):
    membership = membership_of(owner, project)

    response = client_for(owner).post(edit_url(membership), edit_data(membership, role="editor"))

    assert response.status_code == 200
    assert "A project needs at least one owner" in response.content.decode()
    assert any("at least one owner" in e for e in response.context["form"].errors["role"])
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_an_owner_can_step_down_once_someone_else_owns_the_project(project, owner, editor):
    client = client_for(owner)
    client.post(edit_url(membership_of(editor, project)), edit_data(membership_of(editor, project), role="owner"))

    response = client.post(
        edit_url(membership_of(owner, project)), edit_data(membership_of(owner, project), role="viewer")
    )

    assert response.status_code == 302
    assert membership_of(owner, project).role == Membership.Role.VIEWER
    assert membership_of(editor, project).role == Membership.Role.OWNER


# --- Removing --------------------------------------------------------------------------------


def test_removing_asks_for_confirmation_first(project, owner, editor):
    membership = membership_of(editor, project)

    response = client_for(owner).get(remove_url(membership))

    assert response.status_code == 200
    assert "from this project?" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_owner_removes_a_member(project, owner, editor):
    membership = membership_of(editor, project)

    response = client_for(owner).post(remove_url(membership), follow=True)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "editor left the team." in response.content.decode()
    # The removed member no longer sees the project at all.
    assert client_for(editor).get(TEAM_URL).status_code == 404


def test_the_last_owner_cannot_be_removed(project, owner, editor):
    membership = membership_of(owner, project)

    response = client_for(owner).post(remove_url(membership), follow=True)

    assert "The last owner cannot be removed" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_one_of_two_owners_can_be_removed(project, owner):
    second = UserFactory(username="second")
    second_membership = MembershipFactory(project=project, user=second, role=Membership.Role.OWNER)

    client_for(owner).post(remove_url(second_membership))

    assert not Membership.objects.filter(pk=second_membership.pk).exists()


# --- Who may do it ---------------------------------------------------------------------------


def test_an_editor_gets_403_on_add_edit_and_remove(project, owner, editor, viewer):
    client = client_for(editor)
    UserFactory(username="newcomer")
    target = membership_of(viewer, project)

    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, add_data(username="newcomer")).status_code == 403
    assert client.get(edit_url(target)).status_code == 403
    assert client.post(edit_url(target), edit_data(target, role="owner")).status_code == 403
    assert client.get(remove_url(target)).status_code == 403
    assert client.post(remove_url(target)).status_code == 403

    assert not project.memberships.filter(user__username="newcomer").exists()
    target.refresh_from_db()
    assert target.role == Membership.Role.VIEWER


def test_an_outsider_gets_404_on_every_team_page(project, owner, outsider):
    client = client_for(outsider)
    target = membership_of(owner, project)

    assert client.get(TEAM_URL).status_code == 404
    assert client.get(ADD_URL).status_code == 404
    assert client.post(edit_url(target), edit_data(target, role="viewer")).status_code == 404
    assert client.post(remove_url(target)).status_code == 404
    target.refresh_from_db()
    assert target.role == Membership.Role.OWNER


def test_a_membership_of_another_project_is_404_even_for_an_owner(project, owner, outsider):
    foreign = Membership.objects.get(project__code="OTHER", user=outsider)
    client = client_for(owner)

    assert client.get(edit_url(foreign)).status_code == 404
    assert client.post(edit_url(foreign), edit_data(foreign, role="viewer")).status_code == 404
    assert client.post(remove_url(foreign)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Membership.Role.OWNER


def test_an_owner_who_is_only_a_viewer_elsewhere_cannot_remove_members_there(project, owner):
    other = ProjectFactory(code="THIRD")
    MembershipFactory(project=other, user=owner, role=Membership.Role.VIEWER)
    third_party = MembershipFactory(project=other, role=Membership.Role.EDITOR)

    response = client_for(owner).post(remove_url(third_party, code="THIRD"))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=third_party.pk).exists()


def test_a_vendor_member_refused_a_project_page_is_shown_the_way_to_the_portal(project, team):
    response = client_for(team["vendor"]).get(f"/p/{project.code}/")

    assert response.status_code == 403
    assert f'href="/p/{project.code}/portal/"' in response.content.decode()
    viewer_refused = client_for(team["viewer"]).get(f"/p/{project.code}/settings/")
    assert viewer_refused.status_code == 403 and "/portal/" not in viewer_refused.content.decode()
