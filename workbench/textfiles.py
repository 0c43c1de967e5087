"""Uploaded text files as Chinese offices save them: UTF-8 (with or without BOM) or GB18030 from Excel, and the
tables in them: CSV with a header row found, cells cleaned, choices and times read in English or Chinese."""

import csv
import io
import re
from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _


class UnreadableText(ValueError):
    """The bytes are neither UTF-8 nor GB18030; the message is shown to the user as it is."""


def decode_text(raw: bytes) -> str:
    """The text of an uploaded file: UTF-8 (a BOM is dropped), else GB18030; raises UnreadableText."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableText(_("The file is not UTF-8 or GB18030 text. Save it as “CSV UTF-8” and try again."))


# Tables in CSV files ------------------------------------------------------------------------------------------

DATE_FORMATS = ("%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y.%m.%d %H:%M")


def header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def clean_cell(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    # Undo the export's protection against formulas.
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def read_csv(data: bytes) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """(header row, headers, [(row, cells)]) with rows numbered as a spreadsheet shows them."""
    text = decode_text(data).lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", ";", "\t"], key=first_line.count)
    header_row, headers, rows = 0, [], []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        cells = [clean_cell(c) for c in cells]
        if not headers:
            if sum(1 for c in cells if c) >= 2:
                header_row, headers = number, cells
            continue
        if any(cells):
            rows.append((number, cells))
    return header_row, headers, rows


def choice_lookup(choices: Any, chinese: dict[str, str]) -> dict[str, str]:
    """Every accepted spelling (casefolded) → the stored value."""
    lookup: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices:
                lookup[str(label).casefold()] = value
    lookup |= {name.casefold(): value for name, value in chinese.items()}
    lookup |= {value.casefold(): value for value, _label in choices}
    return lookup


def parse_datetime(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
