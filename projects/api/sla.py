"""API for after go-live: business calendars, vendors' service levels (SLAs) and incidents with their SLA clocks.

Reads need "view". Calendars and service levels are changed with "edit"; an incident is opened with "execute"
(testers report them too), changed and moved with "edit". A stale `version` is 409 Conflict, a refused value 400
with the model's or the service's message; a calendar a service level still uses is not deleted (409).

Incidents are addressed by their number (INC-007 is 7) and are never deleted: they are the record the SLA
compliance and the hypercare exit are measured from. Their status moves only by POST …/move/, each move a change
with its time (…/changes/). Every SLA figure — due times, time used, the breach — is computed by
projects.selectors.sla from the calendar, the service level of the incident's vendor and severity now, and the
changes, so the API, the pages and the reports agree. Nothing of it is typed.
"""

from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import django_filters
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from projects.api.goals import MemberUsernameField
from projects.models import BusinessCalendar, CalendarDay, Incident, IncidentChange, ServiceLevel
from projects.models.sla import WEEKDAYS
from projects.selectors import sla as selectors
from projects.services import sla as services
from projects.sla_clock import Clock
from workbench.api import Conflict, ProjectScopedMixin, VersionedSerializerMixin, service_errors

# --- Fields ----------------------------------------------------------------------------------


def _related_model(name: str) -> type[Model]:
    """The model an incident's link points at (vendor, requirement, UAT case, defect), without importing its app."""
    return Incident._meta.get_field(name).related_model


@extend_schema_field(OpenApiTypes.INT)
class ProjectVendorField(serializers.PrimaryKeyRelatedField):
    """A vendor id; only the request's project's vendors exist for it."""

    default_error_messages = {"does_not_exist": _("There is no vendor {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet:
        return _related_model("vendor").objects.filter(project=self.context["project"])


@extend_schema_field(OpenApiTypes.INT)
class ProjectCalendarField(serializers.PrimaryKeyRelatedField):
    """A business calendar id; only the request's project's calendars exist for it."""

    default_error_messages = {"does_not_exist": _("There is no calendar {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[BusinessCalendar]:
        return self.context["project"].calendars.all()


@extend_schema_field(OpenApiTypes.INT)
@extend_schema_field(OpenApiTypes.STR)
class ProjectKeyField(serializers.SlugRelatedField):
    """A requirement (REQ-001), UAT case (UAT-001) or defect (DEF-001) of the request's project, by key."""

    default_error_messages = {"does_not_exist": _("There is no {value} in this project.")}

    def __init__(self, link: str, **kwargs: Any) -> None:
        self.link = link
        super().__init__(slug_field="key", **kwargs)

    def get_queryset(self) -> QuerySet:
        return _related_model(self.link).objects.filter(project=self.context["project"])

    def to_internal_value(self, data: Any) -> Model:
        return super().to_internal_value(data.strip().upper() if isinstance(data, str) else data)


# --- Serializers: calendars ------------------------------------------------------------------

HOURS_HELP = _("Working hours, e.g. “09:00-12:00, 13:00-18:00”; empty for a day off.")


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "reason"]
        extra_kwargs = {
            "kind": {
                "help_text": _(
                    "closed: no working hours that day (a closure of its own); working: a working day with the "
                    "hours of the calendar's make-up weekday (e.g. a make-up day announced late)."
                )
            }
        }

    def validate_date(self, day: Any) -> Any:
        taken = self.context["calendar"].days.filter(date=day).first()
        if taken is not None:
            raise serializers.ValidationError(_duplicate_day_message(taken))
        return day


def _duplicate_day_message(taken: CalendarDay) -> str:
    return gettext("%(date)s is already a day of this calendar (%(kind)s). Delete that one first.") % {
        "date": taken.date.isoformat(),
        "kind": taken.get_kind_display(),
    }


class BusinessCalendarSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    days = CalendarDaySerializer(
        many=True,
        read_only=True,
        help_text=_("The calendar's own days (closures, late make-up days); add and delete them under days/."),
    )

    class Meta:
        model = BusinessCalendar
        fields = [
            "id",
            "name",
            "timezone",
            "country",
            "always",
            "mon",
            "tue",
            "wed",
            "thu",
            "fri",
            "sat",
            "sun",
            "makeup_weekday",
            "days",
            "version",
        ]
        extra_kwargs = {
            **{day: {"help_text": HOURS_HELP} for day in WEEKDAYS},
            "timezone": {"help_text": _("A time zone name such as Asia/Shanghai.")},
            "country": {"help_text": _("CN: China's public holidays and make-up working days (调休); empty: none.")},
            "makeup_weekday": {"help_text": _("0–4: a make-up working day has the hours of Monday … Friday.")},
        }

    def validate_name(self, name: str) -> str:
        taken = self.context["project"].calendars.filter(name__iexact=name.strip())
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(_("This project already has a calendar with that name."))
        return name.strip()


# --- Serializers: service levels -------------------------------------------------------------


class ServiceLevelSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    vendor = ProjectVendorField(help_text=_("Id of a vendor of this project."))
    calendar = ProjectCalendarField(help_text=_("Id of a business calendar of this project; the hours count on it."))

    class Meta:
        model = ServiceLevel
        fields = ["id", "vendor", "severity", "response_hours", "resolution_hours", "calendar", "version"]
        extra_kwargs = {
            "response_hours": {"help_text": _("Business hours from opening to the first response.")},
            "resolution_hours": {
                "help_text": _("Business hours from opening to the resolution, not counting time waiting.")
            },
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        vendor = attrs.get("vendor", getattr(self.instance, "vendor", None))
        severity = attrs.get("severity", getattr(self.instance, "severity", None))
        if vendor is not None and severity:
            taken = ServiceLevel.objects.filter(project=self.context["project"], vendor=vendor, severity=severity)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError({"severity": [_duplicate_level_message(vendor, severity)]})
        return attrs


def _duplicate_level_message(vendor: Model, severity: str) -> str:
    return gettext("%(vendor)s already has a service level for %(severity)s incidents. Change that one instead.") % {
        "vendor": vendor,
        "severity": dict(ServiceLevel._meta.get_field("severity").flatchoices).get(severity, severity),
    }


# --- Serializers: incidents ------------------------------------------------------------------


class IncidentSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text=_("INC-001 …"))
    vendor = ProjectVendorField(
        required=False, allow_null=True, help_text=_("Id of a vendor of this project: whose service level applies.")
    )
    opened_at = serializers.DateTimeField(
        required=False,
        help_text=_(
            "When the problem was reported: now unless given; never in the future. Set when the incident is "
            "opened, fixed afterwards (the clocks count from it)."
        ),
    )
    reporter = MemberUsernameField(
        required=False,
        allow_null=True,
        help_text=_("User name of the member who reported it; the caller when left out on opening."),
    )
    assignee = MemberUsernameField(required=False, allow_null=True, help_text=_("User name of a member, or null."))
    requirement = ProjectKeyField("requirement", required=False, allow_null=True, help_text=_("REQ-001, or null."))
    uat_case = ProjectKeyField("uat_case", required=False, allow_null=True, help_text=_("UAT-001, or null."))
    defect = ProjectKeyField("defect", required=False, allow_null=True, help_text=_("Key of a defect, or null."))
    responded_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("The first move out of “new”; null until then.")
    )
    resolved_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When it was resolved (the latest resolution); null while open.")
    )
    response_due = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("The first response is due by then; null without an SLA.")
    )
    resolution_due = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("The resolution is due by then; null while waiting for the customer, or without an SLA."),
    )
    response_used_minutes = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Business minutes from opening to the response (or now); null without an SLA."),
    )
    resolution_used_minutes = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Business minutes the resolution clock ran (not while waiting); null without an SLA."),
    )
    response_percent = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Response time used as a share of the target, in %.")
    )
    resolution_percent = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Resolution time used as a share of the target, in %.")
    )
    breached = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("The response or the resolution is late; null when no service level applies."),
    )
    sla = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Id of the service level that applies (the vendor's, for the severity now), or null."),
    )

    class Meta:
        model = Incident
        fields = [
            "key",
            "number",
            "title",
            "description",
            "severity",
            "status",
            "vendor",
            "opened_at",
            "reporter",
            "assignee",
            "external_ref",
            "requirement",
            "uat_case",
            "defect",
            "responded_at",
            "resolved_at",
            "response_due",
            "resolution_due",
            "response_used_minutes",
            "resolution_used_minutes",
            "response_percent",
            "resolution_percent",
            "breached",
            "sla",
            "version",
        ]
        read_only_fields = ["number", "status"]
        extra_kwargs = {
            "status": {"help_text": _("Moves only by POST …/move/.")},
            "description": {"help_text": _("Markdown is allowed.")},
            "severity": {"help_text": _("Re-rating re-computes the clocks from the opening with the new targets.")},
        }

    def validate_opened_at(self, opened_at: datetime) -> datetime:
        if self.instance is not None:
            if opened_at != self.instance.opened_at:
                raise serializers.ValidationError(_("The opening time is fixed once the incident is opened."))
            return opened_at
        if opened_at > timezone.now() + timedelta(minutes=1):
            raise serializers.ValidationError(_("An incident cannot be opened in the future."))
        return opened_at

    def to_representation(self, incident: Incident) -> dict[str, Any]:
        sla: SlaFigures = self.context["sla"]
        clock = sla.clocks.get(incident.pk)
        incident.sla = sla.levels.get((incident.vendor_id, incident.severity)) if clock is not None else None
        response = clock.response if clock else None
        resolution = clock.resolution if clock else None
        incident.responded_at = response.met_at if response else None
        incident.resolved_at = resolution.met_at if resolution else None
        incident.response_due = response.due if response else None
        incident.resolution_due = resolution.due if resolution else None
        incident.response_used_minutes = round(response.used) if response else None
        incident.resolution_used_minutes = round(resolution.used) if resolution else None
        incident.response_percent = round(response.percent, 1) if response else None
        incident.resolution_percent = round(resolution.percent, 1) if resolution else None
        incident.breached = clock.breached if clock else None
        return super().to_representation(incident)


class SlaFigures:
    """The SLA clocks of the incidents a response shows, worked out once, and the service level ids by
    (vendor, severity). Filled by the view for the page (list) or the one incident."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.clocks: dict[int, Clock | None] = {}
        self._levels: dict[tuple[int, str], int] | None = None
        self.project = None

    def measure(self, incidents: list[Incident]) -> None:
        missing = [incident for incident in incidents if incident.pk not in self.clocks]
        if missing:
            self.clocks.update(selectors.incident_clocks(missing, self.now))

    @property
    def levels(self) -> dict[tuple[int, str], int]:
        if self._levels is None:
            rows = ServiceLevel.objects.filter(project=self.project).values_list("vendor_id", "severity", "pk")
            self._levels = {(vendor_id, severity): pk for vendor_id, severity, pk in rows}
        return self._levels


class IncidentMoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[choice for choice in Incident.Status.choices if choice[0] != Incident.Status.NEW],
        help_text=_(
            "Where to: new → acknowledged, in_progress, waiting or resolved; acknowledged → in_progress, waiting or "
            "resolved; in_progress ⇄ waiting; in_progress or waiting → resolved; resolved → closed or in_progress "
            "(reopen). A closed incident does not move."
        ),
    )
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When it happened, if not now: never in the future nor before the incident's last change."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Why, what was done."))


class IncidentChangeSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=Incident.Status.choices, read_only=True, help_text=_("The status it moved to.")
    )
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True, help_text=_("Who moved it."))

    class Meta:
        model = IncidentChange
        fields = ["id", "at", "status", "by", "note", "recorded_at"]
        read_only_fields = fields
        extra_kwargs = {
            "at": {"help_text": _("When the incident moved (the clocks count from this).")},
            "recorded_at": {"help_text": _("When the move was recorded (later than `at` when typed after the fact).")},
        }


# --- Filters ---------------------------------------------------------------------------------


class ServiceLevelFilter(django_filters.FilterSet):
    vendor = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="vendor_id", label=_("Only the service levels of this vendor (id)."))
    )
    calendar = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="calendar_id", label=_("Only those on this calendar (id)."))
    )

    class Meta:
        model = ServiceLevel
        fields = ["vendor", "severity", "calendar"]


class IncidentFilter(django_filters.FilterSet):
    vendor = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="vendor_id", label=_("Only the incidents of this vendor (id)."))
    )
    breached = django_filters.BooleanFilter(
        method="filter_breached",
        label=_("true: only the incidents whose response or resolution is late; false: the others."),
    )

    class Meta:
        model = Incident
        fields = ["status", "severity", "vendor", "breached"]

    def filter_breached(self, queryset: QuerySet[Incident], name: str, value: bool | None) -> QuerySet[Incident]:
        if value is None:
            return queryset
        view = self.request.parser_context["view"]  # the clocks are worked out once per request, on the view
        incidents = list(queryset)
        view.sla.measure(incidents)
        late = [incident.pk for incident in incidents if (clock := view.sla.clocks[incident.pk]) and clock.breached]
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


# --- Views -----------------------------------------------------------------------------------


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


class BusinessCalendarViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's business calendars: working hours per weekday in a time zone, the country's public holidays
    and make-up working days, and days of their own (`days`, read-only here). SLA hours count on them.

    A calendar a service level uses cannot be deleted (409 Conflict): move the service levels first.
    """

    serializer_class = BusinessCalendarSerializer
    queryset = BusinessCalendar.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "calendar_id"
    filterset_fields = ["country", "always"]

    def get_queryset(self) -> QuerySet[BusinessCalendar]:
        return self.project.calendars.prefetch_related("days").order_by("name", "pk")

    def perform_create(self, serializer: BusinessCalendarSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            calendar = services.calendar_save(BusinessCalendar(project=self.project, **data), user=self.request.user)
        serializer.instance = self.get_queryset().get(pk=calendar.pk)

    def perform_update(self, serializer: BusinessCalendarSerializer) -> None:
        expected, data = _changes(serializer)
        calendar = BusinessCalendar.objects.get(pk=serializer.instance.pk)
        for name, value in data.items():
            setattr(calendar, name, value)
        with service_errors():
            services.calendar_save(calendar, user=self.request.user, expected_version=expected)
        serializer.instance = self.get_queryset().get(pk=calendar.pk)

    def perform_destroy(self, instance: BusinessCalendar) -> None:
        try:
            services.calendar_delete(instance, user=self.request.user)
        except services.SLAError as exc:
            raise Conflict(str(exc)) from exc


class CalendarDayViewSet(
    ProjectScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A calendar's own days, by date: closures (the annual stock-take, a move) and working days the public
    calendar does not know (a make-up day announced late). A day is added or deleted, not changed."""

    serializer_class = CalendarDaySerializer
    queryset = CalendarDay.objects.none()  # for the schema; get_queryset scopes to the calendar
    lookup_url_kwarg = "calendar_day_id"
    filterset_fields = ["kind"]

    @cached_property
    def calendar(self) -> BusinessCalendar:
        """The calendar from the URL, looked up through the project: another project's calendar is 404."""
        return get_object_or_404(self.project.calendars, pk=self.kwargs["calendar_id"])

    def get_queryset(self) -> QuerySet[CalendarDay]:
        return self.calendar.days.order_by("date")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "project", None) is not None:
            context["calendar"] = self.calendar
        return context

    def perform_create(self, serializer: CalendarDaySerializer) -> None:
        with service_errors("date"):
            day = services.calendar_day_add(
                CalendarDay(calendar=self.calendar, **serializer.validated_data), user=self.request.user
            )
        serializer.instance = day

    def perform_destroy(self, instance: CalendarDay) -> None:
        services.calendar_day_delete(instance, user=self.request.user)


class ServiceLevelViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """Each vendor's promise per severity: the first response and the resolution within so many business hours
    on a calendar. One per vendor and severity. Filter by ?vendor=<id>, ?severity= and ?calendar=<id>.

    Deleting one leaves its incidents without a service level (their SLA figures become null)."""

    serializer_class = ServiceLevelSerializer
    queryset = ServiceLevel.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "service_level_id"
    filterset_class = ServiceLevelFilter

    def get_queryset(self) -> QuerySet[ServiceLevel]:
        return self.project.service_levels.select_related("vendor").order_by("vendor__name", "vendor_id", "severity")

    def perform_create(self, serializer: ServiceLevelSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            level = services.service_level_save(ServiceLevel(project=self.project, **data), user=self.request.user)
        serializer.instance = self.get_queryset().get(pk=level.pk)

    def perform_update(self, serializer: ServiceLevelSerializer) -> None:
        expected, data = _changes(serializer)
        level = ServiceLevel.objects.select_related("calendar").get(pk=serializer.instance.pk)
        for name, value in data.items():
            setattr(level, name, value)
        with service_errors():
            services.service_level_save(level, user=self.request.user, expected_version=expected)
        serializer.instance = self.get_queryset().get(pk=level.pk)

    def perform_destroy(self, instance: ServiceLevel) -> None:
        services.service_level_delete(instance, user=self.request.user)


class IncidentMixin(ProjectScopedMixin):
    """The project's incidents with what their SLA figures need, and the figures handed to the serializer."""

    serializer_class = IncidentSerializer
    queryset = Incident.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_field = "number"
    lookup_url_kwarg = "incident_number"

    @cached_property
    def sla(self) -> SlaFigures:
        figures = SlaFigures()
        figures.project = getattr(self, "project", None)
        return figures

    def get_queryset(self) -> QuerySet[Incident]:
        return Incident.objects.filter(project=self.project).select_related(
            "requirement", "uat_case", "defect", "reporter__user", "assignee__user"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["sla"] = self.sla
        return context

    def _answer(self, incident: Incident, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=incident.pk)
        self.sla.clocks.pop(fresh.pk, None)
        self.sla.measure([fresh])
        return Response(self.get_serializer(fresh).data, status=code)


class IncidentListViewSet(IncidentMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The project's incidents, newest first, each with its SLA clocks now. Filter by ?status=, ?severity=,
    ?vendor=<id> and ?breached=true|false.

    POST opens one (testers may): the next number, status "new" at `opened_at`. Incidents are never deleted:
    they are the record SLA compliance and the hypercare exit are measured from; close them instead.
    """

    write_capability = "execute"
    filterset_class = IncidentFilter

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.sla.measure(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=IncidentSerializer, responses={201: IncidentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _version, data = _changes(serializer)
        if "reporter" not in data:
            data["reporter"] = self.membership
        with service_errors():
            incident = services.incident_create(project=self.project, user=request.user, **data)
        return self._answer(incident, status.HTTP_201_CREATED)


class IncidentViewSet(IncidentMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One incident by number (INC-007 is 7) with its SLA clocks now.

    PUT/PATCH change what it says (title, severity, vendor, links …) with the `version` read; re-rating the
    severity re-computes the clocks from the opening. The status moves by POST …/move/. Incidents are never deleted
    (there is no DELETE): they are the record SLA compliance and the hypercare exit are measured from.
    """

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self.get_object()
        serializer = self.get_serializer(incident, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        expected, data = _changes(serializer)
        data.pop("opened_at", None)
        fresh = Incident.objects.select_related("project").get(pk=incident.pk)
        with service_errors():
            services.incident_update(incident=fresh, expected_version=expected, user=request.user, **data)
        return self._answer(fresh)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        request=IncidentMoveSerializer,
        responses={200: IncidentSerializer},
        description=(
            "Move the incident's status now, or at `at` when recording after the fact, with an optional note. "
            "Answers with the incident and its clocks. A move its status does not allow (e.g. a closed incident) "
            "is 409 Conflict with the reason; a time in the future or before the last change is 400 on `at`."
        ),
    )
    def move(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self.get_object()
        params = IncidentMoveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            services.incident_move(
                incident=incident, status=data["status"], at=data.get("at"), note=data["note"], user=request.user
            )
        except services.SLAError as exc:
            current = Incident.objects.values_list("status", flat=True).get(pk=incident.pk)
            if data["status"] not in services.MOVES[current]:
                raise Conflict(str(exc)) from exc
            raise ValidationError({"at": [str(exc)]}) from exc
        return self._answer(incident)


class IncidentChangeViewSet(ProjectScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """An incident's status history, oldest first: each move, when it happened, who recorded it and why. The SLA
    clocks are computed from it."""

    serializer_class = IncidentChangeSerializer
    queryset = IncidentChange.objects.none()  # for the schema; get_queryset scopes to the incident
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[IncidentChange]:
        incident = get_object_or_404(Incident, project=self.project, number=self.kwargs["incident_number"])
        return incident.changes.select_related("by").order_by("at", "pk")
