#!/usr/bin/env bash
# One entry point for a fresh machine (Python, pip and apt only). Idempotent.
#   bash scripts/dev.sh run    install everything, migrate, seed demo data, serve on :5000
#   bash scripts/dev.sh test   install everything the tests need, run the whole suite
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="${SME_VENV:-$ROOT/.venv}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  # only what is missing, so a second run is quick and needs no network
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# WeasyPrint needs Pango; libharfbuzz-subset0 makes it ~2.7x faster (font subsetting).
RUNTIME_PKGS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
# Tests also render PDFs to text/PNG (poppler) and drive headless Chromium.
TEST_PKGS=(poppler-utils chromium chromium-driver)

venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$VENV"; }
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]"
}

compile_catalogs() {
  "$VENV/bin/pybabel" compile -q -d translations 2>/dev/null || \
    "$VENV/bin/pybabel" compile -d translations
}

case "${1:-}" in
  run)
    apt_install "${RUNTIME_PKGS[@]}"
    venv
    compile_catalogs
    # a per-install random secret, never committed, readable by its owner only (0600)
    "$VENV/bin/python" -c "from sme_assess.config import write_instance_config as w; w('instance/config.py')"
    # links in QR codes and PDFs come from configuration, never from the request's Host
    export SME_PUBLIC_BASE_URL="${SME_PUBLIC_BASE_URL:-http://127.0.0.1:${PORT:-5000}}"
    "$VENV/bin/sme-assess" db upgrade
    # sample businesses, one account per role (random password, instance/demo-accounts.txt)
    # and, for the ministry's statistics, 3,000 synthetic assessments (generated once)
    "$VENV/bin/sme-assess" demo --accounts
    "$VENV/bin/sme-assess" demo --assessments 3000 --once
    export SME_STATS_SYNTHETIC="${SME_STATS_SYNTHETIC:-1}"
    echo "sme-assess on http://127.0.0.1:${PORT:-5000}"
    GUNICORN_BIND="127.0.0.1:${PORT:-5000}" GUNICORN_ACCESSLOG=- \
      exec "$VENV/bin/gunicorn" -c gunicorn.conf.py "sme_assess.wsgi:app"
    ;;
  test)
    apt_install "${RUNTIME_PKGS[@]}" "${TEST_PKGS[@]}"
    venv
    compile_catalogs
    shift
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh run|test [pytest args]" >&2
    exit 2
    ;;
esac
