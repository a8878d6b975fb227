"""PDF report benchmark: render times against a like-for-like floor, and the cached download
through every gunicorn worker against a trivial Flask app.

Run: ``python bench/pdf.py [--check] [--runs N] [--database-url URL]``. It makes a business and
a submitted assessment through the survey services (answers as the demo seed makes them) in a
fresh SQLite database (or the one `--database-url` names), then measures:

- cold render: the first full report of the process (templates compiled, fonts loaded);
- warm render: the median of N further full renders (`sme_assess.reports.pdf.render_report`,
  the cache bypassed: report data, HTML and PDF);
- floor: the median of N renders of a one-page document through the report's own pipeline
  (`html_to_pdf`: the same font configuration and stylesheet, reused as the report reuses them),
  interleaved with the warm renders, so `warm_over_floor` compares like with like;
- cached download: the report is rendered into the report cache by this process (no gunicorn
  worker has rendered it), then ``GET /r/<token>/report.pdf`` is driven through sme-assess under
  gunicorn, alternating with ``GET /healthz`` of the trivial Flask app under the same
  configuration (bench/_common.py). `cached_over_trivial` is the trivial app's throughput over
  the cached report's (median of the rounds). Every worker must have served the report (at
  least 10 times, by gunicorn's access log, which also gives each worker's median server time:
  `worker_spread` is the slowest worker's over the fastest's).

Human lines first; the last line is one line of JSON. ``--check`` exits 1 unless the warm render
is at most 60× the floor and the cached download at most 3× the trivial route in every worker;
a crash exits 2.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    BenchError,
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

TARGETS = [
    Target("warm_over_floor", 60.0, at_least=False),
    Target("cached_over_trivial", 3.0, at_least=False),
]
FLOOR_HTML = (
    '<!doctype html><html lang="vi"><title>t</title><p>Xin chào, thế giới. Hello, world.</p></html>'
)


def make_app(database_url: str) -> Any:
    from sme_assess import create_app

    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_BASE_URL": "http://bench.invalid",
        }
    )


def seed(
    app: Any,
    *,
    name: str = "Công ty TNHH Cà phê Hạt Ngon (bench)",
    strength: float = 0.45,
    seed_value: int = 2021,
) -> str:
    """A business with one submitted assessment; returns its results token."""
    from sme_assess import registry
    from sme_assess.db import get_session
    from sme_assess.demo import _answers
    from sme_assess.survey import service

    with app.app_context():
        q = registry.default_questionnaire()
        db = get_session()
        b = service.create_business(
            db,
            service.ProfileData(
                name=name,
                tax_code="0100233488",
                business_type="enterprise",
                province_code="66",
                industry_section="C",
                employees_band="11-50",
                revenue_band="10-50",
                capital_band="3-20",
                email=None,
            ),
        )
        a, _code = service.start_assessment(db, b, q, ttl_days=90)
        service.save_answers(db, a, _answers(q, strength, random.Random(seed_value)), ttl_days=90)
        token = service.submit(db, a, q)
        db.commit()
        return token


def timed(fn: Callable[[], Any], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def page_count(pdf_bytes: bytes) -> int | None:
    """Pages of a PDF, by poppler's pdfinfo when installed (None otherwise)."""
    exe = shutil.which("pdfinfo")
    if exe is None:
        return None
    out = subprocess.run([exe, "-"], input=pdf_bytes, capture_output=True, check=False).stdout
    m = re.search(rb"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def renders(app: Any, token: str, runs: int) -> dict[str, Any]:
    """Cold and warm full renders and the like-for-like floor, in this process."""
    from sme_assess.db import get_session
    from sme_assess.lookups import find_by_results_token
    from sme_assess.reports import pdf

    with app.test_request_context("/"):
        db = get_session()
        a = find_by_results_token(db, token)
        if a is None:
            raise BenchError("the seeded assessment is not found")

        def full() -> bytes:
            return pdf.render_report(db, a, "vi")

        def floor() -> bytes:
            return pdf.html_to_pdf(FLOOR_HTML)

        # the first full render is the cold one (it also loads the fonts the floor then
        # reuses, as the report does); then interleaved, so both medians see the same load
        full_times = timed(full, 1)
        floor_times: list[float] = []
        for _ in range(runs):
            floor_times += timed(floor, 1)
            full_times += timed(full, 1)
        body = full()
        if not body.startswith(b"%PDF") or len(body) < 10_000:
            raise BenchError("the report is not a PDF")
        if page_count(floor()) not in (1, None):
            raise BenchError("the floor document is not one page")
    return {
        "cold_render_s": full_times[0],
        "warm_render_s": statistics.median(full_times[1:]),
        "floor_s": statistics.median(floor_times),
        "pages": page_count(body),
        "pdf_bytes": len(body),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 unless the targets are met")
    ap.add_argument("--runs", type=int, default=12, help="renders per median (≥ 10)")
    ap.add_argument("--seconds", type=float, default=2.0, help="per download load per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    ap.add_argument("--database-url", default=os.environ.get("SME_BENCH_DATABASE_URL"))
    args = ap.parse_args()
    runs = max(10, args.runs)
    workers = args.workers or default_workers()

    with database(args.database_url) as url:
        env = app_env(url)
        migrate(env)
        app = make_app(url)
        token = seed(app)
        r = renders(app, token, runs)
        # into the report cache, by this process: no worker has rendered it
        first = app.test_client().get(f"/r/{token}/report.pdf?lang=vi")
        if first.status_code != 200:
            raise BenchError(f"report download: HTTP {first.status_code}")
        path = f"/r/{token}/report.pdf?lang=vi"
        with Server(APP, env, workers) as served, Server.trivial(env, workers) as trivial:
            loads = {
                "trivial": Load(trivial, "/healthz"),
                "cached_pdf": Load(served, path, min_bytes=10_000),
            }
            served.clear_access_log()
            trivial.clear_access_log()
            rounds = interleaved(loads, args.rounds, args.seconds)
            by_worker = served.server_times(r"/r/[^/]+/report\.pdf")
            trivial_times = [t for ts in trivial.server_times("/healthz").values() for t in ts]
    if len(by_worker) < workers or min(len(ts) for ts in by_worker.values()) < 10:
        counts = sorted(len(ts) for ts in by_worker.values())
        raise BenchError(f"not every worker served the cached report: {counts} of {workers}")
    trivial_server_s = statistics.median(trivial_times)
    per_worker = sorted(statistics.median(ts) for ts in by_worker.values())

    result = {
        "benchmark": "pdf",
        "database": url.split(":", 1)[0].split("+", 1)[0],
        "cold_render_s": round(r["cold_render_s"], 4),
        "warm_render_s": round(r["warm_render_s"], 4),
        "floor_s": round(r["floor_s"], 4),
        "warm_over_floor": round(r["warm_render_s"] / r["floor_s"], 2),
        "pages": r["pages"],
        "pdf_bytes": r["pdf_bytes"],
        "workers": workers,
        "cached_server_s_by_worker": [round(statistics.median(ts), 6) for ts in by_worker.values()],
        "trivial_server_s": round(trivial_server_s, 6),
        "worker_spread": round(per_worker[-1] / per_worker[0], 2),
        "cached_rps": round(median_rate(rounds, "cached_pdf"), 1),
        "trivial_rps": round(median_rate(rounds, "trivial"), 1),
        "cached_over_trivial": round(1 / median_ratio(rounds, "cached_pdf", "trivial"), 2),
    }
    print(
        f"full report ({r['pages']} pages, {r['pdf_bytes'] // 1024} KiB): cold "
        f"{r['cold_render_s'] * 1000:.0f} ms, warm {r['warm_render_s'] * 1000:.0f} ms "
        f"(median of {runs})"
    )
    print(
        f"one-page floor through the same pipeline (fonts and stylesheet reused): "
        f"{r['floor_s'] * 1000:.1f} ms → warm / floor = {result['warm_over_floor']}"
    )
    print(
        f"cached download through {workers} workers: {result['cached_rps']} req/s; trivial app "
        f"{result['trivial_rps']} req/s → cached_over_trivial {result['cached_over_trivial']}"
    )
    print(
        "server time by worker: "
        + ", ".join(f"{t * 1e6:.0f} µs" for t in result["cached_server_s_by_worker"])
        + f" (spread {result['worker_spread']}×); trivial app /healthz "
        f"{trivial_server_s * 1e6:.0f} µs"
    )
    return report(result, TARGETS, args.check)


if __name__ == "__main__":
    run_main(main)
