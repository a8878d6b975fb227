"""Each business's latest submitted assessment at a glance: date, overall level, the level
before it and how many there are — what the advisor's dashboard lists, filters and sorts by,
read without scanning every assessment.

Kept current by a flush hook: whenever a submitted assessment is added or changed (submission,
a corrected date), the rows of the businesses concerned are recomputed from their assessments
in the same transaction. Rows written around the ORM (bulk inserts) are brought up to date with
`refresh_progress(connection)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    Table,
    and_,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base
from .assessment import Assessment, AssessmentStatus
from .business import Business
from .dashboard import bump_dashboards


class BusinessProgress(Base):
    __tablename__ = "business_progress"

    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), primary_key=True
    )
    last_assessed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_level: Mapped[int | None] = mapped_column(Integer, index=True)
    previous_level: Mapped[int | None] = mapped_column(Integer)
    assessments: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<BusinessProgress b{self.business_id} L{self.last_level}>"


def _nth(business_id: Any, column: Any, offset: int) -> Any:
    a = Assessment.__table__.c
    return (
        select(column)
        .where(a.business_id == business_id, a.status == AssessmentStatus.submitted.value)
        .order_by(a.submitted_at.desc(), a.id.desc())
        .limit(1)
        .offset(offset)
        .scalar_subquery()
    )


def refresh_progress(conn: Connection, business_ids: Iterable[int] | None = None) -> None:
    """Recompute the progress rows of `business_ids` (all businesses when None)."""
    a = Assessment.__table__.c
    b = Business.__table__.c
    p: Table = BusinessProgress.__table__  # type: ignore[assignment]
    ids = None if business_ids is None else sorted(set(business_ids))
    if ids == []:
        return
    rows = select(
        b.id,
        _nth(b.id, a.submitted_at, 0),
        _nth(b.id, a.overall_level, 0),
        _nth(b.id, a.overall_level, 1),
        select(func.count())
        .where(and_(a.business_id == b.id, a.status == AssessmentStatus.submitted.value))
        .scalar_subquery(),
    )
    if ids is None:
        conn.execute(delete(p))
    else:
        conn.execute(delete(p).where(p.c.business_id.in_(ids)))
        rows = rows.where(b.id.in_(ids))
    conn.execute(
        insert(p).from_select(
            ["business_id", "last_assessed_at", "last_level", "previous_level", "assessments"],
            rows,
        )
    )
    bump_dashboards(conn, ids)  # the advisors who list these businesses see new rows


_PENDING = "sme_progress_pending"


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _ctx: Any, _instances: Any) -> None:
    """Note the businesses whose submitted assessments this flush adds or changes."""
    pending: set[int] = session.info.setdefault(_PENDING, set())
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Assessment):
            continue
        state = inspect(obj)
        if obj.status != AssessmentStatus.submitted and not state.attrs.status.history.deleted:
            continue
        changed = obj in session.new or any(
            state.attrs[name].history.has_changes()
            for name in ("status", "submitted_at", "overall_level", "business_id")
        )
        if changed and obj.business_id is not None:
            pending.add(obj.business_id)
        elif changed and obj.business is not None and obj.business.id is not None:
            pending.add(obj.business.id)


@event.listens_for(Session, "after_flush")
def _refresh(session: Session, _ctx: Any) -> None:
    pending: set[int] = session.info.pop(_PENDING, set())
    for obj in session.new:
        if isinstance(obj, Assessment) and obj.status == AssessmentStatus.submitted:
            pending.add(obj.business_id)
    if pending:
        refresh_progress(session.connection(), pending)
