"""The vendor pages: vendors, offers, quote lines, knock-outs and the comparison settings, as people use them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from projects.models import Membership
from requirements import selection as svc
from requirements import services as requirement_services
from requirements.models import KnockOutCheck, Offer, QuoteLine, Selection, Vendor
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": "ACME", **kwargs})


def vendor_data(**overrides) -> dict:
    data = {"name": "Kingdee", "website": "", "contacts": "", "notes": ""}
    data.update(overrides)
    return data


def offer_data(**overrides) -> dict:
    data = {"product": "Cloud Galaxy", "deployment": "saas", "product_version": "", "notes": ""}
    data.update(overrides)
    return data


def quote_data(**overrides) -> dict:
    data = {"kind": "licence", "amount": "1000", "year_from": "1", "year_to": "", "note": ""}
    data.update(overrides)
    return data


def make_offer(project, vendor_name="Kingdee", product="Cloud Galaxy", deployment="saas") -> Offer:
    vendor = Vendor.objects.filter(project=project, name=vendor_name).first() or svc.vendor_create(
        project=project, name=vendor_name
    )
    return svc.offer_create(vendor=vendor, product=product, deployment=deployment)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Vendors


def test_an_editor_adds_edits_and_deletes_a_vendor(project, editor, vendor):
    client = client_for(editor)
    portal_member = Membership.objects.get(project=project, user=vendor)
    response = client.post(
        url("vendor-create"),
        vendor_data(
            name="Yonyou",
            website="https://yonyou.example",
            notes="**Big** in retail",
            portal_members=[portal_member.pk],
        ),
    )
    created = Vendor.objects.get(project=project, name="Yonyou")
    assert response.status_code == 302 and response["Location"] == url("vendor-detail", vendor_id=created.pk)
    assert list(created.portal_members.all()) == [portal_member]

    detail = page(client.get(url("vendor-detail", vendor_id=created.pk)))
    assert "<strong>Big</strong> in retail" in detail  # notes are Markdown
    assert vendor.username in detail  # the portal member is listed
    assert "Yonyou" in page(client.get(url("vendor-list")))

    response = client.post(
        url("vendor-edit", vendor_id=created.pk),
        vendor_data(name="Yonyou Network", contacts="Ms Li, 138 0000 0000", version=created.version),
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.contacts, created.version) == ("Yonyou Network", "Ms Li, 138 0000 0000", 2)
    assert list(created.portal_members.all()) == []  # unticked: no longer answers in the portal
    assert "Yonyou Network" in page(client.get(url("vendor-detail", vendor_id=created.pk)))  # and in its history

    response = client.post(url("vendor-delete", vendor_id=created.pk))
    assert response.status_code == 302 and response["Location"] == url("vendor-list")
    assert not Vendor.objects.filter(pk=created.pk).exists()


def test_only_vendor_role_members_can_be_portal_members(project, editor, viewer, vendor):
    client = client_for(editor)
    form_page = page(client.get(url("vendor-create")))
    assert vendor.username in form_page and viewer.username not in form_page
    viewer_membership = Membership.objects.get(project=project, user=viewer)
    response = client.post(url("vendor-create"), vendor_data(portal_members=[viewer_membership.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["portal_members"]
    assert not Vendor.objects.exists()


def test_a_duplicate_vendor_name_is_refused_and_what_was_typed_stays(project, editor):
    svc.vendor_create(project=project, name="Kingdee")
    response = client_for(editor).post(url("vendor-create"), vendor_data(contacts="Mr Wang"))
    body = page(response)
    assert "A vendor with this name exists already." in body
    assert "Mr Wang" in body
    assert Vendor.objects.count() == 1


def test_the_vendor_list_explains_the_first_steps_when_empty(project, editor, viewer):
    body = page(client_for(editor).get(url("vendor-list")))
    assert 'data-testid="vendors-empty"' in body
    assert url("vendor-create") in body
    assert url("criterion-list") in body and url("knockout-list") in body
    assert url("vendor-create") not in page(client_for(viewer).get(url("vendor-list")))


def test_the_vendor_list_shows_offers_and_counts(project, viewer):
    make_offer(project, "Kingdee", "Cloud Galaxy", "saas")
    make_offer(project, "Kingdee", "K/3 WISE", "on_premise")
    svc.vendor_create(project=project, name="Yonyou")
    body = page(client_for(viewer).get(url("vendor-list")))
    assert "2 vendors" in body and "2 offers" in body
    assert "Cloud Galaxy" in body and 'data-deployment="saas"' in body and 'data-deployment="on_premise"' in body
    assert "No offer yet" in body  # Yonyou


def test_vendor_delete_confirmation_counts_the_offers_deleted_with_it(project, editor):
    offer = make_offer(project)
    svc.offer_create(vendor=offer.vendor, product="K/3 WISE", deployment="on_premise")
    svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(500))
    body = page(client_for(editor).get(url("vendor-delete", vendor_id=offer.vendor.pk)))
    assert "2 offers" in body and "1 quote line" in body
    assert Vendor.objects.filter(pk=offer.vendor.pk).exists()  # asking deletes nothing


def test_a_vendor_with_incidents_is_not_deleted_on_the_page_nor_through_the_api(project, editor):
    from projects.services.sla import incident_create

    kingdee = svc.vendor_create(project=project, name="Kingdee")
    incident_create(project=project, title="Scanner app logs out during receiving", vendor=kingdee)
    client = client_for(editor)

    response = client.post(url("vendor-delete", vendor_id=kingdee.pk), follow=True)

    assert "“Kingdee” has 1 incident under its service levels" in page(response)
    api = client.delete(
        reverse("api-requirements:vendor-detail", kwargs={"project_code": "ACME", "vendor_id": kingdee.pk})
    )
    assert api.status_code == 400 and "1 incident" in str(api.json())
    assert Vendor.objects.filter(pk=kingdee.pk).exists()


def test_a_stale_vendor_save_is_refused_and_keeps_what_was_typed(project, editor, owner):
    kingdee = svc.vendor_create(project=project, name="Kingdee")
    opened = kingdee.version
    svc.vendor_update(vendor=Vendor.objects.get(pk=kingdee.pk), expected_version=opened, user=owner, notes="Owner's")
    response = client_for(editor).post(
        url("vendor-edit", vendor_id=kingdee.pk), vendor_data(notes="Editor's typed notes", version=opened)
    )
    body = page(response)
    assert "Your changes were not saved" in body
    assert owner.username in body or owner.get_full_name() in body  # who changed it meanwhile
    assert "Editor&#x27;s typed notes" in body  # the form keeps what was typed
    kingdee.refresh_from_db()
    assert kingdee.notes == "Owner's" and kingdee.version == opened + 1


# Offers


def test_an_editor_adds_edits_and_deletes_an_offer(project, editor):
    kingdee = svc.vendor_create(project=project, name="Kingdee")
    client = client_for(editor)
    response = client.post(url("offer-create", vendor_id=kingdee.pk), offer_data(product_version="V9"))
    offer = Offer.objects.get(vendor=kingdee)
    assert response["Location"] == url("offer-detail", offer_id=offer.pk)
    assert (offer.project, offer.deployment, offer.product_version) == (project, "saas", "V9")

    response = client.post(
        url("offer-edit", offer_id=offer.pk), offer_data(deployment="on_premise", version=offer.version)
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.deployment, offer.product_version) == ("on_premise", "")

    confirm = page(client.get(url("offer-delete", offer_id=offer.pk)))
    assert "0 quote lines" in confirm
    response = client.post(url("offer-delete", offer_id=offer.pk))
    assert response["Location"] == url("vendor-detail", vendor_id=kingdee.pk)
    assert not Offer.objects.exists()


def test_a_stale_offer_save_is_refused(project, editor, owner):
    offer = make_offer(project)
    svc.offer_update(offer=Offer.objects.get(pk=offer.pk), expected_version=1, user=owner, notes="Owner's")
    body = page(
        client_for(editor).post(url("offer-edit", offer_id=offer.pk), offer_data(product="Typed product", version=1))
    )
    assert "Your changes were not saved" in body and "Typed product" in body
    offer.refresh_from_db()
    assert offer.product == "Cloud Galaxy"


def test_the_offer_page_shows_the_tco_computed_by_hand(project, viewer):
    """3 years at 10 %: licence 10 000 and training 500 (year 2) once, maintenance 2 000 a year from year 2,
    and 1 500 of customisation from fit-gap in year 1.
    Year 1: 10 000 + 1 500 = 11 500; year 2: 500 + 2 000 = 2 500; year 3: 2 000; total 16 000.
    NPV: 11 500 + 2 500 / 1.1 + 2 000 / 1.21 = 11 500 + 2 272.727… + 1 652.892… = 15 425.62."""
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=selection.version, years=3, discount_rate=Decimal("0.1"))
    offer = make_offer(project)
    svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(10000))
    svc.quote_line_create(offer=offer, kind="training", amount=Decimal(500), year_from=2)
    svc.quote_line_create(offer=offer, kind="maintenance", amount=Decimal(2000), year_from=2)
    requirement = requirement_services.requirement_create(
        project=project, title="Batch tracking", statement="Track batches.", priority="must"
    )
    svc.fit_set(offer=offer, requirement=requirement, level="customisation", effort_days=Decimal(5), cost=Decimal(1500))

    response = client_for(viewer).get(url("offer-detail", offer_id=offer.pk))
    body = page(response)
    years = {y.year: (y.one_time, y.recurring, y.customisation, y.total) for y in response.context["tco_years"]}
    assert years == {
        1: (Decimal(10000), Decimal(0), Decimal(1500), Decimal(11500)),
        2: (Decimal(500), Decimal(2000), Decimal(0), Decimal(2500)),
        3: (Decimal(0), Decimal(2000), Decimal(0), Decimal(2000)),
    }
    assert "11,500.00" in body and "2,500.00" in body
    assert 'data-testid="tco-grand-total">16,000.00 CNY' in body
    assert 'data-testid="tco-customisation">1,500.00 CNY' in body
    assert 'data-testid="tco-npv">15,425.62 CNY' in body
    assert "Net present value at 10 %" in body


def test_the_offer_page_has_no_npv_without_a_discount_rate(project, viewer):
    offer = make_offer(project)
    svc.quote_line_create(offer=offer, kind="subscription", amount=Decimal(1200))
    body = page(client_for(viewer).get(url("offer-detail", offer_id=offer.pk)))
    assert 'data-testid="tco-grand-total">6,000.00 CNY' in body  # 5 years by default
    assert 'data-testid="tco-npv"' not in body


# Quote lines


def test_an_editor_adds_edits_and_deletes_a_quote_line(project, editor):
    offer = make_offer(project)
    client = client_for(editor)
    response = client.post(url("quote-create", offer_id=offer.pk), quote_data(amount="88000.50", note="10 users"))
    assert response["Location"] == url("offer-detail", offer_id=offer.pk) + "#quotes"
    line = QuoteLine.objects.get(offer=offer)
    assert (line.kind, line.amount, line.note) == ("licence", Decimal("88000.50"), "10 users")
    assert "88,000.50" in page(client.get(url("offer-detail", offer_id=offer.pk)))

    edit_page = page(client.get(url("quote-edit", offer_id=offer.pk, line_id=line.pk)))
    assert 'value="88000.5"' in edit_page
    response = client.post(
        url("quote-edit", offer_id=offer.pk, line_id=line.pk),
        quote_data(kind="support", amount="9000", year_from="2", year_to="4"),
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.kind, line.amount, line.year_from, line.year_to) == ("support", Decimal(9000), 2, 4)

    response = client.post(url("quote-delete", offer_id=offer.pk, line_id=line.pk))
    assert response.status_code == 302 and not QuoteLine.objects.exists()


def test_a_one_time_line_with_a_to_year_is_refused_and_nothing_saved(project, editor):
    offer = make_offer(project)
    response = client_for(editor).post(
        url("quote-create", offer_id=offer.pk), quote_data(kind="licence", year_to="3", note="typed note")
    )
    body = page(response)
    assert escape("A one-time cost is paid in one year: leave “to year” empty.") in body
    assert "typed note" in body
    assert not QuoteLine.objects.exists()


def test_a_quote_line_edit_that_breaks_a_rule_changes_nothing(project, editor):
    offer = make_offer(project)
    line = svc.quote_line_create(offer=offer, kind="maintenance", amount=Decimal(100), year_to=3)
    response = client_for(editor).post(
        url("quote-edit", offer_id=offer.pk, line_id=line.pk), quote_data(kind="hardware", amount="999", year_to="3")
    )
    assert "one-time cost" in page(response)
    line.refresh_from_db()
    assert (line.kind, line.amount) == ("maintenance", Decimal(100))


def test_a_quote_line_of_another_offer_is_not_found(project, editor):
    offer = make_offer(project)
    other = make_offer(project, "Yonyou", "U8")
    line = svc.quote_line_create(offer=other, kind="licence", amount=Decimal(1))
    response = client_for(editor).get(url("quote-edit", offer_id=offer.pk, line_id=line.pk))
    assert response.status_code == 404


# Knock-outs


def check_data(knockouts, **answers) -> dict:
    """answers: ko<pk>=(state, reason); the others are posted as they are not checked."""
    data = {}
    for knockout in knockouts:
        state, reason = answers.get(f"ko{knockout.pk}", ("unchecked", ""))
        data[f"state_{knockout.pk}"] = state
        data[f"reason_{knockout.pk}"] = reason
    return data


def test_an_editor_manages_knockout_conditions(project, editor):
    client = client_for(editor)
    response = client.post(url("knockout-list"), {"text": "Runs on our intranet"})
    assert response["Location"] == url("knockout-list")
    knockout = project.knockouts.get()
    assert "Runs on our intranet" in page(client.get(url("knockout-list")))

    response = client.post(url("knockout-edit", knockout_id=knockout.pk), {"text": "Runs offline", "order": "3"})
    assert response.status_code == 302
    knockout.refresh_from_db()
    assert (knockout.text, knockout.order) == ("Runs offline", 3)

    empty = client.post(url("knockout-list"), {"text": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["text"]
    response = client.post(url("knockout-delete", knockout_id=knockout.pk))
    assert response.status_code == 302 and not project.knockouts.exists()


def test_knockout_checks_are_saved_for_every_condition_in_one_form(project, editor, viewer):
    offer = make_offer(project)
    intranet = svc.knockout_create(project=project, text="Runs on our intranet")
    invoices = svc.knockout_create(project=project, text="Prints Golden Tax invoices")
    client = client_for(editor)
    response = client.post(
        url("offer-knockouts", offer_id=offer.pk),
        check_data(
            [intranet, invoices], **{f"ko{intranet.pk}": ("met", ""), f"ko{invoices.pk}": ("failed", "Needs an add-on")}
        ),
    )
    assert response["Location"] == url("offer-detail", offer_id=offer.pk) + "#knockouts"
    checks = {c.knockout_id: (c.passed, c.reason) for c in KnockOutCheck.objects.filter(offer=offer)}
    assert checks == {intranet.pk: (True, ""), invoices.pk: (False, "Needs an add-on")}

    body = page(client_for(viewer).get(url("offer-detail", offer_id=offer.pk)))
    assert 'data-testid="offer-excluded"' in body and "Needs an add-on" in body
    table = page(client_for(viewer).get(url("knockout-list")))
    assert (
        f'data-offer="{offer.pk}" data-state="met"' in table and f'data-offer="{offer.pk}" data-state="failed"' in table
    )
    assert "1 excluded" in table

    # Back to "not checked": the check is removed.
    client.post(url("offer-knockouts", offer_id=offer.pk), check_data([intranet, invoices]))
    assert not KnockOutCheck.objects.filter(offer=offer).exists()


def test_a_failed_knockout_without_a_reason_is_refused_and_nothing_saved(project, editor):
    offer = make_offer(project)
    intranet = svc.knockout_create(project=project, text="Runs on our intranet")
    invoices = svc.knockout_create(project=project, text="Prints Golden Tax invoices")
    response = client_for(editor).post(
        url("offer-knockouts", offer_id=offer.pk),
        check_data([intranet, invoices], **{f"ko{intranet.pk}": ("met", ""), f"ko{invoices.pk}": ("failed", " ")}),
    )
    body = page(response)
    assert "Say why the offer fails this condition." in body
    assert response.context["form"].errors[f"reason_{invoices.pk}"]
    assert not KnockOutCheck.objects.exists()  # not even the condition that was met


def test_knockout_delete_confirmation_says_how_many_checks_go(project, editor):
    offer = make_offer(project)
    knockout = svc.knockout_create(project=project, text="Runs on our intranet")
    svc.knockout_check(knockout=knockout, offer=offer, passed=False, reason="Cloud only")
    body = page(client_for(editor).get(url("knockout-delete", knockout_id=knockout.pk)))
    assert "1 offer has been checked against it" in body and "no longer excluded" in body


# Settings


def test_an_editor_changes_the_settings_with_the_rate_as_a_percent(project, editor):
    client = client_for(editor)
    selection = svc.selection_for(project)
    response = client.post(
        url("selection-settings"),
        {
            "currency": "usd",
            "years": "7",
            "discount_percent": "8",
            "summary": "Three vendors",
            "recommendation": "**Kingdee**",
            "version": selection.version,
        },
    )
    assert response["Location"] == url("selection-settings")
    selection.refresh_from_db()
    assert (selection.currency, selection.years, selection.discount_rate) == ("USD", 7, Decimal("0.08"))

    body = page(client.get(url("selection-settings")))
    assert 'value="8"' in body  # shown as typed, not as 0.08
    selection_version = Selection.objects.get(project=project).version
    client.post(
        url("selection-settings"),
        {"currency": "USD", "years": "7", "discount_percent": "", "version": selection_version},
    )
    selection.refresh_from_db()
    assert selection.discount_rate is None  # empty: no discounting


@pytest.mark.parametrize(
    ("field", "value"),
    [("currency", "RMB1"), ("currency", "¥"), ("years", "31"), ("years", "0"), ("discount_percent", "100")],
)
def test_settings_out_of_range_are_refused_at_the_field(project, editor, field, value):
    selection = svc.selection_for(project)
    data = {"currency": "CNY", "years": "5", "discount_percent": "", "version": selection.version, field: value}
    response = client_for(editor).post(url("selection-settings"), data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert Selection.objects.get(project=project).version == selection.version


def test_a_stale_settings_save_is_refused(project, editor, owner):
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=1, user=owner, summary="Owner's summary")
    response = client_for(editor).post(
        url("selection-settings"), {"currency": "EUR", "years": "5", "summary": "Editor's summary", "version": 1}
    )
    body = page(response)
    assert "Your changes were not saved" in body and "Editor&#x27;s summary" in body
    assert 'data-testid="conflict"' in body  # what the owner changed meanwhile
    assert Selection.objects.get(project=project).currency == "CNY"


def test_a_viewer_reads_the_settings_without_a_form(project, viewer):
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=1, recommendation="Choose **Kingdee**")
    client = client_for(viewer)
    body = page(client.get(url("selection-settings")))
    assert "Choose <strong>Kingdee</strong>" in body
    assert 'data-testid="settings-form"' not in body
    assert client.post(url("selection-settings"), {"currency": "EUR"}).status_code == 403


# Roles and shared page parts


def test_a_viewer_sees_every_page_but_no_edit_links(project, viewer):
    offer = make_offer(project)
    line = svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(1))
    knockout = svc.knockout_create(project=project, text="Runs on our intranet")
    client = client_for(viewer)
    pages = {
        "vendor-list": {},
        "vendor-detail": {"vendor_id": offer.vendor.pk},
        "offer-detail": {"offer_id": offer.pk},
        "knockout-list": {},
    }
    edit_links = [
        url("vendor-create"),
        url("vendor-edit", vendor_id=offer.vendor.pk),
        url("vendor-delete", vendor_id=offer.vendor.pk),
        url("offer-create", vendor_id=offer.vendor.pk),
        url("offer-edit", offer_id=offer.pk),
        url("offer-delete", offer_id=offer.pk),
        url("quote-create", offer_id=offer.pk),
        url("quote-edit", offer_id=offer.pk, line_id=line.pk),
        url("offer-knockouts", offer_id=offer.pk),
        url("knockout-edit", knockout_id=knockout.pk),
    ]
    for name, kwargs in pages.items():
        body = page(client.get(url(name, **kwargs)))
        assert 'data-testid="selection-tabs"' in body
        for link in edit_links:
            assert link not in body, f"{name} shows {link} to a viewer"
    assert client.get(url("vendor-create")).status_code == 403
    assert client.post(url("knockout-list"), {"text": "x"}).status_code == 403
    assert client.post(url("offer-knockouts", offer_id=offer.pk), {}).status_code == 403


def test_an_editor_gets_the_edit_links(project, editor):
    offer = make_offer(project)
    svc.knockout_create(project=project, text="Runs on our intranet")
    body = page(client_for(editor).get(url("offer-detail", offer_id=offer.pk)))
    assert url("offer-edit", offer_id=offer.pk) in body
    assert 'data-testid="quote-add-form"' in body and 'data-testid="knockout-check-form"' in body


def test_a_vendor_member_and_an_outsider_reach_none_of_it(project, vendor, outsider):
    offer = make_offer(project)
    for user, status in ((vendor, 403), (outsider, 404)):
        client = client_for(user)
        assert client.get(url("vendor-list")).status_code == status
        assert client.get(url("offer-detail", offer_id=offer.pk)).status_code == status


def test_breadcrumbs_lead_back_through_vendor_and_offer(project, editor):
    offer = make_offer(project)
    line = svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(1))
    body = page(client_for(editor).get(url("quote-edit", offer_id=offer.pk, line_id=line.pk)))
    crumbs = body.split('class="breadcrumb"')[1].split("</ol>")[0]
    for link in (
        url("vendor-list"),
        url("vendor-detail", vendor_id=offer.vendor.pk),
        url("offer-detail", offer_id=offer.pk),
    ):
        assert link in crumbs


# Query counts


def grow(project, n: int) -> None:
    for _ in range(n):
        member = MembershipFactory(project=project, user=UserFactory(), role=Membership.Role.VENDOR)
        name = f"Vendor {Vendor.objects.count() + 1}"
        vendor = svc.vendor_create(project=project, name=name, portal_members=[member])
        for deployment in ("saas", "on_premise"):
            offer = svc.offer_create(vendor=vendor, product=f"Product {deployment}", deployment=deployment)
            svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(100))


def queries_for(client, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["vendor-list", "knockout-list"])
def test_list_pages_cost_the_same_queries_with_2_or_6_vendors(project, viewer, name):
    svc.knockout_create(project=project, text="Runs on our intranet")
    client = client_for(viewer)
    grow(project, 2)
    small = queries_for(client, url(name))
    grow(project, 4)
    assert Vendor.objects.count() == 6
    assert queries_for(client, url(name)) == small
