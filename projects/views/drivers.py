"""Upgrade drivers: the signals that call for the upgrade, grouped by the guide's four kinds."""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from projects.forms.goals import DriverEditForm, DriverForm
from projects.models import Driver
from projects.selectors import goals as selectors
from projects.services import goals as services
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

SEVERITY_SCALE = range(1, 6)
CATEGORY_HINTS = {
    Driver.Category.SCALE: _lazy("more stores, warehouses, SKUs, channels or orders than the system copes with"),
    Driver.Category.FUNCTIONAL_GAP: _lazy("work the system cannot do, such as batches, mobile stock-taking or pricing"),
    Driver.Category.ARCHITECTURE: _lazy("a closed, single-machine system with no link to shop, finance or logistics"),
    Driver.Category.COST_SECURITY: _lazy("rising upkeep, no vendor support, data loss or access risks"),
}


class DriversMixin(ProjectAccessMixin):
    section = "goals"

    def driver_list_url(self) -> str:
        return reverse("projects:driver-list", kwargs={"project_code": self.project.code})

    def driver_url(self, driver: Driver) -> str:
        return reverse("projects:driver-detail", kwargs={"project_code": self.project.code, "driver_id": driver.pk})

    def get_driver(self) -> Driver:
        return get_object_or_404(self.project.drivers, pk=self.kwargs["driver_id"])

    @cached_property
    def driver(self) -> Driver:
        return self.get_driver()

    def crumbs(self) -> list[tuple[str, str | None]]:
        """(label, url) after the project in the breadcrumbs; the last one is the current page."""
        goals_url = reverse("projects:goal-list", kwargs={"project_code": self.project.code})
        return [(_("Goals & KPIs"), goals_url), (_("Drivers"), self.driver_list_url())]

    def driver_crumbs(self) -> list[tuple[str, str | None]]:
        return [*DriversMixin.crumbs(self), (self.driver.statement, self.driver_url(self.driver))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["severity_scale"] = SEVERITY_SCALE
        return context


class DriverListView(DriversMixin, TemplateView):
    template_name = "projects/drivers/driver_list.html"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs()[:1], (_("Drivers"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups = selectors.drivers_by_category(project=self.project)
        context["groups"] = [(value, label, drivers, CATEGORY_HINTS[value]) for value, label, drivers in groups]
        context["driver_count"] = sum(len(drivers) for _value, _label, drivers in groups)
        return context


class DriverCreateView(DriversMixin, FormView):
    template_name = "projects/drivers/driver_form.html"
    form_class = DriverForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("New driver"), None)]

    def get_initial(self) -> dict[str, Any]:
        category = self.request.GET.get("category", "")
        return {"category": category} if category in Driver.Category.values else {}

    def form_valid(self, form: DriverForm) -> HttpResponse:
        driver = services.driver_create(project=self.project, **form.cleaned_data)
        messages.success(self.request, _("Driver recorded."))
        return HttpResponseRedirect(self.driver_url(driver))


class DriverEditView(DriversMixin, FormView):
    template_name = "projects/drivers/driver_form.html"
    form_class = DriverEditForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.driver_crumbs(), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_driver()  # its own copy: the form writes what was typed onto it
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["driver"] = self.driver
        return context

    def form_valid(self, form: DriverEditForm) -> HttpResponse:
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            driver = services.driver_update(
                driver=self.get_driver(), expected_version=form.cleaned_data["version"], **data
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Driver saved."))
        return HttpResponseRedirect(self.driver_url(driver))


class DriverDetailView(DriversMixin, TemplateView):
    template_name = "projects/drivers/driver_detail.html"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*DriversMixin.crumbs(self), (self.driver.statement, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["driver"] = self.driver
        context["goals"] = list(self.driver.goals.order_by("pk"))
        entries = history_entries(selectors.driver_history_querysets(driver=self.driver), hidden_fields=["project"])
        context["page_obj"] = Paginator(entries, 50).get_page(self.request.GET.get("page"))
        return context


class DriverDeleteView(DriversMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.driver_crumbs(), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        goals = self.driver.goals.count()
        context["heading"] = _("Delete driver")
        context["question"] = _("Delete the driver “%(statement)s”?") % {"statement": self.driver.statement}
        context["consequence"] = (
            ngettext(
                "%(count)s goal is linked to it; the goal stays and loses the link.",
                "%(count)s goals are linked to it; the goals stay and lose the link.",
                goals,
            )
            % {"count": goals}
            if goals
            else _("No goal is linked to it.")
        )
        context["cancel_url"] = self.driver_url(self.driver)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        statement = self.driver.statement
        services.driver_delete(driver=self.driver)
        messages.success(request, _("Driver “%(statement)s” deleted. The history keeps it.") % {"statement": statement})
        return HttpResponseRedirect(self.driver_list_url())
