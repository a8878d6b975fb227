"""The owner's journey end to end with Flask's test client."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from sme_assess.models import Answer, Assessment, AssessmentStatus, Business
from tests.conftest import PROFILE, csrf_token, page_answers


def _answers_in_db(db: Any, pid: str) -> dict[str, Any]:
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    return {
        r.question_id: r.value
        for r in db.scalars(select(Answer).where(Answer.assessment_id == a.id))
    }


def test_landing_is_vietnamese_with_english_switch(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert 'href="/?lang=en"' in page
    en = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in en
    # the choice is remembered
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_profile_computes_size_class_and_shows_it(client: Any, db: Any, start_draft: Any) -> None:
    pid, code = start_draft(
        business_type="enterprise",
        tax_code="0100233488",
        industry="C",
        employees="11-50",
        revenue="10-50",
        capital="3-20",
    )
    b = db.scalar(select(Business).join(Assessment).where(Assessment.public_id == pid))
    # industry group, 11–50 staff, revenue ≤ 50 bn → small (Decree 80)
    assert b.size_class.value == "small"
    assert b.tax_code == "0100233488"
    page = client.get(f"/a/{pid}/saved").get_data(as_text=True)
    assert code in page
    assert "<svg" in page  # QR code of the resume link
    assert f"/resume/{code}" in page


@pytest.mark.parametrize(
    ("tax_code", "business_type", "message"),
    [
        ("0100233480", "enterprise", "last digit does not match"),
        ("12345", "enterprise", "10 digits"),
        ("0314409058-000", "enterprise", "between 001 and 999"),
        ("", "enterprise", "have a tax code"),
    ],
)
def test_profile_rejects_bad_tax_codes(
    client: Any, db: Any, tax_code: str, business_type: str, message: str
) -> None:
    before = db.scalar(select(func.count()).select_from(Business))
    token = csrf_token(client, "/start?lang=en")
    resp = client.post(
        "/start",
        data={**PROFILE, "tax_code": tax_code, "business_type": business_type, "csrf_token": token},
    )
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Business)) == before


def test_tax_code_error_is_vietnamese_by_default(client: Any) -> None:
    token = csrf_token(client, "/start")
    resp = client.post(
        "/start",
        data={
            **PROFILE,
            "tax_code": "0100233480",
            "business_type": "enterprise",
            "csrf_token": token,
        },
    )
    assert resp.status_code == 422
    assert "Mã số thuế" in resp.get_data(as_text=True)


def test_household_may_use_personal_id_or_nothing(client: Any, start_draft: Any) -> None:
    start_draft(business_type="household", tax_code="")
    start_draft(business_type="household", tax_code="079123456789")


def test_whole_journey_submit_and_results(
    client: Any, db: Any, start_draft: Any, answer_all: Any, questionnaire: Any
) -> None:
    pid, _code = start_draft()
    answer_all(pid)
    check = client.get(f"/a/{pid}/check")
    assert check.status_code == 200
    token = csrf_token(client, f"/a/{pid}/check")
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302
    results_url = resp.location
    assert "/r/" in results_url
    page = client.get(results_url).get_data(as_text=True)
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert a.status == AssessmentStatus.submitted
    assert a.total_points == questionnaire.scoring.max_total
    assert a.overall_level == 5
    assert {p.pillar_id for p in a.pillar_results} == {p.id for p in questionnaire.pillars}
    assert "Dẫn dắt" in page  # level 5 name
    assert page.count("<svg") >= 2  # radar + bars
    assert "<table" in page  # the text table for screen readers
    # the permanent link works from another device without any session
    assert client.application.test_client().get(results_url).status_code == 200


def test_nothing_is_lost_across_devices(
    client: Any, new_client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, code = start_draft()
    sent: dict[str, Any] = {}
    for n, pillar in enumerate(questionnaire.pillars[:3], start=1):
        data = page_answers(pillar, pick=lambda q: q.options[1].id)
        token = csrf_token(client, f"/a/{pid}/step/{n}")
        assert (
            client.post(f"/a/{pid}/step/{n}", data={**data, "csrf_token": token}).status_code == 302
        )
        sent.update(data)
    del client  # the first device is gone
    other = new_client()
    assert other.get(f"/a/{pid}/step/1").status_code == 404  # no access without the code
    resp = other.get(f"/resume/{code.lower().replace('-', ' ')}")
    assert resp.status_code == 302
    assert resp.location.endswith("/step/4")  # first page with unanswered questions
    assert _answers_in_db(db, pid) == sent
    # pillar 1 is asked on five pages (component 1.1 on four, then 1.2)
    page = "".join(
        other.get(f"/a/{pid}/step/1/{part}").get_data(as_text=True) for part in range(1, 6)
    )
    for qid, value in page_answers(
        questionnaire.pillars[0], pick=lambda q: q.options[1].id
    ).items():
        assert re.search(rf'name="{qid}" value="{value}"[^>]* checked', page), qid


def test_resume_form_with_unknown_code(client: Any) -> None:
    token = csrf_token(client, "/resume?lang=en")
    resp = client.post("/resume", data={"code": "AAAA-BBBB", "csrf_token": token})
    assert resp.status_code == 404
    assert "No assessment matches this code" in resp.get_data(as_text=True)


def test_tampered_option_id_is_refused_and_nothing_saved(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    pillar = questionnaire.pillars[0]
    good = page_answers(pillar)
    token = csrf_token(client, f"/a/{pid}/step/1")
    assert client.post(f"/a/{pid}/step/1", data={**good, "csrf_token": token}).status_code == 302
    before = _answers_in_db(db, pid)
    other = page_answers(pillar, pick=lambda q: q.options[0].id)
    level_q = next(q for q in pillar.questions if q.type == "single")
    bad = {**other, level_q.id: "l99", "csrf_token": token}
    resp = client.post(f"/a/{pid}/step/1", data=bad)
    assert resp.status_code == 400
    assert _answers_in_db(db, pid) == before  # nothing from the bad post, earlier answers intact


def test_tampered_question_id_is_refused(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    other_page_q = questionnaire.pillars[2].questions[0].id
    data = {**page_answers(questionnaire.pillars[0]), other_page_q: "yes", "csrf_token": token}
    assert client.post(f"/a/{pid}/step/1", data=data).status_code == 400
    data = {"q_unknown": "yes", "csrf_token": token}
    assert client.post(f"/a/{pid}/step/1", data=data).status_code == 400
    assert _answers_in_db(db, pid) == {}


def test_missing_csrf_token_is_refused(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    resp = client.post(f"/a/{pid}/step/1?lang=en", data=page_answers(questionnaire.pillars[0]))
    assert resp.status_code == 400
    assert "security token" in resp.get_data(as_text=True)
    assert _answers_in_db(db, pid) == {}


def test_expired_draft(client: Any, new_client: Any, db: Any, start_draft: Any) -> None:
    pid, code = start_draft()
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    a.expires_at = a.updated_at - timedelta(days=1)
    db.flush()
    assert client.get(f"/a/{pid}/step/1").status_code == 410
    resp = new_client().get(f"/resume/{code}?lang=en")
    assert resp.status_code == 410
    assert "Draft expired" in resp.get_data(as_text=True)


def test_draft_ttl_is_configurable(app: Any, client: Any, db: Any, start_draft: Any) -> None:
    app.config["DRAFT_TTL_DAYS"] = 7
    try:
        pid, _ = start_draft()
    finally:
        app.config["DRAFT_TTL_DAYS"] = 90
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert 6 <= (a.expires_at - a.created_at).days <= 7


def test_editing_after_submission_is_refused(
    client: Any, db: Any, start_draft: Any, answer_all: Any, questionnaire: Any
) -> None:
    pid, code = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]
    before = _answers_in_db(db, pid)
    # the draft left this session; a session that still holds it gets 409, not an edit
    from sme_assess import access

    with client.session_transaction() as sess:
        sess[access.SESSION_KEY] = {pid: code}
    data = {
        **page_answers(questionnaire.pillars[0], pick=lambda q: q.options[0].id),
        "csrf_token": token,
    }
    assert client.post(f"/a/{pid}/step/1", data=data).status_code == 409
    assert client.post(f"/a/{pid}/submit", data={"csrf_token": token}).status_code == 409
    assert _answers_in_db(db, pid) == before
    # the code no longer opens the draft: it says when it was submitted and links the results
    page = client.get(f"/resume/{code}?lang=en").get_data(as_text=True)
    assert "This assessment is already submitted" in page
    assert f'href="{results}"' in page
    # answering again creates a new, linked assessment
    resp = client.post(results + "/again", data={"csrf_token": token})
    assert resp.status_code == 302
    new_pid = resp.location.split("/a/")[1].split("/")[0]
    new = db.scalar(select(Assessment).where(Assessment.public_id == new_pid))
    old = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert new.business_id == old.business_id and new.previous_id == old.id
    assert new.status == AssessmentStatus.draft


def test_submission_with_missing_answers_lists_them(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    client.post(
        f"/a/{pid}/step/1", data={**page_answers(questionnaire.pillars[0]), "csrf_token": token}
    )
    resp = client.post(f"/a/{pid}/submit?lang=en", data={"csrf_token": token})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'class="error-summary"' in page
    first_missing = questionnaire.pillars[1].questions[0]
    assert f"/a/{pid}/step/2?return=check#q-{first_missing.id}" in page
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert a.status == AssessmentStatus.draft


def test_show_if_hidden_answers_are_not_required(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    for n, pillar in enumerate(questionnaire.pillars, start=1):
        data = {}
        for q in pillar.questions:
            if q.type == "yes_no":
                data[q.id] = "no"
            elif q.show_if is None:
                data[q.id] = q.options[0].id
        token = csrf_token(client, f"/a/{pid}/step/{n}")
        assert (
            client.post(f"/a/{pid}/step/{n}", data={**data, "csrf_token": token}).status_code == 302
        )
    token = csrf_token(client, f"/a/{pid}/check")
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert a.overall_level == 0


def test_back_button_saves_and_goes_back(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    data = page_answers(questionnaire.pillars[1])
    token = csrf_token(client, f"/a/{pid}/step/2")
    resp = client.post(f"/a/{pid}/step/2", data={**data, "action": "back", "csrf_token": token})
    # back from part 2 goes to the last page of part 1 (its fifth page, component 1.2)
    assert resp.status_code == 302 and resp.location.endswith(f"/a/{pid}/step/1/5")
    assert _answers_in_db(db, pid) == data


def test_other_sessions_cannot_open_a_draft(client: Any, new_client: Any, start_draft: Any) -> None:
    pid, _ = start_draft()
    stranger = new_client()
    for path in (f"/a/{pid}/step/1", f"/a/{pid}/check", f"/a/{pid}/profile", f"/a/{pid}/saved"):
        assert stranger.get(path).status_code == 404


def test_progress_and_pages_without_javascript(
    client: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    page = client.get(f"/a/{pid}/step/3?lang=en").get_data(as_text=True)
    # infrastructure: component 3.1 (2 criteria), then 3.2 (14 criteria) on seven pages
    assert "Part 3 of 6 · page 1 of 8 · questions 23–26 of about 93" in page
    pages = [page] + [
        client.get(f"/a/{pid}/step/3/{part}?lang=en").get_data(as_text=True) for part in range(2, 9)
    ]
    assert "Part 3 of 6 · page 8 of 8 · questions 49–52 of about 93" in pages[7]
    # every question (including show_if ones) is in the HTML of one of the pages, so they work
    # without JS
    for q in questionnaire.pillars[2].questions:
        assert sum(f'id="q-{q.id}"' in p for p in pages) == 1, q.id
    assert "<script" in page and 'src="/static/app.js"' in page


def test_change_link_returns_to_the_check_page(
    client: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/2")
    data = {**page_answers(questionnaire.pillars[1]), "csrf_token": token}
    resp = client.post(f"/a/{pid}/step/2?return=check", data=data)
    assert resp.status_code == 302 and resp.location.endswith(f"/a/{pid}/check")


def test_language_switch_keeps_query_parameters(client: Any, start_draft: Any) -> None:
    pid, _ = start_draft()
    page = client.get(f"/a/{pid}/saved?next=1").get_data(as_text=True)
    assert f'href="/a/{pid}/saved?next=1&amp;lang=en"' in page


def test_resume_link_uses_the_public_base_url(app: Any, client: Any, start_draft: Any) -> None:
    pid, code = start_draft()
    before = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = "https://danhgia.example.vn/"
    try:
        page = client.get(f"/a/{pid}/saved").get_data(as_text=True)
    finally:
        app.config["PUBLIC_BASE_URL"] = before  # the suite's own (tests/conftest.py)
    assert f'href="https://danhgia.example.vn/resume/{code}"' in page


def test_oversized_post_is_refused_and_nothing_saved(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    data = {**page_answers(questionnaire.pillars[0]), "csrf_token": token, "padding": "x" * 300_000}
    resp = client.post(f"/a/{pid}/step/1?lang=en", data=data)
    assert resp.status_code == 413
    assert "larger than allowed" in resp.get_data(as_text=True)
    assert _answers_in_db(db, pid) == {}


def test_changed_answers_replace_saved_ones(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    pillar = questionnaire.pillars[0]
    token = csrf_token(client, f"/a/{pid}/step/1")
    first = page_answers(pillar, pick=lambda q: q.options[1].id)
    second = {**first, **page_answers(pillar, pick=lambda q: q.options[2].id)}
    second[next(q.id for q in pillar.questions if q.type == "yes_no")] = "no"
    for data in (first, first, second):
        resp = client.post(f"/a/{pid}/step/1", data={**data, "csrf_token": token})
        assert resp.status_code == 302
    assert _answers_in_db(db, pid) == second
