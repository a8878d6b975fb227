"""`sme-assess demo --accounts`: one account per role for a local demonstration, with a random
password kept in a file only its owner reads; the advisor sees exactly the three businesses
shared with them, the owner the two they keep; a second run changes nothing."""

from __future__ import annotations

import re
import stat
from typing import Any

from sqlalchemy import func, select

from sme_assess.limits import limiter
from sme_assess.models import ActionItem, AdvisorShare, AuditLog, Role, User
from tests.conftest import csrf_token

ACCOUNTS = {
    "owner": "chudoanhnghiep.demo@example.vn",
    "advisor": "tuvan.demo@example.vn",
    "ministry": "bo.demo@example.vn",
    "admin": "quantri.demo@example.vn",
}


def _run(app: Any) -> Any:
    result = app.test_cli_runner().invoke(args=["demo", "--accounts"])
    assert result.exit_code == 0, result.output
    return result


def _sign_in(client: Any, email: str, password: str) -> Any:
    t = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": t})


def test_demo_accounts_sign_in_and_see_what_they_should(
    app: Any, db: Any, client: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    limiter.reset()
    out = _run(app).output
    kept = tmp_path / "demo-accounts.txt"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    password = re.search(r"^  password  (\S+)$", out, re.M).group(1)
    assert len(password) >= 16 and password != "demo-"
    assert f"password: {password}" in kept.read_text(encoding="utf-8")
    for role, email in ACCOUNTS.items():
        assert re.search(rf"^  {role} +{re.escape(email)}$", out, re.M), out
        user = db.scalar(select(User).where(User.email == email))
        assert user.role == Role(role) and user.active

    # the advisor: the three shared businesses, and none of the other two
    resp = _sign_in(client, ACCOUNTS["advisor"], password)
    assert resp.status_code == 302 and resp.location.endswith("/advisor/")
    page = client.get("/advisor/").get_data(as_text=True)
    for name in (
        "Công ty TNHH Cà phê Hạt Ngon (demo)",
        "Công ty CP Du lịch Biển Xanh (demo)",
        "HTX Nông sản Sạch Mộc Châu (demo)",
    ):
        assert name in page
    assert "3 doanh nghiệp" in page
    assert "Tiệm tạp hóa Cô Ba (demo)" not in page
    assert "Phần mềm Sông Hàn (demo)" not in page
    # the first plan action, written by the advisor
    b_link = re.search(r'href="(/b/[^"]+)">Công ty TNHH Cà phê Hạt Ngon', page).group(1)
    business = client.get(b_link).get_data(as_text=True)
    assert "Mở gian hàng trên một sàn thương mại điện tử" in business
    assert "Trần Văn Lan (demo)" in business
    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisor/")})

    # the owner: the two businesses of the account, with whom each is shared
    resp = _sign_in(client, ACCOUNTS["owner"], password)
    assert resp.status_code == 302
    account = client.get("/account").get_data(as_text=True)
    assert "Công ty TNHH Cà phê Hạt Ngon (demo)" in account
    assert "Công ty CP Du lịch Biển Xanh (demo)" in account
    assert "HTX Nông sản Sạch Mộc Châu (demo)" not in account

    # the admin and the ministry account land on their own pages; a wrong password is refused
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert _sign_in(client, ACCOUNTS["admin"], password + "x").status_code == 422
    assert _sign_in(client, ACCOUNTS["admin"], password).location.endswith("/admin/users")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/users")})
    assert _sign_in(client, ACCOUNTS["ministry"], password).location.endswith("/stats/")


def test_a_second_run_keeps_the_password_and_adds_nothing(
    app: Any, db: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    first = _run(app).output
    second = _run(app).output
    pw = re.compile(r"^  password  (\S+)$", re.M)
    assert pw.search(first).group(1) == pw.search(second).group(1)
    assert second.count("(kept)") == 4
    assert db.scalar(select(func.count()).select_from(AdvisorShare)) == 3
    assert db.scalar(select(func.count()).select_from(ActionItem)) == 1
    shares = db.scalars(select(AuditLog).where(AuditLog.action == "share")).all()
    assert len(shares) == 3
    assert db.scalar(select(func.count()).select_from(User)) == 4


def test_a_lost_password_file_gives_the_accounts_the_new_password(
    app: Any, db: Any, client: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    limiter.reset()
    first = re.search(r"^  password  (\S+)$", _run(app).output, re.M).group(1)
    (tmp_path / "demo-accounts.txt").unlink()
    second = re.search(r"^  password  (\S+)$", _run(app).output, re.M).group(1)
    assert second != first
    assert _sign_in(client, ACCOUNTS["advisor"], first).status_code == 422
    assert _sign_in(client, ACCOUNTS["advisor"], second).location.endswith("/advisor/")
