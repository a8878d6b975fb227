"""One business for its owner and its advisors: history with the profile each assessment was
made with, T0 → T1 comparison, the shared action plan and the adopted platforms.

Services take the session and only flush; the view commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    ActionChange,
    ActionItem,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Business,
    PillarResult,
    PlatformAdoption,
    User,
)
from ..questionnaire import Questionnaire, visible_question_ids


def _now() -> datetime:
    return datetime.now(UTC)


# --- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    assessment: Assessment
    assisted_by: str | None  # the advisor (name and email) when the assessment was assisted


def history(session: Session, business: Business) -> list[HistoryLine]:
    """Submitted assessments, newest first, with who assisted: one query."""
    rows = session.execute(
        select(Assessment, User.name, User.email)
        .outerjoin(User, User.id == Assessment.assisted_by_id)
        .where(
            Assessment.business_id == business.id,
            Assessment.status == AssessmentStatus.submitted,
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
    ).all()
    return [HistoryLine(r[0], _advisor_label(r[1], r[2])) for r in rows]


def _advisor_label(name: str | None, email: str | None) -> str | None:
    """ "Trần Hoa (hoa@example.vn)", or the email alone when the account has no name."""
    if email is None:
        return None
    return f"{name} ({email})" if name else email


def submitted_of(session: Session, business: Business, public_id: str) -> Assessment | None:
    """A submitted assessment of this business (anything else: None, the view answers 404)."""
    return session.scalar(
        select(Assessment).where(
            Assessment.public_id == public_id[:32],
            Assessment.business_id == business.id,
            Assessment.status == AssessmentStatus.submitted,
        )
    )


# --- comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PillarChange:
    pillar_id: str
    title: str
    before_points: int
    before_max: int
    before_level: int
    after_points: int
    after_max: int
    after_level: int

    @property
    def before_percent(self) -> float:
        return round(100 * self.before_points / self.before_max, 1) if self.before_max else 0.0

    @property
    def after_percent(self) -> float:
        return round(100 * self.after_points / self.after_max, 1) if self.after_max else 0.0

    @property
    def level_change(self) -> int:
        return self.after_level - self.before_level


@dataclass(frozen=True)
class CriterionChange:
    code: str
    title: str
    pillar_title: str
    before_level: int
    after_level: int
    before_answers: tuple[tuple[str, str], ...]  # (question, answer in words)
    after_answers: tuple[tuple[str, str], ...]


@dataclass
class Comparison:
    before: Assessment
    after: Assessment
    pillars: list[PillarChange] = field(default_factory=list)
    criteria: list[CriterionChange] = field(default_factory=list)

    @property
    def criteria_by_pillar(self) -> list[tuple[str, list[CriterionChange]]]:
        """The changed criteria grouped by pillar, in the questionnaire's order."""
        groups: dict[str, list[CriterionChange]] = {}
        for c in self.criteria:
            groups.setdefault(c.pillar_title, []).append(c)
        return list(groups.items())


def _criterion_levels(a: Assessment) -> dict[str, int]:
    snap = a.score_snapshot or {}
    out: dict[str, int] = {}
    for p in snap.get("pillars", []):
        for c in p.get("criteria", []):
            out[str(c["id"])] = int(c["level"])
    return out


def _answers_in_words(
    q: Questionnaire,
    criterion_id: str,
    answers: Mapping[str, Any],
    locale: str,
    yes_no: Mapping[str, str],
) -> tuple[tuple[str, str], ...]:
    from ..reports.data import answer_text

    crit = q.criterion(criterion_id)
    if crit is None:
        return ()
    shown = visible_question_ids(q, answers)
    return tuple(
        (qq.text.get(locale), answer_text(qq, answers[qq.id], locale, yes_no))
        for qq in crit.questions
        if qq.id in shown and answers.get(qq.id) is not None
    )


def compare(
    session: Session,
    before: Assessment,
    after: Assessment,
    q: Questionnaire | None,
    locale: str,
    yes_no: Mapping[str, str],
) -> Comparison:
    """Per-pillar points and levels of two assessments, and the criteria whose level changed
    with both answers. Pillars are matched by id (the same questionnaire family)."""
    rows = session.execute(
        select(PillarResult).where(PillarResult.assessment_id.in_([before.id, after.id]))
    ).scalars()
    by: dict[tuple[int, str], PillarResult] = {(r.assessment_id, r.pillar_id): r for r in rows}
    order = [p.id for p in q.pillars] if q else sorted({k[1] for k in by})
    out = Comparison(before, after)
    for pid in order:
        b, a = by.get((before.id, pid)), by.get((after.id, pid))
        if b is None or a is None:
            continue
        pillar = q.pillar(pid) if q else None
        out.pillars.append(
            PillarChange(
                pillar_id=pid,
                title=pillar.title.get(locale) if pillar else pid,
                before_points=b.points,
                before_max=b.max_points,
                before_level=b.level,
                after_points=a.points,
                after_max=a.max_points,
                after_level=a.level,
            )
        )
    if q is None:
        return out
    lb, la = _criterion_levels(before), _criterion_levels(after)
    ans_b = (before.score_snapshot or {}).get("answers", {})
    ans_a = (after.score_snapshot or {}).get("answers", {})
    for pillar in q.pillars:
        for comp in pillar.components:
            for crit in comp.criteria:
                if crit.id not in lb or crit.id not in la or lb[crit.id] == la[crit.id]:
                    continue
                out.criteria.append(
                    CriterionChange(
                        code=crit.code,
                        title=crit.title.get(locale),
                        pillar_title=pillar.title.get(locale),
                        before_level=lb[crit.id],
                        after_level=la[crit.id],
                        before_answers=_answers_in_words(q, crit.id, ans_b, locale, yes_no),
                        after_answers=_answers_in_words(q, crit.id, ans_a, locale, yes_no),
                    )
                )
    return out


# --- action plan ------------------------------------------------------------------------------


def _author(user: User) -> str:
    return f"{user.display_name} ({user.role.value})"


def plan(session: Session, business: Business) -> Sequence[ActionItem]:
    from sqlalchemy.orm import selectinload

    return session.scalars(
        select(ActionItem)
        .where(ActionItem.business_id == business.id)
        .options(selectinload(ActionItem.changes))
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
    ).all()


def add_action(
    session: Session,
    business: Business,
    author: User,
    *,
    title: str,
    who: str | None,
    due: date | None,
    platform_id: str | None = None,
) -> ActionItem:
    t = _now()
    item = ActionItem(
        business_id=business.id,
        title=title,
        who=who or None,
        due_date=due,
        platform_id=platform_id,
        status=ActionStatus.todo,
        created_at=t,
        updated_at=t,
    )
    session.add(item)
    session.flush()
    session.add(
        ActionChange(
            action_id=item.id,
            at=t,
            author_id=author.id,
            author_label=_author(author),
            changes={
                "created": True,
                "title": title,
                "who": who or None,
                "due": due.isoformat() if due else None,
                "status": ActionStatus.todo.value,
            },
        )
    )
    session.flush()
    return item


def action_of(session: Session, business: Business, action_id: int) -> ActionItem | None:
    return session.scalar(
        select(ActionItem).where(ActionItem.id == action_id, ActionItem.business_id == business.id)
    )


def update_action(
    session: Session,
    item: ActionItem,
    author: User,
    *,
    status: ActionStatus,
    who: str | None,
    due: date | None,
) -> bool:
    """Apply the changed fields; one timestamped change row with the author. False if nothing
    changed."""
    changes: dict[str, Any] = {}
    if item.status != status:
        changes["status"] = status.value
        item.status = status
    if (item.who or None) != (who or None):
        changes["who"] = who or None
        item.who = who or None
    if item.due_date != due:
        changes["due"] = due.isoformat() if due else None
        item.due_date = due
    if not changes:
        return False
    t = _now()
    item.updated_at = t
    session.add(
        ActionChange(
            action_id=item.id,
            at=t,
            author_id=author.id,
            author_label=_author(author),
            changes=changes,
        )
    )
    session.flush()
    return True


# --- adopted platforms ------------------------------------------------------------------------


def adopted(session: Session, business: Business) -> dict[str, PlatformAdoption]:
    rows = session.scalars(
        select(PlatformAdoption).where(PlatformAdoption.business_id == business.id)
    )
    return {r.platform_id: r for r in rows}


def set_adopted(
    session: Session, business: Business, platform_id: str, author: User, value: bool
) -> bool:
    """Mark or unmark a platform as adopted; False when it already was so."""
    row = session.scalar(
        select(PlatformAdoption).where(
            PlatformAdoption.business_id == business.id,
            PlatformAdoption.platform_id == platform_id,
        )
    )
    if value and row is None:
        session.add(
            PlatformAdoption(
                business_id=business.id,
                platform_id=platform_id,
                marked_at=_now(),
                marked_by_id=author.id,
                marked_by_label=_author(author),
            )
        )
    elif not value and row is not None:
        session.delete(row)
    else:
        return False
    session.flush()
    return True
