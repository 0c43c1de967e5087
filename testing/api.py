"""API for UAT: cases by key, runs (checklists), executions step by step, defects.

Reads need "view". Cases and runs are written with "edit"; recording results, retests and defects need
"execute", so a tester records results and raises defects but cannot change a case or a run (403).
A vendor-portal member gets 403 on all of it, a non-member 404. Every write goes through
`testing.services`; a stale `version` is 409 Conflict, a refused change 400 with the rule's message.
Defects are never deleted: their status says what became of them.
"""

from functools import cached_property
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from projects.models import Project
from requirements.api import ProjectRequirementField
from requirements.models import Requirement
from requirements.suspects import annotate_suspect
from testing import services
from testing.models import CaseStep, Defect, Execution, RunCase, SignOff, StepResult, TestRun, UATCase
from testing.models.runs import STEP_STATUSES, Result
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors

# --- Fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class ProjectCaseField(serializers.SlugRelatedField):
    """A UAT case of the request's project, by key (UAT-001)."""

    default_error_messages = {"does_not_exist": _("There is no case {value} in this project.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="key", **kwargs)

    def get_queryset(self) -> QuerySet[UATCase]:
        return UATCase.objects.filter(project=self.context["project"])

    def to_internal_value(self, data: Any) -> UATCase:
        return super().to_internal_value(data.strip().upper() if isinstance(data, str) else data)


@extend_schema_field(OpenApiTypes.INT)
class ProjectRunCaseField(serializers.PrimaryKeyRelatedField):
    """A case in one of the project's runs, by its id (the `id` of an execution row)."""

    default_error_messages = {"does_not_exist": _("There is no case {pk_value} in this project's runs.")}

    def get_queryset(self) -> QuerySet[RunCase]:
        return RunCase.objects.filter(run__project=self.context["project"]).select_related("run", "case")


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _case_key(run_case: RunCase) -> str:
    """The key frozen into the run, or the case's own while the run is planned."""
    return run_case.frozen_key or run_case.case.key


# --- Serializers: cases ----------------------------------------------------------------------


class CaseStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseStep
        fields = ["order", "action", "expected", "test_data"]
        read_only_fields = ["order"]
        extra_kwargs = {"order": {"help_text": _("1, 2, 3, …: the position in the list you send.")}}


class UATCaseSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    requirements = ProjectRequirementField(
        many=True, required=False, help_text=_("Keys of the requirements of this project it verifies (REQ-001).")
    )
    role = serializers.ChoiceField(
        UATCase.Role.choices, required=False, help_text=_("The business role that performs the case.")
    )
    priority = serializers.ChoiceField(
        UATCase.Priority.choices, required=False, help_text=_("How much it matters that the case is run.")
    )
    steps = CaseStepSerializer(
        many=True,
        required=False,
        help_text=_("The ordered steps. Written as a whole list: the list you send replaces the steps."),
    )
    suspect = serializers.BooleanField(
        source="is_suspect",
        read_only=True,
        help_text=_("A requirement it verifies changed its meaning and the case was not reviewed since."),
    )

    class Meta:
        model = UATCase
        fields = [
            "key",
            "title",
            "requirements",
            "role",
            "flow",
            "priority",
            "preconditions",
            "steps",
            "suspect",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["key", "created_at", "updated_at"]


# --- Serializers: runs -----------------------------------------------------------------------

RunProgressSerializer = type(
    "RunProgressSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "How many of the run's cases have each result now.",
        **{result.value: serializers.IntegerField(source=f"count_{result.value}", read_only=True) for result in Result},
    },
)


class SignOffSerializer(serializers.ModelSerializer):
    signer = serializers.CharField(source="signer.username", read_only=True)

    class Meta:
        model = SignOff
        fields = ["role", "signer", "signed_at", "comment", "waiver"]
        read_only_fields = fields


class TestRunSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    __test__ = False  # not a pytest test class despite its name

    case_count = serializers.IntegerField(read_only=True, help_text=_("How many cases the run holds."))
    progress = RunProgressSerializer(source="*", read_only=True)
    signoffs = SignOffSerializer(many=True, read_only=True, help_text=_("Signatures, oldest first; never changed."))

    class Meta:
        model = TestRun
        fields = [
            "id",
            "name",
            "environment",
            "build",
            "planned_start",
            "planned_end",
            "status",
            "started_at",
            "case_count",
            "progress",
            "signoffs",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "started_at", "created_at", "updated_at"]
        extra_kwargs = {"status": {"help_text": _("Change it with POST …/start/ and …/complete/.")}}


class RunCasesSerializer(serializers.Serializer):
    cases = ProjectCaseField(
        many=True,
        allow_empty=False,
        help_text=_("Keys of this project's cases to add (UAT-001); those already in the run are skipped."),
    )


# --- Serializers: executions -----------------------------------------------------------------


class StepResultSerializer(serializers.ModelSerializer):
    """One step's recorded status; POSTed with the case's key to record it."""

    case = ProjectCaseField(write_only=True, help_text=_("Key of a case in this run (UAT-001)."))
    step = serializers.IntegerField(source="step_order", min_value=1, help_text=_("The step's order: 1, 2, 3, …"))
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in STEP_STATUSES])
    actual = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What actually happened; required when the step fails or is blocked."),
    )
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    recorded_at = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = StepResult
        fields = ["case", "step", "status", "actual", "recorded_by", "recorded_at"]


class ExecutionSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(read_only=True, help_text=_("The attempt: 1, then 2 after a retest, …"))
    tester = serializers.SerializerMethodField()
    executed_at = serializers.DateTimeField(
        source="created_at", read_only=True, help_text=_("When the attempt began (its first step recorded).")
    )
    steps = StepResultSerializer(many=True, read_only=True, help_text=_("The steps recorded, in order."))

    class Meta:
        model = Execution
        fields = ["number", "tester", "result", "executed_at", "finished_at", "steps"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True})
    def get_tester(self, execution: Execution) -> str | None:
        return _username(execution.tester)


class RunCaseSerializer(serializers.ModelSerializer):
    """A case in a run with its result and its latest attempt."""

    case = serializers.SerializerMethodField(help_text=_("The case's key (UAT-001)."))
    title = serializers.SerializerMethodField(help_text=_("As frozen into the run when it started."))
    tester = serializers.SerializerMethodField(help_text=_("User name of the assigned tester, or null."))
    latest_execution = serializers.SerializerMethodField(help_text=_("The attempt that counts; null: not run yet."))
    previous_attempts = serializers.IntegerField(read_only=True, help_text=_("Earlier attempts, kept as recorded."))

    class Meta:
        model = RunCase
        fields = ["id", "case", "title", "tester", "result", "latest_execution", "previous_attempts"]
        read_only_fields = fields
        extra_kwargs = {"result": {"help_text": _("The latest attempt's result, derived from its steps.")}}

    def get_case(self, run_case: RunCase) -> str:
        return _case_key(run_case)

    def get_title(self, run_case: RunCase) -> str:
        return run_case.frozen_title or run_case.case.title

    @extend_schema_field({"type": "string", "nullable": True})
    def get_tester(self, run_case: RunCase) -> str | None:
        return _username(run_case.tester.user) if run_case.tester else None

    @extend_schema_field(ExecutionSerializer(allow_null=True))
    def get_latest_execution(self, run_case: RunCase) -> dict[str, Any] | None:
        latest = run_case.attempt_list[-1] if run_case.attempt_list else None
        return ExecutionSerializer(latest, context=self.context).data if latest else None


class FrozenStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(read_only=True)
    action = serializers.CharField(read_only=True)
    expected = serializers.CharField(read_only=True)
    test_data = serializers.CharField(read_only=True)


class RunCaseDetailSerializer(RunCaseSerializer):
    """A case in a run with the steps to execute and every attempt."""

    steps = serializers.SerializerMethodField(
        help_text=_("The steps as frozen into the run (the case's current steps while the run is planned).")
    )
    requirements = serializers.SerializerMethodField(help_text=_("Keys of the requirements it verifies."))
    attempts = ExecutionSerializer(
        source="attempt_list", many=True, read_only=True, help_text=_("Every attempt, the first first.")
    )

    class Meta(RunCaseSerializer.Meta):
        fields = [*RunCaseSerializer.Meta.fields, "steps", "requirements", "attempts"]
        read_only_fields = fields

    @extend_schema_field(FrozenStepSerializer(many=True))
    def get_steps(self, run_case: RunCase) -> list[dict[str, Any]]:
        if run_case.frozen_at:
            return run_case.frozen_steps
        return [CaseStepSerializer(step).data for step in run_case.case.steps.all()]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_requirements(self, run_case: RunCase) -> list[str]:
        if run_case.frozen_at:
            return run_case.frozen_requirements
        return [requirement.key for requirement in run_case.case.requirements.all()]


# --- Serializers: defects --------------------------------------------------------------------


class DefectSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    requirement = ProjectRequirementField(
        required=False,
        allow_null=True,
        help_text=_("Key of a requirement of this project; raised from a case: the case's first one by default."),
    )
    case = ProjectRunCaseField(
        source="run_case",
        required=False,
        allow_null=True,
        help_text=_("Id of the case in a run it was raised from (an execution row's id); fixed once raised."),
    )
    case_key = serializers.SerializerMethodField(help_text=_("That case's key (UAT-001)."))
    run = serializers.IntegerField(source="run_case.run_id", read_only=True, allow_null=True)
    step = serializers.IntegerField(
        source="step_order",
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("The failing step's order; fixed once raised."),
    )
    attempt = serializers.IntegerField(
        source="execution.number",
        read_only=True,
        allow_null=True,
        help_text=_("The attempt (execution number) it was raised from."),
    )
    raised_by = serializers.CharField(source="raised_by.username", read_only=True)

    class Meta:
        model = Defect
        fields = [
            "key",
            "title",
            "description",
            "severity",
            "status",
            "requirement",
            "vendor_reference",
            "case",
            "case_key",
            "run",
            "step",
            "attempt",
            "raised_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["key", "created_at", "updated_at"]
        extra_kwargs = {
            "status": {
                "help_text": _(
                    "Raised open, then moved along the defect flow as on its page (open → fixed → retest → closed, "
                    "open → rejected, back to open); a move the flow does not allow is refused."
                )
            }
        }

    @extend_schema_field({"type": "string", "nullable": True})
    def get_case_key(self, defect: Defect) -> str | None:
        return _case_key(defect.run_case) if defect.run_case else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name, field, current in (
                ("run_case", "case", self.instance.run_case_id),
                ("step_order", "step", self.instance.step_order),
            ):
                if name in attrs and getattr(attrs[name], "pk", attrs[name]) != current:
                    raise serializers.ValidationError(
                        {field: [_("A defect stays with the case and step it was raised from.")]}
                    )
            return attrs
        if attrs.get("status", Defect.Status.OPEN) != Defect.Status.OPEN:
            raise serializers.ValidationError({"status": [_("A defect is raised open; move its status afterwards.")]})
        run_case, step = attrs.get("run_case"), attrs.get("step_order")
        if step is not None:
            if run_case is None:
                raise serializers.ValidationError({"step": [_("Say which case the step belongs to.")]})
            orders = {s["order"] for s in run_case.frozen_steps} or set(
                run_case.case.steps.values_list("order", flat=True)
            )
            if step not in orders:
                raise serializers.ValidationError(
                    {"step": [_("%(key)s has no step %(n)s.") % {"key": _case_key(run_case), "n": step}]}
                )
        return attrs


# --- Filters ---------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    requirement = django_filters.CharFilter(
        field_name="requirements__key",
        lookup_expr="iexact",
        distinct=True,
        label=_("Only the cases verifying this requirement (key)."),
    )
    layer = django_filters.ChoiceFilter(
        choices=Requirement.Layer.choices,
        field_name="requirements__layer",
        distinct=True,
        label=_("Only the cases verifying a requirement of this layer."),
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Text in the key or title."))

    class Meta:
        model = UATCase
        fields = ["role", "flow", "priority", "requirement", "layer", "search"]

    def filter_search(self, queryset: QuerySet[UATCase], name: str, value: str) -> QuerySet[UATCase]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(key__icontains=value) | Q(title__icontains=value))


class RunFilter(django_filters.FilterSet):
    class Meta:
        model = TestRun
        fields = ["status"]


class RunCaseFilter(django_filters.FilterSet):
    tester = django_filters.CharFilter(
        field_name="tester__user__username", lookup_expr="iexact", label=_("Only the cases of this tester (user name).")
    )
    case = django_filters.CharFilter(field_name="case__key", lookup_expr="iexact", label=_("Only this case (key)."))

    class Meta:
        model = RunCase
        fields = ["result", "tester", "case"]


class DefectFilter(django_filters.FilterSet):
    run = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="run_case__run_id", label=_("Only the defects raised in this run (id)."))
    )
    requirement = django_filters.CharFilter(
        field_name="requirement__key", lookup_expr="iexact", label=_("Only the defects of this requirement (key).")
    )

    class Meta:
        model = Defect
        fields = ["status", "severity", "run", "requirement"]


# --- Selectors -------------------------------------------------------------------------------


def _cases(project: Project) -> QuerySet[UATCase]:
    """The project's cases with their requirement keys and steps prefetched and the suspect flag annotated."""
    queryset = UATCase.objects.filter(project=project).prefetch_related(
        Prefetch("requirements", queryset=Requirement.objects.only("pk", "key", "number").order_by("number")),
        Prefetch("steps", queryset=CaseStep.objects.order_by("order")),
    )
    return annotate_suspect(queryset).order_by("number")


def _runs(project: Project) -> QuerySet[TestRun]:
    """The project's runs, newest first, with their case counts by result counted in SQL."""
    counts = {f"count_{r.value}": Count("run_cases", filter=Q(run_cases__result=r.value)) for r in Result}
    return (
        TestRun.objects.filter(project=project)
        .annotate(case_count=Count("run_cases"), **counts)
        .prefetch_related(Prefetch("signoffs", queryset=SignOff.objects.select_related("signer")))
        .order_by("-created_at", "-pk")
    )


def _attempts(*, latest_only: bool) -> Prefetch:
    executions = Execution.objects.select_related("tester").prefetch_related(
        Prefetch("steps", queryset=StepResult.objects.select_related("recorded_by").order_by("step_order"))
    )
    if latest_only:
        latest = Execution.objects.filter(run_case=OuterRef("run_case")).order_by("-number").values("pk")[:1]
        executions = executions.filter(pk=Subquery(latest))
    return Prefetch("executions", queryset=executions.order_by("number"), to_attr="attempt_list")


def _run_cases(run: TestRun, *, detail: bool = False) -> QuerySet[RunCase]:
    """The cases of a run in run order with the latest attempt (every attempt for `detail`) prefetched."""
    queryset = (
        run.run_cases.select_related("case", "tester__user")
        .annotate(previous_attempts=Greatest(Count("executions") - 1, 0))
        .prefetch_related(_attempts(latest_only=not detail))
        .order_by("order", "pk")
    )
    if detail:
        queryset = queryset.prefetch_related(
            Prefetch("case__steps", queryset=CaseStep.objects.order_by("order")),
            Prefetch("case__requirements", queryset=Requirement.objects.only("pk", "key", "number").order_by("number")),
        )
    return queryset


def _defects(project: Project) -> QuerySet[Defect]:
    return Defect.objects.filter(project=project).select_related(
        "run_case__case", "execution", "requirement", "raised_by"
    )


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


# --- Views -----------------------------------------------------------------------------------


class UATCaseViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The project's UAT cases in key order, addressed by key, each with its ordered steps.

    Filter by ?role=, ?flow=, ?priority=, ?requirement=<key>, ?layer=<requirement layer> and ?search=.
    A case that is part of a run cannot be deleted.
    """

    serializer_class = UATCaseSerializer
    queryset = UATCase.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_field = "key"
    lookup_url_kwarg = "case_key"
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[UATCase]:
        return _cases(self.project)

    @staticmethod
    def _service_args(data: dict[str, Any]) -> dict[str, Any]:
        if "steps" in data:
            data["steps"] = [(s["action"], s["expected"], s.get("test_data", "")) for s in data["steps"]]
        return data

    def perform_create(self, serializer: UATCaseSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            case = services.case_create(project=self.project, user=self.request.user, **self._service_args(data))
        serializer.instance = self.get_queryset().get(pk=case.pk)

    def perform_update(self, serializer: UATCaseSerializer) -> None:
        expected, data = _changes(serializer)
        case = UATCase.objects.select_related("project").get(pk=serializer.instance.pk)
        with service_errors():
            services.case_update(
                case=case, expected_version=expected, user=self.request.user, **self._service_args(data)
            )
        serializer.instance = self.get_queryset().get(pk=case.pk)

    def perform_destroy(self, instance: UATCase) -> None:
        with service_errors():
            services.case_delete(case=instance)


class TestRunViewSet(
    ProjectScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The project's test runs (checklists), newest first, with progress counts and sign-offs. Filter by ?status=.

    PATCH changes the name, environment, build and planned dates; POST …/start/ freezes the cases' text into
    the run and opens it for results, POST …/complete/ closes it; POST …/cases/ adds cases by key.
    """

    __test__ = False  # not a pytest test class despite its name

    serializer_class = TestRunSerializer
    queryset = TestRun.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_url_kwarg = "run_id"
    filterset_class = RunFilter

    def get_queryset(self) -> QuerySet[TestRun]:
        return _runs(self.project)

    def _fresh(self, run: TestRun) -> Response:
        return Response(
            TestRunSerializer(self.get_queryset().get(pk=run.pk), context=self.get_serializer_context()).data
        )

    def perform_create(self, serializer: TestRunSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            run = services.run_create(project=self.project, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=run.pk)

    def perform_update(self, serializer: TestRunSerializer) -> None:
        expected, data = _changes(serializer)
        run = TestRun.objects.get(pk=serializer.instance.pk)
        with service_errors():
            services.run_update(run=run, expected_version=expected, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=run.pk)

    @extend_schema(request=None, responses={200: TestRunSerializer})
    def start(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        with service_errors():
            services.run_start(run=run, user=request.user)
        return self._fresh(run)

    @extend_schema(request=None, responses={200: TestRunSerializer})
    def complete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        with service_errors():
            services.run_complete(run=run, user=request.user)
        return self._fresh(run)

    @extend_schema(request=RunCasesSerializer, responses={200: TestRunSerializer})
    def add_cases(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        params = RunCasesSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        with service_errors("cases"):
            services.run_add_cases(run=run, cases=dict.fromkeys(params.validated_data["cases"]))  # once each
        return self._fresh(run)


class ExecutionViewSet(ProjectScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The cases of a run with their results, one row each, in run order. Filter by ?result=, ?tester=<user name>
    and ?case=<key>.

    POST records one step of a case ({"case": "UAT-001", "step": 1, "status": "fail", "actual": "…"}) in its
    latest attempt and answers with the case's row: its result follows from its steps. POST …/retest/ starts a
    new attempt; the earlier ones are kept. Testers may do both.
    """

    serializer_class = RunCaseSerializer
    queryset = RunCase.objects.none()  # for the schema; get_queryset scopes to the run
    lookup_url_kwarg = "run_case_id"
    filterset_class = RunCaseFilter
    write_capability = "execute"

    @cached_property
    def run(self) -> TestRun:
        """The run from the URL, looked up through the project: another project's run is 404."""
        return get_object_or_404(TestRun.objects.filter(project=self.project), pk=self.kwargs["run_id"])

    def get_queryset(self) -> QuerySet[RunCase]:
        return _run_cases(self.run, detail=self.action in ("retrieve", "retest"))

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return RunCaseDetailSerializer if self.action in ("retrieve", "retest") else RunCaseSerializer

    def _row(self, run_case: RunCase, serializer_class: type[serializers.Serializer], code: int) -> Response:
        fresh = self.get_queryset().get(pk=run_case.pk)
        return Response(serializer_class(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=StepResultSerializer, responses={200: RunCaseSerializer, 201: RunCaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.run  # another project's run is 404 before the body is looked at
        params = StepResultSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        run_case = run.run_cases.select_related("run", "case").filter(case=data["case"]).first()
        if run_case is None:
            raise serializers.ValidationError({"case": [_("%(key)s is not in this run.") % {"key": data["case"].key}]})
        latest = services.latest_execution(run_case)
        existed = latest is not None and latest.steps.filter(step_order=data["step_order"]).exists()
        with service_errors():
            services.step_record(
                run_case=run_case,
                step_order=data["step_order"],
                status=data["status"],
                actual=data["actual"],
                user=request.user,
            )
        return self._row(run_case, RunCaseSerializer, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: RunCaseDetailSerializer})
    def retest(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run_case = get_object_or_404(self.run.run_cases.select_related("run"), pk=self.kwargs["run_case_id"])
        with service_errors():
            services.retest(run_case=run_case, user=request.user)
        return self._row(run_case, RunCaseDetailSerializer, status.HTTP_201_CREATED)


class DefectViewSet(
    ProjectScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The project's defects in key order, addressed by key. Filter by ?status=, ?severity=, ?run=<id> and
    ?requirement=<key>.

    Raised from a failing step (case = the execution row's id, step = its order) a defect carries the attempt
    and, unless given, the first requirement the case verifies. Testers raise and update defects. A defect is
    never deleted: close or reject it.
    """

    serializer_class = DefectSerializer
    queryset = Defect.objects.none()  # for the schema; get_queryset scopes to the project
    lookup_field = "key"
    lookup_url_kwarg = "defect_key"
    filterset_class = DefectFilter
    write_capability = "execute"

    def get_queryset(self) -> QuerySet[Defect]:
        return _defects(self.project).order_by("number")

    def perform_create(self, serializer: DefectSerializer) -> None:
        _version, data = _changes(serializer)
        with service_errors():
            defect = services.defect_raise(project=self.project, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=defect.pk)

    def perform_update(self, serializer: DefectSerializer) -> None:
        expected, data = _changes(serializer)
        defect = Defect.objects.get(pk=serializer.instance.pk)
        to_status = data.pop("status", defect.status)
        moves = to_status != defect.status
        with transaction.atomic():  # the move and the other changes are saved together or not at all
            if moves:
                # The status follows the defect's flow (open → fixed → retest → closed, …), as on its page.
                with service_errors("status"):
                    defect = services.defect_move(
                        defect=defect, to_status=to_status, expected_version=expected, user=self.request.user
                    )
                expected = defect.version
            if data or not moves:  # without a move, this also checks the version sent
                with service_errors():
                    services.defect_update(defect=defect, expected_version=expected, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=defect.pk)
