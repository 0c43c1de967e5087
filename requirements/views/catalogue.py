"""The requirement catalogue: standard 进销存 requirements by layer and category, pulled into the project."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from requirements.catalogue import LAYER_SUMMARIES, catalogue_filter, catalogue_groups, pulled_keys
from requirements.models import Requirement
from requirements.services import RequirementError, catalogue_pull
from workbench.access import ProjectAccessMixin

Layer, Category, Priority = Requirement.Layer, Requirement.Category, Requirement.Priority


class CatalogueView(ProjectAccessMixin, TemplateView):
    """Everyone on the project reads the catalogue; editors tick entries and add them as draft requirements."""

    template_name = "requirements/catalogue.html"
    section = "requirements"
    required_capability = "view"
    write_capability = "edit"

    def catalogue_url(self) -> str:
        return reverse("requirements:requirement-catalogue", kwargs={"project_code": self.project.code})

    def list_url(self) -> str:
        return reverse("requirements:requirement-list", kwargs={"project_code": self.project.code})

    def filters(self) -> dict[str, str]:
        """The layer, category and text asked for in the query string; unknown choices count as "all"."""
        layer = self.request.GET.get("layer", "")
        category = self.request.GET.get("category", "")
        return {
            "layer": layer if layer in Layer.values else "",
            "category": category if category in Category.values else "",
            "text": self.request.GET.get("q", "").strip()[:100],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        entries = catalogue_filter(**filters)
        pulled = pulled_keys(project=self.project)
        context["groups"] = [
            {
                "layer": layer,
                "label": Layer(layer).label,
                "summary": LAYER_SUMMARIES[layer],
                "count": sum(len(items) for _category, items in categories),
                "categories": [
                    {
                        "category": category,
                        "label": Category(category).label,
                        "entries": [
                            {
                                "entry": entry,
                                "priority": Priority(entry.priority).label,
                                # Markdown wants a real string, not a lazy translation.
                                "statement": str(entry.statement),
                                "criteria": str(entry.acceptance_criteria),
                                "pulled": pulled.get(entry.key, []),
                            }
                            for entry in items
                        ],
                    }
                    for category, items in categories
                ],
            }
            for layer, categories in catalogue_groups(entries)
        ]
        context["match_count"] = len(entries)
        context["filters"] = filters
        context["filtered"] = any(filters.values())
        context["layer_choices"] = Layer.choices
        context["category_choices"] = [(value, label) for value, label in Category.choices if value != Category.OTHER]
        context["crumbs"] = [(_("Requirements"), self.list_url()), (_("Catalogue"), None)]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        keys = list(dict.fromkeys(request.POST.getlist("keys")))  # drop repeats, keep the order
        back = self.catalogue_url()
        if not keys:
            messages.warning(request, _("Select at least one catalogue entry to add."))
            return HttpResponseRedirect(back)
        pulled_before = pulled_keys(project=self.project)
        try:
            created = catalogue_pull(project=self.project, keys=keys)
        except RequirementError as exc:
            messages.error(request, _("%(error)s Nothing was added.") % {"error": exc})
            return HttpResponseRedirect(back)
        messages.success(
            request,
            ngettext(
                "Added %(count)s requirement from the catalogue as a draft: %(keys)s.",
                "Added %(count)s requirements from the catalogue as drafts: %(keys)s.",
                len(created),
            )
            % {"count": len(created), "keys": ", ".join(r.key for r in created)},
        )
        twice = [(r.key, pulled_before[r.catalogue_key]) for r in created if r.catalogue_key in pulled_before]
        for key, earlier in twice:
            messages.warning(
                request,
                _("%(key)s repeats a catalogue entry that was already in the project as %(earlier)s.")
                % {"key": key, "earlier": ", ".join(earlier)},
            )
        return HttpResponseRedirect(self.list_url())
