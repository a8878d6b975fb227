"""Reference data (pure: no Flask, no database): provinces, VSIC 2018 sections, Decree 80 size
classes, and the tax-code check. Facts live in `data/*.yaml`; this module reads and applies them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Province:
    code: str
    slug: str
    name: str
    name_en: str
    kind: str

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name


@dataclass(frozen=True)
class Section:
    code: str
    name: str
    name_en: str
    sector_group: str

    def label(self, locale: str) -> str:
        return f"{self.code} — {self.name_en if locale == 'en' else self.name}"


@dataclass(frozen=True)
class SizeBand:
    id: str
    upper: int | None
    label_vi: str
    label_en: str

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_vi


def _read(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    d = _read("provinces.yaml")
    return tuple(
        Province(str(p["code"]), p["slug"], p["name"], p["name_en"], p["kind"])
        for p in d["provinces"]
    )


@lru_cache(maxsize=1)
def province_by_code() -> dict[str, Province]:
    return {p.code: p for p in provinces()}


@lru_cache(maxsize=1)
def sections() -> tuple[Section, ...]:
    d = _read("vsic2018.yaml")
    return tuple(
        Section(s["code"], s["name"], s["name_en"], s["sector_group"]) for s in d["sections"]
    )


@lru_cache(maxsize=1)
def section_by_code() -> dict[str, Section]:
    return {s.code: s for s in sections()}


@lru_cache(maxsize=1)
def _sizes() -> dict[str, Any]:
    return _read("sizes.yaml")  # type: ignore[no-any-return]


def size_bands(kind: str) -> tuple[SizeBand, ...]:
    """Answer bands for `kind` in employees, revenue, capital."""
    return tuple(
        SizeBand(b["id"], b["upper"], b["label"]["vi"], b["label"]["en"])
        for b in _sizes()["bands"][kind]
    )


def size_class(section: str, employees: str, revenue: str, capital: str) -> str:
    """Decree 80/2021 Art. 5: the first size whose rule holds —
    employees ≤ L and (revenue ≤ R or capital ≤ K) — else "large".

    Arguments are band ids (see `size_bands`); each band's upper bound is compared, which is
    exact because the bands are cut at the legal thresholds. Raises KeyError on an unknown id."""
    group = section_by_code()[section].sector_group
    rules = _sizes()["groups"][group]

    def upper(kind: str, band_id: str) -> float:
        for b in size_bands(kind):
            if b.id == band_id:
                return float("inf") if b.upper is None else float(b.upper)
        raise KeyError(f"unknown {kind} band {band_id!r}")

    e, r, k = upper("employees", employees), upper("revenue", revenue), upper("capital", capital)
    for size in ("micro", "small", "medium"):
        rule = rules[size]
        if e <= rule["employees"] and (r <= rule["revenue"] or k <= rule["capital"]):
            return size
    return "large"


TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
TAX_RE = re.compile(r"^([0-9]{10})(?:-([0-9]{3}))?$")  # ASCII digits only (not \d)


class TaxCodeError(ValueError):
    """`reason` is one of: format, check_digit, branch."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def normalise_tax_code(raw: str) -> str:
    """Validate a Vietnamese tax code (mã số thuế) and return it normalised.

    Accepts 10 digits, or 10 digits, a hyphen and a 3-digit dependent-unit suffix 001–999
    (spaces and a hyphen typed as "–" or "." tolerated; 13 bare digits are read the same way).
    Check digit (DOMAIN §4): N10 = 10 − (Σ Ni·Wi mod 11), weights 31 29 23 19 17 13 7 5 3; a
    result of 10 is invalid. Raises `TaxCodeError`."""
    s = re.sub(r"\s+", "", raw).replace("–", "-").replace(".", "-")
    if re.fullmatch(r"[0-9]{13}", s):
        s = f"{s[:10]}-{s[10:]}"
    m = TAX_RE.match(s)
    if not m:
        raise TaxCodeError("format")
    base, branch = m.group(1), m.group(2)
    total = sum(int(d) * w for d, w in zip(base[:9], TAX_WEIGHTS, strict=True))
    check = 10 - (total % 11)
    if check == 10 or check != int(base[9]):
        raise TaxCodeError("check_digit")
    if branch is not None and branch == "000":
        raise TaxCodeError("branch")
    return base if branch is None else f"{base}-{branch}"


def old_province_codes() -> frozenset[str]:
    """The 63 two-digit codes of the provincial units in force until 30 June 2025."""
    return frozenset(p["code"] for p in _read("provinces_before_2025.yaml")["provinces"])


def personal_id_problem(raw: str) -> str | None:
    """Check a 12-digit personal id number (số định danh cá nhân, căn cước) by its structure;
    None when it fits, else the reason: "format" (not 12 ASCII digits), "province" (digits 1–3
    are not the code of a pre-2025 province of birth registration, 001 … 096), "century"
    (digit 4, century and sex, must be 0–5: 0/1 born 1900–1999, 2/3 2000–2099, 4/5 2100–2199).
    There is no check digit, so a mistyped serial cannot be caught."""
    if not re.fullmatch(r"[0-9]{12}", raw):
        return "format"
    if raw[0] != "0" or raw[1:3] not in old_province_codes():
        return "province"
    if raw[3] not in "012345":
        return "century"
    return None
