"""Go/no-go criteria computed from live data: each provider from crafted data at the threshold's edge, "no data"
where a module has nothing yet, manual checks, the summary, and the record kept with the signed decision."""

import ast
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from projects import gonogo
from projects.models import (
    Attendance,
    CutoverRun,
    GoNoGoCriterion,
    GoNoGoDecision,
    Membership,
    TrainingPlan,
    TrainingSession,
)
from projects.services import golive
from projects.services import migration as data
from requirements import services as requirement_services
from testing import services as uat
from tests.factories import PASSWORD

Kind = GoNoGoCriterion.Kind


def criterion(project, kind, threshold=None, comparison="at_least", **fields):
    fields.setdefault("order", GoNoGoCriterion.objects.filter(project=project).count() + 1)
    return GoNoGoCriterion.objects.create(
        project=project,
        kind=kind,
        threshold=None if threshold is None else Decimal(str(threshold)),
        comparison=comparison,
        **fields,
    )


def judged(project, kind, threshold=None, comparison="at_least"):
    """Evaluate one unsaved criterion of `kind`: (value, state, detail)."""
    item = GoNoGoCriterion(
        project=project,
        kind=kind,
        threshold=None if threshold is None else Decimal(str(threshold)),
        comparison=comparison,
    )
    [evaluation] = gonogo.evaluate(project, [item])
    return evaluation.value, evaluation.state, evaluation.detail


def member(project, username):
    return Membership.objects.get(project=project, user__username=username)


# UAT (providers registered by the testing app) --------------------------------------------------------------


@pytest.fixture
def uat_world(project, team):
    """Four must-haves — M1 and M2 with a passing case, M3 with a failing one, M4 without a case — and a
    should-have without a case, which does not count."""
    reqs = {
        key: requirement_services.requirement_create(project=project, title=key, statement="s", priority=priority)
        for key, priority in [("M1", "must"), ("M2", "must"), ("M3", "must"), ("M4", "must"), ("S1", "should")]
    }
    cases = {
        letter: uat.case_create(project=project, title=letter, steps=[("Do it", "It works")], requirements=[reqs[key]])
        for letter, key in [("A", "M1"), ("B", "M2"), ("C", "M3")]
    }
    run = uat.run_create(project=project, name="Round 1", cases=cases.values())
    uat.run_start(run=run)
    for letter, status in {"A": "pass", "B": "pass", "C": "fail"}.items():
        run_case = run.run_cases.get(case=cases[letter])
        uat.step_record(run_case=run_case, step_order=1, status=status, actual="Wrong", user=team["tester"])
    return {"reqs": reqs, "cases": cases, "run": run}


def test_must_haves_with_a_passing_case_meet_the_threshold_at_its_edge(project, uat_world):
    assert judged(project, Kind.MUST_HAVE_UAT, 50)[:2] == (Decimal("50.0"), "met")
    value, state, detail = judged(project, Kind.MUST_HAVE_UAT, "50.1")
    assert (value, state) == (Decimal("50.0"), "not_met")
    assert "2 of 4 must-have requirements" in detail and "REQ-003, REQ-004" in detail


def test_must_haves_follow_the_latest_result_of_coverage(project, team, uat_world):
    """M2's case passed in round 1 and fails in round 2: its latest result is a fail, so it no longer counts."""
    second = uat.run_create(project=project, name="Round 2", cases=[uat_world["cases"]["B"]])
    uat.run_start(run=second)
    run_case = second.run_cases.get()
    uat.step_record(run_case=run_case, step_order=1, status="fail", actual="Broken now", user=team["tester"])
    assert judged(project, Kind.MUST_HAVE_UAT, 25)[:2] == (Decimal("25.0"), "met")
    assert judged(project, Kind.MUST_HAVE_UAT, 95)[:2] == (Decimal("25.0"), "not_met")


def test_a_share_is_rounded_down_so_it_never_reaches_a_threshold_it_misses(project, team):
    reqs = [
        requirement_services.requirement_create(project=project, title=f"M{i}", statement="s", priority="must")
        for i in range(3)
    ]
    case = uat.case_create(project=project, title="A", steps=[("Do it", "It works")], requirements=reqs[:2])
    run = uat.run_create(project=project, name="Round 1", cases=[case])
    uat.run_start(run=run)
    uat.step_record(run_case=run.run_cases.get(), step_order=1, status="pass", user=team["tester"])
    assert judged(project, Kind.MUST_HAVE_UAT, "66.6")[:2] == (Decimal("66.6"), "met")  # 2 of 3 = 66.66…
    assert judged(project, Kind.MUST_HAVE_UAT, "66.7")[:2] == (Decimal("66.6"), "not_met")


def test_must_haves_without_requirements_give_no_data(project, team):
    requirement_services.requirement_create(project=project, title="Nice", statement="s", priority="should")
    value, state, detail = judged(project, Kind.MUST_HAVE_UAT, 95)
    assert (value, state) == (None, "no_data") and "must-have" in detail


def test_open_critical_and_major_defects_are_counted(project, team, uat_world):
    owner = team["owner"]
    raised = {
        (severity, status): uat.defect_raise(
            project=project, title=f"{severity} {status}", user=owner, severity=severity
        )
        for severity, status in [
            ("critical", "open"),
            ("major", "fixed"),
            ("major", "retest"),
            ("critical", "closed"),
            ("major", "rejected"),
            ("minor", "open"),
        ]
    }
    for (_severity, status), defect in raised.items():
        if status != "open":
            uat.defect_update(defect=defect, expected_version=defect.version, status=status)
    value, state, detail = judged(project, Kind.OPEN_SEVERE_DEFECTS, 3, "at_most")
    assert (value, state) == (3, "met") and "DEF-001, DEF-002, DEF-003" in detail
    assert judged(project, Kind.OPEN_SEVERE_DEFECTS, 2, "at_most")[:2] == (3, "not_met")
    assert judged(project, Kind.OPEN_SEVERE_DEFECTS, 0, "at_most")[:2] == (3, "not_met")
    for key in ("critical", "open"), ("major", "fixed"), ("major", "retest"):
        defect = raised[key]
        defect.refresh_from_db()
        uat.defect_update(defect=defect, expected_version=defect.version, status="closed")
    assert judged(project, Kind.OPEN_SEVERE_DEFECTS, 0, "at_most")[:2] == (0, "met")


def test_uat_runs_signed_counts_runs_with_a_signature(project, team, uat_world):
    assert judged(project, Kind.UAT_RUNS_SIGNED, 1)[:2] == (0, "not_met")
    uat.run_sign(run=uat_world["run"], user=team["owner"], password=PASSWORD, role="Project lead")
    uat.run_sign(run=uat_world["run"], user=team["editor"], password=PASSWORD, role="IT lead")
    value, state, detail = judged(project, Kind.UAT_RUNS_SIGNED, 1)
    assert (value, state) == (1, "met") and "1 of 1" in detail
    uat.run_create(project=project, name="Round 2")
    assert judged(project, Kind.UAT_RUNS_SIGNED, 2)[:2] == (1, "not_met")


def test_without_uat_data_the_uat_criteria_read_no_data(project, team):
    for kind in (Kind.MUST_HAVE_UAT, Kind.OPEN_SEVERE_DEFECTS, Kind.UAT_RUNS_SIGNED):
        value, state, _detail = judged(project, kind, 0, "at_most")
        assert (value, state) == (None, "no_data"), kind


def test_a_kind_no_app_registered_reads_no_data(project, uat_world, monkeypatch):
    monkeypatch.delitem(gonogo._PROVIDERS, "must_have_uat")
    monkeypatch.delitem(gonogo._PROVIDERS, "uat_runs_signed")
    assert judged(project, Kind.MUST_HAVE_UAT, 0) == (None, "no_data", "No UAT data yet.")
    assert judged(project, Kind.UAT_RUNS_SIGNED, 0) == (None, "no_data", "No UAT data yet.")


# Data migration --------------------------------------------------------------------------------------------


def figures(ok: bool):
    return [{"name": "Records", "source_value": Decimal(10), "target_value": Decimal(10 if ok else 9)}]


@pytest.fixture
def loads(project, team):
    """Products, Stock and Prices; load 1 reconciles all three and passes; load 2 (the last) passes Products,
    fails Stock and has not reconciled Prices yet."""
    steward = member(project, "owner")
    objects = {
        name: data.data_object_create(project=project, name=name, steward=steward)
        for name in ("Products", "Stock", "Prices")
    }
    first = data.trial_load_create(project=project, name="Trial load 1")
    for item in objects.values():
        data.reconciliation_record(load=first, data_object=item, measures=figures(True))
    second = data.trial_load_create(project=project, name="Trial load 2")
    data.reconciliation_record(load=second, data_object=objects["Products"], measures=figures(True))
    data.reconciliation_record(load=second, data_object=objects["Stock"], measures=figures(False))
    return {"objects": objects, "first": first, "second": second}


def test_reconciliations_count_the_last_load_only_and_an_object_not_reconciled_fails(project, loads):
    value, state, detail = judged(project, Kind.RECONCILIATIONS_PASS, "33.3")
    assert (value, state) == (Decimal("33.3"), "met")
    assert "Trial load 2: 1 of 3" in detail and "Prices (not reconciled)" in detail and "Stock (fail)" in detail
    assert judged(project, Kind.RECONCILIATIONS_PASS, 100)[:2] == (Decimal("33.3"), "not_met")
    for name in ("Stock", "Prices"):
        data.reconciliation_record(load=loads["second"], data_object=loads["objects"][name], measures=figures(True))
    assert judged(project, Kind.RECONCILIATIONS_PASS, 100)[:2] == (Decimal("100.0"), "met")


def test_data_signoffs_count_the_last_load_only(project, team, loads):
    for item in loads["objects"].values():  # every object signed in load 1: that is history now
        reconciliation = loads["first"].reconciliations.get(data_object=item)
        data.data_sign(reconciliation=reconciliation, user=team["owner"], password=PASSWORD)
    assert judged(project, Kind.DATA_SIGNOFFS, 100)[:2] == (Decimal("0.0"), "not_met")
    stock = loads["second"].reconciliations.get(data_object=loads["objects"]["Stock"])
    data.data_sign(reconciliation=stock, user=team["owner"], password=PASSWORD, comment="Known rounding")
    value, state, detail = judged(project, Kind.DATA_SIGNOFFS, "33.3")
    assert (value, state) == (Decimal("33.3"), "met") and "Not signed: Prices, Products" in detail
    for name in ("Products", "Prices"):
        reconciliation, _created = data.reconciliation_record(
            load=loads["second"], data_object=loads["objects"][name], measures=figures(True)
        )
        data.data_sign(reconciliation=reconciliation, user=team["owner"], password=PASSWORD)
    assert judged(project, Kind.DATA_SIGNOFFS, 100)[:2] == (Decimal("100.0"), "met")


def test_without_a_load_or_without_objects_the_data_criteria_read_no_data(project, team):
    for kind in (Kind.RECONCILIATIONS_PASS, Kind.DATA_SIGNOFFS):
        assert judged(project, kind, 100)[:2] == (None, "no_data")
    data.data_object_create(project=project, name="Products")
    for kind in (Kind.RECONCILIATIONS_PASS, Kind.DATA_SIGNOFFS):
        assert judged(project, kind, 100)[:2] == (None, "no_data")  # an object, but no load yet


# Training --------------------------------------------------------------------------------------------------


def test_training_completion_is_the_overall_share_of_complete_trainees(project, team):
    assert judged(project, Kind.TRAINING_COMPLETION, 90)[:2] == (None, "no_data")
    warehouse = TrainingPlan.objects.create(project=project, role="warehouse_keeper", title="Receiving")
    finance = TrainingPlan.objects.create(project=project, role="finance", title="Postings")
    warehouse.trainees.set([member(project, "tester"), member(project, "editor")])
    finance.trainees.set([member(project, "viewer"), member(project, "owner")])
    sessions = [
        TrainingSession.objects.create(plan=plan, title=plan.title, starts_at=timezone.now())
        for plan in (warehouse, finance)
    ]
    for username, session in [("tester", 0), ("editor", 0), ("viewer", 1)]:
        Attendance.objects.create(session=sessions[session], member=member(project, username), status="attended")
    value, state, detail = judged(project, Kind.TRAINING_COMPLETION, 75)
    assert (value, state) == (Decimal("75.0"), "met")
    assert "3 of 4 trainees" in detail and "Finance 50.0 %" in detail and "Warehouse" not in detail
    assert judged(project, Kind.TRAINING_COMPLETION, 90)[:2] == (Decimal("75.0"), "not_met")


# Rehearsals ------------------------------------------------------------------------------------------------


def test_the_last_finished_rehearsal_must_fit_the_window(project):
    plan = golive.plan_for(project)
    start = timezone.now().replace(microsecond=0)

    def run(name, hours, minutes=0, kind="rehearsal", status="finished", day=0):
        began = start + timedelta(days=day)
        return CutoverRun.objects.create(
            plan=plan,
            kind=kind,
            name=name,
            planned_start=began,
            status=status,
            started_at=began,
            finished_at=began + timedelta(hours=hours, minutes=minutes) if status == "finished" else None,
        )

    assert judged(project, Kind.REHEARSAL_IN_WINDOW)[:2] == (None, "no_data")
    run("Rehearsal 1", 4, day=1)
    value, state, detail = judged(project, Kind.REHEARSAL_IN_WINDOW)
    assert (value, state) == (None, "no_data") and "window" in detail  # no window set yet
    plan.window_start, plan.window_end = start, start + timedelta(hours=4)
    plan.save()
    # Exactly the window's length fits; a yes/no criterion ignores threshold and comparison.
    value, state, detail = judged(project, Kind.REHEARSAL_IN_WINDOW, 0, "at_most")
    assert (value, state) == (True, "met") and "Rehearsal 1 took 4 h; the window is 4 h" in detail
    run("Rehearsal 2", 4, 1, day=2)
    run("Rehearsal 3", 1, status="running", day=3)  # not finished: does not count
    run("Live", 1, kind="live", day=4)  # not a rehearsal
    value, state, detail = judged(project, Kind.REHEARSAL_IN_WINDOW, 1)
    assert (value, state) == (False, "not_met") and "Rehearsal 2 took 4 h 1 min" in detail


# Manual criteria, evaluation, summary and the record ------------------------------------------------------------


def test_manual_criteria_are_what_someone_ticked(project):
    unchecked = criterion(project, Kind.MANUAL, name="Support rota agreed")
    yes = criterion(project, Kind.MANUAL, name="Hotline staffed", manual_met=True, note="Two people per shift")
    no = criterion(project, Kind.MANUAL, name="Printer labels ready", manual_met=False)
    evaluations = gonogo.evaluate(project)
    assert [(e.criterion_id, e.name, e.value, e.state) for e in evaluations] == [
        (unchecked.pk, "Support rota agreed", None, "no_data"),
        (yes.pk, "Hotline staffed", True, "met"),
        (no.pk, "Printer labels ready", False, "not_met"),
    ]
    assert evaluations[1].note == "Two people per shift"


def test_a_number_without_a_threshold_is_not_judged(project, loads):
    value, state, detail = judged(project, Kind.RECONCILIATIONS_PASS, None)
    assert (value, state) == (Decimal("33.3"), "no_data") and "threshold" in detail


def test_evaluation_keeps_the_order_and_names_and_calls_a_provider_once(project, monkeypatch):
    calls = []

    def counting(project):
        calls.append(project.pk)
        return gonogo.Measured(Decimal("80.0"), "8 of 10", "%")

    monkeypatch.setitem(gonogo._PROVIDERS, "training_completion", counting)
    criterion(project, Kind.TRAINING_COMPLETION, 80, order=2)
    criterion(project, Kind.TRAINING_COMPLETION, 90, name="Training done by almost everyone", order=1)
    evaluations = gonogo.evaluate(project)
    assert [(e.name, e.state, e.value_text, e.target_text) for e in evaluations] == [
        ("Training done by almost everyone", "not_met", "80.0 %", "≥ 90 %"),
        ("Training completion (%)", "met", "80.0 %", "≥ 80 %"),
    ]
    assert calls == [project.pk]


def test_register_provider_refuses_unknown_and_manual_kinds():
    with pytest.raises(ValueError):
        gonogo.register_provider("coffee_supply", lambda project: None)
    with pytest.raises(ValueError):
        gonogo.register_provider("manual", lambda project: None)


def test_summary_is_ready_only_when_every_criterion_is_met(project):
    assert gonogo.summary([]) == {"met": 0, "not_met": 0, "no_data": 0, "ready": False}
    criterion(project, Kind.MANUAL, name="A", manual_met=True)
    second = criterion(project, Kind.MANUAL, name="B")
    criterion(project, Kind.TRAINING_COMPLETION, 90)  # no trainees: no data
    assert gonogo.summary(gonogo.evaluate(project)) == {"met": 1, "not_met": 0, "no_data": 2, "ready": False}
    second.manual_met = False
    second.save()
    GoNoGoCriterion.objects.filter(kind=Kind.TRAINING_COMPLETION).delete()
    assert gonogo.summary(gonogo.evaluate(project)) == {"met": 1, "not_met": 1, "no_data": 0, "ready": False}
    second.manual_met = True
    second.save()
    assert gonogo.summary(gonogo.evaluate(project)) == {"met": 2, "not_met": 0, "no_data": 0, "ready": True}


def test_the_standard_set_is_created_once(project):
    added = gonogo.standard_criteria(project)
    assert [(c.kind, c.comparison, c.threshold) for c in added] == [
        ("must_have_uat", "at_least", Decimal(95)),
        ("open_severe_defects", "at_most", Decimal(0)),
        ("uat_runs_signed", "at_least", Decimal(1)),
        ("reconciliations_pass", "at_least", Decimal(100)),
        ("data_signoffs", "at_least", Decimal(100)),
        ("training_completion", "at_least", Decimal(90)),
        ("rehearsal_in_window", "at_least", None),
        ("manual", "at_least", None),
    ]
    assert str(added[-1]) == "Support rota for the first two weeks agreed"
    assert str(added[0]) == "Must-have requirements with a passing UAT case (%)"  # the kind's label
    assert gonogo.standard_criteria(project) == []
    assert project.go_criteria.count() == 8


def test_the_standard_set_adds_only_what_is_missing(project):
    own = criterion(project, Kind.TRAINING_COMPLETION, 80, order=5)
    added = gonogo.standard_criteria(project)
    assert len(added) == 7 and Kind.TRAINING_COMPLETION not in {c.kind for c in added}
    assert min(c.order for c in added) > own.order
    own.refresh_from_db()
    assert own.threshold == Decimal(80)


def test_an_empty_project_reads_no_data_everywhere(project):
    gonogo.standard_criteria(project)
    evaluations = gonogo.evaluate(project)
    assert {e.state for e in evaluations} == {"no_data"}
    assert all(e.detail for e in evaluations)


def test_the_record_is_json_safe_and_kept_with_the_signed_decision(project, team, loads):
    gonogo.standard_criteria(project)
    record = gonogo.as_record(gonogo.evaluate(project))
    assert json.loads(json.dumps(record)) == record
    reconciliations = next(r for r in record if r["kind"] == "reconciliations_pass")
    assert reconciliations["value"] == "33.3" and reconciliations["threshold"] == "100.00"
    assert reconciliations["state"] == "not_met" and reconciliations["value_text"] == "33.3 %"
    plan = golive.plan_for(project)
    plan.decider = member(project, "owner")
    plan.save()
    decision = golive.decision_sign(
        project=project, user=team["owner"], password=PASSWORD, outcome="no_go", criteria=record
    )
    decision = GoNoGoDecision.objects.get(pk=decision.pk)
    assert decision.criteria == record


def test_projects_gonogo_imports_neither_testing_nor_requirements():
    source = Path(gonogo.__file__).read_text()
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    assert not {m for m in modules if m.split(".")[0] in ("testing", "requirements")}
