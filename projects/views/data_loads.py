"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "data"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class LoadListView(_NotBuilt):
    required_capability = "view"


class LoadCreateView(_NotBuilt):
    required_capability = "edit"


class LoadDetailView(_NotBuilt):
    required_capability = "view"


class LoadEditView(_NotBuilt):
    required_capability = "edit"


class ReconciliationView(_NotBuilt):
    required_capability = "view"
    write_capability = "edit"


class MeasureDeleteView(_NotBuilt):
    required_capability = "edit"


class ExceptionEditView(_NotBuilt):
    required_capability = "edit"


class ReconciliationSignView(_NotBuilt):
    required_capability = "edit"
