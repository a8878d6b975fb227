"""The scoring engine (see the package docstring for the rules)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, NamedTuple

from ..questionnaire.model import AnswerValue, Criterion, Question, Questionnaire
from .levels import exceeds, pillar_level


class CriterionScore(NamedTuple):
    """One criterion's result (a NamedTuple: immutable and cheap to build in the hot loop)."""

    criterion_id: str
    code: str
    pillar_id: str
    level: int
    points: int
    max_points: int
    answered: bool

    @property
    def lost(self) -> int:
        return self.max_points - self.points


class PillarScore(NamedTuple):
    """One pillar's result. Scoring records the points and levels; what follows from them is
    derived on access: `percent`, `pulled_down` and the single `criteria` (most callers of the
    scorer, such as statistics over many assessments, read none of them)."""

    pillar_id: str
    points: int
    max_points: int
    level: int
    criterion_levels: tuple[int, ...]
    criterion_answered: tuple[bool, ...]
    source: tuple[Criterion, ...]  # the pillar's criteria in file order
    level_points: int

    @property
    def percent(self) -> float:
        """points / max_points × 100, rounded half-up to one decimal (for display only)."""
        return percent_half_up(self.points, self.max_points)

    @property
    def pulled_down(self) -> tuple[str, ...]:
        """The criteria (ids) that keep the pillar from its next level, most points lost
        first (see `pulled_down`)."""
        return pulled_down(self)

    @property
    def criteria(self) -> tuple[CriterionScore, ...]:
        lp = self.level_points
        return tuple(
            CriterionScore(
                c.id,
                c.code,
                self.pillar_id,
                level,
                level * c.multiplier * lp,
                c.max_points(lp),
                answered,
            )
            for c, level, answered in zip(
                self.source, self.criterion_levels, self.criterion_answered, strict=True
            )
        )


@dataclass(frozen=True)
class ScoreResult:
    questionnaire_id: str
    questionnaire_version: str
    pillars: tuple[PillarScore, ...]
    total: int
    max_total: int
    overall_level: int

    def pillar(self, pillar_id: str) -> PillarScore:
        for p in self.pillars:
            if p.pillar_id == pillar_id:
                return p
        raise KeyError(pillar_id)

    def criterion(self, criterion_id: str) -> CriterionScore:
        for p in self.pillars:
            for c in p.criteria:
                if c.criterion_id == criterion_id:
                    return c
        raise KeyError(criterion_id)

    @property
    def percent(self) -> float:
        return percent_half_up(self.total, self.max_total)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by the CLI and stored as the score snapshot."""
        return {
            "questionnaire": self.questionnaire_id,
            "version": self.questionnaire_version,
            "pillars": [
                {
                    "id": p.pillar_id,
                    "points": p.points,
                    "max": p.max_points,
                    "percent": p.percent,
                    "level": p.level,
                    "pulled_down": list(p.pulled_down),
                    "criteria": [
                        {
                            "id": c.criterion_id,
                            "code": c.code,
                            "level": c.level,
                            "points": c.points,
                            "max": c.max_points,
                        }
                        for c in p.criteria
                    ],
                }
                for p in self.pillars
            ],
            "total": self.total,
            "max_total": self.max_total,
            "overall_level": self.overall_level,
        }


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire. `problems` lists one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def round_percent(value: Fraction) -> float:
    """Round a non-negative percentage half-up to one decimal (for display; levels never use
    the rounded value)."""
    return percent_half_up(value.numerator, value.denominator * 100)


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """Problems with an answers mapping: unknown question, unknown option, wrong type, number
    out of range. Missing answers are not problems here (see `missing_answers`)."""
    problems: list[str] = []
    for qid, value in answers.items():
        q = questionnaire.question(str(qid))
        if q is None:
            problems.append(f"unknown question {qid!r}")
            continue
        problems.extend(_check_value(q, value))
    return problems


def _check_value(q: Question, value: Any) -> list[str]:
    if q.type == "yes_no":
        if value not in ("yes", "no"):
            return [f"question {q.id!r} takes 'yes' or 'no', not {value!r}"]
    elif q.type == "single":
        if not isinstance(value, str):
            return [f"question {q.id!r} takes one option id, not {type(value).__name__}"]
        if q.option(value) is None:
            return [f"unknown option {value!r} for question {q.id!r}"]
    elif q.type == "multiple":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [f"question {q.id!r} takes a list of option ids"]
        out = [f"unknown option {v!r} for question {q.id!r}" for v in value if q.option(v) is None]
        if not out:
            if len(set(value)) != len(value):
                out.append(f"question {q.id!r} has a repeated option")
            chosen = [q.option(v) for v in value]
            if len(chosen) > 1 and any(o is not None and o.exclusive for o in chosen):
                out.append(f"question {q.id!r}: an exclusive option cannot be combined")
        return out
    else:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            # JSON allows NaN and Infinity, which no band can hold (and Fraction refuses)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            return [f"question {q.id!r} takes a number, not {value!r}"]
        v = Fraction(str(value))
        if (q.minimum is not None and v < q.minimum) or (q.maximum is not None and v > q.maximum):
            return [f"number {value} for question {q.id!r} is out of range"]
        if not any(b.low <= v <= b.high for b in q.bands):
            return [f"number {value} for question {q.id!r} falls in no band"]
    return []


def missing_answers(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> list[str]:
    """Ids of required questions that are shown for `answers` but not answered, in file order."""
    from ..questionnaire.model import visible_question_ids

    shown = visible_question_ids(questionnaire, answers)
    return [
        q.id
        for q in questionnaire.iter_questions()
        if q.required and q.id in shown and _is_blank(answers.get(q.id))
    ]


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


# --- the scorer ----------------------------------------------------------------------------------
# Plain Python over the questionnaire model, in the order the rules are stated. The only
# preparation, done once per questionnaire, is a small plan per question: its points as a
# function of its answer (for yes/no and single choice, the look-up of a table answer → points),
# and the `show_if` it depends on.


class _QuestionPlan(NamedTuple):
    """One question as the scorer reads it."""

    id: str
    points_of: Callable[[AnswerValue, int], int]  # (answer, 0) → the answer's points
    parent: str | None  # the earlier question of its `show_if`, if any
    parent_values: frozenset[str]  # the values of that question that show this one
    is_parent: bool  # some later question's `show_if` depends on this one


class _CriterionPlan(NamedTuple):
    max_level: int
    level_weight: int  # multiplier × level_points: the points of one level
    questions: tuple[_QuestionPlan, ...]


class Scorer:
    """Scores answers against one questionnaire. Build once, call `score` many times."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        scoring = questionnaire.scoring
        self.level_points = scoring.level_points
        #: pillar bands, the highest level first (`pillar_level` then skips the lower bands
        #: cheaply once one has passed)
        self.pillar_bands = sorted(scoring.pillar_bands, key=lambda b: b.level, reverse=True)
        #: overall rules, the highest level first: the first rule that holds gives the level
        self.overall_rules = sorted(scoring.overall_rules, key=lambda r: r.level, reverse=True)
        parents = {
            q.show_if.question for q in questionnaire.iter_questions() if q.show_if is not None
        }
        #: each pillar with its criteria in file order (`Pillar.criteria` builds a new tuple)
        #: and the plan of each criterion
        self.pillars = tuple(
            (
                pillar,
                pillar.criteria,
                tuple(
                    _CriterionPlan(
                        criterion.max_level,
                        criterion.multiplier * self.level_points,
                        tuple(_question_plan(q, q.id in parents) for q in criterion.questions),
                    )
                    for criterion in pillar.criteria
                ),
            )
            for pillar in questionnaire.pillars
        )

    def score(self, answers: Mapping[str, AnswerValue]) -> ScoreResult:
        """Score `answers` (question id → option id / list of ids / number / "yes"/"no").

        Answers are assumed checked (`check_answers`); an unknown option scores 0 here.
        """
        get = answers.get
        # the questions found shown so far that a later `show_if` depends on (`show_if` looks
        # only backwards, so a question is decided before any question that depends on it)
        shown: set[str] = set()
        pillar_scores = []
        total = 0
        for pillar, criteria, plans in self.pillars:
            levels = []
            answered = []
            pillar_points = 0
            for max_level, level_weight, questions in plans:
                points = 0
                has_answer = False
                for qid, points_of, parent, parent_values, is_parent in questions:
                    if parent is not None:
                        if parent not in shown:
                            continue  # hidden: scores 0, and a kept answer is ignored
                        parent_value = get(parent)
                        if isinstance(parent_value, list):  # multiple choice: any chosen value
                            if parent_values.isdisjoint(parent_value):
                                continue
                        elif parent_value not in parent_values:
                            continue
                    if is_parent:
                        shown.add(qid)
                    value = get(qid)
                    if value is None:
                        continue  # unanswered: scores 0
                    has_answer = True
                    points += points_of(value, 0)
                level = points if points < max_level else max_level
                levels.append(level)
                answered.append(has_answer)
                pillar_points += level * level_weight
            level = pillar_level(pillar_points, pillar.max_points, self.pillar_bands)
            pillar_scores.append(
                PillarScore(
                    pillar.id,
                    pillar_points,
                    pillar.max_points,
                    level,
                    tuple(levels),
                    tuple(answered),
                    criteria,
                    self.level_points,
                )
            )
            total += pillar_points
        overall = self.overall_level(total, [p.level for p in pillar_scores])
        q = self.questionnaire
        return ScoreResult(
            q.id, q.version, tuple(pillar_scores), total, q.scoring.max_total, overall
        )

    def overall_level(self, total: int, pillar_levels: list[int]) -> int:
        """The highest rule whose two conditions hold (total above its threshold, enough
        pillars at its pillar level), else 0."""
        for rule in self.overall_rules:
            if not exceeds(total, rule.total_above):
                continue
            needed = len(pillar_levels) if rule.pillars_at_least is None else rule.pillars_at_least
            if sum(1 for level in pillar_levels if level >= rule.pillar_level) >= needed:
                return rule.level
        return 0


def _question_plan(question: Question, is_parent: bool) -> _QuestionPlan:
    points_of: Callable[[AnswerValue, int], int]
    if question.type == "number":
        points_of = partial(_band_points_of, question)
    elif question.type == "multiple":
        points_of = partial(_multiple_points_of, question, _points_table(question))
    else:  # yes/no, single choice: the table's look-up, with 0 for an unknown value
        points_of = _points_table(question).get
    condition = question.show_if
    return _QuestionPlan(
        question.id,
        points_of,
        None if condition is None else condition.question,
        frozenset(() if condition is None else condition.values),
        is_parent,
    )


def _band_points_of(question: Question, value: AnswerValue, _default: int) -> int:
    return band_points(question, value)


def _multiple_points_of(
    question: Question, table: Mapping[object, int], value: AnswerValue, _default: int
) -> int:
    return multiple_points(question, table, value)


def pulled_down(pillar: PillarScore) -> tuple[str, ...]:
    """The pillar's criteria below its next level (at most 5): most points lost first, then
    file order."""
    next_level = min(pillar.level + 1, 5)
    lp = pillar.level_points
    # (−points lost, position in the file, id): a plain sort puts most lost first, then order
    below = [
        ((level - criterion.max_level) * criterion.multiplier * lp, position, criterion.id)
        for position, (criterion, level) in enumerate(
            zip(pillar.source, pillar.criterion_levels, strict=True)
        )
        if level < next_level
    ]
    below.sort()
    return tuple([criterion_id for _minus_lost, _position, criterion_id in below])


def _points_table(question: Question) -> dict[object, int]:
    if question.type == "yes_no":
        return {"yes": question.yes_points, "no": question.no_points}
    return {option.id: option.points for option in question.options}


def multiple_points(question: Question, table: Mapping[object, int], value: AnswerValue) -> int:
    """The points of the chosen options, capped by the question's `cap`."""
    if not isinstance(value, list):
        return 0
    return min(question.cap or 0, sum(table.get(option, 0) for option in value))


def band_points(question: Question, value: AnswerValue) -> int:
    """The points of the band holding the number (bands are inclusive at both ends)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    number = Fraction(str(value))
    for band in question.bands:
        if band.low <= number <= band.high:
            return band.points
    return 0


def percent_half_up(points: int, max_points: int) -> float:
    """points / max_points × 100, rounded half-up to one decimal (for display only)."""
    if max_points <= 0:
        return 0.0
    tenths = (points * 2000 + max_points) // (2 * max_points)  # ⌊points × 1000 / max + ½⌋
    return tenths / 10


_SCORERS: dict[tuple[str, str, int], Scorer] = {}


def score(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> ScoreResult:
    """Score with a cached `Scorer` for this questionnaire object."""
    key = (questionnaire.id, questionnaire.version, id(questionnaire))
    scorer = _SCORERS.get(key)
    if scorer is None:
        scorer = _SCORERS[key] = Scorer(questionnaire)
    return scorer.score(answers)
