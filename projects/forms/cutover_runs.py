"""Forms of the run pages: plan a rehearsal or the live cutover, edit it, record a task, apply new durations."""

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from projects.models import CutoverRun
from projects.selectors.golive import TaskEstimate
from workbench.locking import VersionedFormMixin

# A browser's date-and-time picker; the value is read in the site's time zone.
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_input(**attrs: Any) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format=DATETIME_INPUT_FORMAT)


def _at_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("At"),
        required=False,
        widget=datetime_input(),
        help_text=_("Only when recording after the fact; leave empty for now."),
    )


def _check_moment(at: datetime | None, not_before: datetime | None) -> datetime | None:
    """The same rule as the services, said next to the field: not in the future, not before `not_before`."""
    if at is None:
        return None
    if at > timezone.now() + timedelta(minutes=1):
        raise forms.ValidationError(_("That time is in the future."))
    if not_before is not None and at < not_before:
        raise forms.ValidationError(
            _("That time is before %(moment)s.")
            % {"moment": date_format(timezone.localtime(not_before), "SHORT_DATETIME_FORMAT")}
        )
    return at


class RunForm(forms.Form):
    """Plan a rehearsal or the live cutover; an empty name becomes "Rehearsal 3" or "Live cutover"."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CutoverRun.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
    )
    planned_start = forms.DateTimeField(
        label=_("Planned start"),
        widget=datetime_input(),
        help_text=_(
            "A rehearsal keeps the runbook's fixed times at the same hour of its own day, so that "
            "“the stores close at 22:00” is 22:00 there too."
        ),
    )

    def __init__(self, *args: Any, default_names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_names = default_names or {}
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Rehearsal 2 (full data volume)")
        if self.default_names:
            self.fields["name"].help_text = _("Leave empty for “%(rehearsal)s” or “%(live)s”.") % {
                "rehearsal": self.default_names.get(CutoverRun.Kind.REHEARSAL, ""),
                "live": self.default_names.get(CutoverRun.Kind.LIVE, ""),
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("name") or "").strip() and data.get("kind"):
            data["name"] = str(self.default_names.get(data["kind"], CutoverRun.Kind(data["kind"]).label))
        return data


class RunEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CutoverRun
        fields = ["name", "planned_start"]
        widgets = {"planned_start": datetime_input()}


class MomentForm(forms.Form):
    """Start or finish a run now, or at a time typed after the fact."""

    at = _at_field()

    def __init__(self, *args: Any, not_before: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_before = not_before

    def clean_at(self) -> datetime | None:
        return _check_moment(self.cleaned_data.get("at"), self.not_before)


class TaskActionForm(forms.Form):
    """Start, complete, fail or skip a task of a running run; failing and skipping need a reason."""

    ACTIONS = ("start", "complete", "fail", "skip")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    at = _at_field()

    def __init__(self, *args: Any, run: CutoverRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run = run

    def clean_at(self) -> datetime | None:
        return _check_moment(self.cleaned_data.get("at"), self.run.started_at)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action in ("fail", "skip") and not (data.get("reason") or "").strip():
            if action == "fail":
                self.add_error("reason", _("Say why the task failed."))
            else:
                self.add_error("reason", _("Say why the task is skipped."))
        return data


class DurationsForm(forms.Form):
    """A tick per task whose proposed duration differs from the plan (ticked at first), with the proposal shown.

    The proposal shown is sent back (`shown_<id>`), so that what is applied is what the person saw.
    """

    def __init__(self, *args: Any, rows: list[TaskEstimate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.changes]
        for row in self.rows:
            self.fields[f"task_{row.task.pk}"] = forms.BooleanField(required=False, initial=True)
            self.fields[f"shown_{row.task.pk}"] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput, initial=row.proposed
            )

    def chosen(self) -> dict[int, int]:
        """Task id → the minutes shown, for the ticked tasks."""
        chosen = {}
        for row in self.rows:
            if self.cleaned_data.get(f"task_{row.task.pk}"):
                shown = self.cleaned_data.get(f"shown_{row.task.pk}")
                chosen[row.task.pk] = row.proposed if shown is None else shown
        return chosen

    def stale(self) -> list[int]:
        """Numbers of ticked tasks whose proposal changed since the page was opened."""
        return [
            row.task.number
            for row in self.rows
            if self.cleaned_data.get(f"task_{row.task.pk}")
            and self.cleaned_data.get(f"shown_{row.task.pk}") not in (None, row.proposed)
        ]
