"""The process pages: list, templates, detail with diagram and steps, step order and flow, derive and compare."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from projects.models import Finding, Process, Step, StepLink
from projects.process_templates import TEMPLATES
from projects.services import processes as services
from tests.conftest import client_for
from tests.factories import ProjectFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def make_process(
    project,
    name="Receiving",
    steps=(("Warehouse", "Unload"), ("Quality", "Check"), ("Warehouse", "Put away")),
    **fields,
):
    process = services.process_create(project=project, name=name, **fields)
    for lane, action in steps:
        services.step_insert(process=process, lane=lane, action=action)
    return process


def orders(process) -> list[tuple[int, str]]:
    return list(process.steps.order_by("order").values_list("order", "action"))


def step_of(process, order: int) -> Step:
    return process.steps.get(order=order)


def step_data(**overrides) -> dict:
    data = {"lane": "Warehouse", "action": "Count the pallets", "system": "", "duration_minutes": "", "after": ""}
    data.update(overrides)
    return data


def edit_data(step: Step, **overrides) -> dict:
    """What the step's edit form posts back unchanged (an unticked checkbox is not posted)."""
    data = {
        "lane": step.lane,
        "action": step.action,
        "system": step.system,
        "duration_minutes": step.duration_minutes or "",
        "version": step.version,
    }
    if step.manual:
        data["manual"] = "on"
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture(autouse=True)
def _back_to_english():
    """Switching the language activates it on the test thread; do not leak it into other tests."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def process(project):
    return make_process(project)


# --- The list --------------------------------------------------------------------------------


def test_the_empty_list_explains_the_step_and_offers_templates_to_editors(project, editor):
    response = client_for(editor).get(url("process-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="processes-empty"' in content
    assert "Map today's purchasing, receiving, sales, shipping, stock-taking and returns" in content
    assert url("process-templates") in content
    assert url("process-create") in content
    assert 'data-testid="process-tabs"' in content
    assert url("finding-list") in content


def test_a_viewer_sees_the_empty_list_without_the_create_button(project, viewer):
    content = client_for(viewer).get(url("process-list")).content.decode()

    assert 'data-testid="processes-empty"' in content
    assert url("process-create") not in content


def test_the_list_groups_as_is_and_to_be_with_counts_and_the_derived_from_link(project, viewer):
    as_is = make_process(project, owner_department="warehouse")
    step = step_of(as_is, 1)
    services.finding_create(step=step, kind="pain_point", severity=4, description="Slips get lost")
    services.finding_create(step=step, kind="risk", severity=5, description="No check of quantities")
    services.finding_create(step=step_of(as_is, 2), kind="risk", severity=2, description="Only one inspector")
    to_be = services.process_derive_to_be(process=as_is, name="Receiving with scanners")

    response = client_for(viewer).get(url("process-list"))

    groups = {kind: processes for kind, _label, processes in response.context["groups"]}
    assert groups["as_is"] == [as_is] and groups["to_be"] == [to_be]
    row = groups["as_is"][0]
    assert (row.step_count, row.pain_point_count, row.redundancy_count, row.risk_count) == (3, 1, 0, 2)
    content = response.content.decode()
    assert "Warehouse" in content
    assert '<span class="fw-bold me-1">2</span>Risk' in content
    assert f'href="{url("process-detail", process_id=as_is.pk)}" data-testid="derived-from"' in content
    assert url("process-detail", process_id=to_be.pk) in content
    assert url("process-create") not in content


# --- Templates -------------------------------------------------------------------------------


def test_the_templates_page_lists_every_template_for_a_viewer_without_copying(project, viewer):
    response = client_for(viewer).get(url("process-templates"))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="template"') == len(TEMPLATES)
    procurement = next(t for t in TEMPLATES if t.key == "procurement")
    assert escape(str(procurement.name)) in content
    assert escape(str(procurement.description)) in content
    assert "Department head" in content  # a lane
    assert 'name="templates"' not in content
    assert "Copy selected" not in content


def test_two_ticked_templates_become_two_processes_with_their_steps(project, editor):
    first, second = TEMPLATES[0], TEMPLATES[1]

    response = client_for(editor).post(url("process-templates"), {"templates": [first.key, second.key]}, follow=True)

    assert response.redirect_chain[-1][0] == url("process-list")
    assert "2 processes copied from the templates." in response.content.decode()
    copies = {p.template_key: p for p in Process.objects.filter(project=project)}
    assert set(copies) == {first.key, second.key}
    for template in (first, second):
        copy = copies[template.key]
        assert copy.kind == Process.Kind.AS_IS
        assert [s.action for s in copy.steps.order_by("order")] == [str(t.action) for t in template.steps]
    assert StepLink.objects.filter(from_step__process=copies[first.key]).count() == len(first.links)


def test_a_copied_template_is_marked_and_can_be_copied_again(project, editor):
    client = client_for(editor)
    client.post(url("process-templates"), {"templates": ["procurement"]})

    content = client.get(url("process-templates")).content.decode()
    entry = content.split('data-key="procurement"')[1].split('data-testid="template"')[0]
    assert 'data-testid="already-copied"' in entry
    assert content.count('data-testid="already-copied"') == 1

    response = client.post(url("process-templates"), {"templates": ["procurement"]}, follow=True)
    assert "1 process copied from the templates." in response.content.decode()
    assert Process.objects.filter(project=project, template_key="procurement").count() == 2


def test_a_template_is_copied_in_the_users_language(project, editor):
    client = client_for(editor)
    client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})

    client.post(url("process-templates"), {"templates": ["procurement"]})

    template = next(t for t in TEMPLATES if t.key == "procurement")
    with translation.override("zh-hans"):
        expected = (str(template.name), [str(step.action) for step in template.steps])
    copy = Process.objects.get(project=project)
    assert (copy.name, [s.action for s in copy.steps.order_by("order")]) == expected


def test_copying_nothing_or_an_unknown_template_is_refused(project, editor):
    client = client_for(editor)

    nothing = client.post(url("process-templates"), {})
    forged = client.post(url("process-templates"), {"templates": ["forged"]})

    assert "Tick at least one template to copy." in nothing.content.decode()
    assert forged.status_code == 200 and forged.context["form"].errors["templates"]
    assert not Process.objects.exists()


# --- Detail and diagram ----------------------------------------------------------------------


def test_the_detail_shows_header_diagram_steps_and_history_to_a_viewer(project, viewer):
    process = make_process(project, owner_department="warehouse", description="Trucks **wait** <script>x</script>")
    services.step_update(step=step_of(process, 1), expected_version=1, system="paper", manual=True, duration_minutes=45)
    finding = services.finding_create(
        step=step_of(process, 2), kind="redundancy", severity=3, description="Counted twice"
    )

    response = client_for(viewer).get(url("process-detail", process_id=process.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<strong>wait</strong>" in content and "<script>x" not in content
    assert 'data-process-kind="as_is"' in content
    assert "Warehouse" in content
    assert "<svg" in str(response.context["diagram"]) and str(response.context["diagram"]) in content
    assert url("process-diagram", process_id=process.pk) in content
    assert [s.order for s in response.context["steps"]] == [1, 2, 3]
    for step in process.steps.all():
        assert f'id="step-{step.pk}"' in content
    assert "45 min" in content and "paper" in content
    assert url("finding-detail", finding_id=finding.pk) in content
    assert "→ next" in content  # step 1 goes on with step 2
    assert "ends" in content  # the last step
    labels = {(e.model_label, e.action) for e in response.context["page_obj"]}
    assert {("process", "+"), ("step", "+"), ("finding", "+")} <= labels
    # A viewer gets no controls.
    assert url("step-move", step_id=step_of(process, 2).pk) not in content
    assert url("process-edit", process_id=process.pk) not in content
    assert 'data-testid="step-add-form"' not in content
    assert url("process-derive", process_id=process.pk) not in content


def test_a_process_without_steps_says_what_to_do_first(project, editor):
    process = services.process_create(project=project, name="Returns")

    content = client_for(editor).get(url("process-detail", process_id=process.pk)).content.decode()

    assert "No steps yet." in content
    assert "The diagram appears as soon as the process has steps." in content
    assert 'data-testid="step-add-form"' in content


def test_an_editor_gets_move_edit_delete_and_add_controls(project, editor, process):
    content = client_for(editor).get(url("process-detail", process_id=process.pk)).content.decode()

    step = step_of(process, 2)
    assert url("step-move", step_id=step.pk) in content
    assert url("step-edit", step_id=step.pk) in content
    assert url("step-delete", step_id=step.pk) in content
    assert url("finding-create", step_id=step.pk) in content
    assert 'data-testid="step-add-form"' in content
    assert '<datalist id="lane-options"><option value="Warehouse"></option><option value="Quality"></option>' in content
    assert url("process-derive", process_id=process.pk) in content


def test_the_diagram_is_served_as_svg(project, viewer, process):
    response = client_for(viewer).get(url("process-diagram", process_id=process.pk))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response.content.lstrip().startswith(b"<svg")


def test_another_projects_process_is_404(project, editor):
    foreign = make_process(ProjectFactory(code="ELSE"))
    client = client_for(editor)

    assert client.get(url("process-detail", process_id=foreign.pk)).status_code == 404
    assert client.post(url("process-delete", process_id=foreign.pk)).status_code == 404
    foreign_step = step_of(foreign, 1)
    assert client.post(url("step-move", step_id=foreign_step.pk), {"direction": "down"}).status_code == 404
    assert orders(foreign)[0] == (1, "Unload")


# --- Permissions -----------------------------------------------------------------------------


@pytest.fixture
def items(project):
    process = make_process(project)
    step = step_of(process, 1)
    finding = services.finding_create(step=step, kind="risk", severity=3, description="Slips get lost")
    return {"process": process, "step": step, "finding": finding}


def write_urls(items) -> list[str]:
    process, step, finding = items["process"].pk, items["step"].pk, items["finding"].pk
    return [
        url("process-create"),
        url("process-edit", process_id=process),
        url("process-delete", process_id=process),
        url("process-derive", process_id=process),
        url("step-create", process_id=process),
        url("step-edit", step_id=step),
        url("step-delete", step_id=step),
        url("step-move", step_id=step),
        url("finding-create", step_id=step),
        url("finding-edit", finding_id=finding),
        url("finding-delete", finding_id=finding),
    ]


@pytest.mark.parametrize("role", ["viewer", "tester"])
def test_viewers_and_testers_get_403_on_every_write(project, team, items, role):
    client = client_for(team[role])

    for target in write_urls(items):
        assert client.post(target, {"direction": "up", "templates": ["procurement"]}).status_code == 403, target
        if "move" not in target:
            assert client.get(target).status_code == 403, target
    assert client.post(url("process-templates"), {"templates": ["procurement"]}).status_code == 403
    assert client.get(url("process-templates")).status_code == 200
    assert Process.objects.count() == 1 and Step.objects.count() == 3 and Finding.objects.count() == 1


def test_an_outsider_gets_404_everywhere(project, items, outsider):
    client = client_for(outsider)

    for target in [*write_urls(items), url("process-list"), url("process-detail", process_id=items["process"].pk)]:
        assert client.get(target).status_code == 404, target
        assert client.post(target).status_code == 404, target


# --- Processes: create, edit, delete ---------------------------------------------------------


def test_an_editor_creates_a_process(project, editor):
    response = client_for(editor).post(
        url("process-create"), {"name": "Goods receipt", "kind": "as_is", "owner_department": "warehouse"}
    )

    process = Process.objects.get(project=project)
    assert response["Location"] == url("process-detail", process_id=process.pk)
    assert (process.name, process.owner_department) == ("Goods receipt", "warehouse")


def test_a_process_needs_a_name(project, editor):
    response = client_for(editor).post(url("process-create"), {"name": "", "kind": "as_is"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Process.objects.exists()


def test_a_process_is_edited_with_its_version_and_a_stale_save_is_refused(project, editor, owner, process):
    services.process_update(process=Process.objects.get(pk=process.pk), expected_version=1, name="Owner's name")

    response = client_for(editor).post(
        url("process-edit", process_id=process.pk), {"name": "Editor's name", "description": "typed", "version": 1}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your changes were not saved." in content
    assert 'value="Editor&#x27;s name"' in content
    assert response.context["process"].name == "Owner's name"
    process.refresh_from_db()
    assert (process.name, process.version) == ("Owner's name", 2)

    saved = client_for(editor).post(
        url("process-edit", process_id=process.pk), {"name": "Receiving", "owner_department": "", "version": 2}
    )
    assert saved.status_code == 302
    process.refresh_from_db()
    assert (process.name, process.version) == ("Receiving", 3)


def test_deleting_a_process_says_how_many_steps_and_findings_go_with_it(project, editor, process):
    services.finding_create(step=step_of(process, 1), kind="risk", severity=3, description="x")
    client = client_for(editor)

    confirm = client.get(url("process-delete", process_id=process.pk)).content.decode()
    assert "Its 3 steps and 1 finding are deleted with it." in confirm

    response = client.post(url("process-delete", process_id=process.pk))
    assert response["Location"] == url("process-list")
    assert not Process.objects.exists() and not Step.objects.exists() and not Finding.objects.exists()


# --- Steps: add, move, delete ----------------------------------------------------------------


def test_a_step_is_added_at_the_end_by_default(project, editor, process):
    response = client_for(editor).post(url("step-create", process_id=process.pk), step_data(manual="on"))

    new = process.steps.get(action="Count the pallets")
    assert response["Location"] == url("process-detail", process_id=process.pk) + f"#step-{new.pk}"
    assert orders(process)[-1] == (4, "Count the pallets")
    assert new.manual


def test_a_step_is_added_after_step_n_and_the_rest_move_down(project, editor, process):
    client_for(editor).post(url("step-create", process_id=process.pk), step_data(after="1", duration_minutes="20"))

    assert orders(process) == [(1, "Unload"), (2, "Count the pallets"), (3, "Check"), (4, "Put away")]
    assert process.steps.get(order=2).duration_minutes == 20


def test_a_step_is_added_at_the_start(project, editor, process):
    client_for(editor).post(url("step-create", process_id=process.pk), step_data(after="0"))

    assert orders(process)[0] == (1, "Count the pallets")
    assert [o for o, _a in orders(process)] == [1, 2, 3, 4]


def test_the_step_form_page_offers_positions_and_keeps_what_was_typed(project, editor, process):
    client = client_for(editor)

    page = client.get(url("step-create", process_id=process.pk) + "?after=2")
    choices = [str(value) for value, _label in page.context["form"].fields["after"].choices]
    assert choices == ["", "0", "1", "2", "3"]
    assert page.context["form"].initial["after"] == "2"

    response = client.post(url("step-create", process_id=process.pk), step_data(lane="  ", action="Typed action"))
    assert response.status_code == 200
    assert response.context["form"].errors["lane"] == ["Name the role or department that does this step."]
    assert 'value="Typed action"' in response.content.decode()
    assert process.steps.count() == 3


def test_an_empty_action_is_refused_next_to_the_field(project, editor, process):
    response = client_for(editor).post(url("step-create", process_id=process.pk), step_data(action=""))

    assert response.context["form"].errors["action"] == ["Say what is done in this step."]
    assert process.steps.count() == 3


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ({"direction": "up"}, [(1, "Unload"), (2, "Put away"), (3, "Check")]),
        ({"position": "1"}, [(1, "Put away"), (2, "Unload"), (3, "Check")]),
        ({"position": "99"}, [(1, "Unload"), (2, "Check"), (3, "Put away")]),
    ],
)
def test_moving_the_last_step_keeps_the_order_dense(project, editor, process, post, expected):
    last = step_of(process, 3)

    response = client_for(editor).post(url("step-move", step_id=last.pk), post)

    assert response["Location"] == url("process-detail", process_id=process.pk) + f"#step-{last.pk}"
    assert orders(process) == expected


def test_moving_a_step_down_and_up_again(project, editor, process):
    client = client_for(editor)
    first = step_of(process, 1)

    client.post(url("step-move", step_id=first.pk), {"direction": "down"})
    assert orders(process) == [(1, "Check"), (2, "Unload"), (3, "Put away")]

    response = client.post(url("step-move", step_id=first.pk), {"direction": "up"}, follow=True)
    assert orders(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]
    assert "“Unload” is now step 1 (was 2)." in messages_of(response)


def test_moving_the_first_step_up_leaves_everything_in_place(project, editor, process):
    response = client_for(editor).post(
        url("step-move", step_id=step_of(process, 1).pk), {"direction": "up"}, follow=True
    )

    assert orders(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]
    assert "Step 1 is already there." in messages_of(response)


@pytest.mark.parametrize(
    "post",
    [{}, {"direction": "sideways"}, {"position": "0"}, {"position": "abc"}, {"direction": "up", "position": "2"}],
)
def test_a_bad_move_is_refused_with_a_message(project, editor, process, post):
    step = step_of(process, 2)

    response = client_for(editor).post(url("step-move", step_id=step.pk), post, follow=True)

    assert response.redirect_chain[-1][0].startswith(url("process-detail", process_id=process.pk))
    assert any("The step was not moved" in m for m in messages_of(response))
    assert orders(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]


def test_moving_is_post_only(project, editor, process):
    assert client_for(editor).get(url("step-move", step_id=step_of(process, 1).pk)).status_code == 405


def test_deleting_a_step_says_its_findings_go_too_and_closes_the_gap(project, editor, process):
    step = step_of(process, 2)
    services.finding_create(step=step, kind="risk", severity=3, description="x")
    services.finding_create(step=step, kind="pain_point", severity=2, description="y")
    client = client_for(editor)

    confirm = client.get(url("step-delete", step_id=step.pk)).content.decode()
    assert "Its 2 findings go with it, and the steps after it move up." in confirm

    response = client.post(url("step-delete", step_id=step.pk))
    assert response["Location"] == url("process-detail", process_id=process.pk)
    assert orders(process) == [(1, "Unload"), (2, "Put away")]
    assert not Finding.objects.exists()


# --- Steps: edit with next steps -------------------------------------------------------------


def test_next_steps_with_labels_are_saved_and_drawn(project, editor, process):
    check, unload, put_away = step_of(process, 2), step_of(process, 1), step_of(process, 3)
    client = client_for(editor)

    form = client.get(url("step-edit", step_id=check.pk)).context["form"]
    assert [row["step"].pk for row in form.next_rows()] == [unload.pk, put_away.pk]

    response = client.post(
        url("step-edit", step_id=check.pk),
        edit_data(
            check,
            next_steps=[put_away.pk, unload.pk],
            **{f"label_{unload.pk}": "failed check", f"label_{put_away.pk}": "passed"},
        ),
    )

    assert response.status_code == 302
    links = {(link.to_step_id, link.label) for link in check.links_out.all()}
    assert links == {(unload.pk, "failed check"), (put_away.pk, "passed")}
    check.refresh_from_db()
    assert check.version == 2
    page = client.get(url("process-detail", process_id=process.pk))
    content = page.content.decode()
    assert (
        f'<a href="#step-{unload.pk}">→ 1</a> <span class="badge bg-secondary-lt text-wrap">failed check</span>'
        in content
    )
    diagram = str(page.context["diagram"])
    assert "sl-edge-label" in diagram and "failed check" in diagram and "passed" in diagram

    # The edit form shows them again, and unticking all goes back to "the following step".
    again = client.get(url("step-edit", step_id=check.pk)).context["form"]
    assert [(row["step"].pk, row["checked"], row["label"].value()) for row in again.next_rows()] == [
        (unload.pk, True, "failed check"),
        (put_away.pk, True, "passed"),
    ]
    client.post(url("step-edit", step_id=check.pk), edit_data(check, version=2))
    assert not check.links_out.exists()


def test_a_next_step_of_another_process_is_refused_and_nothing_changes(project, editor, process):
    other = make_process(project, name="Returns", steps=[("Store", "Take back")])
    step = step_of(process, 1)

    response = client_for(editor).post(
        url("step-edit", step_id=step.pk), edit_data(step, action="Changed", next_steps=[step_of(other, 1).pk])
    )

    assert response.status_code == 200
    message = "“Take back” is a step of another process; a step can only lead to steps of its own process."
    assert response.context["form"].errors["next_steps"] == [message]
    assert f'data-testid="next-steps-error">{message}' in response.content.decode()
    step.refresh_from_db()
    assert (step.action, step.version) == ("Unload", 1)
    assert not StepLink.objects.exists()


def test_a_next_step_of_another_project_is_not_a_choice(project, editor, process):
    foreign = make_process(ProjectFactory(code="ELSE"))
    step = step_of(process, 1)

    response = client_for(editor).post(
        url("step-edit", step_id=step.pk), edit_data(step, next_steps=[step_of(foreign, 2).pk])
    )

    assert response.context["form"].errors["next_steps"] == ["Choose the next steps among the steps of this process."]
    assert not StepLink.objects.exists()


def test_a_step_that_ends_the_process_has_no_next_steps(project, editor, process):
    step = step_of(process, 2)

    response = client_for(editor).post(
        url("step-edit", step_id=step.pk), edit_data(step, ends_flow="on", next_steps=[step_of(process, 1).pk])
    )

    assert response.context["form"].errors["ends_flow"]
    assert not StepLink.objects.exists()


def test_an_empty_lane_is_refused_next_to_the_field_on_edit(project, editor, process):
    step = step_of(process, 1)

    response = client_for(editor).post(url("step-edit", step_id=step.pk), edit_data(step, lane=" "))

    assert response.context["form"].errors["lane"] == ["Name the role or department that does this step."]
    step.refresh_from_db()
    assert step.lane == "Warehouse"


def test_a_stale_step_save_is_refused_and_keeps_what_was_typed(project, editor, owner, process):
    step = step_of(process, 1)
    services.step_update(step=Step.objects.get(pk=step.pk), expected_version=1, action="Owner's action")

    response = client_for(editor).post(
        url("step-edit", step_id=step.pk),
        edit_data(step, action="Editor's action", next_steps=[step_of(process, 3).pk]),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your changes were not saved." in content
    assert 'value="Editor&#x27;s action"' in content
    step.refresh_from_db()
    assert step.action == "Owner's action"
    assert not StepLink.objects.exists()  # the arrows are saved with the step or not at all


def test_a_new_step_can_get_next_steps_at_once(project, editor, process):
    unload = step_of(process, 1)

    client_for(editor).post(
        url("step-create", process_id=process.pk),
        step_data(action="Reject", ends_flow="", next_steps=[unload.pk], **{f"label_{unload.pk}": "retry"}),
    )

    new = process.steps.get(action="Reject")
    assert [(link.to_step_id, link.label) for link in new.links_out.all()] == [(unload.pk, "retry")]


# --- Derive and compare ----------------------------------------------------------------------


def test_deriving_a_to_be_process_shows_a_form_then_copies_the_steps(project, editor, process):
    client = client_for(editor)

    page = client.get(url("process-derive", process_id=process.pk))
    assert page.status_code == 200
    assert "with its 3 steps" in page.content.decode()

    response = client.post(url("process-derive", process_id=process.pk), {"name": "Receiving with scanners"})

    to_be = Process.objects.get(kind=Process.Kind.TO_BE)
    assert response["Location"] == url("process-detail", process_id=to_be.pk)
    assert (to_be.name, to_be.derived_from) == ("Receiving with scanners", process)
    assert [a for _o, a in orders(to_be)] == ["Unload", "Check", "Put away"]
    detail = client.get(url("process-detail", process_id=to_be.pk)).content.decode()
    assert url("process-compare", process_id=to_be.pk) in detail
    assert url("process-derive", process_id=to_be.pk) not in detail


def test_without_a_name_the_to_be_is_named_after_the_as_is(project, editor, process):
    client_for(editor).post(url("process-derive", process_id=process.pk), {"name": ""})

    assert Process.objects.get(kind=Process.Kind.TO_BE).name == "Receiving (to-be)"


def test_a_to_be_process_cannot_be_derived_from(project, editor, process):
    to_be = services.process_derive_to_be(process=process)
    client = client_for(editor)

    get = client.get(url("process-derive", process_id=to_be.pk), follow=True)
    post = client.post(url("process-derive", process_id=to_be.pk), {"name": "x"}, follow=True)

    for response in (get, post):
        assert response.redirect_chain[-1][0] == url("process-detail", process_id=to_be.pk)
        assert "A to-be process is derived from an as-is process." in messages_of(response)
    assert Process.objects.count() == 2


def test_the_comparison_shows_added_removed_and_changed_steps_with_counts(project, viewer, process):
    to_be = services.process_derive_to_be(process=process)
    services.step_delete(step=to_be.steps.get(action="Check"))
    services.step_update(step=to_be.steps.get(action="Unload"), expected_version=1, system="scanner", manual=False)
    services.step_insert(process=to_be, position=2, lane="System", action="Book the receipt automatically")

    response = client_for(viewer).get(url("process-compare", process_id=to_be.pk))

    assert response.status_code == 200
    statuses = [(row.status, (row.as_is or row.to_be).action) for row in response.context["rows"]]
    assert statuses == [
        ("changed", "Unload"),
        ("removed", "Check"),
        ("added", "Book the receipt automatically"),
        ("unchanged", "Put away"),
    ]
    content = response.content.decode()
    for status in ("unchanged", "changed", "removed", "added"):
        assert f'data-status="{status}" data-count="1"' in content
    assert 'data-testid="changed-fields">system used, manual</div>' in content
    assert "wb-state-warn" in content and "wb-state-bad" in content and "wb-state-good" in content


def test_only_a_derived_to_be_process_has_a_comparison(project, viewer, process):
    standalone = services.process_create(project=project, name="Dream", kind=Process.Kind.TO_BE)
    client = client_for(viewer)

    assert client.get(url("process-compare", process_id=process.pk)).status_code == 404
    assert client.get(url("process-compare", process_id=standalone.pk)).status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def add_processes(project, n: int) -> None:
    for i in range(n):
        process = make_process(project, name=f"Process {i}", owner_department="sales")
        steps = list(process.steps.order_by("order"))
        services.step_set_next(step=steps[1], next_steps=[steps[0], steps[2]], labels={steps[0].pk: "failed"})
        for kind in ("pain_point", "redundancy", "risk"):
            services.finding_create(step=steps[0], kind=kind, severity=4, description=f"{kind} {i}")
        services.process_derive_to_be(process=process)


def queries_for(client, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_2_and_8_processes(project, owner):
    client = client_for(owner)
    add_processes(project, 1)
    small = queries_for(client, url("process-list"))
    add_processes(project, 3)
    assert queries_for(client, url("process-list")) == small == 4


def test_the_detail_costs_the_same_queries_for_3_and_12_steps(project, owner):
    client = client_for(owner)
    add_processes(project, 1)
    process = Process.objects.get(kind=Process.Kind.AS_IS)
    small = queries_for(client, url("process-detail", process_id=process.pk))
    for i in range(9):
        step = services.step_insert(process=process, lane=f"Lane {i % 3}", action=f"Step {i}")
        services.finding_create(step=step, kind="risk", severity=2, description=f"r{i}")
    services.step_set_next(step=step_of(process, 12), next_steps=[step_of(process, 1)])
    assert queries_for(client, url("process-detail", process_id=process.pk)) == small == 17
