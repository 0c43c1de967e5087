"""An editor copies a process template, reorders a step and records a finding, in a real browser."""

import pytest

from projects.process_templates import BY_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def table_actions(page) -> list[str]:
    return page.get_by_test_id("step-table").get_by_test_id("step-action").all_inner_texts()


def test_an_editor_copies_a_template_moves_a_step_and_adds_a_finding(live_server, project, editor, desktop):
    template = BY_KEY["procurement"]
    actions = [str(step.action) for step in template.steps]
    page = desktop
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/p/{project.code}/processes/")
    page.get_by_test_id("processes-empty").get_by_role("link", name="Start from a template").click()
    page.get_by_label(str(template.name)).check()
    page.get_by_role("button", name="Copy selected").click()
    page.wait_for_url("**/processes/")
    assert page.get_by_text("1 process copied from the templates.").is_visible()

    page.get_by_role("link", name=str(template.name)).click()
    page.wait_for_url("**/processes/*/")
    assert page.get_by_role("heading", name=str(template.name)).is_visible()
    assert table_actions(page) == actions

    page.get_by_role("button", name="Move step 3 up").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"“{actions[2]}” is now step 2 (was 3).").is_visible()
    assert table_actions(page) == [actions[0], actions[2], actions[1], *actions[3:]]
    rows = page.get_by_test_id("step-row")
    assert rows.nth(1).get_by_test_id("step-order").inner_text() == "2"

    page.get_by_role("link", name="Add a finding to step 4").click()
    page.select_option("#id_kind", "risk")
    page.select_option("#id_severity", "5")
    page.fill("#id_description", "Goods are received without checking the order")
    page.get_by_role("button", name="Add finding").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Finding added to step 4. {actions[3]}.").is_visible()

    row = rows.nth(3)
    step_id = row.get_attribute("id").removeprefix("step-")
    assert row.get_by_test_id("finding-badge").get_attribute("data-kind") == "risk"
    node = page.get_by_test_id("process-diagram").locator(f"svg g[data-key='{step_id}']")
    assert node.is_visible()
    marker = node.locator(".sl-marker")
    assert marker.count() == 1
    assert marker.get_attribute("data-tone") == "bad"
    assert "Goods are received without checking the order" in marker.locator("title").text_content()
    # The other steps carry no marker.
    assert page.get_by_test_id("process-diagram").locator("svg .sl-nodes .sl-marker").count() == 1
