"""The 12-month plan on the results page, on a phone: needs with 2–4 alternatives, the stated
order, costs in words; no horizontal scrolling."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
def test_household_plan_on_a_phone(
    new_context: Any, api: Any, phone: dict[str, Any], shot: Any, assert_no_overflow: Any
) -> None:
    ctx = new_context(**phone)
    a = api(ctx)
    answers = json.loads((ROOT / "tests/plans/household_grocery/answers.json").read_text())
    pid, _code = a.start()
    for n, pillar in enumerate(a.q.pillars, start=1):
        ids = {q.id for q in pillar.questions}
        a.answer(pid, n, {k: v for k, v in answers.items() if k in ids})
    token = a.submit(pid)
    page = ctx.new_page()
    page.goto(f"/r/{token}")
    plan = page.locator("#plan")
    shot(page, "plan-household-phone")
    text = plan.text_content() or ""
    # starter steps for a household at level 0, first, with their free public services
    first = plan.locator("li.rec").first.text_content() or ""
    assert "Thuế điện tử và dịch vụ công trực tuyến" in first, first
    assert "eTax Mobile" in text and "Dịch vụ công, miễn phí." in text
    assert "Các lựa chọn không xếp theo chất lượng" in text
    assert "Chọn một trong các nền tảng:" in text
    assert "miễn phí trong những tháng đầu" not in page.content()
    for rec in plan.locator("li.rec").all():
        n = rec.locator("ul.alternatives > li").count()
        assert n == 0 or 1 <= n <= 4, rec.text_content()
    assert_no_overflow(page)
