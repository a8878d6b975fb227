"""Benchmark: the advisor's dashboard with 500 shared businesses and 10,000 assessments, as a
ratio to a trivial Flask app served by the same gunicorn configuration in the same run
(bench/_common.py, bench/trivial_app.py).

    python bench/advisor.py [--database-url URL] [--businesses 500] [--assessments 10000]
                            [--seconds 2] [--rounds 3] [--check]

The acceptance figure is measured on PostgreSQL (`--database-url`, or SME_BENCH_DATABASE_URL,
e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test); without one it runs on a fresh SQLite
file. The schema is brought up to date; an advisor account and its businesses (each with an
equal share of the assessments, a year apart, the latest within the last two years) are
written directly to the database, then removed at the end. The advisor signs in through the
real sign-in form. Loads: the dashboard's first page (newest first), a filtered and sorted
later page, and the CSV of the whole list. Last line: JSON with `advisor_dashboard_ratio`
(target ≥ 0.10), `advisor_filtered_ratio`, `advisor_csv_ratio` and the raw requests/s.
`--check` exits 1 when the target is missed; a crash exits 2.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    BenchError,
    Client,
    Load,
    Server,
    Target,
    app_env,
    database,
    default_workers,
    interleaved,
    median_rate,
    median_ratio,
    migrate,
    report,
    run_main,
)

TARGETS = [Target("advisor_dashboard_ratio", 0.10)]
PASSWORD = "bench password " + "x" * 8
PROVINCES = ("01", "79", "48", "31", "92", "56")
SECTIONS = ("G", "C", "I", "F", "A", "J")


def seed(url: str, businesses: int, assessments: int) -> tuple[str, str]:
    """An advisor with `businesses` shared businesses and `assessments` submitted assessments
    among them. Returns (advisor email, marker used for the clean-up)."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from sme_assess.auth.service import create_user
    from sme_assess.db import make_engine
    from sme_assess.models import AdvisorShare, Assessment, Business, PillarResult
    from sme_assess.models.progress import refresh_progress

    marker = "bench" + secrets.token_hex(4)
    email = f"{marker}@bench.invalid"
    engine = make_engine(url)
    now = datetime.now(UTC)
    per = max(1, assessments // businesses)
    pillars = (
        ("customer", 65),
        ("strategy", 25),
        ("infrastructure", 80),
        ("operations", 65),
        ("culture", 50),
        ("data", 35),
    )
    try:
        with Session(engine) as s:
            advisor = create_user(
                s, email=email, role="advisor", password=PASSWORD, name="Bench Advisor"
            )
            rows = [
                {
                    "public_id": f"{marker}b{i}",
                    "name": f"Doanh nghiệp thử {i:04d}",
                    "tax_code": f"{3000000000 + i:010d}",
                    "business_type": ("household", "enterprise", "cooperative")[i % 3],
                    "province_code": PROVINCES[i % len(PROVINCES)],
                    "industry_section": SECTIONS[i % len(SECTIONS)],
                    "industry_classification": "VSIC-2018",
                    "employees_band": "0-10",
                    "revenue_band": "0-3",
                    "capital_band": "0-3",
                    "size_class": ("micro", "small", "medium")[i % 3],
                }
                for i in range(businesses)
            ]
            ids = [r[0] for r in s.execute(insert(Business).returning(Business.id), rows)]
            s.execute(
                insert(AdvisorShare),
                [{"business_id": b, "advisor_id": advisor.id, "consented_at": now} for b in ids],
            )
            batch: list[dict[str, object]] = []
            for n, b in enumerate(ids):
                recent = (n * 7) % 700  # the latest assessment 0–700 days ago
                for k in range(per):
                    batch.append(
                        {
                            "public_id": f"{marker}a{b}x{k}",
                            "business_id": b,
                            "questionnaire_id": "dbi-2021-sme",
                            "questionnaire_version": "2021.1",
                            "status": "submitted",
                            "locale": "vi",
                            "submitted_at": now - timedelta(days=recent + 365 * (per - 1 - k)),
                            "overall_level": (n + k) % 6,
                            "total_points": 40 + k,
                            "max_points": 320,
                            "score_snapshot": {"pillars": [], "total": 40 + k},
                        }
                    )
                if len(batch) >= 2000:
                    s.execute(insert(Assessment), batch)
                    batch.clear()
            if batch:
                s.execute(insert(Assessment), batch)
            refresh_progress(s.connection(), ids)  # written around the ORM's flush hook
            s.execute(
                insert(PillarResult).from_select(
                    ["assessment_id", "pillar_id", "points", "max_points", "level"],
                    _pillar_rows(marker, pillars),
                )
            )
            s.commit()
    finally:
        engine.dispose()
    return email, marker


def _pillar_rows(marker: str, pillars: tuple[tuple[str, int], ...]):  # type: ignore[no-untyped-def]
    """Six pillar results per seeded assessment, as one INSERT … SELECT."""
    from sqlalchemy import literal, select, union_all

    from sme_assess.models import Assessment

    parts = [
        select(
            Assessment.id,
            literal(pid),
            literal(maximum // 3),
            literal(maximum),
            Assessment.overall_level,
        ).where(Assessment.public_id.like(marker + "a%"))
        for pid, maximum in pillars
    ]
    return union_all(*parts)


def clean(url: str, email: str, marker: str) -> None:
    from sqlalchemy import delete
    from sqlalchemy.orm import Session

    from sme_assess.db import make_engine
    from sme_assess.models import AuditLog, Business, User

    engine = make_engine(url)
    try:
        with Session(engine) as s:
            s.execute(delete(Business).where(Business.public_id.like(marker + "b%")))
            user = s.query(User).filter_by(email=email).one_or_none()
            if user is not None:
                s.execute(delete(AuditLog).where(AuditLog.actor_id == user.id))
                s.delete(user)
            s.commit()
    finally:
        engine.dispose()


def sign_in(client: Client, email: str) -> None:
    # the same User-Agent as the measured requests (bench/_common.py's Load): Flask-Login ties
    # the session to the browser it was opened in, as a real advisor's phone keeps its own
    client.opener.addheaders = [("User-Agent", "sme-assess-bench")]
    url, _html = client.post(
        "/login", {"email": email, "password": PASSWORD, "csrf_token": client.csrf("/login")}
    )
    if "/advisor" not in url:
        raise BenchError(f"signing in led to {url}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--businesses", type=int, default=500)
    ap.add_argument("--assessments", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=2.0, help="per load per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    ap.add_argument("--database-url", default=os.environ.get("SME_BENCH_DATABASE_URL"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    workers = args.workers or default_workers()

    with database(args.database_url) as url:
        env = app_env(url)
        migrate(env)
        email, marker = seed(url, args.businesses, args.assessments)
        try:
            with Server(APP, env, workers) as app, Server.trivial(env, workers) as trivial:
                advisor = Client(app.base)
                sign_in(advisor, email)
                cookie = advisor.cookie_header()
                first = "/advisor/"
                filtered = "/advisor/?province=79&sort=name&page=2"
                _u, html = advisor.get(first)
                if f"{args.businesses} doanh nghiệp" not in html:
                    raise BenchError("the dashboard does not list the seeded businesses")
                page_bytes = len(html.encode())
                loads = {
                    "trivial": Load(trivial, "/healthz"),
                    "dashboard": Load(app, first, cookie=cookie, min_bytes=10_000),
                    "filtered": Load(app, filtered, cookie=cookie, min_bytes=5_000),
                    "csv": Load(app, "/advisor/businesses.csv", cookie=cookie, min_bytes=10_000),
                }
                rounds = interleaved(loads, args.rounds, args.seconds)
        finally:
            clean(url, email, marker)
        dialect = url.split(":", 1)[0].split("+", 1)[0]

    result = {
        "benchmark": "advisor",
        "database": dialect,
        "workers": workers,
        "businesses": args.businesses,
        "assessments": args.assessments,
        "rounds": len(rounds),
        "seconds": args.seconds,
        "trivial_rps": round(median_rate(rounds, "trivial"), 1),
        "advisor_dashboard_rps": round(median_rate(rounds, "dashboard"), 1),
        "advisor_filtered_rps": round(median_rate(rounds, "filtered"), 1),
        "advisor_csv_rps": round(median_rate(rounds, "csv"), 1),
        "advisor_dashboard_ratio": round(median_ratio(rounds, "dashboard", "trivial"), 3),
        "advisor_filtered_ratio": round(median_ratio(rounds, "filtered", "trivial"), 3),
        "advisor_csv_ratio": round(median_ratio(rounds, "csv", "trivial"), 3),
        "dashboard_bytes": page_bytes,
    }
    print(
        f"database {dialect}, gunicorn {workers} workers, {len(rounds)} rounds × "
        f"{args.seconds:g} s; {args.businesses} shared businesses, {args.assessments} assessments"
    )
    print(f"trivial Flask app /healthz     {result['trivial_rps']:9.1f} req/s")
    print(
        f"dashboard, first page ({page_bytes // 1024} KB) {result['advisor_dashboard_rps']:9.1f}"
        f" req/s = {result['advisor_dashboard_ratio']:.3f}× trivial"
    )
    print(
        f"dashboard, filtered page 2     {result['advisor_filtered_rps']:9.1f} req/s = "
        f"{result['advisor_filtered_ratio']:.3f}× trivial"
    )
    print(
        f"CSV of the whole list          {result['advisor_csv_rps']:9.1f} req/s = "
        f"{result['advisor_csv_ratio']:.3f}× trivial"
    )
    return report(result, TARGETS, args.check)


if __name__ == "__main__":
    run_main(main)
