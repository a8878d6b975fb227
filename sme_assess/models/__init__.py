"""ORM models, one module per concern. Import from here."""

from .assessment import Answer, Assessment, AssessmentStatus, PillarResult
from .audit import AuditLog
from .business import Business, BusinessType, SizeClass
from .plan import ActionChange, ActionItem, ActionStatus, PlatformAdoption
from .progress import BusinessProgress
from .report import ReportCache
from .sharing import AdvisorShare
from .stats import ApiToken, StatsCell, StatsGeneration, StatsPeerPoints, StatsPillarCell
from .user import Role, User

__all__ = [
    "ActionChange",
    "ActionItem",
    "ActionStatus",
    "AdvisorShare",
    "Answer",
    "ApiToken",
    "Assessment",
    "AssessmentStatus",
    "AuditLog",
    "Business",
    "BusinessProgress",
    "BusinessType",
    "PillarResult",
    "PlatformAdoption",
    "ReportCache",
    "Role",
    "SizeClass",
    "StatsCell",
    "StatsGeneration",
    "StatsPeerPoints",
    "StatsPillarCell",
    "User",
]
