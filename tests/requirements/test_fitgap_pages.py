"""Fit-gap pages: one offer's answer sheet (saved all together or not at all), its figures and filters, and
the requirements × offers matrix with its colours and coverage. Figures are worked out in the comments."""

from decimal import Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requirements import selection as svc
from requirements import services
from requirements.models import Fit, Requirement
from tests.conftest import client_for


@pytest.fixture
def case(project, team):
    """Four open requirements (two must-haves), one rejected must-have, and two offers."""
    reqs = {
        "batch": services.requirement_create(project=project, title="Batch tracking", statement="s", priority="must"),
        "scan": services.requirement_create(
            project=project, title="Offline scanning", statement="s", priority="must", layer="extended"
        ),
        "edi": services.requirement_create(
            project=project, title="EDI with suppliers", statement="s", priority="should", layer="integration"
        ),
        "speed": services.requirement_create(
            project=project, title="Fast screens", statement="s", priority="could", layer="nonfunctional"
        ),
        "fax": services.requirement_create(project=project, title="Fax orders", statement="s", priority="must"),
    }
    Requirement.objects.filter(pk=reqs["fax"].pk).update(status=Requirement.Status.REJECTED)
    alpha = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Alpha Soft"), product="Alpha ERP", deployment="on_premise"
    )
    beta = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Beta Cloud"), product="Beta", deployment="saas"
    )
    return {"reqs": reqs, "alpha": alpha, "beta": beta}


def fit_url(offer, **query) -> str:
    url = reverse("requirements:offer-fit", kwargs={"project_code": offer.project.code, "offer_id": offer.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def matrix_url(project, query: str = "") -> str:
    return reverse("requirements:fit-matrix", kwargs={"project_code": project.code}) + query


def page(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def one(tree, testid: str, **attrs):
    conditions = "".join(f' and @data-{k}="{v}"' for k, v in attrs.items())
    found = tree.xpath(f'//*[@data-testid="{testid}"{conditions}]')
    assert len(found) == 1, f"{testid} {attrs}: found {len(found)}"
    return found[0]


def row_keys(tree) -> list[str]:
    return [row.get("data-key") for row in tree.xpath('//*[@data-testid="fit-row"]')]


def answer(requirement, level="", effort="", cost="", note="", version="") -> dict:
    prefix = f"r{requirement.pk}"
    return {
        f"{prefix}-level": level,
        f"{prefix}-effort_days": effort,
        f"{prefix}-cost": cost,
        f"{prefix}-note": note,
        f"{prefix}-version": version,
    }


# The answer sheet ------------------------------------------------------------------------------------------


def test_the_sheet_lists_the_open_requirements_with_links_and_priority(case, owner):
    tree = page(client_for(owner).get(fit_url(case["alpha"])))
    assert row_keys(tree) == ["REQ-001", "REQ-002", "REQ-003", "REQ-004"]  # the rejected REQ-005 is not asked
    row = one(tree, "fit-row", key="REQ-001")
    link = row.xpath('.//a[contains(@class, "wb-key")]')[0]
    assert link.get("href") == reverse(
        "requirements:requirement-detail", kwargs={"project_code": "ACME", "key": "REQ-001"}
    )
    assert row.xpath('.//*[@data-priority="must"]')


def test_one_save_records_every_changed_row(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    data = {
        **answer(reqs["batch"], "standard", note="Out of the box"),
        **answer(reqs["scan"], "customisation", effort="12.5", cost="30000"),
        **answer(reqs["edi"]),  # left empty: not an answer
    }
    response = client_for(owner).post(fit_url(alpha, layer="", page=1), data)
    assert response.status_code == 302 and response["Location"] == fit_url(alpha, layer="", page=1)
    fits = {f.requirement_id: f for f in Fit.objects.filter(offer=alpha)}
    assert set(fits) == {reqs["batch"].pk, reqs["scan"].pk}
    assert fits[reqs["batch"].pk].level == "standard" and fits[reqs["batch"].pk].note == "Out of the box"
    assert fits[reqs["scan"].pk].effort_days == Decimal("12.5") and fits[reqs["scan"].pk].cost == Decimal(30000)
    assert fits[reqs["batch"].pk].history.first().history_user == owner


def test_a_refused_row_saves_nothing_and_says_why_next_to_it(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    data = {
        **answer(reqs["batch"], "standard"),
        # effort and cost belong to customisation: the service refuses this row
        **answer(reqs["scan"], "configuration", cost="999", note="We would charge for this"),
    }
    response = client_for(owner).post(fit_url(alpha), data)
    tree = page(response)
    assert not Fit.objects.filter(offer=alpha).exists()  # the good row was not saved either
    bad = one(tree, "fit-row", key="REQ-002")
    assert "customisation" in bad.xpath('.//*[@data-testid="row-error"]')[0].text_content()
    assert not one(tree, "fit-row", key="REQ-001").xpath('.//*[@data-testid="row-error"]')
    # what was typed is still there
    prefix = f"r{reqs['scan'].pk}"
    assert bad.xpath(f'.//input[@name="{prefix}-cost"]')[0].get("value") == "999"
    assert bad.xpath(f'.//textarea[@name="{prefix}-note"]')[0].text_content().strip() == "We would charge for this"
    selected = bad.xpath(f'.//select[@name="{prefix}-level"]/option[@selected]')[0]
    assert selected.get("value") == "configuration"
    good = one(tree, "fit-row", key="REQ-001")
    assert good.xpath(".//select/option[@selected]")[0].get("value") == "standard"
    assert "Nothing was saved" in response.content.decode()


def test_figures_without_a_level_are_refused_next_to_the_row(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    data = {**answer(reqs["batch"], "standard"), **answer(reqs["edi"], "", effort="3")}
    tree = page(client_for(owner).post(fit_url(alpha), data))
    assert not Fit.objects.filter(offer=alpha).exists()
    assert one(tree, "fit-row", key="REQ-003").xpath('.//*[contains(@class, "invalid-feedback")]')


def test_a_dash_clears_the_answer_and_untouched_rows_are_not_rewritten(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    cleared = svc.fit_set(offer=alpha, requirement=reqs["batch"], level="standard")
    kept = svc.fit_set(offer=alpha, requirement=reqs["scan"], level="third_party", note="Line one\nline two")
    data = {
        **answer(reqs["batch"], "", version=cleared.version),
        # as the browser sends it back unchanged (textareas use CRLF)
        **answer(reqs["scan"], "third_party", note="Line one\r\nline two", version=kept.version),
    }
    response = client_for(owner).post(fit_url(alpha), data, follow=True)
    assert "1 answer saved." in response.content.decode()
    assert not Fit.objects.filter(pk=cleared.pk).exists()
    kept.refresh_from_db()
    assert kept.version == 1 and kept.history.count() == 1


def test_nothing_posted_changes_nothing(case, owner):
    response = client_for(owner).post(fit_url(case["alpha"]), {}, follow=True)
    assert "Nothing changed." in response.content.decode()


def test_a_change_made_meanwhile_is_not_overwritten(case, owner, editor):
    reqs, alpha = case["reqs"], case["alpha"]
    fit = svc.fit_set(offer=alpha, requirement=reqs["batch"], level="standard")
    svc.fit_set(offer=alpha, requirement=reqs["batch"], level="not_supported", user=editor)  # version 2
    data = answer(reqs["batch"], "configuration", version=fit.version)  # the page was loaded at version 1
    tree = page(client_for(owner).post(fit_url(alpha), data))
    assert one(tree, "fit-row", key="REQ-001").xpath('.//*[@data-testid="row-error"]')
    assert Fit.objects.get(pk=fit.pk).level == "not_supported"


def test_rows_of_another_project_or_the_rejected_are_ignored(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    client_for(owner).post(fit_url(alpha), answer(reqs["fax"], "standard"))
    assert not Fit.objects.filter(offer=alpha).exists()


def test_a_viewer_reads_the_answers_but_cannot_save(case, viewer):
    reqs, alpha = case["reqs"], case["alpha"]
    svc.fit_set(offer=alpha, requirement=reqs["batch"], level="customisation", effort_days=Decimal(4))
    client = client_for(viewer)
    tree = page(client.get(fit_url(alpha)))
    assert not tree.xpath('//*[@data-testid="fit-form"]')
    assert one(tree, "fit-row", key="REQ-001").get("data-level") == "customisation"
    assert client.post(fit_url(alpha), answer(reqs["scan"], "standard")).status_code == 403
    assert Fit.objects.filter(offer=alpha).count() == 1


def test_an_offer_of_another_project_is_not_found(case, outsider, owner):
    from tests.factories import ProjectFactory

    other = ProjectFactory(code="OTHER2")
    foreign = svc.offer_create(vendor=svc.vendor_create(project=other, name="Far Away"), product="X", deployment="saas")
    url = reverse("requirements:offer-fit", kwargs={"project_code": "ACME", "offer_id": foreign.pk})
    assert client_for(owner).get(url).status_code == 404


# Figures ---------------------------------------------------------------------------------------------------


def test_the_summary_counts_answers_coverage_gaps_and_customisation(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    svc.fit_set(offer=alpha, requirement=reqs["batch"], level="configuration")
    svc.fit_set(offer=alpha, requirement=reqs["edi"], level="customisation", effort_days=Decimal(5), cost=Decimal(8000))
    svc.fit_set(offer=alpha, requirement=reqs["speed"], level="customisation", effort_days=Decimal("2.5"))
    svc.fit_set(offer=alpha, requirement=reqs["fax"], level="customisation", cost=Decimal(99999))  # rejected
    tree = page(client_for(owner).get(fit_url(alpha)))
    # 3 of the 4 open requirements answered (the rejected one is not counted)
    answered = one(tree, "answered")
    assert (answered.get("data-answered"), answered.get("data-total")) == ("3", "4")
    # must-haves: REQ-001 met by configuration, REQ-002 unanswered → 1 of 2, 50 %
    coverage = one(tree, "coverage")
    assert (coverage.get("data-met"), coverage.get("data-must")) == ("1", "2")
    assert "50 %" in coverage.text_content()
    gaps = tree.xpath('//*[@data-testid="gap"]')
    assert [g.get("data-key") for g in gaps] == ["REQ-002"]
    assert gaps[0].xpath('.//*[@data-level="unanswered"]')
    # customisation: 5 + 2.5 days, 8,000 (the rejected requirement's 99,999 is left out)
    custom = one(tree, "customisation")
    assert (custom.get("data-days"), custom.get("data-cost")) == ("7.5", "8000")
    assert "total cost of ownership" in one(tree, "tco-note").text_content()


# Filters ---------------------------------------------------------------------------------------------------


def test_filters_by_layer_priority_and_unanswered_and_keeps_them_in_the_url(case, owner):
    reqs, alpha = case["reqs"], case["alpha"]
    svc.fit_set(offer=alpha, requirement=reqs["batch"], level="standard")
    svc.fit_set(offer=case["beta"], requirement=reqs["scan"], level="standard")  # another offer's answer
    client = client_for(owner)
    assert row_keys(page(client.get(fit_url(alpha, layer="integration")))) == ["REQ-003"]
    assert row_keys(page(client.get(fit_url(alpha, priority="must")))) == ["REQ-001", "REQ-002"]
    tree = page(client.get(fit_url(alpha, priority="must", unanswered="on")))
    assert row_keys(tree) == ["REQ-002"]
    # the save posts back to the filtered page, and the filter form shows the filters
    assert one(tree, "fit-form").get("action") == fit_url(alpha, priority="must", unanswered="on")
    assert tree.xpath('//select[@name="priority"]/option[@selected]')[0].get("value") == "must"
    assert tree.xpath('//input[@name="unanswered"]')[0].get("checked") is not None


def test_a_filter_that_matches_nothing_says_so(case, owner):
    for req in case["reqs"].values():
        svc.fit_set(offer=case["alpha"], requirement=req, level="standard")
    tree = page(client_for(owner).get(fit_url(case["alpha"], unanswered="on")))
    assert one(tree, "fit-none-match") is not None


def test_the_sheet_pages_its_rows(project, owner):
    for n in range(55):
        services.requirement_create(project=project, title=f"Requirement {n}", statement="s")
    offer = svc.offer_create(vendor=svc.vendor_create(project=project, name="V"), product="P", deployment="saas")
    client = client_for(owner)
    assert len(row_keys(page(client.get(fit_url(offer))))) == 50
    assert row_keys(page(client.get(fit_url(offer, page=2)))) == [f"REQ-{n:03}" for n in range(51, 56)]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_sheet_needs_the_same_queries_for_5_and_30_requirements(project, owner):
    offer = svc.offer_create(vendor=svc.vendor_create(project=project, name="V"), product="P", deployment="saas")
    client = client_for(owner)

    def grow(to: int) -> None:
        while Requirement.objects.filter(project=project).count() < to:
            n = Requirement.objects.filter(project=project).count()
            r = services.requirement_create(
                project=project, title=f"R{n}", statement="s", priority=("must", "should")[n % 2]
            )
            svc.fit_set(offer=offer, requirement=r, level=("standard", "customisation")[n % 2])

    portal = reverse("requirements:portal-offer", kwargs={"project_code": project.code, "offer_id": offer.pk})
    grow(5)
    few, few_portal = _queries(client, fit_url(offer)), _queries(client, portal)
    grow(30)
    assert _queries(client, fit_url(offer)) == few <= 14
    assert _queries(client, portal) == few_portal


def test_the_portal_home_needs_the_same_queries_for_2_and_6_offers(project, owner):
    services.requirement_create(project=project, title="Batch tracking", statement="s", priority="must")
    client, url = client_for(owner), reverse("requirements:portal", kwargs={"project_code": project.code})

    def grow(to: int) -> None:
        for n in range(project.offers.count(), to):
            vendor = svc.vendor_create(project=project, name=f"Vendor {n}")
            svc.offer_create(vendor=vendor, product="P", deployment="saas")

    grow(2)
    few = _queries(client, url)
    grow(6)
    assert _queries(client, url) == few


# The matrix ------------------------------------------------------------------------------------------------


def test_the_matrix_colours_each_cell_by_fit_level(case, owner):
    reqs, alpha, beta = case["reqs"], case["alpha"], case["beta"]
    svc.fit_set(offer=alpha, requirement=reqs["batch"], level="standard")
    svc.fit_set(offer=alpha, requirement=reqs["scan"], level="third_party")
    svc.fit_set(offer=alpha, requirement=reqs["edi"], level="customisation", cost=Decimal(1))
    svc.fit_set(offer=beta, requirement=reqs["batch"], level="not_supported")
    svc.fit_set(offer=beta, requirement=reqs["scan"], level="configuration")
    tree = page(client_for(owner).get(matrix_url(case["alpha"].project)))
    rows = {row.get("data-key"): row for row in tree.xpath('//*[@data-testid="matrix-row"]')}
    assert list(rows) == ["REQ-001", "REQ-002", "REQ-003", "REQ-004"]

    def cells(key):  # (level, badge classes) per offer: Alpha first, then Beta
        return [
            (cell.get("data-level"), cell.xpath("./span")[0].get("class"))
            for cell in rows[key].xpath('.//*[@data-testid="matrix-cell"]')
        ]

    assert cells("REQ-001") == [
        ("standard", "badge wb-state wb-state-good"),
        ("not_supported", "badge wb-state wb-state-bad"),
    ]
    assert cells("REQ-002") == [
        ("third_party", "badge wb-state wb-state-info"),
        ("configuration", "badge wb-state wb-state-good"),
    ]
    assert cells("REQ-003") == [
        ("customisation", "badge wb-state wb-state-warn"),
        ("unanswered", "badge wb-state wb-state-idle"),
    ]


def test_the_matrix_footer_gives_each_offers_must_have_coverage(case, owner):
    reqs, alpha, beta = case["reqs"], case["alpha"], case["beta"]
    svc.fit_set(offer=alpha, requirement=reqs["batch"], level="standard")
    svc.fit_set(offer=alpha, requirement=reqs["scan"], level="configuration")  # both must-haves met: 100 %
    svc.fit_set(offer=beta, requirement=reqs["batch"], level="customisation")  # customised is a gap: 0 %
    svc.fit_set(offer=beta, requirement=reqs["scan"], level="third_party")  # → 1 of 2, 50 %
    tree = page(client_for(owner).get(matrix_url(alpha.project, "?must=on")))
    a = one(tree, "offer-coverage", offer=alpha.pk)
    b = one(tree, "offer-coverage", offer=beta.pk)
    assert (a.get("data-met"), a.get("data-must")) == ("2", "2") and "100 %" in a.text_content()
    assert (b.get("data-met"), b.get("data-must")) == ("1", "2") and "50 %" in b.text_content()
    # must-haves only: the should and could rows are gone
    assert [r.get("data-key") for r in tree.xpath('//*[@data-testid="matrix-row"]')] == ["REQ-001", "REQ-002"]


def test_the_matrix_filters_by_layer(case, owner):
    tree = page(client_for(owner).get(matrix_url(case["alpha"].project, "?layer=extended")))
    assert [r.get("data-key") for r in tree.xpath('//*[@data-testid="matrix-row"]')] == ["REQ-002"]


def test_the_matrix_without_offers_says_what_to_do_first(project, owner):
    services.requirement_create(project=project, title="Batch tracking", statement="s")
    tree = page(client_for(owner).get(matrix_url(project)))
    assert one(tree, "matrix-no-offers") is not None


def test_the_matrix_needs_the_same_queries_whatever_its_size(project, owner):
    client = client_for(owner)

    def grow(offers: int, requirements: int) -> None:
        while Requirement.objects.filter(project=project).count() < requirements:
            n = Requirement.objects.filter(project=project).count()
            services.requirement_create(project=project, title=f"R{n}", statement="s", priority="must")
        existing = project.offers.count()
        for n in range(existing, offers):
            offer = svc.offer_create(
                vendor=svc.vendor_create(project=project, name=f"Vendor {n}"), product="P", deployment="saas"
            )
            for r in Requirement.objects.filter(project=project)[:3]:
                svc.fit_set(offer=offer, requirement=r, level="standard")

    grow(2, 5)
    small = _queries(client, matrix_url(project))
    grow(6, 30)
    assert _queries(client, matrix_url(project)) == small
