"""The runbook's exports: the Gantt chart and the dependency view (SVG), the calendar (ICS) and the PDF.

All four schedule the plan through `selectors.golive.plan_schedule`, so they show the same forecast as the runbook
page. The SVGs are served inline (for `<img>`/`<object>` and to open on their own); the calendar and the PDF are
downloads named `<CODE>-runbook.ics` and `<CODE>-runbook.pdf`, in the language of the request. Reading never
creates a plan: a project without one gets an empty chart, calendar or document.
"""

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from projects import cutover_schedule as engine
from projects import golive_charts, runbook_ics, runbook_pdf
from projects.models import CutoverPlan, CutoverTask
from projects.selectors import golive as selectors
from workbench.access import ProjectAccessMixin


class _RunbookExport(ProjectAccessMixin, View):
    required_capability = "view"
    section = "golive"

    def plan(self) -> CutoverPlan:
        """The project's plan, or an unsaved empty one (a GET never writes)."""
        plan = CutoverPlan.objects.filter(project=self.project).first() or CutoverPlan(project=self.project)
        plan.project = self.project  # already read by the access check
        return plan

    def tasks(self, plan: CutoverPlan) -> list[CutoverTask]:
        return list(selectors.runbook_tasks(plan)) if plan.pk else []

    def language(self) -> str:
        return getattr(self.request, "LANGUAGE_CODE", None) or translation.get_language() or "en"

    def cycle_refused(self) -> HttpResponse:
        messages.error(self.request, _("The runbook's tasks depend on each other in a cycle; fix the runbook first."))
        return redirect("projects:runbook", project_code=self.project.code)

    def svg(self, markup: str, name: str) -> HttpResponse:
        response = HttpResponse(markup, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{self.project.code}-{name}.svg"'
        response["Cache-Control"] = "private, no-cache"
        return response

    def download(self, data: bytes, name: str, content_type: str) -> FileResponse:
        return FileResponse(BytesIO(data), as_attachment=True, filename=name, content_type=content_type)


class RunbookGanttView(_RunbookExport):
    """The planned runbook as a Gantt chart: the window shaded, point of no return, rollback deadline, window end."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.plan()
        tasks = self.tasks(plan)
        try:
            schedule = selectors.plan_schedule(plan, tasks)
        except engine.ScheduleCycle:
            return self.cycle_refused()
        markers, window = golive_charts.plan_markers(plan)
        return self.svg(golive_charts.gantt_svg(tasks, schedule, markers=markers, window=window), "runbook-gantt")


class RunbookDependenciesView(_RunbookExport):
    """The runbook's tasks as a graph of finish-to-start arrows, the critical path in red."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.plan()
        tasks = self.tasks(plan)
        try:
            schedule = selectors.plan_schedule(plan, tasks)
        except engine.ScheduleCycle:
            return self.cycle_refused()
        return self.svg(golive_charts.dependency_svg(tasks, schedule), "runbook-dependencies")


class RunbookIcsView(_RunbookExport):
    """The runbook as a calendar: one event per task at its forecast time."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.plan()
        tasks = self.tasks(plan)
        code = self.project.code

        def task_url(task: CutoverTask) -> str:
            return request.build_absolute_uri(
                reverse("projects:task-detail", kwargs={"project_code": code, "task_number": task.number})
            )

        with translation.override(self.language()):
            try:
                schedule = selectors.plan_schedule(plan, tasks)
            except engine.ScheduleCycle:
                return self.cycle_refused()
            data = runbook_ics.runbook_calendar(plan, tasks, schedule, task_url=task_url)
        return self.download(data, runbook_ics.calendar_filename(plan), "text/calendar; charset=utf-8")


class RunbookPdfView(_RunbookExport):
    """The runbook to print (landscape A4): the plan, the contingency plan, the Gantt chart and the task table."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.plan()
        with translation.override(self.language()):
            try:
                context = runbook_pdf.runbook_context(plan=plan)
            except engine.ScheduleCycle:
                return self.cycle_refused()
            data = runbook_pdf.runbook_pdf(context)
        return self.download(data, runbook_pdf.pdf_filename(plan), "application/pdf")
