"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "uat"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class CaseListView(_NotBuilt):
    required_capability = "view"


class CaseCreateView(_NotBuilt):
    required_capability = "edit"


class CaseTemplatesView(_NotBuilt):
    required_capability = "view"
    write_capability = "edit"


class CaseDetailView(_NotBuilt):
    required_capability = "view"


class CaseEditView(_NotBuilt):
    required_capability = "edit"


class CaseDeleteView(_NotBuilt):
    required_capability = "edit"


class CaseHistoryView(_NotBuilt):
    required_capability = "view"


class CaseSuspectClearView(_NotBuilt):
    required_capability = "edit"
