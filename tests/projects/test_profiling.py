"""Profiling legacy extracts: figures, checks and scores on small crafted files, encodings, formats and refusals."""

import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook

from projects.profiling import Check, ProfilingError, extract_keys, profile_extract
from workbench.errors import BusinessRuleError


def csv_bytes(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def profile(text: str, **kwargs):
    kwargs.setdefault("filename", "extract.csv")
    return profile_extract(csv_bytes(text), **kwargs)


def column(result, name: str):
    return next(c for c in result.columns if c.name == name)


def check_result(result, label: str):
    return next(c for c in result.checks if c.label == label)


def xlsx_bytes(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


STOCK = (
    "sku,name,warehouse,quantity\n"
    "10-2031-0042,螺丝刀,WH01,5\n"  # row 2
    "10-2031-0043,,WH01,7\n"  # row 3: no name
    "10-2031-0042,螺丝刀,WH02,abc\n"  # row 4: quantity not a number
    "102031-0044,扳手,WH99,-1\n"  # row 5: bad SKU, unknown warehouse, below range
    "10-2031-0042,螺丝刀,WH01,3\n"  # row 6: repeats row 2's key (sku + warehouse)
    " 10-2031-0045 ,,, \n"  # row 7: spaces around the SKU, blanks elsewhere
)


def test_rows_completeness_distinct_and_samples():
    result = profile(STOCK, sample_size=2)

    assert result.rows == 6
    assert result.encoding == "utf-8"
    assert result.delimiter == ","
    sku, name, warehouse, quantity = result.columns
    assert (sku.filled, sku.completeness, sku.distinct) == (6, 100.0, 4)
    assert sku.sample == ["10-2031-0042", "10-2031-0043"]  # the first distinct values
    assert (name.filled, name.completeness, name.distinct) == (4, 66.67, 2)
    assert (warehouse.filled, warehouse.distinct) == (5, 3)
    assert (quantity.filled, quantity.distinct) == (5, 5)
    assert not sku.distinct_capped


def test_duplicate_keys_on_one_and_on_several_columns():
    by_sku = profile(STOCK, key_columns=["sku"])
    by_sku_and_warehouse = profile(STOCK, key_columns=["sku", "warehouse"])

    assert by_sku.duplicate_keys == 2  # rows 4 and 6 repeat row 2's SKU
    assert by_sku.duplicate_sample == [["10-2031-0042"]]
    assert by_sku.uniqueness_score == round(100 * 4 / 6, 2)
    assert by_sku_and_warehouse.duplicate_keys == 1  # only row 6 repeats row 2's SKU in WH01
    assert by_sku_and_warehouse.blank_keys == 1  # row 7 has no warehouse
    assert by_sku_and_warehouse.duplicate_sample == [["10-2031-0042", "WH01"]]
    assert profile(STOCK).uniqueness_score == 100.0  # no key


def test_pattern_allowed_and_range_failures_name_their_rows():
    checks = [
        Check(column="sku", kind="pattern", pattern=r"\d{2}-\d{4}-\d{4}", label="SKU format", id=11),
        Check(column="warehouse", kind="allowed", allowed=("WH01", "WH02"), label="Warehouse"),
        Check(column="quantity", kind="range", minimum=Decimal(0), maximum=Decimal(6), label="Quantity"),
    ]

    result = profile(STOCK, checks=checks)

    sku = check_result(result, "SKU format")
    assert (sku.check_id, sku.column, sku.kind) == (11, "sku", "pattern")
    assert (sku.checked, sku.failures, sku.sample) == (6, 1, [(5, "102031-0044")])  # spaces are not a failure
    assert sku.failure_rate == round(100 / 6, 2)
    warehouse = check_result(result, "Warehouse")
    assert (warehouse.checked, warehouse.failures, warehouse.sample) == (5, 1, [(5, "WH99")])
    quantity = check_result(result, "Quantity")
    # "abc" is not a number, -1 is below and 7 above the range; 5 and 3 pass; row 7's blank is not checked
    assert (quantity.checked, quantity.failures) == (5, 3)
    assert quantity.sample == [(3, "7"), (4, "abc"), (5, "-1")]


def test_range_accepts_decimals_and_refuses_what_is_not_a_finite_number():
    text = 'price\n1.50\n-0\n1e2\nNaN\nInfinity\n"1,5"\n12 元\n'
    check = Check(column="price", kind="range", minimum=Decimal(0), label="Price")

    result = profile(text, checks=[check])

    assert [row for row, _ in check_result(result, "Price").sample] == [5, 6, 7, 8]


def test_broken_references_to_another_extracts_keys():
    products = extract_keys(
        csv_bytes("sku,name\n10-2031-0042,螺丝刀\n10-2031-0043,扳手\n,blank\n"), filename="products.csv", column="sku"
    )
    check = Check(column="sku", kind="reference", reference="products", label="SKU in products")

    result = profile(STOCK, checks=[check], references={"products": products})

    assert products == {"10-2031-0042", "10-2031-0043"}
    assert check_result(result, "SKU in products").sample == [(5, "102031-0044"), (7, "10-2031-0045")]


def test_required_and_unique_checks():
    checks = [
        Check(column="name", kind="required", label="Name given"),
        Check(column="sku", kind="unique", label="One row per SKU"),
    ]

    result = profile(STOCK, checks=checks)

    name = check_result(result, "Name given")
    assert (name.checked, name.failures, name.sample) == (6, 2, [(3, ""), (7, "")])
    unique = check_result(result, "One row per SKU")
    assert (unique.checked, unique.failures, unique.sample) == (6, 2, [(4, "10-2031-0042"), (6, "10-2031-0042")])


def test_scores_on_a_file_with_known_values():
    # 4 rows; code is the key (row 5 repeats row 2); code must match C\d and be given; qty in 0..10
    text = "code,qty,note\nC1,5,x\nC2,11,\n,3,\nC1,z,\n"
    checks = [
        Check(column="code", kind="required", label="Code given"),
        Check(column="code", kind="pattern", pattern=r"C\d", label="Code format"),
        Check(column="qty", kind="range", minimum=Decimal(0), maximum=Decimal(10), label="Quantity"),
    ]

    result = profile(text, key_columns=["code"], checks=checks)

    assert result.completeness_score == 75.0  # only the required column counts: 3 of 4 codes given
    # checked cells: 3 codes (all match) + 4 quantities (5 and 3 pass, 11 and z fail) -> 5 of 7 pass
    assert result.accuracy_score == round(100 * 5 / 7, 2)
    assert result.uniqueness_score == 75.0  # 1 of 4 rows repeats an earlier key
    assert result.blank_keys == 1


def test_completeness_score_without_required_checks_is_the_mean_of_all_columns():
    result = profile("a,b\n1,\n2,\n3,x\n4,x\n")  # a 100 %, b 50 %

    assert result.completeness_score == 75.0
    assert result.accuracy_score == 100.0  # nothing checked


def test_a_cell_failing_two_checks_counts_once_for_accuracy():
    text = "sku\nAB\n10-2031-0042\n"
    checks = [
        Check(column="sku", kind="pattern", pattern=r"\d{2}-\d{4}-\d{4}"),
        Check(column="sku", kind="reference", reference="products"),
    ]

    result = profile(text, checks=checks, references={"products": ["10-2031-0042"]})

    assert [c.failures for c in result.checks] == [1, 1]
    assert result.accuracy_score == 50.0
    assert result.checks[0].label == "sku: pattern"  # a default label when none is given


def test_utf8_with_bom():
    result = profile_extract(csv_bytes("\ufeffsku,名称\nA,螺丝刀\n"), filename="x.csv", key_columns=["sku"])

    assert result.encoding == "utf-8"
    assert [c.name for c in result.columns] == ["sku", "名称"]


def test_gb18030_chinese_headers_and_values():
    text = "编码,名称,仓库\n10-2031-0042,螺丝刀,一号仓\n10-2031-0043,扳手,二号仓\n10-2031-0044,螺丝刀,一号仓\n"
    data = csv_bytes(text, "gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.getvalue().decode("utf-8")  # really not UTF-8

    result = profile_extract(
        data,
        filename="库存.CSV",
        key_columns=["编码"],
        checks=[Check(column="仓库", kind="allowed", allowed=("一号仓",))],
    )

    assert result.encoding == "gb18030"
    assert [c.name for c in result.columns] == ["编码", "名称", "仓库"]
    assert column(result, "名称").sample == ["螺丝刀", "扳手"]
    assert result.checks[0].sample == [(3, "二号仓")]


def test_gb18030_decided_after_a_long_ascii_start():
    text = "sku,name\n" + "".join(f"{n},plain\n" for n in range(20000)) + "99999,螺丝刀\n"

    result = profile_extract(csv_bytes(text, "gb18030"), filename="x.csv")

    assert result.encoding == "gb18030"
    assert result.rows == 20001
    assert column(result, "name").sample == ["plain", "螺丝刀"]


def test_semicolon_and_tab_delimiters_are_sniffed_from_the_header():
    semicolon = profile("sku;price;note\nA;1,50;x, y\nB;2,00;\n")
    tab = profile_extract(csv_bytes("sku\tname\nA\tScrew, large\n"), filename="x.txt")

    assert semicolon.delimiter == ";"
    assert [c.name for c in semicolon.columns] == ["sku", "price", "note"]
    assert column(semicolon, "note").sample == ["x, y"]
    assert tab.delimiter == "\t"
    assert column(tab, "name").sample == ["Screw, large"]


def test_quoted_cells_with_line_breaks_keep_row_numbers_by_record():
    text = 'sku,note\nA,"two\nlines"\nB,ok\nC,x\n'

    result = profile(text, checks=[Check(column="sku", kind="allowed", allowed=("A", "B"))])

    assert result.rows == 3
    assert result.checks[0].sample == [(4, "C")]


def test_blank_rows_are_skipped_and_short_rows_padded():
    text = "a,b,c\n1,2,3\n\n,,\n4\n5,6,7,,\n"

    result = profile(text)

    assert result.rows == 3
    assert result.blank_rows == 2
    assert [c.filled for c in result.columns] == [3, 2, 2]


def test_xlsx_first_sheet_with_numbers_dates_and_blanks():
    from datetime import date

    data = xlsx_bytes(
        [
            ["sku", "quantity", "price", "received"],
            ["10-2031-0042", 5, 1.5, date(2026, 3, 1)],
            ["10-2031-0043", None, 2.0, None],
            ["10-2031-0042", -1, "n/a", None],
        ]
    )
    checks = [Check(column="quantity", kind="range", minimum=Decimal(0), label="Qty")]

    result = profile_extract(data, filename="Stock.xlsx", key_columns=["sku"], checks=checks)

    assert result.encoding == "xlsx"
    assert result.rows == 3
    assert column(result, "price").sample == ["1.5", "2", "n/a"]
    assert column(result, "received").sample == ["2026-03-01"]
    assert column(result, "quantity").completeness == round(200 / 3, 2)
    assert result.duplicate_keys == 1
    assert check_result(result, "Qty").sample == [(4, "-1")]


def test_extract_keys_from_xlsx():
    data = xlsx_bytes([["name", "sku"], ["a", "S1"], ["b", None], ["c", "S2"]])

    assert extract_keys(data, filename="p.xlsx", column="sku") == {"S1", "S2"}


def test_progress_is_reported_in_steps_up_to_100():
    text = "sku,qty\n" + "".join(f"S{n},{n}\n" for n in range(20000))
    reports = []

    profile(text, report=lambda percent, message: reports.append((percent, message)))

    percents = [percent for percent, _ in reports]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert 20 <= len(reports) <= 52  # about every 2 %
    assert "20000" in reports[-1][1]


def test_progress_of_an_xlsx_by_rows():
    data = xlsx_bytes([["sku"]] + [[f"S{n}"] for n in range(3000)])
    reports = []

    profile_extract(data, filename="x.xlsx", report=lambda percent, message: reports.append(percent))

    assert reports[-1] == 100
    assert len(reports) >= 2


def test_the_profile_is_json_serialisable():
    result = profile(STOCK, key_columns=["sku"], checks=[Check(column="quantity", kind="range", minimum=Decimal(0))])

    data = json.loads(json.dumps(result.to_dict()))

    assert data["rows"] == 6
    assert data["columns"][0]["name"] == "sku"
    assert data["checks"][0]["sample"][0] == [4, "abc"]
    assert data["duplicate_sample"] == [["10-2031-0042"]]


# --- refusals ------------------------------------------------------------------------------------------------------


def refused(data: bytes, filename: str = "x.csv", **kwargs) -> str:
    with pytest.raises(ProfilingError) as caught:
        profile_extract(io.BytesIO(data), filename=filename, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n  \n", "The file is empty."),
        (b",,,\n,,\n", "The file has no header row."),
        (b"sku,,qty\n1,2,3\n", "Column 2 of the header has no name"),
        (b"sku,qty,sku\n1,2,3\n", "more than once: sku"),
        ("sku,名称\n1,a,b\n2,c\n".encode(), "Row 2 has 3 cells but the header has 2 columns."),
        (b"sku,name\nA,caf\xe9\n", "not UTF-8 or GB18030 text"),
        ("sku\n".encode("utf-16"), "not UTF-8 or GB18030 text"),
        (b"sku\x00,name\n", "not UTF-8 or GB18030 text"),
    ],
)
def test_malformed_text_files_are_refused_with_a_clear_message(data, message):
    assert message in refused(data)


def test_a_row_too_wide_is_named_by_its_row():
    data = ("a,b\n" + "1,2\n" * 10 + "1,2,3\n").encode()

    assert refused(data) == "Row 12 has 3 cells but the header has 2 columns."


def test_an_invalid_byte_after_a_valid_utf8_start_is_a_clear_error():
    head = "sku,name\n" + "".join(f"{n},螺丝刀\n" for n in range(30000))  # well beyond the first chunk
    data = head.encode() + b"30001,\xff\xfe\n30002,x\n"

    message = refused(data)

    assert "not valid UTF-8 text at byte" in message
    assert f"at byte {len(head.encode()) + 6}" in message
    assert "after row" in message


def test_an_unclosed_quote_is_a_clear_error():
    data = b'sku,name\nA,"never closed\n' + b"x" * 200_000

    assert "look for an unclosed quote" in refused(data)


def test_missing_key_and_check_columns_are_named():
    data = b"sku,name\nA,b\n"

    assert "“warehouse” is not in the file's header (sku, name)" in refused(data, key_columns=["sku", "warehouse"])
    assert "“qty” is not in" in refused(data, checks=[Check(column="qty", kind="required")])


def test_unsupported_file_types_and_broken_workbooks():
    assert "only .csv, .txt and .xlsx files" in refused(b"a,b\n", filename="old.xls")
    assert "only .csv, .txt and .xlsx files" in refused(b"a,b\n", filename="noextension")
    assert "can't be opened as an Excel workbook" in refused(b"sku,name\nA,b\n", filename="renamed.xlsx")
    assert "can't be opened as an Excel workbook" in refused(xlsx_bytes([["a"]]).getvalue()[:500], filename="x.xlsx")
    assert "no header row" in refused(xlsx_bytes([]).getvalue(), filename="empty.xlsx")


def test_checks_that_cannot_run_are_refused():
    data = b"sku\nA\n"

    assert "not a valid regular expression" in refused(data, checks=[Check(column="sku", kind="pattern", pattern="(")])
    assert "“products”, which were not given" in refused(
        data, checks=[Check(column="sku", kind="reference", reference="products")]
    )
    assert "Unknown kind of check: sum" in refused(data, checks=[Check(column="sku", kind="sum")])


def test_the_error_is_a_business_rule_error():
    assert issubclass(ProfilingError, BusinessRuleError)


class Pipe(io.RawIOBase):
    """A stream that can only be read forward, like a network upload, and doesn't know its size."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_streams_that_cannot_seek_are_read_too():
    text = "sku\n" + "".join(f"S{n}\n" for n in range(100_000))
    reports = []

    result = profile_extract(Pipe(text.encode()), filename="x.csv", report=lambda p, m: reports.append((p, m)))
    workbook = profile_extract(Pipe(xlsx_bytes([["sku"], ["S1"], ["S2"]]).getvalue()), filename="x.xlsx")

    assert result.rows == 100_000
    assert [p for p, _ in reports] == [0, 0, 100]  # no size: a report every 50,000 rows, without a percentage
    assert "50000" in reports[0][1]
    assert workbook.rows == 2


def test_distinct_tracking_is_capped_except_where_exact_counts_are_needed(monkeypatch):
    monkeypatch.setattr("projects.profiling.DISTINCT_CAP", 3)
    text = "sku,name,batch\n" + "".join(f"S{n},N{n},B{n % 4}\n" for n in range(6)) + "S0,N9,B9\n"

    result = profile(text, key_columns=["sku"], checks=[Check(column="batch", kind="unique", label="batch")])

    sku, name, batch = result.columns
    assert (sku.distinct, sku.distinct_capped) == (6, False)  # the key column
    assert (name.distinct, name.distinct_capped) == (3, True)  # at least 3
    assert (batch.distinct, batch.distinct_capped) == (5, False)  # has a unique check
    assert result.duplicate_keys == 1
    assert check_result(result, "batch").sample == [(6, "B0"), (7, "B1")]


def test_extract_keys_names_a_missing_column():
    with pytest.raises(ProfilingError, match="“code” is not in the file's header"):
        extract_keys(csv_bytes("sku\nA\n"), filename="x.csv", column="code")


def test_an_uploaded_file_is_profiled_with_progress_by_its_size():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("stock.csv", ("sku\n" + "".join(f"S{n}\n" for n in range(50_000))).encode())
    reports = []

    result = profile_extract(upload, filename=upload.name, report=lambda percent, message: reports.append(percent))

    assert result.rows == 50_000
    assert reports[-1] == 100
    assert all(0 < percent < 100 for percent in reports[:-1])
    assert len(reports) > 20
