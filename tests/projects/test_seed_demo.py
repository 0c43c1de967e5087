from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from projects.demo import DEMO_CODE, DEMO_PASSWORD
from projects.models import Membership, Project
from tests.factories import ProjectFactory


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_builds_the_retail_case_with_its_team(db):
    output = seed("--lang", "zh-hans")

    project = Project.objects.get(code=DEMO_CODE)
    assert "单机版" in project.legacy_system
    roles = dict(project.memberships.values_list("user__username", "role"))
    assert roles["lead"] == Membership.Role.OWNER
    assert roles["tester"] == Membership.Role.TESTER
    assert roles["vendor"] == Membership.Role.VENDOR
    departments = set(project.memberships.values_list("department", flat=True))
    assert {"management", "it", "finance", "procurement", "sales", "warehouse"} <= departments
    assert authenticate(username="lead", password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in output and "lead" in output


def test_running_it_again_changes_nothing(db):
    seed("--lang", "en")
    history_before = Project.history.count() + Membership.history.count()

    seed("--lang", "en")

    assert Project.objects.count() == 2  # the retail chain and the distribution centre after go-live
    assert Membership.objects.count() == 18
    assert Project.history.count() + Membership.history.count() == history_before


def test_switching_language_rewrites_the_demo_text_in_place(db):
    seed("--lang", "en")
    seed("--lang", "zh-hans")

    project = Project.objects.get(code=DEMO_CODE)
    assert project.name.startswith("零售连锁")
    assert Membership.objects.filter(project=project).count() == 9


def test_if_empty_leaves_a_database_with_real_projects_alone(db):
    ProjectFactory(code="REAL")

    output = seed("--if-empty")

    assert not Project.objects.filter(code=DEMO_CODE).exists()
    assert "not loaded" in output


def test_the_demo_carries_the_guides_goals_with_measurements_and_a_raci_matrix(db):
    from django.utils import timezone

    from projects.selectors.goals import goal_rows
    from projects.selectors.raci import raci_matrix

    seed("--lang", "en")
    project = Project.objects.get(code=DEMO_CODE)

    assert project.drivers.count() == 5
    assert set(project.drivers.values_list("category", flat=True)) == {
        "scale",
        "architecture",
        "functional_gap",
        "cost_security",
    }
    rows = goal_rows(project=project, today=timezone.localdate())
    targets = {row.kpi.name: (row.kpi.baseline, row.kpi.target) for goal in rows for row in goal.kpis}
    assert targets["Inventory record accuracy"][1] == 99.5
    assert targets["Month-end close"] == (5, 2)
    assert all(row.kpi.latest_value is not None for goal in rows for row in goal.kpis)
    assert all(goal.goal.drivers.exists() for goal in rows)
    matrix = raci_matrix(project=project)
    assert len(matrix.rows) == 9
    assert matrix.warning_count >= 1  # the demo leaves cutover without an accountable person, to show the warning


def test_running_the_full_demo_twice_adds_nothing(db):
    from projects.models import KPI, Measurement, RaciAssignment

    seed("--lang", "zh-hans")
    counts = (KPI.objects.count(), Measurement.objects.count(), RaciAssignment.objects.count())

    seed("--lang", "zh-hans")

    assert (KPI.objects.count(), Measurement.objects.count(), RaciAssignment.objects.count()) == counts
