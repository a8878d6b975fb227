"""Scores + profile + catalogue → a 12-month plan of needs, each with 2–4 platforms
(pure: no Flask, no DB). The rules, stated once (constants below; pinned by the unit tests and
by the plan-quality set in ``tests/plans``):

**Gaps.** A criterion is a gap when the owner answered it (we never recommend on something the
owner did not tell us), it is not an advanced technology the business does not need yet
(`Catalog.is_later`), and either its level is ≤ `GAP_LEVEL` (2) or it is one of its pillar's
`pulled_down` criteria with a level below `STRONG_LEVEL` (4). Gap weight = points lost × pillar
weight + pillar shortfall (pillar weight = pillar max / total max; shortfall = 1 − pillar points /
pillar max); a pulled-down criterion weighs ×5/4. Exact fractions, so ties are real ties.

**Which needs.** A category is considered only when it fits the business (`fits`: business
type, size, VSIC section, activity) and the owner answered its primary criterion (the first of
its ``criteria``). At the category's ``good_level`` (default 4) or above the business has what
the category offers: nothing is proposed. At level 1 … good_level − 1 it has such a tool but
uses it little: the plan says "use what you have more fully" (kind ``use_more``) and sells
nothing. At level 0 a new product is proposed (kind ``new``). Either way at least one of the
category's criteria must be a gap. Categories sharing a ``need`` are alternatives: the plan
keeps one per need, the first that fits in catalogue order, and says which others it set aside
(one product switch per need at most).

**Order.** Tier 0: new ``starter`` categories when the starter rule covers the business (a
household or micro firm at overall level ≤ 1); tier 1: new basics the rules expect of this
business (``basic_for``) and the industry's core system (``core_for``); tier 2: the rest,
including every "use what you have more fully". Within a tier,
quick wins first: score = gain × relevance × ease, where gain = w₁ + w₂/2 + w₃/3 … over the
gap weights of the category's gap criteria (heaviest first), relevance that of its primary
criterion for this business (`Catalog.relevance_of`), ease = `EFFORT_EASE` × `COST_EASE` (the
cheapest platform that suits; "use more" counts as quick and free). Ties by category id (a
category is a need, not a vendor). Prerequisites (``requires``) come before the category that
needs them. A prerequisite at level 0 is a gap itself, so it is in the plan whenever it fits; at
level 1 or more the business has it already.

**Phases** "0-3", "3-6", "6-12" (months). At most `PER_PHASE` (3) actions start in a phase.
An action goes in the earliest phase with room that is not before its prerequisites' phase and
not before its earliest phase: the category's ``phase`` key, else "3-6" for ``effort: project``
outside tier 0–1, else "0-3". What does not fit in 12 months is `Plan.later`.

**Alternatives.** A new product is shown as 2–4 platforms that suit the business (size, VSIC
section, business type), in this stated order — never a ranking of quality: verified offers
first; then platforms made for the business's industry (its VSIC section listed explicitly);
then a shuffle fixed per business (SHA-256 of the seed and the platform id), so no vendor wins
by the order of ids. (Suitability already covers size and business type.)

**Expected gain.** The pillar of the heaviest gap criteria is recomputed with those criteria at
their target max(`TARGET_LEVEL` (3), level + 1), by the scoring rule itself
(`sme_assess.scoring.levels.pillar_level`) — a recomputation, not an estimate.

**Texts.** `MESSAGES` holds every sentence (vi and en); the subject of a reason is the action.
A reason cites only answers the owner was shown (visible questions with an answer).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from ..questionnaire.model import (
    DEFAULT_LOCALE,
    AnswerValue,
    LocalText,
    Question,
    Questionnaire,
    visible_question_ids,
)
from ..scoring import ScoreResult
from ..scoring.levels import pillar_level
from .catalog import PHASES, Catalog, Category, Platform, Profile

TARGET_LEVEL = 3
GAP_LEVEL = 2
STRONG_LEVEL = 4
PER_PHASE = 3
MIN_ALTERNATIVES = 2
MAX_ALTERNATIVES = 4
PULLED_DOWN_FACTOR = Fraction(5, 4)
EFFORT_EASE = {"quick": 3, "medium": 2, "project": 1}
#: by `Cost.rank`: free_public, free_trial, paid/unknown
COST_EASE = (3, 2, 1)
#: how many criteria a reason cites (the heaviest first); `triggered_by` lists them all
MAX_CITED = 2
PHASE_MONTHS: dict[str, tuple[int, int]] = {"0-3": (0, 3), "3-6": (3, 6), "6-12": (6, 12)}

Kind = Literal["starter", "basic", "core", "gap", "use_more"]

#: Every sentence of a reason, per locale. The subject is the action or the platform.
MESSAGES: dict[str, dict[str, str]] = {
    "vi": {
        "yes": "Có",
        "no": "Không",
        "cite": "Bạn trả lời “{answer}” cho câu hỏi về “{criterion}”",
        "cite_question": "Bạn trả lời “{answer}” cho câu hỏi “{question}”",
        "cite_join": "; ",
        "starter": (
            "{action} là bước đầu miễn phí, hợp với hộ kinh doanh và doanh nghiệp siêu nhỏ "
            "mới bắt đầu chuyển đổi số."
        ),
        "basic": (
            "{action} là việc cơ bản mà quy định về thuế, hóa đơn và thủ tục điện tử "
            "yêu cầu, nên làm sớm."
        ),
        "core": "{action}: đây là phần mềm chính của các cơ sở cùng ngành, nên làm sớm.",
        "gap": (
            "{action} giúp trụ cột “{pillar}” (hiện ở mức {level_before} – "
            "{level_before_name}) tiến lên."
        ),
        "use_more": ("Bạn đã có công cụ cho việc này nên chưa cần mua sản phẩm mới: {use_more}"),
        "gain": (
            " Khi các tiêu chí liên quan đạt ít nhất mức {target}, trụ cột “{pillar}” có thể "
            "lên mức {level_after} – {level_after_name}."
        ),
        "after": " Làm sau bước {prerequisites}.",
        "one_per_need": (
            " Với nhu cầu “{need}”, kế hoạch chọn {category} thay vì {others}: mỗi nhu cầu "
            "chỉ một sản phẩm, để dữ liệu không phải chuyển hai lần."
        ),
        "or": " hoặc ",
    },
    "en": {
        "yes": "Yes",
        "no": "No",
        "cite": "You answered “{answer}” on “{criterion}”",
        "cite_question": "You answered “{answer}” to “{question}”",
        "cite_join": "; ",
        "starter": (
            "{action} is a free first step for household and micro businesses that are just "
            "starting."
        ),
        "basic": (
            "{action} is a basic that tax, invoicing and e-filing rules expect, so it comes early."
        ),
        "core": (
            "{action}: this is the core software of businesses in your line of work, so it comes "
            "early."
        ),
        "gap": (
            "{action} helps the “{pillar}” pillar (now at level {level_before} – "
            "{level_before_name}) move up."
        ),
        "use_more": "You already have a tool for this, so no new product is needed: {use_more}",
        "gain": (
            " If the related criteria reach at least level {target}, the “{pillar}” pillar "
            "could rise to level {level_after} – {level_after_name}."
        ),
        "after": " Do this after {prerequisites}.",
        "one_per_need": (
            " For “{need}”, the plan picks {category} rather than {others}: one product per "
            "need, so your data moves only once."
        ),
        "or": " or ",
    },
}


def _messages(locale: str) -> dict[str, str]:
    return MESSAGES.get(locale, MESSAGES[DEFAULT_LOCALE])


def _text_all(key: str) -> LocalText:
    return LocalText.of({loc: m[key] for loc, m in MESSAGES.items()})


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- result objects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionGap:
    """One weak criterion (see the module docstring for the rule and the weight)."""

    criterion_id: str
    code: str
    pillar_id: str
    level: int
    target_level: int
    weight: Fraction
    pulled_down: bool


@dataclass(frozen=True)
class TriggerAnswer:
    """One of the owner's answers (to a question the owner was shown) behind an action."""

    question_id: str
    criterion_id: str
    question_text: LocalText
    answer_text: LocalText
    #: the criterion's short title: a detail question ("How often?") needs it as context
    criterion_title: LocalText
    is_yes_no: bool = False

    def question(self, locale: str = DEFAULT_LOCALE) -> str:
        return self.question_text.get(locale)

    def answer(self, locale: str = DEFAULT_LOCALE) -> str:
        return self.answer_text.get(locale)

    def criterion(self, locale: str = DEFAULT_LOCALE) -> str:
        return self.criterion_title.get(locale)

    def to_dict(self, locale: str) -> dict[str, str]:
        return {
            "question": self.question_id,
            "criterion": self.criterion_id,
            "criterion_title": self.criterion(locale),
            "question_text": self.question(locale),
            "answer_text": self.answer(locale),
        }


@dataclass(frozen=True)
class PillarGain:
    """Pillar points and level now, and if the gap criteria rose to their target levels."""

    pillar_id: str
    points_before: int
    points_after: int
    max_points: int
    level_before: int
    level_after: int
    #: the lowest target level among the criteria raised (each: max(3, level + 1))
    target_level: int

    @property
    def points(self) -> int:
        return self.points_after - self.points_before

    def to_dict(self) -> dict[str, Any]:
        return {
            "pillar": self.pillar_id,
            "points": self.points,
            "points_before": self.points_before,
            "points_after": self.points_after,
            "max_points": self.max_points,
            "level_before": self.level_before,
            "level_after": self.level_after,
            "target_level": self.target_level,
        }


@dataclass(frozen=True)
class Reason:
    """The structured content of a reason, in every locale (render with `render_reason`)."""

    kind: Kind
    citations: tuple[TriggerAnswer, ...]
    action: LocalText
    category_name: LocalText
    use_more: LocalText | None
    pillar_title: LocalText
    level_before: int
    level_before_name: LocalText
    level_after: int
    level_after_name: LocalText
    target_level: int
    #: actions planned before this one that it needs
    prerequisites: tuple[LocalText, ...] = ()
    need_name: LocalText | None = None
    #: other categories of the same need, set aside
    set_aside: tuple[LocalText, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    """One action of the plan: a need (category), and for a new product its alternatives."""

    rank: int
    category: Category
    kind: Kind
    #: 2–4 platforms in the stated order (empty for "use what you have more fully")
    alternatives: tuple[Platform, ...]
    gap_criteria: tuple[str, ...]
    triggered_by: tuple[TriggerAnswer, ...]
    reason: str
    reason_data: Reason
    gains: tuple[PillarGain, ...]
    phase: str
    score: Fraction

    @property
    def gain(self) -> PillarGain:
        """The gain of the main pillar (an action always touches at least one)."""
        return self.gains[0]

    @property
    def platform(self) -> Platform | None:
        """The first alternative (None for "use what you have more fully")."""
        return self.alternatives[0] if self.alternatives else None


@dataclass(frozen=True)
class Phase:
    id: str
    start_month: int
    end_month: int
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class Plan:
    questionnaire_id: str
    questionnaire_version: str
    catalog_version: str
    profile: Profile
    locale: str
    phases: tuple[Phase, ...]
    gaps: tuple[CriterionGap, ...]
    #: categories that did not fit in the 12 months, in plan order
    later: tuple[Category, ...] = ()

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        return tuple(r for ph in self.phases for r in ph.recommendations)

    def categories(self) -> tuple[str, ...]:
        return tuple(r.category.id for r in self.recommendations)


# --- the engine --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What one `recommend` call looks up many times, computed once for the business."""

    profile: Profile
    catalog: Catalog
    activities: frozenset[str]
    fits: Mapping[str, bool]
    prereqs: Mapping[str, tuple[Category, ...]]
    platforms: Mapping[str, tuple[Platform, ...]]
    seed: str

    @classmethod
    def of(cls, profile: Profile, catalog: Catalog, seed: str) -> _Context:
        acts = catalog.activities_of(profile)
        by_id = {c.id: c for c in catalog.categories}
        prereqs = {
            c.id: tuple(
                by_id[pre.category]
                for pre in c.requires
                if pre.category in by_id and pre.fit.matches(profile, acts)
            )
            for c in catalog.categories
        }
        platforms: dict[str, list[Platform]] = {}
        for pf in catalog.platforms:
            if pf.suits(profile):
                platforms.setdefault(pf.category, []).append(pf)
        return cls(
            profile=profile,
            catalog=catalog,
            activities=acts,
            fits={c.id: c.fits.matches(profile, acts) for c in catalog.categories},
            prereqs=prereqs,
            platforms={k: tuple(v) for k, v in platforms.items()},
            seed=seed,
        )


@dataclass(frozen=True)
class _Action:
    category: Category
    kind: Kind
    tier: int
    covered: tuple[str, ...]
    score: Fraction
    alternatives: tuple[Platform, ...]
    set_aside: tuple[Category, ...] = ()


def recommend(
    questionnaire: Questionnaire,
    result: ScoreResult,
    answers: Mapping[str, AnswerValue],
    profile: Profile,
    catalog: Catalog,
    *,
    locale: str = DEFAULT_LOCALE,
    seed: str | None = None,
) -> Plan:
    """Turn a score into a phased plan of needs (rules: module docstring).

    `result` must come from scoring `answers` against `questionnaire` (ValueError otherwise).
    `seed` fixes the shuffle of alternatives per business (default: the profile's fields).
    Texts are rendered in `locale` (unknown locales fall back to Vietnamese).
    """
    if result.questionnaire_id != questionnaire.id:
        raise ValueError(
            f"score of {result.questionnaire_id!r} does not belong to {questionnaire.id!r}"
        )
    if seed is None:
        seed = "|".join(
            (
                profile.size_class,
                profile.industry_section,
                profile.business_type,
                profile.province_code or "",
                *profile.activities,
            )
        )
    ctx = _Context.of(profile, catalog, seed)
    order = {c.id: i for i, c in enumerate(questionnaire.criteria)}
    gaps = _find_gaps(questionnaire, result, ctx)
    starter = catalog.starter.matches(profile, result.overall_level)

    actions: dict[str, _Action] = {}
    chosen_need: dict[str, str] = {}
    for cat in catalog.categories:
        action = _consider(cat, questionnaire, result, gaps, ctx, starter)
        if action is None:
            continue
        need = cat.need or cat.id
        if need in chosen_need:
            continue  # one category per need: the first that fits, in catalogue order
        chosen_need[need] = cat.id
        actions[cat.id] = action
    for need, cid in chosen_need.items():
        others = tuple(
            c
            for c in catalog.categories
            if (c.need or c.id) == need and c.id != cid and ctx.fits[c.id]
        )
        if others and actions[cid].kind != "use_more":  # a tool in use is no product choice
            a = actions[cid]
            actions[cid] = _Action(**{**a.__dict__, "set_aside": others})

    ranked = sorted(actions.values(), key=lambda a: (a.tier, -a.score, a.category.id))
    sequence: list[_Action] = []
    emitted: set[str] = set()

    def emit(a: _Action, stack: tuple[str, ...]) -> None:
        if a.category.id in emitted or a.category.id in stack:
            return
        for pre in ctx.prereqs[a.category.id]:
            if pre.id in actions:
                emit(actions[pre.id], (*stack, a.category.id))
        sequence.append(a)
        emitted.add(a.category.id)

    for a in ranked:
        emit(a, ())

    slots: list[list[tuple[int, _Action]]] = [[] for _ in PHASES]
    phase_of: dict[str, int] = {}
    later: list[Category] = []
    for rank, a in enumerate(sequence, start=1):
        start = _earliest_phase(a)
        for pre in ctx.prereqs[a.category.id]:
            start = max(start, phase_of.get(pre.id, 0))
        for index in range(start, len(PHASES)):
            if len(slots[index]) < PER_PHASE:
                slots[index].append((rank, a))
                phase_of[a.category.id] = index
                break
        else:
            later.append(a.category)

    visible = visible_question_ids(questionnaire, answers)
    planned = set(phase_of)
    phases = []
    for phase_id, placed in zip(PHASES, slots, strict=True):
        recs = tuple(
            _build(
                questionnaire,
                result,
                answers,
                visible,
                gaps,
                a,
                rank,
                phase_id,
                locale,
                ctx,
                planned,
            )
            for rank, a in placed
        )
        start_m, end_m = PHASE_MONTHS[phase_id]
        phases.append(Phase(phase_id, start_m, end_m, recs))
    return Plan(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        catalog_version=catalog.version,
        profile=profile,
        locale=locale,
        phases=tuple(phases),
        gaps=tuple(sorted(gaps.values(), key=lambda g: (-g.weight, order[g.criterion_id]))),
        later=tuple(later),
    )


def _primary(category: Category, questionnaire: Questionnaire) -> str | None:
    for cid in category.criteria:
        if questionnaire.criterion(cid) is not None:
            return cid
    return None


def _consider(
    cat: Category,
    questionnaire: Questionnaire,
    result: ScoreResult,
    gaps: Mapping[str, CriterionGap],
    ctx: _Context,
    starter: bool,
) -> _Action | None:
    if not ctx.fits[cat.id]:
        return None
    profile, catalog = ctx.profile, ctx.catalog
    primary = _primary(cat, questionnaire)
    if primary is None:
        return None
    ps = result.criterion(primary)
    if not ps.answered or ps.level >= cat.good_level:
        return None
    listed = list(cat.criteria)
    covered = sorted(
        (c for c in listed if c in gaps), key=lambda c: (-gaps[c].weight, listed.index(c))
    )
    if not covered:
        return None
    gap_weight = sum((gaps[c].weight / i for i, c in enumerate(covered, 1)), Fraction(0))
    acts = ctx.activities
    kind: Kind
    alternatives: tuple[Platform, ...] = ()
    if ps.level > 0:
        kind = "use_more"
        cost_rank = 0
    else:
        alternatives = _alternatives(cat, ctx)
        if not alternatives:
            return None
        cost_rank = min(p.cost.rank for p in alternatives)
        if cat.starter and starter:
            kind = "starter"
        elif cat.is_basic_for(profile):
            kind = "basic"
        elif cat.core_for is not None and cat.core_for.matches(profile, acts):
            kind = "core"
        else:
            kind = "gap"
    tier = {"starter": 0, "basic": 1, "core": 1}.get(kind, 2)
    effort = "quick" if kind == "use_more" else cat.effort
    ease = EFFORT_EASE[effort] * COST_EASE[cost_rank]
    score = gap_weight * catalog.relevance_of(primary, profile, acts) * ease
    return _Action(cat, kind, tier, tuple(covered), score, alternatives)


def _alternatives(cat: Category, ctx: _Context) -> tuple[Platform, ...]:
    """2–4 suitable platforms in the stated order (see the module docstring)."""
    section, seed = ctx.profile.industry_section, ctx.seed

    def key(p: Platform) -> tuple[int, int, str]:
        shuffle = hashlib.sha256(f"{seed}|{p.id}".encode()).hexdigest()
        return (
            0 if p.verified else 1,
            0 if p.targets_industry(section) else 1,
            shuffle,
        )

    suitable = sorted(ctx.platforms.get(cat.id, ()), key=key)
    return tuple(suitable[:MAX_ALTERNATIVES])


def _target(level: int, max_level: int) -> int:
    return min(max_level, max(TARGET_LEVEL, level + 1))


def _find_gaps(
    questionnaire: Questionnaire, result: ScoreResult, ctx: _Context
) -> dict[str, CriterionGap]:
    gaps: dict[str, CriterionGap] = {}
    total = result.max_total or 1
    for ps in result.pillars:
        pillar_weight = Fraction(ps.max_points, total)
        shortfall = Fraction(ps.max_points - ps.points, ps.max_points or 1)
        pulled = set(ps.pulled_down)
        for cs in ps.criteria:
            crit = questionnaire.criterion(cs.criterion_id)
            if crit is None or not cs.answered:
                continue
            if ctx.catalog.is_later(cs.criterion_id, ctx.profile, ctx.activities):
                continue
            is_pulled = cs.criterion_id in pulled
            if not (cs.level <= GAP_LEVEL or (is_pulled and cs.level < STRONG_LEVEL)):
                continue
            weight = cs.lost * pillar_weight + shortfall
            if is_pulled:
                weight *= PULLED_DOWN_FACTOR
            gaps[cs.criterion_id] = CriterionGap(
                criterion_id=cs.criterion_id,
                code=cs.code,
                pillar_id=ps.pillar_id,
                level=cs.level,
                target_level=_target(cs.level, crit.max_level),
                weight=weight,
                pulled_down=is_pulled,
            )
    return gaps


def _earliest_phase(a: _Action) -> int:
    if a.category.phase is not None:
        return PHASES.index(a.category.phase)
    if a.kind != "use_more" and a.category.effort == "project" and a.tier >= 2:
        return 1
    return 0


def _build(
    questionnaire: Questionnaire,
    result: ScoreResult,
    answers: Mapping[str, AnswerValue],
    visible: frozenset[str],
    gaps: Mapping[str, CriterionGap],
    a: _Action,
    rank: int,
    phase: str,
    locale: str,
    ctx: _Context,
    planned: set[str],
) -> Recommendation:
    cat = a.category
    pillar_order = [p.id for p in questionnaire.pillars]
    by_pillar: dict[str, list[str]] = {}
    for cid in a.covered:
        by_pillar.setdefault(gaps[cid].pillar_id, []).append(cid)
    touched = sorted(
        by_pillar,
        key=lambda p: (
            -sum((gaps[c].weight for c in by_pillar[p]), Fraction(0)),
            pillar_order.index(p),
        ),
    )
    gains = tuple(_gain(questionnaire, result, p, by_pillar[p], gaps) for p in touched)

    triggers: list[TriggerAnswer] = []
    cited: list[TriggerAnswer] = []
    # the primary criterion first: it says whether the business has such a tool
    primary = _primary(cat, questionnaire)
    assert primary is not None  # `_consider` keeps only categories with an answered primary
    cite_from = [primary, *(c for c in a.covered if c != primary)]
    for cid in cite_from:
        crit_triggers = _triggers(questionnaire, cid, answers, visible)
        triggers.extend(crit_triggers)
        if crit_triggers and len(cited) < MAX_CITED:
            cited.append(crit_triggers[-1])  # the most specific answer of the criterion

    main = gains[0]  # an action covers at least one gap criterion, so touches a pillar
    pillar = questionnaire.pillar(main.pillar_id)
    assert pillar is not None  # gaps come from this questionnaire's pillars
    lb, la, target = main.level_before, main.level_after, main.target_level
    prereqs = tuple(p.action_text() for p in ctx.prereqs[cat.id] if p.id in planned)
    need = ctx.catalog.need(cat.need)
    reason = Reason(
        kind=a.kind,
        citations=tuple(cited),
        action=cat.action_text(),
        category_name=cat.name,
        use_more=cat.use_more,
        pillar_title=pillar.title,
        level_before=lb,
        level_before_name=questionnaire.level(lb).name,
        level_after=la,
        level_after_name=questionnaire.level(la).name,
        target_level=target,
        prerequisites=prereqs,
        need_name=need.name if need else None,
        set_aside=tuple(c.name for c in a.set_aside),
    )
    return Recommendation(
        rank=rank,
        category=cat,
        kind=a.kind,
        alternatives=a.alternatives,
        gap_criteria=a.covered,
        triggered_by=tuple(triggers),
        reason=render_reason(reason, locale),
        reason_data=reason,
        gains=gains,
        phase=phase,
        score=a.score,
    )


def _gain(
    questionnaire: Questionnaire,
    result: ScoreResult,
    pillar_id: str,
    criteria: Sequence[str],
    gaps: Mapping[str, CriterionGap],
) -> PillarGain:
    ps = result.pillar(pillar_id)
    level_points = questionnaire.scoring.level_points
    added = 0
    for cid in criteria:
        crit = questionnaire.criterion(cid)
        assert crit is not None  # gaps only hold criteria of this questionnaire
        added += (gaps[cid].target_level - gaps[cid].level) * crit.multiplier * level_points
    after = min(ps.points + added, ps.max_points)
    bands = questionnaire.scoring.pillar_bands
    return PillarGain(
        pillar_id=pillar_id,
        points_before=ps.points,
        points_after=after,
        max_points=ps.max_points,
        level_before=ps.level,
        level_after=pillar_level(after, ps.max_points, bands),
        target_level=min(gaps[c].target_level for c in criteria),
    )


def _triggers(
    questionnaire: Questionnaire,
    criterion_id: str,
    answers: Mapping[str, AnswerValue],
    visible: frozenset[str],
) -> list[TriggerAnswer]:
    crit = questionnaire.criterion(criterion_id)
    out: list[TriggerAnswer] = []
    if crit is None:
        return out
    for q in crit.questions:
        value = answers.get(q.id)
        if q.id not in visible or value is None:
            continue
        out.append(
            TriggerAnswer(
                q.id,
                criterion_id,
                q.text,
                answer_text(q, value),
                crit.title,
                is_yes_no=q.type == "yes_no",
            )
        )
    return out


def answer_text(question: Question, value: AnswerValue) -> LocalText:
    """The owner's answer as text in every locale: "Có"/"Yes", the option's text, the chosen
    options' texts joined with "; ", or the number with its unit."""
    if question.type == "yes_no":
        key = "yes" if value == "yes" else "no"
        return _text_all(key)
    if question.type == "single":
        opt = question.option(str(value))
        return opt.text if opt else LocalText.of({"vi": str(value), "en": str(value)})
    if question.type == "multiple":
        values = value if isinstance(value, list) else [str(value)]
        texts: dict[str, list[str]] = {}
        for loc in MESSAGES:
            for v in values:
                opt = question.option(v)
                texts.setdefault(loc, []).append(opt.text.get(loc) if opt else v)
        return LocalText.of({loc: "; ".join(t) for loc, t in texts.items()})
    number = _format_number(value)
    out = {}
    for loc in MESSAGES:
        unit = question.unit.get(loc) if question.unit else ""
        out[loc] = f"{number} {unit}".strip()
    return LocalText.of(out)


def _format_number(value: AnswerValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cite(m: Mapping[str, str], t: TriggerAnswer, locale: str) -> str:
    """A yes/no answer is quoted with its question (it reads on its own); a detail answer
    ("Every month") with its criterion's title, which gives the context."""
    if t.is_yes_no:
        return m["cite_question"].format(answer=t.answer(locale), question=t.question(locale))
    return m["cite"].format(answer=t.answer(locale), criterion=t.criterion(locale))


def render_reason(reason: Reason, locale: str = DEFAULT_LOCALE, *, with_gain: bool = True) -> str:
    """The reason as one paragraph in `locale`, from the `MESSAGES` templates (without the
    expected-gain sentence when `with_gain` is false: pages show it apart)."""
    m = _messages(locale)
    parts = []
    if reason.citations:
        parts.append(
            m["cite_join"].join(
                (_lower_first if i else str)(_cite(m, t, locale))
                for i, t in enumerate(reason.citations)
            )
            + ". "
        )
    action = reason.action.get(locale)
    if reason.kind == "use_more" and reason.use_more is not None:
        parts.append(m["use_more"].format(use_more=reason.use_more.get(locale)))
    elif reason.kind in ("starter", "basic", "core"):
        parts.append(m[reason.kind].format(action=action))
    else:
        parts.append(
            m["gap"].format(
                action=action,
                pillar=reason.pillar_title.get(locale),
                level_before=reason.level_before,
                level_before_name=reason.level_before_name.get(locale),
            )
        )
    if with_gain and reason.level_after > reason.level_before:
        parts.append(
            m["gain"].format(
                target=reason.target_level,
                pillar=reason.pillar_title.get(locale),
                level_after=reason.level_after,
                level_after_name=reason.level_after_name.get(locale),
            )
        )
    if reason.prerequisites and reason.kind != "use_more":
        parts.append(
            m["after"].format(
                prerequisites=", ".join(f"“{p.get(locale)}”" for p in reason.prerequisites)
            )
        )
    if reason.set_aside and reason.need_name is not None:
        parts.append(
            m["one_per_need"].format(
                need=reason.need_name.get(locale),
                category=reason.category_name.get(locale),
                others=m["or"].join(c.get(locale) for c in reason.set_aside),
            )
        )
    return "".join(parts)


# --- JSON --------------------------------------------------------------------------------------


def _num(value: Fraction) -> float:
    return round(float(value), 4)


def cost_to_dict(pf: Platform) -> dict[str, Any]:
    c = pf.cost
    out: dict[str, Any] = {"kind": c.kind}
    if c.kind == "free_trial":
        out.update(months=c.months, source=c.source, as_of=c.as_of.isoformat() if c.as_of else None)
    return out


def plan_to_dict(plan: Plan, locale: str = DEFAULT_LOCALE) -> dict[str, Any]:
    """The plan as JSON-ready data (texts in `locale`, re-rendered from the structured data)."""
    return {
        "questionnaire": plan.questionnaire_id,
        "version": plan.questionnaire_version,
        "catalog_version": plan.catalog_version,
        "locale": locale,
        "profile": {
            "size_class": plan.profile.size_class,
            "industry_section": plan.profile.industry_section,
            "business_type": plan.profile.business_type,
            "province_code": plan.profile.province_code,
            "activities": list(plan.profile.activities),
        },
        "alternatives_order": ALTERNATIVES_ORDER[locale if locale in ALTERNATIVES_ORDER else "vi"],
        "phases": [
            {
                "id": ph.id,
                "start_month": ph.start_month,
                "end_month": ph.end_month,
                "recommendations": [_rec_to_dict(r, locale) for r in ph.recommendations],
            }
            for ph in plan.phases
        ],
        "later": [c.id for c in plan.later],
        "gaps": [
            {
                "criterion": g.criterion_id,
                "code": g.code,
                "pillar": g.pillar_id,
                "level": g.level,
                "target_level": g.target_level,
                "weight": _num(g.weight),
                "pulled_down": g.pulled_down,
            }
            for g in plan.gaps
        ],
    }


#: The order of alternatives, as stated on the page, in the PDF and in the README.
ALTERNATIVES_ORDER = {
    "vi": (
        "Các lựa chọn không xếp theo chất lượng: mọi nền tảng nêu ra đều hợp với quy mô và loại "
        "hình của bạn; ưu đãi đã xác minh đứng trước, rồi nền tảng dành riêng cho ngành của "
        "bạn, còn lại xếp ngẫu nhiên nhưng cố định cho doanh nghiệp của bạn."
    ),
    "en": (
        "Alternatives are not ranked by quality: every platform shown suits your size and type "
        "of business; verified offers come first, then platforms made for your industry, then "
        "the rest in a shuffled order that stays fixed for your business."
    ),
}


def _rec_to_dict(rec: Recommendation, locale: str) -> dict[str, Any]:
    return {
        "rank": rec.rank,
        "category": rec.category.id,
        "category_name": rec.category.name.get(locale),
        "kind": rec.kind,
        "phase": rec.phase,
        "reason": render_reason(rec.reason_data, locale),
        "triggered_by": [t.to_dict(locale) for t in rec.triggered_by],
        "gap_criteria": list(rec.gap_criteria),
        "expected_gain": rec.gain.to_dict(),
        "gains": [g.to_dict() for g in rec.gains],
        "score": _num(rec.score),
        "alternatives": [
            {
                "platform": pf.id,
                "name": pf.name,
                "provider": pf.provider,
                "cost": cost_to_dict(pf),
                "offer": pf.offer.get(locale),
                "verified": pf.verified,
                "verified_on": pf.verified_on.isoformat() if pf.verified_on else None,
                "website": pf.website,
            }
            for pf in rec.alternatives
        ],
    }
