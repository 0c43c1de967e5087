"""Forms of the SLA set-up: business calendars, their own days, service levels (one or a vendor's standard set) and
the calendar's "Try it" box. The incident forms live in `projects.forms.incidents`."""

from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import BusinessCalendar, CalendarDay, Project, ServiceLevel
from projects.models.sla import WEEKDAYS, Severity
from workbench.locking import VersionedFormMixin
from workbench.numbers import plain_decimal

SPANS_HINT = _("e.g. 09:00-12:00, 13:00-18:00 · blank = closed")
# The time zones offered first in the list (any IANA name is accepted).
COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "UTC",
)
HOURS_ERRORS = {
    "invalid": _("Enter the hours as a number, e.g. 4 or 0.5."),
    "min_value": _("Enter 0 hours or more."),
    "max_digits": _("At most 9999.99 hours."),
    "max_whole_digits": _("At most 9999.99 hours."),
    "max_decimal_places": _("At most two decimal places, e.g. 0.25 for a quarter of an hour."),
    "required": _("Enter the number of business hours."),
}
# A vendor's standard set: (severity, response hours, resolution hours), a starting point to agree with the vendor.
STANDARD_SET = (
    (Severity.CRITICAL, Decimal("0.5"), Decimal("4")),
    (Severity.MAJOR, Decimal("2"), Decimal("16")),
    (Severity.MINOR, Decimal("8"), Decimal("40")),
    (Severity.TRIVIAL, Decimal("16"), Decimal("80")),
)


def vendor_model() -> type:
    """The vendors' model, without importing the requirements app (imports go one way)."""
    return ServiceLevel._meta.get_field("vendor").related_model


@cache
def zone_names() -> tuple[str, ...]:
    return (*COMMON_ZONES, *sorted(available_timezones() - set(COMMON_ZONES)))


class CalendarForm(forms.ModelForm):
    """Name, time zone, public holidays, 24×7 and the hours of each weekday; the model's clean() checks the hours."""

    class Meta:
        model = BusinessCalendar
        fields = ["name", "timezone", "country", "always", *WEEKDAYS, "makeup_weekday"]
        widgets = {
            "timezone": forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
        }
        help_texts = {
            "name": _("e.g. “Vendor office hours” or “Warehouse on call”."),
            "timezone": _("Where the working hours are kept, e.g. Asia/Shanghai for the vendor's office in China."),
            "country": _(
                "China: the public holidays and the make-up working days (调休) come with the calendar and are kept "
                "up to date with the government's announcements."
            ),
            **dict.fromkeys(WEEKDAYS, SPANS_HINT),
        }
        error_messages = {
            "name": {"required": _("Give the calendar a name.")},
            "timezone": {"required": _("Enter a time zone, e.g. Asia/Shanghai.")},
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.instance.project = project

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = BusinessCalendar.objects.filter(project=self.project, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("There is already a calendar called “%(name)s”: choose another name."), params={"name": name}
            )
        return name

    def clean_timezone(self) -> str:
        zone = self.cleaned_data["timezone"].strip()
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise forms.ValidationError(
                _("“%(zone)s” is not a time zone: use a name such as Asia/Shanghai."), params={"zone": zone}
            ) from exc
        return zone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for day in WEEKDAYS:
            if isinstance(data.get(day), str):
                data[day] = data[day].strip()
        return data

    def weekday_fields(self) -> list[forms.BoundField]:
        return [self[day] for day in WEEKDAYS]

    def calendar_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class CalendarEditForm(VersionedFormMixin, CalendarForm):
    pass


class CalendarDayForm(forms.ModelForm):
    """A day of the calendar's own: a closure, or a working day the public calendar does not know yet."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"kind": _("The day is")}
        help_texts = {
            "kind": _("Closed: no working time that day. Working day: worked with the make-up day hours."),
            "reason": _("e.g. “Annual stock-take” or “Make-up day announced on 12 November”."),
        }
        error_messages = {"date": {"required": _("Choose the day."), "invalid": _("Enter a date, e.g. 2026-12-31.")}}

    def __init__(self, *args: Any, calendar: BusinessCalendar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.instance.calendar = calendar

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        existing = self.calendar.days.filter(date=day).first()
        if existing is not None:
            raise forms.ValidationError(
                _("The calendar already has %(day)s as its own day (%(kind)s): delete that one first to change it."),
                params={"day": f"{day:%Y-%m-%d}", "kind": existing.get_kind_display()},
            )
        return day

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class ServiceLevelForm(forms.ModelForm):
    """One vendor's promise for one severity, on one of the project's calendars."""

    class Meta:
        model = ServiceLevel
        fields = ["vendor", "severity", "response_hours", "resolution_hours", "calendar"]
        widgets = {
            "response_hours": forms.NumberInput(attrs={"step": "0.25", "min": "0", "inputmode": "decimal"}),
            "resolution_hours": forms.NumberInput(attrs={"step": "0.25", "min": "0", "inputmode": "decimal"}),
        }
        labels = {
            "response_hours": _("First response within (business hours)"),
            "resolution_hours": _("Resolution within (business hours)"),
        }
        help_texts = {
            "response_hours": _("From the opening to the first move out of “new”, e.g. 0.5 for 30 minutes."),
            "resolution_hours": _("From the opening to “resolved”; the clock pauses while waiting for the customer."),
            "calendar": _("The business hours the clocks run on."),
        }
        error_messages = {
            "vendor": {"required": _("Choose the vendor.")},
            "severity": {"required": _("Choose the severity.")},
            "calendar": {"required": _("Choose the calendar the clocks run on.")},
            "response_hours": HOURS_ERRORS,
            "resolution_hours": HOURS_ERRORS,
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.instance.project = project
        self.fields["vendor"].queryset = vendor_model().objects.filter(project=project).order_by("name")
        self.fields["calendar"].queryset = BusinessCalendar.objects.filter(project=project).order_by("name")
        for name in ("response_hours", "resolution_hours"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):
                self.initial[name] = plain_decimal(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        vendor, severity = data.get("vendor"), data.get("severity")
        if vendor is not None and severity:
            taken = ServiceLevel.objects.filter(project=self.project, vendor=vendor, severity=severity).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error(
                    "severity",
                    _("%(vendor)s already has a service level for %(severity)s incidents: edit that one instead.")
                    % {"vendor": vendor.name, "severity": Severity(severity).label.lower()},
                )
        return data

    def level_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ServiceLevelEditForm(VersionedFormMixin, ServiceLevelForm):
    pass


class StandardSetForm(forms.Form):
    """The standard set of four service levels for a vendor that has none, on a chosen calendar."""

    vendor = forms.ModelChoiceField(
        label=_("Vendor"), queryset=None, error_messages={"required": _("Choose the vendor.")}
    )
    calendar = forms.ModelChoiceField(
        label=_("Calendar"),
        queryset=None,
        error_messages={"required": _("Choose the calendar the clocks run on.")},
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["vendor"].queryset = vendor_model().objects.filter(project=project)
        self.fields["calendar"].queryset = BusinessCalendar.objects.filter(project=project)

    def clean_vendor(self) -> Any:
        vendor = self.cleaned_data["vendor"]
        if ServiceLevel.objects.filter(project=self.project, vendor=vendor).exists():
            raise forms.ValidationError(
                _("%(vendor)s already has service levels: the standard set is for a vendor without any."),
                params={"vendor": vendor.name},
            )
        return vendor


class TryItForm(forms.Form):
    """When is work due: a start (in the calendar's time zone) plus so many business hours."""

    day = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the start date."), "invalid": _("Enter a date, e.g. 2026-09-30.")},
    )
    time = forms.TimeField(
        label=_("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the start time."), "invalid": _("Enter a time, e.g. 17:00.")},
    )
    hours = forms.DecimalField(
        label=_("Business hours"),
        min_value=Decimal("0"),
        max_value=Decimal("2000"),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0", "max": "2000", "inputmode": "decimal"}),
        error_messages={
            **HOURS_ERRORS,
            "max_value": _("At most 2000 business hours."),
            "max_digits": _("At most 2000 business hours."),
            "max_whole_digits": _("At most 2000 business hours."),
        },
    )

    def start(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"] or time(), tzinfo=zone)

    def minutes(self) -> int:
        return round(self.cleaned_data["hours"] * 60)
