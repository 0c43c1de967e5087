"""Shared fixtures: a project with one member per role, and an outsider who belongs to another project."""

import os

import pytest
from django.test import Client

from projects.models import Membership
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; live_server needs the ORM there too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = ["owner", "editor", "tester", "viewer", "vendor"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files (UAT evidence) go to a throw-away folder, never into data/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


# The smallest valid PNG (1×1 pixel), for evidence uploads.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005"
    "0001ff5fa9a4f50000000049454e44ae426082"
)


@pytest.fixture
def project(db):
    return ProjectFactory(code="ACME", name="ACME inventory upgrade")


def _member(project, role: str, department: str = Membership.Department.MANAGEMENT) -> Membership:
    user = UserFactory(username=role)
    return MembershipFactory(project=project, user=user, role=role, department=department)


@pytest.fixture
def owner(project):
    return _member(project, "owner").user


@pytest.fixture
def editor(project):
    return _member(project, "editor", Membership.Department.IT).user


@pytest.fixture
def tester(project):
    return _member(project, "tester", Membership.Department.WAREHOUSE).user


@pytest.fixture
def viewer(project):
    return _member(project, "viewer", Membership.Department.FINANCE).user


@pytest.fixture
def vendor(project):
    return _member(project, "vendor", Membership.Department.VENDOR).user


@pytest.fixture
def outsider(db):
    """A signed-in user who is a member of a different project only."""
    other = ProjectFactory(code="OTHER", name="Someone else's upgrade")
    user = UserFactory(username="outsider")
    MembershipFactory(project=other, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def team(owner, editor, tester, viewer, vendor):
    return {"owner": owner, "editor": editor, "tester": tester, "viewer": viewer, "vendor": vendor}


DEPARTMENTS = {
    "owner": Membership.Department.MANAGEMENT,
    "editor": Membership.Department.IT,
    "tester": Membership.Department.WAREHOUSE,
    "viewer": Membership.Department.FINANCE,
    "vendor": Membership.Department.VENDOR,
}


def build_team(project) -> dict:
    """The same members as the `team` fixture, for fixtures of a wider scope: {role: user}."""
    return {role: _member(project, role, department).user for role, department in DEPARTMENTS.items()}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner):
    return client_for(owner)


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)
