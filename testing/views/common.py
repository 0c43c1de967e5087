"""What every UAT page shares: the section, objects fetched through the project (404 for another project's),
and breadcrumbs after "UAT"."""

from functools import cached_property

from django.shortcuts import get_object_or_404

from testing.models import Defect, RunCase, TestRun, UATCase
from workbench.access import ProjectAccessMixin

Crumbs = list[tuple[str, str | None]]


class UATMixin(ProjectAccessMixin):
    section = "uat"

    def get_case(self) -> UATCase:
        return get_object_or_404(UATCase.objects.filter(project=self.project), key=self.kwargs["case_key"])

    def get_run(self) -> TestRun:
        return get_object_or_404(TestRun.objects.filter(project=self.project), pk=self.kwargs["run_id"])

    def get_run_case(self) -> RunCase:
        return get_object_or_404(
            RunCase.objects.filter(run__project=self.project, run_id=self.kwargs["run_id"]).select_related(
                "run", "case", "tester__user"
            ),
            pk=self.kwargs["run_case_id"],
        )

    def get_defect(self) -> Defect:
        return get_object_or_404(Defect.objects.filter(project=self.project), key=self.kwargs["defect_key"])

    @cached_property
    def case(self) -> UATCase:
        return self.get_case()

    @cached_property
    def run(self) -> TestRun:
        return self.get_run()

    @cached_property
    def run_case(self) -> RunCase:
        return self.get_run_case()

    @cached_property
    def defect(self) -> Defect:
        return self.get_defect()
