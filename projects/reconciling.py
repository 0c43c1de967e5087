"""Reconciling a source extract with a target extract of the same data object, in one streaming pass each, with no
database access.

`control_totals()` reads one extract (CSV/TXT in UTF-8 or GB18030, or XLSX, exactly as `projects.profiling` reads it)
and counts its records, sums the numeric columns asked for (overall and per value of a grouping column, e.g. stock
quantity per warehouse) and collects the record keys. `compare()` sets two such totals side by side: the figures
(records, sums, sums per group) and the keys missing in the target or found only there.

Numbers: a cell is a decimal number, optionally with thousands separators (1,234.50); a blank cell adds nothing; any
other text is counted as unparsable in its column (with the first few row numbers), never a crash. Sums are exact
(Decimal). Memory: the set of keys grows with the extract (as the profiler's does), the sums per group are capped at
`MAX_GROUPS` distinct groups.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils.translation import gettext as _

from projects.profiling import ProfilingError, column_indexes, open_extract

KEY_JOIN = " / "  # the parts of a composite key, as shown and stored
MAX_GROUPS = 100  # distinct values of the grouping column in one extract
SAMPLE_SIZE = 5
THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")


@dataclass
class Totals:
    """What one extract adds up to."""

    filename: str
    encoding: str
    key_columns: list[str]
    sum_columns: list[str]
    group_by: str
    rows: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)  # per sum column
    group_rows: dict[str, int] = field(default_factory=dict)  # per group value (when grouped)
    group_sums: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # sum column -> group value -> sum
    unparsable: dict[str, int] = field(default_factory=dict)  # per sum column: cells that are not numbers
    unparsable_sample: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # (row number, value)
    keys: set[str] = field(default_factory=set)
    blank_keys: int = 0  # rows with a blank key part (their key is not collected)
    duplicate_keys: int = 0  # rows whose key repeats an earlier row's


@dataclass
class Figure:
    """One control figure: the records (column "") or a column's sum, overall (group None) or in one group."""

    column: str
    group: str | None
    source: Decimal
    target: Decimal

    @property
    def difference(self) -> Decimal:
        return self.target - self.source


@dataclass
class Comparison:
    figures: list[Figure]
    missing: list[str]  # keys in the source but not in the target: the first few in key order
    missing_count: int
    extra: list[str]  # keys only in the target: the first few in key order
    extra_count: int


def parse_number(value: str) -> Decimal | None:
    """The cell as a finite number, or None when it isn't one (the caller knows the cell isn't blank)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        if not THOUSANDS.fullmatch(value):
            return None
        number = Decimal(value.replace(",", ""))
    return number if number.is_finite() else None


def control_totals(
    stream: BinaryIO,
    *,
    filename: str,
    key_columns: Sequence[str],
    sum_columns: Sequence[str] = (),
    group_by: str = "",
    report: Callable[[int, str], None] | None = None,
    max_groups: int = MAX_GROUPS,
    sample_size: int = SAMPLE_SIZE,
) -> Totals:
    """Count, sum and collect the keys of one extract; raises ProfilingError when it can't be read, lacks one of the
    columns or has more groups than `max_groups`."""
    key_columns, sum_columns = list(key_columns), list(dict.fromkeys(sum_columns))
    with open_extract(stream, filename=filename, report=report) as source:
        header = source.header
        key_indexes = column_indexes(header, key_columns)
        sum_indexes = column_indexes(header, sum_columns)
        group_index = column_indexes(header, [group_by])[0] if group_by else None
        totals = Totals(filename, source.encoding, key_columns, sum_columns, group_by)

        sums = [Decimal(0)] * len(sum_columns)
        unparsable = [0] * len(sum_columns)
        unparsable_sample: list[list[tuple[int, str]]] = [[] for _ in sum_columns]
        group_rows: dict[str, int] = {}
        group_sums: dict[str, list[Decimal]] = {}
        keys = totals.keys
        single_key = key_indexes[0] if len(key_indexes) == 1 else None
        blank_keys = duplicate_keys = rows = 0
        for number, cells in source.rows:
            rows += 1
            if single_key is not None:
                key = cells[single_key]
                if not key:
                    blank_keys += 1
                    key = None
            else:
                parts = [cells[i] for i in key_indexes]
                if all(parts):
                    key = KEY_JOIN.join(parts)
                else:
                    blank_keys += 1
                    key = None
            if key is not None:
                if key in keys:
                    duplicate_keys += 1
                else:
                    keys.add(key)

            if group_index is not None:
                group = cells[group_index]
                in_group = group_sums.get(group)
                if in_group is None:
                    if len(group_sums) >= max_groups:
                        raise ProfilingError(
                            _(
                                "The column “%(column)s” has more than %(limit)s different values: group by a column "
                                "with fewer, such as the warehouse."
                            )
                            % {"column": group_by, "limit": max_groups}
                        )
                    in_group = group_sums[group] = [Decimal(0)] * len(sum_columns)
                    group_rows[group] = 0
                group_rows[group] += 1
            else:
                in_group = None

            for n, i in enumerate(sum_indexes):
                value = cells[i]
                if not value:
                    continue
                amount = parse_number(value)
                if amount is None:
                    unparsable[n] += 1
                    if len(unparsable_sample[n]) < sample_size:
                        unparsable_sample[n].append((number, value))
                    continue
                sums[n] += amount
                if in_group is not None:
                    in_group[n] += amount

    totals.rows = rows
    totals.blank_keys, totals.duplicate_keys = blank_keys, duplicate_keys
    totals.sums = dict(zip(sum_columns, sums, strict=True))
    totals.unparsable = dict(zip(sum_columns, unparsable, strict=True))
    totals.unparsable_sample = dict(zip(sum_columns, unparsable_sample, strict=True))
    if group_by:
        totals.group_rows = group_rows
        totals.group_sums = {
            column: {group: values[n] for group, values in group_sums.items()} for n, column in enumerate(sum_columns)
        }
    if report:
        report(100, _("%(rows)s rows read.") % {"rows": rows})
    return totals


def compare(source: Totals, target: Totals, *, sample_size: int = 50) -> Comparison:
    """The figures of both extracts side by side (a group found in one extract only counts 0 in the other) and the
    keys that are in one but not in the other: exact counts, the first `sample_size` of each in key order."""
    zero = Decimal(0)
    figures = [Figure("", None, Decimal(source.rows), Decimal(target.rows))]
    groups = sorted(set(source.group_rows) | set(target.group_rows)) if source.group_by or target.group_by else []
    for group in groups:
        figures.append(
            Figure("", group, Decimal(source.group_rows.get(group, 0)), Decimal(target.group_rows.get(group, 0)))
        )
    for column in dict.fromkeys([*source.sum_columns, *target.sum_columns]):
        figures.append(Figure(column, None, source.sums.get(column, zero), target.sums.get(column, zero)))
        source_groups, target_groups = source.group_sums.get(column, {}), target.group_sums.get(column, {})
        for group in groups:
            figures.append(Figure(column, group, source_groups.get(group, zero), target_groups.get(group, zero)))
    missing = source.keys - target.keys
    extra = target.keys - source.keys
    return Comparison(
        figures=figures,
        missing=heapq.nsmallest(sample_size, missing),
        missing_count=len(missing),
        extra=heapq.nsmallest(sample_size, extra),
        extra_count=len(extra),
    )
