"""Reads for drivers, goals and KPIs, with progress worked out once for pages, API and overview."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from projects.attainment import Progress, State, attainment, kpi_state, worst_state
from projects.models import KPI, Driver, Goal, Measurement, Project


def kpis_with_latest(queryset: QuerySet[KPI] | None = None) -> QuerySet[KPI]:
    """KPIs annotated with `latest_value` and `latest_date` (their newest measurement), goal joined."""
    queryset = KPI.objects.all() if queryset is None else queryset
    newest = Measurement.objects.filter(kpi=OuterRef("pk")).order_by("-date")
    return queryset.select_related("goal", "goal__project").annotate(
        latest_value=Subquery(newest.values("value")[:1]),
        latest_date=Subquery(newest.values("date")[:1]),
    )


def kpi_list(*, project: Project) -> QuerySet[KPI]:
    """The project's KPIs with their latest value and goal joined (see kpis_with_latest)."""
    return kpis_with_latest(KPI.objects.filter(goal__project=project))


def goal_list(*, project: Project) -> QuerySet[Goal]:
    """The project's goals with owner, drivers and `kpi_list` (KPIs annotated by kpis_with_latest) prefetched."""
    return project.goals.select_related("owner__user", "project").prefetch_related(
        "drivers",
        Prefetch("kpis", queryset=kpis_with_latest().order_by("pk"), to_attr="kpi_list"),
    )


def kpi_progress(kpi: KPI, *, today: date) -> Progress:
    """Attainment and state of a KPI annotated by `kpis_with_latest` (due date: its goal's, else go-live)."""
    value = kpi.latest_value
    reached = attainment(baseline=kpi.baseline, target=kpi.target, latest=Decimal(value) if value is not None else None)
    due = kpi.goal.due or kpi.goal.project.target_go_live
    return Progress(reached, kpi_state(attainment=reached, start=kpi.baseline_date, due=due, today=today))


@dataclass
class KPIRow:
    kpi: KPI
    progress: Progress


@dataclass
class GoalRow:
    goal: Goal
    kpis: list[KPIRow]
    state: State

    @property
    def progress(self) -> Progress:
        """The goal's bar: the lowest attainment among its measured KPIs, in the goal's state."""
        measured = [row.progress.attainment for row in self.kpis if row.progress.attainment is not None]
        return Progress(min(measured) if measured else None, self.state)


def goal_rows(*, project: Project, today: date, goals: QuerySet[Goal] | None = None) -> list[GoalRow]:
    """The project's goals with owner, drivers and KPIs (latest value, attainment, state); a fixed number of queries."""
    goals = project.goals.all() if goals is None else goals
    goals = goals.select_related("owner__user", "project").prefetch_related(
        "drivers",
        Prefetch("kpis", queryset=kpis_with_latest().order_by("pk"), to_attr="kpi_list"),
    )
    rows = []
    for goal in goals:
        kpi_rows = []
        for kpi in goal.kpi_list:
            kpi.goal = goal  # share the goal (and its project) instead of a copy per KPI
            kpi_rows.append(KPIRow(kpi, kpi_progress(kpi, today=today)))
        rows.append(GoalRow(goal, kpi_rows, worst_state([r.progress.state for r in kpi_rows])))
    return rows


def kpi_detail(*, project: Project, kpi_id: int) -> KPI:
    """One KPI of the project with its latest value; KPI.DoesNotExist for another project's KPI."""
    return kpis_with_latest(KPI.objects.filter(goal__project=project)).get(pk=kpi_id)


def kpi_series(*, kpi: KPI) -> list[tuple[date, Decimal]]:
    """The KPI's measurements as (date, value), oldest first."""
    return list(kpi.measurements.order_by("date").values_list("date", "value"))


def drivers_by_category(*, project: Project) -> list[tuple[str, str, list[Driver]]]:
    """(category value, label, drivers) for every category, in the guide's order, empty ones included."""
    grouped: dict[str, list[Driver]] = defaultdict(list)
    for driver in project.drivers.prefetch_related("goals").order_by("-severity", "pk"):
        grouped[driver.category].append(driver)
    return [(value, label, grouped[value]) for value, label in Driver.Category.choices]


def goal_history_querysets(*, goal: Goal) -> list[QuerySet]:
    """Historical records of a goal, its KPIs and their measurements (including deleted KPIs)."""
    kpi_ids = set(KPI.history.filter(goal_id=goal.pk).values_list("id", flat=True))
    return [
        Goal.history.filter(id=goal.pk),
        KPI.history.filter(goal_id=goal.pk),
        Measurement.history.filter(kpi_id__in=kpi_ids),
    ]


def kpi_history_querysets(*, kpi: KPI) -> list[QuerySet]:
    return [KPI.history.filter(id=kpi.pk), Measurement.history.filter(kpi_id=kpi.pk)]


def driver_history_querysets(*, driver: Driver) -> list[QuerySet]:
    return [Driver.history.filter(id=driver.pk)]
