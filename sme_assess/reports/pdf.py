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

import dataclasses
import gc
import hashlib
import json
import logging
import mimetypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import registry
from ..db import begin_write
from ..lru import BoundedCache
from ..models import Assessment, AssessmentStatus, ReportCache
from ..paths import TEMPLATES_DIR, TRANSLATIONS_DIR
from ..security import hash_token
from ..urls import external_url
from .data import BandedCriterion, ReportData
from .glyphs import printable
from .pdf_compression import install as _install_compression_level
from .pdf_pages import install as _install_page_references
from .service import build_report

_install_page_references()  # pydyf's page list built once per page count (pdf_pages.py)
_install_compression_level()  # streams at zlib level 6, not 9 (pdf_compression.py)

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
DATE_PATTERNS = {"vi": "d 'tháng' M 'năm' y"}  # as on the web pages (i18n.LONG_DATE)

#: Strengths listed per pillar (the strongest first); the rest are counted. Keeps the report of
#: a strong business as short as that of a weak one (gaps are already capped at five).
MAX_STRENGTHS = 5

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


class RefusedURL(ValueError):
    """The report asked for something that is not a package font or static file."""


def package_file(url: str) -> Path:
    """The package file behind a ``sme-assess:<folder>/<path>`` URL, `folder` one of
    `SERVED_FOLDERS`. Raises `RefusedURL` for any other URL (other schemes, relative URLs,
    ``..``, symlinks leading out, missing files)."""
    if not url.startswith(BASE_URL):
        raise RefusedURL(f"only {SCHEME}: URLs are served")
    rel = url[len(BASE_URL) :].lstrip("/")
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


# --- cache ------------------------------------------------------------------------------------
#
# A cached report is looked up with one query. The cache key (below) depends on the score
# snapshot, which only the assessment row holds; computing it needs the whole assessment loaded
# (its JSON snapshot decoded) and its business. So the key of each report served is remembered
# in process memory, by (results-token hash, locale), together with the business profile it was
# made for; a later download runs one query joining report_cache, assessment and business, and
# takes the cached PDF if the profile printed on it is still the business's current one.


def _profile(*values: Any) -> tuple[str, ...]:
    """What the report prints about the business and the assessment date, normalised."""
    out = []
    for v in values:
        if isinstance(v, datetime):
            v = (v if v.tzinfo else v.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
        out.append("" if v is None else str(getattr(v, "value", v)))
    return tuple(out)


def _profile_of(a: Assessment) -> tuple[str, ...]:
    b = a.profile  # the snapshot taken at submission
    return _profile(
        b.name, b.business_type, b.province_code, b.industry_section, b.size_class, a.submitted_at
    )


@lru_cache(maxsize=1)
def _lookup_statement() -> Any:
    """The fast path's query, in SQLAlchemy Core on the tables (not the ORM entities: a third of
    the time), built once."""
    rc, asm = ReportCache.__table__, Assessment.__table__
    return (
        select(
            rc.c.pdf,
            asm.c.verification_code,
            asm.c.profile_name,
            asm.c.profile_business_type,
            asm.c.profile_province_code,
            asm.c.profile_industry_section,
            asm.c.profile_size_class,
            asm.c.submitted_at,
        )
        .select_from(rc.join(asm, asm.c.id == rc.c.assessment_id))
        .where(
            asm.c.results_hash == bindparam("results_hash"),
            asm.c.status == AssessmentStatus.submitted.value,
            rc.c.cache_key == bindparam("key"),
        )
    )


def cache_key(
    a: Assessment, locale: str, catalog_version: str, profile: tuple[str, ...] | None = None
) -> str:
    """sha256 over the canonical JSON of the score snapshot, the locale, `TEMPLATE_VERSION`
    and the catalogue version — plus what else the report prints and could change without the
    snapshot changing: the questionnaire id/version, the verification code, the business
    profile and date (`_profile_of`), and a fingerprint of the report templates, stylesheet and
    translation catalogues."""
    payload = {
        "snapshot": a.score_snapshot or {},
        "locale": locale,
        "template": TEMPLATE_VERSION,
        "files": _files_fingerprint(),
        "catalog": catalog_version,
        "questionnaire": [a.questionnaire_id, a.questionnaire_version],
        "code": a.verification_code,
        "profile": list(profile if profile is not None else _profile_of(a)),
    }
    raw = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(raw.encode()).hexdigest()


@lru_cache(maxsize=1)
def _files_fingerprint() -> str:
    """Hash of the report templates, stylesheet and compiled translations (read once)."""
    h = hashlib.sha256()
    files = [
        *sorted((TEMPLATES_DIR / "reports").glob("report*.html")),
        *sorted((TEMPLATES_DIR / "reports").glob("_*.html")),
        PACKAGE_DIR / "static" / "report.css",
        *sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.mo")),
    ]
    for f in files:
        if f.is_file():
            h.update("/".join(f.parts[-3:]).encode())  # the same on every machine
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


# (results-token hash, locale) → (cache key, profile printed on the report)
_keys: BoundedCache[tuple[str, str], tuple[str, tuple[str, ...]]] = BoundedCache(20_000)


def _remember(results_hash: str, locale: str, key: str, profile: tuple[str, ...]) -> None:
    _keys.put((results_hash, locale), (key, profile))


def _lookup(db: Session, results_hash: str, locale: str) -> tuple[str | None, bytes] | None:
    known = _keys.get((results_hash, locale))
    if known is None:
        return None
    key, profile = known
    row = (
        db.connection()
        .execute(_lookup_statement(), {"results_hash": results_hash, "key": key})
        .first()
    )
    if row is None or _profile(*row[2:]) != profile:
        return None
    return row[1], bytes(row[0])


def cached_report(db: Session, token: str, locale: str) -> tuple[str | None, bytes] | None:
    """(verification code, PDF) of the report behind a results token, if this process has
    served it before and it is still current; else None (then use `report_pdf`). One query,
    no ORM objects: the fast path of the download view."""
    if not token or len(token) > 64:
        return None
    return _lookup(db, hash_token(token), locale)


def report_pdf(db: Session, a: Assessment, locale: str) -> bytes:
    """The PDF report of a submitted assessment in `locale` (``vi`` or ``en``): from the cache
    when there, else rendered and added to the session (flushed; the caller commits).

    Must run in a request context (the verification link is an absolute URL of this site)."""
    if a.results_hash and (hit := _lookup(db, a.results_hash, locale)) is not None:
        return hit[1]
    catalog = registry.catalog()
    profile = _profile_of(a)
    key = cache_key(a, locale, catalog.version, profile)
    cached = db.scalar(
        select(ReportCache.pdf).where(
            ReportCache.assessment_id == a.id, ReportCache.cache_key == key
        )
    )
    if cached is not None:
        body = bytes(cached)
    else:
        body = render_report(db, a, locale)
        assessment_id, results_hash = a.id, a.results_hash
        begin_write(db)  # a short write transaction for the insert (see db.begin_write)
        try:
            with db.begin_nested():  # another request may have stored the same report meanwhile
                db.add(ReportCache(assessment_id=assessment_id, cache_key=key, pdf=body))
                db.flush()
        except IntegrityError:
            log.info("report %s already cached by a concurrent request", key[:8])
        if results_hash:
            _remember(results_hash, locale, key, profile)
        return body
    if a.results_hash:
        _remember(a.results_hash, locale, key, profile)
    return body


# --- rendering ---------------------------------------------------------------------------------


def render_report(db: Session, a: Assessment, locale: str) -> bytes:
    """Render the report afresh (no cache): data → HTML → PDF."""
    q = registry.get_questionnaire(a.questionnaire_id)
    verify_url = (
        external_url("reports.verify", code=a.verification_code) if a.verification_code else None
    )
    data = build_report(
        db,
        a,
        q,
        locale,
        verify_url=verify_url,
        font_family=CHART_FONT_FAMILY,
        catalog=registry.catalog(),
    )
    # text the owner typed may hold characters our fonts lack (an emoji): never a system font
    data = dataclasses.replace(
        data, business_name=printable(data.business_name), tax_code=printable(data.tax_code)
    )
    return html_to_pdf(report_html(data))


def report_html(data: ReportData) -> str:
    """The report as HTML, in the report's locale."""
    import segno

    with force_locale(data.locale):
        qr = None
        if data.verify_url:
            qr = segno.make(data.verify_url, error="m").svg_inline(
                scale=3,
                dark="#111",
                light="#fff",
                title=gettext("QR code of the verification page"),
            )
        return render_template(
            "reports/report.html",
            r=data,
            qr_svg=qr,
            report_date=report_date(data.submitted_at, data.locale),
            band_groups=band_groups(data.banded_criteria),
            max_strengths=MAX_STRENGTHS,
            page_content=css_counter_text(
                gettext("Page %(page)s / %(pages)s", page="\0page\0", pages="\0pages\0")
            ),
            code_content=css_string(
                gettext("Verification code: %(code)s", code=data.verification_code)
            )
            if data.verification_code
            else "none",
        )


_local = threading.local()


def _renderer() -> tuple[FontConfiguration, CSS]:
    """This thread's font configuration and parsed print stylesheet, made once and reused.

    Reusing them saves loading the fonts and parsing the stylesheet on every render (about a
    tenth of a warm render). Per thread because Pango font maps are not thread-safe."""
    cached = getattr(_local, "renderer", None)
    if cached is None:
        font_config = FontConfiguration()
        css = CSS(
            string=stylesheet(),
            base_url=BASE_URL,
            url_fetcher=PackageURLFetcher(),
            font_config=font_config,
        )
        cached = _local.renderer = (font_config, css)
    return cached


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
    """WeasyPrint with the package-only URL fetcher, the vendored fonts and report.css.

    The cyclic garbage collector is paused for the render (`gc_paused`)."""
    font_config, css = _renderer()
    with gc_paused():
        doc = HTML(string=html, base_url=BASE_URL, url_fetcher=PackageURLFetcher())
        # PDF/UA-1: a tagged PDF (headings, paragraphs, lists, tables, figures with their SVG
        # <title> as alternative text) with the document language from <html lang>
        return doc.write_pdf(stylesheets=[css], font_config=font_config, pdf_variant="pdf/ua-1")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, if it was running; then collect
    the young generation, so the render pays for its own garbage (not the next request).

    A render allocates tens of thousands of container objects (boxes, pydyf dictionaries and
    arrays), which sets off dozens of young-generation collections and, now and then, a full
    one over the whole process heap (about 180,000 objects in a worker): a tenth of a warm
    render. Reference counting frees what it frees as usual during the block. The collector is
    resumed only by the block that paused it and only if it was running before, also when the
    block raises, so it is never left off. Decision 0034."""
    resume = gc.isenabled()
    if resume:
        gc.disable()
    try:
        yield
    finally:
        if resume:
            gc.enable()
            gc.collect(0)


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
