"""The session cookie's signature is checked once per cookie value (`SessionCookies`): the
same string is then taken from the worker's cache. What must still hold: a changed cookie is
checked in full, a cookie past the session's lifetime is refused even when it was seen before,
and what one request changes in its session never reaches another request's copy."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest

from sme_assess.security import _copied

STEP = "/a/{pid}/step/1"


def _cookie(client: Any, app: Any) -> str:
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    found = [c for c in client._cookies.values() if c.key == name]
    assert len(found) == 1, client._cookies
    return str(found[0].value)


def _get(app: Any, path: str, cookie: str) -> Any:
    """`path` requested by a new browser that sends `cookie` as its session, and keeps nothing
    the response sets."""
    other = app.test_client(use_cookies=True)
    other.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), cookie, domain="sme.test")
    return other.get(path)


def test_the_same_cookie_opens_the_draft_and_a_changed_one_does_not(
    app: Any, client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    value = _cookie(client, app)
    assert _get(app, STEP.format(pid=pid), value).status_code == 200
    assert _get(app, STEP.format(pid=pid), value).status_code == 200  # from the cache
    # one character of the signed payload changed: checked in full, refused
    i = 2
    forged = value[:i] + ("A" if value[i] != "A" else "B") + value[i + 1 :]
    assert _get(app, STEP.format(pid=pid), forged).status_code == 404
    # the signature cut off
    assert _get(app, STEP.format(pid=pid), value.rsplit(".", 1)[0] + ".").status_code == 404


def test_a_cookie_seen_before_is_refused_after_the_session_lifetime(
    app: Any, client: Any, db: Any, start_draft: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, _code = start_draft()
    value = _cookie(client, app)
    lifetime = app.permanent_session_lifetime
    app.permanent_session_lifetime = timedelta(seconds=60)
    try:
        assert _get(app, STEP.format(pid=pid), value).status_code == 200  # verified, kept
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + 61)
        assert _get(app, STEP.format(pid=pid), value).status_code == 404
        monkeypatch.setattr(time, "time", lambda: real() + 59)
        assert _get(app, STEP.format(pid=pid), value).status_code == 200
    finally:
        app.permanent_session_lifetime = lifetime


def test_what_a_request_changes_in_its_session_stays_in_that_request(
    app: Any, client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    value = _cookie(client, app)
    assert '<html lang="vi">' in _get(app, STEP.format(pid=pid), value).get_data(as_text=True)
    # this request chooses English: its session changes (and a new cookie is sent back)
    english = _get(app, STEP.format(pid=pid) + "?lang=en", value)
    assert '<html lang="en">' in english.get_data(as_text=True)
    # the old cookie still says nothing about the language: Vietnamese, as before
    assert '<html lang="vi">' in _get(app, STEP.format(pid=pid), value).get_data(as_text=True)


def test_copied_shares_no_dict_or_list() -> None:
    original = {"drafts": {"a": "x"}, "list": [{"k": 1}], "n": 1}
    copy = _copied(original)
    copy["drafts"]["b"] = "y"
    copy["list"][0]["k"] = 2
    copy["list"].append(3)
    assert original == {"drafts": {"a": "x"}, "list": [{"k": 1}], "n": 1}
    assert copy == {"drafts": {"a": "x", "b": "y"}, "list": [{"k": 2}, 3], "n": 1}


def test_a_session_changed_in_place_leaves_the_kept_cookie_data_alone(
    app: Any, client: Any, db: Any, start_draft: Any
) -> None:
    from flask import request

    _pid, _code = start_draft()
    value = _cookie(client, app)
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    with app.test_request_context("/", headers={"Cookie": f"{name}={value}"}):
        first = app.session_interface.open_session(app, request)
        nested = [k for k, v in first.items() if isinstance(v, dict)]
        assert nested, dict(first)  # the draft grants are a dict inside the session
        before = {k: dict(first[k]) for k in nested}
        for k in nested:
            first[k]["changed-in-place"] = "x"
        second = app.session_interface.open_session(app, request)
        assert {k: dict(second[k]) for k in nested} == before


def test_a_cookie_is_verified_once_within_its_lifetime_and_again_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unit-level, with a frozen clock and a count of full verifications (`loads`): a cookie
    is verified once, taken from the cache at age 0 and at exactly the lifetime, refused one
    second later (and forgotten: verified in full again when the clock goes back), and
    verified afresh after a new signing key."""
    from types import SimpleNamespace

    from flask import Flask

    from sme_assess.security import SessionCookies

    app = Flask(__name__)
    app.secret_key = "k1"
    app.permanent_session_lifetime = timedelta(seconds=100)
    cookies = SessionCookies()
    now = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    serializer = cookies.get_signing_serializer(app)
    assert serializer is not None
    value = serializer.dumps({"lang": "en", "drafts": ["a1"]})  # signed at `now`
    calls: list[str] = []
    real_loads = serializer.loads

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(serializer, "loads", counted)
    request = SimpleNamespace(cookies={app.config["SESSION_COOKIE_NAME"]: value})

    def opened() -> dict[str, Any]:
        session = cookies.open_session(app, request)
        assert session is not None
        return dict(session)

    assert opened() == {"lang": "en", "drafts": ["a1"]}
    assert len(calls) == 1
    assert opened() == {"lang": "en", "drafts": ["a1"]}  # age 0: from the cache
    now[0] += 100
    assert opened() == {"lang": "en", "drafts": ["a1"]}  # exactly the lifetime: still good
    assert len(calls) == 1
    now[0] += 1
    assert opened() == {}  # past the lifetime: refused, in full
    assert len(calls) == 2
    now[0] -= 101  # the clock back at signing time: the forgotten cookie is verified again
    assert opened() == {"lang": "en", "drafts": ["a1"]}
    assert len(calls) == 3
    assert opened() == {"lang": "en", "drafts": ["a1"]}
    assert len(calls) == 3
    # a new signing key: nothing verified under the old one is taken from the cache
    app.secret_key = "k2"
    fresh = cookies.get_signing_serializer(app)
    assert fresh is not None and fresh is not serializer
    assert opened() == {}  # signed with k1: refused
    app.secret_key = "k1"
    again = cookies.get_signing_serializer(app)
    assert again is not None
    monkeypatch.setattr(again, "loads", counted)
    assert opened() == {"lang": "en", "drafts": ["a1"]}
    assert len(calls) == 4
