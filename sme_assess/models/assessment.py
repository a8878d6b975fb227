"""Assessments, their answers and per-pillar results.

An assessment stores the questionnaire id and version it was answered against and, once
submitted, an immutable score snapshot (JSON) plus per-pillar points and levels in columns so
statistics are plain SQL. Secrets (resume code, results token) are stored only as SHA-256 hashes.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

if TYPE_CHECKING:
    from .business import Business


class AssessmentStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"


class Assessment(Base):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[AssessmentStatus] = mapped_column(
        Enum(AssessmentStatus, name="assessment_status", native_enum=False, length=12),
        default=AssessmentStatus.draft,
        index=True,
    )
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    results_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    verification_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    total_points: Mapped[int | None] = mapped_column(Integer)
    max_points: Mapped[int | None] = mapped_column(Integer)
    overall_level: Mapped[int | None] = mapped_column(Integer, index=True)
    score_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the advisor who filled the assessment in with the owner during a visit
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    business: Mapped[Business] = relationship(back_populates="assessments")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    pillar_results: Mapped[list[PillarResult]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.submitted

    def __repr__(self) -> str:
        q = f"{self.questionnaire_id}@{self.questionnaire_version}"
        return f"<Assessment {self.public_id} {q} {self.status.value}>"


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    assessment: Mapped[Assessment] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<Answer {self.assessment_id}:{self.question_id}>"


class PillarResult(Base):
    __tablename__ = "pillar_result"
    __table_args__ = (UniqueConstraint("assessment_id", "pillar_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    pillar_id: Mapped[str] = mapped_column(String(32), index=True)
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)

    assessment: Mapped[Assessment] = relationship(back_populates="pillar_results")

    def __repr__(self) -> str:
        return f"<PillarResult {self.assessment_id}:{self.pillar_id} L{self.level}>"
