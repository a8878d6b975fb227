"""Checks shared by the data-file loaders (questionnaires, the platform catalogue).

A checker collects problems — each a path inside the file and a message — instead of stopping at
the first, so one run of `… validate` lists everything wrong with a file. Pure: no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from .model import LOCALES, LocalText

ID_RE = re.compile(r"^[a-z0-9_]+$")

P = TypeVar("P")


def kind(value: Any) -> str:
    """How a value reads in a message: "a mapping", "a list", "nothing", …"""
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class DataChecker(Generic[P]):
    """Primitive checks; each records a problem (built by `make_problem(path, message)`) and
    returns a usable fallback value so checking can go on."""

    def __init__(self, make_problem: Callable[[str, str], P]) -> None:
        self.problems: list[P] = []
        self._make_problem = make_problem

    def fail(self, path: str, message: str) -> None:
        self.problems.append(self._make_problem(path, message))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, got {kind(value)}")
            return {}
        return value

    def seq(self, value: Any, path: str, *, allow_empty: bool = False) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {kind(value)}")
            return []
        if not value and not allow_empty:
            self.fail(path, "must not be empty")
        return value

    def keys(
        self, d: Mapping[str, Any], path: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> bool:
        """Report missing required keys and unknown keys; False when a required one is missing."""
        ok = True
        req = list(required)
        allowed = set(req) | set(optional)
        for k in req:
            if k not in d:
                self.fail(join(path, k), "is required")
                ok = False
        for k in d:
            if k not in allowed:
                self.fail(join(path, str(k)), "unknown key")
        return ok

    def text(self, value: Any, path: str) -> LocalText:
        if not isinstance(value, dict):
            self.fail(path, f"expected a text with {' and '.join(LOCALES)}, got {kind(value)}")
            return LocalText.of({"vi": ""})
        for loc in LOCALES:
            v = value.get(loc)
            if not isinstance(v, str) or not v.strip():
                self.fail(join(path, loc), "missing or empty translation")
        for k in value:
            if k not in LOCALES:
                self.fail(join(path, str(k)), f"unknown locale (expected {', '.join(LOCALES)})")
        return LocalText.of({k: str(v) for k, v in value.items() if isinstance(v, str)})

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected a non-empty string, got {kind(value)}")
            return ""
        return value

    def ident(self, value: Any, path: str, regex: re.Pattern[str] = ID_RE) -> str:
        s = self.string(value, path)
        if s and not regex.match(s):
            self.fail(path, f"invalid id {s!r} (allowed: {regex.pattern})")
        return s

    def integer(
        self, value: Any, path: str, low: int | None = None, high: int | None = None
    ) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected a whole number, got {kind(value)}")
            return 0
        if low is not None and value < low:
            self.fail(path, f"{value} is below the minimum {low}")
        if high is not None and value > high:
            self.fail(path, f"{value} is above the maximum {high}")
        return value

    def number(self, value: Any, path: str) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"expected a number, got {kind(value)}")
            return Fraction(0)
        return Fraction(str(value))

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {kind(value)}")
            return False
        return value


class DataFileError(Exception):
    """A data file could not be read or parsed: `where` (e.g. "line 3, column 5") and `message`."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


def read_yaml(path: str | Path) -> Any:
    """The parsed YAML of a file; `DataFileError` when it cannot be read or is not valid YAML."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DataFileError("", f"cannot read file: {reason}") from exc
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(where, f"not valid YAML: {problem}") from exc
