"""Vendor comparison: vendors and their offers, quotes, knock-outs, weighted criteria and scores, fit-gap
per requirement, scripted demos. The arithmetic (AHP, scoring, sensitivity, TCO, coverage) is in
`requirements/evaluation.py`; these models only hold what people enter.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Membership, Process, Project
from requirements.models.requirement import Requirement
from workbench.locking import VersionedModel
from workbench.models import TimeStampedModel

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Selection(VersionedModel, TimeStampedModel):
    """A project's comparison settings and conclusions: currency, horizon, discount rate, recommendation."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="selection", verbose_name=_("project")
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY", help_text=_("ISO code, e.g. CNY"))
    years = models.PositiveSmallIntegerField(
        _("TCO horizon (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    discount_rate = models.DecimalField(
        _("discount rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("Leave empty for undiscounted costs; 0.08 means 8 % a year."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown"))
    recommendation = models.TextField(_("recommendation"), blank=True, help_text=_("Markdown"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vendor selection")
        verbose_name_plural = _("vendor selections")

    def __str__(self) -> str:
        return f"{self.project.code} selection"


class Vendor(VersionedModel, TimeStampedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="vendors", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=200)
    contacts = models.TextField(_("contacts"), blank=True, help_text=_("Names, phones, e-mail addresses"))
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown"))
    # Members with the vendor role who answer for this vendor in the vendor portal.
    portal_members = models.ManyToManyField(
        Membership, blank=True, related_name="vendors", verbose_name=_("portal members")
    )
    history = HistoricalRecords(m2m_fields=[portal_members])

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_vendor_name")]

    def __str__(self) -> str:
        return self.name


class Offer(VersionedModel, TimeStampedModel):
    class Deployment(models.TextChoices):
        ON_PREMISE = "on_premise", _("On-premise")
        SAAS = "saas", _("SaaS")
        ERP_MODULE = "erp_module", _("ERP module")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="offers", verbose_name=_("project"))
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="offers", verbose_name=_("vendor"))
    product = models.CharField(_("product"), max_length=200)
    deployment = models.CharField(_("deployment"), max_length=20, choices=Deployment.choices)
    product_version = models.CharField(_("version"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["vendor__name", "product"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "product", "product_version"], name="unique_offer_product")
        ]

    def __str__(self) -> str:
        return f"{self.vendor.name} · {self.product}"


class QuoteLine(TimeStampedModel):
    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence")
        IMPLEMENTATION = "implementation", _("Implementation")
        CUSTOMISATION = "customisation", _("Customisation")
        DATA_MIGRATION = "data_migration", _("Data migration")
        TRAINING = "training", _("Training")
        HARDWARE = "hardware", _("Hardware")
        SUBSCRIPTION = "subscription", _("Subscription")
        MAINTENANCE = "maintenance", _("Maintenance")
        SUPPORT = "support", _("Support")
        HOSTING = "hosting", _("Hosting")

    RECURRING = frozenset({Kind.SUBSCRIPTION, Kind.MAINTENANCE, Kind.SUPPORT, Kind.HOSTING})

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="quote_lines", verbose_name=_("offer"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    year_from = models.PositiveSmallIntegerField(
        _("from year"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    year_to = models.PositiveSmallIntegerField(
        _("to year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Yearly costs only; empty means to the end of the horizon."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["offer", "year_from", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_to__isnull=True) | models.Q(year_to__gte=models.F("year_from")),
                name="quote_line_years_in_order",
            )
        ]

    @property
    def recurring(self) -> bool:
        return self.kind in self.RECURRING

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class KnockOut(TimeStampedModel):
    """A condition every offer must meet ("runs on our intranet"); failing one excludes the offer."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="knockouts", verbose_name=_("project"))
    text = models.CharField(_("condition"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("knock-out criterion")
        verbose_name_plural = _("knock-out criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class KnockOutCheck(TimeStampedModel):
    knockout = models.ForeignKey(KnockOut, on_delete=models.CASCADE, related_name="checks", verbose_name=_("condition"))
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="knockout_checks", verbose_name=_("offer"))
    passed = models.BooleanField(_("met"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("knock-out check")
        verbose_name_plural = _("knock-out checks")
        constraints = [models.UniqueConstraint(fields=["knockout", "offer"], name="unique_knockout_check")]


class Criterion(VersionedModel, TimeStampedModel):
    class Group(models.TextChoices):
        FUNCTIONALITY = "functionality", _("Functionality")
        TECHNOLOGY = "technology", _("Technology")
        COST = "cost", _("Cost")
        VIABILITY = "viability", _("Vendor viability")
        SERVICE = "service", _("Service")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    weight = models.DecimalField(
        _("weight"),
        max_digits=9,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Any positive number; weights are shown as shares of their total."),
    )
    description = models.TextField(_("how to score"), blank=True, help_text=_("Markdown"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_criterion_name")]

    def __str__(self) -> str:
        return self.name


class Judgement(TimeStampedModel):
    """One pairwise comparison for AHP: how much more `first` matters than `second` (1/9 … 9)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="judgements", verbose_name=_("project"))
    first = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+", verbose_name=_("criterion"))
    second = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+", verbose_name=_("compared with"))
    value = models.FloatField(
        _("importance"), validators=[MinValueValidator(1 / 9), MaxValueValidator(9)], help_text=_("1/9 … 9")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pairwise judgement")
        verbose_name_plural = _("pairwise judgements")
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="unique_judgement_pair")]


class Score(TimeStampedModel):
    """One evaluator's score of an offer on a criterion; hidden from other evaluators until submitted."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="scores", verbose_name=_("offer"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluator")
    )
    value = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["offer", "criterion", "evaluator"], name="unique_evaluator_score")
        ]


class ScoreSubmission(TimeStampedModel):
    """An evaluator has submitted their scores for an offer: they are fixed and now visible to the team."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("offer"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluator")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score submission")
        verbose_name_plural = _("score submissions")
        constraints = [models.UniqueConstraint(fields=["offer", "evaluator"], name="unique_score_submission")]


class AgreedScore(TimeStampedModel):
    """The score the team agreed on after seeing every evaluator's; this is what the ranking uses."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="agreed_scores", verbose_name=_("offer"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="agreed_scores", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(_("agreed score"), validators=SCORE_VALIDATORS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreed score")
        verbose_name_plural = _("agreed scores")
        constraints = [models.UniqueConstraint(fields=["offer", "criterion"], name="unique_agreed_score")]


class Fit(VersionedModel, TimeStampedModel):
    """How an offer meets one requirement; customisation carries effort and cost into the offer's TCO."""

    class Level(models.TextChoices):
        STANDARD = "standard", _("Standard")
        CONFIGURATION = "configuration", _("Configuration")
        CUSTOMISATION = "customisation", _("Customisation")
        THIRD_PARTY = "third_party", _("Third party")
        NOT_SUPPORTED = "not_supported", _("Not supported")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="fits", verbose_name=_("offer"))
    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="fits", verbose_name=_("requirement")
    )
    level = models.CharField(_("fit"), max_length=20, choices=Level.choices)
    effort_days = models.DecimalField(
        _("effort (days)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fit")
        verbose_name_plural = _("fits")
        constraints = [models.UniqueConstraint(fields=["offer", "requirement"], name="unique_fit")]


class DemoScenario(TimeStampedModel):
    """A scripted demo scenario ("procure-to-pay with three-way match"), built from processes and requirements."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="demo_scenarios", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    script = models.TextField(_("script"), blank=True, help_text=_("Markdown: the steps the vendor must show"))
    process = models.ForeignKey(
        Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("process")
    )
    requirements = models.ManyToManyField(
        Requirement, blank=True, related_name="demo_scenarios", verbose_name=_("requirements")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(m2m_fields=[requirements])

    class Meta:
        verbose_name = _("demo scenario")
        verbose_name_plural = _("demo scenarios")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class DemoSession(TimeStampedModel):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="demos", verbose_name=_("offer"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    scenarios = models.ManyToManyField(DemoScenario, blank=True, related_name="sessions", verbose_name=_("scenarios"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown"))
    history = HistoricalRecords(m2m_fields=[scenarios])

    class Meta:
        verbose_name = _("demo session")
        verbose_name_plural = _("demo sessions")
        ordering = ["held_on", "pk"]


class DemoRating(TimeStampedModel):
    """An attendee's score and note for one scenario as shown in one demo session."""

    session = models.ForeignKey(DemoSession, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("demo"))
    scenario = models.ForeignKey(
        DemoScenario, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("scenario")
    )
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("attendee")
    )
    value = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demo rating")
        verbose_name_plural = _("demo ratings")
        constraints = [models.UniqueConstraint(fields=["session", "scenario", "attendee"], name="unique_demo_rating")]
