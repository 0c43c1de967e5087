"""The driver pages: grouped by the guide's four kinds, with severity, evidence, goals and history."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Driver
from projects.services import goals as services
from tests.conftest import client_for
from tests.factories import ProjectFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def driver_data(**overrides) -> dict:
    data = {"category": "functional_gap", "statement": "No batch or expiry tracking", "severity": "4", "evidence": ""}
    data.update(overrides)
    return data


def make_driver(project, category="scale", statement="Stores and shop keep separate stock", **fields) -> Driver:
    return services.driver_create(project=project, category=category, statement=statement, **fields)


def test_the_empty_list_explains_the_four_kinds(project, editor):
    response = client_for(editor).get(url("driver-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="drivers-empty"' in content
    for label in ["Scale and complexity", "Functional gap", "Architecture and integration", "Cost and security"]:
        assert label in content
    assert url("driver-create") in content
    assert 'data-testid="goals-tabs"' in content


def test_drivers_are_grouped_by_category_with_severity_and_goals(project, viewer):
    high = make_driver(project, "functional_gap", "No mobile stock-taking", severity=5)
    low = make_driver(project, "functional_gap", "Reports a week late", severity=2)
    scale = make_driver(project, "scale", "Online shop oversells", severity=4)
    goal = services.goal_create(project=project, statement="Stock-taking 30 % faster", drivers=[high])

    response = client_for(viewer).get(url("driver-list"))

    groups = {value: drivers for value, _label, drivers, _hint in response.context["groups"]}
    assert list(groups) == ["scale", "functional_gap", "architecture", "cost_security"]
    assert groups["functional_gap"] == [high, low]  # most severe first
    assert groups["scale"] == [scale]
    assert groups["architecture"] == groups["cost_security"] == []
    content = response.content.decode()
    assert 'data-severity="5"' in content and 'data-severity="2"' in content
    assert url("goal-detail", goal_id=goal.pk) in content
    assert "No goal answers it yet." in content
    assert url("driver-create") not in content  # viewers add nothing


def test_the_list_does_not_query_per_driver(project, owner):
    client = client_for(owner)
    goal = services.goal_create(project=project, statement="Goal")
    for i in range(2):
        goal.drivers.add(make_driver(project, statement=f"Driver {i}"))
    with CaptureQueriesContext(connection) as small:
        client.get(url("driver-list"))
    for i in range(6):
        goal.drivers.add(make_driver(project, "cost_security", statement=f"More {i}"))
    with CaptureQueriesContext(connection) as large:
        client.get(url("driver-list"))
    assert len(large) == len(small)


def test_an_editor_records_a_driver(project, editor):
    response = client_for(editor).post(url("driver-create"), driver_data(evidence="40 staff hours per 1,000 SKUs"))

    driver = Driver.objects.get(project=project)
    assert response["Location"] == url("driver-detail", driver_id=driver.pk)
    assert (driver.category, driver.severity) == ("functional_gap", 4)


def test_the_category_can_be_preselected(project, editor):
    form = client_for(editor).get(url("driver-create") + "?category=cost_security").context["form"]

    assert form.initial["category"] == "cost_security"


def test_a_severity_outside_1_to_5_is_refused(project, editor):
    response = client_for(editor).post(url("driver-create"), driver_data(severity="9"))

    assert response.status_code == 200
    assert response.context["form"].errors["severity"]
    assert not Driver.objects.exists()


def test_a_driver_is_edited_with_its_version_and_a_stale_save_is_refused(project, editor):
    driver = make_driver(project)
    client = client_for(editor)

    response = client.post(url("driver-edit", driver_id=driver.pk), driver_data(statement="New", version=1))
    assert response.status_code == 302
    driver.refresh_from_db()
    assert (driver.statement, driver.version) == ("New", 2)

    stale = client.post(url("driver-edit", driver_id=driver.pk), driver_data(statement="Late typing", version=1))
    assert stale.status_code == 200
    assert "Your changes were not saved." in stale.content.decode()
    assert 'value="Late typing"' in stale.content.decode()
    driver.refresh_from_db()
    assert driver.statement == "New"


def test_the_detail_shows_evidence_goals_and_history(project, viewer):
    driver = make_driver(project, evidence="**4.1 %** of online orders cancelled <img src=x onerror=alert(1)>")
    goal = services.goal_create(project=project, statement="No overselling", drivers=[driver])

    response = client_for(viewer).get(url("driver-detail", driver_id=driver.pk))

    content = response.content.decode()
    assert "<strong>4.1 %</strong>" in content
    assert re.search(r"<img[^>]*onerror", content) is None  # sanitised; the history shows it escaped
    assert url("goal-detail", goal_id=goal.pk) in content
    assert [e.action for e in response.context["page_obj"]] == ["+"]
    assert url("driver-edit", driver_id=driver.pk) not in content


def test_deleting_a_driver_keeps_its_goals(project, editor):
    driver = make_driver(project)
    goal = services.goal_create(project=project, statement="Goal", drivers=[driver])
    client = client_for(editor)

    assert "the goal stays and loses the link" in client.get(url("driver-delete", driver_id=driver.pk)).content.decode()
    response = client.post(url("driver-delete", driver_id=driver.pk))

    assert response["Location"] == url("driver-list")
    assert not Driver.objects.exists()
    assert goal.drivers.count() == 0


def test_a_viewer_gets_403_on_every_write_and_reads_the_rest(project, viewer):
    driver = make_driver(project)
    client = client_for(viewer)

    writes = [url("driver-create"), url("driver-edit", driver_id=driver.pk), url("driver-delete", driver_id=driver.pk)]
    for target in writes:
        assert client.get(target).status_code == 403, target
        assert client.post(target, driver_data(version=1)).status_code == 403, target
    for target in [url("driver-list"), url("driver-detail", driver_id=driver.pk)]:
        assert client.get(target).status_code == 200, target
    assert Driver.objects.get().statement == driver.statement


def test_another_projects_driver_is_404(project, editor):
    foreign = make_driver(ProjectFactory(code="ELSE"))

    assert client_for(editor).get(url("driver-detail", driver_id=foreign.pk)).status_code == 404
    assert client_for(editor).post(url("driver-delete", driver_id=foreign.pk)).status_code == 404
    assert Driver.objects.filter(pk=foreign.pk).exists()
