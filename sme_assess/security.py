"""CSRF on every form, security headers, secret tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, abort, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, generate_csrf, same_origin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from .lru import BoundedCache


class ReusingCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection; a token equal to the one this process signed for the
    session's CSRF secret (`csrf_token`, kept in `_SIGNED_CSRF`) is accepted without checking
    its signature again. Everything else — a missing, foreign or forged token, a token with a
    time limit configured, the HTTPS referrer check — goes through Flask-WTF's `protect`."""

    def protect(self, apply_exemptions: bool = False) -> None:
        cfg = current_app.config
        if request.method in cfg["WTF_CSRF_METHODS"] and _issued_here(self._get_csrf_token()):
            referrer_ok = not (request.is_secure and cfg["WTF_CSRF_SSL_STRICT"]) or (
                bool(request.referrer) and same_origin(request.referrer, f"https://{request.host}/")
            )
            if referrer_ok:
                g.csrf_valid = True
                return
        super().protect(apply_exemptions)
        if g.get("csrf_valid"):
            _keep_signed(self._get_csrf_token())  # valid: the next post of it is checked here


def _keep_signed(token: str | None) -> None:
    """Keep `token`, signed by this process or known valid for this session's CSRF secret (a
    token signed by another worker is checked in full once per worker)."""
    key = _signed_key()
    if token and key is not None:
        _SIGNED_CSRF.setdefault(key, token)


def _issued_here(token: str | None) -> bool:
    """`token` is the one kept for this session's secret (signed or checked in this process)."""
    key = _signed_key()
    known = _SIGNED_CSRF.get(key) if token and key is not None else None
    return known is not None and token is not None and hmac.compare_digest(known, token)


csrf = ReusingCSRFProtect()

# Crockford-style base32 alphabet without I, L, O, U: easy to read aloud and type on a phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(length: int = 16, group: int = 4) -> str:
    """A resume code an owner can copy by hand: `length` − 1 random characters (5 bits each:
    75 bits for the default 16) and a check character (`check_character`), in groups of
    `group`, e.g. ``7KQ2-M9XD-4RTB-HC3F``."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(length - 1))
    s = body + check_character(body)
    return "-".join(s[i : i + group] for i in range(0, len(s), group))


def check_character(body: str) -> str:
    """The Luhn mod 32 check character of `body` (characters of the alphabet): catches every
    single mistyped character and every swap of two neighbouring characters."""
    factor, total = 2, 0
    for ch in reversed(body):
        addend = factor * _ALPHABET.index(ch)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return _ALPHABET[(32 - total % 32) % 32]


def code_has_typo(raw: str) -> bool:
    """True when `raw` has the length of a resume code but its check character does not match
    (a typing mistake, not an unknown code). Codes of other lengths are not judged here."""
    s = normalise_code(raw)
    if len(s) != 16 or any(ch not in _ALPHABET for ch in s):
        return len(s) == 16
    return check_character(s[:-1]) != s[-1]


def new_verification_code() -> str:
    """A report verification code: 60 random bits as 12 characters, XXXX-XXXX-XXXX."""
    n = secrets.randbits(60)
    s = "".join(_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(12)))
    return f"{s[:4]}-{s[4:8]}-{s[8:]}"


def normalise_code(raw: str) -> str:
    """Upper-case, drop spaces, dashes and anything else not a letter or digit, read O as 0,
    I/L as 1 and U as V (as people type codes). Older 26-character codes normalise the same way.
    """
    s = "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())
    return s.replace("O", "0").replace("I", "1").replace("L", "1").replace("U", "V")


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_token() -> str:
    """A URL-safe random token of 128 bits."""
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _seal_key(code: str) -> bytes:
    return hashlib.sha256(b"sme-assess results seal:" + normalise_code(code).encode()).digest()


def seal_token(token: str, code: str) -> str:
    """The results token encrypted with a key only the resume code gives (hex, 32 characters):
    whoever holds the resume code of a submitted assessment can be led to its results, and the
    database alone reveals neither."""
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    return bytes(a ^ b for a, b in zip(raw, _seal_key(code), strict=False)).hex()


def unseal_token(sealed: str, code: str) -> str:
    raw = bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _seal_key(code), strict=False))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


_SESSION_SEAL = b"sme-assess session seal v1"


def _session_stream(secret: str, nonce: bytes, length: int) -> bytes:
    key = hmac.new(secret.encode(), _SESSION_SEAL, hashlib.sha256).digest()
    out = b""
    counter = 0
    while len(out) < length:
        out += hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return out[:length]


def seal_for_session(code: str, secret: str) -> str:
    """A resume code encrypted for the session cookie (which is signed but readable): XOR with
    an HMAC-SHA256 key stream under a key derived from the secret key and a random nonce."""
    nonce = secrets.token_bytes(12)
    data = code.encode()
    sealed = bytes(
        a ^ b for a, b in zip(data, _session_stream(secret, nonce, len(data)), strict=True)
    )
    return "s1." + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()


def open_session_seal(value: str, secret: str) -> str:
    """The code sealed by `seal_for_session`; "" if it cannot be opened."""
    if not isinstance(value, str) or not value.startswith("s1."):
        return ""
    try:
        raw = base64.urlsafe_b64decode(value[3:] + "=" * (-len(value[3:]) % 4))
    except ValueError:
        return ""
    nonce, sealed = raw[:12], raw[12:]
    if len(nonce) != 12:
        return ""
    data = bytes(
        a ^ b for a, b in zip(sealed, _session_stream(secret, nonce, len(sealed)), strict=True)
    )
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        return ""


# paths whose last part is a secret (resume code, results token, verification code, an
# advisor's share code) and query parameters that carry one: cut out of access logs
_SECRET_PATH = re.compile(r"(/(?:resume|r|verify|share)/)[^/?#\s\"]+")
_SECRET_QUERY = re.compile(r"([?&](?:code|token)=)[^&#\s\"]*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` (a log line or one of its fields) with secrets in paths and queries replaced."""
    if "/" not in text and "=" not in text:
        return text
    text = _SECRET_PATH.sub(lambda m: m.group(1) + REDACTED, text)
    text = _SECRET_QUERY.sub(lambda m: m.group(1) + REDACTED, text)
    # a bare query string ("code=…", gunicorn's %(q)s)
    return re.sub(r"^((?:code|token)=)[^&#\s]*", lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """For the development server's (werkzeug's) request log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):  # "%(name)s" fields: a mapping stays a mapping
            record.args = {
                k: redact(a) if isinstance(a, str) else a for k, a in record.args.items()
            }
        elif record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


#: endpoints whose responses may be stored by caches (no private data on them)
CACHEABLE_ENDPOINTS = frozenset({"static"})
HSTS = "max-age=31536000; includeSubDomains"


class ChunkedBodyLimit:
    """WSGI middleware: a request body sent without Content-Length (chunked) is read up to
    MAX_CONTENT_LENGTH here; a longer one is answered 413 (by `_refuse_oversized_body`) instead
    of being cut short silently. A body within the limit is passed on with its length.

    It also adds the security headers that are the same on every response (`static_headers`)
    to the header list at `start_response`, unless the response set its own: a plain list
    operation, where an `after_request` hook would cost a header lookup per header."""

    def __init__(self, wsgi_app: Any, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        self.headers = static_headers(bool(app.config.get("HTTPS")))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            # None: no limit (read it all), as Flask has it; 0: no body at all
            limit = self.app.config.get("MAX_CONTENT_LENGTH")
            stream = environ.get("wsgi.input")
            if stream is None:
                body = b""
            else:
                body = stream.read() if limit is None else stream.read(int(limit) + 1)
            if limit is not None and len(body) > int(limit):
                environ["sme.body_too_large"] = True
                body = b""
            # from here on the body is an ordinary one of known length
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        extra = self.headers

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            headers.extend(h for h in extra if h[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


#: the Content-Security-Policy of every page: no inline script or style, no framing
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def static_headers(https: bool) -> tuple[tuple[str, str], ...]:
    """Headers every response carries (a view may set its own value instead)."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Content-Security-Policy", CSP),
    ]
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return tuple(headers)


def _has_nul(data: Any) -> bool:
    """A NUL in any key or any value (every value of a repeated field) of a MultiDict."""
    return any(
        "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values)
        for key, values in data.lists()
    )


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its signing serializer built once per secret key
    instead of on every request (it is immutable; building it costs as much as verifying the
    cookie)."""

    _cached: tuple[tuple[Any, ...], URLSafeTimedSerializer] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = self._cached
        if cached is not None and cached[0] == key:
            return cached[1]
        serializer = super().get_signing_serializer(app)
        if serializer is not None:
            self._cached = (key, serializer)
            self._verified.clear()  # verified under another key
        return serializer

    def __init__(self) -> None:
        #: cookie value → (its data, when it was signed): a browser sends the same cookie on
        #: every request until the session changes, so its signature is checked once
        self._verified: BoundedCache[str, tuple[dict[str, Any], int]] = BoundedCache(2048)

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        """Flask's `open_session` (the same result), with a cookie verified before taken from
        `_verified`: only the same string, under the same key, and still within the session's
        lifetime (counted from when it was signed, as itsdangerous does)."""
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        hit = self._verified.get(val)
        if hit is not None:
            if 0 <= int(time.time()) - hit[1] <= max_age:
                return self.session_class(_copied(hit[0]))
            self._verified.discard(val)
        try:
            data, signed_at = s.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict):
            self._verified.put(val, (data, int(signed_at.timestamp())))
            data = _copied(data)
        return self.session_class(data)


def _copied(value: Any) -> Any:
    """A copy of a session's data that shares nothing mutable with `value` (its dicts and
    lists copied; strings, numbers and the other tagged types are immutable)."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


#: signed CSRF tokens by (signing key, the session's CSRF secret)
_SIGNED_CSRF: BoundedCache[tuple[Any, str], str] = BoundedCache(10_000)


def _signed_key() -> tuple[Any, str] | None:
    """The key under which the session's signed CSRF token is kept: (signing key, the
    session's CSRF secret). None when tokens have a time limit (each is then signed afresh) or
    the session has no secret yet."""
    cfg = current_app.config
    if cfg.get("WTF_CSRF_TIME_LIMIT") is not None:
        return None
    raw = session.get("csrf_token")
    if not isinstance(raw, str):
        return None
    return (cfg.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)


def csrf_token() -> str:
    """Flask-WTF's `generate_csrf()`, with the signed form of a session's CSRF secret reused.

    Tokens have no time limit here (`WTF_CSRF_TIME_LIMIT` None: a draft stays open for hours
    on a phone), so a signature made earlier for the same session secret and signing key is as
    valid as a new one; reusing it saves an HMAC on every page. With a time limit configured,
    every token is signed afresh."""
    done = g.get("csrf_token")
    if done:
        return str(done)
    key = _signed_key()
    if key is not None and (token := _SIGNED_CSRF.get(key)) is not None:
        g.csrf_token = token
        return token
    token = str(generate_csrf())
    _keep_signed(token)
    return token


def init_security(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app)  # type: ignore[method-assign]
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(RedactingFilter())
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # behind N reverse proxies: the client address (rate limits) and scheme come from
        # their X-Forwarded-For / X-Forwarded-Proto headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.before_request
    def _refuse_bad_input() -> None:
        """Before anything reads the request (CSRF, forms, views): an oversized chunked body is
        413; a NUL character in the path, the query or a form value is 400 (no database
        stores it: PostgreSQL refuses it in text)."""
        if request.environ.get("sme.body_too_large"):
            abort(413)
        if "\x00" in request.path or _has_nul(request.args):
            abort(400)
        if request.method in ("POST", "PUT", "PATCH") and _has_nul(request.form):
            abort(400)

    csrf.init_app(app)
    # templates sign with `csrf_token` (above) in place of Flask-WTF's generate_csrf: as a
    # global, and without Flask-WTF's context processor, which would put generate_csrf back
    app.jinja_env.globals["csrf_token"] = csrf_token
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if "CSRFProtect" not in p.__qualname__]

    @app.after_request
    def _headers(resp: Response) -> Response:
        # the headers that are the same on every response are added by ChunkedBodyLimit
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            # drafts, profiles, results and reports are private: no browser or proxy keeps them
            headers = resp.headers
            headers["Cache-Control"] = "no-store"
            if "Vary" in headers:
                resp.vary.add("Cookie")
            else:
                headers["Vary"] = "Cookie"
        return resp
