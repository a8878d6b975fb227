"""A results link is a read-only view (finding 1), and each submitted assessment keeps the
business profile it was made with."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from sqlalchemy import func, select

from sme_assess.models import Assessment, Business
from tests.conftest import PROFILE, csrf_token, sign_in_client
from tests.security.conftest import assessment_of


def _count(db: Any, business_id: int) -> int:
    return int(
        db.scalar(
            select(func.count())
            .select_from(Assessment)
            .where(Assessment.business_id == business_id)
        )
    )


def test_a_bare_results_link_cannot_start_a_new_assessment(
    db: Any, submitted: Any, new_client: Any
) -> None:
    results = submitted(
        name="Công ty TNHH Chủ Thật",
        business_type="enterprise",
        tax_code="0100233488",
        email="chu@example.com",
    )
    a = assessment_of(db, results)
    before = _count(db, a.business_id)

    stranger = new_client()
    page = stranger.get(results).get_data(as_text=True)
    assert "Công ty TNHH Chủ Thật" in page  # the results are readable …
    assert "/again" not in page  # … but there is no button to start again
    assert "Đường dẫn này chỉ để xem kết quả" in page  # the page says what is needed instead

    token = csrf_token(stranger, "/")
    resp = stranger.post(results + "/again", data={"csrf_token": token})
    assert resp.status_code == 403
    text = resp.get_data(as_text=True)
    assert "Đường dẫn kết quả chỉ để xem kết quả" in text
    assert "0100233488" not in text and "chu@example.com" not in text
    assert _count(db, a.business_id) == before  # nothing joined the owner's history
    assert db.get(Business, a.business_id).name == "Công ty TNHH Chủ Thật"


def test_the_owner_session_may_start_again(client: Any, db: Any, submitted: Any) -> None:
    results = submitted()
    a = assessment_of(db, results)
    page = client.get(results).get_data(as_text=True)
    assert f'action="{results}/again"' in page
    token = csrf_token(client, results)
    resp = client.post(results + "/again", data={"csrf_token": token})
    assert resp.status_code == 302
    assert "/saved" in resp.location
    assert _count(db, a.business_id) == 2


def test_a_resume_code_is_proof_on_another_device(
    client: Any, db: Any, submitted: Any, new_client: Any
) -> None:
    results = submitted()
    token = csrf_token(client, results)
    resp = client.post(results + "/again", data={"csrf_token": token})
    page = client.get(resp.location).get_data(as_text=True)
    code = re.search(r'id="resume-code">([^<]+)<', page).group(1).strip()
    phone = new_client()
    assert (
        phone.post(results + "/again", data={"csrf_token": csrf_token(phone, "/")}).status_code
        == 403
    )
    assert phone.get(f"/resume/{code}").status_code == 302  # opens the new draft …
    resp = phone.post(results + "/again", data={"csrf_token": csrf_token(phone, "/")})
    assert resp.status_code == 302  # … and proves the business is theirs


def test_results_verify_and_pdf_show_the_profile_of_the_assessment(
    client: Any, db: Any, submitted: Any, new_client: Any
) -> None:
    results = submitted(name="Cửa hàng Tên Cũ", province="01", industry="C")
    a = assessment_of(db, results)
    assert (a.profile_name, a.profile_province_code, a.profile_industry_section) == (
        "Cửa hàng Tên Cũ",
        "01",
        "C",
    )
    assert a.profile_business_type == "household" and a.profile_size_class == "micro"
    # the owner starts again and renames the business in the new draft's profile
    token = csrf_token(client, results)
    resp = client.post(results + "/again", data={"csrf_token": token})
    pid = resp.location.split("/a/")[1].split("/")[0]
    resp = client.post(
        f"/a/{pid}/profile",
        data={**PROFILE, "name": "Cửa hàng Tên Mới", "province": "79", "csrf_token": token},
    )
    assert resp.status_code == 302
    db.expire_all()
    assert db.get(Business, a.business_id).name == "Cửa hàng Tên Mới"

    reader = new_client()
    page = reader.get(results).get_data(as_text=True)
    assert "Cửa hàng Tên Cũ" in page and "Cửa hàng Tên Mới" not in page
    verify = reader.get(f"/verify/{a.verification_code}").get_data(as_text=True)
    assert "Cửa hàng Tên Cũ" in verify and "Cửa hàng Tên Mới" not in verify
    pdf = reader.get(results + "/report.pdf").data
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Cửa hàng Tên Cũ" in text and "Cửa hàng Tên Mới" not in text
    assert "Hà Nội" in text and "Hồ Chí Minh" not in text  # province 01 as it was, not 79


def test_the_owner_account_may_start_again_on_any_device(
    client: Any,
    login_as: Any,
    make_user: Any,
    start_draft: Any,
    answer_all: Any,
    new_client: Any,
) -> None:
    owner = login_as("owner")
    pid, _code = start_draft()
    token = csrf_token(client, "/account")
    claim = client.post("/account/claim", data={"draft": pid, "csrf_token": token})
    assert claim.status_code == 302
    answer_all(pid)
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]

    phone = new_client()
    sign_in_client(phone, owner)  # the owner, signed in on another device
    assert f'action="{results}/again"' in phone.get(results).get_data(as_text=True)
    resp = phone.post(results + "/again", data={"csrf_token": csrf_token(phone, "/")})
    assert resp.status_code == 302 and "/saved" in resp.location

    other = new_client()
    sign_in_client(other, make_user("owner"))  # another owner account: no proof
    resp = other.post(results + "/again", data={"csrf_token": csrf_token(other, "/")})
    assert resp.status_code == 403


def test_the_resume_code_of_a_submitted_assessment_is_proof_too(
    client: Any, start_draft: Any, answer_all: Any, new_client: Any
) -> None:
    pid, code = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]
    phone = new_client()
    assert (
        phone.post(results + "/again", data={"csrf_token": csrf_token(phone, "/")}).status_code
        == 403
    )
    assert phone.get(f"/resume/{code}").status_code < 400  # the code leads to the results …
    resp = phone.post(results + "/again", data={"csrf_token": csrf_token(phone, "/")})
    assert resp.status_code == 302  # … and proves the business is the owner's
