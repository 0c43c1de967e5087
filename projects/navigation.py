"""The project navigation: the whole upgrade path, in order.

A section that is not built yet points at a page that says so. Apps that build a section
register its URL name from their AppConfig.ready() with `register_section`, so `projects`
never imports them.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass
class Section:
    slug: str
    title: Promise
    icon: str
    summary: Promise
    url_name: str | None = None

    def url(self, project_code: str) -> str:
        if self.url_name:
            return reverse(self.url_name, kwargs={"project_code": project_code})
        return reverse("projects:section", kwargs={"project_code": project_code, "section": self.slug})


SECTIONS: list[Section] = [
    Section(
        "overview",
        _("Overview"),
        "ti-layout-dashboard",
        _("Phase, days to go-live and the state of the whole upgrade."),
        "projects:project-overview",
    ),
    Section(
        "team",
        _("Team"),
        "ti-users",
        _("Who is on the project, their role, department and responsibility."),
        "projects:team",
    ),
    Section(
        "goals",
        _("Goals & KPIs"),
        "ti-target-arrow",
        _(
            "Why the upgrade happens: the signals behind it, measurable goals, KPIs with baseline "
            "and target, and who is responsible for what (RACI)."
        ),
        "projects:goal-list",
    ),
    Section(
        "processes",
        _("Processes"),
        "ti-route",
        _(
            "As-is maps of purchasing, receiving, sales, shipping, stock-taking and returns, with "
            "their pain points, redundant steps and risks."
        ),
        "projects:process-list",
    ),
    Section(
        "data",
        _("Data"),
        "ti-database",
        _("The data inventory, its quality, cleansing rules, migration waves and reconciliation."),
        "projects:data-object-list",
    ),
    Section(
        "requirements",
        _("Requirements"),
        "ti-list-details",
        _("Core, extended, integration and non-functional requirements, linked to goals and tests."),
    ),
    Section(
        "vendors",
        _("Vendors"),
        "ti-building-store",
        _("Offers by deployment model, weighted scoring, fit-gap per requirement and total cost."),
    ),
    Section(
        "uat",
        _("UAT"),
        "ti-checklist",
        _("Acceptance test cases, checklist runs on the warehouse floor, defects and sign-off."),
    ),
    Section(
        "golive",
        _("Go-live"),
        "ti-rocket",
        _("Training by role, the cutover runbook, rehearsals and the go/no-go decision."),
        "projects:cutover-plan",
    ),
    Section(
        "sla",
        _("SLA"),
        "ti-headset",
        _("Vendor service levels in business hours, incidents and KPI tracking after go-live."),
        "projects:incident-list",
    ),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def register_section(slug: str, url_name: str) -> None:
    """Point a navigation section at the page an app built for it."""
    SECTIONS_BY_SLUG[slug].url_name = url_name


def optional_url(name: str, **kwargs: object) -> str | None:
    """The address of a page another app provides (requirements, testing), or None when that app is not installed:
    `projects` links to their pages without depending on them."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def navigation(project_code: str, active: str) -> list[dict]:
    return [
        {
            "slug": s.slug,
            "title": s.title,
            "icon": s.icon,
            "url": s.url(project_code),
            "active": s.slug == active,
            "built": s.url_name is not None,
        }
        for s in SECTIONS
    ]
