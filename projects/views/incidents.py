"""Incidents after go-live: the list with live SLA clocks, an incident with its clocks, status timeline and moves,
the forms to open and edit one, the import of a vendor's ticket export and the export as CSV.

Nothing on these pages is a typed SLA figure: every due time, time left and breach is computed from the incident's
status changes on its service level's business calendar (`projects.selectors.sla`), at the moment of the request.
The list computes the clocks of the open incidents (for the summary) and of the page shown, a fixed number of
queries whatever the number of rows.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.generic import FormView, TemplateView

from projects.forms.incidents import (
    IncidentEditForm,
    IncidentFilterForm,
    IncidentForm,
    IncidentMoveForm,
    IncidentUploadForm,
)
from projects.forms.training import member_name
from projects.incident_csv import COLUMNS, HEADER_ALIASES, REQUIRED, incident_import
from projects.models import Incident, IncidentChange, ServiceLevel, Severity
from projects.models.sla import DONE_STATUSES, OPEN_STATUSES
from projects.navigation import optional_url
from projects.selectors.sla import incident_clocks
from projects.services import sla as services
from projects.sla_clock import Clock, Timer
from workbench.access import ProjectAccessMixin
from workbench.forms import ServiceFormMixin
from workbench.history import history_entries
from workbench.numbers import hours_minutes, plain_decimal
from workbench.staged_upload import StagedUploadMixin

Crumbs = list[tuple[str, str | None]]
Status = Incident.Status
PAGE_SIZE = 50
HISTORY_SHOWN = 20
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "open": OPEN_STATUSES,
    "resolved": DONE_STATUSES,
    "all": tuple(Status.values),
}
RISK_PERCENT = 75
EXPORT_COLUMNS = [*COLUMNS, "incident", "status", "response_due", "resolution_due", "breached"]
TIME_FORMAT = "%Y-%m-%d %H:%M"

# How each state looks: a badge class per severity and per status.
SEVERITY_BADGES = {
    Severity.CRITICAL: "bg-red-lt",
    Severity.MAJOR: "bg-orange-lt",
    Severity.MINOR: "bg-blue-lt",
    Severity.TRIVIAL: "bg-secondary-lt",
}
STATUS_BADGES = {
    Status.NEW: "bg-azure-lt",
    Status.ACKNOWLEDGED: "bg-indigo-lt",
    Status.IN_PROGRESS: "bg-blue-lt",
    Status.WAITING: "bg-yellow-lt",
    Status.RESOLVED: "bg-green-lt",
    Status.CLOSED: "bg-secondary-lt",
}
TONES = {None: "green", 50: "yellow", 75: "orange", 100: "red"}

# What each move is called on its button, by (from, to); then by the new status alone.
MOVE_LABELS = {
    (Status.WAITING, Status.IN_PROGRESS): pgettext_lazy("sla", "Resume work"),
    (Status.RESOLVED, Status.IN_PROGRESS): pgettext_lazy("sla", "Reopen"),
}
MOVE_BUTTONS = {
    Status.ACKNOWLEDGED: (pgettext_lazy("sla", "Acknowledge"), "btn-outline-primary", "ti-eye-check"),
    Status.IN_PROGRESS: (pgettext_lazy("sla", "Start work"), "btn-primary", "ti-player-play"),
    Status.WAITING: (pgettext_lazy("sla", "Wait for the customer"), "btn-outline-warning", "ti-player-pause"),
    Status.RESOLVED: (pgettext_lazy("sla", "Resolve"), "btn-success", "ti-circle-check"),
    Status.CLOSED: (pgettext_lazy("sla", "Close"), "btn-outline-secondary", "ti-lock"),
}

# The import page's table of columns: what each one holds.
COLUMN_MEANINGS = {
    "ticket": gettext_lazy("The vendor's ticket number; a ticket already imported is skipped."),
    "title": gettext_lazy("What goes wrong."),
    "description": gettext_lazy("Details (Markdown)."),
    "severity": gettext_lazy("critical, major, minor, trivial; 致命, 严重, 一般, 轻微; or P1–P4. Empty: major."),
    "vendor": gettext_lazy("A vendor's name in this project: whose service level applies."),
    "opened": gettext_lazy("When it was reported, e.g. 2026-10-09 13:00, in the project's time zone."),
    "responded": gettext_lazy("The vendor's first response (the incident becomes acknowledged)."),
    "resolved": gettext_lazy("When it was resolved."),
    "closed": gettext_lazy("When it was closed (needs the resolution time)."),
    "reporter": gettext_lazy("User name of a team member."),
    "assignee": gettext_lazy("User name of a team member."),
}


def current_time() -> datetime:
    """The moment the clocks are read at (one place, so that tests can set it)."""
    return timezone.now()


def _minutes(value: float) -> str:
    return hours_minutes(int(round(max(value, 0))))


@dataclass
class TimerState:
    """One SLA timer as the pages show it: its state, the times and the bar."""

    timer: Timer
    state: str  # running | overdue | paused | met | late
    percent: int
    width: int
    tone: str

    @property
    def due(self) -> datetime | None:
        return self.timer.due

    @property
    def met_at(self) -> datetime | None:
        return self.timer.met_at

    @property
    def breached(self) -> bool:
        return self.timer.breached

    @property
    def target(self) -> str:
        return hours_minutes(self.timer.target)

    @property
    def used(self) -> str:
        return _minutes(self.timer.used)

    @property
    def left(self) -> str:
        return _minutes(self.timer.left)

    @property
    def over(self) -> str:
        return _minutes(-self.timer.left)

    @property
    def warning(self) -> int | None:
        return self.timer.warning


def timer_state(timer: Timer, *, resolution: bool) -> TimerState:
    if timer.running:
        state = "overdue" if timer.breached else "running"
    elif timer.met_at is not None:
        state = "late" if timer.breached else "met"
    elif resolution:
        state = "paused"  # waiting for the customer: no due time, only the time left
    else:
        state = "met"
    percent = int(round(timer.percent))
    stopped_tone = "red" if timer.breached else "green"
    tone = stopped_tone if state in ("met", "late") else TONES[timer.warning]
    return TimerState(timer=timer, state=state, percent=percent, width=max(0, min(percent, 100)), tone=tone)


@dataclass
class IncidentRow:
    incident: Incident
    clock: Clock | None

    @cached_property
    def response(self) -> TimerState | None:
        return timer_state(self.clock.response, resolution=False) if self.clock else None

    @cached_property
    def resolution(self) -> TimerState | None:
        return timer_state(self.clock.resolution, resolution=True) if self.clock else None

    @property
    def breached(self) -> bool:
        return bool(self.clock and self.clock.breached)

    @property
    def at_risk(self) -> bool:
        """Open, not breached, and a running clock has used 75 % or more of its target."""
        if self.clock is None or self.breached or not self.incident.is_open:
            return False
        timers = [self.clock.response] if self.clock.response.running else []
        if self.clock.resolution.running or self.incident.status == Status.WAITING:
            timers.append(self.clock.resolution)
        return any(t.percent >= RISK_PERCENT for t in timers)

    @property
    def severity_badge(self) -> str:
        return SEVERITY_BADGES.get(self.incident.severity, "bg-secondary-lt")

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.incident.status, "bg-secondary-lt")


def _csv_cell(text: str) -> str:
    """A cell that cannot run as a formula (CSV injection); the importer takes the quote off again."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime(TIME_FORMAT) if moment else ""


class IncidentMixin(ProjectAccessMixin):
    """The Incidents tab of the SLA section: breadcrumbs SLA › Incidents › …"""

    section = "sla"

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"projects:{name}", kwargs={"project_code": self.project.code, **kwargs})

    def incident_url(self, incident: Incident, anchor: str = "") -> str:
        url = self.url("incident-detail", incident_number=incident.number)
        return f"{url}#{anchor}" if anchor else url

    def section_crumbs(self) -> Crumbs:
        return [(_("SLA"), self.url("incident-list")), (_("Incidents"), self.url("incident-list"))]

    def crumbs(self) -> Crumbs:
        return self.section_crumbs()

    def incident_crumbs(self, incident: Incident) -> Crumbs:
        return [*self.section_crumbs(), (incident.key, self.incident_url(incident))]

    def get_incident(self) -> Incident:
        incidents = self.project.incidents.select_related(
            "vendor", "reporter__user", "assignee__user", "requirement", "uat_case", "defect"
        )
        return get_object_or_404(incidents, number=self.kwargs["incident_number"])

    @cached_property
    def incident(self) -> Incident:
        return self.get_incident()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# The list ------------------------------------------------------------------------------------------------


class IncidentListView(IncidentMixin, TemplateView):
    """The incidents with their clocks, the open ones summed up at the top; filters with counts; 50 a page."""

    template_name = "projects/sla/incident_list.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [(_("SLA"), None), (_("Incidents"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = current_time()
        params = self.request.GET
        status = params.get("status") or "open"
        if status not in STATUS_GROUPS and status not in Status.values:
            status = "open"
        severity = params.get("severity", "")
        severity = severity if severity in Severity.values else ""
        vendors = list(self.project.vendors.order_by("name"))
        vendor = params.get("vendor", "")
        if vendor != "none" and vendor not in {str(v.pk) for v in vendors}:
            vendor = ""
        breached = params.get("breached") in ("1", "on", "true")
        risk = params.get("risk") in ("1", "on", "true")
        statuses = STATUS_GROUPS.get(status, (status,))

        # The counts of each filter's choices, the other filters applied (one query).
        cells = list(
            Incident.objects.filter(project=self.project)
            .values_list("status", "severity", "vendor_id")
            .annotate(count=Count("id"))
            .order_by()
        )

        def count(*, by_status: Any = None, by_severity: Any = None, by_vendor: Any = None) -> int:
            wanted_status = statuses if by_status is None else by_status
            wanted_severity = severity if by_severity is None else by_severity
            wanted_vendor = vendor if by_vendor is None else by_vendor
            total = 0
            for cell_status, cell_severity, cell_vendor, number in cells:
                if cell_status not in wanted_status:
                    continue
                if wanted_severity and cell_severity != wanted_severity:
                    continue
                if wanted_vendor == "none" and cell_vendor is not None:
                    continue
                if wanted_vendor not in ("", "none") and str(cell_vendor) != wanted_vendor:
                    continue
                total += number
            return total

        status_labels = {
            "open": pgettext("sla", "Open"),
            "resolved": _("Resolved or closed"),
            "all": _("All"),
        }
        every_severity, every_vendor, no_vendor = _("All severities"), _("All vendors"), _("No vendor")
        choices = {
            "status": [
                (
                    _("Groups"),
                    [(key, f"{label} ({count(by_status=STATUS_GROUPS[key])})") for key, label in status_labels.items()],
                ),
                (
                    _("Status"),
                    [(value, f"{label} ({count(by_status=(value,))})") for value, label in Status.choices],
                ),
            ],
            "severity": [("", f"{every_severity} ({count(by_severity='')})")]
            + [(value, f"{label} ({count(by_severity=value)})") for value, label in Severity.choices],
            "vendor": [("", f"{every_vendor} ({count(by_vendor='')})")]
            + [(str(v.pk), f"{v.name} ({count(by_vendor=str(v.pk))})") for v in vendors]
            + [("none", f"{no_vendor} ({count(by_vendor='none')})")],
        }
        form = IncidentFilterForm(
            {"status": status, "severity": severity, "vendor": vendor, "breached": breached, "risk": risk},
            choices=choices,
        )
        form.is_valid()

        # The open incidents' clocks: the summary, and the filters on breaches and risks (four queries).
        open_incidents = list(
            self.project.incidents.filter(status__in=OPEN_STATUSES).only(
                "pk", "project_id", "number", "status", "severity", "vendor_id", "opened_at"
            )
        )
        clocks = incident_clocks(open_incidents, now)
        open_rows = [IncidentRow(i, clocks[i.pk]) for i in open_incidents]
        summary = {
            "open": len(open_rows),
            "breached": sum(1 for r in open_rows if r.breached),
            "risk": sum(1 for r in open_rows if r.at_risk),
            "waiting": sum(1 for r in open_rows if r.incident.status == Status.WAITING),
            "no_sla": sum(1 for r in open_rows if r.clock is None),
        }

        incidents = self.project.incidents.filter(status__in=statuses)
        if severity:
            incidents = incidents.filter(severity=severity)
        if vendor == "none":
            incidents = incidents.filter(vendor__isnull=True)
        elif vendor:
            incidents = incidents.filter(vendor_id=vendor)
        incidents = incidents.select_related("vendor", "assignee__user").order_by("-number")
        filtered = bool(status != "open" or severity or vendor or breached or risk)
        if breached or risk:
            # The clocks decide which rows are shown: those of the whole selection are needed (three queries more,
            # only when it has incidents that are not open).
            selection = list(incidents)
            missing = [i for i in selection if i.pk not in clocks]
            clocks |= incident_clocks(missing, now)
            rows = [IncidentRow(i, clocks[i.pk]) for i in selection]
            if breached:
                rows = [r for r in rows if r.breached]
            if risk:
                rows = [r for r in rows if r.at_risk]
            page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
            page_rows = list(page.object_list)
        else:
            page = Paginator(incidents, PAGE_SIZE).get_page(params.get("page"))
            shown = list(page.object_list)
            missing = [i for i in shown if i.pk not in clocks]
            clocks |= incident_clocks(missing, now)
            page_rows = [IncidentRow(i, clocks[i.pk]) for i in shown]
        total = sum(number for *_cell, number in cells)
        context.update(
            {
                "rows": page_rows,
                "page_obj": page,
                "matching": page.paginator.count,
                "total": total,
                # Only an empty list offers to agree the service levels, and only while there are none.
                "needs_levels": not total and not ServiceLevel.objects.filter(project=self.project).exists(),
                "summary": summary,
                "filter": form,
                "filtered": filtered,
                "status": status,
                "now": now,
            }
        )
        return context


# One incident --------------------------------------------------------------------------------------------


def move_choices(incident: Incident) -> list[dict[str, Any]]:
    """The buttons of the moves allowed from the incident's status, in the order of the statuses."""
    allowed = services.MOVES[incident.status]
    buttons = []
    for value in Status.values:
        if value not in allowed:
            continue
        label, style, icon = MOVE_BUTTONS[value]
        label = MOVE_LABELS.get((incident.status, value), label)
        buttons.append({"status": value, "label": str(label), "style": style, "icon": icon})
    return buttons


def move_form(incident: Incident, data: Any = None) -> IncidentMoveForm:
    allowed = [(value, label) for value, label in Status.choices if value in services.MOVES[incident.status]]
    return IncidentMoveForm(data, allowed=allowed, prefix="move")


class IncidentDetailView(IncidentMixin, TemplateView):
    """The incident, its two SLA clocks, its status timeline, the moves allowed now and its history."""

    template_name = "projects/sla/incident_detail.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.incident.key, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        incident = self.incident
        now = current_time()
        clock = incident_clocks([incident], now)[incident.pk]
        level = None
        if clock is not None:
            level = (
                ServiceLevel.objects.select_related("calendar")
                .filter(project=self.project, vendor_id=incident.vendor_id, severity=incident.severity)
                .first()
            )
        row = IncidentRow(incident, clock)
        changes = list(incident.changes.select_related("by").order_by("at", "pk"))
        for change in changes:
            change.badge = STATUS_BADGES.get(change.status, "bg-secondary-lt")
            change.late_entry = (change.recorded_at - change.at).total_seconds() > 15 * 60
        entries = history_entries(
            [Incident.history.filter(id=incident.pk)], hidden_fields=["project", "number", "status"]
        )
        show_all = self.request.GET.get("history") == "all"
        code = self.project.code
        links = []
        if incident.requirement_id:
            links.append(
                {
                    "label": _("Requirement"),
                    "item": incident.requirement,
                    "url": optional_url(
                        "requirements:requirement-detail", project_code=code, key=incident.requirement.key
                    ),
                }
            )
        if incident.uat_case_id:
            links.append(
                {
                    "label": _("UAT case"),
                    "item": incident.uat_case,
                    "url": optional_url("testing:case-detail", project_code=code, case_key=incident.uat_case.key),
                }
            )
        if incident.defect_id:
            links.append(
                {
                    "label": _("Defect"),
                    "item": incident.defect,
                    "url": optional_url("testing:defect-detail", project_code=code, defect_key=incident.defect.key),
                }
            )
        context.update(
            {
                "incident": incident,
                "row": row,
                "clock": clock,
                "level": level,
                "level_response": plain_decimal(level.response_hours) if level else "",
                "level_resolution": plain_decimal(level.resolution_hours) if level else "",
                "changes": changes,
                "links": links,
                "reporter_name": member_name(incident.reporter) if incident.reporter else "",
                "assignee_name": member_name(incident.assignee) if incident.assignee else "",
                "moves": move_choices(incident),
                "move_form": kwargs.get("move_form") or move_form(incident),
                "history": entries if show_all else entries[:HISTORY_SHOWN],
                "history_count": len(entries),
                "history_more": not show_all and len(entries) > HISTORY_SHOWN,
                "now": now,
            }
        )
        return context


class IncidentMoveView(IncidentDetailView):
    """POST: move the incident to the status of the button pressed; a refusal shows on the page, nothing changes."""

    required_capability = "edit"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.incident_url(self.incident))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        incident = self.incident
        form = move_form(incident, request.POST)
        if form.is_valid():
            try:
                services.incident_move(
                    incident=incident,
                    status=form.cleaned_data["status"],
                    at=form.cleaned_data["at"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except services.SLAError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(key)s is now “%(status)s”.")
                    % {"key": incident.key, "status": Status(form.cleaned_data["status"]).label},
                )
                return HttpResponseRedirect(self.incident_url(incident, "clocks"))
        return self.render_to_response(self.get_context_data(move_form=form))  # nothing changed


# Open and edit -------------------------------------------------------------------------------------------


class IncidentCreateView(ServiceFormMixin, IncidentMixin, FormView):
    template_name = "projects/sla/incident_form.html"
    form_class = IncidentForm
    required_capability = "execute"
    error_field = None

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New incident"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Incident(project=self.project)
        kwargs["project"] = self.project
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        reporter = self.membership if self.membership.role != "vendor" else None
        if reporter is not None:
            initial["reporter"] = reporter.pk
        return initial

    def save(self, form: IncidentForm) -> Incident:
        fields = form.incident_fields()
        return services.incident_create(
            project=self.project,
            title=fields.pop("title"),
            opened_at=fields.pop("opened_at", None),
            user=self.request.user,
            **fields,
        )

    def saved(self, incident: Incident) -> HttpResponse:
        messages.success(self.request, _("%(key)s opened.") % {"key": incident.key})
        return HttpResponseRedirect(self.incident_url(incident))


class IncidentEditView(ServiceFormMixin, IncidentMixin, FormView):
    template_name = "projects/sla/incident_form.html"
    form_class = IncidentEditForm
    required_capability = "edit"
    error_field = None

    def crumbs(self) -> Crumbs:
        return [*self.incident_crumbs(self.incident), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_incident()  # its own copy: the form writes what was typed onto it
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["incident"] = self.incident
        return context

    def save(self, form: IncidentEditForm) -> Incident:
        return services.incident_update(
            incident=self.get_incident(),
            expected_version=form.cleaned_data["version"],
            user=self.request.user,
            **form.incident_fields(),
        )

    def saved(self, incident: Incident) -> HttpResponse:
        messages.success(self.request, _("%(key)s saved.") % {"key": incident.key})
        return HttpResponseRedirect(self.incident_url(incident))


# Import and export ---------------------------------------------------------------------------------------


def column_rows() -> list[dict[str, Any]]:
    """The import page's table: each column, its other names in English and in Chinese, whether it is needed."""
    rows = []
    for name in COLUMNS:
        aliases = HEADER_ALIASES.get(name, ())
        rows.append(
            {
                "name": name,
                "english": [a for a in aliases if a.isascii()],
                "chinese": [a for a in aliases if not a.isascii()],
                "required": name in REQUIRED,
                "meaning": COLUMN_MEANINGS.get(name, ""),
            }
        )
    return rows


class IncidentImportView(StagedUploadMixin, IncidentMixin, TemplateView):
    """Upload a CSV → preview (imported in a transaction that is rolled back) → confirm applies it, all or nothing
    (the file waits in the session between the two: `workbench.staged_upload`)."""

    upload_form_class = IncidentUploadForm
    session_prefix = "sla.incident-import"
    template_name = "projects/sla/incident_import.html"
    preview_template = "projects/sla/incident_import_preview.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Import CSV"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", IncidentUploadForm())
        context["columns"] = column_rows()
        return context

    def preview(self, data: bytes, name: str, digest: str) -> HttpResponse:
        now = current_time()
        with transaction.atomic():
            result = incident_import(self.project, data, user=self.request.user)
            created = []
            if result.ok and result.created:
                clocks = incident_clocks(result.created, now)
                for incident in result.created:
                    row = IncidentRow(incident, clocks[incident.pk])
                    created.append(
                        {
                            "key": incident.key,
                            "ticket": incident.external_ref,
                            "title": incident.title,
                            "severity": incident.get_severity_display(),
                            "severity_badge": row.severity_badge,
                            "status": incident.get_status_display(),
                            "status_badge": row.status_badge,
                            "vendor": incident.vendor.name if incident.vendor_id else "",
                            "opened_at": incident.opened_at,
                            "has_sla": row.clock is not None,
                            "breached": row.breached,
                        }
                    )
            skipped = [
                {"row": number, "ticket": incident.external_ref, "key": incident.key, "number": incident.number}
                for number, incident in result.skipped
            ]
            transaction.set_rollback(True)
        self.template_name = self.preview_template
        return self.render_to_response(
            self.get_context_data(result=result, created=created, skipped=skipped, filename=name, digest=digest)
        )

    def apply_upload(self, data: bytes) -> HttpResponse | None:
        result = incident_import(self.project, data, user=self.request.user)
        if not result.ok:
            messages.error(self.request, _("The incidents changed since the preview; nothing was imported."))
            return None
        messages.success(
            self.request,
            _("Incidents imported: %(created)d new, %(skipped)d already there.")
            % {"created": len(result.created), "skipped": len(result.skipped)},
        )
        return HttpResponseRedirect(self.url("incident-list") + "?status=all")


def incident_export(incidents: QuerySet[Incident], now: datetime) -> bytes:
    """The incidents as CSV in the importer's columns (plus their key, status and computed SLA figures), UTF-8 with
    a BOM. The ticket is the vendor's ticket, or the incident's key when it has none."""
    incidents = list(incidents.select_related("vendor", "reporter__user", "assignee__user").order_by("number"))
    clocks = incident_clocks(incidents, now)
    moments: dict[int, list[tuple[datetime, str]]] = {i.pk: [] for i in incidents}
    for incident_id, at, status in (
        IncidentChange.objects.filter(incident__in=[i.pk for i in incidents])
        .order_by("at", "pk")
        .values_list("incident_id", "at", "status")
    ):
        moments[incident_id].append((at, status))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for incident in incidents:
        changes = [c for c in moments[incident.pk] if c[0] >= incident.opened_at]
        responded = next((at for at, status in changes if status != Status.NEW), None)
        resolved = closed = None
        if incident.status in DONE_STATUSES:
            for at, status in reversed(changes):  # the trailing run of resolved/closed
                if status not in DONE_STATUSES:
                    break
                if status == Status.RESOLVED:
                    resolved = at
                elif closed is None:
                    closed = at
        clock = clocks[incident.pk]
        if clock is None:
            response_due = resolution_due = breached = ""
        else:
            response_due = _local(clock.response.due)
            resolution_due = _local(clock.resolution.due)
            breached = "yes" if clock.breached else "no"
        row = [
            incident.external_ref or incident.key,
            incident.title,
            incident.description,
            incident.severity,
            incident.vendor.name if incident.vendor_id else "",
            _local(incident.opened_at),
            _local(responded),
            _local(resolved),
            _local(closed) if resolved else "",
            incident.reporter.user.get_username() if incident.reporter else "",
            incident.assignee.user.get_username() if incident.assignee else "",
            incident.key,
            incident.status,
            response_due,
            resolution_due,
            breached,
        ]
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class IncidentCsvView(IncidentMixin, TemplateView):
    """Every incident of the project as CSV: the importer reads it back (its tickets are then skipped)."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = incident_export(self.project.incidents.all(), current_time())
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.project.code}-incidents.csv"'
        return response
