"""The demo's requirements: layers, reviews, links to goals and findings, the baseline and a later change."""

import pytest
from django.utils import translation

from projects.demo import build_demo
from requirements.catalogue import BY_KEY
from requirements.demo import BASELINE_NAME, REQUIREMENTS, build_requirements_demo
from requirements.models import Requirement, SuspectFlag, Transition
from requirements.workflow import AGREED

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    project = build_demo(language="en")
    build_requirements_demo(project=project, language="en")
    return project


def test_it_builds_about_forty_requirements_over_all_layers(demo):
    requirements = demo.requirements.all()

    assert 35 <= requirements.count() <= 45
    assert {r.layer for r in requirements} == set(Requirement.Layer.values)
    assert all(r.owner is not None for r in requirements)
    assert requirements.filter(parent__isnull=False).count() >= 8
    assert requirements.exclude(catalogue_key="").count() >= 10
    assert requirements.filter(catalogue_key="").count() >= 15
    keys = list(requirements.order_by("number").values_list("key", flat=True))
    assert keys[0] == "REQ-001" and keys[-1] == f"REQ-{len(keys):03d}"


def test_about_half_are_agreed_and_every_status_story_is_told(demo):
    requirements = demo.requirements.all()
    total = requirements.count()
    agreed = requirements.filter(status__in=AGREED).count()

    assert 0.4 * total <= agreed <= 0.65 * total
    statuses = set(requirements.values_list("status", flat=True))
    assert {"draft", "in_review", "approved", "implemented", "rejected", "deferred"} <= statuses
    assert requirements.filter(status="implemented").count() >= 2


def test_statuses_were_reached_through_the_workflow_by_the_right_people(demo):
    approvals = Transition.objects.filter(requirement__project=demo, to_status="approved")
    assert approvals.exists() and set(approvals.values_list("by__username", flat=True)) == {"lead"}
    reviews = Transition.objects.filter(requirement__project=demo, from_status="draft", to_status="in_review")
    assert {"it", "finance", "procurement", "sales", "warehouse"} <= set(reviews.values_list("by__username", flat=True))
    for requirement in demo.requirements.exclude(status="draft"):
        assert requirement.transitions.exists(), requirement.key
    rejected = demo.requirements.get(status="rejected")
    assert rejected.transitions.get(to_status="rejected").comment


def test_requirements_serve_goals_kpis_and_findings(demo):
    requirements = demo.requirements.all()

    assert requirements.filter(goals__isnull=False).distinct().count() >= 10
    assert {g.pk for r in requirements for g in r.goals.all()} == set(demo.goals.values_list("pk", flat=True))
    assert requirements.filter(kpis__isnull=False).distinct().count() >= 5
    assert requirements.filter(findings__isnull=False).distinct().count() >= 8
    linked = {f.pk for r in requirements for f in r.findings.all()}
    assert all(f.step.process.project_id == demo.pk for r in requirements for f in r.findings.all())
    assert len(linked) >= 10


def test_one_signed_baseline_freezes_what_was_agreed(demo):
    (baseline,) = demo.baselines.all()

    assert baseline.name == BASELINE_NAME.en == "Baseline 1 — scope for vendor selection"
    assert baseline.signed_by.username == "lead"
    assert baseline.requirement_count == baseline.items.count()
    assert set(baseline.items.values_list("status", flat=True)) <= set(AGREED)
    agreed_now = demo.requirements.filter(status__in=AGREED).count()
    assert baseline.requirement_count == agreed_now + 1  # the one changed afterwards is back in review


def test_a_change_after_the_baseline_shows_and_flags_the_children(demo):
    baseline = demo.baselines.get()
    changed = [
        (item, item.requirement)
        for item in baseline.items.select_related("requirement")
        if item.statement != item.requirement.statement
    ]

    assert len(changed) == 1
    item, requirement = changed[0]
    assert requirement.status == Requirement.Status.IN_REVIEW
    assert requirement.version > item.version
    assert "every hour" in requirement.statement and "every hour" not in item.statement
    assert requirement.transitions.filter(from_status="approved", to_status="in_review", by__username="lead").exists()
    flags = SuspectFlag.objects.filter(project=demo, upstream=requirement, cleared_at__isnull=True)
    children = set(requirement.children.values_list("pk", flat=True))
    assert children and {f.object_id for f in flags} == children


def test_catalogue_entries_keep_their_key_and_text(demo):
    pulled = demo.requirements.exclude(catalogue_key="")

    for requirement in pulled:
        entry = BY_KEY[requirement.catalogue_key]
        assert requirement.title == str(entry.title)
        assert requirement.layer == entry.layer


def test_building_again_changes_nothing(demo):
    before = (demo.requirements.count(), Transition.objects.count(), SuspectFlag.objects.count())

    project = build_demo(language="en")
    build_requirements_demo(project=project, language="en")

    assert project.pk == demo.pk
    assert (demo.requirements.count(), Transition.objects.count(), SuspectFlag.objects.count()) == before
    assert demo.baselines.count() == 1


def test_it_builds_in_chinese():
    project = build_demo(language="zh-hans")
    build_requirements_demo(project=project, language="zh-hans")

    stock = project.requirements.get(key="REQ-001")
    assert stock.title == "所有门店、网店和总仓共用一本库存账"
    assert stock.goals.exists() and stock.findings.exists()
    assert project.baselines.get().name == BASELINE_NAME.zh
    with translation.override("zh-hans"):
        expected = str(BY_KEY["pur-po-create"].title)
    assert project.requirements.get(catalogue_key="pur-po-create").title == expected


def test_the_demo_table_is_consistent():
    refs = [spec.ref for spec in REQUIREMENTS]
    assert len(set(refs)) == len(refs)
    for index, spec in enumerate(REQUIREMENTS):
        if spec.parent:
            assert spec.parent in refs[:index], f"{spec.ref}: the parent must come first"
        if spec.catalogue:
            assert spec.catalogue in BY_KEY
        else:
            assert spec.title and spec.statement and spec.criteria and spec.layer and spec.category
