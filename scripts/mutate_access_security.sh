#!/usr/bin/env bash
# Mutation testing of the access rules and the security helpers (sme_assess/access.py,
# sme_assess/security.py) with mutmut 3. Runs in a throw-away copy of the checkout (mutmut writes
# a `mutants/` folder), with the project's .venv, against focused test files only: the
# table-driven rules and helpers tests (most need no app; the database ones share one app per
# run), the resume-code tests, and the two short app tests of the session cookie cache and the
# reused CSRF token. The web suites are not run: every request goes through these modules, so
# each mutant would start the whole app suite (~20 s a mutant).
#
#   bash scripts/mutate_access_security.sh               # mutmut's summary and the survivors
#   JOBS=2 bash scripts/mutate_access_security.sh        # two mutants at a time (default one)
#   KEEP=/tmp/mut bash scripts/mutate_access_security.sh # keep the copy (mutmut show / browse)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
MUTMUT="$(dirname "$PY")/mutmut"  # not "python -m mutmut": mutmut 3 must stay in sys.modules
WORK="${KEEP:-$(mktemp -d)}"
mkdir -p "$WORK"
tar -C "$ROOT" --exclude=.venv --exclude=.git --exclude=mutants --exclude=build \
    --exclude=test-artifacts --exclude='*.egg-info' -cf - . | tar -C "$WORK" -xf -
cd "$WORK"
"$PY" - <<'PY'
import pathlib, re
pp = pathlib.Path("pyproject.toml")
text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pp.read_text())
targets = ["sme_assess/access.py", "sme_assess/security.py"]
tests = [
    "tests/unit/test_access_rules.py",
    "tests/unit/test_security_rules.py",
    "tests/unit/test_codes.py",
    # the session cookie verified once and the CSRF token reused: through the app (few tests)
    "tests/security/test_session_cache.py",
    "tests/security/test_csrf_reuse.py",
]
quote = lambda items: "[" + ", ".join(f'"{s}"' for s in items) + "]"  # noqa: E731
text += "\n[tool.mutmut]\n"
text += 'source_paths = ["sme_assess"]\n'
text += f"only_mutate = {quote(targets)}\n"
text += f'also_copy = {quote(["templates", "translations", "questionnaires"])}\n'
text += f"pytest_add_cli_args_test_selection = {quote(tests)}\n"
text += f'pytest_add_cli_args = {quote(["-p", "no:cacheprovider", "-m", "not e2e"])}\n'
pp.write_text(text)
PY
start=$(date +%s)
"$MUTMUT" run --max-children "${JOBS:-1}" || true
echo "mutmut run: $(( $(date +%s) - start )) s"
"$MUTMUT" results || true
echo "copy: $WORK"
