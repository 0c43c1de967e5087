"""The project pages as a signed-in user sees them: list, create, overview, settings, history, sections."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from projects.models import Membership, Project
from projects.navigation import SECTIONS_BY_SLUG
from tests.conftest import client_for
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

LIST_URL = reverse("projects:project-list")
CREATE_URL = reverse("projects:project-create")


def settings_url(code: str = "ACME") -> str:
    return reverse("projects:project-settings", kwargs={"project_code": code})


def overview_url(code: str = "ACME") -> str:
    return reverse("projects:project-overview", kwargs={"project_code": code})


def history_url(code: str = "ACME") -> str:
    return reverse("projects:project-history", kwargs={"project_code": code})


def settings_data(project: Project, **overrides) -> dict:
    data = {
        "code": project.code,
        "name": project.name,
        "legacy_system": project.legacy_system,
        "target_go_live": project.target_go_live.isoformat() if project.target_go_live else "",
        "phase": project.phase,
        "description": project.description,
        "version": project.version,
    }
    data.update(overrides)
    return data


def field_errors(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- Project list ---------------------------------------------------------------------------


def test_the_project_list_shows_only_the_users_projects(owner, outsider):
    ProjectFactory(code="SECRET", name="Nobody invited you")

    response = client_for(owner).get(LIST_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "ACME inventory upgrade" in content
    assert "Someone else&#x27;s upgrade" not in content
    assert "Nobody invited you" not in content
    assert [p.code for p in response.context["projects"]] == ["ACME"]


def test_the_project_list_shows_the_users_role(owner, editor, viewer):
    response = client_for(viewer).get(LIST_URL)

    (listed,) = response.context["projects"]
    assert listed.my_role == "viewer"
    assert "<td>Viewer</td>" in response.content.decode()


def test_the_project_list_counts_the_whole_team(owner, editor, viewer):
    response = client_for(viewer).get(LIST_URL)

    (listed,) = response.context["projects"]
    assert listed.member_count == 3


def test_a_user_without_projects_sees_the_empty_state(db):
    loner = UserFactory(username="loner")
    ProjectFactory(code="ELSEWHERE")

    response = client_for(loner).get(LIST_URL)

    assert response.status_code == 200
    assert "You are not on any upgrade project yet" in response.content.decode()
    assert "ELSEWHERE" not in response.content.decode()


def test_the_project_list_needs_a_login(db):
    from django.test import Client

    response = Client().get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Creating a project ----------------------------------------------------------------------


def test_creating_a_project_makes_the_creator_owner_and_opens_its_overview(db):
    creator = UserFactory(username="creator")

    response = client_for(creator).post(
        CREATE_URL,
        {"code": "retail-2027", "name": "Retail upgrade", "phase": "preparation", "target_go_live": ""},
    )

    project = Project.objects.get(code="RETAIL-2027")
    assert response.status_code == 302
    assert response["Location"] == overview_url("RETAIL-2027")
    membership = Membership.objects.get(project=project)
    assert membership.user == creator
    assert membership.role == Membership.Role.OWNER


def test_the_creator_is_told_they_own_the_new_project(db):
    creator = UserFactory(username="creator")

    response = client_for(creator).post(
        CREATE_URL, {"code": "RETAIL-2027", "name": "Retail upgrade", "phase": "preparation"}, follow=True
    )

    assert "Project RETAIL-2027 created. You are its owner." in response.content.decode()


def test_a_too_short_code_is_refused_next_to_the_field_and_nothing_is_created(db):
    creator = UserFactory(username="creator")

    response = client_for(creator).post(CREATE_URL, {"code": "x", "name": "Tiny", "phase": "preparation"})

    assert response.status_code == 200
    assert any("capital letters" in e for e in field_errors(response, "code"))
    assert 'id="error_1_id_code"' in response.content.decode()
    assert not Project.objects.exists()
    assert not Membership.objects.exists()


def test_a_code_with_a_space_is_refused_and_nothing_is_created(db):
    creator = UserFactory(username="creator")

    response = client_for(creator).post(CREATE_URL, {"code": "has space", "name": "Spacey", "phase": "preparation"})

    assert response.status_code == 200
    assert any("capital letters" in e for e in field_errors(response, "code"))
    assert not Project.objects.filter(name="Spacey").exists()


def test_a_code_already_taken_is_refused_even_in_lower_case(owner):
    response = client_for(owner).post(CREATE_URL, {"code": "acme", "name": "Copy", "phase": "preparation"})

    assert response.status_code == 200
    assert field_errors(response, "code")
    assert Project.objects.count() == 1


# --- Overview --------------------------------------------------------------------------------


def test_the_overview_shows_phase_days_to_go_live_and_team_by_department(project, team):
    project.phase = Project.Phase.IMPLEMENTATION
    project.target_go_live = timezone.localdate() + timedelta(days=10)
    project.save()

    response = client_for(team["viewer"]).get(overview_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r'data-testid="phase">\s*Implementation\s*<', content)
    assert re.search(r'data-testid="days-to-go-live">\s*in 10 days\s*<', content)
    assert response.context["departments"] == [
        ("Management", 1),
        ("IT", 1),
        ("Finance", 1),
        ("Warehouse", 1),
        ("Vendor", 1),
    ]
    team_card = content[content.index("Team by department") :]
    assert re.search(r"<span>Warehouse</span><strong>1</strong>", team_card)
    assert "5 people" in content


def test_the_overview_counts_each_department_once(project, owner, editor, viewer):
    response = client_for(owner).get(overview_url())

    assert dict(response.context["departments"]) == {"Management": 1, "IT": 1, "Finance": 1}
    assert response.context["team_size"] == 3


def test_the_overview_says_how_long_ago_go_live_was(project, owner):
    project.target_go_live = timezone.localdate() - timedelta(days=3)
    project.save()

    content = client_for(owner).get(overview_url()).content.decode()

    assert re.search(r'data-testid="days-to-go-live">\s*3 days ago\s*<', content)


def test_the_overview_renders_the_description_as_safe_markdown(project, owner):
    project.description = "We replace **the old system**.\n\n<script>alert(1)</script>"
    project.save()

    content = client_for(owner).get(overview_url()).content.decode()

    assert "<strong>the old system</strong>" in content
    assert "<script>alert(1)" not in content


def test_only_managers_see_the_settings_button(project, owner, viewer):
    assert settings_url() in client_for(owner).get(overview_url()).content.decode()
    assert settings_url() not in client_for(viewer).get(overview_url()).content.decode()


def test_an_outsider_gets_404_for_the_overview(project, outsider):
    assert client_for(outsider).get(overview_url()).status_code == 404


# --- Settings --------------------------------------------------------------------------------


def test_the_owner_saves_settings_and_the_version_goes_up(project, owner):
    project.refresh_from_db()
    before = project.version

    response = client_for(owner).post(
        settings_url(), settings_data(project, name="ACME warehouse upgrade", phase="selection")
    )

    assert response.status_code == 302
    assert response["Location"] == overview_url()
    project.refresh_from_db()
    assert project.name == "ACME warehouse upgrade"
    assert project.phase == "selection"
    assert project.version == before + 1


def test_saved_settings_are_confirmed(project, owner):
    project.refresh_from_db()

    response = client_for(owner).post(settings_url(), settings_data(project, name="Renamed"), follow=True)

    assert "Project settings saved." in response.content.decode()


def test_a_stale_version_is_refused_and_nothing_is_overwritten(project, owner):
    other_owner = UserFactory(username="grace", first_name="Grace", last_name="Hopper")
    MembershipFactory(project=project, user=other_owner, role=Membership.Role.OWNER)
    project.refresh_from_db()
    opened = settings_data(project)  # what the first owner's form was built from

    # Grace saves first, through the page.
    client_for(other_owner).post(settings_url(), settings_data(project, name="Grace's name"))
    project.refresh_from_db()
    assert project.name == "Grace's name"
    version_after_grace = project.version

    response = client_for(owner).post(settings_url(), {**opened, "name": "My late name"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Your changes were not saved" in content
    assert "Grace Hopper changed this record" in content
    # What the user typed is still in the form so they can copy it.
    assert response.context["form"]["name"].value() == "My late name"
    assert 'value="My late name"' in content
    project.refresh_from_db()
    assert project.name == "Grace's name"
    assert project.version == version_after_grace


def test_settings_without_a_version_are_refused(project, owner):
    project.refresh_from_db()
    data = settings_data(project, name="No version")
    del data["version"]

    response = client_for(owner).post(settings_url(), data)

    assert response.status_code == 200
    assert field_errors(response, "version")
    project.refresh_from_db()
    assert project.name == "ACME inventory upgrade"


def test_a_viewer_gets_403_on_settings(project, viewer):
    client = client_for(viewer)
    project.refresh_from_db()

    assert client.get(settings_url()).status_code == 403
    assert client.post(settings_url(), settings_data(project, name="Hijacked")).status_code == 403
    project.refresh_from_db()
    assert project.name == "ACME inventory upgrade"


def test_an_editor_gets_403_on_settings(project, editor):
    assert client_for(editor).get(settings_url()).status_code == 403


def test_an_outsider_gets_404_on_settings(project, outsider):
    assert client_for(outsider).get(settings_url()).status_code == 404


# --- History ---------------------------------------------------------------------------------


def test_the_history_page_shows_who_changed_the_name(project, owner):
    owner.first_name, owner.last_name = "Ada", "Lovelace"
    owner.save()
    project.refresh_from_db()
    client = client_for(owner)
    client.post(settings_url(), settings_data(project, name="ACME warehouse upgrade"))

    content = client.get(history_url()).content.decode()

    assert "Ada Lovelace" in content
    assert "<dt>Name</dt>" in content
    assert "<del>ACME inventory upgrade</del> → <ins>ACME warehouse upgrade</ins>" in content


def test_the_history_page_shows_members_added_through_the_team_page(project, owner):
    UserFactory(username="newbie")
    client = client_for(owner)
    client.post(
        reverse("projects:member-add", kwargs={"project_code": "ACME"}),
        {"username": "newbie", "role": "tester", "department": "warehouse", "responsibility": ""},
    )

    response = client.get(history_url())

    content = response.content.decode()
    assert "member added" in content
    assert "newbie · Tester" in content
    added = [e for e in response.context["page_obj"] if e.object_label == "newbie · Tester"]
    assert added and added[0].action == "+"
    assert added[0].user == owner


def test_a_viewer_may_read_the_history_but_an_outsider_may_not(project, viewer, outsider):
    assert client_for(viewer).get(history_url()).status_code == 200
    assert client_for(outsider).get(history_url()).status_code == 404


# --- Sections not built yet ------------------------------------------------------------------


def test_a_section_not_built_yet_says_so(project, viewer, monkeypatch):
    """Every section is built now; one whose app is not installed would still say so instead of inventing data."""
    monkeypatch.setattr(SECTIONS_BY_SLUG["sla"], "url_name", None)
    url = reverse("projects:section", kwargs={"project_code": "ACME", "section": "sla"})

    response = client_for(viewer).get(url)

    assert response.status_code == 200
    assert "This section is not built yet" in response.content.decode()


def test_an_unknown_section_is_404(project, owner):
    url = reverse("projects:section", kwargs={"project_code": "ACME", "section": "no-such-thing"})

    assert client_for(owner).get(url).status_code == 404


def test_the_old_address_of_a_built_section_leads_to_its_page(project, owner):
    url = reverse("projects:section", kwargs={"project_code": "ACME", "section": "sla"})

    response = client_for(owner).get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("projects:incident-list", kwargs={"project_code": "ACME"})


def test_an_outsider_gets_404_for_a_section(project, outsider):
    url = reverse("projects:section", kwargs={"project_code": "ACME", "section": "goals"})

    assert client_for(outsider).get(url).status_code == 404


def test_a_refused_save_keeps_the_page_about_the_stored_project(project, owner):
    project.refresh_from_db()
    stale = settings_data(project, version=project.version)
    client = client_for(owner)
    client.post(settings_url(), settings_data(project, legacy_system="Someone else's edit"))

    response = client.post(settings_url(), {**stale, "code": "NEWCODE", "name": "Typed name"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "/p/NEWCODE/" not in content
    assert overview_url() in content
    assert response.context["project"].name == "ACME inventory upgrade"


def test_a_built_section_shows_no_placeholder_any_more(project, viewer):
    url = reverse("projects:section", kwargs={"project_code": "ACME", "section": "goals"})

    response = client_for(viewer).get(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("projects:goal-list", kwargs={"project_code": "ACME"})
    assert "This section is not built yet" not in response.content.decode()
