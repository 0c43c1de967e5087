"""The project overview: goals with their state and attainment, drivers by category, the upgrade path."""

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from projects.models import Membership
from projects.services.goals import driver_create, goal_create, kpi_create, measurement_create
from tests.conftest import client_for
from tests.projects.test_query_counts import queries_for

OVERVIEW_URL = reverse("projects:project-overview", kwargs={"project_code": "ACME"})
GOALS_URL = reverse("projects:goal-list", kwargs={"project_code": "ACME"})
DRIVERS_URL = reverse("projects:driver-list", kwargs={"project_code": "ACME"})
RACI_URL = reverse("projects:raci", kwargs={"project_code": "ACME"})


def goal_url(goal) -> str:
    return reverse("projects:goal-detail", kwargs={"project_code": "ACME", "goal_id": goal.pk})


def add_goal(project, statement: str, *, latest: str | None = None, owner: Membership | None = None):
    """A goal with one KPI from 0 to 100, measured at `latest` if given."""
    goal = goal_create(project=project, statement=statement, owner=owner)
    kpi = kpi_create(goal=goal, name=f"KPI of {statement}", unit="%", baseline=Decimal(0), target=Decimal(100))
    if latest is not None:
        measurement_create(kpi=kpi, date=date(2026, 1, 31), value=Decimal(latest))
    return goal


def section(content: str, testid: str) -> str:
    start = content.index(f'data-testid="{testid}"')
    return content[start : content.index("card-footer", start)]


def test_the_overview_shows_each_goal_with_its_state_attainment_and_link(project, viewer):
    achieved = add_goal(project, "Close the books in 2 days", latest="100")
    unmeasured = add_goal(project, "Stock counts match the system")

    response = client_for(viewer).get(OVERVIEW_URL)

    assert response.status_code == 200
    goals = section(response.content.decode(), "overview-goals")
    assert goal_url(achieved) in goals
    assert goal_url(unmeasured) in goals
    assert re.search(r'data-state="achieved"', goals)
    assert re.search(r'data-state="no_data"', goals)
    assert "100%" in goals
    assert 'style="width: 100%"' in goals
    assert "2 goals" in goals


def test_a_goal_part_way_shows_its_attainment(project, viewer):
    add_goal(project, "Turn stock over faster", latest="40")

    goals = section(client_for(viewer).get(OVERVIEW_URL).content.decode(), "overview-goals")

    assert "40%" in goals
    assert 'style="width: 40%"' in goals


def test_without_goals_the_overview_says_so_and_links_to_the_goals_page(project, editor, viewer):
    editor_page = client_for(editor).get(OVERVIEW_URL).content.decode()
    viewer_page = client_for(viewer).get(OVERVIEW_URL).content.decode()

    assert 'data-testid="overview-goals-empty"' in editor_page
    assert 'data-testid="overview-goal"' not in editor_page
    empty = editor_page[editor_page.index('data-testid="overview-goals-empty"') :]
    assert GOALS_URL in empty[: empty.index("</div>")]
    assert "Set the goals" in editor_page
    assert "Go to goals and KPIs" in viewer_page


def test_the_overview_counts_drivers_per_category_with_the_highest_severity(project, viewer):
    driver_create(project=project, category="functional_gap", statement="No batch tracking", severity=2)
    driver_create(project=project, category="functional_gap", statement="No mobile stock-taking", severity=4)
    driver_create(project=project, category="cost_security", statement="Unsupported database", severity=5)

    response = client_for(viewer).get(OVERVIEW_URL)

    assert response.context["driver_categories"] == [
        ("Scale and complexity", 0, None),
        ("Functional gap", 2, 4),
        ("Architecture and integration", 0, None),
        ("Cost and security", 1, 5),
    ]
    drivers = section(response.content.decode(), "overview-drivers")
    assert re.search(r"Functional gap</span>\s*<span[^>]*>severity 4</span>\s*<strong[^>]*>2</strong>", drivers)
    assert re.search(r"Cost and security</span>\s*<span[^>]*>severity 5</span>\s*<strong[^>]*>1</strong>", drivers)
    assert re.search(r"Scale and complexity</span>\s*<strong[^>]*>0</strong>", drivers)
    assert DRIVERS_URL in drivers


def test_without_drivers_the_card_says_what_to_record(project, viewer):
    content = client_for(viewer).get(OVERVIEW_URL).content.decode()

    assert 'data-testid="overview-drivers-empty"' in content
    assert 'data-testid="overview-driver-category"' not in content
    card = content[content.index('data-testid="overview-drivers"') : content.index("Team by department")]
    assert DRIVERS_URL in card


def test_with_drivers_every_category_is_listed_even_when_empty(project, viewer):
    driver_create(project=project, category="scale", statement="Twice the stores")

    content = client_for(viewer).get(OVERVIEW_URL).content.decode()

    assert len(re.findall(r'data-testid="overview-driver-category"', content)) == 4
    assert "No drivers recorded yet" not in content


def test_the_upgrade_path_shows_goals_as_built_with_drivers_and_raci(project, viewer):
    add_goal(project, "Close the books in 2 days")
    driver_create(project=project, category="scale", statement="Twice the stores")

    content = client_for(viewer).get(OVERVIEW_URL).content.decode()

    entry = content[content.index('data-testid="upgrade-path-goals"') :]
    entry = entry[: entry.index("list-group-item-action")]
    assert "not built yet" not in entry
    assert "1 goal · 1 driver" in entry
    assert DRIVERS_URL in entry
    assert RACI_URL in entry
    assert "not built yet" not in content  # every module of the upgrade path is built


def test_the_overview_keeps_phase_go_live_legacy_system_and_team(project, owner, editor):
    content = client_for(owner).get(OVERVIEW_URL).content.decode()

    assert 'data-testid="phase"' in content
    assert "Legacy desktop inventory" in content
    assert "2 people" in content
    assert "Team by department" in content


def test_the_overview_costs_the_same_queries_for_2_or_6_goals(project, owner):
    client = client_for(owner)
    lead = Membership.objects.get(project=project, user=owner)

    def grow(n: int) -> None:
        for i in range(n):
            driver = driver_create(project=project, category="functional_gap", statement=f"Gap {i}", severity=3)
            goal = add_goal(project, f"Goal {i}", latest=str(10 * i), owner=lead)
            goal.drivers.add(driver)
            kpi_create(goal=goal, name=f"Second KPI {i}", baseline=Decimal(10), target=Decimal(5), direction="lower")

    grow(2)
    small = queries_for(client, OVERVIEW_URL)
    grow(4)
    large = queries_for(client, OVERVIEW_URL)

    assert len(client.get(OVERVIEW_URL).context["goal_rows"]) == 6
    assert large == small == 9
