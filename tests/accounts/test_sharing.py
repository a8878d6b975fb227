"""Sharing with consent, claiming a business, and the assisted visit."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from sme_assess.models import AdvisorShare, Assessment, AuditLog, Business
from tests.accounts.conftest import best, worst
from tests.conftest import csrf_token, sign_in_client


def _submit_via_web(client: Any, start_draft: Any, answer_all: Any) -> tuple[str, str, str]:
    """An owner's draft answered and submitted in this browser: (pid, resume code, token)."""
    pid, code = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302, resp.status_code
    return pid, code, resp.location.split("/r/")[1].split("?")[0]


def test_owner_shares_from_the_results_page_and_revokes(
    client: Any, db: Any, make_user: Any, new_client: Any, start_draft: Any, answer_all: Any
) -> None:
    advisor = make_user("advisor", email="lan@example.vn", name="Nguyễn Lan")
    _pid, _code, rtoken = _submit_via_web(client, start_draft, answer_all)
    page = client.get(f"/r/{rtoken}").get_data(as_text=True)
    assert "Chia sẻ với một tư vấn viên" in page
    assert "Doanh nghiệp này chưa được chia sẻ với ai." in page
    # without ticking the consent box nothing is shared
    t = csrf_token(client, f"/r/{rtoken}")
    resp = client.post(f"/r/{rtoken}/share", data={"code": advisor.share_code, "csrf_token": t})
    assert "share=error" in resp.location
    assert db.scalar(select(AdvisorShare)) is None
    # the code typed in lower case with spaces still names the advisor
    typed = advisor.share_code.lower().replace("-", " ")
    resp = client.post(f"/r/{rtoken}/share", data={"code": typed, "consent": "y", "csrf_token": t})
    assert "share=done" in resp.location
    page = client.get(resp.location).get_data(as_text=True)
    assert "Nguyễn Lan (lan@example.vn)" in page
    # the advisor sees the business now
    adv = new_client()
    sign_in_client(adv, advisor)
    assert "Cửa hàng Thử Nghiệm" in adv.get("/advisor/").get_data(as_text=True)
    share = db.scalar(select(AdvisorShare))
    resp = client.post(
        f"/r/{rtoken}/share/{share.id}/revoke",
        data={"csrf_token": csrf_token(client, f"/r/{rtoken}")},
    )
    assert "share=revoked" in resp.location
    assert "Cửa hàng Thử Nghiệm" not in adv.get("/advisor/").get_data(as_text=True)
    actions = [e.action for e in db.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["share", "revoke"]
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "share"))
    assert entry.actor_label == "owner (results link)" and entry.ip == "127.0.0.1"
    assert entry.detail == {"advisor": "lan@example.vn"}


def test_a_results_link_alone_cannot_share(
    client: Any, db: Any, make_user: Any, new_client: Any, start_draft: Any, answer_all: Any
) -> None:
    advisor = make_user("advisor")
    _pid, _code, rtoken = _submit_via_web(client, start_draft, answer_all)
    stranger = new_client()  # another device with only the results link
    page = stranger.get(f"/r/{rtoken}").get_data(as_text=True)
    assert "mở bài đánh giá bằng mã tra cứu hoặc đăng nhập" in page
    assert 'name="consent"' not in page
    t = csrf_token(stranger, "/login")
    resp = stranger.post(
        f"/r/{rtoken}/share", data={"code": advisor.share_code, "consent": "y", "csrf_token": t}
    )
    assert resp.status_code == 404
    assert db.scalar(select(AdvisorShare)) is None


def test_unknown_share_code_is_refused(
    client: Any, db: Any, start_draft: Any, answer_all: Any
) -> None:
    _pid, _code, rtoken = _submit_via_web(client, start_draft, answer_all)
    t = csrf_token(client, f"/r/{rtoken}")
    resp = client.post(
        f"/r/{rtoken}/share", data={"code": "ZZZZ-ZZZZ", "consent": "y", "csrf_token": t}
    )
    page = client.get(resp.location).get_data(as_text=True)
    assert "Không có tư vấn viên nào có mã này" in page


def test_invite_link_lists_the_owners_businesses_and_shares_with_consent(
    client: Any, db: Any, make_user: Any, start_draft: Any, answer_all: Any
) -> None:
    advisor = make_user("advisor", name="Trần Minh")
    _submit_via_web(client, start_draft, answer_all)
    page = client.get(f"/share/{advisor.share_code}").get_data(as_text=True)
    assert "Chia sẻ với Trần Minh" in page
    assert "Cửa hàng Thử Nghiệm" in page
    bpid = re.search(r'name="business" value="([^"]+)"', page).group(1)
    t = csrf_token(client, f"/share/{advisor.share_code}")
    resp = client.post(f"/share/{advisor.share_code}", data={"business": bpid, "csrf_token": t})
    assert resp.status_code == 422
    assert db.scalar(select(AdvisorShare)) is None
    resp = client.post(
        f"/share/{advisor.share_code}", data={"business": bpid, "consent": "y", "csrf_token": t}
    )
    assert resp.status_code == 200
    assert "đã được chia sẻ với Trần Minh" in resp.get_data(as_text=True)
    assert db.scalar(select(AdvisorShare)).advisor_id == advisor.id


def test_invite_link_for_a_visitor_without_proof_offers_to_start(
    client: Any, make_user: Any
) -> None:
    advisor = make_user("advisor")
    page = client.get(f"/share/{advisor.share_code}").get_data(as_text=True)
    assert 'name="business"' not in page
    assert "/start" in page
    assert client.get("/share/ABCD-EFGH").status_code == 404


def test_owner_account_claims_by_resume_code_then_shares_and_reads_the_audit_log(
    client: Any, db: Any, make_user: Any, new_client: Any, start_draft: Any, answer_all: Any
) -> None:
    advisor = make_user("advisor", email="lan@example.vn")
    pid, code, rtoken = _submit_via_web(client, start_draft, answer_all)
    owner = make_user("owner", email="chu@example.vn")
    other_device = new_client()
    sign_in_client(other_device, owner)
    # the results link is not proof of ownership
    t = csrf_token(other_device, "/account")
    resp = other_device.post("/account/claim", data={"code": rtoken, "csrf_token": t})
    assert resp.status_code == 422
    assert "Không có bài đánh giá nào khớp với mã này" in resp.get_data(as_text=True)
    # the resume code is
    resp = other_device.post("/account/claim", data={"code": code, "csrf_token": t})
    assert resp.status_code == 302
    b = db.scalar(select(Business).join(Assessment).where(Assessment.public_id == pid))
    assert b.owner_id == owner.id
    assert "Cửa hàng Thử Nghiệm" in other_device.get("/account").get_data(as_text=True)
    t = csrf_token(other_device, f"/b/{b.public_id}")
    resp = other_device.post(
        f"/b/{b.public_id}/share",
        data={"code": advisor.share_code, "consent": "y", "csrf_token": t},
    )
    assert resp.status_code == 302
    page = other_device.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "lan@example.vn" in page
    assert "đã thêm doanh nghiệp vào tài khoản" in page  # claim in the audit log
    assert "đã chia sẻ với tư vấn viên: lan@example.vn" in page


def test_owner_account_lists_each_business_with_its_latest_level_and_sharing(
    client: Any, db: Any, login_as: Any, make_user: Any, make_business: Any, share_with: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    owner = login_as("owner")
    grown = make_business("Tiệm Bánh Mì Hòa", picks=(worst, best), last_days_ago=10)
    fresh = make_business("Xưởng Gỗ Minh", picks=())
    someone_elses = make_business("Nhà Thuốc Khác", picks=(best,))
    for b in (grown, fresh):
        b.owner_id = owner.id
    share_with(grown, make_user("advisor"))
    share_with(grown, make_user("advisor"))
    revoked = share_with(fresh, make_user("advisor"))
    revoked.revoked_at = datetime.now(UTC)
    db.flush()
    page = client.get("/account").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    when = (datetime.now(UTC) - timedelta(days=10)).date()
    date_vi = f"{when.day} thg {when.month}, {when.year}"
    assert (
        f"Tiệm Bánh Mì Hòa Mức 5 · đánh giá gần nhất {date_vi} · 2 lần đánh giá · "
        "chia sẻ với 2 tư vấn viên" in text
    )
    assert "Xưởng Gỗ Minh Chưa có bài đánh giá nào được nộp. · chưa chia sẻ" in text
    assert someone_elses.name not in text
    assert "Đánh giá một doanh nghiệp khác" in text


def test_owner_share_form_errors_are_shown(
    client: Any, db: Any, login_as: Any, make_business: Any
) -> None:
    owner = login_as("owner")
    b = make_business()
    b.owner_id = owner.id
    db.flush()
    t = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(f"/b/{b.public_id}/share", data={"code": "ZZZZ-ZZZZ", "csrf_token": t})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Vui lòng đánh dấu vào ô để xác nhận bạn đồng ý chia sẻ." in page


def test_claim_from_a_draft_open_in_this_browser(
    client: Any, db: Any, make_user: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    owner = make_user("owner")
    sign_in_client(client, owner)
    page = client.get("/account").get_data(as_text=True)
    assert "Bản nháp đang mở trên trình duyệt này" in page
    t = csrf_token(client, "/account")
    resp = client.post("/account/claim", data={"draft": pid, "csrf_token": t})
    assert resp.status_code == 302
    b = db.scalar(select(Business).join(Assessment).where(Assessment.public_id == pid))
    assert b.owner_id == owner.id


def test_a_business_claimed_by_one_owner_cannot_be_claimed_by_another(
    client: Any, db: Any, make_user: Any, new_client: Any, start_draft: Any
) -> None:
    pid, code = start_draft()
    first, second = make_user("owner"), make_user("owner")
    a = new_client()
    sign_in_client(a, first)
    a.post("/account/claim", data={"code": code, "csrf_token": csrf_token(a, "/account")})
    b2 = new_client()
    sign_in_client(b2, second)
    resp = b2.post("/account/claim", data={"code": code, "csrf_token": csrf_token(b2, "/account")})
    assert resp.status_code == 422
    b = db.scalar(select(Business).join(Assessment).where(Assessment.public_id == pid))
    assert b.owner_id == first.id


def test_owner_registers_and_lands_on_the_account(client: Any, db: Any) -> None:
    t = csrf_token(client, "/account/register")
    resp = client.post(
        "/account/register",
        data={
            "email": "moi@example.vn",
            "password": "mật khẩu dài",
            "confirm": "khác",
            "csrf_token": t,
        },
    )
    assert resp.status_code == 422
    assert "Hai mật khẩu không giống nhau." in resp.get_data(as_text=True)
    resp = client.post(
        "/account/register",
        data={
            "email": "moi@example.vn",
            "password": "mật khẩu dài",
            "confirm": "mật khẩu dài",
            "csrf_token": t,
        },
    )
    assert resp.status_code == 302 and resp.location.endswith("/account")
    assert "Doanh nghiệp của tôi" in client.get("/account").get_data(as_text=True)


def test_owner_account_starts_a_new_assessment_from_the_business_page(
    client: Any, db: Any, login_as: Any, make_business: Any, new_client: Any
) -> None:
    owner = login_as("owner")
    b = make_business(picks=(best,))
    b.owner_id = owner.id
    db.flush()
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "Bắt đầu đánh giá mới cho doanh nghiệp này" in page
    t = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(f"/b/{b.public_id}/again", data={"csrf_token": t})
    assert resp.status_code == 302 and "/saved" in resp.location
    pid = resp.location.split("/a/")[1].split("/")[0]
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert a.business_id == b.id and a.assisted_by_id is None and a.previous_id is not None
    # another owner cannot
    other = new_client()
    sign_in_client(other, make_user_for(db, "owner"))
    resp = other.post(f"/b/{b.public_id}/again", data={"csrf_token": csrf_token(other, "/login")})
    assert resp.status_code == 404


def make_user_for(db: Any, role: str) -> Any:
    from sme_assess.auth.service import create_user

    return create_user(db, email=f"{role}-x@example.vn", role=role)
