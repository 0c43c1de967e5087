"""Vendor pages: vendors and their offers, quote lines, knock-out conditions and checks, and the comparison's
settings. Every change goes through `requirements.selection`; a refusal is shown on the form and nothing is saved.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from projects.models import Membership
from requirements import evaluation
from requirements import selection as svc
from requirements.comparison import OfferRow, build_comparison
from requirements.models import KnockOut, KnockOutCheck, Offer, QuoteLine, Selection, Vendor
from requirements.selection import SelectionError
from requirements.vendor_forms import (
    MET,
    UNCHECKED,
    KnockOutCheckForm,
    KnockOutEditForm,
    KnockOutForm,
    OfferEditForm,
    OfferForm,
    QuoteLineForm,
    SelectionForm,
    VendorEditForm,
    VendorForm,
)
from workbench.access import ProjectAccessMixin
from workbench.history import HistoryEntry, history_entries
from workbench.locking import StaleVersionError

HISTORY_PAGE_SIZE = 20
HIDDEN_IN_HISTORY = ["project", "vendor", "offer"]
TEMPLATES = "requirements/selection/"

Crumbs = list[tuple[str, str | None]]


def _refuse(form: forms.BaseForm, exc: Exception) -> None:
    """Show a rule's refusal above the form's fields; what was typed stays in the form."""
    form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


def _history_page(request: HttpRequest, querysets: list[models.QuerySet]) -> Page:
    entries = history_entries(querysets, hidden_fields=HIDDEN_IN_HISTORY)
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))


def _changed_since(instance: models.Model, version: int) -> list[HistoryEntry]:
    """What others saved after `version` (the one a refused edit started from), newest first; [] if unknown."""
    history = type(instance).history.filter(id=instance.pk)
    opened = history.filter(version=version).order_by("-history_date").values_list("history_date", flat=True).first()
    if opened is None:
        return []
    entries = history_entries([history.filter(history_date__gte=opened)], hidden_fields=HIDDEN_IN_HISTORY)
    return [entry for entry in entries if entry.when > opened]


# Shared -------------------------------------------------------------------------------------------------


class VendorsMixin(ProjectAccessMixin):
    """The vendor comparison's pages: objects fetched through the project, breadcrumbs, the tab bar."""

    section = "vendors"
    tab = "vendors"

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"requirements:{name}", kwargs={"project_code": self.project.code, **kwargs})

    def get_vendor(self) -> Vendor:
        """A fresh copy of the vendor in the URL; 404 for another project's."""
        return get_object_or_404(self.project.vendors.all(), pk=self.kwargs["vendor_id"])

    @cached_property
    def vendor(self) -> Vendor:
        return self.get_vendor()

    def get_offer(self) -> Offer:
        return get_object_or_404(self.project.offers.select_related("vendor"), pk=self.kwargs["offer_id"])

    @cached_property
    def offer(self) -> Offer:
        return self.get_offer()

    @cached_property
    def selection(self) -> Selection:
        return svc.selection_for(self.project)

    def crumbs(self) -> Crumbs:
        """(label, url) after "Vendors" in the breadcrumbs; the last one is the current page."""
        return []

    def vendor_crumbs(self, vendor: Vendor) -> Crumbs:
        return [(vendor.name, self.url("vendor-detail", vendor_id=vendor.pk))]

    def offer_crumbs(self, offer: Offer) -> Crumbs:
        return [*self.vendor_crumbs(offer.vendor), (offer.product, self.url("offer-detail", offer_id=offer.pk))]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["crumbs"] = self.crumbs()
        context["tab"] = self.tab
        return context


class ConfirmDeleteView(VendorsMixin, TemplateView):
    """Asks before deleting and says what goes with it; the POST deletes through the service."""

    template_name = TEMPLATES + "vendor_confirm_delete.html"
    required_capability = "edit"

    def confirmation(self) -> dict[str, str]:
        """heading, question, consequence and cancel_url for the page."""
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.confirmation())
        return context


class VersionedEditMixin:
    """A stale save is refused with the message saying who changed the record; the typed form stays."""

    def conflict(self, form: forms.BaseForm, exc: StaleVersionError) -> HttpResponse:
        form.add_error(None, str(exc))
        changed = _changed_since(exc.instance, form.cleaned_data["version"])
        return self.render_to_response(self.get_context_data(form=form, changed_meanwhile=changed))  # type: ignore[attr-defined]


# Vendors ------------------------------------------------------------------------------------------------


def _offers_with_line_counts() -> models.QuerySet:
    return Offer.objects.annotate(line_count=Count("quote_lines")).order_by("product", "product_version")


class VendorListView(VendorsMixin, TemplateView):
    template_name = TEMPLATES + "vendor_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendors = list(
            self.project.vendors.prefetch_related(
                Prefetch("offers", queryset=_offers_with_line_counts()),
                Prefetch("portal_members", queryset=Membership.objects.select_related("user")),
            )
        )
        context["vendors"] = vendors
        context["offer_count"] = sum(len(v.offers.all()) for v in vendors)
        return context


class VendorCreateView(VendorsMixin, FormView):
    template_name = TEMPLATES + "vendor_form.html"
    form_class = VendorForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [(_("New vendor"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(project=self.project, instance=Vendor(project=self.project))
        return kwargs

    def form_valid(self, form: VendorForm) -> HttpResponse:
        data = form.service_fields()
        members = data.pop("portal_members")
        try:
            with transaction.atomic():
                vendor = svc.vendor_create(project=self.project, user=self.request.user, portal_members=members, **data)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Vendor “%(name)s” added. Now add its offer: the product and how it is deployed.")
            % {"name": vendor.name},
        )
        return HttpResponseRedirect(self.url("vendor-detail", vendor_id=vendor.pk))


class VendorEditView(VersionedEditMixin, VendorsMixin, FormView):
    template_name = TEMPLATES + "vendor_form.html"
    form_class = VendorEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.vendor_crumbs(self.vendor), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # Its own copy: the form writes what was typed onto it, the page keeps showing the stored vendor.
        kwargs.update(project=self.project, instance=self.get_vendor())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["vendor"] = self.vendor
        return context

    def form_valid(self, form: VendorEditForm) -> HttpResponse:
        data = form.service_fields()
        members = data.pop("portal_members")
        try:
            with transaction.atomic():
                vendor = svc.vendor_update(
                    vendor=self.get_vendor(),
                    expected_version=form.cleaned_data["version"],
                    user=self.request.user,
                    portal_members=members,
                    **data,
                )
        except StaleVersionError as exc:
            return self.conflict(form, exc)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Vendor “%(name)s” saved.") % {"name": vendor.name})
        return HttpResponseRedirect(self.url("vendor-detail", vendor_id=vendor.pk))


class VendorDetailView(VendorsMixin, TemplateView):
    template_name = TEMPLATES + "vendor_detail.html"

    def crumbs(self) -> Crumbs:
        return [(self.vendor.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendor = self.vendor
        context["vendor"] = vendor
        context["members"] = list(vendor.portal_members.select_related("user").order_by("user__username"))
        context["offers"] = list(_offers_with_line_counts().filter(vendor=vendor))
        context["page_obj"] = _history_page(
            self.request, [Vendor.history.filter(id=vendor.pk), Offer.history.filter(vendor_id=vendor.pk)]
        )
        return context


class VendorDeleteView(ConfirmDeleteView):
    def crumbs(self) -> Crumbs:
        return [*self.vendor_crumbs(self.vendor), (_("Delete"), None)]

    def confirmation(self) -> dict[str, str]:
        vendor = self.vendor
        offers = vendor.offers.count()
        lines = QuoteLine.objects.filter(offer__vendor=vendor).count()
        if offers:
            consequence = _(
                "Its %(offers)s and their %(lines)s are deleted with it, and so are the offers' fit-gap answers, "
                "scores, knock-out checks and demos."
            ) % {
                "offers": ngettext("%(count)s offer", "%(count)s offers", offers) % {"count": offers},
                "lines": ngettext("%(count)s quote line", "%(count)s quote lines", lines) % {"count": lines},
            }
        else:
            consequence = _("It has no offers yet.")
        return {
            "heading": _("Delete vendor"),
            "question": _("Delete the vendor “%(name)s”?") % {"name": vendor.name},
            "consequence": consequence,
            "cancel_url": self.url("vendor-detail", vendor_id=vendor.pk),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        vendor = self.vendor
        try:
            svc.vendor_delete(vendor=vendor)
        except svc.SelectionError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.url("vendor-detail", vendor_id=vendor.pk))
        messages.success(request, _("Vendor “%(name)s” deleted. The history keeps it.") % {"name": vendor.name})
        return HttpResponseRedirect(self.url("vendor-list"))


# Offers -------------------------------------------------------------------------------------------------


class OfferCreateView(VendorsMixin, FormView):
    template_name = TEMPLATES + "offer_form.html"
    form_class = OfferForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.vendor_crumbs(self.vendor), (_("New offer"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Offer(project=self.project, vendor=self.vendor)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["vendor"] = self.vendor
        return context

    def form_valid(self, form: OfferForm) -> HttpResponse:
        try:
            with transaction.atomic():
                offer = svc.offer_create(vendor=self.vendor, user=self.request.user, **form.service_fields())
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Offer added. Enter its quote lines and check it against the knock-out conditions."),
        )
        return HttpResponseRedirect(self.url("offer-detail", offer_id=offer.pk))


class OfferEditView(VersionedEditMixin, VendorsMixin, FormView):
    template_name = TEMPLATES + "offer_form.html"
    form_class = OfferEditForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.offer_crumbs(self.offer), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_offer()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["vendor"] = self.offer.vendor
        context["offer"] = self.offer
        return context

    def form_valid(self, form: OfferEditForm) -> HttpResponse:
        try:
            with transaction.atomic():
                offer = svc.offer_update(
                    offer=self.get_offer(),
                    expected_version=form.cleaned_data["version"],
                    user=self.request.user,
                    **form.service_fields(),
                )
        except StaleVersionError as exc:
            return self.conflict(form, exc)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Offer saved."))
        return HttpResponseRedirect(self.url("offer-detail", offer_id=offer.pk))


class OfferDeleteView(ConfirmDeleteView):
    def crumbs(self) -> Crumbs:
        return [*self.offer_crumbs(self.offer), (_("Delete"), None)]

    def confirmation(self) -> dict[str, str]:
        offer = self.offer
        lines, fits = offer.quote_lines.count(), offer.fits.count()
        scores, demos = offer.scores.count(), offer.demos.count()
        parts = [
            ngettext("%(count)s quote line", "%(count)s quote lines", lines) % {"count": lines},
            ngettext("%(count)s fit-gap answer", "%(count)s fit-gap answers", fits) % {"count": fits},
            ngettext("%(count)s score", "%(count)s scores", scores) % {"count": scores},
            ngettext("%(count)s demo", "%(count)s demos", demos) % {"count": demos},
        ]
        return {
            "heading": _("Delete offer"),
            "question": _("Delete the offer “%(offer)s”?") % {"offer": str(offer)},
            "consequence": _("Deleted with it: %(parts)s, and its knock-out checks.") % {"parts": ", ".join(parts)},
            "cancel_url": self.url("offer-detail", offer_id=offer.pk),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        offer = self.offer
        svc.offer_delete(offer=offer)
        messages.success(request, _("Offer “%(offer)s” deleted. The history keeps it.") % {"offer": str(offer)})
        return HttpResponseRedirect(self.url("vendor-detail", vendor_id=offer.vendor_id))


@dataclass
class TcoYear:
    year: int
    one_time: Decimal
    recurring: Decimal
    customisation: Decimal
    total: Decimal
    cumulative: Decimal


def tco_years(lines: list[QuoteLine], row: OfferRow, years: int) -> list[TcoYear]:
    """The offer's TCO split by year into one-time, yearly and customisation costs.

    The comparison gives only each year's total; the split is the same arithmetic run on the one-time and
    the yearly lines apart, so the parts add up to the comparison's figures by construction.
    """
    specs = [evaluation.QuoteLineSpec(x.kind, x.amount, x.recurring, x.year_from, x.year_to) for x in lines]
    once = evaluation.tco([s for s in specs if not s.recurring], years).by_year
    yearly = evaluation.tco([s for s in specs if s.recurring], years).by_year
    result, running = [], Decimal(0)
    for index, total in enumerate(row.tco.by_year):
        running += total
        customisation = row.tco.customisation if index == 0 else Decimal(0)
        result.append(TcoYear(index + 1, once[index], yearly[index], customisation, total, running))
    return result


class OfferDetailView(VendorsMixin, TemplateView):
    template_name = TEMPLATES + "offer_detail.html"

    def crumbs(self) -> Crumbs:
        return [*self.vendor_crumbs(self.offer.vendor), (self.offer.product, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        offer = self.offer
        comparison = build_comparison(self.project)
        row = next(r for r in comparison.rows if r.offer.pk == offer.pk)
        selection = comparison.selection
        lines = list(offer.quote_lines.all())
        checks = {c.knockout_id: c for c in KnockOutCheck.objects.filter(offer=offer)}
        context.update(
            {
                "offer": offer,
                "vendor": offer.vendor,
                "row": row,
                "ranked": sum(1 for r in comparison.rows if r.rank is not None),
                "selection": selection,
                "currency": selection.currency,
                "discount_percent": None if selection.discount_rate is None else selection.discount_rate * 100,
                "lines": lines,
                "tco_years": tco_years(lines, row, selection.years),
                "knockout_rows": [(k, checks.get(k.pk)) for k in comparison.knockouts],
                "demos": list(offer.demos.prefetch_related("scenarios")),
                "page_obj": self.history(offer, comparison.knockouts),
            }
        )
        if context["can_edit"]:
            context["quote_form"] = QuoteLineForm(currency=selection.currency, instance=QuoteLine(offer=offer))
            context["check_form"] = KnockOutCheckForm(knockouts=comparison.knockouts, checks=checks)
        return context

    def history(self, offer: Offer, knockouts: list[KnockOut]) -> Page:
        """The offer's history with its quote lines and knock-out checks; each check is named by its condition."""
        page = _history_page(
            self.request,
            [
                Offer.history.filter(id=offer.pk),
                QuoteLine.history.filter(offer_id=offer.pk),
                KnockOutCheck.history.filter(offer_id=offer.pk),
            ],
        )
        # A check has no name of its own; find its condition by the moment it was recorded.
        conditions = {k.pk: k.text for k in knockouts}
        check_label = str(KnockOutCheck._meta.verbose_name)
        recorded = dict(KnockOutCheck.history.filter(offer_id=offer.pk).values_list("history_date", "knockout_id"))
        for entry in page.object_list:
            if entry.model_label == check_label and entry.when in recorded:
                entry.object_label = conditions.get(recorded[entry.when], _("a deleted condition"))
        return page


# Quote lines --------------------------------------------------------------------------------------------


class QuoteLineMixin(VendorsMixin):
    required_capability = "edit"
    template_name = TEMPLATES + "quote_form.html"

    def get_line(self) -> QuoteLine:
        return get_object_or_404(self.offer.quote_lines.all(), pk=self.kwargs["line_id"])

    @cached_property
    def line(self) -> QuoteLine:
        return self.get_line()

    def back(self) -> HttpResponse:
        return HttpResponseRedirect(self.url("offer-detail", offer_id=self.offer.pk) + "#quotes")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(offer=self.offer, vendor=self.offer.vendor, currency=self.selection.currency)
        return context


class QuoteLineCreateView(QuoteLineMixin, FormView):
    form_class = QuoteLineForm

    def crumbs(self) -> Crumbs:
        return [*self.offer_crumbs(self.offer), (_("New quote line"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(currency=self.selection.currency, instance=QuoteLine(offer=self.offer))
        return kwargs

    def form_valid(self, form: QuoteLineForm) -> HttpResponse:
        try:
            with transaction.atomic():
                svc.quote_line_create(offer=self.offer, user=self.request.user, **form.cleaned_data)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Quote line added."))
        return self.back()


class QuoteLineEditView(QuoteLineMixin, FormView):
    form_class = QuoteLineForm

    def crumbs(self) -> Crumbs:
        return [*self.offer_crumbs(self.offer), (_("Edit quote line"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(currency=self.selection.currency, instance=self.get_line())
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["line"] = self.line
        return context

    def form_valid(self, form: QuoteLineForm) -> HttpResponse:
        try:
            with transaction.atomic():
                svc.quote_line_update(line=self.get_line(), user=self.request.user, **form.cleaned_data)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Quote line saved."))
        return self.back()


class QuoteLineDeleteView(QuoteLineMixin, ConfirmDeleteView):
    template_name = TEMPLATES + "vendor_confirm_delete.html"

    def crumbs(self) -> Crumbs:
        return [*self.offer_crumbs(self.offer), (_("Delete quote line"), None)]

    def confirmation(self) -> dict[str, str]:
        line = self.line
        return {
            "heading": _("Delete quote line"),
            "question": _("Delete the quote line “%(kind)s, %(amount)s %(currency)s”?")
            % {"kind": line.get_kind_display(), "amount": line.amount, "currency": self.selection.currency},
            "consequence": _("The offer's total cost of ownership no longer counts it."),
            "cancel_url": self.url("offer-detail", offer_id=self.offer.pk) + "#quotes",
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        svc.quote_line_delete(line=self.line)
        messages.success(request, _("Quote line deleted."))
        return self.back()


# Knock-outs ---------------------------------------------------------------------------------------------


class KnockOutCheckView(VendorsMixin, FormView):
    """One form for every condition of one offer: met, not met with the reason, or not checked."""

    template_name = TEMPLATES + "offer_knockouts.html"
    form_class = KnockOutCheckForm
    required_capability = "edit"

    def crumbs(self) -> Crumbs:
        return [*self.offer_crumbs(self.offer), (_("Knock-out checks"), None)]

    @cached_property
    def knockouts(self) -> list[KnockOut]:
        return list(self.project.knockouts.all())

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["knockouts"] = self.knockouts
        kwargs["checks"] = {c.knockout_id: c for c in KnockOutCheck.objects.filter(offer=self.offer)}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(offer=self.offer, vendor=self.offer.vendor)
        return context

    def form_valid(self, form: KnockOutCheckForm) -> HttpResponse:
        try:
            answers = [
                (knockout, None if state == UNCHECKED else state == MET, reason)
                for knockout, state, reason in form.answers()
            ]
            changed = svc.knockout_answers_apply(offer=self.offer, answers=answers, user=self.request.user)
        except svc.KnockOutRefused as exc:
            form.add_error(f"reason_{exc.knockout.pk}", str(exc))
            form.add_error(None, _("Nothing was saved: %(reason)s") % {"reason": exc})
            return self.form_invalid(form)
        if changed:
            messages.success(self.request, _("Knock-out checks saved."))
        else:
            messages.info(self.request, _("Nothing had changed."))
        return HttpResponseRedirect(self.url("offer-detail", offer_id=self.offer.pk) + "#knockouts")


@dataclass
class KnockOutRow:
    knockout: KnockOut
    cells: list[tuple[Offer, KnockOutCheck | None]]


class KnockOutListView(VendorsMixin, FormView):
    """The conditions every offer must meet, with each offer's result; editors add conditions here."""

    template_name = TEMPLATES + "knockout_list.html"
    form_class = KnockOutForm
    write_capability = "edit"
    tab = "knockouts"

    def crumbs(self) -> Crumbs:
        return [(_("Knock-outs"), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        knockouts = list(self.project.knockouts.all())
        offers = list(self.project.offers.select_related("vendor").order_by("vendor__name", "product"))
        checks = {(c.knockout_id, c.offer_id): c for c in KnockOutCheck.objects.filter(offer__project=self.project)}
        rows = [KnockOutRow(k, [(o, checks.get((k.pk, o.pk))) for o in offers]) for k in knockouts]
        summary = []
        for offer in offers:
            results = [checks.get((k.pk, offer.pk)) for k in knockouts]
            failed = sum(1 for c in results if c is not None and not c.passed)
            unchecked = sum(1 for c in results if c is None)
            summary.append((offer, failed, unchecked))
        context.update(
            knockouts=knockouts,
            offers=offers,
            rows=rows,
            summary=summary,
            excluded=sum(1 for _offer, failed, _open in summary if failed),
        )
        return context

    def form_valid(self, form: KnockOutForm) -> HttpResponse:
        try:
            svc.knockout_create(project=self.project, user=self.request.user, **form.cleaned_data)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Condition added. Check every offer against it."))
        return HttpResponseRedirect(self.url("knockout-list"))


class KnockOutMixin(VendorsMixin):
    required_capability = "edit"
    tab = "knockouts"

    def get_knockout(self) -> KnockOut:
        return get_object_or_404(self.project.knockouts.all(), pk=self.kwargs["knockout_id"])

    @cached_property
    def knockout(self) -> KnockOut:
        return self.get_knockout()

    def knockout_crumbs(self) -> Crumbs:
        return [(_("Knock-outs"), self.url("knockout-list")), (self.knockout.text, None)]


class KnockOutEditView(KnockOutMixin, FormView):
    template_name = TEMPLATES + "knockout_form.html"
    form_class = KnockOutEditForm

    def crumbs(self) -> Crumbs:
        return [*self.knockout_crumbs(), (_("Edit"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_knockout()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["knockout"] = self.knockout
        return context

    def form_valid(self, form: KnockOutEditForm) -> HttpResponse:
        try:
            svc.knockout_update(knockout=self.get_knockout(), user=self.request.user, **form.cleaned_data)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Condition saved."))
        return HttpResponseRedirect(self.url("knockout-list"))


class KnockOutDeleteView(KnockOutMixin, ConfirmDeleteView):
    def crumbs(self) -> Crumbs:
        return [*self.knockout_crumbs(), (_("Delete"), None)]

    def confirmation(self) -> dict[str, str]:
        checks = self.knockout.checks.count()
        failed = self.knockout.checks.filter(passed=False).count()
        consequence = ngettext(
            "%(count)s offer has been checked against it; that check is deleted with it.",
            "%(count)s offers have been checked against it; those checks are deleted with it.",
            checks,
        ) % {"count": checks}
        if failed:
            consequence += " " + ngettext(
                "%(count)s offer failed it and is no longer excluded for it.",
                "%(count)s offers failed it and are no longer excluded for it.",
                failed,
            ) % {"count": failed}
        return {
            "heading": _("Delete knock-out condition"),
            "question": _("Delete the condition “%(text)s”?") % {"text": self.knockout.text},
            "consequence": consequence,
            "cancel_url": self.url("knockout-list"),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        svc.knockout_delete(knockout=self.knockout)
        messages.success(request, _("Condition deleted."))
        return HttpResponseRedirect(self.url("knockout-list"))


# Settings -----------------------------------------------------------------------------------------------


class SelectionSettingsView(VersionedEditMixin, VendorsMixin, FormView):
    """Currency, TCO horizon, discount rate and the written conclusions; everyone reads, editors change."""

    template_name = TEMPLATES + "settings.html"
    form_class = SelectionForm
    write_capability = "edit"
    tab = "settings"

    def crumbs(self) -> Crumbs:
        return [(_("Settings"), None)]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = svc.selection_for(self.project)  # its own copy, as for the other edit forms
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        selection = self.selection
        context["selection"] = selection
        context["discount_percent"] = None if selection.discount_rate is None else selection.discount_rate * 100
        context["history"] = history_entries([Selection.history.filter(id=selection.pk)], hidden_fields=["project"])[
            :HISTORY_PAGE_SIZE
        ]
        return context

    def form_valid(self, form: SelectionForm) -> HttpResponse:
        try:
            svc.selection_update(
                selection=svc.selection_for(self.project),
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
                **form.service_fields(),
            )
        except StaleVersionError as exc:
            return self.conflict(form, exc)
        except (SelectionError, ValidationError) as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Settings saved."))
        return HttpResponseRedirect(self.url("selection-settings"))
