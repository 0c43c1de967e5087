"""Training rules: one plan per role, trainees from the team, attendance for trainees only with valid quiz scores
(all rows or none), materials as a link or a file (exactly one, size and type checked, stored under a generated
name), and the plan page's completion agreeing with go-live's `training_completion`."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.models import Attendance, Membership, TrainingMaterial, TrainingPlan, TrainingSession
from projects.services import training as svc
from projects.services.golive import GoLiveError, training_completion
from projects.views.training import plan_progress
from tests.factories import MembershipFactory, ProjectFactory
from workbench.locking import StaleVersionError

PDF = b"%PDF-1.4 receiving handout"
Record = svc.AttendanceRecord


@pytest.fixture
def members(project, team):
    return {m.user.username: m for m in Membership.objects.filter(project=project).select_related("user")}


@pytest.fixture
def plan(project, members, owner):
    return svc.plan_create(
        project=project,
        role="warehouse_keeper",
        title="Receiving and counting",
        trainees=[members["tester"], members["viewer"], members["editor"]],
        user=owner,
    )


@pytest.fixture
def session(plan, owner):
    return svc.session_create(plan=plan, title="Receiving", starts_at=timezone.now(), user=owner)


def pdf(name="handout.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Plans -----------------------------------------------------------------------------------------------------


def test_a_role_has_one_plan_per_project(project, plan, owner):
    with pytest.raises(GoLiveError, match="already a training plan for the role Warehouse keeper"):
        svc.plan_create(project=project, role="warehouse_keeper", title="Again", user=owner)
    assert project.training_plans.count() == 1
    other = ProjectFactory(code="OTHER")
    svc.plan_create(project=other, role="warehouse_keeper", title="Their own")  # another project may
    assert other.training_plans.count() == 1


def test_moving_a_plan_to_a_taken_role_is_refused_and_nothing_changes(project, plan, owner):
    finance = svc.plan_create(project=project, role="finance", title="Postings", user=owner)
    with pytest.raises(GoLiveError, match="already a training plan"):
        svc.plan_update(plan=finance, expected_version=finance.version, role="warehouse_keeper", title="Moved")
    finance.refresh_from_db()
    assert (finance.role, finance.title, finance.version) == ("finance", "Postings", 1)


def test_trainees_come_from_the_project(project, plan):
    stranger = MembershipFactory(project=ProjectFactory(code="ELSE"))
    with pytest.raises(GoLiveError, match="members of this project"):
        svc.plan_update(plan=plan, expected_version=plan.version, trainees=[stranger])
    assert plan.trainees.count() == 3


def test_a_stale_plan_edit_is_refused(plan, members):
    svc.plan_update(plan=TrainingPlan.objects.get(pk=plan.pk), expected_version=1, title="Theirs")
    with pytest.raises(StaleVersionError):
        svc.plan_update(plan=TrainingPlan.objects.get(pk=plan.pk), expected_version=1, title="Mine", trainees=[])
    plan.refresh_from_db()
    assert plan.title == "Theirs"
    assert plan.trainees.count() == 3  # the trainees of the refused edit were not applied either


def test_changing_trainees_is_recorded_with_who_did_it(plan, members, editor):
    svc.plan_update(
        plan=plan, expected_version=plan.version, trainees=[members["tester"], members["owner"]], user=editor
    )
    latest = plan.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == editor
    assert {m.membership_id for m in latest.trainees.all()} == {members["tester"].pk, members["owner"].pk}


def test_deleting_a_plan_takes_its_sessions_attendance_materials_and_files(
    plan, session, members, django_capture_on_commit_callbacks
):
    svc.attendance_save(session=session, records=[Record(members["tester"], "attended")])
    material = svc.material_add(session=session, upload=pdf())
    name = material.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        svc.plan_delete(plan=plan)
    assert not TrainingSession.objects.exists()
    assert not Attendance.objects.exists()
    assert not TrainingMaterial.objects.exists()
    assert not default_storage.exists(name)


# Attendance ------------------------------------------------------------------------------------------------


def test_attendance_is_created_then_updated_with_the_history_user(session, members, editor):
    saved = svc.attendance_save(
        session=session,
        records=[Record(members["tester"], "attended", "92.5"), Record(members["viewer"], "absent")],
        user=editor,
    )
    assert (saved.created, saved.updated) == (2, 0)
    saved = svc.attendance_save(
        session=session,
        records=[Record(members["tester"], "attended", Decimal("92.5")), Record(members["viewer"], "attended", 70)],
        user=editor,
    )
    assert (saved.created, saved.updated, saved.unchanged) == (0, 1, 1)
    rows = {
        a.member.user.username: (a.status, a.quiz_score) for a in session.attendances.select_related("member__user")
    }
    assert rows == {"tester": ("attended", Decimal("92.5")), "viewer": ("attended", Decimal("70.0"))}
    viewer_row = session.attendances.get(member=members["viewer"])
    assert [h.history_user for h in viewer_row.history.order_by("history_date")] == [editor, editor]


def test_someone_who_is_not_a_trainee_cannot_be_recorded_and_nothing_is_saved(session, members):
    with pytest.raises(GoLiveError, match="is not a trainee of this plan"):
        svc.attendance_save(
            session=session, records=[Record(members["tester"], "attended"), Record(members["owner"], "attended")]
        )
    assert not session.attendances.exists()


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("100.1", "between 0 and 100"),
        ("-1", "between 0 and 100"),
        ("92.55", "one decimal place"),
        ("abc", "as a number"),
    ],
)
def test_a_bad_quiz_score_is_refused_and_nothing_is_saved(session, members, score, message):
    with pytest.raises(GoLiveError, match=message):
        svc.attendance_save(
            session=session,
            records=[Record(members["tester"], "attended", "80"), Record(members["viewer"], "attended", score)],
        )
    assert not session.attendances.exists()


def test_only_someone_who_attended_has_a_quiz_score(session, members):
    with pytest.raises(GoLiveError, match="only someone who attended"):
        svc.attendance_save(session=session, records=[Record(members["tester"], "absent", "50")])
    assert not session.attendances.exists()


# Materials -------------------------------------------------------------------------------------------------


def test_a_link_material_keeps_its_link_and_takes_it_as_title(session):
    material = svc.material_add(session=session, link="https://wiki.example.com/receiving")
    assert (material.title, material.link, bool(material.file)) == (
        "https://wiki.example.com/receiving",
        "https://wiki.example.com/receiving",
        False,
    )


def test_a_file_is_stored_under_a_generated_name_and_titled_after_the_upload(session):
    material = svc.material_add(session=session, upload=pdf("收货 handout.pdf"))
    stored = material.file.name
    assert material.title == "收货 handout.pdf"
    assert stored.startswith("training/") and stored.endswith(".pdf")
    assert "handout" not in stored and len(stored.rsplit("/", 1)[1]) == len("0" * 32 + ".pdf")
    with material.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"link": "https://example.com/a", "upload": "file"}, "either a link or a file, not both"),
        ({}, "Add a link or choose a file"),
        ({"link": "ftp://files.example.com/handout.pdf"}, "starts with http:// or https://"),
        ({"upload": pdf("tool.exe", b"MZ\x90\x00")}, "Attach a PDF"),
        ({"upload": pdf("handout.pdf", b"<html>not a pdf</html>")}, "is not a pdf file"),
        ({"upload": pdf("slides.pptx", b"%PDF-1.4")}, "is not a pptx file"),
    ],
)
def test_a_material_is_exactly_one_link_or_one_acceptable_file(session, kwargs, message):
    if kwargs.get("upload") == "file":
        kwargs["upload"] = pdf()
    with pytest.raises(GoLiveError, match=message):
        svc.material_add(session=session, title="Handout", **kwargs)
    assert not session.materials.exists()


def test_a_file_over_20_mb_is_refused(session):
    big = pdf()
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(GoLiveError, match="too large .* the limit is 20 MB"):
        svc.material_add(session=session, upload=big)
    assert not session.materials.exists()


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("slides.pptx", b"PK\x03\x04rest"),
        ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        ("demo.mp4", b"\x00\x00\x00\x18ftypmp42"),
        ("demo.webm", b"\x1a\x45\xdf\xa3rest"),
        ("notes.txt", b"plain words"),
    ],
)
def test_common_office_and_video_files_are_accepted(session, name, head):
    material = svc.material_add(session=session, upload=SimpleUploadedFile(name, head))
    assert material.file.name.endswith(name[name.rindex(".") :])


def test_deleting_a_material_deletes_its_file(session, django_capture_on_commit_callbacks):
    material = svc.material_add(session=session, upload=pdf())
    name = material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        svc.material_delete(material=material)
    assert not TrainingMaterial.objects.exists()
    assert not default_storage.exists(name)


# Completion ------------------------------------------------------------------------------------------------


def test_the_plan_page_computes_completion_as_go_live_does(project, plan, session, members, owner):
    """3 trainees, 2 sessions; tester attended both, viewer one of them, editor both → 2 of 3 (66.7 %)."""
    second = svc.session_create(plan=plan, title="Counting", starts_at=timezone.now() + timedelta(days=1))
    for s in (session, second):
        svc.attendance_save(
            session=s, records=[Record(members["tester"], "attended"), Record(members["editor"], "attended")]
        )
    svc.attendance_save(session=second, records=[Record(members["viewer"], "attended")])
    (role,), overall = training_completion(project)
    sessions = list(plan.sessions.all())
    rows = list(
        Attendance.objects.filter(session__plan=plan).values_list("session_id", "member_id", "status", "quiz_score")
    )
    progress = plan_progress(sessions, list(plan.trainees.select_related("user")), rows)
    assert (role.complete, role.trainees, role.percent, overall) == (2, 3, 66.7, 66.7)
    assert (progress.complete, progress.trainees, progress.percent) == (2, 3, 66.7)
