"""Peer benchmark for owners: quartiles of the same section and size (and province), the group
size, nothing below the threshold; on the results page and in the PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sme_assess.stats.peer import nearest_rank


@pytest.mark.parametrize(
    ("hist", "p", "expected"),
    [
        (((10, 1),), 0.5, 10),
        # 1 2 3 4: ⌈0.25·4⌉ = 1st → 1; ⌈0.5·4⌉ = 2nd → 2; ⌈0.75·4⌉ = 3rd → 3
        (((1, 1), (2, 1), (3, 1), (4, 1)), 0.25, 1),
        (((1, 1), (2, 1), (3, 1), (4, 1)), 0.5, 2),
        (((1, 1), (2, 1), (3, 1), (4, 1)), 0.75, 3),
        # 0 0 0 5 9: median = 3rd = 0; upper quartile = ⌈3.75⌉ = 4th = 5
        (((0, 3), (5, 1), (9, 1)), 0.5, 0),
        (((0, 3), (5, 1), (9, 1)), 0.75, 5),
    ],
)
def test_nearest_rank(hist: tuple[tuple[int, int], ...], p: float, expected: int) -> None:
    assert nearest_rank(hist, p) == expected


def _submit_through_web(client: Any, start_draft: Any, answer_all: Any) -> str:
    pid, _code = start_draft(province="79", industry="G")  # a micro household
    answer_all(pid)
    page = client.get(f"/a/{pid}/check").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]


def test_no_benchmark_below_the_threshold(
    client: Any, start_draft: Any, answer_all: Any, submitted: Any
) -> None:
    for i in range(1, 19):  # 18 peers + the business itself = 19 < 20
        submitted(province="79", section="G", size="micro", points=(i, 10, 30, 20, 15, 10))
    results = _submit_through_web(client, start_draft, answer_all)
    page = client.get(results + "?lang=en").get_data(as_text=True)
    assert "How you compare" not in page and 'id="peers"' not in page


def test_quartiles_of_the_group_on_the_page_and_in_the_pdf(
    client: Any, start_draft: Any, answer_all: Any, submitted: Any
) -> None:
    # customer pillar (max 65): the 19 peers score 1 … 19 points, the business 65 (all best)
    for i in range(1, 20):
        submitted(province="79", section="G", size="micro", points=(i, 10, 30, 20, 15, 10))
    submitted(province="79", section="C", size="micro", points=(65, 25, 80, 65, 50, 35))
    results = _submit_through_web(client, start_draft, answer_all)
    page = client.get(results + "?lang=en").get_data(as_text=True)
    assert 'id="peers"' in page
    assert "Compared with 20 submitted assessments" in page
    assert "Ho Chi Minh City" in page.split('id="peers"')[1].split("</p>")[0]
    row = re.search(
        r"<th scope=\"row\">Digital customer experience</th>(.*?)</tr>", page.split('id="peers"')[1]
    )
    cells = re.findall(r"<td>([^<]+)</td>", row.group(1))
    # you 65/65; Q1 = 5th of 20 = 5 points (7.7 %); median = 10th = 10 (15.4 %);
    # Q3 = 15th = 15 (23.1 %)
    assert cells == ["100 %", "7.7 %", "15.4 %", "23.1 %"]

    import subprocess

    pdf = client.get(results + "/report.pdf?lang=en").get_data()
    out = Path(__file__).resolve().parents[2] / "test-artifacts" / "stats"
    out.mkdir(parents=True, exist_ok=True)
    (out / "peer-report.pdf").write_bytes(pdf)  # for a person to look at
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "How you compare" in text
    assert "Compared with 20 submitted assessments" in text


def _generation(db: Any) -> int:
    from sqlalchemy import text

    return int(db.execute(text("SELECT n FROM stats_generation WHERE id = 1")).scalar_one())


def test_a_kept_results_page_shows_the_benchmark_once_the_group_is_large_enough(
    client: Any, new_client: Any, db: Any, start_draft: Any, answer_all: Any, submitted: Any
) -> None:
    """The whole page is kept for a visitor without a session, under the statistics
    generation: one more peer submission moves the generation, and the next visit shows the
    benchmark that the kept page did not have."""
    from sme_assess.survey import results_cache

    results_cache.clear()
    for i in range(1, 19):  # 18 peers + the business itself = 19 < 20
        submitted(province="79", section="G", size="micro", points=(i, 10, 30, 20, 15, 10))
    results = _submit_through_web(client, start_draft, answer_all)
    visitor = new_client()  # another device: no cookies, no session
    before = visitor.get(results).get_data(as_text=True)
    assert 'id="peers"' not in before
    assert len(results_cache._PAGES) == 1
    assert visitor.get(results).get_data(as_text=True) == before  # the kept page

    generation = _generation(db)
    submitted(province="79", section="G", size="micro", points=(19, 10, 30, 20, 15, 10))
    assert _generation(db) == generation + 1
    after = visitor.get(results).get_data(as_text=True)
    assert 'id="peers"' in after
    assert "So với 20 bài đánh giá đã nộp" in after


def test_every_change_to_the_summaries_moves_the_generation(db: Any, submitted: Any) -> None:
    from sme_assess.stats.summary import rebuild, remove_assessment

    start = _generation(db)
    a = submitted()
    assert _generation(db) == start + 1
    remove_assessment(db, a)
    assert _generation(db) == start + 2
    rebuild(db)
    assert _generation(db) == start + 3
