"""Access control over every account route (advisor, owner, admin, and the ministry's statistics)
and object id.

Actors: the advisor the business is shared with, a stranger advisor, an advisor whose share was
revoked, the business's owner, another owner, a ministry account, an admin, an anonymous
visitor and a deactivated advisor (shared before being deactivated). Someone signed in without
access gets 404 — the same answer as for an id that does not exist — never 403; anonymous and
deactivated visitors are sent to the sign-in page. Every form refuses a post without its CSRF
token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from sme_assess.auth import service as accounts
from sme_assess.models import ActionItem, AdvisorShare
from sme_assess.sharing import revoke
from tests.accounts.conftest import best, worst
from tests.conftest import CSRF_RE, sign_in_client

ACTORS = (
    "advisor",
    "stranger",
    "revoked",
    "owner",
    "other_owner",
    "ministry",
    "admin",
    "anonymous",
    "deactivated",
)


@dataclass
class World:
    ids: dict[str, Any]
    users: dict[str, Any]


@pytest.fixture()
def world(app: Any, db: Any, make_user: Any, make_business: Any, share_with: Any) -> World:
    users = {
        name: make_user(role)
        for name, role in (
            ("advisor", "advisor"),
            ("stranger", "advisor"),
            ("revoked", "advisor"),
            ("owner", "owner"),
            ("other_owner", "owner"),
            ("ministry", "ministry"),
            ("admin", "admin"),
            ("deactivated", "advisor"),
        )
    }
    b = make_business("Doanh Nghiệp Được Bảo Vệ", picks=(worst, best))
    b.owner_id = users["owner"].id
    other = make_business("Doanh Nghiệp Khác", picks=(best,))
    other.owner_id = users["other_owner"].id
    share_with(b, users["advisor"])
    share_with(b, users["deactivated"])
    revoked = share_with(b, users["revoked"])
    revoke(db, b, revoked.id, by=users["owner"], ip=None)
    share_with(other, users["stranger"])
    item = ActionItem(business_id=b.id, title="Việc 1")
    db.add(item)
    db.flush()
    share = db.scalar(
        select(AdvisorShare).where(
            AdvisorShare.business_id == b.id, AdvisorShare.advisor_id == users["advisor"].id
        )
    )
    ordered = sorted(b.assessments, key=lambda a: a.id)  # created oldest first
    ids = {
        "pid": b.public_id,
        "apid": ordered[-1].public_id,
        "apid0": ordered[0].public_id,
        "other_apid": other.assessments[0].public_id,
        "action": item.id,
        "share": share.id,
        "user": users["stranger"].id,
        "platform": next(iter(app.extensions["sme_catalog"].platforms)).id,
    }
    return World(ids, users)


def client_for(app: Any, db: Any, w: World, actor: str) -> Any:
    c = app.test_client()
    if actor == "anonymous":
        return c
    sign_in_client(c, w.users[actor])
    if actor == "deactivated":
        accounts.deactivate(db, w.users[actor])
        db.flush()
    return c


def token(c: Any, w: World) -> str:
    """A valid CSRF token for this client's session (from a page every visitor can open)."""
    m = CSRF_RE.search(c.get("/login").get_data(as_text=True))
    assert m
    return m.group(1)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: frozenset[str]
    data: tuple[tuple[str, str], ...] = ()

    def url(self, ids: dict[str, Any]) -> str:
        return self.path.format(**ids)


def R(method: str, path: str, allowed: str, **data: str) -> Route:
    return Route(method, path, frozenset(allowed.split()), tuple(data.items()))


ROUTES = [
    R("GET", "/b/{pid}", "advisor owner"),
    R("GET", "/b/{pid}/compare", "advisor owner"),
    R("GET", "/b/{pid}/compare?from={apid0}&to={apid}", "advisor owner"),
    R("GET", "/b/{pid}/a/{apid}/report.pdf", "advisor owner"),
    R("POST", "/b/{pid}/plan", "advisor owner", title="Việc mới"),
    R("POST", "/b/{pid}/plan/{action}", "advisor owner", status="done"),
    R("POST", "/b/{pid}/adopted", "advisor owner", platform="{platform}", adopted="1"),
    R("POST", "/b/{pid}/share", "owner", code="XXXX-XXXX"),
    R("POST", "/b/{pid}/share/{share}/revoke", "owner"),
    R("POST", "/b/{pid}/assist", "advisor"),
    R("POST", "/b/{pid}/again", "owner"),
    R("GET", "/advisor/", "advisor stranger revoked"),
    R("GET", "/advisor/businesses.csv", "advisor stranger revoked"),
    R("GET", "/advisor/visit", "advisor stranger revoked"),
    R("GET", "/advisor/visit/{apid}/handover", ""),
    R("POST", "/advisor/visit/{apid}/email", "", email="a@example.vn"),
    R("POST", "/advisor/visit/{apid}/consent", "", consent="y"),
    R("POST", "/advisor/visit/{apid}/finish", ""),
    R("GET", "/admin/users", "admin"),
    R("POST", "/admin/users/{user}/deactivate", "admin"),
    R("GET", "/admin/audit", "admin"),
    R("POST", "/account/claim", "owner other_owner", code="0000-0000-0000-0000"),
    # the ministry's statistics (aggregates only; see tests/stats for their content)
    R("GET", "/stats/", "ministry admin"),
    R("GET", "/stats/download.csv", "ministry admin"),
    R("GET", "/stats/download.xlsx", "ministry admin"),
    R("GET", "/stats/tokens", "ministry admin"),
    R("POST", "/stats/tokens", "ministry admin", label="Thử"),
]
# objects of another business through this business's URL, and ids that do not exist
FOREIGN = [
    R("GET", "/b/{pid}/a/{other_apid}/report.pdf", ""),
    R("GET", "/b/{pid}/compare?from={other_apid}&to={apid}", ""),
    R("GET", "/b/not-a-business", ""),
    R("POST", "/b/{pid}/plan/999999", "", status="done"),
    R("POST", "/b/{pid}/share/999999/revoke", ""),
]


def classify(resp: Any) -> str:
    if resp.status_code in (301, 302, 303) and "/login" in (resp.location or ""):
        return "login"
    if resp.status_code == 404:
        return "404"
    if resp.status_code == 403:
        return "403"
    if resp.status_code in (200, 302, 422):
        return "ok"
    return str(resp.status_code)


def expected(route: Route, actor: str) -> str:
    if actor in ("anonymous", "deactivated"):
        return "login"
    return "ok" if actor in route.allowed else "404"


def send(c: Any, route: Route, w: World, with_csrf: bool = True) -> Any:
    url = route.url(w.ids)
    if route.method == "GET":
        return c.get(url)
    data = {k: v.format(**w.ids) for k, v in route.data}
    if with_csrf:
        data["csrf_token"] = token(c, w)
    return c.post(url, data=data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES + FOREIGN, ids=lambda r: f"{r.method} {r.path}")
def test_access_matrix(app: Any, db: Any, world: World, route: Route, actor: str) -> None:
    c = client_for(app, db, world, actor)
    resp = send(c, route, world)
    got = classify(resp)
    assert got == expected(route, actor), (actor, route.method, route.url(world.ids), resp.status)
    if got == "404":
        # the refusal says nothing about the business
        assert "Doanh Nghiệp Được Bảo Vệ" not in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.method == "POST"], ids=lambda r: f"{r.method} {r.path}"
)
def test_every_form_needs_its_csrf_token(app: Any, db: Any, world: World, route: Route) -> None:
    actor = next(iter(sorted(route.allowed)), "advisor")
    c = client_for(app, db, world, actor)
    resp = send(c, route, world, with_csrf=False)
    assert resp.status_code == 400
    # the same post with its token is accepted (so the 400 is the missing token)
    assert classify(send(c, route, world)) == expected(route, actor)


@pytest.mark.parametrize(
    "path",
    ["/login", "/logout", "/account/register", "/share/XXXX-XXXX", "/r/some-token/share"],
)
def test_public_forms_need_csrf_too(client: Any, path: str) -> None:
    assert client.post(path, data={"email": "a@b.vn", "password": "x" * 12}).status_code == 400


def test_revocation_ends_access_on_the_next_request(app: Any, db: Any, world: World) -> None:
    advisor = client_for(app, db, world, "advisor")
    pid = world.ids["pid"]
    assert advisor.get(f"/b/{pid}").status_code == 200
    assert "Doanh Nghiệp Được Bảo Vệ" in advisor.get("/advisor/").get_data(as_text=True)
    owner = client_for(app, db, world, "owner")
    resp = owner.post(
        f"/b/{pid}/share/{world.ids['share']}/revoke", data={"csrf_token": token(owner, world)}
    )
    assert resp.status_code == 302
    assert advisor.get(f"/b/{pid}").status_code == 404
    assert advisor.get(f"/b/{pid}/compare").status_code == 404
    assert "Doanh Nghiệp Được Bảo Vệ" not in advisor.get("/advisor/").get_data(as_text=True)


def test_ministry_never_sees_a_single_business(app: Any, db: Any, world: World) -> None:
    c = client_for(app, db, world, "ministry")
    for path in (f"/b/{world.ids['pid']}", "/advisor/", "/advisor/businesses.csv", "/admin/users"):
        assert c.get(path).status_code == 404, path
