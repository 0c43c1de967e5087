"""Reads for signed baselines: the list, the frozen items, today's agreed requirements and the comparison."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString

from projects.models import Project
from requirements.models import Baseline, BaselineItem, Requirement
from requirements.workflow import AGREED
from workbench.history import word_diff

COMPARE_STATUSES = ["added", "removed", "changed", "unchanged"]
COMPARED_FIELDS = ["title", "statement", "acceptance_criteria", "layer", "category", "priority", "status", "version"]
WORD_DIFF_FIELDS = frozenset({"statement", "acceptance_criteria"})


@dataclass
class FieldChange:
    name: str
    label: str
    old: Any
    new: Any
    old_display: str
    new_display: str
    diff: SafeString | None = None  # word diff for the long texts


@dataclass
class ItemComparison:
    status: str  # one of COMPARE_STATUSES
    a: BaselineItem | None
    b: BaselineItem | None
    changes: list[FieldChange] = field(default_factory=list)
    now: str = ""  # for a removed row, the requirement's status label today (see `removed_now`)

    @property
    def item(self) -> BaselineItem:
        """The newer side when there is one: what the row is called now."""
        return self.b or self.a  # type: ignore[return-value]

    @property
    def changed(self) -> list[str]:
        return [change.label for change in self.changes]


def baseline_list(*, project: Project) -> QuerySet[Baseline]:
    """The project's baselines, newest first, with who signed them."""
    return project.baselines.select_related("signed_by").order_by("-signed_at", "-pk")


def baseline_items(*, baseline: Baseline) -> QuerySet[BaselineItem]:
    """The frozen items of a baseline in key order (REQ-2 before REQ-10)."""
    return baseline.items.order_by("requirement__number", "pk")


def agreed_today(*, project: Project, against: Baseline | None = None) -> list[BaselineItem]:
    """The project's agreed requirements as they stand now, as unsaved BaselineItems (the shape a baseline keeps).

    With `against`, the requirements of that baseline are included whatever their status now, so that one
    sent back to review or rejected since shows as changed (with its new status), not as removed.
    """
    wanted = Q(status__in=AGREED)
    if against is not None:
        wanted |= Q(pk__in=against.items.values("requirement_id"))
    requirements = project.requirements.filter(wanted).order_by("number")
    return [
        BaselineItem(requirement=r, history_id=0, **{name: getattr(r, name) for name in BaselineItem.SNAPSHOT_FIELDS})
        for r in requirements
    ]


def agreed_counts(*, project: Project) -> list[tuple[str, str, int]]:
    """(status, label, count) for each agreed status: what signing a baseline now would freeze."""
    counts = dict(
        project.requirements.filter(status__in=AGREED).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [(value, label, counts.get(value, 0)) for value, label in Requirement.Status.choices if value in AGREED]


def removed_now(*, project: Project, rows: list[ItemComparison]) -> None:
    """Fill `now` on the removed rows with the requirement's current status (back in review, deferred…)."""
    removed = [row for row in rows if row.status == "removed"]
    if not removed:
        return
    labels = dict(Requirement.Status.choices)
    statuses = dict(
        project.requirements.filter(pk__in=[row.a.requirement_id for row in removed]).values_list("pk", "status")
    )
    for row in removed:
        status = statuses.get(row.item.requirement_id)
        row.now = str(labels.get(status, status)) if status else ""


def _display(name: str, value: Any) -> str:
    choices = BaselineItem._meta.get_field(name).flatchoices
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _natural(key: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def _changes(a: BaselineItem, b: BaselineItem) -> list[FieldChange]:
    changes = []
    for name in COMPARED_FIELDS:
        old, new = getattr(a, name), getattr(b, name)
        if old == new:
            continue
        changes.append(
            FieldChange(
                name=name,
                label=str(BaselineItem._meta.get_field(name).verbose_name),
                old=old,
                new=new,
                old_display=_display(name, old),
                new_display=_display(name, new),
                diff=word_diff(old, new) if name in WORD_DIFF_FIELDS else None,
            )
        )
    return changes


def baseline_compare(*, a_items: Iterable[BaselineItem], b_items: Iterable[BaselineItem]) -> list[ItemComparison]:
    """Requirement by requirement, what changed from A to B, in key order.

    Items are paired by requirement: only in B is "added", only in A "removed"; otherwise "changed"
    (with the fields that differ, and word diffs of statement and criteria) or "unchanged".
    """
    old = {item.requirement_id: item for item in a_items}
    new = {item.requirement_id: item for item in b_items}
    rows = []
    for requirement_id in old.keys() | new.keys():
        a, b = old.get(requirement_id), new.get(requirement_id)
        if a is None:
            rows.append(ItemComparison("added", None, b))
        elif b is None:
            rows.append(ItemComparison("removed", a, None))
        else:
            changes = _changes(a, b)
            rows.append(ItemComparison("changed" if changes else "unchanged", a, b, changes))
    rows.sort(key=lambda row: (_natural(row.item.key), row.item.requirement_id))
    return rows
