"""Defect pages: the list (open ones by default), raising one (pre-filled from a failing step), its page with the
status buttons (open → fixed → retest → closed, or rejected; reopen), editing and history.

Every change goes through `testing.services`; a refusal is shown to the user and nothing is saved.
"""

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from testing import services
from testing.defect_forms import ALL_STATUSES, DefectEditForm, DefectFilterForm, DefectForm, DefectMoveForm
from testing.models import Defect, RunCase, StepResult, TestRun
from testing.services import DEFECT_MOVES, TestingError
from testing.views.common import Crumbs, UATMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20
TITLE_MAX = 200

# The icon and colour of each status button, by (from, to); its label comes from move_label().
MOVE_LOOK = {
    (Defect.Status.OPEN, Defect.Status.FIXED): ("ti-tool", "btn-outline-primary"),
    (Defect.Status.OPEN, Defect.Status.REJECTED): ("ti-ban", "btn-outline-secondary"),
    (Defect.Status.FIXED, Defect.Status.RETEST): ("ti-repeat", "btn-primary"),
    (Defect.Status.FIXED, Defect.Status.OPEN): ("ti-arrow-back-up", "btn-outline-danger"),
    (Defect.Status.RETEST, Defect.Status.CLOSED): ("ti-circle-check", "btn-success"),
    (Defect.Status.RETEST, Defect.Status.OPEN): ("ti-arrow-back-up", "btn-outline-danger"),
    (Defect.Status.CLOSED, Defect.Status.OPEN): ("ti-arrow-back-up", "btn-outline-danger"),
    (Defect.Status.REJECTED, Defect.Status.OPEN): ("ti-arrow-back-up", "btn-outline-danger"),
}


SEVERITY_CSS = {
    Defect.Severity.CRITICAL: "bg-red text-red-fg",
    Defect.Severity.MAJOR: "bg-orange-lt",
    Defect.Severity.MINOR: "bg-yellow-lt",
    Defect.Severity.TRIVIAL: "bg-secondary-lt",
}
STATUS_CSS = {
    Defect.Status.OPEN: "bg-red-lt",
    Defect.Status.FIXED: "bg-blue-lt",
    Defect.Status.RETEST: "bg-purple-lt",
    Defect.Status.CLOSED: "bg-green-lt",
    Defect.Status.REJECTED: "bg-secondary-lt",
}


def with_badges(defect: Defect) -> Defect:
    """Sets the badge colours the templates show (a dict lookup here, not an include per row)."""
    defect.severity_css = SEVERITY_CSS.get(defect.severity, "bg-secondary-lt")
    defect.status_css = STATUS_CSS.get(defect.status, "bg-secondary-lt")
    return defect


def move_label(from_status: str, to_status: str) -> str:
    """The same target reads differently depending on where it starts (close after a retest, reopen…)."""
    labels = {
        (Defect.Status.OPEN, Defect.Status.FIXED): _("Vendor fixed it"),
        (Defect.Status.OPEN, Defect.Status.REJECTED): _("Reject"),
        (Defect.Status.FIXED, Defect.Status.RETEST): _("Ready for retest"),
        (Defect.Status.FIXED, Defect.Status.OPEN): _("Not fixed: reopen"),
        (Defect.Status.RETEST, Defect.Status.CLOSED): _("Retest passed: close"),
        (Defect.Status.RETEST, Defect.Status.OPEN): _("Retest failed: reopen"),
    }
    return labels.get((from_status, to_status), _("Reopen"))


class DefectMixin(UATMixin):
    """The defect pages: breadcrumbs after "UAT › Defects", the tab bar, URLs."""

    tab = "defects"

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"testing:{name}", kwargs={"project_code": self.project.code, **kwargs})

    def detail_url(self, defect: Defect) -> str:
        return self.url("defect-detail", defect_key=defect.key)

    def get_defect(self) -> Defect:
        try:
            return Defect.objects.select_related(
                "run_case__run", "run_case__case", "execution", "requirement", "raised_by"
            ).get(project=self.project, key=self.kwargs["defect_key"])
        except Defect.DoesNotExist:
            raise Http404 from None

    def crumbs(self) -> Crumbs:
        return [(_("Defects"), self.url("defect-list"))]

    def defect_crumbs(self, defect: Defect) -> Crumbs:
        return [*DefectMixin.crumbs(self), (defect.key, self.detail_url(defect))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["tab"] = self.tab
        return context


def case_key(run_case: RunCase) -> str:
    return run_case.frozen_key or run_case.case.key


# The list ------------------------------------------------------------------------------------------------


class DefectListView(DefectMixin, TemplateView):
    template_name = "testing/defect_list.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [(_("Defects"), None)]

    @cached_property
    def filter_form(self) -> DefectFilterForm:
        form = DefectFilterForm(self.request.GET or None, project=self.project)
        form.is_valid()
        return form

    def filtered(self) -> QuerySet[Defect]:
        data = getattr(self.filter_form, "cleaned_data", {})
        defects = Defect.objects.filter(project=self.project)
        status = data.get("status") or ""
        if status == ALL_STATUSES:
            pass
        elif status:
            defects = defects.filter(status=status)
        else:
            defects = defects.filter(status__in=Defect.OPEN_STATUSES)
        if data.get("severity"):
            defects = defects.filter(severity=data["severity"])
        if data.get("run"):
            defects = defects.filter(run_case__run_id=data["run"])
        key = (data.get("requirement") or "").strip()
        if key:
            defects = defects.filter(requirement__key__iexact=key)
        for word in (data.get("q") or "").split():
            defects = defects.filter(
                Q(key__iexact=word) | Q(title__icontains=word) | Q(vendor_reference__icontains=word)
            )
        return defects

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filter_form
        data = getattr(form, "cleaned_data", {})
        defects = self.filtered()
        by_status = dict(
            Defect.objects.filter(project=self.project).values_list("status").annotate(n=Count("pk")).order_by()
        )
        rows = defects.select_related("run_case__case", "requirement", "raised_by").order_by("-number")
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        for defect in page.object_list:
            with_badges(defect)
        code = self.project.code
        context.update(
            {
                "form": form,
                "filtered": any(data.get(name) for name in ("q", "status", "severity", "run", "requirement")),
                "page_obj": page,
                "total": sum(by_status.values()),
                "open_count": sum(n for status, n in by_status.items() if status in Defect.OPEN_STATUSES),
                "status_counts": [(value, label, by_status.get(value, 0)) for value, label in Defect.Status.choices],
                "status_choices": list(form.fields["status"].choices),
                "severity_choices": list(form.fields["severity"].choices),
                "run_choices": list(form.fields["run"].choices),
                "current_status": data.get("status") or "",
                # Row links are a prefix + key + "/": one reverse() instead of several per row.
                "defect_prefix": reverse("testing:defect-list", kwargs={"project_code": code}),
                "requirement_prefix": reverse("requirements:requirement-list", kwargs={"project_code": code}),
                "run_prefix": reverse("testing:run-list", kwargs={"project_code": code}) + "runs/",
            }
        )
        return context


# Raise a defect ------------------------------------------------------------------------------------------


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class DefectCreateView(DefectMixin, FormView):
    """A new defect; from a failing step (?run_case=<id>&step=<order>) it is pre-filled with the case, the step,
    what was expected and what happened, and the case's first requirement."""

    template_name = "testing/defect_form.html"
    form_class = DefectForm
    required_capability = "execute"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Raise a defect"), None)]

    @cached_property
    def source_run_case(self) -> RunCase | None:
        raw = self.request.GET.get("run_case", "").strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise Http404
        try:
            return RunCase.objects.select_related("run", "case").get(run__project=self.project, pk=int(raw))
        except RunCase.DoesNotExist:
            raise Http404 from None

    @cached_property
    def source_step(self) -> dict[str, Any] | None:
        """The frozen step named by ?step=, with what the latest execution recorded for it (or None)."""
        run_case = self.source_run_case
        raw = self.request.GET.get("step", "").strip()
        if run_case is None or not raw.isdigit():
            return None
        order = int(raw)
        step = next((dict(s) for s in run_case.frozen_steps if s.get("order") == order), None)
        if step is None:
            return None
        execution = services.latest_execution(run_case)
        result = None
        if execution is not None:
            result = StepResult.objects.filter(execution=execution, step_order=order).first()
        step["execution"] = execution
        step["result"] = result
        return step

    def get_initial(self) -> dict[str, Any]:
        run_case = self.source_run_case
        if run_case is None:
            return {}
        step = self.source_step
        key = case_key(run_case)
        title = run_case.frozen_title or run_case.case.title
        if step is not None:
            actual = _first_line(step["result"].actual) if step["result"] is not None else ""
            suggestion = _("%(key)s step %(n)s: %(what)s") % {
                "key": key,
                "n": step["order"],
                "what": actual or _first_line(step["action"]),
            }
        else:
            suggestion = f"{key}: {title}"
        lines = [_("**Case:** %(key)s %(title)s") % {"key": key, "title": title}]
        if step is not None:
            lines.append(_("**Step %(n)s:** %(action)s") % {"n": step["order"], "action": step["action"]})
            if step.get("test_data"):
                lines.append(_("**Test data:** %(data)s") % {"data": step["test_data"]})
            lines.append(_("**Expected:** %(expected)s") % {"expected": step["expected"]})
            if step["result"] is not None:
                lines.append(_("**Actual:** %(actual)s") % {"actual": step["result"].actual or "—"})
        return {
            "title": Truncator(suggestion).chars(TITLE_MAX),
            "description": "\n\n".join(lines),
            "requirement": run_case.frozen_requirements[0] if run_case.frozen_requirements else "",
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        run_case = self.source_run_case
        kwargs.update(
            project=self.project,
            instance=Defect(project=self.project),
            suggestions=list(run_case.frozen_requirements) if run_case is not None else [],
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run_case = self.source_run_case
        context.update(
            {
                "source": run_case,
                "source_key": case_key(run_case) if run_case is not None else "",
                "step": self.source_step,
                "suggestions": list(run_case.frozen_requirements) if run_case is not None else [],
                "cancel_url": (
                    self.url("execute", run_id=run_case.run_id, run_case_id=run_case.pk)
                    if run_case is not None
                    else self.url("defect-list")
                ),
            }
        )
        return context

    def form_valid(self, form: DefectForm) -> HttpResponse:
        step = self.source_step
        try:
            defect = services.defect_raise(
                project=self.project,
                user=self.request.user,
                run_case=self.source_run_case,
                step_order=step["order"] if step is not None else None,
                **form.service_fields(),
            )
        except TestingError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("%(key)s raised.") % {"key": defect.key})
        return HttpResponseRedirect(self.detail_url(defect))


# A defect's page and its status buttons ------------------------------------------------------------------


class DefectDetailView(DefectMixin, TemplateView):
    template_name = "testing/defect_detail.html"
    required_capability = "view"
    write_capability = "execute"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.kwargs["defect_key"], None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        defect = with_badges(self.defect)
        run_case = defect.run_case
        run = run_case.run if run_case is not None else None
        step = None
        if run_case is not None and defect.step_order is not None:
            step = next((s for s in run_case.frozen_steps if s.get("order") == defect.step_order), None)
        moves = []
        if context["can_execute"]:
            for target in DEFECT_MOVES.get(defect.status, ()):
                icon, css = MOVE_LOOK.get((defect.status, target), ("ti-arrow-right", "btn-outline-secondary"))
                moves.append({"status": target, "label": move_label(defect.status, target), "icon": icon, "css": css})
        run_open = run is not None and run.status == TestRun.Status.IN_PROGRESS
        context.update(
            {
                "defect": defect,
                "run_case": run_case,
                "run": run,
                "case_key": case_key(run_case) if run_case is not None else "",
                "step": step,
                "execute_url": (
                    self.url("execute", run_id=run_case.run_id, run_case_id=run_case.pk) if run_case else None
                ),
                "moves": moves,
                "retest_due": defect.status == Defect.Status.RETEST and run_open,
                "is_open": defect.status in Defect.OPEN_STATUSES,
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        defect = self.defect
        back = HttpResponseRedirect(self.detail_url(defect))
        form = DefectMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the status to move %(key)s to.") % {"key": defect.key})
            return back
        try:
            services.defect_move(
                defect=defect,
                to_status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except StaleVersionError as exc:
            messages.error(request, str(exc))
        except TestingError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            text = _("%(key)s is now “%(status)s”.") % {
                "key": defect.key,
                "status": Defect.Status(defect.status).label,
            }
            messages.success(request, text)
        return back


# Edit and history ----------------------------------------------------------------------------------------


class DefectEditView(DefectMixin, FormView):
    template_name = "testing/defect_form.html"
    form_class = DefectEditForm
    required_capability = "execute"

    def crumbs(self) -> Crumbs:
        return [*self.defect_crumbs(self.defect), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # Its own copy: the form writes what was typed onto it, the page keeps showing the stored defect.
        defect = self.get_defect()
        run_case = defect.run_case
        kwargs.update(
            project=self.project,
            instance=defect,
            suggestions=list(run_case.frozen_requirements) if run_case is not None else [],
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        defect = self.defect
        context.update(
            {
                "defect": defect,
                "suggestions": list(defect.run_case.frozen_requirements) if defect.run_case else [],
                "cancel_url": self.detail_url(defect),
            }
        )
        return context

    def form_valid(self, form: DefectEditForm) -> HttpResponse:
        try:
            defect = services.defect_update(
                defect=self.get_defect(),
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
                **form.service_fields(),
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except TestingError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("%(key)s saved.") % {"key": defect.key})
        return HttpResponseRedirect(self.detail_url(defect))


class DefectHistoryView(DefectMixin, TemplateView):
    """Every saved version of the defect, newest first: who changed what."""

    template_name = "testing/defect_history.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*self.defect_crumbs(self.defect), (_("History"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        defect = self.defect
        records = Defect.history.filter(id=defect.pk)
        entries = history_entries([records], hidden_fields=["project", "execution", "run_case"])
        context.update(
            {
                "defect": defect,
                "version_count": records.count(),
                "page_obj": Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page")),
            }
        )
        return context
