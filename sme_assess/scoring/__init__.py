"""Answers → criterion levels, pillar scores and levels, total and overall level.

Pure: no Flask, no database. Rules, stated once and pinned by tests:

- **Criterion**: level = min(max_level, sum of the points of its *shown* and answered questions);
  points = level × multiplier × level_points. An unanswered question scores 0 (as "no"); a
  question hidden by `show_if` scores 0 and an answer kept for it is ignored.
- **Pillar**: points = sum of its criteria; percent = points / max × 100. The level is the
  highest band whose lower bound the percent passes (`>`; `>=` for an inclusive band), compared
  exactly with fractions, never with rounded floats. `percent` in results is rounded half-up to
  one decimal for display only.
- **Overall**: the highest rule whose two conditions hold (total > threshold, and at least N
  pillars at level ≥ L; N = all pillars when the file says `all`), else 0.
- **Pulled down**: per pillar, the criteria whose level is below the pillar's next level
  (pillar level + 1, at most 5), most points lost first, then file order. These are what keep
  the pillar from rising, and what recommendations work on.
"""

from .engine import (
    AnswerError,
    CriterionScore,
    PillarScore,
    Scorer,
    ScoreResult,
    check_answers,
    missing_answers,
    round_percent,
    score,
)

__all__ = [
    "AnswerError",
    "CriterionScore",
    "PillarScore",
    "ScoreResult",
    "Scorer",
    "check_answers",
    "missing_answers",
    "round_percent",
    "score",
]
