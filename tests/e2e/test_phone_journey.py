"""The whole journey on a phone (360×740, touch), in Vietnamese, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from sme_assess.questionnaire.pages import all_pages

WIDTH = 360

# Smallest comfortable tap target (WCAG 2.5.5, level AAA: 44×44 CSS px).
MIN_TAP = 44

# Controls that are not links inside running text; a pseudo-element (::after) may enlarge the
# tap area of a short link beyond its text.
_TAP_TARGETS_JS = """() => [...document.querySelectorAll(
    'label.choice, .button, button, input, select, nav.lang a, a.change, summary')]
  .filter(e => e.offsetParent !== null && !['radio', 'checkbox', 'hidden'].includes(e.type))
  .map(e => { const r = e.getBoundingClientRect(), a = getComputedStyle(e, '::after');
              const grow = a.content !== 'none' && a.position === 'absolute'
                ? [-parseFloat(a.left) - parseFloat(a.right),
                   -parseFloat(a.top) - parseFloat(a.bottom)] : [0, 0];
              return [e.textContent.trim().slice(0, 40),
                      Math.round(r.width + grow[0]), Math.round(r.height + grow[1])]; })
  .filter(([, w, h]) => w < 44 || h < 44)"""


def _page_checks(page: Any, assert_no_overflow: Any) -> None:
    assert_no_overflow(page, WIDTH)
    small = page.evaluate(_TAP_TARGETS_JS)
    assert not small, f"tap targets under {MIN_TAP} px on {page.url}: {small}"


def _tap_choice(page: Any, qid: str, value: str) -> None:
    """Tap the text of an option's label (the large tap target), not the radio itself."""
    page.locator(f"#q-{qid} label.choice:has(input[value='{value}']) > span").tap()


_STATE_JS = """() => ({
  hidden: [...document.querySelectorAll('fieldset[data-show-if]')]
            .filter(f => f.hidden || f.offsetParent === null).map(f => f.id.slice(2)),
  checked: Object.fromEntries([...document.querySelectorAll('form.questions input:checked')]
            .map(i => [i.name, i.value])),
})"""

# Gates per page that go through the whole yes → no → yes cycle (the others: yes only), to
# keep the suite fast; every gate's dependents are checked hidden before and shown after.
FULL_CYCLE_GATES = 2


def _answer_pillar_by_touch(page: Any, pillar: Any, n: int) -> int:
    """Answer every question of the page (`pillar`: anything with `questions`, here one page of
    a pillar) by tapping option texts. Returns the number of gates exercised."""
    dependents: dict[str, list[str]] = {}
    for q in pillar.questions:
        if q.show_if:
            dependents.setdefault(q.show_if.question, []).append(q.id)
    state = page.evaluate(_STATE_JS)
    # nothing answered yet: every conditional question is hidden
    assert sorted(state["hidden"]) == sorted(q.id for q in pillar.questions if q.show_if), state
    assert state["checked"] == {}, state
    expected: dict[str, str] = {}
    gates = 0
    for i, q in enumerate(pillar.questions):
        if q.type == "yes_no":
            deps = [
                page.locator(f"fieldset#q-{d}[data-show-if='{q.id}']")
                for d in dependents.get(q.id, [])
            ]
            assert deps, f"gate {q.id} has no dependent question on the page"
            _tap_choice(page, q.id, "yes")
            for d in deps:
                expect(d).to_be_visible()
            if gates < FULL_CYCLE_GATES:
                _tap_choice(page, q.id, "no")
                for d in deps:
                    expect(d).to_be_hidden()
                _tap_choice(page, q.id, "yes")
                for d in deps:
                    expect(d).to_be_visible()
            expected[q.id] = "yes"
            gates += 1
        elif q.type == "single":
            # vary the answers so that the results show gaps and a plan
            option = q.options[(n + i) % len(q.options)]
            _tap_choice(page, q.id, option.id)
            expected[q.id] = option.id
        else:  # pragma: no cover - the DBI file has only yes/no and single choices
            pytest.fail(f"unexpected question type {q.type} ({q.id})")
    state = page.evaluate(_STATE_JS)
    assert state["hidden"] == [], state
    assert state["checked"] == expected
    return gates


@pytest.mark.e2e
def test_phone_journey_vietnamese(
    new_context: Any,
    questionnaire: Any,
    shot: Any,
    assert_no_overflow: Any,
    phone: dict[str, Any],
    profile: dict[str, str],
) -> None:
    assert phone["viewport"]["width"] == WIDTH
    ctx = new_context(**phone)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    steps = len(questionnaire.pillars) + 1

    # landing
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Doanh nghiệp của bạn đã chuyển đổi số đến đâu?")
    _page_checks(page, assert_no_overflow)
    shot(page, "phone-01-landing")
    page.locator("a.button.big[href='/start']").tap()

    # profile (step 1): by input names, not by label text
    page.wait_for_url("**/start")
    expect(page.locator("h1")).to_have_text("Thông tin doanh nghiệp")
    expect(page.locator(".progress-text")).to_have_text(
        re.compile(r"^Trước phần câu hỏi: thông tin doanh nghiệp \(sau đó khoảng \d+–\d+ phút")
    )
    _page_checks(page, assert_no_overflow)
    shot(page, "phone-02-profile")
    page.locator("input[name=name]").fill(profile["name"])
    page.locator("label.choice:has(input[name=business_type][value=household]) > span").tap()
    page.locator("select[name=province]").select_option(profile["province"])
    page.locator("select[name=industry]").select_option(profile["industry"])
    for field in ("employees", "revenue", "capital"):
        page.locator(
            f"label.choice:has(input[name={field}][value='{profile[field]}']) > span"
        ).tap()
        expect(page.locator(f"input[name={field}][value='{profile[field]}']")).to_be_checked()
    page.locator("form button[type=submit]").tap()

    # resume code
    page.wait_for_url(re.compile(r"/a/[^/]+/saved\?next=1$"))
    code = page.locator("#resume-code").inner_text().strip()
    # 15 random characters of Crockford base32 and a check character, in four groups
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code), code
    # the QR code (useless on the same phone) is folded away until asked for
    expect(page.locator(".qr svg")).to_be_hidden()
    page.locator("details.qr-box summary").tap()
    expect(page.locator(".qr svg")).to_be_visible()
    link = page.locator(f"a[href$='/resume/{code}']")
    expect(link).to_be_visible()
    # the copy button is revealed by the script and puts the resume link on the clipboard
    copy = page.locator("button[data-copy]")
    expect(copy).to_be_visible()
    copy.tap()
    expect(copy).to_have_class(re.compile(r"\bcopied\b"))
    expect(page.locator(".copy-status")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == link.get_attribute("href")
    _page_checks(page, assert_no_overflow)
    shot(page, "phone-03-saved")
    page.locator("a.button[href$='/step/1']").tap()

    # each pillar on one or more short pages (a component, or a run of its criteria)
    gates = 0
    for i, qpage in enumerate(all_pages(questionnaire)):
        n, pillar = qpage.step, qpage.pillar
        page.wait_for_url(f"**/step/{n}" + (f"/{qpage.part}" if qpage.part > 1 else ""))
        expect(page.locator(".progress-text")).to_have_text(
            re.compile(
                rf"^Phần {n}/{steps - 1}( · trang {qpage.part}/{qpage.parts})? · câu \d+–\d+"
            )
        )
        expect(page.locator("h1")).to_contain_text(pillar.title.get("vi"))
        if i == 0:
            _page_checks(page, assert_no_overflow)  # before any answer: dependents hidden
            shot(page, "phone-04-question-top", full_page=False)
        gates += _answer_pillar_by_touch(page, qpage, n)
        # every answer is saved as it is tapped: the quiet status says so
        expect(page.locator(".autosave-status")).to_have_text("Đã lưu")
        _page_checks(page, assert_no_overflow)  # every dependent question shown
        if i in (0, 5):
            shot(page, f"phone-05-question-{n}-{qpage.part}-answered")
        page.locator("button[name=action][value=next]").tap()
    assert gates == sum(1 for p in questionnaire.pillars for q in p.questions if q.type == "yes_no")

    # check your answers: nothing missing
    page.wait_for_url("**/check")
    expect(page.locator("h1")).to_have_text("Kiểm tra câu trả lời")
    expect(page.locator(".notice, .error-summary")).to_have_count(0)
    expect(page.locator("dl.summary .error-text")).to_have_count(0)
    _page_checks(page, assert_no_overflow)
    shot(page, "phone-06-check")
    page.locator("form[action$='/submit'] button[type=submit]").tap()

    # results
    page.wait_for_url(re.compile(r"/r/[^/?]+\?new=1$"))
    expect(page.locator("[role=status]")).to_be_visible()
    expect(page.locator(".overall h1")).to_have_text(re.compile(r"^Mức tổng thể [0-5]/5 — \S"))
    expect(page.locator(".chart-grid figure svg")).to_have_count(2)
    for svg in page.locator(".chart-grid figure svg").all():
        box = svg.bounding_box()
        assert box and 0 < box["width"] <= WIDTH and box["height"] > 50, box
    rows = page.locator("table.scores").first.locator("tbody tr")
    expect(rows).to_have_count(len(questionnaire.pillars))
    for i, pillar in enumerate(questionnaire.pillars):
        expect(rows.nth(i).locator("th")).to_contain_text(pillar.title.get("vi"))
        expect(rows.nth(i).locator("td").first).to_have_text(re.compile(r"^\d+/\d+$"))
    expect(page.locator("#plan h2")).to_be_visible()
    _page_checks(page, assert_no_overflow)
    shot(page, "phone-07-results-top", full_page=False)
    shot(page, "phone-07-results")
