#!/usr/bin/env bash
# Mutation testing of the scoring core (sme_assess/scoring/engine.py and levels.py) with
# mutmut 3, against the scoring tests (expected values written by hand, the pillar-level rule
# included). About 75 s with JOBS=2 on 2 cores.
#
#   bash scripts/mutate_scoring.sh               # mutmut's summary and the survivors
#   JOBS=2 bash scripts/mutate_scoring.sh        # two mutants at a time (default one)
#   KEEP=/tmp/mut bash scripts/mutate_scoring.sh # keep the copy (mutmut show / browse)
set -euo pipefail
MUTATE="sme_assess/scoring/engine.py sme_assess/scoring/levels.py" \
TESTS="tests/unit/test_scoring.py" \
    exec bash "$(dirname "$0")/_mutate_focused.sh"
