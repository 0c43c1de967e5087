"""The SLA API as an integration sees it: business calendars and their own days, vendors' service levels, and
incidents with their SLA clocks under /api/v1/projects/ACME/.

The clocks in these tests are worked out by hand on the "Office hours" calendar: Monday to Friday 09:00-18:00 in
Shanghai with China's public holidays. National Day 2026 is 1–7 October (all days off), and Saturday 10 October is
a make-up working day (调休) with Monday's hours. An incident opened on Wednesday 30 September at 16:00 has two
business hours that day, then none until Thursday 8 October 09:00.
"""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import BusinessCalendar, CalendarDay, Incident, IncidentChange, ServiceLevel
from projects.services import sla as services
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

API = "/api/v1/projects/ACME"
CALENDARS = f"{API}/calendars/"
SLAS = f"{API}/slas/"
INCIDENTS = f"{API}/incidents/"

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENED = datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)  # Wednesday, the day before National Day


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def send(client: Client, method: str, url: str, data: dict | None = None):
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def incident_url(number: int, rest: str = "") -> str:
    return f"{INCIDENTS}{number}/{rest}"


def calendar_url(calendar: BusinessCalendar, rest: str = "") -> str:
    return f"{CALENDARS}{calendar.pk}/{rest}"


def sla_url(level: ServiceLevel) -> str:
    return f"{SLAS}{level.pk}/"


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def alpha(project):
    from requirements import selection

    return selection.vendor_create(project=project, name="Alpha Soft")


@pytest.fixture
def office(project):
    """Monday to Friday 09:00-18:00 in Shanghai with China's holidays (the model's defaults)."""
    return BusinessCalendar.objects.create(project=project, name="Office hours")


@pytest.fixture
def major(project, alpha, office):
    """Alpha answers a major incident within 4 business hours and resolves it within 16."""
    return ServiceLevel.objects.create(
        project=project,
        vendor=alpha,
        severity="major",
        response_hours=Decimal(4),
        resolution_hours=Decimal(16),
        calendar=office,
    )


@pytest.fixture
def critical(project, alpha, office):
    return ServiceLevel.objects.create(
        project=project,
        vendor=alpha,
        severity="critical",
        response_hours=Decimal(1),
        resolution_hours=Decimal(4),
        calendar=office,
    )


@pytest.fixture
def incident(project, alpha, major, editor):
    return services.incident_create(
        project=project, title="Receiving screen freezes", opened_at=OPENED, vendor=alpha, severity="major"
    )


def move(incident: Incident, status: str, moment: datetime) -> None:
    services.incident_move(incident=incident, status=status, at=moment)


@pytest.fixture
def elsewhere(db):
    """Another project with its own vendor, calendar, member, requirement and incident."""
    from requirements import selection
    from requirements import services as requirement_services

    other = ProjectFactory(code="ELSEWHERE")
    stranger = UserFactory(username="stranger")
    membership = MembershipFactory(project=other, user=stranger, role="owner")
    calendar = BusinessCalendar.objects.create(project=other, name="Their hours")
    vendor = selection.vendor_create(project=other, name="Beta Systems")
    requirement = requirement_services.requirement_create(project=other, title="Theirs", statement="Theirs.")
    incident = services.incident_create(project=other, title="Their incident", opened_at=OPENED)
    return {
        "calendar": calendar,
        "vendor": vendor,
        "membership": membership,
        "requirement": requirement,
        "incident": incident,
    }


# --- Calendars -------------------------------------------------------------------------------


def test_an_editor_creates_a_calendar_and_reads_it_back(project, editor, editor_client):
    body = {
        "name": "Warehouse shifts",
        "timezone": "Asia/Shanghai",
        "country": "CN",
        "mon": "08:00-12:00, 13:00-20:00",
        "sat": "09:00-12:00",
        "sun": "",
        "makeup_weekday": 4,
    }

    response = send(editor_client, "post", CALENDARS, body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert {k: v for k, v in created.items() if k != "id"} == {
        "name": "Warehouse shifts",
        "timezone": "Asia/Shanghai",
        "country": "CN",
        "always": False,
        "mon": "08:00-12:00, 13:00-20:00",
        "tue": "09:00-18:00",
        "wed": "09:00-18:00",
        "thu": "09:00-18:00",
        "fri": "09:00-18:00",
        "sat": "09:00-12:00",
        "sun": "",
        "makeup_weekday": 4,
        "days": [],
        "version": 1,
    }
    calendar = BusinessCalendar.objects.get(pk=created["id"])
    assert calendar.project == project
    assert calendar.week()[0] == ((8 * 60, 12 * 60), (13 * 60, 20 * 60))
    assert calendar.history.first().history_user == editor
    assert client_for(editor).get(calendar_url(calendar)).json() == created


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Bad", "wed": "9-18"}, "wed"),
        ({"name": "Bad", "tue": "13:00-18:00, 09:00-14:00"}, "tue"),  # overlapping
        ({"name": "Bad", "timezone": "Mars/Olympus"}, "timezone"),
        ({"name": "Bad", "mon": "", "tue": "", "wed": "", "thu": "", "fri": ""}, "mon"),  # never open
        ({"name": "Bad", "country": "US"}, "country"),
        ({"name": "Bad", "makeup_weekday": 6}, "makeup_weekday"),
        ({"name": "office HOURS"}, "name"),  # taken, whatever the case
    ],
)
def test_a_bad_calendar_is_refused_naming_the_field(project, office, editor_client, body, field):
    response = send(editor_client, "post", CALENDARS, body)

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert list(BusinessCalendar.objects.values_list("name", flat=True)) == ["Office hours"]


def test_the_hours_message_says_how_to_write_them(project, editor_client):
    response = send(editor_client, "post", CALENDARS, {"name": "Bad", "wed": "9-18"})

    assert response.json()["wed"] == [
        "Write the hours as 09:00-12:00, 13:00-18:00 (24-hour clock, in order, not overlapping)."
    ]


def test_a_calendar_is_changed_with_the_version_read(project, office, editor_client):
    changed = send(editor_client, "patch", calendar_url(office), {"always": True, "version": 1})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["always"], changed.json()["version"]) == (True, 2)

    stale = send(editor_client, "patch", calendar_url(office), {"name": "Renamed", "version": 1})
    assert stale.status_code == 409
    unversioned = send(editor_client, "patch", calendar_url(office), {"name": "Renamed"})
    assert unversioned.status_code == 400
    assert "version" in unversioned.json()
    office.refresh_from_db()
    assert (office.name, office.always, office.version) == ("Office hours", True, 2)


def test_a_calendar_in_use_is_not_deleted(project, office, major, editor_client):
    response = editor_client.delete(calendar_url(office))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The service levels of Alpha Soft count their hours on “Office hours”. Move them to another calendar "
        "before deleting this one."
    )
    assert BusinessCalendar.objects.filter(pk=office.pk).exists()

    major.delete()
    assert editor_client.delete(calendar_url(office)).status_code == 204
    assert not BusinessCalendar.objects.exists()


def test_a_closure_of_the_calendars_own_moves_the_due_time(project, office, incident, editor_client, viewer):
    # Thursday 8 October closed for the stock-take: the two remaining response hours fall on Friday 9 October.
    added = send(editor_client, "post", calendar_url(office, "days/"), {"date": "2026-10-08", "reason": "Stock-take"})

    assert added.status_code == 201, added.content
    assert {k: v for k, v in added.json().items() if k != "id"} == {
        "date": "2026-10-08",
        "kind": "closed",
        "reason": "Stock-take",
    }
    reader = client_for(viewer)
    assert [day["date"] for day in reader.get(calendar_url(office)).json()["days"]] == ["2026-10-08"]
    assert when(reader.get(incident_url(1)).json()["response_due"]) == at(10, 9, 11)

    day = CalendarDay.objects.get()
    assert editor_client.delete(calendar_url(office, f"days/{day.pk}/")).status_code == 204
    assert when(reader.get(incident_url(1)).json()["response_due"]) == at(10, 8, 11)


def test_a_late_make_up_day_makes_a_weekend_day_count(project, office, incident, editor_client, viewer):
    # Sunday 4 October worked with Monday's hours: the response is due at 11:00 that day.
    send(editor_client, "post", calendar_url(office, "days/"), {"date": "2026-10-04", "kind": "working"})

    assert when(client_for(viewer).get(incident_url(1)).json()["response_due"]) == at(10, 4, 11)


def test_a_day_is_added_once(project, office, editor_client):
    CalendarDay.objects.create(calendar=office, date="2026-12-31", reason="Year-end stock count")

    response = send(editor_client, "post", calendar_url(office, "days/"), {"date": "2026-12-31", "kind": "working"})

    assert response.status_code == 400
    assert response.json()["date"] == ["2026-12-31 is already a day of this calendar (Closed). Delete that one first."]
    assert CalendarDay.objects.get().kind == "closed"


# --- Service levels --------------------------------------------------------------------------


def test_an_editor_sets_a_vendors_service_level(project, alpha, office, editor, editor_client):
    body = {"vendor": alpha.pk, "severity": "minor", "response_hours": "8", "resolution_hours": "40.5"}

    response = send(editor_client, "post", SLAS, {**body, "calendar": office.pk})

    assert response.status_code == 201, response.content
    level = ServiceLevel.objects.get()
    assert response.json() == {
        "id": level.pk,
        "vendor": alpha.pk,
        "severity": "minor",
        "response_hours": "8.00",
        "resolution_hours": "40.50",
        "calendar": office.pk,
        "version": 1,
    }
    assert (level.resolution_hours, level.history.first().history_user) == (Decimal("40.5"), editor)

    changed = send(editor_client, "patch", sla_url(level), {"resolution_hours": "24", "version": 1})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["resolution_hours"], changed.json()["version"]) == ("24.00", 2)
    assert send(editor_client, "patch", sla_url(level), {"resolution_hours": "30", "version": 1}).status_code == 409
    level.refresh_from_db()
    assert level.resolution_hours == Decimal(24)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"severity": "major", "response_hours": "2", "resolution_hours": "8"},
            "severity",
            "Alpha Soft already has a service level for Major incidents. Change that one instead.",
        ),
        (
            {"severity": "minor", "response_hours": "8", "resolution_hours": "4"},
            "resolution_hours",
            "The resolution cannot be due before the first response.",
        ),
        (
            {"severity": "minor", "response_hours": "-1", "resolution_hours": "4"},
            "response_hours",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"severity": "urgent", "response_hours": "1", "resolution_hours": "4"},
            "severity",
            '"urgent" is not a valid choice.',
        ),
    ],
)
def test_a_bad_service_level_is_refused(project, alpha, office, major, editor_client, body, field, message):
    response = send(editor_client, "post", SLAS, {**body, "vendor": alpha.pk, "calendar": office.pk})

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert list(ServiceLevel.objects.values_list("severity", flat=True)) == ["major"]


def test_service_levels_are_filtered_and_deleted(project, alpha, office, major, critical, editor_client, viewer):
    reader = client_for(viewer)
    assert [r["severity"] for r in reader.get(SLAS).json()["results"]] == ["critical", "major"]
    assert [r["id"] for r in reader.get(f"{SLAS}?severity=major").json()["results"]] == [major.pk]
    assert reader.get(f"{SLAS}?vendor={alpha.pk + 1000}").json()["count"] == 0
    assert reader.get(f"{SLAS}?calendar={office.pk}").json()["count"] == 2

    assert editor_client.delete(sla_url(critical)).status_code == 204
    assert list(ServiceLevel.objects.values_list("pk", flat=True)) == [major.pk]


# --- Incidents: the clocks -------------------------------------------------------------------


def test_a_tester_opens_an_incident_and_its_clocks_start(project, alpha, major, tester, team):
    response = send(
        client_for(tester),
        "post",
        INCIDENTS,
        {"title": "Receiving screen freezes", "severity": "major", "vendor": alpha.pk, "opened_at": OPENED.isoformat()},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    tester_membership = project.memberships.get(user=tester)
    assert (body["key"], body["number"], body["status"], body["version"]) == ("INC-001", 1, "new", 1)
    assert (body["reporter"], body["assignee"], body["sla"]) == (tester_membership.user.username, None, major.pk)
    # Response: 2 h on Wednesday 30 September, the holiday week, 2 h on Thursday 8 October → 11:00.
    assert when(body["response_due"]) == at(10, 8, 11)
    # Resolution: 2 h + 9 h on 8 October + 5 h on Friday 9 October → 14:00.
    assert when(body["resolution_due"]) == at(10, 9, 14)
    assert (body["responded_at"], body["resolved_at"]) == (None, None)
    # Nobody answered by now (weeks later): the response is late.
    assert body["breached"] is True
    assert body["response_percent"] > 100
    incident = Incident.objects.get()
    assert incident.changes.get().status == "new"
    assert incident.history.first().history_user == tester


def test_the_clocks_stop_at_the_response_and_the_resolution(project, incident, major, viewer):
    move(incident, "acknowledged", at(10, 8, 10, 30))
    move(incident, "in_progress", at(10, 8, 14))
    move(incident, "resolved", at(10, 9, 12))

    body = client_for(viewer).get(incident_url(1)).json()

    assert (body["status"], body["sla"], body["breached"]) == ("resolved", major.pk, False)
    assert when(body["responded_at"]) == at(10, 8, 10, 30)
    assert when(body["resolved_at"]) == at(10, 9, 12)
    assert when(body["response_due"]) == at(10, 8, 11)
    assert when(body["resolution_due"]) == at(10, 9, 14)
    # Response: 2 h + 1.5 h = 210 min of 240. Resolution: 2 h + 9 h + 3 h = 840 min of 960.
    assert (body["response_used_minutes"], body["response_percent"]) == (210, 87.5)
    assert (body["resolution_used_minutes"], body["resolution_percent"]) == (840, 87.5)


def test_waiting_for_the_customer_has_no_resolution_due_time(project, incident, viewer):
    move(incident, "acknowledged", at(10, 8, 10))
    move(incident, "waiting", at(10, 8, 13))
    reader = client_for(viewer)

    waiting = reader.get(incident_url(1)).json()

    assert waiting["status"] == "waiting"
    assert waiting["resolution_due"] is None
    assert when(waiting["response_due"]) == at(10, 8, 11)
    # 2 h on 30 September + 4 h on 8 October until it waited; the clock stands still while it waits.
    assert (waiting["resolution_used_minutes"], waiting["resolution_percent"]) == (360, 37.5)
    assert waiting["breached"] is False

    # Back in progress on Friday 9 October 09:00 with 10 h left: 9 h that Friday, 1 h on the make-up Saturday.
    move(Incident.objects.get(), "in_progress", at(10, 9, 9))
    assert when(reader.get(incident_url(1)).json()["resolution_due"]) == at(10, 10, 10)


def test_rerating_the_severity_moves_the_due_times(project, incident, critical, editor_client):
    move(incident, "acknowledged", at(10, 8, 10, 30))

    response = send(editor_client, "patch", incident_url(1), {"severity": "critical", "version": 2})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["severity"], body["sla"], body["version"]) == ("critical", critical.pk, 3)
    # Critical: 1 h → 17:00 on the opening day; 4 h → 2 h that day and 2 h on 8 October → 11:00.
    assert when(body["response_due"]) == at(9, 30, 17)
    assert when(body["resolution_due"]) == at(10, 8, 11)
    assert body["breached"] is True  # answered on 8 October, long after 17:00 on 30 September


def test_without_a_service_level_the_figures_are_null(project, incident, editor_client):
    response = send(editor_client, "patch", incident_url(1), {"severity": "trivial", "version": 1})

    assert response.status_code == 200, response.content
    body = response.json()
    computed = [
        "responded_at",
        "resolved_at",
        "response_due",
        "resolution_due",
        "response_used_minutes",
        "resolution_used_minutes",
        "response_percent",
        "resolution_percent",
        "breached",
        "sla",
    ]
    assert {name: body[name] for name in computed} == dict.fromkeys(computed)


# --- Incidents: moves, edits, refusals -------------------------------------------------------


def test_an_editor_moves_an_incident_with_a_note(project, incident, editor, editor_client):
    response = send(
        editor_client,
        "post",
        incident_url(1, "move/"),
        {"status": "acknowledged", "at": "2026-10-08T10:30:00+08:00", "note": "Alpha's hotline took it"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"]) == ("acknowledged", 2)
    assert when(body["responded_at"]) == at(10, 8, 10, 30)
    changes = client_for(editor).get(incident_url(1, "changes/")).json()
    assert changes["count"] == 2
    assert [(c["status"], when(c["at"]), c["by"], c["note"]) for c in changes["results"]] == [
        ("new", OPENED, None, ""),
        ("acknowledged", at(10, 8, 10, 30), "editor", "Alpha's hotline took it"),
    ]


def test_a_refused_move_leaves_the_status(project, incident, editor_client):
    move(incident, "resolved", at(10, 9, 12))
    move(Incident.objects.get(), "closed", at(10, 9, 13))

    response = send(editor_client, "post", incident_url(1, "move/"), {"status": "in_progress"})

    assert response.status_code == 409
    assert response.json()["detail"] == "An incident that is “Closed” cannot move to “In progress”."
    assert Incident.objects.get().status == "closed"
    assert IncidentChange.objects.count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "new"}, "status"),  # nothing moves back to new
        ({"status": "done"}, "status"),
        ({}, "status"),
        ({"status": "acknowledged", "at": "2026-09-30T15:00:00+08:00"}, "at"),  # before it was opened
        ({"status": "acknowledged", "at": "2099-01-01T09:00:00+08:00"}, "at"),
    ],
)
def test_a_bad_move_is_refused_on_its_field(project, incident, editor_client, body, field):
    response = send(editor_client, "post", incident_url(1, "move/"), body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Incident.objects.get().status == "new"
    assert IncidentChange.objects.count() == 1


def test_a_move_before_the_last_change_names_it(project, incident, editor_client):
    move(incident, "acknowledged", at(10, 8, 10))

    response = send(
        editor_client, "post", incident_url(1, "move/"), {"status": "in_progress", "at": "2026-10-08T09:30:00+08:00"}
    )

    assert response.status_code == 400
    assert response.json()["at"][0].startswith("That time is before the incident's last change")
    assert Incident.objects.get().status == "acknowledged"


def test_an_edit_needs_the_current_version(project, incident, editor_client):
    move(incident, "acknowledged", at(10, 8, 10))  # the move makes version 2

    stale = send(editor_client, "patch", incident_url(1), {"title": "Renamed", "version": 1})
    unversioned = send(editor_client, "patch", incident_url(1), {"title": "Renamed"})

    assert stale.status_code == 409
    assert unversioned.status_code == 400
    assert unversioned.json()["version"] == ["Send the version you read to update this record."]
    assert Incident.objects.get().title == "Receiving screen freezes"


def test_the_status_and_the_opening_are_not_edited(project, incident, editor_client):
    body = client_for(incident.project.memberships.get(role="editor").user).get(incident_url(1)).json()
    # A PUT of what was read (status included) changes nothing it should not.
    echoed = send(editor_client, "put", incident_url(1), {**body, "status": "closed", "title": "Screen freezes"})
    assert echoed.status_code == 200, echoed.content
    assert (echoed.json()["status"], echoed.json()["title"]) == ("new", "Screen freezes")

    moved = send(editor_client, "patch", incident_url(1), {"opened_at": "2026-09-30T17:00:00+08:00", "version": 2})
    assert moved.status_code == 400
    assert moved.json()["opened_at"] == ["The opening time is fixed once the incident is opened."]
    assert Incident.objects.get().opened_at == OPENED


def test_an_incident_is_not_opened_in_the_future(project, editor_client):
    future = (timezone.now() + timedelta(hours=2)).isoformat()

    response = send(editor_client, "post", INCIDENTS, {"title": "Not yet", "opened_at": future})

    assert response.status_code == 400
    assert response.json()["opened_at"] == ["An incident cannot be opened in the future."]
    assert not Incident.objects.exists()


def test_an_incident_links_by_key_and_member_id(project, alpha, editor_client, tester, team):
    from requirements import services as requirement_services
    from testing import services as uat

    requirement = requirement_services.requirement_create(project=project, title="Receiving", statement="Receive.")
    case = uat.case_create(project=project, title="Receive a short shipment")
    defect = uat.defect_raise(project=project, title="Receiving freezes", user=tester)
    assignee = project.memberships.get(role="editor")
    body = {
        "title": "Receiving screen freezes",
        "vendor": alpha.pk,
        "assignee": assignee.user.username,
        "external_ref": "ALPHA-4711",
        "requirement": requirement.key.lower(),
        "uat_case": f" {case.key} ",
        "defect": defect.key,
    }

    response = send(editor_client, "post", INCIDENTS, body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["requirement"], created["uat_case"], created["defect"]) == (requirement.key, case.key, defect.key)
    expected = (assignee.user.username, "ALPHA-4711", alpha.pk)
    assert (created["assignee"], created["external_ref"], created["vendor"]) == expected
    assert created["sla"] is None  # Alpha has no service level for major incidents
    assert abs(when(created["opened_at"]) - timezone.now()) < timedelta(minutes=1)
    incident = Incident.objects.get()
    assert (incident.requirement, incident.uat_case, incident.defect) == (requirement, case, defect)
    cleared = send(editor_client, "patch", incident_url(1), {"defect": None, "version": 1})
    assert cleared.json()["defect"] is None


def test_another_projects_items_are_refused(project, alpha, office, incident, editor_client, elsewhere):
    theirs = elsewhere
    for body, field in [
        ({"vendor": theirs["vendor"].pk}, "vendor"),
        ({"reporter": theirs["membership"].user.username}, "reporter"),
        ({"assignee": theirs["membership"].user.username}, "assignee"),
        ({"requirement": theirs["requirement"].key}, "requirement"),
    ]:
        response = send(editor_client, "post", INCIDENTS, {"title": "Cross", **body})
        assert response.status_code == 400, field
        assert field in response.json(), field
        patched = send(editor_client, "patch", incident_url(1), {**body, "version": 1})
        assert patched.status_code == 400, field
    assert send(
        editor_client,
        "post",
        SLAS,
        {
            "vendor": alpha.pk,
            "severity": "minor",
            "response_hours": 1,
            "resolution_hours": 2,
            "calendar": theirs["calendar"].pk,
        },
    ).json()["calendar"] == [f"There is no calendar {theirs['calendar'].pk} in this project."]
    assert Incident.objects.filter(project=project).count() == 1
    assert ServiceLevel.objects.filter(severity="minor").count() == 0
    assert Incident.objects.get(project=project).version == 1
    # ACME's incident 1 is ACME's; their calendar is not reachable through ACME.
    assert editor_client.get(incident_url(1)).json()["title"] == "Receiving screen freezes"
    assert editor_client.get(incident_url(2)).status_code == 404
    assert editor_client.get(calendar_url(theirs["calendar"])).status_code == 404
    assert editor_client.get(calendar_url(theirs["calendar"], "days/")).status_code == 404
    assert editor_client.delete(calendar_url(theirs["calendar"])).status_code == 404
    assert BusinessCalendar.objects.filter(pk=theirs["calendar"].pk).exists()


def test_incidents_are_never_deleted(project, incident, owner):
    assert client_for(owner).delete(incident_url(1)).status_code == 405
    assert Incident.objects.count() == 1


# --- Incidents: the list ---------------------------------------------------------------------


def test_the_list_filters_by_status_severity_vendor_and_breach(project, alpha, major, incident, viewer):
    on_time = services.incident_create(project=project, title="Label printer", opened_at=OPENED, vendor=alpha)
    move(on_time, "acknowledged", at(10, 8, 9, 30))
    move(Incident.objects.get(pk=on_time.pk), "resolved", at(10, 8, 12))
    services.incident_create(project=project, title="Typo", opened_at=OPENED, severity="trivial")
    reader = client_for(viewer)

    def numbers(query: str) -> list[int]:
        response = reader.get(f"{INCIDENTS}?{query}")
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["results"]]

    assert numbers("") == [3, 2, 1]  # newest first
    assert numbers("status=resolved") == [2]
    assert numbers("severity=trivial") == [3]
    assert numbers(f"vendor={alpha.pk}") == [2, 1]
    assert numbers("breached=true") == [1]  # never answered
    assert numbers("breached=false") == [3, 2]  # on time, and one without a service level
    assert numbers("breached=true&severity=trivial") == []
    assert reader.get(f"{INCIDENTS}?status=done").status_code == 400


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(project, vendor, n: int) -> None:
    """n more incidents with links and a few moves each, half of them under a service level."""
    members = list(project.memberships.all()[:2])
    for i in range(n):
        incident = services.incident_create(
            project=project,
            title=f"Incident {i}",
            opened_at=OPENED,
            vendor=vendor,
            severity="major" if i % 2 else "minor",
            reporter=members[0],
            assignee=members[1],
        )
        move(incident, "acknowledged", at(10, 8, 10))
        move(Incident.objects.get(pk=incident.pk), "waiting", at(10, 8, 11))


@pytest.mark.parametrize("query", ["", "?breached=true", "?status=waiting&severity=major"])
def test_the_incident_list_does_not_query_per_incident(project, alpha, major, team, viewer, query):
    CalendarDay.objects.create(calendar=major.calendar, date="2026-12-31")
    client = client_for(viewer)
    grow(project, alpha, 3)
    small = queries_for(client, f"{INCIDENTS}{query}")
    grow(project, alpha, 30)

    assert queries_for(client, f"{INCIDENTS}{query}") == small


def test_the_incident_list_query_count_is_pinned(project, alpha, major, team, viewer):
    CalendarDay.objects.create(calendar=major.calendar, date="2026-12-31")
    grow(project, alpha, 40)
    client = client_for(viewer)

    body = client.get(INCIDENTS).json()
    assert body["count"] == 40
    assert [row["sla"] for row in body["results"][:2]] == [major.pk, None]  # the 40th is major, the 39th minor
    # session, user, membership, count, incidents with their links; the clocks: service levels with their
    # calendars, changes, calendar days; the service level ids.
    assert queries_for(client, INCIDENTS) == 9


def test_the_calendar_and_sla_lists_do_not_query_per_row(project, alpha, office, viewer):
    client = client_for(viewer)
    CalendarDay.objects.create(calendar=office, date="2026-12-31")
    ServiceLevel.objects.create(
        project=project, vendor=alpha, severity="trivial", response_hours=8, resolution_hours=80, calendar=office
    )
    small = (queries_for(client, CALENDARS), queries_for(client, SLAS))
    # session, user, membership, count, then calendars and their days, or the service levels.
    assert small == (6, 5)
    for i in range(20):
        calendar = BusinessCalendar.objects.create(project=project, name=f"Calendar {i}")
        CalendarDay.objects.create(calendar=calendar, date="2026-12-31")
    for severity, calendar in zip(["critical", "major", "minor"], BusinessCalendar.objects.all(), strict=False):
        ServiceLevel.objects.create(
            project=project, vendor=alpha, severity=severity, response_hours=1, resolution_hours=2, calendar=calendar
        )

    assert (queries_for(client, CALENDARS), queries_for(client, SLAS)) == small


# --- Access ----------------------------------------------------------------------------------


@pytest.fixture
def world(project, alpha, office, major, incident, team):
    day = CalendarDay.objects.create(calendar=office, date="2026-12-31", reason="Year-end stock count")
    return {"day": day}


def reads(world) -> list[str]:
    return [
        CALENDARS,
        f"{CALENDARS}{world['day'].calendar_id}/",
        f"{CALENDARS}{world['day'].calendar_id}/days/",
        f"{CALENDARS}{world['day'].calendar_id}/days/{world['day'].pk}/",
        SLAS,
        f"{SLAS}{ServiceLevel.objects.get().pk}/",
        INCIDENTS,
        incident_url(1),
        incident_url(1, "changes/"),
    ]


def edits(world) -> list[tuple[str, str, dict]]:
    calendar_id = world["day"].calendar_id
    level = ServiceLevel.objects.get()
    return [
        ("post", CALENDARS, {"name": "Night shift"}),
        ("patch", f"{CALENDARS}{calendar_id}/", {"always": True, "version": 1}),
        ("post", f"{CALENDARS}{calendar_id}/days/", {"date": "2026-12-30"}),
        ("delete", f"{CALENDARS}{calendar_id}/days/{world['day'].pk}/", {}),
        ("patch", f"{SLAS}{level.pk}/", {"response_hours": "2", "version": 1}),
        ("delete", f"{SLAS}{level.pk}/", {}),
        ("patch", incident_url(1), {"title": "Renamed", "version": 1}),
        ("post", incident_url(1, "move/"), {"status": "acknowledged"}),
    ]


OPENING = ("post", INCIDENTS, {"title": "Scanner offline"})


def state() -> tuple:
    return (
        list(BusinessCalendar.objects.values_list("name", "always", "version")),
        list(CalendarDay.objects.values_list("date", flat=True)),
        list(ServiceLevel.objects.values_list("response_hours", "version")),
        list(Incident.objects.values_list("number", "title", "status", "version")),
        IncidentChange.objects.count(),
    )


def test_a_tester_opens_incidents_but_changes_nothing_else(project, tester, world):
    client = client_for(tester)
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 200, url
    for method, url, body in edits(world):
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before
    method, url, body = OPENING
    assert send(client, method, url, body).status_code == 201
    assert Incident.objects.count() == 2


def test_a_viewer_reads_but_cannot_write(project, viewer, world):
    client = client_for(viewer)
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 200, url
    for method, url, body in [*edits(world), OPENING]:
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before


def test_a_vendor_gets_403_everywhere(project, vendor, world):
    client = client_for(vendor)
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 403, url
    for method, url, body in [*edits(world), OPENING]:
        assert send(client, method, url, body).status_code == 403, (method, url)
    assert state() == before


def test_an_outsider_gets_404_everywhere(project, outsider, world):
    client = client_for(outsider)
    before = state()

    for url in reads(world):
        assert client.get(url).status_code == 404, url
    for method, url, body in [*edits(world), OPENING]:
        assert send(client, method, url, body).status_code == 404, (method, url)
    assert state() == before


def test_an_editor_does_all_of_it(project, editor, world):
    client = client_for(editor)

    for method, url, body in [*edits(world), OPENING]:
        response = send(client, method, url, body)
        assert response.status_code in (200, 201, 204), (method, url, response.content)
    assert Incident.objects.values_list("title", "status").get(number=1) == ("Renamed", "acknowledged")


# --- Schema ----------------------------------------------------------------------------------


def test_the_schema_documents_the_sla_endpoints(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    base = "/api/v1/projects/{project_code}"
    for path in [
        "/calendars/",
        "/calendars/{calendar_id}/",
        "/calendars/{calendar_id}/days/",
        "/calendars/{calendar_id}/days/{calendar_day_id}/",
        "/slas/",
        "/slas/{service_level_id}/",
        "/incidents/",
        "/incidents/{incident_number}/",
        "/incidents/{incident_number}/move/",
        "/incidents/{incident_number}/changes/",
    ]:
        assert base + path in paths, path

    def params(path: str) -> set[str]:
        return {p["name"] for p in paths[base + path]["get"]["parameters"]}

    assert {"status", "severity", "vendor", "breached"} <= params("/incidents/")
    assert {"vendor", "severity", "calendar"} <= params("/slas/")
    assert set(paths[f"{base}/incidents/{{incident_number}}/"]) == {"get", "put", "patch"}
    assert "never deleted" in paths[f"{base}/incidents/{{incident_number}}/"]["get"]["description"]
    assert set(paths[f"{base}/calendars/{{calendar_id}}/days/{{calendar_day_id}}/"]) == {"get", "delete"}
    components = schema["components"]["schemas"]
    incident = components["Incident"]["properties"]
    for name in ["response_due", "resolution_due", "breached", "responded_at", "resolved_at", "status", "sla"]:
        assert incident[name]["readOnly"] is True, name
    assert components["IncidentStatusEnum"]["enum"] == [
        "new",
        "acknowledged",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
    ]
    assert components["IncidentMoveStatusEnum"]["enum"] == [
        "acknowledged",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
    ]
    assert components["IncidentChange"]["properties"]["status"]["allOf"][0]["$ref"].endswith("/IncidentStatusEnum")
    assert components["SeverityEnum"]["enum"] == ["critical", "major", "minor", "trivial"]
    assert components["CalendarDayKindEnum"]["enum"] == ["closed", "working"]
    assert components["MakeupWeekdayEnum"]["enum"] == [0, 1, 2, 3, 4]
    assert components["CountryEnum"]["enum"] == ["CN"]
