"""The pillar-level rule of the scoring rules, in one function (pure: no Flask, no database).

Scoring and recommendations both call `pillar_level`, so the level a plan predicts is computed
by exactly the rule that scores the assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..questionnaire.model import PillarBand


def pillar_level(points: int, max_points: int, bands: Sequence[PillarBand]) -> int:
    """The pillar level for `points` out of `max_points`.

    percent = points / max_points × 100, compared exactly (fractions, no rounding). The level is
    that of the highest band whose lower bound the percent passes: ``percent > band.above``, or
    ``percent >= band.above`` for an inclusive band. `bands` are the questionnaire's
    ``scoring.pillar_bands`` in any order. A pillar without points to win (`max_points` ≤ 0)
    and a percent that passes no band are level 0.
    """
    if max_points <= 0:
        return 0
    level = 0
    for band in bands:
        if band.level <= level:
            continue  # a higher band has passed already
        # percent > above (≥ when inclusive), in whole numbers: with above = n / d,
        # points / max_points × 100 > n / d  ⇔  points × 100 × d > n × max_points
        numerator, denominator = band.above_terms
        scaled_percent = points * 100 * denominator
        bound = numerator * max_points
        if scaled_percent > bound or (band.inclusive and scaled_percent == bound):
            level = band.level
    return level


def exceeds(value: int, bound: Fraction) -> bool:
    """value > bound, for a whole number and a fraction, in whole numbers."""
    return value * bound.denominator > bound.numerator
