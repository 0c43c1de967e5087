"""Training by role: the overview with completion per role and overall, plans with their trainees and completion
matrix, sessions with attendance and quiz scores, and materials (links or files served through the project).

Completion is the one `projects.services.golive.training_completion` defines: a trainee is complete when they
attended every session of their role's plan. The plan page computes the same from the rows it shows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from projects.forms.training import (
    AttendanceForm,
    MaterialForm,
    TrainingPlanEditForm,
    TrainingPlanForm,
    TrainingSessionEditForm,
    TrainingSessionForm,
    member_name,
)
from projects.models import Attendance, Membership, TrainingMaterial, TrainingPlan, TrainingSession
from projects.models.golive import TrainingRole
from projects.services import training as services
from projects.services.golive import training_completion
from workbench.access import ProjectAccessMixin
from workbench.errors import BusinessRuleError
from workbench.forms import ServiceFormMixin
from workbench.history import Change, HistoryEntry, history_entries
from workbench.numbers import hours_minutes, plain_decimal

Crumbs = list[tuple[str, str | None]]
HISTORY_SHOWN = 20
ROLE_ORDER = {role: position for position, role in enumerate(TrainingRole.values)}

# How each attendance state looks in the matrix: (state class, icon, label).
CELL_STATES = {
    Attendance.Status.ATTENDED: ("good", "ti-check"),
    Attendance.Status.ABSENT: ("bad", "ti-x"),
    Attendance.Status.INVITED: ("idle", "ti-mail"),
    "": ("none", "ti-minus"),
}


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def average(values: list[Decimal]) -> Decimal | None:
    return (sum(values) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if values else None


def sessions_summary(sessions: list[TrainingSession], now: datetime) -> dict[str, Any]:
    held = [s for s in sessions if s.starts_at <= now]
    upcoming = [s for s in sessions if s.starts_at > now]
    return {"held": len(held), "planned": len(sessions), "next": min(upcoming, key=lambda s: s.starts_at, default=None)}


@dataclass
class TraineeRow:
    member: Membership
    name: str
    cells: list[dict[str, Any]] = field(default_factory=list)
    attended: int = 0
    complete: bool = False
    average: Decimal | None = None


@dataclass
class PlanProgress:
    rows: list[TraineeRow]
    complete: int
    trainees: int

    @property
    def percent(self) -> float | None:
        return percent(self.complete, self.trainees)


def plan_progress(
    sessions: list[TrainingSession], trainees: list[Membership], attendance: list[tuple[int, int, str, Any]]
) -> PlanProgress:
    """The matrix trainee × session from (session_id, member_id, status, quiz_score) rows; no query."""
    recorded = {(session_id, member_id): (status, score) for session_id, member_id, status, score in attendance}
    labels = dict(Attendance.Status.choices)
    rows = []
    for member in trainees:
        row = TraineeRow(member=member, name=member_name(member))
        scores = []
        for session in sessions:
            status, score = recorded.get((session.pk, member.pk), ("", None))
            state, icon = CELL_STATES.get(status, CELL_STATES[""])
            row.cells.append(
                {
                    "session": session,
                    "status": status or "none",
                    "state": state,
                    "icon": icon,
                    "label": labels.get(status, _("Not invited")),
                    "score": score,
                }
            )
            if status == Attendance.Status.ATTENDED:
                row.attended += 1
            if score is not None:
                scores.append(score)
        row.complete = bool(sessions) and row.attended == len(sessions)
        row.average = average(scores)
        rows.append(row)
    return PlanProgress(rows=rows, complete=sum(1 for r in rows if r.complete), trainees=len(rows))


def trainee_entries(plan: TrainingPlan) -> list[HistoryEntry]:
    """Changes of the plan's trainees, from the plan's history (three queries)."""
    records = list(
        TrainingPlan.history.filter(id=plan.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    through = TrainingPlan.history.model._meta.get_field("historicaltrainingplan_trainees").related_model
    sets: dict[int, set[int]] = defaultdict(set)
    for history_id, member_id in through.objects.filter(history__id=plan.pk).values_list("history_id", "membership_id"):
        sets[history_id].add(member_id)
    ids = set().union(*sets.values()) if sets else set()
    names = {m.pk: member_name(m) for m in Membership.objects.filter(pk__in=ids).select_related("user")}
    label = str(TrainingPlan._meta.get_field("trainees").verbose_name)

    def text(pks: set[int]) -> str:
        return ", ".join(
            sorted((names.get(pk, _("(removed member) #%(pk)s") % {"pk": pk}) for pk in pks), key=str.lower)
        )

    entries = []
    previous: set[int] = set()
    for record in records:
        current = sets.get(record.history_id, set())
        if record.history_type != "-" and current != previous:
            added, removed = current - previous, previous - current
            changes = []
            if added:
                changes.append(Change(_("%(field)s added") % {"field": label}, "", text(added)))
            if removed:
                changes.append(Change(_("%(field)s removed") % {"field": label}, "", text(removed)))
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    action="~",
                    model_label=str(TrainingPlan._meta.verbose_name),
                    object_label=record.title,
                    reason="",
                    changes=changes,
                )
            )
        previous = current
    return entries


def attendance_entries(session: TrainingSession, members: dict[int, Membership]) -> list[HistoryEntry]:
    """Changes of a session's attendance, labelled with the trainee's name (one query, two if someone left)."""
    records = list(
        Attendance.history.filter(session_id=session.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    missing = {r.member_id for r in records} - set(members)
    names = {pk: member_name(m) for pk, m in members.items()}
    if missing:
        names.update({m.pk: member_name(m) for m in Membership.objects.filter(pk__in=missing).select_related("user")})
    statuses = dict(Attendance.Status.choices)
    status_label = str(Attendance._meta.get_field("status").verbose_name)
    score_label = str(Attendance._meta.get_field("quiz_score").verbose_name)
    entries = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        if record.history_type != "-":
            old_status = statuses.get(before.status, before.status) if before else ""
            new_status = statuses.get(record.status, record.status)
            if old_status != new_status:
                changes.append(Change(status_label, old_status, new_status))
            old_score = plain_decimal(before.quiz_score) if before and before.quiz_score is not None else ""
            new_score = plain_decimal(record.quiz_score) if record.quiz_score is not None else ""
            if old_score != new_score:
                changes.append(Change(score_label, old_score or ("—" if before else ""), new_score or "—"))
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                user=record.history_user,
                action=record.history_type,
                model_label=str(Attendance._meta.verbose_name),
                object_label=names.get(record.member_id, f"#{record.member_id}"),
                reason="",
                changes=changes,
            )
        )
    return entries


def download_name(material: TrainingMaterial) -> str:
    extension = services.material_extension(material.file.name)
    name = "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else " " for c in material.title).strip()
    name = name or "material"
    return name if name.lower().endswith(extension) else f"{name}{extension}"


class TrainingMixin(ProjectAccessMixin):
    """The Training tab of Go-live: fetches plans, sessions and materials through the project."""

    section = "golive"

    def training_url(self) -> str:
        return reverse("projects:training", kwargs={"project_code": self.project.code})

    def plan_url(self, plan_id: int, anchor: str = "") -> str:
        url = reverse("projects:training-plan", kwargs={"project_code": self.project.code, "training_plan_id": plan_id})
        return f"{url}#{anchor}" if anchor else url

    def session_url(self, session_id: int, anchor: str = "") -> str:
        url = reverse("projects:training-session", kwargs={"project_code": self.project.code, "session_id": session_id})
        return f"{url}#{anchor}" if anchor else url

    def get_plan(self) -> TrainingPlan:
        return get_object_or_404(self.project.training_plans.all(), pk=self.kwargs["training_plan_id"])

    @cached_property
    def plan(self) -> TrainingPlan:
        return self.get_plan()

    def get_session(self) -> TrainingSession:
        sessions = TrainingSession.objects.select_related("plan")
        return get_object_or_404(sessions, pk=self.kwargs["session_id"], plan__project=self.project)

    @cached_property
    def session(self) -> TrainingSession:
        return self.get_session()

    @cached_property
    def material(self) -> TrainingMaterial:
        materials = TrainingMaterial.objects.select_related("session__plan")
        return get_object_or_404(materials, pk=self.kwargs["material_id"], session__plan__project=self.project)

    def training_crumbs(self) -> Crumbs:
        golive = reverse("projects:cutover-plan", kwargs={"project_code": self.project.code})
        return [(_("Go-live"), golive), (_("Training"), self.training_url())]

    def crumbs(self) -> Crumbs:
        return self.training_crumbs()

    def plan_crumbs(self, plan: TrainingPlan) -> Crumbs:
        return [*self.training_crumbs(), (plan.title, self.plan_url(plan.pk))]

    def session_crumbs(self, session: TrainingSession) -> Crumbs:
        return [*self.plan_crumbs(session.plan), (session.title, self.session_url(session.pk))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# Overview -------------------------------------------------------------------------------------------------


class TrainingView(TrainingMixin, TemplateView):
    """Completion overall and per role, one row per plan, and the roles that have no plan yet."""

    template_name = "projects/golive/training.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*self.training_crumbs()[:1], (_("Training"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        completion, overall = training_completion(self.project)
        now = timezone.now()
        rows = []
        for role in sorted(completion, key=lambda r: ROLE_ORDER.get(r.plan.role, len(ROLE_ORDER))):
            sessions = list(role.plan.sessions.all())
            rows.append({"plan": role.plan, "completion": role, **sessions_summary(sessions, now)})
        used = {row["plan"].role for row in rows}
        upcoming = [row["next"] for row in rows if row["next"] is not None]
        trainees = sum(r.trainees for r in completion)
        complete = sum(r.complete for r in completion)
        context.update(
            {
                "rows": rows,
                "overall": overall,
                "trainees": trainees,
                "complete": complete,
                "held": sum(row["held"] for row in rows),
                "planned": sum(row["planned"] for row in rows),
                "next_session": min(upcoming, key=lambda s: s.starts_at, default=None),
                "missing_roles": [(value, label) for value, label in TrainingRole.choices if value not in used],
            }
        )
        return context


# Plans ----------------------------------------------------------------------------------------------------


class TrainingPlanCreateView(TrainingMixin, FormView):
    template_name = "projects/golive/training_plan_form.html"
    form_class = TrainingPlanForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("New training plan"), None)]

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        role = self.request.GET.get("role", "")
        if role in TrainingRole.values:
            initial["role"] = role
            initial["title"] = _("Training for %(role)s") % {"role": TrainingRole(role).label}
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = TrainingPlan(project=self.project)
        kwargs["project"] = self.project
        return kwargs

    def form_valid(self, form: TrainingPlanForm) -> HttpResponse:
        try:
            plan = services.plan_create(
                project=self.project,
                role=form.cleaned_data["role"],
                title=form.cleaned_data["title"],
                objectives=form.cleaned_data["objectives"],
                trainees=form.cleaned_data["trainees"],
                user=self.request.user,
            )
        except BusinessRuleError as exc:
            form.add_error("role", str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Plan “%(title)s” added. Now schedule its sessions.") % {"title": plan.title})
        return HttpResponseRedirect(self.plan_url(plan.pk))


class TrainingPlanDetailView(TrainingMixin, TemplateView):
    """The objectives, the sessions, the completion matrix trainee × session and the plan's history."""

    template_name = "projects/golive/training_plan_detail.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (self.plan.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.plan
        sessions = list(plan.sessions.annotate(material_count=Count("materials")))
        trainees = list(
            plan.trainees.select_related("user").order_by("department", "user__first_name", "user__username")
        )
        attendance = list(
            Attendance.objects.filter(session__plan=plan).values_list("session_id", "member_id", "status", "quiz_score")
        )
        attended: dict[int, int] = defaultdict(int)
        trainee_ids = {m.pk for m in trainees}  # someone taken off the plan keeps their record, not counted here
        for session_id, member_id, status, _score in attendance:
            if status == Attendance.Status.ATTENDED and member_id in trainee_ids:
                attended[session_id] += 1
        for session in sessions:
            session.attended = attended[session.pk]
            session.duration_label = hours_minutes(session.duration_minutes)
        progress = plan_progress(sessions, trainees, attendance)
        entries = history_entries(
            [TrainingPlan.history.filter(id=plan.pk), TrainingSession.history.filter(plan_id=plan.pk)],
            hidden_fields=["project", "plan"],
        )
        entries.extend(trainee_entries(plan))
        entries.sort(key=lambda e: e.when, reverse=True)
        show_all = self.request.GET.get("history") == "all"
        context.update(
            {
                "plan": plan,
                "sessions": sessions,
                "progress": progress,
                "now": timezone.now(),
                "history": entries if show_all else entries[:HISTORY_SHOWN],
                "history_count": len(entries),
                "history_more": not show_all and len(entries) > HISTORY_SHOWN,
                **sessions_summary(sessions, timezone.now()),
            }
        )
        return context


class TrainingPlanEditView(ServiceFormMixin, TrainingMixin, FormView):
    template_name = "projects/golive/training_plan_form.html"
    form_class = TrainingPlanEditForm
    required_capability = "edit"
    error_field = "role"

    def crumbs(self) -> Crumbs:
        return [*self.plan_crumbs(self.plan), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_plan()  # its own copy: the form writes what was typed onto it
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        return context

    def save(self, form: TrainingPlanEditForm) -> TrainingPlan:
        data = form.cleaned_data
        return services.plan_update(
            plan=self.get_plan(),
            expected_version=data["version"],
            trainees=data["trainees"],
            user=self.request.user,
            role=data["role"],
            title=data["title"],
            objectives=data["objectives"],
        )

    def saved(self, plan: TrainingPlan) -> HttpResponse:
        messages.success(self.request, _("Plan “%(title)s” saved.") % {"title": plan.title})
        return HttpResponseRedirect(self.plan_url(plan.pk))


class TrainingPlanDeleteView(TrainingMixin, TemplateView):
    template_name = "projects/golive/training_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.plan_crumbs(self.plan), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.plan
        sessions = plan.sessions.count()
        records = Attendance.objects.filter(session__plan=plan).count()
        materials = TrainingMaterial.objects.filter(session__plan=plan).count()
        context["heading"] = _("Delete training plan")
        context["question"] = _("Delete the training plan “%(title)s” (%(role)s)?") % {
            "title": plan.title,
            "role": plan.get_role_display(),
        }
        context["consequence"] = _(
            "Its %(sessions)s, %(records)s and %(materials)s are deleted with it. The history keeps the plan."
        ) % {
            "sessions": ngettext("%(count)s session", "%(count)s sessions", sessions) % {"count": sessions},
            "records": ngettext("%(count)s attendance record", "%(count)s attendance records", records)
            % {"count": records},
            "materials": ngettext("%(count)s material", "%(count)s materials", materials) % {"count": materials},
        }
        context["cancel_url"] = self.plan_url(plan.pk)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.plan
        title = plan.title
        services.plan_delete(plan=plan, user=request.user)
        messages.success(request, _("Training plan “%(title)s” deleted.") % {"title": title})
        return HttpResponseRedirect(self.training_url())


# Sessions -------------------------------------------------------------------------------------------------


class SessionCreateView(ServiceFormMixin, TrainingMixin, FormView):
    template_name = "projects/golive/training_session_form.html"
    form_class = TrainingSessionForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.plan_crumbs(self.plan), (_("New session"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = TrainingSession(plan=self.plan)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        return context

    def save(self, form: TrainingSessionForm) -> TrainingSession:
        return services.session_create(plan=self.plan, user=self.request.user, **form.session_fields())

    def saved(self, session: TrainingSession) -> HttpResponse:
        messages.success(
            self.request,
            _("Session “%(title)s” added. Add its materials and, after it, record the attendance.")
            % {"title": session.title},
        )
        return HttpResponseRedirect(self.session_url(session.pk))


class SessionDetailView(TrainingMixin, TemplateView):
    """The session's topics and materials, and its attendance: everyone reads it, editors record it (POST)."""

    template_name = "projects/golive/training_session_detail.html"
    required_capability = "view"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.plan_crumbs(self.session.plan), (self.session.title, None)]

    @cached_property
    def trainees(self) -> list[Membership]:
        return list(
            self.session.plan.trainees.select_related("user").order_by(
                "department", "user__first_name", "user__username"
            )
        )

    def records(self) -> dict[int, Attendance]:
        return {a.member_id: a for a in self.session.attendances.all()}

    def attendance_form(self, data: Any = None) -> AttendanceForm:
        return AttendanceForm(data, trainees=self.trainees, records=self.records(), prefix="attendance")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.session
        form = kwargs.get("attendance_form") or self.attendance_form()
        rows = form.rows()
        counts = defaultdict(int)
        for row in rows:
            counts[row["record"].status if row["record"] is not None else "none"] += 1
        members = {m.pk: m for m in self.trainees}
        entries = history_entries(
            [
                TrainingSession.history.filter(id=session.pk),
                TrainingMaterial.history.filter(session_id=session.pk),
            ],
            hidden_fields=["plan", "session"],
        )
        entries.extend(attendance_entries(session, members))
        entries.sort(key=lambda e: e.when, reverse=True)
        show_all = self.request.GET.get("history") == "all"
        siblings = list(session.plan.sessions.values("pk", "title", "starts_at"))
        position = next((i for i, s in enumerate(siblings) if s["pk"] == session.pk), 0)
        materials = list(session.materials.all())
        for material in materials:
            material.host = urlsplit(material.link).hostname if material.link else ""
            material.extension = services.material_extension(material.file.name).lstrip(".") if material.file else ""
        session.duration_label = hours_minutes(session.duration_minutes)
        context.update(
            {
                "plan": session.plan,
                "session": session,
                "ends_at": session.starts_at + timedelta(minutes=session.duration_minutes),
                "held": session.starts_at <= timezone.now(),
                "materials": materials,
                "attendance_form": form,
                "attendance_rows": rows,
                "counts": counts,
                "position": position + 1,
                "session_count": len(siblings),
                "previous": siblings[position - 1] if position > 0 else None,
                "next": siblings[position + 1] if position + 1 < len(siblings) else None,
                "history": entries if show_all else entries[:HISTORY_SHOWN],
                "history_count": len(entries),
                "history_more": not show_all and len(entries) > HISTORY_SHOWN,
            }
        )
        if context["can_edit"] and "material_form" not in context:
            context["material_form"] = MaterialForm(prefix="material")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.attendance_form(request.POST)
        if form.is_valid():
            records = [services.AttendanceRecord(m, status, score) for m, status, score in form.entries()]
            try:
                saved = services.attendance_save(session=self.session, records=records, user=request.user)
            except BusinessRuleError as exc:
                form.add_error(None, str(exc))
            else:
                changed = saved.created + saved.updated
                if changed:
                    messages.success(
                        request,
                        ngettext(
                            "Attendance saved: %(count)s trainee updated.",
                            "Attendance saved: %(count)s trainees updated.",
                            changed,
                        )
                        % {"count": changed},
                    )
                else:
                    messages.info(request, _("Nothing changed in the attendance."))
                return HttpResponseRedirect(self.session_url(self.session.pk, "attendance"))
        messages.error(request, _("The attendance was not saved: correct the rows marked below."))
        context = self.get_context_data(attendance_form=form)
        return self.render_to_response(context)


class SessionEditView(ServiceFormMixin, TrainingMixin, FormView):
    template_name = "projects/golive/training_session_form.html"
    form_class = TrainingSessionEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.session_crumbs(self.session), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_session()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.session.plan
        context["session"] = self.session
        return context

    def save(self, form: TrainingSessionEditForm) -> TrainingSession:
        return services.session_update(
            session=self.get_session(),
            expected_version=form.cleaned_data["version"],
            user=self.request.user,
            **form.session_fields(),
        )

    def saved(self, session: TrainingSession) -> HttpResponse:
        messages.success(self.request, _("Session “%(title)s” saved.") % {"title": session.title})
        return HttpResponseRedirect(self.session_url(session.pk))


class SessionDeleteView(TrainingMixin, TemplateView):
    template_name = "projects/golive/training_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.session_crumbs(self.session), (_("Delete"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.session
        records = session.attendances.count()
        materials = session.materials.count()
        context["heading"] = _("Delete session")
        context["question"] = _("Delete the session “%(title)s” of %(date)s?") % {
            "title": session.title,
            "date": formats.date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT"),
        }
        context["consequence"] = _(
            "Its %(records)s and %(materials)s are deleted with it; the plan's completion is computed without it. "
            "The history keeps the session."
        ) % {
            "records": ngettext("%(count)s attendance record", "%(count)s attendance records", records)
            % {"count": records},
            "materials": ngettext("%(count)s material", "%(count)s materials", materials) % {"count": materials},
        }
        context["cancel_url"] = self.session_url(session.pk)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = self.session
        title, plan_id = session.title, session.plan_id
        services.session_delete(session=session, user=request.user)
        messages.success(request, _("Session “%(title)s” deleted.") % {"title": title})
        return HttpResponseRedirect(self.plan_url(plan_id, "sessions"))


# Materials ------------------------------------------------------------------------------------------------


class MaterialCreateView(TrainingMixin, FormView):
    template_name = "projects/golive/training_material_form.html"
    form_class = MaterialForm
    required_capability = "edit"
    prefix = "material"

    def crumbs(self) -> Crumbs:
        return [*self.session_crumbs(self.session), (_("Add material"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan"] = self.session.plan
        context["session"] = self.session
        return context

    def form_valid(self, form: MaterialForm) -> HttpResponse:
        upload = form.cleaned_data.get("file")
        try:
            material = services.material_add(
                session=self.session,
                title=form.cleaned_data["title"],
                link=form.cleaned_data["link"],
                upload=upload,
                user=self.request.user,
            )
        except BusinessRuleError as exc:
            form.add_error("file" if upload else "link", str(exc))
            return self.form_invalid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Material “%(title)s” added.") % {"title": material.title})
        return HttpResponseRedirect(self.session_url(self.session.pk, "materials"))


class MaterialView(TrainingMixin, View):
    """A material: its file as a download, for the project's members only, or a redirect to its web link."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        material = self.material
        if material.file:
            try:
                handle = material.file.open("rb")
            except (FileNotFoundError, ValueError) as exc:
                raise Http404 from exc
            response = FileResponse(handle, content_type=services.material_content_type(material))
            response["Content-Disposition"] = content_disposition_header(True, download_name(material))
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "private"
            return response
        if urlsplit(material.link).scheme.lower() in services.LINK_SCHEMES:
            return HttpResponseRedirect(material.link)
        raise Http404


class MaterialDeleteView(TrainingMixin, TemplateView):
    template_name = "projects/golive/training_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.session_crumbs(self.material.session), (_("Delete material"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        material = self.material
        context["heading"] = _("Delete material")
        context["question"] = _("Delete the material “%(title)s”?") % {"title": material.title}
        context["consequence"] = (
            _("The file is deleted; trainees can no longer download it.")
            if material.file
            else _("The link is removed from the session; the page it points to is not affected.")
        )
        context["cancel_url"] = self.session_url(material.session_id, "materials")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        material = self.material
        title, session_id = material.title, material.session_id
        services.material_delete(material=material, user=self.request.user)
        messages.success(request, _("Material “%(title)s” deleted.") % {"title": title})
        return HttpResponseRedirect(self.session_url(session_id, "materials"))
