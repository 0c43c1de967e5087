"""API for why the upgrade happens and what it must achieve: drivers, goals, KPIs and measurements.

Reads need "view", writes need "edit". Every write goes through projects.services.goals; a stale
`version` is 409 Conflict, a refused value 400 with the model's message.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import django_filters
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from projects.attainment import State, worst_state
from projects.models import KPI, Driver, Goal, Measurement, Membership
from projects.selectors import goals as selectors
from projects.services import goals as services
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors
from workbench.numbers import plain_decimal

# --- Fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class MemberUsernameField(serializers.RelatedField):
    """A member of the request's project, by user name (ignoring case, as the team page does)."""

    default_error_messages = {
        "not_member": _("“{username}” is not a member of this project."),
        "incorrect_type": _("Send the user name as text, not {data_type}."),
    }

    def get_queryset(self) -> QuerySet[Membership]:
        return self.context["project"].memberships.select_related("user")

    def to_representation(self, membership: Membership) -> str:
        return membership.user.get_username()

    def to_internal_value(self, data: Any) -> Membership:
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        match = self.get_queryset().filter(user__username__iexact=data.strip()).first()
        if match is None:
            self.fail("not_member", username=data.strip())
        return match


class ProjectDriverField(serializers.PrimaryKeyRelatedField):
    """A driver id; only the request's project's drivers exist for it."""

    def get_queryset(self) -> QuerySet[Driver]:
        return self.context["project"].drivers.all()


class ProjectGoalField(serializers.PrimaryKeyRelatedField):
    """A goal id; only the request's project's goals exist for it."""

    def get_queryset(self) -> QuerySet[Goal]:
        return self.context["project"].goals.all()


# --- Serializers -----------------------------------------------------------------------------


class DriverSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    goals = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("The goals that answer this driver (set them on the goal).")
    )

    class Meta:
        model = Driver
        fields = ["id", "category", "statement", "evidence", "severity", "goals", "version"]


class GoalSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    owner = MemberUsernameField(
        required=False, allow_null=True, help_text=_("User name of a member of this project, or null.")
    )
    drivers = ProjectDriverField(many=True, required=False, help_text=_("Ids of this project's drivers."))
    state = serializers.ChoiceField(
        choices=State.choices, read_only=True, help_text=_("The worst state among the goal's measured KPIs.")
    )
    kpis = serializers.SerializerMethodField(help_text=_("Ids of the goal's KPIs."))

    class Meta:
        model = Goal
        fields = ["id", "statement", "description", "owner", "due", "drivers", "state", "kpis", "version"]

    def to_representation(self, goal: Goal) -> dict[str, Any]:
        today = timezone.localdate()
        goal.state = worst_state([selectors.kpi_progress(kpi, today=today).state for kpi in _kpis_of(goal)])
        return super().to_representation(goal)

    def get_kpis(self, goal: Goal) -> list[int]:
        return [kpi.pk for kpi in _kpis_of(goal)]


def _kpis_of(goal: Goal) -> list[KPI]:
    """The goal's KPIs as prefetched by selectors.goal_list, fetched only when a goal comes from elsewhere."""
    kpis = getattr(goal, "kpi_list", None)
    if kpis is None:
        kpis = goal.kpi_list = list(selectors.kpis_with_latest(goal.kpis.order_by("pk")))
    return kpis


class KPISerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    goal = ProjectGoalField(help_text=_("Id of a goal of this project."))
    latest_value = serializers.DecimalField(
        max_digits=18, decimal_places=4, read_only=True, allow_null=True, help_text=_("The newest measurement.")
    )
    latest_date = serializers.DateField(read_only=True, allow_null=True, help_text=_("The date of the newest one."))
    attainment = serializers.DecimalField(
        source="progress.attainment",
        max_digits=None,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text=_("(latest − baseline) ÷ (target − baseline): 0 at the baseline, 1 at the target; null unmeasured."),
    )
    state = serializers.ChoiceField(source="progress.state", choices=State.choices, read_only=True)

    class Meta:
        model = KPI
        fields = [
            "id",
            "goal",
            "name",
            "unit",
            "formula",
            "direction",
            "baseline",
            "baseline_date",
            "target",
            "frequency",
            "source_system",
            "library_key",
            "latest_value",
            "latest_date",
            "attainment",
            "state",
            "version",
        ]
        read_only_fields = ["library_key"]

    def to_representation(self, kpi: KPI) -> dict[str, Any]:
        kpi.progress = selectors.kpi_progress(kpi, today=timezone.localdate())
        return super().to_representation(kpi)


class MeasurementSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "date", "value", "source", "note", "version"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        day = attrs.get("date")
        if day is not None:
            taken = self.context["kpi"].measurements.filter(date=day)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            existing = taken.first()
            if existing is not None:
                raise serializers.ValidationError({"date": [_duplicate_date_message(existing)]})
        return attrs


def _duplicate_date_message(existing: Measurement) -> str:
    return _("%(date)s already has the value %(value)s (measurement %(id)s). Change that one instead.") % {
        "date": existing.date.isoformat(),
        "value": plain_decimal(existing.value),
        "id": existing.pk,
    }


# --- Filters ---------------------------------------------------------------------------------


class KPIFilter(django_filters.FilterSet):
    goal = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="goal_id", label=_("Only the KPIs of this goal (id)."))
    )

    class Meta:
        model = KPI
        fields = ["goal", "direction", "frequency"]


class MeasurementFilter(django_filters.FilterSet):
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("On or after this date."))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("On or before this date."))

    class Meta:
        model = Measurement
        fields = ["date_after", "date_before"]


# --- Views -----------------------------------------------------------------------------------


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


class DriverViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's upgrade drivers. A goal lists the drivers it answers."""

    serializer_class = DriverSerializer
    queryset = Driver.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "driver_id"
    filterset_fields = ["category", "severity"]

    def get_queryset(self) -> QuerySet[Driver]:
        return self.project.drivers.prefetch_related("goals")

    def perform_create(self, serializer: DriverSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            driver = services.driver_create(project=self.project, **data)
        serializer.instance = self.get_queryset().get(pk=driver.pk)

    def perform_update(self, serializer: DriverSerializer) -> None:
        expected, data = _changes(serializer)
        driver = Driver.objects.get(pk=serializer.instance.pk)
        with service_errors():
            services.driver_update(driver=driver, expected_version=expected, **data)
        serializer.instance = self.get_queryset().get(pk=driver.pk)

    def perform_destroy(self, instance: Driver) -> None:
        services.driver_delete(driver=instance)


class GoalViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's goals with their state; KPIs are added under kpis/."""

    serializer_class = GoalSerializer
    queryset = Goal.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "goal_id"

    def get_queryset(self) -> QuerySet[Goal]:
        return selectors.goal_list(project=self.project)

    def perform_create(self, serializer: GoalSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors("drivers"):
            goal = services.goal_create(project=self.project, **data)
        serializer.instance = self.get_queryset().get(pk=goal.pk)

    def perform_update(self, serializer: GoalSerializer) -> None:
        expected, data = _changes(serializer)
        goal = Goal.objects.select_related("project").get(pk=serializer.instance.pk)
        with service_errors("drivers"):
            services.goal_update(goal=goal, expected_version=expected, **data)
        serializer.instance = self.get_queryset().get(pk=goal.pk)

    def perform_destroy(self, instance: Goal) -> None:
        services.goal_delete(goal=instance)


class KPIViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's KPIs with their latest value, attainment and state. Filter by ?goal=<id>."""

    serializer_class = KPISerializer
    queryset = KPI.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "kpi_id"
    filterset_class = KPIFilter

    def get_queryset(self) -> QuerySet[KPI]:
        return selectors.kpi_list(project=self.project)

    def perform_create(self, serializer: KPISerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            kpi = services.kpi_create(**data)
        serializer.instance = self.get_queryset().get(pk=kpi.pk)

    def perform_update(self, serializer: KPISerializer) -> None:
        expected, data = _changes(serializer)
        kpi = KPI.objects.get(pk=serializer.instance.pk)
        with service_errors():
            services.kpi_update(kpi=kpi, expected_version=expected, **data)
        serializer.instance = self.get_queryset().get(pk=kpi.pk)

    def perform_destroy(self, instance: KPI) -> None:
        services.kpi_delete(kpi=instance)


class MeasurementViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The measured values of one KPI, oldest first. Filter by ?date_after= and ?date_before= (inclusive)."""

    serializer_class = MeasurementSerializer
    queryset = Measurement.objects.none()  # for the schema; get_queryset scopes to the KPI
    lookup_url_kwarg = "measurement_id"
    filterset_class = MeasurementFilter

    @cached_property
    def kpi(self) -> KPI:
        """The KPI from the URL, looked up through the project: another project's KPI is 404."""
        return get_object_or_404(KPI.objects.filter(goal__project=self.project), pk=self.kwargs["kpi_id"])

    def get_queryset(self) -> QuerySet[Measurement]:
        return self.kpi.measurements.order_by("date")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "project", None) is not None:
            context["kpi"] = self.kpi
        return context

    def perform_create(self, serializer: MeasurementSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors(), _taken_date(data):
            serializer.instance = services.measurement_create(kpi=self.kpi, **data)

    def perform_update(self, serializer: MeasurementSerializer) -> None:
        expected, data = _changes(serializer)
        measurement = Measurement.objects.get(pk=serializer.instance.pk)
        with service_errors(), _taken_date(data):
            serializer.instance = services.measurement_update(
                measurement=measurement, expected_version=expected, **data
            )

    def perform_destroy(self, instance: Measurement) -> None:
        services.measurement_delete(measurement=instance)


@contextmanager
def _taken_date(data: dict[str, Any]) -> Iterator[None]:
    """A concurrent request took the date between validation and save: 400, not 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        day = data.get("date")
        message = _("%(date)s already has a value. Change that one instead.") % {
            "date": day.isoformat() if day else "—"
        }
        raise ValidationError({"date": [message]}) from exc
