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
    client: Any, new_client: Any
) -> None:
    first = _token(client, "/start")
    assert _token(client, "/start") == first
    assert _token(client, "/resume") == first
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
    assert _token(client, "/start") == first
