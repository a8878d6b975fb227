"""Where the statistics read the raw rows from: submitted assessments with the profile they were
made with (the snapshot columns of the assessment when the schema has them, else the business's
profile), their month of submission in Vietnam time and the current province.

One place for these expressions, so the summary rebuild, the microdata download and the
benchmark's plain GROUP BY all read exactly the same rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, cast, func, literal_column
from sqlalchemy.sql import Select

from ..models import Assessment, AssessmentStatus, Business
from .provinces import old_to_current

# Vietnam has kept UTC+7 without daylight saving since 1975
VN_OFFSET = timedelta(hours=7)

_SNAPSHOT = {
    "province_code": "profile_province_code",
    "industry_section": "profile_industry_section",
    "size_class": "profile_size_class",
    "business_type": "profile_business_type",
}


def has_snapshot() -> bool:
    return all(hasattr(Assessment, col) for col in _SNAPSHOT.values())


def profile_column(name: str) -> Any:
    """The column holding `name` of the profile an assessment was made with."""
    if has_snapshot():
        return getattr(Assessment, _SNAPSHOT[name])
    return getattr(Business, name)


def profile_value(assessment: Assessment, name: str) -> str:
    if has_snapshot():
        value = getattr(assessment, _SNAPSHOT[name])
        if value is not None:
            return str(getattr(value, "value", value))
    value = getattr(assessment.business, name)
    return str(getattr(value, "value", value))


def month_of(submitted_at: datetime) -> int:
    """yyyymm of the submission in Vietnam time (UTC+7); naive times are UTC (SQLite)."""
    if submitted_at.tzinfo is not None:
        submitted_at = submitted_at.astimezone(UTC).replace(tzinfo=None)
    local = submitted_at + VN_OFFSET
    return local.year * 100 + local.month


def month_sql(dialect: str) -> ColumnElement[int]:
    col = Assessment.__table__.c.submitted_at
    if dialect == "postgresql":
        return cast(
            func.to_char(col.op("AT TIME ZONE")(literal_column("'Asia/Ho_Chi_Minh'")), "YYYYMM"),
            Integer,
        )
    return cast(func.strftime("%Y%m", col, "+7 hours"), Integer)


def month_text_sql(dialect: str) -> ColumnElement[str]:
    """ "yyyy-mm" of the submission in Vietnam time."""
    col = Assessment.__table__.c.submitted_at
    if dialect == "postgresql":
        return func.to_char(col.op("AT TIME ZONE")(literal_column("'Asia/Ho_Chi_Minh'")), "YYYY-MM")
    return func.strftime("%Y-%m", col, "+7 hours")


def current_province_sql(column: Any) -> ColumnElement[str]:
    """The current code of a stored province code: a CASE over the pre-2025 codes that changed."""
    changed = {old: new for old, new in old_to_current().items() if old != new}
    return case(changed, value=column, else_=column)


def submitted_rows(dialect: str, *, synthetic: bool | None = None) -> Select[Any]:
    """SELECT the statistics dimensions of submitted assessments (add columns as needed)."""
    from sqlalchemy import select

    stmt = select(
        Assessment.synthetic.label("synthetic"),
        month_sql(dialect).label("month"),
        current_province_sql(profile_column("province_code")).label("province_code"),
        profile_column("industry_section").label("industry_section"),
        profile_column("size_class").label("size_class"),
        profile_column("business_type").label("business_type"),
        Assessment.questionnaire_id.label("questionnaire_id"),
        Assessment.questionnaire_version.label("questionnaire_version"),
    ).where(Assessment.status == AssessmentStatus.submitted)
    if not has_snapshot():
        stmt = stmt.join(Business, Business.id == Assessment.business_id)
    if synthetic is not None:
        stmt = stmt.where(Assessment.synthetic.is_(synthetic))
    return stmt
