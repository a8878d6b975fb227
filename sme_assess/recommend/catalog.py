"""The platform catalogue: load, validate, freeze (no Flask, no database).

`load_catalog(path, known_criteria)` reads `sme_assess/data/platforms.yaml` (format: see the
module `__init__` docstring), checks its schema and cross-references and returns a frozen
`Catalog`. Every problem is collected, not just the first; `CatalogError` carries them all and
its message gives one line per problem naming the file, the entry and the field, e.g.::

    platforms.yaml: platforms[12] (id 'kiotviet').sizes[1]: unknown size 'tiny' (allowed: …)

A YAML syntax error gives the file, line and column instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..questionnaire.checks import DataChecker, join, kind
from ..questionnaire.model import LocalText

SIZES = ("micro", "small", "medium", "large")
BUSINESS_TYPES = ("enterprise", "cooperative", "household")
#: VSIC 2018 sections (Decision 27/2018/QĐ-TTg).
INDUSTRY_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
#: The pillar ids of the DBI questionnaires; `load_catalog(known_pillars=…)` overrides.
PILLARS = ("customer", "strategy", "infrastructure", "operations", "culture", "data")
#: Plan phases, in months from the start of the plan.
PHASES = ("0-3", "3-6", "6-12")
MAX_FREE_MONTHS = 12

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


# --- the profile of the business a plan is made for --------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the catalogue's suitability rules look at.

    `size_class` is the Decree 80/2021 size (micro, small, medium, large), `industry_section`
    the VSIC 2018 section letter of the main business line (A–U), `business_type` one of
    enterprise, cooperative, household. Raises `ValueError` naming every bad field.
    """

    size_class: str
    industry_section: str
    business_type: str
    province_code: str | None = None

    def __post_init__(self) -> None:
        problems = _profile_problems(self.size_class, self.industry_section, self.business_type)
        if problems:
            raise ValueError("; ".join(problems))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Profile:
        """Build from a JSON-like mapping (the CLI's profile file). Raises `ValueError` listing
        missing, unknown and invalid keys."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a profile must be a mapping, got {kind(data)}")
        required = ("size_class", "industry_section", "business_type")
        problems = [f"{k!r} is required" for k in required if k not in data]
        allowed = {*required, "province_code"}
        problems += [f"unknown key {k!r}" for k in data if k not in allowed]
        for key in (*required, "province_code"):
            value = data.get(key)
            if key in data and not isinstance(value, str) and value is not None:
                problems.append(f"{key!r} must be a string, got {kind(value)}")
        if problems:
            raise ValueError("; ".join(problems))
        province = data.get("province_code")
        return cls(
            size_class=str(data["size_class"]),
            industry_section=str(data["industry_section"]),
            business_type=str(data["business_type"]),
            province_code=str(province) if province is not None else None,
        )


def _profile_problems(size: str, section: str, business_type: str) -> list[str]:
    problems = []
    if size not in SIZES:
        problems.append(f"unknown size class {size!r} (allowed: {', '.join(SIZES)})")
    if section not in INDUSTRY_SECTIONS:
        problems.append(f"unknown industry section {section!r} (allowed: A–U)")
    if business_type not in BUSINESS_TYPES:
        problems.append(
            f"unknown business type {business_type!r} (allowed: {', '.join(BUSINESS_TYPES)})"
        )
    return problems


# --- frozen catalogue objects ------------------------------------------------------------------


@dataclass(frozen=True)
class BasicFor:
    """Which businesses a basic category is basic for."""

    business_types: tuple[str, ...] = BUSINESS_TYPES
    sizes: tuple[str, ...] = SIZES

    def matches(self, profile: Profile) -> bool:
        return profile.business_type in self.business_types and profile.size_class in self.sizes


@dataclass(frozen=True)
class Category:
    id: str
    name: LocalText
    description: LocalText
    pillars: tuple[str, ...]
    criteria: tuple[str, ...]
    basic: bool = False
    basic_for: BasicFor | None = None
    #: the earliest plan phase (optional key `phase`); None lets the engine decide from the
    #: category's breadth (see `recommend.engine`)
    phase: str | None = None

    def is_basic_for(self, profile: Profile) -> bool:
        """True when the category is basic and its `basic_for` covers the profile (a basic
        category without `basic_for` is basic for everyone)."""
        if not self.basic:
            return False
        return (self.basic_for or BasicFor()).matches(profile)


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    provider: str
    category: str
    description: LocalText
    pillars: tuple[str, ...]
    criteria: tuple[str, ...]
    sizes: tuple[str, ...]
    #: VSIC section letters, or None for every industry (`industries: all`)
    industries: tuple[str, ...] | None
    business_types: tuple[str, ...]
    free_months: int
    offer: LocalText
    website: str
    source: str
    verified: bool = False
    verified_on: date | None = None

    def suits(self, profile: Profile) -> bool:
        """Size, industry and business type all fit: the only platforms ever recommended."""
        return (
            profile.size_class in self.sizes
            and profile.business_type in self.business_types
            and (self.industries is None or profile.industry_section in self.industries)
        )

    def targets_industry(self, section: str) -> bool:
        """The platform lists the section explicitly (not `industries: all`)."""
        return self.industries is not None and section in self.industries


@dataclass(frozen=True)
class Catalog:
    version: str
    note: LocalText | None
    categories: tuple[Category, ...]
    platforms: tuple[Platform, ...]
    path: str = ""

    def category(self, category_id: str) -> Category | None:
        for c in self.categories:
            if c.id == category_id:
                return c
        return None

    def platform(self, platform_id: str) -> Platform | None:
        for p in self.platforms:
            if p.id == platform_id:
                return p
        return None

    def platforms_in(self, category_id: str) -> tuple[Platform, ...]:
        return tuple(p for p in self.platforms if p.category == category_id)

    def criteria_of(self, platform: Platform) -> tuple[str, ...]:
        """The criteria a platform works on: its own list, else its category's."""
        if platform.criteria:
            return platform.criteria
        cat = self.category(platform.category)
        return cat.criteria if cat else ()


# --- errors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogProblem:
    """One problem: `entry` names the place (e.g. ``platforms[12] (id 'kiotviet').sizes[1]``)."""

    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry or '<file>'}: {self.message}"


class CatalogError(Exception):
    """The catalogue file is broken. `file` is its path, `problems` every problem found."""

    def __init__(self, file: str, problems: list[CatalogProblem]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


# --- loading -----------------------------------------------------------------------------------


def load_catalog(
    path: str | Path,
    known_criteria: Collection[str] | None = None,
    *,
    known_pillars: Collection[str] = PILLARS,
) -> Catalog:
    """Read, validate and freeze a catalogue file; raise `CatalogError` with every problem.

    `known_criteria`: when given, every criterion id referred to must be among them (pass the
    criteria of the loaded questionnaires). `known_pillars`: the pillar ids allowed.
    """
    file = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(file, [CatalogProblem("", f"cannot read file: {exc.strerror}")]) from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(file, [CatalogProblem(where, f"not valid YAML: {problem}")]) from exc
    return parse_catalog(data, file, known_criteria, known_pillars=known_pillars)


def parse_catalog(
    data: Any,
    file: str = "<memory>",
    known_criteria: Collection[str] | None = None,
    *,
    known_pillars: Collection[str] = PILLARS,
) -> Catalog:
    """Validate already-parsed YAML/JSON data (see `load_catalog`)."""
    ck = _Checker(known_criteria, known_pillars)
    catalog = ck.catalog(data)
    if ck.problems or catalog is None:
        raise CatalogError(file, ck.problems or [CatalogProblem("", "empty file")])
    object.__setattr__(catalog, "path", file)
    return catalog


_CATEGORY_KEYS = ("id", "name", "description", "pillars", "criteria")
_CATEGORY_OPTIONAL = ("basic", "basic_for", "phase")
_PLATFORM_KEYS = (
    "id",
    "name",
    "provider",
    "category",
    "description",
    "pillars",
    "criteria",
    "sizes",
    "industries",
    "business_types",
    "free_months",
    "offer",
    "website",
    "source",
    "verified",
)
_PLATFORM_OPTIONAL = ("verified_on",)


class _Checker(DataChecker[CatalogProblem]):
    def __init__(
        self, known_criteria: Collection[str] | None, known_pillars: Collection[str]
    ) -> None:
        super().__init__(CatalogProblem)
        self.known_criteria = None if known_criteria is None else frozenset(known_criteria)
        self.known_pillars = tuple(known_pillars)

    def ident(self, value: Any, path: str, regex: re.Pattern[str] = ID_RE) -> str:
        return super().ident(value, path, regex)

    def choices(
        self, value: Any, path: str, allowed: Iterable[str], what: str, *, allow_empty: bool = False
    ) -> tuple[str, ...]:
        """A list of unique values from `allowed` (kept in the order given)."""
        allowed = tuple(allowed)
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {kind(value)}")
            return ()
        if not value and not allow_empty:
            self.fail(path, "must not be empty")
        out: list[str] = []
        for i, v in enumerate(value):
            if not isinstance(v, str) or v not in allowed:
                if len(allowed) > 8:
                    shown = f"{allowed[0]}–{allowed[-1]}"
                else:
                    shown = ", ".join(allowed) or "none"
                self.fail(f"{path}[{i}]", f"unknown {what} {v!r} (allowed: {shown})")
            elif v in out:
                self.fail(f"{path}[{i}]", f"repeated {what} {v!r}")
            else:
                out.append(v)
        return tuple(out)

    def criteria(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list of criterion ids, got {kind(value)}")
            return ()
        out: list[str] = []
        for i, v in enumerate(value):
            ipath = f"{path}[{i}]"
            if not isinstance(v, str) or not v:
                self.fail(ipath, f"expected a criterion id, got {kind(v)}")
            elif self.known_criteria is not None and v not in self.known_criteria:
                self.fail(ipath, f"unknown criterion {v!r} (not in any loaded questionnaire)")
            elif v in out:
                self.fail(ipath, f"repeated criterion {v!r}")
            else:
                out.append(v)
        return tuple(out)

    # -- structure

    def catalog(self, data: Any) -> Catalog | None:
        if data is None:
            return None
        top = self.mapping(data, "")
        if not top:
            return None
        self.keys(top, "", ("version", "categories", "platforms"), ("note",))
        version = top.get("version")
        if isinstance(version, int | float) and not isinstance(version, bool):
            version = str(version)
        version = self.string(version, "version")
        note = self.text(top["note"], "note") if "note" in top else None

        categories: list[Category] = []
        seen_cat: dict[str, str] = {}
        raw_cats = top.get("categories")
        if not isinstance(raw_cats, list):
            self.fail("categories", f"expected a list, got {kind(raw_cats)}")
            raw_cats = []
        for i, c in enumerate(raw_cats):
            cat = self.category(c, i, seen_cat)
            if cat is not None:
                categories.append(cat)

        platforms: list[Platform] = []
        seen_pf: dict[str, str] = {}
        raw_pfs = top.get("platforms")
        if not isinstance(raw_pfs, list):
            self.fail("platforms", f"expected a list, got {kind(raw_pfs)}")
            raw_pfs = []
        for i, p in enumerate(raw_pfs):
            pf = self.platform(p, i, seen_pf, seen_cat)
            if pf is not None:
                platforms.append(pf)
        if self.problems:
            return None
        return Catalog(version, note, tuple(categories), tuple(platforms))

    @staticmethod
    def _entry(kind: str, index: int, raw: Any) -> str:
        ident = raw.get("id") if isinstance(raw, dict) else None
        return f"{kind}[{index}] (id {ident!r})" if isinstance(ident, str) else f"{kind}[{index}]"

    def _unique(self, ident: str, entry: str, seen: dict[str, str], what: str) -> None:
        if not ident:
            return
        if ident in seen:
            self.fail(join(entry, "id"), f"duplicate {what} id {ident!r} (first at {seen[ident]})")
        else:
            seen[ident] = entry

    def category(self, raw: Any, index: int, seen: dict[str, str]) -> Category | None:
        entry = self._entry("categories", index, raw)
        c = self.mapping(raw, entry)
        if not c:
            return None
        self.keys(c, entry, _CATEGORY_KEYS, _CATEGORY_OPTIONAL)
        cid = self.ident(c.get("id"), join(entry, "id"))
        self._unique(cid, entry, seen, "category")
        basic = self.boolean(c.get("basic", False), join(entry, "basic"))
        basic_for: BasicFor | None = None
        if "basic_for" in c:
            bpath = join(entry, "basic_for")
            if not basic:
                self.fail(bpath, "only allowed on a category with basic: true")
            b = self.mapping(c["basic_for"], bpath)
            self.keys(b, bpath, (), ("business_types", "sizes"))
            basic_for = BasicFor(
                business_types=self.choices(
                    b.get("business_types", list(BUSINESS_TYPES)),
                    join(bpath, "business_types"),
                    BUSINESS_TYPES,
                    "business type",
                ),
                sizes=self.choices(
                    b.get("sizes", list(SIZES)), join(bpath, "sizes"), SIZES, "size"
                ),
            )
        phase = c.get("phase")
        if phase is not None and phase not in PHASES:
            self.fail(
                join(entry, "phase"), f"unknown phase {phase!r} (allowed: {', '.join(PHASES)})"
            )
            phase = None
        return Category(
            id=cid,
            name=self.text(c.get("name"), join(entry, "name")),
            description=self.text(c.get("description"), join(entry, "description")),
            pillars=self.choices(
                c.get("pillars"), join(entry, "pillars"), self.known_pillars, "pillar"
            ),
            criteria=self.criteria(c.get("criteria"), join(entry, "criteria")),
            basic=basic,
            basic_for=basic_for,
            phase=phase,
        )

    def platform(
        self, raw: Any, index: int, seen: dict[str, str], categories: Mapping[str, str]
    ) -> Platform | None:
        entry = self._entry("platforms", index, raw)
        p = self.mapping(raw, entry)
        if not p:
            return None
        self.keys(p, entry, _PLATFORM_KEYS, _PLATFORM_OPTIONAL)
        pid = self.ident(p.get("id"), join(entry, "id"))
        self._unique(pid, entry, seen, "platform")
        category = self.ident(p.get("category"), join(entry, "category"))
        if category and category not in categories:
            known = ", ".join(sorted(categories)) or "none"
            self.fail(join(entry, "category"), f"unknown category {category!r} (known: {known})")

        industries_raw = p.get("industries")
        industries: tuple[str, ...] | None
        if industries_raw == "all":
            industries = None
        else:
            industries = self.choices(
                industries_raw, join(entry, "industries"), INDUSTRY_SECTIONS, "VSIC section"
            )

        free_raw = p.get("free_months")
        free_months = 0
        fpath = join(entry, "free_months")
        if isinstance(free_raw, bool) or not isinstance(free_raw, int):
            self.fail(fpath, f"expected a whole number of months, got {kind(free_raw)}")
        elif not 0 <= free_raw <= MAX_FREE_MONTHS:
            self.fail(fpath, f"{free_raw} is outside 0..{MAX_FREE_MONTHS}")
        else:
            free_months = free_raw

        website = self.string(p.get("website"), join(entry, "website"))
        if website and not URL_RE.match(website):
            self.fail(join(entry, "website"), f"{website!r} is not an http(s) address")

        verified = self.boolean(p.get("verified"), join(entry, "verified"))
        verified_on = self.verified_on(p.get("verified_on"), verified, entry)
        return Platform(
            id=pid,
            name=self.string(p.get("name"), join(entry, "name")),
            provider=self.string(p.get("provider"), join(entry, "provider")),
            category=category,
            description=self.text(p.get("description"), join(entry, "description")),
            pillars=self.choices(
                p.get("pillars"), join(entry, "pillars"), self.known_pillars, "pillar"
            ),
            criteria=self.criteria(p.get("criteria"), join(entry, "criteria")),
            sizes=self.choices(p.get("sizes"), join(entry, "sizes"), SIZES, "size"),
            industries=industries,
            business_types=self.choices(
                p.get("business_types"),
                join(entry, "business_types"),
                BUSINESS_TYPES,
                "business type",
            ),
            free_months=free_months,
            offer=self.text(p.get("offer"), join(entry, "offer")),
            website=website,
            source=self.string(p.get("source"), join(entry, "source")),
            verified=verified,
            verified_on=verified_on,
        )

    def verified_on(self, value: Any, verified: bool, entry: str) -> date | None:
        path = join(entry, "verified_on")
        if value is None:
            if verified:
                self.fail(path, "is required when verified is true (the date it was checked)")
            return None
        if not verified:
            self.fail(path, "must be empty (null) when verified is false")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"expected a date YYYY-MM-DD, got {value!r}")
        return None
