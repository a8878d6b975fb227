"""Accounts: owners, advisors, ministry statisticians and administrators.

Owners need no account to answer; an account only keeps their businesses together. The role is
one enum; what each role may do is decided in `sme_assess.access` (never in views).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Enum, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class Role(enum.StrEnum):
    owner = "owner"
    advisor = "advisor"
    ministry = "ministry"
    admin = "admin"


class User(Base):
    """An account. `get_id()` includes a nonce that changes on a password change or a
    deactivation, so every existing login session ends on its next request."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", native_enum=False, length=12), index=True
    )
    # ministry accounts may be limited to one province (statistics of that province only)
    province_code: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # advisors: the short code an owner types to share a business with them
    share_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    session_nonce: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # raised whenever what this advisor's dashboard lists may have changed (models/dashboard.py):
    # the dashboard's list is kept under it
    dashboard_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    # Flask-Login's user protocol, without importing Flask here
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}{' inactive' if not self.active else ''}>"
