"""The KPI library: well-defined indicators for 进销存 upgrades, added to a goal in one click.

Names, units and formulas are translatable; a KPI added from the library is stored in the language
of the person who added it, and remembers its library key.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import KPI

D, F = KPI.Direction, KPI.Frequency


@dataclass(frozen=True)
class LibraryKPI:
    key: str
    name: Promise
    unit: Promise
    formula: Promise
    direction: str
    frequency: str
    source: Promise  # where the definition comes from


LIBRARY: list[LibraryKPI] = [
    LibraryKPI(
        "inventory_turnover",
        _("Inventory turnover"),
        _("turns per year"),
        _("Cost of goods sold over the last 12 months ÷ average inventory value over the same months."),
        D.HIGHER,
        F.MONTHLY,
        _("APQC Open Standards Benchmarking: inventory turns."),
    ),
    LibraryKPI(
        "days_on_hand",
        _("Days of inventory on hand"),
        _("days"),
        _("Average inventory value ÷ cost of goods sold per day (365 ÷ inventory turnover)."),
        D.LOWER,
        F.MONTHLY,
        _("SCOR: inventory days of supply."),
    ),
    LibraryKPI(
        "inventory_record_accuracy",
        _("Inventory record accuracy"),
        "%",
        _(
            "Counted items whose system quantity lies within tolerance of the physical count ÷ items counted × 100. "
            "Tolerance by ABC class, e.g. A ±1 %, B ±3 %, C ±5 %. Each item is judged on its own: over- and "
            "under-counts never offset each other."
        ),
        D.HIGHER,
        F.MONTHLY,
        _("APQC; cycle-counting practice (ABC tolerances)."),
    ),
    LibraryKPI(
        "order_cycle_time",
        _("Order fulfilment cycle time"),
        _("days"),
        _("Average time from receiving a customer order to delivering it, in days."),
        D.LOWER,
        F.MONTHLY,
        _("SCOR: order fulfilment cycle time."),
    ),
    LibraryKPI(
        "order_processing_time",
        _("Order processing time"),
        _("hours"),
        _("Average time from receiving an order to releasing it to the warehouse for picking, in hours."),
        D.LOWER,
        F.MONTHLY,
        _("APQC: cycle time to process customer orders."),
    ),
    LibraryKPI(
        "stockout_rate",
        _("Stock-out / backorder rate"),
        "%",
        _("Orders that could not be filled from stock when promised (back-ordered or cancelled) ÷ all orders × 100."),
        D.LOWER,
        F.MONTHLY,
        _("Common retail and distribution measure; APQC: percentage of orders back-ordered."),
    ),
    LibraryKPI(
        "perfect_order_rate",
        _("Perfect order rate"),
        "%",
        _("Orders delivered complete, on time, undamaged and with correct documents and invoice ÷ all orders × 100."),
        D.HIGHER,
        F.MONTHLY,
        _("SCOR: perfect order fulfilment."),
    ),
    LibraryKPI(
        "line_fill_rate",
        _("Line fill rate"),
        "%",
        _("Order lines shipped complete with the first shipment ÷ order lines ordered × 100."),
        D.HIGHER,
        F.MONTHLY,
        _("APQC: order line fill rate."),
    ),
    LibraryKPI(
        "month_end_close_days",
        _("Month-end close"),
        _("working days"),
        _("Working days from the last day of the month until the books for the month are closed."),
        D.LOWER,
        F.MONTHLY,
        _("APQC: cycle time to perform the period-end close."),
    ),
    LibraryKPI(
        "stocktake_hours",
        _("Stock-take effort"),
        _("hours per 1,000 SKUs"),
        _("Staff hours spent on a full stock-take ÷ SKUs counted × 1,000."),
        D.LOWER,
        F.QUARTERLY,
        _("Internal measure; compare counts of the same scope before and after the upgrade."),
    ),
    LibraryKPI(
        "oversell_rate",
        _("Oversold online orders"),
        "%",
        _("Online orders accepted for goods that were no longer in stock ÷ all online orders × 100."),
        D.LOWER,
        F.MONTHLY,
        _("Internal measure of channel stock synchronisation."),
    ),
    LibraryKPI(
        "report_latency",
        _("Time to management report"),
        _("hours"),
        _("Hours from the end of a trading day until management can see its sales, stock and margin report."),
        D.LOWER,
        F.WEEKLY,
        _("Internal measure of decision speed."),
    ),
]
BY_KEY = {entry.key: entry for entry in LIBRARY}
