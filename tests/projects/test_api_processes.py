"""The process API as an integration sees it: processes, steps, findings and templates under /api/v1/projects/ACME/."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from projects.models import Finding, Process, Step, StepLink
from projects.process_templates import TEMPLATES
from projects.services import processes as services
from tests.conftest import client_for
from tests.factories import ProjectFactory

API = "/api/v1/projects/ACME"
PROCESSES = f"{API}/processes/"
FINDINGS = f"{API}/findings/"
TEMPLATES_URL = f"{API}/process-templates/"
FROM_TEMPLATE = f"{PROCESSES}from-template/"
TEMPLATE_KEY = TEMPLATES[0].key


def process_url(process: Process) -> str:
    return f"{PROCESSES}{process.pk}/"


def steps_url(process: Process) -> str:
    return f"{process_url(process)}steps/"


def step_url(step: Step) -> str:
    return f"{steps_url(step.process)}{step.pk}/"


def send(client: Client, method: str, url: str, data: dict | None = None, **extra):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json", **extra)


def flow(process: Process) -> list[tuple[int, str]]:
    return list(process.steps.order_by("order").values_list("order", "action"))


def arrows(step: Step) -> list[tuple[str, str]]:
    return [(link.to_step.action, link.label) for link in step.links_out.order_by("to_step__order")]


def add_steps(process: Process, *actions: str, lane: str = "Warehouse") -> list[Step]:
    return [services.step_insert(process=process, lane=lane, action=action) for action in actions]


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def process(project):
    process = services.process_create(project=project, name="Receiving", owner_department="warehouse")
    for lane, action in [("Warehouse", "Unload"), ("Quality", "Check"), ("Warehouse", "Put away")]:
        services.step_insert(process=process, lane=lane, action=action)
    return process


@pytest.fixture
def steps(process) -> list[Step]:
    return list(process.steps.order_by("order"))


@pytest.fixture
def finding(steps):
    return services.finding_create(step=steps[0], kind="pain_point", severity=4, description="Slips get lost")


@pytest.fixture
def elsewhere(db):
    """A process with a step and a finding in a project the ACME team does not belong to."""
    other = ProjectFactory(code="ELSEWHERE")
    process = services.process_create(project=other, name="Theirs")
    (step,) = add_steps(process, "Their step")
    finding = services.finding_create(step=step, kind="risk", severity=5, description="Theirs")
    return {"project": other, "process": process, "step": step, "finding": finding}


# --- Processes -------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_process(project, editor_client):
    created = send(
        editor_client,
        "post",
        PROCESSES,
        {"name": "Picking", "kind": "as_is", "owner_department": "warehouse", "description": "Pick and pack"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "name": "Picking",
        "kind": "as_is",
        "owner_department": "warehouse",
        "description": "Pick and pack",
        "derived_from": None,
        "template_key": "",
        "step_count": 0,
        "version": 1,
        "steps": [],
    }
    process = Process.objects.get(pk=body["id"])
    assert process.project == project
    url = process_url(process)

    assert editor_client.get(url).json()["name"] == "Picking"
    listed = editor_client.get(PROCESSES).json()
    assert set(listed) == {"count", "next", "previous", "results"}
    assert [p["id"] for p in listed["results"]] == [process.pk]
    assert "steps" not in listed["results"][0]

    updated = send(editor_client, "patch", url, {"description": "Pick, pack and ship", "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["description"] == "Pick, pack and ship"
    assert updated.json()["version"] == 2

    replaced = send(editor_client, "put", url, {"name": "Picking v2", "kind": "to_be", "version": 2})
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["kind"] == "to_be"
    assert replaced.json()["owner_department"] == "warehouse"

    assert editor_client.delete(url).status_code == 204
    assert not Process.objects.filter(pk=process.pk).exists()


def test_deleting_a_process_deletes_its_steps_and_findings(project, editor_client, process, finding):
    assert editor_client.delete(process_url(process)).status_code == 204

    assert not Step.objects.exists()
    assert not Finding.objects.exists()


def test_the_process_detail_nests_the_steps_in_order_with_arrows_and_findings(project, viewer, process, steps):
    unload, check, put_away = steps
    services.step_set_next(step=check, next_steps=[put_away, unload], labels={unload.pk: "failed check"})
    risk = services.finding_create(step=check, kind="risk", severity=2, description="Checks are skipped")
    pain = services.finding_create(step=check, kind="pain_point", severity=5, description="Paper forms")
    services.step_update(step=put_away, expected_version=put_away.version, ends_flow=True, duration_minutes=20)

    body = client_for(viewer).get(process_url(process)).json()

    assert body["step_count"] == 3
    assert body["steps"] == [
        {
            "id": unload.pk,
            "order": 1,
            "lane": "Warehouse",
            "action": "Unload",
            "system": "",
            "manual": True,
            "duration_minutes": None,
            "ends_flow": False,
            "next": [],
            "findings": [],
        },
        {
            "id": check.pk,
            "order": 2,
            "lane": "Quality",
            "action": "Check",
            "system": "",
            "manual": True,
            "duration_minutes": None,
            "ends_flow": False,
            "next": [{"step": unload.pk, "label": "failed check"}, {"step": put_away.pk, "label": ""}],
            "findings": [pain.pk, risk.pk],
        },
        {
            "id": put_away.pk,
            "order": 3,
            "lane": "Warehouse",
            "action": "Put away",
            "system": "",
            "manual": True,
            "duration_minutes": 20,
            "ends_flow": True,
            "next": [],
            "findings": [],
        },
    ]


def test_derived_from_template_key_and_step_count_are_read_only(project, editor_client, process):
    response = send(
        editor_client,
        "post",
        PROCESSES,
        {"name": "Sneaky", "derived_from": process.pk, "template_key": "procurement", "step_count": 9},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["derived_from"], body["template_key"], body["step_count"]) == (None, "", 0)


@pytest.mark.parametrize(
    ("field", "value"), [("kind", "could_be"), ("owner_department", "canteen"), ("name", ""), ("name", "x" * 201)]
)
def test_a_refused_process_value_is_400(project, editor_client, field, value):
    response = send(editor_client, "post", PROCESSES, {"name": "Picking", field: value})

    assert response.status_code == 400
    assert field in response.json()
    assert not Process.objects.exists()


def test_the_processes_can_be_filtered_by_kind(project, viewer, process):
    to_be = services.process_derive_to_be(process=process)
    client = client_for(viewer)

    assert [p["id"] for p in client.get(PROCESSES, {"kind": "to_be"}).json()["results"]] == [to_be.pk]
    assert [p["id"] for p in client.get(PROCESSES, {"kind": "as_is"}).json()["results"]] == [process.pk]
    assert client.get(PROCESSES, {"kind": "maybe"}).status_code == 400


# --- Steps -----------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_step(project, editor_client, process):
    url = steps_url(process)
    created = send(
        editor_client,
        "post",
        url,
        {"lane": "Finance", "action": "Book the receipt", "system": "Ledger", "manual": False, "duration_minutes": 5},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "order": 4,
        "lane": "Finance",
        "action": "Book the receipt",
        "system": "Ledger",
        "manual": False,
        "duration_minutes": 5,
        "ends_flow": False,
        "next": [],
        "findings": [],
        "version": 1,
    }
    step = Step.objects.get(pk=body["id"])
    assert step.process == process
    detail = step_url(step)

    assert editor_client.get(detail).json()["action"] == "Book the receipt"
    listed = editor_client.get(url).json()
    assert [s["order"] for s in listed["results"]] == [1, 2, 3, 4]

    updated = send(editor_client, "patch", detail, {"ends_flow": True, "version": 1})
    assert updated.status_code == 200, updated.content
    assert updated.json()["ends_flow"] is True
    assert updated.json()["version"] == 2

    replaced = send(editor_client, "put", detail, {"lane": "Finance", "action": "Post it", "version": 2})
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["action"] == "Post it"
    assert replaced.json()["system"] == "Ledger"

    assert editor_client.delete(detail).status_code == 204
    assert not Step.objects.filter(pk=step.pk).exists()


def test_a_step_inserted_at_a_position_moves_the_rest_down(project, editor_client, process):
    response = send(editor_client, "post", steps_url(process), {"lane": "Warehouse", "action": "Count", "position": 2})

    assert response.status_code == 201, response.content
    assert response.json()["order"] == 2
    assert flow(process) == [(1, "Unload"), (2, "Count"), (3, "Check"), (4, "Put away")]


def test_a_position_past_the_end_appends(project, editor_client, process):
    response = send(editor_client, "post", steps_url(process), {"lane": "Warehouse", "action": "Done", "position": 99})

    assert response.json()["order"] == 4
    assert flow(process)[-1] == (4, "Done")


@pytest.mark.parametrize("position", [0, -1, "first"])
def test_a_position_that_is_not_1_or_more_is_400(project, editor_client, process, position):
    response = send(editor_client, "post", steps_url(process), {"lane": "W", "action": "X", "position": position})

    assert response.status_code == 400
    assert "position" in response.json()
    assert process.steps.count() == 3


def test_a_position_on_update_moves_the_step_and_keeps_the_order_dense(project, editor_client, process, steps):
    put_away = steps[2]

    response = send(editor_client, "patch", step_url(put_away), {"position": 1, "action": "Put away now", "version": 1})

    assert response.status_code == 200, response.content
    assert response.json()["order"] == 1
    assert response.json()["version"] == 2
    assert flow(process) == [(1, "Put away now"), (2, "Unload"), (3, "Check")]

    back = send(editor_client, "patch", step_url(put_away), {"position": 99, "version": 2})
    assert back.json()["order"] == 3
    assert flow(process) == [(1, "Unload"), (2, "Check"), (3, "Put away now")]


def test_deleting_a_step_renumbers_the_rest(project, editor_client, process, steps):
    assert editor_client.delete(step_url(steps[0])).status_code == 204

    assert flow(process) == [(1, "Check"), (2, "Put away")]


def test_next_links_with_labels_are_set_replaced_and_cleared(project, editor_client, process, steps):
    unload, check, put_away = steps
    url = step_url(check)

    set_ = send(
        editor_client,
        "patch",
        url,
        {"next": [{"step": put_away.pk, "label": "passed"}, {"step": unload.pk, "label": "failed"}], "version": 1},
    )
    assert set_.status_code == 200, set_.content
    assert set_.json()["next"] == [{"step": unload.pk, "label": "failed"}, {"step": put_away.pk, "label": "passed"}]
    assert arrows(check) == [("Unload", "failed"), ("Put away", "passed")]

    relabelled = send(editor_client, "patch", url, {"next": [{"step": put_away.pk, "label": "ok"}], "version": 2})
    assert relabelled.status_code == 200, relabelled.content
    assert arrows(check) == [("Put away", "ok")]

    untouched = send(editor_client, "patch", url, {"system": "Scanner", "version": 3})
    assert untouched.json()["next"] == [{"step": put_away.pk, "label": "ok"}]

    no_label = send(editor_client, "patch", url, {"next": [{"step": unload.pk}], "version": 4})
    assert no_label.json()["next"] == [{"step": unload.pk, "label": ""}]

    cleared = send(editor_client, "patch", url, {"next": [], "version": 5})
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["next"] == []
    assert not StepLink.objects.exists()


def test_a_new_step_can_come_with_its_arrows(project, editor_client, process, steps):
    response = send(
        editor_client,
        "post",
        steps_url(process),
        {"lane": "Quality", "action": "Recheck", "position": 3, "next": [{"step": steps[0].pk, "label": "again"}]},
    )

    assert response.status_code == 201, response.content
    assert response.json()["next"] == [{"step": steps[0].pk, "label": "again"}]
    assert arrows(Step.objects.get(pk=response.json()["id"])) == [("Unload", "again")]


def test_an_arrow_to_a_step_of_another_process_is_400_and_changes_nothing(project, editor_client, steps):
    other = services.process_create(project=project, name="Shipping")
    (ship,) = add_steps(other, "Ship")
    check = steps[1]
    services.step_set_next(step=check, next_steps=[steps[2]], labels={steps[2].pk: "ok"})

    response = send(
        editor_client,
        "patch",
        step_url(check),
        {"action": "Renamed", "position": 1, "next": [{"step": ship.pk, "label": "ship it"}], "version": 1},
    )

    assert response.status_code == 400
    assert response.json() == {
        "next": ["“Ship” is a step of another process; a step can only lead to steps of its own process."]
    }
    check.refresh_from_db()
    assert (check.action, check.order, check.version) == ("Check", 2, 1)
    assert arrows(check) == [("Put away", "ok")]


def test_a_new_step_with_an_arrow_to_another_process_is_400_and_not_created(project, editor_client, process):
    other = services.process_create(project=project, name="Shipping")
    (ship,) = add_steps(other, "Ship")

    response = send(
        editor_client,
        "post",
        steps_url(process),
        {"lane": "W", "action": "X", "position": 1, "next": [{"step": ship.pk}]},
    )

    assert response.status_code == 400
    assert "next" in response.json()
    assert flow(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]


def test_an_arrow_to_another_projects_step_is_400(project, editor_client, steps, elsewhere):
    response = send(
        editor_client, "patch", step_url(steps[0]), {"next": [{"step": elsewhere["step"].pk}], "version": 1}
    )

    assert response.status_code == 400
    assert "next" in response.json()
    assert not StepLink.objects.exists()


def test_an_arrow_to_the_step_itself_is_400(project, editor_client, steps):
    response = send(editor_client, "patch", step_url(steps[0]), {"next": [{"step": steps[0].pk}], "version": 1})

    assert response.status_code == 400
    assert response.json() == {"next": ["A step cannot lead to itself."]}


def test_the_same_following_step_twice_is_400(project, editor_client, steps):
    response = send(
        editor_client,
        "patch",
        step_url(steps[0]),
        {"next": [{"step": steps[2].pk, "label": "a"}, {"step": steps[2].pk, "label": "b"}], "version": 1},
    )

    assert response.status_code == 400
    assert "next" in response.json()
    assert not StepLink.objects.exists()


def test_a_blank_lane_is_400(project, editor_client, process):
    response = send(editor_client, "post", steps_url(process), {"lane": "   ", "action": "Unload"})

    assert response.status_code == 400
    assert "lane" in response.json()
    assert process.steps.count() == 3


def test_a_step_is_found_only_under_its_own_process(project, editor_client, process, steps):
    other = services.process_create(project=project, name="Shipping")
    url = f"{steps_url(other)}{steps[0].pk}/"

    assert editor_client.get(url).status_code == 404
    assert send(editor_client, "patch", url, {"action": "Moved", "version": 1}).status_code == 404
    assert editor_client.delete(url).status_code == 404
    assert Step.objects.filter(pk=steps[0].pk, action="Unload").exists()


def test_the_steps_of_another_projects_process_are_404(project, editor_client, elsewhere):
    url = steps_url(elsewhere["process"])

    assert editor_client.get(url).status_code == 404
    assert send(editor_client, "post", url, {"lane": "W", "action": "Mine"}).status_code == 404
    assert editor_client.get(step_url(elsewhere["step"])).status_code == 404
    assert elsewhere["process"].steps.count() == 1


# --- As-is → to-be ---------------------------------------------------------------------------


def test_deriving_an_as_is_process_creates_a_to_be_copy(project, editor_client, process, steps, finding):
    services.step_set_next(step=steps[1], next_steps=[steps[0]], labels={steps[0].pk: "failed"})

    response = send(editor_client, "post", f"{process_url(process)}derive/")

    assert response.status_code == 201, response.content
    body = response.json()
    to_be = Process.objects.get(pk=body["id"])
    assert (body["name"], body["kind"], body["derived_from"]) == ("Receiving (to-be)", "to_be", process.pk)
    assert body["owner_department"] == "warehouse"
    assert [s["action"] for s in body["steps"]] == ["Unload", "Check", "Put away"]
    assert body["steps"][1]["next"] == [{"step": body["steps"][0]["id"], "label": "failed"}]
    assert all(s["findings"] == [] for s in body["steps"])
    assert to_be.project == project
    assert flow(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]


def test_a_derived_process_can_be_named(project, editor_client, process):
    response = send(editor_client, "post", f"{process_url(process)}derive/", {"name": "Receiving with scanners"})

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Receiving with scanners"


def test_a_to_be_process_cannot_be_derived_again(project, editor_client, process):
    to_be = services.process_derive_to_be(process=process)

    response = send(editor_client, "post", f"{process_url(to_be)}derive/")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A to-be process is derived from an as-is process."]}
    assert Process.objects.count() == 2


def test_the_comparison_pairs_the_steps_of_a_to_be_with_its_as_is(project, viewer, process, steps):
    to_be = services.process_derive_to_be(process=process)
    unload, check, put_away = to_be.steps.order_by("order")
    services.step_update(step=check, expected_version=check.version, action="Scan", manual=False)
    services.step_delete(step=put_away)
    added = services.step_insert(process=to_be, lane="System", action="Book automatically")

    response = client_for(viewer).get(f"{process_url(to_be)}compare/")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "as_is": process.pk,
        "to_be": to_be.pk,
        "rows": [
            {
                "status": "unchanged",
                "as_is": {"id": steps[0].pk, "order": 1, "action": "Unload"},
                "to_be": {"id": unload.pk, "order": 1, "action": "Unload"},
                "changed": [],
            },
            {
                "status": "changed",
                "as_is": {"id": steps[1].pk, "order": 2, "action": "Check"},
                "to_be": {"id": check.pk, "order": 2, "action": "Scan"},
                "changed": ["action", "manual"],
            },
            {
                "status": "removed",
                "as_is": {"id": steps[2].pk, "order": 3, "action": "Put away"},
                "to_be": None,
                "changed": [],
            },
            {
                "status": "added",
                "as_is": None,
                "to_be": {"id": added.pk, "order": 3, "action": "Book automatically"},
                "changed": [],
            },
        ],
    }


def test_only_a_derived_to_be_process_has_a_comparison(project, viewer, process, elsewhere):
    standalone = services.process_create(project=project, name="Greenfield", kind="to_be")
    foreign_to_be = services.process_derive_to_be(process=elsewhere["process"])
    client = client_for(viewer)

    assert client.get(f"{process_url(process)}compare/").status_code == 404
    assert client.get(f"{process_url(standalone)}compare/").status_code == 404
    assert client.get(f"{PROCESSES}{foreign_to_be.pk}/compare/").status_code == 404


# --- Templates -------------------------------------------------------------------------------


def test_the_templates_are_listed_in_the_requests_language(project, viewer):
    client = client_for(viewer)

    english = client.get(TEMPLATES_URL).json()
    chinese = client.get(TEMPLATES_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert english["count"] == chinese["count"] == len(TEMPLATES)
    for template, listed, translated in zip(TEMPLATES, english["results"], chinese["results"], strict=True):
        with translation.override("en"):
            assert listed == {
                "key": template.key,
                "name": str(template.name),
                "department": template.department,
                "description": str(template.description),
                "step_count": len(template.steps),
            }
        with translation.override("zh-hans"):
            assert (translated["name"], translated["description"]) == (str(template.name), str(template.description))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.key)
def test_a_template_is_copied_into_the_project(project, editor_client, template):
    response = send(editor_client, "post", FROM_TEMPLATE, {"template": template.key})

    assert response.status_code == 201, response.content
    body = response.json()
    process = Process.objects.get(pk=body["id"])
    assert process.project == project
    assert (body["kind"], body["template_key"]) == ("as_is", template.key)
    assert body["owner_department"] == template.department
    assert body["step_count"] == len(template.steps) == len(body["steps"])
    ids = [step["id"] for step in body["steps"]]
    with translation.override("en"):
        expected = sorted((ids[a - 1], ids[b - 1], str(label)) for a, b, label in template.links)
    assert sorted((s["id"], link["step"], link["label"]) for s in body["steps"] for link in s["next"]) == expected


def test_a_template_is_copied_in_the_requests_language(project, editor_client):
    response = send(editor_client, "post", FROM_TEMPLATE, {"template": TEMPLATE_KEY}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 201, response.content
    lanes = [s["lane"] for s in response.json()["steps"]]
    with translation.override("zh-hans"):
        chinese = [str(step.lane) for step in TEMPLATES[0].steps]
    with translation.override("en"):
        english = [str(step.lane) for step in TEMPLATES[0].steps]
    assert lanes == chinese
    assert lanes != english  # some lanes are in the catalogue, so the copy is not all English


@pytest.mark.parametrize("body", [{"template": "payroll"}, {}])
def test_an_unknown_or_missing_template_is_400(project, editor_client, body):
    response = send(editor_client, "post", FROM_TEMPLATE, body)

    assert response.status_code == 400
    assert "template" in response.json()
    assert not Process.objects.exists()


def test_an_unknown_template_names_itself_in_the_message(project, editor_client):
    response = send(editor_client, "post", FROM_TEMPLATE, {"template": "payroll"})

    assert response.json() == {"template": ["There is no process template called “payroll”."]}


# --- Findings --------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_finding(project, editor_client, process, steps):
    created = send(
        editor_client,
        "post",
        FINDINGS,
        {
            "step": steps[1].pk,
            "kind": "redundancy",
            "severity": 3,
            "description": "Counted twice",
            "evidence": "Both the driver and the clerk count.",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "step": steps[1].pk,
        "process": process.pk,
        "kind": "redundancy",
        "severity": 3,
        "description": "Counted twice",
        "evidence": "Both the driver and the clerk count.",
        "version": 1,
    }
    url = f"{FINDINGS}{body['id']}/"

    assert editor_client.get(url).json()["description"] == "Counted twice"
    assert [f["id"] for f in editor_client.get(FINDINGS).json()["results"]] == [body["id"]]
    assert editor_client.get(process_url(process)).json()["steps"][1]["findings"] == [body["id"]]

    other = services.process_create(project=project, name="Shipping")
    (ship,) = add_steps(other, "Ship")
    moved = send(editor_client, "patch", url, {"step": ship.pk, "severity": 5, "version": 1})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["step"], moved.json()["process"], moved.json()["version"]) == (ship.pk, other.pk, 2)

    replaced = send(
        editor_client,
        "put",
        url,
        {"step": steps[0].pk, "kind": "risk", "description": "Counts disagree", "version": 2},
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["kind"] == "risk"
    assert replaced.json()["evidence"] == "Both the driver and the clerk count."

    assert editor_client.delete(url).status_code == 204
    assert not Finding.objects.filter(pk=body["id"]).exists()


def test_a_finding_on_another_projects_step_is_400(project, editor_client, finding, elsewhere):
    body = {"step": elsewhere["step"].pk, "kind": "risk", "description": "Mine"}

    created = send(editor_client, "post", FINDINGS, body)
    moved = send(editor_client, "patch", f"{FINDINGS}{finding.pk}/", {"step": elsewhere["step"].pk, "version": 1})

    assert (created.status_code, moved.status_code) == (400, 400)
    assert "step" in created.json()
    assert "step" in moved.json()
    assert Finding.objects.filter(step__process__project=project).count() == 1
    finding.refresh_from_db()
    assert finding.step.process.project == project
    assert finding.version == 1


@pytest.mark.parametrize(("field", "value"), [("severity", 0), ("severity", 6), ("kind", "gossip"), ("step", None)])
def test_a_refused_finding_value_is_400(project, editor_client, steps, field, value):
    body = {"step": steps[0].pk, "kind": "risk", "severity": 3, "description": "X", field: value}

    response = send(editor_client, "post", FINDINGS, body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Finding.objects.exists()


@pytest.fixture
def many_findings(project, process, steps):
    shipping = services.process_create(project=project, name="Shipping")
    (ship,) = add_steps(shipping, "Load the truck", lane="Dispatch")
    made = {}
    for key, step, kind, severity, description, evidence in [
        ("slips", steps[0], "pain_point", 4, "Slips get lost", ""),
        ("double", steps[1], "redundancy", 2, "Counted twice", "Driver and clerk both count"),
        ("shelf", steps[2], "risk", 5, "Wrong shelf", "Found by the stocktake"),
        ("late", ship, "pain_point", 3, "Trucks leave late", ""),
    ]:
        made[key] = services.finding_create(
            step=step, kind=kind, severity=severity, description=description, evidence=evidence
        )
    made["shipping"] = shipping
    return made


def test_the_findings_are_listed_most_severe_first(project, viewer, many_findings):
    body = client_for(viewer).get(FINDINGS).json()

    assert [f["description"] for f in body["results"]] == [
        "Wrong shelf",
        "Slips get lost",
        "Trucks leave late",
        "Counted twice",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "pain_point"}, ["slips", "late"]),
        ({"severity_min": 4}, ["shelf", "slips"]),
        ({"lane": "warehouse"}, ["shelf", "slips"]),
        ({"search": "stocktake"}, ["shelf"]),
        ({"search": "COUNTED"}, ["double"]),
        ({"kind": "pain_point", "severity_min": 4}, ["slips"]),
    ],
)
def test_the_findings_can_be_filtered(project, viewer, many_findings, params, expected):
    body = client_for(viewer).get(FINDINGS, params).json()

    assert [f["id"] for f in body["results"]] == [many_findings[key].pk for key in expected]


def test_the_findings_can_be_filtered_by_process(project, viewer, many_findings):
    body = client_for(viewer).get(FINDINGS, {"process": many_findings["shipping"].pk}).json()

    assert [f["id"] for f in body["results"]] == [many_findings["late"].pk]


@pytest.mark.parametrize("params", [{"kind": "gossip"}, {"severity_min": "high"}, {"process": "x"}])
def test_an_invalid_finding_filter_is_400(project, viewer, params):
    assert client_for(viewer).get(FINDINGS, params).status_code == 400


def test_the_findings_list_shows_only_this_projects_findings(project, viewer, finding, elsewhere):
    body = client_for(viewer).get(FINDINGS, {"process": elsewhere["process"].pk}).json()

    assert body["count"] == 0
    assert client_for(viewer).get(FINDINGS).json()["count"] == 1


# --- Access ----------------------------------------------------------------------------------


@pytest.fixture
def urls(process, steps, finding):
    """(list URL, detail URL, valid create body) for each resource."""
    return {
        "processes": (PROCESSES, process_url(process), {"name": "More"}),
        "steps": (steps_url(process), step_url(steps[0]), {"lane": "W", "action": "More"}),
        "findings": (FINDINGS, f"{FINDINGS}{finding.pk}/", {"step": steps[0].pk, "kind": "risk", "description": "M"}),
    }


RESOURCES = ["processes", "steps", "findings"]


def counts() -> tuple[int, int, int, int]:
    return (Process.objects.count(), Step.objects.count(), StepLink.objects.count(), Finding.objects.count())


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_viewer_reads_but_cannot_write(project, viewer, urls, resource):
    list_url, detail_url, body = urls[resource]
    client = client_for(viewer)
    before = counts()

    assert client.get(list_url).status_code == 200
    assert client.get(detail_url).status_code == 200
    assert send(client, "post", list_url, body).status_code == 403
    assert send(client, "patch", detail_url, {"version": 1}).status_code == 403
    assert send(client, "put", detail_url, {**body, "version": 1}).status_code == 403
    assert client.delete(detail_url).status_code == 403
    assert counts() == before


def test_a_viewer_reads_templates_and_comparisons_but_cannot_copy(project, viewer, process):
    to_be = services.process_derive_to_be(process=process)
    client = client_for(viewer)
    before = counts()

    assert client.get(TEMPLATES_URL).status_code == 200
    assert client.get(f"{process_url(to_be)}compare/").status_code == 200
    assert send(client, "post", f"{process_url(process)}derive/").status_code == 403
    assert send(client, "post", FROM_TEMPLATE, {"template": TEMPLATE_KEY}).status_code == 403
    assert counts() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_outsider_gets_404_everywhere(project, outsider, urls, resource):
    list_url, detail_url, body = urls[resource]
    client = client_for(outsider)

    assert client.get(list_url).status_code == 404
    assert client.get(detail_url).status_code == 404
    assert send(client, "post", list_url, body).status_code == 404
    assert send(client, "patch", detail_url, {"version": 1}).status_code == 404
    assert client.delete(detail_url).status_code == 404


def test_an_outsider_gets_404_on_the_process_actions(project, outsider, process):
    to_be = services.process_derive_to_be(process=process)
    client = client_for(outsider)

    assert client.get(TEMPLATES_URL).status_code == 404
    assert client.get(f"{process_url(to_be)}compare/").status_code == 404
    assert send(client, "post", f"{process_url(process)}derive/").status_code == 404
    assert send(client, "post", FROM_TEMPLATE, {"template": TEMPLATE_KEY}).status_code == 404
    assert Process.objects.count() == 2


@pytest.mark.parametrize("resource", ["process", "finding"])
def test_another_projects_item_is_404_through_this_project(project, editor_client, elsewhere, resource):
    item = elsewhere[resource]
    url = f"{PROCESSES if resource == 'process' else FINDINGS}{item.pk}/"

    assert editor_client.get(url).status_code == 404
    assert send(editor_client, "patch", url, {"version": 1}).status_code == 404
    assert editor_client.delete(url).status_code == 404
    assert send(editor_client, "post", f"{PROCESSES}{elsewhere['process'].pk}/derive/").status_code == 404
    assert type(item).objects.filter(pk=item.pk).exists()
    assert Process.objects.count() == 1


def test_the_lists_show_only_this_projects_items(project, viewer, urls, elsewhere):
    client = client_for(viewer)

    for resource in RESOURCES:
        expected = 3 if resource == "steps" else 1
        assert client.get(urls[resource][0]).json()["count"] == expected, resource


# --- Versions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "first", "second"),
    [
        ("processes", {"description": "first"}, {"name": "Late"}),
        ("steps", {"system": "Scanner"}, {"action": "Late", "position": 3, "next": []}),
        ("findings", {"severity": 1}, {"description": "Late"}),
    ],
)
def test_a_stale_version_is_409_and_changes_nothing(project, editor_client, urls, steps, resource, first, second):
    services.step_set_next(step=steps[0], next_steps=[steps[2]], labels={steps[2].pk: "skip"})
    detail_url = urls[resource][1]
    read = editor_client.get(detail_url).json()
    assert send(editor_client, "patch", detail_url, {**first, "version": read["version"]}).status_code == 200

    response = send(editor_client, "patch", detail_url, {**second, "version": read["version"]})

    assert response.status_code == 409
    assert "Your changes were not saved" in response.json()["detail"]
    now = editor_client.get(detail_url).json()
    assert now["version"] == read["version"] + 1
    for name in second:
        if name != "position":
            assert now[name] == read[name], name
    assert now.get("order", 1) == read.get("order", 1)


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_update_without_the_version_is_400(project, editor_client, urls, resource):
    response = send(editor_client, "patch", urls[resource][1], {})

    assert response.status_code == 400
    assert "version" in response.json()


# --- Query counts and schema -----------------------------------------------------------------


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_process(process: Process, n: int) -> None:
    """n more steps, each with a finding and (but the first step) a labelled arrow back to the first step."""
    for i in range(n):
        step = services.step_insert(process=process, lane=f"Lane {i % 3}", action=f"Step {i}")
        services.finding_create(step=step, kind="risk", severity=3, description=f"Finding {i}")
        first = process.steps.get(order=1)
        if step != first:
            services.step_set_next(step=step, next_steps=[first], labels={first.pk: "again"})


def test_the_process_list_does_not_query_per_process(project, viewer):
    client = client_for(viewer)

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            process = services.process_create(project=project, name=f"Process {i}")
            grow_process(process, 2)
            services.process_derive_to_be(process=process)

    grow(1, 0)
    small = queries_for(client, PROCESSES)
    grow(3, 1)
    assert client.get(PROCESSES).json()["count"] == 8
    assert queries_for(client, PROCESSES) == small == 5


def test_the_process_detail_does_not_query_per_step(project, viewer, process):
    client = client_for(viewer)
    Step.objects.filter(process=process).delete()

    grow_process(process, 2)
    small = queries_for(client, process_url(process))
    grow_process(process, 6)
    assert len(client.get(process_url(process)).json()["steps"]) == 8
    assert queries_for(client, process_url(process)) == small == 8


def test_the_step_list_does_not_query_per_step(project, viewer, process):
    client = client_for(viewer)
    Step.objects.filter(process=process).delete()

    grow_process(process, 2)
    small = queries_for(client, steps_url(process))
    grow_process(process, 6)
    assert client.get(steps_url(process)).json()["count"] == 8
    assert queries_for(client, steps_url(process)) == small == 8


def test_the_findings_list_does_not_query_per_finding(project, viewer, process, steps):
    client = client_for(viewer)

    def grow(n: int) -> None:
        for i in range(n):
            services.finding_create(step=steps[i % 3], kind="risk", severity=1 + i % 5, description=f"F {i}")

    grow(2)
    small = queries_for(client, FINDINGS)
    grow(6)
    assert client.get(FINDINGS).json()["count"] == 8
    assert queries_for(client, FINDINGS) == small == 5


def test_the_schema_documents_the_process_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    base = "/api/v1/projects/{project_code}"
    for path in [
        "/processes/",
        "/processes/{process_id}/",
        "/processes/{process_id}/steps/",
        "/processes/{process_id}/steps/{step_id}/",
        "/processes/{process_id}/derive/",
        "/processes/{process_id}/compare/",
        "/processes/from-template/",
        "/process-templates/",
        "/findings/",
        "/findings/{finding_id}/",
    ]:
        assert base + path in paths, path
    finding_params = {p["name"] for p in paths[f"{base}/findings/"]["get"]["parameters"]}
    assert {"kind", "severity_min", "process", "lane", "search"} <= finding_params
    assert "kind" in {p["name"] for p in paths[f"{base}/processes/"]["get"]["parameters"]}
    assert "201" in paths[f"{base}/processes/{{process_id}}/derive/"]["post"]["responses"]
