"""Consent to share a business's assessments with an advisor (now and future), until revoked."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

if TYPE_CHECKING:
    from .business import Business
    from .user import User


class AdvisorShare(Base):
    """One row per (business, advisor); `revoked_at` set means no access. Sharing again after a
    revocation clears it and records the new consent time."""

    __tablename__ = "advisor_share"
    __table_args__ = (UniqueConstraint("business_id", "advisor_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    consented_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    consented_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    business: Mapped[Business] = relationship()
    advisor: Mapped[User] = relationship(foreign_keys=[advisor_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"<AdvisorShare b{self.business_id} u{self.advisor_id} {state}>"
