"""The whole journey with JavaScript turned off (old phones, proxy browsers, strict settings)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from sme_assess.questionnaire.pages import all_pages


@pytest.mark.e2e
def test_journey_without_javascript(
    new_context: Any,
    questionnaire: Any,
    profile: dict[str, str],
    shot: Any,
    assert_no_overflow: Any,
) -> None:
    ctx = new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = ctx.new_page()

    page.goto("/start")
    page.locator("input[name=name]").fill(profile["name"])
    for field in ("business_type", "employees", "revenue", "capital"):
        page.locator(f"input[name={field}][value='{profile[field]}']").check()
    page.locator("select[name=province]").select_option(profile["province"])
    page.locator("select[name=industry]").select_option(profile["industry"])
    page.locator("form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/saved\?next=1$"))
    expect(page.locator("#resume-code")).not_to_be_empty()
    expect(page.locator("button[data-copy]")).to_be_hidden()  # only scripts reveal it
    page.locator("a.button[href$='/step/1']").click()

    pillars = questionnaire.pillars
    left_out = pillars[-1].questions[0]  # the one question left unanswered
    assert left_out.type == "single" and not left_out.show_if
    ignored: list[str] = []  # dependent answers given under a "no": not shown, not required
    for qpage in all_pages(questionnaire):
        n = qpage.step
        page.wait_for_url(f"**/step/{n}" + (f"/{qpage.part}" if qpage.part > 1 else ""))
        # every question of the page is there, the conditional ones too
        fieldsets = page.locator("form.questions fieldset.question")
        expect(fieldsets).to_have_count(len(qpage.questions))
        for fs in fieldsets.all():
            expect(fs).to_be_visible()
        if n == 1 and qpage.part == 1:
            shot(page, "nojs-step1")
        if n == 3 and qpage.part == 2:
            shot(page, "nojs-step3-2")
        # no page needs more than about three phone screens before its save button
        bottom = page.evaluate(
            "document.querySelector('button[value=next]').getBoundingClientRect().bottom + scrollY"
        )
        assert bottom <= 3.6 * 740, (n, qpage.part, bottom)
        gates_no = n >= 3  # pages 1–2: "yes" and the level; later pages: "no"
        for i, q in enumerate(qpage.questions):
            if q.id == left_out.id:
                continue
            if q.type == "yes_no":
                value = "no" if gates_no else "yes"
            elif q.show_if and gates_no:
                # answered by mistake on the first dependent question; skipped elsewhere
                if ignored or n != 3:
                    continue
                ignored.append(q.id)
                value = q.options[-1].id
            else:
                value = q.options[(n + i) % len(q.options)].id
            page.locator(f"input[name={q.id}][value='{value}']").check()
        page.locator("button[name=action][value=next]").click()
    assert ignored

    # check page: one answer missing
    page.wait_for_url("**/check")
    expect(page.locator("p.notice")).to_be_visible()
    expect(page.locator(f"#c-{ignored[0]}")).to_have_count(0)  # hidden by its gate
    page.locator("form[action$='/submit'] button[type=submit]").click()

    # refused: the error summary lists the missing answer with a link to it
    expect(page.locator(".error-summary")).to_be_visible()
    assert re.search(r"/a/[^/]+/submit$", page.url), page.url
    links = page.locator(".error-summary a")
    expect(links).to_have_count(1)
    expect(links).to_have_text(left_out.text.get("vi"))
    expect(links).to_have_attribute(
        "href", re.compile(rf"/step/{len(pillars)}\?return=check#q-{left_out.id}$")
    )
    assert_no_overflow(page)
    shot(page, "nojs-check-missing")
    links.click()

    page.wait_for_url(f"**/step/{len(pillars)}?return=check#q-{left_out.id}")
    expect(page.locator(f"fieldset#q-{left_out.id}")).to_be_in_viewport()
    # what was saved before is still there
    first_page = next(p for p in all_pages(questionnaire) if p.step == len(pillars))
    assert first_page.part == 1 and left_out in first_page.questions
    expect(page.locator("form.questions input:checked")).to_have_count(
        len(first_page.questions) - 1 - sum(1 for q in first_page.questions if q.show_if)
    )
    page.locator(f"input[name={left_out.id}][value='{left_out.options[0].id}']").check()
    page.locator("button[name=action][value=next]").click()
    # (a redirect keeps the fragment of the page it came from)
    page.wait_for_url(re.compile(r"/check(#[\w-]*)?$"))
    expect(page.locator("p.notice, .error-summary")).to_have_count(0)
    page.locator("form[action$='/submit'] button[type=submit]").click()

    page.wait_for_url(re.compile(r"/r/[^/?]+\?new=1$"))
    expect(page.locator(".overall h1")).to_have_text(re.compile(r"^Mức tổng thể [0-5]/5 — \S"))
    expect(page.locator(".chart-grid figure svg")).to_have_count(2)
    expect(page.locator("table.scores").first.locator("tbody tr")).to_have_count(len(pillars))
