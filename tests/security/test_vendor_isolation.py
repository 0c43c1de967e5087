"""A vendor member sees the vendor portal of their own offer and nothing else of the project.

The routes are read from the URLconf (pages and /api/v1/), with the sample objects of test_every_url, so a
page added later is covered too. Two vendors compete: the vendor member answers for "Alpha Soft" (linked in
`selection_world`); "Beta Cloud" is the competitor, whose offer, quote, fit answers and scores must never reach
them, and whose offer ids must look like they do not exist.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from requirements import selection as svc
from requirements.models import Fit, QuoteLine
from tests.conftest import client_for
from tests.security import test_every_url as every_url
from tests.security.test_every_url import PROJECT_ROUTES, SAMPLES, call, url_for

_each_test_in_a_savepoint = every_url._each_test_in_a_savepoint
world = every_url.world  # the same fixture: a project with one of everything, the vendor member linked to Alpha Soft

# Keywords a newer route may use before test_every_url has a sample for them.
EXTRA_SAMPLES = {"fit_id": lambda w: w["selection"]["fit"].pk}

COMPETITOR_STRINGS = [
    "Beta Cloud",  # vendor name
    "Nimbus Suite",  # product
    "777777",  # quote amount, however it is formatted
    "777,777",
    "777 777",
    "Beta handles batches natively",  # their fit note
    "Batch and expiry",  # a scoring criterion
    "Beta scored best",  # a score note
    "Beta agreed strong",  # an agreed score note
]
TEAM_STRINGS = [
    "Stock is right",  # a goal the requirement serves
    "Inventory record accuracy",  # a KPI
    "Slips get lost",  # a finding
    "No batch tracking",  # an upgrade driver
    "Runs on our intranet",  # a knock-out condition
    "Procure to pay",  # a demo scenario
]


def sample_url(route, w) -> str:
    if all(key in SAMPLES for key in route.kwargs):
        return url_for(route, w)
    kwargs = {key: (SAMPLES.get(key) or EXTRA_SAMPLES[key])(w) for key in route.kwargs}
    return reverse(route.name, kwargs=kwargs)


@pytest.fixture
def rivals(world):
    """The competitor's offer, with a quote, a fit answer on the same requirement and scores."""
    project, team = world["project"], world["team"]
    requirement = world["requirement"]
    beta = svc.vendor_create(project=project, name="Beta Cloud")
    offer = svc.offer_create(vendor=beta, product="Nimbus Suite", deployment="saas")
    line = svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(777777))
    fit = svc.fit_set(offer=offer, requirement=requirement, level="standard", note="Beta handles batches natively")
    criterion = world["selection"]["criterion"]
    svc.score_set(offer=offer, criterion=criterion, evaluator=team["editor"], value=5, note="Beta scored best")
    svc.agreed_score_set(offer=offer, criterion=criterion, value=5, note="Beta agreed strong")
    alpha = world["selection"]["offer"]
    svc.score_set(offer=alpha, criterion=criterion, evaluator=team["editor"], value=2, note="Alpha scored low")
    return {"vendor": beta, "offer": offer, "line": line, "fit": fit}


@pytest.fixture
def vendor_client(world):
    return client_for(world["team"]["vendor"])


def portal_url(name: str, **kwargs) -> str:
    return reverse(f"requirements:{name}", kwargs={"project_code": "ACME", **kwargs})


def test_every_project_route_but_the_portal_refuses_the_vendor(world, rivals, vendor_client):
    """Pages and API alike: whatever a route needs besides "respond", the vendor member gets 403."""
    problems, checked = [], 0
    for route in PROJECT_ROUTES:
        url = sample_url(route, world)
        for method in sorted(route.methods(), key=lambda m: m == "DELETE"):
            if route.required_capability(method) == "respond":
                continue
            checked += 1
            status = call(vendor_client, method, url, route.is_api).status_code
            if status != 403:
                problems.append(f"{method} {url} -> {status}")
    assert checked > 100  # the walk really covered the project's pages and API
    assert problems == []


def test_the_portal_is_all_the_vendor_may_open(world, vendor_client):
    respond = {r.name for r in PROJECT_ROUTES if any(r.required_capability(m) == "respond" for m in r.methods())}
    assert respond == {
        "requirements:portal",
        "requirements:portal-offer",
        "requirements:portal-quotes",
        "requirements:portal-quote-delete",
    }
    for name in sorted(respond):
        route = next(r for r in PROJECT_ROUTES if r.name == name)
        assert vendor_client.get(sample_url(route, world)).status_code == 200, name


def test_the_competitors_offer_does_not_exist_for_the_vendor(world, rivals, vendor_client):
    beta, line = rivals["offer"], rivals["line"]
    own = world["selection"]["offer"]
    urls = [
        portal_url("portal-offer", offer_id=beta.pk),
        portal_url("portal-quotes", offer_id=beta.pk),
        portal_url("portal-quote-delete", offer_id=beta.pk, line_id=line.pk),
        # their line under our own offer id is no way in either
        portal_url("portal-quote-delete", offer_id=own.pk, line_id=line.pk),
    ]
    for url in urls:
        for method in ("get", "post"):
            assert getattr(vendor_client, method)(url).status_code == 404, f"{method} {url}"
    assert QuoteLine.objects.filter(pk=line.pk).exists()


def test_the_vendor_cannot_answer_or_quote_for_the_competitor(world, rivals, vendor_client):
    beta, fit, requirement = rivals["offer"], rivals["fit"], world["requirement"]
    row = f"r{requirement.pk}"
    answer = {f"{row}-level": "not_supported", f"{row}-note": "Beta cannot do this", f"{row}-version": fit.version}
    assert vendor_client.post(portal_url("portal-offer", offer_id=beta.pk), answer).status_code == 404
    team_fit_page = reverse("requirements:offer-fit", kwargs={"project_code": "ACME", "offer_id": beta.pk})
    assert vendor_client.post(team_fit_page, answer).status_code == 403
    fit.refresh_from_db()
    assert (fit.level, fit.note, fit.version) == ("standard", "Beta handles batches natively", 1)

    quote = {"kind": "licence", "amount": "1", "year_from": "1"}
    lines = QuoteLine.objects.filter(offer=beta).count()
    assert vendor_client.post(portal_url("portal-quotes", offer_id=beta.pk), quote).status_code == 404
    assert QuoteLine.objects.filter(offer=beta).count() == lines


def test_the_vendor_answers_and_quotes_for_their_own_offer(world, rivals, vendor_client):
    own, requirement, vendor = world["selection"]["offer"], world["requirement"], world["team"]["vendor"]
    fit = world["selection"]["fit"]
    row = f"r{requirement.pk}"
    answer = {
        f"{row}-level": "customisation",
        f"{row}-effort_days": "4",
        f"{row}-cost": "6000",
        f"{row}-version": fit.version,
    }
    assert vendor_client.post(portal_url("portal-offer", offer_id=own.pk), answer).status_code == 302
    fit.refresh_from_db()
    assert (fit.level, fit.cost) == ("customisation", Decimal(6000))
    assert fit.history.first().history_user == vendor
    assert Fit.objects.get(pk=rivals["fit"].pk).level == "standard"  # the competitor's answer is untouched

    quote = {"kind": "maintenance", "amount": "1200", "year_from": "2", "year_to": "5", "note": "yearly"}
    assert vendor_client.post(portal_url("portal-quotes", offer_id=own.pk), quote).status_code == 302
    assert QuoteLine.objects.filter(offer=own, kind="maintenance", amount=Decimal(1200)).count() == 1
    # a one-time cost with a last year: refused by the rule, shown on the form, nothing added
    refused = {"kind": "licence", "amount": "5", "year_from": "1", "year_to": "3"}
    response = vendor_client.post(portal_url("portal-quotes", offer_id=own.pk), refused)
    assert response.status_code == 200 and 'data-testid="form-error"' in response.content.decode()
    assert not QuoteLine.objects.filter(offer=own, amount=Decimal(5)).exists()


def test_the_vendors_portal_pages_show_nothing_of_the_competitor_or_the_team(world, rivals, vendor_client):
    own = world["selection"]["offer"]
    svc.demo_create(offer=rivals["offer"], held_on=date(2026, 11, 21), notes="Nimbus demo went well")
    pages = [
        portal_url("portal"),
        portal_url("portal-offer", offer_id=own.pk),
        portal_url("portal-quotes", offer_id=own.pk),
        portal_url("portal-quote-delete", offer_id=own.pk, line_id=world["selection"]["line"].pk),
    ]
    for url in pages:
        response = vendor_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        leaked = [s for s in COMPETITOR_STRINGS + TEAM_STRINGS + ["Alpha scored low"] if s in content]
        assert leaked == [], f"{url} shows {leaked}"
    # what the vendor does need is there: their offer and the requirement to answer
    content = vendor_client.get(pages[1]).content.decode()
    assert "Alpha Soft" in content and "Real-time stock" in content and world["requirement"].key in content
    assert "Stock is updated within a second." in content  # the statement


def test_the_vendor_sees_only_the_portal_in_the_navigation(world, vendor_client):
    import lxml.html

    tree = lxml.html.fromstring(vendor_client.get(portal_url("portal")).content.decode())
    links = [a.get("href") for a in tree.xpath('//*[@data-testid="project-nav"]//a')]
    assert links == [portal_url("portal")]
    overview = reverse("projects:project-overview", kwargs={"project_code": "ACME"})
    assert overview not in [a.get("href") for a in tree.xpath("//a")]


def test_the_project_list_sends_the_vendor_to_the_portal_and_the_team_to_the_overview(world, vendor_client):
    content = vendor_client.get(reverse("projects:project-list")).content.decode()
    assert f'href="{portal_url("portal")}"' in content
    assert 'href="/p/ACME/"' not in content and 'href="/p/ACME/overview/"' not in content
    owner_page = client_for(world["team"]["owner"]).get(reverse("projects:project-list")).content.decode()
    overview = reverse("projects:project-overview", kwargs={"project_code": "ACME"})
    assert f'href="{overview}"' in owner_page and f'href="{portal_url("portal")}"' not in owner_page


def test_the_vendors_portal_lists_only_their_offers_and_the_team_sees_all(world, rivals, vendor_client):
    own, beta = world["selection"]["offer"], rivals["offer"]

    def offers(client) -> set[str]:
        import lxml.html

        tree = lxml.html.fromstring(client.get(portal_url("portal")).content.decode())
        return {row.get("data-offer") for row in tree.xpath('//*[@data-testid="portal-offer"]')}

    assert offers(vendor_client) == {str(own.pk)}
    for role in ("owner", "editor"):
        assert offers(client_for(world["team"][role])) == {str(own.pk), str(beta.pk)}
        assert client_for(world["team"][role]).get(portal_url("portal-offer", offer_id=beta.pk)).status_code == 200


def test_a_vendor_member_linked_to_no_vendor_has_nothing_to_answer(world, rivals):
    from projects.models import Membership

    vendor_membership = world["memberships"]["vendor"]
    world["selection"]["vendor"].portal_members.remove(vendor_membership)
    assert vendor_membership.role == Membership.Role.VENDOR
    client = client_for(world["team"]["vendor"])
    assert 'data-testid="portal-empty"' in client.get(portal_url("portal")).content.decode()
    assert client.get(portal_url("portal-offer", offer_id=world["selection"]["offer"].pk)).status_code == 404


def test_the_api_project_list_shows_a_vendor_member_nothing(world):
    vendor = world["memberships"]["vendor"].user
    owner = world["team"]["owner"]
    listed = client_for(vendor).get(reverse("api-projects:project-list")).json()
    assert listed["count"] == 0
    assert client_for(owner).get(reverse("api-projects:project-list")).json()["count"] == 1
