"""The arithmetic of a vendor comparison: AHP weights, weighted scores, ranking, sensitivity, TCO and fit coverage.

Pure Python (no Django): plain dataclasses and functions. Weights and scores are floats; money is `Decimal`, and every
money figure that leaves this module is rounded to 0.01 with ROUND_HALF_UP. Bad input raises `ValueError` with a plain
English message; the caller translates it.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)  # any key
C = TypeVar("C", bound=Hashable)  # criterion id
G = TypeVar("G", bound=Hashable)  # criterion group
OfferKey = TypeVar("OfferKey", bound=Hashable)
R = TypeVar("R", bound=Hashable)  # requirement

# Totals (and weights) closer than this count as equal: float noise from weighting must not split a tie.
TIE_TOLERANCE = 1e-9


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TIE_TOLERANCE, abs_tol=TIE_TOLERANCE)


def _finite(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return float(value)


# --- AHP -------------------------------------------------------------------------------------------------------------

# Saaty's random consistency index by matrix size.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CONSISTENCY_LIMIT = 0.1
SAATY_MIN, SAATY_MAX = 1 / 9, 9.0
_POWER_TOLERANCE = 1e-12
_POWER_MAX_ITERATIONS = 100_000


@dataclass(frozen=True)
class AhpResult:
    """Priorities from a pairwise comparison matrix: `weights` sum to 1, in the order of the matrix rows."""

    weights: list[float]
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule of thumb: judgements are acceptably consistent when CR ≤ 0.1."""
        return self.cr <= CONSISTENCY_LIMIT


def _validate_matrix(matrix: Sequence[Sequence[float]]) -> list[list[float]]:
    n = len(matrix)
    if n < 1:
        raise ValueError("The comparison matrix must have at least one row")
    if any(len(row) != n for row in matrix):
        raise ValueError("The comparison matrix must be square")
    if n > max(RANDOM_INDEX):
        raise ValueError(f"The comparison matrix can have at most {max(RANDOM_INDEX)} rows, not {n}")
    rows = [[_finite(value, "Every comparison") for value in row] for row in matrix]
    for i in range(n):
        for j in range(n):
            if rows[i][j] <= 0:
                raise ValueError(f"Every comparison must be greater than 0 (row {i + 1}, column {j + 1})")
    for i in range(n):
        if not math.isclose(rows[i][i], 1.0, rel_tol=1e-6):
            raise ValueError(f"The diagonal of the comparison matrix must be 1 (row {i + 1})")
        for j in range(i + 1, n):
            if not math.isclose(rows[j][i], 1 / rows[i][j], rel_tol=1e-6):
                raise ValueError(
                    f"The comparison matrix must be reciprocal: row {j + 1}, column {i + 1} must be "
                    f"1/{rows[i][j]:g}, not {rows[j][i]:g}"
                )
    return rows


def ahp(matrix: list[list[float]]) -> AhpResult:
    """Saaty's AHP with the principal eigenvector method.

    `matrix[i][j]` says how many times more important item i is than item j. Weights are the principal eigenvector
    (power iteration to 1e-12) normalised to sum 1; lambda_max is its eigenvalue; CI = (lambda_max − n) / (n − 1)
    (0 for n ≤ 2, never below 0); CR = CI / RI[n] with Saaty's random index (0 when RI is 0). At most 15 rows.
    """
    rows = _validate_matrix(matrix)
    n = len(rows)
    weights = [1 / n] * n
    for _ in range(_POWER_MAX_ITERATIONS):
        product = [sum(a * w for a, w in zip(row, weights, strict=True)) for row in rows]
        total = sum(product)
        following = [value / total for value in product]
        converged = max(abs(a - b) for a, b in zip(following, weights, strict=True)) < _POWER_TOLERANCE
        weights = following
        if converged:
            break
    else:  # a positive matrix converges; this only guards against pathological input
        raise ValueError("The comparison matrix did not converge to a set of weights")
    # With sum(weights) == 1, the sum of A·w is the eigenvalue.
    lambda_max = sum(sum(a * w for a, w in zip(row, weights, strict=True)) for row in rows)
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri else 0.0
    return AhpResult(weights=weights, lambda_max=lambda_max, ci=ci, cr=cr)


def pairwise_matrix(n: int, judgements: dict[tuple[int, int], float]) -> list[list[float]]:
    """The reciprocal comparison matrix from upper-triangle judgements.

    Keys are 0-based (i, j) with i < j; the value says how many times more important i is than j, on Saaty's scale
    1/9 … 9. a[j][i] = 1 / a[i][j]; pairs not judged count as equally important (1).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"The number of items compared must be at least 1, not {n!r}")
    matrix = [[1.0] * n for _ in range(n)]
    for (i, j), value in judgements.items():
        if not (0 <= i < j < n):
            raise ValueError(f"A judgement must be for a pair (i, j) with 0 ≤ i < j < {n}, not ({i}, {j})")
        value = _finite(value, "A judgement")
        if not (SAATY_MIN * (1 - 1e-9) <= value <= SAATY_MAX * (1 + 1e-9)):
            raise ValueError(f"A judgement must be between 1/9 and 9, not {value:g} (pair {i + 1}, {j + 1})")
        matrix[i][j] = value
        matrix[j][i] = 1 / value
    return matrix


# --- Weights and scores ----------------------------------------------------------------------------------------------

SCORE_MIN, SCORE_MAX = 1.0, 5.0


def normalise(weights: Mapping[K, float]) -> dict[K, float]:
    """Shares summing to 1, in the given order. Weights must be ≥ 0 and not all 0."""
    values = {key: _finite(value, "A weight") for key, value in weights.items()}
    if any(value < 0 for value in values.values()):
        raise ValueError("Weights must not be negative")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("At least one weight must be greater than 0")
    return {key: value / total for key, value in values.items()}


@dataclass(frozen=True)
class CriterionSpec(Generic[C, G]):
    """A scoring criterion: `weight` is any non-negative number (the criteria's weights are normalised together)."""

    id: C
    group: G
    weight: float


@dataclass(frozen=True)
class OfferScore(Generic[G]):
    """An offer's weighted score (1–5) overall and per group; None where nothing with weight has been scored."""

    total: float | None
    scored_share: float
    groups: dict[G, float | None]


def criterion_weights(criteria: Sequence[CriterionSpec[C, G]]) -> dict[C, float]:
    """Each criterion's normalised weight (shares summing to 1), in the order given; ids must be unique."""
    if not criteria:
        raise ValueError("There are no criteria to score against")
    raw: dict[C, float] = {}
    for criterion in criteria:
        if criterion.id in raw:
            raise ValueError(f"Criterion {criterion.id!r} appears twice")
        raw[criterion.id] = criterion.weight
    return normalise(raw)


def group_weights(criteria: Sequence[CriterionSpec[C, G]]) -> dict[G, float]:
    """Each group's weight: the sum of its criteria's normalised weights, in order of first appearance."""
    weights = criterion_weights(criteria)
    groups: dict[G, float] = {}
    for criterion in criteria:
        groups[criterion.group] = groups.get(criterion.group, 0.0) + weights[criterion.id]
    return groups


def criterion_scores(criteria: Sequence[CriterionSpec[C, G]], scores: Mapping[C, float | None]) -> dict[C, float]:
    """One offer's checked scores by criterion, in criteria order; missing (or None) scores are left out.

    Each score must be a number from 1 to 5, for a criterion in `criteria`.
    """
    known = {criterion.id for criterion in criteria}
    for criterion_id, value in scores.items():
        if criterion_id not in known:
            raise ValueError(f"There is a score for {criterion_id!r}, which is not one of the criteria")
        if value is not None:
            value = _finite(value, "A score")
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise ValueError(f"A score must be from 1 to 5, not {value:g} (criterion {criterion_id!r})")
    return {criterion.id: float(value) for criterion in criteria if (value := scores.get(criterion.id)) is not None}


def weighted_total(weights: Mapping[C, float], scores: Mapping[C, float]) -> tuple[float | None, float]:
    """(score, scored share) over the criteria in `weights`.

    score = Σ w_c·s_c / Σ w_c over the criteria that have a score (None when that weight is 0, e.g. nothing scored);
    scored share = Σ w_c over scored / Σ w_c over all (0 when all the weights are 0).
    """
    all_weight = sum(weights.values())
    scored = [(weight, scores[key]) for key, weight in weights.items() if key in scores]
    scored_weight = sum(weight for weight, _ in scored)
    share = scored_weight / all_weight if all_weight > 0 else 0.0
    if scored_weight <= 0:
        return None, share
    return sum(weight * score for weight, score in scored) / scored_weight, share


def group_scores(criteria: Sequence[CriterionSpec[C, G]], scores: Mapping[C, float | None]) -> dict[G, float | None]:
    """One offer's score per group: the weighted mean within the group over the criteria it has a score for."""
    weights = criterion_weights(criteria)
    checked = criterion_scores(criteria, scores)
    by_group: dict[G, dict[C, float]] = {}
    for criterion in criteria:
        by_group.setdefault(criterion.group, {})[criterion.id] = weights[criterion.id]
    return {group: weighted_total(group_criteria, checked)[0] for group, group_criteria in by_group.items()}


def score_offers(
    criteria: list[CriterionSpec[C, G]], scores: dict[OfferKey, dict[C, float]]
) -> dict[OfferKey, OfferScore[G]]:
    """Score every offer against the criteria.

    Convention: an offer's total = Σ w_c·s_c / Σ w_c over the criteria it has a score for (unscored criteria are left
    out, not counted as 0), and `scored_share` = Σ w_c over scored / Σ w_c over all criteria, so a total resting on
    little evidence can be shown as such. A group's score is the same within the group. Scores are 1–5.
    """
    weights = criterion_weights(criteria)
    result: dict[OfferKey, OfferScore[G]] = {}
    for offer, offer_scores in scores.items():
        checked = criterion_scores(criteria, offer_scores)
        total, share = weighted_total(weights, checked)
        result[offer] = OfferScore(total=total, scored_share=share, groups=group_scores(criteria, checked))
    return result


def spread(values: Iterable[float]) -> float | None:
    """How far the evaluators disagree: highest minus lowest score (None when nobody scored)."""
    checked = [_finite(value, "A score") for value in values]
    if not checked:
        return None
    return max(checked) - min(checked)


def rank(totals: Mapping[OfferKey, float | None], excluded: set[OfferKey]) -> dict[OfferKey, int | None]:
    """Standard competition ranking (1, 1, 3) by total, highest first, in the order of `totals`.

    Excluded offers and offers without a total are ranked apart: None. Totals within 1e-9 count as equal.
    """
    ranked = sorted(
        (
            (_finite(total, "A total"), offer)
            for offer, total in totals.items()
            if total is not None and offer not in excluded
        ),
        key=lambda item: -item[0],
    )
    places: dict[OfferKey, int] = {}
    top_of_tie = math.nan
    place = 0
    for position, (total, offer) in enumerate(ranked, start=1):
        if position == 1 or not _same(total, top_of_tie):
            place, top_of_tie = position, total
        places[offer] = place
    return {offer: places.get(offer) for offer in totals}


# --- Sensitivity -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold(Generic[G, OfferKey]):
    """Where the lead changes hands when one group's weight moves (shares 0–1).

    `weight` is the group's share at which another offer first draws level with the leader (nearest to `current`);
    None when that never happens in 0–100 %, when the leader is undefined (a tie) or when the group is the only one.
    """

    group: G
    current: float
    weight: float | None
    new_leader: OfferKey | None
    leader: OfferKey | None

    @property
    def change_points(self) -> float | None:
        """How far the weight has to move, in percentage points (negative: down)."""
        return None if self.weight is None else (self.weight - self.current) * 100


def sensitivity(
    group_weights: Mapping[G, float], group_scores: Mapping[OfferKey, Mapping[G, float | None]]
) -> dict[G, Threshold[G, OfferKey]]:
    """One-at-a-time rank-reversal threshold per group.

    Convention: the weights are normalised to shares w. The weight of group g moves from w_g to w in [0, 1]; the other
    groups keep their proportions, scaled by (1 − w)/(1 − w_g). An offer with a score in every group then has a total
    linear in w: T_o(w) = w·S_og + (1 − w)·R_o, R_o = Σ_{h≠g} w_h·S_oh / (1 − w_g).
    Offers without a score for g are left out of g's analysis. An offer missing another group's score is, as in the
    scoring model, totalled over the groups it has: T_o(w) = (w·S_og + k·P_o) / (w + k·W_o), k = (1 − w)/(1 − w_g),
    P_o = Σ w_h·S_oh and W_o = Σ w_h over its other scored groups, so its total at w_g is the same in every group's
    analysis (scored in no other group, it keeps S_og). The leader has the highest total at w_g (totals within 1e-9
    are a tie: no leader, no threshold). The threshold is the w in [0, 1] nearest to w_g where another offer's total
    reaches the leader's (they are level there); `new_leader` is that offer (of several level there, the one ahead
    just beyond). A group with w_g = 1 (the only group with weight) has no threshold.
    """
    shares = normalise(group_weights)
    for offer, scores in group_scores.items():
        for group, value in scores.items():
            if group not in shares:
                raise ValueError(f"Offer {offer!r} has a score for {group!r}, which is not one of the groups")
            if value is not None:
                _finite(value, "A group score")
    return {group: _threshold(group, shares, group_scores) for group in shares}


@dataclass(frozen=True)
class _Line(Generic[OfferKey]):
    """An offer's total as a function of the moving weight w: (n0 + n1·w) / (d0 + d1·w), the denominator > 0."""

    offer: OfferKey
    n0: float
    n1: float
    d0: float
    d1: float

    def at(self, w: float) -> float:
        return (self.n0 + self.n1 * w) / (self.d0 + self.d1 * w)


def _level_points(line: _Line[OfferKey], lead: _Line[OfferKey]) -> list[float]:
    """The weights w in [0, 1] where the two totals are equal: roots of N·D_lead − N_lead·D (both D > 0)."""
    c2 = line.n1 * lead.d1 - lead.n1 * line.d1
    c1 = line.n0 * lead.d1 + line.n1 * lead.d0 - lead.n0 * line.d1 - lead.n1 * line.d0
    c0 = line.n0 * lead.d0 - lead.n0 * line.d0
    if c2 == 0:
        roots = [] if c1 == 0 else [-c0 / c1]
    else:
        discriminant = c1 * c1 - 4 * c2 * c0
        if discriminant < 0:
            return []
        q = -(c1 + math.copysign(math.sqrt(discriminant), c1)) / 2  # the numerically stable form
        roots = [q / c2] + ([c0 / q] if q != 0 else [])
    return [min(1.0, max(0.0, root)) for root in roots if -1e-12 <= root <= 1 + 1e-12]


def _threshold(
    group: G, shares: Mapping[G, float], scores: Mapping[OfferKey, Mapping[G, float | None]]
) -> Threshold[G, OfferKey]:
    current = shares[group]
    # The other groups' combined share, summed like W_o below so that a complete offer gets d1 == 0 exactly.
    rest = sum(share for h, share in shares.items() if h != group)
    only_group = rest <= 1e-12
    lines: list[_Line[OfferKey]] = []
    for offer, offer_scores in scores.items():
        own = offer_scores.get(group)
        if own is None:
            continue
        scored = [(share, offer_scores.get(h)) for h, share in shares.items() if h != group]
        p = sum(share * value for share, value in scored if value is not None)
        w = sum(share for share, value in scored if value is not None)
        if only_group or w <= 0:
            lines.append(_Line(offer, own, 0.0, 1.0, 0.0))  # its total is S_og whatever the weight
        else:
            # Multiplying through by (1 − w_g) = rest: T(w) = (w·rest·S_og + (1 − w)·P) / (w·rest + (1 − w)·W).
            lines.append(_Line(offer, p, rest * own - p, w, rest - w))

    def result(
        weight: float | None = None, new_leader: OfferKey | None = None, leader: OfferKey | None = None
    ) -> Threshold[G, OfferKey]:
        return Threshold(group=group, current=current, weight=weight, new_leader=new_leader, leader=leader)

    if not lines:
        return result()
    best = max(line.at(current) for line in lines)
    leaders = [line for line in lines if _same(line.at(current), best)]
    if len(leaders) > 1:
        return result()
    lead = leaders[0]
    if only_group:
        return result(leader=lead.offer)

    crossings = [(point, line) for line in lines if line is not lead for point in _level_points(line, lead)]
    if not crossings:
        return result(leader=lead.offer)
    nearest = min(crossings, key=lambda crossing: (abs(crossing[0] - current), crossing[0]))[0]
    level = [line for point, line in crossings if abs(point - nearest) <= 1e-12]
    # Several offers level with the leader at the same point: the one ahead just beyond it takes the lead.
    beyond = min(1.0, max(0.0, nearest + (1e-6 if nearest > current else -1e-6)))
    winner = max(level, key=lambda line: line.at(beyond))
    return result(weight=nearest, new_leader=winner.offer, leader=lead.offer)


# --- Total cost of ownership -----------------------------------------------------------------------------------------

CENT = Decimal("0.01")
MAX_YEARS = 30


def _money(value: Decimal | int, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{what} must be a Decimal amount, not {value!r}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{what} must be a finite amount, not {value}")
    return amount


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class QuoteLineSpec:
    """A line of a quote. One-time (recurring False): paid once, in `year_from`. Yearly: paid every year from
    `year_from` to `year_to` (None: to the end of the horizon). Years count from 1; `year_to` is ignored for
    one-time lines."""

    kind: str
    amount: Decimal
    recurring: bool
    year_from: int = 1
    year_to: int | None = None


@dataclass(frozen=True)
class TcoResult:
    """Cost over the horizon. total = one_time + recurring + customisation = Σ by_year; Σ by_kind + customisation
    = total. `by_year[0]` is year 1. All figures to the cent."""

    by_year: list[Decimal]
    one_time: Decimal
    recurring: Decimal
    customisation: Decimal
    total: Decimal
    npv: Decimal | None
    by_kind: dict[str, Decimal]


def tco(
    lines: list[QuoteLineSpec], years: int = 5, customisation: Decimal = Decimal(0), rate: Decimal | None = None
) -> TcoResult:
    """Total cost of ownership over `years` (1–30).

    Each amount is first rounded to the cent (ROUND_HALF_UP). Lines, or the years of a line, outside the horizon
    count for nothing. `customisation` is a one-time cost in year 1, reported apart from the quote's one-time lines.
    With `rate` (e.g. Decimal("0.08"), in [0, 1)) `npv` is the present value with payments at the start of each year:
    year y is divided by (1 + rate)^(y − 1), so year 1 is not discounted.
    """
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ValueError(f"The horizon must be 1 to {MAX_YEARS} years, not {years!r}")
    extra = _cents(_money(customisation, "The customisation cost"))
    if extra < 0:
        raise ValueError("The customisation cost must not be negative")
    if rate is not None:
        rate = _money(rate, "The discount rate")
        if not 0 <= rate < 1:
            raise ValueError(f"The discount rate must be at least 0 and below 1 (e.g. 0.08 for 8 %), not {rate}")

    by_year = [Decimal(0)] * years
    one_time = recurring = Decimal(0)
    by_kind: dict[str, Decimal] = {}
    for number, line in enumerate(lines, start=1):
        amount = _cents(_money(line.amount, f"The amount of line {number}"))
        if amount < 0:
            raise ValueError(f"The amount of line {number} ({line.kind}) must not be negative")
        if isinstance(line.year_from, bool) or not isinstance(line.year_from, int) or line.year_from < 1:
            raise ValueError(f"Line {number} ({line.kind}) must start in year 1 or later, not {line.year_from!r}")
        if line.year_to is not None and (
            isinstance(line.year_to, bool) or not isinstance(line.year_to, int) or line.year_to < line.year_from
        ):
            raise ValueError(
                f"Line {number} ({line.kind}) must end in or after year {line.year_from}, not {line.year_to!r}"
            )
        if line.recurring:
            last = years if line.year_to is None else min(line.year_to, years)
            paid_in = range(line.year_from, last + 1)
        else:
            paid_in = range(line.year_from, line.year_from + 1) if line.year_from <= years else range(0)
        for year in paid_in:
            by_year[year - 1] += amount
        line_total = amount * len(paid_in)
        if line.recurring:
            recurring += line_total
        else:
            one_time += line_total
        by_kind[line.kind] = by_kind.get(line.kind, Decimal(0)) + line_total
    by_year[0] += extra

    npv = None
    if rate is not None:
        npv = _cents(sum((paid / (1 + rate) ** index for index, paid in enumerate(by_year)), Decimal(0)))
    return TcoResult(
        by_year=[_cents(paid) for paid in by_year],
        one_time=_cents(one_time),
        recurring=_cents(recurring),
        customisation=extra,
        total=_cents(one_time + recurring + extra),
        npv=npv,
        by_kind={kind: _cents(amount) for kind, amount in by_kind.items()},
    )


# --- Fit coverage ----------------------------------------------------------------------------------------------------

FIT_LEVELS = ("standard", "configuration", "customisation", "third_party", "not_supported")
MET_WITHOUT_CUSTOMISATION = frozenset({"standard", "configuration", "third_party"})
UNANSWERED = "unanswered"


@dataclass(frozen=True)
class Coverage(Generic[R]):
    """How many must-haves an offer meets without customisation; `gaps` are the others with their level."""

    share: float | None
    met: int
    total: int
    gaps: list[tuple[R, str]]


def coverage(must_have: list[R], fits: Mapping[R, str]) -> Coverage[R]:
    """Must-have coverage of one offer.

    A must-have is met without customisation when its fit is "standard", "configuration" or "third_party". Gaps list
    the others, in the order given, with their level: "customisation", "not_supported" or "unanswered" (no fit given).
    `share` = met / total, None when there are no must-haves. Fits for other requirements are ignored.
    """
    for requirement, level in fits.items():
        if level not in FIT_LEVELS:
            raise ValueError(
                f"Unknown fit level {level!r} for {requirement!r}; expected one of {', '.join(FIT_LEVELS)}"
            )
    if len(set(must_have)) != len(must_have):
        raise ValueError("A must-have requirement is listed twice")
    gaps: list[tuple[R, str]] = []
    met = 0
    for requirement in must_have:
        level = fits.get(requirement)
        if level in MET_WITHOUT_CUSTOMISATION:
            met += 1
        else:
            gaps.append((requirement, UNANSWERED if level is None else level))
    total = len(must_have)
    return Coverage(share=met / total if total else None, met=met, total=total, gaps=gaps)
