"""The owner's journey as services: businesses, drafts, answers, submission.

Services take the SQLAlchemy session as an argument and only flush; the view commits once.
No request or Flask objects here, so the same calls serve the web, the CLI and the demo seed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..db import driver_rows
from ..lookups import DraftKey, DraftRef, answers_of, aware, now
from ..models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Business,
    BusinessType,
    PillarResult,
    SizeClass,
)
from ..questionnaire import Questionnaire
from ..refdata import size_class
from ..scoring import ScoreResult, missing_answers, score
from ..security import (
    hash_code,
    hash_token,
    new_code,
    new_token,
    new_verification_code,
    seal_token,
)
from ..stats import summary as stats_summary

log = logging.getLogger(__name__)


class DraftExpired(Exception):
    """The draft's storage period is over."""


class DraftGone(DraftExpired):
    """No such draft any more (deleted with its business): a kind of DraftExpired for callers
    that do not tell them apart."""


class AlreadySubmitted(Exception):
    """A submitted assessment is read-only."""


class Incomplete(Exception):
    """Submission refused: `missing` lists the required, shown, unanswered question ids."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"{len(missing)} unanswered question(s)")


@dataclass(frozen=True)
class ProfileData:
    name: str
    tax_code: str | None
    business_type: str
    province_code: str
    industry_section: str
    employees_band: str
    revenue_band: str
    capital_band: str
    email: str | None
    #: declared catalogue activity ids (`forms.ACTIVITIES`); those the section implies are
    #: added by the recommendation engine, not stored
    activities: tuple[str, ...] = ()


def create_business(session: Session, data: ProfileData) -> Business:
    b = Business(public_id=new_token()[:22], industry_classification="VSIC-2018")
    apply_profile(b, data)
    session.add(b)
    session.flush()
    return b


def apply_profile(business: Business, data: ProfileData) -> None:
    business.name = data.name.strip()
    business.tax_code = data.tax_code or None
    business.business_type = BusinessType(data.business_type)
    business.province_code = data.province_code
    business.industry_section = data.industry_section
    business.employees_band = data.employees_band
    business.revenue_band = data.revenue_band
    business.capital_band = data.capital_band
    business.size_class = SizeClass(
        size_class(data.industry_section, data.employees_band, data.revenue_band, data.capital_band)
    )
    business.email = data.email or None
    business.activities = ",".join(data.activities)


def start_assessment(
    session: Session,
    business: Business,
    questionnaire: Questionnaire,
    *,
    ttl_days: int,
    locale: str = "vi",
    previous: Assessment | None = None,
) -> tuple[Assessment, str]:
    """Open a draft; returns it with its resume code (only its hash is stored)."""
    code = new_code()
    t = now()
    a = Assessment(
        public_id=new_token()[:22],
        business=business,
        previous_id=previous.id if previous else None,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        status=AssessmentStatus.draft,
        locale=locale,
        resume_hash=hash_code(code),
        created_at=t,
        updated_at=t,
        expires_at=t + timedelta(days=ttl_days),
    )
    session.add(a)
    session.flush()
    return a, code


def check_open(assessment: Assessment | DraftRef | _State, at: datetime | None = None) -> None:
    """Raise unless the draft can still be edited."""
    if assessment.status == AssessmentStatus.submitted:
        raise AlreadySubmitted()
    exp = aware(assessment.expires_at)
    if exp is not None and (at or now()) >= exp:
        raise DraftExpired()


def save_answers(
    session: Session | Connection,
    assessment: Assessment | DraftRef | DraftKey,
    values: Mapping[str, Any],
    cleared: set[str] | frozenset[str] = frozenset(),
    *,
    ttl_days: int,
) -> None:
    """Upsert `values` (already validated) and delete `cleared`; extend the draft's life.

    The draft's state is checked and its expiry moved in one UPDATE … WHERE still a draft and
    not expired, so a submission or expiry that happens meanwhile (another device) cannot be
    written over. Raises AlreadySubmitted / DraftExpired, having written nothing.

    Takes the request's ORM session, or a bare connection from `db.write_connection` (an
    answer post needs no ORM objects). On PostgreSQL it is one statement, atomic on its own;
    on SQLite several, in the caller's write transaction."""
    t = now()
    if isinstance(assessment, Assessment):
        assessment_id, public_id = _identity(assessment), None  # no reload of an expired object
    else:
        # a draft known by its ids only: the row must still carry both (a row id is never
        # trusted alone, as a deleted draft's id could be taken again)
        assessment_id, public_id = assessment.id, assessment.public_id
    conn = session.connection() if isinstance(session, Session) else session
    draft = {
        "b_id": assessment_id,
        "b_public_id": public_id,
        "b_now": t,
        "b_expires": t + timedelta(days=ttl_days),
    }
    if conn.dialect.name == "postgresql":
        _save_in_one_statement(conn, draft, values, cleared)
    else:
        _save_in_steps(conn, draft, values, cleared)
    if isinstance(assessment, Assessment) and isinstance(session, Session):
        session.expire(assessment, ["updated_at", "expires_at"])


def _save_in_one_statement(
    conn: Connection,
    draft: dict[str, Any],
    values: Mapping[str, Any],
    cleared: set[str] | frozenset[str],
) -> None:
    """PostgreSQL: the draft moved, the answers upserted and the cleared ones deleted by one
    statement (data-modifying CTEs), atomic on its own: no BEGIN and COMMIT round trips, so
    the connection may be in autocommit (`db.write_connection`). The upsert and the delete
    happen only if the draft could be moved (still a draft, not expired)."""
    params = {
        **draft,
        "b_values": json.dumps(dict(values)),  # as the JSON column writes a value
        "b_cleared": sorted(cleared),
    }
    moved = driver_rows(conn, _SAVE_PG, params)[0][0]  # SELECT count(*): exactly one row
    if moved != 1:
        _refuse(conn, draft)


def _save_in_steps(
    conn: Connection,
    draft: dict[str, Any],
    values: Mapping[str, Any],
    cleared: set[str] | frozenset[str],
) -> None:
    """SQLite: the same in the caller's write transaction (BEGIN IMMEDIATE … COMMIT)."""
    if conn.execute(_MOVE_DRAFT, draft).rowcount != 1:
        _refuse(conn, draft)
    assessment_id, t = draft["b_id"], draft["b_now"]
    if values:
        rows = [
            {"assessment_id": assessment_id, "question_id": qid, "value": value, "updated_at": t}
            for qid, value in values.items()
        ]
        # executemany of one prepared statement (a multi-row VALUES would be compiled anew
        # for every page size)
        conn.execute(_upsert_answers(conn.dialect.name), rows)
    if cleared:
        conn.execute(
            delete(Answer).where(
                Answer.assessment_id == assessment_id, Answer.question_id.in_(sorted(cleared))
            )
        )


def _refuse(conn: Connection, draft: dict[str, Any]) -> None:
    """The draft (`save_answers`' bound parameters) could not be moved: raise AlreadySubmitted
    or DraftExpired, or DraftGone when no such draft exists any more (nothing written)."""
    row = conn.execute(
        select(_A.status, _A.expires_at, _A.public_id).where(_A.id == draft["b_id"])
    ).first()
    public_id = draft["b_public_id"]
    if row is None or (public_id is not None and row[2] != public_id):
        raise DraftGone()
    check_open(_State(AssessmentStatus(row[0]), row[1]), draft["b_now"])
    raise DraftExpired()  # pragma: no cover - check_open raised already


@dataclass(frozen=True)
class _State:
    """What `check_open` reads of a draft."""

    status: AssessmentStatus
    expires_at: datetime | None


def _identity(assessment: Assessment) -> int:
    """The primary key of a persistent assessment, read without loading expired attributes."""
    identity = inspect(assessment).identity
    if identity is None:  # pragma: no cover - only persistent drafts are saved
        raise ValueError("the assessment is not in the database")
    return int(identity[0])


_ASSESSMENTS = cast_type(Table, Assessment.__table__)
_ANSWERS = cast_type(Table, Answer.__table__)
_A = _ASSESSMENTS.c
_MOVE_DRAFT = (
    update(_ASSESSMENTS)
    .where(
        _A.id == bindparam("b_id"),
        _A.public_id == func.coalesce(bindparam("b_public_id", type_=String), _A.public_id),
        _A.status == AssessmentStatus.draft,
        or_(_A.expires_at.is_(None), _A.expires_at > bindparam("b_now")),
    )
    .values(updated_at=bindparam("b_now"), expires_at=bindparam("b_expires"))
)
_UPSERTS: dict[str, Any] = {}
# the answers arrive as one JSON object (question id → value); json_each keeps each value's
# text as sent, so an unchanged answer compares equal and is not rewritten
_SAVE_PG = text(
    """
    WITH moved AS (
        UPDATE assessment SET updated_at = :b_now, expires_at = :b_expires
        WHERE id = :b_id AND public_id = COALESCE(:b_public_id, public_id)
        AND status = 'draft' AND (expires_at IS NULL OR expires_at > :b_now)
        RETURNING id
    ), upserted AS (
        INSERT INTO answer (assessment_id, question_id, value, updated_at)
        SELECT moved.id, v.key, v.value, :b_now
        FROM moved CROSS JOIN json_each(CAST(:b_values AS json)) AS v
        ON CONFLICT (assessment_id, question_id) DO UPDATE
        SET value = excluded.value, updated_at = excluded.updated_at
        WHERE CAST(answer.value AS text) IS DISTINCT FROM CAST(excluded.value AS text)
        RETURNING 1
    ), deleted AS (
        DELETE FROM answer
        WHERE assessment_id IN (SELECT id FROM moved) AND question_id = ANY(:b_cleared)
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM moved)
    """
)


def _upsert_answers(name: str) -> Any:
    """INSERT … ON CONFLICT (assessment, question) DO UPDATE, built once per dialect `name`."""
    stmt = _UPSERTS.get(name)
    if stmt is None:
        base: postgresql.Insert | sqlite.Insert
        if name == "postgresql":
            base = postgresql.insert(_ANSWERS)
        elif name == "sqlite":
            base = sqlite.insert(_ANSWERS)
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise RuntimeError(f"unsupported database {name!r}")
        current = _ANSWERS.c.value
        stmt = _UPSERTS[name] = base.on_conflict_do_update(
            index_elements=["assessment_id", "question_id"],
            set_={"value": base.excluded.value, "updated_at": base.excluded.updated_at},
            # an unchanged answer is not rewritten (pages are often saved again as they are,
            # with Back and Next); JSON has no equality in PostgreSQL, so compare the text
            where=cast(current, Text).is_distinct_from(cast(base.excluded.value, Text)),
        )
    return stmt


def submit(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    resume_code: str | None = None,
) -> str:
    """Validate completeness, score, snapshot; returns the permanent results token.

    With the draft's `resume_code`, the code keeps leading to the assessment (now read-only):
    the results token is stored sealed with it, so the code opens a page that links to the
    results. Without it, the code stops working."""
    check_open(assessment)
    answers = answers_of(session, assessment)
    missing = missing_answers(questionnaire, answers)
    if missing:
        raise Incomplete(missing)
    result = score(questionnaire, answers)
    token = new_token()
    record_result(assessment, result, answers)
    assessment.status = AssessmentStatus.submitted
    assessment.submitted_at = now()
    assessment.results_hash = hash_token(token)
    if resume_code and assessment.resume_hash == hash_code(resume_code):
        assessment.results_sealed = seal_token(token, resume_code)
    else:
        assessment.resume_hash = None
    assessment.expires_at = None
    assessment.verification_code = new_verification_code()
    assessment.snapshot_profile()
    session.flush()
    stats_summary.add_assessment(session, assessment)  # the statistics count it at once
    return token


def record_result(assessment: Assessment, result: ScoreResult, answers: Mapping[str, Any]) -> None:
    snapshot = result.to_dict()
    snapshot["answers"] = dict(answers)
    assessment.score_snapshot = snapshot
    assessment.total_points = result.total
    assessment.max_points = result.max_total
    assessment.overall_level = result.overall_level
    assessment.pillar_results = [
        PillarResult(pillar_id=p.pillar_id, points=p.points, max_points=p.max_points, level=p.level)
        for p in result.pillars
    ]
