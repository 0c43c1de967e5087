"""Forms of the cutover plan, its phases and the runbook: the plan, a phase, a task with the numbers it follows,
the runbook's filters and the CSV upload."""

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from projects.models import CutoverPhase, CutoverPlan, CutoverTask, Membership, Project
from workbench.locking import VersionedFormMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# "3, 5, 12", "3 5 12", "3，5、12", "3; 5".
AFTER_SEPARATORS = re.compile(r"[\s,;，；、]+")

STRATEGY_EXPLANATIONS = {
    CutoverPlan.Strategy.DIRECT: _("The old system stops and the new one takes over at once, in one cutover window."),
    CutoverPlan.Strategy.PARALLEL: _(
        "Both systems run side by side for a while; their results are compared before the old one is switched off."
    ),
    CutoverPlan.Strategy.PHASED: _(
        "The new system goes live part by part (e.g. the central warehouse first, then the stores), each phase on "
        "its own date."
    ),
}


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def member_label(membership: Membership) -> str:
    name = membership.user.get_full_name() or membership.user.get_username()
    return f"{name} · {membership.get_role_display()}"


def members(project: Project) -> Any:
    return project.memberships.select_related("user").order_by("user__first_name", "user__last_name", "user__username")


class CutoverPlanForm(VersionedFormMixin, forms.ModelForm):
    """The plan; the window, dates and decider are checked by `CutoverPlan.clean`, next to their fields."""

    class Meta:
        model = CutoverPlan
        fields = [
            "strategy",
            "go_live_date",
            "window_start",
            "window_end",
            "point_of_no_return",
            "rollback_deadline",
            "parallel_until",
            "comparison_checks",
            "contingency_plan",
            "hypercare_until",
            "decider",
        ]
        widgets = {
            "strategy": forms.RadioSelect,
            "go_live_date": DATE_INPUT,
            "parallel_until": DATE_INPUT,
            "hypercare_until": DATE_INPUT,
            "comparison_checks": forms.Textarea(attrs={"rows": 4}),
            "contingency_plan": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "go_live_date": _("The first business day on the new system."),
            "window_start": _("When the cutover starts, e.g. 18:00 on the eve of go-live. The runbook starts here."),
            "window_end": _("When the new system must be running, e.g. before the stores open."),
            "point_of_no_return": _("After this moment the old system cannot be brought back. Inside the window."),
            "rollback_deadline": _(
                "The last moment to decide to roll back. Inside the window, not after the point of no return."
            ),
            "hypercare_until": _("The last day of reinforced support after go-live."),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("window_start", "window_end", "point_of_no_return", "rollback_deadline"):
            self.fields[name].widget = datetime_input()
        strategy = self.fields["strategy"]
        strategy.choices = [
            (value, f"{label} — {STRATEGY_EXPLANATIONS[value]}") for value, label in CutoverPlan.Strategy.choices
        ]
        strategy.widget.attrs["data-strategy"] = "1"
        for name in ("parallel_until", "comparison_checks"):
            self.fields[name].widget.attrs["data-for-strategy"] = CutoverPlan.Strategy.PARALLEL
        decider = self.fields["decider"]
        decider.queryset = members(project).exclude(role=Membership.Role.VENDOR)
        decider.label_from_instance = member_label
        decider.empty_label = _("— nobody yet —")
        decider.error_messages["invalid_choice"] = _("The go/no-go decider must be a member of this project.")


class PhaseForm(forms.ModelForm):
    class Meta:
        model = CutoverPhase
        fields = ["order", "name", "scope", "starts_on"]
        widgets = {"starts_on": DATE_INPUT, "order": forms.NumberInput(attrs={"min": 1, "step": 1})}
        help_texts = {"order": _("Phases go live in this order: 1 first.")}
        error_messages = {"name": {"required": _("Name the phase, e.g. Central warehouse.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("Phases go live in this order: 1 first. Empty: after the last one.")


class TaskForm(forms.ModelForm):
    """A runbook task; "after" takes the numbers of the tasks that must finish first, e.g. "3, 5, 12"."""

    after = forms.CharField(
        label=_("After"),
        required=False,
        widget=forms.TextInput(attrs={"class": "font-monospace", "autocomplete": "off", "placeholder": "3, 5, 12"}),
        help_text=_(
            "Numbers of the tasks that must finish before this one starts, separated by commas (3, 5, 12). "
            "Empty: it can start when the runbook starts."
        ),
    )

    class Meta:
        model = CutoverTask
        fields = [
            "title",
            "stream",
            "kind",
            "owner",
            "backup",
            "duration_minutes",
            "fixed_start",
            "phase",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "duration_minutes": forms.NumberInput(attrs={"min": 0, "step": 5}),
            "fixed_start": datetime_input(),
        }
        help_texts = {
            "duration_minutes": _("How long it takes, in minutes. A milestone takes 0."),
            "fixed_start": _(
                "Only for something that happens at a set time (e.g. the stores close at 22:00). Empty: it starts "
                "as soon as the tasks it comes after are done."
            ),
        }
        error_messages = {"title": {"required": _("Say what the task is, e.g. Freeze master data.")}}

    field_order = [
        "title",
        "stream",
        "kind",
        "owner",
        "backup",
        "duration_minutes",
        "after",
        "fixed_start",
        "phase",
        "description",
    ]

    def __init__(self, *args: Any, plan: CutoverPlan, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for name in ("owner", "backup"):
            field = self.fields[name]
            field.queryset = members(project)
            field.label_from_instance = member_label
            field.empty_label = _("— nobody yet —")
        self.fields["backup"].help_text = _("Who takes over when the owner is not reachable.")
        self.fields["kind"].widget.attrs["data-task-kind"] = "1"
        phases = plan.phases.order_by("order") if plan.pk else CutoverPhase.objects.none()
        self.fields["phase"].queryset = phases
        self.fields["phase"].empty_label = _("— no phase —")
        if plan.strategy != CutoverPlan.Strategy.PHASED and not (self.instance.pk and self.instance.phase_id):
            del self.fields["phase"]
        if self.instance.pk and not self.is_bound:
            self.initial["after"] = ", ".join(
                str(n) for n in sorted(p.number for p in self.instance.predecessors.all())
            )

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_after(self) -> list[CutoverTask]:
        text = self.cleaned_data.get("after") or ""
        numbers: list[int] = []
        wrong: list[str] = []
        for token in AFTER_SEPARATORS.split(text.strip()):
            if not token:
                continue
            token = token.lstrip("#")
            if token.isdigit() and token.isascii():
                number = int(token)
                if number not in numbers:
                    numbers.append(number)
            else:
                wrong.append(token)
        if wrong:
            raise forms.ValidationError(
                _("“%(value)s” is not a task number: write numbers separated by commas, e.g. 3, 5, 12.")
                % {"value": wrong[0]}
            )
        if self.instance.pk and self.instance.number in numbers:
            raise forms.ValidationError(_("A task cannot come after itself."))
        found = {t.number: t for t in self.plan.tasks.filter(number__in=numbers)} if self.plan.pk and numbers else {}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "There is no task %(numbers)s in the runbook.",
                    "There are no tasks %(numbers)s in the runbook.",
                    len(unknown),
                )
                % {"numbers": ", ".join(str(n) for n in unknown)}
            )
        return [found[n] for n in numbers]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == CutoverTask.Kind.MILESTONE and data.get("duration_minutes"):
            self.add_error("duration_minutes", _("A milestone marks a moment and takes no time: set 0 minutes."))
        owner, backup = data.get("owner"), data.get("backup")
        if owner is not None and backup is not None and owner.pk == backup.pk:
            self.add_error("backup", _("The backup is someone other than the owner."))
        return data


class TaskEditForm(VersionedFormMixin, TaskForm):
    pass


class RunbookFilterForm(forms.Form):
    """The runbook's filters; each choice shows how many tasks it has (set by the view)."""

    q = forms.CharField(label=_("Search"), required=False)
    stream = forms.ChoiceField(label=_("Stream"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    person = forms.ChoiceField(label=_("Owner or backup"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    critical = forms.BooleanField(label=_("Critical path only"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            self.fields[name].choices = options
        if len(choices.get("phase", [])) <= 1:
            del self.fields["phase"]


class RunbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM) or GB18030 as Chinese Excel saves it, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB: split it."))
        return upload
