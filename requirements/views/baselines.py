"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class BaselineCompareView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class BaselineCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class BaselineDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class BaselineListView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"
