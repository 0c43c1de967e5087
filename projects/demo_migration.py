"""The demo's data migration: what the retail chain moves from its legacy inventory program to the new platform.

The guide calls migration the high-risk step and gives its order: take stock of the data, cleanse it (one format
for product codes, no dead customers), load the static master data first and the dynamic data (open orders,
current stock) after, then check that everything arrived complete and consistent. The demo follows it:

- nine data objects in three waves (master data; open orders and stock; opening balances), each with its source
  system, its data steward and what it must be loaded after;
- quality checks on products, customers, suppliers and stock, and the cleansing rules that fix what they find;
- small extracts generated here, in memory, from a fixed seed and profiled like an upload: an early one, full of
  legacy product codes, blank phone numbers and negative stock, and a later one after the cleansing;
- "Trial load 1" a few weeks ago, where six of nine objects miss their control figures, and "Trial load 2" last
  week, where only the open sales orders do; the stewards sign the objects that pass.

Everything is written through the services, as a user would. Like the other demo builders it does nothing when
the project already has data objects.
"""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from projects.demo_goals import DemoText
from projects.models import (
    CleansingRule,
    DataObject,
    ExtractProfile,
    Measure,
    Membership,
    Project,
    QualityCheck,
    Reconciliation,
    ReconciliationException,
)
from projects.services import migration as svc
from projects.services.profiling import profile_upload

T = DemoText
KIND, NATURE = DataObject.Kind, DataObject.Nature
CHECK = QualityCheck.Kind
RULE = CleansingRule.Status
DISPOSITION = ReconciliationException.Disposition
ABSOLUTE, PERCENT = Measure.ToleranceKind.ABSOLUTE, Measure.ToleranceKind.PERCENT
SEED = 20270630  # the same demo every time
AUTHOR = "it"  # the IT lead keeps the inventory, runs the extracts and the trial loads
EARLY, LATER = -27, -9  # days from today: the first extracts, then the extracts after the cleansing
LOAD_DAYS = {1: -24, 2: -6}  # "a few weeks ago" and "last week"

# The inventory ----------------------------------------------------------------------------------------------------

LEGACY = T("Legacy inventory program (进销存)", "旧进销存系统")
LEGACY_AND_SHOP = T("Legacy inventory program and online shop", "旧进销存系统与网店后台")
FINANCE_SOFTWARE = T("Finance software", "财务软件")

WAVES = [
    (
        T("Static master data", "静态主数据"),
        T(
            "Products, customers, suppliers, warehouses and price lists: the records everything else points to. "
            "They are loaded first, after the cleansing.",
            "商品、客户、供应商、仓库与价格表：其他数据都要引用的基础资料。清洗完成后最先迁移。",
        ),
    ),
    (
        T("Dynamic data: open orders and stock", "动态数据：未结订单与库存"),
        T(
            "Open purchase and sales orders and the stock on hand, extracted at cutover when the stores and the "
            "online shop stand still.",
            "未结采购订单、未结销售订单和现有库存，在切换时门店和网店暂停营业后抽取。",
        ),
    ),
    (
        T("History and opening balances", "历史数据与期初余额"),
        T(
            "Receivables and payables per customer and supplier, so finance starts on the new platform with the "
            "same balances as in the old books.",
            "按客户和供应商的应收、应付余额，让财务在新平台上以与旧账一致的余额起步。",
        ),
    ),
]


@dataclass(frozen=True)
class DemoObject:
    ref: str
    name: DemoText
    kind: str
    nature: str
    source: DemoText
    steward: str  # a username in projects.demo.PEOPLE
    keys: str
    wave: int
    depends_on: tuple[str, ...]
    description: DemoText


OBJECTS = [
    DemoObject(
        "products",
        T("Products", "商品"),
        KIND.PRODUCTS,
        NATURE.STATIC,
        LEGACY,
        "procurement",
        "sku",
        1,
        (),
        T(
            "About 300 active products. The stores' tills, the online shop and the old price lists each wrote "
            "the product code their own way; the new platform takes one format only: 10-2031-0042.",
            "约 300 个在售商品。门店收银、网店和旧价格表各自用不同格式书写商品编码；新平台只接受一种格式："
            "10-2031-0042。",
        ),
    ),
    DemoObject(
        "locations",
        T("Warehouses and locations", "仓库与库位"),
        KIND.LOCATIONS,
        NATURE.STATIC,
        LEGACY,
        "warehouse",
        "location",
        1,
        (),
        T(
            "The central warehouse with its bins and dispatch area for the online shop, and the three stores "
            "with sales floor, back room and returns area.",
            "总仓的货架库位和网店发货区，以及三家门店的卖场、后仓和退货区。",
        ),
    ),
    DemoObject(
        "customers",
        T("Customers", "客户"),
        KIND.CUSTOMERS,
        NATURE.STATIC,
        LEGACY_AND_SHOP,
        "sales",
        "customer_no",
        1,
        (),
        T(
            "Store members, online shop accounts and the restaurants that buy wholesale. Customers without a "
            "purchase in three years are not migrated.",
            "门店会员、网店账户以及批发采购的餐饮客户。三年内没有购买记录的客户不迁移。",
        ),
    ),
    DemoObject(
        "suppliers",
        T("Suppliers", "供应商"),
        KIND.SUPPLIERS,
        NATURE.STATIC,
        LEGACY,
        "procurement",
        "supplier_no",
        1,
        (),
        T(
            "Some suppliers were created twice over the years; the unified social credit code shows which.",
            "多年来有些供应商被重复建档；统一社会信用代码可以识别出重复的供应商。",
        ),
    ),
    DemoObject(
        "price_lists",
        T("Price lists", "价格表"),
        KIND.PRICE_LISTS,
        NATURE.STATIC,
        LEGACY_AND_SHOP,
        "sales",
        "price_list,sku",
        1,
        ("products", "customers"),
        T(
            "Store prices, online prices and the wholesale prices agreed with single customers.",
            "门店价、网店价，以及与个别客户约定的批发价。",
        ),
    ),
    DemoObject(
        "open_pos",
        T("Open purchase orders", "未结采购订单"),
        KIND.OPEN_PURCHASE_ORDERS,
        NATURE.DYNAMIC,
        LEGACY,
        "procurement",
        "po_number,line",
        2,
        ("suppliers", "products"),
        T(
            "Purchase order lines not yet fully received, with the open quantity.",
            "尚未全部到货的采购订单行及其未结数量。",
        ),
    ),
    DemoObject(
        "open_sos",
        T("Open sales orders", "未结销售订单"),
        KIND.OPEN_SALES_ORDERS,
        NATURE.DYNAMIC,
        LEGACY_AND_SHOP,
        "sales",
        "order_number,line",
        2,
        ("customers", "products"),
        T(
            "Paid online orders not yet shipped and wholesale orders not yet delivered.",
            "已付款未发货的网店订单，以及尚未送货的批发订单。",
        ),
    ),
    DemoObject(
        "stock",
        T("Stock on hand by batch", "批次库存"),
        KIND.STOCK,
        NATURE.DYNAMIC,
        LEGACY,
        "warehouse",
        "sku,location,batch",
        2,
        ("products", "locations"),
        T(
            "Quantity and cost per product, location and batch in the central warehouse and the stores.",
            "总仓和各门店按商品、库位和批次的数量与成本。",
        ),
    ),
    DemoObject(
        "balances",
        T("Opening balances", "期初余额"),
        KIND.OPENING_BALANCES,
        NATURE.DYNAMIC,
        FINANCE_SOFTWARE,
        "finance",
        "account,partner",
        3,
        ("customers", "suppliers"),
        T(
            "Open receivables per customer and open payables per supplier on the cutover date.",
            "切换日按客户的应收余额和按供应商的应付余额。",
        ),
    ),
]


@dataclass(frozen=True)
class DemoCheck:
    ref: str
    data_object: str
    column: str
    kind: str
    label: DemoText
    settings: dict = field(default_factory=dict)  # pattern, allowed, minimum, maximum, reference (an object ref)


SKU_PATTERN = r"\d{2}-\d{4}-\d{4}"
WAREHOUSES = ("CW", "S01", "S02", "S03")  # the central warehouse and the three stores
UNITS = ("件", "盒", "箱", "袋", "瓶", "千克")
CHECKS = [
    DemoCheck("sku", "products", "sku", CHECK.PATTERN, T("SKU format", "商品编码格式"), {"pattern": SKU_PATTERN}),
    DemoCheck("name", "products", "name", CHECK.REQUIRED, T("Product name", "商品名称必填")),
    DemoCheck("unit", "products", "unit", CHECK.ALLOWED, T("Unit of measure", "计量单位"), {"allowed": UNITS}),
    DemoCheck(
        "price",
        "products",
        "price",
        CHECK.RANGE,
        T("Retail price", "零售价"),
        {"minimum": Decimal("0.01"), "maximum": Decimal(20000)},
    ),
    DemoCheck(
        "location_warehouse",
        "locations",
        "warehouse",
        CHECK.ALLOWED,
        T("Warehouse", "所属仓库"),
        {"allowed": WAREHOUSES},
    ),
    DemoCheck("phone", "customers", "phone", CHECK.REQUIRED, T("Phone number", "手机号必填")),
    DemoCheck("phone_unique", "customers", "phone", CHECK.UNIQUE, T("One customer per phone", "手机号不重复")),
    DemoCheck(
        "active",
        "customers",
        "days_since_last_purchase",
        CHECK.RANGE,
        T("Bought within 3 years", "三年内有购买"),
        {"minimum": Decimal(0), "maximum": Decimal(3 * 365)},
    ),
    DemoCheck("supplier_name", "suppliers", "name", CHECK.REQUIRED, T("Supplier name", "供应商名称必填")),
    DemoCheck(
        "credit_code",
        "suppliers",
        "credit_code",
        CHECK.UNIQUE,
        T("One supplier per credit code", "统一社会信用代码不重复"),
    ),
    DemoCheck(
        "stock_sku", "stock", "sku", CHECK.REFERENCE, T("SKU is a product", "商品编码存在"), {"reference": "products"}
    ),
    DemoCheck(
        "stock_location",
        "stock",
        "location",
        CHECK.REFERENCE,
        T("Location exists", "库位存在"),
        {"reference": "locations"},
    ),
    DemoCheck(
        "quantity", "stock", "quantity", CHECK.RANGE, T("Quantity not negative", "数量不为负"), {"minimum": Decimal(0)}
    ),
]


@dataclass(frozen=True)
class DemoRule:
    check: str  # a DemoCheck ref
    owner: str
    status: str
    description: DemoText


RULES = [
    DemoRule(
        "sku",
        "procurement",
        RULE.DONE,
        T(
            "Unify product codes: the tills write 1020310042, the online shop 10/2031/0042 and the old price lists "
            "10-2031-42; every code becomes 10-2031-0042 in the legacy program before the extract.",
            "统一商品编码：收银机写作 1020310042，网店写作 10/2031/0042，旧价格表写作 10-2031-42；"
            "抽取前在旧系统中统一改为 10-2031-0042 格式。",
        ),
    ),
    DemoRule(
        "active",
        "sales",
        RULE.DONE,
        T(
            "Drop customers without a purchase in the last three years, unless they still have an open balance.",
            "删除近三年没有购买记录的客户，仍有未结余额的除外。",
        ),
    ),
    DemoRule(
        "phone",
        "sales",
        RULE.DONE,
        T(
            "Fill in missing phone numbers from the online shop's member accounts; call the store members.",
            "从网店会员账户补全缺失的手机号；门店会员由门店电话联系补录。",
        ),
    ),
    DemoRule(
        "credit_code",
        "procurement",
        RULE.DONE,
        T(
            "Merge duplicate suppliers: keep the number with the open orders, move the others' history onto it.",
            "合并重复的供应商：保留有未结订单的编号，把其余编号的历史记录并入其中。",
        ),
    ),
    DemoRule(
        "quantity",
        "warehouse",
        RULE.DONE,
        T(
            "Fix negative stock: count the bins again and post the count in the legacy program before the extract.",
            "修正负库存：重新盘点相关库位，并在抽取前把盘点结果过账到旧系统。",
        ),
    ),
    DemoRule(
        "stock_sku",
        "warehouse",
        RULE.IN_PROGRESS,
        T(
            "Stock lines whose product no longer exists: sell off or write off, then clear them in the legacy program.",
            "商品已不存在的库存行：清仓或报废，然后在旧系统中清除。",
        ),
    ),
]

# The extracts -----------------------------------------------------------------------------------------------------

CATEGORIES = {  # category code: (unit, [(item, spec, price range)])
    "10": (
        "盒",
        [
            ("西湖龙井", "250g", (98, 398)),
            ("安溪铁观音", "500g", (88, 268)),
            ("云南普洱茶饼", "357g", (68, 228)),
            ("茉莉花茶", "200g", (28, 88)),
            ("武夷大红袍", "250g", (118, 368)),
            ("福鼎白茶", "300g", (78, 238)),
            ("祁门红茶", "200g", (58, 168)),
        ],
    ),
    "11": (
        "瓶",
        [
            ("燕麦奶", "1L", (15, 26)),
            ("椰子水", "330ml", (6, 12)),
            ("天然矿泉水", "550ml", (2, 4)),
            ("柠檬茶", "500ml", (4, 7)),
            ("苏打水", "410ml", (4, 8)),
            ("酸梅汤", "1L", (9, 16)),
        ],
    ),
    "12": (
        "袋",
        [
            ("牛肉干", "200g", (32, 68)),
            ("每日坚果", "750g", (79, 139)),
            ("海苔脆片", "40g", (9, 18)),
            ("葡萄干", "500g", (18, 36)),
            ("五香瓜子", "400g", (12, 22)),
            ("原味薯片", "104g", (7, 12)),
        ],
    ),
    "13": (
        "袋",
        [
            ("东北大米", "5kg", (39, 79)),
            ("高筋面粉", "2.5kg", (16, 29)),
            ("黄小米", "2kg", (22, 39)),
            ("鸡蛋挂面", "1kg", (9, 16)),
        ],
    ),
    "14": (
        "件",
        [
            ("洗衣液", "3kg", (29, 59)),
            ("薄荷牙膏", "180g", (12, 25)),
            ("去屑洗发水", "750ml", (39, 79)),
            ("抽纸", "24包", (35, 59)),
            ("洗洁精", "1.5kg", (12, 22)),
        ],
    ),
    "15": (
        "瓶",
        [
            ("生抽酱油", "500ml", (9, 19)),
            ("陈醋", "500ml", (8, 16)),
            ("蚝油", "700g", (12, 22)),
            ("花生油", "5L", (89, 159)),
        ],
    ),
}
BRANDS = ("茗香", "山泉", "禾丰", "优品", "金谷", "清风", "鲜味坊", "绿源", "农家乐", "福满")
FIXED_PRODUCTS = [  # the codes the other demo modules quote
    ("10-2031-0042", "茗香 西湖龙井 250g", "盒", Decimal("168.00")),
    ("10-2031-0057", "茗香 安溪铁观音 500g", "盒", Decimal("128.00")),
]
SUPPLIER_WORDS = ("鑫源", "恒丰", "金禾", "益康", "盛达", "百味", "嘉和", "永泰", "佳美", "宏图", "天成", "顺发")
SUPPLIER_CITIES = ("杭州", "福州", "广州", "上海", "苏州", "宁波", "厦门", "成都", "武汉", "青岛", "南京", "合肥")
SUPPLIER_TRADES = ("食品", "贸易", "日用品", "粮油", "饮品", "茶业")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"  # one-character given names
CITIES = ("杭州", "宁波", "绍兴", "嘉兴", "湖州")
CHANNELS = ("门店", "网店", "批发")


@dataclass
class Extracts:
    """The generated extracts as rows (lists of strings), header first."""

    locations: list[list[str]]
    products: dict[int, list[list[str]]]  # 1 = the early extract, 2 = after the cleansing
    customers: dict[int, list[list[str]]]
    suppliers: dict[int, list[list[str]]]
    stock: dict[int, list[list[str]]]
    bad_codes: list[str]  # the products' legacy codes in the early extract


def generate_extracts(seed: int = SEED) -> Extracts:
    """Realistic small extracts of the legacy data, the same for the same seed."""
    rng = random.Random(seed)
    suppliers = _suppliers(rng)
    products = _products(rng, [row[0] for row in suppliers])
    locations = _locations()
    customers = _customers(rng)
    stock = _stock(rng, products, locations)

    # The early product extract: legacy codes, twice-listed products, blank names, odd units and prices.
    early = [list(row) for row in products]
    free = list(range(len(FIXED_PRODUCTS), len(early)))
    rng.shuffle(free)
    bad_codes = []
    for n, index in enumerate(free[:24]):
        category, supplier, item = early[index][0].split("-")
        legacy = (f"{category}{supplier}{item}", f"{category}/{supplier}/{item}", f"{category}-{supplier}-{int(item)}")
        early[index][0] = legacy[n % 3]
        bad_codes.append(early[index][0])
    for index in free[24:28]:
        early[index][1] = ""
    for n, index in enumerate(free[28:35]):
        early[index][2] = ("个", "公斤", "pcs", "只")[n % 4]
    early[free[35]][3], early[free[36]][3] = "0.00", "-12.50"
    for index in free[37:43]:
        twin = list(early[index])
        twin[1] += "（新包装）"
        early.insert(rng.randrange(len(early)), twin)
    later = [list(row) for row in products]
    later[free[51]][2] = "个"  # one odd unit left
    later.insert(rng.randrange(len(later)), list(later[free[50]]))  # and one product listed twice

    # Suppliers: four created twice (same credit code); merged in the later extract.
    early_suppliers = [list(row) for row in suppliers]
    for n, row in enumerate(rng.sample(suppliers, 4)):
        early_suppliers.append([str(2089 + n), row[1].replace("有限公司", ""), row[2], row[3], row[4]])

    # Customers: 28 without a purchase in three years and 12 blank phones early; later both cleansed.
    early_customers = [list(row) for row in customers]
    indexes = list(range(len(customers)))
    rng.shuffle(indexes)
    dead = set(indexes[:28])
    for index in indexes[:28]:
        early_customers[index][5] = str(rng.randint(3 * 365 + 20, 2600))
    for index in indexes[28:40]:
        early_customers[index][3] = ""
    for a, b in zip(indexes[40:44], indexes[44:48], strict=True):  # registered in a store and online
        early_customers[b][3] = early_customers[a][3]
    later_customers = [list(row) for n, row in enumerate(customers) if n not in dead]
    for a, b in zip(indexes[40:42], indexes[44:46], strict=True):  # two of the four still share a phone
        later_customers[_position(later_customers, customers[b][0])][3] = customers[a][3]

    # Stock: early with stock of products the product extract spells differently, unknown products, negative
    # quantities and a dismantled bin; later only a display stand that is no product.
    early_stock = [list(row) for row in stock]
    for sku in ("12-2044-0911", "14-2050-0388", "11-2077-0602", "13-2035-0145", "15-2060-0720", "12-2071-0033"):
        early_stock.append([sku, rng.choice(locations[:28])[0], "B2403" + str(rng.randint(10, 99)), "12", "8.40"])
    for row in rng.sample(early_stock[: len(stock)], 2):
        row[3] = str(-rng.randint(2, 9))
    dismantled = next(row for row in stock if row[1].startswith("CW-"))
    early_stock.append([dismantled[0], "CW-C-01", "B2511" + str(rng.randint(10, 99)), "40", dismantled[4]])
    later_stock = [list(row) for row in stock]
    later_stock.append(["99-0000-0001", "CW-A-01", "DISPLAY", "2", "350.00"])

    product_header = ["sku", "name", "unit", "price"]
    customer_header = ["customer_no", "name", "channel", "phone", "city", "days_since_last_purchase"]
    supplier_header = ["supplier_no", "name", "credit_code", "contact", "phone"]
    stock_header = ["sku", "location", "batch", "quantity", "unit_cost"]
    return Extracts(
        locations=[["location", "warehouse", "name", "type"], *locations],
        products={1: [product_header, *early], 2: [product_header, *later]},
        customers={1: [customer_header, *early_customers], 2: [customer_header, *later_customers]},
        suppliers={1: [supplier_header, *early_suppliers], 2: [supplier_header, *suppliers]},
        stock={1: [stock_header, *early_stock], 2: [stock_header, *later_stock]},
        bad_codes=bad_codes,
    )


def _position(rows: list[list[str]], key: str) -> int:
    return next(n for n, row in enumerate(rows) if row[0] == key)


def _suppliers(rng: random.Random) -> list[list[str]]:
    rows, names = [], {"茗香茶业有限公司"}
    rows.append(["2031", "茗香茶业有限公司", _credit_code(rng), "陈经理", _phone(rng)])
    while len(rows) < 58:
        name = f"{rng.choice(SUPPLIER_CITIES)}{rng.choice(SUPPLIER_WORDS)}{rng.choice(SUPPLIER_TRADES)}有限公司"
        if name not in names:
            names.add(name)
            contact = rng.choice(SURNAMES) + rng.choice(("经理", "总", "小姐", "先生"))
            rows.append([str(2031 + len(rows)), name, _credit_code(rng), contact, _phone(rng)])
    return rows


def _credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + str(rng.choice((330100, 350100, 440100, 310000, 320500))) + "".join(rng.choices(alphabet, k=10))


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18")) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99_999_999):08d}"


def _products(rng: random.Random, supplier_numbers: list[str]) -> list[list[str]]:
    rows = [[sku, name, unit, f"{price:.2f}"] for sku, name, unit, price in FIXED_PRODUCTS]
    skus, names = {row[0] for row in rows}, {row[1] for row in rows}
    while len(rows) < 300:
        category = rng.choice(sorted(CATEGORIES))
        unit, items = CATEGORIES[category]
        item, spec, (low, high) = rng.choice(items)
        sku = f"{category}-{rng.choice(supplier_numbers)}-{rng.randint(1, 999):04d}"
        name = f"{rng.choice(BRANDS)} {item} {spec}"
        if sku in skus or name in names:
            continue
        skus.add(sku)
        names.add(name)
        price = Decimal(rng.randint(low, high)) - Decimal("0.10")
        rows.append([sku, name, unit, f"{price:.2f}"])
    return rows


def _locations() -> list[list[str]]:
    rows = [
        [f"CW-{aisle}-{bin:02d}", "CW", f"总仓 {aisle} 区 {bin:02d} 号货架", "货架"]
        for aisle in "AB"
        for bin in range(1, 15)
    ]
    rows += [[f"CW-WEB-{n:02d}", "CW", f"网店发货区 {n}", "发货"] for n in range(1, 4)]
    for number, store in enumerate(("一号店", "二号店", "三号店"), start=1):
        rows += [
            [f"S0{number}-SHOP", f"S0{number}", f"{store} 卖场", "卖场"],
            [f"S0{number}-BACK", f"S0{number}", f"{store} 后仓", "后仓"],
            [f"S0{number}-RET", f"S0{number}", f"{store} 退货区", "退货"],
        ]
    return rows


def _customers(rng: random.Random) -> list[list[str]]:
    rows = []
    for n in range(200):
        channel = CHANNELS[0] if n % 3 == 0 else CHANNELS[1] if n % 9 else CHANNELS[2]
        if channel == "批发":
            name = f"{rng.choice(CITIES)}{rng.choice(SUPPLIER_WORDS)}餐饮有限公司"
        else:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        rows.append(
            [f"C{10_001 + n}", name, channel, _phone(rng), rng.choice(CITIES), str(rng.randint(1, 3 * 365 - 30))]
        )
    return rows


def _stock(rng: random.Random, products: list[list[str]], locations: list[list[str]]) -> list[list[str]]:
    bins = [row[0] for row in locations if row[1] == "CW" and "WEB" not in row[0]]
    stores = [row[0] for row in locations if row[0].endswith(("SHOP", "BACK"))]
    rows, keys = [], set()
    while len(rows) < 495:
        sku, _name, _unit, price = rng.choice(products)
        central = rng.random() < 0.6
        location = rng.choice(bins) if central else rng.choice(stores)
        batch = f"B{rng.choice(('2607', '2608', '2609', '2610'))}{rng.randint(1, 30):02d}"
        if (sku, location, batch) in keys:
            continue
        keys.add((sku, location, batch))
        quantity = rng.randint(20, 400) if central else rng.randint(1, 60)
        cost = (Decimal(price) * Decimal("0.62")).quantize(Decimal("0.01"))
        rows.append([sku, location, batch, str(quantity), f"{cost:.2f}"])
    return rows


def to_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


# Building ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def build_migration_demo(*, project: Project, language: str) -> None:
    """Add the inventory, checks, rules, profiled extracts and the two reconciled trial loads, once; a project with
    data objects is left alone."""
    if project.data_objects.exists():
        return
    with translation.override(language):
        members = {m.user.username: m for m in project.memberships.select_related("user")}
        author = members[AUTHOR].user
        objects = _inventory(project, members, language)
        checks = _checks(objects, language)
        _rules(checks, members, language)
        extracts = generate_extracts()
        _profile_extracts(objects, extracts, author)
        _trial_loads(project, objects, extracts, members, language)


def _inventory(project: Project, members: dict[str, Membership], language: str) -> dict[str, DataObject]:
    author = members[AUTHOR].user
    waves = {
        number: svc.wave_create(
            project=project, number=number, name=name(language), description=text(language), user=author
        )
        for number, (name, text) in enumerate(WAVES, start=1)
    }
    objects: dict[str, DataObject] = {}
    for spec in OBJECTS:
        objects[spec.ref] = svc.data_object_create(
            project=project,
            name=spec.name(language),
            kind=spec.kind,
            nature=spec.nature,
            source_system=spec.source(language),
            steward=members[spec.steward],
            key_columns=spec.keys,
            description=spec.description(language),
            wave=waves[spec.wave],
            depends_on=[objects[ref] for ref in spec.depends_on],
            user=author,
        )
    return objects


def _checks(objects: dict[str, DataObject], language: str) -> dict[str, QualityCheck]:
    checks = {}
    for spec in CHECKS:
        settings = dict(spec.settings)
        if "reference" in settings:
            settings["reference"] = objects[settings["reference"]]
        if "allowed" in settings:
            settings["allowed"] = "\n".join(settings["allowed"])
        check = QualityCheck(
            data_object=objects[spec.data_object],
            column=spec.column,
            kind=spec.kind,
            label=spec.label(language),
            **settings,
        )
        checks[spec.ref] = svc.quality_check_save(check)
    return checks


def _rules(checks: dict[str, QualityCheck], members: dict[str, Membership], language: str) -> None:
    for spec in RULES:
        check = checks[spec.check]
        svc.cleansing_rule_create(
            data_object=check.data_object,
            description=spec.description(language),
            owner=members[spec.owner],
            status=spec.status,
            quality_check=check,
            user=members[spec.owner].user,
        )


def _profile_extracts(objects: dict[str, DataObject], extracts: Extracts, user) -> None:
    """Profile the early extracts, then the later ones; referenced objects (locations, products) before stock."""

    def upload(ref: str, rows: list[list[str]], day: int, hour: int, encoding: str = "utf-8") -> None:
        stamp = _day(day).strftime("%Y%m%d")
        content = to_csv(rows, encoding)
        profile = profile_upload(
            data_object=objects[ref],
            upload=SimpleUploadedFile(f"{ref}_{stamp}.csv", content, content_type="text/csv"),
            user=user,
        )
        moment = _moment(day, hour)
        ExtractProfile.objects.filter(pk=profile.pk).update(created_at=moment, updated_at=moment, finished_at=moment)

    upload("locations", extracts.locations, EARLY, 9)
    # The legacy program saves its exports in GB18030, like Chinese Excel; the later ones came as UTF-8.
    upload("products", extracts.products[1], EARLY, 10, encoding="gb18030")
    upload("customers", extracts.customers[1], EARLY, 11, encoding="gb18030")
    upload("suppliers", extracts.suppliers[1], EARLY, 12, encoding="gb18030")
    upload("stock", extracts.stock[1], EARLY, 14, encoding="gb18030")
    for hour, ref in enumerate(("products", "customers", "suppliers", "stock"), start=10):
        upload(ref, getattr(extracts, ref)[2], LATER, hour)


# Trial loads ------------------------------------------------------------------------------------------------------

RECORDS = T("Record count", "记录数")
STOCK_QUANTITY = T("Stock quantity", "库存数量")
STOCK_VALUE = T("Stock value (CNY)", "库存金额（元）")
OPEN_PO_QUANTITY = T("Open PO quantity", "采购未结数量")
OPEN_SO_QUANTITY = T("Open SO quantity", "销售未结数量")
RECEIVABLES = T("Receivable balance (CNY)", "应收余额（元）")
PAYABLES = T("Payable balance (CNY)", "应付余额（元）")

LOADS = {
    1: (
        T("Trial load 1", "第一次模拟迁移"),
        T("Migration tenant of the new platform", "新平台迁移测试租户"),
        T(
            "The first full run of the load programs on the early extracts, before the cleansing. Six of nine "
            "objects miss their control figures: products with legacy codes are refused and everything that "
            "points to them goes missing with them.",
            "基于清洗前的早期抽取数据，首次完整运行迁移程序。九个数据对象中有六个未通过控制数核对："
            "旧格式编码的商品被拒收，引用这些商品的数据也随之缺失。",
        ),
    ),
    2: (
        T("Trial load 2", "第二次模拟迁移"),
        T("Migration tenant of the new platform", "新平台迁移测试租户"),
        T(
            "After the cleansing: every object but the open sales orders matches. Three online orders were paid "
            "while the extract ran, so the cutover plan now stops the online shop during the extract.",
            "清洗完成后再次迁移：除未结销售订单外全部一致。有三笔网店订单在抽取过程中付款，因此切换方案改为"
            "抽取期间暂停网店接单。",
        ),
    ),
}


@dataclass(frozen=True)
class DemoFigure:
    name: DemoText | tuple[DemoText, str]  # a text, or a text and the warehouse it is for
    source: Decimal
    target: Decimal
    tolerance: Decimal = Decimal(0)
    tolerance_kind: str = ABSOLUTE


@dataclass(frozen=True)
class DemoException:
    record_key: str
    owner: str
    disposition: str
    description: DemoText


F, X = DemoFigure, DemoException


def _figures(extracts: Extracts) -> dict[int, dict[str, list[DemoFigure]]]:
    """The control figures per load and object: from the generated extracts where there is one, typed otherwise."""
    count = Decimal
    early_customers = extracts.customers[1][1:]
    return {
        1: {
            "locations": [F(RECORDS, count(40), count(40))],
            "products": [F(RECORDS, count(300), count(300 - len(extracts.bad_codes)))],
            "customers": [F(RECORDS, count(len(early_customers)), count(sum(1 for row in early_customers if row[3])))],
            "suppliers": [F(RECORDS, count(len(extracts.suppliers[1]) - 1), count(len(extracts.suppliers[1]) - 1))],
            "price_lists": [F(RECORDS, count(1240), count(1102))],
            "open_pos": [F(RECORDS, count(38), count(38)), F(OPEN_PO_QUANTITY, count(4560), count(4320))],
            "open_sos": [F(RECORDS, count(57), count(57)), F(OPEN_SO_QUANTITY, count(212), count(212))],
            "stock": _stock_figures(extracts.stock[1], known=_keys(extracts.products[1])),
            "balances": [
                F(RECEIVABLES, Decimal("1286540.00"), Decimal("1271320.00"), Decimal(1)),
                F(PAYABLES, Decimal("862410.50"), Decimal("862410.50"), Decimal(1)),
            ],
        },
        2: {
            "locations": [F(RECORDS, count(40), count(40))],
            "products": [F(RECORDS, count(300), count(300))],
            "customers": [F(RECORDS, count(len(extracts.customers[2]) - 1), count(len(extracts.customers[2]) - 1))],
            "suppliers": [F(RECORDS, count(len(extracts.suppliers[2]) - 1), count(len(extracts.suppliers[2]) - 1))],
            "price_lists": [F(RECORDS, count(1236), count(1236))],
            "open_pos": [F(RECORDS, count(41), count(41)), F(OPEN_PO_QUANTITY, count(4980), count(4980))],
            "open_sos": [F(RECORDS, count(61), count(58)), F(OPEN_SO_QUANTITY, count(236), count(227))],
            "stock": _stock_figures(extracts.stock[2], known=_keys(extracts.products[2])),
            "balances": [
                F(RECEIVABLES, Decimal("1302118.40"), Decimal("1302118.40"), Decimal(1)),
                F(PAYABLES, Decimal("851276.90"), Decimal("851276.90"), Decimal(1)),
            ],
        },
    }


def _keys(rows: list[list[str]]) -> set[str]:
    return {row[0] for row in rows[1:]}


def _stock_figures(rows: list[list[str]], *, known: set[str]) -> list[DemoFigure]:
    """Record count, quantity and value per warehouse: the source is the extract, the target what the new platform
    took (rows of known products and bins, no negative quantities); half a percent of tolerance."""
    bins = {row[0] for row in _locations()}
    source = {w: [Decimal(0), Decimal(0)] for w in WAREHOUSES}
    target = {w: [Decimal(0), Decimal(0)] for w in WAREHOUSES}
    loaded = 0
    for sku, location, _batch, quantity, cost in rows[1:]:
        warehouse = location.split("-")[0]
        quantity, value = Decimal(quantity), Decimal(quantity) * Decimal(cost)
        source[warehouse][0] += quantity
        source[warehouse][1] += value
        if sku in known and location in bins and quantity >= 0:
            loaded += 1
            target[warehouse][0] += quantity
            target[warehouse][1] += value
    half = Decimal("0.5")
    figures = [F(RECORDS, Decimal(len(rows) - 1), Decimal(loaded), half, PERCENT)]
    for warehouse in WAREHOUSES:
        figures.append(F((STOCK_QUANTITY, warehouse), source[warehouse][0], target[warehouse][0], half, PERCENT))
        figures.append(F((STOCK_VALUE, warehouse), source[warehouse][1], target[warehouse][1], half, PERCENT))
    return figures


def _exceptions(extracts: Extracts) -> dict[int, dict[str, list[DemoException]]]:
    bad = extracts.bad_codes
    negative = next(row for row in extracts.stock[1][1:] if row[3].startswith("-"))
    return {
        1: {
            "products": [
                X(
                    bad[0],
                    "procurement",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        f"{len(bad)} products refused: their codes are in a legacy format ({', '.join(bad[:3])} …).",
                        f"{len(bad)} 个商品被拒收：编码为旧格式（{'、'.join(bad[:3])} 等）。",
                    ),
                ),
            ],
            "customers": [
                X(
                    "",
                    "sales",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        "12 customers refused: no phone number, which the new platform needs for member accounts.",
                        "12 个客户被拒收：缺少手机号，而新平台的会员账户必须有手机号。",
                    ),
                ),
            ],
            "price_lists": [
                X(
                    "",
                    "sales",
                    DISPOSITION.OPEN,
                    T(
                        "138 price lines missing: they belong to the products refused for their codes.",
                        "缺少 138 条价格记录：都属于因编码格式被拒收的商品。",
                    ),
                ),
            ],
            "open_pos": [
                X(
                    f"PO-{_day(LOAD_DAYS[1]).year}-0311",
                    "procurement",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        "Lines for products with legacy codes did not load (240 units on 5 orders).",
                        "旧格式编码商品的订单行未能导入（5 张订单，共 240 件）。",
                    ),
                ),
            ],
            "stock": [
                X(
                    f"{negative[0]} / {negative[1]} / {negative[2]}",
                    "warehouse",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        f"Negative stock ({negative[3]}) in the legacy program; the new platform refuses it.",
                        f"旧系统中为负库存（{negative[3]}），新平台拒收。",
                    ),
                ),
                X(
                    "CW-C-01",
                    "warehouse",
                    DISPOSITION.FIX_TARGET,
                    T(
                        "Stock in bin CW-C-01, which was dismantled in spring and is not in the location extract.",
                        "库位 CW-C-01 上仍有库存，但该货架已于春季拆除，不在库位抽取数据中。",
                    ),
                ),
                X(
                    "12-2044-0911",
                    "procurement",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        "Six stock lines of products that are no longer in the product list. The other stock lines "
                        "missing belong to the products refused for their codes.",
                        "六条库存记录对应的商品已不在商品清单中；其余缺失的库存记录属于因编码格式被拒收的商品。",
                    ),
                ),
            ],
            "balances": [
                X(
                    "1122",
                    "finance",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        "Receivables of the customers refused for a missing phone number (CNY 15,220.00).",
                        "因缺少手机号被拒收的客户，其应收款（15,220.00 元）未能导入。",
                    ),
                ),
            ],
        },
        2: {
            "stock": [
                X(
                    "99-0000-0001",
                    "warehouse",
                    DISPOSITION.ACCEPTED,
                    T(
                        "Two display stands were counted as stock; they are no product and are written off.",
                        "两个陈列架被计入了库存；它们不是商品，已报废处理。",
                    ),
                ),
            ],
            "open_sos": [
                X(
                    f"WEB-{_day(LOAD_DAYS[2] - 1):%Y%m%d}-0173",
                    "sales",
                    DISPOSITION.FIX_SOURCE,
                    T(
                        "Three online orders paid while the extract ran did not reach the new platform.",
                        "三笔在抽取过程中付款的网店订单没有进入新平台。",
                    ),
                ),
            ],
        },
    }


def _trial_loads(
    project: Project,
    objects: dict[str, DataObject],
    extracts: Extracts,
    members: dict[str, Membership],
    language: str,
) -> None:
    from projects.demo import DEMO_PASSWORD  # projects.demo imports this module

    author = members[AUTHOR].user
    figures, exceptions = _figures(extracts), _exceptions(extracts)
    for number, (name, environment, notes) in LOADS.items():
        load = svc.trial_load_create(
            project=project,
            name=name(language),
            environment=environment(language),
            loaded_on=_day(LOAD_DAYS[number]),
            notes=notes(language),
            user=author,
        )
        reconciliations = {}
        for spec in OBJECTS:
            reconciliation = svc.reconciliation_for(load=load, data_object=objects[spec.ref])
            for figure in figures[number][spec.ref]:
                svc.measure_set(
                    reconciliation=reconciliation,
                    name=_figure_name(figure.name, language),
                    source_value=figure.source,
                    target_value=figure.target,
                    tolerance=figure.tolerance,
                    tolerance_kind=figure.tolerance_kind,
                )
            for exception in exceptions[number].get(spec.ref, []):
                _exception(reconciliation, exception, members, author, language)
            reconciliations[spec.ref] = reconciliation
        if number == 2:
            for spec in OBJECTS:
                reconciliation = reconciliations[spec.ref]
                if reconciliation.verdict == Reconciliation.Verdict.PASS:
                    steward = members[spec.steward].user
                    svc.data_sign(reconciliation=reconciliation, user=steward, password=DEMO_PASSWORD)


def _figure_name(name: DemoText | tuple[DemoText, str], language: str) -> str:
    if isinstance(name, tuple):
        text, warehouse = name
        return f"{text(language)} · {warehouse}"
    return name(language)


def _exception(
    reconciliation: Reconciliation, spec: DemoException, members: dict[str, Membership], author, language: str
) -> ReconciliationException:
    return svc.reconciliation_exception_add(
        reconciliation=reconciliation,
        record_key=spec.record_key,
        description=spec.description(language),
        owner=members[spec.owner],
        disposition=spec.disposition,
        user=author,
    )


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def _moment(offset: int, hour: int) -> datetime:
    moment = timezone.make_aware(datetime.combine(_day(offset), time(hour, 0)))
    return min(moment, timezone.now())
