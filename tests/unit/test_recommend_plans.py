"""Plan quality on realistic businesses: ``tests/plans/<business>/`` holds the owner's answers,
the profile and the expectations, written as rules by hand (``expect.yaml``). Rules checked for
every business, whatever its file says, are in `test_rules_for_every_business`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sme_assess.questionnaire import load_questionnaire, visible_question_ids
from sme_assess.recommend import PHASES, Plan, Profile, load_catalog, recommend, render_reason
from sme_assess.scoring import score

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "plans"
CASES = sorted(p.name for p in PLANS.iterdir() if (p / "expect.yaml").is_file())
Q = load_questionnaire(ROOT / "questionnaires" / "dbi-2021-sme.yaml")
CATALOG = load_catalog(ROOT / "sme_assess" / "data" / "platforms.yaml", {c.id for c in Q.criteria})


def _case(name: str) -> tuple[dict[str, Any], Profile, dict[str, Any]]:
    d = PLANS / name
    answers = json.loads((d / "answers.json").read_text(encoding="utf-8"))
    profile = Profile.from_mapping(json.loads((d / "profile.json").read_text(encoding="utf-8")))
    expect = yaml.safe_load((d / "expect.yaml").read_text(encoding="utf-8"))
    return answers, profile, expect


def _plan(name: str, locale: str = "vi") -> tuple[Plan, dict[str, Any], Profile, dict[str, Any]]:
    answers, profile, expect = _case(name)
    return (
        recommend(Q, score(Q, answers), answers, profile, CATALOG, locale=locale),
        answers,
        profile,
        expect,
    )


def test_the_set_covers_the_twelve_businesses() -> None:
    assert CASES == [
        "agri_coop",
        "coffee_roaster",
        "construction_firm",
        "garment_workshop",
        "homestay",
        "hotel",
        "household_grocery",
        "logistics_firm",
        "manufacturer_accounting",
        "pharmacy",
        "software_firm",
        "street_food",
    ]


@pytest.mark.parametrize("name", CASES)
def test_expectations(name: str) -> None:
    plan, _answers, _profile, expect = _plan(name)
    order = list(plan.categories())
    phase_of = {r.category.id: r.phase for r in plan.recommendations}
    kinds = {r.category.id: r.kind for r in plan.recommendations}
    for cid in expect.get("first", []):
        assert cid in order[: len(expect["first"])], (cid, order)
    for cid in expect.get("phase1", []):
        assert phase_of.get(cid) == "0-3", (cid, phase_of)
    for cid in expect.get("contains", []):
        assert cid in order, (cid, order)
    for cid in expect.get("not_contains", []):
        assert cid not in order, (cid, order)
    for a, b in expect.get("before", []):
        if b in order:
            assert a in order and order.index(a) < order.index(b), (a, b, order)
            assert PHASES.index(phase_of[a]) <= PHASES.index(phase_of[b])
    for cid, kind in expect.get("kinds", {}).items():
        assert kinds.get(cid) == kind, (cid, kinds)
    for cid, phase in expect.get("phase_at_most", {}).items():
        assert cid in phase_of and PHASES.index(phase_of[cid]) <= PHASES.index(phase), phase_of
    for cid, phase in expect.get("phase_at_least", {}).items():
        assert cid not in phase_of or PHASES.index(phase_of[cid]) >= PHASES.index(phase)
    for cid, ids in expect.get("alternatives_include", {}).items():
        rec = next(r for r in plan.recommendations if r.category.id == cid)
        assert set(ids) <= {p.id for p in rec.alternatives}, (cid, rec.alternatives)
    for cid in expect.get("later_criteria", []):
        assert CATALOG.is_later(cid, plan.profile)
        assert cid not in {g.criterion_id for g in plan.gaps}


@pytest.mark.parametrize("name", CASES)
def test_rules_for_every_business(name: str) -> None:
    plan, answers, profile, _expect = _plan(name)
    result = score(Q, answers)
    shown = visible_question_ids(Q, answers)
    needs = [r.category.need or r.category.id for r in plan.recommendations]
    # at most one product per need (never accounting now and ERP later)
    assert len(needs) == len(set(needs)), needs
    for ph in plan.phases:
        assert len(ph.recommendations) <= 3
    order = list(plan.categories())
    for rec in plan.recommendations:
        cat = rec.category
        assert CATALOG.fits(cat, profile), cat.id
        primary = result.criterion(cat.criteria[0])
        # nothing replaces a criterion at a good level; a tool in use is used more, not replaced
        assert primary.level < cat.good_level, cat.id
        if rec.kind == "use_more":
            assert primary.level >= 1 and rec.alternatives == ()
        else:
            assert primary.level == 0
            suitable = [p for p in CATALOG.platforms_in(cat.id) if p.suits(profile)]
            assert len(rec.alternatives) == min(4, len(suitable)) >= 1
            assert all(p.suits(profile) for p in rec.alternatives)
        # the gap criteria it works on, heaviest first (catalogue order on ties)
        weights = [g.weight for c in rec.gap_criteria for g in plan.gaps if g.criterion_id == c]
        assert weights == sorted(weights, reverse=True), (cat.id, rec.gap_criteria)
        # prerequisites first
        for pre in cat.requires:
            if pre.category in order and pre.fit.matches(profile, CATALOG.activities_of(profile)):
                assert order.index(pre.category) < order.index(cat.id), (pre.category, cat.id)
        # a cited answer is always one the owner was shown, and the reason quotes it
        for t in rec.reason_data.citations:
            assert t.question_id in shown and answers.get(t.question_id) is not None
            assert f"“{t.answer('vi')}”" in rec.reason
        # the subject of the reason's sentence is the action (or "Bạn" for "use what you have")
        body = re.sub(
            r"^([Bb]ạn trả lời “[^”]*” cho câu hỏi (về )?“[^”]*”(; )?)+\. ", "", rec.reason
        )
        if rec.kind == "use_more":
            assert body.startswith("Bạn đã có công cụ cho việc này"), body
            assert "Làm sau bước" not in body  # it has the tool, so what came first too
        else:
            assert body.startswith(cat.action_text().get("vi")), body


@pytest.mark.parametrize("name", CASES)
def test_reasons_read_in_both_languages(name: str) -> None:
    plan_vi, *_ = _plan(name, "vi")
    plan_en, *_ = _plan(name, "en")
    for vi, en in zip(plan_vi.recommendations, plan_en.recommendations, strict=True):
        assert vi.category.id == en.category.id
        assert vi.reason == render_reason(vi.reason_data, "vi")
        assert "{" not in vi.reason and "{" not in en.reason
        assert not re.search(r"[A-Za-z]+ (the|you|your) ", vi.reason), vi.reason
        assert re.search(r"[ạảấầậắằặẹẻếềệịọỏốồộớờợụủứừựỳỵỷđ]", vi.reason), vi.reason


def test_household_reason_reads_as_written() -> None:
    plan, *_ = _plan("household_grocery")
    first = plan.recommendations[0]
    assert first.category.id == "tax_insurance_declaration"
    assert first.reason == (
        "Bạn trả lời “Không” cho câu hỏi “Doanh nghiệp có làm việc, làm thủ tục với cơ quan nhà "
        "nước qua mạng không?”; bạn trả lời “Không lưu hồ sơ nào dạng điện tử” cho câu hỏi về "
        "“Lưu hồ sơ dạng điện tử”. Làm thủ tục thuế và thủ tục hành chính qua mạng là bước đầu "
        "miễn phí, hợp với hộ kinh doanh và doanh nghiệp siêu nhỏ mới bắt đầu chuyển đổi số."
    )


def test_hotel_says_which_management_software_and_why() -> None:
    plan, *_ = _plan("hotel")
    pms = plan.recommendations[0]
    assert pms.category.id == "hotel_pms"
    assert pms.reason.endswith(
        "Với nhu cầu “Phần mềm quản lý”, kế hoạch chọn Phần mềm quản lý khách sạn (PMS) thay vì "
        "Phần mềm bán hàng cho quán ăn, cà phê hoặc Kế toán - tài chính: mỗi nhu cầu chỉ một sản "
        "phẩm, để dữ liệu không phải chuyển hai lần."
    )
    assert [p.id for p in pms.alternatives] in (["ezcloud", "ohotel"], ["ohotel", "ezcloud"])


def test_manufacturer_is_told_to_extend_its_accounting_software() -> None:
    plan, *_ = _plan("manufacturer_accounting", "en")
    rec = next(r for r in plan.recommendations if r.category.need == "management")
    assert rec.kind == "use_more" and rec.alternatives == ()
    assert rec.reason.startswith(
        "You answered “A few departments use management software on their own for their own "
        "work (e.g. only accounting uses accounting software)” on “Business management systems "
        "(ERP)”"
    )
    assert (
        "You already have a tool for this, so no new product is needed: extend the software you "
        "already use to purchasing, stock and sales"
    ) in rec.reason


def _reason(case: str, category: str, locale: str) -> str:
    plan, *_ = _plan(case, locale)
    return next(r.reason for r in plan.recommendations if r.category.id == category)


def test_reason_of_a_basic_reads_as_written() -> None:
    assert _reason("garment_workshop", "digital_signature", "en") == (
        "You answered “No” to “Does the business deal with government agencies or carry out "
        "procedures online?”; you answered “No” to “Does the business deal with other businesses "
        "(suppliers, partners, business customers) through digital channels?”. Getting a digital "
        "signature is a basic that tax, invoicing and e-filing rules expect, so it comes early. If "
        "the related criteria reach at least level 3, the “Digital customer experience” pillar "
        "could rise to level 1 – Starting."
    )


def test_reason_of_a_gap_after_its_prerequisite_reads_as_written() -> None:
    assert _reason("coffee_roaster", "ecommerce", "vi") == (
        "Bạn trả lời “Không bán qua sàn nào” cho câu hỏi về “Bán hàng qua sàn thương mại điện "
        "tử”; bạn trả lời “Không có doanh thu trực tuyến” cho câu hỏi về “Doanh thu bán hàng trực "
        "tuyến”. Bán hàng trên gian hàng trực tuyến và sàn thương mại điện tử giúp trụ cột “Trải "
        "nghiệm số cho khách hàng” (hiện ở mức 1 – Khởi động) tiến lên. Khi các tiêu chí liên "
        "quan đạt ít nhất mức 3, trụ cột “Trải nghiệm số cho khách hàng” có thể lên mức 2 – Bắt "
        "đầu. Làm sau bước “Làm website giới thiệu sản phẩm”."
    )
    assert _reason("coffee_roaster", "ecommerce", "en").endswith(
        "Do this after “Building a website that shows your products”."
    )


def test_reason_of_a_starter_in_english() -> None:
    assert _reason("household_grocery", "dx_advisory", "en") == (
        "You answered “No” to “Is the business interested in digital transformation?”. Getting "
        "help from the community digital-technology team or an expert is a free first step for "
        "household and micro businesses that are just starting. If the related criteria reach at "
        "least level 3, the “Strategy” pillar could rise to level 3 – Forming."
    )


def test_reason_of_a_core_system_in_english() -> None:
    assert _reason("hotel", "hotel_pms", "en") == (
        "You answered “No” to “Does the business use software or digital platforms to manage and "
        "run its operations?”; you answered “Some, but under 5% of orders” on “Selling on "
        "e-commerce marketplaces”. Running rooms, bookings and checkout on a hotel management "
        "system: this is the core software of businesses in your line of work, so it comes early. "
        "For “Management software”, the plan picks Hotel management system (PMS) rather than "
        "Restaurant and café POS or Accounting and finance: one product per need, so your data "
        "moves only once."
    )
    assert (
        _reason("hotel", "hotel_pms", "vi")
        .split(". ")[1]
        .startswith(
            "Quản lý phòng, đặt phòng và thu ngân trên phần mềm quản lý khách sạn: đây là phần mềm "
            "chính của các cơ sở cùng ngành, nên làm sớm"
        )
    )


def test_reason_of_a_gap_in_english() -> None:
    assert _reason("coffee_roaster", "ecommerce", "en") == (
        "You answered “No sales through any marketplace” on “Selling on e-commerce marketplaces”; "
        "you answered “No online revenue” on “Online sales revenue”. Selling in an online shop "
        "and on marketplaces helps the “Digital customer experience” pillar (now at level 1 – "
        "Starting) move up. If the related criteria reach at least level 3, the “Digital customer "
        "experience” pillar could rise to level 2 – Beginning. Do this after “Building a website "
        "that shows your products”."
    )
