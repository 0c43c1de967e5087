"""The SLA set-up: business calendars (the week, public holidays and make-up working days, own days, a "Try it" box
and the history) and the vendors' service levels as a matrix vendor × severity.

A calendar's days off and make-up working days for a year are the ones the SLA clocks use:
`projects.selectors.sla.engine_calendar` (the country's public days from the `holidays` package, the calendar's own
days on top). Calendars and service levels are versioned: an edit made on a stale page is refused, nothing is lost.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.generic import FormView, TemplateView

from projects.business_hours import Calendar, NoWorkingTime, add, between, holiday_names, makeup_for, public_days
from projects.forms.sla import (
    STANDARD_SET,
    CalendarDayForm,
    CalendarEditForm,
    CalendarForm,
    ServiceLevelEditForm,
    ServiceLevelForm,
    StandardSetForm,
    TryItForm,
    vendor_model,
    zone_names,
)
from projects.models import BusinessCalendar, CalendarDay, Incident, ServiceLevel
from projects.models.sla import DONE_STATUSES, Severity, parse_spans
from projects.models.sla import WEEKDAYS as DAY_FIELDS
from projects.navigation import optional_url
from projects.selectors.sla import engine_calendar
from projects.services import sla as services
from projects.views.incidents import SEVERITY_BADGES
from workbench.access import ProjectAccessMixin
from workbench.forms import ServiceFormMixin
from workbench.history import history_entries
from workbench.numbers import hours_minutes, plain_decimal

Crumbs = list[tuple[str, str | None]]
HISTORY_SHOWN = 20
BREAKDOWN_ROWS = 40
# The one-click calendars of the empty list: the name, then the fields.
PRESETS = {
    "office_cn": {
        "country": "CN",
        "timezone": "Asia/Shanghai",
        **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-12:00, 13:00-18:00"),
        "sat": "",
        "sun": "",
    },
    "always": {"always": True, "country": "", "timezone": "Asia/Shanghai", **dict.fromkeys(DAY_FIELDS, "")},
}


def preset_name(preset: str) -> str:
    return {"office_cn": _("Office hours (China)"), "always": _("24×7")}[preset]


# Presenting hours -----------------------------------------------------------------------------------------


def clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def spans_text(text: str) -> str:
    """ "09:00-12:00,13:00-18:00" as "09:00–12:00, 13:00–18:00"; "" when closed."""
    try:
        spans = parse_spans(text)
    except ValueError:
        return text
    return ", ".join(f"{clock_text(start)}–{clock_text(end)}" for start, end in spans)


def target_text(hours: Decimal) -> str:
    """Business hours as people read them: 4 → "4 h", 0.5 → "30 min", 2.25 → "2 h 15 min"."""
    return hours_minutes(round(hours * 60))


@dataclass
class WeekLine:
    days: str
    hours: str


def week_lines(calendar: BusinessCalendar) -> list[WeekLine]:
    """The working week in a few lines: weekdays with the same hours grouped (Mon–Fri 09:00–18:00); closed days left
    out."""
    if calendar.always:
        return [WeekLine(_("Every day"), _("around the clock"))]
    texts = [spans_text(getattr(calendar, day)) for day in DAY_FIELDS]
    lines, first = [], 0
    for index in range(1, 8):
        if index == 7 or texts[index] != texts[first]:
            if texts[first]:
                days = str(WEEKDAYS_ABBR[first])
                if index - 1 > first:
                    days = f"{days}–{WEEKDAYS_ABBR[index - 1]}"
                lines.append(WeekLine(days, texts[first]))
            first = index
    return lines


def week_rows(calendar: BusinessCalendar) -> list[dict[str, Any]]:
    """Monday to Sunday, each with its hours (for the calendar page)."""
    rows = []
    for index, day in enumerate(DAY_FIELDS):
        hours = spans_text(getattr(calendar, day))
        spans = hours.split(", ") if hours else []
        rows.append({"day": WEEKDAYS[index], "hours": hours, "spans": spans, "working": bool(hours)})
    return rows


# A year's days off and make-up working days -------------------------------------------------------------


def _in_chinese() -> bool:
    return (translation.get_language() or "").lower().startswith("zh")


@dataclass
class DayRow:
    day: date
    kind: str  # "closed" or "working"
    reason: str
    own: CalendarDay | None = None
    public: str = ""  # what the public calendar says about the day, when an own day overrides it


def year_days(calendar: BusinessCalendar, year: int, own_days: list[CalendarDay]) -> list[DayRow]:
    """The days of `year` that differ from the ordinary week, as the SLA clocks see them: public days off and make-up
    working days (调休) of the calendar's country, with the calendar's own days on top (an own day wins)."""
    engine = engine_calendar(calendar, [year])
    public_off, public_makeup = public_days(calendar.country, [year])
    names = holiday_names(calendar.country, year, chinese=_in_chinese())
    instead = makeup_for(calendar.country, year)
    own = {d.date: d for d in own_days if d.date.year == year}
    rows = []
    for day in sorted(engine.days_off | engine.makeup_days | public_off | public_makeup | own.keys()):
        if day.year != year:
            continue
        kind = CalendarDay.Kind.CLOSED if day in engine.days_off else CalendarDay.Kind.WORKING
        if day in public_off:
            public = names.get(day) or _("Public holiday")
        elif day in public_makeup:
            public = (
                _("Worked for the day off on %(day)s (调休)") % {"day": day_text(instead[day], with_year=True)}
                if day in instead
                else _("Make-up working day (调休)")
            )
        else:
            public = ""
        if day in own:
            mine = own[day]
            reason = mine.reason or (
                pgettext("sla", "Closed") if mine.kind == CalendarDay.Kind.CLOSED else _("Working day")
            )
            rows.append(DayRow(day, kind, reason, own=mine, public=public))
        else:
            rows.append(DayRow(day, kind, public))
    return rows


# Try it: a due time and how it came about ----------------------------------------------------------------


def moment_text(moment: datetime, with_year: bool) -> str:
    # Translators: the format of a moment in the "Try it" box of a business calendar (Django date format).
    fmt = pgettext("sla moment with year", "D j M Y H:i") if with_year else pgettext("sla moment", "D j M H:i")
    return formats.date_format(moment, fmt)


def day_text(day: date, with_year: bool = False) -> str:
    fmt = pgettext("sla day with year", "D j M Y") if with_year else pgettext("sla day", "D j M")
    return formats.date_format(day, fmt)


def elapsed_text(span: timedelta) -> str:
    """Wall-clock time: "3 h 20 min", or "8 days 19 h" from a day on."""
    minutes = round(span.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    if not days:
        return hours_minutes(rest)
    text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return f"{text} {hours_minutes(rest)}" if rest else text


@dataclass
class BreakdownRow:
    first: date
    last: date
    minutes: float = 0
    window: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def working(self) -> bool:
        return self.minutes > 0

    @property
    def label(self) -> str:
        if self.first == self.last:
            return day_text(self.first)
        return f"{day_text(self.first)} – {day_text(self.last)}"

    @property
    def duration(self) -> str:
        return hours_minutes(round(self.minutes))


def breakdown(
    engine: Calendar, start: datetime, due: datetime, reasons: dict[date, str]
) -> tuple[list[BreakdownRow], bool]:
    """Day by day from `start` to `due`: the working time counted each day, the days off in between grouped."""
    rows: list[BreakdownRow] = []
    day, last = start.date(), due.date()
    while day <= last:
        begin = datetime.combine(day, time(), tzinfo=engine.timezone)
        end = begin + timedelta(days=1)
        lower, upper = max(start, begin), min(due, end)
        minutes = between(engine, lower, upper)
        if minutes > 0:
            clipped = [
                (max(lower, begin + timedelta(minutes=a)), min(upper, begin + timedelta(minutes=b)))
                for a, b in engine.spans(day)
            ]
            clipped = [(a, b) for a, b in clipped if a < b]
            window = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in clipped)
            rows.append(BreakdownRow(day, day, minutes, window))
        elif not engine.spans(day):
            reason = reasons.get(day) or _("Weekend")
            if rows and not rows[-1].working and rows[-1].last == day - timedelta(days=1):
                rows[-1].last = day
                if reason not in rows[-1].reasons:
                    rows[-1].reasons.append(reason)
            else:
                rows.append(BreakdownRow(day, day, reasons=[reason]))
        if len(rows) > BREAKDOWN_ROWS:
            return rows[:BREAKDOWN_ROWS], True
        day += timedelta(days=1)
    return rows, False


def reasons_of(calendar: BusinessCalendar, years: range, own_days: list[CalendarDay]) -> dict[date, str]:
    """Why a day is off: the calendar's own reason, else the public holiday's name."""
    reasons: dict[date, str] = {}
    if calendar.country:
        for year in years:
            reasons.update(holiday_names(calendar.country, year, chinese=_in_chinese()))
    for own in own_days:
        if own.kind == CalendarDay.Kind.CLOSED:
            reasons[own.date] = own.reason or pgettext("sla", "Closed")
    return reasons


# Views ------------------------------------------------------------------------------------------------------


class SlaSetupMixin(ProjectAccessMixin):
    """The calendars and service levels tabs of the SLA section."""

    section = "sla"

    def url(self, name: str, anchor: str = "", query: str = "", **kwargs: Any) -> str:
        url = reverse(f"projects:{name}", kwargs={"project_code": self.project.code, **kwargs})
        return f"{url}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"

    def calendar_url(self, calendar: BusinessCalendar, anchor: str = "", query: str = "") -> str:
        return self.url("calendar-detail", anchor, query, calendar_id=calendar.pk)

    def sla_crumbs(self) -> Crumbs:
        return [(_("SLA"), self.url("incident-list"))]

    def calendar_crumbs(self) -> Crumbs:
        return [*self.sla_crumbs(), (_("Business calendars"), self.url("calendar-list"))]

    def level_crumbs(self) -> Crumbs:
        return [*self.sla_crumbs(), (_("Service levels"), self.url("service-level-list"))]

    def crumbs(self) -> Crumbs:
        return self.sla_crumbs()

    def get_calendar(self) -> BusinessCalendar:
        return get_object_or_404(BusinessCalendar.objects.filter(project=self.project), pk=self.kwargs["calendar_id"])

    @cached_property
    def calendar(self) -> BusinessCalendar:
        return self.get_calendar()

    def get_level(self) -> ServiceLevel:
        levels = ServiceLevel.objects.filter(project=self.project).select_related("vendor", "calendar")
        return get_object_or_404(levels, pk=self.kwargs["service_level_id"])

    @cached_property
    def level(self) -> ServiceLevel:
        return self.get_level()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        return context


# Business calendars -------------------------------------------------------------------------------------


class CalendarListView(SlaSetupMixin, TemplateView):
    """Each calendar with its week in a line, holidays, time zone and how many service levels use it."""

    template_name = "projects/sla/calendar_list.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*self.sla_crumbs(), (_("Business calendars"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        calendars = list(
            BusinessCalendar.objects.filter(project=self.project)
            .annotate(level_count=Count("service_levels", distinct=True), day_count=Count("days", distinct=True))
            .order_by("name")
        )
        for calendar in calendars:
            calendar.lines = week_lines(calendar)
        taken = {c.name for c in calendars}
        context.update(
            {
                "calendars": calendars,
                "presets": [(key, preset_name(key)) for key in PRESETS if preset_name(key) not in taken],
            }
        )
        return context


class CalendarCreateView(ServiceFormMixin, SlaSetupMixin, FormView):
    """A new calendar from the form, or in one click from a preset (POST preset=office_cn or preset=always)."""

    template_name = "projects/sla/calendar_form.html"
    form_class = CalendarForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.calendar_crumbs(), (_("New calendar"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = BusinessCalendar(project=self.project)
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["zones"] = zone_names()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        preset = request.POST.get("preset")
        if preset is None:
            return super().post(request, *args, **kwargs)
        if preset not in PRESETS:
            messages.error(request, _("Choose one of the calendars offered."))
            return HttpResponseRedirect(self.url("calendar-list"))
        name = preset_name(preset)
        if BusinessCalendar.objects.filter(project=self.project, name__iexact=name).exists():
            messages.error(request, _("There is already a calendar called “%(name)s”.") % {"name": name})
            return HttpResponseRedirect(self.url("calendar-list"))
        calendar = services.calendar_save(
            BusinessCalendar(project=self.project, name=name, **PRESETS[preset]), user=request.user
        )
        messages.success(request, _("Calendar “%(name)s” added.") % {"name": name})
        return HttpResponseRedirect(self.calendar_url(calendar))

    def save(self, form: CalendarForm) -> BusinessCalendar:
        return services.calendar_save(
            BusinessCalendar(project=self.project, **form.calendar_fields()), user=self.request.user
        )

    def saved(self, calendar: BusinessCalendar) -> HttpResponse:
        messages.success(self.request, _("Calendar “%(name)s” added.") % {"name": calendar.name})
        return HttpResponseRedirect(self.calendar_url(calendar))


class CalendarDetailView(SlaSetupMixin, TemplateView):
    """The week, the year's days off and make-up working days (public and own), the Try-it box and the history."""

    template_name = "projects/sla/calendar_detail.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*self.calendar_crumbs(), (self.calendar.name, None)]

    def year(self) -> int:
        this_year = timezone.localdate().year
        try:
            year = int(self.request.GET.get("year", this_year))
        except ValueError:
            return this_year
        return year if 2000 <= year <= this_year + 2 else this_year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        calendar = self.calendar
        year = self.year()
        this_year = timezone.localdate().year
        own_days = list(calendar.days.all())
        days = year_days(calendar, year, own_days)
        entries = history_entries(
            [BusinessCalendar.history.filter(id=calendar.pk), CalendarDay.history.filter(calendar_id=calendar.pk)],
            hidden_fields=["project", "calendar", "version"],
        )
        show_all = self.request.GET.get("history") == "all"
        levels = list(calendar.service_levels.select_related("vendor").order_by("vendor__name", "severity"))
        for level in levels:
            level.badge = SEVERITY_BADGES.get(level.severity, "")
        context.update(
            {
                "calendar": calendar,
                "lines": week_lines(calendar),
                "week": week_rows(calendar),
                "year": year,
                "years": sorted({this_year, this_year + 1, year}),
                "days": days,
                "closed_count": sum(1 for d in days if d.kind == CalendarDay.Kind.CLOSED),
                "working_count": sum(1 for d in days if d.kind == CalendarDay.Kind.WORKING),
                "own_elsewhere": sum(1 for d in own_days if d.date.year != year),
                "levels": levels,
                "history": entries if show_all else entries[:HISTORY_SHOWN],
                "history_count": len(entries),
                "history_more": not show_all and len(entries) > HISTORY_SHOWN,
                **self.try_it(calendar, own_days),
            }
        )
        if context["can_edit"] and "day_form" not in context:
            context["day_form"] = CalendarDayForm(calendar=calendar, initial={"date": date(year, 1, 1)})
        return context

    def try_it(self, calendar: BusinessCalendar, own_days: list[CalendarDay]) -> dict[str, Any]:
        zone = calendar.zone()
        asked = any(key in self.request.GET for key in ("day", "time", "hours"))
        now = timezone.now().astimezone(zone)
        initial = {"day": now.date(), "time": time(17), "hours": 4}
        form = TryItForm(self.request.GET if asked else None, initial=initial)
        result: dict[str, Any] = {"try_form": form, "try_result": None}
        if not asked or not form.is_valid():
            return result
        start, minutes = form.start(zone), form.minutes()
        years = range(start.year, start.year + 3)
        engine = engine_calendar(calendar, years)
        try:
            due = add(engine, start, minutes)
        except NoWorkingTime:
            result["try_error"] = _("The calendar has no working time for that within three years of the start.")
            return result
        hours = form.cleaned_data["hours"]
        with_year = start.year != due.year
        sentence = ngettext(
            "%(hours)s business hour from %(start)s → %(due)s",
            "%(hours)s business hours from %(start)s → %(due)s",
            1 if hours == 1 else 2,
        ) % {"hours": plain_decimal(hours), "start": moment_text(start, with_year), "due": moment_text(due, with_year)}
        rows, cut = (
            ([], False) if calendar.always else breakdown(engine, start, due, reasons_of(calendar, years, own_days))
        )
        result["try_result"] = {
            "sentence": sentence,
            "start": start,
            "due": due,
            "zone": calendar.timezone,
            "rows": rows,
            "cut": cut,
            "elapsed": elapsed_text(due - start),
        }
        return result


class CalendarEditView(ServiceFormMixin, SlaSetupMixin, FormView):
    template_name = "projects/sla/calendar_form.html"
    form_class = CalendarEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.calendar_crumbs(), (self.calendar.name, self.calendar_url(self.calendar)), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_calendar()  # its own copy: the form writes what was typed onto it
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["calendar"] = self.calendar
        context["zones"] = zone_names()
        context["level_count"] = self.calendar.service_levels.count()
        return context

    def save(self, form: CalendarEditForm) -> BusinessCalendar:
        calendar = self.get_calendar()
        for name, value in form.calendar_fields().items():
            setattr(calendar, name, value)
        return services.calendar_save(calendar, user=self.request.user, expected_version=form.cleaned_data["version"])

    def saved(self, calendar: BusinessCalendar) -> HttpResponse:
        messages.success(self.request, _("Calendar “%(name)s” saved.") % {"name": calendar.name})
        return HttpResponseRedirect(self.calendar_url(calendar))


class CalendarDeleteView(SlaSetupMixin, TemplateView):
    """A calendar in use by service levels cannot be deleted: the page lists them. Otherwise a confirmation."""

    template_name = "projects/sla/calendar_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.calendar_crumbs(), (self.calendar.name, self.calendar_url(self.calendar)), (_("Delete"), None)]

    def users(self) -> list[ServiceLevel]:
        levels = list(self.calendar.service_levels.select_related("vendor").order_by("vendor__name", "severity"))
        for level in levels:
            level.badge = SEVERITY_BADGES.get(level.severity, "")
        return levels

    def refusal(self, levels: list[ServiceLevel]) -> str:
        return ngettext(
            "“%(name)s” cannot be deleted: %(count)s service level runs on it. Move it to another calendar first.",
            "“%(name)s” cannot be deleted: %(count)s service levels run on it. Move them to another calendar first.",
            len(levels),
        ) % {"name": self.calendar.name, "count": len(levels)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        calendar = self.calendar
        levels = kwargs.get("levels")
        if levels is None:
            levels = self.users()
        days = calendar.days.count()
        context.update(
            {
                "calendar": calendar,
                "levels": levels,
                "refusal": self.refusal(levels) if levels else "",
                "question": _("Delete the calendar “%(name)s”?") % {"name": calendar.name},
                "consequence": ngettext(
                    "Its %(count)s own day is deleted with it. The history keeps the calendar.",
                    "Its %(count)s own days are deleted with it. The history keeps the calendar.",
                    days,
                )
                % {"count": days}
                if days
                else _("No service level runs on it. The history keeps the calendar."),
                "cancel_url": self.calendar_url(calendar),
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        calendar = self.calendar
        name = calendar.name
        levels = self.users()
        if not levels:
            try:
                services.calendar_delete(calendar, user=request.user)
            except services.SLAError:
                levels = self.users()  # a service level was put on it meanwhile
            else:
                messages.success(request, _("Calendar “%(name)s” deleted.") % {"name": name})
                return HttpResponseRedirect(self.url("calendar-list"))
        messages.error(request, self.refusal(levels))
        return self.render_to_response(self.get_context_data(levels=levels))


class CalendarDayCreateView(SlaSetupMixin, FormView):
    """An own day of the calendar: a closure or a working day. The calendar page shows the form; a refused day comes
    back here with what was typed."""

    template_name = "projects/sla/calendar_day_form.html"
    form_class = CalendarDayForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        calendar = self.calendar
        return [*self.calendar_crumbs(), (calendar.name, self.calendar_url(calendar)), (_("Add a day"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["calendar"] = self.calendar
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["calendar"] = self.calendar
        return context

    def form_valid(self, form: CalendarDayForm) -> HttpResponse:
        try:
            day = services.calendar_day_add(form.save(commit=False), user=self.request.user)
        except services.SLAError as exc:  # the date was added meanwhile
            form.add_error("date", str(exc))
            return self.form_invalid(form)
        label = day.reason or day.get_kind_display()
        messages.success(
            self.request,
            _("%(day)s added: %(what)s.") % {"day": formats.date_format(day.date, "SHORT_DATE_FORMAT"), "what": label},
        )
        return HttpResponseRedirect(self.calendar_url(self.calendar, "days", f"year={day.date.year}"))


class CalendarDayDeleteView(SlaSetupMixin, TemplateView):
    template_name = "projects/sla/calendar_confirm_delete.html"
    required_capability = "edit"

    @cached_property
    def day(self) -> CalendarDay:
        days = CalendarDay.objects.select_related("calendar").filter(calendar__project=self.project)
        return get_object_or_404(days, pk=self.kwargs["calendar_day_id"])

    def back_url(self) -> str:
        return self.calendar_url(self.day.calendar, "days", f"year={self.day.date.year}")

    def crumbs(self) -> Crumbs:
        calendar = self.day.calendar
        return [*self.calendar_crumbs(), (calendar.name, self.calendar_url(calendar)), (_("Delete a day"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = self.day
        when = formats.date_format(day.date, "DATE_FORMAT")
        context.update(
            {
                "calendar": day.calendar,
                "levels": [],
                "question": _("Delete the calendar's own day %(day)s (%(kind)s%(reason)s)?")
                % {"day": when, "kind": day.get_kind_display(), "reason": f" · {day.reason}" if day.reason else ""},
                "consequence": _(
                    "The day then follows the week and the public calendar again; SLA clocks are computed anew."
                ),
                "cancel_url": self.back_url(),
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        day = self.day
        back = self.back_url()
        when = formats.date_format(day.date, "SHORT_DATE_FORMAT")
        services.calendar_day_delete(day, user=request.user)
        messages.success(request, _("%(day)s deleted from the calendar's own days.") % {"day": when})
        return HttpResponseRedirect(back)


# Service levels -----------------------------------------------------------------------------------------


class ServiceLevelListView(SlaSetupMixin, TemplateView):
    """A matrix per vendor: severity × (response, resolution, calendar), with the incidents under each level."""

    template_name = "projects/sla/service_level_list.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*self.sla_crumbs(), (_("Service levels"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendors = list(vendor_model().objects.filter(project=self.project).order_by("name"))
        levels = {
            (level.vendor_id, level.severity): level
            for level in ServiceLevel.objects.filter(project=self.project).select_related("calendar")
        }
        counts = {
            (row["vendor_id"], row["severity"]): row
            for row in Incident.objects.filter(project=self.project, vendor__isnull=False)
            .values("vendor_id", "severity")
            .annotate(total=Count("pk"), open=Count("pk", filter=~Q(status__in=DONE_STATUSES)))
            .order_by()
        }
        calendars = list(BusinessCalendar.objects.filter(project=self.project).order_by("always", "name"))
        matrix = []
        for vendor in vendors:
            rows = []
            for severity, label in Severity.choices:
                level = levels.get((vendor.pk, severity))
                count = counts.get((vendor.pk, severity), {})
                rows.append(
                    {
                        "severity": severity,
                        "label": label,
                        "badge": SEVERITY_BADGES[severity],
                        "level": level,
                        "response": target_text(level.response_hours) if level else "",
                        "resolution": target_text(level.resolution_hours) if level else "",
                        "incidents": count.get("total", 0),
                        "open": count.get("open", 0),
                    }
                )
            matrix.append({"vendor": vendor, "rows": rows, "count": sum(1 for r in rows if r["level"])})
        context.update(
            {
                "matrix": matrix,
                "calendars": calendars,
                "vendors_url": optional_url("requirements:vendor-list", project_code=self.project.code),
                "standard_set": [
                    {
                        "label": Severity(s).label,
                        "badge": SEVERITY_BADGES[s],
                        "response": target_text(r),
                        "resolution": target_text(h),
                    }
                    for s, r, h in STANDARD_SET
                ],
                "level_count": len(levels),
            }
        )
        return context


class ServiceLevelCreateView(ServiceFormMixin, SlaSetupMixin, FormView):
    """One service level from the form, or a vendor's standard set of four (POST standard=1, vendor, calendar)."""

    template_name = "projects/sla/service_level_form.html"
    form_class = ServiceLevelForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.level_crumbs(), (_("New service level"), None)]

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        vendor, severity = self.request.GET.get("vendor", ""), self.request.GET.get("severity", "")
        if vendor.isdigit():
            initial["vendor"] = int(vendor)
        if severity in Severity.values:
            initial["severity"] = severity
            response, resolution = next((r, h) for s, r, h in STANDARD_SET if s == severity)
            initial["response_hours"] = plain_decimal(response)
            initial["resolution_hours"] = plain_decimal(resolution)
        calendars = list(BusinessCalendar.objects.filter(project=self.project).values_list("pk", flat=True)[:2])
        if len(calendars) == 1:
            initial["calendar"] = calendars[0]
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ServiceLevel(project=self.project)
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["has_calendars"] = BusinessCalendar.objects.filter(project=self.project).exists()
        context["vendors_url"] = optional_url("requirements:vendor-list", project_code=self.project.code)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "standard" not in request.POST:
            return super().post(request, *args, **kwargs)
        form = StandardSetForm(request.POST, project=self.project)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(self.url("service-level-list"))
        vendor, calendar = form.cleaned_data["vendor"], form.cleaned_data["calendar"]
        with transaction.atomic():
            for severity, response, resolution in STANDARD_SET:
                level = ServiceLevel(
                    project=self.project,
                    vendor=vendor,
                    severity=severity,
                    response_hours=response,
                    resolution_hours=resolution,
                    calendar=calendar,
                )
                services.service_level_save(level, user=request.user)
        messages.success(
            request,
            _(
                "The standard set of service levels added for %(vendor)s on “%(calendar)s”. Agree the numbers with "
                "the vendor and adjust them."
            )
            % {"vendor": vendor.name, "calendar": calendar.name},
        )
        return HttpResponseRedirect(self.url("service-level-list", f"vendor-{vendor.pk}"))

    def save(self, form: ServiceLevelForm) -> ServiceLevel:
        level = ServiceLevel(project=self.project, **form.level_fields())
        return services.service_level_save(level, user=self.request.user)

    def saved(self, level: ServiceLevel) -> HttpResponse:
        messages.success(
            self.request,
            _("Service level added: %(vendor)s, %(severity)s.")
            % {"vendor": level.vendor.name, "severity": level.get_severity_display()},
        )
        return HttpResponseRedirect(self.url("service-level-list", f"vendor-{level.vendor_id}"))


class ServiceLevelEditView(ServiceFormMixin, SlaSetupMixin, FormView):
    template_name = "projects/sla/service_level_form.html"
    form_class = ServiceLevelEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.level_crumbs(), (str(self.level), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_level()  # its own copy: the form writes what was typed onto it
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        level = self.level
        context["level"] = level
        context["has_calendars"] = True
        context["history"] = history_entries(
            [ServiceLevel.history.filter(id=level.pk)], hidden_fields=["project", "version"]
        )[:HISTORY_SHOWN]
        return context

    def save(self, form: ServiceLevelEditForm) -> ServiceLevel:
        level = self.get_level()
        for name, value in form.level_fields().items():
            setattr(level, name, value)
        return services.service_level_save(level, user=self.request.user, expected_version=form.cleaned_data["version"])

    def saved(self, level: ServiceLevel) -> HttpResponse:
        messages.success(
            self.request,
            _("Service level saved: %(vendor)s, %(severity)s.")
            % {"vendor": level.vendor.name, "severity": level.get_severity_display()},
        )
        return HttpResponseRedirect(self.url("service-level-list", f"vendor-{level.vendor_id}"))


class ServiceLevelDeleteView(SlaSetupMixin, TemplateView):
    template_name = "projects/sla/service_level_confirm_delete.html"
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.level_crumbs(), (str(self.level), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        level = self.level
        incidents = Incident.objects.filter(
            project=self.project, vendor_id=level.vendor_id, severity=level.severity
        ).count()
        context.update(
            {
                "level": level,
                "question": _("Delete the service level of %(vendor)s for %(severity)s incidents?")
                % {"vendor": level.vendor.name, "severity": level.get_severity_display().lower()},
                "consequence": ngettext(
                    "%(count)s incident of this vendor and severity then has no SLA clocks and leaves the compliance "
                    "figures.",
                    "%(count)s incidents of this vendor and severity then have no SLA clocks and leave the compliance "
                    "figures.",
                    incidents,
                )
                % {"count": incidents}
                if incidents
                else _("No incident is under it yet."),
                "cancel_url": self.url("service-level-list", f"vendor-{level.vendor_id}"),
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        level = self.level
        vendor, severity = level.vendor.name, level.get_severity_display()
        services.service_level_delete(level, user=request.user)
        messages.success(
            request, _("Service level deleted: %(vendor)s, %(severity)s.") % {"vendor": vendor, "severity": severity}
        )
        return HttpResponseRedirect(self.url("service-level-list", f"vendor-{level.vendor_id}"))
