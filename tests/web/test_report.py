"""The PDF report and the public verification page, through the web.

PDFs are read back with poppler (`pdftotext`, `pdffonts`), as a person or a printer would see
them: the texts must come out exactly, with their Vietnamese diacritics.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from sme_assess.models import Assessment, Business, ReportCache
from sme_assess.reports import pdf
from tests.conftest import csrf_token

HOSTILE = "<script>alert(1)</script> <img src=file:///etc/passwd>"
VENDORED_FONTS = {"sme-assess-Noto-Sans", "sme-assess-Noto-Sans-Bold", "sme-assess-Noto-Sans-Math"}


def middle(q: Any) -> str:
    """A middling answer: some criteria become gaps, some strengths, and a plan is made."""
    return q.options[len(q.options) // 2].id


def pdftotext(data: bytes) -> str:
    out = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(out.split())  # lines break wherever the layout wraps them


def pdffonts(data: bytes) -> list[tuple[str, str]]:
    """(font name without the subset prefix, embedded yes/no) of every font in the PDF."""
    out = subprocess.run(
        ["/usr/bin/pdffonts", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        name = cols[0].split("+", 1)[-1]
        emb = cols[-5]  # … emb sub uni object ID
        rows.append((name, emb))
    return rows


@pytest.fixture()
def submitted(client: Any, start_draft: Any, answer_all: Any) -> Callable[..., str]:
    """Submit a whole assessment; returns the results path (/r/<token>)."""

    def submit(pick: Callable[[Any], Any] | None = middle, **profile: Any) -> str:
        pid, _ = start_draft(**profile)
        answer_all(pid, pick)
        token = csrf_token(client, f"/a/{pid}/check")
        resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
        assert resp.status_code == 302
        return urlsplit(resp.location).path

    return submit


def _assessment(db: Any, results_path: str) -> Assessment:
    from sme_assess.security import hash_token

    token = results_path.rsplit("/", 1)[-1]
    a = db.scalar(select(Assessment).where(Assessment.results_hash == hash_token(token)))
    assert a is not None
    return a


def _download(client: Any, results_path: str, lang: str | None = None) -> bytes:
    resp = client.get(f"{results_path}/report.pdf" + (f"?lang={lang}" if lang else ""))
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-")
    return resp.data


def test_vietnamese_report_text_and_fonts(
    client: Any, db: Any, submitted: Any, questionnaire: Any
) -> None:
    name = "Hợp tác xã Nông sản Đắk Lắk Xanh"
    results = submitted(name=name, business_type="cooperative", tax_code="0100109106")
    data = _download(client, results)  # Vietnamese by default
    text = pdftotext(data)
    a = _assessment(db, results)

    assert name in text
    for p in questionnaire.pillars:  # data strings, exactly, diacritics included
        assert f"{p.code}. {p.title.get('vi')}" in text
    assert "Chuyển đổi số" in text and "Hạ tầng và công nghệ số" in text
    assert questionnaire.level(a.overall_level).name.get("vi") in text
    # the cover's date, written as on the web pages (no second "ngày" after the label)
    assert re.search(r"Ngày đánh giá \d{1,2} tháng \d{1,2} năm \d{4}", text)
    assert questionnaire.source_reference in text
    assert a.verification_code in text
    # the configured public base (tests/conftest.py), never the request's host
    assert f"https://sme.test/verify/{a.verification_code}" in text

    fonts = pdffonts(data)
    assert fonts, "no fonts in the PDF"
    assert {n for n, _ in fonts} <= VENDORED_FONTS, fonts  # nothing fell back to a system font
    assert all(emb == "yes" for _, emb in fonts), fonts

    # the running footer, "Page N / M" through the Vietnamese catalogue
    assert re.search(r"Trang 1 / \d+", text)


def test_english_on_request_same_data(
    client: Any, db: Any, submitted: Any, questionnaire: Any
) -> None:
    results = submitted()
    text = pdftotext(_download(client, results, "en"))
    a = _assessment(db, results)
    for p in questionnaire.pillars:
        assert f"{p.code}. {p.title.get('en')}" in text
    assert questionnaire.pillars[0].title.get("vi") not in text
    assert questionnaire.level(a.overall_level).name.get("en") in text
    assert "Page 1 / " in text
    assert f"Verification code: {a.verification_code}" in text
    assert "Cửa hàng Thử Nghiệm" in text  # the business name stays as written


def test_hostile_business_name_is_printed_and_fetches_nothing(
    client: Any, db: Any, submitted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = pdf.package_file

    def recording(url: str) -> Any:
        asked.append(url)
        return real(url)

    monkeypatch.setattr(pdf, "package_file", recording)
    # a fresh renderer, so that this render loads its fonts and stylesheet through the fetcher
    monkeypatch.setattr(pdf, "_local", threading.local())
    results = submitted(name=HOSTILE)
    text = pdftotext(_download(client, results))
    assert HOSTILE in text  # printed as text (autoescaped), on the cover and in the header
    assert asked, "the fonts were not loaded through the package fetcher"
    assert all(re.fullmatch(r"sme-assess:(fonts|static)/[\w.-]+", u) for u in asked), asked


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/font.ttf",
        "data:text/plain,hello",
        "ftp://example.com/x",
        "/etc/passwd",
        "etc/passwd",
        "sme-assess:fonts/../../../../etc/passwd",
        "sme-assess:fonts/%2e%2e/%2e%2e/config.py",
        "sme-assess:templates/base.html",
        "sme-assess:config.py",
        "sme-assess:fonts/missing.ttf",
        "sme-assess:static",
    ],
)
def test_fetcher_serves_package_files_only(url: str) -> None:
    with pytest.raises(pdf.RefusedURL):
        pdf.PackageURLFetcher().fetch(url)


def test_fetcher_serves_the_vendored_fonts_and_stylesheet() -> None:
    font = pdf.PackageURLFetcher().fetch("sme-assess:fonts/NotoSans-Regular.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    css = pdf.PackageURLFetcher().fetch("sme-assess:static/report.css")
    assert css.content_type == "text/css"


def test_second_download_comes_from_the_cache(
    client: Any, db: Any, submitted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []
    real = pdf.render_report

    def counting(db_: Any, a: Any, locale: str) -> bytes:
        renders.append(locale)
        return real(db_, a, locale)

    monkeypatch.setattr(pdf, "render_report", counting)
    results = submitted()
    a = _assessment(db, results)
    first = _download(client, results, "vi")
    assert renders == ["vi"]
    assert _download(client, results, "vi") == first  # this process remembers the key
    monkeypatch.setattr(
        pdf, "_keys", type(pdf._keys)(pdf._keys.max_entries)
    )  # another process: the database
    assert _download(client, results, "vi") == first
    assert renders == ["vi"]
    rows = db.scalar(
        select(func.count()).select_from(ReportCache).where(ReportCache.assessment_id == a.id)
    )
    assert rows == 1

    _download(client, results, "en")  # another language, another report
    assert renders == ["vi", "en"]

    # the report prints the profile the assessment was made with: a later change to the
    # business (a new assessment's profile step) changes neither the report nor the cache
    b = db.get(Business, a.business_id)
    b.name = "Cửa hàng Đổi Tên"
    db.flush()
    text = pdftotext(_download(client, results, "vi"))
    assert "Cửa hàng Thử Nghiệm" in text
    assert "Cửa hàng Đổi Tên" not in text
    assert renders == ["vi", "en"]


def test_unknown_results_token_has_no_report(client: Any) -> None:
    assert client.get("/r/not-a-token/report.pdf").status_code == 404


def test_verification_page_for_a_real_code(
    client: Any, new_client: Any, db: Any, submitted: Any, questionnaire: Any
) -> None:
    results = submitted(
        name="Công ty TNHH Kiểm Chứng",
        business_type="enterprise",
        tax_code="0100233488",
        email="chu.doanh.nghiep@example.com",
    )
    a = _assessment(db, results)
    page = new_client().get(f"/verify/{a.verification_code}?lang=vi").get_data(as_text=True)
    assert "Công ty TNHH Kiểm Chứng" in page
    assert a.submitted_at is not None and str(a.submitted_at.year) in page
    assert questionnaire.level(a.overall_level).name.get("vi") in page
    for pr in a.pillar_results:
        assert questionnaire.level(pr.level).name.get("vi") in page
        assert questionnaire.pillar(pr.pillar_id).title.get("vi") in page
    # codes are accepted as people type them
    loose = a.verification_code.lower().replace("-", " ")
    assert new_client().get("/verify", query_string={"code": loose}).status_code == 200

    # nothing beyond name, date and levels: no answers, points, tax code or e-mail
    assert "0100233488" not in page
    assert "chu.doanh.nghiep@example.com" not in page
    assert f"{a.total_points}/{a.max_points}" not in page
    assert not re.search(r"\bđiểm\b|\bpoints?\b", page, re.I)
    pillar = questionnaire.pillars[0]
    asked = next(q for q in pillar.questions if q.type == "single")
    chosen = next(o for o in asked.options if o.id == middle(asked))
    assert asked.text.get("vi") not in page
    assert chosen.text.get("vi") not in page


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC", "0000-0000-0000", "x", "' OR 1=1 --"])
def test_verification_page_reveals_nothing_for_a_wrong_code(
    client: Any, new_client: Any, submitted: Any, code: str
) -> None:
    submitted(name="Công ty TNHH Bí Mật")
    for resp in (
        new_client().get(f"/verify/{quote(code)}"),
        new_client().get("/verify", query_string={"code": code}),
    ):
        assert resp.status_code == 404
        assert "Bí Mật" not in resp.get_data(as_text=True)


def test_report_of_a_perfect_score(client: Any, submitted: Any, questionnaire: Any) -> None:
    results = submitted(pick=None)  # the best answer everywhere: no gaps, no plan
    text = pdftotext(_download(client, results, "en"))
    assert questionnaire.level(5).name.get("en") in text
    assert "Nothing holds this pillar back" in text
    assert "no platform from the catalogue would close a gap" in text
    assert "more criteria at level 4 or 5" in text  # strengths are capped per pillar


def test_page_footer_texts_are_safe_css() -> None:
    assert pdf.css_string('a"b\\c</style>') == '"a\\22 b\\5C c\\3C /style\\3E "'
    sentence = "Trang \0page\0 / \0pages\0"
    assert pdf.css_counter_text(sentence) == '"Trang " counter(page) " / " counter(pages)'


def test_page_references_kept_per_page_count_give_the_same_pdf(
    app: Any, client: Any, db: Any, submitted: Any
) -> None:
    """reports/pdf_pages.py keeps pydyf's page-reference tuple per page count: the report's
    bytes are the same as with pydyf's own property, and a page added is seen at once."""
    import pydyf

    from sme_assess.reports import pdf_pages
    from sme_assess.reports.pdf import render_report

    assert pydyf.PDF.page_references.fget is pdf_pages._page_references  # installed
    a = _assessment(db, submitted())
    with app.test_request_context("/"):
        kept = render_report(db, a, "vi")
        pdf_pages.uninstall()
        try:
            own = render_report(db, a, "vi")
        finally:
            pdf_pages.install()
    assert kept == own
    doc = pydyf.PDF()
    first = pydyf.Dictionary({"Type": "/Page"})
    doc.add_page(first)
    assert doc.page_references == (f"{first.number} 0 R".encode(),)
    second = pydyf.Dictionary({"Type": "/Page"})
    doc.add_page(second)
    assert doc.page_references == (f"{first.number} 0 R".encode(), f"{second.number} 0 R".encode())


def _streams(pdf_bytes: bytes) -> list[bytes]:
    """Every stream of a PDF but the cross-reference stream (it holds byte offsets, which change
    with the compressed lengths), decompressed when it is a FlateDecode stream, sorted."""
    import zlib

    out = []
    for m in re.finditer(rb"<<(.*?)>>\nstream\n", pdf_bytes, re.S):
        head = m.group(1)
        length = int(re.findall(rb"/Length (\d+)", head)[-1])
        raw = pdf_bytes[m.end() : m.end() + length]
        if b"/Type /XRef" in head:
            continue
        out.append(zlib.decompress(raw) if b"/FlateDecode" in head else raw)
    return sorted(out)


def test_streams_at_zlib_level_6_hold_the_same_pdf(
    app: Any, client: Any, db: Any, submitted: Any
) -> None:
    """reports/pdf_compression.py makes pydyf compress at level 6 instead of 9: every stream of
    the report decompresses to the same bytes as with pydyf's own level 9."""
    import zlib

    import pydyf

    from sme_assess.reports import pdf_compression
    from sme_assess.reports.pdf import render_report

    assert pdf_compression.installed() and pydyf.zlib is not zlib
    data = b"Chuy\xe1\xbb\x83n \xc4\x91\xe1\xbb\x95i s\xe1\xbb\x91 " * 400
    ours = pydyf.zlib.compressobj(level=9)
    six = zlib.compressobj(6)
    assert ours.compress(data) + ours.flush() == six.compress(data) + six.flush()
    assert pydyf.zlib.decompress is zlib.decompress  # the rest is zlib's own
    a = _assessment(db, submitted())
    with app.test_request_context("/"):
        level6 = render_report(db, a, "vi")
        pdf_compression.uninstall()
        try:
            assert pydyf.zlib is zlib and not pdf_compression.installed()
            level9 = render_report(db, a, "vi")
        finally:
            pdf_compression.install()
    assert pdf_compression.installed()
    assert level6 != level9  # compressed differently
    streams = _streams(level6)
    assert len(streams) >= 10  # pages, fonts, tags
    assert streams == _streams(level9)


def test_the_garbage_collector_is_paused_for_a_render_and_resumed(monkeypatch: Any) -> None:
    import gc

    assert gc.isenabled()
    with pdf.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), pdf.gc_paused():
        raise RuntimeError("a render that fails")
    assert gc.isenabled()  # resumed after a failure too
    gc.disable()
    try:
        with pdf.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: left off, as found
    finally:
        gc.enable()
    seen: list[bool] = []
    real = pdf.HTML

    class Spy(real):  # type: ignore[misc, valid-type]
        def write_pdf(self, *args: Any, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            return super().write_pdf(*args, **kwargs)

    monkeypatch.setattr(pdf, "HTML", Spy)
    body = pdf.html_to_pdf("<!doctype html><html lang=vi><title>t</title><p>Chào</p></html>")
    assert body.startswith(b"%PDF") and seen == [False] and gc.isenabled()
    # the collector resumed, then the render's young objects collected, before it returns
    calls: list[str] = []

    class Recorder:
        isenabled = staticmethod(gc.isenabled)

        @staticmethod
        def disable() -> None:
            calls.append("disable")
            gc.disable()

        @staticmethod
        def enable() -> None:
            calls.append("enable")
            gc.enable()

        @staticmethod
        def collect(generation: int = 2) -> int:
            calls.append(f"collect {generation}")
            return gc.collect(generation)

    monkeypatch.setattr(pdf, "gc", Recorder)
    pdf.html_to_pdf("<!doctype html><html lang=vi><title>t</title><p>Chào</p></html>")
    assert calls == ["disable", "enable", "collect 0"]
