"""FilterSets of UAT: cases (the case list, and choosing the cases of a run) by role, flow, priority, the
layer and priority of the requirements they verify, and text."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from requirements.models import Requirement
from testing.models import UATCase


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    role = django_filters.ChoiceFilter(choices=UATCase.Role.choices, label=_("Role"), empty_label=_("Any role"))
    flow = django_filters.ChoiceFilter(choices=UATCase.Flow.choices, label=_("Flow"), empty_label=_("Any flow"))
    priority = django_filters.ChoiceFilter(
        choices=UATCase.Priority.choices, label=_("Priority"), empty_label=_("Any priority")
    )
    layer = django_filters.ChoiceFilter(
        choices=Requirement.Layer.choices,
        method="by_layer",
        label=_("Requirement layer"),
        empty_label=_("Any layer"),
    )
    requirement_priority = django_filters.ChoiceFilter(
        choices=Requirement.Priority.choices,
        method="by_requirement_priority",
        label=_("Requirement priority"),
        empty_label=_("Any requirement priority"),
    )

    class Meta:
        model = UATCase
        fields = ["q", "role", "flow", "priority", "layer", "requirement_priority"]

    def search(self, queryset: QuerySet[UATCase], name: str, value: str) -> QuerySet[UATCase]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(key__iexact=value) | Q(title__icontains=value) | Q(requirements__key__iexact=value)
        ).distinct()

    def by_layer(self, queryset: QuerySet[UATCase], name: str, value: str) -> QuerySet[UATCase]:
        return queryset.filter(requirements__layer=value).distinct()

    def by_requirement_priority(self, queryset: QuerySet[UATCase], name: str, value: str) -> QuerySet[UATCase]:
        return queryset.filter(requirements__priority=value).distinct()

    @property
    def qs(self) -> QuerySet[UATCase]:
        return super().qs.order_by("number")


def case_filter(data, project) -> CaseFilter:
    """The case filter over one project's cases; the search box gets a placeholder."""
    filterset = CaseFilter(data or None, queryset=UATCase.objects.filter(project=project))
    filterset.form.fields["q"].widget = forms.TextInput(attrs={"placeholder": _("Key, title or REQ key")})
    return filterset
