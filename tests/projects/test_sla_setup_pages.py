"""The SLA set-up pages: business calendars (the week, the year's public and own days, the Try-it box), their own
days, and the vendors' service levels as a matrix; what each refusal says and that it changes nothing."""

from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from projects.models import BusinessCalendar, CalendarDay, ServiceLevel
from projects.services import sla as svc
from requirements.models import Vendor
from tests.conftest import client_for
from workbench.locking import save_versioned

OFFICE_WEEK = {
    **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-12:00, 13:00-18:00"),
    "sat": "09:00-12:00",
    "sun": "",
}


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def texts(tree, testid: str) -> list[str]:
    return [text(el) for el in tree.xpath(f'.//*[@data-testid="{testid}"]')]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def calendar_form(calendar: BusinessCalendar | None = None, **changes) -> dict:
    data = {
        "name": "Vendor office",
        "timezone": "Asia/Shanghai",
        "country": "CN",
        "makeup_weekday": "0",
        **OFFICE_WEEK,
    }
    if calendar is not None:
        data.update({field: getattr(calendar, field) for field in ("name", "timezone", "country", *OFFICE_WEEK)})
        data.update({"makeup_weekday": str(calendar.makeup_weekday), "version": calendar.version})
        if calendar.always:
            data["always"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def supplier(project):
    return Vendor.objects.create(project=project, name="Northwind Software")


@pytest.fixture
def office(project):
    """Mon–Fri 09:00–12:00, 13:00–18:00 and Saturday mornings, China's public days."""
    return BusinessCalendar.objects.create(project=project, name="Vendor office", **OFFICE_WEEK)


@pytest.fixture
def plain(project):
    """The CN calendar of the brief: Monday to Friday 09:00–18:00 (the model's default week)."""
    return BusinessCalendar.objects.create(project=project, name="Plain office")


def level(project, vendor, severity, response, resolution, calendar) -> ServiceLevel:
    return svc.service_level_save(
        ServiceLevel(
            project=project,
            vendor=vendor,
            severity=severity,
            response_hours=Decimal(response),
            resolution_hours=Decimal(resolution),
            calendar=calendar,
        )
    )


# Business calendars: the list -------------------------------------------------------------------------------


def test_empty_calendar_list_explains_and_offers_the_two_presets(project, editor_client, viewer_client):
    tree = page(editor_client.get(url("calendar-list")))
    empty = text(tree.xpath('//*[@data-testid="calendars-empty"]')[0])
    assert "public holidays and make-up working days (调休)" in empty
    assert "stock-take" in empty
    assert tree.xpath('//*[@data-testid="preset-office_cn"]') and tree.xpath('//*[@data-testid="preset-always"]')

    viewed = page(viewer_client.get(url("calendar-list")))
    assert viewed.xpath('//*[@data-testid="calendars-empty"]')
    assert not viewed.xpath('//*[@data-testid="preset-office_cn"] | //*[@data-testid="new-calendar"]')


def test_a_preset_is_one_click_and_a_second_click_is_refused(project, editor_client):
    response = editor_client.post(url("calendar-create"), {"preset": "office_cn"})
    office = BusinessCalendar.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == url("calendar-detail", calendar_id=office.pk)
    assert (office.name, office.country, office.timezone, office.always) == (
        "Office hours (China)",
        "CN",
        "Asia/Shanghai",
        False,
    )
    assert (office.mon, office.fri, office.sat, office.sun) == ("09:00-12:00, 13:00-18:00",) * 2 + ("", "")

    again = editor_client.post(url("calendar-create"), {"preset": "office_cn"}, follow=True)
    assert "There is already a calendar called “Office hours (China)”." in messages_of(again)
    assert BusinessCalendar.objects.filter(project=project).count() == 1

    editor_client.post(url("calendar-create"), {"preset": "always"})
    always = BusinessCalendar.objects.get(project=project, name="24×7")
    assert always.always and always.country == ""


def test_calendar_list_shows_the_week_in_a_line_and_who_uses_it(project, editor_client, office, supplier):
    BusinessCalendar.objects.create(project=project, name="24×7", always=True, country="")
    level(project, supplier, "major", "2", "16", office)
    level(project, supplier, "minor", "8", "40", office)
    tree = page(editor_client.get(url("calendar-list")))

    rows = tree.xpath('//*[@data-testid="calendar-row"]')
    assert [texts(row, "calendar-name")[0] for row in rows] == ["24×7", "Vendor office"]
    assert texts(rows[0], "calendar-always") == ["24×7"]
    assert texts(rows[0], "calendar-week") == ["Every day around the clock"]
    assert texts(rows[1], "calendar-week") == ["Mon–Fri 09:00–12:00, 13:00–18:00 Sat 09:00–12:00"]
    assert texts(rows[1], "calendar-country") == ["public holidays of China (mainland)"]
    assert texts(rows[1], "calendar-zone") == ["Asia/Shanghai"]
    assert texts(rows[1], "calendar-used") == ["used by 2 service levels"]
    assert texts(rows[0], "calendar-used") == ["not used yet"]
    assert len(tree.xpath('//*[@data-testid="calendar-edit"]')) == 2


def test_calendar_list_reads_a_fixed_number_of_queries(
    project, editor_client, office, supplier, django_assert_num_queries
):
    level(project, supplier, "major", "2", "16", office)
    editor_client.get(url("calendar-list"))  # the session is warm
    with django_assert_num_queries(4):
        page(editor_client.get(url("calendar-list")))
    for number in range(5):
        calendar = BusinessCalendar.objects.create(project=project, name=f"Store {number}")
        CalendarDay.objects.create(calendar=calendar, date=date(2026, 12, 31))
        other = Vendor.objects.create(project=project, name=f"Vendor {number}")
        level(project, other, "critical", "1", "4", calendar)
    with django_assert_num_queries(4):
        tree = page(editor_client.get(url("calendar-list")))
    assert len(tree.xpath('//*[@data-testid="calendar-row"]')) == 6


# Business calendars: create, edit, delete ---------------------------------------------------------------------


def test_create_a_calendar_and_refusals_show_on_the_field(project, editor_client):
    refused = editor_client.post(url("calendar-create"), calendar_form(tue="9 to 6", timezone="Asia/Peking"))
    form = refused.context["form"]
    assert refused.status_code == 200
    assert form.errors["tue"] == [
        "Write the hours as 09:00-12:00, 13:00-18:00 (24-hour clock, in order, not overlapping)."
    ]
    assert form.errors["timezone"] == ["“Asia/Peking” is not a time zone: use a name such as Asia/Shanghai."]
    assert page(refused).xpath('//input[@name="tue"]/@value') == ["9 to 6"]  # what was typed comes back
    assert not BusinessCalendar.objects.exists()

    closed = dict.fromkeys(OFFICE_WEEK, "")
    nothing = editor_client.post(url("calendar-create"), calendar_form(**closed))
    assert nothing.context["form"].errors["mon"] == [
        "A calendar needs working hours on at least one day, or to run around the clock."
    ]
    assert not BusinessCalendar.objects.exists()

    created = editor_client.post(url("calendar-create"), calendar_form(name="  Vendor   office ", sat=" 09:00-12:00 "))
    calendar = BusinessCalendar.objects.get()
    assert created["Location"] == url("calendar-detail", calendar_id=calendar.pk)
    assert (calendar.name, calendar.sat, calendar.history.count()) == ("Vendor office", "09:00-12:00", 1)

    duplicate = editor_client.post(url("calendar-create"), calendar_form(name="VENDOR OFFICE"))
    assert duplicate.context["form"].errors["name"] == [
        "There is already a calendar called “VENDOR OFFICE”: choose another name."
    ]
    assert BusinessCalendar.objects.count() == 1


def test_a_stale_calendar_edit_is_refused_and_keeps_what_was_typed(project, editor_client, office, owner):
    opened = page(editor_client.get(url("calendar-edit", calendar_id=office.pk)))
    version = int(opened.xpath('//input[@name="version"]/@value')[0])
    other = BusinessCalendar.objects.get(pk=office.pk)  # someone else saves first
    other.sat = ""
    other._history_user = owner
    save_versioned(other, expected_version=other.version)

    response = editor_client.post(
        url("calendar-edit", calendar_id=office.pk), calendar_form(office, version=version, fri="09:00-17:00")
    )
    tree = page(response)
    assert "changed this record" in text(tree.xpath('//*[@data-testid="form-errors"]')[0])
    assert tree.xpath('//input[@name="fri"]/@value') == ["09:00-17:00"]
    office.refresh_from_db()
    assert (office.fri, office.sat, office.version) == ("09:00-12:00, 13:00-18:00", "", 2)

    saved = editor_client.post(url("calendar-edit", calendar_id=office.pk), calendar_form(office, fri="09:00-17:00"))
    assert saved.status_code == 302
    office.refresh_from_db()
    assert (office.fri, office.version) == ("09:00-17:00", 3)


def test_a_calendar_used_by_service_levels_cannot_be_deleted(project, editor_client, office, supplier):
    level(project, supplier, "major", "2", "16", office)
    level(project, supplier, "critical", "0.5", "4", office)
    tree = page(editor_client.get(url("calendar-delete", calendar_id=office.pk)))
    assert texts(tree, "refusal") == [
        "“Vendor office” cannot be deleted: 2 service levels run on it. Move them to another calendar first."
    ]
    assert text(tree.xpath('//*[@data-testid="calendar-users"]')[0]).count("Northwind Software") == 2
    assert not tree.xpath('//*[@data-testid="confirm-delete"]')

    response = editor_client.post(url("calendar-delete", calendar_id=office.pk))
    assert response.status_code == 200
    assert messages_of(response) == [
        "“Vendor office” cannot be deleted: 2 service levels run on it. Move them to another calendar first."
    ]
    assert BusinessCalendar.objects.filter(pk=office.pk).exists()
    assert ServiceLevel.objects.filter(calendar=office).count() == 2


def test_an_unused_calendar_is_deleted_after_confirming(project, editor_client, office):
    CalendarDay.objects.create(calendar=office, date=date(2026, 12, 31), reason="Stock-take")
    tree = page(editor_client.get(url("calendar-delete", calendar_id=office.pk)))
    assert texts(tree, "delete-consequence") == ["Its 1 own day is deleted with it. The history keeps the calendar."]
    response = editor_client.post(url("calendar-delete", calendar_id=office.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("calendar-list")
    assert "Calendar “Vendor office” deleted." in messages_of(response)
    assert not BusinessCalendar.objects.filter(pk=office.pk).exists()
    assert not CalendarDay.objects.exists()


# Business calendars: the page, its days and the Try-it box --------------------------------------------------


def test_the_year_shows_public_days_make_up_days_and_own_days(project, editor_client, office):
    CalendarDay.objects.create(calendar=office, date=date(2026, 12, 31), reason="Year-end stock-take")
    CalendarDay.objects.create(calendar=office, date=date(2026, 10, 7), kind="working", reason="Go-live support")
    CalendarDay.objects.create(calendar=office, date=date(2025, 12, 31), reason="Last year's stock-take")
    tree = page(editor_client.get(url("calendar-detail", calendar_id=office.pk) + "?year=2026"))

    rows = {row.get("data-date"): row for row in tree.xpath('//*[@data-testid="day-row"]')}
    makeup = rows["2026-10-10"]
    assert makeup.get("data-kind") == "working"
    assert texts(makeup, "day-kind") == ["Make-up working day"]
    assert texts(makeup, "day-source") == ["public make-up day"]
    assert "Saturday" in text(makeup)
    assert texts(makeup, "day-reason") == ["Worked for the day off on Wed 7 Oct 2026 (调休)"]
    national = rows["2026-10-01"]
    assert (national.get("data-kind"), texts(national, "day-source"), texts(national, "day-reason")) == (
        "closed",
        ["public holiday"],
        ["National Day"],
    )
    # Own days win: a closure of its own, and a public holiday worked.
    assert (rows["2026-12-31"].get("data-kind"), texts(rows["2026-12-31"], "day-source")) == ("closed", ["own day"])
    worked = rows["2026-10-07"]
    assert worked.get("data-kind") == "working"
    assert texts(worked, "day-reason")[0].startswith("Go-live support · instead of: Day off")
    # Oct 1–7 less the worked 7th: 1, 2, 3, 5, 6 closed (the 4th is a Sunday the package does not list).
    october = [d for d in rows if d.startswith("2026-10-")]
    assert october == ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-05", "2026-10-06", "2026-10-07", "2026-10-10"]
    assert "2025-12-31" not in rows
    assert "1 own day in other years" in text(tree.xpath('//*[@data-testid="days"]')[0])
    assert len(tree.xpath('//*[@data-testid="day-delete"]')) == 2  # own days only

    week = [text(el) for el in tree.xpath('//*[starts-with(@data-testid, "week-")]')]
    assert week == ["09:00–12:00, 13:00–18:00"] * 5 + ["09:00–12:00", "closed"]


def test_try_it_across_china_s_national_day(project, editor_client, plain):
    # Wed 30 Sep 2026 17:00 + 4 h on Mon–Fri 09:00–18:00: 1 h that evening; 1–7 October are off (the 4th is a
    # Sunday); Thursday 8 October from 09:00 the 3 h left → 12:00.
    tree = page(
        editor_client.get(url("calendar-detail", calendar_id=plain.pk) + "?day=2026-09-30&time=17:00&hours=4&year=2026")
    )
    assert texts(tree, "try-result") == ["4 business hours from Wed 30 Sep 17:00 → Thu 8 Oct 12:00"]
    rows = texts(tree, "try-row")
    assert rows[0] == "Wed 30 Sep 17:00–18:00 1 h"
    assert rows[1].startswith("Thu 1 Oct – Wed 7 Oct not working · National Day")
    assert rows[2] == "Thu 8 Oct 09:00–12:00 3 h"
    assert len(rows) == 3


def test_try_it_across_a_weekend_and_with_bad_input(project, editor_client, plain):
    # Fri 27 Nov 2026 16:30 + 2.5 h: 1.5 h on Friday, the weekend, Monday 09:00 + 1 h → 10:00.
    detail = url("calendar-detail", calendar_id=plain.pk)
    tree = page(editor_client.get(detail + "?day=2026-11-27&time=16:30&hours=2.5"))
    assert texts(tree, "try-result") == ["2.5 business hours from Fri 27 Nov 16:30 → Mon 30 Nov 10:00"]
    assert texts(tree, "try-row") == [
        "Fri 27 Nov 16:30–18:00 1 h 30 min",
        "Sat 28 Nov – Sun 29 Nov not working · Weekend",
        "Mon 30 Nov 09:00–10:00 1 h",
    ]
    bad = editor_client.get(detail + "?day=2026-11-27&time=16:30&hours=-1")
    assert bad.context["try_form"].errors["hours"] == ["Enter 0 hours or more."]
    assert not page(bad).xpath('//*[@data-testid="try-result"]')


def test_own_days_are_added_once_per_date_and_deleted_after_confirming(project, editor_client, office):
    add = url("calendar-day-create", calendar_id=office.pk)
    response = editor_client.post(add, {"date": "2026-12-31", "kind": "closed", "reason": " Stock-take "})
    assert response["Location"] == url("calendar-detail", calendar_id=office.pk) + "?year=2026#days"
    day = CalendarDay.objects.get()
    assert (day.date, day.kind, day.reason) == (date(2026, 12, 31), "closed", "Stock-take")

    duplicate = editor_client.post(add, {"date": "2026-12-31", "kind": "working", "reason": "On call"})
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors["date"] == [
        "The calendar already has 2026-12-31 as its own day (Closed): delete that one first to change it."
    ]
    assert list(CalendarDay.objects.values_list("kind", "reason")) == [("closed", "Stock-take")]

    confirm = page(editor_client.get(url("calendar-day-delete", calendar_day_id=day.pk)))
    assert confirm.xpath('//*[@data-testid="confirm-delete"]')
    deleted = editor_client.post(url("calendar-day-delete", calendar_day_id=day.pk))
    assert deleted["Location"] == url("calendar-detail", calendar_id=office.pk) + "?year=2026#days"
    assert not CalendarDay.objects.exists()


def test_viewer_reads_calendars_without_edit_buttons_and_cannot_post(project, viewer_client, office, supplier):
    level(project, supplier, "major", "2", "16", office)
    CalendarDay.objects.create(calendar=office, date=date(2026, 12, 31))
    for page_url in (url("calendar-list"), url("calendar-detail", calendar_id=office.pk) + "?year=2026"):
        tree = page(viewer_client.get(page_url))
        assert not tree.xpath(
            '//*[@data-testid="calendar-edit" or @data-testid="calendar-delete" or @data-testid="day-delete"'
            ' or @data-testid="day-form" or @data-testid="new-calendar"]'
        )
    tree = page(viewer_client.get(url("service-level-list")))
    assert not tree.xpath(
        '//*[@data-testid="level-edit" or @data-testid="level-delete" or @data-testid="level-add"'
        ' or @data-testid="new-level" or @data-testid="standard-set"]'
    )
    assert viewer_client.post(url("calendar-create"), {"preset": "always"}).status_code == 403
    assert viewer_client.post(url("calendar-delete", calendar_id=office.pk)).status_code == 403
    assert BusinessCalendar.objects.count() == 1


# Service levels -----------------------------------------------------------------------------------------------


def test_service_levels_show_as_a_matrix_per_vendor(project, editor_client, office, supplier, owner):
    level(project, supplier, "critical", "0.5", "4", office)
    level(project, supplier, "major", "2.25", "16", office)
    svc.incident_create(project=project, title="Till cannot post", vendor=supplier, severity="critical", user=owner)
    Vendor.objects.create(project=project, name="Acme Scanners")
    tree = page(editor_client.get(url("service-level-list")))

    blocks = tree.xpath('//*[@data-testid="vendor-levels"]')
    assert [text(b.xpath(".//h3")[0]) for b in blocks] == ["Acme Scanners 0 of 4", "Northwind Software 2 of 4"]
    rows = {row.get("data-severity"): row for row in blocks[1].xpath('.//*[@data-testid="level-row"]')}
    assert list(rows) == ["critical", "major", "minor", "trivial"]
    critical = rows["critical"]
    assert (texts(critical, "level-response"), texts(critical, "level-resolution")) == (["30 min"], ["4 h"])
    assert texts(rows["major"], "level-response") == ["2 h 15 min"]
    calendar_link = critical.xpath('.//*[@data-testid="level-calendar"]/@href')
    assert calendar_link == [url("calendar-detail", calendar_id=office.pk)]
    incidents = critical.xpath('.//*[@data-testid="level-incidents"]')[0]
    assert incidents.get("href") == f"{url('incident-list')}?vendor={supplier.pk}&severity=critical"
    assert text(incidents) == "1 incident"
    assert rows["minor"].xpath('.//*[@data-testid="level-add"]/@href') == [
        f"{url('service-level-create')}?vendor={supplier.pk}&severity=minor"
    ]
    # The standard set is offered to the vendor without levels only.
    assert blocks[0].xpath('.//*[@data-testid="standard-set"]')
    assert not blocks[1].xpath('.//*[@data-testid="standard-set"]')


def test_service_level_list_reads_a_fixed_number_of_queries(
    project, editor_client, office, supplier, django_assert_num_queries
):
    level(project, supplier, "major", "2", "16", office)
    editor_client.get(url("service-level-list"))
    with django_assert_num_queries(7):
        page(editor_client.get(url("service-level-list")))
    for number in range(4):
        other = Vendor.objects.create(project=project, name=f"Vendor {number}")
        calendar = BusinessCalendar.objects.create(project=project, name=f"Calendar {number}")
        for severity in ("critical", "minor"):
            level(project, other, severity, "1", "8", calendar)
        svc.incident_create(project=project, title=f"Issue {number}", vendor=other, severity="minor")
    with django_assert_num_queries(7):
        tree = page(editor_client.get(url("service-level-list")))
    assert len(tree.xpath('//*[@data-testid="vendor-levels"]')) == 5


def test_service_levels_say_what_is_missing_first(project, editor_client):
    tree = page(editor_client.get(url("service-level-list")))
    assert texts(tree, "no-calendar-link") == ["Business calendars"]
    assert tree.xpath('//*[@data-testid="no-calendar-link"]/@href') == [url("calendar-list")]
    empty = text(tree.xpath('//*[@data-testid="levels-empty"]')[0])
    assert "Vendors are added in the Vendors section" in empty
    assert tree.xpath('//*[@data-testid="vendors-link"]/@href') == [
        reverse("requirements:vendor-list", kwargs={"project_code": "ACME"})
    ]
    assert not tree.xpath('//*[@data-testid="new-level"]')


def test_create_a_service_level_and_its_refusals(project, editor_client, office, supplier):
    data = {
        "vendor": supplier.pk,
        "severity": "major",
        "response_hours": "2",
        "resolution_hours": "1.5",
        "calendar": office.pk,
    }
    early = editor_client.post(url("service-level-create"), data)
    assert early.context["form"].errors["resolution_hours"] == [
        "The resolution cannot be due before the first response."
    ]
    assert not ServiceLevel.objects.exists()

    created = editor_client.post(url("service-level-create"), {**data, "resolution_hours": "16"}, follow=True)
    assert "Service level added: Northwind Software, Major." in messages_of(created)
    saved = ServiceLevel.objects.get()
    assert (saved.response_hours, saved.resolution_hours, saved.calendar) == (Decimal(2), Decimal(16), office)

    twice = editor_client.post(url("service-level-create"), {**data, "resolution_hours": "8"})
    assert twice.context["form"].errors["severity"] == [
        "Northwind Software already has a service level for major incidents: edit that one instead."
    ]
    assert list(ServiceLevel.objects.values_list("resolution_hours", flat=True)) == [Decimal(16)]


def test_a_calendar_of_another_project_cannot_be_chosen(project, editor_client, office, supplier, outsider):
    elsewhere = BusinessCalendar.objects.create(project=outsider.memberships.get().project, name="Elsewhere")
    data = {"vendor": supplier.pk, "severity": "major", "response_hours": "2", "resolution_hours": "16"}
    refused = editor_client.post(url("service-level-create"), {**data, "calendar": elsewhere.pk})
    assert refused.context["form"].errors["calendar"]
    assert not ServiceLevel.objects.exists()
    assert editor_client.get(url("calendar-detail", calendar_id=elsewhere.pk)).status_code == 404


def test_the_standard_set_for_a_vendor_without_levels(project, editor_client, office, supplier):
    response = editor_client.post(
        url("service-level-create"), {"standard": "1", "vendor": supplier.pk, "calendar": office.pk}, follow=True
    )
    assert "Agree the numbers with the vendor" in messages_of(response)[0]
    assert sorted(
        ServiceLevel.objects.filter(vendor=supplier).values_list("severity", "response_hours", "resolution_hours")
    ) == [
        ("critical", Decimal("0.5"), Decimal(4)),
        ("major", Decimal(2), Decimal(16)),
        ("minor", Decimal(8), Decimal(40)),
        ("trivial", Decimal(16), Decimal(80)),
    ]

    again = editor_client.post(
        url("service-level-create"), {"standard": "1", "vendor": supplier.pk, "calendar": office.pk}, follow=True
    )
    assert messages_of(again) == [
        "Northwind Software already has service levels: the standard set is for a vendor without any."
    ]
    assert ServiceLevel.objects.count() == 4


def test_a_stale_service_level_edit_is_refused(project, editor_client, office, supplier, owner):
    major = level(project, supplier, "major", "2", "16", office)
    form = page(editor_client.get(url("service-level-edit", service_level_id=major.pk)))
    version = int(form.xpath('//input[@name="version"]/@value')[0])
    assert form.xpath('//input[@name="response_hours"]/@value') == ["2"]
    other = ServiceLevel.objects.get(pk=major.pk)
    other.resolution_hours = Decimal(24)
    other._history_user = owner
    save_versioned(other, expected_version=other.version)

    data = {
        "vendor": supplier.pk,
        "severity": "major",
        "response_hours": "1",
        "resolution_hours": "8",
        "calendar": office.pk,
        "version": version,
    }
    stale = page(editor_client.post(url("service-level-edit", service_level_id=major.pk), data))
    assert "changed this record" in texts(stale, "form-errors")[0]
    assert stale.xpath('//input[@name="response_hours"]/@value') == ["1"]
    major.refresh_from_db()
    assert (major.response_hours, major.resolution_hours) == (Decimal(2), Decimal(24))

    saved = editor_client.post(url("service-level-edit", service_level_id=major.pk), {**data, "version": version + 1})
    assert saved.status_code == 302
    major.refresh_from_db()
    assert (major.response_hours, major.resolution_hours, major.version) == (Decimal(1), Decimal(8), 3)


def test_a_service_level_is_deleted_after_confirming(project, editor_client, office, supplier, owner):
    major = level(project, supplier, "major", "2", "16", office)
    svc.incident_create(project=project, title="Slow stock report", vendor=supplier, severity="major", user=owner)
    confirm = page(editor_client.get(url("service-level-delete", service_level_id=major.pk)))
    assert texts(confirm, "delete-consequence") == [
        "1 incident of this vendor and severity then has no SLA clocks and leaves the compliance figures."
    ]
    response = editor_client.post(url("service-level-delete", service_level_id=major.pk))
    assert response["Location"] == url("service-level-list") + f"#vendor-{supplier.pk}"
    assert not ServiceLevel.objects.exists()
