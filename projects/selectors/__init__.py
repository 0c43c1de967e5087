"""Reads for project pages and the API, with their joins applied."""

from collections import Counter
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Count, OuterRef, QuerySet, Subquery, Value, When

from projects.models import Membership, Project


def project_list(*, user: AbstractBaseUser) -> QuerySet[Project]:
    """Projects the user belongs to, each annotated with `member_count` and the user's `my_role`."""
    my_role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Project.objects.for_user(user)
        .annotate(member_count=Count("memberships", distinct=True), my_role=Subquery(my_role))
        .order_by("code")
    )


def team_list(*, project: Project) -> QuerySet[Membership]:
    """The project's members with their users, in the usual department order, then by name."""
    department_order = Case(
        *(When(department=value, then=Value(i)) for i, value in enumerate(Membership.Department.values)),
        default=Value(len(Membership.Department.values)),
    )
    return project.memberships.select_related("user").order_by(
        department_order, "user__last_name", "user__first_name", "user__username"
    )


def team_by_department(*, project: Project) -> list[tuple[str, int]]:
    """(department label, head count) for every department that has someone, in the usual order."""
    counts = Counter(project.memberships.values_list("department", flat=True))
    return [(label, counts[value]) for value, label in Membership.Department.choices if counts[value]]


def days_to_go_live(*, project: Project, today: date) -> int | None:
    """Calendar days from today to the target go-live (negative once it has passed)."""
    if project.target_go_live is None:
        return None
    return (project.target_go_live - today).days


def project_history_querysets(*, project: Project) -> list[QuerySet]:
    """Historical records of the project and its team, for workbench.history.history_entries."""
    return [
        Project.history.filter(id=project.pk),
        Membership.history.filter(project_id=project.pk),
    ]
