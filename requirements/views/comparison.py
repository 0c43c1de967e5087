"""The vendor comparison: the ranking with scores, coverage and TCO, the charts and the sensitivity; the PDF report."""

from io import BytesIO
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from requirements.comparison import build_comparison, group_chart, tco_chart
from requirements.vendor_report import report_context, report_filename, report_pdf, sensitivity_rows
from workbench.access import ProjectAccessMixin


class ComparisonView(ProjectAccessMixin, TemplateView):
    """Everything the team needs to choose: one read of the comparison, whatever the number of offers."""

    template_name = "requirements/selection/comparison.html"
    section = "vendors"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        comparison = build_comparison(self.project)
        rows = comparison.rows
        ranked = [row for row in rows if row.rank is not None]
        context.update(
            comparison=comparison,
            selection=comparison.selection,
            # The group scores in the order of the table's columns: a template cannot look a dict up by key.
            table_rows=[
                (row, [row.score.groups.get(group.value) for group in comparison.groups])
                for row in rows
                if not row.excluded
            ],
            excluded=[row for row in rows if row.excluded],
            ranked_count=len(ranked),
            sensitivity=sensitivity_rows(comparison),
            group_chart=group_chart(comparison) if ranked and comparison.groups else "",
            tco_chart=tco_chart(comparison) if rows else "",
            discount_percent=(
                None if comparison.selection.discount_rate is None else comparison.selection.discount_rate * 100
            ),
            crumbs=[(_("Comparison"), None)],
        )
        return context


class ComparisonReportView(ProjectAccessMixin, View):
    """The comparison as a PDF download in the user's language; a few pages, so rendered while they wait."""

    section = "vendors"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(getattr(request, "LANGUAGE_CODE", None) or translation.get_language()):
            data = report_pdf(report_context(project=self.project))
        return FileResponse(
            BytesIO(data),
            as_attachment=True,
            filename=report_filename(project_code=self.project.code),
            content_type="application/pdf",
        )
