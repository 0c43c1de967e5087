"""The fit-gap answer sheet, shared by the team's offer-fit page and the vendor portal: filters, one small form
per requirement, the all-or-nothing save, the figures at the top of the page and the quote-line form.

Writes go through `requirements.selection` (fit_set, fit_clear, quote_line_create); this module only decides
which rows changed and keeps the whole page in one transaction, so that a refused row leaves nothing half-saved.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements import evaluation
from requirements.comparison import OPEN
from requirements.models import Fit, Offer, QuoteLine, Requirement, Selection
from requirements.selection import SelectionError, fit_clear, fit_set
from workbench.locking import StaleVersionError

UNANSWERED = evaluation.UNANSWERED

# One vocabulary of states: met without customisation green, bought in blue, customised amber, missing red.
FIT_LOOK: dict[str, tuple[str, str]] = {
    Fit.Level.STANDARD: ("wb-state-good", "ti-circle-check"),
    Fit.Level.CONFIGURATION: ("wb-state-good", "ti-adjustments"),
    Fit.Level.THIRD_PARTY: ("wb-state-info", "ti-puzzle"),
    Fit.Level.CUSTOMISATION: ("wb-state-warn", "ti-tool"),
    Fit.Level.NOT_SUPPORTED: ("wb-state-bad", "ti-circle-x"),
    UNANSWERED: ("wb-state-idle", "ti-circle-dashed"),
}
LEVEL_LABELS: dict[str, Any] = {**dict(Fit.Level.choices), UNANSWERED: _("Unanswered")}


@dataclass(frozen=True)
class FitLook:
    """How one fit level is drawn: badge class, icon and label."""

    level: str
    css: str
    icon: str
    label: Any


def fit_look(level: str | None) -> FitLook:
    level = level or UNANSWERED
    css, icon = FIT_LOOK.get(level, FIT_LOOK[UNANSWERED])
    return FitLook(level, css, icon, LEVEL_LABELS.get(level, level))


def fit_legend() -> list[FitLook]:
    return [fit_look(level) for level in FIT_LOOK]


# Filters ------------------------------------------------------------------------------------------------


class FitFilterForm(forms.Form):
    """Which requirements the sheet shows; everything stays in the query string so the page can be shared."""

    layer = forms.ChoiceField(label=_("Layer"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    unanswered = forms.BooleanField(label=_("Unanswered only"), required=False)
    key = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)  # one requirement, from a link

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["layer"].choices = [("", _("Every layer")), *Requirement.Layer.choices]
        self.fields["priority"].choices = [("", _("Every priority")), *Requirement.Priority.choices]

    def apply(self, requirements: QuerySet[Requirement], offer: Offer) -> QuerySet[Requirement]:
        """The requirements that pass the filters; invalid values are ignored rather than hiding everything."""
        if not self.is_valid():
            return requirements
        data = self.cleaned_data
        if data.get("layer"):
            requirements = requirements.filter(layer=data["layer"])
        if data.get("priority"):
            requirements = requirements.filter(priority=data["priority"])
        if data.get("key"):
            requirements = requirements.filter(key=data["key"])
        if data.get("unanswered"):
            requirements = requirements.exclude(Exists(Fit.objects.filter(offer=offer, requirement=OuterRef("pk"))))
        return requirements

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


def selection_currency(project: Project) -> str:
    """The currency of costs and quotes, read without creating the comparison settings on a GET."""
    currency = Selection.objects.filter(project=project).values_list("currency", flat=True).first()
    return currency or Selection._meta.get_field("currency").default


def open_requirements(project: Project) -> QuerySet[Requirement]:
    """The requirements vendors are asked to answer: everything but the rejected and the deferred."""
    return Requirement.objects.filter(project=project).filter(OPEN).order_by("number")


# One row of the sheet -----------------------------------------------------------------------------------


class NoteField(forms.CharField):
    """Browsers send CRLF from a textarea; compare and store LF, so an untouched note never reads as changed."""

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class FitRowForm(forms.Form):
    """The answer for one requirement; a level of "—" removes an existing answer."""

    level = forms.ChoiceField(label=_("Fit"), required=False)
    effort_days = forms.DecimalField(
        label=_("Effort (days)"), required=False, min_value=Decimal(0), max_digits=7, decimal_places=1
    )
    cost = forms.DecimalField(label=_("Cost"), required=False, min_value=Decimal(0), max_digits=14, decimal_places=2)
    note = NoteField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, requirement: Requirement, fit: Fit | None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", row_prefix(requirement.pk))
        if fit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "level": fit.level,
                    "effort_days": fit.effort_days,
                    "cost": fit.cost,
                    "note": fit.note,
                    "version": fit.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.requirement, self.fit = requirement, fit
        self.fields["level"].choices = [("", "—"), *Fit.Level.choices]
        self.fields["level"].widget.attrs["class"] = "form-select form-select-sm"
        for name, step in (("effort_days", "0.1"), ("cost", "0.01")):
            self.fields[name].widget.attrs.update({"class": "form-control form-control-sm", "step": step})
        self.fields["note"].widget.attrs["class"] = "form-control form-control-sm"

    def add_error(self, field: str | None, error: Any) -> None:
        """Errors also mark their inputs (Bootstrap's is-invalid), so the page shows where to look."""
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = data.get("effort_days") is not None or data.get("cost") is not None or data.get("note")
        if not data.get("level") and self.fit is None and typed:
            self.add_error("level", _("Choose how the offer meets this requirement, or empty the row."))
        return data


def row_prefix(requirement_id: int) -> str:
    return f"r{requirement_id}"


def posted_requirement_ids(data: Any) -> list[int]:
    """The requirements whose row was on the page that was sent (their level select is always posted)."""
    ids = []
    for name in data:
        head, _sep, tail = name.partition("-")
        if tail == "level" and head[:1] == "r" and head[1:].isdigit():
            ids.append(int(head[1:]))
    return ids


@dataclass
class FitRow:
    requirement: Requirement
    fit: Fit | None
    form: FitRowForm

    @property
    def look(self) -> FitLook:
        return fit_look(self.fit.level if self.fit else None)


@dataclass
class FitSheet:
    """One answer form per requirement of a page. `save` applies the changed rows all together or none."""

    offer: Offer
    rows: list[FitRow] = field(default_factory=list)

    @classmethod
    def build(cls, offer: Offer, requirements: list[Requirement], data: Any = None) -> "FitSheet":
        fits = {f.requirement_id: f for f in Fit.objects.filter(offer=offer, requirement__in=requirements)}
        rows = []
        for requirement in requirements:
            fit = fits.get(requirement.pk)
            rows.append(FitRow(requirement, fit, FitRowForm(data, requirement=requirement, fit=fit)))
        return cls(offer, rows)

    def changed(self) -> list[FitRow]:
        return [row for row in self.rows if row.form.has_changed()]

    def save(self, *, user: Any) -> int | None:
        """Save every changed row in one transaction; None (and nothing saved) if any row is refused.

        A refusal is put on its row's form, so the page can show it next to that row with what was typed.
        """
        changed = self.changed()
        valid = [row.form.is_valid() for row in changed]  # every row, so each one shows its errors
        if not all(valid):
            return None
        refused = False
        with transaction.atomic():
            for row in changed:
                try:
                    with transaction.atomic():
                        self._apply(row, user)
                except (SelectionError, StaleVersionError) as error:
                    row.form.add_error(None, str(error))
                    refused = True
                except ValidationError as error:
                    row.form.add_error(None, " ".join(error.messages))
                    refused = True
            if refused:
                transaction.set_rollback(True)
                return None
        return len(changed)

    def _apply(self, row: FitRow, user: Any) -> None:
        data = row.form.cleaned_data
        if not data["level"]:
            fit_clear(
                offer=self.offer,
                requirement=row.requirement,
                expected_version=data["version"] if row.fit is not None else None,
            )
            return
        fit_set(
            offer=self.offer,
            requirement=row.requirement,
            level=data["level"],
            effort_days=data["effort_days"],
            cost=data["cost"],
            note=data["note"],
            user=user,
            expected_version=data["version"] if row.fit is not None else None,
        )


# Figures at the top ---------------------------------------------------------------------------------------


@dataclass
class FitGap:
    key: str
    title: str
    look: FitLook


@dataclass
class FitSummary:
    """One offer's fit-gap in figures: how much is answered, must-have coverage, and what customisation costs."""

    total: int
    answered: int
    coverage: evaluation.Coverage
    gaps: list[FitGap]
    customisation_days: Decimal
    customisation_cost: Decimal

    @property
    def answered_percent(self) -> float | None:
        return self.answered / self.total * 100 if self.total else None

    @property
    def coverage_percent(self) -> float | None:
        share = self.coverage.share
        return None if share is None else share * 100


def fit_summaries(project: Project, offers: list[Offer]) -> dict[int, FitSummary]:
    """Per offer id, its FitSummary over the project's open requirements, in three queries whatever the sizes."""
    requirements = open_requirements(project)
    total = requirements.count()
    must = list(requirements.filter(priority=Requirement.Priority.MUST).values_list("key", "title"))
    titles = dict(must)
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    days: dict[int, Decimal] = defaultdict(Decimal)
    cost: dict[int, Decimal] = defaultdict(Decimal)
    rows = Fit.objects.filter(offer__in=offers, requirement__in=requirements).values_list(
        "offer_id", "requirement__key", "level", "effort_days", "cost"
    )
    for offer_id, key, level, effort, amount in rows:
        levels[offer_id][key] = level
        if level == Fit.Level.CUSTOMISATION:
            days[offer_id] += effort or 0
            cost[offer_id] += amount or 0
    summaries = {}
    for offer in offers:
        coverage = evaluation.coverage([key for key, _title in must], levels.get(offer.pk, {}))
        summaries[offer.pk] = FitSummary(
            total=total,
            answered=len(levels.get(offer.pk, {})),
            coverage=coverage,
            gaps=[FitGap(key, titles[key], fit_look(level)) for key, level in coverage.gaps],
            customisation_days=days.get(offer.pk, Decimal(0)),
            customisation_cost=cost.get(offer.pk, Decimal(0)),
        )
    return summaries


# Quote lines ----------------------------------------------------------------------------------------------


class QuoteLineForm(forms.Form):
    """A cost line of an offer; the year rules are the service's (quote_line_create), shown as its message."""

    kind = forms.ChoiceField(label=_("Kind"), choices=QuoteLine.Kind.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal(0), max_digits=14, decimal_places=2)
    year_from = forms.IntegerField(label=_("From year"), min_value=1, max_value=30, initial=1)
    year_to = forms.IntegerField(
        label=_("To year"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("Yearly costs only; empty means to the end of the horizon."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FitMatrixFilterForm(forms.Form):
    """Filters of the requirements × offers matrix; kept in the query string."""

    must = forms.BooleanField(label=_("Must-haves only"), required=False)
    layer = forms.ChoiceField(label=_("Layer"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["layer"].choices = [("", _("Every layer")), *Requirement.Layer.choices]

    def apply(self, requirements: QuerySet[Requirement]) -> QuerySet[Requirement]:
        if not self.is_valid():
            return requirements
        if self.cleaned_data.get("must"):
            requirements = requirements.filter(priority=Requirement.Priority.MUST)
        if self.cleaned_data.get("layer"):
            requirements = requirements.filter(layer=self.cleaned_data["layer"])
        return requirements

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
