"""Trial loads and their reconciliation: the loads with the trend of errors across them, each load's objects in
load order, and one object's reconciliation in one load (control figures, exceptions, the steward's signature)."""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from projects.forms.data_loads import (
    SUGGESTED_FIGURES,
    ExceptionEditForm,
    ExceptionForm,
    ExtractsForm,
    MeasureForm,
    SignForm,
    TrialLoadEditForm,
    TrialLoadForm,
)
from projects.models import DataObject, Measure, Reconciliation, ReconciliationException, TrialLoad
from projects.profiling import ProfilingError
from projects.selectors import data_loads as selectors
from projects.services import migration as services
from projects.services.migration import MigrationError
from projects.services.reconciling import ExtractsSummary, reconcile_extracts
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

HISTORY_PAGE_SIZE = 20


def _without_version(form: Any) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def _history_page(request: HttpRequest, querysets: list, hidden: list[str]) -> Any:
    entries = history_entries(querysets, hidden_fields=hidden)
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))


class LoadsMixin(ProjectAccessMixin):
    """The trial load pages: fetch loads and objects through the project, build the breadcrumbs."""

    section = "data"

    def load_list_url(self) -> str:
        return reverse("projects:load-list", kwargs={"project_code": self.project.code})

    def load_url(self, load: TrialLoad) -> str:
        return reverse("projects:load-detail", kwargs={"project_code": self.project.code, "load_id": load.pk})

    def get_load(self) -> TrialLoad:
        return get_object_or_404(self.project.trial_loads, pk=self.kwargs["load_id"])

    @cached_property
    def load(self) -> TrialLoad:
        return self.get_load()

    def crumbs(self) -> list[tuple[str, str | None]]:
        """(label, url) after the project in the breadcrumbs; the last one is the current page."""
        return [
            (_("Data"), reverse("projects:data-object-list", kwargs={"project_code": self.project.code})),
            (_("Trial loads"), self.load_list_url()),
        ]

    def load_crumbs(self, load: TrialLoad) -> list[tuple[str, str | None]]:
        return [*LoadsMixin.crumbs(self), (selectors.load_label(load), self.load_url(load))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# Loads


class LoadListView(LoadsMixin, TemplateView):
    template_name = "projects/data/load_list.html"
    required_capability = "view"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs()[:-1], (_("Trial loads"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = selectors.load_rows(project=self.project)
        context["rows"] = rows
        context["chart"] = selectors.error_trend_svg(rows) if rows else ""
        return context


class LoadCreateView(LoadsMixin, FormView):
    template_name = "projects/data/load_form.html"
    form_class = TrialLoadForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("New trial load"), None)]

    def get_initial(self) -> dict[str, Any]:
        number = self.project.trial_loads.count() + 1
        return {"name": _("Trial load %(number)s") % {"number": number}}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = TrialLoad(project=self.project)
        return kwargs

    def form_valid(self, form: TrialLoadForm) -> HttpResponse:
        try:
            load = services.trial_load_create(project=self.project, user=self.request.user, **form.cleaned_data)
        except MigrationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Trial load “%(name)s” created. Record each object's control figures to reconcile it.")
            % {"name": load.name},
        )
        return HttpResponseRedirect(self.load_url(load))


class LoadEditView(LoadsMixin, FormView):
    template_name = "projects/data/load_form.html"
    form_class = TrialLoadEditForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.load_crumbs(self.load), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # Its own copy: a refused save must not change what the page shows as stored.
        kwargs["instance"] = self.get_load()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["load"] = self.load
        return context

    def form_valid(self, form: TrialLoadEditForm) -> HttpResponse:
        try:
            load = services.trial_load_update(
                load=self.get_load(),
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
                **_without_version(form),
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except MigrationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Trial load “%(name)s” saved.") % {"name": load.name})
        return HttpResponseRedirect(self.load_url(load))


class LoadDetailView(LoadsMixin, TemplateView):
    template_name = "projects/data/load_detail.html"
    required_capability = "view"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return self.load_crumbs(self.load)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        load = self.load
        try:
            rows = selectors.load_object_rows(load=load)
        except MigrationError as exc:  # only data written around the services holds a dependency circle
            messages.error(self.request, str(exc))
            rows = []
        context["load"] = load
        context["rows"] = rows
        context["totals"] = selectors.load_totals(rows)
        context["page_obj"] = _history_page(
            self.request, selectors.load_history_querysets(load=load), ["project", "number"]
        )
        return context


# One object in one load


class ReconciliationMixin(LoadsMixin):
    """What the reconciliation page shows, also when a figure, an exception or a signature is refused."""

    def get_data_object(self) -> DataObject:
        return get_object_or_404(self.project.data_objects.select_related("steward__user"), pk=self.kwargs["object_id"])

    @cached_property
    def data_object(self) -> DataObject:
        return self.get_data_object()

    def reconciliation_url(self, anchor: str = "") -> str:
        url = reverse(
            "projects:reconciliation",
            kwargs={"project_code": self.project.code, "load_id": self.load.pk, "object_id": self.data_object.pk},
        )
        return f"{url}#{anchor}" if anchor else url

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*self.load_crumbs(self.load), (self.data_object.name, self.reconciliation_url())]

    @cached_property
    def stored(self) -> Reconciliation | None:
        """The reconciliation of this object in this load, if anything was recorded yet (GET creates none)."""
        return Reconciliation.objects.filter(load=self.load, data_object=self.data_object).first()

    def reconciliation(self) -> Reconciliation:
        """The stored reconciliation, created on the first write."""
        return self.stored or services.reconciliation_for(load=self.load, data_object=self.data_object)

    def reconciliation_context(
        self,
        *,
        measure_form: MeasureForm | None = None,
        exception_form: ExceptionForm | None = None,
        sign_form: SignForm | None = None,
    ) -> dict[str, Any]:
        load, data_object = self.load, self.data_object
        reconciliation = self.stored or Reconciliation(load=load, data_object=data_object)
        if reconciliation.pk:
            reconciliation.load, reconciliation.data_object = load, data_object
            measures = list(reconciliation.measures.all())
            exceptions = list(reconciliation.exceptions.select_related("owner__user"))
            signoffs = list(reconciliation.signoffs.select_related("signer"))
        else:
            measures, exceptions, signoffs = [], [], []
        can_edit = self.membership.can("edit")
        steward = data_object.steward
        is_steward = steward is not None and steward.pk == self.membership.pk
        signed = bool(signoffs)
        if can_edit and not signed and measure_form is None:
            change = self.request.GET.get("change", "")
            instance = next((m for m in measures if str(m.pk) == change), None)
            measure_form = MeasureForm(instance=instance) if instance else MeasureForm()
        if can_edit and exception_form is None:
            exception_form = ExceptionForm(project=self.project)
        if can_edit and is_steward and sign_form is None:
            sign_form = SignForm()
        context = {
            "load": load,
            "data_object": data_object,
            "reconciliation": reconciliation,
            "measures": measures,
            "figures_outside": sum(1 for m in measures if not m.within_tolerance),
            "exceptions": exceptions,
            "open_exceptions": sum(1 for e in exceptions if e.disposition == ReconciliationException.Disposition.OPEN),
            "signoffs": signoffs,
            "signed": signed,
            "steward": steward,
            "is_steward": is_steward,
            "measure_form": measure_form if can_edit and not signed else None,
            "exception_form": exception_form if can_edit else None,
            "sign_form": sign_form if can_edit and is_steward else None,
            "suggested_figures": SUGGESTED_FIGURES,
            "page_obj": None,
        }
        if reconciliation.pk:
            context["page_obj"] = _history_page(
                self.request,
                selectors.reconciliation_history_querysets(reconciliation=reconciliation),
                ["reconciliation", "order"],
            )
        return context

    def render_page(self, **forms: Any) -> HttpResponse:
        context = self.get_context_data(**self.kwargs)
        context.update(self.reconciliation_context(**forms))
        return self.render_to_response(context)


class ReconciliationView(ReconciliationMixin, TemplateView):
    """GET shows the reconciliation (an empty one until something is recorded); POST adds a control figure
    (`form=figure`) or an exception (`form=exception`)."""

    template_name = "projects/data/reconciliation.html"
    required_capability = "view"
    write_capability = "edit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            context.update(self.reconciliation_context())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        which = request.POST.get("form")
        if which == "figure":
            return self.add_figure()
        if which == "exception":
            return self.add_exception()
        messages.error(request, _("Nothing was saved: the form was not recognised. Reload the page and try again."))
        return HttpResponseRedirect(self.reconciliation_url())

    def add_figure(self) -> HttpResponse:
        form = MeasureForm(self.request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    reconciliation = self.reconciliation()
                    measure = services.measure_set(reconciliation=reconciliation, **form.cleaned_data)
            except MigrationError as exc:
                form.add_error(None, str(exc))
            else:
                verdict = reconciliation.get_verdict_display()
                messages.success(
                    self.request,
                    _("Control figure “%(name)s” saved; the reconciliation now reads: %(verdict)s.")
                    % {"name": measure.name, "verdict": verdict},
                )
                return HttpResponseRedirect(self.reconciliation_url("figures"))
        return self.render_page(measure_form=form)

    def add_exception(self) -> HttpResponse:
        form = ExceptionForm(self.request.POST, project=self.project)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.reconciliation_exception_add(
                        reconciliation=self.reconciliation(), user=self.request.user, **form.cleaned_data
                    )
            except MigrationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(self.request, _("Exception recorded."))
                return HttpResponseRedirect(self.reconciliation_url("exceptions"))
        return self.render_page(exception_form=form)


class MeasureDeleteView(ReconciliationMixin, View):
    """POST removes a control figure (refused once the reconciliation is signed); GET goes back to the page."""

    required_capability = "edit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.reconciliation_url("figures"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        measure = get_object_or_404(
            Measure.objects.select_related("reconciliation"),
            pk=kwargs["measure_id"],
            reconciliation__load=self.load,
            reconciliation__data_object=self.data_object,
        )
        try:
            services.measure_delete(measure=measure)
        except MigrationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Control figure “%(name)s” deleted.") % {"name": measure.name})
        return HttpResponseRedirect(self.reconciliation_url("figures"))


class ExceptionEditView(ReconciliationMixin, FormView):
    template_name = "projects/data/reconciliation_exception_form.html"
    form_class = ExceptionEditForm
    required_capability = "edit"

    def get_exception(self) -> ReconciliationException:
        return get_object_or_404(
            ReconciliationException.objects.select_related("reconciliation__load"),
            pk=self.kwargs["exception_id"],
            reconciliation__load=self.load,
            reconciliation__data_object=self.data_object,
        )

    @cached_property
    def exception(self) -> ReconciliationException:
        return self.get_exception()

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("Exception %(record)s") % {"record": self.exception}, None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["instance"] = self.get_exception()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update({"load": self.load, "data_object": self.data_object, "exception": self.exception})
        context["cancel_url"] = self.reconciliation_url("exceptions")
        return context

    def form_valid(self, form: ExceptionEditForm) -> HttpResponse:
        try:
            services.reconciliation_exception_update(
                exception=self.get_exception(),
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
                **_without_version(form),
            )
        except (StaleVersionError, MigrationError) as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Exception saved."))
        return HttpResponseRedirect(self.reconciliation_url("exceptions"))


class ReconciliationSignView(ReconciliationMixin, TemplateView):
    """The data steward signs the object in this load with the password; a refusal saves nothing."""

    template_name = "projects/data/reconciliation.html"
    required_capability = "edit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.reconciliation_url("sign-off"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():  # the reconciliation row too: a refused signature leaves nothing
                    signoff = services.data_sign(
                        reconciliation=self.reconciliation(),
                        user=request.user,
                        password=form.cleaned_data["password"],
                        comment=form.cleaned_data["comment"],
                    )
            except MigrationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("%(object)s signed for %(load)s with the verdict: %(verdict)s.")
                    % {
                        "object": self.data_object.name,
                        "load": self.load.name,
                        "verdict": signoff.get_verdict_display(),
                    },
                )
                return HttpResponseRedirect(self.reconciliation_url("sign-off"))
        return self.render_page(sign_form=form)  # the comment stays; the password is never sent back


class ReconcileExtractsView(ReconciliationMixin, TemplateResponseMixin, ContextMixin, View):
    """POST a source and a target extract: their control figures and key differences are recorded on the
    reconciliation (the files are not kept). A refusal saves nothing and shows the page with the reason."""

    template_name = "projects/data/reconciliation.html"
    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.stored is not None and self.stored.signoffs.exists():
            messages.error(request, _("The reconciliation is signed; its figures stay as they were signed."))
            return HttpResponseRedirect(self.reconciliation_url("figures"))
        form = ExtractsForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # the reconciliation row too: a refusal leaves nothing
                    summary = reconcile_extracts(
                        reconciliation=self.reconciliation(),
                        source=data["source"],
                        target=data["target"],
                        sum_columns=data["sum_columns"],
                        group_by=data["group_by"],
                        tolerance=data["tolerance"],
                        tolerance_kind=data["tolerance_kind"],
                        user=request.user,
                    )
            except (MigrationError, ProfilingError) as exc:
                form.add_error(None, str(exc))
            else:
                self.report(summary)
                return HttpResponseRedirect(self.reconciliation_url("figures"))
        context = self.get_context_data(**kwargs)
        context.update(self.reconciliation_context())
        context["extracts_form"] = form
        return self.render_to_response(context)

    def report(self, summary: ExtractsSummary) -> None:
        def n(value: int) -> str:
            return number_format(value, force_grouping=True)

        messages.success(
            self.request,
            _(
                "Compared %(source)s source records with %(target)s target records. Control figures recorded: "
                "%(figures)s, outside the tolerance: %(outside)s; the reconciliation now reads: %(verdict)s. Keys "
                "missing in the target: %(missing)s, only in the target: %(extra)s; exceptions added: %(added)s."
            )
            % {
                "source": n(summary.source_rows),
                "target": n(summary.target_rows),
                "figures": n(summary.figures),
                "outside": n(summary.outside),
                "verdict": Reconciliation.Verdict(summary.verdict).label,
                "missing": n(summary.missing),
                "extra": n(summary.extra),
                "added": n(summary.exceptions_added),
            },
        )
        if summary.unparsable:
            cells = ", ".join(f"{where} ({n(count)})" for where, count in summary.unparsable.items())
            messages.warning(
                self.request,
                _("Cells that are not numbers were left out of the sums: %(cells)s.") % {"cells": cells},
            )
