"""Abstract bases shared by every app's models, and the background job that knows no domain."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ImmutableError(Exception):
    """Raised on any attempt to change or delete a record that is written once (a signed baseline, a signature)."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(self.model.changed_message)

    def delete(self):
        raise ImmutableError(self.model.deleted_message)

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableError(self.model.changed_message)


class ImmutableModel(models.Model):
    """Rows that are written once: saving an existing row or deleting one raises ImmutableError with the
    model's own `changed_message` / `deleted_message`."""

    changed_message = _("This record cannot be changed.")
    deleted_message = _("This record cannot be deleted.")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(self.deleted_message)


class Job(models.Model):
    """A piece of long work (a PDF, a large export) run in the background; its result is kept in the row.

    The result lives in the database rather than under MEDIA_ROOT so that every app node sharing the
    database can serve it. `handler` is the dotted path of the function that does the work.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    handler = models.CharField(_("handler"), max_length=200)
    view_name = models.CharField(_("page"), max_length=100, blank=True, help_text=_("URL name of the job's page."))
    project_code = models.CharField(_("project"), max_length=20, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("started by")
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(_("content type"), max_length=100, blank=True)
    result = models.BinaryField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        if not self.view_name:
            return ""
        return reverse(self.view_name, kwargs={"project_code": self.project_code, "job_id": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
