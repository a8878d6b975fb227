"""The PDF report: `ReportData` → HTML (Jinja, autoescaped) → PDF (WeasyPrint), cached.

`report_pdf(db, assessment, locale)` returns the PDF bytes. A report is rendered once per
assessment, score snapshot, language, template version and catalogue version (`cache_key`) and
kept in `ReportCache`; later downloads are served from there without rendering.

Rendering never reaches outside the package: the HTML refers to files only through the private
``sme-assess:`` scheme (``sme-assess:fonts/…``, ``sme-assess:static/…``) and
`PackageURLFetcher` serves exactly those two folders; ``file:``, ``http(s):``, ``data:`` and
relative URLs are refused. User text (the business name, answers) reaches the HTML through
Jinja's autoescape only, so a name like ``<img src=file:///etc/passwd>`` is printed, not fetched.

Text is set in the vendored Noto Sans (``sme_assess/fonts``, SIL OFL 1.1) under a private family
name, so fontconfig can never substitute a system copy or another font without it showing in
``pdffonts``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import re
import threading
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import registry
from ..models import Assessment, ReportCache
from .data import BandedCriterion, ReportData
from .service import build_report

log = logging.getLogger(__name__)

#: Bump when the report's templates or stylesheet change in a way that should re-render cached
#: reports. (A fingerprint of the template, stylesheet and translation files is part of the
#: cache key as well, so a forgotten bump does not serve stale reports.)
TEMPLATE_VERSION = "1"

#: The private URL scheme of package files, and the folders it may serve.
SCHEME = "sme-assess"
SERVED_FOLDERS = ("fonts", "static")
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Relative URLs join to nothing under a non-hierarchical scheme, so they are refused too.
BASE_URL = f"{SCHEME}:"

#: The @font-face family of the vendored Noto Sans. A private name, so that only the vendored
#: files match it (fonts-noto-core installs a system "Noto Sans" that could otherwise be used).
FONT_FAMILY = "sme-assess Noto Sans"
MATH_FAMILY = "sme-assess Noto Sans Math"
#: The same families for the SVG charts' `font-family` attribute.
CHART_FONT_FAMILY = f"'{FONT_FAMILY}', '{MATH_FAMILY}'"

#: Date patterns (Babel/CLDR syntax) for the cover. Vietnamese documents write dates in full
#: ("ngày 23 tháng 11 năm 2026"), which CLDR's "long" format does not do.
DATE_PATTERNS = {"vi": "'ngày' d 'tháng' M 'năm' y"}

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


class RefusedURL(ValueError):
    """The report asked for something that is not a package font or static file."""


def package_file(url: str) -> Path:
    """The package file behind a ``sme-assess:<folder>/<path>`` URL, `folder` one of
    `SERVED_FOLDERS`. Raises `RefusedURL` for any other URL (other schemes, relative URLs,
    ``..``, symlinks leading out, missing files)."""
    if not url.startswith(BASE_URL):
        raise RefusedURL(f"only {SCHEME}: URLs are served")
    rel = url[len(BASE_URL):].lstrip("/")
    if not _SAFE_PATH.match(rel):
        raise RefusedURL("malformed package path")
    parts = PurePosixPath(rel).parts
    if len(parts) < 2 or parts[0] not in SERVED_FOLDERS or any(p in (".", "..") for p in parts):
        raise RefusedURL("not a served package folder")
    folder = (PACKAGE_DIR / parts[0]).resolve()
    path = folder.joinpath(*parts[1:]).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise RefusedURL("no such package file")
    return path


@lru_cache(maxsize=32)
def _read(path: Path) -> bytes:
    return path.read_bytes()


class PackageURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves package fonts and static files and nothing else.

    Every request goes through `fetch`; a refused URL raises, WeasyPrint then leaves the
    resource out (an image or stylesheet is skipped) and the refusal is logged by scheme only.
    """

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            path = package_file(url)
        except RefusedURL:
            log.warning("report renderer refused a %r URL", url.split(":", 1)[0][:20])
            raise
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=_read(path), headers={"Content-Type": mime})


# --- cache -------------------------------------------------------------------------------------


def cache_key(a: Assessment, locale: str, catalog_version: str) -> str:
    """sha256 over the canonical JSON of the score snapshot, the locale, `TEMPLATE_VERSION`
    and the catalogue version — plus what else the page prints and could change without the
    snapshot changing: the questionnaire id/version, the verification code, the business
    profile fields, and a fingerprint of the report templates and translation catalogues."""
    b = a.business
    payload = {
        "snapshot": a.score_snapshot or {},
        "locale": locale,
        "template": TEMPLATE_VERSION,
        "files": _files_fingerprint(),
        "catalog": catalog_version,
        "questionnaire": [a.questionnaire_id, a.questionnaire_version],
        "code": a.verification_code,
        "business": [b.name, b.business_type.value, b.province_code, b.industry_section,
                     b.size_class.value, a.submitted_at.isoformat() if a.submitted_at else None],
    }
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                     default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


@lru_cache(maxsize=1)
def _files_fingerprint() -> str:
    """Hash of the report templates, stylesheet and compiled translations (read once)."""
    h = hashlib.sha256()
    files = [
        *sorted((PACKAGE_DIR / "templates" / "reports").glob("*.html")),
        PACKAGE_DIR / "static" / "report.css",
        *sorted((PACKAGE_DIR / "translations").glob("*/LC_MESSAGES/messages.mo")),
    ]
    for f in files:
        if f.is_file():
            h.update(f.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def report_pdf(db: Session, a: Assessment, locale: str) -> bytes:
    """The PDF report of a submitted assessment in `locale` (``vi`` or ``en``): from the cache
    when there, else rendered and added to the session (flushed; the caller commits).

    Must run in a request context (the verification link is an absolute URL of this site)."""
    catalog = registry.catalog()
    key = cache_key(a, locale, catalog.version)
    cached = db.scalar(
        select(ReportCache.pdf).where(ReportCache.assessment_id == a.id,
                                      ReportCache.cache_key == key)
    )
    if cached is not None:
        return bytes(cached)
    body = render_report(db, a, locale)
    try:
        with db.begin_nested():  # another request may have stored the same report meanwhile
            db.add(ReportCache(assessment_id=a.id, cache_key=key, pdf=body))
            db.flush()
    except IntegrityError:
        log.info("report %s already cached by a concurrent request", key[:8])
    return body


# --- rendering ---------------------------------------------------------------------------------


def render_report(db: Session, a: Assessment, locale: str) -> bytes:
    """Render the report afresh (no cache): data → HTML → PDF."""
    q = registry.get_questionnaire(a.questionnaire_id)
    verify_url = (
        url_for("reports.verify", code=a.verification_code, _external=True)
        if a.verification_code else None
    )
    data = build_report(db, a, q, locale, verify_url=verify_url,
                        font_family=CHART_FONT_FAMILY, catalog=registry.catalog())
    return html_to_pdf(report_html(data))


def report_html(data: ReportData) -> str:
    """The report as HTML, in the report's locale."""
    import segno

    with force_locale(data.locale):
        qr = None
        if data.verify_url:
            qr = segno.make(data.verify_url, error="m").svg_inline(
                scale=3, dark="#111", light="#fff", title=gettext("QR code of the verification page"),
            )
        return render_template(
            "reports/report.html",
            r=data,
            qr_svg=qr,
            report_date=report_date(data.submitted_at, data.locale),
            band_groups=band_groups(data.banded_criteria),
            page_content=css_counter_text(
                gettext("Page %(page)s / %(pages)s", page="\0page\0", pages="\0pages\0")
            ),
            code_content=css_string(
                gettext("Verification code: %(code)s", code=data.verification_code)
            ) if data.verification_code else "none",
        )


_local = threading.local()


def _renderer() -> tuple[FontConfiguration, CSS]:
    """This thread's font configuration and parsed print stylesheet, made once and reused.

    Reusing them saves loading the fonts and parsing the stylesheet on every render (about a
    tenth of a warm render). Per thread because Pango font maps are not thread-safe."""
    cached = getattr(_local, "renderer", None)
    if cached is None:
        font_config = FontConfiguration()
        css = CSS(string=stylesheet(), base_url=BASE_URL, url_fetcher=PackageURLFetcher(),
                  font_config=font_config)
        cached = _local.renderer = (font_config, css)
    return cached  # type: ignore[no-any-return]


def stylesheet() -> str:
    """The report's static CSS: the vendored fonts' @font-face rules and static/report.css."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f"src: url({BASE_URL}fonts/{file}); {extra}}}"
        for family, weight, file, extra in (
            (FONT_FAMILY, "normal", "NotoSans-Regular.ttf", ""),
            (FONT_FAMILY, "bold", "NotoSans-Bold.ttf", ""),
            # ≥ ≤ → and their kin are not in Noto Sans; Noto Sans Math supplies them only
            (MATH_FAMILY, "normal", "NotoSansMath-Regular.ttf", "unicode-range: U+2190-22FF; "),
        )
    )
    fonts = f'"{FONT_FAMILY}", "{MATH_FAMILY}"'
    return (
        f"{faces}\nhtml, svg {{ font-family: {fonts}; }}\n@page {{ font-family: {fonts}; }}\n"
        + package_file(f"{BASE_URL}static/report.css").read_text(encoding="utf-8")
    )


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint with the package-only URL fetcher, the vendored fonts and report.css."""
    font_config, css = _renderer()
    doc = HTML(string=html, base_url=BASE_URL, url_fetcher=PackageURLFetcher())
    return doc.write_pdf(stylesheets=[css], font_config=font_config)  # type: ignore[no-any-return]


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF made by WeasyPrint (for the benchmark and tests)."""
    m = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)
    if m is None:
        m = re.search(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)
    return int(m.group(1)) if m else 0


def report_date(when: datetime | None, locale: str) -> str:
    """The submission date in the app's time zone, written out for `locale`."""
    if when is None:
        return ""
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    local = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(tz)
    return format_date(local.date(), DATE_PATTERNS.get(locale, "long"), locale=locale)


def band_groups(
    criteria: tuple[BandedCriterion, ...],
) -> list[tuple[list[BandedCriterion], str]]:
    """Criteria that share the same answer ranges, grouped (in order of first appearance), so
    the appendix lists each set of ranges once; the ranges as one line, "0: … · 1: … · …"
    (level: range), one text run rather than many small boxes (faster to lay out)."""
    groups: dict[tuple[str, ...], list[BandedCriterion]] = {}
    for c in criteria:
        groups.setdefault(c.options, []).append(c)
    return [
        (crits, " · ".join(f"{level}: {text}" for level, text in enumerate(options)))
        for options, crits in groups.items()
    ]


def css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def css_counter_text(text: str) -> str:
    """A translated sentence with ``\\0page\\0`` / ``\\0pages\\0`` markers as a CSS `content`
    value: string literals and ``counter(page)`` / ``counter(pages)``."""
    parts = []
    for i, piece in enumerate(text.split("\0")):
        if i % 2:
            parts.append("counter(pages)" if piece == "pages" else "counter(page)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or "none"
