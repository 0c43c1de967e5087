"""An editor adds a KPI from the library, records two values and sees them in the chart, in a real browser."""

import pytest

from projects.services import goals as services
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_editor_adds_a_library_kpi_and_records_measurements(live_server, project, editor, desktop):
    goal = services.goal_create(project=project, statement="Stock figures can be trusted")
    page = desktop
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/p/{project.code}/goals/")
    page.get_by_role("link", name=goal.statement).click()
    page.wait_for_url(f"**/goals/{goal.pk}/")
    page.get_by_role("link", name="Add KPI from library").click()

    entry = page.locator("[data-key=inventory_record_accuracy]")
    entry.get_by_role("link", name="Add “Inventory record accuracy” to this goal").click()
    assert page.input_value("#id_name") == "Inventory record accuracy"
    assert page.input_value("#id_unit") == "%"
    page.fill("#id_baseline", "92")
    page.fill("#id_target", "99.5")
    page.get_by_role("button", name="Add KPI").click()
    page.wait_for_url("**/kpis/*/")
    assert page.get_by_role("heading", name="Inventory record accuracy").is_visible()

    for day, value in [("2026-07-31", "93.1"), ("2026-08-31", "95")]:
        form = page.get_by_test_id("measurement-form")
        form.locator("#id_date").fill(day)
        form.locator("#id_value").fill(value)
        form.get_by_role("button", name="Add measurement").click()
        page.wait_for_load_state()
        assert page.get_by_text(f"Recorded {value} for {day}.").is_visible()

    chart = page.get_by_test_id("kpi-chart").locator("svg")
    assert chart.is_visible()
    assert chart.locator(".serie-0 circle.dot").count() == 2
    values = chart.locator(".serie-0 desc.value").all_text_contents()
    assert values == ["2026-07: 93.1", "2026-08: 95"]
    assert page.get_by_test_id("latest-value").inner_text().startswith("95")
    badge = page.get_by_test_id("kpi-state").locator(".wb-state")
    assert badge.get_attribute("data-state") == "on_track"
    assert badge.inner_text().strip() == "On track"
    assert page.get_by_test_id("measurement-table").locator("tbody tr").count() == 2
