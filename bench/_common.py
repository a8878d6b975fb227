"""Shared parts of the HTTP benchmarks (pages, pdf, advisor, stats): gunicorn servers, the
trivial baseline app, a load driver in pure Python, figures and checks.

- `Server`: sme-assess, or the trivial app (`TRIVIAL_APP`), under gunicorn with the project's
  own gunicorn.conf.py (same worker count for both, so a ratio compares like with like), with an
  access log that records each request's worker pid and server time (`Server.server_times`).
- `Driver` / `drive`: concurrent keep-alive-free HTTP/1.1 requests from threads in this process
  (gunicorn's sync workers close every connection, as wrk saw too); any status outside the
  expected ones, or a failed connection, stops the benchmark with a message.
- `interleaved`: measures several loads round after round (trivial, page, …, trivial), so that
  each ratio is taken from neighbouring measurements on a busy machine; `median_ratio`.
- `check_targets`: prints a verdict per target and returns the exit status for `--check`.

Usage (see bench/pages.py)::

    with Server.trivial(workers=w) as trivial, Server.app(env, workers=w) as app:
        rounds = interleaved({"trivial": Load(trivial, "/healthz"), ...}, rounds=3, seconds=2)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GUNICORN_CONF = ROOT / "gunicorn.conf.py"
APP = "sme_assess.wsgi:app"
TRIVIAL_APP = "trivial_app:app"  # bench/trivial_app.py
# pid, path, status, server time in seconds (gunicorn's access-log atoms)
ACCESS_FORMAT = "%(p)s %(U)s %(s)s %(L)s"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

# Limits stay on (their cost is part of a request) but high enough for one benchmark client.
BENCH_LIMITS = {
    f"SME_RATELIMIT_{name}": "1000000 per minute"
    for name in ("RESUME", "RESULTS", "VERIFY", "START", "LOGIN")
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment of a production-like app on `database_url` (debug off, limits on)."""
    return {
        **os.environ,
        "SME_DATABASE_URL": database_url,
        "SME_SECRET_KEY": "bench-secret-not-for-production",
        "SME_PUBLIC_BASE_URL": "http://bench.invalid",
        "SME_DEBUG": "0",
        "SME_AUTO_MIGRATE": "1",
        **BENCH_LIMITS,
        **extra,
    }


def migrate(env: Mapping[str, str]) -> None:
    """Bring the database of `env` to the newest schema (before any server starts)."""
    subprocess.run(
        [sys.executable, "-c", "from sme_assess.cli import main; main()", "db", "upgrade"],
        env=dict(env),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


class Server:
    """gunicorn with the project's configuration on a free port of 127.0.0.1."""

    def __init__(
        self, app: str, env: Mapping[str, str], workers: int | None = None, name: str = "app"
    ) -> None:
        self.app = app
        self.env = dict(env)
        self.workers = workers or default_workers()
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._tmp = Path(tempfile.mkdtemp(prefix=f"sme-bench-{name}-"))
        self.access_log = self._tmp / "access.log"
        self.error_log = self._tmp / "error.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @classmethod
    def trivial(cls, env: Mapping[str, str] | None = None, workers: int | None = None) -> Server:
        """The trivial Flask app (bench/trivial_app.py) under the same configuration."""
        return cls(TRIVIAL_APP, env or app_env("sqlite://"), workers, name="trivial")

    def __enter__(self) -> Server:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(GUNICORN_CONF),
            "-w",
            str(self.workers),
            "-b",
            f"127.0.0.1:{self.port}",
            "--pythonpath",
            str(ROOT / "bench"),
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.error_log),
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_FORMAT,
            self.app,
        ]
        self._proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT)
        try:
            self._wait_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_up(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._proc is not None and self._proc.poll() is not None:
                raise BenchError(f"{self.name}: gunicorn exited at start-up\n{self.errors()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"{self.name}: gunicorn did not answer within {timeout:.0f} s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        errors = self.errors()
        shutil.rmtree(self._tmp, ignore_errors=True)
        if errors.strip():
            if exc_type is None:
                raise BenchError(f"{self.name}: errors logged by gunicorn:\n{errors[-3000:]}")
            print(f"{self.name}: errors logged by gunicorn:\n{errors[-3000:]}", file=sys.stderr)

    def errors(self) -> str:
        """Error-log lines that tell of a failure (not gunicorn's own start/stop notices)."""
        try:
            text = self.error_log.read_text(errors="replace")
        except OSError:
            return ""
        keep = [
            line
            for line in text.splitlines()
            if "Traceback" in line or "Error" in line or "[ERROR]" in line or "[CRITICAL]" in line
        ]
        return "\n".join(keep)

    def server_times(self, path_pattern: str) -> dict[int, list[float]]:
        """Server time (s) of each logged request (2xx or 3xx) whose path matches the regular
        expression `path_pattern` (the log has secrets in paths redacted), by worker pid."""
        out: dict[int, list[float]] = defaultdict(list)
        try:
            lines = self.access_log.read_text(errors="replace").splitlines()
        except OSError:
            return {}
        pattern = re.compile(path_pattern)
        for line in lines:
            parts = line.split()
            if len(parts) == 4 and pattern.fullmatch(parts[1]) and parts[2][:1] in "23":
                out[int(parts[0].strip("<>"))].append(float(parts[3]))
        return dict(out)

    def clear_access_log(self) -> None:
        with contextlib.suppress(OSError):
            self.access_log.write_text("")


def default_workers() -> int:
    """gunicorn.conf.py's default: two per core."""
    return int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))


class BenchError(RuntimeError):
    """The benchmark could not measure (a server failed, an unexpected status): a crash, never
    a missed target."""


# --- a browser-like client for set-up (cookies, CSRF) ----------------------------------------


class Client:
    """urllib with a cookie jar, for setting up what the measured requests need."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        """(final URL, body) of a GET (redirects followed)."""
        return self._open(path, None)

    def post(self, path: str, form: Mapping[str, str]) -> tuple[str, str]:
        """(final URL, body) of a form POST (redirects followed)."""
        return self._open(path, urllib.parse.urlencode(form).encode())

    def _open(self, path: str, data: bytes | None) -> tuple[str, str]:
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as r:
                return r.geturl(), r.read().decode()
        except urllib.error.HTTPError as exc:
            raise BenchError(f"{'POST' if data else 'GET'} {path}: HTTP {exc.code}") from exc

    def csrf(self, path: str) -> str:
        _url, html = self.get(path)
        m = CSRF_RE.search(html)
        if m is None:
            raise BenchError(f"no CSRF token on {path}")
        return m.group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


# --- the load driver ---------------------------------------------------------------------------


@dataclass
class Load:
    """Requests to measure: `method` `path` on `server`, cycling through `bodies` (a POST)."""

    server: Server
    path: str
    method: str = "GET"
    cookie: str = ""
    bodies: Sequence[str] = ()
    ok_status: frozenset[int] = frozenset({200})
    min_bytes: int = 1  # a response body shorter than this is an error (an empty page)
    _requests: list[bytes] = field(default_factory=list, repr=False)

    def requests(self) -> list[bytes]:
        if not self._requests:
            head = (
                f"{self.method} {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
                "User-Agent: sme-assess-bench\r\nConnection: close\r\n"
            )
            if self.cookie:
                head += f"Cookie: {self.cookie}\r\n"
            if self.method == "POST":
                for body in self.bodies or [""]:
                    raw = body.encode()
                    self._requests.append(
                        (
                            head + "Content-Type: application/x-www-form-urlencoded\r\n"
                            f"Content-Length: {len(raw)}\r\n\r\n"
                        ).encode()
                        + raw
                    )
            else:
                self._requests.append((head + "\r\n").encode())
        return self._requests


def _one(port: int, request: bytes) -> tuple[int, int]:
    """Send one request on a new connection; (status, body bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _sep, body = raw.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = 0
    return status, len(body)


def drive(load: Load, seconds: float, connections: int = 4) -> float:
    """Requests per second of `load` over `seconds`, from `connections` threads each sending
    one request at a time. Raises BenchError on any unexpected status or failed request."""
    requests = load.requests()
    deadline = time.perf_counter() + seconds
    counts = [0] * connections
    problems: list[str] = []

    def worker(i: int) -> None:
        n = 0
        try:
            while time.perf_counter() < deadline and not problems:
                status, size = _one(load.server.port, requests[(n + i) % len(requests)])
                if status not in load.ok_status or size < load.min_bytes:
                    problems.append(f"{load.method} {load.path}: status {status}, {size} bytes")
                    return
                n += 1
        except OSError as exc:
            problems.append(f"{load.method} {load.path}: {exc}")
        counts[i] = n

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if problems:
        raise BenchError(problems[0])
    return sum(counts) / elapsed


def interleaved(
    loads: Mapping[str, Load], rounds: int, seconds: float, warmup: float = 0.5
) -> list[dict[str, float]]:
    """Requests/s of every load, round after round in the given order (each load `seconds`
    per round), after a short warm-up of each."""
    for load in loads.values():
        drive(load, warmup)
    return [{name: drive(load, seconds) for name, load in loads.items()} for _ in range(rounds)]


def median_ratio(rounds: Sequence[Mapping[str, float]], name: str, base: str) -> float:
    """The median over rounds of rate[name] / rate[base]."""
    return statistics.median(r[name] / r[base] for r in rounds)


def median_rate(rounds: Sequence[Mapping[str, float]], name: str) -> float:
    return statistics.median(r[name] for r in rounds)


@dataclass(frozen=True)
class Target:
    """`key` must be ≥ (`at_least`) or ≤ the `limit`."""

    key: str
    limit: float
    at_least: bool = True

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def __str__(self) -> str:
        return f"{self.key} {'≥' if self.at_least else '≤'} {self.limit:g}"


def report(result: Mapping[str, Any], targets: Sequence[Target], check: bool) -> int:
    """Print each target's verdict and the result as the last line (JSON); the exit status for
    `--check` (1 when a target is missed)."""
    missed = []
    for t in targets:
        ok = t.met(float(result[t.key]))
        print(f"target {t}: {result[t.key]} {'met' if ok else 'NOT met'}")
        if not ok:
            missed.append(str(t))
    targets_json = [{"key": t.key, "limit": t.limit, "at_least": t.at_least} for t in targets]
    print(
        json.dumps(
            {**result, "targets": targets_json, "targets_missed": missed}, ensure_ascii=False
        )
    )
    return 1 if (check and missed) else 0


def run_main(main: Callable[[], int]) -> None:
    """Exit with `main`'s status; a BenchError (the benchmark could not measure) exits 2 with
    its message, so that CI tells a crash from a missed target."""
    try:
        status = main()
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        sys.exit(2)
    sys.exit(status)


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """The database URL to benchmark on: `url` (e.g. PostgreSQL), or a fresh SQLite file in a
    temporary folder."""
    if url:
        yield url
        return
    tmp = tempfile.mkdtemp(prefix="sme-bench-db-")
    try:
        yield f"sqlite:///{tmp}/bench.sqlite3"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
