"""Test runs (checklists): the cases frozen into the run when it starts, executions step by step (a retest is
a new execution; the latest counts, earlier ones are kept), evidence, defects and immutable sign-offs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Membership, Project
from requirements.models import Requirement
from testing.models.cases import UATCase
from workbench.locking import VersionedModel
from workbench.models import ImmutableModel, TimeStampedModel

DEFECT_PREFIX = "DEF"


def format_defect_key(number: int) -> str:
    return f"{DEFECT_PREFIX}-{number:03d}"


class Result(models.TextChoices):
    """A step's status, and the result a case execution derives from its steps."""

    NOT_RUN = "not_run", _("Not run")
    IN_PROGRESS = "in_progress", _("In progress")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    BLOCKED = "blocked", _("Blocked")
    SKIPPED = "skipped", _("Skipped")


STEP_STATUSES = [Result.PASS, Result.FAIL, Result.BLOCKED, Result.SKIPPED]
# The results of a case that was executed to an end: the statuses a step can have (a blocked case is finished
# for progress and reports; the tester's queue still lists it as work to do).
FINISHED_RESULTS = frozenset(STEP_STATUSES)


class TestRun(VersionedModel, TimeStampedModel):
    __test__ = False  # not a pytest test class despite its name

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_runs", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=200)
    environment = models.CharField(_("environment"), max_length=100, blank=True, help_text=_("e.g. UAT server"))
    build = models.CharField(_("build / version"), max_length=100, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("test run")
        verbose_name_plural = _("test runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RunCase(TimeStampedModel):
    """A case in a run. When the run starts, the case's text and steps are copied here (`frozen_*`), so later
    edits to the case do not rewrite what was tested."""

    run = models.ForeignKey(TestRun, on_delete=models.CASCADE, related_name="run_cases", verbose_name=_("run"))
    case = models.ForeignKey(UATCase, on_delete=models.PROTECT, related_name="run_cases", verbose_name=_("case"))
    tester = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tester")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    frozen_key = models.CharField(max_length=20, blank=True, editable=False)
    frozen_title = models.CharField(max_length=200, blank=True, editable=False)
    frozen_role = models.CharField(max_length=30, blank=True, editable=False)
    frozen_flow = models.CharField(max_length=20, blank=True, editable=False)
    frozen_priority = models.CharField(max_length=10, blank=True, editable=False)
    frozen_preconditions = models.TextField(blank=True, editable=False)
    frozen_steps = models.JSONField(default=list, blank=True, editable=False)  # [{order, action, expected, test_data}]
    frozen_requirements = models.JSONField(default=list, blank=True, editable=False)  # ["REQ-001", …]
    # The latest execution's result, kept here for lists and counts (the executions stay the record).
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.NOT_RUN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case in a run")
        verbose_name_plural = _("cases in runs")
        ordering = ["run", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "case"], name="unique_run_case")]
        indexes = [models.Index(fields=["run", "result"]), models.Index(fields=["run", "tester"])]

    def __str__(self) -> str:
        return f"{self.run} · {self.frozen_key or self.case.key}"


class Execution(TimeStampedModel):
    """One attempt at a case in a run; a retest is a new execution with the next number."""

    run_case = models.ForeignKey(RunCase, on_delete=models.CASCADE, related_name="executions", verbose_name=_("case"))
    number = models.PositiveSmallIntegerField(_("attempt"))
    tester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.NOT_RUN)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        ordering = ["run_case", "number"]
        constraints = [models.UniqueConstraint(fields=["run_case", "number"], name="unique_execution_number")]


class StepResult(TimeStampedModel):
    execution = models.ForeignKey(
        Execution, on_delete=models.CASCADE, related_name="steps", verbose_name=_("execution")
    )
    step_order = models.PositiveSmallIntegerField(_("step"))
    status = models.CharField(_("status"), max_length=20, choices=[(s.value, s.label) for s in STEP_STATUSES])
    actual = models.TextField(_("actual result"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step result")
        verbose_name_plural = _("step results")
        ordering = ["execution", "step_order"]
        constraints = [models.UniqueConstraint(fields=["execution", "step_order"], name="unique_step_result")]


class Evidence(TimeStampedModel):
    """A photo or file attached to an execution (optionally to one step); served only to project members."""

    execution = models.ForeignKey(
        Execution, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("execution")
    )
    step_order = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["execution", "pk"]


class DefectSequence(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="defect_sequence")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("defect key sequence")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.last_number}"


class Defect(VersionedModel, TimeStampedModel):
    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")
        TRIVIAL = "trivial", _("Trivial")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        RETEST = "retest", _("Retest")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="defects", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"), editable=False)
    key = models.CharField(_("key"), max_length=20, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    run_case = models.ForeignKey(
        RunCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="defects", verbose_name=_("case")
    )
    execution = models.ForeignKey(
        Execution, on_delete=models.SET_NULL, null=True, blank=True, related_name="defects", verbose_name=_("execution")
    )
    step_order = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="defects",
        verbose_name=_("requirement"),
    )
    vendor_reference = models.CharField(_("vendor reference"), max_length=100, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    OPEN_STATUSES = frozenset({Status.OPEN, Status.FIXED, Status.RETEST})

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_defect_number")]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class SignOff(ImmutableModel):
    """A named role's signature on a run, given by re-entering the password; written once, never changed."""

    run = models.ForeignKey(TestRun, on_delete=models.PROTECT, related_name="signoffs", verbose_name=_("run"))
    role = models.CharField(_("signing as"), max_length=120, help_text=_("e.g. Warehouse business owner"))
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    waiver = models.TextField(_("waiver"), blank=True, help_text=_("Why the run is signed with a critical defect open"))

    changed_message = _("A signature cannot be changed.")
    deleted_message = _("A signature cannot be deleted.")

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.run} · {self.role}"
