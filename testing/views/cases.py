"""UAT case pages: the filtered list, create and edit with the ordered steps editor, the template picker, detail
(steps, requirements, suspect flags, runs), delete and history."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from requirements import suspects
from requirements.models import Requirement
from testing.case_forms import CaseEditForm, CaseForm, SuspectClearForm, step_formset
from testing.case_templates import cases_pull_templates, pulled_templates, templates_for_language
from testing.filters import case_filter
from testing.models import CaseStep, RunCase, TestRun, UATCase
from testing.services import TestingError, case_create, case_delete, case_update
from testing.views.common import Crumbs, UATMixin
from workbench.history import Change, HistoryEntry, word_diff
from workbench.locking import StaleVersionError, stale_message

PAGE_SIZE = 50
LIST_FILTERS = ["q", "role", "flow", "priority", "layer", "requirement_priority"]
CREATE_EXTRA_STEPS = 3
EDIT_EXTRA_STEPS = 2


class CaseMixin(UATMixin):
    """The case pages: URLs and breadcrumbs (UAT › Cases › UAT-001 › …)."""

    def list_url(self) -> str:
        return reverse("testing:case-list", kwargs={"project_code": self.project.code})

    def detail_url(self, key: str) -> str:
        return reverse("testing:case-detail", kwargs={"project_code": self.project.code, "case_key": key})

    def crumbs(self) -> Crumbs:
        return [(_("Cases"), self.list_url())]

    def case_crumbs(self, *more: tuple[str, str | None]) -> Crumbs:
        return [*CaseMixin.crumbs(self), (self.case.key, self.detail_url(self.case.key)), *more]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# The list


class CaseListView(CaseMixin, TemplateView):
    template_name = "testing/case_list.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [(_("Cases"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = case_filter(self.request.GET, self.project)
        matches = filterset.qs
        cleaned = getattr(filterset.form, "cleaned_data", {})
        filtered = any(cleaned.get(name) not in (None, "") for name in LIST_FILTERS)
        counts = UATCase.objects.filter(pk__in=matches.values("pk")).aggregate(
            total=Count("pk"),
            normal=Count("pk", filter=Q(flow=UATCase.Flow.NORMAL)),
            exception=Count("pk", filter=Q(flow=UATCase.Flow.EXCEPTION)),
        )
        rows = (
            suspects.annotate_suspect(matches)
            .annotate(step_count=Count("steps", distinct=True))
            .prefetch_related(
                Prefetch(
                    "requirements",
                    queryset=Requirement.objects.only("id", "key", "title", "number").order_by("number"),
                    to_attr="verified",
                )
            )
        )
        paginator = Paginator(rows, PAGE_SIZE)
        paginator.count = counts["total"]  # known from the counts: spares the paginator a COUNT query
        form = filterset.form
        context.update(
            {
                "filter": filterset,
                "filtered": filtered,
                "counts": counts,
                "project_total": self.project.uat_cases.count() if filtered else counts["total"],
                "page_obj": paginator.get_page(self.request.GET.get("page")),
                "select_fields": [
                    (form[name], list(form.fields[name].choices))
                    for name in ("role", "flow", "priority", "layer", "requirement_priority")
                ],
                # Row links are this prefix + key + "/": one reverse() instead of one per row.
                "detail_prefix": self.list_url(),
            }
        )
        return context


# Create and edit


class CaseFormView(CaseMixin, TemplateView):
    """Shared by create and edit: the case form and the steps formset, validated together."""

    template_name = "testing/case_form.html"
    required_capability = "edit"

    def render_forms(self, form: CaseForm, formset: Any, **extra: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, formset=formset, **extra))

    def refused(self, form: CaseForm, formset: Any, error: Exception) -> HttpResponse:
        if isinstance(error, ValidationError):
            form.add_error(None, error)
        else:
            form.add_error(None, str(error))
        return self.render_forms(form, formset)


class CaseCreateView(CaseFormView):
    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New case"), None)]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        initial = {}
        requirement = self.project.requirements.filter(key=request.GET.get("requirement", "")).first()
        if requirement is not None:  # "Add a case" from a requirement's page
            initial["requirement_keys"] = requirement.key
        form = CaseForm(project=self.project, initial=initial)
        return self.render_forms(form, step_formset(extra=CREATE_EXTRA_STEPS))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CaseForm(request.POST, project=self.project, instance=UATCase(project=self.project))
        formset = step_formset(data=request.POST)
        if not (form.is_valid() & formset.is_valid()):  # both validated, so every error shows at once
            return self.render_forms(form, formset)
        try:
            case = case_create(project=self.project, steps=formset.steps(), user=request.user, **form.service_fields())
        except (TestingError, ValidationError) as exc:
            return self.refused(form, formset, exc)
        messages.success(request, _("%(key)s created.") % {"key": case.key})
        return HttpResponseRedirect(self.detail_url(case.key))


class CaseEditView(CaseFormView):
    def crumbs(self) -> Crumbs:
        return self.case_crumbs((_("Edit"), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["current_requirements"] = list(self.case.requirements.order_by("number").only("key", "title"))
        context["frozen_runs"] = (
            TestRun.objects.filter(run_cases__case=self.case, run_cases__frozen_at__isnull=False).distinct().count()
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.get_case()
        steps = [(s.action, s.expected, s.test_data) for s in case.steps.all()]
        form = CaseEditForm(project=self.project, instance=case)
        return self.render_forms(form, step_formset(steps=steps, extra=EDIT_EXTRA_STEPS))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The form writes what was typed onto its instance: its own copy, so a refused save changes nothing shown.
        form = CaseEditForm(request.POST, project=self.project, instance=self.get_case())
        formset = step_formset(data=request.POST)
        if not (form.is_valid() & formset.is_valid()):
            return self.render_forms(form, formset)
        case = self.get_case()
        try:
            case_update(
                case=case,
                expected_version=form.cleaned_data["version"],
                steps=formset.steps(),
                user=request.user,
                **form.service_fields(),
            )
        except StaleVersionError:
            return self.conflict(form)
        except (TestingError, ValidationError) as exc:
            return self.refused(form, formset, exc)
        messages.success(request, _("%(key)s saved.") % {"key": case.key})
        return HttpResponseRedirect(self.detail_url(case.key))

    def conflict(self, form: CaseEditForm) -> HttpResponse:
        """Refuse the stale save; the form keeps everything typed, and now carries the current version, so that
        saving again (after looking at what is stored now) applies it."""
        current = self.get_case()
        data = form.data.copy()
        data["version"] = str(current.version)
        retry = CaseEditForm(data, project=self.project, instance=self.get_case())
        formset = step_formset(data=data)
        retry.is_valid()
        formset.is_valid()
        retry.add_error(
            None,
            _(
                "%(stale)s Your input is still in the form below. The case as it is stored now is shown above it: "
                "compare, then save again to replace it with yours."
            )
            % {"stale": stale_message(current)},
        )
        return self.render_forms(retry, formset, current=current, current_steps=list(current.steps.all()))


# Templates


@dataclass
class TemplateGroup:
    flow: str
    flow_label: str
    roles: list[tuple[str, list[Any]]]  # (role label, templates)
    count: int


class CaseTemplatesView(CaseMixin, TemplateView):
    """The standard cases for a 进销存 upgrade, in the request's language; ticked ones are pulled into the project."""

    template_name = "testing/case_templates.html"
    required_capability = "view"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Templates"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pulled = pulled_templates(project=self.project)
        roles = dict(UATCase.Role.choices)
        priorities = dict(UATCase.Priority.choices)
        by_flow: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for template in templates_for_language(get_language()):
            by_flow[template.flow][template.role].append(
                {
                    "key": template.key,
                    "title": template.title,
                    "priority": template.priority,
                    "priority_label": priorities.get(template.priority, template.priority),
                    "steps": template.steps,
                    "pulled": pulled.get(template.key, []),
                }
            )
        role_order = list(roles)
        groups = []
        for flow, label in UATCase.Flow.choices:
            flow_roles = by_flow.get(flow, {})
            ordered = sorted(flow_roles, key=lambda role: role_order.index(role) if role in role_order else 99)
            groups.append(
                TemplateGroup(
                    flow=flow,
                    flow_label=str(label),
                    roles=[(str(roles.get(role, role)), flow_roles[role]) for role in ordered],
                    count=sum(len(items) for items in flow_roles.values()),
                )
            )
        context.update(
            groups=groups,
            pulled_count=len(pulled),
            template_count=sum(group.count for group in groups),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        keys = [key for key in request.POST.getlist("templates") if key]
        if not keys:
            messages.warning(request, _("Tick the templates to add first; nothing was added."))
            return HttpResponseRedirect(request.path)
        try:
            created = cases_pull_templates(project=self.project, keys=keys, user=request.user, language=get_language())
        except TestingError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(request.path)
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)s case added from the templates (%(keys)s). Adapt its data to your items and customers.",
                    "%(count)s cases added from the templates (%(keys)s). Adapt their data to your items and "
                    "customers.",
                    len(created),
                )
                % {"count": len(created), "keys": ", ".join(case.key for case in created)},
            )
        else:
            messages.info(request, _("Those templates were added before; no case was added twice."))
        return HttpResponseRedirect(self.list_url())


# Detail and its actions


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "testing/case_detail.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.kwargs["case_key"], None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = self.case
        run_cases = (
            RunCase.objects.filter(case=case)
            .select_related("run", "tester__user")
            .order_by("-run__created_at", "-run_id")
        )
        context.update(
            {
                "case": case,
                "steps": list(case.steps.all()),
                "requirements": list(case.requirements.order_by("number")),
                "flags": list(suspects.open_flags_for(case).order_by("flagged_at")),
                "run_cases": list(run_cases),
            }
        )
        if context["can_edit"]:
            context["clear_form"] = SuspectClearForm()
        return context


class CaseSuspectClearView(CaseMixin, View):
    """Marks the case reviewed after a requirement it verifies changed: its open suspect flags are cleared."""

    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.case
        form = SuspectClearForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["note"]))
            return HttpResponseRedirect(self.detail_url(case.key))
        cleared = suspects.clear(item=case, user=request.user, comment=form.cleaned_data["note"].strip())
        if cleared:
            messages.success(
                request,
                ngettext(
                    "%(key)s reviewed: %(count)s suspect link cleared.",
                    "%(key)s reviewed: %(count)s suspect links cleared.",
                    cleared,
                )
                % {"key": case.key, "count": cleared},
            )
        else:
            messages.info(request, _("%(key)s had nothing left to review.") % {"key": case.key})
        return HttpResponseRedirect(self.detail_url(case.key))


class CaseDeleteView(CaseMixin, TemplateView):
    template_name = "testing/case_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return self.case_crumbs((_("Delete"), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["run_count"] = self.case.run_cases.count()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case = self.case
        key = case.key
        try:
            case_delete(case=case)
        except TestingError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.detail_url(key))
        messages.success(request, _("%(key)s deleted. Its key is not given out again.") % {"key": key})
        return HttpResponseRedirect(self.list_url())


# History


def _step_text(step: tuple[str, str, str]) -> str:
    action, expected, test_data = step
    text = f"{action} → {expected}"
    return f"{text} [{test_data}]" if test_data else text


def _step_changes(old: list[tuple[str, str, str]], new: list[tuple[str, str, str]]) -> list[Change]:
    """Step by step (by position): what was added, removed or rewritten between two versions of the steps."""
    changes = []
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before == after:
            continue
        label = _("Step %(n)s") % {"n": index + 1}
        if before is None:
            changes.append(Change(label, "", _step_text(after)))  # type: ignore[arg-type]
        elif after is None:
            changes.append(Change(label, _step_text(before), _("(removed)")))
        else:
            old_text, new_text = _step_text(before), _step_text(after)
            changes.append(Change(label, old_text, new_text, word_diff(old_text, new_text)))
    return changes


EMPTY = "—"
CASE_FIELDS = ["title", "role", "flow", "priority", "preconditions"]


def case_versions(case: UATCase) -> list[HistoryEntry]:
    """Every saved version of the case, newest first, with who saved it, when, and what changed: its fields, the
    requirements it verifies and its steps (whose rows are rewritten on each save, so they are compared as lists).

    Four queries, however long the history.
    """
    records = list(
        UATCase.history.filter(id=case.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    step_records = list(CaseStep.history.filter(case_id=case.pk).order_by("history_date", "history_id"))
    # The requirements verified, as recorded with each historical record (simple-history's m2m snapshot).
    links: dict[int, list[int]] = defaultdict(list)
    snapshot = apps.get_model("testing", "HistoricalUATCase_requirements")
    for history_id, requirement_id in snapshot.objects.filter(history__id=case.pk).values_list(
        "history_id", "requirement_id"
    ):
        links[history_id].append(requirement_id)
    requirement_ids = {pk for ids in links.values() for pk in ids}
    keys = dict(Requirement.objects.filter(pk__in=requirement_ids).values_list("pk", "key"))

    # One save of the case writes its fields, then its requirements (same version), then its steps.
    versions: list[list[Any]] = []
    for record in records:
        if versions and versions[-1][-1].version == record.version:
            versions[-1].append(record)
        else:
            versions.append([record])
    starts = [group[0].history_date for group in versions]

    steps_after: list[list[tuple[str, str, str]]] = []
    alive: dict[int, Any] = {}
    cursor = 0
    for index in range(len(versions)):
        end = starts[index + 1] if index + 1 < len(versions) else None
        while cursor < len(step_records) and (end is None or step_records[cursor].history_date < end):
            step = step_records[cursor]
            if step.history_type == "-":
                alive.pop(step.id, None)
            else:
                alive[step.id] = step
            cursor += 1
        steps_after.append([(s.action, s.expected, s.test_data) for s in sorted(alive.values(), key=lambda s: s.order)])

    labels = {name: UATCase._meta.get_field(name) for name in CASE_FIELDS}
    entries = []
    previous = None
    for index, group in enumerate(versions):
        first, last = group[0], group[-1]
        changes = []
        for name, field in labels.items():
            new = _field_display(field, getattr(last, name))
            if previous is None:
                if new:
                    changes.append(Change(str(field.verbose_name), "", new))
                continue
            old = _field_display(field, getattr(previous, name))
            if old == new:
                continue
            old, new = old or EMPTY, new or EMPTY
            diff = word_diff(old, new) if EMPTY not in (old, new) and name in ("title", "preconditions") else None
            changes.append(Change(str(field.verbose_name), old, new, diff))
        new_keys = sorted(keys.get(pk, "?") for pk in links[last.history_id])
        old_keys = sorted(keys.get(pk, "?") for pk in links[previous.history_id]) if previous else []
        if new_keys != old_keys:
            label = str(_("requirements verified"))
            if previous is None:
                changes.append(Change(label, "", ", ".join(new_keys)))
            else:
                changes.append(Change(label, ", ".join(old_keys) or EMPTY, ", ".join(new_keys) or EMPTY))
        changes += _step_changes(steps_after[index - 1] if index else [], steps_after[index])
        user = next((r.history_user for r in group if r.history_user is not None), None)
        entries.append(
            HistoryEntry(
                when=first.history_date,
                user=user,
                action="+" if first.history_type == "+" else "~",
                model_label=str(_("Version")),
                object_label=str(first.version),
                reason=_(first.history_change_reason) if first.history_change_reason else "",
                changes=changes,
            )
        )
        previous = last
    entries.reverse()
    return entries


def _field_display(field: Any, value: Any) -> str:
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


class CaseHistoryView(CaseMixin, TemplateView):
    template_name = "testing/case_history.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return self.case_crumbs((_("History"), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        context["entries"] = case_versions(self.case)
        return context
