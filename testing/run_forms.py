"""Forms of the test run pages: create and edit a run (versioned), assign testers, sign a run."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Membership, Project
from testing.models import RunCase, SignOff, TestRun
from workbench.locking import VersionedFormMixin

EXECUTING_ROLES = (Membership.Role.OWNER, Membership.Role.EDITOR, Membership.Role.TESTER)


def executors(project: Project) -> QuerySet[Membership]:
    """The project's members who may execute tests (owner, editor, tester), by name."""
    return (
        Membership.objects.filter(project=project, role__in=EXECUTING_ROLES)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def member_name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


def executor_label(membership: Membership) -> str:
    return f"{member_name(membership)} · {membership.get_role_display()}"


class RunForm(forms.ModelForm):
    class Meta:
        model = TestRun
        fields = ["name", "environment", "build", "planned_start", "planned_end"]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "name": _("e.g. UAT round 1"),
            "build": _("The version of the new system under test, e.g. v2.3.0-rc1"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end cannot be before the planned start."))
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RunEditForm(VersionedFormMixin, RunForm):
    pass


class TesterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return executor_label(obj)


class AssignForm(forms.Form):
    """Assign one tester (or nobody) to the ticked cases of a run, or to every case matching the filter."""

    tester = TesterField(queryset=Membership.objects.none(), required=False, label=_("Tester"))
    run_cases = forms.ModelMultipleChoiceField(queryset=RunCase.objects.none(), required=False)
    scope = forms.ChoiceField(choices=[("ticked", "ticked"), ("matching", "matching")], initial="ticked")

    def __init__(self, *args: Any, run: TestRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tester"].queryset = executors(run.project)
        self.fields["tester"].empty_label = _("Nobody (unassign)")
        self.fields["run_cases"].queryset = run.run_cases.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope") == "ticked" and not data.get("run_cases"):
            raise forms.ValidationError(_("Tick the cases to assign first."))
        return data


class SignForm(forms.ModelForm):
    """A signature: the role one signs as, a comment, the password again, and a waiver when critical
    defects are open."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password again to sign."),
    )

    class Meta:
        model = SignOff
        fields = ["role", "comment", "waiver"]
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 3}),
            "waiver": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, waiver_needed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if waiver_needed:
            self.fields["waiver"].help_text = _(
                "Critical defects are still open. Explain why the run may be accepted anyway; the waiver is kept "
                "with your signature."
            )
        else:
            del self.fields["waiver"]
        self.order_fields(["role", "comment", "waiver", "password"])

    def service_fields(self) -> dict[str, Any]:
        return {
            "role": self.cleaned_data["role"],
            "comment": self.cleaned_data.get("comment", ""),
            "waiver": self.cleaned_data.get("waiver", ""),
            "password": self.cleaned_data["password"],
        }
