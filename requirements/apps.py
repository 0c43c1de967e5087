from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequirementsConfig(AppConfig):
    name = "requirements"
    verbose_name = _("Requirements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from projects.demo import register_demo_builder
        from projects.navigation import register_section
        from requirements.demo import build_requirements_demo
        from requirements.demo_selection import build_selection_demo

        register_section("requirements", "requirements:requirement-list")
        register_section("vendors", "requirements:comparison")
        register_demo_builder(build_requirements_demo)
        register_demo_builder(build_selection_demo)  # after the requirements: fit-gap and scenarios refer to them

        from requirements import reqif

        reqif.register()  # .reqif files in the spreadsheet import pipeline too
