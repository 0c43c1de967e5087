"""Go/no-go: criteria computed from live data and manual checks, the decision signed by the named decider, and the
go-live readiness PDF.

The page reads every criterion through `projects.gonogo.evaluate` (each provider once per kind) and the wording
through `projects.readiness`, which the PDF shares. Decisions are immutable: the page shows them with the
criteria as they were evaluated when they were signed; nothing here changes or deletes one.
"""

from functools import cached_property
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from projects import gonogo, readiness
from projects.forms.gonogo import CriterionForm, DecisionForm, VerdictForm
from projects.models import CutoverPlan, GoNoGoCriterion
from projects.navigation import optional_url
from projects.services import golive as services
from projects.services.golive import GoLiveError
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

Kind = GoNoGoCriterion.Kind
Crumbs = list[tuple[str, str | None]]
HISTORY_PAGE_SIZE = 20

# Where each computed figure comes from: (URL name, link text). A module that is not installed has no URL, and
# the link is left out (`source_link`).
SOURCES = {
    Kind.MUST_HAVE_UAT: ("testing:coverage", gettext_lazy("UAT coverage")),
    Kind.OPEN_SEVERE_DEFECTS: ("testing:defect-list", gettext_lazy("Defects")),
    Kind.UAT_RUNS_SIGNED: ("testing:run-list", gettext_lazy("UAT runs")),
    Kind.RECONCILIATIONS_PASS: ("projects:load-list", gettext_lazy("Trial loads")),
    Kind.DATA_SIGNOFFS: ("projects:load-list", gettext_lazy("Trial loads")),
    Kind.TRAINING_COMPLETION: ("projects:training", gettext_lazy("Training")),
    Kind.REHEARSAL_IN_WINDOW: ("projects:cutover-run-list", gettext_lazy("Rehearsals")),
}


def source_link(kind: str, project_code: str) -> tuple[str, str] | None:
    """(url, text) of the page a computed figure comes from, or None (manual, or the module is absent)."""
    if kind not in SOURCES:
        return None
    name, text = SOURCES[kind]
    url = optional_url(name, project_code=project_code)
    return (url, str(text)) if url else None


def _member_name(membership: Any) -> str:
    return readiness.person(membership.user) if membership is not None else ""


class GoNoGoMixin(ProjectAccessMixin):
    """The go/no-go pages: breadcrumbs Go-live › Go/no-go › …, the criteria of the project."""

    section = "golive"

    def page_url(self, anchor: str = "") -> str:
        url = reverse("projects:go-no-go", kwargs={"project_code": self.project.code})
        return f"{url}#{anchor}" if anchor else url

    def crumbs(self) -> Crumbs:
        return [
            (_("Go-live"), reverse("projects:cutover-plan", kwargs={"project_code": self.project.code})),
            (_("Go/no-go"), self.page_url()),
        ]

    def get_criterion(self) -> GoNoGoCriterion:
        return get_object_or_404(self.project.go_criteria.all(), pk=self.kwargs["go_criterion_id"])

    @cached_property
    def criterion(self) -> GoNoGoCriterion:
        return self.get_criterion()

    @cached_property
    def plan(self) -> CutoverPlan | None:
        return CutoverPlan.objects.select_related("decider__user").filter(project=self.project).first()

    def rows(self) -> list[readiness.CriterionRow]:
        rows = readiness.criterion_rows(gonogo.evaluate(self.project, list(self.project.go_criteria.all())))
        for row in rows:
            row.source = source_link(row.kind, self.project.code)
        return rows

    def sign_context(self, form: DecisionForm | None = None) -> dict[str, Any]:
        """Who decides, whether the reader may sign, and the sign form (disabled for anyone but the decider)."""
        decider = self.plan.decider if self.plan is not None else None
        is_decider = decider is not None and decider.user_id == self.request.user.pk
        return {
            "plan": self.plan,
            "decider": decider,
            "decider_name": _member_name(decider),
            "is_decider": is_decider,
            "sign_form": form if form is not None else DecisionForm(disabled=not is_decider),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


class GoNoGoView(GoNoGoMixin, TemplateView):
    """The criteria measured now with their verdicts, the recommendation, and the decisions signed so far."""

    template_name = "projects/golive/gonogo.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs()[:-1], (_("Go/no-go"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = self.rows()
        decisions = readiness.decision_views(self.project.go_decisions.select_related("decider"), rows)
        context.update(
            rows=rows,
            counts=readiness.counts_of(rows),
            recommendation=readiness.recommendation(rows),
            latest=decisions[0] if decisions else None,
            earlier=decisions[1:],
            **self.sign_context(),
        )
        return context


# Criteria ---------------------------------------------------------------------------------------------------


class CriterionCreateView(GoNoGoMixin, FormView):
    template_name = "projects/golive/gonogo_criterion_form.html"
    form_class = CriterionForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New criterion"), None)]

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind", "")
        return {"kind": kind if kind in Kind.values else Kind.MANUAL, "comparison": "at_least"}

    def form_valid(self, form: CriterionForm) -> HttpResponse:
        try:
            criterion = services.criterion_create(project=self.project, user=self.request.user, **form.service_fields())
        except GoLiveError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Criterion “%(name)s” added.") % {"name": criterion})
        return HttpResponseRedirect(self.page_url(f"criterion-{criterion.pk}"))


class CriterionEditView(GoNoGoMixin, FormView):
    """Edit a criterion; for a manual check also its verdict. `form=verdict` sets a manual check's verdict only
    (the quick buttons on the go/no-go page)."""

    template_name = "projects/golive/gonogo_criterion_form.html"
    form_class = CriterionForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (str(self.criterion), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["criterion"] = self.criterion
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["criterion"] = self.criterion
        entries = history_entries([self.criterion.history.all()], hidden_fields=["project", "order"])
        context["page_obj"] = Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("form") == "verdict":
            return self.verdict()
        return super().post(request, *args, **kwargs)

    def verdict(self) -> HttpResponse:
        form = VerdictForm(self.request.POST)
        if not form.is_valid():
            messages.error(self.request, _("Choose met, not met or not judged yet."))
            return HttpResponseRedirect(self.page_url(f"criterion-{self.criterion.pk}"))
        try:
            criterion = services.criterion_judge(criterion=self.criterion, met=form.met, user=self.request.user)
        except GoLiveError as exc:
            messages.error(self.request, str(exc))
        else:
            label = {True: _("met"), False: _("not met")}.get(criterion.manual_met, _("not judged yet"))
            messages.success(self.request, _("“%(name)s” is %(verdict)s.") % {"name": criterion, "verdict": label})
        return HttpResponseRedirect(self.page_url(f"criterion-{self.criterion.pk}"))

    def form_valid(self, form: CriterionForm) -> HttpResponse:
        expected = parse_datetime(form.cleaned_data.get("stamp") or "")
        try:
            criterion = services.criterion_update(
                criterion=self.criterion,
                expected_updated_at=expected,
                user=self.request.user,
                **form.service_fields(),
            )
        except (StaleVersionError, GoLiveError) as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Criterion “%(name)s” saved.") % {"name": criterion})
        return HttpResponseRedirect(self.page_url(f"criterion-{criterion.pk}"))


class CriterionDeleteView(GoNoGoMixin, TemplateView):
    template_name = "projects/golive/gonogo_criterion_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (str(self.criterion), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["criterion"] = self.criterion
        context["signed"] = self.project.go_decisions.exists()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = str(self.criterion)
        try:
            services.criterion_delete(criterion=self.criterion, user=request.user)
        except GoLiveError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.page_url())
        messages.success(request, _("Criterion “%(name)s” deleted.") % {"name": name})
        return HttpResponseRedirect(self.page_url("criteria"))


class StandardCriteriaView(GoNoGoMixin, View):
    """POST: add the usual criteria the project does not have yet; GET leads back to the page."""

    required_capability = "edit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.page_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            added = services.criteria_add_standard(project=self.project, user=request.user)
        except GoLiveError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d standard criterion added. Adjust the thresholds to your project.",
                    "%(count)d standard criteria added. Adjust the thresholds to your project.",
                    len(added),
                )
                % {"count": len(added)},
            )
        return HttpResponseRedirect(self.page_url("criteria"))


# The decision -----------------------------------------------------------------------------------------------


class DecisionSignView(GoNoGoMixin, TemplateView):
    """The named decider signs go, no-go or go with conditions with the password; the criteria as they are
    evaluated at that moment are kept with the decision. Anyone else who may read the page sees who signs."""

    template_name = "projects/golive/gonogo_sign.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Sign the decision"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = self.rows()
        context.update(
            rows=rows,
            counts=readiness.counts_of(rows),
            recommendation=readiness.recommendation(rows),
            **self.sign_context(kwargs.get("form")),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        record = gonogo.as_record(gonogo.evaluate(self.project, list(self.project.go_criteria.all())))
        try:
            decision = services.decision_sign(
                project=self.project,
                user=request.user,
                password=form.cleaned_data["password"],
                outcome=form.cleaned_data["outcome"],
                conditions=form.cleaned_data.get("conditions", ""),
                criteria=record,
            )
        except GoLiveError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("You signed: %(outcome)s. The decision keeps the criteria as they are now and cannot be changed.")
            % {"outcome": decision.get_outcome_display()},
        )
        return HttpResponseRedirect(self.page_url("decision"))


# The readiness PDF ------------------------------------------------------------------------------------------


class ReadinessPdfView(GoNoGoMixin, View):
    """The go-live readiness report: the plan in short, every criterion, training, the last rehearsal, the decision."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "en"
        with translation.override(language):
            data = readiness.readiness_pdf(readiness.readiness_context(project=self.project))
        return FileResponse(
            BytesIO(data), as_attachment=True, filename=readiness.filename(self.project), content_type="application/pdf"
        )
