"""Data migration rules: load order from dependencies, cycles refused, verdicts within tolerances, sign-off."""

from decimal import Decimal

import pytest

from projects.models import DataObject, DataSignOff, Membership, Reconciliation
from projects.services import migration as svc
from tests.factories import PASSWORD, ProjectFactory
from workbench.models import ImmutableError


def _object(project, name, nature="static", depends_on=(), **fields):
    return svc.data_object_create(project=project, name=name, nature=nature, depends_on=depends_on, **fields)


@pytest.fixture
def objects(project):
    products = _object(project, "Products", key_columns="sku")
    locations = _object(project, "Locations", key_columns="code")
    customers = _object(project, "Customers")
    stock = _object(project, "Stock on hand", "dynamic", depends_on=[products, locations])
    orders = _object(project, "Open sales orders", "dynamic", depends_on=[customers, products])
    return {"products": products, "locations": locations, "customers": customers, "stock": stock, "orders": orders}


def test_the_load_order_puts_what_is_needed_first_and_static_before_dynamic(project, objects):
    order = [o.name for o in svc.project_load_order(project)]
    assert order == ["Customers", "Locations", "Products", "Open sales orders", "Stock on hand"]


def test_a_static_object_that_needs_a_dynamic_one_waits_for_it(project, objects):
    late = _object(project, "A price list from open orders", depends_on=[objects["orders"]])
    order = [o.name for o in svc.project_load_order(project)]
    assert order.index(late.name) > order.index("Open sales orders")
    assert order.index("Stock on hand") > order.index("Products")


def test_a_dependency_that_closes_a_circle_is_refused_and_nothing_changes(project, objects, owner):
    products = objects["products"]
    with pytest.raises(svc.MigrationError, match="circle: Products → Stock on hand → Products"):
        svc.data_object_update(
            data_object=products, expected_version=products.version, depends_on=[objects["stock"]], user=owner
        )
    products.refresh_from_db()
    assert list(products.depends_on.all()) == []
    assert products.version == 1


def test_an_object_cannot_depend_on_itself_or_on_another_projects_object(project, objects):
    products = objects["products"]
    with pytest.raises(svc.MigrationError, match="itself"):
        svc.data_object_update(data_object=products, expected_version=products.version, depends_on=[products])
    foreign = _object(ProjectFactory(code="OTHER"), "Products")
    with pytest.raises(svc.MigrationError, match="same project"):
        svc.data_object_update(data_object=products, expected_version=products.version, depends_on=[foreign])


def test_two_objects_cannot_share_a_name(project, objects):
    with pytest.raises(svc.MigrationError, match="already"):
        _object(project, "products")
    assert DataObject.objects.filter(project=project).count() == 5


def test_load_order_of_plain_nodes():
    assert svc.load_order({1: "b", 2: "a", 3: "c"}, {3: {1}}) == [2, 1, 3]
    assert svc.find_cycle({1: {2}, 2: {3}, 3: {1}}) == [1, 2, 3, 1]
    with pytest.raises(svc.DependencyCycle) as refused:
        svc.load_order({1: 0, 2: 0}, {1: {2}, 2: {1}})
    assert refused.value.cycle == [1, 2, 1]


def test_the_wave_plan_lists_objects_in_load_order_and_flags_a_dependency_on_a_later_wave(project, objects, owner):
    master = svc.wave_create(project=project, name="Master data")
    dynamic = svc.wave_create(project=project, name="Open items and stock")
    assert (master.number, dynamic.number) == (1, 2)
    for name in ("products", "locations"):
        o = objects[name]
        svc.data_object_update(data_object=o, expected_version=o.version, wave=master)
    for name in ("stock", "orders"):
        o = objects[name]
        svc.data_object_update(data_object=o, expected_version=o.version, wave=dynamic)
    plan = svc.wave_plan(project)
    assert [[o.name for o in objs] for _w, objs in plan["waves"]] == [
        ["Locations", "Products"],
        ["Open sales orders", "Stock on hand"],
    ]
    assert [o.name for o in plan["unassigned"]] == ["Customers"]
    assert plan["problems"] == ["Open sales orders (wave 2) needs Customers, which is loaded later."]


@pytest.mark.parametrize(
    ("source", "target", "tolerance", "kind", "verdict"),
    [
        ("1000", "1000", "0", "absolute", "pass"),
        ("1000", "999", "0", "absolute", "fail"),
        ("1000", "998", "2", "absolute", "pass"),  # exactly on the tolerance passes
        ("1000", "997", "2", "absolute", "fail"),
        ("200000.00", "199900.00", "0.05", "percent", "pass"),  # 100 of 200,000 = 0.05 %
        ("200000.00", "199899.99", "0.05", "percent", "fail"),
        ("-500", "-505", "1", "percent", "pass"),  # a negative balance: 1 % of 500
    ],
)
def test_a_verdict_follows_from_the_figures_and_their_tolerance(
    project, objects, source, target, tolerance, kind, verdict
):
    load = svc.trial_load_create(project=project, name="Trial load 1")
    reconciliation = svc.reconciliation_for(load=load, data_object=objects["stock"])
    assert reconciliation.verdict == Reconciliation.Verdict.PENDING
    svc.measure_set(
        reconciliation=reconciliation,
        name="Stock value, SH-01",
        source_value=Decimal(source),
        target_value=Decimal(target),
        tolerance=Decimal(tolerance),
        tolerance_kind=kind,
    )
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == verdict


def test_one_figure_outside_its_tolerance_fails_the_object_and_fixing_it_passes(project, objects):
    load = svc.trial_load_create(project=project, name="Trial load 1")
    reconciliation = svc.reconciliation_for(load=load, data_object=objects["stock"])
    svc.measure_set(reconciliation=reconciliation, name="Records", source_value=Decimal(500), target_value=Decimal(500))
    svc.measure_set(reconciliation=reconciliation, name="Quantity", source_value=Decimal(80), target_value=Decimal(78))
    assert Reconciliation.objects.get(pk=reconciliation.pk).verdict == "fail"
    svc.measure_set(reconciliation=reconciliation, name="Quantity", source_value=Decimal(80), target_value=Decimal(80))
    reconciliation.refresh_from_db()
    assert reconciliation.verdict == "pass"
    assert reconciliation.measures.count() == 2  # the same name changes the figure, it does not add one


@pytest.fixture
def signed_setup(project, objects, team):
    steward = Membership.objects.get(project=project, user=team["editor"])
    stock = objects["stock"]
    svc.data_object_update(data_object=stock, expected_version=stock.version, steward=steward)
    load = svc.trial_load_create(project=project, name="Trial load 1")
    reconciliation = svc.reconciliation_for(load=load, data_object=stock)
    return reconciliation, team


def test_only_the_steward_signs_with_the_password_once_figures_exist(signed_setup):
    reconciliation, team = signed_setup
    with pytest.raises(svc.MigrationError, match="control figures"):
        svc.data_sign(reconciliation=reconciliation, user=team["editor"], password=PASSWORD)
    svc.measure_set(reconciliation=reconciliation, name="Records", source_value=Decimal(10), target_value=Decimal(10))
    with pytest.raises(svc.MigrationError, match="password"):
        svc.data_sign(reconciliation=reconciliation, user=team["editor"], password="wrong")
    with pytest.raises(svc.MigrationError, match="Only the data steward"):
        svc.data_sign(reconciliation=reconciliation, user=team["owner"], password=PASSWORD)
    assert not DataSignOff.objects.exists()
    signature = svc.data_sign(reconciliation=reconciliation, user=team["editor"], password=PASSWORD, comment="OK")
    assert signature.verdict == "pass"


def test_a_failing_reconciliation_is_signed_only_with_a_reason_and_signatures_never_change(signed_setup):
    reconciliation, team = signed_setup
    svc.measure_set(reconciliation=reconciliation, name="Records", source_value=Decimal(10), target_value=Decimal(9))
    with pytest.raises(svc.MigrationError, match="why"):
        svc.data_sign(reconciliation=reconciliation, user=team["editor"], password=PASSWORD)
    signature = svc.data_sign(
        reconciliation=reconciliation,
        user=team["editor"],
        password=PASSWORD,
        comment="One test SKU, dropped on purpose",
    )
    assert signature.verdict == "fail"
    signature.comment = "changed"
    with pytest.raises(ImmutableError):
        signature.save()
    with pytest.raises(ImmutableError):
        DataSignOff.objects.all().delete()
    with pytest.raises(svc.MigrationError, match="signed"):
        svc.measure_delete(measure=reconciliation.measures.get())
