"""Reconciling from extracts: the streaming engine (control totals, grouping, key differences), the service that
records the figures and exceptions, and the page's upload form."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from projects.models import DataSignOff, Measure, Membership, Reconciliation, ReconciliationException
from projects.profiling import ProfilingError
from projects.reconciling import compare, control_totals, parse_number
from projects.services import migration as svc
from projects.services.migration import MigrationError
from projects.services.reconciling import reconcile_extracts
from tests.conftest import client_for
from tests.factories import PASSWORD

SOURCE = """sku,batch,warehouse,qty,value
A-1,B1,SH-01,10,100.50
A-2,B1,SH-01,5,50
A-3,B2,SH-02,7,70.25
A-4,B1,SH-02,1,10
"""
# A-3 lost 1 unit and 10.00 of value, A-4 (1 unit, 10.00) is missing, A-5 (3 units, 25.00) is extra.
TARGET = """sku,batch,warehouse,qty,value
A-1,B1,SH-01,10,100.50
A-2,B1,SH-01,5,50
A-3,B2,SH-02,6,60.25
A-5,B9,SH-03,3,25
"""


def totals(text: str | bytes, name: str = "stock.csv", **options):
    data = text.encode() if isinstance(text, str) else text
    options.setdefault("key_columns", ["sku"])
    return control_totals(io.BytesIO(data), filename=name, **options)


def upload(text: str | bytes, name: str = "stock.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The engine -------------------------------------------------------------------------------------------------


def test_totals_count_records_and_sum_columns_exactly():
    result = totals(SOURCE, sum_columns=["qty", "value"])
    assert result.rows == 4
    assert result.sums == {"qty": Decimal(23), "value": Decimal("230.75")}
    assert result.keys == {"A-1", "A-2", "A-3", "A-4"}
    assert result.unparsable == {"qty": 0, "value": 0}
    assert result.encoding == "utf-8"


def test_totals_per_group():
    result = totals(SOURCE, sum_columns=["qty"], group_by="warehouse")
    assert result.group_rows == {"SH-01": 2, "SH-02": 2}
    assert result.group_sums == {"qty": {"SH-01": Decimal(15), "SH-02": Decimal(8)}}


def test_a_composite_key_is_joined_and_repeats_and_blanks_are_counted():
    text = "sku,batch,qty\nA-1,B1,1\nA-1,B2,1\nA-1,B1,1\n,B3,1\n"
    result = totals(text, key_columns=["sku", "batch"])
    assert result.keys == {"A-1 / B1", "A-1 / B2"}
    assert result.duplicate_keys == 1
    assert result.blank_keys == 1
    assert result.rows == 4


def test_a_cell_that_is_not_a_number_is_counted_not_summed():
    text = 'sku,qty\nA-1,10\nA-2,ten\nA-3,\nA-4,NaN\nA-5,"1,234.5"\nA-6,-2\n'
    result = totals(text, sum_columns=["qty"])
    assert result.sums == {"qty": Decimal("1242.5")}
    assert result.unparsable == {"qty": 2}
    assert result.unparsable_sample == {"qty": [(3, "ten"), (5, "NaN")]}


def test_parse_number():
    assert parse_number("12.30") == Decimal("12.30")
    assert parse_number("1,234,567.8") == Decimal("1234567.8")
    assert parse_number("1e3") == Decimal(1000)
    assert parse_number("1,5") is None  # a decimal comma is ambiguous: not guessed
    assert parse_number("Infinity") is None


def test_gb18030_extract():
    text = "货号,仓库,数量\nA-1,上海一号仓,10\nA-2,上海一号仓,5\nA-3,北京仓,7\n"
    result = totals(text.encode("gb18030"), key_columns=["货号"], sum_columns=["数量"], group_by="仓库")
    assert result.encoding == "gb18030"
    assert result.rows == 3
    assert result.group_sums == {"数量": {"上海一号仓": Decimal(15), "北京仓": Decimal(7)}}


def test_xlsx_extract_with_numbers_as_cells():
    data = xlsx([["sku", "qty"], ["A-1", 10], ["A-2", 2.5], [None, None]])
    result = totals(data, name="stock.xlsx", sum_columns=["qty"])
    assert (result.rows, result.sums) == (2, {"qty": Decimal("12.5")})


def test_a_missing_column_or_too_many_groups_is_a_clear_error():
    with pytest.raises(ProfilingError, match="“qty”"):
        totals("sku,quantity\nA-1,1\n", sum_columns=["qty"])
    with pytest.raises(ProfilingError, match="more than 2 different values"):
        totals(SOURCE, group_by="sku", max_groups=2)
    with pytest.raises(ProfilingError, match="Row 3 has 3 cells but the header has 2 columns"):
        totals("sku,qty\nA-1,1\nA-2,2,surplus\n")


def test_compare_lists_figures_and_key_differences():
    comparison = compare(
        totals(SOURCE, sum_columns=["qty"], group_by="warehouse"),
        totals(TARGET, sum_columns=["qty"], group_by="warehouse"),
    )
    figures = {(f.column, f.group): (f.source, f.target) for f in comparison.figures}
    assert figures == {
        ("", None): (4, 4),
        ("", "SH-01"): (2, 2),
        ("", "SH-02"): (2, 1),
        ("", "SH-03"): (0, 1),
        ("qty", None): (23, 24),
        ("qty", "SH-01"): (15, 15),
        ("qty", "SH-02"): (8, 6),
        ("qty", "SH-03"): (0, 3),
    }
    assert (comparison.missing, comparison.missing_count) == (["A-4"], 1)
    assert (comparison.extra, comparison.extra_count) == (["A-5"], 1)


def test_compare_caps_the_samples_but_counts_exactly():
    source = totals("sku\n" + "".join(f"K{n:03}\n" for n in range(100)))
    target = totals("sku\nK000\n")
    comparison = compare(source, target, sample_size=3)
    assert comparison.missing == ["K001", "K002", "K003"]
    assert comparison.missing_count == 99


# --- The service ------------------------------------------------------------------------------------------------


@pytest.fixture
def steward(project, team):
    return Membership.objects.get(project=project, user=team["editor"])


@pytest.fixture
def stock(project, steward):
    return svc.data_object_create(project=project, name="Stock", key_columns="sku", steward=steward)


@pytest.fixture
def load(project):
    return svc.trial_load_create(project=project, name="Trial load 1", loaded_on=date(2026, 9, 1))


@pytest.fixture
def reconciliation(load, stock):
    return svc.reconciliation_for(load=load, data_object=stock)


def run(reconciliation, source=SOURCE, target=TARGET, **options):
    options.setdefault("sum_columns", ["qty", "value"])
    return reconcile_extracts(reconciliation=reconciliation, source=upload(source), target=upload(target), **options)


def test_the_service_records_the_figures_and_the_verdict(reconciliation):
    summary = run(reconciliation, group_by="warehouse", tolerance=Decimal(1))
    figures = {m.name: (m.source_value, m.target_value, m.within_tolerance) for m in reconciliation.measures.all()}
    assert figures["Records"] == (4, 4, True)
    assert figures["Records · SH-02"] == (2, 1, True)
    assert figures["Sum of qty"] == (23, 24, True)
    assert figures["Sum of value"] == (Decimal("230.75"), Decimal("235.75"), False)
    assert figures["Sum of value · SH-02"] == (Decimal("80.25"), Decimal("60.25"), False)
    assert figures["Sum of qty · SH-03"] == (0, 3, False)
    assert len(figures) == summary.figures == 12  # records, qty, value: overall and in three warehouses
    assert all(m.tolerance == 1 for m in reconciliation.measures.all())
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == summary.verdict == Reconciliation.Verdict.FAIL
    assert (summary.source_rows, summary.target_rows, summary.missing, summary.extra) == (4, 4, 1, 1)


def test_within_a_percent_tolerance_the_verdict_passes(reconciliation):
    target = SOURCE.replace("A-3,B2,SH-02,7,70.25", "A-3,B2,SH-02,7,70.30")
    summary = run(reconciliation, target=target, tolerance=Decimal("0.1"), tolerance_kind="percent")
    assert summary.verdict == Reconciliation.Verdict.PASS
    assert summary.outside == 0
    assert (summary.missing, summary.extra, summary.exceptions_added) == (0, 0, 0)
    value = reconciliation.measures.get(name="Sum of value")
    assert (value.target_value - value.source_value, value.tolerance_kind) == (Decimal("0.05"), "percent")


def test_exceptions_are_added_once_with_the_steward_as_owner(reconciliation, steward):
    first = run(reconciliation)
    exceptions = {(e.record_key, e.description, e.owner) for e in reconciliation.exceptions.all()}
    assert exceptions == {
        ("A-4", "In the source extract, missing in the target", steward),
        ("A-5", "In the target extract only", steward),
    }
    assert first.exceptions_added == 2
    second = run(reconciliation)
    assert second.exceptions_added == 0
    assert reconciliation.exceptions.count() == 2
    assert reconciliation.measures.count() == 3  # changed by name, not added again


def test_the_service_refuses_a_signed_reconciliation(reconciliation, team):
    svc.measure_set(reconciliation=reconciliation, name="Records", source_value=Decimal(4), target_value=Decimal(4))
    svc.data_sign(reconciliation=reconciliation, user=team["editor"], password=PASSWORD, comment="")
    with pytest.raises(MigrationError, match="signed"):
        run(reconciliation)
    assert reconciliation.measures.count() == 1
    assert not reconciliation.exceptions.exists()


def test_the_service_refuses_an_object_without_key_columns(project, load):
    data_object = svc.data_object_create(project=project, name="Price lists")
    reconciliation = svc.reconciliation_for(load=load, data_object=data_object)
    with pytest.raises(MigrationError, match="no key columns"):
        run(reconciliation)
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    "target",
    [
        "sku,batch,warehouse,quantity,value\nA-1,B1,SH-01,10,1\n",  # a column missing
        "sku,batch,warehouse,qty,value\nA-1,B1,SH-01,10,1,surplus\n",  # a row wider than the header
        b"sku,qty\n" + b"\xff\xfe\x00\x00garbage",  # not text
        "",  # empty
    ],
)
def test_a_malformed_target_writes_nothing(reconciliation, target):
    with pytest.raises(ProfilingError, match="Target extract “stock.csv”"):
        run(reconciliation, target=target)
    assert not reconciliation.measures.exists()
    assert not reconciliation.exceptions.exists()


def test_too_many_figures_are_refused(reconciliation):
    source = "sku,wh,qty\n" + "".join(f"K{n},W{n},1\n" for n in range(100))  # 1 + 100 + 1 + 100 figures
    with pytest.raises(MigrationError, match="more than 200"):
        run(reconciliation, source=source, target=source, sum_columns=["qty"], group_by="wh")
    assert not reconciliation.measures.exists()


def test_a_long_group_value_is_cut_to_the_name_field(reconciliation):
    long = "W" * 300
    source = f"sku,wh,qty\nK1,{long}1,1\nK2,{long}2,1\n"
    run(reconciliation, source=source, target=source, sum_columns=["qty"], group_by="wh")
    names = list(reconciliation.measures.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 6
    assert max(len(name) for name in names) <= 160


# --- The page ---------------------------------------------------------------------------------------------------


def page_url(name, load, data_object) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", "load_id": load.pk, "object_id": data_object.pk})


def post_data(source=SOURCE, target=TARGET, **fields) -> dict:
    return {
        "source": upload(source, "legacy.csv"),
        "target": upload(target, "new.csv"),
        "sum_columns": "qty, value",
        "group_by": "",
        "tolerance": "0",
        "tolerance_kind": "absolute",
        **fields,
    }


def test_the_page_shows_the_upload_form_to_editors_of_an_unsigned_reconciliation(project, team, load, stock):
    url = page_url("reconciliation", load, stock)
    html = client_for(team["editor"]).get(url).content.decode()
    assert 'data-testid="extracts-form"' in html
    assert page_url("reconcile-extracts", load, stock) in html
    assert 'data-testid="extracts-form"' not in client_for(team["viewer"]).get(url).content.decode()


def test_an_editor_posts_the_extracts(project, team, load, stock):
    response = client_for(team["editor"]).post(page_url("reconcile-extracts", load, stock), post_data(), follow=True)
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    assert (
        "Compared 4 source records with 4 target records. Control figures recorded: 3, outside the tolerance: 2;"
        in text
    )
    assert "reads: Fail. Keys missing in the target: 1, only in the target: 1; exceptions added: 2." in text
    reconciliation = Reconciliation.objects.get(load=load, data_object=stock)
    assert reconciliation.verdict == Reconciliation.Verdict.FAIL
    assert ReconciliationException.objects.filter(reconciliation=reconciliation).count() == 2
    html = response.content.decode()
    assert 'data-figure="Sum of qty"' in html


def test_a_refused_upload_saves_nothing_and_says_why(project, team, load, stock):
    client = client_for(team["editor"])
    response = client.post(page_url("reconcile-extracts", load, stock), post_data(target="sku,qty\nA-1,\xe4"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Target extract “new.csv”" in html
    assert "The column “batch”" not in html  # only the columns asked for are needed
    assert "“value” is not in the file" in html
    assert 'value="qty, value"' in html  # the form keeps what was typed
    assert not Reconciliation.objects.exists()

    response = client.post(page_url("reconcile-extracts", load, stock), post_data(tolerance="-1"))
    assert "A tolerance cannot be negative." in response.content.decode()
    assert not Measure.objects.exists()

    response = client.post(page_url("reconcile-extracts", load, stock), {"sum_columns": "qty"})
    assert "Choose the extract taken from the legacy system." in response.content.decode()


def test_unparsable_cells_are_reported(project, team, load, stock):
    target = TARGET.replace("A-5,B9,SH-03,3,25", "A-5,B9,SH-03,three,25")
    response = client_for(team["editor"]).post(
        page_url("reconcile-extracts", load, stock), post_data(target=target), follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Cells that are not numbers were left out of the sums: target: qty (1)." in text


def test_a_signed_reconciliation_is_refused(project, team, load, stock):
    reconciliation = svc.reconciliation_for(load=load, data_object=stock)
    svc.measure_set(reconciliation=reconciliation, name="Records", source_value=Decimal(4), target_value=Decimal(4))
    svc.data_sign(reconciliation=reconciliation, user=team["editor"], password=PASSWORD, comment="")
    client = client_for(team["editor"])
    response = client.post(page_url("reconcile-extracts", load, stock), post_data(), follow=True)
    assert "The reconciliation is signed" in " ".join(str(m) for m in response.context["messages"])
    assert reconciliation.measures.count() == 1
    assert DataSignOff.objects.count() == 1
    assert 'data-testid="extracts-form"' not in response.content.decode()


def test_viewer_gets_403_and_get_is_not_allowed(project, team, load, stock):
    url = page_url("reconcile-extracts", load, stock)
    assert client_for(team["viewer"]).post(url, post_data()).status_code == 403
    assert client_for(team["editor"]).get(url).status_code == 405
    assert not Reconciliation.objects.exists()
