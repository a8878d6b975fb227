"""Views of the owner's journey. Thin: parse the request, call a service, render."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from .. import access, lookups, registry
from ..db import begin_write, get_session, read_connection
from ..errors import render_error
from ..i18n import current_locale
from ..limits import limit
from ..models import Assessment
from ..questionnaire import Questionnaire, visible_question_ids
from ..refdata import province_by_code, section_by_code
from ..scoring import missing_answers
from ..urls import external_url
from . import service
from .forms import (
    ProfileForm,
    Tampered,
    answers_from_form,
    check_tampering,
    page_errors,
    page_form_class,
)
from .messages import RESUME_NOT_FOUND
from .presenters import results_view
from .render import component_html, step_page

log = logging.getLogger(__name__)
bp = Blueprint("survey", __name__)


def _ttl() -> int:
    return int(current_app.config["DRAFT_TTL_DAYS"])


@bp.get("/")
def landing() -> str:
    q = registry.default_questionnaire()
    return render_template("survey/landing.html", questionnaire=q)


@bp.route("/resume", methods=["GET", "POST"])
@limit("RESUME", methods=["POST"])
def resume_form() -> Any:
    """The resume-code form (CSRF is checked for every POST by CSRFProtect)."""
    error = None
    code = ""
    if request.method == "POST":
        code = (request.form.get("code") or "").strip()
        result = _open_by_code(code)
        if result is not None:
            return result
        error = RESUME_NOT_FOUND
    return render_template("survey/resume.html", error=error, code=code), (404 if error else 200)


@bp.get("/resume/<code>")
@limit("RESUME")
def resume_link(code: str) -> Any:
    result = _open_by_code(code)
    if result is None:
        return render_template("survey/resume.html", error=RESUME_NOT_FOUND, code=code), 404
    return result


def _open_by_code(code: str) -> Any:
    db = get_session()
    a = lookups.find_by_resume_code(db, code)
    if a is None:
        return None
    if (closed := _closed(a)) is not None:
        return closed
    access.grant_draft(session, a, code)
    return redirect(url_for("survey.step", pid=a.public_id, n=_first_open_step(db, a)))


def _first_open_step(db: Any, a: Assessment) -> int:
    q = _questionnaire_of(a)
    answers = lookups.answers_of(db, a)
    missing = set(missing_answers(q, answers))
    for i, p in enumerate(q.pillars, start=1):
        if any(qq.id in missing for qq in p.questions):
            return i
    return len(q.pillars)


def _questionnaire_of(a: Assessment) -> Questionnaire:
    q = registry.get_questionnaire(a.questionnaire_id)
    if q is None:
        abort(404)
    return q


def _draft(pid: str) -> Assessment:
    """The draft `pid` if this session may edit it; 404 otherwise (never reveal existence)."""
    a = lookups.find_by_public_id(get_session(), pid)
    if a is None or not access.can_edit_draft(session, a):
        abort(404)
    return a


def _closed(a: Any) -> tuple[str, int] | None:
    """The error page for a draft that can no longer be edited (expired: 410, submitted: 409),
    or None while it is open."""
    try:
        service.check_open(a)
    except service.DraftExpired:
        return render_error(410)
    except service.AlreadySubmitted:
        return render_error(409)
    return None


def _open_draft(pid: str) -> Assessment | tuple[str, int]:
    a = _draft(pid)
    return _closed(a) or a


def _labels(locale: str) -> dict[str, Any]:
    return {"province": province_by_code(), "section": section_by_code(), "locale": locale}


@bp.route("/start", methods=["GET", "POST"])
@limit("START", methods=["POST"])
def start() -> Any:
    """Step 1 for a new business: the profile. Creates the business and the draft."""
    locale = current_locale()
    form = ProfileForm(locale=locale)
    q = registry.default_questionnaire()
    if form.validate_on_submit():
        db = get_session()
        business = service.create_business(db, _profile_data(form))
        a, code = service.start_assessment(db, business, q, ttl_days=_ttl(), locale=locale)
        db.commit()
        access.grant_draft(session, a, code)
        return redirect(url_for("survey.saved", pid=a.public_id, next=1))
    return _render_profile(form, q, None)


@bp.route("/a/<pid>/profile", methods=["GET", "POST"])
def profile(pid: str) -> Any:
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    q = _questionnaire_of(a)
    b = a.business
    locale = current_locale()
    if request.method == "GET":
        form = ProfileForm(
            locale=locale,
            data={
                "name": b.name,
                "business_type": b.business_type.value,
                "tax_code": b.tax_code or "",
                "province": b.province_code,
                "industry": b.industry_section,
                "employees": b.employees_band,
                "revenue": b.revenue_band,
                "capital": b.capital_band,
                "email": b.email or "",
            },
        )
    else:
        form = ProfileForm(locale=locale)
        if form.validate_on_submit():
            db = get_session()
            service.apply_profile(b, _profile_data(form))
            db.commit()
            return redirect(url_for("survey.step", pid=pid, n=1))
    return _render_profile(form, q, a)


def _render_profile(form: ProfileForm, q: Questionnaire, a: Assessment | None) -> Any:
    """Step 1, new or editing; a refused post (CSRF is checked before any view) is a 422."""
    status = 422 if request.method == "POST" else 200
    return render_template(
        "survey/profile.html",
        form=form,
        questionnaire=q,
        assessment=a,
        step=1,
        steps=len(q.pillars) + 1,
    ), status


def _profile_data(form: ProfileForm) -> service.ProfileData:
    return service.ProfileData(
        name=form.name.data or "",
        tax_code=form.tax_code.data or None,
        business_type=form.business_type.data or "",
        province_code=form.province.data or "",
        industry_section=form.industry.data or "",
        employees_band=form.employees.data or "",
        revenue_band=form.revenue.data or "",
        capital_band=form.capital.data or "",
        email=(form.email.data or "").strip() or None,
    )


@bp.get("/a/<pid>/saved")
def saved(pid: str) -> Any:
    """The resume code, link and QR code (shown once after the profile, and on demand)."""
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    code = access.drafts_in_session(session).get(pid, "")
    link = external_url("survey.resume_link", code=code)
    import segno

    qr = segno.make(link, error="m").svg_inline(
        scale=4, dark="#111", light="#fff", title=_("QR code of the resume link")
    )
    nxt = request.args.get("next", type=int)
    from ..reports.service import size_label

    return render_template(
        "survey/saved.html",
        assessment=a,
        code=code,
        link=link,
        qr=qr,
        next_step=nxt,
        expires_at=lookups.aware(a.expires_at),
        size_label=size_label(a.business.size_class.value),
    )


@bp.route("/a/<pid>/step/<int:n>", methods=["GET", "POST"])
def step(pid: str, n: int) -> Any:
    with read_connection() as conn:  # reads need no ORM session; a post writes in its own
        loaded = lookups.load_draft(conn, pid)  # the draft and its answers in one query
    if loaded is None or not access.can_edit_draft(session, loaded[0]):
        abort(404)
    a, answers = loaded
    if (closed := _closed(a)) is not None:
        return closed
    q = registry.get_questionnaire(a.questionnaire_id)
    if q is None or not 1 <= n <= len(q.pillars):
        abort(404)
    pillar = q.pillars[n - 1]
    form_cls = page_form_class(q, pillar.id)
    form = None  # on GET the page renders from the saved answers; no form object needed
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        db = get_session()
        try:
            check_tampering(request.form, pillar)
        except Tampered as exc:
            log.warning("refused a tampered answer post on %s step %d: %s", pid, n, exc)
            return render_error(400)
        form = form_cls()
        valid = form.validate_on_submit()
        errors = page_errors(form, request.form)
        if valid and not errors:
            values, cleared = answers_from_form(form, request.form)
            # write only what this post changes: a page saved again as it was (Back, Next)
            # costs one small UPDATE; an answer changed meanwhile on another device is kept
            # unless this post changes it too
            values = {k: v for k, v in values.items() if answers.get(k) != v}
            cleared = {k for k in cleared if k in answers}
            begin_write(db)
            try:
                service.save_answers(db, a, values, cleared, ttl_days=_ttl())
            except service.AlreadySubmitted:  # submitted meanwhile, from another device
                return render_error(409)
            except service.DraftExpired:
                return render_error(410)
            db.commit()
            return redirect(_after_save(pid, n, len(q.pillars)))
        status = 422
    else:
        return step_page(
            q, pillar, n, current_locale(), answers, step=n + 1, steps=len(q.pillars) + 1
        )
    return render_template(
        "survey/step.html",
        assessment=a,
        questionnaire=q,
        pillar=pillar,
        n=n,
        form=form,
        values=_page_values(form, answers),
        errors=errors,
        step=n + 1,
        steps=len(q.pillars) + 1,
        component_html=component_html,
        locale=current_locale(),
    ), status


def _after_save(pid: str, n: int, pages: int) -> str:
    action = request.form.get("action", "next")
    if action == "back":
        if n > 1:
            return url_for("survey.step", pid=pid, n=n - 1)
        return url_for("survey.profile", pid=pid)
    if action == "save":
        return url_for("survey.saved", pid=pid, next=n)
    if request.args.get("return") == "check":
        return url_for("survey.check", pid=pid)
    if n < pages and action == "next":
        return url_for("survey.step", pid=pid, n=n + 1)
    return url_for("survey.check", pid=pid)


def _page_values(form: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """What the inputs show: the posted values when re-showing a refused post, else the saved
    answers."""
    if form is None:
        return answers
    values = dict(answers)
    for qid, q in form.questions.items():
        if q.type == "number":
            data: Any = form[qid].data
        elif q.type == "multiple":
            data = request.form.getlist(qid)
        else:
            data = request.form.get(qid)
        if data not in (None, "", []):
            values[qid] = data
    return values


@bp.get("/a/<pid>/check")
def check(pid: str) -> Any:
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    q = _questionnaire_of(a)
    answers = lookups.answers_of(get_session(), a)
    return _render_check(a, q, answers, errors=False)


def _render_check(a: Assessment, q: Questionnaire, answers: dict[str, Any], errors: bool) -> Any:
    missing = missing_answers(q, answers)
    return render_template(
        "survey/check.html",
        assessment=a,
        questionnaire=q,
        answers=answers,
        shown=visible_question_ids(q, answers),
        missing=missing,
        show_errors=errors,
        step=len(q.pillars) + 1,
        steps=len(q.pillars) + 1,
        labels=_labels(current_locale()),
    ), (422 if errors and missing else 200)


@bp.post("/a/<pid>/submit")
def submit(pid: str) -> Any:
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    q = _questionnaire_of(a)
    db = get_session()
    begin_write(db)
    try:
        token = service.submit(db, a, q)
    except service.AlreadySubmitted:
        return render_error(409)
    except service.Incomplete:
        db.rollback()
        return _render_check(a, q, lookups.answers_of(db, a), errors=True)
    db.commit()
    access.revoke_draft(session, a)
    return redirect(url_for("survey.results", token=token, new=1))


@bp.get("/r/<token>")
@limit("RESULTS")
def results(token: str) -> Any:
    db = get_session()
    a = lookups.find_by_results_token(db, token)
    if a is None:
        abort(404)
    q = registry.get_questionnaire(a.questionnaire_id)
    view = results_view(db, a, q, current_locale())
    return render_template(
        "survey/results.html",
        assessment=a,
        token=token,
        view=view,
        just_submitted=request.args.get("new") == "1",
    )


@bp.post("/r/<token>/again")
@limit("START")
def again(token: str) -> Any:
    """A new assessment for the same business, linked to this one (history)."""
    db = get_session()
    prev = lookups.find_by_results_token(db, token)
    if prev is None:
        abort(404)
    q = registry.default_questionnaire()
    begin_write(db)
    a, code = service.start_assessment(
        db, prev.business, q, ttl_days=_ttl(), locale=current_locale(), previous=prev
    )
    db.commit()
    access.grant_draft(session, a, code)
    return redirect(url_for("survey.saved", pid=a.public_id, next=1))
