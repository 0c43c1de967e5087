"""Every URL of the URLconf, walked: nobody outside a project reaches anything of it.

The list of views is read from the URLconf at collection time, so a view added later is tested
without anyone remembering to. For each project-scoped view the test proves that:
- it declares the capability it needs (ProjectAccessMixin, @project_view or the API permission);
- the owner reaches it with the sample arguments (so a 404 below means "hidden", not "wrong id");
- an outsider (member of another project) gets 404 or 403 on GET and on POST/PUT/PATCH/DELETE;
- each role gets 403 exactly where its role lacks the declared capability.
A new URL keyword needs a sample in SAMPLES below; the test says so when one is missing.
"""

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from projects.models import Membership
from tests.conftest import build_team, client_for
from tests.factories import ProjectFactory
from tests.security.urlwalk import all_routes

ROUTES = all_routes()
PROJECT_ROUTES = [r for r in ROUTES if r.project_scoped]
PUBLIC_NAMES = {
    "login",
    "logout",
    "set-language",
    "api-schema",
    "api-docs",
    "password_change_done",  # a static confirmation page, still login-protected (checked below)
}

# How to fill each URL keyword from the populated project (`world` fixture).
SAMPLES = {
    "project_code": lambda w: w["project"].code,
    "membership_id": lambda w: w["memberships"]["viewer"].pk,
    "section": lambda w: "sla",
    "driver_id": lambda w: w["driver"].pk,
    "goal_id": lambda w: w["goal"].pk,
    "kpi_id": lambda w: w["kpi"].pk,
    "measurement_id": lambda w: w["measurement"].pk,
    "activity_id": lambda w: w["activity"].pk,
    "process_id": lambda w: w["process"].pk,
    "step_id": lambda w: w["step"].pk,
    "finding_id": lambda w: w["finding"].pk,
    "key": lambda w: w["requirement"].key,
    "baseline_id": lambda w: w["baseline"].pk,
    "job_id": lambda w: w["job"].pk,
    "import_id": lambda w: w["requirement_import"].pk,
    "vendor_id": lambda w: w["selection"]["vendor"].pk,
    "offer_id": lambda w: w["selection"]["offer"].pk,
    "line_id": lambda w: w["selection"]["line"].pk,
    "criterion_id": lambda w: w["selection"]["criterion"].pk,
    "knockout_id": lambda w: w["selection"]["knockout"].pk,
    "scenario_id": lambda w: w["selection"]["scenario"].pk,
    "demo_id": lambda w: w["selection"]["demo"].pk,
    "fit_id": lambda w: w["selection"]["fit"].pk,
    "case_key": lambda w: w["uat"]["case"].key,
    "run_id": lambda w: w["uat"]["run"].pk,
    "run_case_id": lambda w: w["uat"]["run_case"].pk,
    "step_order": lambda w: 1,
    "evidence_id": lambda w: w["uat"]["evidence"].pk,
    "defect_key": lambda w: w["uat"]["defect"].key,
    "object_id": lambda w: w["data"]["stock"].pk,
    "check_id": lambda w: w["data"]["check"].pk,
    "rule_id": lambda w: w["data"]["rule"].pk,
    "profile_id": lambda w: w["data"]["profile"].pk,
    "wave_id": lambda w: w["data"]["wave"].pk,
    "load_id": lambda w: w["data"]["load"].pk,
    "measure_id": lambda w: w["data"]["measure"].pk,
    "exception_id": lambda w: w["data"]["exception"].pk,
    "phase_id": lambda w: w["golive"]["phase"].pk,
    "task_number": lambda w: w["golive"]["task"].number,
    "cutover_run_id": lambda w: w["golive"]["run"].pk,
    "training_plan_id": lambda w: w["golive"]["training_plan"].pk,
    "session_id": lambda w: w["golive"]["session"].pk,
    "material_id": lambda w: w["golive"]["material"].pk,
    "go_criterion_id": lambda w: w["golive"]["criterion"].pk,
    "incident_number": lambda w: w["sla"]["incident"].number,
    "service_level_id": lambda w: w["sla"]["level"].pk,
    "calendar_id": lambda w: w["sla"]["calendar"].pk,
    "calendar_day_id": lambda w: w["sla"]["day"].pk,
}
# Views that only exist for a particular kind of object: {route name: {keyword: sample}}.
ROUTE_SAMPLES = {
    "projects:process-compare": {"process_id": lambda w: w["to_be"].pk},  # a to-be derived from an as-is
    "api-projects:process-compare": {"process_id": lambda w: w["to_be"].pk},
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """A project with one of everything, so that every URL has a real object to point at.

    Built once per module, in a transaction rolled back at the module's end. Each test runs in a savepoint
    inside it (the `db` fixture, autouse below), so whatever a test changes or deletes is undone before the
    next one, which sees the world as it was built.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=str(tmp_path_factory.getbasetemp() / "media"),  # where `_media_in_tmp` points each test
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(db):
    """Every test of the walk rolls back what it did (see `world`)."""


def build_world() -> dict:
    from datetime import date
    from decimal import Decimal

    from projects.services import goals, processes, raci
    from requirements import services as requirement_services
    from requirements.models import Import
    from tests.factories import PASSWORD
    from workbench.models import Job

    project = ProjectFactory(code="ACME", name="ACME inventory upgrade")
    team = build_team(project)
    memberships = {m.role: m for m in Membership.objects.filter(project=project)}
    driver = goals.driver_create(project=project, category="functional_gap", statement="No batch tracking")
    goal = goals.goal_create(project=project, statement="Stock is right", owner=memberships["owner"], drivers=[driver])
    kpi = goals.kpi_create(
        goal=goal, name="Inventory record accuracy", unit="%", baseline=Decimal(92), target=Decimal("99.5")
    )
    measurement = goals.measurement_create(kpi=kpi, date=date(2026, 10, 31), value=Decimal("93.1"))
    activity = raci.raci_add_standard_activities(project=project)[0]
    process = processes.process_create(project=project, name="Receiving")
    step = processes.step_insert(process=process, lane="Warehouse", action="Unload the truck")
    processes.step_insert(process=process, lane="Quality", action="Check the goods")
    finding = processes.finding_create(step=step, kind="pain_point", severity=4, description="Slips get lost")
    requirement = requirement_services.requirement_create(
        project=project, title="Real-time stock", statement="Stock is updated within a second.", goals=[goal]
    )
    approved = requirement_services.requirement_create(project=project, title="Batches", statement="Track batches.")
    owner_membership = memberships["owner"]
    for status in ("in_review", "approved"):
        requirement_services.requirement_transition(requirement=approved, to_status=status, membership=owner_membership)
    baseline = requirement_services.baseline_sign(
        project=project, membership=owner_membership, name="BL-1", password=PASSWORD
    )
    to_be = processes.process_derive_to_be(process=process)
    job = Job.objects.create(  # a finished specification, so the download has a file to serve
        kind="specification",
        handler="requirements.specification.run_specification_job",
        project_code=project.code,
        user=memberships["owner"].user,
        status=Job.Status.DONE,
        progress=100,
        result_name=f"{project.code}-specification.html",
        result_type="text/html; charset=utf-8",
        result=b"<!DOCTYPE html><title>spec</title>",
    )
    selection = selection_world(project, memberships, requirement)
    uat = uat_world(project, memberships, requirement)
    return {
        "selection": selection,
        "uat": uat,
        "data": data_world(project, memberships),
        "golive": golive_world(project, memberships),
        "sla": sla_world(project, memberships, selection["vendor"], requirement, uat),
        "project": project,
        "team": team,
        "memberships": memberships,
        "driver": driver,
        "goal": goal,
        "kpi": kpi,
        "measurement": measurement,
        "activity": activity,
        "process": process,
        "step": step,
        "finding": finding,
        "requirement": requirement,
        "baseline": baseline,
        "to_be": to_be,
        "job": job,
        "requirement_import": Import.objects.create(  # a pending import, waiting for its preview
            project=project, user=team["owner"], filename="new.csv", kind="csv", content=b"Title,Statement\nA,B\n"
        ),
    }


def selection_world(project, memberships, requirement) -> dict:
    """The vendor comparison's objects; the vendor member answers for this vendor in the portal."""
    from datetime import date
    from decimal import Decimal

    from requirements import selection as svc

    vendor = svc.vendor_create(project=project, name="Alpha Soft", portal_members=[memberships["vendor"]])
    offer = svc.offer_create(vendor=vendor, product="Alpha ERP", deployment="on_premise")
    criterion = svc.criterion_create(project=project, name="Batch and expiry", group="functionality")
    scenario = svc.scenario_create(project=project, title="Procure to pay", requirements=[requirement])
    return {
        "vendor": vendor,
        "offer": offer,
        "line": svc.quote_line_create(offer=offer, kind="licence", amount=Decimal(1000)),
        "criterion": criterion,
        "knockout": svc.knockout_create(project=project, text="Runs on our intranet"),
        "scenario": scenario,
        "demo": svc.demo_create(offer=offer, held_on=date(2026, 11, 20), scenarios=[scenario]),
        "fit": svc.fit_set(offer=offer, requirement=requirement, level="standard"),
    }


def uat_world(project, memberships, requirement) -> dict:
    """A started run with one case: step 1 failed with a photo attached and a defect raised."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from testing import services as uat
    from tests.conftest import PNG_1PX

    tester = memberships["tester"]
    case = uat.case_create(
        project=project,
        title="Receive a short shipment",
        steps=[("Scan the delivery note", "The order opens"), ("Enter 8 of 10", "A shortage is recorded")],
        requirements=[requirement],
        role="warehouse_keeper",
    )
    run = uat.run_create(project=project, name="UAT round 1", cases=[case])
    run_case = run.run_cases.get()
    uat.run_assign(run_case=run_case, tester=tester)
    uat.run_start(run=run)
    run_case.refresh_from_db()  # frozen by the start
    execution = uat.step_record(
        run_case=run_case, step_order=1, status="fail", actual="The order does not open", user=tester.user
    )
    evidence = uat.evidence_add(
        execution=execution,
        upload=SimpleUploadedFile("screen.png", PNG_1PX, content_type="image/png"),
        user=tester.user,
        step_order=1,
    )
    defect = uat.defect_raise(
        project=project, title="Order does not open", user=tester.user, run_case=run_case, step_order=1
    )
    return {"case": case, "run": run, "run_case": run_case, "evidence": evidence, "defect": defect}


def data_world(project, memberships) -> dict:
    """Data objects (stock needs products), a check, a cleansing rule, a profiled extract, a wave and a trial
    load with one reconciled object, a control figure and an exception."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.models import CleansingRule, QualityCheck, ReconciliationException
    from projects.services import migration as svc
    from projects.services.profiling import profile_upload

    wave = svc.wave_create(project=project, name="Master data")
    products = svc.data_object_create(project=project, name="Products", key_columns="sku", wave=wave)
    stock = svc.data_object_create(
        project=project,
        name="Stock",
        nature="dynamic",
        key_columns="sku,batch",
        depends_on=[products],
        steward=memberships["editor"],
    )
    check = svc.quality_check_save(
        QualityCheck(data_object=products, column="sku", kind="pattern", pattern=r"\d{2}-\d{4}")
    )
    rule = CleansingRule.objects.create(data_object=products, description="Unify product codes", quality_check=check)
    profile = profile_upload(
        data_object=products,
        upload=SimpleUploadedFile("products.csv", b"sku,name\n10-2031,Tea\n10-2032,Rice\n"),
        user=memberships["owner"].user,
    )
    load = svc.trial_load_create(project=project, name="Trial load 1")
    reconciliation = svc.reconciliation_for(load=load, data_object=stock)
    measure = svc.measure_set(
        reconciliation=reconciliation, name="Records", source_value=Decimal(10), target_value=Decimal(9)
    )
    exception = ReconciliationException.objects.create(
        reconciliation=reconciliation, record_key="10-2031", description="Missing in the target"
    )
    return {
        "wave": wave,
        "products": products,
        "stock": stock,
        "check": check,
        "rule": rule,
        "profile": profile,
        "load": load,
        "measure": measure,
        "exception": exception,
    }


def golive_world(project, memberships) -> dict:
    """A cutover plan with a phase and two tasks, a running rehearsal, a training plan with a session, its
    material (an uploaded file) and attendance, and a go/no-go criterion."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from projects.models import Attendance, CutoverPhase, GoNoGoCriterion, TrainingMaterial, TrainingPlan
    from projects.services import golive as svc

    now = timezone.now().replace(second=0, microsecond=0)
    plan = svc.plan_for(project)
    plan.window_start, plan.window_end = now + timedelta(days=7), now + timedelta(days=8)
    plan.decider = memberships["owner"]
    plan.save()
    phase = CutoverPhase.objects.create(plan=plan, order=1, name="Central warehouse")
    freeze = svc.task_create(plan=plan, title="Freeze master data", stream="business", phase=phase)
    task = svc.task_create(plan=plan, title="Load opening stock", stream="data", predecessors=[freeze])
    run = svc.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=now - timedelta(hours=1))
    svc.run_start(run=run, at=now - timedelta(hours=1))
    training_plan = TrainingPlan.objects.create(project=project, role="warehouse_keeper", title="Receiving and counts")
    training_plan.trainees.add(memberships["editor"])
    session = training_plan.sessions.create(title="Receiving with the scanner", starts_at=now)
    material = TrainingMaterial.objects.create(
        session=session, title="Handout", file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 handout")
    )
    Attendance.objects.create(session=session, member=memberships["editor"], status="attended")
    criterion = GoNoGoCriterion.objects.create(project=project, kind="manual", name="Support desk staffed")
    return {
        "plan": plan,
        "phase": phase,
        "task": task,
        "run": run,
        "training_plan": training_plan,
        "session": session,
        "material": material,
        "criterion": criterion,
    }


def sla_world(project, memberships, vendor, requirement, uat) -> dict:
    """A business calendar with a closure, the vendor's service level for major incidents on it, and an incident
    under it, acknowledged, linked to a requirement, a UAT case and a defect."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from projects.models import BusinessCalendar, CalendarDay, ServiceLevel
    from projects.services import sla as svc

    calendar = BusinessCalendar.objects.create(project=project, name="Office hours")
    day = CalendarDay.objects.create(calendar=calendar, date=date(2026, 12, 31), reason="Year-end stock count")
    level = ServiceLevel.objects.create(
        project=project,
        vendor=vendor,
        severity="major",
        response_hours=Decimal(4),
        resolution_hours=Decimal(16),
        calendar=calendar,
    )
    opened = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)
    incident = svc.incident_create(
        project=project,
        title="Receiving screen freezes",
        opened_at=opened,
        vendor=vendor,
        reporter=memberships["tester"],
        requirement=requirement,
        uat_case=uat["case"],
        defect=uat["defect"],
    )
    svc.incident_move(incident=incident, status="acknowledged", at=opened + timedelta(minutes=30))
    incident.refresh_from_db()
    return {"calendar": calendar, "day": day, "level": level, "incident": incident}


def url_for(route, world) -> str:
    assert route.name, f"{route.route} has no URL name: name it so it can be reversed and tested"
    kwargs = {}
    for key in route.kwargs:
        assert key in SAMPLES, f"{route}: add a sample value for the URL keyword {key!r} to SAMPLES"
        kwargs[key] = ROUTE_SAMPLES.get(route.name, SAMPLES).get(key, SAMPLES[key])(world)
    return reverse(route.name, kwargs=kwargs)


def call(client: Client, method: str, url: str, api: bool):
    kwargs = {"content_type": "application/json", "data": "{}"} if api and method != "GET" else {}
    return getattr(client, method.lower())(url, **kwargs)


def test_the_walk_finds_the_project_views():
    names = {r.name for r in PROJECT_ROUTES}
    assert {
        "projects:project-overview",
        "projects:team",
        "projects:member-edit",
        "api-projects:member-list",
    } <= names


def undeclared_access(route) -> list[str]:
    return [
        f"{route} ({method}) under a project declares no capability: base it on ProjectAccessMixin, "
        "decorate it with @project_view or use the API's ProjectPermission"
        for method in route.methods()
        if route.required_capability(method) not in Membership.Capability.values
    ]


def outsider_leaks(route, world, outsider) -> list[str]:
    url = url_for(route, world)
    reachable = client_for(world["team"]["owner"]).get(url)
    assert reachable.status_code not in (403, 404), f"owner cannot reach {url}: the samples are wrong"
    stranger = client_for(outsider)
    problems = []
    for method in sorted({"GET", "POST", *route.methods()}):
        response = call(stranger, method, url, route.is_api)
        if response.status_code not in (403, 404):
            problems.append(f"outsider {method} {url} -> {response.status_code}")
    return problems


@pytest.mark.parametrize("route", PROJECT_ROUTES, ids=str)
def test_project_view_declares_its_access(route):
    assert undeclared_access(route) == []


@pytest.mark.parametrize("route", PROJECT_ROUTES, ids=str)
def test_owner_reaches_it_and_outsider_does_not(route, world, outsider):
    assert outsider_leaks(route, world, outsider) == []


@pytest.mark.urls("tests.security.leaky_urls")
def test_the_walk_catches_a_project_view_without_access_control(world, outsider):
    """The checks above are not vacuous: a view under p/<code>/ without the mixin fails both."""
    leaky = [r for r in all_routes() if r.name == "leaky-overview"]
    assert len(leaky) == 1
    assert undeclared_access(leaky[0])
    assert outsider_leaks(leaky[0], world, outsider)


@pytest.mark.parametrize("route", PROJECT_ROUTES, ids=str)
@pytest.mark.parametrize("role", ["editor", "tester", "viewer", "vendor"])
def test_each_role_gets_403_where_its_role_falls_short(route, role, world):
    url = url_for(route, world)
    member = world["memberships"][role]
    client = client_for(member.user)
    # DELETE last: a role allowed to delete removes the sample object the other methods need.
    for method in sorted(route.methods(), key=lambda m: m == "DELETE"):
        needed = route.required_capability(method)
        response = call(client, method, url, route.is_api)
        if member.can(needed):
            assert response.status_code not in (403, 404), f"{role} {method} {url} -> {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} {method} {url} -> {response.status_code}"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name not in PUBLIC_NAMES and not r.route.startswith("admin/")], ids=str
)
def test_anonymous_visitors_are_sent_to_log_in(route, world):
    url = url_for(route, world)
    response = Client().get(url)
    if route.is_api:
        assert response.status_code in (401, 403), f"anonymous GET {url} -> {response.status_code}"
    else:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            f"anonymous GET {url} -> {response.status_code}"
        )


def test_the_admin_is_for_staff_only(world):
    client = client_for(world["team"]["owner"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
