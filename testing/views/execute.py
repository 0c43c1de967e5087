"""Execution on a phone: the tester's queue, the case page with one card per step (recorded with htmx, a plain
POST works too), evidence uploads served only to the project's members, and retests."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from projects.models import Membership, Project
from testing import services
from testing.execute_forms import EvidenceForm, StepRecordForm
from testing.models import Defect, Evidence, Execution, RunCase, StepResult, TestRun, UATCase
from testing.models.runs import FINISHED_RESULTS, Result
from testing.services import TestingError
from testing.views.common import Crumbs, UATMixin
from workbench.access import is_htmx, project_context

QUEUE_PAGE_SIZE = 50
# A case is finished for its tester once it passed, failed or was skipped; blocked ones still wait for something.
# Out of the tester's way: a blocked case stays in the queue until it can go on.
FINISHED = FINISHED_RESULTS - {Result.BLOCKED}
# An execution whose result is one of these may be retested.
RETESTABLE = (Result.PASS, Result.FAIL, Result.BLOCKED, Result.SKIPPED)
RUN_ORDER = ("-run__started_at", "run_id")
# The four big buttons of a step: status, label, Tabler colour, icon.
STATUS_BUTTONS = [
    (Result.PASS.value, Result.PASS.label, "success", "ti-check"),
    (Result.FAIL.value, Result.FAIL.label, "danger", "ti-x"),
    (Result.BLOCKED.value, Result.BLOCKED.label, "warning", "ti-ban"),
    (Result.SKIPPED.value, Result.SKIPPED.label, "secondary", "ti-player-skip-forward"),
]


def my_queue(project: Project, membership: Membership) -> QuerySet[RunCase]:
    """The cases assigned to this member in the project's runs in progress."""
    return RunCase.objects.filter(run__project=project, run__status=TestRun.Status.IN_PROGRESS, tester=membership)


def role_label(value: str) -> str:
    return UATCase.Role(value).label if value in UATCase.Role.values else value


# The queue ----------------------------------------------------------------------------------------------------------


class QueueView(UATMixin, TemplateView):
    """My cases in runs in progress, grouped by run, unfinished first; paged, with step progress from SQL."""

    template_name = "testing/queue.html"
    required_capability = "execute"

    def rows(self) -> QuerySet[RunCase]:
        latest = Execution.objects.filter(run_case=OuterRef("pk")).order_by("-number").values("pk")[:1]
        done = (
            StepResult.objects.filter(execution=OuterRef("latest_execution"))
            .order_by()
            .values("execution")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            my_queue(self.project, self.membership)
            .select_related("run")
            .only(
                "pk",
                "order",
                "result",
                "frozen_key",
                "frozen_title",
                "frozen_role",
                "frozen_steps",
                "run__id",
                "run__name",
                "run__started_at",
                "run__environment",
                "run__build",
            )
            .annotate(latest_execution=Subquery(latest))
            .annotate(
                steps_done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
                finished=Case(When(result__in=FINISHED, then=Value(1)), default=Value(0), output_field=IntegerField()),
            )
            .order_by(*RUN_ORDER, "finished", "order", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(self.rows(), QUEUE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        totals = {
            t["run"]: t
            for t in my_queue(self.project, self.membership)
            .order_by()
            .values("run")
            .annotate(total=Count("pk"), todo=Count("pk", filter=~Q(result__in=FINISHED)))
        }
        for row in page.object_list:
            row.role_label = role_label(row.frozen_role)
            row.steps_total = len(row.frozen_steps)
            row.run.queue_total = totals[row.run_id]["total"]
            row.run.queue_todo = totals[row.run_id]["todo"]
        unassigned = list(
            RunCase.objects.filter(
                run__project=self.project, run__status=TestRun.Status.IN_PROGRESS, tester__isnull=True
            )
            .order_by(*RUN_ORDER)
            .values("run", "run__name")
            .annotate(count=Count("pk"))
        )
        for entry in unassigned:
            entry["url"] = (
                reverse("testing:run-detail", kwargs={"project_code": self.project.code, "run_id": entry["run"]})
                + "?tester=none"
            )
        context.update(
            crumbs=[(_("My queue"), None)],
            page_obj=page,
            rows=page.object_list,
            unassigned=unassigned,
            todo_count=sum(t["todo"] for t in totals.values()),
        )
        return context


# The execution page -------------------------------------------------------------------------------------------------


@dataclass
class StepCard:
    """One step of the case as the page shows it, with its result in the latest execution."""

    order: int
    action: str
    expected: str
    test_data: str
    result: StepResult | None = None
    error: str = ""
    actual: str = ""
    tried: str = ""  # the status that was refused
    defects: list[Defect] = field(default_factory=list)
    raise_url: str = ""

    @property
    def status(self) -> str:
        return self.result.status if self.result else Result.NOT_RUN

    @property
    def status_label(self) -> str:
        return self.result.get_status_display() if self.result else Result.NOT_RUN.label


class RunCaseMixin(UATMixin):
    """The pages of one case in a run: its text (frozen once the run started), its executions and evidence."""

    def page_url(self, anchor: str = "") -> str:
        url = reverse(
            "testing:execute",
            kwargs={"project_code": self.project.code, "run_id": self.run_case.run_id, "run_case_id": self.run_case.pk},
        )
        return f"{url}#{anchor}" if anchor else url

    def crumbs(self) -> Crumbs:
        run = self.run_case.run
        run_url = reverse("testing:run-detail", kwargs={"project_code": self.project.code, "run_id": run.pk})
        return [(run.name, run_url), (self.case_text()["key"], None)]

    @property
    def frozen(self) -> bool:
        return self.run_case.frozen_at is not None

    @property
    def can_record(self) -> bool:
        return self.membership.can("execute") and self.run_case.run.status == TestRun.Status.IN_PROGRESS

    def case_text(self) -> dict[str, Any]:
        """The case as tested: the frozen copy in a started run, the live case before."""
        if not hasattr(self, "_case_text"):
            run_case, case = self.run_case, self.run_case.case
            if self.frozen:
                text = {
                    "key": run_case.frozen_key,
                    "title": run_case.frozen_title,
                    "role": run_case.frozen_role,
                    "flow": run_case.frozen_flow,
                    "priority": run_case.frozen_priority,
                    "preconditions": run_case.frozen_preconditions,
                    "steps": sorted(run_case.frozen_steps, key=lambda s: s["order"]),
                    "requirements": list(run_case.frozen_requirements),
                }
            else:
                text = {
                    "key": case.key,
                    "title": case.title,
                    "role": case.role,
                    "flow": case.flow,
                    "priority": case.priority,
                    "preconditions": case.preconditions,
                    "steps": [
                        {"order": s.order, "action": s.action, "expected": s.expected, "test_data": s.test_data}
                        for s in case.steps.order_by("order")
                    ],
                    "requirements": list(case.requirements.order_by("number").values_list("key", flat=True)),
                }
            text["role_label"] = role_label(text["role"])
            text["flow_label"] = dict(UATCase.Flow.choices).get(text["flow"], text["flow"])
            text["priority_label"] = dict(UATCase.Priority.choices).get(text["priority"], text["priority"])
            text["requirement_links"] = [
                (
                    key,
                    reverse("requirements:requirement-detail", kwargs={"project_code": self.project.code, "key": key}),
                )
                for key in text["requirements"]
            ]
            self._case_text = text
        return self._case_text

    def executions(self) -> list[Execution]:
        """Every attempt, oldest first, with its step results and evidence."""
        if not hasattr(self, "_executions"):
            self._executions = list(
                self.run_case.executions.select_related("tester")
                .prefetch_related(
                    Prefetch("steps", queryset=StepResult.objects.select_related("recorded_by").order_by("step_order")),
                    Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by").order_by("pk")),
                )
                .order_by("number")
            )
        return self._executions

    def latest(self) -> Execution | None:
        executions = self.executions()
        return executions[-1] if executions else None

    def defects(self) -> list[Defect]:
        if not hasattr(self, "_defects"):
            self._defects = list(Defect.objects.filter(run_case=self.run_case).order_by("number"))
        return self._defects

    def step_cards(self, errors: dict[int, dict[str, str]] | None = None) -> list[StepCard]:
        errors = errors or {}
        latest = self.latest()
        results = {r.step_order: r for r in latest.steps.all()} if latest else {}
        defect_url = reverse("testing:defect-create", kwargs={"project_code": self.project.code})
        cards = []
        for step in self.case_text()["steps"]:
            order = step["order"]
            result = results.get(order)
            refused = errors.get(order, {})
            cards.append(
                StepCard(
                    order=order,
                    action=step["action"],
                    expected=step["expected"],
                    test_data=step.get("test_data", ""),
                    result=result,
                    error=refused.get("error", ""),
                    tried=refused.get("status", ""),
                    actual=refused.get("actual", result.actual if result else ""),
                    defects=[d for d in self.defects() if d.step_order == order],
                    raise_url=f"{defect_url}?run_case={self.run_case.pk}&step={order}",
                )
            )
        return cards

    def evidence_groups(self, execution: Execution | None) -> list[tuple[str, list[Evidence]]]:
        """The evidence of an execution by step: the whole case's first, then step by step."""
        if execution is None:
            return []
        groups: dict[int | None, list[Evidence]] = {}
        for item in sorted(execution.evidence.all(), key=lambda e: (e.step_order is not None, e.step_order or 0)):
            groups.setdefault(item.step_order, []).append(item)
        return [
            (_("Step %(n)s") % {"n": order} if order is not None else _("The whole case"), items)
            for order, items in groups.items()
        ]

    def queue_neighbours(self) -> tuple[str | None, str | None]:
        """The previous and next case in my queue, in the queue's run order and the cases' order."""
        if not self.membership.can("execute"):
            return None, None
        ids = list(
            my_queue(self.project, self.membership).order_by(*RUN_ORDER, "order", "pk").values_list("run_id", "pk")
        )
        here = (self.run_case.run_id, self.run_case.pk)
        if here not in ids:
            return None, None
        index = ids.index(here)

        def url(pair: tuple[int, int]) -> str:
            return reverse(
                "testing:execute",
                kwargs={"project_code": self.project.code, "run_id": pair[0], "run_case_id": pair[1]},
            )

        previous = url(ids[index - 1]) if index > 0 else None
        following = url(ids[index + 1]) if index + 1 < len(ids) else None
        return previous, following

    def status_context(self) -> dict[str, Any]:
        """What the case status block (result, progress, assignee, retest) needs."""
        latest = self.latest()
        steps_total = len(self.case_text()["steps"])
        return {
            "run_case": self.run_case,
            "run": self.run_case.run,
            "latest": latest,
            "steps_done": len(latest.steps.all()) if latest else 0,
            "steps_total": steps_total,
            "can_record": self.can_record,
            "can_retest": self.can_record and latest is not None and latest.result in RETESTABLE,
            "assigned_to_me": self.run_case.tester_id == self.membership.pk,
        }

    def evidence_context(self, form: EvidenceForm | None = None) -> dict[str, Any]:
        latest = self.latest()
        orders = [step["order"] for step in self.case_text()["steps"]]
        if form is None:
            # A photo is most often of the step that just failed or got stuck: offer that one.
            stuck = (
                [r.step_order for r in latest.steps.all() if r.status in (Result.FAIL, Result.BLOCKED)]
                if latest
                else []
            )
            form = EvidenceForm(step_orders=orders, initial={"step": stuck[-1] if stuck else None})
        return {"evidence_groups": self.evidence_groups(latest), "evidence_form": form}

    def execute_context(self, errors: dict[int, dict[str, str]] | None = None, **extra: Any) -> dict[str, Any]:
        executions = self.executions()
        previous_url, next_url = self.queue_neighbours()
        context = {
            "crumbs": self.crumbs(),
            "text": self.case_text(),
            "frozen": self.frozen,
            "steps": self.step_cards(errors),
            "defects": self.defects(),
            "earlier": [(e, self.evidence_groups(e)) for e in reversed(executions[:-1])],
            "previous_url": previous_url,
            "next_url": next_url,
            "page_url": self.page_url(),
            "status_buttons": STATUS_BUTTONS,
            **self.status_context(),
            **self.evidence_context(extra.pop("evidence_form", None)),
        }
        context.update(extra)
        return context

    def page_context(self, errors: dict[int, dict[str, str]] | None = None, **extra: Any) -> dict[str, Any]:
        """Everything the page and its fragments need, the project's context included."""
        context = project_context(self.membership, self.section)
        context.update(self.execute_context(errors, **extra))
        context["tab"] = "queue" if context["assigned_to_me"] and context["can_execute"] else "runs"
        return context


class ExecuteView(RunCaseMixin, TemplateView):
    """The case page: the (frozen) text, a card per step with big buttons, evidence, defects, earlier attempts."""

    template_name = "testing/execute.html"
    required_capability = "view"
    write_capability = "execute"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return TemplateResponse(request, self.template_name, self.page_context())


class HtmxLoginMixin:
    """A signed-out htmx request is sent to log in as a whole page (not swapped into a step card)."""

    def handle_no_permission(self) -> HttpResponse:
        if is_htmx(self.request) and not self.request.user.is_authenticated:
            keys = ("project_code", "run_id", "run_case_id")
            page = reverse("testing:execute", kwargs={key: self.kwargs[key] for key in keys})
            return HttpResponse(headers={"HX-Redirect": f"{reverse('login')}?next={quote(page)}"})
        return super().handle_no_permission()


class StepRecordView(HtmxLoginMixin, RunCaseMixin, View):
    """Record one step: with htmx the step card comes back (and the case status out of band); without, a redirect
    to the step, or the page with the refusal on the step."""

    required_capability = "execute"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.page_url(f"step-{kwargs['step_order']}"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        order = kwargs["step_order"]
        known = {step["order"] for step in self.case_text()["steps"]}
        form = StepRecordForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                services.step_record(
                    run_case=self.run_case,
                    step_order=order,
                    status=form.cleaned_data["status"],
                    actual=form.cleaned_data["actual"],
                    user=request.user,
                )
            except TestingError as exc:
                error = str(exc)
        else:
            error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        if order not in known:  # no card to show the outcome on
            if error:
                messages.error(request, error)
            return HttpResponseRedirect(self.page_url("steps"))
        errors = {}
        if error:
            errors[order] = {
                "error": error,
                "status": request.POST.get("status", ""),
                "actual": request.POST.get("actual", ""),
            }
        self.run_case.refresh_from_db(fields=["result"])
        if not is_htmx(request):
            if error:
                return TemplateResponse(request, ExecuteView.template_name, self.page_context(errors))
            return HttpResponseRedirect(self.page_url(f"step-{order}"))
        context = self.page_context(errors)
        card = next(c for c in context["steps"] if c.order == order)
        html = render_to_string("testing/_step.html", {**context, "step": card}, request=request)
        if not error:
            html += render_to_string("testing/_step_status.html", {**context, "oob": True}, request=request)
        return HttpResponse(html)


class EvidenceUploadView(HtmxLoginMixin, RunCaseMixin, View):
    """Attach a photo or PDF to the latest execution (attempt 1 is opened if nothing was recorded yet)."""

    required_capability = "execute"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.page_url("evidence"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        orders = [step["order"] for step in self.case_text()["steps"]]
        form = EvidenceForm(request.POST, request.FILES, step_orders=orders)
        saved = None
        if form.is_valid():
            try:
                execution = services.execution_current(self.run_case, request.user)
                saved = services.evidence_add(
                    execution=execution,
                    upload=form.cleaned_data["file"],
                    user=request.user,
                    step_order=form.cleaned_data["step"],
                )
            except TestingError as exc:
                form.add_error("file", str(exc))
        if not is_htmx(request):
            if saved is not None:
                messages.success(request, _("“%(name)s” attached.") % {"name": saved.original_name})
            else:
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
            return HttpResponseRedirect(self.page_url("evidence"))
        self.__dict__.pop("_executions", None)  # reload: attempt 1 may have just been opened
        context = self.page_context(evidence_form=None if saved else form, saved=saved)
        html = render_to_string("testing/execute_evidence.html", context, request=request)
        if saved is not None:
            html += render_to_string("testing/_step_status.html", {**context, "oob": True}, request=request)
        return HttpResponse(html)


class RetestView(RunCaseMixin, View):
    """Start a new attempt at a finished case; the earlier attempts stay on the page."""

    required_capability = "execute"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.page_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            execution = services.retest(run_case=self.run_case, user=request.user)
        except TestingError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.page_url())
        messages.success(request, _("Attempt %(n)s started: record the steps again.") % {"n": execution.number})
        return HttpResponseRedirect(self.page_url("steps"))


class EvidenceFileView(UATMixin, View):
    """An evidence file, for the members of its project only, with the type found at upload and no sniffing."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        evidence = get_object_or_404(
            Evidence.objects.filter(execution__run_case__run__project=self.project), pk=kwargs["evidence_id"]
        )
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=evidence.content_type)
        name = "".join(c if c.isprintable() else " " for c in evidence.original_name).strip() or "evidence"
        response["Content-Disposition"] = content_disposition_header(False, name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private"
        if evidence.content_type == "application/pdf":
            response["Content-Security-Policy"] = "sandbox"
        return response
