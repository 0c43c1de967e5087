"""The few pieces every hand-drawn SVG here is made of: numbers, text and the <svg> element itself.

The font family is always written out, with the Simplified Chinese fonts first: without it a browser or WeasyPrint
may draw Chinese with Japanese glyph forms. Every text and attribute value is escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from workbench.charts import FONT_FAMILY

FONT = FONT_FAMILY.replace('"', "'")


def n(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros: 12, 12.5."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text(x: float, y: float, content: str, *, size: float, fill: str, extra: str = "") -> str:
    return (
        f'<text x="{n(x)}" y="{n(y)}" font-family="{FONT}" font-size="{n(size)}" fill="{fill}"{extra}>'
        f"{escape(content)}</text>"
    )


def svg(width: float, height: float, label: str, body: str, *, css_class: str, extra: str = "") -> SafeString:
    """The drawing as an accessible image: its label is both the aria-label and the <title>."""
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg"{extra} class="{escape(css_class)}" width="{n(width)}" '
        f'height="{n(height)}" viewBox="0 0 {n(width)} {n(height)}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}"><title>{escape(label)}</title>{body}</svg>'
    )
    return mark_safe(markup)  # noqa: S308 - every text and attribute value is escaped
