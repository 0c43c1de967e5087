"""SLA compliance figures and the hypercare exit rules against hand-computed values."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from projects.sla_compliance import Outcome, by_vendor_severity_month, compliance, hypercare_exit, nearest_rank

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 11, 15, 12, 0, tzinfo=SHANGHAI)


def outcome(
    opened: datetime,
    severity="critical",
    vendor="Northwind",
    *,
    open_=False,
    response=None,
    response_met=None,
    resolution=None,
    resolution_met=None,
) -> Outcome:
    return Outcome(opened, severity, vendor, open_, response, response_met, resolution, resolution_met)


def test_nearest_rank_percentiles_are_values_that_occurred():
    values = [15, 20, 35, 40, 50]
    assert nearest_rank(values, 30) == 20
    assert nearest_rank(values, 50) == 35
    assert nearest_rank(values, 90) == 50
    assert nearest_rank([], 90) is None


def test_compliance_per_vendor_severity_and_month():
    october = datetime(2025, 10, 20, 10, tzinfo=SHANGHAI)
    outcomes = [
        outcome(october, response=20, response_met=True, resolution=180, resolution_met=True),
        outcome(october, response=40, response_met=False, resolution=300, resolution_met=False),
        outcome(october, response=10, response_met=True, resolution=240, resolution_met=True),
        outcome(october, open_=True),  # just opened: nothing decided, no times yet
        outcome(october, open_=True, response=50, response_met=False, resolution=None, resolution_met=False),
        outcome(
            datetime(2025, 11, 3, 9, tzinfo=SHANGHAI),
            "major",
            response=60,
            response_met=True,
            resolution=900,
            resolution_met=True,
        ),
    ]

    figures = compliance(outcomes, by_vendor_severity_month)

    assert list(figures) == [("Northwind", "critical", "2025-10"), ("Northwind", "major", "2025-11")]
    critical = figures[("Northwind", "critical", "2025-10")]
    assert critical.count == 5
    assert (critical.response_met, critical.response_missed, critical.response_percent) == (2, 2, 50.0)
    assert (critical.resolution_met, critical.resolution_missed, critical.resolution_percent) == (2, 2, 50.0)
    # Response times of the four answered or overdue: 10, 20, 40, 50 → mean 30, p90 the 4th of 4 = 50.
    assert (critical.response_mean, critical.response_p90) == (30.0, 50)
    # Resolution times of the three closed: 180, 240, 300 → mean 240, p90 the 3rd of 3 = 300.
    assert (critical.resolution_mean, critical.resolution_p90) == (240.0, 300)
    major = figures[("Northwind", "major", "2025-11")]
    assert (major.count, major.response_percent, major.resolution_percent, major.resolution_p90) == (
        1,
        100.0,
        100.0,
        900,
    )


def _closed(days_ago: float, met: bool = True, severity: str = "minor") -> Outcome:
    return outcome(
        NOW - timedelta(days=days_ago), severity, response=30, response_met=met, resolution=120, resolution_met=met
    )


def test_hypercare_can_end_when_all_three_criteria_are_met():
    outcomes = [_closed(d) for d in (8, 9, 11, 13)] + [_closed(2), _closed(5)]
    judgement = hypercare_exit(outcomes, now=NOW, days=7, threshold=90)
    assert [(c.name, c.verdict, c.value, c.target) for c in judgement.criteria] == [
        ("no_open_critical", "met", 0, 0),
        ("compliance", "met", 100.0, 90),
        ("inflow_down", "met", 2, 4),
    ]
    assert judgement.exit and judgement.holding == []


def test_an_open_critical_incident_and_a_rising_inflow_hold_hypercare():
    critical_open = outcome(NOW - timedelta(days=1), "critical", open_=True)
    outcomes = [_closed(9), _closed(10), _closed(3), _closed(4, met=False), critical_open]
    judgement = hypercare_exit(outcomes, now=NOW, days=7, threshold=90)
    verdicts = {c.name: (c.verdict, c.value) for c in judgement.criteria}
    assert verdicts == {
        "no_open_critical": ("not_met", 1),
        "compliance": ("not_met", 50.0),  # of the two decided in the last 7 days, one met
        "inflow_down": ("not_met", 3),  # 3 in the last 7 days against 2 before
    }
    assert not judgement.exit and [c.name for c in judgement.holding] == [
        "no_open_critical",
        "compliance",
        "inflow_down",
    ]


def test_incidents_still_within_their_time_give_no_compliance_data_yet():
    judgement = hypercare_exit([outcome(NOW - timedelta(hours=2), "minor", open_=True)], now=NOW, days=7, threshold=90)
    assert {c.name: c.verdict for c in judgement.criteria}["compliance"] == "no_data"
    assert not judgement.exit


def test_no_incident_at_all_lets_hypercare_end():
    judgement = hypercare_exit([], now=NOW, days=7, threshold=90)
    assert judgement.exit
