"""UAT cases: a business scenario (normal or exception flow) with ordered steps, verifying requirements."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project
from requirements.models import Requirement
from workbench.locking import VersionedModel
from workbench.models import TimeStampedModel

CASE_PREFIX = "UAT"


def format_case_key(number: int) -> str:
    return f"{CASE_PREFIX}-{number:03d}"


class CaseSequence(models.Model):
    """The last case number given in a project; bumped with an UPDATE so concurrent creations queue."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="case_sequence")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("UAT case key sequence")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.last_number}"


class UATCase(VersionedModel, TimeStampedModel):
    class Role(models.TextChoices):
        PURCHASER = "purchaser", _("Purchaser")
        SALES_CLERK = "sales_clerk", _("Sales clerk")
        WAREHOUSE_KEEPER = "warehouse_keeper", _("Warehouse keeper")
        STORE_MANAGER = "store_manager", _("Store manager")
        FINANCE = "finance", _("Finance")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        IT = "it", _("IT")
        OTHER = "other", _("Other")

    class Flow(models.TextChoices):
        NORMAL = "normal", _("Normal flow")
        EXCEPTION = "exception", _("Exception flow")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="uat_cases", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"), editable=False)
    key = models.CharField(_("key"), max_length=20, editable=False)
    title = models.CharField(_("title"), max_length=200)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.OTHER)
    flow = models.CharField(_("flow"), max_length=20, choices=Flow.choices, default=Flow.NORMAL)
    preconditions = models.TextField(_("preconditions"), blank=True, help_text=_("Markdown"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    requirements = models.ManyToManyField(
        Requirement, blank=True, related_name="uat_cases", verbose_name=_("requirements verified")
    )
    template_key = models.CharField(_("template"), max_length=40, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[requirements])

    class Meta:
        verbose_name = _("UAT case")
        verbose_name_plural = _("UAT cases")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_case_number"),
            models.UniqueConstraint(fields=["project", "key"], name="unique_case_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class CaseStep(TimeStampedModel):
    case = models.ForeignKey(UATCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("case"))
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.TextField(_("action"))
    expected = models.TextField(_("expected result"))
    test_data = models.CharField(_("test data"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="unique_case_step_order")]

    def __str__(self) -> str:
        return f"{self.case.key} #{self.order}"
