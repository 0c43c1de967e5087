"""The figures of the SLA compliance page, the SLA report PDF and the hypercare page, in one place so they agree.

Every incident of the project under a service level is measured once at `now` by `projects.selectors.sla.measure`,
with the clocks the incident list shows (`incident_clocks`) and each incident kept for the list of breaches.
Months and weeks are those of the local time zone (an incident opened at 01:00 on 1 October
in Shanghai belongs to October).

Compliance (`compliance_report`): per vendor × severity overall and per month, how many incidents, the share of
decided ones that met the response and the resolution target ("2 of 3"), the mean and 90th percentile (nearest
rank, `projects.sla_compliance.nearest_rank`) of the business time they took, and how many are still within
their time (no target missed, one still running: `Outcome.met is None`), counted apart. Two charts: the share of
incidents meeting both targets per month and severity against the hypercare exit threshold, and the incidents
opened per week by severity; each with a table of the same figures. The PDF adds the breached incidents and by
how much each target was missed.

Hypercare (`hypercare_report`): the period from the cutover plan (go-live .. hypercare until), day X of Y, the
three exit criteria of `projects.sla_compliance.hypercare_exit` judged now, or at the end of the last day of
hypercare once it is over, in words with a verdict and a link to the incidents they count, the recommendation,
and the weekly chart (opened per week, open at the end of the week, go-live and planned end marked).

Labels come out in the active language: call these inside `translation.override` for a PDF. A fixed number of
queries however many incidents there are.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from projects import sla_charts
from projects.models import CutoverPlan, IncidentChange, Project, ServiceLevel, Severity
from projects.selectors.sla import Measured, measure
from projects.sla_clock import DONE, Change, status_at
from projects.sla_compliance import MET, NO_DATA, NOT_MET, ExitCriterion, Figures, Outcome, compliance, hypercare_exit
from workbench.numbers import hours_minutes, plain_decimal
from workbench.pdf import FONT_FAMILY, MONO_FAMILY, html_to_pdf, page_of_css

SEVERITIES = [value for value, _label in Severity.choices]  # critical first
DASH = "—"
# (css suffix of .wb-state-*, Tabler icon) per verdict; the labels are in `verdict_label`.
VERDICT_LOOK = {
    MET: ("good", "ti-circle-check"),
    NOT_MET: ("bad", "ti-circle-x"),
    NO_DATA: ("idle", "ti-circle-dashed"),
}


def verdict_label(verdict: str) -> str:
    return {
        MET: pgettext("sla", "Met"),
        NOT_MET: pgettext("sla", "Not met"),
        NO_DATA: pgettext("sla", "No data"),
    }[verdict]


def stamp(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def month_label(month: str) -> str:
    """ "2026-09" as the language writes a month: "September 2026", "2026年9月"."""
    year, number = (int(part) for part in month.split("-"))
    return date_format(date(year, number, 1), "YEAR_MONTH_FORMAT")


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("2026-09" …), both included."""
    year, number = (int(part) for part in first.split("-"))
    out = []
    while f"{year:04d}-{number:02d}" <= last:
        out.append(f"{year:04d}-{number:02d}")
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return out


def duration(minutes: float | None) -> str:
    return hours_minutes(round(minutes)) if minutes is not None else DASH


def percent_text(value: float | None) -> str:
    return f"{plain_decimal(round(Decimal(str(value)), 1))} %" if value is not None else DASH


def severity_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Severity.choices}


# Measuring -----------------------------------------------------------------------------------------------


# Compliance ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a compliance table: a vendor and severity, overall or in one month."""

    vendor: str
    severity: str
    severity_label: str
    month: str  # "" overall
    month_label: str
    count: int
    within_time: int
    response_met: int
    response_decided: int
    response_percent: float | None
    resolution_met: int
    resolution_decided: int
    resolution_percent: float | None
    response_mean: str
    response_p90: str
    resolution_mean: str
    resolution_p90: str

    @property
    def response_text(self) -> str:
        return percent_text(self.response_percent)

    @property
    def resolution_text(self) -> str:
        return percent_text(self.resolution_percent)

    @property
    def response_css(self) -> str:
        return _share_css(self.response_percent)

    @property
    def resolution_css(self) -> str:
        return _share_css(self.resolution_percent)


def _share_css(value: float | None) -> str:
    if value is None:
        return "idle"
    return "good" if value >= 95 else "warn" if value >= 80 else "bad"


def _row(vendor: str, severity: str, month: str, figures: Figures, within_time: int, labels: dict[str, str]) -> Row:
    return Row(
        vendor=vendor,
        severity=severity,
        severity_label=labels.get(severity, severity),
        month=month,
        month_label=month_label(month) if month else "",
        count=figures.count,
        within_time=within_time,
        response_met=figures.response_met,
        response_decided=figures.response_met + figures.response_missed,
        response_percent=figures.response_percent,
        resolution_met=figures.resolution_met,
        resolution_decided=figures.resolution_met + figures.resolution_missed,
        resolution_percent=figures.resolution_percent,
        response_mean=duration(figures.response_mean),
        response_p90=duration(figures.response_p90),
        resolution_mean=duration(figures.resolution_mean),
        resolution_p90=duration(figures.resolution_p90),
    )


def _rows(measured: Sequence[Measured], key: Callable[[Measured], tuple[str, str, str]]) -> list[Row]:
    """Rows grouped by (vendor, severity, month): vendors by name, severities critical first, months in order."""
    labels = severity_labels()
    outcomes: dict[Hashable, list[Outcome]] = defaultdict(list)
    for item in measured:
        outcomes[key(item)].append(item.outcome)
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    rows = []
    for group in sorted(outcomes, key=lambda k: (k[0].casefold(), order.get(k[1], 9), k[2])):
        figures = compliance(outcomes[group], key=lambda _o: 0)[0]
        within = sum(1 for o in outcomes[group] if o.met is None)
        rows.append(_row(group[0], group[1], group[2], figures, within, labels))
    return rows


def total_row(measured: Sequence[Measured]) -> Row | None:
    if not measured:
        return None
    figures = compliance([m.outcome for m in measured], key=lambda _o: 0)[0]
    return _row(_("All vendors"), "", "", figures, sum(1 for m in measured if m.outcome.met is None), severity_labels())


@dataclass
class Breach:
    key: str
    number: int
    title: str
    severity: str
    severity_label: str
    vendor: str
    opened: str
    open: bool
    missed: list[str]


def breaches(measured: Sequence[Measured]) -> list[Breach]:
    """The incidents that missed a target, oldest first, each with what it missed and by how much."""
    labels = severity_labels()
    out = []
    for item in measured:
        response, resolution = item.clock.response, item.clock.resolution
        if not item.clock.breached:
            continue
        missed = []
        if response.breached:
            over = hours_minutes(max(1, round(response.used - response.target)))
            if response.met_at is None:
                missed.append(_("Response: no answer yet, %(over)s over the target so far") % {"over": over})
            else:
                missed.append(_("Response: %(over)s late") % {"over": over})
        if resolution.breached:
            over = hours_minutes(max(1, round(resolution.used - resolution.target)))
            if item.outcome.open:
                missed.append(_("Resolution: still open, %(over)s over the target so far") % {"over": over})
            else:
                missed.append(_("Resolution: %(over)s over the target") % {"over": over})
        incident = item.incident
        out.append(
            Breach(
                key=incident.key,
                number=incident.number,
                title=incident.title,
                severity=incident.severity,
                severity_label=labels.get(incident.severity, incident.severity),
                vendor=item.outcome.vendor,
                opened=stamp(incident.opened_at),
                open=item.outcome.open,
                missed=missed,
            )
        )
    return out


@dataclass(frozen=True)
class Cell:
    text: str
    sub: str = ""  # a second, smaller line ("2 of 3")


@dataclass
class Table:
    """A chart's figures as a table: a header, and rows of (label, cells)."""

    header: list[str]
    rows: list[tuple[str, list[Cell]]]


@dataclass
class Chart:
    svg: SafeString  # wide screens and the PDF
    narrow: SafeString  # phones
    table: Table


def _both(draw: Callable[..., SafeString], **options: Any) -> tuple[SafeString, SafeString]:
    return draw(**options), draw(**options, width=sla_charts.NARROW)


def met_chart(measured: Sequence[Measured], months: Sequence[str], threshold: float | None) -> Chart:
    """The share of decided incidents meeting both targets, per month and severity, against the threshold."""
    labels = severity_labels()
    met: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for item in measured:
        if item.outcome.met is not None:
            met[(item.incident.severity, item.month)].append(item.outcome.met)
    present = [s for s in SEVERITIES if any(m.incident.severity == s for m in measured)]

    def share(severity: str, month: str) -> float | None:
        values = met.get((severity, month))
        return round(100 * sum(values) / len(values), 1) if values else None

    categories = [month_label(m) for m in months]
    series = [
        sla_charts.Series(labels[s], sla_charts.SEVERITY_COLOURS[s], [share(s, m) for m in months]) for s in present
    ]
    threshold_label = (
        _("Hypercare exit threshold %(percent)s") % {"percent": percent_text(threshold)}
        if threshold is not None
        else ""
    )
    svg, narrow = _both(
        sla_charts.grouped_bars_svg,
        title=_("Incidents meeting both targets per month, by severity"),
        categories=categories,
        series=series,
        threshold=threshold,
        threshold_label=threshold_label,
        empty_message=_("No incident has met or missed its targets yet."),
    )
    rows = []
    for month in months:
        cells = []
        for severity in present:
            values = met.get((severity, month))
            if values:
                of = _("%(met)d of %(decided)d") % {"met": sum(values), "decided": len(values)}
                cells.append(Cell(percent_text(share(severity, month)), of))
            else:
                cells.append(Cell(DASH))
        rows.append((month_label(month), cells))
    return Chart(svg, narrow, Table([_("Month"), *(labels[s] for s in present)], rows))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_chart(measured: Sequence[Measured], first: date, last: date) -> Chart:
    """Incidents opened per week (Monday to Sunday, local dates) from `first` to `last`, by severity, stacked."""
    labels = severity_labels()
    weeks: list[date] = []
    monday = _monday(first)
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    counts: dict[tuple[str, date], int] = defaultdict(int)
    for item in measured:
        counts[(item.incident.severity, _monday(timezone.localtime(item.incident.opened_at).date()))] += 1
    present = [s for s in SEVERITIES if any(m.incident.severity == s for m in measured)]
    categories = [f"{week:%m-%d}" for week in weeks]
    series = [
        sla_charts.Series(labels[s], sla_charts.SEVERITY_COLOURS[s], [counts[(s, w)] for w in weeks]) for s in present
    ]
    svg, narrow = _both(
        sla_charts.stacked_bars_svg,
        title=_("Incidents opened per week, by severity"),
        categories=categories,
        series=series,
        empty_message=_("No incidents were opened in this period."),
    )
    rows = []
    for week in weeks:
        values = [counts[(s, week)] for s in present]
        label = _("%(first)s – %(last)s") % {
            "first": week.isoformat(),
            "last": (week + timedelta(days=6)).strftime("%m-%d"),
        }
        rows.append((label, [Cell(str(v)) for v in values] + [Cell(str(sum(values)))]))
    return Chart(svg, narrow, Table([_("Week"), *(labels[s] for s in present), _("Total")], rows))


@dataclass
class ComplianceReport:
    now: datetime
    has_levels: bool
    incident_count: int  # all the project's incidents opened by now
    unmeasured: int  # of those, without a service level
    months: list[str]  # every month with a measured incident (of the chosen vendor), in order
    month_from: str
    month_to: str
    vendor: str  # the chosen vendor's name, or ""
    vendors: list[str]  # the vendors in the figures
    measured: list[Measured]
    overall: list[Row]
    monthly: list[Row]
    total: Row | None
    threshold: float | None
    met: Chart | None = None
    weekly: Chart | None = None
    breached: list[Breach] = field(default_factory=list)

    @property
    def period(self) -> str:
        if not self.month_from:
            return DASH
        if self.month_from == self.month_to:
            return month_label(self.month_from)
        return _("%(first)s – %(last)s") % {"first": month_label(self.month_from), "last": month_label(self.month_to)}

    @property
    def within_time(self) -> int:
        return self.total.within_time if self.total else 0


def hypercare_threshold(plan: CutoverPlan | None) -> float:
    return float(plan.hypercare_exit_threshold if plan is not None else CutoverPlan().hypercare_exit_threshold)


def compliance_report(
    project: Project,
    *,
    vendor: str = "",
    month_from: str = "",
    month_to: str = "",
    now: datetime | None = None,
) -> ComplianceReport:
    """The compliance figures of the project's incidents opened in the months `month_from` .. `month_to` ("2026-09";
    empty: from the first, to the last month with incidents), of one vendor (by name) or all."""
    now = now or timezone.now()
    plan = CutoverPlan.objects.filter(project=project).first()
    has_levels = ServiceLevel.objects.filter(project=project).exists()
    everything, unmeasured = measure(project, now)
    of_vendor = [m for m in everything if not vendor or m.outcome.vendor == vendor]
    months = sorted({m.month for m in of_vendor})
    month_from = month_from or (months[0] if months else "")
    month_to = month_to or (months[-1] if months else "")
    if month_from and month_to and month_from > month_to:
        month_from, month_to = month_to, month_from
    chosen = [m for m in of_vendor if month_from <= m.month <= month_to] if months else []
    report = ComplianceReport(
        now=now,
        has_levels=has_levels,
        incident_count=len(everything) + unmeasured,
        unmeasured=unmeasured,
        months=months,
        month_from=month_from if months else "",
        month_to=month_to if months else "",
        vendor=vendor,
        vendors=sorted({m.outcome.vendor for m in chosen}, key=str.casefold),
        measured=chosen,
        overall=_rows(chosen, lambda m: (m.outcome.vendor, m.incident.severity, "")),
        monthly=_rows(chosen, lambda m: (m.outcome.vendor, m.incident.severity, m.month)),
        total=total_row(chosen),
        threshold=hypercare_threshold(plan),
        breached=breaches(chosen),
    )
    if chosen:
        span = months_between(report.month_from, report.month_to)
        report.met = met_chart(chosen, span, report.threshold)
        first_day = date.fromisoformat(f"{report.month_from}-01")
        last_year, last_month = (int(part) for part in report.month_to.split("-"))
        following = date(last_year + last_month // 12, last_month % 12 + 1, 1)
        last_day = min(following - timedelta(days=1), timezone.localdate(now))
        report.weekly = weekly_chart(chosen, first_day, max(first_day, last_day))
    return report


# Hypercare ----------------------------------------------------------------------------------------------

NO_GO_LIVE, BEFORE, DURING, AFTER = "no_go_live", "before", "during", "after"


@dataclass
class CriterionView:
    name: str
    title: str
    text: str
    verdict: str
    verdict_label: str
    css: str
    icon: str
    link: tuple[str, str] | None  # (url, text)


@dataclass
class HypercareReport:
    plan: CutoverPlan
    phase: str
    now: datetime
    judged_at: datetime
    judged_at_end: bool
    go_live: date | None
    until: date | None
    starts_in: int = 0  # days, before go-live
    day: int = 0  # day X …
    days: int = 0  # … of Y (0: no planned end)
    week: int = 0
    weeks: int = 0
    criteria: list[CriterionView] = field(default_factory=list)
    exit: bool = False
    recommendation: str = ""
    recommendation_css: str = "idle"
    chart: Chart | None = None
    unmeasured: int = 0
    measured: int = 0


def _end_of(day: date) -> datetime:
    """The first moment after the local day `day`."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _incidents_url(project: Project, **params: str) -> str:
    url = reverse("projects:incident-list", kwargs={"project_code": project.code})
    return f"{url}?{urlencode(params)}" if params else url


def criterion_views(project: Project, criteria: Sequence[ExitCriterion], days: int, threshold: float) -> list:
    views = []
    target = percent_text(threshold)
    for criterion in criteria:
        if criterion.name == "no_open_critical":
            title = _("No critical incident open")
            text = ngettext(
                "%(count)d critical incident open", "%(count)d critical incidents open", criterion.value or 0
            ) % {"count": criterion.value or 0}
            link = (_incidents_url(project, severity="critical", status="open"), _("Open critical incidents"))
        elif criterion.name == "compliance":
            title = _("SLA compliance")
            if criterion.value is not None:
                text = ngettext(
                    "%(percent)s of incidents met both targets in the last %(days)d day (target %(target)s)",
                    "%(percent)s of incidents met both targets in the last %(days)d days (target %(target)s)",
                    days,
                ) % {"percent": percent_text(criterion.value), "days": days, "target": target}
            elif criterion.verdict == NO_DATA:
                text = ngettext(
                    "The incidents of the last %(days)d day are all still within their time (target %(target)s)",
                    "The incidents of the last %(days)d days are all still within their time (target %(target)s)",
                    days,
                ) % {"days": days, "target": target}
            else:
                text = ngettext(
                    "No incident in the last %(days)d day (target %(target)s)",
                    "No incidents in the last %(days)d days (target %(target)s)",
                    days,
                ) % {"days": days, "target": target}
            link = (_incidents_url(project, status="all", breached="1"), _("Breached incidents"))
        else:
            title = _("Incident inflow going down")
            text = ngettext(
                "%(recent)d opened in the last %(days)d day against %(earlier)d in the %(days)d before",
                "%(recent)d opened in the last %(days)d days against %(earlier)d in the %(days)d before",
                days,
            ) % {"recent": criterion.value or 0, "earlier": criterion.target or 0, "days": days}
            link = (_incidents_url(project, status="all"), _("All incidents"))
        css, icon = VERDICT_LOOK[criterion.verdict]
        views.append(
            CriterionView(
                name=criterion.name,
                title=title,
                text=text,
                verdict=criterion.verdict,
                verdict_label=verdict_label(criterion.verdict),
                css=css,
                icon=icon,
                link=link,
            )
        )
    return views


def holding_text(criterion: ExitCriterion, threshold: float) -> str:
    """What a criterion that is not met says in the recommendation."""
    if criterion.name == "no_open_critical":
        return ngettext(
            "%(count)d critical incident is open", "%(count)d critical incidents are open", criterion.value or 0
        ) % {"count": criterion.value or 0}
    if criterion.name == "compliance":
        if criterion.value is None:
            return _("SLA compliance has no data yet (every recent incident is still within its time)")
        return _("SLA compliance is %(percent)s, below the target of %(target)s") % {
            "percent": percent_text(criterion.value),
            "target": percent_text(threshold),
        }
    return _("the inflow is not going down (%(recent)d opened against %(earlier)d before)") % {
        "recent": criterion.value or 0,
        "earlier": criterion.target or 0,
    }


def hypercare_chart(
    measured: Sequence[Measured], changes: dict[int, list[Change]], start: date, end: date, now: datetime
) -> Chart:
    """Hypercare week by week from go-live (day 1–7 is week 1): incidents opened, and open at the end of the week
    (at `now` for the current week; nothing for weeks to come). Go-live and the planned end are marked."""
    total_days = (end - start).days + 1
    weeks = max(1, math.ceil(total_days / 7))
    opened, still_open, categories, rows = [], [], [], []
    for index in range(weeks):
        first = start + timedelta(days=7 * index)
        last = min(first + timedelta(days=6), end)
        begin, finish = _end_of(first - timedelta(days=1)), _end_of(last)
        categories.append(_("W%(number)d") % {"number": index + 1})
        if begin > now:
            opened.append(None)
            still_open.append(None)
            days_text = f"{first:%m-%d} – {last:%m-%d}"
            rows.append((_("Week %(number)d") % {"number": index + 1}, [Cell(days_text), Cell(DASH), Cell(DASH)]))
            continue
        moment = min(finish, now)
        count = sum(1 for m in measured if begin <= m.incident.opened_at < finish)
        open_count = sum(
            1
            for m in measured
            if m.incident.opened_at < moment and status_at(changes.get(m.incident.pk, []), moment) not in DONE
        )
        opened.append(count)
        still_open.append(open_count)
        rows.append(
            (
                _("Week %(number)d") % {"number": index + 1},
                [Cell(f"{first:%m-%d} – {last:%m-%d}"), Cell(str(count)), Cell(str(open_count))],
            )
        )
    markers = [sla_charts.VMarker(0, _("Go-live %(date)s") % {"date": start.isoformat()})]
    markers.append(
        sla_charts.VMarker(
            total_days / 7, _("Planned end %(date)s") % {"date": end.isoformat()}, colour=sla_charts.THRESHOLD
        )
    )
    svg, narrow = _both(
        sla_charts.bars_and_line_svg,
        title=_("Hypercare week by week: incidents opened and still open"),
        categories=categories,
        bars=opened,
        bar_label=_("Opened in the week"),
        line=still_open,
        line_label=_("Open at the end of the week"),
        markers=markers,
    )
    return Chart(
        svg, narrow, Table([_("Week"), _("Days"), pgettext("incidents per week", "Opened"), _("Open at the end")], rows)
    )


def hypercare_report(
    project: Project, *, now: datetime | None = None, plan: CutoverPlan | None = None
) -> HypercareReport:
    """The hypercare page's figures at `now` (see the module docstring). `plan`: the project's cutover plan, or
    an unsaved one with the defaults when it has none."""
    now = now or timezone.now()
    if plan is None:
        plan = CutoverPlan.objects.filter(project=project).first() or CutoverPlan(project=project)
    go_live, until = plan.go_live_date, plan.hypercare_until
    today = timezone.localdate(now)
    judged_at, judged_at_end = now, False
    if go_live is None:
        phase = NO_GO_LIVE
    elif today < go_live:
        phase = BEFORE
    elif until is not None and now >= _end_of(until):
        phase, judged_at, judged_at_end = AFTER, _end_of(until), True
    else:
        phase = DURING
    measured, unmeasured = measure(project, judged_at)
    days, threshold = plan.hypercare_exit_days, float(plan.hypercare_exit_threshold)
    judgement = hypercare_exit([m.outcome for m in measured], now=judged_at, days=days, threshold=threshold)
    report = HypercareReport(
        plan=plan,
        phase=phase,
        now=now,
        judged_at=judged_at,
        judged_at_end=judged_at_end,
        go_live=go_live,
        until=until,
        criteria=criterion_views(project, judgement.criteria, days, threshold),
        exit=judgement.exit,
        unmeasured=unmeasured,
        measured=len(measured),
    )
    if go_live is not None:
        if phase == BEFORE:
            report.starts_in = (go_live - today).days
        else:
            last = min(today, until) if until is not None else today
            report.day = (last - go_live).days + 1
            report.week = (report.day - 1) // 7 + 1
        if until is not None and until >= go_live:
            report.days = (until - go_live).days + 1
            report.weeks = math.ceil(report.days / 7)
    holding = "; ".join(holding_text(c, threshold) for c in judgement.holding)
    if phase == NO_GO_LIVE:
        report.recommendation = _(
            "Hypercare starts at go-live: set the go-live date and the end of hypercare in the cutover plan."
        )
    elif phase == BEFORE:
        report.recommendation = ngettext(
            "Hypercare has not started: it starts at go-live on %(date)s, in %(days)d day.",
            "Hypercare has not started: it starts at go-live on %(date)s, in %(days)d days.",
            report.starts_in,
        ) % {"date": date_format(go_live, "DATE_FORMAT"), "days": report.starts_in}
    elif judgement.exit:
        report.recommendation = _("Leave hypercare: all three exit criteria are met.")
        report.recommendation_css = "good"
    else:
        report.recommendation = _("Stay in hypercare: %(holding)s.") % {"holding": holding}
        report.recommendation_css = "bad"
    if go_live is not None and phase != BEFORE:
        end = until if until is not None and until >= go_live else max(today, go_live)
        changes: dict[int, list[Change]] = defaultdict(list)
        for incident_id, at, status in (
            IncidentChange.objects.filter(incident__project=project)
            .order_by("at", "pk")
            .values_list("incident_id", "at", "status")
        ):
            changes[incident_id].append(Change(at, status))
        report.chart = hypercare_chart(measured, changes, go_live, end, judged_at)
    return report


# The SLA report PDF ------------------------------------------------------------------------------------


def pdf_context(project: Project, report: ComplianceReport) -> dict[str, Any]:
    """What `templates/pdf/sla_report.html` shows, every label in the active language."""
    return {
        "project": {"code": project.code, "name": project.name},
        "document_title": _("SLA report"),
        "generated_at": stamp(timezone.now()),
        "language": translation.get_language() or "en",
        "font_family": mark_safe(FONT_FAMILY),  # noqa: S308 - a constant
        "mono_family": mark_safe(MONO_FAMILY),  # noqa: S308 - a constant
        "page_of": mark_safe(page_of_css()),  # noqa: S308 - built from the translation, quotes escaped
        "report": report,
        "vendors_text": report.vendor or (", ".join(report.vendors) if report.vendors else DASH),
    }


def sla_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("pdf/sla_report.html", {**context, "for_pdf": True}))


def filename(project: Project) -> str:
    return f"{project.code}-sla-report.pdf"
