"""Signed baselines: immutable snapshots of the approved requirements at a moment."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements.models.requirement import Requirement
from workbench.models import ImmutableError, ImmutableModel  # noqa: F401 - ImmutableError is imported from here too


class Baseline(ImmutableModel):
    changed_message = _("A signed baseline cannot be changed.")
    deleted_message = _("A signed baseline cannot be deleted.")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="baselines", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    requirement_count = models.PositiveIntegerField(_("requirements"), default=0)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="baseline_name_unique_in_project")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "requirements:baseline-detail", kwargs={"project_code": self.project.code, "baseline_id": self.pk}
        )


class BaselineItem(ImmutableModel):
    """One requirement exactly as it stood when the baseline was signed."""

    changed_message = Baseline.changed_message
    deleted_message = Baseline.deleted_message

    baseline = models.ForeignKey(Baseline, on_delete=models.PROTECT, related_name="items", verbose_name=_("baseline"))
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="baseline_items", verbose_name=_("requirement")
    )
    history_id = models.PositiveIntegerField(_("history record"), help_text=_("The exact version in the history."))
    key = models.CharField(_("key"), max_length=20)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"))
    acceptance_criteria = models.TextField(_("acceptance criteria"), blank=True)
    layer = models.CharField(_("layer"), max_length=20, choices=Requirement.Layer.choices)
    category = models.CharField(_("category"), max_length=20, choices=Requirement.Category.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Requirement.Priority.choices)
    status = models.CharField(_("status"), max_length=20, choices=Requirement.Status.choices)

    SNAPSHOT_FIELDS = [
        "key",
        "version",
        "title",
        "statement",
        "acceptance_criteria",
        "layer",
        "category",
        "priority",
        "status",
    ]

    class Meta:
        ordering = ["baseline", "key"]
        verbose_name = _("baseline item")
        verbose_name_plural = _("baseline items")
        constraints = [
            models.UniqueConstraint(fields=["baseline", "requirement"], name="baseline_item_once_per_requirement")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def get_absolute_url(self) -> str:
        return self.baseline.get_absolute_url()
