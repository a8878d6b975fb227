"""The report data: one plain, frozen dataclass tree built by a service from an assessment's
immutable score snapshot, the questionnaire file and the catalogue. The results page and the PDF
both render from it; templates never see ORM objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..questionnaire import Question, Questionnaire


@dataclass(frozen=True)
class AnswerLine:
    question: str
    answer: str


@dataclass(frozen=True)
class CriterionLine:
    id: str
    code: str
    title: str
    official_text: str
    level: int
    points: int
    max_points: int
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class PillarSection:
    id: str
    code: str
    title: str
    points: int
    max_points: int
    percent: float
    level: int
    level_name: str
    strengths: tuple[CriterionLine, ...]
    #: what holds the pillar back, most relevant to this business first
    gaps: tuple[CriterionLine, ...]
    #: advanced technologies this business does not need yet ("later, not needed at your size")
    later: tuple[CriterionLine, ...] = ()


@dataclass(frozen=True)
class PlatformLine:
    """One alternative for a need: `cost` is the catalogue's cost in words."""

    platform_id: str
    name: str
    provider: str
    description: str
    cost_kind: str
    cost: str
    offer: str
    verified: bool
    website: str


@dataclass(frozen=True)
class RecommendationLine:
    """One action of the plan: a need, and for a new product 2–4 alternatives (none for "use
    what you have more fully")."""

    category_id: str
    category: str
    description: str
    kind: str
    phase: str
    reason: str
    triggered_by: tuple[AnswerLine, ...]
    gain: str
    alternatives: tuple[PlatformLine, ...]


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    items: tuple[RecommendationLine, ...]


@dataclass(frozen=True)
class LevelInfo:
    level: int
    name: str
    description: str


@dataclass(frozen=True)
class BandedCriterion:
    code: str
    title: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class HistoryLine:
    date: datetime | None
    total: int
    overall_level: int
    current: bool


@dataclass(frozen=True)
class ReportData:
    locale: str
    business_name: str
    business_type: str
    province: str
    industry: str
    size_class: str
    tax_code: str | None
    submitted_at: datetime | None
    questionnaire_title: str
    questionnaire_key: str
    source_reference: str
    overall_level: int
    overall_name: str
    overall_description: str
    total: int
    max_total: int
    percent: float
    pillars: tuple[PillarSection, ...]
    phases: tuple[Phase, ...]
    levels: tuple[LevelInfo, ...]
    pillar_bands: tuple[tuple[int, str], ...]
    overall_rules: tuple[tuple[int, str], ...]
    banded_criteria: tuple[BandedCriterion, ...]
    history: tuple[HistoryLine, ...]
    verification_code: str | None
    verify_url: str | None
    catalog_note: str
    #: the stated order of the alternatives
    alternatives_order: str
    #: categories left for after the 12 months
    plan_later: tuple[str, ...]
    #: the support programme's own terms, dated ("2021-01: …")
    programme_terms: tuple[str, ...]
    radar_svg: str
    bars_svg: str
    #: the peer benchmark (`stats.peer.PeerView`), None when the group is too small
    peers: Any = None


def answer_text(q: Question, value: Any, locale: str, yes_no: Mapping[str, str]) -> str:
    """What the owner chose, in words (for "you answered … on …"); `yes_no` holds the
    translated words for "yes" and "no"."""
    if q.type == "yes_no":
        return yes_no.get(str(value), str(value))
    if q.type == "single":
        opt = q.option(str(value))
        return opt.text.get(locale) if opt else str(value)
    if q.type == "multiple" and isinstance(value, list):
        return "; ".join(o.text.get(locale) for v in value if (o := q.option(v)) is not None)
    unit = f" {q.unit.get(locale)}" if q.unit else ""
    return f"{value}{unit}"


def criterion_answers(
    q: Questionnaire,
    criterion_id: str,
    answers: Mapping[str, Any],
    shown: frozenset[str],
    locale: str,
    yes_no: Mapping[str, str],
) -> tuple[AnswerLine, ...]:
    crit = q.criterion(criterion_id)
    if crit is None:
        return ()
    return tuple(
        AnswerLine(qq.text.get(locale), answer_text(qq, answers[qq.id], locale, yes_no))
        for qq in crit.questions
        if qq.id in shown and answers.get(qq.id) is not None
    )
