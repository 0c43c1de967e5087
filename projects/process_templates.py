"""Process templates for 进销存: the usual as-is flows, copied into a project and edited there.

Texts are translatable; a copy is made in the language of whoever copies it. Links name steps by
their 1-based position and draw branches and loops; a step without links continues with the next.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TemplateStep:
    lane: Promise
    action: Promise
    system: Promise | str = ""
    manual: bool = True
    minutes: int | None = None
    ends_flow: bool = False


@dataclass(frozen=True)
class ProcessTemplate:
    key: str
    name: Promise
    department: str
    description: Promise
    steps: list[TemplateStep]
    links: list[tuple[int, int, Promise | str]] = field(default_factory=list)


TEMPLATES: list[ProcessTemplate] = [
    ProcessTemplate(
        "procurement",
        _("Procurement: request to invoice match"),
        "procurement",
        _("From a purchase request through approval and the purchase order to receipt and matching the invoice."),
        [
            TemplateStep(_("Requester"), _("Raise a purchase request"), _("Excel"), True, 15),
            TemplateStep(_("Department head"), _("Approve the request"), _("e-mail"), True, 60),
            TemplateStep(_("Buyer"), _("Place the purchase order with the supplier"), _("legacy system"), True, 30),
            TemplateStep(_("Warehouse"), _("Receive the goods against the order"), _("paper"), True, 45),
            TemplateStep(_("Finance"), _("Match invoice, order and receipt"), _("legacy system"), True, 20),
            TemplateStep(_("Finance"), _("Approve payment"), _("legacy system"), True, 10),
        ],
        [(2, 3, _("approved")), (2, 1, _("sent back"))],
    ),
]
BY_KEY = {template.key: template for template in TEMPLATES}
