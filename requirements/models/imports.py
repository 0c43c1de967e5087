"""An uploaded requirements file waiting to be mapped, previewed and applied (all rows or none)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Project


class Import(models.Model):
    class Kind(models.TextChoices):
        XLSX = "xlsx", _("Excel workbook")
        CSV = "csv", _("CSV file")
        DOCX = "docx", _("Word document")
        REQIF = "reqif", _("ReqIF")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPLIED = "applied", _("Applied")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="imports", verbose_name=_("project"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requirement_imports", verbose_name=_("by")
    )
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content = models.BinaryField(_("content"))
    # {"columns": {field: header text or "#n"}, "values": {field: {text in the file: choice}}}
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(_("result"), default=dict, blank=True)  # {"new": n, "update": n, "unchanged": n}
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("requirements import")
        verbose_name_plural = _("requirements imports")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse(
            "requirements:requirement-import-preview", kwargs={"project_code": self.project.code, "import_id": self.pk}
        )

    @property
    def is_applied(self) -> bool:
        return self.status == self.Status.APPLIED
