"""The cutover plan, its phases and the runbook.

Stubs that fix the URL map and the capabilities until the pages are built."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class CutoverPlanView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class CutoverPlanEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class CutoverPlanHistoryView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class PhaseCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class PhaseEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class PhaseDeleteView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookTemplateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookImportView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunbookCsvView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TaskCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TaskDetailView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TaskEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TaskDeleteView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")
