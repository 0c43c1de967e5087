"""Scripted demos: scenarios (with the four standard ones), sessions per offer, and the attendees' ratings."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from requirements import selection as svc
from requirements import services
from requirements.demos import STANDARD_SCENARIOS
from requirements.models import DemoRating, DemoScenario, DemoSession
from tests.conftest import client_for

STANDARD_TITLES = ["Order-to-cash", "Procure-to-pay with three-way match", "Stock-take", "Month-end close"]


@pytest.fixture
def offers(project):
    alpha = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Alpha Soft"), product="Alpha", deployment="on_premise"
    )
    beta = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Beta Cloud"), product="Beta", deployment="saas"
    )
    return alpha, beta


@pytest.fixture
def session(project, offers):
    first = svc.scenario_create(project=project, title="Receive a short delivery")
    second = svc.scenario_create(project=project, title="Count zone A")
    return svc.demo_create(offer=offers[0], held_on=date(2026, 11, 20), place="Room 3", scenarios=[first, second])


def _list_url(project):
    return reverse("requirements:demo-list", args=[project.code])


def _detail_url(project, session):
    return reverse("requirements:demo-detail", args=[project.code, session.pk])


def _tree(response):
    return lxml_html.fromstring(response.content.decode())


def _texts(tree, testid: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(f'//*[@data-testid="{testid}"]')]


# Scenarios


def test_an_editor_adds_a_scenario_with_the_requirements_it_demonstrates(project, editor):
    batch = services.requirement_create(project=project, title="Batch tracking", statement="s")
    services.requirement_create(project=project, title="Dashboards", statement="s")
    client = client_for(editor)
    form = client.get(_list_url(project)).content.decode()
    assert f"{batch.key} — Batch tracking" in form  # the multi-select shows the keys
    response = client.post(
        _list_url(project),
        {
            "action": "scenario",
            "title": "Receive with batches",
            "script": "1. Scan\r\n2. Post",
            "requirements": [batch.pk],
        },
    )
    scenario = DemoScenario.objects.get(project=project)
    assert response.status_code == 302 and response["Location"].endswith(f"#scenario-{scenario.pk}")
    assert scenario.script == "1. Scan\n2. Post"
    assert list(scenario.requirements.all()) == [batch]
    page = _tree(client.get(_list_url(project)))
    assert _texts(page, "scenario-title") == ["Receive with batches"]
    assert _texts(page, "scenario-requirement") == [batch.key]


def test_a_scenario_without_a_title_is_refused_and_what_was_typed_stays(project, editor):
    response = client_for(editor).post(_list_url(project), {"action": "scenario", "script": "Show the stock"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content and "Show the stock" in content
    assert not DemoScenario.objects.exists()


def test_an_empty_post_re_shows_the_form(project, editor):
    response = client_for(editor).post(_list_url(project), {})
    assert response.status_code == 200
    assert not DemoScenario.objects.exists()


def test_the_standard_scenarios_are_added_once(project, owner):
    client = client_for(owner)
    page = _tree(client.get(_list_url(project)))
    assert page.xpath('//*[@data-testid="add-standard"]') and page.xpath('//*[@data-testid="scenarios-empty"]')
    response = client.post(_list_url(project), {"action": "standard"})
    assert response.status_code == 302
    assert list(DemoScenario.objects.filter(project=project).values_list("title", flat=True)) == STANDARD_TITLES
    three_way = DemoScenario.objects.get(title="Procure-to-pay with three-way match")
    assert "receipt" in three_way.script and "invoice" in three_way.script  # the three documents matched
    client.post(_list_url(project), {"action": "standard"})  # again: nothing new
    assert DemoScenario.objects.filter(project=project).count() == len(STANDARD_SCENARIOS) == 4
    page = _tree(client.get(_list_url(project)))
    assert not page.xpath('//*[@data-testid="add-standard"]')  # nothing left to add
    assert (
        "The standard scenarios are there already."
        in client.post(_list_url(project), {"action": "standard"}, follow=True).content.decode()
    )


def test_only_the_missing_standard_scenarios_are_added(project, owner):
    svc.scenario_create(project=project, title="Stock-take", script="Our own script")
    client_for(owner).post(_list_url(project), {"action": "standard"})
    titles = list(DemoScenario.objects.filter(project=project).values_list("title", flat=True))
    assert sorted(titles) == sorted(STANDARD_TITLES)
    assert DemoScenario.objects.get(title="Stock-take").script == "Our own script"


def test_a_scenario_is_edited_and_deleted(project, editor, session):
    scenario = session.scenarios.get(title="Count zone A")
    client = client_for(editor)
    edit = reverse("requirements:scenario-edit", args=[project.code, scenario.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "Count zone B", "script": "Blind count"})
    scenario.refresh_from_db()
    assert (scenario.title, scenario.script) == ("Count zone B", "Blind count")
    delete = reverse("requirements:scenario-delete", args=[project.code, scenario.pk])
    assert "Delete the scenario “Count zone B”?" in client.get(delete).content.decode()
    client.post(delete)
    assert not DemoScenario.objects.filter(pk=scenario.pk).exists()
    assert list(session.scenarios.values_list("title", flat=True)) == ["Receive a short delivery"]


def test_another_projects_scenario_is_not_found(project, editor, outsider):
    from projects.models import Project

    other = Project.objects.get(code="OTHER")
    foreign = svc.scenario_create(project=other, title="Theirs")
    response = client_for(editor).get(reverse("requirements:scenario-edit", args=[project.code, foreign.pk]))
    assert response.status_code == 404


# Sessions


def test_an_editor_adds_a_demo_session_for_an_offer(project, editor, offers):
    scenario = svc.scenario_create(project=project, title="Order-to-cash")
    response = client_for(editor).post(
        _list_url(project),
        {
            "action": "demo",
            "offer": offers[1].pk,
            "held_on": "2026-11-21",
            "place": "Shanghai office",
            "scenarios": [scenario.pk],
            "notes": "Bring the test items.",
        },
    )
    demo = DemoSession.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail_url(project, demo)
    assert (demo.offer, demo.held_on, demo.place) == (offers[1], date(2026, 11, 21), "Shanghai office")
    assert list(demo.scenarios.all()) == [scenario]


def test_a_demo_without_offer_or_date_is_refused(project, editor, offers):
    response = client_for(editor).post(_list_url(project), {"action": "demo", "place": "Room 1"})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2
    assert not DemoSession.objects.exists()


def test_the_list_groups_the_sessions_by_offer_with_their_mean(project, owner, editor, offers, session):
    first, second = session.scenarios.order_by("pk")
    svc.demo_rate(session=session, scenario=first, attendee=owner, value=5)
    svc.demo_rate(session=session, scenario=second, attendee=editor, value=2)
    page = _tree(client_for(owner).get(_list_url(project)))
    groups = page.xpath('//*[@data-testid="offer-demos"]')
    assert [g.get("data-offer") for g in groups] == [str(offers[0].pk), str(offers[1].pk)]
    assert _texts(page, "session-mean") == ["3.5 / 5 (2)"]  # (5 + 2) / 2
    assert "No demo yet." in groups[1].text_content()


def test_the_demo_list_reads_the_same_number_of_queries_for_2_or_5_sessions(project, owner, offers):
    scenarios = [svc.scenario_create(project=project, title=f"S{n}") for n in range(2)]
    for n in range(2):
        svc.demo_create(offer=offers[n % 2], held_on=date(2026, 11, n + 1), scenarios=scenarios)
    client = client_for(owner)
    client.get(_list_url(project))
    with CaptureQueriesContext(connection) as first:
        client.get(_list_url(project))
    for n in range(3):
        demo = svc.demo_create(offer=offers[n % 2], held_on=date(2026, 12, n + 1), scenarios=scenarios)
        svc.demo_rate(session=demo, scenario=scenarios[0], attendee=owner, value=3)
        svc.scenario_create(project=project, title=f"More {n}")
    with CaptureQueriesContext(connection) as second:
        page = _tree(client.get(_list_url(project)))
    assert len(page.xpath('//*[@data-testid="session-row"]')) == 5
    assert len(second) == len(first)


def test_a_session_is_edited_and_deleted(project, editor, session):
    client = client_for(editor)
    edit = reverse("requirements:demo-edit", args=[project.code, session.pk])
    keep = session.scenarios.get(title="Count zone A")
    response = client.post(edit, {"held_on": "2026-11-22", "place": "Warehouse", "scenarios": [keep.pk], "notes": ""})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.held_on, session.place) == (date(2026, 11, 22), "Warehouse")
    assert list(session.scenarios.all()) == [keep]
    client.post(reverse("requirements:demo-delete", args=[project.code, session.pk]))
    assert not DemoSession.objects.exists()
    assert DemoScenario.objects.count() == 2  # the scenarios stay


# Ratings


def test_attendees_rate_each_scenario_and_see_the_mean(project, owner, editor, session):
    scenario = session.scenarios.get(title="Receive a short delivery")
    url = _detail_url(project, session)
    response = client_for(owner).post(url, {"scenario": scenario.pk, "value": "4", "note": "Quick match"})
    assert response.status_code == 302 and response["Location"].endswith(f"#scenario-{scenario.pk}")
    client_for(editor).post(url, {"scenario": scenario.pk, "value": "1", "note": "No batch on receipt"})
    client_for(editor).post(url, {"scenario": scenario.pk, "value": "2", "note": "No batch on receipt"})  # changed
    assert DemoRating.objects.count() == 2
    page = _tree(client_for(owner).get(url))
    card = page.xpath(f'//*[@data-testid="demo-scenario"][@data-scenario="{scenario.pk}"]')[0]
    assert " ".join(card.xpath('.//*[@data-testid="scenario-mean"]')[0].text_content().split()) == "3.0 / 5"
    ratings = [
        [td.text_content().strip() for td in r.xpath("./td")][1:] for r in card.xpath('.//*[@data-testid="rating"]')
    ]
    assert sorted(ratings) == [["2", "No batch on receipt"], ["4", "Quick match"]]
    # the owner's own score is pre-selected in their form
    assert card.xpath('.//input[@name="value"][@checked]/@value') == ["4"]
    assert _texts(page, "demo-mean")[0].startswith("3.0 / 5")


def test_a_rating_without_a_score_is_refused(project, owner, session):
    scenario = session.scenarios.first()
    response = client_for(owner).post(_detail_url(project, session), {"scenario": scenario.pk, "note": "Hm"})
    assert response.status_code == 200
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert not DemoRating.objects.exists()


def test_a_scenario_not_shown_in_the_session_cannot_be_rated(project, owner, session):
    elsewhere = svc.scenario_create(project=project, title="Month-end close")
    response = client_for(owner).post(_detail_url(project, session), {"scenario": elsewhere.pk, "value": "5"})
    assert response.status_code == 200
    assert "not part of this demo" in response.content.decode()
    assert not DemoRating.objects.exists()
    assert client_for(owner).post(_detail_url(project, session), {}).status_code == 200


def test_a_viewer_sees_the_ratings_but_cannot_rate(project, owner, viewer, session):
    scenario = session.scenarios.first()
    svc.demo_rate(session=session, scenario=scenario, attendee=owner, value=4)
    client = client_for(viewer)
    page = client.get(_detail_url(project, session))
    assert page.status_code == 200
    tree = _tree(page)
    assert _texts(tree, "rating") and not tree.xpath('//*[@data-testid="rating-form"]')
    response = client.post(_detail_url(project, session), {"scenario": scenario.pk, "value": "1"})
    assert response.status_code == 403
    assert list(DemoRating.objects.values_list("value", flat=True)) == [4]
    assert client.post(_list_url(project), {"action": "standard"}).status_code == 403
    assert not _tree(client.get(_list_url(project))).xpath('//*[@data-testid="scenario-form"]')
