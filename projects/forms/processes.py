"""Forms for processes, their steps (with the steps that may follow), findings, template copies and moves."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.goals import SEVERITY_CHOICES
from projects.models import Finding, Process, Step
from projects.process_templates import TEMPLATES
from workbench.locking import VersionedFormMixin

LANE_LIST_ID = "lane-options"


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = ["name", "kind", "owner_department", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class ProcessEditForm(VersionedFormMixin, forms.ModelForm):
    """Editing keeps the kind: a to-be process stays linked to the as-is it was derived from."""

    class Meta:
        model = Process
        fields = ["name", "owner_department", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class ProcessDeriveForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the to-be process"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the as-is name followed by “(to-be)”."),
    )


class TemplateCopyForm(forms.Form):
    templates = forms.MultipleChoiceField(
        label=_("Templates"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one template to copy.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["templates"].choices = [(t.key, t.name) for t in TEMPLATES]


class StepMoveForm(forms.Form):
    """Either a direction or a 1-based position; the view refuses anything else with a message."""

    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    position = forms.IntegerField(min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("direction")) == (data.get("position") is not None):
            raise forms.ValidationError(_("Move a step up, down, or to a position number (1, 2, 3 …)."))
        return data

    def target(self, step: Step) -> int:
        """The position asked for, given where the step is now."""
        direction = self.cleaned_data["direction"]
        if direction == "up":
            return step.order - 1
        if direction == "down":
            return step.order + 1
        return self.cleaned_data["position"]


class StepForm(forms.ModelForm):
    """A step, where it goes (new steps) and the steps that may follow it, each with an optional label.

    `next_steps` accepts any step of the project, so that one of another process reaches the service
    and is refused there with a message that says so; steps of other projects are never valid.
    """

    after = forms.TypedChoiceField(
        label=_("Position"), coerce=int, required=False, empty_value=None, help_text=_("Where the new step goes.")
    )
    next_steps = forms.ModelMultipleChoiceField(
        label=_("Next steps"),
        queryset=Step.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose the next steps among the steps of this process.")},
        help_text=_("Leave all unticked to go on with the following step in order."),
    )

    class Meta:
        model = Step
        fields = ["lane", "action", "system", "manual", "duration_minutes", "ends_flow"]
        widgets = {
            "lane": forms.TextInput(attrs={"list": LANE_LIST_ID, "autocomplete": "off"}),
            "duration_minutes": forms.NumberInput(attrs={"min": 0, "step": 1}),
        }
        error_messages = {
            "lane": {"required": _("Name the role or department that does this step.")},
            "action": {"required": _("Say what is done in this step.")},
        }

    def __init__(self, *args: Any, process: Process, steps: list[Step], with_next: bool = True, **kwargs: Any) -> None:
        """`steps` are the process's steps in order (from selectors.process_steps when links are needed)."""
        super().__init__(*args, **kwargs)
        self.process = process
        self.other_steps = [s for s in steps if s.pk != self.instance.pk]
        if self.instance.pk:
            del self.fields["after"]
        else:
            self.fields["after"].choices = [
                ("", _("at the end")),
                (0, _("at the start")),
                *[(s.order, _("after step %(step)s") % {"step": s}) for s in steps],
            ]
        if not with_next:
            del self.fields["next_steps"]
            return
        self.fields["next_steps"].queryset = Step.objects.filter(process__project_id=process.project_id)
        current = {link.to_step_id: link.label for link in getattr(self.instance, "next_list", [])}
        self.initial.setdefault("next_steps", list(current))
        for step in self.other_steps:
            self.fields[self.label_name(step)] = forms.CharField(
                label=_("Label of the arrow to step %(order)s") % {"order": step.order},
                max_length=60,
                required=False,
                initial=current.get(step.pk, ""),
                widget=forms.TextInput(attrs={"placeholder": _("label, e.g. “failed check”")}),
            )

    @staticmethod
    def label_name(step: Step) -> str:
        return f"label_{step.pk}"

    def next_rows(self) -> list[dict[str, Any]]:
        """One row per other step of the process: the step, whether it is ticked, and its label field."""
        if "next_steps" not in self.fields:
            return []
        if self.is_bound:
            ticked = set(self.data.getlist(self.add_prefix("next_steps")))
        else:
            ticked = {str(pk) for pk in self.initial.get("next_steps", [])}
        return [
            {"step": step, "checked": str(step.pk) in ticked, "label": self[self.label_name(step)]}
            for step in self.other_steps
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("ends_flow") and data.get("next_steps"):
            self.add_error("ends_flow", _("A step that ends the process has no next steps: untick one or the other."))
        return data

    def position(self) -> int | None:
        """The 1-based position for a new step; None appends it."""
        after = self.cleaned_data.get("after")
        return None if after is None else after + 1

    def step_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def labels(self) -> dict[int, str]:
        return {
            step.pk: self.cleaned_data.get(self.label_name(step), "")
            for step in self.cleaned_data.get("next_steps", [])
        }


class StepEditForm(VersionedFormMixin, StepForm):
    pass


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["kind", "severity", "description", "evidence"]
        widgets = {
            "severity": forms.Select(choices=SEVERITY_CHOICES),
            "evidence": forms.Textarea(attrs={"rows": 6}),
        }


class FindingEditForm(VersionedFormMixin, forms.ModelForm):
    """Editing may move the finding to another step of the same process."""

    class Meta:
        model = Finding
        fields = ["step", "kind", "severity", "description", "evidence"]
        widgets = {
            "severity": forms.Select(choices=SEVERITY_CHOICES),
            "evidence": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = self.fields["step"]
        step.queryset = process.steps.order_by("order")
        step.empty_label = None
        step.error_messages["invalid_choice"] = _("Choose a step of this process.")
