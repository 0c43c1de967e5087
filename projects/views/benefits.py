"""Benefits: the goals' KPIs after go-live against baseline and target, as a page and as an A4 PDF.

The figures come from `projects.benefits`, so that the page and the PDF agree.
"""

from io import BytesIO
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from projects import benefits
from workbench.access import ProjectAccessMixin

Crumbs = list[tuple[str, str | None]]


class BenefitsMixin(ProjectAccessMixin):
    section = "sla"

    def crumbs(self) -> Crumbs:
        return [
            (_("SLA"), reverse("projects:incident-list", kwargs={"project_code": self.project.code})),
            (_("Benefits"), None),
        ]


class BenefitsView(BenefitsMixin, TemplateView):
    """Every goal with its KPIs at go-live and now, the change since go-live, the state and the trend."""

    template_name = "projects/sla/benefits.html"
    required_capability = "view"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["benefits"] = benefits.benefits(project=self.project, today=timezone.localdate())
        return context


class BenefitsPdfView(BenefitsMixin, View):
    """The benefits report: the overall summary, then per goal the KPI table and the KPI charts."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "en"
        with translation.override(language):
            data = benefits.benefits_pdf(benefits.benefits_context(project=self.project))
        return FileResponse(
            BytesIO(data), as_attachment=True, filename=benefits.filename(self.project), content_type="application/pdf"
        )
