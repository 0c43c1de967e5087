"""A vendor consultant on a phone: sees only the portal, answers a requirement, and a bad answer is refused."""

import pytest

from requirements.models import Fit, Offer
from tests.e2e.test_first_visit import log_in

pytestmark = pytest.mark.e2e


def test_a_vendor_answers_fit_gap_in_the_portal_and_sees_nothing_else(live_server, demo, phone):
    offer = Offer.objects.get(project=demo, vendor__portal_members__user__username="vendor")
    key = demo.requirements.filter(priority="must").order_by("number").values_list("key", flat=True)[0]
    log_in(phone, live_server.url, "vendor")

    # The project list leads a vendor to the portal, whose navigation offers nothing but the portal.
    phone.get_by_role("link", name="Retail chain: one inventory for stores, online shop and finance").click()
    phone.wait_for_url(f"**/p/{demo.code}/portal/")
    phone.get_by_role("button", name="Project navigation").click()
    nav = phone.get_by_test_id("project-nav")
    assert nav.get_by_text("Vendor portal").is_visible()
    assert nav.get_by_text("Requirements").count() == 0 and nav.get_by_text("Goals & KPIs").count() == 0

    initial = Fit.objects.get(offer=offer, requirement__key=key)
    phone.goto(f"{live_server.url}/p/{demo.code}/portal/{offer.pk}/?key={key}")
    row = phone.locator(f'[data-testid="fit-row"][data-key="{key}"]')
    # Effort and cost belong to customisation: with "Standard" they are refused and nothing is saved.
    row.locator("select[name$='level']").select_option("standard")
    row.locator("input[name$='cost']").fill("5000")
    phone.get_by_test_id("fit-save").first.click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("row-error").first.is_visible()
    unchanged = Fit.objects.get(offer=offer, requirement__key=key)
    assert (unchanged.level, unchanged.cost, unchanged.version) == (initial.level, initial.cost, initial.version)

    row = phone.locator(f'[data-testid="fit-row"][data-key="{key}"]')
    row.locator("select[name$='level']").select_option("customisation")
    row.locator("input[name$='effort_days']").fill("3")
    row.locator("input[name$='cost']").fill("12000")
    row.locator("[name$='note']").fill("A small extension of the standard screen")
    phone.get_by_test_id("fit-save").first.click()
    phone.wait_for_load_state()

    after = Fit.objects.get(offer=offer, requirement__key=key)
    assert (after.level, after.cost, after.note) == ("customisation", 12000, "A small extension of the standard screen")
    assert after.version == initial.version + 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
