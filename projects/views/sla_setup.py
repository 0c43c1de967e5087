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


class ServiceLevelListView(Stub):
    required_capability = "view"


class ServiceLevelCreateView(Stub):
    required_capability = "edit"


class ServiceLevelEditView(Stub):
    required_capability = "edit"


class ServiceLevelDeleteView(Stub):
    required_capability = "edit"


class CalendarListView(Stub):
    required_capability = "view"


class CalendarCreateView(Stub):
    required_capability = "edit"


class CalendarDetailView(Stub):
    required_capability = "view"


class CalendarEditView(Stub):
    required_capability = "edit"


class CalendarDeleteView(Stub):
    required_capability = "edit"


class CalendarDayCreateView(Stub):
    required_capability = "edit"


class CalendarDayDeleteView(Stub):
    required_capability = "edit"
