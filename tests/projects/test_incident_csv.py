"""Incidents imported from a vendor's ticket export: Chinese or English headers and values, the changes recorded
from the times, the SLA clock following from them; the same export imported again; a wrong file changes nothing."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from projects.incident_csv import incident_import
from projects.models import BusinessCalendar, Incident, IncidentChange, ServiceLevel
from projects.selectors.sla import incident_clock
from projects.services import sla as svc
from requirements.models import Vendor

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXPORT = """工单号,标题,严重程度,供应商,创建时间,响应时间,解决时间,关闭时间,处理人
T-1001,收银台无法过账,致命,Northwind,2025-09-30 14:00,2025-09-30 14:20,2025-10-09 12:00,2025-10-10 09:00,{editor}
T-1002,Stock report slow,P3,,2025-10-09 10:00,,,,
"""


def at(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}").replace(tzinfo=SHANGHAI)


@pytest.fixture
def vendor(project):
    vendor = Vendor.objects.create(project=project, name="Northwind")
    office = BusinessCalendar.objects.create(project=project, name="Vendor office")
    svc.service_level_save(
        ServiceLevel(
            project=project,
            vendor=vendor,
            severity="critical",
            response_hours=Decimal("0.5"),
            resolution_hours=Decimal(4),
            calendar=office,
        )
    )
    return vendor


@pytest.fixture
def export(editor):
    return EXPORT.format(editor=editor.username)


@pytest.fixture(autouse=True)
def _shanghai(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def test_a_ticket_export_becomes_incidents_with_their_changes_and_clocks(project, vendor, editor, export):
    result = incident_import(project, export.encode("utf-8-sig"))

    assert result.ok and [i.key for i in result.created] == ["INC-001", "INC-002"]
    till = Incident.objects.get(external_ref="T-1001")
    assert (till.title, till.severity, till.vendor, till.assignee.user, till.status) == (
        "收银台无法过账",
        "critical",
        vendor,
        editor,
        "closed",
    )
    assert list(till.changes.values_list("status", "at")) == [
        ("new", at("2025-09-30", "14:00")),
        ("acknowledged", at("2025-09-30", "14:20")),
        ("resolved", at("2025-10-09", "12:00")),
        ("closed", at("2025-10-10", "09:00")),
    ]
    clock = incident_clock(till, now=at("2025-10-10", "12:00"))
    assert not clock.response.breached
    # 4 h on 30 September (14:00–18:00), National Day off, 3 h on 9 October: 7 h against 4.
    assert clock.resolution.used == 7 * 60 and clock.resolution.breached
    slow = Incident.objects.get(external_ref="T-1002")
    assert (slow.severity, slow.vendor, slow.status, incident_clock(slow)) == ("minor", None, "new", None)


def test_importing_the_same_export_again_skips_what_is_there(project, vendor, export):
    incident_import(project, export.encode())
    again = incident_import(project, export.encode())
    assert again.ok and again.created == []
    assert [(row, incident.key) for row, incident in again.skipped] == [(2, "INC-001"), (3, "INC-002")]
    assert Incident.objects.count() == 2 and IncidentChange.objects.count() == 5


def test_an_incident_opened_here_is_not_imported_again_from_its_key(project, vendor):
    opened_here = svc.incident_create(project=project, title="Scanner logs out", opened_at=at("2026-10-12", "09:00"))
    rows = "ticket,title,severity,opened\nINC-001,Scanner logs out,P1,2026-10-12 09:00\n"

    result = incident_import(project, rows.encode())

    assert result.ok and result.created == []
    assert [(row, incident.pk) for row, incident in result.skipped] == [(2, opened_here.pk)]
    assert Incident.objects.count() == 1


def test_a_gb18030_export_from_chinese_excel_is_read(project, vendor, export):
    assert incident_import(project, export.encode("gb18030")).ok
    assert Incident.objects.get(external_ref="T-1001").title == "收银台无法过账"


def test_a_wrong_row_refuses_the_whole_file_naming_each_row(project, vendor):
    data = """ticket,title,severity,vendor,opened,responded,resolved
A-1,Fine,major,,2025-10-09 10:00,,
A-2,Unknown severity,urgent,,2025-10-09 10:00,,
A-3,Out of order,minor,,2025-10-09 10:00,2025-10-09 09:00,
A-4,Who?,minor,Contoso,2025-10-09 10:00,,
A-1,Twice,minor,,2025-10-09 10:00,,
A-6,Later,minor,,2999-01-01 10:00,,
"""
    result = incident_import(project, data.encode())

    assert not result.ok
    rows = dict(result.errors)
    assert sorted(rows) == [3, 4, 5, 6, 7]
    assert "“urgent” is not a severity" in rows[3]
    assert "not in order" in rows[4]
    assert "no vendor “Contoso”" in rows[5]
    assert "also in row 2" in rows[6]
    assert "in the future" in rows[7]
    assert not Incident.objects.exists() and not IncidentChange.objects.exists()


def test_a_file_without_the_required_columns_is_refused(project):
    result = incident_import(project, b"ticket,severity\nA-1,major\n")
    assert result.errors == [(0, "The file needs the columns title, opened.")]
