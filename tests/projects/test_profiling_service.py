"""Uploading an extract of a data object: profiled against its checks, at once or in the background."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import ExtractProfile, QualityCheck
from projects.profiling import ProfilingError
from projects.services import migration as svc
from projects.services import profiling

PRODUCTS = (
    "sku,name,unit\n"
    "10-2031-0042,绿茶礼盒,box\n"
    "10-2031-0043,大米 5kg,bag\n"
    "102031-44,酱油,bottle\n"
    "10-2031-0042,绿茶礼盒,box\n"
)


@pytest.fixture
def products(project):
    products = svc.data_object_create(project=project, name="Products", key_columns="sku")
    svc.quality_check_save(
        QualityCheck(
            data_object=products, column="sku", kind="pattern", pattern=r"\d{2}-\d{4}-\d{4}", label="SKU format"
        )
    )
    return products


def _upload(data_object, text, user, name="extract.csv", encoding="utf-8"):
    return profiling.profile_upload(
        data_object=data_object, upload=SimpleUploadedFile(name, text.encode(encoding)), user=user
    )


def test_a_small_extract_is_profiled_at_once_and_sets_the_record_count(products, owner):
    profile = _upload(products, PRODUCTS, owner)
    assert profile.status == ExtractProfile.Status.DONE
    assert profile.rows == 4
    result = profile.result
    assert result["duplicate_keys"] == 1
    [check] = result["checks"]
    assert (check["label"], check["failures"]) == ("SKU format", 1)
    assert check["sample"] == [[4, "102031-44"]]
    assert float(profile.uniqueness) == 75.0
    products.refresh_from_db()
    assert products.record_count == 4


def test_a_gb18030_extract_is_read_as_chinese(products, owner):
    profile = _upload(products, PRODUCTS, owner, encoding="gb18030")
    assert profile.result["encoding"] == "gb18030"
    names = next(c for c in profile.result["columns"] if c["name"] == "name")
    assert "绿茶礼盒" in str(names)


def test_an_unreadable_extract_is_refused_and_nothing_is_stored(products, owner, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(ProfilingError):
        _upload(products, "sku,name\n10-2031-0042,Tea,extra,cells\n", owner)
    assert not ExtractProfile.objects.exists()
    assert not list(Path(tmp_path).rglob("*.csv"))


def test_a_large_extract_is_profiled_in_the_background(products, owner, settings, monkeypatch):
    settings.WORKBENCH_JOBS_SYNC = True
    monkeypatch.setattr(profiling, "SYNC_LIMIT", 10)
    profile = _upload(products, PRODUCTS, owner)
    profile.refresh_from_db()
    assert profile.status == ExtractProfile.Status.DONE and profile.progress == 100 and profile.rows == 4


def test_a_large_unreadable_extract_fails_with_the_reason_and_its_file_is_deleted(
    products, owner, settings, monkeypatch
):
    settings.WORKBENCH_JOBS_SYNC = True
    monkeypatch.setattr(profiling, "SYNC_LIMIT", 10)
    profile = _upload(products, "sku,name\n10-2031-0042,Tea,extra\n", owner)
    profile.refresh_from_db()
    assert profile.status == ExtractProfile.Status.FAILED
    assert "row 2" in profile.error.lower() or "2" in profile.error
    assert not profile.file


def test_a_reference_check_needs_an_extract_of_the_referenced_object_first(project, products, owner):
    stock = svc.data_object_create(project=project, name="Stock", nature="dynamic", depends_on=[products])
    svc.quality_check_save(QualityCheck(data_object=stock, column="sku", kind="reference", reference=products))
    stock_extract = "sku,qty\n10-2031-0042,5\n10-9999-0001,2\n"
    with pytest.raises(svc.MigrationError, match="Profile an extract of Products first"):
        _upload(stock, stock_extract, owner)
    _upload(products, PRODUCTS, owner)
    profile = _upload(stock, stock_extract, owner)
    [check] = profile.result["checks"]
    assert check["failures"] == 1 and check["sample"] == [[3, "10-9999-0001"]]


def test_the_trend_of_a_check_shows_whether_cleansing_worked(products, owner):
    check = products.checks.get()
    _upload(products, PRODUCTS, owner)
    _upload(products, "sku,name,unit\n10-2031-0042,Tea,box\n10-2031-0044,Soy,bottle\n", owner)
    assert [failures for _profile, failures in profiling.check_trend(check)] == [1, 0]
