"""Go/no-go: criteria computed from live data, the signed decision, the readiness PDF.

Stubs that fix the URL map and the capabilities until the pages are built."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class GoNoGoView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class CriterionCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class StandardCriteriaView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class CriterionEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class CriterionDeleteView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class DecisionSignView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class ReadinessPdfView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")
