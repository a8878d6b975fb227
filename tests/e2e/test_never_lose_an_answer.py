"""No lost answers on a 360 px phone: half of the longest page answered, then a reload, the
language switch, and the page opened in a new tab each show every answer; leaving with an
answer still being typed warns; a submitted resume code leads to the results; the check page's
"Change" comes back to it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from sme_assess.questionnaire.pages import all_pages


def _longest_page(questionnaire: Any) -> Any:
    return max(all_pages(questionnaire), key=lambda p: len(p.questions))


def _checked(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => [...document.querySelectorAll('form.questions input:checked')]"
            ".map(i => [i.name, i.value])"
        )
    )


@pytest.mark.e2e
def test_half_of_the_longest_page_survives_reload_language_and_new_tab(
    new_context: Any, api: Any, phone: dict[str, Any], questionnaire: Any, shot: Any
) -> None:
    ctx = new_context(**phone)
    pid, _code = api(ctx).start()
    longest = _longest_page(questionnaire)
    url = f"/a/{pid}/step/{longest.step}" + (f"/{longest.part}" if longest.part > 1 else "")
    page = ctx.new_page()
    page.goto(url)

    # answer the first half of the page's questions by tapping, never pressing a button
    expected: dict[str, str] = {}
    questions = list(longest.questions)
    for q in questions[: (len(questions) + 1) // 2]:
        if q.show_if and expected.get(q.show_if.question) != "yes":
            continue
        value = "yes" if q.type == "yes_no" else q.options[1].id
        page.locator(f"#q-{q.id} label.choice:has(input[value='{value}']) > span").tap()
        expected[q.id] = value
    assert len(expected) >= 4, expected
    status = page.locator(".autosave-status")
    expect(status).to_have_text("Đã lưu")
    assert _checked(page) == expected
    shot(page, "autosave-longest-page-half", full_page=False)

    # 1. reload
    page.reload()
    assert _checked(page) == expected

    # 2. the language switch
    page.locator("nav.lang a[hreflang=en]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert _checked(page) == expected
    expect(page.locator(".progress-text")).to_contain_text("questions")

    # 3. the same page in a new tab
    other = ctx.new_page()
    other.goto(url)
    assert _checked(other) == expected
    other.close()

    # one more tap, then the language switch at once: the pending save completes first
    rest = [q for q in questions if q.id not in expected and not q.show_if]
    q = rest[0]
    value = "yes" if q.type == "yes_no" else q.options[0].id
    page.locator(f"#q-{q.id} label.choice:has(input[value='{value}']) > span").tap()
    page.locator("nav.lang a[hreflang=vi]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expected[q.id] = value
    assert _checked(page) == expected


@pytest.mark.e2e
def test_the_profile_keeps_what_was_typed_across_the_language_switch(
    new_context: Any, phone: dict[str, Any]
) -> None:
    page = new_context(**phone).new_page()
    page.goto("/start")
    page.locator("input[name=name]").fill("Rang Xay Cà Phê Mộc")
    page.locator("label.choice:has(input[name=business_type][value=enterprise]) > span").tap()
    page.locator("nav.lang a[hreflang=en]").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("input[name=name]")).to_have_value("Rang Xay Cà Phê Mộc")
    expect(page.locator("input[name=business_type][value=enterprise]")).to_be_checked()


@pytest.mark.e2e
def test_leaving_with_a_failed_save_warns(
    new_context: Any, api: Any, phone: dict[str, Any], questionnaire: Any
) -> None:
    ctx = new_context(**phone)
    pid, _code = api(ctx).start()
    page = ctx.new_page()
    page.goto(f"/a/{pid}/step/2")
    # the connection drops (fetch fails without a request, so the browser logs no error)
    page.evaluate("() => { window.fetch = () => Promise.reject(new TypeError('offline')); }")
    gate = questionnaire.pillars[1].questions[0]
    page.locator(f"#q-{gate.id} label.choice:has(input[value='yes']) > span").tap()
    status = page.locator(".autosave-status")
    expect(status).to_have_class(re.compile(r"\bfailed\b"))
    expect(status).to_contain_text("Chưa lưu được")
    dialogs: list[str] = []

    def on_dialog(d: Any) -> None:
        dialogs.append(d.type)
        d.dismiss()

    page.on("dialog", on_dialog)
    # a beforeunload prompt only shows after a user gesture: the tap above was one
    page.evaluate("() => { location.href = '/'; }")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


@pytest.mark.e2e
def test_a_submitted_code_leads_to_the_results(
    new_context: Any, api: Any, phone: dict[str, Any], shot: Any, assert_no_overflow: Any
) -> None:
    first = new_context(**phone)
    setup = api(first)
    pid, code = setup.start()
    for n in range(1, 7):
        setup.answer(pid, n)
    token = setup.submit(pid)

    page = new_context(**phone).new_page()
    page.goto("/")
    page.locator("form.resume input[name=code]").fill(code.lower().replace("-", " "))
    page.locator("form.resume button[type=submit]").tap()
    expect(page.locator("h1")).to_have_text("Bài đánh giá này đã được gửi")
    expect(page.locator("main")).to_contain_text("đã được gửi ngày")
    assert_no_overflow(page, phone["viewport"]["width"])
    shot(page, "resume-submitted")
    page.locator("a.button", has_text="Xem kết quả").tap()
    page.wait_for_url(f"**/r/{token}")
    expect(page.locator(".overall h1")).to_have_text(re.compile(r"^Mức tổng thể [0-5]"))


@pytest.mark.e2e
def test_check_page_changes_come_back(
    new_context: Any, api: Any, phone: dict[str, Any], questionnaire: Any
) -> None:
    ctx = new_context(**phone)
    setup = api(ctx)
    pid, _code = setup.start()
    for n in range(1, 7):
        setup.answer(pid, n)
    page = ctx.new_page()
    page.goto(f"/a/{pid}/check")

    # a question's "Change": its page, then back to the check page with the new answer
    q = questionnaire.pillars[2].components[1].criteria[6].questions[-1]
    page.locator(f"dd:has(a[href*='#q-{q.id}']) a.change").tap()
    page.wait_for_url(re.compile(rf"/a/{pid}/step/3/\d\?return=check#q-{q.id}$"))
    page.locator(f"#q-{q.id} label.choice:has(input[value='{q.options[0].id}']) > span").tap()
    page.locator("button[name=action][value=next]").tap()
    page.wait_for_url(re.compile(rf"/a/{pid}/check(#[\w-]*)?$"))
    expect(page.locator(f"dt#c-{q.id} + dd")).to_contain_text(q.options[0].text.get("vi"))

    # the business "Change": the profile, then back to the check page
    page.locator("section.card h2 a.change").first.tap()
    page.wait_for_url(f"**/a/{pid}/profile?return=check")
    page.locator("input[name=name]").fill("Rang Xay Mộc")
    page.locator("form button[type=submit]").tap()
    page.wait_for_url(f"**/a/{pid}/check")
    expect(page.locator("dl.summary").first).to_contain_text("Rang Xay Mộc")


@pytest.mark.e2e
def test_the_page_post_waits_for_a_save_in_flight(
    new_context: Any, api: Any, questionnaire: Any
) -> None:
    """A change saved in the background, then "Save and continue" at once: the page's post is
    sent only after the background save has come back, so the older answer the background save
    carries cannot land after the page's own and put itself back."""
    ctx = new_context()
    pid, _code = api(ctx).start()
    page = ctx.new_page()
    page.goto(f"/a/{pid}/step/2")
    gate, dependent = questionnaire.pillars[1].questions
    order: list[str] = []
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.on(
        "request",
        lambda r: order.append(r.url.rsplit("/", 1)[-1]) if r.method == "POST" else None,
    )
    page.route("**/save", hold)
    page.locator(f"#q-{gate.id} label.choice:has(input[value='yes']) > span").click()
    chosen = dependent.options[2].id
    page.locator(f"#q-{dependent.id} label.choice:has(input[value='{chosen}']) > span").click()
    page.locator("button[value=next]").click()
    page.wait_for_timeout(300)
    # the first background save is still held: the page has not been posted
    assert order == ["save"], order
    assert page.url.endswith(f"/a/{pid}/step/2")
    while held:  # let the saves through one by one; the queue sends the next after each
        held.pop(0).continue_()
        page.wait_for_timeout(200)
    page.wait_for_url(f"**/a/{pid}/step/3")
    assert order == ["save", "save", "2"], order

    page.goto(f"/a/{pid}/step/2")
    expect(page.locator(f"input[name={gate.id}][value=yes]")).to_be_checked()
    expect(page.locator(f"input[name={dependent.id}][value='{chosen}']")).to_be_checked()
