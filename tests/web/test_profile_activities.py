"""The activities on the business profile (lodging, pharmacy, …): stored with the business,
copied into the assessment at submission, and used for the plan on the results page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sme_assess.models import Assessment, Business
from tests.conftest import PROFILE, csrf_token

ROOT = Path(__file__).resolve().parents[2]
HOTEL = json.loads((ROOT / "tests/plans/hotel/answers.json").read_text())
PHARMACY = json.loads((ROOT / "tests/plans/pharmacy/answers.json").read_text())

HOTEL_PROFILE = {
    "name": "Khách sạn Biển Xanh",
    "tax_code": "0100233488",
    "business_type": "enterprise",
    "industry": "I",
    "province": "48",
    "employees": "11-50",
    "revenue": "3-10",
    "capital": "3-20",
}
PMS = "Phần mềm quản lý khách sạn (PMS)"
RESTAURANT_POS = "Phần mềm bán hàng cho quán ăn, cà phê"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _plan(client: Any, pid: str, questionnaire: Any, answers: dict[str, Any]) -> list[str]:
    for n, pillar in enumerate(questionnaire.pillars, start=1):
        ids = {q.id for q in pillar.questions}
        data = {k: v for k, v in answers.items() if k in ids}
        token = csrf_token(client, f"/a/{pid}/step/{n}")
        resp = client.post(f"/a/{pid}/step/{n}", data={**data, "csrf_token": token})
        assert resp.status_code == 302, (n, resp.status_code)
    token = csrf_token(client, f"/a/{pid}/check")
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302
    html = client.get(resp.location.split("?")[0]).get_data(as_text=True)
    assert "Kế hoạch 12 tháng của bạn" in html
    # the steps of the plan, by the category name the owner reads
    return re.findall(r'<li class="rec">\s*<p><strong>([^<]+)</strong>', html)


def test_hotel_with_lodging_gets_the_hotel_management_system(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _code = start_draft(**HOTEL_PROFILE, activities=["lodging"])
    # the check page repeats what was declared
    check = _text(client.get(f"/a/{pid}/check").get_data(as_text=True))
    assert "Hoạt động chính của cơ sở (chọn nếu có) Lưu trú (khách sạn, nhà nghỉ, homestay)" in (
        check
    )
    plan = _plan(client, pid, questionnaire, HOTEL)
    assert plan[0] == PMS, plan
    assert RESTAURANT_POS not in plan
    a = db.scalars(select(Assessment).where(Assessment.public_id == pid)).one()
    assert a.profile_activities == "lodging"


def test_hotel_without_lodging_gets_no_hotel_management_system(
    client: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _code = start_draft(**HOTEL_PROFILE)
    plan = _plan(client, pid, questionnaire, HOTEL)
    assert PMS not in plan
    # section I implies food service: the restaurant POS is its management software
    assert RESTAURANT_POS in plan


def test_pharmacy_gets_pharmacy_software(client: Any, start_draft: Any, questionnaire: Any) -> None:
    pid, _code = start_draft(
        name="Nhà thuốc An Khang",
        tax_code="0100233488",
        business_type="enterprise",
        industry="G",
        province="79",
        employees="0-10",
        revenue="0-3",
        capital="0-3",
        activities=["pharmacy"],
    )
    plan = _plan(client, pid, questionnaire, PHARMACY)
    assert plan[0] == "Phần mềm nhà thuốc liên thông dược quốc gia", plan
    assert "Quản lý bán hàng (POS)" not in plan


def test_activities_are_shown_ticked_and_can_be_removed(
    client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft(**HOTEL_PROFILE, activities=["lodging", "ships_goods"])
    page = client.get(f"/a/{pid}/profile").get_data(as_text=True)
    assert re.search(r'value="lodging"[^>]*checked', page)
    assert re.search(r'value="ships_goods"[^>]*checked', page)
    assert not re.search(r'value="pharmacy"[^>]*checked', page)
    token = csrf_token(client, f"/a/{pid}/profile")
    resp = client.post(f"/a/{pid}/profile", data={**PROFILE, **HOTEL_PROFILE, "csrf_token": token})
    assert resp.status_code == 302
    b = db.scalars(select(Business).where(Business.name == "Khách sạn Biển Xanh")).one()
    assert b.activities == ""


def test_tampered_activity_is_refused_and_nothing_saved(
    client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft(**HOTEL_PROFILE, activities=["lodging"])
    for bad in (["casino"], ["lodging", "lodging"], ["Lodging"]):
        token = csrf_token(client, f"/a/{pid}/profile")
        data = {**PROFILE, **HOTEL_PROFILE, "name": "Tên Mới", "activities": bad}
        resp = client.post(f"/a/{pid}/profile", data={**data, "csrf_token": token})
        assert resp.status_code == 422, bad
        text = _text(resp.get_data(as_text=True))
        assert (
            "Hoạt động chính của cơ sở (chọn nếu có): Vui lòng chọn một trong các phương án."
            in (text)
        ), text[:2000]
    b = db.scalars(select(Business).where(Business.name == "Khách sạn Biển Xanh")).one()
    assert b.activities == "lodging"
    # and refused on a new business too
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "activities": ["casino"], "csrf_token": token})
    assert resp.status_code == 422
    assert "Vui lòng chọn một trong các phương án." in resp.get_data(as_text=True)
