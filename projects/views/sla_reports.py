"""SLA compliance, the SLA report PDF and hypercare.

The figures come from `projects.sla_report`, which measures every incident under a service level once with the
same selectors as the incident list; the page and the PDF share it, so they agree. Nothing here is typed by a
user but the filter and the hypercare exit settings of the cutover plan (a versioned save: a stale form is
refused with a message and changes nothing).
"""

from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from projects import sla_report
from projects.forms.hypercare import ComplianceFilterForm, HypercareSettingsForm
from projects.models import CutoverPlan, Incident
from projects.services import golive as golive_services
from workbench.access import ProjectAccessMixin
from workbench.forms import ServiceFormMixin

Crumbs = list[tuple[str, str | None]]


class SlaMixin(ProjectAccessMixin):
    section = "sla"

    def url(self, name: str) -> str:
        return reverse(f"projects:{name}", kwargs={"project_code": self.project.code})

    def crumbs(self) -> Crumbs:
        return [(_("SLA"), self.url("incident-list"))]


class ComplianceFilterMixin(SlaMixin):
    """The vendor and month filter of the compliance page and the SLA report, read from the query."""

    @cached_property
    def filter_form(self) -> ComplianceFilterForm:
        vendor_model = Incident._meta.get_field("vendor").related_model
        vendors = list(vendor_model.objects.filter(project=self.project).order_by("name").values_list("pk", "name"))
        return ComplianceFilterForm(self.request.GET, vendors=vendors)

    def report(self) -> sla_report.ComplianceReport:
        form = self.filter_form
        return sla_report.compliance_report(
            self.project,
            vendor=form.vendor_name,
            month_from=form.choice("month_from"),
            month_to=form.choice("month_to"),
        )

    def query(self) -> str:
        """The valid filter as a query string, for the PDF link."""
        form = self.filter_form
        params = {name: form.choice(name) for name in ("vendor", "month_from", "month_to")}
        return urlencode({name: value for name, value in params.items() if value})


class ComplianceView(ComplianceFilterMixin, TemplateView):
    """Per vendor and severity, overall and per month: met %, mean and p90 times, still within time; the charts."""

    template_name = "projects/sla/compliance.html"
    required_capability = "view"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Compliance"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.report()
        query = self.query()
        context.update(
            crumbs=self.crumbs(),
            report=report,
            filter_form=self.filter_form,
            filtered=bool(query),
            vendor_id=self.filter_form.choice("vendor"),
            pdf_url=self.url("sla-report-pdf") + (f"?{query}" if query else ""),
            month_options=[(m, sla_report.month_label(m)) for m in report.months],
        )
        return context


class SlaReportPdfView(ComplianceFilterMixin, View):
    """The SLA report as an A4 PDF in the page's language, with the same filter as the compliance page."""

    required_capability = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "en"
        with translation.override(language):
            data = sla_report.sla_pdf(sla_report.pdf_context(self.project, self.report()))
        return FileResponse(
            BytesIO(data),
            as_attachment=True,
            filename=sla_report.filename(self.project),
            content_type="application/pdf",
        )


class HypercareView(SlaMixin, ServiceFormMixin, FormView):
    """The hypercare period, its exit criteria and recommendation, the weekly chart; the exit settings (edit)."""

    template_name = "projects/sla/hypercare.html"
    form_class = HypercareSettingsForm
    required_capability = "view"
    write_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Hypercare"), None)]

    @cached_property
    def plan(self) -> CutoverPlan:
        """The project's cutover plan; an unsaved one with the defaults until it has one (a GET writes nothing)."""
        return CutoverPlan.objects.filter(project=self.project).first() or CutoverPlan(project=self.project)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.plan
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = sla_report.hypercare_report(self.project, plan=self.plan)
        context.update(
            crumbs=self.crumbs(),
            report=report,
            plan_url=self.url("cutover-plan"),
            exit_threshold=sla_report.percent_text(float(self.plan.hypercare_exit_threshold)),
        )
        return context

    def save(self, form: HypercareSettingsForm) -> CutoverPlan:
        plan = self.plan if self.plan.pk else golive_services.plan_for(self.project)
        return golive_services.plan_update(
            plan=plan,
            expected_version=form.cleaned_data["version"],
            user=self.request.user,
            hypercare_exit_days=form.cleaned_data["hypercare_exit_days"],
            hypercare_exit_threshold=form.cleaned_data["hypercare_exit_threshold"],
        )

    def saved(self, result: CutoverPlan) -> HttpResponse:
        messages.success(
            self.request,
            _("Hypercare exit settings saved: judged over the last %(days)d days, threshold %(threshold)s.")
            % {
                "days": result.hypercare_exit_days,
                "threshold": sla_report.percent_text(float(result.hypercare_exit_threshold)),
            },
        )
        return HttpResponseRedirect(self.url("hypercare") + "#settings")

    def form_invalid(self, form: HypercareSettingsForm) -> HttpResponse:
        # A refused save keeps the plan as it is stored: re-read it, so the page shows the stored settings.
        self.__dict__.pop("plan", None)
        return super().form_invalid(form)
