"""Sharing with consent, and owners claiming their businesses.

An owner consents to share one business's assessments (now and future) with an advisor by
typing the advisor's share code; the consent lasts until the owner revokes it. Every share and
revocation is written to the audit log. Services flush only; the view commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit
from .models import AdvisorShare, Assessment, AssessmentStatus, Business, User


class ClaimRefused(Exception):
    """The business belongs to another account."""


def _now() -> datetime:
    return datetime.now(UTC)


def share(
    session: Session, business: Business, advisor: User, *, by: User | str | None, ip: str | None
) -> AdvisorShare:
    """Record the owner's consent (again, after a revocation). `by`: the owner's account, or a
    label for an owner without one (None: on the results page)."""
    row = session.scalar(
        select(AdvisorShare).where(
            AdvisorShare.business_id == business.id, AdvisorShare.advisor_id == advisor.id
        )
    )
    t = _now()
    if row is None:
        row = AdvisorShare(business_id=business.id, advisor_id=advisor.id, consented_at=t)
        session.add(row)
    else:
        row.consented_at = t
        row.revoked_at = None
    row.consented_by_id = by.id if isinstance(by, User) else None
    session.flush()
    audit.record(session, by, audit.SHARE, business, ip, detail={"advisor": advisor.email})
    return row


def revoke(
    session: Session, business: Business, share_id: int, *, by: User | None, ip: str | None
) -> bool:
    """End an advisor's access to the business; False when there is no such active share."""
    row = session.scalar(
        select(AdvisorShare).where(
            AdvisorShare.id == share_id,
            AdvisorShare.business_id == business.id,
            AdvisorShare.revoked_at.is_(None),
        )
    )
    if row is None:
        return False
    row.revoked_at = _now()
    session.flush()
    advisor = session.get(User, row.advisor_id)
    audit.record(
        session,
        by,
        audit.REVOKE,
        business,
        ip,
        detail={"advisor": advisor.email if advisor else str(row.advisor_id)},
    )
    return True


def active_shares(session: Session, business: Business) -> Sequence[tuple[AdvisorShare, User]]:
    """With whom the business is shared now (advisor accounts), earliest consent first."""
    rows = session.execute(
        select(AdvisorShare, User)
        .join(User, User.id == AdvisorShare.advisor_id)
        .where(AdvisorShare.business_id == business.id, AdvisorShare.revoked_at.is_(None))
        .order_by(AdvisorShare.consented_at, AdvisorShare.id)
    ).all()
    return [(r[0], r[1]) for r in rows]


def claim(session: Session, user: User, assessment: Assessment, *, ip: str | None) -> Business:
    """Attach the assessment's business to the owner's account. The caller has checked the
    proof of ownership (the draft's resume code, or the draft opened in this session)."""
    business = assessment.business
    if business.owner_id is not None and business.owner_id != user.id:
        raise ClaimRefused()
    if business.owner_id is None:
        business.owner_id = user.id
        session.flush()
        audit.record(session, user, audit.CLAIM, business, ip)
    return business


def owned_businesses(session: Session, user: User) -> Sequence[Business]:
    return session.scalars(
        select(Business).where(Business.owner_id == user.id).order_by(Business.name)
    ).all()


@dataclass(frozen=True)
class OwnedBusiness:
    """A line of the owner's account page."""

    business: Business
    latest_level: int | None  # overall level of the latest submitted assessment
    latest_at: datetime | None
    assessments: int  # submitted
    shared_with: int  # advisors with an active consent


def owned_overview(session: Session, user: User) -> list[OwnedBusiness]:
    """The owner's businesses by name, each with its latest submitted assessment (level and
    date), how many are submitted and with how many advisors it is shared: one statement."""
    submitted = Assessment.status == AssessmentStatus.submitted
    latest = (
        select(Assessment.overall_level, Assessment.submitted_at)
        .where(Assessment.business_id == Business.id, submitted)
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(Business)
    )
    n_submitted = (
        select(func.count(Assessment.id))
        .where(Assessment.business_id == Business.id, submitted)
        .correlate(Business)
        .scalar_subquery()
    )
    n_shared = (
        select(func.count(AdvisorShare.id))
        .where(AdvisorShare.business_id == Business.id, AdvisorShare.revoked_at.is_(None))
        .correlate(Business)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Business,
            latest.with_only_columns(Assessment.overall_level).scalar_subquery(),
            latest.with_only_columns(Assessment.submitted_at).scalar_subquery(),
            n_submitted,
            n_shared,
        )
        .where(Business.owner_id == user.id)
        .order_by(Business.name, Business.id)
    ).all()
    return [OwnedBusiness(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]
