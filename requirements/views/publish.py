"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class SpecificationView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class SpecificationJobView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class SpecificationDownloadView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"
