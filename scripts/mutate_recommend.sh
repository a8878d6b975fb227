#!/usr/bin/env bash
# Mutation testing of the recommendation engine (sme_assess/recommend/engine.py) with mutmut 3.
# Runs in a throw-away copy of the checkout (mutmut writes a `mutants/` folder), with the
# project's .venv, against the recommendation tests only.
#
#   bash scripts/mutate_recommend.sh            # prints mutmut's summary and the survivors
#   KEEP=/tmp/mut bash scripts/mutate_recommend.sh   # keep the copy to browse (mutmut browse)
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
root = pathlib.Path(".")
keep = "sme_assess/recommend/engine.py"
skip = sorted(str(p) for p in root.glob("sme_assess/**/*.py") if str(p) != keep)
pp = pathlib.Path("pyproject.toml")
text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pp.read_text())
# the engine's own tests (the CLI and catalogue tests reload files for every mutant: slow)
tests = ["tests/unit/test_recommend.py", "tests/unit/test_recommend_plans.py"]
text += "\n[tool.mutmut]\n"
text += 'paths_to_mutate = ["sme_assess/"]\n'
text += "do_not_mutate = [" + ", ".join(f'"{s}"' for s in skip) + "]\n"
text += 'also_copy = ["tests/", "questionnaires/", "templates/", "translations/"]\n'
text += "tests_dir = [" + ", ".join(f'"{t}"' for t in tests) + "]\n"
pp.write_text(text)
PY
"$MUTMUT" run --max-children "${JOBS:-2}" || true
"$MUTMUT" results || true
echo "copy: $WORK"
