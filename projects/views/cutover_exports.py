"""The runbook's exports: Gantt chart and dependency view (SVG), calendar (ICS) and PDF.

Stubs that fix the URL map and the capabilities until the pages are built."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class RunbookGanttView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookDependenciesView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookIcsView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookPdfView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")
