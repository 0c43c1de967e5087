from projects.models.goals import KPI, Driver, Goal, Measurement
from projects.models.migration import (
    CleansingRule,
    DataObject,
    DataSignOff,
    ExtractProfile,
    Measure,
    QualityCheck,
    Reconciliation,
    ReconciliationException,
    TrialLoad,
    Wave,
)
from projects.models.processes import Finding, Process, Step, StepLink
from projects.models.project import Membership, Profile, Project
from projects.models.raci import RaciActivity, RaciAssignment

__all__ = [
    "CleansingRule",
    "DataObject",
    "DataSignOff",
    "ExtractProfile",
    "Measure",
    "QualityCheck",
    "Reconciliation",
    "ReconciliationException",
    "TrialLoad",
    "Wave",
    "KPI",
    "Finding",
    "Process",
    "Step",
    "StepLink",
    "Driver",
    "Goal",
    "Measurement",
    "Membership",
    "Profile",
    "Project",
    "RaciActivity",
    "RaciAssignment",
]
