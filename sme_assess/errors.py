"""Error pages: translated, in the site's layout, with the right status code."""

from __future__ import annotations

import logging

from flask import Flask, has_request_context, render_template
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Invalid request"),
        _l("The data sent was not valid. Nothing was changed; answers saved earlier are intact."),
    ),
    403: (_l("Access denied"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"), _l("This link does not exist or is no longer valid.")),
    405: (_l("Action not allowed"), _l("This page does not accept that action.")),
    409: (
        _l("Assessment already submitted"),
        _l(
            "This assessment has been submitted and can no longer be changed. "
            "You can start a new assessment for the same business."
        ),
    ),
    410: (
        _l("Draft expired"),
        _l(
            "This draft was kept for its full storage period and can no longer be opened. "
            "Please start a new assessment."
        ),
    ),
    413: (_l("Too much data"), _l("The data sent is larger than allowed. Nothing was changed.")),
    429: (
        _l("Too many attempts"),
        _l(
            "Too many requests came from your connection in a short time. "
            "Please wait a few minutes and try again; nothing saved was lost."
        ),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "The server ran into a problem. Saved answers are safe; "
            "please try again in a few minutes."
        ),
    ),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(code, MESSAGES[500])
    if has_request_context() and request_ctx.url_adapter is None:
        # the request could not be bound to the site (a Host outside SME_TRUSTED_HOSTS): the
        # page's links cannot be built, so the message goes out as plain text
        return escape(f"{title}. {message}"), code
    return render_template(
        "errors/error.html", code=code, title=title, message=message, detail=detail
    ), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> tuple[str, int]:
        from flask_babel import gettext

        return render_error(
            400,
            gettext(
                "The form's security token is missing or has expired. "
                "Reload the page and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        detail = exc.description if getattr(exc, "sme_detail", False) else None
        return render_error(code if code in MESSAGES else 500 if code >= 500 else 400, detail)

    @app.errorhandler(Exception)
    def _any(exc: Exception) -> tuple[str, int]:
        log.exception("unhandled error")
        return render_error(500)
