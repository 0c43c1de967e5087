"""Forms of the defect pages: the list's filters, raising a defect (pre-filled from a failing step) and editing one.

The requirement is typed as its key (REQ-001): the case's requirements are offered as suggestions, any other
requirement of the project is accepted, a key of no requirement of this project is refused.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements.models import Requirement
from testing.models import Defect, TestRun
from workbench.locking import VersionedFormMixin

ALL_STATUSES = "all"


def _one_newline(text: str) -> str:
    """Browsers send CRLF from a textarea; store LF, so that an untouched text never reads as changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class DefectFilterForm(forms.Form):
    """The defect list's filters. Without a status, the open ones (open, fixed, retest) are listed."""

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("Any severity")), *Defect.Severity.choices]
    )
    run = forms.TypedChoiceField(label=_("Run"), required=False, coerce=int, empty_value=None)
    requirement = forms.CharField(label=_("Requirement"), required=False, max_length=20)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Open ones")),
            (ALL_STATUSES, _("Any status")),
            *Defect.Status.choices,
        ]
        runs = TestRun.objects.filter(project=project).order_by("-created_at").values_list("pk", "name")
        self.fields["run"].choices = [("", _("Any run")), *((str(pk), name) for pk, name in runs)]
        self.fields["q"].widget.attrs["placeholder"] = _("Key, title or vendor reference")
        self.fields["requirement"].widget.attrs["placeholder"] = "REQ-001"


class DefectForm(forms.ModelForm):
    """A new defect. `requirement` is a REQ key of this project (or empty)."""

    requirement = forms.CharField(
        label=_("Requirement"),
        required=False,
        max_length=20,
        help_text=_("The key of the requirement it breaks, e.g. REQ-001; any requirement of this project."),
    )

    class Meta:
        model = Defect
        fields = ["title", "severity", "description", "vendor_reference"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "description": _("Markdown. What happened, what was expected, how to reproduce it."),
            "vendor_reference": _("The vendor's ticket number, once they have logged it."),
        }

    field_order = ["title", "severity", "requirement", "description", "vendor_reference"]

    def __init__(self, *args: Any, project: Project, suggestions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.suggestions = suggestions or []
        field = self.fields["requirement"]
        field.widget.attrs.update({"placeholder": "REQ-001", "autocomplete": "off", "spellcheck": "false"})
        if self.suggestions:
            field.widget.attrs["list"] = "requirement-suggestions"
            field.help_text = _(
                "The case verifies %(keys)s; choose one of them or type the key of any requirement of this project."
            ) % {"keys": ", ".join(self.suggestions)}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the defect a title."))
        return title

    def clean_description(self) -> str:
        return _one_newline(self.cleaned_data["description"])

    def clean_vendor_reference(self) -> str:
        return self.cleaned_data["vendor_reference"].strip()

    def clean_requirement(self) -> Requirement | None:
        key = self.cleaned_data["requirement"].strip().upper()
        if not key:
            return None
        requirement = Requirement.objects.filter(project=self.project, key=key).first()
        if requirement is None:
            raise forms.ValidationError(
                _("%(key)s is no requirement of this project. Type the key of one of its requirements.") % {"key": key}
            )
        return requirement

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class DefectEditForm(VersionedFormMixin, DefectForm):
    """An existing defect's text, severity, requirement and vendor reference; its status moves on its page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.requirement_id:
            kwargs["initial"] = {"requirement": instance.requirement.key, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class DefectMoveForm(forms.Form):
    """A status button on the defect's page: the status to move to and the version the page showed."""

    status = forms.ChoiceField(choices=Defect.Status.choices)
    version = forms.IntegerField(min_value=1)
