"""Coverage: each requirement of a project against the latest results of the UAT cases that verify it.

The latest result of a case
    is the result of its most recent execution that has one, i.e. is not "not run": runs are ordered by when
    they started (then by id), executions within a run by attempt number. In the usual case this is the result
    of the case's RunCase in the most recent run where it was not "not run" (a RunCase's result is its latest
    execution's). The one difference is a retest that has not recorded a step yet: its RunCase reads "not run"
    again, and the attempt before it (the fail that asked for the retest) still counts, rather than an older
    run's result. A case that no run has executed has no latest result ("not run").

The verdict of a requirement, from the latest results of the cases that verify it now (UATCase.requirements):
    no case     no case verifies it;
    failing     a latest result is fail;
    blocked     none fails, one is blocked;
    passing     every case's latest result is pass;
    not run     no case has a latest result;
    partly run  anything else (some cases not run yet, in progress or skipped).

A must-have requirement without a pass has priority "must" and no case whose latest result is pass.

Everything is computed in three queries however many requirements there are (the requirements, the case links,
the cases' latest results, each one query); the verdicts are worked out in Python over plain tuples.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from requirements.models import Requirement
from testing.models import Execution, UATCase
from testing.models.runs import Result

NO_CASE = "no_case"
NOT_RUN = "not_run"
FAILING = "failing"
BLOCKED = "blocked"
PASSING = "passing"
PARTLY_RUN = "partly_run"

VERDICTS = [
    (NO_CASE, _("No case")),
    (NOT_RUN, _("Not run")),
    (FAILING, _("Failing")),
    (BLOCKED, _("Blocked")),
    (PARTLY_RUN, _("Partly run")),
    (PASSING, _("Passing")),
]
VERDICT_LABELS = dict(VERDICTS)

# The order results are summed up in a row ("2 pass · 1 fail · 1 not run").
OUT_OF_SCOPE = (Requirement.Status.REJECTED, Requirement.Status.DEFERRED)
SUMMARY_ORDER = [Result.PASS, Result.FAIL, Result.BLOCKED, Result.IN_PROGRESS, Result.SKIPPED, Result.NOT_RUN]


@dataclass
class CoverageRow:
    """One requirement's line; its figures are worked out once, on first use, after `results` is filled."""

    pk: int
    key: str
    title: str
    layer: str
    priority: str
    results: Counter = field(default_factory=Counter)  # latest result → number of cases ("not_run" if none)

    @cached_property
    def case_count(self) -> int:
        return sum(self.results.values())

    @cached_property
    def verdict(self) -> str:
        return verdict(self.results)

    @cached_property
    def must_without_pass(self) -> bool:
        return self.priority == Requirement.Priority.MUST and not self.results[Result.PASS]

    @cached_property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @cached_property
    def layer_label(self) -> str:
        return str(Requirement.Layer(self.layer).label) if self.layer in Requirement.Layer.values else self.layer

    @cached_property
    def priority_label(self) -> str:
        return (
            str(Requirement.Priority(self.priority).label)
            if self.priority in Requirement.Priority.values
            else self.priority
        )

    @cached_property
    def summary(self) -> list[tuple[str, str, int]]:
        """(result, label, number of cases) for each result that occurs, pass first."""
        return [(r.value, str(r.label), self.results[r]) for r in SUMMARY_ORDER if self.results[r]]


def verdict(results: Counter) -> str:
    """A requirement's verdict from how many of its cases have each latest result (see the module's text)."""
    total = sum(results.values())
    if not total:
        return NO_CASE
    if results[Result.FAIL]:
        return FAILING
    if results[Result.BLOCKED]:
        return BLOCKED
    if results[Result.PASS] == total:
        return PASSING
    if results[Result.NOT_RUN] == total:
        return NOT_RUN
    return PARTLY_RUN


def latest_results_of(cases: QuerySet[UATCase]) -> dict[int, tuple[str, str]]:
    """{case id: (latest result, name of the run it is from)} for those of `cases` that have one (one query)."""
    latest = (
        Execution.objects.filter(run_case__case=OuterRef("pk"))
        .exclude(result=Result.NOT_RUN)
        .order_by(F("run_case__run__started_at").desc(nulls_last=True), "-run_case__run_id", "-number", "-pk")
    )
    rows = (
        cases.annotate(
            latest=Subquery(latest.values("result")[:1]), latest_run=Subquery(latest.values("run_case__run__name")[:1])
        )
        .filter(latest__isnull=False)
        .values_list("pk", "latest", "latest_run")
    )
    return {pk: (result, run) for pk, result, run in rows}


def latest_results(project: Project) -> dict[int, str]:
    """{case id: latest result} for the project's cases that have one (one query)."""
    return {pk: result for pk, (result, _run) in latest_results_of(UATCase.objects.filter(project=project)).items()}


def coverage_rows(project: Project, *, layer: str = "", priority: str = "") -> list[CoverageRow]:
    """Every requirement of the project in scope (optionally of one layer and priority), in key order, with the
    latest results of the cases verifying it. Rejected and deferred requirements are out of scope: nobody
    accepts them in this upgrade, so they are no gap."""
    requirements = Requirement.objects.filter(project=project).exclude(status__in=OUT_OF_SCOPE)
    if layer:
        requirements = requirements.filter(layer=layer)
    if priority:
        requirements = requirements.filter(priority=priority)
    rows = [
        CoverageRow(pk=pk, key=key, title=title, layer=layer_, priority=priority_)
        for pk, key, title, layer_, priority_ in requirements.order_by("number").values_list(
            "pk", "key", "title", "layer", "priority"
        )
    ]
    if not rows:
        return rows
    links = UATCase.requirements.through.objects.filter(uatcase__project=project)
    if layer or priority:
        links = links.filter(requirement__in=requirements)
    cases_of: dict[int, list[int]] = defaultdict(list)
    for requirement_id, case_id in links.values_list("requirement_id", "uatcase_id"):
        cases_of[requirement_id].append(case_id)
    latest = latest_results(project)
    for row in rows:
        for case_id in cases_of.get(row.pk, ()):
            row.results[latest.get(case_id, Result.NOT_RUN)] += 1
    return rows


@dataclass
class CoverageSummary:
    rows: list[CoverageRow]
    counts: dict[str, int]  # verdict → number of requirements
    must_without_pass: int


def coverage_summary(rows: list[CoverageRow]) -> CoverageSummary:
    counts = Counter(row.verdict for row in rows)
    return CoverageSummary(
        rows=rows,
        counts={value: counts.get(value, 0) for value, _label in VERDICTS},
        must_without_pass=sum(row.must_without_pass for row in rows),
    )
