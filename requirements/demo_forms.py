"""The forms of the scripted-demo pages; the standard scenarios and the demo reads are in `requirements.demos`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Process, Project
from requirements.comparison import offer_label
from requirements.models import DemoScenario, DemoSession, Offer, Requirement

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _one_newline(text: str) -> str:
    """Browsers send CRLF from a textarea; store LF so that an untouched text never reads as changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _requirement_label(requirement: Requirement) -> str:
    return f"{requirement.key} — {requirement.title}"


# Forms -----------------------------------------------------------------------------------------------


class ScenarioForm(forms.ModelForm):
    """A scenario; the process and the requirements offered are this project's only."""

    class Meta:
        model = DemoScenario
        fields = ["title", "script", "process", "requirements"]
        widgets = {
            "script": forms.Textarea(attrs={"rows": 8}),
            "requirements": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        process = self.fields["process"]
        process.queryset = project.processes.filter(kind=Process.Kind.AS_IS).order_by("name", "pk")
        process.empty_label = _("No process")
        process.help_text = _("The as-is process the vendor walks through, if there is one.")
        requirements = self.fields["requirements"]
        requirements.queryset = project.requirements.order_by("number")
        requirements.label_from_instance = _requirement_label
        requirements.help_text = _("The requirements this scenario demonstrates (hold Ctrl or ⌘ to pick several).")

    def clean_script(self) -> str:
        return _one_newline(self.cleaned_data["script"])

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["requirements"] = list(data["requirements"])
        return data


class DemoForm(forms.ModelForm):
    """A demo session of one offer; only this project's offers and scenarios are offered."""

    class Meta:
        model = DemoSession
        fields = ["offer", "held_on", "place", "scenarios", "notes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "scenarios": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "offer" in self.fields:
            offer = self.fields["offer"]
            offer.queryset = Offer.objects.filter(project=project).select_related("vendor")
            offer.label_from_instance = offer_label
        self.fields["scenarios"].queryset = DemoScenario.objects.filter(project=project)
        self.fields["scenarios"].help_text = _("The scripted scenarios the vendor is asked to show.")

    def clean_notes(self) -> str:
        return _one_newline(self.cleaned_data["notes"])

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["scenarios"] = list(data["scenarios"])
        return data


class DemoEditForm(DemoForm):
    """The offer of a session is fixed once it is held: edit everything else."""

    class Meta(DemoForm.Meta):
        fields = ["held_on", "place", "scenarios", "notes"]


class RatingForm(forms.Form):
    """One attendee's score (1–5) and note for one scenario of the session."""

    scenario = forms.ModelChoiceField(queryset=DemoScenario.objects.none(), widget=forms.HiddenInput)
    value = forms.TypedChoiceField(label=_("Your score"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, session: DemoSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = session.scenarios.all()
        self.fields["scenario"].error_messages["invalid_choice"] = _(
            "This scenario is not part of this demo any more. Reload the page."
        )
        self.fields["scenario"].error_messages["required"] = _("Choose the scenario you rate.")
        self.fields["value"].error_messages["required"] = _("Choose a score from 1 to 5.")
