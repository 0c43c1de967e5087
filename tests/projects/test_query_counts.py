"""List pages cost the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Membership
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_team(project, n: int) -> None:
    for _ in range(n):
        MembershipFactory(project=project, role=Membership.Role.EDITOR, department=Membership.Department.SALES)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [
        ("/p/ACME/", 6),
        ("/p/ACME/team/", 5),
        ("/p/ACME/history/", 7),
        ("/api/v1/projects/ACME/members/", 5),
    ],
)
def test_project_pages_do_not_query_per_member(project, owner, url, pinned):
    client = client_for(owner)
    grow_team(project, 2)
    small = queries_for(client, url)
    grow_team(project, 10)
    assert queries_for(client, url) == small == pinned


def test_project_list_does_not_query_per_project(owner):
    client = client_for(owner)
    for _ in range(2):
        MembershipFactory(project=ProjectFactory(), user=owner, role=Membership.Role.EDITOR)
    small = queries_for(client, "/")
    for _ in range(10):
        MembershipFactory(project=ProjectFactory(), user=owner, role=Membership.Role.VIEWER)
        MembershipFactory(user=UserFactory())
    assert queries_for(client, "/") == small == 4
