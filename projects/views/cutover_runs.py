"""Rehearsals and the live cutover: runs, the live dashboard, planned vs actual.

Stubs that fix the URL map and the capabilities until the pages are built."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class RunListView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class DurationsView(ProjectAccessMixin, View):
    required_capability = "view"
    write_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunDashboardView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunGanttView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunStartView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunFinishView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class RunAbortView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TaskRunView(ProjectAccessMixin, View):
    required_capability = "view"
    write_capability = "execute"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")
