"""Per-project counters for human keys (REQ-001, UAT-001, DEF-001): no gaps, no duplicates."""

from django.db import models
from django.db.models import F


def next_number(sequence_model: type[models.Model], project: models.Model) -> int:
    """The next number of a project's sequence row (a model with `project` and `last_number`).

    Call inside a transaction: the UPDATE holds the row until commit, so concurrent creations queue, and a
    rollback gives the number back.
    """
    sequence_model.objects.get_or_create(project=project)
    sequence_model.objects.filter(project=project).update(last_number=F("last_number") + 1)
    return sequence_model.objects.values_list("last_number", flat=True).get(project=project)
