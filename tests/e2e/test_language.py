"""The language switch in the header."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.mark.e2e
def test_language_switch_is_remembered(new_context: Any, phone: dict[str, Any]) -> None:
    page = new_context(**phone).new_page()
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")
    expect(page.locator("nav.lang [aria-current=true]")).to_have_text("Tiếng Việt")

    page.locator("nav.lang a[hreflang=en]").tap()
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("How digital is your business?")
    expect(page.locator("nav.lang [aria-current=true]")).to_have_text("English")

    # remembered on the next page, reached through a plain link (no ?lang=)
    page.locator("a.button.big[href='/start']").tap()
    page.wait_for_url(re.compile(r"/start$"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("About your business")
    expect(page.locator(".progress-text")).to_contain_text("Before the questions")

    # and back to Vietnamese, remembered as well
    page.locator("nav.lang a[hreflang=vi]").tap()
    expect(html).to_have_attribute("lang", "vi")
    page.goto("/")
    expect(html).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Doanh nghiệp của bạn đã chuyển đổi số đến đâu?")


@pytest.mark.e2e
def test_language_switch_keeps_the_page_state(new_context: Any, api: Any) -> None:
    ctx = new_context()
    pid, _code = api(ctx).start()
    page = ctx.new_page()
    page.goto(f"/a/{pid}/saved?next=1")
    expect(page.locator(f"a.button[href$='/a/{pid}/step/1']")).to_be_visible()
    page.locator("nav.lang a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"a.button[href$='/a/{pid}/step/1']")).to_be_visible(timeout=2000)
