"""The vendor comparison as one read model: per offer the weighted score and rank, knock-out exclusion,
must-have coverage and TCO; per criterion group the rank-reversal threshold; and the two charts.

`build_comparison` reads everything in a fixed number of queries whatever the number of offers,
criteria and requirements; the page, the API and the PDF report all show this same object.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pygal
from django.db.models import Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from projects.models import Project
from requirements import evaluation
from requirements.models import (
    AgreedScore,
    Criterion,
    Fit,
    KnockOut,
    KnockOutCheck,
    Offer,
    QuoteLine,
    Requirement,
    Score,
    ScoreSubmission,
    Selection,
)
from workbench.charts import static_chart, svg_markup

# Requirements that still count: a rejected or deferred must-have is no longer asked of the vendors.
OPEN = ~Q(status__in=[Requirement.Status.REJECTED, Requirement.Status.DEFERRED])
GROUPS = Criterion.Group


@dataclass
class Exclusion:
    condition: str
    reason: str


@dataclass
class OfferRow:
    offer: Offer
    score: evaluation.OfferScore
    rank: int | None
    exclusions: list[Exclusion]
    unchecked: int  # knock-out conditions not yet checked for this offer
    coverage: evaluation.Coverage
    tco: evaluation.TcoResult
    customisation_days: Decimal
    answered: int  # requirements with a fit answer

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    @property
    def total_percent(self) -> float | None:
        """The weighted score on 0–100 % (1 → 0 %, 5 → 100 %), easier to read than 3.7 of 5."""
        return None if self.score.total is None else (self.score.total - 1) / 4 * 100


@dataclass
class CriterionRow:
    criterion: Criterion
    share: float  # normalised weight, 0–1


@dataclass
class GroupRow:
    value: str
    label: str
    share: float
    criteria: list[CriterionRow]


@dataclass
class Comparison:
    selection: Selection
    rows: list[OfferRow]  # ranked offers first (by rank), then the excluded and the unscored
    groups: list[GroupRow]
    sensitivity: list[evaluation.Threshold]
    must_total: int
    requirement_total: int
    knockouts: list[KnockOut]
    warnings: list[str] = field(default_factory=list)

    @property
    def leader(self) -> OfferRow | None:
        ranked = [r for r in self.rows if r.rank == 1]
        return ranked[0] if len(ranked) == 1 else None

    def group_label(self, value: str) -> str:
        return str(GROUPS(value).label)


def _criteria(project: Project) -> tuple[list[Criterion], list[GroupRow], dict[int, float]]:
    criteria = list(Criterion.objects.filter(project=project).order_by("group", "order", "pk"))
    specs = [evaluation.CriterionSpec(c.pk, c.group, float(c.weight)) for c in criteria]
    try:
        shares = evaluation.criterion_weights(specs) if criteria else {}
    except ValueError:  # every weight is 0
        shares = {c.pk: 0.0 for c in criteria}
    groups = []
    for value, label in GROUPS.choices:
        inside = [CriterionRow(c, shares[c.pk]) for c in criteria if c.group == value]
        if inside:
            groups.append(GroupRow(value, str(label), sum(r.share for r in inside), inside))
    return criteria, groups, shares


def build_comparison(project: Project) -> Comparison:
    selection, _created = Selection.objects.get_or_create(project=project)
    criteria, groups, shares = _criteria(project)
    specs = [evaluation.CriterionSpec(c.pk, c.group, float(c.weight)) for c in criteria]
    offers = list(Offer.objects.filter(project=project).select_related("vendor").order_by("vendor__name", "product"))
    knockouts = list(KnockOut.objects.filter(project=project))

    agreed: dict[int, dict[int, float]] = defaultdict(dict)
    for offer_id, criterion_id, value in AgreedScore.objects.filter(offer__project=project).values_list(
        "offer_id", "criterion_id", "value"
    ):
        agreed[offer_id][criterion_id] = float(value)

    failed: dict[int, list[Exclusion]] = defaultdict(list)
    checked: dict[int, int] = defaultdict(int)
    for check in KnockOutCheck.objects.filter(offer__project=project).select_related("knockout"):
        checked[check.offer_id] += 1
        if not check.passed:
            failed[check.offer_id].append(Exclusion(check.knockout.text, check.reason))

    lines: dict[int, list[evaluation.QuoteLineSpec]] = defaultdict(list)
    for line in QuoteLine.objects.filter(offer__project=project):
        lines[line.offer_id].append(
            evaluation.QuoteLineSpec(line.kind, line.amount, line.recurring, line.year_from, line.year_to)
        )

    requirements = project.requirements.filter(OPEN)
    must = list(
        requirements.filter(priority=Requirement.Priority.MUST).order_by("number").values_list("key", flat=True)
    )
    fits: dict[int, dict[str, str]] = defaultdict(dict)
    custom_cost: dict[int, Decimal] = defaultdict(Decimal)
    custom_days: dict[int, Decimal] = defaultdict(Decimal)
    for offer_id, key, level, cost, days in Fit.objects.filter(
        offer__project=project, requirement__in=requirements
    ).values_list("offer_id", "requirement__key", "level", "cost", "effort_days"):
        fits[offer_id][key] = level
        if level == Fit.Level.CUSTOMISATION:
            custom_cost[offer_id] += cost or 0
            custom_days[offer_id] += days or 0

    scored = evaluation.score_offers(specs, {o.pk: agreed.get(o.pk, {}) for o in offers}) if specs else {}
    empty = evaluation.OfferScore(total=None, scored_share=0.0, groups={})
    totals = {o.pk: scored[o.pk].total if o.pk in scored else None for o in offers}
    ranks = evaluation.rank(totals, excluded={o.pk for o in offers if failed.get(o.pk)})
    rate = selection.discount_rate
    rows = [
        OfferRow(
            offer=o,
            score=scored.get(o.pk, empty),
            rank=ranks[o.pk],
            exclusions=failed.get(o.pk, []),
            unchecked=len(knockouts) - checked.get(o.pk, 0),
            coverage=evaluation.coverage(must, fits.get(o.pk, {})),
            tco=evaluation.tco(lines.get(o.pk, []), selection.years, custom_cost.get(o.pk, Decimal(0)), rate),
            customisation_days=custom_days.get(o.pk, Decimal(0)),
            answered=len(fits.get(o.pk, {})),
        )
        for o in offers
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.offer.vendor.name, r.offer.product))

    ranked = [r for r in rows if r.rank is not None]
    group_shares = {g.value: g.share for g in groups}
    sensitivity = []
    if len(ranked) >= 2 and len(group_shares) >= 2:
        group_scores = {r.offer.pk: {g: s for g, s in r.score.groups.items() if s is not None} for r in ranked}
        try:
            sensitivity = list(evaluation.sensitivity(group_shares, group_scores).values())
        except ValueError:
            sensitivity = []
    warnings = []
    if not criteria:
        warnings.append(_("No criteria yet: add criteria and weights before scoring."))
    if any(r.unchecked for r in rows) and knockouts:
        warnings.append(_("Some offers have not been checked against every knock-out condition."))
    return Comparison(
        selection=selection,
        rows=rows,
        groups=groups,
        sensitivity=sensitivity,
        must_total=len(must),
        requirement_total=requirements.count(),
        knockouts=knockouts,
        warnings=warnings,
    )


def offer_label(offer: Offer) -> str:
    return f"{offer.vendor.name} · {offer.product}"


def _chart_labels(comparison: Comparison) -> dict[int, str]:
    """Short legend labels: the vendor's name, with the product only where a vendor has several offers."""
    counts: dict[int, int] = defaultdict(int)
    for row in comparison.rows:
        counts[row.offer.vendor_id] += 1
    return {
        row.offer.pk: offer_label(row.offer) if counts[row.offer.vendor_id] > 1 else row.offer.vendor.name
        for row in comparison.rows
    }


def group_chart(comparison: Comparison, *, width: int = 640, height: int = 320) -> SafeString:
    """Group scores (1–5) of the ranked offers as grouped bars, one colour per offer, as inline SVG."""
    chart = static_chart(pygal.Bar, width=width, height=height, legend_at_bottom_columns=3, range=(0, 5))
    chart.x_labels = [g.label for g in comparison.groups]
    labels = _chart_labels(comparison)
    for row in comparison.rows:
        if row.rank is None:
            continue
        chart.add(labels[row.offer.pk], [row.score.groups.get(g.value) for g in comparison.groups])
    return svg_markup(chart)


def tco_chart(comparison: Comparison, *, width: int = 640, height: int = 320) -> SafeString:
    """Cumulative cost by year per offer (excluded ones too), as inline SVG lines."""
    years = comparison.selection.years
    chart = static_chart(pygal.Line, width=width, height=height, legend_at_bottom_columns=3, show_minor_x_labels=True)
    chart.x_labels = [_("Year %(n)s") % {"n": n} for n in range(1, years + 1)]
    labels = _chart_labels(comparison)
    for row in comparison.rows:
        running, points = Decimal(0), []
        for amount in row.tco.by_year:
            running += amount
            points.append(float(running))
        chart.add(labels[row.offer.pk], points)
    return svg_markup(chart)


def evaluator_scores(offer: Offer, viewer) -> dict:
    """Every evaluator's scores of an offer, as far as `viewer` may see them: their own always, the others'
    only once the viewer has submitted theirs (and only the submitted ones). Returns criterion id →
    {"mine": Score | None, "others": [Score], "spread": float | None}."""
    submitted = set(ScoreSubmission.objects.filter(offer=offer).values_list("evaluator_id", flat=True))
    viewer_submitted = viewer.pk in submitted
    out: dict[int, dict] = defaultdict(lambda: {"mine": None, "others": [], "spread": None})
    for score in Score.objects.filter(offer=offer).select_related("evaluator"):
        entry = out[score.criterion_id]
        if score.evaluator_id == viewer.pk:
            entry["mine"] = score
        elif viewer_submitted and score.evaluator_id in submitted:
            entry["others"].append(score)
    for entry in out.values():
        values = [s.value for s in entry["others"]] + ([entry["mine"].value] if entry["mine"] else [])
        entry["spread"] = evaluation.spread(values) if viewer_submitted else None
    return dict(out)
