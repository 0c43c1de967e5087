"""Forms for drivers, goals, KPIs and measurements, and the upload step of the measurement import."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from projects.models import KPI, Driver, Goal, Measurement, Membership, Project
from workbench.locking import VersionedFormMixin
from workbench.numbers import plain_decimal
from workbench.textfiles import UnreadableText, decode_text

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SEVERITY_CHOICES = [
    (1, _("1 · minor nuisance")),
    (2, _("2 · annoying")),
    (3, _("3 · costs time or money every week")),
    (4, _("4 · serious: causes errors or blocks growth")),
    (5, _("5 · threatens the business")),
]


def plain_number(value: Decimal | None) -> str | None:
    """99.5000 → "99.5", so that a form shows what the user typed, not the stored precision."""
    return None if value is None else plain_decimal(value)


def _member_label(membership: Membership) -> str:
    name = membership.user.get_full_name() or membership.user.get_username()
    return f"{name} · {membership.get_role_display()}"


class DriverForm(forms.ModelForm):
    class Meta:
        model = Driver
        fields = ["category", "statement", "severity", "evidence"]
        widgets = {
            "severity": forms.Select(choices=SEVERITY_CHOICES),
            "evidence": forms.Textarea(attrs={"rows": 6}),
        }


class DriverEditForm(VersionedFormMixin, DriverForm):
    pass


class GoalForm(forms.ModelForm):
    """A goal; the owner is one of this project's members and the drivers are this project's."""

    class Meta:
        model = Goal
        fields = ["statement", "description", "owner", "due", "drivers"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "due": DATE_INPUT,
            "drivers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = project.memberships.select_related("user").order_by("user__last_name", "user__username")
        owner.label_from_instance = _member_label
        drivers = self.fields["drivers"]
        drivers.queryset = project.drivers.order_by("category", "-severity", "pk")
        drivers.label_from_instance = lambda d: f"{d.get_category_display()}: {d.statement}"
        if not drivers.queryset.exists():
            drivers.help_text = _("This project has no drivers yet. Add them on the Drivers tab, then link them here.")


class GoalEditForm(VersionedFormMixin, GoalForm):
    pass


class KPIForm(forms.ModelForm):
    """A KPI; the model refuses a target equal to the baseline or on the wrong side of it (shown at the target)."""

    library_key = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = KPI
        fields = [
            "name",
            "unit",
            "direction",
            "frequency",
            "baseline",
            "baseline_date",
            "target",
            "formula",
            "source_system",
        ]
        widgets = {
            "baseline_date": DATE_INPUT,
            "formula": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["library_key"]  # fixed once the KPI exists
            for name in ("baseline", "target"):
                self.initial[name] = plain_number(getattr(self.instance, name))
        for name in ("baseline", "target"):
            self.fields[name].widget.attrs["step"] = "any"
        self.fields["baseline_date"].help_text = _("When the baseline was measured; progress is judged from then.")


class KPIEditForm(VersionedFormMixin, KPIForm):
    pass


class MeasurementForm(forms.ModelForm):
    """One value of a KPI; a date that already has a value is refused with a message saying so."""

    class Meta:
        model = Measurement
        fields = ["date", "value", "source", "note"]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args: Any, kpi: KPI, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.fields["value"].widget.attrs["step"] = "any"
        if self.instance.pk:
            self.initial["value"] = plain_number(self.instance.value)

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        taken = self.kpi.measurements.filter(date=day).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                _("%(date)s already has a value (%(value)s). Change that measurement instead of adding another."),
                code="duplicate_date",
                params={"date": day.isoformat(), "value": plain_number(taken.value)},
            )
        return day


class MeasurementEditForm(VersionedFormMixin, MeasurementForm):
    pass


def decode_upload(raw: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without BOM), else GB18030 as saved by Chinese Excel."""
    try:
        return decode_text(raw)
    except UnreadableText as exc:
        raise forms.ValidationError(str(exc)) from exc


class MeasurementImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste rows"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace", "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("… or upload a CSV file"),
        required=False,
        help_text=_("UTF-8 (with or without BOM) or GB18030, at most 2 MB. A file replaces pasted text."),
    )

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB: split it."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            try:
                data["text"] = decode_upload(upload.read())
            except forms.ValidationError as exc:
                self.add_error("file", exc)
        elif not (data.get("text") or "").strip() and not self.has_error("file"):
            raise forms.ValidationError(_("Paste the rows into the box or choose a file."))
        return data


class MeasurementImportConfirmForm(forms.Form):
    """Step 2: the text checked in step 1, sent back as it was."""

    text = forms.CharField(strip=False, widget=forms.Textarea)
