"""How a questionnaire is cut into pages, how its questions are numbered, and how long it takes.

Pure Python (no Flask, no database), so the rules can be read and tested on their own.

Pages: each pillar is one step; a step is split into pages by component, and a component with
more than `MAX_CRITERIA_PER_PAGE` criteria into near-equal runs of whole criteria (a yes/no gate
always stays with its detail question). With five criteria a page is about three phone screens
at 360 px.

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

from .model import AnswerValue, Component, Criterion, Pillar, Question, Questionnaire

MAX_CRITERIA_PER_PAGE = 5

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


def _runs(criteria: tuple[Criterion, ...], size: int) -> list[tuple[Criterion, ...]]:
    """Split into ceil(n / size) runs whose lengths differ by at most one, first runs longer."""
    n = len(criteria)
    count = max(1, math.ceil(n / size))
    base, extra = divmod(n, count)
    out, start = [], 0
    for i in range(count):
        length = base + (1 if i < extra else 0)
        out.append(criteria[start : start + length])
        start += length
    return out


def pillar_pages(pillar: Pillar, step: int) -> tuple[Page, ...]:
    """The pages of one pillar, in file order."""
    chunks = [
        (comp, run)
        for comp in pillar.components
        for run in _runs(comp.criteria, MAX_CRITERIA_PER_PAGE)
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
    """
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
