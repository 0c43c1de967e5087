"""The demo's processes: the six-lane sales consolidation with findings, template copies, and a to-be."""

import pytest
from django.utils import translation

from projects.demo import build_demo
from projects.demo_processes import build_processes_demo
from projects.models import Finding, Process, Step, StepLink
from projects.process_templates import BY_KEY
from projects.selectors.processes import flow_edges, lanes_in_order, process_compare, process_steps


def _counts():
    return (
        Process.objects.count(),
        Step.objects.count(),
        StepLink.objects.count(),
        Finding.objects.count(),
        Process.history.count() + Step.history.count() + StepLink.history.count() + Finding.history.count(),
    )


@pytest.fixture
def demo(db):
    project = build_demo(language="en")
    build_processes_demo(project=project, language="en")
    return project


def _consolidation(project, name="Daily sales consolidation"):
    return project.processes.get(kind=Process.Kind.AS_IS, name=name)


def test_the_sales_consolidation_runs_across_six_lanes(demo):
    process = _consolidation(demo)
    steps = process_steps(process=process)

    assert 12 <= len(steps) <= 16
    assert lanes_in_order(steps) == [
        "Store cashier",
        "Store manager",
        "Online shop operator",
        "Warehouse",
        "Sales administration",
        "Finance",
    ]
    assert process.owner_department == "sales"
    edges = {(a.action, b.action, label) for a, b, label in flow_edges(steps)}
    assert (
        "Cancel or delay oversold orders and call the customers",
        "Check the online orders against stock",
        "checked again",
    ) in edges
    assert (
        "Reconcile the totals with bank and card receipts",
        "Add up store and online sales by hand",
        "mismatch",
    ) in edges
    assert {step.system for step in steps} >= {"POS", "Excel", "e-mail", "legacy system"}


def test_the_consolidation_carries_the_findings_of_the_case(demo):
    findings = Finding.objects.filter(step__process=_consolidation(demo)).select_related("step")
    found = {(f.kind, f.severity, f.step.action) for f in findings}

    assert (Finding.Kind.PAIN_POINT, 5, "Add up store and online sales by hand") in found
    assert (Finding.Kind.RISK, 5, "Check the online orders against stock") in found
    assert (Finding.Kind.REDUNDANCY, 4, "Re-key the daily totals into the finance software") in found
    assert (Finding.Kind.RISK, 3, "E-mail the spreadsheet to sales administration") in found
    assert len(found) >= 6
    assert any("by hand" in f.description for f in findings)
    assert any("version control" in f.description for f in findings)
    assert any("out of sync" in f.description for f in findings)
    assert any("re-keys" in f.description for f in findings)
    assert all(f.evidence for f in findings)


def test_the_template_copies_carry_their_findings_on_the_right_steps(demo):
    stock_take = demo.processes.get(template_key="stock_take")
    sales_order = demo.processes.get(template_key="sales_order")
    with translation.override("en"):
        count, type_in = (str(BY_KEY["stock_take"].steps[i].action) for i in (2, 3))
        check = str(BY_KEY["sales_order"].steps[2].action)

    assert stock_take.steps.count() == len(BY_KEY["stock_take"].steps)
    paper = Finding.objects.get(step__process=stock_take, description__icontains="typed in afterwards")
    assert (paper.kind, paper.severity, paper.step.action) == (Finding.Kind.PAIN_POINT, 4, type_in)
    running = Finding.objects.get(step__process=stock_take, description__icontains="sales are still running")
    assert (running.kind, running.severity, running.step.action) == (Finding.Kind.RISK, 4, count)
    oversell = Finding.objects.get(step__process=sales_order, description__icontains="already sold in a store")
    assert (oversell.kind, oversell.severity, oversell.step.action) == (Finding.Kind.RISK, 5, check)


def test_the_to_be_shows_removed_added_and_changed_steps(demo):
    as_is = _consolidation(demo)
    to_be = demo.processes.get(kind=Process.Kind.TO_BE)
    assert to_be.derived_from == as_is

    rows = process_compare(as_is=as_is, to_be=to_be)
    by_status = {}
    for row in rows:
        by_status.setdefault(row.status, []).append(row)

    removed = {row.as_is.action for row in by_status["removed"]}
    assert "Add up store and online sales by hand" in removed
    assert "Re-key the daily totals into the finance software" in removed
    assert [row.to_be.action for row in by_status["added"]] == ["Sales post automatically to finance"]
    assert not by_status["added"][0].to_be.manual
    stock = next(row for row in by_status["changed"] if row.as_is.action == "Check the online orders against stock")
    assert stock.to_be.manual is False and stock.to_be.system == "new platform"
    assert "manual" in stock.changed and "system used" in stock.changed
    assert by_status["unchanged"]
    assert not Finding.objects.filter(step__process=to_be).exists()  # findings stay with the as-is


def test_the_to_be_flow_has_no_dangling_branch(demo):
    to_be = demo.processes.get(kind=Process.Kind.TO_BE)
    steps = process_steps(process=to_be)
    assert [step.order for step in steps] == list(range(1, len(steps) + 1))
    edges = flow_edges(steps)
    stock = next(step for step in steps if step.system == "new platform" and step.lane == "Warehouse")
    targets = {b.action: label for a, b, label in edges if a == stock}
    assert targets == {
        "Cancel or delay oversold orders and call the customers": "oversold",
        "Sales post automatically to finance": "in stock",
    }
    reached = {steps[0].pk} | {b.pk for _a, b, _l in edges}
    assert reached == {step.pk for step in steps}  # every step can be reached


def test_running_it_twice_changes_nothing(demo):
    before = _counts()

    build_processes_demo(project=demo, language="en")
    build_processes_demo(project=demo, language="zh-hans")

    assert _counts() == before


def test_in_chinese_the_demo_texts_are_chinese(db):
    project = build_demo(language="zh-hans")
    build_processes_demo(project=project, language="zh-hans")

    process = _consolidation(project, name="每日销售汇总")
    steps = process_steps(process=process)
    assert len(lanes_in_order(steps)) == 6
    assert "财务" in lanes_in_order(steps)
    assert Finding.objects.filter(step__process=process, description__contains="手工汇总").exists()
    to_be = project.processes.get(kind=Process.Kind.TO_BE)
    assert to_be.name == "每日销售汇总（目标状态）"
    assert to_be.steps.filter(action="销售数据自动过账到财务", manual=False).exists()
    assert project.processes.filter(template_key__in=["stock_take", "sales_order"]).count() == 2
