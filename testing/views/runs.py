"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "uat"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class RunListView(_NotBuilt):
    required_capability = "view"


class RunCreateView(_NotBuilt):
    required_capability = "edit"


class RunDetailView(_NotBuilt):
    required_capability = "view"


class RunEditView(_NotBuilt):
    required_capability = "edit"


class RunCasesView(_NotBuilt):
    required_capability = "view"
    write_capability = "edit"


class RunStartView(_NotBuilt):
    required_capability = "edit"


class RunCompleteView(_NotBuilt):
    required_capability = "edit"


class RunSignView(_NotBuilt):
    required_capability = "view"
    write_capability = "edit"


class RunHistoryView(_NotBuilt):
    required_capability = "view"


class RunCaseAssignView(_NotBuilt):
    required_capability = "edit"


class RunCaseRemoveView(_NotBuilt):
    required_capability = "edit"
