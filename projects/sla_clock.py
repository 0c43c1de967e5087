"""SLA clocks of an incident: response and resolution due times, time used and left, warnings and breaches.

Plain Python on plain values, like `business_hours` under it: the incident list, the incident page, the API and the
compliance figures all call `clock`, and tests need no fixtures. Nothing here is typed by a user; every figure
follows from the calendar, the targets and the incident's status history.

- Statuses: new → acknowledged → in progress ⇄ waiting (for the customer) → resolved → closed; a resolved incident
  can be reopened (back to in progress).
- Response: the first move out of "new" is the response. It is due `response` business minutes after the incident
  was opened, and late when it comes after that (or has not come by `now`). Waiting does not stop this clock.
- Resolution: the clock runs from opening in business time, stops while the incident waits for the customer, and
  stops at "resolved" (or "closed"); a reopen starts it again where it stood. `used` is its business minutes,
  `left` = target − used. While it runs, it is due when the time left will have passed (from the last resume, or
  from `now`'s position); while it waits there is no due time, only the time left; once resolved, the due time is
  the one it had when it stopped. Breached: more business time used than the target.
- Severity: the targets are those of the incident's severity now, counted from the opening (a re-rated incident
  is measured as if it had had that severity from the start, as ServiceNow's "retroactive start" does).
- Warnings: the highest of 50, 75 and 100 % of a target the time used has reached (resolution clock; for the
  response clock, the business time since opening until the response or `now`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from projects.business_hours import Calendar, add, between

NEW, ACKNOWLEDGED, IN_PROGRESS, WAITING, RESOLVED, CLOSED = (
    "new",
    "acknowledged",
    "in_progress",
    "waiting",
    "resolved",
    "closed",
)
STATUSES = (NEW, ACKNOWLEDGED, IN_PROGRESS, WAITING, RESOLVED, CLOSED)
STOPPED = frozenset({WAITING, RESOLVED, CLOSED})  # the resolution clock does not run
DONE = frozenset({RESOLVED, CLOSED})
WARNINGS = (50, 75, 100)


@dataclass(frozen=True)
class Targets:
    response: int  # business minutes
    resolution: int


@dataclass(frozen=True)
class Change:
    """The incident moved to `status` at `at` (in order of time; the first is usually "new" at opening)."""

    at: datetime
    status: str


@dataclass(frozen=True)
class Timer:
    target: int  # business minutes
    used: float
    due: datetime | None  # None: paused (waiting for the customer)
    met_at: datetime | None  # when it stopped for good: the response, or the resolution
    breached: bool
    running: bool

    @property
    def left(self) -> float:
        return self.target - self.used

    @property
    def percent(self) -> float:
        return 100 * self.used / self.target if self.target else 100.0

    @property
    def warning(self) -> int | None:
        """The highest of 50, 75 and 100 (%) reached, or None."""
        reached = [level for level in WARNINGS if self.percent >= level]
        return reached[-1] if reached else None


@dataclass(frozen=True)
class Clock:
    response: Timer
    resolution: Timer

    @property
    def breached(self) -> bool:
        return self.response.breached or self.resolution.breached


def _intervals(opened_at: datetime, changes: Sequence[Change], now: datetime) -> list[tuple[datetime, datetime]]:
    """The spans of time the resolution clock ran, up to `now`."""
    running_since: datetime | None = opened_at
    spans = []
    for change in sorted(changes, key=lambda c: c.at):
        if change.at < opened_at or change.at > now:
            continue
        if change.status in STOPPED:
            if running_since is not None:
                spans.append((running_since, change.at))
                running_since = None
        elif running_since is None:
            running_since = change.at
    if running_since is not None and now > running_since:
        spans.append((running_since, now))
    return spans


def status_at(changes: Sequence[Change], moment: datetime) -> str:
    """The status the changes had reached at `moment` ("new" before the first)."""
    status = NEW
    for change in sorted(changes, key=lambda c: c.at):
        if change.at > moment:
            break
        status = change.status
    return status


def clock(calendar: Calendar, opened_at: datetime, changes: Sequence[Change], targets: Targets, now: datetime) -> Clock:
    """Both timers of one incident at `now` (see the module docstring)."""
    for change in changes:
        if change.status not in STATUSES:
            raise ValueError(f"Unknown status {change.status!r}.")
    ordered = sorted((c for c in changes if opened_at <= c.at <= now), key=lambda c: c.at)

    # Response
    response_due = add(calendar, opened_at, targets.response)
    responded = next((c.at for c in ordered if c.status != NEW), None)
    response_used = between(calendar, opened_at, responded or now)
    response = Timer(
        target=targets.response,
        used=response_used,
        due=response_due,
        met_at=responded,
        breached=(responded or now) > response_due,
        running=responded is None,
    )

    # Resolution
    spans = _intervals(opened_at, ordered, now)
    status = status_at(ordered, now)
    running = status not in STOPPED
    used = sum(between(calendar, start, end) for start, end in spans)
    if running:
        resumed = spans[-1][0] if spans else opened_at
        used_before = used - between(calendar, resumed, now) if spans else 0.0
        due: datetime | None = add(calendar, resumed, max(0.0, targets.resolution - used_before))
        met_at = None
    elif status in DONE:
        met_at = None  # the resolution: the first of the trailing run of resolved/closed (closing is not resolving)
        for change in reversed(ordered):
            if change.status not in DONE:
                break
            met_at = change.at
        last_start = spans[-1][0] if spans else opened_at
        used_before = used - (between(calendar, last_start, spans[-1][1]) if spans else 0.0)
        due = add(calendar, last_start, max(0.0, targets.resolution - used_before))
    else:  # waiting: no due time while the customer has the ball
        due, met_at = None, None
    resolution = Timer(
        target=targets.resolution,
        used=used,
        due=due,
        met_at=met_at,
        breached=used > targets.resolution,
        running=running,
    )
    return Clock(response=response, resolution=resolution)
