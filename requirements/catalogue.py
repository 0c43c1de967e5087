"""A catalogue of standard 进销存 requirements over the four layers, pulled into a project on demand.

Texts are translatable; a pulled requirement is stored in the language of whoever pulls it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from requirements.models import Requirement

L, C, P = Requirement.Layer, Requirement.Category, Requirement.Priority


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    layer: str
    category: str
    priority: str
    title: Promise
    statement: Promise
    acceptance_criteria: Promise


CATALOGUE: list[CatalogueEntry] = [
    CatalogueEntry(
        "pur-po-create",
        L.CORE,
        C.PURCHASING,
        P.MUST,
        _("Create purchase orders"),
        _("Buyers create purchase orders for a supplier with items, quantities, prices and expected delivery dates."),
        _(
            "- A purchase order can be created, saved, printed and e-mailed to the supplier.\n"
            "- Its total matches the sum of its lines including tax."
        ),
    ),
]
BY_KEY = {entry.key: entry for entry in CATALOGUE}
