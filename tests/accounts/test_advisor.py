"""The advisor's workspace: dashboard, business page, comparison, plan, adoption, CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from sqlalchemy import select

from sme_assess.models import AuditLog
from tests.accounts.conftest import best, worst
from tests.conftest import csrf_token


def test_dashboard_lists_only_shared_businesses_with_level_and_trend(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    mine = make_business("Tiệm Bánh Mì Hạnh", picks=(worst, best))
    make_business("Xưởng Gỗ Không Chia Sẻ")
    share_with(mine, advisor)
    page = client.get("/advisor/").get_data(as_text=True)
    assert "Tiệm Bánh Mì Hạnh" in page
    assert "Xưởng Gỗ Không Chia Sẻ" not in page
    assert "1 doanh nghiệp" in page
    # where, what (the industry section by name, not its letter), how big, which kind
    assert (
        "Thành phố Hồ Chí Minh · G — Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có "
        "động cơ khác · Siêu nhỏ · Hộ kinh doanh</span>" in page
    )
    # level 0 a year ago, level 5 now: the arrow points up and says so to screen readers
    assert "Mức 5" in page
    assert "↑" in page
    assert "tăng từ mức 0" in page


def test_dashboard_filters_search_sort_and_pages(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    names = []
    for i in range(30):
        name = f"Doanh nghiệp {i:02d}"
        b = make_business(
            name,
            picks=(best,) if i % 2 else (worst,),
            province="01" if i < 10 else "79",
            section="C" if i % 3 == 0 else "G",
            last_days_ago=400 if i == 7 else 10,
        )
        share_with(b, advisor)
        names.append(name)
    page = client.get("/advisor/?sort=name").get_data(as_text=True)
    assert "30 doanh nghiệp" in page
    assert "Trang 1 / 2" in page
    assert "Doanh nghiệp 00" in page and "Doanh nghiệp 24" in page
    assert "Doanh nghiệp 25" not in page
    page2 = client.get("/advisor/?sort=name&page=2").get_data(as_text=True)
    assert "Doanh nghiệp 25" in page2 and "Doanh nghiệp 29" in page2
    assert "Doanh nghiệp 24" not in page2
    desc = client.get("/advisor/?sort=-name").get_data(as_text=True)
    assert desc.index("Doanh nghiệp 29") < desc.index("Doanh nghiệp 28")
    # Hà Nội (01): businesses 0-9
    hn = client.get("/advisor/?province=01").get_data(as_text=True)
    assert "10 doanh nghiệp" in hn
    # level 5 (odd numbers) in Hà Nội: 1, 3, 5, 7, 9
    lv = client.get("/advisor/?province=01&level=5").get_data(as_text=True)
    assert "5 doanh nghiệp" in lv
    # section C: 0, 3, …, 27 → 10
    assert "10 doanh nghiệp" in client.get("/advisor/?section=C").get_data(as_text=True)
    # not reassessed for 6 months: only number 7
    stale = client.get("/advisor/?stale=1").get_data(as_text=True)
    assert "1 doanh nghiệp" in stale and "Doanh nghiệp 07" in stale
    search = client.get("/advisor/?q=nghiệp 1").get_data(as_text=True)
    assert "10 doanh nghiệp" in search  # 10 … 19
    assert "0 doanh nghiệp" in client.get("/advisor/?q=không có").get_data(as_text=True)


def test_search_by_tax_code(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    share_with(
        make_business("Công ty Thử", business_type="enterprise", tax_code="0100233488"), advisor
    )
    share_with(make_business("Hộ Khác"), advisor)
    page = client.get("/advisor/?q=0100233").get_data(as_text=True)
    assert "Công ty Thử" in page and "Hộ Khác" not in page


def test_csv_is_the_advisors_own_list(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    share_with(make_business("=Công thức", picks=(worst, best)), advisor)
    make_business("Không chia sẻ")
    resp = client.get("/advisor/businesses.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["name", "tax_code", "province_code"]
    assert len(rows) == 2
    assert rows[1][0] == "'=Công thức"  # never a spreadsheet formula
    assert rows[1][6] == "5" and rows[1][8] == "0" and rows[1][9] == "2"
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "download_csv"))
    assert entry is not None and entry.actor_id == advisor.id


def test_business_page_history_with_profile_snapshot_and_audit(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business("Tiệm Cũ", picks=(worst, best))
    share_with(b, advisor)
    b.name = "Tiệm Mới Đổi Tên"  # a later edit of the profile
    db.flush()
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "<h1>Tiệm Mới Đổi Tên</h1>" in page
    assert "Tiệm Cũ · " in page  # each assessment shows the profile it was made with
    assert page.count("/report.pdf") == 2
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "view_business"))
    assert entry.business_id == b.id and entry.actor_id == advisor.id
    assert entry.ip == "127.0.0.1"


def test_compare_t0_t1_shows_pillars_chart_and_changed_criteria_with_both_answers(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any, questionnaire: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business("So Sánh", picks=(worst, best))
    share_with(b, advisor)
    page = client.get(f"/b/{b.public_id}/compare").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'class="chart compare"' in page
    assert "Mức tổng thể 0 → 5" in page
    first = questionnaire.pillars[0]
    assert first.title.get("vi") in page
    # a criterion answered with its lowest option then its highest one: both answers shown
    crit = first.components[0].criteria[0]
    q = next(qq for qq in crit.questions if qq.type == "single")
    assert crit.code in page
    low = min(q.options, key=lambda o: o.points).text.get("vi")
    high = max(q.options, key=lambda o: o.points).text.get("vi")
    assert low in page and high in page
    assert db.scalar(select(AuditLog).where(AuditLog.action == "compare")) is not None


def test_compare_needs_two_assessments_of_this_business(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    one = make_business(picks=(best,))
    two = make_business(picks=(worst, best))
    share_with(one, advisor)
    share_with(two, advisor)
    assert client.get(f"/b/{one.public_id}/compare").status_code == 404
    other = one.assessments[0].public_id
    assert client.get(f"/b/{two.public_id}/compare?from={other}").status_code == 404


def test_action_plan_is_shared_and_every_change_has_author_and_time(
    app: Any,
    client: Any,
    db: Any,
    login_as: Any,
    make_business: Any,
    share_with: Any,
    make_user: Any,
    new_client: Any,
) -> None:
    from tests.conftest import sign_in_client

    advisor = login_as("advisor", name="Tư Vấn Lan")
    owner = make_user("owner", email="chu@example.vn")
    b = make_business("Kế Hoạch")
    b.owner_id = owner.id
    share_with(b, advisor)
    token = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(
        f"/b/{b.public_id}/plan",
        data={
            "title": "Dùng hoá đơn điện tử",
            "who": "Chị Hạnh",
            "due": "2027-03-31",
            "csrf_token": token,
        },
    )
    assert resp.status_code == 302
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "Dùng hoá đơn điện tử" in page and "Chị Hạnh" in page
    assert "Tư Vấn Lan (Tư vấn viên)" in page  # the stored role, named in the page language
    # the owner sees the same plan and moves it on
    oc = new_client()
    sign_in_client(oc, owner)
    opage = oc.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "Dùng hoá đơn điện tử" in opage
    action_id = db.execute(
        __import__("sqlalchemy").text("select id from action_item where business_id = :b"),
        {"b": b.id},
    ).scalar()
    token = csrf_token(oc, f"/b/{b.public_id}")
    resp = oc.post(
        f"/b/{b.public_id}/plan/{action_id}",
        data={"status": "done", "who": "Chị Hạnh", "due": "2027-03-31", "csrf_token": token},
    )
    assert resp.status_code == 302
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "Đã xong" in page
    assert "chu@example.vn (Chủ doanh nghiệp): trạng thái: Đã xong" in page


def test_refused_action_keeps_what_was_typed(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business()
    share_with(b, advisor)
    token = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(
        f"/b/{b.public_id}/plan", data={"title": "", "who": "Anh Tư", "csrf_token": token}
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Vui lòng điền" in page and 'value="Anh Tư"' in page


def _needs(page: str) -> list[tuple[str, list[str]]]:
    """(heading, platform ids) of each need of the plan section, in page order."""
    section = page[page.index('id="adopted"') :]
    section = section[: section.index("</section>")]
    out = []
    for block in section.split('<div class="plan-need">')[1:]:
        heading = re.sub(r"<[^>]+>", "", block[block.index("<h4>") : block.index("</h4>")])
        ids = re.findall(r'name="platform" value="([^"]+)"', block)
        out.append((" ".join(heading.split()), ids))
    return out


def test_adopted_platforms_marked_by_advisor_need_by_need(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor", name="Lê Tư Vấn")
    b = make_business(picks=(worst,))
    share_with(b, advisor)
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert "Kế hoạch và nền tảng đang dùng" in page
    # the plan's phases in order, as on the owner's results page
    assert page.index("Tháng 1–3") < page.index("Tháng 4–6")
    needs = _needs(page)
    assert len(needs) >= 2, "a business at level 0 gets a plan of several needs"
    assert all(not heading.endswith("đã có") for heading, _ids in needs)
    # a need with alternatives (the test catalogue has them for some needs only)
    k = next(i for i, (_h, ids) in enumerate(needs) if len(ids) >= 2)
    first_need, platforms = needs[k]
    token = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(
        f"/b/{b.public_id}/adopted",
        data={"platform": platforms[1], "adopted": "1", "csrf_token": token},
    )
    assert resp.status_code == 302
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    after = _needs(page)
    # that need is covered ("đã có"); no other need is
    assert after[k] == (f"{first_need} đã có", platforms)
    assert sum(heading.endswith("đã có") for heading, _ids in after) == 1
    assert "do Lê Tư Vấn (Tư vấn viên) đánh dấu" in page
    assert "Các nền tảng khác đang dùng" not in page
    # a platform the plan does not propose, marked as adopted (before the business outgrew the
    # need, say), is listed apart with its catalogue name
    on_plan = {pid for _h, ids in after for pid in ids}
    from sme_assess.registry import catalog

    with client.application.app_context():
        other = next(p for p in catalog().platforms if p.id not in on_plan)
    resp = client.post(
        f"/b/{b.public_id}/adopted",
        data={"platform": other.id, "adopted": "1", "csrf_token": token},
    )
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    rest = page[page.index("Các nền tảng khác đang dùng") :]
    assert other.name in rest and f'value="{other.id}"' in rest
    # un-marking takes it away again
    client.post(
        f"/b/{b.public_id}/adopted",
        data={"platform": other.id, "adopted": "0", "csrf_token": token},
    )
    assert "Các nền tảng khác đang dùng" not in client.get(f"/b/{b.public_id}").get_data(
        as_text=True
    )
    bad = client.post(
        f"/b/{b.public_id}/adopted",
        data={"platform": "no-such-platform", "adopted": "1", "csrf_token": token},
    )
    assert bad.status_code == 400


def test_advisor_downloads_the_pdf_and_it_is_logged(
    client: Any, db: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business(picks=(best,))
    share_with(b, advisor)
    apid = b.assessments[0].public_id
    resp = client.get(f"/b/{b.public_id}/a/{apid}/report.pdf")
    assert resp.status_code == 200
    assert resp.data.startswith(b"%PDF")
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "download_report"))
    assert entry.object_id == apid and entry.business_id == b.id


def test_progress_row_follows_each_submission(
    db: Any, make_business: Any, questionnaire: Any
) -> None:
    from sme_assess.models import BusinessProgress
    from sme_assess.survey import service
    from tests.accounts.conftest import page_answers

    b = make_business(picks=(worst, best))
    p = db.get(BusinessProgress, b.id)
    db.refresh(p)
    assert (p.last_level, p.previous_level, p.assessments) == (5, 0, 2)
    # a third assessment, answered low: the level falls and the one before is 5
    a, code = service.start_assessment(db, b, questionnaire, ttl_days=90)
    answers: dict[str, Any] = {}
    for pillar in questionnaire.pillars:
        answers.update(page_answers(pillar, worst))
    service.save_answers(db, a, answers, ttl_days=90)
    service.submit(db, a, questionnaire, resume_code=code)
    db.flush()
    db.refresh(p)
    assert (p.last_level, p.previous_level, p.assessments) == (0, 5, 3)
    # a draft changes nothing
    service.start_assessment(db, b, questionnaire, ttl_days=90)
    db.flush()
    db.refresh(p)
    assert p.assessments == 3


def test_an_action_from_a_recommendation_takes_the_platforms_name(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    import re

    advisor = login_as("advisor")
    b = make_business(picks=(worst,))
    share_with(b, advisor)
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    m = re.search(r'<option value="([^"]+)">([^<(]+) \(', page)
    assert m, "recommended platforms are offered for the plan"
    pid, name = m.group(1), m.group(2)
    token = csrf_token(client, f"/b/{b.public_id}")
    resp = client.post(
        f"/b/{b.public_id}/plan", data={"platform_id": pid, "title": "", "csrf_token": token}
    )
    assert resp.status_code == 302
    page = client.get(f"/b/{b.public_id}").get_data(as_text=True)
    assert f"Bắt đầu dùng {name}" in page


def test_dashboard_and_business_page_in_english(
    client: Any, login_as: Any, make_business: Any, share_with: Any
) -> None:
    advisor = login_as("advisor")
    b = make_business("Tiệm Hoa", picks=(worst, best))
    share_with(b, advisor)
    page = client.get("/advisor/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Shared businesses" in page and "1 business" in page
    assert "Level 5" in page and "up from level 0" in page
    page = client.get(f"/b/{b.public_id}/compare").get_data(as_text=True)
    assert "Criteria whose level changed" in page
    # and back to Vietnamese: the shells of the two languages are kept apart
    page = client.get("/advisor/?lang=vi").get_data(as_text=True)
    assert "Doanh nghiệp được chia sẻ" in page and "Shared businesses" not in page
