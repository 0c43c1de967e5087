"""PLACEHOLDER: replaced by the real views (the URLconf needs the names to exist)."""

from django.http import HttpResponse
from django.views import View

from workbench.access import ProjectAccessMixin


class _NotBuilt(ProjectAccessMixin, View):
    section = "uat"

    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet")

    post = get


class QueueView(_NotBuilt):
    required_capability = "execute"


class ExecuteView(_NotBuilt):
    required_capability = "view"
    write_capability = "execute"


class StepRecordView(_NotBuilt):
    required_capability = "execute"


class EvidenceUploadView(_NotBuilt):
    required_capability = "execute"


class RetestView(_NotBuilt):
    required_capability = "execute"


class EvidenceFileView(_NotBuilt):
    required_capability = "view"
