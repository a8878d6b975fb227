"""The ministry dashboard, its downloads and the API: access, province scope, hand-computed
figures, suppression in every output, audit log."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from sme_assess.models import AuditLog

PILLARS = ("customer", "strategy", "infrastructure", "operations", "culture", "data")


def _population(submitted: Any) -> None:
    """79: 12 businesses (G 10: level 2 ×6, level 3 ×4; H 2: level 1);
    01: 3 (G, level 0); 48: 7 (C, level 2)."""
    for _ in range(6):
        submitted(province="79", section="G", level=2)
    for _ in range(4):
        submitted(province="79", section="G", level=3, points=(40, 15, 50, 40, 30, 20))
    for _ in range(2):
        submitted(province="79", section="H", level=1, points=(10, 5, 10, 10, 8, 5))
    for _ in range(3):
        submitted(province="01", section="G", level=0, points=(0, 0, 0, 0, 0, 0))
    for _ in range(7):
        submitted(province="48", section="C", level=2)


def _cells(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, table_id
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def _row(table: list[list[str]], name: str) -> list[str]:
    for r in table:
        if r and r[0] == name:
            return r
    raise AssertionError(f"no row {name!r} in {table}")


@pytest.mark.parametrize("role", ["owner", "advisor"])
def test_other_roles_get_not_found(client: Any, login_as: Any, role: str) -> None:
    login_as(role)
    for url in ("/stats/", "/stats/download.csv", "/stats/download.xlsx", "/stats/microdata.csv"):
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Any) -> None:
    resp = client.get("/stats/")
    assert resp.status_code == 302 and "/login" in resp.location


def test_dashboard_figures_and_suppression(client: Any, login_as: Any, submitted: Any) -> None:
    _population(submitted)
    login_as("ministry")
    html = client.get("/stats/?by=province&lang=en").get_data(as_text=True)
    assert re.search(r'id="total-n">22<', html)
    # levels 0 / 1 / 2 / 3 = 3 / 2 / 13 / 4: the 4 at level 3 is hidden with the 3 and 2 below
    # level 2, so the share at level ≥ 2 (17 of 22) would give it away: not shown either
    assert 'id="total-share">x<' in html
    table = _cells(html, "breakdown-table")
    # Ho Chi Minh City: 12; levels 0 / 1 / 2 / 3 = 0 / 2 / 6 / 4. 2 and 4 are under 5; the
    # level-0 column (Hanoi's 3 and this 0) cannot be shown at all; and the 6 at level 2 hides
    # Da Nang's 7 (the level-2 column adds up to 13)
    assert _row(table, "Ho Chi Minh City")[1:6] == ["12", "x", "x", "x", "x"]
    # Hanoi: 3 businesses → suppressed; Da Nang (7) is the partner that hides it
    assert _row(table, "Hanoi")[1] == "x"
    assert _row(table, "Da Nang")[1] == "x"
    assert _row(table, "Hue")[1] == "0"
    assert _row(table, "Total")[1] == "22"
    # the levels table of the whole population: 3 / 2 / 13 / 4 → 2 and 3 hidden together
    levels = _cells(html, "levels-table")
    assert [r[1] for r in levels[1:5]] == ["x", "x", "13", "x"]
    # no business is named anywhere
    assert "Công ty Thống Kê" not in html and not re.search(r"owner\d+@", html)


def test_vietnamese_number_format(client: Any, login_as: Any, submitted: Any) -> None:
    for level in (0, 2, 3):
        for _ in range(10):
            submitted(level=level)
    login_as("ministry")
    html = client.get("/stats/").get_data(as_text=True)
    # 20 of 30 at level 2 or above, with a decimal comma
    assert 'id="total-share">66,7 %<' in html
    assert "Tổng" in html and "Tỉnh/thành phố" in html and "Hồ Chí Minh" in html


def test_provincial_account_sees_only_its_province(
    client: Any, login_as: Any, submitted: Any
) -> None:
    _population(submitted)
    login_as("ministry", province="79")
    html = client.get("/stats/?province=01&by=section&lang=en").get_data(as_text=True)
    assert re.search(r'id="total-n">12<', html)
    table = _cells(html, "breakdown-table")
    # G 10 and H 2: H is under 5 and G hides it (the total 12 is shown)
    assert [r[1] for r in table if r[0][:3] in ("G —", "H —")] == ["x", "x"]
    assert _row(table, "Total")[1] == "12"
    assert 'id="f-province"' not in html


def test_overlapping_filters_cannot_recover_a_suppressed_cell(
    client: Any, login_as: Any, submitted: Any
) -> None:
    # province 01: section G 3 (primary), H 6 (its partner), C 20
    for _ in range(3):
        submitted(province="01", section="G")
    for _ in range(6):
        submitted(province="01", section="H")
    for _ in range(20):
        submitted(province="01", section="C")
    # section H elsewhere: 79 has 10, 48 has 8
    for _ in range(10):
        submitted(province="79", section="H")
    for _ in range(8):
        submitted(province="48", section="H")
    user = login_as("ministry")
    by_section = client.get("/stats/?province=01&by=section&lang=en").get_data(as_text=True)
    table = _cells(by_section, "breakdown-table")
    g = next(r for r in table if r[0].startswith("G —"))
    h = next(r for r in table if r[0].startswith("H —"))
    assert (g[1], h[1]) == ("x", "x")
    # the other way round: section H by province must not show Hanoi's 6 either
    by_province = client.get("/stats/?section=H&by=province&lang=en").get_data(as_text=True)
    table = _cells(by_province, "breakdown-table")
    assert _row(table, "Hanoi")[1] == "x"
    # … nor may a filter on both give it as a total
    both = client.get("/stats/?section=H&province=01&lang=en").get_data(as_text=True)
    assert 'id="refused"' in both and 'id="total-n"' not in both
    assert user is not None


def test_csv_and_xlsx_match_the_page_and_are_audit_logged(
    client: Any, db: Any, login_as: Any, submitted: Any
) -> None:
    import openpyxl

    _population(submitted)
    login_as("ministry")
    before = db.scalar(select(func.count()).select_from(AuditLog))
    resp = client.get("/stats/download.csv?by=province&lang=en")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Province", "Businesses assessed", "Level 0"]
    hcm = next(r for r in rows if r[0] == "Ho Chi Minh City")
    assert hcm[1:6] == ["12", "x", "x", "x", "x"]
    assert next(r for r in rows if r[0] == "Hanoi")[1] == "x"
    assert rows[-1][:2] == ["Total", "22"]

    resp = client.get("/stats/download.xlsx?lang=en")
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(resp.get_data()))
    assert wb.sheetnames[0] == "Notes"
    ws = wb["Province"]
    data = {r[0]: r for r in ws.iter_rows(values_only=True)}
    assert data["Ho Chi Minh City"][1:6] == (12, "x", "x", "x", "x")
    assert data["Hanoi"][1] == "x" and data["Da Nang"][1] == "x"
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(values_only=True)}
    assert "fewer than 5 businesses" in notes["Suppression"]
    assert notes["Questionnaire version"].startswith("dbi-2021-sme")
    after = db.scalar(select(func.count()).select_from(AuditLog))
    assert after == before + 2
    actions = db.scalars(select(AuditLog.object_id).order_by(AuditLog.id.desc()).limit(2)).all()
    assert sorted(actions) == ["csv", "xlsx"]


def test_microdata_has_no_identifying_fields(
    client: Any, db: Any, login_as: Any, submitted: Any
) -> None:
    submitted(
        province="74", section="J", at=datetime(2026, 5, 31, 20, 0, tzinfo=UTC), name="Bí Mật"
    )
    submitted(province="01", section="G", synthetic=True)
    login_as("ministry")
    body = client.get("/stats/microdata.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1  # the synthetic record is not in real data
    r = rows[0]
    # 31 May 20:00 UTC is June in Vietnam; Bình Dương (74) is counted in TP Hồ Chí Minh (79)
    assert (r["month"], r["province_code"], r["industry_section"]) == ("2026-06", "79", "J")
    assert r["customer_points"] == "20" and r["overall_level"] == "2"
    assert "Bí Mật" not in body and "@" not in body.replace("dbi-2021-sme", "")
    assert set(r) == {
        "month", "province_code", "industry_section", "size_class", "business_type",
        "questionnaire_id", "questionnaire_version", "overall_level",
        *[f"{p}_{k}" for p in PILLARS for k in ("points", "level")],
    }  # fmt: skip


def test_api_token_scope_and_suppression(
    client: Any, new_client: Any, db: Any, login_as: Any, submitted: Any
) -> None:
    _population(submitted)
    login_as("ministry", province="79")
    page = client.post(
        "/stats/tokens",
        data={"label": "reports", "csrf_token": _csrf(client, "/stats/tokens")},
    ).get_data(as_text=True)
    token = re.search(r'id="new-token">([^<]+)<', page).group(1).strip()
    api = new_client()
    assert api.get("/api/v1/stats").status_code == 401
    assert (
        api.get("/api/v1/stats", headers={"Authorization": "Bearer smes_wrong"}).status_code == 401
    )
    resp = api.get(
        "/api/v1/stats?by=section&province=01", headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["filters"] == {"province": "79"}  # the account's province, not the one asked
    assert data["total"]["n"] == 12
    g = next(r for r in data["rows"] if r["key"] == "G")
    h = next(r for r in data["rows"] if r["key"] == "H")
    assert g["n"] is None and h["n"] is None  # 10 and 2: H primary, G its partner
    assert g["suppressed"] is True
    assert (
        api.get("/api/v1/stats?size=tiny", headers={"Authorization": f"Bearer {token}"}).status_code
        == 400
    )
    # revoked: refused
    tid = re.search(
        r'name="revoke" value="(\d+)"', client.get("/stats/tokens").get_data(as_text=True)
    ).group(1)
    client.post("/stats/tokens", data={"revoke": tid, "csrf_token": _csrf(client, "/stats/tokens")})
    assert api.get("/api/v1/stats", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    logged = db.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.action == "stats_api")
    )
    assert logged == 1


def test_openapi_is_served(client: Any) -> None:
    data = client.get("/api/v1/openapi.json").get_json()
    assert data["openapi"].startswith("3.")
    assert "/api/v1/stats" in data["paths"]


def _csrf(client: Any, path: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert m
    return m.group(1)


@pytest.mark.parametrize("by", ["province", "section", "month"])
def test_pages_stay_small(client: Any, login_as: Any, submitted: Any, by: str) -> None:
    _population(submitted)
    login_as("ministry")
    html = client.get(f"/stats/?by={by}").get_data(as_text=True)
    assert 'id="breakdown-table"' in html
    assert len(html.encode()) <= 45 * 1024


def test_provincial_microdata_has_its_province_only(
    client: Any, login_as: Any, submitted: Any
) -> None:
    submitted(province="79")
    submitted(province="74")  # Bình Dương: now TP Hồ Chí Minh
    submitted(province="01")
    login_as("ministry", province="79")
    body = client.get("/stats/microdata.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["province_code"] for r in rows] == ["79", "79"]


def test_periods_in_vietnamese_and_english(client: Any, login_as: Any, submitted: Any) -> None:
    for _ in range(5):
        submitted(at=datetime(2026, 7, 10, tzinfo=UTC))
    login_as("ministry")
    vi = client.get("/stats/?by=quarter").get_data(as_text=True)
    assert "Quý 3/2026" in vi and ">07/2026<" in vi
    en = client.get("/stats/?by=month&lang=en").get_data(as_text=True)
    assert "Jul 2026" in en and "Q3 2026" in en
