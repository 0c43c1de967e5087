"""The swimlane SVG renderer: well-formed markup, boxes in lane rows and columns, arrows that keep clear of the
boxes, wrapped and escaped text, the CJK font, markers and links."""

import random
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from workbench.charts import FONT_FAMILY
from workbench.swimlane import (
    BOX_WIDTH,
    Edge,
    LegendItem,
    Marker,
    Node,
    swimlane_svg,
    text_width,
    wrap,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
XLINK = "{http://www.w3.org/1999/xlink}href"
LANES = ["Warehouse", "Quality", "Buyer"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    """{node key: (left, top, right, bottom)} of each node's box."""
    found = {}
    for group in root.iterfind(".//svg:g[@data-key]", NS):
        rect = group.find(".//svg:rect[@class='sl-box']", NS)
        x, y = float(rect.get("x")), float(rect.get("y"))
        found[group.get("data-key")] = (x, y, x + float(rect.get("width")), y + float(rect.get("height")))
    return found


def edge_paths(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:path[@class='sl-edge']", NS)


def points(path: ET.Element) -> list[tuple[float, float]]:
    """The path's points, corners' control points included: the orthogonal line the rounded path follows."""
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path.get("d"))]


def crosses(a: tuple[float, float], b: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    """Whether the axis-parallel segment a–b passes through the inside of `box` (touching its border is fine)."""
    left, top, right, bottom = box
    (x1, y1), (x2, y2) = a, b
    return (
        min(x1, x2) < right - 0.5
        and max(x1, x2) > left + 0.5
        and min(y1, y2) < bottom - 0.5
        and max(y1, y2) > top + 0.5
    )


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def flow() -> tuple[list[Node], list[Edge]]:
    """Unload → Check → Put away → Pay, with a failed check going back to unloading and a skip to paying."""
    nodes = [
        Node("u", "Warehouse", 1, "Unload truck", "1. paper · 20 min"),
        Node("c", "Quality", 2, "Check goods", "2. Excel"),
        Node("p", "Warehouse", 3, "Put away"),
        Node("b", "Buyer", 4, "Pay invoice"),
    ]
    edges = [
        Edge("u", "c"),
        Edge("c", "p", "passed"),
        Edge("c", "u", "failed check"),
        Edge("c", "b", "rejected"),
        Edge("p", "b"),
    ]
    return nodes, edges


def render(**kwargs) -> str:
    nodes, edges = flow()
    return swimlane_svg(**{"lanes": LANES, "nodes": nodes, "edges": edges, "title": "Receiving", **kwargs})


def test_the_markup_is_a_well_formed_accessible_svg():
    svg = render()
    root = parse(svg)

    assert isinstance(svg, SafeString)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("aria-label") == "Receiving"
    assert root[0].tag == "{http://www.w3.org/2000/svg}title" and root[0].text == "Receiving"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox").split() == ["0", "0", root.get("width"), root.get("height")]
    assert all(
        left >= 0 and top >= 0 and right <= width and bottom <= height
        for left, top, right, bottom in boxes(root).values()
    )


def test_nothing_external_runs_or_is_styled_by_the_page():
    svg = render()

    assert "<script" not in svg and "<style" not in svg and "<image" not in svg
    assert set(re.findall(r"url\(([^)]*)\)", svg)) == {f"#{parse(svg).find('.//svg:marker', NS).get('id')}"}


def test_each_node_is_one_box_in_its_lane_row_and_column():
    root = parse(render())
    found = boxes(root)
    rows = {g.get("data-lane"): g.find("svg:rect", NS) for g in root.iterfind(".//svg:g[@class='sl-lane']", NS)}

    assert len(root.findall(".//svg:rect[@class='sl-box']", NS)) == 4
    assert list(rows) == LANES
    for key, lane in {"u": "Warehouse", "c": "Quality", "p": "Warehouse", "b": "Buyer"}.items():
        row_top = float(rows[lane].get("y"))
        assert row_top <= found[key][1] and found[key][3] <= row_top + float(rows[lane].get("height"))
    # Columns left to right in column order, rows top to bottom in lane order.
    assert found["u"][0] < found["c"][0] < found["p"][0] < found["b"][0]
    assert found["u"][1] == found["p"][1] < found["c"][1] < found["b"][1]
    assert all(right - left == BOX_WIDTH for left, _t, right, _b in found.values())


def test_lanes_of_nodes_missing_from_the_list_are_added_at_the_end():
    root = parse(swimlane_svg(lanes=["A"], nodes=[Node("1", "A", 1, "x"), Node("2", "B", 2, "y")], edges=[]))

    assert [g.get("data-lane") for g in root.iterfind(".//svg:g[@class='sl-lane']", NS)] == ["A", "B"]


def test_one_arrow_per_edge_each_with_an_arrowhead():
    nodes, edges = flow()
    root = parse(swimlane_svg(lanes=LANES, nodes=nodes, edges=[*edges, Edge("u", "nowhere")]))
    marker_ids = {m.get("id") for m in root.iterfind(".//svg:marker", NS)}

    paths = edge_paths(root)
    assert len(paths) == len(edges)
    assert [(p.get("data-source"), p.get("data-target")) for p in paths] == [
        (e.source_key, e.target_key) for e in edges
    ]
    assert all(p.get("marker-end")[5:-1] in marker_ids for p in paths)


def test_an_arrow_to_the_next_column_runs_from_box_side_to_box_side():
    root = parse(render())
    found = boxes(root)
    arrow = next(p for p in edge_paths(root) if (p.get("data-source"), p.get("data-target")) == ("u", "c"))

    start, end = points(arrow)[0], points(arrow)[-1]
    assert start[0] == found["u"][2] and found["u"][1] < start[1] < found["u"][3]
    assert end[0] == found["c"][0] and found["c"][1] < end[1] < found["c"][3]
    assert {
        round(a[0] - b[0], 1) == 0 or round(a[1] - b[1], 1) == 0 for a, b in zip(points(arrow), points(arrow)[1:])
    } == {True}


def test_a_loop_back_runs_below_the_boxes_and_is_dashed():
    root = parse(render())
    found = boxes(root)
    loop = next(p for p in edge_paths(root) if p.get("data-target") == "u")
    line = points(loop)

    assert loop.get("stroke-dasharray")
    lowest = max(y for y in (box[3] for box in found.values()) if y <= found["c"][3])
    assert max(y for _x, y in line) > lowest  # its run goes below the boxes of the lanes it passes
    assert line[0][1] == found["c"][3]  # leaves the check at the bottom …
    assert (
        line[-1][1] == found["u"][3] and found["u"][0] < line[-1][0] < found["u"][2]
    )  # … and enters unloading from below
    assert not any(crosses(a, b, box) for a, b in zip(line, line[1:]) for box in found.values())


def test_no_arrow_crosses_a_box():
    root = parse(render())
    found = boxes(root)

    for path in edge_paths(root):
        line = points(path)
        assert not any(crosses(a, b, box) for a, b in zip(line, line[1:]) for box in found.values()), path.get("d")


def test_branches_leave_their_box_at_different_points():
    root = parse(render())
    starts = [points(p)[0] for p in edge_paths(root) if p.get("data-source") == "c"]

    assert len(starts) == 3 and len(set(starts)) == 3


@pytest.mark.parametrize("seed", range(25))
def test_random_flows_keep_arrows_and_labels_off_the_boxes(seed):
    rng = random.Random(seed)
    lanes = [f"Lane {i}" for i in range(rng.randint(1, 6))]
    count = rng.randint(2, 18)
    nodes = [Node(str(i), rng.choice(lanes), i, f"Step {i} " * rng.randint(1, 8)) for i in range(1, count + 1)]
    edges = [Edge(str(i), str(i + 1)) for i in range(1, count)]
    edges += [
        Edge(str(a), str(b), rng.choice(["", "yes", "failed check", "a rather long label that gets cut"]))
        for a, b in {(rng.randint(1, count), rng.randint(1, count)) for _ in range(rng.randint(0, 8))}
        if b not in (a, a + 1)
    ]
    root = parse(swimlane_svg(lanes=lanes, nodes=nodes, edges=edges))
    found = boxes(root)

    assert len(edge_paths(root)) == len(edges)
    for path in edge_paths(root):
        line = points(path)
        assert not any(crosses(a, b, box) for a, b in zip(line, line[1:]) for box in found.values())
    for label in root.iterfind(".//svg:g[@class='sl-edge-label']/svg:rect", NS):
        x, y = float(label.get("x")), float(label.get("y"))
        area = (x, y, x + float(label.get("width")), y + float(label.get("height")))
        assert not any(
            crosses((area[0], (area[1] + area[3]) / 2), (area[2], (area[1] + area[3]) / 2), b) for b in found.values()
        )


def test_edge_labels_are_drawn_on_a_white_background():
    root = parse(render())
    labels = {g.get("data-target"): g for g in root.iterfind(".//svg:g[@class='sl-edge-label']", NS)}

    assert set(labels) == {"p", "u", "b"}
    assert labels["u"].find("svg:text", NS).text == "failed check"
    assert labels["u"].find("svg:rect", NS).get("fill") == "#ffffff"


def test_all_text_is_escaped():
    evil = '<script>alert("x")</script> & co'
    nodes = [
        Node("1", evil, 1, evil, evil, markers=[Marker("1", "bad", evil)], href='/x?a=1&b="2"', css_class=evil),
        Node("2", "B", 2, "ok"),
    ]
    svg = swimlane_svg(lanes=[evil], nodes=nodes, edges=[Edge("1", "2", evil)], title=evil)
    root = parse(svg)

    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert root.get("aria-label") == evil
    assert any(evil[:10] in text for text in texts(root))
    assert root.find(".//svg:a", NS).get("href") == '/x?a=1&b="2"'


def test_unsafe_links_are_left_out():
    root = parse(swimlane_svg(lanes=["A"], nodes=[Node("1", "A", 1, "x", href="javascript:alert(1)")], edges=[]))

    assert root.find(".//svg:a", NS) is None


def test_a_node_links_with_href_and_xlink_href():
    root = parse(swimlane_svg(lanes=["A"], nodes=[Node("1", "A", 1, "Unload", href="/p/1/#step-1")], edges=[]))
    link = root.find(".//svg:g[@data-key='1']/svg:a", NS)

    assert link.get("href") == link.get(XLINK) == "/p/1/#step-1"
    assert link.find("svg:rect", NS).get("class") == "sl-box"


def test_the_cjk_font_family_is_set_on_the_root_and_on_every_text():
    root = parse(render())

    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.get("font-family") == FONT_FAMILY.replace('"', "'")
    assert all(t.get("font-family") == root.get("font-family") for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert all(float(t.get("font-size")) >= 12 for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_chinese_text_is_kept_and_wrapped_inside_the_box():
    title = "拣货，并把数量重新录入 Excel 表格后交给仓库主管审核"
    root = parse(swimlane_svg(lanes=["仓库"], nodes=[Node("1", "仓库", 1, title, "6. 旧系统")], edges=[]))
    group = root.find(".//svg:g[@data-key='1']", NS)
    lines = [t.text for t in group.iter("{http://www.w3.org/2000/svg}text")]

    assert "".join(lines[:-1]).replace(" ", "") == title.replace(" ", "")
    assert 2 <= len(lines) - 1 <= 4
    assert not any(line.startswith("，") for line in lines)
    assert lines[-1] == "6. 旧系统"
    assert "仓库" in texts(root)
    assert group.find("svg:title", NS).text.startswith(title)


def test_long_titles_stop_after_four_lines_and_the_lane_boxes_grow_together():
    long = "Compare the delivery note with the purchase order and the invoice, then sign the paper copy " * 3
    nodes = [Node("1", "A", 1, "Short"), Node("2", "A", 2, long), Node("3", "B", 3, "Short")]
    root = parse(swimlane_svg(lanes=["A", "B"], nodes=nodes, edges=[]))
    found = boxes(root)
    title_lines = root.find(".//svg:g[@data-key='2']", NS).findall(".//svg:text", NS)

    assert len(title_lines) == 4 and title_lines[-1].text.endswith("…")
    assert found["1"][3] - found["1"][1] == found["2"][3] - found["2"][1] > found["3"][3] - found["3"][1]


def test_markers_are_badges_with_a_tooltip_at_the_top_right():
    node = Node("1", "A", 1, "Check", markers=[Marker("2", "bad", "2 pain points"), Marker("1", "warn")])
    root = parse(swimlane_svg(lanes=["A"], nodes=[node], edges=[]))
    left, top, right, _bottom = boxes(root)["1"]
    badges = root.findall(".//svg:g[@class='sl-marker']", NS)

    assert [b.get("data-tone") for b in badges] == ["bad", "warn"]
    assert badges[0].find("svg:title", NS).text == "2 pain points"
    assert badges[0].find("svg:text", NS).text == "2"
    assert badges[0].find("svg:rect", NS).get("fill") == "#d63939"
    rects = [b.find("svg:rect", NS) for b in badges]
    assert all(float(r.get("y")) < top < float(r.get("y")) + float(r.get("height")) for r in rects)
    assert left + (right - left) / 2 < float(rects[0].get("x")) < float(rects[1].get("x")) < right


def test_the_legend_explains_the_symbols():
    legend = [
        LegendItem("manual", accent="yellow"),
        LegendItem("loops back", line="dashed"),
        LegendItem("risk", Marker("!")),
    ]
    root = parse(render(legend=legend))

    assert {"manual", "loops back", "risk"} <= set(texts(root.find(".//svg:g[@class='sl-legend']", NS)))


def test_no_nodes_give_a_tiny_empty_svg():
    svg = swimlane_svg(lanes=["A"], nodes=[], edges=[Edge("1", "2")], title="Empty")
    root = parse(svg)

    assert float(root.get("width")) <= 1 and float(root.get("height")) <= 1
    assert root.get("aria-label") == "Empty"
    assert texts(root) == [] and edge_paths(root) == []


def test_text_width_counts_cjk_as_one_em_and_latin_narrower():
    assert text_width("仓库", 10) == 20
    assert 4 < text_width("ab", 10) < 14


def test_latin_wraps_between_words_and_cjk_between_characters():
    assert wrap("Put away the goods", 60, 13, 4) == ["Put away", "the goods"]
    assert wrap("检查信用额度，然后开票", 52, 13, 4) == ["检查信用", "额度，然", "后开票"]
    assert wrap("Überweisungsträgerbearbeitung", 80, 13, 4)[0].startswith("Überweisung")
    assert wrap("", 100, 13, 4) == []
    assert wrap("one two three four five", 40, 13, 2)[-1].endswith("…")
