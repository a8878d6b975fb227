"""Keyboard only: Tab, Space, arrow keys and Enter are enough to answer and to fix errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

_ACTIVE_JS = """() => { const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '',
          value: e.value || '', cls: e.className || '', href: e.getAttribute('href') || '',
          outline: getComputedStyle(e).outlineStyle}; }"""


def _active(page: Any) -> dict[str, str]:
    return page.evaluate(_ACTIVE_JS)


def _tab_until(page: Any, pred: Any, limit: int = 8) -> dict[str, str]:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        a = _active(page)
        seen.append(f"{a['tag']}[{a['name']}={a['value']}]")
        if pred(a):
            return a
    pytest.fail(f"not reached with {limit} Tab presses; focus went through {seen}")


@pytest.mark.e2e
def test_answer_a_page_with_the_keyboard(new_context: Any, api: Any, questionnaire: Any) -> None:
    ctx = new_context()
    pid, _code = api(ctx).start()
    page = ctx.new_page()
    page.goto(f"/a/{pid}/step/2")
    gate, dependent = questionnaire.pillars[1].questions
    assert gate.type == "yes_no" and dependent.show_if.question == gate.id
    dep = page.locator(f"fieldset#q-{dependent.id}")
    expect(dep).to_be_hidden()

    # Tab reaches the first radio after the header links (skip link, brand, language)
    a = _tab_until(page, lambda a: a["type"] == "radio", limit=5)
    assert (a["name"], a["value"]) == (gate.id, "yes")
    assert a["outline"] != "none", "the focused radio shows no focus outline"

    page.keyboard.press("Space")
    expect(page.locator(f"input[name={gate.id}][value=yes]")).to_be_checked()
    expect(dep).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"input[name={gate.id}][value=no]")).to_be_checked()
    expect(dep).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"input[name={gate.id}][value=yes]")).to_be_checked()
    expect(dep).to_be_visible()

    # into the dependent question, then down its options
    a = _tab_until(page, lambda a: a["type"] == "radio", limit=1)
    assert (a["name"], a["value"]) == (dependent.id, dependent.options[0].id)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = dependent.options[2].id
    expect(page.locator(f"input[name={dependent.id}][value='{chosen}']")).to_be_checked()

    # Back, then "Save and continue": Enter posts and the page advances
    a = _tab_until(page, lambda a: a["tag"] == "button", limit=1)
    assert a["value"] == "back"
    a = _tab_until(page, lambda a: a["tag"] == "button", limit=1)
    assert a["value"] == "next"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/a/{pid}/step/3")

    page.goto(f"/a/{pid}/step/2")
    expect(page.locator(f"input[name={gate.id}][value=yes]")).to_be_checked()
    expect(page.locator(f"input[name={dependent.id}][value='{chosen}']")).to_be_checked()


@pytest.mark.e2e
def test_error_summary_takes_the_focus(new_context: Any, api: Any) -> None:
    ctx = new_context()
    page = ctx.new_page()

    # the profile sent empty
    page.goto("/start")
    page.locator("form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()

    # submitting with missing answers: the summary is focused, the next Tab is its first link
    pid, _code = api(ctx).start()
    api(ctx).answer(pid, 1)
    page.goto(f"/a/{pid}/check")
    page.locator("form[action$='/submit'] button[type=submit]").focus()
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    a = _tab_until(page, lambda a: a["tag"] == "a", limit=1)
    assert re.search(r"/step/2\?return=check#q-\w+$", a["href"]), a  # page 1 is complete
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/a/{pid}/step/2\?return=check#q-\w+$"))
