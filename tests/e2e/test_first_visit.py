"""A new user's first visit, in a real browser at phone width."""

import pytest

from projects.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()


def test_a_lead_opens_the_demo_project_and_switches_to_chinese(live_server, demo, phone):
    log_in(phone, live_server.url, "lead")
    phone.get_by_role("link", name="Retail chain: one inventory for stores, online shop and finance").click()
    phone.wait_for_url(f"**/p/{demo.code}/")

    # The project navigation folds away on a phone; the toggle opens it.
    nav = phone.get_by_test_id("project-nav")
    assert not nav.is_visible()
    phone.get_by_role("button", name="Project navigation").click()
    assert nav.get_by_text("Goals & KPIs").is_visible()

    phone.get_by_test_id("language-menu").click()
    phone.get_by_role("button", name="简体中文").click()
    phone.wait_for_load_state()

    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    phone.get_by_role("button", name="项目导航").click()
    nav = phone.get_by_test_id("project-nav")
    for title in ["概览", "团队", "需求", "用户验收测试"]:
        assert nav.get_by_text(title, exact=False).first.is_visible(), title
    # Nothing is wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The choice is remembered for the user, not only for this browser.
    phone.context.clear_cookies()
    log_in(phone, live_server.url, "lead")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
