"""The advisor dashboard's version (`User.dashboard_version`): raised in the same transaction as
every change to what an advisor's dashboard lists, so that the list can be kept under it.

The list shows, for each business shared with the advisor, the business's own fields and its
progress row (`BusinessProgress`). It changes when
- a share is created, revoked or given again (`AdvisorShare` added, changed or deleted);
- a shared business changes or is deleted (`Business` changed or deleted);
- a shared business's progress row is recomputed (`refresh_progress`, after every submission).
The first two are caught by the session hooks below, the third by `refresh_progress` itself,
which also serves writes made around the ORM. The "not reassessed for 6 months" filter moves
with the calendar: the kept list is also keyed by the day (advisor/views.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from .business import Business
from .sharing import AdvisorShare
from .user import User

_PENDING = "sme_dashboard_pending"


def bump_dashboards(
    conn: Session | Connection,
    business_ids: Iterable[int] | None = (),
    advisor_ids: Iterable[int] = (),
) -> None:
    """Raise the dashboard version of the advisors who share (or shared) any of
    `business_ids` (every advisor when None) and of `advisor_ids`."""
    advisors = sorted(set(advisor_ids))
    conds = []
    if business_ids is None:
        conds.append(User.id.in_(select(AdvisorShare.advisor_id)))
    else:
        ids = sorted(set(business_ids))
        if ids:
            conds.append(
                User.id.in_(
                    select(AdvisorShare.advisor_id).where(AdvisorShare.business_id.in_(ids))
                )
            )
    if advisors:
        conds.append(User.id.in_(advisors))
    if not conds:
        return
    conn.execute(
        update(User)
        .where(or_(*conds))
        .values(dashboard_version=User.dashboard_version + 1)
        .execution_options(synchronize_session=False)
    )


def _note(session: Session) -> tuple[set[int], set[int]]:
    return session.info.setdefault(_PENDING, (set(), set()))  # type: ignore[no-any-return]


def before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    """Note the advisors of what this flush changes. A deleted business's shares go with it
    (ON DELETE CASCADE), so its advisors are looked up now, before the delete."""
    businesses, advisors = _note(session)
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, AdvisorShare) and obj.advisor_id is not None:
            advisors.add(obj.advisor_id)
        elif isinstance(obj, Business) and obj.id is not None and obj not in session.new:
            if obj in session.deleted:
                advisors.update(
                    session.scalars(
                        select(AdvisorShare.advisor_id).where(AdvisorShare.business_id == obj.id)
                    )
                )
            elif session.is_modified(obj, include_collections=False):
                businesses.add(obj.id)


def after_flush(session: Session, _ctx: Any) -> None:
    businesses, advisors = session.info.pop(_PENDING, (set(), set()))
    # shares added in this flush have their advisor id only now
    advisors.update(
        obj.advisor_id for obj in session.new if isinstance(obj, AdvisorShare) and obj.advisor_id
    )
    if businesses or advisors:
        bump_dashboards(session.connection(), businesses, advisors)


event.listen(Session, "before_flush", before_flush)
event.listen(Session, "after_flush", after_flush)
