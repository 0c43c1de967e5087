from django.urls import include, path

from requirements.views import (
    baselines,
    catalogue,
    comparison,
    criteria,
    demos,
    fitgap,
    interchange,
    portal,
    publish,
    reqif,
    requirements,
    vendors,
)

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

vendor_urls = [
    path("", vendors.VendorListView.as_view(), name="vendor-list"),
    path("new/", vendors.VendorCreateView.as_view(), name="vendor-create"),
    path("<int:vendor_id>/", vendors.VendorDetailView.as_view(), name="vendor-detail"),
    path("<int:vendor_id>/edit/", vendors.VendorEditView.as_view(), name="vendor-edit"),
    path("<int:vendor_id>/delete/", vendors.VendorDeleteView.as_view(), name="vendor-delete"),
    path("<int:vendor_id>/offers/new/", vendors.OfferCreateView.as_view(), name="offer-create"),
]

offer_urls = [
    path("", vendors.OfferDetailView.as_view(), name="offer-detail"),
    path("edit/", vendors.OfferEditView.as_view(), name="offer-edit"),
    path("delete/", vendors.OfferDeleteView.as_view(), name="offer-delete"),
    path("quotes/new/", vendors.QuoteLineCreateView.as_view(), name="quote-create"),
    path("quotes/<int:line_id>/edit/", vendors.QuoteLineEditView.as_view(), name="quote-edit"),
    path("quotes/<int:line_id>/delete/", vendors.QuoteLineDeleteView.as_view(), name="quote-delete"),
    path("knockouts/", vendors.KnockOutCheckView.as_view(), name="offer-knockouts"),
    path("fit/", fitgap.OfferFitView.as_view(), name="offer-fit"),
    path("score/", criteria.ScoreSheetView.as_view(), name="offer-score"),
    path("score/submit/", criteria.ScoreSubmitView.as_view(), name="offer-score-submit"),
    path("agreed/", criteria.AgreedScoreView.as_view(), name="offer-agreed"),
]

selection_urls = [
    path("", comparison.ComparisonView.as_view(), name="comparison"),
    path("report/", comparison.ComparisonReportView.as_view(), name="comparison-report"),
    path("settings/", vendors.SelectionSettingsView.as_view(), name="selection-settings"),
    path("criteria/", criteria.CriterionListView.as_view(), name="criterion-list"),
    path("criteria/ahp/", criteria.AhpView.as_view(), name="criterion-ahp"),
    path("criteria/<int:criterion_id>/edit/", criteria.CriterionEditView.as_view(), name="criterion-edit"),
    path("criteria/<int:criterion_id>/delete/", criteria.CriterionDeleteView.as_view(), name="criterion-delete"),
    path("knockouts/", vendors.KnockOutListView.as_view(), name="knockout-list"),
    path("knockouts/<int:knockout_id>/edit/", vendors.KnockOutEditView.as_view(), name="knockout-edit"),
    path("knockouts/<int:knockout_id>/delete/", vendors.KnockOutDeleteView.as_view(), name="knockout-delete"),
    path("fit-gap/", fitgap.FitMatrixView.as_view(), name="fit-matrix"),
    path("demos/", demos.DemoListView.as_view(), name="demo-list"),
    path("demos/scenarios/<int:scenario_id>/edit/", demos.ScenarioEditView.as_view(), name="scenario-edit"),
    path("demos/scenarios/<int:scenario_id>/delete/", demos.ScenarioDeleteView.as_view(), name="scenario-delete"),
    path("demos/<int:demo_id>/", demos.DemoDetailView.as_view(), name="demo-detail"),
    path("demos/<int:demo_id>/edit/", demos.DemoEditView.as_view(), name="demo-edit"),
    path("demos/<int:demo_id>/delete/", demos.DemoDeleteView.as_view(), name="demo-delete"),
]

portal_urls = [
    path("", portal.PortalHomeView.as_view(), name="portal"),
    path("<int:offer_id>/", portal.PortalOfferView.as_view(), name="portal-offer"),
    path("<int:offer_id>/quotes/", portal.PortalQuoteView.as_view(), name="portal-quotes"),
    path(
        "<int:offer_id>/quotes/<int:line_id>/delete/",
        portal.PortalQuoteDeleteView.as_view(),
        name="portal-quote-delete",
    ),
]

urlpatterns = [
    path("p/<slug:project_code>/requirements/", include(requirement_urls)),
    path("p/<slug:project_code>/baselines/", include(baseline_urls)),
    path("p/<slug:project_code>/vendors/", include(vendor_urls)),
    path("p/<slug:project_code>/offers/<int:offer_id>/", include(offer_urls)),
    path("p/<slug:project_code>/selection/", include(selection_urls)),
    path("p/<slug:project_code>/portal/", include(portal_urls)),
]
