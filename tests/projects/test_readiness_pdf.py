"""The go-live readiness PDF: the cutover plan in short, every criterion with target, value, verdict and why,
training completion per role, the last finished rehearsal against the window, and the latest decision with its
signature line — in English and in Chinese, A4, for anyone who may read the project."""

import re
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from projects import readiness
from projects.models import Attendance, GoNoGoCriterion, Membership, TrainingPlan, TrainingSession
from projects.services import golive
from tests.conftest import client_for
from tests.factories import PASSWORD

Kind = GoNoGoCriterion.Kind
ROTA_ZH = "上线支持值班表已确认"


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", out)


def pdf_line(data: bytes, needle: str) -> str:
    """The first line starting with `needle` in pdftotext's layout mode (a table row's first line), spaces collapsed."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    for line in out.decode().splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if line.startswith(needle):
            return line
    raise AssertionError(f"no line with {needle!r}")


def pdf_pages(data: bytes) -> list[str]:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.findall(r"Page size:\s+(.*)", out)


def member(project, username) -> Membership:
    return Membership.objects.get(project=project, user__username=username)


def criterion(project, kind, threshold=None, **fields) -> GoNoGoCriterion:
    fields.setdefault("order", GoNoGoCriterion.objects.filter(project=project).count() + 1)
    return GoNoGoCriterion.objects.create(
        project=project, kind=kind, threshold=None if threshold is None else Decimal(str(threshold)), **fields
    )


@pytest.fixture
def ready_world(project, team):
    """A direct cutover with a 4 h window; training 3 of 4 trainees (warehouse 2 of 2, finance 1 of 2); a rehearsal
    that took 3 h 30 min; four criteria: two met, one not met, one without data."""
    plan = golive.plan_for(project)
    start = timezone.make_aware(datetime(2026, 11, 28, 20, 0))
    plan.go_live_date = date(2026, 12, 1)
    plan.window_start, plan.window_end = start, start + timedelta(hours=4)
    plan.point_of_no_return = start + timedelta(hours=3)
    plan.rollback_deadline = start + timedelta(hours=2, minutes=30)
    plan.hypercare_until = date(2026, 12, 31)
    plan.decider = member(project, "owner")
    plan.save()
    warehouse = TrainingPlan.objects.create(project=project, role="warehouse_keeper", title="Receiving")
    finance = TrainingPlan.objects.create(project=project, role="finance", title="Postings")
    warehouse.trainees.set([member(project, "tester"), member(project, "editor")])
    finance.trainees.set([member(project, "viewer"), member(project, "owner")])
    first = TrainingSession.objects.create(plan=warehouse, title="Scanner", starts_at=timezone.now())
    second = TrainingSession.objects.create(plan=finance, title="Invoices", starts_at=timezone.now())
    for username, session in [("tester", first), ("editor", first), ("viewer", second)]:
        Attendance.objects.create(session=session, member=member(project, username), status="attended")
    began = timezone.now().replace(microsecond=0) - timedelta(days=3)
    task = golive.task_create(plan=plan, title="Freeze master data")
    run = golive.run_create(plan=plan, kind="rehearsal", name="Dress rehearsal", planned_start=began)
    golive.run_start(run=run, at=began)
    golive.task_skip(run=run, task=task, reason="Frozen already")
    golive.run_finish(run=run, at=began + timedelta(hours=3, minutes=30))
    criterion(project, Kind.TRAINING_COMPLETION, 75)
    criterion(project, Kind.TRAINING_COMPLETION, 90, name="Training nearly complete")
    criterion(project, Kind.REHEARSAL_IN_WINDOW)
    criterion(project, Kind.MUST_HAVE_UAT, 95)
    criterion(project, Kind.MANUAL, name=ROTA_ZH, manual_met=True)
    return plan


def sign(project, team, outcome="go_with_conditions", conditions="Labels printed by Friday"):
    from projects import gonogo

    record = gonogo.as_record(gonogo.evaluate(project))
    return golive.decision_sign(
        project=project, user=team["owner"], password=PASSWORD, outcome=outcome, conditions=conditions, criteria=record
    )


def download(client) -> bytes:
    response = client.get(reverse("projects:readiness-pdf", args=["ACME"]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="ACME-readiness-{timezone.localdate().isoformat()}.pdf"' in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_pdf_holds_the_plan_the_criteria_training_the_rehearsal_and_the_decision(project, team, ready_world):
    sign(project, team)
    data = download(client_for(team["viewer"]))
    assert data.startswith(b"%PDF")
    assert set(pdf_pages(data)) == {"595.276 x 841.89 pts (A4)"}
    text = pdf_text(data)
    owner = team["owner"].get_full_name()
    # The plan in short.
    assert "ACME inventory upgrade" in text and "Go-live readiness" in text
    assert pdf_line(data, "Strategy") == "Strategy Direct cutover"
    assert pdf_line(data, "Cutover window") == "Cutover window 2026-11-28 20:00 – 2026-11-29 00:00 (4 h)"
    assert pdf_line(data, "Point of no return") == "Point of no return 2026-11-28 23:00"
    assert pdf_line(data, "Rollback deadline") == "Rollback deadline 2026-11-28 22:30"
    assert pdf_line(data, "Go/no-go decider") == f"Go/no-go decider {owner}"
    # Every criterion: target, value, verdict, why (the first line of each row).
    assert pdf_line(data, "Training completion (%) at").startswith(
        "Training completion (%) at least 75 % 75.0 % Met 3 of 4 trainees attended"
    )
    assert pdf_line(data, "Training nearly complete at").startswith(
        "Training nearly complete at least 90 % 75.0 % Not met"
    )
    assert pdf_line(data, "Last rehearsal finished").startswith(
        "Last rehearsal finished within the yes yes Met Dress rehearsal took 3 h 30 min"
    )
    assert pdf_line(data, "Must-have requirements with").endswith(
        "at least 95 % — No data No must-have requirement yet."
    )
    assert pdf_line(data, ROTA_ZH) == f"{ROTA_ZH} checked as met yes Met Checked: met."  # Chinese renders
    assert "3 of 5 criteria met, 1 not met, 1 without data." in text
    assert "Not ready to go. 1 criterion is not met: Training nearly complete." in text
    # Training per role, and overall.
    assert pdf_line(data, "Warehouse keeper") == "Warehouse keeper Receiving 2 2 100.0 %"
    assert pdf_line(data, "Finance Postings") == "Finance Postings 2 1 50.0 %"
    assert pdf_line(data, "Overall") == "Overall 4 3 75.0 %"
    # The last finished rehearsal against the window.
    assert pdf_line(data, "Took") == "Took 3 h 30 min · window 4 h"
    assert pdf_line(data, "Within the window") == "Within the window yes"
    # The decision and its signature line.
    assert "Go with conditions Conditions: Labels printed by Friday" in text
    assert "When it was signed, 3 of 5 criteria were met." in text
    assert f"Signed by {owner}, the named decider, on" in text


def test_without_a_decision_the_pdf_says_not_decided_yet(project, team, ready_world):
    text = pdf_text(download(client_for(team["owner"])))
    assert "Not decided yet." in text and "Signed by" not in text


def test_an_empty_project_still_prints(project, team):
    text = pdf_text(download(client_for(team["owner"])))
    assert "No cutover plan yet." in text and "No go/no-go criteria yet." in text
    assert "No training plans yet." in text and "No rehearsal has finished yet." in text
    assert "Not decided yet." in text


def test_the_pdf_in_chinese(project, team, ready_world):
    sign(project, team)
    with translation.override("zh-hans"):
        data = readiness.readiness_pdf(readiness.readiness_context(project=project))
    text = pdf_text(data)
    assert "概要" in text and "直接切换" in text and "有条件上线" in text
    assert "培训完成率（%）" in text and ROTA_ZH in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "CJK" in fonts and " yes " in fonts  # embedded


def test_the_context_costs_the_same_however_many_manual_criteria(project, team, ready_world):
    sign(project, team)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            readiness.readiness_context(project=project)
        return len(captured)

    few = count()
    for n in range(6):
        criterion(project, Kind.MANUAL, name=f"Check {n}", manual_met=True)
    assert count() == few


def test_roles_who_may_read_the_project_download_it_others_do_not(project, team, ready_world, outsider):
    for role in ("owner", "editor", "tester", "viewer"):
        assert download(client_for(team[role])).startswith(b"%PDF")
    assert client_for(team["vendor"]).get(reverse("projects:readiness-pdf", args=["ACME"])).status_code == 403
    assert client_for(outsider).get(reverse("projects:readiness-pdf", args=["ACME"])).status_code == 404
