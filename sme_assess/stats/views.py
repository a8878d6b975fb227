"""Ministry statistics pages: the dashboard, its downloads (CSV, XLSX, microdata CSV) and the
API tokens of the signed-in account. Only `access.can_view_stats` decides who gets in (others
get 404); a provincial account's province is applied to everything. Every download is written
to the audit log."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from .. import access, audit
from ..db import begin_write, get_session
from ..i18n import current_locale
from ..i18n import gettext as _
from ..limits import client_address
from ..refdata import provinces, sections
from . import charts, exports, presenters, tokens
from .provinces import tiles
from .tables import BREAKDOWNS, SIZES, TYPES

bp = Blueprint("stats", __name__, url_prefix="/stats")

DOWNLOAD = audit.STATS_DOWNLOAD


def _require() -> presenters.Request:
    if not access.can_view_stats(current_user):
        abort(404)
    return presenters.parse(request.args, access.stats_province_scope(current_user))


def _log(kind: str, req: presenters.Request) -> None:
    db = get_session()
    begin_write(db)
    audit.record(
        db,
        current_user,
        DOWNLOAD,
        ("statistics", kind),
        client_address(),
        detail={"filters": req.filters, "by": req.by},
    )
    db.commit()
    # the download itself only reads: on SQLite it must not hold the write lock while it streams
    g.sme_write_tx = False


def _query_args(req: presenters.Request, **extra: str) -> dict[str, str]:
    out = {d: v for d, v in req.filters.items() if d in presenters.FILTER_DIMS}
    period = next((v for d, v in req.filters.items() if d in ("year", "quarter", "month")), None)
    if period:
        out["period"] = period
    if req.scope:
        out.pop("province", None)
    return {**out, "by": req.by, **extra}


@bp.get("/")
@login_required
def dashboard() -> Any:
    req = _require()
    db = get_session()
    locale = current_locale()
    view = presenters.view_for(db, req)
    q = presenters.questionnaire_for(req.filters)
    level_names = [lv.name.get(locale) for lv in q.levels]
    header, rows = presenters.table_rows(view, q, locale)
    periods, versions = presenters.period_options(db)
    figures: dict[str, str] = {}
    if not view.refused:
        figures["levels"] = charts.levels_svg(
            view.total.levels, level_names, title=_("Businesses by overall level")
        )
        figures["pillars"] = charts.bars_svg(
            [
                (p.title.get(locale), pr.mean_percent, presenters.percent(pr.mean_percent, locale))
                for p, pr in zip(q.pillars, view.pillars, strict=True)
            ],
            title=_("Mean percentage per pillar"),
        )
        if req.by == "province":
            figures["breakdown"] = charts.tile_map_svg(
                tiles(),
                {r.key: r.share_level2 if r.n != 0 else "–" for r in view.rows},
                {p.code: p.label(locale) for p in provinces()},
                title=_("Share of businesses at level 2 or above, by province"),
            )
        elif req.by in ("year", "quarter", "month"):
            figures["breakdown"] = charts.line_svg(
                [(presenters.period_label(r.key, locale), r.share_level2) for r in view.rows],
                title=_("Share of businesses at level 2 or above over time"),
            )
        else:
            figures["breakdown"] = charts.bars_svg(
                [
                    (
                        presenters.label(req.by, r.key, locale),
                        r.share_level2,
                        presenters.percent(r.share_level2, locale) if r.n != 0 else "–",
                    )
                    for r in view.rows
                ],
                title=_("Share of businesses at level 2 or above"),
            )
    return render_template(
        "stats/dashboard.html",
        req=req,
        view=view,
        q=q,
        locale=locale,
        level_names=level_names,
        header=header,
        rows=rows,
        figures=figures,
        p=presenters,
        provinces=provinces(),
        sections=sections(),
        sizes=SIZES,
        types=TYPES,
        breakdowns=BREAKDOWNS,
        periods=periods,
        questionnaires=versions,
        args=_query_args(req),
        synthetic=view.synthetic,
        microdata_allowed=access.can_view_stats(current_user),
    )


@bp.get("/download.csv")
@login_required
def download_csv() -> Any:
    req = _require()
    locale = current_locale()
    view = presenters.view_for(get_session(), req)
    q = presenters.questionnaire_for(req.filters)
    header, rows = presenters.table_rows(view, q, locale)
    _log("csv", req)
    return Response(
        stream_with_context(exports.csv_lines(header, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="sme-stats-{req.by}.csv"'},
    )


@bp.get("/download.xlsx")
@login_required
def download_xlsx() -> Any:
    req = _require()
    data = exports.workbook(get_session(), req, current_locale())
    _log("xlsx", req)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="sme-stats.xlsx"'},
    )


@bp.get("/microdata.csv")
@login_required
def microdata() -> Any:
    req = _require()
    _log("microdata", req)
    return Response(
        stream_with_context(exports.microdata_chunks(req.scope)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="sme-microdata.csv"'},
    )


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> Any:
    _require()
    db = get_session()
    new_token = None
    if request.method == "POST":
        begin_write(db)
        revoke = request.form.get("revoke", type=int)
        if revoke:
            tokens.revoke(db, current_user, revoke)
        else:
            label = (request.form.get("label") or "").strip()[:100] or "API"
            new_token = tokens.create(db, current_user, label)
        db.commit()
        if new_token is None:
            return redirect(url_for("stats.api_tokens"))
    return render_template(
        "stats/tokens.html", tokens=tokens.of_user(db, current_user), new_token=new_token
    )
