"""Requirement pages: the filtered list with bulk changes and CSV export, the forms, detail, workflow and history."""

import csv
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View

from requirements import services, suspects
from requirements.filters import DEFAULT_SORT
from requirements.forms import (
    CommentForm,
    CompareForm,
    RequirementBulkForm,
    RequirementEditForm,
    RequirementForm,
    SuspectClearForm,
    TransitionForm,
)
from requirements.models import Requirement
from requirements.selectors import requirements as selectors
from requirements.services import RequirementError
from requirements.workflow import ACTION_LABELS, AGREED, allowed_moves
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

PAGE_SIZE = 50
DETAIL_HISTORY = 10
MAX_REFUSALS_SHOWN = 10
LIST_FILTERS = ["q", "layer", "priority", "status", "category", "owner", "goal", "suspect"]
SORTABLE = ["key", "title", "layer", "priority", "status", "owner", "updated"]
SORT_MENU = [
    ("key", gettext_lazy("Key")),
    ("-updated", gettext_lazy("Recently updated")),
    ("priority", gettext_lazy("Priority, Must first")),
    ("status", gettext_lazy("Status, drafts first")),
    ("layer", gettext_lazy("Layer")),
    ("title", gettext_lazy("Title")),
    ("owner", gettext_lazy("Owner")),
]

Crumbs = list[tuple[str, str | None, bool]]  # (label, url, is a key)


class RequirementsMixin(ProjectAccessMixin):
    """The Requirements section: fetches requirements through the project, builds breadcrumbs."""

    section = "requirements"

    def list_url(self) -> str:
        return reverse("requirements:requirement-list", kwargs={"project_code": self.project.code})

    def detail_url(self, key: str) -> str:
        return reverse("requirements:requirement-detail", kwargs={"project_code": self.project.code, "key": key})

    def get_requirement(self) -> Requirement:
        """A fresh copy of the requirement named in the URL; 404 for a key of no requirement of this project."""
        try:
            return selectors.requirement_get(project=self.project, key=self.kwargs["key"])
        except Requirement.DoesNotExist:
            raise Http404 from None

    @cached_property
    def requirement(self) -> Requirement:
        return self.get_requirement()

    def crumbs(self) -> Crumbs:
        """(label, url, is_key) after the project in the breadcrumbs; the last one is the current page."""
        return [(_("Requirements"), self.list_url(), False)]

    def requirement_crumbs(self, requirement: Requirement) -> Crumbs:
        return [*RequirementsMixin.crumbs(self), (requirement.key, self.detail_url(requirement.key), True)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# The list


class RequirementListView(RequirementsMixin, TemplateView):
    template_name = "requirements/requirement_list.html"

    def crumbs(self) -> Crumbs:
        return [(_("Requirements"), None, False)]

    @cached_property
    def filterset(self) -> Any:
        return selectors.requirement_filterset(project=self.project, data=self.request.GET)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        matches = filterset.qs
        cleaned = getattr(filterset.form, "cleaned_data", {})
        filtered = any(cleaned.get(name) not in (None, "", False) for name in LIST_FILTERS)
        by_layer = selectors.requirement_counts(matches, "layer")
        by_status = selectors.requirement_counts(matches, "status")
        match_count = sum(by_layer.values())
        paginator = Paginator(selectors.requirement_rows(matches), PAGE_SIZE)
        paginator.count = match_count  # known from the counts above: spares the paginator a COUNT query
        sort = cleaned.get("sort") or DEFAULT_SORT
        context.update(
            {
                "filter": filterset,
                "filtered": filtered,
                "match_count": match_count,
                "total": self.project.requirements.count() if filtered else match_count,
                "layer_counts": [(v, label, by_layer.get(v, 0)) for v, label in Requirement.Layer.choices],
                "status_counts": [(v, label, by_status.get(v, 0)) for v, label in Requirement.Status.choices],
                "sort": sort,
                "columns": _sort_columns(sort),
                "sort_menu": SORT_MENU,
                "page_obj": paginator.get_page(self.request.GET.get("page")),
                # Row links are this prefix + key + "/": one reverse() instead of two per row.
                "detail_prefix": reverse("requirements:requirement-list", kwargs={"project_code": self.project.code}),
            }
        )
        # Choices are read here, once each, so that rendering the selects runs no query (iter(): list() alone
        # would ask len() first, which is a COUNT query of its own).
        form = filterset.form
        context["select_fields"] = [
            (form[name], list(iter(form.fields[name].choices)))
            for name in ("layer", "priority", "status", "category", "owner", "goal")
        ]
        if context["can_edit"] and match_count:
            bulk_form = RequirementBulkForm(project=self.project, initial={"next": self.request.get_full_path()})
            context["bulk_form"] = bulk_form
            context["bulk_choices"] = [
                (name, label, list(iter(bulk_form.fields[name].choices)))
                for name, label in (
                    ("status", _("New status")),
                    ("priority", _("New priority")),
                    ("owner", _("New owner")),
                )
            ]
        return context

    def export(self) -> HttpResponse:
        """The filtered list as CSV, in the list's order, with a BOM so that Excel reads Chinese text right."""
        rows = selectors.requirement_export(self.filterset.qs)
        labels = {
            "layer": dict(Requirement.Layer.choices),
            "category": dict(Requirement.Category.choices),
            "priority": dict(Requirement.Priority.choices),
            "status": dict(Requirement.Status.choices),
        }
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.project.code}-requirements.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Key"),
                _("Title"),
                _("Layer"),
                _("Category"),
                _("Priority"),
                _("Status"),
                _("Owner"),
                _("Source"),
                _("Parent"),
                _("Version"),
                _("Updated"),
                _("Statement"),
                _("Acceptance criteria"),
            ]
        )
        for row in rows:
            owner = " ".join(filter(None, [row["owner__user__first_name"], row["owner__user__last_name"]]))
            writer.writerow(
                [
                    _cell(row["key"]),
                    _cell(row["title"]),
                    str(labels["layer"].get(row["layer"], row["layer"])),
                    str(labels["category"].get(row["category"], row["category"])),
                    str(labels["priority"].get(row["priority"], row["priority"])),
                    str(labels["status"].get(row["status"], row["status"])),
                    _cell(owner or row["owner__user__username"] or ""),
                    _cell(row["source"]),
                    row["parent__key"] or "",
                    row["version"],
                    _timestamp(row["updated_at"]),
                    _cell(row["statement"]),
                    _cell(row["acceptance_criteria"]),
                ]
            )
        return response


def _cell(text: str) -> str:
    """A spreadsheet cell that cannot run as a formula (CSV injection): "=SUM(…)" is written as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _timestamp(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _sort_columns(sort: str) -> dict[str, dict[str, Any]]:
    """Per sortable column: the sort value its header link sets, and whether the list is sorted by it now."""
    current = sort.removeprefix("-")
    descending = sort.startswith("-")
    return {
        name: {
            "next": f"-{name}" if current == name and not descending else name,
            "active": current == name,
            "descending": current == name and descending,
        }
        for name in SORTABLE
    }


class RequirementBulkView(RequirementsMixin, View):
    """Applies one status, priority or owner to the ticked rows; each row the workflow refuses is reported."""

    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RequirementBulkForm(request.POST, project=self.project)
        back = self.back_url(request.POST.get("next", ""))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        try:
            result = services.requirements_bulk_update(
                requirements=data["ids"],
                membership=self.membership,
                status=data["status"],
                priority=data["priority"],
                owner=data["owner"],
            )
        except RequirementError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(back)
        if result.changed:
            count = len(result.changed)
            messages.success(
                request,
                ngettext("%(count)s requirement changed.", "%(count)s requirements changed.", count) % {"count": count},
            )
        for requirement, reason in result.refused[:MAX_REFUSALS_SHOWN]:
            text = reason if reason.startswith(requirement.key) else f"{requirement.key}: {reason}"
            messages.warning(request, _("Not changed: %(reason)s") % {"reason": text})
        hidden = len(result.refused) - MAX_REFUSALS_SHOWN
        if hidden > 0:
            messages.warning(
                request,
                ngettext(
                    "%(count)s more requirement was not changed.",
                    "%(count)s more requirements were not changed.",
                    hidden,
                )
                % {"count": hidden},
            )
        return HttpResponseRedirect(back)

    def back_url(self, target: str) -> str:
        """The filtered list the form was sent from; the plain list for anything else."""
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})
        if safe and target.startswith(self.list_url()):
            return target
        return self.list_url()


# Create and edit


class RequirementCreateView(RequirementsMixin, FormView):
    template_name = "requirements/requirement_form.html"
    form_class = RequirementForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New requirement"), None, False)]

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"owner": self.membership}
        parent = self.project.requirements.filter(key=self.request.GET.get("parent", "")).first()
        if parent is not None:
            initial.update(parent=parent, layer=parent.layer, category=parent.category)
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["instance"] = Requirement(project=self.project)
        return kwargs

    def form_valid(self, form: RequirementForm) -> HttpResponse:
        try:
            requirement = services.requirement_create(project=self.project, **form.service_fields())
        except RequirementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(key)s created as a draft. Send it to review when it is ready.") % {"key": requirement.key},
        )
        return HttpResponseRedirect(self.detail_url(requirement.key))


@dataclass
class Conflict:
    """What happened between the version a refused edit started from and the stored one."""

    started: int
    current: int
    who: Any
    when: datetime | None
    changes: list[tuple[selectors.FieldComparison, str]] = field(default_factory=list)


class RequirementEditView(RequirementsMixin, FormView):
    template_name = "requirements/requirement_form.html"
    form_class = RequirementEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.requirement_crumbs(self.requirement), (_("Edit"), None, False)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["instance"] = self.get_requirement()  # its own copy: the form writes what was typed onto it
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["requirement"] = self.requirement
        context["agreed"] = self.requirement.status in AGREED
        return context

    def form_valid(self, form: RequirementEditForm) -> HttpResponse:
        requirement = self.get_requirement()
        status_before = requirement.status
        try:
            services.requirement_update(
                requirement=requirement,
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
                **form.service_fields(),
            )
        except StaleVersionError:
            return self.conflict(form)
        except RequirementError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if status_before in AGREED and requirement.status == Requirement.Status.IN_REVIEW:
            flagged = selectors.flags_caused(requirement=requirement)
            text = _("%(key)s saved. It was “%(status)s”; your change to its meaning sent it back to review.") % {
                "key": requirement.key,
                "status": Requirement.Status(status_before).label,
            }
            if flagged:
                text += " " + ngettext(
                    "%(count)s item below it is marked suspect until someone reviews it.",
                    "%(count)s items below it are marked suspect until someone reviews them.",
                    flagged,
                ) % {"count": flagged}
            messages.warning(self.request, text)
        else:
            messages.success(self.request, _("%(key)s saved.") % {"key": requirement.key})
        return HttpResponseRedirect(self.detail_url(requirement.key))

    def conflict(self, form: RequirementEditForm) -> HttpResponse:
        """Refuse the stale save, show what changed meanwhile, and offer the form again with nothing typed lost."""
        current = self.get_requirement()
        started_version = form.cleaned_data["version"]
        started = selectors.requirement_version(requirement=current, version=started_version)
        latest = selectors.latest_version(requirement=current)
        conflict = Conflict(
            started=started_version,
            current=current.version,
            who=latest.history_user if latest else None,
            when=latest.history_date if latest else None,
        )
        if started is not None and latest is not None:
            data, outcomes = form.rebased(started=started, current=current)
            changes = selectors.compare_versions(started, latest, only_changed=True)
            conflict.changes = [(change, outcomes.get(change.name, "")) for change in changes]
            message = _(
                "Your changes were not saved: someone saved this requirement after you opened it. What they "
                "changed is listed below. The form holds their version with your changes on top; check it, "
                "then save again."
            )
        else:  # the version the user started from is unknown: nothing to merge with, so keep the form as posted
            data = form.data
            message = _(
                "Your changes were not saved: someone saved this requirement after you opened it. Copy what "
                "you typed, reload the page and apply your changes again."
            )
        retry = RequirementEditForm(data, project=self.project, instance=self.get_requirement())
        retry.is_valid()
        retry.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=retry, conflict=conflict))


# Detail and its actions


class RequirementDetailView(RequirementsMixin, TemplateView):
    template_name = "requirements/requirement_detail.html"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.kwargs["key"], None, True)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            page = selectors.requirement_page(project=self.project, key=self.kwargs["key"], today=timezone.localdate())
        except Requirement.DoesNotExist:
            raise Http404 from None
        requirement = page.requirement
        allowed = set(allowed_moves(requirement.status, self.membership))
        context.update(
            {
                "requirement": requirement,
                "page": page,
                "moves": [(status, label) for status, label in ACTION_LABELS.items() if status in allowed],
                # The reason names the upstream key, which the page shows as a link just before it.
                "flags": [(flag, flag.reason.removeprefix(f"{flag.upstream.key} ")) for flag in page.flags],
                "can_delete": context["can_edit"] and requirement.status == Requirement.Status.DRAFT,
                "history": history_entries([Requirement.history.filter(id=requirement.pk)], hidden_fields=["project"])[
                    :DETAIL_HISTORY
                ],
            }
        )
        if allowed:
            context["transition_form"] = TransitionForm()
        if context["can_edit"]:
            context["comment_form"] = CommentForm()
            context["clear_form"] = SuspectClearForm()
        return context


class RequirementActionView(RequirementsMixin, View):
    """A POST-only action on one requirement that ends back on its page."""

    def back(self) -> HttpResponse:
        return HttpResponseRedirect(self.detail_url(self.requirement.key))


class RequirementTransitionView(RequirementActionView):
    """Moves the requirement along the workflow; the service decides whether this member may make the move."""

    required_capability = "execute"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        requirement = self.requirement
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the status to move %(key)s to.") % {"key": requirement.key})
            return self.back()
        try:
            services.requirement_transition(
                requirement=requirement,
                to_status=form.cleaned_data["to_status"],
                membership=self.membership,
                comment=form.cleaned_data["comment"].strip(),
            )
        except RequirementError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(key)s is now “%(status)s”.")
                % {"key": requirement.key, "status": Requirement.Status(requirement.status).label},
            )
        return self.back()


class RequirementCommentView(RequirementActionView):
    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        requirement = self.requirement
        form = CommentForm(request.POST)
        if not form.is_valid() or not form.cleaned_data["body"].strip():
            messages.error(request, _("The comment was empty, so nothing was added."))
            return self.back()
        try:
            comment = services.comment_add(requirement=requirement, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.back()
        messages.success(request, _("Comment added."))
        return HttpResponseRedirect(f"{self.detail_url(requirement.key)}#comment-{comment.pk}")


class RequirementSuspectClearView(RequirementActionView):
    """Marks the requirement reviewed after something upstream changed: its open suspect flags are cleared."""

    required_capability = "edit"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        requirement = self.requirement
        form = SuspectClearForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["note"]))
            return self.back()
        cleared = suspects.clear(item=requirement, user=request.user, comment=form.cleaned_data["note"].strip())
        if cleared:
            messages.success(
                request,
                ngettext(
                    "%(key)s reviewed: %(count)s suspect link cleared.",
                    "%(key)s reviewed: %(count)s suspect links cleared.",
                    cleared,
                )
                % {"key": requirement.key, "count": cleared},
            )
        else:
            messages.info(request, _("%(key)s had nothing left to review.") % {"key": requirement.key})
        return self.back()


class RequirementDeleteView(RequirementsMixin, TemplateView):
    template_name = "requirements/requirement_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.requirement_crumbs(self.requirement), (_("Delete"), None, False)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["requirement"] = self.requirement
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        requirement = self.requirement
        key = requirement.key
        try:
            services.requirement_delete(requirement=requirement)
        except RequirementError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.detail_url(key))
        messages.success(request, _("%(key)s deleted. The history keeps it.") % {"key": key})
        return HttpResponseRedirect(self.list_url())


# History


@dataclass
class VersionRow:
    record: Any
    reason: str
    is_a: bool
    is_b: bool


class RequirementHistoryView(RequirementsMixin, TemplateView):
    """Every saved version, and two of them side by side (?a=<history id>&b=<history id>)."""

    template_name = "requirements/requirement_history.html"

    def crumbs(self) -> Crumbs:
        return [*self.requirement_crumbs(self.requirement), (_("History"), None, False)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        requirement = self.requirement
        versions = selectors.requirement_versions(requirement=requirement)
        form = CompareForm(self.request.GET)
        if not form.is_valid() or not versions:
            raise Http404
        by_id = {record.history_id: record for record in versions}
        a_id = form.cleaned_data["a"] or versions[min(1, len(versions) - 1)].history_id
        b_id = form.cleaned_data["b"] or versions[0].history_id
        if a_id not in by_id or b_id not in by_id:
            raise Http404  # a record of another requirement, or none at all
        a, b = by_id[a_id], by_id[b_id]
        rows = selectors.compare_versions(a, b)
        context.update(
            {
                "requirement": requirement,
                "versions": [
                    VersionRow(
                        record,
                        _(record.history_change_reason) if record.history_change_reason else "",
                        record.history_id == a_id,
                        record.history_id == b_id,
                    )
                    for record in versions
                ],
                "a": a,
                "b": b,
                "rows": rows,
                "changed_count": sum(row.changed for row in rows),
            }
        )
        return context
