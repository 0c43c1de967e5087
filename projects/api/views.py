from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from projects import selectors, services
from projects.api.serializers import MemberSerializer, ProjectSerializer
from projects.models import Membership, Project
from workbench.api import Conflict, ProjectPermission, ProjectScopedMixin
from workbench.locking import StaleVersionError


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects the caller belongs to. Anyone may create one and becomes its owner."""

    serializer_class = ProjectSerializer
    queryset = Project.objects.none()  # for the schema; get_queryset scopes to the caller
    permission_classes = [ProjectPermission]
    lookup_field = "code"
    lookup_url_kwarg = "project_code"
    write_capability = "manage"
    filterset_fields = ["phase"]

    def get_queryset(self):
        return selectors.project_list(user=self.request.user)

    def perform_create(self, serializer: serializers.Serializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        try:
            project = services.project_create(creator=self.request.user, **data)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer: serializers.Serializer) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version")
        project = Project.objects.get(pk=serializer.instance.pk)
        try:
            services.project_update(project=project, expected_version=expected, **data)
        except StaleVersionError as exc:
            raise Conflict(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        serializer.instance = selectors.project_list(user=self.request.user).get(pk=project.pk)


class MemberViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """The team of one project. Reading needs membership; changes need the owner role."""

    serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # for the schema; get_queryset scopes to the project
    write_capability = "manage"
    lookup_url_kwarg = "membership_id"
    filterset_fields = ["role", "department"]

    def get_queryset(self):
        return selectors.team_list(project=self.project)

    def perform_create(self, serializer: MemberSerializer) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.membership_add(
                project=self.project,
                user=data["user"],
                role=data.get("role", Membership.Role.VIEWER),
                department=data.get("department", Membership.Department.MANAGEMENT),
                responsibility=data.get("responsibility", ""),
            )
        except services.ProjectError as exc:
            raise ValidationError({"username": [str(exc)]}) from exc

    @transaction.atomic
    def perform_update(self, serializer: MemberSerializer) -> None:
        member = serializer.instance
        data = serializer.validated_data
        try:
            services.membership_update(
                membership=Membership.objects.get(pk=member.pk),
                role=data.get("role", member.role),
                department=data.get("department", member.department),
                responsibility=data.get("responsibility", member.responsibility),
            )
        except services.ProjectError as exc:
            raise ValidationError({"role": [str(exc)]}) from exc
        serializer.instance = self.get_queryset().get(pk=member.pk)

    def perform_destroy(self, instance: Membership) -> None:
        try:
            services.membership_remove(membership=instance)
        except services.ProjectError as exc:
            raise ValidationError([str(exc)]) from exc
