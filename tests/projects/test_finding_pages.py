"""Findings on process steps: adding, editing (with locking), deleting, the detail page and the filtered list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Finding
from projects.services import processes as services
from tests.conftest import client_for
from tests.factories import ProjectFactory


def url(name: str, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"project_code": "ACME", **kwargs})


def make_process(project, name: str, steps: list[tuple[str, str]]):
    process = services.process_create(project=project, name=name)
    for lane, action in steps:
        services.step_insert(process=process, lane=lane, action=action)
    return process


def finding_data(**overrides) -> dict:
    data = {"kind": "pain_point", "severity": "4", "description": "Delivery slips get lost", "evidence": ""}
    data.update(overrides)
    return data


@pytest.fixture
def receiving(project):
    return make_process(project, "Receiving", [("Warehouse", "Unload"), ("Quality", "Check"), ("Warehouse", "Store")])


@pytest.fixture
def selling(project):
    return make_process(project, "Selling", [("Sales", "Take the order"), ("Warehouse", "Pick")])


def step(process, order: int):
    return process.steps.get(order=order)


def add(process, order: int, kind: str, severity: int, description: str) -> Finding:
    return services.finding_create(step=step(process, order), kind=kind, severity=severity, description=description)


def listed(response) -> list[str]:
    return [f.description for f in response.context["page_obj"].object_list]


# --- Create, edit, delete --------------------------------------------------------------------


def test_an_editor_adds_a_finding_to_a_step(project, editor, receiving):
    target = step(receiving, 2)
    client = client_for(editor)

    page = client.get(url("finding-create", step_id=target.pk))
    assert page.status_code == 200
    assert "On step 2. Check of “Receiving”." in page.content.decode()

    response = client.post(url("finding-create", step_id=target.pk), finding_data(evidence="Seen **daily**"))

    finding = Finding.objects.get()
    assert response["Location"] == url("process-detail", process_id=receiving.pk) + f"#step-{target.pk}"
    assert (finding.step, finding.kind, finding.severity, finding.evidence) == (
        target,
        "pain_point",
        4,
        "Seen **daily**",
    )


def test_a_finding_needs_a_description_and_a_kind(project, editor, receiving):
    response = client_for(editor).post(
        url("finding-create", step_id=step(receiving, 1).pk), finding_data(description="", kind="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "description" in errors and "kind" in errors
    assert not Finding.objects.exists()


def test_a_finding_is_edited_and_may_move_to_another_step_of_the_process(project, editor, receiving):
    finding = add(receiving, 1, "risk", 3, "No count on arrival")
    client = client_for(editor)

    form = client.get(url("finding-edit", finding_id=finding.pk)).context["form"]
    assert list(form.fields["step"].queryset) == list(receiving.steps.order_by("order"))

    response = client.post(
        url("finding-edit", finding_id=finding.pk),
        finding_data(step=step(receiving, 3).pk, kind="redundancy", severity="2", version=finding.version),
    )

    assert response["Location"] == url("finding-detail", finding_id=finding.pk)
    finding.refresh_from_db()
    assert (finding.step, finding.kind, finding.severity, finding.version) == (step(receiving, 3), "redundancy", 2, 2)


def test_a_finding_cannot_move_to_a_step_of_another_process(project, editor, receiving, selling):
    finding = add(receiving, 1, "risk", 3, "No count on arrival")

    response = client_for(editor).post(
        url("finding-edit", finding_id=finding.pk), finding_data(step=step(selling, 1).pk, version=1)
    )

    assert response.context["form"].errors["step"] == ["Choose a step of this process."]
    finding.refresh_from_db()
    assert (finding.step, finding.version) == (step(receiving, 1), 1)


def test_a_stale_finding_save_is_refused_and_keeps_what_was_typed(project, editor, owner, receiving):
    finding = add(receiving, 1, "risk", 3, "Original")
    services.finding_update(finding=Finding.objects.get(pk=finding.pk), expected_version=1, description="Owner's")

    response = client_for(editor).post(
        url("finding-edit", finding_id=finding.pk),
        finding_data(step=step(receiving, 1).pk, description="Editor's words", version=1),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your changes were not saved." in content
    assert 'value="Editor&#x27;s words"' in content
    finding.refresh_from_db()
    assert finding.description == "Owner's"


def test_deleting_a_finding_asks_first(project, editor, receiving):
    finding = add(receiving, 2, "risk", 3, "No count on arrival")
    client = client_for(editor)

    confirm = client.get(url("finding-delete", finding_id=finding.pk)).content.decode()
    assert "Delete the finding “No count on arrival” on step 2. Check?" in confirm

    response = client.post(url("finding-delete", finding_id=finding.pk))
    assert response["Location"] == url("process-detail", process_id=receiving.pk) + f"#step-{finding.step_id}"
    assert not Finding.objects.exists()


def test_the_finding_detail_shows_evidence_links_and_history(project, viewer, editor, receiving):
    finding = services.finding_create(
        step=step(receiving, 2), kind="redundancy", severity=5, description="Counted twice", evidence="See *sheet 3*"
    )
    services.finding_update(finding=finding, expected_version=1, severity=4)

    response = client_for(viewer).get(url("finding-detail", finding_id=finding.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<em>sheet 3</em>" in content
    assert url("process-detail", process_id=receiving.pk) in content
    assert f"{url('process-detail', process_id=receiving.pk)}#step-{finding.step_id}" in content
    assert [e.action for e in response.context["page_obj"]] == ["~", "+"]
    assert url("finding-edit", finding_id=finding.pk) not in content
    assert (
        url("finding-edit", finding_id=finding.pk)
        in client_for(editor).get(url("finding-detail", finding_id=finding.pk)).content.decode()
    )


def test_another_projects_finding_and_step_are_404(project, editor):
    other = make_process(ProjectFactory(code="ELSE"), "Theirs", [("Store", "Sell")])
    foreign = add(other, 1, "risk", 3, "Theirs")
    client = client_for(editor)

    assert client.get(url("finding-detail", finding_id=foreign.pk)).status_code == 404
    assert client.post(url("finding-delete", finding_id=foreign.pk)).status_code == 404
    assert client.post(url("finding-create", step_id=foreign.step_id), finding_data()).status_code == 404
    assert Finding.objects.count() == 1


# --- The list --------------------------------------------------------------------------------


@pytest.fixture
def findings(receiving, selling):
    return [
        add(receiving, 1, "pain_point", 2, "Trucks wait at the gate"),
        add(receiving, 2, "risk", 5, "Damaged goods are booked as good"),
        add(receiving, 3, "redundancy", 3, "Location written on paper and in Excel"),
        add(selling, 1, "pain_point", 4, "Prices are looked up in a binder"),
        add(selling, 2, "risk", 3, "Picking lists are printed twice"),
    ]


def test_the_list_sorts_the_most_severe_first_and_counts_per_kind(project, viewer, findings):
    response = client_for(viewer).get(url("finding-list"))

    assert response.status_code == 200
    assert [f.severity for f in response.context["page_obj"].object_list] == [5, 4, 3, 3, 2]
    assert response.context["kind_counts"] == [
        ("pain_point", "Pain point", 2),
        ("redundancy", "Redundancy", 1),
        ("risk", "Risk", 2),
    ]
    content = response.content.decode()
    assert 'data-testid="process-tabs"' in content
    first = findings[1]
    assert url("finding-detail", finding_id=first.pk) in content
    assert f"{url('process-detail', process_id=first.step.process_id)}#step-{first.step_id}" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "risk"}, ["Damaged goods are booked as good", "Picking lists are printed twice"]),
        ({"severity": "4"}, ["Damaged goods are booked as good", "Prices are looked up in a binder"]),
        ({"q": "PAPER"}, ["Location written on paper and in Excel"]),
        (
            {"lane": "Warehouse"},
            ["Location written on paper and in Excel", "Picking lists are printed twice", "Trucks wait at the gate"],
        ),
        ({"kind": "pain_point", "severity": "3"}, ["Prices are looked up in a binder"]),
    ],
)
def test_the_list_filters(project, viewer, findings, query, expected):
    response = client_for(viewer).get(url("finding-list"), query)

    assert listed(response) == expected
    assert response.context["filtered"] is True
    assert response.context["total"] == 5


def test_the_list_filters_by_process(project, viewer, findings, selling):
    response = client_for(viewer).get(url("finding-list"), {"process": selling.pk})

    assert listed(response) == ["Prices are looked up in a binder", "Picking lists are printed twice"]
    assert "2 of 5 findings" in response.content.decode()


def test_a_process_of_another_project_is_not_a_filter_choice(project, viewer, findings):
    foreign = make_process(ProjectFactory(code="ELSE"), "Theirs", [("Store", "Sell")])

    response = client_for(viewer).get(url("finding-list"), {"process": foreign.pk, "severity": "high"})

    form = response.context["filter"].form
    assert "process" in form.errors and "severity" in form.errors
    assert len(listed(response)) == 5  # invalid values filter nothing


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["Picking lists are printed twice", "Prices are looked up in a binder"]),
        ("process", ["Trucks wait at the gate", "Damaged goods are booked as good"]),
        ("severity", ["Damaged goods are booked as good", "Prices are looked up in a binder"]),
    ],
)
def test_the_list_can_be_sorted(project, viewer, findings, sort, expected):
    response = client_for(viewer).get(url("finding-list"), {"sort": sort})

    assert listed(response)[:2] == expected
    assert response.context["sort"] == sort


def test_the_list_pages_by_50(project, viewer, receiving):
    for i in range(55):
        add(receiving, 1, "risk", 1 + i % 5, f"Finding {i}")
    client = client_for(viewer)

    first = client.get(url("finding-list"))
    second = client.get(url("finding-list"), {"page": 2, "kind": "risk"})

    assert len(first.context["page_obj"].object_list) == 50
    assert len(second.context["page_obj"].object_list) == 5
    assert "Showing 51–55 of 55" in second.content.decode()


def test_the_empty_list_says_where_findings_come_from(project, viewer):
    content = client_for(viewer).get(url("finding-list")).content.decode()

    assert 'data-testid="findings-empty"' in content
    assert url("process-list") in content


def test_a_filter_without_matches_says_so(project, viewer, findings):
    content = client_for(viewer).get(url("finding-list"), {"q": "nothing like this"}).content.decode()

    assert 'data-testid="findings-none-match"' in content
    assert "0 of 5 findings" in content


def add_findings(project, n: int) -> None:
    process = make_process(project, f"Process {n}", [("Warehouse", "Unload"), ("Quality", "Check")])
    for i in range(n):
        add(process, 1 + i % 2, ["pain_point", "redundancy", "risk"][i % 3], 1 + i % 5, f"Finding {i}")


def test_the_list_costs_the_same_queries_for_3_and_30_findings(project, owner):
    client = client_for(owner)
    add_findings(project, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("finding-list"), {"kind": "risk", "sort": "process"}).status_code == 200
    add_findings(project, 27)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("finding-list"), {"kind": "risk", "sort": "process"})
    assert len(response.context["page_obj"].object_list) == 10
    assert len(large) == len(small) == 10
