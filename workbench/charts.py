"""Server-side SVG charts (pygal), the same markup for pages and PDFs.

pygal comes from Kozea, the makers of WeasyPrint, and writes plain SVG that WeasyPrint renders. The
font family is set explicitly: without it Chinese falls back to Japanese glyph forms in PDFs.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from workbench.numbers import plain_decimal

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# Tabler's palette: measured values blue, baseline grey, target green, go-live marker purple.
STYLE = Style(
    font_family=FONT_FAMILY,
    background="transparent",
    plot_background="transparent",
    foreground="#1d273b",
    foreground_strong="#1d273b",
    foreground_subtle="#c8d1dc",
    guide_stroke_color="#e6e7e9",
    major_guide_stroke_color="#e6e7e9",
    colors=("#066fd1", "#667382", "#2fb344", "#ae3ec9"),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    value_font_size=12,
    tooltip_font_size=12,
)


def chart_style(*colors: str) -> Style:
    """The workbench chart style with series colours of its own (font family kept explicit, for Chinese)."""
    return Style(**{**STYLE.to_dict(), "font_family": FONT_FAMILY, "colors": colors})


_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the chart (baseline, target) with its legend label."""

    label: str
    value: Decimal


@dataclass(frozen=True)
class Marker:
    """A vertical line at a date (go-live) with its legend label."""

    label: str
    day: date


def static_chart(chart_class: type, *, width: int, height: int, **options) -> pygal.graph.graph.Graph:
    """A pygal chart set up for static inline SVG: no script, the CJK font, legend below, labels never cut.
    `options` add to or override these defaults."""
    defaults = {
        "style": STYLE,
        "width": width,
        "height": height,
        "js": [],
        "css": ["file://style.css", "file://graph.css"],
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "explicit_size": True,
        "no_data_text": "",
        "margin": 10,
    }
    return chart_class(**{**defaults, **options})


def svg_markup(chart: pygal.graph.graph.Graph) -> SafeString:
    """The chart as inline SVG markup, without pygal's tooltip script (the app loads no chart script)."""
    return mark_safe(_SCRIPT.sub("", chart.render(is_unicode=True)))  # noqa: S308 - pygal escapes its labels


def _month_labels(start: date, end: date, most: int = 8) -> list[date]:
    """First days of the months from start to end, every n-th one so that at most `most` remain."""
    months = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months[:: -(-len(months) // most)] if months else [start]


def trend_chart(
    *,
    points: list[tuple[date, Decimal]],
    series_label: str,
    references: list[Reference] = (),
    marker: Marker | None = None,
    title: str = "",
    width: int = 720,
    height: int = 320,
) -> SafeString:
    """A dated line chart with reference lines and an optional date marker, as inline SVG markup."""
    days = [d for d, _v in points] + ([marker.day] if marker else [])
    start, end = (min(days), max(days)) if days else (date.today(), date.today())
    if start == end:
        start, end = start - timedelta(days=15), end + timedelta(days=15)
    values = [float(v) for _d, v in points] + [float(r.value) for r in references]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad

    chart = static_chart(
        pygal.DateLine,
        width=width,
        height=height,
        title=title or None,
        legend_at_bottom_columns=min(4, 1 + len(references) + (1 if marker else 0)),
        show_x_guides=False,
        range=(low, high),
        x_label_rotation=0,
        x_labels=_month_labels(start, end),  # whole months, few enough to be read without truncation
        x_value_formatter=lambda d: d.strftime("%Y-%m"),
        value_formatter=plain_decimal,
        dots_size=3,
        explicit_size=False,
    )
    chart.add(series_label, [(d, float(v)) for d, v in points])
    for ref in references:
        chart.add(
            ref.label,
            [(start, float(ref.value)), (end, float(ref.value))],
            show_dots=False,
            stroke_style={"width": 1.5, "dasharray": "6, 4"},
        )
    if marker is not None:
        chart.add(
            marker.label,
            [(marker.day, low), (marker.day, high)],
            show_dots=False,
            stroke_style={"width": 1.5, "dasharray": "2, 3"},
        )
    return svg_markup(chart)
