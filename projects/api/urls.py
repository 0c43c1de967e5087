from django.urls import path

from projects.api import views

project_list = views.ProjectViewSet.as_view({"get": "list", "post": "create"})
project_detail = views.ProjectViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"})
member_list = views.MemberViewSet.as_view({"get": "list", "post": "create"})
member_detail = views.MemberViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

app_name = "api-projects"

urlpatterns = [
    path("projects/", project_list, name="project-list"),
    path("projects/<slug:project_code>/", project_detail, name="project-detail"),
    path("projects/<slug:project_code>/members/", member_list, name="member-list"),
    path("projects/<slug:project_code>/members/<int:membership_id>/", member_detail, name="member-detail"),
]
