"""UAT case templates: their content in both languages, and pulling them into a project."""

import re

import pytest

from requirements.catalogue import BY_KEY as CATALOGUE
from requirements.models import Requirement
from requirements.services import catalogue_pull, requirement_create
from testing.case_templates import BY_KEY, TEMPLATES, cases_pull_templates, pulled_templates, templates_for_language
from testing.models import CaseStep, UATCase
from testing.services import TestingError

CJK = re.compile(r"[\u4e00-\u9fff]")
NAMED = [
    "receipt-short-shipped",
    "sale-exceeds-stock-multi-warehouse",
    "return-expired-batch",
    "stocktake-variance-approval",
]


def texts(template):
    yield template.title
    yield template.preconditions
    for step in template.steps:
        yield step.action
        yield step.expected


# The templates


def test_keys_are_unique_and_fit_the_case_field():
    keys = [t.key for t in TEMPLATES]
    assert len(keys) == len(set(keys)) == len(BY_KEY)
    assert len(keys) >= 20
    max_length = UATCase._meta.get_field("template_key").max_length
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) and len(key) <= max_length for key in keys)


def test_every_template_has_steps_and_valid_choices():
    for template in TEMPLATES:
        assert 3 <= len(template.steps) <= 7, template.key
        assert template.role in UATCase.Role.values, template.key
        assert template.flow in UATCase.Flow.values, template.key
        assert template.priority in UATCase.Priority.values, template.key
        assert all(len(step.test_data) <= 500 for step in template.steps), template.key


def test_every_text_is_written_in_both_languages():
    for template in TEMPLATES:
        for text in texts(template):
            assert text.en.strip() and text.zh.strip(), template.key
            assert CJK.search(text.zh), (template.key, text.zh)
            assert not CJK.search(text.en), (template.key, text.en)
        assert max(len(template.title.en), len(template.title.zh)) <= 200


def test_exception_flows_and_the_named_scenarios_are_covered():
    exceptions = [t for t in TEMPLATES if t.flow == UATCase.Flow.EXCEPTION]
    assert len(exceptions) >= 10
    for key in NAMED:
        assert BY_KEY[key].flow == UATCase.Flow.EXCEPTION
    assert {t.role for t in TEMPLATES} >= {"purchaser", "sales_clerk", "warehouse_keeper", "finance"}


def test_verified_requirements_are_catalogue_entries():
    for template in TEMPLATES:
        assert template.requirements, template.key
        assert all(key in CATALOGUE for key in template.requirements), template.key


@pytest.mark.parametrize(("language", "chinese"), [("zh-hans", True), ("zh-Hans", True), ("en", False), ("de", False)])
def test_templates_for_language_picks_the_text(language, chinese):
    localized = templates_for_language(language)
    assert [t.key for t in localized] == [t.key for t in TEMPLATES]
    first, source = localized[0], TEMPLATES[0]
    expected = source.title.zh if chinese else source.title.en
    assert first.title == expected
    assert bool(CJK.search(first.steps[0][0])) is chinese
    assert first.steps[0][2] == source.steps[0].test_data


# Pulling


def test_pulling_creates_cases_in_the_chosen_language(project, editor):
    created = cases_pull_templates(project=project, keys=NAMED[:2], user=editor, language="zh-hans")

    assert [c.key for c in created] == ["UAT-001", "UAT-002"]
    short = created[0]
    template = BY_KEY["receipt-short-shipped"]
    assert short.template_key == "receipt-short-shipped"
    assert short.title == template.title.zh
    assert short.preconditions == template.preconditions.zh
    assert (short.role, short.flow, short.priority) == ("warehouse_keeper", "exception", "high")
    steps = list(short.steps.order_by("order"))
    assert [s.order for s in steps] == list(range(1, len(template.steps) + 1))
    assert [(s.action, s.expected, s.test_data) for s in steps] == [
        (t.action.zh, t.expected.zh, t.test_data) for t in template.steps
    ]
    assert short.history.first().history_user == editor

    (english,) = cases_pull_templates(project=project, keys=["fefo-picking"], language="en")
    assert english.key == "UAT-003"
    assert english.title == BY_KEY["fefo-picking"].title.en
    assert english.steps.first().action == BY_KEY["fefo-picking"].steps[0].action.en


def test_pulling_again_creates_nothing(project):
    cases_pull_templates(project=project, keys=NAMED, language="en")
    steps = CaseStep.objects.count()

    again = cases_pull_templates(project=project, keys=[*NAMED, NAMED[0]], language="zh-hans")

    assert again == []
    assert project.uat_cases.count() == len(NAMED)
    assert CaseStep.objects.count() == steps
    assert pulled_templates(project=project) == {key: [f"UAT-00{i}"] for i, key in enumerate(NAMED, start=1)}


def test_pulling_only_adds_the_missing_templates(project):
    cases_pull_templates(project=project, keys=["receipt-full"], language="en")

    created = cases_pull_templates(project=project, keys=["receipt-full", "duplicate-scan"], language="en")

    assert [(c.key, c.template_key) for c in created] == [("UAT-002", "duplicate-scan")]


def test_an_unknown_key_creates_nothing(project):
    with pytest.raises(TestingError, match="no-such-template"):
        cases_pull_templates(project=project, keys=["receipt-full", "no-such-template"], language="en")

    assert not project.uat_cases.exists()
    assert not CaseStep.objects.exists()
    # The number was not used either: the next case still gets UAT-001.
    (case,) = cases_pull_templates(project=project, keys=["receipt-full"], language="en")
    assert case.key == "UAT-001"


def test_cases_verify_the_requirements_pulled_from_the_catalogue(project):
    pulled = catalogue_pull(project=project, keys=["pur-receipt", "pur-supplier-rating", "sal-return"])
    rejected = requirement_create(project=project, title="Old receipt rule", statement="s", catalogue_key="pur-receipt")
    Requirement.objects.filter(pk=rejected.pk).update(status=Requirement.Status.REJECTED)
    requirement_create(project=project, title="Own requirement", statement="Not from the catalogue.")

    short, over = cases_pull_templates(
        project=project, keys=["receipt-short-shipped", "receipt-over-tolerance"], language="en"
    )
    barcode = cases_pull_templates(project=project, keys=["barcode-not-found"], language="en")[0]

    by_key = {r.catalogue_key: r for r in pulled}
    assert set(short.requirements.all()) == {by_key["pur-receipt"], by_key["pur-supplier-rating"]}
    assert set(over.requirements.all()) == {by_key["pur-receipt"]}
    assert not barcode.requirements.exists()  # none of its catalogue entries is in the project
