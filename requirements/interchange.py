"""Requirements in and out of spreadsheets and Word: parse a file into a table, map its columns and values,
preview each row's outcome, apply all rows or none; and the XLSX/CSV export.

A parser turns the uploaded bytes into a ParsedTable; `register_parser(kind, fn)` adds one (ReqIF plugs in
here). Everything after parsing is the same for every kind of file.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Membership, Project
from requirements.models import Import, Requirement
from requirements.services import RequirementError, requirement_create, requirement_update
from workbench import textfiles
from workbench.locking import StaleVersionError

MAX_ROWS = 2000


class InterchangeError(Exception):
    """The file cannot be read or imported; the message is shown to the user as it is."""


# --- Parsing --------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int  # where the row is in the file (spreadsheet row, CSV line, Word table row or heading)
    cells: list[str]


@dataclass
class ParsedTable:
    headers: list[str]
    rows: list[ParsedRow]
    note: str = ""  # how the table was found, e.g. "Table 2 of the document"


Parser = Callable[[bytes], ParsedTable]
_PARSERS: dict[str, Parser] = {}


def register_parser(kind: str, fn: Parser) -> None:
    """Make `fn(content) -> ParsedTable` read the files of `kind`; fn raises InterchangeError for a bad file."""
    _PARSERS[kind] = fn


def parse(kind: str, content: bytes) -> ParsedTable:
    """The table in `content`; raises InterchangeError if the file cannot be read or holds no table."""
    parser = _PARSERS.get(kind)
    if parser is None:
        raise InterchangeError(_("Files of this kind cannot be imported."))
    table = parser(content)
    if not table.headers:
        raise InterchangeError(_("No header row found: the first row with two or more filled cells is the header."))
    if len(table.rows) > MAX_ROWS:
        raise InterchangeError(_("More than %(max)s rows: split the file.") % {"max": MAX_ROWS})
    return table


def kind_for_filename(filename: str) -> str | None:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {"xlsx": "xlsx", "xlsm": "xlsx", "csv": "csv", "txt": "csv", "tsv": "csv", "docx": "docx"}.get(suffix)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    # Undo the export's protection against formulas: "'=SUM(…)" was written for "=SUM(…)".
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def _table_from_rows(rows: Iterable[tuple[int, list[Any]]], note: str = "") -> ParsedTable:
    """The first row with two or more filled cells is the header; empty rows below it are skipped."""
    headers: list[str] = []
    parsed: list[ParsedRow] = []
    for number, raw in rows:
        cells = [_text(c) for c in raw]
        if not headers:
            if sum(1 for c in cells if c) >= 2:
                headers = cells
            continue
        if any(cells):
            parsed.append(ParsedRow(number, cells))
    while headers and not headers[-1]:
        headers.pop()
    return ParsedTable(headers, parsed, note)


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 as saved by Chinese Excel."""
    try:
        return textfiles.decode_text(raw)
    except textfiles.UnreadableText as exc:
        raise InterchangeError(str(exc)) from exc


def parse_csv(content: bytes) -> ParsedTable:
    text = decode_text(content).lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)

    def numbered() -> Iterable[tuple[int, list[str]]]:
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1  # a quoted cell can span lines: number a row by its first line

    return _table_from_rows(numbered())


def parse_xlsx(content: bytes) -> ParsedTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InterchangeError(_("The file is not an Excel workbook (.xlsx).")) from exc
    for sheet in workbook.worksheets:
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        # Merged cells: every cell of the range takes the top-left value (a title merged over the whole
        # first row still counts as one cell when looking for the header).
        filled = [list(row) for row in grid]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
            for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if c - 1 < len(filled[r - 1]):
                        filled[r - 1][c - 1] = value
        header_at = next((i for i, row in enumerate(grid) if sum(1 for c in row if _text(c)) >= 2), None)
        if header_at is None:
            continue
        rows = [(i + 1, filled[i]) for i in range(header_at, len(filled))]
        note = _("Sheet “%(name)s”") % {"name": sheet.title} if len(workbook.worksheets) > 1 else ""
        return _table_from_rows(rows, note)
    return ParsedTable([], [])


def _docx_paragraph_is_list(paragraph: Any) -> bool:
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    p_pr = paragraph._p.pPr
    return style.startswith("list") or (p_pr is not None and p_pr.numPr is not None)


def _docx_is_heading(paragraph: Any) -> bool:
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    return style.startswith("heading") or style.startswith("标题 ")


HEADING_NUMBER = re.compile(r"^\s*(?:(?P<key>[A-Z][A-Z0-9]*-\d+)|\d+(?:\.\d+)*\.?)\s*[:：.\-–—]?\s*(?P<title>.*)$")
CRITERIA_START = re.compile(r"^\s*(acceptance criteria|验收标准)\s*[:：]?\s*", re.IGNORECASE)


def parse_docx(content: bytes) -> ParsedTable:
    """The first table with a recognisable header; without one, each heading with the paragraphs under it."""
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a document
        raise InterchangeError(_("The file is not a Word document (.docx).")) from exc
    for index, table in enumerate(document.tables, start=1):
        rows = [(n, [cell.text for cell in row.cells]) for n, row in enumerate(table.rows, start=1)]
        parsed = _table_from_rows(rows)
        if parsed.headers and "title" in guess_columns(parsed.headers):
            parsed.note = _("Table %(n)s of %(count)s in the document") % {"n": index, "count": len(document.tables)}
            return parsed
    return _docx_headings(document)


def _docx_headings(document: Any) -> ParsedTable:
    sections: list[dict[str, Any]] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if _docx_is_heading(paragraph):
            match = HEADING_NUMBER.match(text)
            key, title = "", text
            if match and match.group("title"):
                key, title = match.group("key") or "", match.group("title").strip()
            sections.append({"key": key, "title": title, "statement": [], "criteria": [], "in_criteria": False})
            continue
        if not sections or not text:
            continue
        section = sections[-1]
        start = CRITERIA_START.match(text)
        if start:
            section["in_criteria"] = True
            text = text[start.end() :].strip()
            if not text:
                continue
        line = f"- {text}" if _docx_paragraph_is_list(paragraph) else text
        section["criteria" if section["in_criteria"] else "statement"].append(line)
    # A heading with nothing under it is a chapter, not a requirement.
    found = [s for s in sections if s["statement"] or s["criteria"]]
    if not found:
        raise InterchangeError(_("The document has no table with a header row and no headings with text under them."))

    def joined(lines: list[str]) -> str:
        out = ""
        for line in lines:
            # List items stay on consecutive lines; paragraphs are separated by a blank line.
            in_list = line.startswith("- ") and out.split("\n")[-1].startswith("- ")
            sep = "\n" if in_list else "\n\n"
            out = f"{out}{sep}{line}" if out else line
        return out

    rows = [
        ParsedRow(n, [s["key"], s["title"], joined(s["statement"]), joined(s["criteria"])])
        for n, s in enumerate(found, start=1)
    ]
    headers = [str(_("Key")), str(_("Title")), str(_("Statement")), str(_("Acceptance criteria"))]
    return ParsedTable(headers, rows, _("Headings of the document: row n is the n-th heading with text under it"))


register_parser(Import.Kind.CSV, parse_csv)
register_parser(Import.Kind.XLSX, parse_xlsx)
register_parser(Import.Kind.DOCX, parse_docx)


# --- Mapping --------------------------------------------------------------------------------------

TARGETS: list[tuple[str, Any]] = [
    ("key", gettext_lazy("Key")),
    ("title", gettext_lazy("Title")),
    ("statement", gettext_lazy("Statement")),
    ("layer", gettext_lazy("Layer")),
    ("category", gettext_lazy("Category")),
    ("priority", gettext_lazy("Priority")),
    ("acceptance_criteria", gettext_lazy("Acceptance criteria")),
    ("owner", gettext_lazy("Owner")),
    ("source", gettext_lazy("Source")),
    ("parent", gettext_lazy("Parent")),
]
TARGET_NAMES = [name for name, _label in TARGETS]
CHOICES: dict[str, Any] = {
    "layer": Requirement.Layer,
    "category": Requirement.Category,
    "priority": Requirement.Priority,
}
_ALIASES = {
    "key": ["key", "id", "req id", "requirement id", "编号", "需求编号", "键"],
    "title": ["title", "name", "summary", "标题", "需求标题", "名称"],
    "statement": ["statement", "description", "requirement", "text", "需求描述", "描述", "需求陈述", "陈述", "内容"],
    "layer": ["layer", "level", "层级", "层次"],
    "category": ["category", "module", "area", "类别", "分类", "模块"],
    "priority": ["priority", "moscow", "优先级"],
    "acceptance_criteria": ["acceptance criteria", "acceptance", "验收标准", "验收条件"],
    "owner": ["owner", "responsible", "assignee", "负责人", "责任人"],
    "source": ["source", "origin", "来源"],
    "parent": ["parent", "parent key", "上级需求", "父需求", "上级"],
}


def _norm(text: str) -> str:
    return re.sub(r"[\s_*:：]+", " ", text).strip().lower()


def _aliases() -> dict[str, str]:
    """Header text (normalised) → target field, in English and Chinese, including the export's own headers."""
    table = {_norm(alias): name for name, aliases in _ALIASES.items() for alias in aliases}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for name, label in TARGETS:
                table.setdefault(_norm(str(label)), name)
    return table


def guess_columns(headers: list[str]) -> dict[str, str]:
    """Target field → column reference, guessed from the header names."""
    aliases = _aliases()
    columns: dict[str, str] = {}
    for index, header in enumerate(headers):
        name = aliases.get(_norm(header))
        if name and name not in columns:
            columns[name] = column_ref(headers, index)
    return columns


def column_ref(headers: list[str], index: int) -> str:
    """How a mapping names a column: its header text, or "#3" for a column without one."""
    return headers[index] if headers[index] else f"#{index + 1}"


def column_index(headers: list[str], ref: str) -> int | None:
    for index in range(len(headers)):
        if column_ref(headers, index) == ref:
            return index
    return None


def initial_mapping(*, project: Project, headers: list[str]) -> dict[str, Any]:
    """Guessed from the header names, overridden by the project's last mapping where its columns exist."""
    columns = guess_columns(headers)
    values: dict[str, dict[str, str]] = {}
    recent = project.imports.order_by("-created_at", "-pk").values_list("mapping", flat=True)[:20]
    last = next((m for m in recent if m), None)
    if last:
        for name, ref in (last.get("columns") or {}).items():
            if name in TARGET_NAMES and column_index(headers, ref) is not None:
                columns[name] = ref
        values = {k: dict(v) for k, v in (last.get("values") or {}).items() if k in CHOICES}
    return {"columns": columns, "values": values}


def _choice_lookup(name: str) -> dict[str, str]:
    """Text → choice value: the value itself and its label in English and Chinese, case-insensitive."""
    choices = CHOICES[name]
    lookup = {_norm(value): value for value in choices.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup.setdefault(_norm(str(label)), value)
    return lookup


def unknown_values(table: ParsedTable, mapping: dict[str, Any]) -> dict[str, list[str]]:
    """Per mapped layer/category/priority column, the distinct texts that are no choice, in file order."""
    columns = mapping.get("columns") or {}
    unknown: dict[str, list[str]] = {}
    for name in CHOICES:
        index = column_index(table.headers, columns.get(name, ""))
        if index is None:
            continue
        lookup = _choice_lookup(name)
        seen: list[str] = []
        for row in table.rows:
            text = row.cells[index] if index < len(row.cells) else ""
            if text and _norm(text) not in lookup and text not in seen:
                seen.append(text)
        if seen:
            unknown[name] = seen
    return unknown


# --- Preview --------------------------------------------------------------------------------------


@dataclass
class RowOutcome:
    number: int
    outcome: str  # new, update, unchanged, error
    key: str = ""
    title: str = ""
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # labels of the fields an update changes
    values: dict[str, Any] = field(default_factory=dict)  # model field → value, for apply
    requirement_id: int | None = None


@dataclass
class Preview:
    rows: list[RowOutcome]
    unknown: dict[str, list[str]]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {name: self.count(name) for name in ("new", "update", "unchanged", "error")}

    @property
    def errors(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.outcome == "error"]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def import_preview(*, project: Project, table: ParsedTable, mapping: dict[str, Any]) -> Preview:
    """What applying `table` with `mapping` would do to each row; nothing is saved (a fixed number of queries)."""
    columns = {
        name: index
        for name, ref in (mapping.get("columns") or {}).items()
        if name in TARGET_NAMES and (index := column_index(table.headers, ref)) is not None
    }
    value_map = mapping.get("values") or {}
    existing = {r.key: r for r in project.requirements.select_related("owner", "parent")}
    members: dict[str, Membership] = {}
    for membership in project.memberships.select_related("user"):
        members[membership.user.get_username().lower()] = membership
        full_name = membership.user.get_full_name().strip().lower()
        if full_name:
            members.setdefault(full_name, membership)
    lookups = {name: _choice_lookup(name) for name in CHOICES}
    unknown = unknown_values(table, mapping)
    labels = dict(TARGETS)
    seen_keys: dict[str, int] = {}
    outcomes = []

    for row in table.rows:

        def cell(name: str, row: ParsedRow = row) -> str | None:
            index = columns.get(name)
            if index is None:
                return None
            return row.cells[index] if index < len(row.cells) else ""

        errors: list[str] = []
        key = (cell("key") or "").strip().upper()
        current = existing.get(key) if key else None
        if key:
            if key in seen_keys:
                errors.append(_("key %(key)s also on row %(row)s") % {"key": key, "row": seen_keys[key]})
            seen_keys.setdefault(key, row.number)
        values: dict[str, Any] = {}
        for name in ("title", "statement", "acceptance_criteria", "source"):
            text = cell(name)
            if text is None:
                continue
            if name in ("title", "statement") and not text:
                errors.append(_("the %(field)s is missing") % {"field": labels[name]})
                continue
            max_length = Requirement._meta.get_field(name).max_length
            if max_length and len(text) > max_length:
                errors.append(
                    _("the %(field)s is longer than %(max)s characters") % {"field": labels[name], "max": max_length}
                )
                continue
            values[name] = text
        if current is None:
            for name in ("title", "statement"):
                if name not in columns:
                    errors.append(_("the %(field)s is missing") % {"field": labels[name]})
        for name in CHOICES:
            text = cell(name)
            if not text:
                continue  # keep the stored value, or the default for a new requirement
            choice = lookups[name].get(_norm(text)) or (value_map.get(name) or {}).get(text)
            if choice in CHOICES[name].values:
                values[name] = choice
            else:
                errors.append(
                    _("“%(text)s” is no %(field)s: choose what it means above") % {"text": text, "field": labels[name]}
                )
        owner_text = cell("owner")
        if owner_text is not None:
            if not owner_text:
                values["owner"] = None
            elif owner_text.lower() in members:
                values["owner"] = members[owner_text.lower()]
            else:
                errors.append(_("“%(name)s” is no member of this project") % {"name": owner_text})
        parent_text = cell("parent")
        if parent_text is not None:
            parent_key = parent_text.strip().upper()
            if not parent_key:
                values["parent"] = None
            elif parent_key in existing:
                values["parent"] = existing[parent_key]
            else:
                errors.append(_("the parent %(key)s is no requirement of this project") % {"key": parent_text})

        outcome = RowOutcome(row.number, "new", key=key, title=values.get("title", current.title if current else ""))
        if errors:
            outcome.outcome, outcome.errors = "error", errors
        elif current is not None:
            outcome.requirement_id = current.pk
            changed = {}
            for name, value in values.items():
                stored = getattr(current, name)
                if isinstance(value, str) and isinstance(stored, str):
                    if not _same(value, stored):
                        changed[name] = value
                elif (value.pk if value is not None else None) != (stored.pk if stored is not None else None):
                    changed[name] = value
            outcome.values = changed
            outcome.changes = [str(labels[name]) for name in changed]
            outcome.outcome = "update" if changed else "unchanged"
        else:
            outcome.key = ""  # a new requirement gets the next key of the project
            outcome.values = values
        outcomes.append(outcome)
    return Preview(outcomes, unknown)


@transaction.atomic
def import_apply(*, record: Import, user: AbstractBaseUser) -> dict[str, int]:
    """Create and update the requirements of a pending import, all or none; raises InterchangeError."""
    record = Import.objects.select_for_update().get(pk=record.pk)
    if record.is_applied:
        raise InterchangeError(_("This file has been imported already."))
    table = parse(record.kind, bytes(record.content))
    preview = import_preview(project=record.project, table=table, mapping=record.mapping)
    if not preview.ok:
        raise InterchangeError(
            _("Nothing was imported: %(count)s rows have errors.") % {"count": len(preview.errors)}
            if preview.errors
            else _("Nothing was imported: the file has no rows.")
        )
    project = record.project
    for row in preview.rows:
        try:
            if row.outcome == "new":
                requirement_create(project=project, **row.values)
            elif row.outcome == "update":
                requirement = project.requirements.select_related("project").get(pk=row.requirement_id)
                requirement_update(
                    requirement=requirement, expected_version=requirement.version, user=user, **row.values
                )
        except (RequirementError, StaleVersionError) as exc:
            raise InterchangeError(_("Row %(row)s: %(error)s") % {"row": row.number, "error": exc}) from exc
        except ValidationError as exc:
            problems = "; ".join(message for messages in exc.message_dict.values() for message in messages)
            raise InterchangeError(_("Row %(row)s: %(error)s") % {"row": row.number, "error": problems}) from exc
    counts = preview.counts
    record.status = Import.Status.APPLIED
    record.applied_at = timezone.now()
    record.result = {name: counts[name] for name in ("new", "update", "unchanged")}
    record.save(update_fields=["status", "applied_at", "result"])
    return record.result


def import_create(*, project: Project, user: AbstractBaseUser, filename: str, content: bytes) -> Import:
    """Store an uploaded file with a first mapping; raises InterchangeError if it cannot be read."""
    kind = kind_for_filename(filename)
    if kind is None:
        raise InterchangeError(_("Upload an Excel workbook (.xlsx), a CSV file (.csv) or a Word document (.docx)."))
    table = parse(kind, content)
    record = Import(project=project, user=user, filename=filename[:255], kind=kind, content=content)
    record.mapping = initial_mapping(project=project, headers=table.headers)
    record.save()
    return record


# --- Export ---------------------------------------------------------------------------------------

EXPORT_COLUMNS: list[tuple[str, Any]] = [
    ("key", gettext_lazy("Key")),
    ("title", gettext_lazy("Title")),
    ("statement", gettext_lazy("Statement")),
    ("layer", gettext_lazy("Layer")),
    ("category", gettext_lazy("Category")),
    ("priority", gettext_lazy("Priority")),
    ("status", gettext_lazy("Status")),
    ("acceptance_criteria", gettext_lazy("Acceptance criteria")),
    ("owner", gettext_lazy("Owner")),
    ("source", gettext_lazy("Source")),
    ("parent", gettext_lazy("Parent")),
    ("goals", gettext_lazy("Goals")),
]
EXPORT_WIDTHS = {"key": 10, "title": 40, "statement": 70, "acceptance_criteria": 50, "source": 24, "goals": 10}


def export_rows(queryset: QuerySet[Requirement]) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the export, in the queryset's order (two queries: the rows and their goals)."""
    records = list(
        queryset.values(
            "pk", "key", "title", "statement", "layer", "category", "priority", "status",
            "acceptance_criteria", "owner__user__username", "source", "parent__key",
        )
    )  # fmt: skip
    goals: dict[int, list[str]] = {}
    links = Requirement.goals.through.objects.filter(requirement_id__in=[r["pk"] for r in records])
    for requirement_id, goal_id in links.order_by("goal_id").values_list("requirement_id", "goal_id"):
        goals.setdefault(requirement_id, []).append(str(goal_id))
    labels = {name: dict(choices.choices) for name, choices in CHOICES.items()}
    labels["status"] = dict(Requirement.Status.choices)
    rows = []
    for record in records:
        row = []
        for name, _label in EXPORT_COLUMNS:
            if name in labels:
                value = str(labels[name].get(record[name], record[name]))
            elif name == "owner":
                value = record["owner__user__username"] or ""
            elif name == "parent":
                value = record["parent__key"] or ""
            elif name == "goals":
                value = ", ".join(goals.get(record["pk"], []))
            else:
                value = record[name]
            row.append(value)
        rows.append(row)
    return [str(label) for _name, label in EXPORT_COLUMNS], rows


def _safe(text: str) -> str:
    """A cell that cannot run as a formula (CSV injection): "=SUM(…)" is written as "'=SUM(…)"."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def export_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(headers: list[str], rows: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Requirements"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, (name, _label) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = EXPORT_WIDTHS.get(name, 16)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
