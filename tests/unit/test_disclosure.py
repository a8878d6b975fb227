"""Disclosure control rules (sme_assess.stats.disclosure), table-driven, worked by hand."""

from __future__ import annotations

import pytest

from sme_assess.stats.disclosure import is_primary, protect_partition, protect_table


@pytest.mark.parametrize(
    ("n", "k", "expected"),
    [(0, 5, False), (1, 5, True), (4, 5, True), (5, 5, False), (9, 10, True), (10, 10, False)],
)
def test_primary(n: int, k: int, expected: bool) -> None:
    assert is_primary(n, k) is expected


@pytest.mark.parametrize(
    ("counts", "forced", "hidden", "total_unsafe"),
    [
        # nothing small: nothing hidden
        ([6, 7, 8], (), set(), False),
        # zeros are published
        ([0, 0, 12], (), set(), False),
        # one small cell: the smallest other non-zero cell hides it (3 + 8 = 11 ≥ 5)
        ([10, 3, 8, 0], (), {1, 2}, False),
        # two small cells adding up to less than 5: one more (1 + 2 + 10 = 13)
        ([10, 1, 2, 20], (), {0, 1, 2}, False),
        # two small cells adding up to 5 or more: enough
        ([10, 3, 4, 20], (), {1, 2}, False),
        # a cell hidden for another reason needs a partner too
        ([6, 7, 8], (2,), {0, 2}, False),
        # ties: the first of the smallest
        ([4, 6, 6], (), {0, 1}, False),
        # a single non-zero cell cannot be hidden: the total must go
        ([0, 3, 0], (), {1}, True),
    ],
)
def test_partition(
    counts: list[int], forced: tuple[int, ...], hidden: set[int], total_unsafe: bool
) -> None:
    assert protect_partition(counts, 5, forced) == (hidden, total_unsafe)


def test_table_rows_and_columns() -> None:
    # rows: two groups; columns: levels. (0,1) = 2 is primary; row 0 hides (0,2) = 6 with it;
    # column 1 then needs (1,1) = 7 and column 2 needs (1,2) = 5. Every row and column then
    # has two hidden cells, so no total minus the published cells gives one of them.
    p = protect_table([[8, 2, 6], [9, 7, 5]], 5)
    assert p.cells == {(0, 1), (0, 2), (1, 1), (1, 2)}
    assert p.rows == set() and p.columns == set() and not p.total


def test_table_small_row_hides_its_cells_and_a_partner_row() -> None:
    # row 1 has 4 businesses (primary): all its cells go; the row totals 30, 4, 40 then need a
    # second hidden row: the smallest, row 0 (4 + 30 ≥ 5), and so all its cells too.
    p = protect_table([[15, 15], [4, 0], [25, 15]], 5)
    assert p.rows == {0, 1}
    assert {(0, 0), (0, 1), (1, 0), (1, 1)} <= p.cells
    # columns 0 (15, 4, 25) and 1 (15, 0, 15) each have hidden cells adding up to ≥ 5 in at
    # least two non-zero cells: column 1 has only (0,1) non-zero hidden, so (2,1) goes too,
    # and then row 2 needs (2,0)
    assert p.cells == {(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)}
    assert not p.total


def test_table_forced_row() -> None:
    # rule 4 forces row 2 (hidden in a wider view): it needs a partner row, the smallest (row 0)
    p = protect_table([[10, 10], [30, 30], [10, 12]], 5, forced_rows={2})
    assert p.rows == {0, 2}
    assert p.cells == {(0, 0), (0, 1), (2, 0), (2, 1)}


def test_table_too_small_total() -> None:
    p = protect_table([[3, 0]], 5)
    assert p.total


def test_rows_over_the_same_businesses() -> None:
    # pillars of one population: each row is a partition of the same total; no column rule
    p = protect_table([[20, 3, 7], [25, 5, 0]], 5, column_totals_partition=False)
    assert p.cells == {(0, 1), (0, 2)}
    assert p.rows == set()
