"""Fast rendering of the advisor's dashboard.

The page is the same for every advisor but for a few slots: the account bar, the share code
and invite link, the filter values, the rows, the pager, the CSRF token and the language links.
Its shell is rendered from the template once per locale with markers in those slots, and each
request fills them in (as the question pages do, see survey/render.py). Rows are built in
Python with every label looked up once per request, not per row.

The part that comes from the database (count, rows, pager) is kept per worker under the
advisor's dashboard version (`User.dashboard_version`, raised by every change to what the list
shows: models/dashboard.py), the filters, the locale and the day; a page view then costs the
sign-in check's one query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app, render_template, url_for
from flask_babel import get_locale, ngettext
from markupsafe import Markup, escape

from ..i18n import SUPPORTED
from ..i18n import gettext as _
from ..lru import BoundedCache
from ..models import BusinessType, SizeClass
from ..refdata import provinces, sections
from ..security import csrf_token
from .service import Filters, Page, Row

SLOTS = (
    "email",
    "role",
    "share_code",
    "invite",
    "q",
    "open",
    "stale",
    "opt_province",
    "opt_section",
    "opt_size",
    "opt_type",
    "opt_level",
    "opt_sort",
    "count",
    "csv_url",
    "results",
)
_SHELLS: dict[str, str] = {}
_OPTIONS: dict[tuple[str, str], str] = {}


def _marker(name: str) -> str:
    return f"\x00{name}\x00"


def _options(kind: str, locale: str) -> str:
    """The <option>s of a filter (first: "All"), rendered once per locale."""
    key = (kind, locale)
    html = _OPTIONS.get(key)
    if html is None:
        from ..business.views import size_name, type_name

        pairs: list[tuple[str, str]]
        if kind == "province":
            pairs = [(p.code, p.label(locale)) for p in provinces()]
        elif kind == "section":
            pairs = [(s.code, s.label(locale)) for s in sections()]
        elif kind == "size":
            pairs = [(s.value, size_name(s.value)) for s in SizeClass]
        elif kind == "type":
            pairs = [(t.value, type_name(t.value)) for t in BusinessType]
        elif kind == "level":
            pairs = [(str(n), str(n)) for n in range(6)] + [("none", _("not assessed yet"))]
        else:  # sort
            pairs = [
                ("-date", _("Latest assessment, newest first")),
                ("date", _("Latest assessment, oldest first")),
                ("name", _("Name, A to Z")),
                ("-name", _("Name, Z to A")),
                ("-level", _("Level, highest first")),
                ("level", _("Level, lowest first")),
                ("province", _("Province")),
            ]
        all_label = _("All")
        first = "" if kind == "sort" else f'<option value="">{escape(all_label)}</option>'
        html = first + "".join(
            f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in pairs
        )
        if not current_app.debug:
            _OPTIONS[key] = html
    return html


def _selected(options: str, value: str) -> str:
    if not value:
        return options
    needle = f'<option value="{escape(value)}">'
    return options.replace(needle, needle[:-1] + " selected>", 1)


_LABELS: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]] = {}


def _labels(
    locale: str,
) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Province, industry-section, size-class and business-type names in `locale`, made once
    per language."""
    from ..business.views import size_name, type_name
    from ..refdata import province_by_code

    hit = _LABELS.get(locale)
    if hit is None:
        hit = (
            {code: p.label(locale) for code, p in province_by_code().items()},
            {s.code: s.label(locale) for s in sections()},
            {v.value: size_name(v.value) for v in SizeClass},
            {v.value: type_name(v.value) for v in BusinessType},
        )
        if not current_app.debug:
            _LABELS[locale] = hit
    return hit


def _rows(page: Page, locale: str) -> str:
    """The list items, with every label, the time zone and the link pattern looked up once."""
    if not page.rows:
        empty = _("No shared business matches.")
        return f"<p>{escape(empty)}</p>"
    texts = {
        "level": _("Level %(n)s"),
        "up": _("up from level %(n)s"),
        "down": _("down from level %(n)s"),
        "same": _("unchanged"),
        "none": _("not assessed yet"),
    }
    prov, secs, sizes, types = _labels(locale)

    tz, babel_locale = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]), get_locale()
    days: dict[date, str] = {}

    def day(dt: datetime) -> str:
        local = (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(tz).date()
        if local not in days:
            days[local] = format_date(local, "medium", locale=babel_locale)
        return days[local]

    link = str(escape(url_for("business.view", pid="PID")))
    out = ['<ul class="biz-list">']
    for r in page.rows:
        meta = [
            prov.get(r.province_code, r.province_code),
            secs.get(r.industry_section, r.industry_section),
            sizes.get(r.size_class, r.size_class),
            types.get(r.business_type, r.business_type),
        ]
        if r.tax_code:
            meta.append(r.tax_code)
        href = link.replace("PID", str(escape(r.public_id)))
        out.append(
            f'<li class="biz"><a class="biz-name" href="{href}">{escape(r.name)}</a>'
            f'<span class="small">{escape(" · ".join(meta))}</span><span class="biz-level">'
        )
        out.append(_level_html(r, texts, day))
        out.append("</span></li>")
    out.append("</ul>")
    return "".join(out)


def _level_html(r: Row, texts: Mapping[str, str], day: Callable[[datetime], str]) -> str:
    if r.level is None:
        return str(escape(texts["none"]))
    parts = [str(escape(texts["level"] % {"n": r.level}))]
    hidden = '<span class="visually-hidden">{}</span>'
    if r.trend == "up":
        parts.append('<span aria-hidden="true" class="trend up">↑</span>')
        parts.append(hidden.format(escape(texts["up"] % {"n": r.previous_level})))
    elif r.trend == "down":
        parts.append('<span aria-hidden="true" class="trend down">↓</span>')
        parts.append(hidden.format(escape(texts["down"] % {"n": r.previous_level})))
    elif r.trend == "same":
        parts.append('<span aria-hidden="true" class="trend">→</span>')
        parts.append(hidden.format(escape(texts["same"])))
    if r.assessed_at is not None:
        parts.append(" · " + str(escape(day(r.assessed_at))))
    return " ".join(parts)


def _pager(page: Page, f: Filters) -> str:
    if page.pages <= 1:
        return ""
    # (texts looked up outside the f-strings, where the catalogue's extractor finds them)
    pages_label, prev_label, next_label = _("Pages"), _("Previous"), _("Next")
    where = _("Page %(n)s of %(m)s", n=page.page, m=page.pages)
    out = [f'<nav class="pager" aria-label="{escape(pages_label)}">']
    if page.page > 1:
        href = url_for("advisor.dashboard", **f.args(page=page.page - 1))
        out.append(
            f'<a class="button secondary" href="{escape(href)}" rel="prev">{escape(prev_label)}</a>'
        )
    out.append(f"<span>{escape(where)}</span>")
    if page.page < page.pages:
        href = url_for("advisor.dashboard", **f.args(page=page.page + 1))
        out.append(
            f'<a class="button secondary" href="{escape(href)}" rel="next">{escape(next_label)}</a>'
        )
    out.append("</nav>")
    return "".join(out)


def listing(page: Page, f: Filters, locale: str) -> Listing:
    """The part of the dashboard that comes from the database: the count, the rows and the
    pager (kept by the view under the advisor's dashboard version)."""
    count = ngettext("%(num)d business", "%(num)d businesses", page.total)
    return Listing(str(escape(count)), _rows(page, locale) + _pager(page, f))


@dataclass(frozen=True)
class Listing:
    count_html: str
    results_html: str


_LISTINGS: BoundedCache[tuple[Any, ...], Listing] = BoundedCache(512)


def kept_listing(key: tuple[Any, ...]) -> Listing | None:
    return _LISTINGS.get(key)


def keep_listing(key: tuple[Any, ...], value: Listing) -> None:
    if not current_app.debug:
        _LISTINGS.put(key, value)


def clear_listings() -> None:
    _LISTINGS.clear()


def dashboard_page(user: Any, listed: Listing, f: Filters, invite_link: str, locale: str) -> str:
    """The dashboard's HTML for this request."""
    from ..auth import role_label

    shell = _SHELLS.get(locale)
    if shell is None:
        markers = {name: Markup(_marker(name)) for name in SLOTS}
        shell = render_template(
            "advisor/dashboard.html",
            slot=markers,
            csrf_token=lambda: Markup(_marker("csrf")),
            lang_url=lambda code: Markup(_marker("lang-" + code)),
        )
        if not current_app.debug:
            _SHELLS[locale] = shell
    lang_url: Any = current_app.jinja_env.globals["lang_url"]
    any_filter = bool(f.province or f.section or f.size or f.business_type or f.level or f.stale)
    values: Mapping[str, str] = {
        "email": str(escape(user.email)),
        "role": str(escape(role_label(user.role.value))),
        "share_code": str(escape(user.share_code or "")),
        "invite": str(escape(invite_link)),
        "q": str(escape(f.q)),
        "open": " open" if any_filter else "",
        "stale": " checked" if f.stale else "",
        "opt_province": _selected(_options("province", locale), f.province),
        "opt_section": _selected(_options("section", locale), f.section),
        "opt_size": _selected(_options("size", locale), f.size),
        "opt_type": _selected(_options("type", locale), f.business_type),
        "opt_level": _selected(_options("level", locale), f.level),
        "opt_sort": _selected(_options("sort", locale), f.sort),
        "count": listed.count_html,
        "csv_url": str(escape(url_for("advisor.export_csv", **f.args(page=None)))),
        "results": listed.results_html,
        "csrf": csrf_token(),
    }
    html = shell
    for name, value in values.items():
        html = html.replace(_marker(name), value)
    for code in SUPPORTED:
        html = html.replace(_marker("lang-" + code), str(escape(lang_url(code))))
    return html
