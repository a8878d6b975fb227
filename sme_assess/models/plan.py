"""The action plan shared by owner and advisor, and the platforms a business has adopted."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
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


class ActionStatus(enum.StrEnum):
    todo = "todo"
    doing = "doing"
    done = "done"
    dropped = "dropped"


class ActionItem(Base):
    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    # set when the action comes from a recommendation (the platform's catalogue id)
    platform_id: Mapped[str | None] = mapped_column(String(64))
    who: Mapped[str | None] = mapped_column(String(120))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(
        Enum(ActionStatus, name="action_status", native_enum=False, length=10),
        default=ActionStatus.todo,
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    changes: Mapped[list[ActionChange]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActionChange.id",
    )

    def __repr__(self) -> str:
        return f"<ActionItem {self.id} {self.status.value}>"


class ActionChange(Base):
    """Every change of an action: when, by whom, and the fields' new values."""

    __tablename__ = "action_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action_item.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    author_label: Mapped[str] = mapped_column(String(254))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)

    item: Mapped[ActionItem] = relationship(back_populates="changes")


class PlatformAdoption(Base):
    """A recommended platform the business uses (marked by the owner or the advisor)."""

    __tablename__ = "platform_adoption"
    __table_args__ = (UniqueConstraint("business_id", "platform_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    platform_id: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    marked_by_label: Mapped[str] = mapped_column(String(254))
