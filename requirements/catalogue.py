"""A catalogue of standard 进销存 requirements over the four layers, pulled into a project on demand.

The layers follow the upgrade guide: core functions every purchase–sales–inventory system must have,
extended functions (multi-warehouse, batches, serial numbers, BOMs, analysis), integration with the
systems around it, and non-functional needs (speed, users, security, mobile, service).

Texts are translatable; a pulled requirement is stored in the language of whoever pulls it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import Project
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

    def matches(self, text: str) -> bool:
        """Whether `text` occurs (case-insensitively) in the key or, in the active language, in any text."""
        needle = text.casefold()
        return any(
            needle in str(value).casefold()
            for value in (self.key, self.title, self.statement, self.acceptance_criteria)
        )


LAYER_SUMMARIES: dict[str, Promise] = {
    L.CORE: _("What every purchase–sales–inventory system must do: orders, receipts, shipments, returns and stock."),
    L.EXTENDED: _(
        "Functions that grow with the business: several warehouses, batches, serial numbers, BOMs, analysis."
    ),
    L.INTEGRATION: _("Data exchange with online shops, payment, logistics, finance software, CRM and e-invoicing."),
    L.NONFUNCTIONAL: _(
        "How well it must work: speed, users, security, backups, mobile access and the vendor's service."
    ),
}

CATALOGUE: list[CatalogueEntry] = [
    # Core functional — purchasing
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
    CatalogueEntry(
        "pur-po-approve",
        L.CORE,
        C.PURCHASING,
        P.SHOULD,
        _("Approve purchase orders above a limit"),
        _("Purchase orders above an amount set per buyer wait for a manager's approval before they go out."),
        _(
            "- An order above the buyer's limit cannot be sent until it is approved.\n"
            "- The approver, time and any comment are stored on the order.\n"
            "- Changing the amount of an approved order asks for approval again."
        ),
    ),
    CatalogueEntry(
        "pur-receipt",
        L.CORE,
        C.PURCHASING,
        P.MUST,
        _("Receive goods against a purchase order"),
        _(
            "The warehouse books deliveries against the open purchase order, including partial deliveries, "
            "and stock goes up when the receipt is posted."
        ),
        _(
            "- A receipt can be posted for part of an order; the rest stays open.\n"
            "- Stock rises by the received quantity as soon as the receipt is posted.\n"
            "- Over-deliveries beyond a set tolerance are blocked or need approval."
        ),
    ),
    CatalogueEntry(
        "pur-return",
        L.CORE,
        C.PURCHASING,
        P.MUST,
        _("Return goods to a supplier"),
        _("Faulty or surplus goods are returned to the supplier with a return note that reduces stock."),
        _(
            "- A supplier return refers to the original receipt and cannot exceed the quantity received.\n"
            "- Stock falls when the return is posted.\n"
            "- The return is passed to finance as a debit note."
        ),
    ),
    CatalogueEntry(
        "pur-supplier",
        L.CORE,
        C.PURCHASING,
        P.MUST,
        _("Keep supplier master data"),
        _("Suppliers are kept once with contacts, payment terms, tax number, bank account and the items they supply."),
        _(
            "- A supplier cannot be saved twice with the same tax number.\n"
            "- Blocked suppliers cannot receive new purchase orders.\n"
            "- Changes to bank details are recorded with who made them."
        ),
    ),
    CatalogueEntry(
        "pur-price",
        L.CORE,
        C.PURCHASING,
        P.SHOULD,
        _("Supplier price lists"),
        _("Purchase prices per supplier and item, with validity dates, fill in purchase orders automatically."),
        _(
            "- A new order line takes the price valid on the order date.\n"
            "- A price can be entered in advance with a start date.\n"
            "- Lines priced differently from the list are highlighted."
        ),
    ),
    # Core functional — sales
    CatalogueEntry(
        "sal-so-create",
        L.CORE,
        C.SALES,
        P.MUST,
        _("Create sales orders"),
        _("Sales staff enter orders for a customer with items, quantities, prices, discounts and a delivery date."),
        _(
            "- An order shows the available stock of each item while it is being entered.\n"
            "- An order can be confirmed, printed and sent to the customer.\n"
            "- Its total matches the sum of its lines including tax."
        ),
    ),
    CatalogueEntry(
        "sal-quote",
        L.CORE,
        C.SALES,
        P.COULD,
        _("Quotations that become orders"),
        _("A quotation with a validity date can be turned into a sales order without typing it again."),
        _(
            "- Converting a quotation copies all its lines into a new order.\n"
            "- Expired quotations cannot be converted without a new validity date.\n"
            "- The order links back to its quotation."
        ),
    ),
    CatalogueEntry(
        "sal-delivery",
        L.CORE,
        C.SALES,
        P.MUST,
        _("Deliver sales orders"),
        _("Goods leave the warehouse on a delivery note against the sales order, in full or in part."),
        _(
            "- A delivery note can cover part of an order; the rest stays open.\n"
            "- Stock falls by the delivered quantity when the delivery is posted.\n"
            "- Delivered but not invoiced orders appear on a list for finance."
        ),
    ),
    CatalogueEntry(
        "sal-return",
        L.CORE,
        C.SALES,
        P.MUST,
        _("Customer returns"),
        _(
            "Returned goods are booked against the original sale with a reason, and either go back to stock or "
            "to a quarantine location."
        ),
        _(
            "- A return can only refer to goods that were sold to that customer.\n"
            "- Each return has one of a fixed list of reasons.\n"
            "- Goods put back to stock are available again as soon as the return is posted.\n"
            "- A credit note or refund is created from the return."
        ),
    ),
    CatalogueEntry(
        "sal-pricing",
        L.CORE,
        C.SALES,
        P.MUST,
        _("Sales price lists per channel and customer group"),
        _(
            "Selling prices are kept per item, channel (store, online, wholesale) and customer group, with "
            "validity dates."
        ),
        _(
            "- A new order line takes the price valid for its channel and customer group on the order date.\n"
            "- A price change can be scheduled for a future date.\n"
            "- Selling below cost needs a manager's approval."
        ),
    ),
    CatalogueEntry(
        "sal-promotion",
        L.CORE,
        C.SALES,
        P.SHOULD,
        _("Discounts and promotions"),
        _(
            "Time-limited promotions (percentage off, buy X get Y, bundle prices) apply automatically to "
            "qualifying lines."
        ),
        _(
            "- A promotion applies only between its start and end date.\n"
            "- The discount appears as its own amount on the order and the receipt.\n"
            "- Sales reports show revenue with and without promotions."
        ),
    ),
    CatalogueEntry(
        "sal-customer",
        L.CORE,
        C.SALES,
        P.MUST,
        _("Keep customer master data"),
        _("Customers are kept once with contacts, delivery addresses, tax details, payment terms and credit limit."),
        _(
            "- A customer cannot be saved twice with the same tax number or mobile number.\n"
            "- A customer can have several delivery addresses.\n"
            "- Blocked customers cannot receive new orders."
        ),
    ),
    CatalogueEntry(
        "sal-credit",
        L.CORE,
        C.SALES,
        P.SHOULD,
        _("Credit limit check"),
        _("An order that takes a customer over the credit limit is held until someone with the right approves it."),
        _(
            "- Open orders plus unpaid invoices are compared with the limit when the order is confirmed.\n"
            "- A held order cannot be delivered.\n"
            "- Releases are recorded with who released them and why."
        ),
    ),
    CatalogueEntry(
        "sal-pos",
        L.CORE,
        C.SALES,
        P.SHOULD,
        _("Store till sales"),
        _("Sales at store tills are recorded item by item and reduce the store's stock as they happen."),
        _(
            "- Each till sale reduces the store's stock within one minute.\n"
            "- A till keeps selling during a network outage and sends its sales once it is back online.\n"
            "- The day's till totals match the sales recorded for the store."
        ),
    ),
    # Core functional — inventory
    CatalogueEntry(
        "inv-item",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Item master data"),
        _("Each item has one code, a name, category, units, barcodes, tax rate and purchase and selling units."),
        _(
            "- Item codes are unique and follow one coding rule.\n"
            "- An item can carry several barcodes.\n"
            "- An item with stock or open orders cannot be deleted, only blocked."
        ),
    ),
    CatalogueEntry(
        "inv-uom",
        L.CORE,
        C.INVENTORY,
        P.SHOULD,
        _("Units of measure"),
        _("Items are bought, stored and sold in different units (case, pack, piece) with fixed conversion factors."),
        _(
            "- A purchase in cases raises stock by the right number of pieces.\n"
            "- Every document shows the unit next to each quantity.\n"
            "- A conversion factor cannot change while the item has stock."
        ),
    ),
    CatalogueEntry(
        "inv-movement",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Every stock movement is a posted document"),
        _(
            "Stock only changes through posted documents (receipt, delivery, transfer, adjustment, count), never "
            "by editing a figure."
        ),
        _(
            "- Each movement records item, location, quantity, date, user and source document.\n"
            "- Stock on hand equals the sum of all movements for any item and location.\n"
            "- A posted movement is corrected by a reversing movement, not by editing it."
        ),
    ),
    CatalogueEntry(
        "inv-availability",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Stock on hand, reserved and available"),
        _("For every item and location the system shows stock on hand, stock reserved for orders and stock available."),
        _(
            "- Available stock equals stock on hand minus reserved stock.\n"
            "- The figures include movements posted one minute ago.\n"
            "- The query answers for one item across all locations in under 2 seconds."
        ),
    ),
    CatalogueEntry(
        "inv-transfer",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Transfers between locations"),
        _("Goods moved between warehouses or stores are sent on a transfer note and stay in transit until received."),
        _(
            "- Sending a transfer reduces stock at the source and shows it as in transit.\n"
            "- Receiving it adds the stock at the destination; differences are recorded.\n"
            "- A transfer is entered once, not by both sides."
        ),
    ),
    CatalogueEntry(
        "inv-stocktake",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Stock-taking"),
        _("Full and cycle counts: count sheets per location, counted quantities, differences, approval and posting."),
        _(
            "- A count can be limited to locations, categories or items.\n"
            "- Differences are shown in quantity and value before posting.\n"
            "- Posting an approved count adjusts stock to the counted quantity."
        ),
    ),
    CatalogueEntry(
        "inv-adjust",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Stock adjustments with reasons"),
        _("Damage, loss and write-offs are posted as adjustments with a reason and, above a value, an approval."),
        _(
            "- Each adjustment has one of a fixed list of reasons.\n"
            "- Adjustments above a set value need approval before posting.\n"
            "- A report lists adjustments by reason, location and month."
        ),
    ),
    CatalogueEntry(
        "inv-valuation",
        L.CORE,
        C.INVENTORY,
        P.MUST,
        _("Inventory valuation"),
        _("Stock is valued at moving average cost (or FIFO where chosen), updated by every receipt."),
        _(
            "- The valuation method is set per company and cannot change mid-year.\n"
            "- The stock value report at any date matches the finance ledger.\n"
            "- The cost of each delivery is stored with the delivery."
        ),
    ),
    CatalogueEntry(
        "inv-negative",
        L.CORE,
        C.INVENTORY,
        P.SHOULD,
        _("No negative stock"),
        _("Deliveries and transfers that would take available stock below zero are blocked."),
        _(
            "- Posting a delivery for more than the available stock fails with a clear message.\n"
            "- Exceptions can be allowed per location, and each one is logged."
        ),
    ),
    # Core functional — warehouse
    CatalogueEntry(
        "whs-putaway",
        L.CORE,
        C.WAREHOUSE,
        P.SHOULD,
        _("Put-away after receipt"),
        _("Received goods are moved from the receiving area to their storage location, with a suggested location."),
        _(
            "- Each received line shows a suggested location.\n"
            "- Goods are not available for sale until put away.\n"
            "- Put-away is confirmed by scanning the location."
        ),
    ),
    CatalogueEntry(
        "whs-pick",
        L.CORE,
        C.WAREHOUSE,
        P.MUST,
        _("Picking lists"),
        _("Confirmed orders produce picking lists sorted by location, for one order or a batch of orders."),
        _(
            "- A picking list is sorted in walking order through the locations.\n"
            "- Short picks are recorded and the order shows what is missing.\n"
            "- Several orders can be picked in one round."
        ),
    ),
    CatalogueEntry(
        "whs-pack-ship",
        L.CORE,
        C.WAREHOUSE,
        P.MUST,
        _("Packing and shipping"),
        _("Picked goods are packed, a packing slip and shipping label are printed, and the shipment is posted."),
        _(
            "- A shipment cannot be posted with fewer items packed than picked without a reason.\n"
            "- Packing slip and label print from the same screen.\n"
            "- Posting the shipment reduces stock and marks the order as shipped."
        ),
    ),
    CatalogueEntry(
        "whs-barcode",
        L.CORE,
        C.WAREHOUSE,
        P.SHOULD,
        _("Barcode labels"),
        _("Item, location and pallet labels are printed from the system and scanned in every warehouse step."),
        _(
            "- Labels print on standard thermal label printers.\n"
            "- Scanning a label opens the item or location in the current step.\n"
            "- A wrong scan is rejected with a sound and a message."
        ),
    ),
    # Extended functional
    CatalogueEntry(
        "inv-multi-wh",
        L.EXTENDED,
        C.INVENTORY,
        P.MUST,
        _("Several warehouses and stores"),
        _("Each warehouse and store keeps its own stock, and all of it can be seen and reported together."),
        _(
            "- Stock can be queried per location and for all locations together.\n"
            "- Each user can be limited to the locations they work at.\n"
            "- A new location can be added without the vendor's help."
        ),
    ),
    CatalogueEntry(
        "whs-bins",
        L.EXTENDED,
        C.WAREHOUSE,
        P.SHOULD,
        _("Bin locations"),
        _("Stock in a warehouse is kept per bin (zone, aisle, shelf, level), so staff know where to find each item."),
        _(
            "- Every receipt, transfer and pick refers to a bin.\n"
            "- Stock per bin can be queried and counted.\n"
            "- Bins can be blocked for counting or repairs."
        ),
    ),
    CatalogueEntry(
        "inv-batch",
        L.EXTENDED,
        C.INVENTORY,
        P.SHOULD,
        _("Batch tracking"),
        _(
            "Items that need it are received, stored and sold by batch, so every batch can be traced to "
            "suppliers and customers."
        ),
        _(
            "- A batch number is required when receiving a batch-tracked item.\n"
            "- A batch can be traced from the supplier receipt to every customer who got it in under one minute.\n"
            "- Stock per batch and location can be queried."
        ),
    ),
    CatalogueEntry(
        "inv-expiry",
        L.EXTENDED,
        C.INVENTORY,
        P.SHOULD,
        _("Expiry dates and first-expired-first-out"),
        _("Batches carry an expiry date; picking suggests the earliest expiry first and expired stock cannot be sold."),
        _(
            "- Picking suggests the batch with the earliest expiry date.\n"
            "- An expired batch is blocked from sale and delivery.\n"
            "- A report lists batches expiring in the next 30 days."
        ),
    ),
    CatalogueEntry(
        "inv-serial",
        L.EXTENDED,
        C.INVENTORY,
        P.COULD,
        _("Serial numbers"),
        _(
            "Serial-numbered items are recorded one by one at receipt, sale and return, for warranty and "
            "after-sales service."
        ),
        _(
            "- Each serial number can be in stock only once.\n"
            "- Searching a serial number shows its supplier, receipt, sale and customer.\n"
            "- A return accepts only serial numbers that were sold."
        ),
    ),
    CatalogueEntry(
        "inv-bom",
        L.EXTENDED,
        C.INVENTORY,
        P.COULD,
        _("Multi-level bills of materials"),
        _(
            "Products assembled from components (kits, sets, simple production) have a bill of materials over "
            "several levels."
        ),
        _(
            "- A bill of materials can contain other bills of materials, at least three levels deep.\n"
            "- Posting an assembly consumes the components and adds the finished product.\n"
            "- Component needs for planned assemblies can be listed."
        ),
    ),
    CatalogueEntry(
        "pur-reorder",
        L.EXTENDED,
        C.PURCHASING,
        P.SHOULD,
        _("Reorder suggestions"),
        _("Items below their reorder point get a suggested purchase quantity that a buyer turns into orders."),
        _(
            "- Each item can have a minimum, maximum and reorder point per location.\n"
            "- The suggestion list considers stock, open purchase orders and reservations.\n"
            "- Accepting suggestions creates one purchase order per supplier."
        ),
    ),
    CatalogueEntry(
        "pur-supplier-rating",
        L.EXTENDED,
        C.REPORTING,
        P.COULD,
        _("Supplier performance report"),
        _("Suppliers are compared on on-time delivery, complete delivery, price changes and returns."),
        _(
            "- On-time delivery is the share of receipts on or before the promised date, per supplier and month.\n"
            "- The report can be filtered by period, category and supplier."
        ),
    ),
    CatalogueEntry(
        "rep-sales-analysis",
        L.EXTENDED,
        C.REPORTING,
        P.MUST,
        _("Sales analysis"),
        _(
            "Sales, margin and quantities by item, category, store, channel, customer and period, with "
            "comparison to last year."
        ),
        _(
            "- Any combination of these dimensions can be shown and filtered.\n"
            "- Figures match the posted sales exactly.\n"
            "- Last year's period is shown next to the current one."
        ),
    ),
    CatalogueEntry(
        "rep-turnover",
        L.EXTENDED,
        C.REPORTING,
        P.SHOULD,
        _("Inventory turnover and days on hand"),
        _("Turnover and days of stock on hand per item, category and location, to find slow movers and overstock."),
        _(
            "- Turnover is cost of goods sold over 12 months divided by average stock value.\n"
            "- Items without sales for 90 days are listed with their stock value.\n"
            "- The report runs for any month end."
        ),
    ),
    CatalogueEntry(
        "rep-ageing",
        L.EXTENDED,
        C.REPORTING,
        P.SHOULD,
        _("Stock ageing"),
        _("Stock value split by how long it has been in stock, to plan clearance and write-downs."),
        _(
            "- Age bands are 0–30, 31–90, 91–180 and more than 180 days, and can be changed.\n"
            "- The total of the bands equals the stock value report."
        ),
    ),
    CatalogueEntry(
        "rep-dashboard",
        L.EXTENDED,
        C.REPORTING,
        P.SHOULD,
        _("Management dashboard"),
        _("One page with yesterday's and this month's sales, margin, stock value and stock-outs, refreshed every day."),
        _(
            "- The dashboard is up to date by 8:00 each morning.\n"
            "- Each figure links to the report behind it.\n"
            "- It can be limited to one store or channel."
        ),
    ),
    CatalogueEntry(
        "rep-export",
        L.EXTENDED,
        C.REPORTING,
        P.MUST,
        _("Export reports"),
        _("Every list and report can be exported to Excel and CSV with the filters applied on screen."),
        _(
            "- The export contains exactly the rows and columns shown.\n"
            "- Numbers and dates stay numbers and dates in Excel.\n"
            "- Exports of 100,000 rows finish within one minute."
        ),
    ),
    CatalogueEntry(
        "rep-forecast",
        L.EXTENDED,
        C.REPORTING,
        P.COULD,
        _("Demand forecast"),
        _("A sales forecast per item and location from sales history and seasonality, used for reorder suggestions."),
        _(
            "- The forecast uses at least 24 months of history where it exists.\n"
            "- Forecast and actual sales are compared every month.\n"
            "- A buyer can override the forecast for an item."
        ),
    ),
    CatalogueEntry(
        "mob-stocktake",
        L.EXTENDED,
        C.MOBILE,
        P.SHOULD,
        _("Mobile stock-taking"),
        _("Staff count stock with a phone or handheld scanner, and the counts reach the system without paper."),
        _(
            "- Scanning an item and typing the quantity records the count for the current location.\n"
            "- Counts appear in the system within one minute of being entered.\n"
            "- Counting works offline and sends the counts when the connection returns."
        ),
    ),
    CatalogueEntry(
        "mob-receiving",
        L.EXTENDED,
        C.MOBILE,
        P.COULD,
        _("Receiving and picking on a handheld"),
        _("Receipts, put-away, picking and transfers can be done on a handheld device by scanning."),
        _(
            "- Each of these steps can be completed without a desktop computer.\n"
            "- Scanning the wrong item or location stops the step with a message."
        ),
    ),
    CatalogueEntry(
        "mob-approve",
        L.EXTENDED,
        C.MOBILE,
        P.COULD,
        _("Approvals and reports on the phone"),
        _("Managers approve purchase orders, price changes and adjustments, and read key reports, on their phone."),
        _(
            "- An approval request reaches the approver's phone within one minute.\n"
            "- The dashboard is readable on a 6-inch screen without zooming."
        ),
    ),
    # Integration
    CatalogueEntry(
        "ecm-stock-sync",
        L.INTEGRATION,
        C.ECOMMERCE,
        P.MUST,
        _("Publish stock to online shops"),
        _("Available stock is sent to every connected online shop and marketplace automatically."),
        _(
            "- A change in available stock reaches each shop within one minute.\n"
            "- A safety stock per item and shop can be held back.\n"
            "- Failed updates are retried and listed for the operator."
        ),
    ),
    CatalogueEntry(
        "ecm-order-import",
        L.INTEGRATION,
        C.ECOMMERCE,
        P.MUST,
        _("Import online orders"),
        _("Orders from online shops and marketplaces arrive as sales orders without typing, and reserve stock."),
        _(
            "- A paid online order appears as a sales order within one minute.\n"
            "- No order is imported twice.\n"
            "- Orders that cannot be imported are listed with the reason."
        ),
    ),
    CatalogueEntry(
        "ecm-status",
        L.INTEGRATION,
        C.ECOMMERCE,
        P.SHOULD,
        _("Send order status and tracking back to the shop"),
        _("When an online order ships, its status and tracking number are sent back to the shop automatically."),
        _(
            "- The shop shows the order as shipped within five minutes of posting the shipment.\n"
            "- The tracking number in the shop matches the shipment."
        ),
    ),
    CatalogueEntry(
        "ecm-returns",
        L.INTEGRATION,
        C.ECOMMERCE,
        P.SHOULD,
        _("Online returns and refunds"),
        _("Return requests and refunds from online shops are imported and matched to the original order."),
        _(
            "- A return approved in the shop creates an expected return in the system.\n"
            "- Refunded amounts match the credit notes.\n"
            "- Returned goods go back to stock only after inspection."
        ),
    ),
    CatalogueEntry(
        "ecm-products",
        L.INTEGRATION,
        C.ECOMMERCE,
        P.COULD,
        _("Publish products and prices to online shops"),
        _("Item names, pictures, descriptions and online prices are maintained once and published to the shops."),
        _("- A price change reaches the shops at the scheduled time.\n- Items can be published to some shops only."),
    ),
    CatalogueEntry(
        "fin-sales-post",
        L.INTEGRATION,
        C.FINANCE,
        P.MUST,
        _("Post sales to the finance software"),
        _(
            "Invoices, credit notes and cost of goods sold are posted to the general ledger and receivables "
            "automatically."
        ),
        _(
            "- Every posted invoice reaches the ledger by the next morning without re-keying.\n"
            "- Sales in the ledger match the sales report to the cent for every day.\n"
            "- Postings that fail are listed with the reason."
        ),
    ),
    CatalogueEntry(
        "fin-purchase-post",
        L.INTEGRATION,
        C.FINANCE,
        P.MUST,
        _("Post purchases to the finance software"),
        _("Receipts and supplier invoices are matched and posted to payables and the ledger."),
        _(
            "- Invoices that differ from order and receipt by more than a set tolerance are held.\n"
            "- Matched invoices are posted to payables without re-keying.\n"
            "- Goods received but not invoiced are listed at each month end."
        ),
    ),
    CatalogueEntry(
        "fin-stock-value",
        L.INTEGRATION,
        C.FINANCE,
        P.SHOULD,
        _("Stock value in the ledger"),
        _("Stock movements with a value (receipts, deliveries, adjustments) post to the inventory accounts."),
        _(
            "- The inventory account balance equals the stock value report at each month end.\n"
            "- Each posting can be traced back to its stock document."
        ),
    ),
    CatalogueEntry(
        "fin-payment",
        L.INTEGRATION,
        C.FINANCE,
        P.SHOULD,
        _("Payment providers and bank reconciliation"),
        _("Payments by card, WeChat Pay and Alipay are imported from the providers and matched to sales."),
        _(
            "- Settlement files are imported every day without manual steps.\n"
            "- At least 95 in 100 payments are matched to their sale automatically.\n"
            "- Unmatched payments are listed with the amount and date."
        ),
    ),
    CatalogueEntry(
        "fin-einvoice",
        L.INTEGRATION,
        C.FINANCE,
        P.MUST,
        _("E-invoicing"),
        _(
            "Fully digital e-invoices are issued from sales and received for purchases through the tax "
            "authority's platform."
        ),
        _(
            "- An e-invoice can be issued from a sale in one step, with the buyer's tax details filled in.\n"
            "- Red-letter (credit) invoices can be issued for returns.\n"
            "- Received supplier e-invoices are matched to purchase receipts."
        ),
    ),
    CatalogueEntry(
        "whs-logistics",
        L.INTEGRATION,
        C.WAREHOUSE,
        P.SHOULD,
        _("Logistics tracking"),
        _("Shipments are booked with couriers from the system, and the tracking status is shown on the order."),
        _(
            "- A waybill is created and its label printed when the shipment is posted.\n"
            "- Tracking status is updated at least every two hours.\n"
            "- Delivered and failed deliveries are shown on the order."
        ),
    ),
    CatalogueEntry(
        "sal-crm",
        L.INTEGRATION,
        C.SALES,
        P.COULD,
        _("Customer relationship management (CRM)"),
        _(
            "Customers, contacts and sales history are shared with the CRM, so sales staff see orders and open "
            "invoices there."
        ),
        _(
            "- A customer created in either system appears in the other within 15 minutes.\n"
            "- The CRM shows each customer's last 12 months of orders.\n"
            "- No customer is duplicated by the exchange."
        ),
    ),
    CatalogueEntry(
        "mob-scanner",
        L.INTEGRATION,
        C.MOBILE,
        P.SHOULD,
        _("Handheld scanners and label printers"),
        _(
            "Common Android handheld scanners and thermal label printers work with the system without custom "
            "development."
        ),
        _(
            "- The vendor names the supported devices.\n"
            "- A supported scanner reads item and location barcodes in every warehouse step."
        ),
    ),
    CatalogueEntry(
        "svc-open-api",
        L.INTEGRATION,
        C.SERVICE,
        P.SHOULD,
        _("Documented open interface"),
        _("A documented interface (API) lets other systems read and write items, stock, orders and customers."),
        _(
            "- The interface documentation is public or delivered with the offer.\n"
            "- Changes to the interface are announced at least 3 months ahead."
        ),
    ),
    # Non-functional
    CatalogueEntry(
        "prf-response",
        L.NONFUNCTIONAL,
        C.PERFORMANCE,
        P.MUST,
        _("Response times"),
        _("Everyday screens respond quickly enough that staff never wait on the system."),
        _(
            "- Opening a document, searching an item and saving an order take under 2 seconds for 95 in 100 actions.\n"
            "- Posting a document with 100 lines takes under 5 seconds.\n"
            "- Measured with the agreed data volume and number of users."
        ),
    ),
    CatalogueEntry(
        "prf-users",
        L.NONFUNCTIONAL,
        C.PERFORMANCE,
        P.MUST,
        _("Concurrent users"),
        _("The system supports the agreed number of users working at the same time without slowing down."),
        _(
            "- A load test with 100 concurrent users meets the response times.\n"
            "- Adding users is a licence change, not a new installation."
        ),
    ),
    CatalogueEntry(
        "prf-volume",
        L.NONFUNCTIONAL,
        C.PERFORMANCE,
        P.SHOULD,
        _("Data volume"),
        _("The system handles the expected volume of items and documents for at least five years."),
        _(
            "- Tested with 50,000 items and one million document lines per year.\n"
            "- Standard reports over 12 months finish within 10 seconds."
        ),
    ),
    CatalogueEntry(
        "prf-availability",
        L.NONFUNCTIONAL,
        C.PERFORMANCE,
        P.MUST,
        _("Availability"),
        _("The system is available during business hours, with planned maintenance outside them."),
        _(
            "- Availability is at least 99.5 in 100 hours per month, measured by the vendor and reported monthly.\n"
            "- Planned maintenance is announced 5 days ahead and happens outside business hours."
        ),
    ),
    CatalogueEntry(
        "sec-roles",
        L.NONFUNCTIONAL,
        C.SECURITY,
        P.MUST,
        _("Roles and permissions"),
        _(
            "Access is granted by role, per function and per location, so staff see and change only what their "
            "job needs."
        ),
        _(
            "- Roles can be defined without the vendor's help.\n"
            "- A store user cannot see another store's stock values if the role forbids it.\n"
            "- Cost prices and margins can be hidden per role."
        ),
    ),
    CatalogueEntry(
        "sec-audit-trail",
        L.NONFUNCTIONAL,
        C.SECURITY,
        P.MUST,
        _("Audit trail"),
        _("Every change to master data, prices and posted documents is recorded with who, when, old and new value."),
        _(
            "- The audit trail cannot be edited or deleted by any user.\n"
            "- It can be searched by user, record and date.\n"
            "- It is kept for at least 10 years."
        ),
    ),
    CatalogueEntry(
        "sec-backup",
        L.NONFUNCTIONAL,
        C.SECURITY,
        P.MUST,
        _("Backups and recovery"),
        _("Data is backed up automatically and can be restored within an agreed time."),
        _(
            "- Backups run at least every 24 hours and are stored at a second site.\n"
            "- At most 24 hours of data can be lost, and restoring takes at most 4 hours.\n"
            "- A restore is tested at least once a year."
        ),
    ),
    CatalogueEntry(
        "sec-protection",
        L.NONFUNCTIONAL,
        C.SECURITY,
        P.MUST,
        _("Data protection"),
        _("Data is encrypted in transit and at rest, and personal data is handled according to the applicable law."),
        _(
            "- All connections use TLS 1.2 or later.\n"
            "- Databases and backups are encrypted.\n"
            "- The vendor names the data centre locations and its security certifications."
        ),
    ),
    CatalogueEntry(
        "sec-login",
        L.NONFUNCTIONAL,
        C.SECURITY,
        P.SHOULD,
        _("Secure sign-in"),
        _("Sign-in follows a password policy, supports two-factor authentication and locks after repeated failures."),
        _(
            "- Two-factor authentication can be required per role.\n"
            "- An account locks after 5 failed attempts.\n"
            "- Leavers can be disabled in one step."
        ),
    ),
    CatalogueEntry(
        "mob-access",
        L.NONFUNCTIONAL,
        C.MOBILE,
        P.SHOULD,
        _("Mobile access"),
        _("The main functions work on phones and tablets with iOS and Android, through an app or the browser."),
        _(
            "- Stock queries, order entry, approvals and reports work on a phone.\n"
            "- Screens load on a 4G connection within 3 seconds."
        ),
    ),
    CatalogueEntry(
        "svc-sla",
        L.NONFUNCTIONAL,
        C.SERVICE,
        P.MUST,
        _("Support service levels (SLA)"),
        _("The vendor's support answers and fixes problems within agreed times, stated in the contract."),
        _(
            "- Critical problems (no one can sell or ship): response within 1 hour, workaround within 4 hours.\n"
            "- Other problems: response within 1 working day.\n"
            "- Support is available in Chinese by phone and online during business hours."
        ),
    ),
    CatalogueEntry(
        "svc-migration",
        L.NONFUNCTIONAL,
        C.SERVICE,
        P.MUST,
        _("Data migration support"),
        _(
            "The vendor provides import templates and tools, and helps move master data, open documents and "
            "opening stock."
        ),
        _(
            "- Items, customers, suppliers, open orders and stock can be imported from spreadsheets.\n"
            "- A trial migration is run before go-live.\n"
            "- Record counts and stock values are reconciled after each migration run."
        ),
    ),
    CatalogueEntry(
        "svc-training",
        L.NONFUNCTIONAL,
        C.SERVICE,
        P.SHOULD,
        _("Training and manuals"),
        _(
            "The vendor trains each role (buyers, sales staff, warehouse staff, finance) and supplies manuals in "
            "Chinese."
        ),
        _(
            "- Every key user is trained before user acceptance testing starts.\n"
            "- Manuals and quick guides exist for each role.\n"
            "- New staff can follow recorded training sessions."
        ),
    ),
    CatalogueEntry(
        "svc-hypercare",
        L.NONFUNCTIONAL,
        C.SERVICE,
        P.SHOULD,
        _("Support after go-live"),
        _("The vendor gives intensive on-site or online support in the first weeks after go-live."),
        _(
            "- A named consultant is available during business hours for 4 weeks after go-live.\n"
            "- Open issues are reviewed with the project team every day in the first week."
        ),
    ),
    CatalogueEntry(
        "svc-updates",
        L.NONFUNCTIONAL,
        C.SERVICE,
        P.SHOULD,
        _("Updates and vendor support lifetime"),
        _("The vendor keeps the system updated and supported, and announces changes before they are applied."),
        _(
            "- Security fixes are applied within 30 days of release.\n"
            "- Release notes are published at least 2 weeks before an update.\n"
            "- The offer states how long the version will be supported."
        ),
    ),
]
BY_KEY = {entry.key: entry for entry in CATALOGUE}


def catalogue_filter(*, layer: str = "", category: str = "", text: str = "") -> list[CatalogueEntry]:
    """The catalogue entries of a layer and category (blank means all) whose texts contain `text`."""
    text = text.strip()
    return [
        entry
        for entry in CATALOGUE
        if (not layer or entry.layer == layer)
        and (not category or entry.category == category)
        and (not text or entry.matches(text))
    ]


def catalogue_groups(entries: Iterable[CatalogueEntry]) -> list[tuple[str, list[tuple[str, list[CatalogueEntry]]]]]:
    """Entries grouped by layer, then category, both in the order of their choices; empty groups left out."""
    entries = list(entries)
    groups = []
    for layer in L.values:
        in_layer = [e for e in entries if e.layer == layer]
        categories = [(c, [e for e in in_layer if e.category == c]) for c in C.values]
        categories = [(c, items) for c, items in categories if items]
        if categories:
            groups.append((layer, categories))
    return groups


def pulled_keys(*, project: Project) -> dict[str, list[str]]:
    """{catalogue key: [requirement keys]} of the catalogue entries already pulled into the project."""
    pulled: dict[str, list[str]] = {}
    rows = project.requirements.exclude(catalogue_key="").order_by("number").values_list("catalogue_key", "key")
    for catalogue_key, key in rows:
        pulled.setdefault(catalogue_key, []).append(key)
    return pulled
