"""API building blocks shared by every app: pagination, project-scoped permission, locking."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from workbench.access import resolve_membership
from workbench.errors import BusinessRuleError
from workbench.locking import StaleVersionError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ProjectPermission(BasePermission):
    """Resolves `project_code` from the URL like the pages do: 404 for non-members, 403 for too low a role.

    A view declares `read_capability` (default "view") and `write_capability` (default "edit").
    The membership and project are left on the view as `view.membership` and `view.project`.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        code = view.kwargs.get("project_code")
        if code is None:
            return True
        if request.method in SAFE_METHODS:
            needed = getattr(view, "read_capability", "view")
        else:
            needed = getattr(view, "write_capability", "edit")
        membership = resolve_membership(request.user, code, needed)
        view.membership = membership
        view.project = membership.project
        return True


class ProjectScopedMixin:
    """Base of viewsets under projects/{code}/: checks access and hands the project to serializers."""

    permission_classes = [ProjectPermission]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["project"] = getattr(self, "project", None)
        return context


class VersionedSerializerMixin(serializers.Serializer):
    """Requires the `version` the client read on update and refuses a stale one with 409 Conflict."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The version you read. Required on update; a stale version gets 409 Conflict."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("Send the version you read to update this record.")})
        return attrs


@contextmanager
def service_errors(field: str | None = None) -> Iterator[None]:
    """Turn a service's refusal into an API error: stale version → 409, anything else → 400.

    `field` names the field a BusinessRuleError belongs to; without it the message is a non-field error.
    """
    try:
        yield
    except StaleVersionError as exc:
        raise Conflict(str(exc)) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()
            }
            raise ValidationError(detail) from exc
        raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages}) from exc
    except BusinessRuleError as exc:
        raise ValidationError({field or api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from exc


__all__ = [
    "Conflict",
    "service_errors",
    "Pagination",
    "ProjectPermission",
    "ProjectScopedMixin",
    "VersionedSerializerMixin",
]
