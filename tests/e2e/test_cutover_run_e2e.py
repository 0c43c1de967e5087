"""During a rehearsal night a tester records runbook tasks on a phone: the dashboard swaps in place (no reload), a
failure without a reason is refused on the task, and the banner turns red once a task failed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def rehearsal(transactional_db):
    from projects.services import golive as svc

    project = ProjectFactory(code="ACME", name="ACME inventory upgrade")
    tester = UserFactory(username="tester", first_name="Wang", last_name="Fang")
    MembershipFactory(project=project, user=tester, role="tester", department="warehouse")
    plan = svc.plan_for(project)
    now = timezone.now().replace(second=0, microsecond=0)
    plan.window_start, plan.window_end = now + timedelta(days=7), now + timedelta(days=7, hours=3)
    plan.save()
    freeze = svc.task_create(plan=plan, title="Freeze master data", duration_minutes=30)
    count = svc.task_create(plan=plan, title="Count the stock", duration_minutes=60, predecessors=[freeze])
    svc.task_create(plan=plan, title="Load opening stock", duration_minutes=30, predecessors=[count])
    run = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now())
    return svc.run_start(run=run)  # now: on plan until someone is slower than the runbook


def test_a_tester_records_tasks_on_a_phone_without_reloading(live_server, rehearsal, phone, tmp_path):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", "tester")
    phone.fill("#id_password", PASSWORD)
    phone.locator("form[action='/accounts/login/'] button[type=submit]").click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/p/ACME/golive/runs/{rehearsal.pk}/")
    expect(phone.get_by_test_id("rag")).to_have_attribute("data-rag", "green")
    phone.evaluate("window.wbMarker = 'no reload'")

    start = phone.locator('[data-testid="startable-task"][data-task="1"]').get_by_test_id("task-start")
    box = start.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 100
    start.click()
    running = phone.locator('[data-testid="running-task"][data-task="1"]')
    expect(running).to_be_visible()
    expect(phone.get_by_test_id("run-flash")).to_have_text("Task 1 started.")

    running.get_by_test_id("task-fail").click()  # no reason: refused on the task, nothing recorded
    running = phone.locator('[data-testid="running-task"][data-task="1"]')
    expect(running.get_by_test_id("task-error")).to_have_text("Say why the task failed.")
    running.locator("textarea[name=reason]").fill("The scanners do not connect to the new system.")
    running.get_by_test_id("task-fail").click()

    failed = phone.locator('[data-testid="failed-task"][data-task="1"]')
    expect(failed.get_by_test_id("failed-reason")).to_contain_text("The scanners do not connect")
    expect(phone.get_by_test_id("rag")).to_have_attribute("data-rag", "red")
    expect(phone.locator('[data-testid="task-row"][data-task="1"]')).to_have_attribute("data-status", "failed")
    assert phone.evaluate("window.wbMarker") == "no reload"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(tmp_path / "run-phone.png"), full_page=True)
