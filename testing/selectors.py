"""Reads of UAT that other pages share.

The latest result of a case is the result it has in the most recent started run that recorded one (runs by
start time, then creation): a case that passed in round 1 and failed in round 2 counts as failing. A case in
a started run with nothing recorded yet is "not run"; a case in no started run has no result.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from requirements.models import Requirement
from requirements.suspects import annotate_suspect
from requirements.verification import Proof
from testing.models import RunCase, TestRun
from testing.models.runs import Result


def latest_run_cases(case_ids: Iterable[int]) -> dict[int, RunCase]:
    """Each case's RunCase that holds its latest result (see the module docstring), in one query."""
    run_cases = (
        RunCase.objects.filter(case_id__in=list(case_ids))
        .exclude(run__status=TestRun.Status.PLANNED)
        .select_related("run")
        .order_by("case_id", "-run__started_at", "-run_id")
    )
    latest: dict[int, RunCase] = {}
    for run_case in run_cases:
        current = latest.get(run_case.case_id)
        if current is None or (current.result == Result.NOT_RUN and run_case.result != Result.NOT_RUN):
            latest[run_case.case_id] = run_case
    return latest


def uat_proofs(requirement: Requirement) -> list[Proof]:
    """The UAT cases verifying a requirement, with their latest result, for the requirement's page."""
    cases = list(annotate_suspect(requirement.uat_cases.order_by("number")))
    latest = latest_run_cases(case.pk for case in cases)
    labels = dict(Result.choices)
    proofs = []
    for case in cases:
        run_case = latest.get(case.pk)
        proofs.append(
            Proof(
                key=case.key,
                title=case.title,
                url=reverse(
                    "testing:case-detail", kwargs={"project_code": requirement.project.code, "case_key": case.key}
                ),
                result=run_case.result if run_case else "",
                result_label=str(labels[run_case.result]) if run_case else _("Not in a run yet"),
                detail=run_case.run.name if run_case else "",
                suspect=case.is_suspect,
            )
        )
    return proofs
