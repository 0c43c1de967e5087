"""The demo project: the retail case from the upgrade guide, in English or Simplified Chinese.

Building it twice changes nothing; later modules add their part of the story in `build_demo`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_noop

from projects.demo_goals import build_goals_demo
from projects.demo_golive import build_golive_demo
from projects.demo_migration import build_migration_demo
from projects.demo_processes import build_processes_demo
from projects.demo_sla import build_sla_demo
from projects.models import Membership, Profile, Project

DEMO_CODE = "RETAIL"
# Other apps add their part of the demo (projects never imports them): see register_demo_builder.
_builders: list[Callable[..., None]] = []
DEMO_PASSWORD = "workbench-demo"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name_en: tuple[str, str]
    name_zh: tuple[str, str]  # Chinese names are written family name first, as one string
    role: str
    department: str
    responsibility_en: str
    responsibility_zh: str


R, D = Membership.Role, Membership.Department
PEOPLE = [
    DemoPerson(
        "lead",
        ("Wei", "Zhang"),
        ("张伟", ""),
        R.OWNER,
        D.MANAGEMENT,
        "Sponsor and project lead; signs off goals, baselines and go/no-go",
        "项目发起人兼负责人；审批目标、需求基线和上线决策",
    ),
    DemoPerson(
        "it",
        ("Na", "Li"),
        ("李娜", ""),
        R.EDITOR,
        D.IT,
        "IT lead: integrations, non-functional requirements, data migration, cutover",
        "IT负责人：系统集成、非功能需求、数据迁移与切换",
    ),
    DemoPerson(
        "finance",
        ("Fang", "Wang"),
        ("王芳", ""),
        R.EDITOR,
        D.FINANCE,
        "Month-end close, costing and the link between sales and the ledger",
        "月结、成本核算，以及销售与总账的衔接",
    ),
    DemoPerson(
        "procurement",
        ("Yang", "Liu"),
        ("刘洋", ""),
        R.EDITOR,
        D.PROCUREMENT,
        "Purchase orders, suppliers and receiving",
        "采购订单、供应商与到货入库",
    ),
    DemoPerson(
        "sales",
        ("Jing", "Chen"),
        ("陈静", ""),
        R.EDITOR,
        D.SALES,
        "Store and online-shop orders, returns and customer data",
        "门店与网店订单、退货及客户资料",
    ),
    DemoPerson(
        "warehouse",
        ("Qiang", "Zhao"),
        ("赵强", ""),
        R.EDITOR,
        D.WAREHOUSE,
        "Warehouse key user: stock-taking, transfers between stores and the central warehouse",
        "仓库关键用户：盘点、门店与总仓之间的调拨",
    ),
    DemoPerson(
        "tester",
        ("Lei", "Sun"),
        ("孙磊", ""),
        R.TESTER,
        D.WAREHOUSE,
        "Runs acceptance checklists on the warehouse floor with a tablet",
        "用平板在仓库现场执行验收测试清单",
    ),
    DemoPerson(
        "vendor",
        ("Min", "Zhou"),
        ("周敏", ""),
        R.VENDOR,
        D.VENDOR,
        "Implementation consultant of the short-listed cloud vendor",
        "入围云服务商的实施顾问",
    ),
    DemoPerson(
        "auditor",
        ("Hui", "Wu"),
        ("吴慧", ""),
        R.VIEWER,
        D.FINANCE,
        "Internal audit: follows the project, changes nothing",
        "内部审计：关注项目进展，不做修改",
    ),
]

PROJECT_TEXT = {
    "en": {
        "name": "Retail chain: one inventory for stores, online shop and finance",
        "legacy_system": "Single-machine inventory software (desktop edition)",
        "description": (
            "The company runs its stores and its online shop on a single-machine inventory program. "
            "Stock in the stores and online is **not synchronised**, so the shop sells goods the "
            "warehouse no longer has, and sales figures are added up by hand for finance, which "
            "works apart from sales.\n\n"
            "The upgrade replaces it with one integrated platform:\n\n"
            "- one real-time stock figure across every store, the online shop and the central warehouse;\n"
            "- sales flowing straight into finance, so month-end close no longer waits for spreadsheets;\n"
            "- mobile stock-taking and management reports on the phone.\n"
        ),
    },
    "zh-hans": {
        "name": "零售连锁：门店、网店与财务共用一本库存账",
        "legacy_system": "单机版进销存软件",
        "description": (
            "公司的门店和网店目前使用单机版进销存软件。门店与线上库存**不同步**，网店常常卖出仓库已经没有的商品；"
            "销售数据要手工汇总后交给财务，业务与财务相互脱节。\n\n"
            "本次升级改用一体化平台：\n\n"
            "- 所有门店、网店和总仓的库存实时统一；\n"
            "- 销售数据直接进入财务，月结不再等待手工表格；\n"
            "- 支持移动盘点，管理层在手机上查看经营报表。\n"
        ),
    },
}


@transaction.atomic
def build_demo(*, language: str) -> Project:
    """Create or refresh the demo project and its team, and the distribution centre after go-live (DC_CODE);
    returns the retail project."""
    text = PROJECT_TEXT[language]
    project = Project.objects.filter(code=DEMO_CODE).first()
    fields = {
        "name": text["name"],
        "legacy_system": text["legacy_system"],
        "description": text["description"],
        "target_go_live": date(2027, 6, 30),
        "phase": Project.Phase.SELECTION,
    }
    if project is None:
        project = Project(code=DEMO_CODE, **fields)
        project._change_reason = gettext_noop("demo project created")
        project.save()
    elif any(getattr(project, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(project, key, value)
        project.version += 1
        project.save()

    demo_team(project, language)
    build_goals_demo(project=project, language=language)
    build_processes_demo(project=project, language=language)
    build_migration_demo(project=project, language=language)
    for builder in _builders:
        builder(project=project, language=language)
    build_golive_demo(project=project, language=language)  # after the UAT demo: the go/no-go criteria read it
    build_sla_demo(project=project, language=language)  # after the selection demo: its vendor's service levels
    return project


def demo_team(project: Project, language: str) -> None:
    """Give the demo people their accounts (password DEMO_PASSWORD) and make them members of the project."""
    User = get_user_model()
    for person in PEOPLE:
        first, last = person.name_zh if language == "zh-hans" else person.name_en
        user, created = User.objects.get_or_create(
            username=person.username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif (user.first_name, user.last_name) != (first, last):
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        Profile.objects.update_or_create(user=user, defaults={"language": language})
        responsibility = person.responsibility_zh if language == "zh-hans" else person.responsibility_en
        membership = Membership.objects.filter(project=project, user=user).first()
        wanted = {"role": person.role, "department": person.department, "responsibility": responsibility}
        if membership is None:
            Membership.objects.create(project=project, user=user, **wanted)
        elif any(getattr(membership, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(membership, key, value)
            membership.save()


def register_demo_builder(builder: Callable[..., None]) -> None:
    """Let another app add to the demo; `builder(project=…, language=…)` must be idempotent."""
    if builder not in _builders:
        _builders.append(builder)
