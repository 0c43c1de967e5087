"""The 进销存 cutover runbook template: a sound graph, pulled once, in the language asked for, timed from the window."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from projects.models import CutoverTask
from projects.runbook_template import TEMPLATE, runbook_pull, runbook_tasks
from projects.services import golive as svc
from workbench.graphs import find_cycle

CHINESE = re.compile(r"[\u4e00-\u9fff]")
WINDOW = datetime(2025, 6, 6, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LOADS = [
    "products",
    "customers",
    "suppliers",
    "locations",
    "price-lists",
    "open-pos",
    "open-sos",
    "stock",
    "opening-balances",
]


@pytest.fixture
def plan(project):
    return svc.plan_for(project)


def _ancestors(key: str, after: dict[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    pending = list(after[key])
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(after[current])
    return seen


def test_the_template_is_a_sound_graph_with_both_languages():
    keys = [task.key for task in TEMPLATE]
    assert len(keys) == len(set(keys)) and 35 <= len(keys) <= 50
    after = {task.key: task.after for task in TEMPLATE}
    assert all(p in after for predecessors in after.values() for p in predecessors)
    index = {key: i for i, key in enumerate(keys)}
    assert find_cycle({index[k]: {index[p] for p in ps} for k, ps in after.items()}) == []
    for task in TEMPLATE:
        assert len(task.key) <= CutoverTask._meta.get_field("template_key").max_length
        assert task.stream in CutoverTask.Stream.values and task.kind in CutoverTask.Kind.values
        assert task.title.en and task.description.en and not CHINESE.search(task.title.en + task.description.en)
        assert CHINESE.search(task.title.zh) and CHINESE.search(task.description.zh)
        assert len(task.title.en) <= 200 and len(task.title.zh) <= 200
        assert task.start_hours is None or task.start_hours >= 0
        if task.kind == CutoverTask.Kind.MILESTONE:
            assert task.duration_minutes == 0
    # Every kind of task is there, and every stream.
    assert {t.kind for t in TEMPLATE} == set(CutoverTask.Kind.values)
    assert {t.stream for t in TEMPLATE} == set(CutoverTask.Stream.values)


def test_the_order_freezes_and_counts_before_loading_and_decides_before_switching():
    after = {task.key: task.after for task in TEMPLATE}
    for load in LOADS:
        assert "freeze-master-data" in _ancestors(f"load-{load}", after)
        assert f"load-{load}" in after[f"reconcile-{load}"]
        assert f"reconcile-{load}" in after["go-no-go"]
    for key in ("load-stock", "load-opening-balances"):
        assert {"count-warehouses", "count-stores", "snapshot"} <= _ancestors(key, after)
    assert "load-products" in _ancestors("load-price-lists", after)
    assert {"load-price-lists", "load-suppliers"} <= _ancestors("load-open-pos", after)
    for key in ("switch-tills", "switch-online-shop", "check-first-sale", "compare-stock", "compare-receivables"):
        assert "go-no-go" in _ancestors(key, after)
    rollback = [t.key for t in TEMPLATE if t.kind == CutoverTask.Kind.ROLLBACK]
    assert len(rollback) == 3 and all("go-no-go" in _ancestors(key, after) for key in rollback)


def test_a_pull_creates_the_runbook_once_in_chinese_with_its_predecessors(plan, owner):
    created = runbook_pull(plan, language="zh-hans", user=owner)
    assert len(created) == len(TEMPLATE) == plan.tasks.count()
    assert runbook_pull(plan, language="zh-hans", user=owner) == []
    assert plan.tasks.count() == len(TEMPLATE)

    tasks = {t.template_key: t for t in plan.tasks.prefetch_related("predecessors")}
    assert tasks["freeze-master-data"].title == "冻结主数据变更"
    assert all(CHINESE.search(t.title) for t in tasks.values())
    # Numbers follow the dependency order: every task comes after its predecessors.
    for task in tasks.values():
        assert all(p.number < task.number for p in task.predecessors.all())
        expected = {tasks[key].pk for key in next(t for t in TEMPLATE if t.key == task.template_key).after}
        assert {p.pk for p in task.predecessors.all()} == expected
    assert tasks["freeze-master-data"].number < min(tasks[f"load-{load}"].number for load in LOADS)
    assert tasks["go-no-go"].number < tasks["switch-tills"].number
    assert tasks["go-no-go"].kind == CutoverTask.Kind.GATE
    assert tasks["rollback-restore"].predecessors.get() == tasks["go-no-go"]
    # Without a window there is no fixed start; tasks follow their predecessors.
    assert not any(t.fixed_start for t in tasks.values())
    assert CutoverTask.history.filter(plan=plan, history_type="+", history_user=owner).count() == len(TEMPLATE)


def test_a_pull_in_english_and_fixed_starts_from_the_window(plan):
    runbook_pull(plan, language="en", user=None, window_start=WINDOW)
    tasks = {t.template_key: t for t in plan.tasks.all()}
    assert tasks["freeze-master-data"].title == "Freeze master data changes"
    assert tasks["freeze-master-data"].fixed_start == WINDOW
    assert tasks["close-channels"].fixed_start == WINDOW + timedelta(hours=4)  # the stores close at 22:00
    assert tasks["go-no-go"].fixed_start == WINDOW + timedelta(hours=13)
    assert tasks["stores-open"].fixed_start == WINDOW + timedelta(hours=16)  # 10:00 the next morning
    assert tasks["load-stock"].fixed_start is None


def test_the_plan_window_is_used_when_none_is_given_and_a_second_pull_keeps_edits(plan):
    plan.window_start = WINDOW
    plan.save()
    runbook_pull(plan, language="en")
    gate = plan.tasks.get(template_key="go-no-go")
    assert gate.fixed_start == WINDOW + timedelta(hours=13)
    svc.task_update(task=gate, expected_version=gate.version, title="Go/no-go with the board")
    smoke = plan.tasks.get(template_key="smoke-test")
    smoke.delete()
    again = runbook_pull(plan, language="zh-hans")
    assert [t.template_key for t in again] == ["smoke-test"]  # only the missing task comes back
    assert again[0].title == "用已加载数据对新系统做冒烟测试"
    assert {p.template_key for p in again[0].predecessors.all()} == {
        "load-open-pos",
        "load-open-sos",
        "load-stock",
        "load-opening-balances",
    }
    assert plan.tasks.get(template_key="go-no-go").title == "Go/no-go with the board"


def test_localised_tasks_are_in_dependency_order():
    tasks = runbook_tasks("zh-cn")
    seen: set[str] = set()
    for task in tasks:
        assert set(task.after) <= seen
        seen.add(task.key)
    assert tasks[0].title == "向全体员工通知系统切换"
