"""The scoring engine (see the package docstring for the rules)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from ..questionnaire.model import AnswerValue, Question, Questionnaire


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
    """One pillar's result. `criteria` is built on access from the compact fields (the hot
    scoring loop only records levels)."""

    pillar_id: str
    points: int
    max_points: int
    percent: float
    level: int
    pulled_down: tuple[str, ...]
    criteria_meta: tuple[tuple[str, str, int, int], ...]  # (id, code, max points, factor)
    levels: tuple[int, ...]
    answered: tuple[bool, ...]

    @property
    def criteria(self) -> tuple[CriterionScore, ...]:
        return tuple(
            CriterionScore(cid, code, self.pillar_id, lv, lv * factor, cmax, ans)
            for (cid, code, cmax, factor), lv, ans in zip(
                self.criteria_meta, self.levels, self.answered, strict=True
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
        return round_percent(Fraction(self.total * 100, self.max_total or 1))

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
    tenths = (value.numerator * 20 + value.denominator) // (2 * value.denominator)
    return tenths / 10


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


# --- compiled scorer ---------------------------------------------------------------------------
# A questionnaire is compiled once into flat tuples so that scoring an assessment is a few
# dictionary look-ups per question (the benchmark asks for ≥ 20,000 assessments/s).

_YES_NO, _SINGLE, _MULTI, _NUMBER = 0, 1, 2, 3
_TYPE_CODE = {"yes_no": _YES_NO, "single": _SINGLE, "multiple": _MULTI, "number": _NUMBER}


class Scorer:
    """Scores answers against one questionnaire. Build once, call `score` many times."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        sc = questionnaire.scoring
        # Thresholds as integer pairs so the hot path compares ints, not Fractions:
        # percent > above  ⇔  points * 100 * den > num, with num/den = above × pillar max.
        self._rules = tuple(
            (
                r.level,
                r.total_above.numerator,
                r.total_above.denominator,
                r.pillars_at_least,
                r.pillar_level,
            )
            for r in reversed(sc.overall_rules)
        )
        parents = {q.show_if.question for q in questionnaire.iter_questions() if q.show_if}
        self._max_total = sc.max_total
        pillars = []
        for p in questionnaire.pillars:
            crits = []
            for c in p.criteria:
                qs = []
                for q in c.questions:
                    if q.type == "yes_no":
                        table: Any = {"yes": q.yes_points, "no": q.no_points}
                    elif q.type in ("single", "multiple"):
                        table = {o.id: o.points for o in q.options}
                    else:
                        table = tuple((b.low, b.high, b.points) for b in q.bands)
                    cond = None
                    if q.show_if is not None:
                        parent_q = questionnaire.question(q.show_if.question)
                        multi = parent_q is not None and parent_q.type == "multiple"
                        cond = (q.show_if.question, frozenset(q.show_if.values), multi)
                    qs.append((q.id, _TYPE_CODE[q.type], table, q.cap, cond, q.id in parents))
                crits.append((c.max_level, c.multiplier * sc.level_points, tuple(qs)))
            bands = tuple(
                (
                    b.level,
                    (b.above * p.max_points).numerator,
                    (b.above * p.max_points).denominator,
                    b.inclusive,
                )
                for b in reversed(sc.pillar_bands)
            )
            meta = tuple(
                (c.id, c.code, c.max_points(sc.level_points), c.multiplier * sc.level_points)
                for c in p.criteria
            )
            pillars.append((p.id, p.max_points, tuple(crits), bands, meta))
        self._pillars = tuple(pillars)
        self._levels = _compile_levels(self._pillars)

    def score(self, answers: Mapping[str, AnswerValue]) -> ScoreResult:
        """Score `answers` (question id → option id / list of ids / number / "yes"/"no").

        Answers are assumed checked (`check_answers`); an unknown option scores 0 here.
        """
        pillar_scores = []
        total = 0
        for (pid, pmax, _crits, bands, meta), (levels, answered_flags, ppoints) in zip(
            self._pillars, self._levels(answers.get), strict=True
        ):
            scaled = ppoints * 100
            plevel = 0
            for level, num, den, inclusive in bands:
                if scaled * den > num or (inclusive and scaled * den == num):
                    plevel = level
                    break
            target = plevel + 1 if plevel < 5 else 5
            # most points lost first, then file order (sort is stable)
            pulled = [
                (lv * m[3] - m[2], i, m[0])  # (−points lost, file position, id): plain sort
                for i, (m, lv) in enumerate(zip(meta, levels, strict=True))
                if lv < target
            ]
            pulled.sort()
            pillar_scores.append(
                _new(
                    PillarScore,
                    (
                        pid,
                        ppoints,
                        pmax,
                        (ppoints * 2000 + pmax) // (2 * pmax) / 10,
                        plevel,
                        tuple(x[2] for x in pulled),
                        meta,
                        tuple(levels),
                        tuple(answered_flags),
                    ),
                )
            )
            total += ppoints
        overall = self._overall_level(total, [p.level for p in pillar_scores])
        q = self.questionnaire
        return ScoreResult(q.id, q.version, tuple(pillar_scores), total, self._max_total, overall)

    def _overall_level(self, total: int, pillar_levels: list[int]) -> int:
        for level, num, den, at_least, pillar_level in self._rules:
            if total * den <= num:
                continue
            need = len(pillar_levels) if at_least is None else at_least
            if sum(1 for lv in pillar_levels if lv >= pillar_level) >= need:
                return level
        return 0


def _compile_levels(pillars: tuple[Any, ...]) -> Any:
    """Generate straight-line Python for the per-question work of `Scorer.score`.

    The function takes `answers.get` and returns, per pillar, (criterion levels, answered
    flags, pillar points). It applies exactly the rules of the package docstring: a question
    counts only when shown (its `show_if` parent shown and answered with a listed value); its
    points come from its table; a criterion's level is the capped sum. Generated once per
    questionnaire: an interpreted loop over the same tables costs about twice as much.
    """
    consts: dict[str, Any] = {"_Fraction": Fraction}
    lines = ["def _levels(get):", "    out = []"]
    shown_var: dict[str, str] = {}
    for pi, (_pid, _pmax, crits, _bands, _meta) in enumerate(pillars):
        lvars, avars, terms = [], [], []
        for ci, (max_level, factor, qs) in enumerate(crits):
            lines.append("    pts = 0; ans = False")
            for qi, (qid, qtype, table, cap, cond, is_parent) in enumerate(qs):
                key = f"_{pi}_{ci}_{qi}"
                consts["T" + key] = table
                ind = "    "
                if cond is not None:
                    parent_id, values, parent_multi = cond
                    consts["C" + key] = values
                    pv = shown_var[parent_id]
                    if parent_multi:
                        test = (
                            f"{pv} and isinstance(get({parent_id!r}), list) and "
                            f"any(x in C{key} for x in get({parent_id!r}))"
                        )
                    else:
                        test = f"{pv} and get({parent_id!r}) in C{key}"
                    if is_parent:
                        shown_var[qid] = f"s{key}"
                        lines.append(f"    s{key} = {test}")
                        test = f"s{key}"
                    lines.append(f"    if {test}:")
                    ind = "        "
                elif is_parent:
                    shown_var[qid] = "True"
                lines.append(f"{ind}v = get({qid!r})")
                lines.append(f"{ind}if v is not None:")
                lines.append(f"{ind}    ans = True")
                if qtype in (_SINGLE, _YES_NO):
                    lines.append(f"{ind}    pts += T{key}.get(v, 0)")
                elif qtype == _MULTI:
                    lines.append(
                        f"{ind}    pts += min({cap or 0}, sum(T{key}.get(x, 0) for x in v)) "
                        "if isinstance(v, list) else 0"
                    )
                else:
                    lines.append(f"{ind}    n = _Fraction(str(v))")
                    lines.append(f"{ind}    for lo, hi, bp in T{key}:")
                    lines.append(f"{ind}        if lo <= n <= hi:")
                    lines.append(f"{ind}            pts += bp")
                    lines.append(f"{ind}            break")
            lv, av = f"l{pi}_{ci}", f"a{pi}_{ci}"
            lines.append(f"    {lv} = pts if pts < {max_level} else {max_level}; {av} = ans")
            lvars.append(lv)
            avars.append(av)
            terms.append(f"{lv} * {factor}")
        lines.append(
            f"    out.append((({', '.join(lvars)},), ({', '.join(avars)},), "
            f"{' + '.join(terms) or '0'}))"
        )
    lines.append("    return out")
    namespace: dict[str, Any] = dict(consts)
    exec(compile("\n".join(lines), "<sme_assess.scoring generated>", "exec"), namespace)
    return namespace["_levels"]


_new = tuple.__new__


_SCORERS: dict[tuple[str, str, int], Scorer] = {}


def score(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> ScoreResult:
    """Score with a cached `Scorer` for this questionnaire object."""
    key = (questionnaire.id, questionnaire.version, id(questionnaire))
    scorer = _SCORERS.get(key)
    if scorer is None:
        scorer = _SCORERS[key] = Scorer(questionnaire)
    return scorer.score(answers)
