"""Process maps: as-is and to-be processes, their steps in swimlanes, findings, templates and the comparison."""

from collections import Counter
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.generic import FormView, TemplateView, View

from projects.diagrams import process_swimlane_svg
from projects.filters import FINDING_SORT_CHOICES, FindingFilter
from projects.forms.processes import (
    LANE_LIST_ID,
    FindingEditForm,
    FindingForm,
    ProcessDeriveForm,
    ProcessEditForm,
    ProcessForm,
    StepEditForm,
    StepForm,
    StepMoveForm,
    TemplateCopyForm,
)
from projects.models import Finding, Membership, Process, Step
from projects.process_templates import TEMPLATES
from projects.selectors import processes as selectors
from projects.services import ProjectError
from projects.services import processes as services
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

HISTORY_PAGE_SIZE = 20
FINDINGS_PAGE_SIZE = 50
SEVERITY_SCALE = range(1, 6)
COMPARE_STATUSES = ["unchanged", "changed", "removed", "added"]
FINDING_FILTERS = ["q", "kind", "severity", "process", "lane"]

Crumbs = list[tuple[str, str | None]]


def _without_version(form: Any) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def _history_page(request: HttpRequest, querysets: list, hidden: list[str]) -> Any:
    entries = history_entries(querysets, hidden_fields=hidden)
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))


def _kind_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(kind, label, count) for every kind of finding, in the model's order."""
    return [(value, label, counts.get(value, 0)) for value, label in Finding.Kind.choices]


class ProcessesMixin(ProjectAccessMixin):
    """The Processes section: fetches processes, steps and findings through the project, builds breadcrumbs."""

    section = "processes"

    def list_url(self) -> str:
        return reverse("projects:process-list", kwargs={"project_code": self.project.code})

    def process_url(self, process_id: int) -> str:
        return reverse("projects:process-detail", kwargs={"project_code": self.project.code, "process_id": process_id})

    def step_url(self, step: Step) -> str:
        return f"{self.process_url(step.process_id)}#step-{step.pk}"

    def finding_url(self, finding: Finding) -> str:
        return reverse("projects:finding-detail", kwargs={"project_code": self.project.code, "finding_id": finding.pk})

    def get_process(self) -> Process:
        return get_object_or_404(self.project.processes.select_related("derived_from"), pk=self.kwargs["process_id"])

    @cached_property
    def process(self) -> Process:
        return self.get_process()

    def get_step(self) -> Step:
        steps = Step.objects.select_related("process")
        return get_object_or_404(steps, pk=self.kwargs["step_id"], process__project=self.project)

    @cached_property
    def step(self) -> Step:
        return self.get_step()

    def get_finding(self) -> Finding:
        findings = Finding.objects.select_related("step__process")
        return get_object_or_404(findings, pk=self.kwargs["finding_id"], step__process__project=self.project)

    @cached_property
    def finding(self) -> Finding:
        return self.get_finding()

    def crumbs(self) -> Crumbs:
        """(label, url) after the project in the breadcrumbs; the last one is the current page."""
        return [(_("Processes"), self.list_url())]

    def process_crumbs(self, process: Process) -> Crumbs:
        return [(_("Processes"), self.list_url()), (process.name, self.process_url(process.pk))]

    def step_crumbs(self, step: Step) -> Crumbs:
        label = _("Step %(order)s") % {"order": step.order}
        return [*self.process_crumbs(step.process), (label, self.step_url(step))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["severity_scale"] = SEVERITY_SCALE
        context["kind_labels"] = dict(Finding.Kind.choices)
        return context


# Processes


class ProcessListView(ProcessesMixin, TemplateView):
    template_name = "projects/processes/process_list.html"

    def crumbs(self) -> Crumbs:
        return [(_("Processes"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        processes = list(selectors.process_list(project=self.project))
        for process in processes:
            process.kind_counts = _kind_counts(
                {
                    Finding.Kind.PAIN_POINT: process.pain_point_count,
                    Finding.Kind.REDUNDANCY: process.redundancy_count,
                    Finding.Kind.RISK: process.risk_count,
                }
            )
        context["groups"] = [
            (kind, label, [p for p in processes if p.kind == kind]) for kind, label in Process.Kind.choices
        ]
        context["process_count"] = len(processes)
        context["finding_counts"] = [
            (kind, label, sum(p.kind_counts[index][2] for p in processes))
            for index, (kind, label) in enumerate(Finding.Kind.choices)
        ]
        context["finding_total"] = sum(p.finding_count for p in processes)
        return context


class ProcessTemplatesView(ProcessesMixin, FormView):
    """Everyone may read the templates; editors copy the ticked ones into the project."""

    template_name = "projects/processes/process_templates.html"
    form_class = TemplateCopyForm
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Templates"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        copied = set(self.project.processes.exclude(template_key="").values_list("template_key", flat=True))
        form = context["form"]
        ticked = set(form["templates"].value() or [])
        departments = dict(Membership.Department.choices)
        context["entries"] = [
            {
                "template": template,
                "department": departments.get(template.department, template.department),
                "step_count": len(template.steps),
                "lanes": list(dict.fromkeys(str(step.lane) for step in template.steps)),
                "copied": template.key in copied,
                "ticked": template.key in ticked,
            }
            for template in TEMPLATES
        ]
        return context

    def form_valid(self, form: TemplateCopyForm) -> HttpResponse:
        keys = form.cleaned_data["templates"]
        for key in keys:
            services.process_create_from_template(project=self.project, template_key=key)
        messages.success(
            self.request,
            ngettext(
                "%(count)s process copied from the templates. Open it and change it to how your company works today.",
                "%(count)s processes copied from the templates. Open each and change it to how your company works "
                "today.",
                len(keys),
            )
            % {"count": len(keys)},
        )
        return HttpResponseRedirect(self.list_url())


class ProcessCreateView(ProcessesMixin, FormView):
    template_name = "projects/processes/process_form.html"
    form_class = ProcessForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New process"), None)]

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in Process.Kind.values else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Process(project=self.project)
        return kwargs

    def form_valid(self, form: ProcessForm) -> HttpResponse:
        process = services.process_create(project=self.project, **form.cleaned_data)
        messages.success(self.request, _("Process created. Add its steps in the order the work is done."))
        return HttpResponseRedirect(self.process_url(process.pk))


class ProcessEditView(ProcessesMixin, FormView):
    template_name = "projects/processes/process_form.html"
    form_class = ProcessEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.process_crumbs(self.process), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_process()  # its own copy: the form writes what was typed onto it
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["process"] = self.process
        return context

    def form_valid(self, form: ProcessEditForm) -> HttpResponse:
        try:
            process = services.process_update(
                process=self.get_process(), expected_version=form.cleaned_data["version"], **_without_version(form)
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Process saved."))
        return HttpResponseRedirect(self.process_url(process.pk))


class ProcessDeleteView(ProcessesMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.process_crumbs(self.process), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        steps = self.process.steps.count()
        findings = Finding.objects.filter(step__process=self.process).count()
        context["heading"] = _("Delete process")
        context["question"] = _("Delete the process “%(name)s”?") % {"name": self.process.name}
        context["consequence"] = _("Its %(steps)s and %(findings)s are deleted with it. The history keeps them.") % {
            "steps": ngettext("%(count)s step", "%(count)s steps", steps) % {"count": steps},
            "findings": ngettext("%(count)s finding", "%(count)s findings", findings) % {"count": findings},
        }
        context["cancel_url"] = self.process_url(self.process.pk)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = self.process.name
        services.process_delete(process=self.process)
        messages.success(request, _("Process “%(name)s” deleted. The history keeps it.") % {"name": name})
        return HttpResponseRedirect(self.list_url())


class ProcessDetailView(ProcessesMixin, TemplateView):
    template_name = "projects/processes/process_detail.html"

    def crumbs(self) -> Crumbs:
        return [(_("Processes"), self.list_url()), (self.process.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        process = self.process
        steps = selectors.process_steps(process=process)
        context["process"] = process
        context["steps"] = steps
        context["lanes"] = selectors.lanes_in_order(steps)
        context["lane_list_id"] = LANE_LIST_ID
        context["diagram"] = process_swimlane_svg(process=process, steps=steps)
        context["derived"] = list(process.derived.order_by("name", "pk")) if process.kind == Process.Kind.AS_IS else []
        context["can_compare"] = process.kind == Process.Kind.TO_BE and process.derived_from is not None
        context["finding_counts"] = _kind_counts(Counter(f.kind for step in steps for f in step.findings_list))
        if context["can_edit"]:
            context["step_form"] = StepForm(process=process, steps=steps, with_next=False)
        context["page_obj"] = _history_page(
            self.request, selectors.process_history_querysets(process=process), ["project", "process"]
        )
        return context


class ProcessDiagramView(ProcessesMixin, View):
    """The swimlane diagram as an SVG file, to download or put into documents."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        process = self.process
        svg = process_swimlane_svg(process=process, steps=selectors.process_steps(process=process))
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


class ProcessDeriveView(ProcessesMixin, FormView):
    """Copies an as-is process into a new to-be process; a to-be process cannot be derived from."""

    template_name = "projects/processes/process_derive.html"
    form_class = ProcessDeriveForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.process_crumbs(self.process), (_("Derive a to-be process"), None)]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.process.kind != Process.Kind.AS_IS:
            messages.error(request, _("A to-be process is derived from an as-is process."))
            return HttpResponseRedirect(self.process_url(self.process.pk))
        return super().get(request, *args, **kwargs)

    def get_form(self, form_class: Any = None) -> ProcessDeriveForm:
        form = super().get_form(form_class)
        form.fields["name"].widget.attrs["placeholder"] = _("%(name)s (to-be)") % {"name": self.process.name}
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["process"] = self.process
        context["step_count"] = self.process.steps.count()
        return context

    def form_valid(self, form: ProcessDeriveForm) -> HttpResponse:
        try:
            to_be = services.process_derive_to_be(process=self.process, name=form.cleaned_data["name"])
        except ProjectError as exc:
            messages.error(self.request, str(exc))
            return HttpResponseRedirect(self.process_url(self.process.pk))
        messages.success(
            self.request,
            _(
                "To-be process “%(name)s” created with a copy of the steps. Change it to show how the work will be "
                "done; the comparison shows what changes."
            )
            % {"name": to_be.name},
        )
        return HttpResponseRedirect(self.process_url(to_be.pk))


class ProcessCompareView(ProcessesMixin, TemplateView):
    """A to-be process side by side with the as-is process it was derived from, step by step."""

    template_name = "projects/processes/process_compare.html"

    def crumbs(self) -> Crumbs:
        return [*self.process_crumbs(self.process), (_("Compare with the as-is"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        process = self.process
        if process.kind != Process.Kind.TO_BE or process.derived_from is None:
            raise Http404
        context = super().get_context_data(**kwargs)
        rows = selectors.process_compare(as_is=process.derived_from, to_be=process)
        counts = Counter(row.status for row in rows)
        labels = {
            "unchanged": pgettext("step comparison", "unchanged"),
            "changed": pgettext("step comparison", "changed"),
            "removed": pgettext("step comparison", "removed"),
            "added": pgettext("step comparison", "added"),
        }
        context["process"] = process
        context["as_is"] = process.derived_from
        context["rows"] = rows
        context["status_labels"] = labels
        context["counts"] = [(status, labels[status], counts.get(status, 0)) for status in COMPARE_STATUSES]
        return context


# Steps


class StepFormMixin(ProcessesMixin):
    """Shared by adding and editing a step: the form gets the process's steps with their links."""

    template_name = "projects/processes/step_form.html"
    required_capability = "edit"

    def owning_process(self) -> Process:
        raise NotImplementedError

    @cached_property
    def process_steps(self) -> list[Step]:
        return selectors.process_steps(process=self.owning_process())

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["process"] = self.owning_process()
        kwargs["steps"] = self.process_steps
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["process"] = self.owning_process()
        context["lanes"] = selectors.lanes_in_order(self.process_steps)
        context["lane_list_id"] = LANE_LIST_ID
        return context

    def save(self, form: StepForm, step: Step, **kwargs: Any) -> Step | None:
        """Save through the service; on a refusal put the message on the form and return None."""
        try:
            return services.step_save(
                step=step,
                next_steps=form.cleaned_data.get("next_steps", []),
                labels=form.labels(),
                **form.step_fields(),
                **kwargs,
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
        except ProjectError as exc:
            form.add_error("next_steps", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        return None


class StepCreateView(StepFormMixin, FormView):
    form_class = StepForm

    def owning_process(self) -> Process:
        return self.process

    def crumbs(self) -> Crumbs:
        return [*self.process_crumbs(self.process), (_("Add a step"), None)]

    def get_initial(self) -> dict[str, Any]:
        after = self.request.GET.get("after", "")
        return {"after": after} if after.isdigit() else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # No lane yet (None, not ""): an empty lane is then refused once, by the form, not again by the model.
        kwargs["instance"] = Step(process=self.process, lane=None)
        return kwargs

    def form_valid(self, form: StepForm) -> HttpResponse:
        step = self.save(form, Step(process=self.process), position=form.position())
        if step is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Step %(order)s added.") % {"order": step.order})
        return HttpResponseRedirect(self.step_url(step))


class StepEditView(StepFormMixin, FormView):
    form_class = StepEditForm

    def owning_process(self) -> Process:
        return self.step.process

    def crumbs(self) -> Crumbs:
        return [*self.step_crumbs(self.step), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # The step as listed (with its links), not self.step: the form writes what was typed onto it.
        kwargs["instance"] = next(s for s in self.process_steps if s.pk == self.step.pk)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["step"] = self.step
        return context

    def form_valid(self, form: StepEditForm) -> HttpResponse:
        step = self.save(form, self.get_step(), expected_version=form.cleaned_data["version"])
        if step is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Step %(order)s saved.") % {"order": step.order})
        return HttpResponseRedirect(self.step_url(step))


class StepDeleteView(ProcessesMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.step_crumbs(self.step), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        findings = self.step.findings.count()
        context["heading"] = _("Delete step")
        context["question"] = _("Delete step %(step)s?") % {"step": self.step}
        context["consequence"] = (
            ngettext(
                "Its %(count)s finding goes with it, and the steps after it move up.",
                "Its %(count)s findings go with it, and the steps after it move up.",
                findings,
            )
            % {"count": findings}
            if findings
            else _("It has no findings. The steps after it move up.")
        )
        context["cancel_url"] = self.step_url(self.step)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = self.step
        services.step_delete(step=step)
        messages.success(request, _("Step “%(action)s” deleted. The history keeps it.") % {"action": step.action})
        return HttpResponseRedirect(self.process_url(step.process_id))


class StepMoveView(ProcessesMixin, View):
    """POST direction=up|down or position=N; anything else is refused with a message."""

    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = self.step
        form = StepMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The step was not moved: move it up, down, or to a position number (1, 2, 3 …)."))
            return HttpResponseRedirect(self.step_url(step))
        before = step.order
        services.step_move(step=step, position=form.target(step))
        if step.order == before:
            messages.info(request, _("Step %(order)s is already there.") % {"order": before})
        else:
            messages.success(
                request,
                _("“%(action)s” is now step %(order)s (was %(before)s).")
                % {"action": step.action, "order": step.order, "before": before},
            )
        return HttpResponseRedirect(self.step_url(step))


# Findings


class FindingListView(ProcessesMixin, TemplateView):
    template_name = "projects/processes/finding_list.html"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Findings"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        findings = selectors.findings_for_project(project=self.project)
        filterset = FindingFilter(self.request.GET, queryset=findings, project=self.project)
        qs = filterset.qs
        cleaned = getattr(filterset.form, "cleaned_data", {})
        counts = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
        context["filter"] = filterset
        context["filtered"] = any(cleaned.get(name) not in (None, "") for name in FINDING_FILTERS)
        context["total"] = findings.count()
        context["kind_counts"] = _kind_counts(counts)
        context["match_count"] = sum(counts.values())
        context["sort"] = cleaned.get("sort") or "severity"
        context["sort_choices"] = FINDING_SORT_CHOICES
        context["page_obj"] = Paginator(qs, FINDINGS_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return context


class FindingCreateView(ProcessesMixin, FormView):
    template_name = "projects/processes/finding_form.html"
    form_class = FindingForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.step_crumbs(self.step), (_("Add a finding"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Finding(step=self.step)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["step"] = self.step
        context["process"] = self.step.process
        return context

    def form_valid(self, form: FindingForm) -> HttpResponse:
        services.finding_create(step=self.step, **form.cleaned_data)
        messages.success(self.request, _("Finding added to step %(step)s.") % {"step": self.step})
        return HttpResponseRedirect(self.step_url(self.step))


class FindingDetailView(ProcessesMixin, TemplateView):
    template_name = "projects/processes/finding_detail.html"

    def crumbs(self) -> Crumbs:
        return [*self.step_crumbs(self.finding.step), (self.finding.description, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        finding = self.finding
        context["finding"] = finding
        context["step"] = finding.step
        context["process"] = finding.step.process
        context["page_obj"] = _history_page(self.request, [Finding.history.filter(id=finding.pk)], [])
        return context


class FindingEditView(ProcessesMixin, FormView):
    template_name = "projects/processes/finding_form.html"
    form_class = FindingEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        finding = self.finding
        return [*self.step_crumbs(finding.step), (finding.description, self.finding_url(finding)), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_finding()  # its own copy: the form writes what was typed onto it
        kwargs["process"] = self.finding.step.process
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["finding"] = self.finding
        context["step"] = self.finding.step
        context["process"] = self.finding.step.process
        return context

    def form_valid(self, form: FindingEditForm) -> HttpResponse:
        try:
            finding = services.finding_update(
                finding=self.get_finding(), expected_version=form.cleaned_data["version"], **_without_version(form)
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ProjectError as exc:
            form.add_error("step", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Finding saved."))
        return HttpResponseRedirect(self.finding_url(finding))


class FindingDeleteView(ProcessesMixin, TemplateView):
    template_name = "projects/goals/confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        finding = self.finding
        return [*self.step_crumbs(finding.step), (finding.description, self.finding_url(finding)), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Delete finding")
        context["question"] = _("Delete the finding “%(description)s” on step %(step)s?") % {
            "description": self.finding.description,
            "step": self.finding.step,
        }
        context["consequence"] = _("The history keeps it.")
        context["cancel_url"] = self.finding_url(self.finding)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        finding = self.finding
        services.finding_delete(finding=finding)
        messages.success(request, _("Finding deleted. The history keeps it."))
        return HttpResponseRedirect(self.step_url(finding.step))
