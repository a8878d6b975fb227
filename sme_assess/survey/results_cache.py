"""The immutable part of the results page, rendered once per (assessment, results link, locale).

A submitted assessment's score snapshot and profile snapshot never change, and the questionnaire
and the catalogue are fixed per process: the report data built from them, the two SVG charts, the
pillar gaps and the 12-month plan are the same on every visit. They are rendered once into two
HTML fragments (`survey/_results_summary.html`, `survey/_results_plan.html`) and kept in a bounded
in-process LRU. The peer benchmark and the history of the business change only with the
statistics summaries, so they are kept with the entry under the statistics generation read with
the assessment (`lookups.find_results`) and recomputed when it has moved (decision 0026). The
sharing panel, the CSRF token and the "submitted" notice are rendered on every request.

A visitor with no session at all (no account, no draft proof, no chosen language: someone who
opens a results link on another device) sees a page that depends only on the link, the locale,
the query string and the statistics generation; that whole page is kept too (`page`,
`keep_page`), unless rendering it wrote to the session. Measured reasons:
docs/decisions/0025-results-page-cache.md, docs/decisions/0026-statistics-generation.md.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import current_app, render_template, request
from markupsafe import Markup
from sqlalchemy.orm import Session

from .. import registry
from ..lookups import ResultsHead
from ..lru import BoundedCache
from ..models import Assessment
from ..questionnaire import Questionnaire
from ..reports.charts import FONT
from ..reports.data import ReportData
from ..reports.service import _history
from ..stats.peer import peer_view
from .presenters import results_view

#: entries kept (a page's fragments are ~25 KB: at most a few MB per worker)
MAX_ENTRIES = 256

_Key = tuple[str, str, str, Any]
# key → (the objects it was built from, checked by identity; view with its history and peers;
# the statistics generation they were read at; summary; plan)
_Entry = tuple[tuple[Any, ...], ReportData, int, Markup, Markup]
_CACHE: BoundedCache[_Key, _Entry] = BoundedCache(MAX_ENTRIES)

# whole pages for visitors without a session: key → (the objects it was built from, page)
_PageKey = tuple[str, str, str, Any, bytes, int]
_PAGES: BoundedCache[_PageKey, tuple[tuple[Any, ...], str]] = BoundedCache(MAX_ENTRIES)


def clear() -> None:
    _CACHE.clear()
    _PAGES.clear()


def _sources(q: Questionnaire | None) -> tuple[Any, ...]:
    """What a kept entry was built from: it is used only while these are the same objects."""
    return (q, registry.catalog(), current_app._get_current_object())  # type: ignore[attr-defined]


def _same(kept: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    return all(x is y for x, y in zip(kept, now, strict=True))


def results_parts(
    db: Session, a: Assessment, q: Questionnaire | None, token: str, locale: str, generation: int
) -> tuple[ReportData, Markup, Markup]:
    """The page's report data and its two cached fragments; the history and the peer benchmark
    are those of statistics generation `generation` (read in the same query as `a`)."""
    sources = _sources(q)
    key: _Key = (a.public_id, token, locale, a.submitted_at)
    hit = _CACHE.get(key)
    if hit is not None and _same(hit[0], sources):
        _built, cached, seen, summary, plan = hit
        if seen == generation:
            return cached, summary, plan
        view = dataclasses.replace(
            cached,
            history=_history(db, a),
            peers=peer_view(
                db, a, {p.id: p.title for p in cached.pillars}, locale, font_family=FONT
            ),
        )
        _CACHE.put(key, (sources, view, generation, summary, plan))
        return view, summary, plan
    view = results_view(db, a, q, locale)
    summary = Markup(render_template("survey/_results_summary.html", view=view, token=token))
    plan = Markup(render_template("survey/_results_plan.html", view=view, token=token))
    if current_app.jinja_env.auto_reload or a.profile_name is None:
        # templates reload (development), or a row without a profile snapshot (it shows the
        # business as it is now, which may change): nothing kept
        return view, summary, plan
    _CACHE.put(key, (sources, view, generation, summary, plan))
    return view, summary, plan


def page_key(head: ResultsHead, token: str, locale: str) -> _PageKey | None:
    """The key of the whole results page as a visitor without a session sees it, or None when
    it is not kept (templates reload; a row without a profile snapshot)."""
    if current_app.jinja_env.auto_reload or not head.has_profile:
        return None
    return (
        head.public_id,
        token,
        locale,
        head.submitted_at,
        request.query_string,
        head.generation,
    )


def page(key: _PageKey, q: Questionnaire | None) -> str | None:
    hit = _PAGES.get(key)
    if hit is None or not _same(hit[0], _sources(q)):
        return None
    return hit[1]


def keep_page(key: _PageKey, q: Questionnaire | None, html: str) -> None:
    _PAGES.put(key, (_sources(q), html))
