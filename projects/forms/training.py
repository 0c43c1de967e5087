"""Forms of training: plans (role, trainees from the team), sessions, materials and a session's attendance."""

import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Attendance, Membership, Project, TrainingPlan, TrainingSession
from projects.models.golive import TrainingRole
from projects.services.training import MATERIAL_MAX_BYTES, MATERIAL_TYPES
from workbench.locking import VersionedFormMixin
from workbench.numbers import plain_decimal

SCORE_ERRORS = {
    "invalid": _("Enter the quiz score as a number, e.g. 85 or 92.5."),
    "min_value": _("A quiz score is between 0 and 100."),
    "max_value": _("A quiz score is between 0 and 100."),
    "max_decimal_places": _("A quiz score has at most one decimal place, e.g. 92.5."),
}
FIELD_KEY = re.compile(r"^(status|score)-(\d+)$")


def member_name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


class TrainingPlanForm(forms.ModelForm):
    """A plan for one role; the trainees are chosen from the project's members, shown by department."""

    class Meta:
        model = TrainingPlan
        fields = ["role", "title", "objectives", "trainees"]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "trainees": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("e.g. “Receiving, put-away and stock-taking with the scanner”."),
            "objectives": _("What the role can do after the training, most frequent tasks first. Markdown is allowed."),
            "trainees": _("Who has to complete this plan before go-live."),
        }
        error_messages = {
            "role": {"required": _("Choose the role this plan trains.")},
            "title": {"required": _("Give the plan a title.")},
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.members = list(
            project.memberships.select_related("user").order_by(
                "department", "user__first_name", "user__last_name", "user__username"
            )
        )
        trainees = self.fields["trainees"]
        trainees.queryset = project.memberships.all()
        trainees.label_from_instance = member_name
        trainees.required = False
        taken = set(project.training_plans.exclude(pk=self.instance.pk).values_list("role", flat=True))
        self.taken_roles = taken
        self.fields["role"].choices = [("", "---------")] + [
            (value, _("%(role)s (has a plan)") % {"role": label} if value in taken else label)
            for value, label in TrainingRole.choices
        ]

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role in self.taken_roles:
            raise forms.ValidationError(
                _("There is already a training plan for %(role)s: open that plan, or choose another role."),
                params={"role": TrainingRole(role).label},
            )
        return role

    def trainee_groups(self) -> list[dict[str, Any]]:
        """The trainee checkboxes by department, without a query per member."""
        checked = {str(getattr(v, "pk", v)) for v in (self["trainees"].value() or [])}
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        labels: dict[str, str] = {}
        for member in self.members:
            labels[member.department] = member.get_department_display()
            groups[member.department].append(
                {
                    "member": member,
                    "name": member_name(member),
                    "checked": str(member.pk) in checked,
                    "id": f"id_trainees_{member.pk}",
                }
            )
        order = {value: position for position, value in enumerate(Membership.Department.values)}
        return [
            {"label": labels[key], "members": members}
            for key, members in sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))
        ]


class TrainingPlanEditForm(VersionedFormMixin, TrainingPlanForm):
    pass


class TrainingSessionForm(forms.ModelForm):
    """A session: the start is typed as a date and a time, in the user's time zone."""

    starts_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the day of the session.")},
    )
    starts_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the time the session starts.")},
    )

    class Meta:
        model = TrainingSession
        fields = ["title", "duration_minutes", "trainer", "location", "topics"]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 5}),
            "duration_minutes": forms.NumberInput(attrs={"min": 5, "max": 1440, "step": 5}),
        }
        help_texts = {
            "trainer": _("A key user, the vendor's consultant or an IT colleague."),
            "location": _("A room, a warehouse or an online meeting link."),
            "topics": _("What the session covers, e.g. the tasks practised. Markdown is allowed."),
        }
        error_messages = {"title": {"required": _("Give the session a title.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starts = self.instance.starts_at
        if starts is not None:
            local = timezone.localtime(starts)
            self.initial.setdefault("starts_on", local.date())
            self.initial.setdefault("starts_time", local.time().replace(second=0, microsecond=0))

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is None or not 5 <= minutes <= 1440:
            raise forms.ValidationError(_("A session lasts between 5 minutes and 24 hours (1440 minutes)."))
        return minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("starts_on"), data.get("starts_time")
        if day is not None and time is not None:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, time))
        return data

    def session_fields(self) -> dict[str, Any]:
        """What the services take: the model fields and the combined start."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["starts_at"] = self.cleaned_data["starts_at"]
        return data


class TrainingSessionEditForm(VersionedFormMixin, TrainingSessionForm):
    pass


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name or the link."),
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("A video or document on the intranet, e.g. https://wiki.example.com/receiving."),
    )
    file = forms.FileField(
        label=_("or a file"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text, image or video, up to %(limit)s MB.")
        % {"limit": MATERIAL_MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(MATERIAL_TYPES))}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        link, upload = data.get("link"), data.get("file")
        if link and upload:
            self.add_error(None, _("Add either a link or a file, not both: add them as two materials."))
        elif not link and not upload:
            self.add_error(None, _("Add a link or choose a file."))
        return data


class AttendanceForm(forms.Form):
    """One row per trainee of the plan: status and quiz score. Rows already recorded need a status; a row never
    recorded may stay empty (not invited)."""

    def __init__(self, *args: Any, trainees: list[Membership], records: dict[int, Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainees = trainees
        self.records = records
        choices = [("", _("Not invited")), *Attendance.Status.choices]
        for member in trainees:
            record = records.get(member.pk)
            name = member_name(member)
            self.fields[f"status-{member.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": name},
                choices=choices if record is None else Attendance.Status.choices,
                required=record is not None,
                initial=record.status if record is not None else "",
                error_messages={"required": _("Choose invited, attended or absent.")},
            )
            self.fields[f"score-{member.pk}"] = forms.DecimalField(
                label=_("Quiz score of %(name)s") % {"name": name},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
                initial=plain_decimal(record.quiz_score)
                if record is not None and record.quiz_score is not None
                else None,
                error_messages=SCORE_ERRORS,
                widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": 100, "inputmode": "decimal"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        known = {m.pk for m in self.trainees}
        lead = f"{self.prefix}-" if self.prefix else ""
        keys = [key[len(lead) :] for key in self.data if key.startswith(lead)]
        strangers = {int(match[2]) for key in keys if (match := FIELD_KEY.match(key)) and int(match[2]) not in known}
        if strangers:
            names = {m.pk: member_name(m) for m in Membership.objects.filter(pk__in=strangers).select_related("user")}
            shown = ", ".join(sorted(names.values())) or ", ".join(f"#{pk}" for pk in sorted(strangers))
            self.add_error(
                None,
                _("Only the plan's trainees can be recorded; %(names)s is not one. Add them to the plan first.")
                % {"names": shown},
            )
        for member in self.trainees:
            status, score = data.get(f"status-{member.pk}"), data.get(f"score-{member.pk}")
            if score is None or f"score-{member.pk}" in self.errors:
                continue
            if not status:
                self.add_error(f"score-{member.pk}", _("Choose “attended” to record a quiz score."))
            elif status != Attendance.Status.ATTENDED:
                self.add_error(f"score-{member.pk}", _("Only someone who attended has a quiz score."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for member in self.trainees:
            status, score = self[f"status-{member.pk}"], self[f"score-{member.pk}"]
            rows.append(
                {
                    "member": member,
                    "name": member_name(member),
                    "status": status,
                    "score": score,
                    "record": self.records.get(member.pk),
                    "errors": [*status.errors, *score.errors],
                }
            )
        return rows

    def entries(self) -> list[tuple[Membership, str, Any]]:
        """(member, status, score) for each row that has a status."""
        return [
            (member, self.cleaned_data[f"status-{member.pk}"], self.cleaned_data.get(f"score-{member.pk}"))
            for member in self.trainees
            if self.cleaned_data.get(f"status-{member.pk}")
        ]
