"""Weighted criteria and scores: the criteria with their weights, AHP pairwise comparison, each evaluator's
score sheet for an offer, and the scores the team agreed on.

Scoring is independent: until an evaluator submits their sheet for an offer, no page shows them anyone
else's scores, not even whether there are any (only how many evaluators have submitted).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from requirements import evaluation
from requirements import selection as svc
from requirements.comparison import build_comparison, evaluator_scores
from requirements.criteria_forms import (
    SAATY_SCALE,
    SCORE_LABELS,
    AgreedScoreForm,
    AhpForm,
    CriterionEditForm,
    CriterionForm,
    ScoreSheetForm,
    saaty_text,
    saaty_value,
)
from requirements.models import AgreedScore, Criterion, Judgement, Offer, Score, ScoreSubmission
from requirements.selection import SelectionError
from workbench.access import ProjectAccessMixin
from workbench.history import history_entries
from workbench.locking import StaleVersionError

GROUP_ORDER = {value: index for index, (value, _label) in enumerate(Criterion.Group.choices)}
WIDE_SPREAD = 2  # evaluators this far apart on a criterion should talk before agreeing
PAIRS_TO_REVISIT = 3
EDIT_HISTORY = 10

Crumbs = list[tuple[str, str | None]]


# Reading -------------------------------------------------------------------------------------------------


def project_criteria(project: Any) -> list[Criterion]:
    """The project's criteria in the order of the five groups (not alphabetical), then their own order."""
    criteria = list(Criterion.objects.filter(project=project))
    criteria.sort(key=lambda c: (GROUP_ORDER[c.group], c.order, c.pk))
    return criteria


def shares_of(criteria: list[Criterion]) -> dict[int, float] | None:
    """Each criterion's share of the total weight (0–1); None when there are none or every weight is 0."""
    try:
        return evaluation.normalise({c.pk: float(c.weight) for c in criteria})
    except ValueError:
        return None


@dataclass
class GroupBlock:
    value: str
    label: str
    rows: list[Any] = field(default_factory=list)
    percent: float | None = None


def grouped(criteria: list[Criterion], row: Any = None) -> list[GroupBlock]:
    """The five groups in order, each with its criteria turned into rows by `row` (the criterion itself by default)."""
    blocks = {value: GroupBlock(value, str(label)) for value, label in Criterion.Group.choices}
    for criterion in criteria:
        blocks[criterion.group].rows.append(row(criterion) if row else criterion)
    return list(blocks.values())


@dataclass
class WeightRow:
    criterion: Criterion
    percent: float | None


def weight_table(criteria: list[Criterion]) -> tuple[list[GroupBlock], bool]:
    """The criteria by group with their share of the whole in %, and whether every weight is 0."""
    shares = shares_of(criteria)
    blocks = grouped(criteria, lambda c: WeightRow(c, None if shares is None else shares[c.pk] * 100))
    if shares is not None:
        for block in blocks:
            block.percent = sum(row.percent for row in block.rows)
    return blocks, bool(criteria) and shares is None


def stored_judgements(criteria: list[Criterion]) -> dict[tuple[int, int], float]:
    """(a, b) → how much more a matters than b, both ways round, for every judged pair of these criteria."""
    out: dict[tuple[int, int], float] = {}
    for judgement in Judgement.objects.filter(first__in=criteria, second__in=criteria):
        out[(judgement.first_id, judgement.second_id)] = judgement.value
        out[(judgement.second_id, judgement.first_id)] = 1 / judgement.value
    return out


@dataclass
class PairAdvice:
    deviation: float  # how many times the judgement is off what the other judgements imply
    implied: str  # the value on Saaty's scale nearest to what the weights imply


def pairs_to_revisit(
    criteria: list[Criterion], stored: dict[tuple[int, int], float], weights: list[float]
) -> dict[tuple[int, int], PairAdvice]:
    """The judgements furthest from the ratio of the resulting weights: where an inconsistency most likely sits.

    Judgement a(i, j) against w_i / w_j, compared on a log scale; the worst few are returned with the
    value on Saaty's scale that would agree with the rest.
    """
    scale = [saaty_value(value) for value, _words in SAATY_SCALE]
    found = []
    for i, first in enumerate(criteria):
        for j in range(i + 1, len(criteria)):
            second = criteria[j]
            judged = stored.get((first.pk, second.pk), 1.0)
            ratio = weights[i] / weights[j]
            deviation = abs(math.log(judged) - math.log(ratio))
            nearest = min(scale, key=lambda v: abs(math.log(v) - math.log(ratio)))
            found.append(((first.pk, second.pk), PairAdvice(math.exp(deviation), saaty_text(nearest))))
    found.sort(key=lambda item: -item[1].deviation)
    return dict(found[:PAIRS_TO_REVISIT])


def submitted_scores(offer: Offer) -> tuple[list[Any], dict[int, dict[int, Score]]]:
    """The evaluators who submitted their sheet for this offer, by name, and their scores by criterion and evaluator."""
    evaluators = [s.evaluator for s in ScoreSubmission.objects.filter(offer=offer).select_related("evaluator")]
    evaluators.sort(key=lambda u: (u.get_full_name() or u.get_username()).lower())
    by_criterion: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(offer=offer, evaluator__in=[u.pk for u in evaluators]):
        by_criterion[score.criterion_id][score.evaluator_id] = score
    return evaluators, by_criterion


# Pages ---------------------------------------------------------------------------------------------------


class SelectionMixin(ProjectAccessMixin):
    """The vendor comparison's criteria pages: anyone on the team reads, owners and editors change."""

    section = "vendors"
    write_capability = "edit"
    tab = "criteria"

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"requirements:{name}", kwargs={"project_code": self.project.code, **kwargs})

    def crumbs(self) -> Crumbs:
        """(label, url) after "Vendors" in the breadcrumbs; the last one is the current page."""
        return [(_("Criteria"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["tab"] = self.tab
        return context

    def refused(self, exc: Exception) -> None:
        messages.error(self.request, str(exc))


class CriterionListView(SelectionMixin, TemplateView):
    template_name = "requirements/selection/criteria_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        criteria = project_criteria(self.project)
        blocks, all_zero = weight_table(criteria)
        context.update(
            blocks=blocks,
            all_zero=all_zero,
            criterion_count=len(criteria),
            can_compare=len(criteria) >= 2,
        )
        if context["can_edit"]:
            context.setdefault("form", CriterionForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CriterionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            criterion = svc.criterion_create(project=self.project, user=request.user, **form.cleaned_data)
        except SelectionError as exc:
            self.refused(exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Criterion “%(name)s” added.") % {"name": criterion.name})
        return HttpResponseRedirect(f"{self.url('criterion-list')}#criterion-{criterion.pk}")


class CriterionMixin(SelectionMixin):
    required_capability = "edit"

    def get_criterion(self) -> Criterion:
        """A fresh copy each call: a form writes what was typed onto its instance."""
        return get_object_or_404(Criterion, project=self.project, pk=self.kwargs["criterion_id"])

    @cached_property
    def criterion(self) -> Criterion:
        return self.get_criterion()

    def crumbs(self) -> Crumbs:
        return [(_("Criteria"), self.url("criterion-list")), (self.criterion.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["criterion"] = self.criterion
        return context


class CriterionEditView(CriterionMixin, FormView):
    template_name = "requirements/selection/criterion_form.html"
    form_class = CriterionEditForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_criterion()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(
            [Criterion.history.filter(id=self.criterion.pk)], hidden_fields=["project", "order"]
        )[:EDIT_HISTORY]
        return context

    def form_valid(self, form: CriterionEditForm) -> HttpResponse:
        fields = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            svc.criterion_update(
                criterion=self.get_criterion(),
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
                **fields,
            )
        except StaleVersionError:
            return self.conflict(form)
        except SelectionError as exc:
            self.refused(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Criterion “%(name)s” saved.") % {"name": fields["name"]})
        return HttpResponseRedirect(f"{self.url('criterion-list')}#criterion-{self.criterion.pk}")

    def conflict(self, form: CriterionEditForm) -> HttpResponse:
        """Refuse the stale save; keep what was typed, show the stored version beside it, and let a second save win."""
        current = self.get_criterion()
        latest = current.history.select_related("history_user").order_by("-history_date").first()
        who = latest.history_user if latest and latest.history_user else None
        data = form.data.copy()
        data["version"] = str(current.version)
        retry = self.get_form_class()(data=data, instance=self.get_criterion())
        retry.is_valid()
        retry.add_error(
            None,
            _(
                "Not saved: %(who)s changed this criterion after you opened it. The form still holds what you "
                "typed; their version is shown beside it. Check both, then save again to keep yours."
            )
            % {"who": (who.get_full_name() or who.get_username()) if who else _("someone")},
        )
        return self.render_to_response(self.get_context_data(form=retry, stored=current))


class CriterionDeleteView(CriterionMixin, TemplateView):
    template_name = "requirements/selection/criterion_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["score_count"] = self.criterion.scores.count()
        context["agreed_count"] = self.criterion.agreed_scores.count()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = self.criterion.name
        try:
            svc.criterion_delete(criterion=self.criterion)
        except SelectionError as exc:
            self.refused(exc)
            return HttpResponseRedirect(self.url("criterion-edit", criterion_id=self.criterion.pk))
        messages.success(request, _("Criterion “%(name)s” deleted.") % {"name": name})
        return HttpResponseRedirect(self.url("criterion-list"))


@dataclass
class AhpRow:
    criterion: Criterion
    percent_now: float | None  # share of the compared criteria's total weight, in %
    percent_ahp: float
    weight_ahp: float  # the weight "use these weights" would store


class AhpView(SelectionMixin, TemplateView):
    """Pairwise comparison (AHP) of a group's criteria, or of all of them, and the weights it yields."""

    template_name = "requirements/selection/ahp.html"

    def crumbs(self) -> Crumbs:
        return [(_("Criteria"), self.url("criterion-list")), (_("Pairwise comparison"), None)]

    @cached_property
    def all_criteria(self) -> list[Criterion]:
        return project_criteria(self.project)

    @cached_property
    def choice(self) -> str:
        """The group compared: ?group=<value> or "all"; by default the first group with two criteria or more."""
        counts = defaultdict(int)
        for criterion in self.all_criteria:
            counts[criterion.group] += 1
        asked = self.request.GET.get("group", "")
        if asked == "all" or asked in counts:
            return asked
        return next((value for value, _label in Criterion.Group.choices if counts[value] >= 2), "all")

    @cached_property
    def criteria(self) -> list[Criterion]:
        if self.choice == "all":
            return self.all_criteria
        return [c for c in self.all_criteria if c.group == self.choice]

    def page_url(self) -> str:
        return f"{self.url('criterion-ahp')}?group={self.choice}"

    def options(self) -> list[tuple[str, str, int]]:
        counts = defaultdict(int)
        for criterion in self.all_criteria:
            counts[criterion.group] += 1
        groups = [(value, str(label), counts[value]) for value, label in Criterion.Group.choices]
        return [*groups, ("all", _("All criteria"), len(self.all_criteria))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        criteria = self.criteria
        context.update(choice=self.choice, options=self.options(), criteria=criteria, page_url=self.page_url())
        if len(criteria) < 2:
            return context
        stored = stored_judgements(criteria)
        form = kwargs.get("form") or AhpForm(criteria=criteria, stored=stored)
        context["form"] = form
        try:
            result = svc.ahp_for(criteria)
        except ValueError:
            context["too_many"] = max(evaluation.RANDOM_INDEX)
            context["pair_rows"] = [(first, second, bound, None) for first, second, bound in form.rows()]
            return context
        total = sum(float(c.weight) for c in criteria)
        now = shares_of(criteria)
        context["result"] = result
        context["consistency_limit"] = evaluation.CONSISTENCY_LIMIT
        context["rows"] = [
            AhpRow(c, None if now is None else now[c.pk] * 100, share * 100, (total or len(criteria)) * share)
            for c, share in zip(criteria, result.weights, strict=True)
        ]
        advice = pairs_to_revisit(criteria, stored, result.weights) if not result.consistent else {}
        context["pair_rows"] = [
            (first, second, bound, advice.get((first.pk, second.pk))) for first, second, bound in form.rows()
        ]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        criteria = self.criteria
        if len(criteria) < 2:
            messages.error(request, _("Pairwise comparison needs at least two criteria."))
            return HttpResponseRedirect(self.page_url())
        if request.POST.get("action") == "apply":
            return self.apply(criteria)
        form = AhpForm(request.POST, criteria=criteria, stored=stored_judgements(criteria))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        stored = stored_judgements(criteria)
        with transaction.atomic():
            changed = 0
            for first, second, value in form.judgements():
                if not math.isclose(stored.get((first.pk, second.pk), 1.0), value, rel_tol=1e-9):
                    svc.judgement_set(first=first, second=second, value=value, user=request.user)
                    changed += 1
        messages.success(
            request,
            ngettext("%(count)s judgement saved.", "%(count)s judgements saved.", changed) % {"count": changed}
            if changed
            else _("Nothing changed."),
        )
        return HttpResponseRedirect(self.page_url())

    def apply(self, criteria: list[Criterion]) -> HttpResponse:
        try:
            svc.weights_from_ahp(criteria=criteria, user=self.request.user)
        except (SelectionError, StaleVersionError) as exc:
            self.refused(exc)
        except ValueError:
            messages.error(
                self.request,
                _("AHP compares at most %(n)s criteria at a time: compare one group at a time.")
                % {"n": max(evaluation.RANDOM_INDEX)},
            )
        else:
            messages.success(
                self.request,
                ngettext(
                    "The weight of %(count)s criterion now follows the pairwise comparison.",
                    "The weights of %(count)s criteria now follow the pairwise comparison.",
                    len(criteria),
                )
                % {"count": len(criteria)},
            )
        return HttpResponseRedirect(self.page_url())


# Scores --------------------------------------------------------------------------------------------------


class OfferMixin(SelectionMixin):
    """Pages of one offer of this project (under the Vendors tab); 404 for an offer of another project."""

    tab = "vendors"

    @cached_property
    def offer(self) -> Offer:
        return get_object_or_404(self.project.offers.select_related("vendor"), pk=self.kwargs["offer_id"])

    def offer_crumbs(self, last: str) -> Crumbs:
        offer = self.offer
        return [
            (offer.vendor.name, self.url("vendor-detail", vendor_id=offer.vendor_id)),
            (offer.product, self.url("offer-detail", offer_id=offer.pk)),
            (last, None),
        ]

    def sheet_url(self) -> str:
        return self.url("offer-score", offer_id=self.offer.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["offer"] = self.offer
        context["score_labels"] = SCORE_LABELS
        return context


@dataclass
class SheetRow:
    criterion: Criterion
    value: Any = None  # the bound radio field while the sheet is open
    note: Any = None
    mine: Score | None = None
    cells: list[Score | None] = field(default_factory=list)  # submitted: one per evaluator column
    spread: float | None = None

    @property
    def wide(self) -> bool:
        return self.spread is not None and self.spread >= WIDE_SPREAD


class ScoreSheetView(OfferMixin, TemplateView):
    """The signed-in evaluator's scores of one offer: open until submitted, then fixed and shown beside the others'."""

    template_name = "requirements/selection/score_sheet.html"

    def crumbs(self) -> Crumbs:
        return self.offer_crumbs(_("My scores"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        offer, user = self.offer, self.request.user
        criteria = project_criteria(self.project)
        submitted = ScoreSubmission.objects.filter(offer=offer).values_list("evaluator_id", flat=True)
        submitted = set(submitted)
        context.update(
            criteria_count=len(criteria),
            submitted_count=len(submitted),
            is_evaluator=context["can_edit"],
            has_submitted=user.pk in submitted,
        )
        if not context["can_edit"] or not criteria:
            return context
        entries = evaluator_scores(offer, user)
        if user.pk not in submitted:
            mine = {cid: e["mine"] for cid, e in entries.items() if e["mine"] is not None}
            form = kwargs.get("form") or ScoreSheetForm(criteria=criteria, mine=mine)
            bound = {c.pk: (v, n) for c, v, n in form.rows()}
            context["form"] = form
            context["blocks"] = grouped(criteria, lambda c: SheetRow(c, *bound[c.pk], mine=mine.get(c.pk)))
            context["scored_count"] = len(mine)
            return context
        others = {s.evaluator_id: s.evaluator for e in entries.values() for s in e["others"]}
        columns = [user, *sorted(others.values(), key=lambda u: (u.get_full_name() or u.get_username()).lower())]

        def row(criterion: Criterion) -> SheetRow:
            entry = entries.get(criterion.pk, {"mine": None, "others": [], "spread": None})
            by_evaluator = {s.evaluator_id: s for s in entry["others"]}
            if entry["mine"] is not None:
                by_evaluator[user.pk] = entry["mine"]
            cells = [by_evaluator.get(u.pk) for u in columns]
            return SheetRow(criterion, mine=entry["mine"], cells=cells, spread=entry["spread"])

        context["columns"] = columns
        context["blocks"] = grouped(criteria, row)
        context["wide_count"] = sum(1 for b in context["blocks"] for r in b.rows if r.wide)
        return context

    def save_sheet(self) -> tuple[Any, int | None]:
        """Save the posted sheet; (form, number of scores changed), or (form, None) when the form has errors."""
        criteria = project_criteria(self.project)
        entries = evaluator_scores(self.offer, self.request.user)
        mine = {cid: e["mine"] for cid, e in entries.items() if e["mine"] is not None}
        form = ScoreSheetForm(self.request.POST, criteria=criteria, mine=mine)
        if not form.is_valid():
            return form, None
        changes = form.changes()
        with transaction.atomic():
            for criterion, value, note in changes:
                svc.score_set(
                    offer=self.offer, criterion=criterion, evaluator=self.request.user, value=value, note=note
                )
        return form, len(changes)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if svc.has_submitted(offer=self.offer, evaluator=request.user):
            messages.error(request, _("You have submitted your scores for this offer; they can no longer change."))
            return HttpResponseRedirect(self.sheet_url())
        try:
            form, changed = self.save_sheet()
        except SelectionError as exc:
            self.refused(exc)
            return HttpResponseRedirect(self.sheet_url())
        if changed is None:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Your scores are saved. Nobody else sees them until you submit them.")
            if changed
            else _("Nothing changed."),
        )
        return HttpResponseRedirect(self.sheet_url())


class ScoreSubmitView(ScoreSheetView):
    """Submit the sheet: save what the form holds, then fix the scores and show them to the team."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.sheet_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not Criterion.objects.filter(project=self.project).exists():  # an empty sheet proves nothing
            messages.error(request, _("There are no criteria to score on yet: add them first."))
            return HttpResponseRedirect(self.sheet_url())
        changed = 0
        if not svc.has_submitted(offer=self.offer, evaluator=request.user) and any(
            key.startswith(("value_", "note_")) for key in request.POST
        ):
            try:
                form, changed = self.save_sheet()
            except SelectionError as exc:
                self.refused(exc)
                return HttpResponseRedirect(self.sheet_url())
            if changed is None:
                return self.render_to_response(self.get_context_data(form=form))
        try:
            svc.scores_submit(offer=self.offer, evaluator=request.user)
        except SelectionError as exc:
            if changed:
                messages.warning(request, _("Your scores are saved, but not submitted."))
            self.refused(exc)
            return HttpResponseRedirect(self.sheet_url())
        messages.success(
            request, _("Your scores are submitted. They are fixed now, and you see the other evaluators' scores.")
        )
        return HttpResponseRedirect(self.sheet_url())


@dataclass
class AgreedRow:
    criterion: Criterion
    cells: list[Score | None]
    mean: float | None
    spread: float | None
    agreed: AgreedScore | None
    value: Any
    note: Any

    @property
    def wide(self) -> bool:
        return self.spread is not None and self.spread >= WIDE_SPREAD


class AgreedScoreView(OfferMixin, TemplateView):
    """Per criterion the submitted evaluators' scores, their mean and spread, and the score the team agreed on."""

    template_name = "requirements/selection/agreed_scores.html"

    def crumbs(self) -> Crumbs:
        return self.offer_crumbs(_("Agreed scores"))

    def forms_args(self, criteria: list[Criterion]) -> dict[str, Any]:
        agreed = {a.criterion_id: a for a in AgreedScore.objects.filter(offer=self.offer)}
        return {"criteria": criteria, "agreed": agreed}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        criteria = project_criteria(self.project)
        evaluators, scores = submitted_scores(self.offer)
        # An evaluator who has not submitted yet must not see the others' scores here either.
        hidden = context["can_edit"] and self.request.user.pk not in {u.pk for u in evaluators}
        form = kwargs.get("form") or AgreedScoreForm(**self.forms_args(criteria))

        def row(criterion: Criterion) -> AgreedRow:
            given = scores.get(criterion.pk, {})
            values = [s.value for s in given.values()]
            value, note = form.field_pair(criterion)
            return AgreedRow(
                criterion,
                cells=[] if hidden else [given.get(u.pk) for u in evaluators],
                mean=None if hidden or not values else sum(values) / len(values),
                spread=None if hidden else evaluation.spread(values),
                agreed=form.agreed.get(criterion.pk),
                value=value,
                note=note,
            )

        offer_row = next((r for r in build_comparison(self.project).rows if r.offer.pk == self.offer.pk), None)
        context.update(
            form=form,
            blocks=grouped(criteria, row),
            criteria_count=len(criteria),
            evaluators=[] if hidden else evaluators,
            submitted_count=len(evaluators),
            hidden=hidden,
            offer_row=offer_row,
            weight_agreed_percent=offer_row.score.scored_share * 100 if offer_row else 0,
            weight_partial=offer_row is not None and offer_row.score.scored_share < 1 - 1e-6,
            agreed_count=len(form.agreed),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AgreedScoreForm(request.POST, **self.forms_args(project_criteria(self.project)))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        changes = form.changes()
        try:
            with transaction.atomic():
                for criterion, value, note in changes:
                    svc.agreed_score_set(
                        offer=self.offer, criterion=criterion, value=value, note=note, user=request.user
                    )
        except SelectionError as exc:
            self.refused(exc)
            return HttpResponseRedirect(self.url("offer-agreed", offer_id=self.offer.pk))
        messages.success(
            request,
            ngettext("%(count)s agreed score saved.", "%(count)s agreed scores saved.", len(changes))
            % {"count": len(changes)}
            if changes
            else _("Nothing changed."),
        )
        return HttpResponseRedirect(self.url("offer-agreed", offer_id=self.offer.pk))
