"""Forms for requirements: create and edit (versioned), bulk changes, workflow moves, comments, suspect review."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from projects.models import KPI, Finding, Membership, Project
from requirements.models import Comment, Requirement
from requirements.selectors.requirements import member_choices, parent_choices
from workbench.locking import VersionedFormMixin


def member_label(membership: Membership) -> str:
    name = membership.user.get_full_name() or membership.user.get_username()
    return f"{name} · {membership.get_role_display()}"


def _kpi_label(kpi: KPI) -> str:
    return f"{kpi.name} — {kpi.goal.statement}"


def _finding_label(finding: Finding) -> str:
    return f"{finding.description} ({finding.get_kind_display()}, {finding.severity}/5 · {finding.step.process.name})"


def _one_newline(text: str) -> str:
    """Browsers send CRLF from a textarea; store LF, so that an untouched text never reads as changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class RequirementForm(forms.ModelForm):
    """A requirement; owner, parent and links offer only this project's members and items."""

    class Meta:
        model = Requirement
        fields = [
            "title",
            "statement",
            "layer",
            "category",
            "priority",
            "acceptance_criteria",
            "owner",
            "source",
            "parent",
            "goals",
            "kpis",
            "findings",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 7}),
            "acceptance_criteria": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.CheckboxSelectMultiple,
            "kpis": forms.CheckboxSelectMultiple,
            "findings": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        owner = self.fields["owner"]
        owner.queryset = member_choices(project=project)
        owner.label_from_instance = member_label
        owner.empty_label = _("No owner yet")
        parent = self.fields["parent"]
        parent.queryset = parent_choices(project=project, requirement=self.instance)
        parent.empty_label = _("None: a top-level requirement")
        parent.help_text = _("The broader requirement this one details.")
        self.fields["goals"].queryset = project.goals.order_by("pk")
        kpis = self.fields["kpis"]
        kpis.queryset = KPI.objects.filter(goal__project=project).select_related("goal").order_by("goal_id", "pk")
        kpis.label_from_instance = _kpi_label
        findings = self.fields["findings"]
        findings.queryset = (
            Finding.objects.filter(step__process__project=project)
            .select_related("step__process")
            .order_by("-severity", "pk")
        )
        findings.label_from_instance = _finding_label
        self.fields["goals"].help_text = _("The goals this requirement serves.")
        self.fields["kpis"].help_text = _("The KPIs it should move.")
        self.fields["findings"].help_text = _("The pain points, redundancies or risks it answers.")

    def clean_statement(self) -> str:
        return _one_newline(self.cleaned_data["statement"])

    def clean_acceptance_criteria(self) -> str:
        return _one_newline(self.cleaned_data["acceptance_criteria"])

    def service_fields(self) -> dict[str, Any]:
        """cleaned_data as the services take it: plain fields, plus goals, kpis and findings as lists."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in ("goals", "kpis", "findings"):
            data[name] = list(data[name])
        return data


# The form fields a stale save can take over from the version someone else saved meanwhile.
REBASED_FIELDS = [
    "title",
    "statement",
    "layer",
    "category",
    "priority",
    "acceptance_criteria",
    "owner",
    "source",
    "parent",
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _one_newline(a).strip() == _one_newline(b).strip()
    return (a or None) == (b or None)


class RequirementEditForm(VersionedFormMixin, RequirementForm):
    def rebased(self, *, started: Any, current: Requirement) -> tuple[QueryDict, dict[str, str]]:
        """This form's data moved onto `current` after a stale save, and what happened to each field.

        `started` is the historical record the user began from. A field only the other person changed
        takes their value ("taken"); a field both changed keeps what this user typed ("kept") unless
        both typed the same ("same"). The version becomes the current one, so the next save applies.
        """
        data = self.data.copy()
        data["version"] = str(current.version)
        outcomes = {}
        for name in REBASED_FIELDS:
            attname = Requirement._meta.get_field(name).attname
            base, theirs = getattr(started, attname), getattr(current, attname)
            if _same(base, theirs):
                continue
            mine = self.cleaned_data.get(name)
            mine = getattr(mine, "pk", mine)
            if _same(mine, base):
                data[name] = "" if theirs is None else str(theirs)
                outcomes[name] = "taken"
            else:
                outcomes[name] = "same" if _same(mine, theirs) else "kept"
        return data, outcomes


class RequirementBulkForm(forms.Form):
    """One status, priority and/or owner for the ticked rows of the list."""

    ids = forms.ModelMultipleChoiceField(
        queryset=Requirement.objects.none(),
        error_messages={
            "required": _("Tick the requirements to change first."),
            "invalid_choice": _("One of the ticked requirements does not exist any more. Reload the list."),
            "invalid_pk_value": _("One of the ticked requirements does not exist any more. Reload the list."),
        },
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Status unchanged")), *Requirement.Status.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Priority unchanged")), *Requirement.Priority.choices]
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=Membership.objects.none(), empty_label=_("Owner unchanged")
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = project.requirements.order_by("number")
        owner = self.fields["owner"]
        owner.queryset = member_choices(project=project)
        owner.label_from_instance = member_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("status") or data.get("priority") or data.get("owner")):
            raise forms.ValidationError(_("Choose a new status, priority or owner for the ticked requirements."))
        return data


class TransitionForm(forms.Form):
    to_status = forms.CharField(max_length=20)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Add a review comment")}


class SuspectClearForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        max_length=300,
        required=False,
        help_text=_("What you checked, e.g. “still valid as written”."),
    )


class CompareForm(forms.Form):
    """Two history records to compare: ?a=<history id>&b=<history id>."""

    a = forms.IntegerField(required=False, min_value=1)
    b = forms.IntegerField(required=False, min_value=1)
