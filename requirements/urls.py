from django.urls import include, path

from requirements.views import baselines, catalogue, interchange, publish, reqif, requirements

app_name = "requirements"

requirement_urls = [
    path("", requirements.RequirementListView.as_view(), name="requirement-list"),
    path("new/", requirements.RequirementCreateView.as_view(), name="requirement-create"),
    path("bulk/", requirements.RequirementBulkView.as_view(), name="requirement-bulk"),
    path("catalogue/", catalogue.CatalogueView.as_view(), name="requirement-catalogue"),
    path("export/", interchange.RequirementExportView.as_view(), name="requirement-export"),
    path("import/", interchange.ImportUploadView.as_view(), name="requirement-import"),
    path("import/<int:import_id>/", interchange.ImportPreviewView.as_view(), name="requirement-import-preview"),
    path("reqif/export/", reqif.ReqIFExportView.as_view(), name="requirement-reqif-export"),
    path("reqif/import/", reqif.ReqIFImportView.as_view(), name="requirement-reqif-import"),
    path("specification/", publish.SpecificationView.as_view(), name="requirement-specification"),
    path("specification/<int:job_id>/", publish.SpecificationJobView.as_view(), name="requirement-specification-job"),
    path(
        "specification/<int:job_id>/download/",
        publish.SpecificationDownloadView.as_view(),
        name="requirement-specification-download",
    ),
    path("<str:key>/", requirements.RequirementDetailView.as_view(), name="requirement-detail"),
    path("<str:key>/edit/", requirements.RequirementEditView.as_view(), name="requirement-edit"),
    path("<str:key>/delete/", requirements.RequirementDeleteView.as_view(), name="requirement-delete"),
    path("<str:key>/transition/", requirements.RequirementTransitionView.as_view(), name="requirement-transition"),
    path("<str:key>/comment/", requirements.RequirementCommentView.as_view(), name="requirement-comment"),
    path("<str:key>/history/", requirements.RequirementHistoryView.as_view(), name="requirement-history"),
    path(
        "<str:key>/suspect/clear/",
        requirements.RequirementSuspectClearView.as_view(),
        name="requirement-suspect-clear",
    ),
]

baseline_urls = [
    path("", baselines.BaselineListView.as_view(), name="baseline-list"),
    path("new/", baselines.BaselineCreateView.as_view(), name="baseline-create"),
    path("compare/", baselines.BaselineCompareView.as_view(), name="baseline-compare"),
    path("<int:baseline_id>/", baselines.BaselineDetailView.as_view(), name="baseline-detail"),
]

urlpatterns = [
    path("p/<slug:project_code>/requirements/", include(requirement_urls)),
    path("p/<slug:project_code>/baselines/", include(baseline_urls)),
]
