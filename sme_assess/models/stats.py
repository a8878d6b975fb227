"""Statistics summaries, kept up to date on every submission (and rebuilt by
`sme-assess stats rebuild`), and the API tokens of ministry accounts.

One summary row per combination of the dimensions the dashboard filters and breaks down by
(month of submission, current province, VSIC section, size class, business type, questionnaire
id and version), for real and synthetic data apart. The profile is the one the assessment was
made with, not the business's current one. Level counts are columns (levels 0–5: a
questionnaire with more levels would need more columns — the loader's DBI scale has six).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base

LEVELS = range(6)

CELL_KEY = (
    "synthetic",
    "month",
    "province_code",
    "industry_section",
    "size_class",
    "business_type",
    "questionnaire_id",
    "questionnaire_version",
)


class StatsCell(Base):
    """Submitted assessments per combination of the dimensions, with their overall levels."""

    __tablename__ = "stats_cell"
    __table_args__ = (
        UniqueConstraint(*CELL_KEY, name="uq_stats_cell_key"),
        Index("ix_stats_cell_province", "synthetic", "province_code", "month"),
        # period filters, and the periods and versions offered in the filter form
        Index(
            "ix_stats_cell_month", "synthetic", "month", "questionnaire_id", "questionnaire_version"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    synthetic: Mapped[bool] = mapped_column(Boolean)
    month: Mapped[int] = mapped_column(Integer)  # yyyymm, Vietnam time
    province_code: Mapped[str] = mapped_column(String(8))  # current (34-unit) code
    industry_section: Mapped[str] = mapped_column(String(2))
    size_class: Mapped[str] = mapped_column(String(10))
    business_type: Mapped[str] = mapped_column(String(20))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    n: Mapped[int] = mapped_column(Integer, default=0)
    n_level_0: Mapped[int] = mapped_column(Integer, default=0)
    n_level_1: Mapped[int] = mapped_column(Integer, default=0)
    n_level_2: Mapped[int] = mapped_column(Integer, default=0)
    n_level_3: Mapped[int] = mapped_column(Integer, default=0)
    n_level_4: Mapped[int] = mapped_column(Integer, default=0)
    n_level_5: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<StatsCell {self.month} {self.province_code} {self.industry_section} n={self.n}>"


class StatsPillarCell(Base):
    """Per pillar, for the same combinations: points and maxima summed, and level counts."""

    __tablename__ = "stats_pillar_cell"
    __table_args__ = (
        UniqueConstraint(*CELL_KEY, "pillar_id", name="uq_stats_pillar_cell_key"),
        Index("ix_stats_pillar_cell_province", "synthetic", "province_code", "month"),
        Index("ix_stats_pillar_cell_month", "synthetic", "month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    synthetic: Mapped[bool] = mapped_column(Boolean)
    month: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[str] = mapped_column(String(8))
    industry_section: Mapped[str] = mapped_column(String(2))
    size_class: Mapped[str] = mapped_column(String(10))
    business_type: Mapped[str] = mapped_column(String(20))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    pillar_id: Mapped[str] = mapped_column(String(32))
    n: Mapped[int] = mapped_column(Integer, default=0)
    points_sum: Mapped[int] = mapped_column(Integer, default=0)
    max_points_sum: Mapped[int] = mapped_column(Integer, default=0)
    n_level_0: Mapped[int] = mapped_column(Integer, default=0)
    n_level_1: Mapped[int] = mapped_column(Integer, default=0)
    n_level_2: Mapped[int] = mapped_column(Integer, default=0)
    n_level_3: Mapped[int] = mapped_column(Integer, default=0)
    n_level_4: Mapped[int] = mapped_column(Integer, default=0)
    n_level_5: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<StatsPillarCell {self.month} {self.province_code} {self.pillar_id} n={self.n}>"


class StatsPeerPoints(Base):
    """How many submitted assessments scored each number of points in a pillar, per section,
    size class and province: the exact distribution the owners' peer benchmark (median and
    quartiles) is read from."""

    __tablename__ = "stats_peer_points"
    __table_args__ = (
        UniqueConstraint(
            "synthetic",
            "questionnaire_id",
            "questionnaire_version",
            "industry_section",
            "size_class",
            "province_code",
            "pillar_id",
            "points",
            name="uq_stats_peer_points_key",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    synthetic: Mapped[bool] = mapped_column(Boolean)
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    industry_section: Mapped[str] = mapped_column(String(2))
    size_class: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str] = mapped_column(String(8))
    pillar_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<StatsPeerPoints {self.industry_section}/{self.size_class} {self.pillar_id}>"


class ApiToken(Base):
    """A read-only statistics API token of a ministry account; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id} {self.label!r}>"


class StatsGeneration(Base):
    """One row (id 1): a number raised in the same transaction as every change to the
    statistics summaries (a submission counted or taken out, a rebuild, a synthetic load).

    What is read from the summaries can be cached under it — the owners' peer benchmark and the
    history on the results page — and a cached value is current exactly while the number is
    unchanged (decision 0026)."""

    __tablename__ = "stats_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
