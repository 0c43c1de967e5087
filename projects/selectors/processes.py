"""Reads for processes: lists with counts, the swimlane diagram's input, findings, and as-is/to-be comparison."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from projects.models import Finding, Process, Project, Step, StepLink

COMPARED_FIELDS = ["lane", "action", "system", "manual", "duration_minutes", "ends_flow"]


def process_list(*, project: Project) -> QuerySet[Process]:
    """The project's processes with `step_count` and finding counts per kind."""
    findings = "steps__findings"
    return (
        project.processes.select_related("derived_from")
        .annotate(
            step_count=Count("steps", distinct=True),
            finding_count=Count(findings, distinct=True),
            pain_point_count=Count(findings, filter=Q(steps__findings__kind=Finding.Kind.PAIN_POINT), distinct=True),
            redundancy_count=Count(findings, filter=Q(steps__findings__kind=Finding.Kind.REDUNDANCY), distinct=True),
            risk_count=Count(findings, filter=Q(steps__findings__kind=Finding.Kind.RISK), distinct=True),
        )
        .order_by("kind", "name", "pk")
    )  # a grouped query drops Meta.ordering


def process_steps(*, process: Process) -> list[Step]:
    """The steps in order, each with `.findings_list` and `.next_list` (its outgoing links), in three queries."""
    steps = list(process.steps.order_by("order").prefetch_related("findings", "links_out__to_step"))
    for step in steps:
        step.findings_list = sorted(step.findings.all(), key=lambda f: (-f.severity, f.pk))
        step.next_list = sorted(step.links_out.all(), key=lambda link: link.to_step.order)
    return steps


def lanes_in_order(steps: list[Step]) -> list[str]:
    """Lanes in the order they first appear in the flow."""
    lanes: list[str] = []
    for step in steps:
        if step.lane not in lanes:
            lanes.append(step.lane)
    return lanes


def flow_edges(steps: list[Step]) -> list[tuple[Step, Step, str]]:
    """(from, to, label) for every arrow: explicit links, else on to the next step unless the step ends the flow."""
    edges = []
    for index, step in enumerate(steps):
        if step.next_list:
            edges += [(step, link.to_step, link.label) for link in step.next_list]
        elif not step.ends_flow and index + 1 < len(steps):
            edges.append((step, steps[index + 1], ""))
    return edges


def findings_for_project(*, project: Project) -> QuerySet[Finding]:
    """All findings of the project's processes, with step and process joined, most severe first."""
    return (
        Finding.objects.filter(step__process__project=project)
        .select_related("step", "step__process")
        .order_by("-severity", "step__process__name", "step__order", "pk")
    )


@dataclass
class StepComparison:
    status: str  # "unchanged", "changed", "removed", "added"
    as_is: Step | None
    to_be: Step | None
    changed: list[str] = field(default_factory=list)  # verbose names of the fields that differ


def process_compare(*, as_is: Process, to_be: Process) -> list[StepComparison]:
    """Step-by-step comparison of a to-be process with the as-is process it was derived from.

    Steps are paired through the copy's `source_step`, so a step that was edited, moved or renamed is
    still recognised; as-is steps without a copy are removed, to-be steps without a source are added.
    """
    old_steps = list(as_is.steps.order_by("order"))
    new_steps = list(to_be.steps.order_by("order"))
    by_source = {s.source_step_id: s for s in new_steps if s.source_step_id}
    verbose = {name: str(Step._meta.get_field(name).verbose_name) for name in COMPARED_FIELDS}
    rows: list[tuple[tuple[float, int], StepComparison]] = []
    anchor = 0.0  # where the last kept as-is step now stands, so removed steps show where they used to be
    for old in old_steps:
        new = by_source.get(old.pk)
        if new is None:
            rows.append(((anchor + 0.5, old.order), StepComparison("removed", old, None)))
            continue
        anchor = float(new.order)
        changed = [verbose[name] for name in COMPARED_FIELDS if getattr(old, name) != getattr(new, name)]
        rows.append(((anchor, 0), StepComparison("changed" if changed else "unchanged", old, new, changed)))
    rows += [((float(new.order), 0), StepComparison("added", None, new)) for new in new_steps if not new.source_step_id]
    rows.sort(key=lambda pair: pair[0])
    return [row for _key, row in rows]


def process_history_querysets(*, process: Process) -> list[QuerySet]:
    """History of a process, its steps (including deleted ones), their arrows and findings."""
    step_ids = set(Step.history.filter(process_id=process.pk).values_list("id", flat=True))
    return [
        Process.history.filter(id=process.pk),
        Step.history.filter(process_id=process.pk),
        StepLink.history.filter(from_step_id__in=step_ids),
        Finding.history.filter(step_id__in=step_ids),
    ]
