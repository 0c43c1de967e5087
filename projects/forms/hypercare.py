"""Forms of the SLA reports: the compliance filter (vendor, from month, to month) and the hypercare exit settings."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import CutoverPlan

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class ComplianceFilterForm(forms.Form):
    """GET filter of the compliance page and the SLA report: a vendor of the project and a range of months
    ("2026-09"; the page offers the months with incidents). A bad value is reported on its field and that filter
    is left out; the rest still applies."""

    vendor = forms.TypedChoiceField(label=_("Vendor"), required=False, coerce=int, empty_value=None)
    month_from = forms.RegexField(label=_("From"), regex=MONTH, required=False)
    month_to = forms.RegexField(label=_("To"), regex=MONTH, required=False)

    def __init__(self, *args: Any, vendors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vendor_names = dict(vendors)
        self.fields["vendor"].choices = [("", _("All vendors")), *vendors]
        self.fields["vendor"].error_messages["invalid_choice"] = _("Choose a vendor of this project.")
        for name in ("month_from", "month_to"):
            self.fields[name].error_messages["invalid"] = _("Choose a month from the list (year-month, e.g. 2026-09).")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and first > last:
            self.add_error("month_to", _("The last month cannot come before the first."))
        return data

    def choice(self, name: str) -> Any:
        """The field's valid value; its empty value when it was left empty or is wrong (bind the form, even to
        an empty query)."""
        self.is_valid()
        empty = None if name == "vendor" else ""
        return self.cleaned_data.get(name) or empty

    @property
    def vendor_name(self) -> str:
        vendor_id = self.choice("vendor")
        return self.vendor_names.get(vendor_id, "") if vendor_id else ""


class HypercareSettingsForm(forms.Form):
    """The hypercare exit settings of the cutover plan; the hidden version refuses a save over someone else's."""

    hypercare_exit_days = forms.IntegerField(
        label=_("Exit judged over the last (days)"),
        min_value=1,
        max_value=90,
        help_text=_("SLA compliance and the incident inflow are judged over this many days (1–90)."),
        error_messages={
            "required": _("Enter the number of days, from 1 to 90."),
            "invalid": _("Enter the number of days as a whole number, from 1 to 90."),
            "min_value": _("Enter the number of days, from 1 to 90."),
            "max_value": _("Enter the number of days, from 1 to 90."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hypercare_exit_threshold = forms.DecimalField(
        label=_("Exit compliance threshold (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        help_text=_("The share of incidents meeting both SLA targets needed to leave hypercare (0–100 %)."),
        error_messages={
            "required": _("Enter the threshold as a percentage, from 0 to 100."),
            "invalid": _("Enter the threshold as a number, e.g. 90 or 92.5."),
            "min_value": _("Enter the threshold as a percentage, from 0 to 100."),
            "max_value": _("Enter the threshold as a percentage, from 0 to 100."),
            "max_digits": _("Enter the threshold as a percentage, from 0 to 100."),
            "max_decimal_places": _("The threshold has at most one decimal place, e.g. 92.5."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, plan: CutoverPlan, **kwargs: Any) -> None:
        stored = {
            "hypercare_exit_days": plan.hypercare_exit_days,
            "hypercare_exit_threshold": plan.hypercare_exit_threshold,
            "version": plan.version,
        }
        kwargs["initial"] = {**stored, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.plan = plan
