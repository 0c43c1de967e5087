from django.urls import path

from projects.api import goals, golive, migration, processes, sla, views

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
    path("projects/<slug:project_code>/processes/", processes.ProcessViewSet.as_view(LIST), name="process-list"),
    path(
        "projects/<slug:project_code>/processes/from-template/",
        processes.ProcessViewSet.as_view({"post": "from_template"}),
        name="process-from-template",
    ),
    path(
        "projects/<slug:project_code>/processes/<int:process_id>/",
        processes.ProcessViewSet.as_view(DETAIL),
        name="process-detail",
    ),
    path(
        "projects/<slug:project_code>/processes/<int:process_id>/derive/",
        processes.ProcessViewSet.as_view({"post": "derive"}),
        name="process-derive",
    ),
    path(
        "projects/<slug:project_code>/processes/<int:process_id>/compare/",
        processes.ProcessCompareViewSet.as_view({"get": "retrieve"}),
        name="process-compare",
    ),
    path(
        "projects/<slug:project_code>/processes/<int:process_id>/steps/",
        processes.StepViewSet.as_view(LIST),
        name="step-list",
    ),
    path(
        "projects/<slug:project_code>/processes/<int:process_id>/steps/<int:step_id>/",
        processes.StepViewSet.as_view(DETAIL),
        name="step-detail",
    ),
    path(
        "projects/<slug:project_code>/process-templates/",
        processes.ProcessTemplateViewSet.as_view({"get": "list"}),
        name="process-template-list",
    ),
    path("projects/<slug:project_code>/findings/", processes.FindingViewSet.as_view(LIST), name="finding-list"),
    path(
        "projects/<slug:project_code>/findings/<int:finding_id>/",
        processes.FindingViewSet.as_view(DETAIL),
        name="finding-detail",
    ),
    # Data migration
    path(
        "projects/<slug:project_code>/data-objects/",
        migration.DataObjectViewSet.as_view(LIST),
        name="data-object-list",
    ),
    path(
        "projects/<slug:project_code>/data-objects/load-order/",
        migration.LoadOrderViewSet.as_view({"get": "list"}),
        name="data-object-load-order",
    ),
    path(
        "projects/<slug:project_code>/data-objects/<int:object_id>/",
        migration.DataObjectViewSet.as_view(DETAIL),
        name="data-object-detail",
    ),
    path(
        "projects/<slug:project_code>/profiles/",
        migration.ProfileViewSet.as_view({"get": "list"}),
        name="profile-list",
    ),
    path(
        "projects/<slug:project_code>/profiles/<int:profile_id>/",
        migration.ProfileViewSet.as_view({"get": "retrieve"}),
        name="profile-detail",
    ),
    path("projects/<slug:project_code>/loads/", migration.TrialLoadViewSet.as_view(LIST), name="load-list"),
    path(
        "projects/<slug:project_code>/loads/<int:load_id>/",
        migration.TrialLoadViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="load-detail",
    ),
    path(
        "projects/<slug:project_code>/loads/<int:load_id>/reconciliations/",
        migration.ReconciliationViewSet.as_view({"post": "create"}),
        name="load-reconciliations",
    ),
    # Go-live: the cutover plan, its runbook, runs, the critical path and the go/no-go criteria
    path(
        "projects/<slug:project_code>/cutover/",
        golive.CutoverPlanViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="cutover-plan",
    ),
    path(
        "projects/<slug:project_code>/cutover/tasks/",
        golive.CutoverTaskViewSet.as_view(LIST),
        name="cutover-task-list",
    ),
    path(
        "projects/<slug:project_code>/cutover/tasks/<int:task_number>/",
        golive.CutoverTaskViewSet.as_view(DETAIL),
        name="cutover-task-detail",
    ),
    path(
        "projects/<slug:project_code>/cutover/critical-path/",
        golive.CriticalPathViewSet.as_view({"get": "retrieve"}),
        name="cutover-critical-path",
    ),
    path(
        "projects/<slug:project_code>/cutover/runs/",
        golive.CutoverRunViewSet.as_view({"get": "list", "post": "create"}),
        name="cutover-run-list",
    ),
    # A run is not edited or deleted; it moves by start, finish and abort.
    path(
        "projects/<slug:project_code>/cutover/runs/<int:cutover_run_id>/",
        golive.CutoverRunViewSet.as_view({"get": "retrieve"}),
        name="cutover-run-detail",
    ),
    path(
        "projects/<slug:project_code>/cutover/runs/<int:cutover_run_id>/start/",
        golive.CutoverRunViewSet.as_view({"post": "start"}),
        name="cutover-run-start",
    ),
    path(
        "projects/<slug:project_code>/cutover/runs/<int:cutover_run_id>/finish/",
        golive.CutoverRunViewSet.as_view({"post": "finish"}),
        name="cutover-run-finish",
    ),
    path(
        "projects/<slug:project_code>/cutover/runs/<int:cutover_run_id>/abort/",
        golive.CutoverRunViewSet.as_view({"post": "abort"}),
        name="cutover-run-abort",
    ),
    path(
        "projects/<slug:project_code>/cutover/runs/<int:cutover_run_id>/tasks/",
        golive.RunTaskViewSet.as_view({"get": "list"}),
        name="cutover-run-task-list",
    ),
    # POST records a task in the run (start, complete, fail, skip): testers may.
    path(
        "projects/<slug:project_code>/cutover/runs/<int:cutover_run_id>/tasks/<int:task_number>/",
        golive.RunTaskViewSet.as_view({"get": "retrieve", "post": "record"}),
        name="cutover-run-task-detail",
    ),
    path(
        "projects/<slug:project_code>/go-no-go/",
        golive.GoNoGoViewSet.as_view({"get": "retrieve"}),
        name="go-no-go",
    ),
    # After go-live: business calendars, service levels (SLAs) and incidents with their SLA clocks
    path("projects/<slug:project_code>/calendars/", sla.BusinessCalendarViewSet.as_view(LIST), name="calendar-list"),
    path(
        "projects/<slug:project_code>/calendars/<int:calendar_id>/",
        sla.BusinessCalendarViewSet.as_view(DETAIL),
        name="calendar-detail",
    ),
    path(
        "projects/<slug:project_code>/calendars/<int:calendar_id>/days/",
        sla.CalendarDayViewSet.as_view(LIST),
        name="calendar-day-list",
    ),
    # A calendar's own day is added or deleted, not changed.
    path(
        "projects/<slug:project_code>/calendars/<int:calendar_id>/days/<int:calendar_day_id>/",
        sla.CalendarDayViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="calendar-day-detail",
    ),
    path("projects/<slug:project_code>/slas/", sla.ServiceLevelViewSet.as_view(LIST), name="sla-list"),
    path(
        "projects/<slug:project_code>/slas/<int:service_level_id>/",
        sla.ServiceLevelViewSet.as_view(DETAIL),
        name="sla-detail",
    ),
    # Opening an incident needs "execute" (testers report them); changing and moving one needs "edit".
    path("projects/<slug:project_code>/incidents/", sla.IncidentListViewSet.as_view(LIST), name="incident-list"),
    # An incident is never deleted: it is the record SLA compliance is measured from.
    path(
        "projects/<slug:project_code>/incidents/<int:incident_number>/",
        sla.IncidentViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="incident-detail",
    ),
    path(
        "projects/<slug:project_code>/incidents/<int:incident_number>/move/",
        sla.IncidentViewSet.as_view({"post": "move"}),
        name="incident-move",
    ),
    path(
        "projects/<slug:project_code>/incidents/<int:incident_number>/changes/",
        sla.IncidentChangeViewSet.as_view({"get": "list"}),
        name="incident-change-list",
    ),
]
