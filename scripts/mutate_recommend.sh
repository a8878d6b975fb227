#!/usr/bin/env bash
# Mutation testing of the recommendation engine (sme_assess/recommend/engine.py) with mutmut 3,
# against the recommendation tests only (the CLI and catalogue tests reload files for every
# mutant: slow). About 2½ minutes with JOBS=2 on 2 cores (1 Dec 2026).
#
#   bash scripts/mutate_recommend.sh               # mutmut's summary and the survivors
#   JOBS=2 bash scripts/mutate_recommend.sh        # two mutants at a time (default one)
#   KEEP=/tmp/mut bash scripts/mutate_recommend.sh # keep the copy (mutmut show / browse)
set -euo pipefail
MUTATE="sme_assess/recommend/engine.py" \
TESTS="tests/unit/test_recommend.py tests/unit/test_recommend_plans.py" \
    exec bash "$(dirname "$0")/_mutate_focused.sh"
