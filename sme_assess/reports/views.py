"""PDF download and the public verification page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from .. import registry
from ..db import get_session
from ..i18n import SUPPORTED, current_locale
from ..limits import limit
from ..lookups import find_by_results_token
from ..models import Assessment, AssessmentStatus
from ..security import normalise_code
from ..urls import external_url

bp = Blueprint("reports", __name__)


@bp.get("/r/<token>/report.pdf")
@limit("RESULTS")
def pdf(token: str) -> Response:
    from .pdf import cached_report, report_pdf

    db = get_session()
    lang = request.args.get("lang")
    locale = lang if lang in SUPPORTED else current_locale()
    hit = cached_report(db, token, locale)  # one query, no ORM objects
    if hit is not None:
        code, body = hit
    else:
        a = find_by_results_token(db, token)
        if a is None:
            abort(404)
        code = a.verification_code or a.public_id
        body = report_pdf(db, a, locale)
        db.commit()  # a freshly rendered report was added to the cache
    safe = "".join(ch if ch.isalnum() else "-" for ch in (code or ""))
    resp = Response(body, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="sme-assess-{safe}-{locale}.pdf"'
    resp.headers["Cache-Control"] = "no-store"  # a private report: no cache keeps it
    return resp


def find_by_verification_code(code: str) -> Assessment | None:
    norm = normalise_code(code or "")
    if not 8 <= len(norm) <= 20:
        return None
    formatted = "-".join(norm[i : i + 4] for i in range(0, len(norm), 4))
    return get_session().scalar(
        select(Assessment).where(
            Assessment.verification_code == formatted,
            Assessment.status == AssessmentStatus.submitted,
        )
    )


def _verify_code_given() -> bool:
    return bool((request.view_args or {}).get("code") or request.args.get("code"))


@bp.get("/verify")
@bp.get("/verify/<code>")
@limit("VERIFY", exempt_when=lambda: not _verify_code_given())
def verify(code: str | None = None) -> Any:
    """Public: for a valid code, the business name, date, overall and pillar levels — nothing
    else. For anything else, the same "not found" page."""
    code = code or request.args.get("code", "")
    if not code:
        return render_template("reports/verify.html", found=None, code="")
    a = find_by_verification_code(code)
    if a is None:
        return render_template("reports/verify.html", found=False, code=code), 404
    q = registry.get_questionnaire(a.questionnaire_id)
    locale = current_locale()
    snap = a.score_snapshot or {}
    pillars = []
    for p in snap.get("pillars", []):
        qp = q.pillar(p["id"]) if q else None
        pillars.append(
            {
                "title": qp.title.get(locale) if qp else p["id"],
                "level": p["level"],
                "level_name": q.level(p["level"]).name.get(locale) if q else "",
            }
        )
    overall = a.overall_level or 0
    return render_template(
        "reports/verify.html",
        found=True,
        code=a.verification_code,
        business_name=a.profile.name,
        submitted_at=a.submitted_at,
        overall_level=overall,
        overall_name=q.level(overall).name.get(locale) if q else "",
        pillars=pillars,
        framework=f"{a.questionnaire_id} v{a.questionnaire_version}",
        self_url=external_url("reports.verify", code=a.verification_code),
    )
