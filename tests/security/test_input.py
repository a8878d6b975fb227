"""Hostile and odd input, each a finding of the probe: NUL bytes (3), number answers that are not
finite (4), digits of other scripts (6), names that are invisible, carry control or bidi
characters, or an emoji (10). Each gets a clear, translated answer — never a 500 — and
nothing is stored."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sme_assess.models import Answer, Assessment, Business
from tests.conftest import PROFILE, csrf_token
from tests.security.conftest import assessment_of

ROOT = Path(__file__).resolve().parents[2]


def _businesses(db: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(Business)))


# --- finding 3: NUL bytes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/a/%00/profile", "/a/%00/saved", "/a/%00/check", "/a/%00/step/1", "/r/%00", "/verify/%00"],
)
def test_nul_in_a_path_is_a_plain_refusal(client: Any, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code in (400, 404)
    assert "Yêu cầu không hợp lệ" in resp.get_data(as_text=True) or resp.status_code == 404


def test_nul_in_a_business_name_is_refused_and_nothing_stored(client: Any, db: Any) -> None:
    before = _businesses(db)
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "name": "Cửa\x00hàng", "csrf_token": token})
    assert resp.status_code == 400
    assert "Dữ liệu gửi lên không hợp lệ" in resp.get_data(as_text=True)
    assert _businesses(db) == before


def test_nul_in_a_query_parameter_is_refused(client: Any) -> None:
    assert client.get("/verify?code=AB%00CD").status_code == 400


# --- finding 4: numbers ---------------------------------------------------------------------


def _number_app(other_app: Any, tmp_path: Path, *, with_range: bool) -> Any:
    qdir = tmp_path / "q"
    qdir.mkdir()
    text = (ROOT / "tests" / "fixtures" / "questionnaires" / "minimal.yaml").read_text()
    if not with_range:
        text = text.replace("                min: 0\n                max: 1000\n", "")
        assert "max: 1000\n                unit" not in text
    (qdir / "minimal.yaml").write_text(text)
    shutil.copy(ROOT / "questionnaires" / "dbi-2021-sme.yaml", qdir)
    return other_app(QUESTIONNAIRE_DIR=str(qdir), DEFAULT_QUESTIONNAIRE="minimal-test")


NOT_NUMBERS = ["sNaN", "NaN", "-nan", "Infinity", "-Infinity", "inf", "1e999999999", "٣", "1\u0000"]


@pytest.mark.parametrize("with_range", [True, False])
def test_number_answers_that_are_not_finite_numbers_are_refused(
    other_app: Any, tmp_path: Path, db: Any, with_range: bool
) -> None:
    app2 = _number_app(other_app, tmp_path, with_range=with_range)
    client = app2.test_client()
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "csrf_token": token})
    pid = resp.location.split("/a/")[1].split("/")[0]
    token = csrf_token(client, f"/a/{pid}/step/2")
    for value in NOT_NUMBERS:
        resp = client.post(
            f"/a/{pid}/step/2",
            data={"q2_1_1_staff": value, "q2_1_2_level": "l2", "csrf_token": token},
        )
        assert resp.status_code in (400, 422), value
        page = resp.get_data(as_text=True)
        assert "Vui lòng" in page or "không hợp lệ" in page, value  # a translated message
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    count = select(func.count()).select_from(Answer).where(Answer.assessment_id == a.id)
    assert db.scalar(count) == 0


def test_full_width_digits_in_a_number_answer_are_read_as_digits(
    other_app: Any, tmp_path: Path, db: Any
) -> None:
    app2 = _number_app(other_app, tmp_path, with_range=True)
    client = app2.test_client()
    token = csrf_token(client, "/start")
    pid = client.post("/start", data={**PROFILE, "csrf_token": token}).location.split("/a/")[1]
    pid = pid.split("/")[0]
    resp = client.post(
        f"/a/{pid}/step/2",
        data={"q2_1_1_staff": "１２", "q2_1_2_level": "l2", "csrf_token": token},
    )
    assert resp.status_code == 302
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    value = db.scalar(
        select(Answer.value).where(
            Answer.assessment_id == a.id, Answer.question_id == "q2_1_1_staff"
        )
    )
    assert value == 12


# --- finding 6: digits ----------------------------------------------------------------------


def _start(client: Any, **profile: Any) -> Any:
    token = csrf_token(client, "/start")
    return client.post("/start", data={**PROFILE, **profile, "csrf_token": token})


def test_full_width_tax_code_is_stored_in_ascii(client: Any, db: Any) -> None:
    resp = _start(client, business_type="enterprise", tax_code="０１００２３３４８８")
    assert resp.status_code == 302
    stored = db.scalar(select(Business.tax_code).order_by(Business.id.desc()).limit(1))
    assert stored == "0100233488"


@pytest.mark.parametrize(
    "kind,tax_code",
    [
        ("enterprise", "٠١٠٠٢٣٣٤٨٨"),  # Arabic-Indic
        ("enterprise", "०१००२३३४८८"),  # Devanagari
        ("household", "٠٠١٠٩٥٠١٢٣٤٥"),  # a 12-digit personal id in Arabic-Indic digits
    ],
)
def test_digits_of_other_scripts_are_refused(
    client: Any, db: Any, kind: str, tax_code: str
) -> None:
    before = _businesses(db)
    resp = _start(client, business_type=kind, tax_code=tax_code)
    assert resp.status_code == 422
    assert "chữ số thông thường từ 0 đến 9" in resp.get_data(as_text=True)
    assert _businesses(db) == before


def test_full_width_personal_id_is_stored_in_ascii(client: Any, db: Any) -> None:
    resp = _start(client, business_type="household", tax_code="００１０９５０１２３４５")
    assert resp.status_code == 302
    stored = db.scalar(select(Business.tax_code).order_by(Business.id.desc()).limit(1))
    assert stored == "001095012345"


# --- finding 10: names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,message",
    [
        ("\u200b\u200b\u200b", "ký tự ẩn"),  # zero-width spaces only
        ("\u2800\u2800\u2800", "ít nhất một chữ cái"),  # braille blanks only
        ("Cửa hàng\u202eABC", "ký tự ẩn"),  # right-to-left override
        ("Cửa \u2066hàng\u2069", "ký tự ẩn"),  # isolates
        ("Cửa\x07hàng", "ký tự ẩn"),  # a control character
        ("123 456", "ít nhất một chữ cái"),
    ],
)
def test_names_without_letters_or_with_control_characters_are_refused(
    client: Any, db: Any, name: str, message: str
) -> None:
    before = _businesses(db)
    resp = _start(client, name=name)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _businesses(db) == before


def test_names_are_trimmed_and_in_nfc(client: Any, db: Any) -> None:
    resp = _start(client, name="  Cửa   hàng\u00a0Hoa\u0300 ")  # "Hoà" typed with a combining mark
    assert resp.status_code == 302
    stored = db.scalar(select(Business.name).order_by(Business.id.desc()).limit(1))
    assert stored == "Cửa hàng Hoà"


def test_an_emoji_in_the_name_uses_no_system_font_in_the_pdf(
    client: Any, db: Any, submitted: Callable[..., str]
) -> None:
    results = submitted(name="Cà phê Ngon ☕😀")
    a = assessment_of(db, results)
    assert a.profile_name == "Cà phê Ngon ☕😀"  # stored as typed
    pdf = client.get(results + "/report.pdf").data
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=False
    ).stdout.decode()
    if not fonts:  # older pdffonts read no stdin
        tmp = Path(subprocess.run(["mktemp"], capture_output=True, text=True).stdout.strip())
        tmp.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(tmp)], capture_output=True, text=True).stdout
        tmp.unlink()
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names, fonts
    assert all("Noto-Sans" in n for n in names), names  # the vendored fonts only
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "Cà phê Ngon" in text


def test_nul_in_the_second_value_of_a_repeated_field_is_refused(client: Any, db: Any) -> None:
    before = _businesses(db)
    token = csrf_token(client, "/start")
    resp = client.post(
        "/start", data={**PROFILE, "name": ["Cửa hàng", "B\x00"], "csrf_token": token}
    )
    assert resp.status_code == 400
    assert client.get("/verify?code=AAAA&code=B%00").status_code == 400
    assert _businesses(db) == before
