"""The trial load pages: the loads with the error trend, a load's objects in load order, and one object's
reconciliation (control figures with tolerances, exceptions, the data steward's signature)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from projects.models import DataSignOff, Measure, Membership, Reconciliation, ReconciliationException, TrialLoad
from projects.services import migration as svc
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

FAIL, PASS, PENDING = Reconciliation.Verdict.FAIL, Reconciliation.Verdict.PASS, Reconciliation.Verdict.PENDING


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def recon_url(load, data_object, name="reconciliation", **kwargs) -> str:
    return url(name, load_id=load.pk, object_id=data_object.pk, **kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def figure(name="Record count", source="1000", target="1000", tolerance="0", kind="absolute") -> dict:
    return {
        "form": "figure",
        "name": name,
        "source_value": source,
        "target_value": target,
        "tolerance": tolerance,
        "tolerance_kind": kind,
    }


def set_figure(load, data_object, name, source, target, tolerance=0, kind="absolute") -> Measure:
    reconciliation = svc.reconciliation_for(load=load, data_object=data_object)
    return svc.measure_set(
        reconciliation=reconciliation,
        name=name,
        source_value=Decimal(source),
        target_value=Decimal(target),
        tolerance=Decimal(tolerance),
        tolerance_kind=kind,
    )


def add_exception(load, data_object, record_key="10-2031-0042", disposition="open") -> ReconciliationException:
    reconciliation = svc.reconciliation_for(load=load, data_object=data_object)
    return svc.reconciliation_exception_add(
        reconciliation=reconciliation,
        record_key=record_key,
        description="Missing in the target",
        disposition=disposition,
    )


def sign(load, data_object, user, comment="") -> DataSignOff:
    reconciliation = svc.reconciliation_for(load=load, data_object=data_object)
    return svc.data_sign(reconciliation=reconciliation, user=user, password=PASSWORD, comment=comment)


def row_html(html: str, attribute: str, value: str) -> str:
    """The <tr> whose `attribute` is `value`."""
    match = re.search(rf'<tr[^>]*{attribute}="{re.escape(value)}".*?</tr>', html, re.DOTALL)
    assert match, f"no row with {attribute}={value!r}"
    return match.group(0)


def cell_number(row: str, figure_name: str) -> int:
    match = re.search(rf'data-figure="{figure_name}"><span[^>]*>(\d+)</span>|data-figure="{figure_name}">(\d+)<', row)
    assert match, f"no cell {figure_name}"
    return int(match.group(1) or match.group(2))


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def steward(project, team):
    return Membership.objects.get(project=project, user=team["editor"])


@pytest.fixture
def objects(project, steward):
    """Names chosen so that alphabetical order is not load order."""
    customers = svc.data_object_create(project=project, name="Customers", steward=steward)
    products = svc.data_object_create(project=project, name="Products", steward=steward)
    warehouses = svc.data_object_create(project=project, name="Warehouses", steward=steward)
    orders = svc.data_object_create(
        project=project, name="Open sales orders", nature="dynamic", depends_on=[customers, products]
    )
    stock = svc.data_object_create(
        project=project, name="Stock", nature="dynamic", depends_on=[products, warehouses], steward=steward
    )
    return {"customers": customers, "products": products, "warehouses": warehouses, "orders": orders, "stock": stock}


@pytest.fixture
def load(project):
    return svc.trial_load_create(project=project, name="Trial load 1", environment="QAS", loaded_on=date(2026, 9, 1))


# --- The list with the trend ----------------------------------------------------------------------------------


def test_load_list_shows_per_load_figures_and_the_error_trend(project, team, objects, load):
    products, stock = objects["products"], objects["stock"]
    set_figure(load, products, "Record count", 1200, 1200)
    set_figure(load, stock, "Record count", 5000, 4990)  # outside
    set_figure(load, stock, "Stock value", 100000, 99000, 0.5, "percent")  # outside: 1,000 > 500
    set_figure(load, objects["customers"], "Record count", 800, 800)
    svc.reconciliation_for(load=load, data_object=objects["warehouses"])  # pending
    add_exception(load, stock, "A-1")
    add_exception(load, stock, "A-2")
    add_exception(load, stock, "A-3", disposition="accepted")
    second = svc.trial_load_create(project=project, name="Trial load 2")
    set_figure(second, products, "Record count", 1200, 1200)
    set_figure(second, stock, "Record count", 5000, 4999, 2)
    add_exception(second, stock, "B-1")
    sign(second, stock, team["editor"])

    response = client_for(team["viewer"]).get(url("load-list"))
    assert response.status_code == 200
    html = response.content.decode()
    first_row, second_row = row_html(html, "data-load", "1"), row_html(html, "data-load", "2")
    assert "Trial load 1" in first_row and "QAS" in first_row and "2026-09-01" in first_row
    assert [cell_number(first_row, f) for f in ("pass", "fail", "pending", "outside", "open-exceptions")] == [
        2,
        1,
        1,
        2,
        2,
    ]
    assert cell_number(first_row, "signatures") == 0
    assert [cell_number(second_row, f) for f in ("pass", "fail", "pending", "outside", "open-exceptions")] == [
        2,
        0,
        0,
        0,
        1,
    ]
    assert cell_number(second_row, "signatures") == 1

    trend = re.search(r'data-testid="error-trend".*?</svg>', html, re.DOTALL).group(0)
    assert "<svg" in trend and "<script" not in trend
    assert "Noto Sans CJK SC" in trend  # the font family is set explicitly
    for label in ("#1 Trial load 1", "#2 Trial load 2", "Failing objects", "Control figures outside tolerance"):
        assert label in trend
    assert "Open exceptions" in trend
    # Per series and load, in order: failing objects 1, 0; figures outside 2, 0; open exceptions 2, 1.
    assert re.findall(r'<desc class="value">(\d+)</desc>', trend) == ["1", "0", "2", "0", "2", "1"]


def test_an_empty_list_invites_the_first_load(team, project):
    response = client_for(team["editor"]).get(url("load-list"))
    assert response.status_code == 200
    assert b"No trial loads yet" in response.content
    assert b'data-testid="error-trend"' not in response.content
    assert url("load-create").encode() in response.content


def test_creating_a_load_numbers_it_and_editing_is_versioned(team, project):
    client = client_for(team["editor"])
    response = client.post(
        url("load-create"), {"name": "Trial load 1", "environment": "QAS", "loaded_on": "2026-09-01"}
    )
    load = TrialLoad.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == url("load-detail", load_id=load.pk)
    assert load.number == 1 and load.loaded_on == date(2026, 9, 1)
    client.post(url("load-create"), {"name": "Trial load 2"})
    assert list(project.trial_loads.values_list("number", flat=True)) == [1, 2]

    edit = url("load-edit", load_id=load.pk)
    assert client.get(edit).status_code == 200
    data = {"name": "Mock load 1", "environment": "QAS 200", "loaded_on": "2026-09-02", "notes": "", "version": 1}
    assert client.post(edit, data).status_code == 302
    load.refresh_from_db()
    assert (load.name, load.environment, load.version) == ("Mock load 1", "QAS 200", 2)

    stale = client.post(edit, {**data, "name": "Someone else's name"})  # still version 1
    assert stale.status_code == 200
    assert "after you opened it" in stale.content.decode()
    load.refresh_from_db()
    assert load.name == "Mock load 1"
    assert load.history.count() == 2


def test_a_load_without_a_name_is_refused(team, project):
    response = client_for(team["editor"]).post(url("load-create"), {"name": ""})
    assert response.status_code == 200
    assert not TrialLoad.objects.exists()


# --- A load's objects in load order ------------------------------------------------------------------------------


def test_load_detail_lists_every_object_in_load_order_with_its_verdict(team, project, objects, load):
    set_figure(load, objects["stock"], "Record count", 5000, 4990)
    set_figure(load, objects["products"], "Record count", 1200, 1200)
    add_exception(load, objects["stock"], "A-1")
    add_exception(load, objects["stock"], "A-2", disposition="fix_source")
    sign(load, objects["products"], team["editor"])

    response = client_for(team["viewer"]).get(url("load-detail", load_id=load.pk))
    assert response.status_code == 200
    html = response.content.decode()
    shown = re.findall(r'<tr data-object="([^"]+)" data-verdict="(\w+)"', html)
    assert [name for name, _v in shown] == [o.name for o in svc.project_load_order(project)]
    assert [name for name, _v in shown] == ["Customers", "Products", "Warehouses", "Open sales orders", "Stock"]
    assert dict(shown) == {
        "Customers": PENDING,
        "Products": PASS,
        "Warehouses": PENDING,
        "Open sales orders": PENDING,
        "Stock": FAIL,
    }
    stock_row = row_html(html, "data-object", "Stock")
    assert '1</span> <span class="text-secondary">/ 2' in stock_row  # one open of two exceptions
    assert "not signed" in stock_row
    assert recon_url(load, objects["stock"]) in stock_row
    products_row = row_html(html, "data-object", "Products")
    assert team["editor"].get_full_name() in products_row and "not signed" not in products_row


def _objects(project, count: int, steward) -> None:
    previous = None
    for number in range(count):
        previous = svc.data_object_create(
            project=project, name=f"Object {number:02}", steward=steward, depends_on=[previous] if previous else []
        )


def _reconcile_all(load, team) -> None:
    for data_object in load.project.data_objects.all():
        set_figure(load, data_object, "Record count", 10, 9)
        add_exception(load, data_object)
        sign(load, data_object, team["editor"], comment="Known gap")


def test_load_detail_query_count_does_not_grow_with_the_objects(team, project, steward):
    load = svc.trial_load_create(project=project, name="Trial load 1")
    _objects(project, 3, steward)
    _reconcile_all(load, team)
    client = client_for(team["viewer"])
    client.get(url("load-detail", load_id=load.pk))  # warm up
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("load-detail", load_id=load.pk)).status_code == 200

    other = ProjectFactory(code="BIG")
    MembershipFactory(project=other, user=team["viewer"], role="viewer")
    big_steward = MembershipFactory(project=other, user=team["editor"], role="editor")
    big_load = svc.trial_load_create(project=other, name="Trial load 1")
    _objects(other, 10, big_steward)
    _reconcile_all(big_load, team)
    big_url = reverse("projects:load-detail", kwargs={"project_code": "BIG", "load_id": big_load.pk})
    with CaptureQueriesContext(connection) as large:
        response = client.get(big_url)
    assert response.content.decode().count("data-object=") == 10
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_load_list_query_count_does_not_grow_with_the_loads(team, project, objects):
    client = client_for(team["viewer"])
    svc.trial_load_create(project=project, name="Trial load 1")
    client.get(url("load-list"))
    with CaptureQueriesContext(connection) as one:
        client.get(url("load-list"))
    for number in range(2, 6):
        load = svc.trial_load_create(project=project, name=f"Trial load {number}")
        set_figure(load, objects["stock"], "Record count", 10, 9)
        add_exception(load, objects["stock"])
    with CaptureQueriesContext(connection) as five:
        client.get(url("load-list"))
    assert len(five) == len(one)


# --- Control figures --------------------------------------------------------------------------------------------


def test_looking_at_a_reconciliation_creates_nothing(team, objects, load):
    response = client_for(team["editor"]).get(recon_url(load, objects["stock"]))
    assert response.status_code == 200
    assert response.context["reconciliation"].verdict == PENDING
    assert not Reconciliation.objects.exists()


def test_figures_set_the_verdict_with_absolute_and_percent_tolerances(team, objects, load):
    client = client_for(team["editor"])
    page = recon_url(load, objects["stock"])

    response = client.post(page, figure("Record count", "1000", "1000"))
    assert response.status_code == 302 and response["Location"].endswith("#figures")
    reconciliation = Reconciliation.objects.get(load=load, data_object=objects["stock"])
    assert reconciliation.verdict == PASS

    # 1 % of 100,000 allows 1,000: exactly at the edge passes.
    client.post(page, figure("Stock value", "100000", "101000", "1", "percent"))
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == PASS
    client.post(page, figure("Open PO quantity", "500", "495", "2", "absolute"))  # 5 off, 2 allowed
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == FAIL

    html = client.get(page).content.decode()
    badge = re.search(r'data-testid="reconciliation-verdict">(.*?)</div>', html, re.DOTALL).group(1)
    assert 'data-verdict="fail"' in badge and "Fail" in badge
    po = row_html(html, "data-figure", "Open PO quantity")
    assert 'data-within="no"' in po and "✗" in po and "-5" in po and "± 2" in po
    value = row_html(html, "data-figure", "Stock value")
    assert 'data-within="yes"' in value and "100,000" in value and "101,000" in value and "+1,000" in value
    assert "1 %" in value and "± 1,000" in value

    # The same name changes the figure instead of adding another.
    client.post(page, figure("Open PO quantity", "500", "499", "2", "absolute"))
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == PASS
    assert reconciliation.measures.count() == 3
    assert reconciliation.measures.get(name="Open PO quantity").target_value == Decimal("499")

    client.post(page, figure("Stock value", "100000", "101000.01", "1", "percent"))  # just past 1 %
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == FAIL


def test_a_bad_figure_is_refused_and_nothing_is_created(team, objects, load):
    client = client_for(team["editor"])
    page = recon_url(load, objects["stock"])
    response = client.post(page, figure(source="many"))
    assert response.status_code == 200
    assert response.context["measure_form"].errors["source_value"]
    response = client.post(page, figure(tolerance="-1"))
    assert response.status_code == 200
    assert "cannot be negative" in response.content.decode()
    assert not Reconciliation.objects.exists()


def test_the_change_link_fills_the_form_with_the_figure(team, objects, load):
    measure = set_figure(load, objects["stock"], "Stock value", "2500000.5", "2500000.5", "0.5", "percent")
    response = client_for(team["editor"]).get(recon_url(load, objects["stock"]) + f"?change={measure.pk}")
    form = response.context["measure_form"]
    assert form.initial["name"] == "Stock value"
    assert form.initial["source_value"] == "2500000.5" and form.initial["tolerance"] == "0.5"


def test_deleting_a_figure_refreshes_the_verdict_and_is_refused_once_signed(team, objects, load):
    client = client_for(team["editor"])
    stock = objects["stock"]
    set_figure(load, stock, "Record count", 10, 10)
    wrong = set_figure(load, stock, "Stock value", 100, 90)
    reconciliation = Reconciliation.objects.get(load=load, data_object=stock)
    assert reconciliation.verdict == FAIL

    response = client.post(recon_url(load, stock, "measure-delete", measure_id=wrong.pk))
    assert response.status_code == 302
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == PASS and reconciliation.measures.count() == 1

    sign(load, stock, team["editor"])
    kept = reconciliation.measures.get()
    response = client.post(recon_url(load, stock, "measure-delete", measure_id=kept.pk), follow=True)
    assert "figures stay as they were signed" in " ".join(messages_of(response))
    assert Measure.objects.filter(pk=kept.pk).exists()
    # Nor can a figure be changed or added: the signature vouches for them.
    response = client.post(recon_url(load, stock), figure("Record count", "10", "8"))
    assert response.status_code == 200 and "figures stay as they were signed" in response.content.decode()
    kept.refresh_from_db()
    assert kept.target_value == Decimal(10)
    assert b'data-testid="figure-form"' not in client.get(recon_url(load, stock)).content


def test_a_figure_of_another_object_or_load_cannot_be_deleted_through_this_page(team, project, objects, load):
    measure = set_figure(load, objects["products"], "Record count", 10, 10)
    response = client_for(team["editor"]).post(
        recon_url(load, objects["stock"], "measure-delete", measure_id=measure.pk)
    )
    assert response.status_code == 404
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_figures_show_thousand_separators_in_chinese_too(team, objects, load):
    set_figure(load, objects["stock"], "库存金额", "1139600.25", "1139600.25")
    client = client_for(team["viewer"])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(recon_url(load, objects["stock"])).content.decode()
    assert "1,139,600.25" in row_html(html, "data-figure", "库存金额")


# --- Exceptions --------------------------------------------------------------------------------------------------


def test_adding_and_editing_an_exception(team, project, objects, load, steward):
    client = client_for(team["editor"])
    stock = objects["stock"]
    data = {
        "form": "exception",
        "record_key": "10-2031-0042/B7",
        "description": "Batch missing in the target",
        "owner": steward.pk,
        "disposition": "open",
    }
    response = client.post(recon_url(load, stock), data)
    assert response.status_code == 302 and response["Location"].endswith("#exceptions")
    exception = ReconciliationException.objects.get()
    assert (exception.record_key, exception.owner, exception.version) == ("10-2031-0042/B7", steward, 1)

    html = client.get(recon_url(load, stock)).content.decode()
    row = row_html(html, "data-exception", str(exception.pk))
    assert "10-2031-0042/B7" in row and "Batch missing in the target" in row and "Open" in row

    edit = recon_url(load, stock, "exception-edit", exception_id=exception.pk)
    assert client.get(edit).status_code == 200
    changed = {**data, "disposition": "fix_source", "version": 1}
    del changed["form"]
    assert client.post(edit, changed).status_code == 302
    exception.refresh_from_db()
    assert (exception.disposition, exception.version) == ("fix_source", 2)

    stale = client.post(edit, {**changed, "disposition": "accepted"})  # still version 1
    assert stale.status_code == 200 and "after you opened it" in stale.content.decode()
    exception.refresh_from_db()
    assert exception.disposition == "fix_source"


def test_a_bad_exception_is_refused(team, objects, load):
    client = client_for(team["editor"])
    stranger = MembershipFactory(project=ProjectFactory(code="ELSE"), user=UserFactory(username="stranger"))
    bad = {"form": "exception", "record_key": "X", "description": "", "owner": "", "disposition": "open"}
    response = client.post(recon_url(load, objects["stock"]), bad)
    assert response.status_code == 200 and response.context["exception_form"].errors["description"]
    response = client.post(recon_url(load, objects["stock"]), {**bad, "description": "Gone", "owner": stranger.pk})
    assert response.status_code == 200 and response.context["exception_form"].errors["owner"]
    assert not ReconciliationException.objects.exists()
    assert not Reconciliation.objects.exists()


def test_an_exception_is_edited_only_through_its_own_reconciliation(team, objects, load):
    exception = add_exception(load, objects["products"])
    other = recon_url(load, objects["stock"], "exception-edit", exception_id=exception.pk)
    assert client_for(team["editor"]).get(other).status_code == 404


# --- Sign-off -------------------------------------------------------------------------------------------------


def sign_url(load, data_object) -> str:
    return recon_url(load, data_object, "reconciliation-sign")


def test_the_steward_signs_with_the_password(team, objects, load):
    stock = objects["stock"]
    set_figure(load, stock, "Record count", 10, 10)
    client = client_for(team["editor"])
    page = client.get(recon_url(load, stock)).content.decode()
    assert 'data-testid="sign-form"' in page

    response = client.post(sign_url(load, stock), {"password": PASSWORD, "comment": ""})
    assert response.status_code == 302 and response["Location"].endswith("#sign-off")
    signoff = DataSignOff.objects.get()
    assert (signoff.signer, signoff.verdict) == (team["editor"], PASS)
    html = client.get(recon_url(load, stock)).content.decode()
    listed = re.search(r'data-testid="signoff-list".*?</ul>', html, re.DOTALL).group(0)
    assert team["editor"].get_full_name() in listed and 'data-verdict="pass"' in listed


def test_a_wrong_password_signs_nothing(team, objects, load):
    stock = objects["stock"]
    response = client_for(team["editor"]).post(sign_url(load, stock), {"password": "wrong", "comment": "typed"})
    assert response.status_code == 200
    assert "password is not right" in " ".join(messages_of(response))
    assert response.context["sign_form"]["comment"].value() == "typed"
    assert not DataSignOff.objects.exists()
    assert not Reconciliation.objects.exists()  # not even the empty reconciliation


def test_only_the_steward_signs(team, objects, load):
    stock = objects["stock"]
    set_figure(load, stock, "Record count", 10, 10)
    owner = client_for(team["owner"])
    page = owner.get(recon_url(load, stock)).content.decode()
    assert 'data-testid="sign-form"' not in page
    assert "the data steward of this object, signs it" in page
    response = owner.post(sign_url(load, stock), {"password": PASSWORD})
    assert "Only the data steward" in " ".join(messages_of(response))
    assert not DataSignOff.objects.exists()


def test_an_object_without_a_steward_says_so(team, objects, load):
    html = client_for(team["owner"]).get(recon_url(load, objects["orders"])).content.decode()
    assert "no data steward to sign it" in html


def test_a_failing_reconciliation_needs_a_comment_that_is_then_shown(team, objects, load):
    stock = objects["stock"]
    set_figure(load, stock, "Record count", 10, 8)
    client = client_for(team["editor"])
    response = client.post(sign_url(load, stock), {"password": PASSWORD, "comment": "  "})
    assert "say in the comment why" in " ".join(messages_of(response))
    assert not DataSignOff.objects.exists()

    client.post(sign_url(load, stock), {"password": PASSWORD, "comment": "Two dead batches, written off"})
    signoff = DataSignOff.objects.get()
    assert signoff.verdict == FAIL
    html = client.get(recon_url(load, stock)).content.decode()
    prominent = re.search(r'class="alert alert-warning[^"]*wb-signoff-comment".*?</div>\s*</div>', html, re.DOTALL)
    assert prominent and "Two dead batches, written off" in prominent.group(0)


def test_signing_a_reconciliation_without_figures_is_refused(team, objects, load):
    response = client_for(team["editor"]).post(sign_url(load, objects["stock"]), {"password": PASSWORD})
    assert "Enter the control figures" in " ".join(messages_of(response))
    assert not DataSignOff.objects.exists()


# --- Roles ------------------------------------------------------------------------------------------------------


def test_a_viewer_sees_no_forms_and_every_post_is_refused(team, objects, load):
    stock = objects["stock"]
    measure = set_figure(load, stock, "Record count", 10, 9)
    exception = add_exception(load, stock)
    viewer = client_for(team["viewer"])
    html = viewer.get(recon_url(load, stock)).content.decode()
    for testid in ("figure-form", "figure-delete", "exception-form", "sign-form"):
        assert f'data-testid="{testid}"' not in html
    assert recon_url(load, stock, "exception-edit", exception_id=exception.pk) not in html
    assert b'data-testid="load-create"' not in viewer.get(url("load-list")).content
    assert b'data-testid="load-edit"' not in viewer.get(url("load-detail", load_id=load.pk)).content

    posts = [
        (recon_url(load, stock), figure("Record count", "10", "10")),
        (recon_url(load, stock), {"form": "exception", "description": "x", "disposition": "open"}),
        (recon_url(load, stock, "measure-delete", measure_id=measure.pk), {}),
        (recon_url(load, stock, "exception-edit", exception_id=exception.pk), {"description": "x", "version": 1}),
        (sign_url(load, stock), {"password": PASSWORD}),
        (url("load-create"), {"name": "Trial load 2"}),
        (url("load-edit", load_id=load.pk), {"name": "Renamed", "version": 1}),
    ]
    for target, data in posts:
        assert viewer.post(target, data).status_code == 403, target
    measure.refresh_from_db()
    assert measure.target_value == Decimal(9)
    assert Measure.objects.count() == 1 and TrialLoad.objects.count() == 1 and not DataSignOff.objects.exists()


def test_outsiders_find_nothing(outsider_client, objects, load):
    assert outsider_client.get(url("load-list")).status_code == 404
    assert outsider_client.get(recon_url(load, objects["stock"])).status_code == 404


def test_another_projects_load_is_not_found(team, project, objects):
    other = ProjectFactory(code="ELSE")
    MembershipFactory(project=other, user=team["editor"], role="editor")
    foreign = svc.trial_load_create(project=other, name="Theirs")
    client = client_for(team["editor"])
    assert client.get(url("load-detail", load_id=foreign.pk)).status_code == 404
    assert client.get(recon_url(foreign, objects["stock"])).status_code == 404
