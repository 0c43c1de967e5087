"""Go-live: training by role, the cutover plan with its runbook tasks, rehearsals and the live run, and the
go/no-go criteria with the signed decision."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from projects.models.project import Membership, Project
from workbench.locking import VersionedModel
from workbench.models import ImmutableModel, TimeStampedModel

# Training -------------------------------------------------------------------------------------------------


class TrainingRole(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    SALES_CLERK = "sales_clerk", _("Sales clerk")
    WAREHOUSE_KEEPER = "warehouse_keeper", _("Warehouse keeper")
    STORE_MANAGER = "store_manager", _("Store manager")
    FINANCE = "finance", _("Finance")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    MANAGER = "manager", _("Manager")
    IT = "it", _("IT")


class TrainingPlan(VersionedModel, TimeStampedModel):
    """What one role learns before go-live, with the tasks it does most in the new system first."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="training_plans", verbose_name=_("project")
    )
    role = models.CharField(_("role"), max_length=30, choices=TrainingRole.choices)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("Markdown is allowed."))
    trainees = models.ManyToManyField(Membership, blank=True, related_name="training_plans", verbose_name=_("trainees"))
    history = HistoricalRecords(m2m_fields=[trainees])

    class Meta:
        ordering = ["project", "role"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        constraints = [models.UniqueConstraint(fields=["project", "role"], name="unique_training_plan_role")]

    def __str__(self) -> str:
        return self.title


class TrainingSession(VersionedModel, TimeStampedModel):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=120)
    trainer = models.CharField(_("trainer"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    topics = models.TextField(_("topics"), blank=True, help_text=_("Markdown is allowed."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return self.title


class TrainingMaterial(TimeStampedModel):
    """A handout, video or exercise of a session: a link or an uploaded file."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session")
    )
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="training/%Y/%m/", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.title


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices, default=Status.INVITED)
    quiz_score = models.DecimalField(
        _("quiz score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="unique_attendance")]

    def __str__(self) -> str:
        return f"{self.session} · {self.member}"


# Cutover --------------------------------------------------------------------------------------------------


class CutoverPlan(VersionedModel, TimeStampedModel):
    class Strategy(models.TextChoices):
        DIRECT = "direct", _("Direct cutover")
        PARALLEL = "parallel", _("Parallel run")
        PHASED = "phased", _("Phased")

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="cutover_plan", verbose_name=_("project")
    )
    strategy = models.CharField(_("strategy"), max_length=10, choices=Strategy.choices, default=Strategy.DIRECT)
    go_live_date = models.DateField(_("go-live date"), null=True, blank=True)
    window_start = models.DateTimeField(_("cutover window starts"), null=True, blank=True)
    window_end = models.DateTimeField(_("cutover window ends"), null=True, blank=True)
    point_of_no_return = models.DateTimeField(_("point of no return"), null=True, blank=True)
    rollback_deadline = models.DateTimeField(_("rollback deadline"), null=True, blank=True)
    parallel_until = models.DateField(
        _("parallel run until"), null=True, blank=True, help_text=_("Parallel run: the last day both systems run.")
    )
    comparison_checks = models.TextField(
        _("comparison checks"),
        blank=True,
        help_text=_("Parallel run: what is compared between the old and the new system, and how often. Markdown."),
    )
    contingency_plan = models.TextField(
        _("contingency plan"), blank=True, help_text=_("What triggers it and what happens then. Markdown.")
    )
    hypercare_until = models.DateField(_("hypercare until"), null=True, blank=True)
    hypercare_exit_days = models.PositiveSmallIntegerField(
        _("exit judged over the last (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Hypercare exit: the SLA compliance and the incident inflow are judged over this many days."),
    )
    hypercare_exit_threshold = models.DecimalField(
        _("exit compliance threshold (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("90.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Hypercare exit: the share of incidents meeting both SLA targets needed to leave hypercare."),
    )
    decider = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("go/no-go decider"),
        help_text=_("Who signs the go/no-go decision."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cutover plan")
        verbose_name_plural = _("cutover plans")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_strategy_display()}"

    def clean(self) -> None:
        """The window ends after it starts and holds the point of no return and the rollback deadline, which
        comes first; the parallel run and hypercare do not end before go-live; the decider is on the team."""

        def moment(value: Any) -> str:
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

        errors: dict[str, Any] = {}
        start, end = self.window_start, self.window_end
        if start and end and end <= start:
            errors["window_end"] = _("The cutover window must end after it starts (%(start)s).") % {
                "start": moment(start)
            }
        elif start or end:
            window = f"{moment(start) if start else '…'} – {moment(end) if end else '…'}"
            for name, message in (
                ("point_of_no_return", _("The point of no return must be inside the cutover window (%(window)s).")),
                ("rollback_deadline", _("The rollback deadline must be inside the cutover window (%(window)s).")),
            ):
                value = getattr(self, name)
                if value is not None and ((start and value < start) or (end and value > end)):
                    errors[name] = message % {"window": window}
        if (
            "rollback_deadline" not in errors
            and self.rollback_deadline
            and self.point_of_no_return
            and self.rollback_deadline > self.point_of_no_return
        ):
            errors["rollback_deadline"] = _(
                "The rollback deadline cannot be after the point of no return (%(moment)s): past that point "
                "there is nothing to roll back to."
            ) % {"moment": moment(self.point_of_no_return)}
        if self.go_live_date:
            day = formats.date_format(self.go_live_date, "SHORT_DATE_FORMAT")
            if self.parallel_until and self.parallel_until < self.go_live_date:
                errors["parallel_until"] = _("The parallel run cannot end before the go-live date (%(day)s).") % {
                    "day": day
                }
            if self.hypercare_until and self.hypercare_until < self.go_live_date:
                errors["hypercare_until"] = _("Hypercare cannot end before the go-live date (%(day)s).") % {"day": day}
        if self.decider_id is not None and self.decider is not None and self.decider.project_id != self.project_id:
            errors["decider"] = _("The go/no-go decider must be a member of this project.")
        if errors:
            raise ValidationError(errors)


class CutoverPhase(TimeStampedModel):
    """A phase of a phased go-live, e.g. the central warehouse first, then the stores, then the online shop."""

    plan = models.ForeignKey(CutoverPlan, on_delete=models.CASCADE, related_name="phases", verbose_name=_("plan"))
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    scope = models.CharField(_("scope"), max_length=200, blank=True, help_text=_("e.g. warehouse SH-01, the stores"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("cutover phase")
        verbose_name_plural = _("cutover phases")

    def __str__(self) -> str:
        return self.name


class CutoverTask(VersionedModel, TimeStampedModel):
    class Stream(models.TextChoices):
        BUSINESS = "business", _("Business")
        DATA = "data", _("Data")
        TECHNICAL = "technical", _("Technical")
        COMMUNICATIONS = "communications", _("Communications")

    class Kind(models.TextChoices):
        NORMAL = "normal", _("Task")
        MILESTONE = "milestone", _("Milestone")
        VALIDATION = "validation", _("Validation (pass/fail)")
        GATE = "gate", _("Go/no-go gate")
        ROLLBACK = "rollback", _("Rollback step")
        COMMUNICATION = "communication", _("Communication")

    plan = models.ForeignKey(CutoverPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    stream = models.CharField(_("stream"), max_length=20, choices=Stream.choices, default=Stream.TECHNICAL)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.NORMAL)
    owner = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    backup = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("backup")
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=30)
    fixed_start = models.DateTimeField(
        _("fixed start"),
        null=True,
        blank=True,
        help_text=_("Leave empty to start as soon as the predecessors are done."),
    )
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("after")
    )
    phase = models.ForeignKey(
        CutoverPhase, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("phase")
    )
    template_key = models.CharField(_("template"), max_length=40, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[predecessors])

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("runbook task")
        verbose_name_plural = _("runbook tasks")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_cutover_task_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CutoverRun(VersionedModel, TimeStampedModel):
    """One execution of the runbook: a rehearsal, or the live cutover."""

    class Kind(models.TextChoices):
        REHEARSAL = "rehearsal", _("Rehearsal")
        LIVE = "live", _("Live cutover")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", pgettext_lazy("cutover", "Running")
        FINISHED = "finished", pgettext_lazy("cutover", "Finished")
        ABORTED = "aborted", _("Aborted")

    plan = models.ForeignKey(CutoverPlan, on_delete=models.CASCADE, related_name="runs", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REHEARSAL)
    name = models.CharField(_("name"), max_length=120)
    planned_start = models.DateTimeField(_("planned start"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "planned_start", "pk"]
        verbose_name = _("cutover run")
        verbose_name_plural = _("cutover runs")

    def __str__(self) -> str:
        return self.name


class TaskRun(TimeStampedModel):
    """A runbook task in one run: when it really started and ended, and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        RUNNING = "running", pgettext_lazy("cutover", "Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    run = models.ForeignKey(CutoverRun, on_delete=models.CASCADE, related_name="task_runs", verbose_name=_("run"))
    task = models.ForeignKey(CutoverTask, on_delete=models.CASCADE, related_name="task_runs", verbose_name=_("task"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    actual_start = models.DateTimeField(_("started"), null=True, blank=True)
    actual_end = models.DateTimeField(_("ended"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the task failed or was skipped."))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["run", "task__number"]
        verbose_name = _("task in a run")
        verbose_name_plural = _("tasks in runs")
        constraints = [models.UniqueConstraint(fields=["run", "task"], name="unique_task_run")]

    def __str__(self) -> str:
        return f"{self.run} · {self.task}"


# Go/no-go -------------------------------------------------------------------------------------------------


class GoNoGoCriterion(TimeStampedModel):
    class Kind(models.TextChoices):
        MUST_HAVE_UAT = "must_have_uat", _("Must-have requirements with a passing UAT case (%)")
        OPEN_SEVERE_DEFECTS = "open_severe_defects", _("Open critical and major defects")
        UAT_RUNS_SIGNED = "uat_runs_signed", _("UAT runs signed")
        RECONCILIATIONS_PASS = "reconciliations_pass", _("Data objects passing the last trial load (%)")
        DATA_SIGNOFFS = "data_signoffs", _("Data objects signed in the last trial load (%)")
        TRAINING_COMPLETION = "training_completion", _("Training completion (%)")
        REHEARSAL_IN_WINDOW = "rehearsal_in_window", _("Last rehearsal finished within the window")
        MANUAL = "manual", _("Manual check")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="go_criteria", verbose_name=_("project")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    comparison = models.CharField(
        _("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    threshold = models.DecimalField(_("threshold"), max_digits=9, decimal_places=2, null=True, blank=True)
    manual_met = models.BooleanField(_("met"), null=True, blank=True, help_text=_("For a manual check."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "pk"]
        verbose_name = _("go/no-go criterion")
        verbose_name_plural = _("go/no-go criteria")

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class GoNoGoDecision(ImmutableModel):
    """The go/no-go decision, signed by the named decider with the password re-entered; never changed."""

    class Outcome(models.TextChoices):
        GO = "go", _("Go")
        NO_GO = "no_go", _("No-go")
        GO_WITH_CONDITIONS = "go_with_conditions", _("Go with conditions")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="go_decisions", verbose_name=_("project")
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    decider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    criteria = models.JSONField(_("criteria as evaluated"), default=list)

    changed_message = _("A go/no-go decision cannot be changed.")
    deleted_message = _("A go/no-go decision cannot be deleted.")

    class Meta:
        ordering = ["project", "-decided_at", "-pk"]
        verbose_name = _("go/no-go decision")
        verbose_name_plural = _("go/no-go decisions")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_outcome_display()}"
