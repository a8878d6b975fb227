"""What a person reads, for one middling assessment whose figures are worked out by hand:
the check page, the results table, the history of re-assessments and the PDF (gaps and plan);
editing the profile; a save extending the draft's life.

The assessment: answers giving exactly these pillar points (DBI-2021, maxima 65, 25, 80, 65,
50, 35; level 1 from exactly 10 %, then above 20, 40, 60, 80 %):

    customer        7/65  10.769… % → 10.8 %  level 1 Khởi động
    strategy       15/25  60 %                level 3 Hình thành  (criterion 2.1.1 at level 3)
    infrastructure 33/80  41.25 %   → 41.3 %  level 3 Hình thành
    operations      7/65  10.8 %              level 1 Khởi động
    culture        11/50  22 %                level 2 Bắt đầu
    data            4/35  11.428… % → 11.4 %  level 1 Khởi động
    total          77/320 24.06… %; overall: above 20 points with ≥ 4 pillars at level ≥ 1, but
                   only 3 pillars at level ≥ 2 → overall level 1 (Khởi động)
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from sqlalchemy import select

from sme_assess.models import Assessment, Business, SizeClass
from tests.conftest import csrf_token
from tests.unit.test_scoring import pillar_answers

ROOT = Path(__file__).resolve().parents[2]
HISTORY_ROW = re.compile(r'<tr( aria-current="true")?><td>[^<]*</td><td>(\d+)</td><td>(\d)</td>')
POINTS = {
    "customer": 7,
    "strategy": 15,
    "infrastructure": 33,
    "operations": 7,
    "culture": 11,
    "data": 4,
}
RESULTS_ROWS = [  # pillar heading, points, percent (Vietnamese decimal comma), level
    ("1. Trải nghiệm số cho khách hàng", "7/65", "10,8", "1/5 — Khởi động"),
    ("2. Chiến lược", "15/25", "60", "3/5 — Hình thành"),
    ("3. Hạ tầng và công nghệ số", "33/80", "41,3", "3/5 — Hình thành"),
    ("4. Vận hành", "7/65", "10,8", "1/5 — Khởi động"),
    ("5. Chuyển đổi số văn hóa doanh nghiệp", "11/50", "22", "2/5 — Bắt đầu"),
    ("6. Dữ liệu và tài sản thông tin", "4/35", "11,4", "1/5 — Khởi động"),
]


def _answers(questionnaire: Any, points: dict[str, int]) -> dict[str, dict[str, str]]:
    return {p.id: pillar_answers(p, points[p.id]) for p in questionnaire.pillars}


def _answer(client: Any, pid: str, questionnaire: Any, answers: dict[str, dict[str, str]]) -> None:
    for n, pillar in enumerate(questionnaire.pillars, start=1):
        token = csrf_token(client, f"/a/{pid}/step/{n}")
        resp = client.post(f"/a/{pid}/step/{n}", data={**answers[pillar.id], "csrf_token": token})
        assert resp.status_code == 302, (n, resp.status_code)


def _submit(client: Any, pid: str) -> str:
    token = csrf_token(client, f"/a/{pid}/check")
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302, resp.status_code
    return urlsplit(resp.location).path


@pytest.fixture()
def middling(client: Any, start_draft: Any, questionnaire: Any) -> tuple[str, dict[str, str]]:
    """A draft answered as in the module docstring: (public id, all answers)."""
    pid, _ = start_draft()
    answers = _answers(questionnaire, POINTS)
    _answer(client, pid, questionnaire, answers)
    return pid, {k: v for a in answers.values() for k, v in a.items()}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_check_page_shows_each_answer_as_given(
    client: Any, middling: tuple[str, dict[str, str]], questionnaire: Any
) -> None:
    pid, answers = middling
    html = client.get(f"/a/{pid}/check").get_data(as_text=True)
    shown = {
        qid: _text(dd)
        for qid, dd in re.findall(r'<dt id="c-([^"]+)">.*?</dt>\s*<dd>(.*?)</dd>', html, re.S)
    }
    yes_no = [qid for qid in answers if questionnaire.question(qid).type == "yes_no"]
    assert {answers[q] for q in yes_no} == {"yes", "no"}  # both kinds are on the page
    for qid in yes_no:
        expected = "Có" if answers[qid] == "yes" else "Không"
        assert shown[qid].startswith(expected + " Sửa"), (qid, shown[qid])
    for qid, value in answers.items():
        q = questionnaire.question(qid)
        if q.type == "single":
            assert shown[qid].startswith(q.option(value).text.get("vi")), (qid, shown[qid])
    # questions hidden by a "no" are not listed at all
    hidden = [q.id for q in questionnaire.iter_questions() if q.id not in answers]
    assert hidden and not set(hidden) & set(shown)


def test_results_table_shows_the_points_worked_out_by_hand(
    client: Any, middling: tuple[str, dict[str, str]]
) -> None:
    pid, _ = middling
    html = client.get(_submit(client, pid)).get_data(as_text=True)
    table = html.split('<table class="scores">', 1)[1].split("</table>", 1)[0]
    rows = [
        tuple(_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    ]
    assert rows == RESULTS_ROWS
    text = _text(html)
    assert "Mức tổng thể 1/5 — Khởi động" in text
    assert "Tổng điểm: 77/320 điểm (24,1%)." in text  # 24.0625 %


def test_history_lists_every_assessment_of_the_business(
    client: Any, db: Any, middling: tuple[str, dict[str, str]], questionnaire: Any
) -> None:
    pid, _ = middling
    first = _submit(client, pid)
    # the owner (this session) answers again: strategy at level 4 this time (+5 points)
    resp = client.post(first + "/again", data={"csrf_token": csrf_token(client, first)})
    assert resp.status_code == 302, resp.status_code
    second_pid = resp.location.split("/a/")[1].split("/")[0]
    _answer(client, second_pid, questionnaire, _answers(questionnaire, {**POINTS, "strategy": 20}))
    second = _submit(client, second_pid)
    html = client.get(second).get_data(as_text=True)
    rows = HISTORY_ROW.findall(html)
    assert rows == [("", "77", "1"), (' aria-current="true"', "82", "1")]
    # the first results page lists both too, the first one as its own
    rows = HISTORY_ROW.findall(client.get(first).get_data(as_text=True))
    assert rows == [(' aria-current="true"', "77", "1"), ("", "82", "1")]


def _pdftotext(data: bytes) -> str:
    out = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(out.split())


def test_pdf_shows_each_pillar_its_gaps_and_a_plan_with_platforms(
    client: Any, middling: tuple[str, dict[str, str]]
) -> None:
    pid, _ = middling
    results = _submit(client, pid)
    resp = client.get(results + "/report.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    text = _pdftotext(resp.data)
    for heading, points, percent, level in RESULTS_ROWS:
        p, m = points.split("/")
        assert (
            f"{heading} · {p}/{m} điểm ({percent}%) · mức {level.replace('/5 — ', ': ')}" in text
        ), heading
    # every pillar has a gaps heading, and strategy's one criterion (level 3 of 5) is a gap
    # (the stylesheet prints these headings in capitals)
    gaps = "ĐIỂM YẾU: NHỮNG GÌ KÌM HÃM TRỤ CỘT NÀY"
    assert text.count(gaps) == 6
    strategy = text.split("2. Chiến lược · 15/25", 1)[1].split("3. Hạ tầng", 1)[0]
    assert gaps in strategy and "3/5 · 2.1.1 Kế hoạch chuyển đổi số" in strategy.split(gaps)[1]
    # the plan names platforms of the catalogue
    plan = text.split("Kế hoạch 12 tháng của bạn", 1)[1]
    catalogue = yaml.safe_load((ROOT / "sme_assess" / "data" / "platforms.yaml").read_text("utf-8"))
    names = {p["name"] for p in catalogue["platforms"]}
    listed = {name for name in names if f"– {name} ·" in plan}
    assert len(listed) >= 3, plan[:1500]


def test_editing_the_profile_saves_it(client: Any, db: Any, start_draft: Any) -> None:
    pid, _ = start_draft()  # a household grocery, micro
    form = {
        "name": "Xưởng Mộc Đổi Tên",
        "business_type": "enterprise",
        "tax_code": "0314409058",
        "province": "01",
        "industry": "C",
        "employees": "51-100",
        "revenue": "10-50",
        "capital": "100+",
        "email": "xuong@example.vn",
        "csrf_token": csrf_token(client, f"/a/{pid}/profile"),
    }
    resp = client.post(f"/a/{pid}/profile?return=check", data=form)
    assert resp.status_code == 302 and resp.location.endswith(f"/a/{pid}/check")
    b = db.scalar(select(Business).join(Assessment).where(Assessment.public_id == pid))
    db.refresh(b)
    # manufacturing, 100 employees, revenue ≤ 50: small by Decree 80 (first group)
    assert (b.name, b.tax_code, b.industry_section, b.size_class) == (
        "Xưởng Mộc Đổi Tên",
        "0314409058",
        "C",
        SizeClass.small,
    )
    assert (b.employees_band, b.revenue_band, b.capital_band, b.email) == (
        "51-100",
        "10-50",
        "100+",
        "xuong@example.vn",
    )
    page = _text(client.get(f"/a/{pid}/check").get_data(as_text=True))
    assert "Xưởng Mộc Đổi Tên" in page and "0314409058" in page


def test_a_save_extends_the_draft_life(
    client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    soon = a.updated_at + timedelta(days=2)  # two days left
    a.expires_at = soon
    db.flush()
    pillar = questionnaire.pillars[0]
    token = csrf_token(client, f"/a/{pid}/step/1")
    resp = client.post(f"/a/{pid}/step/1", data={**pillar_answers(pillar, 7), "csrf_token": token})
    assert resp.status_code == 302
    db.refresh(a)
    # saved now: 90 days (SME_DRAFT_TTL_DAYS) from this save, not the 2 days left before
    left = a.expires_at - a.updated_at
    assert timedelta(days=89, hours=23) <= left <= timedelta(days=90)
    assert a.expires_at > soon + timedelta(days=80)
