"""Forms of the data inventory: data objects, their quality checks and cleansing rules, extract uploads, waves."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.goals import plain_number
from projects.models import CleansingRule, DataObject, Membership, Project, QualityCheck, Wave
from projects.services.profiling import EXTENSIONS
from workbench.locking import VersionedFormMixin

# The settings each kind of check uses; the others are cleared so that a check never carries stale settings.
KIND_FIELDS = {
    QualityCheck.Kind.PATTERN: ("pattern",),
    QualityCheck.Kind.ALLOWED: ("allowed",),
    QualityCheck.Kind.RANGE: ("minimum", "maximum"),
    QualityCheck.Kind.REFERENCE: ("reference",),
}
SETTING_FIELDS = ("pattern", "allowed", "minimum", "maximum", "reference")


def _member_label(membership: Membership) -> str:
    name = membership.user.get_full_name() or membership.user.get_username()
    return f"{name} · {membership.get_role_display()}"


def _members(project: Project) -> Any:
    return project.memberships.select_related("user").order_by("user__last_name", "user__username")


class DataObjectForm(forms.ModelForm):
    """A data object; the steward is a member, the wave and the dependencies are the project's."""

    class Meta:
        model = DataObject
        fields = [
            "name",
            "kind",
            "nature",
            "source_system",
            "steward",
            "record_count",
            "key_columns",
            "wave",
            "depends_on",
            "description",
        ]
        widgets = {
            "depends_on": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "record_count": forms.NumberInput(attrs={"min": 0, "step": 1}),
            "key_columns": forms.TextInput(attrs={"class": "font-monospace", "autocomplete": "off"}),
        }
        help_texts = {
            "record_count": _("Optional: profiling an extract fills it in."),
            "nature": _("Static master data (products, locations…) is loaded before dynamic data (orders, stock)."),
        }
        error_messages = {"name": {"required": _("Name the data object, e.g. Products.")}}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steward = self.fields["steward"]
        steward.queryset = _members(project)
        steward.label_from_instance = _member_label
        self.fields["wave"].queryset = project.waves.order_by("number")
        others = project.data_objects.order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = others
        if not others:
            del self.fields["depends_on"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class DataObjectEditForm(VersionedFormMixin, DataObjectForm):
    pass


class QualityCheckForm(forms.ModelForm):
    """A check on one column; only the settings of its kind are kept (pattern, allowed values, range, reference)."""

    class Meta:
        model = QualityCheck
        fields = ["column", "kind", "label", "pattern", "allowed", "minimum", "maximum", "reference"]
        widgets = {
            "column": forms.TextInput(attrs={"class": "font-monospace", "autocomplete": "off"}),
            "pattern": forms.TextInput(attrs={"class": "font-monospace", "autocomplete": "off"}),
            "allowed": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "column": {"required": _("Say which column the check applies to.")},
            "kind": {"required": _("Choose what kind of check it is.")},
        }

    def __init__(self, *args: Any, data_object: DataObject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].queryset = data_object.project.data_objects.exclude(pk=data_object.pk).order_by("name")
        for name in ("minimum", "maximum"):
            self.initial[name] = plain_number(self.initial.get(name))
        self.fields["kind"].widget.attrs["data-check-kind"] = "1"
        for name in SETTING_FIELDS:
            kinds = [kind for kind, used in KIND_FIELDS.items() if name in used]
            self.fields[name].widget.attrs["data-for-kind"] = " ".join(kinds)

    def clean_column(self) -> str:
        return self.cleaned_data["column"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        used = KIND_FIELDS.get(data.get("kind"), ())
        for name in SETTING_FIELDS:
            if name not in used:
                data[name] = None if name in ("minimum", "maximum", "reference") else ""
        return data

    def error_field(self) -> str | None:
        """The field a service refusal is about, for the kind chosen."""
        used = KIND_FIELDS.get(self.cleaned_data.get("kind"), ())
        return used[0] if used else None


class CleansingRuleForm(forms.ModelForm):
    class Meta:
        model = CleansingRule
        fields = ["description", "owner", "status", "quality_check"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"description": {"required": _("Describe what the rule changes in the data.")}}

    def __init__(self, *args: Any, data_object: DataObject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = _members(data_object.project)
        owner.label_from_instance = _member_label
        self.fields["quality_check"].queryset = data_object.checks.order_by("column", "pk")


class CleansingRuleEditForm(VersionedFormMixin, CleansingRuleForm):
    pass


class ExtractUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Extract"),
        help_text=_("A CSV (UTF-8 or GB18030) or XLSX file with a header row."),
        error_messages={"required": _("Choose the extract file to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )


class WaveForm(forms.ModelForm):
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=32767,
        required=False,
        help_text=_("Leave empty for the next number."),
    )

    class Meta:
        model = Wave
        fields = ["number", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": _("Name the wave, e.g. Master data.")}}


class WaveEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Wave
        fields = ["number", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"name": {"required": _("Name the wave, e.g. Master data.")}}
