"""Disclosure control: which counts may be published (pure: no Flask, no database).

The rules, as written in the README ("Statistics"):

1. **Primary suppression.** A count of 1 to k−1 businesses (k = `SME_STATS_MIN_CELL`, default
   5) is suppressed. Zero is published (it reveals no business).
2. **Secondary suppression.** Within every partition of a published total (a row of a table
   across levels, a column across rows, the rows of a breakdown making up its total), the
   suppressed non-zero cells must be at least two and add up to at least k; otherwise the
   smallest remaining non-zero cells (ties: the first) are suppressed too. So no suppressed
   cell can be recovered by subtracting the published cells from a published total. When that
   is impossible (a single non-zero cell) the total itself is suppressed.
3. **Suppressed rows hide everything built on them**: a row whose count is suppressed shows no
   level counts, no mean and no share.
4. **Overlapping filters.** A cell of a filtered view is also suppressed when it is suppressed
   in the same breakdown with any one of the view's filters removed (rule 2 applied to that
   wider partition), and a filtered view is shown only if its own population passes the same
   test; so a suppressed cell cannot be recovered as the difference of two views that differ by
   one filter.

Every function here is deterministic: the same counts always give the same pattern, so the
page, the downloads and the API agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def is_primary(n: int, k: int) -> bool:
    """Rule 1: 1 ≤ n < k."""
    return 0 < n < k


def protect_partition(
    counts: Sequence[int], k: int, forced: Iterable[int] = ()
) -> tuple[set[int], bool]:
    """Rule 2 on one partition of a total: the indices to suppress, and whether the total itself
    must be suppressed (no second non-zero cell to hide a suppressed one behind).

    `forced` are indices suppressed for another reason (rules 3 and 4)."""
    hidden = {i for i, n in enumerate(counts) if is_primary(n, k)} | set(forced)

    def nonzero_hidden() -> list[int]:
        return [i for i in hidden if counts[i] > 0]

    while True:
        nz = nonzero_hidden()
        if not nz or (len(nz) >= 2 and sum(counts[i] for i in nz) >= k):
            return hidden, False
        candidates = sorted(
            (i for i, n in enumerate(counts) if n > 0 and i not in hidden),
            key=lambda i: (counts[i], i),
        )
        if not candidates:
            return hidden, True
        hidden.add(candidates[0])


@dataclass(frozen=True)
class TablePattern:
    """What to suppress in a table of counts with row and column totals."""

    cells: frozenset[tuple[int, int]]
    rows: frozenset[int]
    columns: frozenset[int]
    total: bool


def protect_table(
    cells: Sequence[Sequence[int]],
    k: int,
    *,
    forced_rows: Iterable[int] = (),
    forced_cells: Iterable[tuple[int, int]] = (),
    column_totals_partition: bool = True,
) -> TablePattern:
    """Rules 1–3 on a table: rows are groups (their totals partition the grand total), columns
    are levels (each row's cells partition that row's total; each column's cells partition the
    column total). Repeated until nothing changes (each pass only adds suppressions).

    `forced_rows` and `forced_cells` are suppressed for another reason (rule 4).
    `column_totals_partition` False for tables whose rows are not disjoint groups (one row per
    pillar over the same businesses): then only each row's partition applies."""
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    row_tot = [sum(r) for r in cells]
    col_tot = [sum(cells[r][c] for r in range(n_rows)) for c in range(n_cols)]
    hidden: set[tuple[int, int]] = {
        (r, c) for r in range(n_rows) for c in range(n_cols) if is_primary(cells[r][c], k)
    } | set(forced_cells)
    rows: set[int] = {r for r in range(n_rows) if is_primary(row_tot[r], k)} | set(forced_rows)
    cols: set[int] = set()
    total = False
    if column_totals_partition:
        cols = {c for c in range(n_cols) if is_primary(col_tot[c], k)}
        total = is_primary(sum(row_tot), k)
    while True:
        before = (len(hidden), len(rows), len(cols), total)
        for r in range(n_rows):
            if r in rows:
                hidden |= {(r, c) for c in range(n_cols)}
                continue
            sup, unsafe = protect_partition(
                cells[r], k, (c for c in range(n_cols) if (r, c) in hidden)
            )
            hidden |= {(r, c) for c in sup}
            if unsafe:
                rows.add(r)
        if column_totals_partition:
            for c in range(n_cols):
                if c in cols or total:
                    hidden |= {(r, c) for r in range(n_rows)}
                    continue
                col = [cells[r][c] for r in range(n_rows)]
                sup, unsafe = protect_partition(
                    col, k, (r for r in range(n_rows) if (r, c) in hidden)
                )
                hidden |= {(r, c) for r in sup}
                if unsafe:
                    cols.add(c)
            sup, unsafe = protect_partition(row_tot, k, rows)
            rows |= sup
            total = total or unsafe
            sup, unsafe = protect_partition(col_tot, k, cols)
            cols |= sup
            total = total or unsafe
        if (len(hidden), len(rows), len(cols), total) == before:
            return TablePattern(frozenset(hidden), frozenset(rows), frozenset(cols), total)
