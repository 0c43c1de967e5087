"""The 进销存 cutover runbook template: the tasks of a weekend switch-over, pulled into a cutover plan on demand.

The upgrade guide lists what a go-live plan settles (when, how the old and the new system overlap, the
contingency plan and the support in the first days) and the order of the data: master data first, then
open orders and stock. The template turns that into a runbook for a retailer with warehouses, stores and
an online shop:

1. Tell staff, suppliers and customers; freeze master data; stop receiving and shipping; close the channels.
2. Count every warehouse and store, close the books of the old system, back it up and take the snapshot of
   opening stock and balances.
3. Load the data in load order (products, customers, suppliers, locations, price lists, open purchase and
   sales orders, stock, opening balances), each load followed by its reconciliation.
4. The go/no-go gate. After a go: the tills and the online shop switch over, hypercare starts, the first
   sale, receipt and posting are checked, and the parallel run compares stock and receivables with the old
   system. After a no-go, the rollback steps: restore the old system, point the channels back, tell everyone.

Like the UAT case templates, every task carries its English and its Chinese text side by side, and a pull
stores them in the language asked for. Predecessors name other tasks by key (finish-to-start). Some tasks
happen at a set time: `start_hours` is their start in hours after the cutover window opens. The texts
assume a window that opens at 18:00 on the eve of go-live day, so +4 h is 22:00 that evening and +16 h is
10:00 the next morning, when the stores open; the times follow whatever window the plan has.

The rollback steps hang after the gate like the go path: the scheduler plans them too, and a run skips
them unless the gate says no-go or a first-day check fails badly enough to trigger the contingency plan.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from projects.models import CutoverPlan, CutoverTask
from projects.services.golive import task_create

Stream, Kind = CutoverTask.Stream, CutoverTask.Kind


class Text(NamedTuple):
    """One text in English and in Simplified Chinese."""

    en: str
    zh: str

    def in_language(self, language: str | None) -> str:
        return self.zh if (language or "").lower().startswith("zh") else self.en


@dataclass(frozen=True)
class RunbookTemplateTask:
    key: str
    stream: str
    kind: str
    duration_minutes: int
    title: Text
    description: Text
    after: tuple[str, ...] = ()
    start_hours: float | None = None  # fixed start, in hours after the cutover window opens

    def in_language(self, language: str | None) -> "TemplateTask":
        return TemplateTask(
            key=self.key,
            title=self.title.in_language(language),
            description=self.description.in_language(language),
            stream=self.stream,
            kind=self.kind,
            duration_minutes=self.duration_minutes,
            after=self.after,
            start_hours=self.start_hours,
        )


@dataclass(frozen=True)
class TemplateTask:
    """A template task in one language, ready to become a CutoverTask."""

    key: str
    title: str
    description: str
    stream: str
    kind: str
    duration_minutes: int
    after: tuple[str, ...]
    start_hours: float | None

    def fixed_start(self, window_start: datetime | None) -> datetime | None:
        if window_start is None or self.start_hours is None:
            return None
        return window_start + timedelta(hours=self.start_hours)


T = RunbookTemplateTask

# The loads, in load order: (key, English name, Chinese name, minutes to load, minutes to reconcile,
# what the load needs first, the reconciliation check in English and in Chinese).
_LOADS: list[tuple[str, str, str, int, int, tuple[str, ...], str, str]] = [
    (
        "products",
        "products",
        "商品",
        60,
        30,
        ("freeze-master-data",),
        "Count items per category and compare units, barcodes and tax rates of a sample of 50 items with the old "
        "system.",
        "按品类核对商品数量，抽查 50 个商品的单位、条码和税率是否与旧系统一致。",
    ),
    (
        "customers",
        "customers",
        "客户",
        30,
        30,
        ("freeze-master-data",),
        "Compare the number of active customers, their credit limits and payment terms with the old system.",
        "核对有效客户数量及其信用额度和付款条件是否与旧系统一致。",
    ),
    (
        "suppliers",
        "suppliers",
        "供应商",
        20,
        20,
        ("freeze-master-data",),
        "Compare the number of active suppliers, their bank details and payment terms with the old system.",
        "核对有效供应商数量及其银行账户和付款条件是否与旧系统一致。",
    ),
    (
        "locations",
        "warehouses, stores and bins",
        "仓库、门店和库位",
        15,
        15,
        ("freeze-master-data",),
        "Every warehouse, store and bin of the old system exists once in the new one, with the right address.",
        "旧系统中的每个仓库、门店和库位在新系统中都存在且唯一，地址正确。",
    ),
    (
        "price-lists",
        "price lists",
        "价格表",
        30,
        30,
        ("load-products", "load-customers", "load-suppliers"),
        "Compare purchase and sales prices of a sample of 50 items per price list, including promotions that run "
        "on go-live day.",
        "每个价格表抽查 50 个商品的采购价和销售价，包括上线当天有效的促销价。",
    ),
    (
        "open-pos",
        "open purchase orders",
        "未完结采购订单",
        30,
        30,
        ("load-products", "load-suppliers", "load-locations", "load-price-lists", "backup-old-system"),
        "Number of open orders, open quantities and order values per supplier match the old system's open order list.",
        "按供应商核对未完结订单数、未到货数量和订单金额，与旧系统的未完结订单清单一致。",
    ),
    (
        "open-sos",
        "open sales orders",
        "未完结销售订单",
        45,
        30,
        ("load-products", "load-customers", "load-locations", "load-price-lists", "backup-old-system"),
        "Number of open orders, open quantities, reservations and values per customer match the old system.",
        "按客户核对未完结订单数、未发货数量、预留和金额，与旧系统一致。",
    ),
    (
        "stock",
        "stock",
        "库存",
        90,
        60,
        ("load-products", "load-locations", "snapshot"),
        "Quantity and value per item, location and batch equal the signed snapshot; the totals per warehouse and "
        "store match to the unit and to the cent.",
        "每个商品、库位和批次的数量和金额与已签字的快照一致；各仓库、门店的合计数量和金额分毫不差。",
    ),
    (
        "opening-balances",
        "opening balances (receivables and payables)",
        "期初余额（应收和应付）",
        45,
        45,
        ("load-customers", "load-suppliers", "snapshot"),
        "Receivables per customer and payables per supplier, with their ageing, equal the signed snapshot.",
        "每个客户的应收和每个供应商的应付（含账龄）与已签字的快照一致。",
    ),
]


def _load_tasks() -> list[RunbookTemplateTask]:
    tasks = []
    for key, en, zh, load_minutes, check_minutes, needs, check_en, check_zh in _LOADS:
        tasks.append(
            T(
                f"load-{key}",
                Stream.DATA,
                Kind.NORMAL,
                load_minutes,
                Text(f"Final load: {en}", f"最终加载：{zh}"),
                Text(
                    f"Extract the {en} from the old system with the rehearsed script, run the transformation and "
                    "load them into the new system. Keep the load log and the rejected records.",
                    f"用演练过的脚本从旧系统导出{zh}，执行转换并加载到新系统。保存加载日志和被拒绝的记录。",
                ),
                needs,
            )
        )
        after = (f"load-{key}", "snapshot-signoff") if key in ("stock", "opening-balances") else (f"load-{key}",)
        tasks.append(
            T(
                f"reconcile-{key}",
                Stream.DATA,
                Kind.VALIDATION,
                check_minutes,
                Text(f"Reconcile: {en}", f"核对：{zh}"),
                Text(
                    f"{check_en} Pass when every difference is explained and signed off by the data owner.",
                    f"{check_zh}所有差异都已说明并由数据负责人签字确认即为通过。",
                ),
                after,
            )
        )
    return tasks


TEMPLATE: list[RunbookTemplateTask] = [
    # Announce and stop ----------------------------------------------------------------------------------
    T(
        "announce-staff",
        Stream.COMMUNICATIONS,
        Kind.COMMUNICATION,
        30,
        Text("Announce the cutover to all staff", "向全体员工通知系统切换"),
        Text(
            "Send the final notice: when the old system stops, when the new one starts, what each role does "
            "during the weekend and whom to call. Store managers confirm that their teams have read it.",
            "发出最终通知：旧系统何时停用、新系统何时启用、切换期间各岗位做什么、遇到问题找谁。"
            "各门店店长确认本店员工已阅读。",
        ),
        start_hours=0,
    ),
    T(
        "announce-partners",
        Stream.COMMUNICATIONS,
        Kind.COMMUNICATION,
        30,
        Text("Announce the cutover to suppliers and customers", "向供应商和客户通知系统切换"),
        Text(
            "Tell suppliers and carriers that no goods are received or collected during the cutover, and show "
            "customers a notice in the stores and a banner in the online shop with the hours it is closed.",
            "告知供应商和承运商切换期间不收货、不提货；在门店张贴告示，并在网店挂出横幅，说明暂停营业的时间。",
        ),
        start_hours=0,
    ),
    T(
        "freeze-master-data",
        Stream.BUSINESS,
        Kind.NORMAL,
        15,
        Text("Freeze master data changes", "冻结主数据变更"),
        Text(
            "From now on nobody creates or changes items, customers, suppliers, locations or prices in the old "
            "system. Urgent changes are written down and entered in the new system after go-live.",
            "从此刻起，任何人不得在旧系统中新增或修改商品、客户、供应商、库位和价格。"
            "紧急变更先登记，上线后在新系统中录入。",
        ),
        start_hours=0,
    ),
    T(
        "receipt-cutoff",
        Stream.BUSINESS,
        Kind.MILESTONE,
        0,
        Text("Last goods receipt (cut-off)", "最后一笔收货（截止）"),
        Text(
            "The warehouses receive nothing more in the old system. A truck that arrives later is unloaded but "
            "booked in the new system after go-live.",
            "各仓库在旧系统中停止收货。之后到货的车辆可以卸货，但上线后在新系统中入账。",
        ),
        start_hours=0,
    ),
    T(
        "shipment-cutoff",
        Stream.BUSINESS,
        Kind.MILESTONE,
        0,
        Text("Last shipment (cut-off)", "最后一笔发货（截止）"),
        Text(
            "The last carrier collection leaves the warehouses (20:00 for a window that opens at 18:00). Orders "
            "not picked by then are shipped from the new system.",
            "最后一批承运商提货离开仓库（窗口 18:00 开始时为 20:00）。届时未拣货的订单改由新系统发货。",
        ),
        start_hours=2,
    ),
    T(
        "close-channels",
        Stream.BUSINESS,
        Kind.NORMAL,
        15,
        Text("Close the stores and put the online shop into maintenance", "门店打烊，网店进入维护状态"),
        Text(
            "The stores close at their usual time (22:00 for a window that opens at 18:00) and upload the day's "
            "till sales; the online shop stops taking orders.",
            "门店按平时时间打烊（窗口 18:00 开始时为 22:00）并上传当天收银数据；网店停止接单。",
        ),
        start_hours=4,
    ),
    T(
        "post-last-documents",
        Stream.BUSINESS,
        Kind.NORMAL,
        60,
        Text(
            "Post the last receipts, shipments and till sales in the old system", "在旧系统中过账最后的收货、发货和收银"
        ),
        Text(
            "Every receipt, shipment, return and till sale of the day is posted; nothing is left in draft.",
            "当天所有收货、发货、退货和收银单据全部过账，不留草稿。",
        ),
        ("receipt-cutoff", "shipment-cutoff", "close-channels"),
    ),
    # Count and snapshot ---------------------------------------------------------------------------------
    T(
        "count-warehouses",
        Stream.BUSINESS,
        Kind.NORMAL,
        240,
        Text("Final stock count in every warehouse", "各仓库最终盘点"),
        Text(
            "Count every bin, two people per team, with the count sheets printed from the old system. Recount "
            "any item whose difference is above the agreed tolerance.",
            "按库位逐一盘点，每组两人，使用旧系统打印的盘点表。差异超出约定容差的商品复盘。",
        ),
        ("receipt-cutoff", "shipment-cutoff"),
    ),
    T(
        "count-stores",
        Stream.BUSINESS,
        Kind.NORMAL,
        180,
        Text("Final stock count in every store", "各门店最终盘点"),
        Text(
            "Count the shop floor and the back room of every store after closing, and hand in the signed count "
            "sheets to the stock controller.",
            "打烊后盘点每家门店的卖场和仓库，签字后的盘点表交给库存主管。",
        ),
        ("close-channels",),
    ),
    T(
        "close-old-books",
        Stream.BUSINESS,
        Kind.NORMAL,
        60,
        Text("Post the count differences and close the old system's books", "过账盘点差异并在旧系统中结账"),
        Text(
            "Post the approved count differences, invoice every shipped order and run the old system's period "
            "end, so that stock and balances no longer move.",
            "过账经批准的盘点差异，为所有已发货订单开票，并在旧系统中做期末结账，使库存和余额不再变动。",
        ),
        ("post-last-documents", "count-warehouses", "count-stores"),
    ),
    T(
        "backup-old-system",
        Stream.TECHNICAL,
        Kind.NORMAL,
        45,
        Text("Back up the old system and make it read-only", "备份旧系统并设为只读"),
        Text(
            "Take a full backup of the old database, check that it restores, and take away every user's write "
            "access. The backup is what a rollback restores.",
            "对旧数据库做完整备份并验证可以恢复，然后收回所有用户的写权限。回退时恢复的就是这份备份。",
        ),
        ("close-old-books",),
    ),
    T(
        "snapshot",
        Stream.DATA,
        Kind.NORMAL,
        45,
        Text("Snapshot of opening stock and balances", "期初库存和余额快照"),
        Text(
            "Export from the old system: stock per item, location and batch with quantity and value, receivables "
            "per customer and payables per supplier with their ageing. These are the figures the loads must match.",
            "从旧系统导出：按商品、库位和批次的库存数量和金额，按客户的应收和按供应商的应付（含账龄）。"
            "加载后的数据必须与这些数字一致。",
        ),
        ("backup-old-system",),
    ),
    T(
        "snapshot-signoff",
        Stream.BUSINESS,
        Kind.VALIDATION,
        30,
        Text("Sign off the snapshot", "快照签字确认"),
        Text(
            "The finance manager and the stock controller check the snapshot totals against the old system's "
            "reports and sign them.",
            "财务经理和库存主管将快照合计与旧系统报表核对后签字。",
        ),
        ("snapshot",),
    ),
    # Final data load and reconciliation -----------------------------------------------------------------
    *_load_tasks(),
    T(
        "smoke-test",
        Stream.TECHNICAL,
        Kind.VALIDATION,
        60,
        Text("Smoke test of the new system with the loaded data", "用已加载数据对新系统做冒烟测试"),
        Text(
            "Every role logs in; create and cancel a test sale, a test receipt and a test transfer; print a "
            "receipt on a till and a label in the warehouse.",
            "各岗位用户登录；创建并取消一笔测试销售、一笔测试收货和一笔测试调拨；在收银机上打印小票，在仓库打印标签。",
        ),
        ("load-open-pos", "load-open-sos", "load-stock", "load-opening-balances"),
    ),
    # Go/no-go -------------------------------------------------------------------------------------------
    T(
        "go-no-go",
        Stream.BUSINESS,
        Kind.GATE,
        30,
        Text("Go/no-go decision", "上线决策（Go/No-Go）"),
        Text(
            "The decider goes through the criteria: every reconciliation passed or its differences accepted, the "
            "smoke test passed, no open critical defect. A no-go, or a gate that cannot be held before the point "
            "of no return, triggers the contingency plan and the rollback steps.",
            "决策人逐项检查上线标准：所有核对通过或差异已被接受，冒烟测试通过，没有未关闭的严重缺陷。"
            "决定不上线，或在不可回退点之前无法做出决定时，启动应急预案和回退步骤。",
        ),
        (
            "reconcile-products",
            "reconcile-customers",
            "reconcile-suppliers",
            "reconcile-locations",
            "reconcile-price-lists",
            "reconcile-open-pos",
            "reconcile-open-sos",
            "reconcile-stock",
            "reconcile-opening-balances",
            "smoke-test",
        ),
        start_hours=13,
    ),
    # Switch over and the first day ----------------------------------------------------------------------
    T(
        "switch-tills",
        Stream.TECHNICAL,
        Kind.NORMAL,
        60,
        Text("Switch the stores' tills to the new system", "门店收银机切换到新系统"),
        Text(
            "Point every till at the new system, load the item and price file, and ring up a test sale that is "
            "voided at once. Store IT confirms each store.",
            "将每台收银机指向新系统，下载商品和价格文件，做一笔测试销售并立即作废。门店 IT 逐店确认。",
        ),
        ("go-no-go",),
    ),
    T(
        "switch-online-shop",
        Stream.TECHNICAL,
        Kind.NORMAL,
        45,
        Text("Switch the online shop over and reopen it", "网店切换到新系统并恢复营业"),
        Text(
            "Connect the shop's order and stock interfaces to the new system, check that the stock shown is the "
            "loaded stock, and take the shop out of maintenance.",
            "将网店的订单和库存接口连接到新系统，确认显示的库存与加载的库存一致，然后解除维护状态。",
        ),
        ("go-no-go",),
    ),
    T(
        "hypercare-kickoff",
        Stream.COMMUNICATIONS,
        Kind.COMMUNICATION,
        30,
        Text("Hypercare kick-off and go-live announcement", "启动上线支持并宣布上线"),
        Text(
            "Tell all staff that the new system is live. The support team takes its places: key users on site in "
            "each warehouse and store, the vendor on call, one hotline, and an issue review every evening for the "
            "first two weeks.",
            "通知全体员工新系统已上线。支持团队就位：关键用户驻守每个仓库和门店，供应商随时待命，设一条统一热线，"
            "上线头两周每天晚上召开问题复盘会。",
        ),
        ("go-no-go",),
        start_hours=15,
    ),
    T(
        "stores-open",
        Stream.BUSINESS,
        Kind.MILESTONE,
        0,
        Text("Stores open on the new system", "门店使用新系统开门营业"),
        Text(
            "The stores open at their usual time (10:00 the next morning for a window that opens at 18:00).",
            "门店按平时时间开门（窗口 18:00 开始时为次日 10:00）。",
        ),
        ("switch-tills", "hypercare-kickoff"),
        start_hours=16,
    ),
    T(
        "check-first-sale",
        Stream.BUSINESS,
        Kind.VALIDATION,
        30,
        Text("First-day check: first sale", "首日检查：第一笔销售"),
        Text(
            "The first sale in each store and the first online order go through: the receipt prints, payment "
            "is recorded and the stock goes down by the quantity sold.",
            "每家门店的第一笔销售和网店的第一笔订单顺利完成：小票打印正常，收款已记录，库存按销售数量减少。",
        ),
        ("stores-open", "switch-online-shop"),
    ),
    T(
        "check-first-receipt",
        Stream.BUSINESS,
        Kind.VALIDATION,
        30,
        Text("First-day check: first goods receipt", "首日检查：第一笔收货"),
        Text(
            "The first delivery is received against a migrated open purchase order; the stock goes up and the "
            "order's open quantity goes down.",
            "第一批到货按迁移过来的未完结采购订单收货；库存增加，订单未到货数量相应减少。",
        ),
        ("hypercare-kickoff",),
    ),
    T(
        "check-first-posting",
        Stream.BUSINESS,
        Kind.VALIDATION,
        30,
        Text("First-day check: first posting to finance", "首日检查：第一笔财务过账"),
        Text(
            "The first sale and the first receipt reach the ledger with the right accounts, tax and amounts.",
            "第一笔销售和第一笔收货已过账到总账，科目、税额和金额正确。",
        ),
        ("check-first-sale", "check-first-receipt"),
    ),
    T(
        "compare-stock",
        Stream.DATA,
        Kind.VALIDATION,
        60,
        Text("Parallel run: compare stock in the old and new systems", "并行运行：比对新旧系统的库存"),
        Text(
            "After the stores close, compare stock per item and location between the two systems for the "
            "agreed sample. Repeat every evening of the parallel run; a difference nobody can explain goes to "
            "the issue review.",
            "门店打烊后，按约定的抽样范围比对两个系统中每个商品和库位的库存。并行运行期间每晚重复；"
            "无法解释的差异提交问题复盘会。",
        ),
        ("check-first-sale", "check-first-receipt"),
        start_hours=28,
    ),
    T(
        "compare-receivables",
        Stream.DATA,
        Kind.VALIDATION,
        45,
        Text("Parallel run: compare receivables in the old and new systems", "并行运行：比对新旧系统的应收账款"),
        Text(
            "Compare the receivables per customer after the day's invoices and payments. Repeat every evening "
            "of the parallel run.",
            "在当天开票和收款之后比对每个客户的应收余额。并行运行期间每晚重复。",
        ),
        ("check-first-posting",),
        start_hours=28,
    ),
    T(
        "day-one-closed",
        Stream.BUSINESS,
        Kind.MILESTONE,
        0,
        Text("Day one closed on the new system", "新系统首日结束"),
        Text(
            "The first day is over, its checks passed and the comparisons are clean: the cutover is done and "
            "hypercare goes on.",
            "首日结束，各项检查通过，比对无差异：切换完成，上线支持继续进行。",
        ),
        ("compare-stock", "compare-receivables"),
    ),
    # Rollback -------------------------------------------------------------------------------------------
    T(
        "rollback-restore",
        Stream.TECHNICAL,
        Kind.ROLLBACK,
        60,
        Text("Rollback: restore the old system", "回退：恢复旧系统"),
        Text(
            "Only on a no-go or when the contingency plan is triggered. Restore the backup if anything was "
            "changed, give users their write access back and check that the old system shows the snapshot's "
            "stock and balances.",
            "仅在决定不上线或启动应急预案时执行。如有改动则恢复备份，恢复用户写权限，"
            "并确认旧系统显示的库存和余额与快照一致。",
        ),
        ("go-no-go",),
    ),
    T(
        "rollback-repoint",
        Stream.TECHNICAL,
        Kind.ROLLBACK,
        45,
        Text("Rollback: point the tills and the online shop back", "回退：收银机和网店切回旧系统"),
        Text(
            "Point every till and the online shop's interfaces back at the old system and ring up a test sale "
            "in one store.",
            "将每台收银机和网店接口重新指向旧系统，并在一家门店做一笔测试销售。",
        ),
        ("rollback-restore",),
    ),
    T(
        "rollback-communicate",
        Stream.COMMUNICATIONS,
        Kind.ROLLBACK,
        30,
        Text("Rollback: tell staff, suppliers and customers", "回退：通知员工、供应商和客户"),
        Text(
            "Tell staff that they keep working in the old system, tell suppliers and carriers that receiving "
            "and collections go on as before, and give the new go-live date once it is known.",
            "通知员工继续使用旧系统，告知供应商和承运商收货和提货照常进行，新的上线日期确定后另行通知。",
        ),
        ("rollback-repoint",),
    ),
]
BY_KEY = {task.key: task for task in TEMPLATE}


def runbook_tasks(language: str | None) -> list[TemplateTask]:
    """The template's tasks in `language` (zh-hans or any zh-… gives Chinese, anything else English), in
    dependency order."""
    return [task.in_language(language) for task in _dependency_order(TEMPLATE)]


def _dependency_order(tasks: Iterable[RunbookTemplateTask]) -> list[RunbookTemplateTask]:
    """Every task after its predecessors; otherwise in the order written."""
    tasks = list(tasks)
    placed: set[str] = set()
    ordered: list[RunbookTemplateTask] = []
    while len(ordered) < len(tasks):
        ready = next((t for t in tasks if t.key not in placed and all(k in placed for k in t.after)), None)
        if ready is None:  # a template error, caught by the tests
            raise ValueError("The runbook template's predecessors form a cycle or name an unknown task.")
        placed.add(ready.key)
        ordered.append(ready)
    return ordered


@transaction.atomic
def runbook_pull(
    plan: CutoverPlan,
    *,
    language: str | None,
    user: AbstractBaseUser | None = None,
    window_start: datetime | None = None,
) -> list[CutoverTask]:
    """Add the template's tasks to the plan in `language`; returns the tasks created, in dependency order.

    Tasks already pulled (by `template_key`) are not created again and keep whatever was edited in them;
    new tasks follow them where the template says so. A task with a start in the template gets a fixed
    start of `window_start` (else the plan's window start) plus that many hours; without a window it has
    no fixed start and simply follows its predecessors.
    """
    CutoverPlan.objects.select_for_update().get(pk=plan.pk)  # two pulls at once cannot both create a task
    start = window_start or plan.window_start
    by_key = {task.template_key: task for task in plan.tasks.exclude(template_key="")}
    created = []
    for item in runbook_tasks(language):
        if item.key in by_key:
            continue
        task = task_create(
            plan=plan,
            title=item.title,
            predecessors=[by_key[key] for key in item.after if key in by_key],
            user=user,
            description=item.description,
            stream=item.stream,
            kind=item.kind,
            duration_minutes=item.duration_minutes,
            fixed_start=item.fixed_start(start),
            template_key=item.key,
        )
        by_key[item.key] = task
        created.append(task)
    return created
