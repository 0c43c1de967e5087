"""Two editors change the same requirement at once, in two real browsers: the second save is refused, nothing lost."""

import pytest

from requirements import services
from requirements.models import Requirement
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e


def signed_in(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_the_second_of_two_editors_is_refused_and_keeps_what_they_typed(live_server, browser, project, editor):
    colleague = UserFactory(username="colleague", first_name="Li", last_name="Wei")
    MembershipFactory(project=project, user=colleague, role="editor")
    requirement = services.requirement_create(
        project=project, title="Real-time stock", statement="Stock is updated within a second."
    )
    edit_url = f"{live_server.url}/p/{project.code}/requirements/{requirement.key}/edit/"
    first_context, first = signed_in(browser, live_server, editor.username)
    second_context, second = signed_in(browser, live_server, colleague.username)
    try:
        first.goto(edit_url)
        second.goto(edit_url)

        first.fill("#id_statement", "Stock is updated within two seconds.")
        first.get_by_role("button", name="Save requirement").click()
        first.wait_for_url(f"**/requirements/{requirement.key}/")
        assert first.get_by_text(f"{requirement.key} saved.").is_visible()

        second.fill("#id_statement", "Stock is updated at once, on every device.")
        second.fill("#id_source", "Warehouse workshop")
        second.get_by_role("button", name="Save requirement").click()
        second.wait_for_load_state()

        assert second.url == edit_url
        assert second.get_by_text("Your changes were not saved").is_visible()
        conflict = second.get_by_test_id("conflict")
        assert conflict.is_visible()
        assert "version 1 → 2" in conflict.inner_text()
        change = conflict.locator("[data-testid=conflict-change][data-field=statement]")
        assert change.get_attribute("data-outcome") == "kept"
        assert change.locator("del").all_inner_texts() == ["a", "second."]
        assert change.locator("ins").all_inner_texts() == ["two", "seconds."]
        assert second.input_value("#id_statement") == "Stock is updated at once, on every device."
        assert second.input_value("#id_source") == "Warehouse workshop"

        stored = Requirement.objects.get(pk=requirement.pk)
        assert (stored.statement, stored.source, stored.version) == ("Stock is updated within two seconds.", "", 2)
    finally:
        first_context.close()
        second_context.close()
