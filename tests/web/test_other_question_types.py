"""The web journey with the question types the DBI file does not use: multiple choice (with an
exclusive "none" option and a cap) and numbers with bands. A second app serves the small test
questionnaire `tests/fixtures/questionnaires/minimal.yaml` as its default."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sme_assess import create_app
from sme_assess.db import dispose_engines
from sme_assess.models import Answer, Assessment, AssessmentStatus
from tests.conftest import PROFILE, csrf_token

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def app2(tmp_path: Path) -> Iterator[Any]:
    qdir = tmp_path / "questionnaires"
    qdir.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "questionnaires" / "minimal.yaml", qdir)
    # the catalogue refers to DBI criteria: keep that file beside the test questionnaire
    shutil.copy(ROOT / "questionnaires" / "dbi-2021-sme.yaml", qdir)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": "sqlite:///" + str(tmp_path / "other.sqlite3"),
            "QUESTIONNAIRE_DIR": str(qdir),
            "DEFAULT_QUESTIONNAIRE": "minimal-test",
        }
    )
    yield app
    dispose_engines(app)


def _start(client: Any) -> str:
    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "csrf_token": token})
    assert resp.status_code == 302
    return str(resp.location.split("/a/")[1].split("/")[0])


def _answers(app: Any, pid: str) -> dict[str, Any]:
    with app.app_context():
        maker = app.extensions["sme_sessionmaker"]
        with maker() as s:
            a = s.scalar(select(Assessment).where(Assessment.public_id == pid))
            rows = s.scalars(select(Answer).where(Answer.assessment_id == a.id))
            return {r.question_id: r.value for r in rows}


def test_multiple_choice_and_exclusive_option(app2: Any) -> None:
    client = app2.test_client()
    pid = _start(client)
    token = csrf_token(client, f"/a/{pid}/step/1")
    base = {"q1_1_1_has": "yes", "q1_1_1_level": "l2", "csrf_token": token}
    # "none" cannot be combined with a tool: the page comes back with the message, nothing saved
    resp = client.post(f"/a/{pid}/step/1?lang=en", data={**base, "q1_1_2_tools": ["none", "mail"]})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "cannot be combined" in page
    assert 'name="q1_1_2_tools" value="mail" checked' in page  # what was posted is shown again
    assert _answers(app2, pid) == {}
    resp = client.post(f"/a/{pid}/step/1", data={**base, "q1_1_2_tools": ["mail", "crm"]})
    assert resp.status_code == 302
    assert _answers(app2, pid)["q1_1_2_tools"] == ["mail", "crm"]
    # ticking nothing clears the saved choice
    resp = client.post(f"/a/{pid}/step/1", data=base)
    assert resp.status_code == 302
    assert "q1_1_2_tools" not in _answers(app2, pid)


def test_numbers_are_validated_and_scored(app2: Any) -> None:
    client = app2.test_client()
    pid = _start(client)
    token = csrf_token(client, f"/a/{pid}/step/2")
    for bad, message in (
        ("abc", "Please enter a number"),
        ("5000", "between"),
        ("4.7", "outside the accepted range"),
    ):
        resp = client.post(
            f"/a/{pid}/step/2?lang=en",
            data={"q2_1_1_staff": bad, "q2_1_2_level": "l2", "csrf_token": token},
        )
        assert resp.status_code == 422, bad
        assert message in resp.get_data(as_text=True), bad
        assert "Not a valid" not in resp.get_data(as_text=True)  # WTForms' own, untranslated
    assert _answers(app2, pid) == {}
    resp = client.post(
        f"/a/{pid}/step/2", data={"q2_1_1_staff": "7", "q2_1_2_level": "l2", "csrf_token": token}
    )
    assert resp.status_code == 302
    assert _answers(app2, pid) == {"q2_1_1_staff": 7, "q2_1_2_level": "l2"}
    token = csrf_token(client, f"/a/{pid}/step/1")
    resp = client.post(
        f"/a/{pid}/step/1",
        data={
            "q1_1_1_has": "yes",
            "q1_1_1_level": "l5",
            "q1_1_2_tools": ["mail", "chat", "crm"],
            "csrf_token": token,
        },
    )
    assert resp.status_code == 302
    resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
    assert resp.status_code == 302
    with app2.app_context(), app2.extensions["sme_sessionmaker"]() as s:
        a = s.scalar(select(Assessment).where(Assessment.public_id == pid))
        assert a.status == AssessmentStatus.submitted
        levels = {c["id"]: c["level"] for p in a.score_snapshot["pillars"] for c in p["criteria"]}
    assert levels["c1_1_2"] == 5  # 2 + 2 + 3 capped at 5
    assert levels["c2_1_1"] == 4  # 7 staff falls in the 5–9 band
