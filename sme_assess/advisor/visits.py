"""Assisted assessments: an advisor fills an assessment in with the owner during a visit.

The advisor starts it for a business shared with them (`start_assisted`) or for a new business
through the owner's own start page (`mark_assisted` records the advisor on the draft). The
same phone-first pages follow. On submission (`handover`) the advisor's phone shows the
owner's handles — results link, resume code, QR — to keep (and to email when an address is
given), and asks the owner to consent to sharing. Without consent nothing stays with the
advisor: the draft grant and the owner's proof are removed from the advisor's session when the
visit ends, and without an active share no route lets the advisor back in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from .. import access, audit, registry
from ..assist import HANDOVER_KEY
from ..db import begin_write, get_session
from ..i18n import current_locale
from ..limits import client_address
from ..lookups import aware, find_by_public_id, now
from ..models import Assessment, AssessmentStatus, Business
from ..security import open_session_seal
from ..sharing import share
from ..urls import external_url


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def start_assisted(business: Business) -> Any:
    """A new draft for an existing business, linked to its latest assessment: by an advisor it
    is shared with (recorded as assisted by them), or by its owner's account."""
    from ..lookups import history
    from ..survey import service as survey

    db = get_session()
    previous = history(db, business)
    q = registry.default_questionnaire()
    begin_write(db)
    a, code = survey.start_assessment(
        db,
        business,
        q,
        ttl_days=int(current_app.config["DRAFT_TTL_DAYS"]),
        locale=current_locale(),
        previous=previous[-1] if previous else None,
    )
    if access.is_advisor(current_user):
        a.assisted_by_id = current_user.id
        audit.record(db, current_user, audit.ASSIST, a, client_address())
    db.commit()
    access.grant_draft(session, a, code)
    return redirect(url_for("survey.saved", pid=a.public_id, next=1))


def _pending(pid: str) -> tuple[Assessment, str, str]:
    """The assisted assessment being handed over in this session, with its results token and
    resume code; 404 for anything else."""
    if not access.is_advisor(current_user):
        abort(404)
    data = session.get(HANDOVER_KEY)
    if not isinstance(data, dict) or data.get("pid") != pid:
        abort(404)
    a = find_by_public_id(get_session(), pid)
    if a is None or a.status != AssessmentStatus.submitted or a.assisted_by_id != current_user.id:
        abort(404)
    if _handover_over(a):
        # the visit is long over: the owner's handles and consent are not the advisor's to use
        _end_visit(a)
        abort(404)
    secret = _secret()
    return (
        a,
        open_session_seal(data.get("token", ""), secret),
        open_session_seal(data.get("code", ""), secret),
    )


# how long after submission the hand-over page stays open on the advisor's phone (a visit)
HANDOVER_MINUTES = 120


def _handover_over(a: Assessment) -> bool:
    submitted = aware(a.submitted_at)
    return submitted is None or now() - submitted > timedelta(minutes=HANDOVER_MINUTES)


def _shared_already(a: Assessment) -> bool:
    return access.visible_business(get_session(), current_user, a.business.public_id) is not None


@login_required
def handover_page(pid: str) -> Any:
    a, token, code = _pending(pid)
    import segno

    link = external_url("survey.results", token=token) if token else ""
    qr = segno.make(link, error="m").svg_inline(scale=4, dark="#111", light="#fff") if link else ""
    return render_template(
        "advisor/handover.html",
        assessment=a,
        business=a.business,
        results_link=link,
        resume_code=code,
        qr=qr,
        shared=_shared_already(a),
        mail=request.args.get("mail"),
        consent_error=request.args.get("consent") == "missing",
    )


@login_required
def email_handles(pid: str) -> Any:
    """Email the results link and resume code to the address the owner types."""
    a, token, code = _pending(pid)
    from email_validator import EmailNotValidError, validate_email

    raw = (request.form.get("email") or "").strip()
    try:
        to = validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        return redirect(url_for("advisor.handover", pid=pid, mail="invalid"))
    from ..survey.emails import send_results_link

    sent = send_results_link(to, token, code or None, a.profile.name)
    return redirect(url_for("advisor.handover", pid=pid, mail="sent" if sent else "failed"))


@login_required
def consent(pid: str) -> Any:
    """The owner ticks the consent box on the advisor's phone: the business is shared."""
    a, _token, _code = _pending(pid)
    if request.form.get("consent") != "y":
        return redirect(url_for("advisor.handover", pid=pid, consent="missing"))
    db = get_session()
    begin_write(db)
    business = db.get(Business, a.business_id)
    assert business is not None
    share(db, business, current_user, by=audit.VISIT_CONSENT, ip=client_address())
    db.commit()
    _end_visit(a)
    return redirect(url_for("business.view", pid=business.public_id))


@login_required
def finish(pid: str) -> Any:
    """End the visit without (new) consent: nothing of the owner's stays in this session."""
    a, _token, _code = _pending(pid)
    _end_visit(a)
    return redirect(url_for("advisor.dashboard"))


def _end_visit(a: Assessment) -> None:
    session.pop(HANDOVER_KEY, None)
    access.revoke_draft(session, a)
    access.forget_owner_proof(session, a.business)
