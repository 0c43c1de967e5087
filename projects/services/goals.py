"""Write operations on drivers, goals, KPIs and measurements, including the CSV import of measurements."""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from projects.kpi_library import BY_KEY
from projects.models import KPI, Driver, Goal, Measurement, Project
from projects.services import ProjectError, apply_fields
from workbench.locking import save_versioned
from workbench.numbers import plain_decimal

MAX_IMPORT_ROWS = 5000


# Drivers


def driver_create(*, project: Project, **fields: Any) -> Driver:
    """Record an upgrade signal."""
    driver = Driver(project=project, **fields)
    driver.full_clean()
    driver.save()
    return driver


def driver_update(*, driver: Driver, expected_version: int, **fields: Any) -> Driver:
    """Change a driver; raises StaleVersionError if someone saved in between."""
    apply_fields(driver, fields)
    driver.full_clean()
    return save_versioned(driver, expected_version=expected_version)


def driver_delete(*, driver: Driver) -> None:
    """Delete a driver; its goals stay and lose the link. The history keeps the driver."""
    driver.delete()


# Goals


@transaction.atomic
def goal_create(*, project: Project, drivers: Iterable[Driver] = (), **fields: Any) -> Goal:
    """Create a goal, linked to the drivers it answers."""
    goal = Goal(project=project, **fields)
    goal.full_clean()
    goal.save()
    goal.drivers.set(_own(project, drivers))
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, expected_version: int, drivers: Iterable[Driver] | None = None, **fields: Any) -> Goal:
    """Change a goal; raises StaleVersionError if someone saved in between."""
    apply_fields(goal, fields)
    goal.full_clean()
    save_versioned(goal, expected_version=expected_version)
    if drivers is not None:
        goal.drivers.set(_own(goal.project, drivers))
    return goal


def goal_delete(*, goal: Goal) -> None:
    """Delete a goal with its KPIs and measurements (all kept in the history)."""
    goal.delete()


def _own(project: Project, drivers: Iterable[Driver]) -> list[Driver]:
    drivers = list(drivers)
    if any(d.project_id != project.pk for d in drivers):
        raise ProjectError(_("A goal can only be linked to drivers of its own project."))
    return drivers


# KPIs


def kpi_create(*, goal: Goal, library_key: str = "", **fields: Any) -> KPI:
    """Add a KPI to a goal; raises ValidationError for a meaningless baseline/target pair."""
    if library_key and library_key not in BY_KEY:
        raise ProjectError(_("There is no KPI library entry called “%(key)s”.") % {"key": library_key})
    kpi = KPI(goal=goal, library_key=library_key, **fields)
    kpi.full_clean()
    kpi.save()
    return kpi


def library_defaults(key: str) -> dict[str, Any]:
    """Initial form values for a KPI taken from the library, in the active language."""
    entry = BY_KEY.get(key)
    if entry is None:
        raise ProjectError(_("There is no KPI library entry called “%(key)s”.") % {"key": key})
    return {
        "name": str(entry.name),
        "unit": str(entry.unit),
        "formula": f"{entry.formula}\n{_('Source')}: {entry.source}",
        "direction": entry.direction,
        "frequency": entry.frequency,
    }


def kpi_update(*, kpi: KPI, expected_version: int, **fields: Any) -> KPI:
    """Change a KPI; raises StaleVersionError if someone saved in between."""
    apply_fields(kpi, fields)
    kpi.full_clean()
    return save_versioned(kpi, expected_version=expected_version)


def kpi_delete(*, kpi: KPI) -> None:
    """Delete a KPI with its measurements (all kept in the history)."""
    kpi.delete()


# Measurements


def measurement_create(*, kpi: KPI, **fields: Any) -> Measurement:
    """Record one value; raises ValidationError when the date already has one."""
    measurement = Measurement(kpi=kpi, **fields)
    measurement.full_clean()
    measurement.save()
    return measurement


def measurement_update(*, measurement: Measurement, expected_version: int, **fields: Any) -> Measurement:
    """Correct a value; raises StaleVersionError if someone saved in between."""
    apply_fields(measurement, fields)
    measurement.full_clean()
    return save_versioned(measurement, expected_version=expected_version)


def measurement_delete(*, measurement: Measurement) -> None:
    measurement.delete()


@dataclass
class ImportRow:
    line: int
    date: date
    value: Decimal
    source: str = ""
    note: str = ""


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


_HEADERS = {
    "date": {"date", "日期", "day", "measured on"},
    "value": {"value", "数值", "值", "measurement", "figure"},
    "source": {"source", "来源", "数据来源"},
    "note": {"note", "notes", "备注", "comment"},
}
_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"]


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_value(text: str, delimiter: str) -> Decimal | None:
    cleaned = text.strip().rstrip("%").strip()
    if delimiter != ",":
        cleaned = cleaned.replace(",", "")  # thousands separators, when commas cannot be the delimiter
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if abs(value) >= Decimal("1e14"):
        return None
    return value.quantize(Decimal("0.0001"))  # the precision values are stored with


def measurement_csv_parse(*, kpi: KPI, text: str) -> ImportResult:
    """Read pasted or uploaded CSV (comma, semicolon or tab separated, with a header row) and check every row.

    Nothing is saved. Errors name the line of the input they come from.
    """
    result = ImportResult()
    text = text.lstrip("\ufeff").strip()
    if not text:
        result.errors.append(_("The file is empty. Paste or upload rows with a header: date,value,source,note"))
        return result
    first_line = text.splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    columns: dict[str, int] = {}
    for name, aliases in _HEADERS.items():
        for index, cell in enumerate(header):
            if cell in aliases:
                columns[name] = index
    missing = [name for name in ("date", "value") if name not in columns]
    if missing:
        result.errors.append(
            _("Line 1: the header must name the columns date and value (found: %(found)s).")
            % {"found": ", ".join(header) or "—"}
        )
        return result

    existing = dict(kpi.measurements.values_list("date", "value"))
    seen: dict[date, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(result.rows) + len(result.errors) >= MAX_IMPORT_ROWS:
            result.errors.append(_("More than %(max)s rows: split the file.") % {"max": MAX_IMPORT_ROWS})
            break

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        problems = []
        day = _parse_date(cell("date"))
        if day is None:
            problems.append(_("“%(text)s” is not a date (write it as 2026-03-31)") % {"text": cell("date")})
        value = _parse_value(cell("value"), delimiter)
        if value is None:
            problems.append(_("“%(text)s” is not a number") % {"text": cell("value")})
        if day is not None:
            if day in seen:
                problems.append(
                    _("%(date)s appears twice (also on line %(line)s)") % {"date": day.isoformat(), "line": seen[day]}
                )
            elif day in existing:
                problems.append(
                    _("%(date)s already has the value %(value)s; delete it first or leave this row out")
                    % {"date": day.isoformat(), "value": plain_decimal(existing[day])}
                )
            seen.setdefault(day, line)
        if len(cell("source")) > 200 or len(cell("note")) > 500:
            problems.append(_("the source (200) or note (500 characters) is too long"))
        if problems:
            result.errors.append(_("Line %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)})
        else:
            result.rows.append(ImportRow(line, day, value, cell("source"), cell("note")))
    if not result.rows and not result.errors:
        result.errors.append(_("There are no data rows under the header."))
    return result


@transaction.atomic
def measurement_import(*, kpi: KPI, rows: list[ImportRow]) -> list[Measurement]:
    """Save all rows or none; raises ProjectError if any date is taken meanwhile."""
    taken = set(kpi.measurements.filter(date__in=[r.date for r in rows]).values_list("date", flat=True))
    if taken:
        raise ProjectError(
            _("Nothing was imported: values for %(dates)s were entered meanwhile. Check the file again.")
            % {"dates": ", ".join(sorted(d.isoformat() for d in taken))}
        )
    measurements = [
        Measurement(kpi=kpi, date=row.date, value=row.value, source=row.source, note=row.note) for row in rows
    ]
    # One INSERT per batch for the rows and one for their history; the history user comes from the request.
    return bulk_create_with_history(
        measurements, Measurement, batch_size=500, default_change_reason=gettext_noop("imported from CSV")
    )
