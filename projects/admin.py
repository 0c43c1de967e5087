from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import Membership, Profile, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "phase", "target_go_live"]
    list_filter = ["phase"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["project", "user", "role", "department"]
    list_filter = ["role", "department"]
    list_select_related = ["project", "user"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
