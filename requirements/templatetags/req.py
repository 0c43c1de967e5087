"""Badges for requirement status and priority, in the colours every module shares.

Simple tags rather than includes: the list page draws a few hundred of them per request.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

STATUS_LOOK = {
    "draft": ("wb-state-idle", "ti-pencil"),
    "in_review": ("wb-state-info", "ti-eye"),
    "approved": ("wb-state-good", "ti-circle-check"),
    "implemented": ("bg-teal-lt", "ti-tool"),
    "verified": ("bg-green text-green-fg", "ti-rosette-discount-check"),
    "rejected": ("wb-state-bad", "ti-circle-x"),
    "deferred": ("wb-state-warn", "ti-clock-pause"),
}
PRIORITY_LOOK = {"must": "bg-red-lt", "should": "bg-orange-lt", "could": "bg-azure-lt", "wont": "bg-secondary-lt"}


@register.simple_tag
def status_badge(status: str, label: str, count: int | None = None) -> SafeString:
    css, icon = STATUS_LOOK.get(status, STATUS_LOOK["deferred"])
    number = format_html('<span class="fw-bold">{}</span>', count) if count is not None else ""
    return format_html(
        '<span class="badge wb-state {}" data-status="{}"><i class="ti {}" aria-hidden="true"></i>{}{}</span>',
        css,
        status,
        icon,
        number,
        label,
    )


@register.simple_tag
def priority_badge(priority: str, label: str) -> SafeString:
    return format_html(
        '<span class="badge {}" data-priority="{}">{}</span>',
        PRIORITY_LOOK.get(priority, "bg-secondary-lt"),
        priority,
        label,
    )
