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


class BenefitsView(Stub):
    required_capability = "view"


class BenefitsPdfView(Stub):
    required_capability = "view"
