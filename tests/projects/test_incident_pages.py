"""The incident pages: the list with its computed clocks, summary and filters; an incident with its clocks and moves;
opening and editing one; the import of a ticket export (preview, apply, refusal) and the export read back in.

The times are hand-computed on the vendor's office calendar (Mon–Fri 09:00–18:00, China's public days): National Day
2026 is 1–7 October, so 2 business hours on Wednesday 30 September are followed by Thursday 8 October.
"""

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from projects.models import BusinessCalendar, Incident, ServiceLevel
from projects.services import sla as svc
from requirements.models import Vendor
from tests.conftest import client_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXPORT = """工单号,标题,严重程度,供应商,创建时间,响应时间,解决时间,关闭时间
T-1001,收银台无法过账,致命,Northwind,2026-09-30 14:00,2026-09-30 14:20,2026-10-09 12:00,2026-10-10 09:00
T-1002,Stock report slow,P2,Northwind,2026-10-09 10:00,,,
"""


def at(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}").replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


@pytest.fixture
def northwind(project):
    vendor = Vendor.objects.create(project=project, name="Northwind")
    office = BusinessCalendar.objects.create(project=project, name="Office hours (China)")  # Mon–Fri 09–18, CN
    for severity, response, resolution in (("critical", "0.5", "4"), ("major", "4", "16")):
        svc.service_level_save(
            ServiceLevel(
                project=project,
                vendor=vendor,
                severity=severity,
                response_hours=Decimal(response),
                resolution_hours=Decimal(resolution),
                calendar=office,
            )
        )
    return vendor


@pytest.fixture
def clock_at(monkeypatch):
    """Read the pages' clocks at a given moment."""

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr("projects.views.incidents.current_time", lambda: moment)

    return set_now


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def rows_of(html: str) -> dict[str, str]:
    """The list's rows by key: the HTML of each."""
    parts = re.split(r'(?=<tr data-testid="incident-row")', html)[1:]
    return {re.search(r'data-key="([^"]+)"', part).group(1): part.split("</tr>")[0] for part in parts}


def form_data(form) -> dict:
    """What the browser sends back for a form as it was shown."""
    return {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}


def open_incident(project, vendor, opened, severity="major", title="Till cannot post sales", **fields):
    return svc.incident_create(
        project=project, title=title, opened_at=opened, severity=severity, vendor=vendor, **fields
    )


# The list ------------------------------------------------------------------------------------------------


def test_the_list_shows_due_times_computed_on_the_vendors_calendar(project, owner, northwind, clock_at):
    open_incident(project, northwind, at("2026-09-30", "16:00"))
    clock_at(at("2026-10-08", "10:00"))

    response = client_for(owner).get(url("incident-list"))

    row = rows_of(response.content.decode())["INC-001"]
    # Response 4 h: 16:00–18:00 on 30 September, National Day off, 09:00–11:00 on 8 October; 3 h used at 10:00.
    assert 'data-testid="response" data-state="running"' in row
    assert "due 2026-10-08 11:00" in row and "1 h left" in row
    # Resolution 16 h: 2 h + 9 h (8 October) + 5 h on Friday 9 October; 3 of 16 h used = 19 %.
    assert "due 2026-10-09 14:00" in row and "13 h left · 19 %" in row
    assert 'data-testid="breached"' not in row
    assert 'data-testid="summary-open">1<' in response.content.decode()


def test_a_waiting_incident_shows_its_resolution_clock_paused(project, owner, northwind, clock_at):
    incident = open_incident(project, northwind, at("2026-10-08", "09:00"))
    svc.incident_move(incident=incident, status="acknowledged", at=at("2026-10-08", "09:30"))
    svc.incident_move(incident=incident, status="waiting", at=at("2026-10-08", "11:00"), note="Asked for the log")
    clock_at(at("2026-10-08", "15:00"))
    client = client_for(owner)

    listing = client.get(url("incident-list")).content.decode()
    detail = client.get(url("incident-detail", incident_number=1)).content.decode()

    row = rows_of(listing)["INC-001"]
    assert 'data-testid="resolution" data-state="paused"' in row and "14 h left" in row
    assert 'data-testid="response" data-state="met"' in row and "met 30 min" in row
    assert 'data-testid="summary-waiting">1<' in listing
    resolution = detail.split('data-testid="clock-resolution"')[1]
    assert "paused — waiting for the customer" in resolution
    assert re.search(r'data-testid="clock-left">\s*14 h<', resolution)
    assert "Asked for the log" in detail  # the timeline's note


def test_the_breached_filter_keeps_the_incidents_over_a_target(project, owner, northwind, clock_at):
    open_incident(project, northwind, at("2026-10-08", "09:00"), severity="critical", title="Card payments fail")
    open_incident(project, northwind, at("2026-10-08", "09:00"), title="Stock report slow")
    clock_at(at("2026-10-08", "10:00"))
    client = client_for(owner)

    everything = client.get(url("incident-list")).content.decode()
    breached = client.get(url("incident-list") + "?breached=1").content.decode()

    assert set(rows_of(everything)) == {"INC-001", "INC-002"}
    assert set(rows_of(breached)) == {"INC-001"}
    assert "breached by 30 min" in rows_of(breached)["INC-001"]  # 30 min target, an hour without response
    assert 'data-testid="summary-breached">1<' in everything
    assert "Critical (1)" in everything and "Major (1)" in everything


def test_filters_by_status_severity_and_vendor(project, owner, northwind, clock_at):
    other = Vendor.objects.create(project=project, name="Southwind")
    open_incident(project, northwind, at("2026-10-08", "09:00"), title="A")
    done = open_incident(project, other, at("2026-10-08", "09:00"), severity="minor", title="B")
    svc.incident_move(incident=done, status="resolved", at=at("2026-10-08", "09:10"))
    open_incident(project, None, at("2026-10-08", "09:00"), severity="minor", title="C")
    clock_at(at("2026-10-08", "10:00"))
    client = client_for(owner)

    def keys(query: str) -> set[str]:
        return set(rows_of(client.get(url("incident-list") + query).content.decode()))

    assert keys("") == {"INC-001", "INC-003"}  # open ones first
    assert keys("?status=resolved") == {"INC-002"}
    assert keys("?status=all&severity=minor") == {"INC-002", "INC-003"}
    assert keys(f"?status=all&vendor={other.pk}") == {"INC-002"}
    assert keys("?status=all&vendor=none") == {"INC-003"}
    assert keys("?status=nonsense&severity=bogus") == {"INC-001", "INC-003"}  # wrong values are left out


def test_an_incident_without_a_service_level_says_so_with_a_hint(project, owner, northwind):
    open_incident(project, northwind, None, severity="minor")  # Northwind has no minor SLA

    row = rows_of(client_for(owner).get(url("incident-list")).content.decode())["INC-001"]

    assert "no SLA" in row and url("service-level-list") in row


def test_the_empty_list_explains_incidents_and_offers_the_import(project, owner, viewer):
    page = client_for(owner).get(url("incident-list")).content.decode()
    viewer_page = client_for(viewer).get(url("incident-list")).content.decode()

    assert 'data-testid="incidents-empty"' in page and "hypercare" in page
    assert url("incident-import") in page
    assert url("incident-import") not in viewer_page and url("incident-create") not in viewer_page


def test_the_empty_list_asks_for_service_levels_only_while_there_are_none(project, owner):
    before = client_for(owner).get(url("incident-list")).content.decode()
    assert 'data-testid="empty-levels"' in before

    vendor = Vendor.objects.create(project=project, name="Northwind")
    office = BusinessCalendar.objects.create(project=project, name="Office hours (China)")
    ServiceLevel.objects.create(
        project=project, vendor=vendor, severity="major", response_hours=4, resolution_hours=16, calendar=office
    )
    after = client_for(owner).get(url("incident-list")).content.decode()

    assert 'data-testid="incidents-empty"' in after and 'data-testid="empty-levels"' not in after


def test_the_list_takes_the_same_queries_for_few_and_many_incidents(
    project, owner, northwind, clock_at, django_assert_num_queries
):
    client = client_for(owner)
    clock_at(at("2026-10-08", "10:00"))
    for number in range(2):
        open_incident(project, northwind, at("2026-10-08", "09:00"), title=f"Few {number}")
    client.get(url("incident-list"))  # warm the session and the holiday tables
    with django_assert_num_queries(11):
        few = client.get(url("incident-list"))
    for number in range(12):
        incident = open_incident(project, northwind, at("2026-10-08", "09:00"), title=f"Many {number}")
        if number % 3 == 0:
            svc.incident_move(incident=incident, status="waiting", at=at("2026-10-08", "09:30"))
    with django_assert_num_queries(11):
        many = client.get(url("incident-list"))
    assert len(rows_of(few.content.decode())) == 2 and len(rows_of(many.content.decode())) == 14


# One incident --------------------------------------------------------------------------------------------


def test_a_move_is_recorded_with_its_note_and_time(project, editor, northwind):
    incident = open_incident(project, northwind, at("2026-10-08", "09:00"))

    response = client_for(editor).post(
        url("incident-move", incident_number=1),
        {"move-status": "acknowledged", "move-at": "2026-10-08T09:20", "move-note": "Vendor called back"},
    )

    assert response.status_code == 302 and response["Location"].endswith("/incidents/1/#clocks")
    incident.refresh_from_db()
    assert incident.status == "acknowledged"
    assert list(incident.changes.values_list("status", "at", "note", "by")) == [
        ("new", at("2026-10-08", "09:00"), "", None),
        ("acknowledged", at("2026-10-08", "09:20"), "Vendor called back", editor.pk),
    ]


def test_refused_moves_show_why_and_change_nothing(project, editor, northwind):
    incident = open_incident(project, northwind, at("2026-10-08", "09:00"))
    svc.incident_move(incident=incident, status="acknowledged", at=at("2026-10-08", "10:00"))
    client = client_for(editor)
    move = url("incident-move", incident_number=1)

    closing = client.post(move, {"move-status": "closed"})  # only a resolved incident closes
    before_last = client.post(move, {"move-status": "resolved", "move-at": "2026-10-08T09:30", "move-note": "Fixed"})
    future = client.post(move, {"move-status": "resolved", "move-at": "2099-01-01T10:00"})

    assert closing.status_code == 200 and "cannot move there" in closing.content.decode()
    assert "before the incident&#x27;s last change (2026-10-08 10:00)" in before_last.content.decode()
    assert 'value="Fixed"' not in before_last.content.decode() and "Fixed</textarea>" in before_last.content.decode()
    assert "That time is in the future" in future.content.decode()
    incident.refresh_from_db()
    assert incident.status == "acknowledged" and incident.changes.count() == 2


def test_the_detail_page_shows_both_clocks_and_the_service_level(project, viewer, northwind, clock_at):
    incident = open_incident(project, northwind, at("2026-09-30", "16:00"), description="The **till** says E42")
    svc.incident_move(incident=incident, status="acknowledged", at=at("2026-09-30", "16:20"))
    clock_at(at("2026-10-08", "10:00"))

    page = client_for(viewer).get(url("incident-detail", incident_number=1)).content.decode()

    response, resolution = (
        page.split('data-testid="clock-response"')[1],
        page.split('data-testid="clock-resolution"')[1],
    )
    assert "4 h of business hours on Office hours (China)" in response
    assert re.search(r'data-testid="clock-used">\s*20 min<', response)
    assert re.search(r'data-testid="clock-met">\s*2026-09-30 16:20<', response)
    assert "16 h of business hours on Office hours (China)" in resolution
    assert re.search(r'data-testid="clock-due">\s*2026-10-09 14:00<', resolution)
    assert "<strong>till</strong>" in page  # the description as Markdown
    assert 'data-testid="move-form"' not in page and url("incident-edit", incident_number=1) not in page


def test_a_severity_change_re_rates_the_clocks_on_the_detail_page(project, owner, northwind, clock_at):
    open_incident(project, northwind, at("2026-09-30", "16:00"))
    clock_at(at("2026-10-08", "10:00"))
    client = client_for(owner)
    detail = url("incident-detail", incident_number=1)

    before = client.get(detail).content.decode().split('data-testid="clock-response"')[1]
    data = {**form_data(client.get(url("incident-edit", incident_number=1)).context["form"]), "severity": "critical"}
    saved = client.post(url("incident-edit", incident_number=1), data)
    after = client.get(detail).content.decode().split('data-testid="clock-response"')[1]

    assert saved.status_code == 302
    assert re.search(r'data-testid="clock-due">\s*2026-10-08 11:00<', before)  # major: 4 h
    assert re.search(r'data-testid="clock-due">\s*2026-09-30 16:30<', after)  # critical: 30 min from the opening
    assert "30 min of business hours" in after


def test_an_edit_based_on_a_stale_version_is_refused_and_keeps_what_was_typed(project, owner, northwind):
    incident = open_incident(project, northwind, at("2026-10-08", "09:00"))
    client = client_for(owner)
    data = form_data(client.get(url("incident-edit", incident_number=1)).context["form"])
    svc.incident_move(incident=incident, status="acknowledged")  # someone moved it meanwhile: a new version

    response = client.post(url("incident-edit", incident_number=1), {**data, "title": "Till posts twice"})

    assert response.status_code == 200
    assert "changed this record" in response.content.decode()
    assert 'value="Till posts twice"' in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).title == "Till cannot post sales"


def test_a_tester_opens_an_incident_but_cannot_move_or_edit_it(project, tester, northwind):
    client = client_for(tester)

    response = client.post(
        url("incident-create"),
        {"title": " Scanner drops the connection ", "severity": "major", "vendor": northwind.pk, "opened_at": ""},
    )

    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == url("incident-detail", incident_number=1)
    assert (incident.key, incident.title, incident.status, incident.vendor) == (
        "INC-001",
        "Scanner drops the connection",
        "new",
        northwind,
    )
    page = client.get(url("incident-detail", incident_number=1)).content.decode()
    assert 'data-testid="move-form"' not in page
    assert client.post(url("incident-move", incident_number=1), {"move-status": "acknowledged"}).status_code == 403
    assert client.get(url("incident-edit", incident_number=1)).status_code == 403


def test_an_incident_cannot_be_opened_in_the_future(project, owner, northwind):
    response = client_for(owner).post(
        url("incident-create"), {"title": "Later", "severity": "major", "opened_at": "2099-01-01T09:00"}
    )

    assert response.status_code == 200 and "That time is in the future" in response.content.decode()
    assert not Incident.objects.exists()


def test_only_the_projects_vendors_and_members_are_offered(project, owner, northwind, outsider):
    Vendor.objects.create(project=outsider.memberships.get().project, name="Elsewhere Ltd")

    form = client_for(owner).get(url("incident-create")).context["form"]

    assert [v.name for v in form.fields["vendor"].queryset] == ["Northwind"]
    assert outsider.pk not in {m.user_id for m in form.fields["assignee"].queryset}


# Import and export ---------------------------------------------------------------------------------------


def test_the_import_previews_without_saving_then_applies(project, owner, northwind):
    client = client_for(owner)
    upload = io.BytesIO(EXPORT.encode("gb18030"))
    upload.name = "tickets.csv"

    preview = client.post(url("incident-import"), {"file": upload})

    page = preview.content.decode()
    assert 'data-created="2"' in page and 'data-ticket="T-1001"' in page and "收银台无法过账" in page
    assert not Incident.objects.exists()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)

    applied = client.post(url("incident-import"), {"action": "apply", "digest": digest})

    assert applied.status_code == 302
    assert list(Incident.objects.order_by("number").values_list("external_ref", "status", "severity")) == [
        ("T-1001", "closed", "critical"),
        ("T-1002", "new", "major"),
    ]


def test_a_wrong_file_is_refused_with_its_rows_and_nothing_is_saved(project, owner, northwind):
    bad = io.BytesIO(b"ticket,title,opened\nT-1,,2026-10-08 09:00\nT-2,Slow,yesterday\n")
    bad.name = "bad.csv"

    response = client_for(owner).post(url("incident-import"), {"file": bad})

    page = response.content.decode()
    assert 'data-testid="import-refused"' in page and "nothing was changed" in page
    assert 'data-row="2"' in page and "the title is empty" in page
    assert 'data-row="3"' in page and "“yesterday” is not a date and time" in page
    assert 'data-testid="import-apply"' not in page
    assert not Incident.objects.exists()


def test_the_import_page_lists_the_accepted_headers(project, owner):
    page = client_for(owner).get(url("incident-import")).content.decode()

    assert 'data-column="opened"' in page and "创建时间" in page and "first_response" in page


def test_the_export_reads_back_in_as_already_there(project, owner, northwind, editor, clock_at):
    client = client_for(owner)
    upload = io.BytesIO(EXPORT.encode("utf-8"))
    upload.name = "tickets.csv"
    preview = client.post(url("incident-import"), {"file": upload}).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview).group(1)
    client.post(url("incident-import"), {"action": "apply", "digest": digest})
    open_incident(project, None, at("2026-10-08", "09:00"), title="=1+1 looks like a formula")
    clock_at(at("2026-10-12", "09:00"))

    export = client.get(url("incident-csv"))

    assert export["Content-Disposition"] == 'attachment; filename="ACME-incidents.csv"'
    data = export.content
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["ticket"] for r in rows] == ["T-1001", "T-1002", "INC-003"]
    till = rows[0]
    assert (till["opened"], till["responded"], till["resolved"], till["closed"]) == (
        "2026-09-30 14:00",
        "2026-09-30 14:20",
        "2026-10-09 12:00",
        "2026-10-10 09:00",
    )
    # Critical, 4 h: 14:00–18:00 on 30 September; resolved 3 h into 9 October: 7 h, breached.
    assert (till["severity"], till["vendor"], till["resolution_due"], till["breached"]) == (
        "critical",
        "Northwind",
        "2026-09-30 18:00",
        "yes",
    )
    # T-1002 (major) opened on Friday 9 October 10:00: its response is due 4 business hours later.
    assert rows[1]["response_due"] == "2026-10-09 14:00"
    assert rows[2]["title"] == "'=1+1 looks like a formula" and rows[2]["breached"] == ""

    again = io.BytesIO(data)
    again.name = "ACME-incidents.csv"
    reread = client.post(url("incident-import"), {"file": again}).content.decode()
    # The vendor's tickets and the incident opened here (by its key) are all already there: nothing is added twice.
    assert 'data-skipped="3"' in reread and "T-1001" in reread and "INC-003" in reread
