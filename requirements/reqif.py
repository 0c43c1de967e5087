"""ReqIF 1.2 exchange with DOORS, Polarion, Jama, Capella, StrictDoc and ReqIF Studio.

Export builds the document with lxml: the reqif package's unparser writes back what its parser read
(raw XML kept on the models), so building models from scratch would mean filling the same fields by
hand without a check. What we write is checked against the ReqIF 1.2 XSD shipped in the reqif package
(see `reqif_schema()`) and read back with the package's parser in the tests.

Import reads with the reqif package's parser, turns the file into a plain, JSON-able `Document`
(types, their attributes, objects with values and their parent in the hierarchy) that survives in the
session between the mapping and the apply step, and maps it onto our fields.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from requirements import services
from requirements.models import Requirement
from workbench.markdown import render_markdown

REQIF_NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
XHTML_NS = "http://www.w3.org/1999/xhtml"
TOOL_ID = "Upgrade Workbench"
MAX_UPLOAD = 10 * 1024 * 1024  # bytes of XML, also the limit for what a .reqifz may unpack to

OUR_FIELDS = ["key", "title", "statement", "acceptance_criteria", "layer", "category", "priority", "status"]
CHOICE_FIELDS = {
    "layer": Requirement.Layer,
    "category": Requirement.Category,
    "priority": Requirement.Priority,
}
DEFAULTS = {"layer": Requirement.Layer.CORE, "category": Requirement.Category.OTHER, "priority": "should"}
# What our export calls each field; the import recognises these first.
LONG_NAMES = {
    "key": "ReqIF.ForeignID",
    "title": "ReqIF.Name",
    "statement": "ReqIF.Text",
    "acceptance_criteria": "Acceptance criteria",
    "layer": "Layer",
    "category": "Category",
    "priority": "Priority",
    "status": "Status",
}


class ReqIFError(Exception):
    """The file cannot be read as ReqIF; the message is shown to the user."""


# The XSD


_XML_NAMESPACE_XSD = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="space">
    <xs:simpleType><xs:restriction base="xs:NCName">
      <xs:enumeration value="default"/><xs:enumeration value="preserve"/>
    </xs:restriction></xs:simpleType>
  </xs:attribute>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
</xs:schema>"""


class _SchemaResolver(etree.Resolver):
    """The shipped XSDs import the xml: namespace with schemaLocation="" (libxml2 reads that as the file
    itself and refuses); point those imports at a minimal xml.xsd held in memory, offline."""

    def resolve(self, url: str, pubid: str, context: Any) -> Any:
        if url.endswith("xml-namespace.xsd"):
            return self.resolve_string(_XML_NAMESPACE_XSD, context)
        path = Path(url.removeprefix("file://"))
        if path.is_file():
            return self.resolve_string(_patched(path), context, base_url=str(path))
        return None


def _patched(path: Path) -> bytes:
    return path.read_bytes().replace(b'schemaLocation=""', b'schemaLocation="xml-namespace.xsd"')


@cache
def reqif_schema() -> etree.XMLSchema:
    """The ReqIF 1.2 schema shipped with the reqif package: reqif.xsd, which imports the XHTML driver."""
    import reqif

    path = Path(reqif.__file__).parent / "reqif_schema" / "reqif.xsd"
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_SchemaResolver())
    root = etree.fromstring(_patched(path), parser, base_url=str(path))
    return etree.XMLSchema(etree.ElementTree(root))


def validation_errors(data: bytes) -> list[str]:
    schema = reqif_schema()
    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# Markdown ⇄ XHTML

_XHTML_TAGS = {
    "a": ("href", "title"),
    "abbr": ("title",),
    "b": (),
    "blockquote": (),
    "br": (),
    "code": (),
    "del": (),
    "em": (),
    "h1": (),
    "h2": (),
    "h3": (),
    "h4": (),
    "h5": (),
    "h6": (),
    "hr": (),
    "i": (),
    "ins": (),
    "kbd": (),
    "li": (),
    "ol": (),
    "p": (),
    "pre": (),
    "strong": (),
    "sub": (),
    "sup": (),
    "table": (),
    "tbody": (),
    "td": ("align",),
    "th": ("align",),
    "thead": (),
    "tr": (),
    "ul": (),
}
_RENAMED = {"s": "del"}  # not in XHTML 1.1
_ALIGN = {"left", "center", "right", "justify"}


def _x(tag: str) -> str:
    return f"{{{XHTML_NS}}}{tag}"


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _copy_html(source: Any, target: etree._Element) -> None:
    """Copy sanitised HTML into XHTML elements, keeping only tags and attributes XHTML 1.1 knows."""
    _append_text(target, source.text)
    for child in source:
        if not isinstance(child.tag, str):
            _append_text(target, child.tail)
            continue
        tag = _RENAMED.get(child.tag.lower(), child.tag.lower())
        if tag == "img":  # no image module in ReqIF's XHTML: keep the description and the address
            alt, src = child.get("alt") or "", child.get("src") or ""
            if src:
                link = etree.SubElement(target, _x("a"), href=src)
                link.text = alt or src
            else:
                _append_text(target, alt)
        elif tag in _XHTML_TAGS:
            element = etree.SubElement(target, _x(tag))
            for name in _XHTML_TAGS[tag]:
                value = child.get(name)
                if value and (name != "align" or value in _ALIGN):
                    element.set(name, value)
            _copy_html(child, element)
        else:
            _copy_html(child, target)
        _append_text(target, child.tail)


def _fix_content_models(root: etree._Element) -> None:
    """What XHTML 1.1 refuses and HTML lets through: loose text in a blockquote, a table without body."""
    for quote in root.iter(_x("blockquote")):
        if (quote.text or "").strip() or any(child.tag not in _BLOCK_X for child in quote):
            paragraph = etree.Element(_x("p"))
            paragraph.text, quote.text = quote.text, None
            for child in list(quote):
                paragraph.append(child)
            quote.append(paragraph)
    for table in root.iter(_x("table")):
        bodies = [c for c in table if c.tag == _x("tbody") and len(c)]
        for empty in [c for c in table if c.tag == _x("tbody") and not len(c)]:
            table.remove(empty)
        if not bodies:
            head = next((c for c in table if c.tag == _x("thead")), None)
            if head is not None:
                head.tag = _x("tbody")
            elif not len(table):
                table.getparent().remove(table)


_BLOCK_X = {_x(t) for t in ("p", "div", "ul", "ol", "pre", "blockquote", "table", "hr", "h1", "h2", "h3", "h4")}


def markdown_to_xhtml(text: str) -> etree._Element:
    """Our Markdown as an xhtml:div: rendered and sanitised like on screen, then limited to XHTML 1.1."""
    div = etree.Element(_x("div"), nsmap={"xhtml": XHTML_NS})
    html = str(render_markdown(text))
    if html:
        wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
        _copy_html(wrapper, div)
        _fix_content_models(div)
    return div


_BLOCKS = {"p", "div", "ul", "ol", "pre", "blockquote", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS |= {"section", "article", "dl", "center", "address", "body", "html"}
_ESCAPE = re.compile(r"([\\*`])")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")


def _local(element: Any) -> str:
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def _text(value: str | None) -> str:
    """A text node as Markdown: whitespace collapsed, the few characters that would turn into markup escaped."""
    if not value:
        return ""
    value = re.sub(r"\s+", " ", value)
    value = _ESCAPE.sub(r"\\\1", value)
    return _TAG_LIKE.sub("&lt;", value)


def _tidy(inline: str) -> str:
    return re.sub(r" *\n *", "\n", re.sub(r" {2,}", " ", inline)).strip()


def _wrap(marker: str, inner: str) -> str:
    core = inner.strip()
    if not core:
        return inner
    lead = " " if inner[:1].isspace() else ""
    trail = " " if inner[-1:].isspace() else ""
    return f"{lead}{marker}{core}{marker}{trail}"


def _inline(element: Any) -> str:
    tag = _local(element)
    if tag == "br":
        return "\n"
    if tag in {"object", "img"}:
        inner = _inline_children(element)
        return inner or _text(element.get("alt") or element.get("name") or "")
    if tag in _BLOCKS or tag == "li":
        return " " + " ".join(_blocks(element)) + " "
    inner = _inline_children(element)
    if tag in {"strong", "b"}:
        return _wrap("**", inner)
    if tag in {"em", "i", "cite", "dfn", "var"}:
        return _wrap("*", inner)
    if tag in {"code", "kbd", "tt", "samp"}:
        code = re.sub(r"\s+", " ", "".join(element.itertext()))
        return f"`{code}`" if code.strip() else code
    if tag == "a":
        href = (element.get("href") or "").strip()
        if href.startswith(("http://", "https://", "mailto:")) and inner.strip():
            return f"[{inner.strip()}]({href})"
    return inner


def _inline_children(element: Any) -> str:
    parts = [_text(element.text)]
    for child in element:
        parts.append(_inline(child))
        parts.append(_text(child.tail))
    return "".join(parts)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def _list(element: Any, ordered: bool) -> str:
    items = [child for child in element if _local(child) == "li"]
    loose = any(_local(grandchild) == "p" for item in items for grandchild in item)
    rendered = []
    for number, item in enumerate(items, start=1):
        body = ("\n\n" if loose else "\n").join(_blocks(item)) or ""
        marker = f"{number}. " if ordered else "- "
        first, _sep, rest = body.partition("\n")
        rendered.append(marker + first + ("\n" + _indent(rest) if rest else ""))
    return ("\n\n" if loose else "\n").join(rendered)


def _table(element: Any) -> str:
    rows = [row for row in element.iter() if _local(row) == "tr"]
    if not rows:
        return ""
    grid = [
        [
            _tidy(_inline_children(cell)).replace("\n", " ").replace("|", "\\|")
            for cell in row
            if _local(cell) in {"td", "th"}
        ]
        for row in rows
    ]
    width = max(len(r) for r in grid)
    grid = [r + [""] * (width - len(r)) for r in grid]
    aligns = []
    for cell in [c for c in rows[0] if _local(c) in {"td", "th"}] + [None] * width:
        align = cell.get("align") if cell is not None else None
        aligns.append({"left": ":---", "center": ":---:", "right": "---:"}.get(align or "", "---"))
    lines = ["| " + " | ".join(grid[0]) + " |", "| " + " | ".join(aligns[:width]) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
    return "\n".join(lines)


def _block(element: Any, tag: str) -> list[str]:
    if tag in {"ul", "ol"}:
        return [_list(element, ordered=tag == "ol")]
    if tag.startswith("h") and tag[1:].isdigit():
        return ["#" * int(tag[1:]) + " " + _tidy(_inline_children(element)).replace("\n", " ")]
    if tag == "pre":
        return ["```\n" + "".join(element.itertext()).strip("\n") + "\n```"]
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element))
        return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))] if inner else []
    if tag == "table":
        return [_table(element)]
    if tag == "hr":
        return ["---"]
    if tag == "p":
        return [_tidy(_inline_children(element))]
    return _blocks(element)


def _blocks(element: Any) -> list[str]:
    """The children of a flow container as Markdown blocks; runs of inline content become paragraphs."""
    out: list[str] = []
    inline: list[str] = [_text(element.text)]

    def flush() -> None:
        text = _tidy("".join(inline))
        if text:
            out.append(text)
        inline.clear()

    for child in element:
        tag = _local(child)
        if tag in _BLOCKS:
            flush()
            out.extend(b for b in _block(child, tag) if b.strip())
        elif tag:
            inline.append(_inline(child))
        inline.append(_text(child.tail))
    flush()
    return out


def xhtml_to_markdown(element: Any) -> str:
    """An XHTML value (THE-VALUE or its div) as Markdown: paragraphs, bold, italic, lists, line breaks,
    links, code, headings and tables; anything else is kept as its text."""
    return "\n\n".join(_blocks(element)).strip()


def _plain(element: Any) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


# Export


@dataclass
class ExportItem:
    key: str
    title: str
    statement: str
    acceptance_criteria: str
    layer: str
    category: str
    priority: str
    status: str
    parent_key: str | None
    last_change: datetime


def _ncname(value: str) -> str:
    value = re.sub(r"[^A-Za-z0-9_.-]", "_", value)
    return value if re.match(r"[A-Za-z_]", value) else f"_{value}"


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment, UTC).isoformat(timespec="seconds") if moment else ""


def _el(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{REQIF_NS}}}{tag}", {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def export_reqif(
    *, project_code: str, title: str, items: list[ExportItem], specification_id: str, specification_name: str
) -> bytes:
    """A ReqIF 1.2 document: one SPEC-OBJECT-TYPE "Requirement", one SPECIFICATION whose SPEC-HIERARCHY
    follows parent and child. Identifiers derive from the project code and key, so they stay the same
    from one export to the next and the receiving tool updates instead of duplicating."""
    with translation.override("en"):
        return _export(project_code, title, items, specification_id, specification_name)


def _export(project_code: str, title: str, items: list[ExportItem], spec_id: str, spec_name: str) -> bytes:
    now = _iso(timezone.now())
    p = f"wb-{_ncname(project_code)}"
    changed = _iso(max((item.last_change for item in items), default=timezone.now()))
    root = etree.Element(f"{{{REQIF_NS}}}REQ-IF", nsmap={None: REQIF_NS, "xhtml": XHTML_NS})
    header = _el(_el(root, "THE-HEADER"), "REQ-IF-HEADER", IDENTIFIER=f"{p}-header-{_ncname(spec_id)}")
    _el(header, "COMMENT", f"Exported from {TOOL_ID}")
    _el(header, "CREATION-TIME", now)
    _el(header, "REPOSITORY-ID", p)
    _el(header, "REQ-IF-TOOL-ID", TOOL_ID)
    _el(header, "REQ-IF-VERSION", "1.0")
    _el(header, "SOURCE-TOOL-ID", TOOL_ID)
    _el(header, "TITLE", title)
    content = _el(_el(root, "CORE-CONTENT"), "REQ-IF-CONTENT")

    datatypes = _el(content, "DATATYPES")
    _el(
        datatypes,
        "DATATYPE-DEFINITION-STRING",
        IDENTIFIER=f"{p}-dt-string",
        LAST_CHANGE=changed,
        LONG_NAME="Text",
        MAX_LENGTH="4000",
    )
    _el(
        datatypes,
        "DATATYPE-DEFINITION-XHTML",
        IDENTIFIER=f"{p}-dt-xhtml",
        LAST_CHANGE=changed,
        LONG_NAME="Formatted text",
    )
    for name, choices in (
        ("layer", Requirement.Layer),
        ("category", Requirement.Category),
        ("priority", Requirement.Priority),
        ("status", Requirement.Status),
    ):
        enum = _el(
            datatypes,
            "DATATYPE-DEFINITION-ENUMERATION",
            IDENTIFIER=f"{p}-dt-{name}",
            LAST_CHANGE=changed,
            LONG_NAME=LONG_NAMES[name],
        )
        values = _el(enum, "SPECIFIED-VALUES")
        for number, (value, label) in enumerate(choices.choices):
            enum_value = _el(
                values, "ENUM-VALUE", IDENTIFIER=f"{p}-{name}-{value}", LAST_CHANGE=changed, LONG_NAME=str(label)
            )
            _el(_el(enum_value, "PROPERTIES"), "EMBEDDED-VALUE", KEY=str(number), OTHER_CONTENT=value)

    spec_types = _el(content, "SPEC-TYPES")
    object_type = _el(
        spec_types, "SPEC-OBJECT-TYPE", IDENTIFIER=f"{p}-type-requirement", LAST_CHANGE=changed, LONG_NAME="Requirement"
    )
    attributes = _el(object_type, "SPEC-ATTRIBUTES")
    kinds = {"key": "STRING", "title": "STRING", "statement": "XHTML", "acceptance_criteria": "XHTML"}
    kinds |= {"layer": "ENUMERATION", "category": "ENUMERATION", "priority": "ENUMERATION", "status": "ENUMERATION"}
    for name in OUR_FIELDS:
        kind = kinds[name]
        extra = {"MULTI_VALUED": "false"} if kind == "ENUMERATION" else {}
        definition = _el(
            attributes,
            f"ATTRIBUTE-DEFINITION-{kind}",
            IDENTIFIER=f"{p}-attr-{name}",
            IS_EDITABLE="true",
            LAST_CHANGE=changed,
            LONG_NAME=LONG_NAMES[name],
            **extra,
        )
        datatype = {"STRING": f"{p}-dt-string", "XHTML": f"{p}-dt-xhtml"}.get(kind, f"{p}-dt-{name}")
        _el(_el(definition, "TYPE"), f"DATATYPE-DEFINITION-{kind}-REF", datatype)
    _el(
        spec_types,
        "SPECIFICATION-TYPE",
        IDENTIFIER=f"{p}-type-specification",
        LAST_CHANGE=changed,
        LONG_NAME="Requirements specification",
    )

    objects = _el(content, "SPEC-OBJECTS")
    for item in items:
        spec_object = _el(
            objects,
            "SPEC-OBJECT",
            IDENTIFIER=f"{p}-{_ncname(item.key)}",
            LAST_CHANGE=_iso(item.last_change),
            LONG_NAME=item.key,
        )
        values = _el(spec_object, "VALUES")
        for name in ("key", "title"):
            value = _el(values, "ATTRIBUTE-VALUE-STRING", THE_VALUE=getattr(item, name))
            _el(_el(value, "DEFINITION"), "ATTRIBUTE-DEFINITION-STRING-REF", f"{p}-attr-{name}")
        for name in ("statement", "acceptance_criteria"):
            if getattr(item, name).strip():
                value = _el(values, "ATTRIBUTE-VALUE-XHTML")
                _el(_el(value, "DEFINITION"), "ATTRIBUTE-DEFINITION-XHTML-REF", f"{p}-attr-{name}")
                _el(value, "THE-VALUE").append(markdown_to_xhtml(getattr(item, name)))
        for name in ("layer", "category", "priority", "status"):
            value = _el(values, "ATTRIBUTE-VALUE-ENUMERATION")
            _el(_el(value, "DEFINITION"), "ATTRIBUTE-DEFINITION-ENUMERATION-REF", f"{p}-attr-{name}")
            _el(_el(value, "VALUES"), "ENUM-VALUE-REF", f"{p}-{name}-{getattr(item, name)}")
        _el(_el(spec_object, "TYPE"), "SPEC-OBJECT-TYPE-REF", f"{p}-type-requirement")

    specification = _el(
        _el(content, "SPECIFICATIONS"),
        "SPECIFICATION",
        IDENTIFIER=f"{p}-spec-{_ncname(spec_id)}",
        LAST_CHANGE=changed,
        LONG_NAME=spec_name,
    )
    _el(_el(specification, "TYPE"), "SPECIFICATION-TYPE-REF", f"{p}-type-specification")
    keys = {item.key for item in items}
    children: dict[str | None, list[ExportItem]] = {}
    for item in items:
        children.setdefault(item.parent_key if item.parent_key in keys else None, []).append(item)

    def hierarchy(parent: etree._Element, key: str | None, seen: frozenset[str]) -> None:
        kids = [item for item in children.get(key, []) if item.key not in seen]
        if not kids:
            return
        container = _el(parent, "CHILDREN")
        for item in kids:
            node = _el(
                container,
                "SPEC-HIERARCHY",
                IDENTIFIER=f"{p}-node-{_ncname(spec_id)}-{_ncname(item.key)}",
                LAST_CHANGE=_iso(item.last_change),
            )
            _el(_el(node, "OBJECT"), "SPEC-OBJECT-REF", f"{p}-{_ncname(item.key)}")
            hierarchy(node, item.key, seen | {item.key})

    hierarchy(specification, None, frozenset())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_items_for_requirements(requirements: list[Requirement]) -> list[ExportItem]:
    keys_by_pk = {r.pk: r.key for r in requirements}
    return [
        ExportItem(
            key=r.key,
            title=r.title,
            statement=r.statement,
            acceptance_criteria=r.acceptance_criteria,
            layer=r.layer,
            category=r.category,
            priority=r.priority,
            status=r.status,
            parent_key=keys_by_pk.get(r.parent_id),
            last_change=r.updated_at,
        )
        for r in requirements
    ]


def export_items_for_baseline(baseline: Any) -> list[ExportItem]:
    """A baseline's frozen items; the hierarchy comes from today's parent links, among the baseline's items."""
    items = list(baseline.items.select_related("requirement__parent").order_by("requirement__number"))
    keys = {item.key for item in items}
    result = []
    for item in items:
        parent = item.requirement.parent
        result.append(
            ExportItem(
                key=item.key,
                title=item.title,
                statement=item.statement,
                acceptance_criteria=item.acceptance_criteria,
                layer=item.layer,
                category=item.category,
                priority=item.priority,
                status=item.status,
                parent_key=parent.key if parent is not None and parent.key in keys else None,
                last_change=baseline.signed_at,
            )
        )
    return result


# Import: reading


@dataclass
class SourceAttribute:
    id: str
    name: str
    kind: str  # STRING, XHTML, ENUMERATION, INTEGER, REAL, DATE, BOOLEAN


@dataclass
class SourceType:
    id: str
    name: str
    attributes: list[SourceAttribute]
    object_count: int = 0


@dataclass
class SourceObject:
    id: str
    type_id: str
    long_name: str
    values: dict[str, list[str]]  # attribute id → [Markdown, plain text]
    parent_id: str | None = None


@dataclass
class Document:
    filename: str
    tool: str
    title: str
    types: list[SourceType]
    objects: list[SourceObject]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            filename=data["filename"],
            tool=data["tool"],
            title=data["title"],
            types=[
                SourceType(
                    id=t["id"],
                    name=t["name"],
                    attributes=[SourceAttribute(**a) for a in t["attributes"]],
                    object_count=t["object_count"],
                )
                for t in data["types"]
            ],
            objects=[SourceObject(**o) for o in data["objects"]],
        )

    def type_by_id(self, type_id: str) -> SourceType | None:
        return next((t for t in self.types if t.id == type_id), None)


def _xml_members(data: bytes) -> list[bytes]:
    """The ReqIF documents in an upload: the file itself, or the .reqif files of a .reqifz archive."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [data]
    members = []
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.is_dir() or Path(info.filename).suffix.lower() not in {".reqif", ".xml"}:
                    continue
                total += info.file_size
                if total > MAX_UPLOAD:
                    raise ReqIFError(_("The archive unpacks to more than 10 MB."))
                members.append(archive.read(info))
    except zipfile.BadZipFile as exc:
        raise ReqIFError(_("The .reqifz archive is damaged.")) from exc
    if not members:
        raise ReqIFError(_("The archive holds no .reqif file."))
    return members


def read_reqif(data: bytes, filename: str = "") -> Document:
    """Parse a .reqif or .reqifz upload with the reqif package's parser into a `Document`."""
    from reqif.parser import ReqIFParser

    if len(data) > MAX_UPLOAD:
        raise ReqIFError(_("The file is larger than 10 MB."))
    document = Document(filename=filename, tool="", title="", types=[], objects=[])
    seen_types: dict[str, SourceType] = {}
    for member in _xml_members(data):
        if b"<!ENTITY" in member or b"<!DOCTYPE" in member:
            raise ReqIFError(_("The file declares a document type or entities, which ReqIF does not use."))
        try:
            text = member.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReqIFError(_("The file is not UTF-8 encoded XML.")) from exc
        try:
            bundle = ReqIFParser.parse_from_string(text)
        except Exception as exc:  # the parser raises many kinds; all mean the same to the user
            raise ReqIFError(_("This is not a ReqIF file we can read: %(error)s") % {"error": exc}) from exc
        _read_bundle(bundle, document, seen_types)
    if not document.objects:
        raise ReqIFError(_("The file holds no requirements (no SPEC-OBJECT)."))
    return document


def _read_bundle(bundle: Any, document: Document, seen_types: dict[str, SourceType]) -> None:
    from reqif.models.reqif_data_type import ReqIFDataTypeDefinitionEnumeration
    from reqif.models.reqif_spec_object_type import ReqIFSpecObjectType
    from reqif.models.reqif_types import SpecObjectAttributeType

    header = bundle.req_if_header
    if header is not None:
        document.tool = document.tool or (header.source_tool_id or header.req_if_tool_id or "")
        document.title = document.title or (header.title or "")
    content = bundle.core_content.req_if_content if bundle.core_content else None
    if content is None:
        return
    definitions: dict[str, Any] = {}
    for spec_type in content.spec_types or []:
        if not isinstance(spec_type, ReqIFSpecObjectType):
            continue
        attributes = []
        for definition in spec_type.attribute_definitions or []:
            definitions[definition.identifier] = definition
            attributes.append(
                SourceAttribute(
                    id=definition.identifier,
                    name=definition.long_name or definition.identifier,
                    kind=definition.attribute_type.name,
                )
            )
        if spec_type.identifier not in seen_types:
            source_type = SourceType(
                id=spec_type.identifier, name=spec_type.long_name or spec_type.identifier, attributes=attributes
            )
            seen_types[spec_type.identifier] = source_type
            document.types.append(source_type)

    def enum_label(attribute_id: str, ref: str) -> str:
        definition = definitions.get(attribute_id)
        datatype = bundle.lookup.data_types_lookup.get(definition.datatype_definition) if definition else None
        if isinstance(datatype, ReqIFDataTypeDefinitionEnumeration) and ref in datatype.values_map:
            value = datatype.values_map[ref]
            return value.long_name or value.other_content or value.key or ref
        return ref

    parents: dict[str, str | None] = {}
    order: list[str] = []
    for specification in content.specifications or []:
        for node in bundle.iterate_specification_hierarchy(specification):
            order.append(node.spec_object)
            for child in node.children or []:
                parents.setdefault(child.spec_object, node.spec_object)
            parents.setdefault(node.spec_object, None)
    position = {identifier: number for number, identifier in reversed(list(enumerate(order)))}

    known = {o.id for o in document.objects}
    objects = []
    for spec_object in content.spec_objects or []:
        if spec_object.identifier in known:
            continue
        values: dict[str, list[str]] = {}
        for attribute in spec_object.attributes:
            kind = attribute.attribute_type
            if kind == SpecObjectAttributeType.XHTML:
                the_value = attribute.xml_node.find("THE-VALUE") if attribute.xml_node is not None else None
                if the_value is None and attribute.xml_node is not None:
                    the_value = next((c for c in attribute.xml_node if _local(c) == "the-value"), None)
                markdown = xhtml_to_markdown(the_value) if the_value is not None else ""
                plain = _plain(the_value) if the_value is not None else ""
                values[attribute.definition_ref] = [markdown, plain]
            elif kind == SpecObjectAttributeType.ENUMERATION:
                labels = ", ".join(enum_label(attribute.definition_ref, ref) for ref in attribute.value or [])
                values[attribute.definition_ref] = [labels, labels]
            else:
                text = str(attribute.value if attribute.value is not None else "")
                values[attribute.definition_ref] = [text, re.sub(r"\s+", " ", text).strip()]
        objects.append(
            SourceObject(
                id=spec_object.identifier,
                type_id=spec_object.spec_object_type,
                long_name=spec_object.long_name or "",
                values=values,
                parent_id=parents.get(spec_object.identifier),
            )
        )
        if spec_object.spec_object_type in seen_types:
            seen_types[spec_object.spec_object_type].object_count += 1
    objects.sort(key=lambda o: position.get(o.id, len(position)))
    document.objects.extend(objects)


# Import: mapping


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# Attribute names per field, best first: ReqIF conventions (DOORS, Polarion, ReqIF Studio, Capella),
# StrictDoc's, DOORS' own, and ours.
FIELD_NAMES: dict[str, list[str]] = {
    "key": [
        "ReqIF.ForeignID",
        "UID",
        "Key",
        "ID",
        "Identifier",
        "Requirement ID",
        "Req ID",
        "Absolute Number",
        "IE PUID",
        "PUID",
        "Object Identifier",
        "Foreign ID",
    ],
    "title": [
        "ReqIF.Name",
        "Title",
        "Name",
        "Summary",
        "Short Description",
        "Object Heading",
        "Heading",
        "ReqIF.ChapterName",
        "Chapter Name",
    ],
    "statement": [
        "ReqIF.Text",
        "Statement",
        "Text",
        "Object Text",
        "Description",
        "Requirement Text",
        "Content",
        "Body",
        "ReqIF.Description",
    ],
    "acceptance_criteria": [
        "Acceptance criteria",
        "Acceptance",
        "Acceptance Criterion",
        "Verification Criteria",
        "Fit Criterion",
        "Verification",
    ],
    "layer": ["Layer", "Level", "Requirement Layer", "Requirement Level"],
    "category": ["Category", "Area", "Domain", "Functional Area", "Module", "Component", "Group"],
    "priority": ["Priority", "Importance", "MoSCoW", "Criticality"],
    "status": ["Status", "State", "ReqIF.Status", "Workflow Status"],
}
HEADING_TYPES = re.compile(r"heading|chapter|section|information|^info", re.IGNORECASE)


def guess_field(source_type: SourceType, field_name: str, taken: set[str]) -> str:
    by_name = {_norm(a.name): a for a in source_type.attributes if a.id not in taken}
    by_id = {_norm(a.id): a for a in source_type.attributes if a.id not in taken}
    for candidate in FIELD_NAMES[field_name]:
        attribute = by_name.get(_norm(candidate)) or by_id.get(_norm(candidate))
        if attribute is not None:
            return attribute.id
    suffix = f"-attr-{field_name}"  # our own export, whatever the names say
    return next((a.id for a in source_type.attributes if a.id.endswith(suffix) and a.id not in taken), "")


def guess_type_mapping(source_type: SourceType) -> dict[str, str]:
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for name in OUR_FIELDS:
        mapping[name] = guess_field(source_type, name, taken)
        if mapping[name]:
            taken.add(mapping[name])
    return mapping


def guess_imported(source_type: SourceType) -> bool:
    return source_type.object_count > 0 and not HEADING_TYPES.search(source_type.name)


SYNONYMS: dict[str, dict[str, str]] = {
    "priority": {
        "high": "must",
        "mandatory": "must",
        "essential": "must",
        "shall": "must",
        "critical": "must",
        "1": "must",
        "medium": "should",
        "normal": "should",
        "2": "should",
        "desirable": "should",
        "low": "could",
        "optional": "could",
        "nicetohave": "could",
        "may": "could",
        "3": "could",
        "wont": "wont",
        "willnot": "wont",
        "none": "wont",
        "out of scope": "wont",
    },
    "layer": {
        "functional": "core",
        "corefunction": "core",
        "basic": "core",
        "extension": "extended",
        "interface": "integration",
        "interfaces": "integration",
        "nonfunctional": "nonfunctional",
        "quality": "nonfunctional",
        "performance": "nonfunctional",
    },
    "category": {"purchase": "purchasing", "procurement": "purchasing", "stock": "inventory", "wms": "warehouse"},
}


def guess_value(field_name: str, raw: str) -> str | None:
    """Our choice for a value in the file: its code, its label in English or the active language, a synonym."""
    choices = CHOICE_FIELDS[field_name]
    wanted = _norm(raw)
    if not wanted:
        return None
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        if wanted in {_norm(value), _norm(english), _norm(str(label))}:
            return value
    synonym = SYNONYMS.get(field_name, {}).get(wanted) or SYNONYMS.get(field_name, {}).get(raw.strip().lower())
    return synonym


def value_token(raw: str) -> str:
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:10]


@dataclass
class Mapping:
    types: dict[str, dict[str, str]]  # type id → our field → attribute id ("" = not mapped)
    imported: set[str]  # type ids whose objects become requirements
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # our field → raw value → our value

    @classmethod
    def guess(cls, document: Document) -> Mapping:
        mapping = cls(
            types={t.id: guess_type_mapping(t) for t in document.types},
            imported={t.id for t in document.types if guess_imported(t)},
        )
        for name in CHOICE_FIELDS:
            mapping.values[name] = {
                raw: guess_value(name, raw) or DEFAULTS[name] for raw in distinct_values(document, mapping, name)
            }
        return mapping


def raw_value(obj: SourceObject, mapping: Mapping, field_name: str, markdown: bool = False) -> str:
    attribute_id = mapping.types.get(obj.type_id, {}).get(field_name, "")
    pair = obj.values.get(attribute_id) if attribute_id else None
    if not pair:
        return ""
    return pair[0] if markdown else pair[1]


def distinct_values(document: Document, mapping: Mapping, field_name: str) -> list[str]:
    found = {raw_value(o, mapping, field_name) for o in document.objects if o.type_id in mapping.imported}
    return sorted(v for v in found if v)


# Import: preview and apply


@dataclass
class Row:
    object_id: str
    action: str  # new, update, unchanged, skip
    key: str  # ours: the existing requirement's key, "" for a new one
    foreign_key: str
    title: str
    statement: str
    acceptance_criteria: str
    layer: str | None
    category: str | None
    priority: str | None
    status_in_file: str
    parent_object_id: str | None = None
    parent_label: str = ""
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requirement_id: int | None = None


def source_marker(foreign_key: str) -> str:
    return f"ReqIF: {foreign_key}"[:200]


def build_rows(document: Document, mapping: Mapping, project: Any) -> list[Row]:
    """What the import would do, object by object; nothing is written."""
    existing = {r.key.upper(): r for r in project.requirements.all()}
    by_source = {r.source: r for r in existing.values() if r.source.startswith("ReqIF: ")}
    rows: list[Row] = []
    row_by_object: dict[str, Row] = {}
    claimed: set[int] = set()
    objects = {o.id: o for o in document.objects}
    for obj in document.objects:
        if obj.type_id not in mapping.imported:
            continue
        title = raw_value(obj, mapping, "title") or obj.long_name
        statement = raw_value(obj, mapping, "statement", markdown=True)
        foreign = raw_value(obj, mapping, "key") or obj.id
        notes = []
        if not statement:
            if not title:
                continue  # an empty object: nothing to import, nothing to say
            row = Row(
                obj.id,
                "skip",
                "",
                foreign,
                title,
                "",
                "",
                None,
                None,
                None,
                "",
                notes=[_("No statement: read as a heading and skipped.")],
            )
            rows.append(row)
            row_by_object[obj.id] = row
            continue
        if not title:
            title = statement.split("\n", 1)[0].lstrip("#*-> ").strip()
        if len(title) > 200:
            title = title[:199] + "…"
            notes.append(_("Title shortened to 200 characters."))
        values: dict[str, str | None] = {}
        for name in CHOICE_FIELDS:
            raw = raw_value(obj, mapping, name)
            if not mapping.types.get(obj.type_id, {}).get(name):
                values[name] = None  # not mapped: default for new, unchanged for existing
            else:
                values[name] = mapping.values.get(name, {}).get(raw) or guess_value(name, raw) or DEFAULTS[name]
        row = Row(
            object_id=obj.id,
            action="new",
            key="",
            foreign_key=foreign,
            title=title,
            statement=statement,
            acceptance_criteria=raw_value(obj, mapping, "acceptance_criteria", markdown=True),
            layer=values["layer"],
            category=values["category"],
            priority=values["priority"],
            status_in_file=raw_value(obj, mapping, "status"),
            notes=notes,
        )
        match = existing.get(foreign.upper()) or by_source.get(source_marker(foreign))
        if match is not None and match.pk in claimed:
            row.notes.append(_("%(key)s is matched by an earlier object: imported as new.") % {"key": match.key})
            match = None
        if match is not None:
            claimed.add(match.pk)
            row.requirement_id, row.key = match.pk, match.key
            row.changes = [
                name
                for name in ("title", "statement", "acceptance_criteria", "layer", "category", "priority")
                if getattr(row, name) is not None and getattr(row, name) != getattr(match, name)
            ]
            if "acceptance_criteria" in row.changes and not mapping.types.get(obj.type_id, {}).get(
                "acceptance_criteria"
            ):
                row.changes.remove("acceptance_criteria")
            row.action = "update" if row.changes else "unchanged"
        rows.append(row)
        row_by_object[obj.id] = row
    # The parent: the nearest ancestor in the hierarchy that is imported or matched.
    for row in rows:
        ancestor = objects[row.object_id].parent_id
        while ancestor is not None and (ancestor not in row_by_object or row_by_object[ancestor].action == "skip"):
            ancestor = objects[ancestor].parent_id if ancestor in objects else None
        if ancestor is not None and row.action != "skip":
            parent = row_by_object[ancestor]
            row.parent_object_id = ancestor
            row.parent_label = parent.key or parent.foreign_key
            if row.requirement_id is not None:
                current = existing.get(row.key.upper())
                if parent.requirement_id is None or current.parent_id != parent.requirement_id:
                    row.changes.append("parent")
                    row.action = "update"
    return rows


@dataclass
class ImportResult:
    created: list[Requirement] = field(default_factory=list)
    updated: list[Requirement] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0


@transaction.atomic
def apply_rows(*, project: Any, user: Any, rows: list[Row]) -> ImportResult:
    """Create and update in one transaction: either the whole file lands or nothing does."""
    result = ImportResult()
    by_object: dict[str, Requirement] = {}
    for row in rows:
        if row.action == "skip":
            result.skipped += 1
            continue
        parent = by_object.get(row.parent_object_id) if row.parent_object_id else None
        if row.requirement_id is None:
            fields = {name: getattr(row, name) or DEFAULTS[name] for name in CHOICE_FIELDS}
            requirement = services.requirement_create(
                project=project,
                title=row.title,
                statement=row.statement,
                acceptance_criteria=row.acceptance_criteria,
                source=source_marker(row.foreign_key),
                parent=parent,
                **fields,
            )
            result.created.append(requirement)
        else:
            requirement = Requirement.objects.select_for_update().get(pk=row.requirement_id, project=project)
            changes = {name: getattr(row, name) for name in row.changes if name != "parent"}
            if "parent" in row.changes and parent is not None:
                changes["parent"] = parent
            if changes:
                requirement = services.requirement_update(
                    requirement=requirement, expected_version=requirement.version, user=user, **changes
                )
                result.updated.append(requirement)
            else:
                result.unchanged += 1
        by_object[row.object_id] = requirement
    return result


# The tabular pipeline (requirements/interchange.py): a ReqIF file as one table


TABLE_COLUMNS = [
    ("key", "Key"),
    ("title", "Title"),
    ("statement", "Statement"),
    ("acceptance_criteria", "Acceptance criteria"),
    ("layer", "Layer"),
    ("category", "Category"),
    ("priority", "Priority"),
    ("status", "Status"),
]


def parse_reqif_table(content: bytes) -> Any:
    """`register_parser("reqif", …)`: the objects of the types we would import, one row each, with the
    guessed attribute mapping; headings (no statement) are left out. Hierarchy and type choice need
    the ReqIF page; this lets the spreadsheet preview/apply pages read a .reqif file as well."""
    from requirements.interchange import InterchangeError, ParsedRow, ParsedTable

    try:
        document = read_reqif(content)
    except ReqIFError as exc:
        raise InterchangeError(str(exc)) from exc
    mapping = Mapping.guess(document)
    rows = []
    for number, obj in enumerate(document.objects, start=1):
        if obj.type_id not in mapping.imported:
            continue
        statement = raw_value(obj, mapping, "statement", markdown=True)
        if not statement:
            continue
        title = raw_value(obj, mapping, "title") or obj.long_name or statement.split("\n", 1)[0][:200]
        cells = {
            "key": raw_value(obj, mapping, "key"),
            "title": title,
            "statement": statement,
            "acceptance_criteria": raw_value(obj, mapping, "acceptance_criteria", markdown=True),
        }
        for name in ("layer", "category", "priority", "status"):
            cells[name] = raw_value(obj, mapping, name)
        rows.append(ParsedRow(number, [cells[name] for name, _header in TABLE_COLUMNS]))
    return ParsedTable([header for _name, header in TABLE_COLUMNS], rows, note=document.tool)


def register() -> None:
    from requirements.interchange import register_parser

    register_parser("reqif", parse_reqif_table)
