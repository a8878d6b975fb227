"""Sign-in with Flask-Login: the user loader, session rotation at login, logout.

`flask_login.current_user` is a `sme_assess.models.User` (roles: `Role.owner`, `advisor`,
`ministry`, `admin`) or the anonymous user; what each may do is asked of `sme_assess.access`.
A session stores `<user id>:<nonce>`; the nonce changes when the password is changed or the
account is deactivated, so such a session is anonymous from its next request on.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, session
from flask_login import LoginManager, login_user, logout_user

from ..models import User

login_manager = LoginManager()

# what survives a login or logout: the drafts this browser opened and the chosen language
# (everything else, including the CSRF secret, is dropped and the cookie rewritten)
KEEP_ON_ROTATE = ("drafts", "lang")


def rotate_session() -> None:
    """A new session for a change of privilege (prevents session fixation)."""
    kept = {k: session[k] for k in KEEP_ON_ROTATE if k in session}
    session.clear()
    session.update(kept)
    session.permanent = True


def sign_in(user: User) -> None:
    rotate_session()
    login_user(user, remember=False)


def sign_out() -> None:
    logout_user()
    rotate_session()


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # the sign-in page says what to do; no flashed message
    login_manager.login_message = ""
    # "basic": the user is reloaded and checked on every request (deactivation and password
    # changes end sessions through the nonce); no IP pinning, which logs phones out on the move
    login_manager.session_protection = "basic"

    from .. import access

    app.jinja_env.globals.update(
        role_label=role_label,
        is_advisor=access.is_advisor,
        is_owner=access.is_owner,
        is_admin=access.is_admin,
    )

    @login_manager.user_loader
    def _load(user_id: str) -> Any:
        from ..db import get_session
        from .service import load_session_user

        return load_session_user(get_session(), user_id)


def role_label(value: str) -> str:
    """The translated name of a role (templates: `role_label(user.role.value)`)."""
    from ..i18n import gettext as _

    labels = {
        "owner": _("Business owner"),
        "advisor": _("Advisor"),
        "ministry": _("Ministry"),
        "admin": _("Administrator"),
    }
    return labels.get(value, value)
