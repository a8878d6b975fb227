"""The signed CSRF token of a session is reused from page to page (security.csrf_token): it
stays bound to its session, and a changed signing key signs afresh."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import PROFILE

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _token(client: Any, path: str) -> str:
    m = TOKEN.search(client.get(path).get_data(as_text=True))
    assert m, path
    return m.group(1)


def test_a_session_keeps_its_token_and_another_session_cannot_use_it(
    client: Any, new_client: Any, start_draft: Any
) -> None:
    import time

    pid, _code = start_draft()
    first = _token(client, f"/a/{pid}/step/1")
    time.sleep(1.1)  # a token signed afresh would carry a later time stamp
    assert _token(client, f"/a/{pid}/step/2") == first
    other = new_client()
    theirs = _token(other, "/start")
    assert theirs != first
    # the other browser posts this browser's token: refused
    resp = other.post("/start", data={**PROFILE, "csrf_token": first})
    assert resp.status_code == 400
    # with its own, the same post goes through
    resp = other.post("/start", data={**PROFILE, "csrf_token": theirs})
    assert resp.status_code == 302, resp.status_code
    # and this browser's token still works for this browser
    resp = client.post("/start", data={**PROFILE, "name": "Tiệm Hoa Mai", "csrf_token": first})
    assert resp.status_code == 302, resp.status_code


def test_a_new_signing_key_signs_afresh(app: Any, client: Any) -> None:
    first = _token(client, "/start")
    app.config["WTF_CSRF_SECRET_KEY"] = "a-rotated-csrf-key"
    try:
        rotated = _token(client, "/start")
        assert rotated != first
        resp = client.post("/start", data={**PROFILE, "csrf_token": rotated})
        assert resp.status_code == 302, resp.status_code
    finally:
        del app.config["WTF_CSRF_SECRET_KEY"]
    # the original key again: its tokens pass, the rotated key's no longer do (compared by
    # behaviour: /start signs afresh, so its text changes with the signature's timestamp)
    again = _token(client, "/start")
    assert again != rotated
    assert client.post("/start", data={**PROFILE, "csrf_token": rotated}).status_code == 400
    assert client.post("/start", data={**PROFILE, "csrf_token": again}).status_code == 302
    assert client.post("/start", data={**PROFILE, "csrf_token": first}).status_code == 302


def test_templates_sign_with_the_reusing_function(app: Any) -> None:
    from flask import render_template_string

    from sme_assess.security import csrf_token

    with app.test_request_context("/"):
        assert render_template_string("{{ csrf_token() }}") == csrf_token()
        assert app.jinja_env.globals["csrf_token"] is csrf_token
        names = [p.__qualname__ for p in app.template_context_processors[None]]
        assert not any("CSRFProtect" in n for n in names), names


def test_a_reused_token_is_still_checked_like_any_other(app: Any, client: Any) -> None:
    """The token this process signed is accepted without a second signature check, but only
    for its own session; a token altered by one character is refused; over HTTPS the referrer
    must still be this site."""
    from sme_assess import security

    token = _token(client, "/start")
    # one character of the signature changed (its first: the last one also carries padding
    # bits, so changing it may decode to the same signature)
    at = token.rindex(".") + 1
    tampered = token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]
    resp = client.post("/start", data={**PROFILE, "csrf_token": tampered})
    assert resp.status_code == 400
    assert token not in security._SIGNED_CSRF.values()
    # a valid post keeps the token: from here on it takes the short check
    resp = client.post("/start", data={**PROFILE, "csrf_token": token})
    assert resp.status_code == 302, resp.status_code
    assert token in security._SIGNED_CSRF.values()
    resp = client.post("/start", data={**PROFILE, "csrf_token": tampered})
    assert resp.status_code == 400
    secure = {"base_url": "https://sme.test"}
    resp = client.post("/start", data={**PROFILE, "csrf_token": token}, **secure)
    assert resp.status_code == 400  # no referrer
    resp = client.post(
        "/start",
        data={**PROFILE, "csrf_token": token},
        headers={"Referer": "https://evil.example/"},
        **secure,
    )
    assert resp.status_code == 400
    resp = client.post(
        "/start",
        data={**PROFILE, "csrf_token": token},
        headers={"Referer": "https://sme.test/start"},
        **secure,
    )
    assert resp.status_code == 302, resp.status_code


def test_a_kept_token_serves_only_its_own_session(client: Any, new_client: Any) -> None:
    """Both browsers' tokens kept (each made a valid post): each is refused in the other's
    session, and an empty or missing token is refused, on the short check's path too."""
    from sme_assess import security

    mine = _token(client, "/start")
    started = client.post("/start", data={**PROFILE, "csrf_token": mine})
    assert started.status_code == 302
    pid = started.location.split("/a/")[1].split("/")[0]
    other = new_client()
    theirs = _token(other, "/start")
    their_start = other.post("/start", data={**PROFILE, "csrf_token": theirs})
    assert their_start.status_code == 302
    their_pid = their_start.location.split("/a/")[1].split("/")[0]
    assert {mine, theirs} <= set(security._SIGNED_CSRF.values())
    assert other.post("/start", data={**PROFILE, "csrf_token": mine}).status_code == 400
    assert client.post("/start", data={**PROFILE, "csrf_token": theirs}).status_code == 400
    assert client.post("/start", data={**PROFILE, "csrf_token": ""}).status_code == 400
    assert client.post("/start", data=PROFILE).status_code == 400
    # pages render the session's kept token, the same on every page (not signed afresh,
    # which would change with the signature's timestamp), and never the other session's
    page_token = _token(client, f"/a/{pid}/step/1")
    assert page_token in security._SIGNED_CSRF.values() and page_token != theirs
    assert _token(client, f"/a/{pid}/step/2") == page_token
    assert _token(other, f"/a/{their_pid}/step/1") == theirs


def test_a_token_signed_elsewhere_goes_through_the_full_check(app: Any, client: Any) -> None:
    """A valid token this process did not keep (signed by another worker, or before a
    restart) is checked by Flask-WTF as before."""
    from sme_assess import security

    token = _token(client, "/start")
    security._SIGNED_CSRF.clear()
    resp = client.post("/start", data={**PROFILE, "csrf_token": token})
    assert resp.status_code == 302, resp.status_code
    # checked in full once, it is kept: the next post of it is checked against the kept one
    assert token in security._SIGNED_CSRF.values()


def test_a_kept_token_is_accepted_without_a_second_signature_check(
    app: Any, client: Any, start_draft: Any, monkeypatch: Any
) -> None:
    """Counts Flask-WTF's full checks (`validate_csrf`): a post of the kept token makes none;
    once forgotten, the next post is checked in full once and the token is kept again."""
    import flask_wtf.csrf

    from sme_assess import security

    pid, _code = start_draft()
    path = f"/a/{pid}/step/1"
    token = _token(client, path)
    real = flask_wtf.csrf.validate_csrf
    calls: list[str] = []

    def counted(data: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(data)
        return real(data, *args, **kwargs)

    monkeypatch.setattr(flask_wtf.csrf, "validate_csrf", counted)
    assert client.post(path, data={"csrf_token": token}).status_code in (200, 302)
    assert calls == []
    security._SIGNED_CSRF.clear()
    assert client.post(path, data={"csrf_token": token}).status_code in (200, 302)
    assert calls == [token]
    assert client.post(path, data={"csrf_token": token}).status_code in (200, 302)
    assert calls == [token]
    # over HTTPS with this site as the referrer, and a form of Flask-WTF (the profile): no
    # full check either
    resp = client.post(
        path,
        data={"csrf_token": token},
        base_url="https://sme.test",
        headers={"Referer": f"https://sme.test{path}"},
    )
    assert resp.status_code in (200, 302)
    assert client.post("/start", data={**PROFILE, "csrf_token": token}).status_code == 302
    assert calls == [token]


def test_csrf_token_signs_once_per_session_secret_and_key(app: Any) -> None:
    """`csrf_token()` in a session without a kept token signs one (valid for Flask-WTF) and
    keeps it; the next request of the session gets the same string; another signing key, or a
    time limit on tokens, signs afresh."""
    from flask import session
    from flask_wtf.csrf import validate_csrf

    from sme_assess import security

    security._SIGNED_CSRF.clear()
    with app.test_request_context("/"):
        first = security.csrf_token()
        validate_csrf(first)  # raises when not a valid token of this session
        assert security.csrf_token() == first  # the same request
        secret = session["csrf_token"]
        assert list(security._SIGNED_CSRF.values()) == [first]
    with app.test_request_context("/"):
        session["csrf_token"] = secret
        assert security.csrf_token() == first  # another request, the same session: kept
    app.config["WTF_CSRF_SECRET_KEY"] = "another-csrf-key"
    try:
        with app.test_request_context("/"):
            session["csrf_token"] = secret
            rotated = security.csrf_token()
            assert rotated != first
            validate_csrf(rotated)
        app.config["WTF_CSRF_SECRET_KEY"] = "a-third-csrf-key"  # one CSRF key for another
        with app.test_request_context("/"):
            session["csrf_token"] = secret
            third = security.csrf_token()
            assert third not in (first, rotated)
            validate_csrf(third)
    finally:
        del app.config["WTF_CSRF_SECRET_KEY"]
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    try:
        security._SIGNED_CSRF.clear()
        with app.test_request_context("/"):
            session["csrf_token"] = secret
            timed = security.csrf_token()
            validate_csrf(timed)
            assert list(security._SIGNED_CSRF.values()) == []  # nothing kept
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None


def test_a_new_app_renders_forms_with_the_reusing_token(tmp_path: Any) -> None:
    """Built afresh here (not the suite's shared app): templates get `security.csrf_token`
    and Flask-WTF's own context processor is removed."""
    from sme_assess import create_app, security

    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "fresh-app",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
            "AUTO_MIGRATE": False,
        }
    )
    assert fresh.jinja_env.globals["csrf_token"] is security.csrf_token
    names = [p.__qualname__ for p in fresh.template_context_processors[None]]
    assert names and not any("CSRFProtect" in n for n in names), names
