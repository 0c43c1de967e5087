"""Temporary: a page of the vendor comparison that is being built says so (replaced view by view)."""

from django.views.generic import TemplateView

from workbench.access import ProjectAccessMixin


class NotBuilt(ProjectAccessMixin, TemplateView):
    template_name = "projects/section_placeholder.html"
    section = "vendors"
    write_capability = "edit"

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)
