"""The vendor portal: where an invited vendor consultant answers fit-gap and lists the costs of their own offer.

A vendor member has the "respond" capability only, so these pages show what the vendor needs and nothing else:
no goals, KPIs, findings, other offers or scores. Owners and editors may open the portal too (to see what the
vendor sees) and then reach every offer; a vendor member reaches only the offers of the vendors that list their
membership in `portal_members`, and any other offer id is a 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from projects.models import Membership
from requirements.fit_forms import QuoteLineForm, fit_summaries, selection_currency
from requirements.models import Offer, QuoteLine
from requirements.selection import SelectionError, quote_line_create, quote_line_delete
from requirements.views.fitgap import FitSheetPageMixin
from workbench.access import ProjectAccessMixin


def portal_offers(membership: Membership) -> QuerySet[Offer]:
    """The offers this member answers for: all of them for the team, only their own vendor's for a vendor member."""
    offers = Offer.objects.filter(project=membership.project).select_related("vendor")
    offers = offers.order_by("vendor__name", "product")
    if not membership.can("edit"):
        offers = offers.filter(vendor__portal_members=membership)
    return offers


class PortalMixin(ProjectAccessMixin):
    required_capability = "respond"
    write_capability = "respond"
    section = "vendors"
    kwargs: dict[str, Any]

    def get_offer(self) -> Offer:
        return get_object_or_404(portal_offers(self.membership), pk=self.kwargs["offer_id"])

    def offer_url(self) -> str:
        kwargs = {"project_code": self.project.code, "offer_id": self.offer.pk}
        return reverse("requirements:portal-offer", kwargs=kwargs)

    def portal_crumbs(self, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
        home = reverse("requirements:portal", kwargs={"project_code": self.project.code})
        return [(_("Vendor portal"), home), *more]


class PortalHomeView(PortalMixin, TemplateView):
    """The member's offers with how far their answers are, and what to do."""

    template_name = "requirements/portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        offers = list(portal_offers(self.membership))
        summaries = fit_summaries(self.project, offers)
        context["offers"] = [(offer, summaries[offer.pk]) for offer in offers]
        context["is_vendor"] = self.membership.role == Membership.Role.VENDOR
        context["crumbs"] = [(_("Vendor portal"), None)]
        return context


class PortalOfferView(PortalMixin, FitSheetPageMixin, TemplateView):
    """The requirements the vendor answers, with only what they need to answer them, and the answer sheet."""

    template_name = "requirements/portal/offer.html"

    def can_answer(self) -> bool:
        return True  # the view requires "respond" on every method

    def get_context_data(self, sheet: Any = None, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.sheet_context(sheet))
        context["quote_lines"] = list(self.offer.quote_lines.order_by("year_from", "kind", "pk"))
        context["crumbs"] = self.portal_crumbs((f"{self.offer.vendor.name} · {self.offer.product}", None))
        return context


class PortalQuoteView(PortalMixin, TemplateView):
    """The offer's quote lines, and a form to add one."""

    template_name = "requirements/portal/quotes.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.offer = self.get_offer()
        return self.render_to_response(self.get_context_data(form=QuoteLineForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.offer = self.get_offer()
        form = QuoteLineForm(request.POST)
        if form.is_valid():
            try:
                line = quote_line_create(offer=self.offer, user=request.user, **form.cleaned_data)
            except SelectionError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Added: %(kind)s %(amount)s.") % {"kind": line.get_kind_display(), "amount": line.amount},
                )
                return HttpResponseRedirect(request.path)
        messages.error(request, _("The quote line was not added: see the form."))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        offer_url = self.offer_url()
        context.update(
            {
                "offer": self.offer,
                "quote_lines": list(self.offer.quote_lines.order_by("year_from", "kind", "pk")),
                "currency": selection_currency(self.project),
                "recurring_kinds": [str(QuoteLine.Kind(kind).label) for kind in sorted(QuoteLine.RECURRING)],
                "crumbs": self.portal_crumbs(
                    (f"{self.offer.vendor.name} · {self.offer.product}", offer_url), (_("Quote"), None)
                ),
            }
        )
        return context


class PortalQuoteDeleteView(PortalMixin, TemplateView):
    """Asks before removing one of the offer's quote lines."""

    template_name = "requirements/portal/quote_confirm_delete.html"

    def get_line(self) -> QuoteLine:
        self.offer = self.get_offer()
        return get_object_or_404(self.offer.quote_lines, pk=self.kwargs["line_id"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.line = self.get_line()
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        line = self.get_line()
        label = _("%(kind)s %(amount)s") % {"kind": line.get_kind_display(), "amount": line.amount}
        quote_line_delete(line=line)
        messages.success(request, _("Quote line removed: %(line)s.") % {"line": label})
        return HttpResponseRedirect(
            reverse("requirements:portal-quotes", kwargs={"project_code": self.project.code, "offer_id": self.offer.pk})
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        quotes_url = reverse(
            "requirements:portal-quotes", kwargs={"project_code": self.project.code, "offer_id": self.offer.pk}
        )
        context.update(
            {
                "offer": self.offer,
                "line": self.line,
                "currency": selection_currency(self.project),
                "quotes_url": quotes_url,
                "crumbs": self.portal_crumbs(
                    (f"{self.offer.vendor.name} · {self.offer.product}", self.offer_url()),
                    (_("Quote"), quotes_url),
                    (_("Remove a line"), None),
                ),
            }
        )
        return context
