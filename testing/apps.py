from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "testing"
    verbose_name = _("Testing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from projects.demo import register_demo_builder
        from projects.navigation import register_section
        from requirements import suspects, verification
        from testing.demo import build_uat_demo
        from testing.selectors import uat_proofs

        register_section("uat", "testing:run-list")
        # A changed requirement makes the UAT cases that verify it suspect, until someone reviews them.
        suspects.register(cases_verifying)
        # The requirement's page lists the cases that verify it, with their latest result.
        verification.register(uat_proofs)

        # The testing app comes after requirements in INSTALLED_APPS, so this runs after the requirements demo.
        register_demo_builder(build_uat_demo)

        # Go/no-go: the UAT figures of the go-live criteria (projects offers the registry, never imports us).
        from projects.gonogo import register_provider
        from testing import gonogo

        register_provider("must_have_uat", gonogo.must_have_uat)
        register_provider("open_severe_defects", gonogo.open_severe_defects)
        register_provider("uat_runs_signed", gonogo.uat_runs_signed)


def cases_verifying(requirement):
    return requirement.uat_cases.all()
