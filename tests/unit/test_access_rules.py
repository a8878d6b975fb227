"""Every rule of `sme_assess.access`, table by table: each role (owner, advisor, ministry,
admin), anonymous visitors and deactivated accounts, against a business that is theirs, someone
else's or unclaimed, shared or not; and the owner's proofs a browser session holds (drafts and
businesses).

The predicates are pure: they are called with unsaved `User` and `Business` objects and a
plain session dict. The two that query the database (an advisor's active share,
`visible_business`) run against the test database. Every expected value is written out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.sessions import SecureCookieSession
from flask_login import AnonymousUserMixin, LoginManager, login_user

from sme_assess import access
from sme_assess.lookups import DraftRef
from sme_assess.models import Assessment, AssessmentStatus, Business, Role, User

# --------------------------------------------------------------------------------------------
# actors: unsaved accounts (ids chosen by hand), the anonymous user and no user at all

OWNER_ID = 1
OTHER_ID = 99  # the owner of "someone else's" business: none of the actors


def _user(uid: int | None, role: Role, *, active: bool = True, province: str | None = None) -> User:
    return User(
        id=uid,
        email=f"{role.value}{uid}@example.vn",
        role=role,
        active=active,
        province_code=province,
        session_nonce="nonce",
    )


ACTORS: dict[str, Any] = {
    "none": None,
    "anonymous": AnonymousUserMixin(),
    "owner": _user(OWNER_ID, Role.owner),
    "other_owner": _user(2, Role.owner),
    "advisor": _user(3, Role.advisor),
    "ministry": _user(4, Role.ministry, province="79"),
    "national_ministry": _user(5, Role.ministry),
    "admin": _user(6, Role.admin),
    "deactivated_owner": _user(OWNER_ID, Role.owner, active=False),
    "deactivated_advisor": _user(3, Role.advisor, active=False),
    "deactivated_ministry": _user(4, Role.ministry, active=False, province="79"),
    "deactivated_admin": _user(6, Role.admin, active=False),
}


def _business(relation: str, actor: Any = None) -> Business:
    """Owned by `actor`'s account ("own"), by another account ("other") or by none ("unclaimed")."""
    owner_id = {"own": getattr(actor, "id", None), "other": OTHER_ID, "unclaimed": None}[relation]
    return Business(id=10, public_id=f"B-{relation}", owner_id=owner_id)


def _session(*owned: str) -> dict[str, Any]:
    return {access.OWNED_KEY: list(owned)} if owned else {}


# --------------------------------------------------------------------------------------------
# roles


@pytest.mark.parametrize(
    ("actor", "role"),
    [
        ("none", None),
        ("anonymous", None),
        ("owner", Role.owner),
        ("advisor", Role.advisor),
        ("ministry", Role.ministry),
        ("national_ministry", Role.ministry),
        ("admin", Role.admin),
        ("deactivated_owner", None),
        ("deactivated_advisor", None),
        ("deactivated_ministry", None),
        ("deactivated_admin", None),
    ],
)
def test_role_of_an_account(actor: str, role: Role | None) -> None:
    assert access.role_of(ACTORS[actor]) is role


@pytest.mark.parametrize(
    ("user", "why"),
    [
        (SimpleNamespace(is_active=True, role=Role.admin), "no is_authenticated"),
        (SimpleNamespace(is_authenticated=True, role=Role.admin), "no is_active"),
        (SimpleNamespace(is_authenticated=False, is_active=True, role=Role.admin), "signed out"),
        (SimpleNamespace(is_authenticated=True, is_active=True), "no role"),
        (SimpleNamespace(is_authenticated=True, is_active=True, role="admin"), "role not a Role"),
        (SimpleNamespace(is_authenticated=True, is_active=True, role=None), "role None"),
    ],
)
def test_role_of_anything_short_of_an_active_account_with_a_role_is_none(
    user: Any, why: str
) -> None:
    assert access.role_of(user) is None, why


def test_role_of_a_duck_typed_active_account() -> None:
    user = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.ministry)
    assert access.role_of(user) is Role.ministry


# expected (is_owner, is_advisor, is_ministry, is_admin, can_view_stats, can_admin_users)
ROLE_TABLE = [
    ("none", (False, False, False, False, False, False)),
    ("anonymous", (False, False, False, False, False, False)),
    ("owner", (True, False, False, False, False, False)),
    ("other_owner", (True, False, False, False, False, False)),
    ("advisor", (False, True, False, False, False, False)),
    ("ministry", (False, False, True, False, True, False)),
    ("national_ministry", (False, False, True, False, True, False)),
    ("admin", (False, False, False, True, True, True)),
    ("deactivated_owner", (False, False, False, False, False, False)),
    ("deactivated_advisor", (False, False, False, False, False, False)),
    ("deactivated_ministry", (False, False, False, False, False, False)),
    ("deactivated_admin", (False, False, False, False, False, False)),
]


@pytest.mark.parametrize(("actor", "expected"), ROLE_TABLE)
def test_role_predicates(actor: str, expected: tuple[bool, ...]) -> None:
    user = ACTORS[actor]
    got = (
        access.is_owner(user),
        access.is_advisor(user),
        access.is_ministry(user),
        access.is_admin(user),
        access.can_view_stats(user),
        access.can_admin_users(user),
    )
    assert got == expected


@pytest.mark.parametrize(
    ("user", "scope"),
    [
        (ACTORS["ministry"], "79"),
        (ACTORS["national_ministry"], None),
        (_user(7, Role.ministry, province=""), None),  # an empty code is the whole country
        (_user(8, Role.admin, province="01"), None),  # admins always see the whole country
        (_user(9, Role.advisor, province="01"), None),
        (ACTORS["deactivated_ministry"], None),
        (ACTORS["anonymous"], None),
        (None, None),
    ],
)
def test_stats_province_scope(user: Any, scope: str | None) -> None:
    assert access.stats_province_scope(user) == scope


# --------------------------------------------------------------------------------------------
# one business: view, plan, share, assist, audit


@pytest.mark.parametrize(
    ("actor", "relation", "expected"),
    [
        ("owner", "own", True),
        ("owner", "other", False),
        ("owner", "unclaimed", False),
        ("other_owner", "other", False),
        # an owner id that happens to be an advisor's, admin's or deactivated owner's: not theirs
        ("advisor", "own", False),
        ("admin", "own", False),
        ("ministry", "own", False),
        ("deactivated_owner", "own", False),
        ("anonymous", "unclaimed", False),
        ("none", "unclaimed", False),
    ],
)
def test_owns_business(actor: str, relation: str, expected: bool) -> None:
    user = ACTORS[actor]
    assert access.owns_business(user, _business(relation, user)) is expected


def test_an_unsaved_owner_account_owns_no_unclaimed_business() -> None:
    # neither has an id yet: None == None must not make the account the owner
    assert access.owns_business(_user(None, Role.owner), _business("unclaimed")) is False


VIEW_TABLE = [
    ("owner", "own", False, True),
    ("owner", "own", True, True),
    ("owner", "other", False, False),
    ("owner", "other", True, False),  # `shared` is about advisors only
    ("owner", "unclaimed", True, False),
    ("other_owner", "other", True, False),
    ("advisor", "other", True, True),
    ("advisor", "other", False, False),
    ("advisor", "unclaimed", True, True),
    ("advisor", "unclaimed", False, False),
    ("advisor", "own", False, False),
    ("ministry", "other", True, False),
    ("national_ministry", "unclaimed", True, False),
    ("admin", "other", True, False),
    ("admin", "own", True, False),
    ("anonymous", "other", True, False),
    ("none", "unclaimed", True, False),
    ("deactivated_owner", "own", False, False),
    ("deactivated_advisor", "other", True, False),
]


@pytest.mark.parametrize(("actor", "relation", "shared", "expected"), VIEW_TABLE)
@pytest.mark.parametrize("rule", [access.can_view_business, access.can_edit_plan])
def test_view_and_plan_of_one_business(
    rule: Callable[..., bool], actor: str, relation: str, shared: bool, expected: bool
) -> None:
    user = ACTORS[actor]
    assert rule(user, _business(relation, user), shared=shared) is expected


@pytest.mark.parametrize(
    ("actor", "relation", "proof", "with_session", "expected"),
    [
        ("owner", "own", False, False, True),  # the owner's account, anywhere
        ("owner", "own", False, True, True),
        ("owner", "other", True, True, False),  # claimed by another account: proof is not enough
        ("owner", "unclaimed", True, True, True),
        ("owner", "unclaimed", False, True, False),
        ("owner", "unclaimed", True, False, False),  # proof counts on the results page only
        ("anonymous", "unclaimed", True, True, True),
        ("none", "unclaimed", True, True, True),
        ("anonymous", "unclaimed", False, True, False),
        ("anonymous", "unclaimed", True, False, False),
        ("anonymous", "other", True, True, False),
        ("advisor", "unclaimed", True, True, False),  # an assisted visit's proof never counts
        ("advisor", "own", False, True, False),
        ("ministry", "unclaimed", True, True, False),
        ("admin", "unclaimed", True, True, False),
        # a deactivated account is signed out: its browser counts as any visitor's
        ("deactivated_advisor", "unclaimed", True, True, True),
        ("deactivated_owner", "own", False, True, False),
    ],
)
def test_who_may_share_a_business(
    actor: str, relation: str, proof: bool, with_session: bool, expected: bool
) -> None:
    user = ACTORS[actor]
    business = _business(relation, user)
    held = ["B-decoy", business.public_id] if proof else ["B-decoy"]
    sess = {access.OWNED_KEY: held} if with_session else None
    assert access.can_share_business(user, business, sess) is expected


def test_share_rule_reads_the_session_only_when_given() -> None:
    business = _business("unclaimed")
    # the default is no session: even a holder of the proof is refused
    assert access.can_share_business(None, business) is False
    assert access.can_share_business(None, business, _session(business.public_id)) is True


@pytest.mark.parametrize(
    ("actor", "business", "shared", "expected"),
    [
        ("advisor", None, False, True),  # a new business during a visit
        ("advisor", "other", True, True),
        ("advisor", "other", False, False),
        ("advisor", "unclaimed", True, True),
        ("owner", None, False, False),
        ("owner", "own", True, False),
        ("ministry", None, False, False),
        ("admin", None, True, False),
        ("anonymous", None, False, False),
        ("none", None, False, False),
        ("deactivated_advisor", None, False, False),
        ("deactivated_advisor", "other", True, False),
    ],
)
def test_who_may_assist(actor: str, business: str | None, shared: bool, expected: bool) -> None:
    user = ACTORS[actor]
    target = None if business is None else _business(business, user)
    assert access.can_assist(user, target, shared=shared) is expected


def test_assisting_a_known_business_needs_a_share_by_default() -> None:
    assert access.can_assist(ACTORS["advisor"], _business("other")) is False
    assert access.can_assist(ACTORS["advisor"]) is True


@pytest.mark.parametrize(
    ("actor", "business", "expected"),
    [
        ("admin", None, True),
        ("admin", "other", True),
        ("owner", "own", True),  # one business's entries: its owner
        ("owner", None, False),  # the whole log: admins only
        ("owner", "other", False),
        ("owner", "unclaimed", False),
        ("advisor", "other", False),
        ("advisor", "own", False),
        ("ministry", None, False),
        ("anonymous", None, False),
        ("none", "unclaimed", False),
        ("deactivated_admin", None, False),
        ("deactivated_owner", "own", False),
    ],
)
def test_who_may_read_the_audit_log(actor: str, business: str | None, expected: bool) -> None:
    user = ACTORS[actor]
    target = None if business is None else _business(business, user)
    assert access.can_view_audit(user, target) is expected


def test_audit_log_default_is_the_whole_log() -> None:
    assert access.can_view_audit(ACTORS["owner"]) is False
    assert access.can_view_audit(ACTORS["admin"]) is True


# --------------------------------------------------------------------------------------------
# a new assessment of an existing business (no advisor: those need the database, below)


@pytest.mark.parametrize(
    ("actor", "relation", "proof", "expected"),
    [
        ("owner", "own", False, True),  # the owner's login is the proof
        ("owner", "other", False, False),
        ("owner", "other", True, True),  # …or the proof this browser holds
        ("owner", "unclaimed", True, True),
        ("owner", "unclaimed", False, False),
        ("anonymous", "unclaimed", True, True),
        ("anonymous", "unclaimed", False, False),
        ("anonymous", "other", True, True),
        ("ministry", "unclaimed", True, False),  # never, whatever the session holds
        ("national_ministry", "other", True, False),
        ("admin", "unclaimed", True, False),
        ("admin", "own", True, False),
        ("deactivated_owner", "own", False, False),
        ("deactivated_owner", "own", True, True),
        ("deactivated_advisor", "unclaimed", True, True),
        ("deactivated_advisor", "unclaimed", False, False),
    ],
)
def test_who_may_start_a_new_assessment(
    actor: str, relation: str, proof: bool, expected: bool
) -> None:
    user = ACTORS[actor]
    business = _business(relation, user)
    sess = _session("B-decoy", business.public_id) if proof else _session("B-decoy")
    # an anonymous visitor is passed as Flask-Login passes it (outside a request here)
    assert access.can_start_reassessment(sess, business, user) is expected


def test_new_assessment_outside_a_request_reads_the_session_only() -> None:
    business = _business("unclaimed")
    assert access.can_start_reassessment(_session(business.public_id), business) is True
    assert access.can_start_reassessment(_session("B-decoy"), business) is False
    assert access.can_start_reassessment({}, business) is False


@pytest.fixture()
def login_app() -> Flask:
    """A bare Flask app with Flask-Login: the request's user is whoever `login_user` signs in."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "rules-secret"
    manager = LoginManager(app)
    manager.user_loader(lambda _id: None)
    return app


def test_new_assessment_in_a_request_asks_the_signed_in_user(login_app: Flask) -> None:
    owner = ACTORS["owner"]
    mine, theirs = _business("own", owner), _business("other", owner)
    with login_app.test_request_context("/"):
        assert login_user(owner)
        assert access.can_start_reassessment({}, mine) is True
        assert access.can_start_reassessment({}, theirs) is False
    with login_app.test_request_context("/"):
        # nobody signed in: the anonymous visitor, whose proof is the session's
        assert access.can_start_reassessment({}, mine) is False
        assert access.can_start_reassessment(_session(mine.public_id), mine) is True
    with login_app.test_request_context("/"):
        assert login_user(_user(6, Role.admin))
        assert access.can_start_reassessment(_session(mine.public_id), mine) is False


# --------------------------------------------------------------------------------------------
# the owner's proofs a browser session holds


@pytest.fixture()
def secret_app() -> Iterator[Flask]:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "rules-secret"
    with app.app_context():
        yield app


def _draft(pid: str, business_pid: str = "B-1") -> Assessment:
    a = Assessment(public_id=pid)
    a.business = Business(public_id=business_pid)
    return a


def test_a_granted_draft_can_be_edited_and_its_code_read_back(secret_app: Flask) -> None:
    sess = SecureCookieSession()
    assert sess.permanent is False
    draft = _draft("A-1", "B-1")
    access.grant_draft(sess, draft, "7KQ2-M9XD-4RTB-HC3F")
    assert access.can_edit_draft(sess, draft) is True
    assert access.can_edit_draft(sess, _draft("A-2")) is False
    assert access.draft_code(sess, "A-1") == "7KQ2-M9XD-4RTB-HC3F"
    assert access.draft_code(sess, "A-2") == ""
    assert access.drafts_in_session(sess) == {"A-1": "7KQ2-M9XD-4RTB-HC3F"}
    # the grant also proves ownership of the business, and the session outlives the browser
    assert access.owned_in_session(sess) == ["B-1"]
    assert sess.permanent is True
    # the cookie holds the code sealed, never in plain text
    stored = sess[access.SESSION_KEY]["A-1"]
    assert stored.startswith("s1.")
    assert "7KQ2" not in stored
    assert list(sess[access.SESSION_KEY]) == ["A-1"]


def test_a_draft_ref_is_judged_like_the_draft(secret_app: Flask) -> None:
    sess = SecureCookieSession()
    access.grant_draft(sess, _draft("A-1"), "CODE")
    ref = DraftRef(
        id=1,
        public_id="A-1",
        status=AssessmentStatus.draft,
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        questionnaire_id="dbi-2021-sme",
    )
    assert access.can_edit_draft(sess, ref) is True


def test_the_session_keeps_the_ten_most_recent_drafts(secret_app: Flask) -> None:
    sess = SecureCookieSession()
    for n in range(10):
        access.grant_draft(sess, _draft(f"A-{n}", f"B-{n}"), f"CODE{n}")
    access.grant_draft(sess, _draft("A-0", "B-0"), "CODE0")  # opened again: now the most recent
    access.grant_draft(sess, _draft("A-10", "B-10"), "CODE10")
    held = access.drafts_in_session(sess)
    assert list(held) == [f"A-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 0, 10)]
    assert held["A-0"] == "CODE0"
    assert held["A-10"] == "CODE10"
    assert access.can_edit_draft(sess, _draft("A-1")) is False
    assert access.owned_in_session(sess) == [f"B-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 0, 10)]


def test_granting_a_draft_again_replaces_its_code(secret_app: Flask) -> None:
    sess = SecureCookieSession()
    access.grant_draft(sess, _draft("A-1"), "OLD")
    access.grant_draft(sess, _draft("A-2"), "OTHER")
    access.grant_draft(sess, _draft("A-1"), "NEW")
    assert access.drafts_in_session(sess) == {"A-2": "OTHER", "A-1": "NEW"}
    assert list(access.drafts_in_session(sess)) == ["A-2", "A-1"]


def test_revoking_a_draft_drops_that_draft_only(secret_app: Flask) -> None:
    sess = SecureCookieSession()
    access.grant_draft(sess, _draft("A-1", "B-1"), "ONE")
    access.grant_draft(sess, _draft("A-2", "B-2"), "TWO")
    access.revoke_draft(sess, _draft("A-1"))
    assert access.drafts_in_session(sess) == {"A-2": "TWO"}
    assert access.can_edit_draft(sess, _draft("A-1")) is False
    access.revoke_draft(sess, _draft("A-9"))  # not held: nothing happens
    assert access.drafts_in_session(sess) == {"A-2": "TWO"}
    # the ownership proof stays (the draft was submitted or deleted; the owner proved it)
    assert access.owned_in_session(sess) == ["B-1", "B-2"]


def test_revoking_from_an_empty_session_stores_an_empty_grant_list() -> None:
    sess: dict[str, Any] = {}
    access.revoke_draft(sess, _draft("A-1"))
    assert sess == {access.SESSION_KEY: {}}


def test_a_code_sealed_under_another_secret_key_reads_as_empty(secret_app: Flask) -> None:
    sess = SecureCookieSession()
    access.grant_draft(sess, _draft("A-1"), "7KQ2M9XD4RTBHC3F")
    secret_app.config["SECRET_KEY"] = "a new secret"
    # the grant holds, the code cannot be shown any more
    assert access.drafts_in_session(sess) == {"A-1": ""}
    assert access.draft_code(sess, "A-1") == ""
    assert access.can_edit_draft(sess, _draft("A-1")) is True


@pytest.mark.parametrize(
    "stored",
    [None, "A-1", ["A-1"], 7],
    ids=["missing", "a string", "a list", "a number"],
)
def test_a_draft_grant_list_that_is_not_a_dict_grants_nothing(
    secret_app: Flask, stored: Any
) -> None:
    sess = {} if stored is None else {access.SESSION_KEY: stored}
    assert access.drafts_in_session(sess) == {}
    assert access.draft_code(sess, "A-1") == ""
    assert access.can_edit_draft(sess, _draft("A-1")) is False


def test_an_unsealed_code_in_the_cookie_is_not_read(secret_app: Flask) -> None:
    # a cookie written by hand with the plain code: the grant stands, the code is not shown
    sess = {access.SESSION_KEY: {"A-1": "7KQ2M9XD4RTBHC3F", "A-2": ""}}
    assert access.drafts_in_session(sess) == {"A-1": "", "A-2": ""}
    assert access.draft_code(sess, "A-1") == ""
    assert access.draft_code(sess, "A-2") == ""


def test_proving_ownership_keeps_ten_businesses_most_recent_last() -> None:
    sess = SecureCookieSession()
    for n in range(10):
        access.prove_owner(sess, Business(public_id=f"B-{n}"))
    access.prove_owner(sess, Business(public_id="B-0"))  # again: moves to the end, once
    access.prove_owner(sess, Business(public_id="B-10"))
    assert access.owned_in_session(sess) == [f"B-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 0, 10)]
    assert sess.permanent is True


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, []),
        (["B-1", "B-2"], ["B-1", "B-2"]),
        ([7, "B-2"], ["7", "B-2"]),  # read as strings
        ("B-1", []),  # not a list: nothing
        ({"B-1": 1}, []),
        (("B-1",), []),
    ],
)
def test_owned_in_session(stored: Any, expected: list[str]) -> None:
    sess = {} if stored is None else {access.OWNED_KEY: stored}
    assert access.owned_in_session(sess) == expected


def test_forgetting_the_owner_proof_of_one_business() -> None:
    sess: dict[str, Any] = {access.OWNED_KEY: ["B-1", "B-2", "B-3"]}
    access.forget_owner_proof(sess, Business(public_id="B-2"))
    assert sess[access.OWNED_KEY] == ["B-1", "B-3"]
    access.forget_owner_proof(sess, Business(public_id="B-9"))
    assert sess[access.OWNED_KEY] == ["B-1", "B-3"]
    empty: dict[str, Any] = {}
    access.forget_owner_proof(empty, Business(public_id="B-1"))
    assert empty == {access.OWNED_KEY: []}


def test_session_keys_are_the_documented_cookie_names() -> None:
    # the names existing cookies carry: renaming them would drop every open grant
    assert access.SESSION_KEY == "drafts"
    assert access.OWNED_KEY == "owned"


# --------------------------------------------------------------------------------------------
# against the database: an advisor's active share, and `visible_business`


@pytest.fixture()
def shares(db: Any, make_user: Callable[..., Any]) -> SimpleNamespace:
    """Two businesses (the first claimed by `owner`), an advisor with an active share of the
    first, one whose share was revoked, one with a share of the second only, one without."""
    from sme_assess.sharing import revoke, share
    from sme_assess.survey.service import ProfileData, create_business

    def business(name: str) -> Business:
        return create_business(
            db,
            ProfileData(
                name=name,
                tax_code=None,
                business_type="household",
                province_code="79",
                industry_section="G",
                employees_band="0-10",
                revenue_band="0-3",
                capital_band="0-3",
                email=None,
            ),
        )

    w = SimpleNamespace(
        owner=make_user("owner"),
        other_owner=make_user("owner"),
        shared=make_user("advisor"),
        revoked=make_user("advisor"),
        elsewhere=make_user("advisor"),
        stranger=make_user("advisor"),
        ministry=make_user("ministry", province="79"),
        admin=make_user("admin"),
        first=business("Cửa Hàng Một"),
        second=business("Cửa Hàng Hai"),
    )
    w.first.owner_id = w.owner.id
    share(db, w.first, w.shared, by=w.owner, ip=None)
    row = share(db, w.first, w.revoked, by=w.owner, ip=None)
    db.flush()
    assert revoke(db, w.first, row.id, by=w.owner, ip=None)
    share(db, w.second, w.elsewhere, by=None, ip=None)
    db.flush()
    return w


def test_an_advisor_starts_a_new_assessment_only_with_an_active_share(
    app: Any, shares: SimpleNamespace
) -> None:
    proof = _session(shares.first.public_id, shares.second.public_id)
    with app.test_request_context("/"):
        assert access.can_start_reassessment({}, shares.first, shares.shared) is True
        # the proof of an assisted visit does not outlive it: only a share counts
        assert access.can_start_reassessment(proof, shares.first, shares.revoked) is False
        assert access.can_start_reassessment(proof, shares.first, shares.elsewhere) is False
        assert access.can_start_reassessment(proof, shares.first, shares.stranger) is False
        assert access.can_start_reassessment(proof, shares.second, shares.shared) is False
        assert access.can_start_reassessment({}, shares.second, shares.elsewhere) is True


@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        ("owner", "first", "not shared"),  # another account's share is not the owner's
        ("owner", "second", None),
        ("other_owner", "first", None),
        ("shared", "first", "shared"),
        ("shared", "second", None),
        ("revoked", "first", None),
        ("elsewhere", "first", None),
        ("elsewhere", "second", "shared"),
        ("stranger", "first", None),
        ("ministry", "first", None),
        ("admin", "first", None),
    ],
)
def test_visible_business(
    db: Any, shares: SimpleNamespace, actor: str, target: str, expected: str | None
) -> None:
    business = getattr(shares, target)
    found = access.visible_business(db, getattr(shares, actor), business.public_id)
    if expected is None:
        assert found is None
    else:
        assert found == (business, expected == "shared")


def test_visible_business_refuses_visitors_and_deactivated_accounts(
    db: Any, shares: SimpleNamespace
) -> None:
    pid = shares.first.public_id
    assert access.visible_business(db, None, pid) is None
    assert access.visible_business(db, AnonymousUserMixin(), pid) is None
    shares.shared.active = False
    shares.owner.active = False
    assert access.visible_business(db, shares.shared, pid) is None
    assert access.visible_business(db, shares.owner, pid) is None


def test_visible_business_unknown_and_overlong_ids(db: Any, shares: SimpleNamespace) -> None:
    assert access.visible_business(db, shares.owner, "no-such-business") is None
    assert access.visible_business(db, shares.owner, "") is None
    # ids are at most 32 characters (the column): a longer one is read up to there
    shares.first.public_id = "P" * 32
    db.flush()
    assert access.visible_business(db, shares.owner, "P" * 32 + "tail") == (shares.first, False)
    assert access.visible_business(db, shares.owner, "P" * 31) is None
