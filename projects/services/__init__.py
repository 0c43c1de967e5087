"""Write operations on projects, their team and user preferences."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from projects.models import Membership, Profile, Project
from workbench.errors import BusinessRuleError
from workbench.locking import save_versioned


def apply_fields(instance: Any, fields: dict[str, Any]) -> None:
    """Set the given fields on an instance before it is validated and saved."""
    for name, value in fields.items():
        setattr(instance, name, value)


class ProjectError(BusinessRuleError):
    """A business rule refused the change; the message is shown to the user as it is."""


@transaction.atomic
def project_create(*, creator: AbstractBaseUser, code: str, name: str, **fields: Any) -> Project:
    """Create a project and make its creator the owner."""
    project = Project(code=code.upper(), name=name, **fields)
    project.full_clean()
    project._change_reason = gettext_noop("project created")
    project.save()
    membership = Membership(
        project=project, user=creator, role=Membership.Role.OWNER, department=Membership.Department.MANAGEMENT
    )
    membership._change_reason = gettext_noop("owner added at creation")
    membership.save()
    return project


def project_update(*, project: Project, expected_version: int, **fields: Any) -> Project:
    """Change project settings; raises StaleVersionError if someone saved in between."""
    apply_fields(project, fields)
    if "code" in fields:
        project.code = project.code.upper()
    project.full_clean()
    return save_versioned(project, expected_version=expected_version)


@transaction.atomic
def membership_add(
    *,
    project: Project,
    user: AbstractBaseUser,
    role: str,
    department: str,
    responsibility: str = "",
) -> Membership:
    """Add an existing user to the team; raises ProjectError if already a member."""
    if project.memberships.filter(user=user).exists():
        raise ProjectError(_("%(user)s is already a member of this project.") % {"user": user.get_username()})
    membership = Membership(project=project, user=user, role=role, department=department, responsibility=responsibility)
    membership.full_clean()
    membership._change_reason = gettext_noop("member added")
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, role: str, department: str, responsibility: str) -> Membership:
    """Change a member's role or department; raises ProjectError when it would leave no owner."""
    # Lock the team's owner rows so two owners demoting each other at once cannot both succeed.
    owners = list(
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER and owners == [membership.pk]:
        raise ProjectError(_("A project needs at least one owner: make someone else owner first."))
    membership.role = role
    membership.department = department
    membership.responsibility = responsibility
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member; raises ProjectError for the last owner."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    if membership.role == Membership.Role.OWNER and owners == [membership.pk]:
        raise ProjectError(_("The last owner cannot be removed: make someone else owner first."))
    membership._change_reason = gettext_noop("member removed")
    membership.delete()


def profile_set_language(*, user: AbstractBaseUser, language: str) -> Profile:
    """Remember the user's interface language."""
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.language != language:
        profile.language = language
        profile.full_clean()
        profile.save(update_fields=["language"])
    return profile
