"""The admin is a window onto requirements and their audit trail, for staff; nothing here writes.

Requirements change in the pages, where keys, versions, the review workflow and suspect links apply.
Signed baselines never change anywhere, and status changes and suspect links are a record of what
happened, so every model here is read-only, history included.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from requirements.models import Baseline, BaselineItem, Requirement, SuspectFlag, Transition


class ReadOnlyMixin:
    """No add, change or delete for anyone, superusers included, and no bulk actions."""

    actions = None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["key", "title", "project", "status"]
    list_filter = ["status", "layer", "priority", "category"]
    list_select_related = ["project"]
    search_fields = ["key", "title", "statement", "project__code"]
    readonly_fields = ["key", "status", "version"]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # simple-history's "revert" saves an old version on POST without asking for change permission.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class BaselineItemInline(ReadOnlyMixin, admin.TabularInline):
    model = BaselineItem
    fields = ["key", "version", "title", "layer", "priority", "status", "history_id"]
    readonly_fields = fields
    ordering = ["requirement__number"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "project", "signed_by", "signed_at", "requirement_count"]
    list_filter = ["project"]
    list_select_related = ["project", "signed_by"]
    search_fields = ["name", "description", "project__code"]
    inlines = [BaselineItemInline]


@admin.register(BaselineItem)
class BaselineItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["key", "version", "title", "status", "baseline"]
    list_filter = ["status", "layer", "priority"]
    list_select_related = ["baseline"]
    search_fields = ["key", "title", "baseline__name"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["requirement", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    list_select_related = ["requirement", "by"]
    search_fields = ["requirement__key", "requirement__title", "comment"]


@admin.register(SuspectFlag)
class SuspectFlagAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["upstream", "content_type", "object_id", "reason", "flagged_at", "cleared_at"]
    list_filter = ["content_type"]
    list_select_related = ["upstream", "content_type"]
    search_fields = ["upstream__key", "reason"]
