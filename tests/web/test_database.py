"""Database behaviour that the rolled-back test transaction cannot show: real commits from
several connections at once. Runs on SQLite locally and on PostgreSQL in CI."""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import func, select

from sme_assess.db import begin_write, dispose_engines, get_engine
from sme_assess.models import Answer, Business
from sme_assess.survey import service
from tests.conftest import psycopg_statements


def test_ci_really_runs_on_postgresql_when_asked(app: Any) -> None:
    """CI sets SME_REQUIRE_POSTGRES=1 for its second run: make sure it is not SQLite again."""
    dialect = get_engine(app).dialect.name
    if os.environ.get("SME_REQUIRE_POSTGRES") == "1":
        assert dialect == "postgresql"
    else:
        assert dialect in ("sqlite", "postgresql")


def _committed_draft(app: Any, questionnaire: Any, name: str) -> tuple[int, int, str]:
    """A household business and its draft, committed: (business id, draft id, public id)."""
    with app.app_context(), app.extensions["sme_sessionmaker"]() as s:
        b = service.create_business(
            s,
            service.ProfileData(
                name=name,
                tax_code=None,
                business_type="household",
                province_code="79",
                industry_section="G",
                employees_band="0-10",
                revenue_band="0-3",
                capital_band="0-3",
                email=None,
            ),
        )
        a, _ = service.start_assessment(s, b, questionnaire, ttl_days=90)
        s.commit()
        return b.id, a.id, a.public_id


def test_concurrent_page_saves_lose_and_duplicate_nothing(app: Any, questionnaire: Any) -> None:
    maker = app.extensions["sme_sessionmaker"]
    business_id, assessment_id, _pid = _committed_draft(app, questionnaire, "Concurrency test")
    pages = [
        {
            q.id: ("yes" if q.type == "yes_no" else q.options[k % len(q.options)].id)
            for q in pillar.questions
        }
        for k, pillar in enumerate(questionnaire.pillars)
    ]
    errors: list[BaseException] = []

    def save(values: dict[str, Any]) -> None:
        try:
            with app.test_request_context(method="POST"), maker() as s:
                for _ in range(3):  # the same page saved repeatedly, as on a flaky connection
                    s.get(service.Assessment, assessment_id)  # read first, as the views do
                    begin_write(s)
                    a = s.get(service.Assessment, assessment_id)
                    service.save_answers(s, a, values, ttl_days=90)
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(p,)) for p in pages]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert not errors, errors
        with maker() as s:
            rows = s.execute(
                select(Answer.question_id, Answer.value).where(
                    Answer.assessment_id == assessment_id
                )
            ).all()
            expected = {k: v for p in pages for k, v in p.items()}
            assert len(rows) == len(expected)  # no duplicates
            assert dict(rows) == expected  # nothing lost
    finally:
        with maker() as s:
            s.delete(s.get(Business, business_id))
            s.commit()
            left = s.scalar(
                select(func.count())
                .select_from(Answer)
                .where(Answer.assessment_id == assessment_id)
            )
            assert left == 0


PG_URL = os.environ.get(
    "SME_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_engine() -> Any:
    import pytest

    from sme_assess.db import make_engine

    engine = make_engine(PG_URL)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any failure to connect means: no server here
        engine.dispose()
        pytest.skip(f"no PostgreSQL server at {PG_URL.split('@')[-1]} ({type(exc).__name__})")
    return engine


def test_a_connection_the_server_closed_is_replaced_at_checkout() -> None:
    """A pooled PostgreSQL connection whose backend was terminated (as by a server restart) is
    discarded at checkout and the request gets a new one, without a SELECT 1 per checkout.
    Runs when a PostgreSQL server answers on 127.0.0.1:5432 (always in CI); skipped, and
    says so, otherwise."""
    import time

    from sqlalchemy import event

    engine = _pg_engine()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        with engine.connect() as conn:
            first = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with engine.connect() as conn:  # the same pooled connection, checked out again
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() == first
        assert not any("SELECT 1" in s for s in statements)  # no ping round trip
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql")) as killer:
            killer.execute(f"SELECT pg_terminate_backend({int(first)})")
        time.sleep(0.3)  # the server's goodbye reaches the pooled connection's socket
        with engine.connect() as conn:
            second = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        assert second != first
    finally:
        engine.dispose()


def test_read_only_pages_read_in_autocommit_on_postgresql() -> None:
    """The read-only connection (`read_connection`) of a PostgreSQL app runs each statement on
    its own: no BEGIN and ROLLBACK round trips around a page's one SELECT."""
    from sme_assess import create_app

    _pg_engine().dispose()
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": PG_URL, "AUTO_MIGRATE": False}
    )
    try:
        with app.app_context(), app.extensions["sme_connect"]() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
            raw = conn.connection.driver_connection
            assert raw.autocommit is True
            # prepared statements keep their generic plan (no planning at every execution)
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == (
                "force_generic_plan"
            )
        # the pool of the main engine is untouched: its connections open transactions
        with get_engine(app).connect() as conn:
            assert conn.connection.driver_connection.autocommit is False
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == "auto"
    finally:
        dispose_engines(app)


def test_an_answer_post_is_one_statement_in_autocommit_on_postgresql(questionnaire: Any) -> None:
    """On PostgreSQL `save_answers` on the write connection moves the draft, upserts and
    deletes answers in one statement, committed on its own (seen from another connection), and
    a submitted draft refuses it with nothing written."""
    from sme_assess import create_app
    from sme_assess.db import write_connection
    from sme_assess.lookups import load_draft
    from sme_assess.models import AssessmentStatus

    _pg_engine().dispose()
    # AUTO_MIGRATE: the schema is made here when this runs before (or without) the PostgreSQL
    # suite, whose session fixture otherwise creates it
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": PG_URL, "AUTO_MIGRATE": True}
    )
    maker = app.extensions["sme_sessionmaker"]
    first, second = (q.id for q in questionnaire.pillars[0].questions[:2])
    business_id, _id, public_id = _committed_draft(app, questionnaire, "One statement")

    def saved() -> dict[str, Any]:
        with get_engine(app).connect() as other:
            loaded = load_draft(other, public_id)
            assert loaded is not None
            return loaded[1]

    try:
        with app.test_request_context(method="POST"), psycopg_statements() as statements:
            with get_engine(app).connect() as conn:
                ref = load_draft(conn, public_id)
            assert ref is not None and ref[1] == {}
            with write_connection():
                pass  # the pool's first connection made (its set-up queries are not counted)
            statements.clear()
            with write_connection() as conn:
                service.save_answers(conn, ref[0], {first: "yes", second: "l2"}, ttl_days=90)
            assert len(statements) == 1 and statements[0].startswith("WITH moved")
            assert saved() == {first: "yes", second: "l2"}
            with write_connection() as conn:
                service.save_answers(conn, ref[0], {first: "no"}, {second}, ttl_days=90)
            assert saved() == {first: "no"}

            with maker() as s:
                s.get(service.Assessment, ref[0].id).status = AssessmentStatus.submitted
                s.commit()
            import pytest

            with pytest.raises(service.AlreadySubmitted), write_connection() as conn:
                service.save_answers(conn, ref[0], {first: "yes", second: "l1"}, ttl_days=90)
            assert saved() == {first: "no"}
    finally:
        with maker() as s:
            s.delete(s.get(Business, business_id))
            s.commit()
        dispose_engines(app)


def test_read_only_pages_open_no_transaction_on_sqlite(tmp_path: Any) -> None:
    """On SQLite the read-only connection runs its one statement without BEGIN (atomic on its
    own); every other connection still opens its transaction explicitly."""
    from sqlalchemy import event

    from sme_assess import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'reads.sqlite3'}",
            "AUTO_MIGRATE": False,
        }
    )
    engine = get_engine(app)
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    try:
        with app.app_context():
            with app.extensions["sme_connect"]() as conn:
                assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
            assert seen == ["SELECT 1"]
            seen.clear()
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 2")
            assert seen == ["BEGIN", "SELECT 2"]
    finally:
        engine.dispose()


def test_driver_rows_read_what_sqlalchemy_reads_on_postgresql(questionnaire: Any) -> None:
    """`db.driver_rows` runs the draft read and the answer post through psycopg directly on
    PostgreSQL: the rows are those SQLAlchemy reads (text, lists, numbers and quotes in the JSON
    answers, the status, the aware expiry), and the statement is compiled once."""
    from datetime import datetime

    from sme_assess import create_app, db
    from sme_assess.db import driver_rows, read_connection, write_connection
    from sme_assess.lookups import _LOAD_DRAFT, load_draft

    _pg_engine().dispose()
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": PG_URL, "AUTO_MIGRATE": True}
    )
    business_id, draft_id, public_id = _committed_draft(app, questionnaire, "Driver rows")
    a, b, c, d = (q.id for q in questionnaire.pillars[0].questions[:4])
    values = {a: "yes", b: ["l1", "l3"], c: 12, d: 'Cà phê "Hạt Ngon" \\ 50%'}
    try:
        with app.test_request_context(method="POST"):
            with read_connection() as conn:
                ref = load_draft(conn, public_id)
            assert ref is not None
            with write_connection() as conn:
                service.save_answers(conn, ref[0], values, ttl_days=90)
            with read_connection() as conn:
                params = {"b_public_id": public_id}
                direct = driver_rows(conn, _LOAD_DRAFT, params)
                through = conn.execute(_LOAD_DRAFT, params).all()
                loaded = load_draft(conn, public_id)
        assert sorted(map(tuple, direct)) == sorted(map(tuple, through))
        assert len(direct) == 4
        assert {r[4]: r[5] for r in direct} == {
            a: "yes",
            b: ["l1", "l3"],
            c: 12,
            d: 'Cà phê "Hạt Ngon" \\ 50%',
        }
        assert {r[0] for r in direct} == {draft_id} and {r[1] for r in direct} == {"draft"}
        expires = direct[0][2]
        assert isinstance(expires, datetime) and expires.tzinfo is not None
        assert loaded is not None and loaded[0].status.value == "draft"
        assert loaded[0].id == draft_id and loaded[1] == {r[4]: r[5] for r in direct}
        kept = db._DRIVER_SQL[id(_LOAD_DRAFT)]
        assert kept[0] is _LOAD_DRAFT and "%(b_public_id)s" in kept[1]
    finally:
        with app.extensions["sme_sessionmaker"]() as s:
            s.delete(s.get(Business, business_id))
            s.commit()
        dispose_engines(app)


def test_driver_rows_go_through_sqlalchemy_on_sqlite(tmp_path: Any) -> None:
    """On SQLite `driver_rows` is SQLAlchemy's own execution (nothing compiled for psycopg)."""
    from sqlalchemy import event, literal

    from sme_assess import create_app
    from sme_assess import db as database
    from sme_assess.db import driver_rows

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'driver.sqlite3'}",
            "AUTO_MIGRATE": False,
        }
    )
    seen: list[str] = []
    event.listen(get_engine(app), "before_cursor_execute", lambda *a: seen.append(a[2]))
    stmt = select(literal(7), literal("bảy"))
    before = dict(database._DRIVER_SQL)
    try:
        with app.app_context(), app.extensions["sme_connect"]() as conn:
            assert [tuple(r) for r in driver_rows(conn, stmt, {})] == [(7, "bảy")]
        assert len(seen) == 1 and seen[0].startswith("SELECT")  # SQLAlchemy ran it
        assert before == database._DRIVER_SQL
    finally:
        get_engine(app).dispose()


def test_answer_saves_commit_asynchronously_unless_configured() -> None:
    """PostgreSQL's autocommit pool (reads and answer saves) sets synchronous_commit off unless
    SME_ANSWER_SAVES_SYNCHRONOUS; the main pool (submissions, every other write) never does."""
    from sme_assess import create_app

    _pg_engine().dispose()
    for synchronous, expected in ((False, "off"), (True, "on")):
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "DATABASE_URL": PG_URL,
                "AUTO_MIGRATE": False,
                "ANSWER_SAVES_SYNCHRONOUS": synchronous,
            }
        )
        try:
            with app.app_context():
                with app.extensions["sme_connect"]() as conn:
                    shown = conn.exec_driver_sql("SHOW synchronous_commit").scalar_one()
                    assert shown == expected
                    plan = conn.exec_driver_sql("SHOW plan_cache_mode").scalar_one()
                    assert plan == "force_generic_plan"
                with get_engine(app).connect() as conn:
                    assert conn.exec_driver_sql("SHOW synchronous_commit").scalar_one() == "on"
        finally:
            dispose_engines(app)


def test_answer_saves_synchronous_is_read_from_the_environment(monkeypatch: Any) -> None:
    from sme_assess.config import defaults
    from sme_assess.db import autocommit_pool_options

    assert defaults("/tmp")["ANSWER_SAVES_SYNCHRONOUS"] is False
    assert autocommit_pool_options({}) == (
        "-c plan_cache_mode=force_generic_plan -c synchronous_commit=off"
    )
    assert autocommit_pool_options({"ANSWER_SAVES_SYNCHRONOUS": True}) == (
        "-c plan_cache_mode=force_generic_plan"
    )
    from sme_assess import create_app

    monkeypatch.setenv("SME_ANSWER_SAVES_SYNCHRONOUS", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://"})
    assert app.config["ANSWER_SAVES_SYNCHRONOUS"] is True
