"""What verifies a requirement. Apps that test requirements register a source of proofs from their
AppConfig.ready(), so `requirements` shows them without importing those apps:

from requirements import verification
verification.register(uat_proofs)   # testing: the UAT cases with their latest result
"""

from collections.abc import Callable
from dataclasses import dataclass

from requirements.models import Requirement


@dataclass(frozen=True)
class Proof:
    key: str
    title: str
    url: str
    result: str  # a machine value such as "pass", "fail", "not_run"
    result_label: str
    detail: str = ""  # e.g. where the result comes from ("UAT round 1")
    suspect: bool = False


Source = Callable[[Requirement], list[Proof]]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def proofs_for(requirement: Requirement) -> list[Proof]:
    proofs: list[Proof] = []
    for source in _sources:
        proofs.extend(source(requirement))
    return proofs
