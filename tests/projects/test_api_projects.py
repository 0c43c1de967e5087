"""The projects API as a script or integration sees it: /api/v1/projects/ and the team under it."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from projects.models import Membership, Project
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

PROJECTS = "/api/v1/projects/"
ACME = "/api/v1/projects/ACME/"
MEMBERS = "/api/v1/projects/ACME/members/"


def member_url(membership: Membership) -> str:
    return f"{MEMBERS}{membership.pk}/"


def patch(client: Client, url: str, data: dict):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


def post(client: Client, url: str, data: dict, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


# --- Listing and creating projects -----------------------------------------------------------


def test_the_list_shows_only_projects_the_caller_belongs_to(project, owner, outsider):
    ProjectFactory(code="SECRET")

    response = client_for(owner).get(PROJECTS)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["next"] is None
    assert body["previous"] is None
    (item,) = body["results"]
    assert item["code"] == "ACME"
    assert item["my_role"] == "owner"
    assert item["version"] == 1


def test_the_list_is_paginated(db):
    user = UserFactory(username="busy")
    for n in range(3):
        MembershipFactory(project=ProjectFactory(code=f"P-{n}"), user=user)

    body = client_for(user).get(PROJECTS, {"page_size": 2}).json()

    assert body["count"] == 3
    assert [p["code"] for p in body["results"]] == ["P-0", "P-1"]
    assert body["next"] is not None
    second = client_for(user).get(body["next"]).json()
    assert [p["code"] for p in second["results"]] == ["P-2"]
    assert second["previous"] is not None


def test_the_list_filters_by_phase(db):
    user = UserFactory(username="busy")
    MembershipFactory(project=ProjectFactory(code="EARLY"), user=user)
    MembershipFactory(project=ProjectFactory(code="LIVE", phase=Project.Phase.HYPERCARE), user=user)

    body = client_for(user).get(PROJECTS, {"phase": "hypercare"}).json()

    assert [p["code"] for p in body["results"]] == ["LIVE"]


def test_creating_a_project_makes_the_caller_owner(db):
    creator = UserFactory(username="creator")

    response = post(client_for(creator), PROJECTS, {"code": "RETAIL-2027", "name": "Retail upgrade"})

    assert response.status_code == 201, response.content
    assert response.json()["code"] == "RETAIL-2027"
    assert response.json()["my_role"] == "owner"
    membership = Membership.objects.get(project__code="RETAIL-2027")
    assert membership.user == creator
    assert membership.role == Membership.Role.OWNER


def test_creating_a_project_with_a_bad_code_is_refused(db):
    creator = UserFactory(username="creator")

    response = post(client_for(creator), PROJECTS, {"code": "has space", "name": "Spacey"})

    assert response.status_code == 400
    assert "code" in response.json()
    assert not Project.objects.exists()


def test_creating_a_project_with_a_taken_code_is_refused(project, owner):
    response = post(client_for(owner), PROJECTS, {"code": "ACME", "name": "Copy"})

    assert response.status_code == 400
    assert Project.objects.count() == 1


# --- Authentication --------------------------------------------------------------------------


def test_a_token_authenticates_the_caller(project, owner):
    token = Token.objects.create(user=owner)

    response = Client().get(PROJECTS, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["ACME"]


def test_a_token_can_create_a_project_without_csrf(db):
    creator = UserFactory(username="creator")
    token = Token.objects.create(user=creator)
    client = Client(enforce_csrf_checks=True)

    response = post(client, PROJECTS, {"code": "TOKEN-1", "name": "By script"}, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 201
    assert Membership.objects.get(project__code="TOKEN-1").user == creator


def test_a_wrong_token_is_refused(project, owner):
    response = Client().get(PROJECTS, HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Invalid token."


@pytest.mark.parametrize("url", [PROJECTS, ACME, MEMBERS])
def test_anonymous_callers_are_refused(project, owner, url):
    response = Client().get(url)

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_anonymous_callers_cannot_create(db):
    response = post(Client(), PROJECTS, {"code": "ANON", "name": "Nope"})

    assert response.status_code in (401, 403)
    assert not Project.objects.exists()


# --- Reading and updating one project --------------------------------------------------------


def test_a_member_reads_the_project(project, viewer):
    response = client_for(viewer).get(ACME)

    assert response.status_code == 200
    assert response.json()["name"] == "ACME inventory upgrade"
    assert response.json()["my_role"] == "viewer"


def test_an_outsider_gets_404_for_the_project(project, owner, outsider):
    assert client_for(outsider).get(ACME).status_code == 404


def test_an_update_without_the_version_is_refused(project, owner):
    response = patch(client_for(owner), ACME, {"name": "No version"})

    assert response.status_code == 400
    assert "version" in response.json()
    project.refresh_from_db()
    assert project.name == "ACME inventory upgrade"


def test_an_update_with_the_current_version_succeeds(project, owner):
    project.refresh_from_db()

    response = patch(client_for(owner), ACME, {"name": "Renamed", "version": project.version})

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Renamed"
    assert response.json()["version"] == project.version + 1
    project.refresh_from_db()
    assert project.name == "Renamed"


def test_an_update_with_a_stale_version_is_409_and_changes_nothing(project, owner):
    project.refresh_from_db()
    read_version = project.version
    client = client_for(owner)
    assert patch(client, ACME, {"phase": "selection", "version": read_version}).status_code == 200

    response = patch(client, ACME, {"name": "Late", "version": read_version})

    assert response.status_code == 409
    assert "Your changes were not saved" in response.json()["detail"]
    project.refresh_from_db()
    assert project.name == "ACME inventory upgrade"
    assert project.phase == "selection"
    assert project.version == read_version + 1


def test_an_editor_cannot_update_the_project(project, owner, editor):
    project.refresh_from_db()

    response = patch(client_for(editor), ACME, {"name": "Editor's", "version": project.version})

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.name == "ACME inventory upgrade"


def test_an_outsider_cannot_update_the_project(project, owner, outsider):
    response = patch(client_for(outsider), ACME, {"name": "Outsider's", "version": 1})

    assert response.status_code == 404
    project.refresh_from_db()
    assert project.name == "ACME inventory upgrade"


# --- Members ---------------------------------------------------------------------------------


def test_a_viewer_lists_the_members(project, team):
    response = client_for(team["viewer"]).get(MEMBERS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert {m["username"] for m in body["results"]} == set(team)
    owner_row = next(m for m in body["results"] if m["username"] == "owner")
    assert owner_row["role"] == "owner"
    assert owner_row["name"] == team["owner"].get_full_name()


def test_the_members_can_be_filtered_by_role(project, team):
    body = client_for(team["viewer"]).get(MEMBERS, {"role": "editor"}).json()

    assert [m["username"] for m in body["results"]] == ["editor"]


def test_the_members_can_be_filtered_by_department(project, team):
    body = client_for(team["owner"]).get(MEMBERS, {"department": "warehouse"}).json()

    assert [m["username"] for m in body["results"]] == ["tester"]


def test_an_outsider_gets_404_for_the_members(project, owner, outsider):
    assert client_for(outsider).get(MEMBERS).status_code == 404


def test_a_viewer_cannot_add_members(project, owner, viewer):
    UserFactory(username="newcomer")

    response = post(client_for(viewer), MEMBERS, {"username": "newcomer", "role": "owner"})

    assert response.status_code == 403
    assert not project.memberships.filter(user__username="newcomer").exists()


def test_the_owner_adds_a_member_by_user_name(project, owner):
    newcomer = UserFactory(username="newcomer")

    response = post(
        client_for(owner),
        MEMBERS,
        {"username": "newcomer", "role": "tester", "department": "warehouse", "responsibility": "scanner"},
    )

    assert response.status_code == 201, response.content
    assert response.json()["username"] == "newcomer"
    membership = Membership.objects.get(project=project, user=newcomer)
    assert membership.role == Membership.Role.TESTER
    assert membership.department == Membership.Department.WAREHOUSE
    assert membership.responsibility == "scanner"


def test_adding_a_member_twice_is_400(project, owner, editor):
    response = post(client_for(owner), MEMBERS, {"username": "editor", "role": "viewer"})

    assert response.status_code == 400
    assert "already a member" in response.json()["username"][0]
    assert Membership.objects.get(project=project, user=editor).role == Membership.Role.EDITOR


def test_adding_an_unknown_user_name_is_400(project, owner):
    response = post(client_for(owner), MEMBERS, {"username": "nobody-here", "role": "viewer"})

    assert response.status_code == 400
    assert "username" in response.json()
    assert project.memberships.count() == 1


def test_the_owner_changes_a_members_role(project, owner, editor):
    membership = Membership.objects.get(project=project, user=editor)

    response = patch(client_for(owner), member_url(membership), {"role": "viewer"})

    assert response.status_code == 200
    assert response.json()["role"] == "viewer"
    membership.refresh_from_db()
    assert membership.role == Membership.Role.VIEWER
    assert membership.department == Membership.Department.IT


def test_the_last_owner_cannot_be_demoted_through_the_api(project, owner):
    membership = Membership.objects.get(project=project, user=owner)

    response = patch(client_for(owner), member_url(membership), {"role": "editor"})

    assert response.status_code == 400
    assert "role" in response.json()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_the_owner_removes_a_member(project, owner, editor):
    membership = Membership.objects.get(project=project, user=editor)

    response = client_for(owner).delete(member_url(membership))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_deleting_the_last_owner_is_400_and_they_stay(project, owner):
    membership = Membership.objects.get(project=project, user=owner)

    response = client_for(owner).delete(member_url(membership))

    assert response.status_code == 400
    assert "last owner" in response.json()[0]
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER


def test_a_viewer_cannot_remove_members(project, owner, viewer):
    membership = Membership.objects.get(project=project, user=owner)

    assert client_for(viewer).delete(member_url(membership)).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_project_is_404_through_this_project(project, owner, outsider):
    foreign = Membership.objects.get(project__code="OTHER", user=outsider)

    response = client_for(owner).delete(member_url(foreign))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


# --- Schema ----------------------------------------------------------------------------------


def test_the_schema_documents_the_project_and_member_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/projects/" in schema["paths"]
    assert "/api/v1/projects/{project_code}/members/" in schema["paths"]


def test_the_api_accepts_a_lower_case_code_like_the_page_does(db):
    creator = UserFactory(username="creator")

    response = post(client_for(creator), PROJECTS, {"code": "retail-2027", "name": "Retail upgrade"})

    assert response.status_code == 201
    assert Project.objects.filter(code="RETAIL-2027").exists()
