"""The results page's immutable part is rendered once (survey/results_cache.py): a second visit
reads the same page, another language gets its own, and the live parts (the history of the
business) still change after the first visit."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from sme_assess.survey import results_cache
from tests.conftest import csrf_token

HISTORY_ROW = re.compile(r"<tr( aria-current=\"true\")?><td>[^<]*</td><td>(\d+)</td><td>(\d)</td>")
CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def _submit(client: Any, pid: str) -> str:
    resp = client.post(
        f"/a/{pid}/submit", data={"csrf_token": csrf_token(client, f"/a/{pid}/check")}
    )
    assert resp.status_code == 302, resp.status_code
    return urlsplit(resp.location).path


def test_a_second_visit_reads_the_same_page_and_the_history_stays_live(
    client: Any, db: Any, start_draft: Any, answer_all: Any, app: Any
) -> None:
    assert not app.jinja_env.auto_reload  # else the cache is bypassed and this proves nothing
    results_cache.clear()
    pid, _code = start_draft()
    answer_all(pid)
    first = _submit(client, pid)
    page1 = client.get(first).get_data(as_text=True)
    assert len(results_cache._CACHE) == 1
    page2 = client.get(first).get_data(as_text=True)
    assert CSRF.sub("", page1) == CSRF.sub("", page2)
    assert "Tổng điểm: 320/320 điểm (100%)." in page2
    english = client.get(first + "?lang=en").get_data(as_text=True)
    assert "Total score: 320 of 320 points (100%)." in english
    assert "Tổng điểm" not in english
    assert HISTORY_ROW.findall(page2) == []  # one assessment: no progress table

    # the owner answers again; the first page, already cached, lists both assessments
    resp = client.post(first + "/again", data={"csrf_token": csrf_token(client, first)})
    assert resp.status_code == 302, resp.status_code
    second_pid = resp.location.split("/a/")[1].split("/")[0]
    answer_all(second_pid)
    _submit(client, second_pid)
    rows = HISTORY_ROW.findall(client.get(first).get_data(as_text=True))
    assert rows == [(' aria-current="true"', "320", "5"), ("", "320", "5")]


def test_only_a_visitor_without_a_session_gets_a_kept_page(
    client: Any, new_client: Any, start_draft: Any, answer_all: Any
) -> None:
    """The owner (a draft proof in the session) always gets a fresh page with their sharing
    panel and its CSRF token; a visitor from another device gets the kept page, one per query
    string, and never a form of the owner's."""
    results_cache.clear()
    pid, _code = start_draft()
    answer_all(pid)
    first = _submit(client, pid)
    owner_page = client.get(first).get_data(as_text=True)
    assert CSRF.search(owner_page)  # the owner's forms (share, answer again)
    assert len(results_cache._PAGES) == 0

    visitor = new_client()
    page = visitor.get(first).get_data(as_text=True)
    assert len(results_cache._PAGES) == 1
    assert not CSRF.search(page)
    assert "Bắt đầu đánh giá mới cho doanh nghiệp này" not in page
    assert "Đánh giá của bạn đã được gửi" not in page
    notice = visitor.get(first + "?new=1").get_data(as_text=True)
    assert "Đánh giá của bạn đã được gửi" in notice
    assert len(results_cache._PAGES) == 2
    assert visitor.get(first).get_data(as_text=True) == page
    # choosing a language writes to the session: from then on, nothing is kept for it
    english = visitor.get(first + "?lang=en").get_data(as_text=True)
    assert "Total score" in english
    assert len(results_cache._PAGES) == 2
