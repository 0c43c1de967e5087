"""Execution on a phone: the tester's queue, recording steps (htmx and plain posts), evidence uploads and the
evidence files, retests, and the frozen case text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from projects.models import Membership
from requirements import services as requirement_services
from testing import services as svc
from testing.models import Evidence, Execution, StepResult
from testing.models.runs import Result
from tests.conftest import PNG_1PX, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def requirement(project):
    return requirement_services.requirement_create(
        project=project, title="Receipt against the order", statement="s", priority="must"
    )


def make_case(project, title="Receive a short-shipped delivery", requirements=(), steps=None):
    return svc.case_create(
        project=project,
        title=title,
        role="warehouse_keeper",
        flow="exception",
        preconditions="Purchase order **PO-42** is approved.",
        requirements=requirements,
        steps=steps
        or [
            ("Scan the purchase order", "The open lines show"),
            ("Enter 8 of 10 cartons", "A shortage of 2 is flagged", "PO-2026-0042"),
            ("Post the receipt", "Stock rises by 8"),
        ],
    )


def membership(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


@pytest.fixture
def case(project, requirement):
    return make_case(project, requirements=[requirement])


@pytest.fixture
def run_case(project, case, team):
    run = svc.run_create(project=project, name="UAT round 1", environment="UAT server", build="v2.3", cases=[case])
    run_case = run.run_cases.get()
    svc.run_assign(run_case=run_case, tester=membership(project, team["tester"]))
    svc.run_start(run=run)
    run_case.refresh_from_db()
    return run_case


def execute_url(run_case) -> str:
    return reverse("testing:execute", args=[run_case.run.project.code, run_case.run_id, run_case.pk])


def record_url(run_case, order: int) -> str:
    return reverse("testing:step-record", args=[run_case.run.project.code, run_case.run_id, run_case.pk, order])


def upload_url(run_case) -> str:
    return reverse("testing:evidence-upload", args=[run_case.run.project.code, run_case.run_id, run_case.pk])


def queue_url(project) -> str:
    return reverse("testing:queue", args=[project.code])


def tree(response):
    return lxml_html.fromstring(response.content.decode())


def texts(node, testid: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in node.xpath(f'//*[@data-testid="{testid}"]')]


# The queue


def test_the_queue_shows_only_my_cases_in_runs_in_progress(project, case, run_case, team):
    tester_membership = membership(project, team["tester"])
    editor_membership = membership(project, team["editor"])
    # Another case of mine in the running run, already passed: listed after the unfinished one.
    passed = make_case(project, title="Sell from the shop", steps=[("Sell 1", "Sold")])
    done = svc.run_add_cases(run=run_case.run, cases=[passed])[0]
    svc.run_assign(run_case=done, tester=tester_membership)
    svc.step_record(run_case=done, step_order=1, status="pass", user=team["tester"])
    # Someone else's case in the same run, and a case of mine in a run not started yet.
    theirs = svc.run_add_cases(run=run_case.run, cases=[make_case(project, title="Count zone A")])[0]
    svc.run_assign(run_case=theirs, tester=editor_membership)
    planned = svc.run_create(project=project, name="UAT round 2", cases=[make_case(project, title="Return a batch")])
    svc.run_assign(run_case=planned.run_cases.get(), tester=tester_membership)
    svc.run_add_cases(run=run_case.run, cases=[make_case(project, title="Nobody's case")])

    page = tree(client_for(team["tester"]).get(queue_url(project)))

    assert texts(page, "queue-title") == ["Receive a short-shipped delivery", "Sell from the shop"]
    assert texts(page, "queue-progress") == ["0 of 3 steps", "1 of 1 steps"]
    assert texts(page, "queue-finished-header") == ["Finished"]
    assert texts(page, "queue-run-todo") == ["1 to do of 2"]
    assert page.xpath('//*[@data-testid="queue-case"]/@href')[0] == execute_url(run_case)
    # One unassigned case in the running run: a count and a link, not the case itself.
    assert "1 case" in texts(page, "queue-unassigned")[0]


def test_an_empty_queue_says_so(project, team):
    page = tree(client_for(team["tester"]).get(queue_url(project)))
    assert texts(page, "queue-empty")[0].startswith("Nothing assigned to you")


def test_a_viewer_has_no_queue(project, team):
    assert client_for(team["viewer"]).get(queue_url(project)).status_code == 403


def _queue_queries(project, run, tester, more: int) -> tuple[int, int]:
    """Add `more` cases of mine, one step of two passed in each, and count the queries of the queue page."""
    tester_membership = membership(project, tester)
    cases = [make_case(project, title=f"Case {n}", steps=[("Do", "Done"), ("Check", "Fine")]) for n in range(more)]
    for run_case in svc.run_add_cases(run=run, cases=cases):
        svc.run_assign(run_case=run_case, tester=tester_membership)
        svc.step_record(run_case=run_case, step_order=1, status="pass", user=tester)
    client = client_for(tester)
    client.get(queue_url(project))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(queue_url(project))
    assert response.status_code == 200
    return len(queries), texts(tree(response), "queue-progress").count("1 of 2 steps")


def test_the_queue_query_count_does_not_grow_with_the_cases(project, team):
    run = svc.run_create(project=project, name="Big", cases=[make_case(project, title="Seed")])
    svc.run_start(run=run)
    few, rows = _queue_queries(project, run, team["tester"], 5)
    assert rows == 5
    many, rows = _queue_queries(project, run, team["tester"], 35)
    assert rows == 40
    assert few == many


# Recording steps


def test_recording_a_step_with_htmx_returns_the_step_and_the_case_result_follows(run_case, team):
    client = client_for(team["tester"])
    response = client.post(record_url(run_case, 1), {"status": "pass", "actual": ""}, **HTMX)
    assert response.status_code == 200
    fragment = tree(response)
    step = fragment.xpath('//*[@data-testid="step"]')
    assert [s.get("data-step") for s in step] == ["1"] and step[0].get("data-status") == "pass"
    status = fragment.xpath('//*[@id="case-status"]')[0]
    assert status.get("hx-swap-oob") == "true"
    assert texts(status, "case-result") == ["In progress"]
    assert texts(status, "case-progress") == ["1 of 3 steps recorded"]

    response = client.post(record_url(run_case, 2), {"status": "fail", "actual": "No shortage flagged"}, **HTMX)
    fragment = tree(response)
    assert texts(fragment, "case-result") == ["Fail"]  # any fail → fail
    assert fragment.xpath('//*[@data-testid="raise-defect"]/@href') == [
        reverse("testing:defect-create", args=[run_case.run.project.code]) + f"?run_case={run_case.pk}&step=2"
    ]
    run_case.refresh_from_db()
    assert run_case.result == Result.FAIL
    assert StepResult.objects.get(execution__run_case=run_case, step_order=2).actual == "No shortage flagged"
    # The full page shows the recording and who made it.
    page = tree(client.get(execute_url(run_case)))
    assert [s.get("data-status") for s in page.xpath('//*[@data-testid="step"]')] == ["pass", "fail", "not_run"]
    assert texts(page, "step-recorded")[1].startswith(f"Recorded by {team['tester'].get_full_name()}")


def test_without_htmx_a_recording_redirects_to_the_step(run_case, team):
    response = client_for(team["tester"]).post(record_url(run_case, 3), {"status": "skipped"})
    assert response.status_code == 302 and response["Location"] == execute_url(run_case) + "#step-3"
    assert StepResult.objects.get(execution__run_case=run_case).status == "skipped"


@pytest.mark.parametrize("htmx", [True, False])
def test_a_fail_without_the_actual_result_is_refused_on_the_step_and_nothing_is_saved(run_case, team, htmx):
    extra = HTMX if htmx else {}
    response = client_for(team["tester"]).post(record_url(run_case, 2), {"status": "fail", "actual": "  "}, **extra)
    assert response.status_code == 200
    page = tree(response)
    step = page.xpath('//*[@data-step="2"]')[0]
    assert texts(step, "step-error") == ["Say what actually happened when a step fails or is blocked."]
    assert step.get("data-status") == "not_run"
    assert not page.xpath('//*[@id="case-status"][@hx-swap-oob]')  # nothing changed, nothing to update
    assert not Execution.objects.filter(run_case=run_case).exists()
    assert not StepResult.objects.exists()


def test_a_signed_out_htmx_recording_sends_the_whole_page_to_log_in(run_case):
    response = Client().post(record_url(run_case, 1), {"status": "pass"}, **HTMX)
    assert response["HX-Redirect"] == f"{reverse('login')}?next={execute_url(run_case)}"
    assert not StepResult.objects.exists()


def test_a_recording_in_a_completed_run_is_refused_on_the_step(run_case, team):
    svc.run_complete(run=run_case.run)
    response = client_for(team["tester"]).post(record_url(run_case, 1), {"status": "pass"}, **HTMX)
    assert texts(tree(response), "step-error") == ["Results are recorded while the run is in progress."]
    assert not StepResult.objects.exists()
    page = tree(client_for(team["tester"]).get(execute_url(run_case)))
    assert texts(page, "read-only") and not page.xpath('//*[@data-testid="step-form"]')


def test_a_viewer_sees_the_results_without_buttons_and_cannot_record(run_case, team):
    svc.step_record(run_case=run_case, step_order=1, status="blocked", actual="No scanner", user=team["tester"])
    client = client_for(team["viewer"])
    page = tree(client.get(execute_url(run_case)))
    assert [s.get("data-status") for s in page.xpath('//*[@data-testid="step"]')] == ["blocked", "not_run", "not_run"]
    assert texts(page, "step-actual") == ["Actual result No scanner"]
    assert not page.xpath('//*[@data-testid="step-form"] | //*[@data-testid="evidence-form"]')
    assert client.post(record_url(run_case, 2), {"status": "pass"}, **HTMX).status_code == 403
    assert StepResult.objects.count() == 1


def test_the_page_shows_the_assignee_to_another_tester(run_case, team):
    page = tree(client_for(team["editor"]).get(execute_url(run_case)))
    assert texts(page, "case-assignee") == [f"Assigned to {team['tester'].get_full_name()}"]
    assert page.xpath('//*[@data-testid="step-form"]')  # an editor may record it all the same
    assert texts(tree(client_for(team["tester"]).get(execute_url(run_case))), "case-assignee") == ["Assigned to you"]


def test_the_frozen_text_is_shown_after_the_case_is_edited(project, case, run_case, requirement, team):
    case.refresh_from_db()
    svc.case_update(
        case=case, expected_version=case.version, title="Rewritten title", steps=[("New step", "New result")]
    )
    page = tree(client_for(team["tester"]).get(execute_url(run_case)))
    assert texts(page, "case-title") == ["Receive a short-shipped delivery"]
    assert texts(page, "step-action") == ["Scan the purchase order", "Enter 8 of 10 cartons", "Post the receipt"]
    assert "PO-42" in texts(page, "case-preconditions")[0]
    assert page.xpath('//*[@data-testid="case-requirement"]/@href') == [
        reverse("requirements:requirement-detail", args=[project.code, requirement.key])
    ]
    assert not page.xpath('//*[@data-testid="not-frozen"]')


def test_before_the_run_starts_the_live_text_shows_read_only(project, case, team):
    run = svc.run_create(project=project, name="UAT round 2", cases=[case])
    page = tree(client_for(team["tester"]).get(execute_url(run.run_cases.get())))
    assert texts(page, "not-frozen")
    assert texts(page, "case-title") == [case.title]
    assert len(page.xpath('//*[@data-testid="step"]')) == 3
    assert not page.xpath('//*[@data-testid="step-form"]')


# Evidence


def upload(client, run_case, name, content, step="", htmx=True):
    extra = HTMX if htmx else {}
    return client.post(upload_url(run_case), {"file": SimpleUploadedFile(name, content), "step": step}, **extra)


def test_a_png_is_attached_to_a_step_and_listed_with_a_thumbnail(run_case, team):
    client = client_for(team["tester"])
    response = upload(client, run_case, "shortage.png", PNG_1PX, step="2")
    fragment = tree(response)
    assert texts(fragment, "evidence-saved") == ["“shortage.png” attached."]
    evidence = Evidence.objects.get()
    assert (evidence.step_order, evidence.content_type, evidence.execution.number) == (2, "image/png", 1)
    evidence_url = reverse("testing:evidence", args=[run_case.run.project.code, evidence.pk])
    assert fragment.xpath('//*[@data-testid="evidence-thumb"]/@src') == [evidence_url]
    assert texts(fragment, "evidence-group")[0].startswith("Step 2")
    page = tree(client.get(execute_url(run_case)))
    assert texts(page, "evidence-name") == ["shortage.png"]


def test_a_text_file_named_png_is_refused_and_nothing_is_saved(run_case, team):
    response = upload(client_for(team["tester"]), run_case, "photo.png", b"just some text, not an image")
    assert texts(tree(response), "evidence-error") == ["Attach a photo (JPEG, PNG, WebP, GIF) or a PDF."]
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(run_case, team, monkeypatch):
    monkeypatch.setattr(svc, "EVIDENCE_MAX_BYTES", 50)
    response = upload(client_for(team["tester"]), run_case, "big.png", PNG_1PX + b"\x00" * 100)
    assert texts(tree(response), "evidence-error")[0].startswith("The file is too large")
    assert not Evidence.objects.exists()


def test_a_refused_upload_without_htmx_shows_the_message_on_the_page(run_case, team, monkeypatch):
    monkeypatch.setattr(svc, "EVIDENCE_MAX_BYTES", 50)
    client = client_for(team["tester"])
    response = upload(client, run_case, "big.png", PNG_1PX + b"\x00" * 100, htmx=False)
    page = client.get(response["Location"]).content.decode()
    assert "The file is too large" in page
    assert not Evidence.objects.exists()


def test_evidence_is_served_to_members_only_with_its_type_and_no_sniffing(project, run_case, team, outsider):
    execution = svc.execution_current(run_case, team["tester"])
    evidence = svc.evidence_add(
        execution=execution, upload=SimpleUploadedFile("收货单 “1”.png", PNG_1PX), user=team["tester"]
    )
    url = reverse("testing:evidence", args=[project.code, evidence.pk])
    response = client_for(team["viewer"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG_1PX
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    # Another project's member: not even told it exists, also not through their own project's URL.
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(reverse("testing:evidence", args=["OTHER", evidence.pk])).status_code == 404
    assert client_for(team["vendor"]).get(url).status_code == 403


def test_a_pdf_is_served_sandboxed(project, run_case, team):
    execution = svc.execution_current(run_case, team["tester"])
    evidence = svc.evidence_add(
        execution=execution, upload=SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n"), user=team["tester"]
    )
    response = client_for(team["tester"]).get(reverse("testing:evidence", args=[project.code, evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Disposition"] == 'inline; filename="note.pdf"'


def test_a_file_name_with_quotes_and_control_characters_makes_a_safe_header(project, run_case, team):
    execution = svc.execution_current(run_case, team["tester"])
    evidence = svc.evidence_add(execution=execution, upload=SimpleUploadedFile("a.png", PNG_1PX), user=team["tester"])
    Evidence.objects.filter(pk=evidence.pk).update(original_name='bad"\r\nname.png')
    response = client_for(team["tester"]).get(reverse("testing:evidence", args=[project.code, evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="bad\\"  name.png"'


def test_no_evidence_before_the_run_starts(project, case, team):
    run = svc.run_create(project=project, name="UAT round 2", cases=[case])
    response = upload(client_for(team["tester"]), run.run_cases.get(), "a.png", PNG_1PX)
    assert texts(tree(response), "evidence-error") == ["Results are recorded while the run is in progress."]
    assert not Execution.objects.exists()


# Retest


def test_a_retest_starts_attempt_2_and_keeps_attempt_1_visible(run_case, team):
    tester = team["tester"]
    svc.step_record(run_case=run_case, step_order=1, status="fail", actual="PO does not open", user=tester)
    execution = svc.execution_current(run_case, tester)
    svc.evidence_add(execution=execution, upload=SimpleUploadedFile("po.png", PNG_1PX), user=tester, step_order=1)
    client = client_for(tester)
    page = tree(client.get(execute_url(run_case)))
    assert page.xpath('//*[@data-testid="retest"]')

    response = client.post(reverse("testing:retest", args=[run_case.run.project.code, run_case.run_id, run_case.pk]))
    assert response.status_code == 302
    assert list(Execution.objects.filter(run_case=run_case).values_list("number", "result")) == [
        (1, "fail"),
        (2, "not_run"),
    ]
    page = tree(client.get(execute_url(run_case)))
    assert texts(page, "case-attempt") == ["Attempt 2"]
    assert texts(page, "case-result") == ["Not run"]
    assert [s.get("data-status") for s in page.xpath('//*[@data-testid="step"]')] == ["not_run"] * 3
    assert not page.xpath('//*[@data-testid="retest"]')  # nothing to retest until attempt 2 is finished
    attempts = page.xpath('//*[@data-testid="attempt"]')
    assert [a.get("data-attempt") for a in attempts] == ["1"]
    summary = " ".join(attempts[0].xpath("./summary")[0].text_content().split())
    assert summary.startswith(f"Attempt 1 — Fail — by {tester.get_full_name()}")
    assert "PO does not open" in attempts[0].text_content()
    assert [e.text_content().strip() for e in attempts[0].xpath('.//*[@data-testid="evidence-name"]')] == ["po.png"]
    assert texts(page, "evidence-empty")  # the new attempt has none yet


# Navigation


def test_next_and_previous_follow_my_queue(project, run_case, team):
    second = svc.run_add_cases(run=run_case.run, cases=[make_case(project, title="Sell from the shop")])[0]
    svc.run_assign(run_case=second, tester=membership(project, team["tester"]))
    client = client_for(team["tester"])
    first_page = tree(client.get(execute_url(run_case)))
    assert first_page.xpath('//*[@data-testid="next-case"]/@href') == [execute_url(second)]
    assert not first_page.xpath('//*[@data-testid="previous-case"]')
    second_page = tree(client.get(execute_url(second)))
    assert second_page.xpath('//*[@data-testid="previous-case"]/@href') == [execute_url(run_case)]
    crumbs = [" ".join(li.text_content().split()) for li in second_page.xpath('//ol[@class="breadcrumb"]/li')]
    assert crumbs[-3:] == ["UAT", "UAT round 1", second.frozen_key or "UAT-002"]


def test_the_case_page_query_count_does_not_grow_with_attempts_and_evidence(run_case, team):
    tester = team["tester"]
    client = client_for(tester)

    def attempt(photos: int) -> int:
        for order in (1, 2, 3):
            svc.step_record(run_case=run_case, step_order=order, status="fail", actual="Broken", user=tester)
        execution = svc.execution_current(run_case, tester)
        for n in range(photos):
            svc.evidence_add(
                execution=execution, upload=SimpleUploadedFile(f"{n}.png", PNG_1PX), user=tester, step_order=n % 3 + 1
            )
        svc.defect_raise(project=run_case.run.project, title="Broken", user=tester, run_case=run_case, step_order=1)
        client.get(execute_url(run_case))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(execute_url(run_case)).status_code == 200
        svc.retest(run_case=run_case, user=tester)
        return len(queries)

    assert attempt(1) == attempt(4) == attempt(6)
