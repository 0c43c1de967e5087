"""A run's printable documents: the blank checklist (PDF), the executed run report (PDF) and the results (XLSX).

Each is rendered while the user waits, in the language of the request, and downloaded as an attachment
named `<CODE>-<run id>-checklist.pdf`, `…-report.pdf`, `…-results.xlsx`.
"""

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from testing import reports
from testing.models import TestRun
from testing.views.common import UATMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _RunDocument(UATMixin, View):
    required_capability = "view"

    def document_run(self) -> TestRun:
        run = self.run
        run.project = self.project  # already read by the access check
        return run

    def language(self) -> str:
        return getattr(self.request, "LANGUAGE_CODE", None) or translation.get_language() or "en"

    def download(self, data: bytes, name: str, content_type: str) -> FileResponse:
        # FileResponse writes an RFC 6266 Content-Disposition (filename*= when the name is not ASCII).
        return FileResponse(BytesIO(data), as_attachment=True, filename=name, content_type=content_type)


class ChecklistPdfView(_RunDocument):
    """The blank checklist to print for testers without a device; `?tester=<membership id>` prints theirs only."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.document_run()
        tester = None
        raw = request.GET.get("tester", "").strip()
        if raw:
            if raw.isdigit():
                tester = self.project.memberships.select_related("user").filter(pk=int(raw)).first()
            if tester is None:
                messages.error(request, _("There is no such member in this project; no checklist was printed."))
                return redirect("testing:run-detail", project_code=self.project.code, run_id=run.pk)
        with translation.override(self.language()):
            data = reports.checklist_pdf(reports.checklist_context(run=run, tester=tester))
        return self.download(data, reports.filename(run, "checklist.pdf"), "application/pdf")


class RunReportPdfView(_RunDocument):
    """The executed run: results per case and step, defects, evidence list and sign-offs."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.document_run()
        with translation.override(self.language()):
            data = reports.report_pdf(reports.report_context(run=run))
        return self.download(data, reports.filename(run, "report.pdf"), "application/pdf")


class RunResultsXlsxView(_RunDocument):
    """The run's results, steps and defects as a workbook."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.document_run()
        with translation.override(self.language()):
            data = reports.results_xlsx(run=run)
        return self.download(data, reports.filename(run, "results.xlsx"), XLSX)
