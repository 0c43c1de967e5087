"""Standard UAT cases for a purchase–sales–inventory (进销存) upgrade, pulled into a project on demand.

The upgrade guide asks for user acceptance tests "in scenarios that imitate real business, covering
normal and exception flows as far as possible". These templates cover purchasing, receiving, sales,
shipping, several warehouses, stock-taking, returns, finance and handheld scanning, each written for
the role that runs it.

Unlike the requirement catalogue, whose texts go through the translation catalogue, every template
carries its English and its Chinese text side by side: a pulled case is stored in the language asked
for, and the templates are usable in Chinese without a translation step. Test data (order numbers,
item codes, quantities) is the same in both languages.

A template names the catalogue requirements it verifies; pulling links the project's requirements that
were pulled from those catalogue entries (`Requirement.catalogue_key`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Project
from requirements.models import Requirement
from testing.models import CaseSequence, UATCase
from testing.services import TestingError, case_create

R, F, P = UATCase.Role, UATCase.Flow, UATCase.Priority


class Text(NamedTuple):
    """One text in English and in Simplified Chinese."""

    en: str
    zh: str

    def in_language(self, language: str | None) -> str:
        return self.zh if is_chinese(language) else self.en


def is_chinese(language: str | None) -> bool:
    """Whether a language code asks for the Chinese text (zh-hans, zh-cn …); anything else gets English."""
    return (language or "").lower().startswith("zh")


@dataclass(frozen=True)
class TemplateStep:
    action: Text
    expected: Text
    test_data: str = ""


@dataclass(frozen=True)
class CaseTemplate:
    key: str
    role: str
    flow: str
    priority: str
    title: Text
    preconditions: Text
    steps: tuple[TemplateStep, ...]
    requirements: tuple[str, ...] = ()  # keys of requirements/catalogue.py entries it verifies

    def in_language(self, language: str | None) -> "LocalizedTemplate":
        return LocalizedTemplate(
            key=self.key,
            role=self.role,
            flow=self.flow,
            priority=self.priority,
            title=self.title.in_language(language),
            preconditions=self.preconditions.in_language(language),
            steps=tuple(
                (s.action.in_language(language), s.expected.in_language(language), s.test_data) for s in self.steps
            ),
            requirements=self.requirements,
        )


@dataclass(frozen=True)
class LocalizedTemplate:
    """A template in one language; `steps` are (action, expected, test data), as case_create takes them."""

    key: str
    role: str
    flow: str
    priority: str
    title: str
    preconditions: str
    steps: tuple[tuple[str, str, str], ...]
    requirements: tuple[str, ...]


S = TemplateStep

TEMPLATES: list[CaseTemplate] = [
    # Purchasing ---------------------------------------------------------------------------------------
    CaseTemplate(
        key="po-create-approve",
        role=R.PURCHASER,
        flow=F.NORMAL,
        priority=P.HIGH,
        title=Text(
            "Create a purchase order above the buyer's limit and have it approved",
            "创建超出采购员审批额度的采购订单并审批",
        ),
        preconditions=Text(
            "- Supplier SUP-0107 has a valid price list for item A-1001.\n"
            "- The tester's purchase approval limit is 50,000 CNY; a purchasing manager account is available.",
            "- 供应商 SUP-0107 有商品 A-1001 的有效价格表。\n"
            "- 测试人员的采购审批额度为 50,000 元;另有一个采购经理账号用于审批。",
        ),
        steps=(
            S(
                Text(
                    "Create a purchase order for supplier SUP-0107 and add item A-1001.",
                    "为供应商 SUP-0107 新建采购订单,添加商品 A-1001。",
                ),
                Text("The unit price is filled in from the supplier's price list.", "单价按供应商价格表自动带出。"),
                "SUP-0107; A-1001",
            ),
            S(
                Text("Enter 600 pieces and a delivery date, then save.", "录入数量 600 件和交货日期,保存。"),
                Text(
                    "The order total equals the sum of the lines including tax; because it is above 50,000 CNY "
                    "the order is saved as 'Waiting for approval'.",
                    "订单总额等于各行含税金额之和;因金额超过 50,000 元,订单保存为“待审批”。",
                ),
                "600 × 98.00 = 58,800.00",
            ),
            S(
                Text("Try to send the order to the supplier before it is approved.", "审批前尝试将订单发送给供应商。"),
                Text(
                    "Sending is refused with a message that the order needs approval.",
                    "系统拒绝发送,提示订单需先审批。",
                ),
            ),
            S(
                Text(
                    "Sign in as purchasing manager and approve the order with a comment.",
                    "以采购经理身份登录,填写意见后审批通过。",
                ),
                Text(
                    "The order becomes 'Approved'; the approver, time and comment are shown on the order.",
                    "订单状态变为“已审批”,订单上显示审批人、审批时间和审批意见。",
                ),
            ),
            S(
                Text("Print the order and e-mail it to the supplier.", "打印订单并通过邮件发给供应商。"),
                Text(
                    "The printout and the e-mail show the same lines, prices and total as the screen.",
                    "打印件和邮件中的明细、单价和总额与系统界面一致。",
                ),
            ),
        ),
        requirements=("pur-po-create", "pur-po-approve", "pur-price"),
    ),
    CaseTemplate(
        key="po-price-change-open-order",
        role=R.PURCHASER,
        flow=F.EXCEPTION,
        priority=P.MEDIUM,
        title=Text("Supplier raises the price while a purchase order is still open", "采购订单未完结时供应商调价"),
        preconditions=Text(
            "- Approved purchase order PO-2026-0051 for 100 pieces of A-1001 at 98.00 CNY; 40 pieces are "
            "already received.\n"
            "- The supplier has announced a new price of 105.00 CNY from today.",
            "- 已审批的采购订单 PO-2026-0051:商品 A-1001 共 100 件,单价 98.00 元,已入库 40 件。\n"
            "- 供应商通知自今日起单价调整为 105.00 元。",
        ),
        steps=(
            S(
                Text(
                    "Enter the new price 105.00 in the supplier price list, valid from today.",
                    "在供应商价格表中录入新单价 105.00,生效日期为今天。",
                ),
                Text(
                    "Purchase orders created from today take 105.00; older orders keep their price.",
                    "今天起新建的采购订单带出 105.00;之前的订单单价不变。",
                ),
                "SUP-0107; A-1001; 105.00",
            ),
            S(
                Text(
                    "Open PO-2026-0051 and change the line price to 105.00.",
                    "打开 PO-2026-0051,把该行单价改为 105.00。",
                ),
                Text(
                    "The order goes back to 'Waiting for approval' and cannot be sent until it is approved again.",
                    "订单退回“待审批”,重新审批前不能发送给供应商。",
                ),
                "PO-2026-0051",
            ),
            S(
                Text("Approve the changed order as purchasing manager.", "以采购经理身份审批修改后的订单。"),
                Text(
                    "The order is approved; its history shows the old and new price, who changed it and when.",
                    "订单审批通过;修改记录显示原单价、新单价、修改人和修改时间。",
                ),
            ),
            S(
                Text("Open the receipt of the 40 pieces already received.", "打开已入库 40 件的入库单。"),
                Text(
                    "The receipt still shows 98.00; the stock value of those 40 pieces is unchanged.",
                    "入库单单价仍为 98.00,这 40 件的库存金额不变。",
                ),
            ),
            S(
                Text("Receive the remaining 60 pieces.", "收货入库剩余的 60 件。"),
                Text(
                    "The new receipt is valued at 105.00 and the purchase order is completed.",
                    "新入库单按 105.00 计价,采购订单状态变为“已完成”。",
                ),
                "A-1001 × 60",
            ),
        ),
        requirements=("pur-price", "pur-po-approve", "sec-audit-trail"),
    ),
    # Receiving ----------------------------------------------------------------------------------------
    CaseTemplate(
        key="receipt-full",
        role=R.WAREHOUSE_KEEPER,
        flow=F.NORMAL,
        priority=P.HIGH,
        title=Text(
            "Receive a complete delivery with a handheld scanner and put it away", "用手持终端扫码收货并上架(整单到货)"
        ),
        preconditions=Text(
            "- Approved purchase order PO-2026-0042 for 10 cartons of A-1001 (24 pieces per carton).\n"
            "- The tester is signed in on a supported handheld scanner in warehouse WH-SH.",
            "- 已审批的采购订单 PO-2026-0042:商品 A-1001 共 10 箱(每箱 24 件)。\n"
            "- 测试人员已在上海仓(WH-SH)的手持终端上登录。",
        ),
        steps=(
            S(
                Text(
                    "Scan the purchase order number on the supplier's delivery note.",
                    "扫描供应商送货单上的采购订单号。",
                ),
                Text(
                    "The handheld shows the open lines of PO-2026-0042 with 10 cartons expected.",
                    "手持终端显示 PO-2026-0042 的未收货明细,应收 10 箱。",
                ),
                "PO-2026-0042",
            ),
            S(
                Text("Scan the item barcode on each of the 10 cartons.", "逐箱扫描 10 箱上的商品条码。"),
                Text(
                    "The received quantity counts up to 10 cartons, shown as 240 pieces by the carton factor.",
                    "已收数量累计到 10 箱,按箱规换算为 240 件。",
                ),
                "A-1001 × 10",
            ),
            S(
                Text("Confirm the receipt on the handheld.", "在手持终端上确认收货。"),
                Text(
                    "The receipt is posted; stock of A-1001 in WH-SH rises by 240 pieces at once and the order is "
                    "completed.",
                    "入库单过账;上海仓 A-1001 库存立即增加 240 件,采购订单状态变为“已完成”。",
                ),
            ),
            S(
                Text(
                    "Open the put-away task, scan the suggested bin, then the cartons.",
                    "打开上架任务,先扫描系统建议的库位,再扫描货箱。",
                ),
                Text(
                    "The goods move from the receiving area to the bin; the stock query shows them in that bin.",
                    "货物从收货区移到该库位;库存查询显示货物在该库位。",
                ),
                "A-03-02-1",
            ),
        ),
        requirements=("pur-receipt", "mob-receiving", "whs-putaway", "inv-uom"),
    ),
    CaseTemplate(
        key="receipt-short-shipped",
        role=R.WAREHOUSE_KEEPER,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Receive a delivery that is short-shipped", "供应商少发货:按实收数量入库"),
        preconditions=Text(
            "- Approved purchase order PO-2026-0042 for 10 cartons of A-1001 (24 pieces per carton).\n"
            "- The supplier's delivery note says 10 cartons, but only 8 arrive.",
            "- 已审批的采购订单 PO-2026-0042:商品 A-1001 共 10 箱(每箱 24 件)。\n"
            "- 供应商送货单写 10 箱,实际只到 8 箱。",
        ),
        steps=(
            S(
                Text(
                    "Open the receipt for PO-2026-0042 and enter 8 cartons received.",
                    "打开 PO-2026-0042 的收货单,录入实收 8 箱。",
                ),
                Text(
                    "The receipt shows 10 ordered, 8 received and a shortage of 2 cartons, highlighted.",
                    "收货单显示订购 10 箱、实收 8 箱,短少 2 箱并突出显示。",
                ),
                "PO-2026-0042; 8 / 10",
            ),
            S(
                Text("Post the receipt.", "过账入库单。"),
                Text(
                    "Stock of A-1001 rises by 8 cartons (192 pieces), not by 10.",
                    "A-1001 库存增加 8 箱(192 件),而不是 10 箱。",
                ),
            ),
            S(
                Text("Open the purchase order.", "打开采购订单。"),
                Text(
                    "2 cartons remain open on the order; its status is 'Partly received'.",
                    "订单上仍有 2 箱未收,订单状态为“部分收货”。",
                ),
            ),
            S(
                Text(
                    "The supplier will not deliver the 2 cartons: close the remaining quantity with that reason.",
                    "供应商答复不再补发 2 箱:关闭剩余数量并填写原因。",
                ),
                Text(
                    "The order is closed at 8 cartons, nothing stays open and the reason is stored on the order.",
                    "订单按 8 箱关闭,不再有未收数量,关闭原因保存在订单上。",
                ),
            ),
            S(
                Text("Run the supplier performance report for this month.", "查看本月供应商绩效报表。"),
                Text(
                    "The delivery counts as incomplete for supplier SUP-0107.",
                    "该次送货在供应商 SUP-0107 名下计为“未足额交货”。",
                ),
            ),
        ),
        requirements=("pur-receipt", "pur-supplier-rating"),
    ),
    CaseTemplate(
        key="receipt-over-tolerance",
        role=R.WAREHOUSE_KEEPER,
        flow=F.EXCEPTION,
        priority=P.MEDIUM,
        title=Text("Stop a receipt above the over-delivery tolerance", "超出超收容差的到货被拦截"),
        preconditions=Text(
            "- Purchase order PO-2026-0043 for 100 pieces of B-2001.\n"
            "- The over-delivery tolerance is 5 %; the supplier delivers 120 pieces.",
            "- 采购订单 PO-2026-0043:商品 B-2001 共 100 件。\n- 超收容差为 5%;供应商实际送来 120 件。",
        ),
        steps=(
            S(
                Text("Enter 120 pieces received on the receipt and post it.", "在收货单上录入实收 120 件并过账。"),
                Text(
                    "Posting is stopped: 120 is above the allowed 105, and the message states the limit.",
                    "系统不允许直接过账:120 件超过允许的 105 件,提示中写明上限。",
                ),
                "PO-2026-0043; B-2001 × 120",
            ),
            S(
                Text("Send the receipt for approval.", "将收货单提交审批。"),
                Text("The receipt waits for approval; stock has not changed.", "收货单等待审批,库存没有变化。"),
            ),
            S(
                Text(
                    "As purchasing manager, reject the over-delivery with a comment.",
                    "以采购经理身份驳回超收,并填写意见。",
                ),
                Text(
                    "The receipt goes back to the warehouse with the comment; stock still has not changed.",
                    "收货单退回仓库并附审批意见;库存仍未变化。",
                ),
            ),
            S(
                Text(
                    "Change the quantity to 105, post, and hand the other 15 pieces back to the driver.",
                    "把数量改为 105 件后过账,其余 15 件交司机带回。",
                ),
                Text(
                    "The receipt posts with 105 pieces; stock rises by 105 and the order is completed.",
                    "入库单按 105 件过账,库存增加 105 件,采购订单完成。",
                ),
                "B-2001 × 105",
            ),
        ),
        requirements=("pur-receipt",),
    ),
    CaseTemplate(
        key="receipt-batch-expiry",
        role=R.WAREHOUSE_KEEPER,
        flow=F.NORMAL,
        priority=P.HIGH,
        title=Text(
            "Receive a batch-tracked item with batch number and expiry date", "批次管理商品收货:录入批号和有效期"
        ),
        preconditions=Text(
            "- Item F-3001 (milk powder, 900 g) is tracked by batch and expiry date.\n"
            "- Purchase order PO-2026-0044 for 50 cans of F-3001 from supplier SUP-0107.",
            "- 商品 F-3001(奶粉 900 克)启用批次和效期管理。\n"
            "- 向供应商 SUP-0107 采购的订单 PO-2026-0044:F-3001 共 50 罐。",
        ),
        steps=(
            S(
                Text(
                    "Enter 50 cans received without a batch number and try to post.",
                    "录入实收 50 罐,不填批号,尝试过账。",
                ),
                Text(
                    "Posting is refused: this item needs a batch number.",
                    "系统拒绝过账,提示该商品必须填写批号。",
                ),
                "PO-2026-0044; F-3001 × 50",
            ),
            S(
                Text(
                    "Enter batch L20260301 with its production and expiry dates, then post.",
                    "录入批号 L20260301、生产日期和有效期至,然后过账。",
                ),
                Text(
                    "The receipt posts; the expiry date is stored with the batch.",
                    "入库单过账成功,有效期随批号一起保存。",
                ),
                "L20260301; 2026-03-01 → 2027-08-31",
            ),
            S(
                Text("Query stock of F-3001 by batch and location.", "按批次和库位查询 F-3001 库存。"),
                Text(
                    "The query shows 50 cans of batch L20260301 in WH-SH with its expiry date.",
                    "查询结果显示上海仓批号 L20260301 共 50 罐及其有效期。",
                ),
            ),
            S(
                Text("Trace batch L20260301.", "追溯批号 L20260301。"),
                Text(
                    "Within one minute the trace shows supplier SUP-0107 and the receipt of PO-2026-0044.",
                    "一分钟内显示来源供应商 SUP-0107 和 PO-2026-0044 的入库单。",
                ),
            ),
        ),
        requirements=("inv-batch", "inv-expiry", "pur-receipt"),
    ),
    # Sales and shipping -------------------------------------------------------------------------------
    CaseTemplate(
        key="sales-order-to-delivery",
        role=R.SALES_CLERK,
        flow=F.NORMAL,
        priority=P.HIGH,
        title=Text("Sales order from entry to delivery and invoice", "销售订单从录单到出库开票"),
        preconditions=Text(
            "- Customer CUS-0203 pays within 30 days and has enough credit.\n"
            "- Item A-1001 has 200 pieces available in WH-SH.",
            "- 客户 CUS-0203 账期 30 天,信用额度充足。\n- 上海仓商品 A-1001 可用库存 200 件。",
        ),
        steps=(
            S(
                Text(
                    "Create a sales order for CUS-0203: 50 pieces of A-1001 with a delivery date.",
                    "为客户 CUS-0203 新建销售订单:A-1001 共 50 件,填写交货日期。",
                ),
                Text(
                    "The price comes from the customer's price group; the order is saved with a number.",
                    "单价按客户价格组自动带出;订单保存后生成单号。",
                ),
                "CUS-0203; A-1001 × 50",
            ),
            S(
                Text("Confirm the order and look at the stock of A-1001.", "确认订单后查看 A-1001 库存。"),
                Text(
                    "On hand stays 200, reserved becomes 50 and available 150.",
                    "现存量仍为 200 件,已预留 50 件,可用 150 件。",
                ),
            ),
            S(
                Text("As warehouse keeper, print the picking list and pick the goods.", "仓管员打印拣货单并拣货。"),
                Text(
                    "The picking list shows bin, item and 50 pieces, sorted by bin.",
                    "拣货单按库位排序,列出库位、商品和数量 50 件。",
                ),
            ),
            S(
                Text("Pack, print the shipping label and post the delivery.", "打包、打印快递面单并过账出库单。"),
                Text(
                    "On hand falls to 150 and reserved to 0; the order status is 'Delivered'.",
                    "现存量降为 150 件,预留为 0;订单状态为“已发货”。",
                ),
            ),
            S(
                Text("Create the invoice from the delivery.", "根据出库单生成销售发票。"),
                Text(
                    "The invoice shows the 50 delivered pieces at the order price; the order leaves the "
                    "'delivered, not invoiced' list.",
                    "发票数量为已发货的 50 件,单价与订单一致;该订单从“已发货未开票”清单中移除。",
                ),
            ),
        ),
        requirements=("sal-so-create", "inv-availability", "whs-pick", "whs-pack-ship", "sal-delivery"),
    ),
    CaseTemplate(
        key="sale-exceeds-stock-multi-warehouse",
        role=R.SALES_CLERK,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text(
            "Sell more than one warehouse has available while another warehouse holds stock",
            "多仓库下销售数量超过单仓可用库存",
        ),
        preconditions=Text(
            "- Item A-1001: WH-SH has 30 on hand with 10 reserved (20 available); WH-BJ has 15 available.\n"
            "- Customer CUS-0203 orders 50 pieces, normally shipped from WH-SH.",
            "- 商品 A-1001:上海仓现存 30 件、已预留 10 件(可用 20 件);北京仓可用 15 件。\n"
            "- 客户 CUS-0203 订购 50 件,默认从上海仓发货。",
        ),
        steps=(
            S(
                Text(
                    "Enter a sales order for 50 pieces of A-1001 from WH-SH.",
                    "录入销售订单:A-1001 共 50 件,发货仓为上海仓。",
                ),
                Text(
                    "The line shows available stock per warehouse: WH-SH 20, WH-BJ 15, total 35.",
                    "订单行按仓库显示可用库存:上海仓 20 件、北京仓 15 件,合计 35 件。",
                ),
                "CUS-0203; A-1001 × 50; WH-SH 20 / WH-BJ 15",
            ),
            S(
                Text("Try to confirm all 50 pieces from WH-SH.", "尝试整单 50 件从上海仓确认。"),
                Text(
                    "Confirmation is refused: only 20 are available in WH-SH; the 10 reserved for another order "
                    "cannot be taken.",
                    "系统拒绝确认:上海仓仅可用 20 件,已为其他订单预留的 10 件不能占用。",
                ),
            ),
            S(
                Text(
                    "Split the line: 20 from WH-SH, 15 from WH-BJ and 15 on backorder, then confirm.",
                    "拆分订单行:上海仓 20 件、北京仓 15 件,其余 15 件转为缺货待发,然后确认。",
                ),
                Text(
                    "The order is confirmed; 20 are reserved in WH-SH and 15 in WH-BJ; 15 stay open without "
                    "reservation.",
                    "订单确认成功:上海仓预留 20 件、北京仓预留 15 件,15 件不预留,保持待发。",
                ),
            ),
            S(
                Text("Open the stock overview of A-1001 across all warehouses.", "查看 A-1001 在全部仓库的库存汇总。"),
                Text(
                    "Available stock is 0 in both warehouses; no warehouse shows negative stock.",
                    "两个仓库可用库存均为 0,任何仓库都没有负库存。",
                ),
            ),
            S(
                Text(
                    "Have a second sales clerk enter an order for 1 piece of A-1001 from either warehouse.",
                    "另一名销售员为 A-1001 下单 1 件,任选一个仓库发货。",
                ),
                Text(
                    "The order cannot reserve stock and shows 0 available in both warehouses.",
                    "该订单无法预留库存,两个仓库均显示可用 0 件。",
                ),
                "A-1001 × 1",
            ),
        ),
        requirements=("inv-multi-wh", "inv-availability", "inv-negative", "sal-so-create"),
    ),
    CaseTemplate(
        key="partial-shipment",
        role=R.WAREHOUSE_KEEPER,
        flow=F.NORMAL,
        priority=P.MEDIUM,
        title=Text("Ship part of a sales order now and the rest later", "销售订单分批发货"),
        preconditions=Text(
            "- Confirmed sales order SO-2026-0310 for 100 pieces of B-2001.\n"
            "- Only 60 pieces can be picked today; 40 more arrive next week.",
            "- 已确认的销售订单 SO-2026-0310:商品 B-2001 共 100 件。\n- 今天只能拣出 60 件,另外 40 件下周到货。",
        ),
        steps=(
            S(
                Text("Pick 60 pieces and post a delivery for them.", "拣货 60 件并过账出库单。"),
                Text(
                    "The delivery posts; stock falls by 60; the order shows 60 delivered and 40 open.",
                    "出库单过账;库存减少 60 件;订单显示已发 60 件、未发 40 件。",
                ),
                "SO-2026-0310; B-2001 × 60",
            ),
            S(
                Text("As finance, open the 'delivered, not invoiced' list.", "财务查看“已发货未开票”清单。"),
                Text(
                    "The 60 delivered pieces are on it; the 40 open pieces are not.",
                    "清单中有已发的 60 件,没有未发的 40 件。",
                ),
            ),
            S(
                Text(
                    "When the goods arrive, pick 40 pieces and post a second delivery.",
                    "到货后拣货 40 件,过账第二张出库单。",
                ),
                Text(
                    "The order becomes 'Delivered' and shows both delivery notes.",
                    "订单状态变为“已发货”,订单下显示两张出库单。",
                ),
                "B-2001 × 40",
            ),
            S(
                Text("Try to post one more delivery for this order.", "再尝试为该订单过账一张出库单。"),
                Text(
                    "Refused: nothing is left to deliver, and a delivery above the ordered quantity is not allowed.",
                    "系统拒绝:订单已无未发数量,不允许超出订购数量出库。",
                ),
            ),
        ),
        requirements=("sal-delivery", "whs-pick", "whs-pack-ship"),
    ),
    CaseTemplate(
        key="credit-limit-hold",
        role=R.SALES_CLERK,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text(
            "Hold a sales order that takes the customer over the credit limit", "超出客户信用额度的销售订单被冻结"
        ),
        preconditions=Text(
            "- Customer CUS-0410 has a credit limit of 100,000 CNY and 92,000 CNY outstanding.\n"
            "- A sales manager can approve orders on the phone.",
            "- 客户 CUS-0410 信用额度 100,000 元,已占用(未回款)92,000 元。\n- 销售经理可在手机上审批订单。",
        ),
        steps=(
            S(
                Text(
                    "Enter a sales order of 15,000 CNY for CUS-0410 and confirm it.",
                    "为 CUS-0410 录入 15,000 元的销售订单并确认。",
                ),
                Text(
                    "The order is put on credit hold; the message shows the limit 100,000, used 92,000 and this "
                    "order 15,000.",
                    "订单被信用冻结,提示信用额度 100,000 元、已占用 92,000 元、本单 15,000 元。",
                ),
                "CUS-0410; 15,000.00",
            ),
            S(
                Text(
                    "As warehouse keeper, look for the order among the orders to pick.",
                    "仓管员在待拣货订单中查找该订单。",
                ),
                Text("The held order is not there and cannot be shipped.", "被冻结的订单不在待拣货清单中,不能出库。"),
            ),
            S(
                Text(
                    "As sales manager, approve the order on the phone with a comment.",
                    "销售经理在手机上审批该订单并填写意见。",
                ),
                Text(
                    "The hold is released; the approver and the comment are stored on the order.",
                    "订单解除冻结,审批人和审批意见保存在订单上。",
                ),
            ),
            S(
                Text("Refresh the orders to pick.", "刷新待拣货清单。"),
                Text("The order now appears and can be picked.", "该订单出现在清单中,可以拣货。"),
            ),
            S(
                Text(
                    "Record a payment of 30,000 CNY from CUS-0410, then enter another order of 15,000 CNY.",
                    "登记 CUS-0410 回款 30,000 元后,再录入一张 15,000 元的订单。",
                ),
                Text(
                    "The new order is confirmed without a hold: 77,000 + 15,000 stays within 100,000.",
                    "新订单直接确认,不被冻结:77,000 + 15,000 未超过 100,000。",
                ),
                "30,000.00; 15,000.00",
            ),
        ),
        requirements=("sal-credit", "sal-customer", "mob-approve"),
    ),
    # Stock across warehouses --------------------------------------------------------------------------
    CaseTemplate(
        key="transfer-between-warehouses",
        role=R.WAREHOUSE_KEEPER,
        flow=F.NORMAL,
        priority=P.MEDIUM,
        title=Text("Transfer stock between warehouses, with goods in transit", "仓库间调拨(含在途)"),
        preconditions=Text(
            "- WH-SH has 100 pieces of A-1001; WH-BJ has none.\n"
            "- The tester can sign in as keeper of either warehouse.",
            "- 上海仓 A-1001 有 100 件,北京仓没有。\n- 测试人员可分别以两个仓库的仓管员身份登录。",
        ),
        steps=(
            S(
                Text(
                    "Create a transfer note from WH-SH to WH-BJ for 40 pieces and post the dispatch.",
                    "新建上海仓调往北京仓的调拨单,数量 40 件,过账调出。",
                ),
                Text(
                    "WH-SH stock falls to 60; 40 pieces show as in transit.", "上海仓库存降为 60 件,40 件显示为在途。"
                ),
                "TR-2026-0015; A-1001 × 40",
            ),
            S(
                Text("Check available stock of A-1001 in both warehouses.", "查看两个仓库 A-1001 的可用库存。"),
                Text(
                    "The 40 pieces in transit cannot be sold from either warehouse.",
                    "在途的 40 件在两个仓库都不能销售。",
                ),
            ),
            S(
                Text("As keeper of WH-BJ, receive the transfer: 40 pieces.", "以北京仓仓管员身份调入收货 40 件。"),
                Text(
                    "WH-BJ stock rises to 40; nothing is left in transit; the transfer is completed.",
                    "北京仓库存增加到 40 件,在途为 0,调拨单完成。",
                ),
            ),
            S(
                Text(
                    "Compare the company's total stock of A-1001 before and after the transfer.",
                    "对比调拨前后 A-1001 的全公司库存合计。",
                ),
                Text(
                    "The total is 100 pieces throughout and the stock value is unchanged.",
                    "合计始终为 100 件,库存总金额不变。",
                ),
            ),
        ),
        requirements=("inv-transfer", "inv-multi-wh", "inv-availability"),
    ),
    CaseTemplate(
        key="negative-stock-prevention",
        role=R.WAREHOUSE_KEEPER,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Block any issue that would make stock negative", "禁止出库造成负库存"),
        preconditions=Text(
            "- Item C-4001 has 5 pieces on hand in WH-SH and none reserved.\n- Two testers may post stock issue notes.",
            "- 上海仓商品 C-4001 现存 5 件,无预留。\n- 两名测试人员都有权限过账其他出库单。",
        ),
        steps=(
            S(
                Text(
                    "Create a stock issue note (samples) for 8 pieces of C-4001 and post it.",
                    "新建其他出库单(样品领用),C-4001 数量 8 件,过账。",
                ),
                Text(
                    "Posting is refused: only 5 are available; stock stays at 5.",
                    "系统拒绝过账,提示仅可用 5 件;库存仍为 5 件。",
                ),
                "C-4001 × 8",
            ),
            S(
                Text(
                    "Create a transfer from WH-SH to WH-BJ for 8 pieces and post the dispatch.",
                    "新建上海仓调往北京仓的调拨单 8 件,过账调出。",
                ),
                Text("Refused for the same reason.", "同样被拒绝,原因相同。"),
                "C-4001 × 8",
            ),
            S(
                Text(
                    "Two testers post an issue note of 3 pieces each at the same moment.",
                    "两名测试人员同时各过账一张 3 件的其他出库单。",
                ),
                Text(
                    "Only one is posted and the other is refused; stock ends at 2, never below 0.",
                    "只有一张过账成功,另一张被拒绝;库存最终为 2 件,不会低于 0。",
                ),
                "C-4001 × 3 + 3",
            ),
            S(
                Text("Open the stock movements of C-4001.", "查看 C-4001 的库存流水。"),
                Text(
                    "Only the one posted issue is listed; the refused documents left no movement.",
                    "流水中只有成功过账的一笔出库,被拒绝的单据没有产生任何库存变动。",
                ),
            ),
        ),
        requirements=("inv-negative", "inv-movement"),
    ),
    CaseTemplate(
        key="fefo-picking",
        role=R.WAREHOUSE_KEEPER,
        flow=F.NORMAL,
        priority=P.HIGH,
        title=Text("Pick the batch that expires first (FEFO)", "按先到期先出(FEFO)拣货"),
        preconditions=Text(
            "- Item F-3001 in WH-SH: batch L20260101 (expires 2026-12-31, 30 cans), batch L20260301 "
            "(expires 2027-08-31, 50 cans), batch L20250601 (expired, 10 cans).\n"
            "- Confirmed sales order SO-2026-0330 for 40 cans of F-3001.",
            "- 上海仓商品 F-3001:批号 L20260101(有效期至 2026-12-31,30 罐)、批号 L20260301"
            "(有效期至 2027-08-31,50 罐)、批号 L20250601(已过期,10 罐)。\n"
            "- 已确认的销售订单 SO-2026-0330:F-3001 共 40 罐。",
        ),
        steps=(
            S(
                Text("Create the picking list for SO-2026-0330.", "为 SO-2026-0330 生成拣货单。"),
                Text(
                    "It suggests 30 cans of L20260101 first, then 10 cans of L20260301; the expired batch is not "
                    "suggested.",
                    "拣货单先建议批号 L20260101 的 30 罐,再建议 L20260301 的 10 罐;已过期批次不在建议中。",
                ),
                "SO-2026-0330; F-3001 × 40",
            ),
            S(
                Text(
                    "On the handheld, scan a can of batch L20260301 for the first line.",
                    "在手持终端上,第一行扫描批号 L20260301 的货。",
                ),
                Text(
                    "A warning names the earlier batch L20260101; the scan only counts if a reason is entered.",
                    "系统提示存在更早到期的批号 L20260101;必须填写原因,该次扫描才计入。",
                ),
                "L20260301",
            ),
            S(
                Text("Scan a can of the expired batch L20250601.", "扫描已过期批号 L20250601 的货。"),
                Text(
                    "The scan is refused: expired stock cannot be picked or sold.",
                    "扫描被拒绝:过期库存不能拣货,也不能销售。",
                ),
                "L20250601",
            ),
            S(
                Text("Pick as suggested and post the delivery.", "按建议拣货并过账出库单。"),
                Text(
                    "Batch stock becomes L20260101: 0, L20260301: 40, L20250601: 10 (blocked); the delivery note "
                    "lists the batches shipped.",
                    "批次库存变为 L20260101 0 罐、L20260301 40 罐、L20250601 10 罐(冻结);出库单列出所发批号。",
                ),
            ),
        ),
        requirements=("inv-expiry", "inv-batch", "whs-pick", "mob-receiving"),
    ),
    # Stock-taking -------------------------------------------------------------------------------------
    CaseTemplate(
        key="stocktake-variance-approval",
        role=R.STORE_MANAGER,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Approve stock-take differences before they are posted", "盘点差异审批后过账"),
        preconditions=Text(
            "- A count of the 'Beverages' category in store ST-01 is planned; the system shows 120 bottles of "
            "D-5001 (cost 50.00) and 48 bottles of D-5002 (cost 30.00).\n"
            "- Differences worth more than 1,000 CNY need the store manager's approval.",
            "- 计划对门店 ST-01 的“饮料”类商品盘点;系统账面 D-5001 120 瓶(成本 50.00 元)、"
            "D-5002 48 瓶(成本 30.00 元)。\n"
            "- 差异金额超过 1,000 元需店长审批。",
        ),
        steps=(
            S(
                Text(
                    "Create a count sheet for the 'Beverages' category of ST-01 and start the count.",
                    "为门店 ST-01 的“饮料”类创建盘点单并开始盘点。",
                ),
                Text("Only beverage items of ST-01 are on the count sheet.", "盘点单只包含 ST-01 的饮料类商品。"),
            ),
            S(
                Text(
                    "Enter the counted quantities on the handheld: D-5001 = 95, D-5002 = 50.",
                    "用手持终端录入实盘数:D-5001 95 瓶,D-5002 50 瓶。",
                ),
                Text(
                    "Differences show in quantity and value: D-5001 −25 (−1,250.00), D-5002 +2 (+60.00).",
                    "系统按数量和金额显示差异:D-5001 盘亏 25 瓶(−1,250.00 元),D-5002 盘盈 2 瓶(+60.00 元)。",
                ),
                "D-5001: 120 → 95; D-5002: 48 → 50",
            ),
            S(
                Text("Try to post the count without approval.", "未经审批直接过账盘点单。"),
                Text(
                    "Posting is refused because the difference of D-5001 is above 1,000 CNY.",
                    "系统拒绝过账,因为 D-5001 的差异金额超过 1,000 元。",
                ),
            ),
            S(
                Text(
                    "As store manager, reject the count with the comment 'Recount D-5001'.",
                    "店长驳回盘点单,意见为“D-5001 复盘”。",
                ),
                Text(
                    "The count goes back to counting with only D-5001 marked for a recount.",
                    "盘点单退回盘点中,仅 D-5001 标记为需复盘。",
                ),
            ),
            S(
                Text(
                    "Enter the recount D-5001 = 97; as store manager, approve the count.",
                    "录入复盘数 D-5001 97 瓶;店长审批通过。",
                ),
                Text(
                    "The count is approved; the approver and the time are stored.",
                    "盘点单审批通过,记录审批人和审批时间。",
                ),
                "D-5001: 97",
            ),
            S(
                Text("Post the count, then open the stock and the ledger posting.", "过账盘点单,查看库存和财务凭证。"),
                Text(
                    "Stock becomes D-5001 = 97 and D-5002 = 50; a loss of 1,150.00 and a gain of 60.00 are posted "
                    "to the inventory accounts.",
                    "库存变为 D-5001 97 瓶、D-5002 50 瓶;盘亏 1,150.00 元、盘盈 60.00 元已生成存货科目凭证。",
                ),
            ),
        ),
        requirements=("inv-stocktake", "mob-stocktake", "inv-adjust", "fin-stock-value"),
    ),
    CaseTemplate(
        key="handheld-offline-sync",
        role=R.WAREHOUSE_KEEPER,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Count offline on a handheld and sync when the network returns", "手持终端离线盘点,恢复网络后同步"),
        preconditions=Text(
            "- A count sheet for zone C of WH-SH is open and downloaded to two handhelds.\n"
            "- Zone C (cold store) has no Wi-Fi coverage.",
            "- 上海仓 C 区盘点单已开启,并已下载到两台手持终端。\n- C 区(冷库)没有 Wi-Fi 信号。",
        ),
        steps=(
            S(
                Text(
                    "Put the first handheld in flight mode, scan 3 items and enter their counts.",
                    "将第一台手持终端切换到飞行模式,扫描 3 个商品并录入实盘数。",
                ),
                Text(
                    "The handheld keeps the counts and shows 3 counts waiting to be sent.",
                    "手持终端保存盘点数据,显示有 3 条待上传。",
                ),
                "E-6001: 12; E-6002: 30; E-6003: 7",
            ),
            S(
                Text("Open the count sheet on a PC.", "在电脑上查看该盘点单。"),
                Text(
                    "The 3 counts are not there yet and the sheet is not marked as finished.",
                    "这 3 条数据尚未出现,盘点单未标记为完成。",
                ),
            ),
            S(
                Text("Switch the network back on.", "恢复网络连接。"),
                Text(
                    "Within one minute the 3 counts appear on the count sheet with the counter and the scan time.",
                    "一分钟内这 3 条数据出现在盘点单上,并带有盘点人和扫描时间。",
                ),
            ),
            S(
                Text(
                    "Switch the network off and on twice more without scanning anything.",
                    "在没有新扫描的情况下,再断网、联网两次。",
                ),
                Text(
                    "No count is sent twice; each item still has one count.",
                    "数据不会重复上传,每个商品仍只有一条盘点记录。",
                ),
            ),
            S(
                Text(
                    "On the second handheld, offline, count E-6001 as 13, then let it sync.",
                    "第二台手持终端离线时将 E-6001 盘为 13,随后联网同步。",
                ),
                Text(
                    "The count sheet shows a conflict for E-6001 for the supervisor to decide; neither count is "
                    "silently overwritten.",
                    "盘点单上显示 E-6001 数据冲突,由主管决定;任何一条数据都不会被悄悄覆盖。",
                ),
                "E-6001: 13",
            ),
        ),
        requirements=("mob-stocktake", "mob-scanner", "mob-access"),
    ),
    # Returns ------------------------------------------------------------------------------------------
    CaseTemplate(
        key="return-expired-batch",
        role=R.PURCHASER,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Return an expired batch to the supplier", "过期批次退回供应商"),
        preconditions=Text(
            "- Batch L20250601 of F-3001 (10 cans) in WH-SH is past its expiry date.\n"
            "- Supplier SUP-0107 takes expired goods back against a credit.",
            "- 上海仓 F-3001 批号 L20250601(10 罐)已过有效期。\n- 供应商 SUP-0107 同意退回过期货品并冲减货款。",
        ),
        steps=(
            S(
                Text(
                    "Try to sell 1 can of batch L20250601 on a sales order.",
                    "在销售订单中尝试销售批号 L20250601 的 1 罐。",
                ),
                Text(
                    "The batch is not offered; the system says it has expired.", "系统不提供该批次,提示该批次已过期。"
                ),
                "F-3001; L20250601",
            ),
            S(
                Text("Move the batch to the quarantine location.", "将该批次移到隔离库位。"),
                Text(
                    "The 10 cans are in quarantine and do not count as available stock.",
                    "10 罐位于隔离库位,不计入可用库存。",
                ),
            ),
            S(
                Text(
                    "Create a supplier return for SUP-0107 from the original receipt: batch L20250601, 10 cans, "
                    "reason 'Expired'.",
                    "依据原入库单为 SUP-0107 创建采购退货单:批号 L20250601,10 罐,退货原因“过期”。",
                ),
                Text(
                    "The return takes the price of the original receipt; only batches received from this supplier "
                    "can be chosen.",
                    "退货单带出原入库单价;只能选择从该供应商入库的批次。",
                ),
                "SUP-0107; L20250601 × 10",
            ),
            S(
                Text("Post the return when the goods leave.", "货物发出后过账退货单。"),
                Text(
                    "Stock of batch L20250601 falls to 0; the stock movements show the return note.",
                    "批号 L20250601 库存降为 0,库存流水显示该退货单。",
                ),
            ),
            S(
                Text("As finance, open the supplier's account.", "财务打开该供应商的往来账。"),
                Text(
                    "Payables to SUP-0107 are reduced by the value of the 10 cans.",
                    "对 SUP-0107 的应付账款减少这 10 罐的金额。",
                ),
            ),
            S(
                Text("Trace batch L20250601.", "追溯批号 L20250601。"),
                Text(
                    "The trace shows the receipt, the move to quarantine and the return, and no delivery to any "
                    "customer.",
                    "追溯结果显示入库、移入隔离库位和退回供应商,没有发给任何客户的记录。",
                ),
            ),
        ),
        requirements=("inv-expiry", "inv-batch", "pur-return", "fin-purchase-post"),
    ),
    CaseTemplate(
        key="customer-return-refund",
        role=R.CUSTOMER_SERVICE,
        flow=F.NORMAL,
        priority=P.HIGH,
        title=Text("Customer return with refund", "客户退货并退款"),
        preconditions=Text(
            "- Customer CUS-0203 bought 50 pieces of A-1001 on invoice INV-2026-0188 and paid by WeChat Pay.\n"
            "- The customer returns 5 pieces in perfect condition.",
            "- 客户 CUS-0203 按发票 INV-2026-0188 购买 A-1001 共 50 件,已用微信支付付款。\n- 客户退回 5 件,外观完好。",
        ),
        steps=(
            S(
                Text(
                    "Create a return for CUS-0203 from invoice INV-2026-0188: 5 pieces, reason 'No-reason return'.",
                    "依据发票 INV-2026-0188 为 CUS-0203 创建销售退货单:5 件,退货原因“无理由退货”。",
                ),
                Text(
                    "Item and price come from the invoice; the reason must be chosen from the list.",
                    "退货单从原发票带出商品和单价;退货原因必须从列表中选择。",
                ),
                "INV-2026-0188; A-1001 × 5",
            ),
            S(
                Text(
                    "As warehouse keeper, take the goods back into sellable stock and post.",
                    "仓管员收货,退回可售库存并过账。",
                ),
                Text(
                    "Stock of A-1001 rises by 5 and can be sold again at once.",
                    "A-1001 库存增加 5 件,并立即可以再次销售。",
                ),
            ),
            S(
                Text("Create the credit note from the return.", "根据退货单开具红字发票。"),
                Text(
                    "The credit note is 5 pieces at the invoice price including tax and refers to the original "
                    "invoice.",
                    "红字发票金额为 5 件按原发票含税单价计算的金额,并关联原蓝字发票。",
                ),
            ),
            S(
                Text("Refund the amount to the customer's WeChat Pay.", "通过微信支付原路退款给客户。"),
                Text(
                    "The refund is matched to the credit note; nothing is left open for this return.",
                    "退款与红字发票核销,该笔退货在往来账上没有余额。",
                ),
            ),
            S(
                Text("The next morning, open the ledger postings.", "次日查看总账凭证。"),
                Text(
                    "Revenue, tax and cost of goods sold for the 5 pieces are reversed.",
                    "这 5 件对应的收入、税额和销售成本已冲回。",
                ),
            ),
        ),
        requirements=("sal-return", "fin-sales-post", "fin-einvoice", "fin-payment"),
    ),
    CaseTemplate(
        key="customer-return-not-sold",
        role=R.CUSTOMER_SERVICE,
        flow=F.EXCEPTION,
        priority=P.MEDIUM,
        title=Text("Refuse a return of goods that were not sold to the customer", "拒绝退回非本客户所购商品"),
        preconditions=Text(
            "- Customer CUS-0203 has bought A-1001 but never B-2001.\n"
            "- Invoice INV-2026-0188 has 50 pieces of A-1001, of which 5 are already returned.",
            "- 客户 CUS-0203 买过 A-1001,从未买过 B-2001。\n- 发票 INV-2026-0188 含 A-1001 共 50 件,其中 5 件已退货。",
        ),
        steps=(
            S(
                Text(
                    "Create a return for CUS-0203 and choose item B-2001.", "为 CUS-0203 创建退货单,选择商品 B-2001。"
                ),
                Text(
                    "The item cannot be chosen: it was never sold to this customer.",
                    "无法选择该商品,提示该客户从未购买过。",
                ),
                "CUS-0203; B-2001",
            ),
            S(
                Text(
                    "Create a return from INV-2026-0188 for 50 pieces of A-1001.",
                    "依据 INV-2026-0188 创建 A-1001 退货 50 件。",
                ),
                Text(
                    "Refused: at most 45 pieces can still be returned from this invoice.",
                    "系统拒绝,提示该发票最多还能退 45 件。",
                ),
                "INV-2026-0188; A-1001 × 50",
            ),
            S(
                Text(
                    "Enter 3 pieces instead, reason 'Damaged', and send them to the quarantine location.",
                    "改为 3 件,退货原因“破损”,退入隔离库位。",
                ),
                Text(
                    "The return posts; quarantine stock rises by 3 and available stock is unchanged.",
                    "退货单过账;隔离库位库存增加 3 件,可用库存不变。",
                ),
                "A-1001 × 3",
            ),
        ),
        requirements=("sal-return",),
    ),
    CaseTemplate(
        key="supplier-return",
        role=R.PURCHASER,
        flow=F.NORMAL,
        priority=P.MEDIUM,
        title=Text("Return faulty goods to the supplier", "不合格品退回供应商"),
        preconditions=Text(
            "- Inspection finds 20 faulty pieces among the 105 pieces of B-2001 received on PO-2026-0043.\n"
            "- Supplier SUP-0107 agrees to take them back against a credit.",
            "- PO-2026-0043 已入库 B-2001 共 105 件,质检发现其中 20 件不合格。\n- 供应商 SUP-0107 同意退货并冲减货款。",
        ),
        steps=(
            S(
                Text(
                    "Create a supplier return from the receipt of PO-2026-0043: 20 pieces of B-2001, reason "
                    "'Quality defect'.",
                    "依据 PO-2026-0043 的入库单创建采购退货单:B-2001 20 件,退货原因“质量问题”。",
                ),
                Text(
                    "The return takes the receipt price and cannot exceed the 105 pieces received.",
                    "退货单带出入库单价,退货数量不能超过已入库的 105 件。",
                ),
                "PO-2026-0043; B-2001 × 20",
            ),
            S(
                Text(
                    "Print the return note and post it when the goods are handed to the supplier's driver.",
                    "打印退货单,货物交给供应商司机后过账。",
                ),
                Text(
                    "Stock of B-2001 falls by 20 and the stock value by 20 × the receipt price.",
                    "B-2001 库存减少 20 件,库存金额减少 20 × 入库单价。",
                ),
            ),
            S(
                Text(
                    "As finance, enter the supplier's red-letter invoice and open the supplier's account.",
                    "财务录入供应商开具的红字发票,并查看供应商往来账。",
                ),
                Text(
                    "The red-letter invoice matches the return; payables are reduced by the return value.",
                    "红字发票与退货单匹配成功;应付账款按退货金额减少。",
                ),
            ),
            S(
                Text("Run the supplier performance report for this month.", "查看本月供应商绩效报表。"),
                Text("The return is counted for SUP-0107.", "该笔退货计入 SUP-0107 的绩效。"),
            ),
        ),
        requirements=("pur-return", "fin-purchase-post", "pur-supplier-rating"),
    ),
    # Finance ------------------------------------------------------------------------------------------
    CaseTemplate(
        key="three-way-match-mismatch",
        role=R.FINANCE,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Hold a supplier invoice that does not match order and receipt", "三单匹配不符:供应商发票挂起"),
        preconditions=Text(
            "- PO-2026-0042: 10 cartons of A-1001 at 2,352.00 per carton; 8 cartons received.\n"
            "- The price tolerance is 1 %; the supplier invoices 10 cartons at 2,400.00.",
            "- PO-2026-0042:A-1001 共 10 箱,每箱 2,352.00 元;已入库 8 箱。\n"
            "- 价格容差为 1%;供应商发票开了 10 箱,每箱 2,400.00 元。",
        ),
        steps=(
            S(
                Text(
                    "Enter the supplier invoice against PO-2026-0042: 10 cartons at 2,400.00.",
                    "录入供应商发票并关联 PO-2026-0042:10 箱,每箱 2,400.00 元。",
                ),
                Text(
                    "Matching shows two differences: 10 invoiced against 8 received, and 2,400.00 against the "
                    "ordered 2,352.00 (+2.04 %).",
                    "匹配结果显示两处差异:开票 10 箱而实收 8 箱;单价 2,400.00 元而订单为 2,352.00 元(+2.04%)。",
                ),
                "PO-2026-0042; 10 × 2,400.00",
            ),
            S(
                Text("Try to post the invoice to payables.", "尝试将发票过账到应付。"),
                Text(
                    "Posting is refused; the invoice is held with the reasons 'quantity' and 'price'.",
                    "系统拒绝过账,发票被挂起,原因为“数量差异”和“价格差异”。",
                ),
            ),
            S(
                Text("Open the payment proposal for SUP-0107.", "查看 SUP-0107 的付款建议。"),
                Text("The held invoice is not proposed for payment.", "被挂起的发票不在付款建议中。"),
            ),
            S(
                Text(
                    "Cancel it and enter the supplier's corrected invoice: 8 cartons at 2,360.00.",
                    "作废该发票,录入供应商更正后的发票:8 箱,每箱 2,360.00 元。",
                ),
                Text(
                    "The difference of 0.34 % is within tolerance; the invoice matches and posts to payables "
                    "without re-keying.",
                    "差异 0.34%,在容差范围内;发票匹配成功并自动过账到应付,无需重复录入。",
                ),
                "8 × 2,360.00",
            ),
            S(
                Text("Open the list of held invoices.", "打开挂起发票清单。"),
                Text(
                    "The list is empty; the first invoice's history shows who held and who cancelled it.",
                    "清单为空;第一张发票的记录显示由谁挂起、由谁作废。",
                ),
            ),
        ),
        requirements=("fin-purchase-post", "sec-audit-trail"),
    ),
    CaseTemplate(
        key="month-end-close-open-receipts",
        role=R.FINANCE,
        flow=F.EXCEPTION,
        priority=P.HIGH,
        title=Text("Month-end close with goods received but not invoiced", "月末结账时存在已入库未到票的采购"),
        preconditions=Text(
            "- In March, the receipts of PO-2026-0044 (50 cans) and PO-2026-0051 (60 pieces) have no supplier "
            "invoice yet.\n"
            "- All other March documents are posted.",
            "- 3 月份 PO-2026-0044(50 罐)和 PO-2026-0051(60 件)已入库,但尚未收到供应商发票。\n- 3 月其他单据均已过账。",
        ),
        steps=(
            S(
                Text("Run the 'received, not invoiced' report for March.", "运行 3 月“已入库未到票”报表。"),
                Text(
                    "Both receipts are listed with quantity and value at the order price.",
                    "两张入库单均列出,数量和金额按订单价计算。",
                ),
                "2026-03",
            ),
            S(
                Text("Start the month-end close for March.", "开始 3 月月末结账。"),
                Text(
                    "The system proposes accruals for the two receipts and shows them before closing.",
                    "系统按两张入库单生成暂估入库凭证,结账前列出供财务确认。",
                ),
            ),
            S(
                Text(
                    "Compare the stock value report with the inventory account at 31 March.",
                    "将 3 月 31 日的存货金额报表与总账存货科目核对。",
                ),
                Text("Both show the same amount to the cent.", "两边金额一致,精确到分。"),
            ),
            S(
                Text(
                    "Close March, then try to post a receipt dated 30 March.",
                    "关闭 3 月会计期间后,尝试过账一张日期为 3 月 30 日的入库单。",
                ),
                Text(
                    "Refused: the period is closed; the receipt can only be posted in April.",
                    "系统拒绝,提示该期间已结账,只能在 4 月过账。",
                ),
                "2026-03-30",
            ),
            S(
                Text("In April, enter the supplier invoice for PO-2026-0044.", "4 月录入 PO-2026-0044 的供应商发票。"),
                Text(
                    "The March accrual is reversed, the invoice posts to payables and the receipt leaves the "
                    "'received, not invoiced' report.",
                    "3 月暂估被冲回,发票过账到应付,该入库单从“已入库未到票”报表中移除。",
                ),
            ),
        ),
        requirements=("fin-purchase-post", "fin-stock-value"),
    ),
    CaseTemplate(
        key="sales-posting-ledger",
        role=R.FINANCE,
        flow=F.NORMAL,
        priority=P.MEDIUM,
        title=Text("Daily sales reach the ledger and match the sales report", "每日销售自动记账并与销售报表一致"),
        preconditions=Text(
            "- Yesterday store ST-01 and warehouse WH-SH issued 3 invoices and 1 credit note.\n"
            "- The interface to the finance software is set up.",
            "- 昨日门店 ST-01 和上海仓共开具 3 张发票、1 张红字发票。\n- 与财务软件的接口已配置。",
        ),
        steps=(
            S(
                Text("The next morning, open yesterday's ledger postings.", "次日上午查看昨日的总账凭证。"),
                Text(
                    "All 4 documents are posted to revenue, tax, receivables and cost of goods sold without re-keying.",
                    "4 张单据均已生成收入、税额、应收和销售成本凭证,无需手工录入。",
                ),
            ),
            S(
                Text("Compare yesterday's sales report with revenue in the ledger.", "将昨日销售报表与总账收入核对。"),
                Text("The amounts are equal to the cent.", "金额一致,精确到分。"),
            ),
            S(
                Text(
                    "Make a posting fail on purpose (remove the account mapping of one item category) and post an "
                    "invoice.",
                    "人为制造记账失败(删除某商品类别的科目对照),再过账一张发票。",
                ),
                Text(
                    "The failed posting is listed with its reason; after the mapping is restored it posts again and "
                    "nothing is lost.",
                    "失败的凭证列入异常清单并写明原因;恢复科目对照后可重新记账,数据不丢失。",
                ),
            ),
            S(
                Text("Open the e-invoice of one of the invoices.", "查看其中一张发票对应的数电票。"),
                Text(
                    "The e-invoice carries the customer's tax number and the same amount as the invoice.",
                    "数电票已开具,购方税号和金额与销售发票一致。",
                ),
            ),
        ),
        requirements=("fin-sales-post", "fin-einvoice"),
    ),
    # Scanning -----------------------------------------------------------------------------------------
    CaseTemplate(
        key="duplicate-scan",
        role=R.WAREHOUSE_KEEPER,
        flow=F.EXCEPTION,
        priority=P.MEDIUM,
        title=Text("Scan the same carton twice while receiving", "收货时同一箱重复扫码"),
        preconditions=Text(
            "- Purchase order PO-2026-0045 for 5 cartons of A-1001; each carton has its own carton label.\n"
            "- The tester receives on a handheld.",
            "- 采购订单 PO-2026-0045:A-1001 共 5 箱,每箱贴有唯一箱码。\n- 测试人员用手持终端收货。",
        ),
        steps=(
            S(
                Text("Scan the labels of cartons 1 and 2.", "扫描第 1、2 箱的箱码。"),
                Text("The received quantity shows 2 of 5 cartons.", "已收数量显示 2/5 箱。"),
                "SSCC-0001, SSCC-0002",
            ),
            S(
                Text("Scan the label of carton 2 again.", "再次扫描第 2 箱的箱码。"),
                Text(
                    "The handheld warns that this carton is already scanned; the quantity stays at 2.",
                    "手持终端报警,提示该箱已扫描;数量仍为 2 箱。",
                ),
                "SSCC-0002",
            ),
            S(
                Text("Scan cartons 3 to 5 and confirm the receipt.", "扫描第 3 至 5 箱并确认收货。"),
                Text(
                    "The receipt posts 5 cartons; stock rises by 5 cartons, not 6.",
                    "入库单按 5 箱过账,库存增加 5 箱而不是 6 箱。",
                ),
                "SSCC-0003 … SSCC-0005",
            ),
            S(
                Text(
                    "Scan carton 1 while receiving another purchase order.", "在另一张采购订单收货时扫描第 1 箱的箱码。"
                ),
                Text(
                    "Refused: this carton was already received on PO-2026-0045.",
                    "系统拒绝,提示该箱已在 PO-2026-0045 收货。",
                ),
                "SSCC-0001",
            ),
        ),
        requirements=("mob-receiving", "whs-barcode", "pur-receipt"),
    ),
    CaseTemplate(
        key="barcode-not-found",
        role=R.WAREHOUSE_KEEPER,
        flow=F.EXCEPTION,
        priority=P.MEDIUM,
        title=Text("Scan a barcode the system does not know", "扫描系统中不存在的条码"),
        preconditions=Text(
            "- Item G-7001 is in the item master, but its barcode 6901234567892 was never entered.\n"
            "- The tester receives PO-2026-0046 (12 pieces of G-7001) on a handheld.",
            "- 商品 G-7001 已建档,但条码 6901234567892 未录入。\n"
            "- 测试人员用手持终端对 PO-2026-0046(G-7001 共 12 件)收货。",
        ),
        steps=(
            S(
                Text("Scan barcode 6901234567892.", "扫描条码 6901234567892。"),
                Text(
                    "The handheld says 'Barcode not found' and shows the scanned number; nothing is added to the "
                    "receipt.",
                    "手持终端提示“条码不存在”并显示所扫号码;收货单数量不增加。",
                ),
                "6901234567892",
            ),
            S(
                Text(
                    "Look the item up by its code G-7001 and type in 12 pieces.",
                    "改为按商品编码 G-7001 查找,手工录入 12 件。",
                ),
                Text("The quantity goes to the G-7001 line of the order.", "数量计入订单中 G-7001 这一行。"),
                "G-7001 × 12",
            ),
            S(
                Text(
                    "As master data keeper, add the barcode to G-7001, then scan it again.",
                    "由商品档案维护人员为 G-7001 补录条码,然后再次扫描。",
                ),
                Text("The scan now finds G-7001.", "扫描后能找到 G-7001。"),
                "6901234567892",
            ),
            S(
                Text("Try to add the same barcode to another item.", "尝试把同一条码录入另一个商品。"),
                Text("Refused: a barcode belongs to one item only.", "系统拒绝:一个条码只能对应一个商品。"),
            ),
        ),
        requirements=("whs-barcode", "inv-item", "mob-scanner"),
    ),
]
BY_KEY = {template.key: template for template in TEMPLATES}


def templates_for_language(language: str | None) -> list[LocalizedTemplate]:
    """All templates with their texts in `language`: zh-hans (any zh-…) gives Chinese, anything else English."""
    return [template.in_language(language) for template in TEMPLATES]


def pulled_templates(*, project: Project) -> dict[str, list[str]]:
    """{template key: [case keys]} of the templates already pulled into the project."""
    pulled: dict[str, list[str]] = {}
    rows = project.uat_cases.exclude(template_key="").order_by("number").values_list("template_key", "key")
    for template_key, key in rows:
        pulled.setdefault(template_key, []).append(key)
    return pulled


@transaction.atomic
def cases_pull_templates(
    *,
    project: Project,
    keys: Iterable[str],
    user: AbstractBaseUser | None = None,
    language: str | None,
) -> list[UATCase]:
    """Create cases from templates in `language`, in the order given; returns the cases created.

    Templates already pulled into the project (by `template_key`) are skipped, so pulling twice creates
    nothing twice. An unknown key refuses the whole pull. Each case verifies the project's requirements
    pulled from the catalogue entries the template names (rejected ones left out).
    """
    keys = list(dict.fromkeys(keys))
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown:
        raise TestingError(_("There is no UAT case template called “%(key)s”.") % {"key": "”, “".join(unknown)})
    # Serialise pulls of one project, so two at once cannot both create the same template.
    CaseSequence.objects.get_or_create(project=project)
    CaseSequence.objects.select_for_update().filter(project=project).first()
    done = set(project.uat_cases.exclude(template_key="").values_list("template_key", flat=True))
    templates = [BY_KEY[key] for key in keys if key not in done]

    wanted = {catalogue_key for template in templates for catalogue_key in template.requirements}
    by_catalogue: dict[str, list[Requirement]] = {}
    requirements = (
        project.requirements.filter(catalogue_key__in=wanted)
        .exclude(status=Requirement.Status.REJECTED)
        .order_by("number")
    )
    for requirement in requirements:
        by_catalogue.setdefault(requirement.catalogue_key, []).append(requirement)

    created = []
    for template in templates:
        text = template.in_language(language)
        created.append(
            case_create(
                project=project,
                title=text.title,
                steps=text.steps,
                requirements=[r for key in template.requirements for r in by_catalogue.get(key, [])],
                user=user,
                role=template.role,
                flow=template.flow,
                priority=template.priority,
                preconditions=text.preconditions,
                template_key=template.key,
            )
        )
    return created
