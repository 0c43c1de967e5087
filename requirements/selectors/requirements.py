"""Reads for requirements: the filtered list with counts and export, the detail page, versions and their comparison."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from projects.models import KPI, Finding, Membership, Project
from projects.selectors.goals import kpi_progress, kpis_with_latest
from requirements.filters import RequirementFilter
from requirements.models import Comment, Requirement, SuspectFlag, Transition
from requirements.suspects import annotate_suspect, open_flags_for
from requirements.verification import Proof, proofs_for
from workbench.history import word_diff

# The fields a person edits or decides, in the order pages show them.
COMPARED_FIELDS = [
    "title",
    "statement",
    "acceptance_criteria",
    "layer",
    "category",
    "priority",
    "status",
    "owner",
    "source",
    "parent",
]
TEXT_FIELDS = frozenset({"statement", "acceptance_criteria"})
EXPORT_FIELDS = [
    "key",
    "title",
    "layer",
    "category",
    "priority",
    "status",
    "owner__user__username",
    "owner__user__first_name",
    "owner__user__last_name",
    "source",
    "parent__key",
    "version",
    "updated_at",
    "statement",
    "acceptance_criteria",
]


# The list


def requirement_filterset(*, project: Project, data: Any) -> RequirementFilter:
    """The project's requirements filtered and sorted by `data` (the query string); `.qs` has no joins yet."""
    return RequirementFilter(data, queryset=project.requirements.order_by("number"), project=project)


def _link_count(model: Any) -> Coalesce:
    through = model.objects.filter(requirement=OuterRef("pk")).order_by().values("requirement")
    return Coalesce(Subquery(through.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField())


def requirement_rows(queryset: QuerySet[Requirement]) -> QuerySet[Requirement]:
    """Rows for the list: owner joined, `is_suspect`, and `goal_count`, `kpi_count`, `finding_count`.

    The counts are subqueries, not joins, so a filter on goals cannot skew them and the row count stays put.
    """
    return annotate_suspect(
        queryset.select_related("owner__user").annotate(
            goal_count=_link_count(Requirement.goals.through),
            kpi_count=_link_count(Requirement.kpis.through),
            finding_count=_link_count(Requirement.findings.through),
        )
    )


def requirement_counts(queryset: QuerySet[Requirement], field: str) -> dict[str, int]:
    """How many of `queryset` have each value of `field` (one aggregate query)."""
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def requirement_export(queryset: QuerySet[Requirement]) -> list[dict[str, Any]]:
    """The rows of a CSV export: plain values, in the list's order (one query)."""
    return list(queryset.values(*EXPORT_FIELDS))


# One requirement


def requirement_get(*, project: Project, key: str) -> Requirement:
    """The project's requirement with this key, owner and parent joined; Requirement.DoesNotExist otherwise."""
    return project.requirements.select_related("project", "owner__user", "parent").get(key=key)


@dataclass
class KPILink:
    kpi: KPI
    progress: Any


@dataclass
class RequirementPage:
    requirement: Requirement
    goals: list[Any]
    kpis: list[KPILink]
    findings: list[Finding]
    children: list[Requirement]
    flags: list[SuspectFlag]
    transitions: list[Transition]
    comments: list[Comment]
    proofs: list[Proof]


def requirement_page(*, project: Project, key: str, today: date) -> RequirementPage:
    """Everything the detail page shows about one requirement, in a fixed number of queries."""
    requirement = (
        project.requirements.select_related("project", "owner__user", "parent")
        .prefetch_related(
            Prefetch("goals", queryset=project.goals.select_related("owner__user").order_by("pk")),
            Prefetch("kpis", queryset=kpis_with_latest().order_by("goal_id", "pk")),
            Prefetch("findings", queryset=Finding.objects.select_related("step__process").order_by("-severity", "pk")),
            Prefetch("children", queryset=annotate_suspect(Requirement.objects.all()).order_by("number")),
            Prefetch("transitions", queryset=Transition.objects.select_related("by")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        .get(key=key)
    )
    return RequirementPage(
        requirement=requirement,
        goals=list(requirement.goals.all()),
        kpis=[KPILink(kpi, kpi_progress(kpi, today=today)) for kpi in requirement.kpis.all()],
        findings=list(requirement.findings.all()),
        children=list(requirement.children.all()),
        flags=list(open_flags_for(requirement)),
        transitions=list(requirement.transitions.all()),
        comments=list(requirement.comments.all()),
        proofs=proofs_for(requirement),
    )


def flags_caused(*, requirement: Requirement) -> int:
    """How many items are suspect now because of this version of `requirement`."""
    return SuspectFlag.objects.filter(
        upstream=requirement, upstream_version=requirement.version, cleared_at__isnull=True
    ).count()


def parent_choices(*, project: Project, requirement: Requirement | None) -> QuerySet[Requirement]:
    """Requirements that may become the parent: the project's, less the requirement itself and its descendants."""
    queryset = project.requirements.order_by("number")
    if requirement is None or requirement.pk is None:
        return queryset
    below: dict[int | None, list[int]] = {}
    for pk, parent_id in project.requirements.values_list("pk", "parent_id"):
        below.setdefault(parent_id, []).append(pk)
    excluded, todo = set(), [requirement.pk]
    while todo:
        pk = todo.pop()
        if pk not in excluded:
            excluded.add(pk)
            todo.extend(below.get(pk, []))
    return queryset.exclude(pk__in=excluded)


def member_choices(*, project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("user__last_name", "user__first_name", "user__username")


# Versions


def requirement_versions(*, requirement: Requirement) -> list[Any]:
    """Every historical record of the requirement, newest first, with who saved it."""
    return list(
        Requirement.history.filter(id=requirement.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def requirement_version(*, requirement: Requirement, version: int) -> Any:
    """The record of `requirement` as it was saved at `version` (the last one, if saved twice), or None."""
    return (
        Requirement.history.filter(id=requirement.pk, version=version)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


def latest_version(*, requirement: Requirement) -> Any:
    return (
        Requirement.history.filter(id=requirement.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


@dataclass
class FieldComparison:
    name: str
    label: str
    old: Any  # the stored value (a pk for owner and parent)
    new: Any
    old_display: str
    new_display: str
    diff: SafeString | None = None  # word diff of the long texts when they differ

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def is_text(self) -> bool:
        return self.name in TEXT_FIELDS


def _related_labels(records: list[Any]) -> dict[tuple[str, int], str]:
    """Labels of the owners and parents the records point at: one query per kind."""
    owners = {r.owner_id for r in records if r.owner_id}
    parents = {r.parent_id for r in records if r.parent_id}
    labels: dict[tuple[str, int], str] = {}
    for member in Membership.objects.filter(pk__in=owners).select_related("user") if owners else []:
        labels[("owner", member.pk)] = member.user.get_full_name() or member.user.get_username()
    for parent in Requirement.objects.filter(pk__in=parents) if parents else []:
        labels[("parent", parent.pk)] = str(parent)
    return labels


def _display(name: str, record: Any, labels: dict[tuple[str, int], str]) -> str:
    field = Requirement._meta.get_field(name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return ""
    if field.is_relation:
        return labels.get((name, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def compare_versions(old: Any, new: Any, *, only_changed: bool = False) -> list[FieldComparison]:
    """Field by field, two historical records (or a record and the requirement); word diffs for the long texts."""
    labels = _related_labels([old, new])
    rows = []
    for name in COMPARED_FIELDS:
        field = Requirement._meta.get_field(name)
        old_value, new_value = getattr(old, field.attname), getattr(new, field.attname)
        if only_changed and old_value == new_value:
            continue
        row = FieldComparison(
            name=name,
            label=str(field.verbose_name),
            old=old_value,
            new=new_value,
            old_display=_display(name, old, labels),
            new_display=_display(name, new, labels),
        )
        if row.is_text and row.changed:
            row.diff = word_diff(row.old_display, row.new_display)
        rows.append(row)
    return rows
