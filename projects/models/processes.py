"""As-is (and to-be) processes: steps in swimlanes, the flow between them, and findings on steps."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.project import Membership, Project
from workbench.locking import VersionedModel
from workbench.models import TimeStampedModel


class Process(VersionedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        AS_IS = "as_is", _("As-is")
        TO_BE = "to_be", _("To-be")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="processes", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AS_IS)
    owner_department = models.CharField(
        _("owner department"), max_length=20, choices=Membership.Department.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("derived from"),
        help_text=_("The as-is process this to-be process was copied from."),
    )
    template_key = models.CharField(_("template"), max_length=40, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:process-detail", kwargs={"project_code": self.project.code, "process_id": self.pk})


class Step(VersionedModel, TimeStampedModel):
    """One step of a process. `order` is dense (1, 2, 3 …) and unique within the process."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps", verbose_name=_("process"))
    order = models.PositiveIntegerField(_("order"))
    lane = models.CharField(_("lane"), max_length=60, help_text=_("The role or department doing the step."))
    action = models.CharField(_("action"), max_length=300)
    system = models.CharField(
        _("system used"), max_length=100, blank=True, help_text=_("e.g. the legacy program, Excel, paper.")
    )
    manual = models.BooleanField(_("manual"), default=True, help_text=_("Done by hand rather than by a system."))
    duration_minutes = models.PositiveIntegerField(
        _("typical duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(60 * 24 * 30)]
    )
    ends_flow = models.BooleanField(
        _("ends the process"),
        default=False,
        help_text=_("Tick when nothing follows this step (for example a rejection that closes the case)."),
    )
    source_step = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
        verbose_name=_("copied from"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="step_order_unique_in_process")]

    def __str__(self) -> str:
        return f"{self.order}. {self.action}"

    def get_absolute_url(self) -> str:
        return self.process.get_absolute_url() + f"#step-{self.pk}"

    def clean(self) -> None:
        if self.lane is not None and not self.lane.strip():
            raise ValidationError({"lane": _("Name the role or department that does this step.")})
        self.lane = (self.lane or "").strip()


class StepLink(TimeStampedModel):
    """An arrow from a step to a step that may follow it (branches and loops).

    A step without links continues with the next step in order, unless it ends the process.
    """

    from_step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from"))
    to_step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to"))
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("e.g. 'approved', 'failed check'."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["from_step__order", "to_step__order"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        constraints = [
            models.UniqueConstraint(fields=["from_step", "to_step"], name="steplink_once"),
            models.CheckConstraint(condition=~Q(from_step=F("to_step")), name="steplink_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.from_step.order} → {self.to_step.order}"

    def get_absolute_url(self) -> str:
        return self.from_step.get_absolute_url()

    def clean(self) -> None:
        if self.from_step_id and self.to_step_id:
            if self.from_step_id == self.to_step_id:
                raise ValidationError(_("A step cannot lead to itself."))
            if self.from_step.process_id != self.to_step.process_id:
                raise ValidationError(_("A step can only lead to a step of the same process."))


class Finding(VersionedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        PAIN_POINT = "pain_point", _("Pain point")
        REDUNDANCY = "redundancy", _("Redundancy")
        RISK = "risk", _("Risk")

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="findings", verbose_name=_("step"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(
        _("severity"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    description = models.CharField(_("description"), max_length=300)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Markdown is allowed."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-severity", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=5), name="finding_severity_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse(
            "projects:finding-detail",
            kwargs={"project_code": self.step.process.project.code, "finding_id": self.pk},
        )
