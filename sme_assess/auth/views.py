"""Sign in, sign out, an owner's account (sign-up, claiming a business). Thin views: access
through `sme_assess.access`, work through the services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from .. import access
from ..db import begin_write, get_session
from ..limits import client_address, limit_value, limiter
from ..lookups import find_by_public_id, find_by_resume_code
from ..models import Role
from ..sharing import ClaimRefused, claim, owned_overview
from . import forms, service, sign_in, sign_out

bp = Blueprint("auth", __name__)


def home_url(user: Any) -> str:
    """Where a signed-in account lands."""
    role = access.role_of(user)
    endpoint = {
        Role.advisor: "advisor.dashboard",
        Role.admin: "admin.users",
        Role.ministry: "stats.dashboard",
    }.get(role or Role.owner, "auth.account")
    if endpoint not in current_app.view_functions:
        endpoint = "auth.account"
    return url_for(endpoint)


def _safe_next(target: str | None) -> str | None:
    """Only a local path (no scheme, no host, no `//`) is followed after signing in."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return None
    return target


def _account_key() -> str:
    return "account:" + service.normalise_email(request.form.get("email", ""))[:254]


def _failed(resp: Any) -> bool:
    return bool(resp.status_code != 302)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    limit_value("LOGIN"), scope="login", methods=["POST"], deduct_when=_failed
)  # per address
@limiter.limit(
    limit_value("LOGIN"),
    key_func=_account_key,
    scope="login_account",
    methods=["POST"],
    deduct_when=_failed,
)  # per account, whatever the address
def login() -> Any:
    form = forms.LoginForm()
    error = None
    if form.validate_on_submit():
        db = get_session()
        begin_write(db)
        user = service.authenticate(db, form.email.data or "", form.password.data or "")
        if user is not None:
            db.commit()
            sign_in(user)
            return redirect(_safe_next(request.args.get("next")) or home_url(user))
        db.rollback()
        error = forms.LOGIN_FAILED
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout() -> Any:
    sign_out()
    return redirect(url_for("survey.landing"))


@bp.route("/account/register", methods=["GET", "POST"])
def register() -> Any:
    """An owner creates an account (email + password) to keep their businesses together."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = forms.RegisterForm()
    if form.validate_on_submit():
        db = get_session()
        begin_write(db)
        try:
            user = service.create_user(
                db, email=form.email.data or "", role=Role.owner, password=form.password.data
            )
        except service.AccountError:
            db.rollback()
            form.email.errors = [str(forms.EMAIL_TAKEN)]
        else:
            db.commit()
            sign_in(user)
            return redirect(url_for("auth.account"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.get("/account")
@login_required
def account() -> Any:
    if not access.is_owner(current_user):
        return redirect(home_url(current_user))
    return _render_account(forms.ClaimForm(), None)


def _render_account(form: forms.ClaimForm, error: Any, status: int = 200) -> Any:
    db = get_session()
    claimable = []
    for pid in access.drafts_in_session(session):
        a = find_by_public_id(db, pid)
        if a is not None and a.business.owner_id is None:
            claimable.append(a)
    return render_template(
        "auth/account.html",
        businesses=owned_overview(db, current_user),
        claimable=claimable,
        form=form,
        error=error,
    ), status


@bp.post("/account/claim")
@login_required
@limiter.limit(limit_value("RESUME"), scope="resume")  # a lookup by resume code
def claim_business() -> Any:
    """Claim with proof: a draft's resume code, or a draft this browser session has open. A
    results link alone never claims."""
    if not access.is_owner(current_user):
        abort(404)
    db = get_session()
    pid = request.form.get("draft")
    form = forms.ClaimForm()
    if pid:
        a = find_by_public_id(db, pid)
        if a is None or not access.can_edit_draft(session, a):
            abort(404)
    elif form.validate_on_submit():
        a = find_by_resume_code(db, form.code.data or "")
        if a is None:
            return _render_account(form, forms.CLAIM_NOT_FOUND, 422)
    else:
        return _render_account(form, None, 422)
    begin_write(db)
    try:
        business = claim(db, current_user, a, ip=client_address())
    except ClaimRefused:
        db.rollback()
        return _render_account(form, forms.CLAIM_NOT_FOUND, 422)
    db.commit()
    return redirect(url_for("business.view", pid=business.public_id))
