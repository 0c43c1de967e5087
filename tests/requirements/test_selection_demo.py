"""The demo's vendor comparison: three ranked offers with a leader that is not the cheapest, fit-gap for every
requirement, consistent AHP weights, submitted scores, scripted demos — in English and Chinese, built once.

Building the whole demo takes seconds, so each test reads much from one build."""

import re

import pytest

from projects.demo import build_demo
from requirements import selection as svc
from requirements.comparison import OPEN, build_comparison
from requirements.demo_selection import EVALUATORS, build_selection_demo
from requirements.models import (
    AgreedScore,
    Criterion,
    DemoRating,
    DemoScenario,
    DemoSession,
    Fit,
    Judgement,
    KnockOut,
    KnockOutCheck,
    Offer,
    QuoteLine,
    Score,
    ScoreSubmission,
    Selection,
    Vendor,
)

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MODELS = [
    Vendor,
    Offer,
    QuoteLine,
    KnockOut,
    KnockOutCheck,
    Criterion,
    Judgement,
    Score,
    ScoreSubmission,
    AgreedScore,
    Fit,
    DemoScenario,
    DemoSession,
    DemoRating,
]


@pytest.fixture(params=["en", "zh-hans"])
def demo(request):
    """The whole demo as seed_demo builds it (the comparison comes with the registered builders), and its language."""
    return build_demo(language=request.param), request.param


def _counts() -> list[int]:
    return [model.objects.count() for model in MODELS] + [Selection.history.count(), Vendor.history.count()]


def _three_ranked_offers_and_the_leader_is_not_the_cheapest(demo):
    project, language = demo
    comparison = build_comparison(project)
    cheapest = min(comparison.rows, key=lambda row: row.tco.total)
    leader = comparison.leader

    assert sorted(row.rank for row in comparison.rows) == [1, 2, 3]
    assert {row.offer.deployment for row in comparison.rows} == set(Offer.Deployment.values)
    assert not comparison.warnings and all(row.score.scored_share == pytest.approx(1) for row in comparison.rows)
    assert leader is not None and leader.offer != cheapest.offer
    assert min(comparison.rows, key=lambda row: row.tco.npv) == cheapest  # discounting does not change that
    thresholds = [t for t in comparison.sensitivity if t.weight is not None]
    assert thresholds and all(0 <= t.weight <= 1 for t in thresholds)
    # the settings, and conclusions whose figures are the comparison's own, in the demo's language
    selection = comparison.selection
    assert (selection.currency, selection.years, str(selection.discount_rate)) == ("CNY", 5, "0.0600")
    assert leader.offer.vendor.name in selection.recommendation.split("\n")[0]
    assert cheapest.offer.vendor.name in selection.recommendation
    assert all(f"{row.tco.total:,.0f}" in selection.summary for row in comparison.rows)
    texts = [selection.summary, selection.recommendation] + [v.notes for v in Vendor.objects.filter(project=project)]
    texts += list(Criterion.objects.filter(project=project).values_list("name", flat=True))
    if language == "zh-hans":
        assert all(CHINESE.search(text) for text in texts)
    else:
        assert not any(CHINESE.search(text) for text in texts)


def _every_offer_answers_every_open_requirement_and_each_has_a_must_have_gap(demo):
    project, _language = demo
    comparison = build_comparison(project)
    open_requirements = set(project.requirements.filter(OPEN).values_list("pk", flat=True))

    assert len(open_requirements) >= 30
    for row in comparison.rows:
        answered = set(Fit.objects.filter(offer=row.offer).values_list("requirement_id", flat=True))
        assert open_requirements <= answered, row.offer
        assert row.answered == comparison.requirement_total
        assert row.coverage.gaps, f"{row.offer} should miss at least one must-have"
    levels = set(Fit.objects.filter(offer__project=project).values_list("level", flat=True))
    assert levels == set(Fit.Level.values)
    customised = Fit.objects.filter(offer__project=project, level=Fit.Level.CUSTOMISATION)
    assert all(f.effort_days and f.cost for f in customised)
    assert all(row.tco.customisation > 0 for row in comparison.rows if row.customisation_days)


def _consistent_ahp_weights_and_every_evaluator_submitted(demo):
    project, _language = demo
    functionality = list(Criterion.objects.filter(project=project, group="functionality").order_by("order", "pk"))
    result = svc.ahp_for(functionality)

    assert result.cr < 0.1
    total = sum(c.weight for c in functionality)
    for criterion, share in zip(functionality, result.weights, strict=True):
        assert float(criterion.weight / total) == pytest.approx(share, abs=1e-3)
    assert len({c.weight for c in functionality}) > 1  # the judgements did change the split
    per_group = [Criterion.objects.filter(project=project, group=g).count() for g in Criterion.Group.values]
    assert all(2 <= n <= 4 for n in per_group), per_group

    criteria = sum(per_group)
    values: dict[tuple[int, int], set[int]] = {}
    for offer in Offer.objects.filter(project=project):
        for username in EVALUATORS:
            assert ScoreSubmission.objects.filter(offer=offer, evaluator__username=username).exists()
            assert Score.objects.filter(offer=offer, evaluator__username=username).count() == criteria
        assert AgreedScore.objects.filter(offer=offer).count() == criteria
    for score in Score.objects.filter(offer__project=project):
        values.setdefault((score.offer_id, score.criterion_id), set()).add(score.value)
    assert max(max(v) - min(v) for v in values.values()) >= 2  # the evaluators did not all agree


def _building_again_changes_nothing(demo):
    project, language = demo
    before = _counts()

    build_selection_demo(project=project, language=language)
    build_demo(language=language)

    assert _counts() == before


def test_the_demo_comparison_in_each_language(demo):
    """One build per language (a build takes seconds), every property checked on it."""
    _three_ranked_offers_and_the_leader_is_not_the_cheapest(demo)
    _every_offer_answers_every_open_requirement_and_each_has_a_must_have_gap(demo)
    _consistent_ahp_weights_and_every_evaluator_submitted(demo)
    _building_again_changes_nothing(demo)  # last: it builds once more


def test_quotes_knockouts_portal_and_demos_tell_the_story():
    project = build_demo(language="en")
    offers = {offer.deployment: offer for offer in Offer.objects.filter(project=project)}
    kinds = {d: {(line.kind, line.recurring) for line in offer.quote_lines.all()} for d, offer in offers.items()}

    # quotes follow the three deployment models
    assert {("licence", False), ("hardware", False), ("maintenance", True)} <= kinds["on_premise"]
    assert offers["on_premise"].quote_lines.get(kind="maintenance").year_from == 2
    assert {("subscription", True), ("implementation", False)} <= kinds["saas"]
    assert not any(kind == "licence" for kind, _recurring in kinds["saas"])
    assert {("licence", False), ("customisation", False), ("maintenance", True), ("support", True)} <= kinds[
        "erp_module"
    ]
    # every offer checked against every knock-out condition
    knockouts = KnockOut.objects.filter(project=project).count()
    assert knockouts >= 3 and KnockOutCheck.objects.filter(knockout__project=project).count() == knockouts * 3
    # the vendor consultant answers for exactly one vendor
    vendor_member = project.memberships.get(user__username="vendor")
    assert vendor_member.vendors.count() == 1
    # four scenarios from the processes and requirements, one rated demo per offer
    scenarios = list(DemoScenario.objects.filter(project=project))
    assert len(scenarios) == 4 and all(s.script and s.requirements.exists() for s in scenarios)
    with_process = [s for s in scenarios if s.process_id]
    assert len(with_process) >= 3 and all(s.process.kind == "as_is" for s in with_process)
    for offer in offers.values():
        (session,) = DemoSession.objects.filter(offer=offer)
        assert session.scenarios.count() == 4 and session.notes
        attendees = set(session.ratings.values_list("attendee__username", flat=True))
        assert 2 <= len(attendees) <= 3 and session.ratings.count() == len(attendees) * 4
