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
