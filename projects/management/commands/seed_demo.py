from django.core.management.base import BaseCommand, CommandParser

from projects.demo import DEMO_CODE, DEMO_PASSWORD, PEOPLE, build_demo
from projects.demo_sla import DC_CODE, GO_LIVE
from projects.models import Project


class Command(BaseCommand):
    help = "Build (or refresh) the demo upgrade project from the retail case, with its team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", choices=["en", "zh-hans"], default="en", help="language of the demo content")
        parser.add_argument(
            "--if-empty", action="store_true", help="leave the database alone when it already holds a project"
        )

    def handle(self, *args, lang: str, if_empty: bool, **options) -> None:
        if if_empty and Project.objects.exists():
            if not Project.objects.filter(code=DEMO_CODE).exists():
                self.stdout.write("The database holds projects already; the demo was not loaded.")
                return
        else:
            build_demo(language=lang)
            self.stdout.write(self.style.SUCCESS(f"Demo project {DEMO_CODE} is ready ({lang})."))
            self.stdout.write(
                self.style.SUCCESS(f"Demo project {DC_CODE} is ready: live since {GO_LIVE:%Y-%m-%d}, with incidents.")
            )
        built = set(Project.objects.filter(code__in=[DEMO_CODE, DC_CODE]).values_list("code", flat=True))
        codes = " and ".join(code for code in (DEMO_CODE, DC_CODE) if code in built)
        self.stdout.write(f"Demo logins for projects {codes} (password for every one: {DEMO_PASSWORD}):")
        for person in PEOPLE:
            self.stdout.write(f"  {person.username:<12} {person.role:<7} {person.department}")
