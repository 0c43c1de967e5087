"""The arithmetic of the vendor comparison: AHP, scoring, ranking, sensitivity, TCO and must-have coverage."""

import math
from decimal import Decimal

import pytest

from requirements.evaluation import (
    AhpResult,
    Coverage,
    CriterionSpec,
    QuoteLineSpec,
    Threshold,
    ahp,
    coverage,
    criterion_scores,
    criterion_weights,
    group_scores,
    group_weights,
    normalise,
    pairwise_matrix,
    rank,
    score_offers,
    sensitivity,
    spread,
    tco,
    weighted_total,
)

# --- AHP -------------------------------------------------------------------------------------------------------------

LEADER_CRITERIA = [  # Experience, Education, Charisma, Age
    [1, 4, 3, 7],
    [1 / 4, 1, 1 / 3, 3],
    [1 / 3, 3, 1, 5],
    [1 / 7, 1 / 3, 1 / 5, 1],
]


def test_ahp_reproduces_the_wikipedia_leader_example():
    """Wikipedia, "Analytic hierarchy process – leader example": the board's comparison of the four criteria.

    Published priorities: Experience .547, Education .127, Charisma .270, Age .056. lambda_max 4.1184 and
    CR 0.0439 (≈ 0.044) were checked independently with numpy.linalg.eig: CI = (4.1184 − 4) / 3 = 0.03947, / RI 0.90.
    """
    result = ahp(LEADER_CRITERIA)

    assert result.weights == pytest.approx([0.547, 0.127, 0.270, 0.056], abs=6e-4)
    assert sum(result.weights) == pytest.approx(1.0, abs=1e-12)
    assert result.lambda_max == pytest.approx(4.1184, abs=1e-4)
    assert result.ci == pytest.approx(0.03947, abs=1e-5)
    assert result.cr == pytest.approx(0.0439, abs=1e-4)
    assert result.consistent


def test_ahp_three_criteria_textbook_matrix():
    """The classic 3×3 textbook matrix (1, 3, 5 / 1/3, 1, 3 / 1/5, 1/3, 1).

    Principal eigenvector (checked with numpy.linalg.eig): 0.6370, 0.2583, 0.1047; lambda_max 3.0385;
    CI = 0.0385 / 2 = 0.01926; CR = 0.01926 / 0.58 = 0.0332. The (0.633, 0.260, 0.106) often quoted for this matrix is
    the column-average approximation, not the eigenvector; a user cross-checking with an AHP tool gets the eigenvector.
    """
    result = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])

    assert result.weights == pytest.approx([0.6370, 0.2583, 0.1047], abs=1e-4)
    assert result.weights[0] > 0.636  # the eigenvector, not the 0.633 approximation
    assert result.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert result.ci == pytest.approx(0.01926, abs=1e-5)
    assert result.cr == pytest.approx(0.0332, abs=1e-4)
    assert result.consistent


def test_ahp_perfectly_consistent_matrix_gives_back_the_weights_and_cr_zero():
    w = [0.4, 0.3, 0.2, 0.1]
    matrix = [[wi / wj for wj in w] for wi in w]

    result = ahp(matrix)

    assert result.weights == pytest.approx(w, abs=1e-9)
    assert result.lambda_max == pytest.approx(4.0, abs=1e-9)
    assert result.ci == pytest.approx(0.0, abs=1e-9)
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.ci >= 0  # never a "−0.00" inconsistency
    assert result.consistent


def test_ahp_flags_an_inconsistent_matrix():
    """The leader example with one slip: Age entered as 7 times more important than Experience instead of 1/7.

    numpy.linalg.eig: lambda_max 7.457, CI 1.152, CR 1.280 — far over Saaty's 0.1.
    """
    slipped = [row[:] for row in LEADER_CRITERIA]
    slipped[0][3], slipped[3][0] = 1 / 7, 7

    result = ahp(slipped)

    assert result.cr == pytest.approx(1.280, abs=1e-3)
    assert result.cr > 0.1
    assert not result.consistent


def test_ahp_one_and_two_items():
    assert ahp([[1]]) == AhpResult(weights=[1.0], lambda_max=1.0, ci=0.0, cr=0.0)

    two = ahp([[1, 3], [1 / 3, 1]])
    assert two.weights == pytest.approx([0.75, 0.25])
    assert two.lambda_max == pytest.approx(2.0)
    assert (two.ci, two.cr) == (0.0, 0.0)


def test_consistency_limit_is_inclusive():
    assert AhpResult(weights=[0.5, 0.3, 0.2], lambda_max=3.1, ci=0.058, cr=0.1).consistent
    assert not AhpResult(weights=[0.5, 0.3, 0.2], lambda_max=3.1, ci=0.058, cr=0.1001).consistent


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([], "at least one row"),
        ([[1, 2], [0.5]], "must be square"),
        ([[1, 2, 3], [0.5, 1, 2]], "must be square"),
        ([[1, 0], [0, 1]], "greater than 0"),
        ([[1, -2], [-0.5, 1]], "greater than 0"),
        ([[2, 1], [1, 1]], "diagonal"),
        ([[1, 3], [0.5, 1]], "reciprocal"),
        ([[1, float("nan")], [1, 1]], "finite"),
        ([[1.0] * 16 for _ in range(16)], "at most 15"),
    ],
)
def test_ahp_rejects_bad_matrices(matrix, message):
    with pytest.raises(ValueError, match=message):
        ahp(matrix)


def test_ahp_accepts_reciprocals_rounded_in_a_spreadsheet():
    # 1/3 typed as 0.3333333 is within the 1e-6 relative tolerance; 0.333 is not.
    assert ahp([[1, 3], [0.3333333, 1]]).weights == pytest.approx([0.75, 0.25], abs=1e-6)
    with pytest.raises(ValueError, match="reciprocal"):
        ahp([[1, 3], [0.333, 1]])


def test_pairwise_matrix_fills_reciprocals_and_missing_pairs():
    matrix = pairwise_matrix(3, {(0, 1): 3, (0, 2): 1 / 5})

    expected = [[1, 3, 0.2], [1 / 3, 1, 1], [5, 1, 1]]
    assert [row == pytest.approx(want) for row, want in zip(matrix, expected, strict=True)] == [True] * 3


def test_pairwise_matrix_of_the_leader_judgements_gives_the_leader_weights():
    judgements = {(0, 1): 4, (0, 2): 3, (0, 3): 7, (1, 2): 1 / 3, (1, 3): 3, (2, 3): 5}

    matrix = pairwise_matrix(4, judgements)

    assert [row == pytest.approx(want) for row, want in zip(matrix, LEADER_CRITERIA, strict=True)] == [True] * 4
    assert ahp(matrix).weights == pytest.approx([0.547, 0.127, 0.270, 0.056], abs=6e-4)


def test_pairwise_matrix_accepts_the_ends_of_the_scale():
    matrix = pairwise_matrix(2, {(0, 1): 1 / 9})
    assert matrix[1][0] == pytest.approx(9)
    assert pairwise_matrix(2, {(0, 1): 9})[1][0] == pytest.approx(1 / 9)


@pytest.mark.parametrize(
    ("n", "judgements", "message"),
    [
        (3, {(0, 1): 10}, "between 1/9 and 9"),
        (3, {(0, 1): 0.1}, "between 1/9 and 9"),
        (3, {(0, 1): 0}, "between 1/9 and 9"),
        (3, {(1, 0): 3}, "i < j"),
        (3, {(1, 1): 3}, "i < j"),
        (3, {(0, 3): 3}, "i < j"),
        (0, {}, "at least 1"),
    ],
)
def test_pairwise_matrix_rejects_bad_judgements(n, judgements, message):
    with pytest.raises(ValueError, match=message):
        pairwise_matrix(n, judgements)


# --- Weights and scores ----------------------------------------------------------------------------------------------


def test_normalise_gives_shares_in_the_given_order():
    shares = normalise({"functional": 30, "cost": 20, "vendor": 0, "technical": 50})

    assert list(shares) == ["functional", "cost", "vendor", "technical"]
    assert shares == pytest.approx({"functional": 0.3, "cost": 0.2, "vendor": 0.0, "technical": 0.5})


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({}, "greater than 0"),
        ({"a": 0, "b": 0}, "greater than 0"),
        ({"a": 2, "b": -1}, "negative"),
        ({"a": -1, "b": -1}, "negative"),
        ({"a": float("inf")}, "finite"),
    ],
)
def test_normalise_rejects_weights_that_cannot_be_shares(weights, message):
    with pytest.raises(ValueError, match=message):
        normalise(weights)


# c1 and c2 are functional (weights 3 and 1), c3 is cost (weight 4): shares 0.375, 0.125, 0.5.
CRITERIA = [
    CriterionSpec("c1", "functional", 3),
    CriterionSpec("c2", "functional", 1),
    CriterionSpec("c3", "cost", 4),
]


def test_criterion_and_group_weights_are_normalised():
    assert criterion_weights(CRITERIA) == pytest.approx({"c1": 0.375, "c2": 0.125, "c3": 0.5})
    assert group_weights(CRITERIA) == pytest.approx({"functional": 0.5, "cost": 0.5})
    assert list(group_weights(CRITERIA)) == ["functional", "cost"]


def test_score_offers_weighted_total_and_groups():
    result = score_offers(CRITERIA, {"acme": {"c1": 5, "c2": 3, "c3": 2}})

    # total = (3·5 + 1·3 + 4·2) / 8 = 26 / 8 = 3.25; functional = (15 + 3) / 4 = 4.5; cost = 2.
    acme = result["acme"]
    assert acme.total == pytest.approx(3.25)
    assert acme.scored_share == pytest.approx(1.0)
    assert acme.groups == pytest.approx({"functional": 4.5, "cost": 2.0})


def test_a_missing_score_is_left_out_not_counted_as_zero():
    result = score_offers(CRITERIA, {"partial": {"c1": 4}, "empty": {}, "with_none": {"c1": 4, "c3": None}})

    # Only c1 (share 0.375) is scored: total = 4, not 0.375·4 = 1.5; the cost group has nothing.
    partial = result["partial"]
    assert partial.total == pytest.approx(4.0)
    assert partial.scored_share == pytest.approx(0.375)
    assert partial.groups == {"functional": pytest.approx(4.0), "cost": None}

    assert result["with_none"] == partial  # None is the same as no score

    empty = result["empty"]
    assert empty.total is None
    assert empty.scored_share == 0.0
    assert empty.groups == {"functional": None, "cost": None}


def test_a_zero_weight_criterion_does_not_move_the_total():
    criteria = [*CRITERIA, CriterionSpec("c4", "vendor", 0)]

    result = score_offers(criteria, {"acme": {"c1": 5, "c2": 3, "c3": 2, "c4": 1}})

    assert result["acme"].total == pytest.approx(3.25)
    assert result["acme"].scored_share == pytest.approx(1.0)
    # The vendor group carries no weight, so it has no weighted score.
    assert result["acme"].groups["vendor"] is None


def test_weights_are_relative_not_absolute():
    doubled = [CriterionSpec(c.id, c.group, c.weight * 2) for c in CRITERIA]
    scores = {"acme": {"c1": 5, "c2": 3, "c3": 2}}

    assert score_offers(doubled, scores) == score_offers(CRITERIA, scores)


def test_group_scores_and_criterion_scores_for_one_offer():
    assert criterion_scores(CRITERIA, {"c3": 2, "c1": 5, "c2": None}) == {"c1": 5.0, "c3": 2.0}
    assert group_scores(CRITERIA, {"c2": 3, "c3": 5}) == pytest.approx({"functional": 3.0, "cost": 5.0})


def test_weighted_total_reports_the_scored_share():
    assert weighted_total({"a": 0.25, "b": 0.75}, {"b": 2.0}) == (pytest.approx(2.0), pytest.approx(0.75))
    assert weighted_total({"a": 0.25, "b": 0.75}, {}) == (None, 0.0)
    assert weighted_total({"a": 0.0}, {"a": 3.0}) == (None, 0.0)


@pytest.mark.parametrize(
    ("criteria", "scores", "message"),
    [
        (CRITERIA, {"acme": {"c1": 0}}, "from 1 to 5"),
        (CRITERIA, {"acme": {"c1": 5.5}}, "from 1 to 5"),
        (CRITERIA, {"acme": {"c1": float("nan")}}, "finite"),
        (CRITERIA, {"acme": {"c9": 3}}, "not one of the criteria"),
        ([], {"acme": {}}, "no criteria"),
        ([*CRITERIA, CriterionSpec("c1", "cost", 1)], {}, "appears twice"),
        ([CriterionSpec("c1", "functional", 0)], {}, "greater than 0"),
        ([CriterionSpec("c1", "functional", -1), CriterionSpec("c2", "cost", 2)], {}, "negative"),
    ],
)
def test_score_offers_rejects_bad_input(criteria, scores, message):
    with pytest.raises(ValueError, match=message):
        score_offers(criteria, scores)


def test_score_scale_ends_are_allowed():
    result = score_offers(CRITERIA, {"low": {"c1": 1, "c2": 1, "c3": 1}, "high": {"c1": 5, "c2": 5, "c3": 5}})

    assert result["low"].total == pytest.approx(1.0)
    assert result["high"].total == pytest.approx(5.0)


def test_spread_of_evaluators_scores():
    assert spread([3, 5, 4]) == 2
    assert spread([4.5]) == 0
    assert spread([]) is None


def test_rank_uses_competition_ranking():
    ranks = rank({"a": 3.5, "b": 4.0, "c": 3.5, "d": 2.0}, excluded=set())

    assert ranks == {"a": 2, "b": 1, "c": 2, "d": 4}
    assert list(ranks) == ["a", "b", "c", "d"]


def test_rank_puts_excluded_offers_and_offers_without_total_apart():
    ranks = rank({"a": 3.5, "b": 4.0, "c": 3.5, "d": 2.0, "e": None}, excluded={"b"})

    assert ranks == {"a": 1, "b": None, "c": 1, "d": 3, "e": None}


def test_rank_treats_float_noise_as_a_tie():
    assert 0.1 + 0.2 != 0.3
    assert rank({"a": 0.1 + 0.2, "b": 0.3}, excluded=set()) == {"a": 1, "b": 1}
    assert rank({"a": 3.3, "b": 3.31}, excluded=set()) == {"a": 2, "b": 1}


def test_rank_of_nothing():
    assert rank({}, excluded=set()) == {}
    assert rank({"a": 3.0}, excluded={"a"}) == {"a": None}


# --- Sensitivity -----------------------------------------------------------------------------------------------------

# Two groups: functional (F) 60 %, cost (C) 40 %. With two groups, T_o(w) = w·S_oF + (1 − w)·S_oC when F moves.
#   A: F 4, C 2 → 0.6·4 + 0.4·2 = 3.2
#   B: F 3, C 4 → 0.6·3 + 0.4·4 = 3.4  ← leader
TWO_GROUPS = {"F": 0.6, "C": 0.4}
A_AND_B = {"A": {"F": 4.0, "C": 2.0}, "B": {"F": 3.0, "C": 4.0}}


def test_sensitivity_two_offers_crossing_above_and_below_the_current_weight():
    result = sensitivity(TWO_GROUPS, A_AND_B)

    # F moves: T_A = 4w + 2(1 − w) = 2 + 2w, T_B = 3w + 4(1 − w) = 4 − w → level at 2 + 2w = 4 − w, w = 2/3.
    f = result["F"]
    assert (f.group, f.leader, f.new_leader) == ("F", "B", "A")
    assert f.current == pytest.approx(0.6)
    assert f.weight == pytest.approx(2 / 3)
    assert f.change_points == pytest.approx(6.667, abs=1e-3)

    # C moves: T_A = 2w + 4(1 − w) = 4 − 2w, T_B = 4w + 3(1 − w) = 3 + w → level at w = 1/3, below the current 0.4.
    c = result["C"]
    assert (c.leader, c.new_leader) == ("B", "A")
    assert c.weight == pytest.approx(1 / 3)
    assert c.change_points == pytest.approx(-6.667, abs=1e-3)


def test_sensitivity_reports_the_nearest_crossing():
    # D: F 4.8, C 1 → 0.6·4.8 + 0.4·1 = 3.28 (below B's 3.4).
    # F moves: T_D = 4.8w + (1 − w) = 1 + 3.8w meets T_B = 4 − w at w = 3 / 4.8 = 0.625, nearer 0.6 than A's 2/3.
    # C moves: T_D = w + 4.8(1 − w) = 4.8 − 3.8w meets T_B = 3 + w at w = 1.8 / 4.8 = 0.375, nearer 0.4 than 1/3.
    result = sensitivity(TWO_GROUPS, {**A_AND_B, "D": {"F": 4.8, "C": 1.0}})

    assert (result["F"].weight, result["F"].new_leader) == (pytest.approx(0.625), "D")
    assert result["F"].change_points == pytest.approx(2.5)
    assert (result["C"].weight, result["C"].new_leader) == (pytest.approx(0.375), "D")
    assert result["C"].change_points == pytest.approx(-2.5)


def test_sensitivity_two_offers_level_at_the_same_point_the_steeper_one_takes_the_lead():
    # Both meet B's 4 − w at w = 0.75 (total 3.25): X1 = 2.5 + w (F 3.5, C 2.5), X2 = 1 + 3w (F 4, C 1).
    # Beyond 0.75 X2 rises faster: at 0.8, X2 = 3.4 > X1 = 3.3 > B = 3.2.
    scores = {"X1": {"F": 3.5, "C": 2.5}, "B": A_AND_B["B"], "X2": {"F": 4.0, "C": 1.0}}

    result = sensitivity(TWO_GROUPS, scores)

    assert result["F"].weight == pytest.approx(0.75)
    assert (result["F"].leader, result["F"].new_leader) == ("B", "X2")


def test_sensitivity_no_crossing_when_the_leader_is_better_everywhere():
    # A: F 5, C 4 beats B: F 3, C 3 at every weight: T_A − T_B = 2w + 1(1 − w) > 0 on [0, 1].
    result = sensitivity(TWO_GROUPS, {"A": {"F": 5.0, "C": 4.0}, "B": {"F": 3.0, "C": 3.0}})

    assert result["F"] == Threshold(group="F", current=pytest.approx(0.6), weight=None, new_leader=None, leader="A")
    assert result["C"].weight is None
    assert result["C"].leader == "A"
    assert result["C"].change_points is None


def test_sensitivity_takes_raw_weights():
    assert sensitivity({"F": 60, "C": 40}, A_AND_B)["F"].weight == pytest.approx(2 / 3)


def test_sensitivity_tie_at_current_weights_has_no_leader():
    # A: 0.6·4 + 0.4·2 = 3.2; B: 0.6·2 + 0.4·5 = 3.2.
    result = sensitivity(TWO_GROUPS, {"A": {"F": 4.0, "C": 2.0}, "B": {"F": 2.0, "C": 5.0}})

    assert result["F"].leader is None
    assert result["F"].weight is None
    assert result["F"].new_leader is None


def test_sensitivity_only_group_has_no_threshold():
    result = sensitivity({"F": 1.0}, {"A": {"F": 4.0}, "B": {"F": 3.0}})

    assert result["F"] == Threshold(group="F", current=1.0, weight=None, new_leader=None, leader="A")


def test_sensitivity_with_a_single_offer_or_none():
    assert sensitivity(TWO_GROUPS, {"A": {"F": 4.0, "C": 2.0}})["F"].leader == "A"
    assert sensitivity(TWO_GROUPS, {"A": {"F": 4.0, "C": 2.0}})["F"].weight is None
    assert sensitivity(TWO_GROUPS, {})["F"].leader is None


def test_sensitivity_with_missing_group_scores():
    """Three groups F 50 %, C 30 %, S 20 %; M has no C score.

    A: F 4, C 2, S 3 → 2 + 0.6 + 0.6 = 3.2
    B: F 3, C 4, S 3 → 1.5 + 1.2 + 0.6 = 3.3  ← leader
    M: F 3.8, S 2 → over its scored groups (1.9 + 0.4) / 0.7 = 3.2857

    C moves (M left out of C's analysis): R_A = (0.5·4 + 0.2·3) / 0.7 = 26/7, R_B = (1.5 + 0.6) / 0.7 = 3;
      2w + 26/7·(1 − w) = 4w + 3(1 − w) → 5/7 = 19/7·w → w = 5/19 = 0.2632, A takes the lead.
      (Had M been kept as a constant 3.2857, B's 3 + w would meet it at 0.2857, nearer 0.3.)
    F moves: T_B = 3w + 3.6(1 − w) = 3.6 − 0.6w, T_A = 4w + 2.4(1 − w) meets it at w = 6/11 = 0.5455. M keeps
      S's share (scaled by k = (1 − w)/0.5) over its scored groups: T_M = (3.8w + 2·0.2k) / (w + 0.2k)
      = (0.8 + 3w) / (0.4 + 0.6w); level with B where 0.8 + 3w = (3.6 − 0.6w)(0.4 + 0.6w), i.e. 9w² + 27w − 16 = 0,
      w = (−27 + √1305) / 18 = 0.5069 — nearer than A, so M takes the lead.
      (Counting M's missing C as 0 would give T_M = 0.8 + 3w, level at 0.778, and A would be reported instead.)
    S moves: T_B = 3w + 3.375(1 − w); T_A = 3w + 3.25(1 − w) only draws level at w = 1;
      T_M = (2w + 1.9k) / (w + 0.5k), k = (1 − w)/0.8, = (1.9 − 0.3w) / (0.5 + 0.3w) is level with B where
      9w² − 90w + 17 = 0, w = (90 − √7488) / 18 = 0.1926, just below the current 0.2: M takes the lead.
    """
    weights = {"F": 0.5, "C": 0.3, "S": 0.2}
    scores = {
        "A": {"F": 4.0, "C": 2.0, "S": 3.0},
        "B": {"F": 3.0, "C": 4.0, "S": 3.0},
        "M": {"F": 3.8, "C": None, "S": 2.0},
    }

    result = sensitivity(weights, scores)

    assert (result["C"].leader, result["C"].new_leader) == ("B", "A")
    assert result["C"].weight == pytest.approx(5 / 19)
    assert (result["F"].leader, result["F"].new_leader) == ("B", "M")
    assert result["F"].weight == pytest.approx((-27 + math.sqrt(1305)) / 18)
    assert (result["S"].leader, result["S"].new_leader) == ("B", "M")
    assert result["S"].weight == pytest.approx((90 - math.sqrt(7488)) / 18)
    assert result["S"].change_points == pytest.approx(-0.740, abs=1e-3)


def test_sensitivity_offer_without_the_moving_group_is_left_out_even_if_it_leads():
    # M leads overall (F 5 only), but has no C score: C's analysis is between A and B alone.
    scores = {**A_AND_B, "M": {"F": 5.0}}

    result = sensitivity(TWO_GROUPS, scores)

    assert result["C"].leader == "B"
    assert result["C"].weight == pytest.approx(1 / 3)
    # In F's analysis M keeps its F score, 5, whatever the weight: nobody reaches it.
    assert result["F"].leader == "M"
    assert result["F"].weight is None


def test_sensitivity_rejects_unknown_groups_and_bad_weights():
    with pytest.raises(ValueError, match="not one of the groups"):
        sensitivity(TWO_GROUPS, {"A": {"F": 4.0, "X": 2.0}})
    with pytest.raises(ValueError, match="greater than 0"):
        sensitivity({"F": 0, "C": 0}, A_AND_B)


# --- Total cost of ownership -----------------------------------------------------------------------------------------

QUOTE = [
    QuoteLineSpec("licence", Decimal("100000"), recurring=False),
    QuoteLineSpec("implementation", Decimal("50000"), recurring=False),
    QuoteLineSpec("maintenance", Decimal("18000"), recurring=True, year_from=2),
    QuoteLineSpec("subscription", Decimal("24000"), recurring=True, year_from=1, year_to=3),
    QuoteLineSpec("hardware refresh", Decimal("30000"), recurring=False, year_from=7),
]


def test_tco_over_five_years_with_npv():
    # Year 1: licence 100,000 + implementation 50,000 + subscription 24,000 + customisation 20,000 = 194,000
    # Years 2–3: maintenance 18,000 + subscription 24,000 = 42,000 each; years 4–5: maintenance 18,000 each.
    # The hardware refresh in year 7 lies outside the 5-year horizon.
    # one-time 150,000; recurring 4 × 18,000 + 3 × 24,000 = 144,000; total 150,000 + 144,000 + 20,000 = 314,000.
    # NPV at 8 %, paid at the start of each year:
    #   194,000 + 42,000/1.08 + 42,000/1.08² + 18,000/1.08³ + 18,000/1.08⁴
    #   = 194,000 + 38,888.889 + 36,008.230 + 14,288.980 + 13,230.537 = 296,416.637 → 296,416.64
    result = tco(QUOTE, years=5, customisation=Decimal("20000"), rate=Decimal("0.08"))

    assert result.by_year == [Decimal(v) for v in ("194000.00", "42000.00", "42000.00", "18000.00", "18000.00")]
    assert result.one_time == Decimal("150000.00")
    assert result.recurring == Decimal("144000.00")
    assert result.customisation == Decimal("20000.00")
    assert result.total == Decimal("314000.00")
    assert result.total == sum(result.by_year)
    assert result.npv == Decimal("296416.64")
    assert result.by_kind == {
        "licence": Decimal("100000.00"),
        "implementation": Decimal("50000.00"),
        "maintenance": Decimal("72000.00"),
        "subscription": Decimal("72000.00"),
        "hardware refresh": Decimal("0.00"),
    }
    assert sum(result.by_kind.values()) + result.customisation == result.total


def test_tco_horizon_cuts_lines_and_reaches_later_ones():
    # 3 years: year 1 = 174,000 (no customisation); years 2–3 = 42,000; maintenance only 2 × 18,000.
    three = tco(QUOTE, years=3)
    assert three.by_year == [Decimal("174000.00"), Decimal("42000.00"), Decimal("42000.00")]
    assert three.recurring == Decimal("108000.00")  # 2 × 18,000 + 3 × 24,000
    assert three.total == Decimal("258000.00")
    assert three.npv is None
    assert three.customisation == Decimal("0.00")

    # 7 years: the hardware refresh is now paid in year 7; the subscription still stops after year 3.
    seven = tco(QUOTE, years=7)
    assert seven.by_year[6] == Decimal("48000.00")  # maintenance 18,000 + hardware 30,000
    assert seven.by_year[3] == Decimal("18000.00")
    assert seven.one_time == Decimal("180000.00")
    assert seven.by_kind["subscription"] == Decimal("72000.00")


def test_tco_without_discounting_npv_equals_total():
    result = tco(QUOTE, years=5, rate=Decimal("0"))

    assert result.npv == result.total == Decimal("294000.00")


def test_tco_rounds_to_the_cent_half_up():
    # Each amount is rounded first: 10.005 → 10.01 (half up, not banker's 10.00); 0.004 → 0.00.
    lines = [
        QuoteLineSpec("licence", Decimal("10.005"), recurring=False),
        QuoteLineSpec("support", Decimal("0.004"), recurring=True),
    ]

    result = tco(lines, years=2, customisation=Decimal("0.125"), rate=Decimal("0.1"))

    assert result.by_year == [Decimal("10.14"), Decimal("0.00")]
    assert result.customisation == Decimal("0.13")
    assert result.total == Decimal("10.14")
    assert result.npv == Decimal("10.14")
    assert result.total.as_tuple().exponent == -2

    # NPV is rounded half up at the end: 100 + 100/1.1 = 190.909… → 190.91; 1 + 1/1.5 = 1.666… → 1.67.
    yearly = [QuoteLineSpec("support", Decimal("100"), recurring=True)]
    assert tco(yearly, years=2, rate=Decimal("0.1")).npv == Decimal("190.91")
    assert tco([QuoteLineSpec("support", Decimal("1"), True)], years=2, rate=Decimal("0.5")).npv == Decimal("1.67")


def test_tco_accepts_integer_amounts_and_the_defaults():
    result = tco([QuoteLineSpec("licence", 1000, recurring=False)])  # type: ignore[arg-type]

    assert len(result.by_year) == 5
    assert result.total == Decimal("1000.00")


@pytest.mark.parametrize(
    ("lines", "kwargs", "message"),
    [
        ([], {"years": 0}, "1 to 30 years"),
        ([], {"years": 31}, "1 to 30 years"),
        ([QuoteLineSpec("licence", Decimal("-1"), False)], {}, "must not be negative"),
        ([QuoteLineSpec("licence", 100.0, False)], {}, "Decimal amount"),
        ([QuoteLineSpec("licence", Decimal("NaN"), False)], {}, "finite"),
        ([QuoteLineSpec("support", Decimal("1"), True, year_from=0)], {}, "year 1 or later"),
        ([QuoteLineSpec("support", Decimal("1"), True, year_from=3, year_to=2)], {}, "after year 3"),
        ([], {"customisation": Decimal("-5")}, "must not be negative"),
        ([], {"rate": Decimal("1")}, "below 1"),
        ([], {"rate": Decimal("-0.01")}, "at least 0"),
    ],
)
def test_tco_rejects_bad_input(lines, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tco(lines, **kwargs)


def test_tco_thirty_years_is_allowed():
    assert tco([QuoteLineSpec("support", Decimal("1"), True)], years=30).total == Decimal("30.00")


# --- Must-have coverage ----------------------------------------------------------------------------------------------


def test_coverage_counts_must_haves_met_without_customisation():
    fits = {
        "r1": "standard",
        "r2": "configuration",
        "r3": "third_party",
        "r4": "customisation",
        "r5": "not_supported",
        "nice": "not_supported",  # not a must-have: ignored
    }

    result = coverage(["r5", "r1", "r2", "r6", "r3", "r4"], fits)

    assert result == Coverage(
        share=0.5, met=3, total=6, gaps=[("r5", "not_supported"), ("r6", "unanswered"), ("r4", "customisation")]
    )


def test_coverage_without_must_haves_has_no_share():
    assert coverage([], {"r1": "standard"}) == Coverage(share=None, met=0, total=0, gaps=[])


def test_coverage_all_met():
    result = coverage(["r1", "r2"], {"r1": "standard", "r2": "standard"})

    assert (result.share, result.met, result.gaps) == (1.0, 2, [])


def test_coverage_rejects_unknown_levels_and_duplicates():
    with pytest.raises(ValueError, match="Unknown fit level 'partial'"):
        coverage(["r1"], {"r1": "partial"})
    with pytest.raises(ValueError, match="listed twice"):
        coverage(["r1", "r1"], {"r1": "standard"})
