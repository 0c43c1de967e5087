"""Why the upgrade happens and what it must achieve: drivers, goals, KPIs and their measurements."""

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
from workbench.numbers import plain_decimal


class Driver(VersionedModel, TimeStampedModel):
    """A signal that calls for the upgrade (the guide's four kinds)."""

    class Category(models.TextChoices):
        SCALE = "scale", _("Scale and complexity")
        FUNCTIONAL_GAP = "functional_gap", _("Functional gap")
        ARCHITECTURE = "architecture", _("Architecture and integration")
        COST_SECURITY = "cost_security", _("Cost and security")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="drivers", verbose_name=_("project"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    statement = models.CharField(_("statement"), max_length=300)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("Facts and figures that show the problem. Markdown is allowed."),
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = minor nuisance … 5 = threatens the business."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "-severity", "pk"]
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=5), name="driver_severity_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("projects:driver-detail", kwargs={"project_code": self.project.code, "driver_id": self.pk})


class Goal(VersionedModel, TimeStampedModel):
    """A specific, measurable goal of the upgrade, made measurable by its KPIs."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals", verbose_name=_("project"))
    statement = models.CharField(
        _("statement"),
        max_length=300,
        help_text=_("Specific and measurable, e.g. 'Close the books in 2 days instead of 5'."),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_goals",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    drivers = models.ManyToManyField(
        Driver,
        blank=True,
        related_name="goals",
        verbose_name=_("drivers"),
        help_text=_("The upgrade signals this goal answers."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("projects:goal-detail", kwargs={"project_code": self.project.code, "goal_id": self.pk})

    def clean(self) -> None:
        if self.owner_id and self.project_id and self.owner.project_id != self.project_id:
            raise ValidationError({"owner": _("The owner must be a member of this project.")})


class KPI(VersionedModel, TimeStampedModel):
    """A key performance indicator of a goal, with its baseline and target."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("goal"))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. %, days, turns per year"))
    formula = models.TextField(_("formula"), blank=True, help_text=_("How the figure is calculated."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    source_system = models.CharField(
        _("source system"), max_length=200, blank=True, help_text=_("Where the figure is taken from.")
    )
    library_key = models.CharField(
        _("library entry"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("The KPI library entry it came from."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "pk"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(direction="higher", target__gt=F("baseline")) | Q(direction="lower", target__lt=F("baseline"))
                ),
                name="kpi_target_beyond_baseline_in_direction",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:kpi-detail", kwargs={"project_code": self.goal.project.code, "kpi_id": self.pk})

    def clean(self) -> None:
        if self.baseline is None or self.target is None:
            return
        if self.target == self.baseline:
            raise ValidationError(
                {"target": _("The target equals the baseline, so progress cannot be measured. Set a different target.")}
            )
        if self.direction == self.Direction.HIGHER and self.target < self.baseline:
            raise ValidationError(
                {
                    "target": _("Higher is better, so the target must be above the baseline (%(baseline)s).")
                    % {"baseline": plain_decimal(self.baseline)}
                }
            )
        if self.direction == self.Direction.LOWER and self.target > self.baseline:
            raise ValidationError(
                {
                    "target": _("Lower is better, so the target must be below the baseline (%(baseline)s).")
                    % {"baseline": plain_decimal(self.baseline)}
                }
            )


class Measurement(VersionedModel, TimeStampedModel):
    """One observed value of a KPI on a date."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("KPI"))
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Report, system or person."))
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "date"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [models.UniqueConstraint(fields=["kpi", "date"], name="measurement_one_per_kpi_and_date")]

    def __str__(self) -> str:
        return f"{self.kpi.name} {self.date:%Y-%m-%d}: {plain_decimal(self.value)}"

    def get_absolute_url(self) -> str:
        return self.kpi.get_absolute_url()
