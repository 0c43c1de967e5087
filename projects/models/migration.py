"""Data migration: the data objects to move (master data before transactions), the checks their extracts are
profiled against, cleansing rules, migration waves, trial loads reconciled per object, and the data
stewards' sign-offs."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models.project import Membership, Project
from workbench.locking import VersionedModel
from workbench.models import ImmutableModel, TimeStampedModel


class Wave(VersionedModel, TimeStampedModel):
    """A migration wave: wave 1 moves static master data, wave 2 the dynamic data (open orders, stock)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="waves", verbose_name=_("project"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("migration wave")
        verbose_name_plural = _("migration waves")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_wave_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class DataObject(VersionedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        PRODUCTS = "products", _("Products")
        CUSTOMERS = "customers", _("Customers")
        SUPPLIERS = "suppliers", _("Suppliers")
        LOCATIONS = "locations", _("Warehouses and locations")
        PRICE_LISTS = "price_lists", _("Price lists")
        OPEN_PURCHASE_ORDERS = "open_purchase_orders", _("Open purchase orders")
        OPEN_SALES_ORDERS = "open_sales_orders", _("Open sales orders")
        STOCK = "stock", _("Stock on hand by batch")
        OPENING_BALANCES = "opening_balances", _("Opening balances")
        HISTORY = "history", _("History")
        OTHER = "other", _("Other")

    class Nature(models.TextChoices):
        STATIC = "static", _("Static (master data)")
        DYNAMIC = "dynamic", _("Dynamic (open items and balances)")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="data_objects", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    nature = models.CharField(_("static or dynamic"), max_length=10, choices=Nature.choices, default=Nature.STATIC)
    source_system = models.CharField(_("source system"), max_length=120, blank=True)
    steward = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_objects",
        verbose_name=_("data steward"),
    )
    record_count = models.PositiveIntegerField(_("records"), null=True, blank=True)
    key_columns = models.CharField(
        _("key columns"),
        max_length=200,
        blank=True,
        help_text=_("The column(s) that identify a record in an extract, separated by commas, e.g. sku"),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    wave = models.ForeignKey(
        Wave, on_delete=models.SET_NULL, null=True, blank=True, related_name="data_objects", verbose_name=_("wave")
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="needed_by",
        verbose_name=_("depends on"),
        help_text=_("Objects that must be loaded first, e.g. stock needs products and locations."),
    )
    history = HistoricalRecords(m2m_fields=[depends_on])

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("data object")
        verbose_name_plural = _("data objects")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_data_object_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def keys(self) -> list[str]:
        return [name.strip() for name in self.key_columns.split(",") if name.strip()]


class QualityCheck(TimeStampedModel):
    """A check every profiled extract of the object is held to (a column must be filled, match a pattern…)."""

    class Kind(models.TextChoices):
        REQUIRED = "required", _("Required")
        PATTERN = "pattern", _("Pattern")
        ALLOWED = "allowed", _("Allowed values")
        RANGE = "range", _("Numeric range")
        REFERENCE = "reference", _("Reference to another object")
        UNIQUE = "unique", _("Unique")

    data_object = models.ForeignKey(
        DataObject, on_delete=models.CASCADE, related_name="checks", verbose_name=_("data object")
    )
    column = models.CharField(_("column"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=120, blank=True, help_text=_("e.g. SKU format"))
    pattern = models.CharField(
        _("pattern"), max_length=300, blank=True, help_text=_(r"A regular expression, e.g. \d{2}-\d{4}-\d{4}")
    )
    allowed = models.TextField(_("allowed values"), blank=True, help_text=_("One value per line."))
    minimum = models.DecimalField(_("minimum"), max_digits=18, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(_("maximum"), max_digits=18, decimal_places=4, null=True, blank=True)
    reference = models.ForeignKey(
        DataObject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referenced_by_checks",
        verbose_name=_("references"),
        help_text=_("The values must be keys of this object's latest extract."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["data_object", "column", "pk"]
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")

    def __str__(self) -> str:
        return self.label or f"{self.column}: {self.get_kind_display()}"


class CleansingRule(VersionedModel, TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    data_object = models.ForeignKey(
        DataObject, on_delete=models.CASCADE, related_name="cleansing_rules", verbose_name=_("data object")
    )
    description = models.TextField(_("description"), help_text=_("e.g. Unify product codes to 10-2031-0042"))
    owner = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    quality_check = models.ForeignKey(
        QualityCheck,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cleansing_rules",
        verbose_name=_("check it fixes"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["data_object", "pk"]
        verbose_name = _("cleansing rule")
        verbose_name_plural = _("cleansing rules")

    def __str__(self) -> str:
        return self.description[:80]


class ExtractProfile(TimeStampedModel):
    """An uploaded extract of a data object and what profiling found in it (`result`, from projects.profiling)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Profiling")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    data_object = models.ForeignKey(
        DataObject, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("data object")
    )
    file = models.FileField(_("file"), upload_to="extracts/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    completeness = models.DecimalField(_("completeness"), max_digits=5, decimal_places=1, null=True, blank=True)
    accuracy = models.DecimalField(_("accuracy"), max_digits=5, decimal_places=1, null=True, blank=True)
    uniqueness = models.DecimalField(_("uniqueness"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["data_object", "-created_at", "-pk"]
        verbose_name = _("extract profile")
        verbose_name_plural = _("extract profiles")

    def __str__(self) -> str:
        return f"{self.data_object} · {self.original_name}"


class TrialLoad(VersionedModel, TimeStampedModel):
    """A trial (or the final) load of the data into the new system, reconciled object by object."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="trial_loads", verbose_name=_("project")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120)
    environment = models.CharField(_("environment"), max_length=100, blank=True)
    loaded_on = models.DateField(_("loaded on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown is allowed."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("trial load")
        verbose_name_plural = _("trial loads")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_trial_load_number")]

    def __str__(self) -> str:
        return self.name


class Reconciliation(TimeStampedModel):
    """One data object in one load: source and target figures compared within tolerances."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    load = models.ForeignKey(
        TrialLoad, on_delete=models.CASCADE, related_name="reconciliations", verbose_name=_("load")
    )
    data_object = models.ForeignKey(
        DataObject, on_delete=models.CASCADE, related_name="reconciliations", verbose_name=_("data object")
    )
    # Worked out from the measures whenever they change (services.migration.reconciliation_refresh).
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.PENDING)
    history = HistoricalRecords()

    class Meta:
        ordering = ["load", "data_object__name"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        constraints = [models.UniqueConstraint(fields=["load", "data_object"], name="unique_reconciliation")]

    def __str__(self) -> str:
        return f"{self.load} · {self.data_object}"


class Measure(TimeStampedModel):
    """A control figure in the source and in the target, e.g. record count or stock value per warehouse."""

    class ToleranceKind(models.TextChoices):
        ABSOLUTE = "absolute", _("Absolute")
        PERCENT = "percent", _("Percent of the source")

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="measures", verbose_name=_("reconciliation")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=160, help_text=_("e.g. Stock value, warehouse SH-01"))
    source_value = models.DecimalField(_("source"), max_digits=20, decimal_places=4)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    tolerance = models.DecimalField(_("tolerance"), max_digits=20, decimal_places=4, default=Decimal(0))
    tolerance_kind = models.CharField(
        _("tolerance is"), max_length=10, choices=ToleranceKind.choices, default=ToleranceKind.ABSOLUTE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["reconciliation", "order", "pk"]
        verbose_name = _("control figure")
        verbose_name_plural = _("control figures")

    def __str__(self) -> str:
        return self.name

    @property
    def difference(self) -> Decimal:
        return self.target_value - self.source_value

    @property
    def allowed_difference(self) -> Decimal:
        if self.tolerance_kind == self.ToleranceKind.PERCENT:
            return abs(self.source_value) * self.tolerance / 100
        return self.tolerance

    @property
    def within_tolerance(self) -> bool:
        return abs(self.difference) <= self.allowed_difference


class ReconciliationException(VersionedModel, TimeStampedModel):
    """A record that did not arrive as it left (missing, different, extra), with who deals with it and how."""

    class Disposition(models.TextChoices):
        OPEN = "open", _("Open")
        FIX_SOURCE = "fix_source", _("Fix in the source and reload")
        FIX_TARGET = "fix_target", _("Correct in the new system")
        ACCEPTED = "accepted", _("Accepted as it is")
        NOT_AN_ERROR = "not_an_error", _("Not an error")

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("reconciliation")
    )
    record_key = models.CharField(_("record"), max_length=200, blank=True, help_text=_("e.g. the SKU or order number"))
    description = models.TextField(_("description"))
    owner = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, default=Disposition.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["reconciliation", "pk"]
        verbose_name = _("reconciliation exception")
        verbose_name_plural = _("reconciliation exceptions")

    def __str__(self) -> str:
        return self.record_key or self.description[:60]


class DataSignOff(ImmutableModel):
    """The data steward's signature on one object in one load, given by re-entering the password."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.PROTECT, related_name="signoffs", verbose_name=_("reconciliation")
    )
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    verdict = models.CharField(_("verdict when signed"), max_length=10, choices=Reconciliation.Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)

    changed_message = _("A signature cannot be changed.")
    deleted_message = _("A signature cannot be deleted.")

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name = _("data sign-off")
        verbose_name_plural = _("data sign-offs")

    def __str__(self) -> str:
        return f"{self.reconciliation} · {self.signer}"
