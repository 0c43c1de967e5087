"""The training pages: completion overall and per role, plans with the completion matrix and history, sessions with
attendance and quiz scores, materials (links and files served through the project only), and who may do what."""

from datetime import datetime, timedelta
from decimal import Decimal

import lxml.html
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Attendance, Membership, TrainingMaterial, TrainingPlan, TrainingSession
from projects.services import training as svc
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

PDF = b"%PDF-1.4 receiving handout"
Record = svc.AttendanceRecord


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def texts(tree, testid: str) -> list[str]:
    return [text(el) for el in tree.xpath(f'.//*[@data-testid="{testid}"]')]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def members(project, team):
    return {m.user.username: m for m in Membership.objects.filter(project=project).select_related("user")}


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def warehouse(project, members, owner):
    """3 trainees, 2 held sessions: tester and editor attended both, viewer missed the second → 2 of 3."""
    plan = svc.plan_create(
        project=project,
        role="warehouse_keeper",
        title="Receiving and counting",
        objectives="**Receive** against a purchase order <script>alert('x')</script>",
        trainees=[members["tester"], members["viewer"], members["editor"]],
        user=owner,
    )
    start = timezone.now() - timedelta(days=3)
    first = svc.session_create(plan=plan, title="Receiving", starts_at=start, trainer="Wei Li", user=owner)
    second = svc.session_create(plan=plan, title="Counting", starts_at=start + timedelta(days=1), user=owner)
    svc.attendance_save(
        session=first,
        records=[
            Record(members["tester"], "attended", Decimal("90")),
            Record(members["viewer"], "attended", Decimal("70.5")),
            Record(members["editor"], "attended"),
        ],
    )
    svc.attendance_save(
        session=second,
        records=[
            Record(members["tester"], "attended", Decimal("85")),
            Record(members["viewer"], "absent"),
            Record(members["editor"], "attended"),
        ],
    )
    return {"plan": plan, "first": first, "second": second}


# Overview --------------------------------------------------------------------------------------------------


def test_the_overview_says_what_to_do_first_when_there_is_no_plan(project, team, editor_client):
    tree = page(editor_client.get(url("training")))
    assert "No training plans yet" in texts(tree, "training-empty")[0]
    assert tree.xpath(f'//a[@href="{url("training-plan-create")}"]')
    assert tree.xpath('//*[@data-testid="golive-tabs"]//a[@aria-current="page"][contains(@href, "/training/")]')
    crumbs = [text(li) for li in tree.xpath('//ol[@class="breadcrumb"]/li')]
    assert crumbs == ["Projects", "ACME", "Go-live", "Training"]


def test_the_overview_shows_completion_per_role_and_overall(project, members, warehouse, viewer_client):
    """Warehouse 2 of 3 (66.7 %); finance: the owner attended its one held session, the vendor did not, and
    its second session is ahead → 0 of 2 until then; overall 2 of 5 = 40 %. The second session is then moved
    into the past with both of them attending the first: finance 1 of 2 (owner), overall 3 of 5 = 60 %."""
    finance = svc.plan_create(
        project=project, role="finance", title="Postings", trainees=[members["owner"], members["vendor"]]
    )
    closing = svc.session_create(plan=finance, title="Month-end close", starts_at=timezone.now() - timedelta(hours=2))
    svc.attendance_save(session=closing, records=[Record(members["owner"], "attended")])
    audit = svc.session_create(plan=finance, title="Audit trail", starts_at=timezone.now() + timedelta(days=2))

    tree = page(viewer_client.get(url("training")))
    assert texts(tree, "overall-percent") == ["40 %"]
    assert texts(tree, "sessions-held") == ["3 of 4"]
    finance_row = tree.xpath('//*[@data-testid="plan-row"][@data-role="finance"]')[0]
    assert texts(finance_row, "completion-count") == ["0 of 2 trainees complete"]
    assert texts(finance_row, "plan-next")[0].startswith("next ")
    assert texts(tree, "next-session")[0] == timezone.localtime(audit.starts_at).strftime("%Y-%m-%d")

    svc.session_update(session=audit, expected_version=audit.version, starts_at=timezone.now() - timedelta(hours=1))
    svc.attendance_save(session=audit, records=[Record(members["owner"], "attended")])
    tree = page(viewer_client.get(url("training")))
    assert texts(tree, "overall-percent") == ["60 %"]
    assert texts(tree, "sessions-held") == ["4 of 4"]
    rows = {row.get("data-role"): row for row in tree.xpath('//*[@data-testid="plan-row"]')}
    assert list(rows) == ["warehouse_keeper", "finance"]  # in the order of the roles
    warehouse_row, finance_row = rows["warehouse_keeper"], rows["finance"]
    assert texts(warehouse_row, "completion-percent") == ["66.7 %"]
    assert texts(warehouse_row, "completion-count") == ["2 of 3 trainees complete"]
    assert texts(warehouse_row, "plan-sessions") == ["2 of 2 sessions held"]
    assert texts(finance_row, "completion-percent") == ["50 %"]
    assert texts(finance_row, "completion-count") == ["1 of 2 trainees complete"]
    assert texts(finance_row, "plan-sessions") == ["2 of 2 sessions held"]
    assert texts(finance_row, "plan-next") == ["no session ahead"]
    overall = tree.xpath('//*[@data-testid="overall"]')[0]
    assert (overall.get("data-complete"), overall.get("data-trainees")) == ("3", "5")
    # A viewer sees the roles without a plan, without the buttons to add one.
    missing = [el.get("data-role") for el in tree.xpath('//*[@data-testid="add-plan-for"]')]
    assert "purchaser" in missing and "finance" not in missing and "warehouse_keeper" not in missing
    assert not tree.xpath('//a[@data-testid="add-plan-for"]')


def test_an_editor_is_offered_a_plan_for_each_role_without_one(project, warehouse, editor_client):
    tree = page(editor_client.get(url("training")))
    links = {a.get("data-role"): a for a in tree.xpath('//a[@data-testid="add-plan-for"]')}
    assert len(links) == 7
    assert text(links["purchaser"]) == "Add a plan for Purchaser"
    assert links["purchaser"].get("href") == url("training-plan-create") + "?role=purchaser"
    form = page(editor_client.get(url("training-plan-create") + "?role=purchaser"))
    assert form.xpath('//select[@name="role"]/option[@selected]')[0].get("value") == "purchaser"


# Plans -----------------------------------------------------------------------------------------------------


def plan_data(members, **overrides) -> dict:
    data = {
        "role": "purchaser",
        "title": "Purchase orders",
        "objectives": "Raise a purchase order from a reorder proposal.",
        "trainees": [members["tester"].pk, members["viewer"].pk],
    }
    return {**data, **overrides}


def test_a_plan_is_added_with_its_trainees(project, members, editor, editor_client):
    response = editor_client.post(url("training-plan-create"), plan_data(members))
    plan = TrainingPlan.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == url("training-plan", training_plan_id=plan.pk)
    assert (plan.role, plan.title) == ("purchaser", "Purchase orders")
    assert set(plan.trainees.all()) == {members["tester"], members["viewer"]}
    assert plan.history.first().history_user == editor


def test_the_trainee_checkboxes_are_grouped_by_department(project, members, editor_client):
    tree = page(editor_client.get(url("training-plan-create")))
    groups = {
        text(group.xpath('.//*[contains(@class, "subheader")]')[0]): len(group.xpath(".//input[@type='checkbox']"))
        for group in tree.xpath('//*[@data-testid="trainee-group"]')
    }
    assert groups == {"Management": 1, "IT": 1, "Warehouse": 1, "Finance": 1, "Vendor": 1}


def test_a_taken_role_is_refused_with_a_clear_message_and_the_input_kept(project, members, warehouse, editor_client):
    response = editor_client.post(
        url("training-plan-create"), plan_data(members, role="warehouse_keeper", title="Second warehouse plan")
    )
    tree = page(response)
    assert "There is already a training plan for Warehouse keeper" in text(tree)
    assert tree.xpath('//input[@name="title"]')[0].get("value") == "Second warehouse plan"
    assert TrainingPlan.objects.filter(project=project).count() == 1


def test_a_stale_plan_edit_is_refused_and_keeps_what_was_typed(project, members, warehouse, editor_client, owner):
    plan = warehouse["plan"]
    stale = plan_data(members, role="warehouse_keeper", title="Mine", version=plan.version)
    svc.plan_update(plan=plan, expected_version=plan.version, title="Theirs", user=owner)
    response = editor_client.post(url("training-plan-edit", training_plan_id=plan.pk), stale)
    tree = page(response)
    assert "changed this record" in texts(tree, "form-errors")[0]
    assert tree.xpath('//input[@name="title"]')[0].get("value") == "Mine"
    plan.refresh_from_db()
    assert plan.title == "Theirs"
    assert plan.trainees.count() == 3
    response = editor_client.post(url("training-plan-edit", training_plan_id=plan.pk), {**stale, "version": 2})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Mine" and set(plan.trainees.all()) == {members["tester"], members["viewer"]}


def test_the_plan_page_shows_the_matrix_completion_and_history(project, members, warehouse, viewer_client):
    plan = warehouse["plan"]
    svc.plan_update(plan=plan, expected_version=plan.version, trainees=[*plan.trainees.all(), members["owner"]])
    tree = page(viewer_client.get(url("training-plan", training_plan_id=plan.pk)))
    # 4 trainees now: tester and editor complete, viewer missed the second session, owner attended nothing.
    assert texts(tree, "plan-percent") == ["50 %"]
    assert texts(tree, "completion-count") == ["2 of 4 trainees complete"]
    objectives = tree.xpath('//*[@data-testid="objectives"]')[0]
    assert objectives.xpath(".//strong")[0].text == "Receive" and not objectives.xpath(".//script")
    assert texts(tree, "session-attended") == ["3 of 4", "2 of 4"]
    rows = {int(row.get("data-member")): row for row in tree.xpath('//*[@data-testid="trainee-row"]')}
    cells = {pk: [c.get("data-status") for c in row.xpath('.//*[@data-testid="cell"]')] for pk, row in rows.items()}
    assert cells == {
        members["tester"].pk: ["attended", "attended"],
        members["editor"].pk: ["attended", "attended"],
        members["viewer"].pk: ["attended", "absent"],
        members["owner"].pk: ["none", "none"],
    }
    complete = {pk: row.get("data-complete") for pk, row in rows.items()}
    assert complete == {
        members["tester"].pk: "yes",
        members["editor"].pk: "yes",
        members["viewer"].pk: "no",
        members["owner"].pk: "no",
    }
    averages = {pk: texts(row, "trainee-average")[0] for pk, row in rows.items()}
    assert averages[members["tester"].pk] == "87.5"  # (90 + 85) / 2
    assert averages[members["viewer"].pk] == "70.5"
    assert averages[members["editor"].pk] == "—"
    history = texts(tree, "history")[0]
    assert f"Trainees added{members['owner'].user.get_full_name()}" in history
    assert "training session Counting" in history
    assert not tree.xpath('//*[@data-testid="edit-plan"]')  # a viewer reads only


def test_deleting_a_plan_says_what_goes_with_it(project, warehouse, editor_client):
    plan = warehouse["plan"]
    svc.material_add(session=warehouse["first"], link="https://wiki.example.com/receiving")
    tree = page(editor_client.get(url("training-plan-delete", training_plan_id=plan.pk)))
    assert texts(tree, "delete-consequence") == [
        "Its 2 sessions, 6 attendance records and 1 material are deleted with it. The history keeps the plan."
    ]
    response = editor_client.post(url("training-plan-delete", training_plan_id=plan.pk))
    assert response.status_code == 302 and response["Location"] == url("training")
    assert not TrainingPlan.objects.exists() and not Attendance.objects.exists()


# Sessions and attendance -----------------------------------------------------------------------------------


def test_a_session_is_added_in_the_users_time_zone(project, warehouse, editor_client):
    plan = warehouse["plan"]
    data = {
        "title": "Stock-take rehearsal",
        "starts_on": "2026-12-03",
        "starts_time": "09:30",
        "duration_minutes": "90",
        "trainer": "Wei Li",
        "location": "Warehouse SH-01",
        "topics": "- blind counts",
    }
    response = editor_client.post(url("training-session-create", training_plan_id=plan.pk), data)
    session = plan.sessions.get(title="Stock-take rehearsal")
    assert response.status_code == 302 and response["Location"] == url("training-session", session_id=session.pk)
    assert timezone.localtime(session.starts_at).replace(tzinfo=None) == datetime(2026, 12, 3, 9, 30)
    assert session.duration_minutes == 90
    bad = page(editor_client.post(url("training-session-create", training_plan_id=plan.pk), {**data, "starts_on": ""}))
    assert "Enter the day of the session." in text(bad)
    assert plan.sessions.count() == 3


def test_a_stale_session_edit_is_refused(warehouse, editor_client, owner):
    session = warehouse["first"]
    data = {
        "title": "Mine",
        "starts_on": "2026-12-03",
        "starts_time": "09:30",
        "duration_minutes": "60",
        "version": session.version,
    }
    svc.session_update(session=session, expected_version=session.version, title="Theirs", user=owner)
    tree = page(editor_client.post(url("training-session-edit", session_id=session.pk), data))
    assert "changed this record" in texts(tree, "form-errors")[0]
    assert tree.xpath('//input[@name="title"]')[0].get("value") == "Mine"
    session.refresh_from_db()
    assert session.title == "Theirs"


def attendance_post(members, **rows) -> dict:
    data = {}
    for username, (status, score) in rows.items():
        data[f"attendance-status-{members[username].pk}"] = status
        data[f"attendance-score-{members[username].pk}"] = score
    return data


def test_saving_attendance_records_statuses_scores_and_who_saved_them(
    project, members, warehouse, editor, editor_client
):
    session = svc.session_create(plan=warehouse["plan"], title="Returns", starts_at=timezone.now())
    data = attendance_post(members, tester=("attended", "92.5"), viewer=("absent", ""), editor=("", ""))
    response = editor_client.post(url("training-session", session_id=session.pk), data)
    assert response.status_code == 302
    rows = {a.member_id: (a.status, a.quiz_score) for a in session.attendances.all()}
    assert rows == {members["tester"].pk: ("attended", Decimal("92.5")), members["viewer"].pk: ("absent", None)}
    assert {h.history_user for h in Attendance.history.filter(session_id=session.pk)} == {editor}
    tree = page(client_for(editor).get(url("training-session", session_id=session.pk)))
    assert texts(tree, "count-attended") == ["1"] and texts(tree, "count-absent") == ["1"]
    assert texts(tree, "count-none") == ["1"]


def test_bad_scores_are_refused_per_row_and_nothing_is_saved(project, members, warehouse, editor_client):
    session = warehouse["first"]
    before = sorted(session.attendances.values_list("member_id", "status", "quiz_score"))
    data = attendance_post(members, tester=("attended", "100.5"), viewer=("attended", "88.25"), editor=("absent", "50"))
    response = editor_client.post(url("training-session", session_id=session.pk), data)
    tree = page(response)
    errors = {
        int(row.get("data-member")): texts(row, "row-errors")
        for row in tree.xpath('//*[@data-testid="attendance-row"]')
    }
    assert errors == {
        members["tester"].pk: ["A quiz score is between 0 and 100."],
        members["viewer"].pk: ["A quiz score has at most one decimal place, e.g. 92.5."],
        members["editor"].pk: ["Only someone who attended has a quiz score."],
    }
    assert messages_of(response) == ["The attendance was not saved: correct the rows marked below."]
    assert tree.xpath(f'//input[@name="attendance-score-{members["tester"].pk}"]')[0].get("value") == "100.5"
    assert sorted(session.attendances.values_list("member_id", "status", "quiz_score")) == before


def test_a_member_who_is_not_a_trainee_cannot_be_recorded(project, members, warehouse, editor_client):
    session = warehouse["first"]
    before = sorted(session.attendances.values_list("member_id", "status", "quiz_score"))
    data = attendance_post(members, tester=("attended", "95"), viewer=("attended", ""), editor=("attended", ""))
    data.update(attendance_post(members, owner=("attended", "99")))
    tree = page(editor_client.post(url("training-session", session_id=session.pk), data))
    assert "Only the plan's trainees can be recorded" in texts(tree, "attendance-errors")[0]
    assert sorted(session.attendances.values_list("member_id", "status", "quiz_score")) == before
    assert not session.attendances.filter(member=members["owner"]).exists()


def test_deleting_a_session_says_what_goes_with_it(warehouse, editor_client):
    session = warehouse["second"]
    tree = page(editor_client.get(url("training-session-delete", session_id=session.pk)))
    assert texts(tree, "delete-consequence")[0].startswith("Its 3 attendance records and 0 materials are deleted")
    editor_client.post(url("training-session-delete", session_id=session.pk))
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


# Materials -------------------------------------------------------------------------------------------------


def test_a_material_needs_exactly_a_link_or_a_file(warehouse, editor_client):
    session = warehouse["first"]
    create = url("training-material-create", session_id=session.pk)
    both = {
        "material-title": "Handout",
        "material-link": "https://wiki.example.com/receiving",
        "material-file": SimpleUploadedFile("handout.pdf", PDF),
    }
    assert "not both" in text(page(editor_client.post(create, both)))
    assert "Add a link or choose a file." in text(page(editor_client.post(create, {"material-title": "Nothing"})))
    script = page(editor_client.post(create, {"material-link": "javascript:alert(1)"}))
    assert "Enter a valid URL." in text(script)
    assert not session.materials.exists()
    response = editor_client.post(create, {"material-link": "https://wiki.example.com/receiving"})
    assert response.status_code == 302
    assert session.materials.get().link == "https://wiki.example.com/receiving"


def test_a_file_of_the_wrong_type_is_refused_next_to_the_field(warehouse, editor_client):
    session = warehouse["first"]
    create = url("training-material-create", session_id=session.pk)
    tree = page(editor_client.post(create, {"material-file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00")}))
    assert "Attach a PDF, an office or OpenDocument file" in text(tree.xpath('//*[@id="id_material-file"]/..')[0])
    assert not session.materials.exists()


@pytest.fixture
def handout(warehouse):
    return svc.material_add(
        session=warehouse["first"], title="收货 handout", upload=SimpleUploadedFile("handout.pdf", PDF)
    )


def test_a_file_is_downloaded_as_an_attachment_without_sniffing(handout, viewer_client):
    response = viewer_client.get(url("training-material", material_id=handout.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E6%94%B6%E8%B4%A7%20handout.pdf" in disposition


def test_an_outsider_gets_404_for_a_material(handout, outsider_client):
    assert outsider_client.get(url("training-material", material_id=handout.pk)).status_code == 404
    other = ProjectFactory(code="OTHER2")
    MembershipFactory(project=other, user=UserFactory(username="stranger"), role="owner")
    # Through another project's code the material is not found either.
    stranger = client_for(Membership.objects.get(user__username="stranger").user)
    path = reverse("projects:training-material", kwargs={"project_code": "OTHER2", "material_id": handout.pk})
    assert stranger.get(path).status_code == 404


def test_a_viewer_can_download_but_not_delete_a_material(handout, viewer_client):
    delete = url("training-material-delete", material_id=handout.pk)
    assert viewer_client.get(delete).status_code == 403
    assert viewer_client.post(delete).status_code == 403
    assert TrainingMaterial.objects.filter(pk=handout.pk).exists()
    assert default_storage.exists(handout.file.name)
    tree = page(viewer_client.get(url("training-session", session_id=handout.session_id)))
    assert not tree.xpath(f'//a[@href="{delete}"]')
    assert not tree.xpath('//*[@data-testid="material-form"]') and not tree.xpath('//*[@data-testid="attendance-form"]')


def test_an_editor_deletes_a_material_with_its_file(handout, editor_client, django_capture_on_commit_callbacks):
    name = handout.file.name
    tree = page(editor_client.get(url("training-material-delete", material_id=handout.pk)))
    assert texts(tree, "delete-consequence") == ["The file is deleted; trainees can no longer download it."]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url("training-material-delete", material_id=handout.pk))
    assert response.status_code == 302
    assert not TrainingMaterial.objects.exists() and not default_storage.exists(name)


def test_a_link_material_redirects_only_to_a_web_address(warehouse, viewer_client):
    link = svc.material_add(session=warehouse["first"], link="https://wiki.example.com/receiving")
    response = viewer_client.get(url("training-material", material_id=link.pk))
    assert response.status_code == 302 and response["Location"] == "https://wiki.example.com/receiving"
    unsafe = TrainingMaterial.objects.create(session=warehouse["first"], title="Old", link="ftp://files.example.com/a")
    assert viewer_client.get(url("training-material", material_id=unsafe.pk)).status_code == 404


# Roles -----------------------------------------------------------------------------------------------------


def test_a_viewer_cannot_post_anything(members, warehouse, handout, viewer_client):
    plan, session = warehouse["plan"], warehouse["first"]
    posts = [
        (url("training-plan-create"), plan_data(members)),
        (url("training-plan-edit", training_plan_id=plan.pk), plan_data(members, version=plan.version)),
        (url("training-plan-delete", training_plan_id=plan.pk), {}),
        (url("training-session-create", training_plan_id=plan.pk), {"title": "X"}),
        (url("training-session", session_id=session.pk), attendance_post(members, tester=("absent", ""))),
        (url("training-session-edit", session_id=session.pk), {"title": "X"}),
        (url("training-session-delete", session_id=session.pk), {}),
        (url("training-material-create", session_id=session.pk), {"material-link": "https://example.com"}),
        (url("training-material-delete", material_id=handout.pk), {}),
    ]
    for path, data in posts:
        assert viewer_client.post(path, data).status_code == 403, path
    assert TrainingPlan.objects.count() == 1 and TrainingSession.objects.count() == 2
    assert session.attendances.get(member=members["tester"]).status == "attended"
    assert TrainingMaterial.objects.count() == 1


# Queries ---------------------------------------------------------------------------------------------------


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def grow(plan, sessions: int, trainees: int) -> None:
    """Add sessions and trainees to the plan, every trainee attending every session with a score."""
    project = plan.project
    for _ in range(trainees):
        plan.trainees.add(MembershipFactory(project=project, role="viewer", department="warehouse"))
    start = timezone.now() - timedelta(days=30)
    members = list(plan.trainees.all())
    for n in range(sessions):
        session = svc.session_create(plan=plan, title=f"Session {n}", starts_at=start + timedelta(days=n))
        svc.attendance_save(session=session, records=[Record(m, "attended", Decimal(80)) for m in members])
        svc.material_add(session=session, link=f"https://wiki.example.com/{n}")


@pytest.mark.parametrize(("name", "pinned"), [("training", 7), ("training-plan", 14)])
def test_the_overview_and_the_plan_page_do_not_query_per_session_or_trainee(
    project, members, warehouse, owner, name, pinned
):
    plan = warehouse["plan"]
    svc.plan_create(project=project, role="finance", title="Postings", trainees=[members["owner"]])
    client = client_for(owner)
    path = url(name) if name == "training" else url(name, training_plan_id=plan.pk)
    assert plan.sessions.count() == 2
    small = queries_for(client, path)
    grow(plan, sessions=4, trainees=3)
    assert plan.sessions.count() == 6
    assert queries_for(client, path) == small == pinned


def test_adding_and_deleting_a_material_is_in_the_session_history(warehouse, editor, editor_client):
    session = warehouse["first"]
    create = url("training-material-create", session_id=session.pk)
    editor_client.post(create, {"material-title": "Receiving checklist", "material-link": "https://wiki.example.com/r"})
    material = session.materials.get()
    editor_client.post(url("training-material-delete", material_id=material.pk))

    history = [(h.history_type, h.title, h.history_user) for h in TrainingMaterial.history.order_by("history_id")]
    assert history == [("+", "Receiving checklist", editor), ("-", "Receiving checklist", editor)]
    assert "Receiving checklist" in text(page(editor_client.get(url("training-session", session_id=session.pk))))
