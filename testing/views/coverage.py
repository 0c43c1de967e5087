"""Coverage: requirements × the latest results of the cases verifying them (see testing/coverage.py), filterable
by layer, priority and verdict; must-have requirements without a passing case stand out."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from requirements.models import Requirement
from testing.coverage import VERDICTS, coverage_rows, coverage_summary
from testing.views.common import Crumbs, UATMixin

PAGE_SIZE = 50


class CoverageFilterForm(forms.Form):
    layer = forms.ChoiceField(
        label=gettext_lazy("Layer"),
        required=False,
        choices=[("", gettext_lazy("All layers")), *Requirement.Layer.choices],
    )
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"),
        required=False,
        choices=[("", gettext_lazy("Any priority")), *Requirement.Priority.choices],
    )
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"), required=False, choices=[("", gettext_lazy("Any verdict")), *VERDICTS]
    )
    must_gap = forms.BooleanField(label=gettext_lazy("Must-haves without a pass"), required=False)


class CoverageView(UATMixin, TemplateView):
    template_name = "testing/coverage.html"
    required_capability = "view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = CoverageFilterForm(self.request.GET or None)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        rows = coverage_rows(self.project, layer=data.get("layer") or "", priority=data.get("priority") or "")
        summary = coverage_summary(rows)
        shown = rows
        if data.get("verdict"):
            shown = [row for row in shown if row.verdict == data["verdict"]]
        if data.get("must_gap"):
            shown = [row for row in shown if row.must_without_pass]
        code = self.project.code
        crumbs: Crumbs = [(_("Coverage"), None)]
        context.update(
            {
                "crumbs": crumbs,
                "tab": "coverage",
                "form": form,
                "filtered": any(data.get(name) for name in ("layer", "priority", "verdict", "must_gap")),
                "current_verdict": data.get("verdict") or "",
                "must_gap": bool(data.get("must_gap")),
                "requirement_total": len(rows),
                "shown_total": len(shown),
                "verdict_counts": [(value, label, summary.counts[value]) for value, label in VERDICTS],
                "must_without_pass": summary.must_without_pass,
                "page_obj": Paginator(shown, PAGE_SIZE).get_page(self.request.GET.get("page")),
                "layer_choices": list(form.fields["layer"].choices),
                "priority_choices": list(form.fields["priority"].choices),
                "has_requirements": bool(rows) or Requirement.objects.filter(project=self.project).exists(),
                "requirement_prefix": reverse("requirements:requirement-list", kwargs={"project_code": code}),
                "case_list_url": reverse("testing:case-list", kwargs={"project_code": code}),
            }
        )
        return context
