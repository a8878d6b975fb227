"""The summaries: maintained on each submission, equal to a rebuild from the raw rows, and the
aggregates read from them equal hand-computed values."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from sme_assess.models import StatsCell, StatsPeerPoints, StatsPillarCell
from sme_assess.stats import queries
from sme_assess.stats.summary import rebuild


def _snapshot(db: Any) -> dict[str, set[tuple[Any, ...]]]:
    out = {}
    for model in (StatsCell, StatsPillarCell, StatsPeerPoints):
        cols = [c for c in model.__table__.c if c.name != "id"]
        rows = db.execute(select(*cols).where(model.__table__.c.n != 0)).all()
        out[model.__tablename__] = {tuple(r) for r in rows}
    return out


def test_maintained_summary_equals_rebuild(db: Any, submitted: Any) -> None:
    submitted(province="79", section="G", level=2)
    submitted(province="79", section="G", level=3, points=(40, 15, 50, 40, 30, 20))
    submitted(province="01", section="C", size="small", level=1, points=(5, 5, 5, 5, 5, 5))
    submitted(province="10", section="J", at=datetime(2025, 3, 31, 18, 0, tzinfo=UTC))
    submitted(province="48", section="I", synthetic=True)
    maintained = _snapshot(db)
    # (79, G) twice in one cell, (01, C), (15, J) and the synthetic (48, I)
    assert len(maintained["stats_cell"]) == 4
    rebuild(db)
    assert _snapshot(db) == maintained


def test_submission_through_the_web_is_counted(
    client: Any, db: Any, start_draft: Any, answer_all: Any, questionnaire: Any
) -> None:
    pid, _code = start_draft(province="52", industry="C")
    answer_all(pid)
    page = client.get(f"/a/{pid}/check").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302
    got = queries.counts(db, False, {}, ["province", "section"])
    # highest answers everywhere: overall level 5
    assert got == {("52", "C"): queries.Counts(1, (0, 0, 0, 0, 0, 1))}
    before = _snapshot(db)
    rebuild(db)
    assert _snapshot(db) == before


def test_aggregates_equal_hand_computed_values(db: Any, submitted: Any) -> None:
    # province 79: three at level 2 (July), one at level 4 (August)
    for _ in range(3):
        submitted(province="79", level=2, points=(26, 10, 32, 26, 20, 14))
    submitted(
        province="79", level=4, points=(52, 20, 64, 52, 40, 28), at=datetime(2026, 8, 2, tzinfo=UTC)
    )
    # province 01: two at level 0
    submitted(province="01", level=0, points=(0, 0, 0, 0, 0, 0))
    submitted(province="01", level=0, points=(6, 0, 8, 6, 5, 3))
    # synthetic rows never mix with real ones
    submitted(province="01", level=5, synthetic=True)

    total = queries.counts(db, False, {})[()]
    assert total == queries.Counts(6, (2, 0, 3, 0, 1, 0))
    by_province = queries.counts(db, False, {}, ["province"])
    assert by_province[("79",)] == queries.Counts(4, (0, 0, 3, 0, 1, 0))
    assert by_province[("01",)] == queries.Counts(2, (2, 0, 0, 0, 0, 0))
    by_month = queries.counts(db, False, {"province": "79"}, ["month"])
    assert {k: c.n for k, c in by_month.items()} == {("2026-07",): 3, ("2026-08",): 1}
    assert queries.counts(db, False, {"quarter": "2026-Q3"}, ["year"])[("2026",)].n == 6
    # customer pillar (max 65) in province 79: (26·3 + 52) / (65·4) = 130 / 260 = 50 %
    pillars = queries.pillar_counts(db, False, {"province": "79"})[()]
    assert pillars["customer"].mean_percent == 50.0
    # its levels: 26/65 = 40 % → level 2 (three), 52/65 = 80 % → level 4 (one)
    assert pillars["customer"].levels == (0, 0, 3, 0, 1, 0)
    # data pillar nationally: (14·3 + 28 + 0 + 3) / (35·6) = 73 / 210
    national = queries.pillar_counts(db, False, {})[()]
    assert abs(national["data"].mean_percent - 100 * 73 / 210) < 1e-9
    assert queries.counts(db, True, {})[()].n == 1


def test_month_is_taken_in_vietnam_time(db: Any, submitted: Any) -> None:
    # 31 March 2025, 18:00 UTC is 1 April 2025, 01:00 in Vietnam
    submitted(at=datetime(2025, 3, 31, 18, 0, tzinfo=UTC))
    assert list(queries.counts(db, False, {}, ["month"])) == [("2025-04",)]
    assert list(queries.counts(db, False, {}, ["quarter"])) == [("2025-Q2",)]
    rebuild(db)
    assert list(queries.counts(db, False, {}, ["month"])) == [("2025-04",)]


def test_pre_2025_province_is_counted_in_the_current_one(db: Any, submitted: Any) -> None:
    submitted(province="10")  # Lào Cai before the merger (code 10) → Lào Cai 15
    submitted(province="15")  # Lào Cai now (old Yên Bái code 15)
    submitted(province="74")  # Bình Dương → TP Hồ Chí Minh 79
    got = {k: c.n for k, c in queries.counts(db, False, {}, ["province"]).items()}
    assert got == {("15",): 2, ("79",): 1}
    rebuild(db)
    got = {k: c.n for k, c in queries.counts(db, False, {}, ["province"]).items()}
    assert got == {("15",): 2, ("79",): 1}


def test_profile_at_submission_not_the_current_one(db: Any, submitted: Any) -> None:
    a = submitted(province="79", section="G")
    a.business.province_code = "01"  # the business moved after its assessment
    a.business.industry_section = "J"
    db.flush()
    rebuild(db)
    assert list(queries.counts(db, False, {}, ["province", "section"])) == [("79", "G")]
