"""A business's page for its owner (account) and the advisors it is shared with."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from .. import access
from ..db import get_session
from ..lookups import history
from ..models import Business

bp = Blueprint("business", __name__, url_prefix="/b")


def visible(pid: str) -> tuple[Business, bool]:
    """The business if this account may see it; 404 otherwise (existence never revealed)."""
    found = access.visible_business(get_session(), current_user, pid)
    if found is None:
        abort(404)
    return found


@bp.get("/<pid>")
@login_required
def view(pid: str) -> Any:
    business, shared = visible(pid)
    return render_template(
        "business/view.html",
        business=business,
        shared=shared,
        assessments=history(get_session(), business),
    )
