"""End-to-end fixtures: the real app under gunicorn, and headless Chromium through Playwright.

- `server`: the app in a subprocess (`gunicorn -w 1`) on a free port of 127.0.0.1 with a fresh
  SQLite database in a temporary directory (the app migrates the schema at start-up).
- `browser`: Debian's `/usr/bin/chromium` (never `playwright install`). A missing Chromium is a
  failure, not a skip: `bash scripts/dev.sh test` installs it. It sees none of the machine's
  fonts but DejaVu Sans Mono (`FONTCONFIG_FILE`): a page must be drawn with the web fonts it
  serves, and any text that is not would come out in a wide monospace face.
- `new_context`: browser contexts (base URL = the server) that fail the test on any uncaught
  JavaScript error; closed after the test.
- `api`: fast set-up through a context's own request client (it shares the context's cookies),
  for tests that need a draft or a submitted assessment but are not about filling it in.
- `shot`, `assert_no_overflow`: screenshots into `test-artifacts/e2e/` and the phone-layout check.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sme_assess.limits import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
QUESTIONNAIRE_FILE = ROOT / "questionnaires" / "dbi-2021-sme.yaml"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE_RE = re.compile(r'id="resume-code">([^<]+)<')

# The same profile as tests/conftest.py (kept here so that the e2e suite does not import the
# Flask test fixtures).
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

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}


# --------------------------------------------------------------------------------------------
# server

# the environment of the running server (its database), once `server` has started
SERVER_ENV: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real app served by gunicorn on a temporary SQLite database."""
    mo = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.mo"
    if not mo.exists():
        pytest.fail(
            f"{mo} is missing: compile the catalogs first (pybabel compile -d translations)",
            pytrace=False,
        )
    tmp = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    env = {
        **os.environ,
        "SME_DATABASE_URL": f"sqlite:///{tmp}/e2e.sqlite3",
        "SME_SECRET_KEY": "e2e-secret",
        "SME_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # one browser address runs every test against this server: no test may be throttled
        **{f"SME_{key}": "100000 per minute" for key in DEFAULT_LIMITS},
        "SME_AUTO_MIGRATE": "1",
        "SME_DEBUG": "0",
        "PYTHONUNBUFFERED": "1",
    }
    SERVER_ENV.clear()
    SERVER_ENV.update(env)  # for commands run against the same database (accounts)
    log = tmp / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "sme_assess.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"the app exited with {proc.returncode} at start-up:\n{_tail(log)}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the app did not answer /healthz within 30 s:\n{_tail(log)}", pytrace=False
                )
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - gunicorn ignores TERM
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def server_env(server: str) -> dict[str, str]:
    """The running server's environment (its database): for commands run against it."""
    return dict(SERVER_ENV)


# --------------------------------------------------------------------------------------------
# browser


ONE_FONT_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <!-- the machine's rendering rules (hinting, antialiasing), without its font folders -->
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
"""
# Chromium fails to load web fonts when it has no font at all, so it keeps one: a monospace
# face, nothing like Noto Sans (package fonts-dejavu-core, which scripts/dev.sh installs).
MONOSPACE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


@pytest.fixture(scope="session")
def no_system_fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for a Chromium that sees none of the machine's fonts but DejaVu Sans Mono
    (a fontconfig file naming a folder with that one font)."""
    if not MONOSPACE_FONT.is_file():
        pytest.fail(
            f"{MONOSPACE_FONT} not found: apt-get install fonts-dejavu-core "
            "(`bash scripts/dev.sh test` installs it)",
            pytrace=False,
        )
    folder = tmp_path_factory.mktemp("one-font")
    (folder / "fonts").mkdir()
    (folder / "fonts" / MONOSPACE_FONT.name).symlink_to(MONOSPACE_FONT)
    conf = folder / "fonts.conf"
    conf.write_text(
        ONE_FONT_CONF.format(fonts=folder / "fonts", cache=folder / "cache"), encoding="utf-8"
    )
    return {"FONTCONFIG_FILE": str(conf)}


def launch_chromium(pw: Any, env: dict[str, str] | None = None) -> Any:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} not found: the end-to-end tests need Debian's Chromium "
            "(apt-get install chromium, or run `bash scripts/dev.sh test`, which "
            "installs it). Do not use `playwright install`.",
            pytrace=False,
        )
    args = (["--no-sandbox"] if os.geteuid() == 0 else []) + CHROMIUM_ARGS
    return pw.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=args, env={**os.environ, **(env or {})}
    )


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium_launcher(playwright_driver: Any) -> Callable[[dict[str, str] | None], Any]:
    """launch(env) -> another Chromium (closed by the caller), e.g. with the machine's fonts."""
    return lambda env=None: launch_chromium(playwright_driver, env)


@pytest.fixture(scope="session")
def browser(playwright_driver: Any, no_system_fonts: dict[str, str]) -> Iterator[Any]:
    """Chromium without the machine's fonts but a monospace one (see the module docstring)."""
    b = launch_chromium(playwright_driver, no_system_fonts)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture()
def new_context(browser: Any, server: str) -> Iterator[Callable[..., Any]]:
    """Factory of browser contexts (a new device each: no cookies). An uncaught JavaScript
    error, a console error, or a stylesheet, script or image that fails to load, on any page,
    fails the test."""
    contexts: list[Any] = []
    problems: list[str] = []

    def watch(page: Any) -> None:
        page.on("pageerror", lambda exc: problems.append(f"{page.url}: uncaught {exc}"))

        def console(msg: Any) -> None:
            # Pages answered 4xx on purpose (a refused post, 404) are logged as failed loads;
            # failed subresources are caught below instead.
            if msg.type == "error" and "Failed to load resource" not in msg.text:
                problems.append(f"{page.url}: console error {msg.text}")

        def response(resp: Any) -> None:
            req = resp.request
            if (
                resp.status >= 400
                and req.resource_type != "document"
                and not req.url.endswith("/favicon.ico")
            ):
                problems.append(f"{page.url}: {req.resource_type} {req.url} answered {resp.status}")

        def failed(req: Any) -> None:
            if req.url.endswith("/save") and "ERR_ABORTED" in str(req.failure):
                # an autosave still in flight when the page's own form is submitted: the
                # navigation cancels it, and the submitted form carries the same answers
                return
            if req.resource_type != "document":
                problems.append(f"{page.url}: {req.resource_type} {req.url} failed: {req.failure}")

        page.on("console", console)
        page.on("response", response)
        page.on("requestfailed", failed)

    def make(**options: Any) -> Any:
        ctx = browser.new_context(**{"base_url": server, "locale": "vi-VN", **options})
        ctx.set_default_timeout(10_000)
        ctx.on("page", watch)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
    assert not problems, "problems in the browser:\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------
# helpers


@pytest.fixture(scope="session")
def questionnaire() -> Any:
    from sme_assess.questionnaire.loader import load_questionnaire

    return load_questionnaire(QUESTIONNAIRE_FILE)


def _shot(page: Any, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Whole pages at one pixel per CSS pixel (question pages are many screens long); the first
    # screen at the device's resolution.
    page.screenshot(path=str(path), full_page=full_page, scale="css" if full_page else "device")
    return path


@pytest.fixture()
def shot() -> Callable[..., Path]:
    """shot(page, name, full_page=True): a PNG in test-artifacts/e2e/ (whole page at CSS
    resolution, or the first screen at device resolution)."""
    return _shot


_OVERFLOW_JS = """() => {
  const w = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 0.5) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      wide.push(el.tagName.toLowerCase() + id + cls + ' right=' + Math.round(r.right));
      if (wide.length >= 8) break;
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: w, wide: wide};
}"""


def _assert_no_overflow(page: Any, width: int | None = None) -> None:
    m = page.evaluate(_OVERFLOW_JS)
    assert m["scroll"] <= m["inner"], (
        f"horizontal overflow on {page.url}: scrollWidth {m['scroll']} > innerWidth "
        f"{m['inner']}; elements past the right edge: {m['wide']}"
    )
    if width is not None:
        # A phone (is_mobile) zooms out to fit wide content, which hides the overflow from
        # the check above: the layout viewport must keep the device width.
        assert m["inner"] == width, (
            f"horizontal overflow on {page.url}: the page was zoomed out to {m['inner']} px on "
            f"a {width} px screen; elements past the right edge: {m['wide']}"
        )


@pytest.fixture()
def assert_no_overflow() -> Callable[..., None]:
    """assert_no_overflow(page, width=None): no horizontal scrolling on the page."""
    return _assert_no_overflow


class Api:
    """The journey through a browser context's request client (same cookies as its pages)."""

    def __init__(self, ctx: Any, questionnaire: Any) -> None:
        self.req = ctx.request
        self.q = questionnaire

    def csrf(self, path: str) -> str:
        resp = self.req.get(path)
        assert resp.ok, (path, resp.status)
        m = CSRF_RE.search(resp.text())
        assert m, f"no CSRF token on {path}"
        return m.group(1)

    def start(self, **overrides: str) -> tuple[str, str]:
        """A new business and draft; returns (public id, resume code)."""
        resp = self.req.post(
            "/start", form={**PROFILE, **overrides, "csrf_token": self.csrf("/start")}
        )
        assert resp.ok and "/saved" in resp.url, (resp.status, resp.url)
        pid = resp.url.split("/a/")[1].split("/")[0]
        m = CODE_RE.search(resp.text())
        assert m, "no resume code on the saved page"
        return pid, m.group(1).strip()

    def page_answers(self, n: int) -> dict[str, str]:
        """ "yes" on every gate and the highest-scoring option of every choice on page n."""
        out: dict[str, str] = {}
        for q in self.q.pillars[n - 1].questions:
            if q.type == "yes_no":
                out[q.id] = "yes"
            elif q.type == "single":
                out[q.id] = max(q.options, key=lambda o: o.points).id
        return out

    def answer(self, pid: str, n: int, answers: dict[str, str] | None = None) -> None:
        path = f"/a/{pid}/step/{n}"
        data = self.page_answers(n) if answers is None else answers
        resp = self.req.post(path, form={**data, "csrf_token": self.csrf(path)})
        assert resp.ok, (path, resp.status)

    def submit(self, pid: str) -> str:
        """Submit a complete draft; returns the results token."""
        resp = self.req.post(f"/a/{pid}/submit", form={"csrf_token": self.csrf(f"/a/{pid}/check")})
        assert resp.ok and "/r/" in resp.url, (resp.status, resp.url)
        return resp.url.split("/r/")[1].split("?")[0]

    def submitted(self, **overrides: str) -> str:
        """A whole assessment answered and submitted; returns the results token."""
        pid, _code = self.start(**overrides)
        for n in range(1, len(self.q.pillars) + 1):
            self.answer(pid, n)
        return self.submit(pid)


@pytest.fixture()
def api(questionnaire: Any) -> Callable[[Any], Api]:
    """api(context) -> Api bound to that context's cookies."""
    return lambda ctx: Api(ctx, questionnaire)


@pytest.fixture()
def phone() -> dict[str, Any]:
    """Browser-context options of a small phone: 360×740, touch, Vietnamese."""
    return {**PHONE, "viewport": dict(PHONE["viewport"])}


@pytest.fixture()
def profile() -> dict[str, str]:
    """Profile answers of a household grocery (field name → value)."""
    return dict(PROFILE)
