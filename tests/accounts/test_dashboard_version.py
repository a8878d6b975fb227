"""The advisor dashboard's list is kept under the advisor's dashboard version
(models/dashboard.py): every change to what the list shows raises it, so the next view shows
the change. Each test views the dashboard first (the list is kept), changes one thing, and
views it again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from sme_assess.advisor import render
from sme_assess.models import User
from tests.accounts.conftest import best, worst


def _version(db: Any, user: Any) -> int:
    return int(db.scalar(select(User.dashboard_version).where(User.id == user.id)))


def _view(client: Any) -> str:
    resp = client.get("/advisor/")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_second_view_reads_the_kept_list(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    render.clear_listings()
    advisor = login_as("advisor")
    share_with(make_business("Tiệm Vải Lụa Hồng"), advisor)
    first = _view(client)
    assert "Tiệm Vải Lụa Hồng" in first
    assert len(render._LISTINGS) == 1
    assert _view(client).count("Tiệm Vải Lụa Hồng") == first.count("Tiệm Vải Lụa Hồng")
    assert len(render._LISTINGS) == 1  # the same entry, not a second one


def test_a_new_share_and_a_revocation_show_at_once(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    from sme_assess.sharing import revoke

    advisor = login_as("advisor")
    share_with(make_business("Quán Cơm Tấm Sài Gòn"), advisor)
    assert "1 doanh nghiệp" in _view(client)
    before = _version(db, advisor)
    pharmacy = make_business("Nhà Thuốc Minh Châu")
    row = share_with(pharmacy, advisor)
    assert _version(db, advisor) > before
    page = _view(client)
    assert "Nhà Thuốc Minh Châu" in page and "2 doanh nghiệp" in page
    assert revoke(db, pharmacy, row.id, by=None, ip="127.0.0.1")
    db.flush()
    page = _view(client)
    assert "Nhà Thuốc Minh Châu" not in page and "1 doanh nghiệp" in page


def test_a_renamed_or_deleted_business_shows_at_once(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business("Xưởng May Cũ")
    share_with(b, advisor)
    other = make_business("Tiệm Sửa Xe Hùng")
    share_with(other, advisor)
    assert "Xưởng May Cũ" in _view(client)
    b.name = "Xưởng May Thành Công"
    db.flush()
    page = _view(client)
    assert "Xưởng May Thành Công" in page and "Xưởng May Cũ" not in page
    db.delete(other)
    db.flush()
    page = _view(client)
    assert "Tiệm Sửa Xe Hùng" not in page and "1 doanh nghiệp" in page


def test_a_new_assessment_of_a_shared_business_shows_at_once(
    client: Any,
    db: Any,
    login_as: Any,
    make_business: Any,
    share_with: Any,
    questionnaire: Any,
) -> None:
    from sme_assess.survey import service
    from tests.accounts.conftest import page_answers

    advisor = login_as("advisor")
    b = make_business("Lò Bánh Hạnh Phúc", picks=(best,))
    share_with(b, advisor)
    page = _view(client)
    assert "Mức 5" in page and "↓" not in page
    # the owner answers again, every answer the lowest: level 0, down from 5
    a, code = service.start_assessment(db, b, questionnaire, ttl_days=90)
    answers: dict[str, Any] = {}
    for pillar in questionnaire.pillars:
        answers.update(page_answers(pillar, worst))
    service.save_answers(db, a, answers, ttl_days=90)
    service.submit(db, a, questionnaire, resume_code=code)
    db.flush()
    page = _view(client)
    assert "Mức 0" in page and "↓" in page and "giảm từ mức 5" in page


def test_another_advisors_changes_leave_this_list_kept(
    client: Any, db: Any, login_as: Any, make_user: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    share_with(make_business("Cửa Hàng Gạo An Phú"), advisor)
    _view(client)
    before = _version(db, advisor)
    someone = make_user(role="advisor")
    share_with(make_business("Công Ty Khác"), someone)
    assert _version(db, advisor) == before
    assert "Công Ty Khác" not in _view(client)


def test_the_stale_filter_moves_once_a_day() -> None:
    from sme_assess.advisor.service import STALE_DAYS, stale_cutoff, today

    noon = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert today(noon).isoformat() == "2026-11-30"
    assert STALE_DAYS == 182
    # 182 days before 30 November 2026: 153 days back to 30 June, 29 more to 1 June
    assert stale_cutoff(noon) == datetime(2026, 6, 1, tzinfo=UTC)
    assert stale_cutoff(noon + timedelta(hours=11, minutes=59)) == stale_cutoff(noon)
    assert stale_cutoff(noon + timedelta(hours=12)) == datetime(2026, 6, 2, tzinfo=UTC)
