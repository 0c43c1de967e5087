"""The SLA section's charts as server-side SVG: the same markup on the compliance page, the hypercare page and the
SLA report PDF.

Pure functions on plain values (labels, numbers, colours): the figures come from `projects.sla_report`, which the
page and the PDF share, so a chart always shows what the table next to it says.

- `grouped_bars_svg`: one group of bars per category (a month), one bar per series (a severity), a value axis in
  % from 0 to 100 and an optional dashed threshold line (the hypercare exit threshold). A bar without a value (no
  decided incident that month) is left out, not drawn as 0.
- `stacked_bars_svg`: one bar per category (a week), the series stacked (severities), the total above the bar.
- `bars_and_line_svg`: bars (incidents opened per week) and a line (open at the end of the week) on one count
  axis, with dashed vertical markers between categories (go-live, the planned end of hypercare).

Only presentation attributes (no page CSS, no script, no external references); the font family is set on the root
and on every text, CJK first, or Chinese falls back to Japanese glyph forms in PDFs. Every text is escaped. Each
chart has a `<title>` and an aria-label; the pages show a table of the same figures next to it. A chart is drawn
at its size (`WIDTH` fits an A4 page); on a page Bootstrap's `img-fluid` class scales it down to the column, and
phones get a drawing of its own (`NARROW`) so its text stays readable.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString

from workbench.svg import n as _n
from workbench.svg import svg
from workbench.svg import text as svg_text
from workbench.swimlane import fit, text_width, wrap

TEXT = "#1d273b"
MUTED = "#667382"
GRID = "#e6e7e9"
AXIS = "#b8c2cc"
STRIPE = "#f8fafc"
BORDER = "#dce1e7"
THRESHOLD = "#2f9e44"
MARKER = "#ae3ec9"
LINE = "#1d273b"
# Severity colours, as the incident badges: critical red, major orange, minor blue, trivial grey.
SEVERITY_COLOURS = {"critical": "#d63939", "major": "#f76707", "minor": "#066fd1", "trivial": "#9aa7b5"}

WIDTH = 650  # the chart on wide screens and in the PDF (A4 less the margins: 174 mm, 657 px)
NARROW = 340  # the chart on phones
PLOT_HEIGHT = 180
LEFT = 44  # room for the value labels
RIGHT = 12
TOP = 14
SIZE = 11
LABEL_ROW = 18
LEGEND_ROW = 20
MIN_LABEL_PX = 44  # category labels closer than this are thinned out


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class VMarker:
    """A dashed vertical line at `position` (0 = the left edge of the first category, 1 = between the first and the
    second, …) with its label."""

    position: float
    label: str
    colour: str = MARKER


def _text(x: float, y: float, content: str, *, size: float = SIZE, fill: str = TEXT, extra: str = "") -> str:
    return svg_text(x, y, content, size=size, fill=fill, extra=extra)


def _svg(width: float, height: float, label: str, body: str, css_class: str) -> SafeString:
    return svg(
        width, height, label, body, css_class=f"{css_class} img-fluid", extra=' preserveAspectRatio="xMinYMin meet"'
    )


def empty_svg(label: str, message: str, css_class: str = "sla-chart", width: int = WIDTH) -> SafeString:
    """A framed message (in up to three lines) where a chart has nothing to show."""
    width = min(width, text_width(message, SIZE + 1) + 24)
    lines = wrap(message, width - 24, SIZE + 1, 3)
    height = 16 + 18 * len(lines)
    return _svg(
        width,
        height,
        label,
        f'<rect x="0.5" y="0.5" width="{_n(width - 1)}" height="{height - 1}" rx="4" fill="{STRIPE}" '
        f'stroke="{BORDER}"/>'
        + "".join(_text(12, 22 + 18 * i, line, size=SIZE + 1, fill=MUTED) for i, line in enumerate(lines)),
        css_class,
    )


def nice_max(value: float) -> int:
    """The top of a count axis: the smallest of 1, 2, 5, 10, 20, 50 … times a power of ten at or above `value`
    (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def _ticks(top: int) -> list[int]:
    """Round gridline values from 0 to `top` (a `nice_max`): four or five steps, fewer for 1 and 2."""
    count = next(c for c in (4, 5, 2, 1) if top % c == 0)
    return list(range(0, top + 1, top // count))


def _value_axis(ticks: Sequence[int], top: int, y0: float, plot_width: float, unit: str) -> str:
    parts = ['<g class="sla-grid">']
    for tick in ticks:
        y = y0 - tick / top * PLOT_HEIGHT
        parts.append(f'<path d="M{LEFT},{_n(y)} H{_n(LEFT + plot_width)}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(LEFT - 6, y + 4, f"{tick}{unit}", fill=MUTED, extra=' text-anchor="end"'))
    parts.append(f'<path d="M{LEFT},{_n(y0)} H{_n(LEFT + plot_width)}" stroke="{AXIS}" stroke-width="1"/>')
    parts.append("</g>")
    return "".join(parts)


def _category_labels(categories: Sequence[str], slot: float, y0: float) -> str:
    every = max(1, math.ceil(MIN_LABEL_PX / slot)) if slot else 1
    parts = ['<g class="sla-categories">']
    for index, category in enumerate(categories):
        if index % every:
            continue
        x = LEFT + slot * (index + 0.5)
        parts.append(
            _text(x, y0 + 14, fit(category, slot * every - 4, SIZE), fill=MUTED, extra=' text-anchor="middle"')
        )
    parts.append("</g>")
    return "".join(parts)


def _legend(items: Sequence[tuple[str, str]], top: float, width: float) -> tuple[str, float]:
    """(swatch markup drawn in a 24×12 box, label) items in rows; the markup and its height."""
    parts, x, y = ['<g class="sla-legend">'], LEFT, top
    for swatch, label in items:
        needed = 24 + 6 + text_width(label, SIZE) + 18
        if x > LEFT and x + needed > width - RIGHT:
            x, y = LEFT, y + LEGEND_ROW
        parts.append(f'<g transform="translate({_n(x)},{_n(y + 3)})">{swatch}</g>')
        parts.append(_text(x + 30, y + 13, label))
        x += needed
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW - top


def _box(colour: str) -> str:
    return f'<rect x="0" y="0" width="24" height="12" rx="2" fill="{colour}"/>'


def _dash(colour: str, dash: str = "6 4") -> str:
    return f'<path d="M0,6 H24" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'


def _line_swatch(colour: str) -> str:
    return f'<path d="M0,6 H24" stroke="{colour}" stroke-width="2"/><circle cx="12" cy="6" r="3" fill="{colour}"/>'


def grouped_bars_svg(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    threshold: float | None = None,
    threshold_label: str = "",
    empty_message: str = "",
    css_class: str = "sla-chart sla-chart-met",
    width: int = WIDTH,
) -> SafeString:
    """Percentages (0–100) as grouped bars: a group per category, a bar per series; see the module docstring."""
    if not categories or not series or all(v is None for s in series for v in s.values):
        return empty_svg(title, empty_message or title, css_class, width)
    plot_width = width - LEFT - RIGHT
    slot = plot_width / len(categories)
    y0 = TOP + PLOT_HEIGHT
    parts = [_value_axis([0, 25, 50, 75, 100], 100, y0, plot_width, " %")]
    inner = slot * 0.8
    bar = min(28.0, inner / len(series))
    group = bar * len(series)
    parts.append('<g class="sla-bars">')
    for index, category in enumerate(categories):
        start = LEFT + slot * index + (slot - group) / 2
        for number, item in enumerate(series):
            value = item.values[index]
            if value is None:
                continue
            height = max(0.0, min(100.0, value)) / 100 * PLOT_HEIGHT
            height = max(height, 2.0)  # 0 % still shows: a bar on the axis
            x = start + number * bar
            parts.append(
                f'<rect class="sla-bar" data-series="{escape(item.label)}" data-category="{escape(category)}" '
                f'data-value="{_n(value)}" x="{_n(x + 1)}" y="{_n(y0 - height)}" width="{_n(max(bar - 2, 1))}" '
                f'height="{_n(max(height, 2))}" fill="{item.colour}"><title>{escape(item.label)} · '
                f"{escape(category)}: {_n(value)} %</title></rect>"
            )
    parts.append("</g>")
    if threshold is not None:
        y = y0 - max(0.0, min(100.0, threshold)) / 100 * PLOT_HEIGHT
        parts.append(
            f'<path class="sla-threshold" d="M{LEFT},{_n(y)} H{_n(LEFT + plot_width)}" stroke="{THRESHOLD}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    parts.append(_category_labels(categories, slot, y0))
    items = [(_box(s.colour), s.label) for s in series]
    if threshold is not None:
        items.append((_dash(THRESHOLD), threshold_label))
    legend, legend_height = _legend(items, y0 + LABEL_ROW + 6, width)
    parts.append(legend)
    return _svg(width, y0 + LABEL_ROW + 6 + legend_height + 4, title, "".join(parts), css_class)


def stacked_bars_svg(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    empty_message: str = "",
    css_class: str = "sla-chart sla-chart-weekly",
    width: int = WIDTH,
) -> SafeString:
    """Counts as stacked bars, a bar per category, its total above it; see the module docstring."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    if not categories or not any(totals):
        return empty_svg(title, empty_message or title, css_class, width)
    plot_width = width - LEFT - RIGHT
    slot = plot_width / len(categories)
    y0 = TOP + PLOT_HEIGHT
    top = nice_max(max(totals))
    parts = [_value_axis(_ticks(top), top, y0, plot_width, "")]
    bar = min(40.0, slot * 0.7)
    parts.append('<g class="sla-bars">')
    for index, category in enumerate(categories):
        x = LEFT + slot * index + (slot - bar) / 2
        base = y0
        for item in series:
            value = item.values[index] or 0
            if not value:
                continue
            height = value / top * PLOT_HEIGHT
            parts.append(
                f'<rect class="sla-bar" data-series="{escape(item.label)}" data-category="{escape(category)}" '
                f'data-value="{_n(value)}" x="{_n(x)}" y="{_n(base - height)}" width="{_n(bar)}" '
                f'height="{_n(height)}" fill="{item.colour}" stroke="#ffffff" stroke-width="0.5">'
                f"<title>{escape(item.label)} · {escape(category)}: {_n(value)}</title></rect>"
            )
            base -= height
        if totals[index] and slot >= 16:
            parts.append(
                _text(x + bar / 2, base - 4, _n(totals[index]), size=SIZE - 1, fill=TEXT, extra=' text-anchor="middle"')
            )
    parts.append("</g>")
    parts.append(_category_labels(categories, slot, y0))
    legend, legend_height = _legend(
        [(_box(s.colour), s.label) for s in series if any(s.values)], y0 + LABEL_ROW + 6, width
    )
    parts.append(legend)
    return _svg(width, y0 + LABEL_ROW + 6 + legend_height + 4, title, "".join(parts), css_class)


def bars_and_line_svg(
    *,
    title: str,
    categories: Sequence[str],
    bars: Sequence[int | None],
    bar_label: str,
    line: Sequence[int | None],
    line_label: str,
    markers: Sequence[VMarker] = (),
    empty_message: str = "",
    css_class: str = "sla-chart sla-chart-hypercare",
    width: int = WIDTH,
) -> SafeString:
    """Counts per category as bars and as a line (points where a value is given), with vertical markers."""
    if not categories:
        return empty_svg(title, empty_message or title, css_class, width)
    plot_width = width - LEFT - RIGHT
    slot = plot_width / len(categories)
    y0 = TOP + 12 + PLOT_HEIGHT  # room above for the marker labels
    top = nice_max(max([v or 0 for v in (*bars, *line)] or [0]))
    parts = [_value_axis(_ticks(top), top, y0, plot_width, "")]
    bar = min(36.0, slot * 0.6)
    parts.append('<g class="sla-bars">')
    for index, category in enumerate(categories):
        value = bars[index]
        if value is None:
            continue
        height = value / top * PLOT_HEIGHT
        x = LEFT + slot * index + (slot - bar) / 2
        parts.append(
            f'<rect class="sla-bar" data-category="{escape(category)}" data-value="{value}" x="{_n(x)}" '
            f'y="{_n(y0 - height)}" width="{_n(bar)}" height="{_n(max(height, 0.5))}" fill="#066fd1" '
            f'fill-opacity="0.75"><title>{escape(bar_label)} · {escape(category)}: {value}</title></rect>'
        )
    parts.append("</g>")
    points = [
        (LEFT + slot * (index + 0.5), y0 - value / top * PLOT_HEIGHT, value, categories[index])
        for index, value in enumerate(line)
        if value is not None
    ]
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{_n(x)},{_n(y)}" for i, (x, y, _v, _c) in enumerate(points))
        parts.append(f'<g class="sla-line"><path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        for x, y, value, category in points:
            parts.append(
                f'<circle class="sla-point" data-category="{escape(category)}" data-value="{value}" cx="{_n(x)}" '
                f'cy="{_n(y)}" r="3.5" fill="{LINE}"><title>{escape(line_label)} · {escape(category)}: {value}'
                f"</title></circle>"
            )
        parts.append("</g>")
    for marker in markers:
        x = LEFT + slot * max(0.0, min(float(len(categories)), marker.position))
        anchor = "start" if x < LEFT + plot_width / 2 else "end"
        dx = 4 if anchor == "start" else -4
        parts.append(
            f'<g class="sla-marker"><path d="M{_n(x)},{TOP - 2} V{_n(y0)}" stroke="{marker.colour}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            + _text(x + dx, TOP + 8, marker.label, size=SIZE - 1, fill=marker.colour, extra=f' text-anchor="{anchor}"')
            + "</g>"
        )
    parts.append(_category_labels(categories, slot, y0))
    items = [(_box("#066fd1"), bar_label), (_line_swatch(LINE), line_label)]
    items += [(_dash(m.colour, "4 3"), m.label) for m in markers]
    legend, legend_height = _legend(items, y0 + LABEL_ROW + 6, width)
    parts.append(legend)
    return _svg(width, y0 + LABEL_ROW + 6 + legend_height + 4, title, "".join(parts), css_class)
