from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workbench.locking import VersionedModel
from workbench.models import TimeStampedModel

project_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,19}$",
    _("Use 2–20 capital letters, digits or hyphens, starting with a letter (for example RETAIL-2027)."),
)


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user: "settings.AUTH_USER_MODEL") -> "ProjectQuerySet":
        if not user.is_authenticated:
            return self.none()
        # A subquery rather than a join, so that annotations over memberships still see the whole team.
        return self.filter(pk__in=Membership.objects.filter(user=user).values("project_id"))


class Project(VersionedModel, TimeStampedModel):
    class Phase(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        SELECTION = "selection", _("Selection")
        IMPLEMENTATION = "implementation", _("Implementation")
        GO_LIVE = "go_live", _("Go-live")
        HYPERCARE = "hypercare", _("Hypercare")
        CLOSED = "closed", _("Closed")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[project_code_validator],
        help_text=_("Short and unique; used in links and item keys, e.g. RETAIL-2027."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown is allowed."))
    legacy_system = models.CharField(
        _("legacy system"), max_length=200, blank=True, help_text=_("The system being replaced.")
    )
    target_go_live = models.DateField(_("target go-live"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARATION)

    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:project-overview", kwargs={"project_code": self.code})


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        TESTER = "tester", _("Tester")
        VIEWER = "viewer", _("Viewer")
        VENDOR = "vendor", _("Vendor")

    class Department(models.TextChoices):
        MANAGEMENT = "management", _("Management")
        IT = "it", _("IT")
        FINANCE = "finance", _("Finance")
        PROCUREMENT = "procurement", _("Procurement")
        SALES = "sales", _("Sales")
        WAREHOUSE = "warehouse", _("Warehouse")
        VENDOR = "vendor", _("Vendor")

    class Capability(models.TextChoices):
        """What a role allows; views and API endpoints declare the one they need."""

        VIEW = "view", _("view the project")
        EXECUTE = "execute", _("execute tests")
        EDIT = "edit", _("edit project items")
        MANAGE = "manage", _("manage the team and settings")
        RESPOND = "respond", _("answer for a vendor in the vendor portal")

    ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
        Role.OWNER: frozenset({"view", "execute", "edit", "manage", "respond"}),
        Role.EDITOR: frozenset({"view", "execute", "edit", "respond"}),
        Role.TESTER: frozenset({"view", "execute"}),
        Role.VIEWER: frozenset({"view"}),
        # A vendor consultant sees nothing of the project but the vendor portal: its own offers, the
        # requirements it must answer, its fit-gap answers and quote lines. Owners and editors may open
        # the portal too, to see what a vendor sees.
        Role.VENDOR: frozenset({"respond"}),
    }

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, default=Department.MANAGEMENT
    )
    responsibility = models.CharField(
        _("responsibility"),
        max_length=200,
        blank=True,
        help_text=_("What this person answers for, e.g. 'warehouse key user, stock-taking'."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "user__username"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user_per_project")]

    def __str__(self) -> str:
        return f"{self.user.get_username()} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("projects:team", kwargs={"project_code": self.project.code})

    def can(self, capability: str) -> bool:
        return capability in self.ROLE_CAPABILITIES.get(self.role, frozenset())


class Profile(models.Model):
    """Per-user preferences that follow the user from device to device."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.user.get_username()

    def get_absolute_url(self) -> str:
        return reverse("account-settings")
