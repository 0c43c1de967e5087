"""UAT case pages: the filtered list, create and edit with ordered steps, templates, detail, delete, history."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from requirements import services as requirement_services
from requirements import suspects
from testing import services as svc
from testing.models import CaseStep, UATCase
from tests.conftest import client_for


@pytest.fixture
def requirements(project):
    return [
        requirement_services.requirement_create(project=project, title=title, statement="s", priority="must")
        for title in ("Receipt against the order", "Stock per warehouse", "Batch expiry")
    ]


@pytest.fixture
def case(project, requirements, editor):
    return svc.case_create(
        project=project,
        title="Receive a short-shipped delivery",
        flow="exception",
        role="warehouse_keeper",
        priority="high",
        preconditions="PO **PO-2026-0042** is open",
        requirements=[requirements[0]],
        steps=[
            ("Scan the purchase order", "The open lines show"),
            ("Enter 8 of 10 cartons", "A shortage of 2 is flagged", "PO-2026-0042"),
            ("Post the receipt", "Stock rises by 8"),
        ],
        user=editor,
    )


def url(name, project, *args):
    return reverse(f"testing:{name}", args=[project.code, *args])


def tree(response):
    return lxml_html.fromstring(response.content.decode())


def texts(page, testid):
    return [" ".join(e.text_content().split()) for e in page.xpath(f'.//*[@data-testid="{testid}"]')]


def rows(page):
    return [row.get("data-key") for row in page.xpath('//*[@data-testid="case-row"]')]


def form_data(*, title="Sell more than the stock", steps=(), keys="", version=None, extra=0, **fields):
    """What the case form posts: its fields, then the steps formset (as the page numbers its rows)."""
    data = {
        "title": title,
        "role": fields.get("role", "sales_clerk"),
        "flow": fields.get("flow", "exception"),
        "priority": fields.get("priority", "medium"),
        "preconditions": fields.get("preconditions", ""),
        "requirement_keys": keys,
        "steps-TOTAL_FORMS": str(len(steps) + extra),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    if version is not None:
        data["version"] = str(version)
    for index, step in enumerate(steps):
        action, expected, *rest = step
        data[f"steps-{index}-position"] = str(index + 1)
        data[f"steps-{index}-action"] = action
        data[f"steps-{index}-expected"] = expected
        data[f"steps-{index}-test_data"] = rest[0] if rest else ""
    for index in range(len(steps), len(steps) + extra):  # blank spare rows, as the page offers them
        data[f"steps-{index}-position"] = str(index + 1)
    return data


def steps_of(case):
    return [(s.order, s.action, s.expected, s.test_data) for s in CaseStep.objects.filter(case=case).order_by("order")]


# The list


def test_the_list_filters_and_marks_suspect_cases(project, requirements, case, editor):
    normal = svc.case_create(
        project=project,
        title="Sell from the second warehouse",
        role="sales_clerk",
        requirements=[requirements[1]],
        steps=[("Sell 5", "Taken from WH2")],
    )
    svc.case_create(project=project, title="Month-end close", role="finance", steps=[("Close", "Closed")])
    # The requirement UAT-001 verifies changes meaning: the case becomes suspect.
    assert suspects.flag_downstream(requirement=requirements[0], reason="REQ-001 changed") == 1
    client = client_for(editor)

    page = tree(client.get(url("case-list", project)))
    assert rows(page) == ["UAT-001", "UAT-002", "UAT-003"]
    counts = page.xpath('//*[@data-testid="case-counts"]')[0]
    assert (counts.get("data-total"), counts.get("data-normal"), counts.get("data-exception")) == ("3", "2", "1")
    suspect_rows = page.xpath('//*[@data-testid="case-row"][.//*[@data-testid="suspect-badge"]]')
    assert [r.get("data-key") for r in suspect_rows] == [case.key]
    first = page.xpath('//*[@data-testid="case-row"]')[0]
    assert first.get("data-steps") == "3" and first.get("data-flow") == "exception"
    assert texts(first, "case-requirements") == [requirements[0].key]
    req_link = reverse("requirements:requirement-detail", kwargs={"project_code": project.code, "key": "REQ-001"})
    assert first.xpath(f'.//a[@href="{req_link}"]')

    assert rows(tree(client.get(url("case-list", project), {"flow": "exception"}))) == [case.key]
    assert rows(tree(client.get(url("case-list", project), {"role": "finance"}))) == ["UAT-003"]
    assert rows(tree(client.get(url("case-list", project), {"q": requirements[1].key}))) == [normal.key]
    filtered = tree(client.get(url("case-list", project), {"flow": "normal"}))
    assert texts(filtered, "case-count") == ["2 of 3 cases"]
    assert not filtered.xpath('//*[@data-testid="suspect-badge"]')


def test_an_empty_list_explains_the_templates(project, editor, viewer):
    page = tree(client_for(editor).get(url("case-list", project)))
    assert "templates" in texts(page, "cases-empty")[0]
    assert page.xpath(f'//*[@data-testid="cases-empty"]//a[@href="{url("case-templates", project)}"]')
    assert page.xpath('//*[@data-testid="case-create-button"]')


def test_the_list_query_count_does_not_grow_with_the_cases(project, requirements, editor):
    client = client_for(editor)

    def make(count):
        for n in range(count):
            svc.case_create(
                project=project,
                title=f"Case {n}",
                flow="exception" if n % 2 else "normal",
                requirements=requirements[: 1 + n % 3],
                steps=[("Do", "Done"), ("Check", "Checked")],
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("case-list", project))
        assert response.status_code == 200
        return len(captured)

    make(5)
    few = queries()
    make(25)
    assert UATCase.objects.count() == 30
    assert queries() == few
    assert few <= 12


# Create and edit


def test_an_editor_creates_a_case_with_its_steps_in_order(project, requirements, editor):
    client = client_for(editor)
    assert client.get(url("case-create", project)).status_code == 200
    data = form_data(
        keys=f"{requirements[1].key}, req-3",  # typed in lower case and short: REQ-003
        steps=[
            ("Open a sales order for 12", "The order opens"),
            ("Pick from WH1 (8) and WH2 (4)", "Both warehouses are offered", "SO-7"),
            ("Confirm", "Stock falls in both warehouses"),
        ],
        extra=2,
        preconditions="Stock: WH1 8\r\nWH2 4",
    )
    response = client.post(url("case-create", project), data)
    case = UATCase.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == url("case-detail", project, case.key)
    assert (case.key, case.flow, case.role) == ("UAT-001", "exception", "sales_clerk")
    assert case.preconditions == "Stock: WH1 8\nWH2 4"
    assert [r.key for r in case.requirements.order_by("number")] == ["REQ-002", "REQ-003"]
    assert steps_of(case) == [
        (1, "Open a sales order for 12", "The order opens", ""),
        (2, "Pick from WH1 (8) and WH2 (4)", "Both warehouses are offered", "SO-7"),
        (3, "Confirm", "Stock falls in both warehouses", ""),
    ]
    detail = client.get(response["Location"])
    assert "UAT-001 created." in detail.content.decode()
    page = tree(detail)
    assert texts(page, "step-action") == ["Open a sales order for 12", "Pick from WH1 (8) and WH2 (4)", "Confirm"]
    assert texts(page, "case-requirement")[0].startswith("REQ-002")


def test_a_case_needs_a_step_and_both_halves_of_each(project, editor):
    client = client_for(editor)
    response = client.post(url("case-create", project), form_data(steps=[], extra=3))
    assert response.status_code == 200
    assert texts(tree(response), "steps-error") == [
        "Add at least one step: what the tester does and what should happen."
    ]
    response = client.post(url("case-create", project), form_data(steps=[("Sell 12", "")]))
    assert response.status_code == 200
    assert "Say what the tester should see after this step." in response.content.decode()
    assert not UATCase.objects.exists()


def test_step_numbers_order_the_steps_without_javascript(project, editor):
    data = form_data(steps=[("Second", "B"), ("First", "A")])
    data["steps-0-position"], data["steps-1-position"] = "2", "1"
    client_for(editor).post(url("case-create", project), data)
    assert [s[1] for s in steps_of(UATCase.objects.get())] == ["First", "Second"]


def test_an_unknown_requirement_key_is_refused_and_nothing_is_saved(project, requirements, editor):
    response = client_for(editor).post(
        url("case-create", project), form_data(keys="REQ-001 REQ-404, REQ-405", steps=[("Sell", "Sold")])
    )
    assert response.status_code == 200
    assert "This project has no requirements REQ-404, REQ-405." in response.content.decode()
    page = tree(response)
    assert page.xpath('//input[@name="title"]')[0].get("value") == "Sell more than the stock"  # kept as typed
    assert page.xpath('//textarea[@name="steps-0-action"]')[0].text_content() == "Sell"
    assert not UATCase.objects.exists()


def test_editing_reorders_rewrites_and_removes_steps(project, requirements, case, editor):
    client = client_for(editor)
    page = tree(client.get(url("case-edit", project, case.key)))
    assert page.xpath('//input[@name="requirement_keys"]')[0].get("value") == requirements[0].key
    assert page.xpath('//textarea[@name="steps-2-action"]')[0].text_content() == "Post the receipt"
    assert page.xpath('//textarea[@name="steps-4-action"]')  # two blank rows to add steps without JavaScript
    # The page moved "Post the receipt" up and removed the first step (the script renumbers the rows).
    data = form_data(
        title="Receive a short delivery",
        flow="exception",
        role="warehouse_keeper",
        keys=f"{requirements[0].key} {requirements[2].key}",
        version=case.version,
        steps=[
            ("Scan the purchase order", "The open lines show"),
            ("Post the receipt", "Stock rises by 8"),
            ("Enter 8 of 10 cartons", "A shortage of 2 is flagged and the buyer is told", "PO-2026-0042"),
        ],
        extra=1,
    )
    data["steps-0-DELETE"] = "on"
    response = client.post(url("case-edit", project, case.key), data)
    assert response.status_code == 302 and response["Location"] == url("case-detail", project, case.key)
    case.refresh_from_db()
    assert (case.title, case.version) == ("Receive a short delivery", 2)
    assert steps_of(case) == [
        (1, "Post the receipt", "Stock rises by 8", ""),
        (2, "Enter 8 of 10 cartons", "A shortage of 2 is flagged and the buyer is told", "PO-2026-0042"),
    ]
    assert [r.key for r in case.requirements.order_by("number")] == ["REQ-001", "REQ-003"]

    history = tree(client.get(url("case-history", project, case.key)))
    entries = history.xpath('//table[contains(@class, "wb-history")]/tbody/tr')
    assert len(entries) == 2  # created, then this edit
    changes = {
        dt.text_content(): " ".join(dd.text_content().split())
        for dt, dd in zip(entries[0].xpath(".//dt"), entries[0].xpath(".//dd"), strict=True)
    }
    assert [ins.text for ins in entries[0].xpath(".//dd[1]//ins")] == ["short"]  # the title's word diff
    assert changes["Requirements verified"] == "REQ-001 → REQ-001, REQ-003"
    assert changes["Step 3"] == "Post the receipt → Stock rises by 8 → (removed)"
    assert {"Step 1", "Step 2"} <= set(changes) and "Step 4" not in changes
    assert editor.get_full_name() in entries[0].text_content()


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(project, case, editor, owner):
    client = client_for(editor)
    started = case.version
    svc.case_update(
        case=UATCase.objects.get(pk=case.pk), expected_version=started, title="Changed by the owner", user=owner
    )
    data = form_data(
        title="My own title",
        role="warehouse_keeper",
        version=started,
        steps=[("My only step", "My expectation")],
    )
    response = client.post(url("case-edit", project, case.key), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your changes were not saved" in body and owner.get_full_name() in body
    page = tree(response)
    assert page.xpath('//input[@name="title"]')[0].get("value") == "My own title"
    assert page.xpath('//textarea[@name="steps-0-action"]')[0].text_content() == "My only step"
    assert page.xpath('//*[@data-testid="conflict"]')  # what is stored now, to compare
    case.refresh_from_db()
    assert case.title == "Changed by the owner" and len(steps_of(case)) == 3
    # The form now carries the current version: saving again applies the user's input.
    assert page.xpath('//input[@name="version"]')[0].get("value") == str(case.version)
    data["version"] = str(case.version)
    assert client.post(url("case-edit", project, case.key), data).status_code == 302
    case.refresh_from_db()
    assert case.title == "My own title" and steps_of(case) == [(1, "My only step", "My expectation", "")]


# Templates


def test_pulling_templates_adds_each_case_once(project, editor):
    client = client_for(editor)
    page = tree(client.get(url("case-templates", project)))
    flows = [section.get("data-flow") for section in page.xpath('//*[@data-testid="template-flow"]')]
    assert flows == ["normal", "exception"]
    keys = ["receipt-short-shipped", "return-expired-batch"]
    assert all(page.xpath(f'//input[@name="templates"][@value="{key}"]') for key in keys)

    response = client.post(url("case-templates", project), {"templates": keys}, follow=True)
    assert UATCase.objects.filter(project=project).count() == 2
    assert "2 cases added from the templates (UAT-001, UAT-002)" in response.content.decode()

    again = client.post(url("case-templates", project), {"templates": keys}, follow=True)
    assert UATCase.objects.filter(project=project).count() == 2
    assert "no case was added twice" in again.content.decode()
    page = tree(client.get(url("case-templates", project)))
    box = page.xpath('//input[@name="templates"][@value="receipt-short-shipped"]')[0]
    assert box.get("disabled") is not None and box.get("checked") is not None
    pulled = page.xpath('//*[@data-testid="case-template"][@data-key="receipt-short-shipped"]')[0]
    assert "UAT-001" in pulled.text_content()


def test_templates_pulled_in_chinese_get_chinese_titles(project, editor):
    client = client_for(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = tree(client.get(url("case-templates", project)))
    titles = texts(page, "template-title")
    assert titles and all(any("\u4e00" <= ch <= "\u9fff" for ch in title) for title in titles)
    client.post(url("case-templates", project), {"templates": ["receipt-short-shipped"]})
    case = UATCase.objects.get(project=project)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in case.title)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in case.steps.first().action)


# Detail, suspect review, delete


def test_the_detail_shows_steps_requirements_runs_and_clears_a_suspect_flag(
    project, requirements, case, editor, tester
):
    run = svc.run_create(project=project, name="UAT round 1", cases=[case])
    svc.run_start(run=run)
    run_case = run.run_cases.get()
    svc.step_record(run_case=run_case, step_order=1, status="fail", actual="Nothing opens", user=tester)
    suspects.flag_downstream(requirement=requirements[0], reason="REQ-001 changed")
    client = client_for(editor)

    page = tree(client.get(url("case-detail", project, case.key)))
    assert texts(page, "case-key") == ["UAT-001"]
    assert [e.get("data-order") for e in page.xpath('//*[@data-testid="case-step"]')] == ["1", "2", "3"]
    assert page.xpath('//*[@data-testid="case-preconditions"]//strong')[0].text == "PO-2026-0042"
    assert texts(page, "case-requirement")[0].startswith("REQ-001 Receipt against the order")
    run_row = page.xpath('//*[@data-testid="case-run"]')[0]
    assert "UAT round 1" in run_row.text_content()
    assert run_row.xpath('.//*[@data-result="fail"]')
    assert run_row.xpath(f'.//a[@href="{reverse("testing:run-detail", args=[project.code, run.pk])}"]')
    execute = reverse("testing:execute", args=[project.code, run.pk, run_case.pk])
    assert run_row.xpath(f'.//a[@href="{execute}"]')
    assert len(page.xpath('//*[@data-testid="suspect-flag"]')) == 1

    response = client.post(url("case-suspect-clear", project, case.key), {"note": "Steps still fit"}, follow=True)
    assert "UAT-001 reviewed: 1 suspect link cleared." in response.content.decode()
    assert not suspects.open_flags_for(case).exists()
    assert not tree(response).xpath('//*[@data-testid="suspect-flags"]')


def test_a_case_in_a_run_cannot_be_deleted(project, case, editor):
    svc.run_create(project=project, name="UAT round 1", cases=[case])
    client = client_for(editor)
    confirm = tree(client.get(url("case-delete", project, case.key)))
    assert confirm.xpath('//*[@data-testid="in-runs"]')
    response = client.post(url("case-delete", project, case.key), follow=True)
    assert "UAT-001 is part of a test run and cannot be deleted" in response.content.decode()
    assert UATCase.objects.filter(pk=case.pk).exists()


def test_a_case_in_no_run_is_deleted(project, case, editor):
    response = client_for(editor).post(url("case-delete", project, case.key))
    assert response.status_code == 302 and response["Location"] == url("case-list", project)
    assert not UATCase.objects.filter(pk=case.pk).exists()


# Who may do what


def test_a_viewer_reads_but_sees_no_edit_buttons_and_cannot_write(project, case, viewer):
    client = client_for(viewer)
    listing = tree(client.get(url("case-list", project)))
    assert rows(listing) == [case.key]
    assert not listing.xpath('//*[@data-testid="case-create-button" or @data-testid="case-templates-button"]')
    detail = tree(client.get(url("case-detail", project, case.key)))
    assert not detail.xpath('//*[@data-testid="case-edit-button" or @data-testid="case-delete-button"]')
    templates = tree(client.get(url("case-templates", project)))
    assert not templates.xpath('//input[@name="templates"]')
    assert client.get(url("case-history", project, case.key)).status_code == 200

    for name, args, data in [
        ("case-create", (), form_data(steps=[("A", "B")])),
        ("case-edit", (case.key,), form_data(steps=[("A", "B")], version=case.version)),
        ("case-delete", (case.key,), {}),
        ("case-templates", (), {"templates": ["receipt-short-shipped"]}),
        ("case-suspect-clear", (case.key,), {}),
    ]:
        assert client.post(url(name, project, *args), data).status_code == 403, name
    assert client.get(url("case-edit", project, case.key)).status_code == 403
    case.refresh_from_db()
    assert UATCase.objects.count() == 1 and case.version == 1


def test_an_outsider_gets_nothing(project, case, outsider_client):
    assert outsider_client.get(url("case-detail", project, case.key)).status_code == 404
    assert outsider_client.post(url("case-delete", project, case.key)).status_code == 404
