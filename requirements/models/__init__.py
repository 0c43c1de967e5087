from requirements.models.baseline import Baseline, BaselineItem, ImmutableError
from requirements.models.imports import Import
from requirements.models.requirement import Comment, Requirement, RequirementSequence, Transition, format_key
from requirements.models.suspect import SuspectFlag
from requirements.models.vendors import (
    AgreedScore,
    Criterion,
    DemoRating,
    DemoScenario,
    DemoSession,
    Fit,
    Judgement,
    KnockOut,
    KnockOutCheck,
    Offer,
    QuoteLine,
    Score,
    ScoreSubmission,
    Selection,
    Vendor,
)

__all__ = [
    "AgreedScore",
    "Baseline",
    "BaselineItem",
    "Comment",
    "Criterion",
    "DemoRating",
    "DemoScenario",
    "DemoSession",
    "Fit",
    "ImmutableError",
    "Import",
    "Judgement",
    "KnockOut",
    "KnockOutCheck",
    "Offer",
    "QuoteLine",
    "Requirement",
    "RequirementSequence",
    "Score",
    "ScoreSubmission",
    "Selection",
    "SuspectFlag",
    "Transition",
    "Vendor",
    "format_key",
]
