"""Recommendations: gaps, ranking, suitability, phasing, reasons, expected gains.

The rules are in `sme_assess.recommend.engine`'s docstring. These tests use a small questionnaire
built here in code and the catalogue `tests/fixtures/catalog/valid.yaml`, so they do not depend
on the real files; `test_real_files_*` run the real questionnaire and catalogue.
"""

from __future__ import annotations

import ast
import json
import random
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sme_assess.questionnaire import (
    Questionnaire,
    load_questionnaire,
    parse_questionnaire,
    visible_question_ids,
)
from sme_assess.recommend import (
    BUSINESS_TYPES,
    INDUSTRY_SECTIONS,
    PHASES,
    SIZES,
    Catalog,
    Profile,
    load_catalog,
    parse_catalog,
    pillar_level,
    plan_to_dict,
    recommend,
)
from sme_assess.scoring import Scorer, check_answers

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
REAL_QUESTIONNAIRE = ROOT / "questionnaires" / "dbi-2021-sme.yaml"
REAL_CATALOG = ROOT / "sme_assess" / "data" / "platforms.yaml"


# --- a small questionnaire, built in code ------------------------------------------------------


def _t(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


def _gated(code: str, vi: str, en: str, multiplier: int = 1) -> dict[str, Any]:
    """A yes/no gate `q<code>_has` and, after "yes", `q<code>_level` with options l1..l5."""
    key = code.replace(".", "_")
    crit: dict[str, Any] = {
        "id": f"c{key}",
        "code": code,
        "official_text": f"Tiêu chí {code}: {vi}",
        "title": _t(vi, en),
        "questions": [
            {
                "id": f"q{key}_has",
                "type": "yes_no",
                "text": _t(f"Doanh nghiệp có dùng {vi} không?", f"Does the business use {en}?"),
            },
            {
                "id": f"q{key}_level",
                "type": "single",
                "show_if": {"question": f"q{key}_has", "equals": "yes"},
                "text": _t(f"Mức độ dùng {vi}?", f"How far does the business use {en}?"),
                "options": [
                    {"id": f"l{n}", "points": n, "text": _t(f"{vi}: mức {n}", f"{en}: level {n}")}
                    for n in range(1, 6)
                ],
            },
        ],
    }
    if multiplier != 1:
        crit["multiplier"] = multiplier
    return crit


def _banded(code: str, vi: str, en: str) -> dict[str, Any]:
    """One single-choice question `q<code>_band` with options l0..l5 (a share asked as bands)."""
    key = code.replace(".", "_")
    return {
        "id": f"c{key}",
        "code": code,
        "official_text": f"Tỷ lệ {vi}",
        "title": _t(vi, en),
        "bands_source": "sme-assess",
        "questions": [
            {
                "id": f"q{key}_band",
                "type": "single",
                "text": _t(f"Khoảng bao nhiêu phần {vi}?", f"About what share of {en}?"),
                "options": [
                    {"id": f"l{n}", "points": n, "text": _t(f"{vi}: khoảng {n}", f"{en}: band {n}")}
                    for n in range(6)
                ],
            }
        ],
    }


PILLAR_CRITERIA: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    (
        "customer",
        "1",
        "Khách hàng",
        [
            _gated("1.1.1", "website", "a website"),
            _banded("1.1.5", "doanh thu trực tuyến", "online revenue"),
            _gated("1.2.3", "ngân hàng trực tuyến", "online banking"),
        ],
    ),
    (
        "strategy",
        "2",
        "Chiến lược",
        [
            _gated("2.1.1", "kế hoạch chuyển đổi số", "a digital plan", multiplier=5),
        ],
    ),
    (
        "infrastructure",
        "3",
        "Hạ tầng",
        [
            _banded("3.2.3", "hóa đơn điện tử", "e-invoices"),
            _gated("3.2.5", "điện toán đám mây", "cloud services"),
            _gated("3.2.6", "phần mềm quản trị", "management software"),
            _gated("3.2.7", "phần mềm khách hàng", "customer software"),
        ],
    ),
    (
        "operations",
        "4",
        "Vận hành",
        [
            _gated("4.1.1", "quản lý bán hàng số", "digital sales management"),
            _banded("4.2.5", "nhân viên được đào tạo", "staff trained"),
        ],
    ),
    ("culture", "5", "Văn hóa", [_gated("5.1.1", "kỹ năng số", "digital skills")]),
    (
        "data",
        "6",
        "Dữ liệu",
        [
            _gated("6.1.1", "dữ liệu chung", "shared data"),
            _banded("6.1.4", "nhân viên dùng dữ liệu", "staff using data"),
        ],
    ),
]


def mini_questionnaire_data() -> dict[str, Any]:
    pillars = []
    total = 0
    for pid, code, vi, crits in PILLAR_CRITERIA:
        pmax = sum(5 * c.get("multiplier", 1) for c in crits)
        total += pmax
        pillars.append(
            {
                "id": pid,
                "code": code,
                "title": _t(vi, pid.capitalize()),
                "max_points": pmax,
                "components": [
                    {
                        "id": f"{pid}_main",
                        "code": f"{code}.1",
                        "title": _t(vi, pid.capitalize()),
                        "max_points": pmax,
                        "criteria": crits,
                    }
                ],
            }
        )
    names = ["Chưa khởi động", "Khởi động", "Bắt đầu", "Hình thành", "Nâng cao", "Dẫn dắt"]
    names_en = ["Not started", "Starting", "Beginning", "Forming", "Advanced", "Leading"]
    return {
        "id": "mini-sme",
        "version": "1",
        "title": _t("Bộ câu hỏi thử", "Test questionnaire"),
        "scoring": {
            "level_points": 1,
            "max_total": total,
            "pillar_bands": [
                {"level": 0, "above": 0, "inclusive": True},
                {"level": 1, "above": 10, "inclusive": True},
                {"level": 2, "above": 20},
                {"level": 3, "above": 40},
                {"level": 4, "above": 60},
                {"level": 5, "above": 80},
            ],
            "overall_rules": [
                {
                    "level": n,
                    "total_above": total * t // 320,
                    "pillars_at_least": k,
                    "pillar_level": n,
                }
                for n, t, k in [(1, 20, 4), (2, 64, 4), (3, 128, 4), (4, 192, 5)]
            ]
            + [
                {
                    "level": 5,
                    "total_above": total * 256 // 320,
                    "pillars_at_least": "all",
                    "pillar_level": 5,
                }
            ],
        },
        "levels": [
            {"level": n, "name": _t(names[n], names_en[n]), "description": _t("…", "…")}
            for n in range(6)
        ],
        "pillars": pillars,
    }


Q = parse_questionnaire(mini_questionnaire_data(), "mini-sme.yaml")
CATALOG = load_catalog(FIXTURES / "valid.yaml", {c.id for c in Q.criteria})
SCORER = Scorer(Q)


def answers_at(levels: dict[str, int], default: int = 0, q: Questionnaire = Q) -> dict[str, Any]:
    """Answers giving each criterion the level in `levels` (criterion id → 0..5), else
    `default`."""
    out: dict[str, Any] = {}
    for crit in q.criteria:
        level = levels.get(crit.id, default)
        for question in crit.questions:
            if question.id.endswith("_has"):
                out[question.id] = "yes" if level else "no"
            elif question.id.endswith("_level"):
                if level:
                    out[question.id] = f"l{level}"
            else:
                out[question.id] = f"l{level}"
    return out


def plan_for(
    answers: dict[str, Any], profile: Profile, catalog: Catalog = CATALOG, **kw: Any
) -> Any:
    assert check_answers(Q, answers) == []
    return recommend(Q, SCORER.score(answers), answers, profile, catalog, **kw)


SHOP_HOUSEHOLD = Profile("micro", "G", "household")
SHOP_ENTERPRISE = Profile("micro", "G", "enterprise")

# A small shop: website rarely updated, some online sales, online banking weekly, sales app,
# staff share data a little — but no e-invoice at all.
SHOP_LEVELS = {
    "c1_1_1": 2,
    "c1_1_5": 2,
    "c1_2_3": 4,
    "c2_1_1": 2,
    "c3_2_3": 0,
    "c3_2_5": 2,
    "c3_2_6": 2,
    "c3_2_7": 1,
    "c4_1_1": 3,
    "c4_2_5": 1,
    "c5_1_1": 2,
    "c6_1_1": 2,
    "c6_1_4": 1,
}


# --- table-driven scenarios --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "levels"),
    [
        pytest.param(SHOP_HOUSEHOLD, SHOP_LEVELS, id="household-shop"),
        pytest.param(SHOP_ENTERPRISE, SHOP_LEVELS, id="enterprise-shop"),
        pytest.param(SHOP_ENTERPRISE, {}, id="enterprise-shop-nothing-digital"),
    ],
)
def test_micro_retail_shop_without_e_invoice_gets_one_in_first_phase(
    profile: Profile, levels: dict[str, int]
) -> None:
    plan = plan_for(answers_at(levels), profile)
    first = plan.phases[0]
    assert first.id == "0-3"
    e_invoices = [r for r in first.recommendations if r.category.id == "e_invoice"]
    assert len(e_invoices) == 1
    rec = e_invoices[0]
    assert rec.platform.id == "einv-a"  # einv-big suits neither micro firms nor households
    assert "c3_2_3" in rec.gap.criteria
    assert rec.triggered_by[0].question_id == "q3_2_3_band"
    if profile.business_type == "enterprise":
        assert rec.gap.basic and rec.reason_data.kind == "basic"
        assert first.recommendations[0] is rec  # the only missing basic comes first


@pytest.mark.parametrize(
    ("levels", "default", "most"),
    [
        pytest.param({}, 5, 0, id="all-level-5"),
        pytest.param({}, 4, 0, id="all-level-4"),
        pytest.param({"c3_2_3": 5, "c2_1_1": 5}, 4, 0, id="levels-4-and-5"),
        # one criterion at 3 that pulls its pillar down: at most the platforms working on it
        pytest.param({"c3_2_5": 3}, 4, 1, id="one-weak-spot"),
    ],
)
def test_firm_strong_everywhere_gets_few_or_none(
    levels: dict[str, int], default: int, most: int
) -> None:
    plan = plan_for(answers_at(levels, default), Profile("small", "C", "enterprise"))
    assert len(plan.recommendations) <= most
    assert all(g.level >= 3 for g in plan.gaps)


def test_gap_rule_levels() -> None:
    """Level ≤ 2 is a gap; 3 only when pulled down; 4 and 5 never; unanswered never."""
    levels = {"c1_1_1": 2, "c1_1_5": 3, "c1_2_3": 4, "c6_1_1": 3, "c6_1_4": 0}
    answers = answers_at(levels, default=5)
    del answers["q5_1_1_has"]  # culture left unanswered
    result = SCORER.score(answers)
    # customer 9/15 = 60% → level 3, so 1.1.5 at level 3 keeps it from level 4 (pulled down);
    # data 3/10 = 30% → level 2, so 6.1.1 at level 3 is not what holds it back
    assert "c1_1_5" in result.pillar("customer").pulled_down
    assert "c6_1_1" not in result.pillar("data").pulled_down
    gaps = {g.criterion_id for g in plan_for(answers, SHOP_ENTERPRISE).gaps}
    assert gaps == {"c1_1_1", "c1_1_5", "c6_1_4"}


def test_gap_weight_formula() -> None:
    answers = answers_at(SHOP_LEVELS)
    result = SCORER.score(answers)
    plan = plan_for(answers, SHOP_ENTERPRISE)
    for g in plan.gaps:
        ps = result.pillar(g.pillar_id)
        cs = result.criterion(g.criterion_id)
        expected = cs.lost * Fraction(ps.max_points, result.max_total) + Fraction(
            ps.max_points - ps.points, ps.max_points
        )
        if g.criterion_id in ps.pulled_down:
            expected *= Fraction(5, 4)
        assert g.weight == expected
    weights = [g.weight for g in plan.gaps]
    assert weights == sorted(weights, reverse=True)


def test_unsuitable_platform_never_recommended_even_when_best() -> None:
    # einv-big: verified and 12 months free, but only for small+ enterprises
    for profile in (SHOP_HOUSEHOLD, SHOP_ENTERPRISE, Profile("small", "G", "cooperative")):
        plan = plan_for(answers_at({}), profile)
        assert "einv-big" not in {r.platform.id for r in plan.recommendations}
    plan = plan_for(answers_at({}), Profile("small", "G", "enterprise"))
    assert "einv-big" in {r.platform.id for r in plan.recommendations}


def test_industry_limits_respected() -> None:
    plan = plan_for(answers_at({}), Profile("micro", "C", "household"))  # manufacturing
    ids = {r.platform.id for r in plan.recommendations}
    assert not ids & {"pos-retail", "shop-retail"}
    pos = [r for r in plan.recommendations if r.category.id == "pos_sales"]
    assert [r.platform.id for r in pos] in ([], ["pos-any"])


def test_one_platform_per_category_unless_allowed() -> None:
    profile = Profile("small", "G", "enterprise")
    plan = plan_for(answers_at({}), profile)
    cats = Counter(r.category.id for r in plan.recommendations)
    assert max(cats.values()) == 1
    plan2 = plan_for(answers_at({}), profile, allow_same_category=True)
    cats2 = Counter(r.category.id for r in plan2.recommendations)
    assert max(cats2.values()) == 2  # both e-invoice platforms suit a small enterprise
    for ph in plan2.phases:
        assert len(ph.recommendations) <= 3


def test_phases_basics_first_integrative_later() -> None:
    plan = plan_for(answers_at({}), Profile("small", "G", "enterprise"))
    assert [ph.id for ph in plan.phases] == list(PHASES)
    assert [(ph.start_month, ph.end_month) for ph in plan.phases] == [(0, 3), (3, 6), (6, 12)]
    assert plan.phases[0].recommendations[0].gap.basic
    for rec in plan.recommendations:
        if rec.category.id == "erp":  # 4 criteria + 3 pillars: an integrative suite
            assert rec.phase == "6-12"
        if rec.category.id == "bi":  # the catalogue's `phase: "3-6"`
            assert rec.phase in ("3-6", "6-12")
    assert all(len(ph.recommendations) <= 3 for ph in plan.phases)
    # within the plan, recommendations keep their rank order inside each phase
    for ph in plan.phases:
        ranks = [r.rank for r in ph.recommendations]
        assert ranks == sorted(ranks)


def test_basic_only_for_listed_types() -> None:
    """e_invoice is basic for enterprises and cooperatives only (as in the real catalogue: a
    household's duty depends on its revenue): a household with nothing digital still gets an
    e-invoice platform, ranked with the other gaps rather than first."""
    answers = answers_at({})
    household = plan_for(answers, SHOP_HOUSEHOLD)
    assert not any(r.gap.basic for r in household.recommendations)
    assert "einv-a" in {r.platform.id for r in household.recommendations}
    coop = plan_for(answers, Profile("medium", "A", "cooperative"))
    assert [r.category.id for r in coop.recommendations if r.gap.basic] == ["e_invoice"]


def test_ranking_prefers_free_period_and_industry_on_equal_gaps() -> None:
    # pos-retail (lists section G, 3 months free) against pos-any (all industries, 1 month)
    plan = plan_for(answers_at({}), SHOP_HOUSEHOLD)
    pos = [r for r in plan.recommendations if r.category.id == "pos_sales"]
    assert [r.platform.id for r in pos] == ["pos-retail"]


# --- reasons and the answers that triggered them -----------------------------------------------


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_reason_cites_the_owners_own_answers(locale: str) -> None:
    answers = answers_at(SHOP_LEVELS)
    plan = plan_for(answers, SHOP_HOUSEHOLD, locale=locale)
    assert plan.recommendations
    visible = visible_question_ids(Q, answers)
    for rec in plan.recommendations:
        assert rec.triggered_by
        for t in rec.triggered_by:
            question = Q.question(t.question_id)
            assert question is not None and t.question_id in visible
            assert t.question_id in answers
            assert t.criterion_id in rec.gap.criteria
            assert t.question(locale) == question.text.get(locale)
        cited = rec.reason_data.citations
        assert cited and set(cited) <= set(rec.triggered_by)
        for t in cited:
            assert t.answer(locale) in rec.reason
            assert t.criterion(locale) in rec.reason  # the topic, as context for the answer


def test_reason_text_examples() -> None:
    answers = answers_at(SHOP_LEVELS)
    vi = plan_for(answers, SHOP_ENTERPRISE, locale="vi")
    en = plan_for(answers, SHOP_ENTERPRISE, locale="en")
    rec_vi = next(r for r in vi.recommendations if r.category.id == "e_invoice")
    rec_en = next(r for r in en.recommendations if r.category.id == "e_invoice")
    assert rec_vi.reason.startswith(
        "Về “hóa đơn điện tử”, bạn trả lời “hóa đơn điện tử: khoảng 0”. "
        "Hóa đơn điện tử là công cụ cơ bản nên có trước tiên."
    )
    assert "Invoice A có thể được dùng miễn phí 6 tháng." in rec_vi.reason
    assert rec_en.reason.startswith(
        "On “e-invoices” you answered “e-invoices: band 0”. "
        "E-invoice is a basic tool to put in place first."
    )
    training = next(r for r in en.recommendations if r.category.id == "training")
    assert training.reason == (
        "On “staff trained” you answered “staff trained: band 1”; on “digital skills”, "
        "“digital skills: level 2”. Online training can improve the “Operations” pillar (now at "
        "level 2 – Beginning). If the related criteria reach at least level 3, the pillar could "
        "rise to level 3 – Forming."  # no free period: no sentence about it
    )
    # the structured data re-renders in the other locale
    assert plan_to_dict(vi, "en")["phases"] == plan_to_dict(en, "en")["phases"]


def test_hidden_answers_are_not_cited() -> None:
    answers = answers_at(SHOP_LEVELS)
    answers["q3_2_6_has"] = "no"
    answers["q3_2_6_level"] = "l5"  # kept by the form but hidden: it must not be cited
    plan = plan_for(answers, SHOP_ENTERPRISE)
    for rec in plan.recommendations:
        assert "q3_2_6_level" not in {t.question_id for t in rec.triggered_by}
    cited = [t for r in plan.recommendations for t in r.triggered_by if t.criterion_id == "c3_2_6"]
    assert cited and all(t.answer("vi") == "Không" for t in cited)


# --- expected gains: recomputed with the scorer's rules ----------------------------------------


def test_expected_gain_matches_rescoring() -> None:
    answers = answers_at(SHOP_LEVELS)
    plan = plan_for(answers, SHOP_ENTERPRISE)
    assert plan.recommendations
    gap_by_id = {g.criterion_id: g for g in plan.gaps}
    for rec in plan.recommendations:
        raised = dict(SHOP_LEVELS)
        for cid in rec.gap.criteria:
            raised[cid] = gap_by_id[cid].target_level
        rescored = SCORER.score(answers_at(raised))
        for gain in rec.gains:
            ps = rescored.pillar(gain.pillar_id)
            assert gain.points_after == ps.points
            assert gain.level_after == ps.level
            assert gain.points == ps.points - SCORER.score(answers).pillar(gain.pillar_id).points
        assert rec.gain.pillar_id == rec.gap.pillar_id


def test_strategy_gain_uses_the_multiplier() -> None:
    plan = plan_for(answers_at({"c2_1_1": 1}, default=4), Profile("small", "M", "enterprise"))
    rec = next(r for r in plan.recommendations if r.category.id == "dx_advisory")
    assert rec.gain.points == (3 - 1) * 5
    assert (rec.gain.level_before, rec.gain.level_after) == (1, 3)


@given(st.lists(st.integers(0, 5), min_size=13, max_size=13))
@settings(max_examples=60, deadline=None)
def test_pillar_level_is_the_scorers_rule(levels: list[int]) -> None:
    answers = answers_at({c.id: lv for c, lv in zip(Q.criteria, levels, strict=True)})
    for ps in SCORER.score(answers).pillars:
        assert pillar_level(Q, ps.points, ps.max_points) == ps.level


# --- properties: suitability, phase sizes, determinism -----------------------------------------

_profiles = st.builds(
    Profile,
    size_class=st.sampled_from(SIZES),
    industry_section=st.sampled_from(INDUSTRY_SECTIONS),
    business_type=st.sampled_from(BUSINESS_TYPES),
)
_levels = st.dictionaries(st.sampled_from([c.id for c in Q.criteria]), st.integers(0, 5))


@st.composite
def _catalogs(draw: st.DrawFn) -> Catalog:
    """A random catalogue over the fixture's categories: random platforms, sizes, industries,
    business types, free months and criteria."""
    base = CATALOG
    platforms = []
    for i in range(draw(st.integers(1, 25))):
        cat = draw(st.sampled_from(base.categories))
        industries = draw(
            st.one_of(
                st.just("all"),
                st.lists(st.sampled_from(INDUSTRY_SECTIONS), min_size=1, max_size=4, unique=True),
            )
        )
        platforms.append(
            {
                "id": f"p{i:02d}",
                "name": f"P{i}",
                "provider": "X",
                "category": cat.id,
                "description": _t("Mô tả", "Description"),
                "pillars": list(cat.pillars),
                "criteria": draw(st.sampled_from([[], list(cat.criteria)])),
                "sizes": draw(st.lists(st.sampled_from(SIZES), min_size=1, unique=True)),
                "industries": industries,
                "business_types": draw(
                    st.lists(st.sampled_from(BUSINESS_TYPES), min_size=1, unique=True)
                ),
                "free_months": draw(st.integers(0, 12)),
                "offer": _t("Ưu đãi", "Offer"),
                "website": "https://example.vn",
                "source": "generated",
                "verified": False,
                "verified_on": None,
            }
        )
    return parse_catalog(
        {"version": "gen", "categories": _raw_categories(), "platforms": platforms},
        "generated.yaml",
        {c.id for c in Q.criteria},
    )


def _raw_categories() -> list[dict[str, Any]]:
    return list(yaml.safe_load((FIXTURES / "valid.yaml").read_text(encoding="utf-8"))["categories"])


@given(
    profile=_profiles,
    levels=_levels,
    default=st.integers(0, 5),
    catalog=_catalogs(),
    same=st.booleans(),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_property_only_suitable_platforms_and_at_most_three_per_phase(
    profile: Profile, levels: dict[str, int], default: int, catalog: Catalog, same: bool
) -> None:
    answers = answers_at(levels, default)
    plan = plan_for(answers, profile, catalog, allow_same_category=same)
    assert [ph.id for ph in plan.phases] == list(PHASES)
    for ph in plan.phases:
        assert len(ph.recommendations) <= 3
    recs = plan.recommendations
    for rec in recs:
        pf = rec.platform
        assert profile.size_class in pf.sizes
        assert profile.business_type in pf.business_types
        assert pf.industries is None or profile.industry_section in pf.industries
        assert rec.triggered_by and any(t.answer("vi") in rec.reason for t in rec.triggered_by)
        assert rec.phase == next(ph.id for ph in plan.phases if rec in ph.recommendations)
        assert set(rec.gap.criteria) <= {g.criterion_id for g in plan.gaps}
    if not same:
        assert len({r.category.id for r in recs}) == len(recs)
    assert len({r.platform.id for r in recs}) == len(recs)
    # basics first: a basic never sits in a later phase than a non-basic
    phase_of = {p: i for i, p in enumerate(PHASES)}
    basics = [phase_of[r.phase] for r in recs if r.gap.basic]
    others = [phase_of[r.phase] for r in recs if not r.gap.basic]
    if basics and others:
        assert max(basics) <= min(others)
    if basics:
        assert min(basics) == 0
    # deterministic, and independent of the catalogue's order
    assert plan_for(answers, profile, catalog, allow_same_category=same) == plan
    shuffled = _shuffled(catalog, seed=len(recs))
    again = plan_for(answers, profile, shuffled, allow_same_category=same)
    assert plan_to_dict(again) == plan_to_dict(plan)


def _shuffled(catalog: Catalog, seed: int) -> Catalog:
    rng = random.Random(seed)
    cats = list(catalog.categories)
    pfs = list(catalog.platforms)
    rng.shuffle(cats)
    rng.shuffle(pfs)
    return replace(catalog, categories=tuple(cats), platforms=tuple(pfs))


@pytest.mark.parametrize("seed", range(5))
def test_same_input_same_plan_and_catalogue_order_does_not_matter(seed: int) -> None:
    answers = answers_at(SHOP_LEVELS)
    profile = Profile("small", "G", "enterprise")
    a = plan_for(answers, profile)
    b = plan_for(answers, profile)
    assert a == b
    assert json.dumps(plan_to_dict(a)) == json.dumps(plan_to_dict(b))
    c = plan_for(answers, profile, _shuffled(CATALOG, seed))
    assert json.dumps(plan_to_dict(c)) == json.dumps(plan_to_dict(a))


def test_ties_broken_by_platform_id() -> None:
    raw = _raw_categories()
    twins = [
        {
            "id": pid,
            "name": pid.upper(),
            "provider": "X",
            "category": "cloud",
            "description": _t("a", "a"),
            "pillars": ["infrastructure"],
            "criteria": [],
            "sizes": list(SIZES),
            "industries": "all",
            "business_types": list(BUSINESS_TYPES),
            "free_months": 6,
            "offer": _t("a", "a"),
            "website": "https://x.vn",
            "source": "t",
            "verified": False,
            "verified_on": None,
        }
        for pid in ("zeta-cloud", "alpha-cloud", "mid-cloud")
    ]
    cat = parse_catalog({"version": "t", "categories": raw, "platforms": twins})
    plan = plan_for(answers_at({}), SHOP_HOUSEHOLD, cat)
    assert [r.platform.id for r in plan.recommendations] == ["alpha-cloud"]
    plan = plan_for(answers_at({}), SHOP_HOUSEHOLD, cat, allow_same_category=True)
    assert [r.platform.id for r in plan.recommendations] == [
        "alpha-cloud",
        "mid-cloud",
        "zeta-cloud",
    ]


# --- JSON and misuse ---------------------------------------------------------------------------


def test_plan_to_dict_is_json_ready() -> None:
    plan = plan_for(answers_at(SHOP_LEVELS), SHOP_ENTERPRISE)
    data = plan_to_dict(plan, "en")
    json.dumps(data)
    rec = data["phases"][0]["recommendations"][0]
    for key in (
        "platform",
        "name",
        "provider",
        "category",
        "phase",
        "reason",
        "triggered_by",
        "expected_gain",
        "free_months",
        "offer",
        "verified",
        "website",
    ):
        assert key in rec
    assert rec["platform"] == "einv-a" and rec["phase"] == "0-3"
    assert rec["offer"] == "Free for 6 months."
    assert rec["triggered_by"][0] == {
        "question": "q3_2_3_band",
        "criterion": "c3_2_3",
        "criterion_title": "e-invoices",
        "question_text": "About what share of e-invoices?",
        "answer_text": "e-invoices: band 0",
    }
    assert rec["expected_gain"]["pillar"] == "infrastructure"
    assert rec["expected_gain"]["points"] == 3
    assert data["profile"]["business_type"] == "enterprise"


def test_score_of_another_questionnaire_is_refused() -> None:
    other = parse_questionnaire({**mini_questionnaire_data(), "id": "other"}, "other.yaml")
    answers = answers_at({})
    with pytest.raises(ValueError, match="does not belong"):
        recommend(Q, Scorer(other).score(answers), answers, SHOP_ENTERPRISE, CATALOG)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size_class": "tiny"}, "unknown size class 'tiny'"),
        ({"industry_section": "Z"}, "unknown industry section 'Z'"),
        ({"business_type": "corporation"}, "unknown business type 'corporation'"),
    ],
)
def test_profile_is_validated(kwargs: dict[str, str], message: str) -> None:
    values = {"size_class": "micro", "industry_section": "G", "business_type": "household"}
    with pytest.raises(ValueError, match=message):
        Profile(**{**values, **kwargs})
    with pytest.raises(ValueError, match="'business_type' is required"):
        Profile.from_mapping({"size_class": "micro", "industry_section": "G"})


def test_recommend_core_is_pure() -> None:
    """No Flask, SQLAlchemy or click in the recommendation core (the CLI module may use click)."""
    package = ROOT / "sme_assess" / "recommend"
    for name in ("__init__.py", "catalog.py", "engine.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for m in modules:
                assert m.split(".")[0] not in ("flask", "sqlalchemy", "click"), (name, m)


# --- the real questionnaire and catalogue ------------------------------------------------------


def lowest_answers(q: Questionnaire) -> dict[str, Any]:
    """The "nothing digital yet" answers: "no" to every gate, the lowest option or band."""
    answers: dict[str, Any] = {}
    for question in q.iter_questions():
        if question.id not in visible_question_ids(q, answers):
            continue
        if question.type == "yes_no":
            answers[question.id] = "no"
        elif question.type == "single":
            answers[question.id] = min(question.options, key=lambda o: (o.points, o.id)).id
        elif question.type == "multiple":
            exclusive = [o for o in question.options if o.exclusive]
            pick = exclusive or sorted(question.options, key=lambda o: (o.points, o.id))
            answers[question.id] = [pick[0].id]
        else:
            band = min(question.bands, key=lambda b: b.low)
            answers[question.id] = float(band.low)
    return answers


def test_real_files_micro_retail_enterprise_without_e_invoice() -> None:
    q = load_questionnaire(REAL_QUESTIONNAIRE)
    catalog = load_catalog(REAL_CATALOG, {c.id for c in q.criteria})
    answers = lowest_answers(q)
    assert check_answers(q, answers) == []
    result = Scorer(q).score(answers)
    assert result.criterion("c3_2_3").level == 0
    for profile in (SHOP_ENTERPRISE, SHOP_HOUSEHOLD, Profile("medium", "C", "cooperative")):
        plan = recommend(q, result, answers, profile, catalog, locale="en")
        assert plan.recommendations
        for ph in plan.phases:
            assert len(ph.recommendations) <= 3
        for rec in plan.recommendations:
            assert rec.platform.suits(profile)
            assert any(t.answer("en") in rec.reason for t in rec.triggered_by)
        if profile.business_type == "enterprise":
            first = plan.phases[0].recommendations
            assert any("c3_2_3" in r.category.criteria for r in first), [
                r.platform.id for r in first
            ]
        assert plan == recommend(q, result, answers, profile, catalog, locale="en")


def highest_answers(q: Questionnaire) -> dict[str, Any]:
    """ "Everything digital" answers: "yes" to every gate, the best option or band."""
    answers: dict[str, Any] = {}
    for question in q.iter_questions():
        if question.id not in visible_question_ids(q, answers):
            continue
        if question.type == "yes_no":
            answers[question.id] = "yes" if question.yes_points >= question.no_points else "no"
        elif question.type == "single":
            answers[question.id] = max(question.options, key=lambda o: (o.points, o.id)).id
        elif question.type == "multiple":
            answers[question.id] = [o.id for o in question.options if not o.exclusive]
        else:
            band = max(question.bands, key=lambda b: b.points)
            answers[question.id] = float(band.low)
    return answers


def test_real_files_firm_strong_everywhere_gets_nothing() -> None:
    q = load_questionnaire(REAL_QUESTIONNAIRE)
    catalog = load_catalog(REAL_CATALOG, {c.id for c in q.criteria})
    answers = highest_answers(q)
    assert check_answers(q, answers) == []
    result = Scorer(q).score(answers)
    assert all(c.level >= 4 for p in result.pillars for c in p.criteria)
    for profile in (SHOP_ENTERPRISE, Profile("large", "C", "enterprise")):
        plan = recommend(q, result, answers, profile, catalog)
        assert plan.recommendations == ()


def test_real_files_enterprise_without_e_invoice_gets_it_as_a_basic_first() -> None:
    """With the shipped questionnaire and catalogue: an enterprise that answers only "no
    e-invoices" (nothing on electronic records, which the category also lists) is missing a
    basic, and its first phase starts with an e-invoice platform."""
    q = load_questionnaire(REAL_QUESTIONNAIRE)
    catalog = load_catalog(REAL_CATALOG, {c.id for c in q.criteria})
    crit = q.criterion("c3_2_3")
    assert crit is not None
    band = crit.questions[0]
    none_option = min(band.options, key=lambda o: o.points)
    answers = {band.id: none_option.id}
    profile = Profile(size_class="micro", industry_section="G", business_type="enterprise")
    plan = recommend(q, Scorer(q).score(answers), answers, profile, catalog)
    first = plan.phases[0]
    assert first.id == "0-3"
    e_invoice = [r for r in first.recommendations if r.category.id == "e_invoice"]
    assert len(e_invoice) == 1 and e_invoice[0].gap.basic
    assert first.recommendations[0].gap.basic  # basics come first
    assert none_option.text.get("vi") in e_invoice[0].reason
