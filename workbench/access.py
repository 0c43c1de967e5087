"""Project-scoped access for pages: one mixin for class-based views, one decorator for functions.

Non-members get 404, so nothing reveals that a project exists; members whose role lacks the
capability a view declares get 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from projects.models import Membership
from projects.navigation import navigation


def resolve_membership(user: Any, project_code: str, capability: str) -> Membership:
    """The user's membership of the project with this code; Http404 if none, PermissionDenied if too weak."""
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("project").filter(project__code=project_code, user=user).first()
    if membership is None:
        raise Http404
    if not membership.can(capability):
        raise PermissionDenied
    return membership


def project_context(membership: Membership, section: str = "") -> dict[str, Any]:
    """What every project page's template needs: the project, navigation and permission flags."""
    return {
        "project": membership.project,
        "nav_sections": navigation(membership.project.code, section),
        "section": section,
        "membership": membership,
        "can_execute": membership.can("execute"),
        "can_edit": membership.can("edit"),
        "can_manage": membership.can("manage"),
    }


class ProjectAccessMixin(LoginRequiredMixin):
    """Base of every view under p/<project_code>/; set `required_capability` on the view.

    A page that anyone may read but only some may post to also sets `write_capability`, which then
    applies to every method but GET, HEAD and OPTIONS.
    """

    required_capability: str = "view"
    write_capability: str | None = None
    section: str = ""  # the navigation entry to highlight

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        needed = self.required_capability
        if self.write_capability and request.method not in ("GET", "HEAD", "OPTIONS"):
            needed = self.write_capability
        self.membership = resolve_membership(request.user, kwargs["project_code"], needed)
        self.project = self.membership.project
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(project_context(self.membership, self.section))
        return context


def project_view(capability: str) -> Callable:
    """Decorator for function views under p/<project_code>/: sets request.project and request.membership."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, project_code: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.membership = resolve_membership(request.user, project_code, capability)
            request.project = request.membership.project
            return view(request, project_code, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


def is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx (a partial page is wanted), not from a plain link or form."""
    return request.headers.get("HX-Request") == "true"
