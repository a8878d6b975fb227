"""ORM models, one module per concern. Import from here."""

from .assessment import Answer, Assessment, AssessmentStatus, PillarResult
from .business import Business, BusinessType, SizeClass
from .report import ReportCache

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "Business",
    "BusinessType",
    "PillarResult",
    "ReportCache",
    "SizeClass",
]
