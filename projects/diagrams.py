"""Process diagrams, built on workbench.swimlane (placeholder until the renderer lands)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from projects.models import Process, Step


def process_swimlane_svg(*, process: Process, steps: list[Step]) -> SafeString:
    """The process as a swimlane diagram (inline SVG). `steps` come from selectors.process_steps."""
    return format_html('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" data-steps="{}"></svg>', len(steps))
