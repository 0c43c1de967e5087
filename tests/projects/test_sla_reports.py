"""SLA compliance, the SLA report PDF and hypercare: figures computed from incidents moved through their statuses on a
Mon–Fri 09:00–18:00 calendar (no public holidays), checked against hand-computed values; the month filter; the PDF's
text; hypercare before, during and after, with its exit settings saved only when valid and current.

"Now" is frozen at Tuesday 2026-10-20 12:00 in Shanghai, so every clock is fixed.
"""

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import BusinessCalendar, CutoverPlan, ServiceLevel
from projects.services import sla as svc
from requirements.models import Vendor
from tests.conftest import client_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=SHANGHAI)


def at(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}").replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def supplier(project):
    return Vendor.objects.create(project=project, name="Northwind Software")


@pytest.fixture
def levels(project, supplier):
    office = BusinessCalendar.objects.create(
        project=project, name="Office", country="", mon="09:00-18:00", tue="09:00-18:00", wed="09:00-18:00",
        thu="09:00-18:00", fri="09:00-18:00",
    )  # fmt: skip
    return {
        severity: svc.service_level_save(
            ServiceLevel(
                project=project,
                vendor=supplier,
                severity=severity,
                response_hours=Decimal(response),
                resolution_hours=Decimal(resolution),
                calendar=office,
            )
        )
        for severity, response, resolution in (("critical", "1", "4"), ("major", "2", "8"))
    }


def incident(project, supplier, title, opened, *moves, severity="major"):
    item = svc.incident_create(project=project, title=title, opened_at=opened, severity=severity, vendor=supplier)
    for status, moment in moves:
        svc.incident_move(incident=item, status=status, at=moment)
    item.refresh_from_db()
    return item


@pytest.fixture
def incidents(project, supplier, levels):
    """Three major incidents in September and one in October still within its time:

    INC-001 Tue 09-01 09:00, answered 10:00 (60 min), resolved 15:00 (360 min): both met.
    INC-002 Wed 09-02 09:00, answered 12:00 (180 min > 120: 1 h late), resolved 17:00 (480 min = 8 h: met).
    INC-003 Thu 09-03 09:00, answered 09:30 (30 min), resolved Fri 12:00 (540 + 180 = 720 min: 4 h over 8 h).
    INC-004 Tue 10-20 11:00, not answered yet at 12:00 (60 of 120 min): still within time.
    """
    return [
        incident(project, supplier, "Scanner logs out", at("2026-09-01", "09:00"),
                 ("acknowledged", at("2026-09-01", "10:00")), ("resolved", at("2026-09-01", "15:00"))),
        incident(project, supplier, "Price list not applied", at("2026-09-02", "09:00"),
                 ("acknowledged", at("2026-09-02", "12:00")), ("resolved", at("2026-09-02", "17:00"))),
        incident(project, supplier, "Opening balances differ", at("2026-09-03", "09:00"),
                 ("acknowledged", at("2026-09-03", "09:30")), ("resolved", at("2026-09-04", "12:00"))),
        incident(project, supplier, "Picking list order", at("2026-10-20", "11:00")),
    ]  # fmt: skip


def row(html: str, testid: str, **attributes: str) -> str:
    """The <tr> of a table with the given data-testid and data-* attributes, whitespace collapsed."""
    for match in re.finditer(rf'<tr data-testid="{testid}"(.*?)</tr>', html, re.DOTALL):
        if all(f'data-{name}="{value}"' in match.group(1) for name, value in attributes.items()):
            return re.sub(r"\s+", " ", match.group(1))
    raise AssertionError(f"no row {testid} {attributes}")


def cell(row_html: str, testid: str) -> str:
    """The text of the element with `data-testid` in a row (tags stripped)."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</td>', row_html, re.DOTALL)
    assert match, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def compliance_url(project, **params) -> str:
    url = reverse("projects:sla-compliance", kwargs={"project_code": project.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# Compliance ---------------------------------------------------------------------------------------------


def test_compliance_shows_met_shares_and_times_per_vendor_and_severity(project, viewer, incidents):
    html = client_for(viewer).get(compliance_url(project)).content.decode()

    overall = row(html, "overall-table-row", vendor="Northwind Software", severity="major")
    assert cell(overall, "count") == "4"
    assert "66.7 %" in cell(overall, "response-met") and "2 of 3" in cell(overall, "response-met")
    assert "66.7 %" in cell(overall, "resolution-met") and "2 of 3" in cell(overall, "resolution-met")
    # Responses 60, 180, 30 min: mean 90 min, p90 (nearest rank 3 of 3) 180 min; resolutions 360, 480, 720 min.
    assert cell(overall, "response-times") == "1 h 30 min 3 h"
    assert cell(overall, "resolution-times") == "8 h 40 min 12 h"
    assert cell(overall, "within-time") == "1"

    september = row(html, "monthly-table-row", severity="major", month="2026-09")
    assert cell(september, "count") == "3" and cell(september, "within-time") == "0"
    october = row(html, "monthly-table-row", severity="major", month="2026-10")
    assert cell(october, "count") == "1" and cell(october, "within-time") == "1"
    assert cell(october, "response-met") == "—"
    assert 'data-testid="summary-breached">2<' in html  # INC-002 answered late, INC-003 resolved late


def test_month_filter_limits_the_figures_and_a_bad_month_is_reported(project, viewer, incidents):
    client = client_for(viewer)

    october = client.get(compliance_url(project, month_from="2026-10", month_to="2026-10")).content.decode()
    only = row(october, "overall-table-row", severity="major")
    assert cell(only, "count") == "1" and "66.7 %" not in only
    assert 'data-month="2026-09"' not in october

    september = client.get(compliance_url(project, month_from="2026-09", month_to="2026-09")).content.decode()
    assert cell(row(september, "overall-table-row", severity="major"), "count") == "3"
    assert "?month_from=2026-09&amp;month_to=2026-09" in september  # the PDF keeps the filter

    wrong = client.get(compliance_url(project, month_from="2026-13"))
    assert wrong.status_code == 200
    assert "Choose a month from the list" in wrong.content.decode()
    assert cell(row(wrong.content.decode(), "overall-table-row", severity="major"), "count") == "4"


def test_charts_show_the_monthly_share_against_the_threshold_and_the_weekly_inflow(project, viewer, incidents):
    CutoverPlan.objects.create(project=project, hypercare_exit_threshold=Decimal("95"))
    html = client_for(viewer).get(compliance_url(project)).content.decode()

    # September: only INC-001 met both targets → 1 of 3 = 33.3 %; October's incident is undecided: no bar.
    assert 'data-series="Major" data-category="September 2026" data-value="33.3"' in html
    assert 'data-category="October 2026" data-value' not in html
    assert "Hypercare exit threshold 95 %" in html
    # Opened in the week of Monday 08-31: three; in the week of 10-19: one.
    assert 'data-category="08-31" data-value="3"' in html
    assert 'data-category="10-19" data-value="1"' in html
    svgs = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
    assert len(svgs) == 4  # two charts, each wide and narrow
    for svg in svgs:
        assert "<title>" in svg and 'role="img"' in svg
        texts = re.findall(r"<text [^>]*>", svg)
        assert texts and all("font-family=\"'Noto Sans CJK SC'" in text for text in texts)


def test_no_service_level_and_no_incidents_explain_what_comes(project, owner, supplier):
    client = client_for(owner)
    html = client.get(compliance_url(project)).content.decode()
    assert 'data-testid="compliance-no-levels"' in html
    assert reverse("projects:service-level-list", kwargs={"project_code": project.code}) in html
    assert 'data-testid="sla-report-pdf"' not in html

    office = BusinessCalendar.objects.create(project=project, name="Office")
    ServiceLevel.objects.create(
        project=project, vendor=supplier, severity="minor", response_hours=4, resolution_hours=16, calendar=office
    )
    html = client.get(compliance_url(project)).content.decode()
    assert 'data-testid="compliance-no-incidents"' in html
    assert reverse("projects:incident-import", kwargs={"project_code": project.code}) in html


COMPLIANCE_QUERIES = 10  # session, user, membership; vendors, plan, any level; incidents, levels, changes, days


def test_compliance_queries_do_not_grow_with_incidents(project, supplier, viewer, incidents, django_assert_num_queries):
    client = client_for(viewer)
    client.get(compliance_url(project))  # the session, once
    with django_assert_num_queries(COMPLIANCE_QUERIES):
        assert client.get(compliance_url(project)).status_code == 200
    for number in range(6):
        incident(
            project, supplier, f"More {number}", at("2026-09-10", "10:00"), ("acknowledged", at("2026-09-10", "10:30"))
        )
    with django_assert_num_queries(COMPLIANCE_QUERIES):
        assert client.get(compliance_url(project)).status_code == 200


# The SLA report PDF -------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", out)


def test_sla_report_is_a_pdf_with_the_breaches_and_how_much_they_missed(project, viewer, incidents):
    response = client_for(viewer).get(reverse("projects:sla-report-pdf", kwargs={"project_code": project.code}))

    assert response.status_code == 200
    assert 'filename="ACME-sla-report.pdf"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "ACME inventory upgrade" in text and "September 2026 – October 2026" in text
    assert "INC-002" in text and "Response: 1 h late" in text
    assert "INC-003" in text and "Resolution: 4 h over the target" in text
    assert "INC-001" not in text  # met both targets


def test_sla_report_in_chinese_names_the_project(project, viewer, incidents):
    client = client_for(viewer)
    response = client.get(
        reverse("projects:sla-report-pdf", kwargs={"project_code": project.code}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = pdf_text(b"".join(response.streaming_content))
    assert "ACME inventory upgrade" in text and "2026年9月" in text


# Hypercare ----------------------------------------------------------------------------------------------


def hypercare(client, project):
    return client.get(reverse("projects:hypercare", kwargs={"project_code": project.code})).content.decode()


def criterion(html: str, name: str) -> str:
    match = re.search(
        rf'data-criterion="{name}" data-verdict="(\w+)"(.*?)data-testid="criterion-text">(.*?)</div>', html, re.DOTALL
    )
    assert match, name
    return f"{match.group(1)}: {match.group(3).strip()}"


def test_without_go_live_hypercare_says_it_starts_at_go_live(project, viewer):
    html = hypercare(client_for(viewer), project)

    assert 'data-phase="no_go_live"' in html
    assert "Hypercare starts at go-live" in html
    assert reverse("projects:cutover-plan", kwargs={"project_code": project.code}) in html
    assert not CutoverPlan.objects.exists()  # reading the page writes nothing


def test_before_go_live_hypercare_starts_in_days_and_has_not_started(project, viewer, levels):
    CutoverPlan.objects.create(project=project, go_live_date=date(2026, 10, 30), hypercare_until=date(2026, 12, 10))
    html = hypercare(client_for(viewer), project)

    assert "Starts in 10 days" in html
    assert "Hypercare has not started: it starts at go-live on" in html and "in 10 days." in html
    assert criterion(html, "no_open_critical") == "met: 0 critical incidents open"
    assert 'data-testid="hypercare-chart"' not in html


def test_during_hypercare_an_open_critical_incident_holds_it(project, supplier, viewer, incidents):
    CutoverPlan.objects.create(project=project, go_live_date=date(2026, 10, 1), hypercare_until=date(2026, 11, 11))
    incident(project, supplier, "Tills cannot post", at("2026-10-19", "10:00"), severity="critical")
    html = hypercare(client_for(viewer), project)

    assert "Day 20 of 42" in html and "Week 3 of 6" in html
    assert criterion(html, "no_open_critical") == "not_met: 1 critical incident open"
    # The last 14 days (10-06 12:00 .. now): two incidents, the critical one already 7 h over its resolution
    # (Mon 10:00–18:00 and Tue 09:00–12:00: 11 h of 4 h): 0 of 1 decided met both.
    assert criterion(html, "compliance") == (
        "not_met: 0 % of incidents met both targets in the last 14 days (target 90 %)"
    )
    assert criterion(html, "inflow_down") == "not_met: 2 opened in the last 14 days against 0 in the 14 before"
    recommendation = re.search(r'data-testid="recommendation">(.*?)</p>', html).group(1)
    assert recommendation.startswith("Stay in hypercare: 1 critical incident is open;")
    assert "?severity=critical&amp;status=open" in html


def test_after_hypercare_the_criteria_are_judged_at_its_end(project, supplier, viewer, incidents):
    CutoverPlan.objects.create(project=project, go_live_date=date(2026, 9, 1), hypercare_until=date(2026, 9, 30))
    incident(project, supplier, "Tills cannot post", at("2026-10-05", "10:00"), severity="critical")  # after the end
    html = hypercare(client_for(viewer), project)

    assert "Judged at the end of hypercare, on 2026-09-30." in html
    assert "Day 30 of 30" in html
    assert criterion(html, "no_open_critical") == "met: 0 critical incidents open"
    assert criterion(html, "compliance") == "met: No incidents in the last 14 days (target 90 %)"
    assert "Leave hypercare: all three exit criteria are met." in html
    # Week 1 (09-01..09-07) had the three September incidents, none open at its end.
    assert 'data-category="W1" data-value="3"' in html


HYPERCARE_QUERIES = 9  # session, user, membership; plan; incidents, levels, changes, days; the changes again


def test_hypercare_queries_do_not_grow_with_incidents(project, supplier, viewer, incidents, django_assert_num_queries):
    CutoverPlan.objects.create(project=project, go_live_date=date(2026, 9, 1), hypercare_until=date(2026, 10, 31))
    client = client_for(viewer)
    hypercare(client, project)
    with django_assert_num_queries(HYPERCARE_QUERIES):
        hypercare(client, project)
    for number in range(5):
        incident(
            project, supplier, f"More {number}", at("2026-10-12", "10:00"), ("acknowledged", at("2026-10-12", "11:00"))
        )
    with django_assert_num_queries(HYPERCARE_QUERIES):
        hypercare(client, project)


# Exit settings ------------------------------------------------------------------------------------------


def post_settings(client, project, **data):
    return client.post(reverse("projects:hypercare", kwargs={"project_code": project.code}), data)


def test_settings_are_saved_with_the_version(project, owner):
    plan = CutoverPlan.objects.create(project=project, go_live_date=date(2026, 10, 1))
    response = post_settings(
        client_for(owner), project, hypercare_exit_days=21, hypercare_exit_threshold="92.5", version=plan.version
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.hypercare_exit_days, plan.hypercare_exit_threshold, plan.version) == (21, Decimal("92.5"), 2)


def test_settings_out_of_range_are_refused_and_change_nothing(project, owner):
    plan = CutoverPlan.objects.create(project=project)
    client = client_for(owner)

    days = post_settings(client, project, hypercare_exit_days=0, hypercare_exit_threshold=90, version=1)
    assert days.status_code == 200 and "Enter the number of days, from 1 to 90." in days.content.decode()
    threshold = post_settings(client, project, hypercare_exit_days=14, hypercare_exit_threshold=101, version=1)
    assert "Enter the threshold as a percentage, from 0 to 100." in threshold.content.decode()
    plan.refresh_from_db()
    assert (plan.hypercare_exit_days, plan.hypercare_exit_threshold, plan.version) == (14, Decimal("90.0"), 1)


def test_stale_settings_are_refused(project, owner, editor):
    plan = CutoverPlan.objects.create(project=project)
    post_settings(client_for(editor), project, hypercare_exit_days=7, hypercare_exit_threshold=80, version=1)

    stale = post_settings(client_for(owner), project, hypercare_exit_days=30, hypercare_exit_threshold=99, version=1)
    html = stale.content.decode()
    assert stale.status_code == 200 and "after you opened it" in html
    assert 'value="30"' in html  # what was typed is kept
    plan.refresh_from_db()
    assert (plan.hypercare_exit_days, plan.hypercare_exit_threshold) == (7, Decimal("80.0"))


def test_viewer_sees_the_settings_but_cannot_post_them(project, viewer):
    CutoverPlan.objects.create(project=project)
    client = client_for(viewer)

    html = hypercare(client, project)
    assert 'data-testid="settings-readonly"' in html and 'data-testid="save-settings"' not in html
    refused = post_settings(client, project, hypercare_exit_days=7, hypercare_exit_threshold=80, version=1)
    assert refused.status_code == 403
    assert CutoverPlan.objects.get(project=project).hypercare_exit_days == 14
