from quality.models.assessments import Document, EvidenceFigure, Rating, SelfAssessment
from quality.models.frameworks import Framework, FrameworkVersion, Level, Standard, Theme
from quality.models.plans import DevelopmentPlan, PlanEntry, PlanUpdate, PlanUpdateEntry
from quality.models.reviews import ActionItem, ElementBand, ExternalReview
from quality.models.steering import SteeringSeat

__all__ = [
    "ActionItem",
    "DevelopmentPlan",
    "Document",
    "ElementBand",
    "EvidenceFigure",
    "ExternalReview",
    "Framework",
    "FrameworkVersion",
    "Level",
    "PlanEntry",
    "PlanUpdate",
    "PlanUpdateEntry",
    "Rating",
    "SelfAssessment",
    "Standard",
    "SteeringSeat",
    "Theme",
]
