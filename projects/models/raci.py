"""Who is Responsible, Accountable, Consulted and Informed for each activity of the upgrade."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.project import Membership, Project
from workbench.models import TimeStampedModel


class RaciActivity(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="raci_activities", verbose_name=_("project")
    )
    name = models.CharField(_("activity"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    standard_key = models.CharField(
        _("standard activity"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("Set when the activity comes from the standard upgrade path."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("RACI activity")
        verbose_name_plural = _("RACI activities")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "standard_key"],
                condition=~models.Q(standard_key=""),
                name="raci_activity_standard_once_per_project",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:raci", kwargs={"project_code": self.project.code})


class RaciAssignment(TimeStampedModel):
    class Letter(models.TextChoices):
        RESPONSIBLE = "R", _("Responsible")
        ACCOUNTABLE = "A", _("Accountable")
        CONSULTED = "C", _("Consulted")
        INFORMED = "I", _("Informed")

    activity = models.ForeignKey(
        RaciActivity, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("activity")
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="raci_assignments", verbose_name=_("member")
    )
    letter = models.CharField(_("RACI"), max_length=1, choices=Letter.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "membership"]
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")
        constraints = [
            models.UniqueConstraint(fields=["activity", "membership"], name="raci_one_letter_per_member_and_activity")
        ]

    def __str__(self) -> str:
        return f"{self.activity.name}: {self.membership.user.get_username()} = {self.letter}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
