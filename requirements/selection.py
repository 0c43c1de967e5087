"""Write operations of the vendor comparison, with its rules.

- Evaluators score independently: until they submit their scores for an offer, nobody else sees them,
  and once submitted they are fixed. The agreed score is set by an editor after that.
- A vendor-portal member answers only for the offers of the vendors they are linked to: fit-gap
  (level, effort, cost, note) and quote lines; nothing else.
- Customisation found in fit-gap carries its cost into the offer's TCO (see `requirements.comparison`).
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.models import Membership, Project
from projects.services import apply_fields
from requirements.evaluation import ahp, pairwise_matrix
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
    Requirement,
    Score,
    ScoreSubmission,
    Selection,
    Vendor,
)
from workbench.errors import BusinessRuleError
from workbench.locking import StaleVersionError, save_versioned


class SelectionError(BusinessRuleError):
    """A business rule of the vendor comparison refused the change; the message is shown as it is."""


def _save(instance: Model, *, user: AbstractBaseUser | None = None, expected_version: int | None = None) -> Model:
    instance.full_clean()
    if user is not None:
        instance._history_user = user
    if expected_version is not None:
        return save_versioned(instance, expected_version=expected_version)
    instance.save()
    return instance


def _update(instance: Model, fields: dict[str, Any], **kwargs: Any) -> Model:
    for frozen in ("project", "project_id", "pk", "id", "version"):
        fields.pop(frozen, None)
    apply_fields(instance, fields)
    return _save(instance, **kwargs)


# Settings -------------------------------------------------------------------------------------------


def selection_for(project: Project) -> Selection:
    """The project's comparison settings, created with the defaults on first use."""
    selection, _created = Selection.objects.get_or_create(project=project)
    return selection


def selection_update(*, selection: Selection, expected_version: int, user=None, **fields: Any) -> Selection:
    return _update(selection, fields, user=user, expected_version=expected_version)


# Vendors, offers, quotes -------------------------------------------------------------------------------


def vendor_create(*, project: Project, name: str, user=None, portal_members: Iterable[Membership] = (), **fields):
    if Vendor.objects.filter(project=project, name=name).exists():
        raise SelectionError(_("A vendor with this name exists already."))
    vendor = _save(Vendor(project=project, name=name, **fields), user=user)
    vendor_set_portal_members(vendor=vendor, members=portal_members)
    return vendor


def vendor_update(*, vendor: Vendor, expected_version: int, user=None, portal_members=None, **fields) -> Vendor:
    name = fields.get("name")
    if name and Vendor.objects.filter(project=vendor.project, name=name).exclude(pk=vendor.pk).exists():
        raise SelectionError(_("A vendor with this name exists already."))
    _update(vendor, fields, user=user, expected_version=expected_version)
    if portal_members is not None:
        vendor_set_portal_members(vendor=vendor, members=portal_members)
    return vendor


def vendor_set_portal_members(*, vendor: Vendor, members: Iterable[Membership]) -> None:
    """Link vendor-role members of the project to this vendor: they answer for its offers in the portal."""
    members = list(members)
    for member in members:
        if member.project_id != vendor.project_id:
            raise SelectionError(_("Only members of this project can answer for a vendor."))
        if member.role != Membership.Role.VENDOR:
            raise SelectionError(
                _("%(user)s is not a vendor member; give them the vendor role first.") % {"user": member.user}
            )
    vendor.portal_members.set(members)


def vendor_delete(*, vendor: Vendor) -> None:
    """Delete a vendor with its offers and service levels; a vendor incidents were raised with stays (they are the
    record of its support)."""
    incidents = vendor.incidents.count()
    if incidents:
        raise SelectionError(
            ngettext(
                "“%(name)s” has %(count)s incident under its service levels: a vendor with a support record stays.",
                "“%(name)s” has %(count)s incidents under its service levels: a vendor with a support record stays.",
                incidents,
            )
            % {"name": vendor.name, "count": incidents}
        )
    vendor.delete()


def offer_create(*, vendor: Vendor, product: str, deployment: str, user=None, **fields) -> Offer:
    if Offer.objects.filter(vendor=vendor, product=product, product_version=fields.get("product_version", "")).exists():
        raise SelectionError(_("This vendor has an offer for this product and version already."))
    return _save(
        Offer(project=vendor.project, vendor=vendor, product=product, deployment=deployment, **fields), user=user
    )


def offer_update(*, offer: Offer, expected_version: int, user=None, **fields) -> Offer:
    fields.pop("vendor", None)
    return _update(offer, fields, user=user, expected_version=expected_version)


def offer_delete(*, offer: Offer) -> None:
    offer.delete()


def quote_line_create(*, offer: Offer, kind: str, amount: Decimal, user=None, **fields) -> QuoteLine:
    line = QuoteLine(offer=offer, kind=kind, amount=amount, **fields)
    _check_years(line)
    return _save(line, user=user)


def quote_line_update(*, line: QuoteLine, user=None, **fields) -> QuoteLine:
    fields.pop("offer", None)
    apply_fields(line, fields)
    _check_years(line)
    return _save(line, user=user)


def _check_years(line: QuoteLine) -> None:
    if line.year_to is not None and line.year_to < line.year_from:
        raise SelectionError(_("The last year cannot come before the first."))
    if line.year_to is not None and not line.recurring:
        raise SelectionError(_("A one-time cost is paid in one year: leave “to year” empty."))


def quote_line_delete(*, line: QuoteLine) -> None:
    line.delete()


# Knock-outs --------------------------------------------------------------------------------------------


def knockout_create(*, project: Project, text: str, user=None) -> KnockOut:
    order = KnockOut.objects.filter(project=project).count()
    return _save(KnockOut(project=project, text=text, order=order), user=user)


def knockout_update(*, knockout: KnockOut, user=None, **fields) -> KnockOut:
    return _update(knockout, fields, user=user)


def knockout_delete(*, knockout: KnockOut) -> None:
    knockout.delete()


def knockout_check(*, knockout: KnockOut, offer: Offer, passed: bool, reason: str = "", user=None) -> KnockOutCheck:
    """Record whether an offer meets a knock-out condition; failing needs a reason, which the ranking shows."""
    if knockout.project_id != offer.project_id:
        raise SelectionError(_("The condition and the offer belong to different projects."))
    if not passed and not reason.strip():
        raise SelectionError(_("Say why the offer fails this condition."))
    check = KnockOutCheck.objects.filter(knockout=knockout, offer=offer).first() or KnockOutCheck(
        knockout=knockout, offer=offer
    )
    check.passed, check.reason = passed, reason.strip()
    return _save(check, user=user)


class KnockOutRefused(SelectionError):
    """A knock-out answer was refused; names the condition so that a page can show the error at it."""

    def __init__(self, knockout: KnockOut, message: str) -> None:
        self.knockout = knockout
        super().__init__(message)


@transaction.atomic
def knockout_answers_apply(*, offer: Offer, answers: list[tuple[KnockOut, bool | None, str]], user=None) -> int:
    """Record an offer's answers to the knock-out conditions, all or nothing; returns how many changed.

    Each answer is (condition, met, reason); met None means "not checked", which removes an earlier check.
    The first refusal rolls back every other answer and raises KnockOutRefused naming its condition.
    """
    existing = {c.knockout_id: c for c in KnockOutCheck.objects.filter(offer=offer)}
    changed = 0
    for knockout, passed, reason in answers:
        check = existing.get(knockout.pk)
        if passed is None:
            if check is not None:
                check._history_user = user
                check.delete()
                changed += 1
            continue
        if check is not None and check.passed == passed and check.reason == reason:
            continue
        try:
            knockout_check(knockout=knockout, offer=offer, passed=passed, reason=reason, user=user)
        except SelectionError as exc:
            raise KnockOutRefused(knockout, str(exc)) from exc
        changed += 1
    return changed


# Criteria and weights ------------------------------------------------------------------------------------


def criterion_create(*, project: Project, name: str, group: str, weight: Decimal = Decimal(1), user=None, **fields):
    if Criterion.objects.filter(project=project, name=name).exists():
        raise SelectionError(_("A criterion with this name exists already."))
    order = Criterion.objects.filter(project=project, group=group).count()
    return _save(Criterion(project=project, name=name, group=group, weight=weight, order=order, **fields), user=user)


def criterion_update(*, criterion: Criterion, expected_version: int, user=None, **fields) -> Criterion:
    name = fields.get("name")
    if name and Criterion.objects.filter(project=criterion.project, name=name).exclude(pk=criterion.pk).exists():
        raise SelectionError(_("A criterion with this name exists already."))
    return _update(criterion, fields, user=user, expected_version=expected_version)


def criterion_delete(*, criterion: Criterion) -> None:
    if criterion.scores.exists() or criterion.agreed_scores.exists():
        raise SelectionError(
            _("Offers have been scored on this criterion; set its weight to 0 instead of deleting it.")
        )
    criterion.delete()


def judgement_set(*, first: Criterion, second: Criterion, value: float, user=None) -> Judgement:
    """Store how much more `first` matters than `second` (1/9 … 9); the reverse pair is implied."""
    if first.project_id != second.project_id:
        raise SelectionError(_("Both criteria must belong to the same project."))
    if first.pk == second.pk:
        raise SelectionError(_("Compare two different criteria."))
    if not (1 / 9 - 1e-9 <= value <= 9 + 1e-9):
        raise SelectionError(_("A judgement lies between 1/9 and 9."))
    if first.pk > second.pk:
        first, second, value = second, first, 1 / value
    judgement = Judgement.objects.filter(first=first, second=second).first() or Judgement(
        project_id=first.project_id, first=first, second=second
    )
    judgement.value = value
    return _save(judgement, user=user)


def ahp_for(criteria: list[Criterion]):
    """AHP over these criteria from the stored judgements (unjudged pairs count as equal)."""
    index = {c.pk: i for i, c in enumerate(criteria)}
    judgements = {}
    for j in Judgement.objects.filter(first__in=criteria, second__in=criteria):
        i, k = index[j.first_id], index[j.second_id]
        judgements[(i, k) if i < k else (k, i)] = j.value if i < k else 1 / j.value
    return ahp(pairwise_matrix(len(criteria), judgements))


@transaction.atomic
def weights_from_ahp(*, criteria: list[Criterion], user=None):
    """Replace the weights of these criteria by their AHP weights, keeping their current total.

    Applied to one group, the group keeps its share of the whole and only the split inside it changes.
    Returns the AHP result (weights, consistency ratio) for the page to show.
    """
    if len(criteria) < 2:
        raise SelectionError(_("Pairwise comparison needs at least two criteria."))
    result = ahp_for(criteria)
    total = sum((c.weight for c in criteria), Decimal(0)) or Decimal(len(criteria))
    for criterion, share in zip(criteria, result.weights, strict=True):
        criterion.weight = (total * Decimal(str(share))).quantize(Decimal("0.0001"))
        _save(criterion, user=user, expected_version=criterion.version)
    return result


# Scores ------------------------------------------------------------------------------------------------


def has_submitted(*, offer: Offer, evaluator: AbstractBaseUser) -> bool:
    return ScoreSubmission.objects.filter(offer=offer, evaluator=evaluator).exists()


def score_set(*, offer: Offer, criterion: Criterion, evaluator: AbstractBaseUser, value: int, note: str = "") -> Score:
    if criterion.project_id != offer.project_id:
        raise SelectionError(_("The criterion and the offer belong to different projects."))
    if has_submitted(offer=offer, evaluator=evaluator):
        raise SelectionError(_("You have submitted your scores for this offer; they can no longer change."))
    score = Score.objects.filter(offer=offer, criterion=criterion, evaluator=evaluator).first() or Score(
        offer=offer, criterion=criterion, evaluator=evaluator
    )
    score.value, score.note = value, note
    return _save(score, user=evaluator)


@transaction.atomic
def scores_submit(*, offer: Offer, evaluator: AbstractBaseUser) -> ScoreSubmission:
    """Fix an evaluator's scores for an offer and show them to the team; every criterion must be scored."""
    if has_submitted(offer=offer, evaluator=evaluator):
        raise SelectionError(_("You have submitted your scores for this offer already."))
    if not Criterion.objects.filter(project_id=offer.project_id).exists():
        raise SelectionError(_("There are no criteria to score yet."))
    scored = set(Score.objects.filter(offer=offer, evaluator=evaluator).values_list("criterion_id", flat=True))
    missing = Criterion.objects.filter(project_id=offer.project_id).exclude(pk__in=scored)
    if missing.exists():
        names = ", ".join(missing.values_list("name", flat=True)[:5])
        raise SelectionError(_("Score every criterion before submitting; still open: %(names)s") % {"names": names})
    return _save(ScoreSubmission(offer=offer, evaluator=evaluator), user=evaluator)


def agreed_score_set(*, offer: Offer, criterion: Criterion, value: int, note: str = "", user=None) -> AgreedScore:
    if criterion.project_id != offer.project_id:
        raise SelectionError(_("The criterion and the offer belong to different projects."))
    agreed = AgreedScore.objects.filter(offer=offer, criterion=criterion).first() or AgreedScore(
        offer=offer, criterion=criterion
    )
    agreed.value, agreed.note = value, note
    return _save(agreed, user=user)


# Fit-gap -----------------------------------------------------------------------------------------------


def fit_set(
    *,
    offer: Offer,
    requirement: Requirement,
    level: str,
    effort_days: Decimal | None = None,
    cost: Decimal | None = None,
    note: str = "",
    user=None,
    expected_version: int | None = None,
) -> Fit:
    """Record how an offer meets a requirement. Effort and cost belong to customisation only."""
    if requirement.project_id != offer.project_id:
        raise SelectionError(_("The requirement and the offer belong to different projects."))
    if level != Fit.Level.CUSTOMISATION and (effort_days or cost):
        raise SelectionError(_("Effort and cost are for customisation; choose that level or leave them empty."))
    fit = Fit.objects.filter(offer=offer, requirement=requirement).first()
    if fit is None:
        fit = Fit(offer=offer, requirement=requirement)
        expected_version = None
    elif expected_version is None:
        expected_version = fit.version
    fit.level, fit.effort_days, fit.cost, fit.note = level, effort_days, cost, note
    return _save(fit, user=user, expected_version=expected_version)


def fit_clear(*, offer: Offer, requirement: Requirement, expected_version: int | None = None) -> None:
    """Remove an answer. With `expected_version`, refuse (StaleVersionError) if someone changed it meanwhile."""
    fit = Fit.objects.filter(offer=offer, requirement=requirement).first()
    if fit is None:
        return
    if expected_version is not None and fit.version != expected_version:
        raise StaleVersionError(fit)
    fit.delete()


# Demos -------------------------------------------------------------------------------------------------


def scenario_create(*, project: Project, title: str, requirements: Iterable[Requirement] = (), user=None, **fields):
    requirements = list(requirements)
    if any(r.project_id != project.pk for r in requirements):
        raise SelectionError(_("Only requirements of this project can be demonstrated."))
    process = fields.get("process")
    if process is not None and process.project_id != project.pk:
        raise SelectionError(_("Only processes of this project can be demonstrated."))
    order = DemoScenario.objects.filter(project=project).count()
    scenario = _save(DemoScenario(project=project, title=title, order=order, **fields), user=user)
    scenario.requirements.set(requirements)
    return scenario


def scenario_update(*, scenario: DemoScenario, requirements=None, user=None, **fields) -> DemoScenario:
    _update(scenario, fields, user=user)
    if requirements is not None:
        requirements = list(requirements)
        if any(r.project_id != scenario.project_id for r in requirements):
            raise SelectionError(_("Only requirements of this project can be demonstrated."))
        scenario.requirements.set(requirements)
    return scenario


def scenario_delete(*, scenario: DemoScenario) -> None:
    scenario.delete()


def demo_create(*, offer: Offer, held_on, scenarios: Iterable[DemoScenario] = (), user=None, **fields) -> DemoSession:
    scenarios = list(scenarios)
    if any(s.project_id != offer.project_id for s in scenarios):
        raise SelectionError(_("Only scenarios of this project can be shown."))
    session = _save(DemoSession(offer=offer, held_on=held_on, **fields), user=user)
    session.scenarios.set(scenarios)
    return session


def demo_update(*, session: DemoSession, scenarios=None, user=None, **fields) -> DemoSession:
    fields.pop("offer", None)
    _update(session, fields, user=user)
    if scenarios is not None:
        scenarios = list(scenarios)
        if any(s.project_id != session.offer.project_id for s in scenarios):
            raise SelectionError(_("Only scenarios of this project can be shown."))
        session.scenarios.set(scenarios)
        # A scenario taken out of the session takes its ratings with it, so the session's mean is of what was shown.
        session.ratings.exclude(scenario__in=scenarios).delete()
    return session


def demo_delete(*, session: DemoSession) -> None:
    session.delete()


def demo_rate(
    *, session: DemoSession, scenario: DemoScenario, attendee: AbstractBaseUser, value: int, note: str = ""
) -> DemoRating:
    if not session.scenarios.filter(pk=scenario.pk).exists():
        raise SelectionError(_("This scenario was not part of this demo."))
    rating = DemoRating.objects.filter(session=session, scenario=scenario, attendee=attendee).first() or DemoRating(
        session=session, scenario=scenario, attendee=attendee
    )
    rating.value, rating.note = value, note
    return _save(rating, user=attendee)
