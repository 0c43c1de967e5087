"""Scripted vendor demos: the four standard scenarios of a 进销存 selection, and the reads the demo pages and
the vendor report share (sessions with their mean rating).

Writes go through `requirements.selection`; `scenarios_add_standard` only calls `scenario_create` for the
standard scenarios still missing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Avg, Count, Prefetch, QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements.comparison import offer_label
from requirements.models import DemoRating, DemoScenario, DemoSession, Offer, Requirement
from requirements.selection import scenario_create

# The standard scenarios ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardScenario:
    title: Promise
    script: Promise


STANDARD_SCENARIOS = [
    StandardScenario(
        _("Order-to-cash"),
        _(
            "Show, with the vendor's system and our own items and customers:\n\n"
            "1. Create a customer with a credit limit and a price list.\n"
            "2. Enter a sales order for two items, one of them batch-tracked; show the stock available to "
            "promise and the credit check.\n"
            "3. Pick, pack and ship part of the order; show that the stock drops at once in every channel.\n"
            "4. Invoice the quantity shipped and show the VAT invoice data (增值税发票).\n"
            "5. Record the customer's payment, match it to the invoice and show the open items left.\n"
            "6. Follow the whole trail from the order to the payment in one place."
        ),
    ),
    StandardScenario(
        _("Procure-to-pay with three-way match"),
        _(
            "Show the three-way match of order, receipt and invoice:\n\n"
            "1. Turn a reorder suggestion into a purchase requisition and approve it.\n"
            "2. Convert it into a purchase order for 10 units and send it to the supplier.\n"
            "3. Receive 8 units against the order, with batch numbers and expiry dates.\n"
            "4. Enter the supplier's invoice for 10 units at a slightly higher price.\n"
            "5. Show how the match of order, receipt and invoice flags the quantity and price differences and "
            "holds the invoice until they are resolved.\n"
            "6. Accept the price difference within tolerance, receive the last 2 units, release and pay the "
            "invoice; show the supplier's account."
        ),
    ),
    StandardScenario(
        _("Stock-take"),
        _(
            "Show a cycle count in one warehouse zone while the others keep working:\n\n"
            "1. Freeze one zone for counting and show that the rest of the warehouse can still ship.\n"
            "2. Count on a phone or handheld by scanning, blind (the book quantity is not shown).\n"
            "3. Ask for a recount where the difference is large and enter it.\n"
            "4. Show the differences by quantity and value and approve the adjustments with a reason.\n"
            "5. Post them and show the new stock and the posting to finance."
        ),
    ),
    StandardScenario(
        _("Month-end close"),
        _(
            "Show the month-end close of inventory and finance:\n\n"
            "1. Open the checklist of month-end tasks with their owners and states.\n"
            "2. Show the cut-off: goods received not yet invoiced, goods shipped not yet invoiced.\n"
            "3. Value the stock (moving average or FIFO) and show the cost of goods sold for the month.\n"
            "4. Reconcile stock with the general ledger and drill into a difference.\n"
            "5. Close the period so that nobody posts in it any more; show who may reopen it.\n"
            "6. Print the margin by product and customer and the stock ageing report."
        ),
    ),
]


def _titles_in_every_language(scenario: StandardScenario) -> set[str]:
    titles = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            titles.add(str(scenario.title))
    return titles


def scenarios_add_standard(*, project: Project, user: AbstractBaseUser | None = None) -> list[DemoScenario]:
    """Create the standard scenarios this project does not have yet, in the active language; returns the new ones.

    A scenario counts as there when one of the project's scenarios has its title in any of the languages,
    so clicking twice, or once in English and once in Chinese, adds nothing the second time.
    """
    existing = set(DemoScenario.objects.filter(project=project).values_list("title", flat=True))
    created = []
    for standard in STANDARD_SCENARIOS:
        if _titles_in_every_language(standard) & existing:
            continue
        created.append(
            scenario_create(project=project, title=str(standard.title), script=str(standard.script), user=user)
        )
    return created


def standard_missing(*, titles: set[str]) -> int:
    """How many of the standard scenarios are not among these titles (for the button's label)."""
    return sum(1 for standard in STANDARD_SCENARIOS if not _titles_in_every_language(standard) & titles)


# Reads ------------------------------------------------------------------------------------------------


def scenario_rows(*, project: Project) -> list[DemoScenario]:
    """The project's scenarios with their process and requirements (keys) prefetched: 2 queries."""
    return list(
        DemoScenario.objects.filter(project=project)
        .select_related("process")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.order_by("number")))
    )


def session_queryset(*, project: Project) -> QuerySet[DemoSession]:
    """The project's demo sessions with offer, vendor, scenarios and the mean of every rating given in them."""
    return (
        DemoSession.objects.filter(offer__project=project)
        .select_related("offer__vendor")
        .prefetch_related(Prefetch("scenarios", queryset=DemoScenario.objects.order_by("order", "pk")))
        .annotate(mean_rating=Avg("ratings__value"), rating_count=Count("ratings"))
    )


@dataclass
class OfferDemos:
    offer: Offer
    sessions: list[DemoSession] = field(default_factory=list)

    @property
    def label(self) -> str:
        return offer_label(self.offer)


def demos_by_offer(*, project: Project, offers: list[Offer] | None = None) -> list[OfferDemos]:
    """Every offer (vendor, product order) with its demo sessions by date; offers without one included.

    Pass `offers` (with their vendors) when they are read already; the sessions take 2 queries more.
    """
    if offers is None:
        offers = list(Offer.objects.filter(project=project).select_related("vendor"))
    groups = {offer.pk: OfferDemos(offer) for offer in offers}
    for session in session_queryset(project=project).order_by("held_on", "pk"):
        if session.offer_id in groups:
            groups[session.offer_id].sessions.append(session)
    return list(groups.values())


@dataclass
class ScenarioRatings:
    scenario: DemoScenario
    ratings: list[DemoRating]
    mine: DemoRating | None

    @property
    def mean(self) -> float | None:
        return fmean(r.value for r in self.ratings) if self.ratings else None


def session_ratings(*, session: DemoSession, viewer: AbstractBaseUser) -> list[ScenarioRatings]:
    """Each scenario of the session with every attendee's rating and the viewer's own: 2 queries."""
    by_scenario: dict[int, list[DemoRating]] = defaultdict(list)
    for rating in session.ratings.select_related("attendee").order_by("attendee__username", "pk"):
        by_scenario[rating.scenario_id].append(rating)
    rows = []
    for scenario in session.scenarios.order_by("order", "pk"):
        ratings = by_scenario.get(scenario.pk, [])
        mine = next((r for r in ratings if r.attendee_id == viewer.pk), None)
        rows.append(ScenarioRatings(scenario, ratings, mine))
    return rows
