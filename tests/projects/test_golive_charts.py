"""The runbook's Gantt chart and dependency view (server-side SVG), on a small runbook with hand-computed times.

The runbook: the window opens Friday 13 March 2026 at 18:00 (Shanghai, 10:00 UTC) and closes at 22:00.

    #1 Freeze master data      60 min            18:00–19:00   critical
    #2 Load products          120 min  after 1   19:00–21:00   critical
    #3 Tell the stores         30 min  after 1   19:00–19:30   90 min of slack
    #4 Go-live (milestone)      0 min  after 2,3 21:00         critical

so the critical path is 1 → 2 → 4, the forecast end 21:00, and with the window the axis runs 18:00–22:00 (4 h,
quarter-hour ticks: 16 ticks of 68.75 px on the 1,100 px time area).
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from projects import golive_charts as charts
from projects.models import CutoverTask, TaskRun
from projects.selectors import golive as selectors
from projects.services import golive as svc

SVG = "{http://www.w3.org/2000/svg}"
SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_START = datetime(2026, 3, 13, 18, 0, tzinfo=SHANGHAI)
SCRIPT_TITLE = 'Tell the stores <script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _shanghai_and_english():
    with timezone.override(SHANGHAI), translation.override("en"):
        yield


@pytest.fixture
def plan(project):
    plan = svc.plan_for(project)
    plan.window_start, plan.window_end = WINDOW_START, WINDOW_START + timedelta(hours=4)
    plan.point_of_no_return = WINDOW_START + timedelta(hours=2)
    plan.rollback_deadline = WINDOW_START + timedelta(hours=2, minutes=30)
    plan.save()
    freeze = svc.task_create(plan=plan, title="Freeze master data", stream="business", duration_minutes=60)
    load = svc.task_create(plan=plan, title="Load products", stream="data", duration_minutes=120, predecessors=[freeze])
    tell = svc.task_create(
        plan=plan, title=SCRIPT_TITLE, stream="communications", duration_minutes=30, predecessors=[freeze]
    )
    svc.task_create(
        plan=plan, title="Go-live", stream="business", kind="milestone", duration_minutes=0, predecessors=[load, tell]
    )
    return plan


def at(hour: int, minute: int = 0) -> datetime:
    return WINDOW_START.replace(hour=hour, minute=minute)


def chart(plan, **kwargs) -> tuple[ET.Element, list[CutoverTask]]:
    tasks = list(selectors.runbook_tasks(plan))
    schedule = selectors.plan_schedule(plan, tasks)
    markers, window = charts.plan_markers(plan)
    svg = charts.gantt_svg(tasks, schedule, markers=markers, window=window, **kwargs)
    return ET.fromstring(str(svg)), tasks


def task_groups(root: ET.Element, css: str = "gc-task") -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if css in g.get("class", "").split()]


def x_of(minutes_after_18: float) -> float:
    """Where a moment falls on the axis 18:00–22:00."""
    return charts.MARGIN + charts.LABEL_WIDTH + minutes_after_18 * charts.TIME_WIDTH / 240


def test_one_bar_per_task_in_schedule_order_at_the_forecast_times(plan):
    root, tasks = chart(plan)
    groups = task_groups(root)
    assert [g.get("data-number") for g in groups] == ["1", "2", "3", "4"]
    expected = {  # number: (start, finish) in minutes after 18:00
        "1": (0, 60),
        "2": (60, 180),
        "3": (60, 90),
    }
    for group in groups[:3]:
        start, finish = expected[group.get("data-number")]
        bars = group.findall(f"{SVG}rect[@class='gc-bar']")
        assert len(bars) == 1
        assert float(bars[0].get("x")) == pytest.approx(x_of(start), abs=0.06)
        assert float(bars[0].get("width")) == pytest.approx(x_of(finish) - x_of(start), abs=0.06)
        assert group.get("data-start") == at(18 + start // 60, start % 60).isoformat()
    # #2 takes twice as long as #1, #3 half as long.
    widths = [float(g.find(f"{SVG}rect[@class='gc-bar']").get("width")) for g in groups[:3]]
    assert widths[1] / widths[0] == pytest.approx(2, rel=1e-3)
    assert widths[2] / widths[0] == pytest.approx(0.5, rel=1e-3)


def test_the_milestone_is_a_diamond_at_its_time(plan):
    root, _tasks = chart(plan)
    milestone = task_groups(root)[3]
    assert milestone.find(f"{SVG}rect[@class='gc-bar']") is None
    diamond = milestone.find(f"{SVG}path[@class='gc-diamond']")
    assert diamond is not None
    assert diamond.get("d").startswith(f"M{x_of(180):.1f}".rstrip("0").rstrip("."))  # the top point, at 21:00


def test_the_critical_path_is_marked_and_the_task_with_slack_is_not(plan):
    root, _tasks = chart(plan)
    flags = {g.get("data-number"): g.get("data-critical") for g in task_groups(root)}
    assert flags == {"1": "true", "2": "true", "3": "false", "4": "true"}
    assert {g.get("data-number") for g in task_groups(root, "gc-critical")} == {"1", "2", "4"}
    critical_bar = task_groups(root)[0].find(f"{SVG}rect[@class='gc-bar']")
    assert critical_bar.get("stroke") == charts.RED


def test_markers_and_the_window_are_drawn(plan):
    root, _tasks = chart(plan)
    labels = [g.get("data-label") for g in task_groups(root, "gc-marker")]
    assert labels == ["Point of no return 20:00", "Rollback deadline 20:30", "Window ends 22:00"]
    window = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "gc-window"]
    assert len(window) == 1
    assert float(window[0].get("x")) == pytest.approx(x_of(0), abs=0.06)
    assert float(window[0].get("width")) == pytest.approx(x_of(240) - x_of(0), abs=0.06)


def test_ticks_are_local_times_with_the_day(plan):
    root, _tasks = chart(plan)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Fri March 13" in texts
    assert {"18:00", "18:15", "19:00", "21:45", "22:00"} <= set(texts)
    with timezone.override(UTC):  # another user's time zone: the same moments, other clock times
        root, _tasks = chart(plan)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"10:00", "14:00"} <= set(texts) and "18:00" not in texts


@pytest.mark.parametrize(
    ("hours", "step"),
    [(4, 15), (40, 180), (24 * 10, 1440), (24 * 60, 10080)],
)
def test_tick_steps_keep_labels_apart(hours, step):
    with timezone.override(SHANGHAI):
        axis = charts._axis([WINDOW_START, WINDOW_START + timedelta(hours=hours)], left=0)
        assert axis.step == step
        ticks = axis.ticks()
        assert all(b - a == timedelta(minutes=step) for a, b in zip(ticks, ticks[1:], strict=False))
        assert charts.TIME_WIDTH / len(ticks) >= charts.MIN_TICK_PX * 0.9


def test_a_title_with_markup_stays_text(plan):
    svg = str(charts.gantt_svg(*_plan_args(plan)))
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}script"))
    tooltips = [t.text for t in root.iter(f"{SVG}title")]
    assert any(SCRIPT_TITLE in (text or "") for text in tooltips)


def _plan_args(plan):
    tasks = list(selectors.runbook_tasks(plan))
    return tasks, selectors.plan_schedule(plan, tasks)


def test_the_chart_is_an_accessible_image_with_the_cjk_font_first(plan):
    root, _tasks = chart(plan)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Gantt chart of the runbook"
    assert root.find(f"{SVG}title").text == "Gantt chart of the runbook"
    assert root.get("font-family").startswith("'Noto Sans CJK SC'")


def test_long_titles_are_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip(plan):
    long_title = "Reconcile opening balances of receivables and payables per customer and supplier account"
    svc.task_create(plan=plan, title=long_title, duration_minutes=30)
    root, _tasks = chart(plan)
    group = next(g for g in task_groups(root) if g.get("data-number") == "5")
    label = [t.text for t in group.iter(f"{SVG}text") if t.text and t.text.startswith("Reconcile")][0]
    assert label.endswith("…") and len(label) < len(long_title)
    assert long_title in group.find(f"{SVG}title").text


def test_a_run_colours_bars_by_status_over_the_planned_ghosts(plan):
    tasks, schedule = _plan_args(plan)
    ids = [t.pk for t in tasks]
    statuses = {ids[0]: TaskRun.Status.DONE, ids[1]: TaskRun.Status.RUNNING, ids[2]: TaskRun.Status.SKIPPED}
    root = ET.fromstring(str(charts.gantt_svg(tasks, schedule, baseline=schedule, statuses=statuses, now=at(19, 30))))
    groups = task_groups(root)
    fills = [g.find(f"{SVG}rect[@class='gc-bar']") for g in groups[:3]]
    assert fills[0].get("fill") == charts.STATUS_COLOURS["done"][0]
    assert fills[1].get("fill") == charts.STATUS_COLOURS["running"][0]
    assert fills[2].get("fill").startswith("url(#gc-hatch-")  # skipped: hatched
    assert [g.get("data-status") for g in groups] == ["done", "running", "skipped", "pending"]
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "gc-ghost"]) == 4
    assert [g.get("data-label") for g in task_groups(root, "gc-now")] == ["Now 19:30"]


def test_late_tasks_are_marked(plan):
    tasks = list(selectors.runbook_tasks(plan))
    tell = tasks[2]
    tell.fixed_start = at(18, 30)  # it cannot start before #1 ends at 19:00: late
    tell.save()
    root, _tasks = chart(plan)
    group = next(g for g in task_groups(root) if g.get("data-number") == "3")
    assert group.get("data-late") == "true"
    assert [g for g in group.iter(f"{SVG}g") if g.get("class") == "gc-late-mark"]


def test_a_runbook_without_tasks_says_so(project):
    plan = svc.plan_for(project)
    tasks, schedule = _plan_args(plan)
    for svg in (charts.gantt_svg(tasks, schedule), charts.dependency_svg(tasks, schedule)):
        root = ET.fromstring(str(svg))
        assert [t.text for t in root.iter(f"{SVG}text")] == ["There are no tasks in the runbook yet."]


def test_a_300_task_chart_is_one_row_per_task():
    from bench.cutover import START, chart_tasks, generate
    from projects.cutover_schedule import schedule

    plan = generate()
    result = schedule(plan, start=START)
    root = ET.fromstring(str(charts.gantt_svg(chart_tasks(plan), result)))
    groups = task_groups(root)
    assert [int(g.get("data-task-id")) for g in groups] == result.order()
    assert float(root.get("height")) == pytest.approx(300 * charts.ROW, rel=0.05)


# The dependency view ------------------------------------------------------------------------------------


def dependency(plan) -> ET.Element:
    return ET.fromstring(str(charts.dependency_svg(*_plan_args(plan))))


def test_one_box_per_task_and_one_arrow_per_link(plan):
    root = dependency(plan)
    boxes = task_groups(root, "dg-box")
    assert sorted(b.get("data-number") for b in boxes) == ["1", "2", "3", "4"]
    # Columns: the longest chain of predecessors.
    assert {b.get("data-number"): b.get("data-column") for b in boxes} == {"1": "0", "2": "1", "3": "1", "4": "2"}
    number = {b.get("data-task-id"): b.get("data-number") for b in boxes}
    edges = [p for p in root.iter(f"{SVG}path") if "dg-edge" in p.get("class", "")]
    links = {(number[e.get("data-from")], number[e.get("data-to")]): e.get("data-critical") for e in edges}
    assert len(edges) == 4
    assert links == {("1", "2"): "true", ("2", "4"): "true", ("1", "3"): "false", ("3", "4"): "false"}
    assert {b.get("data-number") for b in boxes if b.get("data-critical") == "true"} == {"1", "2", "4"}


def test_an_arrow_that_skips_columns_runs_clear_of_the_boxes(plan):
    """#5 after #1 and #4 is in column 3: its arrow from #1 (column 0) runs straight through columns 1 and 2 at
    heights clear of the boxes there."""
    tasks = list(selectors.runbook_tasks(plan))
    opening = svc.task_create(
        plan=plan, title="Open the stores", duration_minutes=30, predecessors=[tasks[0], tasks[3]]
    )
    root = dependency(plan)
    spans: dict[str, list[tuple[float, float]]] = {}
    for box in task_groups(root, "dg-box"):
        rect = box.find(f"{SVG}rect")
        top = float(rect.get("y"))
        spans.setdefault(box.get("data-column"), []).append((top, top + float(rect.get("height"))))
    assert {column: len(boxes) for column, boxes in spans.items()} == {"0": 1, "1": 2, "2": 1, "3": 1}
    edge = next(
        p
        for p in root.iter(f"{SVG}path")
        if p.get("data-from") == str(tasks[0].pk) and p.get("data-to") == str(opening.pk)
    )
    runs = [float(segment.split(",")[1]) for segment in edge.get("d").split() if segment.startswith("L")]
    assert len(runs) == 2  # one straight run through each column it crosses
    for column, y in zip(("1", "2"), runs, strict=True):
        assert all(not top - 1 < y < bottom + 1 for top, bottom in spans[column])


def test_dependency_titles_are_escaped(plan):
    svg = str(charts.dependency_svg(*_plan_args(plan)))
    assert "<script>" not in svg
    assert any(SCRIPT_TITLE in (t.text or "") for t in ET.fromstring(svg).iter(f"{SVG}title"))


def test_plan_markers_move_with_a_rehearsal(plan):
    markers, window = charts.plan_markers(plan, timedelta(days=-7))
    assert markers == [
        (at(20) - timedelta(days=7), "Point of no return"),
        (at(20, 30) - timedelta(days=7), "Rollback deadline"),
        (at(22) - timedelta(days=7), "Window ends"),
    ]
    assert window == (at(18) - timedelta(days=7), at(22) - timedelta(days=7))
    plan.point_of_no_return = plan.rollback_deadline = plan.window_end = None
    assert charts.plan_markers(plan) == ([], None)
