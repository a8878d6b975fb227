"""The platform catalogue: load, validate, freeze (no Flask, no database).

`load_catalog(path, known_criteria)` reads `sme_assess/data/platforms.yaml` (format: see the
module `__init__` docstring), checks its schema and cross-references and returns a frozen
`Catalog`. Every problem is collected, not just the first; `CatalogError` carries them all and
its message gives one line per problem naming the file, the entry and the field, e.g.::

    platforms.yaml: platforms[12] (id 'kiotviet').sizes[1]: unknown size 'tiny' (allowed: …)

A YAML syntax error gives the file, line and column instead. Softer problems (a platform
without a `source`) do not stop loading: they are in `Catalog.warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
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
#: How long a category takes to adopt: days, weeks, months (a project).
EFFORTS = ("quick", "medium", "project")
#: What a platform costs the owner (see `Cost`).
COST_KINDS = ("free_public", "free_trial", "paid", "unknown")
MAX_TRIAL_MONTHS = 24

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
#: A `source` must point outside the project: these mark a self-reference.
SELF_REFERENCE_RE = re.compile(r"sme[-_ ]?assess|example\.(com|org|net|vn)|localhost", re.I)


# --- the profile of the business a plan is made for --------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the catalogue's fit rules look at.

    `size_class` is the Decree 80/2021 size (micro, small, medium, large), `industry_section`
    the VSIC 2018 section letter of the main business line (A–U), `business_type` one of
    enterprise, cooperative, household; `activities` optional activity ids of the catalogue
    (e.g. ``lodging``, ``pharmacy``) that the section alone cannot tell. Raises `ValueError`
    naming every bad field.
    """

    size_class: str
    industry_section: str
    business_type: str
    province_code: str | None = None
    activities: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = _profile_problems(self.size_class, self.industry_section, self.business_type)
        for a in self.activities:
            if not isinstance(a, str) or not ID_RE.match(a):
                problems.append(f"invalid activity {a!r}")
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
        allowed = {*required, "province_code", "activities"}
        problems += [f"unknown key {k!r}" for k in data if k not in allowed]
        for key in (*required, "province_code"):
            value = data.get(key)
            if key in data and not isinstance(value, str) and value is not None:
                problems.append(f"{key!r} must be a string, got {kind(value)}")
        activities = data.get("activities", [])
        if not isinstance(activities, list) or not all(isinstance(a, str) for a in activities):
            problems.append(f"'activities' must be a list of strings, got {kind(activities)}")
            activities = []
        if problems:
            raise ValueError("; ".join(problems))
        province = data.get("province_code")
        return cls(
            size_class=str(data["size_class"]),
            industry_section=str(data["industry_section"]),
            business_type=str(data["business_type"]),
            province_code=str(province) if province is not None else None,
            activities=tuple(activities),
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
class Fit:
    """Which businesses something serves. Each of `business_types`, `sizes`, `industries` is a
    list or None for "all"; `activities` (may be empty) must share at least one activity with
    the business (its own, or those its section implies: `Catalog.activities_of`)."""

    business_types: tuple[str, ...] | None = None
    sizes: tuple[str, ...] | None = None
    industries: tuple[str, ...] | None = None
    activities: tuple[str, ...] = ()

    def matches(self, profile: Profile, activities: Collection[str]) -> bool:
        return (
            (self.business_types is None or profile.business_type in self.business_types)
            and (self.sizes is None or profile.size_class in self.sizes)
            and (self.industries is None or profile.industry_section in self.industries)
            and (not self.activities or any(a in activities for a in self.activities))
        )


EVERYONE = Fit()


@dataclass(frozen=True)
class BasicFor:
    """Which businesses a basic category is basic for."""

    business_types: tuple[str, ...] = BUSINESS_TYPES
    sizes: tuple[str, ...] = SIZES

    def matches(self, profile: Profile) -> bool:
        return profile.business_type in self.business_types and profile.size_class in self.sizes


@dataclass(frozen=True)
class Activity:
    """Something a business does that its VSIC section alone does not say (e.g. "ships goods",
    "lodging"). A business of one of `sections` is taken to do it when `implied` is true."""

    id: str
    name: LocalText
    sections: tuple[str, ...]
    implied: bool


@dataclass(frozen=True)
class Prerequisite:
    """Category `category` comes first — for the businesses `fit` covers."""

    category: str
    fit: Fit = EVERYONE


@dataclass(frozen=True)
class Need:
    id: str
    name: LocalText


@dataclass(frozen=True)
class Category:
    id: str
    name: LocalText
    description: LocalText
    pillars: tuple[str, ...]
    criteria: tuple[str, ...]
    basic: bool = False
    basic_for: BasicFor | None = None
    #: the earliest plan phase (optional key `phase`); None lets the engine decide
    phase: str | None = None
    #: the need it meets; categories of one need are alternatives to each other (one per plan)
    need: str = ""
    #: the businesses it serves; a category is never recommended to others
    fits: Fit = EVERYONE
    #: criteria at or above this level mean the business has what the category offers
    good_level: int = 4
    requires: tuple[Prerequisite, ...] = ()
    effort: str = "medium"
    #: the businesses for which it is the industry's core system (planned early)
    core_for: Fit | None = None
    #: a first step for a starting household or micro firm (`Catalog.starter`)
    starter: bool = False
    #: the action, as the subject of a sentence ("Dùng hóa đơn điện tử")
    action: LocalText | None = None
    #: what to do instead of buying, when the business has the tool but uses it little
    use_more: LocalText | None = None

    def is_basic_for(self, profile: Profile) -> bool:
        """True when the category is basic and its `basic_for` covers the profile (a basic
        category without `basic_for` is basic for everyone)."""
        if not self.basic:
            return False
        return (self.basic_for or BasicFor()).matches(profile)

    def action_text(self) -> LocalText:
        return self.action or self.name


@dataclass(frozen=True)
class Cost:
    """What the platform costs the owner.

    `free_public`: a state service or community team, always free. `free_trial`: free for
    `months`, as reported by `source` on `as_of`. `paid`: paid (price from the provider).
    `unknown`: not known to the catalogue.
    """

    kind: str
    months: int = 0
    source: str = ""
    as_of: date | None = None

    @property
    def rank(self) -> int:
        """Cheapest first: free_public 0, free_trial 1, paid and unknown 2."""
        return {"free_public": 0, "free_trial": 1}.get(self.kind, 2)


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
    cost: Cost
    offer: LocalText
    website: str
    #: external pages about the platform or its offer, " ; "-separated ("" when none is known)
    source: str
    verified: bool = False
    verified_on: date | None = None

    @property
    def free_months(self) -> int:
        """Months of a free trial (0 unless the cost is `free_trial`)."""
        return self.cost.months if self.cost.kind == "free_trial" else 0

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
class StarterRule:
    """Who starts with the `starter` categories: a business of one of `business_types` OR of
    one of `sizes`, whose overall level is at most `max_overall_level`."""

    business_types: tuple[str, ...] = ("household",)
    sizes: tuple[str, ...] = ("micro",)
    max_overall_level: int = 1

    def matches(self, profile: Profile, overall_level: int) -> bool:
        return overall_level <= self.max_overall_level and (
            profile.business_type in self.business_types or profile.size_class in self.sizes
        )


@dataclass(frozen=True)
class RelevanceRule:
    """Criteria `criteria` matter `relevance` (1 low … 5 high) to the businesses `fit` covers."""

    criteria: tuple[str, ...]
    fit: Fit
    relevance: int


@dataclass(frozen=True)
class Advanced:
    """Advanced technologies: shown as "later, not needed at your size" to businesses that
    none of `needed_for` covers, and never planned for them."""

    criteria: tuple[str, ...]
    needed_for: tuple[Fit, ...]


@dataclass(frozen=True)
class ProgrammeTerm:
    """A dated fact about the support programme (not a per-platform offer)."""

    text: LocalText
    date: str
    source: str


@dataclass(frozen=True)
class Catalog:
    version: str
    note: LocalText | None
    categories: tuple[Category, ...]
    platforms: tuple[Platform, ...]
    path: str = ""
    needs: tuple[Need, ...] = ()
    activities: tuple[Activity, ...] = ()
    starter: StarterRule = StarterRule()
    relevance: tuple[RelevanceRule, ...] = ()
    default_relevance: int = 2
    advanced: Advanced | None = None
    programme_terms: tuple[ProgrammeTerm, ...] = ()
    warnings: tuple[CatalogProblem, ...] = field(default=(), compare=False)

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

    def need(self, need_id: str) -> Need | None:
        for n in self.needs:
            if n.id == need_id:
                return n
        return None

    def platforms_in(self, category_id: str) -> tuple[Platform, ...]:
        return tuple(p for p in self.platforms if p.category == category_id)

    def criteria_of(self, platform: Platform) -> tuple[str, ...]:
        """The criteria a platform works on: its own list, else its category's."""
        if platform.criteria:
            return platform.criteria
        cat = self.category(platform.category)
        return cat.criteria if cat else ()

    def activities_of(self, profile: Profile) -> frozenset[str]:
        """The business's activities: those it declares, and those its section implies."""
        implied = {
            a.id for a in self.activities if a.implied and profile.industry_section in a.sections
        }
        return frozenset(profile.activities) | implied

    def fits(self, category: Category, profile: Profile) -> bool:
        return category.fits.matches(profile, self.activities_of(profile))

    def relevance_of(
        self, criterion_id: str, profile: Profile, activities: frozenset[str] | None = None
    ) -> int:
        """How much a criterion matters to this business: the highest `relevance` of the rules
        that list it and cover the business, else `default_relevance` (`activities`: the
        business's `activities_of`, when the caller has them)."""
        acts = self.activities_of(profile) if activities is None else activities
        found = [
            r.relevance
            for r in self.relevance
            if criterion_id in r.criteria and r.fit.matches(profile, acts)
        ]
        return max(found) if found else self.default_relevance

    def is_later(
        self, criterion_id: str, profile: Profile, activities: frozenset[str] | None = None
    ) -> bool:
        """An advanced technology this business does not need yet."""
        adv = self.advanced
        if adv is None or criterion_id not in adv.criteria:
            return False
        acts = self.activities_of(profile) if activities is None else activities
        return not any(f.matches(profile, acts) for f in adv.needed_for)

    def cost_summary(self) -> dict[str, int]:
        """How many platforms have each cost kind (for pages that describe the catalogue)."""
        out = dict.fromkeys(COST_KINDS, 0)
        for p in self.platforms:
            out[p.cost.kind] += 1
        return out


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
    object.__setattr__(catalog, "warnings", tuple(ck.warnings))
    return catalog


_CATEGORY_KEYS = ("id", "name", "description", "pillars", "criteria")
_CATEGORY_OPTIONAL = (
    "basic",
    "basic_for",
    "phase",
    "need",
    "fits",
    "good_level",
    "requires",
    "effort",
    "core_for",
    "starter",
    "action",
    "use_more",
)
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
    "cost",
    "offer",
    "website",
    "source",
    "verified",
)
_PLATFORM_OPTIONAL = ("verified_on",)
_TOP_OPTIONAL = (
    "note",
    "needs",
    "activities",
    "starter",
    "relevance",
    "default_relevance",
    "advanced",
    "programme_terms",
)


def check_source(value: str) -> tuple[list[str], str]:
    """Problems of a `source` value (" ; "-separated http(s) addresses of external pages about
    the platform or offer) and the cleaned value. A self-reference is a problem."""
    problems = []
    parts = [s.strip() for s in value.split(";") if s.strip()]
    for s in parts:
        if SELF_REFERENCE_RE.search(s):
            problems.append(f"{s!r} refers to this project, not to an external page")
        elif not URL_RE.match(s):
            problems.append(f"{s!r} is not an http(s) address of an external page")
    return problems, " ; ".join(parts)


class _Checker(DataChecker[CatalogProblem]):
    def __init__(
        self, known_criteria: Collection[str] | None, known_pillars: Collection[str]
    ) -> None:
        super().__init__(CatalogProblem)
        self.known_criteria = None if known_criteria is None else frozenset(known_criteria)
        self.known_pillars = tuple(known_pillars)
        self.warnings: list[CatalogProblem] = []

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

    def all_or(
        self, value: Any, path: str, allowed: Iterable[str], what: str
    ) -> tuple[str, ...] | None:
        if value == "all":
            return None
        return self.choices(value, path, allowed, what)

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

    def fit(self, raw: Any, path: str) -> Fit:
        """``{business_types, sizes, industries, activities}``, each optional ("all" or absent
        for everyone; activities: any one of them)."""
        f = self.mapping(raw, path)
        self.keys(f, path, (), ("business_types", "sizes", "industries", "activities"))
        acts = f.get("activities", [])
        activities: tuple[str, ...] = ()
        if not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
            self.fail(join(path, "activities"), f"expected a list of ids, got {kind(acts)}")
        else:
            activities = tuple(acts)
        return Fit(
            business_types=self.all_or(
                f.get("business_types", "all"),
                join(path, "business_types"),
                BUSINESS_TYPES,
                "business type",
            ),
            sizes=self.all_or(f.get("sizes", "all"), join(path, "sizes"), SIZES, "size"),
            industries=self.all_or(
                f.get("industries", "all"),
                join(path, "industries"),
                INDUSTRY_SECTIONS,
                "VSIC section",
            ),
            activities=activities,
        )

    # -- structure

    def catalog(self, data: Any) -> Catalog | None:
        if data is None:
            return None
        top = self.mapping(data, "")
        if not top:
            return None
        self.keys(top, "", ("version", "categories", "platforms"), _TOP_OPTIONAL)
        version = top.get("version")
        if isinstance(version, int | float) and not isinstance(version, bool):
            version = str(version)
        version = self.string(version, "version")
        note = self.text(top["note"], "note") if "note" in top else None

        needs = tuple(
            Need(
                self.ident(self.mapping(n, f"needs[{i}]").get("id"), f"needs[{i}].id"),
                self.text(self.mapping(n, f"needs[{i}]").get("name"), f"needs[{i}].name"),
            )
            for i, n in enumerate(self.seq(top.get("needs", []), "needs", allow_empty=True))
        )
        activities: list[Activity] = []
        for i, a in enumerate(self.seq(top.get("activities", []), "activities", allow_empty=True)):
            path = f"activities[{i}]"
            m = self.mapping(a, path)
            self.keys(m, path, ("id", "name", "sections"), ("implied",))
            activities.append(
                Activity(
                    id=self.ident(m.get("id"), join(path, "id")),
                    name=self.text(m.get("name"), join(path, "name")),
                    sections=self.choices(
                        m.get("sections"),
                        join(path, "sections"),
                        INDUSTRY_SECTIONS,
                        "VSIC section",
                        allow_empty=True,
                    ),
                    implied=self.boolean(m.get("implied", False), join(path, "implied")),
                )
            )
        self.activity_ids = {a.id for a in activities}

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
        need_ids = {n.id for n in needs}
        for i, cat in enumerate(categories):
            entry = f"categories[{i}] (id {cat.id!r})"
            if cat.need != cat.id and cat.need not in need_ids:
                self.fail(join(entry, "need"), f"unknown need {cat.need!r}")
            for j, pre in enumerate(cat.requires):
                if pre.category not in seen_cat or pre.category == cat.id:
                    self.fail(f"{entry}.requires[{j}]", f"unknown or own category {pre.category!r}")
            for fit_path, fit in (("fits", cat.fits), ("core_for", cat.core_for)):
                for a in fit.activities if fit else ():
                    if a not in self.activity_ids:
                        self.fail(join(entry, fit_path), f"unknown activity {a!r}")
        self._check_cycles(categories)

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

        starter = StarterRule()
        if "starter" in top:
            s = self.mapping(top["starter"], "starter")
            self.keys(s, "starter", (), ("business_types", "sizes", "max_overall_level"))
            starter = StarterRule(
                business_types=self.choices(
                    s.get("business_types", []),
                    "starter.business_types",
                    BUSINESS_TYPES,
                    "business type",
                    allow_empty=True,
                ),
                sizes=self.choices(
                    s.get("sizes", []), "starter.sizes", SIZES, "size", allow_empty=True
                ),
                max_overall_level=self.integer(
                    s.get("max_overall_level", 1), "starter.max_overall_level", 0, 5
                ),
            )
        relevance: list[RelevanceRule] = []
        for i, r in enumerate(self.seq(top.get("relevance", []), "relevance", allow_empty=True)):
            path = f"relevance[{i}]"
            m = self.mapping(r, path)
            self.keys(m, path, ("criteria", "relevance"), ("fits",))
            relevance.append(
                RelevanceRule(
                    criteria=self.criteria(m.get("criteria"), join(path, "criteria")),
                    fit=self.fit(m["fits"], join(path, "fits")) if "fits" in m else EVERYONE,
                    relevance=self.integer(m.get("relevance"), join(path, "relevance"), 1, 5),
                )
            )
        advanced = None
        if "advanced" in top:
            m = self.mapping(top["advanced"], "advanced")
            self.keys(m, "advanced", ("criteria", "needed_for"))
            raw_needed = m.get("needed_for")
            if isinstance(raw_needed, dict):
                raw_needed = [raw_needed]
            advanced = Advanced(
                criteria=self.criteria(m.get("criteria"), "advanced.criteria"),
                needed_for=tuple(
                    self.fit(f, f"advanced.needed_for[{i}]")
                    for i, f in enumerate(self.seq(raw_needed, "advanced.needed_for"))
                ),
            )
        terms: list[ProgrammeTerm] = []
        raw_terms = self.seq(top.get("programme_terms", []), "programme_terms", allow_empty=True)
        for i, t in enumerate(raw_terms):
            path = f"programme_terms[{i}]"
            m = self.mapping(t, path)
            self.keys(m, path, ("text", "date", "source"))
            src = self.string(m.get("source"), join(path, "source"))
            for problem in check_source(src)[0]:
                self.fail(join(path, "source"), problem)
            terms.append(
                ProgrammeTerm(
                    self.text(m.get("text"), join(path, "text")),
                    self.string(str(m.get("date", "")), join(path, "date")),
                    src,
                )
            )
        if self.problems:
            return None
        return Catalog(
            version,
            note,
            tuple(categories),
            tuple(platforms),
            needs=needs,
            activities=tuple(activities),
            starter=starter,
            relevance=tuple(relevance),
            default_relevance=self.integer(
                top.get("default_relevance", 2), "default_relevance", 1, 5
            ),
            advanced=advanced,
            programme_terms=tuple(terms),
        )

    def _check_cycles(self, categories: list[Category]) -> None:
        requires = {c.id: [p.category for p in c.requires] for c in categories}

        def visit(cid: str, stack: tuple[str, ...]) -> None:
            for nxt in requires.get(cid, []):
                if nxt in stack:
                    self.fail(
                        "categories", f"prerequisites form a cycle: {' → '.join((*stack, nxt))}"
                    )
                    return
                visit(nxt, (*stack, nxt))

        for cid in requires:
            visit(cid, (cid,))

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
        effort = c.get("effort", "medium")
        if effort not in EFFORTS:
            self.fail(
                join(entry, "effort"), f"unknown effort {effort!r} (allowed: {', '.join(EFFORTS)})"
            )
            effort = "medium"
        requires: list[Prerequisite] = []
        for j, r in enumerate(
            self.seq(c.get("requires", []), join(entry, "requires"), allow_empty=True)
        ):
            rpath = f"{entry}.requires[{j}]"
            if isinstance(r, str):
                requires.append(Prerequisite(r))
                continue
            m = self.mapping(r, rpath)
            self.keys(m, rpath, ("category",), ("for",))
            requires.append(
                Prerequisite(
                    self.ident(m.get("category"), join(rpath, "category")),
                    self.fit(m["for"], join(rpath, "for")) if "for" in m else EVERYONE,
                )
            )
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
            need=self.ident(c.get("need", cid) or cid, join(entry, "need")),
            fits=self.fit(c["fits"], join(entry, "fits")) if "fits" in c else EVERYONE,
            good_level=self.integer(c.get("good_level", 4), join(entry, "good_level"), 1, 5),
            requires=tuple(requires),
            effort=effort,
            core_for=self.fit(c["core_for"], join(entry, "core_for")) if "core_for" in c else None,
            starter=self.boolean(c.get("starter", False), join(entry, "starter")),
            action=self.text(c["action"], join(entry, "action")) if "action" in c else None,
            use_more=self.text(c["use_more"], join(entry, "use_more")) if "use_more" in c else None,
        )

    def cost(self, raw: Any, path: str) -> Cost:
        if isinstance(raw, str):
            if raw == "free_trial":
                self.fail(path, "free_trial needs {kind, months, source, as_of}")
            elif raw not in COST_KINDS:
                self.fail(path, f"unknown cost {raw!r} (allowed: {', '.join(COST_KINDS)})")
                return Cost("unknown")
            return Cost(raw)
        m = self.mapping(raw, path)
        self.keys(m, path, ("kind",), ("months", "source", "as_of"))
        kind_ = m.get("kind")
        if kind_ not in COST_KINDS:
            self.fail(
                join(path, "kind"), f"unknown cost {kind_!r} (allowed: {', '.join(COST_KINDS)})"
            )
            return Cost("unknown")
        if kind_ != "free_trial":
            if set(m) - {"kind"}:
                self.fail(path, "months, source and as_of belong to a free_trial only")
            return Cost(str(kind_))
        self.keys(m, path, ("kind", "months", "source", "as_of"))
        months = self.integer(m.get("months"), join(path, "months"), 1, MAX_TRIAL_MONTHS)
        src = self.string(m.get("source"), join(path, "source"))
        for problem in check_source(src)[0] if src else ():
            self.fail(join(path, "source"), problem)
        as_of = m.get("as_of")
        if isinstance(as_of, str):
            try:
                as_of = date.fromisoformat(as_of)
            except ValueError:
                as_of = None
        if not isinstance(as_of, date):
            self.fail(join(path, "as_of"), f"expected a date YYYY-MM-DD, got {m.get('as_of')!r}")
            as_of = None
        return Cost("free_trial", months, src, as_of)

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

        website = self.string(p.get("website"), join(entry, "website"))
        if website and not URL_RE.match(website):
            self.fail(join(entry, "website"), f"{website!r} is not an http(s) address")

        raw_source = p.get("source")
        source = ""
        spath = join(entry, "source")
        if raw_source is None or raw_source == "":
            self.warnings.append(
                CatalogProblem(spath, "no source: add an external page about this platform")
            )
        elif not isinstance(raw_source, str):
            self.fail(spath, f"expected a string, got {kind(raw_source)}")
        else:
            problems, source = check_source(raw_source)
            for problem in problems:
                self.fail(spath, problem)

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
            cost=self.cost(p.get("cost"), join(entry, "cost")),
            offer=self.text(p.get("offer"), join(entry, "offer")),
            website=website,
            source=source,
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
