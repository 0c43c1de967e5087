"""The demo's vendor comparison: three offers for the retail chain, weighed, scored, gap-checked and demonstrated.

The guide's market research names three kinds of 进销存 solution: traditional on-premise software, SaaS, and the
inventory module of a larger ERP suite. The demo asks one vendor of each for a proposal and a quote against
Baseline 1, and tells a story with some tension in it:

- Hengtai's on-premise package is the cheapest on paper and over five years, but it needs 74 days of customisation
  for the online shop and real-time stock and has no mobile counting of its own.
- Yunshang's SaaS leads on functionality and technology and wins the ranking; its one must-have gap is the hourly
  posting to finance. Its implementation consultant (the demo's vendor user) answers in the vendor portal.
- Huading's ERP module is the strongest company and the best fit for finance, but the dearest; if vendor viability
  weighed much more, it would take the lead — the sensitivity analysis shows where.

Everything is written through `requirements.selection`, as a user would; the summary and recommendation are filled
in from the finished comparison so their figures always agree with the data. Texts come in English and Chinese pairs.
Like the other demo builders it does nothing when the project already has vendors.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from projects.demo_goals import DemoText
from projects.demo_processes import CONSOLIDATION_NAME
from projects.models import Membership, Process, Project
from requirements import selection as svc
from requirements.comparison import Comparison, build_comparison, offer_label
from requirements.demo import requirements_by_ref
from requirements.models import Criterion, DemoScenario, Fit, Offer, QuoteLine, Requirement

K, G, LEVEL = QuoteLine.Kind, Criterion.Group, Fit.Level
ON_PREMISE, SAAS, ERP = "hengtai", "yunshang", "huading"
OFFERS = (ON_PREMISE, SAAS, ERP)  # the order of every per-offer tuple below
AGREED_BY = "lead"


# Vendors, offers and quotes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoQuoteLine:
    kind: str
    amount: int
    note: DemoText
    year_from: int = 1
    year_to: int | None = None


@dataclass(frozen=True)
class DemoVendor:
    ref: str
    name: DemoText
    website: str
    contacts: DemoText
    notes: DemoText
    product: DemoText
    deployment: str
    version: str
    offer_notes: DemoText
    quote: tuple[DemoQuoteLine, ...]
    entered_by: str  # who typed the quote in
    portal_member: str = ""  # the vendor-role user who answers for this vendor in the portal


VENDORS = [
    DemoVendor(
        ON_PREMISE,
        DemoText("Hengtai Software", "恒泰软件"),
        "https://hengtai-soft.example.com",
        DemoText(
            "Sales: Liu Jun, 021-5550 1101, liu.jun@hengtai-soft.example.com\n"
            "Project manager: Gao Lin, 021-5550 1120, gao.lin@hengtai-soft.example.com",
            "销售：刘军，021-5550 1101，liu.jun@hengtai-soft.example.com\n"
            "项目经理：高琳，021-5550 1120，gao.lin@hengtai-soft.example.com",
        ),
        DemoText(
            "A regional software house with about 120 staff that has sold desktop and server inventory software to "
            "wholesalers and shops for twenty years. **Strong on warehouse and purchasing**, weaker on the online "
            "shop. Several of our suppliers run its software.",
            "一家约 120 人的区域软件公司，二十年来一直向批发商和门店销售单机版及网络版进销存软件。"
            "**仓库和采购功能扎实**，网店相关功能较弱。我们的几家供应商都在用它的软件。",
        ),
        DemoText("Hengtai Retail Inventory Enterprise", "恒泰商业进销存企业版"),
        Offer.Deployment.ON_PREMISE,
        "9.2",
        DemoText(
            "Installed on two servers in the head-office server room; the stores connect through the company VPN. "
            "A perpetual licence for 60 named users, yearly maintenance from the second year.\n\n"
            "- The food edition brings batches and best-before dates.\n"
            "- The online shop connector and real-time stock for the shop have to be built (see fit-gap).\n"
            "- Mobile counting only through a partner's handheld app.",
            "部署在总部机房的两台服务器上，门店通过公司 VPN 接入。60 个用户的永久许可，第二年起按年支付维护费。\n\n"
            "- 食品版自带批次和保质期管理。\n"
            "- 网店接口和网店实时库存需要定制开发（见适配分析）。\n"
            "- 移动盘点只能通过合作伙伴的手持终端应用实现。",
        ),
        (
            DemoQuoteLine(K.LICENCE, 220_000, DemoText("Perpetual licence, 60 users", "永久许可，60 个用户")),
            DemoQuoteLine(
                K.IMPLEMENTATION, 120_000, DemoText("50 consultant days, fixed price", "50 个顾问人天，固定价格")
            ),
            DemoQuoteLine(
                K.DATA_MIGRATION,
                35_000,
                DemoText("Items, partners, open orders, stock", "商品、客户供应商、未结订单、库存"),
            ),
            DemoQuoteLine(
                K.TRAINING, 20_000, DemoText("Key users and store staff, on site", "关键用户和门店员工现场培训")
            ),
            DemoQuoteLine(
                K.HARDWARE,
                95_000,
                DemoText("Two servers, storage and backup appliance", "两台服务器、存储及备份一体机"),
            ),
            DemoQuoteLine(
                K.MAINTENANCE,
                39_600,
                DemoText("18 % of the licence a year: updates and hotline", "每年许可费的 18%：升级与热线支持"),
                year_from=2,
            ),
        ),
        entered_by="it",
    ),
    DemoVendor(
        SAAS,
        DemoText("Yunshang Technology", "云商科技"),
        "https://yunshang-cloud.example.com",
        DemoText(
            "Account manager: He Xin, 0571-5550 2201, he.xin@yunshang-cloud.example.com\n"
            "Implementation consultant: Zhou Min, 0571-5550 2230, zhou.min@yunshang-cloud.example.com",
            "客户经理：何欣，0571-5550 2201，he.xin@yunshang-cloud.example.com\n"
            "实施顾问：周敏，0571-5550 2230，zhou.min@yunshang-cloud.example.com",
        ),
        DemoText(
            "A cloud vendor founded in 2014 that serves some 3,000 retail and wholesale customers, most of them "
            "chains with fewer than 50 stores. Profitable for three years, backed by a listed software group. "
            "Its consultant Zhou Min answers our fit-gap questions in the vendor portal.",
            "成立于 2014 年的云服务商，服务约 3,000 家零售和批发客户，多为 50 家门店以内的连锁企业。"
            "已连续三年盈利，背后有一家上市软件集团。其实施顾问周敏在供应商门户中回答我们的适配问题。",
        ),
        DemoText("Yunshang Omnichannel Retail Cloud", "云商全渠道零售云"),
        Offer.Deployment.SAAS,
        "2026",
        DemoText(
            "Subscription for 60 users with the store till app, the mobile counting app and the online shop "
            "connector included. Runs in a mainland-China data centre (East China region), updated every month.\n\n"
            "- One stock figure for stores, online shop and warehouse out of the box.\n"
            "- Daily voucher export to our finance software; **hourly posting needs a custom job**.\n"
            "- The subscription price is fixed for three years, then at most 5 % more a year.",
            "订阅包含 60 个用户、门店收银应用、移动盘点应用和网店接口。运行在中国境内（华东区域）的数据中心，"
            "每月更新。\n\n"
            "- 门店、网店和仓库共用一个库存数，开箱即用。\n"
            "- 每日向财务软件导出凭证；**按小时过账需要定制任务**。\n"
            "- 订阅价格三年不变，之后每年涨幅不超过 5%。",
        ),
        (
            DemoQuoteLine(K.IMPLEMENTATION, 90_000, DemoText("Rapid start package, 8 weeks", "快速上线实施包，8 周")),
            DemoQuoteLine(
                K.DATA_MIGRATION, 30_000, DemoText("Import templates and two trial loads", "导入模板及两次试迁移")
            ),
            DemoQuoteLine(
                K.TRAINING, 15_000, DemoText("Online courses and two days on site", "在线课程加两天现场培训")
            ),
            DemoQuoteLine(
                K.SUBSCRIPTION,
                168_000,
                DemoText("60 users, tills and apps included, yearly in advance", "60 个用户，含收银和应用，按年预付"),
            ),
        ),
        entered_by="it",
        portal_member="vendor",
    ),
    DemoVendor(
        ERP,
        DemoText("Huading Software Group", "华鼎软件集团"),
        "https://huading-erp.example.com",
        DemoText(
            "Key account manager: Ma Rui, 021-5550 3301, ma.rui@huading-erp.example.com\n"
            "Solution architect: Qian Hao, 021-5550 3315, qian.hao@huading-erp.example.com",
            "大客户经理：马锐，021-5550 3301，ma.rui@huading-erp.example.com\n"
            "解决方案架构师：钱浩，021-5550 3315，qian.hao@huading-erp.example.com",
        ),
        DemoText(
            "A listed ERP vendor with more than 4,000 staff and a full suite: finance, supply chain, manufacturing, "
            "HR. Implemented through its own consulting arm or certified partners. **Financially the safest "
            "choice**; retail is not its core market.",
            "一家上市 ERP 厂商，员工 4,000 多人，产品覆盖财务、供应链、生产和人力资源。由自有咨询团队或认证伙伴实施。"
            "**财务实力最稳妥**，但零售并非其核心市场。",
        ),
        DemoText("Huading ERP Supply Chain", "华鼎 ERP 供应链模块"),
        Offer.Deployment.ERP_MODULE,
        "V8",
        DemoText(
            "The supply-chain module (purchasing, inventory, sales) of the Huading suite, with the suite's general "
            "ledger. Runs on our intranet or in Huading's private cloud in Shanghai.\n\n"
            "- Finance integration is the best of the three: sales post straight to the ledger.\n"
            "- Store tills and the online shop connect through certified partners.\n"
            "- The counting app must be adapted to our handhelds.",
            "华鼎套件中的供应链模块（采购、库存、销售），连同套件自带的总账。可部署在公司内网或华鼎上海私有云。\n\n"
            "- 业财一体化是三家中最好的：销售直接过账到总账。\n"
            "- 门店收银和网店通过认证合作伙伴对接。\n"
            "- 盘点应用需要针对我们的手持终端做适配。",
        ),
        (
            DemoQuoteLine(K.LICENCE, 380_000, DemoText("Module and ledger, 60 users", "供应链模块及总账，60 个用户")),
            DemoQuoteLine(
                K.IMPLEMENTATION, 240_000, DemoText("90 consultant days, time and material", "90 个顾问人天，按实结算")
            ),
            DemoQuoteLine(
                K.CUSTOMISATION,
                60_000,
                DemoText("Retail reports and store settlement screens", "零售报表和门店结算界面"),
            ),
            DemoQuoteLine(
                K.MAINTENANCE,
                68_400,
                DemoText("18 % of the licence a year: updates", "每年许可费的 18%：版本升级"),
                year_from=2,
            ),
            DemoQuoteLine(K.SUPPORT, 30_000, DemoText("Premium support, 8×5 hotline", "高级支持，5×8 小时热线")),
        ),
        entered_by="it",
    ),
]


# Knock-out conditions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoKnockOut:
    text: DemoText
    evidence: tuple[DemoText, DemoText, DemoText]  # per offer, in OFFERS order; all three pass


KNOCKOUTS = [
    DemoKnockOut(
        DemoText(
            "Runs on the company intranet or in a mainland-China cloud region",
            "可部署在公司内网，或运行在中国境内的云区域",
        ),
        (
            DemoText("Installed on our own servers in the head-office server room.", "安装在总部机房的自有服务器上。"),
            DemoText(
                "East China region; the data centre is named in the draft contract.",
                "华东区域，数据中心已写入合同草案。",
            ),
            DemoText("Our intranet, or Huading's private cloud in Shanghai.", "公司内网，或华鼎上海私有云。"),
        ),
    ),
    DemoKnockOut(
        DemoText("Tracks batches and best-before dates", "支持批次和保质期管理"),
        (
            DemoText("Food edition: batch and expiry on every movement.", "食品版：每笔库存变动都带批次和保质期。"),
            DemoText("Standard for food retailers; shown in the demo.", "食品零售标准功能，演示中已展示。"),
            DemoText("Standard batch management of the module.", "模块的标准批次管理功能。"),
        ),
    ),
    DemoKnockOut(
        DemoText("Posts to our finance software through a standard interface", "通过标准接口与公司财务软件集成"),
        (
            DemoText("Standard voucher interface for our finance software.", "提供对接我们财务软件的标准凭证接口。"),
            DemoText("Daily voucher export in our finance software's format.", "按我们财务软件的格式每日导出凭证。"),
            DemoText(
                "The suite's own ledger, or vouchers through its interface.", "使用套件自带总账，或通过接口传凭证。"
            ),
        ),
    ),
]


# Criteria, AHP judgements and scores ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCriterion:
    ref: str
    group: str
    weight: int  # functionality's split is replaced by its AHP weights; the group keeps its total
    name: DemoText
    description: DemoText
    agreed: tuple[int, int, int]  # per offer, in OFFERS order


CRITERIA = [
    DemoCriterion(
        "omnichannel",
        G.FUNCTIONALITY,
        10,
        DemoText("One stock and order flow for stores and online shop", "门店与网店一盘货、一套订单"),
        DemoText(
            "5: one stock figure and online orders reserve stock without customisation; 3: works with scheduled "
            "synchronisation; 1: stores and shop stay apart.",
            "5 分：无需定制即可共用一个库存数，网店订单自动预留；3 分：靠定时同步实现；1 分：门店与网店仍然分离。",
        ),
        (3, 5, 4),
    ),
    DemoCriterion(
        "batches",
        G.FUNCTIONALITY,
        10,
        DemoText("Batches, best-before dates and recalls", "批次、保质期与召回"),
        DemoText(
            "5: batch and expiry on every movement, FEFO picking and a recall list in one minute; "
            "1: batches only on receipt.",
            "5 分：每笔变动都带批次和保质期，先到期先出，一分钟内列出召回清单；1 分：只在入库时记录批次。",
        ),
        (4, 4, 5),
    ),
    DemoCriterion(
        "finance",
        G.FUNCTIONALITY,
        10,
        DemoText("Sales to finance and month-end close", "业财一体化与月结"),
        DemoText(
            "5: sales, returns and cost of goods sold post by themselves per store, channel and day; "
            "1: finance still re-keys totals.",
            "5 分：销售、退货和销售成本按门店、渠道和日期自动过账；1 分：财务仍需手工录入汇总数。",
        ),
        (3, 4, 5),
    ),
    DemoCriterion(
        "mobile",
        G.FUNCTIONALITY,
        10,
        DemoText("Mobile counting and reports on the phone", "移动盘点与手机报表"),
        DemoText(
            "5: its own app counts offline on phones and handhelds and managers read the morning report on the "
            "phone; 1: desktop only.",
            "5 分：自有应用支持手机和手持终端离线盘点，管理层可在手机上看早报；1 分：只能在电脑上使用。",
        ),
        (2, 5, 3),
    ),
    DemoCriterion(
        "architecture",
        G.TECHNOLOGY,
        8,
        DemoText("Architecture and peak-day capacity", "系统架构与大促承载能力"),
        DemoText(
            "5: scales for Singles' Day without our own hardware and passed a load test; 1: one server we must size "
            "and run ourselves.",
            "5 分：无需自购硬件即可应对“双十一”，并通过压力测试；1 分：单台服务器，需要我们自己选型和运维。",
        ),
        (3, 5, 4),
    ),
    DemoCriterion(
        "integration",
        G.TECHNOLOGY,
        7,
        DemoText("Open interfaces: shop, payments, e-invoices", "开放接口：网店、支付与电子发票"),
        DemoText(
            "5: documented APIs and ready connectors for our shop, WeChat Pay, Alipay and the e-invoice service; "
            "1: file exports only.",
            "5 分：有文档齐全的 API，以及对接我们网店、微信支付、支付宝和电子发票服务的现成接口；1 分：只能导出文件。",
        ),
        (2, 5, 4),
    ),
    DemoCriterion(
        "security",
        G.TECHNOLOGY,
        5,
        DemoText("Security, backups and data in China", "安全、备份与数据境内存储"),
        DemoText(
            "5: roles, audit trail, tested off-site backups and data in mainland China, with evidence; "
            "1: we have to build these ourselves.",
            "5 分：角色权限、审计追踪、经过验证的异地备份和境内存储，且有证明材料；1 分：需要我们自己搭建。",
        ),
        (4, 4, 4),
    ),
    DemoCriterion(
        "tco",
        G.COST,
        14,
        DemoText("Five-year total cost of ownership", "五年总拥有成本"),
        DemoText(
            "From the TCO table, customisation included: 5 for the cheapest, one point less for every "
            "CNY 150,000 more.",
            "依据总拥有成本表（含定制费用）：最便宜的 5 分，每贵 15 万元减 1 分。",
        ),
        (5, 4, 3),
    ),
    DemoCriterion(
        "pricing",
        G.COST,
        6,
        DemoText("Predictable prices as we grow", "业务增长时价格可预期"),
        DemoText(
            "5: a new store or ten more users cost a known, small amount; 1: every change needs a new quote.",
            "5 分：新开一家门店或增加十个用户的费用明确且不高；1 分：每次变化都要重新报价。",
        ),
        (3, 4, 2),
    ),
    DemoCriterion(
        "strength",
        G.VIABILITY,
        5,
        DemoText("Financial strength", "财务实力"),
        DemoText(
            "5: listed or profitable for years, with audited figures; 1: depends on the next funding round.",
            "5 分：已上市或多年盈利，有审计报告；1 分：依赖下一轮融资。",
        ),
        (3, 3, 5),
    ),
    DemoCriterion(
        "references",
        G.VIABILITY,
        5,
        DemoText("Retail references and roadmap", "零售客户案例与产品路线图"),
        DemoText(
            "5: at least three chains like ours we could call, and a roadmap for the next two years; "
            "1: no retail customers.",
            "5 分：至少有三家与我们类似、可以电话回访的连锁客户，并有未来两年的产品路线图；1 分：没有零售客户。",
        ),
        (2, 4, 4),
    ),
    DemoCriterion(
        "implementation",
        G.SERVICE,
        6,
        DemoText("Implementation team and approach", "实施团队与方法"),
        DemoText(
            "5: a named team with retail experience, a realistic plan and key users trained early; "
            "1: consultants to be found after signing.",
            "5 分：有具名且懂零售的团队、切实可行的计划，并尽早培训关键用户；1 分：签约后才找顾问。",
        ),
        (4, 4, 3),
    ),
    DemoCriterion(
        "support",
        G.SERVICE,
        4,
        DemoText("Support and service levels", "售后支持与服务等级"),
        DemoText(
            "5: SLA with response and fix times in the contract, Chinese-speaking hotline 7×24 in peak season; "
            "1: e-mail only.",
            "5 分：合同中约定响应和修复时限，大促期间提供 7×24 小时中文热线；1 分：只能发邮件。",
        ),
        (3, 4, 4),
    ),
]

# The reasons the lead noted with some agreed scores: (offer, criterion) → note.
AGREED_NOTES = {
    (ON_PREMISE, "omnichannel"): DemoText(
        "Only with the custom shop connector and faster stock synchronisation.",
        "需要定制网店接口并加快库存同步才能做到。",
    ),
    (ERP, "omnichannel"): DemoText("Tills and online shop only through partners.", "收银和网店只能通过合作伙伴对接。"),
    (SAAS, "finance"): DemoText(
        "Posts daily; hourly needs a custom job, so 4 and not 5.",
        "每日过账，按小时过账需要定制任务，因此给 4 分而不是 5 分。",
    ),
    (ON_PREMISE, "mobile"): DemoText(
        "The partner's app crashed twice during the stock-take scenario.",
        "合作伙伴的应用在盘点场景演示中崩溃了两次。",
    ),
    (SAAS, "security"): DemoText(
        "IT scored 3, finance 5: 4 once we have their last restore-test report.",
        "IT 给 3 分，财务给 5 分：拿到其最近一次恢复演练报告后按 4 分计。",
    ),
    (ERP, "tco"): DemoText(
        "Finance gave 2, the warehouse 4 for the ledger it replaces; agreed on 3.",
        "财务给 2 分，仓库因其总账可替代现有财务软件给 4 分；商定 3 分。",
    ),
}

# How many times more the first functionality criterion matters than the second (Saaty's scale).
JUDGEMENTS = [
    ("omnichannel", "batches", 2),
    ("omnichannel", "finance", 1),
    ("omnichannel", "mobile", 3),
    ("batches", "finance", 1 / 2),
    ("batches", "mobile", 2),
    ("finance", "mobile", 3),
]

# Each evaluator's own scores, in CRITERIA order, per offer in OFFERS order; submitted before the team agreed.
EVALUATOR_SCORES: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {
    "it": (
        (3, 4, 3, 2, 2, 2, 3, 5, 3, 3, 2, 4, 3),
        (5, 4, 4, 5, 5, 5, 3, 4, 4, 3, 4, 4, 4),
        (4, 5, 4, 3, 4, 3, 4, 3, 2, 5, 4, 3, 4),
    ),
    "finance": (
        (3, 4, 2, 2, 3, 2, 4, 5, 4, 3, 2, 4, 3),
        (4, 4, 3, 4, 5, 4, 5, 4, 4, 3, 3, 4, 4),
        (4, 5, 5, 3, 4, 4, 4, 2, 2, 5, 5, 3, 4),
    ),
    "warehouse": (
        (2, 4, 3, 1, 3, 2, 4, 5, 3, 3, 2, 4, 4),
        (5, 4, 4, 5, 4, 5, 4, 4, 4, 3, 4, 4, 4),
        (4, 5, 5, 2, 4, 4, 4, 4, 2, 4, 4, 3, 3),
    ),
}

EVALUATORS = tuple(EVALUATOR_SCORES)

# Notes some evaluators left with a score: (evaluator, offer, criterion) → note.
SCORE_NOTES = {
    ("it", ON_PREMISE, "architecture"): DemoText(
        "Runs on our own servers: we have to staff the server room and run the backups.",
        "运行在我们自己的服务器上：机房值守和备份都得我们自己负责。",
    ),
    ("it", SAAS, "security"): DemoText(
        "We depend on their backups; I asked for their last restore test.",
        "备份依赖对方；我已要求他们提供最近一次恢复演练记录。",
    ),
    ("finance", SAAS, "finance"): DemoText(
        "Daily export only out of the box; hourly posting is a custom job.",
        "标准功能只能每日导出；按小时过账需要定制。",
    ),
    ("finance", ERP, "tco"): DemoText(
        "Licence, maintenance and support make it the dearest over five years.",
        "许可费加上维护费和支持费，五年算下来最贵。",
    ),
    ("warehouse", ERP, "tco"): DemoText(
        "Dearer, but its ledger would replace the finance software we pay for today.",
        "虽然更贵，但它的总账可以替代我们现在付费使用的财务软件。",
    ),
    ("warehouse", ON_PREMISE, "mobile"): DemoText(
        "No app of their own; the partner's app crashed twice while counting.",
        "没有自有应用；合作伙伴的应用在盘点时崩溃了两次。",
    ),
    ("warehouse", ERP, "mobile"): DemoText(
        "The counting app has to be adapted to our handhelds first.",
        "盘点应用得先针对我们的手持终端做适配。",
    ),
}


# Fit-gap ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFit:
    level: str
    note: DemoText | None = None
    days: int | None = None
    cost: int | None = None


STD = DemoFit(LEVEL.STANDARD)


def _cfg(en: str, zh: str) -> DemoFit:
    return DemoFit(LEVEL.CONFIGURATION, DemoText(en, zh))


def _custom(days: int, cost: int, en: str, zh: str) -> DemoFit:
    return DemoFit(LEVEL.CUSTOMISATION, DemoText(en, zh), days, cost)


def _partner(en: str, zh: str) -> DemoFit:
    return DemoFit(LEVEL.THIRD_PARTY, DemoText(en, zh))


def _missing(en: str, zh: str) -> DemoFit:
    return DemoFit(LEVEL.NOT_SUPPORTED, DemoText(en, zh))


# Per requirement (ref in requirements.demo.REQUIREMENTS): the answer of each offer, in OFFERS order.
FITS: dict[str, tuple[DemoFit, DemoFit, DemoFit]] = {
    "stock": (
        _custom(
            15,
            36_000,
            "Stores synchronise every 15 minutes; near real-time needs a message queue built by the vendor.",
            "门店每 15 分钟同步一次；要接近实时，需要厂商开发消息队列。",
        ),
        STD,
        STD,
    ),
    "reserve": (
        _custom(
            10,
            24_000,
            "Reservations exist for sales orders only; a hold step for online orders has to be built.",
            "只有销售订单能预留库存；网店订单的挂起环节需要定制开发。",
        ),
        STD,
        _cfg("Availability check rules reserve stock on order entry.", "通过可用量检查规则在下单时预留库存。"),
    ),
    "till": (
        DemoFit(LEVEL.STANDARD, DemoText("Own till software with offline mode.", "自有收银软件，支持离线。")),
        DemoFit(LEVEL.STANDARD, DemoText("Till app with offline mode.", "收银应用，支持离线。")),
        _partner(
            "Tills from a certified POS partner post each sale through the POS interface.",
            "收银由认证 POS 合作伙伴提供，通过 POS 接口逐笔过账。",
        ),
    ),
    "transfer": (STD, STD, STD),
    "po": (STD, STD, STD),
    "receipt": (STD, STD, STD),
    "return": (STD, _cfg("Return reasons and refund rules are set up.", "配置退货原因和退款规则。"), STD),
    "stocktake": (STD, STD, STD),
    "codes": (
        _cfg("Code rule set up in the item master.", "在商品主数据中配置编码规则。"),
        _cfg("Code rule set up in the item master.", "在商品主数据中配置编码规则。"),
        _cfg("Code rule set up in the item master.", "在商品主数据中配置编码规则。"),
    ),
    "pricing": (
        _cfg("Price lists per channel set up.", "按渠道配置价格表。"),
        STD,
        _cfg("Price conditions per channel and customer group.", "按渠道和客户组配置价格条件。"),
    ),
    "members": (
        _partner("Membership through a partner CRM.", "会员功能通过合作伙伴 CRM 实现。"),
        STD,
        _partner("The suite's CRM, sold separately.", "使用套件的 CRM，需另行购买。"),
    ),
    "batch": (
        DemoFit(LEVEL.STANDARD, DemoText("Food edition.", "食品版功能。")),
        STD,
        STD,
    ),
    "fefo": (_cfg("Picking strategy set to FEFO.", "拣货策略设置为先到期先出。"), STD, STD),
    "expiry": (
        _custom(4, 9_600, "The weekly list per store is a custom report.", "每店每周的到期清单需要定制报表。"),
        STD,
        _cfg("Alert rule and weekly schedule.", "配置预警规则和每周计划任务。"),
    ),
    "serial": (STD, _cfg("Switched on per item group.", "按商品组启用。"), STD),
    "bom": (
        _missing("No bills of materials.", "不支持物料清单。"),
        _missing("No bills of materials.", "不支持物料清单。"),
        STD,
    ),
    "mobile-count": (
        _partner(
            "A partner's handheld app, CNY 300 per device and year.",
            "使用合作伙伴的手持终端应用，每台设备每年 300 元。",
        ),
        DemoFit(LEVEL.STANDARD, DemoText("Own counting app, works offline.", "自有盘点应用，支持离线。")),
        _custom(
            12,
            36_000,
            "The counting app has to be adapted to our handhelds and location labels.",
            "盘点应用需要针对我们的手持终端和库位标签做适配。",
        ),
    ),
    "count-open": (
        _missing(
            "Locations are frozen during the count; the store has to close.",
            "盘点期间库位被冻结，门店必须停业。",
        ),
        _cfg("Count with snapshot per location.", "按库位快照盘点。"),
        STD,
    ),
    "labels": (STD, STD, STD),
    "morning-report": (
        _custom(
            6,
            14_400,
            "A mobile dashboard built with the report designer.",
            "用报表设计器定制开发一个手机看板。",
        ),
        STD,
        _cfg("The suite's BI app, set up with our figures.", "使用套件的 BI 应用，按我们的指标配置。"),
    ),
    "sales-analysis": (STD, STD, STD),
    "turnover": (STD, STD, STD),
    "reorder": (_cfg("Min/max levels per item.", "按商品设置最低和最高库存。"), STD, STD),
    "shop": (
        _custom(
            20,
            48_000,
            "No connector for our shop platform; the vendor builds one on its API.",
            "没有对接我们网店平台的接口；厂商基于其 API 开发。",
        ),
        DemoFit(
            LEVEL.STANDARD,
            DemoText(
                "Ready connector for our shop platform, shown in the demo.", "有现成的网店平台接口，演示中已展示。"
            ),
        ),
        _partner("Through a certified integration partner.", "通过认证集成合作伙伴对接。"),
    ),
    "publish-stock": (
        _custom(
            8,
            19_200,
            "Every 5 minutes out of the box; every minute only with the custom connector.",
            "标准功能每 5 分钟同步一次；每分钟同步需要定制接口。",
        ),
        STD,
        _cfg("Interval set to one minute.", "将同步间隔设置为一分钟。"),
    ),
    "import-orders": (
        _custom(6, 14_400, "Part of the custom shop connector.", "属于定制网店接口的一部分。"),
        STD,
        _partner("Through the integration partner.", "通过集成合作伙伴实现。"),
    ),
    "online-returns": (
        _missing("Online refunds stay in the shop back office.", "网店退款仍需在网店后台处理。"),
        STD,
        _cfg("Return order type for online refunds.", "为网店退款配置退货订单类型。"),
    ),
    "post-finance": (
        _cfg("Voucher interface to our finance software, run every hour.", "配置对接财务软件的凭证接口，每小时运行。"),
        _custom(
            10,
            25_000,
            "Daily export is standard; the hourly posting is a custom job.",
            "每日导出是标准功能；按小时过账需要定制任务。",
        ),
        DemoFit(LEVEL.STANDARD, DemoText("Sales post to the suite's ledger.", "销售直接过账到套件总账。")),
    ),
    "post-per-store": (
        _custom(
            5,
            12_000,
            "Posts per day only; the split per store, channel and tax rate is custom.",
            "只能按天过账；按门店、渠道和税率拆分需要定制。",
        ),
        _cfg("Posting rules per store and channel.", "按门店和渠道配置过账规则。"),
        STD,
    ),
    "payments": (
        _missing("No import of payment settlement files.", "不支持导入支付结算文件。"),
        DemoFit(
            LEVEL.STANDARD,
            DemoText("WeChat Pay and Alipay reconciliation included.", "自带微信支付和支付宝对账。"),
        ),
        _partner("Through a payment reconciliation partner.", "通过支付对账合作伙伴实现。"),
    ),
    "einvoice": (
        _partner("Through the tax-control partner's e-invoice service.", "通过税控合作伙伴的电子发票服务实现。"),
        STD,
        STD,
    ),
    "logistics": (
        _missing("No carrier tracking.", "不支持物流跟踪。"),
        STD,
        _partner("Through a logistics platform partner.", "通过物流平台合作伙伴实现。"),
    ),
    "response": (STD, STD, STD),
    "peak": (
        _cfg("Sized for 60 users in the hardware quote.", "硬件报价已按 60 个用户选型。"),
        DemoFit(LEVEL.STANDARD, DemoText("Scales up for peak days.", "大促期间自动扩容。")),
        _cfg("Larger application server; load test in the pilot.", "需要更大的应用服务器；试点时做压力测试。"),
    ),
    "roles": (STD, STD, STD),
    "audit": (_cfg("Change log switched on.", "启用变更日志。"), STD, STD),
    "backups": (
        _cfg("Nightly job to the backup appliance at the second site.", "配置每晚备份到异地备份一体机。"),
        DemoFit(
            LEVEL.STANDARD, DemoText("Backups in a second mainland data centre.", "备份保存在境内第二个数据中心。")
        ),
        _cfg("Backup plan set up by Huading's operations team.", "由华鼎运维团队配置备份计划。"),
    ),
    "mobile": (
        _missing("Only through VPN and remote desktop.", "只能通过 VPN 和远程桌面访问。"),
        STD,
        _cfg("The suite's mobile app, set up for our roles.", "套件的移动应用，按我们的角色配置。"),
    ),
    "availability": (
        _cfg(
            "Depends on our server room; cluster option in the hardware quote.",
            "取决于我们的机房；硬件报价含双机选项。",
        ),
        DemoFit(LEVEL.STANDARD, DemoText("99.9 % in the SLA.", "服务等级协议承诺 99.9%。")),
        STD,
    ),
    "sla": (STD, STD, STD),
    "migration": (STD, STD, STD),
    "data-in-china": (
        DemoFit(LEVEL.STANDARD, DemoText("Our own servers.", "使用我们自己的服务器。")),
        DemoFit(LEVEL.STANDARD, DemoText("East China region.", "华东区域。")),
        STD,
    ),
}


# Demo scenarios and sessions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoScript:
    ref: str
    title: DemoText
    script: DemoText
    requirements: tuple[str, ...]


SCENARIOS = [
    DemoScript(
        "order-to-cash",
        DemoText("Order to cash", "订单到收款"),
        DemoText(
            "1. A customer pays an online order for 2 × yoghurt 1 kg while store 2 sells the last but one.\n"
            "2. Show the reservation, and the order held when stock runs out.\n"
            "3. Pick, ship and hand the tracking number back to the shop.\n"
            "4. Issue the e-invoice.\n"
            "5. The customer returns one pot online: refund and stock back.\n"
            "6. Show the sale and the refund in the ledger.",
            "1. 顾客在网店下单并付款购买 2 盒 1 公斤装酸奶，同时 2 号门店卖出倒数第二盒。\n"
            "2. 展示库存预留，以及缺货时订单被挂起。\n"
            "3. 拣货、发货，并把物流单号回传网店。\n"
            "4. 开具电子发票。\n"
            "5. 顾客在网上退回一盒：退款并恢复库存。\n"
            "6. 在总账中查看这笔销售和退款。",
        ),
        ("reserve", "import-orders", "publish-stock", "einvoice", "online-returns"),
    ),
    DemoScript(
        "procure-to-pay",
        DemoText("Procure to pay with three-way match", "采购到付款（三单匹配）"),
        DemoText(
            "1. The reorder suggestion proposes a purchase order for the dairy supplier.\n"
            "2. Approve and send the order.\n"
            "3. Receive a partial delivery with batches and best-before dates.\n"
            "4. Enter the supplier's invoice: it matches order and receipt for the delivered part, and a price "
            "difference on one line is blocked.\n"
            "5. Release the invoice for payment and show the open remainder of the order.",
            "1. 补货建议为乳品供应商生成一张采购订单。\n"
            "2. 审批并发送订单。\n"
            "3. 收到部分到货，录入批次和保质期。\n"
            "4. 录入供应商发票：已到货部分与订单和入库单匹配，其中一行的价格差异被冻结。\n"
            "5. 放行发票付款，并查看订单的未到货余量。",
        ),
        ("po", "receipt", "batch", "reorder"),
    ),
    DemoScript(
        "stock-take",
        DemoText("Stock-take in an open store", "不停业门店盘点"),
        DemoText(
            "1. Start a count for the dairy aisle of store 1 while the tills keep selling.\n"
            "2. Scan shelf labels and count on a phone and a handheld; switch one device offline.\n"
            "3. Sell two items from a counted shelf during the count.\n"
            "4. Show the difference list as soon as the last location is counted.\n"
            "5. Post the differences and show the new stock in the online shop.",
            "1. 在 1 号门店收银照常营业的情况下，开始盘点乳品货架。\n"
            "2. 用手机和手持终端扫描货架标签并录入数量，其中一台设备切换到离线。\n"
            "3. 盘点期间从已盘货架卖出两件商品。\n"
            "4. 最后一个库位盘完后立即展示差异表。\n"
            "5. 过账差异，并在网店中查看更新后的库存。",
        ),
        ("stocktake", "mobile-count", "count-open", "labels"),
    ),
    DemoScript(
        "month-end",
        DemoText("Month-end close", "月结"),
        DemoText(
            "1. Show the month's sales postings per store, channel, tax rate and day.\n"
            "2. Open the sales behind one posting.\n"
            "3. Import a WeChat Pay settlement file and show the unmatched payments.\n"
            "4. Close inventory for the month and post cost of goods sold.\n"
            "5. Show the management report on a phone.",
            "1. 展示本月按门店、渠道、税率和日期生成的销售凭证。\n"
            "2. 从一张凭证打开其对应的销售明细。\n"
            "3. 导入一份微信支付结算文件，展示未匹配的支付。\n"
            "4. 完成库存月结并结转销售成本。\n"
            "5. 在手机上展示管理报表。",
        ),
        ("post-finance", "post-per-store", "payments", "morning-report"),
    ),
]
SCENARIO_REFS = [s.ref for s in SCENARIOS]


@dataclass(frozen=True)
class DemoMeeting:
    offer: str
    held_on: date
    place: DemoText
    notes: DemoText
    # attendee → rating per scenario, in SCENARIOS order
    ratings: dict[str, tuple[int, int, int, int]]


SESSIONS = [
    DemoMeeting(
        ON_PREMISE,
        date(2026, 11, 10),
        DemoText("Head office, meeting room 2", "总部 2 号会议室"),
        DemoText(
            "Purchasing and receiving ran smoothly on the vendor's laptop. The online order and the store sale "
            "only met after a manual synchronisation, and the partner's counting app crashed twice. "
            "**Follow-up:** a fixed price for the shop connector.",
            "采购和入库在厂商的笔记本电脑上演示得很顺利。网店订单和门店销售要手动同步后才能对上，"
            "合作伙伴的盘点应用崩溃了两次。**待办：**要求网店接口给出固定价格。",
        ),
        {"it": (3, 4, 3, 3), "warehouse": (3, 4, 2, 3), "finance": (2, 4, 3, 3)},
    ),
    DemoMeeting(
        SAAS,
        date(2026, 11, 12),
        DemoText("Flagship store and head office", "旗舰店及总部"),
        DemoText(
            "Shown live in our flagship store with our own items: the shop saw the store's sale within seconds, "
            "and we counted the dairy aisle on two phones while the tills kept selling. Month-end close needed the "
            "daily export. **Follow-up:** a quote for hourly posting and the last restore-test report.",
            "在旗舰店用我们自己的商品现场演示：门店售出后网店几秒内即可看到，收银照常营业时用两部手机盘点了乳品货架。"
            "月结依赖每日导出。**待办：**索取按小时过账的报价和最近一次恢复演练报告。",
        ),
        {"sales": (5, 4, 5, 4), "warehouse": (5, 4, 5, 4), "finance": (4, 4, 4, 3)},
    ),
    DemoMeeting(
        ERP,
        date(2026, 11, 17),
        DemoText("Huading's Shanghai office", "华鼎上海办公室"),
        DemoText(
            "The strongest procure-to-pay and month-end close of the three: the three-way match and the cost "
            "postings worked first time. Tills and the online shop were shown through the partner's test system. "
            "Counting ran on a demo handheld, not ours. **Follow-up:** a call with a retail reference customer.",
            "采购到付款和月结是三家中最强的：三单匹配和成本结转一次成功。收银和网店通过合作伙伴的测试系统演示。"
            "盘点使用的是演示用手持终端，而不是我们的设备。**待办：**安排与一家零售客户电话回访。",
        ),
        {"it": (4, 5, 3, 5), "finance": (4, 5, 3, 5), "procurement": (4, 5, 3, 4)},
    ),
]

# Notes on some ratings: (offer, attendee, scenario) → note.
RATING_NOTES = {
    (ON_PREMISE, "finance", "order-to-cash"): DemoText(
        "The refund never reached the ledger during the demo.", "演示过程中退款始终没有进入总账。"
    ),
    (ON_PREMISE, "warehouse", "stock-take"): DemoText(
        "The partner app crashed twice; counting offline was not shown.", "合作伙伴的应用崩溃两次，离线盘点没有演示。"
    ),
    (SAAS, "sales", "order-to-cash"): DemoText(
        "The held order showed up on the operator's list at once.", "挂起的订单立刻出现在运营人员的列表中。"
    ),
    (SAAS, "warehouse", "stock-take"): DemoText(
        "Goods sold during the count did not show as differences.", "盘点期间售出的商品没有形成差异。"
    ),
    (SAAS, "finance", "month-end"): DemoText(
        "Postings arrive once a day; we need them every hour.", "凭证每天才过来一次，我们需要每小时一次。"
    ),
    (ERP, "procurement", "procure-to-pay"): DemoText(
        "The price difference was blocked exactly as it should be.", "价格差异被正确冻结。"
    ),
    (ERP, "it", "stock-take"): DemoText(
        "Shown on their handheld; ours needs the adapted app.", "用的是他们的手持终端；我们的设备需要适配后的应用。"
    ),
    (ERP, "finance", "month-end"): DemoText(
        "Cost of goods sold posted without a single spreadsheet.", "销售成本结转全程没有用到一张表格。"
    ),
}

# Processes the scenarios walk through: the demo's as-is processes, found by template or by name.
SCENARIO_PROCESS_TEMPLATES = {
    "order-to-cash": ("sales_order",),
    "procure-to-pay": ("procurement", "receiving"),  # not mapped in the demo (yet): the scenario then has none
    "stock-take": ("stock_take",),
}
SCENARIO_PROCESS_NAMES = {"month-end": CONSOLIDATION_NAME}  # the daily consolidation feeds the close


# Selection texts --------------------------------------------------------------------------------------------------

DEPLOYMENT_LABELS = {
    Offer.Deployment.ON_PREMISE: DemoText("on-premise software", "本地部署软件"),
    Offer.Deployment.SAAS: DemoText("SaaS", "SaaS 云服务"),
    Offer.Deployment.ERP_MODULE: DemoText("ERP module", "ERP 模块"),
}
GROUP_LABELS = {
    G.FUNCTIONALITY: DemoText("functionality", "功能"),
    G.TECHNOLOGY: DemoText("technology", "技术"),
    G.COST: DemoText("cost", "成本"),
    G.VIABILITY: DemoText("vendor viability", "供应商实力"),
    G.SERVICE: DemoText("service", "服务"),
}
SUMMARY_INTRO = DemoText(
    "Three vendors answered the request for proposal sent with Baseline 1: one on-premise package, one SaaS "
    "product and the supply-chain module of an ERP suite. All three meet the knock-out conditions. IT, finance "
    "and the warehouse scored each offer on {criteria} criteria in five groups before the team agreed the scores, "
    "and each vendor showed the same four scripted scenarios.",
    "三家供应商回复了随基线 1 发出的需求建议书：一套本地部署软件、一个 SaaS 产品和一套 ERP 的供应链模块。"
    "三家都满足淘汰条件。IT、财务和仓库先各自按五组 {criteria} 项标准打分，再由团队商定最终分数；"
    "每家供应商都演示了同样的四个脚本场景。",
)
SUMMARY_ROW = DemoText(
    "- **{label}** ({deployment}): rank {rank}, score {score:.2f} of 5; {met} of {must} must-haves met without "
    "customisation; five-year TCO CNY {total:,.0f} (present value CNY {npv:,.0f}).",
    "- **{label}**（{deployment}）：排名第 {rank}，得分 {score:.2f}（满分 5 分）；{must} 项必备需求中 {met} 项无需定制"
    "即可满足；五年总拥有成本 {total:,.0f} 元（现值 {npv:,.0f} 元）。",
)
RECOMMENDATION_LEAD = DemoText(
    "**We recommend {leader}.**\n\n"
    "- It leads on functionality and technology: one stock figure for stores and online shop, its own till and "
    "counting apps, and a ready connector for our shop. In the demos it was the only one to show the store sale "
    "in the shop within seconds.\n"
    "- It is not the cheapest. {cheapest} costs CNY {saving:,.0f} less over five years, but needs {days:.0f} days "
    "of customisation, most of them for the online shop and real-time stock, and has no mobile counting of its own.\n",
    "**建议选择{leader}。**\n\n"
    "- 它在功能和技术上领先：门店与网店共用一个库存数，有自有的收银和盘点应用，并有现成的网店接口。"
    "演示中只有它能让门店的销售在几秒内反映到网店。\n"
    "- 它并不是最便宜的。{cheapest}五年总成本低 {saving:,.0f} 元，"
    "但需要 {days:.0f} 个人天的定制开发（主要用于网店和实时库存），而且没有自有的移动盘点功能。\n",
)
RECOMMENDATION_SENSITIVITY = DemoText(
    "- The choice is robust: only if {group} weighed {weight:.0%} instead of {current:.0%} would {other} draw level.\n",
    "- 结论比较稳健：只有当{group}的权重从 {current:.0%} 变为 {weight:.0%} 时，{other}才会追平。\n",
)
RECOMMENDATION_CONDITIONS = DemoText(
    "\nBefore signing:\n\n"
    "1. a fixed price for the hourly posting to finance, our one must-have gap with {leader};\n"
    "2. the report of their last restore test, and the data-centre location written into the contract;\n"
    "3. the subscription price fixed for three years.",
    "\n签约前需落实：\n\n"
    "1. 按小时过账到财务（{leader}唯一的必备需求差距）给出固定价格；\n"
    "2. 提供最近一次恢复演练报告，并把数据中心所在地写入合同；\n"
    "3. 订阅价格三年不变。",
)


# Building ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def build_selection_demo(*, project: Project, language: str) -> None:
    """Add the vendor comparison to the demo, once; a project that already has vendors is left alone.

    Needs the requirements demo first (fit-gap and scenarios refer to its requirements), so it is registered after it.
    """
    if project.vendors.exists():
        return
    with translation.override(language):
        members = {m.user.username: m for m in project.memberships.select_related("user")}
        lead = members[AGREED_BY].user
        requirements = requirements_by_ref(project)
        selection = svc.selection_for(project)
        svc.selection_update(
            selection=selection,
            expected_version=selection.version,
            user=lead,
            currency="CNY",
            years=5,
            discount_rate=Decimal("0.06"),
        )
        offers = {spec.ref: _vendor_and_offer(project, spec, members, language) for spec in VENDORS}
        _knockouts(project, offers, lead, language)
        criteria = _criteria(project, lead, language)
        _scores(offers, criteria, members, language)
        _fits(offers, requirements, members, language)
        scenarios = _scenarios(project, requirements, lead, language)
        _sessions(offers, scenarios, members, lead, language)
        _conclusions(project, offers, lead, language)


def _vendor_and_offer(project: Project, spec: DemoVendor, members: dict[str, Membership], language: str) -> Offer:
    user = members[spec.entered_by].user
    portal = [members[spec.portal_member]] if spec.portal_member in members else []
    vendor = svc.vendor_create(
        project=project,
        name=spec.name(language),
        user=user,
        portal_members=portal,
        contacts=spec.contacts(language),
        website=spec.website,
        notes=spec.notes(language),
    )
    offer = svc.offer_create(
        vendor=vendor,
        product=spec.product(language),
        deployment=spec.deployment,
        user=user,
        product_version=spec.version,
        notes=spec.offer_notes(language),
    )
    for line in spec.quote:
        svc.quote_line_create(
            offer=offer,
            kind=line.kind,
            amount=Decimal(line.amount),
            user=user,
            year_from=line.year_from,
            year_to=line.year_to,
            note=line.note(language),
        )
    return offer


def _knockouts(project: Project, offers: dict[str, Offer], lead, language: str) -> None:
    for spec in KNOCKOUTS:
        knockout = svc.knockout_create(project=project, text=spec.text(language), user=lead)
        for ref, evidence in zip(OFFERS, spec.evidence, strict=True):
            svc.knockout_check(knockout=knockout, offer=offers[ref], passed=True, reason=evidence(language), user=lead)


def _criteria(project: Project, lead, language: str) -> dict[str, Criterion]:
    """The criteria with their weights; functionality's split comes from the lead's pairwise judgements (AHP)."""
    criteria = {
        spec.ref: svc.criterion_create(
            project=project,
            name=spec.name(language),
            group=spec.group,
            weight=Decimal(spec.weight),
            user=lead,
            description=spec.description(language),
        )
        for spec in CRITERIA
    }
    for first, second, value in JUDGEMENTS:
        svc.judgement_set(first=criteria[first], second=criteria[second], value=value, user=lead)
    functionality = [criteria[spec.ref] for spec in CRITERIA if spec.group == G.FUNCTIONALITY]
    svc.weights_from_ahp(criteria=functionality, user=lead)
    return criteria


def _scores(
    offers: dict[str, Offer], criteria: dict[str, Criterion], members: dict[str, Membership], language: str
) -> None:
    """Each evaluator scores and submits every offer on their own; then the lead records the agreed scores."""
    for username, per_offer in EVALUATOR_SCORES.items():
        evaluator = members[username].user
        for ref, values in zip(OFFERS, per_offer, strict=True):
            for spec, value in zip(CRITERIA, values, strict=True):
                note = SCORE_NOTES.get((username, ref, spec.ref))
                svc.score_set(
                    offer=offers[ref],
                    criterion=criteria[spec.ref],
                    evaluator=evaluator,
                    value=value,
                    note=note(language) if note else "",
                )
            svc.scores_submit(offer=offers[ref], evaluator=evaluator)
    lead = members[AGREED_BY].user
    for spec in CRITERIA:
        for ref, value in zip(OFFERS, spec.agreed, strict=True):
            note = AGREED_NOTES.get((ref, spec.ref))
            note = note(language) if note else ""
            svc.agreed_score_set(offer=offers[ref], criterion=criteria[spec.ref], value=value, note=note, user=lead)


def _fits(
    offers: dict[str, Offer], requirements: dict[str, Requirement], members: dict[str, Membership], language: str
) -> None:
    """The vendors' fit-gap answers: the portal member types in their own, IT transcribes the others'."""
    for ref, answers in FITS.items():
        requirement = requirements.get(ref)
        if requirement is None:
            continue
        for spec, answer in zip(VENDORS, answers, strict=True):
            author = members.get(spec.portal_member) or members[spec.entered_by]
            svc.fit_set(
                offer=offers[spec.ref],
                requirement=requirement,
                level=answer.level,
                effort_days=Decimal(answer.days) if answer.days is not None else None,
                cost=Decimal(answer.cost) if answer.cost is not None else None,
                note=answer.note(language) if answer.note else "",
                user=author.user,
            )


def _scenario_process(project: Project, ref: str) -> Process | None:
    as_is = project.processes.filter(kind=Process.Kind.AS_IS)
    for template_key in SCENARIO_PROCESS_TEMPLATES.get(ref, ()):
        process = as_is.filter(template_key=template_key).order_by("pk").first()
        if process is not None:
            return process
    name = SCENARIO_PROCESS_NAMES.get(ref)
    if name is not None:
        return as_is.filter(name__in=[name.en, name.zh]).order_by("pk").first()
    return None


def _scenarios(project: Project, requirements: dict[str, Requirement], lead, language: str) -> dict[str, DemoScenario]:
    return {
        spec.ref: svc.scenario_create(
            project=project,
            title=spec.title(language),
            script=spec.script(language),
            process=_scenario_process(project, spec.ref),
            requirements=[requirements[r] for r in spec.requirements if r in requirements],
            user=lead,
        )
        for spec in SCENARIOS
    }


def _sessions(
    offers: dict[str, Offer],
    scenarios: dict[str, DemoScenario],
    members: dict[str, Membership],
    lead,
    language: str,
) -> None:
    for spec in SESSIONS:
        session = svc.demo_create(
            offer=offers[spec.offer],
            held_on=spec.held_on,
            scenarios=[scenarios[ref] for ref in SCENARIO_REFS],
            user=lead,
            place=spec.place(language),
            notes=spec.notes(language),
        )
        for username, values in spec.ratings.items():
            for scenario_ref, value in zip(SCENARIO_REFS, values, strict=True):
                note = RATING_NOTES.get((spec.offer, username, scenario_ref))
                svc.demo_rate(
                    session=session,
                    scenario=scenarios[scenario_ref],
                    attendee=members[username].user,
                    value=value,
                    note=note(language) if note else "",
                )


def _conclusions(project: Project, offers: dict[str, Offer], lead, language: str) -> None:
    """Summary and recommendation, with their figures read from the finished comparison."""
    comparison = build_comparison(project)
    selection = comparison.selection
    svc.selection_update(
        selection=selection,
        expected_version=selection.version,
        user=lead,
        summary=_summary(comparison, language),
        recommendation=_recommendation(comparison, language),
    )


def _summary(comparison: Comparison, language: str) -> str:
    lines = [SUMMARY_INTRO(language).format(criteria=sum(len(g.criteria) for g in comparison.groups)), ""]
    for row in comparison.rows:
        lines.append(
            SUMMARY_ROW(language).format(
                label=offer_label(row.offer),
                deployment=DEPLOYMENT_LABELS[row.offer.deployment](language),
                rank=row.rank,
                score=row.score.total or 0,
                met=row.coverage.met,
                must=row.coverage.total,
                total=row.tco.total,
                npv=row.tco.npv if row.tco.npv is not None else row.tco.total,
            )
        )
    return "\n".join(lines)


def _recommendation(comparison: Comparison, language: str) -> str:
    leader = comparison.leader
    if leader is None:
        return ""
    cheapest = min(comparison.rows, key=lambda row: row.tco.total)
    text = RECOMMENDATION_LEAD(language).format(
        leader=offer_label(leader.offer),
        cheapest=offer_label(cheapest.offer),
        saving=leader.tco.total - cheapest.tco.total,
        days=cheapest.customisation_days,
    )
    thresholds = [t for t in comparison.sensitivity if t.weight is not None]
    if thresholds:
        nearest = min(thresholds, key=lambda t: abs(t.change_points or 0))
        other = next(row for row in comparison.rows if row.offer.pk == nearest.new_leader)
        text += RECOMMENDATION_SENSITIVITY(language).format(
            group=GROUP_LABELS[nearest.group](language),
            weight=nearest.weight,
            current=nearest.current,
            other=offer_label(other.offer),
        )
    return text + RECOMMENDATION_CONDITIONS(language).format(leader=offer_label(leader.offer))
