"""Finding assessments: the read-only queries that the survey, the reports and the access
predicates all need.

This module sits below `survey`, `reports` and `access` (it imports only the models and the
hashing helpers), so none of them has to import another to find an assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, defer, joinedload

from .db import driver_rows
from .models import Answer, Assessment, AssessmentStatus, Business, StatsGeneration
from .security import hash_code, hash_token


def now() -> datetime:
    return datetime.now(UTC)


def aware(dt: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything we store is UTC."""
    if dt is None:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DraftRef:
    """What the question pages need of a draft, read without loading ORM objects."""

    id: int
    public_id: str
    status: AssessmentStatus
    expires_at: datetime | None
    questionnaire_id: str


@dataclass(frozen=True)
class DraftKey:
    """What never changes about a draft: its row id, public id and questionnaire. An answer post
    needs nothing else before it writes (`survey.views`): the write itself checks that the
    draft is still open, under both ids."""

    id: int
    public_id: str
    questionnaire_id: str


def find_by_resume_code(session: Session, code: str) -> Assessment | None:
    if not code or len(code) > 64:
        return None
    return session.scalar(select(Assessment).where(Assessment.resume_hash == hash_code(code)))


def find_by_public_id(session: Session, public_id: str) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.public_id == public_id))


def find_by_results_token(session: Session, token: str) -> Assessment | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(Assessment).where(Assessment.results_hash == hash_token(token)))


_A = Assessment.__table__.c

#: the statistics generation (`StatsGeneration`, 0 before the first change)
_GENERATION = func.coalesce(
    select(StatsGeneration.n).where(StatsGeneration.id == 1).scalar_subquery(), 0
)


def find_results(session: Session, token: str) -> tuple[Assessment, int] | None:
    """The assessment of a results link, with its business, and the statistics generation,
    in one query (the hot path of the results page: the generation tells whether the page's
    cached history and peer benchmark are current)."""
    if not token or len(token) > 64:
        return None
    row = session.execute(
        select(Assessment, _GENERATION)
        # the score snapshot (JSON) is decoded only when the page is built, not when it is kept
        .options(joinedload(Assessment.business), defer(Assessment.score_snapshot))
        .where(Assessment.results_hash == hash_token(token))
    ).first()
    return None if row is None else (row[0], int(row[1]))


@dataclass(frozen=True)
class ResultsHead:
    """What the results page needs to find a kept page: read in one statement."""

    public_id: str
    submitted_at: datetime | None
    questionnaire_id: str
    has_profile: bool  # the assessment has its profile snapshot
    generation: int


_RESULTS_HEAD = select(
    _A.public_id,
    _A.submitted_at,
    _A.questionnaire_id,
    _A.profile_name.is_not(None),
    _GENERATION,
).where(_A.results_hash == bindparam("b_hash"))


def results_head(conn: Session | Connection, token: str) -> ResultsHead | None:
    """The results link's assessment, as far as a kept page needs it (no ORM objects)."""
    if not token or len(token) > 64:
        return None
    row = conn.execute(_RESULTS_HEAD, {"b_hash": hash_token(token)}).first()
    if row is None:
        return None
    return ResultsHead(row[0], aware(row[1]), row[2], bool(row[3]), int(row[4]))


def load_draft(
    session: Session | Connection, public_id: str
) -> tuple[DraftRef, dict[str, Any]] | None:
    """The draft and its answers in one query (the hot path of every question page).

    Takes a session, or a bare connection where a page only reads (no ORM session then)."""
    if len(public_id) > 32:
        return None
    params = {"b_public_id": public_id}
    rows = (
        driver_rows(session, _LOAD_DRAFT, params)
        if isinstance(session, Connection)
        else session.execute(_LOAD_DRAFT, params).all()
    )
    if not rows:
        return None
    first = rows[0]
    ref = DraftRef(first[0], public_id, AssessmentStatus(first[1]), first[2], first[3])
    return ref, {r[4]: r[5] for r in rows if r[4] is not None}


def answers_of(session: Session, assessment: Assessment) -> dict[str, Any]:
    rows = session.execute(
        select(Answer.question_id, Answer.value).where(Answer.assessment_id == assessment.id)
    )
    return {qid: value for qid, value in rows}


def history(session: Session, business: Business) -> list[Assessment]:
    """The business's submitted assessments, oldest first (re-assessments included)."""
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.business_id == business.id,
                Assessment.status == AssessmentStatus.submitted,
            )
            .order_by(Assessment.submitted_at)
        )
    )


_LOAD_DRAFT = (
    select(
        _A.id,
        _A.status,
        _A.expires_at,
        _A.questionnaire_id,
        Answer.__table__.c.question_id,
        Answer.__table__.c.value,
    )
    .outerjoin(Answer.__table__, Answer.__table__.c.assessment_id == _A.id)
    .where(_A.public_id == bindparam("b_public_id"))
)
