"""Benchmark: DBI-2021 assessments scored per second, on one core (one thread, no workers).

Only scoring is timed: the questionnaire is loaded, the `Scorer` built and the random answer sets
generated (fixed seed) before the clock starts. `Scorer.score` computes the index: criterion
levels, pillar points and levels, total and overall level; what is derived from them (percent,
the criteria holding each pillar back, single criteria) is computed on access. So the run also
reports, without a target, score + the full snapshot that a submission stores (`to_dict`, which
reads every derived part). A baseline measured in the same run — a plain
loop doing one dict look-up per question of the same answer sets — shows how far scoring is from
the cheapest possible pass over an assessment, so the figure can be compared across machines.

Run from the repository root::

    python bench/scoring.py            # human-readable lines, then one JSON line (last)
    python bench/scoring.py --check    # exit 1 if fewer than 20,000 assessments/s
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sme_assess.questionnaire import Questionnaire, load_questionnaire  # noqa: E402
from sme_assess.scoring import Scorer, check_answers  # noqa: E402

DBI_FILE = ROOT / "questionnaires" / "dbi-2021-sme.yaml"
TARGET_PER_S = 20_000
SEED = 20211213


def random_answer_sets(q: Questionnaire, n: int, seed: int) -> list[dict[str, Any]]:
    """`n` valid answer sets: each firm has its own maturity (how likely a gate is "yes" and
    how high it rates itself); a few answers are missing; some hidden details are kept."""
    rng = random.Random(seed)
    sets = []
    for _ in range(n):
        maturity = rng.random()
        answers: dict[str, Any] = {}
        for question in q.iter_questions():
            if rng.random() < 0.03:
                continue  # unanswered
            if question.type == "yes_no":
                answers[question.id] = "yes" if rng.random() < 0.2 + 0.7 * maturity else "no"
            elif question.type in ("single", "multiple"):
                opts = sorted(question.options, key=lambda o: o.points)
                i = min(len(opts) - 1, int(rng.triangular(0, len(opts), maturity * len(opts))))
                if question.type == "single":
                    answers[question.id] = opts[i].id
                else:
                    plain = [o.id for o in opts if not o.exclusive]
                    answers[question.id] = rng.sample(plain, min(len(plain), i + 1))
            else:
                band = rng.choice(question.bands)
                answers[question.id] = float(band.low)
        sets.append(answers)
    return sets


def measure(
    scoring_pass: Callable[[], None], baseline_pass: Callable[[], None], seconds: float
) -> list[tuple[float, float]]:
    """Alternate one scoring pass and one baseline pass (each over all answer sets) until the
    scoring passes add up to `seconds`; return (scoring time, baseline time) per round.

    Interleaving makes both figures see the same machine load, so their ratio stays meaningful
    on a shared machine even when the absolute numbers move."""
    scoring_pass()  # warm-up, not counted
    baseline_pass()
    rounds: list[tuple[float, float]] = []
    spent = 0.0
    clock = time.perf_counter
    while spent < seconds:
        t0 = clock()
        scoring_pass()
        t1 = clock()
        baseline_pass()
        t2 = clock()
        rounds.append((t1 - t0, t2 - t1))
        spent += t1 - t0
    return rounds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if fewer than {TARGET_PER_S:,} assessments/s"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="scoring run time (default 3)")
    parser.add_argument("--sets", type=int, default=2000, help="answer sets (default 2000)")
    args = parser.parse_args(argv)

    q = load_questionnaire(DBI_FILE)
    sets = random_answer_sets(q, args.sets, SEED)
    for answers in sets:
        problems = check_answers(q, answers)
        if problems:
            raise SystemExit(f"generated an invalid answer set: {problems}")
    scorer = Scorer(q)
    levels = Counter(scorer.score(a).overall_level for a in sets)
    question_ids = tuple(x.id for x in q.iter_questions())

    score = scorer.score

    def scoring_pass() -> None:
        for answers in sets:
            score(answers)

    def baseline_pass() -> None:
        for answers in sets:
            get = answers.get
            for qid in question_ids:
                get(qid)

    rounds = measure(scoring_pass, baseline_pass, args.seconds)

    def snapshot_pass() -> None:
        for answers in sets:
            score(answers).to_dict()

    snapshot_rounds = measure(snapshot_pass, baseline_pass, args.seconds / 3)
    snapshots_per_s = statistics.median(len(sets) / r[0] for r in snapshot_rounds)
    n = len(sets)
    elapsed = sum(r[0] for r in rounds)
    # per-round rates; the median is the headline figure (robust to a burst of other load)
    rates = sorted(n / r[0] for r in rounds)
    assessments_per_s = statistics.median(rates)
    mean_per_s = n * len(rounds) / elapsed
    best_per_s = rates[-1]
    baseline_sets_per_s = statistics.median(n / r[1] for r in rounds)
    baseline_lookups_per_s = baseline_sets_per_s * len(question_ids)
    ratio = statistics.median(r[0] / r[1] for r in rounds)

    print(f"questionnaire     {q.key}: {len(q.criteria)} criteria, {len(question_ids)} questions")
    print(
        f"answer sets       {len(sets)} (seed {SEED}), overall levels "
        + ", ".join(f"L{lv}: {n}" for lv, n in sorted(levels.items()))
    )
    print(
        f"python            {platform.python_implementation()} {platform.python_version()}, "
        f"one thread (single core), {os.cpu_count()} CPUs on this machine"
    )
    print(
        f"scoring           {assessments_per_s:,.0f} assessments/s, median of {len(rounds)} "
        f"rounds ({1e6 / assessments_per_s:.1f} µs each; mean {mean_per_s:,.0f}/s, "
        f"best {best_per_s:,.0f}/s; {n * len(rounds):,} scored in {elapsed:.2f} s)"
    )
    print(
        f"baseline          {baseline_lookups_per_s:,.0f} dict look-ups/s = "
        f"{baseline_sets_per_s:,.0f} answer sets/s (one look-up per question)"
    )
    print(
        f"ratio             scoring one assessment costs {ratio:.1f}× one look-up pass "
        "(median of per-round ratios)"
    )
    print(
        f"score + snapshot  {snapshots_per_s:,.0f} assessments/s scored and turned into the "
        f"stored snapshot (every derived part read), median of {len(snapshot_rounds)} rounds; "
        "no target"
    )
    ok = assessments_per_s >= TARGET_PER_S
    print(f"target            {TARGET_PER_S:,} assessments/s: {'met' if ok else 'NOT met'}")
    print(
        json.dumps(
            {
                "benchmark": "scoring",
                "questionnaire": q.key,
                "answer_sets": len(sets),
                "questions": len(question_ids),
                "seconds": round(elapsed, 3),
                "assessments_per_s": round(assessments_per_s),
                "assessments_per_s_mean": round(mean_per_s),
                "assessments_per_s_best": round(best_per_s),
                "rounds": len(rounds),
                "baseline_lookups_per_s": round(baseline_lookups_per_s),
                "baseline_sets_per_s": round(baseline_sets_per_s),
                "ratio": round(ratio, 2),
                "snapshots_per_s": round(snapshots_per_s),
                "target_per_s": TARGET_PER_S,
                "targets": [{"key": "assessments_per_s", "limit": TARGET_PER_S, "at_least": True}],
                "python": platform.python_version(),
            }
        )
    )
    if args.check and not ok:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
