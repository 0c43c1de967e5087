"""The goal, KPI and measurement pages: list with attainment, forms with locking, the KPI library, charts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from projects.models import KPI, Goal, Measurement, Membership
from projects.services import goals as services
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def membership_of(user, project) -> Membership:
    return Membership.objects.get(project=project, user=user)


def make_goal(project, statement="Stock figures can be trusted", **fields) -> Goal:
    return services.goal_create(project=project, statement=statement, **fields)


def make_kpi(goal, name="Inventory record accuracy", baseline="92", target="99.5", **fields) -> KPI:
    return services.kpi_create(goal=goal, name=name, baseline=Decimal(baseline), target=Decimal(target), **fields)


def measure(kpi, day: date, value: str) -> Measurement:
    return services.measurement_create(kpi=kpi, date=day, value=Decimal(value))


def goal_data(**overrides) -> dict:
    data = {"statement": "Close the books in 2 days instead of 5", "description": "", "owner": "", "due": ""}
    data.update(overrides)
    return data


def kpi_data(**overrides) -> dict:
    data = {
        "name": "Month-end close",
        "unit": "working days",
        "direction": "lower",
        "frequency": "monthly",
        "baseline": "5",
        "baseline_date": "2026-06-30",
        "target": "2",
        "formula": "",
        "source_system": "",
    }
    data.update(overrides)
    return data


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


# --- The list --------------------------------------------------------------------------------


def test_the_empty_list_says_to_record_drivers_first(project, editor):
    response = client_for(editor).get(url("goal-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="goals-empty"' in content
    assert "Start with why: record the drivers" in content
    assert url("driver-create") in content
    assert 'data-testid="goals-tabs"' in content


def test_with_drivers_the_empty_list_asks_for_a_goal(project, editor):
    services.driver_create(project=project, category="scale", statement="Too many SKUs")

    content = client_for(editor).get(url("goal-list")).content.decode()

    assert "Now set a specific, measurable goal" in content
    assert url("goal-create") in content


def test_a_viewer_sees_the_list_without_buttons(project, viewer):
    goal = make_goal(project)

    content = client_for(viewer).get(url("goal-list")).content.decode()

    assert goal.statement in content
    assert url("goal-create") not in content
    assert url("kpi-library", goal_id=goal.pk) not in content
    assert url("kpi-create", goal_id=goal.pk) not in content


def test_the_list_shows_owner_due_date_drivers_and_kpis(project, editor):
    driver = services.driver_create(project=project, category="functional_gap", statement="No batch tracking")
    goal = make_goal(project, owner=membership_of(editor, project), due=date(2027, 3, 31), drivers=[driver])
    kpi = make_kpi(goal, unit="%")
    measure(kpi, date(2026, 7, 31), "93.1000")

    response = client_for(editor).get(url("goal-list"))

    content = response.content.decode()
    assert escape(editor.get_full_name()) in content
    assert "2027-03-31" in content
    assert url("driver-detail", driver_id=driver.pk) in content
    assert url("kpi-detail", kpi_id=kpi.pk) in content
    assert "92 → 99.5" in content  # no trailing zeros
    assert "93.1<" in content
    assert "2026-07-31" in content
    assert url("kpi-library", goal_id=goal.pk) in content
    assert url("kpi-create", goal_id=goal.pk) in content


def test_the_list_shows_attainment_and_state_of_on_track_and_off_track_kpis(project, viewer):
    today = timezone.localdate()
    goal = make_goal(project, due=today + timedelta(days=100))
    start = today - timedelta(days=100)  # half the time used
    on_track = make_kpi(goal, name="Accuracy", baseline="90", target="100", baseline_date=start)
    measure(on_track, today, "96")  # 60 % attained
    off_track = make_kpi(goal, name="Close days", baseline="5", target="2", direction="lower", baseline_date=start)
    measure(off_track, today, "4.7")  # 10 % attained

    response = client_for(viewer).get(url("goal-list"))

    row = response.context["rows"][0]
    states = {item.kpi.name: (item.progress.state, item.progress.percent) for item in row.kpis}
    assert states == {"Accuracy": ("on_track", 60), "Close days": ("off_track", 10)}
    assert row.state == "off_track"  # the goal takes the worst
    content = response.content.decode()
    assert 'data-state="on_track"' in content
    assert 'data-state="off_track"' in content
    assert "60&nbsp;%" in content
    assert "On track" in content and "Off track" in content


def test_a_kpi_without_measurements_has_no_data(project, viewer):
    make_kpi(make_goal(project))

    content = client_for(viewer).get(url("goal-list")).content.decode()

    assert 'data-state="no_data"' in content
    assert "No data yet" in content


def add_goals_with_kpis(project, n: int) -> None:
    driver = services.driver_create(project=project, category="scale", statement="Growth")
    owner = Membership.objects.filter(project=project).first()
    for i in range(n):
        goal = make_goal(project, statement=f"Goal {i}", owner=owner, drivers=[driver])
        for k in range(2):
            kpi = make_kpi(goal, name=f"KPI {i}.{k}")
            measure(kpi, date(2026, 7, 31), "93")


def test_the_list_costs_the_same_queries_for_2_and_6_goals(project, owner):
    client = client_for(owner)
    add_goals_with_kpis(project, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("goal-list")).status_code == 200
    add_goals_with_kpis(project, 4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("goal-list"))
    assert len(response.context["rows"]) == 6
    assert len(large) == len(small) == 6


# --- Creating, editing and deleting goals ----------------------------------------------------


def test_an_editor_creates_a_goal_with_an_owner_and_drivers(project, editor, owner):
    driver = services.driver_create(project=project, category="architecture", statement="No interfaces")
    owner_membership = membership_of(owner, project)

    response = client_for(editor).post(
        url("goal-create"),
        goal_data(description="Finance waits", owner=owner_membership.pk, due="2027-01-31", drivers=[driver.pk]),
    )

    goal = Goal.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == url("goal-detail", goal_id=goal.pk)
    assert goal.owner == owner_membership
    assert goal.due == date(2027, 1, 31)
    assert list(goal.drivers.all()) == [driver]


def test_the_owner_and_drivers_offered_are_this_projects_only(project, editor, outsider):
    other = ProjectFactory(code="ELSE")
    foreign_member = MembershipFactory(project=other, user=UserFactory(username="stranger"))
    foreign_driver = services.driver_create(project=other, category="scale", statement="Their driver")
    own_driver = services.driver_create(project=project, category="scale", statement="Our driver")
    client = client_for(editor)

    form = client.get(url("goal-create")).context["form"]
    assert list(form.fields["owner"].queryset) == [membership_of(editor, project)]
    assert list(form.fields["drivers"].queryset) == [own_driver]

    response = client.post(url("goal-create"), goal_data(owner=foreign_member.pk, drivers=[foreign_driver.pk]))
    assert response.status_code == 200
    assert field_errors(response, "owner")
    assert field_errors(response, "drivers")
    assert not Goal.objects.exists()


def test_a_goal_needs_a_statement(project, editor):
    response = client_for(editor).post(url("goal-create"), goal_data(statement=""))

    assert response.status_code == 200
    assert field_errors(response, "statement")
    assert not Goal.objects.exists()


def test_an_editor_edits_a_goal_and_the_version_goes_up(project, editor):
    goal = make_goal(project)
    driver = services.driver_create(project=project, category="scale", statement="Growth")

    response = client_for(editor).post(
        url("goal-edit", goal_id=goal.pk),
        goal_data(statement="Trusted stock", version=goal.version, drivers=[driver.pk]),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.statement == "Trusted stock"
    assert goal.version == 2
    assert list(goal.drivers.all()) == [driver]


def test_a_stale_goal_save_is_refused_and_keeps_what_was_typed(project, editor, owner):
    goal = make_goal(project, statement="Original")
    opened_version = goal.version
    client_for(owner).post(url("goal-edit", goal_id=goal.pk), goal_data(statement="Owner's text", version=goal.version))

    response = client_for(editor).post(
        url("goal-edit", goal_id=goal.pk), goal_data(statement="Editor's text", version=opened_version)
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "after you opened it. Your changes were not saved." in content
    assert 'value="Editor&#x27;s text"' in content
    goal.refresh_from_db()
    assert goal.statement == "Owner's text"
    # The breadcrumbs still name the stored goal, not the refused text.
    assert response.context["goal"].statement == "Owner's text"


def test_the_goal_detail_shows_description_kpis_drivers_and_history(project, viewer, editor):
    driver = services.driver_create(project=project, category="scale", statement="Growth")
    goal = make_goal(project, description="Finance **waits** <script>x</script>", drivers=[driver])
    kpi = make_kpi(goal)
    measure(kpi, date(2026, 7, 31), "93")

    response = client_for(viewer).get(url("goal-detail", goal_id=goal.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<strong>waits</strong>" in content
    assert "<script>x" not in content
    assert url("kpi-chart", kpi_id=kpi.pk) in content
    assert url("driver-detail", driver_id=driver.pk) in content
    labels = {(e.model_label, e.action) for e in response.context["page_obj"]}
    assert {("goal", "+"), ("KPI", "+"), ("measurement", "+")} <= labels
    assert url("goal-edit", goal_id=goal.pk) not in content
    editor_page = client_for(editor).get(url("goal-detail", goal_id=goal.pk)).content.decode()
    assert url("goal-edit", goal_id=goal.pk) in editor_page


def test_another_projects_goal_is_404(project, editor):
    other = ProjectFactory(code="ELSE")
    foreign = make_goal(other)

    assert client_for(editor).get(url("goal-detail", goal_id=foreign.pk)).status_code == 404
    assert client_for(editor).post(url("goal-delete", goal_id=foreign.pk)).status_code == 404
    assert Goal.objects.filter(pk=foreign.pk).exists()


def test_deleting_a_goal_asks_first_then_removes_it_with_its_kpis(project, editor):
    goal = make_goal(project)
    kpi = make_kpi(goal)
    measure(kpi, date(2026, 7, 31), "93")
    client = client_for(editor)

    confirm = client.get(url("goal-delete", goal_id=goal.pk))
    assert "Its 1 KPI and 1 measurement are deleted with it." in confirm.content.decode()
    assert Goal.objects.exists()

    response = client.post(url("goal-delete", goal_id=goal.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("goal-list")
    assert "deleted. The history keeps it." in response.content.decode()
    assert not Goal.objects.exists() and not KPI.objects.exists() and not Measurement.objects.exists()


# --- Permissions -----------------------------------------------------------------------------


@pytest.fixture
def items(project):
    goal = make_goal(project)
    kpi = make_kpi(goal)
    measurement = measure(kpi, date(2026, 7, 31), "93")
    return {"goal": goal, "kpi": kpi, "measurement": measurement}


def write_urls(items) -> list[str]:
    goal, kpi, m = items["goal"].pk, items["kpi"].pk, items["measurement"].pk
    return [
        url("goal-create"),
        url("goal-edit", goal_id=goal),
        url("goal-delete", goal_id=goal),
        url("kpi-library", goal_id=goal),
        url("kpi-create", goal_id=goal),
        url("kpi-edit", kpi_id=kpi),
        url("kpi-delete", kpi_id=kpi),
        url("measurement-create", kpi_id=kpi),
        url("measurement-import", kpi_id=kpi),
        url("measurement-edit", kpi_id=kpi, measurement_id=m),
        url("measurement-delete", kpi_id=kpi, measurement_id=m),
    ]


def test_a_viewer_gets_403_on_every_write_view_and_nothing_changes(project, viewer, items):
    client = client_for(viewer)
    for target in write_urls(items):
        assert client.get(target).status_code == 403, target
        assert client.post(target, {"statement": "x", "date": "2026-08-31", "value": "1"}).status_code == 403, target
    assert Goal.objects.count() == KPI.objects.count() == Measurement.objects.count() == 1


def test_a_viewer_reads_every_goal_page(project, viewer, items):
    client = client_for(viewer)
    for target in [
        url("goal-list"),
        url("goal-detail", goal_id=items["goal"].pk),
        url("kpi-detail", kpi_id=items["kpi"].pk),
        url("kpi-chart", kpi_id=items["kpi"].pk),
    ]:
        assert client.get(target).status_code == 200, target


def test_an_outsider_sees_nothing(project, outsider, items):
    client = client_for(outsider)
    assert client.get(url("goal-list")).status_code == 404
    assert client.get(url("kpi-detail", kpi_id=items["kpi"].pk)).status_code == 404


# --- KPIs and the library --------------------------------------------------------------------


def test_the_library_lists_every_entry_with_an_add_button(project, editor):
    from projects.kpi_library import LIBRARY

    goal = make_goal(project)

    response = client_for(editor).get(url("kpi-library", goal_id=goal.pk))

    content = response.content.decode()
    for entry in LIBRARY:
        assert str(entry.name) in content
        assert f"{url('kpi-create', goal_id=goal.pk)}?library={entry.key}" in content
    assert "APQC; cycle-counting practice (ABC tolerances)." in content
    assert "Higher is better" in content and "Lower is better" in content


def test_a_library_kpi_is_prefilled_and_saved_with_its_key(project, editor):
    goal = make_goal(project)
    client = client_for(editor)

    form = client.get(url("kpi-create", goal_id=goal.pk) + "?library=inventory_record_accuracy").context["form"]
    assert form.initial["name"] == "Inventory record accuracy"
    assert form.initial["unit"] == "%"
    assert form.initial["direction"] == "higher"
    assert form.initial["library_key"] == "inventory_record_accuracy"
    assert "Source: APQC" in form.initial["formula"]

    data = {**form.initial, "baseline": "92", "target": "99.5", "baseline_date": "", "source_system": ""}
    response = client.post(url("kpi-create", goal_id=goal.pk), data)

    kpi = KPI.objects.get(goal=goal)
    assert response.status_code == 302
    assert response["Location"] == url("kpi-detail", kpi_id=kpi.pk)
    assert kpi.library_key == "inventory_record_accuracy"
    assert (kpi.baseline, kpi.target) == (Decimal(92), Decimal("99.5"))


def test_an_unknown_library_key_goes_back_to_the_library_with_a_message(project, editor):
    goal = make_goal(project)

    response = client_for(editor).get(url("kpi-create", goal_id=goal.pk) + "?library=no_such_kpi", follow=True)

    assert response.redirect_chain[-1][0] == url("kpi-library", goal_id=goal.pk)
    assert "There is no KPI library entry called “no_such_kpi”." in response.content.decode()


def test_an_unknown_library_key_is_refused_on_save(project, editor):
    goal = make_goal(project)

    response = client_for(editor).post(url("kpi-create", goal_id=goal.pk), kpi_data(library_key="forged"))

    assert response.status_code == 200
    assert "There is no KPI library entry called “forged”." in response.content.decode()
    assert not KPI.objects.exists()


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "message"),
    [
        ("higher", "92", "92", "The target equals the baseline, so progress cannot be measured."),
        ("higher", "92", "90", "Higher is better, so the target must be above the baseline (92)."),
        ("lower", "5", "6.5", "Lower is better, so the target must be below the baseline (5)."),
    ],
)
def test_a_meaningless_target_is_refused_next_to_the_target(project, editor, direction, baseline, target, message):
    goal = make_goal(project)

    response = client_for(editor).post(
        url("kpi-create", goal_id=goal.pk), kpi_data(direction=direction, baseline=baseline, target=target)
    )

    assert response.status_code == 200
    assert any(message in e for e in field_errors(response, "target"))
    assert response.context["form"].non_field_errors() == []
    content = response.content.decode()
    assert message in content
    assert f'value="{target}"' in content  # what was typed stays
    assert not KPI.objects.exists()


def test_a_kpi_is_edited_with_its_version(project, editor):
    kpi = make_kpi(make_goal(project))
    client = client_for(editor)

    form = client.get(url("kpi-edit", kpi_id=kpi.pk)).context["form"]
    assert form.initial["baseline"] == "92" and form.initial["target"] == "99.5"
    assert "library_key" not in form.fields

    response = client.post(
        url("kpi-edit", kpi_id=kpi.pk),
        kpi_data(name="Accuracy", direction="higher", baseline="92", target="99", version=kpi.version),
    )

    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.target, kpi.version) == ("Accuracy", Decimal(99), 2)


def test_a_stale_kpi_save_is_refused(project, editor, owner):
    kpi = make_kpi(make_goal(project))
    services.kpi_update(kpi=KPI.objects.get(pk=kpi.pk), expected_version=1, name="Changed by the owner")

    response = client_for(editor).post(
        url("kpi-edit", kpi_id=kpi.pk),
        kpi_data(name="Typed by the editor", direction="higher", baseline="92", target="99", version=1),
    )

    assert response.status_code == 200
    assert "Your changes were not saved." in response.content.decode()
    assert 'value="Typed by the editor"' in response.content.decode()
    kpi.refresh_from_db()
    assert kpi.name == "Changed by the owner"


def test_deleting_a_kpi_asks_first(project, editor):
    kpi = make_kpi(make_goal(project))
    measure(kpi, date(2026, 7, 31), "93")
    client = client_for(editor)

    assert "Its 1 measurement goes with it." in client.get(url("kpi-delete", kpi_id=kpi.pk)).content.decode()
    response = client.post(url("kpi-delete", kpi_id=kpi.pk))

    assert response["Location"] == url("goal-detail", goal_id=kpi.goal_id)
    assert not KPI.objects.exists() and not Measurement.objects.exists()


def test_the_kpi_page_shows_definition_latest_value_chart_and_measurements(project, viewer):
    project.target_go_live = date(2027, 3, 31)
    project.save()
    kpi = make_kpi(make_goal(project), unit="%", formula="Counted within tolerance ÷ counted", source_system="WMS")
    measure(kpi, date(2026, 7, 31), "93.1")
    services.measurement_create(kpi=kpi, date=date(2026, 8, 31), value=Decimal("94.6"), source="Cycle count")

    response = client_for(viewer).get(url("kpi-detail", kpi_id=kpi.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Counted within tolerance ÷ counted" in content
    assert "WMS" in content
    assert 'data-testid="latest-value">94.6' in content
    assert "Cycle count" in content
    assert content.count('class="dot reactive') == 2  # the chart is inline, one dot per value
    assert "Go-live 2027-03-31" in content
    assert 'data-state="' in content
    assert 'data-testid="measurement-form"' not in content  # viewers do not record values
    assert url("measurement-edit", kpi_id=kpi.pk, measurement_id=kpi.measurements.first().pk) not in content


def test_the_chart_is_served_as_svg(project, viewer):
    kpi = make_kpi(make_goal(project))
    measure(kpi, date(2026, 7, 31), "93.1")

    response = client_for(viewer).get(url("kpi-chart", kpi_id=kpi.pk))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response.content.startswith(b"<svg")
    assert b"Target 99.5" in response.content


# --- Measurements ----------------------------------------------------------------------------


def test_an_editor_records_a_measurement(project, editor):
    kpi = make_kpi(make_goal(project))

    response = client_for(editor).post(
        url("measurement-create", kpi_id=kpi.pk),
        {"date": "2026-03-31", "value": "93.25", "source": "Cycle count", "note": "zone A"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("kpi-detail", kpi_id=kpi.pk)
    assert "Recorded 93.25 for 2026-03-31." in response.content.decode()
    m = kpi.measurements.get()
    assert (m.date, m.value, m.source, m.note) == (date(2026, 3, 31), Decimal("93.25"), "Cycle count", "zone A")


def test_a_second_value_for_a_date_is_refused_with_a_clear_message(project, editor):
    kpi = make_kpi(make_goal(project))
    measure(kpi, date(2026, 3, 31), "93")

    response = client_for(editor).post(
        url("measurement-create", kpi_id=kpi.pk), {"date": "2026-03-31", "value": "95", "note": "typed note"}
    )

    assert response.status_code == 200
    errors = response.context["measurement_form"].errors["date"]
    assert any("2026-03-31 already has a value" in e for e in errors)
    content = response.content.decode()
    assert "2026-03-31 already has a value (93)" in content
    assert 'value="typed note"' in content
    assert response.context["kpi"] == kpi  # the KPI page again, with the errors
    assert kpi.measurements.count() == 1


def test_a_value_that_is_not_a_number_is_refused_next_to_the_field(project, editor):
    kpi = make_kpi(make_goal(project))

    response = client_for(editor).post(url("measurement-create", kpi_id=kpi.pk), {"date": "2026-03-31", "value": "abc"})

    assert response.status_code == 200
    assert response.context["measurement_form"].errors["value"]
    assert 'value="2026-03-31"' in response.content.decode()
    assert not kpi.measurements.exists()


def test_a_measurement_is_edited_with_its_version(project, editor):
    kpi = make_kpi(make_goal(project))
    m = measure(kpi, date(2026, 3, 31), "93")
    client = client_for(editor)
    target = url("measurement-edit", kpi_id=kpi.pk, measurement_id=m.pk)

    assert client.get(target).context["form"].initial["value"] == "93"
    response = client.post(target, {"date": "2026-03-31", "value": "93.5", "source": "", "note": "", "version": 1})

    assert response["Location"] == url("kpi-detail", kpi_id=kpi.pk)
    m.refresh_from_db()
    assert (m.value, m.version) == (Decimal("93.5"), 2)

    stale = client.post(target, {"date": "2026-03-31", "value": "99", "source": "", "note": "", "version": 1})
    assert stale.status_code == 200
    assert "Your changes were not saved." in stale.content.decode()
    m.refresh_from_db()
    assert m.value == Decimal("93.5")


def test_moving_a_measurement_onto_a_taken_date_is_refused(project, editor):
    kpi = make_kpi(make_goal(project))
    measure(kpi, date(2026, 3, 31), "93")
    m = measure(kpi, date(2026, 4, 30), "94")

    response = client_for(editor).post(
        url("measurement-edit", kpi_id=kpi.pk, measurement_id=m.pk),
        {"date": "2026-03-31", "value": "94", "version": 1},
    )

    assert any("2026-03-31 already has a value" in e for e in field_errors(response, "date"))
    m.refresh_from_db()
    assert m.date == date(2026, 4, 30)


def test_deleting_a_measurement_asks_first(project, editor):
    kpi = make_kpi(make_goal(project))
    m = measure(kpi, date(2026, 3, 31), "93")
    client = client_for(editor)
    target = url("measurement-delete", kpi_id=kpi.pk, measurement_id=m.pk)

    assert "Delete the value 93 of 2026-03-31" in client.get(target).content.decode()
    response = client.post(target)

    assert response["Location"] == url("kpi-detail", kpi_id=kpi.pk)
    assert not kpi.measurements.exists()


def test_a_measurement_of_another_kpi_is_404(project, editor):
    goal = make_goal(project)
    kpi, other = make_kpi(goal), make_kpi(goal, name="Other")
    m = measure(other, date(2026, 3, 31), "93")

    assert client_for(editor).get(url("measurement-edit", kpi_id=kpi.pk, measurement_id=m.pk)).status_code == 404
