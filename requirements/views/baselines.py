"""Signed baselines: the list, signing with the owner's password, the frozen detail and the comparison.

A baseline never changes once signed, so there is no edit or delete page.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.generic import FormView, TemplateView

from projects.models import Project
from requirements import services
from requirements.models import Baseline, BaselineItem
from requirements.selectors import baselines as selectors
from requirements.services import RequirementError
from workbench.access import ProjectAccessMixin

TODAY = "today"

Crumbs = list[tuple[str, str | None]]


# Forms


class BaselineSignForm(forms.Form):
    """Name, description and the signer's password; the name and password are checked here so the
    error shows next to the field. The service checks both again."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=120,
        help_text=gettext_lazy("For example “Freeze for the vendor tender” or “Scope before UAT”."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What this baseline is the basis for: a tender, a contract, the start of testing."),
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Re-enter your password to sign. Your name and the time are recorded with it."),
    )

    def __init__(self, *args: Any, baselines: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.baselines = baselines
        self.user = user

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.baselines.filter(name=name).exists():
            raise forms.ValidationError(_("A baseline called “%(name)s” exists already.") % {"name": name})
        return name

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct. The baseline was not signed."))
        return password


class BaselineCompareForm(forms.Form):
    """Picks the two sides of a comparison: any baseline as A, another baseline or today as B."""

    a = forms.ChoiceField(label=gettext_lazy("From"), widget=forms.Select(attrs={"class": "form-select"}))
    b = forms.ChoiceField(label=gettext_lazy("To"), widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args: Any, baselines: list[Baseline], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(b.pk), _baseline_label(b)) for b in baselines]
        self.fields["a"].choices = choices
        self.fields["b"].choices = [(TODAY, _("Today: the agreed requirements now")), *choices]


def _baseline_label(baseline: Baseline) -> str:
    when = formats.date_format(timezone.localtime(baseline.signed_at), "SHORT_DATE_FORMAT")
    return f"{baseline.name} ({when})"


# Views


class BaselinesMixin(ProjectAccessMixin):
    section = "requirements"

    def list_url(self) -> str:
        return reverse("requirements:baseline-list", kwargs={"project_code": self.project.code})

    def crumbs(self) -> Crumbs:
        """(label, url) after the project in the breadcrumbs; the last one is the current page."""
        requirements = reverse("requirements:requirement-list", kwargs={"project_code": self.project.code})
        return [(_("Requirements"), requirements), (_("Baselines"), self.list_url())]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


class BaselineListView(BaselinesMixin, TemplateView):
    template_name = "requirements/baseline_list.html"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs()[:-1], (_("Baselines"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        baselines = list(selectors.baseline_list(project=self.project))
        context["baselines"] = baselines
        if baselines:
            initial = {"a": str(baselines[0].pk), "b": TODAY}
            context["compare_form"] = BaselineCompareForm(baselines=baselines, initial=initial)
        return context


class BaselineCreateView(BaselinesMixin, FormView):
    template_name = "requirements/baseline_form.html"
    form_class = BaselineSignForm
    required_capability = "manage"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Sign a new baseline"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["baselines"] = self.project.baselines.all()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = selectors.agreed_counts(project=self.project)
        context["agreed_counts"] = counts
        context["agreed_total"] = sum(count for _status, _label, count in counts)
        return context

    def form_valid(self, form: BaselineSignForm) -> HttpResponse:
        try:
            baseline = services.baseline_sign(
                project=self.project,
                membership=self.membership,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"],
                description=form.cleaned_data["description"],
            )
        except RequirementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "Baseline “%(name)s” signed: %(count)s requirement is frozen as it stands now.",
                "Baseline “%(name)s” signed: %(count)s requirements are frozen as they stand now.",
                baseline.requirement_count,
            )
            % {"name": baseline.name, "count": baseline.requirement_count},
        )
        return HttpResponseRedirect(
            reverse(
                "requirements:baseline-detail",
                kwargs={"project_code": self.project.code, "baseline_id": baseline.pk},
            )
        )


class BaselineDetailView(BaselinesMixin, TemplateView):
    template_name = "requirements/baseline_detail.html"

    @cached_property
    def baseline(self) -> Baseline:
        return get_object_or_404(selectors.baseline_list(project=self.project), pk=self.kwargs["baseline_id"])

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.baseline.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["baseline"] = self.baseline
        context["items"] = list(selectors.baseline_items(baseline=self.baseline))
        return context


@dataclass
class Side:
    """One side of a comparison: a baseline, or today's agreed requirements (baseline None)."""

    value: str  # the baseline's id or "today"
    baseline: Baseline | None

    def items(self, project: Project, other: "Side | None" = None) -> list[BaselineItem]:
        if self.baseline is None:
            return selectors.agreed_today(project=project, against=other.baseline if other else None)
        return list(selectors.baseline_items(baseline=self.baseline))


class BaselineCompareView(BaselinesMixin, TemplateView):
    """Two baselines, or a baseline and today, requirement by requirement: ?a=<id>&b=<id>|today."""

    template_name = "requirements/baseline_compare.html"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Compare"), None)]

    def side(self, value: str, baselines: list[Baseline], *, today: bool) -> Side:
        """The side named by `value`; 404 for anything but a baseline of this project (or "today" if allowed)."""
        if today and value == TODAY:
            return Side(TODAY, None)
        for baseline in baselines:
            if str(baseline.pk) == value:
                return Side(value, baseline)
        raise Http404

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        baselines = list(selectors.baseline_list(project=self.project))
        context["baselines"] = baselines
        a_value = self.request.GET.get("a", "").strip()
        b_value = self.request.GET.get("b", "").strip() or TODAY
        if not a_value:
            initial = {"a": str(baselines[0].pk), "b": TODAY} if baselines else {}
            context["compare_form"] = BaselineCompareForm(baselines=baselines, initial=initial)
            return context
        a, b = self.side(a_value, baselines, today=False), self.side(b_value, baselines, today=True)
        context["compare_form"] = BaselineCompareForm(baselines=baselines, initial={"a": a.value, "b": b.value})
        context["a"], context["b"] = a, b
        if a.value == b.value:
            context["same"] = True
            return context
        rows = selectors.baseline_compare(a_items=a.items(self.project), b_items=b.items(self.project, other=a))
        selectors.removed_now(project=self.project, rows=rows)
        counts = Counter(row.status for row in rows)
        labels = {
            "added": pgettext("requirement comparison", "added"),
            "removed": pgettext("requirement comparison", "removed"),
            "changed": pgettext("requirement comparison", "changed"),
            "unchanged": pgettext("requirement comparison", "unchanged"),
        }
        context["status_labels"] = labels
        context["counts"] = [(status, labels[status], counts.get(status, 0)) for status in selectors.COMPARE_STATUSES]
        context["changed_rows"] = [row for row in rows if row.status != "unchanged"]
        context["unchanged_rows"] = [row for row in rows if row.status == "unchanged"]
        context["swap_query"] = f"a={b.value}&b={a.value}" if b.baseline else ""
        return context
