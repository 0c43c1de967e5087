"""Forms of the weighted criteria: a criterion (versioned when edited), the AHP pairwise judgements, an
evaluator's score sheet and the agreed scores of an offer.

The sheet-like forms have one field (or two) per criterion, named after the criterion's id, so one
POST saves a whole sheet; `rows()` hands the template each criterion with its bound fields.
"""

import math
from fractions import Fraction
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from requirements.models import AgreedScore, Criterion, Score
from workbench.locking import VersionedFormMixin
from workbench.numbers import plain_decimal

NOTE_MAX = 500

# Saaty's scale, from "the first matters far more" to "the second matters far more".
SAATY_SCALE: list[tuple[str, Any]] = [
    ("9", _("extremely more important")),
    ("7", _("very strongly more important")),
    ("5", _("strongly more important")),
    ("3", _("moderately more important")),
    ("1", _("equally important")),
    ("1/3", _("moderately less important")),
    ("1/5", _("strongly less important")),
    ("1/7", _("very strongly less important")),
    ("1/9", _("extremely less important")),
]

SCORE_LABELS: list[tuple[int, Any]] = [
    (1, _("poor: does not meet it")),
    (2, _("weak: meets it only partly")),
    (3, _("adequate: meets it")),
    (4, _("good: meets it well")),
    (5, _("excellent: exceeds it")),
]


def saaty_text(value: float) -> str:
    """A judgement as it is written on Saaty's scale: 3 → "3", 0.2 → "1/5", 2.5 → "5/2"."""
    fraction = Fraction(value).limit_denominator(9)
    return str(fraction.numerator) if fraction.denominator == 1 else f"{fraction.numerator}/{fraction.denominator}"


def saaty_value(text: str) -> float:
    return float(Fraction(text))


class CriterionForm(forms.ModelForm):
    """A criterion: its name, group, weight (any number ≥ 0, shown as a share of the total) and how to score it."""

    class Meta:
        model = Criterion
        fields = ["name", "group", "weight", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "weight": _("Any number from 0 up; the page shows each weight as a share of the total."),
            "description": _("What a 1 and a 5 look like here, so that evaluators score alike. Markdown."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["weight"] = plain_decimal(self.instance.weight)  # "3", not "3.0000"


class CriterionEditForm(VersionedFormMixin, CriterionForm):
    pass


class AhpForm(forms.Form):
    """One choice on Saaty's scale per pair of criteria (i before j in the order given).

    A stored judgement off the scale (2, 4, 1/6 …, entered elsewhere) is offered as it is, so that
    saving the page does not round it silently.
    """

    def __init__(self, *args: Any, criteria: list[Criterion], stored: dict[tuple[int, int], float], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pairs: list[tuple[Criterion, Criterion, str]] = []
        for i, first in enumerate(criteria):
            for second in criteria[i + 1 :]:
                name = f"pair_{first.pk}_{second.pk}"
                current = stored.get((first.pk, second.pk), 1.0)
                choices = [(value, f"{value} · {words}") for value, words in SAATY_SCALE]
                if not any(math.isclose(saaty_value(value), current, rel_tol=1e-6) for value, _w in SAATY_SCALE):
                    text = saaty_text(current)
                    choices.append((text, _("%(value)s · as entered before") % {"value": text}))
                    initial = text
                else:
                    initial = next(v for v, _w in SAATY_SCALE if math.isclose(saaty_value(v), current, rel_tol=1e-6))
                self.fields[name] = forms.ChoiceField(
                    label=_("%(first)s compared with %(second)s") % {"first": first.name, "second": second.name},
                    choices=choices,
                    initial=initial,
                )
                self.pairs.append((first, second, name))

    def judgements(self) -> list[tuple[Criterion, Criterion, float]]:
        """(first, second, how much more first matters) for every pair, from the cleaned data."""
        return [(first, second, saaty_value(self.cleaned_data[name])) for first, second, name in self.pairs]

    def rows(self) -> list[tuple[Criterion, Criterion, forms.BoundField]]:
        return [(first, second, self[name]) for first, second, name in self.pairs]


class ScoreSheetForm(forms.Form):
    """An evaluator's sheet for one offer: per criterion a score from 1 to 5 and a note.

    A criterion may stay unscored until the evaluator submits; a score once given can change, not go.
    """

    def __init__(self, *args: Any, criteria: list[Criterion], mine: dict[int, Score], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria, self.mine = criteria, mine
        for criterion in criteria:
            score = mine.get(criterion.pk)
            self.fields[f"value_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(value, str(value)) for value, _label in SCORE_LABELS],
                coerce=int,
                required=False,
                empty_value=None,
                initial=score.value if score else None,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": criterion.name},
                max_length=NOTE_MAX,
                required=False,
                initial=score.note if score else "",
                widget=forms.TextInput(attrs={"placeholder": _("Why this score (optional)")}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for criterion in self.criteria:
            value, note = data.get(f"value_{criterion.pk}"), data.get(f"note_{criterion.pk}")
            if value is None and criterion.pk in self.mine:
                self.add_error(f"value_{criterion.pk}", _("You scored this before: change the score, not remove it."))
            elif value is None and note:
                self.add_error(f"value_{criterion.pk}", _("Choose a score to go with the note."))
        return data

    def changes(self) -> list[tuple[Criterion, int, str]]:
        """(criterion, value, note) for every criterion scored now and not already scored exactly so."""
        out = []
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"value_{criterion.pk}")
            note = self.cleaned_data.get(f"note_{criterion.pk}", "").strip()
            before = self.mine.get(criterion.pk)
            if value is not None and (before is None or (before.value, before.note) != (value, note)):
                out.append((criterion, value, note))
        return out

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"value_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]


class AgreedScoreForm(forms.Form):
    """The scores the team agreed on for one offer, per criterion 1 to 5 with a note; once agreed, never blank."""

    def __init__(self, *args: Any, criteria: list[Criterion], agreed: dict[int, AgreedScore], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria, self.agreed = criteria, agreed
        for criterion in criteria:
            current = agreed.get(criterion.pk)
            self.fields[f"agreed_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Agreed score for %(criterion)s") % {"criterion": criterion.name},
                choices=[("", "—"), *((value, f"{value} · {words}") for value, words in SCORE_LABELS)],
                coerce=int,
                required=False,
                empty_value=None,
                initial=current.value if current else "",
            )
            self.fields[f"agreed_note_{criterion.pk}"] = forms.CharField(
                label=_("Note on the agreed score for %(criterion)s") % {"criterion": criterion.name},
                max_length=NOTE_MAX,
                required=False,
                initial=current.note if current else "",
                widget=forms.TextInput(attrs={"placeholder": _("What the team agreed and why")}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for criterion in self.criteria:
            value, note = data.get(f"agreed_{criterion.pk}"), data.get(f"agreed_note_{criterion.pk}")
            if value is None and criterion.pk in self.agreed:
                self.add_error(f"agreed_{criterion.pk}", _("An agreed score can be changed, not removed."))
            elif value is None and note:
                self.add_error(f"agreed_{criterion.pk}", _("Choose the agreed score to go with the note."))
        return data

    def changes(self) -> list[tuple[Criterion, int, str]]:
        out = []
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"agreed_{criterion.pk}")
            note = self.cleaned_data.get(f"agreed_note_{criterion.pk}", "").strip()
            before = self.agreed.get(criterion.pk)
            if value is not None and (before is None or (before.value, before.note) != (value, note)):
                out.append((criterion, value, note))
        return out

    def field_pair(self, criterion: Criterion) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"agreed_{criterion.pk}"], self[f"agreed_note_{criterion.pk}"]
