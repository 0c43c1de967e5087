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
