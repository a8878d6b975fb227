"""axe-core on the owner's pages at 360 px and on a laptop: no serious or critical violation."""

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
