"""The command line: `questionnaire validate|list` and `score`, through click's test runner, plus
one run of the real console entry point in a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sme_assess.cli import questionnaire_group, score_command
from sme_assess.questionnaire import load_questionnaire
from sme_assess.scoring import score

ROOT = Path(__file__).resolve().parents[2]
QDIR = ROOT / "questionnaires"
DBI_FILE = QDIR / "dbi-2021-sme.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "questionnaires"
BROKEN = FIXTURES / "broken"

# A hand-computed answer set on the DBI file (DOMAIN §2.2 rules):
#   customer       1.1.1 level 5 + 1.1.3 band level 2          = 7 of 65 → 10.8% → level 1
#   strategy       2.1.1 level 1, ×5                           = 5 of 25 → 20%   → level 1
#   infrastructure 3.1.1 gate "no" (its kept level-5 answer is ignored) + 3.2.2 band level 4
#                                                              = 4 of 80 → 5%    → level 0
#   operations     nothing answered                            = 0 of 65         → level 0
#   culture        5.1.1 level 5                               = 5 of 50 → 10%   → level 1
#   data           6.1.1 level 4                               = 4 of 35 → 11.4% → level 1
#   total 25 > 20 with four pillars at level ≥ 1 → overall level 1
ANSWERS: dict[str, Any] = {
    "q1_1_1_has": "yes",
    "q1_1_1_level": "l5",
    "q1_1_3_band": "l2",
    "q2_1_1_has": "yes",
    "q2_1_1_level": "l1",
    "q3_1_1_has": "no",
    "q3_1_1_level": "l5",
    "q3_2_2_band": "l4",
    "q5_1_1_share": "l5",
    "q6_1_1_share": "l4",
}
EXPECTED_PILLARS = [
    {"id": "customer", "points": 7, "max": 65, "percent": 10.8, "level": 1},
    {"id": "strategy", "points": 5, "max": 25, "percent": 20.0, "level": 1},
    {"id": "infrastructure", "points": 4, "max": 80, "percent": 5.0, "level": 0},
    {"id": "operations", "points": 0, "max": 65, "percent": 0.0, "level": 0},
    {"id": "culture", "points": 5, "max": 50, "percent": 10.0, "level": 1},
    {"id": "data", "points": 4, "max": 35, "percent": 11.4, "level": 1},
]


def invoke(cmd: Any, args: list[str]) -> Result:
    return CliRunner().invoke(cmd, [str(a) for a in args])


def write_json(tmp_path: Path, data: Any, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_score(answers_file: Path, *extra: str) -> Result:
    return invoke(
        score_command, ["--questionnaire", "dbi-2021-sme", "--answers", answers_file, *extra]
    )


# --- questionnaire validate / list -------------------------------------------------------------


def test_validate_default_directory_passes() -> None:
    result = invoke(questionnaire_group, ["validate"])
    assert result.exit_code == 0, result.output
    assert "dbi-2021-sme.yaml" in result.stdout
    assert result.stdout.startswith("ok ")
    assert "6 pillars, 60 criteria" in result.stdout
    assert "max 320 points" in result.stdout


def test_validate_named_file_passes() -> None:
    result = invoke(questionnaire_group, ["validate", DBI_FILE])
    assert result.exit_code == 0, result.output
    assert f"ok   {DBI_FILE}: dbi-2021-sme@2021.1" in result.stdout


def test_validate_fixture_directory() -> None:
    # --dir reads the *.yaml files directly in the directory (broken/ is below it)
    result = invoke(questionnaire_group, ["validate", "--dir", FIXTURES])
    assert result.exit_code == 0, result.output
    assert "minimal.yaml: minimal-test@1.0, 2 pillars, 4 criteria" in result.stdout


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("option_points_above_max", "options[2].points: 7 is above the maximum 5"),
        ("max_total_mismatch", "scoring.max_total: is 30 but the criteria add up to 25"),
        ("show_if_later_question", "which is not an earlier question"),
        ("yaml_syntax_error", "not valid YAML"),
        ("missing_en", "text.en: missing or empty translation"),
    ],
)
def test_validate_rejects_broken_file(name: str, words: str) -> None:
    file = BROKEN / f"{name}.yaml"
    result = invoke(questionnaire_group, ["validate", file])
    assert result.exit_code == 1
    assert f"FAIL {file}: 1 problem(s)" in result.stderr
    assert any(
        line.strip().startswith(f"{file}: ") and words in line
        for line in result.stderr.splitlines()
    ), result.stderr
    assert "ok " not in result.stdout


def test_validate_reports_each_file() -> None:
    bad = BROKEN / "unknown_key.yaml"
    result = invoke(questionnaire_group, ["validate", DBI_FILE, bad])
    assert result.exit_code == 1
    assert f"ok   {DBI_FILE}" in result.stdout
    assert f"FAIL {bad}" in result.stderr
    assert "weight: unknown key" in result.stderr


def test_validate_every_broken_fixture_fails() -> None:
    files = sorted(BROKEN.glob("*.yaml"))
    assert len(files) >= 15
    result = invoke(questionnaire_group, ["validate", *files])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("FAIL ") == len(files)


def test_validate_empty_directory(tmp_path: Path) -> None:
    result = invoke(questionnaire_group, ["validate", "--dir", tmp_path])
    assert result.exit_code == 1
    assert f"no questionnaire files in {tmp_path}" in result.output


def test_list_default_directory() -> None:
    result = invoke(questionnaire_group, ["list"])
    assert result.exit_code == 0, result.output
    q = load_questionnaire(DBI_FILE)
    assert f"dbi-2021-sme\t2021.1\t60 criteria\t{q.title.get('vi')}" in result.stdout.splitlines()


def test_list_other_directory() -> None:
    result = invoke(questionnaire_group, ["list", "--dir", FIXTURES])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["minimal-test\t1.0\t4 criteria\tBộ câu hỏi thử"]


def test_list_refuses_a_broken_directory() -> None:
    result = invoke(questionnaire_group, ["list", "--dir", BROKEN])
    assert result.exit_code == 1
    assert "Error:" in result.output and str(BROKEN) in result.output


# --- score -------------------------------------------------------------------------------------


def test_score_json(tmp_path: Path) -> None:
    result = run_score(write_json(tmp_path, ANSWERS))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questionnaire"] == "dbi-2021-sme" and data["version"] == "2021.1"
    keys = list(data)
    assert keys.index("pillars") < keys.index("total") < keys.index("max_total")
    assert keys.index("max_total") < keys.index("overall_level")
    for p in data["pillars"]:
        assert list(p) == ["id", "points", "max", "percent", "level"]
    assert data["pillars"] == EXPECTED_PILLARS
    assert (data["total"], data["max_total"], data["overall_level"]) == (25, 320, 1)


def test_score_json_matches_the_engine(tmp_path: Path) -> None:
    q = load_questionnaire(DBI_FILE)
    answers = {
        x.id: ("yes" if x.type == "yes_no" else x.options[-2].id) for x in q.iter_questions()
    }
    result = run_score(write_json(tmp_path, answers), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    r = score(q, answers)
    got = [(p["id"], p["points"], p["max"], p["percent"], p["level"]) for p in data["pillars"]]
    assert got == [(p.pillar_id, p.points, p.max_points, p.percent, p.level) for p in r.pillars]
    assert (data["total"], data["max_total"], data["overall_level"]) == (
        r.total,
        r.max_total,
        r.overall_level,
    )
    assert r.total > 0  # the answer set is not trivially empty


def test_score_text_vi(tmp_path: Path) -> None:
    result = run_score(write_json(tmp_path, ANSWERS), "--format", "text")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("(dbi-2021-sme@2021.1)")
    assert len(lines) == 1 + 6 + 1
    assert re.search(r"1\. Trải nghiệm số cho khách hàng\s+7/65\s+10\.8%\s+L1 Khởi động", lines[1])
    assert re.search(r"3\. .+\s+4/80\s+5\.0%\s+L0 Chưa khởi động", lines[3])
    assert re.search(r"Tổng: 25/320\s+L1 Khởi động$", lines[-1])


def test_score_text_en(tmp_path: Path) -> None:
    result = run_score(write_json(tmp_path, ANSWERS), "--format", "text", "--locale", "en")
    assert result.exit_code == 0, result.output
    pattern = r"1\. Digital customer experience\s+7/65\s+10\.8%\s+L1 Starting"
    assert re.search(pattern, result.stdout)
    assert re.search(r"Total: 25/320\s+L1 Starting", result.stdout)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"nope": "yes"}, "unknown question 'nope'"),
        ({"q1_1_1_level": "l9"}, "unknown option 'l9' for question 'q1_1_1_level'"),
        ({"q1_1_1_has": 1}, "question 'q1_1_1_has' takes 'yes' or 'no', not 1"),
        ({"q1_1_1_level": ["l1"]}, "question 'q1_1_1_level' takes one option id, not list"),
        (["q1_1_1_has"], "expected a JSON object mapping question id → answer"),
        ("yes", "expected a JSON object"),
    ],
)
def test_score_bad_answers(tmp_path: Path, data: Any, words: str) -> None:
    path = write_json(tmp_path, data)
    result = run_score(path)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a clean error, not a traceback
    assert result.stdout == ""
    assert str(path) in result.stderr
    assert words in result.stderr


def test_score_not_json(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text("{q1_1_1_has: yes", encoding="utf-8")
    result = run_score(path)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"{path}: not a readable JSON file" in result.stderr


def test_score_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(b'{"q1_1_1_has": "c\xf3"}')
    result = run_score(path)
    assert result.exit_code == 1
    assert "not a readable JSON file" in result.stderr


def test_score_nan_number_is_a_clean_error(tmp_path: Path) -> None:
    # Python's json accepts NaN; a number question must refuse it without a traceback
    path = tmp_path / "answers.json"
    path.write_text('{"q2_1_1_staff": NaN}', encoding="utf-8")
    result = invoke(
        score_command,
        ["--questionnaire", "minimal-test", "--answers", path, "--dir", FIXTURES],
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "question 'q2_1_1_staff' takes a number" in result.stderr


def test_score_other_directory(tmp_path: Path) -> None:
    # minimal.yaml: gate yes + level 4 = 4, tools mail+crm = 5 (cap 5) → alpha 9/10 = 90% → 5;
    # 7 IT staff → band 5..9 = 4, weighted ×2 criterion unanswered → beta 4/15 = 26.7% → 2;
    # total 13 > 10 but only one pillar at ≥ 3 → rule 2 (total > 5, one pillar at ≥ 2) → 2
    answers = {
        "q1_1_1_has": "yes",
        "q1_1_1_level": "l4",
        "q1_1_2_tools": ["mail", "crm"],
        "q2_1_1_staff": 7,
    }
    result = invoke(
        score_command,
        [
            "--questionnaire",
            "minimal-test",
            "--answers",
            write_json(tmp_path, answers),
            "--dir",
            FIXTURES,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(p["id"], p["points"], p["percent"], p["level"]) for p in data["pillars"]] == [
        ("alpha", 9, 90.0, 5),
        ("beta", 4, 26.7, 2),
    ]
    assert (data["total"], data["max_total"], data["overall_level"]) == (13, 25, 2)


def test_score_unknown_questionnaire(tmp_path: Path) -> None:
    result = invoke(
        score_command, ["--questionnaire", "nope", "--answers", write_json(tmp_path, {})]
    )
    assert result.exit_code == 1
    assert "unknown questionnaire 'nope' (known: dbi-2021-sme)" in result.stderr


def test_score_missing_answers_file(tmp_path: Path) -> None:
    result = run_score(tmp_path / "absent.json")
    assert result.exit_code == 2  # click usage error
    assert "absent.json" in result.stderr


def test_score_empty_answers_is_level_zero(tmp_path: Path) -> None:
    result = run_score(write_json(tmp_path, {}))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 0 and data["overall_level"] == 0
    assert all(p["points"] == 0 and p["level"] == 0 for p in data["pillars"])


# --- the real console entry point ---------------------------------------------------------------


def test_console_entry_point_validates() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from sme_assess.cli import main; main()",
            "questionnaire",
            "validate",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "dbi-2021-sme.yaml: dbi-2021-sme@2021.1" in proc.stdout
