"""Synthetic businesses and submitted assessments in bulk, for demonstrations and benchmarks.

`generate(engine, questionnaire, n)` writes `n` businesses with one submitted assessment each
(and its pillar results), every row marked `synthetic = true`: the statistics read real or
synthetic data, never both, so generated rows can never mix with real figures. On PostgreSQL the
rows go in with COPY (a million in well under five minutes); elsewhere with batched INSERTs.

The mixes are plausible, not measured: provinces weighted towards the large cities, wholesale
and retail (G) and manufacturing (C) the most common sections, mostly micro businesses, four in
five enterprises; a latent maturity per business that grows with size, with ICT (J) and finance
(K), and over time; pillar points around it; levels by the questionnaire's own rules. About one
record in twenty carries a pre-2025 province code (a business registered before the merger).
Deterministic for a given seed.
"""

from __future__ import annotations

import io
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from ..models import Assessment, Business, PillarResult, StatsCell, StatsPeerPoints, StatsPillarCell
from ..models.stats import CELL_KEY, LEVELS
from ..questionnaire import Questionnaire
from ..refdata import provinces, sections, size_class
from ..scoring.levels import pillar_level
from .provinces import current_province, old_to_current
from .source import has_snapshot, month_of
from .summary import LEVEL_COLS

# relative weights (plausible, not sourced): big cities first
_PROVINCE_WEIGHT = {"79": 30, "01": 22, "48": 4, "31": 5, "92": 3, "75": 4, "24": 3, "56": 2}
_SECTION_WEIGHT = {
    "G": 38, "C": 15, "F": 10, "I": 8, "H": 5, "M": 5, "S": 3, "J": 3, "L": 3, "N": 3,
    "A": 2, "K": 1, "P": 1, "Q": 1, "R": 1, "E": 0.5, "D": 0.3, "B": 0.3, "O": 0.1,
    "T": 0.1, "U": 0.05,
}  # fmt: skip
# (employees, revenue, capital) band combinations and their weights
_BANDS = [
    (("0-10", "0-3", "0-3"), 50),
    (("0-10", "3-10", "0-3"), 15),
    (("11-50", "10-50", "3-20"), 20),
    (("51-100", "50-100", "20-50"), 8),
    (("101-200", "100-200", "50-100"), 5),
    (("201+", "300+", "100+"), 2),
]
_TYPE_WEIGHT = {"enterprise": 70, "household": 25, "cooperative": 5}
_SIZE_STRENGTH = {"micro": 0.22, "small": 0.36, "medium": 0.48, "large": 0.56}
_SECTION_BONUS = {"J": 0.15, "K": 0.12, "M": 0.06, "I": 0.03, "A": -0.06, "F": -0.03}
FIRST_MONTH = (2024, 1)


@dataclass(frozen=True)
class Record:
    business: tuple[Any, ...]
    assessment: tuple[Any, ...]
    pillars: tuple[tuple[str, int, int, int], ...]


def _months(until: datetime) -> list[tuple[int, int]]:
    y, m = FIRST_MONTH
    out = []
    while (y, m) <= (until.year, until.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _overall(q: Questionnaire, total: int, levels: list[int]) -> int:
    for rule in sorted(q.scoring.overall_rules, key=lambda r: r.level, reverse=True):
        need = len(levels) if rule.pillars_at_least is None else rule.pillars_at_least
        if total > rule.total_above and sum(lv >= rule.pillar_level for lv in levels) >= need:
            return rule.level
    return 0


def records(
    q: Questionnaire, n: int, *, seed: int = 2026, now: datetime | None = None
) -> Iterator[Record]:
    """`n` synthetic (business, assessment, pillar results) records, ids not yet assigned."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    codes = [p.code for p in provinces()]
    pweights = [_PROVINCE_WEIGHT.get(c, 1.2) for c in codes]
    olds: dict[str, list[str]] = {}
    for old, new in old_to_current().items():
        if old != new:
            olds.setdefault(new, []).append(old)
    secs = [s.code for s in sections()]
    sweights = [_SECTION_WEIGHT.get(s, 0.1) for s in secs]
    months = _months(now)
    # more assessments in later months (the programme grows)
    mweights = [1 + i for i in range(len(months))]
    types, tweights = list(_TYPE_WEIGHT), list(_TYPE_WEIGHT.values())
    bands, bweights = [b for b, _w in _BANDS], [w for _b, w in _BANDS]
    sizes: dict[tuple[str, tuple[str, str, str]], str] = {}
    pillars = [(p.id, p.max_points) for p in q.pillars]
    # each pillar's level for every number of points, by the questionnaire's own rule
    # (`pillar_level`, computed once per value instead of a million times)
    levels = {
        (pts, pmax): pillar_level(pts, pmax, q.scoring.pillar_bands)
        for _pid, pmax in pillars
        for pts in range(pmax + 1)
    }
    pcum, scum = list(accumulate(pweights)), list(accumulate(sweights))
    mcum, tcum, bcum = (list(accumulate(w)) for w in (mweights, tweights, bweights))
    month_range = range(len(months))
    for i in range(n):
        prov = rng.choices(codes, cum_weights=pcum)[0]
        stored_prov = rng.choice(olds[prov]) if prov in olds and rng.random() < 0.05 else prov
        sec = rng.choices(secs, cum_weights=scum)[0]
        band = rng.choices(bands, cum_weights=bcum)[0]
        size = sizes.get((sec, band))
        if size is None:
            size = sizes[(sec, band)] = size_class(sec, *band)
        btype = rng.choices(types, cum_weights=tcum)[0]
        if btype == "household":
            band, size = ("0-10", "0-3", "0-3"), size_class(sec, "0-10", "0-3", "0-3")
        mi = rng.choices(month_range, cum_weights=mcum)[0]
        y, m = months[mi]
        submitted = datetime(y, m, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(27 * 86400))
        strength = (
            _SIZE_STRENGTH[size]
            + _SECTION_BONUS.get(sec, 0)
            + 0.1 * mi / max(1, len(months))
            + rng.gauss(0, 0.13)
        )
        prs = []
        total = 0
        for pid, pmax in pillars:
            frac = min(1.0, max(0.0, strength + rng.gauss(0, 0.1)))
            pts = round(pmax * frac)
            prs.append((pid, pts, pmax, levels[(pts, pmax)]))
            total += pts
        overall = _overall(q, total, [p[3] for p in prs])
        name = f"Doanh nghiệp mẫu {i + 1:07d} (synthetic)"
        business = (name, btype, stored_prov, sec, *band, size)
        assessment = (q.id, q.version, submitted, total, q.scoring.max_total, overall)
        yield Record(business, assessment, tuple(prs))


def _public_id() -> str:
    return secrets.token_urlsafe(16)[:22]


def generate(conn: Connection, q: Questionnaire, n: int, *, seed: int = 2026) -> int:
    """Write `n` synthetic businesses, each with one submitted assessment, and add them to the
    statistics summaries, in the connection's transaction (the caller commits); returns n.

    The summaries are counted while the rows are made (the same keys as
    `summary.add_assessment`) and added in one statement per table: re-aggregating six million
    pillar rows afterwards would cost more than generating them."""
    acc = SummaryAccumulator()
    if conn.dialect.name == "postgresql":
        _copy_postgres(conn, q, n, seed, acc)
    else:
        _insert_batches(conn, q, n, seed, acc)
    acc.write(conn)
    return n


_CELL_COLS = (*CELL_KEY, "n", *LEVEL_COLS)
_PILLAR_COLS = (*CELL_KEY, "pillar_id", "n", "points_sum", "max_points_sum", *LEVEL_COLS)
_PEER_KEY = (
    "synthetic",
    "questionnaire_id",
    "questionnaire_version",
    "industry_section",
    "size_class",
    "province_code",
    "pillar_id",
    "points",
)
_PEER_COLS = (*_PEER_KEY, "max_points", "n")


class SummaryAccumulator:
    """The summary rows of the generated records, counted in memory."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, ...], list[int]] = {}
        self.pillars: dict[tuple[Any, ...], list[int]] = {}
        self.peers: dict[tuple[Any, ...], list[int]] = {}

    def add(self, r: Record) -> None:
        _name, btype, prov, sec, _e, _r, _c, size = r.business
        qid, qver, submitted, _total, _max, overall = r.assessment
        key = (True, month_of(submitted), current_province(prov), sec, size, btype, qid, qver)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [0] * (1 + len(LEVELS))
        cell[0] += 1
        cell[1 + overall] += 1
        for pid, pts, pmax, lv in r.pillars:
            pk = (*key, pid)
            row = self.pillars.get(pk)
            if row is None:
                row = self.pillars[pk] = [0] * (3 + len(LEVELS))
            row[0] += 1
            row[1] += pts
            row[2] += pmax
            row[3 + lv] += 1
            peer_key = (True, qid, qver, sec, size, key[2], pid, pts)
            peer = self.peers.get(peer_key)
            if peer is None:
                peer = self.peers[peer_key] = [pmax, 0]
            peer[1] += 1

    def rows(self) -> list[tuple[Any, tuple[str, ...], tuple[str, ...], list[tuple[Any, ...]]]]:
        """(table, key columns, all columns, rows) per summary table."""
        return [
            (
                StatsCell.__table__,
                CELL_KEY,
                _CELL_COLS,
                [(*k, *v) for k, v in self.cells.items()],
            ),
            (
                StatsPillarCell.__table__,
                (*CELL_KEY, "pillar_id"),
                _PILLAR_COLS,
                [(*k, *v) for k, v in self.pillars.items()],
            ),
            (
                StatsPeerPoints.__table__,
                _PEER_KEY,
                _PEER_COLS,
                [(*k, *v) for k, v in self.peers.items()],
            ),
        ]

    def write(self, conn: Connection) -> None:
        """Add the rows to the summaries (existing rows of the same key are added to)."""
        for table, key, cols, rows in self.rows():
            measures = [c for c in cols if c not in key and c != "max_points"]
            if conn.dialect.name == "postgresql":
                raw = conn.connection.driver_connection
                assert raw is not None
                cur = raw.cursor()
                tmp = f"tmp_{table.name}"
                cur.execute(
                    f"CREATE TEMP TABLE {tmp} AS SELECT {', '.join(cols)} FROM {table.name} "
                    "WITH NO DATA"
                )
                with cur.copy(f"COPY {tmp} ({', '.join(cols)}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
                updates = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in measures)
                cur.execute(
                    f"INSERT INTO {table.name} ({', '.join(cols)}) "
                    f"SELECT {', '.join(cols)} FROM {tmp} "
                    f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
                )
                cur.execute(f"DROP TABLE {tmp}")
            else:
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                stmt = sqlite_insert(table)
                stmt = stmt.on_conflict_do_update(
                    index_elements=list(key),
                    set_={c: table.c[c] + stmt.excluded[c] for c in measures},
                )
                if rows:
                    conn.execute(stmt, [dict(zip(cols, row, strict=True)) for row in rows])
        from .summary import bump_generation

        bump_generation(conn)


_B_COLS = (
    "id, public_id, name, business_type, province_code, industry_section, "
    "industry_classification, employees_band, revenue_band, capital_band, size_class, synthetic"
)
_A_COLS = (
    "id, public_id, business_id, questionnaire_id, questionnaire_version, status, locale, "
    "submitted_at, total_points, max_points, overall_level, synthetic"
)
_SNAP_COLS = (
    ", profile_name, profile_business_type, profile_province_code, profile_industry_section, "
    "profile_employees_band, profile_revenue_band, profile_capital_band, profile_size_class"
)


def _copy_postgres(
    conn: Connection, q: Questionnaire, n: int, seed: int, acc: SummaryAccumulator
) -> None:
    snap = has_snapshot()
    raw = conn.connection.driver_connection
    assert raw is not None
    cur = raw.cursor()
    b0, a0 = (
        int(cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        for table in ("business", "assessment")
    )
    chunk = 50_000
    gen = records(q, n, seed=seed)
    done = 0
    while done < n:
        size = min(chunk, n - done)
        bbuf, abuf, pbuf = io.StringIO(), io.StringIO(), io.StringIO()
        for j in range(size):
            r = next(gen)
            acc.add(r)
            bid, aid = b0 + done + j + 1, a0 + done + j + 1
            name, btype, prov, sec, emp, rev, cap, sz = r.business
            bbuf.write(
                f"{bid}\t{_public_id()}\t{name}\t{btype}\t{prov}\t{sec}\tVSIC-2018\t"
                f"{emp}\t{rev}\t{cap}\t{sz}\tt\n"
            )
            qid, qver, submitted, total, mx, overall = r.assessment
            line = (
                f"{aid}\t{_public_id()}\t{bid}\t{qid}\t{qver}\tsubmitted\tvi\t"
                f"{submitted.isoformat()}\t{total}\t{mx}\t{overall}\tt"
            )
            if snap:
                line += f"\t{name}\t{btype}\t{prov}\t{sec}\t{emp}\t{rev}\t{cap}\t{sz}"
            abuf.write(line + "\n")
            for pid, pts, pmax, lv in r.pillars:
                pbuf.write(f"{aid}\t{pid}\t{pts}\t{pmax}\t{lv}\n")
        with cur.copy(f"COPY business ({_B_COLS}) FROM STDIN") as cp:
            cp.write(bbuf.getvalue())
        acols = _A_COLS + (_SNAP_COLS if snap else "")
        with cur.copy(f"COPY assessment ({acols}) FROM STDIN") as cp:
            cp.write(abuf.getvalue())
        with cur.copy(
            "COPY pillar_result (assessment_id, pillar_id, points, max_points, level) FROM STDIN"
        ) as cp:
            cp.write(pbuf.getvalue())
        done += size
    for table in ("business", "assessment"):
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


def _new_id(conn: Connection, stmt: Any) -> int:
    key = conn.execute(stmt).inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_batches(
    conn: Connection, q: Questionnaire, n: int, seed: int, acc: SummaryAccumulator
) -> None:
    snap = has_snapshot()
    for r in records(q, n, seed=seed):
        acc.add(r)
        name, btype, prov, sec, emp, rev, cap, sz = r.business
        bid = _new_id(
            conn,
            insert(Business).values(
                public_id=_public_id(),
                name=name,
                business_type=btype,
                province_code=prov,
                industry_section=sec,
                industry_classification="VSIC-2018",
                employees_band=emp,
                revenue_band=rev,
                capital_band=cap,
                size_class=sz,
                synthetic=True,
            ),
        )
        qid, qver, submitted, total, mx, overall = r.assessment
        values: dict[str, Any] = {
            "public_id": _public_id(),
            "business_id": bid,
            "questionnaire_id": qid,
            "questionnaire_version": qver,
            "status": "submitted",
            "locale": "vi",
            "submitted_at": submitted,
            "total_points": total,
            "max_points": mx,
            "overall_level": overall,
            "synthetic": True,
        }
        if snap:
            values.update(
                profile_name=name,
                profile_business_type=btype,
                profile_province_code=prov,
                profile_industry_section=sec,
                profile_employees_band=emp,
                profile_revenue_band=rev,
                profile_capital_band=cap,
                profile_size_class=sz,
            )
        aid = _new_id(conn, insert(Assessment).values(**values))
        conn.execute(
            insert(PillarResult),
            [
                {
                    "assessment_id": aid,
                    "pillar_id": pid,
                    "points": pts,
                    "max_points": pmax,
                    "level": lv,
                }
                for pid, pts, pmax, lv in r.pillars
            ],
        )


def count_synthetic(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count()).select_from(Assessment).where(Assessment.synthetic.is_(True))
            )
            or 0
        )


def delete_synthetic(engine: Engine) -> None:
    """Remove every synthetic business (assessments and results cascade)."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM business WHERE synthetic"))
