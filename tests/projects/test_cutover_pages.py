"""The cutover plan and runbook pages: the plan with its checks, the runbook in schedule order with its forecast and
critical path, tasks with the numbers they come after, the template, CSV export and import, and who may do what.

The runbook of most tests, in a window from Friday 20 November 2026 18:00 to Saturday 02:00 (Shanghai time):

    1 Freeze master data        60 min                 18:00–19:00   critical path
    2 Final stock count        120 min   after 1       19:00–21:00   critical path
    3 Back up the old system    30 min   after 1       19:00–19:30   slack 1 h 30 min (4 waits for 2 until 21:00)
    4 Load opening stock        90 min   after 2, 3    21:00–22:30   critical path

so the forecast end is 22:30, 3 h 30 min before the window closes.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.models import CutoverPlan, CutoverTask, Membership
from projects.runbook_csv import runbook_export
from projects.runbook_template import TEMPLATE
from projects.services import golive as svc
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def row_html(html: str, number: int) -> str:
    match = re.search(rf'<tr id="task-{number}".*?</tr>', html, re.DOTALL)
    assert match, f"no row for task {number}"
    return match.group(0)


def shown_numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="task-row" data-number="(\d+)"', response.content.decode())]


def field_errors(response, name: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(name, [])]


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def members(project, team):
    return {m.user.username: m for m in Membership.objects.filter(project=project)}


@pytest.fixture
def plan(project, members):
    plan = svc.plan_for(project)
    plan.go_live_date = datetime(2026, 11, 21).date()
    plan.window_start, plan.window_end = at(20, 18), at(21, 2)
    plan.save()
    return plan


@pytest.fixture
def tasks(plan, members):
    freeze = svc.task_create(plan=plan, title="Freeze master data", stream="business", duration_minutes=60)
    count = svc.task_create(
        plan=plan,
        title="Final stock count",
        stream="business",
        duration_minutes=120,
        predecessors=[freeze],
        owner=members["tester"],
    )
    backup = svc.task_create(
        plan=plan,
        title="Back up the old system",
        stream="technical",
        duration_minutes=30,
        predecessors=[freeze],
        owner=members["editor"],
        backup=members["tester"],
    )
    load = svc.task_create(
        plan=plan,
        title="Load opening stock",
        stream="data",
        kind="validation",
        duration_minutes=90,
        predecessors=[count, backup],
    )
    return {1: freeze, 2: count, 3: backup, 4: load}


def plan_data(plan: CutoverPlan, **changes) -> dict:
    data = {
        "version": plan.version,
        "strategy": "direct",
        "go_live_date": "2026-11-21",
        "window_start": "2026-11-20T18:00",
        "window_end": "2026-11-21T02:00",
        "point_of_no_return": "2026-11-21T00:00",
        "rollback_deadline": "2026-11-20T23:00",
        "parallel_until": "",
        "comparison_checks": "",
        "contingency_plan": "",
        "hypercare_until": "2026-12-04",
        "decider": "",
    }
    data.update(changes)
    return data


def task_data(**changes) -> dict:
    data = {
        "title": "Switch the tills",
        "stream": "technical",
        "kind": "normal",
        "owner": "",
        "backup": "",
        "duration_minutes": "30",
        "after": "",
        "fixed_start": "",
        "description": "",
    }
    data.update(changes)
    return data


# --- The plan ---------------------------------------------------------------------------------------------------


def test_a_new_project_sees_what_to_do_first_and_reading_creates_nothing(project, team):
    response = client_for(team["viewer"]).get(url("cutover-plan"))
    assert response.status_code == 200
    assert b'data-testid="plan-empty"' in response.content
    assert "No cutover plan yet" in response.content.decode()
    for name in ("runbook", "cutover-plan-history"):
        assert client_for(team["viewer"]).get(url(name)).status_code == 200
    assert not CutoverPlan.objects.filter(project=project).exists()


def test_the_plan_page_shows_the_strategy_window_and_the_runbook_in_numbers(plan, tasks, members, team):
    plan.strategy = "parallel"
    plan.parallel_until = datetime(2026, 11, 27).date()
    plan.comparison_checks = "Compare **stock per warehouse** daily<script>alert(1)</script>"
    plan.contingency_plan = "If the tills cannot post sales for 30 minutes: *roll back*."
    plan.hypercare_until = datetime(2026, 12, 4).date()
    plan.decider = members["owner"]
    plan.save()
    html = client_for(team["viewer"]).get(url("cutover-plan")).content.decode()
    assert "Parallel run" in html and "Both systems run side by side" in html
    assert "2026-11-20 18:00 – 2026-11-21 02:00" in html and "(8 h)" in html
    assert "<strong>stock per warehouse</strong>" in html and "<script>alert(1)</script>" not in html
    assert "<em>roll back</em>" in html
    assert "2026-11-27" in html  # parallel run until
    assert "13 days after go-live" in html  # 21 November to 4 December
    summary = re.search(r'data-testid="runbook-summary".*?</div>\s*</div>', html, re.DOTALL).group(0)
    assert 'data-testid="summary-count">4<' in summary
    assert "2026-11-20 22:30" in summary
    assert "3 tasks, 4 h 30 min" in summary  # 1 → 2 → 4, 18:00 to 22:30
    assert "fits, 3 h 30 min to spare" in summary


def test_plan_checks_say_what_is_wrong_next_to_each_field_and_keep_what_was_typed(plan, members, team):
    client = client_for(team["owner"])
    outsider = MembershipFactory(project=ProjectFactory(code="ELSE"), user=UserFactory(username="stranger"))
    response = client.post(
        url("cutover-plan-edit"),
        plan_data(
            plan,
            window_end="2026-11-20T17:00",
            parallel_until="2026-11-20",
            hypercare_until="2026-11-19",
            decider=str(outsider.pk),
        ),
    )
    assert response.status_code == 200
    assert field_errors(response, "window_end") == ["The cutover window must end after it starts (2026-11-20 18:00)."]
    assert field_errors(response, "parallel_until") == [
        "The parallel run cannot end before the go-live date (2026-11-21)."
    ]
    assert field_errors(response, "hypercare_until") == ["Hypercare cannot end before the go-live date (2026-11-21)."]
    assert field_errors(response, "decider") == ["The go/no-go decider must be a member of this project."]
    assert 'value="2026-11-20T17:00"' in response.content.decode()  # what was typed stays

    response = client.post(
        url("cutover-plan-edit"),
        plan_data(plan, point_of_no_return="2026-11-21T03:00", rollback_deadline="2026-11-20T17:30"),
    )
    window = "2026-11-20 18:00 – 2026-11-21 02:00"
    assert field_errors(response, "point_of_no_return") == [
        f"The point of no return must be inside the cutover window ({window})."
    ]
    assert field_errors(response, "rollback_deadline") == [
        f"The rollback deadline must be inside the cutover window ({window})."
    ]

    response = client.post(
        url("cutover-plan-edit"),
        plan_data(plan, point_of_no_return="2026-11-20T22:00", rollback_deadline="2026-11-20T23:00"),
    )
    assert field_errors(response, "rollback_deadline") == [
        "The rollback deadline cannot be after the point of no return (2026-11-20 22:00): past that point there is "
        "nothing to roll back to."
    ]
    plan.refresh_from_db()
    assert plan.version == 1 and plan.point_of_no_return is None and plan.hypercare_until is None


def test_a_valid_plan_is_saved_with_its_history(plan, members, team):
    response = client_for(team["owner"]).post(
        url("cutover-plan-edit"), plan_data(plan, strategy="phased", decider=str(members["owner"].pk))
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2 and plan.strategy == "phased" and plan.decider == members["owner"]
    assert plan.point_of_no_return == at(21, 0) and plan.rollback_deadline == at(20, 23)
    history = client_for(team["viewer"]).get(url("cutover-plan-history")).content.decode()
    assert "Phased" in history and "2026-11-21 00:00" in history


def test_the_first_save_creates_the_plan(project, team):
    client = client_for(team["owner"])
    form = client.get(url("cutover-plan-edit")).context["form"]
    assert form["strategy"].value() == "direct" and not CutoverPlan.objects.filter(project=project).exists()
    data = plan_data(CutoverPlan(), version="", contingency_plan="Roll back if the tills cannot post sales.")
    assert client.post(url("cutover-plan-edit"), data).status_code == 302
    plan = CutoverPlan.objects.get(project=project)
    assert plan.window_start == at(20, 18) and plan.contingency_plan.startswith("Roll back")
    html = client.get(url("cutover-plan")).content.decode()
    assert 'data-testid="plan-empty"' not in html and "Roll back if the tills cannot post sales." in html


def test_a_stale_plan_edit_is_refused_and_keeps_the_other_save(plan, members, team):
    client = client_for(team["editor"])
    opened = client.get(url("cutover-plan-edit")).context["form"]["version"].value()
    svc.plan_update(plan=plan, expected_version=plan.version, user=team["owner"], contingency_plan="Roll back at 23:00")
    response = client.post(url("cutover-plan-edit"), plan_data(plan, version=opened, contingency_plan="Mine"))
    assert response.status_code == 200
    assert "after you opened it" in " ".join(response.context["form"].non_field_errors())
    assert "Mine" in response.content.decode()  # kept to copy
    plan.refresh_from_db()
    assert plan.contingency_plan == "Roll back at 23:00" and plan.version == 2


def test_phases_are_added_edited_and_deleted_leaving_their_tasks_in_the_runbook(plan, tasks, team):
    plan.strategy = "phased"
    plan.save()
    client = client_for(team["editor"])
    assert (
        client.post(url("phase-create"), {"order": "", "name": "Central warehouse", "scope": "SH-01"}).status_code
        == 302
    )
    client.post(url("phase-create"), {"order": "", "name": "Stores", "scope": "", "starts_on": "2026-12-01"})
    first, stores = plan.phases.order_by("order")
    assert (first.order, stores.order) == (1, 2)
    client.post(url("phase-edit", phase_id=stores.pk), {"order": "2", "name": "All stores", "scope": "18 stores"})
    stores.refresh_from_db()
    assert stores.name == "All stores" and stores.starts_on is None
    svc.task_update(task=tasks[2], expected_version=tasks[2].version, phase=stores)
    html = client.get(url("cutover-plan")).content.decode()
    assert "All stores" in html and "18 stores" in html
    response = client.post(url("phase-delete", phase_id=stores.pk))
    assert "its 1 task stays in the runbook" in messages_of(client.get(url("cutover-plan")))[0]
    assert response.status_code == 302
    tasks[2].refresh_from_db()
    assert tasks[2].phase is None and plan.phases.count() == 1


# --- The runbook ------------------------------------------------------------------------------------------------


def test_the_runbook_shows_tasks_in_schedule_order_with_forecast_end_slack_and_the_critical_path(plan, tasks, team):
    response = client_for(team["viewer"]).get(url("runbook"))
    assert response.status_code == 200
    html = response.content.decode()
    assert shown_numbers(response) == [1, 2, 3, 4]
    assert 'data-testid="figure-count">4<' in html
    assert 'data-testid="figure-end">2026-11-20 22:30<' in html
    assert 'data-testid="figure-window-end">2026-11-21 02:00<' in html
    assert "fits, 3 h 30 min to spare" in html
    for number in (1, 2, 4):
        assert 'data-critical="yes"' in row_html(html, number)
    third = row_html(html, 3)
    assert 'data-critical="yes"' not in third and "1 h 30 min" in third and 'data-slack="90"' in third
    assert "2026-11-20 19:00 – 19:30" in third
    fourth = row_html(html, 4)
    assert re.search(r'href="/p/ACME/golive/runbook/tasks/2/" class="wb-key">2</a>', fourth)  # after 2, 3 as links
    assert "Validation (pass/fail)" in fourth and "1 h 30 min" in fourth
    assert reverse("projects:runbook-gantt", kwargs={"project_code": "ACME"}) in html
    assert reverse("projects:runbook-dependencies", kwargs={"project_code": "ACME"}) in html


def test_a_runbook_that_ends_after_the_window_says_by_how_much(plan, tasks, team):
    plan.window_end = at(20, 21)
    plan.save()
    html = client_for(team["viewer"]).get(url("runbook")).content.decode()
    assert "over by 1 h 30 min" in html and 'data-fit="no"' in html


def test_filters_narrow_the_runbook_and_count_what_they_show(plan, tasks, members, team):
    client = client_for(team["viewer"])
    response = client.get(url("runbook"), {"critical": "1"})
    assert shown_numbers(response) == [1, 2, 4]
    assert "3 of 4 tasks" in response.content.decode()
    assert shown_numbers(client.get(url("runbook"), {"stream": "business"})) == [1, 2]
    assert shown_numbers(client.get(url("runbook"), {"q": "stock"})) == [2, 4]
    assert shown_numbers(client.get(url("runbook"), {"q": "#3"})) == [3]
    assert shown_numbers(client.get(url("runbook"), {"person": members["tester"].pk})) == [2, 3]  # owner or backup
    assert shown_numbers(client.get(url("runbook"), {"kind": "validation", "critical": "1"})) == [4]
    response = client.get(url("runbook"), {"kind": "gate"})
    assert shown_numbers(response) == [] and b'data-testid="runbook-no-match"' in response.content
    html = client.get(url("runbook")).content.decode()
    assert "Business (2)" in html and "Data (1)" in html and "Critical path only (3)" in html


def test_an_empty_runbook_offers_the_template_the_import_and_a_first_task(plan, team):
    html = client_for(team["editor"]).get(url("runbook")).content.decode()
    assert 'data-testid="runbook-empty"' in html
    assert f"Add the 进销存 runbook template ({len(TEMPLATE)} tasks)" in html
    assert url("runbook-import") in html and url("task-create") in html


# --- Tasks ------------------------------------------------------------------------------------------------------


def test_a_task_is_created_after_the_numbers_typed_in_any_separator(plan, tasks, members, team):
    client = client_for(team["editor"])
    response = client.post(
        url("task-create"),
        task_data(after="4，3、 2", owner=str(members["editor"].pk), backup=str(members["tester"].pk)),
    )
    created = plan.tasks.get(number=5)
    assert response.status_code == 302 and response["Location"] == url("task-detail", task_number=5)
    assert sorted(p.number for p in created.predecessors.all()) == [2, 3, 4]
    assert created.owner == members["editor"] and created.backup == members["tester"]
    detail = client.get(url("task-detail", task_number=5)).content.decode()
    assert "2026-11-20 22:30" in detail  # starts when 4 ends
    assert "Switch the tills" in detail


def test_unknown_numbers_are_refused_naming_them_and_nothing_is_created(plan, tasks, team):
    response = client_for(team["editor"]).post(url("task-create"), task_data(after="2, 9, 12"))
    assert response.status_code == 200
    assert field_errors(response, "after") == ["There are no tasks 9, 12 in the runbook."]
    assert 'value="2, 9, 12"' in response.content.decode()
    response = client_for(team["editor"]).post(url("task-create"), task_data(after="2, three"))
    assert field_errors(response, "after") == [
        "“three” is not a task number: write numbers separated by commas, e.g. 3, 5, 12."
    ]
    assert plan.tasks.count() == 4


def test_a_circle_is_refused_showing_it_and_nothing_is_saved(plan, tasks, team):
    freeze = tasks[1]
    data = task_data(title="Freeze master data, all of it", stream="business", duration_minutes="60", after="4")
    response = client_for(team["editor"]).post(url("task-edit", task_number=1), {**data, "version": freeze.version})
    assert response.status_code == 200
    assert field_errors(response, "after") == ["Those tasks would wait for each other in a circle: 1 → 4 → 2 → 1."]
    freeze.refresh_from_db()
    assert freeze.title == "Freeze master data" and freeze.version == 1 and not freeze.predecessors.exists()


def test_a_task_edit_is_versioned_and_its_history_shows_what_it_comes_after(plan, tasks, team):
    client = client_for(team["editor"])
    load = tasks[4]
    form = client.get(url("task-edit", task_number=4)).context["form"]
    assert form["after"].value() == "2, 3"
    data = task_data(title="Load opening stock", stream="data", kind="validation", duration_minutes="120", after="2")
    assert client.post(url("task-edit", task_number=4), {**data, "version": 1}).status_code == 302
    load.refresh_from_db()
    assert load.version == 2 and load.duration_minutes == 120
    assert [p.number for p in load.predecessors.all()] == [2]
    stale = client.post(url("task-edit", task_number=4), {**data, "duration_minutes": "45", "version": 1})
    assert "after you opened it" in " ".join(stale.context["form"].non_field_errors())
    load.refresh_from_db()
    assert load.duration_minutes == 120
    history = client_for(team["viewer"]).get(url("task-detail", task_number=4)).context["page_obj"].object_list
    changes = [(c.label, c.old, c.new) for entry in history for c in entry.changes]
    assert ("after", "2, 3", "2") in changes
    assert ("duration (minutes)", "90", "120") in changes


def test_a_milestone_takes_no_time(plan, tasks, team):
    response = client_for(team["editor"]).post(url("task-create"), task_data(kind="milestone", duration_minutes="15"))
    assert field_errors(response, "duration_minutes") == [
        "A milestone marks a moment and takes no time: set 0 minutes."
    ]


def test_the_task_page_shows_its_links_forecast_and_how_long_it_took_in_each_run(plan, tasks, team):
    run = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at(13, 18))
    svc.run_start(run=run, at=at(13, 18))
    svc.task_start(run=run, task=tasks[1], at=at(13, 18))
    svc.task_finish(run=run, task=tasks[1], outcome="done", at=at(13, 19, 25))
    html = client_for(team["viewer"]).get(url("task-detail", task_number=1)).content.decode()
    successors = re.search(r'data-testid="task-successors">(.*?)</ul>', html, re.DOTALL).group(1)
    assert ">2</a>Final stock count" in successors and ">3</a>Back up the old system" in successors
    assert 'data-testid="forecast-finish">2026-11-20 19:00<' in html
    run_row = re.search(r'data-testid="task-run-row".*?</tr>', html, re.DOTALL).group(0)
    assert "Rehearsal 1" in run_row and "Done" in run_row
    assert 'data-minutes="85"' in run_row and "1 h 25 min" in run_row and "+25 min" in run_row


def test_a_task_a_run_recorded_cannot_be_deleted(plan, tasks, team):
    run = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at(13, 18))
    svc.run_start(run=run, at=at(13, 18))
    svc.task_start(run=run, task=tasks[1], at=at(13, 18))
    client = client_for(team["editor"])
    page = client.get(url("task-delete", task_number=1)).content.decode()
    assert 'data-testid="delete-blocked"' in page and "Rehearsal 1" in page
    response = client.post(url("task-delete", task_number=1), follow=True)
    assert "Task 1 cannot be deleted: it was run in Rehearsal 1" in messages_of(response)[0]
    assert plan.tasks.filter(number=1).exists()
    # Task 3 was not reached yet (pending in the run): it goes, and task 4 no longer waits for it.
    page = client.get(url("task-delete", task_number=3)).content.decode()
    assert ">4</a>Load opening stock" in re.search(
        r'data-testid="delete-successors">(.*?)</ul>', page, re.DOTALL
    ).group(1)
    response = client.post(url("task-delete", task_number=3), follow=True)
    assert "task 4 no longer comes after it" in messages_of(response)[0]
    assert not plan.tasks.filter(number=3).exists()
    assert [p.number for p in tasks[4].predecessors.all()] == [2]
    history = client.get(url("task-detail", task_number=4)).context["page_obj"].object_list
    assert ("after", "2, 3", "2") in [(c.label, c.old, c.new) for entry in history for c in entry.changes]


# --- The template and CSV ---------------------------------------------------------------------------------------


def test_the_template_adds_its_tasks_once(plan, team):
    client = client_for(team["editor"])
    preview = client.get(url("runbook-template"))
    assert len(preview.context["rows"]) == 46 == len(TEMPLATE)
    response = client.post(url("runbook-template"), follow=True)
    assert messages_of(response) == ["46 tasks of the template added to the runbook."]
    assert plan.tasks.count() == 46
    response = client.post(url("runbook-template"), follow=True)
    assert messages_of(response) == ["The runbook already has every task of the template: nothing was added."]
    assert plan.tasks.count() == 46
    assert client.get(url("runbook-template")).context["rows"] == []


def test_the_template_is_added_in_the_language_of_the_page(project, team):
    client = client_for(team["editor"])
    client.post(url("runbook-template"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    first = CutoverTask.objects.get(plan__project=project, number=1)
    assert re.search(r"[\u4e00-\u9fff]", first.title)


def test_the_csv_export_and_import_round_trip(plan, tasks, team):
    client = client_for(team["editor"])
    response = client.get(url("runbook-csv"))
    assert response["Content-Disposition"] == 'attachment; filename="ACME-runbook.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("number,title,stream,type")

    same = client.post(url("runbook-import"), {"file": csv_file(text)})
    assert same.context["result"].unchanged == 4 and same.context["created"] == [] and same.context["updated"] == []

    edited = text.replace("Final stock count", "Final stock count of all warehouses")
    edited += "5,Switch the tills,technical,normal,editor,,45,,4,\r\n"
    preview = client.post(url("runbook-import"), {"file": csv_file(edited)})
    html = preview.content.decode()
    assert 'data-created="1" data-updated="1" data-unchanged="3"' in html
    assert "Final stock count of all warehouses" in html and "Switch the tills" in html
    assert plan.tasks.count() == 4  # the preview changed nothing
    assert CutoverTask.objects.get(plan=plan, number=2).title == "Final stock count"

    applied = client.post(url("runbook-import"), {"action": "apply", "digest": preview.context["digest"]}, follow=True)
    assert messages_of(applied) == ["Runbook imported: 1 new, 1 updated, 3 unchanged."]
    assert CutoverTask.objects.get(plan=plan, number=2).title == "Final stock count of all warehouses"
    switch = CutoverTask.objects.get(plan=plan, number=5)
    assert switch.duration_minutes == 45 and [p.number for p in switch.predecessors.all()] == [4]
    assert runbook_export(plan).decode("utf-8-sig").count("\r\n") == 6  # header and five tasks


def test_a_bad_file_shows_its_row_errors_and_changes_nothing(plan, tasks, team):
    bad = "number,title,stream,after\r\n5,Switch the tills,robots,\r\n6,Open the stores,business,99\r\n"
    response = client_for(team["editor"]).post(url("runbook-import"), {"file": csv_file(bad)})
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert errors[0][0] == 2 and "Unknown stream “robots”" in errors[0][1]
    assert errors[1] == (3, "Task 99 is neither in the file nor in the runbook.")
    html = response.content.decode()
    assert 'data-testid="import-refused"' in html and 'data-testid="import-apply"' not in html
    assert plan.tasks.count() == 4


def test_a_gb18030_file_is_read_and_a_second_upload_replaces_the_first(plan, tasks, team):
    client = client_for(team["editor"])
    first = client.post(url("runbook-import"), {"file": csv_file("编号,标题\r\n5,切换收银台\r\n", "gb18030")})
    assert [row["title"] for row in first.context["created"]] == ["切换收银台"]
    second = client.post(url("runbook-import"), {"file": csv_file("编号,标题,前置任务\r\n6,开店,4\r\n")})
    stale = client.post(url("runbook-import"), {"action": "apply", "digest": first.context["digest"]})
    assert "Another file was uploaded since this preview" in messages_of(stale)[0]
    assert plan.tasks.count() == 4
    client.post(url("runbook-import"), {"action": "apply", "digest": second.context["digest"]})
    assert list(plan.tasks.order_by("number").values_list("number", "title"))[-1] == (6, "开店")
    assert not plan.tasks.filter(number=5).exists()


def csv_file(text: str, encoding: str = "utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("runbook.csv", text.encode(encoding), content_type="text/csv")


# --- Roles and speed --------------------------------------------------------------------------------------------


def test_a_viewer_reads_everything_and_changes_nothing(plan, tasks, team):
    client = client_for(team["viewer"])
    for name, kwargs in (
        ("cutover-plan", {}),
        ("runbook", {}),
        ("task-detail", {"task_number": 1}),
        ("cutover-plan-history", {}),
        ("runbook-csv", {}),
    ):
        assert client.get(url(name, **kwargs)).status_code == 200, name
    html = client.get(url("runbook")).content.decode()
    assert url("task-create") not in html and url("runbook-import") not in html
    for name, kwargs, data in (
        ("task-create", {}, task_data()),
        ("task-edit", {"task_number": 1}, task_data()),
        ("task-delete", {"task_number": 3}, {}),
        ("cutover-plan-edit", {}, plan_data(plan)),
        ("runbook-template", {}, {}),
        ("runbook-import", {}, {}),
        ("phase-create", {}, {"name": "Stores"}),
    ):
        assert client.post(url(name, **kwargs), data).status_code == 403, name
    assert client_for(team["tester"]).post(url("task-create"), task_data()).status_code == 403
    assert plan.tasks.count() == 4 and plan.phases.count() == 0


def grow_runbook(plan, count: int, members) -> None:
    """Tasks in a chain with owners, backups and a phase, so that every related row is shown."""
    phase = plan.phases.first() or svc.phase_create(plan=plan, name="Central warehouse")
    previous = list(plan.tasks.order_by("-number")[:1])
    for index in range(count):
        task = svc.task_create(
            plan=plan,
            title=f"Task {index}",
            duration_minutes=15,
            predecessors=previous,
            owner=members["editor"],
            backup=members["tester"],
            phase=phase,
        )
        previous = [task]


@pytest.mark.parametrize(("name", "pinned"), [("runbook", 6), ("cutover-plan", 9)])
def test_the_runbook_pages_cost_the_same_queries_for_5_and_40_tasks(plan, members, team, name, pinned):
    client = client_for(team["viewer"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(name))
        assert response.status_code == 200
        return len(captured)

    grow_runbook(plan, 5, members)
    small = queries()
    grow_runbook(plan, 35, members)
    assert plan.tasks.count() == 40
    assert queries() == small == pinned


def test_a_long_runbook_is_shown_a_hundred_tasks_at_a_time(project, owner):
    from projects.models import CutoverTask
    from projects.services import golive as golive_services

    plan = golive_services.plan_for(project)
    CutoverTask.objects.bulk_create(
        CutoverTask(plan=plan, number=n, title=f"Step {n}", duration_minutes=10) for n in range(1, 106)
    )
    client = client_for(owner)
    url = reverse("projects:runbook", kwargs={"project_code": project.code})

    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()

    assert first.count('data-testid="task-row"') == 100
    assert second.count('data-testid="task-row"') == 5
    assert 'data-total="105"' in first and "Showing 101–105 of 105" in second
