"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "uat"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class DefectListView(_NotBuilt):
    required_capability = "view"


class DefectCreateView(_NotBuilt):
    required_capability = "execute"


class DefectDetailView(_NotBuilt):
    required_capability = "view"
    write_capability = "execute"


class DefectEditView(_NotBuilt):
    required_capability = "execute"


class DefectHistoryView(_NotBuilt):
    required_capability = "view"
