"""Training by role: plans, sessions, materials and attendance.

Stubs that fix the URL map and the capabilities until the pages are built."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class TrainingView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TrainingPlanCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TrainingPlanDetailView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TrainingPlanEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class TrainingPlanDeleteView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class SessionCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class SessionDetailView(ProjectAccessMixin, View):
    required_capability = "view"
    write_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class SessionEditView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class SessionDeleteView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class MaterialCreateView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class MaterialView(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")


class MaterialDeleteView(ProjectAccessMixin, View):
    required_capability = "edit"
    section = "golive"

    def get(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")

    def post(self, request, *args, **kwargs):
        return HttpResponse("Not built yet.")
