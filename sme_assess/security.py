"""CSRF on every form, security headers, secret tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# Crockford-style base32 alphabet without I, L, O, U: easy to read aloud and type on a phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(nbytes: int = 16, group: int = 4) -> str:
    """A random code of `nbytes` × 8 bits (default 128) in groups of `group` characters."""
    n = int.from_bytes(secrets.token_bytes(nbytes), "big")
    chars = []
    for _ in range((nbytes * 8 + 4) // 5):
        chars.append(_ALPHABET[n & 31])
        n >>= 5
    s = "".join(reversed(chars))
    return "-".join(s[i : i + group] for i in range(0, len(s), group))


def new_verification_code() -> str:
    """A report verification code: 60 random bits as 12 characters, XXXX-XXXX-XXXX."""
    n = secrets.randbits(60)
    s = "".join(_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(12)))
    return f"{s[:4]}-{s[4:8]}-{s[8:]}"


def normalise_code(raw: str) -> str:
    """Upper-case, drop spaces and dashes, read O as 0 and I/L as 1 (as people type codes)."""
    s = "".join(ch for ch in raw.upper() if ch.isalnum())
    return s.replace("O", "0").replace("I", "1").replace("L", "1")


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_token() -> str:
    """A URL-safe random token of 128 bits."""
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def init_security(app: Flask) -> None:
    csrf.init_app(app)

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        return resp
