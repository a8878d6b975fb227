"""Shared fixtures: one app per test session, a database transaction rolled back after each
test, factories that return callables.

The database is SQLite in a temporary directory unless SME_DATABASE_URL points elsewhere (CI
runs the suite a second time on PostgreSQL). The schema is built by the Alembic migrations —
first downgraded to nothing, then upgraded — so the migrations are exercised on every run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from sme_assess import create_app
from sme_assess.db import dispose_engines, get_engine
from sme_assess.limits import DEFAULT_LIMITS, limiter
from sme_assess.migrate import downgrade, upgrade

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("SME_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Any]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "SERVER_NAME": "sme.test",
            "PUBLIC_BASE_URL": "https://sme.test",
            # generous limits so no test is throttled by accident; tests of the limits
            # lower one with the `rate_limit` fixture
            **{key: "100000 per minute" for key in DEFAULT_LIMITS},
        }
    )
    engine = get_engine(app)
    downgrade(engine, "base")
    upgrade(engine)
    yield app
    dispose_engines(app)  # close pooled connections before the interpreter does


@pytest.fixture()
def db(app: Any) -> Iterator[Any]:
    """A session inside an outer transaction that is rolled back after the test. The app's
    own sessions join it through savepoints, so view commits are undone too."""
    engine = get_engine(app)
    conn = engine.connect()
    outer = conn.begin()
    original = app.extensions["sme_sessionmaker"]
    maker = sessionmaker(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    app.extensions["sme_sessionmaker"] = maker
    original_connect = app.extensions["sme_connect"]
    app.extensions["sme_connect"] = lambda: nullcontext(conn)
    original_write = app.extensions["sme_write"]

    @contextmanager
    def write() -> Iterator[Any]:
        with conn.begin_nested():  # a savepoint: its writes are undone with the test
            yield conn

    app.extensions["sme_write"] = write
    session = maker()
    try:
        yield session
    finally:
        session.close()
        app.extensions["sme_sessionmaker"] = original
        app.extensions["sme_connect"] = original_connect
        app.extensions["sme_write"] = original_write
        outer.rollback()
        conn.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Every test starts with empty rate-limit counters (once the app has been built)."""
    if getattr(limiter, "_storage", None) is not None:
        limiter.reset()
    yield


@pytest.fixture()
def rate_limit(app: Any) -> Iterator[Callable[[str, str], None]]:
    """`rate_limit("RESUME", "3 per minute")` lowers a limit for this test only."""
    saved: dict[str, Any] = {}

    def set_limit(name: str, value: str) -> None:
        key = "RATELIMIT_" + name
        saved.setdefault(key, app.config[key])
        app.config[key] = value

    yield set_limit
    app.config.update(saved)
    limiter.reset()


@pytest.fixture()
def client(app: Any, db: Any) -> Any:
    return app.test_client()


@pytest.fixture()
def new_client(app: Any, db: Any) -> Callable[[], Any]:
    """Fresh clients (another device: no cookies) sharing the test's transaction."""
    return lambda: app.test_client()


@contextmanager
def psycopg_statements() -> Iterator[list[str]]:
    """Every statement sent through psycopg while the block runs — SQLAlchemy's and the ones
    `db.driver_rows` sends itself — white space collapsed, in order."""
    import psycopg

    seen: list[str] = []
    real_execute = psycopg.Cursor.execute

    def execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(" ".join(str(query).split()))
        return real_execute(self, query, *args, **kwargs)

    psycopg.Cursor.execute = execute  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        psycopg.Cursor.execute = real_execute  # type: ignore[method-assign]


def csrf_token(client: Any, path: str = "/") -> str:
    resp = client.get(path)
    m = CSRF_RE.search(resp.get_data(as_text=True))
    assert m, f"no CSRF token on {path}"
    return m.group(1)


@pytest.fixture()
def questionnaire(app: Any) -> Any:
    return app.extensions["sme_questionnaires"]["dbi-2021-sme"]


PROFILE = {
    "name": "Cửa hàng Thử Nghiệm",
    "business_type": "household",
    "tax_code": "",
    "province": "79",
    "industry": "G",
    "employees": "0-10",
    "revenue": "0-3",
    "capital": "0-3",
    "email": "",
}


@pytest.fixture()
def start_draft(client: Any) -> Callable[..., tuple[str, str]]:
    """Create a business and draft through the web; returns (public id, resume code)."""

    def start(**overrides: Any) -> tuple[str, str]:
        token = csrf_token(client, "/start")
        data = {**PROFILE, **overrides, "csrf_token": token}
        resp = client.post("/start", data=data)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        pid = resp.location.split("/a/")[1].split("/")[0]
        page = client.get(resp.location).get_data(as_text=True)
        code = re.search(r'id="resume-code">([^<]+)<', page).group(1).strip()
        return pid, code

    return start


def page_answers(pillar: Any, pick: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """Answers for every question of a page: "yes" on gates and the option `pick` chooses
    (default: the highest-scoring one)."""
    out: dict[str, Any] = {}
    for q in pillar.questions:
        if q.type == "yes_no":
            out[q.id] = "yes"
        elif q.type == "single":
            out[q.id] = pick(q) if pick else max(q.options, key=lambda o: o.points).id
    return out


@pytest.fixture()
def answer_all(client: Any, questionnaire: Any) -> Callable[..., None]:
    def answer(pid: str, pick: Callable[[Any], Any] | None = None) -> None:
        for n, pillar in enumerate(questionnaire.pillars, start=1):
            token = csrf_token(client, f"/a/{pid}/step/{n}")
            resp = client.post(
                f"/a/{pid}/step/{n}", data={**page_answers(pillar, pick), "csrf_token": token}
            )
            assert resp.status_code == 302, (n, resp.status_code)

    return answer


def pytest_report_header(config: Any) -> str:
    url = os.environ.get("SME_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return f"database: PostgreSQL ({url.split('@')[-1]})"
    return (
        "database: SQLite in a temporary directory — the PostgreSQL run is not done here; "
        "set SME_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the "
        "suite on PostgreSQL (CI does)"
    )


@pytest.fixture()
def smtp_server(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """A real SMTP server on localhost (aiosmtpd) that the app sends to for this test; yields
    the list of received messages (`email.message.EmailMessage`, with `.envelope_to`)."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            msg = message_from_bytes(envelope.original_content, policy=policy.default)
            msg.envelope_to = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
            received.append(msg)
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port (aiosmtpd's Controller cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
    try:
        yield received
    finally:
        controller.stop()


# --------------------------------------------------------------------------------------------
# accounts


@pytest.fixture()
def make_user(db: Any) -> Callable[..., Any]:
    """make_user(role="advisor", email=None, password=None, province=None, name=None) -> User.
    Without a password the account cannot sign in through the form (no hashing cost)."""
    from sme_assess.auth.service import create_user

    counter = iter(range(1, 100_000))

    def make(
        role: str = "advisor",
        email: str | None = None,
        password: str | None = None,
        province: str | None = None,
        name: str | None = None,
    ) -> Any:
        email = email or f"{role}{next(counter)}@example.vn"
        user = create_user(
            db, email=email, role=role, password=password, province_code=province, name=name
        )
        db.flush()
        return user

    return make


def sign_in_client(client: Any, user: Any) -> Any:
    """Put `user`'s Flask-Login session into `client`'s cookie (as a sign-in would)."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return user


@pytest.fixture()
def login_as(client: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """login_as("advisor" | "owner" | "ministry" | "admin" | a User, **make_user options) ->
    the User now signed in on `client`."""

    def login(role_or_user: Any = "advisor", **options: Any) -> Any:
        user = make_user(role_or_user, **options) if isinstance(role_or_user, str) else role_or_user
        return sign_in_client(client, user)

    return login
