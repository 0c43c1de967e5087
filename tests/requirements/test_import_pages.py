"""The export, upload and preview pages: round trips, encodings, mapping, Word files and access."""

import csv
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from requirements.models import Import
from requirements.services import requirement_create
from tests.conftest import client_for
from tests.factories import ProjectFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": "ACME", **kwargs})


def upload(client, filename: str, content: bytes):
    return client.post(url("requirement-import"), {"file": SimpleUploadedFile(filename, content)})


def latest_import() -> Import:
    return Import.objects.order_by("-pk").first()


def outcomes(response) -> list[tuple[int, str]]:
    return [(row.number, row.outcome) for row in response.context["preview"].rows]


def apply(client, record: Import):
    """Posts the mapping as the page shows it, with the apply button."""
    page = client.get(record.get_absolute_url())
    data = {f"col-{name}": current for name, _label, current in page.context["column_fields"] if current}
    for name, _label, texts, _choices in page.context["value_fields"]:
        for _text, code, chosen in texts:
            data[f"val-{name}-{code}"] = chosen
    return client.post(record.get_absolute_url(), {**data, "action": "apply"})


def seed(project, n: int = 3):
    return [
        requirement_create(project=project, title=f"库存需求 {i}", statement=f"第 {i} 条：实时更新。\n- 销售\n- 退货")
        for i in range(n)
    ]


# --- Export ------------------------------------------------------------------------------------------


def test_the_export_is_an_xlsx_of_the_filtered_list(project, viewer):
    seed(project)
    requirement_create(project=project, title="Integration", statement="EDI", layer="integration")
    response = client_for(viewer).get(url("requirement-export"), {"format": "xlsx", "layer": "core"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="ACME-requirements.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Key", "Title", "Statement"]
    assert sheet.max_row == 4 and sheet["B2"].value == "库存需求 0"


def test_the_csv_export_has_a_bom(project, viewer):
    seed(project, 1)
    response = client_for(viewer).get(url("requirement-export"), {"format": "csv"})
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "库存需求 0"


def test_the_list_links_to_export_and_import(project, owner_client, viewer):
    content = owner_client.get(url("requirement-list"), {"layer": "core"}).content.decode()
    assert "export/?layer=core&amp;format=xlsx" in content
    assert url("requirement-import") in content
    assert url("requirement-import") not in client_for(viewer).get(url("requirement-list")).content.decode()


# --- Round trips ---------------------------------------------------------------------------------------


def test_an_xlsx_round_trip_is_unchanged_then_updates_a_changed_title(project, owner, owner_client):
    first, *_ = seed(project)
    exported = owner_client.get(url("requirement-export"), {"format": "xlsx"}).content
    response = upload(owner_client, "export.xlsx", exported)
    record = latest_import()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    page = owner_client.get(record.get_absolute_url())
    assert outcomes(page) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]

    workbook = load_workbook(io.BytesIO(exported))
    workbook.active["B2"] = "库存需求 零"
    out = io.BytesIO()
    workbook.save(out)
    upload(owner_client, "changed.xlsx", out.getvalue())
    record = latest_import()
    assert outcomes(owner_client.get(record.get_absolute_url()))[0] == (2, "update")
    response = apply(owner_client, record)
    assert response.status_code == 302 and response["Location"] == url("requirement-list")
    first.refresh_from_db()
    assert first.title == "库存需求 零" and first.version == 2
    record.refresh_from_db()
    assert record.result == {"new": 0, "update": 1, "unchanged": 2}


def test_a_csv_round_trip_is_unchanged(project, owner_client):
    seed(project)
    exported = owner_client.get(url("requirement-export"), {"format": "csv"}).content
    upload(owner_client, "export.csv", exported)
    page = owner_client.get(latest_import().get_absolute_url())
    assert [o for _n, o in outcomes(page)] == ["unchanged"] * 3


def test_a_round_trip_in_chinese_is_unchanged(project, owner_client):
    seed(project, 2)
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    exported = owner_client.get(url("requirement-export"), {"format": "xlsx"}, **chinese).content
    assert load_workbook(io.BytesIO(exported)).active["A1"].value != "Key"
    upload(owner_client, "导出.xlsx", exported)
    page = owner_client.get(latest_import().get_absolute_url())
    assert [o for _n, o in outcomes(page)] == ["unchanged"] * 2


def test_bad_rows_show_their_number_and_reason_and_applying_changes_nothing(project, owner_client):
    content = b"Title,Statement,Owner\nGood,Fine,\n,No title,\nStranger,Text,nobody\n"
    upload(owner_client, "bad.csv", content)
    record = latest_import()
    page = owner_client.get(record.get_absolute_url())
    assert outcomes(page) == [(2, "new"), (3, "error"), (4, "error")]
    text = page.content.decode()
    assert 'data-row="3" data-outcome="error"' in text and "nobody" in text
    response = apply(owner_client, record)
    assert response.status_code == 302
    assert project.requirements.count() == 0
    record.refresh_from_db()
    assert record.status == Import.Status.PENDING


def test_a_gb18030_csv_imports_chinese(project, owner_client):
    content = "标题,需求描述,优先级\n批次追踪,每批货物可追溯,必须\n".encode("gb18030")
    upload(owner_client, "gb.csv", content)
    record = latest_import()
    assert outcomes(owner_client.get(record.get_absolute_url())) == [(2, "new")]  # “必须” is the Chinese “Must”
    apply(owner_client, record)
    created = project.requirements.get()
    assert (created.title, created.statement, created.priority) == ("批次追踪", "每批货物可追溯", "must")


def test_a_csv_with_a_bom_and_semicolons_imports(project, owner_client):
    upload(owner_client, "bom.csv", "\ufeffTitle;Statement\nStock;Real time\n".encode())
    apply(owner_client, latest_import())
    assert project.requirements.get().title == "Stock"


def test_merged_header_cells_in_xlsx(project, owner_client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["需求清单", None, None])
    sheet.append(["标题", "需求描述", None])
    sheet.append(["库存", "实时更新", "备注"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("B2:C2")
    out = io.BytesIO()
    workbook.save(out)
    upload(owner_client, "merged.xlsx", out.getvalue())
    record = latest_import()
    assert outcomes(owner_client.get(record.get_absolute_url())) == [(3, "new")]
    apply(owner_client, record)
    assert project.requirements.get().statement == "实时更新"


def test_an_unknown_layer_is_mapped_by_the_user(project, owner_client):
    upload(owner_client, "layers.csv", "Title,Statement,Layer\nStock,Real time,核心\n".encode())
    record = latest_import()
    page = owner_client.get(record.get_absolute_url())
    assert outcomes(page) == [(2, "error")]
    (name, _label, texts, _choices), *_ = page.context["value_fields"]
    assert name == "layer" and texts[0][0] == "核心"
    response = apply(owner_client, record)  # nothing chosen yet: refused
    assert project.requirements.count() == 0
    data = {"col-title": "Title", "col-statement": "Statement", "col-layer": "Layer"}
    response = owner_client.post(
        record.get_absolute_url(), {**data, f"val-layer-{texts[0][1]}": "core", "action": "apply"}
    )
    assert response.status_code == 302  # the mapping changed: preview first
    assert project.requirements.count() == 0
    assert outcomes(owner_client.get(record.get_absolute_url())) == [(2, "new")]
    apply(owner_client, record)
    assert project.requirements.get().layer == "core"


def test_the_mapping_is_remembered_for_the_next_import(project, owner_client):
    content = "Überschrift,Beschreibung\nStock,Real time\n".encode()
    upload(owner_client, "one.csv", content)
    record = latest_import()
    page = owner_client.get(record.get_absolute_url())
    assert not any(current for _n, _l, current in page.context["column_fields"])
    owner_client.post(
        record.get_absolute_url(), {"col-title": "Überschrift", "col-statement": "Beschreibung", "action": "preview"}
    )
    upload(owner_client, "two.csv", content)
    second = latest_import()
    assert second.pk != record.pk
    page = owner_client.get(second.get_absolute_url())
    columns = {name: current for name, _l, current in page.context["column_fields"]}
    assert columns["title"] == "Überschrift" and columns["statement"] == "Beschreibung"


# --- Word --------------------------------------------------------------------------------------------


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_table_imports(project, owner_client):
    def build(document):
        document.add_paragraph("需求规格说明书")
        table = document.add_table(rows=3, cols=3)
        for i, text in enumerate(["标题", "需求描述", "验收标准"]):
            table.cell(0, i).text = text
        for i, text in enumerate(["批次追踪", "每批货物可追溯", "召回一分钟内"]):
            table.cell(1, i).text = text
        for i, text in enumerate(["条码", "扫码入库", ""]):
            table.cell(2, i).text = text

    upload(owner_client, "spec.docx", docx_bytes(build))
    record = latest_import()
    page = owner_client.get(record.get_absolute_url())
    assert outcomes(page) == [(2, "new"), (3, "new")]
    assert 'data-testid="import-note"' in page.content.decode()
    apply(owner_client, record)
    assert list(project.requirements.values_list("title", "acceptance_criteria")) == [
        ("批次追踪", "召回一分钟内"),
        ("条码", ""),
    ]


def test_word_headings_import(project, owner_client):
    def build(document):
        document.add_heading("1 库存", level=1)
        document.add_heading("1.1 实时库存", level=2)
        document.add_paragraph("库存在一秒内更新。")
        document.add_paragraph("验收标准：")
        document.add_paragraph("销售后立即可见", style="List Bullet")

    upload(owner_client, "headings.docx", docx_bytes(build))
    apply(owner_client, latest_import())
    created = project.requirements.get()
    assert (created.title, created.statement, created.acceptance_criteria) == (
        "实时库存",
        "库存在一秒内更新。",
        "- 销售后立即可见",
    )


def test_a_file_of_another_kind_is_refused(project, owner_client):
    response = upload(owner_client, "notes.pdf", b"%PDF")
    assert response.status_code == 200 and response.context["form"].errors
    response = upload(owner_client, "broken.xlsx", b"nope")
    assert response.status_code == 200 and "Excel" in str(response.context["form"].errors)
    assert not Import.objects.exists()


# --- Access ------------------------------------------------------------------------------------------


def pending(project, user) -> Import:
    return Import.objects.create(project=project, user=user, filename="a.csv", kind="csv", content=b"Title,Statement\n")


def test_a_viewer_gets_403_on_import(project, owner, viewer):
    record = pending(project, owner)
    client = client_for(viewer)
    assert client.get(url("requirement-import")).status_code == 403
    assert upload(client, "a.csv", b"Title,Statement\nA,B\n").status_code == 403
    assert client.post(record.get_absolute_url(), {"action": "apply"}).status_code == 403


def test_an_outsider_gets_404(project, owner, outsider):
    record = pending(project, owner)
    client = client_for(outsider)
    assert client.get(url("requirement-import")).status_code == 404
    assert client.get(url("requirement-export")).status_code == 404
    assert client.get(record.get_absolute_url()).status_code == 404


def test_an_import_of_another_project_is_404(project, owner, owner_client):
    other = ProjectFactory(code="ELSE")
    record = pending(other, owner)
    response = owner_client.get(url("requirement-import-preview", import_id=record.pk))
    assert response.status_code == 404
    response = owner_client.post(url("requirement-import-preview", import_id=record.pk), {"action": "apply"})
    assert response.status_code == 404
