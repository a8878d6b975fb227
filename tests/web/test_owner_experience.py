"""The owner's experience: autosave, emails, short codes that lead back to the results, the
home page's "continue", honest time and question numbers, the check page."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from sme_assess.models import Answer, Assessment
from tests.conftest import PROFILE, csrf_token
from tests.web.test_other_question_types import _answers, _start, app2  # noqa: F401

CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def _answers_in_db(db: Any, pid: str) -> dict[str, Any]:
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    rows = db.scalars(select(Answer).where(Answer.assessment_id == a.id))
    return {r.question_id: r.value for r in rows}


# --- autosave ------------------------------------------------------------------------------


def test_autosave_saves_one_question_at_a_time(client: Any, db: Any, start_draft: Any) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    resp = client.post(
        f"/a/{pid}/step/1/save",
        data={"csrf_token": token, "touched": "q1_1_1_has", "q1_1_1_has": "yes"},
    )
    assert resp.status_code == 200
    assert resp.get_json() == {"saved": ["q1_1_1_has"], "errors": {}}
    assert _answers_in_db(db, pid) == {"q1_1_1_has": "yes"}
    # a second change to another question keeps the first
    client.post(
        f"/a/{pid}/step/1/save",
        data={"csrf_token": token, "touched": "q1_1_1_level", "q1_1_1_level": "l4"},
    )
    assert _answers_in_db(db, pid) == {"q1_1_1_has": "yes", "q1_1_1_level": "l4"}
    # the page shows them after a reload
    page = client.get(f"/a/{pid}/step/1").get_data(as_text=True)
    assert re.search(r'name="q1_1_1_level" value="l4"[^>]* checked', page)


def test_autosave_refuses_what_the_page_refuses(
    client: Any, new_client: Any, db: Any, start_draft: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    url = f"/a/{pid}/step/1/save"
    # an option that does not exist
    bad = {"csrf_token": token, "touched": "q1_1_1_level", "q1_1_1_level": "l9"}
    assert client.post(url, data=bad).status_code == 400
    # a question of another page's pillar
    other = {"csrf_token": token, "touched": "q2_1_1_has", "q2_1_1_has": "yes"}
    assert client.post(url, data=other).status_code == 400
    # no CSRF token
    assert client.post(url, data={"touched": "q1_1_1_has", "q1_1_1_has": "yes"}).status_code == 400
    # another browser without the code
    stranger = new_client()
    assert stranger.post(url, data={"touched": "q1_1_1_has", "q1_1_1_has": "no"}).status_code in (
        400,
        404,
    )
    assert _answers_in_db(db, pid) == {}


def test_autosave_after_submission_is_refused(
    client: Any, db: Any, start_draft: Any, answer_all: Any
) -> None:
    pid, code = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    with client.session_transaction() as sess:
        sess["drafts"] = {pid: code}
    resp = client.post(
        f"/a/{pid}/step/1/save?lang=en",
        data={"csrf_token": token, "touched": "q1_1_1_has", "q1_1_1_has": "no"},
    )
    assert resp.status_code == 409
    assert resp.get_json()["message"] == "This assessment is already submitted."
    assert _answers_in_db(db, pid)["q1_1_1_has"] == "yes"


def test_autosave_number_and_exclusive_errors(app2: Any) -> None:  # noqa: F811
    client = app2.test_client()
    pid = _start(client)
    token = csrf_token(client, f"/a/{pid}/step/1?lang=en")
    resp = client.post(
        f"/a/{pid}/step/1/save?lang=en",
        data={
            "csrf_token": token,
            "touched": "q1_1_2_tools",
            "q1_1_2_tools": ["none", "mail"],
        },
    )
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == {
        "q1_1_2_tools": ["“None” cannot be combined with other choices."]
    }
    resp = client.post(
        f"/a/{pid}/step/2/save?lang=en",
        data={"csrf_token": token, "touched": "q2_1_1_staff", "q2_1_1_staff": "abc"},
    )
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == {"q2_1_1_staff": ["Please enter a number."]}
    assert _answers(app2, pid) == {}
    # a multiple choice with nothing ticked is cleared
    client.post(
        f"/a/{pid}/step/1/save",
        data={"csrf_token": token, "touched": "q1_1_2_tools", "q1_1_2_tools": ["mail", "chat"]},
    )
    assert _answers(app2, pid) == {"q1_1_2_tools": ["mail", "chat"]}
    client.post(f"/a/{pid}/step/1/save", data={"csrf_token": token, "touched": "q1_1_2_tools"})
    assert _answers(app2, pid) == {}


# --- pages, numbers, time ------------------------------------------------------------------


def test_landing_states_a_range_of_time_and_questions(client: Any) -> None:
    page = client.get("/?lang=en").get_data(as_text=True)
    # 93 questions when every gate is answered "yes", 60 when every one is "no"
    assert "About 30–55 minutes" in page
    assert "60 to 93 questions in 6 parts" in page
    vi = client.get("/?lang=vi").get_data(as_text=True)
    assert "Khoảng 30–55 phút" in vi


def test_numbers_shrink_when_a_gate_is_answered_no(client: Any, start_draft: Any) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    client.post(
        f"/a/{pid}/step/1/save",
        data={"csrf_token": token, "touched": "q1_1_1_has", "q1_1_1_has": "no"},
    )
    page = client.get(f"/a/{pid}/step/1/2?lang=en").get_data(as_text=True)
    # the website's frequency question no longer counts: one less before and in total
    assert "Part 1 of 6 · page 2 of 5 · questions 4–6 of about 92" in page
    vi = client.get(f"/a/{pid}/step/1/2?lang=vi").get_data(as_text=True)
    assert "Phần 1/6 · trang 2/5 · câu 4–6 trên khoảng 92 câu" in vi
    # back to "yes": each language's line follows (the lines are kept per numbers and language)
    client.post(
        f"/a/{pid}/step/1/save",
        data={"csrf_token": token, "touched": "q1_1_1_has", "q1_1_1_has": "yes"},
    )
    vi = client.get(f"/a/{pid}/step/1/2").get_data(as_text=True)
    assert "Phần 1/6 · trang 2/5 · câu 5–7 trên khoảng 93 câu" in vi
    assert "92 câu" not in vi
    page = client.get(f"/a/{pid}/step/1/2?lang=en").get_data(as_text=True)
    assert "Part 1 of 6 · page 2 of 5 · questions 5–7 of about 93" in page
    first = client.get(f"/a/{pid}/step/1").get_data(as_text=True)
    assert "Part 1 of 6 · page 1 of 5 · questions 1–4 of about 93" in first


def test_next_walks_through_the_pages_of_a_pillar(
    client: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/3")
    steps = []
    url = f"/a/{pid}/step/3"
    for _ in range(8):
        resp = client.post(url, data={"csrf_token": token, "action": "next"})
        assert resp.status_code == 302
        url = resp.location
        steps.append(url.split(f"/a/{pid}/")[1])
    assert steps == [f"step/3/{part}" for part in range(2, 9)] + ["step/4"]


def test_saving_one_page_keeps_the_other_pages_answers(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/step/1")
    first = {"q1_1_1_has": "yes", "q1_1_1_level": "l3"}
    client.post(f"/a/{pid}/step/1", data={**first, "csrf_token": token})
    client.post(f"/a/{pid}/step/1/5", data={"q1_2_1_has": "no", "csrf_token": token})
    assert _answers_in_db(db, pid) == {**first, "q1_2_1_has": "no"}


# --- codes, resume, submitted ----------------------------------------------------------------


def test_resume_code_is_short_and_checked(client: Any, start_draft: Any) -> None:
    _pid, code = start_draft()
    assert CODE_RE.match(code), code
    # a mistyped character is reported as a typing mistake, not as an unknown code
    wrong = code[:5] + ("0" if code[5] != "0" else "1") + code[6:]
    page = client.get(f"/resume/{wrong}?lang=en").get_data(as_text=True)
    assert "This code has a typing mistake" in page
    # lower case, spaces, O for 0 still open the draft
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert client.get(f"/resume/{typed}").status_code == 302


def test_submitted_code_leads_to_the_results(
    client: Any, new_client: Any, start_draft: Any, answer_all: Any
) -> None:
    pid, code = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]
    other = new_client()
    page = other.get(f"/resume/{code}").get_data(as_text=True)
    assert "Bài đánh giá này đã được gửi" in page
    assert "Cửa hàng Thử Nghiệm" in page
    assert f'href="{results}"' in page
    # by the form too
    token = csrf_token(other, "/resume")
    resp = other.post("/resume", data={"code": code, "csrf_token": token})
    assert resp.status_code == 200 and f'href="{results}"' in resp.get_data(as_text=True)


def test_home_page_offers_the_draft_this_browser_holds(
    client: Any, new_client: Any, start_draft: Any
) -> None:
    pid, _ = start_draft()
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Continue your assessment" in page
    assert f'href="/a/{pid}/continue"' in page
    assert client.get(f"/a/{pid}/continue").location.endswith(f"/a/{pid}/step/1")
    assert "Continue your assessment" not in new_client().get("/?lang=en").get_data(as_text=True)


# --- email ---------------------------------------------------------------------------------


def test_every_email_of_the_journey(
    client: Any, smtp_server: list[Any], questionnaire: Any, answer_all: Any
) -> None:
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "email": "chu@rangxay.vn", "csrf_token": token})
    assert resp.status_code == 302 and "mail=sent" in resp.location
    pid = resp.location.split("/a/")[1].split("/")[0]
    saved = client.get(resp.location).get_data(as_text=True)
    code = re.search(r'id="resume-code">([^<]+)<', saved).group(1)
    assert "Đã gửi liên kết tới chu@rangxay.vn." in saved

    # 1. on start: the resume code and link
    assert len(smtp_server) == 1
    first = smtp_server[0]
    assert first.envelope_to == ["chu@rangxay.vn"]
    assert first["Subject"] == "Mã tra cứu bài đánh giá chuyển đổi số của bạn"
    body = first.get_body(("plain",)).get_content()
    assert re.search(rf"https?://sme\.test/resume/{code}\n", body)
    assert f"hoặc nhập mã tra cứu này ở trang chủ: {code}" in body
    assert "Cửa hàng Thử Nghiệm" in body

    # 2. "email me this link" to another address
    token = csrf_token(client, f"/a/{pid}/saved")
    resp = client.post(
        f"/a/{pid}/email-link?next=1", data={"email": "ke.toan@rangxay.vn", "csrf_token": token}
    )
    assert resp.status_code == 302
    assert len(smtp_server) == 2
    assert smtp_server[1].envelope_to == ["ke.toan@rangxay.vn"]
    assert f"/resume/{code}" in smtp_server[1].get_body(("plain",)).get_content()

    # 3. on submission: the results link, to the profile's email
    answer_all(pid)
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    results = resp.location.split("?")[0]
    assert len(smtp_server) == 3
    last = smtp_server[2]
    assert last.envelope_to == ["chu@rangxay.vn"]
    assert last["Subject"] == "Kết quả đánh giá chuyển đổi số của bạn"
    body = last.get_body(("plain",)).get_content()
    assert re.search(rf"https?://sme\.test{results}\n", body)
    assert re.search(rf"https?://sme\.test{results}/report\.pdf\n", body)
    assert f"Mã tra cứu {code} của bạn cũng dẫn tới kết quả này." in body


def test_no_email_without_an_address(client: Any, smtp_server: list[Any], start_draft: Any) -> None:
    start_draft()
    assert smtp_server == []


def test_email_link_checks_the_address(
    client: Any, smtp_server: list[Any], start_draft: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/saved")
    resp = client.post(
        f"/a/{pid}/email-link?lang=en", data={"email": "not an email", "csrf_token": token}
    )
    assert resp.status_code == 422
    assert "Please enter a valid email address" in resp.get_data(as_text=True)
    assert smtp_server == []


def test_a_mail_server_down_loses_nothing(app: Any, client: Any, db: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "email": "chu@rangxay.vn", "csrf_token": token})
    assert resp.status_code == 302 and "mail=failed" in resp.location
    page = client.get(resp.location).get_data(as_text=True)
    assert "Chưa gửi được email lúc này" in page
    assert re.search(r'id="resume-code">([^<]+)<', page)


# --- check page ----------------------------------------------------------------------------


def test_check_page_shows_the_whole_profile_and_comes_back(client: Any, start_draft: Any) -> None:
    pid, _ = start_draft(
        business_type="enterprise",
        tax_code="0100233488",
        industry="C",
        employees="11-50",
        email="chu@rangxay.vn",
    )
    page = client.get(f"/a/{pid}/check?lang=en").get_data(as_text=True)
    for text in (
        "Type of business",
        "Enterprise (company)",
        "Number of employees with social insurance",
        "Size class",
        "chu@rangxay.vn",
        "0100233488",
    ):
        assert text in page, text
    assert f'href="/a/{pid}/profile?return=check"' in page
    # the business "Change" comes back to the check page
    token = csrf_token(client, f"/a/{pid}/profile?return=check")
    data = {
        **PROFILE,
        "business_type": "enterprise",
        "tax_code": "0100233488",
        "name": "Rang Xay Mới",
        "csrf_token": token,
    }
    resp = client.post(f"/a/{pid}/profile?return=check", data=data)
    assert resp.status_code == 302 and resp.location.endswith(f"/a/{pid}/check")
    # a question's "Change" opens the page that asks it and comes back too
    assert f'href="/a/{pid}/step/3/2?return=check#q-q3_2_1_has"' in page or "q3_2_1" not in page


def test_choice_errors_say_choose_and_point_at_the_first_option(client: Any) -> None:
    token = csrf_token(client, "/start?lang=en")
    resp = client.post(
        "/start?lang=en", data={"name": "Rang Xay", "tax_code": "", "csrf_token": token}
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'href="#business_type">Type of business: Please choose one of the options.' in page
    assert 'id="business_type"' in page
    # each input names its error message
    assert 'aria-describedby="e-province"' in page


# --- reference data ------------------------------------------------------------------------


def test_personal_id_is_checked_by_its_structure(client: Any) -> None:
    def post(tax_code: str) -> Any:
        token = csrf_token(client, "/start")
        data = {**PROFILE, "business_type": "household", "tax_code": tax_code}
        return client.post("/start", data={**data, "csrf_token": token})

    # 079: Hồ Chí Minh City; 3: a woman born 2000–2099; 98 the year
    assert post("079398001234").status_code == 302
    page = post("999198001234").get_data(as_text=True)
    assert "không bắt đầu bằng mã tỉnh (001 đến 096)" in page
    page = post("079798001234").get_data(as_text=True)
    assert "Chữ số thứ tư của số định danh cá nhân" in page


def test_province_has_its_official_name(client: Any) -> None:
    page = client.get("/start").get_data(as_text=True)
    assert '<option value="79">Thành phố Hồ Chí Minh</option>' in page
    assert "TP Hồ Chí Minh" not in page


def test_size_class_words_follow_the_business_type(client: Any, start_draft: Any) -> None:
    pid, _ = start_draft(business_type="household")
    page = client.get(f"/a/{pid}/saved").get_data(as_text=True)
    assert "không phân loại quy mô: Nghị định 80/2021 áp dụng cho doanh nghiệp" in page
    pid, _ = start_draft(business_type="cooperative", tax_code="0100233488")
    page = client.get(f"/a/{pid}/saved").get_data(as_text=True)
    assert "Siêu nhỏ (theo tiêu chí DNNVV)" in page
    # a 150-person hotel (services: medium ends at 100 people)
    pid, _ = start_draft(
        business_type="enterprise", tax_code="0100233488", industry="I", employees="101-200"
    )
    page = client.get(f"/a/{pid}/saved").get_data(as_text=True)
    assert "ngoài phạm vi doanh nghiệp nhỏ và vừa" in page
    assert "Lớn" not in page


def test_email_link_is_capped_per_draft(
    client: Any, smtp_server: list[Any], start_draft: Any
) -> None:
    pid, _ = start_draft()
    token = csrf_token(client, f"/a/{pid}/saved")
    for _ in range(5):
        resp = client.post(
            f"/a/{pid}/email-link", data={"email": "chu@rangxay.vn", "csrf_token": token}
        )
        assert resp.status_code == 302
    resp = client.post(
        f"/a/{pid}/email-link?lang=en", data={"email": "chu@rangxay.vn", "csrf_token": token}
    )
    assert resp.status_code == 429
    assert "This link has been emailed too often from here." in resp.get_data(as_text=True)
    assert len(smtp_server) == 5
