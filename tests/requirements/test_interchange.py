"""Tabular interchange: parsing CSV, XLSX and Word into a table, mapping, the row preview and applying it."""

import io

import docx
import pytest
from openpyxl import Workbook, load_workbook

from requirements import interchange
from requirements.interchange import InterchangeError, ParsedRow, ParsedTable
from requirements.models import Import, Requirement
from requirements.services import requirement_create


def xlsx_bytes(rows: list[list], merge: list[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def preview(project, kind: str, content: bytes, mapping=None):
    table = interchange.parse(kind, content)
    if mapping is None:
        mapping = interchange.initial_mapping(project=project, headers=table.headers)
    return interchange.import_preview(project=project, table=table, mapping=mapping)


# --- Parsing -----------------------------------------------------------------------------------------


def test_csv_sniffs_the_delimiter_and_skips_empty_rows():
    for sep in (",", ";", "\t"):
        text = f"Title{sep}Statement\n\nA{sep}B\n{sep}\nC{sep}D\n"
        table = interchange.parse("csv", text.encode())
        assert table.headers == ["Title", "Statement"]
        assert [(r.number, r.cells) for r in table.rows] == [(3, ["A", "B"]), (5, ["C", "D"])]


def test_csv_reads_a_bom_and_gb18030():
    with_bom = "\ufeff标题,需求描述\n库存,实时更新\n".encode()
    gb = "标题,需求描述\n库存,实时更新\n".encode("gb18030")
    for content in (with_bom, gb):
        table = interchange.parse("csv", content)
        assert table.headers == ["标题", "需求描述"]
        assert table.rows[0].cells == ["库存", "实时更新"]


def test_csv_numbers_a_row_by_its_first_line_when_a_cell_spans_lines():
    table = interchange.parse("csv", b'Title,Statement\nA,"line one\nline two"\nB,C\n')
    assert [r.number for r in table.rows] == [2, 4]
    assert table.rows[0].cells[1] == "line one\nline two"


def test_the_header_is_the_first_row_with_two_filled_cells():
    table = interchange.parse("csv", b"Requirements of ACME\n\nTitle,Statement\nA,B\n")
    assert table.headers == ["Title", "Statement"]
    assert table.rows[0].number == 4


def test_xlsx_merged_header_cells_take_the_top_left_value():
    content = xlsx_bytes(
        [["需求清单", None, None], ["标题", "需求描述", None], ["库存", "实时", "补充说明"]],
        merge=["A1:C1", "B2:C2"],
    )
    table = interchange.parse("xlsx", content)
    assert table.headers == ["标题", "需求描述", "需求描述"]
    assert table.rows[0].number == 3
    assert interchange.guess_columns(table.headers) == {"title": "标题", "statement": "需求描述"}


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(InterchangeError):
        interchange.parse("xlsx", b"not a zip")
    with pytest.raises(InterchangeError):
        interchange.parse("docx", b"not a zip")


def test_a_parser_can_be_registered_for_another_kind():
    table = ParsedTable(["Title", "Statement"], [ParsedRow(7, ["A", "B"])])
    interchange.register_parser("test-kind", lambda content: table)
    try:
        assert interchange.parse("test-kind", b"").rows[0].number == 7
    finally:
        interchange._PARSERS.pop("test-kind")


def test_headers_are_guessed_in_english_and_chinese():
    headers = ["编号", "标题", "需求描述", "层级", "类别", "优先级", "验收标准", "负责人", "来源", "上级需求"]
    assert list(interchange.guess_columns(headers)) == interchange.TARGET_NAMES
    english = ["Key", "Title", "Description", "Layer", "Category", "Priority", "Acceptance criteria", "Owner"]
    assert list(interchange.guess_columns(english)) == interchange.TARGET_NAMES[:8]


# --- Word --------------------------------------------------------------------------------------------


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_takes_the_first_table_with_a_recognisable_header():
    def build(document):
        other = document.add_table(rows=2, cols=2)
        other.cell(0, 0).text, other.cell(0, 1).text = "Version", "Date"
        other.cell(1, 0).text, other.cell(1, 1).text = "1.0", "2026-01-01"
        table = document.add_table(rows=2, cols=3)
        for i, text in enumerate(["标题", "需求描述", "优先级"]):
            table.cell(0, i).text = text
        for i, text in enumerate(["批次追踪", "每批货物可追溯", "Must"]):
            table.cell(1, i).text = text

    table = interchange.parse("docx", docx_bytes(build))
    assert table.headers == ["标题", "需求描述", "优先级"]
    assert "2" in table.note
    assert table.rows[0].cells == ["批次追踪", "每批货物可追溯", "Must"]


def test_word_headings_become_requirements_with_statement_and_criteria():
    def build(document):
        document.add_heading("3 Inventory", level=1)  # a chapter: nothing under it
        document.add_heading("3.1.2 Real-time stock", level=2)
        document.add_paragraph("Stock is updated within a second.")
        document.add_paragraph("It covers:")
        document.add_paragraph("sales orders", style="List Bullet")
        document.add_paragraph("returns", style="List Bullet")
        document.add_paragraph("Acceptance criteria: a sale shows in stock at once.")
        document.add_heading("REQ-012 批次追踪", level=2)
        document.add_paragraph("每批货物可追溯。")
        document.add_paragraph("验收标准")
        document.add_paragraph("召回时一分钟内列出批次", style="List Bullet")

    table = interchange.parse("docx", docx_bytes(build))
    first, second = (r.cells for r in table.rows)
    assert first == [
        "",
        "Real-time stock",
        "Stock is updated within a second.\n\nIt covers:\n\n- sales orders\n- returns",
        "a sale shows in stock at once.",
    ]
    assert second == ["REQ-012", "批次追踪", "每批货物可追溯。", "- 召回时一分钟内列出批次"]
    assert interchange.guess_columns(table.headers) == {
        "key": "Key",
        "title": "Title",
        "statement": "Statement",
        "acceptance_criteria": "Acceptance criteria",
    }


# --- Preview and apply ---------------------------------------------------------------------------------


@pytest.fixture
def stock(project, owner):
    return requirement_create(project=project, title="Real-time stock", statement="Stock within a second.")


def test_rows_are_new_update_or_unchanged(project, stock):
    content = (
        "Key,Title,Statement\n"
        f"{stock.key},Real-time stock,Stock within a second.\n"
        f"{stock.key.lower()}x,Other,Text\n"
        ",Batches,Track batches.\n"
    ).encode()
    result = preview(project, "csv", content)
    assert [r.outcome for r in result.rows] == ["unchanged", "new", "new"]
    changed = preview(project, "csv", f"Key,Title\n{stock.key},Stock in real time\n".encode())
    assert changed.rows[0].outcome == "update"
    assert changed.rows[0].values == {"title": "Stock in real time"}


def test_bad_rows_are_reported_with_their_number_and_reason(project, owner, stock):
    content = (
        "Key,Title,Statement,Priority,Owner,Parent\n"
        ",,No title,Must,,\n"
        ",No statement,,Must,,\n"
        ",Odd priority,Text,Urgent,,\n"
        ",Stranger,Text,Must,nobody,\n"
        ",Orphan,Text,Must,,REQ-999\n"
        f"{stock.key},Twice,Text,Must,owner,\n"
        f"{stock.key},Twice again,Text,Must,,\n"
    ).encode()
    result = preview(project, "csv", content)
    errors = {r.number: r.errors for r in result.rows if r.outcome == "error"}
    assert sorted(errors) == [2, 3, 4, 5, 6, 8]
    assert "title" in errors[2][0].lower()
    assert "statement" in errors[3][0].lower()
    assert "Urgent" in errors[4][0]
    assert "nobody" in errors[5][0]
    assert "REQ-999" in errors[6][0]
    assert "row 7" in errors[8][0]
    assert result.unknown == {"priority": ["Urgent"]}


def test_an_unknown_value_mapped_by_the_user_is_accepted(project):
    content = "标题,需求描述,层级,优先级\n库存,实时更新,核心,High\n".encode()
    mapping = interchange.initial_mapping(project=project, headers=["标题", "需求描述", "层级", "优先级"])
    assert preview(project, "csv", content, mapping).rows[0].outcome == "error"
    mapping["values"] = {"layer": {"核心": "core"}, "priority": {"High": "must"}}
    row = preview(project, "csv", content, mapping).rows[0]
    assert row.outcome == "new"
    assert row.values["layer"] == "core" and row.values["priority"] == "must"


def test_choice_labels_are_known_in_both_languages(project):
    content = b"Title,Statement,Layer,Priority,Category\nA,B,Core functional,must,Inventory\n"
    row = preview(project, "csv", content).rows[0]
    assert row.outcome == "new"
    assert row.values["layer"] == "core"
    assert row.values["category"] == "inventory"


def make_import(project, user, content: bytes, filename="file.csv") -> Import:
    return interchange.import_create(project=project, user=user, filename=filename, content=content)


def test_apply_creates_and_updates_in_one_go(project, owner, stock):
    content = (
        "Key,Title,Statement,Owner,Parent\n"
        f"{stock.key},Stock now,Stock within a second.,owner,\n"
        f",Child,Text,,{stock.key}\n"
    )
    record = make_import(project, owner, content.encode())
    result = interchange.import_apply(record=record, user=owner)
    assert result == {"new": 1, "update": 1, "unchanged": 0}
    stock.refresh_from_db()
    assert stock.title == "Stock now" and stock.owner.user == owner and stock.version == 2
    assert stock.history.first().history_user == owner
    child = project.requirements.get(title="Child")
    assert child.parent == stock
    record.refresh_from_db()
    assert record.status == Import.Status.APPLIED and record.result == result
    with pytest.raises(InterchangeError):
        interchange.import_apply(record=record, user=owner)


def test_apply_with_a_bad_row_changes_nothing(project, owner, stock):
    record = make_import(project, owner, f"Key,Title,Statement\n{stock.key},Changed,Text\n,,Missing title\n".encode())
    with pytest.raises(InterchangeError, match="1"):
        interchange.import_apply(record=record, user=owner)
    stock.refresh_from_db()
    assert stock.title == "Real-time stock"
    assert project.requirements.count() == 1
    record.refresh_from_db()
    assert record.status == Import.Status.PENDING


# --- Export ------------------------------------------------------------------------------------------


def test_export_rows_use_two_queries_and_keep_chinese(project, owner, django_assert_num_queries):
    from projects.services import goals

    goal = goals.goal_create(project=project, statement="Stock is right")
    for n in range(3):
        requirement_create(project=project, title=f"库存 {n}", statement="=SUM(A1)", goals=[goal])
    with django_assert_num_queries(2):
        headers, rows = interchange.export_rows(project.requirements.order_by("number"))
    assert headers[0] == "Key" and rows[0][1] == "库存 0" and rows[0][-1] == str(goal.pk)
    workbook = load_workbook(io.BytesIO(interchange.export_xlsx(headers, rows, title="ACME")))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet["B2"].value == "库存 0"
    assert sheet["C2"].value == "=SUM(A1)" and sheet["C2"].data_type == "s"
    assert interchange.export_csv(headers, rows).startswith("\ufeff".encode())
    assert Requirement.objects.count() == 3
