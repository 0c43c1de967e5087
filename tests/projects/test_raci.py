"""The RACI pages: the matrix and its warnings, the standard activities, saving letters, and who may change them."""

import re

import pytest
from django.urls import reverse

from projects.models import Membership, RaciActivity, RaciAssignment
from projects.selectors.raci import raci_warnings
from projects.services.raci import STANDARD_ACTIVITIES, raci_activity_add, raci_add_standard_activities, raci_save
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory
from tests.projects.test_query_counts import queries_for

RACI_URL = reverse("projects:raci", kwargs={"project_code": "ACME"})
EDIT_URL = reverse("projects:raci-edit", kwargs={"project_code": "ACME"})
STANDARD_URL = reverse("projects:raci-standard", kwargs={"project_code": "ACME"})
ADD_URL = reverse("projects:raci-activity-add", kwargs={"project_code": "ACME"})


def delete_url(activity: RaciActivity) -> str:
    return reverse("projects:raci-activity-delete", kwargs={"project_code": "ACME", "activity_id": activity.pk})


def member(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def cell(activity: RaciActivity, membership: Membership) -> str:
    return f"cell-{activity.pk}-{membership.pk}"


def letters_of(project) -> dict[tuple[int, int], str]:
    return {
        (a.activity_id, a.membership_id): a.letter for a in RaciAssignment.objects.filter(activity__project=project)
    }


@pytest.fixture
def matrix(project, owner, editor, tester):
    """Two activities: "Cutover" is complete (one A, one R), "Training" has nobody accountable."""
    cutover = raci_activity_add(project=project, name="Cutover")
    training = raci_activity_add(project=project, name="Training")
    o, e, t = member(project, owner), member(project, editor), member(project, tester)
    raci_save(
        project=project,
        cells={(cutover.pk, o.pk): "A", (cutover.pk, e.pk): "R", (cutover.pk, t.pk): "I", (training.pk, e.pk): "R"},
    )
    return {"cutover": cutover, "training": training, "owner": o, "editor": e, "tester": t}


# --- Warnings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        (["R", "C", "I"], ["Nobody is accountable (A)."]),
        (["A", "A", "R"], ["2 people are accountable; exactly one should be."]),
        (["A", "C", ""], ["Nobody is responsible (R)."]),
        (["", "", ""], ["Nobody is accountable (A).", "Nobody is responsible (R)."]),
        (["A", "R", "R", "C", "I"], []),
    ],
    ids=["no-A", "two-A", "no-R", "blank", "all-good"],
)
def test_the_warnings_ask_for_exactly_one_a_and_at_least_one_r(letters, expected):
    assert raci_warnings(letters) == expected


def test_the_page_shows_letters_members_departments_and_the_warnings(project, viewer, matrix):
    response = client_for(viewer).get(RACI_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "1 activity needs attention" in content
    rows = {row.activity.name: row for row in response.context["matrix"].rows}
    assert rows["Cutover"].warnings == []
    assert rows["Training"].warnings == ["Nobody is accountable (A)."]
    assert "Warehouse" in content  # the tester's department under their name
    assert re.search(r'class="wb-raci-letter wb-raci-A">A<', content)
    for label in ["Responsible", "Accountable", "Consulted", "Informed"]:
        assert label in content


def test_a_complete_matrix_says_so(project, owner, matrix):
    raci_save(project=project, cells={(matrix["training"].pk, matrix["owner"].pk): "A"})

    content = client_for(owner).get(RACI_URL).content.decode()

    assert "need attention" not in content
    assert "needs attention" not in content
    assert "Every activity has one A and at least one R" in content


# --- Empty state and the standard activities -------------------------------------------------


def test_an_editor_is_offered_the_standard_activities_on_an_empty_matrix(project, editor):
    response = client_for(editor).get(RACI_URL)

    content = response.content.decode()
    assert 'data-testid="empty-state"' in content
    assert f'action="{STANDARD_URL}"' in content
    assert "Add the standard upgrade activities" in content
    assert "Vendor selection" in content


def test_a_viewer_sees_the_empty_state_without_the_button(project, viewer):
    content = client_for(viewer).get(RACI_URL).content.decode()

    assert 'data-testid="empty-state"' in content
    assert STANDARD_URL not in content
    assert EDIT_URL not in content


def test_the_standard_activities_are_added_once(project, editor):
    client = client_for(editor)

    first = client.post(STANDARD_URL, follow=True)
    second = client.post(STANDARD_URL, follow=True)

    keys = list(project.raci_activities.order_by("order").values_list("standard_key", flat=True))
    assert keys == [key for key, _name in STANDARD_ACTIVITIES]
    assert "9 standard activities added" in first.content.decode()
    assert "already has every standard activity" in second.content.decode()


def test_a_deleted_standard_activity_comes_back_alone(project, editor):
    raci_add_standard_activities(project=project)
    project.raci_activities.get(standard_key="uat").delete()

    client_for(editor).post(STANDARD_URL)

    assert project.raci_activities.count() == 9
    assert project.raci_activities.filter(standard_key="uat").count() == 1


def test_standard_activities_show_nine_activities_needing_attention(project, editor):
    client = client_for(editor)
    client.post(STANDARD_URL)

    content = client.get(RACI_URL).content.decode()

    assert "9 activities need attention" in content


# --- Saving the matrix -----------------------------------------------------------------------


def test_the_edit_page_shows_a_select_per_cell_with_the_stored_letter(project, editor, matrix):
    response = client_for(editor).get(EDIT_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form[cell(matrix["cutover"], matrix["owner"])].value() == "A"
    assert form[cell(matrix["training"], matrix["owner"])].value() == ""
    content = response.content.decode()
    assert f'name="{cell(matrix["cutover"], matrix["editor"])}"' in content
    assert delete_url(matrix["cutover"]) in content


def test_saving_changes_only_the_posted_cells(project, editor, matrix):
    before = letters_of(project)
    training, cutover = matrix["training"], matrix["cutover"]

    response = client_for(editor).post(
        EDIT_URL,
        {cell(training, matrix["owner"]): "A", cell(cutover, matrix["tester"]): ""},
        follow=True,
    )

    after = letters_of(project)
    assert after[(training.pk, matrix["owner"].pk)] == "A"
    assert (cutover.pk, matrix["tester"].pk) not in after
    untouched = {k: v for k, v in before.items() if k != (cutover.pk, matrix["tester"].pk)}
    assert {k: after[k] for k in untouched} == untouched
    assert response.redirect_chain[-1][0] == RACI_URL
    content = response.content.decode()
    assert "2 cells changed." in content
    assert "Every activity has one A and at least one R" in content


def test_a_resubmitted_page_changes_nothing(project, editor, matrix):
    client = client_for(editor)
    form = client.get(EDIT_URL).context["form"]
    data = {name: form[name].value() for name in form.fields}

    response = client.post(EDIT_URL, data, follow=True)

    assert "Nothing changed." in response.content.decode()


def test_cells_someone_else_changed_meanwhile_are_kept(project, editor, owner, matrix):
    client = client_for(editor)
    form = client.get(EDIT_URL).context["form"]
    data = {name: form[name].value() for name in form.fields}
    raci_save(project=project, cells={(matrix["training"].pk, matrix["owner"].pk): "A"})  # someone else, meanwhile
    data[cell(matrix["cutover"], matrix["tester"])] = "C"  # what this user changed

    client.post(EDIT_URL, data)

    after = letters_of(project)
    assert after[(matrix["training"].pk, matrix["owner"].pk)] == "A"
    assert after[(matrix["cutover"].pk, matrix["tester"].pk)] == "C"


def test_a_letter_that_is_not_raci_is_refused_and_nothing_is_saved(project, editor, matrix):
    before = letters_of(project)

    response = client_for(editor).post(
        EDIT_URL,
        {cell(matrix["training"], matrix["owner"]): "A", cell(matrix["cutover"], matrix["tester"]): "X"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved." in content
    assert "“X” is not one of R, A, C, I." in content
    assert "is-invalid" in content
    assert letters_of(project) == before


@pytest.mark.parametrize("foreign", ["activity", "member"])
def test_an_activity_or_member_of_another_project_is_refused_and_nothing_is_saved(project, editor, matrix, foreign):
    other = ProjectFactory(code="OTHER")
    other_activity = raci_activity_add(project=other, name="Their cutover")
    other_member = MembershipFactory(project=other)
    before = letters_of(project)
    stranger = (
        cell(other_activity, matrix["owner"]) if foreign == "activity" else cell(matrix["training"], other_member)
    )

    response = client_for(editor).post(EDIT_URL, {cell(matrix["training"], matrix["owner"]): "A", stranger: "R"})

    assert response.status_code == 200
    assert "not in this project&#x27;s matrix" in response.content.decode()
    assert letters_of(project) == before
    assert not RaciAssignment.objects.filter(activity=other_activity).exists()


# --- Adding and deleting activities ----------------------------------------------------------


def test_an_editor_adds_an_activity_at_the_end(project, editor, matrix):
    response = client_for(editor).post(ADD_URL, {"name": "  Store roll-out "}, follow=True)

    assert response.redirect_chain[-1][0] == EDIT_URL
    names = list(project.raci_activities.order_by("order").values_list("name", flat=True))
    assert names == ["Cutover", "Training", "Store roll-out"]
    assert "Activity “Store roll-out” added." in response.content.decode()


def test_an_activity_without_a_name_is_refused_next_to_the_field(project, editor, matrix):
    response = client_for(editor).post(ADD_URL, {"name": "   "})

    assert response.status_code == 200
    assert response.context["activity_form"].errors["name"]
    assert "invalid-feedback" in response.content.decode()
    assert project.raci_activities.count() == 2


def test_deleting_an_activity_asks_first_then_removes_it_with_its_letters(project, editor, matrix):
    client = client_for(editor)
    cutover = matrix["cutover"]

    confirm = client.get(delete_url(cutover))
    response = client.post(delete_url(cutover), follow=True)

    assert "Cutover" in confirm.content.decode()
    assert "Its 3 letters go with it." in confirm.content.decode()
    assert response.redirect_chain[-1][0] == EDIT_URL
    assert not project.raci_activities.filter(pk=cutover.pk).exists()
    assert not RaciAssignment.objects.filter(activity_id=cutover.pk).exists()
    assert project.raci_activities.filter(pk=matrix["training"].pk).exists()


def test_another_projects_activity_cannot_be_deleted_from_here(project, editor):
    other_activity = raci_activity_add(project=ProjectFactory(code="OTHER"), name="Theirs")

    response = client_for(editor).post(delete_url(other_activity))

    assert response.status_code == 404
    assert RaciActivity.objects.filter(pk=other_activity.pk).exists()


# --- Who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "tester"])
def test_members_who_may_not_edit_see_the_matrix_but_get_403_on_every_change(project, team, matrix, role):
    client = client_for(team[role])
    before = letters_of(project)

    assert client.get(RACI_URL).status_code == 200
    assert EDIT_URL not in client.get(RACI_URL).content.decode()
    assert client.get(EDIT_URL).status_code == 403
    assert client.post(EDIT_URL, {cell(matrix["training"], matrix["owner"]): "A"}).status_code == 403
    assert client.post(STANDARD_URL).status_code == 403
    assert client.post(ADD_URL, {"name": "Sneaky"}).status_code == 403
    assert client.get(delete_url(matrix["cutover"])).status_code == 403
    assert client.post(delete_url(matrix["cutover"])).status_code == 403
    assert letters_of(project) == before
    assert project.raci_activities.count() == 2


def test_an_outsider_gets_404_everywhere(project, outsider, matrix):
    client = client_for(outsider)

    assert client.get(RACI_URL).status_code == 404
    assert client.get(EDIT_URL).status_code == 404
    assert client.post(STANDARD_URL).status_code == 404
    assert client.post(ADD_URL, {"name": "Sneaky"}).status_code == 404
    assert client.post(delete_url(matrix["cutover"])).status_code == 404
    assert project.raci_activities.count() == 2


def test_the_standard_and_add_actions_accept_only_post(project, editor):
    client = client_for(editor)

    assert client.get(STANDARD_URL).status_code == 405
    assert client.get(ADD_URL).status_code == 405
    assert not project.raci_activities.exists()


# --- Query counts ----------------------------------------------------------------------------


def test_the_raci_pages_cost_the_same_queries_however_big_the_matrix(project, owner):
    client = client_for(owner)

    def grow(n: int) -> None:
        for _ in range(n):
            activity = raci_activity_add(project=project, name="Store roll-out")
            newcomer = MembershipFactory(project=project, department=Membership.Department.SALES)
            raci_save(project=project, cells={(activity.pk, newcomer.pk): "R"})

    grow(2)
    small = (queries_for(client, RACI_URL), queries_for(client, EDIT_URL))
    grow(6)
    large = (queries_for(client, RACI_URL), queries_for(client, EDIT_URL))

    assert large == small == (6, 6)
