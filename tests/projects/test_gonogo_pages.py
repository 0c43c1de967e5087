"""The go/no-go page: every criterion with its target, value now and verdict (met, not met, no data), manual checks
ticked by hand, adding, editing and deleting criteria, the standard set, and the decision signed by the named
decider with the password — kept with the criteria as evaluated then and never changed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from projects import gonogo
from projects.models import (
    Attendance,
    GoNoGoCriterion,
    GoNoGoDecision,
    Membership,
    TrainingPlan,
    TrainingSession,
)
from projects.services import golive
from projects.services.golive import GoLiveError
from tests.conftest import client_for
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from workbench.models import ImmutableError

Kind = GoNoGoCriterion.Kind


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def member(project, username) -> Membership:
    return Membership.objects.get(project=project, user__username=username)


def criterion(project, kind, threshold=None, comparison="at_least", **fields) -> GoNoGoCriterion:
    fields.setdefault("order", GoNoGoCriterion.objects.filter(project=project).count() + 1)
    return GoNoGoCriterion.objects.create(
        project=project,
        kind=kind,
        threshold=None if threshold is None else Decimal(str(threshold)),
        comparison=comparison,
        **fields,
    )


def row_html(html: str, name: str) -> str:
    """The criteria table's <tr> of the criterion called `name`."""
    match = re.search(rf'<tr id="criterion-\d+" data-criterion="{re.escape(name)}".*?</tr>', html, re.DOTALL)
    assert match, f"no criterion row {name!r}"
    return match.group(0)


def state_of(html: str, name: str) -> str:
    return re.search(r'data-state="(\w+)"', row_html(html, name)).group(1)


def cell(row: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</td>', row, re.DOTALL)
    assert match, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


@pytest.fixture
def training(project, team):
    """Warehouse: tester and editor attended its one session (2 of 2); finance: viewer attended, owner did not
    (1 of 2). Overall 3 of 4 = 75.0 %."""
    warehouse = TrainingPlan.objects.create(project=project, role="warehouse_keeper", title="Receiving")
    finance = TrainingPlan.objects.create(project=project, role="finance", title="Postings")
    warehouse.trainees.set([member(project, "tester"), member(project, "editor")])
    finance.trainees.set([member(project, "viewer"), member(project, "owner")])
    first = TrainingSession.objects.create(plan=warehouse, title="Scanner", starts_at=timezone.now())
    second = TrainingSession.objects.create(plan=finance, title="Invoices", starts_at=timezone.now())
    for username, session in [("tester", first), ("editor", first), ("viewer", second)]:
        Attendance.objects.create(session=session, member=member(project, username), status="attended")
    return {"warehouse": warehouse, "finance": finance}


@pytest.fixture
def mixed(project, training):
    """Two met, two not met, two without data."""
    return {
        "training_75": criterion(project, Kind.TRAINING_COMPLETION, 75),
        "training_90": criterion(project, Kind.TRAINING_COMPLETION, 90, name="Training nearly complete"),
        "must_have": criterion(project, Kind.MUST_HAVE_UAT, 95),
        "hotline": criterion(project, Kind.MANUAL, name="Hotline staffed", manual_met=True, note="Two per shift"),
        "labels": criterion(project, Kind.MANUAL, name="Labels printed", manual_met=False),
        "rota": criterion(project, Kind.MANUAL, name="Support rota agreed"),
    }


@pytest.fixture
def decider(project, team):
    plan = golive.plan_for(project)
    plan.decider = member(project, "owner")
    plan.save()
    return team["owner"]


# The criteria and their verdicts ------------------------------------------------------------------------------


def test_the_page_shows_each_criterion_with_target_value_and_verdict(project, team, mixed):
    response = client_for(team["viewer"]).get(url("go-no-go"))
    assert response.status_code == 200
    html = response.content.decode()
    assert {
        name: state_of(html, name)
        for name in [
            "Training completion (%)",
            "Training nearly complete",
            "Must-have requirements with a passing UAT case (%)",
            "Hotline staffed",
            "Labels printed",
            "Support rota agreed",
        ]
    } == {
        "Training completion (%)": "met",  # 75.0 ≥ 75
        "Training nearly complete": "not_met",  # 75.0 < 90
        "Must-have requirements with a passing UAT case (%)": "no_data",  # no must-have requirement yet
        "Hotline staffed": "met",
        "Labels printed": "not_met",
        "Support rota agreed": "no_data",  # not judged: no data never passes
    }
    met = row_html(html, "Training completion (%)")
    assert cell(met, "target") == "at least 75 %" and cell(met, "value") == "75.0 %"
    assert "3 of 4 trainees attended every session of their role." in cell(met, "detail")
    assert "Finance 50.0 %" in cell(met, "detail")
    assert f'href="{url("training")}"' in met
    nearly = row_html(html, "Training nearly complete")
    assert cell(nearly, "target") == "at least 90 %" and "Training completion (%)" in nearly  # the kind under it
    must = row_html(html, "Must-have requirements with a passing UAT case (%)")
    assert cell(must, "value") == "—" and "No must-have requirement yet." in cell(must, "detail")
    assert f'href="{reverse("testing:coverage", args=["ACME"])}"' in must
    assert "Two per shift" in row_html(html, "Hotline staffed")
    summary = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('data-testid="gonogo-summary"')[1][:3000]))
    assert "2 of 6 met, 2 without data" in summary
    recommendation = response.context["recommendation"]
    assert recommendation.startswith("Not ready to go.")
    assert "2 criteria are not met: Training nearly complete, Labels printed." in recommendation
    assert "2 criteria have no data yet" in recommendation and "Support rota agreed" in recommendation
    assert 'data-ready="no"' in html
    assert "verdict-buttons" not in html and "criterion-create" not in html  # a viewer changes nothing


def test_the_page_says_ready_to_go_only_when_every_criterion_is_met(project, team, training):
    criterion(project, Kind.TRAINING_COMPLETION, "75.0")
    hotline = criterion(project, Kind.MANUAL, name="Hotline staffed")
    client = client_for(team["owner"])
    assert client.get(url("go-no-go")).context["counts"]["ready"] is False  # the manual check is not judged yet
    hotline.manual_met = True
    hotline.save()
    response = client.get(url("go-no-go"))
    assert 'data-ready="yes"' in response.content.decode()
    assert response.context["recommendation"] == "All 2 criteria are met: the project is ready to go."


def test_each_computed_figure_links_to_where_it_comes_from(project, team):
    for kind in Kind.values:
        criterion(project, kind, None if kind in ("manual", "rehearsal_in_window") else 1, name=f"C {kind}")
    html = client_for(team["viewer"]).get(url("go-no-go")).content.decode()
    expected = {
        "must_have_uat": reverse("testing:coverage", args=["ACME"]),
        "open_severe_defects": reverse("testing:defect-list", args=["ACME"]),
        "uat_runs_signed": reverse("testing:run-list", args=["ACME"]),
        "reconciliations_pass": url("load-list"),
        "data_signoffs": url("load-list"),
        "training_completion": url("training"),
        "rehearsal_in_window": url("cutover-run-list"),
    }
    for kind, link in expected.items():
        assert f'href="{link}" data-testid="source"' in row_html(html, f"C {kind}"), kind
    assert 'data-testid="source"' not in row_html(html, "C manual")


def test_an_empty_project_invites_the_standard_set_and_it_is_added_once(project, team):
    client = client_for(team["editor"])
    html = client.get(url("go-no-go")).content.decode()
    assert 'data-testid="criteria-empty"' in html and 'data-testid="add-standard"' in html
    response = client.post(url("go-criteria-standard"), follow=True)
    assert "8 standard criteria added" in messages_of(response)[0]
    assert project.go_criteria.count() == 8
    assert GoNoGoCriterion.history.filter(history_type="+", history_user=team["editor"]).count() == 8
    assert 'data-testid="add-standard"' not in response.content.decode()
    again = client.post(url("go-criteria-standard"), follow=True)
    assert messages_of(again) == ["The project already has every standard criterion; nothing was added."]
    assert project.go_criteria.count() == 8


# Manual checks ------------------------------------------------------------------------------------------------


def test_a_manual_check_is_set_met_not_met_and_back_to_not_judged(project, team, mixed):
    client = client_for(team["editor"])
    rota = mixed["rota"]
    response = client.post(url("go-criterion-edit", go_criterion_id=rota.pk), {"form": "verdict", "verdict": "met"})
    assert response.status_code == 302 and response["Location"].endswith(f"#criterion-{rota.pk}")
    rota.refresh_from_db()
    assert rota.manual_met is True
    assert state_of(client.get(url("go-no-go")).content.decode(), "Support rota agreed") == "met"
    client.post(url("go-criterion-edit", go_criterion_id=rota.pk), {"form": "verdict", "verdict": "not_met"})
    rota.refresh_from_db()
    assert rota.manual_met is False
    client.post(url("go-criterion-edit", go_criterion_id=rota.pk), {"form": "verdict", "verdict": ""})
    rota.refresh_from_db()
    assert rota.manual_met is None
    assert rota.history.first().history_user == team["editor"]


def test_a_manual_verdict_with_a_note_through_the_edit_form(project, team, mixed):
    labels = mixed["labels"]
    client = client_for(team["owner"])
    form = client.get(url("go-criterion-edit", go_criterion_id=labels.pk)).context["form"]
    data = {**form.initial, "threshold": "", "verdict": "met", "note": "Printed on 12 May, 4,000 labels"}
    response = client.post(url("go-criterion-edit", go_criterion_id=labels.pk), data)
    assert response.status_code == 302
    labels.refresh_from_db()
    assert labels.manual_met is True and labels.note == "Printed on 12 May, 4,000 labels"
    assert "Printed on 12 May" in row_html(client.get(url("go-no-go")).content.decode(), "Labels printed")


def test_a_computed_criterion_cannot_be_ticked_by_hand(project, team, mixed):
    training = mixed["training_90"]
    response = client_for(team["owner"]).post(
        url("go-criterion-edit", go_criterion_id=training.pk), {"form": "verdict", "verdict": "met"}, follow=True
    )
    assert messages_of(response) == ["Only a manual check is ticked by hand; this one is measured from live data."]
    training.refresh_from_db()
    assert training.manual_met is None
    assert state_of(response.content.decode(), "Training nearly complete") == "not_met"


# Adding, editing, deleting ------------------------------------------------------------------------------------


def test_adding_a_computed_criterion_needs_a_threshold_in_range(project, team, training):
    client = client_for(team["editor"])
    base = {"kind": "training_completion", "name": "", "comparison": "at_least", "note": ""}
    missing = client.post(url("go-criterion-create"), {**base, "threshold": ""})
    assert missing.status_code == 200
    assert missing.context["form"].errors["threshold"] == ["Set the threshold the figure is judged against."]
    too_high = client.post(url("go-criterion-create"), {**base, "threshold": "120"})
    assert too_high.context["form"].errors["threshold"] == [
        "This figure is a share: its threshold is between 0 and 100 %."
    ]
    assert 'value="120"' in too_high.content.decode()  # what was typed is kept
    fraction = client.post(url("go-criterion-create"), {**base, "kind": "open_severe_defects", "threshold": "0.5"})
    assert fraction.context["form"].errors["threshold"] == ["This figure is a count: its threshold is a whole number."]
    assert project.go_criteria.count() == 0
    response = client.post(url("go-criterion-create"), {**base, "threshold": "80", "comparison": "at_least"})
    assert response.status_code == 302
    created = project.go_criteria.get()
    assert (created.kind, created.threshold, created.name) == ("training_completion", Decimal(80), "")
    assert created.history.first().history_user == team["editor"]
    assert state_of(client.get(url("go-no-go")).content.decode(), "Training completion (%)") == "not_met"  # 75 < 80


def test_a_yes_no_figure_and_a_manual_check_take_no_threshold(project, team):
    client = client_for(team["editor"])
    refused = client.post(
        url("go-criterion-create"), {"kind": "rehearsal_in_window", "comparison": "at_least", "threshold": "4"}
    )
    assert refused.context["form"].errors["threshold"] == ["This figure is yes or no: leave the threshold empty."]
    unnamed = client.post(url("go-criterion-create"), {"kind": "manual", "comparison": "at_least", "threshold": ""})
    assert "name" in unnamed.context["form"].errors
    assert project.go_criteria.count() == 0
    with pytest.raises(GoLiveError, match="yes-or-no figure"):
        golive.criterion_create(project=project, kind="rehearsal_in_window", threshold=Decimal(4))
    with pytest.raises(GoLiveError, match="Set the threshold"):
        golive.criterion_create(project=project, kind="must_have_uat")
    assert project.go_criteria.count() == 0
    client.post(url("go-criterion-create"), {"kind": "rehearsal_in_window", "comparison": "at_least"})
    client.post(url("go-criterion-create"), {"kind": "manual", "name": "Hotline staffed", "verdict": "met"})
    window, manual = project.go_criteria.order_by("order")
    assert (window.kind, window.threshold) == ("rehearsal_in_window", None)
    assert (manual.name, manual.manual_met, manual.order > window.order) == ("Hotline staffed", True, True)


def test_editing_a_criterion_saves_it_and_a_stale_edit_is_refused(project, team, training):
    item = criterion(project, Kind.TRAINING_COMPLETION, 90)
    client = client_for(team["owner"])
    page = client.get(url("go-criterion-edit", go_criterion_id=item.pk))
    initial = page.context["form"].initial
    assert initial["threshold"] == "90"
    assert "History of the criterion" in page.content.decode()
    someone = client_for(team["editor"])
    someone.post(url("go-criterion-edit", go_criterion_id=item.pk), {**initial, "threshold": "70"})
    item.refresh_from_db()
    assert item.threshold == Decimal(70)
    stale = client.post(url("go-criterion-edit", go_criterion_id=item.pk), {**initial, "threshold": "75"})
    assert stale.status_code == 200 and "after you opened it" in stale.content.decode()
    item.refresh_from_db()
    assert item.threshold == Decimal(70)  # the first save stands


def test_deleting_a_criterion_asks_first(project, team, mixed):
    client = client_for(team["editor"])
    labels = mixed["labels"]
    confirm = client.get(url("go-criterion-delete", go_criterion_id=labels.pk))
    assert "Delete the go/no-go criterion “Labels printed”?" in confirm.content.decode()
    assert project.go_criteria.filter(pk=labels.pk).exists()
    response = client.post(url("go-criterion-delete", go_criterion_id=labels.pk), follow=True)
    assert messages_of(response) == ["Criterion “Labels printed” deleted."]
    assert not project.go_criteria.filter(pk=labels.pk).exists()
    assert project.go_criteria.count() == 5


# The decision --------------------------------------------------------------------------------------------------


def sign(client, **data):
    return client.post(url("go-no-go-sign"), {"outcome": "go", "conditions": "", "password": PASSWORD, **data})


def test_only_the_named_decider_signs(project, team, mixed, decider):
    other_owner = UserFactory(username="second-owner", first_name="Mei", last_name="Lin")
    MembershipFactory(project=project, user=other_owner, role="owner")
    response = sign(client_for(other_owner))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Only the named decider ({team['owner'].get_full_name()}) signs the go/no-go decision."
    ]
    assert not GoNoGoDecision.objects.exists()
    page = client_for(other_owner).get(url("go-no-go")).content.decode()
    assert 'data-testid="not-the-decider"' in page and "<fieldset disabled>" in page
    assert "<fieldset>" in client_for(team["owner"]).get(url("go-no-go")).content.decode()


def test_a_wrong_password_signs_nothing(project, team, mixed, decider):
    response = sign(client_for(decider), password="not-my-password")
    assert response.context["form"].non_field_errors() == ["The password is not right; nothing was signed."]
    assert not GoNoGoDecision.objects.exists()


def test_a_go_with_conditions_needs_its_conditions(project, team, mixed, decider):
    response = sign(client_for(decider), outcome="go_with_conditions", conditions="  ")
    assert response.context["form"].errors["conditions"] == ["Write down the conditions of the go."]
    assert not GoNoGoDecision.objects.exists()
    with pytest.raises(GoLiveError):
        golive.decision_sign(project=project, user=decider, password=PASSWORD, outcome="go_with_conditions")
    assert not GoNoGoDecision.objects.exists()


def test_without_a_named_decider_the_page_says_to_name_one(project, team, mixed):
    client = client_for(team["owner"])
    html = client.get(url("go-no-go")).content.decode()
    assert 'data-testid="no-decider"' in html and url("cutover-plan-edit") in html
    response = sign(client)
    assert response.context["form"].non_field_errors() == ["Name the go/no-go decider in the cutover plan first."]
    assert not GoNoGoDecision.objects.exists()


def test_a_signed_decision_keeps_the_criteria_as_evaluated_then(project, team, mixed, decider):
    client = client_for(decider)
    response = sign(client, outcome="go_with_conditions", conditions="Labels printed by Friday\nHotline doubled")
    assert response.status_code == 302 and response["Location"].endswith("#decision")
    decision = GoNoGoDecision.objects.get()
    assert (decision.outcome, decision.decider, decision.conditions) == (
        "go_with_conditions",
        decider,
        "Labels printed by Friday\nHotline doubled",
    )
    by_name = {item["name"]: item for item in decision.criteria}
    assert len(decision.criteria) == 6
    assert by_name["Training completion (%)"]["value"] == "75.0"
    assert by_name["Training completion (%)"]["state"] == "met"
    assert by_name["Labels printed"]["state"] == "not_met"
    assert by_name["Support rota agreed"]["state"] == "no_data"
    # Things change after the signature: the decision does not.
    golive.criterion_judge(criterion=mixed["labels"], met=True)
    page = client.get(url("go-no-go"))
    html = page.content.decode()
    assert GoNoGoDecision.objects.get().criteria == decision.criteria
    latest = html.split('data-testid="latest-decision"')[1].split('data-testid="sign-card"')[0]
    assert 'data-state="go_with_conditions"' in latest and "Go with conditions" in latest
    assert "Labels printed by Friday\nHotline doubled" in latest
    assert decider.get_full_name() in latest
    labels_row = re.search(
        r'<tr data-state="not_met">\s*<td><span class="fw-medium">Labels printed</span>.*?</tr>', latest, re.S
    )
    assert labels_row and 'data-state="met"' in labels_row.group(0)  # not met at signing, met now


def test_earlier_decisions_are_listed_under_the_latest(project, team, mixed, decider):
    client = client_for(decider)
    sign(client, outcome="no_go")
    sign(client, outcome="go")
    response = client.get(url("go-no-go"))
    assert response.context["latest"].decision.outcome == "go"
    assert [d.decision.outcome for d in response.context["earlier"]] == ["no_go"]
    assert 'data-testid="earlier-decision"' in response.content.decode()


def test_a_signed_decision_cannot_be_changed_or_deleted(project, team, mixed, decider):
    sign(client_for(decider), outcome="no_go")
    decision = GoNoGoDecision.objects.get()
    decision.outcome = "go"
    with pytest.raises(ImmutableError):
        decision.save()
    with pytest.raises(ImmutableError):
        decision.delete()
    with pytest.raises(ImmutableError):
        GoNoGoDecision.objects.filter(pk=decision.pk).update(outcome="go")
    assert GoNoGoDecision.objects.get().outcome == "no_go"
    # No page edits or deletes a decision: the go/no-go URLs are the criteria's, the sign form and the PDF.
    names = set()
    for pattern in get_resolver().url_patterns:
        names |= _names(pattern, "")
    golive_names = {
        n for n in names if n.startswith("projects:") and ("go-no-go" in n or "go-criteri" in n or "decision" in n)
    }
    assert golive_names == {
        "projects:go-no-go",
        "projects:go-no-go-sign",
        "projects:go-criterion-create",
        "projects:go-criteria-standard",
        "projects:go-criterion-edit",
        "projects:go-criterion-delete",
    }


def _names(pattern, namespace: str) -> set[str]:
    if isinstance(pattern, URLPattern):
        return {f"{namespace}{pattern.name}"} if pattern.name else set()
    inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
    found = set()
    for child in pattern.url_patterns:
        found |= _names(child, inner)
    return found


def test_the_sign_page_shows_what_is_signed(project, team, mixed, decider):
    response = client_for(team["viewer"]).get(url("go-no-go-sign"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Training nearly complete" in html and 'data-testid="not-the-decider"' in html
    assert response.context["counts"]["met"] == 2


# Roles -------------------------------------------------------------------------------------------------------


def test_a_viewer_reads_and_downloads_but_changes_nothing(project, team, mixed):
    client = client_for(team["viewer"])
    assert client.get(url("go-no-go")).status_code == 200
    pdf = client.get(url("readiness-pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(url("go-criterion-create")).status_code == 403
    assert client.post(url("go-criterion-create"), {"kind": "manual", "name": "X"}).status_code == 403
    assert client.post(url("go-criteria-standard")).status_code == 403
    rota = mixed["rota"]
    edit = url("go-criterion-edit", go_criterion_id=rota.pk)
    assert client.post(edit, {"form": "verdict", "verdict": "met"}).status_code == 403
    assert client.post(url("go-criterion-delete", go_criterion_id=rota.pk)).status_code == 403
    rota.refresh_from_db()
    assert rota.manual_met is None and project.go_criteria.count() == 6


def test_an_outsider_sees_nothing(project, team, mixed, outsider):
    client = client_for(outsider)
    for path in (url("go-no-go"), url("readiness-pdf"), url("go-no-go-sign")):
        assert client.get(path).status_code == 404
    assert client.post(url("go-criteria-standard")).status_code == 404
    assert client.post(url("go-no-go-sign"), {"outcome": "go", "password": PASSWORD}).status_code == 404
    assert not GoNoGoDecision.objects.exists()
    # Their own project's pages do not reach ACME's criteria by id either.
    theirs = reverse("projects:go-criterion-edit", args=["OTHER", mixed["rota"].pk])
    assert client.get(theirs).status_code == 404
    assert client.post(theirs, {"form": "verdict", "verdict": "met"}).status_code == 404
    mixed["rota"].refresh_from_db()
    assert mixed["rota"].manual_met is None


def test_a_vendor_member_is_refused(project, team, mixed):
    assert client_for(team["vendor"]).get(url("go-no-go")).status_code == 403


# Queries ------------------------------------------------------------------------------------------------------


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_manual_criteria_cost_no_query_each(project, team):
    client = client_for(team["owner"])
    criterion(project, Kind.TRAINING_COMPLETION, 90)
    criterion(project, Kind.REHEARSAL_IN_WINDOW)
    criterion(project, Kind.MANUAL, name="Manual 1", manual_met=True)
    three = queries_for(client, url("go-no-go"))
    for n in range(2, 7):
        criterion(project, Kind.MANUAL, name=f"Manual {n}", manual_met=n % 2 == 0)
    assert project.go_criteria.count() == 8
    assert queries_for(client, url("go-no-go")) == three == 9


def test_the_full_page_costs_the_same_however_many_criteria_and_decisions(project, team, decider):
    client = client_for(decider)
    gonogo.standard_criteria(project)
    criterion(project, Kind.MANUAL, name="Manual 1")
    sign(client, outcome="no_go")
    small = queries_for(client, url("go-no-go"))
    for n in range(2, 7):
        criterion(project, Kind.MANUAL, name=f"Manual {n}", manual_met=True)
    sign(client, outcome="go")
    sign(client, outcome="go_with_conditions", conditions="Hotline doubled")
    assert queries_for(client, url("go-no-go")) == small == 18


def test_a_rehearsal_longer_than_the_window_reads_not_met_on_the_page(project, team):
    plan = golive.plan_for(project)
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    plan.window_start, plan.window_end = start, start + timedelta(hours=4)
    plan.save()
    run = golive.run_create(plan=plan, kind="rehearsal", name="Rehearsal 1", planned_start=start)
    golive.task_create(plan=plan, title="Freeze")
    golive.run_start(run=run, at=start)
    golive.task_skip(run=run, task=plan.tasks.get(), reason="Not needed")
    golive.run_finish(run=run, at=start + timedelta(hours=5))
    criterion(project, Kind.REHEARSAL_IN_WINDOW)
    html = client_for(team["viewer"]).get(url("go-no-go")).content.decode()
    row = row_html(html, "Last rehearsal finished within the window")
    assert state_of(html, "Last rehearsal finished within the window") == "not_met"
    assert cell(row, "target") == "yes" and cell(row, "value") == "no"
    assert "Rehearsal 1 took 5 h, longer than the window of 4 h." in cell(row, "detail")
