#!/usr/bin/env bash
# Mutation testing of the access rules and the security helpers (sme_assess/access.py,
# sme_assess/security.py) with mutmut 3, against focused test files only: the table-driven
# rules and helpers tests (most need no app; the database ones share one app per run), the
# resume-code tests, and the two short app tests of the session cookie cache and the reused
# CSRF token. The web suites are not run: every request goes through these modules, so each
# mutant would start the whole app suite (~20 s a mutant).
#
#   bash scripts/mutate_access_security.sh               # mutmut's summary and the survivors
#   JOBS=2 bash scripts/mutate_access_security.sh        # two mutants at a time (default one)
#   KEEP=/tmp/mut bash scripts/mutate_access_security.sh # keep the copy (mutmut show / browse)
set -euo pipefail
MUTATE="sme_assess/access.py sme_assess/security.py" \
TESTS="tests/unit/test_access_rules.py tests/unit/test_security_rules.py tests/unit/test_codes.py
tests/security/test_session_cache.py tests/security/test_csrf_reuse.py" \
    exec bash "$(dirname "$0")/_mutate_focused.sh"
