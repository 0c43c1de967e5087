from django.db import transaction
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from projects import selectors, services
from projects.api.serializers import MemberSerializer, ProjectSerializer
from projects.models import Membership, Project
from workbench.api import ProjectPermission, ProjectScopedMixin, service_errors


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
        # A vendor consultant's access is the vendor portal (pages); the API shows them no project data.
        return selectors.project_list(user=self.request.user).exclude(my_role=Membership.Role.VENDOR)

    def perform_create(self, serializer: serializers.Serializer) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        with service_errors():
            project = services.project_create(creator=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer: serializers.Serializer) -> None:
        data = dict(serializer.validated_data)
        expected = data.pop("version")
        project = Project.objects.get(pk=serializer.instance.pk)
        with service_errors():
            services.project_update(project=project, expected_version=expected, **data)
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
        with service_errors("username"):
            serializer.instance = services.membership_add(
                project=self.project,
                user=data["user"],
                role=data.get("role", Membership.Role.VIEWER),
                department=data.get("department", Membership.Department.MANAGEMENT),
                responsibility=data.get("responsibility", ""),
            )

    @transaction.atomic
    def perform_update(self, serializer: MemberSerializer) -> None:
        member = serializer.instance
        data = serializer.validated_data
        with service_errors("role"):
            services.membership_update(
                membership=Membership.objects.get(pk=member.pk),
                role=data.get("role", member.role),
                department=data.get("department", member.department),
                responsibility=data.get("responsibility", member.responsibility),
            )
        serializer.instance = self.get_queryset().get(pk=member.pk)

    def perform_destroy(self, instance: Membership) -> None:
        # A plain list, not {"non_field_errors": …}: the shape clients of this endpoint already read.
        try:
            services.membership_remove(membership=instance)
        except services.ProjectError as exc:
            raise ValidationError([str(exc)]) from exc
