"""Rendered PDF reports, cached per assessment, score snapshot, language and template version.

Kept in the database (not on a local disk) so that several stateless app servers share it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class ReportCache(Base):
    __tablename__ = "report_cache"
    __table_args__ = (UniqueConstraint("assessment_id", "cache_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    cache_key: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    def __repr__(self) -> str:
        return f"<ReportCache {self.assessment_id}:{self.cache_key[:8]}>"
