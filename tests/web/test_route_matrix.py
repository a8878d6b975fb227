"""Every state-changing route refuses a post without its CSRF token (400), and the owner's
draft routes answer a stranger — another browser, without the draft in its session — as if
the draft did not exist (404). Nothing is saved either way.

The routes are read from the app's URL map, so a new POST route is in the CSRF matrix at once.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from sme_assess.models import Answer, Assessment, AssessmentStatus
from tests.conftest import csrf_token, page_answers

# Values for the URL parameters of the routes (the CSRF check runs before any view, so they
# need not exist; the stranger matrix uses a real draft).
PLACEHOLDERS = {"pid": "{pid}", "token": "{token}", "code": "AAAA-BBBB-CCCC-DDDD"}
EXEMPT: dict[str, str] = {}  # rule → why it takes no CSRF token (none today)


def _post_rules(app: Any) -> list[str]:
    rules = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()) and rule.endpoint != "static":
            rules.append(rule.rule)
    return sorted(rules)


def _fill(rule: str, **values: str) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(2)
        if m.group(1) == "int":
            return "1"
        return PLACEHOLDERS.get(name, "x").format(**values)

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule)


def test_the_matrix_knows_the_owner_routes(app: Any) -> None:
    rules = _post_rules(app)
    for rule in (
        "/start",
        "/resume",
        "/a/<pid>/profile",
        "/a/<pid>/step/<int:n>",
        "/a/<pid>/step/<int:n>/<int:part>",
        "/a/<pid>/step/<int:n>/save",
        "/a/<pid>/submit",
        "/a/<pid>/email-link",
        "/r/<token>/again",
    ):
        assert rule in rules


def test_every_post_route_needs_its_csrf_token(
    app: Any, client: Any, db: Any, start_draft: Any, answer_all: Any
) -> None:
    pid, _ = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location
    results_token = results.split("/r/")[1].split("?")[0]
    draft_pid, _ = start_draft()  # a draft this session may edit
    refused = {}
    for rule in _post_rules(app):
        if rule in EXEMPT:
            continue
        path = _fill(rule, pid=draft_pid, token=results_token)
        resp = client.post(path + "?lang=en", data={"name": "x", "q1_1_1": "yes"})
        refused[rule] = resp.status_code
        if resp.status_code == 400:
            assert "security token" in resp.get_data(as_text=True), rule
    assert {r: s for r, s in refused.items() if s != 400} == {}
    # nothing was saved: the draft has no answer, no new draft was started
    a = db.scalar(select(Assessment).where(Assessment.public_id == draft_pid))
    assert db.scalar(select(func.count()).where(Answer.assessment_id == a.id)) == 0
    assert a.status == AssessmentStatus.draft
    drafts = db.scalar(select(func.count()).select_from(Assessment))
    assert drafts == 2


def test_a_stranger_gets_404_on_every_draft_route(
    client: Any, new_client: Any, db: Any, start_draft: Any, questionnaire: Any
) -> None:
    pid, _ = start_draft()
    stranger = new_client()
    token = csrf_token(stranger, "/start")  # the stranger's own valid token
    answers = page_answers(questionnaire.pillars[0])
    posts = {
        f"/a/{pid}/profile": {"name": "Kẻ lạ", "business_type": "household"},
        f"/a/{pid}/step/1": answers,
        f"/a/{pid}/step/1/2": answers,
        f"/a/{pid}/step/1/save": answers,
        f"/a/{pid}/submit": {},
        f"/a/{pid}/email-link": {"email": "ke.la@example.vn"},
    }
    gets = [
        f"/a/{pid}/profile",
        f"/a/{pid}/saved",
        f"/a/{pid}/step/1",
        f"/a/{pid}/check",
        f"/a/{pid}/continue",
    ]
    statuses = {
        p: stranger.post(p, data={**d, "csrf_token": token}).status_code for p, d in posts.items()
    }
    statuses |= {p: stranger.get(p).status_code for p in gets}
    assert statuses == dict.fromkeys([*posts, *gets], 404)
    a = db.scalar(select(Assessment).where(Assessment.public_id == pid))
    assert db.scalar(select(func.count()).where(Answer.assessment_id == a.id)) == 0
    assert a.status == AssessmentStatus.draft
    assert a.business.name == "Cửa hàng Thử Nghiệm"


def test_a_stranger_with_a_results_link_cannot_start_again(
    client: Any, new_client: Any, db: Any, start_draft: Any, answer_all: Any
) -> None:
    pid, _ = start_draft()
    answer_all(pid)
    token = csrf_token(client, f"/a/{pid}/check")
    results = client.post(f"/a/{pid}/submit", data={"csrf_token": token}).location.split("?")[0]
    stranger = new_client()
    assert stranger.get(results).status_code == 200  # the link shows the results
    before = db.scalar(select(func.count()).select_from(Assessment))
    own = csrf_token(stranger, "/start")  # the stranger's own valid token
    resp = stranger.post(results + "/again?lang=en", data={"csrf_token": own})
    assert resp.status_code == 403
    assert "resume code" in resp.get_data(as_text=True)
    unknown = stranger.post("/r/no-such-token/again", data={"csrf_token": own})
    assert unknown.status_code == 404
    assert db.scalar(select(func.count()).select_from(Assessment)) == before
