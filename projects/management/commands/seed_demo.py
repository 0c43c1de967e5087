from django.core.management.base import BaseCommand, CommandParser

from projects.demo import DEMO_PASSWORD, PEOPLE, build_demo
from projects.models import Project


class Command(BaseCommand):
    help = "Build (or refresh) the demo upgrade project from the retail case, with its team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lang", choices=["en", "zh-hans"], default="en", help="language of the demo content"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already holds a project"
        )

    def handle(self, *args, lang: str, if_empty: bool, **options) -> None:
        if if_empty and Project.objects.exists():
            self.stdout.write("Projects exist already; demo not loaded.")
            return
        project = build_demo(language=lang)
        self.stdout.write(self.style.SUCCESS(f"Demo project {project.code} is ready ({lang})."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in PEOPLE:
            self.stdout.write(f"  {person.username:<12} {person.role:<7} {person.department}")
