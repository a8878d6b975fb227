"""Caching, cookies, secrets at rest and in the cookie (findings 7, 8), request bodies and HEAD
requests (finding 11)."""

from __future__ import annotations

import base64
import io
import json
import stat
import zlib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROFILE, csrf_token

# --- finding 7 --------------------------------------------------------------------------------


def test_private_pages_are_never_stored_by_caches(
    client: Any, start_draft: Any, answer_all: Any
) -> None:
    pid, _code = start_draft()
    answer_all(pid)
    pages = [f"/a/{pid}/profile", f"/a/{pid}/saved", f"/a/{pid}/step/1", f"/a/{pid}/check"]
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert resp.headers["Cache-Control"] == "no-store", path
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location
    for path in (results, results.split("?")[0] + "/report.pdf"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert resp.headers["Cache-Control"] == "no-store", path
    # static files stay cacheable
    resp = client.get("/static/app.css")
    assert "no-store" not in resp.headers.get("Cache-Control", "")
    resp.close()


def test_https_deployments_get_secure_cookies_and_hsts(other_app: Any) -> None:
    plain = other_app().test_client()
    resp = plain.get("/?lang=en")
    assert "Strict-Transport-Security" not in resp.headers
    assert "Secure" not in resp.headers["Set-Cookie"]

    app = other_app(HTTPS=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    resp = app.test_client().get("/?lang=en", base_url="https://sme.test")
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "; Secure" in resp.headers["Set-Cookie"]


def test_instance_config_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    from sme_assess.config import write_instance_config

    target = tmp_path / "instance" / "config.py"
    assert write_instance_config(target) is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    assert text.startswith("SECRET_KEY = '") and len(text) > 60
    assert write_instance_config(target) is False  # an existing file keeps its content …
    assert target.read_text() == text
    target.chmod(0o644)
    write_instance_config(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # … but not its world access
    assert target.read_text() == text
    # the run command uses it
    assert "write_instance_config" in (Path(__file__).parents[2] / "scripts" / "dev.sh").read_text()


# --- finding 8 --------------------------------------------------------------------------------


def _session_payload(client: Any) -> str:
    cookie = client.get_cookie("session", domain="sme.test")
    assert cookie is not None
    value = cookie.value
    compressed = value.startswith(".")
    data = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_session_cookie_holds_no_resume_code(client: Any, start_draft: Any) -> None:
    from sme_assess.security import normalise_code

    pid, code = start_draft()
    payload = _session_payload(client)
    assert pid in payload  # the draft is referenced …
    assert code not in payload  # … but its code is not readable
    assert normalise_code(code) not in payload.replace("-", "")
    drafts = json.loads(payload)["drafts"]
    assert list(drafts) == [pid] and drafts[pid].startswith("s1.")
    # the owner still sees the code on the saved page
    assert code in client.get(f"/a/{pid}/saved").get_data(as_text=True)


def test_secrets_are_cut_out_of_log_lines() -> None:
    from sme_assess.security import redact

    line = (
        '127.0.0.1 "GET /resume/7KQ2-M9XD-4RTB-HC3F HTTP/1.1" 302 "https://sme.test/r/abc_DEF-1"'
        ' "GET /verify?code=AAAA-BBBB-CCCC&lang=en" "GET /share/ADV-CODE-9 HTTP/1.1"'
    )
    out = redact(line)
    for secret in ("7KQ2-M9XD-4RTB-HC3F", "abc_DEF-1", "AAAA-BBBB-CCCC", "ADV-CODE-9"):
        assert secret not in out
    assert out.count("[redacted]") == 4
    assert redact("/a/pid123/step/2?lang=vi") == "/a/pid123/step/2?lang=vi"


# --- finding 11 -------------------------------------------------------------------------------


def test_an_oversized_chunked_body_is_refused_with_413(
    app: Any, client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    token = csrf_token(client, f"/a/{pid}/profile")
    body = f"csrf_token={token}&name=" + "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    resp = client.post(
        f"/a/{pid}/profile",
        input_stream=io.BytesIO(body.encode()),
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        # as gunicorn passes a chunked body: no length, the stream ends where the body ends
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )
    assert resp.status_code == 413
    assert "Dữ liệu quá lớn" in resp.get_data(as_text=True)


def test_a_chunked_body_within_the_limit_is_read_whole(client: Any, start_draft: Any) -> None:
    pid, _code = start_draft()
    token = csrf_token(client, f"/a/{pid}/profile")
    fields = {**PROFILE, "name": "Cửa hàng Gửi Từng Khúc", "csrf_token": token}
    from urllib.parse import urlencode

    resp = client.post(
        f"/a/{pid}/profile",
        input_stream=io.BytesIO(urlencode(fields).encode()),
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )
    assert resp.status_code == 302
    assert "Cửa hàng Gửi Từng Khúc" in client.get(f"/a/{pid}/profile").get_data(as_text=True)


@pytest.mark.parametrize("method", ["HEAD"])
def test_head_on_a_resume_link_grants_nothing(
    client: Any, new_client: Any, start_draft: Any, method: str
) -> None:
    pid, code = start_draft()
    preview = new_client()
    resp = preview.open(f"/resume/{code}", method=method)
    assert resp.status_code == 200
    assert preview.get(f"/a/{pid}/step/1").status_code == 404
    # a person opening the link (GET) is let in
    assert preview.get(f"/resume/{code}").status_code == 302
    assert preview.get(f"/a/{pid}/step/1").status_code == 200


def test_every_response_carries_the_security_headers_once(client: Any) -> None:
    """Added at the WSGI level: pages, redirects, 404s and static files alike, never twice."""
    for path, status in (("/", 200), ("/start", 200), ("/r/nope", 404), ("/static/app.css", 200)):
        resp = client.get(path)
        assert resp.status_code == status, path
        headers = resp.headers
        assert headers.getlist("X-Content-Type-Options") == ["nosniff"], path
        assert headers.getlist("X-Frame-Options") == ["DENY"], path
        assert headers.getlist("Referrer-Policy") == ["same-origin"], path
        (csp,) = headers.getlist("Content-Security-Policy")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        resp.close()
    assert "no-store" in client.get("/start").headers["Cache-Control"]
    static = client.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_a_session_signed_with_another_secret_is_not_read(app: Any, client: Any) -> None:
    """The session's signing serializer is built once per secret key: changing the key (a
    rotation) invalidates the cookies signed with the old one at once."""
    from sme_assess.security import SessionCookies

    iface = app.session_interface
    assert isinstance(iface, SessionCookies)
    first = iface.get_signing_serializer(app)
    assert iface.get_signing_serializer(app) is first
    cookie = first.dumps({"drafts": {"x": "y"}})
    saved = app.secret_key
    try:
        app.secret_key = "another-secret"
        other = iface.get_signing_serializer(app)
        assert other is not first
        with pytest.raises(Exception, match="Signature"):
            other.loads(cookie)
    finally:
        app.secret_key = saved
    assert iface.get_signing_serializer(app).loads(cookie) == {"drafts": {"x": "y"}}
