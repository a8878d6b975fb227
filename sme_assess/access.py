"""Who may see or change what — one place for every ownership check.

Owners answer without an account: holding a draft's resume code (or having opened the draft in
this browser session) grants access to that draft; holding a results link grants read access to
that one submitted assessment. Later roles (advisor by consent share, ministry aggregates only)
extend these predicates, not the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .lookups import DraftKey, DraftRef
from .models import AdvisorShare, Assessment, Business, Role
from .security import open_session_seal, seal_for_session

SESSION_KEY = "drafts"


OWNED_KEY = "owned"


def _session_secret() -> str:
    from flask import current_app

    return str(current_app.config["SECRET_KEY"])


def _draft_grants(sess: Mapping[str, Any]) -> dict[str, str]:
    """public id → the sealed resume code, as stored in the (signed, readable) cookie."""
    value = sess.get(SESSION_KEY)
    return dict(value) if isinstance(value, dict) else {}


def drafts_in_session(sess: Mapping[str, Any]) -> dict[str, str]:
    """public id → resume code of the drafts this browser session has opened.

    The cookie holds each code sealed (`security.seal_for_session`: encrypted with a key derived
    from the secret key), never in plain text; "" where it cannot be opened any more (the
    secret key was changed) — the grant itself still holds."""
    secret = _session_secret()
    return {pid: open_session_seal(v, secret) for pid, v in _draft_grants(sess).items()}


def draft_code(sess: Mapping[str, Any], public_id: str) -> str:
    """The resume code of one draft of this session ("" if unknown)."""
    sealed = _draft_grants(sess).get(public_id)
    return open_session_seal(sealed, _session_secret()) if sealed else ""


def can_edit_draft(sess: Mapping[str, Any], assessment: Assessment | DraftRef | DraftKey) -> bool:
    return assessment.public_id in _draft_grants(sess)


def grant_draft(sess: Any, assessment: Assessment, code: str) -> None:
    """This session proved it holds the draft (it created it, or typed its resume code): it
    may edit the draft, and it is taken as the business's owner (`can_start_reassessment`)."""
    drafts = _draft_grants(sess)
    drafts.pop(assessment.public_id, None)
    drafts[assessment.public_id] = seal_for_session(code, _session_secret())
    # keep the cookie small: the ten most recent drafts
    sess[SESSION_KEY] = dict(list(drafts.items())[-10:])
    prove_owner(sess, assessment.business)
    sess.permanent = True


def revoke_draft(sess: Any, assessment: Assessment) -> None:
    drafts = _draft_grants(sess)
    drafts.pop(assessment.public_id, None)
    sess[SESSION_KEY] = drafts


def prove_owner(sess: Any, business: Business) -> None:
    """Remember that this session showed the owner's proof for `business` (a draft of it, or
    a resume code of one of its assessments)."""
    owned = [b for b in owned_in_session(sess) if b != business.public_id]
    owned.append(business.public_id)
    sess[OWNED_KEY] = owned[-10:]
    sess.permanent = True


def owned_in_session(sess: Mapping[str, Any]) -> list[str]:
    value = sess.get(OWNED_KEY)
    return [str(v) for v in value] if isinstance(value, list) else []


def can_start_reassessment(sess: Mapping[str, Any], business: Business, user: Any = None) -> bool:
    """A new assessment for an existing business (which opens its profile: tax code, email)
    needs the owner's proof — a results link alone is read-only. Proof: this browser session
    created or opened a draft of the business, or typed a resume code of one of its
    assessments. `user` is the signed-in account (accounts extend this predicate: the owner's
    login, an advisor the business is shared with)."""
    if user is None:
        user = _request_user()
    role = role_of(user)
    if role == Role.owner and owns_business(user, business):
        return True
    if role == Role.advisor:
        # only an active share counts: the proof an advisor's session held during an assisted
        # visit ends with the visit, and a revoked share ends at once
        return _has_active_share(user, business)
    if role in (Role.ministry, Role.admin):
        return False
    return business.public_id in owned_in_session(sess)


def _request_user() -> Any:
    """Flask-Login's user of the current request (None outside a request)."""
    from flask import has_request_context

    if not has_request_context():
        return None
    from flask_login import current_user

    return current_user


def _has_active_share(user: Any, business: Business) -> bool:
    from .db import get_session

    return (
        get_session().scalar(
            select(AdvisorShare.id).where(
                AdvisorShare.business_id == business.id,
                AdvisorShare.advisor_id == user.id,
                AdvisorShare.revoked_at.is_(None),
            )
        )
        is not None
    )


# --------------------------------------------------------------------------------------------
# Accounts and roles. Pure predicates over the user (Flask-Login's `current_user`: a `User` or
# the anonymous user) and facts the caller loaded; `visible_business` loads those facts in one
# query. A refusal on an object is answered 404 by the views (existence is never revealed).


def role_of(user: Any) -> Role | None:
    """The role of a signed-in, active account; None for anonymous visitors."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    role = getattr(user, "role", None)
    return role if isinstance(role, Role) else None


def is_owner(user: Any) -> bool:
    return role_of(user) == Role.owner


def is_advisor(user: Any) -> bool:
    return role_of(user) == Role.advisor


def is_ministry(user: Any) -> bool:
    return role_of(user) == Role.ministry


def is_admin(user: Any) -> bool:
    return role_of(user) == Role.admin


def can_view_stats(user: Any) -> bool:
    """Aggregate statistics: ministry accounts (national or one province) and admins."""
    return role_of(user) in (Role.ministry, Role.admin)


def stats_province_scope(user: Any) -> str | None:
    """The province a statistics user is limited to (its code), or None for the whole country.
    Only meaningful when `can_view_stats(user)`; callers check that first."""
    if is_ministry(user):
        return user.province_code or None
    return None


def owns_business(user: Any, business: Business) -> bool:
    return is_owner(user) and business.owner_id is not None and business.owner_id == user.id


def can_view_business(user: Any, business: Business, *, shared: bool) -> bool:
    """A single business's assessments, plan and reports: its owner, or an advisor it is
    shared with (`shared`: an unrevoked consent for this advisor). Ministry accounts and admins
    never see a single business."""
    return owns_business(user, business) or (is_advisor(user) and shared)


def can_edit_plan(user: Any, business: Business, *, shared: bool) -> bool:
    """The action plan and adopted platforms are kept together by owner and advisor."""
    return can_view_business(user, business, shared=shared)


def can_share_business(
    user: Any, business: Business, sess: Mapping[str, Any] | None = None
) -> bool:
    """Sharing, revoking and reading the business's audit log: its owner's account; or, on
    the results page (`sess` given), a visitor whose session holds the owner's proof for a
    business no account has claimed. An advisor's, ministry's or admin's session never counts
    (an advisor who helped during a visit holds that proof until the visit ends)."""
    if owns_business(user, business):
        return True
    if sess is None or business.owner_id is not None or role_of(user) not in (None, Role.owner):
        return False
    return business.public_id in owned_in_session(sess)


def forget_owner_proof(sess: Any, business: Business) -> None:
    """Drop the owner's proof for `business` from this session (the end of an assisted
    visit: the advisor keeps nothing of the owner's)."""
    owned = [b for b in owned_in_session(sess) if b != business.public_id]
    sess[OWNED_KEY] = owned


def can_assist(user: Any, business: Business | None = None, *, shared: bool = False) -> bool:
    """An advisor starts an assessment with the owner: for a new business during a visit
    (`business` None), or for a business shared with them."""
    if not is_advisor(user):
        return False
    return business is None or shared


def can_admin_users(user: Any) -> bool:
    return is_admin(user)


def can_view_audit(user: Any, business: Business | None = None) -> bool:
    """The whole audit log: admins; one business's entries: also its owner."""
    return is_admin(user) or (business is not None and owns_business(user, business))


def visible_business(session: Session, user: Any, public_id: str) -> tuple[Business, bool] | None:
    """The business `public_id` with `shared` (an active consent for this advisor), when
    `can_view_business` allows it; None otherwise (the view answers 404). One query."""
    if role_of(user) not in (Role.owner, Role.advisor):
        return None
    share = (
        select(AdvisorShare.id)
        .where(
            AdvisorShare.business_id == Business.id,
            AdvisorShare.advisor_id == user.id,
            AdvisorShare.revoked_at.is_(None),
        )
        .exists()
    )
    row = session.execute(
        select(Business, share).where(Business.public_id == public_id[:32])
    ).first()
    if row is None:
        return None
    business, shared = row[0], bool(row[1])
    if not can_view_business(user, business, shared=shared):
        return None
    return business, shared
