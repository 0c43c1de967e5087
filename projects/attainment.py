"""How far a KPI has come from its baseline towards its target, and what that means for the goal.

Pure functions on plain values, so that pages, API, overview and PDFs agree and tests need no database.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """One vocabulary for goals and KPIs; the colour of each is the same in every module."""

    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data yet")


# Worst first: a goal takes the worst state of its KPIs.
SEVERITY = [State.OFF_TRACK, State.AT_RISK, State.ON_TRACK, State.ACHIEVED, State.NO_DATA]
CSS = {
    State.ACHIEVED: "good",
    State.ON_TRACK: "info",
    State.AT_RISK: "warn",
    State.OFF_TRACK: "bad",
    State.NO_DATA: "idle",
}
# How far attainment may trail the share of time used before the KPI is at risk, then off track.
AT_RISK_GAP = Decimal("0.10")
OFF_TRACK_GAP = Decimal("0.25")


def attainment(*, baseline: Decimal, target: Decimal, latest: Decimal | None) -> Decimal | None:
    """(latest − baseline) ÷ (target − baseline): 0 at the baseline, 1 at the target, above 1 beyond it.

    The sign of (target − baseline) carries the direction, so "lower is better" needs no special case.
    None when nothing has been measured yet or the target equals the baseline.
    """
    if latest is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline)


def time_used(*, start: date | None, due: date | None, today: date) -> Decimal | None:
    """Share of the time from baseline date to due date that has passed (0..1), or None if unknown."""
    if start is None or due is None or due <= start:
        return None
    share = Decimal((today - start).days) / Decimal((due - start).days)
    return min(max(share, Decimal(0)), Decimal(1))


def kpi_state(*, attainment: Decimal | None, start: date | None, due: date | None, today: date) -> State:
    """Achieved at or beyond the target; otherwise judged by how far attainment trails the time used.

    Without a time frame, any progress counts as on track, none as at risk, going backwards as off track.
    A due date that has passed without reaching the target is off track.
    """
    if attainment is None:
        return State.NO_DATA
    if attainment >= 1:
        return State.ACHIEVED
    if due is not None and today > due:
        return State.OFF_TRACK
    expected = time_used(start=start, due=due, today=today)
    if expected is None:
        if attainment > 0:
            return State.ON_TRACK
        return State.AT_RISK if attainment == 0 else State.OFF_TRACK
    gap = expected - attainment
    if gap <= AT_RISK_GAP:
        return State.ON_TRACK
    if gap <= OFF_TRACK_GAP:
        return State.AT_RISK
    return State.OFF_TRACK


def worst_state(states: list[State]) -> State:
    """The state of a goal: the worst of its KPIs that have data; no data if none has."""
    measured = [s for s in states if s != State.NO_DATA]
    if not measured:
        return State.NO_DATA
    return min(measured, key=SEVERITY.index)


@dataclass(frozen=True)
class Progress:
    attainment: Decimal | None
    state: State

    @property
    def percent(self) -> int | None:
        return None if self.attainment is None else int((self.attainment * 100).to_integral_value())

    @property
    def bar_percent(self) -> int:
        """The attainment as a 0–100 width for a progress bar."""
        return 0 if self.percent is None else max(0, min(100, self.percent))

    @property
    def css(self) -> str:
        return CSS[self.state]
