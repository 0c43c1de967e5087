"""A tester on the warehouse floor executes a UAT case on a phone: step by step without page reloads, a photo as
evidence, and a defect raised from the failing step."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PNG_1PX
from tests.e2e.test_first_visit import log_in

pytestmark = pytest.mark.e2e


def test_a_tester_executes_a_case_step_by_step_on_a_phone(live_server, demo, phone, tmp_path):
    log_in(phone, live_server.url, "tester")
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/p/{demo.code}/uat/queue/")

    # The queue: my cases, the ones not run yet among the first; each row is a big target.
    row = phone.locator('[data-testid="queue-case"][data-result="not_run"]').first
    key = row.get_by_test_id("queue-key").inner_text()
    assert row.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(tmp_path / "queue-phone.png"), full_page=True)
    row.click()
    phone.wait_for_url(re.compile(r".*/uat/runs/\d+/cases/\d+/$"))
    case_url = phone.url
    expect(phone.get_by_test_id("case-key")).to_have_text(key)
    expect(phone.get_by_test_id("case-result")).to_have_text("Not run")

    # Recording swaps the step alone: a marker set in the page survives every recording.
    phone.evaluate("window.wbMarker = 'no reload'")
    step = {n: phone.locator(f'[data-testid="step"][data-step="{n}"]') for n in (1, 2)}
    fail_button = step[2].get_by_test_id("step-fail")
    box = fail_button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120  # a 2×2 grid of big buttons across the phone

    step[1].get_by_test_id("step-pass").click()
    expect(step[1]).to_have_attribute("data-status", "pass")
    expect(phone.get_by_test_id("case-result")).to_have_text("In progress")
    expect(phone.get_by_test_id("case-progress")).to_contain_text("1 of")

    fail_button.click()  # without saying what happened: refused on the step, nothing recorded
    expect(step[2].get_by_test_id("step-error")).to_contain_text("Say what actually happened")
    expect(step[2]).to_have_attribute("data-status", "not_run")

    step[2].locator("textarea").fill("The shortage of 2 cartons is not flagged.")
    step[2].get_by_test_id("step-fail").click()
    expect(step[2]).to_have_attribute("data-status", "fail")
    expect(phone.get_by_test_id("case-result")).to_have_text("Fail")
    expect(phone.get_by_test_id("case-progress")).to_contain_text("2 of")
    assert phone.evaluate("window.wbMarker") == "no reload"

    # A photo of the screen for step 2, still without a reload; its thumbnail loads from the protected URL.
    photo = tmp_path / "shortage.png"
    photo.write_bytes(PNG_1PX)
    evidence = phone.get_by_test_id("evidence")
    evidence.locator("select[name=step]").select_option("2")
    evidence.locator("input[type=file]").set_input_files(str(photo))
    evidence.get_by_test_id("evidence-submit").click()
    expect(phone.get_by_test_id("evidence-saved")).to_contain_text("shortage.png")
    thumb = phone.get_by_test_id("evidence-thumb").first
    expect(thumb).to_be_visible()
    phone.wait_for_function("document.querySelector('[data-testid=evidence-thumb]').naturalWidth > 0")
    assert phone.evaluate("window.wbMarker") == "no reload"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(tmp_path / "execute-phone.png"), full_page=True)

    # A defect from the failing step.
    step[2].get_by_test_id("raise-defect").click()
    phone.wait_for_url(re.compile(r".*/uat/defects/new/\?run_case=\d+&step=2$"))
    phone.fill("#id_title", "Short-shipped receipt is not flagged")
    phone.select_option("#id_severity", "major")
    phone.locator("#id_title").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*/uat/defects/DEF-\d+/$"))
    defect_key = re.search(r"DEF-\d+", phone.url).group(0)
    expect(phone.locator(".page-title")).to_contain_text(defect_key)

    # Back on the case, the failing step lists it.
    phone.goto(case_url)
    expect(step[2].get_by_test_id("step-defect")).to_contain_text(defect_key)
    expect(phone.get_by_test_id("case-defects")).to_contain_text("Short-shipped receipt is not flagged")
