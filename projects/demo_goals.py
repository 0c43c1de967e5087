"""The demo's "why and what for": drivers from the retail case's pain points, goals from its figures.

The goals are the guide's own (inventory data accuracy ≥ 99.5 %, stock-out orders −70 %, month-end
close effort −50 %, turnover +15 %, close in 2 days instead of 5, stock-taking 30 % faster); the
measurements are the months before go-live, when only data cleansing and process fixes moved them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from projects.models import KPI, Membership, Project
from projects.services import goals as goal_services
from projects.services.raci import raci_add_standard_activities, raci_save

BASELINE_DATE = date(2026, 6, 30)
MONTH_ENDS = [date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]


@dataclass(frozen=True)
class DemoText:
    en: str
    zh: str

    def __call__(self, language: str) -> str:
        return self.zh if language == "zh-hans" else self.en


DRIVERS = [
    (
        "scale",
        5,
        DemoText(
            "Stores and the online shop keep separate stock, so the shop sells goods that are already gone",
            "门店与网店库存各自独立，网店常卖出已经没货的商品",
        ),
        DemoText(
            "From July to October 4.1 % of online orders had to be cancelled or delayed for lack of stock. Stock "
            "moves between the three stores and the central warehouse are keyed in twice.",
            "7 月至 10 月，4.1% 的网店订单因缺货被取消或延迟。三家门店与总仓之间的调拨需要重复录入两次。",
        ),
    ),
    (
        "architecture",
        5,
        DemoText(
            "The single-machine program has no interface to the online shop, payment or finance software",
            "单机版软件无法与网店平台、支付和财务软件对接",
        ),
        DemoText(
            "Sales of every channel are exported to spreadsheets and added up by hand before finance can post "
            "them; each month-end close takes five working days.",
            "各渠道销售数据都要导出到表格、手工汇总后财务才能入账；每次月结需要 5 个工作日。",
        ),
    ),
    (
        "functional_gap",
        4,
        DemoText(
            "No mobile stock-taking and no batch or expiry tracking",
            "不支持移动盘点，也没有批次和效期管理",
        ),
        DemoText(
            "Stock-takes are counted on paper and typed in afterwards: about 40 staff hours per 1,000 SKUs.",
            "盘点在纸上记录后再录入系统：每 1,000 个 SKU 约需 40 个工时。",
        ),
    ),
    (
        "functional_gap",
        3,
        DemoText(
            "Management sees sales and stock reports a week late",
            "管理层要晚一周才能看到销售和库存报表",
        ),
        DemoText("Weekly reports are compiled by hand every Monday.", "周报每周一手工汇总。"),
    ),
    (
        "cost_security",
        4,
        DemoText(
            "The desktop edition is out of vendor support and runs on an old server with manual backups",
            "桌面版软件已停止厂商支持，运行在老旧服务器上，备份靠手工",
        ),
        DemoText(
            "Security patches stopped last year; a disk failure in March cost two days of sales data.",
            "去年起不再有安全补丁；3 月的一次硬盘故障丢失了两天的销售数据。",
        ),
    ),
]


@dataclass(frozen=True)
class DemoKPI:
    library_key: str
    name: DemoText | None  # None: the library's name
    unit: DemoText | None
    direction: str
    baseline: str
    target: str
    values: list[str]  # at MONTH_ENDS (or the last ones of them)
    source: DemoText


@dataclass(frozen=True)
class DemoGoal:
    statement: DemoText
    owner: str
    due: date
    drivers: list[int]  # indexes into DRIVERS
    kpis: list[DemoKPI]


GOALS = [
    DemoGoal(
        DemoText(
            "One real-time stock figure for every store, the online shop and the central warehouse",
            "所有门店、网店和总仓共用一个实时库存数",
        ),
        "warehouse",
        date(2027, 9, 30),
        [0, 1],
        [
            DemoKPI(
                "inventory_record_accuracy",
                None,
                None,
                "higher",
                "91.8",
                "99.5",
                ["92.4", "93.0", "94.1", "94.6"],
                DemoText("cycle counts, ERP stock report", "循环盘点、库存报表"),
            ),
            DemoKPI(
                "stockout_rate",
                DemoText("Orders short of stock", "缺货订单率"),
                None,
                "lower",
                "6.0",
                "1.8",
                ["5.9", "5.6", "5.2", "4.9"],
                DemoText("order system, cancelled and delayed orders", "订单系统：取消及延迟订单"),
            ),
            DemoKPI(
                "inventory_turnover",
                None,
                None,
                "higher",
                "6.0",
                "6.9",
                ["6.0", "6.1", "6.1", "6.2"],
                DemoText("finance: COGS and average stock value", "财务：销售成本与平均库存金额"),
            ),
        ],
    ),
    DemoGoal(
        DemoText(
            "Sales flow straight into finance: close the month in 2 days instead of 5",
            "销售数据直接进入财务：月结从 5 天缩短到 2 天",
        ),
        "finance",
        date(2027, 9, 30),
        [1],
        [
            DemoKPI(
                "month_end_close_days",
                None,
                None,
                "lower",
                "5",
                "2",
                ["5", "5", "4.5", "4"],
                DemoText("finance close calendar", "财务月结日历"),
            ),
            DemoKPI(
                "",
                DemoText("Month-end close effort", "月结工作量"),
                DemoText("staff hours", "工时"),
                "lower",
                "160",
                "80",
                ["160", "156", "150", "148"],
                DemoText("finance timesheets", "财务工时记录"),
            ),
        ],
    ),
    DemoGoal(
        DemoText("Mobile stock-taking: count 30 % more per staff hour", "移动盘点：每工时盘点数量提升 30%"),
        "warehouse",
        date(2027, 12, 31),
        [2],
        [
            DemoKPI(
                "",
                DemoText("Stock-take productivity", "盘点效率"),
                DemoText("SKUs per staff hour", "SKU/工时"),
                "higher",
                "25",
                "32.5",
                ["25.5"],
                DemoText("stock-take sheets", "盘点表"),
            ),
        ],
    ),
]

# RACI letters per standard activity: {activity key: {username: letter}}
RACI = {
    "goals": {"lead": "A", "finance": "R", "it": "C", "warehouse": "C", "sales": "C", "auditor": "I"},
    "process_mapping": {"lead": "A", "procurement": "R", "sales": "R", "warehouse": "R", "finance": "R", "it": "C"},
    "requirements": {
        "lead": "A",
        "it": "R",
        "procurement": "R",
        "sales": "R",
        "warehouse": "R",
        "finance": "R",
        "vendor": "C",
    },
    "vendor_selection": {"lead": "A", "it": "R", "finance": "C", "procurement": "C", "auditor": "I"},
    "uat": {"it": "A", "tester": "R", "warehouse": "R", "sales": "R", "vendor": "C", "lead": "I"},
    "data_migration": {"it": "A", "vendor": "R", "finance": "C", "warehouse": "C"},
    "training": {"lead": "A", "vendor": "R", "warehouse": "C", "sales": "C", "finance": "C"},
    "cutover": {"it": "R", "vendor": "R", "warehouse": "C", "lead": "I"},  # no A: the demo shows the warning
    "hypercare": {"it": "A", "vendor": "R", "lead": "I"},
}


@transaction.atomic
def build_goals_demo(*, project: Project, language: str) -> None:
    """Add drivers, goals, KPIs, measurements and the RACI matrix, once; later runs leave them alone."""
    with translation.override(language):
        if not project.drivers.exists() and not project.goals.exists():
            _drivers_and_goals(project, language)
        if not project.raci_activities.exists():
            _raci(project)


def _drivers_and_goals(project: Project, language: str) -> None:
    members = {m.user.username: m for m in project.memberships.select_related("user")}
    drivers = [
        goal_services.driver_create(
            project=project,
            category=category,
            severity=severity,
            statement=statement(language),
            evidence=evidence(language),
        )
        for category, severity, statement, evidence in DRIVERS
    ]
    for demo_goal in GOALS:
        goal = goal_services.goal_create(
            project=project,
            statement=demo_goal.statement(language),
            owner=members.get(demo_goal.owner),
            due=demo_goal.due,
            drivers=[drivers[i] for i in demo_goal.drivers],
        )
        for demo_kpi in demo_goal.kpis:
            fields = (
                goal_services.library_defaults(demo_kpi.library_key)
                if demo_kpi.library_key
                else {
                    "formula": "",
                    "frequency": KPI.Frequency.MONTHLY,
                }
            )
            if demo_kpi.name:
                fields["name"] = demo_kpi.name(language)
            if demo_kpi.unit:
                fields["unit"] = demo_kpi.unit(language)
            fields.update(
                direction=demo_kpi.direction,
                baseline=Decimal(demo_kpi.baseline),
                target=Decimal(demo_kpi.target),
                baseline_date=BASELINE_DATE,
            )
            kpi = goal_services.kpi_create(
                goal=goal, library_key=demo_kpi.library_key, source_system=demo_kpi.source(language), **fields
            )
            days = MONTH_ENDS[-len(demo_kpi.values) :]
            for day, value in zip(days, demo_kpi.values, strict=True):
                goal_services.measurement_create(kpi=kpi, date=day, value=Decimal(value))


def _raci(project: Project) -> None:
    activities = {a.standard_key: a for a in raci_add_standard_activities(project=project)}
    members = dict(Membership.objects.filter(project=project).values_list("user__username", "pk"))
    cells = {
        (activities[key].pk, members[username]): letter
        for key, letters in RACI.items()
        for username, letter in letters.items()
        if key in activities and username in members
    }
    raci_save(project=project, cells=cells)
