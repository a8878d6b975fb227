"""Languages: Vietnamese by default, English second.

Locale choice: explicit (?lang= or the language switch, remembered in the session) → user profile
(when accounts exist) → the browser's Accept-Language → `vi`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale

SUPPORTED = ("vi", "en")

#: Written-out dates: Vietnamese "30 tháng 11 năm 2026" (CLDR's long form has a comma, "30
#: tháng 11, 2026", which reads as English); the same pattern in pages, emails and the PDF.
LONG_DATE = {"vi": "d 'tháng' M 'năm' y"}


def format_long_date(value: Any, format: str | None = None) -> str:
    """Flask-Babel's `format_date`, with the Vietnamese long pattern above for "long"."""
    if format == "long":
        format = LONG_DATE.get(current_locale(), "long")
    return str(format_date(value, format))


def select_locale() -> str:
    lang = request.args.get("lang")
    if lang in SUPPORTED:
        session["lang"] = lang
        return lang
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return str(chosen)
    best = request.accept_languages.best_match(SUPPORTED)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    loc = get_locale()
    return str(loc.language) if loc is not None else "vi"


def init_i18n(app: Flask) -> None:
    from .paths import TRANSLATIONS_DIR

    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    app.jinja_env.globals.update(
        current_locale=current_locale,
        format_date=format_long_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        SUPPORTED_LOCALES=SUPPORTED,
    )

    @app.template_global()
    def lang_url(code: str) -> str:
        """This page's URL with `lang` set, keeping its other query parameters."""
        from urllib.parse import urlencode

        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        return f"{request.path}?{urlencode([*args, ('lang', code)])}"
