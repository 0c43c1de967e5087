"""Test run pages: the list (the landing page of UAT), create and edit, the cases of a run chosen by filter and
their testers, start and complete, the run's page with its progress and burn-down, sign-off and history."""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from testing import services as svc
from testing.filters import case_filter
from testing.models import Execution, RunCase, TestRun, UATCase
from testing.models.runs import Result
from testing.progress import (
    burndown_chart,
    cached_burndown,
    open_defect_counts,
    run_progress,
    run_rows,
    with_open_defects,
)
from testing.run_forms import AssignForm, RunEditForm, RunForm, SignForm, executor_label, executors
from testing.services import TestingError
from testing.views.common import Crumbs, UATMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError, stale_message

PAGE_SIZE = 50
RUN_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50
FILTER_FIELDS = ("q", "role", "flow", "priority", "layer", "requirement_priority")
ROLE_LABELS = dict(UATCase.Role.choices)
FLOW_LABELS = dict(UATCase.Flow.choices)
PRIORITY_LABELS = dict(UATCase.Priority.choices)


def _refusal(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def filter_query(data: QueryDict) -> str:
    """The case filter's part of a query (GET or POST), as a query string to go back to."""
    query = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        value = data.get(name, "")
        if value:
            query[name] = value
    return query.urlencode()


# What a row of the run's page reads: fetching no more keeps a page of 50 cases cheap to load.
ROW_FIELDS = (
    "run_id",
    "case_id",
    "tester_id",
    "order",
    "frozen_at",
    "frozen_key",
    "frozen_title",
    "frozen_role",
    "frozen_flow",
    "frozen_priority",
    "result",
    "case__key",
    "case__title",
    "case__role",
    "case__flow",
    "case__priority",
    "tester__user__first_name",
    "tester__user__last_name",
    "tester__user__username",
)
RESULT_BADGES = {
    Result.PASS: "bg-green-lt",
    Result.FAIL: "bg-red-lt",
    Result.BLOCKED: "bg-orange-lt",
    Result.SKIPPED: "bg-secondary-lt",
    Result.IN_PROGRESS: "bg-blue-lt",
}


def shown(run_case: RunCase, cases_prefix: str = "") -> RunCase:
    """Sets what a row shows of the case: the frozen text once the run started, the case's own before; the
    tester's name, the result badge's colour and (with `cases_prefix`) the link to execute it, without a query
    or a reverse() per row."""
    frozen = run_case.frozen_at is not None
    case = run_case.case
    tester = run_case.tester
    run_case.tester_name = (tester.user.get_full_name() or tester.user.get_username()) if tester else ""
    run_case.badge = RESULT_BADGES.get(run_case.result, "bg-light text-secondary")
    run_case.result_label = Result(run_case.result).label if run_case.result in Result.values else run_case.result
    run_case.execute_url = f"{cases_prefix}{run_case.pk}/" if cases_prefix else ""
    run_case.shown_key = run_case.frozen_key if frozen else case.key
    run_case.shown_title = run_case.frozen_title if frozen else case.title
    role = run_case.frozen_role if frozen else case.role
    flow = run_case.frozen_flow if frozen else case.flow
    priority = run_case.frozen_priority if frozen else case.priority
    run_case.role_label = ROLE_LABELS.get(role, role)
    run_case.flow = flow
    run_case.flow_label = FLOW_LABELS.get(flow, flow)
    run_case.priority_value = priority
    run_case.priority_label = PRIORITY_LABELS.get(priority, priority)
    return run_case


class RunsMixin(UATMixin):
    """The run pages: URLs, breadcrumbs after "UAT", the tab bar."""

    def list_url(self) -> str:
        return reverse("testing:run-list", kwargs={"project_code": self.project.code})

    def run_url(self, run: TestRun, name: str = "run-detail") -> str:
        return reverse(f"testing:{name}", kwargs={"project_code": self.project.code, "run_id": run.pk})

    def crumbs(self) -> Crumbs:
        return [(self.run.name, self.run_url(self.run))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("crumbs", self.crumbs())
        context["tab"] = "runs"
        return context

    def back_url(self, default: str) -> str:
        """The page of this run the form was sent from (`next`), else `default`."""
        target = self.request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})
        prefix = reverse("testing:run-list", kwargs={"project_code": self.project.code})
        return target if safe and target.startswith(prefix) else default


# The list -----------------------------------------------------------------------------------------------


class RunListView(RunsMixin, TemplateView):
    """Every run of the project with its progress bar; the figures of a page of runs take three queries."""

    template_name = "testing/run_list.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(self.project.test_runs.order_by("-created_at", "-pk"), RUN_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        rows = run_rows(list(page.object_list))
        context.update(
            page_obj=page,
            rows=rows,
            has_cases=bool(rows) or self.project.uat_cases.exists(),
        )
        return context


# Create and edit ----------------------------------------------------------------------------------------


class RunCreateView(RunsMixin, FormView):
    template_name = "testing/run_form.html"
    form_class = RunForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [(_("New run"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = TestRun(project=self.project)
        return kwargs

    def form_valid(self, form: RunForm) -> HttpResponse:
        try:
            run = svc.run_create(project=self.project, user=self.request.user, **form.service_fields())
        except (TestingError, ValidationError) as exc:
            form.add_error(None, _refusal(exc))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Run “%(name)s” created. Now choose its cases and testers.") % {"name": run.name}
        )
        return HttpResponseRedirect(self.run_url(run, "run-cases"))


class RunEditView(RunsMixin, FormView):
    template_name = "testing/run_form.html"
    form_class = RunEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_run()  # its own copy: the form writes what was typed onto it
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        return context

    def form_valid(self, form: RunEditForm) -> HttpResponse:
        run = self.get_run()
        try:
            svc.run_update(
                run=run, expected_version=form.cleaned_data["version"], user=self.request.user, **form.service_fields()
            )
        except StaleVersionError as exc:
            return self.conflict(form, exc)
        except (TestingError, ValidationError) as exc:
            form.add_error(None, _refusal(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Run “%(name)s” saved.") % {"name": run.name})
        return HttpResponseRedirect(self.run_url(run))

    def conflict(self, form: RunEditForm, exc: StaleVersionError) -> HttpResponse:
        """Refuse the stale save; the form keeps what was typed, and the stored values are shown beside it.
        The form now carries the stored version, so saving again (after checking) overwrites on purpose."""
        current = self.get_run()
        data = form.data.copy()
        data["version"] = str(current.version)
        retry = RunEditForm(data, instance=self.get_run())
        retry.is_valid()
        retry.add_error(None, stale_message(current))
        return self.render_to_response(self.get_context_data(form=retry, stored=current))


# The cases of a run and their testers --------------------------------------------------------------------


class RunCasesView(RunsMixin, TemplateView):
    """Choose the cases of a run by filter (live count of matches and of those already in the run), add them
    all at once, assign testers in bulk or per case, take a case out."""

    template_name = "testing/run_cases.html"
    required_capability = "view"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Cases and testers"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = self.run
        filterset = case_filter(self.request.GET, self.project)
        matching = filterset.qs  # validates the form first, which sets cleaned_data
        cleaned = getattr(filterset.form, "cleaned_data", {})
        filtered = any(cleaned.get(name) for name in FILTER_FIELDS)
        match_count = matching.count()
        in_run_count = matching.filter(run_cases__run=run).count()
        run_cases = run.run_cases.all()
        if filtered:
            run_cases = run_cases.filter(case__in=matching.values("pk"))
        run_cases = (
            run_cases.select_related("case", "tester__user")
            .annotate(has_results=Exists(Execution.objects.filter(run_case=OuterRef("pk"))))
            .order_by("order", "pk")
        )
        paginator = Paginator(run_cases, PAGE_SIZE)
        paginator.count = in_run_count  # the run's cases matching the filter: counted above
        page = paginator.get_page(self.request.GET.get("page"))
        for run_case in page.object_list:
            shown(run_case)
        form = filterset.form
        context.update(
            run=run,
            filter=filterset,
            filtered=filtered,
            select_fields=[
                (form[name], list(iter(form.fields[name].choices)))
                for name in ("layer", "requirement_priority", "role", "flow", "priority")
            ],
            match_count=match_count,
            in_run_count=in_run_count,
            to_add=match_count - in_run_count,
            run_total=run.run_cases.count() if filtered else in_run_count,
            project_case_count=self.project.uat_cases.count() if filtered else match_count,
            page_obj=page,
            filter_params=[(name, self.request.GET[name]) for name in FILTER_FIELDS if self.request.GET.get(name)],
            can_add=run.status != TestRun.Status.COMPLETED,
        )
        if context["can_edit"]:
            members = list(executors(self.project))
            context["executors"] = [(m.pk, executor_label(m)) for m in members]
            context.setdefault("assign_form", AssignForm(run=run))
        return context

    def back(self) -> HttpResponse:
        query = filter_query(self.request.POST)
        url = self.run_url(self.run, "run-cases")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "assign":
            return self.assign()
        return self.add()

    def add(self) -> HttpResponse:
        run = self.run
        cases = list(case_filter(self.request.POST, self.project).qs)
        if not cases:
            messages.info(self.request, _("No case matches the filter, so none was added."))
            return self.back()
        try:
            added = svc.run_add_cases(run=run, cases=cases)
        except TestingError as exc:
            messages.error(self.request, str(exc))
            return self.back()
        skipped = len(cases) - len(added)
        text = ngettext("%(count)s case added to the run.", "%(count)s cases added to the run.", len(added)) % {
            "count": len(added)
        }
        if skipped:
            text += " " + ngettext("%(count)s was in it already.", "%(count)s were in it already.", skipped) % {
                "count": skipped
            }
        if run.status == TestRun.Status.IN_PROGRESS and added:
            text += " " + _("The run has started, so their text was frozen into it at once.")
        (messages.success if added else messages.info)(self.request, text)
        return self.back()

    def assign(self) -> HttpResponse:
        run = self.run
        form = AssignForm(self.request.POST, run=run)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(self.request, error)
            return self.back()
        tester = form.cleaned_data["tester"]
        if form.cleaned_data["scope"] == "matching":
            matching = case_filter(self.request.POST, self.project).qs
            run_cases = run.run_cases.filter(case__in=matching.values("pk"))
        else:
            run_cases = run.run_cases.filter(pk__in=[rc.pk for rc in form.cleaned_data["run_cases"]])
        count = 0
        try:
            for run_case in run_cases.select_related("run"):
                svc.run_assign(run_case=run_case, tester=tester)
                count += 1
        except TestingError as exc:
            messages.error(self.request, str(exc))
            return self.back()
        if tester is None:
            text = ngettext("%(count)s case is now unassigned.", "%(count)s cases are now unassigned.", count)
        else:
            text = ngettext("%(count)s case assigned to %(name)s.", "%(count)s cases assigned to %(name)s.", count)
        messages.success(self.request, text % {"count": count, "name": tester.user.get_full_name() if tester else ""})
        return self.back()


class RunCaseActionView(RunsMixin, View):
    """A POST-only action on one case of a run that ends back on the page it was sent from."""

    required_capability = "edit"

    def back(self) -> HttpResponse:
        return HttpResponseRedirect(self.back_url(self.run_url(self.run_case.run, "run-cases")))


class RunCaseAssignView(RunCaseActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run_case = self.run_case
        key = run_case.frozen_key or run_case.case.key
        value = request.POST.get("tester", "").strip()
        tester = None
        if value:
            tester = executors(self.project).filter(pk=value).first() if value.isdigit() else None
            if tester is None:
                messages.error(request, _("Assign a project member who may execute tests."))
                return self.back()
        try:
            svc.run_assign(run_case=run_case, tester=tester)
        except TestingError as exc:
            messages.error(request, str(exc))
            return self.back()
        if tester is None:
            messages.success(request, _("%(key)s is now unassigned.") % {"key": key})
        else:
            messages.success(
                request,
                _("%(key)s assigned to %(name)s.")
                % {"key": key, "name": tester.user.get_full_name() or tester.user.get_username()},
            )
        return self.back()


class RunCaseRemoveView(RunCaseActionView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run_case = self.run_case
        key = run_case.frozen_key or run_case.case.key
        try:
            svc.run_remove_case(run_case=run_case)
        except TestingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(key)s taken out of the run.") % {"key": key})
        return self.back()


# Start and complete -------------------------------------------------------------------------------------


class RunStartView(RunsMixin, View):
    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.get_run()
        try:
            svc.run_start(run=run, user=request.user)
        except TestingError as exc:
            messages.error(request, str(exc))
        else:
            count = run.run_cases.count()
            messages.success(
                request,
                ngettext(
                    "Run started: the text of its %(count)s case is frozen; testers can record results now.",
                    "Run started: the text of its %(count)s cases is frozen; testers can record results now.",
                    count,
                )
                % {"count": count},
            )
        return HttpResponseRedirect(self.run_url(run))


class RunCompleteView(RunsMixin, View):
    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.get_run()
        try:
            svc.run_complete(run=run, user=request.user)
        except TestingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Run completed: no more results are recorded in it. It can still be signed."))
        return HttpResponseRedirect(self.run_url(run))


# The run's page -----------------------------------------------------------------------------------------


class RunDetailView(RunsMixin, TemplateView):
    """Header, progress (by result, tester, requirement layer), burn-down, the paged cases, sign-offs. The
    number of queries does not depend on the number of cases: every figure is counted by the database."""

    template_name = "testing/run_detail.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [(self.run.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = self.run
        progress = run_progress(run)
        burndown = cached_burndown(run, total=progress.total)
        critical = list(svc.open_critical_defects(run).only("key", "title", "status"))
        result, tester = self.request.GET.get("result", ""), self.request.GET.get("tester", "")
        run_cases = run.run_cases.all()
        if result in Result.values:
            run_cases = run_cases.filter(result=result)
        else:
            result = ""
        if tester == "mine":
            run_cases = run_cases.filter(tester=self.membership)
        elif tester == "none":
            run_cases = run_cases.filter(tester__isnull=True)
        elif tester.isdigit():
            run_cases = run_cases.filter(tester_id=int(tester))
        else:
            tester = ""
        paginator = Paginator(
            with_open_defects(
                run_cases.select_related("case", "tester__user").only(*ROW_FIELDS).order_by("order", "pk")
            ),
            PAGE_SIZE,
        )
        paginator.count = self.case_count(progress, run_cases, result, tester)
        page = paginator.get_page(self.request.GET.get("page"))
        # The URL map puts a run's cases under runs/<id>/cases/<run_case_id>/: one reverse() for the page.
        prefix = self.run_url(run, "run-cases")
        for run_case in page.object_list:
            shown(run_case, prefix)
        context.update(
            run=run,
            progress=progress,
            burndown=burndown,
            burndown_svg=burndown_chart(burndown) if progress.total else "",
            critical=critical,
            open_defects=open_defect_counts([run]).get(run.pk, 0),
            signoffs=list(run.signoffs.select_related("signer")),
            page_obj=page,
            case_prefix=reverse("testing:case-list", kwargs={"project_code": self.project.code}),
            result_filter=result,
            tester_filter=tester,
            result_choices=Result.choices,
            filtered=bool(result or tester),
            can_start=context["can_edit"] and run.status == TestRun.Status.PLANNED and progress.total > 0,
            can_complete=context["can_edit"] and run.status == TestRun.Status.IN_PROGRESS,
            can_sign=context["can_edit"] and run.status != TestRun.Status.PLANNED,
        )
        return context

    def case_count(self, progress: Any, run_cases: Any, result: str, tester: str) -> int:
        """The number of cases the list shows: known from the progress figures unless both filters are set."""
        if not result and not tester:
            return progress.total
        if not tester:
            return progress.counts.get(result, 0)
        if not result and tester != "mine":
            wanted = None if tester == "none" else int(tester)
            return sum(row.total for row in progress.by_tester if row.membership_id == wanted)
        return run_cases.count()


# Sign-off -----------------------------------------------------------------------------------------------


class RunSignView(RunsMixin, TemplateView):
    """Sign the run as a named role by re-entering the password; with a critical defect open, only with a
    waiver. Signatures are permanent."""

    template_name = "testing/run_sign.html"
    required_capability = "view"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Sign"), None)]

    @cached_property
    def critical(self) -> list:
        return list(svc.open_critical_defects(self.run).only("key", "title", "status", "severity"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            run=self.run,
            critical=self.critical,
            signoffs=list(self.run.signoffs.select_related("signer")),
            can_sign=context["can_edit"] and self.run.status != TestRun.Status.PLANNED,
        )
        if context["can_sign"]:
            context.setdefault("form", SignForm(waiver_needed=bool(self.critical)))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.run
        form = SignForm(request.POST, waiver_needed=bool(self.critical))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            svc.run_sign(run=run, user=request.user, **form.service_fields())
        except TestingError as exc:
            messages.error(request, str(exc))
            kept = {name: request.POST.get(name, "") for name in ("role", "comment", "waiver")}
            form = SignForm(initial=kept, waiver_needed=bool(self.critical) or bool(kept["waiver"]))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("You signed “%(name)s”. Your signature is permanent.") % {"name": run.name})
        return HttpResponseRedirect(f"{self.run_url(run)}#signoffs")


# History ------------------------------------------------------------------------------------------------


class RunHistoryView(RunsMixin, TemplateView):
    """Every saved version of the run, and the changes to its cases (added, assigned, results)."""

    template_name = "testing/run_history.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("History"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = self.run
        entries = history_entries(
            [TestRun.history.filter(id=run.pk), RunCase.history.filter(run_id=run.pk)],
            hidden_fields=["project", "run", "order"],
        )
        context.update(
            run=run,
            page_obj=Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page")),
        )
        return context
