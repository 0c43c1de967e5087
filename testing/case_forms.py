"""Forms of the UAT case pages: the case (versioned), its ordered steps, and the review note of a suspect case."""

import re
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from projects.models import Project
from requirements.models import Requirement
from requirements.models.requirement import KEY_PREFIX, format_key
from testing.models import UATCase
from workbench.locking import VersionedFormMixin

MAX_STEPS = 100
MAX_REQUIREMENT_KEYS = 200
_SEPARATORS = re.compile(r"[\s,;，、；]+")
_SHORT_KEY = re.compile(rf"{KEY_PREFIX}-?0*(\d+)")


def one_newline(text: str) -> str:
    """Browsers send CRLF from a textarea; store LF, so that an untouched text never reads as changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_requirement_keys(text: str) -> list[str]:
    """REQ keys typed in one box, separated by commas, spaces or semicolons; "req-7" and "REQ7" mean REQ-007."""
    keys = []
    for token in _SEPARATORS.split(text.strip().upper()):
        if not token:
            continue
        short = _SHORT_KEY.fullmatch(token)
        keys.append(format_key(int(short.group(1))) if short else token)
    return list(dict.fromkeys(keys))


class CaseForm(forms.ModelForm):
    """A case's own fields, and the requirements it verifies typed as REQ keys (a project may have thousands)."""

    requirement_keys = forms.CharField(
        label=_("Requirements verified"),
        required=False,
        max_length=4000,
        help_text=_("REQ keys separated by commas or spaces, e.g. REQ-001, REQ-014."),
        widget=forms.TextInput(attrs={"placeholder": "REQ-001, REQ-014", "autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = UATCase
        fields = ["title", "role", "flow", "priority", "preconditions"]
        widgets = {"preconditions": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "preconditions": _("What must be true before the first step (data, settings, stock). Markdown."),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        if self.instance.pk and not self.is_bound:
            keys = self.instance.requirements.order_by("number").values_list("key", flat=True)
            self.initial["requirement_keys"] = ", ".join(keys)

    def clean_preconditions(self) -> str:
        return one_newline(self.cleaned_data["preconditions"])

    def clean_requirement_keys(self) -> list[Requirement]:
        keys = parse_requirement_keys(self.cleaned_data["requirement_keys"])
        if len(keys) > MAX_REQUIREMENT_KEYS:
            raise forms.ValidationError(
                _("A case can verify at most %(max)s requirements.") % {"max": MAX_REQUIREMENT_KEYS}
            )
        found = {r.key: r for r in self.project.requirements.filter(key__in=keys).only("id", "key", "title", "project")}
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "This project has no requirement %(keys)s. Check the key, or remove it.",
                    "This project has no requirements %(keys)s. Check the keys, or remove them.",
                    len(unknown),
                )
                % {"keys": ", ".join(unknown)}
            )
        return [found[key] for key in keys]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "role": data["role"],
            "flow": data["flow"],
            "priority": data["priority"],
            "preconditions": data["preconditions"],
            "requirements": data["requirement_keys"],
        }


class CaseEditForm(VersionedFormMixin, CaseForm):
    pass


class StepForm(forms.Form):
    """One step. A row left wholly blank is ignored, so the editor can offer a few spare rows."""

    position = forms.IntegerField(
        label=_("Step"), required=False, min_value=1, max_value=999, widget=forms.NumberInput(attrs={"min": 1})
    )
    action = forms.CharField(label=_("Action"), required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True)
    expected = forms.CharField(
        label=_("Expected result"), required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )
    test_data = forms.CharField(label=_("Test data"), required=False, max_length=500, strip=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action, expected, test_data = (data.get(name) or "" for name in ("action", "expected", "test_data"))
        data["blank"] = not (action or expected or test_data)
        if not data["blank"]:
            if not action:
                self.add_error("action", _("Say what the tester does in this step."))
            if not expected:
                self.add_error("expected", _("Say what the tester should see after this step."))
        data["action"], data["expected"] = one_newline(action), one_newline(expected)
        return data


class BaseStepFormSet(BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.steps():
            raise forms.ValidationError(_("Add at least one step: what the tester does and what should happen."))

    def steps(self) -> list[tuple[str, str, str]]:
        """The filled rows as (action, expected, test data), in the order of their step numbers, then on the page."""
        rows = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("blank", True) or (self.can_delete and self._should_delete_form(form)):
                continue
            position = data.get("position") or MAX_STEPS * 10
            rows.append((position, index, (data["action"], data["expected"], data.get("test_data") or "")))
        return [step for _position, _index, step in sorted(rows)]


StepFormSet = formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_STEPS,
    validate_max=True,
    absolute_max=MAX_STEPS + 20,
)


def step_formset(*, data: Any = None, steps: list[tuple[str, str, str]] | None = None, extra: int = 2) -> BaseFormSet:
    """The steps editor: the given steps, then `extra` blank rows (without JavaScript, that is how steps are added)."""
    initial = [
        {"position": n, "action": action, "expected": expected, "test_data": test_data}
        for n, (action, expected, test_data) in enumerate(steps or [], start=1)
    ]
    initial += [{"position": len(initial) + n} for n in range(1, extra + 1)]
    formset = StepFormSet(data, initial=initial, prefix="steps")
    return formset


class SuspectClearForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        max_length=300,
        required=False,
        help_text=_("What you checked, e.g. “the steps still test the changed requirement”."),
    )
