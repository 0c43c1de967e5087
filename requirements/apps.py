from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequirementsConfig(AppConfig):
    name = "requirements"
    verbose_name = _("Requirements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from projects.navigation import register_section

        register_section("requirements", "requirements:requirement-list")
