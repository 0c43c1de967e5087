"""API for process maps: processes with their steps and the flow between them, findings, templates, as-is → to-be.

Reads need "view", writes need "edit". Every write goes through projects.services.processes; a stale
`version` is 409 Conflict, a refused value 400 with the model's or the service's message. Step order
stays dense (1, 2, 3 …): `position` inserts or moves a step, the others renumber around it.
"""

from functools import cached_property
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from projects.models import Finding, Membership, Process, Step, StepLink
from projects.process_templates import TEMPLATES, ProcessTemplate
from projects.selectors import processes as selectors
from projects.services import processes as services
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors

# --- Fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class ProjectStepField(serializers.PrimaryKeyRelatedField):
    """A step id; only the steps of the request's project's processes exist for it."""

    def get_queryset(self) -> QuerySet[Step]:
        return Step.objects.filter(process__project=self.context["project"]).select_related("process")


# --- Serializers -----------------------------------------------------------------------------


class NextStepSerializer(serializers.Serializer):
    """One arrow out of a step: the step that may follow, and the arrow's label."""

    step = ProjectStepField(source="to_step", help_text=_("Id of a step of the same process."))
    label = serializers.CharField(
        max_length=60, default="", allow_blank=True, help_text=_("e.g. 'approved', 'failed check'.")
    )


def _next_of(step: Step) -> list[StepLink]:
    """The step's arrows in the order of their targets, as prefetched by selectors.process_steps or the step list."""
    links = getattr(step, "next_list", None)
    if links is None:
        links = step.next_list = list(step.links_out.all())  # StepLink's ordering sorts by target order
    return links


def _findings_of(step: Step) -> list[Finding]:
    findings = getattr(step, "findings_list", None)
    if findings is None:
        findings = step.findings_list = sorted(step.findings.all(), key=lambda f: (-f.severity, f.pk))
    return findings


class StepSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    next = NextStepSerializer(
        many=True,
        required=False,
        source="next_list",
        help_text=_(
            "The steps that may follow, replacing the current arrows when sent; [] clears them. "
            "Without arrows a step continues with the next step in order, unless it ends the process."
        ),
    )
    findings = serializers.SerializerMethodField(help_text=_("Ids of the findings on this step, most severe first."))
    position = serializers.IntegerField(
        write_only=True,
        required=False,
        min_value=1,
        help_text=_("Where to put the step (1 = first); past the end appends. The other steps renumber."),
    )

    class Meta:
        model = Step
        fields = [
            "id",
            "order",
            "lane",
            "action",
            "system",
            "manual",
            "duration_minutes",
            "ends_flow",
            "next",
            "findings",
            "position",
            "version",
        ]
        read_only_fields = ["order"]

    def validate_next(self, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
        targets = [link["to_step"].pk for link in links]
        if len(set(targets)) != len(targets):
            raise serializers.ValidationError(_("List each following step once."))
        return links

    def to_representation(self, step: Step) -> dict[str, Any]:
        _next_of(step)
        return super().to_representation(step)

    def get_findings(self, step: Step) -> list[int]:
        return [finding.pk for finding in _findings_of(step)]


class ProcessStepSerializer(StepSerializer):
    """A step as nested in its process (read-only; change steps under steps/)."""

    class Meta(StepSerializer.Meta):
        fields = [name for name in StepSerializer.Meta.fields if name not in ("position", "version")]
        read_only_fields = fields


class ProcessSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    derived_from = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("The as-is process this to-be process was copied from (id), or null.")
    )
    template_key = serializers.CharField(read_only=True, help_text=_("The template this process was copied from."))
    step_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Process
        fields = [
            "id",
            "name",
            "kind",
            "owner_department",
            "description",
            "derived_from",
            "template_key",
            "step_count",
            "version",
        ]


class ProcessDetailSerializer(ProcessSerializer):
    steps = ProcessStepSerializer(many=True, read_only=True, source="step_list", help_text=_("The steps in order."))

    class Meta(ProcessSerializer.Meta):
        fields = [*ProcessSerializer.Meta.fields, "steps"]

    def to_representation(self, process: Process) -> dict[str, Any]:
        if not hasattr(process, "step_list"):
            process.step_list = selectors.process_steps(process=process)
        return super().to_representation(process)


class ProcessDeriveSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("Name of the new to-be process; by default the as-is name with “(to-be)”."),
    )


class ProcessFromTemplateSerializer(serializers.Serializer):
    template = serializers.CharField(max_length=40, help_text=_("A key from process-templates/."))


class ProcessTemplateSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    department = serializers.ChoiceField(choices=Membership.Department.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    step_count = serializers.SerializerMethodField()

    def get_step_count(self, template: ProcessTemplate) -> int:
        return len(template.steps)


class ComparedStepSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    order = serializers.IntegerField(read_only=True)
    action = serializers.CharField(read_only=True)


class ComparisonRowSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["unchanged", "changed", "removed", "added"],
        read_only=True,
        help_text=_("removed: only in the as-is process; added: only in the to-be process."),
    )
    as_is = ComparedStepSerializer(read_only=True, allow_null=True)
    to_be = ComparedStepSerializer(read_only=True, allow_null=True)
    changed = serializers.SerializerMethodField(help_text=_("The names of the step fields that differ."))

    def get_changed(self, row: selectors.StepComparison) -> list[str]:
        if row.as_is is None or row.to_be is None:
            return []
        return [name for name in selectors.COMPARED_FIELDS if getattr(row.as_is, name) != getattr(row.to_be, name)]


class ProcessComparisonSerializer(serializers.Serializer):
    as_is = serializers.IntegerField(source="as_is.pk", read_only=True, help_text=_("Id of the as-is process."))
    to_be = serializers.IntegerField(source="to_be.pk", read_only=True, help_text=_("Id of the to-be process."))
    rows = ComparisonRowSerializer(many=True, read_only=True, help_text=_("In to-be order; removed steps in place."))


class FindingSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    step = ProjectStepField(help_text=_("Id of a step of one of this project's processes."))
    process = serializers.IntegerField(
        source="step.process_id", read_only=True, help_text=_("Id of the step's process.")
    )

    class Meta:
        model = Finding
        fields = ["id", "step", "process", "kind", "severity", "description", "evidence", "version"]


# --- Filters ---------------------------------------------------------------------------------


class FindingFilter(django_filters.FilterSet):
    severity_min = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="severity", lookup_expr="gte", label=_("At least this severity (1–5)."))
    )
    process = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="step__process_id", label=_("Only the findings of this process (id)."))
    )
    lane = django_filters.CharFilter(
        field_name="step__lane", lookup_expr="iexact", label=_("Only the findings on steps of this lane.")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Text in the description or the evidence."))

    class Meta:
        model = Finding
        fields = ["kind", "severity_min", "process", "lane", "search"]

    def filter_search(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(evidence__icontains=value))


# --- Views -----------------------------------------------------------------------------------


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


def _next_arguments(links: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "next_steps": [link["to_step"] for link in links],
        # A partial update leaves out the label's default.
        "labels": {link["to_step"].pk: link.get("label", "") for link in links},
    }


class ProcessViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's process maps; a process's steps come nested on retrieve. Filter by ?kind=."""

    queryset = Process.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "process_id"
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Process]:
        # process_list groups by process, which drops the model's default ordering.
        return selectors.process_list(project=self.project).order_by(*Process._meta.ordering)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ProcessSerializer if self.action == "list" else ProcessDetailSerializer

    def _created(self, process: Process) -> Response:
        fresh = self.get_queryset().get(pk=process.pk)
        data = ProcessDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_create(self, serializer: ProcessDetailSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            process = services.process_create(project=self.project, **data)
        serializer.instance = self.get_queryset().get(pk=process.pk)

    def perform_update(self, serializer: ProcessDetailSerializer) -> None:
        expected, data = _changes(serializer)
        process = Process.objects.get(pk=serializer.instance.pk)
        with service_errors():
            services.process_update(process=process, expected_version=expected, **data)
        serializer.instance = self.get_queryset().get(pk=process.pk)

    def perform_destroy(self, instance: Process) -> None:
        services.process_delete(process=instance)

    @extend_schema(
        request=ProcessDeriveSerializer,
        responses={201: ProcessDetailSerializer},
        description="Copy this as-is process (steps and arrows, not findings) into a new to-be process.",
    )
    def derive(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        process = self.get_object()
        params = ProcessDeriveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        with service_errors():
            to_be = services.process_derive_to_be(process=process, **params.validated_data)
        return self._created(to_be)

    @extend_schema(
        request=ProcessFromTemplateSerializer,
        responses={201: ProcessDetailSerializer},
        description="Copy a process template into the project as an as-is process, in the request's language.",
    )
    def from_template(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = ProcessFromTemplateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        with service_errors("template"):
            process = services.process_create_from_template(
                project=self.project, template_key=params.validated_data["template"]
            )
        return self._created(process)


class ProcessCompareViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """A to-be process compared step by step with the as-is process it was derived from."""

    serializer_class = ProcessComparisonSerializer
    queryset = Process.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "process_id"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Process]:
        """Only to-be processes with an as-is origin: anything else has nothing to compare with (404)."""
        return self.project.processes.filter(kind=Process.Kind.TO_BE, derived_from__isnull=False).select_related(
            "derived_from"
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        to_be = self.get_object()
        rows = selectors.process_compare(as_is=to_be.derived_from, to_be=to_be)
        return Response(self.get_serializer({"as_is": to_be.derived_from, "to_be": to_be, "rows": rows}).data)


class ProcessTemplateViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """The process templates a project can copy, in the request's language."""

    serializer_class = ProcessTemplateSerializer
    filter_backends: list = []

    def get_queryset(self) -> list[ProcessTemplate]:
        return TEMPLATES

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class StepViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The steps of one process in order. `position` inserts or moves; `next` replaces the arrows out."""

    serializer_class = StepSerializer
    queryset = Step.objects.none()  # for the schema; get_queryset scopes to the process
    lookup_url_kwarg = "step_id"
    filterset_fields = ["lane", "manual"]

    @cached_property
    def process(self) -> Process:
        """The process from the URL, looked up through the project: another project's process is 404."""
        return get_object_or_404(self.project.processes, pk=self.kwargs["process_id"])

    def get_queryset(self) -> QuerySet[Step]:
        return self.process.steps.order_by("order").prefetch_related("findings", "links_out")

    def perform_create(self, serializer: StepSerializer) -> None:
        _version, data = _changes(serializer)
        links = data.pop("next_list", None)
        position = data.pop("position", None)
        with service_errors("next"), transaction.atomic():
            step = services.step_insert(process=self.process, position=position, **data)
            if links is not None:
                services.step_set_next(step=step, **_next_arguments(links))
        serializer.instance = self.get_queryset().get(pk=step.pk)

    def perform_update(self, serializer: StepSerializer) -> None:
        expected, data = _changes(serializer)
        links = data.pop("next_list", None)
        position = data.pop("position", None)
        step = Step.objects.select_related("process").get(pk=serializer.instance.pk)
        # One transaction: a refused arrow or a stale version leaves the step as it was.
        with service_errors("next"), transaction.atomic():
            services.step_update(step=step, expected_version=expected, **data)
            if position is not None:
                services.step_move(step=step, position=position)
            if links is not None:
                services.step_set_next(step=step, **_next_arguments(links))
        serializer.instance = self.get_queryset().get(pk=step.pk)

    def perform_destroy(self, instance: Step) -> None:
        services.step_delete(step=instance)


class FindingViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The findings on the project's process steps, most severe first.

    Filter by ?kind=, ?severity_min=, ?process=<id>, ?lane= and ?search=.
    """

    serializer_class = FindingSerializer
    queryset = Finding.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "finding_id"
    filterset_class = FindingFilter

    def get_queryset(self) -> QuerySet[Finding]:
        return selectors.findings_for_project(project=self.project)

    def perform_create(self, serializer: FindingSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors("step"):
            finding = services.finding_create(**data)
        serializer.instance = self.get_queryset().get(pk=finding.pk)

    def perform_update(self, serializer: FindingSerializer) -> None:
        expected, data = _changes(serializer)
        finding = Finding.objects.select_related("step__process").get(pk=serializer.instance.pk)
        with service_errors("step"):
            services.finding_update(finding=finding, expected_version=expected, **data)
        serializer.instance = self.get_queryset().get(pk=finding.pk)

    def perform_destroy(self, instance: Finding) -> None:
        services.finding_delete(finding=instance)
