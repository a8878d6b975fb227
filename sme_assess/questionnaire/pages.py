"""How a questionnaire is cut into pages, how its questions are numbered, and how long it takes.

Pure Python (no Flask, no database), so the rules can be read and tested on their own.

Pages: each pillar is one step; a step is split into pages by component, and a long component
into near-equal runs of whole criteria (a yes/no gate always stays with its detail question).
"Long" is measured as the height a page takes on a 360 px phone without JavaScript (every
follow-up question shown), estimated from the Vietnamese text: lines of question, help and
option text at the characters a line holds, and the fixed height of an option box. A page holds
at most `MAX_PAGE_PX` of questions, about three phone screens (740 px) with the page's heading.

Numbering: the owner reads "question 14–22 of about 80". A question is counted when it would be
shown with the answers given so far, an unanswered yes/no gate counted as "yes" (the longest
path still open), so the total only shrinks as the owner answers "no".

Time: words read (question, help and option texts of the counted questions) at a reading
speed, plus a moment to choose per question; stated as a range between a quick reader on the
shortest path still open and a careful one on the longest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import AnswerValue, Component, Criterion, Pillar, Question, Questionnaire

MAX_PAGE_PX = 2150
# A 360 px phone, 16 px body text (see static/app.css): characters per line and line heights.
_LEGEND_CHARS, _LEGEND_LINE = 38, 26
_HELP_CHARS, _HELP_LINE = 44, 22
_OPTION_CHARS, _OPTION_LINE = 32, 24
_QUESTION_GAP, _OPTION_BOX, _OPTION_GAP = 34, 48, 6

# Reading speed in space-separated words per minute (a Vietnamese word here is one syllable),
# and seconds to pick an answer once read. Quick: skims help; careful: reads everything.
# Calibrated on a timed run: 80 questions, about 7,600 words, 35–45 minutes.
QUICK_WORDS_PER_MINUTE = 280
CAREFUL_WORDS_PER_MINUTE = 220
QUICK_SECONDS_PER_ANSWER = 4
CAREFUL_SECONDS_PER_ANSWER = 6


@dataclass(frozen=True)
class Page:
    """A page of questions: `step` (1-based pillar index) and `part` (1-based within it)."""

    step: int
    part: int
    parts: int
    pillar: Pillar
    component: Component
    criteria: tuple[Criterion, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for c in self.criteria for q in c.questions)

    @property
    def continued(self) -> bool:
        """True when an earlier page holds the start of the same component."""
        return self.criteria[0] is not self.component.criteria[0]

    @property
    def id(self) -> str:
        return f"{self.component.id}-{self.part}"


def _lines(text: str, per_line: int) -> int:
    return max(1, math.ceil(len(text) / per_line))


def height_of(criterion: Criterion) -> int:
    """Estimated px a criterion takes on a phone without JavaScript (see the module docstring)."""
    px = 0
    for q in criterion.questions:
        px += _QUESTION_GAP + _lines(q.text.get(), _LEGEND_CHARS) * _LEGEND_LINE
        if q.help is not None:
            px += _lines(q.help.get(), _HELP_CHARS) * _HELP_LINE
        if q.type == "yes_no":
            px += _OPTION_BOX + _OPTION_GAP  # "Yes" and "No" side by side
        for o in q.options:
            text = max(_OPTION_BOX, 24 + _lines(o.text.get(), _OPTION_CHARS) * _OPTION_LINE)
            px += text + _OPTION_GAP
    return px


def _runs(criteria: tuple[Criterion, ...], budget: int) -> list[tuple[Criterion, ...]]:
    """Split into the fewest runs whose height stays within `budget` (a criterion taller than
    the budget alone gets a page of its own), as even as possible: of all the ways to cut into
    that many runs, the one whose tallest run is shortest."""
    rows = [height_of(c) for c in criteria]
    n = len(rows)
    for count in range(1, n + 1):
        cuts = _even_cuts(rows, count)
        parts = [criteria[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
        if count == n or all(sum(height_of(c) for c in part) <= budget for part in parts):
            return parts
    return [criteria]  # no criteria at all


def _even_cuts(rows: list[int], count: int) -> list[int]:
    """Cut positions splitting `rows` into `count` contiguous runs with the smallest largest
    sum (dynamic programming over prefixes; a component has at most a few dozen criteria)."""
    n = len(rows)
    prefix = [0]
    for r in rows:
        prefix.append(prefix[-1] + r)
    inf = float("inf")
    # best[k][i]: smallest largest sum splitting the first i rows into k runs; cut[k][i]: where
    # the last run starts
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    cut = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(1, count + 1):
        for i in range(k, n + 1):
            for j in range(k - 1, i):
                worst = max(best[k - 1][j], prefix[i] - prefix[j])
                if worst < best[k][i]:
                    best[k][i], cut[k][i] = worst, j
    cuts, i = [], n
    for k in range(count, 1, -1):
        i = cut[k][i]
        cuts.append(i)
    return sorted(cuts)


def pillar_pages(pillar: Pillar, step: int) -> tuple[Page, ...]:
    """The pages of one pillar, in file order."""
    chunks = [
        (comp, run) for comp in pillar.components for run in _runs(comp.criteria, MAX_PAGE_PX)
    ]
    return tuple(
        Page(step, i, len(chunks), pillar, comp, run) for i, (comp, run) in enumerate(chunks, 1)
    )


_PAGES: dict[int, tuple[Questionnaire, tuple[Page, ...]]] = {}


def all_pages(questionnaire: Questionnaire) -> tuple[Page, ...]:
    """Every page in order (computed once per questionnaire object)."""
    hit = _PAGES.get(id(questionnaire))
    if hit is not None and hit[0] is questionnaire:
        return hit[1]
    pages = tuple(
        page
        for step, pillar in enumerate(questionnaire.pillars, start=1)
        for page in pillar_pages(pillar, step)
    )
    _PAGES[id(questionnaire)] = (questionnaire, pages)
    return pages


def step_pages(questionnaire: Questionnaire, step: int) -> tuple[Page, ...]:
    """The pages of step `step` (1-based), from the cached `all_pages`."""
    return tuple(p for p in all_pages(questionnaire) if p.step == step)


def page_of(questionnaire: Questionnaire, question_id: str) -> Page | None:
    """The page that asks `question_id`."""
    for page in all_pages(questionnaire):
        if any(q.id == question_id for q in page.questions):
            return page
    return None


def neighbours(questionnaire: Questionnaire, page: Page) -> tuple[Page | None, Page | None]:
    """The pages before and after `page` (None at either end)."""
    pages = all_pages(questionnaire)
    i = next(k for k, p in enumerate(pages) if (p.step, p.part) == (page.step, page.part))
    return (pages[i - 1] if i > 0 else None, pages[i + 1] if i + 1 < len(pages) else None)


def counted_question_ids(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> tuple[str, ...]:
    """The questions counted for numbering, in order: shown for `answers`, with every
    unanswered question that others depend on counted as opening them (the longest open path).

    It depends only on the answers to the gate questions (those a `show_if` names), so it is
    computed once per combination of them (every question page shows these numbers)."""
    gates = _gate_ids(questionnaire)
    key: tuple[int, tuple[Any, ...]] = (id(questionnaire), tuple(map(answers.get, gates)))
    try:
        hit = _COUNTED.get(key)
    except TypeError:  # a list (multiple choice) among them: as the tuple of its texts
        key = (id(questionnaire), tuple(_gate_value(answers.get(g)) for g in gates))
        hit = _COUNTED.get(key)
    if hit is not None and hit[0] is questionnaire:
        return hit[1]
    counted = _counted_question_ids(questionnaire, answers)
    if len(_COUNTED) >= _COUNTED_MAX:
        _COUNTED.clear()
    _COUNTED[key] = (questionnaire, counted)
    return counted


_COUNTED: dict[tuple[int, tuple[Any, ...]], tuple[Questionnaire, tuple[str, ...]]] = {}
_COUNTED_MAX = 4096
_GATES: dict[int, tuple[Questionnaire, tuple[str, ...]]] = {}


def _gate_ids(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The questions some `show_if` depends on, in order (once per questionnaire object)."""
    hit = _GATES.get(id(questionnaire))
    if hit is not None and hit[0] is questionnaire:
        return hit[1]
    gates = tuple(
        dict.fromkeys(q.show_if.question for q in questionnaire.iter_questions() if q.show_if)
    )
    _GATES[id(questionnaire)] = (questionnaire, gates)
    return gates


def _gate_value(value: AnswerValue | None) -> Any:
    """An answer as `show_if` compares it (as text; a list as the tuple of its texts)."""
    if value is None:
        return None
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return str(value)


def _counted_question_ids(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> tuple[str, ...]:
    """`counted_question_ids` computed from scratch."""
    counted: list[str] = []
    seen: set[str] = set()
    for q in questionnaire.iter_questions():
        cond = q.show_if
        if cond is None:
            ok = True
        elif cond.question not in seen:
            ok = False
        else:
            value = answers.get(cond.question)
            if value is None:
                ok = True  # not answered yet: may still open this question
            elif isinstance(value, list):
                ok = any(str(v) in cond.values for v in value)
            else:
                ok = str(value) in cond.values
        if ok:
            counted.append(q.id)
            seen.add(q.id)
    return tuple(counted)


def shortest_question_ids(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]
) -> tuple[str, ...]:
    """Like `counted_question_ids`, but an unanswered gate counted as closing its questions."""
    shown: list[str] = []
    seen: set[str] = set()
    for q in questionnaire.iter_questions():
        cond = q.show_if
        ok = cond is None or (
            cond.question in seen
            and (value := answers.get(cond.question)) is not None
            and (
                any(str(v) in cond.values for v in value)
                if isinstance(value, list)
                else str(value) in cond.values
            )
        )
        if ok:
            shown.append(q.id)
            seen.add(q.id)
    return tuple(shown)


@dataclass(frozen=True)
class PageNumbers:
    """`first`–`last` of about `total` (first > last when none of the page's questions count)."""

    first: int
    last: int
    total: int


def page_numbers(
    questionnaire: Questionnaire, page: Page, answers: Mapping[str, AnswerValue]
) -> PageNumbers:
    counted = counted_question_ids(questionnaire, answers)
    key = (id(counted), id(page))  # the hit is confirmed by identity below
    hit = _NUMBERS.get(key)
    if hit is not None and hit[0] is counted and hit[1] is page:
        return hit[2]
    numbers = _page_numbers(questionnaire, page, counted)
    if len(_NUMBERS) >= _COUNTED_MAX:
        _NUMBERS.clear()
    _NUMBERS[key] = (counted, page, numbers)
    return numbers


# (counted ids, page) → its numbers: the counted tuples are kept in `_COUNTED`, so a page's
# numbers are worked out once per combination of gate answers
_NUMBERS: dict[tuple[int, int], tuple[tuple[str, ...], Page, PageNumbers]] = {}


def _page_numbers(
    questionnaire: Questionnaire, page: Page, counted: tuple[str, ...]
) -> PageNumbers:
    on_page = {q.id for q in page.questions}
    positions = [i for i, qid in enumerate(counted, start=1) if qid in on_page]
    if not positions:
        before = sum(
            1
            for i, qid in enumerate(counted, 1)
            if _page_index(questionnaire, qid) < _page_key(page)
        )
        return PageNumbers(before + 1, before, len(counted))
    return PageNumbers(positions[0], positions[-1], len(counted))


def _page_key(page: Page) -> tuple[int, int]:
    return (page.step, page.part)


def _page_index(questionnaire: Questionnaire, qid: str) -> tuple[int, int]:
    page = page_of(questionnaire, qid)
    return _page_key(page) if page is not None else (0, 0)


def words_of(question: Question) -> int:
    """Words an owner reads for a question: its text, help and option texts (default locale)."""
    parts = [question.text.get()]
    if question.help is not None:
        parts.append(question.help.get())
    parts.extend(o.text.get() for o in question.options)
    if question.type == "yes_no":
        parts.append("Có Không")
    return sum(len(p.split()) for p in parts)


@dataclass(frozen=True)
class Estimate:
    """Minutes `low`–`high` for `questions_low`–`questions_high` questions still to answer."""

    low: int
    high: int
    questions_low: int
    questions_high: int
    words_high: int


def _minutes(words: int, questions: int, wpm: int, seconds_per_answer: int) -> float:
    return words / wpm + questions * seconds_per_answer / 60


def estimate(
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerValue] | None = None,
    *,
    remaining_only: bool = False,
) -> Estimate:
    """The time the questionnaire takes on the branch chosen by `answers` so far: a quick
    reader (skims the help) and a careful one (reads it all), both on the longest path still
    open; minutes rounded to 5 (low down, high up, at least 5 apart). `questions_low` is the
    shortest path still open ("no" to every open gate). With `remaining_only`, answered
    questions are left out (the time still needed)."""
    answers = answers or {}
    longest = counted_question_ids(questionnaire, answers)
    shortest = shortest_question_ids(questionnaire, answers)
    if remaining_only:
        longest = tuple(q for q in longest if q not in answers)
        shortest = tuple(q for q in shortest if q not in answers)
    questions = [_q(questionnaire, qid) for qid in longest]
    words = sum(words_of(q) for q in questions)
    skimmed = words - sum(_help_words(q) for q in questions) // 2
    low = _minutes(skimmed, len(questions), QUICK_WORDS_PER_MINUTE, QUICK_SECONDS_PER_ANSWER)
    high = _minutes(words, len(questions), CAREFUL_WORDS_PER_MINUTE, CAREFUL_SECONDS_PER_ANSWER)
    if not questions:
        return Estimate(0, 0, 0, 0, 0)
    low_m = max(5, 5 * math.floor(low / 5))
    high_m = max(low_m + 5, 5 * math.ceil(high / 5))
    return Estimate(low_m, high_m, len(shortest), len(longest), words)


def _q(questionnaire: Questionnaire, qid: str) -> Question:
    q = questionnaire.question(qid)
    assert q is not None
    return q


def _help_words(question: Question) -> int:
    return len(question.help.get().split()) if question.help is not None else 0
