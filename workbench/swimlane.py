"""Swimlane diagrams as server-side SVG, the same markup inline in pages and in WeasyPrint PDFs.

Generic: lanes are horizontal rows (label at the left), nodes are boxes in their lane, one column per
`Node.column`, edges are arrows. Layout rules:

* Columns are the distinct `column` values in order; there is meant to be one node per column (a step
  order), which is what keeps every routed arrow clear of the boxes.
* An edge to the next column is a straight or elbow line through the gap between the two columns.
* Any other edge (skipping columns, going back, loops) leaves its source box at the bottom, runs along
  a channel below the boxes of the source lane, and enters its target box from below (target in that
  lane or above) or from above (target lower down). Edges sharing a channel get their own tracks,
  and edges sharing a box side get their own ports, so branches stay apart. Edges that go back to an
  earlier column are dashed.
* Titles are wrapped by estimated text width (CJK ≈ 1 em, Latin ≈ 0.55 em), at most four lines.

Only presentation attributes are used (no page CSS, no script, no external references); the font family
is set on the root and on every text, or Chinese falls back to Japanese glyph forms in PDFs.
"""

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from workbench.svg import n as _n
from workbench.svg import svg
from workbench.svg import text as svg_text

Tone = Literal["bad", "warn", "info", "idle"]

# Tabler's palette.
TEXT = "#1d273b"
MUTED = "#667382"
BORDER = "#dce1e7"
BOX_FILL = "#ffffff"
BOX_STROKE = "#c8d3e1"
LANE_FILLS = ("#f6f8fb", "#ffffff")
LABEL_FILL = "#eef2f7"
ARROW = "#667382"
ACCENTS = {
    "blue": "#066fd1",
    "azure": "#4299e1",
    "indigo": "#4263eb",
    "purple": "#ae3ec9",
    "pink": "#d6336c",
    "red": "#d63939",
    "orange": "#f76707",
    "yellow": "#f59f00",
    "amber": "#f59f00",
    "lime": "#74b816",
    "green": "#2fb344",
    "teal": "#0ca678",
    "cyan": "#17a2b8",
    "gray": "#667382",
}
TONES: dict[str, tuple[str, str, str]] = {  # fill, text, stroke
    "bad": ("#d63939", "#ffffff", "#d63939"),
    "warn": ("#f59f00", "#1d273b", "#f59f00"),
    "info": ("#066fd1", "#ffffff", "#066fd1"),
    "idle": ("#f1f5f9", "#667382", "#c8d3e1"),
}

# Geometry (px).
MARGIN = 8
LANE_LABEL_WIDTH = 140
LEAD = 22  # between the lane label column and the first box, and after the last box
BOX_WIDTH = 150
GAP = 48  # between columns, wider where an edge label needs it
PAD_LEFT = 14  # title text from the box's left edge (past the accent bar)
PAD_RIGHT = 10
PAD_TOP = 13  # room for the markers straddling the top edge
PAD_BOTTOM = 9
MIN_BOX_HEIGHT = 58
TITLE_SIZE, TITLE_LEADING, TITLE_LINES = 13, 17, 4
SUB_SIZE, SUB_LEADING, SUB_LINES, SUB_GAP = 12, 16, 2, 3
LANE_SIZE, LANE_LEADING, LANE_LINES = 13, 17, 4
EDGE_SIZE, EDGE_LABEL_MAX = 12, 150
MARKER_SIZE, MARKER_HEIGHT = 12, 18
LANE_PAD_TOP = 20
LANE_PAD_BOTTOM = 20
TRACK_FIRST, TRACK_PITCH, TRACK_PAD = 22, 18, 14  # channel below a lane's boxes
PORT_INSET = 16
CORNER = 6
LEGEND_SIZE, LEGEND_ROW = 12, 24

_HEX = re.compile(r"^#[0-9a-fA-F]{3,8}$")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_NO_LINE_START = set("，。、；：？！）」』》〉】〕…,.;:?!)]}%")
_NO_LINE_END = set("（「『《〈【〔([{")
_NARROW = set("iljtfrI.,:;'!|()[]{}/-\"`")
_NARROW_SPECIAL = {"\u00a0": 0.3, "·": 0.6, "•": 0.6}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")  # not the no-break space: "20\u00a0min" stays on one line
ELLIPSIS = "…"


@dataclass
class Marker:
    """A small badge at the top-right corner of a node; `title` is its tooltip."""

    text: str
    tone: Tone = "info"
    title: str = ""


@dataclass
class Node:
    """A box in `lane` at `column`. `accent` (a Tabler colour name or #hex) draws a bar at the left edge;
    `css_class` goes on the node's group as a hook for the page (the drawing does not depend on it)."""

    key: str
    lane: str
    column: int
    title: str
    subtitle: str = ""
    markers: list[Marker] = field(default_factory=list)
    href: str = ""
    css_class: str = ""
    accent: str = ""


@dataclass
class Edge:
    source_key: str
    target_key: str
    label: str = ""


@dataclass
class LegendItem:
    """A legend entry under the diagram: a marker badge, an accent bar or an arrow (`line`), then the label."""

    label: str
    marker: Marker | None = None
    accent: str = ""
    line: Literal["", "solid", "dashed"] = ""


# Text measuring and wrapping


def _is_wide(char: str) -> bool:
    """CJK and other full-width characters: a line may break between any two of them."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _char_em(char: str) -> float:
    if char in _NARROW_SPECIAL:
        return _NARROW_SPECIAL[char]
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):  # ambiguous ones (…, —, →) are wide in CJK fonts
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if char == " ":
        return 0.3
    if char in _NARROW:
        return 0.34
    if char in "mwMW@%":
        return 0.86
    if char.isupper():
        return 0.66
    return 0.56


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated rendered width of `text` at font size `size`."""
    return sum(_char_em(c) for c in text) * size * (1.06 if bold else 1.0)


def _atoms(text: str) -> list[str]:
    """Unbreakable pieces: Latin words, single CJK characters (with their punctuation), and spaces."""
    atoms: list[str] = []
    glue_next = False
    for char in _SPACES.sub(" ", text).strip():
        if char == " ":
            atoms.append(" ")
            glue_next = False
            continue
        prev = atoms[-1] if atoms else " "
        if prev != " " and (glue_next or char in _NO_LINE_START or not (_is_wide(char) or _is_wide(prev[-1]))):
            atoms[-1] += char
        else:
            atoms.append(char)
        glue_next = char in _NO_LINE_END
    return atoms


def _ellipsize(line: str, width: float, size: float, bold: bool) -> str:
    line = line.rstrip()
    while line and text_width(line + ELLIPSIS, size, bold=bold) > width:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


def wrap(text: str, width: float, size: float, max_lines: int, *, bold: bool = False) -> list[str]:
    """`text` in lines no wider than `width`; at most `max_lines`, the last one ending in … if cut."""
    lines: list[str] = []
    line = ""
    for atom in _atoms(text):
        if len(lines) > max_lines:
            break
        if atom == " ":
            line += " " if line else ""
            continue
        if text_width(line + atom, size, bold=bold) <= width:
            line += atom
            continue
        if line.strip():
            lines.append(line.rstrip())
        while text_width(atom, size, bold=bold) > width and len(atom) > 1:  # a word longer than the line
            cut = 1
            while cut < len(atom) and text_width(atom[: cut + 1], size, bold=bold) <= width:
                cut += 1
            lines.append(atom[:cut])
            atom = atom[cut:]
        line = atom
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_ellipsize(lines[max_lines - 1], width, size, bold)]
    return lines


def fit(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """`text` on one line, cut with … when wider than `width`."""
    text = _SPACES.sub(" ", text).strip()
    return text if text_width(text, size, bold=bold) <= width else _ellipsize(text, width, size, bold)


# Layout


@dataclass
class _Box:
    node: Node
    lane: int
    col: int
    x: float
    title_lines: list[str]
    sub_lines: list[str]
    y: float = 0.0
    height: float = 0.0
    bottom_ports: list["_Port"] = field(default_factory=list)
    top_ports: list["_Port"] = field(default_factory=list)

    @property
    def right(self) -> float:
        return self.x + BOX_WIDTH

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    def markers_width(self) -> float:
        return sum(_marker_width(m) + 4 for m in self.node.markers)


@dataclass
class _Port:
    route: "_Route"
    other_col: int
    x: float = 0.0


@dataclass
class _Route:
    edge: Edge
    source: _Box
    target: _Box
    label: str
    label_width: float
    adjacent: bool
    back: bool
    out_port: _Port | None = None
    in_port: _Port | None = None
    enters_from_top: bool = False
    track: int = 0
    points: list[tuple[float, float]] = field(default_factory=list)
    label_at: tuple[float, float] | None = None


def _marker_width(marker: Marker) -> float:
    return max(MARKER_HEIGHT, text_width(marker.text, MARKER_SIZE, bold=True) + 12)


def _safe_href(href: str) -> bool:
    """Relative links, anchors and http(s)/mailto URLs; no javascript: or data: links."""
    scheme = _SCHEME.match(href or "")
    return bool(href and href.strip()) and (scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"))


def _accent_colour(accent: str) -> str:
    return ACCENTS.get(accent, accent if _HEX.match(accent or "") else "")


def _place_ports(ports: list[_Port], box: _Box, left: float, right: float) -> None:
    """Spread ports over [left, right]: edges heading left first (nearest first), then edges heading right
    (farthest first), so that the deeper tracks of longer edges are not crossed by the shorter ones."""
    ports.sort(key=lambda p: (0, -p.other_col) if p.other_col < box.col else (1, -p.other_col))
    span = max(right - left, 1.0)
    for index, port in enumerate(ports):
        port.x = left + span * (index + 0.5) / len(ports)


def _assign_tracks(routes: list[_Route]) -> int:
    """Give each route of one channel the first track where its horizontal run overlaps no other; returns the count."""
    taken: list[list[tuple[float, float]]] = []
    for route in sorted(routes, key=lambda r: (abs(r.in_port.x - r.out_port.x), r.source.col)):
        low, high = sorted((route.out_port.x, route.in_port.x))
        low, high = low - 10, high + 10
        if route.label:
            label_end = route.out_port.x + math.copysign(route.label_width + 16, route.in_port.x - route.out_port.x)
            low, high = min(low, label_end), max(high, label_end)
        for index, spans in enumerate(taken):
            if all(high < a or low > b for a, b in spans):
                spans.append((low, high))
                route.track = index
                break
        else:
            taken.append([(low, high)])
            route.track = len(taken) - 1
    return len(taken)


def _rounded_path(points: list[tuple[float, float]]) -> str:
    """An orthogonal polyline with rounded corners, in absolute commands (M, L, Q)."""
    out = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
    for (ax, ay), (px, py), (bx, by) in zip(points, points[1:], points[2:], strict=False):
        before, after = math.hypot(px - ax, py - ay), math.hypot(bx - px, by - py)
        radius = min(CORNER, before / 2, after / 2)
        if radius < 0.5:
            out.append(f"L{_n(px)},{_n(py)}")
            continue
        sx, sy = px - (px - ax) / before * radius, py - (py - ay) / before * radius
        ex, ey = px + (bx - px) / after * radius, py + (by - py) / after * radius
        out.append(f"L{_n(sx)},{_n(sy)} Q{_n(px)},{_n(py)} {_n(ex)},{_n(ey)}")
    out.append(f"L{_n(points[-1][0])},{_n(points[-1][1])}")
    return " ".join(out)


# Drawing


def _text(x: float, y: float, content: str, *, size: float, fill: str = TEXT, extra: str = "") -> str:
    return svg_text(x, y, content, size=size, fill=fill, extra=extra)


def _marker_svg(marker: Marker, x: float, y: float) -> str:
    """A badge with its top-left corner at (x, y)."""
    fill, ink, stroke = TONES.get(marker.tone, TONES["info"])
    width = _marker_width(marker)
    tooltip = f"<title>{escape(marker.title)}</title>" if marker.title else ""
    text = (
        _text(
            x + width / 2,
            y + MARKER_HEIGHT / 2 + MARKER_SIZE * 0.36,
            marker.text,
            size=MARKER_SIZE,
            fill=ink,
            extra=' font-weight="700" text-anchor="middle"',
        )
        if marker.text
        else ""
    )
    return (
        f'<g class="sl-marker" data-tone="{escape(marker.tone)}">{tooltip}'
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{MARKER_HEIGHT}" rx="{MARKER_HEIGHT / 2}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1"/>{text}</g>'
    )


def _accent_svg(colour: str, x: float, y: float, height: float) -> str:
    return f'<rect x="{_n(x + 2)}" y="{_n(y + 4)}" width="4" height="{_n(height - 8)}" rx="2" fill="{colour}"/>'


def _node_svg(box: _Box) -> str:
    node = box.node
    x, y, h = box.x, box.y, box.height
    tooltip = node.title + (f"\n{node.subtitle}" if node.subtitle else "")
    parts = [
        f'<rect class="sl-box" x="{_n(x)}" y="{_n(y)}" width="{BOX_WIDTH}" height="{_n(h)}" rx="6" '
        f'fill="{BOX_FILL}" stroke="{BOX_STROKE}" stroke-width="1"/>'
    ]
    if colour := _accent_colour(node.accent):
        parts.append(_accent_svg(colour, x, y, h))
    top = y + PAD_TOP
    for index, line in enumerate(box.title_lines):
        parts.append(_text(x + PAD_LEFT, top + index * TITLE_LEADING + TITLE_SIZE, line, size=TITLE_SIZE))
    top += len(box.title_lines) * TITLE_LEADING + SUB_GAP
    for index, line in enumerate(box.sub_lines):
        parts.append(_text(x + PAD_LEFT, top + index * SUB_LEADING + SUB_SIZE, line, size=SUB_SIZE, fill=MUTED))
    body = "".join(parts)
    if _safe_href(node.href):
        href = escape(node.href.strip())
        body = f'<a href="{href}" xlink:href="{href}">{body}</a>'
    marker_x = box.right - 8 - box.markers_width() + 4
    for marker in node.markers:
        body += _marker_svg(marker, marker_x, y - MARKER_HEIGHT / 2)
        marker_x += _marker_width(marker) + 4
    css = " ".join(["sl-node", *node.css_class.split()])
    return (
        f'<g class="{escape(css)}" data-key="{escape(node.key)}" data-lane="{escape(node.lane)}" '
        f'data-column="{node.column}"><title>{escape(tooltip)}</title>{body}</g>'
    )


def _edge_label_svg(route: _Route) -> str:
    cx, cy = route.label_at
    width, height = route.label_width, EDGE_SIZE + 6
    tooltip = f"<title>{escape(route.edge.label)}</title>" if route.label != route.edge.label else ""
    return (
        f'<g class="sl-edge-label" data-source="{escape(route.edge.source_key)}" '
        f'data-target="{escape(route.edge.target_key)}">{tooltip}'
        f'<rect x="{_n(cx - width / 2)}" y="{_n(cy - height / 2)}" width="{_n(width)}" height="{height}" rx="3" '
        f'fill="#ffffff" stroke="{BORDER}" stroke-width="1"/>'
        + _text(cx, cy + EDGE_SIZE * 0.36, route.label, size=EDGE_SIZE, extra=' text-anchor="middle"')
        + "</g>"
    )


def _legend_svg(items: Sequence[LegendItem], top: float, width: float, arrow_id: str) -> tuple[str, float]:
    """The legend as flowing rows from (MARGIN, top) within `width`; returns the markup and its height."""
    parts, x, y = [], MARGIN + 4, top
    for item in items:
        if item.marker is not None:
            icon = _marker_width(item.marker)
        elif item.line:
            icon = 34.0
        else:
            icon = 26.0
        label = fit(item.label, 260, LEGEND_SIZE)
        needed = icon + 6 + text_width(label, LEGEND_SIZE) + 18
        if x > MARGIN + 4 and x + needed > MARGIN + width:
            x, y = MARGIN + 4, y + LEGEND_ROW
        middle = y + LEGEND_ROW / 2
        if item.marker is not None:
            parts.append(_marker_svg(item.marker, x, middle - MARKER_HEIGHT / 2))
        elif item.line:
            dash = ' stroke-dasharray="5 3"' if item.line == "dashed" else ""
            parts.append(
                f'<path d="M{_n(x)},{_n(middle)} L{_n(x + icon)},{_n(middle)}" fill="none" stroke="{ARROW}" '
                f'stroke-width="1.5"{dash} marker-end="url(#{arrow_id})"/>'
            )
        else:
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(middle - 8)}" width="{_n(icon)}" height="16" rx="3" fill="{BOX_FILL}" '
                f'stroke="{BOX_STROKE}" stroke-width="1"/>'
            )
            if colour := _accent_colour(item.accent):
                parts.append(_accent_svg(colour, x, middle - 8, 16))
        parts.append(_text(x + icon + 6, middle + LEGEND_SIZE * 0.36, label, size=LEGEND_SIZE))
        x += needed
    return f'<g class="sl-legend">{"".join(parts)}</g>', y + LEGEND_ROW - top


def _svg(width: float, height: float, label: str, body: str) -> SafeString:
    return svg(width, height, label, body, css_class="sl-diagram", extra=' xmlns:xlink="http://www.w3.org/1999/xlink"')


def swimlane_svg(
    *,
    lanes: list[str],
    nodes: list[Node],
    edges: list[Edge],
    title: str = "",
    lane_label_width: int = LANE_LABEL_WIDTH,
    legend: Sequence[LegendItem] = (),
) -> SafeString:
    """The diagram as inline SVG markup. Lanes of nodes missing from `lanes` are added at the end; edges
    between unknown keys are left out. Without nodes: a tiny empty SVG (the caller shows an empty state)."""
    label = title or _("Swimlane diagram")
    if not nodes:
        return _svg(1, 1, label, "")
    lanes = list(dict.fromkeys([*lanes, *(n.lane for n in nodes)]))
    lane_of = {lane: index for index, lane in enumerate(lanes)}
    col_of = {column: index for index, column in enumerate(sorted({n.column for n in nodes}))}
    inner = BOX_WIDTH - PAD_LEFT - PAD_RIGHT
    boxes = {
        n.key: _Box(
            node=n,
            lane=lane_of[n.lane],
            col=col_of[n.column],
            x=0.0,
            title_lines=wrap(n.title, inner, TITLE_SIZE, TITLE_LINES),
            sub_lines=wrap(n.subtitle, inner, SUB_SIZE, SUB_LINES),
        )
        for n in nodes
    }

    routes: list[_Route] = []
    for edge in edges:
        source, target = boxes.get(edge.source_key), boxes.get(edge.target_key)
        if source is None or target is None:
            continue
        text = fit(edge.label, EDGE_LABEL_MAX, EDGE_SIZE) if edge.label.strip() else ""
        routes.append(
            _Route(
                edge=edge,
                source=source,
                target=target,
                label=text,
                label_width=text_width(text, EDGE_SIZE) + 12 if text else 0.0,
                adjacent=target.col == source.col + 1,
                back=target.col < source.col,
            )
        )

    # Columns: a gap wide enough for the label of the arrow through it.
    gaps = [GAP] * len(col_of)
    for route in routes:
        if route.adjacent and route.label:
            gaps[route.source.col] = max(gaps[route.source.col], route.label_width + 16)
    column_x, x = [], MARGIN + lane_label_width + LEAD
    for gap in gaps:
        column_x.append(x)
        x += BOX_WIDTH + gap
    width = column_x[-1] + BOX_WIDTH + LEAD + MARGIN
    for box in boxes.values():
        box.x = column_x[box.col]

    # Ports on the box sides for the routed (non-adjacent) edges, then their tracks in the channels.
    for route in routes:
        if route.adjacent:
            continue
        route.enters_from_top = route.target.lane > route.source.lane
        route.out_port = _Port(route, route.target.col)
        route.in_port = _Port(route, route.source.col)
        route.source.bottom_ports.append(route.out_port)
        (route.target.top_ports if route.enters_from_top else route.target.bottom_ports).append(route.in_port)
    for box in boxes.values():
        if box.bottom_ports:
            _place_ports(box.bottom_ports, box, box.x + PORT_INSET, box.right - PORT_INSET)
        if box.top_ports:
            right = max(box.right - 12 - box.markers_width(), box.x + BOX_WIDTH / 2)
            _place_ports(box.top_ports, box, box.x + PORT_INSET, right)
    tracks = [
        _assign_tracks([r for r in routes if not r.adjacent and r.source.lane == index]) for index in range(len(lanes))
    ]

    # Rows: box height fits the tallest box of the lane; the channel below it fits its tracks.
    label_width = lane_label_width - 20
    lane_lines = [wrap(lane, label_width, LANE_SIZE, LANE_LINES, bold=True) for lane in lanes]
    lane_top, y = [], MARGIN
    box_top, box_height = [], []
    for index in range(len(lanes)):
        members = [b for b in boxes.values() if b.lane == index]
        needed = [
            PAD_TOP
            + len(b.title_lines) * TITLE_LEADING
            + (SUB_GAP + len(b.sub_lines) * SUB_LEADING if b.sub_lines else 0)
            + PAD_BOTTOM
            for b in members
        ]
        height = max([MIN_BOX_HEIGHT, *needed])
        lane_top.append(y)
        box_top.append(y + LANE_PAD_TOP)
        box_height.append(height)
        bottom = y + LANE_PAD_TOP + height
        bottom += TRACK_FIRST + (tracks[index] - 1) * TRACK_PITCH + TRACK_PAD if tracks[index] else LANE_PAD_BOTTOM
        y = max(bottom, y + len(lane_lines[index]) * LANE_LEADING + 24)
    lanes_bottom = y
    for box in boxes.values():
        box.y, box.height = box_top[box.lane], box_height[box.lane]

    # Edge geometry.
    for route in routes:
        source, target = route.source, route.target
        if route.adjacent:
            if source.lane == target.lane:
                route.points = [(source.right, source.middle), (target.x, target.middle)]
                route.label_at = ((source.right + target.x) / 2, source.middle - EDGE_SIZE / 2 - 6)
            else:
                bend = (source.right + target.x) / 2
                route.points = [
                    (source.right, source.middle),
                    (bend, source.middle),
                    (bend, target.middle),
                    (target.x, target.middle),
                ]
                # Beside the first leg, on the side away from the turn (the gap is wide enough for it).
                side = -1 if target.middle > source.middle else 1
                route.label_at = (bend, source.middle + side * (EDGE_SIZE / 2 + 6))
            continue
        channel = box_top[source.lane] + box_height[source.lane] + TRACK_FIRST + route.track * TRACK_PITCH
        start, end = route.out_port.x, route.in_port.x
        route.points = [
            (start, source.bottom),
            (start, channel),
            (end, channel),
            (end, target.y if route.enters_from_top else target.bottom),
        ]
        direction = math.copysign(1, end - start) if end != start else 0
        half = route.label_width / 2
        centre = start + direction * (half + 12)
        if abs(end - start) > route.label_width + 24:
            low, high = sorted((start, end))
            centre = min(max(centre, low + half + 12), high - half - 12)
        route.label_at = (centre, channel)

    # Markup.
    digest = hashlib.sha1(  # noqa: S324 - a short id, not security
        repr(
            (title, lanes, [(n.key, n.column, n.lane) for n in nodes], [(e.source_key, e.target_key) for e in edges])
        ).encode()
    ).hexdigest()[:8]
    arrow_id = f"sl-arrow-{digest}"
    legend_svg, legend_height = ("", 0.0)
    if legend:
        legend_svg, legend_height = _legend_svg(legend, lanes_bottom + 10, width - 2 * MARGIN, arrow_id)
    height = lanes_bottom + (legend_height + 10 if legend else 0) + MARGIN
    table_width = width - 2 * MARGIN

    parts = [
        f'<defs><marker id="{arrow_id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker></defs>',
        '<g class="sl-lanes">',
    ]
    for index, lane in enumerate(lanes):
        top = lane_top[index]
        bottom = lane_top[index + 1] if index + 1 < len(lanes) else lanes_bottom
        lines = lane_lines[index]
        baseline = (top + bottom) / 2 - (len(lines) - 1) * LANE_LEADING / 2 + LANE_SIZE * 0.36
        texts = "".join(
            _text(MARGIN + 12, baseline + i * LANE_LEADING, line, size=LANE_SIZE, extra=' font-weight="600"')
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<g class="sl-lane" data-lane="{escape(lane)}"><title>{escape(lane)}</title>'
            f'<rect x="{MARGIN}" y="{_n(top)}" width="{_n(table_width)}" height="{_n(bottom - top)}" '
            f'fill="{LANE_FILLS[index % 2]}"/>'
            f'<rect x="{MARGIN}" y="{_n(top)}" width="{lane_label_width}" height="{_n(bottom - top)}" '
            f'fill="{LABEL_FILL}"/>{texts}</g>'
        )
        if index:
            parts.append(f'<path d="M{MARGIN},{_n(top)} H{_n(width - MARGIN)}" stroke="{BORDER}" stroke-width="1"/>')
    parts.append(
        f'<path d="M{MARGIN + lane_label_width},{MARGIN} V{_n(lanes_bottom)}" stroke="{BORDER}" stroke-width="1"/>'
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{_n(table_width)}" height="{_n(lanes_bottom - MARGIN)}" '
        f'fill="none" stroke="{BORDER}" stroke-width="1"/></g>'
    )

    parts.append(f'<g class="sl-edges" fill="none" stroke="{ARROW}" stroke-width="1.5">')
    for route in routes:
        dash = ' stroke-dasharray="5 3"' if route.back else ""
        parts.append(
            f'<path class="sl-edge" data-source="{escape(route.edge.source_key)}" '
            f'data-target="{escape(route.edge.target_key)}" d="{_rounded_path(route.points)}"{dash} '
            f'marker-end="url(#{arrow_id})"/>'
        )
    parts.append('</g><g class="sl-nodes">')
    parts += [_node_svg(box) for box in boxes.values()]
    parts.append('</g><g class="sl-edge-labels">')
    parts += [_edge_label_svg(route) for route in routes if route.label]
    parts.append("</g>")
    parts.append(legend_svg)
    return _svg(width, height, label, "".join(parts))
