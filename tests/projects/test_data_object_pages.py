"""The data inventory pages: objects in load order, dependencies and cycles, checks, cleansing rules with their
trend, profiled extracts, waves, history and who may change what."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.models import CleansingRule, DataObject, ExtractProfile, QualityCheck
from projects.services import migration as svc
from projects.services.profiling import profile_upload
from tests.conftest import client_for


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def object_data(**overrides) -> dict:
    data = {
        "name": "Stock on hand",
        "kind": "stock",
        "nature": "dynamic",
        "source_system": "Legacy JXC",
        "steward": "",
        "record_count": "",
        "key_columns": "sku,batch",
        "wave": "",
        "description": "",
    }
    data.update(overrides)
    return data


def edit_data(data_object: DataObject, **overrides) -> dict:
    data = {
        "name": data_object.name,
        "kind": data_object.kind,
        "nature": data_object.nature,
        "source_system": data_object.source_system,
        "steward": data_object.steward_id or "",
        "record_count": data_object.record_count if data_object.record_count is not None else "",
        "key_columns": data_object.key_columns,
        "wave": data_object.wave_id or "",
        "depends_on": [d.pk for d in data_object.depends_on.all()],
        "description": data_object.description,
        "version": data_object.version,
    }
    data.update(overrides)
    return data


def check_data(**overrides) -> dict:
    data = {
        "column": "sku",
        "kind": "required",
        "label": "",
        "pattern": "",
        "allowed": "",
        "minimum": "",
        "maximum": "",
    }
    data.update(overrides)
    return {f"check-{name}": value for name, value in data.items()}


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def objects(project, team):
    products = svc.data_object_create(project=project, name="Products", kind="products", key_columns="sku")
    locations = svc.data_object_create(project=project, name="Locations", kind="locations", key_columns="code")
    stock = svc.data_object_create(
        project=project, name="Stock", kind="stock", nature="dynamic", key_columns="sku,batch",
        depends_on=[products, locations],
    )  # fmt: skip
    return {"products": products, "locations": locations, "stock": stock}


# --- The inventory ---------------------------------------------------------------------------


def test_the_inventory_lists_the_objects_in_load_order_with_their_latest_scores(project, objects, owner, owner_client):
    products = objects["products"]
    check = svc.quality_check_save(QualityCheck(data_object=products, column="sku", kind="pattern", pattern=r"\d{2}"))
    CleansingRule.objects.create(data_object=products, description="Unify codes", quality_check=check)
    CleansingRule.objects.create(data_object=products, description="Old one", status="done")
    profile_upload(data_object=products, upload=upload("p.csv", b"sku,name\n10,Tea\nXX,\n"), user=owner)

    response = owner_client.get(url("data-object-list"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["object"].name for r in rows] == ["Locations", "Products", "Stock"]
    assert [r["order"] for r in rows] == [1, 2, 3]
    assert rows[2]["needs"] == ["Locations", "Products"]
    product_row = rows[1]
    assert {s["name"]: float(s["value"]) for s in product_row["scores"]} == {
        "completeness": 75.0,
        "accuracy": 50.0,
        "uniqueness": 100.0,
    }
    assert product_row["open_rules"] == 1
    html = response.content.decode()
    assert 'data-score="accuracy"' in html and "50%" in html
    assert html.count('data-testid="not-profiled"') == 2
    assert "Locations, Products" in html
    assert 'data-testid="new-object"' in html


def test_the_empty_inventory_says_to_start_with_static_master_data(project, owner_client):
    response = owner_client.get(url("data-object-list"))
    html = response.content.decode()
    assert 'data-testid="objects-empty"' in html
    assert "static master data" in html


def test_a_circle_written_around_the_services_is_shown_not_a_crash(project, objects, owner_client):
    objects["products"].depends_on.add(objects["stock"])  # bypasses data_object_update on purpose
    response = owner_client.get(url("data-object-list"))
    assert response.status_code == 200
    assert "depend on each other in a circle" in response.context["order_error"]
    assert len(response.context["rows"]) == 3


def test_the_inventory_query_count_does_not_grow_with_the_objects(project, team, owner):
    def build(count: int) -> None:
        previous = None
        for n in range(count):
            data_object = svc.data_object_create(
                project=project,
                name=f"Object {count}-{n}",
                key_columns="sku",
                depends_on=[previous] if previous else [],
                steward=project.memberships.first(),
                wave=svc.wave_create(project=project, name=f"W{count}-{n}"),
            )
            CleansingRule.objects.create(data_object=data_object, description="Fix it")
            profile_upload(data_object=data_object, upload=upload("x.csv", b"sku\n1\n2\n"), user=owner)
            previous = data_object

    client = client_for(owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("data-object-list")).status_code == 200
        return len(captured)

    build(3)
    few = queries()
    DataObject.objects.filter(project=project).delete()
    build(12)
    assert queries() == few


# --- Create, edit, delete --------------------------------------------------------------------


def test_an_object_is_created_with_its_dependencies_and_steward(project, objects, owner_client):
    steward = project.memberships.get(role="editor")
    data = object_data(depends_on=[objects["products"].pk, objects["locations"].pk], steward=steward.pk)
    response = owner_client.post(url("data-object-create"), data)
    created = DataObject.objects.get(name="Stock on hand")
    assert response.status_code == 302
    assert response["Location"] == url("data-object-detail", object_id=created.pk)
    assert set(created.depends_on.values_list("name", flat=True)) == {"Products", "Locations"}
    assert created.steward == steward
    assert created.nature == "dynamic"
    detail = owner_client.get(response["Location"]).content.decode()
    assert 'data-testid="needs"' in detail and "Products" in detail


def test_a_duplicate_name_is_a_form_error_and_keeps_the_input(project, objects, owner_client):
    response = owner_client.post(url("data-object-create"), object_data(name="products", source_system="Kept"))
    assert response.status_code == 200
    assert "already" in " ".join(response.context["form"].non_field_errors())
    assert 'value="Kept"' in response.content.decode()
    assert DataObject.objects.filter(project=project).count() == 3


def test_a_dependency_circle_is_refused_naming_it_and_nothing_is_saved(project, objects, owner_client):
    products = objects["products"]
    data = edit_data(products, depends_on=[objects["stock"].pk], source_system="Changed")
    response = owner_client.post(url("data-object-edit", object_id=products.pk), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Products → Stock → Products" in errors
    products.refresh_from_db()
    assert list(products.depends_on.all()) == []
    assert products.source_system == ""
    assert products.version == 1


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(project, objects, owner_client, editor):
    stock = objects["stock"]
    data = edit_data(stock, source_system="Mine")
    svc.data_object_update(data_object=stock, expected_version=stock.version, source_system="Theirs", user=editor)
    response = owner_client.post(url("data-object-edit", object_id=stock.pk), data)
    assert response.status_code == 200
    assert "after you opened it" in " ".join(response.context["form"].non_field_errors())
    assert 'value="Mine"' in response.content.decode()
    stock.refresh_from_db()
    assert stock.source_system == "Theirs"


def test_an_edit_saves_and_records_the_dependency_change_in_the_history(project, objects, owner_client):
    stock = objects["stock"]
    data = edit_data(stock, depends_on=[objects["products"].pk], record_count="1200")
    response = owner_client.post(url("data-object-edit", object_id=stock.pk), data)
    assert response.status_code == 302
    stock.refresh_from_db()
    assert list(stock.depends_on.values_list("name", flat=True)) == ["Products"]
    assert stock.record_count == 1200
    history = owner_client.get(url("data-object-history", object_id=stock.pk))
    assert history.status_code == 200
    changes = [(c.label, c.old, c.new) for e in history.context["page_obj"].object_list for c in e.changes]
    assert ("depends on", "Locations, Products", "Products") in changes
    assert any(label == "records" and new == "1200" for label, _old, new in changes)


def test_an_object_others_depend_on_is_not_deleted(project, objects, owner_client):
    products = objects["products"]
    page = owner_client.get(url("data-object-delete", object_id=products.pk))
    assert 'data-testid="delete-blocked"' in page.content.decode()
    response = owner_client.post(url("data-object-delete", object_id=products.pk), follow=True)
    assert any("Stock depend on it" in m for m in messages_of(response))
    assert DataObject.objects.filter(pk=products.pk).exists()


def test_an_object_nothing_needs_is_deleted(project, objects, owner_client):
    stock = objects["stock"]
    response = owner_client.post(url("data-object-delete", object_id=stock.pk))
    assert response.status_code == 302
    assert response["Location"] == url("data-object-list")
    assert not DataObject.objects.filter(pk=stock.pk).exists()


def test_an_object_a_load_reconciled_is_not_deleted(project, objects, owner_client):
    stock = objects["stock"]
    svc.reconciliation_for(load=svc.trial_load_create(project=project, name="Trial 1"), data_object=stock)
    response = owner_client.post(url("data-object-delete", object_id=stock.pk), follow=True)
    assert any("reconciled" in m for m in messages_of(response))
    assert DataObject.objects.filter(pk=stock.pk).exists()


# --- Checks and rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "pattern", "pattern": "[0-9"}, "pattern", "not a valid regular expression"),
        ({"kind": "pattern", "pattern": ""}, "pattern", "Give the pattern"),
        ({"kind": "allowed", "allowed": "  \n "}, "allowed", "List the allowed values"),
        ({"kind": "range", "minimum": "10", "maximum": "1"}, "minimum", "above the maximum"),
        ({"kind": "range"}, "minimum", "a minimum, a maximum or both"),
        ({"kind": "reference"}, "reference", "Choose the data object"),
        ({"kind": "required", "column": ""}, "column", "Say which column"),
    ],
)
def test_a_check_is_validated_by_its_kind(project, objects, owner_client, fields, field, message):
    products = objects["products"]
    response = owner_client.post(url("check-create", object_id=products.pk), check_data(**fields))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert not QualityCheck.objects.exists()


def test_a_reference_to_an_object_without_key_columns_is_refused(project, objects, owner_client):
    plain = svc.data_object_create(project=project, name="Units")
    data = check_data(kind="reference", reference=plain.pk)
    response = owner_client.post(url("check-create", object_id=objects["stock"].pk), data)
    assert "no key column" in " ".join(response.context["form"].errors["reference"])


def test_a_valid_check_keeps_only_the_settings_of_its_kind(project, objects, owner_client):
    products = objects["products"]
    data = check_data(kind="pattern", pattern=r"\d{2}-\d{4}", allowed="left over", minimum="3", label="SKU format")
    response = owner_client.post(url("check-create", object_id=products.pk), data)
    assert response.status_code == 302
    check = QualityCheck.objects.get()
    assert (check.pattern, check.allowed, check.minimum, check.label) == (r"\d{2}-\d{4}", "", None, "SKU format")
    detail = owner_client.get(url("data-object-detail", object_id=products.pk)).content.decode()
    assert "SKU format" in detail and r"\d{2}-\d{4}" in detail


def test_a_check_is_edited_and_deleted(project, objects, owner_client):
    check = svc.quality_check_save(QualityCheck(data_object=objects["products"], column="unit", kind="required"))
    edit = {"column": "unit", "kind": "allowed", "allowed": "pcs\nkg", "label": "", "pattern": "", "minimum": ""}
    response = owner_client.post(url("check-edit", check_id=check.pk), edit)
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.kind == "allowed" and check.allowed.splitlines() == ["pcs", "kg"]
    response = owner_client.post(url("check-delete", check_id=check.pk))
    assert response.status_code == 302
    assert not QualityCheck.objects.exists()


def test_a_rule_is_added_edited_and_a_stale_edit_refused(project, objects, owner_client, editor):
    products = objects["products"]
    check = svc.quality_check_save(QualityCheck(data_object=products, column="sku", kind="required"))
    owner_membership = project.memberships.get(role="owner")
    response = owner_client.post(
        url("rule-create", object_id=products.pk),
        {"rule-description": "Fill missing SKUs", "rule-owner": owner_membership.pk, "rule-status": "proposed",
         "rule-quality_check": check.pk},
    )  # fmt: skip
    assert response.status_code == 302
    rule = CleansingRule.objects.get()
    assert (rule.owner, rule.quality_check) == (owner_membership, check)
    stale = {"description": "Mine", "owner": "", "status": "done", "quality_check": check.pk, "version": rule.version}
    svc.cleansing_rule_update(rule=rule, expected_version=rule.version, status="in_progress", user=editor)
    response = owner_client.post(url("rule-edit", rule_id=rule.pk), stale)
    assert response.status_code == 200
    assert "after you opened it" in " ".join(response.context["form"].non_field_errors())
    rule.refresh_from_db()
    assert (rule.description, rule.status) == ("Fill missing SKUs", "in_progress")
    response = owner_client.post(url("rule-edit", rule_id=rule.pk), {**stale, "version": rule.version})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.description, rule.status) == ("Mine", "done")
    assert owner_client.post(url("rule-delete", rule_id=rule.pk)).status_code == 302
    assert not CleansingRule.objects.exists()


def test_the_rule_shows_its_checks_failures_going_down_across_extracts(project, objects, owner_client):
    products = objects["products"]
    check = svc.quality_check_save(
        QualityCheck(data_object=products, column="sku", kind="pattern", pattern=r"\d{2}-\d{4}", label="SKU format")
    )
    CleansingRule.objects.create(data_object=products, description="Unify product codes", quality_check=check)
    upload_url = url("profile-upload", object_id=products.pk)
    first = b"sku,name\n10-2031,Tea\nA1,Rice\nB2,Salt\nC3,Oil\n"
    second = b"sku,name\n10-2031,Tea\n10-2032,Rice\n10-2033,Salt\nC3,Oil\n"
    assert owner_client.post(upload_url, {"file": upload("week1.csv", first)}).status_code == 302
    assert owner_client.post(upload_url, {"file": upload("week2.csv", second)}).status_code == 302

    response = owner_client.get(url("data-object-detail", object_id=products.pk))

    rule = response.context["rules"][0]
    assert rule.trend["points"] == [3, 1]
    assert rule.trend["direction"] == "down"
    html = response.content.decode()
    assert "3 → 1" in html
    assert 'data-direction="down"' in html


# --- Profiles --------------------------------------------------------------------------------


def test_an_uploaded_extract_is_profiled_and_its_page_shows_the_figures(project, objects, owner_client):
    products = objects["products"]
    svc.quality_check_save(QualityCheck(data_object=products, column="sku", kind="pattern", pattern=r"\d{2}-\d{4}"))
    content = b"sku,name,unit\n10-2031,Tea,pcs\n10-2031,Tea again,\nBAD,Rice,kg\n"
    response = owner_client.post(
        url("profile-upload", object_id=products.pk), {"file": upload("products.csv", content)}
    )
    profile = ExtractProfile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("profile-detail", profile_id=profile.pk)

    page = owner_client.get(response["Location"])
    html = page.content.decode()

    assert 'data-status="done"' in html
    assert 'hx-trigger="every 2s"' not in html
    assert '<div class="h2 mb-0 font-monospace" data-testid="profile-rows">3</div>' in html
    assert "UTF-8" in html
    assert page.context["delimiter"] == "comma (,)"
    columns = {c["name"]: c for c in page.context["result"]["columns"]}
    assert columns["unit"]["filled"] == 2
    assert page.context["result"]["duplicate_keys"] == 1
    assert "<code>10-2031</code>" in html  # the duplicate key's sample
    check = page.context["checks"][0]
    assert (check["failures"], check["sample"]) == (1, [[4, "BAD"]])
    assert "row 4" in html
    products.refresh_from_db()
    assert products.record_count == 3


def test_a_gb18030_extract_is_profiled(project, objects, owner_client):
    products = objects["products"]
    content = "sku,名称\n10-2031,乌龙茶\n10-2032,大米\n".encode("gb18030")
    response = owner_client.post(url("profile-upload", object_id=products.pk), {"file": upload("产品.csv", content)})
    assert response.status_code == 302
    html = owner_client.get(response["Location"]).content.decode()
    assert 'data-testid="encoding">GB18030<' in html
    assert "乌龙茶" in html and "名称" in html


def test_a_malformed_extract_is_refused_and_nothing_is_stored(project, objects, owner_client):
    products = objects["products"]
    content = b"PK\x03\x04\x14\x00\x00\x00\x08\x00 a workbook saved as .csv"
    response = owner_client.post(url("profile-upload", object_id=products.pk), {"file": upload("bad.csv", content)})
    assert response.status_code == 200
    assert "not UTF-8 or GB18030 text" in " ".join(response.context["form"].errors["file"])
    assert not ExtractProfile.objects.exists()


def test_an_extract_with_more_cells_than_the_header_is_refused(project, objects, owner_client):
    products = objects["products"]
    content = b"sku,name\n10-2031,Tea,surprise\n"
    response = owner_client.post(url("profile-upload", object_id=products.pk), {"file": upload("bad.csv", content)})
    assert "Row 2 has 3 cells but the header has 2 columns" in " ".join(response.context["form"].errors["file"])
    assert not ExtractProfile.objects.exists()


def test_a_running_profile_polls_every_two_seconds_until_done(project, objects, owner):
    profile = ExtractProfile.objects.create(
        data_object=objects["products"],
        file="extracts/x.csv",
        original_name="big.csv",
        size=10_000_000,
        uploaded_by=owner,
        status=ExtractProfile.Status.RUNNING,
        progress=42,
    )
    client = client_for(owner)
    page = client.get(url("profile-detail", profile_id=profile.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "42%" in page
    partial = client.get(url("profile-detail", profile_id=profile.pk), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="profile-body"')
    assert "<html" not in partial
    ExtractProfile.objects.filter(pk=profile.pk).update(status="failed", error="The file has no header row.")
    failed = client.get(url("profile-detail", profile_id=profile.pk), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' not in failed
    assert "The file has no header row." in failed


# --- Waves -----------------------------------------------------------------------------------


def test_the_wave_plan_warns_when_an_object_needs_one_loaded_later(project, objects, owner_client):
    response = owner_client.post(url("wave-plan"), {"number": "", "name": "Dynamic data", "description": ""})
    assert response.status_code == 302
    first = project.waves.get()
    assert first.number == 1
    second = svc.wave_create(project=project, name="Master data")
    stock, products = objects["stock"], objects["products"]
    svc.data_object_update(data_object=stock, expected_version=stock.version, wave=first)
    svc.data_object_update(data_object=products, expected_version=products.version, wave=second)

    page = owner_client.get(url("wave-plan"))
    html = page.content.decode()

    assert "Stock (wave 1) needs Products, which is loaded later." in html
    assert "Stock (wave 1) needs Locations, which is loaded later." in html
    waves = page.context["plan"]["waves"]
    assert [(w.name, [o.name for o in objs]) for w, objs in waves] == [
        ("Dynamic data", ["Stock"]),
        ("Master data", ["Products"]),
    ]
    assert [o.name for o in page.context["plan"]["unassigned"]] == ["Locations"]


def test_a_wave_number_taken_is_a_form_error(project, owner_client, team):
    svc.wave_create(project=project, name="Master data")
    response = owner_client.post(url("wave-plan"), {"number": "1", "name": "Again", "description": ""})
    assert response.status_code == 200
    assert "There is a wave 1 already." in response.context["form"].errors["number"]
    assert project.waves.count() == 1


def test_a_wave_is_edited_and_deleting_it_leaves_its_objects_in_no_wave(project, objects, owner_client):
    wave = svc.wave_create(project=project, name="Master data")
    products = objects["products"]
    svc.data_object_update(data_object=products, expected_version=products.version, wave=wave)
    edit = {"number": "3", "name": "Masters", "description": "", "version": wave.version}
    assert owner_client.post(url("wave-edit", wave_id=wave.pk), edit).status_code == 302
    wave.refresh_from_db()
    assert (wave.number, wave.name) == (3, "Masters")
    response = owner_client.post(url("wave-delete", wave_id=wave.pk))
    assert response.status_code == 302
    products.refresh_from_db()
    assert products.wave is None
    assert not project.waves.exists()


# --- Who may change what ---------------------------------------------------------------------


def test_a_viewer_reads_everything_but_sees_no_edit_buttons_and_cannot_post(project, objects, owner, viewer_client):
    products = objects["products"]
    check = svc.quality_check_save(QualityCheck(data_object=products, column="sku", kind="required"))
    rule = CleansingRule.objects.create(data_object=products, description="Fix", quality_check=check)
    wave = svc.wave_create(project=project, name="Master data")
    profile = profile_upload(data_object=products, upload=upload("p.csv", b"sku\n1\n"), user=owner)

    listing = viewer_client.get(url("data-object-list")).content.decode()
    detail = viewer_client.get(url("data-object-detail", object_id=products.pk)).content.decode()
    plan = viewer_client.get(url("wave-plan")).content.decode()
    assert viewer_client.get(url("profile-detail", profile_id=profile.pk)).status_code == 200
    assert viewer_client.get(url("data-object-history", object_id=products.pk)).status_code == 200

    assert 'data-testid="new-object"' not in listing
    hidden = [
        'data-testid="edit-object"',
        'data-testid="check-form"',
        'data-testid="rule-form"',
        'data-testid="upload-form"',
        url("check-edit", check_id=check.pk),
        url("rule-edit", rule_id=rule.pk),
    ]
    for marker in hidden:
        assert marker not in detail
    assert 'data-testid="wave-form"' not in plan and url("wave-edit", wave_id=wave.pk) not in plan

    posts = [
        url("data-object-create"),
        url("data-object-edit", object_id=products.pk),
        url("data-object-delete", object_id=products.pk),
        url("check-create", object_id=products.pk),
        url("check-edit", check_id=check.pk),
        url("check-delete", check_id=check.pk),
        url("rule-create", object_id=products.pk),
        url("rule-edit", rule_id=rule.pk),
        url("rule-delete", rule_id=rule.pk),
        url("profile-upload", object_id=products.pk),
        url("wave-plan"),
        url("wave-edit", wave_id=wave.pk),
        url("wave-delete", wave_id=wave.pk),
    ]
    for target in posts:
        assert viewer_client.post(target, {}).status_code == 403, target
    assert DataObject.objects.filter(project=project).count() == 3
    assert project.waves.count() == 1


def test_an_outsider_gets_404(project, objects, outsider_client):
    assert outsider_client.get(url("data-object-list")).status_code == 404
    assert outsider_client.get(url("data-object-detail", object_id=objects["stock"].pk)).status_code == 404
