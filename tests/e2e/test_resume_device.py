"""Continue a draft on another device with the resume code."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.mark.e2e
def test_resume_code_on_a_new_device(
    new_context: Any,
    api: Any,
    phone: dict[str, Any],
    questionnaire: Any,
    assert_no_overflow: Any,
    shot: Any,
) -> None:
    # first device: profile, pages 1 and 2, and part of page 3
    first = new_context(**phone)
    setup = api(first)
    pid, code = setup.start()
    setup.answer(pid, 1)
    setup.answer(pid, 2)
    page3 = questionnaire.pillars[2].questions
    gate, dependent = page3[0], page3[1]
    assert gate.type == "yes_no" and dependent.show_if and dependent.show_if.question == gate.id
    chosen = dependent.options[1].id
    setup.answer(pid, 3, {gate.id: "yes", dependent.id: chosen})

    # second device: no cookies, so the draft is invisible until the code is given
    ctx = new_context(**phone)
    page = ctx.new_page()
    resp = page.goto(f"/a/{pid}/step/1")
    assert resp is not None and resp.status == 404

    page.goto("/")
    # typed the way people copy codes by hand: lower case, groups separated by spaces
    page.locator("form.resume input[name=code]").fill(code.lower().replace("-", " "))
    page.locator("form.resume button[type=submit]").tap()

    # lands on the first page with unanswered questions, with the saved answers checked
    page.wait_for_url(re.compile(rf"/a/{pid}/step/3$"))
    expect(page.locator(".progress-text")).to_have_text(
        "Phần 3/6 · trang 1/8 · câu 23–26 trên khoảng 93 câu"
    )
    expect(page.locator(f"input[name={gate.id}][value=yes]")).to_be_checked()
    expect(page.locator(f"fieldset#q-{dependent.id}")).to_be_visible()  # its gate says yes
    expect(page.locator(f"input[name={dependent.id}][value='{chosen}']")).to_be_checked()
    expect(page.locator(f"fieldset#q-{page3[3].id}")).to_be_hidden()  # gate 2 not answered
    expect(page.locator("form.questions input:checked")).to_have_count(2)
    assert_no_overflow(page, phone["viewport"]["width"])
    shot(page, "resume-step3-top", full_page=False)

    # the earlier pages too
    page.locator("button[name=action][value=back]").tap()
    page.wait_for_url(f"**/a/{pid}/step/2")
    answers = setup.page_answers(2)
    for qid, value in answers.items():
        expect(page.locator(f"input[name={qid}][value='{value}']")).to_be_checked()
    expect(page.locator("form.questions input:checked")).to_have_count(len(answers))
