"""Suspect links: when a requirement's meaning changes, what hangs below it must be looked at again.

One mechanism for every kind of downstream item: child requirements now, UAT cases and vendor fit
answers later. Apps register a provider in `requirements.suspects`; flags point at any model.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements.models.requirement import Requirement


class SuspectFlag(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suspect_flags")
    upstream = models.ForeignKey(
        Requirement,
        on_delete=models.CASCADE,
        related_name="suspect_flags_caused",
        verbose_name=_("changed requirement"),
    )
    upstream_version = models.PositiveIntegerField(_("version that changed"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    downstream = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("what changed"), max_length=200)
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_comment = models.CharField(_("review note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        verbose_name = _("suspect link")
        verbose_name_plural = _("suspect links")
        indexes = [models.Index(fields=["content_type", "object_id", "cleared_at"], name="suspect_downstream_open")]
        constraints = [
            # One open flag per upstream/downstream pair; later changes refresh it instead of piling up.
            models.UniqueConstraint(
                fields=["upstream", "content_type", "object_id"],
                condition=models.Q(cleared_at__isnull=True),
                name="suspect_one_open_flag_per_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.upstream.key} → {self.content_type.model} #{self.object_id}"

    def get_absolute_url(self) -> str:
        return self.upstream.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
