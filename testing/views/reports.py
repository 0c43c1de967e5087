"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "uat"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class ChecklistPdfView(_NotBuilt):
    required_capability = "view"


class RunReportPdfView(_NotBuilt):
    required_capability = "view"


class RunResultsXlsxView(_NotBuilt):
    required_capability = "view"
