"""A run's printable documents: the blank checklist PDF, the executed run report PDF and the results XLSX."""

import re
from datetime import datetime
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from projects.models import Membership
from requirements import services as requirement_services
from testing import reports
from testing import services as svc
from tests.conftest import PNG_1PX, client_for
from tests.factories import PASSWORD

STEPS = [
    ("Scan the purchase order", "The open lines show", "PO-2026-0042"),
    ("Enter 8 of 10 cartons", "A shortage of 2 is flagged"),
    ("Post the receipt", "Stock rises by 8"),
]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def _download(client, name, run, **query):
    response = client.get(reverse(f"testing:{name}", args=[run.project.code, run.pk]), query)
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content)


@pytest.fixture
def requirement(project):
    return requirement_services.requirement_create(
        project=project, title="Receipt against the order", statement="s", priority="must"
    )


def _case(project, requirement, n, **fields):
    fields.setdefault("title", f"Receive a short-shipped delivery {n}")
    return svc.case_create(
        project=project,
        flow="exception",
        role="warehouse_keeper",
        priority="high",
        preconditions="The purchase order is approved",
        requirements=[requirement],
        steps=STEPS,
        **fields,
    )


def _membership(project, user):
    return Membership.objects.get(project=project, user=user)


@pytest.fixture
def run(project, requirement, team):
    cases = [_case(project, requirement, n) for n in (1, 2)]
    run = svc.run_create(project=project, name="UAT round 1", environment="UAT server", build="2.3.1", cases=cases)
    first, second = run.run_cases.order_by("order")
    svc.run_assign(run_case=first, tester=_membership(project, team["tester"]))
    svc.run_assign(run_case=second, tester=_membership(project, team["editor"]))
    return run


def _start(run):
    svc.run_start(run=run)
    return list(run.run_cases.select_related("run").order_by("order"))


def _execute(run_case, user, statuses, actual="It went wrong"):
    for order, status in enumerate(statuses, start=1):
        svc.step_record(
            run_case=run_case,
            step_order=order,
            status=status,
            actual=actual if status in ("fail", "blocked") else "",
            user=user,
        )


# The blank checklist


def test_the_checklist_of_a_planned_run_is_a_draft_pdf_with_every_case_and_step(run, viewer):
    response, data = _download(client_for(viewer), "run-checklist", run)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="ACME-{run.pk}-checklist.pdf"'
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "UAT round 1" in text and "UAT server" in text and "2.3.1" in text
    assert "UAT-001" in text and "UAT-002" in text
    assert "Receive a short-shipped delivery 1" in text
    assert "Scan the purchase order" in text and "A shortage of 2 is flagged" in text and "PO-2026-0042" in text
    assert "REQ-001" in text and "The purchase order is approved" in text
    for tick in ("Pass", "Fail", "Blocked", "Skipped"):
        assert tick in text
    assert "Draft: the run has not started" in text
    assert re.search(r"Page 1 of \d+", text)


def test_the_checklist_prints_the_frozen_text_after_the_case_was_edited(project, run, editor):
    _start(run)
    case = run.run_cases.order_by("order").first().case
    svc.case_update(
        case=case,
        expected_version=case.version,
        title="Rewritten after the start",
        steps=[("A brand new step", "Something else")],
        user=editor,
    )
    text = _pdf_text(reports.checklist_pdf(reports.checklist_context(run=run)))
    assert "Receive a short-shipped delivery 1" in text and "Enter 8 of 10 cartons" in text
    assert "Rewritten after the start" not in text and "A brand new step" not in text
    assert "Case text as frozen on" in text and "Draft" not in text


def test_a_testers_checklist_holds_only_their_cases(project, run, tester, owner):
    membership = _membership(project, tester)
    _response, data = _download(client_for(owner), "run-checklist", run, tester=membership.pk)
    text = _pdf_text(data)
    assert "UAT-001" in text and "UAT-002" not in text
    assert tester.get_full_name() in text  # on the cover's tester line


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_an_unknown_tester_gets_a_message_and_no_pdf(run, owner, value):
    url = reverse("testing:run-checklist", args=[run.project.code, run.pk])
    response = client_for(owner).get(url, {"tester": value}, follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("testing:run-detail", args=[run.project.code, run.pk])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("no such member" in m for m in messages)


def test_another_projects_member_is_not_a_tester_here(run, owner, outsider):
    other = Membership.objects.get(user=outsider)
    response = client_for(owner).get(
        reverse("testing:run-checklist", args=[run.project.code, run.pk]), {"tester": other.pk}
    )
    assert response.status_code == 302


def test_a_chinese_checklist_shows_chinese_with_embedded_cjk_fonts(project, requirement, owner):
    case = svc.case_create(
        project=project,
        title="销售超出可用库存（多仓）",
        steps=[("在上海仓下单 12 件", "系统提示可用库存不足")],
        requirements=[requirement],
    )
    run = svc.run_create(project=project, name="第一轮验收", cases=[case])
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    _response, data = _download(client, "run-checklist", run)
    text = _pdf_text(data)
    assert "第一轮验收" in text and "销售超出可用库存（多仓）" in text and "系统提示可用库存不足" in text
    assert re.search(r"第 1 页", text)  # the running footer in the request's language
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts


# The run report


@pytest.fixture
def executed(project, run, team):
    """Case 1 failed (photo, critical defect), then passed on a retest; case 2 not run; signed with a waiver."""
    first, _second = _start(run)
    tester = team["tester"]
    _execute(first, tester, ["pass", "fail", "pass"], actual="No shortage is flagged")
    execution = svc.latest_execution(first)
    svc.evidence_add(
        execution=execution,
        upload=SimpleUploadedFile("shortage-screen.png", PNG_1PX, content_type="image/png"),
        user=tester,
        step_order=2,
    )
    svc.defect_raise(
        project=project,
        title="Shortage not flagged",
        user=tester,
        run_case=first,
        step_order=2,
        severity="critical",
        vendor_reference="VENDOR-4711",
    )
    svc.retest(run_case=first, user=tester)
    _execute(first, tester, ["pass", "pass", "pass"])
    svc.run_sign(
        run=run,
        user=team["owner"],
        password=PASSWORD,
        role="Warehouse business owner",
        comment="Fine for go-live",
        waiver="The vendor fixes the flag in 2.3.2",
    )
    return run


def test_the_report_lists_results_steps_defects_evidence_and_the_waiver(executed, viewer):
    response, data = _download(client_for(viewer), "run-report", executed)
    assert response["Content-Disposition"] == f'attachment; filename="ACME-{executed.pk}-report.pdf"'
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "UAT round 1" in text and "UAT-001" in text and "UAT-002" in text
    assert "Executed: 50 %" in text and "Pass rate: 100 %" in text
    assert "Attempt 2" in text and "Attempt 1: Fail" in text  # the latest, and the earlier one summarised
    assert "Not executed yet." in text  # case 2
    assert "DEF-001" in text and "Shortage not flagged" in text and "VENDOR-4711" in text and "Critical" in text
    assert "Critical defects still open: DEF-001" in text
    assert "shortage-screen.png" in text and "image/png" in text
    assert "Warehouse business owner" in text and "Fine for go-live" in text
    assert "Waiver" in text and "The vendor fixes the flag in 2.3.2" in text
    assert "Not signed yet." not in text


def test_the_report_of_an_unsigned_run_says_so(run, requirement):
    first, _second = _start(run)
    _execute(first, first.tester.user, ["pass", "blocked"], actual="The screen errors")
    text = _pdf_text(reports.report_pdf(reports.report_context(run=run)))
    assert "Not signed yet." in text
    assert "The screen errors" in text and "Blocked" in text
    assert "No defects were raised in this run." in text


def test_the_report_reads_the_same_number_of_queries_for_5_and_30_cases(project, requirement, team):
    def build(name, count):
        cases = [_case(project, requirement, f"{name}-{n}") for n in range(count)]
        run = svc.run_create(project=project, name=name, cases=cases)
        for run_case in _start(run):
            _execute(run_case, team["tester"], ["pass", "fail", "pass"])
            svc.evidence_add(
                execution=svc.latest_execution(run_case),
                upload=SimpleUploadedFile("e.png", PNG_1PX, content_type="image/png"),
                user=team["tester"],
            )
            svc.defect_raise(project=project, title="Broken", user=team["tester"], run_case=run_case, step_order=2)
            svc.retest(run_case=run_case, user=team["tester"])
            _execute(run_case, team["tester"], ["pass"])
        return run

    small, large = build("small", 5), build("large", 30)
    counts = []
    for run in (small, large):
        with CaptureQueriesContext(connection) as queries:
            context = reports.report_context(run=run)
        counts.append(len(queries))
        assert len(context["defects"]) == len(context["cases"]) == len(context["evidence"])
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as queries:
        reports.results_xlsx(run=large)
    assert len(queries) <= counts[1]


# The XLSX export


def test_the_xlsx_has_results_steps_and_defects(executed, viewer):
    response, data = _download(client_for(viewer), "run-export", executed)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="ACME-{executed.pk}-results.xlsx"'
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Results", "Steps", "Defects"]

    results = book["Results"]
    assert [c.value for c in results[1]] == [
        "Key", "Title", "Role", "Flow", "Priority", "Requirements", "Tester", "Result", "Attempts", "Finished at"
    ]  # fmt: skip
    assert results["A1"].font.bold and results.freeze_panes == "A2"
    first, second = [[c.value for c in row] for row in results.iter_rows(min_row=2)]
    assert first[:9] == [
        "UAT-001",
        "Receive a short-shipped delivery 1",
        "Warehouse keeper",
        "Exception flow",
        "High",
        "REQ-001",
        executed.run_cases.get(order=1).tester.user.get_full_name(),
        "Pass",
        2,
    ]
    assert isinstance(first[9], datetime)
    assert second[0] == "UAT-002" and second[7] == "Not run" and second[8] == 0 and second[9] is None

    steps = [[c.value for c in row] for row in book["Steps"].iter_rows(min_row=2)]
    assert [(row[0], row[1], row[4]) for row in steps] == [("UAT-001", n, "Pass") for n in (1, 2, 3)]  # attempt 2
    assert steps[0][2] == "Scan the purchase order" and isinstance(steps[0][7], datetime)

    defects = [[c.value for c in row] for row in book["Defects"].iter_rows(min_row=2)]
    assert len(defects) == 1
    assert defects[0][:8] == [
        "DEF-001", "Shortage not flagged", "Critical", "Open", "UAT-001", 2, "REQ-001", "VENDOR-4711"
    ]  # fmt: skip


def test_a_title_that_looks_like_a_formula_stays_text(project, requirement):
    case = _case(project, requirement, 1, title="=HYPERLINK(1)")
    run = svc.run_create(project=project, name="Formula", cases=[case])
    sheet = load_workbook(BytesIO(reports.results_xlsx(run=run)))["Results"]
    assert sheet["B2"].value == "=HYPERLINK(1)" and sheet["B2"].data_type == "s"


# Access


@pytest.mark.parametrize("name", ["run-checklist", "run-report", "run-export"])
def test_members_may_download_vendors_and_outsiders_may_not(name, run, team, outsider):
    url = reverse(f"testing:{name}", args=[run.project.code, run.pk])
    for role in ("viewer", "tester"):
        assert client_for(team[role]).get(url).status_code == 200
    assert client_for(team["vendor"]).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_a_run_of_another_project_is_not_found(run, outsider):
    other = Membership.objects.get(user=outsider).project
    foreign = svc.run_create(project=other, name="Theirs")
    response = client_for(run.project.memberships.get(role="owner").user).get(
        reverse("testing:run-report", args=[run.project.code, foreign.pk])
    )
    assert response.status_code == 404
