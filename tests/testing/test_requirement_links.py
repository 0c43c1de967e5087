"""UAT cases plugged into the requirements: suspect links, the requirement's page, the specification."""

from django.urls import reverse

from requirements import services as requirement_services
from requirements import suspects
from testing import services as uat
from tests.conftest import client_for


def _requirement(project, title="Real-time stock"):
    return requirement_services.requirement_create(project=project, title=title, statement="Stock is updated at once.")


def _run_with(project, case, name, results, tester):
    run = uat.run_create(project=project, name=name, cases=[case])
    uat.run_start(run=run)
    run_case = run.run_cases.get()
    for order, status in enumerate(results, start=1):
        uat.step_record(run_case=run_case, step_order=order, status=status, actual="see photo", user=tester)
    return run


def test_changing_a_requirements_meaning_makes_its_cases_suspect(project, owner):
    requirement = _requirement(project)
    case = uat.case_create(
        project=project, title="Sell from stock", steps=[("Sell", "Stock drops")], requirements=[requirement]
    )
    untouched = uat.case_create(project=project, title="Unrelated", steps=[("Look", "Fine")])
    requirement_services.requirement_update(
        requirement=requirement, expected_version=requirement.version, user=owner, statement="Stock within 1 s."
    )
    assert [flag.upstream.key for flag in suspects.open_flags_for(case)] == [requirement.key]
    assert not suspects.open_flags_for(untouched).exists()


def test_the_requirement_page_lists_its_cases_with_the_latest_result(project, team):
    requirement = _requirement(project)
    passing = uat.case_create(
        project=project, title="Sell from stock", steps=[("Sell", "Stock drops")], requirements=[requirement]
    )
    failing = uat.case_create(
        project=project, title="Sell too much", steps=[("Sell 9", "Refused")], requirements=[requirement]
    )
    never = uat.case_create(
        project=project, title="Sell in the pilot", steps=[("Sell", "Fine")], requirements=[requirement]
    )
    _run_with(project, passing, "Round 1", ["pass"], team["tester"])
    _run_with(project, failing, "Round 1b", ["pass"], team["tester"])
    _run_with(project, failing, "Round 2", ["fail"], team["tester"])  # the later run counts
    url = reverse("requirements:requirement-detail", kwargs={"project_code": project.code, "key": requirement.key})
    html = client_for(team["viewer"]).get(url).content.decode()
    block = html.split('data-testid="verified-by"')[1].split("</div>\n    </div>")[0]
    rows = {
        key: block.split(f">{key}</a>")[1].split("</div>\n          </div>")[0]
        for key in (passing.key, failing.key, never.key)
    }
    assert block.index(f">{passing.key}<") < block.index(f">{failing.key}<") < block.index(f">{never.key}<")
    assert 'data-result="pass"' in rows[passing.key]
    assert 'data-result="fail"' in rows[failing.key] and "Round 2" in rows[failing.key]
    assert "Not run" in rows[never.key] and "Round" not in rows[never.key]


def test_a_requirement_without_cases_says_nobody_tests_it(project, team):
    requirement = _requirement(project)
    url = reverse("requirements:requirement-detail", kwargs={"project_code": project.code, "key": requirement.key})
    html = client_for(team["viewer"]).get(url).content.decode()
    assert "No test case verifies it yet" in html
