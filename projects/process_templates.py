"""Process templates for 进销存: the usual as-is flows, copied into a project and edited there.

Texts are translatable; a copy is made in the language of whoever copies it. Links name steps by
their 1-based position and draw branches and loops. A step with links goes only where its links
point; a step without links continues with the next, unless it ends the flow.

The systems are the ones a legacy setup typically uses: the old inventory program, Excel, paper,
e-mail, the phone and the till (POS).
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


S = TemplateStep

# Systems of a typical legacy setup, shared by the templates.
LEGACY = _("legacy system")
EXCEL = _("Excel")
PAPER = _("paper")
EMAIL = _("e-mail")
PHONE = _("phone")
POS = _("POS")
BANKING = _("online banking")

# Lanes that several templates share.
BUYER = _("Buyer")
WAREHOUSE = _("Warehouse")
FINANCE = _("Finance")
STOCK_CLERK = _("Stock clerk")

TEMPLATES: list[ProcessTemplate] = [
    ProcessTemplate(
        "procurement",
        _("Procurement: request to payment"),
        "procurement",
        _(
            "A department asks for goods in a spreadsheet and its head approves by e-mail. A rejected "
            "request goes back to the requester. The buyer asks suppliers for prices and places the order "
            "in the legacy system. The warehouse receives the goods against the order. Finance matches "
            "invoice, order and receipt; a mismatch goes back to the buyer. Finance then approves and "
            "pays the supplier."
        ),
        [
            S(_("Requester"), _("Raise a purchase request"), EXCEL, True, 15),
            S(_("Department head"), _("Approve the request"), EMAIL, True, 60),
            S(BUYER, _("Ask suppliers for prices"), PHONE, True, 45),
            S(BUYER, _("Place the purchase order with the supplier"), LEGACY, True, 30),
            S(WAREHOUSE, _("Receive the goods against the order"), PAPER, True, 45),
            S(FINANCE, _("Match invoice, order and receipt"), LEGACY, True, 20),
            S(BUYER, _("Settle the difference with the supplier"), PHONE, True, 30),
            S(FINANCE, _("Approve payment"), LEGACY, True, 10),
            S(FINANCE, _("Pay the supplier"), BANKING, True, 10),
        ],
        [
            (2, 3, _("approved")),
            (2, 1, _("rejected")),
            (6, 8, _("matched")),
            (6, 7, _("mismatch")),
            (7, 6, _("corrected")),
        ],
    ),
    ProcessTemplate(
        "receiving",
        _("Receiving and put-away"),
        "warehouse",
        _(
            "A supplier's truck arrives at the warehouse. The receiving clerk checks the delivery against a "
            "printed purchase order. A sample goes to quality control. Failed goods go back to the supplier, "
            "and the replacement is received again. Good goods are labelled and put away. The stock clerk "
            "then types the receipt into the legacy system, often a day later."
        ),
        [
            S(_("Receiving clerk"), _("Unload the delivery and sign the delivery note"), PAPER, True, 20),
            S(_("Receiving clerk"), _("Check items and quantities against the purchase order"), PAPER, True, 30),
            S(_("Quality inspector"), _("Inspect a sample of the goods"), PAPER, True, 30),
            S(BUYER, _("Agree the return with the supplier"), PHONE, True, 20),
            S(_("Receiving clerk"), _("Send the failed goods back to the supplier"), PAPER, True, 15),
            S(_("Receiving clerk"), _("Print and stick labels"), EXCEL, True, 20),
            S(_("Warehouse keeper"), _("Put the goods away on the shelves"), PAPER, True, 40),
            S(STOCK_CLERK, _("Post the receipt to update stock"), LEGACY, True, 15),
        ],
        [
            (3, 6, _("passed")),
            (3, 4, _("failed")),
            (5, 1, _("replacement delivered")),
        ],
    ),
    ProcessTemplate(
        "sales_order",
        _("Sales order to shipment"),
        "sales",
        _(
            "Orders come from the stores, the online shop and by phone. Sales administration checks the "
            "customer's credit and the stock. Without stock the order waits on back-order until the goods "
            "arrive. A confirmed order is picked, packed and shipped by the warehouse from a paper list. "
            "Finance invoices the customer."
        ),
        [
            S(_("Sales clerk"), _("Take the order from a store, the online shop or by phone"), PHONE, True, 10),
            S(_("Sales clerk"), _("Key the order into the legacy system"), LEGACY, True, 10),
            S(_("Sales administration"), _("Check the customer's credit and the stock"), LEGACY, True, 15),
            S(_("Sales administration"), _("Put the order on back-order and tell the customer"), PHONE, True, 10),
            S(_("Sales administration"), _("Confirm the order to the customer"), EMAIL, True, 5),
            S(WAREHOUSE, _("Print the picking list and pick the goods"), PAPER, True, 20),
            S(WAREHOUSE, _("Pack the goods and print the delivery note"), PAPER, True, 15),
            S(WAREHOUSE, _("Hand the parcel to the carrier"), PAPER, True, 10),
            S(FINANCE, _("Issue the invoice"), LEGACY, True, 10),
            S(FINANCE, _("Send the invoice to the customer"), EMAIL, True, 5),
        ],
        [
            (3, 5, _("in stock")),
            (3, 4, _("no stock")),
            (4, 3, _("goods arrived")),
        ],
    ),
    ProcessTemplate(
        "stock_take",
        _("Stock-take"),
        "warehouse",
        _(
            "The warehouse manager freezes stock movements and the stock clerk prints count sheets. Teams "
            "count every location on paper. The counts are typed in and compared with the book stock. "
            "Differences above the tolerance are counted again. The stock clerk posts the adjustments, and "
            "finance approves their value before movements resume."
        ),
        [
            S(_("Warehouse manager"), _("Announce the count and freeze stock movements"), EMAIL, True, 30),
            S(STOCK_CLERK, _("Print count sheets"), LEGACY, True, 20),
            S(_("Counting team"), _("Count each location and write the figures on the sheets"), PAPER, True, 240),
            S(STOCK_CLERK, _("Type the counts into the system"), LEGACY, True, 120),
            S(STOCK_CLERK, _("Compare counts with the book stock"), EXCEL, True, 30),
            S(_("Counting team"), _("Recount the locations with differences"), PAPER, True, 60),
            S(STOCK_CLERK, _("Post the stock adjustments"), LEGACY, True, 30),
            S(FINANCE, _("Approve the value of the adjustments"), EXCEL, True, 30),
            S(_("Warehouse manager"), _("Release stock movements"), EMAIL, True, 5),
        ],
        [
            (5, 7, _("within tolerance")),
            (5, 6, _("above tolerance")),
            (6, 4, _("recounted")),
        ],
    ),
    ProcessTemplate(
        "customer_returns",
        _("Customer returns"),
        "sales",
        _(
            "A customer brings goods back to a store. Staff check the receipt and the condition of the goods, "
            "and the store manager decides on a refund, an exchange or a refusal. A refusal ends the case. "
            "Returned goods go to the warehouse, which puts them back into stock or scraps them. Finance "
            "issues the credit note."
        ),
        [
            S(_("Store staff"), _("Take the customer's return request"), PAPER, True, 5),
            S(_("Store staff"), _("Check the receipt and the condition of the goods"), POS, True, 10),
            S(_("Store manager"), _("Decide: refund, exchange or reject"), PAPER, True, 10),
            S(_("Store staff"), _("Explain the refusal and hand the goods back"), "", True, 5, True),
            S(_("Store staff"), _("Refund or exchange at the till"), POS, True, 10),
            S(WAREHOUSE, _("Inspect the returned goods"), PAPER, True, 15),
            S(WAREHOUSE, _("Put the goods back into stock"), LEGACY, True, 10),
            S(WAREHOUSE, _("Scrap the goods and record the write-off"), EXCEL, True, 15),
            S(FINANCE, _("Issue the credit note"), LEGACY, True, 15),
        ],
        [
            (3, 5, _("refund or exchange")),
            (3, 4, _("rejected")),
            (6, 7, _("can be resold")),
            (6, 8, _("damaged")),
            (7, 9, ""),
        ],
    ),
    ProcessTemplate(
        "supplier_returns",
        _("Returns to suppliers"),
        "procurement",
        _(
            "The warehouse lists defective or excess goods in a spreadsheet. The buyer asks the supplier for "
            "a return authorisation. Refused goods are scrapped or sold off. Authorised goods are picked and "
            "shipped back. The supplier sends a credit note, and finance matches it with the return; a "
            "difference goes back to the buyer."
        ),
        [
            S(WAREHOUSE, _("List defective or excess goods"), EXCEL, True, 30),
            S(BUYER, _("Ask the supplier for a return authorisation"), EMAIL, True, 20),
            S(_("Supplier"), _("Authorise or refuse the return"), EMAIL, True, None),
            S(WAREHOUSE, _("Scrap the goods or sell them off"), EXCEL, True, 30, True),
            S(WAREHOUSE, _("Pick and pack the goods with the authorisation number"), PAPER, True, 30),
            S(WAREHOUSE, _("Ship the goods back and book them out of stock"), LEGACY, True, 20),
            S(_("Supplier"), _("Send a credit note"), EMAIL, True, None),
            S(FINANCE, _("Match the credit note with the return"), EXCEL, True, 20),
            S(BUYER, _("Chase the supplier about the difference"), PHONE, True, 15),
            S(FINANCE, _("Set the credit against the next payment"), LEGACY, True, 10),
        ],
        [
            (3, 5, _("authorised")),
            (3, 4, _("refused")),
            (8, 10, _("matched")),
            (8, 9, _("difference")),
            (9, 7, _("corrected credit note")),
        ],
    ),
]
BY_KEY = {template.key: template for template in TEMPLATES}
