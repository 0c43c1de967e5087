"""The demo's as-is processes with their findings, and one to-be process that shows the future.

The retail case from the guide: three stores and an online shop on a single-machine inventory
program. Sales of every channel are exported, e-mailed and added up by hand, stock is out of sync
between the stores and the shop, and finance types the totals in again. The "Daily sales
consolidation" process tells that story across six lanes; two template copies (stock-take and sales
order to shipment) carry the findings on paper counts and overselling; the to-be process derived from
the consolidation drops the spreadsheet steps and lets sales post to finance by themselves.

Demo texts come in English and Chinese pairs (DemoText); the template copies are translated through
the catalogue like every template.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from projects.demo_goals import DemoText
from projects.models import Finding, Membership, Process, Project, Step
from projects.services import processes as process_services

PAIN, REDUNDANCY, RISK = Finding.Kind.PAIN_POINT, Finding.Kind.REDUNDANCY, Finding.Kind.RISK


@dataclass(frozen=True)
class DemoStep:
    lane: DemoText
    action: DemoText
    system: DemoText
    minutes: int | None
    manual: bool = True


@dataclass(frozen=True)
class DemoFinding:
    position: int  # 1-based step order in the process the finding belongs to
    kind: str
    severity: int
    description: DemoText
    evidence: DemoText


# Lanes
CASHIER = DemoText("Store cashier", "门店收银员")
STORE_MANAGER = DemoText("Store manager", "门店店长")
ONLINE = DemoText("Online shop operator", "网店运营")
WAREHOUSE = DemoText("Warehouse", "仓库")
SALES_ADMIN = DemoText("Sales administration", "销售管理")
FINANCE = DemoText("Finance", "财务")

# Systems
POS = DemoText("POS", "POS 收银机")
PAPER = DemoText("paper", "纸质单据")
EXCEL = DemoText("Excel", "Excel")
EMAIL = DemoText("e-mail", "邮件")
PHONE = DemoText("phone", "电话")
LEGACY = DemoText("legacy system", "旧系统")
SHOP = DemoText("online shop back office", "网店后台")
FINANCE_SOFTWARE = DemoText("finance software", "财务软件")
BANKING = DemoText("online banking", "网银")
NEW_PLATFORM = DemoText("new platform", "新平台")

CONSOLIDATION_NAME = DemoText("Daily sales consolidation", "每日销售汇总")
CONSOLIDATION_DESCRIPTION = DemoText(
    "Every evening the sales of the three stores and the online shop are brought together for finance. "
    "Each store exports its till figures to a spreadsheet and e-mails it. The online shop exports its "
    "orders, and the warehouse checks them against stock, because the shop does not see what the stores "
    "sold. Sales administration adds everything up in Excel. Finance types the totals into its own "
    "software and reconciles them with the bank.\n\n"
    "Mapped with the store managers, the online shop, the warehouse and finance in the first weeks of "
    "the project.",
    "每天晚上，三家门店和网店的销售数据要汇总给财务。各门店把收银数据导出到电子表格并通过邮件发送；"
    "网店导出订单，由于网店看不到门店的销售，仓库要逐单核对库存。销售管理在 Excel 中手工汇总，"
    "财务再把汇总数重新录入财务软件，并与银行到账核对。\n\n"
    "项目最初几周与门店店长、网店、仓库和财务一起梳理。",
)

CONSOLIDATION_STEPS = [
    DemoStep(
        CASHIER,
        DemoText("Close the till and print the day's sales report", "收银结班，打印当日销售报表"),
        POS,
        15,
    ),
    DemoStep(CASHIER, DemoText("Count cash and card slips against the report", "按报表清点现金和刷卡单"), PAPER, 20),
    DemoStep(
        STORE_MANAGER, DemoText("Export the store's sales to a spreadsheet", "把门店销售导出到电子表格"), EXCEL, 20
    ),
    DemoStep(
        STORE_MANAGER,
        DemoText("E-mail the spreadsheet to sales administration", "把表格通过邮件发给销售管理"),
        EMAIL,
        5,
    ),
    DemoStep(ONLINE, DemoText("Export the day's online orders", "导出当天的网店订单"), SHOP, 15),
    DemoStep(WAREHOUSE, DemoText("Check the online orders against stock", "逐单核对网店订单与库存"), LEGACY, 45),
    DemoStep(
        ONLINE,
        DemoText("Cancel or delay oversold orders and call the customers", "取消或延迟超卖订单，并电话通知顾客"),
        PHONE,
        30,
    ),
    DemoStep(
        ONLINE,
        DemoText("E-mail the order spreadsheet to sales administration", "把订单表格通过邮件发给销售管理"),
        EMAIL,
        5,
    ),
    DemoStep(SALES_ADMIN, DemoText("Add up store and online sales by hand", "手工汇总门店和网店销售"), EXCEL, 90),
    DemoStep(
        ONLINE,
        DemoText("Type the stores' sales into the online shop's stock", "把门店销量手工录入网店库存"),
        SHOP,
        30,
    ),
    DemoStep(SALES_ADMIN, DemoText("E-mail the daily totals to finance", "把每日汇总通过邮件发给财务"), EMAIL, 5),
    DemoStep(
        FINANCE,
        DemoText("Re-key the daily totals into the finance software", "把每日汇总重新录入财务软件"),
        FINANCE_SOFTWARE,
        30,
    ),
    DemoStep(
        FINANCE,
        DemoText("Reconcile the totals with bank and card receipts", "与银行和刷卡到账核对汇总数"),
        BANKING,
        40,
    ),
    DemoStep(
        FINANCE,
        DemoText("Close the sales day in the finance software", "在财务软件中关闭当日销售"),
        FINANCE_SOFTWARE,
        10,
    ),
]
# Positions in CONSOLIDATION_STEPS that the links, findings and the to-be edits refer to.
CLOSE_TILL, COUNT_CASH, STORE_EXPORT, STORE_EMAIL, ONLINE_EXPORT, STOCK_CHECK = 1, 2, 3, 4, 5, 6
OVERSOLD, ONLINE_EMAIL, ADD_UP, SHOP_STOCK, TOTALS_EMAIL, REKEY, RECONCILE, CLOSE_DAY = 7, 8, 9, 10, 11, 12, 13, 14

CONSOLIDATION_LINKS = [
    (STOCK_CHECK, ONLINE_EMAIL, DemoText("in stock", "有货")),
    (STOCK_CHECK, OVERSOLD, DemoText("oversold", "超卖")),
    (OVERSOLD, STOCK_CHECK, DemoText("checked again", "重新核对")),
    (RECONCILE, CLOSE_DAY, DemoText("matched", "一致")),
    (RECONCILE, ADD_UP, DemoText("mismatch", "不一致")),
]

CONSOLIDATION_FINDINGS = [
    DemoFinding(
        ADD_UP,
        PAIN,
        5,
        DemoText(
            "Store and online sales are consolidated by hand in Excel every day",
            "门店与网店销售每天在 Excel 中手工汇总",
        ),
        DemoText(
            "About 90 minutes every evening. One late spreadsheet holds up the whole consolidation, and "
            "errors only show at the bank reconciliation.",
            "每晚约 90 分钟。任何一份表格迟到都会拖住整个汇总，错误要到银行对账时才发现。",
        ),
    ),
    DemoFinding(
        STOCK_CHECK,
        RISK,
        5,
        DemoText(
            "Stock in the stores and the online shop is out of sync, so the shop sells goods that are gone",
            "门店与网店库存不同步，网店会卖出已经没货的商品",
        ),
        DemoText(
            "From July to October 4.1 % of online orders were cancelled or delayed for lack of stock.",
            "7 月至 10 月，4.1% 的网店订单因缺货被取消或延迟。",
        ),
    ),
    DemoFinding(
        REKEY,
        REDUNDANCY,
        4,
        DemoText(
            "Finance re-keys sales figures that already exist in the tills and the online shop",
            "财务重复录入收银机和网店里已有的销售数据",
        ),
        DemoText(
            "The same figures are handled three times: export, spreadsheet, finance software. The month-end "
            "close takes five working days.",
            "同一组数字要经手三次：导出、表格、财务软件。月结需要 5 个工作日。",
        ),
    ),
    DemoFinding(
        STORE_EMAIL,
        RISK,
        3,
        DemoText(
            "Spreadsheets are e-mailed around without version control",
            "电子表格通过邮件来回发送，没有版本控制",
        ),
        DemoText(
            "When a store resends a corrected file, both versions sit in the mailbox. Nobody can tell which "
            "one was added up.",
            "门店重发修正后的文件时，两个版本都留在邮箱里，没人说得清汇总用的是哪一份。",
        ),
    ),
    DemoFinding(
        OVERSOLD,
        PAIN,
        4,
        DemoText("Customers of oversold orders are called one by one", "超卖订单的顾客要逐个打电话通知"),
        DemoText(
            "About 30 minutes of calls a day, and cancelled orders hurt the shop's ratings.",
            "每天约 30 分钟的电话，取消订单还会拉低网店评分。",
        ),
    ),
    DemoFinding(
        SHOP_STOCK,
        REDUNDANCY,
        3,
        DemoText(
            "Store sales are typed into the online shop's stock by hand",
            "门店销量要手工录入网店库存",
        ),
        DemoText(
            "Online stock is corrected once a day, so it is wrong for most of the day.",
            "网店库存每天只修正一次，一天中的大部分时间都不准确。",
        ),
    ),
    DemoFinding(
        RECONCILE,
        PAIN,
        3,
        DemoText(
            "Differences with bank receipts take hours to trace back to a store or an order",
            "与银行到账的差异要花几个小时才能追溯到门店或订单",
        ),
        DemoText(
            "The spreadsheets carry daily totals only, so every difference means asking the stores again.",
            "表格里只有每日合计，每出现一笔差异都要再去问门店。",
        ),
    ),
]

# Findings on the template copies, by the position of the template step they concern.
TEMPLATE_FINDINGS = {
    "stock_take": [
        DemoFinding(
            4,  # Type the counts into the system
            PAIN,
            4,
            DemoText("Paper count sheets are typed in afterwards", "纸质盘点表要事后再录入系统"),
            DemoText(
                "About 40 staff hours per 1,000 SKUs. Typing errors show up as new differences.",
                "每 1,000 个 SKU 约需 40 个工时，录入错误又会变成新的差异。",
            ),
        ),
        DemoFinding(
            3,  # Count each location
            RISK,
            4,
            DemoText("Counts are done while sales are still running", "盘点时门店和网店仍在销售"),
            DemoText(
                "The stores and the online shop cannot close for a count. Goods sold during counting show "
                "up as differences.",
                "门店和网店无法为盘点停业，盘点期间卖出的商品都会变成差异。",
            ),
        ),
        DemoFinding(
            5,  # Compare counts with the book stock
            REDUNDANCY,
            2,
            DemoText(
                "Counts are compared in Excel although the system holds the book stock",
                "系统里已有账面库存，却还要在 Excel 中比对",
            ),
            DemoText(
                "The book stock is exported to Excel to compare it with the typed counts.",
                "账面库存要先导出到 Excel，再与录入的盘点数比对。",
            ),
        ),
    ],
    "sales_order": [
        DemoFinding(
            3,  # Check the customer's credit and the stock
            RISK,
            5,
            DemoText(
                "Online orders are accepted for goods already sold in a store",
                "网店接下了门店已经卖掉的商品的订单",
            ),
            DemoText(
                "Store sales reach the stock figure only at the end of the day, so the check passes goods "
                "that are gone.",
                "门店销售要到日终才进入库存数，核对时会放过已经没货的商品。",
            ),
        ),
        DemoFinding(
            2,  # Key the order into the legacy system
            REDUNDANCY,
            3,
            DemoText(
                "Online orders are keyed into the legacy system again by hand",
                "网店订单要手工再录入一遍旧系统",
            ),
            DemoText(
                "The online shop has no interface to the single-machine program.",
                "网店平台与单机版软件之间没有接口。",
            ),
        ),
    ],
}

TO_BE_NAME = DemoText("Daily sales consolidation (to-be)", "每日销售汇总（目标状态）")
TO_BE_DESCRIPTION = DemoText(
    "On the new platform every sale lands in one stock figure and one ledger as it happens. The "
    "spreadsheets, the e-mails and the re-keying disappear. Finance only checks the differences the "
    "platform flags against the bank.",
    "在新平台上，每一笔销售发生时就同时进入统一的库存数和总账。电子表格、邮件和重复录入都不再需要，"
    "财务只需核对平台标出的与银行到账的差异。",
)
TO_BE_REMOVED = [STORE_EXPORT, STORE_EMAIL, ONLINE_EXPORT, ONLINE_EMAIL, ADD_UP, SHOP_STOCK, TOTALS_EMAIL, REKEY]
TO_BE_CHANGES = {
    CLOSE_TILL: {
        "action": DemoText(
            "Close the till; the day's sales are already on the platform", "收银结班，当日销售已实时进入平台"
        ),
        "system": NEW_PLATFORM,
        "duration_minutes": 5,
    },
    STOCK_CHECK: {
        "action": DemoText("Reserve stock for each online order as it arrives", "网店订单进来时自动预留库存"),
        "system": NEW_PLATFORM,
        "manual": False,
        "duration_minutes": None,
    },
    RECONCILE: {
        "action": DemoText(
            "Check the differences the platform flags against bank receipts", "核对平台标出的与银行到账的差异"
        ),
        "system": NEW_PLATFORM,
        "duration_minutes": 15,
    },
}
TO_BE_ADDED = DemoStep(
    SALES_ADMIN,
    DemoText("Sales post automatically to finance", "销售数据自动过账到财务"),
    NEW_PLATFORM,
    None,
    manual=False,
)


@transaction.atomic
def build_processes_demo(*, project: Project, language: str) -> None:
    """Add the demo's processes and findings, once; does nothing when the project already has processes."""
    if project.processes.exists():
        return
    with translation.override(language):
        consolidation = _consolidation(project, language)
        for key, findings in TEMPLATE_FINDINGS.items():
            copy = process_services.process_create_from_template(project=project, template_key=key)
            _add_findings(copy, findings, language)
        _to_be(consolidation, language)


def _consolidation(project: Project, language: str) -> Process:
    process = process_services.process_create(
        project=project,
        name=CONSOLIDATION_NAME(language),
        kind=Process.Kind.AS_IS,
        owner_department=Membership.Department.SALES,
        description=CONSOLIDATION_DESCRIPTION(language),
    )
    steps = [
        process_services.step_insert(
            process=process,
            lane=step.lane(language),
            action=step.action(language),
            system=step.system(language),
            manual=step.manual,
            duration_minutes=step.minutes,
        )
        for step in CONSOLIDATION_STEPS
    ]
    _link(steps, [(a, b, label(language)) for a, b, label in CONSOLIDATION_LINKS])
    _add_findings(process, CONSOLIDATION_FINDINGS, language)
    return process


def _link(steps: list[Step], links: list[tuple[int, int, str]]) -> None:
    """Set the arrows of `steps` (in order) from (from position, to position, label) triples."""
    by_from: dict[int, list[tuple[int, str]]] = {}
    for from_position, to_position, label in links:
        by_from.setdefault(from_position, []).append((to_position, label))
    for from_position, targets in by_from.items():
        process_services.step_set_next(
            step=steps[from_position - 1],
            next_steps=[steps[to - 1] for to, _label in targets],
            labels={steps[to - 1].pk: label for to, label in targets},
        )


def _add_findings(process: Process, findings: list[DemoFinding], language: str) -> None:
    steps = {step.order: step for step in process.steps.all()}
    for finding in findings:
        process_services.finding_create(
            step=steps[finding.position],
            kind=finding.kind,
            severity=finding.severity,
            description=finding.description(language),
            evidence=finding.evidence(language),
        )


def _to_be(as_is: Process, language: str) -> Process:
    """Derive the to-be process and edit it: spreadsheet steps out, automatic posting in, stock check automated."""
    to_be = process_services.process_derive_to_be(process=as_is, name=TO_BE_NAME(language))
    to_be = process_services.process_update(
        process=to_be, expected_version=to_be.version, description=TO_BE_DESCRIPTION(language)
    )

    def copies() -> dict[int, Step]:
        """The to-be's steps by the as-is position they were copied from."""
        return {s.source_step.order: s for s in to_be.steps.select_related("source_step") if s.source_step_id}

    for position, changes in TO_BE_CHANGES.items():
        step = copies()[position]
        fields = {name: value(language) if isinstance(value, DemoText) else value for name, value in changes.items()}
        process_services.step_update(step=step, expected_version=step.version, **fields)
    for position in TO_BE_REMOVED:
        process_services.step_delete(step=copies()[position])

    current = copies()
    added = process_services.step_insert(
        process=to_be,
        position=current[OVERSOLD].order + 1,
        lane=TO_BE_ADDED.lane(language),
        action=TO_BE_ADDED.action(language),
        system=TO_BE_ADDED.system(language),
        manual=TO_BE_ADDED.manual,
        duration_minutes=TO_BE_ADDED.minutes,
    )
    # The stock check's "in stock" arrow pointed at a removed step, and the reconciliation's
    # "mismatch" loop went back to the hand consolidation: redraw both.
    in_stock, oversold = DemoText("in stock", "有货"), DemoText("oversold", "超卖")
    process_services.step_set_next(
        step=current[STOCK_CHECK],
        next_steps=[current[OVERSOLD], added],
        labels={current[OVERSOLD].pk: oversold(language), added.pk: in_stock(language)},
    )
    process_services.step_set_next(step=current[RECONCILE], next_steps=[])
    return to_be
