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
