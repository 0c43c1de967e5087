"""The RACI matrix: who is Responsible, Accountable, Consulted and Informed for each upgrade activity."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from projects.forms.raci import RaciActivityForm, RaciMatrixForm
from projects.models import RaciActivity, RaciAssignment
from projects.selectors.raci import RaciMatrix, raci_matrix
from projects.services import ProjectError
from projects.services.raci import (
    STANDARD_ACTIVITIES,
    raci_activity_add,
    raci_activity_delete,
    raci_add_standard_activities,
    raci_save,
)
from workbench.access import ProjectAccessMixin


def attention_count(matrix: RaciMatrix) -> int:
    return sum(1 for row in matrix.rows if row.warnings)


class RaciMixin(ProjectAccessMixin):
    section = "goals"

    def raci_url(self, name: str = "raci") -> str:
        return reverse(f"projects:{name}", kwargs={"project_code": self.project.code})

    def raci_context(self, matrix: RaciMatrix) -> dict[str, Any]:
        return {
            "matrix": matrix,
            "attention_count": attention_count(matrix),
            "letters": RaciAssignment.Letter.choices,
            "standard_activities": [name for _key, name in STANDARD_ACTIVITIES],
        }


class RaciView(RaciMixin, TemplateView):
    template_name = "projects/raci.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.raci_context(raci_matrix(project=self.project)))
        return context


class RaciEditView(RaciMixin, TemplateView):
    template_name = "projects/raci_edit.html"
    required_capability = "edit"

    def get_context_data(
        self,
        *,
        matrix_form: RaciMatrixForm | None = None,
        activity_form: RaciActivityForm | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if matrix_form is None:
            matrix_form = RaciMatrixForm(matrix=raci_matrix(project=self.project))
        context.update(self.raci_context(matrix_form.matrix))
        context["form"] = matrix_form
        context["activity_form"] = activity_form or RaciActivityForm()
        have = {row.activity.standard_key for row in matrix_form.matrix.rows}
        context["standard_missing"] = sum(1 for key, _name in STANDARD_ACTIVITIES if key not in have)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RaciMatrixForm(request.POST, matrix=raci_matrix(project=self.project))
        if form.is_valid():
            try:
                changes = raci_save(project=self.project, cells=form.changed_cells())
            except ProjectError as exc:
                form.add_error(None, str(exc))
            else:
                if changes:
                    message = ngettext("%(count)s cell changed.", "%(count)s cells changed.", changes)
                    messages.success(request, message % {"count": changes})
                else:
                    messages.info(request, _("Nothing changed."))
                return HttpResponseRedirect(self.raci_url())
        return self.render_to_response(self.get_context_data(matrix_form=form))


class RaciActivityAddView(RaciEditView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RaciActivityForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(activity_form=form))
        activity = raci_activity_add(project=self.project, name=form.cleaned_data["name"])
        messages.success(request, _("Activity “%(name)s” added.") % {"name": activity.name})
        return HttpResponseRedirect(self.raci_url("raci-edit"))


class RaciStandardView(RaciMixin, View):
    """Adds the standard upgrade activities the project does not have yet; a second click adds nothing."""

    required_capability = "edit"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        added = raci_add_standard_activities(project=self.project)
        if added:
            message = ngettext(
                "%(count)s standard activity added. Give it one A and at least one R.",
                "%(count)s standard activities added. Give each one A and at least one R.",
                len(added),
            )
            messages.success(request, message % {"count": len(added)})
        else:
            messages.info(request, _("The matrix already has every standard activity."))
        return HttpResponseRedirect(self.raci_url("raci-edit"))


class RaciActivityDeleteView(RaciMixin, TemplateView):
    template_name = "projects/raci_activity_confirm_delete.html"
    required_capability = "edit"

    def get_activity(self) -> RaciActivity:
        return get_object_or_404(self.project.raci_activities, pk=self.kwargs["activity_id"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["activity"] = activity = self.get_activity()
        context["letter_count"] = activity.assignments.count()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = self.get_activity()
        raci_activity_delete(activity=activity)
        messages.success(request, _("Activity “%(name)s” deleted.") % {"name": activity.name})
        return HttpResponseRedirect(self.raci_url("raci-edit"))
