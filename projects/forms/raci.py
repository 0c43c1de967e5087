"""Forms of the RACI pages: the matrix of letters, and a project-specific activity."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import RaciActivity, RaciAssignment
from projects.selectors.raci import RaciMatrix, RaciRow

CELL = re.compile(r"cell-(\d+)-(\d+)")
LETTER_CHOICES = [("", "·"), *((value, value) for value in RaciAssignment.Letter.values)]


def cell_name(activity_id: int, membership_id: int) -> str:
    return f"cell-{activity_id}-{membership_id}"


class RaciMatrixForm(forms.Form):
    """One letter per activity and member, as the matrix was when the page was shown.

    The hidden `shown` field carries the letters the page showed, so that only the cells the user
    changed are saved and someone else's changes to other cells meanwhile survive. Cells that are
    not posted at all stay as they are.
    """

    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, matrix: RaciMatrix, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        self.cells: dict[tuple[int, int], str] = {}
        shown = []
        for row in matrix.rows:
            for member, letter in zip(matrix.members, row.letters, strict=True):
                name = cell_name(row.activity.pk, member.pk)
                person = member.user.get_full_name() or member.user.get_username()
                self.fields[name] = forms.ChoiceField(
                    choices=LETTER_CHOICES,
                    required=False,
                    initial=letter,
                    error_messages={"invalid_choice": _("“%(value)s” is not one of R, A, C, I.")},
                    widget=forms.Select(
                        attrs={
                            "class": "form-select form-select-sm wb-raci-select",
                            "aria-label": f"{row.activity.name} · {person}",
                            "data-shown": letter,
                        }
                    ),
                )
                self.cells[(row.activity.pk, member.pk)] = name
                if letter:
                    shown.append(f"{name}={letter}")
        self.fields["shown"].initial = " ".join(shown)
        if self.is_bound:
            self.data = self._fill_in_unposted(self.data)

    def _fill_in_unposted(self, data: Any) -> Any:
        """Cells left out of the POST keep the letter the page showed (or the stored one)."""
        data = data.copy()
        shown = self.shown_letters(data)
        for name in self.cells.values():
            # Shown again after an error, the page must compare with what was first shown, not with now.
            self.fields[name].widget.attrs["data-shown"] = shown[name]
            if name not in data:
                data[name] = shown[name]
        return data

    def shown_letters(self, data: Any) -> dict[str, str]:
        """The letter of every cell as the page showed it; the stored letter where the page said nothing."""
        letters = {name: self.fields[name].initial for name in self.cells.values()}
        if "shown" in data:
            letters = dict.fromkeys(letters, "")
            for pair in data["shown"].split():
                name, _sep, letter = pair.partition("=")
                if name in letters:
                    letters[name] = letter
        return letters

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        strangers = [key for key in self.data if CELL.fullmatch(key) and key not in self.fields]
        if strangers:
            raise forms.ValidationError(
                _(
                    "Some cells name an activity or member that is not in this project's matrix (any more). "
                    "The matrix below is the current one: check your changes and save again."
                ),
                code="unknown_cell",
            )
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"

    def changed_cells(self) -> dict[tuple[int, int], str]:
        """{(activity id, membership id): letter} for the cells whose letter differs from what the page showed."""
        shown = self.shown_letters(self.data)
        return {
            key: self.cleaned_data[name] for key, name in self.cells.items() if self.cleaned_data[name] != shown[name]
        }

    def grid(self) -> list[tuple[RaciRow, list[forms.BoundField]]]:
        """The matrix rows with the bound select of each member, in column order."""
        return [
            (row, [self[cell_name(row.activity.pk, member.pk)] for member in self.matrix.members])
            for row in self.matrix.rows
        ]

    def cell_errors(self) -> list[tuple[str, str, str]]:
        """(activity, member, message) for every cell that was refused, in matrix order."""
        refused = []
        for row in self.matrix.rows:
            for member in self.matrix.members:
                for message in self.errors.get(cell_name(row.activity.pk, member.pk), []):
                    person = member.user.get_full_name() or member.user.get_username()
                    refused.append((row.activity.name, person, message))
        return refused


class RaciActivityForm(forms.ModelForm):
    class Meta:
        model = RaciActivity
        fields = ["name"]
        labels = {"name": _("New activity")}
        widgets = {"name": forms.TextInput(attrs={"placeholder": _("e.g. Reporting and dashboards")})}
