"""Reconciling a data object in a trial load from its source and target extracts (the engine: projects.reconciling).

Both extracts are read in the request and not stored. Their control figures (records, sums of the chosen numeric
columns, overall and per group) are written as the reconciliation's figures through `measure_set`, by name, so a
second run changes them rather than adding more; the keys missing in the target or found only there become
exceptions (the first `MAX_EXCEPTIONS` of each, an exception already listed is not added again). A file that can't
be read or lacks a column writes nothing.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Measure, Reconciliation
from projects.profiling import ProfilingError
from projects.reconciling import Comparison, Figure, Totals, compare, control_totals
from projects.services.migration import (
    MigrationError,
    measure_set,
    reconciliation_exception_add,
    reconciliation_for,
)

MAX_EXCEPTIONS = 50  # of each kind (missing in the target, only in the target) per run
MAX_FIGURES = 200
MAX_SUM_COLUMNS = 10
FOUR_PLACES = Decimal("0.0001")
LIMIT = Decimal(10) ** 16  # Measure values have 16 digits before the point
NAME_LENGTH = Measure._meta.get_field("name").max_length
KEY_LENGTH = 200  # ReconciliationException.record_key


@dataclass
class ExtractsSummary:
    source_rows: int
    target_rows: int
    figures: int  # written (new or changed)
    outside: int  # of them outside the tolerance
    missing: int  # keys of the source missing in the target (exact count)
    extra: int  # keys only in the target (exact count)
    exceptions_added: int
    unparsable: dict[str, int]  # "source: qty" -> cells that are not numbers
    verdict: str


def figure_name(figure: Figure) -> str:
    """The translated name a figure is stored under, e.g. "Sum of qty · SH-01"."""
    if figure.group is None:
        if not figure.column:
            return _("Records")
        return _("Sum of %(column)s") % {"column": figure.column}
    group = figure.group or _("(blank)")
    if not figure.column:
        return _("Records · %(group)s") % {"group": group}
    return _("Sum of %(column)s · %(group)s") % {"column": figure.column, "group": group}


def _fit(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _amount(value: Decimal, name: str) -> Decimal:
    value = value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    if abs(value) >= LIMIT:
        raise MigrationError(
            _("The figure “%(name)s” is too large to record (%(value)s).") % {"name": name, "value": value}
        )
    return value


def _read(upload: Any, role: str, **options: Any) -> Totals:
    name = getattr(upload, "name", "") or ""
    try:
        if hasattr(upload, "seek"):
            upload.seek(0)
        return control_totals(upload, filename=name, **options)
    except ProfilingError as exc:
        raise ProfilingError(
            _("%(extract)s “%(name)s”: %(error)s") % {"extract": role, "name": name, "error": exc}
        ) from exc


def reconcile_extracts(
    *,
    reconciliation: Reconciliation,
    source: Any,
    target: Any,
    sum_columns: list[str] | tuple[str, ...] = (),
    group_by: str = "",
    tolerance: Decimal = Decimal(0),
    tolerance_kind: str = Measure.ToleranceKind.ABSOLUTE,
    user: AbstractBaseUser | None = None,
) -> ExtractsSummary:
    """Compute the control figures and key differences of the source and target extracts (uploaded files with a
    name) and record them; raises MigrationError or ProfilingError with nothing written."""
    if reconciliation.pk and reconciliation.signoffs.exists():
        raise MigrationError(_("The reconciliation is signed; its figures stay as they were signed."))
    data_object = reconciliation.data_object
    keys = data_object.keys
    if not keys:
        raise MigrationError(
            _(
                "%(object)s has no key columns: set them on the data object (e.g. sku) so that the records of both "
                "extracts can be matched."
            )
            % {"object": data_object.name}
        )
    if tolerance < 0:
        raise MigrationError(_("A tolerance cannot be negative."))
    sum_columns = list(dict.fromkeys(c.strip() for c in sum_columns if c.strip()))
    if len(sum_columns) > MAX_SUM_COLUMNS:
        raise MigrationError(_("Sum at most %(limit)s columns at a time.") % {"limit": MAX_SUM_COLUMNS})
    group_by = group_by.strip()
    options = {"key_columns": keys, "sum_columns": sum_columns, "group_by": group_by}
    source_totals = _read(source, _("Source extract"), **options)
    target_totals = _read(target, _("Target extract"), **options)
    comparison = compare(source_totals, target_totals, sample_size=MAX_EXCEPTIONS)
    if len(comparison.figures) > MAX_FIGURES:
        raise MigrationError(
            _(
                "That makes %(count)s control figures, more than %(limit)s: sum fewer columns or group by a column "
                "with fewer values."
            )
            % {"count": len(comparison.figures), "limit": MAX_FIGURES}
        )
    figures = [(name, _amount(f.source, name), _amount(f.target, name)) for name, f in _named(comparison)]

    with transaction.atomic():
        if not reconciliation.pk:
            reconciliation = reconciliation_for(load=reconciliation.load, data_object=data_object)
        outside = 0
        for name, source_value, target_value in figures:
            measure = measure_set(
                reconciliation=reconciliation,
                name=name,
                source_value=source_value,
                target_value=target_value,
                tolerance=tolerance,
                tolerance_kind=tolerance_kind,
            )
            outside += not measure.within_tolerance
        added = _add_exceptions(reconciliation, comparison, user)

    unparsable = {}
    for role, totals in ((_("source"), source_totals), (_("target"), target_totals)):
        for column, count in totals.unparsable.items():
            if count:
                unparsable[f"{role}: {column}"] = count
    return ExtractsSummary(
        source_rows=source_totals.rows,
        target_rows=target_totals.rows,
        figures=len(figures),
        outside=outside,
        missing=comparison.missing_count,
        extra=comparison.extra_count,
        exceptions_added=added,
        unparsable=unparsable,
        verdict=reconciliation.verdict,
    )


def _named(comparison: Comparison) -> list[tuple[str, Figure]]:
    """Each figure with its stored name: cut to the field's length, kept apart from another figure's name."""
    named, used = [], set()
    for figure in comparison.figures:
        base = _fit(figure_name(figure), NAME_LENGTH)
        name, n = base, 1
        while name in used:
            n += 1
            suffix = f" ({n})"
            name = _fit(base, NAME_LENGTH - len(suffix)) + suffix
        used.add(name)
        named.append((name, figure))
    return named


def _add_exceptions(reconciliation: Reconciliation, comparison: Comparison, user: AbstractBaseUser | None) -> int:
    missing_text = _("In the source extract, missing in the target")
    extra_text = _("In the target extract only")
    listed = set(reconciliation.exceptions.values_list("record_key", "description"))
    owner = reconciliation.data_object.steward
    added = 0
    for keys, description in ((comparison.missing, missing_text), (comparison.extra, extra_text)):
        for key in keys:
            record_key = _fit(key, KEY_LENGTH)
            if (record_key, description) in listed:
                continue
            reconciliation_exception_add(
                reconciliation=reconciliation, description=description, record_key=record_key, owner=owner, user=user
            )
            listed.add((record_key, description))
            added += 1
    return added
