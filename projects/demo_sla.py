"""The demo's life after go-live: business calendars, service levels, incidents and the hypercare exit.

The retail chain (RETAIL) is still months before its go-live, so it cannot have incidents yet (an incident cannot be
opened in the future) nor KPI figures from after go-live. It gets what is agreed before go-live: the two business
calendars the SLA clocks run on, "Office hours (China)" (Monday to Friday 09:00–12:00 and 13:00–18:00, Chinese
public holidays, make-up working days with Monday's hours) and "24×7", and the service levels of the vendor the
comparison ranks first. `projects` does not import the comparison: that vendor is the one whose implementation
consultant (the demo user "vendor") answers in the vendor portal, the vendor the selection demo recommends.

A second project, the distribution centre (DC), shows what happens after go-live, on fixed dates:

- It went live on Saturday 12 September 2026 with a direct cutover; hypercare lasted six weeks, until Saturday
  23 October, with the exit judged over the last 14 days at a 90 % threshold.
- The same vendor promises on its calendars: critical 0.5 h to respond and 4 h to resolve around the clock; major
  2 h / 16 h, minor 8 h / 40 h, trivial 16 h / 80 h in office hours.
- 25 incidents, 8 in the first week and fewer every week after (6, 4, 3, 2, 2). Most were resolved and closed;
  five breached their SLA: a critical one (shipping labels) resolved after 6 h on 24×7, a major one (opening
  balances) answered 15 minutes late, a minor one (customer returns) resolved late across the Mid-Autumn holiday,
  and two low-priority ones still open since before the holiday. One waits for the customer. INC-017, the
  September stock valuation, was opened on Wednesday 30 September at 16:30, slept through the National Day holiday
  (1 to 7 October), waited a day for finance and was resolved on the make-up working Saturday 10 October: 11.5
  business hours of its 16.
- At the end of hypercare the exit criteria are met: no critical incident open; of the incidents opened in the last
  14 days, every one decided met both targets (the one waiting is not decided); 4 were opened in those 14 days
  against 7 in the 14 before. The demo recommends leaving hypercare.
- Three goals with monthly KPI measurements from May to November 2026: record accuracy reached its target, the
  order-to-ship time is on track, the month-end close lags behind.

Everything is written through the services with the times it happened. Building twice adds nothing; building in
the other language rewrites the demo's texts in place (items a user renamed are left alone).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext_noop

from projects.demo_goals import DemoText
from projects.models import (
    BusinessCalendar,
    CalendarDay,
    CutoverPlan,
    Incident,
    IncidentChange,
    Membership,
    Project,
    ServiceLevel,
)
from projects.services import goals as goal_services
from projects.services import golive as golive_services
from projects.services import sla as sla_services
from workbench.locking import save_versioned

T = DemoText
SHANGHAI = ZoneInfo("Asia/Shanghai")
LEAD = "lead"
VENDOR_USER = "vendor"  # the implementation consultant of the vendor the comparison recommends

# Calendars and service levels -----------------------------------------------------------------------------------

OFFICE, ALWAYS = "office", "always"
OFFICE_HOURS = "09:00-12:00, 13:00-18:00"


@dataclass(frozen=True)
class DemoCalendar:
    key: str
    name: DemoText
    fields: dict


CALENDARS = (
    DemoCalendar(
        OFFICE,
        T("Office hours (China)", "办公时间（中国）"),
        {
            "timezone": "Asia/Shanghai",
            "country": "CN",
            "always": False,
            **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), OFFICE_HOURS),
            "sat": "",
            "sun": "",
            "makeup_weekday": 0,
        },
    ),
    DemoCalendar(
        ALWAYS,
        T("24×7", "7×24 小时"),
        {
            "timezone": "Asia/Shanghai",
            "country": "",
            "always": True,
            **dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00-24:00"),
            "makeup_weekday": 0,
        },
    ),
)
# severity → (response hours, resolution hours, calendar)
LEVELS = {
    "critical": ("0.5", "4", ALWAYS),
    "major": ("2", "16", OFFICE),
    "minor": ("8", "40", OFFICE),
    "trivial": ("16", "80", OFFICE),
}
# The distribution centre closes for its annual stock-take: a day of the office calendar's own.
STOCK_TAKE = (date(2026, 12, 31), T("Annual stock-take at the distribution centre", "配送中心年度盘点"))

# The distribution centre ------------------------------------------------------------------------------------------

DC_CODE = "DC"
GO_LIVE = date(2026, 9, 12)  # a Saturday
HYPERCARE_UNTIL = date(2026, 10, 23)  # six weeks: the last day is the Friday of the sixth week
EXIT_DAYS = 14
EXIT_THRESHOLD = Decimal("90.0")

DC_TEXT = {
    "name": T("Distribution centre — phase 1", "配送中心一期上线"),
    "legacy_system": T("Single-machine inventory software (desktop edition)", "单机版进销存软件"),
    "description": T(
        "Phase 1 of the upgrade moved the central distribution centre onto the new platform: receiving, put-away, "
        "picking and shipping to the stores and to wholesale customers, with their sales orders and invoices.\n\n"
        "It went live on **Saturday 12 September 2026** with a direct cutover. Six weeks of hypercare with the "
        "vendor's support desk ended on 23 October. This project shows life after go-live: incidents measured "
        "against the vendor's service levels, SLA compliance, the hypercare exit and whether the goals are being "
        "reached.",
        "升级项目的第一期把中央配送中心切换到了新平台：收货、上架、拣货，以及向门店和批发客户发货，"
        "连同相关的销售订单和发票。\n\n"
        "配送中心于 **2026 年 9 月 12 日（星期六）**采用直接切换方式上线。由供应商支持台参与的六周上线支持期"
        "已于 10 月 23 日结束。本项目展示上线之后的情况：按供应商服务级别衡量的事件、SLA 达标率、"
        "上线支持期退出判断，以及各项目标的达成情况。",
    ),
}

VENDOR = {
    "name": T("Yunshang Technology", "云商科技"),
    "website": "https://yunshang-cloud.example.com",
    "contacts": T(
        "Support desk: 400-555-0123, support@yunshang-cloud.example.com (24×7 for critical incidents)\n"
        "Implementation consultant: Zhou Min, 0571-5550 2230, zhou.min@yunshang-cloud.example.com",
        "支持台：400-555-0123，support@yunshang-cloud.example.com（严重事件 7×24 小时受理）\n"
        "实施顾问：周敏，0571-5550 2230，zhou.min@yunshang-cloud.example.com",
    ),
    "notes": T(
        "Runs the distribution centre on its omnichannel retail cloud since 12 September 2026. Incidents go to its "
        "support desk; the service levels are those of the subscription contract.",
        "自 2026 年 9 月 12 日起，配送中心运行在其全渠道零售云上。事件提交给其支持台；服务级别以订阅合同为准。",
    ),
}


@dataclass(frozen=True)
class DemoKPI:
    library_key: str
    name: DemoText
    unit: DemoText
    direction: str
    baseline: str
    target: str
    values: tuple[str, ...]  # at MEASURED
    source: DemoText


@dataclass(frozen=True)
class DemoGoal:
    statement: DemoText
    owner: str
    kpi: DemoKPI


DRIVER = (
    "functional_gap",
    4,
    T(
        "The distribution centre counts, picks and invoices on paper and keys it all in twice",
        "配送中心的盘点、拣货和开票都在纸上完成，再重复录入系统",
    ),
    T(
        "From May to August stock records matched the shelves in 92 % of counted bins; an order took 30 hours on "
        "average from receipt to shipment, and finance needed six working days to close the month.",
        "5 月至 8 月，盘点库位中账实相符的只有 92%；订单从接单到发货平均需要 30 小时；财务月结需要 6 个工作日。",
    ),
)
BASELINE_DATE = date(2026, 8, 31)  # the last month before go-live
GOALS_DUE = date(2027, 3, 31)
# Month ends from May to October, and November so far.
MEASURED = (
    date(2026, 5, 31),
    date(2026, 6, 30),
    date(2026, 7, 31),
    date(2026, 8, 31),
    date(2026, 9, 30),
    date(2026, 10, 31),
    date(2026, 11, 25),
)
GOALS = (
    DemoGoal(
        T("Stock records match the shelves", "库存账实相符"),
        "warehouse",
        DemoKPI(
            "inventory_record_accuracy",
            T("Inventory record accuracy", "库存记录准确率"),
            T("%", "%"),
            "higher",
            "92",
            "99.5",
            ("92.3", "91.8", "92.1", "92.6", "96.4", "98.7", "99.6"),  # achieved
            T("cycle counts on the handhelds", "手持终端循环盘点"),
        ),
    ),
    DemoGoal(
        T("Orders ship the same day", "订单当天发货"),
        "sales",
        DemoKPI(
            "",
            T("Order-to-ship time", "订单到发货时长"),
            T("hours", "小时"),
            "lower",
            "30",
            "8",
            ("31", "29.5", "30.5", "30", "21", "15", "12"),  # on track
            T("order system: order received to shipment confirmed", "订单系统：接单到发货确认"),
        ),
    ),
    DemoGoal(
        T("Month-end closes faster", "月结提速"),
        "finance",
        DemoKPI(
            "month_end_close_days",
            T("Month-end close", "月结天数"),
            T("working days", "个工作日"),
            "lower",
            "6",
            "2",
            ("6", "6", "6.5", "6", "7", "5.5", "5"),  # lagging: the go-live month was harder
            T("finance close calendar", "财务月结日历"),
        ),
    ),
)
ORDER_TO_SHIP_FORMULA = T(
    "Average hours from the moment an order is received until its shipment is confirmed.",
    "从接到订单到确认发货的平均小时数。",
)

# Incidents ----------------------------------------------------------------------------------------------------------

S = Incident.Status
REPORTER = ""  # a move made by the incident's reporter (closing it once the fix is confirmed)


@dataclass(frozen=True)
class Move:
    status: str
    at: str  # "YYYY-MM-DD HH:MM" in Shanghai
    note: DemoText | None = None
    by: str = VENDOR_USER


@dataclass(frozen=True)
class DemoIncident:
    opened: str  # "YYYY-MM-DD HH:MM" in Shanghai
    severity: str
    reporter: str
    title: DemoText
    description: DemoText
    moves: tuple[Move, ...]
    assignee: str = VENDOR_USER


M, Inc = Move, DemoIncident
INCIDENTS = (
    # Week 1 (12–18 September): go-live weekend and the first week
    Inc(
        "2026-09-12 08:20",
        "critical",
        "warehouse",
        T("Shipping labels do not print: trucks cannot leave", "发货标签无法打印，货车无法发车"),
        T(
            "Since 08:00 the four label printers in the shipping bay receive empty jobs from the new platform. "
            "The first store deliveries are packed but cannot leave without labels.",
            "从 08:00 起，发货区的四台标签打印机从新平台收到的都是空白打印任务。首批门店配送已经装箱，"
            "但没有标签无法发车。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-12 08:35"),
            M(S.IN_PROGRESS, "2026-09-12 08:40"),
            M(
                S.RESOLVED,
                "2026-09-12 14:20",
                T(
                    "The 100×150 mm label template pointed at a printer driver that was not installed; template "
                    "replaced, all four printers print again. Labels were handwritten until then.",
                    "100×150 毫米标签模板指向了未安装的打印机驱动；已更换模板，四台打印机恢复打印。"
                    "在此之前标签为手写。",
                ),
            ),
            M(S.CLOSED, "2026-09-14 10:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-12 11:05",
        "major",
        "warehouse",
        T("Scanner app logs out during receiving", "收货时扫描枪应用自动退出登录"),
        T(
            "The receiving app on the handhelds logs the user out after about ten minutes, in the middle of a "
            "delivery. Scanned lines not yet saved are lost.",
            "手持终端上的收货应用大约十分钟就自动退出登录，往往正收到一半。尚未保存的扫描行会丢失。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-12 12:40"),
            M(S.IN_PROGRESS, "2026-09-12 13:00"),
            M(
                S.RESOLVED,
                "2026-09-14 11:30",
                T(
                    "Session timeout of the handheld profile raised from 10 minutes to 8 hours; unsaved lines are "
                    "now kept on the device.",
                    "手持终端配置的会话超时从 10 分钟调整为 8 小时；未保存的扫描行现在会保留在设备上。",
                ),
            ),
            M(S.CLOSED, "2026-09-15 09:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-12 15:30",
        "minor",
        "warehouse",
        T("Picking list prints in the wrong bin order", "拣货单库位顺序打印错误"),
        T(
            "Pick lists are sorted by item number instead of by bin, so pickers walk the aisles back and forth.",
            "拣货单按商品编码排序而不是按库位排序，拣货员只能在货架间来回折返。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-14 09:40"),
            M(S.IN_PROGRESS, "2026-09-14 10:00"),
            M(
                S.RESOLVED,
                "2026-09-16 16:00",
                T("Pick lists now follow the walking sequence of the bins.", "拣货单现已按库位行走顺序排列。"),
            ),
            M(S.CLOSED, "2026-09-17 09:30", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-13 10:15",
        "critical",
        "tester",
        T("Handhelds cannot post goods receipts (server error)", "手持终端无法过账收货（服务器错误）"),
        T(
            "Every goods receipt posted from a handheld ends with “server error 500”. Receiving has stopped; "
            "three suppliers' trucks are waiting at the dock.",
            "从手持终端过账的每一张收货单都报“服务器错误 500”。收货已经停止，三家供应商的货车在月台等候。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-13 10:30"),
            M(S.IN_PROGRESS, "2026-09-13 10:32"),
            M(
                S.RESOLVED,
                "2026-09-13 12:55",
                T(
                    "A batch-number rule loaded with the master data rejected empty batches; rule corrected, the "
                    "waiting receipts were posted.",
                    "随主数据导入的批次号规则不接受空批次；规则已修正，积压的收货单已全部过账。",
                ),
            ),
            M(S.CLOSED, "2026-09-14 09:10", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-14 09:30",
        "major",
        "sales",
        T("Price list not applied to wholesale customer", "批发客户未套用价格表"),
        T(
            "Orders of Huamei Supermarkets are priced at the retail price instead of their wholesale price list. "
            "Two orders were confirmed to the customer with the wrong prices.",
            "华美超市的订单按零售价计价，没有套用其批发价格表。已有两张订单以错误价格向客户确认。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-14 10:05"),
            M(S.IN_PROGRESS, "2026-09-14 10:30"),
            M(
                S.RESOLVED,
                "2026-09-15 15:00",
                T(
                    "The price list was migrated without its customer group; group assigned and the two orders "
                    "repriced.",
                    "价格表迁移时丢失了客户组；已重新分配客户组，两张订单已重新计价。",
                ),
            ),
            M(S.CLOSED, "2026-09-16 09:30", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-15 15:30",
        "major",
        "finance",
        T("Opening balances differ for two SKUs", "两个商品的期初余额不一致"),
        T(
            "The opening stock value of two SKUs differs from the signed snapshot of the old program by CNY "
            "18,420. The other 6,000 SKUs agree.",
            "有两个商品的期初库存金额与旧系统已签字的快照相差 18,420 元，其余 6,000 个商品均一致。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-15 17:45"),
            M(S.IN_PROGRESS, "2026-09-16 09:15"),
            M(
                S.RESOLVED,
                "2026-09-17 11:00",
                T(
                    "The two SKUs were loaded with the unit of the carton instead of the piece; quantities and "
                    "values corrected with an adjustment posting approved by finance.",
                    "这两个商品导入时用了箱的单位而不是件；已由财务批准调整过账，数量和金额均已更正。",
                ),
            ),
            M(S.CLOSED, "2026-09-18 10:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-16 10:20",
        "minor",
        "sales",
        T("Delivery note missing the customer's order number", "送货单上缺少客户订单号"),
        T(
            "Wholesale customers need their own order number on the delivery note to book the goods in.",
            "批发客户需要在送货单上看到自己的订单号才能办理入库。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-16 14:00"),
            M(S.IN_PROGRESS, "2026-09-17 09:30"),
            M(
                S.RESOLVED,
                "2026-09-18 17:00",
                T("Customer order number added to the delivery note layout.", "送货单模板已增加客户订单号。"),
            ),
            M(S.CLOSED, "2026-09-21 09:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-17 14:10",
        "trivial",
        "warehouse",
        T("Chinese product names cut off on the shelf labels", "货架标签上的中文品名显示不全"),
        T(
            "Names longer than twelve characters are cut off on the bin and shelf labels.",
            "超过十二个字的品名在库位和货架标签上显示不全。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-18 10:00"),
            M(S.IN_PROGRESS, "2026-09-21 09:30"),
            M(
                S.RESOLVED,
                "2026-09-23 16:30",
                T("Label font reduced and long names wrap onto two lines.", "已缩小标签字号，长品名改为两行显示。"),
            ),
            M(S.CLOSED, "2026-09-24 09:00", by=REPORTER),
        ),
    ),
    # Week 2 (19–25 September): Sunday 20 September is a make-up working day; Friday 25 is the Mid-Autumn holiday
    Inc(
        "2026-09-20 09:40",
        "major",
        "finance",
        T("Invoice sync to finance stops at 500 rows", "发票同步到财务时在第 500 行中断"),
        T(
            "The nightly transfer of sales invoices to the finance software stops after 500 rows; the rest of the "
            "day's invoices are missing in the ledger.",
            "每晚向财务软件传送销售发票时，传到第 500 行就停止，当天其余发票没有进入总账。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-20 10:50"),
            M(S.IN_PROGRESS, "2026-09-20 11:00"),
            M(
                S.RESOLVED,
                "2026-09-21 16:00",
                T(
                    "The interface now pages through all invoices; the missing 212 invoices of 18 and 19 September "
                    "were sent again.",
                    "接口现已分页传送全部发票；9 月 18 日和 19 日漏传的 212 张发票已重新发送。",
                ),
            ),
            M(S.CLOSED, "2026-09-22 10:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-21 11:20",
        "minor",
        "warehouse",
        T("Store transfer stays “in transit” after receipt", "门店收货后调拨单仍显示“在途”"),
        T(
            "Transfers received by the stores stay “in transit” in the distribution centre, so their stock is "
            "counted twice.",
            "门店已收货的调拨单在配送中心仍显示“在途”，库存因此被重复计算。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-21 13:30"),
            M(S.IN_PROGRESS, "2026-09-21 14:00"),
            M(
                S.WAITING,
                "2026-09-22 10:00",
                T(
                    "Please send the numbers of three affected transfers and the stores that received them.",
                    "请提供三张受影响调拨单的单号以及收货门店。",
                ),
            ),
            M(
                S.IN_PROGRESS,
                "2026-09-23 09:00",
                T("Transfer numbers sent by the warehouse.", "仓库已提供调拨单号。"),
                by=REPORTER,
            ),
            M(
                S.RESOLVED,
                "2026-09-24 17:30",
                T(
                    "Store receipts now close the transfer; 37 open transfers were closed by a correction run.",
                    "门店收货现在会关闭调拨单；37 张未关闭的调拨单已通过更正作业关闭。",
                ),
            ),
            M(S.CLOSED, "2026-09-28 09:30", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-22 09:50",
        "minor",
        "warehouse",
        T("Customer returns not booked to the quarantine location", "客户退货未入待检库位"),
        T(
            "Returned goods are booked straight back into saleable stock instead of the quarantine location, so "
            "damaged items can be picked again.",
            "客户退回的商品直接入了可售库存，而不是待检库位，破损商品可能再次被拣货发出。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-22 10:30"),
            M(S.IN_PROGRESS, "2026-09-22 10:45"),
            M(
                S.RESOLVED,
                "2026-09-30 17:00",
                T(
                    "Return orders now receive into the quarantine location; the fix needed a release of the "
                    "vendor's returns module.",
                    "退货单现在收货到待检库位；该修复需要供应商发布退货模块的新版本。",
                ),
            ),
            M(S.CLOSED, "2026-10-08 10:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-23 16:40",
        "trivial",
        "it",
        T("Dashboard tiles show quantities without a unit", "看板磁贴上的数量没有单位"),
        T(
            "The warehouse dashboard shows “1,250” without saying whether these are pieces or cartons.",
            "仓库看板只显示“1,250”，看不出是件还是箱。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-24 09:20"),
            M(S.IN_PROGRESS, "2026-09-28 10:00"),
            M(S.RESOLVED, "2026-10-09 15:00", T("Units added to every tile.", "每个磁贴都已加上单位。")),
            M(S.CLOSED, "2026-10-12 09:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-24 08:30",
        "critical",
        "sales",
        T("Online orders not reaching the warehouse", "网店订单未下发到仓库"),
        T(
            "No online-shop order has reached the distribution centre since 06:00; 140 orders are waiting and the "
            "morning trucks leave at 11:00.",
            "从 06:00 起没有任何网店订单下发到配送中心；已有 140 张订单积压，上午的货车 11:00 发车。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-24 08:45"),
            M(S.IN_PROGRESS, "2026-09-24 08:50"),
            M(
                S.RESOLVED,
                "2026-09-24 11:40",
                T(
                    "The shop connector's access token had expired; renewed and the token is now renewed "
                    "automatically. The 140 orders were released and shipped with the afternoon trucks.",
                    "网店接口的访问令牌已过期；已更新，并改为自动续期。积压的 140 张订单已下发，随下午的货车发出。",
                ),
            ),
            M(S.CLOSED, "2026-09-24 15:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-09-24 14:00",
        "major",
        "warehouse",
        T("Batch numbers lost when goods are put away", "上架时批次号丢失"),
        T(
            "Goods received with batch numbers lose them when they are put away, so best-before dates cannot be "
            "followed in the bins.",
            "带批次号收货的商品上架后批次号丢失，库位中无法跟踪保质期。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-24 15:10"),
            M(S.IN_PROGRESS, "2026-09-24 15:30"),
            M(
                S.RESOLVED,
                "2026-09-28 14:30",
                T("Put-away now carries the batch; 64 bins were corrected.", "上架现已带上批次号；64 个库位已更正。"),
            ),
            M(S.CLOSED, "2026-09-29 09:00", by=REPORTER),
        ),
    ),
    # Week 3 (26 September – 2 October): month-end, then the National Day holiday (1–7 October)
    Inc(
        "2026-09-28 10:10",
        "minor",
        "warehouse",
        T("Cycle count list not sorted by walking route", "循环盘点清单未按行走路线排序"),
        T(
            "The cycle count list follows the item numbers, like the pick lists did before their fix.",
            "循环盘点清单按商品编码排序，和拣货单修复之前一样。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-28 11:30"),
            M(
                S.IN_PROGRESS,
                "2026-09-29 09:30",
                T(
                    "Needs a change to the counting app; planned for the vendor's November release.",
                    "需要修改盘点应用；计划随供应商 11 月的版本发布。",
                ),
            ),
        ),
    ),
    Inc(
        "2026-09-29 09:15",
        "trivial",
        "warehouse",
        T("Weight column on the packing list shows three decimals", "装箱单重量栏显示三位小数"),
        T(
            "The packing list shows weights as “12.500 kg”; the carriers expect one decimal.",
            "装箱单上的重量显示为“12.500 kg”，承运商要求一位小数。",
        ),
        (M(S.ACKNOWLEDGED, "2026-09-29 11:00"),),
    ),
    Inc(
        "2026-09-30 16:30",
        "major",
        "finance",
        T("September stock valuation job fails", "9 月月末存货计价作业运行失败"),
        T(
            "The month-end valuation of September stops with “negative stock on valuation date”. Finance cannot "
            "close September until it runs.",
            "9 月的月末存货计价作业报“计价日存在负库存”后停止。计价完成之前，财务无法关闭 9 月的账期。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-09-30 17:10"),
            M(S.IN_PROGRESS, "2026-10-08 09:30"),
            M(
                S.WAITING,
                "2026-10-08 15:00",
                T(
                    "Please confirm the list of 9 items that had negative stock on 30 September and how they "
                    "should be valued.",
                    "请确认 9 月 30 日出现负库存的 9 个商品清单，以及它们应如何计价。",
                ),
            ),
            M(
                S.IN_PROGRESS,
                "2026-10-09 15:30",
                T(
                    "Finance confirmed the list: value at the last purchase price.",
                    "财务已确认清单：按最近采购价计价。",
                ),
                by=REPORTER,
            ),
            M(
                S.RESOLVED,
                "2026-10-10 11:30",
                T(
                    "Valuation rerun on the make-up working Saturday; September can be closed.",
                    "已在调休上班的星期六重新运行计价，9 月可以关账。",
                ),
            ),
            M(S.CLOSED, "2026-10-12 10:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-10-02 07:50",
        "critical",
        "warehouse",
        T("Wave picking stuck: no pick lists released", "波次拣货卡住，无法下发拣货单"),
        T(
            "The holiday morning wave does not release any pick list; the holiday orders for the stores cannot be "
            "picked.",
            "节日早班的拣货波次没有下发任何拣货单，门店的节日订单无法拣货。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-02 08:10"),
            M(S.IN_PROGRESS, "2026-10-02 08:12"),
            M(
                S.RESOLVED,
                "2026-10-02 10:45",
                T(
                    "A wave was locked by a crashed job; lock released and the job restarts itself now.",
                    "一个异常中断的作业锁住了波次；已释放锁定，作业现在会自动重启。",
                ),
            ),
            M(S.CLOSED, "2026-10-08 09:00", by=REPORTER),
        ),
    ),
    # Week 4 (3–9 October)
    Inc(
        "2026-10-04 20:30",
        "major",
        "sales",
        T("Customer credit check blocks paid orders", "已付款订单被客户信用检查拦截"),
        T(
            "Wholesale orders paid in advance are blocked by the credit check as if they were on credit.",
            "预付款的批发订单被信用检查拦截，好像是赊销订单一样。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-05 09:00"),
            M(S.IN_PROGRESS, "2026-10-05 09:10"),
            M(
                S.RESOLVED,
                "2026-10-05 16:00",
                T(
                    "Prepayments now count towards the credit limit; fixed by the on-call consultant during the "
                    "holiday.",
                    "预付款现在计入信用额度；由值班顾问在假期中修复。",
                ),
            ),
            M(S.CLOSED, "2026-10-08 11:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-10-08 10:00",
        "minor",
        "procurement",
        T("Supplier returns print without the reason code", "供应商退货单打印时缺少退货原因"),
        T(
            "The return note to the supplier does not show why the goods go back.",
            "退给供应商的退货单上没有显示退货原因。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-08 11:00"),
            M(S.IN_PROGRESS, "2026-10-08 13:00"),
            M(S.RESOLVED, "2026-10-12 17:00", T("Reason code added to the layout.", "退货单模板已增加退货原因。")),
            M(S.CLOSED, "2026-10-13 09:30", by=REPORTER),
        ),
    ),
    Inc(
        "2026-10-09 14:20",
        "trivial",
        "sales",
        T("Customer search ignores pinyin initials", "客户搜索不支持拼音首字母"),
        T(
            "Searching “hmcs” does not find 华美超市, as the old program did.",
            "输入“hmcs”搜不到“华美超市”，旧系统是可以的。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-09 16:00"),
            M(S.IN_PROGRESS, "2026-10-12 09:30"),
            M(
                S.RESOLVED,
                "2026-10-16 11:00",
                T("Pinyin search switched on for customers.", "已为客户启用拼音搜索。"),
            ),
            M(S.CLOSED, "2026-10-19 09:00", by=REPORTER),
        ),
    ),
    # Week 5 (10–16 October)
    Inc(
        "2026-10-13 10:30",
        "minor",
        "procurement",
        T("Replenishment suggestion ignores open transfers", "补货建议未考虑在途调拨"),
        T(
            "The replenishment suggestion orders goods that are already on their way from another warehouse.",
            "补货建议会采购已经从其他仓库调拨在途的商品。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-13 11:15"),
            M(S.IN_PROGRESS, "2026-10-13 13:30"),
            M(
                S.RESOLVED,
                "2026-10-15 15:00",
                T("Open transfers now count as incoming stock.", "在途调拨现在计入预计入库。"),
            ),
            M(S.CLOSED, "2026-10-16 09:00", by=REPORTER),
        ),
    ),
    Inc(
        "2026-10-15 09:20",
        "major",
        "sales",
        T("Freight charges missing on the sales invoice", "销售发票上缺少运费"),
        T(
            "Freight agreed on the order does not reach the invoice; customers are invoiced too little.",
            "订单上约定的运费没有带到发票上，向客户少开了票。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-15 10:00"),
            M(S.IN_PROGRESS, "2026-10-15 10:10"),
            M(
                S.RESOLVED,
                "2026-10-16 11:30",
                T(
                    "Freight lines are now copied to the invoice; 11 invoices were corrected.",
                    "运费行现在会带到发票上；11 张发票已更正。",
                ),
            ),
            M(S.CLOSED, "2026-10-19 10:00", by=REPORTER),
        ),
    ),
    # Week 6 (17–23 October)
    Inc(
        "2026-10-19 14:00",
        "minor",
        "warehouse",
        T("Bin capacity warning appears for empty bins", "空库位也提示库位容量不足"),
        T(
            "Put-away warns that the bin is full although it is empty.",
            "上架时提示库位已满，但库位其实是空的。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-19 15:20"),
            M(S.IN_PROGRESS, "2026-10-20 09:30"),
            M(
                S.WAITING,
                "2026-10-21 11:00",
                T(
                    "The warning does not come up on our side: please send a screenshot and the bin codes.",
                    "我们这边无法重现该提示：请提供截图和库位编码。",
                ),
            ),
        ),
    ),
    Inc(
        "2026-10-21 10:00",
        "trivial",
        "sales",
        T("Wrong icon for partly shipped orders", "“部分发货”订单的图标有误"),
        T(
            "Partly shipped orders show the “shipped” icon in the order list.",
            "订单列表中部分发货的订单显示为“已发货”的图标。",
        ),
        (
            M(S.ACKNOWLEDGED, "2026-10-21 11:30"),
            M(S.IN_PROGRESS, "2026-10-22 09:00"),
            M(
                S.RESOLVED,
                "2026-10-23 16:00",
                T("Icon corrected; please confirm and close.", "图标已更正；请确认后关闭。"),
            ),
        ),
    ),
)

# Building -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def build_sla_demo(*, project: Project, language: str) -> Project:
    """Add the SLA setup to the retail demo and build (or refresh) the distribution centre; returns the DC project."""
    with translation.override(language):
        retail_members = _members(project)
        lead = retail_members[LEAD].user if LEAD in retail_members else None
        calendars = _calendars(project, language, lead)
        vendor = _recommended_vendor(project)
        if vendor is not None:
            _service_levels(project, vendor, calendars, lead)
        return build_dc_demo(language=language)


@transaction.atomic
def build_dc_demo(*, language: str) -> Project:
    """Create or refresh the distribution centre that went live on 12 September 2026; returns it."""
    from projects.demo import demo_team  # projects.demo imports this module

    with translation.override(language):
        project = _dc_project(language)
        demo_team(project, language)
        members = _members(project)
        lead = members[LEAD].user
        _plan(project, members)
        calendars = _calendars(project, language, lead)
        _stock_take(calendars[OFFICE], language)
        vendor = _dc_vendor(project, members, language)
        _service_levels(project, vendor, calendars, lead)
        _goals(project, members, language)
        _incidents(project, vendor, members, language)
        return project


def _members(project: Project) -> dict[str, Membership]:
    return {m.user.username: m for m in project.memberships.select_related("user")}


def _changed(obj: Model, wanted: dict) -> bool:
    return any(getattr(obj, key) != value for key, value in wanted.items())


def _update(obj, wanted: dict, user=None) -> None:
    """Save the wanted values on a versioned record when they differ (history by `user`)."""
    if not _changed(obj, wanted):
        return
    for key, value in wanted.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj._history_user = user
    save_versioned(obj, expected_version=obj.version)


def _texts(text: DemoText) -> list[str]:
    return [text.en, text.zh]


def _calendars(project: Project, language: str, user) -> dict[str, BusinessCalendar]:
    """The two calendars, found by their name in either language (renamed to the language); created if missing."""
    found = {}
    for spec in CALENDARS:
        calendar = project.calendars.filter(name__in=_texts(spec.name)).order_by("pk").first()
        if calendar is None:
            calendar = BusinessCalendar(project=project, name=spec.name(language), **spec.fields)
            calendar.full_clean()
            calendar._history_user = user
            calendar.save()
        else:
            _update(calendar, {"name": spec.name(language)}, user)
        found[spec.key] = calendar
    return found


def _stock_take(calendar: BusinessCalendar, language: str) -> None:
    day, reason = STOCK_TAKE
    existing = calendar.days.filter(date=day).first()
    if existing is None:
        CalendarDay.objects.create(calendar=calendar, date=day, kind=CalendarDay.Kind.CLOSED, reason=reason(language))
    elif existing.reason in _texts(reason) and existing.reason != reason(language):
        existing.reason = reason(language)
        existing.save(update_fields=["reason", "updated_at"])


def _recommended_vendor(project: Project) -> Model | None:
    """The vendor the selection demo recommends: the one the demo's vendor consultant answers for in the portal."""
    vendor_model = apps.get_model("requirements", "Vendor")
    return (
        vendor_model.objects.filter(project=project, portal_members__user__username=VENDOR_USER).order_by("pk").first()
    )


def _service_levels(project: Project, vendor: Model, calendars: dict[str, BusinessCalendar], user) -> None:
    taken = set(ServiceLevel.objects.filter(project=project, vendor=vendor).values_list("severity", flat=True))
    for severity, (response, resolution, calendar) in LEVELS.items():
        if severity in taken:
            continue
        sla_services.service_level_save(
            ServiceLevel(
                project=project,
                vendor=vendor,
                severity=severity,
                response_hours=Decimal(response),
                resolution_hours=Decimal(resolution),
                calendar=calendars[calendar],
            ),
            user=user,
        )


def _dc_project(language: str) -> Project:
    fields = {
        "name": DC_TEXT["name"](language),
        "legacy_system": DC_TEXT["legacy_system"](language),
        "description": DC_TEXT["description"](language),
        "target_go_live": GO_LIVE,
        "phase": Project.Phase.HYPERCARE,  # no "live" phase: hypercare until someone closes the project
    }
    project = Project.objects.filter(code=DC_CODE).first()
    if project is None:
        project = Project(code=DC_CODE, **fields)
        project._change_reason = gettext_noop("demo project created")
        project.save()
    elif _changed(project, fields):
        for key, value in fields.items():
            setattr(project, key, value)
        project.version += 1
        project.save()
    return project


def _plan(project: Project, members: dict[str, Membership]) -> None:
    plan = golive_services.plan_for(project)
    wanted = {
        "strategy": CutoverPlan.Strategy.DIRECT,
        "go_live_date": GO_LIVE,
        "hypercare_until": HYPERCARE_UNTIL,
        "hypercare_exit_days": EXIT_DAYS,
        "hypercare_exit_threshold": EXIT_THRESHOLD,
        "decider": members[LEAD],
    }
    if _changed(plan, wanted):
        golive_services.plan_update(plan=plan, expected_version=plan.version, user=members[LEAD].user, **wanted)


def _dc_vendor(project: Project, members: dict[str, Membership], language: str) -> Model:
    vendor_model = apps.get_model("requirements", "Vendor")
    wanted = {key: VENDOR[key](language) for key in ("name", "contacts", "notes")}
    lead = members[LEAD].user
    vendor = vendor_model.objects.filter(project=project, website=VENDOR["website"]).order_by("pk").first()
    if vendor is None:
        vendor = vendor_model(project=project, website=VENDOR["website"], **wanted)
        vendor.full_clean()
        vendor._history_user = lead
        vendor.save()
        vendor.portal_members.add(members[VENDOR_USER])
    elif vendor.name in _texts(VENDOR["name"]):
        _update(vendor, wanted, lead)
    return vendor


def _kpi_fields(spec: DemoKPI, language: str) -> dict:
    """The KPI's texts in the language: a library KPI keeps the library's formula, named as the demo names it."""
    if spec.library_key:
        fields = goal_services.library_defaults(spec.library_key)
    else:
        fields = {"formula": ORDER_TO_SHIP_FORMULA(language), "direction": spec.direction, "frequency": "monthly"}
    fields.update(name=spec.name(language), unit=spec.unit(language), source_system=spec.source(language))
    return fields


def _goals(project: Project, members: dict[str, Membership], language: str) -> None:
    category, severity, statement, evidence = DRIVER
    if not project.goals.exists() and not project.drivers.exists():
        driver = goal_services.driver_create(
            project=project,
            category=category,
            severity=severity,
            statement=statement(language),
            evidence=evidence(language),
        )
        for spec in GOALS:
            goal = goal_services.goal_create(
                project=project,
                statement=spec.statement(language),
                owner=members[spec.owner],
                due=GOALS_DUE,
                drivers=[driver],
            )
            fields = _kpi_fields(spec.kpi, language)
            fields.update(
                direction=spec.kpi.direction,
                baseline=Decimal(spec.kpi.baseline),
                target=Decimal(spec.kpi.target),
                baseline_date=BASELINE_DATE,
            )
            kpi = goal_services.kpi_create(goal=goal, library_key=spec.kpi.library_key, **fields)
            for day, value in zip(MEASURED, spec.kpi.values, strict=True):
                goal_services.measurement_create(kpi=kpi, date=day, value=Decimal(value))
        return
    # Built before: only the texts follow the language, for the driver, goals and KPIs still as the demo wrote them.
    driver = project.drivers.filter(statement__in=_texts(statement)).order_by("pk").first()
    if driver is not None and driver.statement != statement(language):
        wanted = {"statement": statement(language)}
        if driver.evidence in _texts(evidence):
            wanted["evidence"] = evidence(language)
        goal_services.driver_update(driver=driver, expected_version=driver.version, **wanted)
    for spec in GOALS:
        goal = project.goals.filter(statement__in=_texts(spec.statement)).order_by("pk").first()
        if goal is None:
            continue
        if goal.statement != spec.statement(language):
            goal_services.goal_update(goal=goal, expected_version=goal.version, statement=spec.statement(language))
        kpi = goal.kpis.filter(name__in=_texts(spec.kpi.name)).order_by("pk").first()
        if kpi is None:
            continue
        wanted = {
            k: v
            for k, v in _kpi_fields(spec.kpi, language).items()
            if k in ("name", "unit", "formula", "source_system")
        }
        if _changed(kpi, wanted):
            goal_services.kpi_update(kpi=kpi, expected_version=kpi.version, **wanted)


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def _external_ref(index: int, spec: DemoIncident) -> str:
    """The vendor's ticket number: what the demo recognises its incidents by, in any language."""
    return f"YS-{_at(spec.opened):%y%m%d}-{index:02d}"


def _incidents(project: Project, vendor: Model, members: dict[str, Membership], language: str) -> None:
    if not project.incidents.exists():
        for index, spec in enumerate(INCIDENTS, start=1):
            reporter = members[spec.reporter]
            incident = sla_services.incident_create(
                project=project,
                title=spec.title(language),
                opened_at=_at(spec.opened),
                user=reporter.user,
                description=spec.description(language),
                severity=spec.severity,
                vendor=vendor,
                reporter=reporter,
                assignee=members[spec.assignee],
                external_ref=_external_ref(index, spec),
            )
            for move in spec.moves:
                by = reporter if move.by == REPORTER else members[move.by]
                sla_services.incident_move(
                    incident=incident,
                    status=move.status,
                    at=_at(move.at),
                    note=move.note(language) if move.note else "",
                    user=by.user,
                )
        return
    # Built before: the titles, descriptions and notes follow the language, where the demo's own text is still there.
    incidents = {i.external_ref: i for i in project.incidents.exclude(external_ref="")}
    notes = {}
    for change in IncidentChange.objects.filter(incident__project=project).exclude(status=S.NEW).order_by("at", "pk"):
        notes.setdefault(change.incident_id, []).append(change)
    for index, spec in enumerate(INCIDENTS, start=1):
        incident = incidents.get(_external_ref(index, spec))
        if incident is None:
            continue
        wanted = {}
        if incident.title in _texts(spec.title):
            wanted["title"] = spec.title(language)
        if incident.description in _texts(spec.description):
            wanted["description"] = spec.description(language)
        if _changed(incident, wanted):
            sla_services.incident_update(
                incident=incident, expected_version=incident.version, user=members[LEAD].user, **wanted
            )
        for change, move in zip(notes.get(incident.pk, []), spec.moves, strict=False):
            if move.note and change.note in _texts(move.note) and change.note != move.note(language):
                IncidentChange.objects.filter(pk=change.pk).update(note=move.note(language))
