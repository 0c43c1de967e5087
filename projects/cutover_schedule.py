"""The cutover scheduling engine: forecast start and finish of every runbook task, slack, critical path, forecast end.

Plain Python on plain values, with no database, so that the runbook page, the Gantt chart, the live dashboard, the
API and the exports agree, and tests need no fixtures. Callers turn their rows into `Task`s and call `schedule`;
`reestimate` proposes a duration for the next run from rehearsal measurements. Times are aware datetimes, durations
whole minutes. The work is O(V + E): one topological sort, one forward and one backward pass, one walk back.

Forward pass (earliest times), tasks in topological order. "Ready" is the latest of the plan's start and the
finish of every predecessor (finish-to-start; predecessor ids that are not in the plan are ignored).

- pending: starts at the latest of ready, its `fixed_start` and `now` (when `now` is given: a live run or a
  rehearsal in progress, where nothing that has not started can start in the past); finishes `duration` later.
  A task whose `fixed_start` is given never starts before it; it starts after it only when a predecessor (or
  `now`) forces it, and then it is late.
- running: started at `actual_start`; finishes at `actual_start + duration`, or at `now` if that is later
  (a task still running cannot be over before now). Without `actual_start`, it is taken to have started when
  ready (not after `now`).
- done, failed: `actual_start` to `actual_end`, whatever the plan said; a task that finished early pulls its
  successors earlier, one that finished late pushes them. A missing `actual_start` is `actual_end − duration`;
  a missing `actual_end` is `actual_start + duration`; neither: as if pending, without `now`.
- skipped: takes no time, at the moment it is ready; its fixed start and `now` do not apply (it does not happen).
- a milestone (duration 0) starts and finishes at the same moment.

The forecast end is the latest finish of all tasks (the plan's start when there are none).

Backward pass (latest times) from the forecast end, tasks in reverse topological order: late finish = the
earliest late start of the successors, or the forecast end for a task without successors; late start = late finish
− the task's forecast span (finish − start). A pending task with a fixed start cannot move: its late start is its
start and its late finish its finish, so its predecessors must finish by its start. (Once a fixed-time task has
started, its start is history and its room is measured like any other task's.)

Slack = late start − start, in whole minutes, floored, shown never below 0 (actuals that contradict the order,
such as a successor started before its predecessor ended, can make it negative; that counts as no slack).

Critical = no slack (less than a whole minute) and not finished: delaying the task by a minute delays the forecast
end or makes a fixed-time task late. Done, failed and skipped tasks are never critical, whatever their slack: there
is nothing left to manage. A pending fixed-time task has no slack by construction, so it is always critical.

Critical path = the chain that drives the forecast end, in order: from the task that finishes last (among the tasks
finishing at the forecast end, one none of whose successors also does; the lowest id if there are several), walk
back to a predecessor without slack that drives its start (finishes when or after it starts; the lowest id if
several), until there is none. Finished tasks stay on the path when they are links of the chain (a task that ran
late in a rehearsal shows why the end moved) but keep `critical=False`; the walk stops at a task that no
predecessor holds up: one that waits for its fixed time, or for `now` after its predecessors ended earlier. So a
fixed-time task that waits starts the path, in a live run the path starts at the work that is running or next, and
a task that is critical only because of a fixed time with room after it is not on the path:
`id in schedule.critical_path` answers "does it drive the end?".

Late = a fixed-time task whose (forecast or actual) start is after its fixed start; a running task past
`actual_start + duration` at `now`; a done or failed task that took longer than its duration. A task that starts
later than planned only because its predecessors ran late is not late itself (its predecessors are).

Cycles are refused: `schedule` raises `ScheduleCycle` with the cycle, found by `find_cycle`, as
[a, b, …, a] where a's predecessor is b, b's predecessor …, starting at the lowest id in the cycle. The message is
English; pages show the cycle in their own (translated) words.

Re-estimation (`reestimate`): see its docstring.
"""

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from workbench import graphs

PENDING, RUNNING, DONE, FAILED, SKIPPED = "pending", "running", "done", "failed", "skipped"
STATUSES = frozenset({PENDING, RUNNING, DONE, FAILED, SKIPPED})
FINISHED = frozenset({DONE, FAILED, SKIPPED})
MINUTE = timedelta(minutes=1)
# Re-estimation: how many of the latest measurements count, and the step durations are rounded up to.
REESTIMATE_WINDOW = 3
REESTIMATE_STEP = 5


@dataclass(frozen=True)
class Task:
    id: int
    duration: int  # planned minutes (0 = milestone)
    predecessors: tuple[int, ...] = ()  # finish-to-start
    fixed_start: datetime | None = None  # must start exactly then: never earlier, later only when forced (late)
    status: str = PENDING  # pending | running | done | failed | skipped
    actual_start: datetime | None = None
    actual_end: datetime | None = None


@dataclass
class Slot:
    task_id: int
    start: datetime
    finish: datetime
    late_start: datetime
    late_finish: datetime
    slack: int  # minutes, never negative
    critical: bool
    late: bool


@dataclass
class Schedule:
    slots: dict[int, Slot]
    start: datetime
    end: datetime  # the forecast end
    critical_path: list[int]
    # The predecessors of each task that are in the plan, without repeats (what the dependency view draws).
    predecessors: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def order(self) -> list[int]:
        """Task ids in topological order, by start then id among the tasks whose predecessors are all listed.

        A zero-minute task starts when its successor does; it still comes before it.
        """
        preds = {tid: self.predecessors.get(tid, ()) for tid in self.slots}
        waiting, successors = _graph(preds)
        heap = [(self.slots[tid].start, tid) for tid, count in waiting.items() if count == 0]
        heapq.heapify(heap)
        ordered = []
        while heap:
            _, tid = heapq.heappop(heap)
            ordered.append(tid)
            for succ in successors[tid]:
                waiting[succ] -= 1
                if waiting[succ] == 0:
                    heapq.heappush(heap, (self.slots[succ].start, succ))
        return ordered


class ScheduleCycle(ValueError):
    """The runbook's tasks depend on each other in a circle; `cycle` is [a, b, …, a], a's predecessor being b."""

    def __init__(self, cycle: list[int]):
        self.cycle = cycle
        super().__init__("Tasks depend on each other in a cycle: " + " ← ".join(str(tid) for tid in cycle))


def _links(tasks: Sequence[Task]) -> tuple[dict[int, Task], dict[int, tuple[int, ...]]]:
    """Tasks by id and their known predecessors (unknown ids dropped, repeats removed, order kept)."""
    by_id: dict[int, Task] = {}
    for task in tasks:
        if task.id in by_id:
            raise ValueError(f"Task {task.id} appears twice.")
        by_id[task.id] = task
    preds = {tid: tuple(dict.fromkeys(p for p in task.predecessors if p in by_id)) for tid, task in by_id.items()}
    return by_id, preds


def _graph(preds: dict[int, tuple[int, ...]]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """How many predecessors each task waits for, and the successors of each task."""
    successors: dict[int, list[int]] = {tid: [] for tid in preds}
    waiting = {}
    for tid, ps in preds.items():
        waiting[tid] = len(ps)
        for p in ps:
            successors[p].append(tid)
    return waiting, successors


def find_cycle(tasks: Sequence[Task]) -> list[int]:
    """A cycle of predecessors as [a, b, …, a] (a's predecessor is b, …), from its lowest id; [] when there is none."""
    _, preds = _links(tasks)
    cycle = graphs.find_cycle(preds)[:-1]
    if not cycle:
        return []
    low = cycle.index(min(cycle))
    cycle = cycle[low:] + cycle[:low]
    return [*cycle, cycle[0]]


def _topological(preds: dict[int, tuple[int, ...]]) -> tuple[list[int], dict[int, list[int]]]:
    waiting, successors = _graph(preds)
    queue = deque(tid for tid, count in waiting.items() if count == 0)
    ordered = []
    while queue:
        tid = queue.popleft()
        ordered.append(tid)
        for succ in successors[tid]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                queue.append(succ)
    return ordered, successors


def schedule(tasks: Sequence[Task], *, start: datetime, now: datetime | None = None) -> Schedule:
    """Forecast times, slack, critical flags and path of the runbook; see the module docstring for the rules."""
    by_id, preds = _links(tasks)
    for task in by_id.values():
        if task.status not in STATUSES:
            raise ValueError(f"Task {task.id} has an unknown status {task.status!r}.")
        if task.duration < 0:
            raise ValueError(f"Task {task.id} has a negative duration.")
    ordered, successors = _topological(preds)
    if len(ordered) < len(by_id):
        raise ScheduleCycle(find_cycle(tasks))

    starts: dict[int, datetime] = {}
    finishes: dict[int, datetime] = {}
    late: dict[int, bool] = {}
    for tid in ordered:
        task = by_id[tid]
        ready = start
        for pred in preds[tid]:
            if finishes[pred] > ready:
                ready = finishes[pred]
        duration = timedelta(minutes=task.duration)
        fixed = task.fixed_start
        status = task.status
        is_late = False
        if status == SKIPPED:
            begin = finish = ready
        elif status == PENDING:
            begin = ready
            if fixed is not None and fixed > begin:
                begin = fixed
            if now is not None and now > begin:
                begin = now
            finish = begin + duration
        elif status == RUNNING:
            begin = task.actual_start
            if begin is None:
                begin = ready if fixed is None or fixed < ready else fixed
                if now is not None and now < begin:
                    begin = now
            planned_finish = begin + duration
            finish = planned_finish
            if now is not None and now > planned_finish:
                finish = now
                is_late = True
        else:  # done, failed
            begin, finish = task.actual_start, task.actual_end
            if begin is None and finish is None:
                begin = ready if fixed is None or fixed < ready else fixed
            if begin is None:
                begin = finish - duration
            if finish is None:
                finish = begin + duration
            if finish < begin:
                finish = begin
            is_late = finish - begin > duration
        if status != SKIPPED and fixed is not None and begin > fixed:
            is_late = True
        starts[tid], finishes[tid], late[tid] = begin, finish, is_late

    end = max(finishes.values(), default=start)

    late_starts: dict[int, datetime] = {}
    late_finishes: dict[int, datetime] = {}
    for tid in reversed(ordered):
        task = by_id[tid]
        if task.fixed_start is not None and task.status == PENDING:
            late_starts[tid], late_finishes[tid] = starts[tid], finishes[tid]
            continue
        latest = end
        for succ in successors[tid]:
            if late_starts[succ] < latest:
                latest = late_starts[succ]
        late_finishes[tid] = latest
        late_starts[tid] = latest - (finishes[tid] - starts[tid])

    slots = {}
    for tid in ordered:
        slack = (late_starts[tid] - starts[tid]) // MINUTE
        slots[tid] = Slot(
            task_id=tid,
            start=starts[tid],
            finish=finishes[tid],
            late_start=late_starts[tid],
            late_finish=late_finishes[tid],
            slack=max(slack, 0),
            critical=slack <= 0 and by_id[tid].status not in FINISHED,
            late=late[tid],
        )

    return Schedule(
        slots=slots,
        start=start,
        end=end,
        critical_path=_critical_path(ordered, preds, successors, slots, end),
        predecessors=preds,
    )


def _critical_path(
    ordered: list[int],
    preds: dict[int, tuple[int, ...]],
    successors: dict[int, list[int]],
    slots: dict[int, Slot],
    end: datetime,
) -> list[int]:
    at_end = {tid for tid in ordered if slots[tid].finish == end}
    last = [tid for tid in at_end if not any(succ in at_end for succ in successors[tid])]
    if not last:
        return []
    path = [min(last)]
    while True:
        current = slots[path[-1]]
        drivers = [p for p in preds[current.task_id] if slots[p].slack == 0 and slots[p].finish >= current.start]
        if not drivers:
            break
        path.append(min(drivers))
    path.reverse()
    return path


def reestimate(planned: int, measured: Sequence[int]) -> int:
    """The duration to plan for the next run, from rehearsal measurements of the same task (minutes, oldest first).

    The mean of the latest three measurements (fewer if there are fewer; negative values are ignored as bad data),
    rounded up to a multiple of 5 minutes, and at least 5 minutes. Without measurements the plan stands; a
    milestone (planned 0) stays 0. The latest runs count because rehearsals get faster as the team learns; three
    of them smooth out one bad run; rounding up keeps the runbook readable and errs on the side of time.
    E.g. planned 30, measured [38, 42, 47] → mean 42.3 → 45.
    """
    if planned <= 0:
        return 0
    recent = [minutes for minutes in measured if minutes >= 0][-REESTIMATE_WINDOW:]
    if not recent:
        return planned
    step = REESTIMATE_STEP * len(recent)
    rounded = -(-sum(recent) // step) * REESTIMATE_STEP  # ceil(mean / 5) × 5 in integers
    return max(rounded, REESTIMATE_STEP)
