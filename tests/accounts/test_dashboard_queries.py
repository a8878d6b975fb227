"""The dashboard's number of SQL statements does not grow with the number of businesses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, insert

from sme_assess.db import get_engine
from sme_assess.models import AdvisorShare, Assessment, Business
from sme_assess.models.progress import refresh_progress


def bulk_shared(db: Any, advisor: Any, n: int, per_business: int = 2) -> None:
    """`n` businesses shared with `advisor`, each with `per_business` submitted assessments
    (rows written directly: this test is about reading them)."""
    now = datetime.now(UTC)
    businesses = [
        {
            "public_id": f"bulk{advisor.id}x{i}",
            "name": f"Doanh nghiệp {i:04d}",
            "business_type": "household",
            "province_code": "79" if i % 2 else "01",
            "industry_section": "G",
            "industry_classification": "VSIC-2018",
            "employees_band": "0-10",
            "revenue_band": "0-3",
            "capital_band": "0-3",
            "size_class": "micro",
        }
        for i in range(n)
    ]
    ids = [r[0] for r in db.execute(insert(Business).returning(Business.id), businesses).all()]
    db.execute(
        insert(AdvisorShare),
        [{"business_id": b, "advisor_id": advisor.id, "consented_at": now} for b in ids],
    )
    db.execute(
        insert(Assessment),
        [
            {
                "public_id": f"bulk{b}a{k}",
                "business_id": b,
                "questionnaire_id": "dbi-2021-sme",
                "questionnaire_version": "1",
                "status": "submitted",
                "locale": "vi",
                "submitted_at": now - timedelta(days=400 * (per_business - k)),
                "overall_level": (b + k) % 6,
                "total_points": 10,
                "max_points": 100,
            }
            for b in ids
            for k in range(per_business)
        ],
    )
    refresh_progress(db.connection(), ids)  # written around the ORM: bring progress up to date
    db.flush()


@contextmanager
def count_statements(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = get_engine(app)

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _statements(app: Any, client: Any, path: str, kept: bool = False) -> tuple[int, str]:
    """Statements of one view of `path`: with the list computed (the kept lists cleared), or
    with `kept`, read from the list kept under the advisor's dashboard version."""
    from sme_assess.advisor import render

    client.get(path)  # warm up (first-use queries of the app, if any)
    if not kept:
        render.clear_listings()
    with count_statements(app) as seen:
        resp = client.get(path)
    assert resp.status_code == 200
    return len(seen), resp.get_data(as_text=True)


def test_dashboard_statements_do_not_grow_with_businesses(
    app: Any, db: Any, make_user: Any, new_client: Any
) -> None:
    from tests.conftest import sign_in_client

    small, large = make_user("advisor"), make_user("advisor")
    bulk_shared(db, small, 5)
    bulk_shared(db, large, 500)
    c5, c500 = new_client(), new_client()
    sign_in_client(c5, small)
    sign_in_client(c500, large)
    for path in ("/advisor/", "/advisor/?sort=name", "/advisor/?province=79&level=2&q=doanh"):
        n5, _ = _statements(app, c5, path)
        n500, _ = _statements(app, c500, path)
        assert n5 == n500, (path, n5, n500)
        assert n500 <= 2, n500  # the account, and the page with its total
    # a later page of the long list costs the same as the only page of the short one
    assert _statements(app, c500, "/advisor/?sort=name&page=3")[0] == n5
    _n, page = _statements(app, c500, "/advisor/")
    assert "500 doanh nghiệp" in page
    assert "Trang 1 / 20" in page
    _n, page = _statements(app, c5, "/advisor/")
    assert "5 doanh nghiệp" in page
    # a second view of the same list: only the account's statement
    n_kept, page = _statements(app, c500, "/advisor/", kept=True)
    assert n_kept == 1, n_kept
    assert "500 doanh nghiệp" in page
