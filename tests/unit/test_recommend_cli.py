"""`recommend` and `catalog validate|list` commands, run with click's CliRunner (no Flask app).

The questionnaire is built here in code and written to a temporary directory; the catalogue is
`tests/fixtures/catalog/valid.yaml` (and its broken copies). `test_*_real_*` use the real files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from sme_assess.recommend.cli import (
    DEFAULT_CATALOG,
    DEFAULT_QUESTIONNAIRE_DIR,
    catalog_group,
    recommend_command,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
VALID = FIXTURES / "valid.yaml"

# criterion code → pillar id; 3.2.3 (e-invoice) is asked as bands, the others behind a yes/no gate
CODES = {
    "customer": ["1.1.1", "1.1.5", "1.2.3"],
    "strategy": ["2.1.1"],
    "infrastructure": ["3.2.3", "3.2.5", "3.2.6", "3.2.7"],
    "operations": ["4.1.1", "4.2.5"],
    "culture": ["5.1.1"],
    "data": ["6.1.1", "6.1.4"],
}


def _t(text: str) -> dict[str, str]:
    return {"vi": text, "en": f"{text} (en)"}


def _criterion(code: str, multiplier: int) -> dict[str, Any]:
    key = code.replace(".", "_")
    options = [{"id": f"l{n}", "points": n, "text": _t(f"Mức {n} của {code}")} for n in range(1, 6)]
    if code == "3.2.3":
        questions = [
            {
                "id": "q3_2_3_band",
                "type": "single",
                "text": _t("Tỷ lệ hóa đơn điện tử?"),
                "options": [
                    {"id": "l0", "points": 0, "text": _t("Không dùng hóa đơn điện tử")},
                    *options,
                ],
            }
        ]
    else:
        questions = [
            {"id": f"q{key}_has", "type": "yes_no", "text": _t(f"Có {code} không?")},
            {
                "id": f"q{key}_level",
                "type": "single",
                "text": _t(f"Mức {code}?"),
                "show_if": {"question": f"q{key}_has", "equals": "yes"},
                "options": options,
            },
        ]
    return {
        "id": f"c{key}",
        "code": code,
        "official_text": f"Tiêu chí {code}",
        "title": _t(f"Tiêu chí {code}"),
        "multiplier": multiplier,
        "questions": questions,
    }


def questionnaire_data() -> dict[str, Any]:
    pillars: list[dict[str, Any]] = []
    for i, (pid, codes) in enumerate(CODES.items(), start=1):
        mult = 5 if pid == "strategy" else 1
        pmax = 5 * mult * len(codes)
        pillars.append(
            {
                "id": pid,
                "code": str(i),
                "title": _t(pid),
                "max_points": pmax,
                "components": [
                    {
                        "id": f"{pid}_c",
                        "code": f"{i}.1",
                        "title": _t(pid),
                        "max_points": pmax,
                        "criteria": [_criterion(c, mult) for c in codes],
                    }
                ],
            }
        )
    total = sum(p["max_points"] for p in pillars)
    return {
        "id": "mini-sme",
        "version": "1",
        "title": _t("Bộ câu hỏi thử"),
        "scoring": {
            "max_total": total,
            "pillar_bands": [
                {"level": 0, "above": 0, "inclusive": True},
                {"level": 1, "above": 10, "inclusive": True},
            ]
            + [{"level": n, "above": a} for n, a in [(2, 20), (3, 40), (4, 60), (5, 80)]],
            "overall_rules": [
                {"level": n, "total_above": 10 * n, "pillars_at_least": 4, "pillar_level": n}
                for n in range(1, 6)
            ],
        },
        "levels": [{"level": n, "name": _t(f"Mức {n}"), "description": _t("…")} for n in range(6)],
        "pillars": pillars,
    }


def _answers(levels: dict[str, int]) -> dict[str, str]:
    out: dict[str, str] = {}
    for codes in CODES.values():
        for code in codes:
            key = code.replace(".", "_")
            level = levels.get(code, 2)
            if code == "3.2.3":
                out["q3_2_3_band"] = f"l{level}"
            else:
                out[f"q{key}_has"] = "yes" if level else "no"
                if level:
                    out[f"q{key}_level"] = f"l{level}"
    return out


SHOP = {"size_class": "micro", "industry_section": "G", "business_type": "enterprise"}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    qdir = tmp_path / "questionnaires"
    qdir.mkdir()
    (qdir / "mini-sme.yaml").write_text(
        yaml.safe_dump(questionnaire_data(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(_answers({"3.2.3": 0})), encoding="utf-8")
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(SHOP), encoding="utf-8")
    return {"qdir": qdir, "answers": answers, "profile": profile, "tmp": tmp_path}


def run_recommend(files: dict[str, Path], *extra: str, **paths: Path) -> Result:
    args = [
        "--questionnaire",
        "mini-sme",
        "--answers",
        str(paths.get("answers", files["answers"])),
        "--profile",
        str(paths.get("profile", files["profile"])),
        "--questionnaire-dir",
        str(files["qdir"]),
        "--catalog",
        str(paths.get("catalog", VALID)),
        *extra,
    ]
    return CliRunner().invoke(recommend_command, args)


def test_recommend_json(files: dict[str, Path]) -> None:
    result = run_recommend(files, "--format", "json", "--locale", "en")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questionnaire"] == "mini-sme"
    assert [ph["id"] for ph in data["phases"]] == ["0-3", "3-6", "6-12"]
    first = data["phases"][0]["recommendations"][0]
    assert first["category"] == "e_invoice" and first["kind"] == "basic"
    assert [a["platform"] for a in first["alternatives"]] == ["einv-a"]
    assert first["alternatives"][0]["cost"]["kind"] == "free_trial"
    assert first["triggered_by"][0]["answer_text"] == "Không dùng hóa đơn điện tử (en)"
    assert first["reason"].startswith(
        "You answered “Không dùng hóa đơn điện tử (en)” on “Tiêu chí 3.2.3 (en)”."
    )
    for ph in data["phases"]:
        assert len(ph["recommendations"]) <= 3


def test_recommend_text(files: dict[str, Path]) -> None:
    result = run_recommend(files, "--format", "text")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Kế hoạch 12 tháng — mini-sme@1, danh mục test.1")
    assert "Tháng 1–3" in out and "Tháng 7–12" in out
    assert "  1. Hóa đơn điện tử\n" in out
    assert "Bạn trả lời “Không dùng hóa đơn điện tử” cho câu hỏi về “Tiêu chí 3.2.3”." in out
    assert (
        "       - Invoice A — Provider A (miễn phí 6 tháng theo https://news.vendor-a.vn/offer"
        in out
    )
    assert "Các lựa chọn không xếp theo chất lượng" in out


def test_recommend_strong_firm_text(files: dict[str, Path]) -> None:
    strong = files["tmp"] / "strong.json"
    strong.write_text(
        json.dumps(_answers({c: 5 for cs in CODES.values() for c in cs})), encoding="utf-8"
    )
    result = run_recommend(files, "--format", "text", "--locale", "en", answers=strong)
    assert result.exit_code == 0, result.output
    assert "Nothing to recommend: no weak criterion" in result.stdout


def test_answers_wrapped_in_an_object_are_accepted(files: dict[str, Path]) -> None:
    wrapped = files["tmp"] / "wrapped.json"
    wrapped.write_text(json.dumps({"answers": _answers({"3.2.3": 0})}), encoding="utf-8")
    plain = run_recommend(files)
    result = run_recommend(files, answers=wrapped)
    assert result.exit_code == 0 and result.stdout == plain.stdout


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("answers", "{not json", "the answers file is not valid JSON"),
        ("answers", "[1, 2]", "expected a JSON object mapping question id"),
        ("answers", json.dumps({"q9_9_9_has": "yes"}), "unknown question 'q9_9_9_has'"),
        (
            "answers",
            json.dumps({"q3_2_3_band": "l9"}),
            "unknown option 'l9' for question 'q3_2_3_band'",
        ),
        ("answers", json.dumps({"q1_1_1_has": "maybe"}), "takes 'yes' or 'no'"),
        ("profile", "", "the profile file is not valid JSON"),
        ("profile", json.dumps({**SHOP, "size_class": "tiny"}), "unknown size class 'tiny'"),
        ("profile", json.dumps({"size_class": "micro"}), "'industry_section' is required"),
        ("profile", json.dumps({**SHOP, "colour": "red"}), "unknown key 'colour'"),
        ("profile", json.dumps(["micro"]), "a profile must be a mapping"),
    ],
)
def test_bad_input_files_exit_non_zero_with_a_clear_message(
    files: dict[str, Path], kind: str, content: str, message: str
) -> None:
    bad = files["tmp"] / f"bad-{kind}.json"
    bad.write_text(content, encoding="utf-8")
    result = run_recommend(files, **{kind: bad})
    assert result.exit_code != 0
    assert str(bad) in result.output
    assert message in result.output


def test_missing_files_and_unknown_questionnaire(files: dict[str, Path]) -> None:
    missing = files["tmp"] / "nope.json"
    result = run_recommend(files, answers=missing)
    assert result.exit_code != 0
    assert f"{missing}: cannot read the answers file" in result.output
    result = CliRunner().invoke(
        recommend_command,
        [
            "--questionnaire",
            "dbi-1999",
            "--answers",
            str(files["answers"]),
            "--profile",
            str(files["profile"]),
            "--questionnaire-dir",
            str(files["qdir"]),
            "--catalog",
            str(VALID),
        ],
    )
    assert result.exit_code != 0
    assert "unknown questionnaire 'dbi-1999'" in result.output and "mini-sme" in result.output


def test_broken_catalogue_stops_recommend(files: dict[str, Path]) -> None:
    bad = FIXTURES / "bad-criterion.yaml"
    result = run_recommend(files, catalog=bad)
    assert result.exit_code != 0
    assert f"{bad}: platforms[11] (id 'bi-a').criteria[1]: unknown criterion 'c9_9_9'" in (
        result.output
    )


def test_broken_questionnaire_dir_is_reported(files: dict[str, Path]) -> None:
    (files["qdir"] / "broken.yaml").write_text("id: [", encoding="utf-8")
    result = run_recommend(files)
    assert result.exit_code != 0
    assert "broken.yaml" in result.output and "not valid YAML" in result.output


# --- catalog validate / list -------------------------------------------------------------------


def test_catalog_validate_ok(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        catalog_group, ["validate", str(VALID), "--questionnaire-dir", str(files["qdir"])]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"ok   {VALID}: version test.1, 11 categories, 13 platforms (1 verified; "
        "0 free_public, 11 free_trial, 2 paid, 0 unknown; 0 without a source)"
    ) in result.stdout


@pytest.mark.parametrize(
    ("name", "entry"),
    [
        ("unknown-category.yaml", "platforms[2] (id 'web-a').category: unknown category"),
        ("duplicate-id.yaml", "platforms[1] (id 'einv-a').id: duplicate platform id"),
        ("missing-vi.yaml", "categories[1] (id 'website').name.vi: missing"),
        ("bad-size.yaml", "platforms[7] (id 'pos-retail').sizes[0]: unknown size 'tiny'"),
        ("bad-criterion.yaml", "platforms[11] (id 'bi-a').criteria[1]: unknown criterion"),
        ("syntax-error.yaml", "line 34, column 5: not valid YAML"),
    ],
)
def test_catalog_validate_broken(files: dict[str, Path], name: str, entry: str) -> None:
    path = FIXTURES / name
    result = CliRunner().invoke(
        catalog_group, ["validate", str(path), "--questionnaire-dir", str(files["qdir"])]
    )
    assert result.exit_code == 1
    assert f"FAIL {path}: 1 problem(s)" in result.stderr
    assert f"  {path}: {entry}" in result.stderr


def test_catalog_validate_without_questionnaires_warns(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        catalog_group,
        ["validate", str(FIXTURES / "bad-criterion.yaml"), "--questionnaire-dir", str(tmp_path)],
    )
    assert result.exit_code == 0  # criterion ids cannot be checked without questionnaires
    assert "criterion ids not checked" in result.stderr


def test_catalog_validate_real_files() -> None:
    """The packaged catalogue against the repository's questionnaires (the defaults)."""
    assert DEFAULT_CATALOG == ROOT / "sme_assess" / "data" / "platforms.yaml"
    assert DEFAULT_QUESTIONNAIRE_DIR == ROOT / "questionnaires"
    result = CliRunner().invoke(catalog_group, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok   {DEFAULT_CATALOG}: version ")
    assert "criterion ids not checked" not in result.output


def test_recommend_real_files(tmp_path: Path) -> None:
    """`recommend` with its defaults: the real questionnaire and catalogue."""
    from sme_assess.questionnaire import load_questionnaire

    q = load_questionnaire(DEFAULT_QUESTIONNAIRE_DIR / "dbi-2021-sme.yaml")
    answers = {}
    for question in q.iter_questions():  # "no" to every gate, the lowest option of the rest
        if question.show_if is None:
            if question.type == "yes_no":
                answers[question.id] = "no"
            elif question.type == "single":
                answers[question.id] = min(question.options, key=lambda o: o.points).id
    (tmp_path / "a.json").write_text(json.dumps(answers), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(SHOP), encoding="utf-8")
    result = CliRunner().invoke(
        recommend_command,
        [
            "--answers",
            str(tmp_path / "a.json"),
            "--profile",
            str(tmp_path / "p.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["questionnaire"] == "dbi-2021-sme"
    first = data["phases"][0]["recommendations"]
    # SHOP is a micro enterprise at level 0: the signature before the e-invoice it signs
    order = [r["category"] for ph in data["phases"] for r in ph["recommendations"]]
    assert order.index("digital_signature") < order.index("e_invoice"), order
    assert first[0]["kind"] in ("starter", "basic")


def test_catalog_list_text_and_json() -> None:
    result = CliRunner().invoke(catalog_group, ["list", "--catalog", str(VALID)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "e_invoice [basic] — Hóa đơn điện tử"
    assert lines[1].split() == [
        "einv-a",
        "free_trial",
        "unverified",
        "Invoice",
        "A",
        "(Provider",
        "A)",
    ]
    result = CliRunner().invoke(
        catalog_group,
        [
            "list",
            "--catalog",
            str(VALID),
            "--category",
            "pos_sales",
            "--format",
            "json",
            "--locale",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == "test.1"
    assert [c["id"] for c in data["categories"]] == ["pos_sales"]
    assert data["categories"][0]["name"] == "Sales management (POS)"
    pos = data["categories"][0]["platforms"]
    assert [p["id"] for p in pos] == ["pos-retail", "pos-any"]
    assert pos[0]["industries"] == ["G", "I"] and pos[1]["industries"] == "all"


def test_catalog_list_unknown_category_and_broken_file() -> None:
    result = CliRunner().invoke(
        catalog_group, ["list", "--catalog", str(VALID), "--category", "spaceships"]
    )
    assert result.exit_code != 0
    assert "unknown category 'spaceships'" in result.output and "e_invoice" in result.output
    bad = FIXTURES / "duplicate-id.yaml"
    result = CliRunner().invoke(catalog_group, ["list", "--catalog", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}: platforms[1] (id 'einv-a').id: duplicate platform id" in result.output


def test_catalog_list_real_catalogue() -> None:
    result = CliRunner().invoke(catalog_group, ["list", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any(c["id"] == "e_invoice" for c in data["categories"])


def test_catalog_validate_refuses_self_reference_and_warns_on_missing_source(
    tmp_path: Path,
) -> None:
    text = VALID.read_text(encoding="utf-8")
    first = text.replace(
        'source: "https://news.vendor-a.vn/platforms"',
        'source: "sme-assess catalogue research 2026-11"',
        1,
    )
    bad = tmp_path / "self.yaml"
    bad.write_text(first, encoding="utf-8")
    result = CliRunner().invoke(catalog_group, ["validate", str(bad), "--questionnaire-dir", "x"])
    assert result.exit_code == 1
    assert "platforms[0] (id 'einv-a').source: 'sme-assess catalogue research 2026-11' refers" in (
        result.stderr
    )
    missing = tmp_path / "missing.yaml"
    missing.write_text(
        text.replace('source: "https://news.vendor-a.vn/platforms"', "source: null", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        catalog_group, ["validate", str(missing), "--questionnaire-dir", "x"]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"warning: {missing}: platforms[0] (id 'einv-a').source: no source: add an external page"
        in result.stderr
    )
    assert "; 1 without a source)" in result.stdout
