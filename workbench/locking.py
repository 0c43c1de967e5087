"""Optimistic locking: a save based on a stale version is refused and nothing is overwritten.

A versioned model carries a `version` counter. Forms and serializers send back the version the
user started from; `save_versioned` bumps the counter with a conditional UPDATE (which takes the
row's write lock on every database) and only then saves, so of two concurrent edits exactly one wins.
"""

from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersionError(Exception):
    """Raised when the record changed after the user loaded it."""

    def __init__(self, instance: models.Model) -> None:
        self.instance = instance
        super().__init__(str(stale_message(instance)))


def stale_message(instance: models.Model) -> str:
    """The message shown to a user whose save was refused because the record changed meanwhile."""
    latest = None
    history = getattr(instance, "history", None)
    if history is not None and instance.pk:
        latest = history.select_related("history_user").order_by("-history_date").first()
    if latest is not None and latest.history_user is not None:
        return _(
            "%(user)s changed this record on %(when)s, after you opened it. Your changes were not "
            "saved. Copy what you typed, reload the page to see their version, and apply your "
            "changes again."
        ) % {
            "user": latest.history_user.get_full_name() or latest.history_user.get_username(),
            "when": formats.date_format(timezone.localtime(latest.history_date), "SHORT_DATETIME_FORMAT"),
        }
    return _(
        "Someone changed this record after you opened it. Your changes were not saved. Copy what "
        "you typed, reload the page to see the latest version, and apply your changes again."
    )


@transaction.atomic
def save_versioned(instance: VersionedModel, *, expected_version: int) -> VersionedModel:
    """Save `instance` if the stored version is still `expected_version`; raise StaleVersionError if not."""
    model = type(instance)
    bumped = model._default_manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not bumped:
        raise StaleVersionError(instance)
    instance.version = expected_version + 1
    instance.save()
    return instance


class VersionedFormMixin(forms.Form):
    """Adds the hidden version field to a ModelForm over a VersionedModel."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.fields["version"].initial = instance.version
        else:
            self.fields["version"].required = False
