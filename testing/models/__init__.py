from testing.models.cases import CaseSequence, CaseStep, UATCase, format_case_key
from testing.models.runs import (
    Defect,
    DefectSequence,
    Evidence,
    Execution,
    RunCase,
    SignOff,
    StepResult,
    TestRun,
    format_defect_key,
)

__all__ = [
    "CaseSequence",
    "CaseStep",
    "Defect",
    "DefectSequence",
    "Evidence",
    "Execution",
    "RunCase",
    "SignOff",
    "StepResult",
    "TestRun",
    "UATCase",
    "format_case_key",
    "format_defect_key",
]
