"""API for data migration: data objects and their load order, profiled extracts (read-only), trial loads and
their reconciliations.

Reads need "view", writes need "edit". Every write goes through projects.services.migration; a stale
`version` is 409 Conflict, a refused value 400 with the service's message (a dependency circle names the
objects in it). Extracts are uploaded and profiled on the page; the API only reads the profiles. Decimal
figures travel as strings, e.g. "1250.5000".
"""

from functools import cached_property
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from projects.api.goals import MemberUsernameField
from projects.models import (
    DataObject,
    DataSignOff,
    ExtractProfile,
    Measure,
    Project,
    QualityCheck,
    Reconciliation,
    ReconciliationException,
    TrialLoad,
    Wave,
)
from projects.services import migration as services
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors

# --- Fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ProjectWaveField(serializers.RelatedField):
    """A migration wave of the request's project, by its number (1, 2 …)."""

    default_error_messages = {
        "no_wave": _("There is no wave {number} in this project."),
        "incorrect_type": _("Send the wave's number, not {data_type}."),
    }

    def get_queryset(self) -> QuerySet[Wave]:
        return self.context["project"].waves.all()

    def to_representation(self, wave: Wave) -> int:
        return wave.number

    def to_internal_value(self, data: Any) -> Wave:
        if isinstance(data, str) and data.strip().isdigit():
            data = int(data.strip())
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        wave = self.get_queryset().filter(number=data).first()
        if wave is None:
            self.fail("no_wave", number=data)
        return wave


@extend_schema_field(OpenApiTypes.STR)
class DataObjectNameField(serializers.RelatedField):
    """A data object of the request's project, by its name (ignoring case)."""

    default_error_messages = {
        "no_object": _("There is no data object “{name}” in this project."),
        "incorrect_type": _("Send the object's name as text, not {data_type}."),
    }

    def get_queryset(self) -> QuerySet[DataObject]:
        return self.context["project"].data_objects.all()

    def to_representation(self, data_object: DataObject) -> str:
        return data_object.name

    def to_internal_value(self, data: Any) -> DataObject:
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        match = self.get_queryset().filter(name__iexact=data.strip()).first()
        if match is None:
            self.fail("no_object", name=data.strip())
        return match


@extend_schema_field(OpenApiTypes.INT)
class ProjectDataObjectField(serializers.PrimaryKeyRelatedField):
    """A data object id; only the request's project's objects exist for it."""

    default_error_messages = {"does_not_exist": _("There is no data object {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[DataObject]:
        return self.context["project"].data_objects.all()


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=4, read_only=True, **kwargs)


# --- Serializers: data objects ---------------------------------------------------------------


class QualityCheckSerializer(serializers.ModelSerializer):
    """A check every profiled extract of the object is held to (read-only here; set checks on the page)."""

    allowed = serializers.SerializerMethodField(help_text=_("The allowed values (kind “allowed”)."))
    reference = serializers.CharField(
        source="reference.name",
        read_only=True,
        allow_null=True,
        help_text=_("The object whose keys the values must be (kind “reference”), by name."),
    )

    class Meta:
        model = QualityCheck
        fields = ["id", "column", "kind", "label", "pattern", "allowed", "minimum", "maximum", "reference"]
        read_only_fields = fields

    def get_allowed(self, check: QualityCheck) -> list[str]:
        return [value.strip() for value in check.allowed.splitlines() if value.strip()]


class ProfileScoresSerializer(serializers.ModelSerializer):
    """The scores of an object's latest profiled extract (0–100)."""

    class Meta:
        model = ExtractProfile
        fields = ["id", "original_name", "created_at", "rows", "completeness", "accuracy", "uniqueness"]
        read_only_fields = fields


def _latest_profile(data_object: DataObject) -> ExtractProfile | None:
    """The newest profiled extract, as prefetched by the data object list, fetched only when not prefetched."""
    profiles = getattr(data_object, "done_profiles", None)
    if profiles is None:
        profiles = list(_done_profiles().filter(data_object=data_object)[:1])
    return profiles[0] if profiles else None


def _done_profiles() -> QuerySet[ExtractProfile]:
    done = ExtractProfile.objects.filter(status=ExtractProfile.Status.DONE)
    return done.defer("result").order_by("-created_at", "-pk")


def _load_positions(context: dict[str, Any]) -> dict[int, int]:
    """Each object's 1-based place in the project's load order, worked out once per response."""
    if "load_positions" not in context:
        try:
            order = services.project_load_order(context["project"])
        except services.DependencyCycle:  # only data written around the services can hold one
            order = []
        context["load_positions"] = {data_object.pk: place for place, data_object in enumerate(order, start=1)}
    return context["load_positions"]


class DataObjectSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    steward = MemberUsernameField(
        required=False, allow_null=True, help_text=_("User name of the data steward (a project member), or null.")
    )
    wave = ProjectWaveField(required=False, allow_null=True, help_text=_("Number of the migration wave, or null."))
    depends_on = DataObjectNameField(
        many=True,
        required=False,
        help_text=_(
            "Names of the objects that must be loaded first, replacing the current ones when sent; [] clears "
            "them. A circle is refused."
        ),
    )
    load_position = serializers.SerializerMethodField(
        help_text=_("Place in the project's load order (1 = loaded first).")
    )
    latest_profile = serializers.SerializerMethodField(
        help_text=_("Scores of the latest profiled extract, or null before the first.")
    )
    checks = QualityCheckSerializer(many=True, read_only=True)

    class Meta:
        model = DataObject
        fields = [
            "id",
            "name",
            "kind",
            "nature",
            "source_system",
            "steward",
            "record_count",
            "key_columns",
            "description",
            "wave",
            "depends_on",
            "load_position",
            "latest_profile",
            "checks",
            "version",
        ]

    def get_load_position(self, data_object: DataObject) -> int | None:
        return _load_positions(self.context).get(data_object.pk)

    @extend_schema_field(ProfileScoresSerializer(allow_null=True))
    def get_latest_profile(self, data_object: DataObject) -> dict[str, Any] | None:
        profile = _latest_profile(data_object)
        return ProfileScoresSerializer(profile).data if profile is not None else None


class LoadOrderSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True, help_text=_("1 = loaded first."))
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    nature = serializers.ChoiceField(choices=DataObject.Nature.choices, read_only=True)
    wave = serializers.IntegerField(source="wave.number", read_only=True, allow_null=True)
    depends_on = serializers.ListField(
        child=serializers.CharField(),
        source="dependency_names",
        read_only=True,
        help_text=_("Names of the objects it needs, all earlier in the order."),
    )


# --- Serializers: profiles -------------------------------------------------------------------


class ProfileSerializer(serializers.ModelSerializer):
    object = serializers.IntegerField(source="data_object_id", read_only=True, help_text=_("Id of the data object."))
    object_name = serializers.CharField(source="data_object.name", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = ExtractProfile
        fields = [
            "id",
            "object",
            "object_name",
            "original_name",
            "size",
            "uploaded_by",
            "created_at",
            "status",
            "progress",
            "error",
            "rows",
            "completeness",
            "accuracy",
            "uniqueness",
            "finished_at",
        ]
        read_only_fields = fields


class ProfileDetailSerializer(ProfileSerializer):
    result = serializers.JSONField(
        read_only=True, help_text=_("What profiling found: per column completeness, distinct values, checks…")
    )

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "result"]
        read_only_fields = fields


# --- Serializers: loads and reconciliations --------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    difference = _decimal(help_text=_("Target − source."))
    allowed_difference = _decimal(help_text=_("The tolerance as an absolute difference."))
    within_tolerance = serializers.BooleanField(read_only=True)

    class Meta:
        model = Measure
        fields = [
            "name",
            "source_value",
            "target_value",
            "tolerance",
            "tolerance_kind",
            "difference",
            "allowed_difference",
            "within_tolerance",
        ]
        read_only_fields = fields


class ExceptionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.user.username", read_only=True, allow_null=True)

    class Meta:
        model = ReconciliationException
        fields = ["id", "record_key", "description", "owner", "disposition"]
        read_only_fields = fields


class DataSignOffSerializer(serializers.ModelSerializer):
    signer = serializers.CharField(source="signer.username", read_only=True)

    class Meta:
        model = DataSignOff
        fields = ["signer", "signed_at", "verdict", "comment"]
        read_only_fields = fields


class ReconciliationSerializer(serializers.ModelSerializer):
    object = serializers.IntegerField(source="data_object_id", read_only=True, help_text=_("Id of the data object."))
    object_name = serializers.CharField(source="data_object.name", read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    exceptions = ExceptionSerializer(many=True, read_only=True)
    signoffs = DataSignOffSerializer(many=True, read_only=True)

    class Meta:
        model = Reconciliation
        fields = ["id", "object", "object_name", "verdict", "measures", "exceptions", "signoffs"]
        read_only_fields = fields


class TrialLoadSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    reconciliations = ReconciliationSerializer(
        many=True, read_only=True, help_text=_("Per object: its control figures, exceptions and sign-offs.")
    )

    class Meta:
        model = TrialLoad
        fields = ["id", "number", "name", "environment", "loaded_on", "notes", "reconciliations", "version"]
        read_only_fields = ["number"]


class MeasureInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160, help_text=_("e.g. Record count; a known name changes that figure."))
    source_value = serializers.DecimalField(max_digits=20, decimal_places=4)
    target_value = serializers.DecimalField(max_digits=20, decimal_places=4)
    tolerance = serializers.DecimalField(max_digits=20, decimal_places=4, required=False)
    tolerance_kind = serializers.ChoiceField(choices=Measure.ToleranceKind.choices, required=False)


class ReconciliationInputSerializer(serializers.Serializer):
    object = ProjectDataObjectField(help_text=_("Id of a data object of this project."))
    measures = MeasureInputSerializer(
        many=True, allow_empty=False, help_text=_("The control figures, all saved or, when one is refused, none.")
    )


# --- Filters ---------------------------------------------------------------------------------


class DataObjectFilter(django_filters.FilterSet):
    wave = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="wave__number", label=_("Only the objects of this wave (number)."))
    )
    steward = django_filters.CharFilter(
        field_name="steward__user__username", lookup_expr="iexact", label=_("Only the objects of this steward.")
    )

    class Meta:
        model = DataObject
        fields = ["nature", "kind", "wave", "steward"]


class ProfileFilter(django_filters.FilterSet):
    object = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="data_object_id", label=_("Only the extracts of this object (id)."))
    )

    class Meta:
        model = ExtractProfile
        fields = ["object", "status"]


# --- Views -----------------------------------------------------------------------------------


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


def data_objects_for(project: Project) -> QuerySet[DataObject]:
    return project.data_objects.select_related("wave", "steward__user").prefetch_related(
        Prefetch("depends_on", queryset=DataObject.objects.only("pk", "name").order_by("name")),
        Prefetch("profiles", queryset=_done_profiles(), to_attr="done_profiles"),
        Prefetch("checks", queryset=QualityCheck.objects.select_related("reference").order_by("column", "pk")),
    )


def reconciliations() -> QuerySet[Reconciliation]:
    return Reconciliation.objects.select_related("data_object").prefetch_related(
        "measures",
        Prefetch("exceptions", queryset=ReconciliationException.objects.select_related("owner__user")),
        Prefetch("signoffs", queryset=DataSignOff.objects.select_related("signer")),
    )


class DataObjectViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's data objects with their dependencies, load position, latest scores and checks.

    Filter by ?nature=, ?kind=, ?wave=<number> and ?steward=<user name>.
    """

    serializer_class = DataObjectSerializer
    queryset = DataObject.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "object_id"
    filterset_class = DataObjectFilter

    def get_queryset(self) -> QuerySet[DataObject]:
        return data_objects_for(self.project).order_by("name")

    def perform_create(self, serializer: DataObjectSerializer) -> None:
        _version, data = _changes(serializer)
        depends_on = data.pop("depends_on", ())
        with service_errors():
            data_object = services.data_object_create(
                project=self.project, depends_on=depends_on, user=self.request.user, **data
            )
        serializer.instance = self.get_queryset().get(pk=data_object.pk)

    def perform_update(self, serializer: DataObjectSerializer) -> None:
        expected, data = _changes(serializer)
        depends_on = data.pop("depends_on", None)
        data_object = DataObject.objects.select_related("project").get(pk=serializer.instance.pk)
        with service_errors():
            services.data_object_update(
                data_object=data_object,
                expected_version=expected,
                depends_on=depends_on,
                user=self.request.user,
                **data,
            )
        serializer.instance = self.get_queryset().get(pk=data_object.pk)

    def perform_destroy(self, instance: DataObject) -> None:
        with service_errors():
            services.data_object_delete(data_object=instance)


class LoadOrderViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """The project's data objects in load order: each after what it depends on, static before dynamic."""

    serializer_class = LoadOrderSerializer
    queryset = DataObject.objects.none()  # for the schema; list works out the order
    filter_backends: list = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with service_errors():
            order = services.project_load_order(self.project)
        names = {data_object.pk: data_object.name for data_object in order}
        needs: dict[int, list[str]] = {data_object.pk: [] for data_object in order}
        through = DataObject.depends_on.through
        for from_id, to_id in through.objects.filter(from_dataobject__project=self.project).values_list(
            "from_dataobject_id", "to_dataobject_id"
        ):
            needs[from_id].append(names[to_id])
        for position, data_object in enumerate(order, start=1):
            data_object.position = position
            data_object.dependency_names = sorted(needs[data_object.pk], key=str.lower)
        page = self.paginate_queryset(order)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProfileViewSet(ProjectScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The profiled extracts of the project's data objects, newest first; read-only (upload on the page).

    Filter by ?object=<id> and ?status=. The list leaves out each profile's `result`; the detail has it.
    """

    queryset = ExtractProfile.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "profile_id"
    filterset_class = ProfileFilter

    def get_queryset(self) -> QuerySet[ExtractProfile]:
        profiles = ExtractProfile.objects.filter(data_object__project=self.project).select_related(
            "data_object", "uploaded_by"
        )
        if self.action == "list":
            profiles = profiles.defer("result")
        return profiles.order_by("-created_at", "-pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ProfileSerializer if self.action == "list" else ProfileDetailSerializer


class TrialLoadViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's trial loads in order, each with its reconciliations per object (read-only here)."""

    serializer_class = TrialLoadSerializer
    queryset = TrialLoad.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "load_id"
    filterset_fields = ["environment"]

    def get_queryset(self) -> QuerySet[TrialLoad]:
        return self.project.trial_loads.prefetch_related(
            Prefetch("reconciliations", queryset=reconciliations())
        ).order_by("number")

    def perform_create(self, serializer: TrialLoadSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            load = services.trial_load_create(project=self.project, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=load.pk)

    def perform_update(self, serializer: TrialLoadSerializer) -> None:
        expected, data = _changes(serializer)
        load = TrialLoad.objects.get(pk=serializer.instance.pk)
        with service_errors():
            services.trial_load_update(load=load, expected_version=expected, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=load.pk)


class ReconciliationViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """Record one object's control figures in one load; the verdict follows from them and their tolerances."""

    serializer_class = ReconciliationInputSerializer
    queryset = Reconciliation.objects.none()  # for the schema; create looks up the load
    filter_backends: list = []

    @cached_property
    def load(self) -> TrialLoad:
        """The load from the URL, looked up through the project: another project's load is 404."""
        return get_object_or_404(self.project.trial_loads, pk=self.kwargs["load_id"])

    @extend_schema(
        request=ReconciliationInputSerializer,
        responses={201: ReconciliationSerializer, 200: ReconciliationSerializer},
        description=(
            "Set control figures of one object in this load (a figure with a known name is changed). All are "
            "saved or none; 201 when the object was not reconciled in this load yet, 200 when it was."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        load = self.load
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        with service_errors("measures"):
            reconciliation, created = services.reconciliation_record(
                load=load, data_object=params.validated_data["object"], measures=params.validated_data["measures"]
            )
        fresh = reconciliations().get(pk=reconciliation.pk)
        data = ReconciliationSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
