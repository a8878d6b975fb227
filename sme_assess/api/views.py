"""`/api/v1/stats`: the dashboard's figures as JSON, for ministry accounts with an API token
(`Authorization: Bearer smes_…`, created on /stats/tokens). The same disclosure-controlled view
as the page: a suppressed value is `null` and listed in `suppressed`. Every call is audit-logged.
The OpenAPI description is at `/api/v1/openapi.json`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from .. import access, audit
from ..db import get_session
from ..i18n import current_locale
from ..limits import client_address
from ..stats import presenters, tokens
from ..stats.tables import BREAKDOWNS, Row
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _row(row: Row, pillar_ids: tuple[str, ...], by: str, locale: str) -> dict[str, Any]:
    return {
        "key": row.key or None,
        "label": presenters.label(by, row.key, locale) if row.key else None,
        "n": row.n,
        "levels": list(row.levels),
        "share_level2_percent": None if row.share_level2 is None else round(row.share_level2, 1),
        "pillar_mean_percent": {
            pid: None if m is None or row.n is None else round(m, 1)
            for pid, m in zip(pillar_ids, row.pillar_means, strict=True)
        },
        "suppressed": row.n is None,
    }


def _error(status: int, message: str) -> Any:
    resp = jsonify({"error": message})
    resp.status_code = status
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="sme-assess statistics"'
    return resp


@bp.get("/stats")
def stats() -> Any:
    db = get_session()
    user = tokens.user_for(db, request.headers.get("Authorization"))
    if user is None:
        return _error(401, "a valid API token is required (Authorization: Bearer …)")
    if not access.can_view_stats(user):
        return _error(403, "this account may not read statistics")
    req = presenters.parse(request.args, access.stats_province_scope(user))
    if req.errors:
        return _error(400, "; ".join(req.errors))
    locale = current_locale()
    view = presenters.view_for(db, req)
    audit.record(
        db,
        user,
        audit.STATS_API,
        ("statistics", "api"),
        client_address(),
        detail={"filters": req.filters, "by": req.by},
    )
    db.commit()
    q = presenters.questionnaire_for(req.filters)
    return jsonify(
        {
            "filters": view.filters,
            "by": view.by,
            "breakdowns": list(BREAKDOWNS),
            "synthetic": view.synthetic,
            "min_cell": view.k,
            "refused": view.refused,
            "levels": [{"level": lv.level, "name": lv.name.get(locale)} for lv in q.levels],
            "total": _row(view.total, view.pillar_ids, view.by, locale),
            "pillars": [
                {
                    "pillar_id": pr.pillar_id,
                    "n": pr.n,
                    "mean_percent": None if pr.mean_percent is None else round(pr.mean_percent, 1),
                    "levels": list(pr.levels),
                }
                for pr in view.pillars
            ],
            "rows": [_row(r, view.pillar_ids, view.by, locale) for r in view.rows],
        }
    )


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(spec())
