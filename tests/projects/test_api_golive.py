"""The go-live API as an integration sees it: the cutover plan, runbook tasks with their forecast, the critical
path, rehearsals and the live run, and the go/no-go criteria under /api/v1/projects/ACME/."""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from projects.models import CutoverPhase, CutoverPlan, CutoverRun, CutoverTask, GoNoGoCriterion, TaskRun
from projects.services import golive as services
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

API = "/api/v1/projects/ACME"
PLAN = f"{API}/cutover/"
TASKS = f"{API}/cutover/tasks/"
CRITICAL_PATH = f"{API}/cutover/critical-path/"
RUNS = f"{API}/cutover/runs/"
GO_NO_GO = f"{API}/go-no-go/"

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_START = datetime(2025, 6, 6, 20, 0, tzinfo=SHANGHAI)  # Friday evening, after the stores close
WINDOW_END = datetime(2025, 6, 6, 22, 30, tzinfo=SHANGHAI)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, 6, hour, minute, tzinfo=SHANGHAI)


def when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def task_url(number: int) -> str:
    return f"{TASKS}{number}/"


def run_url(run: CutoverRun) -> str:
    return f"{RUNS}{run.pk}/"


def run_task_url(run: CutoverRun, number: int) -> str:
    return f"{run_url(run)}tasks/{number}/"


def send(client: Client, method: str, url: str, data: dict | None = None, **extra):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json", **extra)


def predecessor_numbers(task: CutoverTask) -> list[int]:
    return sorted(task.predecessors.values_list("number", flat=True))


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def plan(project):
    plan = services.plan_for(project)
    plan.window_start, plan.window_end = WINDOW_START, WINDOW_END
    plan.save()
    return plan


@pytest.fixture
def runbook(plan, editor, tester):
    """Four tasks, by hand: 1 → (2, 3) → 4.

    Planned from the window's start at 20:00: 1 20:00–20:30, 2 20:30–21:30, 3 20:30–20:45 (45 min slack before
    4 needs it at 21:30), 4 21:30–23:00. The runbook ends at 23:00, half an hour after the window closes.
    """
    members = {m.user.username: m for m in plan.project.memberships.select_related("user")}
    freeze = services.task_create(
        plan=plan, title="Freeze master data", stream="business", duration_minutes=30, owner=members["editor"]
    )
    extract = services.task_create(
        plan=plan, title="Extract closing stock", stream="data", duration_minutes=60, predecessors=[freeze]
    )
    tell = services.task_create(
        plan=plan,
        title="Tell the stores",
        stream="communications",
        kind="communication",
        duration_minutes=15,
        predecessors=[freeze],
        owner=members["tester"],
    )
    load = services.task_create(
        plan=plan, title="Load opening stock", stream="data", duration_minutes=90, predecessors=[extract, tell]
    )
    return {1: freeze, 2: extract, 3: tell, 4: load}


@pytest.fixture
def elsewhere(db):
    """A plan with a task and a run in a project the ACME team does not belong to."""
    other = ProjectFactory(code="ELSEWHERE")
    stranger = UserFactory(username="stranger")
    MembershipFactory(project=other, user=stranger, role="owner")
    plan = services.plan_for(other)
    task = services.task_create(plan=plan, title="Their task")
    run = services.run_create(plan=plan, kind="rehearsal", name="Their rehearsal", planned_start=WINDOW_START)
    return {"plan": plan, "task": task, "run": run}


# --- The plan --------------------------------------------------------------------------------


def test_the_plan_is_made_on_first_read(project, viewer):
    assert not CutoverPlan.objects.exists()

    response = client_for(viewer).get(PLAN)

    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: v for k, v in body.items() if k != "forecast_end"} == {
        "strategy": "direct",
        "go_live_date": None,
        "window_start": None,
        "window_end": None,
        "point_of_no_return": None,
        "rollback_deadline": None,
        "parallel_until": None,
        "comparison_checks": "",
        "contingency_plan": "",
        "hypercare_until": None,
        "decider": None,
        "fits_window": None,
        "version": 1,
    }
    assert CutoverPlan.objects.get().project == project
    # Without a window or a go-live date an empty runbook ends where it starts: now.
    assert abs(when(body["forecast_end"]) - timezone.now()) < timedelta(minutes=2)


def test_an_editor_sets_the_plan(project, editor_client, owner):
    editor_client.get(PLAN)
    changes = {
        "strategy": "parallel",
        "go_live_date": "2025-06-09",
        "window_start": "2025-06-06T20:00:00+08:00",
        "window_end": "2025-06-07T06:00:00+08:00",
        "point_of_no_return": "2025-06-07T04:00:00+08:00",
        "rollback_deadline": "2025-06-07T02:00:00+08:00",
        "parallel_until": "2025-06-30",
        "comparison_checks": "Daily: **stock value** per warehouse.",
        "contingency_plan": "If the stock load fails twice, roll back.",
        "hypercare_until": "2025-07-31",
        "decider": "OWNER",
        "version": 1,
    }

    response = send(editor_client, "patch", PLAN, changes)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decider"] == "owner"
    assert (body["strategy"], body["parallel_until"], body["version"]) == ("parallel", "2025-06-30", 2)
    assert when(body["window_start"]) == WINDOW_START
    assert body["forecast_end"] == body["window_start"]  # no tasks yet: the runbook ends where it starts
    assert body["fits_window"] is True
    plan = CutoverPlan.objects.select_related("decider__user").get()
    assert plan.decider.user == owner
    assert (plan.point_of_no_return, plan.rollback_deadline) == (
        datetime(2025, 6, 7, 4, 0, tzinfo=SHANGHAI),
        datetime(2025, 6, 7, 2, 0, tzinfo=SHANGHAI),
    )
    assert plan.comparison_checks == "Daily: **stock value** per warehouse."

    replaced = send(editor_client, "put", PLAN, {"strategy": "phased", "decider": None, "version": 2})
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["strategy"], replaced.json()["decider"], replaced.json()["version"]) == ("phased", None, 3)
    assert replaced.json()["hypercare_until"] == "2025-07-31"  # left out of the PUT, left as it was


def test_the_forecast_is_judged_against_the_window(project, viewer, runbook, plan):
    body = client_for(viewer).get(PLAN).json()

    assert when(body["forecast_end"]) == at(23, 0)
    assert body["fits_window"] is False

    plan.window_end = at(23, 0)
    plan.save()
    assert client_for(viewer).get(PLAN).json()["fits_window"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"strategy": "big_bang"}, "strategy"),
        ({"decider": "outsider"}, "decider"),
        ({"decider": "stranger"}, "decider"),
        ({"window_start": "Friday night"}, "window_start"),
        ({"go_live_date": "2025-13-01"}, "go_live_date"),
    ],
)
def test_a_refused_plan_value_is_400_and_changes_nothing(project, editor_client, outsider, elsewhere, body, field):
    editor_client.get(PLAN)

    response = send(editor_client, "patch", PLAN, {**body, "version": 1})

    assert response.status_code == 400
    assert field in response.json()
    plan = CutoverPlan.objects.get(project=project)
    assert (plan.strategy, plan.decider, plan.version) == ("direct", None, 1)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"window_start": "2025-06-06T20:00:00+08:00", "window_end": "2025-06-06T19:00:00+08:00"},
            "window_end",
            "The cutover window must end after it starts",
        ),
        (
            {
                "window_start": "2025-06-06T20:00:00+08:00",
                "window_end": "2025-06-07T06:00:00+08:00",
                "point_of_no_return": "2025-06-07T08:00:00+08:00",
            },
            "point_of_no_return",
            "The point of no return must be inside the cutover window",
        ),
        (
            {"point_of_no_return": "2025-06-07T02:00:00+08:00", "rollback_deadline": "2025-06-07T04:00:00+08:00"},
            "rollback_deadline",
            "The rollback deadline cannot be after the point of no return",
        ),
        (
            {"go_live_date": "2025-06-09", "hypercare_until": "2025-06-01"},
            "hypercare_until",
            "Hypercare cannot end before the go-live date",
        ),
    ],
)
def test_the_plans_own_rules_are_400_naming_the_field(project, editor_client, body, field, message):
    """CutoverPlan.clean() keeps the window consistent; its refusals come back as 400 on the field."""
    editor_client.get(PLAN)

    response = send(editor_client, "patch", PLAN, {**body, "version": 1})

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert response.json()[field][0].startswith(message)
    plan = CutoverPlan.objects.get()
    assert (plan.window_start, plan.point_of_no_return, plan.go_live_date, plan.version) == (None, None, None, 1)


def test_a_stale_plan_version_is_409_and_changes_nothing(project, editor_client):
    read = editor_client.get(PLAN).json()
    assert send(editor_client, "patch", PLAN, {"strategy": "phased", "version": read["version"]}).status_code == 200

    response = send(editor_client, "patch", PLAN, {"strategy": "parallel", "version": read["version"]})

    assert response.status_code == 409
    assert "Your changes were not saved" in response.json()["detail"]
    plan = CutoverPlan.objects.get()
    assert (plan.strategy, plan.version) == ("phased", 2)


def test_a_plan_update_without_the_version_is_400(project, editor_client):
    editor_client.get(PLAN)

    response = send(editor_client, "patch", PLAN, {"strategy": "phased"})

    assert response.status_code == 400
    assert "version" in response.json()
    assert CutoverPlan.objects.get().strategy == "direct"


# --- Runbook tasks ---------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_task(project, plan, editor_client, runbook):
    phase = CutoverPhase.objects.create(plan=plan, order=1, name="Central warehouse")
    created = send(
        editor_client,
        "post",
        TASKS,
        {
            "title": "Check stock value",
            "description": "Compare with the **closing** balance.",
            "stream": "business",
            "kind": "validation",
            "owner": "Tester",
            "backup": "editor",
            "duration_minutes": 20,
            "phase": phase.pk,
            "depends_on": [4, "2"],
            "number": 99,
            "critical": False,
        },
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "number": 5,
        "title": "Check stock value",
        "description": "Compare with the **closing** balance.",
        "stream": "business",
        "kind": "validation",
        "owner": "tester",
        "backup": "editor",
        "duration_minutes": 20,
        "fixed_start": None,
        "phase": phase.pk,
        "depends_on": [2, 4],
        "planned_start": body["planned_start"],
        "planned_finish": body["planned_finish"],
        "slack_minutes": 0,
        "critical": True,
        "status": "pending",
        "actual_start": None,
        "actual_end": None,
        "version": 1,
    }
    # After 4 (ends 23:00): 23:00–23:20, now the end of the runbook.
    assert (when(body["planned_start"]), when(body["planned_finish"])) == (at(23, 0), at(23, 20))
    task = CutoverTask.objects.get(plan=plan, number=5)
    assert (task.owner.user.username, task.backup.user.username, task.phase) == ("tester", "editor", phase)
    assert predecessor_numbers(task) == [2, 4]

    listed = editor_client.get(TASKS).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [t["number"] for t in listed["results"]] == [1, 2, 3, 4, 5]
    assert editor_client.get(task_url(5)).json() == body

    updated = send(editor_client, "patch", task_url(5), {"depends_on": [3], "duration_minutes": 10, "version": 1})
    assert updated.status_code == 200, updated.content
    body = updated.json()
    # After 3 (ends 20:45): 20:45–20:55, with 2 h 05 of room before the end at 23:00.
    assert (body["depends_on"], body["duration_minutes"], body["version"]) == ([3], 10, 2)
    assert (when(body["planned_start"]), when(body["planned_finish"])) == (at(20, 45), at(20, 55))
    assert (body["slack_minutes"], body["critical"]) == (125, False)
    assert predecessor_numbers(task) == [3]

    replaced = send(
        editor_client,
        "put",
        task_url(5),
        {"title": "Count the stock", "owner": None, "fixed_start": "2025-06-06T21:00:00+08:00", "version": 2},
    )
    assert replaced.status_code == 200, replaced.content
    body = replaced.json()
    assert (body["title"], body["owner"], body["backup"], body["depends_on"]) == (
        "Count the stock",
        None,
        "editor",
        [3],
    )
    assert (when(body["planned_start"]), when(body["planned_finish"])) == (at(21, 0), at(21, 10))
    assert body["critical"] is True  # a task at a fixed time has no room

    cleared = send(editor_client, "patch", task_url(5), {"depends_on": [], "version": 3})
    assert cleared.json()["depends_on"] == []

    assert editor_client.delete(task_url(5)).status_code == 204
    assert not CutoverTask.objects.filter(pk=task.pk).exists()
    assert editor_client.get(task_url(5)).status_code == 404


def test_a_task_takes_the_runbook_defaults(project, plan, editor_client):
    response = send(editor_client, "post", TASKS, {"title": "Announce the go-live"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["stream"], body["kind"], body["duration_minutes"], body["depends_on"]) == (
        1,
        "technical",
        "normal",
        30,
        [],
    )
    assert (when(body["planned_start"]), when(body["planned_finish"])) == (at(20, 0), at(20, 30))


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"depends_on": [2, 9, 7]}, "depends_on", "There are no tasks 7, 9 in this runbook."),
        ({"depends_on": ["first"]}, "depends_on", "“first” is not a task number."),
        ({"depends_on": 2}, "depends_on", "Send a list of task numbers, e.g. [1, 2]."),
        ({"owner": "outsider"}, "owner", "“outsider” is not a member of this project."),
        ({"phase": 999}, "phase", "There is no phase 999 in this cutover plan."),
        ({"stream": "finance"}, "stream", None),
        ({"kind": "meeting"}, "kind", None),
        ({"duration_minutes": -5}, "duration_minutes", None),
        ({"title": ""}, "title", None),
    ],
)
def test_a_refused_task_value_is_400_and_nothing_is_saved(
    project, editor_client, outsider, runbook, body, field, message
):
    response = send(editor_client, "post", TASKS, {"title": "Extra", **body})

    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert CutoverTask.objects.count() == 4


def test_an_unknown_predecessor_in_an_update_changes_nothing(project, editor_client, runbook):
    response = send(editor_client, "patch", task_url(4), {"title": "Load", "depends_on": [2, 12], "version": 1})

    assert response.status_code == 400
    assert response.json() == {"depends_on": ["There is no task 12 in this runbook."]}
    task = CutoverTask.objects.get(pk=runbook[4].pk)
    assert (task.title, task.version, predecessor_numbers(task)) == ("Load opening stock", 1, [2, 3])


def test_a_circle_of_predecessors_is_400_names_it_and_changes_nothing(project, editor_client, runbook):
    """1 would wait for 4, which waits for 2, which waits for 1."""
    response = send(editor_client, "patch", task_url(1), {"title": "Freeze", "depends_on": [4], "version": 1})

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Those tasks would wait for each other in a circle: 1 → 4 → 2 → 1."]
    }
    task = CutoverTask.objects.get(pk=runbook[1].pk)
    assert (task.title, task.version, predecessor_numbers(task)) == ("Freeze master data", 1, [])


def test_a_task_cannot_follow_itself(project, editor_client, runbook):
    response = send(editor_client, "patch", task_url(2), {"depends_on": [2], "version": 1})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A task cannot follow itself."]}
    assert predecessor_numbers(runbook[2]) == [1]


def test_a_stale_task_version_is_409_and_changes_nothing(project, editor_client, runbook):
    read = editor_client.get(task_url(3)).json()
    assert send(editor_client, "patch", task_url(3), {"duration_minutes": 20, "version": 1}).status_code == 200

    response = send(editor_client, "patch", task_url(3), {"title": "Late", "depends_on": [], "version": 1})

    assert response.status_code == 409
    assert "Your changes were not saved" in response.json()["detail"]
    now = editor_client.get(task_url(3)).json()
    assert (now["title"], now["depends_on"], now["duration_minutes"], now["version"]) == (read["title"], [1], 20, 2)


def test_a_task_update_without_the_version_is_400(project, editor_client, runbook):
    response = send(editor_client, "patch", task_url(3), {"title": "Late"})

    assert response.status_code == 400
    assert "version" in response.json()
    assert CutoverTask.objects.get(pk=runbook[3].pk).title == "Tell the stores"


def test_each_task_carries_its_planned_forecast(project, viewer, runbook):
    rows = client_for(viewer).get(TASKS).json()["results"]

    assert [
        (r["number"], when(r["planned_start"]), when(r["planned_finish"]), r["slack_minutes"], r["critical"])
        for r in rows
    ] == [
        (1, at(20, 0), at(20, 30), 0, True),
        (2, at(20, 30), at(21, 30), 0, True),
        (3, at(20, 30), at(20, 45), 45, False),
        (4, at(21, 30), at(23, 0), 0, True),
    ]
    assert [r["depends_on"] for r in rows] == [[], [1], [1], [2, 3]]
    assert {r["status"] for r in rows} == {"pending"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stream": "data"}, [2, 4]),
        ({"kind": "communication"}, [3]),
        ({"owner": "EDITOR"}, [1]),
        ({"owner": "viewer"}, []),
        ({"critical": "true"}, [1, 2, 4]),
        ({"critical": "false"}, [3]),
        ({"phase": "phase"}, [2]),
    ],
)
def test_the_tasks_can_be_filtered(project, plan, viewer, runbook, params, expected):
    phase = CutoverPhase.objects.create(plan=plan, order=1, name="Stores")
    CutoverTask.objects.filter(pk=runbook[2].pk).update(phase=phase)
    if params.get("phase") == "phase":
        params = {"phase": phase.pk}

    response = client_for(viewer).get(TASKS, params)

    assert response.status_code == 200
    assert [t["number"] for t in response.json()["results"]] == expected


@pytest.mark.parametrize("params", [{"stream": "finance"}, {"phase": "first"}, {"kind": "meeting"}])
def test_an_invalid_task_filter_is_400(project, viewer, runbook, params):
    assert client_for(viewer).get(TASKS, params).status_code == 400


def test_a_task_that_ran_is_not_deleted(project, plan, editor, editor_client, runbook):
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now())
    services.run_start(run=run)
    services.task_start(run=run, task=runbook[1], user=editor)

    response = editor_client.delete(task_url(1))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Task 1 cannot be deleted: it was run in Rehearsal 1, and deleting it would lose what was recorded there. "
            "Change it instead, or skip it in the next run."
        ]
    }
    assert CutoverTask.objects.filter(pk=runbook[1].pk).exists()
    assert predecessor_numbers(runbook[2]) == [1]


def test_a_task_not_yet_run_is_deleted_and_its_successors_let_go_of_it(project, plan, editor_client, runbook):
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now())
    services.run_start(run=run)  # every task gets its row in the run, not started

    assert editor_client.delete(task_url(3)).status_code == 204

    assert not CutoverTask.objects.filter(pk=runbook[3].pk).exists()
    assert not TaskRun.objects.filter(task_id=runbook[3].pk).exists()
    assert predecessor_numbers(runbook[4]) == [2]


def test_a_task_shows_its_state_in_the_current_run(project, plan, editor, viewer, runbook):
    t0 = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    first = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=t0)
    services.run_start(run=first, at=t0)
    services.task_start(run=first, task=runbook[1], at=t0)
    services.task_finish(run=first, task=runbook[1], outcome="done", at=t0 + timedelta(minutes=35))
    services.task_skip(run=first, task=runbook[3], reason="Stores already told by phone")
    services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 2", planned_start=t0 + timedelta(days=7))
    client = client_for(viewer)

    rows = {r["number"]: r for r in client.get(TASKS).json()["results"]}

    assert (rows[1]["status"], when(rows[1]["actual_start"]), when(rows[1]["actual_end"])) == (
        "done",
        t0,
        t0 + timedelta(minutes=35),
    )
    assert (rows[2]["status"], rows[2]["actual_start"], rows[2]["actual_end"]) == ("pending", None, None)
    assert rows[3]["status"] == "skipped"
    # The planned forecast stays the plan's, whatever happened in the run.
    assert when(rows[1]["planned_finish"]) == at(20, 30)

    # An aborted run that started later becomes the current one; its tasks never started.
    services.run_finish(run=first, abort=True, at=t0 + timedelta(minutes=40))
    later = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 3", planned_start=t0)
    services.run_start(run=later, at=t0 + timedelta(minutes=50))
    assert {r["status"] for r in client.get(TASKS).json()["results"]} == {"pending"}


# --- The critical path -----------------------------------------------------------------------


def test_the_critical_path_of_the_plan(project, plan, viewer, runbook):
    response = client_for(viewer).get(CRITICAL_PATH)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["run"], when(body["start"]), when(body["forecast_end"]), when(body["window_end"])) == (
        None,
        at(20, 0),
        at(23, 0),
        WINDOW_END,
    )
    assert body["fits_window"] is False
    assert [
        (t["number"], t["title"], when(t["start"]), when(t["finish"]), t["slack_minutes"], t["critical"], t["late"])
        for t in body["tasks"]
    ] == [
        (1, "Freeze master data", at(20, 0), at(20, 30), 0, True, False),
        (2, "Extract closing stock", at(20, 30), at(21, 30), 0, True, False),
        (4, "Load opening stock", at(21, 30), at(23, 0), 0, True, False),
    ]


def test_a_task_at_a_fixed_time_with_room_after_it_is_critical_but_not_on_the_path(project, viewer, runbook):
    """3 must start at 21:00 (21:00–21:15): it cannot move, but 4 waits for 2 until 21:30 anyway."""
    services.task_update(task=runbook[3], expected_version=1, fixed_start=at(21, 0))
    client = client_for(viewer)

    body = client.get(CRITICAL_PATH).json()
    task = client.get(task_url(3)).json()

    assert [t["number"] for t in body["tasks"]] == [1, 2, 4]
    assert (when(task["planned_start"]), task["slack_minutes"], task["critical"]) == (at(21, 0), 0, True)


def test_a_shorter_load_moves_the_path_and_fits_the_window(project, viewer, runbook):
    """With the extract at 10 min, 3 (ends 20:45) drives 4: 20:45–22:15, inside the window."""
    services.task_update(task=runbook[2], expected_version=1, duration_minutes=10)

    body = client_for(viewer).get(CRITICAL_PATH).json()

    assert [t["number"] for t in body["tasks"]] == [1, 3, 4]
    assert (when(body["forecast_end"]), body["fits_window"]) == (at(22, 15), True)


def live_rehearsal(plan, runbook, user):
    """A rehearsal started 3 h ago: 1 took 45 min (planned 30), 2 took 75 (planned 60), 3 was skipped and 4 started
    10 minutes ago (or a little more); it is planned for 90 minutes, so it is forecast to end in 80."""
    t0 = (timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=t0)
    services.run_start(run=run, at=t0, user=user)
    services.task_start(run=run, task=runbook[1], at=t0)
    services.task_finish(run=run, task=runbook[1], outcome="done", at=t0 + timedelta(minutes=45))
    services.task_start(run=run, task=runbook[2], at=t0 + timedelta(minutes=45))
    services.task_finish(run=run, task=runbook[2], outcome="done", at=t0 + timedelta(minutes=120))
    services.task_skip(run=run, task=runbook[3], reason="Stores closed")
    services.task_start(run=run, task=runbook[4], at=t0 + timedelta(minutes=170))
    return run, t0


def test_the_critical_path_of_a_run_is_its_live_forecast(project, plan, editor, viewer, runbook):
    run, t0 = live_rehearsal(plan, runbook, editor)

    response = client_for(viewer).get(CRITICAL_PATH, {"run": run.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    # The path starts at the running task: nothing before it holds it up any more.
    assert [
        (t["number"], when(t["start"]), when(t["finish"]), t["slack_minutes"], t["critical"], t["late"])
        for t in body["tasks"]
    ] == [(4, t0 + timedelta(minutes=170), t0 + timedelta(minutes=260), 0, True, False)]
    assert (body["run"], when(body["start"]), when(body["forecast_end"])) == (run.pk, t0, t0 + timedelta(minutes=260))
    # The rehearsal gets the window's length (2 h 30) from its start.
    assert (when(body["window_end"]), body["fits_window"]) == (t0 + timedelta(minutes=150), False)


@pytest.mark.parametrize("value", ["999999", "first"])
def test_an_unknown_run_is_400(project, viewer, runbook, value):
    response = client_for(viewer).get(CRITICAL_PATH, {"run": value})

    assert response.status_code == 400
    assert response.json() == {"run": [f"There is no run {value} in this cutover plan."]}


def test_another_projects_run_is_no_run_here(project, viewer, runbook, elsewhere):
    response = client_for(viewer).get(CRITICAL_PATH, {"run": elsewhere["run"].pk})

    assert response.status_code == 400
    assert "Their rehearsal" not in response.content.decode()


def test_a_circle_written_around_the_services_is_reported_not_a_500(project, viewer, runbook):
    runbook[1].predecessors.add(runbook[4])  # as bad data could hold it
    client = client_for(viewer)

    response = client.get(CRITICAL_PATH)
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Tasks 1 → 4 → 2 → 1 wait for each other in a circle; fix their predecessors."]
    }
    listed = client.get(TASKS)
    assert listed.status_code == 200
    assert {(t["planned_start"], t["critical"]) for t in listed.json()["results"]} == {(None, False)}
    assert client.get(PLAN).json()["forecast_end"] is None


# --- Runs ------------------------------------------------------------------------------------


def test_an_editor_plans_a_rehearsal_and_it_is_listed(project, plan, editor_client, runbook):
    response = send(
        editor_client,
        "post",
        RUNS,
        {
            "kind": "rehearsal",
            "name": " Rehearsal 1 ",
            "planned_start": "2025-05-30T20:00:00+08:00",
            "status": "running",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    run = CutoverRun.objects.get()
    assert (run.plan, run.name, run.status, run.planned_start) == (
        plan,
        "Rehearsal 1",
        "planned",
        at(20) - timedelta(days=7),
    )
    assert {k: body[k] for k in ("id", "kind", "name", "status", "started_at", "finished_at")} == {
        "id": run.pk,
        "kind": "rehearsal",
        "name": "Rehearsal 1",
        "status": "planned",
        "started_at": None,
        "finished_at": None,
    }
    # Planned a week before the window: 4 ends at 23:00 that day; grey, as nothing has happened.
    assert (when(body["planned_end"]), when(body["forecast_end"]), body["delay_minutes"]) == (
        at(23) - timedelta(days=7),
        at(23) - timedelta(days=7),
        0,
    )
    assert (body["rag"], body["reasons"], body["percent"]) == ("grey", ["The run has not started yet."], 0)

    listed = editor_client.get(RUNS).json()
    assert listed["count"] == 1
    assert listed["results"][0] == {
        "id": run.pk,
        "kind": "rehearsal",
        "name": "Rehearsal 1",
        "planned_start": body["planned_start"],
        "status": "planned",
        "started_at": None,
        "finished_at": None,
    }
    assert editor_client.get(RUNS, {"status": "running"}).json()["count"] == 0


def test_a_run_is_a_rehearsal_unless_said_otherwise(project, plan, editor_client):
    response = send(editor_client, "post", RUNS, {"name": "Dress rehearsal", "planned_start": WINDOW_START.isoformat()})

    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "rehearsal"
    assert CutoverRun.objects.get().kind == "rehearsal"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "R"}, "planned_start"),
        ({"planned_start": "2025-05-30T20:00:00+08:00"}, "name"),
        ({"name": "R", "planned_start": "2025-05-30T20:00:00+08:00", "kind": "dress"}, "kind"),
    ],
)
def test_a_refused_run_is_400(project, editor_client, body, field):
    response = send(editor_client, "post", RUNS, body)

    assert response.status_code == 400
    assert field in response.json()
    assert not CutoverRun.objects.exists()


def test_a_second_live_cutover_is_refused(project, plan, editor_client):
    services.run_create(plan=plan, kind="live", name="Go-live", planned_start=WINDOW_START)

    response = send(
        editor_client, "post", RUNS, {"kind": "live", "name": "Again", "planned_start": WINDOW_START.isoformat()}
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["There is already a live cutover; abort it before planning another one."]
    }
    assert CutoverRun.objects.count() == 1


def test_a_run_is_started_recorded_and_finished(project, plan, editor, tester, runbook):
    editor_client, tester_client = client_for(editor), client_for(tester)
    t0 = (timezone.now() - timedelta(hours=4)).replace(second=0, microsecond=0)
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=t0)

    started = send(editor_client, "post", f"{run_url(run)}start/", {"at": t0.isoformat()})
    assert started.status_code == 200, started.content
    assert (started.json()["status"], when(started.json()["started_at"])) == ("running", t0)
    assert started.json()["startable"] == [1]

    def record(number: int, body: dict, client: Client = tester_client):
        return send(client, "post", run_task_url(run, number), body)

    first = record(1, {"action": "start", "at": t0.isoformat()})
    assert first.status_code == 200, first.content
    assert (first.json()["status"], when(first.json()["actual_start"]), first.json()["recorded_by"]) == (
        "running",
        t0,
        "tester",
    )
    done = record(1, {"action": "complete", "at": (t0 + timedelta(minutes=25)).isoformat()})
    assert (done.json()["status"], when(done.json()["actual_end"])) == ("done", t0 + timedelta(minutes=25))
    assert record(2, {"action": "start", "at": (t0 + timedelta(minutes=25)).isoformat()}).status_code == 200
    failed = record(2, {"action": "fail", "reason": "Export timed out", "at": (t0 + timedelta(minutes=70)).isoformat()})
    assert (failed.json()["status"], failed.json()["reason"]) == ("failed", "Export timed out")

    board = editor_client.get(run_url(run)).json()
    assert (board["rag"], board["failed"], board["percent"]) == ("red", [2], 25)
    assert "1 task failed." in board["reasons"]

    # A failed task is started again; the stores are told anyway; the load follows.
    assert record(2, {"action": "start", "at": (t0 + timedelta(minutes=75)).isoformat()}).status_code == 200
    assert record(2, {"action": "complete", "at": (t0 + timedelta(minutes=130)).isoformat()}).status_code == 200
    assert record(3, {"action": "skip", "reason": "Told by phone"}).json()["status"] == "skipped"
    assert record(4, {"action": "start", "at": (t0 + timedelta(minutes=130)).isoformat()}).status_code == 200
    assert record(4, {"action": "complete"}).status_code == 200

    finished = send(editor_client, "post", f"{run_url(run)}finish/", {})
    assert finished.status_code == 200, finished.content
    assert finished.json()["status"] == "finished"
    assert finished.json()["percent"] == 100
    run.refresh_from_db()
    assert run.status == "finished" and run.finished_at is not None
    statuses = dict(TaskRun.objects.filter(run=run).values_list("task__number", "status"))
    assert statuses == {1: "done", 2: "done", 3: "skipped", 4: "done"}
    assert TaskRun.objects.get(run=run, task=runbook[3]).reason == "Told by phone"


def test_the_run_detail_is_its_live_dashboard(project, plan, editor, viewer, runbook):
    run, t0 = live_rehearsal(plan, runbook, editor)

    body = client_for(viewer).get(run_url(run)).json()

    # Planned from t0: 1 0–30, 2 30–90, 3 30–45, 4 90–180 minutes; forecast 4 ends at 260: 80 minutes late.
    assert (when(body["started_at"]), when(body["forecast_end"]), when(body["planned_end"])) == (
        t0,
        t0 + timedelta(minutes=260),
        t0 + timedelta(minutes=180),
    )
    assert (body["delay_minutes"], when(body["window_end"]), body["rag"]) == (80, t0 + timedelta(minutes=150), "red")
    assert body["reasons"] == ["The forecast end is after the end of the window."]
    # 1 and 2 ran late, but they are done: nothing is late now.
    assert (body["percent"], body["late"], body["running"], body["failed"], body["startable"]) == (
        75,
        [],
        [4],
        [],
        [],
    )
    assert body["streams"] == [
        {"stream": "business", "total": 1, "finished": 1, "running": 0, "failed": 0, "percent": 100},
        {"stream": "data", "total": 2, "finished": 1, "running": 1, "failed": 0, "percent": 50},
        {"stream": "communications", "total": 1, "finished": 1, "running": 0, "failed": 0, "percent": 100},
    ]


def test_the_tasks_of_a_run_carry_the_run_forecast(project, plan, editor, viewer, runbook):
    run, t0 = live_rehearsal(plan, runbook, editor)
    client = client_for(viewer)

    listed = client.get(f"{run_url(run)}tasks/")

    assert listed.status_code == 200, listed.content
    rows = listed.json()["results"]
    minutes = lambda n: t0 + timedelta(minutes=n)  # noqa: E731
    assert [
        (
            r["number"],
            r["status"],
            when(r["actual_start"]),
            when(r["actual_end"]),
            when(r["forecast_start"]),
            when(r["forecast_finish"]),
            r["late"],
        )
        for r in rows
    ] == [
        (1, "done", minutes(0), minutes(45), minutes(0), minutes(45), True),
        (2, "done", minutes(45), minutes(120), minutes(45), minutes(120), True),
        (3, "skipped", None, None, minutes(45), minutes(45), False),
        (4, "running", minutes(170), None, minutes(170), minutes(260), False),
    ]
    assert (rows[2]["reason"], rows[0]["owner"], rows[3]["depends_on"]) == ("Stores closed", "editor", [2, 3])
    assert [r["number"] for r in client.get(f"{run_url(run)}tasks/", {"status": "done"}).json()["results"]] == [1, 2]
    assert [r["number"] for r in client.get(f"{run_url(run)}tasks/", {"stream": "data"}).json()["results"]] == [2, 4]
    assert client.get(f"{run_url(run)}tasks/", {"status": "lost"}).status_code == 400
    assert client.get(run_task_url(run, 4)).json() == rows[3]
    assert client.get(run_task_url(run, 9)).status_code == 404


def test_a_planned_run_lists_every_task_pending(project, plan, viewer, runbook):
    run = services.run_create(plan=plan, kind="live", name="Go-live", planned_start=WINDOW_START)

    rows = client_for(viewer).get(f"{run_url(run)}tasks/").json()["results"]

    assert [(r["number"], r["status"], when(r["forecast_start"])) for r in rows] == [
        (1, "pending", at(20, 0)),
        (2, "pending", at(20, 30)),
        (3, "pending", at(20, 30)),
        (4, "pending", at(21, 30)),
    ]
    pending = client_for(viewer).get(f"{run_url(run)}tasks/", {"status": "pending"}).json()
    assert pending["count"] == 4


def test_refused_run_actions_are_400_with_the_reason(project, plan, editor, runbook):
    client = client_for(editor)
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now())

    def refused(method_url: str, body: dict) -> str:
        response = send(client, "post", method_url, body)
        assert response.status_code == 400, (method_url, response.content)
        return " ".join(str(m) for messages in response.json().values() for m in messages)

    assert refused(run_task_url(run, 1), {"action": "start"}) == "The run is not running; start it first."
    assert refused(f"{run_url(run)}finish/", {}) == "Only a running run can be finished."
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    assert refused(f"{run_url(run)}start/", {"at": future}) == "That time is in the future."
    assert send(client, "post", f"{run_url(run)}start/", {}).status_code == 200
    assert refused(f"{run_url(run)}start/", {}) == "Only a planned run can be started."
    assert refused(run_task_url(run, 4), {"action": "start"}) == "Task 4 waits for 2, 3."
    assert refused(run_task_url(run, 1), {"action": "complete"}) == "Task 1 is not running; start it first."
    assert refused(run_task_url(run, 1), {"action": "skip"}) == "Say why the task is skipped."
    assert send(client, "post", run_task_url(run, 1), {"action": "start"}).status_code == 200
    assert refused(run_task_url(run, 1), {"action": "fail", "reason": "  "}) == "Say why the task failed."
    assert refused(run_task_url(run, 1), {"action": "start"}) == "Task 1 has already started."
    assert refused(run_task_url(run, 1), {"action": "finish"}) == '"finish" is not a valid choice.'
    assert refused(run_task_url(run, 1), {}) == "This field is required."
    assert refused(f"{run_url(run)}finish/", {}) == (
        "Tasks 1, 2, 3, 4 are not done or skipped yet; finish them, or abort the run."
    )
    other = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 2", planned_start=timezone.now())
    assert refused(f"{run_url(other)}start/", {}) == "Rehearsal 1 is still running; finish or abort it first."

    aborted = send(client, "post", f"{run_url(run)}abort/", {})
    assert aborted.status_code == 200
    assert aborted.json()["status"] == "aborted"
    assert refused(f"{run_url(run)}abort/", {}) == "Only a planned or running run can be aborted."
    assert TaskRun.objects.get(run=run, task=runbook[1]).status == "running"  # the record of the aborted run stays


def test_an_empty_runbook_cannot_be_started(project, plan, editor_client):
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now())

    response = send(editor_client, "post", f"{run_url(run)}start/", {})

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The runbook has no tasks yet."]}
    run.refresh_from_db()
    assert run.status == "planned"


# --- Go/no-go --------------------------------------------------------------------------------


def test_the_go_no_go_criteria_are_measured_now(project, plan, owner, viewer, runbook):
    plan.decider = project.memberships.get(user=owner)
    plan.save()
    rota = GoNoGoCriterion.objects.create(project=project, order=1, kind="manual", name="Support rota agreed")
    GoNoGoCriterion.objects.create(project=project, order=2, kind="manual", name="Key users on site", manual_met=True)
    rehearsal = GoNoGoCriterion.objects.create(project=project, order=3, kind="rehearsal_in_window")
    training = GoNoGoCriterion.objects.create(
        project=project, order=4, kind="training_completion", comparison="at_least", threshold=Decimal(90)
    )
    client = client_for(viewer)

    response = client.get(GO_NO_GO)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["criteria"][0] == {
        "criterion": rota.pk,
        "kind": "manual",
        "name": "Support rota agreed",
        "comparison": "at_least",
        "threshold": None,
        "target": "",
        "value": None,
        "unit": "",
        "value_text": "—",
        "verdict": "no_data",
        "detail": "Not checked yet.",
        "note": "",
    }
    assert [(c["name"], c["value"], c["verdict"]) for c in body["criteria"][1:]] == [
        ("Key users on site", True, "met"),
        ("Last rehearsal finished within the window", None, "no_data"),
        ("Training completion (%)", None, "no_data"),
    ]
    assert body["criteria"][2]["criterion"] == rehearsal.pk
    assert (body["criteria"][3]["threshold"], body["criteria"][3]["target"]) == ("90.00", "≥ 90")
    assert body["criteria"][3]["criterion"] == training.pk
    assert body["summary"] == {"met": 1, "not_met": 0, "no_data": 3, "ready": False}
    assert (body["decider"], body["decision"]) == ("owner", None)

    # A rehearsal of 2 h 10 fits the window of 2 h 30: the computed criterion is met.
    t0 = (timezone.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=t0)
    services.run_start(run=run, at=t0)
    for number in (1, 2, 3, 4):
        services.task_skip(run=run, task=runbook[number], reason="Dry run")
    services.run_finish(run=run, at=t0 + timedelta(minutes=130))
    services.decision_sign(
        project=project, user=owner, password=PASSWORD, outcome="go_with_conditions", conditions="Rota by Monday"
    )

    body = client.get(GO_NO_GO).json()

    assert (body["criteria"][2]["value"], body["criteria"][2]["verdict"]) == (True, "met")
    assert body["criteria"][2]["detail"] == "Rehearsal 1 took 2 h 10 min; the window is 2 h 30 min."
    decision = body["decision"]
    assert {k: decision[k] for k in ("outcome", "conditions", "decider")} == {
        "outcome": "go_with_conditions",
        "conditions": "Rota by Monday",
        "decider": "owner",
    }
    assert abs(when(decision["decided_at"]) - timezone.now()) < timedelta(minutes=1)


def test_the_go_no_go_is_read_only(project, owner):
    client = client_for(owner)

    for method in ("post", "put", "patch", "delete"):
        assert send(client, method, GO_NO_GO, {"outcome": "go"}).status_code == 405, method


# --- Access ----------------------------------------------------------------------------------


@pytest.fixture
def world(project, plan, editor, runbook):
    run = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=timezone.now())
    services.run_start(run=run, user=editor)
    planned = services.run_create(plan=plan, kind="rehearsal", name="Rehearsal 2", planned_start=timezone.now())
    return {"run": run, "planned": planned}


def reads(world_) -> list[str]:
    run = world_["run"]
    return [
        PLAN,
        TASKS,
        task_url(1),
        CRITICAL_PATH,
        f"{CRITICAL_PATH}?run={run.pk}",
        RUNS,
        run_url(run),
        f"{run_url(run)}tasks/",
        run_task_url(run, 1),
        GO_NO_GO,
    ]


def edits(world_) -> list[tuple[str, str, dict]]:
    run, planned = world_["run"], world_["planned"]
    return [
        ("patch", PLAN, {"strategy": "phased", "version": 1}),
        ("put", PLAN, {"strategy": "phased", "version": 1}),
        ("post", TASKS, {"title": "Extra"}),
        ("patch", task_url(1), {"title": "Mine", "version": 1}),
        ("put", task_url(1), {"title": "Mine", "version": 1}),
        ("delete", task_url(3), {}),
        ("post", RUNS, {"name": "Rehearsal 3", "planned_start": WINDOW_START.isoformat()}),
        ("post", f"{run_url(planned)}abort/", {}),
        ("post", f"{run_url(run)}finish/", {}),
        ("post", f"{run_url(run)}abort/", {}),
        ("post", f"{run_url(planned)}start/", {}),
    ]


def recording(world_) -> tuple[str, str, dict]:
    return ("post", run_task_url(world_["run"], 1), {"action": "start"})


def state() -> tuple:
    return (
        list(CutoverPlan.objects.values_list("strategy", "version")),
        list(CutoverTask.objects.order_by("number").values_list("number", "title", "version")),
        list(CutoverRun.objects.order_by("pk").values_list("name", "status")),
        list(TaskRun.objects.order_by("pk").values_list("status", "actual_start")),
    )


def test_a_tester_reads_and_records_tasks_but_edits_nothing(project, team, world):
    client = client_for(team["tester"])
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 200, url
    for method, url, body in edits(world):
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before

    method, url, body = recording(world)
    assert send(client, method, url, body).status_code == 200
    assert TaskRun.objects.get(run=world["run"], task__number=1).status == "running"


def test_a_viewer_reads_but_cannot_write(project, team, world):
    client = client_for(team["viewer"])
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 200, url
    for method, url, body in [*edits(world), recording(world)]:
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before


def test_a_vendor_gets_403_everywhere(project, team, world):
    client = client_for(team["vendor"])
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 403, url
    for method, url, body in [*edits(world), recording(world)]:
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before


def test_an_outsider_gets_404_everywhere(project, outsider, world):
    client = client_for(outsider)
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 404, url
    for method, url, body in [*edits(world), recording(world)]:
        assert send(client, method, url, body).status_code == 404, (method, url)
    assert state() == before


def test_an_outsider_does_not_get_a_plan_made_by_asking(project, outsider):
    assert client_for(outsider).get(PLAN).status_code == 404
    assert not CutoverPlan.objects.exists()


def test_another_projects_items_are_404_through_this_project(project, editor_client, runbook, elsewhere):
    theirs = elsewhere["run"]

    assert editor_client.get(run_url(theirs)).status_code == 404
    assert send(editor_client, "post", f"{run_url(theirs)}start/", {}).status_code == 404
    assert editor_client.get(f"{run_url(theirs)}tasks/").status_code == 404
    assert send(editor_client, "post", run_task_url(theirs, 1), {"action": "start"}).status_code == 404
    assert [r["name"] for r in editor_client.get(RUNS).json()["results"]] == []
    # Task 1 here is ACME's own task 1, never theirs.
    assert editor_client.get(task_url(1)).json()["title"] == "Freeze master data"
    assert editor_client.get(task_url(5)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "planned"
    assert elsewhere["task"].version == CutoverTask.objects.get(pk=elsewhere["task"].pk).version


def test_a_token_authenticates_like_the_other_endpoints(project, editor, runbook):
    token = Token.objects.create(user=editor)
    client = Client(enforce_csrf_checks=True)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    listed = client.get(TASKS, **auth)
    created = send(client, "post", TASKS, {"title": "From the script", "depends_on": [4]}, **auth)

    assert listed.status_code == 200
    assert listed.json()["count"] == 4
    assert created.status_code == 201, created.content
    assert created.json()["number"] == 5
    assert CutoverTask.objects.get(number=5).history.first().history_user == editor
    assert Client().get(TASKS, HTTP_AUTHORIZATION="Token not-a-real-token").status_code in (401, 403)
    assert Client().get(TASKS).status_code in (401, 403)


def test_changes_are_kept_in_the_history_with_their_author(project, editor, editor_client, runbook):
    send(editor_client, "patch", task_url(2), {"duration_minutes": 45, "version": 1})
    editor_client.get(PLAN)
    send(editor_client, "patch", PLAN, {"strategy": "phased", "version": 1})

    latest = CutoverTask.objects.get(pk=runbook[2].pk).history.first()
    assert (latest.duration_minutes, latest.history_user) == (45, editor)
    plan_change = CutoverPlan.objects.get().history.first()
    assert (plan_change.strategy, plan_change.history_user) == ("phased", editor)


# --- Query counts and schema -----------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(plan, editor, n: int) -> None:
    """n more tasks, each after the previous one, with owner, backup and a phase, in a running rehearsal where
    the first of them are done."""
    members = list(plan.project.memberships.all()[:2])
    phase = plan.phases.first() or CutoverPhase.objects.create(plan=plan, order=1, name="All stores")
    previous = plan.tasks.order_by("-number").first()
    for _ in range(n):
        previous = services.task_create(
            plan=plan,
            title="Step",
            owner=members[0],
            backup=members[1],
            phase=phase,
            predecessors=[previous] if previous else [],
        )
    run = plan.runs.first()
    if run is None:
        run = services.run_create(plan=plan, kind="rehearsal", name="R1", planned_start=timezone.now())
        services.run_start(run=run, user=editor)
        services.task_start(run=run, task=plan.tasks.get(number=1), user=editor)
        services.task_finish(run=run, task=plan.tasks.get(number=1), outcome="done", user=editor)
    else:
        services.run_finish(run=run, abort=True)
        run = services.run_create(plan=plan, kind="rehearsal", name="R2", planned_start=timezone.now())
        services.run_start(run=run, user=editor)


@pytest.mark.parametrize("url", [TASKS, f"{TASKS}?critical=true", PLAN, CRITICAL_PATH, RUNS, GO_NO_GO])
def test_the_reads_do_not_query_per_task(project, plan, editor, viewer, url):
    client = client_for(viewer)
    grow(plan, editor, 5)
    small = queries_for(client, url)
    grow(plan, editor, 35)
    assert CutoverTask.objects.count() == 40

    assert queries_for(client, url) == small


def test_the_task_list_query_count_is_pinned(project, plan, editor, viewer):
    grow(plan, editor, 40)
    client = client_for(viewer)

    body = client.get(TASKS).json()
    assert body["count"] == 40
    assert (body["results"][0]["status"], body["results"][5]["depends_on"]) == ("done", [5])
    # session, user, membership, plan, count, tasks, predecessors; the forecast: tasks, predecessors, the current
    # run and its task runs.
    assert queries_for(client, TASKS) == 11


def test_the_run_task_list_does_not_query_per_task(project, plan, editor, viewer):
    client = client_for(viewer)
    grow(plan, editor, 5)
    url = f"{run_url(plan.runs.get())}tasks/"
    small = queries_for(client, url)
    grow(plan, editor, 35)
    url = f"{run_url(plan.runs.get(status='running'))}tasks/"

    assert queries_for(client, url) == small


def test_the_schema_documents_the_go_live_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    base = "/api/v1/projects/{project_code}"
    for path in [
        "/cutover/",
        "/cutover/tasks/",
        "/cutover/tasks/{task_number}/",
        "/cutover/critical-path/",
        "/cutover/runs/",
        "/cutover/runs/{cutover_run_id}/",
        "/cutover/runs/{cutover_run_id}/start/",
        "/cutover/runs/{cutover_run_id}/finish/",
        "/cutover/runs/{cutover_run_id}/abort/",
        "/cutover/runs/{cutover_run_id}/tasks/",
        "/cutover/runs/{cutover_run_id}/tasks/{task_number}/",
        "/go-no-go/",
    ]:
        assert base + path in paths, path

    def params(path: str) -> set[str]:
        return {p["name"] for p in paths[base + path]["get"]["parameters"]}

    assert {"stream", "kind", "owner", "phase", "critical"} <= params("/cutover/tasks/")
    assert "run" in params("/cutover/critical-path/")
    assert {"status", "stream", "kind"} <= params("/cutover/runs/{cutover_run_id}/tasks/")
    assert set(paths[f"{base}/cutover/"]) >= {"get", "put", "patch"}
    assert "delete" not in paths[f"{base}/cutover/"]
    assert set(paths[f"{base}/go-no-go/"]) == {"get"}
    assert "password" in paths[f"{base}/go-no-go/"]["get"]["description"]
    components = schema["components"]["schemas"]
    assert components["TaskRunStatusEnum"]["enum"] == ["pending", "running", "done", "failed", "skipped"]
    assert components["CutoverStrategyEnum"]["enum"] == ["direct", "parallel", "phased"]
    # The reconciliation verdict keeps the name it had before the go/no-go verdict came.
    assert components["VerdictEnum"]["enum"][0] == "pending"
    assert components["GoNoGoVerdictEnum"]["enum"] == ["met", "not_met", "no_data"]
