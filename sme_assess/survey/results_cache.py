"""The immutable part of the results page, rendered once per (assessment, results link, locale).

A submitted assessment's score snapshot and profile snapshot never change, and the questionnaire
and the catalogue are fixed per process: the report data built from them, the two SVG charts, the
pillar gaps and the 12-month plan are the same on every visit. They are rendered once into two
HTML fragments (`survey/_results_summary.html`, `survey/_results_plan.html`) and kept in a bounded
in-process LRU. The parts that do change — the peer benchmark, the history of the business, the
sharing panel, the CSRF token, the "submitted" notice — are computed on every request. Measured
reason: docs/decisions/0025-results-page-cache.md.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from .. import registry
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
# key → (the objects it was built from, checked by identity; view; summary; plan)
_CACHE: OrderedDict[_Key, tuple[tuple[Any, ...], ReportData, Markup, Markup]] = OrderedDict()
_LOCK = threading.Lock()


def clear() -> None:
    with _LOCK:
        _CACHE.clear()


def results_parts(
    db: Session, a: Assessment, q: Questionnaire | None, token: str, locale: str
) -> tuple[ReportData, Markup, Markup]:
    """The page's report data (history and peer benchmark fresh) and its two cached
    fragments."""
    catalog = registry.catalog()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sources = (q, catalog, app)
    key: _Key = (a.public_id, token, locale, a.submitted_at)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None and all(x is y for x, y in zip(hit[0], sources, strict=True)):
        _sources, cached, summary, plan = hit
        view = dataclasses.replace(
            cached,
            history=_history(db, a),
            peers=peer_view(
                db, a, {p.id: p.title for p in cached.pillars}, locale, font_family=FONT
            ),
        )
        return view, summary, plan
    view = results_view(db, a, q, locale)
    summary = Markup(render_template("survey/_results_summary.html", view=view, token=token))
    plan = Markup(render_template("survey/_results_plan.html", view=view, token=token))
    if app.jinja_env.auto_reload or a.profile_name is None:
        # templates reload (development), or a row without a profile snapshot (it shows the
        # business as it is now, which may change): nothing kept
        return view, summary, plan
    with _LOCK:
        _CACHE[key] = (sources, view, summary, plan)
        _CACHE.move_to_end(key)
        while len(_CACHE) > MAX_ENTRIES:
            _CACHE.popitem(last=False)
    return view, summary, plan
