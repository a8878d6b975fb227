"""Advisor pages. Only `access` decides who may see what; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from .. import access

bp = Blueprint("advisor", __name__, url_prefix="/advisor")


def _require_advisor() -> None:
    if not access.is_advisor(current_user):
        abort(404)


@bp.get("/")
@login_required
def dashboard() -> Any:
    _require_advisor()
    return render_template("advisor/dashboard.html")
