"""UAT pages under p/<code>/uat/: cases, runs (checklists), execution on a phone, defects, coverage, reports."""

from django.urls import include, path

from testing.views import cases, coverage, defects, execute, reports, runs

app_name = "testing"

case_urls = [
    path("", cases.CaseListView.as_view(), name="case-list"),
    path("new/", cases.CaseCreateView.as_view(), name="case-create"),
    path("templates/", cases.CaseTemplatesView.as_view(), name="case-templates"),
    path("<str:case_key>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("<str:case_key>/edit/", cases.CaseEditView.as_view(), name="case-edit"),
    path("<str:case_key>/delete/", cases.CaseDeleteView.as_view(), name="case-delete"),
    path("<str:case_key>/history/", cases.CaseHistoryView.as_view(), name="case-history"),
    path("<str:case_key>/suspect/clear/", cases.CaseSuspectClearView.as_view(), name="case-suspect-clear"),
]

run_case_urls = [
    path("", execute.ExecuteView.as_view(), name="execute"),
    path("steps/<int:step_order>/", execute.StepRecordView.as_view(), name="step-record"),
    path("evidence/", execute.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("retest/", execute.RetestView.as_view(), name="retest"),
    path("assign/", runs.RunCaseAssignView.as_view(), name="run-case-assign"),
    path("remove/", runs.RunCaseRemoveView.as_view(), name="run-case-remove"),
]

run_urls = [
    path("new/", runs.RunCreateView.as_view(), name="run-create"),
    path("<int:run_id>/", runs.RunDetailView.as_view(), name="run-detail"),
    path("<int:run_id>/edit/", runs.RunEditView.as_view(), name="run-edit"),
    path("<int:run_id>/cases/", runs.RunCasesView.as_view(), name="run-cases"),
    path("<int:run_id>/start/", runs.RunStartView.as_view(), name="run-start"),
    path("<int:run_id>/complete/", runs.RunCompleteView.as_view(), name="run-complete"),
    path("<int:run_id>/sign/", runs.RunSignView.as_view(), name="run-sign"),
    path("<int:run_id>/history/", runs.RunHistoryView.as_view(), name="run-history"),
    path("<int:run_id>/checklist.pdf", reports.ChecklistPdfView.as_view(), name="run-checklist"),
    path("<int:run_id>/report.pdf", reports.RunReportPdfView.as_view(), name="run-report"),
    path("<int:run_id>/results.xlsx", reports.RunResultsXlsxView.as_view(), name="run-export"),
    path("<int:run_id>/cases/<int:run_case_id>/", include(run_case_urls)),
]

defect_urls = [
    path("", defects.DefectListView.as_view(), name="defect-list"),
    path("new/", defects.DefectCreateView.as_view(), name="defect-create"),
    path("<str:defect_key>/", defects.DefectDetailView.as_view(), name="defect-detail"),
    path("<str:defect_key>/edit/", defects.DefectEditView.as_view(), name="defect-edit"),
    path("<str:defect_key>/history/", defects.DefectHistoryView.as_view(), name="defect-history"),
]

urlpatterns = [
    path("p/<slug:project_code>/uat/", runs.RunListView.as_view(), name="run-list"),
    path("p/<slug:project_code>/uat/queue/", execute.QueueView.as_view(), name="queue"),
    path("p/<slug:project_code>/uat/coverage/", coverage.CoverageView.as_view(), name="coverage"),
    path("p/<slug:project_code>/uat/evidence/<int:evidence_id>/", execute.EvidenceFileView.as_view(), name="evidence"),
    path("p/<slug:project_code>/uat/cases/", include(case_urls)),
    path("p/<slug:project_code>/uat/runs/", include(run_urls)),
    path("p/<slug:project_code>/uat/defects/", include(defect_urls)),
]
