"""The pages serve their own fonts, so they look and measure the same on every machine.

The suite's `browser` sees none of the machine's fonts but one monospace face; here the same
pages are also laid out by a Chromium that sees all the machine's fonts (DejaVu Sans on
Debian), and every measured box must be the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

# Elements whose first available font is not one the page serves (a text would then be drawn
# in a machine font).
_UNSERVED_JS = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.offsetParent !== null && [...e.childNodes].some(
    n => n.nodeType === 3 && n.textContent.trim()))
  .filter(e => { const f = getComputedStyle(e).fontFamily.split(',')[0].trim()
                   .replace(/["']/g, '');
                 return !['Noto Sans', 'Noto Sans Math'].includes(f); })
  .map(e => e.tagName.toLowerCase() + ': ' + e.textContent.trim().slice(0, 30))"""

# Boxes whose size depends on the font: the short "change" links of the check page (with the
# tap area their ::after adds), headings, answer options, chart labels.
_BOXES_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent.trim().slice(0, 30), Math.round(r.left * 2) / 2,
                      Math.round(r.top * 2) / 2, Math.round(r.width * 2) / 2,
                      Math.round(r.height * 2) / 2]; })"""

_FACES_JS = """async () => { await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === 'loaded')
    .map(f => f.family.replace(/"/g, '') + ' ' + f.weight).sort(); }"""


@pytest.fixture(scope="module")
def machine_browser(chromium_launcher: Any) -> Iterator[Any]:
    """Chromium with the machine's own fonts."""
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    b = chromium_launcher(env)
    try:
        yield b
    finally:
        b.close()


def _width_of_text(browser: Any, family: str) -> float:
    page = browser.new_page()
    try:
        page.set_content(f'<span style="font: 16px {family}">Xin chào Việt Nam</span>')
        return float(page.evaluate("document.querySelector('span').getBoundingClientRect().width"))
    finally:
        page.close()


def test_the_suite_browser_sees_only_a_monospace_font(browser: Any, machine_browser: Any) -> None:
    """A text in a font the page does not serve comes out in the one machine font the suite's
    browser has, a monospace face: serif, sans-serif and monospace measure the same."""
    widths = {family: _width_of_text(browser, family) for family in ("serif", "sans-serif")}
    mono = _width_of_text(browser, "monospace")
    assert mono > 50
    assert widths == {"serif": mono, "sans-serif": mono}
    assert _width_of_text(machine_browser, "sans-serif") != mono


def test_pages_draw_every_text_with_the_served_fonts(
    new_context: Any, api: Any, phone: dict[str, Any]
) -> None:
    ctx = new_context(**phone)
    token = api(ctx).submitted()
    page = ctx.new_page()
    for path in ("/", "/start", f"/r/{token}", "/resume"):
        page.goto(path)
        faces = page.evaluate(_FACES_JS)
        assert "Noto Sans 400" in faces, (path, faces)
        assert "Noto Sans 700" in faces, (path, faces)  # headings and labels are bold
        unserved = page.evaluate(_UNSERVED_JS)
        assert not unserved, f"texts in a font the page does not serve on {path}: {unserved}"


def _boxes(ctx: Any, path: str, selector: str) -> list[Any]:
    page = ctx.new_page()
    try:
        page.goto(path)
        page.evaluate(_FACES_JS)  # fonts loaded
        return list(page.evaluate(_BOXES_JS, selector))
    finally:
        page.close()


def test_layout_is_the_same_with_or_without_the_machine_fonts(
    new_context: Any, api: Any, machine_browser: Any, server: str, phone: dict[str, Any]
) -> None:
    bare = new_context(**phone)
    a = api(bare)
    pid, _code = a.start(name="Công ty Cổ phần Chuyển đổi số văn hóa")
    for n in range(1, len(a.q.pillars) + 1):
        a.answer(pid, n)
    # the same draft, opened in the other browser with the same session cookie
    machine = machine_browser.new_context(base_url=server, **phone)
    try:
        machine.add_cookies(bare.cookies())
        pages = [
            (f"/a/{pid}/check", "h1, h2, a.change, dt, dd"),
            (f"/a/{pid}/step/2", "h1, legend, label.choice, .button, button"),
        ]
        for path, selector in pages:
            in_bare = _boxes(bare, path, selector)
            assert len(in_bare) > 5, (path, in_bare)
            assert in_bare == _boxes(machine, path, selector), f"layout differs on {path}"
        token = a.submit(pid)
        path, selector = f"/r/{token}", ".chart-grid svg text, table.scores td, h1, h2"
        in_bare = _boxes(bare, path, selector)
        assert len(in_bare) > 10
        assert in_bare == _boxes(machine, path, selector), "layout differs on the results page"
    finally:
        machine.close()


def test_change_links_on_the_check_page_are_44_px(
    new_context: Any, api: Any, phone: dict[str, Any]
) -> None:
    ctx = new_context(**phone)
    a = api(ctx)
    pid, _code = a.start()
    for n in range(1, len(a.q.pillars) + 1):
        a.answer(pid, n)
    page = ctx.new_page()
    page.goto(f"/a/{pid}/check")
    page.evaluate(_FACES_JS)
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('a.change')].map(e => {
          const r = e.getBoundingClientRect(), a = getComputedStyle(e, '::after');
          return [r.width - parseFloat(a.left) - parseFloat(a.right),
                  r.height - parseFloat(a.top) - parseFloat(a.bottom)]; })"""
    )
    assert len(sizes) > 60  # the profile, each pillar and each answer
    small = [s for s in sizes if s[0] < 44 or s[1] < 44]
    assert not small, f"change links under 44 px: {small[:5]}"
