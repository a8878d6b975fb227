"""`sme_assess.security` piece by piece: codes and tokens (with the random source fixed, so the
exact output is known), the session seal, log redaction, the WSGI middleware (chunked bodies,
the headers added at `start_response`), the NUL check, the cached session serializer, and what
`init_security` installs on an app.

Expected values are written out: worked by hand from the documented algorithms (Luhn mod 32,
base 32, base 64), or, for the SHA-256 and HMAC vectors, computed once outside the project and
pasted in.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, make_response, request
from itsdangerous import BadSignature
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.test import EnvironBuilder, run_wsgi_app

from sme_assess import security
from sme_assess.security import (
    ChunkedBodyLimit,
    RedactingFilter,
    SessionCookies,
    _has_nul,
    check_character,
    code_has_typo,
    hash_code,
    hash_token,
    init_security,
    new_code,
    new_token,
    new_verification_code,
    normalise_code,
    open_session_seal,
    redact,
    seal_for_session,
    seal_token,
    static_headers,
    unseal_token,
)

# --------------------------------------------------------------------------------------------
# resume codes


class FixedChoice:
    """`secrets.choice` replaced: always the same character; records what it was offered."""

    def __init__(self, ch: str) -> None:
        self.ch = ch
        self.calls = 0
        self.offered: set[str] = set()

    def __call__(self, seq: str) -> str:
        self.calls += 1
        self.offered.add(seq)
        return self.ch


def test_new_code_is_fifteen_random_characters_and_the_check_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choice = FixedChoice("A")
    monkeypatch.setattr(security.secrets, "choice", choice)
    # fifteen A (10): eight at factor 2 (20 each: 160), seven at factor 1 (10 each: 70);
    # 230 = 7·32 + 6 → check (32 − 6) = 26 → T
    assert new_code() == "AAAA-AAAA-AAAA-AAAT"
    assert choice.calls == 15
    assert choice.offered == {"0123456789ABCDEFGHJKMNPQRSTVWXYZ"}


@pytest.mark.parametrize(
    ("length", "group", "expected"),
    [
        # four 0s, check 0, in groups of 5
        (5, 5, "00000"),
        (6, 4, "0000-00"),
        (7, 3, "000-000-0"),
        (2, 1, "0-0"),
    ],
)
def test_new_code_length_and_grouping(
    monkeypatch: pytest.MonkeyPatch, length: int, group: int, expected: str
) -> None:
    monkeypatch.setattr(security.secrets, "choice", FixedChoice("0"))
    assert new_code(length, group) == expected


def test_new_code_group_default_is_four(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security.secrets, "choice", FixedChoice("1"))
    # eight 1s: four at factor 2 (8), four at factor 1 (4) → 12 → check 20 → M
    assert new_code(9) == "1111-1111-M"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "0"),  # nothing: total 0
        ("ZZ", "2"),  # Z=31: 2·31 = 62 → 1 + 30 = 31; 1·31 = 31 → 62 mod 32 = 30 → 2
        ("GG", "F"),  # G=16: 2·16 = 32 → 1 + 0 = 1; 16 → 17 → 32 − 17 = 15 → F
        ("0G", "Z"),  # G is rightmost: factor 2 → 32 → 1; 0 → 1 → 31 → Z
        ("G0", "G"),  # G second from the right: factor 1 → 16 → 16 → G
        ("H", "X"),  # H=17: 34 → 1 + 2 = 3 → 29 → X
        ("8", "G"),  # 16 → 16 → G
        ("88", "8"),  # 16 + 8 = 24 → 8
    ],
)
def test_check_character_more_by_hand(body: str, expected: str) -> None:
    assert check_character(body) == expected


@pytest.mark.parametrize(
    ("raw", "typo"),
    [
        ("0000-0000-0000-000", False),  # fifteen characters: not judged
        ("0000-0000-0000-00000", False),  # seventeen: not judged
        ("AAAA-AAAA-AAAA-AAAT", False),
        ("AAAA-AAAA-AAAA-AAAV", True),
        ("aaaa aaaa aaaa aaat", False),  # typed in lower case with spaces
        ("AAAA-AAAA-AAAA-AAA", False),
        ("", False),
    ],
)
def test_code_has_typo_more(raw: str, typo: bool) -> None:
    assert code_has_typo(raw) is typo


@pytest.mark.parametrize(
    ("bits", "expected"),
    [
        (0, "0000-0000-0000"),
        (1, "0000-0000-0001"),
        (31, "0000-0000-000Z"),
        (32, "0000-0000-0010"),
        (31 << 55, "Z000-0000-0000"),  # the twelfth digit, most significant
        (2**60 - 1, "ZZZZ-ZZZZ-ZZZZ"),
        (10 << 35 | 11 << 30 | 12 << 25 | 13 << 20, "0000-ABCD-0000"),
    ],
)
def test_new_verification_code_is_the_random_bits_in_base_32(
    monkeypatch: pytest.MonkeyPatch, bits: int, expected: str
) -> None:
    asked: list[int] = []

    def randbits(k: int) -> int:
        asked.append(k)
        return bits

    monkeypatch.setattr(security.secrets, "randbits", randbits)
    assert new_verification_code() == expected
    assert asked == [60]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abcdefghjkmnpqrstvwxyz", "ABCDEFGHJKMNPQRSTVWXYZ"),
        ("oilu", "011V"),
        ("0123456789", "0123456789"),
        ("A_B+C=D", "ABCD"),
        ("٣", ""),  # a digit, but not an ASCII one
    ],
)
def test_normalise_code_more(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


def test_hash_code_is_sha256_of_the_normalised_code() -> None:
    assert hash_code("7kq2-m9xd") == hashlib.sha256(b"7KQ2M9XD").hexdigest()
    assert hash_code("o-i-l-u") == hashlib.sha256(b"011V").hexdigest()


# --------------------------------------------------------------------------------------------
# results tokens and their seal


def test_new_token_is_128_random_bits_url_safe_without_padding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int] = []

    def token_bytes(n: int) -> bytes:
        asked.append(n)
        return b"\xff" * n

    monkeypatch.setattr(security.secrets, "token_bytes", token_bytes)
    assert new_token() == "_____________________w"
    assert asked == [16]


def test_hash_token_is_sha256_of_the_token_as_given() -> None:
    assert hash_token("AbC") == hashlib.sha256(b"AbC").hexdigest()
    assert hash_token("abc") != hash_token("ABC")  # not normalised like a code


# token: the bytes 0..15; key: SHA-256 of "sme-assess results seal:7KQ2M9XD4RTBHC3F"
TOKEN = "AAECAwQFBgcICQoLDA0ODw"
SEALED = "2b6948514d7c6644f1b7dd86c3f79696"


def test_seal_token_vector() -> None:
    assert seal_token(TOKEN, "7KQ2M9XD4RTBHC3F") == SEALED
    # the code as an owner types it seals the same way
    assert seal_token(TOKEN, "7kq2-m9xd-4rtb-hc3f") == SEALED


def test_unseal_token_vector() -> None:
    assert unseal_token(SEALED, "7kq2 m9xd 4rtb hc3f") == TOKEN
    assert unseal_token(SEALED, "7KQ2-M9XD-4RTB-HC3E") != TOKEN


def test_seal_token_round_trip_of_a_token_that_needs_padding() -> None:
    token = "AQIDBAUGBwgJCgsMDQ4PEA"  # 16 bytes: 22 characters, 2 of padding dropped
    sealed = seal_token(token, "ABCD")
    assert len(sealed) == 32
    assert unseal_token(sealed, "abcd") == token


@pytest.mark.parametrize(
    ("token", "hex_length"),
    [
        ("AAAX", 6),  # 3 bytes, no padding, ending in X
        ("AQ", 2),  # 1 byte: 2 characters of padding dropped
        ("AQI", 4),  # 2 bytes: 1 dropped
        ("AQIDBAUGBwgJCgsMDQ4PEBESExQVFg", 44),  # 22 bytes: 30 characters, 2 dropped
        ("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA", 64),  # 32 bytes: the key's length
    ],
)
def test_seal_token_round_trip_of_other_lengths(token: str, hex_length: int) -> None:
    sealed = seal_token(token, "7KQ2M9XD4RTBHC3F")
    assert len(sealed) == hex_length
    assert unseal_token(sealed, "7KQ2M9XD4RTBHC3F") == token


# --------------------------------------------------------------------------------------------
# the session seal: HMAC-SHA256 key stream under HMAC(secret, label), nonce ‖ counter


ZERO_NONCE = b"\x00" * 12
SEALED_CODE = "s1.AAAAAAAAAAAAAAAA36s2CFlPiSpEukYAftd7Ig"
LONG_CODE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ0123456789"  # 42 bytes: two stream blocks
SEALED_LONG = "s1.AAAAAAAAAAAAAAAA2NFVCSBD51lI0VMAddANIjgOubEcWNmQSd8lQd3YJbHySRDB-sjxzY6A"
# 71 bytes: three blocks (counters 0, 1, 2)
LONGER = "The seal covers any text: three blocks of key stream for seventy bytes."
SEALED_LONGER = (
    "s1.AAAAAAAAAAAAAAAAvIgCGmcTsAJQi300U-Y7RB4oitolc_G1IawFf_jlGcugFE2RpY7nldCZtn5YrWThsHaCBvsf"
    "hchNyMe-2-A61cbacOHrCN4"
)
# 12 + 18 bytes: 40 characters without padding, the last an X
ENDS_IN_X = ("7KQ2M9XD4RTBHC3F7Q", "s1.AAAAAAAAAAAAAAAA36s2CFlPiSpEukYAftd7IkgX")
# 12 + 10 bytes: 30 characters, 2 of padding dropped
TEN = ("7KQ2M9XD4R", "s1.AAAAAAAAAAAAAAAA36s2CFlPiSpEug")
VECTORS = [
    ("7KQ2M9XD4RTBHC3F", SEALED_CODE),
    (LONG_CODE, SEALED_LONG),
    (LONGER, SEALED_LONGER),
    ENDS_IN_X,
    TEN,
]


@pytest.fixture()
def zero_nonce(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    asked: list[int] = []

    def token_bytes(n: int) -> bytes:
        asked.append(n)
        return b"\x00" * n

    monkeypatch.setattr(security.secrets, "token_bytes", token_bytes)
    return asked


@pytest.mark.parametrize(("code", "sealed"), VECTORS)
def test_seal_for_session_vectors(zero_nonce: list[int], code: str, sealed: str) -> None:
    assert seal_for_session(code, "test-secret") == sealed
    assert zero_nonce == [12]


@pytest.mark.parametrize(("code", "sealed"), VECTORS)
def test_open_session_seal_vectors(code: str, sealed: str) -> None:
    assert open_session_seal(sealed, "test-secret") == code


def test_seal_for_session_uses_a_fresh_nonce() -> None:
    a = seal_for_session("7KQ2M9XD4RTBHC3F", "k")
    b = seal_for_session("7KQ2M9XD4RTBHC3F", "k")
    assert a != b
    assert open_session_seal(a, "k") == open_session_seal(b, "k") == "7KQ2M9XD4RTBHC3F"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (SEALED_CODE, "another secret: the bytes are not ASCII"),
        (SEALED_CODE[3:], "no s1. prefix"),
        ("s2." + SEALED_CODE[3:], "another version"),
        ("s1.A", "not base 64"),
        ("s1.AAAA", "shorter than the nonce"),
        ("s1.AAAAAAAAAAAAAAA", "eleven bytes"),
        (None, "not a string"),
        (b"s1.AAAAAAAAAAAAAAAA", "bytes"),
    ],
)
def test_open_session_seal_refuses(value: Any, why: str) -> None:
    secret = "other-secret" if value == SEALED_CODE else "test-secret"
    assert open_session_seal(value, secret) == "", why


def test_open_session_seal_of_a_bare_nonce_is_the_empty_code() -> None:
    assert open_session_seal("s1.AAAAAAAAAAAAAAAA", "test-secret") == ""  # twelve bytes, no data
    assert seal_for_session("", "k").startswith("s1.")


# --------------------------------------------------------------------------------------------
# log redaction


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /resume/7KQ2-M9XD HTTP/1.1", "GET /resume/[redacted] HTTP/1.1"),
        ("/r/abcDEF_-123/report.pdf", "/r/[redacted]/report.pdf"),
        ("/verify/ABCD-EFGH-JKMN", "/verify/[redacted]"),
        ("/share/XYZ?lang=en", "/share/[redacted]?lang=en"),
        ("/share/XYZ#top", "/share/[redacted]#top"),
        ('"GET /r/tok HTTP/1.1" 200', '"GET /r/[redacted] HTTP/1.1" 200'),
        ("/resume/A /resume/B", "/resume/[redacted] /resume/[redacted]"),
        ("/resources/app.css", "/resources/app.css"),
        ("/r/", "/r/"),
        ("/a?code=ABC&lang=vi", "/a?code=[redacted]&lang=vi"),
        ("/x?lang=vi&token=abc#frag", "/x?lang=vi&token=[redacted]#frag"),
        ('/x?token=abc" 302', '/x?token=[redacted]" 302'),
        ("/x?mycode=ABC", "/x?mycode=ABC"),
        ("code=ABC&x=1", "code=[redacted]&x=1"),  # a bare query string
        ("token=", "token=[redacted]"),
        ("code=ABC DEF", "code=[redacted] DEF"),
        ("x=1&code=ABC", "x=1&code=[redacted]"),
        ("mycode=ABC", "mycode=ABC"),
        ("lang=vi", "lang=vi"),
        ("no secrets here", "no secrets here"),
        ("", ""),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def _record(msg: Any, args: Any) -> logging.LogRecord:
    return logging.LogRecord("werkzeug", logging.INFO, __file__, 1, msg, args, None)


def test_redacting_filter_redacts_string_arguments_and_keeps_others() -> None:
    record = _record('%s - "%s" %s', ("127.0.0.1", "GET /resume/ABC HTTP/1.1", 200))
    assert RedactingFilter().filter(record) is True
    assert record.args == ("127.0.0.1", "GET /resume/[redacted] HTTP/1.1", 200)
    assert record.getMessage() == '127.0.0.1 - "GET /resume/[redacted] HTTP/1.1" 200'


def test_redacting_filter_redacts_the_message() -> None:
    record = _record("GET /r/tok?code=X", ())
    assert RedactingFilter().filter(record) is True
    assert record.msg == "GET /r/[redacted]?code=[redacted]"
    assert record.args == ()


def test_redacting_filter_redacts_mapping_arguments() -> None:
    # logging's own form for named fields: one mapping, kept a mapping
    record = _record("%(path)s %(status)s", ({"path": "/verify/ABCD", "status": 200},))
    assert RedactingFilter().filter(record) is True
    assert record.args == {"path": "/verify/[redacted]", "status": 200}
    assert record.getMessage() == "/verify/[redacted] 200"


def test_redacting_filter_leaves_other_messages_alone() -> None:
    error = ValueError("/r/tok")
    record = _record(error, None)
    assert RedactingFilter().filter(record) is True
    assert record.msg is error
    assert record.args is None


# --------------------------------------------------------------------------------------------
# headers and the WSGI middleware

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", CSP),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def test_static_headers() -> None:
    assert static_headers(False) == HEADERS
    assert static_headers(True) == (*HEADERS, HSTS)


class Inner:
    """A WSGI app that records the environ it saw and answers with `headers`."""

    def __init__(self, headers: list[tuple[str, str]] | None = None) -> None:
        self.headers = headers if headers is not None else [("Content-Type", "text/plain")]
        self.environ: dict[str, Any] = {}
        self.body = b""
        self.returned: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.environ = environ
        self.body = environ["wsgi.input"].read()
        self.returned = start_response("200 OK", list(self.headers))
        return [b"ok"]


def _flask(**config: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(config)
    return app


class StartResponse:
    def __init__(self) -> None:
        self.calls: list[tuple[str, list[tuple[str, str]], Any]] = []

    def __call__(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> str:
        self.calls.append((status, headers, exc_info))
        return "write-callable"


def _chunked_environ(body: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        **extra,
    }


@pytest.mark.parametrize("encoding", ["chunked", "Chunked", "gzip, CHUNKED"])
def test_a_chunked_body_within_the_limit_is_passed_on_with_its_length(encoding: str) -> None:
    inner = Inner()
    mw = ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=10))
    environ = _chunked_environ(b"0123456789", HTTP_TRANSFER_ENCODING=encoding)
    assert mw(environ, StartResponse()) == [b"ok"]
    assert inner.body == b"0123456789"  # exactly the limit: accepted
    assert inner.environ["CONTENT_LENGTH"] == "10"
    assert "HTTP_TRANSFER_ENCODING" not in inner.environ
    assert "wsgi.input_terminated" not in inner.environ
    assert "sme.body_too_large" not in inner.environ


def test_a_chunked_body_over_the_limit_is_flagged_and_emptied() -> None:
    inner = Inner()
    mw = ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=10))
    mw(_chunked_environ(b"0123456789X"), StartResponse())
    assert inner.environ["sme.body_too_large"] is True
    assert inner.body == b""
    assert inner.environ["CONTENT_LENGTH"] == "0"
    assert "HTTP_TRANSFER_ENCODING" not in inner.environ


def test_a_chunked_body_is_read_only_up_to_one_byte_over_the_limit() -> None:
    stream = io.BytesIO(b"x" * 100)
    inner = Inner()
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=10))(
        _chunked_environ(b"", **{"wsgi.input": stream}), StartResponse()
    )
    assert stream.tell() == 11
    assert inner.environ["sme.body_too_large"] is True


def test_a_chunked_body_from_a_server_that_does_not_mark_its_end() -> None:
    inner = Inner()
    environ = _chunked_environ(b"abc")
    del environ["wsgi.input_terminated"]
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=10))(environ, StartResponse())
    assert inner.body == b"abc"
    assert inner.environ["CONTENT_LENGTH"] == "3"
    assert "wsgi.input_terminated" not in inner.environ


def test_without_a_limit_a_chunked_body_is_read_whole() -> None:
    # MAX_CONTENT_LENGTH None is Flask's "no limit": the body is passed on, never dropped
    inner = Inner()
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=None))(
        _chunked_environ(b"x" * 5000), StartResponse()
    )
    assert inner.body == b"x" * 5000
    assert inner.environ["CONTENT_LENGTH"] == "5000"
    assert "sme.body_too_large" not in inner.environ


@pytest.mark.parametrize(
    ("body", "too_large", "length"),
    [(b"", False, "0"), (b"a", True, "0")],
)
def test_a_limit_of_zero_allows_no_body(body: bytes, too_large: bool, length: str) -> None:
    inner = Inner()
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=0))(_chunked_environ(body), StartResponse())
    assert inner.body == b""
    assert inner.environ["CONTENT_LENGTH"] == length
    assert inner.environ.get("sme.body_too_large", False) is too_large


def test_a_limit_given_as_text_is_a_number() -> None:
    inner = Inner()
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH="3"))(
        _chunked_environ(b"abcd"), StartResponse()
    )
    assert inner.environ["sme.body_too_large"] is True


def test_a_chunked_request_without_a_stream_has_an_empty_body() -> None:
    inner = Inner()
    environ = _chunked_environ(b"")
    del environ["wsgi.input"]
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=10))(environ, StartResponse())
    assert inner.body == b""
    assert inner.environ["CONTENT_LENGTH"] == "0"
    assert "sme.body_too_large" not in inner.environ


@pytest.mark.parametrize(
    "environ",
    [
        # a length is given: the server reads the body by it
        {"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": "3"},
        # not chunked
        {"CONTENT_LENGTH": ""},
        {"HTTP_TRANSFER_ENCODING": "gzip"},
        {},
    ],
    ids=["chunked with a length", "empty length", "gzip", "nothing"],
)
def test_other_bodies_are_left_to_the_server(environ: dict[str, Any]) -> None:
    stream = io.BytesIO(b"abc")
    environ = {"REQUEST_METHOD": "POST", "wsgi.input": stream, **environ}
    before = dict(environ)
    inner = Inner()
    ChunkedBodyLimit(inner, _flask(MAX_CONTENT_LENGTH=1))(environ, StartResponse())
    assert inner.environ == before
    assert inner.environ["wsgi.input"] is stream
    assert inner.body == b"abc"


@pytest.mark.parametrize("https", [False, True])
def test_the_middleware_adds_the_static_headers_at_start_response(https: bool) -> None:
    inner = Inner([("Content-Type", "text/html")])
    mw = ChunkedBodyLimit(inner, _flask(HTTPS=https))
    start = StartResponse()
    mw({"REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}, start)
    [(status, headers, exc_info)] = start.calls
    assert status == "200 OK"
    assert exc_info is None
    expected = [("Content-Type", "text/html"), *HEADERS]
    assert headers == ([*expected, HSTS] if https else expected)
    assert inner.returned == "write-callable"  # start_response's result is handed back


def test_a_header_the_response_set_itself_is_kept() -> None:
    inner = Inner([("x-frame-options", "SAMEORIGIN"), ("Content-Security-Policy", "none")])
    start = StartResponse()
    ChunkedBodyLimit(inner, _flask(HTTPS=True))({"wsgi.input": io.BytesIO()}, start)
    [(_status, headers, _exc)] = start.calls
    assert headers == [
        ("x-frame-options", "SAMEORIGIN"),
        ("Content-Security-Policy", "none"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        HSTS,
    ]


def test_exc_info_is_passed_on() -> None:
    start = StartResponse()
    info = (ValueError, ValueError("x"), None)

    def inner(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("500 INTERNAL SERVER ERROR", [], info)
        return []

    ChunkedBodyLimit(inner, _flask())({}, start)
    assert start.calls == [("500 INTERNAL SERVER ERROR", list(HEADERS), info)]


def test_the_middleware_keeps_what_it_wraps() -> None:
    inner = Inner()
    app = _flask(HTTPS=True)
    mw = ChunkedBodyLimit(inner, app)
    assert mw.wsgi_app is inner
    assert mw.app is app
    assert mw.headers == (*HEADERS, HSTS)


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], False),
        ([("a", "b"), ("c", "d")], False),
        ([("a\x00", "b")], True),
        ([("a", "b\x00c")], True),
        ([("a", "b"), ("a", "\x00")], True),  # the second value of a repeated field
        ([("a", "b"), ("c", "d"), ("e", "\x00")], True),
        ([("f", FileStorage(io.BytesIO(b"\x00"), filename="x"))], False),  # not a text value
    ],
)
def test_has_nul(pairs: list[tuple[str, Any]], expected: bool) -> None:
    assert _has_nul(MultiDict(pairs)) is expected


# --------------------------------------------------------------------------------------------
# the session's signing serializer, built once per key


def test_session_serializer_is_reused_while_the_keys_stay() -> None:
    app = _flask(SECRET_KEY="one")
    cookies = SessionCookies()
    first = cookies.get_signing_serializer(app)
    assert first is not None
    assert cookies.get_signing_serializer(app) is first
    signed = first.dumps({"x": 1})
    assert first.loads(signed) == {"x": 1}

    app.config["SECRET_KEY"] = "two"
    second = cookies.get_signing_serializer(app)
    assert second is not None and second is not first
    with pytest.raises(BadSignature):
        second.loads(signed)
    assert cookies.get_signing_serializer(app) is second

    # the old key as a fallback: a new serializer, which still reads the old cookies
    app.config["SECRET_KEY_FALLBACKS"] = ["one"]
    third = cookies.get_signing_serializer(app)
    assert third is not None and third is not second
    assert third.loads(signed) == {"x": 1}
    assert cookies.get_signing_serializer(app) is third


def test_session_serializer_without_a_secret_key_is_none_and_not_kept() -> None:
    app = _flask(SECRET_KEY="one")
    cookies = SessionCookies()
    first = cookies.get_signing_serializer(app)
    app.config["SECRET_KEY"] = None
    assert cookies.get_signing_serializer(app) is None
    app.config["SECRET_KEY"] = "one"
    assert cookies.get_signing_serializer(app) is first


def test_each_session_interface_keeps_its_own_serializer() -> None:
    one, two = _flask(SECRET_KEY="one"), _flask(SECRET_KEY="two")
    a, b = SessionCookies(), SessionCookies()
    sa, sb = a.get_signing_serializer(one), b.get_signing_serializer(two)
    assert sa is not None and sb is not None and sa is not sb
    assert a.get_signing_serializer(one) is sa
    assert b.get_signing_serializer(two) is sb


# --------------------------------------------------------------------------------------------
# init_security on a bare Flask app


@pytest.fixture()
def secured(tmp_path: Path) -> Callable[..., Flask]:
    (tmp_path / "app.css").write_text("body{}")

    def make(**config: Any) -> Flask:
        app = Flask(__name__, static_folder=str(tmp_path), static_url_path="/static")
        app.config.update({"SECRET_KEY": "s", "WTF_CSRF_ENABLED": False, **config})
        init_security(app)

        @app.route("/", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        def index() -> str:
            return "ok " + str(request.remote_addr)

        @app.route("/vary")
        def vary() -> Any:
            resp = make_response("v")
            resp.headers["Vary"] = "Accept-Language"
            return resp

        @app.route("/frame")
        def frame() -> Any:
            resp = make_response("f")
            resp.headers["X-Frame-Options"] = "SAMEORIGIN"
            return resp

        return app

    return make


def test_init_security_installs_the_session_interface_and_middleware(
    secured: Callable[..., Flask],
) -> None:
    app = secured()
    assert isinstance(app.session_interface, SessionCookies)
    assert isinstance(app.wsgi_app, ChunkedBodyLimit)
    assert app.wsgi_app.headers == HEADERS
    assert isinstance(secured(HTTPS=True).wsgi_app, ChunkedBodyLimit)


def test_every_page_gets_the_security_headers_and_no_store(secured: Callable[..., Flask]) -> None:
    resp = secured().test_client().get("/")
    assert resp.status_code == 200
    for name, value in HEADERS:
        assert resp.headers[name] == value
    assert "Strict-Transport-Security" not in resp.headers
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["Vary"] == "Cookie"
    https = secured(HTTPS=True).test_client().get("/")
    assert https.headers["Strict-Transport-Security"] == HSTS[1]


def test_a_page_with_its_own_vary_and_frame_options(secured: Callable[..., Flask]) -> None:
    client = secured().test_client()
    resp = client.get("/vary")
    assert resp.headers["Vary"] == "Accept-Language, Cookie"
    assert resp.headers["Cache-Control"] == "no-store"
    framed = client.get("/frame")
    assert framed.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]


def test_not_found_pages_are_not_stored_either(secured: Callable[..., Flask]) -> None:
    resp = secured().test_client().get("/nowhere")
    assert resp.status_code == 404
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_static_files_may_be_cached(secured: Callable[..., Flask]) -> None:
    resp = secured().test_client().get("/static/app.css")
    assert resp.status_code == 200
    assert "no-store" not in resp.headers.get("Cache-Control", "")
    assert "Cookie" not in resp.headers.get("Vary", "")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    resp.close()


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("GET", "/?q=a%00b", None, 400),
        ("GET", "/?a%00=b", None, 400),
        ("GET", "/?q=a&q=%00", None, 400),
        ("GET", "/%00", None, 400),
        ("GET", "/?q=ab", None, 200),
        ("POST", "/", {"name": "a\x00"}, 400),
        ("PUT", "/", {"name": "a\x00"}, 400),
        ("PATCH", "/", {"name": "a\x00"}, 400),
        ("POST", "/", {"name\x00": "a"}, 400),
        ("POST", "/", {"name": "a"}, 200),
        # the form of other methods is not read
        ("DELETE", "/", {"name": "a\x00"}, 200),
    ],
)
def test_nul_characters_are_refused(
    secured: Callable[..., Flask], method: str, path: str, data: Any, status: int
) -> None:
    resp = secured().test_client().open(path, method=method, data=data)
    assert resp.status_code == status


def test_an_oversized_chunked_body_is_refused(secured: Callable[..., Flask]) -> None:
    app = secured(MAX_CONTENT_LENGTH=8)
    for body, status in ((b"name=abc", 200), (b"name=abcd", 413)):
        environ = EnvironBuilder(
            "/",
            method="POST",
            input_stream=io.BytesIO(body),
            headers={
                "Transfer-Encoding": "chunked",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ).get_environ()
        environ["CONTENT_LENGTH"] = ""
        environ["wsgi.input_terminated"] = True
        _iter, got, _headers = run_wsgi_app(app, environ)
        assert got.startswith(str(status)), (body, got)


def test_forms_need_a_csrf_token(secured: Callable[..., Flask]) -> None:
    app = secured(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.get("/").status_code == 200
    resp = client.post("/", data={"name": "a"})
    assert resp.status_code == 400
    assert "CSRF" in resp.get_data(as_text=True)


def test_forwarded_addresses_are_trusted_only_behind_proxies(
    secured: Callable[..., Flask],
) -> None:
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    plain = secured()
    assert isinstance(plain.wsgi_app, ChunkedBodyLimit)
    assert plain.test_client().get("/", headers=headers).get_data(as_text=True) == "ok 127.0.0.1"

    proxied = secured(TRUSTED_PROXIES=1)
    assert isinstance(proxied.wsgi_app, ProxyFix)
    assert proxied.wsgi_app.x_for == 1
    assert proxied.wsgi_app.x_proto == 1
    assert isinstance(proxied.wsgi_app.app, ChunkedBodyLimit)
    resp = proxied.test_client().get("/", headers=headers)
    assert resp.get_data(as_text=True) == "ok 203.0.113.7"

    two = secured(TRUSTED_PROXIES="2")
    assert isinstance(two.wsgi_app, ProxyFix)
    assert two.wsgi_app.x_for == 2
    assert two.wsgi_app.x_proto == 2


@pytest.fixture()
def werkzeug_filters() -> Iterator[logging.Logger]:
    """The werkzeug logger without its filters for the test, restored after it."""
    log = logging.getLogger("werkzeug")
    saved = list(log.filters)
    for f in saved:
        log.removeFilter(f)
    yield log
    for f in list(log.filters):
        log.removeFilter(f)
    for f in saved:
        log.addFilter(f)


def test_the_request_log_is_redacted_once(
    secured: Callable[..., Flask], werkzeug_filters: logging.Logger
) -> None:
    secured()
    secured()
    assert [type(f) for f in werkzeug_filters.filters] == [RedactingFilter]
    record = _record('"%s" %s', ("GET /resume/ABC HTTP/1.1", 200))
    assert werkzeug_filters.filter(record)
    assert record.getMessage() == '"GET /resume/[redacted] HTTP/1.1" 200'
