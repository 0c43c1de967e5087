"""Reads of UAT that other apps' pages show (the latest result of a case is defined in testing/coverage.py)."""

from django.urls import reverse

from requirements.models import Requirement
from requirements.suspects import annotate_suspect
from requirements.verification import Proof
from testing.coverage import latest_results_of
from testing.models.runs import Result


def uat_proofs(requirement: Requirement) -> list[Proof]:
    """The UAT cases verifying a requirement, with their latest result, for the requirement's page."""
    cases = list(annotate_suspect(requirement.uat_cases.order_by("number")))
    latest = latest_results_of(requirement.uat_cases.all())
    labels = dict(Result.choices)
    proofs = []
    for case in cases:
        result, run_name = latest.get(case.pk, ("", ""))
        proofs.append(
            Proof(
                key=case.key,
                title=case.title,
                url=reverse(
                    "testing:case-detail", kwargs={"project_code": requirement.project.code, "case_key": case.key}
                ),
                result=result or Result.NOT_RUN,
                result_label=str(labels[result]) if result else str(labels[Result.NOT_RUN]),
                detail=run_name,
                suspect=case.is_suspect,
            )
        )
    return proofs
