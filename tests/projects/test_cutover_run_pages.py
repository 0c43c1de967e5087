"""The run pages: the runs list with planned vs actual and the durations to apply, and one run's live dashboard
with its task buttons, for each role.

The runbook (see tests/projects/test_cutover_runs.py): 1 (30 min), 2 (60, after 1), 3 (20, after 1), 4 (30, after
2 and 3), 5 (a validation, 10, after 4). A rehearsal starting at 20:00 is planned to end at 22:10; the window is
3 h long. The clock is held at a chosen time (`clock`), so that "now" is part of the hand-computed figures.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import CutoverRun, CutoverTask, TaskRun
from projects.services import golive as svc
from tests.conftest import client_for

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2025, 3, 1, tzinfo=TZ)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "run-body"}


def at(hh_mm: str, day: int = 0) -> datetime:
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return DAY + timedelta(days=day, hours=hours, minutes=minutes)


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def run_url(run, name="cutover-run", **kwargs) -> str:
    return url(name, cutover_run_id=run.pk, **kwargs)


def task_url(run, number: int) -> str:
    return run_url(run, "cutover-task-run", task_number=number)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def row_html(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr[^>]*{attribute}="{re.escape(value)}".*?</tr>', html, re.DOTALL)
    assert match, f"no row with {attribute}={value!r}"
    return match.group(0)


def section(html: str, testid: str) -> str:
    match = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', html, re.DOTALL)
    assert match, f"no section {testid}"
    return match.group(0)


def task_run(run, number: int) -> TaskRun:
    return TaskRun.objects.get(run=run, task__number=number)


@pytest.fixture
def clock(monkeypatch):
    """Hold "now" at a time of the test's choosing: clock.set("21:45")."""

    class Clock:
        now = at("23:59", day=10)  # after every day the tests record, until a test sets it

        def set(self, hh_mm: str, day: int = 0) -> None:
            self.now = at(hh_mm, day)

    held = Clock()
    monkeypatch.setattr(timezone, "now", lambda: held.now)
    return held


@pytest.fixture
def plan(project, team, clock):
    plan = svc.plan_for(project)
    plan.window_start, plan.window_end = at("20:00", day=7), at("23:00", day=7)
    plan.save()
    return plan


@pytest.fixture
def tasks(plan):
    freeze = svc.task_create(plan=plan, title="Freeze master data", duration_minutes=30, stream="business")
    count = svc.task_create(plan=plan, title="Count the stock", duration_minutes=60, predecessors=[freeze])
    backup = svc.task_create(
        plan=plan, title="Back up old system", duration_minutes=20, predecessors=[freeze], stream="technical"
    )
    load = svc.task_create(
        plan=plan, title="Load opening stock", duration_minutes=30, predecessors=[count, backup], stream="data"
    )
    check = svc.task_create(
        plan=plan, title="Check stock values", duration_minutes=10, predecessors=[load], kind="validation"
    )
    return {1: freeze, 2: count, 3: backup, 4: load, 5: check}


@pytest.fixture
def run(plan, tasks, clock):
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at("20:00"))
    return svc.run_start(run=rehearsal, at=at("20:00"))


def record(run, tasks, number, start, end=None, outcome="done", reason="", day=0):
    svc.task_start(run=run, task=tasks[number], at=at(start, day))
    if end is not None:
        svc.task_finish(run=run, task=tasks[number], outcome=outcome, at=at(end, day), reason=reason)


# The runs list -----------------------------------------------------------------------------------------------


def rehearse(plan, tasks, day: int, minutes_for_task_1: int) -> CutoverRun:
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name=f"Rehearsal {day}", planned_start=at("20:00", day))
    rehearsal = svc.run_start(run=rehearsal, at=at("20:00", day))
    record(rehearsal, tasks, 1, "20:00", None, day=day)
    end = at("20:00", day) + timedelta(minutes=minutes_for_task_1)
    svc.task_finish(run=rehearsal, task=tasks[1], outcome="done", at=end)
    for number in (2, 3, 4, 5):
        svc.task_skip(run=rehearsal, task=tasks[number], reason="Not rehearsed")
    return svc.run_finish(run=rehearsal, at=end)


def test_the_list_shows_each_run_against_the_window_and_its_plan(plan, tasks, team, clock):
    rehearse(plan, tasks, 1, 38)
    long = svc.run_create(plan=plan, kind="rehearsal", name="Long night", planned_start=at("20:00", day=2))
    long = svc.run_start(run=long, at=at("20:00", day=2))
    for number, start, end in ((1, "20:00", "20:30"), (2, "20:30", "23:00"), (3, "20:30", "20:50")):
        record(long, tasks, number, start, end, day=2)
    record(long, tasks, 4, "23:00", "23:30", day=2)
    record(long, tasks, 5, "23:30", "23:40", day=2)
    svc.run_finish(run=long, at=at("23:40", day=2))
    svc.run_create(plan=plan, kind="live", name="Go-live weekend", planned_start=at("20:00", day=7))

    response = client_for(team["viewer"]).get(url("cutover-run-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The cutover window is 3 h long." in html
    rows = {row.run.name: row for row in response.context["rows"]}
    first = row_html(html, "data-run", str(rows["Rehearsal 1"].run.pk))
    assert 'data-kind="rehearsal"' in first and 'data-status="finished"' in first
    assert "38 min" in first and "fits the window" in first and "−1 h 32 min" in first
    long_row = row_html(html, "data-run", str(rows["Long night"].run.pk))
    assert "3 h 40 min" in long_row and "over the window by 40 min" in long_row and "+1 h 30 min" in long_row
    live_row = row_html(html, "data-run", str(rows["Go-live weekend"].run.pk))
    assert "Live cutover" in live_row and "2 h 10 min planned" in live_row and "fits the window" in live_row
    assert 'data-testid="plan-rehearsal"' not in html  # a viewer plans nothing


def test_an_empty_list_says_what_to_do_first(plan, team):
    html = client_for(team["owner"]).get(url("cutover-run-list")).content.decode()
    assert "No rehearsal yet" in html and "Write the runbook's tasks first" in html
    svc.task_create(plan=plan, title="Freeze master data")
    html = client_for(team["owner"]).get(url("cutover-run-list")).content.decode()
    assert "Rehearse the cutover" in html and 'href="/p/ACME/golive/runs/new/?kind=rehearsal"' in html


def test_planned_vs_actual_proposes_45_for_30_38_42_47_and_applies_it(plan, tasks, team, clock):
    for day, minutes in ((1, 38), (2, 42), (3, 47)):
        rehearse(plan, tasks, day, minutes)
    client = client_for(team["editor"])
    html = client.get(url("cutover-run-list")).content.decode()
    row = row_html(html, "data-task", "1")
    assert 'data-planned="30"' in row and 'data-proposed="45"' in row
    assert re.findall(r'data-testid="measured" data-minutes="(\d+)"><span class="text-red', row) == ["38", "42", "47"]
    assert f'name="task_{tasks[1].pk}"' in row and "checked" in row
    assert f'name="task_{tasks[2].pk}"' not in html  # skipped in every rehearsal: nothing to propose
    assert "Apply the ticked duration (1 proposed)" in html

    # Unticked: nothing changes.
    response = client.post(url("cutover-durations"), {f"shown_{tasks[1].pk}": "45"}, follow=True)
    assert messages_of(response) == ["No task was ticked; nothing was changed."]
    tasks[1].refresh_from_db()
    assert tasks[1].duration_minutes == 30

    response = client.post(url("cutover-durations"), {f"task_{tasks[1].pk}": "on", f"shown_{tasks[1].pk}": "45"})
    assert response.status_code == 302 and response["Location"].endswith("/golive/runs/#estimates")
    tasks[1].refresh_from_db()
    assert tasks[1].duration_minutes == 45
    assert tasks[1].history.first().history_user == team["editor"]
    message = messages_of(client.get(url("cutover-run-list")))
    assert message == ["1 planned duration changed (task 1). The runbook's forecast uses it now."]


def test_a_proposal_that_changed_since_the_page_was_opened_is_not_applied(plan, tasks, team, clock):
    rehearse(plan, tasks, 1, 38)  # proposes 40
    client = client_for(team["owner"])
    response = client.post(
        url("cutover-durations"), {f"task_{tasks[1].pk}": "on", f"shown_{tasks[1].pk}": "45"}, follow=True
    )
    assert "changed since you opened the page" in messages_of(response)[0]
    tasks[1].refresh_from_db()
    assert tasks[1].duration_minutes == 30


def test_only_editors_apply_durations(plan, tasks, team, clock):
    rehearse(plan, tasks, 1, 38)
    data = {f"task_{tasks[1].pk}": "on", f"shown_{tasks[1].pk}": "40"}
    for role in ("tester", "viewer"):
        assert client_for(team[role]).post(url("cutover-durations"), data).status_code == 403
    html = client_for(team["tester"]).get(url("cutover-run-list")).content.decode()
    assert 'data-testid="apply-durations"' not in html and f'name="task_{tasks[1].pk}"' not in html
    tasks[1].refresh_from_db()
    assert tasks[1].duration_minutes == 30


# Planning and editing a run --------------------------------------------------------------------------------------


def test_a_rehearsal_is_planned_with_a_default_name_and_a_second_live_run_is_refused(plan, tasks, team):
    client = client_for(team["owner"])
    response = client.post(
        url("cutover-run-create"), {"kind": "rehearsal", "name": "", "planned_start": "2025-03-01T20:00"}
    )
    rehearsal = CutoverRun.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == run_url(rehearsal)
    assert (rehearsal.name, rehearsal.kind, rehearsal.status, rehearsal.planned_start) == (
        "Rehearsal 1",
        "rehearsal",
        "planned",
        at("20:00"),
    )
    live = {"kind": "live", "name": "Go-live weekend", "planned_start": "2025-03-08T20:00"}
    assert client.post(url("cutover-run-create"), live).status_code == 302
    response = client.post(url("cutover-run-create"), {**live, "name": "Second go-live"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "There is already a live cutover; abort it before planning another one."
    ]
    assert 'value="Second go-live"' in response.content.decode()  # what was typed stays
    assert plan.runs.filter(kind="live").count() == 1
    assert client_for(team["tester"]).post(url("cutover-run-create"), live).status_code == 403


def test_the_live_run_is_proposed_at_the_window(plan, tasks, team):
    form = client_for(team["owner"]).get(url("cutover-run-create") + "?kind=live").context["form"]
    assert form.initial["kind"] == "live" and form.initial["planned_start"] == at("20:00", day=7)


def test_a_run_is_edited_while_planned_only(plan, tasks, team, clock):
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at("20:00"))
    client = client_for(team["editor"])
    data = {"name": "Dress rehearsal", "planned_start": "2025-03-01T21:00", "version": rehearsal.version}
    assert client.post(run_url(rehearsal, "cutover-run-edit"), data).status_code == 302
    rehearsal.refresh_from_db()
    assert (rehearsal.name, rehearsal.planned_start) == ("Dress rehearsal", at("21:00"))
    stale = client.post(run_url(rehearsal, "cutover-run-edit"), {**data, "name": "Late edit", "version": 1})
    assert stale.status_code == 200 and "changed this record" in stale.content.decode()
    svc.run_start(run=rehearsal, at=at("21:00"))
    response = client.get(run_url(rehearsal, "cutover-run-edit"), follow=True)
    assert messages_of(response) == ["Only a planned run can be changed; this one has started."]


# The dashboard ------------------------------------------------------------------------------------------------


def test_the_dashboard_shows_a_late_task_moving_the_end_and_the_critical_path(run, tasks, team, clock):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30", "21:20")
    record(run, tasks, 3, "20:30", "21:45")  # 75 of 20 minutes: it now holds up task 4
    clock.set("21:45")
    response = client_for(team["viewer"]).get(run_url(run))
    html = response.content.decode()
    rag = section(html, "rag")
    assert 'data-rag="amber"' in rag and "Running late" in rag and "The forecast end is later than planned." in rag
    assert 'data-minutes="15"' in rag and "+15 min" in rag
    assert re.search(r'data-testid="figure-forecast" data-value="2025-03-01T22:25:00\+08:00"', rag)
    assert re.search(r'data-testid="figure-planned" data-value="2025-03-01T22:10:00\+08:00"', rag)
    assert "35 min to spare" in rag  # the window ends at 23:00
    path = re.search(r'data-testid="critical-path">(.*?)</div>', html, re.DOTALL).group(1)
    assert re.findall(r'class="wb-key wb-path-step[^"]*"[^>]*>(\d+)<', path) == ["1", "3", "4", "5"]
    load = row_html(html, "data-task", "4")
    assert 'data-start="2025-03-01T21:45:00+08:00"' in load and 'data-finish="2025-03-01T22:15:00+08:00"' in load
    assert 'data-testid="task-variance" data-minutes="15"' in load
    assert 'data-minutes="-10"' in row_html(html, "data-task", "2")  # finished 10 min early
    startable = section(html, "startable")
    assert 'data-task="4"' in startable and 'data-testid="task-start"' not in html  # a viewer records nothing
    assert 'data-testid="percent" data-percent="60"' in html
    technical = re.search(r'data-stream="technical" data-finished="(\d+)" data-total="(\d+)"', html).groups()
    assert technical == ("2", "3")  # 2 and 3 done; 5 (in the default stream, technical) not started
    assert 'hx-trigger="every 30s' in html


def test_a_task_finished_early_pulls_the_end_in_and_stays_green(run, tasks, team, clock):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30", "21:10")
    record(run, tasks, 3, "20:30", "20:50")
    clock.set("21:10")
    html = client_for(team["viewer"]).get(run_url(run)).content.decode()
    rag = section(html, "rag")
    assert 'data-rag="green"' in rag and "On plan" in rag and "−20 min" in rag
    assert re.search(r'data-testid="figure-forecast" data-value="2025-03-01T21:50:00\+08:00"', rag)


def test_red_with_the_failed_task_its_reason_and_start_again(run, tasks, team, clock):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 3, "20:30", "20:45", outcome="failed", reason="Disk full on the backup server")
    clock.set("20:50")
    html = client_for(team["tester"]).get(run_url(run)).content.decode()
    assert 'data-rag="red"' in section(html, "rag") and "1 task failed." in html
    failed = section(html, "failed")
    assert 'data-task="3"' in failed and "Disk full on the backup server" in failed
    assert 'data-testid="task-restart"' in failed
    assert 'data-task="2"' in section(html, "startable")


def test_a_validation_passes_or_fails_where_a_task_completes(run, tasks, team, clock):
    for number, start, end in ((1, "20:00", "20:30"), (2, "20:30", "21:30"), (3, "20:30", "20:50")):
        record(run, tasks, number, start, end)
    record(run, tasks, 4, "21:30")
    clock.set("21:35")
    client = client_for(team["tester"])
    running = section(client.get(run_url(run)).content.decode(), "running")
    assert re.search(r'value="complete"[^>]*>.*?Complete</button>', running, re.DOTALL)
    clock.set("22:05")
    svc.task_finish(run=run, task=tasks[4], outcome="done", at=at("22:00"))
    record(run, tasks, 5, "22:00")
    running = section(client.get(run_url(run)).content.decode(), "running")
    assert 'data-task="5"' in running
    assert re.search(r'value="complete"[^>]*>.*?Pass</button>', running, re.DOTALL)
    assert re.search(r'value="fail"[^>]*>.*?Fail</button>', running, re.DOTALL)
    client.post(task_url(run, 5), {"action": "complete"})
    row = row_html(client.get(run_url(run)).content.decode(), "data-task", "5")
    assert re.search(r'data-status="done">.*?Passed</span>', row, re.DOTALL)


def test_a_tester_records_tasks_with_who_did_it_and_history(run, tasks, team, clock):
    clock.set("20:01")
    client = client_for(team["tester"])
    response = client.post(task_url(run, 1), {"action": "start"})
    assert response.status_code == 302 and response["Location"] == run_url(run) + "#task-1"
    clock.set("20:31")
    client.post(task_url(run, 1), {"action": "complete"})
    done = task_run(run, 1)
    assert (done.status, done.actual_start, done.actual_end, done.by) == (
        "done",
        at("20:01"),
        at("20:31"),
        team["tester"],
    )
    assert [r.history_user for r in done.history.all()] == [team["tester"], team["tester"]]
    # Recorded after the fact: task 3 started at 20:30.
    client.post(task_url(run, 3), {"action": "start", "at": "2025-03-01T20:30"})
    assert task_run(run, 3).actual_start == at("20:30")
    response = client.get(run_url(run))
    assert messages_of(response) == ["Task 1 started.", "Task 1 done.", "Task 3 started."]
    assert 'data-testid="task-by">' in row_html(response.content.decode(), "data-task", "1")


def test_a_refusal_is_shown_on_the_task_and_changes_nothing(run, tasks, team, clock):
    record(run, tasks, 1, "20:00", "20:30")
    clock.set("20:40")
    client = client_for(team["tester"])
    response = client.post(task_url(run, 4), {"action": "start"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Task 4: Task 4 waits for 2, 3." in html
    assert re.search(r'data-task="4".*?role="alert" data-testid="task-error">Task 4 waits for 2, 3\.<', html, re.DOTALL)
    assert task_run(run, 4).status == "pending"

    record(run, tasks, 2, "20:30")
    response = client.post(task_url(run, 2), {"action": "fail", "reason": ""})
    assert "Say why the task failed." in response.content.decode()
    assert task_run(run, 2).status == "running"

    response = client.post(task_url(run, 2), {"action": "complete", "at": "2025-03-01T21:50"})  # after "now"
    html = response.content.decode()
    assert "That time is in the future." in html and 'value="2025-03-01T21:50"' in html  # what was typed stays
    response = client.post(task_url(run, 3), {"action": "start", "at": "2025-03-01T19:30"})  # before the run
    assert "That time is before 2025-03-01 20:00." in response.content.decode()
    response = client.post(task_url(run, 5), {"action": "skip", "reason": ""})
    assert "Say why the task is skipped." in response.content.decode()
    assert [task_run(run, n).status for n in (2, 3, 5)] == ["running", "pending", "pending"]


def test_with_htmx_the_dashboard_body_comes_back(run, tasks, team, clock):
    clock.set("20:02")
    client = client_for(team["tester"])
    response = client.post(task_url(run, 1), {"action": "start"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="run-body"')
    assert "<html" not in html and "Task 1 started." in html
    assert 'data-testid="running"' in html and 'data-task="1"' in section(html, "running")
    response = client.post(task_url(run, 4), {"action": "start"}, **HTMX)
    assert "Task 4 waits for 2, 3." in response.content.decode() and task_run(run, 4).status == "pending"
    poll = client.get(run_url(run), **HTMX).content.decode()
    assert poll.lstrip().startswith('<div id="run-body"') and "<html" not in poll


def test_roles_start_and_finish_the_run_or_only_record_or_only_read(plan, tasks, team, clock):
    rehearsal = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=at("20:00"))
    clock.set("20:00")
    assert client_for(team["tester"]).post(run_url(rehearsal, "cutover-run-start")).status_code == 403
    assert client_for(team["viewer"]).post(task_url(rehearsal, 1), {"action": "start"}).status_code == 403
    rehearsal.refresh_from_db()
    assert rehearsal.status == "planned"
    editor = client_for(team["editor"])
    response = editor.post(run_url(rehearsal, "cutover-run-start"), follow=True)
    rehearsal.refresh_from_db()
    assert rehearsal.status == "running" and rehearsal.started_at == at("20:00")
    assert messages_of(response) == ["“Rehearsal 1” started. Start the first tasks below."]

    viewer_html = client_for(team["viewer"]).get(run_url(rehearsal)).content.decode()
    assert 'data-testid="task-form"' not in viewer_html and 'data-testid="run-finish"' not in viewer_html
    tester_html = client_for(team["tester"]).get(run_url(rehearsal)).content.decode()
    assert 'data-testid="task-start"' in tester_html and 'data-testid="run-finish"' not in tester_html
    assert client_for(team["tester"]).post(run_url(rehearsal, "cutover-run-finish")).status_code == 403

    clock.set("20:30")
    response = editor.post(run_url(rehearsal, "cutover-run-finish"), follow=True)
    assert messages_of(response) == ["Tasks 1, 2, 3, 4, 5 are not done or skipped yet; finish them, or abort the run."]
    rehearsal.refresh_from_db()
    assert rehearsal.status == "running"

    confirm = editor.get(run_url(rehearsal, "cutover-run-abort"))
    assert confirm.status_code == 200 and "5 tasks are not done or skipped." in confirm.content.decode()
    editor.post(run_url(rehearsal, "cutover-run-abort"))
    rehearsal.refresh_from_db()
    assert (rehearsal.status, rehearsal.finished_at) == ("aborted", at("20:30"))
    assert rehearsal.history.get(status="aborted").history_user == team["editor"]


def test_the_gantt_is_an_svg_image(run, tasks, team, clock):
    clock.set("20:10")
    response = client_for(team["viewer"]).get(run_url(run, "cutover-run-gantt"))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.decode().lstrip().startswith("<svg")


def test_a_run_of_another_project_is_not_found(run, outsider, team):
    from projects.models import Project

    other_plan = svc.plan_for(Project.objects.get(code="OTHER"))
    other = svc.run_create(plan=other_plan, kind="rehearsal", name="Theirs", planned_start=at("20:00"))
    assert client_for(team["owner"]).get(url("cutover-run", cutover_run_id=other.pk)).status_code == 404


def add_tasks(plan, count: int) -> None:
    last = plan.tasks.order_by("-number").first()
    for index in range(count):
        last = svc.task_create(
            plan=plan,
            title=f"Extra task {index}",
            predecessors=[last],
            owner=plan.project.memberships.first(),
            stream=CutoverTask.Stream.DATA,
        )


def test_the_dashboard_costs_the_same_queries_for_5_and_40_tasks(run, plan, tasks, team, clock):
    record(run, tasks, 1, "20:00", "20:30")
    record(run, tasks, 2, "20:30")
    clock.set("20:45")
    client = client_for(team["tester"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(run_url(run)).status_code == 200
        return len(captured)

    small = queries()
    add_tasks(plan, 35)
    assert plan.tasks.count() == 40
    assert queries() == small == 12


def test_the_runs_list_costs_the_same_queries_for_more_runs_and_tasks(plan, tasks, team, clock):
    rehearse(plan, tasks, 1, 38)
    client = client_for(team["viewer"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("cutover-run-list")).status_code == 200
        return len(captured)

    small = queries()
    rehearse(plan, tasks, 2, 42)
    rehearse(plan, tasks, 3, 47)
    svc.run_create(plan=plan, kind="live", name="Go-live", planned_start=at("20:00", day=7))
    add_tasks(plan, 35)
    assert queries() == small == 10


def test_a_signed_out_refresh_sends_the_page_to_log_in(run):
    from django.test import Client

    response = Client().get(run_url(run), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next=/p/ACME/golive/runs/{run.pk}/"
    assert Client().get(run_url(run)).status_code == 302  # without htmx: the usual redirect


def test_the_table_of_every_task_is_paged_but_the_lists_to_act_on_are_not(project, owner):
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import CutoverTask
    from projects.services import golive as golive_services

    plan = golive_services.plan_for(project)
    CutoverTask.objects.bulk_create(
        CutoverTask(plan=plan, number=n, title=f"Step {n}", duration_minutes=10) for n in range(1, 106)
    )
    run = golive_services.run_create(
        plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now() - timedelta(hours=1)
    )
    golive_services.run_start(run=run)
    client = client_for(owner)
    url = reverse("projects:cutover-run", kwargs={"project_code": project.code, "cutover_run_id": run.pk})

    first = lxml.html.fromstring(client.get(url).content)
    second = lxml.html.fromstring(client.get(url + "?tasks=2").content)

    assert len(first.xpath('//*[@data-testid="tasks"]//tr[@data-testid="task-row"]')) == 100
    assert len(second.xpath('//*[@data-testid="tasks"]//tr[@data-testid="task-row"]')) == 5
    # Every task is free to start: the list to act on holds all 105 on either page.
    for tree in (first, second):
        assert len(tree.xpath('//*[@data-testid="startable"]//li')) == 105
    assert "?tasks=2" in second.xpath('//*[@id="run-body"]/@hx-get')[0]
