"""The runbook's downloads and pictures: the Gantt chart and dependency view (SVG), the calendar (ICS), the PDF.

The runbook: the window opens Friday 13 March 2026 at 18:00 in Shanghai (10:00 UTC).

    #1 Freeze master data      60 min            18:00–19:00  (10:00–11:00 UTC)  owner: Wei Li, backup: Mei Chen
    #2 Load products          120 min  after 1   19:00–21:00  (11:00–13:00 UTC)
    #3 Tell the stores         30 min  after 1   19:00–19:30  (11:00–11:30 UTC)
    #4 Go-live (milestone)      0 min  after 2,3 21:00        (13:00 UTC, no end)
"""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from pypdf import PdfReader

from projects import runbook_pdf
from projects.models import Membership
from projects.services import golive as svc
from tests.conftest import client_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_START = datetime(2026, 3, 13, 18, 0, tzinfo=SHANGHAI)
NAMES = ["runbook-gantt", "runbook-dependencies", "runbook-ics", "runbook-pdf"]


def url(name: str, code: str = "ACME") -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": code})


@pytest.fixture(autouse=True)
def _shanghai():
    with timezone.override(SHANGHAI):
        yield


@pytest.fixture
def plan(project, team):
    owner = Membership.objects.get(project=project, user=team["owner"])
    editor = Membership.objects.get(project=project, user=team["editor"])
    team["owner"].first_name, team["owner"].last_name = "Wei", "Li"
    team["owner"].save()
    team["editor"].first_name, team["editor"].last_name = "Mei", "Chen"
    team["editor"].save()
    plan = svc.plan_for(project)
    plan.strategy = "direct"
    plan.window_start, plan.window_end = WINDOW_START, WINDOW_START + timedelta(hours=4)
    plan.go_live_date = WINDOW_START.date() + timedelta(days=1)
    plan.point_of_no_return = WINDOW_START + timedelta(hours=2)
    plan.rollback_deadline = WINDOW_START + timedelta(hours=2, minutes=30)
    plan.contingency_plan = "**Trigger**: the stock count differs by more than 0.5 %.\n\n- Restore the old system"
    plan.save()
    freeze = svc.task_create(
        plan=plan,
        title="Freeze master data",
        stream="business",
        duration_minutes=60,
        owner=owner,
        backup=editor,
        description="No new products or customers from now on.",
    )
    load = svc.task_create(plan=plan, title="Load products", stream="data", duration_minutes=120, predecessors=[freeze])
    tell = svc.task_create(
        plan=plan, title="Tell the stores", stream="communications", duration_minutes=30, predecessors=[freeze]
    )
    svc.task_create(
        plan=plan, title="Go-live", stream="business", kind="milestone", duration_minutes=0, predecessors=[load, tell]
    )
    return plan


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 13, hour, minute, tzinfo=UTC)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# The calendar -------------------------------------------------------------------------------------------


def test_the_calendar_has_one_event_per_task_at_its_forecast_time_in_utc(plan, viewer):
    response = client_for(viewer).get(url("runbook-ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="ACME-runbook.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(body(response))
    assert str(calendar["X-WR-CALNAME"]) == "ACME cutover runbook"
    events = calendar.walk("VEVENT")
    tasks = {task.number: task for task in plan.tasks.all()}
    assert [str(e["SUMMARY"]) for e in events] == [
        "#1 Freeze master data",
        "#2 Load products",
        "#3 Tell the stores",
        "#4 Go-live",
    ]
    expected = {1: (utc(10), utc(11)), 2: (utc(11), utc(13)), 3: (utc(11), utc(11, 30)), 4: (utc(13), None)}
    for number, event in enumerate(events, start=1):
        start, end = expected[number]
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTSTART").utcoffset() == timedelta(0)
        assert str(event["UID"]) == f"cutover-task-{tasks[number].pk}@ACME"
        if end is None:
            assert "DTEND" not in event  # a milestone ends when it starts
        else:
            assert event.decoded("DTEND") == end
    first, last = events[0], events[3]
    description = str(first["DESCRIPTION"])
    for line in (
        "Stream: Business",
        "Type: Task",
        "Owner: Wei Li",
        "Backup: Mei Chen",
        "After: —",
        "On the critical path",
        "No new products",
    ):
        assert line in description
    assert "After: #2, #3" in str(last["DESCRIPTION"])
    assert first["CATEGORIES"].cats == ["Business"]
    assert str(first["URL"]).endswith("/p/ACME/golive/runbook/tasks/1/")


def test_the_calendar_keeps_its_uids_when_the_plan_moves(plan, viewer):
    client = client_for(viewer)
    before = Calendar.from_ical(body(client.get(url("runbook-ics")))).walk("VEVENT")
    plan.window_start += timedelta(days=7)
    plan.save()
    after = Calendar.from_ical(body(client.get(url("runbook-ics")))).walk("VEVENT")
    assert [str(e["UID"]) for e in after] == [str(e["UID"]) for e in before]
    assert after[0].decoded("DTSTART") == utc(10) + timedelta(days=7)


def test_the_calendar_speaks_the_users_language(plan, viewer):
    client = client_for(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    event = Calendar.from_ical(body(client.get(url("runbook-ics")))).walk("VEVENT")[0]
    with translation.override("zh-hans"):
        expected = str(plan.tasks.get(number=1).get_stream_display())
    assert expected != "Business"
    assert event["CATEGORIES"].cats == [expected]


# The PDF ------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def test_the_pdf_holds_the_plan_the_chart_and_the_tasks_in_order(plan, viewer):
    response = client_for(viewer).get(url("runbook-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ACME-runbook.pdf"' in response["Content-Disposition"]
    data = body(response)
    assert data.startswith(b"%PDF")
    reader = PdfReader(BytesIO(data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = pdf_text(data)
    for expected in (
        "Cutover runbook",
        "Direct cutover",
        "2026-03-13 18:00 – 2026-03-13 22:00",  # the window
        "2026-03-13 20:00",  # point of no return
        "2026-03-13 20:30",  # rollback deadline
        "the stock count differs",  # the contingency plan
        "Gantt chart",
        "Tasks in order",
        "Freeze master data",
        "Load products",
        "Tell the stores",
        "Go-live",
        "Wei Li",
        "Mei Chen",
    ):
        assert expected in text, expected
    # The task table, in schedule order, with the forecast and the critical marker.
    table = text[text.index("Tasks in order") :]
    positions = [table.index(title) for title in ("Freeze master data", "Load products", "Tell the stores", "Go-live")]
    assert positions == sorted(positions)
    assert "2026-03-13 19:00" in table and "21:00" in table
    assert table.count("Critical") >= 3 + 1  # the header and #1, #2, #4


def test_the_pdf_table_marks_the_critical_tasks(plan):
    with translation.override("en"):
        context = runbook_pdf.runbook_context(plan=plan)
    rows = {line.number: (line.start, line.finish, line.critical, line.after) for line in context["tasks"]}
    assert rows == {
        1: ("2026-03-13 18:00", "19:00", True, []),
        2: ("2026-03-13 19:00", "21:00", True, [1]),
        3: ("2026-03-13 19:00", "19:30", False, [1]),
        4: ("2026-03-13 21:00", "21:00", True, [2, 3]),
    }
    assert context["forecast_end"] == "2026-03-13 21:00"
    assert len(context["gantt"]) == 1


def test_the_pdf_in_chinese_uses_the_simplified_chinese_font(plan, viewer):
    task = plan.tasks.get(number=2)
    task.title = "最终加载：商品"
    task.save()
    client = client_for(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    data = body(client.get(url("runbook-pdf")))
    text = pdf_text(data)
    assert "最终加载：商品" in text
    fonts = pdf_fonts(data)
    assert "Noto-Sans-CJK-SC" in fonts, fonts  # embedded, and the Simplified Chinese glyph forms
    assert not any("JP" in font or "TC" in font for font in fonts), fonts


def test_a_long_gantt_is_cut_into_pages_on_one_scale(plan):
    for number in range(runbook_pdf.GANTT_ROWS_PER_PAGE + 2):
        svc.task_create(plan=plan, title=f"Count store {number}", duration_minutes=15)
    with translation.override("en"):
        context = runbook_pdf.runbook_context(plan=plan)
    pieces = [ET.fromstring(str(piece)) for piece in context["gantt"]]
    assert len(pieces) == 2
    assert pieces[0].get("width") == pieces[1].get("width")
    rows = [
        len([g for g in piece.iter("{http://www.w3.org/2000/svg}g") if "gc-task" in g.get("class", "").split()])
        for piece in pieces
    ]
    assert rows == [runbook_pdf.GANTT_ROWS_PER_PAGE, 4 + 2]  # 4 + rows per page + 2 tasks
    legends = [
        len([g for g in piece.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "gc-legend"])
        for piece in pieces
    ]
    assert legends == [0, 1]


# The pictures -------------------------------------------------------------------------------------------


def test_the_gantt_and_the_dependency_view_are_svg_images(plan, viewer):
    client = client_for(viewer)
    for name, css in (("runbook-gantt", "gc-gantt"), ("runbook-dependencies", "dg-dependencies")):
        response = client.get(url(name))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        root = ET.fromstring(response.content)
        assert root.get("class") == css
        assert "Freeze master data" in response.content.decode()


def test_the_gantt_of_a_project_without_a_plan_is_empty_and_creates_nothing(project, viewer):
    from projects.models import CutoverPlan

    client = client_for(viewer)
    for name in NAMES:
        assert client.get(url(name)).status_code == 200
    assert not CutoverPlan.objects.filter(project=project).exists()


# Who may fetch them, and at what cost -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_member_may_fetch_them_and_an_outsider_gets_404(plan, team, outsider, name):
    for role in ("owner", "editor", "tester", "viewer"):
        assert client_for(team[role]).get(url(name)).status_code == 200, role
    assert client_for(outsider).get(url(name)).status_code == 404
    assert client_for(team["vendor"]).get(url(name)).status_code == 403  # the vendor answers questions only


@pytest.mark.parametrize("name", ["runbook-gantt", "runbook-dependencies", "runbook-ics"])
def test_the_query_count_does_not_grow_with_the_runbook(plan, viewer, name, django_assert_num_queries):
    client = client_for(viewer)
    client.get(url(name))  # the session is loaded once
    with django_assert_num_queries(6):
        client.get(url(name))
    tasks = list(plan.tasks.all())
    for number in range(10):
        svc.task_create(plan=plan, title=f"Count store {number}", duration_minutes=15, predecessors=tasks[:2])
    with django_assert_num_queries(6):
        client.get(url(name))
