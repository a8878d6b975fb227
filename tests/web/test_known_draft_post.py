"""An answer post to a draft the worker has already shown is written without reading the draft
first (`survey.views._save_known_draft`); the write itself checks the draft is still open and
still the same draft. What it must not do: write into a closed, deleted or foreign draft, or
for a session that does not hold the draft."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from sme_assess.db import get_engine
from sme_assess.lookups import DraftKey
from sme_assess.models import Answer, Assessment, AssessmentStatus
from sme_assess.survey import views
from tests.conftest import csrf_token, psycopg_statements

STEP = "/a/{pid}/step/2"  # the strategy pillar: q2_1_1_has and, if yes, q2_1_1_level


def _answers(db: Any, pid: str) -> dict[str, Any]:
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    rows = db.execute(
        select(Answer.question_id, Answer.value).where(Answer.assessment_id == a.id)
    ).all()
    return {qid: value for qid, value in rows}


def _post(client: Any, pid: str, token: str, **answers: str) -> Any:
    return client.post(STEP.format(pid=pid), data={**answers, "csrf_token": token})


def test_a_post_after_the_page_was_shown_writes_without_reading_the_draft(
    app: Any, client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    token = csrf_token(client, STEP.format(pid=pid))  # the page shown: the worker knows it
    seen: list[str] = []
    engine = get_engine(app)
    if engine.dialect.name == "postgresql":
        with psycopg_statements() as sent:
            resp = _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l4")
        seen.extend(sent)
    else:

        def record(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
            seen.append(" ".join(statement.split()))

        event.listen(engine, "before_cursor_execute", record)
        try:
            resp = _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l4")
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert resp.status_code == 302 and resp.location.endswith(f"/a/{pid}/step/3")
    assert _answers(db, pid) == {"q2_1_1_has": "yes", "q2_1_1_level": "l4"}
    # no SELECT of the draft and its answers before the write
    assert not [s for s in seen if s.startswith("SELECT") and "LEFT OUTER JOIN answer" in s]
    assert any(s.startswith(("UPDATE assessment", "WITH moved")) for s in seen), seen

    # saved again with one answer changed: both are right afterwards
    resp = _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l2")
    assert resp.status_code == 302
    assert _answers(db, pid) == {"q2_1_1_has": "yes", "q2_1_1_level": "l2"}
    # "no" hides the follow-up question; a radio not sent keeps its saved answer (ignored
    # while hidden, back if "yes" is chosen again)
    resp = _post(client, pid, token, q2_1_1_has="no")
    assert resp.status_code == 302
    assert _answers(db, pid) == {"q2_1_1_has": "no", "q2_1_1_level": "l2"}


def test_a_known_draft_submitted_meanwhile_is_refused_with_nothing_written(
    client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    token = csrf_token(client, STEP.format(pid=pid))
    assert _post(client, pid, token, q2_1_1_has="no").status_code == 302
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    a.status = AssessmentStatus.submitted  # from another device
    db.flush()
    resp = _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l5")
    assert resp.status_code == 409
    assert _answers(db, pid) == {"q2_1_1_has": "no"}


def test_a_known_draft_deleted_meanwhile_is_not_found(
    client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    token = csrf_token(client, STEP.format(pid=pid))
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    db.delete(a.business)  # the owner deleted the business's data (another tab)
    db.flush()
    resp = _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l3")
    assert resp.status_code == 404
    assert db.scalar(select(Answer).where(Answer.question_id == "q2_1_1_level")) is None


def test_a_row_id_taken_by_another_draft_is_never_written(
    client: Any, new_client: Any, db: Any, start_draft: Any
) -> None:
    """A deleted draft's row id can be given to a new draft (SQLite reuses the highest rowid):
    the worker's entry for the old draft then names the other draft's row. The write matches
    the row id and the public id together, so the other draft is not touched."""
    pid, _code = start_draft()
    token = csrf_token(client, STEP.format(pid=pid))
    other = new_client()
    other_pid = _start_other(other)
    other_row = db.scalar(select(Assessment).where(Assessment.public_id == other_pid))
    mine = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    db.delete(mine.business)
    db.flush()
    views._KNOWN_DRAFTS.put(pid, DraftKey(other_row.id, pid, other_row.questionnaire_id))
    resp = _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l5")
    assert resp.status_code == 404
    assert _answers(db, other_pid) == {}


def test_a_session_without_the_draft_cannot_post_to_a_known_draft(
    client: Any, new_client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    csrf_token(client, STEP.format(pid=pid))  # the worker knows the draft now
    stranger = new_client()
    token = csrf_token(stranger, "/")
    resp = _post(stranger, pid, token, q2_1_1_has="yes", q2_1_1_level="l5")
    assert resp.status_code == 404
    assert _answers(db, pid) == {}


def test_a_tampered_post_to_a_known_draft_keeps_what_was_saved(
    client: Any, db: Any, start_draft: Any
) -> None:
    pid, _code = start_draft()
    token = csrf_token(client, STEP.format(pid=pid))
    assert _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l2").status_code == 302
    # an option id the question does not have
    assert _post(client, pid, token, q2_1_1_has="yes", q2_1_1_level="l9").status_code == 400
    # a question of another pillar
    assert _post(client, pid, token, q2_1_1_has="no", q1_1_1_has="yes").status_code == 400
    # two values for one question
    resp = client.post(
        STEP.format(pid=pid),
        data={"q2_1_1_has": ["yes", "no"], "q2_1_1_level": "l1", "csrf_token": token},
    )
    assert resp.status_code == 400
    assert _answers(db, pid) == {"q2_1_1_has": "yes", "q2_1_1_level": "l2"}


def _start_other(client: Any) -> str:
    from tests.conftest import PROFILE

    token = csrf_token(client, "/start")
    resp = client.post("/start", data={**PROFILE, "name": "Another shop", "csrf_token": token})
    assert resp.status_code == 302
    return str(resp.location.split("/a/")[1].split("/")[0])
