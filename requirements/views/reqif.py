"""ReqIF pages: download the requirements (or a baseline) as ReqIF 1.2, and import a .reqif/.reqifz file
from DOORS, Polarion, Jama, Capella, StrictDoc or ReqIF Studio through a mapping the user can correct.

The import keeps the parsed file in the session between the steps: upload → map and preview → apply.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View

from requirements import reqif
from requirements.models import Baseline, Requirement
from requirements.services import RequirementError
from requirements.views.requirements import Crumbs, RequirementsMixin
from workbench.access import ProjectAccessMixin
from workbench.locking import StaleVersionError

# Export


class ReqIFExportView(ProjectAccessMixin, View):
    """The project's requirements as they are now, or with ?baseline=<id> one of its signed baselines."""

    section = "requirements"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        project = self.project
        baseline_id = request.GET.get("baseline", "")
        if baseline_id:
            if not baseline_id.isdigit():
                raise Http404
            baseline = get_object_or_404(Baseline, pk=int(baseline_id), project=project)
            items = reqif.export_items_for_baseline(baseline)
            spec_id, spec_name = f"baseline-{baseline.pk}", f"{project.name}: {baseline.name}"
        else:
            requirements = list(project.requirements.order_by("number"))
            items = reqif.export_items_for_requirements(requirements)
            spec_id, spec_name = "current", project.name
        data = reqif.export_reqif(
            project_code=project.code,
            title=spec_name,
            items=items,
            specification_id=spec_id,
            specification_name=spec_name,
        )
        response = HttpResponse(data, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{project.code}-requirements.reqif"'
        return response


# Import: forms


class ReqIFUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ReqIF file"),
        help_text=gettext_lazy(
            "A .reqif file or a .reqifz archive exported from DOORS, Polarion, Jama, Capella, ReqIF Studio "
            "or this workbench. At most 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".reqif,.reqifz,.xml"}),
    )

    def clean_file(self) -> reqif.Document:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith((".reqif", ".reqifz", ".xml")):
            raise ValidationError(_("Choose a .reqif or .reqifz file."))
        if upload.size > reqif.MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 10 MB."))
        try:
            return reqif.read_reqif(upload.read(), name)
        except reqif.ReqIFError as exc:
            raise ValidationError(str(exc)) from exc


def field_label(name: str) -> str:
    return str(Requirement._meta.get_field(name).verbose_name)


class ReqIFMappingForm(forms.Form):
    """Per object type: whether its objects become requirements and which attribute feeds which field;
    per value found in the file for layer, category and priority: which of ours it becomes."""

    def __init__(self, *args: Any, document: reqif.Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        guess = reqif.Mapping.guess(document)
        self.type_groups = []
        for index, source_type in enumerate(document.types):
            if not source_type.object_count:
                continue
            choices = [("", _("— not imported —"))] + [
                (a.id, f"{a.name} ({a.kind.lower()})") for a in source_type.attributes
            ]
            imported = f"t{index}_import"
            self.fields[imported] = forms.BooleanField(
                label=_("Import objects of this type"), required=False, initial=source_type.id in guess.imported
            )
            rows = []
            for name in reqif.OUR_FIELDS:
                key = f"t{index}_{name}"
                self.fields[key] = forms.ChoiceField(
                    label=field_label(name), choices=choices, required=False, initial=guess.types[source_type.id][name]
                )
                rows.append((name, key))
            self.type_groups.append((source_type, imported, rows))
        self.current = self._mapping_from(self.data if self.is_bound else None, guess)
        self.value_groups = []
        for name, choices in reqif.CHOICE_FIELDS.items():
            values = []
            for raw in reqif.distinct_values(document, self.current, name):
                recognised = reqif.guess_value(name, raw)
                key = f"v_{name}_{reqif.value_token(raw)}"
                self.fields[key] = forms.ChoiceField(
                    label=raw, choices=choices.choices, initial=recognised or reqif.DEFAULTS[name]
                )
                values.append((raw, key, recognised is not None))
            if values:
                self.value_groups.append((name, field_label(name), values))

    def _mapping_from(self, data: Any, guess: reqif.Mapping) -> reqif.Mapping:
        """The type mapping as posted (before validation, to know which value selects to show)."""
        if data is None:
            return guess
        mapping = reqif.Mapping(types={}, imported=set())
        for index, source_type in enumerate(self.document.types):
            ids = {a.id for a in source_type.attributes}
            mapping.types[source_type.id] = {
                name: value if (value := data.get(f"t{index}_{name}", "")) in ids else "" for name in reqif.OUR_FIELDS
            }
            if data.get(f"t{index}_import") in {"on", "true", "True", "1"}:
                mapping.imported.add(source_type.id)
        return mapping

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.current.imported:
            raise ValidationError(_("Choose at least one type of object to import."))
        for _source_type, imported, rows in self.type_groups:
            if cleaned.get(imported) and not cleaned.get(dict(rows)["statement"]):
                self.add_error(dict(rows)["statement"], _("Choose the attribute that holds the statement."))
        return cleaned

    def mapping(self) -> reqif.Mapping:
        mapping = self.current
        for name, _label, values in self.value_groups:
            mapping.values[name] = {raw: self.cleaned_data[key] for raw, key, _ok in values}
        return mapping

    def groups(self) -> list[dict[str, Any]]:
        """For the template: bound fields grouped by type and by value list."""
        return [
            {
                "type": source_type,
                "import": self[imported],
                "fields": [(name, self[key]) for name, key in rows],
            }
            for source_type, imported, rows in self.type_groups
        ]

    def value_rows(self) -> list[dict[str, Any]]:
        return [
            {"name": name, "label": label, "values": [(raw, self[key], ok) for raw, key, ok in values]}
            for name, label, values in self.value_groups
        ]


# Import: the page


class ReqIFImportView(RequirementsMixin, TemplateView):
    required_capability = "edit"

    def import_url(self) -> str:
        return reverse("requirements:requirement-reqif-import", kwargs={"project_code": self.project.code})

    def session_key(self) -> str:
        return f"reqif-import:{self.project.code}"

    def document(self) -> reqif.Document | None:
        data = self.request.session.get(self.session_key())
        return reqif.Document.from_dict(data) if data else None

    def forget(self) -> None:
        self.request.session.pop(self.session_key(), None)

    def crumbs(self) -> Crumbs:
        return [*super().crumbs(), (_("Import ReqIF"), None, False)]

    def get_template_names(self) -> list[str]:
        if self.template_name:
            return [self.template_name]
        return ["requirements/reqif_import_upload.html"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("restart"):
            self.forget()
            return HttpResponseRedirect(request.path)
        document = self.document()
        if document is None:
            return self.render_upload(ReqIFUploadForm())
        return self.render_mapping(document, ReqIFMappingForm(document=document))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action", "")
        if action == "cancel":
            self.forget()
            return HttpResponseRedirect(self.list_url())
        if action == "upload" or request.FILES:
            form = ReqIFUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.render_upload(form)
            request.session[self.session_key()] = form.cleaned_data["file"].to_dict()
            return HttpResponseRedirect(request.path)
        document = self.document()
        if document is None:
            messages.warning(request, _("The uploaded file is no longer at hand. Upload it again."))
            return HttpResponseRedirect(request.path)
        form = ReqIFMappingForm(request.POST, document=document)
        if not form.is_valid():
            return self.render_mapping(document, form)
        rows = reqif.build_rows(document, form.mapping(), self.project)
        if action != "apply":
            return self.render_mapping(document, form, rows)
        try:
            result = reqif.apply_rows(project=self.project, user=request.user, rows=rows)
        except (RequirementError, ValidationError, StaleVersionError) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, _("Nothing was imported: %(error)s") % {"error": text})
            return self.render_mapping(document, form, rows)
        self.forget()
        messages.success(
            request,
            _("ReqIF import: %(created)s, %(updated)s, %(unchanged)s unchanged, %(skipped)s skipped.")
            % {
                "created": ngettext("%(n)s new requirement", "%(n)s new requirements", len(result.created))
                % {"n": len(result.created)},
                "updated": ngettext("%(n)s updated", "%(n)s updated", len(result.updated)) % {"n": len(result.updated)},
                "unchanged": result.unchanged,
                "skipped": result.skipped,
            },
        )
        return HttpResponseRedirect(self.list_url())

    def render_upload(self, form: ReqIFUploadForm) -> HttpResponse:
        self.template_name = "requirements/reqif_import_upload.html"
        return self.render_to_response(self.get_context_data(form=form))

    def render_mapping(
        self, document: reqif.Document, form: ReqIFMappingForm, rows: list[reqif.Row] | None = None
    ) -> HttpResponse:
        if rows is None and form.is_bound is False:
            rows = reqif.build_rows(document, form.current, self.project)
        self.template_name = "requirements/reqif_import_map.html"
        counts = {
            action: sum(1 for r in rows or [] if r.action == action)
            for action in ("new", "update", "unchanged", "skip")
        }
        labels = {name: dict(choices.choices) for name, choices in reqif.CHOICE_FIELDS.items()}
        table = [
            {"row": row, **{name: labels[name].get(getattr(row, name) or "", "") for name in labels}}
            for row in rows or []
        ]
        return self.render_to_response(
            self.get_context_data(
                document=document,
                form=form,
                rows=rows,
                table=table,
                counts=counts,
                writable=counts["new"] + counts["update"] if rows is not None else 0,
                restart_url=self.import_url() + "?restart=1",
            )
        )
