"""Forms of the trial load pages: a load, a control figure, an exception and the data steward's signature."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.goals import DATE_INPUT, plain_number
from projects.models import Measure, Membership, Project, ReconciliationException, TrialLoad
from workbench.locking import VersionedFormMixin

# Control figures most reconciliations compare; offered as suggestions while typing the name.
SUGGESTED_FIGURES = [
    _("Record count"),
    _("Sum of stock quantity, warehouse SH-01"),
    _("Stock value"),
    _("Open PO quantity"),
    _("Receivable balance"),
]


def _member_label(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


def _members(project: Project) -> Any:
    return project.memberships.select_related("user").order_by("user__first_name", "user__last_name", "user__username")


class TrialLoadForm(forms.ModelForm):
    class Meta:
        model = TrialLoad
        fields = ["name", "environment", "loaded_on", "notes"]
        widgets = {"loaded_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Trial load 2")
        self.fields["environment"].widget.attrs["placeholder"] = _("e.g. QAS, test client 200")


class TrialLoadEditForm(VersionedFormMixin, TrialLoadForm):
    pass


class MeasureForm(forms.ModelForm):
    """A control figure in the source and the target; a name the reconciliation has already changes that one."""

    class Meta:
        model = Measure
        fields = ["name", "source_value", "target_value", "tolerance", "tolerance_kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.fields["name"]
        name.widget.attrs.update({"placeholder": _("e.g. Record count"), "list": "figure-suggestions"})
        name.help_text = _("The same name again changes that figure.")
        for field in ("source_value", "target_value", "tolerance"):
            self.fields[field].widget.attrs.update({"step": "any", "inputmode": "decimal"})
            if self.instance.pk:
                self.initial[field] = plain_number(getattr(self.instance, field))
        self.fields["tolerance"].help_text = _("How far the target may differ from the source: 0 means exactly.")
        self.fields["tolerance"].initial = 0

    def clean_tolerance(self) -> Decimal:
        tolerance = self.cleaned_data["tolerance"]
        if tolerance is not None and tolerance < 0:
            raise forms.ValidationError(_("A tolerance cannot be negative."))
        return tolerance


class ExceptionForm(forms.ModelForm):
    """A record that did not arrive as it left; the owner is a member of the project."""

    class Meta:
        model = ReconciliationException
        fields = ["record_key", "description", "owner", "disposition"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = _members(project)
        owner.label_from_instance = _member_label
        self.fields["record_key"].widget.attrs["placeholder"] = _("e.g. 10-2031-0042 / B240611")
        self.fields["description"].widget.attrs["placeholder"] = _("e.g. Missing in the target")


class ExceptionEditForm(VersionedFormMixin, ExceptionForm):
    pass


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Re-entered to confirm that you sign it yourself."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the reconciliation fails: say why you sign it anyway."),
    )


# Reconciling from extracts (projects.services.reconciling)

EXTRACT_TYPES = ".csv,.txt,.xlsx"
MAX_EXTRACT_SIZE = 64 * 1024 * 1024  # bytes per extract, read while the user waits


def _extract_field(label: str, required_message: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        error_messages={"required": required_message},
        widget=forms.ClearableFileInput(attrs={"accept": EXTRACT_TYPES}),
    )


class ExtractsForm(forms.Form):
    """A source and a target extract of one object, the numeric columns to total, an optional grouping column and
    the tolerance every figure gets."""

    source = _extract_field(_("Source extract"), _("Choose the extract taken from the legacy system."))
    target = _extract_field(_("Target extract"), _("Choose the extract taken from the new system after the load."))
    sum_columns = forms.CharField(
        label=_("Columns to total"),
        required=False,
        max_length=500,
        help_text=_("Numeric columns, separated by commas, e.g. qty, value. Leave empty to count records only."),
    )
    group_by = forms.CharField(
        label=_("Per value of"),
        required=False,
        max_length=120,
        help_text=_("Optional: a column such as the warehouse, to compare the figures per warehouse too."),
    )
    tolerance = forms.DecimalField(
        label=_("Tolerance"),
        initial=0,
        min_value=0,
        max_digits=20,
        decimal_places=4,
        help_text=_("How far each target figure may differ from the source: 0 means exactly."),
        error_messages={"min_value": _("A tolerance cannot be negative.")},
    )
    tolerance_kind = forms.ChoiceField(
        label=_("Tolerance is"), choices=Measure.ToleranceKind.choices, initial=Measure.ToleranceKind.ABSOLUTE
    )

    def _clean_extract(self, name: str) -> Any:
        upload = self.cleaned_data[name]
        if upload.size > MAX_EXTRACT_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; reconcile a smaller extract (e.g. one warehouse).")
                % {"limit": MAX_EXTRACT_SIZE // (1024 * 1024)}
            )
        return upload

    def clean_source(self) -> Any:
        return self._clean_extract("source")

    def clean_target(self) -> Any:
        return self._clean_extract("target")

    def clean_sum_columns(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["sum_columns"].split(",")]
        return list(dict.fromkeys(name for name in names if name))

    def clean_group_by(self) -> str:
        return self.cleaned_data["group_by"].strip()
