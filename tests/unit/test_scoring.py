"""The scoring engine: band and overall-level boundaries, missing and hidden answers, question
types, pulled-down criteria, answer checks, rounding, monotonicity, and import purity.

Expected values come from the rules in DOMAIN.md §2.2 and the boundary decisions in the header
of questionnaires/dbi-2021-sme.yaml: exactly 10% → level 1; other bands "> lower, ≤ upper";
overall thresholds strict ("total > 20" …)."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sme_assess.questionnaire import (
    Criterion,
    Pillar,
    Questionnaire,
    load_questionnaire,
    parse_questionnaire,
)
from sme_assess.scoring import (
    Scorer,
    check_answers,
    missing_answers,
    round_percent,
    score,
)

ROOT = Path(__file__).resolve().parents[2]
DBI_FILE = ROOT / "questionnaires" / "dbi-2021-sme.yaml"


# --- building synthetic questionnaires -------------------------------------------------------


def t(s: str) -> dict[str, str]:
    return {"vi": s, "en": f"{s} (en)"}


@cache
def dbi_raw() -> dict[str, Any]:
    data = yaml.safe_load(DBI_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def level_criterion(cid: str, multiplier: int = 1) -> dict[str, Any]:
    """A criterion with one single-choice question `q_<cid>`, options l0..l5 worth 0..5."""
    return {
        "id": cid,
        "code": "9.9.9",
        "official_text": f"Tiêu chí {cid}",
        "title": t(cid),
        "multiplier": multiplier,
        "questions": [
            {
                "id": f"q_{cid}",
                "type": "single",
                "text": t(f"Câu hỏi {cid}"),
                "options": [{"id": f"l{i}", "points": i, "text": t(f"Mức {i}")} for i in range(6)],
            }
        ],
    }


def build(
    pillars: list[tuple[str, list[dict[str, Any]]]], qid: str = "synthetic", level_points: int = 1
) -> Questionnaire:
    """A questionnaire with the DBI file's scoring rules and levels and the given pillars (one
    component each); maxima are computed."""
    raw = dbi_raw()
    scoring = dict(raw["scoring"])
    scoring["level_points"] = level_points
    # the DBI rules ask for up to 5 pillars; a smaller synthetic file asks for all of its own
    scoring["overall_rules"] = [
        {**r, "pillars_at_least": min(r["pillars_at_least"], len(pillars))}
        if isinstance(r["pillars_at_least"], int)
        else r
        for r in raw["scoring"]["overall_rules"]
    ]
    total = 0
    pillar_dicts = []
    for i, (pid, criteria) in enumerate(pillars, start=1):
        pmax = sum(5 * c.get("multiplier", 1) * level_points for c in criteria)
        total += pmax
        pillar_dicts.append(
            {
                "id": pid,
                "code": str(i),
                "title": t(pid),
                "max_points": pmax,
                "components": [
                    {
                        "id": f"{pid}_c",
                        "code": f"{i}.1",
                        "title": t(pid),
                        "max_points": pmax,
                        "criteria": criteria,
                    }
                ],
            }
        )
    scoring["max_total"] = total
    data = {
        "id": qid,
        "version": "1",
        "title": t("Synthetic"),
        "scoring": scoring,
        "levels": raw["levels"],
        "pillars": pillar_dicts,
    }
    return parse_questionnaire(data, f"<{qid}>")


def simple_pillar(pid: str, n: int) -> tuple[str, list[dict[str, Any]]]:
    return pid, [level_criterion(f"{pid}_{i}") for i in range(n)]


def fill(pid: str, n: int, points: int) -> dict[str, str]:
    """Answers giving exactly `points` on a simple pillar of `n` criteria (5s first)."""
    assert 0 <= points <= 5 * n
    out = {}
    for i in range(n):
        lv = min(5, points)
        points -= lv
        out[f"q_{pid}_{i}"] = f"l{lv}"
    return out


@pytest.fixture(autouse=True)
def fresh_scorers() -> None:
    """Every test scores with a `Scorer` built during the test: `score` keeps one per
    questionnaire object, so without this a scorer built by an earlier test (with its plans)
    would serve the later ones, and a fault in building it could go unseen."""
    from sme_assess.scoring import engine

    engine._SCORERS.clear()


@pytest.fixture(scope="module")
def dbi() -> Questionnaire:
    return load_questionnaire(DBI_FILE)


@pytest.fixture(scope="module")
def bands_q() -> Questionnaire:
    # p50: step 2% per point; p1000: step 0.1% per point
    return build([simple_pillar("p50", 10), simple_pillar("p1000", 200)], "bands")


@pytest.fixture(scope="module")
def six_q() -> Questionnaire:
    # six pillars of max 50 each with the DBI overall rules (thresholds are absolute points)
    return build([simple_pillar(f"s{i}", 10) for i in range(6)], "six")


# --- the DBI-2021 file: answers for exact pillar scores ----------------------------------------


def criterion_states(k: Criterion) -> dict[int, dict[str, str]]:
    """Level → one answer set giving that level, read from the two shapes the DBI file uses:
    one single-choice question, or a yes/no gate ("no" = 0) with a detail shown after "yes"."""
    qs = k.questions
    if len(qs) == 1 and qs[0].type == "single" and qs[0].show_if is None:
        return {o.points: {qs[0].id: o.id} for o in qs[0].options}
    gate, detail = qs
    assert gate.type == "yes_no" and detail.type == "single"
    assert detail.show_if is not None and detail.show_if.question == gate.id
    assert gate.yes_points == gate.no_points == 0
    states: dict[int, dict[str, str]] = {0: {gate.id: "no"}}
    for o in detail.options:
        states[o.points] = {gate.id: "yes", detail.id: o.id}
    return states


def pillar_answers(pillar: Pillar, points: int) -> dict[str, str]:
    """Answers giving exactly `points` on a DBI pillar (small subset-sum over criteria)."""
    reach: dict[int, list[dict[str, str]]] = {0: []}
    for k in pillar.criteria:
        nxt: dict[int, list[dict[str, str]]] = {}
        for total, chosen in reach.items():
            for level, answers in criterion_states(k).items():
                nxt.setdefault(total + level * k.multiplier, [*chosen, answers])
        reach = nxt
    assert points in reach, f"{points} points are not reachable on {pillar.id}"
    out: dict[str, str] = {}
    for answers in reach[points]:
        out.update(answers)
    return out


# --- pillar bands ------------------------------------------------------------------------------

P50_TABLE = [  # points of 50, percent, level
    (0, 0.0, 0),
    (4, 8.0, 0),
    (5, 10.0, 1),  # exactly 10% → level 1
    (6, 12.0, 1),
    (10, 20.0, 1),  # upper bound included
    (11, 22.0, 2),
    (20, 40.0, 2),
    (21, 42.0, 3),
    (30, 60.0, 3),
    (31, 62.0, 4),
    (40, 80.0, 4),
    (41, 82.0, 5),
    (50, 100.0, 5),
]

P1000_TABLE = [  # points of 1000 (0.1% per point)
    (1, 0.1, 0),
    (99, 9.9, 0),
    (100, 10.0, 1),
    (101, 10.1, 1),
    (199, 19.9, 1),
    (200, 20.0, 1),
    (201, 20.1, 2),
    (399, 39.9, 2),
    (400, 40.0, 2),
    (401, 40.1, 3),
    (599, 59.9, 3),
    (600, 60.0, 3),
    (601, 60.1, 4),
    (799, 79.9, 4),
    (800, 80.0, 4),
    (801, 80.1, 5),
    (999, 99.9, 5),
    (1000, 100.0, 5),
]


@pytest.mark.parametrize(("points", "percent", "level"), P50_TABLE)
def test_pillar_band_boundaries_max_50(
    bands_q: Questionnaire, points: int, percent: float, level: int
) -> None:
    r = score(bands_q, fill("p50", 10, points))
    p = r.pillar("p50")
    assert (p.points, p.max_points, p.percent, p.level) == (points, 50, percent, level)


@pytest.mark.parametrize(("points", "percent", "level"), P1000_TABLE)
def test_pillar_band_boundaries_max_1000(
    bands_q: Questionnaire, points: int, percent: float, level: int
) -> None:
    r = score(bands_q, fill("p1000", 200, points))
    p = r.pillar("p1000")
    assert (p.points, p.max_points, p.percent, p.level) == (points, 1000, percent, level)


DBI_BAND_TABLE = [
    # customer, max 65: 10% = 6.5 is not reachable
    ("customer", 6, 0),  # 9.2%
    ("customer", 7, 1),  # 10.8%
    ("customer", 13, 1),  # 20%
    ("customer", 14, 2),  # 21.5%
    ("customer", 26, 2),  # 40%
    ("customer", 27, 3),  # 41.5%
    ("customer", 39, 3),  # 60%
    ("customer", 40, 4),  # 61.5%
    ("customer", 52, 4),  # 80%
    ("customer", 53, 5),  # 81.5%
    ("customer", 65, 5),
    # strategy, max 25 in steps of 5 (one criterion × 5): criterion level L gives 20·L %
    ("strategy", 0, 0),
    ("strategy", 5, 1),  # 20%
    ("strategy", 10, 2),  # 40%
    ("strategy", 15, 3),  # 60%
    ("strategy", 20, 4),  # 80%
    ("strategy", 25, 5),
    # infrastructure, max 80
    ("infrastructure", 7, 0),  # 8.75%
    ("infrastructure", 8, 1),  # exactly 10%
    ("infrastructure", 16, 1),  # 20%
    ("infrastructure", 17, 2),
    ("infrastructure", 32, 2),  # 40%
    ("infrastructure", 33, 3),
    ("infrastructure", 48, 3),  # 60%
    ("infrastructure", 49, 4),
    ("infrastructure", 64, 4),  # 80%
    ("infrastructure", 65, 5),
    # operations, max 65
    ("operations", 6, 0),
    ("operations", 7, 1),
    ("operations", 52, 4),
    ("operations", 53, 5),
    # culture, max 50
    ("culture", 4, 0),
    ("culture", 5, 1),  # exactly 10%
    ("culture", 10, 1),
    ("culture", 11, 2),
    ("culture", 40, 4),
    ("culture", 41, 5),
    # data, max 35: 10% = 3.5 is not reachable
    ("data", 3, 0),  # 8.6%
    ("data", 4, 1),  # 11.4%
    ("data", 7, 1),  # 20%
    ("data", 8, 2),  # 22.9%
    ("data", 14, 2),  # 40%
    ("data", 15, 3),
    ("data", 21, 3),  # 60%
    ("data", 22, 4),
    ("data", 28, 4),  # 80%
    ("data", 29, 5),
]


@pytest.mark.parametrize(("pillar_id", "points", "level"), DBI_BAND_TABLE)
def test_dbi_pillar_band_boundaries(
    dbi: Questionnaire, pillar_id: str, points: int, level: int
) -> None:
    pillar = dbi.pillar(pillar_id)
    assert pillar is not None
    answers = pillar_answers(pillar, points)
    assert check_answers(dbi, answers) == []
    r = score(dbi, answers)
    p = r.pillar(pillar_id)
    assert (p.points, p.level) == (points, level)
    # nothing leaks into other pillars
    assert r.total == points
    assert all(o.points == 0 for o in r.pillars if o.pillar_id != pillar_id)


# percent = points / max × 100, half-up to one decimal, worked out by hand
DBI_PERCENT_TABLE = [
    ("customer", 52, 80.0),
    ("customer", 53, 81.5),  # 81.538…
    ("strategy", 15, 60.0),
    ("infrastructure", 7, 8.8),  # 8.75 → half up
    ("infrastructure", 8, 10.0),
    ("operations", 6, 9.2),  # 9.230…
    ("operations", 7, 10.8),  # 10.769…
    ("operations", 53, 81.5),
    ("culture", 11, 22.0),
    ("data", 3, 8.6),  # 8.571…
    ("data", 4, 11.4),  # 11.428…
    ("data", 8, 22.9),  # 22.857…
]


@pytest.mark.parametrize(("pillar_id", "points", "percent"), DBI_PERCENT_TABLE)
def test_dbi_pillar_percent(
    dbi: Questionnaire, pillar_id: str, points: int, percent: float
) -> None:
    pillar = dbi.pillar(pillar_id)
    assert pillar is not None
    assert score(dbi, pillar_answers(pillar, points)).pillar(pillar_id).percent == percent


# The one pillar-level rule (sme_assess/scoring/levels.py) on the DBI bands: level 1 from
# exactly 10 %, then "> 20 %", "> 40 %", "> 60 %", "> 80 %".
@pytest.mark.parametrize(
    ("points", "max_points", "level"),
    [
        (0, 80, 0),
        (7, 80, 0),  # 8.75 %
        (8, 80, 1),  # exactly 10 %: inclusive
        (16, 80, 1),  # exactly 20 %: not above
        (17, 80, 2),
        (32, 80, 2),  # 40 %
        (33, 80, 3),
        (48, 80, 3),  # 60 %
        (49, 80, 4),
        (64, 80, 4),  # 80 %
        (65, 80, 5),
        (80, 80, 5),
        (1, 1, 5),  # 100 % of a one-point pillar
        (1, 3, 2),  # 33.3…%: above 20, not above 40
        (5, 0, 0),  # nothing to win
    ],
)
def test_pillar_level_rule(dbi: Questionnaire, points: int, max_points: int, level: int) -> None:
    from sme_assess.scoring.levels import pillar_level

    bands = dbi.scoring.pillar_bands
    assert pillar_level(points, max_points, bands) == level
    assert pillar_level(points, max_points, tuple(reversed(bands))) == level  # any order


# --- overall level -----------------------------------------------------------------------------

OVERALL_TABLE = [
    # pillar points (each of 50; L1 ≥ 5, L2 > 10, L3 > 20, L4 > 30, L5 > 40), expected level
    ([0, 0, 0, 0, 0, 0], 0),
    ([5, 5, 5, 5, 0, 0], 0),  # total exactly 20, four pillars at 1: not > 20
    ([5, 5, 5, 6, 0, 0], 1),  # 21, four pillars at 1
    ([7, 7, 7, 0, 0, 0], 0),  # 21 but only three pillars at ≥ 1
    ([16, 16, 16, 16, 0, 0], 1),  # exactly 64, four pillars at 2: not > 64 → rule 1
    ([16, 16, 16, 17, 0, 0], 2),  # 65, four at 2
    ([17, 17, 17, 5, 5, 4], 1),  # 65, only three at ≥ 2 (five at ≥ 1)
    ([32, 32, 32, 32, 0, 0], 2),  # exactly 128, four at 4: not > 128 → rule 2
    ([32, 32, 32, 33, 0, 0], 3),  # 129, four at ≥ 3 (not five at 4)
    ([38, 38, 38, 15, 0, 0], 2),  # 129, only three at ≥ 3, four at ≥ 2
    ([40, 40, 40, 36, 36, 0], 3),  # exactly 192, five at 4: not > 192 → rule 3
    ([40, 40, 40, 37, 36, 0], 4),  # 193, five at 4
    ([50, 50, 50, 40, 3, 0], 3),  # 193, only four at ≥ 4
    ([43, 43, 43, 43, 42, 42], 4),  # exactly 256, all six at 5: not > 256 → rule 4
    ([43, 43, 43, 43, 43, 42], 5),  # 257, all six at 5
    ([50, 50, 50, 50, 50, 7], 4),  # 257, five at 5 and one at 1
    ([50, 50, 50, 50, 50, 50], 5),
]


@pytest.mark.parametrize(("points", "level"), OVERALL_TABLE)
def test_overall_level_thresholds(six_q: Questionnaire, points: list[int], level: int) -> None:
    answers: dict[str, str] = {}
    for i, pts in enumerate(points):
        answers.update(fill(f"s{i}", 10, pts))
    r = score(six_q, answers)
    assert [p.points for p in r.pillars] == points
    assert r.total == sum(points)
    assert r.overall_level == level


def test_dbi_overall_extremes(dbi: Questionnaire) -> None:
    best: dict[str, str] = {}
    for pillar in dbi.pillars:
        best.update(pillar_answers(pillar, pillar.max_points))
    r = score(dbi, best)
    assert (r.total, r.max_total, r.overall_level, r.percent) == (320, 320, 5, 100.0)
    assert all(p.level == 5 and p.percent == 100.0 for p in r.pillars)
    assert score(dbi, {}).overall_level == 0


def test_dbi_overall_level_one_needs_four_pillars(dbi: Questionnaire) -> None:
    # strategy 5 (20%), culture 5 (10%), data 4 (11.4%): 14 points, three pillars at 1 → 0;
    # adding customer 7 (10.8%) makes 21 > 20 with four pillars at 1 → 1
    parts = {"strategy": 5, "culture": 5, "data": 4}
    answers: dict[str, str] = {}
    for pid, pts in parts.items():
        pillar = dbi.pillar(pid)
        assert pillar is not None
        answers.update(pillar_answers(pillar, pts))
    assert score(dbi, answers).overall_level == 0
    customer = dbi.pillar("customer")
    assert customer is not None
    answers.update(pillar_answers(customer, 7))
    r = score(dbi, answers)
    assert (r.total, r.overall_level) == (21, 1)
    # the same 21 points with customer at 6 (level 0) and one more on culture: only three
    # pillars at ≥ 1 → 0
    answers.update(pillar_answers(customer, 6))
    culture = dbi.pillar("culture")
    assert culture is not None
    answers.update(pillar_answers(culture, 6))
    r = score(dbi, answers)
    assert (r.total, r.overall_level) == (21, 0)


# --- missing and hidden answers ----------------------------------------------------------------


def test_missing_answers_score_zero(dbi: Questionnaire) -> None:
    r = score(dbi, {})
    assert r.total == 0 and r.overall_level == 0
    for p in r.pillars:
        assert (p.points, p.level, p.percent) == (0, 0, 0.0)
        assert all(c.level == 0 and c.points == 0 and not c.answered for c in p.criteria)


def test_gate_yes_without_detail_scores_zero(dbi: Questionnaire) -> None:
    r = score(dbi, {"q1_1_1_has": "yes"})
    c = r.criterion("c1_1_1")
    assert (c.level, c.points, c.answered) == (0, 0, True)
    assert r.total == 0


def test_hidden_answers_are_ignored(dbi: Questionnaire) -> None:
    shown = score(dbi, {"q1_1_1_has": "yes", "q1_1_1_level": "l4"})
    assert shown.criterion("c1_1_1").level == 4
    hidden = score(dbi, {"q1_1_1_has": "no", "q1_1_1_level": "l4"})
    assert hidden.criterion("c1_1_1").level == 0
    assert hidden.total == 0
    no_gate = score(dbi, {"q1_1_1_level": "l5"})
    assert no_gate.criterion("c1_1_1").level == 0
    assert not no_gate.criterion("c1_1_1").answered


def test_missing_answers_lists_shown_required_questions(dbi: Questionnaire) -> None:
    roots = [x.id for x in dbi.iter_questions() if x.show_if is None]
    assert len(roots) == 60  # one first question per criterion
    assert missing_answers(dbi, {}) == roots
    # "yes" on a gate reveals its detail question; "no" does not
    after_yes = missing_answers(dbi, {"q1_1_1_has": "yes", "q1_1_2_has": "no"})
    assert after_yes == ["q1_1_1_level", *roots[2:]]
    full: dict[str, str] = {}
    for pillar in dbi.pillars:
        full.update(pillar_answers(pillar, pillar.max_points))
    assert missing_answers(dbi, full) == []
    # a hidden detail answered or not never counts as missing
    gates = [x for x in dbi.iter_questions() if x.type == "yes_no"]
    all_no: dict[str, str] = {x.id: "no" for x in gates}
    all_no["q1_1_1_level"] = "l5"  # kept for a hidden question: ignored
    assert missing_answers(dbi, all_no) == [qid for qid in roots if qid not in all_no]


# --- question types: multiple choice, numbers, show_if chains ----------------------------------


@pytest.fixture(scope="module")
def features_q() -> Questionnaire:
    multi = {
        "id": "k_multi",
        "code": "1.1.1",
        "official_text": "Nhiều lựa chọn",
        "title": t("multi"),
        "questions": [
            {
                "id": "m",
                "type": "multiple",
                "cap": 3,
                "text": t("Công cụ?"),
                "options": [
                    {"id": "none", "points": 0, "exclusive": True, "text": t("Không")},
                    {"id": "a", "points": 2, "text": t("A")},
                    {"id": "b", "points": 2, "text": t("B")},
                    {"id": "c", "points": 3, "text": t("C")},
                ],
            },
            {
                "id": "s",
                "type": "single",
                "text": t("Thêm?"),
                "options": [
                    {"id": "x0", "points": 0, "text": t("0")},
                    {"id": "x2", "points": 2, "text": t("2")},
                ],
            },
        ],
    }
    number = {
        "id": "k_num",
        "code": "1.1.2",
        "official_text": "Số lượng",
        "title": t("number"),
        "questions": [
            {
                "id": "n",
                "type": "number",
                "min": 0,
                "max": 100,
                "text": t("Bao nhiêu?"),
                "bands": [
                    {"min": 0, "max": 0, "points": 0},
                    {"min": 1, "max": 4.5, "points": 2},
                    {"min": 5, "max": 9, "points": 4},
                    {"min": 10, "max": 100, "points": 5},
                ],
            }
        ],
    }
    chain = {
        "id": "k_chain",
        "code": "1.1.3",
        "official_text": "Chuỗi điều kiện",
        "title": t("chain"),
        "questions": [
            {"id": "g", "type": "yes_no", "text": t("Có?")},
            {
                "id": "d",
                "type": "single",
                "show_if": {"question": "g", "equals": "yes"},
                "text": t("Loại?"),
                "options": [
                    {"id": "d1", "points": 1, "text": t("1")},
                    {"id": "d2", "points": 2, "text": t("2")},
                ],
            },
            {
                "id": "e",
                "type": "single",
                "show_if": {"question": "d", "in": ["d2"]},
                "text": t("Thêm?"),
                "options": [
                    {"id": "e0", "points": 0, "text": t("0")},
                    {"id": "e3", "points": 3, "text": t("3")},
                ],
            },
        ],
    }
    cross = {
        "id": "k_cross",
        "code": "1.1.4",
        "official_text": "Phụ thuộc câu nhiều lựa chọn",
        "title": t("cross"),
        "questions": [
            {
                "id": "x",
                "type": "single",
                "show_if": {"question": "m", "in": ["c"]},
                "text": t("CRM dùng thế nào?"),
                "options": [
                    {"id": "x0", "points": 0, "text": t("0")},
                    {"id": "x5", "points": 5, "text": t("5")},
                ],
            }
        ],
    }
    return build([("feat", [multi, number, chain, cross])], "features")


@pytest.mark.parametrize(
    ("m", "s", "level"),
    [
        (["a"], None, 2),
        (["a", "b"], None, 3),  # 4 capped at 3
        (["a", "c"], None, 3),  # 5 capped at 3
        (["a", "b", "c"], None, 3),  # 7 capped at 3
        (["a", "b", "c"], "x2", 5),  # cap applies to the question, then + 2
        (["a"], "x2", 4),
        (["none"], None, 0),
        ([], "x2", 2),
    ],
)
def test_multiple_choice_sum_with_cap(
    features_q: Questionnaire, m: list[str], s: str | None, level: int
) -> None:
    answers: dict[str, Any] = {"m": m}
    if s is not None:
        answers["s"] = s
    assert check_answers(features_q, answers) == []
    assert score(features_q, answers).criterion("k_multi").level == level


@pytest.mark.parametrize(
    ("value", "level"),
    [(0, 0), (1, 2), (3, 2), (4.5, 2), (5, 4), (7.25, 4), (9, 4), (10, 5), (100, 5)],
)
def test_number_bands(features_q: Questionnaire, value: float, level: int) -> None:
    assert check_answers(features_q, {"n": value}) == []
    assert score(features_q, {"n": value}).criterion("k_num").level == level


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (4.7, "falls in no band"),
        (101, "out of range"),
        (-1, "out of range"),
        ("3", "takes a number"),
        (True, "takes a number"),
        (float("nan"), "takes a number"),
        (float("inf"), "takes a number"),
    ],
)
def test_number_answer_problems(features_q: Questionnaire, value: Any, words: str) -> None:
    problems = check_answers(features_q, {"n": value})
    assert len(problems) == 1 and words in problems[0] and "'n'" in problems[0]


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"g": "yes", "d": "d2", "e": "e3"}, 5),
        ({"g": "yes", "d": "d1", "e": "e3"}, 1),  # e hidden: d is not d2
        ({"g": "no", "d": "d2", "e": "e3"}, 0),  # d hidden, so e hidden too
        ({"d": "d2", "e": "e3"}, 0),  # gate unanswered
        ({"g": "yes", "d": "d2"}, 2),
    ],
)
def test_show_if_chain(features_q: Questionnaire, answers: dict[str, str], level: int) -> None:
    assert score(features_q, answers).criterion("k_chain").level == level


@pytest.mark.parametrize(
    ("answers", "shown", "missing"),
    [
        # g → d (when yes) → e (when d2): a hidden parent hides its children, whatever
        # answers they kept
        ({"g": "no", "d": "d2", "e": "e3"}, {"g"}, set()),
        ({"g": "yes", "d": "d2"}, {"g", "d", "e"}, {"e"}),
        ({"g": "yes", "d": "d1", "e": "e3"}, {"g", "d"}, set()),
        ({"g": "yes"}, {"g", "d"}, {"d"}),
        ({"d": "d2", "e": "e3"}, {"g"}, {"g"}),  # the gate unanswered hides d, and so e
        ({}, {"g"}, {"g"}),
    ],
)
def test_show_if_chain_visibility_and_missing_answers(
    features_q: Questionnaire, answers: dict[str, str], shown: set[str], missing: set[str]
) -> None:
    from sme_assess.questionnaire import visible_question_ids

    chain = {"g", "d", "e"}
    assert visible_question_ids(features_q, answers) & chain == shown
    assert set(missing_answers(features_q, answers)) & chain == missing


@pytest.mark.parametrize(
    ("m", "level"), [(["c"], 5), (["a", "c"], 5), (["a", "b"], 0), (["none"], 0), ([], 0)]
)
def test_show_if_on_multiple_choice_across_criteria(
    features_q: Questionnaire, m: list[str], level: int
) -> None:
    r = score(features_q, {"m": m, "x": "x5"})
    assert r.criterion("k_cross").level == level
    assert ("x" in missing_answers(features_q, {"m": m})) == (level == 5)


def test_optional_question_not_missing(features_q: Questionnaire) -> None:
    data_q = load_questionnaire(ROOT / "tests" / "fixtures" / "questionnaires" / "minimal.yaml")
    # q2_1_2_level is `required: false`
    assert "q2_1_2_level" not in missing_answers(data_q, {})
    assert "q2_1_1_staff" in missing_answers(data_q, {})
    assert missing_answers(features_q, {"g": "no"}) == ["m", "s", "n"]


# --- pulled down -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pulled_q() -> Questionnaire:
    multipliers = [1, 2, 1, 1, 1, 1]  # max 35
    return build(
        [("pp", [level_criterion(f"k{i + 1}", m) for i, m in enumerate(multipliers)])], "pulled"
    )


def pulled_for(q: Questionnaire, levels: list[int]) -> tuple[int, int, tuple[str, ...]]:
    answers = {f"q_k{i + 1}": f"l{lv}" for i, lv in enumerate(levels)}
    p = score(q, answers).pillar("pp")
    return p.points, p.level, p.pulled_down


def test_pulled_down_most_points_lost_first_then_file_order(pulled_q: Questionnaire) -> None:
    # levels 1, 2 (×2), 0, 5, 4, 1 → points 1+4+0+5+4+1 = 15 of 35 = 42.9% → level 3.
    # Below level 4: k1 (lost 4), k2 (lost 10-4 = 6), k3 (lost 5), k6 (lost 4); k4 (5) and
    # k5 (4) are not. Order: k2 (6), k3 (5), then k1 and k6 (4 each) in file order.
    assert pulled_for(pulled_q, [1, 2, 0, 5, 4, 1]) == (15, 3, ("k2", "k3", "k1", "k6"))


def test_pulled_down_at_level_zero_lists_everything(pulled_q: Questionnaire) -> None:
    # all lost: k2 loses 10, the others 5 each, in file order
    assert pulled_for(pulled_q, [0] * 6) == (0, 0, ("k2", "k1", "k3", "k4", "k5", "k6"))


def test_pulled_down_at_level_five_lists_criteria_below_five(pulled_q: Questionnaire) -> None:
    # 3 + 10 + 4 + 5 + 5 + 5 = 32 of 35 = 91.4% → level 5; the target stays 5
    assert pulled_for(pulled_q, [3, 5, 4, 5, 5, 5]) == (32, 5, ("k1", "k3"))
    assert pulled_for(pulled_q, [5] * 6) == (35, 5, ())


def test_pulled_down_excludes_criteria_at_the_next_level(pulled_q: Questionnaire) -> None:
    # 2+4+2+2+2+2 = 14 = exactly 40% → level 2; every criterion (level 2) is below 3.
    # k2 loses 10-4 = 6, the others 3 each.
    assert pulled_for(pulled_q, [2] * 6) == (14, 2, ("k2", "k1", "k3", "k4", "k5", "k6"))
    # 3+4+3+4+4+3 = 21 = exactly 60% → level 3; k4 and k5 are at level 4 = the next level,
    # so they do not hold the pillar back. k2 loses 6, k1, k3, k6 lose 2 each.
    assert pulled_for(pulled_q, [3, 2, 3, 4, 4, 3]) == (21, 3, ("k2", "k1", "k3", "k6"))
    # 4+8+4+4+4+4 = 28 = exactly 80% → level 4; all below 5; k2 loses 2, the others 1
    assert pulled_for(pulled_q, [4] * 6) == (28, 4, ("k2", "k1", "k3", "k4", "k5", "k6"))
    # 5+8+5+5+5+4 = 32 = 91.4% → level 5: k2 (loses 2) then k6 (loses 1)
    assert pulled_for(pulled_q, [5, 4, 5, 5, 5, 4]) == (32, 5, ("k2", "k6"))


# --- answer checks -----------------------------------------------------------------------------


def test_check_answers_accepts_valid_answers(dbi: Questionnaire) -> None:
    assert check_answers(dbi, {}) == []
    valid = {"q1_1_1_has": "yes", "q1_1_1_level": "l3", "q1_1_3_band": "l0"}
    assert check_answers(dbi, valid) == []


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": "yes"}, "unknown question 'nope'"),
        ({"q1_1_1_level": "l9"}, "unknown option 'l9' for question 'q1_1_1_level'"),
        ({"q1_2_1_level": "l2"}, "unknown option 'l2' for question 'q1_2_1_level'"),
        ({"q1_1_1_has": True}, "question 'q1_1_1_has' takes 'yes' or 'no', not True"),
        ({"q1_1_1_has": "có"}, "question 'q1_1_1_has' takes 'yes' or 'no', not 'có'"),
        ({"q1_1_1_level": ["l1"]}, "question 'q1_1_1_level' takes one option id, not list"),
        ({"q1_1_1_level": 3}, "question 'q1_1_1_level' takes one option id, not int"),
    ],
)
def test_check_answers_messages(dbi: Questionnaire, answers: dict[str, Any], message: str) -> None:
    assert check_answers(dbi, answers) == [message]


def test_check_answers_multiple_choice(features_q: Questionnaire) -> None:
    assert check_answers(features_q, {"m": "a"}) == ["question 'm' takes a list of option ids"]
    assert check_answers(features_q, {"m": ["a", 1]}) == ["question 'm' takes a list of option ids"]
    assert check_answers(features_q, {"m": ["a", "z"]}) == ["unknown option 'z' for question 'm'"]
    assert check_answers(features_q, {"m": ["a", "a"]}) == ["question 'm' has a repeated option"]
    assert check_answers(features_q, {"m": ["none", "a"]}) == [
        "question 'm': an exclusive option cannot be combined"
    ]


def test_check_answers_reports_every_problem(dbi: Questionnaire) -> None:
    problems = check_answers(dbi, {"nope": 1, "q1_1_1_has": "maybe", "q1_1_1_level": "l3"})
    assert len(problems) == 2


# --- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(0), 0.0),
        (Fraction(5, 4), 1.3),  # 1.25 → half up (round() would give 1.2)
        (Fraction(3, 20), 0.2),  # 0.15 → 0.2 (float 0.15 is below 0.15)
        (Fraction(1, 20), 0.1),  # 0.05
        (Fraction(49, 1000), 0.0),  # 0.049
        (Fraction(49, 40), 1.2),  # 1.225 → 1.2 (not a tie at one decimal)
        (Fraction(200, 3), 66.7),
        (Fraction(100), 100.0),
        (Fraction(1999, 20), 100.0),  # 99.95 → 100.0
    ],
)
def test_round_percent_half_up(value: Fraction, shown: float) -> None:
    assert round_percent(value) == shown


@pytest.mark.parametrize(
    ("points", "percent", "total_percent"),
    # total of 320: 1 point = 0.3125 %
    [(1, 1.3, 0.3), (3, 3.8, 0.9), (5, 6.3, 1.6), (7, 8.8, 2.2), (9, 11.3, 2.8), (2, 2.5, 0.6)],
)
def test_pillar_percent_rounds_half_up(
    dbi: Questionnaire, points: int, percent: float, total_percent: float
) -> None:
    # infrastructure max 80: each point is 1.25%, so odd points end in ...25 or ...75
    pillar = dbi.pillar("infrastructure")
    assert pillar is not None
    r = score(dbi, pillar_answers(pillar, points))
    assert r.pillar("infrastructure").percent == percent
    assert r.percent == total_percent


def test_total_percent(dbi: Questionnaire) -> None:
    pillar = dbi.pillar("culture")
    assert pillar is not None
    assert score(dbi, pillar_answers(pillar, 4)).percent == 1.3  # 1.25%
    assert score(dbi, pillar_answers(pillar, 2)).percent == 0.6  # 0.625%


# --- independent oracle + monotonicity on random DBI answers ----------------------------------


def domain_pillar_level(points: int, maximum: int) -> int:
    """DOMAIN §2.2 with the file's boundary decision (exactly 10% → 1)."""
    pct = Fraction(points * 100, maximum)
    if pct < 10:
        return 0
    for level, upper in ((1, 20), (2, 40), (3, 60), (4, 80)):
        if pct <= upper:
            return level
    return 5


def domain_overall(total: int, levels: list[int]) -> int:
    rules = [(5, 256, 6), (4, 192, 5), (3, 128, 4), (2, 64, 4), (1, 20, 4)]
    for level, above, n in rules:
        if total > above and sum(lv >= level for lv in levels) >= n:
            return level
    return 0


def oracle_criterion_level(q: Questionnaire, k: Criterion, answers: dict[str, str]) -> int:
    pts = 0
    visible: set[str] = set()
    for question in k.questions:
        cond = question.show_if
        if cond is not None and not (
            cond.question in visible and answers.get(cond.question) in cond.values
        ):
            continue
        visible.add(question.id)
        value = answers.get(question.id)
        if value is None:
            continue
        if question.type == "yes_no":
            pts += question.yes_points if value == "yes" else question.no_points
        else:
            opt = question.option(value)
            assert opt is not None
            pts += opt.points
    return min(k.max_level, pts)


@st.composite
def dbi_answer_sets(draw: st.DrawFn) -> dict[str, str]:
    """Valid answer sets on the DBI file: per criterion nothing, a gate "no" (maybe with a
    hidden detail answer kept), a gate "yes" with or without detail, or a band option."""
    q = load_dbi()
    answers: dict[str, str] = {}
    for k in q.criteria:
        questions = k.questions
        if len(questions) == 1:
            choice = draw(st.sampled_from([None, *[o.id for o in questions[0].options]]))
            if choice is not None:
                answers[questions[0].id] = choice
            continue
        gate, detail = questions
        g = draw(st.sampled_from([None, "yes", "no"]))
        d = draw(st.sampled_from([None, *[o.id for o in detail.options]]))
        if g is not None:
            answers[gate.id] = g
        if d is not None:
            answers[detail.id] = d
    return answers


@cache
def load_dbi() -> Questionnaire:
    return load_questionnaire(DBI_FILE)


def raise_one(q: Questionnaire, answers: dict[str, str], index: int) -> dict[str, str] | None:
    """Raise one answer: a gate to "yes", or a single-choice answer to an option with more
    points (an unanswered question counts as 0). None when that question cannot go higher."""
    question = list(q.iter_questions())[index % q.question_count]
    new = dict(answers)
    if question.type == "yes_no":
        if answers.get(question.id) == "yes":
            return None
        new[question.id] = "yes"
        return new
    current = answers.get(question.id)
    opt = question.option(current) if current is not None else None
    base = opt.points if opt is not None else -1
    better = [o for o in question.options if o.points > base]
    if not better:
        return None
    new[question.id] = better[index % len(better)].id
    return new


@settings(max_examples=60, deadline=None)
@given(answers=dbi_answer_sets(), index=st.integers(min_value=0, max_value=10_000))
def test_raising_one_answer_never_lowers_a_level(answers: dict[str, str], index: int) -> None:
    q = load_dbi()
    assert check_answers(q, answers) == []
    before = score(q, answers)

    # the engine agrees with an independent reading of the rules
    levels = []
    for pillar, ps in zip(q.pillars, before.pillars, strict=True):
        pts = sum(oracle_criterion_level(q, k, answers) * k.multiplier for k in pillar.criteria)
        assert ps.points == pts
        assert ps.level == domain_pillar_level(pts, pillar.max_points)
        levels.append(ps.level)
        # pulled down: criteria below the next level, most points lost first, then file order
        target = min(ps.level + 1, 5)
        crits = list(ps.criteria)
        expected = sorted(
            (c for c in crits if c.level < target),
            key=lambda c: (-(c.max_points - c.points), crits.index(c)),
        )
        assert ps.pulled_down == tuple(c.criterion_id for c in expected)
    assert before.total == sum(p.points for p in before.pillars)
    assert before.overall_level == domain_overall(before.total, levels)

    raised = raise_one(q, answers, index)
    if raised is None:
        return
    after = score(q, raised)
    assert after.total >= before.total
    assert after.overall_level >= before.overall_level
    for b, a in zip(before.pillars, after.pillars, strict=True):
        assert a.points >= b.points
        assert a.level >= b.level


def test_scorer_and_cached_score_give_the_rule_s_figures(dbi: Questionnaire) -> None:
    pillar = dbi.pillar("operations")
    assert pillar is not None
    answers = pillar_answers(pillar, 40)
    # 40 of 65 = 61.538… % → 61.5, level 4 (> 60 %); 40 of 320 in all = 12.5 %
    for result in (Scorer(dbi).score(answers), score(dbi, answers), score(dbi, answers)):
        p = result.pillar("operations")
        assert (p.points, p.max_points, p.percent, p.level) == (40, 65, 61.5, 4)
        assert (result.total, result.max_total, result.percent) == (40, 320, 12.5)
        assert result.questionnaire_version == "2021.1"


# --- purity ------------------------------------------------------------------------------------


def test_pure_cores_import_neither_flask_nor_sqlalchemy() -> None:
    code = (
        "import sys\n"
        "import sme_assess.questionnaire, sme_assess.scoring, sme_assess.recommend\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"loaded: {proc.stdout.strip()}"


def test_score_snapshot_dict(dbi: Questionnaire) -> None:
    """The JSON shape stored with every submitted assessment and printed by the CLI."""
    strategy = dbi.pillar("strategy")
    assert strategy is not None
    data = score(dbi, pillar_answers(strategy, 15)).to_dict()
    assert (data["questionnaire"], data["version"]) == ("dbi-2021-sme", "2021.1")
    assert (data["total"], data["max_total"], data["overall_level"]) == (15, 320, 0)
    assert [p["id"] for p in data["pillars"]] == [
        "customer",
        "strategy",
        "infrastructure",
        "operations",
        "culture",
        "data",
    ]
    # one criterion × 5: level 3 is 15 of 25 points, 60 % → level 3; it holds the pillar back
    assert data["pillars"][1] == {
        "id": "strategy",
        "points": 15,
        "max": 25,
        "percent": 60.0,
        "level": 3,
        "pulled_down": ["c2_1_1"],
        "criteria": [{"id": "c2_1_1", "code": "2.1.1", "level": 3, "points": 15, "max": 25}],
    }
    customer = data["pillars"][0]
    assert (customer["points"], customer["max"], customer["percent"], customer["level"]) == (
        0,
        65,
        0.0,
        0,
    )
    assert customer["criteria"][0] == {
        "id": "c1_1_1",
        "code": "1.1.1",
        "level": 0,
        "points": 0,
        "max": 5,
    }
    assert len(customer["criteria"]) == 13 and len(customer["pulled_down"]) == 13


def test_unknown_pillar_or_criterion_is_named(dbi: Questionnaire) -> None:
    result = score(dbi, {})
    with pytest.raises(KeyError, match="no-such-pillar"):
        result.pillar("no-such-pillar")
    with pytest.raises(KeyError, match="c9_9_9"):
        result.criterion("c9_9_9")


def test_answer_error_lists_its_problems() -> None:
    from sme_assess.scoring import AnswerError

    err = AnswerError(["unknown question 'x'", "question 'y' takes a number, not 'z'"])
    assert err.problems == ["unknown question 'x'", "question 'y' takes a number, not 'z'"]
    assert str(err) == "unknown question 'x'; question 'y' takes a number, not 'z'"


# --- one criterion that mixes every question type, in an order that matters ---------------------


@pytest.fixture(scope="module")
def mixed_q() -> Questionnaire:
    """One criterion, in this order: a yes/no gate worth 1 on "yes"; a choice shown after
    "yes" (0 or 1); a choice always shown (0 or 2); a number (bands 0 → 0, 1–9 → 1, 10–99 → 3);
    several tools (2 each, capped at 3). Its points can add up past level 5: the level caps."""
    criterion = {
        "id": "k_mix",
        "code": "1.1.1",
        "official_text": "Hỗn hợp",
        "title": t("mixed"),
        "questions": [
            {"id": "g", "type": "yes_no", "yes_points": 1, "no_points": 0, "text": t("Có?")},
            {
                "id": "d",
                "type": "single",
                "show_if": {"question": "g", "equals": "yes"},
                "text": t("Chi tiết?"),
                "options": [
                    {"id": "d0", "points": 0, "text": t("0")},
                    {"id": "d1", "points": 1, "text": t("1")},
                ],
            },
            {
                "id": "x",
                "type": "single",
                "text": t("Luôn hỏi?"),
                "options": [
                    {"id": "x0", "points": 0, "text": t("0")},
                    {"id": "x2", "points": 2, "text": t("2")},
                ],
            },
            {
                "id": "n",
                "type": "number",
                "min": 0,
                "max": 99,
                "text": t("Bao nhiêu?"),
                "bands": [
                    {"min": 0, "max": 0, "points": 0},
                    {"min": 1, "max": 9, "points": 1},
                    {"min": 10, "max": 99, "points": 3},
                ],
            },
            {
                "id": "m",
                "type": "multiple",
                "cap": 3,
                "text": t("Công cụ?"),
                "options": [
                    {"id": "a", "points": 2, "text": t("A")},
                    {"id": "b", "points": 2, "text": t("B")},
                ],
            },
        ],
    }
    return build([("mix", [criterion])], "mixed")


@pytest.mark.parametrize(
    ("answers", "level", "answered"),
    [
        ({}, 0, False),
        ({"g": "yes"}, 1, True),
        ({"g": "yes", "d": "d1"}, 2, True),
        # d hidden by "no": its kept answer counts nothing, and x after it still counts
        ({"g": "no", "d": "d1", "x": "x2"}, 2, True),
        # g unanswered: d hidden; the later questions still count
        ({"x": "x2", "n": 5}, 3, True),
        ({"n": 10}, 3, True),
        ({"n": 10, "m": ["a"]}, 5, True),  # 3 + 2
        ({"x": "x2", "m": ["a", "b"]}, 5, True),  # 2 + min(3, 4)
        ({"m": ["a", "no-such-tool"]}, 2, True),  # an unknown tool counts nothing
        ({"g": "yes", "d": "d1", "x": "x2", "n": 50, "m": ["a", "b"]}, 5, True),  # 10 → 5
        ({"g": "yes", "x": "x0", "n": 0}, 1, True),
        # answers of the wrong kind (not checked first) score 0 rather than fail
        ({"x": "no-such-option"}, 0, True),
        ({"m": "a"}, 0, True),
        ({"n": "12"}, 0, True),
        ({"n": True}, 0, True),
        ({"n": 9.5}, 0, True),  # in no band
    ],
)
def test_mixed_criterion(
    mixed_q: Questionnaire, answers: dict[str, Any], level: int, answered: bool
) -> None:
    c = score(mixed_q, answers).criterion("k_mix")
    assert (c.level, c.points, c.max_points) == (level, level, 5)
    assert c.answered is answered


@pytest.fixture(scope="module")
def chain_q() -> Questionnaire:
    """One criterion, in this order: a gate p (1 on "yes"); c (1 on "yes"), shown after p
    "yes"; g (0 or 1), shown after c "yes" (a chain); tools m (1 each, capped at 2); o (0 or
    1), shown when tool "a" is among the tools; t (0 or 1), always shown, last."""
    yes_no = {"type": "yes_no", "yes_points": 1, "no_points": 0}
    criterion = {
        "id": "k_chain",
        "code": "1.1.1",
        "official_text": "Chuỗi",
        "title": t("chain"),
        "questions": [
            {"id": "p", **yes_no, "text": t("P?")},
            {"id": "c", **yes_no, "show_if": {"question": "p", "equals": "yes"}, "text": t("C?")},
            {
                "id": "g",
                "type": "single",
                "show_if": {"question": "c", "equals": "yes"},
                "text": t("G?"),
                "options": [
                    {"id": "g0", "points": 0, "text": t("0")},
                    {"id": "g1", "points": 1, "text": t("1")},
                ],
            },
            {
                "id": "m",
                "type": "multiple",
                "cap": 2,
                "text": t("M?"),
                "options": [
                    {"id": "a", "points": 1, "text": t("A")},
                    {"id": "b", "points": 1, "text": t("B")},
                ],
            },
            {
                "id": "o",
                "type": "single",
                "show_if": {"question": "m", "in": ["a"]},
                "text": t("O?"),
                "options": [
                    {"id": "o0", "points": 0, "text": t("0")},
                    {"id": "o1", "points": 1, "text": t("1")},
                ],
            },
            {
                "id": "t",
                "type": "single",
                "text": t("T?"),
                "options": [
                    {"id": "t0", "points": 0, "text": t("0")},
                    {"id": "t1", "points": 1, "text": t("1")},
                ],
            },
        ],
    }
    return build([("chain", [criterion])], "chain")


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        # p "no" hides c, and so g (its parent c is hidden); t, after them, still counts
        ({"p": "no", "c": "yes", "g": "g1", "t": "t1"}, 1),
        # c "no" hides g; p and t count
        ({"p": "yes", "c": "no", "g": "g1", "t": "t1"}, 2),
        # tool "b" only: o hidden (its parent's tools do not include "a"); m and t count
        ({"m": ["b"], "o": "o1", "t": "t1"}, 2),
        # tool "a": o shown
        ({"m": ["a"], "o": "o1", "t": "t1"}, 3),
        # everything shown: 1 + 1 + 1 + 2 + 1 + 1 = 7, capped at level 5
        ({"p": "yes", "c": "yes", "g": "g1", "m": ["a", "b"], "o": "o1", "t": "t1"}, 5),
        ({"p": "yes", "c": "yes", "g": "g1"}, 3),
    ],
)
def test_a_hidden_question_does_not_stop_the_criterion(
    chain_q: Questionnaire, answers: dict[str, Any], level: int
) -> None:
    assert score(chain_q, answers).criterion("k_chain").level == level


def test_points_per_level_other_than_one() -> None:
    # two points per level: a ×3 criterion at level 4 is 4 × 3 × 2 = 24 of 30, a plain one at
    # level 1 is 2 of 10; the pillar 26 of 40 = 65 % (> 60: level 4)
    q = build([("w", [level_criterion("a", multiplier=3), level_criterion("b")])], "lp2", 2)
    r = score(q, {"q_a": "l4", "q_b": "l1"})
    a, b = r.criterion("a"), r.criterion("b")
    assert (a.level, a.points, a.max_points) == (4, 24, 30)
    assert (b.level, b.points, b.max_points) == (1, 2, 10)
    p = r.pillar("w")
    assert (p.points, p.max_points, p.percent, p.level) == (26, 40, 65.0, 4)
    assert p.pulled_down == ("b", "a")  # 8 and 6 points lost


def test_blank_answers_are_missing(features_q: Questionnaire) -> None:
    # "", [] and None all count as not answered; "0" and 0 are answers
    assert missing_answers(features_q, {"m": [], "s": "", "n": None, "g": "no"}) == ["m", "s", "n"]
    assert missing_answers(features_q, {"m": ["a"], "s": "x0", "n": 0, "g": "no"}) == []


@pytest.mark.parametrize(
    ("value", "bound", "above"),
    [
        (21, Fraction(41, 2), True),  # 21 > 20.5
        (20, Fraction(41, 2), False),
        (20, Fraction(20), False),  # strict
        (21, Fraction(20), True),
        (7, Fraction(20, 3), True),  # 7 > 6.67
        (6, Fraction(20, 3), False),
    ],
)
def test_exceeds_is_exact(value: int, bound: Fraction, above: bool) -> None:
    from sme_assess.scoring.levels import exceeds

    assert exceeds(value, bound) is above


@pytest.mark.parametrize(
    ("points", "max_points", "percent"),
    [
        (0, 0, 0.0),
        (0, 5, 0.0),
        (1, 1, 100.0),  # a one-point maximum
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 8, 12.5),
        (1, 16, 6.3),
        (5, 5, 100.0),
    ],
)
def test_percent_half_up(points: int, max_points: int, percent: float) -> None:
    from sme_assess.scoring.engine import percent_half_up

    assert percent_half_up(points, max_points) == percent


def test_pillar_level_with_fractional_bounds() -> None:
    from sme_assess.questionnaire.model import PillarBand
    from sme_assess.scoring.levels import pillar_level

    # level 1 above 12.5 %, level 2 from 37.5 % (inclusive)
    bands = (PillarBand(1, Fraction(25, 2)), PillarBand(2, Fraction(75, 2), inclusive=True))
    assert pillar_level(1, 8, bands) == 0  # exactly 12.5 %: not above
    assert pillar_level(2, 8, bands) == 1  # 25 %
    assert pillar_level(3, 8, bands) == 2  # exactly 37.5 %: inclusive


def test_points_tables_of_yes_no_and_choices(mixed_q: Questionnaire) -> None:
    from sme_assess.scoring.engine import _points_table

    gate, detail = mixed_q.question("g"), mixed_q.question("d")
    assert gate is not None and detail is not None
    assert _points_table(gate) == {"yes": 1, "no": 0}
    assert _points_table(detail) == {"d0": 0, "d1": 1}


def test_scores_of_two_questionnaires_with_the_same_id_are_not_mixed() -> None:
    one = build([simple_pillar("p", 1)], "twin")
    two = build([simple_pillar("p", 2)], "twin")  # same id and version, another file
    assert (one.id, one.version) == (two.id, two.version)
    assert score(one, fill("p", 1, 5)).max_total == 5
    assert score(two, fill("p", 2, 5)).max_total == 10
    assert score(one, fill("p", 1, 5)).max_total == 5
