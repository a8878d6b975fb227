"""Re-run the deliberate bugs that once went unnoticed, one at a time, and name the test that
now catches each.

A mutation probe of the project (43 small deliberate bugs) once found 19 that no test caught.
Each is listed here as a text edit of one file with the test that must fail because of it.
The script copies the checkout (tracked files) into a temporary folder, applies one edit at a
time there, runs that test, and prints CAUGHT or NOT CAUGHT; the exit status is 1 if any is
not caught (or its edit no longer applies: the code moved, update the entry).

    .venv/bin/python scripts/check_escaped_mutants.py          # all (a few minutes)
    .venv/bin/python scripts/check_escaped_mutants.py expiry   # those whose name contains it
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
CSRF_EXEMPT = '@__import__("sme_assess.security", fromlist=["csrf"]).csrf.exempt\n'


class Mutant(NamedTuple):
    name: str
    path: str
    old: str
    new: str
    test: str


MUTANTS = [
    Mutant(
        "tax code: check value 10 accepted as the digit 0",
        "sme_assess/refdata.py",
        "if check == 10 or check != int(base[9]):",
        "if check % 10 != int(base[9]):",
        "tests/unit/test_refdata.py::test_invalid_tax_codes_are_refused_with_their_reason",
    ),
    Mutant(
        "tax code: 13 bare digits no longer read as a branch code",
        "sme_assess/refdata.py",
        'if re.fullmatch(r"[0-9]{13}", s):',
        'if re.fullmatch(r"[0-9]{14}", s):',
        "tests/unit/test_refdata.py::test_valid_tax_codes_are_normalised",
    ),
    Mutant(
        "Decree 80: revenue-or-capital turned into and",
        "sme_assess/refdata.py",
        'and (r <= rule["revenue"] or k <= rule["capital"])',
        'and (r <= rule["revenue"] and k <= rule["capital"])',
        "tests/unit/test_refdata.py::test_size_class_by_decree_80",
    ),
    Mutant(
        "Decree 80: employee limit made strict",
        "sme_assess/refdata.py",
        'if e <= rule["employees"] and',
        'if e < rule["employees"] and',
        "tests/unit/test_refdata.py::test_size_class_by_decree_80",
    ),
    Mutant(
        "Decree 80: the two sector groups swapped",
        "sme_assess/refdata.py",
        "group = section_by_code()[section].sector_group",
        "group = {'agri_industry_construction': 'trade_services', 'trade_services': "
        "'agri_industry_construction'}[section_by_code()[section].sector_group]",
        "tests/unit/test_refdata.py::test_size_class_by_decree_80",
    ),
    Mutant(
        "submit without the session check",
        "sme_assess/survey/views.py",
        "def submit(pid: str) -> Any:\n    a = _open_draft(pid)",
        "def submit(pid: str) -> Any:\n    a = lookups.find_by_public_id(get_session(), pid)",
        "tests/web/test_route_matrix.py::test_a_stranger_gets_404_on_every_draft_route",
    ),
    Mutant(
        "submit exempt from CSRF",
        "sme_assess/survey/views.py",
        '@bp.post("/a/<pid>/submit")\n',
        '@bp.post("/a/<pid>/submit")\n' + CSRF_EXEMPT,
        "tests/web/test_route_matrix.py::test_every_post_route_needs_its_csrf_token",
    ),
    Mutant(
        "answer again exempt from CSRF",
        "sme_assess/survey/views.py",
        '@bp.post("/r/<token>/again")\n',
        '@bp.post("/r/<token>/again")\n' + CSRF_EXEMPT,
        "tests/web/test_route_matrix.py::test_every_post_route_needs_its_csrf_token",
    ),
    Mutant(
        "saving no longer extends the draft's expiry",
        "sme_assess/survey/service.py",
        '.values(updated_at=bindparam("b_now"), expires_at=bindparam("b_expires"))',
        '.values(updated_at=bindparam("b_now"))',
        "tests/web/test_content.py::test_a_save_extends_the_draft_life",
    ),
    Mutant(
        "O, I and L no longer read as 0 and 1 in codes",
        "sme_assess/security.py",
        '.replace("O", "0").replace("I", "1").replace("L", "1")',
        "",
        "tests/unit/test_codes.py",
    ),
    Mutant(
        "the PDF plan lists no platforms",
        "templates/reports/report.html",
        "{% for pf in it.alternatives %}",
        "{% for pf in [] %}",
        "tests/web/test_content.py::test_pdf_shows_each_pillar_its_gaps_and_a_plan_with_platforms",
    ),
    Mutant(
        "the PDF hides each pillar's gaps",
        "templates/reports/report.html",
        '    {% for c in p.gaps %}\n    <p class="crit">',
        '    {% for c in [] %}\n    <p class="crit">',
        "tests/web/test_content.py::test_pdf_shows_each_pillar_its_gaps_and_a_plan_with_platforms",
    ),
    Mutant(
        "the check page shows Có for every yes/no answer",
        "templates/survey/check.html",
        "{{ yes_no[v] }}",
        "{{ yes_no['yes'] }}",
        "tests/web/test_content.py::test_check_page_shows_each_answer_as_given",
    ),
    Mutant(
        "a Vietnamese entry left as the English text",
        "translations/vi/LC_MESSAGES/messages.po",
        'msgid "Your 12-month plan"\nmsgstr "Kế hoạch 12 tháng của bạn"',
        'msgid "Your 12-month plan"\nmsgstr "Your 12-month plan"',
        "tests/web/test_i18n.py::test_no_vietnamese_entry_is_left_as_the_english_text",
    ),
    Mutant(
        "an English button on every question page",
        "templates/survey/step.html",
        '{{ _("Save and continue") }}',
        "Save and continue",
        "tests/web/test_i18n.py::test_every_page_renders_in_both_languages",
    ),
    Mutant(
        "editing the profile saves nothing",
        "sme_assess/survey/views.py",
        "            service.apply_profile(b, _profile_data(form))\n",
        "            pass\n",
        "tests/web/test_content.py::test_editing_the_profile_saves_it",
    ),
    Mutant(
        "the results table shows full marks",
        "templates/survey/_results_summary.html",
        "<td>{{ p.points }}/{{ p.max_points }}</td>",
        "<td>{{ p.max_points }}/{{ p.max_points }}</td>",
        "tests/web/test_content.py::test_results_table_shows_the_points_worked_out_by_hand",
    ),
    Mutant(
        "the history drops re-assessments",
        "sme_assess/lookups.py",
        "                Assessment.status == AssessmentStatus.submitted,\n            )",
        "                Assessment.status == AssessmentStatus.submitted,\n"
        "                Assessment.previous_id.is_(None),\n            )",
        "tests/web/test_content.py::test_history_lists_every_assessment_of_the_business",
    ),
    Mutant(
        "show_if chains ignore a hidden parent",
        "sme_assess/questionnaire/model.py",
        "        if cond.question not in shown:\n            continue\n",
        "",
        "tests/unit/test_scoring.py::test_show_if_chain_visibility_and_missing_answers",
    ),
]


def copy_checkout(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            target = dest / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def run(mutant: Mutant, work: Path) -> str:
    path = work / mutant.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        return "EDIT NO LONGER APPLIES"
    path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    try:
        if mutant.path.endswith(".po"):
            compile_catalogs(work)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", mutant.test],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        return "CAUGHT" if proc.returncode == 1 else f"NOT CAUGHT (pytest exit {proc.returncode})"
    finally:
        path.write_text(original, encoding="utf-8")
        if mutant.path.endswith(".po"):
            compile_catalogs(work)


def compile_catalogs(work: Path) -> None:
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "compile", "-d", "translations"], cwd=work, capture_output=True, check=True
    )


def main(argv: list[str]) -> int:
    chosen = [m for m in MUTANTS if not argv or any(a in m.name for a in argv)]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="sme-mutants-") as tmp:
        work = Path(tmp)
        copy_checkout(work)
        compile_catalogs(work)
        for mutant in chosen:
            verdict = run(mutant, work)
            failed += verdict != "CAUGHT"
            print(f"{verdict:<24} {mutant.name}  ←  {mutant.test}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
