#!/usr/bin/env bash
# Shared body of the focused mutation scripts (mutate_scoring.sh, mutate_access_security.sh,
# mutate_recommend.sh):
# mutmut 3 in a throw-away copy of the checkout (mutmut writes a `mutants/` folder), with the
# project's .venv, mutating only the modules named in MUTATE and running only the test files
# named in TESTS (both space-separated). JOBS mutants at a time (default 1); KEEP=DIR keeps the
# copy (mutmut show / browse).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
MUTMUT="$(dirname "$PY")/mutmut"  # not "python -m mutmut": mutmut 3 must stay in sys.modules
WORK="${KEEP:-$(mktemp -d)}"
mkdir -p "$WORK"
tar -C "$ROOT" --exclude=.venv --exclude=.git --exclude=mutants --exclude=build \
    --exclude=test-artifacts --exclude='*.egg-info' -cf - . | tar -C "$WORK" -xf -
cd "$WORK"
MUTATE="$MUTATE" TESTS="$TESTS" "$PY" - <<'PY'
import os, pathlib, re
pp = pathlib.Path("pyproject.toml")
text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pp.read_text())
targets = os.environ["MUTATE"].split()
tests = os.environ["TESTS"].split()
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
