"""The goals API as an integration sees it: drivers, goals, KPIs and measurements under /api/v1/projects/ACME/."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import KPI, Driver, Goal, Measurement, Membership
from projects.services import goals as services
from tests.conftest import client_for
from tests.factories import ProjectFactory

API = "/api/v1/projects/ACME"
DRIVERS = f"{API}/drivers/"
GOALS = f"{API}/goals/"
KPIS = f"{API}/kpis/"


def measurements_url(kpi: KPI) -> str:
    return f"{KPIS}{kpi.pk}/measurements/"


def send(client: Client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def driver(project):
    return services.driver_create(project=project, category="functional_gap", statement="No batch tracking")


@pytest.fixture
def goal(project, owner, driver):
    owner_membership = Membership.objects.get(project=project, user=owner)
    return services.goal_create(project=project, statement="Stock is right", owner=owner_membership, drivers=[driver])


def make_kpi(goal: Goal, **fields) -> KPI:
    defaults = {"name": "Inventory record accuracy", "unit": "%", "baseline": Decimal(92), "target": Decimal("99.5")}
    return services.kpi_create(goal=goal, **{**defaults, **fields})


@pytest.fixture
def kpi(goal):
    return make_kpi(goal)


@pytest.fixture
def measurement(kpi):
    return services.measurement_create(kpi=kpi, date=date(2026, 10, 31), value=Decimal("93.1"), source="Stocktake")


@pytest.fixture
def elsewhere(db):
    """One of everything in a project the ACME team does not belong to."""
    other = ProjectFactory(code="ELSEWHERE")
    driver = services.driver_create(project=other, category="scale", statement="Too many SKUs")
    goal = services.goal_create(project=other, statement="Theirs", drivers=[driver])
    kpi = make_kpi(goal)
    measurement = services.measurement_create(kpi=kpi, date=date(2026, 1, 31), value=Decimal(93))
    return {"project": other, "driver": driver, "goal": goal, "kpi": kpi, "measurement": measurement}


# --- Drivers ---------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_driver(project, editor_client):
    created = send(
        editor_client,
        "post",
        DRIVERS,
        {"category": "scale", "statement": "Orders doubled", "evidence": "12k lines a day", "severity": 4},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "category": "scale",
        "statement": "Orders doubled",
        "evidence": "12k lines a day",
        "severity": 4,
        "goals": [],
        "version": 1,
    }
    url = f"{DRIVERS}{body['id']}/"

    assert editor_client.get(url).json()["statement"] == "Orders doubled"
    listed = editor_client.get(DRIVERS).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [d["id"] for d in listed["results"]] == [body["id"]]

    updated = send(editor_client, "patch", url, {"severity": 5, "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["severity"] == 5
    assert updated.json()["version"] == 2

    replaced = send(
        editor_client, "put", url, {"category": "cost_security", "statement": "Licences", "severity": 2, "version": 2}
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["category"] == "cost_security"
    assert replaced.json()["evidence"] == "12k lines a day"

    assert editor_client.delete(url).status_code == 204
    assert not Driver.objects.filter(pk=body["id"]).exists()


def test_a_driver_lists_the_goals_that_answer_it_and_ignores_goals_sent(project, editor_client, goal, driver):
    response = send(editor_client, "patch", f"{DRIVERS}{driver.pk}/", {"goals": [], "version": driver.version})

    assert response.status_code == 200
    assert response.json()["goals"] == [goal.pk]
    assert list(driver.goals.all()) == [goal]


@pytest.mark.parametrize("severity", [0, 6])
def test_a_driver_severity_outside_1_to_5_is_400(project, editor_client, severity):
    response = send(editor_client, "post", DRIVERS, {"category": "scale", "statement": "X", "severity": severity})

    assert response.status_code == 400
    assert "severity" in response.json()
    assert not Driver.objects.exists()


def test_an_unknown_driver_category_is_400(project, editor_client):
    response = send(editor_client, "post", DRIVERS, {"category": "vibes", "statement": "X"})

    assert response.status_code == 400
    assert "category" in response.json()


def test_the_drivers_can_be_filtered_by_category(project, viewer, driver):
    services.driver_create(project=project, category="scale", statement="Growth")

    body = client_for(viewer).get(DRIVERS, {"category": "scale"}).json()

    assert [d["statement"] for d in body["results"]] == ["Growth"]


# --- Goals -----------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_goal(project, editor_client, driver, viewer):
    created = send(
        editor_client,
        "post",
        GOALS,
        {
            "statement": "Close the month in 2 days",
            "description": "Instead of 5",
            "owner": "Editor",  # user names ignore case, as on the team page
            "due": "2027-03-31",
            "drivers": [driver.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "statement": "Close the month in 2 days",
        "description": "Instead of 5",
        "owner": "editor",
        "due": "2027-03-31",
        "drivers": [driver.pk],
        "state": "no_data",
        "kpis": [],
        "version": 1,
    }
    goal = Goal.objects.get(pk=body["id"])
    assert goal.owner.user.username == "editor"
    assert goal.project == project
    url = f"{GOALS}{goal.pk}/"

    assert editor_client.get(url).json()["owner"] == "editor"
    assert [g["id"] for g in editor_client.get(GOALS).json()["results"]] == [goal.pk]

    updated = send(editor_client, "patch", url, {"owner": "viewer", "drivers": [], "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["owner"] == "viewer"
    assert updated.json()["drivers"] == []
    assert updated.json()["version"] == 2

    cleared = send(editor_client, "patch", url, {"owner": None, "version": 2})
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["owner"] is None

    assert editor_client.delete(url).status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_a_goal_update_leaves_its_drivers_alone_when_none_are_sent(project, editor_client, goal, driver):
    response = send(editor_client, "patch", f"{GOALS}{goal.pk}/", {"statement": "Renamed", "version": goal.version})

    assert response.status_code == 200
    assert response.json()["drivers"] == [driver.pk]


def test_a_goal_owner_must_be_a_member_of_this_project(project, editor_client, outsider):
    response = send(editor_client, "post", GOALS, {"statement": "Mine", "owner": "outsider"})

    assert response.status_code == 400
    assert response.json()["owner"] == ["“outsider” is not a member of this project."]
    assert not Goal.objects.exists()


def test_a_goal_owner_that_is_no_user_at_all_is_400(project, editor_client):
    response = send(editor_client, "post", GOALS, {"statement": "Mine", "owner": "nobody-here"})

    assert response.status_code == 400
    assert "owner" in response.json()


def test_a_goal_cannot_link_another_projects_driver(project, editor_client, elsewhere):
    response = send(editor_client, "post", GOALS, {"statement": "Mine", "drivers": [elsewhere["driver"].pk]})

    assert response.status_code == 400
    assert "drivers" in response.json()
    assert not Goal.objects.filter(project=project).exists()


def test_a_goal_takes_the_worst_state_of_its_kpis(project, viewer, goal):
    on_track = make_kpi(goal, name="Accuracy")
    services.measurement_create(kpi=on_track, date=date(2026, 1, 31), value=Decimal("95.75"))
    going_backwards = make_kpi(goal, name="Fill rate", baseline=Decimal(90), target=Decimal(98))
    services.measurement_create(kpi=going_backwards, date=date(2026, 1, 31), value=Decimal(88))
    unmeasured = make_kpi(goal, name="Turns", baseline=Decimal(4), target=Decimal(6))

    body = client_for(viewer).get(f"{GOALS}{goal.pk}/").json()

    assert body["state"] == "off_track"
    assert body["kpis"] == [on_track.pk, going_backwards.pk, unmeasured.pk]


# --- KPIs ------------------------------------------------------------------------------------


KPI_FIELDS = {
    "name": "Days to close the month",
    "unit": "days",
    "formula": "Working days from month end to closed books.",
    "direction": "lower",
    "baseline": "5",
    "baseline_date": "2026-01-31",
    "target": "2",
    "frequency": "monthly",
    "source_system": "Ledger",
}


def test_an_editor_creates_reads_updates_and_deletes_a_kpi(project, editor_client, goal):
    created = send(editor_client, "post", KPIS, {"goal": goal.pk, "library_key": "days_on_hand", **KPI_FIELDS})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "goal": goal.pk,
        **KPI_FIELDS,
        "baseline": "5.0000",
        "target": "2.0000",
        "library_key": "",  # read-only: KPIs come from the library through the page
        "latest_value": None,
        "latest_date": None,
        "attainment": None,
        "state": "no_data",
        "version": 1,
    }
    url = f"{KPIS}{body['id']}/"

    assert editor_client.get(url).json()["name"] == "Days to close the month"
    assert [k["id"] for k in editor_client.get(KPIS).json()["results"]] == [body["id"]]

    updated = send(editor_client, "patch", url, {"target": "3", "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["target"] == "3.0000"
    assert updated.json()["version"] == 2

    assert editor_client.delete(url).status_code == 204
    assert not KPI.objects.filter(pk=body["id"]).exists()


def test_a_kpi_target_equal_to_the_baseline_is_400_with_the_models_message(project, editor_client, goal):
    response = send(editor_client, "post", KPIS, {**KPI_FIELDS, "goal": goal.pk, "target": "5"})

    assert response.status_code == 400
    assert response.json() == {
        "target": ["The target equals the baseline, so progress cannot be measured. Set a different target."]
    }
    assert not KPI.objects.exists()


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "message"),
    [
        ("higher", "92", "90", "Higher is better, so the target must be above the baseline (92)."),
        ("lower", "5", "7", "Lower is better, so the target must be below the baseline (5)."),
    ],
)
def test_a_kpi_target_on_the_wrong_side_is_400(project, editor_client, goal, direction, baseline, target, message):
    data = {**KPI_FIELDS, "goal": goal.pk, "direction": direction, "baseline": baseline, "target": target}

    response = send(editor_client, "post", KPIS, data)

    assert response.status_code == 400
    assert response.json() == {"target": [message]}
    assert not KPI.objects.exists()


def test_an_update_that_flips_the_direction_past_the_target_is_400_and_changes_nothing(project, editor_client, kpi):
    response = send(editor_client, "patch", f"{KPIS}{kpi.pk}/", {"direction": "lower", "version": kpi.version})

    assert response.status_code == 400
    assert "below the baseline" in response.json()["target"][0]
    kpi.refresh_from_db()
    assert kpi.direction == "higher"
    assert kpi.version == 1


def test_a_kpi_cannot_be_put_under_another_projects_goal(project, editor_client, goal, elsewhere):
    response = send(editor_client, "post", KPIS, {**KPI_FIELDS, "goal": elsewhere["goal"].pk})

    assert response.status_code == 400
    assert "goal" in response.json()
    assert not KPI.objects.filter(goal__project=project).exists()


def test_a_kpi_shows_its_latest_value_attainment_and_state(project, viewer, kpi):
    services.measurement_create(kpi=kpi, date=date(2026, 1, 31), value=Decimal("93.5"))
    services.measurement_create(kpi=kpi, date=date(2026, 2, 28), value=Decimal("95.75"))

    body = client_for(viewer).get(f"{KPIS}{kpi.pk}/").json()

    assert body["latest_value"] == "95.7500"
    assert body["latest_date"] == "2026-02-28"
    assert Decimal(body["attainment"]) == Decimal("0.5")
    assert body["state"] == "on_track"


def test_a_lower_is_better_kpi_attains_as_it_falls(project, viewer, goal):
    kpi = make_kpi(goal, name="Days to close", unit="days", direction="lower", baseline=Decimal(5), target=Decimal(2))
    services.measurement_create(kpi=kpi, date=date(2026, 1, 31), value=Decimal("3.5"))

    body = client_for(viewer).get(f"{KPIS}{kpi.pk}/").json()

    assert Decimal(body["attainment"]) == Decimal("0.5")
    assert body["state"] == "on_track"


def test_a_kpi_at_its_target_is_achieved(project, viewer, kpi):
    services.measurement_create(kpi=kpi, date=date(2026, 1, 31), value=Decimal("99.6"))

    body = client_for(viewer).get(f"{KPIS}{kpi.pk}/").json()

    assert Decimal(body["attainment"]) > 1
    assert body["state"] == "achieved"


def test_a_kpi_trailing_the_time_used_is_off_track(project, viewer, goal):
    today = timezone.localdate()
    goal.due = today + timedelta(days=50)
    goal.save()
    kpi = make_kpi(goal, baseline_date=today - timedelta(days=50))
    services.measurement_create(kpi=kpi, date=today, value=Decimal("93.5"))  # 20% of the way, 50% of the time

    body = client_for(viewer).get(f"{KPIS}{kpi.pk}/").json()

    assert Decimal(body["attainment"]) == Decimal("0.2")
    assert body["state"] == "off_track"
    assert client_for(viewer).get(f"{GOALS}{goal.pk}/").json()["state"] == "off_track"


def test_the_kpis_can_be_filtered_by_goal(project, viewer, goal, kpi):
    other_goal = services.goal_create(project=project, statement="Faster close")
    other_kpi = make_kpi(other_goal, name="Days to close", direction="lower", baseline=Decimal(5), target=Decimal(2))

    body = client_for(viewer).get(KPIS, {"goal": other_goal.pk}).json()

    assert [k["id"] for k in body["results"]] == [other_kpi.pk]
    assert client_for(viewer).get(KPIS).json()["count"] == 2


def test_filtering_kpis_by_another_projects_goal_finds_nothing(project, viewer, kpi, elsewhere):
    body = client_for(viewer).get(KPIS, {"goal": elsewhere["goal"].pk}).json()

    assert body["count"] == 0


# --- Measurements ----------------------------------------------------------------------------


def test_an_editor_records_reads_corrects_and_deletes_a_measurement(project, editor_client, kpi):
    url = measurements_url(kpi)
    created = send(editor_client, "post", url, {"date": "2026-03-31", "value": "95.75", "source": "Stocktake"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "date": "2026-03-31",
        "value": "95.7500",
        "source": "Stocktake",
        "note": "",
        "version": 1,
    }
    assert Measurement.objects.get(pk=body["id"]).kpi == kpi
    detail = f"{url}{body['id']}/"

    assert editor_client.get(detail).json()["value"] == "95.7500"
    assert [m["id"] for m in editor_client.get(url).json()["results"]] == [body["id"]]
    assert Decimal(editor_client.get(f"{KPIS}{kpi.pk}/").json()["attainment"]) == Decimal("0.5")

    updated = send(editor_client, "patch", detail, {"value": "96", "note": "recounted", "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["value"] == "96.0000"
    assert updated.json()["note"] == "recounted"
    assert updated.json()["version"] == 2

    assert editor_client.delete(detail).status_code == 204
    assert not kpi.measurements.exists()


def test_a_second_value_on_the_same_date_is_400(project, editor_client, kpi, measurement):
    response = send(editor_client, "post", measurements_url(kpi), {"date": "2026-10-31", "value": "94"})

    assert response.status_code == 400
    assert response.json() == {
        "date": [f"2026-10-31 already has the value 93.1 (measurement {measurement.pk}). Change that one instead."]
    }
    assert kpi.measurements.count() == 1


def test_a_date_taken_by_a_concurrent_request_is_400_not_500(project, editor_client, kpi, measurement, monkeypatch):
    """Both checks passed before the other request saved: the database's constraint has the last word."""
    from projects.api.goals import MeasurementSerializer
    from workbench.api import VersionedSerializerMixin

    monkeypatch.setattr(MeasurementSerializer, "validate", VersionedSerializerMixin.validate)
    monkeypatch.setattr(Measurement, "validate_constraints", lambda self, exclude=None: None)

    response = send(editor_client, "post", measurements_url(kpi), {"date": "2026-10-31", "value": "94"})

    assert response.status_code == 400
    assert response.json() == {"date": ["2026-10-31 already has a value. Change that one instead."]}
    assert kpi.measurements.count() == 1


def test_moving_a_value_onto_a_taken_date_is_400(project, editor_client, kpi, measurement):
    later = services.measurement_create(kpi=kpi, date=date(2026, 11, 30), value=Decimal(94))

    response = send(
        editor_client,
        "patch",
        f"{measurements_url(kpi)}{later.pk}/",
        {"date": "2026-10-31", "version": later.version},
    )

    assert response.status_code == 400
    assert "2026-10-31 already has the value 93.1" in response.json()["date"][0]
    later.refresh_from_db()
    assert later.date == date(2026, 11, 30)


def test_the_same_date_is_free_on_another_kpi(project, editor_client, goal, measurement):
    other = make_kpi(goal, name="Fill rate", baseline=Decimal(90), target=Decimal(98))

    response = send(editor_client, "post", measurements_url(other), {"date": "2026-10-31", "value": "91"})

    assert response.status_code == 201


def test_a_measurement_keeps_its_own_date_when_corrected(project, editor_client, kpi, measurement):
    response = send(
        editor_client,
        "put",
        f"{measurements_url(kpi)}{measurement.pk}/",
        {"date": "2026-10-31", "value": "93.2", "version": measurement.version},
    )

    assert response.status_code == 200, response.content
    assert response.json()["value"] == "93.2000"


def test_the_measurements_can_be_filtered_by_date(project, viewer, kpi):
    for month, value in [(1, 93), (2, 94), (3, 95), (4, 96)]:
        services.measurement_create(kpi=kpi, date=date(2026, month, 28), value=Decimal(value))
    url = measurements_url(kpi)
    client = client_for(viewer)

    def dates(**params) -> list[str]:
        return [m["date"] for m in client.get(url, params).json()["results"]]

    assert dates(date_after="2026-02-28") == ["2026-02-28", "2026-03-28", "2026-04-28"]
    assert dates(date_before="2026-02-28") == ["2026-01-28", "2026-02-28"]
    assert dates(date_after="2026-02-01", date_before="2026-03-31") == ["2026-02-28", "2026-03-28"]
    assert client.get(url, {"date_after": "not-a-date"}).status_code == 400


def test_the_measurements_of_another_projects_kpi_are_404(project, editor_client, elsewhere):
    url = measurements_url(elsewhere["kpi"])

    assert editor_client.get(url).status_code == 404
    assert send(editor_client, "post", url, {"date": "2026-02-28", "value": "1"}).status_code == 404
    assert elsewhere["kpi"].measurements.count() == 1


def test_a_measurement_of_another_kpi_is_404_under_this_one(project, editor_client, goal, measurement):
    other = make_kpi(goal, name="Fill rate", baseline=Decimal(90), target=Decimal(98))

    assert editor_client.get(f"{measurements_url(other)}{measurement.pk}/").status_code == 404
    assert editor_client.delete(f"{measurements_url(other)}{measurement.pk}/").status_code == 404
    assert Measurement.objects.filter(pk=measurement.pk).exists()


# --- Access ----------------------------------------------------------------------------------


@pytest.fixture
def urls(driver, goal, kpi, measurement):
    """(list URL, detail URL, valid create body) for each resource."""
    return {
        "drivers": (DRIVERS, f"{DRIVERS}{driver.pk}/", {"category": "scale", "statement": "More"}),
        "goals": (GOALS, f"{GOALS}{goal.pk}/", {"statement": "More"}),
        "kpis": (KPIS, f"{KPIS}{kpi.pk}/", {**KPI_FIELDS, "goal": goal.pk}),
        "measurements": (
            measurements_url(kpi),
            f"{measurements_url(kpi)}{measurement.pk}/",
            {"date": "2026-12-31", "value": "95"},
        ),
    }


RESOURCES = ["drivers", "goals", "kpis", "measurements"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_viewer_reads_but_cannot_write(project, viewer, urls, resource):
    list_url, detail_url, body = urls[resource]
    client = client_for(viewer)
    counts = (Driver.objects.count(), Goal.objects.count(), KPI.objects.count(), Measurement.objects.count())

    assert client.get(list_url).status_code == 200
    assert client.get(detail_url).status_code == 200
    assert send(client, "post", list_url, body).status_code == 403
    assert send(client, "patch", detail_url, {"version": 1}).status_code == 403
    assert send(client, "put", detail_url, {**body, "version": 1}).status_code == 403
    assert client.delete(detail_url).status_code == 403
    assert counts == (Driver.objects.count(), Goal.objects.count(), KPI.objects.count(), Measurement.objects.count())


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_outsider_gets_404_everywhere(project, outsider, urls, resource):
    list_url, detail_url, body = urls[resource]
    client = client_for(outsider)

    assert client.get(list_url).status_code == 404
    assert client.get(detail_url).status_code == 404
    assert send(client, "post", list_url, body).status_code == 404
    assert send(client, "patch", detail_url, {"version": 1}).status_code == 404
    assert client.delete(detail_url).status_code == 404


@pytest.mark.parametrize("resource", ["drivers", "goals", "kpis"])
def test_another_projects_item_is_404_through_this_project(project, editor_client, elsewhere, resource):
    item = elsewhere[resource.removesuffix("s")]
    url = f"{API}/{resource}/{item.pk}/"

    assert editor_client.get(url).status_code == 404
    assert send(editor_client, "patch", url, {"version": 1}).status_code == 404
    assert editor_client.delete(url).status_code == 404
    assert type(item).objects.filter(pk=item.pk).exists()


def test_the_lists_show_only_this_projects_items(project, viewer, urls, elsewhere):
    client = client_for(viewer)

    for resource in ["drivers", "goals", "kpis"]:
        assert client.get(urls[resource][0]).json()["count"] == 1, resource


# --- Versions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "first", "second"),
    [
        ("drivers", {"severity": 5}, {"statement": "Late"}),
        ("goals", {"due": "2027-01-31"}, {"statement": "Late", "drivers": []}),
        ("kpis", {"unit": "percent"}, {"name": "Late"}),
        ("measurements", {"note": "first"}, {"value": "1"}),
    ],
)
def test_a_stale_version_is_409_and_changes_nothing(project, editor_client, urls, resource, first, second):
    detail_url = urls[resource][1]
    read = editor_client.get(detail_url).json()
    assert send(editor_client, "patch", detail_url, {**first, "version": read["version"]}).status_code == 200

    response = send(editor_client, "patch", detail_url, {**second, "version": read["version"]})

    assert response.status_code == 409
    assert "Your changes were not saved" in response.json()["detail"]
    now = editor_client.get(detail_url).json()
    assert now["version"] == read["version"] + 1
    for name in second:
        assert now[name] == read[name], name


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_update_without_the_version_is_400(project, editor_client, urls, resource):
    detail_url = urls[resource][1]

    response = send(editor_client, "patch", detail_url, {})

    assert response.status_code == 400
    assert "version" in response.json()


# --- Query counts and schema -----------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_kpi_list_does_not_query_per_kpi(project, viewer, goal):
    client = client_for(viewer)

    def grow(n: int) -> None:
        for i in range(n):
            kpi = make_kpi(goal, name=f"KPI {i}")
            services.measurement_create(kpi=kpi, date=date(2026, 1, 31), value=Decimal(95))

    grow(2)
    small = queries_for(client, KPIS)
    grow(6)
    assert client.get(KPIS).json()["count"] == 8
    assert queries_for(client, KPIS) == small == 5


def test_the_goal_list_does_not_query_per_goal(project, viewer, owner, driver):
    client = client_for(viewer)
    owner_membership = Membership.objects.get(project=project, user=owner)

    def grow(n: int) -> None:
        for i in range(n):
            goal = services.goal_create(
                project=project, statement=f"Goal {i}", owner=owner_membership, drivers=[driver]
            )
            make_kpi(goal)

    grow(2)
    small = queries_for(client, GOALS)
    grow(6)
    assert queries_for(client, GOALS) == small == 7


def test_the_driver_and_measurement_lists_do_not_query_per_row(project, viewer, goal, kpi):
    client = client_for(viewer)

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            services.driver_create(project=project, category="scale", statement=f"Driver {i}")
            services.measurement_create(kpi=kpi, date=date(2026, 1, 1) + timedelta(days=i), value=Decimal(95))

    grow(2, 0)
    drivers, measurements = queries_for(client, DRIVERS), queries_for(client, measurements_url(kpi))
    grow(6, 2)
    assert (queries_for(client, DRIVERS), queries_for(client, measurements_url(kpi))) == (drivers, measurements)
    assert (drivers, measurements) == (6, 6)


def test_the_schema_documents_the_goal_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in [
        "/api/v1/projects/{project_code}/drivers/",
        "/api/v1/projects/{project_code}/drivers/{driver_id}/",
        "/api/v1/projects/{project_code}/goals/",
        "/api/v1/projects/{project_code}/goals/{goal_id}/",
        "/api/v1/projects/{project_code}/kpis/",
        "/api/v1/projects/{project_code}/kpis/{kpi_id}/",
        "/api/v1/projects/{project_code}/kpis/{kpi_id}/measurements/",
        "/api/v1/projects/{project_code}/kpis/{kpi_id}/measurements/{measurement_id}/",
    ]:
        assert path in paths, path
    kpi_params = {p["name"] for p in paths["/api/v1/projects/{project_code}/kpis/"]["get"]["parameters"]}
    assert "goal" in kpi_params
    measurement_list = paths["/api/v1/projects/{project_code}/kpis/{kpi_id}/measurements/"]["get"]
    assert {"date_after", "date_before"} <= {p["name"] for p in measurement_list["parameters"]}
