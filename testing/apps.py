from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "testing"
    verbose_name = _("Testing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from projects.demo import register_demo_builder
        from testing.demo import build_uat_demo

        # The testing app comes after requirements in INSTALLED_APPS, so this runs after the requirements demo.
        register_demo_builder(build_uat_demo)
