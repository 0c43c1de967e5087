from requirements.models.baseline import Baseline, BaselineItem, ImmutableError
from requirements.models.imports import Import
from requirements.models.requirement import Comment, Requirement, RequirementSequence, Transition, format_key
from requirements.models.suspect import SuspectFlag

__all__ = [
    "Baseline",
    "BaselineItem",
    "Comment",
    "ImmutableError",
    "Import",
    "Requirement",
    "RequirementSequence",
    "SuspectFlag",
    "Transition",
    "format_key",
]
