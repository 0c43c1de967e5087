from django.urls import include, path

from projects.views import data_loads, data_objects, drivers, goals, processes, project, raci, team

app_name = "projects"

team_urls = [
    path("", team.TeamView.as_view(), name="team"),
    path("add/", team.MemberAddView.as_view(), name="member-add"),
    path("<int:membership_id>/edit/", team.MemberEditView.as_view(), name="member-edit"),
    path("<int:membership_id>/remove/", team.MemberRemoveView.as_view(), name="member-remove"),
]

goal_urls = [
    path("", goals.GoalListView.as_view(), name="goal-list"),
    path("new/", goals.GoalCreateView.as_view(), name="goal-create"),
    path("<int:goal_id>/", goals.GoalDetailView.as_view(), name="goal-detail"),
    path("<int:goal_id>/edit/", goals.GoalEditView.as_view(), name="goal-edit"),
    path("<int:goal_id>/delete/", goals.GoalDeleteView.as_view(), name="goal-delete"),
    path("<int:goal_id>/kpis/new/", goals.KPICreateView.as_view(), name="kpi-create"),
    path("<int:goal_id>/kpis/library/", goals.KPILibraryView.as_view(), name="kpi-library"),
]

kpi_urls = [
    path("<int:kpi_id>/", goals.KPIDetailView.as_view(), name="kpi-detail"),
    path("<int:kpi_id>/edit/", goals.KPIEditView.as_view(), name="kpi-edit"),
    path("<int:kpi_id>/delete/", goals.KPIDeleteView.as_view(), name="kpi-delete"),
    path("<int:kpi_id>/chart.svg", goals.KPIChartView.as_view(), name="kpi-chart"),
    path("<int:kpi_id>/measurements/new/", goals.MeasurementCreateView.as_view(), name="measurement-create"),
    path("<int:kpi_id>/measurements/import/", goals.MeasurementImportView.as_view(), name="measurement-import"),
    path(
        "<int:kpi_id>/measurements/<int:measurement_id>/edit/",
        goals.MeasurementEditView.as_view(),
        name="measurement-edit",
    ),
    path(
        "<int:kpi_id>/measurements/<int:measurement_id>/delete/",
        goals.MeasurementDeleteView.as_view(),
        name="measurement-delete",
    ),
]

driver_urls = [
    path("", drivers.DriverListView.as_view(), name="driver-list"),
    path("new/", drivers.DriverCreateView.as_view(), name="driver-create"),
    path("<int:driver_id>/", drivers.DriverDetailView.as_view(), name="driver-detail"),
    path("<int:driver_id>/edit/", drivers.DriverEditView.as_view(), name="driver-edit"),
    path("<int:driver_id>/delete/", drivers.DriverDeleteView.as_view(), name="driver-delete"),
]

raci_urls = [
    path("", raci.RaciView.as_view(), name="raci"),
    path("edit/", raci.RaciEditView.as_view(), name="raci-edit"),
    path("standard/", raci.RaciStandardView.as_view(), name="raci-standard"),
    path("activities/new/", raci.RaciActivityAddView.as_view(), name="raci-activity-add"),
    path("activities/<int:activity_id>/delete/", raci.RaciActivityDeleteView.as_view(), name="raci-activity-delete"),
]

process_urls = [
    path("", processes.ProcessListView.as_view(), name="process-list"),
    path("new/", processes.ProcessCreateView.as_view(), name="process-create"),
    path("templates/", processes.ProcessTemplatesView.as_view(), name="process-templates"),
    path("<int:process_id>/", processes.ProcessDetailView.as_view(), name="process-detail"),
    path("<int:process_id>/edit/", processes.ProcessEditView.as_view(), name="process-edit"),
    path("<int:process_id>/delete/", processes.ProcessDeleteView.as_view(), name="process-delete"),
    path("<int:process_id>/diagram.svg", processes.ProcessDiagramView.as_view(), name="process-diagram"),
    path("<int:process_id>/derive/", processes.ProcessDeriveView.as_view(), name="process-derive"),
    path("<int:process_id>/compare/", processes.ProcessCompareView.as_view(), name="process-compare"),
    path("<int:process_id>/steps/new/", processes.StepCreateView.as_view(), name="step-create"),
]

step_urls = [
    path("<int:step_id>/edit/", processes.StepEditView.as_view(), name="step-edit"),
    path("<int:step_id>/delete/", processes.StepDeleteView.as_view(), name="step-delete"),
    path("<int:step_id>/move/", processes.StepMoveView.as_view(), name="step-move"),
    path("<int:step_id>/findings/new/", processes.FindingCreateView.as_view(), name="finding-create"),
]

finding_urls = [
    path("", processes.FindingListView.as_view(), name="finding-list"),
    path("<int:finding_id>/", processes.FindingDetailView.as_view(), name="finding-detail"),
    path("<int:finding_id>/edit/", processes.FindingEditView.as_view(), name="finding-edit"),
    path("<int:finding_id>/delete/", processes.FindingDeleteView.as_view(), name="finding-delete"),
]

data_urls = [
    path("", data_objects.DataObjectListView.as_view(), name="data-object-list"),
    path("objects/new/", data_objects.DataObjectCreateView.as_view(), name="data-object-create"),
    path("objects/<int:object_id>/", data_objects.DataObjectDetailView.as_view(), name="data-object-detail"),
    path("objects/<int:object_id>/edit/", data_objects.DataObjectEditView.as_view(), name="data-object-edit"),
    path("objects/<int:object_id>/delete/", data_objects.DataObjectDeleteView.as_view(), name="data-object-delete"),
    path("objects/<int:object_id>/history/", data_objects.DataObjectHistoryView.as_view(), name="data-object-history"),
    path("objects/<int:object_id>/checks/new/", data_objects.CheckCreateView.as_view(), name="check-create"),
    path("objects/<int:object_id>/rules/new/", data_objects.RuleCreateView.as_view(), name="rule-create"),
    path("objects/<int:object_id>/profiles/new/", data_objects.ProfileUploadView.as_view(), name="profile-upload"),
    path("checks/<int:check_id>/edit/", data_objects.CheckEditView.as_view(), name="check-edit"),
    path("checks/<int:check_id>/delete/", data_objects.CheckDeleteView.as_view(), name="check-delete"),
    path("rules/<int:rule_id>/edit/", data_objects.RuleEditView.as_view(), name="rule-edit"),
    path("rules/<int:rule_id>/delete/", data_objects.RuleDeleteView.as_view(), name="rule-delete"),
    path("profiles/<int:profile_id>/", data_objects.ProfileDetailView.as_view(), name="profile-detail"),
    path("waves/", data_objects.WavePlanView.as_view(), name="wave-plan"),
    path("waves/<int:wave_id>/edit/", data_objects.WaveEditView.as_view(), name="wave-edit"),
    path("waves/<int:wave_id>/delete/", data_objects.WaveDeleteView.as_view(), name="wave-delete"),
    path("loads/", data_loads.LoadListView.as_view(), name="load-list"),
    path("loads/new/", data_loads.LoadCreateView.as_view(), name="load-create"),
    path("loads/<int:load_id>/", data_loads.LoadDetailView.as_view(), name="load-detail"),
    path("loads/<int:load_id>/edit/", data_loads.LoadEditView.as_view(), name="load-edit"),
    path(
        "loads/<int:load_id>/objects/<int:object_id>/",
        data_loads.ReconciliationView.as_view(),
        name="reconciliation",
    ),
    path(
        "loads/<int:load_id>/objects/<int:object_id>/measures/<int:measure_id>/delete/",
        data_loads.MeasureDeleteView.as_view(),
        name="measure-delete",
    ),
    path(
        "loads/<int:load_id>/objects/<int:object_id>/exceptions/<int:exception_id>/edit/",
        data_loads.ExceptionEditView.as_view(),
        name="exception-edit",
    ),
    path(
        "loads/<int:load_id>/objects/<int:object_id>/sign/",
        data_loads.ReconciliationSignView.as_view(),
        name="reconciliation-sign",
    ),
    path(
        "loads/<int:load_id>/objects/<int:object_id>/extracts/",
        data_loads.ReconcileExtractsView.as_view(),
        name="reconcile-extracts",
    ),
]

project_urls = [
    path("", project.ProjectOverviewView.as_view(), name="project-overview"),
    path("settings/", project.ProjectSettingsView.as_view(), name="project-settings"),
    path("history/", project.ProjectHistoryView.as_view(), name="project-history"),
    path("team/", include(team_urls)),
    path("goals/", include(goal_urls)),
    path("kpis/", include(kpi_urls)),
    path("drivers/", include(driver_urls)),
    path("raci/", include(raci_urls)),
    path("processes/", include(process_urls)),
    path("steps/", include(step_urls)),
    path("findings/", include(finding_urls)),
    path("data/", include(data_urls)),
    path("s/<slug:section>/", project.SectionPlaceholderView.as_view(), name="section"),
]

urlpatterns = [
    path("", project.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", project.ProjectCreateView.as_view(), name="project-create"),
    path("p/<slug:project_code>/", include(project_urls)),
]
