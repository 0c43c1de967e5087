"""Goals with their KPIs and measurements: list, detail, forms, the KPI library and the CSV import."""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from projects.charts import kpi_trend_svg
from projects.forms.goals import (
    GoalEditForm,
    GoalForm,
    KPIEditForm,
    KPIForm,
    MeasurementEditForm,
    MeasurementForm,
    MeasurementImportConfirmForm,
    MeasurementImportForm,
    plain_number,
)
from projects.kpi_library import BY_KEY, LIBRARY
from projects.models import KPI, Goal, Measurement
from projects.selectors import goals as selectors
from projects.services import ProjectError
from projects.services import goals as services
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

HISTORY_PAGE_SIZE = 20
IMPORT_EXAMPLE = "date,value,source,note\n2026-07-31,93.1,Cycle count July,\n2026-08-31,94.6,Cycle count August,zone A"


def _without_version(form: Any) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


class GoalsMixin(ProjectAccessMixin):
    """The Goals & KPIs section: fetches goals, KPIs and measurements through the project, builds breadcrumbs."""

    section = "goals"

    def goal_list_url(self) -> str:
        return reverse("projects:goal-list", kwargs={"project_code": self.project.code})

    def goal_url(self, goal: Goal) -> str:
        return reverse("projects:goal-detail", kwargs={"project_code": self.project.code, "goal_id": goal.pk})

    def kpi_url(self, kpi: KPI) -> str:
        return reverse("projects:kpi-detail", kwargs={"project_code": self.project.code, "kpi_id": kpi.pk})

    def get_goal(self) -> Goal:
        return get_object_or_404(self.project.goals.select_related("owner__user"), pk=self.kwargs["goal_id"])

    @cached_property
    def goal(self) -> Goal:
        return self.get_goal()

    def get_kpi(self) -> KPI:
        """The KPI of this project named in the URL, with its latest value; 404 for another project's."""
        try:
            return selectors.kpi_detail(project=self.project, kpi_id=self.kwargs["kpi_id"])
        except KPI.DoesNotExist:
            raise Http404 from None

    @cached_property
    def kpi(self) -> KPI:
        return self.get_kpi()

    def crumbs(self) -> list[tuple[str, str | None]]:
        """(label, url) after the project in the breadcrumbs; the last one is the current page."""
        return [(_("Goals & KPIs"), self.goal_list_url())]

    def goal_crumbs(self, goal: Goal) -> list[tuple[str, str | None]]:
        return [(_("Goals & KPIs"), self.goal_list_url()), (goal.statement, self.goal_url(goal))]

    def kpi_crumbs(self, kpi: KPI) -> list[tuple[str, str | None]]:
        return [*self.goal_crumbs(kpi.goal), (kpi.name, self.kpi_url(kpi))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


def _history_page(request: HttpRequest, querysets: list, hidden: list[str]) -> Any:
    entries = history_entries(querysets, hidden_fields=hidden)
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))


# Goals


class GoalListView(GoalsMixin, TemplateView):
    template_name = "projects/goals/goal_list.html"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [(_("Goals & KPIs"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = selectors.goal_rows(project=self.project, today=timezone.localdate())
        context["rows"] = rows
        context["kpi_count"] = sum(len(row.kpis) for row in rows)
        if not rows:
            context["has_drivers"] = self.project.drivers.exists()
        return context


class GoalCreateView(GoalsMixin, FormView):
    template_name = "projects/goals/goal_form.html"
    form_class = GoalForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("New goal"), None)]

    def get_initial(self) -> dict[str, Any]:
        return {"owner": self.membership}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["instance"] = Goal(project=self.project)
        return kwargs

    def form_valid(self, form: GoalForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        drivers = data.pop("drivers")
        try:
            goal = services.goal_create(project=self.project, drivers=drivers, **data)
        except ProjectError as exc:
            form.add_error("drivers", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Goal created. Add the KPIs that will show whether it is reached."))
        return HttpResponseRedirect(self.goal_url(goal))


class GoalEditView(GoalsMixin, FormView):
    template_name = "projects/goals/goal_form.html"
    form_class = GoalEditForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.goal_crumbs(self.goal), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        # The form writes what was typed onto its instance: give it its own copy, so that the page
        # keeps showing the stored goal when the save is refused.
        kwargs["instance"] = self.get_goal()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["goal"] = self.goal
        return context

    def form_valid(self, form: GoalEditForm) -> HttpResponse:
        data = _without_version(form)
        drivers = data.pop("drivers")
        try:
            goal = services.goal_update(
                goal=self.get_goal(), expected_version=form.cleaned_data["version"], drivers=drivers, **data
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ProjectError as exc:
            form.add_error("drivers", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Goal saved."))
        return HttpResponseRedirect(self.goal_url(goal))


class GoalDetailView(GoalsMixin, TemplateView):
    template_name = "projects/goals/goal_detail.html"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return self.goal_crumbs(self.row.goal)

    @cached_property
    def row(self) -> selectors.GoalRow:
        rows = selectors.goal_rows(
            project=self.project, today=timezone.localdate(), goals=self.project.goals.filter(pk=self.kwargs["goal_id"])
        )
        if not rows:
            raise Http404
        return rows[0]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        goal = self.row.goal
        context["row"] = self.row
        context["goal"] = goal
        context["drivers"] = list(goal.drivers.all())
        context["page_obj"] = _history_page(
            self.request, selectors.goal_history_querysets(goal=goal), ["project", "goal", "kpi"]
        )
        return context


class GoalDeleteView(GoalsMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.goal_crumbs(self.goal), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpis = self.goal.kpis.count()
        measurements = Measurement.objects.filter(kpi__goal=self.goal).count()
        context["heading"] = _("Delete goal")
        context["question"] = _("Delete the goal “%(goal)s”?") % {"goal": self.goal.statement}
        if kpis:
            context["consequence"] = _("Its %(kpis)s and %(measurements)s are deleted with it.") % {
                "kpis": ngettext("%(count)s KPI", "%(count)s KPIs", kpis) % {"count": kpis},
                "measurements": ngettext("%(count)s measurement", "%(count)s measurements", measurements)
                % {"count": measurements},
            }
        else:
            context["consequence"] = _("It has no KPIs yet.")
        context["cancel_url"] = self.goal_url(self.goal)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        goal = self.goal
        services.goal_delete(goal=goal)
        messages.success(request, _("Goal “%(goal)s” deleted. The history keeps it.") % {"goal": goal.statement})
        return HttpResponseRedirect(self.goal_list_url())


# KPIs


class KPILibraryView(GoalsMixin, TemplateView):
    template_name = "projects/goals/kpi_library.html"
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.goal_crumbs(self.goal), (_("KPI library"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        used = set(self.goal.kpis.exclude(library_key="").values_list("library_key", flat=True))
        context["goal"] = self.goal
        context["entries"] = [
            {
                "entry": entry,
                "direction": KPI.Direction(entry.direction).label,
                "frequency": KPI.Frequency(entry.frequency).label,
                "added": entry.key in used,
            }
            for entry in LIBRARY
        ]
        return context


class KPICreateView(GoalsMixin, FormView):
    template_name = "projects/goals/kpi_form.html"
    form_class = KPIForm
    required_capability = "edit"
    library_initial: dict[str, Any] = {}

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.goal_crumbs(self.goal), (_("New KPI"), None)]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.GET.get("library", "")
        if key:
            try:
                self.library_initial = {**services.library_defaults(key), "library_key": key}
            except ProjectError as exc:
                messages.error(request, _("%(error)s Choose an entry from the list.") % {"error": exc})
                return HttpResponseRedirect(
                    reverse("projects:kpi-library", kwargs={"project_code": self.project.code, "goal_id": self.goal.pk})
                )
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return dict(self.library_initial)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = KPI(goal=self.goal)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["goal"] = self.goal
        context["library_entry"] = BY_KEY.get(context["form"]["library_key"].value() or "")
        return context

    def form_valid(self, form: KPIForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        library_key = data.pop("library_key", "")
        try:
            kpi = services.kpi_create(goal=self.goal, library_key=library_key, **data)
        except ProjectError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request, _("KPI “%(name)s” added. Record its first measurement below.") % {"name": kpi.name}
        )
        return HttpResponseRedirect(self.kpi_url(kpi))


class KPIPageMixin(GoalsMixin):
    """What the KPI page shows, also when a measurement typed on it is refused."""

    def crumbs(self) -> list[tuple[str, str | None]]:
        return self.kpi_crumbs(self.kpi)

    def kpi_context(self, measurement_form: MeasurementForm | None = None) -> dict[str, Any]:
        kpi = self.kpi
        today = timezone.localdate()
        if measurement_form is None and self.membership.can("edit"):
            measurement_form = MeasurementForm(kpi=kpi, initial={"date": today})
        series = selectors.kpi_series(kpi=kpi)
        return {
            "kpi": kpi,
            "goal": kpi.goal,
            "progress": selectors.kpi_progress(kpi, today=today),
            "due": kpi.goal.due or self.project.target_go_live,
            "due_is_go_live": kpi.goal.due is None and self.project.target_go_live is not None,
            "chart": kpi_trend_svg(kpi=kpi, points=series, go_live=self.project.target_go_live),
            "measurements": list(kpi.measurements.order_by("-date")),
            "measurement_form": measurement_form,
            "page_obj": _history_page(self.request, selectors.kpi_history_querysets(kpi=kpi), ["goal", "kpi"]),
        }


class KPIDetailView(KPIPageMixin, TemplateView):
    template_name = "projects/goals/kpi_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.kpi_context())
        return context


class KPIChartView(GoalsMixin, View):
    """The KPI's trend chart as an SVG file, for <img> tags and downloads."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kpi = self.kpi
        svg = kpi_trend_svg(kpi=kpi, points=selectors.kpi_series(kpi=kpi), go_live=self.project.target_go_live)
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


class KPIEditView(GoalsMixin, FormView):
    template_name = "projects/goals/kpi_form.html"
    form_class = KPIEditForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.kpi_crumbs(self.kpi), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_kpi()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["goal"] = self.kpi.goal
        context["kpi"] = self.kpi
        context["library_entry"] = BY_KEY.get(self.kpi.library_key)
        return context

    def form_valid(self, form: KPIEditForm) -> HttpResponse:
        try:
            kpi = services.kpi_update(
                kpi=self.get_kpi(), expected_version=form.cleaned_data["version"], **_without_version(form)
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("KPI “%(name)s” saved.") % {"name": kpi.name})
        return HttpResponseRedirect(self.kpi_url(kpi))


class KPIDeleteView(GoalsMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.kpi_crumbs(self.kpi), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        count = self.kpi.measurements.count()
        context["heading"] = _("Delete KPI")
        context["question"] = _("Delete the KPI “%(name)s”?") % {"name": self.kpi.name}
        context["consequence"] = ngettext(
            "Its %(count)s measurement goes with it.", "Its %(count)s measurements go with it.", count
        ) % {"count": count}
        context["cancel_url"] = self.kpi_url(self.kpi)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kpi = self.kpi
        goal = kpi.goal
        services.kpi_delete(kpi=kpi)
        messages.success(request, _("KPI “%(name)s” deleted. The history keeps it.") % {"name": kpi.name})
        return HttpResponseRedirect(self.goal_url(goal))


# Measurements


class MeasurementCreateView(KPIPageMixin, TemplateView):
    """The one-line form on the KPI page posts here; a refused value shows the KPI page again, with the errors."""

    template_name = "projects/goals/kpi_detail.html"
    required_capability = "edit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.kpi_url(self.kpi))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kpi = self.kpi
        form = MeasurementForm(request.POST, kpi=kpi, instance=Measurement(kpi=kpi))
        if form.is_valid():
            try:
                measurement = services.measurement_create(kpi=kpi, **form.cleaned_data)
            except ValidationError as exc:  # the date was taken between the check and the save
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Recorded %(value)s for %(date)s.")
                    % {"value": plain_number(measurement.value), "date": measurement.date.isoformat()},
                )
                return HttpResponseRedirect(self.kpi_url(kpi))
        context = self.get_context_data(**kwargs)
        context.update(self.kpi_context(measurement_form=form))
        return self.render_to_response(context)


class MeasurementMixin(GoalsMixin):
    required_capability = "edit"

    @cached_property
    def measurement(self) -> Measurement:
        return get_object_or_404(self.kpi.measurements, pk=self.kwargs["measurement_id"])

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.kpi_crumbs(self.kpi), (self.measurement.date.isoformat(), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kpi"] = self.kpi
        context["measurement"] = self.measurement
        return context


class MeasurementEditView(MeasurementMixin, FormView):
    template_name = "projects/goals/measurement_form.html"
    form_class = MeasurementEditForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["kpi"] = self.kpi
        kwargs["instance"] = get_object_or_404(self.kpi.measurements, pk=self.kwargs["measurement_id"])
        return kwargs

    def form_valid(self, form: MeasurementEditForm) -> HttpResponse:
        measurement = get_object_or_404(self.kpi.measurements, pk=self.kwargs["measurement_id"])
        try:
            services.measurement_update(
                measurement=measurement, expected_version=form.cleaned_data["version"], **_without_version(form)
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Measurement of %(date)s saved.") % {"date": measurement.date.isoformat()})
        return HttpResponseRedirect(self.kpi_url(self.kpi))


class MeasurementDeleteView(MeasurementMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Delete measurement")
        context["question"] = _("Delete the value %(value)s of %(date)s from “%(kpi)s”?") % {
            "value": plain_number(self.measurement.value),
            "date": self.measurement.date.isoformat(),
            "kpi": self.kpi.name,
        }
        context["consequence"] = _("The history keeps it.")
        context["cancel_url"] = self.kpi_url(self.kpi)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        day = self.measurement.date
        services.measurement_delete(measurement=self.measurement)
        messages.success(request, _("Measurement of %(date)s deleted.") % {"date": day.isoformat()})
        return HttpResponseRedirect(self.kpi_url(self.kpi))


class MeasurementImportView(GoalsMixin, TemplateView):
    """Step 1 checks pasted or uploaded CSV and previews it; step 2 imports the same text, all rows or none."""

    template_name = "projects/goals/measurement_import.html"
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.kpi_crumbs(self.kpi), (_("Import measurements"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kpi"] = self.kpi
        context["example"] = IMPORT_EXAMPLE
        context.setdefault("form", MeasurementImportForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "confirm" in request.POST:
            return self.import_rows()
        form = MeasurementImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        return self.show_check(form.cleaned_data["text"])

    def show_check(self, text: str, error: str = "") -> HttpResponse:
        """The result of the check: row-numbered errors with the text to fix, or the preview to confirm."""
        result = services.measurement_csv_parse(kpi=self.kpi, text=text)
        form = MeasurementImportForm(initial={"text": text})
        context = self.get_context_data(form=form, checked=True, result=result, text=text, error=error)
        return self.render_to_response(context)

    def import_rows(self) -> HttpResponse:
        confirm = MeasurementImportConfirmForm(self.request.POST)
        if not confirm.is_valid():
            return self.render_to_response(self.get_context_data(error=_("Nothing to import: check a file first.")))
        text = confirm.cleaned_data["text"]
        result = services.measurement_csv_parse(kpi=self.kpi, text=text)
        if not result.ok:
            return self.show_check(text, error=_("Nothing was imported: the rows no longer pass the check."))
        try:
            created = services.measurement_import(kpi=self.kpi, rows=result.rows)
        except ProjectError as exc:
            return self.show_check(text, error=str(exc))
        messages.success(
            self.request,
            ngettext("%(count)s measurement imported.", "%(count)s measurements imported.", len(created))
            % {"count": len(created)},
        )
        return HttpResponseRedirect(self.kpi_url(self.kpi))
