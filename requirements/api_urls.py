"""Requirements, baselines and the vendor comparison under /api/v1/projects/{code}/ (namespace api-requirements)."""

from django.urls import path

from requirements import api, api_selection

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
    # The vendor comparison.
    path("projects/<slug:project_code>/vendors/", api_selection.VendorViewSet.as_view(LIST), name="vendor-list"),
    path(
        "projects/<slug:project_code>/vendors/<int:vendor_id>/",
        api_selection.VendorViewSet.as_view(DETAIL),
        name="vendor-detail",
    ),
    path("projects/<slug:project_code>/offers/", api_selection.OfferViewSet.as_view(LIST), name="offer-list"),
    path(
        "projects/<slug:project_code>/offers/<int:offer_id>/",
        api_selection.OfferViewSet.as_view(DETAIL),
        name="offer-detail",
    ),
    path(
        "projects/<slug:project_code>/offers/<int:offer_id>/cost-lines/",
        api_selection.CostLineViewSet.as_view(LIST),
        name="cost-line-list",
    ),
    path(
        "projects/<slug:project_code>/offers/<int:offer_id>/cost-lines/<int:line_id>/",
        api_selection.CostLineViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="cost-line-detail",
    ),
    path("projects/<slug:project_code>/criteria/", api_selection.CriterionViewSet.as_view(LIST), name="criterion-list"),
    path(
        "projects/<slug:project_code>/criteria/<int:criterion_id>/",
        api_selection.CriterionViewSet.as_view(DETAIL),
        name="criterion-detail",
    ),
    # POST sets the requester's own score (upsert); scores are never deleted, a submitted sheet is fixed.
    path("projects/<slug:project_code>/scores/", api_selection.ScoreViewSet.as_view(LIST), name="score-list"),
    path(
        "projects/<slug:project_code>/scores/submit/",
        api_selection.ScoreSubmitViewSet.as_view({"post": "submit"}),
        name="score-submit",
    ),
    # POST sets the fit of an offer and a requirement (upsert).
    path("projects/<slug:project_code>/fits/", api_selection.FitViewSet.as_view(LIST), name="fit-list"),
    path(
        "projects/<slug:project_code>/fits/<int:fit_id>/",
        api_selection.FitViewSet.as_view(DETAIL),
        name="fit-detail",
    ),
    path(
        "projects/<slug:project_code>/comparison/",
        api_selection.ComparisonViewSet.as_view({"get": "comparison"}),
        name="comparison",
    ),
]
