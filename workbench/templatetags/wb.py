from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats
from django.utils.safestring import SafeString

from workbench import history
from workbench.markdown import render_markdown
from workbench.numbers import plain_decimal

register = template.Library()


@register.filter
def markdown(text: str | None) -> SafeString:
    """Render Markdown safely (see workbench.markdown)."""
    return render_markdown(text)


@register.filter
def format_change(change: history.Change) -> SafeString:
    return history.format_change(change)


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced, for paging and sorting links."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def num(value: Decimal | int | float | str | None) -> str:
    """A number without trailing zeros, in the active language's format: Decimal("99.5000") → "99.5"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = plain_decimal(number)
    places = len(text.partition(".")[2])
    return formats.number_format(Decimal(text), decimal_pos=places, use_l10n=True)
