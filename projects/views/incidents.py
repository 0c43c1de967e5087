"""STUB: replaced by the SLA pages (#11)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class Stub(ProjectAccessMixin, View):
    section = "sla"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    def post(self, request, *args, **kwargs):
        return HttpResponse("not built yet")


class IncidentListView(Stub):
    required_capability = "view"


class IncidentCreateView(Stub):
    required_capability = "execute"


class IncidentImportView(Stub):
    required_capability = "edit"


class IncidentCsvView(Stub):
    required_capability = "view"


class IncidentDetailView(Stub):
    required_capability = "view"


class IncidentEditView(Stub):
    required_capability = "edit"


class IncidentMoveView(Stub):
    required_capability = "edit"
