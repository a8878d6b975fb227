"""The audit log: `record(session, actor, action, object, ip)` for every share, revocation,
advisor view and download (statistics downloads too). Flushes only; the caller commits.

`actor` is a `User`, None (a visitor without an account: an owner holding a results link) or a
label. `object` is a model instance (Business, Assessment, User, AdvisorShare, …) or a
`(type, id)` pair; the business it belongs to is recorded so an owner can read their
business's entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from .models import AuditLog, Business, Role, User

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
STATS_DOWNLOAD = "stats_download"
STATS_API = "stats_api"
ACTIONS = frozenset(
    {
        SHARE,
        REVOKE,
        VIEW_BUSINESS,
        COMPARE,
        DOWNLOAD_REPORT,
        DOWNLOAD_CSV,
        ASSIST,
        CLAIM,
        DEACTIVATE,
        LOGIN,
        PLAN_CHANGE,
        ADOPTION,
        STATS_DOWNLOAD,
        STATS_API,
    }
)

ANONYMOUS = "owner (results link)"
# how an owner without an account is named when they consent on the advisor's phone, and in the
# demo data (stored labels; `actor_name` translates them)
VISIT_CONSENT = "owner (on the advisor's phone, assisted visit)"
DEMO_OWNER = "owner (demo data)"
# "email (role)", as `record` writes an account's label
_ROLE_SUFFIX = re.compile(r"^(.+) \((" + "|".join(r.value for r in Role) + r")\)$")


def actor_name(label: str | None) -> str:
    """A stored actor label in the page's language: "lan@example.vn (advisor)" → "lan@example.vn
    (Tư vấn viên)"; the fixed labels for owners without an account are translated whole."""
    from .auth import role_label
    from .i18n import gettext as _

    fixed = {
        ANONYMOUS: _("the owner (results link)"),
        VISIT_CONSENT: _("the owner (on the advisor's phone, assisted visit)"),
        DEMO_OWNER: _("the owner (demo data)"),
    }
    if not label:
        return "—"
    if label in fixed:
        return fixed[label]
    m = _ROLE_SUFFIX.match(label)
    return f"{m.group(1)} ({role_label(m.group(2))})" if m else label


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


@dataclass(frozen=True)
class AdminEntry:
    """An entry of the whole log with what it was about, in words: the business's name, or the
    account (deactivations), or the object's type and id."""

    entry: AuditLog
    about: str


def recent_entries(
    session: Session,
    limit: int = 200,
    offset: int = 0,
    *,
    action: str | None = None,
    text: str | None = None,
) -> Sequence[AdminEntry]:
    """Newest first; `action` keeps one kind, `text` the entries whose actor label, business
    name or account email (deactivations) contains it (case-insensitive). One statement."""
    account = aliased(User)
    stmt = (
        select(AuditLog, Business.name, account.email)
        .outerjoin(Business, Business.id == AuditLog.business_id)
        .outerjoin(
            account,
            (AuditLog.object_type == User.__tablename__)
            & (AuditLog.object_id == cast(account.id, String)),
        )
    )
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if text:
        needle = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{needle}%"
        stmt = stmt.where(
            or_(
                func.lower(AuditLog.actor_label).like(like, escape="\\"),
                func.lower(Business.name).like(like, escape="\\"),
                func.lower(account.email).like(like, escape="\\"),
            )
        )
    rows = session.execute(
        stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)
    ).all()
    return [AdminEntry(r[0], r[1] or r[2] or f"{r[0].object_type} {r[0].object_id}") for r in rows]
