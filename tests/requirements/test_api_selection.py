"""The vendor comparison API as an integration sees it: vendors, offers and their quotes, criteria, independent
scores, fit-gap by requirement key, and the comparison with the same figures as the page."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from requirements import selection as svc
from requirements import services
from requirements.comparison import build_comparison
from requirements.models import Criterion, Fit, Offer, QuoteLine, Score, Vendor
from tests.conftest import client_for
from tests.requirements.test_comparison import case  # noqa: F401  (the hand-computed comparison)

API = "/api/v1/projects/ACME"
VENDORS = f"{API}/vendors/"
OFFERS = f"{API}/offers/"
CRITERIA = f"{API}/criteria/"
SCORES = f"{API}/scores/"
SUBMIT = f"{SCORES}submit/"
FITS = f"{API}/fits/"
COMPARISON = f"{API}/comparison/"


def send(client: Client, method: str, address: str, data: dict | None = None):
    return getattr(client, method)(address, data=json.dumps(data or {}), content_type="application/json")


def cost_lines(offer: Offer) -> str:
    return f"{OFFERS}{offer.pk}/cost-lines/"


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def offer(project):
    vendor = svc.vendor_create(project=project, name="Alpha Soft")
    return svc.offer_create(vendor=vendor, product="Alpha ERP", deployment="on_premise")


@pytest.fixture
def criteria(project):
    return [
        svc.criterion_create(project=project, name="Batch and expiry", group="functionality", weight=Decimal(3)),
        svc.criterion_create(project=project, name="Price", group="cost", weight=Decimal(1)),
    ]


@pytest.fixture
def requirement(project):
    return services.requirement_create(project=project, title="Batch tracking", statement="s", priority="must")


# --- Vendors ---------------------------------------------------------------------------------


def test_an_editor_creates_reads_updates_and_deletes_a_vendor(project, editor_client):
    created = send(
        editor_client,
        "post",
        VENDORS,
        {"name": "Alpha Soft", "contacts": "Ms Li, 138 0000", "website": "https://alpha.example", "notes": "**Big**"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "name": "Alpha Soft",
        "contacts": "Ms Li, 138 0000",
        "website": "https://alpha.example",
        "notes": "**Big**",
        "version": 1,
    }
    address = f"{VENDORS}{body['id']}/"
    assert Vendor.objects.get(pk=body["id"]).project == project
    assert [v["name"] for v in editor_client.get(VENDORS).json()["results"]] == ["Alpha Soft"]

    patched = send(editor_client, "patch", address, {"notes": "Listed company", "version": 1})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["notes"], patched.json()["version"]) == ("Listed company", 2)
    replaced = send(editor_client, "put", address, {"name": "Alpha Software", "version": 2})
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["name"], replaced.json()["contacts"]) == ("Alpha Software", "Ms Li, 138 0000")

    assert editor_client.delete(address).status_code == 204
    assert editor_client.get(address).status_code == 404
    assert not Vendor.objects.filter(project=project).exists()


def test_a_vendor_name_is_used_once(project, editor_client, offer):
    other = svc.vendor_create(project=project, name="Beta Cloud")

    duplicate = send(editor_client, "post", VENDORS, {"name": "Alpha Soft"})
    renamed = send(editor_client, "patch", f"{VENDORS}{other.pk}/", {"name": "Alpha Soft", "version": 1})

    assert duplicate.status_code == 400
    assert duplicate.json() == {"non_field_errors": ["A vendor with this name exists already."]}
    assert renamed.status_code == 400
    other.refresh_from_db()
    assert (other.name, other.version) == ("Beta Cloud", 1)
    assert Vendor.objects.filter(project=project).count() == 2


# --- Offers and their cost lines -------------------------------------------------------------


def test_an_editor_creates_an_offer_and_reads_it_with_its_cost_lines(project, editor_client, offer):
    vendor = svc.vendor_create(project=project, name="Beta Cloud")

    created = send(
        editor_client,
        "post",
        OFFERS,
        {"vendor": vendor.pk, "product": "Beta Cloud", "deployment": "saas", "product_version": "2026"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "vendor": vendor.pk,
        "vendor_name": "Beta Cloud",
        "product": "Beta Cloud",
        "deployment": "saas",
        "product_version": "2026",
        "notes": "",
        "version": 1,
        "cost_lines": [],
    }
    new = Offer.objects.get(pk=body["id"])
    svc.quote_line_create(offer=new, kind="implementation", amount=Decimal("40000.5"))
    svc.quote_line_create(offer=new, kind="subscription", amount=Decimal(30000), year_from=2, year_to=4, note="3 y")

    read = editor_client.get(f"{OFFERS}{new.pk}/").json()
    assert read["cost_lines"] == [
        {
            "id": read["cost_lines"][0]["id"],
            "kind": "implementation",
            "type": "one_time",
            "amount": "40000.50",
            "year_from": 1,
            "year_to": None,
            "note": "",
        },
        {
            "id": read["cost_lines"][1]["id"],
            "kind": "subscription",
            "type": "yearly",
            "amount": "30000.00",
            "year_from": 2,
            "year_to": 4,
            "note": "3 y",
        },
    ]
    listed = editor_client.get(OFFERS).json()
    assert [(o["vendor_name"], o["product"]) for o in listed["results"]] == [
        ("Alpha Soft", "Alpha ERP"),
        ("Beta Cloud", "Beta Cloud"),
    ]
    assert [o["product"] for o in editor_client.get(OFFERS, {"deployment": "saas"}).json()["results"]] == ["Beta Cloud"]
    assert [o["id"] for o in editor_client.get(OFFERS, {"vendor": offer.vendor_id}).json()["results"]] == [offer.pk]


def test_an_offer_is_updated_and_deleted_but_stays_with_its_vendor(project, editor_client, offer):
    other = svc.vendor_create(project=project, name="Beta Cloud")
    address = f"{OFFERS}{offer.pk}/"

    moved = send(editor_client, "patch", address, {"vendor": other.pk, "product": "Moved", "version": 1})
    assert moved.status_code == 400
    assert "vendor" in moved.json()
    patched = send(editor_client, "patch", address, {"deployment": "erp_module", "notes": "Module", "version": 1})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["deployment"], patched.json()["version"]) == ("erp_module", 2)
    offer.refresh_from_db()
    assert (offer.vendor.name, offer.product, offer.deployment) == ("Alpha Soft", "Alpha ERP", "erp_module")

    assert editor_client.delete(address).status_code == 204
    assert not Offer.objects.filter(pk=offer.pk).exists()


def test_an_offer_for_another_projects_vendor_is_400(project, editor_client, elsewhere):
    response = send(
        editor_client, "post", OFFERS, {"vendor": elsewhere["vendor"].pk, "product": "X", "deployment": "saas"}
    )

    assert response.status_code == 400
    assert response.json() == {"vendor": [f"There is no vendor {elsewhere['vendor'].pk} in this project."]}
    assert not Offer.objects.filter(project=project).exists()


def test_cost_lines_are_added_changed_and_removed_under_their_offer(project, editor_client, offer):
    created = send(editor_client, "post", cost_lines(offer), {"kind": "maintenance", "amount": "18000", "year_from": 2})
    assert created.status_code == 201, created.content
    assert (created.json()["type"], created.json()["amount"], created.json()["year_to"]) == ("yearly", "18000.00", None)
    line = QuoteLine.objects.get(pk=created.json()["id"])
    assert line.offer == offer
    address = f"{cost_lines(offer)}{line.pk}/"

    patched = send(editor_client, "patch", address, {"amount": "19000.25", "year_to": 5})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["amount"], patched.json()["year_to"]) == ("19000.25", 5)
    assert [c["amount"] for c in editor_client.get(f"{OFFERS}{offer.pk}/").json()["cost_lines"]] == ["19000.25"]
    assert [c["id"] for c in editor_client.get(cost_lines(offer)).json()["results"]] == [line.pk]

    assert editor_client.delete(address).status_code == 204
    assert not QuoteLine.objects.filter(pk=line.pk).exists()


def test_a_one_time_cost_with_a_last_year_is_refused_and_nothing_changes(project, editor_client, offer):
    line = svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(1000))

    created = send(editor_client, "post", cost_lines(offer), {"kind": "licence", "amount": "5", "year_to": 3})
    patched = send(editor_client, "patch", f"{cost_lines(offer)}{line.pk}/", {"amount": "5", "year_to": 3})

    message = "A one-time cost is paid in one year: leave “to year” empty."
    assert (created.status_code, created.json()) == (400, {"non_field_errors": [message]})
    assert (patched.status_code, patched.json()) == (400, {"non_field_errors": [message]})
    line.refresh_from_db()
    assert (line.amount, line.year_to) == (Decimal(1000), None)
    assert QuoteLine.objects.filter(offer=offer).count() == 1


def test_a_cost_line_of_another_offer_or_project_is_404(project, editor_client, offer, elsewhere):
    other = svc.offer_create(vendor=offer.vendor, product="Alpha WMS", deployment="on_premise")
    line = svc.quote_line_create(offer=other, kind="licence", amount=Decimal(1000))

    assert editor_client.get(f"{cost_lines(offer)}{line.pk}/").status_code == 404
    assert editor_client.get(cost_lines(elsewhere["offer"])).status_code == 404
    assert (
        send(editor_client, "post", cost_lines(elsewhere["offer"]), {"kind": "licence", "amount": "1"}).status_code
        == 404
    )
    assert not QuoteLine.objects.filter(offer=elsewhere["offer"]).exists()


# --- Criteria --------------------------------------------------------------------------------


def test_criteria_carry_their_share_of_the_weight(project, editor_client, criteria):
    created = send(editor_client, "post", CRITERIA, {"name": "Mobile app", "group": "functionality", "weight": "1"})
    assert created.status_code == 201, created.content
    body = created.json()
    # weights 3 : 1 : 1 → shares 0.6, 0.2, 0.2
    assert body == {
        "id": body["id"],
        "name": "Mobile app",
        "group": "functionality",
        "weight": "1.0000",
        "share": pytest.approx(0.2),
        "description": "",
        "version": 1,
    }
    listed = editor_client.get(CRITERIA).json()["results"]
    assert [(c["name"], c["share"]) for c in listed] == [
        ("Price", pytest.approx(0.2)),
        ("Batch and expiry", pytest.approx(0.6)),
        ("Mobile app", pytest.approx(0.2)),
    ]
    assert [c["name"] for c in editor_client.get(CRITERIA, {"group": "cost"}).json()["results"]] == ["Price"]

    price = criteria[1]
    patched = send(editor_client, "patch", f"{CRITERIA}{price.pk}/", {"weight": "6", "version": 1})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["share"], patched.json()["version"]) == (pytest.approx(0.6), 2)  # 6 of 10


def test_a_criterion_scored_on_cannot_be_deleted(project, editor_client, editor, criteria, offer):
    batch, price = criteria
    svc.score_set(offer=offer, criterion=batch, evaluator=editor, value=4)

    refused = editor_client.delete(f"{CRITERIA}{batch.pk}/")

    assert refused.status_code == 400
    assert "set its weight to 0" in refused.json()["non_field_errors"][0]
    assert Criterion.objects.filter(pk=batch.pk).exists()
    assert editor_client.delete(f"{CRITERIA}{price.pk}/").status_code == 204
    assert not Criterion.objects.filter(pk=price.pk).exists()


# --- Optimistic locking ----------------------------------------------------------------------


STALE = {
    # kind: (address of the sample record, the field a PATCH changes)
    "vendor": (lambda w: f"{VENDORS}{w['offer'].vendor_id}/", "notes"),
    "offer": (lambda w: f"{OFFERS}{w['offer'].pk}/", "notes"),
    "criterion": (lambda w: f"{CRITERIA}{w['criterion'].pk}/", "description"),
    "fit": (lambda w: f"{FITS}{w['fit'].pk}/", "note"),
}


@pytest.mark.parametrize("kind", STALE)
def test_a_stale_version_is_409_and_changes_nothing(project, editor_client, owner, offer, criteria, requirement, kind):
    fit = svc.fit_set(offer=offer, requirement=requirement, level="standard")
    address, field = STALE[kind][0]({"offer": offer, "criterion": criteria[0], "fit": fit}), STALE[kind][1]
    theirs = send(client_for(owner), "patch", address, {field: "Theirs", "version": 1})
    assert theirs.status_code == 200, theirs.content

    stale = send(editor_client, "patch", address, {field: "Mine", "version": 1})

    assert stale.status_code == 409
    assert f"{owner.get_full_name()} changed this record" in stale.json()["detail"]
    now = editor_client.get(address).json()
    assert (now[field], now["version"]) == ("Theirs", 2)


def test_an_update_without_the_version_read_is_400(project, editor_client, offer):
    response = send(editor_client, "patch", f"{OFFERS}{offer.pk}/", {"notes": "Mine"})

    assert response.status_code == 400
    assert "version" in response.json()
    offer.refresh_from_db()
    assert offer.notes == ""


# --- Scores ----------------------------------------------------------------------------------


def score(client: Client, offer: Offer, criterion: Criterion, value: int, **extra):
    return send(client, "post", SCORES, {"offer": offer.pk, "criterion": criterion.pk, "value": value, **extra})


def seen(client: Client, **params) -> list[tuple[str, int]]:
    response = client.get(SCORES, params)
    assert response.status_code == 200, response.content
    return sorted((s["evaluator"], s["value"]) for s in response.json()["results"])


def test_evaluators_see_each_other_only_after_both_submitted(project, owner, editor, criteria, offer):
    owner_client, editor_client = client_for(owner), client_for(editor)
    batch, price = criteria
    assert score(owner_client, offer, batch, 4).status_code == 201
    assert score(owner_client, offer, price, 2).status_code == 201
    assert score(editor_client, offer, batch, 1).status_code == 201

    assert seen(editor_client) == [("editor", 1)]  # the owner has not submitted
    submitted = send(owner_client, "post", SUBMIT, {"offer": offer.pk})
    assert submitted.status_code == 201, submitted.content
    assert (submitted.json()["offer"], submitted.json()["evaluator"]) == (offer.pk, "owner")
    assert seen(editor_client) == [("editor", 1)]  # nor has the editor yet
    assert seen(owner_client) == [("owner", 2), ("owner", 4)]  # the editor has not submitted: hidden from the owner

    incomplete = send(editor_client, "post", SUBMIT, {"offer": offer.pk})
    assert incomplete.status_code == 400
    assert "Score every criterion" in incomplete.json()["offer"][0]
    assert score(editor_client, offer, price, 5).status_code == 201
    assert send(editor_client, "post", SUBMIT, {"offer": offer.pk}).status_code == 201

    assert seen(editor_client) == [("editor", 1), ("editor", 5), ("owner", 2), ("owner", 4)]
    assert seen(owner_client, criterion=batch.pk) == [("editor", 1), ("owner", 4)]
    assert all(s["submitted"] for s in owner_client.get(SCORES).json()["results"])


def test_scores_of_an_offer_the_viewer_has_not_submitted_stay_hidden(project, owner, editor, criteria, offer):
    other = svc.offer_create(vendor=offer.vendor, product="Alpha WMS", deployment="saas")
    for o in (offer, other):
        for criterion in criteria:
            svc.score_set(offer=o, criterion=criterion, evaluator=owner, value=3)
        svc.scores_submit(offer=o, evaluator=owner)
    for criterion in criteria:
        svc.score_set(offer=offer, criterion=criterion, evaluator=editor, value=5)
    svc.scores_submit(offer=offer, evaluator=editor)

    editor_view = client_for(editor).get(SCORES).json()["results"]

    assert {(s["offer"], s["evaluator"]) for s in editor_view} == {(offer.pk, "owner"), (offer.pk, "editor")}
    assert seen(client_for(editor), offer=other.pk) == []


def test_the_evaluator_is_always_the_requester(project, owner, editor, editor_client, criteria, offer):
    batch, price = criteria

    created = score(editor_client, offer, batch, 4, evaluator="owner", note="Good batches")
    changed = score(editor_client, offer, batch, 3, evaluator="owner")

    assert created.status_code == 201, created.content
    assert (created.json()["evaluator"], created.json()["value"], created.json()["note"]) == (
        "editor",
        4,
        "Good batches",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["id"] == created.json()["id"]
    assert list(Score.objects.values_list("evaluator__username", "value")) == [("editor", 3)]


def test_a_submitted_sheet_cannot_change(project, editor, editor_client, criteria, offer):
    batch, price = criteria
    for criterion in criteria:
        svc.score_set(offer=offer, criterion=criterion, evaluator=editor, value=4)
    svc.scores_submit(offer=offer, evaluator=editor)

    response = score(editor_client, offer, batch, 1)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["You have submitted your scores for this offer; they can no longer change."]
    }
    assert Score.objects.get(offer=offer, criterion=batch, evaluator=editor).value == 4


@pytest.mark.parametrize("value", [0, 6, "good"])
def test_a_score_outside_1_to_5_is_400(project, editor_client, criteria, offer, value):
    response = score(editor_client, offer, criteria[0], value)

    assert response.status_code == 400
    assert "value" in response.json()
    assert not Score.objects.exists()


# --- Fit-gap ---------------------------------------------------------------------------------


def test_a_fit_is_set_by_requirement_key_and_set_again_in_place(project, editor_client, offer, requirement):
    created = send(
        editor_client,
        "post",
        FITS,
        {
            "offer": offer.pk,
            "requirement": requirement.key,
            "level": "customisation",
            "effort_days": "10",
            "cost": "20000",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {
        "id": body["id"],
        "offer": offer.pk,
        "requirement": requirement.key,
        "level": "customisation",
        "effort_days": "10.0",
        "cost": "20000.00",
        "note": "",
        "version": 1,
    }

    again = send(editor_client, "post", FITS, {"offer": offer.pk, "requirement": requirement.key, "level": "standard"})

    assert again.status_code == 200, again.content
    assert (again.json()["id"], again.json()["level"], again.json()["cost"], again.json()["version"]) == (
        body["id"],
        "standard",
        None,
        2,
    )
    assert Fit.objects.filter(offer=offer).count() == 1


def test_a_fit_set_from_a_stale_read_is_409(project, editor_client, offer, requirement):
    svc.fit_set(offer=offer, requirement=requirement, level="standard")
    svc.fit_set(offer=offer, requirement=requirement, level="configuration", note="Someone else")

    response = send(
        editor_client,
        "post",
        FITS,
        {"offer": offer.pk, "requirement": requirement.key, "level": "not_supported", "version": 1},
    )

    assert response.status_code == 409
    fit = Fit.objects.get(offer=offer, requirement=requirement)
    assert (fit.level, fit.version) == ("configuration", 2)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"level": "perfect"}, "level"),
        ({"level": "standard", "cost": "5"}, "non_field_errors"),
        ({"level": "standard", "requirement": "REQ-999"}, "requirement"),
    ],
)
def test_a_refused_fit_is_400_and_nothing_changes(project, editor_client, offer, requirement, data, field):
    svc.fit_set(offer=offer, requirement=requirement, level="configuration", note="As it was")

    response = send(editor_client, "post", FITS, {"offer": offer.pk, "requirement": requirement.key, **data})

    assert response.status_code == 400
    assert field in response.json()
    fit = Fit.objects.get(offer=offer, requirement=requirement)
    assert (fit.level, fit.cost, fit.note, fit.version) == ("configuration", None, "As it was", 1)
    assert Fit.objects.count() == 1


def test_fits_are_filtered_changed_and_cleared(project, editor_client, offer, requirement):
    second = services.requirement_create(project=project, title="Offline scanning", statement="s")
    other = svc.offer_create(vendor=offer.vendor, product="Alpha WMS", deployment="saas")
    fit = svc.fit_set(offer=offer, requirement=requirement, level="standard")
    svc.fit_set(offer=offer, requirement=second, level="not_supported")
    svc.fit_set(offer=other, requirement=requirement, level="third_party")

    def levels(**params) -> list[str]:
        return [f["level"] for f in editor_client.get(FITS, params).json()["results"]]

    assert levels(offer=offer.pk) == ["standard", "not_supported"]
    assert levels(requirement=requirement.key.lower()) == ["standard", "third_party"]
    assert levels(level="not_supported") == ["not_supported"]
    assert editor_client.get(FITS, {"level": "perfect"}).status_code == 400

    address = f"{FITS}{fit.pk}/"
    patched = send(editor_client, "patch", address, {"note": "Out of the box", "version": 1})
    assert patched.status_code == 200, patched.content
    assert (patched.json()["level"], patched.json()["note"], patched.json()["version"]) == (
        "standard",
        "Out of the box",
        2,
    )
    moved = send(editor_client, "patch", address, {"requirement": second.key, "version": 2})
    assert moved.status_code == 400
    assert editor_client.delete(address).status_code == 204
    assert not Fit.objects.filter(pk=fit.pk).exists()
    assert levels(offer=offer.pk) == ["not_supported"]


# --- The comparison --------------------------------------------------------------------------


def test_the_comparison_shows_the_figures_of_the_read_model(project, viewer, case):  # noqa: F811
    body = client_for(viewer).get(COMPARISON).json()
    expected = build_comparison(project)

    assert (body["currency"], body["years"], body["discount_rate"]) == ("CNY", 5, None)
    assert [o["offer"] for o in body["offers"]] == [row.offer.pk for row in expected.rows]
    assert body["leader"] == case["b"].pk == expected.leader.offer.pk
    for shown, row in zip(body["offers"], expected.rows, strict=True):
        assert shown["score"] == (None if row.score.total is None else pytest.approx(row.score.total))
        assert shown["rank"] == row.rank
        assert shown["excluded"] is row.excluded
        assert shown["must_have_coverage"]["share"] == row.coverage.share
        assert shown["must_have_coverage"]["met"] == row.coverage.met
        assert shown["must_have_coverage"]["total"] == row.coverage.total
        assert [(g["requirement"], g["level"]) for g in shown["must_have_coverage"]["gaps"]] == list(row.coverage.gaps)
        assert Decimal(shown["tco"]["total"]) == row.tco.total
        assert [Decimal(amount) for amount in shown["tco"]["by_year"]] == row.tco.by_year
    beta, alpha, gamma = body["offers"]
    # the hand-computed figures of tests/requirements/test_comparison.py
    assert (beta["product"], beta["score"], beta["rank"]) == ("Beta", pytest.approx(3.8), 1)
    assert (alpha["score"], alpha["rank"], alpha["score_percent"]) == (pytest.approx(3.4), 2, pytest.approx(60))
    assert (alpha["tco"]["total"], alpha["tco"]["npv"], alpha["tco"]["customisation"]) == (
        "192000.00",
        None,
        "20000.00",
    )
    assert alpha["tco"]["by_year"] == ["120000.00", "18000.00", "18000.00", "18000.00", "18000.00"]
    assert (alpha["vendor_name"], alpha["deployment"], alpha["customisation_days"]) == (
        "Alpha Soft",
        "on_premise",
        "10.0",
    )
    assert alpha["must_have_coverage"] == {
        "share": 0.5,
        "met": 1,
        "total": 2,
        "gaps": [{"requirement": case["r1"].key, "level": "customisation"}],
    }
    assert beta["must_have_coverage"]["gaps"] == [{"requirement": case["r2"].key, "level": "unanswered"}]
    assert (gamma["rank"], gamma["excluded"]) == (None, True)
    assert gamma["exclusions"] == [{"condition": "Runs on our intranet", "reason": "Cloud only"}]
    assert [(g["group"], g["share"]) for g in body["groups"]] == [
        ("functionality", pytest.approx(0.8)),
        ("cost", pytest.approx(0.2)),
    ]
    thresholds = {t["group"]: t for t in body["sensitivity"]}
    assert thresholds["functionality"]["threshold"] == pytest.approx(3 / 3.25)
    assert thresholds["cost"]["threshold"] == pytest.approx(0.25 / 3.25)
    assert thresholds["cost"]["current"] == pytest.approx(0.2)
    assert thresholds["functionality"]["new_leader"] == case["a"].pk == thresholds["cost"]["new_leader"]


def test_the_comparison_shows_the_discounted_tco_when_a_rate_is_set(project, viewer, case):  # noqa: F811
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=selection.version, discount_rate=Decimal("0.08"))

    body = client_for(viewer).get(COMPARISON).json()

    alpha = next(o for o in body["offers"] if o["offer"] == case["a"].pk)
    assert body["discount_rate"] == "0.0800"
    assert alpha["tco"]["npv"] == "179618.28"


def test_the_comparison_is_read_only(project, owner_client):
    assert send(owner_client, "post", COMPARISON, {}).status_code == 405


# --- Who may see and change what -------------------------------------------------------------


@pytest.fixture
def elsewhere(db):
    """A vendor and an offer in a project the ACME team does not belong to."""
    from tests.factories import ProjectFactory

    other = ProjectFactory(code="ELSEWHERE")
    vendor = svc.vendor_create(project=other, name="Their vendor")
    return {
        "project": other,
        "vendor": vendor,
        "offer": svc.offer_create(vendor=vendor, product="X", deployment="saas"),
    }


@pytest.fixture
def world(project, offer, criteria, requirement):
    line = svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(1000))
    fit = svc.fit_set(offer=offer, requirement=requirement, level="standard")
    return {
        "lists": [VENDORS, OFFERS, cost_lines(offer), CRITERIA, SCORES, FITS],
        "details": [
            f"{VENDORS}{offer.vendor_id}/",
            f"{OFFERS}{offer.pk}/",
            f"{cost_lines(offer)}{line.pk}/",
            f"{CRITERIA}{criteria[0].pk}/",
            f"{FITS}{fit.pk}/",
        ],
        "reads": [COMPARISON],
    }


def test_a_vendor_member_gets_403_on_every_endpoint(project, vendor, offer, world):
    offer.vendor.portal_members.set(project.memberships.filter(user=vendor))  # even for their own vendor
    client = client_for(vendor)

    for address in world["lists"] + world["details"] + world["reads"]:
        assert client.get(address).status_code == 403, address
    for address in [*world["lists"], SUBMIT]:
        assert send(client, "post", address, {"name": "X"}).status_code == 403, address
    for address in world["details"]:
        assert send(client, "patch", address, {"notes": "X", "version": 1}).status_code == 403, address
        assert client.delete(address).status_code == 403, address
    assert Vendor.objects.get(pk=offer.vendor_id).notes == ""
    assert Fit.objects.count() == QuoteLine.objects.count() == 1


def test_an_outsider_gets_404_on_every_endpoint(project, outsider_client, offer, world):
    for address in world["lists"] + world["details"] + world["reads"]:
        assert outsider_client.get(address).status_code == 404, address
    for address in [*world["lists"], SUBMIT]:
        assert send(outsider_client, "post", address, {"name": "X"}).status_code == 404, address
    for address in world["details"]:
        assert send(outsider_client, "patch", address, {"notes": "X", "version": 1}).status_code == 404, address
        assert outsider_client.delete(address).status_code == 404, address
    assert Vendor.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("role", ["tester", "viewer"])
def test_readers_read_but_do_not_write(project, team, offer, criteria, world, role):
    client = client_for(team[role])

    for address in world["lists"] + world["details"] + world["reads"]:
        assert client.get(address).status_code == 200, address
    assert score(client, offer, criteria[0], 5).status_code == 403
    assert send(client, "post", VENDORS, {"name": "Beta"}).status_code == 403
    assert not Score.objects.exists()
    assert Vendor.objects.filter(project=project).count() == 1


def test_another_projects_records_are_404(project, editor_client, elsewhere):
    assert editor_client.get(f"{OFFERS}{elsewhere['offer'].pk}/").status_code == 404
    assert editor_client.get(f"{VENDORS}{elsewhere['vendor'].pk}/").status_code == 404
    response = send(editor_client, "post", SCORES, {"offer": elsewhere["offer"].pk, "criterion": 1, "value": 3})
    assert response.status_code == 400
    assert "offer" in response.json()


# --- Lists: paginated, a fixed number of queries ---------------------------------------------


def queries_for(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured)


def test_the_lists_are_paginated_and_do_not_query_per_row(project, owner, editor, criteria, requirement):
    client = client_for(owner)

    def grow(start: int, n: int) -> None:
        for i in range(start, start + n):
            offer = svc.offer_create(
                vendor=svc.vendor_create(project=project, name=f"Vendor {i}"), product=f"P{i}", deployment="saas"
            )
            svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(1000))
            svc.quote_line_create(offer=offer, kind="hosting", amount=Decimal(100))
            svc.fit_set(offer=offer, requirement=requirement, level="standard")
            for evaluator in (owner, editor):
                for criterion in criteria:
                    svc.score_set(offer=offer, criterion=criterion, evaluator=evaluator, value=3)
                svc.scores_submit(offer=offer, evaluator=evaluator)

    addresses = [VENDORS, OFFERS, CRITERIA, SCORES, FITS, COMPARISON]
    grow(0, 2)
    for address in addresses:  # warm-up: the comparison settings are created on first use
        queries_for(client, address)
    small = [queries_for(client, address) for address in addresses]
    grow(2, 4)
    large = [queries_for(client, address) for address in addresses]

    assert small == large
    # session, user, membership, count, rows; + the offers' cost lines, + the criteria's weights for the shares
    assert small[:5] == [5, 6, 6, 5, 5]
    page = client.get(SCORES, {"page_size": 10}).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert (page["count"], len(page["results"])) == (6 * 2 * 2, 10)
    assert page["next"] is not None


def test_the_schema_documents_the_vendor_comparison(project, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in [
        "/api/v1/projects/{project_code}/vendors/",
        "/api/v1/projects/{project_code}/vendors/{vendor_id}/",
        "/api/v1/projects/{project_code}/offers/",
        "/api/v1/projects/{project_code}/offers/{offer_id}/",
        "/api/v1/projects/{project_code}/offers/{offer_id}/cost-lines/",
        "/api/v1/projects/{project_code}/offers/{offer_id}/cost-lines/{line_id}/",
        "/api/v1/projects/{project_code}/criteria/",
        "/api/v1/projects/{project_code}/criteria/{criterion_id}/",
        "/api/v1/projects/{project_code}/scores/",
        "/api/v1/projects/{project_code}/scores/submit/",
        "/api/v1/projects/{project_code}/fits/",
        "/api/v1/projects/{project_code}/fits/{fit_id}/",
        "/api/v1/projects/{project_code}/comparison/",
    ]:
        assert path in paths, path
    fit_params = {p["name"] for p in paths["/api/v1/projects/{project_code}/fits/"]["get"]["parameters"]}
    assert {"offer", "requirement", "level"} <= fit_params
    assert "get" in paths["/api/v1/projects/{project_code}/comparison/"]
    assert "post" not in paths["/api/v1/projects/{project_code}/comparison/"]
