"""FilterSets for the project's list pages."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Finding, Project, Step

SEVERITY_MINIMUM_CHOICES = [
    (5, _("5 only")),
    (4, _("4 and up")),
    (3, _("3 and up")),
    (2, _("2 and up")),
]
FINDING_SORTS = {
    "severity": ("-severity", "step__process__name", "step__order", "pk"),
    "process": ("step__process__kind", "step__process__name", "step__order", "-severity", "pk"),
    "newest": ("-created_at", "-pk"),
}
FINDING_SORT_CHOICES = [
    ("severity", _("Most severe first")),
    ("process", _("By process and step")),
    ("newest", _("Newest first")),
]


class FindingFilter(django_filters.FilterSet):
    """Findings of one project by kind, minimum severity, process, lane and words of the description; sorted."""

    q = django_filters.CharFilter(
        field_name="description",
        lookup_expr="icontains",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the description")}),
    )
    kind = django_filters.ChoiceFilter(choices=Finding.Kind.choices, label=_("Kind"), empty_label=_("All kinds"))
    severity = django_filters.ChoiceFilter(
        field_name="severity",
        lookup_expr="gte",
        choices=SEVERITY_MINIMUM_CHOICES,
        label=_("Severity"),
        empty_label=_("Any severity"),
    )
    process = django_filters.ModelChoiceFilter(
        field_name="step__process", queryset=None, label=_("Process"), empty_label=_("All processes")
    )
    lane = django_filters.ChoiceFilter(field_name="step__lane", label=_("Lane"), empty_label=_("All lanes"))
    sort = django_filters.ChoiceFilter(
        choices=FINDING_SORT_CHOICES, method="sort_by", label=_("Sort"), empty_label=None
    )

    class Meta:
        model = Finding
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self.filters["process"].queryset = project.processes.order_by("kind", "name", "pk")
        lanes = Step.objects.filter(process__project=project).order_by("lane").values_list("lane", flat=True).distinct()
        self.filters["lane"].extra["choices"] = [(lane, lane) for lane in dict.fromkeys(lanes)]

    def sort_by(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        return queryset.order_by(*FINDING_SORTS.get(value, FINDING_SORTS["severity"]))
