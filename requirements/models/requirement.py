"""Layered requirements: key, layer, MoSCoW priority, review status, links to goals, KPIs and findings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import KPI, Finding, Goal, Membership, Project
from workbench.locking import VersionedModel
from workbench.models import TimeStampedModel

KEY_PREFIX = "REQ"


def format_key(number: int) -> str:
    return f"{KEY_PREFIX}-{number:03d}"


class Requirement(VersionedModel, TimeStampedModel):
    class Layer(models.TextChoices):
        CORE = "core", _("Core functional")
        EXTENDED = "extended", _("Extended functional")
        INTEGRATION = "integration", _("Integration")
        NONFUNCTIONAL = "nonfunctional", _("Non-functional")

    class Category(models.TextChoices):
        PURCHASING = "purchasing", _("Purchasing")
        SALES = "sales", _("Sales")
        INVENTORY = "inventory", _("Inventory")
        WAREHOUSE = "warehouse", _("Warehouse")
        FINANCE = "finance", _("Finance integration")
        ECOMMERCE = "ecommerce", _("E-commerce")
        MOBILE = "mobile", _("Mobile")
        REPORTING = "reporting", _("Reporting")
        SECURITY = "security", _("Security")
        PERFORMANCE = "performance", _("Performance")
        SERVICE = "service", _("Service and support")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        MUST = "must", _("Must")
        SHOULD = "should", _("Should")
        COULD = "could", _("Could")
        WONT = "wont", _("Won't")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        IMPLEMENTED = "implemented", _("Implemented")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    key = models.CharField(_("key"), max_length=20, editable=False)
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"), help_text=_("What the system must do. Markdown is allowed."))
    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices, default=Layer.CORE)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.SHOULD)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    acceptance_criteria = models.TextField(
        _("acceptance criteria"), blank=True, help_text=_("How we will know it is met. Markdown is allowed.")
    )
    owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_requirements",
        verbose_name=_("owner"),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Who or what it came from: a workshop, a finding, a law.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="requirements", verbose_name=_("goals"))
    kpis = models.ManyToManyField(KPI, blank=True, related_name="requirements", verbose_name=_("KPIs"))
    findings = models.ManyToManyField(Finding, blank=True, related_name="requirements", verbose_name=_("findings"))
    catalogue_key = models.CharField(_("catalogue entry"), max_length=40, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="requirement_number_unique_in_project"),
            models.UniqueConstraint(fields=["project", "key"], name="requirement_key_unique_in_project"),
        ]
        indexes = [
            models.Index(fields=["project", "status"], name="req_project_status"),
            models.Index(fields=["project", "layer"], name="req_project_layer"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("requirements:requirement-detail", kwargs={"project_code": self.project.code, "key": self.key})

    def clean(self) -> None:
        if self.parent_id and self.project_id:
            if self.parent.project_id != self.project_id:
                raise ValidationError({"parent": _("The parent must be a requirement of the same project.")})
            if self.pk and self._parent_chain_contains(self.pk):
                raise ValidationError({"parent": _("A requirement cannot sit under itself or one of its children.")})
        if self.owner_id and self.project_id and self.owner.project_id != self.project_id:
            raise ValidationError({"owner": _("The owner must be a member of this project.")})

    def _parent_chain_contains(self, pk: int) -> bool:
        seen, node = set(), self.parent
        while node is not None and node.pk not in seen:
            if node.pk == pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


class RequirementSequence(models.Model):
    """The last requirement number given in a project; bumped with an UPDATE so concurrent creations queue."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="requirement_sequence")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("requirement key sequence")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.last_number}"

    def get_absolute_url(self) -> str:
        return reverse("requirements:requirement-list", kwargs={"project_code": self.project.code})


class Transition(models.Model):
    """One status change of a requirement: who, when, from, to, why. Never edited."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("requirement")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Requirement.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Requirement.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.requirement.key}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self) -> str:
        return self.requirement.get_absolute_url()


class Comment(TimeStampedModel):
    """A review comment on a requirement."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="comments", verbose_name=_("requirement")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), help_text=_("Markdown is allowed."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return self.requirement.get_absolute_url() + f"#comment-{self.pk}"
