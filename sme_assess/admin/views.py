"""Admin pages: accounts (list, deactivate) and the whole audit log. Only `access.can_*`
decides; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import access, audit
from ..auth import service as accounts
from ..db import begin_write, get_session
from ..limits import client_address
from ..models import Role, User
from ..normalise import tidy

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _require_admin() -> None:
    if not access.can_admin_users(current_user):
        abort(404)


@bp.get("/users")
@login_required
def users() -> Any:
    _require_admin()
    role = request.args.get("role")
    chosen = Role(role) if role in {r.value for r in Role} else None
    return render_template(
        "admin/users.html", users=accounts.list_users(get_session(), chosen), role=chosen
    )


@bp.post("/users/<int:user_id>/deactivate")
@login_required
def deactivate(user_id: int) -> Any:
    _require_admin()
    db = get_session()
    begin_write(db)
    user = db.get(User, user_id)
    if user is None:
        abort(404)
    if user.id != current_user.id:  # an admin cannot lock themselves out by mistake
        accounts.deactivate(db, user)
        audit.record(db, current_user, audit.DEACTIVATE, user, client_address())
        db.commit()
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@login_required
def audit_log() -> Any:
    if not access.can_view_audit(current_user):
        abort(404)
    page = min(10_000, max(1, request.args.get("page", 1, type=int) or 1))
    per = 100
    action = request.args.get("action") or None
    if action is not None and action not in audit.ACTIONS:
        action = None  # an unknown action filters nothing rather than hiding everything
    text = tidy(request.args.get("q"))[:100] or None
    entries = audit.recent_entries(
        get_session(), limit=per + 1, offset=(page - 1) * per, action=action, text=text
    )
    return render_template(
        "admin/audit.html",
        entries=entries[:per],
        page=page,
        more=len(entries) > per,
        action=action,
        text=text,
    )
