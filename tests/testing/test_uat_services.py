"""UAT rules: case keys, frozen case text, results derived from steps, retests, defects, evidence, sign-off."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from requirements import services as requirement_services
from requirements.models import ImmutableError
from testing import services as svc
from testing.models import Execution, SignOff
from testing.models.runs import Result
from tests.factories import PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def requirement(project):
    return requirement_services.requirement_create(
        project=project, title="Receipt against the order", statement="s", priority="must"
    )


@pytest.fixture
def case(project, requirement, editor):
    return svc.case_create(
        project=project,
        title="Receive a short-shipped delivery",
        flow="exception",
        role="warehouse_keeper",
        requirements=[requirement],
        steps=[
            ("Scan the purchase order", "The open lines show"),
            ("Enter 8 of 10 cartons", "A shortage of 2 is flagged", "PO-2026-0042"),
            ("Post the receipt", "Stock rises by 8"),
        ],
        user=editor,
    )


@pytest.fixture
def run(project, case, tester):
    run = svc.run_create(project=project, name="UAT round 1", environment="UAT server", cases=[case])
    svc.run_start(run=run)
    return run


def run_case_of(run):
    return run.run_cases.get()


def test_case_keys_follow_each_other_per_project(project, case):
    second = svc.case_create(project=project, title="Sell more than the stock", steps=[("Sell 5", "Refused")])
    assert (case.key, second.key) == ("UAT-001", "UAT-002")
    assert [s.order for s in case.steps.all()] == [1, 2, 3]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], Result.NOT_RUN),
        (["pass"], Result.IN_PROGRESS),
        (["pass", "pass", "pass"], Result.PASS),
        (["pass", "skipped", "pass"], Result.PASS),
        (["skipped", "skipped", "skipped"], Result.SKIPPED),
        (["pass", "blocked"], Result.BLOCKED),
        (["blocked", "fail"], Result.FAIL),
        (["pass", "pass", "fail"], Result.FAIL),
    ],
)
def test_a_case_result_follows_from_its_steps(statuses, expected):
    assert svc.derive_result(statuses, step_count=3) == expected


def test_the_case_text_is_frozen_into_a_started_run(project, case, run, editor):
    svc.case_update(
        case=case,
        expected_version=case.version,
        title="Receive a delivery (rewritten)",
        steps=[("Only one step now", "Something else")],
        user=editor,
    )
    frozen = run_case_of(run)
    assert frozen.frozen_title == "Receive a short-shipped delivery"
    assert [s["action"] for s in frozen.frozen_steps] == [
        "Scan the purchase order",
        "Enter 8 of 10 cartons",
        "Post the receipt",
    ]
    assert frozen.frozen_steps[1]["test_data"] == "PO-2026-0042"
    assert frozen.frozen_requirements == ["REQ-001"]


def test_recording_steps_derives_the_case_result(run, tester):
    run_case = run_case_of(run)
    svc.step_record(run_case=run_case, step_order=1, status="pass", user=tester)
    run_case.refresh_from_db()
    assert run_case.result == Result.IN_PROGRESS
    svc.step_record(run_case=run_case, step_order=2, status="fail", actual="No shortage shown", user=tester)
    run_case.refresh_from_db()
    assert run_case.result == Result.FAIL


def test_a_failed_step_needs_the_actual_result(run, tester):
    with pytest.raises(svc.TestingError, match="actually happened"):
        svc.step_record(run_case=run_case_of(run), step_order=2, status="fail", user=tester)
    assert not Execution.objects.exists()


def test_a_retest_is_a_new_execution_and_the_latest_counts(run, tester):
    run_case = run_case_of(run)
    svc.step_record(run_case=run_case, step_order=1, status="fail", actual="Order not found", user=tester)
    with_fix = svc.retest(run_case=run_case, user=tester)
    for order in (1, 2, 3):
        svc.step_record(run_case=run_case, step_order=order, status="pass", user=tester)
    run_case.refresh_from_db()

    assert with_fix.number == 2 and run_case.result == Result.PASS
    first, second = run_case.executions.order_by("number")
    assert (first.result, second.result) == (Result.FAIL, Result.PASS)
    assert first.steps.get().actual == "Order not found"  # the earlier attempt is kept as it was


def test_results_are_refused_before_the_run_starts(project, case, tester):
    planned = svc.run_create(project=project, name="Not yet", cases=[case])
    with pytest.raises(svc.TestingError, match="in progress"):
        svc.step_record(run_case=planned.run_cases.get(), step_order=1, status="pass", user=tester)


def test_a_defect_from_a_failing_step_carries_the_case_and_requirement(project, run, tester, requirement):
    run_case = run_case_of(run)
    svc.step_record(run_case=run_case, step_order=2, status="fail", actual="No shortage shown", user=tester)
    defect = svc.defect_raise(
        project=project, title="Shortage not flagged", user=tester, run_case=run_case, step_order=2, severity="major"
    )
    assert defect.key == "DEF-001"
    assert (defect.requirement, defect.step_order, defect.execution.number) == (requirement, 2, 1)


def test_evidence_must_be_a_photo_or_pdf_within_the_size_limit(run, tester, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run_case = run_case_of(run)
    execution = svc.step_record(run_case=run_case, step_order=1, status="pass", user=tester)

    saved = svc.evidence_add(execution=execution, upload=SimpleUploadedFile("dock.png", PNG), user=tester)
    assert saved.content_type == "image/png"
    with pytest.raises(svc.TestingError, match="photo"):
        svc.evidence_add(
            execution=execution, upload=SimpleUploadedFile("dock.png", b"MZ\x90\x00 not an image"), user=tester
        )
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * svc.EVIDENCE_MAX_BYTES)
    with pytest.raises(svc.TestingError, match="too large"):
        svc.evidence_add(execution=execution, upload=big, user=tester)
    assert execution.evidence.count() == 1


def test_signing_needs_the_password(run, owner):
    with pytest.raises(svc.TestingError, match="password"):
        svc.run_sign(run=run, user=owner, password="wrong", role="Project lead")
    assert not SignOff.objects.exists()


def test_an_open_critical_defect_blocks_signing_unless_waived(project, run, owner, tester):
    defect = svc.defect_raise(
        project=project, title="Stock goes negative", user=tester, run_case=run_case_of(run), severity="critical"
    )
    with pytest.raises(svc.TestingError, match=defect.key):
        svc.run_sign(run=run, user=owner, password=PASSWORD, role="Project lead")

    signed = svc.run_sign(
        run=run, user=owner, password=PASSWORD, role="Project lead", waiver="Fix promised before go-live"
    )
    assert signed.waiver == "Fix promised before go-live"


def test_a_signature_cannot_be_changed_or_deleted(run, owner):
    signature = svc.run_sign(run=run, user=owner, password=PASSWORD, role="Project lead", comment="OK")
    signature.comment = "changed"
    with pytest.raises(ImmutableError):
        signature.save()
    with pytest.raises(ImmutableError):
        SignOff.objects.filter(pk=signature.pk).update(comment="changed")
    with pytest.raises(ImmutableError):
        signature.delete()
    assert SignOff.objects.get().comment == "OK"


def test_a_completed_run_keeps_its_cases(project, owner, tester):
    case = svc.case_create(project=project, title="Count a shelf", steps=[("Count", "Matches")])
    spare = svc.case_create(project=project, title="Count another", steps=[("Count", "Matches")])
    run = svc.run_create(project=project, name="Round 1", cases=[case, spare])
    svc.run_start(run=run)
    svc.run_complete(run=run)
    untouched = run.run_cases.get(case=spare)
    with pytest.raises(svc.TestingError, match="completed"):
        svc.run_remove_case(run_case=untouched)
    assert run.run_cases.count() == 2
