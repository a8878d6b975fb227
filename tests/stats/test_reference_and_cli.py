"""The old→new province mapping (data), the tile map, `sme-assess stats rebuild`,
`sme-assess demo --assessments N`, and a ministry account kept away from single businesses."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import func, select

from sme_assess.models import Assessment, Business, StatsCell, StatsPeerPoints, StatsPillarCell
from sme_assess.refdata import DATA, provinces
from sme_assess.stats import queries
from sme_assess.stats.provinces import current_province, old_to_current, tiles
from sme_assess.stats.summary import rebuild


def test_every_former_province_maps_into_a_current_unit() -> None:
    rows = yaml.safe_load((DATA / "provinces_before_2025.yaml").read_text("utf-8"))["provinces"]
    assert len(rows) == 63
    current = {p.code for p in provinces()}
    assert len(current) == 34
    assert {str(r["into"]) for r in rows} == current  # every current unit has a predecessor
    mapping = old_to_current()
    assert all(mapping[c] == c for c in current)


def test_mapping_agrees_with_the_merger_list_by_name() -> None:
    """provinces.yaml `merged_from` (DOMAIN.md §4) names the merged units; the code mapping
    must send each of them to the same unit."""
    d = yaml.safe_load((DATA / "provinces.yaml").read_text("utf-8"))
    slug_to_code = {p["slug"]: str(p["code"]) for p in d["provinces"]}
    old = yaml.safe_load((DATA / "provinces_before_2025.yaml").read_text("utf-8"))["provinces"]
    by_name = {r["name"].replace("–", "-"): str(r["into"]) for r in old}
    for m in d["merged_from"]:
        assert by_name[m["old"].replace("–", "-")] == slug_to_code[m["into"]], m["old"]


def test_examples_written_out() -> None:
    # Hà Giang 02 → Tuyên Quang 08; Lào Cai 10 → Lào Cai 15; Bình Dương 74 → TP HCM 79;
    # Kiên Giang 91 → An Giang 91; Huế 46 stays
    assert [current_province(c) for c in ("02", "10", "74", "91", "46")] == [
        "08",
        "15",
        "79",
        "91",
        "46",
    ]
    assert current_province("99") == "99"  # unknown: kept, never dropped


def test_tile_map_has_one_free_tile_per_province() -> None:
    cols, rows, layout = tiles()
    assert set(layout) == {p.code for p in provinces()}
    positions = list(layout.values())
    assert len(set(positions)) == len(positions)
    assert all(0 <= c < cols and 0 <= r < rows for c, r in positions)
    # north above south: Hà Nội above TP HCM above Cà Mau
    assert layout["01"][1] < layout["79"][1] < layout["96"][1]


def test_stats_rebuild_command(app: Any, db: Any, submitted: Any) -> None:
    submitted(province="79")
    submitted(province="01")
    db.execute(StatsCell.__table__.delete())
    assert queries.counts(db, False, {}) == {}
    result = app.test_cli_runner().invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "stats_cell 2" in result.output
    assert queries.counts(db, False, {})[()].n == 2


def test_demo_generates_marked_synthetic_data(app: Any, db: Any) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "--assessments", "30", "--seed", "7"])
    assert result.exit_code == 0, result.output
    n = db.scalar(select(func.count()).select_from(Assessment).where(Assessment.synthetic))
    assert n == 30
    assert db.scalar(select(func.count()).select_from(Business).where(Business.synthetic)) == 30
    assert queries.counts(db, True, {})[()].n == 30  # in the synthetic statistics
    assert queries.counts(db, False, {}) == {}  # never in the real ones
    levels = queries.counts(db, True, {})[()].levels
    assert sum(levels) == 30
    # the summaries written with the generated rows equal a rebuild from them
    before = _snapshot(db)
    rebuild(db)
    assert _snapshot(db) == before


def test_demo_once_generates_synthetic_data_only_the_first_time(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--assessments", "12", "--once"])
    assert first.exit_code == 0 and "12 businesses" in first.output
    second = runner.invoke(args=["demo", "--assessments", "12", "--once"])
    assert second.exit_code == 0 and "present already" in second.output
    n = db.scalar(select(func.count()).select_from(Assessment).where(Assessment.synthetic))
    assert n == 12
    # without --once the same command adds more
    assert runner.invoke(args=["demo", "--assessments", "3"]).exit_code == 0
    n = db.scalar(select(func.count()).select_from(Assessment).where(Assessment.synthetic))
    assert n == 15


def _snapshot(db: Any) -> dict[str, set[tuple[Any, ...]]]:
    out = {}
    for model in (StatsCell, StatsPillarCell, StatsPeerPoints):
        cols = [c for c in model.__table__.c if c.name != "id"]
        rows = db.execute(select(*cols).where(model.__table__.c.n != 0)).all()
        out[model.__tablename__] = {tuple(r) for r in rows}
    return out


def test_a_ministry_account_cannot_open_a_single_business(
    client: Any, login_as: Any, submitted: Any
) -> None:
    a = submitted(province="79")
    login_as("ministry")
    assert client.get(f"/b/{a.business.public_id}").status_code == 404
    assert client.get("/advisor/").status_code in (403, 404)
