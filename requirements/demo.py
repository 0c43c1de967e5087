"""The demo's requirements: the retail chain's needs over the four layers, reviewed and frozen in a baseline.

One stock figure for stores and online shop, sales posting to finance, mobile stock-taking, batches for
the packaged food line, the online shop, payment and logistics links, speed and security. Each serves
the demo's goals, KPIs and process findings. About half are approved and frozen in "Baseline 1"; after
signing, finance changed the posting requirement, which sent it back to review and made its children
suspect, so the baseline comparison has something to show.

Texts specific to the case come in English and Chinese pairs; standard needs are pulled from the
catalogue in the active language.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import translation

from projects.demo import DEMO_PASSWORD
from projects.demo_goals import GOALS, DemoText
from projects.demo_processes import CONSOLIDATION_FINDINGS, TEMPLATE_FINDINGS, DemoFinding
from projects.models import KPI, Finding, Goal, Membership, Project
from requirements.catalogue import BY_KEY as CATALOGUE
from requirements.models import Requirement
from requirements.services import (
    baseline_sign,
    catalogue_pull,
    requirement_create,
    requirement_transition,
    requirement_update,
)

L, C, P, S = Requirement.Layer, Requirement.Category, Requirement.Priority, Requirement.Status
CONS, STOCK_TAKE, SALES_ORDER = (
    CONSOLIDATION_FINDINGS,
    TEMPLATE_FINDINGS["stock_take"],
    TEMPLATE_FINDINGS["sales_order"],
)

# Goals by their index in projects.demo_goals.GOALS, KPIs by (goal index, KPI index).
STOCK_GOAL, FINANCE_GOAL, COUNT_GOAL = 0, 1, 2
ACCURACY, STOCKOUTS, TURNOVER = (0, 0), (0, 1), (0, 2)
CLOSE_DAYS, CLOSE_EFFORT = (1, 0), (1, 1)
COUNT_RATE = (2, 0)

KICK_OFF = DemoText("Kick-off workshop", "项目启动研讨会")
MAPPING = DemoText("Process mapping: daily sales consolidation", "流程梳理：每日销售汇总")
WAREHOUSE_WORKSHOP = DemoText("Workshop with the warehouse and the stores", "与仓库和门店的研讨会")
FINANCE_REVIEW = DemoText("Month-end close review with finance", "与财务一起复盘月结")
IT_REVIEW = DemoText("IT review of the legacy system", "IT 对旧系统的评估")

# How each target status is reached from draft: (status, who moves it), "owner" being the requirement's owner.
PATHS: dict[str, list[tuple[str, str]]] = {
    S.DRAFT: [],
    S.IN_REVIEW: [(S.IN_REVIEW, "owner")],
    S.APPROVED: [(S.IN_REVIEW, "owner"), (S.APPROVED, "lead")],
    S.IMPLEMENTED: [(S.IN_REVIEW, "owner"), (S.APPROVED, "lead"), (S.IMPLEMENTED, "owner")],
    S.REJECTED: [(S.REJECTED, "lead")],
    S.DEFERRED: [(S.IN_REVIEW, "owner"), (S.DEFERRED, "lead")],
}


@dataclass(frozen=True)
class DemoRequirement:
    ref: str  # a handle for parents within this module, never shown
    status: str
    owner: str  # username
    catalogue: str = ""  # pull this catalogue entry instead of writing the texts below
    layer: str = ""
    category: str = ""
    priority: str = ""  # for a catalogue entry: blank keeps the catalogue's priority
    title: DemoText | None = None
    statement: DemoText | None = None
    criteria: DemoText | None = None
    source: DemoText | None = None
    parent: str = ""
    goals: tuple[int, ...] = ()
    kpis: tuple[tuple[int, int], ...] = ()
    findings: tuple[DemoFinding, ...] = ()
    comment: DemoText | None = None  # the reason given when it was rejected or deferred


REQUIREMENTS = [
    # Core functional
    DemoRequirement(
        "stock",
        S.APPROVED,
        "warehouse",
        layer=L.CORE,
        category=C.INVENTORY,
        priority=P.MUST,
        title=DemoText(
            "One stock ledger for every store, the online shop and the central warehouse",
            "所有门店、网店和总仓共用一本库存账",
        ),
        statement=DemoText(
            "All locations book their stock movements in one ledger, so the available stock of every item is "
            "known for each location and in total at any moment. The online shop sells from the same figure "
            "the stores see.",
            "所有地点的库存变动都记入同一本账，任何时刻都能查到每个商品在各地点及合计的可用库存。"
            "网店与门店看到的是同一个库存数。",
        ),
        criteria=DemoText(
            "- A sale at a store till lowers the available stock shown to the online shop within 60 seconds.\n"
            "- For any item and location, stock on hand equals the sum of its posted movements.\n"
            "- Inventory record accuracy in cycle counts reaches 99.5 % within three months of go-live.",
            "- 门店收银售出后，网店看到的可用库存在 60 秒内减少。\n"
            "- 任一商品、任一地点的现存量等于其已过账变动之和。\n"
            "- 上线三个月内，循环盘点的库存准确率达到 99.5%。",
        ),
        source=KICK_OFF,
        goals=(STOCK_GOAL,),
        kpis=(ACCURACY, STOCKOUTS),
        findings=(CONS[1],),
    ),
    DemoRequirement(
        "reserve",
        S.APPROVED,
        "sales",
        layer=L.CORE,
        category=C.SALES,
        priority=P.MUST,
        title=DemoText("Online orders reserve stock when they arrive", "网店订单进入时即预留库存"),
        statement=DemoText(
            "An online order reserves its items at once. If a store has just sold the last piece, the order is "
            "held for the operator before the customer gets a confirmation.",
            "网店订单一进入即预留所需商品。如果门店刚刚卖出了最后一件，订单会在向顾客发出确认前交给运营人员处理。",
        ),
        criteria=DemoText(
            "- No online order is confirmed for stock that is not available; checked with 500 test orders "
            "during a store sale.\n"
            "- Held orders appear on the operator's list within one minute.\n"
            "- Cancelling an order releases its reservation.",
            "- 在门店促销期间用 500 笔测试订单验证：没有一笔订单在无可用库存时被确认。\n"
            "- 被挂起的订单在一分钟内出现在运营人员的列表中。\n"
            "- 取消订单后其预留随即释放。",
        ),
        source=MAPPING,
        parent="stock",
        goals=(STOCK_GOAL,),
        kpis=(STOCKOUTS,),
        findings=(SALES_ORDER[0], CONS[4]),
    ),
    DemoRequirement(
        "till",
        S.APPROVED,
        "sales",
        layer=L.CORE,
        category=C.SALES,
        priority=P.MUST,
        title=DemoText("Store tills post each sale to stock as it happens", "门店收银每笔销售实时扣减库存"),
        statement=DemoText(
            "Every till sale reduces the store's stock line by line as it is paid, not in a batch at the end "
            "of the day. When the network is down the till keeps selling and catches up afterwards.",
            "每笔收银销售在付款时逐行扣减门店库存，而不是日终批量处理。网络中断时收银照常进行，恢复后自动补传。",
        ),
        criteria=DemoText(
            "- The stock of a sold item drops within 60 seconds of payment.\n"
            "- A till that was offline for one hour sends all its sales within 5 minutes of reconnecting, with "
            "none lost or doubled.\n"
            "- Nobody types store sales into the online shop any more.",
            "- 商品付款后 60 秒内库存减少。\n"
            "- 离线一小时的收银机在恢复连接后 5 分钟内补传全部销售，无遗漏、无重复。\n"
            "- 不再需要人工把门店销量录入网店。",
        ),
        source=MAPPING,
        parent="stock",
        goals=(STOCK_GOAL,),
        findings=(CONS[5],),
    ),
    DemoRequirement("transfer", S.APPROVED, "warehouse", catalogue="inv-transfer", parent="stock", goals=(STOCK_GOAL,)),
    DemoRequirement("po", S.APPROVED, "procurement", catalogue="pur-po-create"),
    DemoRequirement("receipt", S.APPROVED, "procurement", catalogue="pur-receipt", goals=(STOCK_GOAL,)),
    DemoRequirement("return", S.IN_REVIEW, "sales", catalogue="sal-return"),
    DemoRequirement("stocktake", S.APPROVED, "warehouse", catalogue="inv-stocktake", goals=(COUNT_GOAL,)),
    DemoRequirement(
        "codes",
        S.IMPLEMENTED,
        "it",
        layer=L.CORE,
        category=C.INVENTORY,
        priority=P.MUST,
        title=DemoText("One coding rule for all item codes", "统一的商品编码规则"),
        statement=DemoText(
            "Every item has exactly one code that follows the agreed rule (category, supplier, running number), "
            "and its barcodes are stored with it. The stores' private codes are retired.",
            "每个商品只有一个符合约定规则（品类 + 供应商 + 流水号）的编码，条码与之一起保存。"
            "各门店自编的代码停止使用。",
        ),
        criteria=DemoText(
            "- No two items share a code or a barcode.\n"
            "- All 8,600 active items of the legacy system carry a code that follows the rule.\n"
            "- Each old store code maps to exactly one new code.",
            "- 任意两个商品的编码和条码都不重复。\n"
            "- 旧系统中 8,600 个在用商品全部按规则编码。\n"
            "- 每个门店旧代码都对应唯一的新编码。",
        ),
        source=DemoText("Data cleansing", "数据清洗"),
        goals=(STOCK_GOAL,),
        kpis=(ACCURACY,),
    ),
    DemoRequirement("pricing", S.IN_REVIEW, "sales", catalogue="sal-pricing"),
    DemoRequirement(
        "members",
        S.DRAFT,
        "sales",
        layer=L.CORE,
        category=C.SALES,
        priority=P.COULD,
        title=DemoText("Member prices in stores and online", "门店和网店统一会员价"),
        statement=DemoText(
            "Members get the same member prices and promotions in every store and in the online shop, "
            "recognised by their mobile number.",
            "会员凭手机号在所有门店和网店享受相同的会员价和促销。",
        ),
        criteria=DemoText(
            "- A member price set once applies in all stores and online from the same date.\n"
            "- A member is recognised at the till by mobile number within 3 seconds.",
            "- 会员价只需设置一次，自同一日期起在所有门店和网店生效。\n- 收银时输入手机号 3 秒内识别会员。",
        ),
        source=KICK_OFF,
    ),
    # Extended functional
    DemoRequirement(
        "batch",
        S.APPROVED,
        "warehouse",
        layer=L.EXTENDED,
        category=C.INVENTORY,
        priority=P.MUST,
        title=DemoText("Batches and best-before dates for the packaged food line", "包装食品线的批次与保质期管理"),
        statement=DemoText(
            "Packaged food is received, stored, moved and sold by batch with its best-before date, so a batch "
            "can be traced and withdrawn from every store and the online shop.",
            "包装食品按批次及保质期进行入库、存放、调拨和销售，任何批次都可以追溯，并能从所有门店和网店下架召回。",
        ),
        criteria=DemoText(
            "- A food item cannot be received without batch and best-before date.\n"
            "- For any batch, the stores, online orders and customers that received it are listed within one "
            "minute.\n"
            "- A withdrawn batch can no longer be sold at any till or online.",
            "- 食品入库时必须录入批次和保质期。\n"
            "- 任一批次流向的门店、网店订单和顾客可在一分钟内列出。\n"
            "- 被召回的批次在任何收银台和网店都无法再销售。",
        ),
        source=WAREHOUSE_WORKSHOP,
    ),
    DemoRequirement(
        "fefo",
        S.IN_REVIEW,
        "warehouse",
        layer=L.EXTENDED,
        category=C.WAREHOUSE,
        priority=P.SHOULD,
        title=DemoText("Earliest best-before date leaves first", "先到期先出"),
        statement=DemoText(
            "Picking and transfers to the stores suggest the batch with the earliest best-before date.",
            "拣货和向门店调拨时，系统优先推荐保质期最早的批次。",
        ),
        criteria=DemoText(
            "- Picking lists always show the earliest-expiring batch first.\n"
            "- Picking a later batch while an earlier one is in the same location asks for a reason.",
            "- 拣货单总是先列出最早到期的批次。\n- 同一库位有更早批次时拣选较晚批次，需要填写原因。",
        ),
        source=WAREHOUSE_WORKSHOP,
        parent="batch",
    ),
    DemoRequirement(
        "expiry",
        S.IN_REVIEW,
        "warehouse",
        layer=L.EXTENDED,
        category=C.INVENTORY,
        priority=P.SHOULD,
        title=DemoText("Warn before best-before dates run out", "保质期临近预警"),
        statement=DemoText(
            "Store managers see every week which batches in their store reach their best-before date within the "
            "next 30 days, so they can mark them down in time.",
            "店长每周都能看到本店 30 天内到期的批次，及时安排降价处理。",
        ),
        criteria=DemoText(
            "- The list is ready for each store every Monday by 8:00.\n"
            "- It shows item, batch, quantity, value and best-before date.\n"
            "- Expired stock is blocked from sale automatically.",
            "- 每周一 8:00 前为每家门店生成清单。\n"
            "- 清单列出商品、批次、数量、金额和保质期。\n"
            "- 过期库存自动禁止销售。",
        ),
        source=WAREHOUSE_WORKSHOP,
        parent="batch",
    ),
    DemoRequirement(
        "serial",
        S.DEFERRED,
        "warehouse",
        catalogue="inv-serial",
        comment=DemoText(
            "Only the small-appliance corner would need it. We look at it again after go-live.",
            "只有小家电专柜需要，上线后再评估。",
        ),
    ),
    DemoRequirement(
        "bom",
        S.REJECTED,
        "procurement",
        catalogue="inv-bom",
        comment=DemoText(
            "The chain assembles nothing; gift baskets are bought in and sold as ordinary items.",
            "公司不做组装，礼篮是采购成品后按普通商品销售。",
        ),
    ),
    DemoRequirement(
        "mobile-count",
        S.APPROVED,
        "warehouse",
        layer=L.EXTENDED,
        category=C.MOBILE,
        priority=P.MUST,
        title=DemoText("Count stock with phones and handheld scanners", "用手机和手持终端盘点"),
        statement=DemoText(
            "Store and warehouse staff scan shelves and type quantities on a phone or handheld. Counts go "
            "straight into the stock-take and are compared with the book stock in the system, without paper "
            "sheets or Excel.",
            "门店和仓库员工用手机或手持终端扫码并录入数量，盘点数直接进入系统的盘点单，并在系统中与账面库存比对，"
            "不再需要纸质盘点表和 Excel。",
        ),
        criteria=DemoText(
            "- In the pilot store one person counts at least 32.5 SKUs per staff hour (today 25).\n"
            "- Counts reach the system within one minute; offline counts are sent when the connection returns.\n"
            "- The difference list is ready as soon as the last location is counted.",
            "- 试点门店每人每工时至少盘点 32.5 个 SKU（目前为 25 个）。\n"
            "- 盘点数一分钟内进入系统；离线盘点在恢复连接后自动上传。\n"
            "- 最后一个库位盘完后即可查看差异表。",
        ),
        source=WAREHOUSE_WORKSHOP,
        parent="stocktake",
        goals=(COUNT_GOAL,),
        kpis=(COUNT_RATE,),
        findings=(STOCK_TAKE[0], STOCK_TAKE[2]),
    ),
    DemoRequirement(
        "count-open",
        S.DRAFT,
        "warehouse",
        layer=L.EXTENDED,
        category=C.INVENTORY,
        priority=P.SHOULD,
        title=DemoText("Count without closing the store", "不停业盘点"),
        statement=DemoText(
            "A count freezes the book stock of each location when counting starts there, and sales during the "
            "count are taken into account, so the stores and the online shop keep selling.",
            "每个库位开始盘点时冻结其账面库存，盘点期间的销售会自动计入，门店和网店无需停业。",
        ),
        criteria=DemoText(
            "- Goods sold during the count do not show up as differences.\n"
            "- A location can be counted again without affecting the others.",
            "- 盘点期间售出的商品不会形成差异。\n- 单个库位可以重新盘点而不影响其他库位。",
        ),
        source=WAREHOUSE_WORKSHOP,
        parent="stocktake",
        goals=(COUNT_GOAL,),
        findings=(STOCK_TAKE[1],),
    ),
    DemoRequirement(
        "labels",
        S.IMPLEMENTED,
        "warehouse",
        layer=L.EXTENDED,
        category=C.WAREHOUSE,
        priority=P.SHOULD,
        title=DemoText("Barcode labels on every shelf and warehouse location", "每个货架和库位都贴有条码标签"),
        statement=DemoText(
            "Every shelf in the stores and every location in the central warehouse carries a barcode label with "
            "its location code, so counts and moves can be scanned.",
            "门店的每个货架和总仓的每个库位都贴有带库位编码的条码标签，盘点和移库都可以扫码完成。",
        ),
        criteria=DemoText(
            "- All 1,240 locations are labelled.\n"
            "- Each label scans correctly with the handhelds chosen for the pilot.",
            "- 全部 1,240 个库位均已贴标。\n- 每张标签都能被试点选用的手持终端正确扫描。",
        ),
        source=WAREHOUSE_WORKSHOP,
        parent="mobile-count",
        goals=(COUNT_GOAL,),
    ),
    DemoRequirement(
        "morning-report",
        S.IN_REVIEW,
        "finance",
        layer=L.EXTENDED,
        category=C.REPORTING,
        priority=P.SHOULD,
        title=DemoText(
            "Yesterday's sales and stock on the manager's phone by 8:00", "每天 8:00 前在手机上查看昨日销售与库存"
        ),
        statement=DemoText(
            "Every morning management sees yesterday's sales, margin and stock-outs by store and channel on the "
            "phone, instead of a weekly report compiled by hand.",
            "管理层每天早上在手机上查看按门店和渠道划分的昨日销售、毛利和缺货情况，取代每周手工汇总的周报。",
        ),
        criteria=DemoText(
            "- The figures are ready by 8:00 every day, Sundays included.\n"
            "- Sales match the ledger for the same day.\n"
            "- The page is readable on a phone without zooming.",
            "- 每天（包括周日）8:00 前数据就绪。\n- 销售额与同日总账一致。\n- 页面在手机上无需缩放即可阅读。",
        ),
        source=KICK_OFF,
    ),
    DemoRequirement("sales-analysis", S.IN_REVIEW, "finance", catalogue="rep-sales-analysis"),
    DemoRequirement(
        "turnover", S.IN_REVIEW, "finance", catalogue="rep-turnover", goals=(STOCK_GOAL,), kpis=(TURNOVER,)
    ),
    DemoRequirement("reorder", S.DRAFT, "procurement", catalogue="pur-reorder"),
    # Integration
    DemoRequirement(
        "shop",
        S.APPROVED,
        "it",
        layer=L.INTEGRATION,
        category=C.ECOMMERCE,
        priority=P.MUST,
        title=DemoText("Connect the online shop to the new platform", "网店与新平台对接"),
        statement=DemoText(
            "The online shop exchanges stock, orders, shipments and returns with the new platform through a "
            "standard connector, without spreadsheets or re-keying.",
            "网店通过标准接口与新平台交换库存、订单、发货和退货数据，不再使用表格或重复录入。",
        ),
        criteria=DemoText(
            "- The vendor shows the connector working with our shop platform in the demo.\n"
            "- Each exchange is logged; failures are retried and reported.\n"
            "- Nobody keys online orders into another system.",
            "- 供应商在演示中展示该接口与我们的网店平台联通。\n"
            "- 每次数据交换都有日志，失败会自动重试并报告。\n"
            "- 不再需要把网店订单录入其他系统。",
        ),
        source=IT_REVIEW,
        goals=(STOCK_GOAL,),
    ),
    DemoRequirement(
        "publish-stock",
        S.APPROVED,
        "it",
        layer=L.INTEGRATION,
        category=C.ECOMMERCE,
        priority=P.MUST,
        title=DemoText("Publish available stock to the online shop every minute", "每分钟向网店同步可用库存"),
        statement=DemoText(
            "Available stock of the central warehouse and of the stores that ship online orders is sent to the "
            "online shop at least every minute, less a safety stock per item.",
            "总仓及参与网店发货门店的可用库存至少每分钟同步一次到网店，并按商品扣除安全库存。",
        ),
        criteria=DemoText(
            "- A stock change shows in the shop within 60 seconds.\n"
            "- Orders short of stock fall from 6.0 % to 1.8 % within six months of go-live.\n"
            "- A failed update alerts the online shop operator.",
            "- 库存变化 60 秒内在网店中显示。\n"
            "- 上线后六个月内，缺货订单率从 6.0% 降到 1.8%。\n"
            "- 同步失败时向网店运营发出提醒。",
        ),
        source=MAPPING,
        parent="shop",
        goals=(STOCK_GOAL,),
        kpis=(STOCKOUTS,),
        findings=(CONS[4],),
    ),
    DemoRequirement(
        "import-orders",
        S.APPROVED,
        "sales",
        layer=L.INTEGRATION,
        category=C.ECOMMERCE,
        priority=P.MUST,
        title=DemoText("Online orders arrive as sales orders by themselves", "网店订单自动生成销售订单"),
        statement=DemoText(
            "Paid online orders are imported as sales orders with customer, delivery address and payment, and "
            "reserve stock straight away.",
            "已付款的网店订单自动导入为销售订单，带上顾客、收货地址和支付信息，并立即预留库存。",
        ),
        criteria=DemoText(
            "- A paid order becomes a sales order within one minute.\n"
            "- No order is imported twice, even when the shop sends it again.\n"
            "- The evening order export and its e-mail are no longer needed.",
            "- 付款后一分钟内生成销售订单。\n"
            "- 即使网店重复推送，同一订单也不会导入两次。\n"
            "- 不再需要每晚导出订单并发送邮件。",
        ),
        source=MAPPING,
        parent="shop",
        findings=(SALES_ORDER[1],),
    ),
    DemoRequirement("online-returns", S.IN_REVIEW, "sales", catalogue="ecm-returns", parent="shop"),
    DemoRequirement(
        "post-finance",
        S.APPROVED,
        "finance",
        layer=L.INTEGRATION,
        category=C.FINANCE,
        priority=P.MUST,
        title=DemoText("Sales post to finance without spreadsheets", "销售数据无需表格直接进入财务"),
        statement=DemoText(
            "Sales, returns and cost of goods sold of every store and the online shop post to the finance "
            "software automatically, so nobody adds up or re-keys sales figures.",
            "所有门店和网店的销售、退货及销售成本自动过账到财务软件，不再有人手工汇总或重复录入销售数据。",
        ),
        criteria=DemoText(
            "- Each day's sales reach the ledger by 6:00 the next morning.\n"
            "- Ledger and sales report agree to the cent for each store and day.\n"
            "- The month-end close takes 2 working days instead of 5.",
            "- 每天的销售在次日 6:00 前进入总账。\n"
            "- 总账与销售报表按门店、按天核对分毫不差。\n"
            "- 月结时间从 5 个工作日缩短到 2 个。",
        ),
        source=FINANCE_REVIEW,
        goals=(FINANCE_GOAL,),
        kpis=(CLOSE_DAYS, CLOSE_EFFORT),
        findings=(CONS[0], CONS[2]),
    ),
    DemoRequirement(
        "post-per-store",
        S.APPROVED,
        "finance",
        layer=L.INTEGRATION,
        category=C.FINANCE,
        priority=P.MUST,
        title=DemoText("One posting per store, channel and day", "按门店、渠道和日期分别过账"),
        statement=DemoText(
            "Sales are posted to the ledger summed up per store, channel, tax rate and day, with a link back to "
            "the individual sales.",
            "销售按门店、渠道、税率和日期汇总过账到总账，并能追溯到每一笔销售。",
        ),
        criteria=DemoText(
            "- Each posting carries store, channel, tax rate and date.\n"
            "- From any posting, finance opens the sales behind it in two clicks.",
            "- 每笔凭证都带有门店、渠道、税率和日期。\n- 财务可从任一凭证两次点击内打开其对应的销售明细。",
        ),
        source=FINANCE_REVIEW,
        parent="post-finance",
        goals=(FINANCE_GOAL,),
    ),
    DemoRequirement(
        "payments",
        S.APPROVED,
        "finance",
        layer=L.INTEGRATION,
        category=C.FINANCE,
        priority=P.SHOULD,
        title=DemoText(
            "Match card, WeChat Pay and Alipay receipts with sales", "刷卡、微信支付和支付宝到账与销售自动核对"
        ),
        statement=DemoText(
            "Settlement files from the card acquirer, WeChat Pay and Alipay are imported every day and matched "
            "to the sales of each store and the online shop; only the differences are left for finance.",
            "每天导入收单机构、微信支付和支付宝的结算文件，与各门店和网店的销售自动核对，只把差异留给财务处理。",
        ),
        criteria=DemoText(
            "- At least 95 % of payments are matched without manual work.\n"
            "- Each difference shows the store, till or order it comes from.\n"
            "- The bank reconciliation takes at most 15 minutes a day.",
            "- 至少 95% 的支付无需人工即可匹配。\n"
            "- 每笔差异都能定位到门店、收银台或订单。\n"
            "- 银行对账每天不超过 15 分钟。",
        ),
        source=MAPPING,
        parent="post-finance",
        goals=(FINANCE_GOAL,),
        findings=(CONS[6],),
    ),
    DemoRequirement("einvoice", S.APPROVED, "finance", catalogue="fin-einvoice", goals=(FINANCE_GOAL,)),
    DemoRequirement("logistics", S.IN_REVIEW, "sales", catalogue="whs-logistics", parent="shop"),
    # Non-functional
    DemoRequirement("response", S.APPROVED, "it", catalogue="prf-response"),
    DemoRequirement(
        "peak",
        S.APPROVED,
        "it",
        layer=L.NONFUNCTIONAL,
        category=C.PERFORMANCE,
        priority=P.MUST,
        title=DemoText(
            "Peak days: 60 users and five times the usual online orders", "大促高峰：60 个并发用户、网店订单达平日 5 倍"
        ),
        statement=DemoText(
            "On peak days such as Singles' Day (11 November) the platform serves all 60 users in the stores, "
            "the warehouse and the office at the same time, while online orders run at five times the usual "
            "rate.",
            "在“双十一”等大促日，平台要同时支撑门店、仓库和办公室全部 60 名用户，且网店订单量达到平日的 5 倍。",
        ),
        criteria=DemoText(
            "- A load test with 60 concurrent users and 2,000 online orders per hour keeps the agreed response "
            "times.\n"
            "- During the test no till waits more than 2 seconds to complete a sale.",
            "- 以 60 个并发用户、每小时 2,000 笔网店订单进行压力测试，响应时间符合约定。\n"
            "- 测试期间任何收银台完成一笔销售的等待不超过 2 秒。",
        ),
        source=IT_REVIEW,
    ),
    DemoRequirement("roles", S.APPROVED, "it", catalogue="sec-roles"),
    DemoRequirement("audit", S.IN_REVIEW, "finance", catalogue="sec-audit-trail"),
    DemoRequirement(
        "backups",
        S.IMPLEMENTED,
        "it",
        layer=L.NONFUNCTIONAL,
        category=C.SECURITY,
        priority=P.MUST,
        title=DemoText("Daily off-site backups with a tested restore", "每日异地备份并验证恢复"),
        statement=DemoText(
            "Stock and sales data are backed up every night to a second site, and a restore is tested every "
            "quarter, so a disk failure can never again cost days of sales data.",
            "库存和销售数据每晚备份到异地，每季度做一次恢复演练，确保硬盘故障不再导致数天的销售数据丢失。",
        ),
        criteria=DemoText(
            "- At most one day of data can be lost (RPO 24 hours); a restore takes at most 4 hours (RTO).\n"
            "- The last restore test is less than 3 months old and its report is filed.",
            "- 最多丢失一天数据（RPO 24 小时）；恢复不超过 4 小时（RTO）。\n"
            "- 最近一次恢复演练在 3 个月之内，报告已存档。",
        ),
        source=DemoText("Disk failure in March", "3 月硬盘故障"),
    ),
    DemoRequirement("mobile", S.IN_REVIEW, "it", catalogue="mob-access"),
    DemoRequirement("availability", S.IN_REVIEW, "it", catalogue="prf-availability"),
    DemoRequirement("sla", S.IN_REVIEW, "lead", catalogue="svc-sla"),
    DemoRequirement("migration", S.APPROVED, "it", catalogue="svc-migration"),
    DemoRequirement(
        "data-in-china",
        S.DRAFT,
        "it",
        layer=L.NONFUNCTIONAL,
        category=C.SECURITY,
        priority=P.SHOULD,
        title=DemoText("Data stays in mainland China", "数据存储在中国境内"),
        statement=DemoText(
            "Customer and sales data are stored and processed in data centres in mainland China; any transfer "
            "abroad needs the project lead's approval.",
            "顾客和销售数据在中国境内的数据中心存储和处理；任何出境传输须经项目负责人批准。",
        ),
        criteria=DemoText(
            "- The offer names the data centres and where they are.\n- Backups stay in mainland China too.",
            "- 供应商在报价中写明数据中心及其所在地。\n- 备份同样保存在中国境内。",
        ),
        source=IT_REVIEW,
    ),
]

BASELINE_NAME = DemoText("Baseline 1 — scope for vendor selection", "基线 1——供应商选型范围")
BASELINE_DESCRIPTION = DemoText(
    "The approved requirements sent to the short-listed vendors with the request for proposal.",
    "随需求建议书（RFP）发给入围供应商的已批准需求。",
)

# After the baseline, finance asked for hourly postings: the parent changes, its children become suspect.
CHANGED_AFTER_BASELINE = "post-finance"
CHANGED_STATEMENT = DemoText(
    "Sales, returns and cost of goods sold of every store and the online shop post to the finance software "
    "automatically every hour, so nobody adds up or re-keys sales figures and finance sees the day's takings "
    "before the bank statement arrives.",
    "所有门店和网店的销售、退货及销售成本每小时自动过账到财务软件，不再有人手工汇总或重复录入销售数据，"
    "财务在银行对账单到达之前就能看到当天的收入。",
)
CHANGED_CRITERIA = DemoText(
    "- Sales reach the ledger within one hour.\n"
    "- Ledger and sales report agree to the cent for each store and day.\n"
    "- The month-end close takes 2 working days instead of 5.",
    "- 销售在一小时内进入总账。\n- 总账与销售报表按门店、按天核对分毫不差。\n- 月结时间从 5 个工作日缩短到 2 个。",
)


@transaction.atomic
def build_requirements_demo(*, project: Project, language: str) -> None:
    """Add the demo requirements, their reviews, a signed baseline and a later change, once; a project that
    already has requirements is left alone."""
    if project.requirements.exists():
        return
    with translation.override(language):
        members = {m.user.username: m for m in project.memberships.select_related("user")}
        lead = members["lead"]
        created: dict[str, Requirement] = {}
        for spec in REQUIREMENTS:
            created[spec.ref] = _create(project, spec, created, members, language)
        for spec in REQUIREMENTS:
            _review(created[spec.ref], spec, members, language)
        baseline_sign(
            project=project,
            membership=lead,
            name=BASELINE_NAME(language),
            password=DEMO_PASSWORD,
            description=BASELINE_DESCRIPTION(language),
        )
        changed = created[CHANGED_AFTER_BASELINE]
        changed.refresh_from_db()
        changed._history_user = lead.user
        requirement_update(
            requirement=changed,
            expected_version=changed.version,
            user=lead.user,
            statement=CHANGED_STATEMENT(language),
            acceptance_criteria=CHANGED_CRITERIA(language),
        )


def _create(
    project: Project,
    spec: DemoRequirement,
    created: dict[str, Requirement],
    members: dict[str, Membership],
    language: str,
) -> Requirement:
    links = {
        "owner": members.get(spec.owner),
        "parent": created[spec.parent] if spec.parent else None,
        "goals": _goals(project, spec.goals),
        "kpis": _kpis(project, spec.kpis),
        "findings": _findings(project, spec.findings),
    }
    if spec.catalogue:
        (requirement,) = catalogue_pull(project=project, keys=[spec.catalogue])
        priority = spec.priority or CATALOGUE[spec.catalogue].priority
        return requirement_update(
            requirement=requirement,
            expected_version=requirement.version,
            user=members["lead"].user,
            priority=priority,
            **links,
        )
    assert spec.title and spec.statement and spec.criteria, spec.ref
    return requirement_create(
        project=project,
        title=spec.title(language),
        statement=spec.statement(language),
        acceptance_criteria=spec.criteria(language),
        layer=spec.layer,
        category=spec.category,
        priority=spec.priority,
        source=spec.source(language) if spec.source else "",
        **links,
    )


def _review(requirement: Requirement, spec: DemoRequirement, members: dict[str, Membership], language: str) -> None:
    """Walk the requirement from draft to its demo status, each step by someone whose role may take it."""
    owner = members.get(spec.owner)
    for to_status, who in PATHS[spec.status]:
        membership = owner if who == "owner" and owner is not None else members[who]
        if who == "owner" and not membership.can("edit"):
            membership = members["it"]
        closing = to_status in (S.REJECTED, S.DEFERRED)
        requirement_transition(
            requirement=requirement,
            to_status=to_status,
            membership=membership,
            comment=spec.comment(language) if closing and spec.comment else "",
        )


def _texts(text: DemoText) -> list[str]:
    """Both languages: the goals and processes may have been built in the other language first."""
    return [text.en, text.zh]


def _goals(project: Project, indexes: tuple[int, ...]) -> list[Goal]:
    goals = []
    for index in indexes:
        goal = project.goals.filter(statement__in=_texts(GOALS[index].statement)).first()
        if goal is not None:
            goals.append(goal)
    return goals


def _kpis(project: Project, refs: tuple[tuple[int, int], ...]) -> list[KPI]:
    kpis = []
    for goal_index, kpi_index in refs:
        demo_kpi = GOALS[goal_index].kpis[kpi_index]
        candidates = KPI.objects.filter(goal__project=project, goal__statement__in=_texts(GOALS[goal_index].statement))
        if demo_kpi.library_key:
            candidates = candidates.filter(library_key=demo_kpi.library_key)
        elif demo_kpi.name:
            candidates = candidates.filter(name__in=_texts(demo_kpi.name))
        kpi = candidates.first()
        if kpi is not None:
            kpis.append(kpi)
    return kpis


def _findings(project: Project, demo_findings: tuple[DemoFinding, ...]) -> list[Finding]:
    findings = []
    for demo_finding in demo_findings:
        finding = (
            Finding.objects.filter(step__process__project=project, description__in=_texts(demo_finding.description))
            .order_by("pk")
            .first()
        )
        if finding is not None:
            findings.append(finding)
    return findings


def requirements_by_ref(project: Project) -> dict[str, Requirement]:
    """The project's demo requirements by their ref in REQUIREMENTS, found by catalogue key or by title in either
    language (so other apps' demo builders can link to them whatever the seed language)."""
    by_catalogue, by_title = {}, {}
    for requirement in project.requirements.all():
        if requirement.catalogue_key:
            by_catalogue.setdefault(requirement.catalogue_key, requirement)
        by_title.setdefault(requirement.title, requirement)
    found = {}
    for spec in REQUIREMENTS:
        if spec.catalogue:
            requirement = by_catalogue.get(spec.catalogue)
        elif spec.title is not None:
            requirement = by_title.get(spec.title.en) or by_title.get(spec.title.zh)
        else:
            requirement = None
        if requirement is not None:
            found[spec.ref] = requirement
    return found
