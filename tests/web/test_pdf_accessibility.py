"""The PDF report is a tagged PDF/UA document: its language, headings and figures with text
alternatives are read back from the structure tree (pypdf)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from pypdf import PdfReader

from tests.conftest import csrf_token


def _report(client: Any, start_draft: Any, answer_all: Any, lang: str) -> PdfReader:
    pid, _ = start_draft()
    answer_all(pid, pick=lambda q: q.options[1].id)
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]
    resp = client.get(f"{results}/report.pdf?lang={lang}")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(resp.data))


def _structure(reader: PdfReader) -> tuple[Counter[str], list[str]]:
    """Structure types and the alternative texts of the tagged tree."""
    kinds: Counter[str] = Counter()
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "keys"):
            return  # a marked-content id
        if "/S" in node:
            kinds[str(node["/S"])] += 1
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alts


def test_report_is_tagged_with_language_headings_and_chart_texts(
    client: Any, start_draft: Any, answer_all: Any
) -> None:
    reader = _report(client, start_draft, answer_all, "vi")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "vi"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    meta = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in meta  # PDF/UA-1
    assert "Báo cáo tự đánh giá mức độ chuyển đổi số · Cửa hàng Thử Nghiệm" in meta  # its title
    kinds, alts = _structure(reader)
    assert kinds["/Document"] == 1
    assert kinds["/H1"] == 1  # the business name on the cover
    assert kinds["/H2"] >= 3 and kinds["/H3"] >= 6
    assert kinds["/P"] > 20 and kinds["/L"] >= 1 and kinds["/LI"] >= 3
    assert kinds["/Figure"] == 3  # radar, bars, QR code
    radar = next(a for a in alts if a.startswith("Biểu đồ radar điểm các trụ cột: "))
    # every pillar with its share and level, in the owner's language
    for text in (
        "Trải nghiệm số cho khách hàng",
        "Chiến lược",
        "Hạ tầng và công nghệ số",
        "Vận hành",
        "Dữ liệu",
        "(mức ",
    ):
        assert text in radar, text
    assert any(a.startswith("Điểm theo trụ cột: ") for a in alts)
    assert "Mã QR của trang xác minh" in alts


def test_english_report_is_tagged_in_english(
    client: Any, start_draft: Any, answer_all: Any
) -> None:
    reader = _report(client, start_draft, answer_all, "en")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    _kinds, alts = _structure(reader)
    assert any(a.startswith("Radar chart of the pillar scores: Digital customer") for a in alts)
    text = "".join(page.extract_text() for page in reader.pages)
    # the decision is cited with an English date, and its successors are named
    assert "Decision 1970/QĐ-BTTTT of 13 December 2021" in text
    assert "2158/QĐ-BTTTT" in text
