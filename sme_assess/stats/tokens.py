"""Read-only statistics API tokens of ministry accounts: a random 128-bit token shown once,
only its SHA-256 stored; revocable; checked on every API call with the account's current role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ApiToken, User
from ..security import hash_token, new_token

PREFIX = "smes_"


def create(session: Session, user: User, label: str) -> str:
    token = PREFIX + new_token()
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label))
    session.flush()
    return token


def of_user(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at)
        )
    )


def revoke(session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is not None and token.user_id == user.id and token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        session.flush()


def user_for(session: Session, header: str | None) -> Any:
    """The active account of a `Bearer <token>` header, or None."""
    if not header or not header.startswith("Bearer "):
        return None
    raw = header[7:].strip()
    if not raw.startswith(PREFIX) or len(raw) > 128:
        return None
    token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    token.last_used_at = datetime.now(UTC)
    return user
