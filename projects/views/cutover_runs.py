"""Rehearsals and the live cutover: the runs with planned vs actual per task, and one run's live dashboard.

The dashboard is what the cutover team watches on a tablet during the night: red/amber/green with the reasons,
progress by stream, the tasks to start, to finish, late and failed, the forecast against the plan and the window,
the Gantt, and every task with its buttons. While the run is running its body refreshes itself (htmx) every
30 seconds; a task action swaps it in place. Without JavaScript the same forms post and come back to the page.
"""

from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from projects.forms.cutover_runs import DurationsForm, MomentForm, RunEditForm, RunForm, TaskActionForm
from projects.models import CutoverPlan, CutoverRun, CutoverTask, TaskRun
from projects.selectors import golive as selectors
from projects.services import golive as services
from projects.services.golive import GoLiveError
from workbench.access import ProjectAccessMixin, is_htmx
from workbench.history import history_entries
from workbench.locking import StaleVersionError

HISTORY_PAGE_SIZE = 20
REFRESH_SECONDS = 30


class RunsMixin(ProjectAccessMixin):
    section = "golive"

    def handle_no_permission(self) -> HttpResponse:
        """A signed-out htmx request (the dashboard refreshing itself) sends the whole page to log in."""
        if is_htmx(self.request) and not self.request.user.is_authenticated:
            page = self.request.path
            if "cutover_run_id" in self.kwargs:
                page = reverse(
                    "projects:cutover-run",
                    kwargs={
                        "project_code": self.kwargs["project_code"],
                        "cutover_run_id": self.kwargs["cutover_run_id"],
                    },
                )
            return HttpResponse(headers={"HX-Redirect": f"{reverse('login')}?next={quote(page)}"})
        return super().handle_no_permission()

    @cached_property
    def plan(self) -> CutoverPlan:
        return services.plan_for(self.project)

    def list_url(self, anchor: str = "") -> str:
        url = reverse("projects:cutover-run-list", kwargs={"project_code": self.project.code})
        return f"{url}#{anchor}" if anchor else url

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [
            (_("Go-live"), reverse("projects:cutover-plan", kwargs={"project_code": self.project.code})),
            (_("Rehearsals & live run"), self.list_url()),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


class RunMixin(RunsMixin):
    """A page of one run of the project (404 for a run of another project)."""

    def get_run(self) -> CutoverRun:
        return get_object_or_404(
            CutoverRun.objects.select_related("plan"), pk=self.kwargs["cutover_run_id"], plan__project=self.project
        )

    @cached_property
    def run(self) -> CutoverRun:
        return self.get_run()

    def run_url(self, anchor: str = "") -> str:
        url = reverse("projects:cutover-run", kwargs={"project_code": self.project.code, "cutover_run_id": self.run.pk})
        return f"{url}#{anchor}" if anchor else url

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (self.run.name, self.run_url())]


# The runs -------------------------------------------------------------------------------------------------------


class RunListView(RunsMixin, TemplateView):
    """The runs with their figures, planned vs actual per task, and the proposed durations to apply."""

    template_name = "projects/golive/run_list.html"
    required_capability = "view"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs()[:-1], (_("Rehearsals & live run"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.plan
        tasks = list(selectors.runbook_tasks(plan))
        rehearsals, estimates = selectors.estimates(plan, tasks)
        rows = selectors.run_rows(plan, tasks)
        changing = [row for row in estimates if row.changes]
        window = selectors.window_length(plan)
        context.update(
            {
                "plan": plan,
                "task_count": len(tasks),
                "rows": rows,
                "window": window,
                "window_text": selectors.minutes_text(int(window.total_seconds() // 60)) if window else "",
                "has_live": any(
                    r.run.kind == CutoverRun.Kind.LIVE and r.run.status != CutoverRun.Status.ABORTED for r in rows
                ),
                "rehearsals": rehearsals,
                "estimates": estimates,
                "changing": len(changing),
                "durations_form": kwargs.get("durations_form") or DurationsForm(rows=estimates),
            }
        )
        return context


class RunCreateView(RunsMixin, FormView):
    template_name = "projects/golive/run_form.html"
    form_class = RunForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("Plan a run"), None)]

    def default_names(self) -> dict[str, str]:
        number = self.plan.runs.filter(kind=CutoverRun.Kind.REHEARSAL).count() + 1
        return {
            CutoverRun.Kind.REHEARSAL: _("Rehearsal %(number)d") % {"number": number},
            CutoverRun.Kind.LIVE: _("Live cutover"),
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["default_names"] = self.default_names()
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind")
        kind = kind if kind in CutoverRun.Kind.values else CutoverRun.Kind.REHEARSAL
        initial: dict[str, Any] = {"kind": kind}
        if kind == CutoverRun.Kind.LIVE and self.plan.window_start:
            initial["planned_start"] = timezone.localtime(self.plan.window_start)
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["default_names"] = self.default_names()
        return context

    def form_valid(self, form: RunForm) -> HttpResponse:
        try:
            run = services.run_create(plan=self.plan, user=self.request.user, **form.cleaned_data)
        except GoLiveError as exc:
            form.add_error("kind", str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s” planned. Start it when the team is ready; each task is then recorded here.")
            % {"name": run.name},
        )
        return HttpResponseRedirect(
            reverse("projects:cutover-run", kwargs={"project_code": self.project.code, "cutover_run_id": run.pk})
        )


class DurationsView(RunsMixin, View):
    """Apply the durations re-estimated from the rehearsals to the ticked tasks."""

    required_capability = "view"
    write_capability = "edit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.list_url("estimates"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _rehearsals, estimates = selectors.estimates(self.plan)
        form = DurationsForm(request.POST, rows=estimates)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed: the form was not complete. Reload the page and try again."))
            return HttpResponseRedirect(self.list_url("estimates"))
        if stale := form.stale():
            messages.error(
                request,
                _(
                    "The proposals for tasks %(numbers)s changed since you opened the page; nothing was changed. "
                    "Check them again."
                )
                % {"numbers": ", ".join(str(n) for n in stale)},
            )
            return HttpResponseRedirect(self.list_url("estimates"))
        chosen = form.chosen()
        if not chosen:
            messages.info(request, _("No task was ticked; nothing was changed."))
            return HttpResponseRedirect(self.list_url("estimates"))
        try:
            changed = services.durations_apply(plan=self.plan, durations=chosen, user=request.user)
        except (GoLiveError, StaleVersionError) as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.list_url("estimates"))
        numbers = ", ".join(str(task.number) for task in changed)
        messages.success(
            request,
            ngettext(
                "%(count)d planned duration changed (task %(numbers)s). The runbook's forecast uses it now.",
                "%(count)d planned durations changed (tasks %(numbers)s). The runbook's forecast uses them now.",
                len(changed),
            )
            % {"count": len(changed), "numbers": numbers},
        )
        return HttpResponseRedirect(self.list_url("estimates"))


# One run ----------------------------------------------------------------------------------------------------------


TASKS_PAGE_SIZE = 100  # rows of the dashboard's table of every task per page


class DashboardContextMixin(RunMixin):
    """What the dashboard's body needs, also when a task action is refused (its error shown on that task)."""

    def dashboard_context(
        self, errors: dict[int, dict[str, Any]] | None = None, flash: str = "", flash_error: bool = False
    ) -> dict[str, Any]:
        run = self.run
        board = selectors.dashboard(run)
        for task_id, error in (errors or {}).items():
            if task_id in board.lines:
                board.lines[task_id].error = error
        return {
            "run": run,
            "board": board,
            "flash": flash,
            "flash_error": flash_error,
            "refresh_seconds": REFRESH_SECONDS,
            "stamp": int(timezone.now().timestamp()),
            "shift": selectors.run_shift(run),
            "can_act": self.membership.can("execute") and run.status == CutoverRun.Status.RUNNING,
            # The table of every task, a page at a time; the lists to act on above it are never paged.
            "tasks_page": Paginator(board.rows, TASKS_PAGE_SIZE).get_page(self.request.GET.get("tasks")),
        }

    def render_body(self, context: dict[str, Any]) -> HttpResponse:
        return TemplateResponse(self.request, "projects/golive/run_body.html", {**self.get_context_data(), **context})

    def history_page(self) -> Any:
        entries = history_entries(
            [self.run.history.all(), TaskRun.history.filter(run_id=self.run.pk)],
            hidden_fields=["plan", "run", "task", "by"],
        )
        return Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))

    def page_context(self, **body: Any) -> dict[str, Any]:
        context = self.get_context_data()
        context.update(self.dashboard_context(**body))
        context["page_obj"] = self.history_page()
        run = self.run
        if run.status == CutoverRun.Status.PLANNED:
            context["start_form"] = MomentForm(prefix="start")
        elif run.status == CutoverRun.Status.RUNNING:
            context["finish_form"] = MomentForm(prefix="finish")
        return context


class RunDashboardView(DashboardContextMixin, TemplateView):
    template_name = "projects/golive/run_detail.html"
    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_htmx(request) and request.headers.get("HX-Target") == "run-body":
            return self.render_body(self.dashboard_context())
        return self.render_to_response(self.page_context())


class RunEditView(RunMixin, FormView):
    template_name = "projects/golive/run_form.html"
    form_class = RunEditForm
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("Edit"), None)]

    def not_planned(self) -> HttpResponse | None:
        if self.run.status == CutoverRun.Status.PLANNED:
            return None
        messages.error(self.request, _("Only a planned run can be changed; this one has started."))
        return HttpResponseRedirect(self.run_url())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.not_planned() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.not_planned() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_run()  # its own copy: a refused save must not change what the page shows
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        context["plan"] = self.run.plan
        return context

    def form_valid(self, form: RunEditForm) -> HttpResponse:
        try:
            run = services.run_update(
                run=self.get_run(),
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                planned_start=form.cleaned_data["planned_start"],
                user=self.request.user,
            )
        except (StaleVersionError, GoLiveError) as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” saved.") % {"name": run.name})
        return HttpResponseRedirect(self.run_url())


class RunGanttView(RunMixin, View):
    """The run's Gantt as SVG: the plan as ghosts, each task in its status colour, now, the plan's markers."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from projects import golive_charts

        run = self.run
        board = selectors.dashboard(run)
        shift = selectors.run_shift(run)
        markers, window = golive_charts.plan_markers(run.plan, shift)
        if board.window_end and window:
            # The run's own window: a rehearsal started late still has the window's length from its start.
            planned_end = window[1]
            markers = [(board.window_end if at == planned_end else at, label) for at, label in markers]
            window = (board.window_end - (window[1] - window[0]), board.window_end)
        svg = golive_charts.gantt_svg(
            board.tasks,
            board.schedule,
            baseline=board.baseline,
            statuses={task.pk: board.status_of(task) for task in board.tasks},
            now=board.now,
            markers=markers,
            window=window,
        )
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        return response


class RunActionView(RunMixin, View):
    """Start, finish or abort a run (POST); GET goes back to the dashboard."""

    required_capability = "edit"
    prefix = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.run_url())

    def act(self, at: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = MomentForm(request.POST, prefix=self.prefix, not_before=self.run.started_at)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(self.run_url())
        try:
            message = self.act(form.cleaned_data.get("at"))
        except GoLiveError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.run_url())


class RunStartView(RunActionView):
    required_capability = "edit"
    prefix = "start"

    def act(self, at: Any) -> str:
        run = services.run_start(run=self.run, user=self.request.user, at=at)
        return _("“%(name)s” started. Start the first tasks below.") % {"name": run.name}


class RunFinishView(RunActionView):
    required_capability = "edit"
    prefix = "finish"

    def act(self, at: Any) -> str:
        run = services.run_finish(run=self.run, user=self.request.user, at=at)
        return _("“%(name)s” finished.") % {"name": run.name}


class RunAbortView(RunMixin, TemplateView):
    """GET asks for confirmation; POST aborts the run (planned or running), keeping what was recorded."""

    template_name = "projects/golive/run_abort.html"
    required_capability = "edit"

    def crumbs(self) -> list[tuple[str, str | None]]:
        return [*super().crumbs(), (_("Abort"), None)]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.run.status not in (CutoverRun.Status.PLANNED, CutoverRun.Status.RUNNING):
            messages.info(request, _("The run is over; there is nothing to abort."))
            return HttpResponseRedirect(self.run_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        context["open_tasks"] = self.run.task_runs.exclude(
            status__in=[TaskRun.Status.DONE, TaskRun.Status.SKIPPED]
        ).count()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            run = services.run_finish(run=self.run, abort=True, user=request.user)
        except GoLiveError as exc:
            messages.error(request, str(exc))
        else:
            messages.warning(request, _("“%(name)s” aborted. What was recorded stays.") % {"name": run.name})
        return HttpResponseRedirect(self.run_url())


# A task in the run ----------------------------------------------------------------------------------------------

DONE_MESSAGES = {
    "start": _("Task %(number)d started."),
    "complete": _("Task %(number)d done."),
    "fail": _("Task %(number)d failed."),
    "skip": _("Task %(number)d skipped."),
}


class TaskRunView(DashboardContextMixin, TemplateView):
    """Record a task: start, complete (pass), fail or skip it, now or at a time after the fact.

    With htmx the dashboard's body comes back, with the refusal on the task if there is one; without, a redirect
    to the task on the dashboard, or the dashboard with the refusal on the task (what was typed kept).
    """

    template_name = "projects/golive/run_detail.html"
    required_capability = "view"
    write_capability = "execute"

    def get_task(self) -> CutoverTask:
        return get_object_or_404(CutoverTask, plan_id=self.run.plan_id, number=self.kwargs["task_number"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.run_url(f"task-{self.get_task().number}"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.get_task()
        form = TaskActionForm(request.POST, run=self.run)
        error: dict[str, Any] | None = None
        if form.is_valid():
            try:
                self.act(task, form.cleaned_data)
            except GoLiveError as exc:
                error = {"message": str(exc), "field": None}
        else:
            field = next(iter(form.errors))
            error = {
                "message": " ".join(str(e) for e in form.errors[field]),
                "field": field if field in ("reason", "at") else None,
            }
        if error is not None:
            error.update(
                reason=request.POST.get("reason", ""), at=request.POST.get("at", ""), action=request.POST.get("action")
            )
            errors = {task.pk: error}
            flash = _("Task %(number)d: %(message)s") % {"number": task.number, "message": error["message"]}
            if is_htmx(request):
                return self.render_body(self.dashboard_context(errors, flash=flash, flash_error=True))
            return TemplateResponse(
                request, self.template_name, self.page_context(errors=errors, flash=flash, flash_error=True)
            )
        done = DONE_MESSAGES[form.cleaned_data["action"]] % {"number": task.number}
        if is_htmx(request):
            return self.render_body(self.dashboard_context(flash=done))
        messages.success(request, done)
        return HttpResponseRedirect(self.run_url(f"task-{task.number}"))

    def act(self, task: CutoverTask, data: dict[str, Any]) -> TaskRun:
        user, at, reason = self.request.user, data.get("at"), data.get("reason", "")
        action = data["action"]
        if action == "start":
            return services.task_start(run=self.run, task=task, user=user, at=at)
        if action == "complete":
            return services.task_finish(run=self.run, task=task, outcome=TaskRun.Status.DONE, user=user, at=at)
        if action == "fail":
            return services.task_finish(
                run=self.run, task=task, outcome=TaskRun.Status.FAILED, reason=reason, user=user, at=at
            )
        return services.task_skip(run=self.run, task=task, reason=reason, user=user)
