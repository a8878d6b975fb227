"""The questionnaire loader: broken files are refused with file, path and problem; the shipped
DBI-2021 file loads into frozen objects that keep the official codes and texts."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from sme_assess.questionnaire import (
    LocalText,
    Questionnaire,
    QuestionnaireError,
    load_directory,
    load_questionnaire,
    parse_questionnaire,
)

ROOT = Path(__file__).resolve().parents[2]
DBI_FILE = ROOT / "questionnaires" / "dbi-2021-sme.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "questionnaires"
MINIMAL = FIXTURES / "minimal.yaml"
BROKEN = FIXTURES / "broken"

Q0 = "pillars[0].components[0].criteria[0]"  # the gated criterion of minimal.yaml
Q1 = "pillars[0].components[0].criteria[1]"  # the multiple-choice criterion
B0 = "pillars[1].components[0].criteria[0]"  # the number criterion
B1 = "pillars[1].components[0].criteria[1]"  # the weighted single-choice criterion

# broken fixture -> (path inside the file, words the message must contain)
BROKEN_CASES: dict[str, tuple[str, str]] = {
    "numeric_code": (
        # an unquoted 1.10 would silently read as "1.1"
        "pillars[0].components[0].criteria[0].code",
        "expected a non-empty string, got float",
    ),
    "duplicate_question_id": (
        f"{Q1}.questions[0].id",
        f"duplicate question id 'q1_1_1_has' (first at {Q0}.questions[0].id)",
    ),
    "show_if_unknown_question": (
        f"{Q0}.questions[1].show_if.question",
        "refers to 'q1_1_1_gate', which is not an earlier question",
    ),
    "show_if_later_question": (
        f"{Q0}.questions[1].show_if.question",
        "refers to 'q1_1_2_tools', which is not an earlier question",
    ),
    "show_if_bad_value": (
        f"{Q0}.questions[1].show_if",
        "'q1_1_1_has' cannot have the value 'maybe'",
    ),
    "option_points_above_max": (
        f"{Q0}.questions[1].options[2].points",
        "7 is above the maximum 5",
    ),
    "component_max_mismatch": (
        "pillars[0].components[0].max_points",
        "is 11 but its criteria add up to 10",
    ),
    "pillar_max_mismatch": ("pillars[1].max_points", "is 16 but its components add up to 15"),
    "max_total_mismatch": ("scoring.max_total", "is 30 but the criteria add up to 25"),
    "missing_en": (f"{Q0}.questions[1].options[3].text.en", "missing or empty translation"),
    "unknown_question_type": (f"{B1}.questions[0].type", "unknown question type 'slider'"),
    "unknown_key": (f"{B0}.weight", "unknown key"),
    # PyYAML reports the first token that cannot continue the unclosed `{25` of line 15: the ':'
    # after `pillar_bands` (line 16, column 15).
    "yaml_syntax_error": ("line 16, column 15", "not valid YAML"),
    "pillar_bands_not_ascending": ("scoring.pillar_bands[3].above", "bands must ascend"),
    "unreachable_max_level": (
        f"{B1}.questions",
        "the best answers reach level 4, not max_level 5",
    ),
    "multiple_without_cap": (
        f"{Q1}.questions[0].cap",
        "is required for a multiple-choice question",
    ),
    "number_bands_overlap": (f"{B0}.questions[0].bands", "bands 1–4.5 and 4–9 overlap"),
}


def error_lines(exc: QuestionnaireError) -> list[str]:
    return str(exc).splitlines()


def assert_reports(exc: QuestionnaireError, file: Path | str, path: str, words: str) -> None:
    """One line of the message reads ``<file>: <path>: <problem>`` with `words` in the problem."""
    prefix = f"{file}: {path}: "
    lines = error_lines(exc)
    assert any(line.startswith(prefix) and words in line for line in lines), (
        f"no line starting {prefix!r} containing {words!r} in:\n{exc}"
    )
    assert exc.file == str(file)
    assert any(p.path == path and words in p.message for p in exc.problems)


@pytest.fixture(scope="module")
def dbi() -> Questionnaire:
    return load_questionnaire(DBI_FILE)


def minimal_data() -> dict[str, Any]:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def tools_options(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of the multiple-choice question of minimal.yaml."""
    options = data["pillars"][0]["components"][0]["criteria"][1]["questions"][0]["options"]
    assert isinstance(options, list)
    return options


# --- the fixtures themselves -------------------------------------------------------------------


def test_minimal_fixture_is_valid() -> None:
    q = load_questionnaire(MINIMAL)
    assert q.id == "minimal-test"
    assert q.path == str(MINIMAL)
    assert [p.id for p in q.pillars] == ["alpha", "beta"]
    assert {x.type for x in q.iter_questions()} == {"yes_no", "single", "multiple", "number"}
    assert q.scoring.max_total == 25


def test_every_broken_fixture_has_a_case() -> None:
    on_disk = {p.stem for p in BROKEN.glob("*.yaml")}
    assert on_disk == set(BROKEN_CASES)


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_fixture_is_refused_with_file_path_and_problem(name: str) -> None:
    path, words = BROKEN_CASES[name]
    file = BROKEN / f"{name}.yaml"
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(file)
    assert_reports(info.value, file, path, words)


@pytest.mark.parametrize(
    "name", ["option_points_above_max", "max_total_mismatch", "missing_en", "unknown_key"]
)
def test_single_defect_gives_single_problem(name: str) -> None:
    # Each fixture differs from minimal.yaml by one defect; the loader must not drown it in
    # follow-on complaints.
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(BROKEN / f"{name}.yaml")
    assert len(info.value.problems) == 1, str(info.value)


def test_all_problems_are_reported_together() -> None:
    data = minimal_data()
    data["pillars"][0]["components"][0]["criteria"][0]["questions"][1]["options"][2]["points"] = 9
    data["pillars"][1]["components"][0]["criteria"][0]["extra"] = True
    data["scoring"]["max_total"] = 26
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(data, "mem.yaml")
    paths = {p.path for p in info.value.problems}
    assert {
        f"{Q0}.questions[1].options[2].points",
        f"{B0}.extra",
        "scoring.max_total",
    } <= paths
    assert all(line.startswith("mem.yaml: ") for line in error_lines(info.value))


def test_missing_file_is_reported() -> None:
    missing = FIXTURES / "does-not-exist.yaml"
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(missing)
    assert str(info.value).startswith(f"{missing}: <file>: cannot read file")


def test_empty_document_is_refused() -> None:
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(None, "empty.yaml")
    assert str(info.value).startswith("empty.yaml: ")


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d.pop("pillars"), "pillars", "is required"),
        (lambda d: d.update(id="Bad Id"), "id", "invalid id 'Bad Id'"),
        (
            lambda d: d["scoring"]["overall_rules"][4].update(pillars_at_least=3),
            "scoring.overall_rules[4].pillars_at_least",
            "3 is more than the 2 pillars",
        ),
        (
            lambda d: d["pillars"][1].update(id="alpha"),
            "pillars[1].id",
            "duplicate pillar id 'alpha'",
        ),
        (
            lambda d: tools_options(d)[2].update(id="mail"),
            f"{Q1}.questions[0].options[2].id",
            "duplicate option id 'mail'",
        ),
        (
            lambda d: d["pillars"][0]["components"][0]["criteria"][0]["questions"][0].update(
                options=[]
            ),
            f"{Q0}.questions[0].options",
            "not allowed for a yes_no question",
        ),
        (
            lambda d: d["scoring"]["pillar_bands"][0].update(inclusive=False),
            "scoring.pillar_bands[0]",
            "the first band must start at 0 inclusive",
        ),
        (
            lambda d: d["pillars"][0]["title"].update(fr="Pilier A"),
            "pillars[0].title.fr",
            "unknown locale",
        ),
    ],
)
def test_other_schema_problems(mutate: Any, path: str, words: str) -> None:
    data = minimal_data()
    mutate(data)
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(data, "mem.yaml")
    assert_reports(info.value, "mem.yaml", path, words)


def test_show_if_yaml_boolean_means_yes() -> None:
    # `equals: yes` unquoted is the YAML boolean true: it must mean the answer "yes".
    data = minimal_data()
    data["pillars"][0]["components"][0]["criteria"][0]["questions"][1]["show_if"] = {
        "question": "q1_1_1_has",
        "equals": True,
    }
    q = parse_questionnaire(data)
    detail = q.question("q1_1_1_level")
    assert detail is not None and detail.show_if is not None
    assert detail.show_if.values == ("yes",)


def test_load_directory_refuses_duplicate_ids(tmp_path: Path) -> None:
    shutil.copy(MINIMAL, tmp_path / "a.yaml")
    shutil.copy(MINIMAL, tmp_path / "b.yaml")
    with pytest.raises(QuestionnaireError) as info:
        load_directory(tmp_path)
    assert_reports(info.value, tmp_path / "b.yaml", "id", "duplicate questionnaire id")


def test_load_directory_ignores_subdirectories() -> None:
    # broken/ lives below FIXTURES: only minimal.yaml is read
    assert list(load_directory(FIXTURES)) == ["minimal-test"]


# --- the shipped DBI-2021 file -----------------------------------------------------------------


def test_dbi_file_loads_from_the_directory(dbi: Questionnaire) -> None:
    qs = load_directory(ROOT / "questionnaires")
    assert "dbi-2021-sme" in qs
    assert qs["dbi-2021-sme"].key == dbi.key == "dbi-2021-sme@2021.1"


def test_dbi_structure(dbi: Questionnaire) -> None:
    # DOMAIN.md §2.1
    assert len(dbi.pillars) == 6
    assert [len(p.criteria) for p in dbi.pillars] == [13, 1, 16, 13, 10, 7]
    assert [p.max_points for p in dbi.pillars] == [65, 25, 80, 65, 50, 35]
    assert [p.code for p in dbi.pillars] == ["1", "2", "3", "4", "5", "6"]
    assert dbi.scoring.max_total == 320
    assert len(dbi.criteria) == 60
    assert sum(len(p.components) for p in dbi.pillars) == 10
    for p in dbi.pillars:
        assert p.max_points == sum(c.max_points for c in p.components)
        for comp in p.components:
            assert comp.max_points == sum(
                k.max_points(dbi.scoring.level_points) for k in comp.criteria
            )


def test_dbi_strategy_criterion_weighs_five(dbi: Questionnaire) -> None:
    (strategy,) = [k for k in dbi.criteria if k.code == "2.1.1"]
    assert strategy.multiplier == 5
    assert strategy.max_points(dbi.scoring.level_points) == 25
    others = [k for k in dbi.criteria if k.code != "2.1.1"]
    assert all(k.multiplier == 1 and k.max_level == 5 for k in others)


def test_dbi_scoring_rules_match_the_domain(dbi: Questionnaire) -> None:
    bands = [(b.level, b.above, b.inclusive) for b in dbi.scoring.pillar_bands]
    assert bands == [
        (0, 0, True),
        (1, 10, True),
        (2, 20, False),
        (3, 40, False),
        (4, 60, False),
        (5, 80, False),
    ]
    rules = [
        (r.level, r.total_above, r.pillars_at_least, r.pillar_level)
        for r in dbi.scoring.overall_rules
    ]
    assert rules == [
        (1, 20, 4, 1),
        (2, 64, 4, 2),
        (3, 128, 4, 3),
        (4, 192, 5, 4),
        (5, 256, None, 5),
    ]
    names = {lv.level: (lv.name.get("vi"), lv.name.get("en")) for lv in dbi.levels}
    assert names[0] == ("Chưa khởi động", "Not started")
    assert names[5][0] == "Dẫn dắt"
    assert sorted(names) == [0, 1, 2, 3, 4, 5]


def test_dbi_official_codes_are_complete_unique_and_well_formed(dbi: Questionnaire) -> None:
    # per-component criteria counts from the reference: 9/4, 1, 2/14, 6/7, 5/5, 7
    counts = {
        "1.1": 9,
        "1.2": 4,
        "2.1": 1,
        "3.1": 2,
        "3.2": 14,
        "4.1": 6,
        "4.2": 7,
        "5.1": 5,
        "5.2": 5,
        "6.1": 7,
    }
    expected = [f"{comp}.{i}" for comp, n in counts.items() for i in range(1, n + 1)]
    codes = [k.code for k in dbi.criteria]
    assert codes == expected  # file order = official order, nothing missing or repeated
    assert len(set(codes)) == 60
    for p in dbi.pillars:
        for comp in p.components:
            assert re.fullmatch(r"[1-6]\.[1-9]", comp.code)
            assert comp.code.startswith(p.code + ".")
            for k in comp.criteria:
                assert re.fullmatch(r"[1-6]\.[1-9]\.[1-9][0-9]?", k.code), k.code
                assert k.code.startswith(comp.code + ".")
                assert k.id == "c" + k.code.replace(".", "_")


def test_dbi_criteria_keep_official_text(dbi: Questionnaire) -> None:
    for k in dbi.criteria:
        assert k.code
        assert isinstance(k.official_text, str) and k.official_text.strip(), k.code
    texts = [k.official_text for k in dbi.criteria]
    assert len(set(texts)) == len(texts)


def test_dbi_own_bands_are_explained(dbi: Questionnaire) -> None:
    banded = [k for k in dbi.criteria if k.bands_source is not None]
    # 26 criteria are numeric in the original (DOMAIN §2.1); all of them use our own bands
    assert len(banded) == 26
    for k in banded:
        assert k.bands_source == "sme-assess", k.code
        assert k.note and k.note.strip(), k.code


def test_dbi_detail_questions_follow_their_gate(dbi: Questionnaire) -> None:
    for k in dbi.criteria:
        for question in k.questions:
            if question.show_if is None:
                continue
            gate = dbi.question(question.show_if.question)
            assert gate is not None and gate.criterion_id == k.id
            assert gate.type == "yes_no" and question.show_if.values == ("yes",)


def _local_texts(obj: Any, where: str, seen: set[int]) -> list[tuple[str, LocalText]]:
    """Every LocalText reachable from `obj` through dataclass fields and tuples."""
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, LocalText):
        return [(where, obj)]
    out: list[tuple[str, LocalText]] = []
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            if f.name.startswith("_"):
                continue
            out += _local_texts(getattr(obj, f.name), f"{where}.{f.name}", seen)
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            out += _local_texts(item, f"{where}[{i}]", seen)
    return out


def test_dbi_every_text_in_vi_and_en(dbi: Questionnaire) -> None:
    texts = _local_texts(dbi, "dbi", set())
    options = sum(len(x.options) for x in dbi.iter_questions())
    # at least: title, description, source note, levels, pillar/component/criterion titles,
    # every question and every option
    assert len(texts) >= 3 + 2 * 6 + 6 + 10 + 60 + dbi.question_count + options
    for where, text in texts:
        values = dict(text.values)
        assert set(values) == {"vi", "en"}, where
        assert values["vi"].strip() and values["en"].strip(), where
        assert values["vi"] != values["en"] or len(values["vi"]) < 12, where


def test_loaded_objects_are_frozen(dbi: Questionnaire) -> None:
    pillar = dbi.pillars[0]
    criterion = pillar.criteria[0]
    question = criterion.questions[1]
    option = question.options[0]
    targets: list[tuple[Any, str, Any]] = [
        (dbi, "id", "other"),
        (dbi.scoring, "max_total", 1),
        (dbi.scoring.pillar_bands[1], "above", 0),
        (dbi.scoring.overall_rules[0], "total_above", 0),
        (pillar, "max_points", 1),
        (pillar.components[0], "max_points", 1),
        (criterion, "multiplier", 9),
        (question, "show_if", None),
        (option, "points", 5),
        (option.text, "values", ()),
        (dbi.levels[0], "level", 3),
    ]
    for obj, attr, value in targets:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attr, value)
    # collections are tuples, so they cannot be appended to either
    assert isinstance(dbi.pillars, tuple)
    assert isinstance(pillar.components, tuple)
    assert isinstance(criterion.questions, tuple)
    assert isinstance(question.options, tuple)
