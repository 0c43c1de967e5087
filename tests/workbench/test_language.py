"""The language switch: remembered on the profile and brought back on the next sign-in."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from projects.models import Profile
from tests.conftest import client_for
from tests.factories import PASSWORD

SETLANG = reverse("set-language")
LIST_URL = reverse("projects:project-list")


@pytest.fixture(autouse=True)
def _back_to_english():
    """The switch activates the language on the test thread; do not leak it into other tests."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def page_language(response) -> str:
    return response.wsgi_request.LANGUAGE_CODE


def stored_language(user) -> str | None:
    return Profile.objects.filter(user=user).values_list("language", flat=True).first()


def test_choosing_chinese_is_stored_on_the_profile(owner):
    response = client_for(owner).post(SETLANG, {"language": "zh-hans", "next": LIST_URL})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert stored_language(owner) == "zh-hans"


def test_after_choosing_chinese_the_pages_are_in_chinese(owner):
    client = client_for(owner)
    client.post(SETLANG, {"language": "zh-hans", "next": LIST_URL})

    response = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert page_language(response) == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_django_messages_follow_the_chosen_language(owner):
    client = client_for(owner)
    client.post(SETLANG, {"language": "zh-hans"})

    response = client.post(reverse("projects:project-create"), {"code": "", "name": "", "phase": "preparation"})

    # Django ships Chinese for its own messages, so a required-field error shows the switch worked.
    with translation.override("zh-hans"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert required in response.content.decode()
    assert "This field is required." not in response.content.decode()


def test_switching_back_to_english_works(owner):
    client = client_for(owner)
    client.post(SETLANG, {"language": "zh-hans"})
    client.post(SETLANG, {"language": "en"})

    response = client.get(LIST_URL)

    assert page_language(response) == "en"
    assert stored_language(owner) == "en"


def test_the_language_comes_back_from_the_profile_on_a_fresh_sign_in(owner):
    first_device = client_for(owner)
    first_device.post(SETLANG, {"language": "zh-hans"})
    first_device.post(reverse("logout"))

    second_device = Client(HTTP_ACCEPT_LANGUAGE="en")
    login = second_device.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert login.status_code == 302
    response = second_device.get(LIST_URL)

    assert django_settings.LANGUAGE_COOKIE_NAME not in second_device.cookies
    assert response.status_code == 200
    assert page_language(response) == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_logging_back_in_on_the_same_device_keeps_the_language(owner):
    client = client_for(owner)
    client.post(SETLANG, {"language": "zh-hans"})
    client.post(reverse("logout"))
    client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME, None)

    client.post(reverse("login"), {"username": "owner", "password": PASSWORD})

    assert page_language(client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")) == "zh-hans"


def test_someone_who_never_chose_gets_their_browser_language(owner):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("login"))

    assert page_language(response) == "en"
    assert stored_language(owner) in (None, "")


def test_an_unavailable_language_is_refused_and_nothing_changes(owner):
    client = client_for(owner)

    response = client.post(SETLANG, {"language": "xx-evil", "next": LIST_URL}, follow=True)

    assert "That language is not available." in response.content.decode()
    assert stored_language(owner) in (None, "")
    assert django_settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert page_language(response) == "en"


def test_an_unavailable_language_keeps_a_previous_choice(owner):
    client = client_for(owner)
    client.post(SETLANG, {"language": "zh-hans"})

    client.post(SETLANG, {"language": "fr"})

    assert stored_language(owner) == "zh-hans"
    assert page_language(client.get(LIST_URL)) == "zh-hans"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/phish", "//evil.example/phish", "http://evil.example", "javascript:alert(1)"],
)
def test_next_pointing_elsewhere_is_not_followed(owner, target):
    response = client_for(owner).post(SETLANG, {"language": "zh-hans", "next": target})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert stored_language(owner) == "zh-hans"


def test_next_pointing_elsewhere_is_not_followed_even_when_the_language_is_refused(owner):
    response = client_for(owner).post(SETLANG, {"language": "xx", "next": "https://evil.example/"})

    assert response["Location"] == LIST_URL


def test_next_on_this_site_is_followed(owner, project):
    target = reverse("projects:team", kwargs={"project_code": "ACME"})

    response = client_for(owner).post(SETLANG, {"language": "en", "next": target})

    assert response["Location"] == target


def test_an_anonymous_visitor_switches_with_a_cookie_only(db):
    client = Client()

    response = client.post(SETLANG, {"language": "zh-hans"})

    assert response.status_code == 302
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert not Profile.objects.exists()
    assert page_language(client.get(reverse("login"))) == "zh-hans"


def test_the_switch_only_accepts_post(owner):
    response = client_for(owner).get(SETLANG, {"language": "zh-hans"})

    assert response.status_code == 405
    assert stored_language(owner) in (None, "")
