"""FilterSets for the requirement pages."""

from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements.models import Requirement, SuspectFlag


def _rank(field: str, choices: Any) -> Case:
    """Sorts a choice field in the order of its choices (Must before Should), not alphabetically."""
    return Case(
        *[When(**{field: value}, then=Value(index)) for index, value in enumerate(choices.values)],
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )


# Column → the ORDER BY that sorts it ascending; the key always breaks ties.
SORT_COLUMNS: dict[str, Any] = {
    "key": lambda: ["number"],
    "title": lambda: ["title", "number"],
    "layer": lambda: [_rank("layer", Requirement.Layer), "number"],
    "priority": lambda: [_rank("priority", Requirement.Priority), "number"],
    "status": lambda: [_rank("status", Requirement.Status), "number"],
    # Without an owner first, on every database (PostgreSQL would put NULLs last).
    "owner": lambda: [
        *(F(f"owner__user__{name}").asc(nulls_first=True) for name in ("last_name", "first_name", "username")),
        "number",
    ],
    "updated": lambda: ["updated_at", "number"],
}
SORT_CHOICES = [(name, name) for name in SORT_COLUMNS] + [(f"-{name}", f"-{name}") for name in SORT_COLUMNS]
DEFAULT_SORT = "key"


def _reversed(expression: Any) -> Any:
    if isinstance(expression, OrderBy):
        flipped = expression.copy()
        flipped.reverse_ordering()  # also swaps NULLS FIRST for NULLS LAST
        return flipped
    return expression.desc() if hasattr(expression, "desc") else f"-{expression}"


def sort_expressions(sort: str) -> list[Any]:
    """ORDER BY for a sort value such as "priority" or "-updated" (descending); unknown values sort by key.

    Descending reverses the column but not the tie-breaker: equal rows stay in key order.
    """
    name = sort.removeprefix("-")
    expressions = SORT_COLUMNS.get(name, SORT_COLUMNS[DEFAULT_SORT])()
    if not sort.startswith("-") or name not in SORT_COLUMNS:
        return expressions
    *column, tie = expressions if name != "key" else [*expressions, None]
    reversed_column = [_reversed(e) for e in column]
    return reversed_column if tie is None else [*reversed_column, tie]


def _member_label(membership: Any) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


class RequirementFilter(django_filters.FilterSet):
    """A project's requirements by layer, priority, status, category, owner, goal, suspicion and text; sorted."""

    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Key, title or statement")}),
    )
    layer = django_filters.ChoiceFilter(
        choices=Requirement.Layer.choices, label=_("Layer"), empty_label=_("All layers")
    )
    priority = django_filters.ChoiceFilter(
        choices=Requirement.Priority.choices, label=_("Priority"), empty_label=_("Any priority")
    )
    status = django_filters.ChoiceFilter(
        choices=Requirement.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    category = django_filters.ChoiceFilter(
        choices=Requirement.Category.choices, label=_("Category"), empty_label=_("All categories")
    )
    owner = django_filters.ModelChoiceFilter(queryset=None, label=_("Owner"), empty_label=_("Anyone"))
    goal = django_filters.ModelChoiceFilter(
        field_name="goals", queryset=None, label=_("Linked goal"), empty_label=_("Any goal")
    )
    suspect = django_filters.BooleanFilter(method="suspect_only", label=_("Suspect only"), widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="sort_by", label=_("Sort"), empty_label=None)

    class Meta:
        model = Requirement
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        owner = self.filters["owner"]
        owner.queryset = project.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
        self.filters["goal"].queryset = project.goals.order_by("pk")
        self.form.fields["owner"].label_from_instance = _member_label

    def search(self, queryset: QuerySet[Requirement], name: str, value: str) -> QuerySet[Requirement]:
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(key__icontains=word) | Q(title__icontains=word) | Q(statement__icontains=word))
        return queryset

    def suspect_only(self, queryset: QuerySet[Requirement], name: str, value: bool) -> QuerySet[Requirement]:
        if not value:
            return queryset
        open_flag = SuspectFlag.objects.filter(
            content_type=ContentType.objects.get_for_model(Requirement),
            object_id=OuterRef("pk"),
            cleared_at__isnull=True,
        )
        return queryset.filter(Exists(open_flag))

    def sort_by(self, queryset: QuerySet[Requirement], name: str, value: str) -> QuerySet[Requirement]:
        return queryset.order_by(*sort_expressions(value))
