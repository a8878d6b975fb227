"""Frozen objects a questionnaire file is loaded into.

Nothing here imports Flask or SQLAlchemy: the scoring and recommendation cores and the CLI use
these objects directly. Texts are `LocalText` mappings of locale → string; `LocalText.get(locale)`
falls back to Vietnamese, the default language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Literal

DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")

QuestionType = Literal["yes_no", "single", "multiple", "number"]
AnswerValue = str | list[str] | float | int


@dataclass(frozen=True)
class LocalText:
    """A text in every supported locale."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> LocalText:
        return cls(tuple(sorted(mapping.items())))

    def get(self, locale: str | None = None) -> str:
        """The text in `locale`, else Vietnamese, else any (two entries: a loop beats a dict)."""
        fallback = ""
        for loc, text in self.values:
            if loc == locale:
                return text
            if loc == DEFAULT_LOCALE or not fallback:
                fallback = text
        return fallback

    def __str__(self) -> str:
        return self.get(DEFAULT_LOCALE)


@dataclass(frozen=True)
class Option:
    id: str
    points: int
    text: LocalText
    exclusive: bool = False


@dataclass(frozen=True)
class Band:
    """A numeric band: `low` ≤ value ≤ `high` (both inclusive) scores `points`."""

    low: Fraction
    high: Fraction
    points: int


@dataclass(frozen=True)
class ShowIf:
    """Show a question only when the earlier question `question` has one of `values`."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: LocalText
    criterion_id: str
    pillar_id: str
    help: LocalText | None = None
    options: tuple[Option, ...] = ()
    yes_points: int = 0
    no_points: int = 0
    cap: int | None = None
    bands: tuple[Band, ...] = ()
    minimum: Fraction | None = None
    maximum: Fraction | None = None
    unit: LocalText | None = None
    show_if: ShowIf | None = None
    required: bool = True

    def option(self, option_id: str) -> Option | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None

    @property
    def answer_values(self) -> tuple[str, ...]:
        """The values a `show_if` may test: option ids, or yes/no."""
        if self.type == "yes_no":
            return ("yes", "no")
        return tuple(o.id for o in self.options)

    @property
    def max_points(self) -> int:
        if self.type == "yes_no":
            return max(self.yes_points, self.no_points)
        if self.type == "single":
            return max((o.points for o in self.options), default=0)
        if self.type == "multiple":
            total = sum(o.points for o in self.options if not o.exclusive)
            best_exclusive = max((o.points for o in self.options if o.exclusive), default=0)
            return min(self.cap or 0, max(total, best_exclusive))
        return max((b.points for b in self.bands), default=0)


@dataclass(frozen=True)
class Criterion:
    id: str
    code: str
    official_text: str
    title: LocalText
    pillar_id: str
    component_id: str
    questions: tuple[Question, ...]
    multiplier: int = 1
    max_level: int = 5
    bands_source: str | None = None
    note: str | None = None

    def max_points(self, level_points: int) -> int:
        return self.max_level * self.multiplier * level_points


@dataclass(frozen=True)
class Component:
    id: str
    code: str
    title: LocalText
    max_points: int
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Pillar:
    id: str
    code: str
    title: LocalText
    description: LocalText | None
    max_points: int
    components: tuple[Component, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for comp in self.components for c in comp.criteria)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for c in self.criteria for q in c.questions)


@dataclass(frozen=True)
class PillarBand:
    """Level `level` applies when percent > `above` (≥ when `inclusive`)."""

    level: int
    above: Fraction
    inclusive: bool = False

    @cached_property
    def above_terms(self) -> tuple[int, int]:
        """`above` as (numerator, denominator), read once (Fraction's are properties)."""
        return self.above.numerator, self.above.denominator


@dataclass(frozen=True)
class OverallRule:
    """Level `level` when total > `total_above` and at least `pillars_at_least` pillars are at
    level ≥ `pillar_level` (`pillars_at_least` None means all pillars)."""

    level: int
    total_above: Fraction
    pillars_at_least: int | None
    pillar_level: int


@dataclass(frozen=True)
class Level:
    level: int
    name: LocalText
    description: LocalText


@dataclass(frozen=True)
class Scoring:
    level_points: int
    max_total: int
    pillar_bands: tuple[PillarBand, ...]
    overall_rules: tuple[OverallRule, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    result_model: str
    title: LocalText
    description: LocalText
    source_reference: str
    source_url: str | None
    source_note: LocalText | None
    estimated_minutes: int
    scoring: Scoring
    levels: tuple[Level, ...]
    pillars: tuple[Pillar, ...]
    path: str = ""
    _questions: Mapping[str, Question] = field(default_factory=dict, compare=False, repr=False)
    _criteria: Mapping[str, Criterion] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        qs = {q.id: q for p in self.pillars for q in p.questions}
        cs = {c.id: c for p in self.pillars for c in p.criteria}
        object.__setattr__(self, "_questions", qs)
        object.__setattr__(self, "_criteria", cs)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return self._criteria.get(criterion_id)

    def pillar(self, pillar_id: str) -> Pillar | None:
        for p in self.pillars:
            if p.id == pillar_id:
                return p
        return None

    def level(self, level: int) -> Level:
        for lv in self.levels:
            if lv.level == level:
                return lv
        raise KeyError(level)

    def iter_questions(self) -> Iterator[Question]:
        return iter(self._questions.values())

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(self._criteria.values())

    @property
    def question_count(self) -> int:
        return len(self._questions)


def visible_question_ids(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> frozenset[str]:
    """The ids of the questions shown for `answers`.

    A question is shown when it has no `show_if`, or the earlier question it depends on is itself
    shown and answered with one of the listed values (for a multiple-choice question: any chosen
    option matches). `show_if` may only refer to earlier questions (the loader checks), so one
    pass in file order is enough.
    """
    shown: set[str] = set()
    for q in questionnaire.iter_questions():
        cond = q.show_if
        if cond is None:
            shown.add(q.id)
            continue
        if cond.question not in shown:
            continue
        value = answers.get(cond.question)
        if value is None:
            continue
        if isinstance(value, list):
            if any(str(v) in cond.values for v in value):
                shown.add(q.id)
        elif str(value) in cond.values:
            shown.add(q.id)
    return frozenset(shown)
