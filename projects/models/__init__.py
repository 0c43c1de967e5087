from projects.models.goals import KPI, Driver, Goal, Measurement
from projects.models.project import Membership, Profile, Project
from projects.models.raci import RaciActivity, RaciAssignment

__all__ = [
    "KPI",
    "Driver",
    "Goal",
    "Measurement",
    "Membership",
    "Profile",
    "Project",
    "RaciActivity",
    "RaciAssignment",
]
