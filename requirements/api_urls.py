"""Requirements and baselines under /api/v1/projects/{code}/ (namespace api-requirements)."""

from django.urls import path

from requirements import api

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}

app_name = "api-requirements"

urlpatterns = [
    path(
        "projects/<slug:project_code>/requirements/",
        api.RequirementViewSet.as_view(LIST),
        name="requirement-list",
    ),
    path(
        "projects/<slug:project_code>/requirements/<str:key>/",
        api.RequirementViewSet.as_view(DETAIL),
        name="requirement-detail",
    ),
    path(
        "projects/<slug:project_code>/requirements/<str:key>/transition/",
        api.RequirementTransitionViewSet.as_view({"post": "transition"}),
        name="requirement-transition",
    ),
    path("projects/<slug:project_code>/baselines/", api.BaselineViewSet.as_view(LIST), name="baseline-list"),
    path(
        "projects/<slug:project_code>/baselines/compare/",
        api.BaselineCompareViewSet.as_view({"get": "compare"}),
        name="baseline-compare",
    ),
    # Signed baselines are immutable: no update, no delete (405).
    path(
        "projects/<slug:project_code>/baselines/<int:baseline_id>/",
        api.BaselineViewSet.as_view({"get": "retrieve"}),
        name="baseline-detail",
    ),
]
