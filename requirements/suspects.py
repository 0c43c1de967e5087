"""The suspect-link mechanism. Apps say what lies downstream of a requirement; a change flags it.

from requirements import suspects
suspects.register(lambda requirement: requirement.uat_cases.all())   # in AppConfig.ready()
"""

from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from requirements.models import Requirement, SuspectFlag

Provider = Callable[[Requirement], Iterable[models.Model]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a source of downstream items (called once per app, from its AppConfig.ready())."""
    if provider not in _providers:
        _providers.append(provider)


def children(requirement: Requirement) -> Iterable[models.Model]:
    return requirement.children.all()


register(children)


def downstream_of(requirement: Requirement) -> list[models.Model]:
    items: list[models.Model] = []
    for provider in _providers:
        items.extend(provider(requirement))
    return items


def flag_downstream(*, requirement: Requirement, reason: str) -> int:
    """Flag everything downstream of `requirement` as suspect; returns how many items are flagged now."""
    count = 0
    for item in downstream_of(requirement):
        content_type = ContentType.objects.get_for_model(item)
        flag = SuspectFlag.objects.filter(
            upstream=requirement, content_type=content_type, object_id=item.pk, cleared_at__isnull=True
        ).first()
        if flag is None:
            SuspectFlag.objects.create(
                project=requirement.project,
                upstream=requirement,
                upstream_version=requirement.version,
                content_type=content_type,
                object_id=item.pk,
                reason=reason,
            )
        else:
            flag.upstream_version, flag.reason = requirement.version, reason
            flag.save(update_fields=["upstream_version", "reason"])
        count += 1
    return count


def open_flags_for(item: models.Model) -> QuerySet[SuspectFlag]:
    return SuspectFlag.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, cleared_at__isnull=True
    ).select_related("upstream")


def clear(*, item: models.Model, user, comment: str = "") -> int:
    """Mark the item reviewed: its open flags are cleared; returns how many."""
    return open_flags_for(item).update(cleared_by=user, cleared_at=timezone.now(), cleared_comment=comment)


def annotate_suspect(queryset: QuerySet) -> QuerySet:
    """Annotate `is_suspect` (has an open flag) on a queryset of any flagged model."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    open_flag = SuspectFlag.objects.filter(content_type=content_type, object_id=OuterRef("pk"), cleared_at__isnull=True)
    return queryset.annotate(is_suspect=Exists(open_flag))
