"""Rate limits (Flask-Limiter): every lookup by a secret code and every start of an assessment.

Limits are per client address and come from configuration (`RATELIMIT_<NAME>` keys, e.g.
`SME_RATELIMIT_RESUME="10 per minute;60 per hour"`), read on each request, so a test or an
operator can change them without touching the views. Storage is in memory (per worker process)
unless `SME_REDIS_URL` is set; then every worker shares the counters in Redis.

Usage in a view module::

    from ..limits import limit

    @bp.get("/resume/<code>")
    @limit("RESUME")
    def resume(code): ...

or with the extension object directly: ``@limiter.limit(limit_value("LOGIN"))``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded

F = TypeVar("F", bound=Callable[..., Any])

# Defaults (production). Each is a limits string: several limits separated by ";".
DEFAULT_LIMITS: dict[str, str] = {
    # opening a draft by its resume code (GET /resume/<code> and the resume form's POST)
    "RATELIMIT_RESUME": "10 per minute;60 per hour",
    # a results page or its PDF by the results-link token
    "RATELIMIT_RESULTS": "30 per minute;300 per hour",
    # the public verification page by its verification code
    "RATELIMIT_VERIFY": "20 per minute;200 per hour",
    # creating a business and a draft (POST /start) and a reassessment
    "RATELIMIT_START": "10 per minute;50 per hour",
    # signing in (accounts)
    "RATELIMIT_LOGIN": "5 per minute;30 per hour",
}


def client_address() -> str:
    """The client's address as the app sees it (behind a proxy: after ProxyFix, when
    `SME_TRUSTED_PROXIES` says how many proxies to trust)."""
    return request.remote_addr or "unknown"


limiter = Limiter(
    key_func=client_address,
    # no storage_uri here: it would override the configuration (init_limits sets
    # RATELIMIT_STORAGE_URI: SME_REDIS_URL, else memory)
    headers_enabled=False,
    # a broken Redis must not take the site down: fall back to per-process memory counters
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)


def limit_value(name: str) -> Callable[[], str]:
    """The limit string for `RATELIMIT_<name>`, looked up in the app's config per request."""
    key = name if name.startswith("RATELIMIT_") else "RATELIMIT_" + name

    def value() -> str:
        return str(current_app.config.get(key) or DEFAULT_LIMITS[key])

    return value


def limit(name: str, **kwargs: Any) -> Callable[[F], F]:
    """Decorator: apply the configured limit `RATELIMIT_<name>` to a view (its own counter)."""
    return limiter.limit(limit_value(name), scope=name.lower(), **kwargs)  # type: ignore[return-value]


#: what a test app (TESTING) gets for a limit it does not set itself: tests are never throttled
#: by accident; a test of a limit sets it (the `rate_limit` fixture)
TESTING_LIMIT = "100000 per minute"


def init_limits(app: Flask) -> None:
    for key, value in DEFAULT_LIMITS.items():
        app.config.setdefault(key, TESTING_LIMIT if app.testing else value)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = str(app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "sme-assess")
    limiter.init_app(app)
    _drop_request_hooks(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Any:
        from .errors import render_error

        body, code = render_error(429)
        resp = app.make_response((body, code))
        retry = _retry_after(exc)
        if retry:
            resp.headers["Retry-After"] = str(retry)
        resp.headers["Cache-Control"] = "no-store"
        return resp


def _drop_request_hooks(app: Flask) -> None:
    """Run Flask-Limiter's per-request hooks only on requests that need them.

    Its `before_request` hook checks app-wide, default and blueprint limits on every request;
    sme-assess has none of those: each limit decorates its view, and the decorator checks it
    when the view is called. So that hook and the context reset are removed, and the
    `after_request` hook (deductions that depend on the response, `deduct_when`) runs only on a
    request whose view checked a limit. Left in place, the hooks cost about a tenth of a
    millisecond on every page; with app-wide limits configured, they all stay."""
    cfg = app.config
    keys = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
    if any(cfg.get(key) for key in keys) or cfg.get("RATELIMIT_HEADERS_ENABLED"):
        return
    manager = limiter.limit_manager
    if manager._default_limits or manager._application_limits or manager._blueprint_limits:
        return
    if limiter._meta_limits:
        return

    def ours(fn: Any) -> bool:
        # bound methods of the limiter, or functools.partial(Limiter.__inject_headers, limiter)
        return getattr(fn, "__self__", None) is limiter or limiter in getattr(fn, "args", ())

    def only_when_checked(hook: Any) -> Callable[[Response], Response]:
        def after(resp: Response) -> Response:
            if hasattr(request_ctx, "_limiter_request_context"):
                checked: Response = hook(resp)
                return checked
            return resp

        return after

    before = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [fn for fn in before if not ours(fn)]
    teardown = app.teardown_request_funcs.get(None, [])
    app.teardown_request_funcs[None] = [fn for fn in teardown if not ours(fn)]
    after = app.after_request_funcs.get(None, [])
    app.after_request_funcs[None] = [only_when_checked(fn) if ours(fn) else fn for fn in after]


def _retry_after(exc: RateLimitExceeded) -> int:
    """Seconds until the breached limit's window ends (at least 1)."""
    try:
        window = exc.limit.limit.get_expiry()
    except AttributeError:
        return 60
    return max(1, int(window))
