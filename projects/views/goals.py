"""Placeholder: being written."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class GoalCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class GoalDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class GoalDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class GoalEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class GoalListView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class KPIChartView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class KPICreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class KPIDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class KPIDetailView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class KPIEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class KPILibraryView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class MeasurementCreateView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class MeasurementDeleteView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class MeasurementEditView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"


class MeasurementImportView(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
