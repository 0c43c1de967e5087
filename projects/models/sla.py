"""After go-live: the business calendars SLA clocks run on.

A calendar has working hours per weekday in its own timezone, a country whose public holidays and make-up working
days (调休) come from the `holidays` package, and days of its own: closures (the annual stock-take, a move) and
make-up days the government announced after the package was released. "Around the clock" (24×7) is a calendar too.
`projects.selectors.sla.engine_calendar` turns one into a `projects.business_hours.Calendar`.
"""

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from projects.models.project import Membership, Project
from workbench.locking import VersionedModel
from workbench.models import TimeStampedModel

SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COUNTRIES = [("", _("No public holidays")), ("CN", _("China (mainland)"))]


def parse_spans(text: str) -> tuple[tuple[int, int], ...]:
    """ "09:00-12:00, 13:00-18:00" as minutes after midnight; "" is a day off. Raises ValueError naming the bad part."""
    spans = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;，；]", text))):
        match = SPAN.match(part.replace(" ", "").replace("–", "-"))
        if not match:
            raise ValueError(part)
        start = int(match[1]) * 60 + int(match[2])
        end = int(match[3]) * 60 + int(match[4])
        if end > 24 * 60 or end <= start:
            raise ValueError(part)
        spans.append((start, end))
    spans.sort()
    if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)):
        raise ValueError(text)
    return tuple(spans)


class BusinessCalendar(VersionedModel, TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="calendars", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=120)
    timezone = models.CharField(_("time zone"), max_length=60, default="Asia/Shanghai")
    country = models.CharField(_("public holidays of"), max_length=2, choices=COUNTRIES, default="CN", blank=True)
    always = models.BooleanField(
        _("around the clock (24×7)"), default=False, help_text=_("Every minute counts, holidays included.")
    )
    mon = models.CharField(_("Monday"), max_length=60, blank=True, default="09:00-18:00")
    tue = models.CharField(_("Tuesday"), max_length=60, blank=True, default="09:00-18:00")
    wed = models.CharField(_("Wednesday"), max_length=60, blank=True, default="09:00-18:00")
    thu = models.CharField(_("Thursday"), max_length=60, blank=True, default="09:00-18:00")
    fri = models.CharField(_("Friday"), max_length=60, blank=True, default="09:00-18:00")
    sat = models.CharField(_("Saturday"), max_length=60, blank=True)
    sun = models.CharField(_("Sunday"), max_length=60, blank=True)
    makeup_weekday = models.PositiveSmallIntegerField(
        _("make-up days work like"),
        choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday"))],
        default=0,
        help_text=_("The hours a weekend worked to make up for a holiday (调休) follows."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_calendar_name")]

    def __str__(self) -> str:
        return self.name

    def week(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        return tuple(parse_spans(getattr(self, day)) for day in WEEKDAYS)

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def clean(self) -> None:
        errors = {}
        try:
            self.zone()
        except (ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = _("Not a time zone: use a name such as Asia/Shanghai.")
        for day in WEEKDAYS:
            try:
                parse_spans(getattr(self, day))
            except ValueError:
                errors[day] = _(
                    "Write the hours as 09:00-12:00, 13:00-18:00 (24-hour clock, in order, not overlapping)."
                )
        if not self.always and not errors and not any(self.week()):
            errors["mon"] = _("A calendar needs working hours on at least one day, or to run around the clock.")
        if errors:
            raise ValidationError(errors)


class CalendarDay(TimeStampedModel):
    """A day of the calendar's own: a closure, or a working day the public calendar does not know yet."""

    class Kind(models.TextChoices):
        CLOSED = "closed", pgettext_lazy("calendar day", "Closed")
        WORKING = "working", _("Working day")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="days", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CLOSED)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="unique_calendar_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.get_kind_display()}"


# Service levels and incidents ------------------------------------------------------------------------------


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")
    TRIVIAL = "trivial", _("Trivial")


class ServiceLevel(VersionedModel, TimeStampedModel):
    """A vendor's promise for one severity: the first response and the resolution within so many business hours."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="service_levels", verbose_name=_("project")
    )
    vendor = models.ForeignKey(
        "requirements.Vendor", on_delete=models.CASCADE, related_name="service_levels", verbose_name=_("vendor")
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    response_hours = models.DecimalField(
        _("response within (business hours)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    resolution_hours = models.DecimalField(
        _("resolution within (business hours)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="service_levels", verbose_name=_("calendar")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "vendor", "severity"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [models.UniqueConstraint(fields=["project", "vendor", "severity"], name="unique_service_level")]

    def __str__(self) -> str:
        return f"{self.vendor} · {self.get_severity_display()}"

    def clean(self) -> None:
        if (
            self.response_hours is not None
            and self.resolution_hours is not None
            and self.resolution_hours < self.response_hours
        ):
            raise ValidationError({"resolution_hours": _("The resolution cannot be due before the first response.")})
        if self.calendar_id and self.project_id and self.calendar.project_id != self.project_id:
            raise ValidationError({"calendar": _("Choose a calendar of this project.")})


class IncidentSequence(models.Model):
    """The last incident number given in a project (INC-001, INC-002 …)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("incident key sequence")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.last_number}"


class Incident(VersionedModel, TimeStampedModel):
    """A problem reported after go-live. Its SLA figures are computed from its changes, never typed."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for the customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", pgettext_lazy("incident", "Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    vendor = models.ForeignKey(
        "requirements.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("vendor"),
        help_text=_("Whose service level applies."),
    )
    opened_at = models.DateTimeField(_("opened"))
    reporter = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reporter")
    )
    assignee = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("assignee")
    )
    external_ref = models.CharField(
        _("vendor's ticket"), max_length=60, blank=True, help_text=_("The number in the vendor's ticket system.")
    )
    requirement = models.ForeignKey(
        "requirements.Requirement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("requirement"),
    )
    uat_case = models.ForeignKey(
        "testing.UATCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("UAT case"),
    )
    defect = models.ForeignKey(
        "testing.Defect",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("defect"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-number"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_incident_number")]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def key(self) -> str:
        return f"INC-{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.status not in DONE_STATUSES


# Resolved or closed: the problem is fixed. Every other status is open.
DONE_STATUSES = (Incident.Status.RESOLVED, Incident.Status.CLOSED)
OPEN_STATUSES = tuple(status for status in Incident.Status.values if status not in DONE_STATUSES)


class IncidentChange(models.Model):
    """One move of an incident's status, when it happened: the history its SLA clocks are computed from."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="changes", verbose_name=_("incident"))
    at = models.DateTimeField(_("when"))
    status = models.CharField(_("status"), max_length=12, choices=Incident.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["incident", "at", "pk"]
        verbose_name = _("incident change")
        verbose_name_plural = _("incident changes")

    def __str__(self) -> str:
        return f"{self.incident.key} → {self.get_status_display()}"
