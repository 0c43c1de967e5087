from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

SESSION_LANGUAGE_KEY = "ui_language"


class UserLanguageMiddleware:
    """Use the language a signed-in user chose (kept in the session, copied from the profile at login).

    Runs after LocaleMiddleware, which has already picked the cookie or browser language for
    anonymous visitors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(SESSION_LANGUAGE_KEY) if hasattr(request, "session") else None
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
