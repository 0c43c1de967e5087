from django.urls import path

from projects.api import goals, views

project_list = views.ProjectViewSet.as_view({"get": "list", "post": "create"})
project_detail = views.ProjectViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"})
member_list = views.MemberViewSet.as_view({"get": "list", "post": "create"})
member_detail = views.MemberViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}

app_name = "api-projects"

urlpatterns = [
    path("projects/", project_list, name="project-list"),
    path("projects/<slug:project_code>/", project_detail, name="project-detail"),
    path("projects/<slug:project_code>/members/", member_list, name="member-list"),
    path("projects/<slug:project_code>/members/<int:membership_id>/", member_detail, name="member-detail"),
    path("projects/<slug:project_code>/drivers/", goals.DriverViewSet.as_view(LIST), name="driver-list"),
    path(
        "projects/<slug:project_code>/drivers/<int:driver_id>/",
        goals.DriverViewSet.as_view(DETAIL),
        name="driver-detail",
    ),
    path("projects/<slug:project_code>/goals/", goals.GoalViewSet.as_view(LIST), name="goal-list"),
    path("projects/<slug:project_code>/goals/<int:goal_id>/", goals.GoalViewSet.as_view(DETAIL), name="goal-detail"),
    path("projects/<slug:project_code>/kpis/", goals.KPIViewSet.as_view(LIST), name="kpi-list"),
    path("projects/<slug:project_code>/kpis/<int:kpi_id>/", goals.KPIViewSet.as_view(DETAIL), name="kpi-detail"),
    path(
        "projects/<slug:project_code>/kpis/<int:kpi_id>/measurements/",
        goals.MeasurementViewSet.as_view(LIST),
        name="measurement-list",
    ),
    path(
        "projects/<slug:project_code>/kpis/<int:kpi_id>/measurements/<int:measurement_id>/",
        goals.MeasurementViewSet.as_view(DETAIL),
        name="measurement-detail",
    ),
]
