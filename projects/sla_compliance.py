"""SLA compliance and the hypercare exit, from incidents already measured: plain Python on plain values.

`compliance(outcomes, key)` groups measured incidents (e.g. by vendor, severity and month) and gives per group:
how many, how many met their response and resolution targets (an incident still open counts once its clock is
breached, not before), the share met, and the mean and 90th percentile of the business minutes taken. The
percentile is the nearest-rank one (the smallest value with at least 90 % of the values at or below it), so it is
always a time some incident really took.

`hypercare_exit(...)` judges the three exit criteria of hypercare:
1. no critical incident is open;
2. over the last `days` days, the share of incidents meeting both targets is at least `threshold` % (no incident
   at all in those days meets it; incidents still within their time are not counted, and when all are, there is
   no data yet);
3. the inflow is going down: fewer incidents were opened in the last `days` days than in the `days` before (none
   in the last days meets it).
The recommendation is to exit when all three are met, and to stay otherwise, naming what holds it.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"


@dataclass(frozen=True)
class Outcome:
    """One incident as measured: when it opened, its severity, and how its two clocks went."""

    opened_at: datetime
    severity: str
    vendor: str
    open: bool
    response_minutes: float | None  # business minutes to the first response; None: no answer yet
    response_met: bool | None  # None: still within its time
    resolution_minutes: float | None  # business minutes used; None: not resolved yet
    resolution_met: bool | None

    @property
    def met(self) -> bool | None:
        """Both targets met (True), one missed (False), or not decided yet (None)."""
        if self.response_met is False or self.resolution_met is False:
            return False
        if self.response_met and self.resolution_met:
            return True
        return None


def nearest_rank(values: Sequence[float], percent: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least `percent` % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Figures:
    count: int = 0
    response_met: int = 0
    response_missed: int = 0
    resolution_met: int = 0
    resolution_missed: int = 0
    response_times: list[float] = field(default_factory=list)
    resolution_times: list[float] = field(default_factory=list)

    @staticmethod
    def _share(met: int, missed: int) -> float | None:
        return round(100 * met / (met + missed), 1) if met + missed else None

    @property
    def response_percent(self) -> float | None:
        return self._share(self.response_met, self.response_missed)

    @property
    def resolution_percent(self) -> float | None:
        return self._share(self.resolution_met, self.resolution_missed)

    @property
    def response_mean(self) -> float | None:
        return round(sum(self.response_times) / len(self.response_times), 1) if self.response_times else None

    @property
    def resolution_mean(self) -> float | None:
        return round(sum(self.resolution_times) / len(self.resolution_times), 1) if self.resolution_times else None

    @property
    def response_p90(self) -> float | None:
        return nearest_rank(self.response_times, 90)

    @property
    def resolution_p90(self) -> float | None:
        return nearest_rank(self.resolution_times, 90)


def compliance(outcomes: Sequence[Outcome], key: Callable[[Outcome], Hashable]) -> dict[Hashable, Figures]:
    """Figures per group, groups in the order `key` sorts them."""
    groups: dict[Hashable, Figures] = defaultdict(Figures)
    for outcome in outcomes:
        figures = groups[key(outcome)]
        figures.count += 1
        if outcome.response_met is not None:
            figures.response_met += outcome.response_met
            figures.response_missed += not outcome.response_met
        if outcome.resolution_met is not None:
            figures.resolution_met += outcome.resolution_met
            figures.resolution_missed += not outcome.resolution_met
        if outcome.response_minutes is not None and not (outcome.open and outcome.response_met is None):
            figures.response_times.append(outcome.response_minutes)
        if outcome.resolution_minutes is not None and not outcome.open:
            figures.resolution_times.append(outcome.resolution_minutes)
    return dict(sorted(groups.items(), key=lambda item: item[0]))


def by_vendor_severity_month(outcome: Outcome) -> tuple[str, str, str]:
    return (outcome.vendor, outcome.severity, f"{outcome.opened_at:%Y-%m}")


@dataclass(frozen=True)
class ExitCriterion:
    name: str  # no_open_critical | compliance | inflow_down
    verdict: str  # met | not_met | no_data
    value: float | int | None
    target: float | int | None


@dataclass(frozen=True)
class ExitJudgement:
    criteria: list[ExitCriterion]

    @property
    def exit(self) -> bool:
        return all(c.verdict == MET for c in self.criteria)

    @property
    def holding(self) -> list[ExitCriterion]:
        return [c for c in self.criteria if c.verdict != MET]


def hypercare_exit(outcomes: Sequence[Outcome], *, now: datetime, days: int, threshold: float) -> ExitJudgement:
    """The three exit criteria of hypercare at `now` (see the module docstring)."""
    window_start = now - timedelta(days=days)
    before_start = window_start - timedelta(days=days)
    open_critical = sum(1 for o in outcomes if o.open and o.severity == "critical")
    recent = [o for o in outcomes if window_start <= o.opened_at < now]
    decided = [o.met for o in recent if o.met is not None]
    share = round(100 * sum(decided) / len(decided), 1) if decided else None
    earlier = sum(1 for o in outcomes if before_start <= o.opened_at < window_start)
    # No incident in the window at all is compliance; incidents all still within their time are no data yet.
    compliant = NO_DATA if recent else MET
    if share is not None:
        compliant = MET if share >= threshold else NOT_MET
    criteria = [
        ExitCriterion("no_open_critical", MET if open_critical == 0 else NOT_MET, open_critical, 0),
        ExitCriterion("compliance", compliant, share, threshold),
        ExitCriterion("inflow_down", MET if len(recent) < earlier or not recent else NOT_MET, len(recent), earlier),
    ]
    return ExitJudgement(criteria)
