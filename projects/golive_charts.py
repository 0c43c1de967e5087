"""The runbook's charts as server-side SVG: the Gantt chart and the dependency view, the same markup in pages and PDFs.

Both draw a `Schedule` from `projects.selectors.golive` (plan_schedule, run_schedule), so they show the same
starts, finishes and critical path as the runbook page, the dashboard, the API and the exports.

Gantt (`gantt_svg`): one row per task in `schedule.order()`, a label column "number title" (cut with … when too
long; the full text is the row's tooltip), a time axis in the current (user's) time zone with the day above the
hours, ticks every 15 or 30 minutes, 1, 2, 3, 4, 6 or 12 hours, or days for long plans, whichever keeps the labels
apart. Bars are coloured by stream for a plan, by status for a run (grey not started, blue running, green done,
red failed, hatched skipped); the tasks on the critical path (`schedule.critical_path`: the chain that drives the
forecast end) are outlined in red with a red number; milestones and gates are diamonds; late tasks carry a red "!";
the cutover window is shaded; markers (point of no return, rollback deadline, end of the window) are dashed
labelled vertical lines and "now" a solid one. A run passes its plan as `baseline`: thin grey bars under the
forecast ones. `gantt_pages` cuts a long chart into pages with the same time scale, for PDFs.

Dependency view (`dependency_svg`): a layered drawing of the task graph. A task's column is the length of its
longest chain of predecessors; an arrow that skips columns runs through a gap reserved in every column it crosses,
so it never crosses a box. Within a column, tasks are ordered to reduce crossings (barycentre sweeps, the order
with the fewest crossings kept) and placed near the height of their neighbours (isotonic regression, so boxes keep
their order and never overlap). Arrows are finish-to-start, smooth curves; the critical path's boxes and arrows are
red.

Only presentation attributes (no page CSS, no script, no external references); the font family is set on the root
and on every text, CJK first, or Chinese falls back to Japanese glyph forms in PDFs. Every text is escaped.
"""

import bisect
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from projects.cutover_schedule import Schedule
from projects.models import CutoverPlan, CutoverTask, TaskRun
from workbench.svg import n as _n
from workbench.svg import svg
from workbench.svg import text as svg_text
from workbench.swimlane import fit, text_width, wrap

_MONO = "'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace"

# Tabler's palette. Streams avoid the state colours (green, red, amber, grey), which runs use.
TEXT = "#1d273b"
MUTED = "#667382"
BORDER = "#dce1e7"
GRID = "#eef1f4"
DAY_LINE = "#b8c2cc"
STRIPE = "#f8fafc"
RED = "#d63939"
MARKER_COLOUR = "#ae3ec9"
NOW_COLOUR = "#f76707"
WINDOW_FILL = "#066fd1"
GHOST = "#9aa7b5"
STREAM_COLOURS = {
    CutoverTask.Stream.BUSINESS: "#066fd1",  # blue
    CutoverTask.Stream.DATA: "#ae3ec9",  # purple
    CutoverTask.Stream.TECHNICAL: "#17a2b8",  # cyan
    CutoverTask.Stream.COMMUNICATIONS: "#f76707",  # orange
}
STREAM_TINTS = {
    CutoverTask.Stream.BUSINESS: "#e6f0fa",
    CutoverTask.Stream.DATA: "#f7ecfa",
    CutoverTask.Stream.TECHNICAL: "#e3f4f7",
    CutoverTask.Stream.COMMUNICATIONS: "#feefe6",
}
STATUS_COLOURS = {  # fill, stroke
    TaskRun.Status.PENDING: ("#dfe4ea", "#9aa7b5"),
    TaskRun.Status.RUNNING: ("#066fd1", "#066fd1"),
    TaskRun.Status.DONE: ("#2fb344", "#2fb344"),
    TaskRun.Status.FAILED: (RED, RED),
    TaskRun.Status.SKIPPED: ("#ffffff", "#b8c2cc"),
}
POINT_KINDS = (CutoverTask.Kind.MILESTONE, CutoverTask.Kind.GATE)

# Gantt geometry (px).
MARGIN = 8
LABEL_WIDTH = 300
TIME_WIDTH = 1100
RIGHT_PAD = 48  # past the time area: late marks, the last tick label, marker labels
ROW = 20
SIZE = 12
SMALL = 11
AXIS_ROW = 18
MARKER_ROW = 16
MIN_TICK_PX = 56
TICK_MINUTES = (15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 10080)
DAY = 1440
LEGEND_ROW = 22

# Dependency view geometry (px).
BOX_WIDTH = 164
BOX_HEIGHT = 46
COLUMN_GAP = 52
BOX_GAP = 14
LANE_GAP = 8  # the room an arrow takes where it runs through a column
SWEEPS = 6


def _text(x: float, y: float, content: str, *, size: float = SIZE, fill: str = TEXT, extra: str = "") -> str:
    return svg_text(x, y, content, size=size, fill=fill, extra=extra)


def _svg(width: float, height: float, label: str, body: str, css_class: str) -> SafeString:
    return svg(width, height, label, body, css_class=css_class)


def _empty(label: str, css_class: str) -> SafeString:
    message = _("There are no tasks in the runbook yet.")
    width = text_width(message, SIZE) + 2 * 12
    return _svg(
        width,
        36,
        label,
        f'<rect x="0.5" y="0.5" width="{_n(width - 1)}" height="35" rx="4" fill="{STRIPE}" stroke="{BORDER}"/>'
        + _text(12, 22, message, fill=MUTED),
        css_class,
    )


def _digest(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:8]  # noqa: S324 - a short id, not security


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _clock(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _minutes(start: datetime, finish: datetime) -> int:
    return int((finish - start).total_seconds() // 60)


@dataclass(frozen=True)
class Labels:
    """The choice labels and flags in the active language, translated once per chart (not once per task)."""

    streams: dict[str, str]
    kinds: dict[str, str]
    statuses: dict[str, str]
    late: str
    on_path: str

    @classmethod
    def now(cls) -> "Labels":
        def choices(enum) -> dict[str, str]:
            return {value: str(label) for value, label in enum.choices}

        return cls(
            streams=choices(CutoverTask.Stream),
            kinds=choices(CutoverTask.Kind),
            statuses=choices(TaskRun.Status),
            late=_("Late"),
            on_path=_("On the critical path"),
        )


def duration_label(minutes: int) -> str:
    """Minutes as people say them: 45 min, 90 min, 2 h, 2 h 30 min, 11 h."""
    if minutes < 60 or minutes % 60 and minutes < 600:
        return _("%(minutes)d min") % {"minutes": minutes}
    if minutes % 60 == 0:
        return _("%(hours)d h") % {"hours": minutes // 60}
    return _("%(hours)d h %(minutes)d min") % {"hours": minutes // 60, "minutes": minutes % 60}


# The time axis --------------------------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _floor(moment: datetime, minutes: int) -> datetime:
    """The latest tick boundary at or before `moment`, in local wall time (days: local midnight)."""
    local = timezone.localtime(moment)
    if minutes >= DAY:
        day = local.date()
        if minutes == 7 * DAY:
            day -= timedelta(days=day.weekday())  # weeks start on Monday
        return _local_midnight(day)
    since = local.hour * 60 + local.minute
    return _local_midnight(local.date()) + timedelta(minutes=since - since % minutes)


def _advance(moment: datetime, minutes: int) -> datetime:
    """`moment` plus `minutes` of local wall-clock time (whole days from midnight to midnight across DST)."""
    local = timezone.localtime(moment)
    if minutes >= DAY:
        return _local_midnight(local.date() + timedelta(days=minutes // DAY))
    following = timezone.make_aware(local.replace(tzinfo=None) + timedelta(minutes=minutes))
    return following if following > moment else moment + timedelta(minutes=minutes)


def _ceil(moment: datetime, minutes: int) -> datetime:
    floor = _floor(moment, minutes)
    return floor if floor >= moment else _advance(floor, minutes)


@dataclass
class _Axis:
    lo: datetime
    hi: datetime
    step: int  # minutes between ticks
    left: float
    width: float = TIME_WIDTH

    def x(self, moment: datetime) -> float:
        span = (self.hi - self.lo).total_seconds()
        return self.left + (moment - self.lo).total_seconds() / span * self.width

    def ticks(self) -> list[datetime]:
        out, moment = [], _floor(self.lo, self.step)
        while moment <= self.hi:
            if moment >= self.lo:
                out.append(moment)
            moment = _advance(moment, self.step)
        return out

    def boundaries(self) -> list[datetime]:
        """The starts of the days (of the months, when ticks are days or weeks) after `lo` and before `hi`."""
        out, day = [], timezone.localtime(self.lo).date()
        while True:
            if self.step < DAY:
                day += timedelta(days=1)
            else:
                day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            moment = _local_midnight(day)
            if moment >= self.hi:
                return out
            out.append(moment)


def _axis(moments: list[datetime], left: float, width: float = TIME_WIDTH) -> _Axis:
    """The axis over `moments`: the finest tick step whose labels stay `MIN_TICK_PX` apart, the range widened to
    whole ticks (to whole hours for steps of several hours)."""
    lo, hi = min(moments), max(moments)
    if hi - lo < timedelta(minutes=30):
        hi = lo + timedelta(minutes=30)
    for step in TICK_MINUTES:
        unit = step if step <= 60 or step >= DAY else 60
        start, end = _floor(lo, unit), _ceil(hi, unit)
        if end <= start:
            end = start + timedelta(minutes=unit)
        ticks = (end - start).total_seconds() / 60 / step
        if width / max(ticks, 1) >= MIN_TICK_PX:
            return _Axis(start, end, step, left, width)
    step = TICK_MINUTES[-1]
    return _Axis(_floor(lo, step), _ceil(hi, step), step, left, width)


def _day_label(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'D')} {date_format(local, 'MONTH_DAY_FORMAT')}"


def _tick_label(moment: datetime, step: int) -> str:
    local = timezone.localtime(moment)
    return local.strftime("%H:%M") if step < DAY else date_format(local, "j")


def _axis_svg(axis: _Axis, top: float, *, days: bool, right: float) -> str:
    """Day (or month) labels on one row, tick labels on the next, from `top`."""
    parts = [f'<g class="gc-axis" font-size="{SMALL}">']
    if days:
        starts = [axis.lo, *axis.boundaries()]
        if axis.step < DAY:
            labels = [_day_label(moment) for moment in starts]
        else:
            labels = [date_format(timezone.localtime(moment), "YEAR_MONTH_FORMAT") for moment in starts]
        for index, moment in enumerate(starts):
            x0 = axis.x(moment)
            x1 = axis.x(starts[index + 1]) if index + 1 < len(starts) else axis.left + axis.width
            room = x1 - x0 - 8
            if room < 24:
                continue
            parts.append(
                _text(
                    x0 + 4,
                    top + AXIS_ROW - 5,
                    fit(labels[index], room, SMALL, bold=True),
                    size=SMALL,
                    extra=' font-weight="600"',
                )
            )
        top += AXIS_ROW
    for tick in axis.ticks():
        x = axis.x(tick)
        label = _tick_label(tick, axis.step)
        if x + 3 + text_width(label, SMALL) > right:
            continue
        parts.append(
            f'<path d="M{_n(x)},{_n(top + 3)} V{_n(top + AXIS_ROW)}" stroke="{DAY_LINE}" stroke-width="1"/>'
            + _text(x + 3, top + AXIS_ROW - 5, label, size=SMALL, fill=MUTED)
        )
    parts.append("</g>")
    return "".join(parts)


# The Gantt chart ------------------------------------------------------------------------------------------


@dataclass
class _Row:
    task: CutoverTask
    start: datetime
    finish: datetime
    critical: bool
    late: bool
    status: str
    ghost: tuple[datetime, datetime] | None


def _rows(
    tasks: Sequence[CutoverTask],
    schedule: Schedule,
    baseline: Schedule | None,
    statuses: dict[int, str] | None,
) -> list[_Row]:
    by_id = {task.pk: task for task in tasks}
    on_path = set(schedule.critical_path)
    rows = []
    for tid in schedule.order():
        task = by_id.get(tid)
        if task is None:
            continue
        slot = schedule.slots[tid]
        ghost = None
        if baseline is not None and tid in baseline.slots:
            planned = baseline.slots[tid]
            ghost = (planned.start, planned.finish)
        rows.append(
            _Row(
                task=task,
                start=slot.start,
                finish=slot.finish,
                critical=tid in on_path,
                late=slot.late,
                status=(statuses or {}).get(tid, TaskRun.Status.PENDING),
                ghost=ghost,
            )
        )
    return rows


def _diamond(cx: float, cy: float, r: float, fill: str, stroke: str, width: float, extra: str = "") -> str:
    return (
        f'<path class="gc-diamond"{extra} d="M{_n(cx)},{_n(cy - r)} L{_n(cx + r)},{_n(cy)} L{_n(cx)},{_n(cy + r)} '
        f'L{_n(cx - r)},{_n(cy)} z" fill="{fill}" stroke="{stroke}" stroke-width="{_n(width)}"/>'
    )


def _late_mark(x: float, cy: float) -> str:
    return (
        f'<g class="gc-late-mark"><circle cx="{_n(x + 6)}" cy="{_n(cy)}" r="6" fill="{RED}"/>'
        + _text(x + 6, cy + 4, "!", size=SMALL, fill="#ffffff", extra=' font-weight="700" text-anchor="middle"')
        + "</g>"
    )


@dataclass
class _GanttSpec:
    rows: list[_Row]
    axis: _Axis
    runs: bool  # coloured by status
    markers: list[tuple[datetime, str, str]]  # moment, label, colour
    window: tuple[datetime, datetime] | None
    number_width: float
    pattern_id: str
    streams: list[str] = field(default_factory=list)


def _spec(
    tasks: Sequence[CutoverTask],
    schedule: Schedule,
    *,
    baseline: Schedule | None,
    statuses: dict[int, str] | None,
    now: datetime | None,
    markers: Sequence[tuple[datetime, str]],
    window: tuple[datetime, datetime] | None,
) -> _GanttSpec:
    rows = _rows(tasks, schedule, baseline, statuses)
    moments = [schedule.start, schedule.end]
    for row in rows:
        moments += [row.start, row.finish, *(row.ghost or ())]
    if window:
        moments += list(window)
    lines = [(moment, label, MARKER_COLOUR) for moment, label in markers]
    if now is not None:
        lines.append((now, _("Now"), NOW_COLOUR))
    moments += [moment for moment, _label, _colour in lines]
    left = MARGIN + LABEL_WIDTH
    digits = max((len(str(row.task.number)) for row in rows), default=1)
    streams = [value for value in CutoverTask.Stream.values if any(row.task.stream == value for row in rows)]
    return _GanttSpec(
        rows=rows,
        axis=_axis(moments, left),
        runs=statuses is not None or baseline is not None,
        markers=sorted(lines, key=lambda line: line[0]),
        window=window,
        number_width=digits * SIZE * 0.62 + 8,
        pattern_id=f"gc-hatch-{_digest([r.task.pk for r in rows], schedule.start, schedule.end)}",
        streams=streams,
    )


def _marker_labels(spec: _GanttSpec, right: float) -> list[tuple[float, int, str, str, bool]]:
    """(x, label row, text, colour, anchored at the end) for each marker; labels that would overlap go a row down."""
    placed: list[tuple[float, int, str, str, bool]] = []
    rows: list[list[tuple[float, float]]] = []
    for moment, label, colour in spec.markers:
        x = spec.axis.x(moment)
        text = f"{label} {_clock(moment)}"
        width = text_width(text, SMALL) + 6
        at_end = x + width > right
        span = (x - width, x) if at_end else (x, x + width)
        for index, taken in enumerate(rows):
            if all(span[1] + 4 < a or span[0] - 4 > b for a, b in taken):
                taken.append(span)
                placed.append((x, index, text, colour, at_end))
                break
        else:
            rows.append([span])
            placed.append((x, len(rows) - 1, text, colour, at_end))
    return placed


def _legend_items(spec: _GanttSpec, has_ghosts: bool) -> list[tuple[str, str]]:
    """(swatch markup at 0,0 in a 24×12 box, label)."""
    items = []
    if spec.runs:
        statuses = dict(TaskRun.Status.choices)
        for value in TaskRun.Status.values:
            fill, stroke = STATUS_COLOURS[value]
            if value == TaskRun.Status.SKIPPED:
                fill = f"url(#{spec.pattern_id})"
            items.append(
                (f'<rect x="0" y="1" width="24" height="10" rx="2" fill="{fill}" stroke="{stroke}"/>', statuses[value])
            )
        if has_ghosts:
            items.append((f'<rect x="0" y="8" width="24" height="3" fill="{GHOST}"/>', _("Planned")))
    else:
        streams = dict(CutoverTask.Stream.choices)
        for value in spec.streams:
            colour = STREAM_COLOURS[value]
            items.append((f'<rect x="0" y="1" width="24" height="10" rx="2" fill="{colour}"/>', streams[value]))
    items.append(
        (
            f'<rect x="1" y="1" width="22" height="10" rx="2" fill="#ffffff" stroke="{RED}" stroke-width="2"/>',
            _("Critical path"),
        )
    )
    items.append((_diamond(12, 6, 6, TEXT, TEXT, 1), _("Milestone or gate")))
    items.append((_late_mark(6, 6), _("Late")))
    if spec.window:
        items.append(
            (
                f'<rect x="0" y="0" width="24" height="12" fill="{WINDOW_FILL}" fill-opacity="0.1" '
                f'stroke="{WINDOW_FILL}" stroke-opacity="0.3"/>',
                _("Cutover window"),
            )
        )
    return items


def _legend_svg(items: list[tuple[str, str]], top: float, width: float) -> tuple[str, float]:
    parts, x, y = ['<g class="gc-legend">'], MARGIN + 4, top
    for swatch, label in items:
        needed = 24 + 6 + text_width(label, SMALL) + 18
        if x > MARGIN + 4 and x + needed > MARGIN + width:
            x, y = MARGIN + 4, y + LEGEND_ROW
        parts.append(f'<g transform="translate({_n(x)},{_n(y + 5)})">{swatch}</g>')
        parts.append(_text(x + 30, y + 15, label, size=SMALL))
        x += needed
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW - top


def _task_tooltip(row: _Row, runs: bool, labels: Labels) -> str:
    task = row.task
    lines = [
        f"#{task.number} {task.title}",
        f"{labels.streams.get(task.stream, task.stream)} · {labels.kinds.get(task.kind, task.kind)}",
        f"{_stamp(row.start)} – {_clock(row.finish)} ({duration_label(_minutes(row.start, row.finish))})",
    ]
    flags = []
    if runs:
        flags.append(labels.statuses.get(row.status, row.status))
    if row.critical:
        flags.append(labels.on_path)
    if row.late:
        flags.append(labels.late)
    if flags:
        lines.append(" · ".join(flags))
    return "\n".join(lines)


def _bar_svg(row: _Row, spec: _GanttSpec, y: float) -> str:
    axis, task = spec.axis, row.task
    has_ghost = row.ghost is not None
    bar_top, bar_height = (y + 3, 11) if has_ghost else (y + 4, 12)
    cy = bar_top + bar_height / 2
    x0, x1 = axis.x(row.start), axis.x(row.finish)
    if spec.runs:
        fill, stroke = STATUS_COLOURS.get(row.status, STATUS_COLOURS[TaskRun.Status.PENDING])
    else:
        fill = stroke = STREAM_COLOURS.get(task.stream, MUTED)
    stroke_width = 1.0
    if row.critical:
        stroke, stroke_width = RED, 2.0
    parts = []
    if has_ghost:
        g0, g1 = axis.x(row.ghost[0]), axis.x(row.ghost[1])
        parts.append(
            f'<rect class="gc-ghost" x="{_n(g0)}" y="{_n(y + 15)}" width="{_n(max(g1 - g0, 1.5))}" height="3" '
            f'fill="{GHOST}"/>'
        )
    skipped = row.status == TaskRun.Status.SKIPPED and spec.runs
    point = x1 - x0 < 0.01 and not skipped
    end = x1
    if skipped:
        # It takes no time: shown hatched where it was planned (or for its planned length from its forecast start).
        s0, s1 = row.ghost if has_ghost else (row.start, row.start + timedelta(minutes=task.duration_minutes))
        x0, x1 = axis.x(s0), axis.x(s1)
        parts.append(
            f'<rect class="gc-bar" x="{_n(x0)}" y="{_n(bar_top)}" width="{_n(max(x1 - x0, 3))}" '
            f'height="{bar_height}" rx="2" fill="url(#{spec.pattern_id})" stroke="{stroke}" '
            f'stroke-width="{_n(stroke_width)}"/>'
        )
        end = max(x1, x0 + 3)
    elif not point:
        parts.append(
            f'<rect class="gc-bar" x="{_n(x0)}" y="{_n(bar_top)}" width="{_n(max(x1 - x0, 1.5))}" '
            f'height="{bar_height}" rx="2" fill="{fill}" stroke="{stroke}" stroke-width="{_n(stroke_width)}"/>'
        )
    if point or (task.kind in POINT_KINDS and not skipped):
        diamond_fill = fill if spec.runs else (RED if row.critical else TEXT)
        diamond_stroke = RED if row.critical else (stroke if spec.runs else TEXT)
        parts.append(_diamond(x1, cy, 7, diamond_fill, diamond_stroke, 1.5 if row.critical else 1))
        end = x1 + 7
    if row.late:
        parts.append(_late_mark(end + 3, cy))
    return "".join(parts)


def _gantt(spec: _GanttSpec, rows: list[_Row], *, label: str, legend: bool, hover: bool = True) -> SafeString:
    """The chart of `rows`; `hover`: each row has a see-through rectangle, so its tooltip shows all along it."""
    axis = spec.axis
    left, right = axis.left, axis.left + axis.width
    width = right + RIGHT_PAD + MARGIN
    marker_labels = _marker_labels(spec, right + RIGHT_PAD)
    band = (max(index for _x, index, *_rest in marker_labels) + 1) * MARKER_ROW + 4 if marker_labels else 0
    axis_top = MARGIN
    band_top = axis_top + 2 * AXIS_ROW + 2
    rows_top = band_top + band
    rows_bottom = rows_top + len(rows) * ROW
    bottom_axis = len(rows) > 30
    after_rows = rows_bottom + (AXIS_ROW + 4 if bottom_axis else 0)
    has_ghosts = any(row.ghost for row in rows)

    parts = [
        f'<defs><pattern id="{spec.pattern_id}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
        f'<path d="M0,0 V5" stroke="#b8c2cc" stroke-width="2"/></pattern></defs>'
    ]
    # Row stripes, then the window, the grid and day lines behind the bars.
    parts.append('<g class="gc-stripes">')
    for index in range(len(rows)):
        if index % 2:
            parts.append(
                f'<rect x="{MARGIN}" y="{_n(rows_top + index * ROW)}" width="{_n(right - MARGIN)}" height="{ROW}" '
                f'fill="{STRIPE}"/>'
            )
    parts.append("</g>")
    if spec.window:
        w0, w1 = axis.x(spec.window[0]), axis.x(spec.window[1])
        parts.append(
            f'<rect class="gc-window" x="{_n(w0)}" y="{_n(band_top)}" width="{_n(max(w1 - w0, 0))}" '
            f'height="{_n(rows_bottom - band_top)}" fill="{WINDOW_FILL}" fill-opacity="0.07"/>'
        )
    grid = [f'<g class="gc-grid" stroke="{GRID}" stroke-width="1">']
    for tick in axis.ticks():
        x = axis.x(tick)
        grid.append(f'<path d="M{_n(x)},{_n(band_top)} V{_n(rows_bottom)}"/>')
    for boundary in axis.boundaries():
        x = axis.x(boundary)
        grid.append(f'<path d="M{_n(x)},{_n(axis_top)} V{_n(after_rows)}" stroke="{DAY_LINE}"/>')
    grid.append("</g>")
    parts += grid
    parts.append(_axis_svg(axis, axis_top, days=True, right=right + RIGHT_PAD))
    if bottom_axis:
        parts.append(_axis_svg(axis, rows_bottom + 2, days=False, right=right + RIGHT_PAD))
    parts.append(
        f'<path d="M{_n(left)},{_n(axis_top)} V{_n(rows_bottom)}" stroke="{BORDER}" stroke-width="1"/>'
        f'<path d="M{MARGIN},{_n(rows_top)} H{_n(right)}" stroke="{BORDER}" stroke-width="1"/>'
        f'<path d="M{MARGIN},{_n(rows_bottom)} H{_n(right)}" stroke="{BORDER}" stroke-width="1"/>'
    )

    # The tasks.
    title_x = MARGIN + 4 + spec.number_width
    title_room = LABEL_WIDTH - spec.number_width - 10
    labels = Labels.now()
    parts.append('<g class="gc-tasks">')
    for index, row in enumerate(rows):
        task = row.task
        y = rows_top + index * ROW
        number_fill = RED if row.critical else MUTED
        weight = ' font-weight="700"' if row.critical else ""
        parts.append(
            f'<g class="gc-task{" gc-critical" if row.critical else ""}{" gc-late" if row.late else ""}" '
            f'data-task-id="{task.pk}" data-number="{task.number}" data-kind="{escape(task.kind)}" '
            f'data-stream="{escape(task.stream)}" data-status="{escape(row.status)}" '
            f'data-critical="{"true" if row.critical else "false"}" data-late="{"true" if row.late else "false"}" '
            f'data-start="{row.start.isoformat()}" data-finish="{row.finish.isoformat()}">'
            f"<title>{escape(_task_tooltip(row, spec.runs, labels))}</title>"
            + (
                f'<rect x="{MARGIN}" y="{_n(y)}" width="{_n(right + RIGHT_PAD - MARGIN)}" height="{ROW}" '
                f'fill="#ffffff" fill-opacity="0"/>'
                if hover
                else ""
            )
            + f'<text x="{_n(title_x - 6)}" y="{_n(y + 14)}" font-family="{_MONO}" font-size="{SIZE}" '
            f'fill="{number_fill}" text-anchor="end"{weight}>{task.number}</text>'
            + _text(title_x, y + 14, fit(task.title, title_room, SIZE))
            + _bar_svg(row, spec, y)
            + "</g>"
        )
    parts.append("</g>")

    # Markers and now, over the bars.
    lines = ['<g class="gc-markers">']
    for x, label_row, text, colour, at_end in marker_labels:
        dash = "" if colour == NOW_COLOUR else ' stroke-dasharray="5 3"'
        kind = "now" if colour == NOW_COLOUR else "marker"
        label_y = band_top + label_row * MARKER_ROW
        anchor = ' text-anchor="end"' if at_end else ""
        lines.append(
            f'<g class="gc-{kind}" data-label="{escape(text)}">'
            f'<path d="M{_n(x)},{_n(label_y + 2)} V{_n(rows_bottom)}" stroke="{colour}" stroke-width="1.5"{dash}/>'
            + _text(
                x + (-4 if at_end else 4),
                label_y + MARKER_ROW - 3,
                text,
                size=SMALL,
                fill=colour,
                extra=f' font-weight="600"{anchor}',
            )
            + "</g>"
        )
    lines.append("</g>")
    parts += lines

    height = after_rows
    if legend:
        markup, legend_height = _legend_svg(_legend_items(spec, has_ghosts), after_rows + 6, width - 2 * MARGIN)
        parts.append(markup)
        height = after_rows + 6 + legend_height
    return _svg(width, height + MARGIN, label, "".join(parts), "gc-gantt")


def gantt_svg(
    tasks: Sequence[CutoverTask],
    schedule: Schedule,
    *,
    baseline: Schedule | None = None,
    statuses: dict[int, str] | None = None,
    now: datetime | None = None,
    markers: Sequence[tuple[datetime, str]] = (),
    window: tuple[datetime, datetime] | None = None,
) -> SafeString:
    """The Gantt chart of `schedule` as inline SVG: see the module docstring. `tasks` in any order; tasks missing
    from the schedule are left out. A run passes `statuses` (task id → TaskRun status) and its plan as `baseline`."""
    label = _("Gantt chart of the runbook")
    spec = _spec(tasks, schedule, baseline=baseline, statuses=statuses, now=now, markers=markers, window=window)
    if not spec.rows:
        return _empty(label, "gc-gantt")
    return _gantt(spec, spec.rows, label=label, legend=True)


def gantt_pages(
    tasks: Sequence[CutoverTask],
    schedule: Schedule,
    *,
    rows_per_page: int,
    baseline: Schedule | None = None,
    statuses: dict[int, str] | None = None,
    now: datetime | None = None,
    markers: Sequence[tuple[datetime, str]] = (),
    window: tuple[datetime, datetime] | None = None,
) -> list[SafeString]:
    """The Gantt chart cut into pieces of `rows_per_page` rows on the same time scale, each with its axis and
    markers; the legend under the last one. For PDFs, where a picture cannot break across pages."""
    label = _("Gantt chart of the runbook")
    spec = _spec(tasks, schedule, baseline=baseline, statuses=statuses, now=now, markers=markers, window=window)
    if not spec.rows:
        return [_empty(label, "gc-gantt")]
    chunks = [spec.rows[i : i + rows_per_page] for i in range(0, len(spec.rows), rows_per_page)]
    return [
        # Each piece with ids of its own: they share one document.
        _gantt(
            replace(spec, pattern_id=f"{spec.pattern_id}-{index}"),
            chunk,
            label=label,
            legend=index == len(chunks) - 1,
            hover=False,
        )
        for index, chunk in enumerate(chunks)
    ]


def plan_markers(
    plan: CutoverPlan, shift: timedelta = timedelta(0)
) -> tuple[list[tuple[datetime, str]], tuple[datetime, datetime] | None]:
    """The plan's point of no return, rollback deadline and end of the window as labelled markers, and the window;
    moved by `shift` for a rehearsal (`selectors.golive.run_shift`)."""
    markers = []
    if plan.point_of_no_return:
        markers.append((plan.point_of_no_return + shift, _("Point of no return")))
    if plan.rollback_deadline:
        markers.append((plan.rollback_deadline + shift, _("Rollback deadline")))
    if plan.window_end:
        markers.append((plan.window_end + shift, _("Window ends")))
    window = None
    if plan.window_start and plan.window_end:
        window = (plan.window_start + shift, plan.window_end + shift)
    return markers, window


# The dependency view --------------------------------------------------------------------------------------


@dataclass
class _Node:
    key: object  # a task id, or ("via", source, target, layer) for a point an arrow runs through
    layer: int
    task: CutoverTask | None = None
    height: float = BOX_HEIGHT
    order: float = 0.0
    y: float = 0.0
    preds: list["_Node"] = field(default_factory=list)
    succs: list["_Node"] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.y + self.height / 2


def _layers(task_ids: list[int], preds: dict[int, tuple[int, ...]]) -> dict[int, int]:
    """Each task's column: the length of its longest chain of predecessors (ids in topological order)."""
    layer: dict[int, int] = {}
    for tid in task_ids:
        layer[tid] = 1 + max((layer[p] for p in preds.get(tid, ()) if p in layer), default=-1)
    return layer


def _crossings(upper: list[_Node], lower: list[_Node]) -> int:
    """Crossings between the arrows from column `upper` to column `lower` (each in its order), in O(E log E)."""
    position = {id(node): index for index, node in enumerate(lower)}
    ends = []
    for node in upper:
        ends += sorted(position[id(s)] for s in node.succs if id(s) in position)
    seen: list[int] = []
    count = 0
    for end in ends:  # pairs (a, b) with a before b above and b's end before a's below
        count += len(seen) - bisect.bisect_right(seen, end)
        bisect.insort(seen, end)
    return count


def _total_crossings(columns: list[list[_Node]]) -> int:
    return sum(_crossings(a, b) for a, b in zip(columns, columns[1:], strict=False))


def _sweep(columns: list[list[_Node]], downward: bool) -> None:
    sequence = range(1, len(columns)) if downward else range(len(columns) - 2, -1, -1)
    for index in sequence:
        for position, node in enumerate(columns[index]):
            neighbours = node.preds if downward else node.succs
            # The mean position of its neighbours in the column before (after); without any, where it is.
            node.order = sum(n.order for n in neighbours) / len(neighbours) if neighbours else position
        columns[index].sort(key=lambda n: n.order)
        for position, node in enumerate(columns[index]):
            node.order = position


def _isotonic(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions closest (least squares) to `desired`, in order, each at least its gap below the one before."""
    offsets, total = [], 0.0
    for index in range(len(desired)):
        total += gaps[index] if index else 0.0
        offsets.append(total)
    targets = [d - o for d, o in zip(desired, offsets, strict=True)]
    blocks: list[list[float]] = []  # [mean, weight]
    for value in targets:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight = blocks.pop()
            blocks[-1][0] = (blocks[-1][0] * blocks[-1][1] + mean * weight) / (blocks[-1][1] + weight)
            blocks[-1][1] += weight
    out = []
    for mean, weight in blocks:
        out += [mean] * int(weight)
    return [value + offset for value, offset in zip(out, offsets, strict=True)]


def _place(columns: list[list[_Node]]) -> None:
    """Heights: stacked first, then each column pulled towards its neighbours' centres, down and up, a few times."""
    for column in columns:
        y = 0.0
        for node in column:
            node.y = y
            y += node.height + _gap(node)
    for _round in range(4):
        for downward in (True, False):
            sequence = range(1, len(columns)) if downward else range(len(columns) - 2, -1, -1)
            for index in sequence:
                column = columns[index]
                desired = []
                for node in column:
                    neighbours = node.preds if downward else node.succs
                    if neighbours:
                        desired.append(sum(n.centre for n in neighbours) / len(neighbours) - node.height / 2)
                    else:
                        desired.append(node.y)
                gaps = [0.0] + [a.height + _gap(a, b) for a, b in zip(column, column[1:], strict=False)]
                for node, y in zip(column, _isotonic(desired, gaps), strict=True):
                    node.y = y


def _gap(node: _Node, following: _Node | None = None) -> float:
    if node.task is None and (following is None or following.task is None):
        return LANE_GAP
    return BOX_GAP


def dependency_svg(tasks: Sequence[CutoverTask], schedule: Schedule) -> SafeString:
    """The runbook's tasks as a layered graph of finish-to-start arrows: see the module docstring."""
    label = _("Dependencies between the runbook's tasks")
    by_id = {task.pk: task for task in tasks}
    order = [tid for tid in schedule.order() if tid in by_id]
    if not order:
        return _empty(label, "dg-dependencies")
    preds = {tid: tuple(p for p in schedule.predecessors.get(tid, ()) if p in by_id) for tid in order}
    layer = _layers(order, preds)
    nodes: dict[object, _Node] = {
        tid: _Node(key=tid, layer=layer[tid], task=by_id[tid], order=index) for index, tid in enumerate(order)
    }
    # Arrows that skip columns run through a point in every column in between.
    links: list[tuple[int, int, list[_Node]]] = []
    for tid in order:
        for pred in preds[tid]:
            chain = [nodes[pred]]
            for between in range(layer[pred] + 1, layer[tid]):
                via = _Node(key=("via", pred, tid, between), layer=between, height=0.0, order=nodes[pred].order)
                nodes[via.key] = via
                chain.append(via)
            chain.append(nodes[tid])
            for a, b in zip(chain, chain[1:], strict=False):
                a.succs.append(b)
                b.preds.append(a)
            links.append((pred, tid, chain))
    columns: list[list[_Node]] = [[] for _ in range(max(layer.values()) + 1)]
    for node in nodes.values():
        columns[node.layer].append(node)
    for column in columns:
        column.sort(key=lambda n: n.order)
        for position, node in enumerate(column):
            node.order = position

    best, best_count = [list(c) for c in columns], _total_crossings(columns)
    for sweep in range(SWEEPS):
        _sweep(columns, downward=sweep % 2 == 0)
        count = _total_crossings(columns)
        if count < best_count:
            best, best_count = [list(c) for c in columns], count
    columns = best
    _place(columns)

    top_pad = MARGIN + 4
    low = min(node.y for node in nodes.values())
    for node in nodes.values():
        node.y += top_pad - low
    column_x = [MARGIN + index * (BOX_WIDTH + COLUMN_GAP) for index in range(len(columns))]
    graph_bottom = max(node.y + node.height for node in nodes.values())
    width = column_x[-1] + BOX_WIDTH + MARGIN

    on_path = schedule.critical_path
    critical_nodes = set(on_path)
    critical_links = set(zip(on_path, on_path[1:], strict=False))
    arrow = f"dg-arrow-{_digest(order, [(p, t) for p, t, _c in links])}"
    parts = [
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/></marker>'
        f'<marker id="{arrow}-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{RED}"/></marker></defs>'
    ]

    def edge_path(chain: list[_Node]) -> str:
        first, last = chain[0], chain[-1]
        points = [(column_x[first.layer] + BOX_WIDTH, first.centre)]
        for via in chain[1:-1]:
            points += [(column_x[via.layer], via.centre), (column_x[via.layer] + BOX_WIDTH, via.centre)]
        points.append((column_x[last.layer] - 1, last.centre))
        out = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
        for index in range(0, len(points) - 1, 2):
            (ax, ay), (bx, by) = points[index], points[index + 1]
            bend = (bx - ax) / 2
            out.append(f"C{_n(ax + bend)},{_n(ay)} {_n(bx - bend)},{_n(by)} {_n(bx)},{_n(by)}")
            if index + 2 < len(points):
                cx, cy = points[index + 2]
                out.append(f"L{_n(cx)},{_n(cy)}")
        return " ".join(out)

    plain, red = [], []
    for pred, tid, chain in links:
        critical = (pred, tid) in critical_links
        markup = (
            f'<path class="dg-edge{" dg-critical" if critical else ""}" data-from="{pred}" data-to="{tid}" '
            f'data-critical="{"true" if critical else "false"}" d="{edge_path(chain)}" fill="none" '
            f'stroke="{RED if critical else MUTED}" stroke-width="{2 if critical else 1.2}" '
            f'stroke-opacity="{1 if critical else 0.75}" marker-end="url(#{arrow}{"-red" if critical else ""})"/>'
        )
        (red if critical else plain).append(markup)
    parts.append('<g class="dg-edges">' + "".join(plain) + "".join(red) + "</g>")

    labels = Labels.now()
    parts.append('<g class="dg-boxes">')
    for tid in order:
        node, task = nodes[tid], by_id[tid]
        slot = schedule.slots[tid]
        x, y = column_x[node.layer], node.y
        critical = tid in critical_nodes
        colour = STREAM_COLOURS.get(task.stream, MUTED)
        tint = STREAM_TINTS.get(task.stream, STRIPE)
        stroke, stroke_width = (RED, 2.0) if critical else (colour, 1.0)
        lines = wrap(task.title, BOX_WIDTH - 14, SMALL, 2)
        duration = duration_label(task.duration_minutes)
        tooltip = "\n".join(
            [
                f"#{task.number} {task.title}",
                " · ".join(
                    (labels.streams.get(task.stream, task.stream), labels.kinds.get(task.kind, task.kind), duration)
                ),
                f"{_stamp(slot.start)} – {_clock(slot.finish)}",
                *([labels.on_path] if critical else []),
            ]
        )
        kind_mark = ""
        if task.kind in POINT_KINDS:
            kind_mark = _diamond(x + BOX_WIDTH - 12, y + 11, 5, RED if critical else TEXT, RED if critical else TEXT, 1)
        parts.append(
            f'<g class="dg-box{" dg-critical" if critical else ""}" data-task-id="{tid}" data-number="{task.number}" '
            f'data-column="{node.layer}" data-critical="{"true" if critical else "false"}">'
            f"<title>{escape(tooltip)}</title>"
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="5" fill="{tint}" '
            f'stroke="{stroke}" stroke-width="{_n(stroke_width)}"/>'
            f'<rect x="{_n(x + 1)}" y="{_n(y + 4)}" width="3" height="{BOX_HEIGHT - 8}" rx="1.5" fill="{colour}"/>'
            f'<text x="{_n(x + 9)}" y="{_n(y + 14)}" font-family="{_MONO}" font-size="{SMALL}" '
            f'fill="{RED if critical else MUTED}" font-weight="700">{task.number}</text>'
            + _text(
                x + BOX_WIDTH - (22 if kind_mark else 8),
                y + 14,
                duration,
                size=10,
                fill=MUTED,
                extra=' text-anchor="end"',
            )
            + kind_mark
            + "".join(_text(x + 9, y + 28 + i * 13, line, size=SMALL) for i, line in enumerate(lines))
            + ("" if not slot.late else _late_mark(x + BOX_WIDTH - 16, y + BOX_HEIGHT - 8))
            + "</g>"
        )
    parts.append("</g>")

    streams = dict(CutoverTask.Stream.choices)
    items = [
        (
            f'<rect x="0" y="0" width="24" height="12" rx="2" fill="{STREAM_TINTS[v]}" stroke="{STREAM_COLOURS[v]}"/>'
            f'<rect x="1" y="2" width="3" height="8" fill="{STREAM_COLOURS[v]}"/>',
            streams[v],
        )
        for v in CutoverTask.Stream.values
        if any(by_id[tid].stream == v for tid in order)
    ]
    items.append(
        (
            f'<path d="M0,6 H22" stroke="{RED}" stroke-width="2" marker-end="url(#{arrow}-red)"/>',
            _("Critical path"),
        )
    )
    items.append((_diamond(12, 6, 5, TEXT, TEXT, 1), _("Milestone or gate")))
    legend, legend_height = _legend_svg(items, graph_bottom + 10, max(width - 2 * MARGIN, 600))
    parts.append(legend)
    width = max(width, 600 + 2 * MARGIN)
    return _svg(width, graph_bottom + 10 + legend_height + MARGIN, label, "".join(parts), "dg-dependencies")
