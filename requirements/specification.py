"""The requirement specification (需求规格说明书): a plain context from the database, then PDF or one HTML file.

`specification_context` reads everything with a fixed number of queries (the links are prefetched),
`specification_html` renders `templates/pdf/requirements_spec.html`, `specification_pdf` hands that to
WeasyPrint. `run_specification_job` is the background job's handler.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pygal
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projects.models import Project
from requirements.models import Baseline, Requirement
from workbench.charts import static_chart, svg_markup
from workbench.markdown import render_markdown
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css, self_contained

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass
class SpecItem:
    key: str
    title: str
    layer: str
    category: str
    priority: str
    priority_label: str
    status_label: str
    statement: SafeString
    criteria: SafeString
    parent: str = ""
    goals: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    uat: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"req-{self.key}"


@dataclass
class SpecCategory:
    label: str
    anchor: str
    number: str
    items: list[SpecItem]


@dataclass
class SpecLayer:
    label: str
    anchor: str
    number: str
    categories: list[SpecCategory]

    @property
    def count(self) -> int:
        return sum(len(c.items) for c in self.categories)


class _MarkdownBatch:
    """render_markdown for thousands of texts, each distinct text rendered once and made self-contained."""

    def __init__(self) -> None:
        self.cache: dict[str, SafeString] = {}

    def render(self, text: str) -> SafeString:
        if text not in self.cache:
            self.cache[text] = self_contained(render_markdown(text))
        return self.cache[text]


ROW_FIELDS = ["key", "title", "statement", "acceptance_criteria", "layer", "category", "priority", "status"]
# (item field, relation on Requirement, value to print). UAT cases verify requirements from the testing app,
# which requirements does not import: the reverse relation is there when testing is installed.
LINKS = [
    ("goals", "goals", "goal__statement"),
    ("kpis", "kpis", "kpi__name"),
    ("findings", "findings", "finding__description"),
    ("uat", "uat_cases", "uatcase__key"),
]


def _rows(*, project: Project, baseline: Baseline | None) -> tuple[list[dict], dict[str, dict[int, list[str]]]]:
    """The rows to print (the frozen items for a baseline) and each requirement's links: 5 queries.

    A baseline freezes the text, not the links: its items show the links their requirements have today.
    """
    if baseline is not None:
        rows = list(
            baseline.items.order_by("requirement__number", "pk").values(
                *ROW_FIELDS, req_id=F("requirement_id"), parent_key=F("requirement__parent__key")
            )
        )
        scope = {"requirement_id__in": baseline.items.values("requirement_id")}
    else:
        rows = list(
            project.requirements.order_by("number").values(*ROW_FIELDS, req_id=F("pk"), parent_key=F("parent__key"))
        )
        scope = {"requirement__project": project}
    links: dict[str, dict[int, list[str]]] = {}
    for name, relation, label in LINKS:
        found: dict[int, list[str]] = {}
        links[name] = found
        if not hasattr(Requirement, relation):
            continue
        through = getattr(Requirement, relation).through
        for requirement_id, text in through.objects.filter(**scope).order_by("pk").values_list("requirement_id", label):
            found.setdefault(requirement_id, []).append(text)
    return rows, links


def counts_chart(*, counts: Counter, layers: list[tuple[str, str]], width: int = 640, height: int = 300) -> SafeString:
    """Requirements by layer (x) and priority (stacked), as inline SVG."""
    chart = static_chart(
        pygal.StackedBar,
        width=width,
        height=height,
        legend_at_bottom_columns=4,
        show_x_guides=False,
        print_values=False,
    )
    chart.x_labels = [label for _value, label in layers]
    for value, label in Requirement.Priority.choices:
        chart.add(str(label), [counts.get((layer, value), 0) for layer, _l in layers])
    return svg_markup(chart)


def specification_context(*, project: Project, baseline: Baseline | None = None) -> dict[str, Any]:
    """Everything the specification shows, as plain values, in 4 queries whatever the number of requirements.

    Labels are translated in the active language, so call it inside `translation.override`.
    """
    markdown_ = _MarkdownBatch()
    layer_choices = [(value, str(label)) for value, label in Requirement.Layer.choices]
    category_labels = {value: str(label) for value, label in Requirement.Category.choices}
    priority_labels = {value: str(label) for value, label in Requirement.Priority.choices}
    status_labels = {value: str(label) for value, label in Requirement.Status.choices}
    by_layer: dict[str, dict[str, list[SpecItem]]] = {value: {} for value, _label in layer_choices}
    counts: Counter = Counter()
    items: list[SpecItem] = []
    rows, links = _rows(project=project, baseline=baseline)
    for row in rows:
        pk = row["req_id"]
        item = SpecItem(
            key=row["key"],
            title=row["title"],
            layer=row["layer"],
            category=row["category"],
            priority=row["priority"],
            priority_label=priority_labels.get(row["priority"], row["priority"]),
            status_label=status_labels.get(row["status"], row["status"]),
            statement=markdown_.render(row["statement"]),
            criteria=markdown_.render(row["acceptance_criteria"]),
            parent=row["parent_key"] or "",
            goals=links["goals"].get(pk, []),
            kpis=links["kpis"].get(pk, []),
            findings=links["findings"].get(pk, []),
            uat=links["uat"].get(pk, []),
        )
        items.append(item)
        by_layer[item.layer].setdefault(item.category, []).append(item)
        counts[(item.layer, item.priority)] += 1

    sections = []
    for layer, label in layer_choices:
        categories = by_layer[layer]
        if not categories:
            continue
        number = str(len(sections) + 2)  # chapter 1 is the summary
        ordered = [c for c in Requirement.Category.values if c in categories]
        sections.append(
            SpecLayer(
                label=label,
                anchor=f"layer-{layer}",
                number=number,
                categories=[
                    SpecCategory(
                        label=category_labels.get(c, c),
                        anchor=f"cat-{layer}-{c}",
                        number=f"{number}.{i}",
                        items=categories[c],
                    )
                    for i, c in enumerate(ordered, start=1)
                ],
            )
        )
    today = timezone.localdate()
    if baseline is not None:
        signer = baseline.signed_by.get_full_name() or baseline.signed_by.get_username()
        version = baseline.name
        signed_on = date_format(timezone.localtime(baseline.signed_at), "DATE_FORMAT")
    else:
        signer, signed_on, version = "", "", _("Draft %(date)s") % {"date": f"{today:%Y.%m.%d}"}
    summary = [
        {
            "label": label,
            "counts": [counts.get((layer, p), 0) for p in Requirement.Priority.values],
            "total": sum(counts.get((layer, p), 0) for p in Requirement.Priority.values),
        }
        for layer, label in layer_choices
    ]
    return {
        "project": {"code": project.code, "name": project.name, "legacy_system": project.legacy_system},
        "document_title": _("Requirement specification"),
        # Translated once here rather than by {% translate %} for each of thousands of requirements.
        "labels": {
            "priority": _("Priority"),
            "status": _("Status"),
            "criteria": _("Acceptance criteria"),
            "parent": _("Parent"),
            "goals": _("Goals"),
            "kpis": _("KPIs"),
            "findings": _("Findings"),
            "uat": _("UAT cases"),
        },
        "baseline": (
            {"name": baseline.name, "signer": signer, "signed_on": signed_on, "description": baseline.description}
            if baseline is not None
            else None
        ),
        "version": version,
        "issued": date_format(today, "DATE_FORMAT"),
        "language": translation.get_language() or "en",
        "sections": sections,
        "items": items,
        "link_targets": {item.parent for item in items if item.parent},
        "count": len(items),
        "priorities": [str(label) for _v, label in Requirement.Priority.choices],
        "summary": summary,
        "summary_totals": [sum(row["counts"][i] for row in summary) for i in range(len(Requirement.Priority.values))],
        "chart": counts_chart(counts=counts, layers=layer_choices),
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
    }


def specification_html(context: dict[str, Any], *, for_pdf: bool = False) -> str:
    """The specification as one self-contained HTML document (CSS inline); `for_pdf` adds the paged-media rules."""
    return render_to_string("pdf/requirements_spec.html", {**context, "for_pdf": for_pdf})


def specification_pdf(context: dict[str, Any], *, report: Any = None) -> bytes:
    """The specification as PDF bytes, fonts embedded."""
    return html_to_pdf(specification_html(context, for_pdf=True), report=report)


def specification_filename(*, project_code: str, fmt: str) -> str:
    return f"{project_code}-specification.{fmt}"


def run_specification_job(job: Any, report: Any) -> tuple[str, str, bytes]:
    """Background handler: params are format ("pdf"/"html"), baseline id or None, language."""
    fmt = job.params.get("format", "pdf")
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format: %(format)s") % {"format": fmt})
    project = Project.objects.get(code=job.project_code)
    baseline = None
    if job.params.get("baseline"):
        baseline = project.baselines.select_related("signed_by").get(pk=job.params["baseline"])
    with translation.override(job.params.get("language") or "en"):
        report(5, _("Reading the requirements"))
        context = specification_context(project=project, baseline=baseline)
        report(30, _("Laying out %(count)s requirements") % {"count": context["count"]})
        if fmt == "pdf":
            data = specification_pdf(context, report=report)
        else:
            data = specification_html(context).encode("utf-8")
    return specification_filename(project_code=project.code, fmt=fmt), FORMATS[fmt], data
