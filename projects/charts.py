"""Charts of project data, built on workbench.charts."""

from datetime import date
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from projects.models import KPI
from workbench.charts import Marker, Reference, trend_chart
from workbench.numbers import plain_decimal


def kpi_trend_svg(*, kpi: KPI, points: list[tuple[date, Decimal]], go_live: date | None) -> SafeString:
    """The KPI's measurements over time with baseline and target lines and the go-live date."""
    unit = f" {kpi.unit}" if kpi.unit else ""
    return trend_chart(
        points=points,
        series_label=_("Measured") + unit.replace(" ", " (", 1) + (")" if unit else ""),
        references=[
            Reference(_("Baseline %(value)s") % {"value": plain_decimal(kpi.baseline)}, kpi.baseline),
            Reference(_("Target %(value)s") % {"value": plain_decimal(kpi.target)}, kpi.target),
        ],
        marker=Marker(_("Go-live %(date)s") % {"date": go_live.isoformat()}, go_live) if go_live else None,
        title=kpi.name,
    )


def kpi_benefit_svg(*, kpi: KPI, points: list[tuple[date, Decimal]], go_live: date | None) -> SafeString:
    """The KPI's trend for the benefits page and PDF, where it sits beside the KPI's figures: narrower than
    `kpi_trend_svg`, without a title (the KPI's name is next to it), the series named without the unit
    (the figures carry it) so that the four legend entries fit, and the go-live date marked.

    Several of them share a page, so the legend ids pygal writes for its (absent) script are dropped: an id
    may occur once in a document."""
    import re

    from django.utils.safestring import mark_safe

    svg = trend_chart(
        points=points,
        series_label=_("Measured"),
        references=[
            Reference(_("Baseline %(value)s") % {"value": plain_decimal(kpi.baseline)}, kpi.baseline),
            Reference(_("Target %(value)s") % {"value": plain_decimal(kpi.target)}, kpi.target),
        ],
        marker=Marker(_("Go-live %(date)s") % {"date": go_live.isoformat()}, go_live) if go_live else None,
        width=640,
        height=300,
    )
    return mark_safe(re.sub(r' id="activate-serie-\d+"', "", svg))  # noqa: S308 - pygal's markup, ids removed
