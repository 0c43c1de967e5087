"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class RequirementBulkView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementCommentView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementHistoryView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementListView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementSuspectClearView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"


class RequirementTransitionView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "requirements"
