"""On the warehouse floor after go-live, the IT lead handles an incident on a phone: the response clock runs until
the incident is acknowledged, and the resolution clock pauses while the team waits for the customer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def incident(transactional_db):
    from projects.models import BusinessCalendar, ServiceLevel
    from projects.services import sla as svc

    project = ProjectFactory(code="ACME", name="ACME inventory upgrade")
    lead = UserFactory(username="it", first_name="Li", last_name="Na")
    MembershipFactory(project=project, user=lead, role="editor", department="it")
    vendor = apps.get_model("requirements", "Vendor").objects.create(project=project, name="Yunshang")
    around_the_clock = BusinessCalendar.objects.create(project=project, name="24×7", always=True)
    ServiceLevel.objects.create(
        project=project,
        vendor=vendor,
        severity="critical",
        response_hours=Decimal(1),
        resolution_hours=Decimal(4),
        calendar=around_the_clock,
    )
    return svc.incident_create(
        project=project,
        title="Scanners cannot post receipts",
        severity="critical",
        vendor=vendor,
        opened_at=timezone.now() - timedelta(minutes=10),
    )


def test_acknowledging_and_waiting_on_a_phone_stop_and_pause_the_clocks(live_server, incident, phone, tmp_path):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", "it")
    phone.fill("#id_password", PASSWORD)
    phone.locator("form[action='/accounts/login/'] button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/p/ACME/sla/incidents/{incident.number}/")
    expect(phone.get_by_test_id("clock-response")).to_have_attribute("data-state", "running")
    expect(phone.get_by_test_id("clock-resolution")).to_have_attribute("data-state", "running")

    acknowledge = phone.get_by_test_id("move-acknowledged")
    box = acknowledge.bounding_box()
    assert box["height"] >= 44
    acknowledge.click()

    expect(phone.get_by_test_id("clock-response")).to_have_attribute("data-state", "met")
    expect(phone.get_by_test_id("incident-status").first).to_have_attribute("data-status", "acknowledged")
    phone.get_by_test_id("move-form").locator("textarea").fill("Asked the store for a photo of the error.")
    phone.get_by_test_id("move-waiting").click()

    expect(phone.get_by_test_id("clock-resolution")).to_have_attribute("data-state", "paused")
    expect(phone.get_by_test_id("timeline")).to_contain_text("Asked the store for a photo of the error.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(tmp_path / "incident-phone.png"), full_page=True)
