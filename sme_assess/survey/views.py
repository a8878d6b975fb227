"""Views of the owner's journey. Thin: parse the request, call a service, render."""

from __future__ import annotations

import logging
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .. import access, assist, lookups, registry
from ..db import begin_write, get_session, read_connection, write_connection
from ..errors import render_error
from ..i18n import current_locale
from ..i18n import gettext as _
from ..limits import limit
from ..lru import BoundedCache
from ..models import Assessment
from ..models.assessment import split_activities
from ..questionnaire import Questionnaire, visible_question_ids
from ..questionnaire.pages import (
    all_pages,
    estimate,
    neighbours,
    page_numbers,
    page_of,
    step_pages,
)
from ..refdata import province_by_code, section_by_code, size_bands
from ..reports.service import size_text
from ..scoring import missing_answers
from ..security import code_has_typo, hash_token, unseal_token
from ..urls import external_url
from . import emails, results_cache, service
from .forms import (
    ProfileForm,
    Tampered,
    answers_from_form,
    check_tampering,
    page_errors,
    page_form_class,
)
from .messages import EMAIL, EMAIL_REQUIRED, RESUME_NOT_FOUND, RESUME_TYPO
from .render import component_html, step_page

log = logging.getLogger(__name__)
bp = Blueprint("survey", __name__)


def _ttl() -> int:
    return int(current_app.config["DRAFT_TTL_DAYS"])


@bp.get("/")
def landing() -> str:
    q = registry.default_questionnaire()
    return render_template(
        "survey/landing.html",
        questionnaire=q,
        estimate=estimate(q),
        drafts=_drafts_held(),
    )


def _drafts_held() -> list[Assessment]:
    """The open drafts this browser holds (newest first), for "continue your assessment"."""
    held = access.drafts_in_session(session)
    if not held:
        return []
    db = get_session()
    out = []
    for pid in reversed(list(held)):
        a = lookups.find_by_public_id(db, pid)
        if a is not None and _closed_quietly(a) is None:
            out.append(a)
    return out


def _closed_quietly(a: Assessment) -> str | None:
    try:
        service.check_open(a)
    except (service.DraftExpired, service.AlreadySubmitted) as exc:
        return type(exc).__name__
    return None


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
        error = RESUME_TYPO if code_has_typo(code) else RESUME_NOT_FOUND
    return render_template("survey/resume.html", error=error, code=code), (404 if error else 200)


@bp.get("/resume/<code>")
@limit("RESUME")
def resume_link(code: str) -> Any:
    if request.method == "HEAD":  # link previews: a HEAD request opens nothing
        return render_template("survey/resume.html", error=None, code="")
    result = _open_by_code(code)
    if result is None:
        error = RESUME_TYPO if code_has_typo(code) else RESUME_NOT_FOUND
        return render_template("survey/resume.html", error=error, code=code), 404
    return result


def _open_by_code(code: str) -> Any:
    db = get_session()
    a = lookups.find_by_resume_code(db, code)
    if a is None:
        return None
    access.prove_owner(session, a.business)  # the resume code is the owner's proof
    if a.is_submitted:
        return _submitted_page(a, code)
    if (closed := _closed(a)) is not None:
        return closed
    access.grant_draft(session, a, code)
    return redirect(_first_open_page_url(db, a))


def _submitted_page(a: Assessment, code: str) -> Any:
    """A resume code of a submitted assessment: when it was submitted, and the results link."""
    results_url = None
    if a.results_sealed:
        token = unseal_token(a.results_sealed, code)
        if a.results_hash == hash_token(token):
            results_url = url_for("survey.results", token=token)
    return render_template(
        "survey/submitted.html",
        assessment=a,
        submitted_at=lookups.aware(a.submitted_at),
        results_url=results_url,
    )


@bp.get("/a/<pid>/continue")
def resume_draft(pid: str) -> Any:
    """ "Continue your assessment" on the home page: the first page still to answer."""
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    return redirect(_first_open_page_url(get_session(), a))


def _first_open_page_url(db: Any, a: Assessment) -> str:
    """The first page with an unanswered shown question (the last page when none)."""
    q = _questionnaire_of(a)
    answers = lookups.answers_of(db, a)
    missing = set(missing_answers(q, answers))
    pages = all_pages(q)
    for page in pages:
        if any(qq.id in missing for qq in page.questions):
            return _page_url(a.public_id, page)
    return _page_url(a.public_id, pages[-1])


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
        assist.mark_assisted(a)  # an advisor starting here assists the owner during a visit
        db.commit()
        access.grant_draft(session, a, code)
        mail = None
        if business.email:
            sent = emails.send_resume_link(business.email, code, business.name)
            mail = "sent" if sent else "failed"
        return redirect(url_for("survey.saved", pid=a.public_id, next=1, mail=mail))
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
                "activities": list(split_activities(b.activities)),
            },
        )
    else:
        form = ProfileForm(locale=locale)
        if form.validate_on_submit():
            db = get_session()
            service.apply_profile(b, _profile_data(form))
            db.commit()
            if request.args.get("return") == "check":
                return redirect(url_for("survey.check", pid=pid))
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
        page_count=len(all_pages(q)),
        estimate=estimate(q),
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
        activities=tuple(form.activities.data or ()),
    )


@bp.get("/a/<pid>/saved")
def saved(pid: str) -> Any:
    """The resume code, link and QR code (shown once after the profile, and on demand)."""
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    return _render_saved(a)


def _render_saved(
    a: Assessment, email_error: str | None = None, email: str | None = None, status: int = 200
) -> Any:
    pid = a.public_id
    code = access.drafts_in_session(session).get(pid, "")
    link = external_url("survey.resume_link", code=code)
    import segno

    qr = segno.make(link, error="m").svg_inline(
        scale=4, dark="#111", light="#fff", title=_("QR code of the resume link")
    )
    nxt = request.args.get("next", type=int)
    part = request.args.get("part", type=int) or 1
    q = _questionnaire_of(a)
    answers = lookups.answers_of(get_session(), a)
    return render_template(
        "survey/saved.html",
        assessment=a,
        code=code,
        link=link,
        qr=qr,
        next_url=(
            url_for("survey.step", pid=pid, n=nxt, **({"part": part} if part > 1 else {}))  # type: ignore[arg-type]
            if nxt
            else None
        ),
        expires_at=lookups.aware(a.expires_at),
        size_label=size_text(a.business.business_type.value, a.business.size_class.value),
        estimate=estimate(q, answers, remaining_only=True),
        mail=request.args.get("mail"),
        email=email if email is not None else (a.business.email or ""),
        email_error=email_error,
    ), status


@bp.post("/a/<pid>/email-link")
@limit("START")  # per client address, on top of the per-draft cap below
def email_link(pid: str) -> Any:
    """ "Email me this link": the resume link to the address given (kept as the contact email
    when the profile has none). At most `MAX_EMAILS_PER_DRAFT` per draft and browser."""
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    email = (request.form.get("email") or "").strip()
    if not email:
        return _render_saved(a, str(EMAIL_REQUIRED), email, 422)
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        return _render_saved(a, str(EMAIL), email, 422)
    counts = dict(session.get("emails_sent") or {})
    if counts.get(pid, 0) >= MAX_EMAILS_PER_DRAFT:
        return _render_saved(a, _("This link has been emailed too often from here."), email, 429)
    counts[pid] = counts.get(pid, 0) + 1
    session["emails_sent"] = dict(list(counts.items())[-10:])
    code = access.drafts_in_session(session).get(pid, "")
    sent = emails.send_resume_link(email, code, a.business.name)
    if sent and not a.business.email:
        a.business.email = email
        get_session().commit()
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("next", "part")}
    return redirect(url_for("survey.saved", pid=pid, mail="sent" if sent else "failed", **args))


MAX_EMAILS_PER_DRAFT = 5
SIZE_KINDS = ("employees", "revenue", "capital")


@bp.route("/a/<pid>/step/<int:n>", methods=["GET", "POST"])
@bp.route("/a/<pid>/step/<int:n>/<int:part>", methods=["GET", "POST"])
def step(pid: str, n: int, part: int = 1) -> Any:
    if request.method == "POST":
        known = _KNOWN_DRAFTS.get(pid)
        if known is not None and access.can_edit_draft(session, known):
            saved = _save_known_draft(known, n, part)
            if saved is not None:
                return saved
    with read_connection() as conn:  # reads need no ORM session; a post writes in its own
        loaded = lookups.load_draft(conn, pid)  # the draft and its answers in one query
    if loaded is None or not access.can_edit_draft(session, loaded[0]):
        abort(404)
    a, answers = loaded
    if (closed := _closed(a)) is not None:
        _KNOWN_DRAFTS.discard(pid)
        return closed
    _KNOWN_DRAFTS.put(pid, lookups.DraftKey(a.id, pid, a.questionnaire_id))
    found = _step_page(a.questionnaire_id, n, part)
    if found is None:
        abort(404)
    q, pillar, page = found
    form_cls = page_form_class(q, pillar.id)
    form = None  # on GET the page renders from the saved answers; no form object needed
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
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
            # this page's questions, and any other question of the pillar the post names
            concerned = {qq.id for qq in page.questions} | set(request.form)
            # write only what this post changes: a page saved again as it was (Back, Next)
            # costs one small UPDATE; an answer changed meanwhile on another device is kept
            # unless this post changes it too
            values = {k: v for k, v in values.items() if k in concerned and answers.get(k) != v}
            cleared = {k for k in cleared if k in concerned and k in answers}
            try:
                with write_connection() as conn:  # no ORM objects: plain statements
                    service.save_answers(conn, a, values, cleared, ttl_days=_ttl())
            except service.AlreadySubmitted:  # submitted meanwhile, from another device
                return render_error(409)
            except service.DraftExpired:
                return render_error(410)
            return redirect(_after_save(pid, q, page))
        status = 422
    context = _page_context(q, page, answers if form is None else _page_values(form, answers))
    if form is None:
        return step_page(q, page, current_locale(), answers, **context)
    return render_template(
        "survey/step.html",
        assessment=a,
        questionnaire=q,
        page=page,
        pillar=pillar,
        form=form,
        values=_page_values(form, answers),
        errors=errors,
        component_html=component_html,
        locale=current_locale(),
        **context,
    ), status


def _step_page(questionnaire_id: str, n: int, part: int) -> tuple[Questionnaire, Any, Any] | None:
    """(questionnaire, pillar, page) of step `n`, page `part`; None when there is no such page."""
    q = registry.get_questionnaire(questionnaire_id)
    if q is None or not 1 <= n <= len(q.pillars):
        return None
    parts = step_pages(q, n)
    if not 1 <= part <= len(parts):
        return None
    return q, q.pillars[n - 1], parts[part - 1]


# drafts this worker has shown, by public id: what never changes about them (decision 0031)
_KNOWN_DRAFTS: BoundedCache[str, lookups.DraftKey] = BoundedCache(4096)


def _save_known_draft(key: lookups.DraftKey, n: int, part: int) -> Any:
    """A valid answer post to a draft this worker has shown: written without reading the draft
    first. The write checks that the draft is still open (one statement on PostgreSQL), and
    an unchanged answer is not rewritten (the upsert compares). Returns the redirect, or None
    for every other case — a refused, invalid or tampered post, a draft closed or gone
    meanwhile — which `step` then handles from a fresh read, as for any post."""
    found = _step_page(key.questionnaire_id, n, part)
    if found is None:
        return None
    q, pillar, page = found
    try:
        check_tampering(request.form, pillar)
    except Tampered:
        return None
    form = page_form_class(q, pillar.id)()
    if not form.validate_on_submit() or page_errors(form, request.form):
        return None
    values, cleared = answers_from_form(form, request.form)
    concerned = {qq.id for qq in page.questions} | set(request.form)
    try:
        with write_connection() as conn:
            service.save_answers(
                conn,
                key,
                {k: v for k, v in values.items() if k in concerned},
                {k for k in cleared if k in concerned},
                ttl_days=_ttl(),
            )
    except (service.AlreadySubmitted, service.DraftExpired):
        _KNOWN_DRAFTS.discard(key.public_id)
        return None
    return redirect(_after_save(key.public_id, q, page))


def _page_context(q: Questionnaire, page: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """The progress line of a question page ("Part 3 of 6 · page 2 of 4 · questions 27–34 of
    about 93") and its bar. It depends only on the page, its numbers and the language, so it is
    made once per combination of them (`_PROGRESS`)."""
    nums = page_numbers(q, page, answers)
    key = (q.id, q.version, id(q), page.step, page.part, nums, current_locale())
    kept = _PROGRESS.get(key)
    if kept is None:
        kept = _progress(q, page, nums)
        _PROGRESS.put(key, kept)
    return dict(kept)


# (questionnaire, page, numbers, language) → the progress line's context
_PROGRESS: BoundedCache[tuple[Any, ...], dict[str, Any]] = BoundedCache(4096)


def _progress(q: Questionnaire, page: Any, nums: Any) -> dict[str, Any]:
    pages = all_pages(q)
    index = next(i for i, p in enumerate(pages, 1) if (p.step, p.part) == (page.step, page.part))
    text = _("Part %(step)s of %(steps)s", step=page.step, steps=len(q.pillars))
    if page.parts > 1:
        text += " · " + _("page %(part)s of %(parts)s", part=page.part, parts=page.parts)
    if nums.first <= nums.last:
        text += " · " + _(
            "questions %(first)s–%(last)s of about %(total)s",
            first=nums.first,
            last=nums.last,
            total=nums.total,
        )
    return {"progress_text": text, "page_index": index, "page_count": len(pages)}


def _after_save(pid: str, q: Questionnaire, page: Any) -> str:
    action = request.form.get("action", "next")
    before, after = neighbours(q, page)
    if action == "back":
        if before is not None:
            return _page_url(pid, before)
        return url_for("survey.profile", pid=pid)
    if action == "save":
        return url_for("survey.saved", pid=pid, next=page.step, part=page.part)
    if request.args.get("return") == "check":
        return url_for("survey.check", pid=pid)
    if after is not None and action == "next":
        return _page_url(pid, after)
    return url_for("survey.check", pid=pid)


def _page_url(pid: str, page: Any, **args: Any) -> str:
    if page.part == 1:
        return url_for("survey.step", pid=pid, n=page.step, **args)
    return url_for("survey.step", pid=pid, n=page.step, part=page.part, **args)


@bp.post("/a/<pid>/step/<int:n>/save")
def autosave(pid: str, n: int) -> Any:
    """Save the questions named in `touched` (a small post per change, from app.js), with the
    same checks as the page. Answers JSON: `saved` (ids) and `errors` (id → messages)."""
    with read_connection() as conn:
        loaded = lookups.load_draft(conn, pid)
    if loaded is None or not access.can_edit_draft(session, loaded[0]):
        return jsonify(error="not found"), 404
    a, answers = loaded
    try:
        service.check_open(a)
    except service.DraftExpired:
        return jsonify(error="expired", message=_("This draft has expired.")), 410
    except service.AlreadySubmitted:
        return jsonify(error="submitted", message=_("This assessment is already submitted.")), 409
    q = registry.get_questionnaire(a.questionnaire_id)
    if q is None or not 1 <= n <= len(q.pillars):
        return jsonify(error="not found"), 404
    pillar = q.pillars[n - 1]
    touched = set(request.form.getlist("touched"))
    try:
        check_tampering(request.form, pillar)
        if not touched or not touched <= {qq.id for qq in pillar.questions}:
            raise Tampered("touched names no question of this page")
    except Tampered as exc:
        log.warning("refused a tampered autosave on %s step %d: %s", pid, n, exc)
        return jsonify(error="refused"), 400
    form = page_form_class(q, pillar.id)()
    form.validate()
    # the first message per question, as the page shows it
    errors = {k: v[:1] for k, v in page_errors(form, request.form).items() if k in touched}
    values, cleared = answers_from_form(form, request.form)
    ok = touched - set(errors)
    values = {k: v for k, v in values.items() if k in ok and answers.get(k) != v}
    cleared = {k for k in cleared if k in ok and k in answers}
    if values or cleared:
        try:
            with write_connection() as conn:
                service.save_answers(conn, a, values, cleared, ttl_days=_ttl())
        except (service.AlreadySubmitted, service.DraftExpired):
            return jsonify(error="closed"), 409
    return jsonify(saved=sorted(ok), errors=errors), (422 if errors else 200)


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
        page_count=len(all_pages(q)),
        labels=_labels(current_locale()),
        band_label=_band_label(current_locale()),
        size_label=size_text(a.business.business_type.value, a.business.size_class.value),
        question_url=lambda qid: _question_url(a.public_id, q, qid),
    ), (422 if errors and missing else 200)


def _question_url(pid: str, q: Questionnaire, qid: str) -> str:
    """The page asking `qid`, coming back to the check page after saving."""
    page = page_of(q, qid)
    assert page is not None
    return _page_url(pid, page, **{"return": "check"}) + f"#q-{qid}"


def _band_label(locale: str) -> Any:
    bands = {(kind, b.id): b.label(locale) for kind in SIZE_KINDS for b in size_bands(kind)}
    return lambda kind, band_id: bands.get((kind, band_id), band_id or "—")


@bp.post("/a/<pid>/submit")
def submit(pid: str) -> Any:
    a = _open_draft(pid)
    if not isinstance(a, Assessment):
        return a
    q = _questionnaire_of(a)
    db = get_session()
    begin_write(db)
    code = access.drafts_in_session(session).get(pid)
    try:
        token = service.submit(db, a, q, resume_code=code)
    except service.AlreadySubmitted:
        return render_error(409)
    except service.Incomplete:
        db.rollback()
        return _render_check(a, q, lookups.answers_of(db, a), errors=True)
    db.commit()
    access.revoke_draft(session, a)
    mail = None
    if a.business.email:
        sent = emails.send_results_link(a.business.email, token, code, a.business.name)
        mail = "sent" if sent else "failed"
    if (handover := assist.handover(session, a, token, code)) is not None:
        return handover  # an advisor's assisted visit: the owner's handles, then consent
    return redirect(url_for("survey.results", token=token, new=1, mail=mail))


@bp.get("/r/<token>")
@limit("RESULTS")
def results(token: str) -> Any:
    locale = current_locale()
    key = None
    if not session:
        # a visitor without a session (another device, a shared link): the whole page is
        # kept; finding it takes one statement on the read-only connection
        with read_connection() as conn:
            head = lookups.results_head(conn, token)
        if head is None:
            abort(404)
        q = registry.get_questionnaire(head.questionnaire_id)
        key = results_cache.page_key(head, token, locale)
        if key is not None and (kept := results_cache.page(key, q)) is not None:
            return kept
    db = get_session()
    found = lookups.find_results(db, token)
    if found is None:
        abort(404)
    a, generation = found
    q = registry.get_questionnaire(a.questionnaire_id)
    view, summary_html, plan_html = results_cache.results_parts(db, a, q, token, locale, generation)
    html = render_template(
        "survey/results.html",
        assessment=a,
        token=token,
        view=view,
        summary_html=summary_html,
        plan_html=plan_html,
        can_again=access.can_start_reassessment(session, a.business),
        just_submitted=request.args.get("new") == "1",
    )
    if key is not None and not session and key[-1] == generation:
        # rendering it wrote nothing to the session, from the generation the key names
        results_cache.keep_page(key, q, html)
    return html


@bp.post("/r/<token>/again")
@limit("START")
def again(token: str) -> Any:
    """A new assessment for the same business, linked to this one (history). Needs the
    owner's proof (`access.can_start_reassessment`): the results link alone is read-only."""
    db = get_session()
    prev = lookups.find_by_results_token(db, token)
    if prev is None:
        abort(404)
    if not access.can_start_reassessment(session, prev.business):
        from .messages import NEED_OWNER_PROOF

        return render_error(403, str(NEED_OWNER_PROOF))
    q = registry.default_questionnaire()
    begin_write(db)
    a, code = service.start_assessment(
        db, prev.business, q, ttl_days=_ttl(), locale=current_locale(), previous=prev
    )
    db.commit()
    access.grant_draft(session, a, code)
    return redirect(url_for("survey.saved", pid=a.public_id, next=1))
