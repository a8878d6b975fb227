"""Benchmark: throughput of the largest questionnaire page (GET) and of an answer submission
(POST, with a database write), each as a ratio to the app's trivial route (/healthz) measured in
the same run, under gunicorn on 127.0.0.1 with `wrk` as the load generator.

    python bench/pages.py [--seconds 5] [--check]

Last line: JSON with `page_get_ratio`, `answer_post_ratio` (and the raw requests/s).
`--check` fails unless page_get_ratio ≥ 0.35 and answer_post_ratio ≥ 0.25.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(base: str, timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def wrk(url: str, seconds: int, cookie: str, script: str | None = None) -> float:
    cmd = ["wrk", "-t1", "-c4", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m:
        raise SystemExit(f"cannot read wrk output:\n{out}")
    return float(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers (default: gunicorn.conf.py, two per core)",
    )
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk; scripts/dev.sh test does)")

    tmp = Path(tempfile.mkdtemp(prefix="sme-bench-"))
    env = {
        **os.environ,
        "SME_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "SME_SECRET_KEY": "bench-secret-not-for-production",
        "SME_PUBLIC_BASE_URL": "http://bench.invalid",
        "SME_AUTO_MIGRATE": "0",
    }
    # migrate once, before the workers start
    subprocess.run(
        [sys.executable, "-c", "from sme_assess.cli import main; main()", "db", "upgrade"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            *(["-w", str(args.workers)] if args.workers else []),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--error-logfile",
            str(tmp / "error.log"),
            "sme_assess.wsgi:app",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_up(base)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def token(path: str) -> str:
            html = opener.open(base + path).read().decode()
            return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

        data = urllib.parse.urlencode({**PROFILE, "csrf_token": token("/start")}).encode()
        resp = opener.open(base + "/start", data=data)
        pid = resp.geturl().split("/a/")[1].split("/")[0]

        from sme_assess.questionnaire import load_questionnaire

        q = load_questionnaire(ROOT / "questionnaires" / "dbi-2021-sme.yaml")
        n, largest = max(enumerate(q.pillars, start=1), key=lambda x: len(x[1].questions))
        page = f"{base}/a/{pid}/step/{n}"
        csrf = token(f"/a/{pid}/step/{n}")

        def page_body(shift: int) -> str:
            form = {"csrf_token": csrf}
            for qq in largest.questions:
                if qq.type == "yes_no":
                    form[qq.id] = "yes" if shift == 0 else "no"
                else:
                    form[qq.id] = qq.options[(len(qq.options) // 2 + shift) % len(qq.options)].id
            return urllib.parse.urlencode(form)

        # two different answer sets, alternated: every POST changes every answer on the page,
        # so each one writes all of them (the worst case; a page saved unchanged costs less)
        bodies = [page_body(0), page_body(1)]
        body = bodies[0]
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        script = tmp / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f"local bodies = {{{json.dumps(bodies[0])}, {json.dumps(bodies[1])}}}\n"
            "local n = 0\n"
            "request = function()\n"
            "  n = n + 1\n"
            "  return wrk.format(nil, nil, nil, bodies[n % 2 + 1])\n"
            "end\n"
        )
        # check the POST really saves (302 to the next page), then warm up
        assert opener.open(urllib.request.Request(page, data=body.encode())).status == 200
        for url in (base + "/healthz", page):
            wrk(url, 1, cookie)

        trivial = wrk(base + "/healthz", args.seconds, cookie)
        get = wrk(page, args.seconds, cookie)
        post = wrk(page, args.seconds, cookie, str(script))
        trivial2 = wrk(base + "/healthz", args.seconds, cookie)
        trivial = (trivial + trivial2) / 2  # before and after, so drift cancels out
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
        if log.strip():
            print(log[-3000:], file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)

    res = {
        "trivial_rps": round(trivial, 1),
        "page_get_rps": round(get, 1),
        "answer_post_rps": round(post, 1),
        "page_get_ratio": round(get / trivial, 3),
        "answer_post_ratio": round(post / trivial, 3),
        "page_questions": len(largest.questions),
        "workers": args.workers or 2 * (os.cpu_count() or 1),
    }
    print(f"trivial route /healthz      {trivial:9.1f} req/s")
    print(
        f"largest page GET (step {n}, {len(largest.questions)} questions) {get:9.1f} req/s "
        f"= {res['page_get_ratio']:.3f}x trivial (target >= 0.35)"
    )
    print(
        f"answer POST (DB write)      {post:9.1f} req/s = {res['answer_post_ratio']:.3f}x "
        f"trivial (target >= 0.25)"
    )
    print(json.dumps(res))
    if args.check and (res["page_get_ratio"] < 0.35 or res["answer_post_ratio"] < 0.25):
        sys.exit(1)


if __name__ == "__main__":
    main()
