"""The audit log: `record(session, actor, action, object, ip)` for every share, revocation,
advisor view and download (statistics downloads too). Flushes only; the caller commits.

`actor` is a `User`, None (a visitor without an account: an owner holding a results link) or a
label. `object` is a model instance (Business, Assessment, User, AdvisorShare, …) or a
`(type, id)` pair; the business it belongs to is recorded so an owner can read their
business's entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditLog, Business, User

# actions (stable strings: they are stored)
SHARE = "share"
REVOKE = "revoke"
VIEW_BUSINESS = "view_business"
COMPARE = "compare"
DOWNLOAD_REPORT = "download_report"
DOWNLOAD_CSV = "download_csv"
ASSIST = "assist"
CLAIM = "claim"
DEACTIVATE = "deactivate_user"
LOGIN = "login"
PLAN_CHANGE = "plan_change"
ADOPTION = "adoption"

ANONYMOUS = "owner (results link)"


def _object_ref(obj: Any) -> tuple[str, str, int | None]:
    """(type, id, business id) of what the action was about."""
    if isinstance(obj, tuple):
        kind, oid = obj
        return str(kind), str(oid), None
    kind = getattr(obj, "__tablename__", type(obj).__name__.lower())
    oid = getattr(obj, "public_id", None) or getattr(obj, "id", None)
    if isinstance(obj, Business):
        business_id: int | None = obj.id
    else:
        business_id = getattr(obj, "business_id", None)
    return str(kind), str(oid), business_id


def record(
    session: Session,
    actor: Any,
    action: str,
    obj: Any,
    ip: str | None,
    *,
    business_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    kind, oid, bid = _object_ref(obj)
    if isinstance(actor, User):
        actor_id: int | None = actor.id
        label = f"{actor.email} ({actor.role.value})"
    else:
        actor_id = None
        label = str(actor) if actor else ANONYMOUS
    entry = AuditLog(
        at=datetime.now(UTC),
        actor_id=actor_id,
        actor_label=label[:254],
        action=action,
        object_type=kind[:40],
        object_id=oid[:64],
        business_id=business_id if business_id is not None else bid,
        ip=(ip or None) and ip[:45],
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry


def entries_for_business(session: Session, business: Business, limit: int = 200) -> Sequence[Any]:
    return session.scalars(
        select(AuditLog)
        .where(AuditLog.business_id == business.id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    ).all()


def recent_entries(session: Session, limit: int = 200, offset: int = 0) -> Sequence[Any]:
    return session.scalars(
        select(AuditLog)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
