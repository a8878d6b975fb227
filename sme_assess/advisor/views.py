"""Advisor pages: the dashboard of shared businesses (filters, search, sort, pages, CSV), the
invite link, and the assisted visit's hand-over. Only `access` decides who may see what;
anyone else gets 404."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from .. import access, audit
from ..db import begin_write, get_session
from ..i18n import current_locale
from ..limits import client_address
from ..urls import external_url
from . import render, service, visits
from .render import dashboard_page

bp = Blueprint("advisor", __name__, url_prefix="/advisor")


def _require_advisor() -> None:
    if not access.is_advisor(current_user):
        abort(404)


@bp.get("/")
@login_required
def dashboard() -> Any:
    _require_advisor()
    f = service.Filters.from_args(request.args)
    locale = current_locale()
    user = current_user
    # the list as of this advisor's dashboard version, for these filters, in this language,
    # today (the "not reassessed for 6 months" filter moves with the calendar); the account's
    # random share code and creation time tell it from an account that reuses a deleted id
    key = (
        user.id,
        user.share_code,
        user.created_at,
        user.dashboard_version,
        f,
        locale,
        service.today(),
    )
    listed = render.kept_listing(key)
    if listed is None:
        page = service.dashboard(get_session(), user.id, f)
        listed = render.listing(page, f, locale)
        render.keep_listing(key, listed)
    invite = external_url("consent.invite", code=user.share_code or "-")
    return dashboard_page(user, listed, f, invite, locale)


@bp.get("/businesses.csv")
@login_required
def export_csv() -> Response:
    """The advisor's own list (with the dashboard's filters) as CSV, UTF-8 with BOM for Excel."""
    _require_advisor()
    f = service.Filters.from_args(request.args)
    db = get_session()
    rows = list(service.export_rows(db, current_user.id, f))
    begin_write(db)
    audit.record(
        db,
        current_user,
        audit.DOWNLOAD_CSV,
        ("advisor_list", current_user.id),
        client_address(),
        detail={"rows": len(rows)},
    )
    db.commit()

    def generate() -> Iterator[str]:
        buf = io.StringIO()
        w = csv.writer(buf)
        buf.write("\ufeff")
        w.writerow(
            [
                "name",
                "tax_code",
                "province_code",
                "industry_section",
                "size_class",
                "business_type",
                "overall_level",
                "assessed_on",
                "previous_level",
                "assessments",
            ]
        )
        for r in rows:
            w.writerow(
                [
                    _csv_safe(r.name),
                    r.tax_code or "",
                    r.province_code,
                    r.industry_section,
                    r.size_class,
                    r.business_type,
                    "" if r.level is None else r.level,
                    r.assessed_at.date().isoformat() if r.assessed_at else "",
                    "" if r.previous_level is None else r.previous_level,
                    r.assessments,
                ]
            )
            if buf.tell() > 16_384:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    resp = Response(generate(), mimetype="text/csv")
    resp.headers["Content-Disposition"] = 'attachment; filename="sme-assess-businesses.csv"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _csv_safe(text: str) -> str:
    """Keep a spreadsheet from reading a business name as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/visit")
@login_required
def visit() -> Any:
    """Start an assisted assessment for a business that is not in the list yet."""
    _require_advisor()
    return render_template("advisor/visit.html")


bp.add_url_rule(
    "/visit/<pid>/handover", view_func=visits.handover_page, methods=["GET"], endpoint="handover"
)
bp.add_url_rule(
    "/visit/<pid>/email", view_func=visits.email_handles, methods=["POST"], endpoint="email"
)
bp.add_url_rule(
    "/visit/<pid>/consent", view_func=visits.consent, methods=["POST"], endpoint="consent"
)
bp.add_url_rule("/visit/<pid>/finish", view_func=visits.finish, methods=["POST"], endpoint="finish")
