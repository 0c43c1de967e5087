"""Incidents and service levels: numbers, status moves and their refusals, and the SLA clocks computed from the
stored changes on the vendor's calendar (China's public days included), against hand-computed times."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import BusinessCalendar, Incident, IncidentChange, ServiceLevel
from projects.selectors.sla import incident_clock
from projects.services import sla as svc
from requirements.models import Vendor
from tests.factories import ProjectFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}").replace(tzinfo=SHANGHAI)


@pytest.fixture
def vendor(project):
    return Vendor.objects.create(project=project, name="Northwind Software")


@pytest.fixture
def levels(project, vendor):
    office = BusinessCalendar.objects.create(project=project, name="Vendor office")  # Mon–Fri 09–18, China
    return {
        severity: svc.service_level_save(
            ServiceLevel(
                project=project,
                vendor=vendor,
                severity=severity,
                response_hours=Decimal(response),
                resolution_hours=Decimal(resolution),
                calendar=office,
            )
        )
        for severity, response, resolution in (("critical", "0.5", "4"), ("major", "2", "16"))
    }


def test_incidents_are_numbered_per_project_and_start_as_new(project, owner):
    first = svc.incident_create(project=project, title="Till cannot post sales", user=owner)
    second = svc.incident_create(project=project, title="Stock report slow", user=owner)
    other = svc.incident_create(project=ProjectFactory(code="OTHER"), title="Elsewhere")

    assert (first.key, second.key, other.key) == ("INC-001", "INC-002", "INC-001")
    assert list(first.changes.values_list("status", "by")) == [("new", owner.pk)]
    assert first.changes.get().at == first.opened_at


def test_status_moves_follow_the_flow_and_refusals_change_nothing(project):
    incident = svc.incident_create(project=project, title="Till cannot post sales")
    svc.incident_move(incident=incident, status="acknowledged")
    svc.incident_move(incident=incident, status="resolved")
    svc.incident_move(incident=incident, status="in_progress", note="Came back after the restart")  # reopened
    svc.incident_move(incident=incident, status="resolved")
    svc.incident_move(incident=incident, status="closed")

    with pytest.raises(svc.SLAError, match="“Closed” cannot move to “In progress”"):
        svc.incident_move(incident=incident, status="in_progress")
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert list(incident.changes.values_list("status", flat=True)) == [
        "new",
        "acknowledged",
        "resolved",
        "in_progress",
        "resolved",
        "closed",
    ]


def test_a_new_incident_cannot_be_closed_without_being_resolved(project):
    incident = svc.incident_create(project=project, title="Till cannot post sales")
    with pytest.raises(svc.SLAError):
        svc.incident_move(incident=incident, status="closed")
    assert incident.changes.count() == 1


def test_times_typed_after_the_fact_must_be_in_order_and_not_in_the_future(project):
    opened = timezone.now() - timedelta(hours=3)
    incident = svc.incident_create(project=project, title="Till cannot post sales", opened_at=opened)
    with pytest.raises(svc.SLAError, match="before the incident's last change"):
        svc.incident_move(incident=incident, status="acknowledged", at=opened - timedelta(minutes=5))
    with pytest.raises(svc.SLAError, match="in the future"):
        svc.incident_move(incident=incident, status="acknowledged", at=timezone.now() + timedelta(hours=1))
    with pytest.raises(svc.SLAError, match="in the future"):
        svc.incident_create(project=project, title="Later", opened_at=timezone.now() + timedelta(hours=1))
    assert incident.changes.count() == 1 and Incident.objects.count() == 1


def test_the_clocks_come_from_the_changes_across_national_day(project, vendor, levels):
    incident = svc.incident_create(
        project=project,
        title="Opening stock off",
        vendor=vendor,
        severity="critical",
        opened_at=at("2025-09-30", "14:00"),
    )
    for status, moment in (
        ("acknowledged", at("2025-09-30", "14:20")),
        ("waiting", at("2025-09-30", "15:00")),
        ("in_progress", at("2025-10-09", "10:00")),
        ("resolved", at("2025-10-09", "12:00")),
    ):
        svc.incident_move(incident=incident, status=status, at=moment)

    result = incident_clock(incident, now=at("2025-10-10", "09:00"))

    assert result.response.due == at("2025-09-30", "14:30") and not result.response.breached
    # 14:00–15:00 before waiting, then 10:00–12:00 on the 9th: 3 of 4 h, due at 13:00 on the 9th.
    assert result.resolution.used == 180
    assert result.resolution.due == at("2025-10-09", "13:00")
    assert result.resolution.met_at == at("2025-10-09", "12:00")
    assert not result.breached and result.resolution.warning == 75


def test_re_rating_an_incident_recomputes_its_clocks(project, owner, vendor, levels):
    incident = svc.incident_create(
        project=project, title="Slow report", vendor=vendor, severity="critical", opened_at=at("2025-09-30", "14:00")
    )
    svc.incident_move(incident=incident, status="acknowledged", at=at("2025-09-30", "15:00"))
    now = at("2025-09-30", "17:00")
    assert incident_clock(incident, now=now).response.breached  # 30 min target, answered after 60

    incident.refresh_from_db()  # the move made the version we held stale
    svc.incident_update(incident=incident, expected_version=incident.version, severity="major", user=owner)

    re_rated = incident_clock(incident, now=now)
    assert re_rated.response.due == at("2025-09-30", "16:00") and not re_rated.response.breached
    assert re_rated.resolution.due == at("2025-10-10", "12:00")  # 4 h + 9 h on the 9th + 3 h on the 10th


def test_an_incident_without_a_service_level_has_no_clock(project, vendor, levels):
    no_vendor = svc.incident_create(project=project, title="Question about a report", severity="critical")
    minor = svc.incident_create(project=project, title="Typo in a label", vendor=vendor, severity="minor")
    assert incident_clock(no_vendor) is None and incident_clock(minor) is None


def test_links_and_people_must_belong_to_the_project(project, vendor):
    other = ProjectFactory(code="OTHER")
    foreign_vendor = Vendor.objects.create(project=other, name="Elsewhere Ltd")
    with pytest.raises(svc.SLAError):
        svc.incident_create(project=project, title="Wrong vendor", vendor=foreign_vendor)
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(project=other)
    with pytest.raises(svc.SLAError):
        svc.incident_create(project=project, title="Wrong reporter", reporter=stranger)
    assert not Incident.objects.filter(project=project).exists()
    assert not IncidentChange.objects.exists()


def test_a_service_level_is_checked(project, vendor, levels):
    office = levels["critical"].calendar
    slower_answer = ServiceLevel(
        project=project,
        vendor=vendor,
        severity="minor",
        response_hours=Decimal(8),
        resolution_hours=Decimal(4),
        calendar=office,
    )
    with pytest.raises(ValidationError) as refused:
        svc.service_level_save(slower_answer)
    assert "resolution_hours" in refused.value.message_dict
    other_calendar = BusinessCalendar.objects.create(project=ProjectFactory(code="OTHER"), name="Theirs")
    with pytest.raises(ValidationError) as refused:
        svc.service_level_save(
            ServiceLevel(
                project=project,
                vendor=vendor,
                severity="minor",
                response_hours=Decimal(8),
                resolution_hours=Decimal(40),
                calendar=other_calendar,
            )
        )
    assert "calendar" in refused.value.message_dict
    with pytest.raises(ValidationError):  # one per vendor and severity
        svc.service_level_save(
            ServiceLevel(
                project=project,
                vendor=vendor,
                severity="critical",
                response_hours=Decimal(1),
                resolution_hours=Decimal(8),
                calendar=office,
            )
        )
