"""Benchmark: throughput of the largest question page (GET), of an answer post (POST, a
database write) and of the results page (GET), each as a ratio to a trivial Flask app served
by the same gunicorn configuration in the same run (bench/_common.py, bench/trivial_app.py).

    python bench/pages.py [--seconds 2] [--rounds 3] [--database-url URL] [--check]

The database is a fresh SQLite file unless `--database-url` (or SME_BENCH_DATABASE_URL) names
one, e.g. PostgreSQL; its schema is brought up to date first. The load comes from four
threads of this process (no wrk needed). Rounds alternate trivial, page, post and results, and
each ratio is the median of the per-round ratios. Last line: JSON with `page_get_ratio`,
`answer_post_ratio`, `results_ratio` and the raw requests/s. `--check` exits 1 unless
page_get_ratio ≥ 0.35, answer_post_ratio ≥ 0.25 and results_ratio ≥ 0.20; a crash (a server
error, an unexpected status) exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    APP,
    ROOT,
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

PROFILE = {
    "name": "Bench shop",
    "business_type": "household",
    "tax_code": "",
    "province": "79",
    "industry": "G",
    "employees": "0-10",
    "revenue": "0-3",
    "capital": "0-3",
    "email": "",
}
TARGETS = [
    Target("page_get_ratio", 0.35),
    Target("answer_post_ratio", 0.25),
    Target("results_ratio", 0.20),
]


def page_path(pid: str, page: object) -> str:
    step, part = page.step, page.part  # type: ignore[attr-defined]
    return f"/a/{pid}/step/{step}" + (f"/{part}" if part > 1 else "")


def page_form(page: object, shift: int) -> dict[str, str]:
    """An answer for every question of the page: "yes"/"no" and a middle option, moved by
    `shift`, so that two shifts differ in every answer."""
    form = {}
    for q in page.questions:  # type: ignore[attr-defined]
        if q.type == "yes_no":
            form[q.id] = "yes" if shift == 0 else "no"
        elif q.type == "single":
            form[q.id] = q.options[(len(q.options) // 2 + shift) % len(q.options)].id
        elif q.type == "multiple":
            plain = [o.id for o in q.options if not o.exclusive]
            form[q.id] = plain[shift % len(plain)]
        else:
            form[q.id] = str(q.bands[0].low)
    return form


def start(client: Client, name: str) -> str:
    url, _html = client.post(
        "/start", {**PROFILE, "name": name, "csrf_token": client.csrf("/start")}
    )
    if "/a/" not in url:
        raise BenchError(f"starting a draft led to {url}")
    return url.split("/a/")[1].split("/")[0]


def submitted(client: Client, pages: list[object]) -> str:
    """A whole assessment answered ("yes" on every gate, so every question is shown) and
    submitted; its results path."""
    pid = start(client, "Bench results")
    for page in pages:
        path = page_path(pid, page)
        client.post(path, {**page_form(page, 0), "csrf_token": client.csrf(path)})
    url, _html = client.post(f"/a/{pid}/submit", {"csrf_token": client.csrf(f"/a/{pid}/check")})
    if "/r/" not in url:
        raise BenchError(f"submitting led to {url}")
    return "/r/" + url.split("/r/")[1].split("?")[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="per load per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    ap.add_argument("--database-url", default=os.environ.get("SME_BENCH_DATABASE_URL"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    from sme_assess.questionnaire import load_questionnaire
    from sme_assess.questionnaire.pages import all_pages

    q = load_questionnaire(ROOT / "questionnaires" / "dbi-2021-sme.yaml")
    pages = list(all_pages(q))
    largest = max(pages, key=lambda p: len(p.questions))
    workers = args.workers or default_workers()

    with database(args.database_url) as url:
        env = app_env(url)
        migrate(env)
        with Server(APP, env, workers) as app, Server.trivial(env, workers) as trivial:
            owner = Client(app.base)
            pid = start(owner, "Bench shop")
            path = page_path(pid, largest)
            csrf = owner.csrf(path)
            bodies = [
                "&".join(
                    f"{k}={v}" for k, v in {**page_form(largest, s), "csrf_token": csrf}.items()
                )
                for s in (0, 1)
            ]
            results = submitted(Client(app.base), pages)
            cookie = owner.cookie_header()
            page_html = owner.get(path)[1]
            missing = [q.id for q in largest.questions if f'name="{q.id}"' not in page_html]
            if missing:
                raise BenchError(f"the page {path} lacks its questions {missing}")
            page_bytes = len(page_html.encode())
            results_bytes = len(Client(app.base).get(results)[1].encode())
            # a response much shorter than the page seen here is an error page
            loads = {
                "trivial": Load(trivial, "/healthz"),
                "page_get": Load(app, path, cookie=cookie, min_bytes=page_bytes // 2),
                # two answer sets alternated: every post changes, so writes, every answer
                "answer_post": Load(
                    app, path, "POST", cookie=cookie, bodies=bodies, ok_status=frozenset({302})
                ),
                "results": Load(app, results, min_bytes=results_bytes // 2),
                "app_healthz": Load(app, "/healthz"),
            }
            rounds = interleaved(loads, args.rounds, args.seconds)
        dialect = url.split(":", 1)[0].split("+", 1)[0]

    result = {
        "benchmark": "pages",
        "database": dialect,
        "workers": workers,
        "rounds": len(rounds),
        "seconds": args.seconds,
        "trivial_rps": round(median_rate(rounds, "trivial"), 1),
        "app_healthz_rps": round(median_rate(rounds, "app_healthz"), 1),
        "page_get_rps": round(median_rate(rounds, "page_get"), 1),
        "answer_post_rps": round(median_rate(rounds, "answer_post"), 1),
        "results_rps": round(median_rate(rounds, "results"), 1),
        "page_get_ratio": round(median_ratio(rounds, "page_get", "trivial"), 3),
        "answer_post_ratio": round(median_ratio(rounds, "answer_post", "trivial"), 3),
        "results_ratio": round(median_ratio(rounds, "results", "trivial"), 3),
        "page_questions": len(largest.questions),
        "page_bytes": page_bytes,
        "results_bytes": results_bytes,
    }
    print(
        f"database {dialect}, gunicorn {workers} workers, {len(rounds)} rounds × {args.seconds:g} s"
    )
    print(f"trivial Flask app /healthz   {result['trivial_rps']:9.1f} req/s")
    print(f"sme-assess /healthz          {result['app_healthz_rps']:9.1f} req/s (for reference)")
    print(
        f"largest page GET ({len(largest.questions)} questions, {page_bytes // 1024} KB) "
        f"{result['page_get_rps']:9.1f} req/s = {result['page_get_ratio']:.3f}× trivial"
    )
    print(
        f"answer POST (writes {len(largest.questions)} answers) "
        f"{result['answer_post_rps']:9.1f} req/s = {result['answer_post_ratio']:.3f}× trivial"
    )
    print(
        f"results page ({results_bytes // 1024} KB)  {result['results_rps']:9.1f} req/s "
        f"= {result['results_ratio']:.3f}× trivial"
    )
    return report(result, TARGETS, args.check)


if __name__ == "__main__":
    run_main(main)
