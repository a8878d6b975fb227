"""Run a benchmark three times and judge the median of each target figure.

    python bench/median.py [--runs 3] bench/pages.py [benchmark arguments…]

Each run's last line must be the benchmark's JSON, with `targets` (key, limit, at_least; see
`_common.report`). A run that exits non-zero or prints no JSON is a crash: this stops at once
with exit status 2 (a crash is never retried as a near miss). Otherwise the median over the runs
of each target's figure is compared with its target: exit status 1 if one is missed, 0 if all
are met. The last line is one line of JSON with the medians and every run's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from typing import Any


def last_json(output: str) -> dict[str, Any] | None:
    for line in reversed(output.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                return None
            return value if isinstance(value, dict) else None
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("benchmark", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    if not args.benchmark:
        ap.error("name the benchmark script")
    results = []
    for i in range(1, args.runs + 1):
        print(f"--- {' '.join(args.benchmark)}: run {i} of {args.runs}", flush=True)
        proc = subprocess.run(
            [sys.executable, *args.benchmark], capture_output=True, text=True, check=False
        )
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        data = last_json(proc.stdout)
        if proc.returncode != 0 or data is None or "targets" not in data:
            print(
                f"CRASH: run {i} of {args.benchmark[0]} exited {proc.returncode}"
                + ("" if data else " without its JSON line"),
                file=sys.stderr,
            )
            return 2
        results.append(data)
    targets = results[0]["targets"]
    medians = {t["key"]: statistics.median(float(r[t["key"]]) for r in results) for t in targets}
    missed = []
    for t in targets:
        value = medians[t["key"]]
        ok = value >= t["limit"] if t["at_least"] else value <= t["limit"]
        sign = "≥" if t["at_least"] else "≤"
        runs = ", ".join(str(r[t["key"]]) for r in results)
        print(
            f"median {t['key']} = {value:g} (runs: {runs}); target {sign} {t['limit']:g}: "
            + ("met" if ok else "NOT met")
        )
        if not ok:
            missed.append(t["key"])
    print(
        json.dumps(
            {
                "benchmark": results[0].get("benchmark", args.benchmark[0]),
                "medians": medians,
                "runs": [{t["key"]: r[t["key"]] for t in targets} for r in results],
                "missed": missed,
            },
            ensure_ascii=False,
        )
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
