"""UAT under /api/v1/projects/{code}/ (namespace api-testing): cases, runs, executions, defects."""

from django.urls import path

from testing import api

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
RUN = "projects/<slug:project_code>/runs/<int:run_id>/"

app_name = "api-testing"

urlpatterns = [
    path("projects/<slug:project_code>/uat-cases/", api.UATCaseViewSet.as_view(LIST), name="case-list"),
    path(
        "projects/<slug:project_code>/uat-cases/<str:case_key>/",
        api.UATCaseViewSet.as_view(DETAIL),
        name="case-detail",
    ),
    path("projects/<slug:project_code>/runs/", api.TestRunViewSet.as_view(LIST), name="run-list"),
    # A run is never deleted; its status changes only by start and complete.
    path(RUN, api.TestRunViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="run-detail"),
    path(f"{RUN}start/", api.TestRunViewSet.as_view({"post": "start"}), name="run-start"),
    path(f"{RUN}complete/", api.TestRunViewSet.as_view({"post": "complete"}), name="run-complete"),
    path(f"{RUN}cases/", api.TestRunViewSet.as_view({"post": "add_cases"}), name="run-cases"),
    # POST records one step of a case; the result follows from the steps.
    path(f"{RUN}executions/", api.ExecutionViewSet.as_view(LIST), name="execution-list"),
    path(
        f"{RUN}executions/<int:run_case_id>/",
        api.ExecutionViewSet.as_view({"get": "retrieve"}),
        name="execution-detail",
    ),
    path(
        f"{RUN}executions/<int:run_case_id>/retest/",
        api.ExecutionViewSet.as_view({"post": "retest"}),
        name="execution-retest",
    ),
    # Defects are never deleted (405): they are closed or rejected.
    path("projects/<slug:project_code>/defects/", api.DefectViewSet.as_view(LIST), name="defect-list"),
    path(
        "projects/<slug:project_code>/defects/<str:defect_key>/",
        api.DefectViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="defect-detail",
    ),
]
