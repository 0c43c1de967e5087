"""Scripted demos: the scenarios the vendors must show, the demo sessions per offer, and the attendees' ratings."""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from requirements import selection as svc
from requirements.demo_forms import DemoEditForm, DemoForm, RatingForm, ScenarioForm
from requirements.demos import (
    demos_by_offer,
    scenario_rows,
    scenarios_add_standard,
    session_ratings,
    standard_missing,
)
from requirements.models import DemoScenario, DemoSession
from requirements.selection import SelectionError
from workbench.access import ProjectAccessMixin

Crumbs = list[tuple[str, str | None]]


class DemosMixin(ProjectAccessMixin):
    """The demo pages: scenarios and sessions fetched through the project, breadcrumbs."""

    section = "vendors"

    def list_url(self, anchor: str = "") -> str:
        url = reverse("requirements:demo-list", kwargs={"project_code": self.project.code})
        return f"{url}#{anchor}" if anchor else url

    def detail_url(self, session: DemoSession, anchor: str = "") -> str:
        url = reverse("requirements:demo-detail", kwargs={"project_code": self.project.code, "demo_id": session.pk})
        return f"{url}#{anchor}" if anchor else url

    def get_scenario(self) -> DemoScenario:
        """A fresh copy of the scenario in the URL; 404 for another project's."""
        return get_object_or_404(DemoScenario.objects.filter(project=self.project), pk=self.kwargs["scenario_id"])

    def get_session(self) -> DemoSession:
        """A fresh copy of the demo session in the URL, with its offer and vendor; 404 for another project's."""
        return get_object_or_404(
            DemoSession.objects.filter(offer__project=self.project).select_related("offer__vendor"),
            pk=self.kwargs["demo_id"],
        )

    @cached_property
    def session(self) -> DemoSession:
        return self.get_session()

    def crumbs(self) -> Crumbs:
        return [(_("Demos"), self.list_url())]  # after "Vendors", which _crumbs.html puts first

    def session_crumbs(self, session: DemoSession) -> Crumbs:
        label = _("%(offer)s, %(date)s") % {"offer": session.offer, "date": f"{session.held_on:%Y-%m-%d}"}
        return [*DemosMixin.crumbs(self), (label, self.detail_url(session))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# The list: scenarios and sessions, with their add forms


class DemoListView(DemosMixin, TemplateView):
    template_name = "requirements/selection/demo_list.html"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [(_("Demos"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scenarios = scenario_rows(project=self.project)
        groups = demos_by_offer(project=self.project)
        context.update(
            scenarios=scenarios,
            offer_groups=groups,
            session_count=sum(len(group.sessions) for group in groups),
            standard_missing=standard_missing(titles={s.title for s in scenarios}),
        )
        if context["can_edit"]:
            context.setdefault("scenario_form", ScenarioForm(project=self.project))
            context.setdefault("demo_form", DemoForm(project=self.project))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "standard":
            return self.add_standard()
        if action == "demo":
            return self.add_demo()
        return self.add_scenario()

    def refused(self, error: SelectionError, **forms: Any) -> HttpResponse:
        messages.error(self.request, str(error))
        return self.render_to_response(self.get_context_data(**forms))

    def add_standard(self) -> HttpResponse:
        created = scenarios_add_standard(project=self.project, user=self.request.user)
        if created:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s standard scenario added; adapt its script to your items and customers.",
                    "%(count)s standard scenarios added; adapt their scripts to your items and customers.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(self.request, _("The standard scenarios are there already."))
        return HttpResponseRedirect(self.list_url("scenarios"))

    def add_scenario(self) -> HttpResponse:
        form = ScenarioForm(self.request.POST, project=self.project)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(scenario_form=form))
        try:
            scenario = svc.scenario_create(project=self.project, user=self.request.user, **form.service_fields())
        except SelectionError as exc:
            return self.refused(exc, scenario_form=form)
        messages.success(self.request, _("Scenario “%(title)s” added.") % {"title": scenario.title})
        return HttpResponseRedirect(self.list_url(f"scenario-{scenario.pk}"))

    def add_demo(self) -> HttpResponse:
        form = DemoForm(self.request.POST, project=self.project)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(demo_form=form))
        try:
            session = svc.demo_create(user=self.request.user, **form.service_fields())
        except SelectionError as exc:
            return self.refused(exc, demo_form=form)
        messages.success(self.request, _("Demo added. Attendees can now rate each scenario."))
        return HttpResponseRedirect(self.detail_url(session))


# Scenarios


class ScenarioEditView(DemosMixin, FormView):
    template_name = "requirements/selection/scenario_form.html"
    form_class = ScenarioForm
    required_capability = "edit"

    @cached_property
    def scenario(self) -> DemoScenario:
        return self.get_scenario()

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.scenario.title, None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        # The form writes what was typed onto its instance: its own copy, so a refused save changes nothing shown.
        kwargs["instance"] = self.get_scenario()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scenario"] = self.scenario
        return context

    def form_valid(self, form: ScenarioForm) -> HttpResponse:
        try:
            scenario = svc.scenario_update(
                scenario=self.get_scenario(), user=self.request.user, **form.service_fields()
            )
        except SelectionError as exc:
            messages.error(self.request, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Scenario saved."))
        return HttpResponseRedirect(self.list_url(f"scenario-{scenario.pk}"))


class ScenarioDeleteView(DemosMixin, TemplateView):
    template_name = "requirements/selection/scenario_confirm_delete.html"
    required_capability = "edit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scenario = self.get_scenario()
        context.update(
            scenario=scenario,
            crumbs=[*self.crumbs(), (scenario.title, None)],
            session_count=scenario.sessions.count(),
            rating_count=scenario.ratings.count(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scenario = self.get_scenario()
        svc.scenario_delete(scenario=scenario)
        messages.success(request, _("Scenario “%(title)s” deleted.") % {"title": scenario.title})
        return HttpResponseRedirect(self.list_url("scenarios"))


# Sessions


class DemoDetailView(DemosMixin, TemplateView):
    """The session with every attendee's ratings per scenario; team members who edit rate here too."""

    template_name = "requirements/selection/demo_detail.html"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return self.session_crumbs(self.session)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.session
        rows = session_ratings(session=session, viewer=self.request.user)
        bound: RatingForm | None = kwargs.get("bound_form")
        bound_pk = bound.data.get("scenario") if bound is not None else None
        items = []
        for row in rows:
            form = None
            if context["can_edit"]:
                if bound is not None and str(row.scenario.pk) == bound_pk:
                    form = bound
                else:
                    mine = row.mine
                    form = RatingForm(
                        session=session,
                        initial={
                            "scenario": row.scenario.pk,
                            "value": mine.value if mine else None,
                            "note": mine.note if mine else "",
                        },
                        auto_id=f"id_s{row.scenario.pk}_%s",
                    )
            items.append((row, form))
        ratings = [r.value for row in rows for r in row.ratings]
        context.update(
            session=session,
            items=items,
            rating_count=len(ratings),
            mean=sum(ratings) / len(ratings) if ratings else None,
            # A posted form for no scenario of the page still says what went wrong.
            stray_errors=bound.errors if bound is not None and not any(f is bound for _r, f in items) else None,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.session
        posted = request.POST.get("scenario", "")
        form = RatingForm(request.POST, session=session, auto_id=f"id_s{posted if posted.isdigit() else 'x'}_%s")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bound_form=form))
        scenario = form.cleaned_data["scenario"]
        try:
            svc.demo_rate(
                session=session,
                scenario=scenario,
                attendee=request.user,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
            )
        except SelectionError as exc:
            messages.error(request, str(exc))
            return self.render_to_response(self.get_context_data(bound_form=form))
        messages.success(request, _("Your rating of “%(title)s” is saved.") % {"title": scenario.title})
        return HttpResponseRedirect(self.detail_url(session, f"scenario-{scenario.pk}"))


class DemoEditView(DemosMixin, FormView):
    template_name = "requirements/selection/demo_form.html"
    form_class = DemoEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.session_crumbs(self.session), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["instance"] = self.get_session()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        return context

    def form_valid(self, form: DemoEditForm) -> HttpResponse:
        try:
            session = svc.demo_update(session=self.get_session(), user=self.request.user, **form.service_fields())
        except SelectionError as exc:
            messages.error(self.request, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Demo saved."))
        return HttpResponseRedirect(self.detail_url(session))


class DemoDeleteView(DemosMixin, TemplateView):
    template_name = "requirements/selection/demo_confirm_delete.html"
    required_capability = "edit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            session=self.session,
            crumbs=[*self.session_crumbs(self.session), (_("Delete"), None)],
            rating_count=self.session.ratings.count(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.get_session()
        svc.demo_delete(session=session)
        messages.success(request, _("Demo of %(offer)s deleted.") % {"offer": session.offer})
        return HttpResponseRedirect(self.list_url("sessions"))
