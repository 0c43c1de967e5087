"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class RequirementExportView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class ImportUploadView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class ImportPreviewView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"
