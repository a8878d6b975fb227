"""Rate limits on code lookups and on starting assessments (finding 5)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import csrf_token


def test_wrong_resume_codes_are_throttled_with_a_translated_page(
    client: Any, rate_limit: Any
) -> None:
    rate_limit("RESUME", "3 per minute")
    for n in range(3):
        resp = client.get(f"/resume/AAAA-BBBB-CCCC-DDD{n}")
        assert resp.status_code == 404
    resp = client.get("/resume/AAAA-BBBB-CCCC-DDDD")
    assert resp.status_code == 429
    page = resp.get_data(as_text=True)
    assert "Quá nhiều lần thử" in page  # Vietnamese by default
    assert int(resp.headers["Retry-After"]) >= 1
    assert resp.headers["Cache-Control"] == "no-store"
    resp = client.get("/resume/AAAA-BBBB-CCCC-DDDD?lang=en")
    assert resp.status_code == 429
    assert "Too many attempts" in resp.get_data(as_text=True)


def test_resume_form_posts_share_the_resume_limit(client: Any, rate_limit: Any) -> None:
    rate_limit("RESUME", "2 per minute")
    token = csrf_token(client, "/resume")
    statuses = [
        client.post("/resume", data={"code": "ZZZZ-ZZZZ", "csrf_token": token}).status_code
        for _ in range(3)
    ]
    assert statuses == [404, 404, 429]
    # the form itself still opens
    assert client.get("/resume").status_code == 200


def test_verify_and_results_lookups_are_throttled(client: Any, rate_limit: Any) -> None:
    rate_limit("VERIFY", "2 per minute")
    rate_limit("RESULTS", "2 per minute")
    assert [client.get("/verify/AAAA-BBBB-CCCC").status_code for _ in range(3)] == [404, 404, 429]
    assert [client.get("/r/not-a-token").status_code for _ in range(3)] == [404, 404, 429]
    # the empty verification form is not a lookup
    assert client.get("/verify").status_code == 200


def test_starting_assessments_is_throttled(client: Any, rate_limit: Any, start_draft: Any) -> None:
    rate_limit("START", "2 per minute")
    start_draft()
    start_draft()
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={"name": "Cửa hàng Ba", "csrf_token": token})
    assert resp.status_code == 429
    assert "Quá nhiều lần thử" in resp.get_data(as_text=True)


def test_claiming_a_business_by_resume_code_shares_the_resume_limit(
    client: Any, login_as: Any, rate_limit: Any
) -> None:
    rate_limit("RESUME", "2 per minute")
    login_as("owner")
    token = csrf_token(client, "/account")
    statuses = [
        client.post("/account/claim", data={"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "csrf_token": token})
        for _ in range(3)
    ]
    assert [r.status_code for r in statuses] == [422, 422, 429]
    assert "Quá nhiều lần thử" in statuses[-1].get_data(as_text=True)


def test_counters_are_shared_in_redis_when_configured(other_app: Any, rate_limit: Any) -> None:
    """With SME_REDIS_URL the limits hold across workers: counters live in Redis (db 1 here).
    Runs when a Redis server answers on 127.0.0.1:6379; skipped (and says so) otherwise."""
    import redis

    url = "redis://127.0.0.1:6379/1"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379: the Redis storage is not tested here")
    from sme_assess.limits import limiter

    app = other_app(REDIS_URL=url, RATELIMIT_RESUME="2 per minute")
    try:
        assert app.config["RATELIMIT_STORAGE_URI"] == url
        assert type(limiter.storage).__name__ == "RedisStorage"
        limiter.reset()
        first, second = app.test_client(), app.test_client()  # two "workers", one counter store
        assert first.get("/resume/AAAA-BBBB-CCCC-DDDD").status_code == 404
        assert second.get("/resume/AAAA-BBBB-CCCC-DDDD").status_code == 404
        assert first.get("/resume/AAAA-BBBB-CCCC-DDDD").status_code == 429
        keys = redis.Redis.from_url(url).keys("*sme-assess*")
        assert keys, "no counter was written to Redis"
    finally:
        limiter.reset()
        other_app()  # the limiter back on memory storage for the tests that follow


def test_production_uses_the_documented_limits(database_url: str, other_app: Any) -> None:
    from sme_assess import create_app
    from sme_assess.db import dispose_engines

    prod = create_app(
        {
            "SECRET_KEY": "a-real-secret",
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "PUBLIC_BASE_URL": "https://dbi.example.vn",
        }
    )
    dispose_engines(prod)
    assert not prod.testing
    assert prod.config["RATELIMIT_RESUME"] == "10 per minute;60 per hour"
    assert prod.config["RATELIMIT_RESULTS"] == "30 per minute;300 per hour"
    assert prod.config["RATELIMIT_VERIFY"] == "20 per minute;200 per hour"
    assert prod.config["RATELIMIT_START"] == "10 per minute;50 per hour"
    assert prod.config["RATELIMIT_LOGIN"] == "5 per minute;30 per hour"
    assert prod.config["RATELIMIT_STORAGE_URI"] == "memory://"
    # a test app that sets no limit is not throttled by accident
    test_app = create_app({"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False})
    dispose_engines(test_app)
    assert test_app.config["RATELIMIT_RESUME"] == "100000 per minute"
    other_app()  # the limiter back on the test apps' settings


def test_the_limiter_runs_only_on_views_that_have_a_limit(client: Any) -> None:
    """Flask-Limiter's app-wide hook is removed (sme-assess has no app-wide limit): a page
    without a limit never touches the limiter, a view with one still checks it."""
    from flask.globals import request_ctx

    with client:
        assert client.get("/").status_code == 200
        assert not hasattr(request_ctx, "_limiter_request_context")
    with client:
        assert client.get("/r/not-a-token").status_code == 404
        assert hasattr(request_ctx, "_limiter_request_context")
