"""Forms of the vendor pages: vendors, offers, quote lines, knock-out conditions and checks, selection settings.

The forms only check what a field can check on its own; the rules (unique names, one-time lines without a
"to year", a failed knock-out needs a reason) are in `requirements.selection`, whose refusals the views
show on the form.
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from projects.models import Membership, Project
from requirements.models import KnockOut, KnockOutCheck, Offer, QuoteLine, Selection, Vendor
from workbench.locking import VersionedFormMixin
from workbench.numbers import plain_decimal

CURRENCY = re.compile(r"^[A-Z]{3}$")
MET, FAILED, UNCHECKED = "met", "failed", "unchecked"
CHECK_CHOICES = [(MET, _("Met")), (FAILED, _("Not met")), (UNCHECKED, _("Not checked"))]


def _member_label(membership: Membership) -> str:
    user = membership.user
    name = user.get_full_name() or user.get_username()
    return f"{name} · {user.email}" if user.email else name


class VendorForm(forms.ModelForm):
    """A vendor; its portal members can only be this project's members with the vendor role."""

    website = forms.URLField(
        label=capfirst(Vendor._meta.get_field("website").verbose_name),
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    class Meta:
        model = Vendor
        fields = ["name", "website", "contacts", "notes", "portal_members"]
        widgets = {
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "portal_members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["portal_members"]
        members.queryset = (
            project.memberships.filter(role=Membership.Role.VENDOR)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        members.label_from_instance = _member_label
        if members.queryset.exists():
            members.help_text = _(
                "Ticked members answer for this vendor in the vendor portal: fit-gap and quote lines of its offers."
            )
        else:
            members.help_text = _(
                "No member has the vendor role yet. Invite the vendor's consultants on the Team page with the "
                "vendor role, then tick them here so that they can answer in the vendor portal."
            )

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class VendorEditForm(VersionedFormMixin, VendorForm):
    pass


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["product", "deployment", "product_version", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class OfferEditForm(VersionedFormMixin, OfferForm):
    pass


class QuoteLineForm(forms.ModelForm):
    """One line of a quote, in the selection's currency; the kind decides whether it is paid once or every year."""

    class Meta:
        model = QuoteLine
        fields = ["kind", "amount", "year_from", "year_to", "note"]

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        once = [(k.value, k.label) for k in QuoteLine.Kind if k not in QuoteLine.RECURRING]
        yearly = [(k.value, k.label) for k in QuoteLine.Kind if k in QuoteLine.RECURRING]
        self.fields["kind"].choices = [("", "---------"), (_("Paid once"), once), (_("Paid every year"), yearly)]
        amount = self.fields["amount"]
        amount.label = _("Amount (%(currency)s)") % {"currency": currency}
        amount.widget.attrs.update(step="0.01", min="0")
        amount.help_text = _("For a yearly cost, the amount of one year.")
        self.fields["year_from"].help_text = _("The year it is paid in, or the first year of a yearly cost.")
        if self.instance.pk:
            self.initial["amount"] = plain_decimal(self.instance.amount)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and last < first:
            self.add_error("year_to", _("The last year cannot come before the first."))
        return data


class KnockOutForm(forms.ModelForm):
    class Meta:
        model = KnockOut
        fields = ["text"]
        widgets = {
            "text": forms.TextInput(attrs={"placeholder": _("e.g. Runs on our intranet without internet access")})
        }


class KnockOutEditForm(forms.ModelForm):
    class Meta:
        model = KnockOut
        fields = ["text", "order"]
        help_texts = {"order": _("Conditions are listed by this number, lowest first.")}


class KnockOutCheckForm(forms.Form):
    """Every knock-out condition for one offer: met, not met (with the reason) or not checked yet."""

    def __init__(self, *args: Any, knockouts: list[KnockOut], checks: dict[int, KnockOutCheck], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.knockouts = knockouts
        for knockout in knockouts:
            check = checks.get(knockout.pk)
            state = UNCHECKED if check is None else (MET if check.passed else FAILED)
            self.fields[f"state_{knockout.pk}"] = forms.ChoiceField(
                label=knockout.text, choices=CHECK_CHOICES, initial=state, widget=forms.RadioSelect
            )
            self.fields[f"reason_{knockout.pk}"] = forms.CharField(
                label=_("Reason"), max_length=300, required=False, initial=check.reason if check else ""
            )

    def rows(self) -> list[tuple[KnockOut, forms.BoundField, forms.BoundField]]:
        """(condition, its state field, its reason field) in the conditions' order, for the template."""
        return [(k, self[f"state_{k.pk}"], self[f"reason_{k.pk}"]) for k in self.knockouts]

    def answers(self) -> list[tuple[KnockOut, str, str]]:
        """(condition, met/failed/unchecked, reason) as cleaned."""
        data = self.cleaned_data
        return [(k, data[f"state_{k.pk}"], data[f"reason_{k.pk}"].strip()) for k in self.knockouts]


class SelectionForm(VersionedFormMixin, forms.ModelForm):
    """The comparison's settings. The discount rate is typed as a percent (8 means 8 % a year)."""

    discount_percent = forms.DecimalField(
        label=_("Discount rate (% a year)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("99.99"),
        max_digits=4,
        decimal_places=2,
        help_text=_("E.g. 8 for 8 % a year: later years then weigh less (net present value). Empty: no discounting."),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "99.99"}),
    )
    field_order = ["currency", "years", "discount_percent", "summary", "recommendation"]

    class Meta:
        model = Selection
        fields = ["currency", "years", "summary", "recommendation"]
        widgets = {
            "currency": forms.TextInput(attrs={"maxlength": 3, "autocapitalize": "characters", "size": 4}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "recommendation": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "currency": _("The three-letter ISO code every amount is in, e.g. CNY, USD or EUR."),
            "years": _("How many years the total cost of ownership covers (1–30)."),
            "summary": _("Markdown: how the comparison was done and what it found."),
            "recommendation": _("Markdown: the offer the team recommends, and why."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rate = self.instance.discount_rate
        if rate is not None:
            self.initial["discount_percent"] = plain_decimal(rate * 100)

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if not CURRENCY.match(currency):
            raise forms.ValidationError(_("Use the three-letter ISO code, e.g. CNY, USD or EUR."))
        return currency

    def service_fields(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name not in ("version", "discount_percent")}
        percent = self.cleaned_data["discount_percent"]
        data["discount_rate"] = None if percent is None else (percent / 100).quantize(Decimal("0.0001"))
        return data
