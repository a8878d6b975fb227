"""A business's page for its owner (account) and the advisors it is shared with: history with
profile snapshots, T0 → T1 comparison, the shared action plan, adopted platforms, PDF reports,
sharing (owner) and assisted assessments (advisor).

Every route loads the business through `access.visible_business` (404 for anyone else) and
asks `access` for each action; advisor views and downloads are written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required

from .. import access, audit, registry
from ..auth import service as accounts
from ..auth.forms import CONSENT_REQUIRED, SHARE_CODE_UNKNOWN, ShareForm
from ..db import begin_write, get_session
from ..i18n import current_locale
from ..i18n import gettext as _
from ..limits import client_address
from ..models import ActionStatus, Business
from ..sharing import active_shares, revoke, share
from . import service
from .charts import compare_svg
from .forms import ActionForm, ActionUpdateForm

bp = Blueprint("business", __name__, url_prefix="/b")


def visible(pid: str) -> tuple[Business, bool]:
    """The business if this account may see it; 404 otherwise (existence never revealed)."""
    found = access.visible_business(get_session(), current_user, pid)
    if found is None:
        abort(404)
    return found


@dataclass(frozen=True)
class PlanNeed:
    """One need of the latest assessment's plan: its category, why, and the platforms that
    meet it (none for "use what you have more fully"), in the plan's order."""

    category: str
    description: str
    reason: str
    platforms: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class PlanPhase:
    title: str
    needs: tuple[PlanNeed, ...]


def _recommendation_plan(latest: Any) -> list[PlanPhase]:
    """The latest assessment's 12-month plan, phase by phase and need by need, as the owner's
    results page and PDF give it (for the plan and adoption)."""
    if latest is None:
        return []
    from ..reports.service import build_report

    q = registry.get_questionnaire(latest.questionnaire_id)
    data = build_report(get_session(), latest, q, current_locale(), catalog=registry.catalog())
    phases = []
    for phase in data.phases:
        needs = tuple(
            PlanNeed(
                category=str(item.category),
                description=str(item.description),
                reason=str(item.reason),
                platforms=tuple(
                    {
                        "platform_id": str(p.platform_id),
                        "name": str(p.name),
                        "provider": str(p.provider),
                        "category": str(item.category),
                    }
                    for p in item.alternatives
                    if p.platform_id
                ),
            )
            for item in phase.items
        )
        if needs:
            phases.append(PlanPhase(title=str(phase.title), needs=needs))
    return phases


def _recommended(plan: list[PlanPhase]) -> list[dict[str, str]]:
    """Every recommended platform once, in the plan's order (for actions from a recommendation
    and adoption)."""
    out: dict[str, dict[str, str]] = {}
    for phase in plan:
        for need in phase.needs:
            for p in need.platforms:
                out.setdefault(p["platform_id"], p)
    return list(out.values())


def _render_view(
    business: Business,
    shared: bool,
    *,
    action_form: ActionForm | None = None,
    share_form: ShareForm | None = None,
    status: int = 200,
) -> Any:
    db = get_session()
    lines = service.history(db, business)
    latest = lines[0].assessment if lines else None
    owner = access.can_share_business(current_user, business)
    plan_phases = _recommendation_plan(latest)
    recommended = _recommended(plan_phases)
    adopted = service.adopted(db, business)
    return render_template(
        "business/view.html",
        business=business,
        history=lines,
        plan_phases=plan_phases,
        recommended=recommended,
        adopted=adopted,
        adopted_elsewhere=_adopted_outside(recommended, adopted),
        plan=service.plan(db, business),
        action_form=action_form or ActionForm(),
        statuses=list(ActionStatus),
        can_edit_plan=access.can_edit_plan(current_user, business, shared=shared),
        can_assist=access.can_assist(current_user, business, shared=shared),
        can_again=owner and access.can_start_reassessment(session, business, current_user),
        is_owner=owner,
        shares=active_shares(db, business) if owner else [],
        audit_entries=audit.entries_for_business(db, business, 50) if owner else [],
        share_form=share_form or ShareForm(),
    ), status


@bp.get("/<pid>")
@login_required
def view(pid: str) -> Any:
    business, shared = visible(pid)
    if access.is_advisor(current_user):
        db = get_session()
        begin_write(db)
        audit.record(db, current_user, audit.VIEW_BUSINESS, business, client_address())
        db.commit()
    return _render_view(business, shared)


@bp.get("/<pid>/compare")
@login_required
def compare(pid: str) -> Any:
    business, _shared = visible(pid)
    db = get_session()
    lines = service.history(db, business)
    if len(lines) < 2:
        abort(404)
    ids = {ln.assessment.public_id for ln in lines}
    t0 = request.args.get("from") or lines[1].assessment.public_id
    t1 = request.args.get("to") or lines[0].assessment.public_id
    if t0 not in ids or t1 not in ids:
        abort(404)
    before = service.submitted_of(db, business, t0)
    after = service.submitted_of(db, business, t1)
    assert before is not None and after is not None
    q = registry.get_questionnaire(after.questionnaire_id)
    locale = current_locale()
    cmp = service.compare(db, before, after, q, locale, {"yes": _("Yes"), "no": _("No")})
    d0 = format_day(before.submitted_at)
    d1 = format_day(after.submitted_at)
    chart = compare_svg(
        [
            (p.title, p.before_percent, p.after_percent, p.before_level, p.after_level)
            for p in cmp.pillars
        ],
        title=_("Scores by pillar: %(t0)s and %(t1)s", t0=d0, t1=d1),
        before_label=d0,
        after_label=d1,
        level_word=_("level"),
    )
    if access.is_advisor(current_user):
        begin_write(db)
        audit.record(
            db,
            current_user,
            audit.COMPARE,
            business,
            client_address(),
            detail={"from": before.public_id, "to": after.public_id},
        )
        db.commit()
    return render_template(
        "business/compare.html",
        business=business,
        history=lines,
        cmp=cmp,
        chart=chart,
        t0=before,
        t1=after,
    )


def format_day(dt: Any) -> str:
    from flask_babel import format_date

    return str(format_date(dt, "medium")) if dt else "—"


@bp.get("/<pid>/a/<apid>/report.pdf")
@login_required
def report(pid: str, apid: str) -> Response:
    business, _shared = visible(pid)
    db = get_session()
    a = service.submitted_of(db, business, apid)
    if a is None:
        abort(404)
    from ..i18n import SUPPORTED
    from ..reports.pdf import report_pdf

    lang = request.args.get("lang")
    locale = lang if lang in SUPPORTED else current_locale()
    begin_write(db)
    a = service.submitted_of(db, business, apid)
    assert a is not None
    body = report_pdf(db, a, locale)
    audit.record(db, current_user, audit.DOWNLOAD_REPORT, a, client_address())
    db.commit()
    code = "".join(ch if ch.isalnum() else "-" for ch in (a.verification_code or a.public_id))
    resp = Response(body, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="sme-assess-{code}-{locale}.pdf"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


# --- action plan and adopted platforms -------------------------------------------------------


def _editable(pid: str) -> Business:
    business, shared = visible(pid)
    if not access.can_edit_plan(current_user, business, shared=shared):
        abort(404)
    return business


def _back(pid: str, anchor: str) -> Any:
    return redirect(url_for("business.view", pid=pid) + anchor)


@bp.post("/<pid>/plan")
@login_required
def add_action(pid: str) -> Any:
    business = _editable(pid)
    form = ActionForm()
    platform_id = (form.platform_id.data or "").strip()
    if platform_id and not (form.title.data or "").strip():
        # an action from a recommendation: its title is the platform's name
        names = {r["platform_id"]: r["name"] for r in _recommended_for(business)}
        if platform_id in names:
            form.title.data = _("Start using %(name)s", name=names[platform_id])
    if not form.validate_on_submit():
        return _view_with_errors(pid, form)
    db = get_session()
    begin_write(db)
    item = service.add_action(
        db,
        business,
        current_user,
        title=form.title.data or "",
        who=(form.who.data or "").strip() or None,
        due=form.due.data,
        platform_id=(form.platform_id.data or "").strip() or None,
    )
    audit.record(db, current_user, audit.PLAN_CHANGE, item, client_address())
    db.commit()
    return _back(pid, "#plan")


def _adopted_outside(
    recommended: list[dict[str, str]], adopted: dict[str, Any]
) -> list[dict[str, str]]:
    """Platforms marked as adopted that the latest plan no longer proposes (adopted earlier,
    before the business outgrew the need), with their catalogue names."""
    catalog = registry.catalog()
    shown = {r["platform_id"] for r in recommended}
    out = []
    for platform_id in sorted(set(adopted) - shown):
        p = catalog.platform(platform_id)
        out.append(
            {
                "platform_id": platform_id,
                "name": p.name if p else platform_id,
                "provider": p.provider if p else "",
                "category": "",
            }
        )
    return out


def _recommended_for(business: Business) -> list[dict[str, str]]:
    lines = service.history(get_session(), business)
    return _recommended(_recommendation_plan(lines[0].assessment if lines else None))


def _view_with_errors(pid: str, form: ActionForm) -> Any:
    """The page again with the refused action form (422), keeping what was typed."""
    business, shared = visible(pid)
    return _render_view(business, shared, action_form=form, status=422)


@bp.post("/<pid>/plan/<int:action_id>")
@login_required
def update_action(pid: str, action_id: int) -> Any:
    business = _editable(pid)
    db = get_session()
    item = service.action_of(db, business, action_id)
    if item is None:
        abort(404)
    form = ActionUpdateForm()
    if not form.validate_on_submit():
        return _back(pid, f"#action-{action_id}")
    begin_write(db)
    item = service.action_of(db, business, action_id)
    assert item is not None
    if service.update_action(
        db,
        item,
        current_user,
        status=ActionStatus(form.status.data),
        who=(form.who.data or "").strip() or None,
        due=form.due.data,
    ):
        audit.record(db, current_user, audit.PLAN_CHANGE, item, client_address())
    db.commit()
    return _back(pid, f"#action-{action_id}")


@bp.post("/<pid>/adopted")
@login_required
def adopt(pid: str) -> Any:
    business = _editable(pid)
    platform_id = (request.form.get("platform") or "").strip()
    catalog = registry.catalog()
    known = {p.id for p in getattr(catalog, "platforms", ())}
    if platform_id not in known:
        abort(400)
    value = request.form.get("adopted") == "1"
    db = get_session()
    begin_write(db)
    if service.set_adopted(db, business, platform_id, current_user, value):
        audit.record(
            db,
            current_user,
            audit.ADOPTION,
            business,
            client_address(),
            detail={"platform": platform_id, "adopted": value},
        )
    db.commit()
    return _back(pid, "#adopted")


# --- sharing (owner) -------------------------------------------------------------------------


@bp.post("/<pid>/share")
@login_required
def share_business(pid: str) -> Any:
    business, _shared = visible(pid)
    if not access.can_share_business(current_user, business):
        abort(404)
    form = ShareForm()
    db = get_session()
    advisor = None
    if form.validate_on_submit():
        advisor = accounts.find_advisor_by_share_code(db, form.code.data or "")
        if advisor is None:
            form.code.errors = [str(SHARE_CODE_UNKNOWN)]
    elif form.consent.errors:
        form.consent.errors = [str(CONSENT_REQUIRED)]
    if advisor is None:
        return _render_view(business, _shared, share_form=form, status=422)
    begin_write(db)
    share(db, business, advisor, by=current_user, ip=client_address())
    db.commit()
    return _back(pid, "#sharing")


@bp.post("/<pid>/share/<int:share_id>/revoke")
@login_required
def revoke_share(pid: str, share_id: int) -> Any:
    business, _shared = visible(pid)
    if not access.can_share_business(current_user, business):
        abort(404)
    db = get_session()
    begin_write(db)
    if not revoke(db, business, share_id, by=current_user, ip=client_address()):
        abort(404)
    db.commit()
    return _back(pid, "#sharing")


# --- assisted assessment (advisor) -----------------------------------------------------------


@bp.post("/<pid>/assist")
@login_required
def assist(pid: str) -> Any:
    business, shared = visible(pid)
    if not access.can_assist(current_user, business, shared=shared):
        abort(404)
    from ..advisor.visits import start_assisted

    return start_assisted(business)


@bp.post("/<pid>/again")
@login_required
def again(pid: str) -> Any:
    """The owner's account starts a new assessment of the business (its history grows)."""
    business, _shared = visible(pid)
    if not (
        access.is_owner(current_user)
        and access.can_start_reassessment(session, business, current_user)
    ):
        abort(404)
    from ..advisor.visits import start_assisted

    return start_assisted(business)


# --- labels for the templates ----------------------------------------------------------------


@bp.app_template_global()
def province_name(code: str | None) -> str:
    from ..refdata import province_by_code

    p = province_by_code().get(code or "")
    return p.label(current_locale()) if p else (code or "—")


@bp.app_template_global()
def section_name(code: str | None) -> str:
    from ..refdata import section_by_code

    s = section_by_code().get(code or "")
    return s.label(current_locale()) if s else (code or "—")


@bp.app_template_global()
def size_name(value: Any) -> str:
    from ..reports.service import size_label

    return size_label(str(getattr(value, "value", value) or "")) if value else "—"


@bp.app_template_global()
def type_name(value: Any) -> str:
    from ..reports.service import business_type_label

    return business_type_label(str(getattr(value, "value", value) or "")) if value else "—"


bp.add_app_template_global(audit.actor_name, "actor_name")


@bp.app_template_global()
def status_name(value: str) -> str:
    return {
        "todo": _("To do"),
        "doing": _("In progress"),
        "done": _("Done"),
        "dropped": _("Dropped"),
    }.get(value, value)


@bp.app_template_global()
def change_text(changes: dict[str, Any]) -> str:
    """One action change in words."""
    parts = []
    if changes.get("created"):
        parts.append(_("created"))
    if "status" in changes and not changes.get("created"):
        parts.append(_("status: %(s)s", s=status_name(str(changes["status"]))))
    if "who" in changes and not changes.get("created"):
        parts.append(_("who: %(w)s", w=changes["who"] or "—"))
    if "due" in changes and not changes.get("created"):
        parts.append(_("due: %(d)s", d=changes["due"] or "—"))
    return "; ".join(parts)
