"""The data migration API as an integration sees it: data objects, load order, profiles, trial loads and
reconciliations under /api/v1/projects/ACME/."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import DataObject, ExtractProfile, Measure, QualityCheck, Reconciliation, TrialLoad
from projects.services import migration as services
from projects.services.profiling import profile_upload
from tests.conftest import client_for
from tests.factories import PASSWORD, ProjectFactory

API = "/api/v1/projects/ACME"
OBJECTS = f"{API}/data-objects/"
LOAD_ORDER = f"{OBJECTS}load-order/"
PROFILES = f"{API}/profiles/"
LOADS = f"{API}/loads/"


def object_url(data_object: DataObject) -> str:
    return f"{OBJECTS}{data_object.pk}/"


def load_url(load: TrialLoad) -> str:
    return f"{LOADS}{load.pk}/"


def reconcile_url(load: TrialLoad) -> str:
    return f"{load_url(load)}reconciliations/"


def send(client: Client, method: str, url: str, data: dict | None = None, **extra):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json", **extra)


def dependencies(data_object: DataObject) -> list[str]:
    return sorted(data_object.depends_on.values_list("name", flat=True))


def upload(data_object: DataObject, content: bytes, user, name: str = "extract.csv") -> ExtractProfile:
    return profile_upload(data_object=data_object, upload=SimpleUploadedFile(name, content), user=user)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def wave(project):
    return services.wave_create(project=project, name="Master data")


@pytest.fixture
def products(project, wave):
    return services.data_object_create(project=project, name="Products", kind="products", key_columns="sku", wave=wave)


@pytest.fixture
def locations(project, wave):
    return services.data_object_create(project=project, name="Locations", kind="locations", wave=wave)


@pytest.fixture
def stock(project, products, locations, editor):
    return services.data_object_create(
        project=project,
        name="Stock",
        kind="stock",
        nature="dynamic",
        key_columns="sku,batch",
        depends_on=[products, locations],
        steward=project.memberships.get(user=editor),
    )


@pytest.fixture
def load(project):
    return services.trial_load_create(project=project, name="Trial load 1", environment="TEST")


@pytest.fixture
def elsewhere(db):
    """A data object, a profile and a load in a project the ACME team does not belong to."""
    from tests.factories import MembershipFactory, UserFactory

    other = ProjectFactory(code="ELSEWHERE")
    stranger = UserFactory(username="stranger")
    MembershipFactory(project=other, user=stranger, role="owner")
    theirs = services.data_object_create(project=other, name="Products", key_columns="sku")
    profile = upload(theirs, b"sku\nA\n", stranger)
    load = services.trial_load_create(project=other, name="Theirs")
    return {"project": other, "object": theirs, "profile": profile, "load": load}


# --- Data objects ----------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_data_object(project, editor_client, products, locations):
    services.wave_create(project=project, name="Open items")
    created = send(
        editor_client,
        "post",
        OBJECTS,
        {
            "name": "Stock",
            "kind": "stock",
            "nature": "dynamic",
            "source_system": "Legacy JXC",
            "steward": "EDITOR",
            "record_count": 1200,
            "key_columns": "sku,batch",
            "wave": 2,
            "depends_on": ["products", "Locations"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "name": "Stock",
        "kind": "stock",
        "nature": "dynamic",
        "source_system": "Legacy JXC",
        "steward": "editor",
        "record_count": 1200,
        "key_columns": "sku,batch",
        "description": "",
        "wave": 2,
        "depends_on": ["Locations", "Products"],
        "load_position": 3,
        "latest_profile": None,
        "checks": [],
        "version": 1,
    }
    stock = DataObject.objects.get(pk=body["id"])
    assert stock.project == project
    assert dependencies(stock) == ["Locations", "Products"]
    url = object_url(stock)

    assert editor_client.get(url).json()["name"] == "Stock"
    listed = editor_client.get(OBJECTS).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [o["name"] for o in listed["results"]] == ["Locations", "Products", "Stock"]

    updated = send(editor_client, "patch", url, {"depends_on": ["Products"], "record_count": 1300, "version": 1})
    assert updated.status_code == 200, updated.content
    assert (updated.json()["depends_on"], updated.json()["record_count"], updated.json()["version"]) == (
        ["Products"],
        1300,
        2,
    )
    assert dependencies(stock) == ["Products"]

    replaced = send(editor_client, "put", url, {"name": "Stock by batch", "wave": None, "steward": None, "version": 2})
    assert replaced.status_code == 200, replaced.content
    body = replaced.json()
    assert (body["name"], body["wave"], body["steward"], body["depends_on"]) == (
        "Stock by batch",
        None,
        None,
        ["Products"],
    )
    assert body["nature"] == "dynamic"  # left out of the PUT, left as it was

    cleared = send(editor_client, "patch", url, {"depends_on": [], "version": 3})
    assert cleared.json()["depends_on"] == []

    assert editor_client.delete(url).status_code == 204
    assert not DataObject.objects.filter(pk=stock.pk).exists()


def test_an_object_others_depend_on_is_not_deleted(project, editor_client, products, stock):
    response = editor_client.delete(object_url(products))

    assert response.status_code == 400
    assert "Stock depend on it" in response.json()["non_field_errors"][0]
    assert DataObject.objects.filter(pk=products.pk).exists()
    assert dependencies(stock) == ["Locations", "Products"]


def test_a_reconciled_object_is_not_deleted(project, editor_client, stock, load):
    services.reconciliation_for(load=load, data_object=stock)

    response = editor_client.delete(object_url(stock))

    assert response.status_code == 400
    assert "reconciled" in response.json()["non_field_errors"][0]
    assert DataObject.objects.filter(pk=stock.pk).exists()


def test_an_object_whose_keys_another_objects_check_uses_is_not_deleted(project, editor_client, products, stock):
    services.quality_check_save(QualityCheck(data_object=stock, column="sku", kind="reference", reference=products))
    stock.depends_on.clear()

    response = editor_client.delete(object_url(products))

    assert response.status_code == 400
    assert "checks of Stock" in response.json()["non_field_errors"][0]
    assert DataObject.objects.filter(pk=products.pk).exists()


def test_deleting_an_object_deletes_its_profiles_and_their_files(
    project, editor_client, editor, products, django_capture_on_commit_callbacks
):
    profile = upload(products, b"sku\n10-2031\n", editor)
    storage, name = profile.file.storage, profile.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.delete(object_url(products)).status_code == 204

    assert not ExtractProfile.objects.exists()
    assert not storage.exists(name)


def test_a_dependency_circle_is_400_names_the_circle_and_changes_nothing(project, editor_client, products, stock):
    response = send(editor_client, "patch", object_url(products), {"depends_on": ["Stock"], "version": 1})

    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert "circle" in message
    assert "Products → Stock → Products" in message
    products.refresh_from_db()
    assert products.version == 1
    assert dependencies(products) == []


def test_a_longer_circle_is_named_whole(project, editor_client, products, locations, stock):
    """Locations → Stock → Products → Locations would close a circle of three."""
    services.data_object_update(data_object=products, expected_version=1, depends_on=[locations])

    response = send(editor_client, "patch", object_url(locations), {"depends_on": ["Stock"], "version": 1})

    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    for name in ("Locations", "Stock", "Products"):
        assert name in message
    assert dependencies(locations) == []


def test_a_circle_in_the_same_request_as_other_changes_saves_none_of_them(project, editor_client, products, stock):
    response = send(
        editor_client, "patch", object_url(products), {"name": "Items", "depends_on": ["Stock"], "version": 1}
    )

    assert response.status_code == 400
    products.refresh_from_db()
    assert (products.name, products.version) == ("Products", 1)


def test_an_object_cannot_depend_on_itself(project, editor_client, products):
    response = send(editor_client, "patch", object_url(products), {"depends_on": ["Products"], "version": 1})

    assert response.status_code == 400
    assert "itself" in response.json()["non_field_errors"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"depends_on": ["Nowhere"]}, "depends_on"),
        ({"depends_on": [3]}, "depends_on"),
        ({"wave": 7}, "wave"),
        ({"wave": "first"}, "wave"),
        ({"wave": True}, "wave"),
        ({"steward": "outsider"}, "steward"),
        ({"nature": "liquid"}, "nature"),
        ({"kind": "gadgets"}, "kind"),
        ({"record_count": -1}, "record_count"),
        ({"name": ""}, "name"),
    ],
)
def test_a_refused_data_object_value_is_400(project, editor_client, outsider, products, body, field):
    response = send(editor_client, "post", OBJECTS, {"name": "Stock", **body})

    assert response.status_code == 400
    assert field in response.json()
    assert DataObject.objects.count() == 1


def test_a_second_object_with_the_same_name_is_400(project, editor_client, products):
    response = send(editor_client, "post", OBJECTS, {"name": "products"})

    assert response.status_code == 400
    assert "already" in json.dumps(response.json())
    assert DataObject.objects.count() == 1


def test_an_object_of_another_project_cannot_be_a_dependency(project, editor_client, elsewhere):
    """The other project's object has the same name: the name resolves inside ACME only."""
    response = send(editor_client, "post", OBJECTS, {"name": "Stock", "depends_on": ["Products"]})

    assert response.status_code == 400
    assert "depends_on" in response.json()
    assert not DataObject.objects.filter(project=project).exists()


def test_checks_and_the_latest_profile_scores_are_read_only_parts_of_the_object(project, editor, products):
    check = services.quality_check_save(
        QualityCheck(data_object=products, column="sku", kind="pattern", label="SKU format", pattern=r"\d{2}-\d{4}")
    )
    services.quality_check_save(QualityCheck(data_object=products, column="unit", kind="allowed", allowed="PCS\nBOX\n"))
    upload(products, b"sku,unit\n10-2031,PCS\n10-2032,PCS\n", editor, name="first.csv")
    latest = upload(products, b"sku,unit\n10-2031,PCS\nbad,KG\n,BOX\n10-2031,PCS\n", editor, name="second.csv")

    body = client_for(editor).get(object_url(products)).json()

    assert body["latest_profile"] == {
        "id": latest.pk,
        "original_name": "second.csv",
        "created_at": body["latest_profile"]["created_at"],
        "rows": 4,
        "completeness": str(latest.completeness),
        "accuracy": str(latest.accuracy),
        "uniqueness": str(latest.uniqueness),
    }
    assert Decimal(body["latest_profile"]["uniqueness"]) < 100
    assert body["checks"] == [
        {
            "id": check.pk,
            "column": "sku",
            "kind": "pattern",
            "label": "SKU format",
            "pattern": r"\d{2}-\d{4}",
            "allowed": [],
            "minimum": None,
            "maximum": None,
            "reference": None,
        },
        {
            "id": body["checks"][1]["id"],
            "column": "unit",
            "kind": "allowed",
            "label": "",
            "pattern": "",
            "allowed": ["PCS", "BOX"],
            "minimum": None,
            "maximum": None,
            "reference": None,
        },
    ]
    assert body["record_count"] == 4  # profiling counts the records

    sneaky = send(
        client_for(editor),
        "patch",
        object_url(products),
        {"checks": [], "latest_profile": None, "load_position": 9, "version": body["version"]},
    )
    assert sneaky.status_code == 200
    assert len(sneaky.json()["checks"]) == 2
    assert sneaky.json()["latest_profile"]["id"] == latest.pk


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"nature": "dynamic"}, ["Stock"]),
        ({"nature": "static"}, ["Locations", "Products"]),
        ({"kind": "products"}, ["Products"]),
        ({"wave": 1}, ["Locations", "Products"]),
        ({"steward": "Editor"}, ["Stock"]),
        ({"steward": "viewer"}, []),
    ],
)
def test_the_data_objects_can_be_filtered(project, viewer, stock, params, expected):
    response = client_for(viewer).get(OBJECTS, params)

    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == expected


@pytest.mark.parametrize("params", [{"nature": "liquid"}, {"wave": "first"}, {"kind": "gadgets"}])
def test_an_invalid_data_object_filter_is_400(project, viewer, params):
    assert client_for(viewer).get(OBJECTS, params).status_code == 400


# --- Load order ------------------------------------------------------------------------------


def test_the_load_order_puts_each_object_after_what_it_needs_and_static_data_first(project, viewer):
    def make(name: str, nature: str = "static", *needs: DataObject) -> DataObject:
        return services.data_object_create(project=project, name=name, nature=nature, depends_on=needs)

    stock = make("Stock", "dynamic")
    products = make("Products")
    customers = make("Customers")
    locations = make("Locations")
    services.data_object_update(data_object=stock, expected_version=1, depends_on=[products, locations])
    make("Open sales orders", "dynamic", customers, products)
    balances = make("Opening balances", "dynamic")
    make("Price lists", "static", balances)  # static, but it must wait for a dynamic object

    response = client_for(viewer).get(LOAD_ORDER)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    assert [(row["position"], row["name"], row["nature"]) for row in body["results"]] == [
        (1, "Customers", "static"),
        (2, "Locations", "static"),
        (3, "Products", "static"),
        (4, "Open sales orders", "dynamic"),
        (5, "Opening balances", "dynamic"),
        (6, "Price lists", "static"),
        (7, "Stock", "dynamic"),
    ]
    rows = {row["name"]: row for row in body["results"]}
    assert rows["Stock"]["depends_on"] == ["Locations", "Products"]
    assert rows["Open sales orders"]["depends_on"] == ["Customers", "Products"]
    assert rows["Stock"]["id"] == stock.pk
    positions = {o["name"]: o["load_position"] for o in client_for(viewer).get(OBJECTS).json()["results"]}
    assert positions == {row["name"]: row["position"] for row in body["results"]}


def test_the_load_order_follows_the_waves_among_objects_free_to_go(project, viewer, wave):
    second = services.wave_create(project=project, name="Late master data")
    services.data_object_create(project=project, name="Alpha", wave=second)
    services.data_object_create(project=project, name="Zulu", wave=wave)

    rows = client_for(viewer).get(LOAD_ORDER).json()["results"]

    assert [(row["name"], row["wave"]) for row in rows] == [("Zulu", 1), ("Alpha", 2)]


def test_a_circle_written_around_the_services_is_reported_not_a_500(project, viewer, products, stock):
    products.depends_on.add(stock)  # as bad data could hold it
    client = client_for(viewer)

    response = client.get(LOAD_ORDER)
    assert response.status_code == 400
    assert "Products" in response.json()["non_field_errors"][0]
    listed = client.get(OBJECTS)
    assert listed.status_code == 200
    assert {o["load_position"] for o in listed.json()["results"]} == {None}


# --- Profiles --------------------------------------------------------------------------------


def test_profiles_are_listed_newest_first_and_filtered_by_object(project, editor, viewer, products, locations):
    first = upload(products, b"sku\nA\nB\n", editor, "products.csv")
    second = upload(locations, b"code\nSH-01\n", editor, "locations.csv")
    client = client_for(viewer)

    listed = client.get(PROFILES).json()
    assert [p["id"] for p in listed["results"]] == [second.pk, first.pk]
    row = listed["results"][1]
    assert row == {
        "id": first.pk,
        "object": products.pk,
        "object_name": "Products",
        "original_name": "products.csv",
        "size": 8,
        "uploaded_by": "editor",
        "created_at": row["created_at"],
        "status": "done",
        "progress": 100,
        "error": "",
        "rows": 2,
        "completeness": "100.0",
        "accuracy": "100.0",
        "uniqueness": "100.0",
        "finished_at": row["finished_at"],
    }
    assert "result" not in row
    filtered = client.get(PROFILES, {"object": products.pk}).json()
    assert [p["id"] for p in filtered["results"]] == [first.pk]
    assert client.get(PROFILES, {"object": "x"}).status_code == 400


def test_a_profile_detail_carries_the_profiling_result(project, editor, viewer, products):
    profile = upload(products, b"sku,name\nA,Tea\nA,\n", editor)

    body = client_for(viewer).get(f"{PROFILES}{profile.pk}/").json()

    assert body["rows"] == 2
    assert body["result"]["rows"] == 2
    assert {column["name"] for column in body["result"]["columns"]} == {"sku", "name"}


def test_profiles_are_read_only(project, editor_client, editor, products):
    profile = upload(products, b"sku\nA\n", editor)
    detail = f"{PROFILES}{profile.pk}/"

    assert send(editor_client, "post", PROFILES, {"object": products.pk}).status_code == 405
    assert send(editor_client, "patch", detail, {"rows": 9}).status_code == 405
    assert send(editor_client, "put", detail, {"rows": 9}).status_code == 405
    assert editor_client.delete(detail).status_code == 405
    profile.refresh_from_db()
    assert profile.rows == 1


# --- Trial loads -----------------------------------------------------------------------------


def test_an_editor_creates_reads_and_updates_a_trial_load(project, editor_client):
    created = send(editor_client, "post", LOADS, {"name": "Trial load 1", "environment": "UAT", "number": 9})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "number": 1,
        "name": "Trial load 1",
        "environment": "UAT",
        "loaded_on": None,
        "notes": "",
        "reconciliations": [],
        "version": 1,
    }
    second = send(editor_client, "post", LOADS, {"name": "Trial load 2"}).json()
    assert second["number"] == 2
    url = f"{LOADS}{body['id']}/"

    updated = send(editor_client, "patch", url, {"loaded_on": "2025-03-01", "notes": "Smooth", "version": 1})
    assert updated.status_code == 200, updated.content
    assert (updated.json()["loaded_on"], updated.json()["notes"], updated.json()["version"]) == (
        "2025-03-01",
        "Smooth",
        2,
    )
    assert [load["number"] for load in editor_client.get(LOADS).json()["results"]] == [1, 2]
    assert send(editor_client, "put", url, {"name": "X", "version": 2}).status_code == 405
    assert editor_client.delete(url).status_code == 405
    assert TrialLoad.objects.count() == 2


def test_a_load_nests_its_reconciliations_with_figures_exceptions_and_signoffs(project, editor, viewer, stock, load):
    from projects.models import ReconciliationException

    reconciliation = services.reconciliation_for(load=load, data_object=stock)
    services.measure_set(
        reconciliation=reconciliation, name="Records", source_value=Decimal(100), target_value=Decimal(98)
    )
    ReconciliationException.objects.create(
        reconciliation=reconciliation,
        record_key="10-2031/B7",
        description="Batch missing in the target",
        owner=stock.steward,
        disposition="fix_source",
    )
    services.data_sign(reconciliation=reconciliation, user=editor, password=PASSWORD, comment="Two batches expired")

    body = client_for(viewer).get(load_url(load)).json()

    (row,) = body["reconciliations"]
    assert row == {
        "id": reconciliation.pk,
        "object": stock.pk,
        "object_name": "Stock",
        "verdict": "fail",
        "measures": [
            {
                "name": "Records",
                "source_value": "100.0000",
                "target_value": "98.0000",
                "tolerance": "0.0000",
                "tolerance_kind": "absolute",
                "difference": "-2.0000",
                "allowed_difference": "0.0000",
                "within_tolerance": False,
            }
        ],
        "exceptions": [
            {
                "id": row["exceptions"][0]["id"],
                "record_key": "10-2031/B7",
                "description": "Batch missing in the target",
                "owner": "editor",
                "disposition": "fix_source",
            }
        ],
        "signoffs": [
            {
                "signer": "editor",
                "signed_at": row["signoffs"][0]["signed_at"],
                "verdict": "fail",
                "comment": "Two batches expired",
            }
        ],
    }
    assert client_for(viewer).get(LOADS).json()["results"][0]["reconciliations"] == [row]


# --- Reconciliations -------------------------------------------------------------------------


def test_recording_figures_computes_the_verdict_with_tolerances(project, editor_client, stock, load):
    response = send(
        editor_client,
        "post",
        reconcile_url(load),
        {
            "object": stock.pk,
            "measures": [
                {"name": "Records", "source_value": 1000, "target_value": 1000},
                {
                    "name": "Stock value SH-01",
                    "source_value": "250000.00",
                    "target_value": "249000.00",
                    "tolerance": "0.5",
                    "tolerance_kind": "percent",
                },
                {"name": "Quantity", "source_value": "5000", "target_value": "5003", "tolerance": "3"},
            ],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["object"], body["object_name"], body["verdict"]) == (stock.pk, "Stock", "pass")
    value = body["measures"][1]
    assert value == {
        "name": "Stock value SH-01",
        "source_value": "250000.0000",
        "target_value": "249000.0000",
        "tolerance": "0.5000",
        "tolerance_kind": "percent",
        "difference": "-1000.0000",
        "allowed_difference": "1250.0000",
        "within_tolerance": True,
    }
    assert [m["within_tolerance"] for m in body["measures"]] == [True, True, True]
    reconciliation = Reconciliation.objects.get(load=load, data_object=stock)
    assert reconciliation.verdict == "pass"

    # The same name again changes that figure; now it is out of tolerance and the verdict fails.
    again = send(
        editor_client,
        "post",
        reconcile_url(load),
        {
            "object": stock.pk,
            "measures": [
                {
                    "name": "Stock value SH-01",
                    "source_value": "250000",
                    "target_value": "248000",
                    "tolerance": "0.5",
                    "tolerance_kind": "percent",
                }
            ],
        },
    )
    assert again.status_code == 200, again.content
    assert again.json()["verdict"] == "fail"
    assert [m["within_tolerance"] for m in again.json()["measures"]] == [True, False, True]
    assert Measure.objects.filter(reconciliation=reconciliation).count() == 3
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == "fail"


@pytest.mark.parametrize(
    ("measures", "field"),
    [
        ([{"name": "Records", "source_value": "ten", "target_value": 10}], "measures"),
        ([{"name": "Records", "source_value": 1, "target_value": "1e30"}], "measures"),
        ([{"name": "Records", "source_value": 1}], "measures"),
        ([{"name": "Records", "source_value": 1, "target_value": 1, "tolerance_kind": "relative"}], "measures"),
        ([], "measures"),
        (
            [
                {"name": "Records", "source_value": 10, "target_value": 10},
                {"name": "Value", "source_value": 10, "target_value": 10, "tolerance": "-1"},
            ],
            "measures",
        ),
        (
            [
                {"name": "Records", "source_value": 10, "target_value": 10},
                {"name": "records ", "source_value": 10, "target_value": 9},
            ],
            "measures",
        ),
        ([{"name": "  ", "source_value": 10, "target_value": 10}], "measures"),
    ],
)
def test_a_bad_figure_is_400_and_nothing_is_saved(project, editor_client, stock, load, measures, field):
    response = send(editor_client, "post", reconcile_url(load), {"object": stock.pk, "measures": measures})

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Reconciliation.objects.exists()
    assert not Measure.objects.exists()


def test_a_bad_figure_leaves_an_existing_reconciliation_as_it_was(project, editor_client, stock, load):
    reconciliation = services.reconciliation_for(load=load, data_object=stock)
    services.measure_set(
        reconciliation=reconciliation, name="Records", source_value=Decimal(5), target_value=Decimal(5)
    )

    response = send(
        editor_client,
        "post",
        reconcile_url(load),
        {
            "object": stock.pk,
            "measures": [
                {"name": "Records", "source_value": 5, "target_value": 1},
                {"name": "Value", "source_value": 5, "target_value": 5, "tolerance": -2},
            ],
        },
    )

    assert response.status_code == 400
    assert list(reconciliation.measures.values_list("name", "target_value")) == [("Records", Decimal(5))]
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == "pass"


def test_a_signed_reconciliation_keeps_its_figures(project, editor, editor_client, stock, load):
    reconciliation = services.reconciliation_for(load=load, data_object=stock)
    services.measure_set(
        reconciliation=reconciliation, name="Records", source_value=Decimal(5), target_value=Decimal(5)
    )
    services.data_sign(reconciliation=reconciliation, user=editor, password=PASSWORD)

    response = send(
        editor_client,
        "post",
        reconcile_url(load),
        {"object": stock.pk, "measures": [{"name": "Records", "source_value": 5, "target_value": 1}]},
    )

    assert response.status_code == 400
    assert "signed" in response.json()["measures"][0]
    assert reconciliation.measures.get().target_value == 5


@pytest.mark.parametrize("body", [{"measures": [{"name": "R", "source_value": 1, "target_value": 1}]}, {"object": "x"}])
def test_a_reconciliation_needs_an_object_of_this_project(project, editor_client, load, body):
    response = send(editor_client, "post", reconcile_url(load), body)

    assert response.status_code == 400
    assert "object" in response.json()


def test_an_object_of_another_project_cannot_be_reconciled(project, editor_client, load, elsewhere):
    response = send(
        editor_client,
        "post",
        reconcile_url(load),
        {"object": elsewhere["object"].pk, "measures": [{"name": "R", "source_value": 1, "target_value": 1}]},
    )

    assert response.status_code == 400
    assert "object" in response.json()
    assert not Reconciliation.objects.exists()


# --- Access ----------------------------------------------------------------------------------


@pytest.fixture
def world(project, editor, products, stock, load):
    profile = upload(products, b"sku\nA\n", editor)
    reconciliation = services.reconciliation_for(load=load, data_object=stock)
    services.measure_set(
        reconciliation=reconciliation, name="Records", source_value=Decimal(1), target_value=Decimal(1)
    )
    return {"profile": profile}


def reads(world_, stock, load) -> list[str]:
    return [
        OBJECTS,
        object_url(stock),
        LOAD_ORDER,
        PROFILES,
        f"{PROFILES}{world_['profile'].pk}/",
        LOADS,
        load_url(load),
    ]


def writes(stock, load) -> list[tuple[str, str, dict]]:
    figures = {"object": stock.pk, "measures": [{"name": "Records", "source_value": 1, "target_value": 0}]}
    return [
        ("post", OBJECTS, {"name": "Customers"}),
        ("patch", object_url(stock), {"record_count": 5, "version": 1}),
        ("put", object_url(stock), {"name": "Stock 2", "version": 1}),
        ("delete", object_url(stock), {}),
        ("post", LOADS, {"name": "Trial load 2"}),
        ("patch", load_url(load), {"notes": "Mine", "version": 1}),
        ("post", reconcile_url(load), figures),
    ]


def state() -> tuple:
    return (
        list(DataObject.objects.order_by("pk").values_list("name", "version", "record_count")),
        list(TrialLoad.objects.order_by("pk").values_list("name", "version", "notes")),
        list(Measure.objects.values_list("name", "target_value")),
        Reconciliation.objects.get().verdict,
    )


@pytest.mark.parametrize("role", ["tester", "viewer"])
def test_testers_and_viewers_read_but_cannot_write(project, team, world, stock, load, role):
    client = client_for(team[role])
    before = state()

    for url in reads(world, stock, load):
        assert client.get(url).status_code == 200, url
    for method, url, body in writes(stock, load):
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before


def test_a_vendor_gets_403_everywhere(project, team, world, stock, load):
    client = client_for(team["vendor"])
    before = state()

    for url in reads(world, stock, load):
        assert client.get(url).status_code == 403, url
    for method, url, body in writes(stock, load):
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before


def test_an_outsider_gets_404_everywhere(project, outsider, world, stock, load):
    client = client_for(outsider)
    before = state()

    for url in reads(world, stock, load):
        assert client.get(url).status_code == 404, url
    for method, url, body in writes(stock, load):
        assert send(client, method, url, body).status_code == 404, (method, url)
    assert send(client, "post", PROFILES, {}).status_code == 404
    assert state() == before


def test_another_projects_items_are_404_through_this_project(project, editor_client, elsewhere):
    theirs, load = elsewhere["object"], elsewhere["load"]

    assert editor_client.get(object_url(theirs)).status_code == 404
    assert send(editor_client, "patch", object_url(theirs), {"name": "Mine", "version": 1}).status_code == 404
    assert editor_client.delete(object_url(theirs)).status_code == 404
    assert editor_client.get(f"{PROFILES}{elsewhere['profile'].pk}/").status_code == 404
    assert editor_client.get(load_url(load)).status_code == 404
    assert send(editor_client, "patch", load_url(load), {"name": "Mine", "version": 1}).status_code == 404
    figures = {"object": theirs.pk, "measures": [{"name": "R", "source_value": 1, "target_value": 1}]}
    assert send(editor_client, "post", reconcile_url(load), figures).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.version) == ("Products", 1)
    assert not Reconciliation.objects.exists()


def test_the_lists_show_only_this_projects_items(project, viewer, world, elsewhere):
    client = client_for(viewer)

    assert [o["name"] for o in client.get(OBJECTS).json()["results"]] == ["Locations", "Products", "Stock"]
    assert client.get(LOAD_ORDER).json()["count"] == 3
    assert client.get(PROFILES).json()["count"] == 1
    assert [load["name"] for load in client.get(LOADS).json()["results"]] == ["Trial load 1"]


# --- Versions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("object", {"record_count": 10}, {"name": "Late", "depends_on": []}),
        ("load", {"notes": "first"}, {"name": "Late"}),
    ],
)
def test_a_stale_version_is_409_and_changes_nothing(project, editor_client, stock, load, kind, first, second):
    url = object_url(stock) if kind == "object" else load_url(load)
    read = editor_client.get(url).json()
    assert send(editor_client, "patch", url, {**first, "version": read["version"]}).status_code == 200

    response = send(editor_client, "patch", url, {**second, "version": read["version"]})

    assert response.status_code == 409
    assert "Your changes were not saved" in response.json()["detail"]
    now = editor_client.get(url).json()
    assert now["version"] == read["version"] + 1
    for name in second:
        assert now[name] == read[name], name


@pytest.mark.parametrize("kind", ["object", "load"])
def test_an_update_without_the_version_is_400(project, editor_client, stock, load, kind):
    response = send(editor_client, "patch", object_url(stock) if kind == "object" else load_url(load), {})

    assert response.status_code == 400
    assert "version" in response.json()


# --- Query counts and schema -----------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(project, editor, start: int, n: int) -> None:
    """n more objects, each depending on the previous one, with a check, two profiles and a reconciled figure."""
    load = TrialLoad.objects.filter(project=project).first() or services.trial_load_create(project=project, name="T")
    previous = DataObject.objects.filter(project=project).order_by("-pk").first()
    for i in range(start, start + n):
        data_object = services.data_object_create(
            project=project,
            name=f"Object {i:02}",
            key_columns="key",
            depends_on=[previous] if previous else [],
            steward=project.memberships.get(user=editor),
        )
        services.quality_check_save(QualityCheck(data_object=data_object, column="key", kind="required"))
        upload(data_object, b"key\nA\n", editor)
        upload(data_object, b"key\nA\nB\n", editor)
        reconciliation = services.reconciliation_for(load=load, data_object=data_object)
        services.measure_set(
            reconciliation=reconciliation, name="Records", source_value=Decimal(2), target_value=Decimal(2)
        )
        previous = data_object


@pytest.mark.parametrize("url", [OBJECTS, LOAD_ORDER, PROFILES, LOADS])
def test_the_lists_do_not_query_per_item(project, editor, viewer, url):
    client = client_for(viewer)

    grow(project, editor, 0, 3)
    small = queries_for(client, url)
    grow(project, editor, 3, 9)
    assert DataObject.objects.count() == 12
    assert queries_for(client, url) == small


def test_the_data_object_list_query_count_is_pinned(project, editor, viewer):
    grow(project, editor, 0, 12)
    client = client_for(viewer)

    assert client.get(OBJECTS).json()["results"][5]["depends_on"] == ["Object 04"]
    assert queries_for(client, OBJECTS) == 10


def test_the_schema_documents_the_migration_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    base = "/api/v1/projects/{project_code}"
    for path in [
        "/data-objects/",
        "/data-objects/{object_id}/",
        "/data-objects/load-order/",
        "/profiles/",
        "/profiles/{profile_id}/",
        "/loads/",
        "/loads/{load_id}/",
        "/loads/{load_id}/reconciliations/",
    ]:
        assert base + path in paths, path
    object_params = {p["name"] for p in paths[f"{base}/data-objects/"]["get"]["parameters"]}
    assert {"nature", "kind", "wave", "steward"} <= object_params
    assert "object" in {p["name"] for p in paths[f"{base}/profiles/"]["get"]["parameters"]}
    assert "post" not in paths[f"{base}/profiles/"]
    assert set(paths[f"{base}/loads/{{load_id}}/"]) >= {"get", "patch"}
    assert "201" in paths[f"{base}/loads/{{load_id}}/reconciliations/"]["post"]["responses"]
