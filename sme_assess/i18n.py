"""Languages: Vietnamese by default, English second.

Locale choice: explicit (?lang= or the language switch, remembered in the session) → user profile
(when accounts exist) → the browser's Accept-Language → `vi`.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask, current_app, g, request, session
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
)

SUPPORTED = ("vi", "en")

#: Written-out dates: Vietnamese "30 tháng 11 năm 2026" (CLDR's long form has a comma, "30
#: tháng 11, 2026", which reads as English); the same pattern in pages, emails and the PDF.
LONG_DATE = {"vi": "d 'tháng' M 'năm' y"}


def translations() -> Any:
    """The current locale's message catalogue: Flask-Babel's `get_translations()`, kept on the
    request's Babel context beside the locale it is for, so that each of a page's few dozen
    messages costs one look-up instead of Flask-Babel's chain of context and locale look-ups.
    Inside `force_locale` (emails, PDFs in the owner's language) the locale object differs, so
    the catalogue is looked up again."""
    ns = getattr(g, "_flask_babel", None)
    if ns is not None:
        kept = getattr(ns, "sme_translations", None)
        if kept is not None and kept[0] is getattr(ns, "babel_locale", None):
            return kept[1]
    found = get_translations()
    ns = getattr(g, "_flask_babel", None)
    if ns is not None and getattr(ns, "babel_locale", None) is not None:
        ns.sme_translations = (ns.babel_locale, found)
    return found


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's `gettext` (same result), through `translations()`."""
    text = str(translations().ugettext(string))
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return str(translations().ungettext(singular, plural, num)) % variables


def format_long_date(value: Any, format: str | None = None) -> str:
    """Flask-Babel's `format_date`, with the Vietnamese long pattern above for "long"."""
    if format == "long":
        format = LONG_DATE.get(current_locale(), "long")
    return str(format_date(value, format))


def select_locale() -> Locale:
    """The request's language: `?lang=`, then the one chosen before (session), then the
    browser's preference, then the default. Returned as one of a few parsed `Locale` objects,
    which Flask-Babel takes as they are (no parsing on every request)."""
    lang = request.args.get("lang") if request.query_string else None
    if lang in SUPPORTED:
        session["lang"] = lang
        return _locale(lang)
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return _locale(str(chosen))
    best = (
        request.accept_languages.best_match(SUPPORTED)
        if request.headers.get("Accept-Language")
        else None
    )
    return _locale(best or current_app.config["BABEL_DEFAULT_LOCALE"])


_LOCALES: dict[str, Locale] = {}


def _locale(name: str) -> Locale:
    found = _LOCALES.get(name)
    if found is None:
        found = _LOCALES[name] = Locale.parse(name)
    return found


def current_locale() -> str:
    loc = get_locale()
    return str(loc.language) if loc is not None else "vi"


def init_i18n(app: Flask) -> None:
    from .paths import TRANSLATIONS_DIR

    Babel(
        app,
        # Flask-Babel passes what it gets to `Locale.parse`, which returns a Locale as it is
        locale_selector=select_locale,  # type: ignore[arg-type]
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
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
