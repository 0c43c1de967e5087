from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from projects import selectors, services
from projects.forms import MemberAddForm, MemberForm
from projects.models import Membership
from workbench.access import ProjectAccessMixin


class TeamView(ProjectAccessMixin, TemplateView):
    template_name = "projects/team.html"
    section = "team"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["members"] = selectors.team_list(project=self.project)
        context["departments"] = selectors.team_by_department(project=self.project)
        return context


class TeamMixin(ProjectAccessMixin):
    required_capability = "manage"
    section = "team"

    def team_url(self) -> str:
        return reverse("projects:team", kwargs={"project_code": self.project.code})


class MemberAddView(TeamMixin, FormView):
    template_name = "projects/member_form.html"
    form_class = MemberAddForm

    def form_valid(self, form: MemberAddForm) -> HttpResponse:
        user = form.cleaned_data["username"]
        try:
            services.membership_add(
                project=self.project,
                user=user,
                role=form.cleaned_data["role"],
                department=form.cleaned_data["department"],
                responsibility=form.cleaned_data["responsibility"],
            )
        except services.ProjectError as exc:
            form.add_error("username", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("%(user)s joined the team.") % {"user": user.get_username()})
        return HttpResponseRedirect(self.team_url())


class MemberObjectMixin(TeamMixin):
    def get_membership(self) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("user"), project=self.project, pk=self.kwargs["membership_id"]
        )


class MemberEditView(MemberObjectMixin, FormView):
    template_name = "projects/member_form.html"
    form_class = MemberForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        self.member = self.get_membership()
        kwargs["instance"] = self.member
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context

    def form_valid(self, form: MemberForm) -> HttpResponse:
        member = self.get_membership()
        try:
            services.membership_update(membership=member, **form.cleaned_data)
        except services.ProjectError as exc:
            form.add_error("role", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("%(user)s updated.") % {"user": member.user.get_username()})
        return HttpResponseRedirect(self.team_url())


class MemberRemoveView(MemberObjectMixin, TemplateView):
    template_name = "projects/member_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["member"] = self.get_membership()
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        member = self.get_membership()
        try:
            services.membership_remove(membership=member)
        except services.ProjectError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(user)s left the team.") % {"user": member.user.get_username()})
        return HttpResponseRedirect(self.team_url())
