"""The figures a person may see: views of the statistics with disclosure control applied.

The dashboard, the CSV and XLSX downloads and the JSON API all render the `View` built here, so a
cell suppressed on the page is suppressed everywhere. A suppressed value is `None`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ..models.stats import LEVELS
from ..refdata import provinces, sections
from . import queries
from .disclosure import is_primary, protect_partition, protect_table
from .queries import Counts, PillarCounts

SIZES = ("micro", "small", "medium", "large")
TYPES = ("enterprise", "cooperative", "household")
BREAKDOWNS = ("province", "section", "size", "type", "questionnaire", "year", "quarter", "month")
LEVEL_COUNT = len(LEVELS)


@dataclass(frozen=True)
class Row:
    """One group: its count, overall level counts, share at level ≥ 2 (percent) and the mean
    percentage of each pillar (in the order of `View.pillar_ids`). None = suppressed."""

    key: str
    n: int | None
    levels: tuple[int | None, ...]
    share_level2: float | None
    pillar_means: tuple[float | None, ...]

    @property
    def suppressed(self) -> bool:
        return self.n is None


@dataclass(frozen=True)
class PillarRow:
    pillar_id: str
    n: int | None
    mean_percent: float | None
    levels: tuple[int | None, ...]


@dataclass(frozen=True)
class View:
    """A dashboard view: filters, the breakdown dimension, the population, its pillars and one
    breakdown table. `refused` when the filtered population itself may not be shown."""

    synthetic: bool
    filters: dict[str, str]
    by: str
    k: int
    refused: bool
    total: Row
    pillars: tuple[PillarRow, ...]
    pillar_ids: tuple[str, ...]
    rows: tuple[Row, ...]
    periods: tuple[str, ...] = field(default=())
    questionnaires: tuple[str, ...] = field(default=())


def dimension_values(session: Session, synthetic: bool, dim: str) -> list[str]:
    if dim == "province":
        return [p.code for p in provinces()]
    if dim == "section":
        return [s.code for s in sections()]
    if dim == "size":
        return list(SIZES)
    if dim == "type":
        return list(TYPES)
    return queries.values_present(session, synthetic, dim)


def _share_level2(levels: Sequence[int | None], n: int | None) -> float | None:
    """Percent at level ≥ 2, published only when the suppressed level cells all lie on one side
    of the boundary (then it reveals nothing the published cells do not)."""
    if not n:
        return None
    hidden = [k for k, v in enumerate(levels) if v is None]
    if hidden and min(hidden) < 2 <= max(hidden):
        return None
    if any(levels[k] is None for k in range(2, len(levels))):
        low = sum(v or 0 for v in levels[:2])
        return 100 * (n - low) / n
    return 100 * sum(v or 0 for v in levels[2:]) / n


def _partitions(
    grouped: Mapping[tuple[str, ...], Any], filters: Mapping[str, str], with_row: bool
) -> dict[tuple[str, str], dict[str, Any]]:
    """From counts grouped by ([row dimension,] *filter dimensions) over the whole data: for
    each (row key, filter dimension) the partition of the wider view without that filter —
    value of the dimension → counts, the other filters held at their values."""
    dims = list(filters)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, c in grouped.items():
        row_key = key[0] if with_row else ""
        values = key[1:] if with_row else key
        for i, dim in enumerate(dims):
            if all(values[j] == filters[d] for j, d in enumerate(dims) if j != i):
                out.setdefault((row_key, dim), {})[values[i]] = c
    return out


def _forced_from_wider(
    session: Session,
    synthetic: bool,
    filters: Mapping[str, str],
    by: str | None,
    row_keys: Sequence[str],
    k: int,
) -> tuple[set[int], set[tuple[int, int]]]:
    """Rule 4: rows and (row, level) cells suppressed in the same breakdown with one filter
    removed. With `by` None the single row is the filtered population. One query grouped by
    the breakdown and every filtered dimension serves every wider view."""
    rows: set[int] = set()
    cells: set[tuple[int, int]] = set()
    if not filters:
        return rows, cells
    index = {key: i for i, key in enumerate(row_keys)}
    dims = list(filters)
    grouped = queries.counts(
        session, synthetic, {}, [by, *dims] if by else dims, all_but_one=filters
    )
    for (row_key, dim), part in _partitions(grouped, filters, by is not None).items():
        r = index.get(row_key)
        value = filters[dim]
        if r is None or value not in part:
            continue
        values = sorted(part)
        at = values.index(value)
        hidden, _ = protect_partition([part[v].n for v in values], k)
        if at in hidden:
            rows.add(r)
        for level in LEVELS:
            hidden, _ = protect_partition([part[v].levels[level] for v in values], k)
            if at in hidden:
                cells.add((r, level))
    return rows, cells


def _forced_pillars(
    session: Session, synthetic: bool, filters: Mapping[str, str], pillar_ids: Sequence[str], k: int
) -> set[tuple[int, int]]:
    """Rule 4 for the pillars' level counts of the population."""
    cells: set[tuple[int, int]] = set()
    if not filters:
        return cells
    grouped = queries.pillar_counts(session, synthetic, {}, list(filters), all_but_one=filters)
    empty = PillarCounts(0, 0, 0, (0,) * LEVEL_COUNT)
    for (_row, dim), part in _partitions(grouped, filters, False).items():
        value = filters[dim]
        if value not in part:
            continue
        values = sorted(part)
        at = values.index(value)
        for p, pid in enumerate(pillar_ids):
            for level in LEVELS:
                col = [part[v].get(pid, empty).levels[level] for v in values]
                hidden, _ = protect_partition(col, k)
                if at in hidden:
                    cells.add((p, level))
    return cells


def _sum_counts(groups: Iterable[Counts]) -> Counts | None:
    items = list(groups)
    if not items:
        return None
    return Counts(
        sum(c.n for c in items),
        tuple(sum(c.levels[lv] for c in items) for lv in range(LEVEL_COUNT)),
    )


def _sum_pillars(groups: Iterable[Mapping[str, PillarCounts]]) -> dict[str, PillarCounts]:
    out: dict[str, PillarCounts] = {}
    for g in groups:
        for pid, pc in g.items():
            o = out.get(pid)
            out[pid] = (
                pc
                if o is None
                else PillarCounts(
                    o.n + pc.n,
                    o.points_sum + pc.points_sum,
                    o.max_points_sum + pc.max_points_sum,
                    tuple(a + b for a, b in zip(o.levels, pc.levels, strict=True)),
                )
            )
    return out


def _rows(
    keys: Sequence[str],
    data: Mapping[str, Counts],
    pillar_data: Mapping[str, Mapping[str, PillarCounts]],
    pillar_ids: Sequence[str],
    k: int,
    forced_rows: set[int],
    forced_cells: set[tuple[int, int]],
    partition_rows: bool,
) -> tuple[list[Row], bool]:
    empty = Counts(0, (0,) * LEVEL_COUNT)
    matrix = [list(data.get(key, empty).levels) for key in keys]
    # a forced cell counts as primary in its row and column
    pattern = protect_table(
        matrix,
        k,
        forced_rows=forced_rows,
        forced_cells=forced_cells,
        column_totals_partition=partition_rows,
    )
    out = []
    for r, key in enumerate(keys):
        c = data.get(key, empty)
        if c.n == 0:  # an empty group: all zeros, nothing to hide, no mean
            out.append(Row(key, 0, (0,) * LEVEL_COUNT, None, (None,) * len(pillar_ids)))
            continue
        if r in pattern.rows or pattern.total:
            out.append(Row(key, None, (None,) * LEVEL_COUNT, None, (None,) * len(pillar_ids)))
            continue
        levels = tuple(
            None if (r, lv) in pattern.cells else c.levels[lv] for lv in range(LEVEL_COUNT)
        )
        means = tuple(
            (pillar_data.get(key, {}).get(pid) or PillarCounts(0, 0, 0, ())).mean_percent
            for pid in pillar_ids
        )
        out.append(Row(key, c.n, levels, _share_level2(levels, c.n), means))
    return out, pattern.total


def build_view(
    session: Session,
    *,
    synthetic: bool,
    filters: Mapping[str, str],
    by: str,
    k: int,
    pillar_ids: Sequence[str],
) -> View:
    """The view of `filters` broken down by `by`, with rules 1–4 of `stats.disclosure`."""
    filters = dict(filters)
    # the breakdown; its groups add up to the population (every record has a value for each
    # dimension), so the population's figures are their sums
    data = {key[0]: c for key, c in queries.counts(session, synthetic, filters, [by]).items()}
    pdata = {
        key[0]: v for key, v in queries.pillar_counts(session, synthetic, filters, [by]).items()
    }
    t = _sum_counts(data.values())
    pmap = _sum_pillars(pdata.values())
    # the population: one row, checked against each wider view (rule 4)
    f_rows, f_cells = _forced_from_wider(session, synthetic, filters, None, [""], k)
    n = t.n if t else 0
    refused = bool(f_rows) or n == 0 or is_primary(n, k)
    pop_rows, _ = _rows(
        [""],
        {"": t} if t else {},
        {"": pmap},
        pillar_ids,
        k,
        {0} if refused else set(),
        f_cells,
        partition_rows=False,
    )
    total = pop_rows[0]

    pillars: list[PillarRow] = []
    p_forced = _forced_pillars(session, synthetic, filters, pillar_ids, k) if not refused else set()
    pmatrix = [list(pmap[pid].levels) if pid in pmap else [0] * LEVEL_COUNT for pid in pillar_ids]
    ppattern = (
        protect_table(pmatrix, k, forced_cells=p_forced, column_totals_partition=False)
        if pmatrix
        else None
    )
    for p, pid in enumerate(pillar_ids):
        pc = pmap.get(pid)
        if refused or pc is None or ppattern is None:
            pillars.append(PillarRow(pid, None, None, (None,) * LEVEL_COUNT))
            continue
        levels = tuple(
            None if (p, lv) in ppattern.cells or p in ppattern.rows else pc.levels[lv]
            for lv in range(LEVEL_COUNT)
        )
        pillars.append(PillarRow(pid, pc.n, pc.mean_percent, levels))

    keys = sorted(data) if by in queries.PERIOD_DIMS else dimension_values(session, synthetic, by)
    if refused:
        rows = [
            Row(key, None, (None,) * LEVEL_COUNT, None, (None,) * len(pillar_ids)) for key in keys
        ]
    else:
        forced_rows, forced_cells = _forced_from_wider(session, synthetic, filters, by, keys, k)
        rows, _ = _rows(
            keys, data, pdata, pillar_ids, k, forced_rows, forced_cells, partition_rows=True
        )
    return View(
        synthetic=synthetic,
        filters=filters,
        by=by,
        k=k,
        refused=refused,
        total=total,
        pillars=tuple(pillars),
        pillar_ids=tuple(pillar_ids),
        rows=tuple(rows),
    )
