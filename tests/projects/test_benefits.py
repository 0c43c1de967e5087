"""Benefits after go-live: each goal's KPIs at go-live and now against baseline and target, the change since
go-live, the state, the overall summary, and the same figures in an A4 PDF in English and Chinese."""

import re
import subprocess
from datetime import date
from decimal import Decimal

import lxml.html
from django.urls import reverse
from django.utils import translation

from projects import benefits
from projects.attainment import State
from projects.models import KPI, CutoverPlan, Goal, Measurement
from projects.services import golive
from tests.conftest import client_for

GO_LIVE = date(2026, 7, 1)
FAR = date(2099, 12, 31)  # a goal due far ahead: any progress short of the target is on track, whatever today is


def page_url(name: str = "benefits") -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME"})


def set_go_live(project, day: date | None = GO_LIVE) -> CutoverPlan:
    plan = golive.plan_for(project)
    plan.go_live_date = day
    plan.save()
    return plan


def goal(project, statement: str, **fields) -> Goal:
    fields.setdefault("due", FAR)
    return Goal.objects.create(project=project, statement=statement, **fields)


def kpi(goal_: Goal, name: str, baseline, target, values=(), **fields) -> KPI:
    fields.setdefault("direction", KPI.Direction.HIGHER if Decimal(target) > Decimal(baseline) else KPI.Direction.LOWER)
    item = KPI.objects.create(goal=goal_, name=name, baseline=Decimal(baseline), target=Decimal(target), **fields)
    for day, value in values:
        Measurement.objects.create(kpi=item, date=day, value=Decimal(value))
    return item


def accuracy(project) -> KPI:
    """Baseline 92 %, target 99.5 %; 90.0 in May and 93.1 in June before go-live, 97.6 in August after it."""
    return kpi(
        goal(project, "One real-time stock figure"),
        "Inventory record accuracy",
        "92",
        "99.5",
        [(date(2026, 5, 31), "90.0"), (date(2026, 6, 30), "93.1"), (date(2026, 8, 31), "97.6")],
        unit="%",
    )


def parse(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def text_of(node) -> str:
    return re.sub(r"\s+", " ", node.text_content()).strip()


def part(tree, testid: str, within: str = "") -> str:
    nodes = tree.xpath(f"{within}//*[@data-testid='{testid}']")
    assert nodes, f"no {testid}"
    return text_of(nodes[0])


def kpi_block(kpi_: KPI) -> str:
    return f"//*[@data-testid='benefit-kpi'][@data-kpi='{kpi_.pk}']"


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", " ", out)


# The figures ----------------------------------------------------------------------------------------------------


def test_attainment_at_go_live_and_now_is_computed_by_hand(project, viewer):
    """(93.1 − 92) ÷ (99.5 − 92) = 14.67 % at go-live, (97.6 − 92) ÷ 7.5 = 74.67 % now: shown as 15 % and 75 %,
    rounded as the goals pages round; the change is +4.5 percentage points and +60 points of attainment."""
    set_go_live(project)
    item = accuracy(project)

    data = benefits.benefits(project=project, today=date(2026, 9, 15)).goals[0].kpis[0]
    assert data.at_go_live == Decimal("93.1") and data.at_go_live_date == date(2026, 6, 30)
    assert data.latest == Decimal("97.6") and data.latest_date == date(2026, 8, 31)
    assert data.before.attainment == Decimal("1.1") / Decimal("7.5")
    assert data.now.attainment == Decimal("5.6") / Decimal("7.5")
    assert (data.before.percent, data.now.percent) == (15, 75)
    assert data.change == Decimal("4.5") and data.points_change == 60 and data.improved is True

    tree = parse(client_for(viewer).get(page_url()))
    block = kpi_block(item)
    assert part(tree, "at-go-live", block).startswith("93.1 %")
    assert "measured 2026-06-30" in part(tree, "at-go-live", block)
    assert part(tree, "latest", block) == "97.6 % measured 2026-08-31"
    assert part(tree, "attainment-at-go-live", block).endswith("15 %")
    assert part(tree, "attainment-now", block).endswith("75 %")
    assert part(tree, "change", block).startswith("+4.5 percentage points")
    assert part(tree, "points-change", block) == "+60 pts of attainment"
    assert part(tree, "kpi-state", block) == "On track"
    assert part(tree, "baseline-target", block) == "92 → 99.5 %"

    # The goals page shows the same attainment for the same KPI.
    goal_page = client_for(viewer).get(reverse("projects:goal-detail", args=["ACME", item.goal_id])).content.decode()
    assert "75&nbsp;%" in goal_page


def test_a_kpi_where_lower_is_better(project, viewer):
    """Month-end close, baseline 5 days, target 2: 4.7 at go-live is (4.7 − 5) ÷ (2 − 5) = 10 %, 3.2 now is 60 %;
    the fall of 1.5 days is an improvement. Order lead time went up from 4 to 4.5 days: a change for the worse."""
    set_go_live(project)
    close = kpi(
        goal(project, "Close the month in 2 days"),
        "Month-end close",
        "5",
        "2",
        [(date(2026, 6, 15), "4.7"), (date(2026, 10, 31), "3.2")],
        unit="days",
    )
    lead = kpi(close.goal, "Order lead time", "5", "2", [(date(2026, 6, 1), "4"), (date(2026, 9, 1), "4.5")])

    rows = {row.kpi.pk: row for row in benefits.benefits(project=project, today=date(2026, 11, 1)).kpis}
    assert (rows[close.pk].before.percent, rows[close.pk].now.percent) == (10, 60)
    assert rows[close.pk].change == Decimal("-1.5") and rows[close.pk].improved is True
    assert rows[close.pk].points_change == 50
    # (4 − 5) ÷ −3 = 33 % at go-live, (4.5 − 5) ÷ −3 = 17 % now: 16.67 points lost, shown as −17
    assert (rows[lead.pk].before.percent, rows[lead.pk].now.percent) == (33, 17)
    assert rows[lead.pk].improved is False and rows[lead.pk].points_change == -17

    tree = parse(client_for(viewer).get(page_url()))
    assert part(tree, "change", kpi_block(close)).startswith("−1.5 days (better)")
    assert tree.xpath(f"{kpi_block(close)}//*[@data-testid='change']/span[contains(@class, 'text-green')]")
    assert part(tree, "change", kpi_block(lead)).startswith("+0.5 (worse)")
    assert tree.xpath(f"{kpi_block(lead)}//*[@data-testid='change']/span[contains(@class, 'text-red')]")
    assert part(tree, "points-change", kpi_block(lead)) == "−17 pts of attainment"


def test_a_measurement_on_the_go_live_date_is_the_value_at_go_live_not_a_benefit(project):
    set_go_live(project)
    item = kpi(goal(project, "Turnover"), "Inventory turnover", "6", "6.9", [(GO_LIVE, "6.3")])

    row = benefits.benefits(project=project, today=date(2026, 8, 1)).kpis[0]
    assert row.kpi == item and row.at_go_live == Decimal("6.3") and row.at_go_live_date == GO_LIVE
    assert row.latest is None and not row.measured_since and row.now.state == State.NO_DATA


def test_without_measurements_before_go_live_the_baseline_is_the_value_at_go_live(project, viewer):
    set_go_live(project)
    item = kpi(goal(project, "Count faster"), "Stock-take productivity", "25", "32.5", [(date(2026, 9, 30), "28")])

    row = benefits.benefits(project=project, today=date(2026, 10, 1)).kpis[0]
    assert row.at_go_live == Decimal("25") and row.at_go_live_date is None and row.before.percent == 0
    assert row.now.percent == 40  # (28 − 25) ÷ 7.5

    tree = parse(client_for(viewer).get(page_url()))
    assert part(tree, "at-go-live", kpi_block(item)) == "25 the baseline (nothing measured before)"


def test_a_kpi_not_measured_since_go_live_says_so_and_is_not_judged(project, viewer):
    """A measurement before go-live gives the goals pages a state; here nothing after go-live means no benefit."""
    set_go_live(project)
    measured = accuracy(project)
    quiet_goal = goal(project, "Sales flow straight into finance")
    quiet = kpi(quiet_goal, "Month-end close", "5", "2", [(date(2026, 6, 30), "4")])

    data = benefits.benefits(project=project, today=date(2026, 9, 1))
    row = next(r for r in data.kpis if r.kpi.pk == quiet.pk)
    assert row.now.attainment is None and row.now.state == State.NO_DATA and row.change is None
    assert row.before.percent == 33  # the value at go-live is still shown: (4 − 5) ÷ −3
    assert data.goals[1].state == State.NO_DATA

    tree = parse(client_for(viewer).get(page_url()))
    block = kpi_block(quiet)
    assert part(tree, "latest", block) == "not measured since go-live"
    assert part(tree, "kpi-state", block) == "Not measured since go-live"
    assert part(tree, "attainment-now", block).endswith("—")
    assert part(tree, "change", block) == "—"
    assert part(tree, "goal-state", f"//*[@data-goal='{quiet_goal.pk}']") == "Not measured since go-live"
    assert part(tree, "latest", kpi_block(measured)).startswith("97.6 %")
    assert part(tree, "kpis-measured") == "1 of 2"


def test_goal_summary_and_overall_counts(project, viewer):
    """Goal A: accuracy on track (75 %) and fill rate beyond target, (98.2 − 95) ÷ (98 − 95) = 107 % → average
    (74.67 + 106.67) ÷ 2 = 90.67 → 91 %, 1 of 2 achieved, the goal on track (its worst KPI). Goal B: achieved.
    Goal C: nothing since go-live. Goal D: no KPI at all, so no data either."""
    set_go_live(project)
    first = accuracy(project)
    kpi(first.goal, "Fill rate", "95", "98", [(date(2026, 9, 1), "98.2")], unit="%")
    kpi(goal(project, "Faster close"), "Month-end close", "5", "2", [(date(2026, 9, 30), "2")])
    kpi(goal(project, "Mobile counting"), "Productivity", "25", "32.5")
    goal(project, "A goal without KPIs")

    tree = parse(client_for(viewer).get(page_url()))
    within = f"//*[@data-goal='{first.goal_id}']"
    assert part(tree, "goal-average", within) == "91 %"
    assert part(tree, "goal-achieved", within) == "1 of 2"
    assert part(tree, "goal-measured", within) == "2 of 2"
    assert part(tree, "goal-state", within) == "On track"
    counts = {el.get("data-state"): el.get("data-count") for el in tree.xpath("//*[@data-testid='goal-counts']/*")}
    assert counts == {"achieved": "1", "on_track": "1", "at_risk": "0", "off_track": "0", "no_data": "2"}
    assert part(tree, "kpis-measured") == "3 of 4"
    assert part(tree, "kpis-achieved") == "2 at or beyond their target"
    assert tree.xpath("//*[@data-testid='goal-no-kpis']")


def test_each_kpi_links_to_its_page_with_a_trend_marked_at_go_live(project, viewer):
    set_go_live(project)
    item = accuracy(project)

    response = client_for(viewer).get(page_url())
    tree = parse(response)
    link = tree.xpath(f"{kpi_block(item)}//a[@data-testid='kpi-link']")[0]
    assert link.get("href") == reverse("projects:kpi-detail", args=["ACME", item.pk]) and link.text == item.name
    chart = part(tree, "kpi-chart", kpi_block(item))
    assert "Go-live 2026-07-01" in chart and "Target 99.5" in chart and "Baseline 92" in chart
    assert response.content.decode().count('id="activate-serie-0"') == 0  # no id repeated across the charts
    assert tree.xpath(f"//a[@data-testid='benefits-pdf'][@href='{page_url('benefits-pdf')}']")
    assert tree.xpath("//*[@data-testid='sla-tabs']//a[@aria-current='page']")[0].get("href") == page_url()


def test_without_a_go_live_date_the_page_says_so_and_still_shows_baseline_and_target(project, viewer):
    item = accuracy(project)

    tree = parse(client_for(viewer).get(page_url()))
    notice = part(tree, "no-go-live")
    assert "The go-live date is not set" in notice and "measured from go-live" in notice
    link = tree.xpath("//a[@data-testid='cutover-plan-link']")[0]
    assert link.get("href") == reverse("projects:cutover-plan", args=["ACME"])
    assert part(tree, "baseline-target", kpi_block(item)) == "92 → 99.5 %"
    assert part(tree, "latest", kpi_block(item)) == "97.6 % measured 2026-08-31"
    assert not tree.xpath("//*[@data-testid='at-go-live']") and not tree.xpath("//*[@data-testid='change']")
    assert part(tree, "go-live-date") == "—"
    assert not CutoverPlan.objects.exists()  # reading the page creates no plan

    set_go_live(project, None)  # a plan without a date says the same
    assert "The go-live date is not set" in part(parse(client_for(viewer).get(page_url())), "no-go-live")


def test_a_go_live_still_ahead_is_announced(project, viewer):
    set_go_live(project, date(2099, 1, 1))
    accuracy(project)
    tree = parse(client_for(viewer).get(page_url()))
    assert "Go-live is planned for 2099-01-01" in part(tree, "before-go-live")
    assert part(tree, "kpis-measured") == "0 of 1"


def test_without_goals_the_page_points_to_the_goals(project, viewer):
    tree = parse(client_for(viewer).get(page_url()))
    assert "No goals yet" in part(tree, "benefits-empty")
    assert tree.xpath(f"//*[@data-testid='benefits-empty']//a[@href='{reverse('projects:goal-list', args=['ACME'])}']")


# Query counts ---------------------------------------------------------------------------------------------------


def grow(project, goals: int, kpis: int, months: int) -> None:
    for g in range(goals):
        owner_goal = goal(project, f"Goal {g}")
        for k in range(kpis):
            values = [(date(2026, 1 + m, 28), str(92 + m)) for m in range(months)]
            kpi(owner_goal, f"KPI {g}.{k}", "90", "100", values)


# session, user, membership, cutover plan, measurements, goals, their drivers, their KPIs
PAGE_QUERIES = 8


def test_the_page_costs_the_same_however_many_goals_kpis_and_measurements(project, viewer, django_assert_num_queries):
    set_go_live(project)
    grow(project, 1, 1, 1)
    client = client_for(viewer)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(page_url()).status_code == 200
    grow(project, 4, 5, 10)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(page_url()).status_code == 200


def test_the_pdf_costs_the_same_however_many_kpis(project, viewer, django_assert_num_queries):
    set_go_live(project)
    grow(project, 1, 1, 2)
    client = client_for(viewer)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(page_url("benefits-pdf")).status_code == 200
    grow(project, 2, 3, 6)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(page_url("benefits-pdf")).status_code == 200


# The PDF --------------------------------------------------------------------------------------------------------


def download(client) -> bytes:
    response = client.get(page_url("benefits-pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="ACME-benefits-report.pdf"' in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_pdf_holds_the_summary_and_each_goals_kpis(project, viewer):
    set_go_live(project)
    item = accuracy(project)
    kpi(goal(project, "Sales flow straight into finance"), "Month-end close", "5", "2", [(date(2026, 6, 30), "4")])

    data = download(client_for(viewer))
    assert data.startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "(A4)" in info
    text = pdf_text(data)
    assert "Benefits report" in text and "ACME inventory upgrade" in text and "2026-07-01" in text
    assert "One real-time stock figure" in text and item.name in text
    assert "Sales flow straight into finance" in text and "State Not measured since go-live" in text
    assert "15 % → 75 %" in text and "+4.5" in text and "+60 pts" in text
    assert "Go-live 2026-07-01" in text  # the chart's legend


def test_the_pdf_without_a_go_live_date(project, viewer):
    accuracy(project)
    text = pdf_text(download(client_for(viewer)))
    assert "The go-live date is not set." in text and "One real-time stock figure" in text and "92 → 99.5" in text


def test_the_pdf_in_chinese(project):
    set_go_live(project)
    kpi(goal(project, "库存账实一致"), "库存记录准确率", "92", "99.5", [(date(2026, 8, 31), "97.6")], unit="%")
    with translation.override("zh-hans"):
        data = benefits.benefits_pdf(benefits.benefits_context(project=project))
    text = pdf_text(data)
    assert "库存账实一致" in text and "库存记录准确率" in text and "状态" in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "CJK" in fonts and " yes " in fonts  # embedded


def test_who_may_read_the_benefits(project, team, outsider):
    for role in ("owner", "editor", "tester", "viewer"):
        assert client_for(team[role]).get(page_url()).status_code == 200
    assert client_for(team["vendor"]).get(page_url()).status_code == 403
    assert client_for(outsider).get(page_url("benefits-pdf")).status_code == 404
