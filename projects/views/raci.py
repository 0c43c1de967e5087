"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class RaciActivityAddView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class RaciActivityDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class RaciEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class RaciStandardView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class RaciView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
