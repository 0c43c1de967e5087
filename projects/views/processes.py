"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class FindingCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class FindingDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class FindingDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class FindingEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class FindingListView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessCompareView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessDeriveView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessDiagramView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessListView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class ProcessTemplatesView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class StepCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class StepDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class StepEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class StepMoveView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
