"""The platform catalogue loader: schema, cross-references, and messages naming file + entry.

Fixture files: `tests/fixtures/catalog/valid.yaml` and its broken copies (one change each).
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from sme_assess.questionnaire import load_questionnaire
from sme_assess.recommend import (
    Catalog,
    CatalogError,
    Profile,
    load_catalog,
    parse_catalog,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
VALID = FIXTURES / "valid.yaml"
KNOWN = {
    "c1_1_1",
    "c1_1_5",
    "c1_2_3",
    "c2_1_1",
    "c3_2_3",
    "c3_2_5",
    "c3_2_6",
    "c3_2_7",
    "c4_1_1",
    "c4_2_5",
    "c5_1_1",
    "c6_1_1",
    "c6_1_4",
}


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    return data


def _errors(data: Any, known: set[str] | None = KNOWN) -> list[str]:
    with pytest.raises(CatalogError) as info:
        parse_catalog(data, "cat.yaml", known)
    assert str(info.value).splitlines() == [f"cat.yaml: {p}" for p in info.value.problems]
    return str(info.value).splitlines()


def test_valid_fixture_loads() -> None:
    cat = load_catalog(VALID, KNOWN)
    assert isinstance(cat, Catalog)
    assert cat.version == "test.1"
    assert cat.path == str(VALID)
    assert len(cat.categories) == 11 and len(cat.platforms) == 13
    e_invoice = cat.category("e_invoice")
    assert e_invoice is not None and e_invoice.basic
    assert e_invoice.is_basic_for(Profile("micro", "G", "enterprise"))
    assert not e_invoice.is_basic_for(Profile("micro", "G", "household"))
    big = cat.platform("einv-big")
    assert big is not None and big.verified and big.verified_on == date(2026, 11, 1)
    web = cat.platform("web-a")
    assert web is not None and web.industries is None and web.criteria == ()
    assert cat.criteria_of(web) == ("c1_1_1",)  # empty list: the category's criteria apply
    assert [p.id for p in cat.platforms_in("pos_sales")] == ["pos-retail", "pos-any"]
    bi = cat.category("bi")
    assert bi is not None and bi.phase == "3-6"
    # without known criteria, the ids are not cross-checked
    assert load_catalog(VALID) == cat


@pytest.mark.parametrize(
    ("name", "entry", "message"),
    [
        (
            "unknown-category.yaml",
            "platforms[2] (id 'web-a').category",
            "unknown category 'websites'",
        ),
        (
            "duplicate-id.yaml",
            "platforms[1] (id 'einv-a').id",
            "duplicate platform id 'einv-a' (first at platforms[0] (id 'einv-a'))",
        ),
        ("missing-vi.yaml", "categories[1] (id 'website').name.vi", "missing or empty translation"),
        (
            "bad-size.yaml",
            "platforms[7] (id 'pos-retail').sizes[0]",
            "unknown size 'tiny' (allowed: micro, small, medium, large)",
        ),
        (
            "bad-criterion.yaml",
            "platforms[11] (id 'bi-a').criteria[1]",
            "unknown criterion 'c9_9_9'",
        ),
        ("syntax-error.yaml", "line 34, column 5", "not valid YAML"),
    ],
)
def test_broken_files_name_file_entry_and_problem(name: str, entry: str, message: str) -> None:
    path = FIXTURES / name
    with pytest.raises(CatalogError) as info:
        load_catalog(path, KNOWN)
    err = info.value
    assert err.file == str(path)
    assert len(err.problems) == 1, str(err)
    line = str(err)
    assert line.startswith(f"{path}: {entry}: "), line
    assert message in line


def test_all_problems_are_collected() -> None:
    data = _raw()
    data["platforms"][0]["sizes"] = ["huge"]
    data["platforms"][3]["cost"] = "gratis"
    data["categories"][2]["name"] = {"vi": "Thương mại điện tử"}
    lines = _errors(data)
    assert lines == [
        "cat.yaml: categories[2] (id 'ecommerce').name.en: missing or empty translation",
        "cat.yaml: platforms[0] (id 'einv-a').sizes[0]: unknown size 'huge' "
        "(allowed: micro, small, medium, large)",
        "cat.yaml: platforms[3] (id 'shop-retail').cost: unknown cost 'gratis' "
        "(allowed: free_public, free_trial, paid, unknown)",
    ]


def _set(path: str, value: Any) -> Any:
    """Return a copy of the valid data with `path` ("platforms.0.cost") set (or deleted
    when value is ...)."""
    data = copy.deepcopy(_raw())
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is ...:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "platforms.0.cost",
            {"kind": "free_trial", "months": 0, "source": "https://a.vn/x", "as_of": "2026-01-01"},
            "platforms[0] (id 'einv-a').cost.months: 0 is below the minimum 1",
        ),
        ("platforms.0.cost", "free_trial", "cost: free_trial needs {kind, months, source, as_of}"),
        (
            "platforms.0.cost",
            {"kind": "free_trial", "months": 3, "as_of": "2026-01-01"},
            "cost.source: is required",
        ),
        (
            "platforms.0.cost",
            {"kind": "free_trial", "months": 3, "source": "https://a.vn/x", "as_of": "soon"},
            "cost.as_of: expected a date YYYY-MM-DD, got 'soon'",
        ),
        (
            "platforms.0.cost",
            {"kind": "paid", "months": 3},
            "cost: months, source and as_of belong to a free_trial only",
        ),
        (
            "platforms.0.source",
            "sme-assess catalogue research 2026-11",
            "source: 'sme-assess catalogue research 2026-11' refers to this project",
        ),
        (
            "platforms.0.source",
            "https://github.com/x/sme-assess/notes.md",
            "refers to this project, not to an external page",
        ),
        ("platforms.0.source", "a news article", "'a news article' is not an http(s) address"),
        ("categories.0.effort", "slow", "effort: unknown effort 'slow'"),
        ("categories.0.requires", ["nope"], "requires[0]: unknown or own category 'nope'"),
        ("categories.0.fits", {"sizes": ["tiny"]}, "fits.sizes[0]: unknown size 'tiny'"),
        ("categories.0.need", "ghost", "need: unknown need 'ghost'"),
        (
            "platforms.0.industries",
            ["G", "Z"],
            "industries[1]: unknown VSIC section 'Z' (allowed: A–U)",
        ),
        ("platforms.0.industries", "some", "industries: expected a list, got a string"),
        ("platforms.0.industries", [], "industries: must not be empty"),
        (
            "platforms.0.business_types",
            ["enterprise", "corp"],
            "business_types[1]: unknown business type 'corp'",
        ),
        (
            "platforms.0.business_types",
            ["household", "household"],
            "business_types[1]: repeated business type",
        ),
        ("platforms.0.pillars", ["finance"], "pillars[0]: unknown pillar 'finance'"),
        (
            "categories.0.pillars",
            ["customer", "money"],
            "categories[0] (id 'e_invoice').pillars[1]: unknown pillar 'money'",
        ),
        (
            "categories.0.criteria",
            ["c3_2_3", "c7_1_1"],
            "categories[0] (id 'e_invoice').criteria[1]: unknown criterion 'c7_1_1'",
        ),
        (
            "platforms.0.verified",
            True,
            "platforms[0] (id 'einv-a').verified_on: is required when verified is true",
        ),
        ("platforms.1.verified_on", None, "platforms[1] (id 'einv-big').verified_on: is required"),
        (
            "platforms.0.verified_on",
            "2026-01-01",
            "verified_on: must be empty (null) when verified is false",
        ),
        ("platforms.1.verified_on", "last week", "verified_on: expected a date YYYY-MM-DD"),
        ("platforms.0.verified", "no", "verified: expected true or false, got a string"),
        ("platforms.0.offer", {"vi": "Ưu đãi", "en": ""}, "offer.en: missing or empty translation"),
        ("platforms.0.offer", {"vi": "a", "en": "b", "fr": "c"}, "offer.fr: unknown locale"),
        ("platforms.0.description", "plain", "description: expected a text with vi and en"),
        (
            "platforms.0.website",
            "invoice-a.vn",
            "website: 'invoice-a.vn' is not an http(s) address",
        ),
        ("platforms.0.name", "", "platforms[0] (id 'einv-a').name: expected a non-empty string"),
        ("platforms.0.id", "Bad Id", "platforms[0] (id 'Bad Id').id: invalid id 'Bad Id'"),
        ("platforms.0.colour", "red", "platforms[0] (id 'einv-a').colour: unknown key"),
        ("platforms.0.source", ..., "platforms[0] (id 'einv-a').source: is required"),
        (
            "categories.1.basic_for",
            {"sizes": ["micro"]},
            "categories[1] (id 'website').basic_for: only allowed on a category with basic: true",
        ),
        ("categories.0.basic_for", {"sizes": ["mini"]}, "basic_for.sizes[0]: unknown size 'mini'"),
        (
            "categories.0.phase",
            "12-24",
            "categories[0] (id 'e_invoice').phase: unknown phase '12-24'",
        ),
        (
            "categories.1.id",
            "e_invoice",
            "categories[1] (id 'e_invoice').id: duplicate category id 'e_invoice'",
        ),
        ("platforms", {"a": 1}, "platforms: expected a list, got a mapping"),
        ("version", ..., "version: is required"),
    ],
)
def test_schema_problems(path: str, value: Any, expected: str) -> None:
    lines = _errors(_set(path, value))
    assert any(expected in line for line in lines), lines


def test_missing_source_is_a_warning_not_an_error() -> None:
    cat = parse_catalog(_set("platforms.0.source", None), "cat.yaml", KNOWN)
    assert [str(w) for w in cat.warnings] == [
        "platforms[0] (id 'einv-a').source: no source: add an external page about this platform"
    ]
    assert cat.platform("einv-a") is not None and cat.platform("einv-a").source == ""


def test_prerequisite_cycle_is_refused() -> None:
    data = _set("categories.0.requires", ["website"])
    data["categories"][1]["requires"] = ["e_invoice"]
    lines = _errors(data)
    assert any("prerequisites form a cycle: e_invoice → website → e_invoice" in x for x in lines)


def test_free_trial_is_read_with_its_source_and_date() -> None:
    cat = parse_catalog(_raw(), "cat.yaml", KNOWN)
    pf = cat.platform("einv-a")
    assert pf is not None
    assert (pf.cost.kind, pf.cost.months, pf.cost.source) == (
        "free_trial",
        6,
        "https://news.vendor-a.vn/offer",
    )
    assert pf.cost.as_of is not None and pf.cost.as_of.isoformat() == "2026-11-01"
    assert pf.free_months == 6


def test_basic_for_defaults_to_everyone() -> None:
    data = _set("categories.0.basic_for", ...)
    cat = parse_catalog(data, "cat.yaml", KNOWN)
    e_invoice = cat.category("e_invoice")
    assert e_invoice is not None
    assert e_invoice.is_basic_for(Profile("micro", "A", "household"))


def test_empty_and_non_mapping_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"empty\.yaml: <file>: empty file"):
        load_catalog(empty)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"list\.yaml: <file>: expected a mapping, got a list"):
        load_catalog(listed)
    with pytest.raises(CatalogError, match=r"missing\.yaml: <file>: cannot read file"):
        load_catalog(tmp_path / "missing.yaml")


def test_real_catalogue_is_valid_against_the_real_questionnaire() -> None:
    q = load_questionnaire(ROOT / "questionnaires" / "dbi-2021-sme.yaml")
    cat = load_catalog(ROOT / "sme_assess" / "data" / "platforms.yaml", {c.id for c in q.criteria})
    assert cat.platforms and cat.categories
    assert {p.category for p in cat.platforms} <= {c.id for c in cat.categories}
    assert any("c3_2_3" in c.criteria for c in cat.categories)
    # free public services are what the catalogue says they are, and no offer claims a free
    # period without a dated external source
    costs = {p.id: p.cost for p in cat.platforms}
    for pid in ("etax-mobile", "etax-portal", "dichvucong", "community-digital-teams"):
        assert costs[pid].kind == "free_public", pid
    for pf in cat.platforms:
        if pf.cost.kind == "free_trial":
            assert pf.cost.source.startswith("http") and pf.cost.as_of is not None
        assert "sme-assess" not in pf.source
    summary = cat.cost_summary()
    assert summary["free_trial"] == 1 and summary["free_public"] == 5
