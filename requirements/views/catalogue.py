"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class CatalogueView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"
