"""Importing KPI measurements from CSV: check and preview first, then all rows or none."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Measurement
from projects.services import goals as services
from tests.conftest import client_for


@pytest.fixture
def kpi(project):
    goal = services.goal_create(project=project, statement="Stock figures can be trusted")
    return services.kpi_create(
        goal=goal, name="Inventory record accuracy", unit="%", baseline=Decimal(92), target=Decimal("99.5")
    )


def import_url(kpi) -> str:
    return reverse("projects:measurement-import", kwargs={"project_code": "ACME", "kpi_id": kpi.pk})


def upload(content: bytes, name: str = "values.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def stored(kpi) -> list[tuple[date, Decimal, str, str]]:
    return list(kpi.measurements.order_by("date").values_list("date", "value", "source", "note"))


def check_then_import(client, kpi, **data):
    """Step 1 with the given text or file; returns the preview response and the step 2 response."""
    preview = client.post(import_url(kpi), data)
    assert preview.status_code == 200
    assert preview.context["result"].ok, preview.context["result"].errors
    assert 'data-testid="import-preview"' in preview.content.decode()
    assert not kpi.measurements.exists()  # checking saves nothing
    done = client.post(import_url(kpi), {"text": preview.context["text"], "confirm": "1"}, follow=True)
    return preview, done


def test_the_page_explains_the_format_with_an_example(project, editor, kpi):
    content = client_for(editor).get(import_url(kpi)).content.decode()

    assert "date,value,source,note" in content
    assert "日期,数值,来源,备注" in content
    assert "2026-07-31,93.1" in content
    assert 'enctype="multipart/form-data"' in content


def test_a_comma_file_with_bom_is_previewed_then_imported(project, editor, kpi):
    content = "\ufeffdate,value,source,note\n2026-07-31,93.1,Cycle count,\n2026-08-31,94.60,Cycle count,zone A\n"

    preview, done = check_then_import(client_for(editor), kpi, file=upload(content.encode("utf-8")))

    page = preview.content.decode()
    assert "Import 2 measurements" in page
    assert "94.6 <span" in page and "94.60" not in page.replace("94.60,", "")
    assert done.redirect_chain[-1][0] == reverse(
        "projects:kpi-detail", kwargs={"project_code": "ACME", "kpi_id": kpi.pk}
    )
    assert "2 measurements imported." in done.content.decode()
    assert stored(kpi) == [
        (date(2026, 7, 31), Decimal("93.1"), "Cycle count", ""),
        (date(2026, 8, 31), Decimal("94.6"), "Cycle count", "zone A"),
    ]


def test_pasted_tab_separated_rows_with_chinese_headers_are_imported(project, editor, kpi):
    text = "日期\t数值\t来源\t备注\r\n2026-07-31\t93.1%\t盘点\t\r\n2026/08/31\t94.6\t盘点\t抽盘 A 区\r\n"

    _preview, done = check_then_import(client_for(editor), kpi, text=text)

    assert "2 measurements imported." in done.content.decode()
    assert stored(kpi) == [
        (date(2026, 7, 31), Decimal("93.1"), "盘点", ""),
        (date(2026, 8, 31), Decimal("94.6"), "盘点", "抽盘 A 区"),
    ]


def test_a_gb18030_file_from_chinese_excel_is_read(project, editor, kpi):
    content = "日期,数值,备注\n2026-07-31,93.1,月度盘点\n".encode("gb18030")

    _preview, done = check_then_import(client_for(editor), kpi, file=upload(content))

    assert "1 measurement imported." in done.content.decode()
    assert stored(kpi) == [(date(2026, 7, 31), Decimal("93.1"), "", "月度盘点")]


def test_bad_rows_are_listed_by_line_and_nothing_is_imported(project, editor, kpi):
    services.measurement_create(kpi=kpi, date=date(2026, 6, 30), value=Decimal(92))
    text = (
        "date,value,source,note\n"
        "2026-07-31,93.1,,\n"  # line 2: fine
        "31.08.2026,94,,\n"  # line 3: not a date
        "2026-09-30,ninety,,\n"  # line 4: not a number
        "2026-07-31,95,,\n"  # line 5: second value for line 2's date
        "2026-06-30,92.5,,\n"  # line 6: already stored
    )

    response = client_for(editor).post(import_url(kpi), {"text": text})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in content
    assert 'data-testid="import-preview"' not in content
    assert "Nothing was imported." in content
    errors = response.context["result"].errors
    assert len(errors) == 4
    assert errors[0].startswith("Line 3: “31.08.2026” is not a date")
    assert errors[1].startswith("Line 4: “ninety” is not a number")
    assert errors[2].startswith("Line 5: 2026-07-31 appears twice (also on line 2)")
    assert errors[3].startswith("Line 6: 2026-06-30 already has the value 92")
    assert "ninety" in response.context["form"].initial["text"]  # the rows stay in the box to be fixed
    assert stored(kpi) == [(date(2026, 6, 30), Decimal(92), "", "")]


def test_a_header_without_date_and_value_is_refused(project, editor, kpi):
    response = client_for(editor).post(import_url(kpi), {"text": "day;amount\n2026-07-31;93\n"})

    assert response.context["result"].errors == [
        "Line 1: the header must name the columns date and value (found: day, amount)."
    ]
    assert not kpi.measurements.exists()


def test_nothing_to_check_is_refused(project, editor, kpi):
    response = client_for(editor).post(import_url(kpi), {"text": "  "})

    assert response.status_code == 200
    assert "Paste the rows into the box or choose a file." in response.content.decode()


def test_a_file_that_is_not_text_is_refused_next_to_the_file_field(project, editor, kpi):
    response = client_for(editor).post(import_url(kpi), {"file": upload(b"\x81\xff\xfe\x00binary")})

    assert response.context["form"].errors["file"]
    assert "is not UTF-8 or GB18030 text" in response.content.decode()


def test_a_date_entered_between_check_and_import_cancels_the_whole_import(project, editor, kpi):
    client = client_for(editor)
    text = "date,value\n2026-07-31,93.1\n2026-08-31,94.6\n"
    preview = client.post(import_url(kpi), {"text": text})
    assert preview.context["result"].ok
    services.measurement_create(kpi=kpi, date=date(2026, 8, 31), value=Decimal(94))

    response = client.post(import_url(kpi), {"text": preview.context["text"], "confirm": "1"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in content
    assert "2026-08-31 already has the value 94" in content
    assert stored(kpi) == [(date(2026, 8, 31), Decimal(94), "", "")]


def test_a_viewer_cannot_import(project, viewer, kpi):
    response = client_for(viewer).post(import_url(kpi), {"text": "date,value\n2026-07-31,93\n", "confirm": "1"})

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_imported_values_are_in_the_history_as_the_importer(project, editor, kpi):
    from projects.models import Measurement

    check_then_import(client_for(editor), kpi, text="date,value\n2026-07-31,93.1\n2026-08-31,94.6\n")

    records = Measurement.history.filter(kpi_id=kpi.pk)
    assert records.count() == 2
    assert {r.history_user for r in records} == {editor}
    assert {r.history_change_reason for r in records} == {"imported from CSV"}
