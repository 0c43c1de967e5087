"""The requirement specification: choose format and source, follow the background job, download the file."""

from io import BytesIO
from typing import Any

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from workbench.access import ProjectAccessMixin, is_htmx
from workbench.jobs import job_enqueue
from workbench.models import Job

JOB_KIND = "specification"


class SpecificationForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (for printing and signing)")), ("html", _("HTML (one self-contained file)"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(label=_("Requirements"), initial="current")

    def __init__(self, *args: Any, baselines: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("current", _("Current requirements (all statuses)"))] + [
            (
                str(b.pk),
                _("Baseline %(name)s (%(count)s requirements)") % {"name": b.name, "count": b.requirement_count},
            )
            for b in baselines
        ]


class SpecificationView(ProjectAccessMixin, FormView):
    """Anyone who may read the project may publish its specification."""

    template_name = "requirements/spec_form.html"
    form_class = SpecificationForm
    section = "requirements"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["baselines"] = list(self.project.baselines.order_by("-signed_at", "-pk"))
        initial = dict(kwargs.get("initial") or {})
        if self.request.GET.get("baseline"):
            initial["source"] = self.request.GET["baseline"]
        kwargs["initial"] = initial
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recent_jobs"] = Job.objects.filter(
            project_code=self.project.code, kind=JOB_KIND, user=self.request.user
        ).defer("result")[:5]
        return context

    def form_valid(self, form: SpecificationForm) -> HttpResponse:
        source = form.cleaned_data["source"]
        job = job_enqueue(
            kind=JOB_KIND,
            handler="requirements.specification.run_specification_job",
            view_name="requirements:requirement-specification-job",
            project_code=self.project.code,
            user=self.request.user,
            params={
                "format": form.cleaned_data["format"],
                "baseline": None if source == "current" else int(source),
                "language": self.request.LANGUAGE_CODE,
            },
        )
        return redirect(job.get_absolute_url())


class _JobMixin(ProjectAccessMixin):
    section = "requirements"

    def get_job(self) -> Job:
        """The job with this id of this project; 404 for another project's job."""
        job = Job.objects.filter(pk=self.kwargs["job_id"], project_code=self.project.code, kind=JOB_KIND).first()
        if job is None:
            raise Http404
        return job


class SpecificationJobView(_JobMixin, TemplateView):
    template_name = "requirements/spec_job.html"

    def get_template_names(self) -> list[str]:
        if is_htmx(self.request):
            return ["requirements/spec_job_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        code = self.project.code
        context.update(
            job=job,
            status_url=job.get_absolute_url(),
            download_url=reverse(
                "requirements:requirement-specification-download", kwargs={"project_code": code, "job_id": job.pk}
            ),
        )
        return context


class SpecificationDownloadView(_JobMixin, TemplateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.get_job()
        if job.status != Job.Status.DONE or job.result is None:
            raise Http404
        return FileResponse(
            BytesIO(bytes(job.result)), as_attachment=True, filename=job.result_name, content_type=job.result_type
        )
