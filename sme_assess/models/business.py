"""A business: what an assessment belongs to (owners answer without an account)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

if TYPE_CHECKING:
    from .assessment import Assessment


class BusinessType(enum.StrEnum):
    enterprise = "enterprise"
    cooperative = "cooperative"
    household = "household"


class SizeClass(enum.StrEnum):
    micro = "micro"
    small = "small"
    medium = "medium"
    large = "large"


class Business(Base):
    __tablename__ = "business"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str | None] = mapped_column(String(14), index=True)
    business_type: Mapped[BusinessType] = mapped_column(
        Enum(BusinessType, name="business_type", native_enum=False, length=20)
    )
    province_code: Mapped[str] = mapped_column(String(8), index=True)
    industry_section: Mapped[str] = mapped_column(String(2), index=True)
    industry_classification: Mapped[str] = mapped_column(String(20), default="VSIC-2018")
    employees_band: Mapped[str] = mapped_column(String(20))
    revenue_band: Mapped[str] = mapped_column(String(20))
    capital_band: Mapped[str] = mapped_column(String(20))
    size_class: Mapped[SizeClass] = mapped_column(
        Enum(SizeClass, name="size_class", native_enum=False, length=10), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    # the owner's account, once an owner with proof of ownership has claimed the business
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="business",
        order_by="Assessment.created_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Business {self.public_id} {self.business_type.value} {self.size_class.value}>"
