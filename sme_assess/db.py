"""Database: engine, a session per request, the declarative Base with a naming convention."""

from __future__ import annotations

import logging
import select
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str, echo: bool = False, **options: Any) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo, "future": True, **options}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _refuse_closed_connection)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # let SQLAlchemy, not the driver, open transactions, so SAVEPOINT and
            # transactional DDL work (SQLAlchemy's documented pysqlite recipe)
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=5000")  # first: the next pragma may wait for a lock
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # with WAL, NORMAL is safe against corruption and loses nothing on an app crash
            # (only on power loss); FULL would fsync on every answer saved
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # After `begin_write`, transactions take the write lock up front (BEGIN IMMEDIATE):
            # in WAL mode a transaction that read first and then writes fails at once with
            # "database is locked" when another process wrote meanwhile, instead of waiting.
            if conn._execution_options.get("sme_single_read"):
                return  # one SELECT on its own is atomic: no BEGIN … ROLLBACK around it
            from flask import g, has_app_context

            immediate = has_app_context() and g.get("sme_write_tx", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _refuse_closed_connection(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection that the server has closed (a restart, a terminated
    backend, an idle timeout) is discarded at checkout and replaced by a new one, so no request
    fails on it. SQLAlchemy's `pool_pre_ping` does the same with a `SELECT 1` round trip on
    every checkout; here the check is local: an idle connection has nothing to read, so a
    socket that is readable (the server's goodbye, or end of file) or gone means the connection
    is dead (decision 0027). Raising DisconnectionError makes the pool retry with a fresh one."""
    pgconn = getattr(dbapi_conn, "pgconn", None)
    if pgconn is None:  # not psycopg 3: nothing to look at
        return
    try:
        fd = pgconn.socket
        readable, _w, _x = select.select([fd], [], [], 0)
    except (OSError, ValueError, psycopg_errors()) as exc:
        raise DisconnectionError(f"connection unusable: {exc}") from exc
    if readable or dbapi_conn.closed or dbapi_conn.broken:
        raise DisconnectionError("the server closed this connection")


def psycopg_errors() -> type[Exception]:
    try:
        import psycopg

        return psycopg.OperationalError
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return OSError


def init_db(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], bool(app.config.get("SQL_ECHO")))
    app.extensions["sme_engine"] = engine
    app.extensions["sme_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    # how read-only pages get a connection (tests swap in their rolled-back one): each use runs
    # one statement, which is atomic on its own, so no transaction is opened around it — on
    # PostgreSQL autocommit (one round trip instead of BEGIN, SELECT and ROLLBACK) in a pool of
    # its own, whose connections stay in autocommit (no switching at every checkout, decision
    # 0030); on SQLite the BEGIN of `_sqlite_begin` is skipped (cheaper than switching the
    # isolation level)
    # How a view whose writes are plain statements gets its write transaction (tests swap in a
    # savepoint of their rolled-back connection): on SQLite BEGIN IMMEDIATE … COMMIT; on
    # PostgreSQL its one statement (`service.save_answers`) is atomic on its own, so it runs on
    # the autocommit pool: no BEGIN and COMMIT round trips
    reads: Engine
    if engine.dialect.name == "sqlite":
        reads = engine.execution_options(sme_single_read=True)
        app.extensions["sme_write"] = engine.begin
    else:
        reads = make_engine(
            app.config["DATABASE_URL"],
            bool(app.config.get("SQL_ECHO")),
            isolation_level="AUTOCOMMIT",
            # its statements look rows up by key, and psycopg prepares each one after a few
            # uses: a generic plan is then reused instead of the server planning every
            # execution again (the answer post's statement: 0.58 → 0.24 ms of server CPU)
            connect_args={"options": autocommit_pool_options(app.config)},
        )
        app.extensions["sme_read_engine"] = reads
        app.extensions["sme_write"] = reads.connect
    app.extensions["sme_connect"] = reads.connect

    @app.teardown_appcontext
    def _close_session(exc: BaseException | None) -> None:
        s: Session | None = g.pop("db_session", None)
        if s is not None:
            if exc is not None:
                s.rollback()
            s.close()


def autocommit_pool_options(config: Any) -> str:
    """The libpq `options` of PostgreSQL's autocommit pool (reads and answer saves).

    Its only writes are the answer saves (`write_connection`), and unless
    ``ANSWER_SAVES_SYNCHRONOUS`` is set they commit asynchronously (``synchronous_commit=off``):
    the server answers once the save is in its write-ahead log in memory, without waiting for
    the disk flush (about 125 µs a save here, a sixth of an answer post). Only a crash of the
    PostgreSQL server or its machine can then lose saves, those of the last 0.6 s at most
    (three times ``wal_writer_delay``), and the database stays consistent: a page's save is
    there whole or not at all. An app crash or restart loses nothing. Every other write
    (submissions, profiles, accounts, sharing) goes through the main pool, synchronously.
    Decision 0035."""
    options = "-c plan_cache_mode=force_generic_plan"
    if not config.get("ANSWER_SAVES_SYNCHRONOUS"):
        options += " -c synchronous_commit=off"
    return options


def get_session() -> Session:
    """The request's session. Services only flush; the view commits once (or it rolls back)."""
    from flask import current_app

    s: Session | None = g.get("db_session")
    if s is None:
        s = g.db_session = current_app.extensions["sme_sessionmaker"]()
    return s


@contextmanager
def read_connection() -> Iterator[Connection]:
    """A pooled connection for a page that only reads: no ORM session, nothing to flush or
    roll back at the end of the request (the cheapest way to answer a question page).

    Each use runs one statement: on PostgreSQL the connection is in autocommit (see
    `init_db`), so two statements would not share a snapshot."""
    from flask import current_app

    with current_app.extensions["sme_connect"]() as conn:
        yield conn


#: id(statement) → (statement, its SQL for psycopg): compiled once per process
_DRIVER_SQL: dict[int, tuple[Any, str]] = {}


def driver_rows(conn: Connection, statement: Any, params: dict[str, Any]) -> list[Any]:
    """The rows of one Core statement (a module-level constant: compiled once), executed on
    PostgreSQL through psycopg directly, as a prepared statement; elsewhere through SQLAlchemy.

    For the hot paths of the question pages (the draft read, the answer post): SQLAlchemy's
    execution machinery costs about 70 µs a statement, a tenth of a question page (decision
    0035). What it would do is done here or not needed: parameters must be plain values that
    psycopg adapts itself (text, numbers, datetimes, None, lists of text); results come as
    psycopg decodes them (an enum column as its text, JSON decoded by `json.loads`), which the
    callers expect. SQL_ECHO does not log these statements."""
    if conn.dialect.name != "postgresql":
        return list(conn.execute(statement, params).all())
    kept = _DRIVER_SQL.get(id(statement))
    if kept is None or kept[0] is not statement:
        kept = _DRIVER_SQL[id(statement)] = (
            statement,
            str(statement.compile(dialect=conn.dialect)),
        )
    raw = conn.connection.driver_connection
    if raw is None:  # pragma: no cover - a checked-out connection always has one
        raise RuntimeError("no driver connection")
    return list(raw.execute(kept[1], params, prepare=True).fetchall())


@contextmanager
def write_connection() -> Iterator[Connection]:
    """A connection for a view whose write is Core statements (an answer post), without an ORM
    session. On SQLite it is a short write transaction (BEGIN IMMEDIATE, as after
    `begin_write`), committed when the block ends, rolled back if it raises. On PostgreSQL it is
    in autocommit: the block's write must be one statement, atomic on its own (decision 0030)."""
    from flask import current_app

    before = g.get("sme_write_tx", False)
    g.sme_write_tx = True
    try:
        with current_app.extensions["sme_write"]() as conn:
            yield conn
    finally:
        g.sme_write_tx = before


def begin_write(session: Session) -> None:
    """End the request's read transaction; the next one is a write transaction.

    Views read and validate first, then call this right before their writes, so a write
    transaction is short and starts from fresh data (objects are expired and reloaded inside
    it — e.g. a draft's status is checked again under the write lock). On SQLite the write
    transaction starts with BEGIN IMMEDIATE; on PostgreSQL this only ends the read snapshot.
    """
    session.rollback()
    g.sme_write_tx = True


def get_engine(app: Flask) -> Engine:
    return app.extensions["sme_engine"]  # type: ignore[no-any-return]


def dispose_engines(app: Flask) -> None:
    """Close every pooled connection of `app` (the main pool and PostgreSQL's autocommit one),
    e.g. before gunicorn forks its workers."""
    get_engine(app).dispose()
    reads: Engine | None = app.extensions.get("sme_read_engine")
    if reads is not None:
        reads.dispose()


def init_schema(app: Flask) -> None:
    """Bring the schema to the newest migration at start-up (SME_AUTO_MIGRATE, on by default;
    production may turn it off and run `sme-assess db upgrade` from its deploy step)."""
    if app.config.get("AUTO_MIGRATE"):
        from .migrate import upgrade

        upgrade(get_engine(app))
