"""The cutover plan, its phases and the runbook: the plan with its window and contingency, the runbook's tasks in
schedule order with their forecast and the critical path, a task with its runs, the template and the CSV import."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from projects import cutover_schedule as engine
from projects import runbook_template
from projects.forms.cutover import (
    STRATEGY_EXPLANATIONS,
    CutoverPlanForm,
    PhaseForm,
    RunbookFilterForm,
    RunbookUploadForm,
    TaskEditForm,
    TaskForm,
)
from projects.models import CutoverPhase, CutoverPlan, CutoverRun, CutoverTask, GoNoGoDecision, TaskRun
from projects.runbook_csv import COLUMNS, runbook_export, runbook_import
from projects.selectors import golive as selectors
from projects.services import golive as services
from projects.services.golive import GoLiveError
from workbench.access import ProjectAccessMixin
from workbench.forms import ServiceFormMixin
from workbench.history import Change, HistoryEntry, history_entries
from workbench.staged_upload import StagedUploadMixin

Crumbs = list[tuple[str, str | None]]
HISTORY_PAGE_SIZE = 30


def duration_text(minutes: int) -> str:
    """Minutes as people read them: "45 min", "2 h 15 min", "1 d 3 h"."""
    minutes = max(int(minutes), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(count)d d") % {"count": days})
    if hours:
        parts.append(_("%(count)d h") % {"count": hours})
    if mins or not parts:
        parts.append(_("%(count)d min") % {"count": mins})
    return " ".join(parts)


def _minutes_between(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


@dataclass
class TaskRow:
    """A task with its forecast slot, as the runbook, the plan page and the task page show it."""

    task: CutoverTask
    slot: engine.Slot
    after: list[int]
    on_path: bool

    @property
    def duration(self) -> str:
        return duration_text(self.task.duration_minutes)

    @property
    def slack(self) -> str:
        return duration_text(self.slot.slack)

    @property
    def same_day(self) -> bool:
        return timezone.localtime(self.slot.start).date() == timezone.localtime(self.slot.finish).date()


@dataclass
class Figures:
    """The runbook in numbers: how many tasks, when it starts and ends, whether it fits the window."""

    count: int
    start: datetime
    end: datetime
    window_end: datetime | None
    path_count: int
    path_minutes: int

    @property
    def fits(self) -> bool | None:
        return None if self.window_end is None else self.end <= self.window_end

    @property
    def over(self) -> str:
        return duration_text(_minutes_between(self.window_end, self.end)) if self.window_end else ""

    @property
    def spare(self) -> str:
        return duration_text(_minutes_between(self.end, self.window_end)) if self.window_end else ""

    @property
    def length(self) -> str:
        return duration_text(_minutes_between(self.start, self.end))

    @property
    def path_length(self) -> str:
        return duration_text(self.path_minutes)


@dataclass
class Runbook:
    tasks: list[CutoverTask]
    schedule: engine.Schedule | None
    rows: list[TaskRow]  # in schedule order
    figures: Figures | None
    error: str = ""


def runbook_of(plan: CutoverPlan) -> Runbook:
    """The plan's tasks scheduled through the selectors (two queries), in schedule order."""
    tasks = list(selectors.runbook_tasks(plan)) if plan.pk else []
    try:
        schedule = selectors.plan_schedule(plan, tasks)
    except engine.ScheduleCycle as exc:  # only data written around the services can hold a circle
        numbers = {t.pk: t.number for t in tasks}
        cycle = " → ".join(str(numbers.get(pk, "?")) for pk in exc.cycle)
        error = _("Those tasks wait for each other in a circle: %(cycle)s. Change what one of them comes after.") % {
            "cycle": cycle
        }
        return Runbook(tasks, None, [], None, error)
    by_id = {t.pk: t for t in tasks}
    path = set(schedule.critical_path)
    rows = [
        TaskRow(
            task=by_id[tid],
            slot=schedule.slots[tid],
            after=sorted(p.number for p in by_id[tid].predecessors.all()),
            on_path=tid in path,
        )
        for tid in schedule.order()
    ]
    figures = None
    if tasks:
        path_start = schedule.slots[schedule.critical_path[0]].start if schedule.critical_path else schedule.end
        figures = Figures(
            count=len(tasks),
            start=schedule.start,
            end=schedule.end,
            window_end=plan.window_end,
            path_count=len(schedule.critical_path),
            path_minutes=_minutes_between(path_start, schedule.end),
        )
    return Runbook(tasks, schedule, rows, figures)


def predecessor_entries(task: CutoverTask) -> list[HistoryEntry]:
    """Changes of what the task comes after, from the history of its predecessors (three queries)."""
    records = list(
        CutoverTask.history.filter(id=task.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    through = CutoverTask.history.model._meta.get_field("historicalcutovertask_predecessors").related_model
    sets: dict[int, set[int]] = defaultdict(set)
    for history_id, to_id in through.objects.filter(history__id=task.pk).values_list("history_id", "to_cutovertask_id"):
        sets[history_id].add(to_id)
    ids = set().union(*sets.values()) if sets else set()
    numbers = dict(CutoverTask.history.filter(id__in=ids).values_list("id", "number").distinct()) if ids else {}
    label = str(CutoverTask._meta.get_field("predecessors").verbose_name)

    def text(pks: set[int]) -> str:
        return ", ".join(str(n) for n in sorted(numbers.get(pk, 0) for pk in pks)) or "—"

    entries = []
    previous: set[int] = set()
    for record in records:
        current = sets.get(record.history_id, set())
        if record.history_type != "-" and current != previous:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    action="~",
                    model_label=str(CutoverTask._meta.verbose_name),
                    object_label=f"{record.number}. {record.title}",
                    reason="",
                    changes=[Change(label, text(previous) if previous else "", text(current))],
                )
            )
        previous = current
    return entries


# The section -------------------------------------------------------------------------------------------------


class GoLiveMixin(ProjectAccessMixin):
    """The cutover pages: the plan (an unsaved one until the first write: GET creates nothing) and the crumbs."""

    section = "golive"

    @cached_property
    def plan(self) -> CutoverPlan:
        stored = CutoverPlan.objects.select_related("decider__user").filter(project=self.project).first()
        return stored or CutoverPlan(project=self.project)

    def saved_plan(self) -> CutoverPlan:
        """The plan, created now if this is the first write."""
        if not self.plan.pk:
            self.__dict__["plan"] = services.plan_for(self.project)
        return self.plan

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"projects:{name}", kwargs={"project_code": self.project.code, **kwargs})

    def task_url(self, task: CutoverTask) -> str:
        return self.url("task-detail", task_number=task.number)

    def crumbs(self) -> Crumbs:
        return [(_("Go-live"), self.url("cutover-plan"))]

    def runbook_crumbs(self) -> Crumbs:
        return [*GoLiveMixin.crumbs(self), (_("Runbook"), self.url("runbook"))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["plan"] = self.plan
        return context


def _without_version(form: Any) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


# The plan ----------------------------------------------------------------------------------------------------


class CutoverPlanView(GoLiveMixin, TemplateView):
    """The Go-live landing page: strategy, dates, window, contingency, hypercare, decider and the runbook in numbers."""

    template_name = "projects/golive/plan.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [(_("Go-live"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.plan
        runbook = runbook_of(plan)
        phases = list(plan.phases.annotate(task_count=Count("tasks")).order_by("order", "pk")) if plan.pk else []
        window = None
        if plan.window_start and plan.window_end and plan.window_end > plan.window_start:
            window = duration_text(_minutes_between(plan.window_start, plan.window_end))
        decided = (
            GoNoGoDecision.objects.filter(project=self.project)
            .select_related("decider")
            .order_by("-decided_at")
            .first()
        )
        runs = Counter(plan.runs.values_list("kind", flat=True)) if plan.pk else Counter()
        context.update(
            {
                "explanation": STRATEGY_EXPLANATIONS[plan.strategy],
                "window_length": window,
                "phases": phases,
                "show_phases": plan.strategy == CutoverPlan.Strategy.PHASED or bool(phases),
                "runbook": runbook,
                "figures": runbook.figures,
                "is_empty": not any(
                    (plan.go_live_date, plan.window_start, plan.window_end, plan.contingency_plan, plan.decider_id)
                ),
                "decision": decided,
                "rehearsals": runs[CutoverRun.Kind.REHEARSAL],
                "live_runs": runs[CutoverRun.Kind.LIVE],
                "hypercare_days": (plan.hypercare_until - plan.go_live_date).days
                if plan.hypercare_until and plan.go_live_date and plan.hypercare_until > plan.go_live_date
                else None,
            }
        )
        return context


class CutoverPlanEditView(ServiceFormMixin, GoLiveMixin, FormView):
    template_name = "projects/golive/plan_form.html"
    form_class = CutoverPlanForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Edit the cutover plan"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # Its own copy: the form writes what was typed onto it, and a refused save must not show as stored.
        stored = CutoverPlan.objects.filter(pk=self.plan.pk).first() if self.plan.pk else None
        kwargs["instance"] = stored or CutoverPlan(project=self.project)
        kwargs["project"] = self.project
        return kwargs

    def save(self, form: CutoverPlanForm) -> CutoverPlan:
        with transaction.atomic():
            plan = CutoverPlan.objects.get(pk=self.saved_plan().pk)
            return services.plan_update(
                plan=plan,
                expected_version=form.cleaned_data.get("version") or 1,
                user=self.request.user,
                **_without_version(form),
            )

    def saved(self, plan: CutoverPlan) -> HttpResponse:
        messages.success(self.request, _("Cutover plan saved."))
        return HttpResponseRedirect(self.url("cutover-plan"))


class CutoverPlanHistoryView(GoLiveMixin, TemplateView):
    template_name = "projects/golive/plan_history.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("History of the cutover plan"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.plan
        entries = (
            history_entries(
                [CutoverPlan.history.filter(id=plan.pk), CutoverPhase.history.filter(plan_id=plan.pk)],
                hidden_fields=["project", "plan"],
            )
            if plan.pk
            else []
        )
        context["page_obj"] = Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


# Phases ------------------------------------------------------------------------------------------------------


class PhaseMixin(GoLiveMixin):
    @cached_property
    def phase(self) -> CutoverPhase:
        if not self.plan.pk:
            raise Http404
        return get_object_or_404(self.plan.phases.all(), pk=self.kwargs["phase_id"])

    def phases_url(self) -> str:
        return self.url("cutover-plan") + "#phases"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.phases_url()
        return context


class PhaseCreateView(ServiceFormMixin, PhaseMixin, FormView):
    template_name = "projects/golive/phase_form.html"
    form_class = PhaseForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New phase"), None)]

    def get_initial(self) -> dict[str, Any]:
        last = max(self.plan.phases.values_list("order", flat=True), default=0) if self.plan.pk else 0
        return {"order": last + 1}

    def save(self, form: PhaseForm) -> CutoverPhase:
        return services.phase_create(plan=self.saved_plan(), user=self.request.user, **form.cleaned_data)

    def saved(self, phase: CutoverPhase) -> HttpResponse:
        messages.success(
            self.request, _("Phase “%(name)s” added. Put tasks in it from their edit page.") % {"name": phase.name}
        )
        return HttpResponseRedirect(self.phases_url())


class PhaseEditView(ServiceFormMixin, PhaseMixin, FormView):
    template_name = "projects/golive/phase_form.html"
    form_class = PhaseForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.phase.name, None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = CutoverPhase.objects.get(pk=self.phase.pk)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["phase"] = self.phase
        return context

    def save(self, form: PhaseForm) -> CutoverPhase:
        data = dict(form.cleaned_data)
        if data.get("order") is None:
            data["order"] = self.phase.order
        return services.phase_update(phase=self.phase, user=self.request.user, **data)

    def saved(self, phase: CutoverPhase) -> HttpResponse:
        messages.success(self.request, _("Phase “%(name)s” saved.") % {"name": phase.name})
        return HttpResponseRedirect(self.phases_url())


class PhaseDeleteView(PhaseMixin, TemplateView):
    template_name = "projects/golive/phase_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Delete phase"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["phase"] = self.phase
        context["tasks"] = list(self.phase.tasks.order_by("number"))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        phase = self.phase
        name = phase.name
        tasks = services.phase_delete(phase=phase, user=request.user)
        if tasks:
            message = ngettext(
                "Phase “%(name)s” deleted; its %(count)d task stays in the runbook, in no phase.",
                "Phase “%(name)s” deleted; its %(count)d tasks stay in the runbook, in no phase.",
                len(tasks),
            ) % {"name": name, "count": len(tasks)}
        else:
            message = _("Phase “%(name)s” deleted.") % {"name": name}
        messages.success(request, message)
        return HttpResponseRedirect(self.phases_url())


# The runbook -------------------------------------------------------------------------------------------------


def _matches(row: TaskRow, data: dict[str, Any]) -> bool:
    task = row.task
    if data.get("stream") and task.stream != data["stream"]:
        return False
    if data.get("kind") and task.kind != data["kind"]:
        return False
    if data.get("person") and data["person"] not in (str(task.owner_id), str(task.backup_id)):
        return False
    if data.get("phase"):
        if data["phase"] == "none" and task.phase_id is not None:
            return False
        if data["phase"] != "none" and str(task.phase_id) != data["phase"]:
            return False
    if data.get("critical") and not row.on_path:
        return False
    text = (data.get("q") or "").strip().lstrip("#").casefold()
    if text:
        if text.isdigit():
            return task.number == int(text)
        return text in task.title.casefold() or text in task.description.casefold()
    return True


def _filter_choices(rows: list[TaskRow]) -> dict[str, list[tuple[str, str]]]:
    """The filters' options, each with the number of tasks it has."""
    tasks = [row.task for row in rows]
    streams = Counter(t.stream for t in tasks)
    kinds = Counter(t.kind for t in tasks)
    people: dict[int, Any] = {}
    person_counts: Counter = Counter()
    phases: dict[int, CutoverPhase] = {}
    phase_counts: Counter = Counter()
    for task in tasks:
        for member in {m.pk: m for m in (task.owner, task.backup) if m is not None}.values():
            people[member.pk] = member
            person_counts[member.pk] += 1
        if task.phase is not None:
            phases[task.phase.pk] = task.phase
        phase_counts[task.phase_id] += 1

    def label(text: Any, count: int) -> str:
        return f"{text} ({count})"

    def name(member: Any) -> str:
        return member.user.get_full_name() or member.user.get_username()

    choices = {
        "stream": [("", _("All streams"))]
        + [(value, label(text, streams[value])) for value, text in CutoverTask.Stream.choices],
        "kind": [("", _("All types"))]
        + [(value, label(text, kinds[value])) for value, text in CutoverTask.Kind.choices],
        "person": [("", _("Everyone"))]
        + [
            (str(pk), label(name(member), person_counts[pk]))
            for pk, member in sorted(people.items(), key=lambda item: name(item[1]).casefold())
        ],
        "phase": [("", _("All phases"))],
    }
    if phases:
        choices["phase"] += [
            (str(phase.pk), label(phase.name, phase_counts[phase.pk]))
            for phase in sorted(phases.values(), key=lambda p: (p.order, p.pk))
        ]
        choices["phase"].append(("none", label(_("In no phase"), phase_counts[None])))
    return choices


RUNBOOK_PAGE_SIZE = 100  # rows of the runbook table per page: a 300-task runbook in three pages


class RunbookView(GoLiveMixin, TemplateView):
    """The tasks in schedule order with their forecast, slack and the critical path; filters at the top."""

    template_name = "projects/golive/runbook.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Runbook"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        runbook = runbook_of(self.plan)
        form = RunbookFilterForm(self.request.GET or None, choices=_filter_choices(runbook.rows))
        path_count = sum(1 for row in runbook.rows if row.on_path)
        form.fields["critical"].label = _("Critical path only (%(count)d)") % {"count": path_count}
        data: dict[str, Any] = {}
        if form.is_bound:
            form.is_valid()  # a wrong value (an owner no longer on the team) is left out; the others still filter
            data = form.cleaned_data
        filtered = any(data.get(name) for name in ("q", "stream", "kind", "person", "phase", "critical"))
        rows = [row for row in runbook.rows if _matches(row, data)] if filtered else runbook.rows
        page = Paginator(rows, RUNBOOK_PAGE_SIZE).get_page(self.request.GET.get("page"))
        pulled = {t.template_key for t in runbook.tasks if t.template_key}
        context.update(
            {
                "runbook": runbook,
                "figures": runbook.figures,
                "rows": page.object_list,
                "matching": len(rows),
                "page_obj": page,
                "filter": form,
                "filtered": filtered,
                "template_left": sum(1 for item in runbook_template.TEMPLATE if item.key not in pulled),
                "template_total": len(runbook_template.TEMPLATE),
            }
        )
        return context


class RunbookTemplateView(GoLiveMixin, TemplateView):
    """GET: the template's tasks not in the runbook yet; POST adds them in the language of the page."""

    template_name = "projects/golive/runbook_template.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.runbook_crumbs(), (_("The 进销存 runbook template"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pulled = (
            set(self.plan.tasks.exclude(template_key="").values_list("template_key", flat=True))
            if self.plan.pk
            else set()
        )
        items = runbook_template.runbook_tasks(translation.get_language())
        titles = {item.key: item.title for item in items}
        rows = []
        for item in items:
            if item.key in pulled:
                continue
            fixed = item.fixed_start(self.plan.window_start)
            rows.append(
                {
                    "item": item,
                    "duration": duration_text(item.duration_minutes),
                    "after": [titles[key] for key in item.after],
                    "fixed_start": fixed,
                    "stream_label": CutoverTask.Stream(item.stream).label,
                    "kind_label": CutoverTask.Kind(item.kind).label,
                }
            )
        context["rows"] = rows
        context["pulled"] = len(pulled)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.saved_plan()
        try:
            created = runbook_template.runbook_pull(plan, language=translation.get_language(), user=request.user)
        except GoLiveError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.url("runbook"))
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)d task of the template added to the runbook.",
                    "%(count)d tasks of the template added to the runbook.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("The runbook already has every task of the template: nothing was added."))
        return HttpResponseRedirect(self.url("runbook"))


class RunbookCsvView(GoLiveMixin, TemplateView):
    """The runbook as CSV (UTF-8 with a BOM: Excel opens it with the Chinese intact)."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.plan
        data = runbook_export(plan) if plan.pk else ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode("utf-8")
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.project.code}-runbook.csv"'
        return response


def _snapshot(plan: CutoverPlan) -> dict[int, dict[str, str]]:
    """What an import preview compares: each task's fields as they read, by number."""
    snapshot = {}
    for task in selectors.runbook_tasks(plan):
        snapshot[task.number] = {
            "title": task.title,
            "stream": task.get_stream_display(),
            "kind": task.get_kind_display(),
            "owner": str(task.owner.user.get_username()) if task.owner else "",
            "backup": str(task.backup.user.get_username()) if task.backup else "",
            "duration_minutes": duration_text(task.duration_minutes),
            "fixed_start": timezone.localtime(task.fixed_start).strftime("%Y-%m-%d %H:%M") if task.fixed_start else "",
            "after": ", ".join(str(n) for n in sorted(p.number for p in task.predecessors.all())),
            "description": task.description,
        }
    return snapshot


FIELD_LABELS = {
    "title": lambda: _("title"),
    "stream": lambda: _("stream"),
    "kind": lambda: _("type"),
    "owner": lambda: _("owner"),
    "backup": lambda: _("backup"),
    "duration_minutes": lambda: _("duration"),
    "fixed_start": lambda: _("fixed start"),
    "after": lambda: _("after"),
    "description": lambda: _("description"),
}


class RunbookImportView(StagedUploadMixin, GoLiveMixin, TemplateView):
    """Upload a CSV → preview (imported in a transaction that is rolled back) → confirm applies it, all or nothing
    (the file waits in the session between the two: `workbench.staged_upload`)."""

    upload_form_class = RunbookUploadForm
    session_prefix = "golive.runbook-import"
    template_name = "projects/golive/runbook_import.html"
    preview_template = "projects/golive/runbook_import_preview.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.runbook_crumbs(), (_("Import CSV"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RunbookUploadForm())
        return context

    def preview(self, data: bytes, name: str, digest: str) -> HttpResponse:
        plan = self.saved_plan()
        with transaction.atomic():
            before = _snapshot(plan)
            result = runbook_import(plan, data, user=self.request.user)
            after = _snapshot(plan) if result.ok else {}
            transaction.set_rollback(True)
        created = [{"number": t.number, **after[t.number]} for t in sorted(result.created, key=lambda t: t.number)]
        updated = []
        for task in sorted(result.updated, key=lambda t: t.number):
            old, new = before.get(task.number, {}), after[task.number]
            changes = [
                {"label": FIELD_LABELS[key](), "old": old.get(key, ""), "new": value}
                for key, value in new.items()
                if old.get(key, "") != value
            ]
            updated.append({"number": task.number, "title": new["title"], "changes": changes})
        self.template_name = self.preview_template
        return self.render_to_response(
            self.get_context_data(result=result, created=created, updated=updated, filename=name, digest=digest)
        )

    def apply_upload(self, data: bytes) -> HttpResponse | None:
        result = runbook_import(self.saved_plan(), data, user=self.request.user)
        if not result.ok:
            messages.error(self.request, _("The runbook changed since the preview; nothing was imported."))
            return None
        messages.success(
            self.request,
            _("Runbook imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": len(result.created), "updated": len(result.updated), "unchanged": result.unchanged},
        )
        return HttpResponseRedirect(self.url("runbook"))


# Tasks -------------------------------------------------------------------------------------------------------


class TaskMixin(GoLiveMixin):
    @cached_property
    def task(self) -> CutoverTask:
        return self.get_task()

    def get_task(self) -> CutoverTask:
        if not self.plan.pk:
            raise Http404
        tasks = self.plan.tasks.select_related("owner__user", "backup__user", "phase").prefetch_related("predecessors")
        return get_object_or_404(tasks, number=self.kwargs["task_number"])

    def task_crumbs(self, task: CutoverTask) -> Crumbs:
        return [*self.runbook_crumbs(), (str(task), self.task_url(task))]


def _task_fields(form: TaskForm) -> tuple[dict[str, Any], list[CutoverTask]]:
    data = _without_version(form)
    predecessors = data.pop("after", [])
    return data, predecessors


class TaskFormMixin(ServiceFormMixin, TaskMixin):
    template_name = "projects/golive/task_form.html"
    required_capability = "edit"
    error_field = "after"  # the rules refusing a task are about what it comes after (a circle)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["others"] = (
            list(self.plan.tasks.only("pk", "number", "title", "kind").order_by("number")) if self.plan.pk else []
        )
        return context


class TaskCreateView(TaskFormMixin, FormView):
    form_class = TaskForm

    def crumbs(self) -> Crumbs:
        return [*self.runbook_crumbs(), (_("New task"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        plan = self.saved_plan() if self.request.method == "POST" else self.plan
        kwargs.update(plan=plan, project=self.project, instance=CutoverTask(plan=plan))
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        after = self.request.GET.get("after", "")
        if after.isdigit():
            initial["after"] = after
        return initial

    def save(self, form: TaskForm) -> CutoverTask:
        data, predecessors = _task_fields(form)
        return services.task_create(plan=self.plan, predecessors=predecessors, user=self.request.user, **data)

    def saved(self, task: CutoverTask) -> HttpResponse:
        messages.success(
            self.request, _("Task %(number)d “%(title)s” added.") % {"number": task.number, "title": task.title}
        )
        if "another" in self.request.POST:
            return HttpResponseRedirect(self.url("task-create") + f"?after={task.number}")
        return HttpResponseRedirect(self.task_url(task))


class TaskEditView(TaskFormMixin, FormView):
    form_class = TaskEditForm

    def crumbs(self) -> Crumbs:
        return [*self.task_crumbs(self.task), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(plan=self.plan, project=self.project, instance=self.get_task())  # its own copy
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["task"] = self.task
        return context

    def save(self, form: TaskEditForm) -> CutoverTask:
        data, predecessors = _task_fields(form)
        return services.task_update(
            task=self.get_task(),
            expected_version=form.cleaned_data["version"],
            predecessors=predecessors,
            user=self.request.user,
            **data,
        )

    def saved(self, task: CutoverTask) -> HttpResponse:
        messages.success(self.request, _("Task %(number)d saved.") % {"number": task.number})
        return HttpResponseRedirect(self.task_url(task))


class TaskDetailView(TaskMixin, TemplateView):
    """The task, what it comes after and what comes after it, its forecast slot, how it went in each run, history."""

    template_name = "projects/golive/task_detail.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*self.runbook_crumbs(), (str(self.task), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        task = self.task
        runbook = runbook_of(self.plan)
        row = next((r for r in runbook.rows if r.task.pk == task.pk), None)
        runs = []
        for task_run in (
            TaskRun.objects.filter(task=task).select_related("run", "by").order_by("run__planned_start", "run_id")
        ):
            minutes = None
            if task_run.actual_start and task_run.actual_end:
                minutes = _minutes_between(task_run.actual_start, task_run.actual_end)
            runs.append(
                {
                    "task_run": task_run,
                    "run": task_run.run,
                    "minutes": minutes,
                    "actual": duration_text(minutes) if minutes is not None else "",
                    "difference": minutes - task.duration_minutes if minutes is not None else None,
                    "difference_text": duration_text(abs(minutes - task.duration_minutes))
                    if minutes is not None
                    else "",
                }
            )
        entries = history_entries([CutoverTask.history.filter(id=task.pk)], hidden_fields=["plan", "number"])
        entries.extend(predecessor_entries(task))
        entries.sort(key=lambda e: e.when, reverse=True)
        context.update(
            {
                "task": task,
                "row": row,
                "figures": runbook.figures,
                "predecessors": sorted(task.predecessors.all(), key=lambda t: t.number),
                "successors": list(task.successors.order_by("number")),
                "runs": runs,
                "duration": duration_text(task.duration_minutes),
                "page_obj": Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page")),
            }
        )
        return context


class TaskDeleteView(TaskMixin, TemplateView):
    """GET: what deleting the task does (or why it cannot be deleted); POST deletes it."""

    template_name = "projects/golive/task_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.task_crumbs(self.task), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        task = self.task
        recorded = list(
            TaskRun.objects.filter(task=task)
            .exclude(status=TaskRun.Status.PENDING)
            .select_related("run")
            .order_by("run__planned_start", "run_id")
        )
        context.update({"task": task, "successors": list(task.successors.order_by("number")), "recorded": recorded})
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        task = self.task
        label = str(task)
        try:
            successors = services.task_delete(task=task, user=request.user)
        except GoLiveError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.task_url(task))
        if successors:
            messages.success(
                request,
                ngettext(
                    "Task “%(task)s” deleted; task %(numbers)s no longer comes after it.",
                    "Task “%(task)s” deleted; tasks %(numbers)s no longer come after it.",
                    len(successors),
                )
                % {"task": label, "numbers": ", ".join(str(t.number) for t in successors)},
            )
        else:
            messages.success(request, _("Task “%(task)s” deleted.") % {"task": label})
        return HttpResponseRedirect(self.url("runbook"))
