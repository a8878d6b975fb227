"""Scores + profile + catalogue → ranked platforms and a 12-month plan (pure: no Flask, no DB).

The rules, stated once (constants below; pinned by ``tests/unit/test_recommend.py``):

**Gaps.** A criterion is a gap when the owner answered it (we never recommend on something the
owner did not tell us) and either its level is ≤ `GAP_LEVEL` (2), or it is one of its pillar's
`pulled_down` criteria (those keeping the pillar from its next level) with a level below
`STRONG_LEVEL` (4). A firm whose criteria are all at level 4 or 5 has no gap and gets no platform.
Gap weight = points lost × pillar weight + pillar shortfall, where pillar weight = pillar max /
total max and shortfall = 1 − pillar points / pillar max; a pulled-down criterion weighs ×5/4.
Weights are exact fractions, so ties are real ties.

**Missing basics.** A category with ``basic: true`` whose ``basic_for`` covers the profile and
whose primary criterion — the first of its ``criteria`` that this questionnaire has — is
answered at level 0 (e.g. e-invoice: "no e-invoices at all"; the other criteria a category lists
are ones it also helps with, and need not be answered for the basic to be missing).

**Ranking.** Candidates are the platforms that suit the profile — its size, its VSIC section and
its business type are all listed; an unsuitable platform is never recommended — and work on at
least one gap criterion (the platform's own ``criteria``, else its category's).
Fit = w₁ + w₂/2 + w₃/3 + … over the weights of the gap criteria it covers, heaviest first (the
deepest gap counts fully, breadth with diminishing returns, so a broad suite does not outrank the
one tool a firm lacks most) + ½ × free_months / 12 + ½ when the platform lists the firm's VSIC
section explicitly + ¼ when its offer is verified. Order: platforms of missing basics first, then
fit (high first), then free months (long first), then platform id. Only the best platform of each
category is kept unless ``allow_same_category``.

**Phases** "0-3", "3-6", "6-12" (months from the start of the plan). Each phase starts at most
`PER_PHASE` (3) new platforms: the owner adopts a few tools at a time and uses each free period
(typically 3–12 months) before the next batch starts. Platforms are placed in rank order into
their earliest phase that still has room, else a later one; what does not fit is left out (it
stays in `Plan.gaps` and the catalogue). Earliest phase: "0-3" for a missing basic; else the
category's ``phase`` key when the catalogue sets one; else by the category's breadth = number of
criteria + number of pillars it lists: ≤ 5 → "0-3", 6 → "3-6", ≥ 7 (ERP-, CRM-like suites that
integrate several functions) → "6-12" — integrative platforms build on the data and habits that
the simpler tools start, and their free period is wasted if they arrive first.

**Expected gain.** For each pillar touched by a recommendation's gap criteria, those criteria are
raised to the target level max(`TARGET_LEVEL` (3), level + 1) capped at their ``max_level``,
their points recomputed as level × multiplier × level_points, and the pillar level taken from the
new pillar points with the questionnaire's own bands by the scoring rule (`pillar_level`, pinned
to `Scorer` by a test) — a recomputation, not an estimate.

**Texts.** `MESSAGES` holds every sentence template (vi and en) in one place; `Reason` keeps the
structured data so the web app can render it through Babel instead (`render_reason` is the plain
renderer). Equal inputs give equal plans: every ordering ends on an id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from .catalog import PHASES, Catalog, Category, Platform, Profile

TARGET_LEVEL = 3
GAP_LEVEL = 2
STRONG_LEVEL = 4
PER_PHASE = 3
#: largest category breadth (criteria + pillars) that may start in phase "0-3", "3-6"
BREADTH_LIMITS = (5, 6)
PULLED_DOWN_FACTOR = Fraction(5, 4)
FREE_WEIGHT = Fraction(1, 2)
INDUSTRY_BONUS = Fraction(1, 2)
VERIFIED_BONUS = Fraction(1, 4)
#: how many criteria a reason cites (the heaviest first); `triggered_by` lists them all
MAX_CITED = 2
PHASE_MONTHS: dict[str, tuple[int, int]] = {"0-3": (0, 3), "3-6": (3, 6), "6-12": (6, 12)}

#: Every sentence of a reason, per locale (the web app wraps these for Babel later).
MESSAGES: dict[str, dict[str, str]] = {
    "vi": {
        "yes": "Có",
        "no": "Không",
        "cite_first": "Về “{criterion}”, bạn trả lời “{answer}”",
        "cite_more": "về “{criterion}”, bạn trả lời “{answer}”",
        "cite_join": "; ",
        "basic": "{cites}. {category} là công cụ cơ bản nên có trước tiên.",
        "gap": (
            "{cites}. {category} giúp cải thiện trụ cột “{pillar}” "
            "(hiện ở mức {level_before} – {level_before_name})."
        ),
        "gain": (
            " Khi các tiêu chí liên quan đạt ít nhất mức {target}, trụ cột này có thể lên "
            "mức {level_after} – {level_after_name}."
        ),
        "free": " {platform} có thể được dùng miễn phí {months} tháng.",
    },
    "en": {
        "yes": "Yes",
        "no": "No",
        "cite_first": "On “{criterion}” you answered “{answer}”",
        "cite_more": "on “{criterion}”, “{answer}”",
        "cite_join": "; ",
        "basic": "{cites}. {category} is a basic tool to put in place first.",
        "gap": (
            "{cites}. {category} can improve the “{pillar}” pillar "
            "(now at level {level_before} – {level_before_name})."
        ),
        "gain": (
            " If the related criteria reach at least level {target}, the pillar could rise to "
            "level {level_after} – {level_after_name}."
        ),
        "free": " {platform} can be used free of charge for {months} months.",
    },
}


def _messages(locale: str) -> dict[str, str]:
    return MESSAGES.get(locale, MESSAGES[DEFAULT_LOCALE])


def _text_all(key: str) -> LocalText:
    return LocalText.of({loc: m[key] for loc, m in MESSAGES.items()})


# --- result objects ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionGap:
    """One weak criterion (see the module docstring for the rule and the weight)."""

    criterion_id: str
    code: str
    pillar_id: str
    level: int
    target_level: int
    points: int
    max_points: int
    weight: Fraction
    pulled_down: bool


@dataclass(frozen=True)
class TriggerAnswer:
    """One of the owner's answers that led to a recommendation."""

    question_id: str
    criterion_id: str
    question_text: LocalText
    answer_text: LocalText
    #: the criterion's short title: a detail question ("How often?") needs it as context
    criterion_title: LocalText

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
class Gap:
    """What a recommendation works on: its main pillar and the gap criteria it covers
    (heaviest first); `basic` when it fills a missing basic."""

    pillar_id: str
    criteria: tuple[str, ...]
    basic: bool
    #: the gap part of the fit: w₁ + w₂/2 + … over `criteria`
    weight: Fraction


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

    kind: Literal["basic", "gap"]
    citations: tuple[TriggerAnswer, ...]
    platform_name: str
    category_name: LocalText
    pillar_id: str
    pillar_title: LocalText
    level_before: int
    level_before_name: LocalText
    level_after: int
    level_after_name: LocalText
    target_level: int
    free_months: int


@dataclass(frozen=True)
class Recommendation:
    rank: int
    platform: Platform
    category: Category
    gap: Gap
    triggered_by: tuple[TriggerAnswer, ...]
    reason: str
    reason_data: Reason
    gains: tuple[PillarGain, ...]
    phase: str
    fit: Fraction

    @property
    def gain(self) -> PillarGain:
        """The gain of the main pillar (`gap.pillar_id`)."""
        return self.gains[0]


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

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        return tuple(r for ph in self.phases for r in ph.recommendations)


# --- the engine --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    platform: Platform
    category: Category
    covered: tuple[str, ...]
    basic: bool
    gap_weight: Fraction
    fit: Fraction

    @property
    def key(self) -> tuple[int, Fraction, int, str]:
        return (0 if self.basic else 1, -self.fit, -self.platform.free_months, self.platform.id)


def recommend(
    questionnaire: Questionnaire,
    result: ScoreResult,
    answers: Mapping[str, AnswerValue],
    profile: Profile,
    catalog: Catalog,
    *,
    allow_same_category: bool = False,
    locale: str = DEFAULT_LOCALE,
) -> Plan:
    """Turn a score into a ranked, phased plan of platforms (rules: module docstring).

    `result` must come from scoring `answers` against `questionnaire` (ValueError otherwise).
    Texts are rendered in `locale` (unknown locales fall back to Vietnamese).
    """
    if result.questionnaire_id != questionnaire.id:
        raise ValueError(
            f"score of {result.questionnaire_id!r} does not belong to {questionnaire.id!r}"
        )
    order = {c.id: i for i, c in enumerate(questionnaire.criteria)}
    gaps = _find_gaps(questionnaire, result)
    basics = {
        cat.id for cat in catalog.categories if _basic_missing(cat, result, questionnaire, profile)
    }

    candidates: list[_Candidate] = []
    for pf in catalog.platforms:
        cat = catalog.category(pf.category)
        if cat is None or not pf.suits(profile):
            continue
        listed = catalog.criteria_of(pf)  # the catalogue lists the main criterion first
        covered = sorted(
            (c for c in set(listed) if c in gaps),
            key=lambda c: (-gaps[c].weight, listed.index(c), order[c]),
        )
        if not covered:
            continue
        gap_weight = sum((gaps[c].weight / i for i, c in enumerate(covered, 1)), Fraction(0))
        fit = gap_weight + FREE_WEIGHT * Fraction(pf.free_months, 12)
        if pf.targets_industry(profile.industry_section):
            fit += INDUSTRY_BONUS
        if pf.verified:
            fit += VERIFIED_BONUS
        candidates.append(_Candidate(pf, cat, tuple(covered), cat.id in basics, gap_weight, fit))
    candidates.sort(key=lambda c: c.key)
    if not allow_same_category:
        seen: set[str] = set()
        best: list[_Candidate] = []
        for cand in candidates:
            if cand.category.id not in seen:
                seen.add(cand.category.id)
                best.append(cand)
        candidates = best

    slots: list[list[tuple[int, _Candidate]]] = [[] for _ in PHASES]
    for rank, cand in enumerate(candidates, start=1):
        for index in range(_earliest_phase(cand), len(PHASES)):
            if len(slots[index]) < PER_PHASE:
                slots[index].append((rank, cand))
                break

    visible = visible_question_ids(questionnaire, answers)

    def level_of(points: int, max_points: int) -> int:
        return pillar_level(questionnaire, points, max_points)

    phases = []
    for phase_id, placed in zip(PHASES, slots, strict=True):
        recs = tuple(
            _build(
                questionnaire,
                result,
                answers,
                visible,
                gaps,
                cand,
                rank,
                phase_id,
                level_of,
                locale,
            )
            for rank, cand in placed
        )
        start, end = PHASE_MONTHS[phase_id]
        phases.append(Phase(phase_id, start, end, recs))
    return Plan(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        catalog_version=catalog.version,
        profile=profile,
        locale=locale,
        phases=tuple(phases),
        gaps=tuple(sorted(gaps.values(), key=lambda g: (-g.weight, order[g.criterion_id]))),
    )


def pillar_level(questionnaire: Questionnaire, points: int, max_points: int) -> int:
    """The pillar level for `points` out of `max_points`, by the questionnaire's pillar bands and
    the scoring rule (`sme_assess.scoring`): the highest band whose lower bound the percentage
    passes (`>`, or `>=` for an inclusive band), compared exactly. A test pins it to `Scorer`."""
    if max_points <= 0:
        return 0
    percent = Fraction(points * 100, max_points)
    for band in reversed(questionnaire.scoring.pillar_bands):
        if percent > band.above or (band.inclusive and percent == band.above):
            return band.level
    return 0


def _target(level: int, max_level: int) -> int:
    return min(max_level, max(TARGET_LEVEL, level + 1))


def _find_gaps(questionnaire: Questionnaire, result: ScoreResult) -> dict[str, CriterionGap]:
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
                points=cs.points,
                max_points=cs.max_points,
                weight=weight,
                pulled_down=is_pulled,
            )
    return gaps


def _basic_missing(
    category: Category, result: ScoreResult, questionnaire: Questionnaire, profile: Profile
) -> bool:
    if not category.is_basic_for(profile):
        return False
    known = [c for c in category.criteria if questionnaire.criterion(c) is not None]
    if not known:
        return False
    primary = result.criterion(known[0])
    return primary.answered and primary.level == 0


def _earliest_phase(cand: _Candidate) -> int:
    if cand.basic:
        return 0
    if cand.category.phase is not None:
        return PHASES.index(cand.category.phase)
    breadth = len(cand.category.criteria) + len(cand.category.pillars)
    for index, limit in enumerate(BREADTH_LIMITS):
        if breadth <= limit:
            return index
    return len(PHASES) - 1


def _build(
    questionnaire: Questionnaire,
    result: ScoreResult,
    answers: Mapping[str, AnswerValue],
    visible: frozenset[str],
    gaps: Mapping[str, CriterionGap],
    cand: _Candidate,
    rank: int,
    phase: str,
    level_of: Callable[[int, int], int],
    locale: str,
) -> Recommendation:
    # main pillar: the heaviest sum of covered weights; ties in questionnaire pillar order
    pillar_order = [p.id for p in questionnaire.pillars]
    by_pillar: dict[str, list[str]] = {}
    for cid in cand.covered:
        by_pillar.setdefault(gaps[cid].pillar_id, []).append(cid)
    touched = sorted(
        by_pillar,
        key=lambda p: (
            -sum((gaps[c].weight for c in by_pillar[p]), Fraction(0)),
            pillar_order.index(p),
        ),
    )
    gains = tuple(_gain(questionnaire, result, p, by_pillar[p], gaps, level_of) for p in touched)

    triggers: list[TriggerAnswer] = []
    cited: list[TriggerAnswer] = []
    for cid in cand.covered:
        crit_triggers = _triggers(questionnaire, cid, answers, visible)
        triggers.extend(crit_triggers)
        if crit_triggers and len(cited) < MAX_CITED:
            cited.append(crit_triggers[-1])  # the most specific answer of the criterion

    main = gains[0]
    pillar = questionnaire.pillar(main.pillar_id)
    reason = Reason(
        kind="basic" if cand.basic else "gap",
        citations=tuple(cited),
        platform_name=cand.platform.name,
        category_name=cand.category.name,
        pillar_id=main.pillar_id,
        pillar_title=pillar.title if pillar else LocalText.of({"vi": main.pillar_id}),
        level_before=main.level_before,
        level_before_name=questionnaire.level(main.level_before).name,
        level_after=main.level_after,
        level_after_name=questionnaire.level(main.level_after).name,
        target_level=main.target_level,
        free_months=cand.platform.free_months,
    )
    return Recommendation(
        rank=rank,
        platform=cand.platform,
        category=cand.category,
        gap=Gap(main.pillar_id, cand.covered, cand.basic, cand.gap_weight),
        triggered_by=tuple(triggers),
        reason=render_reason(reason, locale),
        reason_data=reason,
        gains=gains,
        phase=phase,
        fit=cand.fit,
    )


def _gain(
    questionnaire: Questionnaire,
    result: ScoreResult,
    pillar_id: str,
    criteria: Sequence[str],
    gaps: Mapping[str, CriterionGap],
    level_of: Callable[[int, int], int],
) -> PillarGain:
    ps = result.pillar(pillar_id)
    level_points = questionnaire.scoring.level_points
    added = 0
    for cid in criteria:
        crit = questionnaire.criterion(cid)
        assert crit is not None  # gaps only hold criteria of this questionnaire
        added += (gaps[cid].target_level - gaps[cid].level) * crit.multiplier * level_points
    after = min(ps.points + added, ps.max_points)
    return PillarGain(
        pillar_id=pillar_id,
        points_before=ps.points,
        points_after=after,
        max_points=ps.max_points,
        level_before=ps.level,
        level_after=level_of(after, ps.max_points),
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
        out.append(TriggerAnswer(q.id, criterion_id, q.text, answer_text(q, value), crit.title))
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


def render_reason(reason: Reason, locale: str = DEFAULT_LOCALE) -> str:
    """The reason as one paragraph in `locale`, from the `MESSAGES` templates."""
    m = _messages(locale)
    cites = m["cite_join"].join(
        m["cite_first" if i == 0 else "cite_more"].format(
            answer=t.answer(locale), criterion=t.criterion(locale)
        )
        for i, t in enumerate(reason.citations)
    )
    text = m[reason.kind].format(
        cites=cites,
        category=reason.category_name.get(locale),
        pillar=reason.pillar_title.get(locale),
        level_before=reason.level_before,
        level_before_name=reason.level_before_name.get(locale),
    )
    if reason.level_after > reason.level_before:
        text += m["gain"].format(
            target=reason.target_level,
            level_after=reason.level_after,
            level_after_name=reason.level_after_name.get(locale),
        )
    if reason.free_months > 0:
        text += m["free"].format(platform=reason.platform_name, months=reason.free_months)
    return text


# --- JSON --------------------------------------------------------------------------------------


def _num(value: Fraction) -> float:
    return round(float(value), 4)


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
        },
        "phases": [
            {
                "id": ph.id,
                "start_month": ph.start_month,
                "end_month": ph.end_month,
                "recommendations": [_rec_to_dict(r, locale) for r in ph.recommendations],
            }
            for ph in plan.phases
        ],
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


def _rec_to_dict(rec: Recommendation, locale: str) -> dict[str, Any]:
    pf = rec.platform
    return {
        "rank": rec.rank,
        "platform": pf.id,
        "name": pf.name,
        "provider": pf.provider,
        "category": rec.category.id,
        "category_name": rec.category.name.get(locale),
        "phase": rec.phase,
        "reason": render_reason(rec.reason_data, locale),
        "triggered_by": [t.to_dict(locale) for t in rec.triggered_by],
        "gap": {
            "pillar": rec.gap.pillar_id,
            "criteria": list(rec.gap.criteria),
            "basic": rec.gap.basic,
        },
        "expected_gain": rec.gain.to_dict(),
        "gains": [g.to_dict() for g in rec.gains],
        "fit": _num(rec.fit),
        "free_months": pf.free_months,
        "offer": pf.offer.get(locale),
        "verified": pf.verified,
        "verified_on": pf.verified_on.isoformat() if pf.verified_on else None,
        "website": pf.website,
    }
