"""The demo's data migration: inventory in load order, profiled extracts, cleansing trends, two trial loads."""

import time

import pytest

from projects.demo import build_demo
from projects.demo_migration import SKU_PATTERN, build_migration_demo, generate_extracts
from projects.models import (
    CleansingRule,
    DataObject,
    DataSignOff,
    ExtractProfile,
    Measure,
    QualityCheck,
    Reconciliation,
    ReconciliationException,
    TrialLoad,
    Wave,
)
from projects.services.migration import project_load_order, wave_plan
from projects.services.profiling import check_trend, latest_profile

KIND = DataObject.Kind
PASS, FAIL = Reconciliation.Verdict.PASS, Reconciliation.Verdict.FAIL


def _counts():
    models = (
        Wave,
        DataObject,
        QualityCheck,
        CleansingRule,
        ExtractProfile,
        TrialLoad,
        Reconciliation,
        Measure,
        ReconciliationException,
        DataSignOff,
    )
    rows = tuple(model._default_manager.count() for model in models)  # Wave.objects is its objects
    histories = sum(model.history.count() for model in models if hasattr(model, "history"))
    return rows, histories


@pytest.fixture
def demo(db):
    return build_demo(language="en")


def _by_kind(project):
    return {o.kind: o for o in project.data_objects.all()}


def test_the_inventory_loads_master_data_before_orders_and_stock(demo):
    order = [o.kind for o in project_load_order(demo)]

    assert len(order) == 9
    for master in (KIND.PRODUCTS, KIND.LOCATIONS, KIND.CUSTOMERS, KIND.SUPPLIERS):
        for dynamic in (KIND.STOCK, KIND.OPEN_PURCHASE_ORDERS, KIND.OPEN_SALES_ORDERS, KIND.OPENING_BALANCES):
            assert order.index(master) < order.index(dynamic)
    assert order.index(KIND.PRODUCTS) < order.index(KIND.PRICE_LISTS)
    assert order.index(KIND.CUSTOMERS) < order.index(KIND.PRICE_LISTS)

    objects = _by_kind(demo)
    assert set(objects[KIND.STOCK].depends_on.values_list("kind", flat=True)) == {KIND.PRODUCTS, KIND.LOCATIONS}
    assert objects[KIND.PRODUCTS].steward.user.username == "procurement"
    assert objects[KIND.CUSTOMERS].steward.user.username == "sales"
    assert objects[KIND.STOCK].steward.user.username == "warehouse"
    assert objects[KIND.OPENING_BALANCES].steward.user.username == "finance"
    assert objects[KIND.PRODUCTS].nature == DataObject.Nature.STATIC
    assert objects[KIND.STOCK].nature == DataObject.Nature.DYNAMIC

    plan = wave_plan(demo)
    assert [wave.name for wave, _objects in plan["waves"]][:2] == [
        "Static master data",
        "Dynamic data: open orders and stock",
    ]
    assert plan["unassigned"] == [] and plan["problems"] == []
    first_wave = {o.kind for o in plan["waves"][0][1]}
    assert {KIND.PRODUCTS, KIND.LOCATIONS, KIND.CUSTOMERS, KIND.SUPPLIERS} <= first_wave


def test_the_extracts_are_profiled_against_the_checks(demo):
    objects = _by_kind(demo)
    products, stock = objects[KIND.PRODUCTS], objects[KIND.STOCK]

    early, later = products.profiles.order_by("created_at")
    assert early.status == later.status == ExtractProfile.Status.DONE
    assert early.result["encoding"] == "gb18030" and later.result["encoding"] == "utf-8"
    assert 290 <= early.rows <= 320
    assert early.result["duplicate_keys"] > later.result["duplicate_keys"] > 0
    assert float(early.accuracy) < float(later.accuracy)
    assert latest_profile(products) == later
    assert products.record_count == later.rows  # the latest extract's rows

    early_stock = stock.profiles.order_by("created_at").first()
    failures = {c["label"]: c["failures"] for c in early_stock.result["checks"]}
    assert failures["SKU is a product"] > 6  # unknown products and the legacy codes of the product extract
    assert failures["Quantity not negative"] == 2
    assert failures["Location exists"] == 1
    assert 450 <= latest_profile(stock).rows <= 550
    assert 35 <= latest_profile(objects[KIND.LOCATIONS]).rows <= 45

    customers = latest_profile(objects[KIND.CUSTOMERS])
    assert 150 <= customers.rows <= 220


def test_the_cleansing_rules_show_their_violations_going_down(demo):
    rules = CleansingRule.objects.filter(data_object__project=demo).select_related("quality_check", "owner__user")
    assert rules.count() >= 4
    assert all(rule.quality_check is not None and rule.owner is not None for rule in rules)

    sku_rule = rules.get(quality_check__kind=QualityCheck.Kind.PATTERN)
    assert sku_rule.quality_check.pattern == SKU_PATTERN
    assert "10-2031-0042" in sku_rule.description
    assert sku_rule.owner.user.username == "procurement"
    trend = [failures for _profile, failures in check_trend(sku_rule.quality_check)]
    assert len(trend) == 2 and trend[0] > trend[1]

    for rule in rules:
        trend = [failures for _profile, failures in check_trend(rule.quality_check)]
        assert trend[0] > 0 and trend[-1] < trend[0], rule


def test_the_second_trial_load_is_better_than_the_first_and_signed(demo):
    first, second = demo.trial_loads.order_by("number")
    assert (first.name, second.name) == ("Trial load 1", "Trial load 2")
    assert first.loaded_on < second.loaded_on

    def failing(load):
        return load.reconciliations.filter(verdict=FAIL).count()

    assert first.reconciliations.count() == second.reconciliations.count() == 9
    assert failing(first) >= 4
    assert failing(second) < failing(first)
    assert second.reconciliations.filter(verdict=Reconciliation.Verdict.PENDING).count() == 0

    stock = second.reconciliations.get(data_object__kind=KIND.STOCK)
    names = set(stock.measures.values_list("name", flat=True))
    assert {"Record count", "Stock quantity · CW", "Stock value (CNY) · CW"} <= names
    exceptions = ReconciliationException.objects.filter(reconciliation__load=first)
    assert exceptions.count() >= 4 and all(e.owner_id for e in exceptions)
    accepted = ReconciliationException.objects.filter(
        reconciliation__load=second, disposition=ReconciliationException.Disposition.ACCEPTED
    )
    assert accepted.count() == 1

    signed = DataSignOff.objects.filter(reconciliation__load=second).select_related("reconciliation__data_object")
    passing = second.reconciliations.filter(verdict=PASS)
    assert signed.count() == passing.count() >= 6
    for signoff in signed:
        assert signoff.verdict == PASS
        assert signoff.signer_id == signoff.reconciliation.data_object.steward.user_id
    assert not DataSignOff.objects.filter(reconciliation__load=first).exists()


def test_building_it_again_adds_nothing(demo):
    before = _counts()

    build_migration_demo(project=demo, language="en")
    build_demo(language="en")

    assert _counts() == before


def test_in_chinese_the_objects_and_loads_have_chinese_names(db):
    project = build_demo(language="zh-hans")

    names = set(project.data_objects.values_list("name", flat=True))
    assert {"商品", "客户", "供应商", "批次库存", "未结采购订单"} <= names
    assert project.waves.get(number=1).name == "静态主数据"
    assert list(project.trial_loads.values_list("name", flat=True)) == ["第一次模拟迁移", "第二次模拟迁移"]
    assert QualityCheck.objects.filter(data_object__project=project, label="商品编码格式").exists()
    stock = project.trial_loads.get(number=2).reconciliations.get(data_object__kind=KIND.STOCK)
    assert stock.measures.filter(name="库存数量 · CW").exists()


def test_the_extracts_are_the_same_every_time_and_quick_to_build(demo):
    assert generate_extracts() == generate_extracts()
    extracts = generate_extracts()
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in row[1]) for row in extracts.products[2][1:])
    assert any(row[3] == "" for row in extracts.customers[1][1:])
    assert any(row[3].startswith("-") for row in extracts.stock[1][1:])

    from projects.models import Project

    other = Project.objects.create(code="TIMED", name="Timed copy")
    for membership in demo.memberships.all():
        membership.pk = None
        membership.project = other
        membership.save()
    started = time.perf_counter()
    build_migration_demo(project=other, language="en")
    assert time.perf_counter() - started < 5
    assert other.data_objects.count() == 9
