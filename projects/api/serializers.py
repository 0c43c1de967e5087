from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import Membership, Project
from workbench.api import VersionedSerializerMixin

User = get_user_model()


class ProjectSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "description",
            "legacy_system",
            "target_go_live",
            "phase",
            "version",
            "my_role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_my_role(self, project: Project) -> str | None:
        return getattr(project, "my_role", None)

    def to_internal_value(self, data):
        # Codes are stored in capitals; accept "retail-2027" as the page does.
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            data = {**data, "code": data["code"].strip().upper()}
        return super().to_internal_value(data)

    def to_representation(self, instance: Project) -> dict:
        data = super().to_representation(instance)
        data["version"] = instance.version
        return data


class UsernameField(serializers.SlugRelatedField):
    """A user by user name, ignoring case as the team page does."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            match = self.get_queryset().filter(username__iexact=data.strip()).first()
            if match is not None:
                return match
        return super().to_internal_value(data)


class MemberSerializer(serializers.ModelSerializer):
    username = UsernameField(
        source="user",
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text=_("User name of an existing account."),
    )
    name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "username", "name", "role", "department", "responsibility"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["username"].read_only = True

    def get_name(self, membership: Membership) -> str:
        return membership.user.get_full_name()
