"""axe-core on the owner's pages and on the pages of accounts (advisor, owner, ministry,
admin) at 360 px and on a laptop: no serious or critical violation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")

_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' '))]);
}"""


def _violations(page: Any) -> list[Any]:
    page.evaluate(AXE)  # evaluated by the test driver: the page's CSP does not apply
    return list(page.evaluate(_RUN))


@pytest.mark.e2e
@pytest.mark.parametrize("width", [360, 1280])
def test_owner_pages_have_no_serious_accessibility_violations(
    new_context: Any, api: Any, questionnaire: Any, width: int
) -> None:
    ctx = new_context(viewport={"width": width, "height": 800})
    setup = api(ctx)
    pid, code = setup.start()
    page = ctx.new_page()
    paths = ["/", "/start", f"/a/{pid}/saved?next=1", f"/a/{pid}/step/1", f"/a/{pid}/step/3/2"]
    for n in range(1, len(questionnaire.pillars) + 1):
        setup.answer(pid, n)
    paths += [f"/a/{pid}/check", "/?lang=en"]
    token = setup.submit(pid)
    paths += [f"/r/{token}", f"/resume/{code}", "/resume/AAAA-BBBB-CCCC-DDDD"]
    found = {}
    for path in paths:
        page.goto(path)
        v = _violations(page)
        if v:
            found[path] = v
    assert not found, found


@pytest.mark.e2e
def test_profile_with_errors_has_no_serious_accessibility_violations(new_context: Any) -> None:
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    page.goto("/start")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/start$"))
    assert page.locator(".error-summary").count() == 1
    assert _violations(page) == []


def _create_user(env: dict[str, str], role: str, email: str) -> str:
    from tests.e2e.test_advisor_flow import create_account

    return create_account(env, role, email, f"Thử {role}")


def _signed_in(new_context: Any, width: int, email: str) -> Any:
    from tests.e2e.test_advisor_flow import PASSWORD

    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.mark.e2e
def test_account_pages_have_no_serious_accessibility_violations(
    new_context: Any, api: Any, server_env: dict[str, str]
) -> None:
    """The advisor's, owner's, ministry's and admin's pages, as each of them sees them, each at
    360 px and at 1280 px (one set-up, the viewport resized)."""
    from tests.e2e.test_advisor_flow import _two_assessments

    width = 360

    out = _create_user(server_env, "advisor", f"axe{width}.advisor@example.vn")
    code = re.search(r"share code (\S+)", out).group(1)  # type: ignore[union-attr]
    _create_user(server_env, "owner", f"axe{width}.owner@example.vn")
    _create_user(server_env, "ministry", f"axe{width}.ministry@example.vn")
    _create_user(server_env, "admin", f"axe{width}.admin@example.vn")

    # an owner without an account, with two assessments, shares with the advisor
    owner_ctx = new_context(viewport={"width": width, "height": 800})
    setup = api(owner_ctx)
    token = _two_assessments(setup)
    # five more businesses, so that the statistics show their tables whatever ran before
    for _ in range(5):
        pid, _code = setup.start()
        for n in range(1, len(setup.q.pillars) + 1):
            setup.answer(pid, n)
        setup.submit(pid)
    owner = owner_ctx.new_page()
    found: dict[str, Any] = {}

    def check(page: Any, path: str | None = None) -> None:
        if path is not None:
            page.goto(path)
        for w in (1280, width):  # ends at the phone's width again
            page.set_viewport_size({"width": w, "height": 800})
            v = _violations(page)
            if v:
                found[f"{w} px {page.url}"] = v

    check(owner, f"/r/{token}")  # the sharing panel, empty
    sharing = owner.locator("#sharing")
    sharing.locator("input[name=code]").fill(code)
    sharing.locator("button[type=submit]").click()  # consent not ticked: the error
    owner.wait_for_load_state()
    check(owner)
    check(owner, f"/share/{code}")
    check(owner, "/login")
    check(owner, "/account/register")

    advisor = _signed_in(new_context, width, f"axe{width}.advisor@example.vn")
    check(advisor, "/advisor/")
    owner.goto(f"/r/{token}#sharing")
    owner.locator("#sharing input[name=code]").fill(code)
    owner.locator("#sharing input[name=consent]").check()
    owner.locator("#sharing button[type=submit]").click()
    owner.wait_for_load_state()
    check(advisor, "/advisor/?stale=1&sort=name")
    advisor.goto("/advisor/")
    advisor.locator("a.biz-name").first.click()
    advisor.wait_for_url(re.compile(r"/b/[^/]+$"))
    business = advisor.url
    check(advisor)
    check(advisor, business + "/compare")
    check(advisor, "/advisor/visit")

    check(_signed_in(new_context, width, f"axe{width}.owner@example.vn"), "/account")
    ministry = _signed_in(new_context, width, f"axe{width}.ministry@example.vn")
    check(ministry)  # the statistics
    admin = _signed_in(new_context, width, f"axe{width}.admin@example.vn")
    check(admin, "/admin/users")
    check(admin, "/admin/audit")
    assert not found, found
