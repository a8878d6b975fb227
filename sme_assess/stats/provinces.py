"""Province codes for statistics (pure): records made under a pre-2025 province are counted in
the current unit it joined. The mapping and the tile-map layout are data files in `data/`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from ..refdata import DATA, province_by_code


def _read(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def old_to_current() -> dict[str, str]:
    """Every pre-2025 code → the current code; current codes map to themselves.

    Raises ValueError when the data file names a unit that does not exist now."""
    current = province_by_code()
    mapping = {code: code for code in current}
    for row in _read("provinces_before_2025.yaml")["provinces"]:
        old, into = str(row["code"]), str(row["into"])
        if into not in current:
            raise ValueError(f"provinces_before_2025.yaml: {old} → unknown unit {into}")
        if old in current and into != old:
            raise ValueError(f"provinces_before_2025.yaml: {old} is a current code; maps to {into}")
        mapping[old] = into
    return mapping


def current_province(code: str) -> str:
    """The current (34-unit) code for a code of either list; an unknown code is kept as is
    (it is then counted under that code, never dropped)."""
    return old_to_current().get(code, code)


@lru_cache(maxsize=1)
def tiles() -> tuple[int, int, dict[str, tuple[int, int]]]:
    """(columns, rows, code → (col, row)) of the province tile map."""
    d = _read("province_tiles.yaml")
    layout = {str(code): (int(pos[0]), int(pos[1])) for code, pos in d["tiles"].items()}
    return int(d["columns"]), int(d["rows"]), layout
