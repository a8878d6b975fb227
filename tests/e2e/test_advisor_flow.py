"""The advisor's workspace in a real browser: sign-in, sharing by code, T0 → T1 comparison,
revocation, and an assisted visit on a 360 px phone."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT

PASSWORD = "mật khẩu thử nghiệm"


def create_account(env: dict[str, str], role: str, email: str, name: str) -> str:
    """An account in the server's database (the `users create` command); the command's
    output."""
    command = [sys.executable, "-c", "from sme_assess.cli import main; main()", "users"]
    options = ["--role", role, "--email", email, "--name", name, "--password", PASSWORD]
    return subprocess.run(
        [*command, "create", *options],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _create_advisor(env: dict[str, str], email: str, name: str) -> str:
    """An advisor account in the server's database; its share code."""
    out = create_account(env, "advisor", email, name)
    m = re.search(r"share code (\S+)", out)
    assert m, out
    return m.group(1)


def _sign_in(page: Any, email: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/advisor/")


def _lowest(api: Any, n: int) -> dict[str, str]:
    out = {}
    for q in api.q.pillars[n - 1].questions:
        if q.type == "yes_no":
            out[q.id] = "yes"
        elif q.type == "single":
            out[q.id] = min(q.options, key=lambda o: o.points).id
    return out


def _two_assessments(api: Any) -> str:
    """An owner's business assessed twice (low, then high) in this browser; results token of
    the second."""
    pid, _code = api.start()
    for n in range(1, len(api.q.pillars) + 1):
        api.answer(pid, n, _lowest(api, n))
    first = api.submit(pid)
    resp = api.req.post(f"/r/{first}/again", form={"csrf_token": api.csrf(f"/r/{first}")})
    assert resp.ok and "/saved" in resp.url, (resp.status, resp.url)
    pid2 = resp.url.split("/a/")[1].split("/")[0]
    for n in range(1, len(api.q.pillars) + 1):
        api.answer(pid2, n)
    return str(api.submit(pid2))


@pytest.mark.e2e
def test_share_compare_revoke(
    new_context: Any, api: Any, shot: Any, assert_no_overflow: Any, server_env: dict[str, str]
) -> None:
    code = _create_advisor(server_env, "lan.tuvan@example.vn", "Nguyễn Thị Lan")
    advisor = new_context(viewport={"width": 1100, "height": 900})
    a_page = advisor.new_page()
    _sign_in(a_page, "lan.tuvan@example.vn")
    expect(a_page.locator("[role=status]")).to_contain_text("0 doanh nghiệp")
    expect(a_page.locator("#share-code")).to_have_text(code)
    shot(a_page, "advisor-01-dashboard-empty")

    # the owner shares from the results page by typing the advisor's code
    owner = new_context()
    token = _two_assessments(api(owner))
    o_page = owner.new_page()
    o_page.goto(f"/r/{token}#sharing")
    sharing = o_page.locator("#sharing")
    expect(sharing).to_contain_text("Doanh nghiệp này chưa được chia sẻ với ai.")
    sharing.locator("input[name=code]").fill(code.lower())
    sharing.locator("input[name=consent]").check()
    sharing.locator("button[type=submit]").click()
    expect(o_page.locator("#sharing [role=status]")).to_contain_text("Đã chia sẻ")
    expect(o_page.locator("#sharing")).to_contain_text("Nguyễn Thị Lan (lan.tuvan@example.vn)")
    shot(o_page, "advisor-02-owner-shared")

    # the advisor sees the business, its trend, and compares T0 and T1
    a_page.reload()
    expect(a_page.locator("[role=status]")).to_contain_text("1 doanh nghiệp")
    row = a_page.locator("li.biz")
    expect(row).to_contain_text("Cửa hàng Thử Nghiệm")
    expect(row.locator(".trend.up")).to_have_text("↑")
    shot(a_page, "advisor-03-dashboard")
    row.locator("a.biz-name").click()
    expect(a_page.locator("h1")).to_have_text("Cửa hàng Thử Nghiệm")
    expect(a_page.locator("#history tbody tr")).to_have_count(2)
    a_page.locator(".compare-form button[type=submit]").click()
    a_page.wait_for_url(re.compile(r"/compare\?from="))
    expect(a_page.locator("h1")).to_contain_text("Từ ")
    expect(a_page.locator("svg.compare")).to_be_visible()
    expect(a_page.locator("table.scores tbody tr")).to_have_count(6)
    first = a_page.locator(".change-item").first
    expect(first).to_contain_text("1.1.1 Cập nhật website — mức 1 → 5")
    expect(first).to_contain_text("Đã hơn 6 tháng nay không cập nhật gì")  # T0 answer
    expect(first).to_contain_text("Ít nhất 1 lần mỗi tuần")  # T1 answer
    assert_no_overflow(a_page)
    shot(a_page, "advisor-04-compare")
    compare_url = a_page.url
    # the chart's text stays readable on a phone and is not blown up on a wide screen: the
    # drawn height of a bar's figure ("100.0% · mức 5"), in CSS pixels
    figure_text = "svg.compare text:not([font-weight])"
    wide = a_page.locator(figure_text).first.bounding_box()
    assert wide is not None and 12 <= wide["height"] <= 26, wide
    a_page.set_viewport_size({"width": 360, "height": 740})
    a_page.reload()
    narrow = a_page.locator(figure_text).first.bounding_box()
    assert narrow is not None and narrow["height"] >= 12, narrow
    assert_no_overflow(a_page)
    shot(a_page, "advisor-04-compare-phone")
    a_page.set_viewport_size({"width": 1100, "height": 900})

    # the owner revokes; the advisor's next request is refused
    o_page.goto(f"/r/{token}#sharing")
    o_page.locator("#sharing form[action*='/revoke'] button").click()
    expect(o_page.locator("#sharing [role=status]")).to_contain_text("Đã ngừng chia sẻ")
    resp = a_page.goto(compare_url)
    assert resp is not None and resp.status == 404
    expect(a_page.locator("h1")).to_have_text("Không tìm thấy trang")
    shot(a_page, "advisor-05-refused-after-revocation")
    a_page.goto("/advisor/")
    expect(a_page.locator("[role=status]")).to_contain_text("0 doanh nghiệp")


@pytest.mark.e2e
def test_assisted_visit_on_a_phone(
    new_context: Any,
    api: Any,
    phone: dict[str, Any],
    profile: dict[str, str],
    shot: Any,
    assert_no_overflow: Any,
    server_env: dict[str, str],
) -> None:
    _create_advisor(server_env, "hoa.tuvan@example.vn", "Trần Hoa")
    ctx = new_context(**phone)
    page = ctx.new_page()
    _sign_in(page, "hoa.tuvan@example.vn")
    assert_no_overflow(page, 360)
    shot(page, "visit-01-dashboard-phone")
    page.locator("a.button[href$='/advisor/visit']").tap()
    expect(page.locator("h1")).to_have_text("Đánh giá một doanh nghiệp mới cùng chủ doanh nghiệp")
    assert_no_overflow(page, 360)
    shot(page, "visit-02-start")
    page.locator("a.button.big").tap()

    # the owner's own profile page, filled in together
    page.wait_for_url("**/start")
    page.locator("input[name=name]").fill("Quán Cơm Cô Ba")
    page.locator("label.choice:has(input[name=business_type][value=household]) > span").tap()
    page.locator("select[name=province]").select_option(profile["province"])
    page.locator("select[name=industry]").select_option(profile["industry"])
    for field in ("employees", "revenue", "capital"):
        page.locator(
            f"label.choice:has(input[name={field}][value='{profile[field]}']) > span"
        ).tap()
    page.locator("form button[type=submit]").tap()
    page.wait_for_url(re.compile(r"/a/[^/]+/saved"))
    pid = page.url.split("/a/")[1].split("/")[0]

    # the questions (answered through the same browser session), then submitted on the phone
    setup = api(ctx)
    for n in range(1, len(setup.q.pillars) + 1):
        setup.answer(pid, n)
    page.goto(f"/a/{pid}/check")
    page.locator("form[action$='/submit'] button[type=submit]").tap()

    # hand-over: the owner's handles on screen, then consent
    page.wait_for_url(f"**/advisor/visit/{pid}/handover")
    expect(page.locator("h1")).to_have_text("Vui lòng đưa điện thoại cho chủ doanh nghiệp")
    expect(page.locator("#results-link")).to_contain_text("/r/")
    expect(page.locator("#handover-code")).to_have_text(re.compile(r"^\w{4}(-\w{4}){3}$"))
    assert_no_overflow(page, 360)
    shot(page, "visit-03-handover")
    page.locator("#consent input[name=consent]").check()
    page.locator("#consent form[action$='/consent'] button").tap()
    expect(page.locator("h1")).to_have_text("Quán Cơm Cô Ba")
    history = page.locator("#history")
    expect(history).to_contain_text("có hỗ trợ của Trần Hoa (hoa.tuvan@example.vn)")
    assert_no_overflow(page, 360)
    shot(page, "visit-04-business-after-consent")
