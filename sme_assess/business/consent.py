"""Owners consent to share: from an advisor's invite link (`/share/<code>`) or from the results
page (`/r/<token>/share`). Both need the owner's proof for the business — the owner's account,
or this browser session's draft or resume code; a results link alone shares nothing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import access, audit
from ..auth import service as accounts
from ..auth.forms import ShareForm
from ..db import begin_write, get_session
from ..limits import client_address, limit
from ..lookups import find_by_results_token
from ..models import Business, User
from ..sharing import active_shares, owned_businesses, revoke, share

bp = Blueprint("consent", __name__)


def _owner(user: Any) -> User | None:
    return user if access.is_owner(user) else None


def _shareable(db: Any) -> list[Business]:
    """Businesses this visitor may share: their account's and those proven in this session."""
    out: dict[str, Business] = {}
    if access.is_owner(current_user):
        for b in owned_businesses(db, current_user):
            out[b.public_id] = b
    pids = [p for p in access.owned_in_session(session) if p not in out]
    if pids:
        for b in db.scalars(select(Business).where(Business.public_id.in_(pids))):
            if access.can_share_business(current_user, b, session):
                out[b.public_id] = b
    return sorted(out.values(), key=lambda b: b.name)


@bp.route("/share/<code>", methods=["GET", "POST"])
@limit("RESUME")
def invite(code: str) -> Any:
    """An advisor's invite link: the owner picks a business and consents."""
    db = get_session()
    advisor = accounts.find_advisor_by_share_code(db, code)
    if advisor is None:
        abort(404)
    businesses = _shareable(db)
    error = None
    if request.method == "POST":
        pid = request.form.get("business", "")
        chosen = next((b for b in businesses if b.public_id == pid), None)
        if chosen is None:
            abort(404)
        if request.form.get("consent") != "y":
            error = pid
        else:
            begin_write(db)
            chosen = db.scalar(select(Business).where(Business.public_id == pid))
            assert chosen is not None
            share(db, chosen, advisor, by=_owner(current_user), ip=client_address())
            db.commit()
            return render_template("business/invite.html", advisor=advisor, done=chosen)
    return render_template(
        "business/invite.html",
        advisor=advisor,
        businesses=businesses,
        error=error,
        done=None,
        code=code,
    ), (422 if error else 200)


def _results_business(token: str) -> Business:
    a = find_by_results_token(get_session(), token)
    if a is None:
        abort(404)
    if not access.can_share_business(current_user, a.business, session):
        abort(404)
    return a.business


@bp.post("/r/<token>/share")
@limit("RESULTS")
def share_from_results(token: str) -> Any:
    business = _results_business(token)
    db = get_session()
    form = ShareForm()
    advisor = None
    if form.validate_on_submit():
        advisor = accounts.find_advisor_by_share_code(db, form.code.data or "")
    if advisor is None:
        return redirect(url_for("survey.results", token=token, share="error") + "#sharing")
    begin_write(db)
    business = _results_business(token)
    share(db, business, advisor, by=_owner(current_user), ip=client_address())
    db.commit()
    return redirect(url_for("survey.results", token=token, share="done") + "#sharing")


@bp.post("/r/<token>/share/<int:share_id>/revoke")
@limit("RESULTS")
def revoke_from_results(token: str, share_id: int) -> Any:
    db = get_session()
    begin_write(db)
    business = _results_business(token)
    if not revoke(db, business, share_id, by=_owner(current_user), ip=client_address()):
        abort(404)
    db.commit()
    return redirect(url_for("survey.results", token=token, share="revoked") + "#sharing")


@bp.app_template_global()
def sharing_panel(business: Business) -> dict[str, Any] | None:
    """For the results page: who the business is shared with, when this visitor may manage
    sharing (else None: the panel only invites to sign in or use the resume code)."""
    if not access.can_share_business(current_user, business, session):
        return None
    db = get_session()
    return {
        "shares": active_shares(db, business),
        "form": ShareForm(),
        "audit": audit.entries_for_business(db, business, 20),
    }
