"""Account pages and the language switch: not tied to any project."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from projects.forms import LanguageForm
from projects.navigation import optional_url
from projects.services import profile_set_language
from workbench.middleware import SESSION_LANGUAGE_KEY


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("projects:project-list")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie, and on the profile when signed in."""
    form = LanguageForm(request.POST)
    target = _safe_next(request, request.POST.get("next"))
    if not form.is_valid():
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(target)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        profile_set_language(user=request.user, language=language)
        request.session[SESSION_LANGUAGE_KEY] = language
    translation.activate(language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


class AccountSettingsView(LoginRequiredMixin, TemplateView):
    template_name = "account/settings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["token"] = Token.objects.filter(user=self.request.user).first()
        context["language_form"] = LanguageForm(
            initial={"language": translation.get_language(), "next": reverse("account-settings")}
        )
        return context


@login_required
@require_POST
def token_regenerate(request: HttpRequest) -> HttpResponse:
    """Create (or replace) the user's API token; the old one stops working at once."""
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, _("A new API token was created. The previous one no longer works."))
    return HttpResponseRedirect(reverse("account-settings"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page. A member who may only answer for a vendor (a vendor consultant) is shown the way to the
    vendor portal of the project they tried to open, instead of a dead end."""
    from django.template.response import TemplateResponse
    from django.urls import resolve

    from projects.models import Membership

    portal_url = None
    match = None
    try:
        match = resolve(request.path_info)
    except Exception:  # noqa: BLE001 - a 403 page never fails on a strange path
        match = None
    code = match.kwargs.get("project_code") if match else None
    if code and request.user.is_authenticated:
        membership = Membership.objects.filter(user=request.user, project__code=code).first()
        if membership is not None and membership.can("respond") and not membership.can("view"):
            portal_url = optional_url("requirements:portal", project_code=code)
    return TemplateResponse(request, "403.html", {"portal_url": portal_url}, status=403)
