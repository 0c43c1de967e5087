"""Forms of the incident pages: the list's filters, an incident (new and edit), a status move and the CSV upload.

The vendor, the requirement, the UAT case and the defect are chosen among the project's own; the apps they live in
are reached through the Incident's foreign keys, so `projects` imports nothing from `requirements` or `testing`.
"""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.forms.training import member_name
from projects.models import Incident, Project
from workbench.locking import VersionedFormMixin

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # a browser's date-and-time picker, read in the site's time zone
LINKS = ("vendor", "requirement", "uat_case", "defect")


def datetime_input(**attrs: Any) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format=DATETIME_INPUT_FORMAT)


def not_in_future(moment: datetime | None) -> datetime | None:
    if moment is not None and moment > timezone.now() + timedelta(minutes=1):
        raise forms.ValidationError(_("That time is in the future: enter when it happened, or leave it empty for now."))
    return moment


class IncidentFilterForm(forms.Form):
    """The list's filters; the view sets the choices with how many incidents each has."""

    status = forms.ChoiceField(label=_("Status"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    vendor = forms.ChoiceField(label=_("Vendor"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    breached = forms.BooleanField(label=_("Breached only"), required=False)
    risk = forms.BooleanField(label=_("At risk only"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = options


class IncidentForm(forms.ModelForm):
    """A new incident; its status starts at "new" and moves on the incident's page."""

    class Meta:
        model = Incident
        fields = [
            "title",
            "severity",
            "vendor",
            "opened_at",
            "description",
            "reporter",
            "assignee",
            "external_ref",
            "requirement",
            "uat_case",
            "defect",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "opened_at": datetime_input(),
        }
        help_texts = {
            "title": _("What goes wrong, as the user would say it, e.g. “The till cannot post a sale paid by card”."),
            "severity": _(
                "Critical: business stops (no sales, no receiving). Major: a process is hampered. "
                "Minor: a workaround exists. Trivial: cosmetic."
            ),
            "vendor": _("Whose service level applies; without a vendor the incident has no SLA clock."),
            "opened_at": _("When it was reported; leave it as it is for now. It cannot be changed later."),
            "description": _("Steps, screens, store or warehouse, document numbers. Markdown is allowed."),
            "external_ref": _("The number of the ticket in the vendor's system, e.g. HT-20931."),
        }
        error_messages = {"title": {"required": _("Give the incident a title: what goes wrong.")}}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        members = project.memberships.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username"
        )
        for role in ("reporter", "assignee"):
            field = self.fields[role]
            field.queryset = members
            field.label_from_instance = member_name
        for name in LINKS:
            related = Incident._meta.get_field(name).related_model
            self.fields[name].queryset = related.objects.filter(project=project)
        self.fields["requirement"].queryset = self.fields["requirement"].queryset.order_by("number")
        self.fields["uat_case"].queryset = self.fields["uat_case"].queryset.order_by("number")
        self.fields["defect"].queryset = self.fields["defect"].queryset.order_by("number")
        self.fields["requirement"].empty_label = _("— none —")
        self.fields["uat_case"].empty_label = _("— none —")
        self.fields["defect"].empty_label = _("— none —")
        self.fields["vendor"].empty_label = _("— no vendor (no SLA) —")
        if "opened_at" in self.fields:
            self.fields["opened_at"].required = False
            if not self.is_bound and self.instance.pk is None:
                self.initial.setdefault("opened_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_external_ref(self) -> str:
        return self.cleaned_data["external_ref"].strip()

    def clean_opened_at(self) -> datetime | None:
        return not_in_future(self.cleaned_data.get("opened_at"))

    def incident_fields(self) -> dict[str, Any]:
        """What the services take: every field but the version."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class IncidentEditForm(VersionedFormMixin, IncidentForm):
    """Changing what the incident says; its status moves on its page and its opening stays as recorded."""

    class Meta(IncidentForm.Meta):
        fields = [name for name in IncidentForm.Meta.fields if name != "opened_at"]


class IncidentMoveForm(forms.Form):
    """One move: the button pressed (the new status), when (now unless typed) and a note."""

    status = forms.ChoiceField(choices=Incident.Status.choices)
    at = forms.DateTimeField(
        label=_("When, if not now"),
        required=False,
        widget=datetime_input(),
        help_text=_("Only when recording after the fact, e.g. the vendor answered by phone at 10:15."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what was done or what the customer is asked for."),
    )

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = allowed
        self.fields["status"].error_messages["invalid_choice"] = _(
            "The incident cannot move there from where it is now; reload the page to see its status."
        )

    def clean_at(self) -> datetime | None:
        return not_in_future(self.cleaned_data.get("at"))


class IncidentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM) or GB18030 as Chinese Excel saves it, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv"}),
        error_messages={"required": _("Choose the CSV file to import."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB: split it."))
        return upload
