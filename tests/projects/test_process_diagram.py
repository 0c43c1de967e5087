"""A process as a swimlane diagram: its steps, lanes, arrows (branches and loops), findings and links."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from projects.diagrams import format_duration, process_swimlane_svg, severity_tone, step_subtitle
from projects.models import Finding
from projects.selectors.processes import process_steps
from projects.services import processes as services

NS = {"svg": "http://www.w3.org/2000/svg"}
NBSP = "\u00a0"


@pytest.fixture
def process(project):
    """Receive → Check → (passed) Put away / (failed) back to Receive; Put away → Pay."""
    process = services.process_create(project=project, name="Goods receipt")
    receive = services.step_insert(
        process=process, lane="Warehouse", action="Receive goods", system="paper", duration_minutes=20
    )
    check = services.step_insert(
        process=process, lane="Quality", action="Check against order", system="Excel", duration_minutes=45
    )
    put_away = services.step_insert(process=process, lane="Warehouse", action="Put away", manual=False)
    services.step_insert(process=process, lane="Accounting", action="Pay invoice", duration_minutes=3 * 24 * 60)
    services.step_set_next(
        step=check, next_steps=[put_away, receive], labels={put_away.pk: "passed", receive.pk: "failed check"}
    )
    services.finding_create(step=check, kind=Finding.Kind.PAIN_POINT, severity=4, description="Typed twice")
    services.finding_create(step=check, kind=Finding.Kind.PAIN_POINT, severity=2, description="Slow & <manual>")
    services.finding_create(step=check, kind=Finding.Kind.RISK, severity=3, description="No audit trail")
    return process


def render(process) -> ET.Element:
    return ET.fromstring(process_swimlane_svg(process=process, steps=process_steps(process=process)))


def step_ids(process) -> dict[str, str]:
    return {s.action: str(s.pk) for s in process.steps.all()}


def test_every_step_is_a_box_in_its_lane(process):
    root = render(process)
    groups = {g.get("data-key"): g for g in root.iterfind(".//svg:g[@data-key]", NS)}
    texts = " ".join(t.text for t in root.iter("{http://www.w3.org/2000/svg}text"))

    assert root.get("aria-label") == "Goods receipt"
    assert [g.get("data-lane") for g in root.iterfind(".//svg:g[@class='sl-lane']", NS)] == [
        "Warehouse",
        "Quality",
        "Accounting",
    ]
    for action, key in step_ids(process).items():
        assert action in texts
        assert groups[key].get("data-lane") == process.steps.get(pk=key).lane


def test_the_arrows_follow_the_flow_with_the_branch_and_the_loop(process):
    root = render(process)
    ids = step_ids(process)
    name = {v: k for k, v in ids.items()}
    arrows = {
        (name[p.get("data-source")], name[p.get("data-target")]): p
        for p in root.iterfind(".//svg:path", NS)
        if p.get("class") == "sl-edge"
    }
    labels = {
        (name[g.get("data-source")], name[g.get("data-target")]): g.find("svg:text", NS).text
        for g in root.iterfind(".//svg:g[@class='sl-edge-label']", NS)
    }

    assert set(arrows) == {
        ("Receive goods", "Check against order"),
        ("Check against order", "Put away"),
        ("Check against order", "Receive goods"),
        ("Put away", "Pay invoice"),
    }
    assert labels == {
        ("Check against order", "Put away"): "passed",
        ("Check against order", "Receive goods"): "failed check",
    }
    assert arrows[("Check against order", "Receive goods")].get("stroke-dasharray")  # the loop back


def test_findings_are_one_badge_per_kind_with_count_and_worst_severity(process):
    root = render(process)
    check = root.find(f".//svg:g[@data-key='{step_ids(process)['Check against order']}']", NS)
    badges = check.findall("svg:g[@class='sl-marker']", NS)

    assert [(b.find("svg:text", NS).text, b.get("data-tone")) for b in badges] == [("!2", "bad"), ("⚠1", "warn")]
    tooltip = badges[0].find("svg:title", NS).text
    assert "Typed twice" in tooltip and "Slow & <manual>" in tooltip
    assert tooltip.index("Typed twice") < tooltip.index("Slow")  # most severe first
    assert root.find(f".//svg:g[@data-key='{step_ids(process)['Put away']}']/svg:g[@class='sl-marker']", NS) is None


def test_boxes_link_to_their_step_on_the_process_page(process):
    root = render(process)

    for step in process.steps.all():
        link = root.find(f".//svg:g[@data-key='{step.pk}']/svg:a", NS)
        assert link.get("href") == step.get_absolute_url() == link.get("{http://www.w3.org/1999/xlink}href")
        assert link.get("href").endswith(f"#step-{step.pk}")


def test_manual_and_automated_steps_are_told_apart(process):
    root = render(process)
    classes = {g.get("data-key"): g.get("class") for g in root.iterfind(".//svg:g[@data-key]", NS)}
    legend = [t.text for t in root.find(".//svg:g[@class='sl-legend']", NS).iter("{http://www.w3.org/2000/svg}text")]

    assert classes[step_ids(process)["Put away"]] == "sl-node step-automated"
    assert classes[step_ids(process)["Receive goods"]] == "sl-node step-manual"
    assert {"manual step", "automated step", "loops back", "Pain point", "Risk"} <= set(legend)
    assert "Redundancy" not in legend


def test_the_subtitle_has_order_system_and_duration(process):
    steps = {s.action: s for s in process_steps(process=process)}

    assert step_subtitle(steps["Check against order"]) == f"2. Excel{NBSP}· 45{NBSP}min"
    assert step_subtitle(steps["Put away"]) == "3. automated"
    assert step_subtitle(steps["Pay invoice"]) == f"4. manual{NBSP}· 3{NBSP}days"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(None, ""), (0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1.5 h"), (1440, "1 day"), (2160, "1.5 days")],
)
def test_durations_read_as_minutes_hours_or_days(minutes, text):
    assert format_duration(minutes) == text.replace(" ", NBSP)


@pytest.mark.parametrize(("severity", "tone"), [(5, "bad"), (4, "bad"), (3, "warn"), (2, "info"), (1, "info")])
def test_severity_sets_the_badge_tone(severity, tone):
    assert severity_tone(severity) == tone


def test_chinese_steps_render_with_the_cjk_font(project):
    process = services.process_create(project=project, name="收货流程")
    services.step_insert(process=process, lane="仓库", action="卸货并清点数量", system="纸质单据")
    services.step_insert(process=process, lane="质检", action="按订单核对货物")

    with translation.override("zh-hans"):
        svg = process_swimlane_svg(process=process, steps=process_steps(process=process))
    root = ET.fromstring(svg)

    assert "卸货并清点数量" in svg and "按订单核对货物" in svg and "仓库" in svg
    assert "Noto Sans CJK SC" in root.get("font-family")


def test_rendering_needs_no_query_per_step(process, django_assert_max_num_queries):
    steps = process_steps(process=process)
    fresh = type(process).objects.get(pk=process.pk)

    with django_assert_max_num_queries(1):  # the project's code for the links, once
        process_swimlane_svg(process=fresh, steps=steps)


def test_a_process_without_steps_gives_an_empty_svg(project):
    process = services.process_create(project=project, name="Nothing yet")
    root = ET.fromstring(process_swimlane_svg(process=process, steps=[]))

    assert float(root.get("width")) <= 1 and root.get("aria-label") == "Nothing yet"


def test_thirty_steps_in_six_lanes_stay_a_reasonable_size(project):
    process = services.process_create(project=project, name="Long process")
    lanes = ["Sales", "Finance", "Warehouse", "Quality", "Logistics", "Customer service"]
    steps = [
        services.step_insert(process=process, lane=lanes[(i * 7) % 6], action=f"Step number {i} with some words")
        for i in range(1, 31)
    ]
    services.step_set_next(step=steps[9], next_steps=[steps[10], steps[2]], labels={steps[2].pk: "rework"})
    services.step_set_next(step=steps[19], next_steps=[steps[20], steps[27]], labels={steps[27].pk: "skip"})
    for step in steps[::5]:
        services.finding_create(step=step, kind=Finding.Kind.REDUNDANCY, severity=3, description="Twice")

    root = render(process)

    assert len(root.findall(".//svg:g[@data-key]", NS)) == 30
    assert len([p for p in root.iterfind(".//svg:path", NS) if p.get("class") == "sl-edge"]) == 31
    width = float(root.get("viewBox").split()[2])
    assert 30 * 150 < width < 30 * 200 + 300
    assert float(root.get("height")) < 1200
