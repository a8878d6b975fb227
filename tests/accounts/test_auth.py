"""Accounts: sign-in, throttling, session rotation, deactivation, the `users` commands."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from sme_assess.auth import service as accounts
from sme_assess.limits import limiter
from sme_assess.models import AuditLog, Role, User
from tests.conftest import csrf_token

PASSWORD = "correct horse battery"


@pytest.fixture()
def fresh_limits(app: Any) -> Any:
    limiter.reset()
    yield
    limiter.reset()


def _login(client: Any, email: str, password: str, **kw: Any) -> Any:
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, **kw
    )


def test_password_is_stored_as_argon2id(make_user: Any, db: Any) -> None:
    user = make_user("advisor", password=PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_advisor_signs_in_and_lands_on_the_dashboard(
    client: Any, make_user: Any, fresh_limits: Any
) -> None:
    make_user("advisor", email="tuvan@example.vn", password=PASSWORD)
    resp = _login(client, " TuVan@Example.vn ", PASSWORD)
    assert resp.status_code == 302
    assert resp.location.endswith("/advisor/")
    page = client.get("/advisor/").get_data(as_text=True)
    assert "tuvan@example.vn" in page
    assert "Đăng xuất" in page  # Vietnamese by default


def test_wrong_password_is_refused_with_a_message(
    client: Any, make_user: Any, fresh_limits: Any
) -> None:
    make_user("advisor", email="tuvan@example.vn", password=PASSWORD)
    resp = _login(client, "tuvan@example.vn", "wrong password!")
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Email hoặc mật khẩu không đúng" in page
    assert client.get("/advisor/").status_code == 302  # still anonymous → sign-in page


def test_unknown_email_gets_the_same_answer(client: Any, fresh_limits: Any) -> None:
    resp = _login(client, "nobody@example.vn", PASSWORD)
    assert resp.status_code == 422
    assert "Email hoặc mật khẩu không đúng" in resp.get_data(as_text=True)


def test_next_is_followed_only_to_a_local_path(
    client: Any, make_user: Any, fresh_limits: Any
) -> None:
    make_user("advisor", email="a@example.vn", password=PASSWORD)
    token = csrf_token(client, "/login")
    resp = client.post(
        "/login?next=//evil.example/x",
        data={"email": "a@example.vn", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 302
    assert "evil.example" not in resp.location
    assert resp.location.endswith("/advisor/")


def test_login_rotates_the_session_but_keeps_drafts_and_language(
    client: Any, make_user: Any, fresh_limits: Any, start_draft: Any
) -> None:
    make_user("owner", email="chu@example.vn", password=PASSWORD)
    pid, _code = start_draft()
    client.get("/?lang=en")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"  # a value set before the login
        before_csrf = sess.get("csrf_token")
    assert before_csrf
    assert _login(client, "chu@example.vn", PASSWORD).status_code == 302
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.get("csrf_token") != before_csrf  # a new CSRF secret after the login
        assert sess["lang"] == "en"
    # the draft opened before signing in is still open in this browser
    assert client.get(f"/a/{pid}/step/1").status_code == 200


def test_logout_needs_a_post_with_csrf(client: Any, login_as: Any) -> None:
    login_as("advisor")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token
    assert client.get("/advisor/").status_code == 200
    token = csrf_token(client, "/advisor/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/advisor/").status_code == 302


def test_deactivated_account_is_refused_on_its_next_request(
    client: Any, db: Any, login_as: Any
) -> None:
    user = login_as("advisor")
    assert client.get("/advisor/").status_code == 200
    accounts.deactivate(db, user)
    db.flush()
    resp = client.get("/advisor/")
    assert resp.status_code == 302
    assert "/login" in resp.location


def test_deactivated_account_cannot_sign_in(
    client: Any, db: Any, make_user: Any, fresh_limits: Any
) -> None:
    user = make_user("advisor", email="off@example.vn", password=PASSWORD)
    accounts.deactivate(db, user)
    assert _login(client, "off@example.vn", PASSWORD).status_code == 422


def test_password_change_ends_other_sessions(app: Any, client: Any, db: Any, login_as: Any) -> None:
    user = login_as("advisor")
    assert client.get("/advisor/").status_code == 200
    accounts.set_password(db, user, "another long password")
    assert client.get("/advisor/").status_code == 302


def test_login_is_throttled_per_address(
    app: Any, client: Any, make_user: Any, fresh_limits: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "3 per minute")
    make_user("advisor", email="a@example.vn", password=PASSWORD)
    for i in range(3):
        assert _login(client, f"x{i}@example.vn", "wrong password!").status_code == 422
    resp = _login(client, "a@example.vn", PASSWORD)
    assert resp.status_code == 429
    assert "Retry-After" in resp.headers


def test_login_is_throttled_per_account_across_addresses(
    app: Any, client: Any, make_user: Any, fresh_limits: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "3 per minute")
    make_user("advisor", email="a@example.vn", password=PASSWORD)
    for i in range(3):
        env = {"REMOTE_ADDR": f"10.0.0.{i + 1}"}
        resp = _login(client, "a@example.vn", "wrong password!", environ_base=env)
        assert resp.status_code == 422
    resp = _login(client, "A@example.vn", PASSWORD, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert resp.status_code == 429


def test_successful_sign_ins_are_not_counted(
    app: Any, client: Any, make_user: Any, fresh_limits: Any, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "2 per minute")
    make_user("advisor", email="a@example.vn", password=PASSWORD)
    for _ in range(4):
        assert _login(client, "a@example.vn", PASSWORD).status_code == 302


def test_cli_users_create_list_set_password_deactivate(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    res = runner.invoke(
        args=["users", "create", "--role", "advisor", "--email", "Lan@Example.vn"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert res.exit_code == 0, res.output
    assert "created advisor lan@example.vn share code" in res.output
    res = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "ministry",
            "--email",
            "hcm@mic.gov.vn",
            "--province",
            "79",
            "--password",
            PASSWORD,
        ]
    )
    assert res.exit_code == 0, res.output
    assert "created ministry hcm@mic.gov.vn province 79" in res.output
    res = runner.invoke(args=["users", "list"])
    lines = res.output.splitlines()
    assert any(line.startswith("lan@example.vn\tadvisor\t-\tactive\t") for line in lines)
    assert any(line.startswith("hcm@mic.gov.vn\tministry\t79\tactive\t-") for line in lines)
    res = runner.invoke(
        args=["users", "set-password", "--email", "lan@example.vn", "--password", "new password 2"]
    )
    assert res.exit_code == 0, res.output
    assert accounts.authenticate(db, "lan@example.vn", "new password 2") is not None
    res = runner.invoke(args=["users", "deactivate", "--email", "lan@example.vn"])
    assert res.exit_code == 0
    assert "deactivated lan@example.vn" in res.output
    assert "lan@example.vn\tadvisor\t-\tinactive" in runner.invoke(args=["users", "list"]).output
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "deactivate_user"))
    assert entry.actor_label == "command line"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "advisor", "--email", "not-an-email"], "not an email address"),
        (["--role", "ministry", "--email", "m@x.vn", "--province", "99"], "unknown province"),
        (["--role", "advisor", "--email", "a@x.vn", "--province", "79"], "only ministry"),
        (["--role", "advisor", "--email", "a@x.vn", "--password", "short"], "too short"),
        (["--role", "boss", "--email", "a@x.vn"], "Invalid value for '--role'"),
    ],
)
def test_cli_users_create_refuses_bad_input(
    app: Any, db: Any, args: list[str], message: str
) -> None:
    extra = [] if "--password" in args else ["--password", PASSWORD]
    res = app.test_cli_runner().invoke(args=["users", "create", *args, *extra])
    assert res.exit_code != 0
    assert message in res.output


def test_cli_refuses_a_second_account_with_the_same_email(app: Any, make_user: Any) -> None:
    make_user("advisor", email="a@x.vn")
    res = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "admin", "--email", "A@x.vn", "--password", PASSWORD]
    )
    assert res.exit_code == 1
    assert "exists already" in res.output


def test_admin_lists_and_deactivates_users(
    client: Any, db: Any, login_as: Any, make_user: Any
) -> None:
    target = make_user("advisor", email="target@example.vn")
    login_as("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "target@example.vn" in page
    assert "Tư vấn viên" in page  # the role in Vietnamese
    token = csrf_token(client, "/admin/users")
    resp = client.post(f"/admin/users/{target.id}/deactivate", data={"csrf_token": token})
    assert resp.status_code == 302
    db.refresh(target)
    assert target.active is False
    page = client.get("/admin/users").get_data(as_text=True)
    assert "đã khoá" in page
    log = _audit_rows(client.get("/admin/audit").get_data(as_text=True))
    assert len(log) == 1
    assert "đã khoá một tài khoản" in log[0] and "target@example.vn" in log[0]


def _audit_rows(page: str) -> list[str]:
    """The text of each row of the audit table."""
    if "<tbody>" not in page:
        return []
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in body.split("<tr>")[1:]]


def test_admin_audit_log_names_what_each_entry_is_about_and_filters(
    client: Any, db: Any, login_as: Any, make_user: Any, make_business: Any
) -> None:
    from sme_assess import audit

    advisor = make_user("advisor", email="lan@example.vn")
    fabric = make_business("Tiệm Vải Hạnh", picks=())
    bakery = make_business("Lò Bánh Minh", picks=())
    audit.record(db, None, audit.SHARE, fabric, "10.0.0.1", detail={"advisor": advisor.email})
    audit.record(db, advisor, audit.VIEW_BUSINESS, fabric, "10.0.0.2")
    audit.record(db, advisor, audit.VIEW_BUSINESS, bakery, "10.0.0.2")
    audit.record(db, audit.VISIT_CONSENT, audit.SHARE, bakery, "10.0.0.3")
    db.flush()
    login_as("admin")
    rows = _audit_rows(client.get("/admin/audit").get_data(as_text=True))
    assert len(rows) == 4
    # newest first; who in the page's language, what, about which business, from where
    assert rows[0].endswith(
        "chủ doanh nghiệp (trên điện thoại của tư vấn viên, buổi hỗ trợ) "
        "đã chia sẻ với tư vấn viên Lò Bánh Minh 10.0.0.3"
    )
    assert rows[1].endswith(
        "lan@example.vn (Tư vấn viên) tư vấn viên đã xem doanh nghiệp Lò Bánh Minh 10.0.0.2"
    )
    assert rows[3].endswith(
        "chủ doanh nghiệp (đường dẫn kết quả) đã chia sẻ với tư vấn viên: lan@example.vn "
        "Tiệm Vải Hạnh 10.0.0.1"
    )
    views = _audit_rows(client.get("/admin/audit?action=view_business").get_data(as_text=True))
    assert [r.split(" tư vấn viên đã xem doanh nghiệp ")[1] for r in views] == [
        "Lò Bánh Minh 10.0.0.2",
        "Tiệm Vải Hạnh 10.0.0.2",
    ]
    fabric_rows = _audit_rows(client.get("/admin/audit?q=vải").get_data(as_text=True))
    assert len(fabric_rows) == 2 and all("Tiệm Vải Hạnh" in r for r in fabric_rows)
    by_email = _audit_rows(client.get("/admin/audit?q=LAN@example").get_data(as_text=True))
    assert len(by_email) == 2  # the two views by lan@ (the share names lan@ only in its detail)
    # LIKE's wildcards are plain characters; an unknown action filters nothing
    page = client.get("/admin/audit?q=%25_").get_data(as_text=True)
    assert _audit_rows(page) == [] and "Chưa có ghi nhận nào." in page
    assert len(_audit_rows(client.get("/admin/audit?action=drop").get_data(as_text=True))) == 4


def test_roles_enum_is_stable() -> None:
    assert [r.value for r in Role] == ["owner", "advisor", "ministry", "admin"]
    assert User.__tablename__ == "user_account"
