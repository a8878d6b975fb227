"""Accounts as services: create, authenticate, change password, deactivate, list.

Services take the session and only flush; the caller (view or CLI) commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Role, User
from .passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password


class AccountError(ValueError):
    """Refused: the message says why (shown to the person or printed by the CLI)."""


def normalise_email(raw: str) -> str:
    return raw.strip().lower()


def _now() -> datetime:
    return datetime.now(UTC)


def _new_nonce() -> str:
    return secrets.token_hex(16)


_SHARE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U (read aloud, typed)


def new_share_code() -> str:
    """An advisor's share code: 40 random bits, `XXXX-XXXX` in the resume-code alphabet. It
    names the advisor; it grants nothing by itself (the owner consents explicitly)."""
    s = "".join(secrets.choice(_SHARE_ALPHABET) for _ in range(8))
    return f"{s[:4]}-{s[4:]}"


def check_password(password: str, email: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"password too short (at least {MIN_LENGTH} characters)")
    if email and password.strip().lower() == normalise_email(email):
        raise AccountError("password must not be the email address")


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    role: Role | str,
    password: str | None = None,
    province_code: str | None = None,
    name: str | None = None,
) -> User:
    role = Role(role)
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an email address: {email!r}")
    if find_by_email(session, email) is not None:
        raise AccountError(f"an account with the email {email} exists already")
    if province_code and role != Role.ministry:
        raise AccountError("only ministry accounts are limited to a province")
    if province_code:
        from ..refdata import province_by_code

        if province_code not in province_by_code():
            raise AccountError(f"unknown province code {province_code!r}")
    if password is not None:
        check_password(password, email)
    user = User(
        email=email,
        name=(name or "").strip() or None,
        role=role,
        province_code=province_code or None,
        active=True,
        password_hash=hash_password(password) if password is not None else None,
        share_code=new_share_code() if role == Role.advisor else None,
        session_nonce=_new_nonce(),
        created_at=_now(),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this email and password, else None (same cost either way)."""
    user = find_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = _now()
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """New password; every existing login session of the account ends."""
    check_password(password, user.email)
    user.password_hash = hash_password(password)
    user.session_nonce = _new_nonce()
    session.flush()


def deactivate(session: Session, user: User) -> None:
    """Refuse the account from its next request on (its sessions end at once)."""
    user.active = False
    user.session_nonce = _new_nonce()
    session.flush()


def list_users(session: Session, role: Role | None = None) -> Sequence[User]:
    stmt = select(User).order_by(User.role, User.email)
    if role is not None:
        stmt = stmt.where(User.role == role)
    return session.scalars(stmt).all()


def find_advisor_by_share_code(session: Session, code: str) -> User | None:
    """The active advisor with this share code (typed by an owner: case and dashes ignored)."""
    from ..security import normalise_code

    wanted = normalise_code(code)
    if len(wanted) != 8:
        return None
    formatted = f"{wanted[:4]}-{wanted[4:]}"
    return session.scalar(
        select(User).where(
            User.share_code == formatted, User.role == Role.advisor, User.active.is_(True)
        )
    )


def load_session_user(session: Session, user_id: str) -> User | None:
    """Flask-Login's user loader: `<id>:<nonce>`; None for a deactivated account or an
    outdated nonce (password changed, deactivated) — the request is then anonymous."""
    raw_id, _, nonce = user_id.partition(":")
    if not raw_id.isdigit() or not nonce:
        return None
    user = session.get(User, int(raw_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count(User.id))) or 0)
