"""API for go-live: the cutover plan, its runbook tasks with their forecast, the critical path, rehearsals and the
live cutover, and the go/no-go criteria (read-only).

Reads need "view", writes need "edit"; recording a task in a run (start, complete, fail, skip) needs "execute",
so testers may do it. Every write goes through projects.services.golive; a stale `version` is 409 Conflict, a
refused value 400 with the service's message (a circle of predecessors names the tasks in it).

Runbook tasks are addressed by their number (1, 2, …) and name their predecessors by number. Every forecast —
a task's planned start and finish, its critical flag, the critical path, a run's forecast end — comes from
projects.selectors.golive, so the API, the pages, the charts and the exports agree.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import django_filters
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from projects import cutover_schedule as engine
from projects import gonogo
from projects.api.goals import MemberUsernameField
from projects.models import CutoverPhase, CutoverPlan, CutoverRun, CutoverTask, GoNoGoDecision, TaskRun
from projects.selectors import golive as selectors
from projects.services import golive as services
from workbench.api import ProjectScopedMixin, VersionedSerializerMixin, service_errors

# --- Forecasts -------------------------------------------------------------------------------


class Forecast:
    """The runbook's planned forecast and each task's state in the current run, worked out once per request.

    The current run is the running one, else the one started last; without one every task is pending.
    `schedule` is None only when saved predecessors form a circle (written around the services).
    """

    def __init__(self, plan: CutoverPlan) -> None:
        self.plan = plan

    @cached_property
    def tasks(self) -> list[CutoverTask]:
        return list(selectors.runbook_tasks(self.plan))

    @cached_property
    def schedule(self) -> engine.Schedule | None:
        try:
            return selectors.plan_schedule(self.plan, self.tasks)
        except engine.ScheduleCycle:
            return None

    @cached_property
    def current_run(self) -> CutoverRun | None:
        running_first = Case(When(status=CutoverRun.Status.RUNNING, then=Value(0)), default=Value(1))
        return (
            self.plan.runs.filter(started_at__isnull=False)
            .order_by(running_first, "-started_at", "-pk")
            .only("pk", "plan_id", "status", "started_at")
            .first()
        )

    @cached_property
    def task_runs(self) -> dict[int, TaskRun]:
        if self.current_run is None:
            return {}
        task_runs = (
            TaskRun.objects.filter(run_id=self.current_run.pk)
            .only("task_id", "status", "actual_start", "actual_end")
            .order_by()
        )
        return {task_run.task_id: task_run for task_run in task_runs}

    def slot(self, task: CutoverTask) -> engine.Slot | None:
        return self.schedule.slots.get(task.pk) if self.schedule is not None else None

    def critical_ids(self) -> set[int]:
        if self.schedule is None:
            return set()
        return {task_id for task_id, slot in self.schedule.slots.items() if slot.critical}


def _fits(end: datetime | None, window_end: datetime | None) -> bool | None:
    """Whether the forecast end is within the window; None without a window end."""
    if end is None or window_end is None:
        return None
    return end <= window_end


def _cycle_error(cycle: engine.ScheduleCycle, tasks: list[CutoverTask]) -> ValidationError:
    """A circle of predecessors saved around the services (bad data), named by task numbers."""
    numbers = {task.pk: task.number for task in tasks}
    path = " → ".join(str(numbers.get(task_id, "?")) for task_id in cycle.cycle)
    message = gettext("Tasks %(cycle)s wait for each other in a circle; fix their predecessors.") % {"cycle": path}
    return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})


# --- Fields ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class PlanPhaseField(serializers.PrimaryKeyRelatedField):
    """A phase id; only the phases of the request's project's cutover plan exist for it."""

    default_error_messages = {"does_not_exist": _("There is no phase {pk_value} in this cutover plan.")}

    def get_queryset(self) -> QuerySet[CutoverPhase]:
        return self.context["plan"].phases.all()


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class TaskNumbersField(serializers.Field):
    """Runbook tasks of the request's project by their numbers; unknown numbers are named in the refusal."""

    default_error_messages = {
        "not_a_list": _("Send a list of task numbers, e.g. [1, 2]."),
        "not_a_number": _("“{value}” is not a task number."),
    }

    def to_representation(self, predecessors: Any) -> list[int]:
        return sorted(task.number for task in predecessors.all())

    def to_internal_value(self, data: Any) -> list[CutoverTask]:
        if not isinstance(data, list):
            self.fail("not_a_list")
        numbers = []
        for value in data:
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail("not_a_number", value=value)
            numbers.append(value)
        numbers = list(dict.fromkeys(numbers))
        found = {task.number: task for task in self.context["plan"].tasks.filter(number__in=numbers)}
        missing = [number for number in numbers if number not in found]
        if missing:
            message = ngettext(
                "There is no task %(numbers)s in this runbook.",
                "There are no tasks %(numbers)s in this runbook.",
                len(missing),
            ) % {"numbers": ", ".join(str(number) for number in sorted(missing))}
            raise serializers.ValidationError(message, code="unknown")
        return [found[number] for number in numbers]


# --- Serializers: the plan -------------------------------------------------------------------


class CutoverPlanSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    decider = MemberUsernameField(
        required=False,
        allow_null=True,
        help_text=_("User name of the member who signs the go/no-go decision, or null."),
    )
    forecast_end = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("When the runbook is forecast to end, started at the window (else the go-live date, else now)."),
    )
    fits_window = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("Whether the forecast end is within the cutover window; null without a window end."),
    )

    class Meta:
        model = CutoverPlan
        fields = [
            "strategy",
            "go_live_date",
            "window_start",
            "window_end",
            "point_of_no_return",
            "rollback_deadline",
            "parallel_until",
            "comparison_checks",
            "contingency_plan",
            "hypercare_until",
            "decider",
            "forecast_end",
            "fits_window",
            "version",
        ]

    def to_representation(self, plan: CutoverPlan) -> dict[str, Any]:
        schedule = Forecast(plan).schedule
        plan.forecast_end = schedule.end if schedule is not None else None
        plan.fits_window = _fits(plan.forecast_end, plan.window_end)
        return super().to_representation(plan)


# --- Serializers: runbook tasks --------------------------------------------------------------


class CutoverTaskSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    owner = MemberUsernameField(required=False, allow_null=True, help_text=_("User name of a member, or null."))
    backup = MemberUsernameField(
        required=False, allow_null=True, help_text=_("User name of the member who stands in, or null.")
    )
    phase = PlanPhaseField(required=False, allow_null=True, help_text=_("Id of a phase of the plan, or null."))
    depends_on = TaskNumbersField(
        source="predecessors",
        required=False,
        help_text=_(
            "Numbers of the tasks that must finish before this one starts, replacing the current ones when sent; "
            "[] clears them. A circle is refused."
        ),
    )
    planned_start = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("Forecast start in the plan.")
    )
    planned_finish = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("Forecast finish in the plan.")
    )
    slack_minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("How long the task can slip without moving the end.")
    )
    critical = serializers.BooleanField(
        read_only=True, help_text=_("No slack: a minute late here is a minute late at the end.")
    )
    status = serializers.ChoiceField(
        choices=TaskRun.Status.choices,
        read_only=True,
        help_text=_("In the current run (the running one, else the one started last); pending without a run."),
    )
    actual_start = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("In the current run."))
    actual_end = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("In the current run."))

    class Meta:
        model = CutoverTask
        fields = [
            "number",
            "title",
            "description",
            "stream",
            "kind",
            "owner",
            "backup",
            "duration_minutes",
            "fixed_start",
            "phase",
            "depends_on",
            "planned_start",
            "planned_finish",
            "slack_minutes",
            "critical",
            "status",
            "actual_start",
            "actual_end",
            "version",
        ]
        read_only_fields = ["number"]

    def to_representation(self, task: CutoverTask) -> dict[str, Any]:
        forecast: Forecast = self.context["forecast"]
        slot = forecast.slot(task)
        task.planned_start = slot.start if slot else None
        task.planned_finish = slot.finish if slot else None
        task.slack_minutes = slot.slack if slot else None
        task.critical = bool(slot and slot.critical)
        task_run = forecast.task_runs.get(task.pk)
        task.status = task_run.status if task_run else TaskRun.Status.PENDING
        task.actual_start = task_run.actual_start if task_run else None
        task.actual_end = task_run.actual_end if task_run else None
        return super().to_representation(task)


# --- Serializers: the critical path ----------------------------------------------------------


class PathTaskSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    finish = serializers.DateTimeField(read_only=True)
    slack_minutes = serializers.IntegerField(read_only=True)
    critical = serializers.BooleanField(
        read_only=True, help_text=_("False for a task already finished: it stays on the path but needs no watching.")
    )
    late = serializers.BooleanField(read_only=True, help_text=_("Started after its fixed time or ran over."))


class CriticalPathSerializer(serializers.Serializer):
    run = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("The run forecast, or null (plan)."))
    start = serializers.DateTimeField(read_only=True)
    forecast_end = serializers.DateTimeField(read_only=True)
    window_end = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("The end of the window; for a rehearsal, the window's length after the rehearsal's start."),
    )
    fits_window = serializers.BooleanField(read_only=True, allow_null=True)
    tasks = PathTaskSerializer(many=True, read_only=True, help_text=_("The chain that drives the end, in order."))


# --- Serializers: runs -----------------------------------------------------------------------


class CutoverRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = CutoverRun
        fields = ["id", "kind", "name", "planned_start", "status", "started_at", "finished_at"]
        read_only_fields = ["status", "started_at", "finished_at"]


class StreamProgressSerializer(serializers.Serializer):
    stream = serializers.ChoiceField(choices=CutoverTask.Stream.choices, read_only=True)
    total = serializers.IntegerField(read_only=True)
    finished = serializers.IntegerField(read_only=True, help_text=_("Done or skipped."))
    running = serializers.IntegerField(read_only=True)
    failed = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(read_only=True)


def _numbers(tasks: list[CutoverTask]) -> list[int]:
    return [task.number for task in tasks]


class CutoverRunDetailSerializer(CutoverRunSerializer):
    forecast_end = serializers.DateTimeField(
        read_only=True,
        help_text=_("When the run ends: when it was finished, else the forecast from the actual times and now."),
    )
    planned_end = serializers.DateTimeField(
        read_only=True, help_text=_("The end as planned from the run's planned start.")
    )
    delay_minutes = serializers.IntegerField(
        read_only=True, help_text=_("Forecast end − planned end in minutes (negative: early).")
    )
    window_end = serializers.DateTimeField(read_only=True, allow_null=True)
    rag = serializers.ChoiceField(
        choices=[("green", "green"), ("amber", "amber"), ("red", "red"), ("grey", "grey")],
        read_only=True,
        help_text=_(
            "Red: a task failed or the end is after the window. Amber: later than planned or a task is late. "
            "Green: on plan. Grey: planned or aborted."
        ),
    )
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=_("Why amber or red."))
    percent = serializers.IntegerField(read_only=True, help_text=_("Share of tasks done or skipped."))
    streams = StreamProgressSerializer(many=True, read_only=True)
    late = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Numbers of the tasks late now (a running run) or that ran late (a run that is over)."),
    )
    running = serializers.ListField(child=serializers.IntegerField(), read_only=True, help_text=_("Task numbers."))
    failed = serializers.ListField(child=serializers.IntegerField(), read_only=True, help_text=_("Task numbers."))
    startable = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Numbers of the tasks that can start now (a running run only)."),
    )

    class Meta(CutoverRunSerializer.Meta):
        fields = [
            *CutoverRunSerializer.Meta.fields,
            "forecast_end",
            "planned_end",
            "delay_minutes",
            "window_end",
            "rag",
            "reasons",
            "percent",
            "streams",
            "late",
            "running",
            "failed",
            "startable",
        ]

    def to_representation(self, run: CutoverRun) -> dict[str, Any]:
        board = selectors.dashboard(run)
        run.forecast_end = board.end
        run.planned_end = board.baseline.end
        run.delay_minutes = board.delay_minutes
        run.window_end = board.window_end
        run.rag = board.rag
        run.reasons = [str(reason) for reason in board.reasons]
        run.percent = board.percent
        run.streams = board.streams
        run.late, run.running, run.failed = _numbers(board.late), _numbers(board.running), _numbers(board.failed)
        run.startable = _numbers(board.startable)
        return super().to_representation(run)


class MomentSerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When it happened, if not now (recording after the fact); never in the future."),
    )


# --- Serializers: tasks in a run -------------------------------------------------------------


@dataclass
class RunRow:
    task: CutoverTask
    task_run: TaskRun | None
    slot: engine.Slot | None


class RunTaskSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="task.number", read_only=True)
    title = serializers.CharField(source="task.title", read_only=True)
    stream = serializers.ChoiceField(source="task.stream", choices=CutoverTask.Stream.choices, read_only=True)
    kind = serializers.ChoiceField(source="task.kind", choices=CutoverTask.Kind.choices, read_only=True)
    owner = serializers.CharField(source="task.owner.user.username", read_only=True, allow_null=True)
    duration_minutes = serializers.IntegerField(source="task.duration_minutes", read_only=True)
    depends_on = serializers.SerializerMethodField(help_text=_("Numbers of the predecessors."))
    status = serializers.SerializerMethodField()
    actual_start = serializers.DateTimeField(source="task_run.actual_start", read_only=True, allow_null=True)
    actual_end = serializers.DateTimeField(source="task_run.actual_end", read_only=True, allow_null=True)
    reason = serializers.SerializerMethodField(help_text=_("Why it failed or was skipped."))
    recorded_by = serializers.CharField(
        source="task_run.by.username",
        read_only=True,
        allow_null=True,
        help_text=_("Who recorded the last change."),
    )
    forecast_start = serializers.DateTimeField(source="slot.start", read_only=True, allow_null=True)
    forecast_finish = serializers.DateTimeField(source="slot.finish", read_only=True, allow_null=True)
    slack_minutes = serializers.IntegerField(source="slot.slack", read_only=True, allow_null=True)
    critical = serializers.BooleanField(source="slot.critical", read_only=True, allow_null=True)
    late = serializers.BooleanField(source="slot.late", read_only=True, allow_null=True)

    def get_depends_on(self, row: RunRow) -> list[int]:
        return sorted(task.number for task in row.task.predecessors.all())

    @extend_schema_field(serializers.ChoiceField(choices=TaskRun.Status.choices))
    def get_status(self, row: RunRow) -> str:
        return row.task_run.status if row.task_run else TaskRun.Status.PENDING

    def get_reason(self, row: RunRow) -> str:
        return row.task_run.reason if row.task_run else ""


class TaskActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("start", "start"), ("complete", "complete"), ("fail", "fail"), ("skip", "skip")],
        help_text=_("start, complete (done), fail or skip the task in this run."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to fail or skip a task: what went wrong, or why it is not needed."),
    )
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When it happened, if not now; for start, complete and fail. Never in the future."),
    )


# --- Serializers: go/no-go -------------------------------------------------------------------


class EvaluationSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id", read_only=True, help_text=_("Id of the criterion."))
    kind = serializers.ChoiceField(choices=gonogo.Kind.choices, read_only=True)
    name = serializers.CharField(read_only=True)
    comparison = serializers.ChoiceField(choices=gonogo.Comparison.choices, read_only=True)
    threshold = serializers.CharField(read_only=True, allow_null=True, help_text=_("A decimal as text, or null."))
    target = serializers.CharField(read_only=True, help_text=_("The threshold as it is read, e.g. “≥ 95 %”."))
    value = serializers.SerializerMethodField(
        help_text=_("The measured figure: a decimal as text, a count, yes/no, or null without data.")
    )
    unit = serializers.CharField(read_only=True)
    value_text = serializers.CharField(read_only=True)
    verdict = serializers.ChoiceField(
        source="state",
        choices=[(gonogo.MET, gonogo.MET), (gonogo.NOT_MET, gonogo.NOT_MET), (gonogo.NO_DATA, gonogo.NO_DATA)],
        read_only=True,
    )
    detail = serializers.CharField(read_only=True, help_text=_("What the figure is made of, or what is missing."))
    note = serializers.CharField(read_only=True)

    @extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}], "nullable": True})
    def get_value(self, record: dict[str, Any]) -> str | int | bool | None:
        return record["value"]


class GoNoGoSummarySerializer(serializers.Serializer):
    met = serializers.IntegerField(read_only=True)
    not_met = serializers.IntegerField(read_only=True)
    no_data = serializers.IntegerField(read_only=True)
    ready = serializers.BooleanField(read_only=True, help_text=_("There are criteria and every one is met."))


class DecisionSerializer(serializers.ModelSerializer):
    decider = serializers.CharField(source="decider.username", read_only=True)

    class Meta:
        model = GoNoGoDecision
        fields = ["id", "outcome", "conditions", "decider", "decided_at"]
        read_only_fields = fields


class GoNoGoSerializer(serializers.Serializer):
    criteria = EvaluationSerializer(many=True, read_only=True, help_text=_("Each criterion, measured now."))
    summary = GoNoGoSummarySerializer(read_only=True)
    decider = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("User name of the member named to sign the decision.")
    )
    decision = DecisionSerializer(read_only=True, allow_null=True, help_text=_("The latest signed decision, or null."))


# --- Filters ---------------------------------------------------------------------------------


class CutoverTaskFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(
        field_name="owner__user__username", lookup_expr="iexact", label=_("Only the tasks of this owner (user name).")
    )
    phase = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="phase_id", label=_("Only the tasks of this phase (id)."))
    )
    critical = django_filters.BooleanFilter(
        method="filter_critical", label=_("true: only the tasks without slack in the plan; false: the others.")
    )

    class Meta:
        model = CutoverTask
        fields = ["stream", "kind", "owner", "phase", "critical"]

    def filter_critical(self, queryset: QuerySet[CutoverTask], name: str, value: bool | None) -> QuerySet[CutoverTask]:
        if value is None:
            return queryset
        view = self.request.parser_context["view"]  # the forecast is worked out once per request, on the view
        critical = view.forecast.critical_ids()
        return queryset.filter(pk__in=critical) if value else queryset.exclude(pk__in=critical)


class RunTaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        field_name="run_status", choices=TaskRun.Status.choices, label=_("Only the tasks in this state in the run.")
    )

    class Meta:
        model = CutoverTask
        fields = ["stream", "kind", "status"]


# --- Views -----------------------------------------------------------------------------------


def _changes(serializer: serializers.Serializer) -> tuple[int | None, dict[str, Any]]:
    data = dict(serializer.validated_data)
    return data.pop("version", None), data


class GoLiveViewMixin(ProjectScopedMixin):
    """The project's cutover plan (made on first use) for every go-live endpoint, and to their serializers."""

    @cached_property
    def plan(self) -> CutoverPlan:
        return services.plan_for(self.project)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["plan"] = self.plan if getattr(self, "project", None) is not None else None
        return context


class CutoverPlanViewSet(GoLiveViewMixin, viewsets.GenericViewSet):
    """The project's cutover plan: strategy, go-live date, window, point of no return, rollback deadline, parallel
    run, contingency, hypercare and the go/no-go decider. Made on the first read.

    `forecast_end` and `fits_window` are read-only: the runbook's forecast against the window. The model's rules
    (e.g. about the window) refuse a change with 400 naming the field.
    """

    serializer_class = CutoverPlanSerializer
    queryset = CutoverPlan.objects.none()  # for the schema; get_object is the project's plan
    filter_backends: list = []

    def get_object(self) -> CutoverPlan:
        return CutoverPlan.objects.select_related("decider__user").get(pk=self.plan.pk)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        expected, data = _changes(serializer)
        with service_errors():
            services.plan_update(plan=plan, expected_version=expected, user=request.user, **data)
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class CutoverTaskViewSet(GoLiveViewMixin, viewsets.ModelViewSet):
    """The runbook's tasks by number, each with its predecessors (`depends_on`, numbers), its forecast in the plan
    (`planned_start`, `planned_finish`, `slack_minutes`, `critical`) and its state in the current run.

    Filter by ?stream=, ?kind=, ?owner=<user name>, ?phase=<id> and ?critical=true. A task that has started or
    finished in a run cannot be deleted.
    """

    serializer_class = CutoverTaskSerializer
    queryset = CutoverTask.objects.none()  # for the schema; get_queryset scopes to the plan
    lookup_field = "number"
    lookup_url_kwarg = "task_number"
    filterset_class = CutoverTaskFilter

    @cached_property
    def forecast(self) -> Forecast:
        return Forecast(self.plan)

    def get_queryset(self) -> QuerySet[CutoverTask]:
        return selectors.runbook_tasks(self.plan)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "project", None) is not None:
            context["forecast"] = self.forecast
        return context

    def _saved(self, serializer: CutoverTaskSerializer, task: CutoverTask) -> None:
        """Answer with the task as saved, forecast again (the change may move every task)."""
        self.forecast = Forecast(self.plan)
        serializer.context["forecast"] = self.forecast
        serializer.instance = self.get_queryset().get(pk=task.pk)

    def perform_create(self, serializer: CutoverTaskSerializer) -> None:
        _version, data = _changes(serializer)
        predecessors = data.pop("predecessors", ())
        with service_errors():
            task = services.task_create(plan=self.plan, predecessors=predecessors, user=self.request.user, **data)
        self._saved(serializer, task)

    def perform_update(self, serializer: CutoverTaskSerializer) -> None:
        expected, data = _changes(serializer)
        predecessors = data.pop("predecessors", None)
        task = CutoverTask.objects.select_related("plan").get(pk=serializer.instance.pk)
        with service_errors():
            services.task_update(
                task=task, expected_version=expected, predecessors=predecessors, user=self.request.user, **data
            )
        self._saved(serializer, task)

    def perform_destroy(self, instance: CutoverTask) -> None:
        with service_errors():
            services.task_delete(task=instance, user=self.request.user)


class CriticalPathViewSet(GoLiveViewMixin, viewsets.GenericViewSet):
    """The critical path: the chain of tasks that drives the forecast end, in order, with the forecast against
    the window. ?run=<id> gives that run's live forecast (actual times, and now for a running run)."""

    serializer_class = CriticalPathSerializer
    queryset = CutoverTask.objects.none()  # for the schema; retrieve works out the schedule
    filter_backends: list = []

    def _run(self) -> CutoverRun | None:
        value = self.request.query_params.get("run")
        if value in (None, ""):
            return None
        run = None
        if value.strip().isdigit():
            run = self.plan.runs.filter(pk=int(value)).first()
        if run is None:
            raise ValidationError({"run": [gettext("There is no run %(run)s in this cutover plan.") % {"run": value}]})
        return run

    @extend_schema(
        parameters=[
            OpenApiParameter("run", OpenApiTypes.INT, description="Id of a run, for its live forecast.", required=False)
        ],
        responses={200: CriticalPathSerializer},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self._run()
        tasks = list(selectors.runbook_tasks(self.plan))
        try:
            if run is None:
                schedule = selectors.plan_schedule(self.plan, tasks)
                window_end = self.plan.window_end
            else:
                run.plan = self.plan
                schedule = selectors.run_schedule(run, tasks)
                window_end = selectors.run_window_end(run)
        except engine.ScheduleCycle as exc:
            raise _cycle_error(exc, tasks) from exc
        by_id = {task.pk: task for task in tasks}
        path = []
        for task_id in schedule.critical_path:
            slot = schedule.slots[task_id]
            task = by_id[task_id]
            path.append(
                {
                    "number": task.number,
                    "title": task.title,
                    "start": slot.start,
                    "finish": slot.finish,
                    "slack_minutes": slot.slack,
                    "critical": slot.critical,
                    "late": slot.late,
                }
            )
        data = {
            "run": run.pk if run else None,
            "start": schedule.start,
            "forecast_end": schedule.end,
            "window_end": window_end,
            "fits_window": _fits(schedule.end, window_end),
            "tasks": path,
        }
        return Response(self.get_serializer(data).data)


class CutoverRunViewSet(
    GoLiveViewMixin, mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rehearsals and the live cutover, by planned start. The detail carries the live dashboard: forecast end
    against the plan and the window, red/amber/green with its reasons, progress by stream, late, running, failed
    and startable tasks (numbers). Filter by ?kind= and ?status=.

    POST …/start/ opens a planned run (one run at a time), …/finish/ closes a running run whose tasks are all done
    or skipped, …/abort/ stops a planned or running run. Each takes an optional {"at": …} for recording later.
    """

    serializer_class = CutoverRunSerializer
    queryset = CutoverRun.objects.none()  # for the schema; get_queryset scopes to the plan
    lookup_url_kwarg = "cutover_run_id"
    filterset_fields = ["kind", "status"]

    def get_queryset(self) -> QuerySet[CutoverRun]:
        return self.plan.runs.order_by("planned_start", "pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return CutoverRunSerializer if self.action in ("list", "create") else CutoverRunDetailSerializer

    def _detail(self, run: CutoverRun, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=run.pk)
        fresh.plan = self.plan
        return Response(CutoverRunDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses={201: CutoverRunDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        kind = data.pop("kind", CutoverRun.Kind.REHEARSAL)
        with service_errors():
            run = services.run_create(plan=self.plan, kind=kind, user=request.user, **data)
        return self._detail(run, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    def _moment(self, request: Request) -> datetime | None:
        params = MomentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return params.validated_data.get("at")

    @extend_schema(
        request=MomentSerializer,
        responses={200: CutoverRunDetailSerializer},
        description="Start a planned run: every task gets its row, not started. One run runs at a time.",
    )
    def start(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        at = self._moment(request)
        with service_errors():
            services.run_start(run=run, user=request.user, at=at)
        return self._detail(run)

    @extend_schema(
        request=MomentSerializer,
        responses={200: CutoverRunDetailSerializer},
        description="Finish a running run whose tasks are all done or skipped.",
    )
    def finish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        at = self._moment(request)
        with service_errors():
            services.run_finish(run=run, user=request.user, at=at)
        return self._detail(run)

    @extend_schema(
        request=MomentSerializer,
        responses={200: CutoverRunDetailSerializer},
        description="Abort a planned or running run; what was recorded in it stays.",
    )
    def abort(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run = self.get_object()
        at = self._moment(request)
        with service_errors():
            services.run_finish(run=run, abort=True, user=request.user, at=at)
        return self._detail(run)


class RunTaskViewSet(GoLiveViewMixin, viewsets.GenericViewSet):
    """The runbook's tasks in one run, by number: state, actual times, reason, and the run's live forecast.
    Filter by ?status=, ?stream= and ?kind=.

    POST to a task records what happened: {"action": "start" | "complete" | "fail" | "skip", "reason": …,
    "at": …}. Failing and skipping need a reason; a task starts when its predecessors are done or skipped. Testers
    may record; a refusal is 400 with the reason.
    """

    serializer_class = RunTaskSerializer
    queryset = CutoverTask.objects.none()  # for the schema; get_queryset scopes to the plan
    filterset_class = RunTaskFilter
    write_capability = "execute"

    @cached_property
    def run(self) -> CutoverRun:
        """The run from the URL, looked up through the project's plan: another project's run is 404."""
        run = get_object_or_404(self.plan.runs, pk=self.kwargs["cutover_run_id"])
        run.plan = self.plan
        return run

    def get_queryset(self) -> QuerySet[CutoverTask]:
        state = TaskRun.objects.filter(run=self.run, task=OuterRef("pk")).values("status")[:1]
        return selectors.runbook_tasks(self.plan).annotate(
            run_status=Coalesce(Subquery(state), Value(TaskRun.Status.PENDING.value))
        )

    def _rows(self, tasks: list[CutoverTask]) -> list[RunRow]:
        """Rows of the given tasks, forecast over the whole runbook once."""
        all_tasks = list(selectors.runbook_tasks(self.plan))
        task_runs = {task_run.task_id: task_run for task_run in self.run.task_runs.select_related("by").order_by()}
        try:
            schedule = selectors.run_schedule(self.run, all_tasks, task_runs)
        except engine.ScheduleCycle:
            schedule = None
        return [
            RunRow(task, task_runs.get(task.pk), schedule.slots.get(task.pk) if schedule else None) for task in tasks
        ]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(self._rows(list(page)), many=True).data)

    def _task(self) -> CutoverTask:
        return get_object_or_404(self.get_queryset(), number=self.kwargs["task_number"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        (row,) = self._rows([self._task()])
        return Response(self.get_serializer(row).data)

    @extend_schema(
        request=TaskActionSerializer,
        responses={200: RunTaskSerializer},
        description=(
            "Record what happened to the task in this run: start it (its predecessors done or skipped; a failed "
            "task can be started again), complete or fail it (a failure needs its reason), or skip it before it "
            "starts (with a reason). Answers with the task's row; a refusal is 400 with the reason. Testers may."
        ),
    )
    def record(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        run, task = self.run, self._task()
        params = TaskActionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        action, reason, at = data["action"], data["reason"], data.get("at")
        with service_errors():
            if action == "start":
                services.task_start(run=run, task=task, user=request.user, at=at)
            elif action == "skip":
                services.task_skip(run=run, task=task, reason=reason, user=request.user)
            else:
                outcome = TaskRun.Status.DONE if action == "complete" else TaskRun.Status.FAILED
                services.task_finish(run=run, task=task, outcome=outcome, reason=reason, user=request.user, at=at)
        (row,) = self._rows([self._task()])
        return Response(self.get_serializer(row).data)


class GoNoGoViewSet(GoLiveViewMixin, viewsets.GenericViewSet):
    """The go/no-go criteria measured now from live data (UAT, defects, trial loads, training, rehearsals) and the
    manual checks, their summary, the named decider and the latest signed decision. Read-only."""

    serializer_class = GoNoGoSerializer
    queryset = GoNoGoDecision.objects.none()  # for the schema; retrieve evaluates the criteria
    filter_backends: list = []

    @extend_schema(
        responses={200: GoNoGoSerializer},
        description=(
            "The go/no-go criteria measured now, their summary and the latest decision. Read-only: the decision is "
            "signed on the go/no-go page by the named decider, re-entering the password, and is never changed."
        ),
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        evaluations = gonogo.evaluate(self.project)
        plan = CutoverPlan.objects.select_related("decider__user").get(pk=self.plan.pk)
        data = {
            "criteria": gonogo.as_record(evaluations),
            "summary": gonogo.summary(evaluations),
            "decider": plan.decider.user.get_username() if plan.decider else None,
            "decision": self.project.go_decisions.select_related("decider").first(),
        }
        return Response(self.get_serializer(data).data)
