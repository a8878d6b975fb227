"""Assisted assessments: the advisor fills the assessment in with the owner, the owner keeps the
handles and decides about sharing."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from sme_assess.models import AdvisorShare, Assessment, AuditLog, Business
from tests.accounts.conftest import best, worst
from tests.conftest import PROFILE, csrf_token


def _submit(client: Any, pid: str, answer_all: Any) -> Any:
    answer_all(pid)
    return client.post(
        f"/a/{pid}/submit", data={"csrf_token": csrf_token(client, f"/a/{pid}/check")}
    )


def _new_visit(client: Any, answer_all: Any) -> tuple[str, Any]:
    """The advisor starts a new business on the owner's start page and submits it."""
    t = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "name": "Quán Phở Bà Tư", "csrf_token": t})
    assert resp.status_code == 302
    pid = resp.location.split("/a/")[1].split("/")[0]
    return pid, _submit(client, pid, answer_all)


def test_new_business_visit_records_the_advisor_and_hands_over_then_consent(
    client: Any, db: Any, login_as: Any, answer_all: Any
) -> None:
    advisor = login_as("advisor", name="Tư Vấn Hoa")
    pid, resp = _new_visit(client, answer_all)
    assert resp.status_code == 302
    assert resp.location.endswith(f"/advisor/visit/{pid}/handover")
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert a.assisted_by_id == advisor.id
    page = client.get(resp.location).get_data(as_text=True)
    assert "Vui lòng đưa điện thoại cho chủ doanh nghiệp" in page
    link = re.search(r'id="results-link">([^<]+)<', page).group(1)
    assert "/r/" in link
    code = re.search(r'id="handover-code">([^<]+)<', page).group(1)
    assert len(code.replace("-", "")) == 16
    assert "<svg" in page  # QR code of the results link
    # no consent ticked: nothing is shared
    t = csrf_token(client, resp.location)
    refused = client.post(f"/advisor/visit/{pid}/consent", data={"csrf_token": t})
    assert "consent=missing" in refused.location
    assert db.scalar(select(AdvisorShare)) is None
    ok = client.post(f"/advisor/visit/{pid}/consent", data={"consent": "y", "csrf_token": t})
    assert ok.status_code == 302
    share = db.scalar(select(AdvisorShare))
    assert share.advisor_id == advisor.id and share.consented_by_id is None
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "share"))
    assert entry.actor_label == "owner (on the advisor's phone, assisted visit)"
    page = client.get(ok.location).get_data(as_text=True)
    assert "Quán Phở Bà Tư" in page
    # the history says who assisted: the advisor's name and email
    assert f"có hỗ trợ của Tư Vấn Hoa ({advisor.email})" in page
    # the hand-over page is gone with the visit
    assert client.get(f"/advisor/visit/{pid}/handover").status_code == 404


def test_without_consent_the_advisor_keeps_nothing(
    client: Any, db: Any, login_as: Any, answer_all: Any
) -> None:
    login_as("advisor")
    pid, resp = _new_visit(client, answer_all)
    page = client.get(resp.location).get_data(as_text=True)
    link = re.search(r'id="results-link">([^<]+)<', page).group(1)
    t = csrf_token(client, resp.location)
    done = client.post(f"/advisor/visit/{pid}/finish", data={"csrf_token": t})
    assert done.location.endswith("/advisor/")
    b = db.scalar(select(Business).join(Assessment).where(Assessment.public_id == pid))
    assert client.get(f"/b/{b.public_id}").status_code == 404
    assert "Quán Phở Bà Tư" not in client.get("/advisor/").get_data(as_text=True)
    # not even a new assessment through the results link (no owner's proof left)
    token = link.split("/r/")[1]
    resp = client.post(f"/r/{token}/again", data={"csrf_token": csrf_token(client, "/login")})
    assert resp.status_code in (403, 404)
    assert client.get(f"/a/{pid}/step/1").status_code in (404, 409)


def test_visit_for_a_shared_business_starts_from_its_page(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any, answer_all: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business("Tiệm May Thu", picks=(worst, best))
    share_with(b, advisor)
    t = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(f"/b/{b.public_id}/assist", data={"csrf_token": t})
    assert resp.status_code == 302 and "/saved" in resp.location
    pid = resp.location.split("/a/")[1].split("/")[0]
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert a.assisted_by_id == advisor.id and a.business_id == b.id
    assert a.previous_id is not None
    resp = _submit(client, pid, answer_all)
    page = client.get(resp.location).get_data(as_text=True)
    assert "Doanh nghiệp này đã được chia sẻ với tư vấn viên" in page
    assert db.scalar(select(AuditLog).where(AuditLog.action == "assist")) is not None
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert page.count("/report.pdf") == 3


def test_handles_are_emailed_to_the_address_the_owner_types(
    client: Any, db: Any, login_as: Any, answer_all: Any, smtp_server: Any
) -> None:
    login_as("advisor")
    pid, resp = _new_visit(client, answer_all)
    page = client.get(resp.location).get_data(as_text=True)
    link = re.search(r'id="results-link">([^<]+)<', page).group(1)
    t = csrf_token(client, resp.location)
    bad = client.post(f"/advisor/visit/{pid}/email", data={"email": "không", "csrf_token": t})
    assert "mail=invalid" in bad.location
    assert smtp_server == []
    sent = client.post(
        f"/advisor/visit/{pid}/email", data={"email": "chu.quan@example.vn", "csrf_token": t}
    )
    assert "mail=sent" in sent.location
    assert len(smtp_server) == 1
    msg = smtp_server[0]
    assert msg.envelope_to == ["chu.quan@example.vn"]
    assert link.split("/r/")[1] in msg.get_content()


def test_the_hand_over_closes_two_hours_after_submission(
    client: Any, db: Any, login_as: Any, answer_all: Any
) -> None:
    """An advisor who left without finishing cannot come back later to read the owner's
    handles or to consent in the owner's name."""
    from datetime import UTC, datetime, timedelta

    login_as("advisor")
    pid, resp = _new_visit(client, answer_all)
    handover = f"/advisor/visit/{pid}/handover"
    t = csrf_token(client, handover)  # open now (submitted a moment ago)
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    a.submitted_at = datetime.now(UTC) - timedelta(minutes=119)
    db.flush()
    assert client.get(handover).status_code == 200  # still within the visit
    a.submitted_at = datetime.now(UTC) - timedelta(minutes=121)
    db.flush()
    assert client.get(handover).status_code == 404
    resp = client.post(f"/advisor/visit/{pid}/consent", data={"consent": "y", "csrf_token": t})
    assert resp.status_code == 404
    assert db.scalar(select(AdvisorShare)) is None
    # and the visit is over for good: the session no longer holds it
    a.submitted_at = datetime.now(UTC)
    db.flush()
    assert client.get(handover).status_code == 404
