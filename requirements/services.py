"""Write operations on requirements: keys, edits, the review workflow, comments, baselines, catalogue pulls."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from projects.models import KPI, Finding, Goal, Membership, Project
from requirements import suspects
from requirements.catalogue import BY_KEY as CATALOGUE
from requirements.models import (
    Baseline,
    BaselineItem,
    Comment,
    Requirement,
    RequirementSequence,
    Transition,
    format_key,
)
from requirements.workflow import AGREED, can_move
from workbench.errors import BusinessRuleError
from workbench.locking import save_versioned
from workbench.sequences import next_number

MEANING_FIELDS = ("title", "statement", "acceptance_criteria")


class RequirementError(BusinessRuleError):
    """A business rule refused the change; the message is shown to the user as it is."""


def _check_links(project: Project, goals: Iterable[Goal], kpis: Iterable[KPI], findings: Iterable[Finding]) -> None:
    if any(g.project_id != project.pk for g in goals):
        raise RequirementError(_("Only goals of this project can be linked."))
    if any(k.goal.project_id != project.pk for k in kpis):
        raise RequirementError(_("Only KPIs of this project can be linked."))
    if any(f.step.process.project_id != project.pk for f in findings):
        raise RequirementError(_("Only findings of this project can be linked."))


@transaction.atomic
def requirement_create(
    *,
    project: Project,
    goals: Iterable[Goal] = (),
    kpis: Iterable[KPI] = (),
    findings: Iterable[Finding] = (),
    catalogue_key: str = "",
    **fields: Any,
) -> Requirement:
    """Create a draft requirement with the next key (REQ-001, REQ-002 … without gaps)."""
    goals, kpis, findings = list(goals), list(kpis), list(findings)
    _check_links(project, goals, kpis, findings)
    requirement = Requirement(project=project, catalogue_key=catalogue_key, **fields)
    requirement.full_clean(exclude=["number", "key"])
    requirement.number = next_number(RequirementSequence, project)
    requirement.key = format_key(requirement.number)
    requirement._change_reason = gettext_noop("requirement created")
    requirement.save()
    requirement.goals.set(goals)
    requirement.kpis.set(kpis)
    requirement.findings.set(findings)
    return requirement


@transaction.atomic
def requirement_update(
    *,
    requirement: Requirement,
    expected_version: int,
    user: AbstractBaseUser,
    goals: Iterable[Goal] | None = None,
    kpis: Iterable[KPI] | None = None,
    findings: Iterable[Finding] | None = None,
    **fields: Any,
) -> Requirement:
    """Change a requirement; raises StaleVersionError if someone saved in between.

    A change of meaning (title, statement, acceptance criteria) flags everything downstream as
    suspect, and sends an agreed requirement (approved, implemented, verified) back to review.
    """
    project = requirement.project
    for name in ("status", "key", "number", "project"):
        fields.pop(name, None)
    stored = Requirement.objects.get(pk=requirement.pk)
    meaning_changed = [name for name in MEANING_FIELDS if name in fields and fields[name] != getattr(stored, name)]
    for name, value in fields.items():
        setattr(requirement, name, value)
    if goals is not None or kpis is not None or findings is not None:
        _check_links(project, goals or [], kpis or [], findings or [])
    requirement.full_clean()
    requirement._history_user = user  # also when called outside a request (imports, the demo)
    requirement._change_reason = None  # not the reason of an earlier save of the same instance
    reopened = meaning_changed and requirement.status in AGREED
    if reopened:
        old_status = requirement.status
        requirement.status = Requirement.Status.IN_REVIEW
    save_versioned(requirement, expected_version=expected_version)
    if reopened:
        Transition.objects.create(
            requirement=requirement,
            from_status=old_status,
            to_status=requirement.status,
            by=user,
            comment=_("Changed after agreement: back to review."),
        )
    if goals is not None:
        requirement.goals.set(goals)
    if kpis is not None:
        requirement.kpis.set(kpis)
    if findings is not None:
        requirement.findings.set(findings)
    if meaning_changed:
        labels = ", ".join(str(Requirement._meta.get_field(name).verbose_name) for name in meaning_changed)
        suspects.flag_downstream(
            requirement=requirement,
            reason=_("%(key)s changed: %(fields)s") % {"key": requirement.key, "fields": labels},
        )
    return requirement


@transaction.atomic
def requirement_delete(*, requirement: Requirement) -> None:
    """Delete a draft that nothing depends on; anything else is rejected or deferred instead."""
    if requirement.status != Requirement.Status.DRAFT:
        raise RequirementError(_("Only drafts can be deleted. Reject or defer this requirement instead."))
    if requirement.children.exists():
        raise RequirementError(_("This requirement has children: move or delete them first."))
    if requirement.baseline_items.exists():
        raise RequirementError(_("This requirement is part of a signed baseline and cannot be deleted."))
    requirement.delete()


@transaction.atomic
def requirement_transition(
    *, requirement: Requirement, to_status: str, membership: Membership, comment: str = ""
) -> Transition:
    """Move a requirement along the workflow; raises RequirementError for a move that is not allowed."""
    locked = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if not can_move(locked.status, to_status, membership):
        raise RequirementError(
            _("%(key)s cannot go from “%(from)s” to “%(to)s” with your role.")
            % {
                "key": locked.key,
                "from": Requirement.Status(locked.status).label,
                "to": Requirement.Status(to_status).label if to_status in Requirement.Status.values else to_status,
            }
        )
    transition = Transition.objects.create(
        requirement=locked, from_status=locked.status, to_status=to_status, by=membership.user, comment=comment
    )
    locked.status = to_status
    locked.version += 1
    locked._history_user = membership.user
    locked._change_reason = gettext_noop("status changed")
    locked.save()
    requirement.status, requirement.version = locked.status, locked.version
    return transition


@dataclass
class BulkResult:
    changed: list[Requirement] = field(default_factory=list)
    refused: list[tuple[Requirement, str]] = field(default_factory=list)


def requirements_bulk_update(
    *,
    requirements: Iterable[Requirement],
    membership: Membership,
    status: str = "",
    priority: str = "",
    owner: Membership | None = None,
) -> BulkResult:
    """Apply one status, priority or owner to many requirements. Each row stands alone: a row the workflow
    refuses is reported and left as it was, the others change."""
    result = BulkResult()
    if owner is not None and owner.project_id != membership.project_id:
        raise RequirementError(_("The owner must be a member of this project."))
    if priority and priority not in Requirement.Priority.values:
        raise RequirementError(_("Unknown priority."))
    for requirement in requirements:
        try:
            with transaction.atomic():
                if status and status != requirement.status:
                    requirement_transition(requirement=requirement, to_status=status, membership=membership)
                simple = {}
                if priority and priority != requirement.priority:
                    simple["priority"] = priority
                if owner is not None and owner.pk != requirement.owner_id:
                    simple["owner"] = owner
                if simple:
                    if not membership.can("edit"):
                        raise RequirementError(_("Your role cannot change requirements."))
                    for name, value in simple.items():
                        setattr(requirement, name, value)
                    save_versioned(requirement, expected_version=requirement.version)
        except RequirementError as exc:
            result.refused.append((requirement, str(exc)))
        else:
            result.changed.append(requirement)
    return result


def comment_add(*, requirement: Requirement, author: AbstractBaseUser, body: str) -> Comment:
    comment = Comment(requirement=requirement, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


# Baselines


@transaction.atomic
def baseline_sign(
    *, project: Project, membership: Membership, name: str, password: str, description: str = ""
) -> Baseline:
    """Freeze the project's agreed requirements as a named baseline, signed by re-entering the password."""
    if not membership.can("manage"):
        raise RequirementError(_("Only a project owner can sign a baseline."))
    if not membership.user.check_password(password):
        raise RequirementError(_("The password is not correct. The baseline was not signed."))
    name = name.strip()
    if not name:
        raise RequirementError(_("Give the baseline a name."))
    if project.baselines.filter(name=name).exists():
        raise RequirementError(_("A baseline called “%(name)s” exists already.") % {"name": name})
    agreed = list(project.requirements.filter(status__in=AGREED).order_by("number"))
    if not agreed:
        raise RequirementError(_("There is no approved requirement to freeze yet."))
    latest_history: dict[int, int] = {}
    for history_id, requirement_id in (
        Requirement.history.filter(id__in=[r.pk for r in agreed])
        .order_by("history_date", "history_id")
        .values_list("history_id", "id")
    ):
        latest_history[requirement_id] = history_id
    baseline = Baseline.objects.create(
        project=project,
        name=name,
        description=description,
        signed_by=membership.user,
        requirement_count=len(agreed),
    )
    BaselineItem.objects.bulk_create(
        BaselineItem(
            baseline=baseline,
            requirement=r,
            history_id=latest_history.get(r.pk, 0),
            **{name: getattr(r, name) for name in BaselineItem.SNAPSHOT_FIELDS},
        )
        for r in agreed
    )
    return baseline


# Catalogue


@transaction.atomic
def catalogue_pull(*, project: Project, keys: Iterable[str]) -> list[Requirement]:
    """Copy catalogue entries into the project, in the active language, as ordinary draft requirements."""
    created = []
    for key in keys:
        entry = CATALOGUE.get(key)
        if entry is None:
            raise RequirementError(_("There is no catalogue entry called “%(key)s”.") % {"key": key})
        created.append(
            requirement_create(
                project=project,
                catalogue_key=entry.key,
                title=str(entry.title),
                statement=str(entry.statement),
                acceptance_criteria=str(entry.acceptance_criteria),
                layer=entry.layer,
                category=entry.category,
                priority=entry.priority,
                source=_("Requirement catalogue"),
            )
        )
    return created
