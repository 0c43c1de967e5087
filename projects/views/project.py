from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from projects import selectors, services
from projects.forms import ProjectCreateForm, ProjectSettingsForm
from projects.models import Membership, Project
from projects.navigation import SECTIONS_BY_SLUG
from projects.selectors.goals import drivers_by_category, goal_rows
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError
from workbench.markdown import render_markdown


class ProjectListView(LoginRequiredMixin, ListView):
    template_name = "projects/project_list.html"
    context_object_name = "projects"
    paginate_by = 50

    def get_queryset(self):
        return selectors.project_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["role_choices"] = Membership.Role.choices
        return context


class ProjectCreateView(LoginRequiredMixin, FormView):
    template_name = "projects/project_form.html"
    form_class = ProjectCreateForm

    def form_valid(self, form: ProjectCreateForm) -> HttpResponse:
        project = services.project_create(creator=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Project %(code)s created. You are its owner.") % {"code": project.code})
        return HttpResponseRedirect(project.get_absolute_url())


class ProjectOverviewView(ProjectAccessMixin, TemplateView):
    template_name = "projects/project_overview.html"
    section = "overview"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["description_html"] = render_markdown(self.project.description)
        days = selectors.days_to_go_live(project=self.project, today=timezone.localdate())
        context["days_to_go_live"] = days
        context["days_since_go_live"] = -days if days is not None and days < 0 else None
        context["departments"] = departments = selectors.team_by_department(project=self.project)
        context["team_size"] = sum(count for _label, count in departments)
        context["goal_rows"] = goal_rows(project=self.project, today=timezone.localdate())
        # (label, number of drivers, highest severity or None) per category, empty categories included.
        context["driver_categories"] = categories = [
            (label, len(drivers), max((d.severity for d in drivers), default=None))
            for _value, label, drivers in drivers_by_category(project=self.project)
        ]
        context["driver_count"] = sum(count for _label, count, _top in categories)
        return context


class ProjectSettingsView(ProjectAccessMixin, FormView):
    template_name = "projects/project_form.html"
    form_class = ProjectSettingsForm
    required_capability = "manage"
    section = "overview"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # The form writes what was typed onto its instance; give it a copy so that the navigation keeps
        # pointing at the stored project when the save is refused.
        kwargs["instance"] = Project.objects.get(pk=self.project.pk)
        return kwargs

    def form_valid(self, form: ProjectSettingsForm) -> HttpResponse:
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        # The form already wrote the typed values onto self.project; start again from the stored row so
        # that a refused save leaves nothing half-applied in memory.
        project = Project.objects.get(pk=self.project.pk)
        try:
            services.project_update(project=project, expected_version=form.cleaned_data["version"], **data)
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Project settings saved."))
        return HttpResponseRedirect(project.get_absolute_url())


class ProjectHistoryView(ProjectAccessMixin, TemplateView):
    template_name = "projects/project_history.html"
    section = "overview"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = history_entries(selectors.project_history_querysets(project=self.project), hidden_fields=["project"])
        context["page_obj"] = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        return context


class SectionPlaceholderView(ProjectAccessMixin, TemplateView):
    """A navigation section whose module is not built yet: says so, shows nothing invented. Once the section is
    built, its old placeholder address leads to the section's page."""

    template_name = "projects/section_placeholder.html"

    def dispatch(self, request, *args, **kwargs):
        self.section_info = SECTIONS_BY_SLUG.get(kwargs["section"])
        if self.section_info is None:
            raise Http404
        self.section = self.section_info.slug
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.section_info.url_name is not None:
            return HttpResponseRedirect(self.section_info.url(self.project.code))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section_info"] = self.section_info
        return context
