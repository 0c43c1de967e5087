from decimal import Decimal

import pytest

from workbench.numbers import plain_decimal


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("99.5000"), "99.5"),
        (Decimal("100.0000"), "100"),  # Decimal.normalize() alone would say 1E+2
        (Decimal("0.0100"), "0.01"),
        (Decimal("-2.50"), "-2.5"),
        (7, "7"),
        (None, ""),
    ],
)
def test_numbers_are_written_as_people_write_them(value, shown):
    assert plain_decimal(value) == shown


def test_a_kpi_refusal_names_a_round_baseline_plainly(project):
    from django.core.exceptions import ValidationError

    from projects.services import goals as services

    goal = services.goal_create(project=project, statement="Faster counts")
    with pytest.raises(ValidationError) as caught:
        services.kpi_create(goal=goal, name="SKUs per hour", baseline=Decimal(100), target=Decimal(90))

    assert "(100)" in caught.value.message_dict["target"][0]
