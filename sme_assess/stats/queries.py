"""Aggregations over the statistics summaries, in SQL, returning typed rows.

Every function reads `stats_cell` / `stats_pillar_cell` (never the raw assessments), for real or
synthetic data (never both), with the filters of a view. Disclosure control is applied by
`stats.tables`, not here: these are the exact counts.

Dimensions: province, section, size, type, questionnaire ("id@version") and the periods year
("2026"), quarter ("2026-Q3") and month ("2026-07") of submission (Vietnam time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ..models import StatsCell, StatsPeerPoints, StatsPillarCell
from ..models.stats import LEVELS

PERIOD_DIMS = ("year", "quarter", "month")
DIMS = ("province", "section", "size", "type", "questionnaire", *PERIOD_DIMS)

_PERIOD_RE = {
    "year": re.compile(r"^(\d{4})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}


def period_dim(value: str) -> str | None:
    """Which period dimension a value like "2026", "2026-Q3" or "2026-07" belongs to."""
    for dim, rx in _PERIOD_RE.items():
        if rx.match(value):
            return dim
    return None


def _group_exprs(model: Any, dim: str) -> list[ColumnElement[Any]]:
    t = model.__table__.c
    if dim == "province":
        return [t.province_code]
    if dim == "section":
        return [t.industry_section]
    if dim == "size":
        return [t.size_class]
    if dim == "type":
        return [t.business_type]
    if dim == "questionnaire":
        return [t.questionnaire_id, t.questionnaire_version]
    if dim == "year":
        return [t.month // 100]
    if dim == "quarter":
        return [t.month // 100, (t.month % 100 + 2) // 3]
    if dim == "month":
        return [t.month]
    raise ValueError(f"unknown dimension {dim!r}")


def key_of(dim: str, parts: Sequence[Any]) -> str:
    """The value string of a group (as used in filters and URLs)."""
    if dim == "questionnaire":
        return f"{parts[0]}@{parts[1]}"
    if dim == "year":
        return f"{int(parts[0]):04d}"
    if dim == "quarter":
        return f"{int(parts[0]):04d}-Q{int(parts[1])}"
    if dim == "month":
        m = int(parts[0])
        return f"{m // 100:04d}-{m % 100:02d}"
    return str(parts[0])


def _condition(model: Any, dim: str, value: str) -> Any:
    t = model.__table__.c
    if dim == "province":
        return t.province_code == value
    if dim == "section":
        return t.industry_section == value
    if dim == "size":
        return t.size_class == value
    if dim == "type":
        return t.business_type == value
    if dim == "questionnaire":
        qid, _, version = value.partition("@")
        return and_(t.questionnaire_id == qid, t.questionnaire_version == version)
    if dim == "year":
        y = int(value)
        return t.month.between(y * 100 + 1, y * 100 + 12)
    if dim == "quarter":
        y, q = int(value[:4]), int(value[-1])
        return t.month.between(y * 100 + 3 * q - 2, y * 100 + 3 * q)
    if dim == "month":
        return t.month == int(value[:4]) * 100 + int(value[5:])
    raise ValueError(f"unknown dimension {dim!r}")


@dataclass(frozen=True)
class Counts:
    """Submitted assessments in a group and their overall levels (index = level)."""

    n: int
    levels: tuple[int, ...]


@dataclass(frozen=True)
class PillarCounts:
    """One pillar in a group: assessments, points and maxima summed, level counts."""

    n: int
    points_sum: int
    max_points_sum: int
    levels: tuple[int, ...]

    @property
    def mean_percent(self) -> float | None:
        """Mean pillar percentage: Σ points / Σ maxima × 100 (each assessment of a version has
        the same maximum, so this is the mean of the percentages). None for an empty group."""
        return None if self.max_points_sum <= 0 else 100 * self.points_sum / self.max_points_sum


def _where(
    model: Any,
    synthetic: bool,
    filters: Mapping[str, str],
    all_but_one: Mapping[str, str] | None = None,
) -> list[ColumnElement[bool]]:
    """The synthetic flag and every filter; with `all_but_one`, rows that meet all of those
    conditions but at most one (what the views with one filter removed read)."""
    out: list[ColumnElement[bool]] = [model.__table__.c.synthetic == synthetic]
    out += [_condition(model, dim, value) for dim, value in sorted(filters.items())]
    if all_but_one and len(all_but_one) > 1:
        items = sorted(all_but_one.items())
        out.append(
            or_(
                *[
                    and_(*[_condition(model, d, v) for j, (d, v) in enumerate(items) if j != i])
                    for i in range(len(items))
                ]
            )
        )
    return out


def counts(
    session: Session,
    synthetic: bool,
    filters: Mapping[str, str],
    by: Sequence[str] = (),
    all_but_one: Mapping[str, str] | None = None,
) -> dict[tuple[str, ...], Counts]:
    """Counts grouped by the dimensions `by` (key: their value strings; () for the total).
    `all_but_one`: see `_where`."""
    t = StatsCell.__table__.c
    groups = [(dim, _group_exprs(StatsCell, dim)) for dim in by]
    flat = [e for _dim, exprs in groups for e in exprs]
    stmt = select(*flat, func.sum(t.n), *[func.sum(t[f"n_level_{k}"]) for k in LEVELS]).where(
        *_where(StatsCell, synthetic, filters)
    )
    if flat:
        stmt = stmt.group_by(*flat)
    out: dict[tuple[str, ...], Counts] = {}
    for row in session.execute(stmt):
        key, i = [], 0
        for dim, exprs in groups:
            key.append(key_of(dim, row[i : i + len(exprs)]))
            i += len(exprs)
        n = int(row[i] or 0)
        if n:
            out[tuple(key)] = Counts(n, tuple(int(v or 0) for v in row[i + 1 :]))
    return out


def pillar_counts(
    session: Session,
    synthetic: bool,
    filters: Mapping[str, str],
    by: Sequence[str] = (),
    all_but_one: Mapping[str, str] | None = None,
) -> dict[tuple[str, ...], dict[str, PillarCounts]]:
    """Per group (as in `counts`), per pillar id: the pillar's counts."""
    t = StatsPillarCell.__table__.c
    groups = [(dim, _group_exprs(StatsPillarCell, dim)) for dim in by]
    flat = [e for _dim, exprs in groups for e in exprs]
    stmt = (
        select(
            *flat,
            t.pillar_id,
            func.sum(t.n),
            func.sum(t.points_sum),
            func.sum(t.max_points_sum),
            *[func.sum(t[f"n_level_{k}"]) for k in LEVELS],
        )
        .where(*_where(StatsPillarCell, synthetic, filters, all_but_one))
        .group_by(*flat, t.pillar_id)
    )
    out: dict[tuple[str, ...], dict[str, PillarCounts]] = {}
    for row in session.execute(stmt):
        key, i = [], 0
        for dim, exprs in groups:
            key.append(key_of(dim, row[i : i + len(exprs)]))
            i += len(exprs)
        n = int(row[i + 1] or 0)
        if n:
            out.setdefault(tuple(key), {})[row[i]] = PillarCounts(
                n, int(row[i + 2]), int(row[i + 3]), tuple(int(v or 0) for v in row[i + 4 :])
            )
    return out


def values_present(session: Session, synthetic: bool, dim: str) -> list[str]:
    """The values of a data-driven dimension (questionnaire, periods) found in the summary."""
    return sorted(k[0] for k in counts(session, synthetic, {}, [dim]))


def periods_and_versions(session: Session, synthetic: bool) -> tuple[list[str], list[str]]:
    """Every year, quarter and month (newest first within each) and every questionnaire
    version found in the summary, from one query."""
    t = StatsCell.__table__.c
    rows = session.execute(
        select(t.month, t.questionnaire_id, t.questionnaire_version)
        .where(t.synthetic == synthetic, t.n > 0)
        .distinct()
    ).all()
    months = {int(r[0]) for r in rows}
    years = {key_of("year", [m // 100]) for m in months}
    quarters = {key_of("quarter", [m // 100, (m % 100 + 2) // 3]) for m in months}
    periods = sorted(years, reverse=True) + sorted(quarters, reverse=True)
    periods += sorted((key_of("month", [m]) for m in months), reverse=True)
    versions = sorted({key_of("questionnaire", [r[1], r[2]]) for r in rows})
    return periods, versions


@dataclass(frozen=True)
class PeerDistribution:
    """A pillar's points in a peer group: how many assessments scored each number of points."""

    pillar_id: str
    max_points: int
    histogram: tuple[tuple[int, int], ...]  # (points, assessments), points ascending

    @property
    def n(self) -> int:
        return sum(c for _p, c in self.histogram)


def peer_points(
    session: Session,
    synthetic: bool,
    questionnaire_id: str,
    questionnaire_version: str,
    section: str,
    size: str,
    province: str | None = None,
) -> dict[str, PeerDistribution]:
    """The points distributions per pillar of a section + size group (and province)."""
    t = StatsPeerPoints.__table__.c
    stmt = (
        select(t.pillar_id, t.max_points, t.points, func.sum(t.n))
        .where(
            t.synthetic == synthetic,
            t.questionnaire_id == questionnaire_id,
            t.questionnaire_version == questionnaire_version,
            t.industry_section == section,
            t.size_class == size,
        )
        .group_by(t.pillar_id, t.max_points, t.points)
        .order_by(t.pillar_id, t.points)
    )
    if province is not None:
        stmt = stmt.where(t.province_code == province)
    hist: dict[str, list[tuple[int, int]]] = {}
    maxima: dict[str, int] = {}
    for pillar_id, max_points, points, n in session.execute(stmt):
        if n:
            hist.setdefault(pillar_id, []).append((int(points), int(n)))
            maxima[pillar_id] = int(max_points)
    return {p: PeerDistribution(p, maxima[p], tuple(h)) for p, h in hist.items()}
