"""Requirements in and out of files: the XLSX/CSV export, the upload, and the mapping preview that applies it."""

from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from requirements import interchange
from requirements.interchange import CHOICES, TARGETS, InterchangeError
from requirements.models import Import
from requirements.selectors import requirements as selectors
from requirements.views.requirements import Crumbs, RequirementsMixin

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class RequirementExportView(RequirementsMixin, View):
    """The list's filtered requirements as an Excel workbook (default) or CSV with a BOM."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        filterset = selectors.requirement_filterset(project=self.project, data=request.GET)
        headers, rows = interchange.export_rows(filterset.qs)
        name = f"{self.project.code}-requirements"
        if request.GET.get("format") == "csv":
            response = HttpResponse(interchange.export_csv(headers, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        body = interchange.export_xlsx(headers, rows, title=self.project.code)
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "Excel (.xlsx), CSV (.csv: UTF-8, with or without BOM, or GB18030) or Word (.docx), at most 5 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it."))
        if interchange.kind_for_filename(upload.name) is None:
            raise forms.ValidationError(
                _("Upload an Excel workbook (.xlsx), a CSV file (.csv) or a Word document (.docx).")
            )
        return upload


class ImportUploadView(RequirementsMixin, FormView):
    """Step 1: upload a file; it is stored with a first guess of the mapping, then previewed."""

    template_name = "requirements/import_upload.html"
    form_class = ImportUploadForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Import"), None, False)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recent"] = list(
            self.project.imports.select_related("user").defer("content").order_by("-created_at", "-pk")[:10]
        )
        context["targets"] = TARGETS
        return context

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            record = interchange.import_create(
                project=self.project, user=self.request.user, filename=upload.name, content=upload.read()
            )
        except InterchangeError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(record.get_absolute_url())


class ImportPreviewView(RequirementsMixin, TemplateView):
    """Step 2: map columns and unknown values, see each row's outcome, apply all rows or none."""

    template_name = "requirements/import_preview.html"
    required_capability = "edit"

    @cached_property
    def record(self) -> Import:
        try:
            return self.project.imports.select_related("user").get(pk=self.kwargs["import_id"])
        except Import.DoesNotExist:
            raise Http404 from None

    def crumbs(self) -> Crumbs:
        upload = reverse("requirements:requirement-import", kwargs={"project_code": self.project.code})
        return [*super().crumbs(), (_("Import"), upload, False), (self.record.filename, None, False)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = self.record
        context["record"] = record
        if record.is_applied:
            return context
        try:
            table = interchange.parse(record.kind, bytes(record.content))
        except InterchangeError as exc:
            context["parse_error"] = str(exc)
            return context
        preview = interchange.import_preview(project=self.project, table=table, mapping=record.mapping)
        columns = record.mapping.get("columns") or {}
        values = record.mapping.get("values") or {}
        options = [(interchange.column_ref(table.headers, i), h or f"#{i + 1}") for i, h in enumerate(table.headers)]
        labels = dict(TARGETS)
        context.update(
            {
                "table": table,
                "preview": preview,
                "counts": preview.counts,
                "column_fields": [(name, label, columns.get(name, "")) for name, label in TARGETS],
                "column_options": options,
                "value_fields": [
                    (
                        name,
                        labels[name],
                        [(text, text.encode().hex(), (values.get(name) or {}).get(text, "")) for text in texts],
                        CHOICES[name].choices,
                    )
                    for name, texts in preview.unknown.items()
                ],
            }
        )
        return context

    def mapping_from_post(self) -> dict[str, Any]:
        post = self.request.POST
        columns = {name: post[f"col-{name}"] for name, _label in TARGETS if post.get(f"col-{name}")}
        # Keep what was chosen earlier for values this file does not show: the mapping is remembered.
        values = {k: dict(v) for k, v in (self.record.mapping.get("values") or {}).items()}
        for name, choices in CHOICES.items():
            prefix = f"val-{name}-"
            for field_name, choice in post.items():
                if not field_name.startswith(prefix):
                    continue
                try:
                    text = bytes.fromhex(field_name[len(prefix) :]).decode()
                except (ValueError, UnicodeDecodeError):
                    continue
                if choice in choices.values:
                    values.setdefault(name, {})[text] = choice
                else:
                    values.get(name, {}).pop(text, None)
        return {"columns": columns, "values": {k: v for k, v in values.items() if v}}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.record
        here = record.get_absolute_url()
        action = request.POST.get("action")
        if record.is_applied:
            messages.info(request, _("This file has been imported already."))
            return HttpResponseRedirect(here)
        if action not in ("preview", "apply"):
            return HttpResponseRedirect(here)
        mapping = self.mapping_from_post()
        if mapping != record.mapping:
            record.mapping = mapping
            record.save(update_fields=["mapping"])
            if action == "apply":
                messages.warning(request, _("The mapping changed: check the preview below, then apply."))
            return HttpResponseRedirect(here)
        if action == "preview":
            return HttpResponseRedirect(here)
        try:
            result = interchange.import_apply(record=record, user=request.user)
        except InterchangeError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(here)
        messages.success(
            request,
            _("Imported: %(new)s new, %(update)s updated, %(unchanged)s unchanged.") % result,
        )
        return HttpResponseRedirect(self.list_url())
