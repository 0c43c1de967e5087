"""The demo's go-live: the retail chain's parallel-run cutover, its first rehearsal, training by role, go/no-go.

The story, in days from the day the demo is built:

- The cutover plan: a parallel run. The go-live day is a Saturday, the last one on or before the project's target
  go-live (the first Saturday five weeks from now when the target is too close or past). The cutover window opens
  at 18:00 on the Friday before (the time the 进销存 runbook template assumes) and closes at 18:00 on Sunday. The
  go/no-go gate sits at 07:00 on go-live day, the rollback deadline at 07:30 (the rollback steps take 2 h 15 min,
  so the old program is back before the stores open) and the point of no return at 10:00, when the stores ring up
  their first sale on the new platform. Both systems run in parallel for two weeks, compared every evening;
  hypercare lasts four weeks.
- The runbook is the bilingual 进销存 template (46 tasks), each task with an owner and a different backup.
- "Rehearsal 1" ran over a weekend 7 to 13 days ago, from Friday 18:00, following the schedule, except that the
  final count in the stores took 3 h 45 min instead of 3 h and the load of the opening balances 75 min instead of
  45. The count ate the 45 minutes of slack before the go/no-go gate, which still started on time; the rollback
  steps were skipped. It took 29 hours, well inside the 48-hour window. "Rehearsal 2" is planned next week.
- Training: five role plans. Past sessions have their attendance and quiz scores, future ones their invitations:
  warehouse keepers and purchasers are through (100 %), managers half (the IT lead missed the reports session),
  sales clerks and finance still have sessions ahead (0 %); 4 of 8 trainees overall.
- Go/no-go: the standard criteria and two manual checks, evaluated, not decided (go-live is still ahead).

Everything is written through the services, as a user would, with explicit times for what happened in the past.
Like the other demo builders it does nothing when the project already has a runbook. It runs after the UAT and the
migration demos, whose figures the go/no-go criteria read.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from projects import cutover_schedule as engine
from projects.demo_goals import DemoText
from projects.models import CutoverPlan, CutoverRun, CutoverTask, GoNoGoCriterion, Membership, Project, TaskRun
from projects.models.golive import TrainingRole
from projects.runbook_template import runbook_pull
from projects.selectors.golive import run_shift, runbook_tasks
from projects.services import golive as svc
from projects.services import training as training_svc

T = DemoText
Stream, Kind = CutoverTask.Stream, CutoverTask.Kind

LEAD = "lead"  # decides go/no-go and owns the plan
RUNNER = "it"  # the IT lead runs the rehearsals
SATURDAY, FRIDAY = 5, 4
WINDOW_OPENS = time(18, 0)  # on the Friday before go-live: the evening the runbook template assumes
WINDOW_HOURS = 48  # until Sunday 18:00
ROLLBACK_DEADLINE_HOURS = 13.5  # 07:30 on go-live day, right after the gate at 07:00
POINT_OF_NO_RETURN_HOURS = 16  # 10:00 on go-live day: the stores open on the new platform
PARALLEL_DAYS = 14
HYPERCARE_DAYS = 28  # four whole weeks: go-live day is the first of them

# Plan ---------------------------------------------------------------------------------------------------------------

COMPARISON_CHECKS = T(
    "For two weeks after go-live the old program runs alongside the new platform. Every evening, after the stores "
    "close, the key users key the day's receipts, shipments and till totals into the old program too, and the two "
    "are compared:\n\n"
    "| Check | What is compared | Tolerance | Who |\n"
    "|---|---|---|---|\n"
    "| Stock by warehouse and SKU | Quantity of the 200 fastest-moving SKUs in every warehouse and store; total "
    "quantity and value per warehouse | 0 units per SKU; totals within 0.5 % | Warehouse key user |\n"
    "| Receivables by customer | Open balance of every customer after the day's invoices and payments "
    "| CNY 1.00 per customer | Finance |\n"
    "| Sales by store | Net sales and number of receipts per store and for the online shop | Net sales within "
    "0.1 %, receipts exact | Sales |\n\n"
    "A difference above the tolerance goes to the evening issue review the same day: the old figure is checked "
    "first, then the new one. The parallel run ends on schedule when the last ten evenings were clean; the old "
    "program then stays read-only for look-ups.",
    "上线后两周内旧进销存系统与新平台并行运行。每天晚上门店打烊后，关键用户把当天的收货、发货和收银汇总"
    "也录入旧系统，然后比对两边的数据：\n\n"
    "| 检查项 | 比对内容 | 容差 | 负责人 |\n"
    "|---|---|---|---|\n"
    "| 按仓库和商品的库存 | 各仓库和门店销量最高的 200 个商品的数量；各仓库的库存总数量和总金额 "
    "| 每个商品 0 件；总计差异在 0.5% 以内 | 仓库关键用户 |\n"
    "| 按客户的应收账款 | 当天开票和收款后每个客户的未清余额 | 每个客户 1.00 元 | 财务 |\n"
    "| 按门店的销售 | 各门店及网店的净销售额和小票数 | 净销售额差异在 0.1% 以内，小票数完全一致 | 销售 |\n\n"
    "超出容差的差异当天提交晚间问题复盘会：先核查旧系统的数字，再核查新平台。最后连续十个晚上比对无差异，"
    "并行运行即按计划结束；此后旧系统保留为只读，供查询使用。",
)

CONTINGENCY_PLAN = T(
    "The project lead decides; when the lead cannot be reached, the IT lead.\n\n"
    "### Triggers\n\n"
    "- The reconciliation of opening stock is off by more than **0.5 %** of quantity or value in any warehouse or "
    "store, and the difference is not explained by 06:30 on go-live day.\n"
    "- Receivables or payables differ from the signed snapshot by more than **CNY 1.00** for any customer or "
    "supplier.\n"
    "- The smoke test fails on the tills or the handhelds and the vendor cannot fix it within **1 hour**.\n"
    "- On go-live day: the tills of a store **cannot post sales for 30 minutes**, or the online shop shows stock "
    "that differs from the new platform for more than **1 hour**.\n"
    "- A critical defect stops selling, receiving or invoicing.\n\n"
    "### What happens\n\n"
    "1. **Before the rollback deadline** (07:30 on go-live day): the decider calls a no-go and the rollback steps "
    "of the runbook run: restore the old program, point the tills and the online shop back, tell staff, suppliers "
    "and customers. The stores open at 10:00 on the old program.\n"
    "2. **After the point of no return** (10:00 on go-live day, the first sale on the new platform): no rollback. "
    "A store whose tills cannot post sells in offline mode and the tills post when they are back online; if the "
    "tills fail altogether, the store writes paper receipts from the fallback pack and its key user keys them in "
    "the same evening. The online shop goes into maintenance until its stock is right again.\n"
    "3. The vendor's consultant is on call all weekend and answers within 15 minutes. Every trigger and decision is "
    "written down in the hypercare issue list.",
    "由项目负责人决策；联系不上时由 IT 负责人决策。\n\n"
    "### 触发条件\n\n"
    "- 任一仓库或门店的期初库存核对差异超过数量或金额的 **0.5%**，且在上线当天 06:30 前无法解释。\n"
    "- 任一客户或供应商的应收、应付与已签字的快照相差超过 **1.00 元**。\n"
    "- 收银机或手持终端的冒烟测试失败，供应商在 **1 小时**内无法修复。\n"
    "- 上线当天：某门店的收银机 **30 分钟无法过账销售**，或网店显示的库存与新平台不一致超过 **1 小时**。\n"
    "- 出现导致无法销售、收货或开票的严重缺陷。\n\n"
    "### 应对措施\n\n"
    "1. **回退截止时间之前**（上线当天 07:30）：决策人宣布不上线，执行切换手册中的回退步骤：恢复旧系统，"
    "收银机和网店切回旧系统，通知员工、供应商和客户。门店 10:00 照常使用旧系统开门营业。\n"
    "2. **不可回退点之后**（上线当天 10:00，新平台上的第一笔销售）：不再回退。收银机无法过账的门店改用离线模式"
    "销售，恢复连接后自动过账；收银机完全无法使用时，门店使用应急包中的手工小票，当晚由本店关键用户补录。"
    "网店进入维护状态，直到库存恢复正确。\n"
    "3. 供应商实施顾问整个周末随时待命，15 分钟内响应。每次触发和决策都记录在上线支持问题清单中。",
)

# Runbook: owner and backup of each template task (usernames of projects.demo.PEOPLE), by what the task is about;
# a task the template may add later gets its stream's pair.
OWNERS = {
    # business: procurement, sales and the warehouse; finance where the template names the finance manager
    "freeze-master-data": ("procurement", "sales"),
    "receipt-cutoff": ("procurement", "warehouse"),
    "shipment-cutoff": ("warehouse", "sales"),
    "close-channels": ("sales", "warehouse"),
    "post-last-documents": ("warehouse", "procurement"),
    "count-warehouses": ("warehouse", "tester"),
    "count-stores": ("sales", "warehouse"),
    "close-old-books": ("finance", "warehouse"),
    "snapshot-signoff": ("finance", "warehouse"),
    "go-no-go": ("lead", "it"),
    "stores-open": ("sales", "warehouse"),
    "check-first-sale": ("sales", "tester"),
    "check-first-receipt": ("procurement", "warehouse"),
    "check-first-posting": ("finance", "sales"),
    "day-one-closed": ("lead", "it"),
    # data: the IT lead loads, finance reconciles
    "snapshot": ("it", "finance"),
    "compare-stock": ("finance", "it"),
    "compare-receivables": ("finance", "it"),
    # technical: the IT lead, with the tester or the sales key user (tills, online shop) as backup
    "backup-old-system": ("it", "tester"),
    "smoke-test": ("it", "tester"),
    "switch-tills": ("it", "sales"),
    "switch-online-shop": ("it", "sales"),
    "rollback-restore": ("it", "tester"),
    "rollback-repoint": ("it", "sales"),
    # communications: the project lead
    "announce-staff": ("lead", "it"),
    "announce-partners": ("lead", "sales"),
    "hypercare-kickoff": ("lead", "it"),
    "rollback-communicate": ("lead", "sales"),
}
BY_STREAM = {
    Stream.BUSINESS: ("warehouse", "procurement"),
    Stream.DATA: ("it", "finance"),
    Stream.TECHNICAL: ("it", "tester"),
    Stream.COMMUNICATIONS: ("lead", "it"),
}


def owner_and_backup(task: CutoverTask) -> tuple[str, str]:
    if task.template_key in OWNERS:
        return OWNERS[task.template_key]
    if task.template_key.startswith("load-"):
        return ("it", "finance")
    if task.template_key.startswith("reconcile-"):
        return ("finance", "it")
    return BY_STREAM[task.stream]


# Rehearsals ---------------------------------------------------------------------------------------------------------

REHEARSALS = (
    T("Rehearsal 1", "第一次切换演练"),
    T("Rehearsal 2", "第二次切换演练"),
)
# The two tasks that ran longer than planned in rehearsal 1: template key → minutes they took.
OVERRUNS = {
    "count-stores": 225,  # planned 3 h: the back rooms of the stores were fuller than the count sheets assumed
    "load-opening-balances": 75,  # planned 45 min: the ageing was recalculated after the first attempt
}
NOT_NEEDED = T("Not needed: the rehearsal went through.", "不需要：演练顺利完成。")

# Training -----------------------------------------------------------------------------------------------------------

ATTENDED, ABSENT, INVITED = "attended", "absent", "invited"
VENDOR_TRAINER = T("Min Zhou (vendor consultant)", "周敏（供应商实施顾问）")
FINANCE_TRAINER = T("Fang Wang (finance key user)", "王芳（财务关键用户）")
WAREHOUSE_TRAINER = T("Qiang Zhao (warehouse key user)", "赵强（仓库关键用户）")
TRAINING_ROOM = T("Training room, head office", "总部培训室")
CENTRAL_WAREHOUSE = T("Central warehouse, receiving bay", "总仓收货区")
STORE_1 = T("Store 1 (pilot store)", "1 号店（试点门店）")
ONLINE = T("Video call", "视频会议")


@dataclass(frozen=True)
class DemoSession:
    title: DemoText
    day: int  # days from the day the demo is built (moved off the weekend)
    hour: int
    minutes: int
    trainer: DemoText
    location: DemoText
    topics: DemoText
    attendance: tuple[tuple[str, str, int | None], ...] = ()  # past sessions: (username, status, quiz score)


@dataclass(frozen=True)
class DemoTraining:
    role: str
    title: DemoText
    objectives: DemoText
    trainees: tuple[str, ...]
    sessions: tuple[DemoSession, ...]


S = DemoSession
TRAINING = (
    DemoTraining(
        TrainingRole.WAREHOUSE_KEEPER,
        T("Warehouse keepers: receiving, transfers and counts on the handheld", "仓管员：用手持终端收货、调拨和盘点"),
        T(
            "Warehouse keepers do everything on the handheld from go-live day: receive against the purchase order, "
            "put away by bin, move stock between the central warehouse and the stores, and count.",
            "从上线当天起，仓管员的工作全部在手持终端上完成：按采购订单收货、按库位上架、在总仓与门店之间调拨库存、盘点。",
        ),
        ("warehouse", "tester"),
        (
            S(
                T("Receiving and put-away with the handheld", "用手持终端收货和上架"),
                -17,
                9,
                180,
                VENDOR_TRAINER,
                CENTRAL_WAREHOUSE,
                T(
                    "- Receive a delivery against its purchase order by scanning the delivery note\n"
                    "- Short and over deliveries, damaged goods\n"
                    "- Batches and expiry dates of fresh goods\n"
                    "- Put away by bin and print bin labels",
                    "- 扫描送货单，按采购订单收货\n- 短收、超收和破损商品\n"
                    "- 生鲜商品的批次和保质期\n- 按库位上架，打印库位标签",
                ),
                (("warehouse", ATTENDED, 92), ("tester", ATTENDED, 88)),
            ),
            S(
                T("Transfers between stores and cycle counts", "门店间调拨与循环盘点"),
                -10,
                9,
                180,
                VENDOR_TRAINER,
                CENTRAL_WAREHOUSE,
                T(
                    "- Send and receive a transfer between the central warehouse and a store\n"
                    "- Cycle counts by bin, recounts and the difference list\n"
                    "- Counting offline in the cold room and uploading once back in Wi-Fi",
                    "- 在总仓与门店之间发出和接收调拨\n- 按库位循环盘点、复盘和差异表\n"
                    "- 在冷库离线盘点，恢复 Wi-Fi 后上传",
                ),
                (("warehouse", ATTENDED, 95), ("tester", ATTENDED, 81)),
            ),
        ),
    ),
    DemoTraining(
        TrainingRole.PURCHASER,
        T("Purchasers: orders, suppliers and receiving", "采购员：采购订单、供应商与到货"),
        T(
            "Purchasers raise and approve purchase orders from the replenishment proposal and follow them until the "
            "goods are received and the invoice matches.",
            "采购员根据补货建议创建并审批采购订单，并跟踪到货物入库、发票核对一致为止。",
        ),
        ("procurement",),
        (
            S(
                T("Purchase orders from the replenishment proposal", "根据补货建议生成采购订单"),
                -15,
                14,
                150,
                VENDOR_TRAINER,
                TRAINING_ROOM,
                T(
                    "- The replenishment proposal per store and for the central warehouse\n"
                    "- Create, change and approve a purchase order\n"
                    "- Supplier price lists and promotions",
                    "- 各门店及总仓的补货建议\n- 创建、修改和审批采购订单\n- 供应商价格表与促销",
                ),
                (("procurement", ATTENDED, 86),),
            ),
            S(
                T("Receiving against your orders: what the warehouse sees", "按订单收货：仓库看到的是什么"),
                -8,
                14,
                120,
                WAREHOUSE_TRAINER,
                CENTRAL_WAREHOUSE,
                T(
                    "- Open quantities after a short delivery\n"
                    "- Returns to the supplier\n"
                    "- Matching the supplier's invoice with the order and the receipt",
                    "- 短收后的未到货数量\n- 向供应商退货\n- 供应商发票与订单、收货单的三单匹配",
                ),
                (("procurement", ATTENDED, 90),),
            ),
        ),
    ),
    DemoTraining(
        TrainingRole.MANAGER,
        T("Managers: approvals and reports on the phone", "管理人员：手机审批与经营报表"),
        T(
            "Managers approve on the phone and read stock, sales and margin by store every morning instead of "
            "waiting for the spreadsheets.",
            "管理人员在手机上审批，每天早上按门店查看库存、销售和毛利，不再等待手工报表。",
        ),
        ("lead", "it"),
        (
            S(
                T("Approvals on the phone", "手机审批"),
                -12,
                16,
                90,
                VENDOR_TRAINER,
                ONLINE,
                T(
                    "- Approve purchase orders, price changes and stock write-offs\n"
                    "- Delegation during holidays\n"
                    "- Notifications",
                    "- 审批采购订单、调价和库存报损\n- 休假期间的审批委托\n- 消息提醒",
                ),
                (("lead", ATTENDED, 84), ("it", ATTENDED, 97)),
            ),
            S(
                T("Management reports and stock-out alerts", "经营报表与缺货预警"),
                -5,
                16,
                90,
                FINANCE_TRAINER,
                TRAINING_ROOM,
                T(
                    "- Sales, margin and stock turnover by store and category\n"
                    "- Stock-out alerts for the online shop\n"
                    "- The month-end figures finance now closes in two days",
                    "- 按门店和品类查看销售、毛利和库存周转\n- 网店缺货预警\n- 财务两天内完成月结后的月度数据",
                ),
                (("lead", ATTENDED, 76), ("it", ABSENT, None)),  # the IT lead was tied up that afternoon
            ),
        ),
    ),
    DemoTraining(
        TrainingRole.SALES_CLERK,
        T("Sales clerks: tills, online orders and returns", "销售员：收银、网店订单与退货"),
        T(
            "Sales clerks sell at the till and handle online orders from one stock figure: no more selling what the "
            "warehouse no longer has.",
            "销售员在收银台销售、处理网店订单，使用同一个库存数字：不再卖出仓库已经没有的商品。",
        ),
        ("sales",),
        (
            S(
                T("Till sales, payments and returns", "收银销售、收款与退货"),
                -11,
                10,
                120,
                VENDOR_TRAINER,
                STORE_1,
                T(
                    "- Ring up a sale, discounts and member prices\n"
                    "- Cash, card, WeChat Pay and Alipay\n"
                    "- Returns with and without the receipt",
                    "- 收银销售、折扣和会员价\n- 现金、银行卡、微信支付和支付宝\n- 有小票和无小票退货",
                ),
                (("sales", ATTENDED, 78),),
            ),
            S(
                T("Online orders, reservations and cancellations", "网店订单、库存预留与取消"),
                -4,
                10,
                120,
                VENDOR_TRAINER,
                ONLINE,
                T(
                    "- How an online order reserves stock in a store or the central warehouse\n"
                    "- Cancel an order and release its reservation\n"
                    "- Click and collect",
                    "- 网店订单如何预留门店或总仓的库存\n- 取消订单并释放预留\n- 线上下单、门店自提",
                ),
                (("sales", ATTENDED, 65),),
            ),
            S(
                T("Member accounts and the end-of-day till close", "会员账户与收银日结"),
                5,
                10,
                90,
                VENDOR_TRAINER,
                STORE_1,
                T(
                    "- Register a member and merge duplicate accounts\n"
                    "- End-of-day close of the till and the cash count\n"
                    "- Offline mode when the network is down",
                    "- 登记会员、合并重复账户\n- 收银日结与现金清点\n- 断网时的离线模式",
                ),
            ),
        ),
    ),
    DemoTraining(
        TrainingRole.FINANCE,
        T("Finance: postings, month-end close and reconciliation", "财务：过账、月结与对账"),
        T(
            "Sales and receipts now reach the ledger by themselves; finance checks the postings and closes the month "
            "in two days instead of five.",
            "销售和收货自动过账到总账；财务核对过账结果，月结从五天缩短到两天。",
        ),
        ("finance", "auditor"),
        (
            S(
                T("How sales and receipts post to the ledger", "销售与收货如何过账到总账"),
                -6,
                14,
                120,
                VENDOR_TRAINER,
                TRAINING_ROOM,
                T(
                    "- The posting of a till sale, an online order and a goods receipt\n"
                    "- Accounts, tax and cost of goods sold\n"
                    "- Where to look when a posting is missing",
                    "- 收银销售、网店订单和收货的过账\n- 科目、税额和销售成本\n- 过账缺失时从哪里查",
                ),
                (("finance", ATTENDED, 95), ("auditor", ABSENT, None)),
            ),
            S(
                T("Month-end close in two days", "两天完成月结"),
                6,
                14,
                180,
                VENDOR_TRAINER,
                TRAINING_ROOM,
                T(
                    "- The month-end checklist in the new platform\n"
                    "- Accruals for goods received but not invoiced\n"
                    "- Closing the period and the stock valuation",
                    "- 新平台中的月结检查清单\n- 已收货未开票的暂估\n- 关账与存货计价",
                ),
            ),
            S(
                T("Reconciling stock value with the ledger", "库存金额与总账对账"),
                12,
                14,
                120,
                FINANCE_TRAINER,
                TRAINING_ROOM,
                T(
                    "- Stock value by warehouse against the inventory accounts\n"
                    "- Count differences and write-offs\n"
                    "- Reports internal audit asks for",
                    "- 按仓库的库存金额与存货科目核对\n- 盘点差异与报损\n- 内部审计需要的报表",
                ),
            ),
        ),
    ),
)

# Go/no-go: the manual checks beyond the standard set, (name, met, note).
MANUAL_CRITERIA = (
    (
        T("Support desk staffed for the first week", "上线首周支持台人员到位"),
        True,
        T(
            "The vendor's hotline runs 08:00–22:00 in go-live week and a key user is on site in every store and in "
            "the central warehouse; the rota is signed by the store managers.",
            "上线当周供应商热线 08:00–22:00 值守，每家门店和总仓都有一名关键用户驻场；值班表已由各店长签字。",
        ),
    ),
    (
        T("Store managers briefed on the fallback procedure", "店长已了解应急处理流程"),
        None,
        T(
            "Briefing at the next store managers' meeting; the fallback packs with paper receipts are being printed.",
            "将在下次店长例会上讲解；装有手工小票的应急包正在印制。",
        ),
    ),
)


# Building -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def build_golive_demo(*, project: Project, language: str) -> None:
    """Add the cutover plan with its runbook and rehearsals, the training plans and the go/no-go criteria, once; a
    project whose cutover plan has tasks is left alone."""
    if CutoverTask.objects.filter(plan__project=project).exists():
        return
    with translation.override(language):
        members = {m.user.username: m for m in project.memberships.select_related("user")}
        plan = _plan(project, members, language)
        _runbook(plan, members, language)
        _rehearsals(plan, members, language)
        _training(project, members, language)
        _go_no_go(project, members, language)


def go_live_day(project: Project, today: date | None = None) -> date:
    """The Saturday the stores open on the new platform: the last one on or before the target go-live, or the first
    one five weeks from today when the target is closer than three weeks (or not set)."""
    today = today or timezone.localdate()
    target = project.target_go_live
    if target is not None:
        saturday = target - timedelta(days=(target.weekday() - SATURDAY) % 7)
        if saturday >= today + timedelta(weeks=3):
            return saturday
    later = today + timedelta(weeks=5)
    return later + timedelta(days=(SATURDAY - later.weekday()) % 7)


def _plan(project: Project, members: dict[str, Membership], language: str) -> CutoverPlan:
    go_live = go_live_day(project)
    window_start = _at(go_live - timedelta(days=1), WINDOW_OPENS)
    plan = svc.plan_for(project)
    return svc.plan_update(
        plan=plan,
        expected_version=plan.version,
        user=members[LEAD].user,
        strategy=CutoverPlan.Strategy.PARALLEL,
        go_live_date=go_live,
        window_start=window_start,
        window_end=window_start + timedelta(hours=WINDOW_HOURS),
        rollback_deadline=window_start + timedelta(hours=ROLLBACK_DEADLINE_HOURS),
        point_of_no_return=window_start + timedelta(hours=POINT_OF_NO_RETURN_HOURS),
        parallel_until=go_live + timedelta(days=PARALLEL_DAYS),
        comparison_checks=COMPARISON_CHECKS(language),
        contingency_plan=CONTINGENCY_PLAN(language),
        hypercare_until=go_live + timedelta(days=HYPERCARE_DAYS - 1),
        decider=members[LEAD],
    )


def _runbook(plan: CutoverPlan, members: dict[str, Membership], language: str) -> None:
    lead = members[LEAD].user
    runbook_pull(plan, language=language, user=members[RUNNER].user, window_start=plan.window_start)
    for task in plan.tasks.order_by("number"):
        owner, backup = owner_and_backup(task)
        svc.task_update(
            task=task, expected_version=task.version, owner=members[owner], backup=members[backup], user=lead
        )


def _rehearsals(plan: CutoverPlan, members: dict[str, Membership], language: str) -> None:
    runner = members[RUNNER].user
    today = timezone.localdate()
    last_friday = today - timedelta(days=7)
    last_friday -= timedelta(days=(last_friday.weekday() - FRIDAY) % 7)  # 7 to 13 days ago
    next_friday = today + timedelta(days=3)
    next_friday += timedelta(days=(FRIDAY - next_friday.weekday()) % 7)  # 3 to 9 days ahead
    first = svc.run_create(
        plan=plan,
        kind=CutoverRun.Kind.REHEARSAL,
        name=REHEARSALS[0](language),
        planned_start=_at(last_friday, WINDOW_OPENS),
        user=runner,
    )
    _execute(first, members, language)
    svc.run_create(
        plan=plan,
        kind=CutoverRun.Kind.REHEARSAL,
        name=REHEARSALS[1](language),
        planned_start=_at(next_friday, WINDOW_OPENS),
        user=runner,
    )


def rehearsal_times(run: CutoverRun) -> engine.Schedule:
    """When each task of the rehearsal ran: as the schedule says from the run's start, with the overruns' real
    durations and the rollback steps skipped (computed by the same engine the pages use)."""
    tasks = list(runbook_tasks(run.plan))
    shift = run_shift(run)
    return engine.schedule(
        [
            engine.Task(
                id=task.pk,
                duration=OVERRUNS.get(task.template_key, task.duration_minutes),
                predecessors=tuple(p.pk for p in task.predecessors.all()),
                fixed_start=task.fixed_start + shift if task.fixed_start else None,
                status=engine.SKIPPED if task.kind == Kind.ROLLBACK else engine.PENDING,
            )
            for task in tasks
        ],
        start=run.planned_start,
    )


def _execute(run: CutoverRun, members: dict[str, Membership], language: str) -> None:
    runner = members[RUNNER].user
    times = rehearsal_times(run)
    tasks = {task.pk: task for task in runbook_tasks(run.plan)}
    svc.run_start(run=run, user=runner, at=run.planned_start)
    end = run.planned_start
    for task_id in times.order():
        task = tasks[task_id]
        if task.kind == Kind.ROLLBACK:
            svc.task_skip(run=run, task=task, reason=NOT_NEEDED(language), user=runner)
            continue
        slot = times.slots[task_id]
        who = task.owner.user if task.owner else runner
        svc.task_start(run=run, task=task, user=who, at=slot.start)
        svc.task_finish(run=run, task=task, outcome=TaskRun.Status.DONE, user=who, at=slot.finish)
        end = max(end, slot.finish)
    svc.run_finish(run=run, user=runner, at=end)


def _training(project: Project, members: dict[str, Membership], language: str) -> None:
    taken = set(project.training_plans.values_list("role", flat=True))
    for spec in TRAINING:
        if spec.role in taken:
            continue
        plan = training_svc.plan_create(
            project=project,
            role=spec.role,
            title=spec.title(language),
            objectives=spec.objectives(language),
            trainees=[members[username] for username in spec.trainees],
            user=members[LEAD].user,
        )
        for item in spec.sessions:
            session = training_svc.session_create(
                plan=plan,
                title=item.title(language),
                starts_at=_at(_workday(item.day), time(item.hour, 0)),
                duration_minutes=item.minutes,
                trainer=item.trainer(language),
                location=item.location(language),
                topics=item.topics(language),
                user=members[LEAD].user,
            )
            marked = {username: (status, score) for username, status, score in item.attendance}
            training_svc.attendance_save(
                session=session,
                records=[
                    training_svc.AttendanceRecord(
                        member=members[username],
                        status=marked.get(username, (INVITED, None))[0],
                        quiz_score=_score(marked.get(username, (INVITED, None))[1]),
                    )
                    for username in spec.trainees
                ],
                user=members[LEAD].user,
            )


def _go_no_go(project: Project, members: dict[str, Membership], language: str) -> None:
    lead = members[LEAD].user
    with suppress(svc.GoLiveError):  # refused when the project has them all already
        svc.criteria_add_standard(project=project, user=lead)
    names = set(project.go_criteria.values_list("name", flat=True))
    for name, met, note in MANUAL_CRITERIA:
        if name(language) not in names:
            svc.criterion_create(
                project=project,
                kind=GoNoGoCriterion.Kind.MANUAL,
                name=name(language),
                manual_met=met,
                note=note(language),
                user=lead,
            )


def _score(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _workday(offset: int) -> date:
    """The day `offset` days from today, moved off the weekend (Saturday to Friday, Sunday to Monday), so a past
    session stays past and a coming one to come."""
    day = timezone.localdate() + timedelta(days=offset)
    if day.weekday() == SATURDAY:
        return day - timedelta(days=1)
    if day.weekday() == SATURDAY + 1:
        return day + timedelta(days=1)
    return day


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))
