"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class DriverCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class DriverDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class DriverDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class DriverEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class DriverListView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
