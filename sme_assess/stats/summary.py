"""The statistics summary: kept up to date on every submission, rebuilt from the raw rows by
`sme-assess stats rebuild`.

`add_assessment` adds one submitted assessment with one upsert per table (INSERT … ON CONFLICT
DO UPDATE SET n = n + 1 …), so concurrent submissions never lose a count. `rebuild` deletes the
summaries and recomputes them with GROUP BY over the raw rows; a test checks that both agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..models import (
    Assessment,
    PillarResult,
    StatsCell,
    StatsGeneration,
    StatsPeerPoints,
    StatsPillarCell,
)
from ..models.stats import CELL_KEY, LEVELS
from .provinces import current_province
from .source import month_of, profile_value, submitted_rows

LEVEL_COLS = tuple(f"n_level_{k}" for k in LEVELS)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _insert(session: Session, table: Any) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    if _dialect(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _upsert_add(session: Session, table: Any, key: tuple[str, ...], row: dict[str, Any]) -> None:
    """Insert `row`, or add its measures to the existing row with the same key."""
    stmt = _insert(session, table).values(**row)
    measures = {c: table.c[c] + stmt.excluded[c] for c in row if c not in key}
    session.execute(stmt.on_conflict_do_update(index_elements=list(key), set_=measures))


def cell_key(assessment: Assessment) -> dict[str, Any]:
    assert assessment.submitted_at is not None
    return {
        "synthetic": bool(assessment.synthetic),
        "month": month_of(assessment.submitted_at),
        "province_code": current_province(profile_value(assessment, "province_code")),
        "industry_section": profile_value(assessment, "industry_section"),
        "size_class": profile_value(assessment, "size_class"),
        "business_type": profile_value(assessment, "business_type"),
        "questionnaire_id": assessment.questionnaire_id,
        "questionnaire_version": assessment.questionnaire_version,
    }


def _levels(level: int) -> dict[str, int]:
    return {f"n_level_{k}": int(level == k) for k in LEVELS}


def add_assessment(session: Session, assessment: Assessment, *, sign: int = 1) -> None:
    """Count a just-submitted assessment in the summaries (`sign` −1 takes it out again)."""
    key = cell_key(assessment)
    level = int(assessment.overall_level or 0)
    cell = {**key, "n": sign, **{c: sign * v for c, v in _levels(level).items()}}
    _upsert_add(session, StatsCell.__table__, CELL_KEY, cell)
    for p in assessment.pillar_results:
        row = {
            **key,
            "pillar_id": p.pillar_id,
            "n": sign,
            "points_sum": sign * p.points,
            "max_points_sum": sign * p.max_points,
            **{c: sign * v for c, v in _levels(p.level).items()},
        }
        _upsert_add(session, StatsPillarCell.__table__, (*CELL_KEY, "pillar_id"), row)
        peer = {
            "synthetic": key["synthetic"],
            "questionnaire_id": key["questionnaire_id"],
            "questionnaire_version": key["questionnaire_version"],
            "industry_section": key["industry_section"],
            "size_class": key["size_class"],
            "province_code": key["province_code"],
            "pillar_id": p.pillar_id,
            "points": p.points,
            "max_points": p.max_points,
            "n": sign,
        }
        _upsert_add(
            session,
            StatsPeerPoints.__table__,
            tuple(k for k in peer if k not in ("max_points", "n")),
            peer,
        )
    bump_generation(session)


def bump_generation(session: Session | Connection) -> None:
    """Raise the statistics generation (`StatsGeneration`) in the caller's transaction: every
    change to the summaries ends with this, so that what is cached under the generation (the
    peer benchmark and history of a results page) is never served after the change commits."""
    done = session.execute(
        update(StatsGeneration).where(StatsGeneration.id == 1).values(n=StatsGeneration.n + 1)
    )
    if not getattr(done, "rowcount", 1):  # a schema made without the migration
        session.execute(insert(StatsGeneration).values(id=1, n=1))


def remove_assessment(session: Session, assessment: Assessment) -> None:
    """Take an assessment out of the summaries (before its submission time or profile changes)."""
    add_assessment(session, assessment, sign=-1)


def _count_level(column: Any, k: int) -> Any:
    return func.sum(case((column == k, 1), else_=0)).cast(Integer)


def rebuild(session: Session, *, synthetic: bool | None = None) -> dict[str, int]:
    """Recompute the summaries from the raw rows (only those of real or of synthetic data when
    `synthetic` is given); returns the number of summary rows per table."""
    dialect = _dialect(session)
    if dialect == "postgresql":  # millions of rows grouped: keep the hash aggregates in memory
        session.execute(text("SET LOCAL work_mem = '256MB'"))
    for model in (StatsCell, StatsPillarCell, StatsPeerPoints):
        stmt = delete(model)
        if synthetic is not None:
            stmt = stmt.where(model.synthetic.is_(synthetic))
        session.execute(stmt)
    base = (
        submitted_rows(dialect, synthetic=synthetic)
        .add_columns(Assessment.overall_level.label("level"))
        .subquery()
    )
    keys = [base.c[k] for k in CELL_KEY]
    cells = select(
        *keys,
        func.count().label("n"),
        *[_count_level(base.c.level, k).label(f"n_level_{k}") for k in LEVELS],
    ).group_by(*keys)
    session.execute(insert(StatsCell).from_select([*CELL_KEY, "n", *LEVEL_COLS], cells))

    pr = PillarResult.__table__.c
    pbase = (
        submitted_rows(dialect, synthetic=synthetic)
        .add_columns(
            pr.pillar_id.label("pillar_id"),
            pr.points.label("points"),
            pr.max_points.label("max_points"),
            pr.level.label("level"),
        )
        .join(PillarResult.__table__, pr.assessment_id == Assessment.id)
        .subquery()
    )
    pkeys = [pbase.c[k] for k in (*CELL_KEY, "pillar_id")]
    pillar_cells = select(
        *pkeys,
        func.count().label("n"),
        func.sum(pbase.c.points).label("points_sum"),
        func.sum(pbase.c.max_points).label("max_points_sum"),
        *[_count_level(pbase.c.level, k).label(f"n_level_{k}") for k in LEVELS],
    ).group_by(*pkeys)
    session.execute(
        insert(StatsPillarCell).from_select(
            [*CELL_KEY, "pillar_id", "n", "points_sum", "max_points_sum", *LEVEL_COLS],
            pillar_cells,
        )
    )
    peer_cols = (
        "synthetic",
        "questionnaire_id",
        "questionnaire_version",
        "industry_section",
        "size_class",
        "province_code",
        "pillar_id",
        "points",
        "max_points",
    )
    peer_keys = [pbase.c[k] for k in peer_cols]
    peers = select(*peer_keys, func.count().label("n")).group_by(*peer_keys)
    session.execute(insert(StatsPeerPoints).from_select([*peer_cols, "n"], peers))
    bump_generation(session)
    session.flush()
    return {
        model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (StatsCell, StatsPillarCell, StatsPeerPoints)
    }
