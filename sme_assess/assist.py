"""The two hooks of an assisted visit in the owner's journey (kept below `survey` and
`advisor`, so neither imports the other): the advisor who starts a draft is recorded on it, and
the advisor who submits it is taken to the hand-over page (`advisor.handover`)."""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, url_for
from flask_login import current_user

from . import access
from .models import Assessment
from .security import seal_for_session

HANDOVER_KEY = "handover"


def mark_assisted(assessment: Assessment) -> None:
    """Called when a draft is started: an advisor starting an assessment is assisting an
    owner (the owner's start page during a visit). Sets the column; the view commits."""
    if access.is_advisor(current_user):
        assessment.assisted_by_id = current_user.id


def handover(sess: Any, a: Assessment, token: str, code: str | None) -> Any:
    """After the advisor submitted an assisted assessment: keep the owner's handles (sealed:
    the cookie is signed, not encrypted) for the hand-over page and go there; None for any
    other submission."""
    if not (
        a.assisted_by_id is not None
        and access.is_advisor(current_user)
        and a.assisted_by_id == current_user.id
    ):
        return None
    secret = str(current_app.config["SECRET_KEY"])
    sess[HANDOVER_KEY] = {
        "pid": a.public_id,
        "token": seal_for_session(token, secret),
        "code": seal_for_session(code, secret) if code else "",
    }
    return redirect(url_for("advisor.handover", pid=a.public_id))
