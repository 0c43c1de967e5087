"""Benefits: the goals' KPIs after go-live, against their baseline and target — one place for the page and the PDF.

The go-live date is the cutover plan's. For each KPI: the value at go-live (the last measurement on or before
the go-live date, else the baseline), the latest measurement after go-live, the attainment at go-live and now
(`projects.attainment.attainment`: 0 % at the baseline, 100 % at the target), the change since go-live and the
state — the goals pages' own (`selectors.goals.kpi_progress`), or "not measured since go-live" when nothing was
measured after it: a benefit is never assumed. A goal takes the worst state of its KPIs measured since go-live
(`worst_state`), as on the goals pages.

Without a go-live date the KPIs show their baseline, target and latest value with the goals pages' progress,
and nothing is judged "since go-live".

`benefits(project)` reads everything in a fixed number of queries (the goals with owner, drivers and KPIs, all
measurements in one query, the cutover plan), however many KPIs and measurements there are.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.attainment import CSS, Progress, State, attainment, kpi_state, worst_state
from projects.charts import kpi_benefit_svg
from projects.models import KPI, CutoverPlan, Goal, Measurement, Project
from projects.selectors.goals import goal_rows, kpi_progress
from workbench.numbers import plain_decimal
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css

# The order of the overall summary, best first; "no data" reads "not measured since go-live" here.
SUMMARY_ORDER = [State.ACHIEVED, State.ON_TRACK, State.AT_RISK, State.OFF_TRACK, State.NO_DATA]
NOT_MEASURED = gettext_lazy("Not measured since go-live")


def state_label(state: State, *, go_live: date | None) -> str:
    """The state's name; "no data" says what is missing: a measurement since go-live."""
    if state == State.NO_DATA and go_live is not None:
        return str(NOT_MEASURED)
    return str(state.label)


def percent_points(before: Decimal | None, after: Decimal | None) -> int | None:
    """The change of attainment in whole percentage points, rounded as `Progress.percent` rounds."""
    if before is None or after is None:
        return None
    return int(((after - before) * 100).to_integral_value())


@dataclass
class KPIBenefit:
    """One KPI after go-live. `before`/`now` are the attainment at go-live and now, with a state."""

    kpi: KPI
    go_live: date | None
    points: list[tuple[date, Decimal]]
    at_go_live: Decimal | None  # the value at go-live: last measurement on or before it, else the baseline
    at_go_live_date: date | None  # that measurement's date; None when the baseline stands in
    latest: Decimal | None  # the latest measurement after go-live (any measurement without a go-live date)
    latest_date: date | None
    since_count: int  # measurements after go-live
    before: Progress | None
    now: Progress

    @property
    def measured_since(self) -> bool:
        return self.go_live is not None and self.latest is not None

    @property
    def change(self) -> Decimal | None:
        """Latest after go-live minus the value at go-live, in the KPI's unit."""
        if not self.measured_since or self.at_go_live is None:
            return None
        return self.latest - self.at_go_live

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return ""
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        unit = self.kpi.unit.strip()
        if unit == "%":  # 92.6 % → 99.6 % is 7 percentage points, not 7 %
            unit = _("percentage points")
        return f"{sign}{plain_decimal(abs(change))} {unit}".rstrip()

    @property
    def improved(self) -> bool | None:
        """True when the change goes the KPI's better way, False the other, None for no change or no data."""
        change = self.change
        if not change:
            return None
        return (change > 0) == (self.kpi.direction == KPI.Direction.HIGHER)

    @property
    def change_css(self) -> str:
        return {True: "good", False: "bad"}.get(self.improved, "idle")

    @property
    def points_change(self) -> int | None:
        """Attainment now minus at go-live, in percentage points."""
        if not self.measured_since or self.before is None:
            return None
        return percent_points(self.before.attainment, self.now.attainment)

    @property
    def points_change_text(self) -> str:
        points = self.points_change
        if points is None:
            return ""
        sign = "+" if points > 0 else "−" if points < 0 else "±"
        return _("%(sign)s%(points)s pts") % {"sign": sign, "points": abs(points)}

    @property
    def state_label(self) -> str:
        return state_label(self.now.state, go_live=self.go_live)

    @cached_property
    def chart(self) -> SafeString:
        """The trend with baseline, target and the go-live marker (inline SVG, the CJK font named)."""
        return kpi_benefit_svg(kpi=self.kpi, points=self.points, go_live=self.go_live)


@dataclass
class GoalBenefit:
    goal: Goal
    kpis: list[KPIBenefit]
    state: State
    go_live: date | None

    @property
    def measured(self) -> list[KPIBenefit]:
        return [item for item in self.kpis if item.now.attainment is not None]

    @property
    def achieved(self) -> int:
        return sum(1 for item in self.kpis if item.now.state == State.ACHIEVED)

    @property
    def average(self) -> Progress:
        """The mean attainment now of the KPIs measured (since go-live), in the goal's state."""
        measured = [item.now.attainment for item in self.measured]
        return Progress(sum(measured) / len(measured) if measured else None, self.state)

    @property
    def state_label(self) -> str:
        return state_label(self.state, go_live=self.go_live)

    @property
    def owner_name(self) -> str:
        if self.goal.owner is None:
            return ""
        user = self.goal.owner.user
        return user.get_full_name() or user.get_username()


@dataclass
class Benefits:
    project: Project
    plan: CutoverPlan | None
    go_live: date | None
    today: date
    goals: list[GoalBenefit] = field(default_factory=list)

    @property
    def kpis(self) -> list[KPIBenefit]:
        return [item for goal in self.goals for item in goal.kpis]

    @property
    def kpi_count(self) -> int:
        return len(self.kpis)

    @property
    def kpis_measured(self) -> int:
        return sum(1 for item in self.kpis if item.now.attainment is not None)

    @property
    def kpis_achieved(self) -> int:
        return sum(1 for item in self.kpis if item.now.state == State.ACHIEVED)

    @property
    def summary(self) -> list[dict[str, Any]]:
        """Goals per state, best first: [{state, label, css, count}] for every state, zeros included."""
        counts = Counter(goal.state for goal in self.goals)
        return [
            {
                "state": state.value,
                "label": state_label(state, go_live=self.go_live),
                "css": CSS[state],
                "count": counts[state],
            }
            for state in SUMMARY_ORDER
        ]

    @property
    def live_since(self) -> int | None:
        """Days since go-live (negative before it)."""
        return None if self.go_live is None else (self.today - self.go_live).days

    @property
    def days_to_go_live(self) -> int | None:
        """Days until a go-live still ahead, else None."""
        since = self.live_since
        return -since if since is not None and since < 0 else None


def _series(project: Project) -> dict[int, list[tuple[date, Decimal]]]:
    """Every measurement of the project's KPIs as (date, value), oldest first, per KPI: one query."""
    series: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    rows = Measurement.objects.filter(kpi__goal__project=project).order_by("kpi_id", "date")
    for kpi_id, day, value in rows.values_list("kpi_id", "date", "value"):
        series[kpi_id].append((day, value))
    return series


def kpi_benefit(kpi: KPI, points: list[tuple[date, Decimal]], *, go_live: date | None, today: date) -> KPIBenefit:
    """A KPI annotated by `kpis_with_latest` (goal and project joined) with its measurements, after go-live."""
    progress = kpi_progress(kpi, today=today)  # the goals pages' attainment and state of the latest value
    if go_live is None:
        latest = Decimal(kpi.latest_value) if kpi.latest_value is not None else None
        return KPIBenefit(kpi, None, points, None, None, latest, kpi.latest_date, 0, None, progress)
    before_points = [(day, value) for day, value in points if day <= go_live]
    after_points = [(day, value) for day, value in points if day > go_live]
    at_date, at_value = before_points[-1] if before_points else (None, kpi.baseline)
    reached = attainment(baseline=kpi.baseline, target=kpi.target, latest=at_value)
    due = kpi.goal.due or kpi.goal.project.target_go_live
    before = Progress(reached, kpi_state(attainment=reached, start=kpi.baseline_date, due=due, today=go_live))
    if after_points:
        latest_date, latest = after_points[-1]
        now = progress
    else:
        latest_date, latest = None, None
        now = Progress(None, State.NO_DATA)
    return KPIBenefit(kpi, go_live, points, at_value, at_date, latest, latest_date, len(after_points), before, now)


def benefits(*, project: Project, today: date | None = None) -> Benefits:
    """The project's goals and KPIs after go-live; a fixed number of queries."""
    today = today or timezone.localdate()
    plan = CutoverPlan.objects.filter(project=project).first()
    go_live = plan.go_live_date if plan is not None else None
    series = _series(project)
    result = Benefits(project=project, plan=plan, go_live=go_live, today=today)
    for row in goal_rows(project=project, today=today):
        items = [kpi_benefit(r.kpi, series.get(r.kpi.pk, []), go_live=go_live, today=today) for r in row.kpis]
        state = worst_state([item.now.state for item in items]) if go_live is not None else row.state
        result.goals.append(GoalBenefit(row.goal, items, state, go_live))
    return result


# The PDF ------------------------------------------------------------------------------------------------------


def benefits_context(*, project: Project, today: date | None = None) -> dict[str, Any]:
    """What `templates/pdf/benefits.html` shows, every label in the active language (call inside an override)."""
    data = benefits(project=project, today=today)
    issued = timezone.localtime()
    return {
        "project": {"code": project.code, "name": project.name},
        "benefits": data,
        "document_title": _("Benefits report"),
        "issued_at": issued.strftime("%Y-%m-%d %H:%M"),
        "language": translation.get_language() or "en",
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
    }


def benefits_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("pdf/benefits.html", {**context, "for_pdf": True}))


def filename(project: Project) -> str:
    return f"{project.code}-benefits-report.pdf"
