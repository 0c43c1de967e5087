from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import KPI, Membership
from projects.services import ProjectError
from projects.services import goals as services
from tests.factories import ProjectFactory


@pytest.fixture
def goal(project, owner):
    return services.goal_create(project=project, statement="Close the month in 2 days")


def test_a_target_equal_to_the_baseline_is_refused(goal):
    with pytest.raises(ValidationError) as caught:
        services.kpi_create(goal=goal, name="Close", direction="lower", baseline=Decimal(5), target=Decimal(5))

    assert "equals the baseline" in str(caught.value.message_dict["target"])
    assert not KPI.objects.exists()


@pytest.mark.parametrize(("direction", "target", "word"), [("higher", "90", "above"), ("lower", "7", "below")])
def test_a_target_on_the_wrong_side_for_the_direction_is_refused(goal, direction, target, word):
    with pytest.raises(ValidationError) as caught:
        services.kpi_create(
            goal=goal,
            name="K",
            direction=direction,
            baseline=Decimal(5 if word == "below" else 92),
            target=Decimal(target),
        )

    assert word in caught.value.message_dict["target"][0]
    assert not KPI.objects.exists()


def test_the_database_refuses_a_meaningless_target_too(goal):
    with pytest.raises(IntegrityError), transaction.atomic():
        KPI.objects.create(goal=goal, name="K", direction="higher", baseline=Decimal(5), target=Decimal(4))


def test_a_goal_owner_must_belong_to_the_project(project, goal):
    stranger = Membership.objects.create(project=ProjectFactory(), user=project.memberships.first().user, role="owner")
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, expected_version=goal.version, owner=stranger)


def test_a_goal_cannot_link_another_projects_driver(project):
    foreign = services.driver_create(project=ProjectFactory(), category="scale", statement="Elsewhere")

    with pytest.raises(ProjectError):
        services.goal_create(project=project, statement="Mine", drivers=[foreign])


def test_one_measurement_per_kpi_and_date(goal):
    kpi = services.kpi_create(goal=goal, name="Close", direction="lower", baseline=Decimal(5), target=Decimal(2))
    services.measurement_create(kpi=kpi, date=date(2026, 10, 31), value=Decimal(4))

    with pytest.raises(ValidationError):
        services.measurement_create(kpi=kpi, date=date(2026, 10, 31), value=Decimal(3))
    assert kpi.measurements.count() == 1


def test_library_defaults_come_in_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        fields = services.library_defaults("month_end_close_days")
    assert fields["name"] == "Month-end close"
    assert fields["direction"] == "lower"
    with pytest.raises(ProjectError):
        services.library_defaults("no-such-kpi")
