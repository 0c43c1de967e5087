"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "data"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class DataObjectListView(_NotBuilt):
    required_capability = "view"


class DataObjectCreateView(_NotBuilt):
    required_capability = "edit"


class DataObjectDetailView(_NotBuilt):
    required_capability = "view"


class DataObjectEditView(_NotBuilt):
    required_capability = "edit"


class DataObjectDeleteView(_NotBuilt):
    required_capability = "edit"


class DataObjectHistoryView(_NotBuilt):
    required_capability = "view"


class CheckCreateView(_NotBuilt):
    required_capability = "edit"


class RuleCreateView(_NotBuilt):
    required_capability = "edit"


class ProfileUploadView(_NotBuilt):
    required_capability = "edit"


class CheckEditView(_NotBuilt):
    required_capability = "edit"


class CheckDeleteView(_NotBuilt):
    required_capability = "edit"


class RuleEditView(_NotBuilt):
    required_capability = "edit"


class RuleDeleteView(_NotBuilt):
    required_capability = "edit"


class ProfileDetailView(_NotBuilt):
    required_capability = "view"


class WavePlanView(_NotBuilt):
    required_capability = "view"
    write_capability = "edit"


class WaveEditView(_NotBuilt):
    required_capability = "edit"


class WaveDeleteView(_NotBuilt):
    required_capability = "edit"
