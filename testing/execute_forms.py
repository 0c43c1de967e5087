"""Forms of the execution page: one step's status with the actual result, and an evidence upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from testing.models.runs import STEP_STATUSES


class StepRecordForm(forms.Form):
    """The status a tester taps for one step; the service decides whether an actual result is needed."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in STEP_STATUSES],
        error_messages={"required": _("Choose pass, fail, blocked or skipped.")},
    )
    actual = forms.CharField(label=_("Actual result"), required=False, max_length=5000, strip=True)

    def clean_actual(self) -> str:
        return self.cleaned_data["actual"].replace("\r\n", "\n")


class EvidenceForm(forms.Form):
    """A photo or PDF for the case, optionally for one of its steps."""

    file = forms.FileField(
        label=_("Photo or PDF"),
        error_messages={"required": _("Choose a photo or a PDF to attach."), "empty": _("The file is empty.")},
        widget=forms.FileInput(
            attrs={"class": "form-control", "accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )
    step = forms.TypedChoiceField(
        label=_("For step"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, step_orders: list[int] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("The whole case"))] + [
            (order, _("Step %(n)s") % {"n": order}) for order in step_orders
        ]
