"""Fit-gap pages of the team: one offer's answer sheet (offer-fit) and every requirement against every offer
(fit-matrix). The vendor portal shows the same answer sheet through `FitSheetPageMixin`.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from requirements.fit_forms import (
    FitFilterForm,
    FitMatrixFilterForm,
    FitSheet,
    fit_legend,
    fit_look,
    fit_summaries,
    open_requirements,
    posted_requirement_ids,
    selection_currency,
)
from requirements.models import Fit, Offer
from workbench.access import ProjectAccessMixin

GAPS_SHOWN = 20  # must-have gaps listed at the top; the rest are one filter away


class FitSheetPageMixin:
    """A filtered, paged answer sheet for one offer; POST saves the changed rows of the page all together.

    The view gives `get_offer()` and `can_answer()`; everything else is shared by offer-fit and portal-offer.
    """

    paginate_by = 50
    request: HttpRequest
    offer: Offer

    def get_offer(self) -> Offer:
        raise NotImplementedError

    def can_answer(self) -> bool:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.offer = self.get_offer()
        return self.render_to_response(self.get_context_data())  # type: ignore[attr-defined]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.offer = self.get_offer()
        # Only the rows that were on the page are read: a row missing from the post is left as it is.
        requirements = list(open_requirements(self.project).filter(pk__in=posted_requirement_ids(request.POST)))  # type: ignore[attr-defined]
        sheet = FitSheet.build(self.offer, requirements, request.POST)
        saved = sheet.save(user=request.user)
        if saved is None:
            messages.error(request, _("Nothing was saved: correct the marked rows and save again."))
            return self.render_to_response(self.get_context_data(sheet=sheet))  # type: ignore[attr-defined]
        if saved:
            messages.success(
                request, ngettext("%(count)s answer saved.", "%(count)s answers saved.", saved) % {"count": saved}
            )
        else:
            messages.info(request, _("Nothing changed."))
        return HttpResponseRedirect(request.get_full_path())

    def sheet_context(self, sheet: FitSheet | None = None) -> dict[str, Any]:
        filter_form = FitFilterForm(self.request.GET)
        requirements = filter_form.apply(open_requirements(self.project), self.offer)  # type: ignore[attr-defined]
        page = Paginator(requirements, self.paginate_by).get_page(self.request.GET.get("page"))
        if sheet is None:
            sheet = FitSheet.build(self.offer, list(page.object_list))
        summary = fit_summaries(self.project, [self.offer])[self.offer.pk]  # type: ignore[attr-defined]
        return {
            "offer": self.offer,
            "filter_form": filter_form,
            "filtered": filter_form.active,
            "page_obj": page,
            "sheet": sheet,
            "summary": summary,
            "gaps_shown": summary.gaps[:GAPS_SHOWN],
            "gaps_more": max(len(summary.gaps) - GAPS_SHOWN, 0),
            "can_answer": self.can_answer(),
            "legend": fit_legend(),
            "currency": selection_currency(self.project),  # type: ignore[attr-defined]
        }


class OfferFitView(FitSheetPageMixin, ProjectAccessMixin, TemplateView):
    """The team's answer sheet for one offer, with its coverage and customisation figures."""

    template_name = "requirements/selection/fit_offer.html"
    section = "vendors"
    required_capability = "view"
    write_capability = "edit"

    def get_offer(self) -> Offer:
        offers = Offer.objects.select_related("vendor")
        return get_object_or_404(offers, project=self.project, pk=self.kwargs["offer_id"])

    def can_answer(self) -> bool:
        return self.membership.can("edit")

    def get_context_data(self, sheet: FitSheet | None = None, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.sheet_context(sheet))
        code = self.project.code
        context["detail_prefix"] = reverse("requirements:requirement-list", kwargs={"project_code": code})
        context["crumbs"] = [  # after "Vendors", which the crumbs template puts first
            (
                self.offer.vendor.name,
                reverse("requirements:vendor-detail", kwargs={"project_code": code, "vendor_id": self.offer.vendor_id}),
            ),
            (
                self.offer.product,
                reverse("requirements:offer-detail", kwargs={"project_code": code, "offer_id": self.offer.pk}),
            ),
            (_("Fit-gap"), None),
        ]
        return context


class FitMatrixView(ProjectAccessMixin, TemplateView):
    """Every open requirement against every offer, coloured by fit, with each offer's must-have coverage."""

    template_name = "requirements/selection/fit_matrix.html"
    section = "vendors"
    required_capability = "view"
    write_capability = "edit"
    paginate_by = 100

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        offers = list(
            Offer.objects.filter(project=self.project).select_related("vendor").order_by("vendor__name", "product")
        )
        filter_form = FitMatrixFilterForm(self.request.GET)
        all_open = open_requirements(self.project)
        page = Paginator(filter_form.apply(all_open), self.paginate_by).get_page(self.request.GET.get("page"))
        shown = list(page.object_list)
        levels = {
            (requirement_id, offer_id): level
            for requirement_id, offer_id, level in Fit.objects.filter(
                offer__in=offers, requirement__in=shown
            ).values_list("requirement_id", "offer_id", "level")
        }
        looks = {look.level: look for look in fit_legend()}
        unanswered = fit_look(None)
        rows = [
            (requirement, [looks.get(levels.get((requirement.pk, offer.pk)), unanswered) for offer in offers])
            for requirement in shown
        ]
        summaries = fit_summaries(self.project, offers)
        code = self.project.code
        context.update(
            {
                "offers": offers,
                "columns": [(offer, summaries[offer.pk]) for offer in offers],
                "rows": rows,
                "page_obj": page,
                "filter_form": filter_form,
                "filtered": filter_form.active,
                "requirement_total": page.paginator.count if not filter_form.active else all_open.count(),
                "legend": fit_legend(),
                "currency": selection_currency(self.project),
                "detail_prefix": reverse("requirements:requirement-list", kwargs={"project_code": code}),
                "crumbs": [(_("Fit-gap matrix"), None)],
            }
        )
        return context
