"""Process diagrams, built on workbench.swimlane: a process's steps as a swimlane diagram (inline SVG)."""

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.models import Finding, Process, Step
from projects.selectors.processes import flow_edges, lanes_in_order
from workbench.swimlane import Edge, LegendItem, Marker, Node, swimlane_svg

# One symbol per finding kind, on the badge before the count (glyphs present in Noto Sans CJK and DejaVu Sans).
KIND_SYMBOLS = {
    Finding.Kind.PAIN_POINT: "!",
    Finding.Kind.REDUNDANCY: "≡",
    Finding.Kind.RISK: "⚠",
}
MANUAL_ACCENT, AUTOMATED_ACCENT = "yellow", "blue"


def severity_tone(severity: int) -> str:
    """Badge tone of a finding's severity (1–5): 4 and up bad, 3 warn, below info."""
    return "bad" if severity >= 4 else "warn" if severity == 3 else "info"


def _number(value: float) -> str:
    value = round(value, 1)
    return formats.number_format(int(value) if value == int(value) else value, decimal_pos=None)


def format_duration(minutes: int | None) -> str:
    """A step's typical duration, short and unbreakable: "45 min", "1.5 h", "2 days" ("" when unknown)."""
    if minutes is None:
        return ""
    if minutes < 60:
        text = _("%(count)s min") % {"count": minutes}
    elif minutes < 24 * 60:
        text = _("%(count)s h") % {"count": _number(minutes / 60)}
    else:
        days = minutes / (24 * 60)
        text = ngettext("%(count)s day", "%(count)s days", 1 if days == 1 else 2) % {"count": _number(days)}
    return text.replace(" ", "\u00a0")


def step_subtitle(step: Step) -> str:
    """ "3. Excel · 30 min": order, system used (else manual/automated) and duration."""
    parts = [step.system or (_("manual") if step.manual else _("automated"))]
    if duration := format_duration(step.duration_minutes):
        parts.append(duration)
    return f"{step.order}. " + "\u00a0· ".join(parts)  # the dot stays at the end of a wrapped line


def step_markers(step: Step) -> list[Marker]:
    """One badge per finding kind on the step: symbol and count, coloured by the worst severity."""
    markers = []
    for kind in Finding.Kind:
        findings = [f for f in step.findings_list if f.kind == kind]
        if not findings:
            continue
        heading = _("%(kind)s: %(count)s") % {"kind": kind.label, "count": len(findings)}
        lines = [
            _("• %(description)s (severity %(severity)s)") % {"description": f.description, "severity": f.severity}
            for f in sorted(findings, key=lambda f: -f.severity)
        ]
        markers.append(
            Marker(
                text=f"{KIND_SYMBOLS[kind]}{len(findings)}",
                tone=severity_tone(max(f.severity for f in findings)),
                title="\n".join([heading, *lines]),
            )
        )
    return markers


def _legend(steps: list[Step], back_loops: bool) -> list[LegendItem]:
    items = []
    if any(s.manual for s in steps):
        items.append(LegendItem(_("manual step"), accent=MANUAL_ACCENT))
    if any(not s.manual for s in steps):
        items.append(LegendItem(_("automated step"), accent=AUTOMATED_ACCENT))
    if back_loops:
        items.append(LegendItem(_("loops back"), line="dashed"))
    findings = [f for s in steps for f in s.findings_list]
    for kind in Finding.Kind:
        if any(f.kind == kind for f in findings):
            items.append(LegendItem(str(kind.label), marker=Marker(KIND_SYMBOLS[kind], "idle")))
    tones = {severity_tone(f.severity) for f in findings}
    for tone, label in [("bad", _("severity 4–5")), ("warn", _("severity 3")), ("info", _("severity 1–2"))]:
        if tone in tones:
            items.append(LegendItem(label, marker=Marker("", tone)))
    return items


def process_swimlane_svg(*, process: Process, steps: list[Step]) -> SafeString:
    """The process as a swimlane diagram (inline SVG). `steps` come from selectors.process_steps.

    Lanes in order of first appearance, one column per step order, arrows from flow_edges, badges for the
    findings, and each box linking to the step on the process page. No queries beyond `process.project`.
    """
    nodes = []
    for step in steps:
        if step.process_id == process.pk:
            step.process = process  # the step's link needs the process (and its project): no query per step
        nodes.append(
            Node(
                key=str(step.pk),
                lane=step.lane,
                column=step.order,
                title=step.action,
                subtitle=step_subtitle(step),
                markers=step_markers(step),
                href=step.get_absolute_url(),
                css_class="step-manual" if step.manual else "step-automated",
                accent=MANUAL_ACCENT if step.manual else AUTOMATED_ACCENT,
            )
        )
    edges = flow_edges(steps)
    return swimlane_svg(
        lanes=lanes_in_order(steps),
        nodes=nodes,
        edges=[Edge(str(a.pk), str(b.pk), label) for a, b, label in edges],
        title=process.name,
        legend=_legend(steps, any(b.order < a.order for a, b, _label in edges)) if steps else (),
    )
