from django.urls import include, path

from projects.views import project, team

app_name = "projects"

team_urls = [
    path("", team.TeamView.as_view(), name="team"),
    path("add/", team.MemberAddView.as_view(), name="member-add"),
    path("<int:membership_id>/edit/", team.MemberEditView.as_view(), name="member-edit"),
    path("<int:membership_id>/remove/", team.MemberRemoveView.as_view(), name="member-remove"),
]

project_urls = [
    path("", project.ProjectOverviewView.as_view(), name="project-overview"),
    path("settings/", project.ProjectSettingsView.as_view(), name="project-settings"),
    path("history/", project.ProjectHistoryView.as_view(), name="project-history"),
    path("team/", include(team_urls)),
    path("s/<slug:section>/", project.SectionPlaceholderView.as_view(), name="section"),
]

urlpatterns = [
    path("", project.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", project.ProjectCreateView.as_view(), name="project-create"),
    path("p/<slug:project_code>/", include(project_urls)),
]
