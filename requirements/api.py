"""API for requirements and baselines: requirements by key, the review workflow, signed baselines compared.

Reads need "view"; requirement writes need "edit", a status change "execute" (the workflow then decides
per move and role), signing a baseline "manage". Every write goes through requirements.services; a
stale `version` is 409 Conflict, a refused change 400 with the service's or the model's message.
A signed baseline never changes: it has no update or delete.
"""

from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from projects.api.goals import MemberUsernameField
from projects.models import KPI, Finding, Goal, Project
from requirements import services
from requirements.models import Baseline, BaselineItem, Requirement
from requirements.selectors import baselines as baseline_selectors
from requirements.suspects import annotate_suspect
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors

TODAY = "today"

# --- Fields ----------------------------------------------------------------------------------


class ProjectRequirementField(serializers.SlugRelatedField):
    """A requirement of the request's project, by key (REQ-001)."""

    default_error_messages = {"does_not_exist": _("There is no requirement {value} in this project.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="key", **kwargs)

    def get_queryset(self) -> QuerySet[Requirement]:
        return self.context["project"].requirements.all()


class ProjectGoalIdField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("There is no goal {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[Goal]:
        return self.context["project"].goals.all()


class ProjectKPIIdField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("There is no KPI {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[KPI]:
        return KPI.objects.filter(goal__project=self.context["project"]).select_related("goal")


class ProjectFindingIdField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("There is no finding {pk_value} in this project.")}

    def get_queryset(self) -> QuerySet[Finding]:
        return Finding.objects.filter(step__process__project=self.context["project"]).select_related("step__process")


# --- Serializers -----------------------------------------------------------------------------


class RequirementSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    owner = MemberUsernameField(
        required=False, allow_null=True, help_text=_("User name of a member of this project, or null.")
    )
    parent = ProjectRequirementField(
        required=False, allow_null=True, help_text=_("Key of the parent requirement in this project, or null.")
    )
    goals = ProjectGoalIdField(many=True, required=False, help_text=_("Ids of this project's goals it serves."))
    kpis = ProjectKPIIdField(many=True, required=False, help_text=_("Ids of this project's KPIs it moves."))
    findings = ProjectFindingIdField(
        many=True, required=False, help_text=_("Ids of the findings (pain points, risks) it answers.")
    )
    suspect = serializers.BooleanField(
        source="is_suspect",
        read_only=True,
        help_text=_("Something upstream (e.g. the parent) changed its meaning and this one was not reviewed since."),
    )

    class Meta:
        model = Requirement
        fields = [
            "key",
            "title",
            "statement",
            "layer",
            "category",
            "priority",
            "status",
            "acceptance_criteria",
            "owner",
            "source",
            "parent",
            "goals",
            "kpis",
            "findings",
            "suspect",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["key", "status", "created_at", "updated_at"]
        extra_kwargs = {"status": {"help_text": _("Change it with POST …/transition/.")}}


class RequirementTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(
        choices=Requirement.Status.choices, help_text=_("The status to move to; the workflow and your role decide.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Why, for the record."))


class BaselineSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.username", read_only=True)
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("Your own password: signing needs it re-entered."),
    )

    class Meta:
        model = Baseline
        fields = ["id", "name", "description", "signed_by", "signed_at", "requirement_count", "password"]
        read_only_fields = ["signed_at", "requirement_count"]


class BaselineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = BaselineItem
        fields = [*BaselineItem.SNAPSHOT_FIELDS]
        read_only_fields = fields


class BaselineDetailSerializer(BaselineSerializer):
    items = BaselineItemSerializer(
        many=True, read_only=True, source="item_list", help_text=_("The requirements exactly as signed, by key.")
    )

    class Meta(BaselineSerializer.Meta):
        fields = [*BaselineSerializer.Meta.fields, "items"]


class BaselineCompareQuerySerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text=_("Id of a baseline of this project."))
    b = serializers.CharField(
        default=TODAY,
        help_text=_("Id of another baseline, or “today” for the requirements agreed now (the default)."),
    )

    def validate_a(self, value: int) -> Baseline:
        return _baseline_or_error(self.context["project"], value)

    def validate_b(self, value: str) -> Baseline | None:
        if value.strip().lower() == TODAY:
            return None
        try:
            return _baseline_or_error(self.context["project"], int(value))
        except ValueError:
            raise serializers.ValidationError(_("Send a baseline id or “today”.")) from None


def _baseline_or_error(project: Project, pk: int) -> Baseline:
    baseline = baseline_selectors.baseline_list(project=project).filter(pk=pk).first()
    if baseline is None:
        raise serializers.ValidationError(_("There is no baseline %(id)s in this project.") % {"id": pk})
    return baseline


class ComparedRowSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["unchanged", "changed", "removed", "added"],
        read_only=True,
        help_text=_("added: only in b; removed: only in a."),
    )
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True, help_text=_("The title in b, or in a when removed."))
    version_a = serializers.IntegerField(read_only=True, allow_null=True)
    version_b = serializers.IntegerField(read_only=True, allow_null=True)
    changed = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The names of the fields that differ (title, statement, …, status, version)."),
    )


class BaselineComparisonSerializer(serializers.Serializer):
    a = BaselineSerializer(read_only=True)
    b = BaselineSerializer(read_only=True, allow_null=True, help_text=_("null: today's agreed requirements."))
    rows = ComparedRowSerializer(many=True, read_only=True, help_text=_("In key order."))


# --- Filters ---------------------------------------------------------------------------------


class RequirementFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(
        field_name="owner__user__username", lookup_expr="iexact", label=_("Only those owned by this user name.")
    )
    goal = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="goals", label=_("Only those linked to this goal (id)."))
    )
    suspect = extend_schema_field(OpenApiTypes.BOOL)(
        django_filters.BooleanFilter(
            field_name="is_suspect", label=_("Only those with (true) or without an open suspect flag.")
        )
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Text in the key, title or statement."))

    class Meta:
        model = Requirement
        fields = ["layer", "priority", "status", "category", "owner", "goal", "suspect", "search"]

    def filter_search(self, queryset: QuerySet[Requirement], name: str, value: str) -> QuerySet[Requirement]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(key__icontains=value) | Q(title__icontains=value) | Q(statement__icontains=value))


# --- Views -----------------------------------------------------------------------------------


def _requirements(project: Project) -> QuerySet[Requirement]:
    """The project's requirements with everything a row shows joined, prefetched or annotated."""
    queryset = project.requirements.select_related("owner__user", "parent").prefetch_related(
        # Rows show the ids only: load nothing else of the linked items.
        Prefetch("goals", queryset=Goal.objects.only("pk")),
        Prefetch("kpis", queryset=KPI.objects.only("pk")),
        Prefetch("findings", queryset=Finding.objects.only("pk")),
    )
    return annotate_suspect(queryset)


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


class RequirementViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's requirements in key order, addressed by key. Only drafts can be deleted.

    Filter by ?layer=, ?priority=, ?status=, ?category=, ?owner=<user name>, ?goal=<id>, ?suspect= and ?search=.
    """

    serializer_class = RequirementSerializer
    queryset = Requirement.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_field = "key"
    lookup_url_kwarg = "key"
    filterset_class = RequirementFilter

    def get_queryset(self) -> QuerySet[Requirement]:
        return _requirements(self.project)

    def perform_create(self, serializer: RequirementSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            requirement = services.requirement_create(project=self.project, **data)
        serializer.instance = self.get_queryset().get(pk=requirement.pk)

    def perform_update(self, serializer: RequirementSerializer) -> None:
        expected, data = _changes(serializer)
        requirement = Requirement.objects.select_related("project").get(pk=serializer.instance.pk)
        with service_errors():
            services.requirement_update(
                requirement=requirement, expected_version=expected, user=self.request.user, **data
            )
        serializer.instance = self.get_queryset().get(pk=requirement.pk)

    def perform_destroy(self, instance: Requirement) -> None:
        with service_errors():
            services.requirement_delete(requirement=instance)


class RequirementTransitionViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """Moves a requirement along the review workflow. Calling needs "execute"; the workflow decides per move:
    editors send to review and mark implemented, owners approve, reject and defer, testers verify."""

    serializer_class = RequirementTransitionSerializer
    queryset = Requirement.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_field = "key"
    lookup_url_kwarg = "key"
    write_capability = "execute"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Requirement]:
        return _requirements(self.project)

    @extend_schema(request=RequirementTransitionSerializer, responses={200: RequirementSerializer})
    def transition(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        requirement = self.get_object()
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        with service_errors("to_status"):
            services.requirement_transition(
                requirement=requirement, membership=self.membership, **params.validated_data
            )
        fresh = self.get_queryset().get(pk=requirement.pk)
        return Response(RequirementSerializer(fresh, context=self.get_serializer_context()).data)


class BaselineViewSet(
    ProjectScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The project's signed baselines, newest first. Creating one signs it (owners only, password re-entered);
    a signed baseline is never changed or deleted."""

    queryset = Baseline.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "baseline_id"
    write_capability = "manage"
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Baseline]:
        return baseline_selectors.baseline_list(project=self.project)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        baseline = self.get_object()
        baseline.item_list = list(baseline_selectors.baseline_items(baseline=baseline))
        return Response(self.get_serializer(baseline).data)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return BaselineDetailSerializer if self.action == "retrieve" else BaselineSerializer

    def perform_create(self, serializer: BaselineSerializer) -> None:
        with service_errors():
            baseline = services.baseline_sign(
                project=self.project, membership=self.membership, **serializer.validated_data
            )
        serializer.instance = self.get_queryset().get(pk=baseline.pk)


class BaselineCompareViewSet(ProjectScopedMixin, viewsets.GenericViewSet):
    """Baseline a compared with baseline b, or with the requirements agreed today (b=today)."""

    serializer_class = BaselineComparisonSerializer
    queryset = Baseline.objects.none()  # for the schema; get_queryset scopes to the project
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Baseline]:
        return baseline_selectors.baseline_list(project=self.project)

    @extend_schema(parameters=[BaselineCompareQuerySerializer])
    def compare(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = BaselineCompareQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        a, b = params.validated_data["a"], params.validated_data["b"]
        rows = baseline_selectors.baseline_compare(
            a_items=baseline_selectors.baseline_items(baseline=a),
            b_items=(
                baseline_selectors.agreed_today(project=self.project, against=a)
                if b is None
                else baseline_selectors.baseline_items(baseline=b)
            ),
        )
        return Response(self.get_serializer({"a": a, "b": b, "rows": [_row(row) for row in rows]}).data)


def _row(row: baseline_selectors.ItemComparison) -> dict[str, Any]:
    return {
        "status": row.status,
        "key": row.item.key,
        "title": row.item.title,
        "version_a": row.a.version if row.a is not None else None,
        "version_b": row.b.version if row.b is not None else None,
        "changed": [change.name for change in row.changes],
    }
