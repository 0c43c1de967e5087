"""Forms of the go/no-go page: a criterion (computed or a manual check), a manual verdict, the signed decision."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import GoNoGoCriterion, GoNoGoDecision
from projects.services.golive import GO_COUNT_KINDS, GO_MANUAL, GO_PERCENT_KINDS, GO_YES_NO_KINDS
from workbench.numbers import plain_decimal

Kind = GoNoGoCriterion.Kind
NUMERIC_KINDS = (*GO_PERCENT_KINDS, *GO_COUNT_KINDS)

# A manual check's verdict as the form offers it; "" is "not judged yet".
MET, NOT_MET, NOT_JUDGED = "met", "not_met", ""
VERDICTS = [(MET, _("Met")), (NOT_MET, _("Not met")), (NOT_JUDGED, _("Not judged yet"))]
VERDICT_VALUES = {MET: True, NOT_MET: False, NOT_JUDGED: None}


def verdict_of(manual_met: bool | None) -> str:
    return {True: MET, False: NOT_MET}.get(manual_met, NOT_JUDGED)


class CriterionForm(forms.Form):
    """What a criterion measures and the threshold it is judged against; a manual check has a name and a verdict.

    The threshold shows (and is required) for the numeric kinds only: a yes/no figure and a manual check take none.
    Without script every field shows; the form still says which ones the chosen kind uses.
    """

    kind = forms.ChoiceField(label=_("What it measures"), choices=Kind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to call a computed criterion by what it measures. A manual check needs a name."),
    )
    comparison = forms.ChoiceField(
        label=_("Met when the figure is"),
        choices=GoNoGoCriterion.Comparison.choices,
        initial="at_least",
        required=False,
    )
    threshold = forms.DecimalField(
        label=_("Threshold"),
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text=_("A share in percent (0–100) or a count, depending on what it measures."),
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=VERDICTS,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("A manual check is met only when someone says so; not judged yet counts as no data."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, who checked it, or what is still missing."),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, criterion: GoNoGoCriterion | None = None, **kwargs: Any) -> None:
        if criterion is not None:
            kwargs["initial"] = {
                "kind": criterion.kind,
                "name": criterion.name,
                "comparison": criterion.comparison,
                "threshold": plain_decimal(criterion.threshold) if criterion.threshold is not None else None,
                "verdict": verdict_of(criterion.manual_met),
                "note": criterion.note,
                "stamp": criterion.updated_at.isoformat(),
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["data-criterion-kind"] = ""
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Support rota for the first two weeks agreed")
        threshold = self.fields["threshold"].widget
        threshold.attrs.update({"step": "any", "inputmode": "decimal", "data-for-kind": " ".join(NUMERIC_KINDS)})
        self.fields["comparison"].widget.attrs["data-for-kind"] = " ".join(NUMERIC_KINDS)
        self.fields["verdict"].widget.attrs["data-for-kind"] = GO_MANUAL
        if criterion is None:
            del self.fields["stamp"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        threshold: Decimal | None = data.get("threshold")
        if kind == GO_MANUAL and not (data.get("name") or "").strip():
            self.add_error("name", _("Name the manual check, e.g. “Support rota for the first two weeks agreed”."))
        if kind in NUMERIC_KINDS:
            if not data.get("comparison"):
                self.add_error("comparison", _("Choose “at least” or “at most”."))
            if threshold is None and "threshold" not in self.errors:
                self.add_error("threshold", _("Set the threshold the figure is judged against."))
            elif threshold is not None and threshold < 0:
                self.add_error("threshold", _("A threshold cannot be negative."))
            elif threshold is not None and kind in GO_PERCENT_KINDS and threshold > 100:
                self.add_error("threshold", _("This figure is a share: its threshold is between 0 and 100 %."))
            elif threshold is not None and kind in GO_COUNT_KINDS and threshold != threshold.to_integral_value():
                self.add_error("threshold", _("This figure is a count: its threshold is a whole number."))
        elif threshold is not None:
            if kind in GO_YES_NO_KINDS:
                self.add_error("threshold", _("This figure is yes or no: leave the threshold empty."))
            elif kind == GO_MANUAL:
                self.add_error("threshold", _("A manual check is ticked by hand: leave the threshold empty."))
        return data

    def service_fields(self) -> dict[str, Any]:
        """What the service takes: the threshold only for a numeric kind, the verdict only for a manual check."""
        data = self.cleaned_data
        kind = data["kind"]
        fields = {
            "kind": kind,
            "name": data.get("name", ""),
            "comparison": data.get("comparison") or "at_least",
            "threshold": data.get("threshold") if kind in NUMERIC_KINDS else None,
            "note": data.get("note", ""),
        }
        if kind == GO_MANUAL:
            fields["manual_met"] = VERDICT_VALUES.get(data.get("verdict") or NOT_JUDGED)
        return fields


class VerdictForm(forms.Form):
    """The quick verdict of a manual check from the go/no-go page."""

    verdict = forms.ChoiceField(choices=VERDICTS, required=False)

    @property
    def met(self) -> bool | None:
        return VERDICT_VALUES.get(self.cleaned_data.get("verdict") or NOT_JUDGED)


class DecisionForm(forms.Form):
    """The decider signs go, no-go or go with conditions, re-entering the password."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=GoNoGoDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose go, no-go or go with conditions.")},
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a go with conditions: what must still happen, by whom and by when."),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Re-entered to confirm that you sign it yourself."),
        error_messages={"required": _("Enter your password to sign.")},
    )

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("outcome") == GoNoGoDecision.Outcome.GO_WITH_CONDITIONS
            and not (data.get("conditions") or "").strip()
        ):
            self.add_error("conditions", _("Write down the conditions of the go."))
        return data
