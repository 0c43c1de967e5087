"""The vendor comparison from the database: ranking, knock-outs, coverage, TCO with fit-gap customisation,
sensitivity, and the evaluators' independence. Figures are worked out by hand in the comments."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requirements import selection as svc
from requirements import services
from requirements.comparison import build_comparison, evaluator_scores
from requirements.models import Requirement


@pytest.fixture
def case(project, owner):
    r1 = services.requirement_create(project=project, title="Batch tracking", statement="s", priority="must")
    r2 = services.requirement_create(project=project, title="Offline scanning", statement="s", priority="must")
    r3 = services.requirement_create(project=project, title="Dashboards", statement="s", priority="should")
    r4 = services.requirement_create(project=project, title="Fax orders", statement="s", priority="must")
    Requirement.objects.filter(pk=r4.pk).update(status=Requirement.Status.REJECTED)  # no longer asked for
    # weights 3 : 1 : 1 → shares 0.6, 0.2, 0.2; groups: functionality 0.8, cost 0.2
    batch = svc.criterion_create(project=project, name="Batch and expiry", group="functionality", weight=Decimal(3))
    mobile = svc.criterion_create(project=project, name="Mobile app", group="functionality", weight=Decimal(1))
    price = svc.criterion_create(project=project, name="Price", group="cost", weight=Decimal(1))
    a = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Alpha Soft"), product="Alpha", deployment="on_premise"
    )
    b = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Beta Cloud"), product="Beta", deployment="saas"
    )
    c = svc.offer_create(
        vendor=svc.vendor_create(project=project, name="Gamma ERP"), product="Gamma", deployment="erp_module"
    )
    for offer, values in ((a, (4, 3, 2)), (b, (3, 5, 5)), (c, (5, 5, 5))):
        for criterion, value in zip((batch, mobile, price), values, strict=True):
            svc.agreed_score_set(offer=offer, criterion=criterion, value=value)
    intranet = svc.knockout_create(project=project, text="Runs on our intranet")
    svc.knockout_check(knockout=intranet, offer=a, passed=True)
    svc.knockout_check(knockout=intranet, offer=b, passed=True)
    svc.knockout_check(knockout=intranet, offer=c, passed=False, reason="Cloud only")
    svc.quote_line_create(offer=a, kind="licence", amount=Decimal(100000))
    svc.quote_line_create(offer=a, kind="maintenance", amount=Decimal(18000), year_from=2)
    svc.quote_line_create(offer=b, kind="implementation", amount=Decimal(40000))
    svc.quote_line_create(offer=b, kind="subscription", amount=Decimal(30000))
    svc.fit_set(offer=a, requirement=r1, level="customisation", effort_days=Decimal(10), cost=Decimal(20000))
    svc.fit_set(offer=a, requirement=r2, level="standard")
    svc.fit_set(offer=a, requirement=r4, level="customisation", cost=Decimal(99999))  # rejected: left out
    svc.fit_set(offer=b, requirement=r1, level="configuration")
    svc.fit_set(offer=b, requirement=r3, level="not_supported")
    return {"a": a, "b": b, "c": c, "r1": r1, "r2": r2, "criteria": (batch, mobile, price)}


def _row(comparison, offer):
    return next(r for r in comparison.rows if r.offer.pk == offer.pk)


def test_offers_are_ranked_by_weighted_score_and_the_knocked_out_one_apart(project, case):
    comparison = build_comparison(project)
    a, b, c = (_row(comparison, case[k]) for k in "abc")
    # A: .6·4 + .2·3 + .2·2 = 3.4; B: .6·3 + .2·5 + .2·5 = 3.8; C: 5, but it fails a knock-out
    assert a.score.total == pytest.approx(3.4) and b.score.total == pytest.approx(3.8)
    assert (b.rank, a.rank, c.rank) == (1, 2, None)
    assert [r.offer.product for r in comparison.rows] == ["Beta", "Alpha", "Gamma"]
    assert c.excluded and c.exclusions[0].condition == "Runs on our intranet" and c.exclusions[0].reason == "Cloud only"
    assert comparison.leader.offer.product == "Beta"
    # group scores: A functionality (.6·4 + .2·3)/.8 = 3.75, cost 2
    assert a.score.groups == {"functionality": pytest.approx(3.75), "cost": pytest.approx(2)}


def test_tco_takes_quotes_and_fit_gap_customisation(project, case):
    comparison = build_comparison(project)
    a, b = _row(comparison, case["a"]), _row(comparison, case["b"])
    # A over 5 years: licence 100,000 + maintenance 4 × 18,000 + customisation 20,000 (REQ-001) = 192,000;
    # the rejected requirement's customisation does not count
    assert a.tco.total == Decimal("192000.00")
    assert a.tco.by_year == [Decimal("120000.00")] + [Decimal("18000.00")] * 4
    assert a.customisation_days == Decimal(10)
    # B: implementation 40,000 + subscription 5 × 30,000 = 190,000
    assert b.tco.total == Decimal("190000.00") and b.tco.npv is None


def test_tco_discounted_when_a_rate_is_set(project, case):
    selection = svc.selection_for(project)
    svc.selection_update(selection=selection, expected_version=selection.version, discount_rate=Decimal("0.08"))
    a = _row(build_comparison(project), case["a"])
    # 120,000 + 18,000/1.08 + 18,000/1.08² + 18,000/1.08³ + 18,000/1.08⁴
    # = 120,000 + 16,666.667 + 15,432.099 + 14,288.980 + 13,230.537 = 179,618.283 → 179,618.28
    assert a.tco.npv == Decimal("179618.28")
    assert a.tco.total == Decimal("192000.00")


def test_must_have_coverage_counts_open_must_haves_met_without_customisation(project, case):
    comparison = build_comparison(project)
    a, b, c = (_row(comparison, case[k]) for k in "abc")
    assert comparison.must_total == 2  # the rejected must-have is no longer asked for
    assert (a.coverage.met, a.coverage.share) == (1, 0.5)
    assert [(key, level) for key, level in a.coverage.gaps] == [(case["r1"].key, "customisation")]
    assert [(key, level) for key, level in b.coverage.gaps] == [(case["r2"].key, "unanswered")]
    assert c.coverage.share == 0


def test_sensitivity_thresholds_match_the_hand_computed_ones(project, case):
    thresholds = {t.group: t for t in build_comparison(project).sensitivity}
    # functionality at w: A = 3.75w + 2(1−w), B = 3.5w + 5(1−w) → level at w = 3/3.25 = 0.923
    # cost at w: A = 2w + 3.75(1−w), B = 5w + 3.5(1−w) → level at w = 0.25/3.25 = 0.077
    assert thresholds["functionality"].weight == pytest.approx(3 / 3.25)
    assert thresholds["cost"].weight == pytest.approx(0.25 / 3.25)
    assert thresholds["functionality"].new_leader == case["a"].pk == thresholds["cost"].new_leader


def test_the_comparison_reads_a_fixed_number_of_queries(project, case):
    build_comparison(project)  # the first call creates the settings row
    with CaptureQueriesContext(connection) as first:
        build_comparison(project)
    for n in range(5):
        vendor = svc.vendor_create(project=project, name=f"Extra {n}")
        offer = svc.offer_create(vendor=vendor, product="X", deployment="saas")
        svc.quote_line_create(offer=offer, kind="hosting", amount=Decimal(1000))
        svc.fit_set(offer=offer, requirement=case["r1"], level="standard")
    with CaptureQueriesContext(connection) as second:
        build_comparison(project)
    assert len(second) == len(first)


def test_evaluators_do_not_see_each_other_until_they_submit(project, case, owner, editor):
    offer = case["a"]
    batch, mobile, price = case["criteria"]
    for criterion, value in ((batch, 4), (mobile, 2), (price, 3)):
        svc.score_set(offer=offer, criterion=criterion, evaluator=owner, value=value)
    svc.score_set(offer=offer, criterion=batch, evaluator=editor, value=2)

    assert evaluator_scores(offer, editor)[batch.pk]["others"] == []  # the owner has not submitted
    svc.scores_submit(offer=offer, evaluator=owner)
    assert evaluator_scores(offer, editor)[batch.pk]["others"] == []  # the editor has not submitted either
    with pytest.raises(svc.SelectionError, match="Score every criterion"):
        svc.scores_submit(offer=offer, evaluator=editor)
    svc.score_set(offer=offer, criterion=mobile, evaluator=editor, value=5)
    svc.score_set(offer=offer, criterion=price, evaluator=editor, value=3)
    svc.scores_submit(offer=offer, evaluator=editor)

    seen = evaluator_scores(offer, editor)
    assert [s.value for s in seen[batch.pk]["others"]] == [4]
    assert seen[batch.pk]["spread"] == 2 and seen[mobile.pk]["spread"] == 3
    with pytest.raises(svc.SelectionError, match="can no longer change"):
        svc.score_set(offer=offer, criterion=batch, evaluator=owner, value=5)


def test_a_failed_knockout_needs_a_reason(project, case):
    from requirements.models import KnockOut

    knockout = KnockOut.objects.get(project=project)
    with pytest.raises(svc.SelectionError, match="Say why"):
        svc.knockout_check(knockout=knockout, offer=case["a"], passed=False, reason=" ")
    assert build_comparison(project).rows[0].rank == 1  # nothing changed


def test_effort_and_cost_belong_to_customisation(project, case):
    with pytest.raises(svc.SelectionError, match="customisation"):
        svc.fit_set(offer=case["b"], requirement=case["r2"], level="standard", cost=Decimal(5))


def test_ahp_weights_replace_the_weights_inside_a_group_and_keep_its_share(project, case):
    batch, mobile, _price = case["criteria"]
    svc.judgement_set(first=mobile, second=batch, value=1 / 5)  # batch matters 5× more than mobile
    result = svc.weights_from_ahp(criteria=[batch, mobile])
    batch.refresh_from_db()
    mobile.refresh_from_db()
    # 2×2 consistent: weights 5/6 and 1/6 of the group's total 4
    assert result.cr == 0
    assert batch.weight == Decimal("3.3333") and mobile.weight == Decimal("0.6667")


def test_a_scenario_taken_out_of_a_demo_takes_its_ratings_with_it(project, case, owner):
    from datetime import date

    first = svc.scenario_create(project=project, title="Order to cash")
    second = svc.scenario_create(project=project, title="Stock-take")
    session = svc.demo_create(offer=case["a"], held_on=date(2026, 11, 2), scenarios=[first, second])
    svc.demo_rate(session=session, scenario=first, attendee=owner, value=5)
    svc.demo_rate(session=session, scenario=second, attendee=owner, value=1)

    svc.demo_update(session=session, scenarios=[first])

    assert list(session.ratings.values_list("value", flat=True)) == [5]


def test_clearing_an_answer_someone_changed_meanwhile_is_refused(project, case):
    from requirements.models import Fit
    from workbench.locking import StaleVersionError

    fit = Fit.objects.get(offer=case["a"], requirement=case["r2"])
    seen = fit.version
    svc.fit_set(offer=case["a"], requirement=case["r2"], level="configuration", note="changed by the vendor")

    with pytest.raises(StaleVersionError):
        svc.fit_clear(offer=case["a"], requirement=case["r2"], expected_version=seen)
    assert Fit.objects.get(pk=fit.pk).note == "changed by the vendor"
