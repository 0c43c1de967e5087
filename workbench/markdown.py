"""Safe Markdown: Markdown → HTML → nh3 allow-list. Whatever a user types, no script survives."""

import html
import re
import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]


_local = threading.local()


def _parser() -> md.Markdown:
    """This thread's Markdown parser: building one costs as much as converting a short text, so it is reused."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = md.Markdown(
            extensions=EXTENSIONS,
            extension_configs={"tables": {"use_align_attribute": True}},  # nh3 drops style=""
            output_format="html",
        )
    return parser


# Text that Markdown would leave as it is: no character that starts markup, no line that opens a list,
# quote, heading or code block, no hard break made of trailing spaces. Most requirement statements and
# acceptance criteria are such plain sentences; for them the parser (half a millisecond each, the bulk of
# publishing 5,000 requirements) is skipped. tests/workbench/test_markdown.py checks on random texts that
# the shortcut and the parser give the same HTML.
_MARKUP = re.compile(r"[\\`*_\[\]<>!#|~&\t\r=:]|(?:^|\n)(?:[ +\-]|\d+[.)])|  \n|  $|\n\s*\n\s*\n")


def _plain_paragraphs(text: str) -> str:
    """What the parser makes of plain text: paragraphs at blank lines, a <br> at each line end (nl2br)."""
    paragraphs = text.strip("\n").split("\n\n")
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line, quote=False) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )


def render_markdown(text: str | None) -> SafeString:
    """Render user Markdown to sanitised HTML; raw HTML in the input is cleaned, not trusted."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - empty string
    if _MARKUP.search(text):
        parser = _parser()
        parser.reset()
        converted = parser.convert(text)
    else:
        converted = _plain_paragraphs(text)
    clean = nh3.clean(
        converted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 above
