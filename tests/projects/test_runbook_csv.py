"""Runbook tasks to and from CSV: the round trip, updates by number, every bad row refused with nothing written."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from projects.models import CutoverTask, Membership
from projects.runbook_csv import COLUMNS, runbook_export, runbook_import
from projects.runbook_template import runbook_pull
from projects.services import golive as svc
from tests.factories import MembershipFactory, ProjectFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = ",".join(COLUMNS)


@pytest.fixture
def plan(project):
    return svc.plan_for(project)


@pytest.fixture
def members(project, team):
    return {m.user.username: m for m in Membership.objects.filter(project=project)}


def _snapshot(plan) -> list[tuple]:
    return [
        (
            t.number,
            t.title,
            t.stream,
            t.kind,
            t.owner.user.username if t.owner else None,
            t.backup.user.username if t.backup else None,
            t.duration_minutes,
            t.fixed_start,
            t.description,
            sorted(p.number for p in t.predecessors.all()),
        )
        for t in plan.tasks.select_related("owner__user", "backup__user").prefetch_related("predecessors")
    ]


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def test_export_then_import_into_an_empty_plan_gives_the_same_tasks(plan, members, owner):
    freeze = svc.task_create(
        plan=plan,
        title="冻结主数据变更",
        stream="business",
        kind="normal",
        owner=members["editor"],
        backup=members["viewer"],
        duration_minutes=15,
        fixed_start=datetime(2025, 6, 6, 18, 0, tzinfo=SHANGHAI),
        description='- no new items\n- no price changes, "even urgent ones"',
    )
    load = svc.task_create(
        plan=plan, title="=Final load, stock", stream="data", duration_minutes=90, predecessors=[freeze]
    )
    gate = svc.task_create(plan=plan, title="Go/no-go", kind="gate", duration_minutes=0, predecessors=[freeze, load])
    svc.task_create(plan=plan, title="Rollback: restore", kind="rollback", owner=members["tester"], predecessors=[gate])
    exported = runbook_export(plan)
    assert exported.startswith(b"\xef\xbb\xbf" + HEADER.encode())
    text = exported.decode("utf-8-sig")
    assert "2025-06-06T18:00:00+08:00" in text and ",1 2," in text and "'=Final load" in text

    other = ProjectFactory(code="COPY")
    for username in ("editor", "viewer", "tester"):
        MembershipFactory(project=other, user=members[username].user)
    copy = svc.plan_for(other)
    result = runbook_import(copy, exported, user=owner)
    assert result.ok, result.errors
    assert len(result.created) == 4 and result.updated == []
    assert _snapshot(copy) == _snapshot(plan)

    # The same file again changes nothing.
    again = runbook_import(copy, exported, user=owner)
    assert again.ok and again.created == [] and again.updated == [] and again.unchanged == 4
    assert set(copy.tasks.values_list("version", flat=True)) == {1}


def test_the_pulled_template_survives_a_round_trip(plan, project):
    runbook_pull(plan, language="zh-hans", window_start=datetime(2025, 6, 6, 18, 0, tzinfo=SHANGHAI))
    copy = svc.plan_for(ProjectFactory(code="COPY"))
    result = runbook_import(copy, runbook_export(plan))
    assert result.ok, result.errors
    assert _snapshot(copy) == _snapshot(plan)


def test_an_import_updates_by_number_and_adds_new_tasks(plan, members, owner):
    first = svc.task_create(plan=plan, title="Freeze master data", duration_minutes=15)
    second = svc.task_create(plan=plan, title="Final count", predecessors=[first])
    data = _csv(
        "number,title,type,owner,after",  # columns left out keep their values
        "2,Final count in every store,validation,Tester,",
        "7,Go/no-go,Go/no-go gate,,1 2",
    )
    result = runbook_import(plan, data, user=owner)
    assert result.ok, result.errors
    assert [t.number for t in result.created] == [7] and [t.number for t in result.updated] == [2]
    assert result.unchanged == 0
    second.refresh_from_db()
    assert second.title == "Final count in every store" and second.kind == "validation"
    assert second.owner == members["tester"] and second.version == 2
    assert list(second.predecessors.all()) == []  # an empty "after" cell clears them
    assert second.duration_minutes == 30  # no such column: unchanged
    gate = plan.tasks.get(number=7)
    assert gate.kind == "gate" and gate.stream == "technical" and gate.duration_minutes == 30
    assert sorted(p.number for p in gate.predecessors.all()) == [1, 2]
    first.refresh_from_db()
    assert first.version == 1 and first.title == "Freeze master data"  # not in the file: untouched


def test_chinese_headers_and_labels_in_gb18030(plan, members):
    data = _csv(
        "编号,标题,工作流,类型,负责人,时长(分钟),固定开始,前置,说明",
        "1,冻结主数据变更,业务,任务,editor,15,2025/6/6 18:00,,旧系统中不再修改商品和价格",
        "2,最终加载：库存,数据,任务,,90,,1,",
        "3,上线决策,业务,上线决策,owner,30,2025-06-07 07:00,1；2,",
        "4,门店开门,业务,里程碑,,0,,3,",
        encoding="gb18030",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = runbook_import(plan, data)
    assert result.ok, result.errors
    tasks = {t.number: t for t in plan.tasks.all()}
    assert tasks[1].title == "冻结主数据变更" and tasks[1].stream == "business" and tasks[1].kind == "normal"
    assert tasks[1].owner == members["editor"] and tasks[1].description == "旧系统中不再修改商品和价格"
    assert tasks[1].fixed_start == datetime(2025, 6, 6, 18, 0, tzinfo=SHANGHAI)
    assert tasks[2].stream == "data" and tasks[3].kind == "gate" and tasks[4].kind == "milestone"
    assert tasks[3].fixed_start == datetime(2025, 6, 7, 7, 0, tzinfo=SHANGHAI)
    assert sorted(p.number for p in tasks[3].predecessors.all()) == [1, 2]


GOOD_ROW = "1,Freeze master data,business,normal,editor,,15,,,"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2,Load stock,finance,normal,,,30,,1,", "Unknown stream “finance”"),
        ("2,Load stock,data,meeting,,,30,,1,", "Unknown type “meeting”"),
        ("two,Load stock,data,normal,,,30,,1,", "number “two” is not a whole number"),
        ("0,Load stock,data,normal,,,30,,1,", "number “0” is not a whole number"),
        ("2,Load stock,data,normal,,,ninety,,1,", "duration “ninety”"),
        ("2,Load stock,data,normal,,,-5,,1,", "duration “-5”"),
        ("2,Load stock,data,normal,,,30,next Friday,1,", "fixed start “next Friday”"),
        ("2,Load stock,data,normal,nobody,,30,,1,", "“nobody” is not the username of a member"),
        ("2,Load stock,data,normal,,outsider,30,,1,", "“outsider” is not the username of a member"),
        ("2,Load stock,data,normal,,,30,,1 9,", "Task 9 is neither in the file nor in the runbook"),
        ("2,Load stock,data,normal,,,30,,1 x,", "“x” in “after” is not a task number"),
        ("2,Load stock,data,normal,,,30,,2,", "cannot follow itself"),
        ("2,,data,normal,,,30,,1,", "Task 2 has no title"),
        ("1,Load stock,data,normal,,,30,,,", "Task 1 is already in row 2"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_and_nothing_is_written(plan, members, outsider, bad_row, message):
    existing = svc.task_create(plan=plan, title="Announce the cutover")
    data = _csv(HEADER, GOOD_ROW, bad_row, "3,Gate,business,gate,,,30,,1,")
    result = runbook_import(plan, data)
    assert not result.ok and result.created == []
    assert [row for row, _text in result.errors] == [3], result.errors
    assert message in result.errors[0][1]
    assert list(plan.tasks.all()) == [existing]
    existing.refresh_from_db()
    assert existing.title == "Announce the cutover" and existing.version == 1


def test_a_circle_through_the_file_and_the_plan_is_refused_and_shown(plan):
    first = svc.task_create(plan=plan, title="Freeze")
    svc.task_create(plan=plan, title="Count", predecessors=[first])
    data = _csv(
        "number,title,description,after",
        '5,Notes,"a description',
        'over two lines",',
        "1,Freeze,,3",
        "3,Load,,2",
    )
    result = runbook_import(plan, data)
    # Task 5's description spans two lines of the file but one spreadsheet row: task 1 is on row 3.
    assert result.errors == [(3, "Those tasks would wait for each other in a circle: 1 → 3 → 2 → 1.")]
    assert plan.tasks.count() == 2 and list(first.predecessors.all()) == []


def test_every_error_of_the_file_is_reported_at_once(plan):
    data = _csv(HEADER, "1,A,nowhere,normal,,,30,,,", "", "2,B,data,never,,,soon,,,")
    result = runbook_import(plan, data)
    assert [row for row, _text in result.errors] == [2, 4, 4]
    assert plan.tasks.count() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", (0, "No header row")),
        (b"\xff\xfe\x00garbage\x81", (0, "not UTF-8 or GB18030")),
        (_csv("number,stream", "1,data"), (1, "no “title” column")),
        (_csv("title,number,Title", "A,1,B"), (1, "appears twice")),
        (_csv(HEADER), (0, "no tasks")),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(plan, data, expected):
    result = runbook_import(plan, data)
    assert len(result.errors) == 1
    row, text = result.errors[0]
    assert row == expected[0] and expected[1] in text
    assert not CutoverTask.objects.exists()


def test_semicolons_and_a_title_too_long(plan):
    data = _csv("number;title;after", f"1;{'x' * 201};", "2;Fine;1")
    result = runbook_import(plan, data)
    assert result.errors == [(2, "The title is longer than 200 characters.")]
    assert runbook_import(plan, _csv("number;title;after", "1;Short;", "2;Fine;1")).ok
    assert plan.tasks.get(number=2).predecessors.get().number == 1
