"""From request arguments to a statistics view, and from a view to what a person reads: labels
in the page's language, Vietnamese number formats, the rows of each table. Shared by the page,
the downloads and the API so they show the same figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import registry
from ..questionnaire import Questionnaire
from ..refdata import province_by_code, section_by_code
from . import queries
from .tables import BREAKDOWNS, SIZES, TYPES, View, build_view

SIZE_LABELS = {
    "micro": _l("Micro"),
    "small": _l("Small"),
    "medium": _l("Medium"),
    "large": _l("Large"),
}
TYPE_LABELS = {
    "enterprise": _l("Enterprise"),
    "cooperative": _l("Cooperative"),
    "household": _l("Household business"),
}
DIM_LABELS = {
    "province": _l("Province"),
    "section": _l("Industry (VSIC section)"),
    "size": _l("Size class"),
    "type": _l("Type of business"),
    "questionnaire": _l("Questionnaire version"),
    "year": _l("Year"),
    "quarter": _l("Quarter"),
    "month": _l("Month"),
}
FILTER_DIMS = ("province", "section", "size", "type", "questionnaire")


def min_cell() -> int:
    """k of the disclosure rules: `SME_STATS_MIN_CELL` (default 5, at least 2)."""
    return max(2, int(current_app.config.get("STATS_MIN_CELL", 5)))


def synthetic_mode() -> bool:
    """`SME_STATS_SYNTHETIC` on: the statistics show the synthetic data (a demonstration or
    benchmark instance), never together with real data."""
    raw = current_app.config.get("STATS_SYNTHETIC", False)
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return bool(raw)


def label(dim: str, key: str, locale: str) -> str:
    if dim == "province":
        p = province_by_code().get(key)
        return p.label(locale) if p else key
    if dim == "section":
        s = section_by_code().get(key)
        return s.label(locale) if s else key
    if dim == "size":
        return str(SIZE_LABELS.get(key, key))
    if dim == "type":
        return str(TYPE_LABELS.get(key, key))
    if dim == "questionnaire":
        qid, _, version = key.partition("@")
        return f"{qid} ({version})"
    return period_label(key, locale)


def period_label(key: str, locale: str) -> str:
    """2026-07 → "07/2026" (vi) or "Jul 2026" (en) through Babel; 2026-Q3 → "Quý 3/2026" or
    "Q3 2026"; a year as it is."""
    dim = queries.period_dim(key)
    if dim == "month":
        from datetime import date

        from babel.dates import format_date

        day = date(int(key[:4]), int(key[5:7]), 1)
        return format_date(day, "MM/yyyy" if locale == "vi" else "MMM yyyy", locale=locale)
    if dim == "quarter":
        return str(_l("Q%(quarter)s %(year)s", quarter=key[-1], year=key[:4]))
    return key


def number(n: int | None, locale: str) -> str:
    return "x" if n is None else format_decimal(n, locale=locale)


def percent(v: float | None, locale: str) -> str:
    return "x" if v is None else format_decimal(round(v, 1), format="#,##0.0", locale=locale) + " %"


@dataclass(frozen=True)
class Request:
    """A parsed statistics request: filters, breakdown, and the problems found in it."""

    filters: dict[str, str]
    by: str
    scope: str | None
    errors: list[str] = field(default_factory=list)


def parse(args: Mapping[str, str], scope: str | None) -> Request:
    """Filters from query arguments (`province`, `section`, `size`, `type`, `questionnaire`,
    `period` as 2026 / 2026-Q3 / 2026-07) and `by`. Unknown values are dropped with a message;
    a provincial account's province is always applied."""
    errors: list[str] = []
    filters: dict[str, str] = {}
    allowed = {
        "province": set(province_by_code()),
        "section": set(section_by_code()),
        "size": set(SIZES),
        "type": set(TYPES),
    }
    for dim in FILTER_DIMS:
        value = (args.get(dim) or "").strip()
        if not value:
            continue
        ok = value in allowed[dim] if dim in allowed else "@" in value and len(value) <= 100
        if ok:
            filters[dim] = value
        else:
            errors.append(
                str(_l("Unknown value for %(field)s was ignored.", field=DIM_LABELS[dim]))
            )
    period = (args.get("period") or "").strip()
    if period:
        pdim = queries.period_dim(period)
        if pdim:
            filters[pdim] = period
        else:
            errors.append(
                str(_l("A period is a year (2026), a quarter (2026-Q3) or a month (2026-07)."))
            )
    if scope:
        filters["province"] = scope
    by = args.get("by") or "province"
    if by not in BREAKDOWNS:
        errors.append(str(_l("Unknown breakdown was ignored.")))
        by = "province"
    return Request(filters, by, scope, errors)


def questionnaire_for(filters: Mapping[str, str]) -> Questionnaire:
    """The questionnaire whose pillars and levels name the columns."""
    qkey = filters.get("questionnaire")
    if qkey:
        qid, _, version = qkey.partition("@")
        q = registry.get_questionnaire(qid, version) or registry.get_questionnaire(qid)
        if q is not None:
            return q
    return registry.default_questionnaire()


def view_for(session: Any, req: Request, by: str | None = None) -> View:
    q = questionnaire_for(req.filters)
    return build_view(
        session,
        synthetic=synthetic_mode(),
        filters=req.filters,
        by=by or req.by,
        k=min_cell(),
        pillar_ids=[p.id for p in q.pillars],
    )


def period_options(session: Any) -> tuple[list[str], list[str]]:
    """Periods (years, quarters, months, newest first) and questionnaire versions in the data."""
    return queries.periods_and_versions(session, synthetic_mode())


def filter_summary(filters: Mapping[str, str], locale: str) -> list[tuple[str, str]]:
    """(field, value) pairs of the filters, for notes and captions."""
    out = []
    for dim, value in filters.items():
        out.append((str(DIM_LABELS[dim]), label(dim, value, locale)))
    return out


def table_rows(view: View, q: Questionnaire, locale: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the view's breakdown as plain values (numbers or "x"), total last."""
    header = [
        str(DIM_LABELS[view.by]),
        str(_l("Businesses assessed")),
        *[f"{_l('Level')} {lv.level}" for lv in q.levels],
        str(_l("Share at level 2 or above (%)")),
        *[f"{p.title.get(locale)} (%)" for p in q.pillars],
    ]
    rows: list[list[Any]] = []
    for row in (*view.rows, view.total):
        name = label(view.by, row.key, locale) if row.key else str(_l("Total"))
        rows.append(
            [
                name,
                _x(row.n),
                *[_x(v) for v in row.levels[: len(q.levels)]],
                _x(None if row.share_level2 is None else round(row.share_level2, 1), row.n),
                *[
                    _x(None if m is None or row.n is None else round(m, 1), row.n)
                    for m in row.pillar_means
                ],
            ]
        )
    return header, rows


def _x(v: Any, n: int | None = None) -> Any:
    """A value, "x" when suppressed, "–" for a mean or share of an empty group."""
    if v is None:
        return "–" if n == 0 else "x"
    return v
