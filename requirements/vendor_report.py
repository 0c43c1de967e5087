"""The vendor comparison report (PDF): a plain context from the comparison read model, then WeasyPrint.

`report_context` reads the comparison (`requirements.comparison.build_comparison`) plus the agreed scores,
knock-out checks, gap titles and demo sessions, each in one query, so the report costs the same whatever
the number of offers. `report_pdf` renders `templates/pdf/vendor_report.html` with the CJK fonts of
`workbench.pdf`. `sensitivity_rows` is shared with the comparison page, so both say the same thing.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from projects.models import Project
from requirements.comparison import Comparison, build_comparison, group_chart, offer_label, tco_chart
from requirements.demos import demos_by_offer
from requirements.evaluation import UNANSWERED
from requirements.models import AgreedScore, Fit, KnockOutCheck
from workbench.markdown import render_markdown
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css, self_contained


@dataclass
class SensitivityRow:
    """One criterion group: its weight now and where (if anywhere in 0–100 %) another offer takes the lead."""

    group: str
    current: float  # %
    weight: float | None  # %, None: the lead never changes in 0–100 % (or there is no single leader)
    change_points: float | None
    leader: str
    new_leader: str
    tied: bool  # no single leader at the current weights, so no threshold


def sensitivity_rows(comparison: Comparison) -> list[SensitivityRow]:
    labels = {row.offer.pk: offer_label(row.offer) for row in comparison.rows}
    return [
        SensitivityRow(
            group=comparison.group_label(t.group),
            current=t.current * 100,
            weight=None if t.weight is None else t.weight * 100,
            change_points=t.change_points,
            leader=labels.get(t.leader, ""),
            new_leader=labels.get(t.new_leader, ""),
            tied=t.leader is None,
        )
        for t in comparison.sensitivity
    ]


def fit_level_labels() -> dict[str, str]:
    return {**{value: str(label) for value, label in Fit.Level.choices}, UNANSWERED: _("Not answered")}


def _markdown(text: str) -> str:
    return self_contained(render_markdown(text)) if text.strip() else ""


def _score_table(comparison: Comparison, offer_ids: list[int]) -> list[dict[str, Any]]:
    """Criteria (by group) × offers: the agreed score of each, in the order of the comparison's rows."""
    agreed: dict[int, dict[int, int]] = defaultdict(dict)
    for offer_id, criterion_id, value in AgreedScore.objects.filter(
        offer__project_id=comparison.selection.project_id
    ).values_list("offer_id", "criterion_id", "value"):
        agreed[offer_id][criterion_id] = value
    return [
        {
            "group": group.label,
            "group_share": group.share * 100,
            "criteria": [
                {
                    "name": row.criterion.name,
                    "share": row.share * 100,
                    "values": [agreed[offer_id].get(row.criterion.pk) for offer_id in offer_ids],
                }
                for row in group.criteria
            ],
        }
        for group in comparison.groups
    ]


def _knockout_table(comparison: Comparison, offer_ids: list[int]) -> list[dict[str, Any]]:
    """Each knock-out condition with, per offer, None (not checked) or (met, reason)."""
    checks = {
        (knockout_id, offer_id): (passed, reason)
        for knockout_id, offer_id, passed, reason in KnockOutCheck.objects.filter(
            knockout__project_id=comparison.selection.project_id
        ).values_list("knockout_id", "offer_id", "passed", "reason")
    }
    return [
        {"text": knockout.text, "checks": [checks.get((knockout.pk, offer_id)) for offer_id in offer_ids]}
        for knockout in comparison.knockouts
    ]


def _gaps(comparison: Comparison, project: Project) -> list[dict[str, Any]]:
    keys = {key for row in comparison.rows for key, _level in row.coverage.gaps}
    titles = dict(project.requirements.filter(key__in=keys).values_list("key", "title")) if keys else {}
    levels = fit_level_labels()
    return [
        {
            "offer": row.offer,
            "coverage": row.coverage,
            "gaps": [(key, titles.get(key, ""), levels.get(level, level)) for key, level in row.coverage.gaps],
        }
        for row in comparison.rows
    ]


def report_context(*, project: Project) -> dict[str, Any]:
    """Everything the report shows, as plain values, in a fixed number of queries.

    Labels are translated in the active language, so call it inside `translation.override`.
    """
    comparison = build_comparison(project)
    selection = comparison.selection
    rows = comparison.rows
    offer_ids = [row.offer.pk for row in rows]
    ranked = [row for row in rows if row.rank is not None]
    demos = [group for group in demos_by_offer(project=project, offers=[row.offer for row in rows]) if group.sessions]
    for group in demos:
        for session in group.sessions:
            session.notes_html = _markdown(session.notes)
    today = timezone.localdate()
    return {
        "project": {"code": project.code, "name": project.name, "legacy_system": project.legacy_system},
        "document_title": _("Vendor comparison"),
        "issued": date_format(today, "DATE_FORMAT"),
        "language": translation.get_language() or "en",
        "comparison": comparison,
        "selection": selection,
        "discount_percent": None if selection.discount_rate is None else selection.discount_rate * 100,
        "rows": rows,
        "ranked": ranked,
        "excluded": [row for row in rows if row.excluded],
        "offers": [row.offer for row in rows],
        "summary": _markdown(selection.summary),
        "recommendation": _markdown(selection.recommendation),
        "score_table": _score_table(comparison, offer_ids),
        "knockout_table": _knockout_table(comparison, offer_ids),
        "gaps": _gaps(comparison, project),
        # Years down, offers across: a 30-year horizon still fits the page.
        "tco_years": [(year, [row.tco.by_year[year - 1] for row in rows]) for year in range(1, selection.years + 1)],
        "sensitivity": sensitivity_rows(comparison),
        "demos": demos,
        "group_chart": group_chart(comparison) if ranked and comparison.groups else "",
        "tco_chart": tco_chart(comparison) if rows else "",
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
    }


def report_html(context: dict[str, Any]) -> str:
    return render_to_string("pdf/vendor_report.html", {**context, "for_pdf": True})


def report_pdf(context: dict[str, Any]) -> bytes:
    """The report as PDF bytes, fonts embedded (a few pages: rendered while the user waits)."""
    return html_to_pdf(report_html(context))


def report_filename(*, project_code: str) -> str:
    return f"{project_code}-vendor-comparison.pdf"
