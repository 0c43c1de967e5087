"""The 进销存 process templates: each one is a valid flow and copies into a project in both languages."""

import pytest
from django.utils import translation

from projects.models import Membership, Process, StepLink
from projects.process_templates import BY_KEY, TEMPLATES
from projects.selectors.processes import flow_edges, lanes_in_order, process_steps
from projects.services import processes as services

KEYS = [template.key for template in TEMPLATES]


def test_the_six_as_is_flows_of_a_purchase_sales_inventory_system_are_there():
    assert set(KEYS) >= {
        "procurement",
        "receiving",
        "sales_order",
        "stock_take",
        "customer_returns",
        "supplier_returns",
    }
    assert len(KEYS) == len(set(KEYS)) == len(BY_KEY)


@pytest.mark.parametrize("template", TEMPLATES, ids=KEYS)
def test_a_template_is_a_valid_flow(template):
    assert 6 <= len(template.steps) <= 12
    lanes = {str(step.lane) for step in template.steps}
    assert 3 <= len(lanes) <= 5
    assert all(str(step.lane).strip() and str(step.action).strip() for step in template.steps)
    assert template.department in Membership.Department.values
    assert str(template.description).strip() and str(template.name).strip()
    positions = range(1, len(template.steps) + 1)
    for from_position, to_position, _label in template.links:
        assert from_position in positions and to_position in positions
        assert from_position != to_position
    pairs = [(a, b) for a, b, _label in template.links]
    assert len(pairs) == len(set(pairs))
    assert all(step.minutes is None or step.minutes > 0 for step in template.steps)


@pytest.mark.parametrize("template", TEMPLATES, ids=KEYS)
def test_a_template_has_a_branch_or_a_loop(template):
    assert any(to_position < from_position for from_position, to_position, _label in template.links) or any(
        step.ends_flow for step in template.steps
    )
    branching = {}
    for from_position, _to, _label in template.links:
        branching[from_position] = branching.get(from_position, 0) + 1
    assert max(branching.values()) >= 2


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("template", TEMPLATES, ids=KEYS)
def test_a_template_copies_with_its_steps_links_and_lanes(project, template, language):
    with translation.override(language):
        process = services.process_create_from_template(project=project, template_key=template.key)
        expected_lanes = {str(step.lane) for step in template.steps}
        expected_actions = [str(step.action) for step in template.steps]
        expected_links = {(a, b, str(label)) for a, b, label in template.links}
        expected_name = str(template.name)

    process.refresh_from_db()
    assert process.kind == Process.Kind.AS_IS
    assert process.template_key == template.key
    assert process.owner_department == template.department
    assert process.name == expected_name
    steps = process_steps(process=process)
    assert [step.order for step in steps] == list(range(1, len(template.steps) + 1))
    assert [step.action for step in steps] == expected_actions
    assert all(step.lane.strip() for step in steps)
    assert set(lanes_in_order(steps)) == expected_lanes
    links = StepLink.objects.filter(from_step__process=process).select_related("from_step", "to_step")
    assert {(link.from_step.order, link.to_step.order, link.label) for link in links} == expected_links
    assert flow_edges(steps)  # the diagram has arrows to draw


def test_a_step_with_links_goes_only_where_they_point(project):
    with translation.override("en"):
        process = services.process_create_from_template(project=project, template_key="stock_take")

    edges = {(a.order, b.order, label) for a, b, label in flow_edges(process_steps(process=process))}
    assert (5, 7, "within tolerance") in edges and (5, 6, "above tolerance") in edges
    assert (6, 4, "recounted") in edges
    assert not any(a == 6 and b == 7 for a, b, _label in edges)  # the recount loops back, it does not fall through


def test_a_refusal_ends_the_customer_return(project):
    with translation.override("en"):
        process = services.process_create_from_template(project=project, template_key="customer_returns")

    steps = process_steps(process=process)
    refusal = next(step for step in steps if step.ends_flow)
    assert "refusal" in refusal.action
    assert not [edge for edge in flow_edges(steps) if edge[0] == refusal]


def test_copying_in_chinese_uses_the_catalogue_where_it_has_the_strings(project):
    template = BY_KEY["procurement"]
    with translation.override("zh-hans"):
        process = services.process_create_from_template(project=project, template_key="procurement")
        legacy = str(template.steps[3].system)

    assert process.steps.get(order=4).system == legacy
    assert legacy != "legacy system"  # the catalogue already translates the systems' names
