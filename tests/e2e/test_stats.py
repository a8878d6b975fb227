"""A ministry user filters the statistics by province and quarter, downloads the Excel file,
and the file opens with the same numbers as the page.

Runs its own app server (gunicorn) on a database seeded here with submitted assessments and a
ministry account, so the figures are known."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
APP = "sme_assess.wsgi:app"
EMAIL, PASSWORD = "thongke@example.vn", "mật-khẩu-đủ-dài-2026"


def _seed(url: str) -> None:
    """TP HCM (79): 2026-Q3 7 in G at level 2, 5 in C at level 3; 2026-Q2 6 in G at level 1.
    Hà Nội (01): 2026-Q3 8 in G at level 2."""
    from sme_assess import create_app
    from sme_assess.auth.service import create_user
    from sme_assess.db import get_session
    from sme_assess.models import Assessment, AssessmentStatus, Business, PillarResult
    from sme_assess.stats.summary import add_assessment

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "e2e", "TESTING": True})
    rows = (
        [("79", "G", 2, datetime(2026, 8, 5, tzinfo=UTC))] * 7
        + [("79", "C", 3, datetime(2026, 9, 1, tzinfo=UTC))] * 5
        + [("79", "G", 1, datetime(2026, 5, 1, tzinfo=UTC))] * 6
        + [("01", "G", 2, datetime(2026, 7, 20, tzinfo=UTC))] * 8
    )
    pillars = [("customer", 65), ("strategy", 25), ("infrastructure", 80)]
    pillars += [("operations", 65), ("culture", 50), ("data", 35)]
    with app.app_context():
        db = get_session()
        for i, (prov, sec, level, at) in enumerate(rows):
            b = Business(
                public_id=f"e2estats{i:08d}",
                name=f"Doanh nghiệp {i}",
                business_type="enterprise",
                province_code=prov,
                industry_section=sec,
                industry_classification="VSIC-2018",
                employees_band="0-10",
                revenue_band="0-3",
                capital_band="0-3",
                size_class="micro",
            )
            a = Assessment(
                public_id=f"e2estatsa{i:07d}",
                business=b,
                questionnaire_id="dbi-2021-sme",
                questionnaire_version="2021.1",
                status=AssessmentStatus.submitted,
                submitted_at=at,
                total_points=100,
                max_points=320,
                overall_level=level,
            )
            a.snapshot_profile()
            a.pillar_results = [
                PillarResult(pillar_id=p, points=m // 2, max_points=m, level=3) for p, m in pillars
            ]
            db.add(a)
            db.flush()
            add_assessment(db, a)
        create_user(db, email=EMAIL, role="ministry", password=PASSWORD)
        db.commit()


@pytest.fixture(scope="module")
def stats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("e2e-stats")
    url = f"sqlite:///{tmp}/stats.sqlite3"
    _seed(url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "SME_DATABASE_URL": url,
        "SME_SECRET_KEY": "e2e-stats-secret",
        "SME_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SME_DEBUG": "0",
    }
    log = (tmp / "gunicorn.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", APP],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, (tmp / "gunicorn.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the app did not start"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _cell_texts(page: Any, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{selector} tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))",
    )


def test_ministry_filters_downloads_xlsx_with_the_same_numbers(
    browser: Any, stats_server: str, shot: Any
) -> None:
    import openpyxl

    ctx = browser.new_context(base_url=stats_server, locale="vi-VN", accept_downloads=True)
    page = ctx.new_page()
    page.goto("/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto("/stats/")
    assert page.locator("svg.tiles").count() == 1  # the national view opens on the tile map
    shot(page, "stats-national")
    page.select_option("#f-province", "79")
    page.select_option("#f-period", "2026-Q3")
    page.select_option("#f-by", "section")
    page.click(".stats-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*province=79.*period=2026-Q3.*"))
    shot(page, "stats-filtered")
    # the filters are in the address: the view can be bookmarked
    assert "by=section" in page.url
    total = page.inner_text("#total-n")
    assert total == "12"
    table = _cell_texts(page, "#breakdown-table")
    page_rows = {r[0][:1]: r[1:4] for r in table[1:] if r[0][:1] in ("G", "C")}
    assert page_rows["G"][0] == "7" and page_rows["C"][0] == "5"

    with page.expect_download() as info:
        page.click("#dl-xlsx")
    data = Path(info.value.path()).read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("Ngành"))
    xl = {str(r[0])[:1]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert str(xl["G"][1]) == page_rows["G"][0] and str(xl["C"][1]) == page_rows["C"][0]
    # levels 0, 1, 2 of each section as on the page
    for key in ("G", "C"):
        assert [str(v) for v in xl[key][2:4]] == page_rows[key][1:3]
    tong = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Tổng")
    assert str(tong[1]) == total
    notes = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True)}
    assert "Quý 3/2026" in " ".join(str(v) for v in notes.values())  # the filter, in words
    ctx.close()
