"""Step order, the flow between steps, copies from templates and as-is → to-be, and their comparison."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects.models import Process, Step, StepLink
from projects.process_templates import TEMPLATES
from projects.selectors.processes import flow_edges, lanes_in_order, process_compare, process_steps
from projects.services import ProjectError
from projects.services import processes as services
from tests.factories import ProjectFactory


@pytest.fixture
def process(project):
    process = services.process_create(project=project, name="Receiving")
    for lane, action in [("Warehouse", "Unload"), ("Quality", "Check"), ("Warehouse", "Put away")]:
        services.step_insert(process=process, lane=lane, action=action)
    return process


def actions(process) -> list[tuple[int, str]]:
    return list(process.steps.order_by("order").values_list("order", "action"))


def test_steps_are_appended_in_order(process):
    assert actions(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]


def test_inserting_in_the_middle_moves_the_rest_down(process):
    services.step_insert(process=process, position=2, lane="Warehouse", action="Count")

    assert actions(process) == [(1, "Unload"), (2, "Count"), (3, "Check"), (4, "Put away")]


@pytest.mark.parametrize("position", [0, -3])
def test_inserting_before_the_start_puts_the_step_first(process, position):
    services.step_insert(process=process, position=position, lane="Buyer", action="Announce")

    assert actions(process)[0] == (1, "Announce")


def test_moving_a_step_keeps_the_order_dense_and_unique(process):
    last = process.steps.get(order=3)

    services.step_move(step=last, position=1)
    assert actions(process) == [(1, "Put away"), (2, "Unload"), (3, "Check")]

    services.step_move(step=last, position=99)
    assert actions(process) == [(1, "Unload"), (2, "Check"), (3, "Put away")]


def test_deleting_a_step_closes_the_gap(process):
    services.step_delete(step=process.steps.get(order=2))

    assert actions(process) == [(1, "Unload"), (2, "Put away")]


def test_a_reorder_is_recorded_in_the_history(process, owner):
    step = process.steps.get(order=3)
    services.step_move(step=step, position=1)

    orders = list(Step.history.filter(id=step.pk).order_by("history_date").values_list("order", flat=True))
    assert orders[-1] == 1 and 3 in orders


def test_an_empty_lane_is_refused(process):
    with pytest.raises(ValidationError) as caught:
        services.step_insert(process=process, lane="   ", action="Nothing")

    assert "lane" in caught.value.message_dict
    assert process.steps.count() == 3


def test_without_links_each_step_flows_into_the_next(process):
    steps = process_steps(process=process)

    assert [(a.order, b.order) for a, b, _label in flow_edges(steps)] == [(1, 2), (2, 3)]
    assert lanes_in_order(steps) == ["Warehouse", "Quality"]


def test_a_branch_and_a_loop_back_are_drawn_from_the_links(process):
    check = process.steps.get(order=2)
    services.step_set_next(
        step=check,
        next_steps=[process.steps.get(order=3), process.steps.get(order=1)],
        labels={process.steps.get(order=1).pk: "failed"},
    )

    edges = {(a.order, b.order, label) for a, b, label in flow_edges(process_steps(process=process))}
    assert edges == {(1, 2, ""), (2, 3, ""), (2, 1, "failed")}


def test_a_step_that_ends_the_flow_has_no_arrow_out(process):
    first = process.steps.get(order=1)
    first.ends_flow = True
    first.save()

    assert [(a.order, b.order) for a, b, _l in flow_edges(process_steps(process=process))] == [(2, 3)]


def test_a_link_to_a_step_of_another_process_is_refused_and_nothing_changes(project, process):
    other = services.process_create(project=project, name="Other")
    foreign = services.step_insert(process=other, lane="X", action="Y")

    with pytest.raises(ProjectError):
        services.step_set_next(step=process.steps.get(order=1), next_steps=[process.steps.get(order=3), foreign])
    assert not StepLink.objects.exists()


def test_a_step_cannot_lead_to_itself(process):
    step = process.steps.get(order=1)

    with pytest.raises(ProjectError):
        services.step_set_next(step=step, next_steps=[step])


def test_every_template_copies_with_its_steps_and_links(project):
    for template in TEMPLATES:
        with translation.override("en"):
            process = services.process_create_from_template(project=project, template_key=template.key)

        assert process.kind == Process.Kind.AS_IS
        assert process.steps.count() == len(template.steps)
        assert StepLink.objects.filter(from_step__process=process).count() == len(template.links)
        assert all(step.lane.strip() for step in process.steps.all())


def test_an_unknown_template_is_refused(project):
    with pytest.raises(ProjectError):
        services.process_create_from_template(project=project, template_key="nope")


def test_a_to_be_copy_compares_step_by_step_with_its_as_is(process):
    to_be = services.process_derive_to_be(process=process)
    assert to_be.derived_from == process and to_be.kind == Process.Kind.TO_BE
    unload, check, put_away = to_be.steps.order_by("order")

    services.step_update(step=check, expected_version=check.version, system="Handheld scanner", manual=False)
    services.step_delete(step=unload)
    services.step_insert(process=to_be, position=1, lane="Warehouse", action="Scan the advance shipping notice")
    services.step_move(step=put_away, position=2)

    rows = process_compare(as_is=process, to_be=to_be)
    by_status = {(r.status, (r.as_is or r.to_be).action) for r in rows}
    assert by_status == {
        ("removed", "Unload"),
        ("changed", "Check"),
        ("unchanged", "Put away"),
        ("added", "Scan the advance shipping notice"),
    }
    changed = next(r for r in rows if r.status == "changed")
    assert set(changed.changed) == {"system used", "manual"}


def test_only_an_as_is_process_can_be_derived(process):
    to_be = services.process_derive_to_be(process=process)

    with pytest.raises(ProjectError):
        services.process_derive_to_be(process=to_be)


def test_a_finding_cannot_move_to_another_projects_step(process):
    finding = services.finding_create(
        step=process.steps.first(), kind="pain_point", severity=4, description="Paper slips get lost"
    )
    elsewhere = services.step_insert(
        process=services.process_create(project=ProjectFactory(), name="X"), lane="L", action="A"
    )

    with pytest.raises(ProjectError):
        services.finding_update(finding=finding, expected_version=finding.version, step=elsewhere)


def test_removed_steps_are_listed_where_they_used_to_be(project):
    as_is = services.process_create(project=project, name="Five steps")
    for n in range(1, 6):
        services.step_insert(process=as_is, lane="L", action=f"step {n}")
    to_be = services.process_derive_to_be(process=as_is)
    services.step_delete(step=to_be.steps.get(order=2))
    services.step_delete(step=to_be.steps.get(order=2))  # the old step 3

    rows = process_compare(as_is=as_is, to_be=to_be)

    assert [((r.as_is or r.to_be).action, r.status) for r in rows] == [
        ("step 1", "unchanged"),
        ("step 2", "removed"),
        ("step 3", "removed"),
        ("step 4", "unchanged"),
        ("step 5", "unchanged"),
    ]


def test_the_kind_of_an_as_is_to_be_pair_cannot_change(process):
    to_be = services.process_derive_to_be(process=process)

    with pytest.raises(ProjectError):
        services.process_update(process=to_be, expected_version=to_be.version, kind=Process.Kind.AS_IS)
    with pytest.raises(ProjectError):
        services.process_update(process=process, expected_version=process.version, kind=Process.Kind.TO_BE)
    to_be.refresh_from_db()
    assert to_be.kind == Process.Kind.TO_BE
