#!/usr/bin/env bash
# Refresh the translation catalogs after changing user-facing strings:
# extract msgids (English) from code and templates, merge into vi, compile.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-pybabel}
$PYBABEL extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output \
  --project sme-assess -o translations/messages.pot .
if [ -f translations/vi/LC_MESSAGES/messages.po ]; then
  $PYBABEL update -i translations/messages.pot -d translations -l vi --no-fuzzy-matching --ignore-obsolete
else
  $PYBABEL init -i translations/messages.pot -d translations -l vi
fi
$PYBABEL compile -d translations
