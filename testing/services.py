"""Write operations of UAT, with their rules.

- Case keys (UAT-001) and defect keys (DEF-001) are given without gaps or duplicates, like requirement keys.
- A case's text and steps are frozen into a run when the run starts (or when the case joins a started
  run), so later edits to the case never rewrite what was tested.
- A case's result follows from its steps (`derive_result`); a retest is a new execution and the latest
  counts, earlier ones are kept.
- A run is signed by re-entering the password; while a critical defect of the run is open, only with a
  written waiver. Signatures are immutable (`SignOff`).
- Evidence: images and PDFs up to a size limit, checked by content, not by the file name alone.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Membership, Project
from requirements.models import Requirement
from testing.models import (
    CaseSequence,
    CaseStep,
    Defect,
    DefectSequence,
    Evidence,
    Execution,
    RunCase,
    SignOff,
    StepResult,
    TestRun,
    UATCase,
    format_case_key,
    format_defect_key,
)
from testing.models.runs import FINISHED_RESULTS, STEP_STATUSES, Result
from workbench.errors import BusinessRuleError
from workbench.locking import save_versioned
from workbench.sequences import next_number

EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
_MAGIC = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
]


class TestingError(BusinessRuleError):
    """A UAT rule refused the change; the message is shown to the user as it is."""

    __test__ = False


Step = tuple[str, str] | tuple[str, str, str]  # (action, expected[, test data])


def _check_requirements(project: Project, requirements: Iterable[Requirement]) -> list[Requirement]:
    requirements = list(requirements)
    if any(r.project_id != project.pk for r in requirements):
        raise TestingError(_("Only requirements of this project can be verified by its cases."))
    return requirements


def _write_steps(case: UATCase, steps: Sequence[Step]) -> None:
    case.steps.all().delete()
    for order, step in enumerate(steps, start=1):
        action, expected, *rest = step
        if not action.strip() or not expected.strip():
            raise TestingError(_("Step %(n)s needs both an action and an expected result.") % {"n": order})
        CaseStep.objects.create(
            case=case, order=order, action=action, expected=expected, test_data=rest[0] if rest else ""
        )


# Cases --------------------------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    project: Project,
    title: str,
    steps: Sequence[Step] = (),
    requirements: Iterable[Requirement] = (),
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> UATCase:
    requirements = _check_requirements(project, requirements)
    number = next_number(CaseSequence, project)
    case = UATCase(project=project, number=number, key=format_case_key(number), title=title, **fields)
    case.full_clean()
    if user is not None:
        case._history_user = user
    case.save()
    case.requirements.set(requirements)
    _write_steps(case, steps)
    return case


@transaction.atomic
def case_update(
    *,
    case: UATCase,
    expected_version: int,
    steps: Sequence[Step] | None = None,
    requirements: Iterable[Requirement] | None = None,
    user: AbstractBaseUser | None = None,
    **fields: Any,
) -> UATCase:
    for frozen in ("project", "number", "key", "version"):
        fields.pop(frozen, None)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    if user is not None:
        case._history_user = user
    save_versioned(case, expected_version=expected_version)
    if requirements is not None:
        case.requirements.set(_check_requirements(case.project, requirements))
    if steps is not None:
        _write_steps(case, steps)
    return case


@transaction.atomic
def case_delete(*, case: UATCase) -> None:
    """Delete a case that no run holds; once run, a case is part of the record and stays."""
    if case.run_cases.exists():
        raise TestingError(
            _("%(key)s is part of a test run and cannot be deleted; edit it instead.") % {"key": case.key}
        )
    case.delete()


# Runs ---------------------------------------------------------------------------------------------------


def _freeze(run_case: RunCase) -> None:
    case = run_case.case
    run_case.frozen_at = timezone.now()
    run_case.frozen_key = case.key
    run_case.frozen_title = case.title
    run_case.frozen_role = case.role
    run_case.frozen_flow = case.flow
    run_case.frozen_priority = case.priority
    run_case.frozen_preconditions = case.preconditions
    run_case.frozen_steps = [
        {"order": s.order, "action": s.action, "expected": s.expected, "test_data": s.test_data}
        for s in case.steps.all()
    ]
    run_case.frozen_requirements = list(case.requirements.order_by("number").values_list("key", flat=True))
    run_case.save()


@transaction.atomic
def run_create(
    *, project: Project, name: str, cases: Iterable[UATCase] = (), user: AbstractBaseUser | None = None, **fields
) -> TestRun:
    run = TestRun(project=project, name=name, **fields)
    run.full_clean()
    if user is not None:
        run._history_user = user
    run.save()
    run_add_cases(run=run, cases=cases)
    return run


@transaction.atomic
def run_add_cases(*, run: TestRun, cases: Iterable[UATCase]) -> list[RunCase]:
    """Add cases to a run (those already in it are skipped); in a started run they are frozen at once."""
    cases = list(cases)
    if any(c.project_id != run.project_id for c in cases):
        raise TestingError(_("Only cases of this project can be added to its runs."))
    if run.status == TestRun.Status.COMPLETED:
        raise TestingError(_("This run is completed; plan a new run for more cases."))
    present = set(run.run_cases.values_list("case_id", flat=True))
    order = run.run_cases.aggregate(last=Max("order"))["last"] or 0
    added = []
    for case in cases:
        if case.pk in present:
            continue
        present.add(case.pk)  # the same case twice in one call is added once
        order += 1
        run_case = RunCase.objects.create(run=run, case=case, order=order)
        if run.status == TestRun.Status.IN_PROGRESS:
            _freeze(run_case)
        added.append(run_case)
    return added


@transaction.atomic
def run_update(*, run: TestRun, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any) -> TestRun:
    """Change a run's name, environment, build or planned dates (not its status: start and complete do that)."""
    for frozen in ("project", "status", "started_at", "version"):
        fields.pop(frozen, None)
    for name, value in fields.items():
        setattr(run, name, value)
    run.full_clean()
    if user is not None:
        run._history_user = user
    save_versioned(run, expected_version=expected_version)
    return run


@transaction.atomic
def run_remove_case(*, run_case: RunCase) -> None:
    """Take a case out of a run before anything was recorded for it; results, once recorded, stay, and a
    completed run stays as it was."""
    if run_case.run.status == TestRun.Status.COMPLETED:
        raise TestingError(_("This run is completed; its cases stay as they were."))
    if run_case.executions.exists():
        raise TestingError(
            _("%(key)s has results in this run and stays in it.") % {"key": run_case.frozen_key or run_case.case.key}
        )
    run_case.delete()


def run_assign(*, run_case: RunCase, tester: Membership | None) -> RunCase:
    if tester is not None and (tester.project_id != run_case.run.project_id or not tester.can("execute")):
        raise TestingError(_("Assign a project member who may execute tests."))
    run_case.tester = tester
    run_case.save(update_fields=["tester", "updated_at"])
    return run_case


@transaction.atomic
def run_start(*, run: TestRun, user: AbstractBaseUser | None = None) -> TestRun:
    """Start a run: every case's text and steps are frozen into it from now on."""
    if run.status != TestRun.Status.PLANNED:
        raise TestingError(_("This run has started already."))
    run_cases = list(run.run_cases.select_related("case").prefetch_related("case__steps"))
    if not run_cases:
        raise TestingError(_("Add cases to the run before starting it."))
    for run_case in run_cases:
        _freeze(run_case)
    run.status, run.started_at = TestRun.Status.IN_PROGRESS, timezone.now()
    if user is not None:
        run._history_user = user
    run.save()
    return run


@transaction.atomic
def run_complete(*, run: TestRun, user: AbstractBaseUser | None = None) -> TestRun:
    """Close a run: no more results are recorded in it; it can still be signed."""
    if run.status != TestRun.Status.IN_PROGRESS:
        raise TestingError(_("Only a run in progress can be completed."))
    run.status = TestRun.Status.COMPLETED
    if user is not None:
        run._history_user = user
    run.save()
    return run


# Executions ---------------------------------------------------------------------------------------------


def derive_result(statuses: Sequence[str], step_count: int) -> str:
    """A case's result from its steps' statuses: any fail → fail; else any blocked → blocked; else, when
    every step has a status, pass if any step passed and skipped if all were skipped; otherwise the case is
    in progress (some steps recorded) or not run (none)."""
    if Result.FAIL in statuses:
        return Result.FAIL
    if Result.BLOCKED in statuses:
        return Result.BLOCKED
    if not statuses:
        return Result.NOT_RUN
    if len(statuses) < step_count:
        return Result.IN_PROGRESS
    return Result.PASS if Result.PASS in statuses else Result.SKIPPED


def latest_execution(run_case: RunCase) -> Execution | None:
    return run_case.executions.order_by("-number").first()


@transaction.atomic
def step_record(
    *, run_case: RunCase, step_order: int, status: str, actual: str = "", user: AbstractBaseUser
) -> Execution:
    """Record one step's status in the latest execution (created on the first step) and derive the case result."""
    run = run_case.run
    if run.status != TestRun.Status.IN_PROGRESS:
        raise TestingError(_("Results are recorded while the run is in progress."))
    if status not in STEP_STATUSES:
        raise TestingError(_("Unknown step status: %(status)s") % {"status": status})
    orders = {step["order"] for step in run_case.frozen_steps}
    if step_order not in orders:
        raise TestingError(_("This case has no step %(n)s.") % {"n": step_order})
    if status in (Result.FAIL, Result.BLOCKED) and not actual.strip():
        raise TestingError(_("Say what actually happened when a step fails or is blocked."))
    execution = latest_execution(run_case) or Execution.objects.create(run_case=run_case, number=1, tester=user)
    StepResult.objects.update_or_create(
        execution=execution,
        step_order=step_order,
        defaults={"status": status, "actual": actual, "recorded_by": user},
    )
    statuses = list(execution.steps.values_list("status", flat=True))
    execution.result = derive_result(statuses, len(orders))
    execution.tester = execution.tester or user
    execution.finished_at = timezone.now() if execution.result in FINISHED_RESULTS else None
    execution.save()
    run_case.result = execution.result
    run_case.save(update_fields=["result", "updated_at"])
    return execution


@transaction.atomic
def retest(*, run_case: RunCase, user: AbstractBaseUser) -> Execution:
    """Start a new execution of a case (after a fix); the earlier ones stay as they are."""
    if run_case.run.status != TestRun.Status.IN_PROGRESS:
        raise TestingError(_("Results are recorded while the run is in progress."))
    previous = latest_execution(run_case)
    if previous is None or previous.result not in FINISHED_RESULTS:
        raise TestingError(_("Finish the current execution before a retest."))
    execution = Execution.objects.create(run_case=run_case, number=previous.number + 1, tester=user)
    run_case.result = Result.NOT_RUN
    run_case.save(update_fields=["result", "updated_at"])
    return execution


# Evidence -----------------------------------------------------------------------------------------------


def _sniff(upload: UploadedFile) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def evidence_add(
    *, execution: Execution, upload: UploadedFile, user: AbstractBaseUser, step_order: int | None = None
) -> Evidence:
    """Attach a photo or PDF; the type is read from the content, the size is limited."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise TestingError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": EVIDENCE_MAX_BYTES // 1024 // 1024}
        )
    content_type = _sniff(upload)
    if content_type not in EVIDENCE_TYPES:
        raise TestingError(_("Attach a photo (JPEG, PNG, WebP, GIF) or a PDF."))
    return Evidence.objects.create(
        execution=execution,
        step_order=step_order,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )


# Defects ------------------------------------------------------------------------------------------------


@transaction.atomic
def defect_raise(
    *,
    project: Project,
    title: str,
    user: AbstractBaseUser,
    run_case: RunCase | None = None,
    step_order: int | None = None,
    requirement: Requirement | None = None,
    **fields: Any,
) -> Defect:
    """Raise a defect; from a failing step it carries the case, the execution, the step and the first
    requirement the case verifies unless another is given."""
    execution = None
    if run_case is not None:
        if run_case.run.project_id != project.pk:
            raise TestingError(_("The case belongs to another project."))
        execution = latest_execution(run_case)
        if requirement is None and run_case.frozen_requirements:
            requirement = project.requirements.filter(key=run_case.frozen_requirements[0]).first()
    if requirement is not None and requirement.project_id != project.pk:
        raise TestingError(_("Only requirements of this project can be linked."))
    number = next_number(DefectSequence, project)
    defect = Defect(
        project=project,
        number=number,
        key=format_defect_key(number),
        title=title,
        run_case=run_case,
        execution=execution,
        step_order=step_order,
        requirement=requirement,
        raised_by=user,
        **fields,
    )
    defect.full_clean()
    defect._history_user = user
    defect.save()
    return defect


@transaction.atomic
def defect_update(
    *, defect: Defect, expected_version: int, user: AbstractBaseUser | None = None, **fields: Any
) -> Defect:
    """Change a defect's text, severity, status, requirement or vendor reference."""
    for frozen in ("project", "number", "key", "version", "raised_by", "run_case", "execution", "step_order"):
        fields.pop(frozen, None)
    requirement = fields.get("requirement")
    if requirement is not None and requirement.project_id != defect.project_id:
        raise TestingError(_("Only requirements of this project can be linked."))
    for name, value in fields.items():
        setattr(defect, name, value)
    defect.full_clean()
    if user is not None:
        defect._history_user = user
    save_versioned(defect, expected_version=expected_version)
    return defect


# Sign-off -----------------------------------------------------------------------------------------------


def open_critical_defects(run: TestRun):
    return Defect.objects.filter(
        run_case__run=run, severity=Defect.Severity.CRITICAL, status__in=Defect.OPEN_STATUSES
    ).order_by("number")


@transaction.atomic
def run_sign(
    *, run: TestRun, user: AbstractBaseUser, password: str, role: str, comment: str = "", waiver: str = ""
) -> SignOff:
    """Sign a run as a named role. The password is checked again; with a critical defect of the run still
    open, only with a written waiver, which is kept with the signature."""
    if not user.check_password(password):
        raise TestingError(_("The password is not right; the run was not signed."))
    if not role.strip():
        raise TestingError(_("Say in which role you sign (e.g. warehouse business owner)."))
    if run.status == TestRun.Status.PLANNED:
        raise TestingError(_("A run that has not started cannot be signed."))
    critical = list(open_critical_defects(run).values_list("key", flat=True))
    if critical and not waiver.strip():
        raise TestingError(
            _("Critical defects are still open (%(keys)s): record a waiver to sign anyway.")
            % {"keys": ", ".join(critical)}
        )
    return SignOff.objects.create(
        run=run, role=role.strip(), signer=user, comment=comment, waiver=waiver.strip() if critical else ""
    )


# Execution on a phone -----------------------------------------------------------------------------------------------


@transaction.atomic
def execution_current(run_case: RunCase, user: AbstractBaseUser) -> Execution:
    """The execution that evidence is attached to: the latest one, or attempt 1 when nothing was recorded yet.
    Refused while the run is not in progress."""
    if run_case.run.status != TestRun.Status.IN_PROGRESS:
        raise TestingError(_("Results are recorded while the run is in progress."))
    execution = latest_execution(run_case)
    if execution is None:
        execution, _created = Execution.objects.get_or_create(run_case=run_case, number=1, defaults={"tester": user})
    return execution


# Defects: status moves --------------------------------------------------------------------------------------

# The moves a defect's status may make: open → fixed (the vendor fixed it) → retest → closed; open → rejected;
# a fix that did not arrive or a retest that failed goes back to open; closed and rejected ones may be reopened.
DEFECT_MOVES: dict[str, tuple[str, ...]] = {
    Defect.Status.OPEN: (Defect.Status.FIXED, Defect.Status.REJECTED),
    Defect.Status.FIXED: (Defect.Status.RETEST, Defect.Status.OPEN),
    Defect.Status.RETEST: (Defect.Status.CLOSED, Defect.Status.OPEN),
    Defect.Status.CLOSED: (Defect.Status.OPEN,),
    Defect.Status.REJECTED: (Defect.Status.OPEN,),
}


def defect_move(*, defect: Defect, to_status: str, expected_version: int, user: AbstractBaseUser) -> Defect:
    """Move a defect along its status flow (DEFECT_MOVES); a stale version raises StaleVersionError (checked first:
    a button from a page opened before someone else moved the defect says so, whatever it asked for)."""
    from workbench.locking import StaleVersionError

    if defect.version != expected_version:
        raise StaleVersionError(defect)
    if to_status not in DEFECT_MOVES.get(defect.status, ()):
        current = Defect.Status(defect.status).label if defect.status in Defect.Status.values else defect.status
        raise TestingError(
            _("A defect that is “%(current)s” cannot be set to “%(status)s”.")
            % {
                "current": current,
                "status": Defect.Status(to_status).label if to_status in Defect.Status.values else to_status,
            }
        )
    return defect_update(defect=defect, expected_version=expected_version, user=user, status=to_status)
