from django.urls import include, path

from projects.views import (
    benefits,
    cutover,
    cutover_exports,
    cutover_runs,
    data_loads,
    data_objects,
    drivers,
    goals,
    gonogo,
    incidents,
    processes,
    project,
    raci,
    sla_reports,
    sla_setup,
    team,
    training,
)

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

golive_urls = [
    # The cutover plan and its phases (projects/views/cutover.py)
    path("", cutover.CutoverPlanView.as_view(), name="cutover-plan"),
    path("edit/", cutover.CutoverPlanEditView.as_view(), name="cutover-plan-edit"),
    path("history/", cutover.CutoverPlanHistoryView.as_view(), name="cutover-plan-history"),
    path("phases/new/", cutover.PhaseCreateView.as_view(), name="phase-create"),
    path("phases/<int:phase_id>/edit/", cutover.PhaseEditView.as_view(), name="phase-edit"),
    path("phases/<int:phase_id>/delete/", cutover.PhaseDeleteView.as_view(), name="phase-delete"),
    # The runbook (projects/views/cutover.py)
    path("runbook/", cutover.RunbookView.as_view(), name="runbook"),
    path("runbook/gantt.svg", cutover_exports.RunbookGanttView.as_view(), name="runbook-gantt"),
    path("runbook/dependencies.svg", cutover_exports.RunbookDependenciesView.as_view(), name="runbook-dependencies"),
    path("runbook/template/", cutover.RunbookTemplateView.as_view(), name="runbook-template"),
    path("runbook/import/", cutover.RunbookImportView.as_view(), name="runbook-import"),
    path("runbook/runbook.csv", cutover.RunbookCsvView.as_view(), name="runbook-csv"),
    path("runbook/runbook.ics", cutover_exports.RunbookIcsView.as_view(), name="runbook-ics"),
    path("runbook/runbook.pdf", cutover_exports.RunbookPdfView.as_view(), name="runbook-pdf"),
    path("runbook/tasks/new/", cutover.TaskCreateView.as_view(), name="task-create"),
    path("runbook/tasks/<int:task_number>/", cutover.TaskDetailView.as_view(), name="task-detail"),
    path("runbook/tasks/<int:task_number>/edit/", cutover.TaskEditView.as_view(), name="task-edit"),
    path("runbook/tasks/<int:task_number>/delete/", cutover.TaskDeleteView.as_view(), name="task-delete"),
    # Rehearsals and the live run (projects/views/cutover_runs.py)
    path("runs/", cutover_runs.RunListView.as_view(), name="cutover-run-list"),
    path("runs/new/", cutover_runs.RunCreateView.as_view(), name="cutover-run-create"),
    path("runs/durations/", cutover_runs.DurationsView.as_view(), name="cutover-durations"),
    path("runs/<int:cutover_run_id>/", cutover_runs.RunDashboardView.as_view(), name="cutover-run"),
    path("runs/<int:cutover_run_id>/edit/", cutover_runs.RunEditView.as_view(), name="cutover-run-edit"),
    path("runs/<int:cutover_run_id>/gantt.svg", cutover_runs.RunGanttView.as_view(), name="cutover-run-gantt"),
    path("runs/<int:cutover_run_id>/start/", cutover_runs.RunStartView.as_view(), name="cutover-run-start"),
    path("runs/<int:cutover_run_id>/finish/", cutover_runs.RunFinishView.as_view(), name="cutover-run-finish"),
    path("runs/<int:cutover_run_id>/abort/", cutover_runs.RunAbortView.as_view(), name="cutover-run-abort"),
    path(
        "runs/<int:cutover_run_id>/tasks/<int:task_number>/",
        cutover_runs.TaskRunView.as_view(),
        name="cutover-task-run",
    ),
    # Training (projects/views/training.py)
    path("training/", training.TrainingView.as_view(), name="training"),
    path("training/new/", training.TrainingPlanCreateView.as_view(), name="training-plan-create"),
    path("training/<int:training_plan_id>/", training.TrainingPlanDetailView.as_view(), name="training-plan"),
    path("training/<int:training_plan_id>/edit/", training.TrainingPlanEditView.as_view(), name="training-plan-edit"),
    path(
        "training/<int:training_plan_id>/delete/",
        training.TrainingPlanDeleteView.as_view(),
        name="training-plan-delete",
    ),
    path(
        "training/<int:training_plan_id>/sessions/new/",
        training.SessionCreateView.as_view(),
        name="training-session-create",
    ),
    path("training/sessions/<int:session_id>/", training.SessionDetailView.as_view(), name="training-session"),
    path("training/sessions/<int:session_id>/edit/", training.SessionEditView.as_view(), name="training-session-edit"),
    path(
        "training/sessions/<int:session_id>/delete/",
        training.SessionDeleteView.as_view(),
        name="training-session-delete",
    ),
    path(
        "training/sessions/<int:session_id>/materials/new/",
        training.MaterialCreateView.as_view(),
        name="training-material-create",
    ),
    path("training/materials/<int:material_id>/", training.MaterialView.as_view(), name="training-material"),
    path(
        "training/materials/<int:material_id>/delete/",
        training.MaterialDeleteView.as_view(),
        name="training-material-delete",
    ),
    # Go/no-go (projects/views/gonogo.py)
    path("go-no-go/", gonogo.GoNoGoView.as_view(), name="go-no-go"),
    path("go-no-go/criteria/new/", gonogo.CriterionCreateView.as_view(), name="go-criterion-create"),
    path("go-no-go/criteria/standard/", gonogo.StandardCriteriaView.as_view(), name="go-criteria-standard"),
    path(
        "go-no-go/criteria/<int:go_criterion_id>/edit/",
        gonogo.CriterionEditView.as_view(),
        name="go-criterion-edit",
    ),
    path(
        "go-no-go/criteria/<int:go_criterion_id>/delete/",
        gonogo.CriterionDeleteView.as_view(),
        name="go-criterion-delete",
    ),
    path("go-no-go/sign/", gonogo.DecisionSignView.as_view(), name="go-no-go-sign"),
    path("go-no-go/readiness.pdf", gonogo.ReadinessPdfView.as_view(), name="readiness-pdf"),
]

sla_urls = [
    # Incidents and their SLA clocks (projects/views/incidents.py)
    path("", incidents.IncidentListView.as_view(), name="incident-list"),
    path("incidents/new/", incidents.IncidentCreateView.as_view(), name="incident-create"),
    path("incidents/import/", incidents.IncidentImportView.as_view(), name="incident-import"),
    path("incidents/incidents.csv", incidents.IncidentCsvView.as_view(), name="incident-csv"),
    path("incidents/<int:incident_number>/", incidents.IncidentDetailView.as_view(), name="incident-detail"),
    path("incidents/<int:incident_number>/edit/", incidents.IncidentEditView.as_view(), name="incident-edit"),
    path("incidents/<int:incident_number>/move/", incidents.IncidentMoveView.as_view(), name="incident-move"),
    # Service levels and business calendars (projects/views/sla_setup.py)
    path("levels/", sla_setup.ServiceLevelListView.as_view(), name="service-level-list"),
    path("levels/new/", sla_setup.ServiceLevelCreateView.as_view(), name="service-level-create"),
    path("levels/<int:service_level_id>/edit/", sla_setup.ServiceLevelEditView.as_view(), name="service-level-edit"),
    path(
        "levels/<int:service_level_id>/delete/",
        sla_setup.ServiceLevelDeleteView.as_view(),
        name="service-level-delete",
    ),
    path("calendars/", sla_setup.CalendarListView.as_view(), name="calendar-list"),
    path("calendars/new/", sla_setup.CalendarCreateView.as_view(), name="calendar-create"),
    path("calendars/<int:calendar_id>/", sla_setup.CalendarDetailView.as_view(), name="calendar-detail"),
    path("calendars/<int:calendar_id>/edit/", sla_setup.CalendarEditView.as_view(), name="calendar-edit"),
    path("calendars/<int:calendar_id>/delete/", sla_setup.CalendarDeleteView.as_view(), name="calendar-delete"),
    path(
        "calendars/<int:calendar_id>/days/new/", sla_setup.CalendarDayCreateView.as_view(), name="calendar-day-create"
    ),
    path(
        "calendars/days/<int:calendar_day_id>/delete/",
        sla_setup.CalendarDayDeleteView.as_view(),
        name="calendar-day-delete",
    ),
    # Compliance, the SLA report and hypercare (projects/views/sla_reports.py); benefits (projects/views/benefits.py)
    path("compliance/", sla_reports.ComplianceView.as_view(), name="sla-compliance"),
    path("compliance/sla-report.pdf", sla_reports.SlaReportPdfView.as_view(), name="sla-report-pdf"),
    path("hypercare/", sla_reports.HypercareView.as_view(), name="hypercare"),
    path("benefits/", benefits.BenefitsView.as_view(), name="benefits"),
    path("benefits/benefits-report.pdf", benefits.BenefitsPdfView.as_view(), name="benefits-pdf"),
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
    path("golive/", include(golive_urls)),
    path("sla/", include(sla_urls)),
    path("s/<slug:section>/", project.SectionPlaceholderView.as_view(), name="section"),
]

urlpatterns = [
    path("", project.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", project.ProjectCreateView.as_view(), name="project-create"),
    path("p/<slug:project_code>/", include(project_urls)),
]
