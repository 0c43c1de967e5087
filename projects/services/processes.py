"""Write operations on processes, their steps, the flow between steps, and findings.

Step order stays dense (1, 2, 3 …) and unique: every insert, move and delete renumbers the
process's steps in one transaction.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from projects.models import Finding, Process, Project, Step, StepLink
from projects.process_templates import BY_KEY as TEMPLATES
from projects.services import ProjectError, apply_fields
from workbench.locking import save_versioned

# Orders are moved out of the way first, so the unique (process, order) constraint holds at every statement.
_PARKING = 1_000_000


# Processes


def process_create(*, project: Project, **fields: Any) -> Process:
    process = Process(project=project, **fields)
    process.full_clean()
    process.save()
    return process


def process_update(*, process: Process, expected_version: int, **fields: Any) -> Process:
    """Change a process; raises StaleVersionError if someone saved in between.

    Raises ProjectError when the kind of an as-is/to-be pair would change, which would break the comparison.
    """
    if "kind" in fields and fields["kind"] != process.kind and (process.derived_from_id or process.derived.exists()):
        raise ProjectError(_("This process is part of an as-is/to-be pair, so its kind cannot change."))
    apply_fields(process, fields)
    process.full_clean()
    return save_versioned(process, expected_version=expected_version)


def process_delete(*, process: Process) -> None:
    """Delete a process with its steps and findings (all kept in the history)."""
    process.delete()


# Steps and their order


def _renumber(process: Process, steps: list[Step]) -> None:
    """Give `steps` (all of the process's steps, in their new order) the orders 1..n, saving only those that move."""
    moving = [(position, step) for position, step in enumerate(steps, start=1) if step.order != position]
    if not moving:
        return
    Step.objects.filter(pk__in=[s.pk for _p, s in moving]).update(order=F("order") + _PARKING)
    for position, step in moving:
        step.order = position
        step.save(update_fields=["order", "updated_at"])


def _locked_steps(process: Process) -> list[Step]:
    return list(Step.objects.select_for_update().filter(process=process).order_by("order"))


@transaction.atomic
def step_insert(*, process: Process, position: int | None = None, **fields: Any) -> Step:
    """Add a step at `position` (1-based; None or past the end appends) and renumber the rest."""
    steps = _locked_steps(process)
    position = len(steps) + 1 if position is None else max(1, min(position, len(steps) + 1))
    step = Step(process=process, order=position, **fields)
    step.full_clean(exclude=["order"])
    # Make room first, so that the history records the new step at its place, not at a parking order.
    _renumber(process, [*steps[: position - 1], Step(order=position), *steps[position - 1 :]])
    step.save()
    return step


@transaction.atomic
def step_move(*, step: Step, position: int) -> Step:
    """Move a step to `position` (1-based, clamped to the process) and renumber the others."""
    steps = _locked_steps(step.process)
    current = next(s for s in steps if s.pk == step.pk)
    steps.remove(current)
    position = max(1, min(position, len(steps) + 1))
    steps.insert(position - 1, current)
    _renumber(step.process, steps)
    step.order = current.order
    return step


def step_update(*, step: Step, expected_version: int, **fields: Any) -> Step:
    """Change a step's content (not its order: use step_move); raises StaleVersionError on a stale save."""
    fields.pop("order", None)
    apply_fields(step, fields)
    step.full_clean()
    return save_versioned(step, expected_version=expected_version)


@transaction.atomic
def step_delete(*, step: Step) -> None:
    """Delete a step with its findings and arrows; the steps after it move up."""
    process = step.process
    step._change_reason = gettext_noop("step deleted")
    step.delete()
    _renumber(process, _locked_steps(process))


@transaction.atomic
def step_set_next(*, step: Step, next_steps: Iterable[Step], labels: dict[int, str] | None = None) -> None:
    """Replace the steps that may follow `step`. An empty list means "the following step in order".

    Raises ProjectError for a step of another process or the step itself; nothing changes then.
    """
    wanted = {s.pk: s for s in next_steps}
    labels = labels or {}
    for target in wanted.values():
        if target.process_id != step.process_id:
            raise ProjectError(
                _("“%(action)s” is a step of another process; a step can only lead to steps of its own process.")
                % {"action": target.action}
            )
        if target.pk == step.pk:
            raise ProjectError(_("A step cannot lead to itself."))
    current = {link.to_step_id: link for link in step.links_out.all()}
    for to_id, link in current.items():
        if to_id not in wanted:
            link.delete()
        elif link.label != labels.get(to_id, link.label):
            link.label = labels[to_id]
            link.full_clean()
            link.save()
    for to_id, target in wanted.items():
        if to_id not in current:
            link = StepLink(from_step=step, to_step=target, label=labels.get(to_id, ""))
            link.full_clean()
            link.save()


@transaction.atomic
def step_save(
    *,
    step: Step,
    expected_version: int | None = None,
    position: int | None = None,
    next_steps: Iterable[Step] = (),
    labels: dict[int, str] | None = None,
    **fields: Any,
) -> Step:
    """Insert (unsaved `step`, at `position`) or update a step, then set its next steps, all or nothing.

    Raises StaleVersionError, ValidationError or ProjectError (see step_update and step_set_next).
    """
    if step.pk is None:
        step = step_insert(process=step.process, position=position, **fields)
    else:
        step = step_update(step=step, expected_version=expected_version, **fields)
    step_set_next(step=step, next_steps=next_steps, labels=labels)
    return step


# Findings


def finding_create(*, step: Step, **fields: Any) -> Finding:
    finding = Finding(step=step, **fields)
    finding.full_clean()
    finding.save()
    return finding


def finding_update(*, finding: Finding, expected_version: int, **fields: Any) -> Finding:
    """Change a finding (it may move to another step of the same project); raises StaleVersionError."""
    new_step = fields.get("step")
    if new_step is not None and new_step.process.project_id != finding.step.process.project_id:
        raise ProjectError(_("A finding can only move to a step of the same project."))
    apply_fields(finding, fields)
    finding.full_clean()
    return save_versioned(finding, expected_version=expected_version)


def finding_delete(*, finding: Finding) -> None:
    finding.delete()


# Copies: templates into a project, as-is into to-be


def _copy_steps(source_steps: list[Step], target: Process, *, keep_source: bool) -> dict[int, Step]:
    """Copy steps and their arrows into `target` (empty); returns {source step id: copy}."""
    copies: dict[int, Step] = {}
    for step in source_steps:
        copies[step.pk] = Step.objects.create(
            process=target,
            order=step.order,
            lane=step.lane,
            action=step.action,
            system=step.system,
            manual=step.manual,
            duration_minutes=step.duration_minutes,
            ends_flow=step.ends_flow,
            source_step=step if keep_source else None,
        )
    for link in StepLink.objects.filter(from_step__in=source_steps):
        StepLink.objects.create(from_step=copies[link.from_step_id], to_step=copies[link.to_step_id], label=link.label)
    return copies


@transaction.atomic
def process_derive_to_be(*, process: Process, name: str = "") -> Process:
    """Copy an as-is process (steps and arrows, not findings) into a new to-be process linked back to it."""
    if process.kind != Process.Kind.AS_IS:
        raise ProjectError(_("A to-be process is derived from an as-is process."))
    to_be = Process(
        project=process.project,
        name=name or _("%(name)s (to-be)") % {"name": process.name},
        kind=Process.Kind.TO_BE,
        owner_department=process.owner_department,
        description=process.description,
        derived_from=process,
    )
    to_be.full_clean()
    to_be._change_reason = gettext_noop("derived from an as-is process")
    to_be.save()
    _copy_steps(list(process.steps.order_by("order")), to_be, keep_source=True)
    return to_be


@transaction.atomic
def process_create_from_template(*, project: Project, template_key: str) -> Process:
    """Copy a 进销存 process template into the project, in the active language, as an as-is process."""
    template = TEMPLATES.get(template_key)
    if template is None:
        raise ProjectError(_("There is no process template called “%(key)s”.") % {"key": template_key})
    process = Process(
        project=project,
        name=str(template.name),
        kind=Process.Kind.AS_IS,
        owner_department=template.department,
        description=str(template.description),
        template_key=template.key,
    )
    process.full_clean()
    process._change_reason = gettext_noop("copied from a template")
    process.save()
    steps = []
    for order, t in enumerate(template.steps, start=1):
        steps.append(
            Step.objects.create(
                process=process,
                order=order,
                lane=str(t.lane),
                action=str(t.action),
                system=str(t.system),
                manual=t.manual,
                duration_minutes=t.minutes,
                ends_flow=t.ends_flow,
            )
        )
    for t_from, t_to, label in template.links:
        StepLink.objects.create(from_step=steps[t_from - 1], to_step=steps[t_to - 1], label=str(label))
    return process
