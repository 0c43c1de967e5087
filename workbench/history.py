"""Readable history: turns django-simple-history records into "who, when, what changed" entries.

Records of several models can be mixed (a project and its members, say). Each record is compared
with the previous record of the same object, in memory, so a page of history costs one query per
historical model plus one per kind of related object shown, however many changes it lists.
"""

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workbench.numbers import plain_decimal

ACTIONS = {
    "+": gettext_lazy("created"),
    "~": gettext_lazy("changed"),
    "-": gettext_lazy("deleted"),
}
_LONG_TEXT = 80
_EMPTY = "—"


@dataclass
class Change:
    label: str
    old: str  # "" for a value set when the record was created
    new: str
    diff: SafeString | None = None  # word-level diff for long text


@dataclass
class HistoryEntry:
    when: datetime
    user: Any
    action: str
    model_label: str
    object_label: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


def _tracked(record: models.Model) -> list[models.Field]:
    return [f for f in record.tracked_fields if f.editable and f.name not in {"id", "version"}]


def _related_objects(records: list[models.Model]) -> dict[tuple[type, Any], models.Model]:
    """Fetch every object a foreign key in `records` points to, one query per model."""
    wanted: dict[type, set[Any]] = defaultdict(set)
    for record in records:
        for f in _tracked(record):
            if f.is_relation and f.many_to_one:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    found: dict[tuple[type, Any], models.Model] = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            found[(model, obj.pk)] = obj
    return found


def _label(record: models.Model, related: dict[tuple[type, Any], models.Model]) -> str:
    """str() of the recorded object, with its foreign keys filled from `related` (no query)."""
    instance = record.instance
    for f in instance._meta.concrete_fields:
        if f.is_relation and f.many_to_one:
            obj = related.get((f.related_model, getattr(instance, f.attname)))
            if obj is not None:
                setattr(instance, f.name, obj)
    return str(instance)


def _display(f: models.Field, record: models.Model, related: dict[tuple[type, Any], models.Model]) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "":
        return _EMPTY
    if f.is_relation and f.many_to_one:
        obj = related.get((f.related_model, value))
        return str(obj) if obj is not None else _("(deleted) #%(pk)s") % {"pk": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return plain_decimal(value)  # 94.6, not the stored 94.6000
    return str(value)


def word_diff(old: str, new: str) -> SafeString:
    """HTML showing removed words in <del> and added words in <ins>; everything escaped."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("span", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            parts.append(("del", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            parts.append(("ins", "".join(b[j1:j2])))
    return format_html_join("", "<{0}>{1}</{0}>", parts)


def _changes(
    record: models.Model, previous: models.Model | None, related: dict, hidden: frozenset[str]
) -> list[Change]:
    changes = []
    for f in _tracked(record):
        if f.name in hidden:
            continue
        new = _display(f, record, related)
        if previous is None:
            if new != _EMPTY:
                changes.append(Change(str(f.verbose_name), "", new))
            continue
        old = _display(f, previous, related)
        if old == new:
            continue
        diff = None
        if isinstance(f, models.TextField) or max(len(old), len(new)) > _LONG_TEXT:
            diff = word_diff("" if old == _EMPTY else old, "" if new == _EMPTY else new)
        changes.append(Change(str(f.verbose_name), old, new, diff))
    return changes


def history_entries(querysets: Iterable[models.QuerySet], *, hidden_fields: Iterable[str] = ()) -> list[HistoryEntry]:
    """Newest-first entries for all records in `querysets` (querysets of historical models).

    `hidden_fields` are left out of the changes, e.g. the project a page is already about.
    """
    hidden = frozenset(hidden_fields)
    by_object: dict[tuple[type, Any], list[models.Model]] = defaultdict(list)
    all_records: list[models.Model] = []
    for qs in querysets:
        for record in qs.select_related("history_user").order_by("history_date", "history_id"):
            by_object[(type(record), record.id)].append(record)
            all_records.append(record)
    related = _related_objects(all_records)
    entries: list[HistoryEntry] = []
    for records in by_object.values():
        previous = None
        for record in records:
            changes = [] if record.history_type == "-" else _changes(record, previous, related, hidden)
            if record.history_type == "~" and not changes and not record.history_change_reason:
                previous = record
                continue  # a save that changed nothing a person would see
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    action=record.history_type,
                    model_label=str(record.instance_type._meta.verbose_name),
                    object_label=_label(record, related),
                    reason=_(record.history_change_reason) if record.history_change_reason else "",
                    changes=changes,
                )
            )
            previous = record
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def format_change(change: Change) -> SafeString:
    """One change as HTML: the value for a new record, a word diff for long text, "old → new" otherwise."""
    if not change.old:
        return format_html("<span>{}</span>", change.new)
    if change.diff is not None:
        return format_html('<span class="wb-diff">{}</span>', change.diff)
    return format_html("<del>{}</del> → <ins>{}</ins>", change.old, change.new)
