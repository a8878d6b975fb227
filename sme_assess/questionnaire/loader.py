"""Load and validate questionnaire files.

`load_questionnaire(path)` reads one YAML file, checks its schema and cross-references and
returns a frozen `Questionnaire`. Every problem found is reported, each naming the file, the path
inside it (e.g. ``pillars[2].components[0].criteria[3].questions[1].options[4].points``) and what is
wrong; `QuestionnaireError` carries the list.
"""

from __future__ import annotations

import re
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

from .checks import DataChecker, DataFileError, read_yaml
from .model import (
    Band,
    Component,
    Criterion,
    Level,
    Option,
    OverallRule,
    Pillar,
    PillarBand,
    Question,
    Questionnaire,
    Scoring,
    ShowIf,
)

FILE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QUESTION_TYPES = ("yes_no", "single", "multiple", "number")
RESULT_MODELS = ("dbi-pillars",)


class Problem:
    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r})"


class QuestionnaireError(Exception):
    """A questionnaire file is broken. `problems` lists (path, message) pairs."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        lines = [f"{file}: {p.path or '<file>'}: {p.message}" for p in problems]
        super().__init__("\n".join(lines))


class _Checker(DataChecker[Problem]):
    def __init__(self) -> None:
        super().__init__(Problem)


def _num(value: Fraction) -> str:
    """A band bound as written in the file (4.5, not the Fraction 9/2)."""
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Read, validate and freeze one questionnaire file; raise `QuestionnaireError`."""
    file = str(path)
    try:
        data = read_yaml(path)
    except DataFileError as exc:
        raise QuestionnaireError(file, [Problem(exc.where, exc.message)]) from exc
    return parse_questionnaire(data, file)


def parse_questionnaire(data: Any, file: str = "<memory>") -> Questionnaire:
    ck = _Checker()
    q = _parse(ck, data)
    if ck.problems or q is None:
        raise QuestionnaireError(file, ck.problems or [Problem("", "empty file")])
    object.__setattr__(q, "path", file)
    return q


def _parse(ck: _Checker, data: Any) -> Questionnaire | None:
    top = ck.mapping(data, "")
    if not top:
        return None
    ck.keys(
        top,
        "",
        ["id", "version", "title", "scoring", "levels", "pillars"],
        ["result_model", "description", "source", "estimated_minutes"],
    )
    qid = ck.ident(top.get("id"), "id", FILE_ID_RE)
    version = top.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    version = ck.string(version, "version")
    result_model = top.get("result_model", "dbi-pillars")
    if result_model not in RESULT_MODELS:
        ck.fail("result_model", f"unknown result model {result_model!r} (known: {RESULT_MODELS})")
    title = ck.text(top.get("title"), "title")
    description = ck.text(top["description"], "description") if "description" in top else title
    src = ck.mapping(top.get("source", {}), "source")
    ck.keys(src, "source", [], ["reference", "url", "note"])
    source_ref = str(src.get("reference", ""))
    source_url = src.get("url")
    source_note = ck.text(src["note"], "source.note") if "note" in src else None
    minutes = ck.integer(top.get("estimated_minutes", 20), "estimated_minutes", 1, 600)

    scoring = _parse_scoring(ck, top.get("scoring"))
    levels = _parse_levels(ck, top.get("levels"))
    pillars = _parse_pillars(ck, top.get("pillars"), scoring)

    if scoring is not None:
        total = sum(c.max_points(scoring.level_points) for p in pillars for c in p.criteria)
        if total != scoring.max_total:
            ck.fail(
                "scoring.max_total",
                f"is {scoring.max_total} but the criteria add up to {total}",
            )
        level_ids = [lv.level for lv in levels]
        band_levels = [b.level for b in scoring.pillar_bands]
        if band_levels and sorted(set(level_ids)) != sorted(set(band_levels)):
            ck.fail("levels", "must name exactly the levels used by scoring.pillar_bands")
        for i, r in enumerate(scoring.overall_rules):
            if r.pillars_at_least is not None and r.pillars_at_least > len(pillars):
                ck.fail(
                    f"scoring.overall_rules[{i}].pillars_at_least",
                    f"{r.pillars_at_least} is more than the {len(pillars)} pillars",
                )
            if r.level not in level_ids:
                ck.fail(f"scoring.overall_rules[{i}].level", f"level {r.level} is not in levels")
    if ck.problems or scoring is None:
        return None
    return Questionnaire(
        id=qid,
        version=version,
        result_model=str(result_model),
        title=title,
        description=description,
        source_reference=source_ref,
        source_url=str(source_url) if source_url else None,
        source_note=source_note,
        estimated_minutes=minutes,
        scoring=scoring,
        levels=levels,
        pillars=pillars,
    )


def _parse_scoring(ck: _Checker, value: Any) -> Scoring | None:
    s = ck.mapping(value, "scoring")
    if not s:
        return None
    ck.keys(s, "scoring", ["max_total", "pillar_bands", "overall_rules"], ["level_points"])
    level_points = ck.integer(s.get("level_points", 1), "scoring.level_points", 1)
    max_total = ck.integer(s.get("max_total"), "scoring.max_total", 1)
    bands: list[PillarBand] = []
    for i, b in enumerate(ck.seq(s.get("pillar_bands"), "scoring.pillar_bands")):
        path = f"scoring.pillar_bands[{i}]"
        b = ck.mapping(b, path)
        if not ck.keys(b, path, ["level", "above"], ["inclusive"]):
            continue
        above = ck.number(b["above"], f"{path}.above")
        if not 0 <= above <= 100:
            ck.fail(f"{path}.above", "must be a percentage between 0 and 100")
        bands.append(
            PillarBand(
                level=ck.integer(b["level"], f"{path}.level", 0),
                above=above,
                inclusive=ck.boolean(b.get("inclusive", False), f"{path}.inclusive"),
            )
        )
    for i, b in enumerate(bands):
        if b.level != i:
            ck.fail(
                f"scoring.pillar_bands[{i}].level", f"expected level {i} (levels ascend from 0)"
            )
        if i and b.above <= bands[i - 1].above:
            ck.fail(f"scoring.pillar_bands[{i}].above", "bands must ascend")
    if bands and (bands[0].above != 0 or not bands[0].inclusive):
        ck.fail("scoring.pillar_bands[0]", "the first band must start at 0 inclusive")
    rules: list[OverallRule] = []
    for i, r in enumerate(ck.seq(s.get("overall_rules"), "scoring.overall_rules")):
        path = f"scoring.overall_rules[{i}]"
        r = ck.mapping(r, path)
        if not ck.keys(r, path, ["level", "total_above", "pillars_at_least", "pillar_level"]):
            continue
        pal = r["pillars_at_least"]
        # "all" is kept as None: the rule then needs every pillar, however many there are
        pillars_at_least = None if pal == "all" else ck.integer(pal, f"{path}.pillars_at_least", 0)
        rules.append(
            OverallRule(
                level=ck.integer(r["level"], f"{path}.level", 1),
                total_above=ck.number(r["total_above"], f"{path}.total_above"),
                pillars_at_least=pillars_at_least,
                pillar_level=ck.integer(r["pillar_level"], f"{path}.pillar_level", 0),
            )
        )
    for i, r in enumerate(rules):
        if i and r.level <= rules[i - 1].level:
            ck.fail(f"scoring.overall_rules[{i}].level", "rules must ascend by level")
        if i and r.total_above < rules[i - 1].total_above:
            ck.fail(f"scoring.overall_rules[{i}].total_above", "thresholds must not decrease")
    return Scoring(level_points, max_total, tuple(bands), tuple(rules))


def _parse_levels(ck: _Checker, value: Any) -> tuple[Level, ...]:
    out: list[Level] = []
    seen: set[int] = set()
    for i, lv in enumerate(ck.seq(value, "levels")):
        path = f"levels[{i}]"
        lv = ck.mapping(lv, path)
        if not ck.keys(lv, path, ["level", "name", "description"]):
            continue
        n = ck.integer(lv["level"], f"{path}.level", 0)
        if n in seen:
            ck.fail(f"{path}.level", f"duplicate level {n}")
        seen.add(n)
        out.append(
            Level(
                n,
                ck.text(lv["name"], f"{path}.name"),
                ck.text(lv["description"], f"{path}.description"),
            )
        )
    return tuple(sorted(out, key=lambda x: x.level))


class _Ids:
    def __init__(self, ck: _Checker, what: str) -> None:
        self.ck = ck
        self.what = what
        self.seen: dict[str, str] = {}

    def add(self, ident: str, path: str) -> None:
        if not ident:
            return
        if ident in self.seen:
            self.ck.fail(path, f"duplicate {self.what} id {ident!r} (first at {self.seen[ident]})")
        else:
            self.seen[ident] = path


def _parse_pillars(ck: _Checker, value: Any, scoring: Scoring | None) -> tuple[Pillar, ...]:
    level_points = scoring.level_points if scoring else 1
    pillar_ids = _Ids(ck, "pillar")
    comp_ids = _Ids(ck, "component")
    crit_ids = _Ids(ck, "criterion")
    q_ids = _Ids(ck, "question")
    # question id -> (values it can take, path) for show_if checks, in file order
    earlier: dict[str, tuple[tuple[str, ...], str]] = {}
    pillars: list[Pillar] = []
    for pi, p in enumerate(ck.seq(value, "pillars")):
        ppath = f"pillars[{pi}]"
        p = ck.mapping(p, ppath)
        if not ck.keys(
            p, ppath, ["id", "code", "title", "max_points", "components"], ["description"]
        ):
            continue
        pid = ck.ident(p["id"], f"{ppath}.id")
        pillar_ids.add(pid, f"{ppath}.id")
        comps: list[Component] = []
        for ci, c in enumerate(ck.seq(p["components"], f"{ppath}.components")):
            cpath = f"{ppath}.components[{ci}]"
            c = ck.mapping(c, cpath)
            if not ck.keys(c, cpath, ["id", "code", "title", "max_points", "criteria"]):
                continue
            cid = ck.ident(c["id"], f"{cpath}.id")
            comp_ids.add(cid, f"{cpath}.id")
            crits: list[Criterion] = []
            for ki, k in enumerate(ck.seq(c["criteria"], f"{cpath}.criteria")):
                kpath = f"{cpath}.criteria[{ki}]"
                crit = _parse_criterion(ck, k, kpath, pid, cid, crit_ids, q_ids, earlier)
                if crit is not None:
                    crits.append(crit)
            cmax = ck.integer(c["max_points"], f"{cpath}.max_points", 0)
            csum = sum(k.max_points(level_points) for k in crits)
            if crits and cmax != csum:
                ck.fail(f"{cpath}.max_points", f"is {cmax} but its criteria add up to {csum}")
            comps.append(
                Component(
                    cid,
                    ck.string(c["code"], f"{cpath}.code"),
                    ck.text(c["title"], f"{cpath}.title"),
                    cmax,
                    tuple(crits),
                )
            )
        pmax = ck.integer(p["max_points"], f"{ppath}.max_points", 1)
        psum = sum(c.max_points for c in comps)
        if comps and pmax != psum:
            ck.fail(f"{ppath}.max_points", f"is {pmax} but its components add up to {psum}")
        pillars.append(
            Pillar(
                id=pid,
                code=ck.string(p["code"], f"{ppath}.code"),
                title=ck.text(p["title"], f"{ppath}.title"),
                description=ck.text(p["description"], f"{ppath}.description")
                if "description" in p
                else None,
                max_points=pmax,
                components=tuple(comps),
            )
        )
    return tuple(pillars)


def _parse_criterion(
    ck: _Checker,
    value: Any,
    path: str,
    pillar_id: str,
    component_id: str,
    crit_ids: _Ids,
    q_ids: _Ids,
    earlier: dict[str, tuple[tuple[str, ...], str]],
) -> Criterion | None:
    k = ck.mapping(value, path)
    if not ck.keys(
        k,
        path,
        ["id", "code", "official_text", "title", "questions"],
        ["multiplier", "max_level", "bands_source", "note"],
    ):
        return None
    kid = ck.ident(k["id"], f"{path}.id")
    crit_ids.add(kid, f"{path}.id")
    max_level = ck.integer(k.get("max_level", 5), f"{path}.max_level", 1)
    multiplier = ck.integer(k.get("multiplier", 1), f"{path}.multiplier", 1)
    questions: list[Question] = []
    for qi, qv in enumerate(ck.seq(k["questions"], f"{path}.questions")):
        qpath = f"{path}.questions[{qi}]"
        q = _parse_question(ck, qv, qpath, kid, pillar_id, max_level, earlier)
        if q is None:
            continue
        q_ids.add(q.id, f"{qpath}.id")
        earlier[q.id] = (q.answer_values, qpath)
        questions.append(q)
    if questions:
        reachable = min(max_level, _max_reachable(questions))
        if reachable != max_level:
            ck.fail(
                f"{path}.questions",
                f"the best answers reach level {reachable}, not max_level {max_level}",
            )
    bands_source = k.get("bands_source")
    if bands_source is not None:
        bands_source = ck.string(bands_source, f"{path}.bands_source")
    note = k.get("note")
    if note is not None:
        note = ck.string(note, f"{path}.note")
    return Criterion(
        id=kid,
        code=ck.string(k["code"], f"{path}.code"),  # quoted: 1.10 must not become "1.1"
        official_text=ck.string(k["official_text"], f"{path}.official_text"),
        title=ck.text(k["title"], f"{path}.title"),
        pillar_id=pillar_id,
        component_id=component_id,
        questions=tuple(questions),
        multiplier=multiplier,
        max_level=max_level,
        bands_source=bands_source,
        note=note,
    )


def _max_reachable(questions: list[Question]) -> int:
    """The most points the best visible combination of answers gives (a gate's own points plus
    the best of what it reveals is approximated by summing every question's maximum)."""
    return sum(q.max_points for q in questions)


def _parse_question(
    ck: _Checker,
    value: Any,
    path: str,
    criterion_id: str,
    pillar_id: str,
    max_level: int,
    earlier: dict[str, tuple[tuple[str, ...], str]],
) -> Question | None:
    q = ck.mapping(value, path)
    optional = [
        "help",
        "options",
        "yes_points",
        "no_points",
        "cap",
        "bands",
        "min",
        "max",
        "unit",
        "show_if",
        "required",
    ]
    if not ck.keys(q, path, ["id", "type", "text"], optional):
        return None
    qid = ck.ident(q["id"], f"{path}.id")
    qtype = q["type"]
    if qtype not in QUESTION_TYPES:
        ck.fail(
            f"{path}.type", f"unknown question type {qtype!r} (known: {', '.join(QUESTION_TYPES)})"
        )
        return None
    options: list[Option] = []
    bands: list[Band] = []
    cap: int | None = None
    yes_points = no_points = 0
    minimum = maximum = None
    allowed_by_type = {
        "yes_no": {"yes_points", "no_points"},
        "single": {"options"},
        "multiple": {"options", "cap"},
        "number": {"bands", "min", "max", "unit"},
    }[qtype]
    for key in ("options", "yes_points", "no_points", "cap", "bands", "min", "max", "unit"):
        if key in q and key not in allowed_by_type:
            ck.fail(f"{path}.{key}", f"not allowed for a {qtype} question")
    if qtype == "yes_no":
        yes_points = ck.integer(q.get("yes_points", 0), f"{path}.yes_points", 0, max_level)
        no_points = ck.integer(q.get("no_points", 0), f"{path}.no_points", 0, max_level)
    elif qtype in ("single", "multiple"):
        oids = _Ids(ck, "option")
        for oi, o in enumerate(ck.seq(q.get("options"), f"{path}.options")):
            opath = f"{path}.options[{oi}]"
            o = ck.mapping(o, opath)
            if not ck.keys(o, opath, ["id", "points", "text"], ["exclusive"]):
                continue
            oid = ck.ident(o["id"], f"{opath}.id")
            oids.add(oid, f"{opath}.id")
            pts = ck.integer(o["points"], f"{opath}.points", 0, max_level)
            if pts > max_level:
                pass  # already reported with the criterion's range
            excl = ck.boolean(o.get("exclusive", False), f"{opath}.exclusive")
            if excl and qtype != "multiple":
                ck.fail(f"{opath}.exclusive", "only multiple-choice options can be exclusive")
            options.append(Option(oid, pts, ck.text(o["text"], f"{opath}.text"), excl))
        if qtype == "single" and len(options) < 2:
            ck.fail(f"{path}.options", "a single-choice question needs at least two options")
        if qtype == "multiple":
            if "cap" not in q:
                ck.fail(f"{path}.cap", "is required for a multiple-choice question")
            else:
                cap = ck.integer(q["cap"], f"{path}.cap", 0, max_level)
    else:
        if "min" in q:
            minimum = ck.number(q["min"], f"{path}.min")
        if "max" in q:
            maximum = ck.number(q["max"], f"{path}.max")
        for bi, b in enumerate(ck.seq(q.get("bands"), f"{path}.bands")):
            bpath = f"{path}.bands[{bi}]"
            b = ck.mapping(b, bpath)
            if not ck.keys(b, bpath, ["min", "max", "points"]):
                continue
            low = ck.number(b["min"], f"{bpath}.min")
            high = ck.number(b["max"], f"{bpath}.max")
            if high < low:
                ck.fail(bpath, f"max {b['max']} is below min {b['min']}")
            bands.append(Band(low, high, ck.integer(b["points"], f"{bpath}.points", 0, max_level)))
        ordered = sorted(bands, key=lambda x: x.low)
        for a, b2 in pairwise(ordered):
            if b2.low <= a.high:
                first, second = f"{_num(a.low)}–{_num(a.high)}", f"{_num(b2.low)}–{_num(b2.high)}"
                ck.fail(f"{path}.bands", f"bands {first} and {second} overlap")
    show_if = None
    if "show_if" in q:
        spath = f"{path}.show_if"
        s = ck.mapping(q["show_if"], spath)
        if s and ck.keys(s, spath, ["question"], ["equals", "in"]):
            if ("equals" in s) == ("in" in s):
                ck.fail(spath, "give exactly one of 'equals' or 'in'")
            vals_raw = [s["equals"]] if "equals" in s else ck.seq(s.get("in"), f"{spath}.in")
            vals = tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in vals_raw)
            vals = tuple("yes" if v == "true" else "no" if v == "false" else v for v in vals)
            target = s["question"]
            if target not in earlier:
                ck.fail(
                    f"{spath}.question",
                    f"refers to {target!r}, which is not an earlier question",
                )
            else:
                allowed, _ = earlier[target]
                for v in vals:
                    if v not in allowed:
                        ck.fail(
                            spath,
                            f"{target!r} cannot have the value {v!r} "
                            f"(it takes: {', '.join(allowed)})",
                        )
            show_if = ShowIf(str(target), vals)
    required = q.get("required", True)
    if not isinstance(required, bool):
        ck.fail(f"{path}.required", "expected true or false")
        required = True
    return Question(
        id=qid,
        type=qtype,
        text=ck.text(q["text"], f"{path}.text"),
        criterion_id=criterion_id,
        pillar_id=pillar_id,
        help=ck.text(q["help"], f"{path}.help") if "help" in q else None,
        options=tuple(options),
        yes_points=yes_points,
        no_points=no_points,
        cap=cap,
        bands=tuple(bands),
        minimum=minimum,
        maximum=maximum,
        unit=ck.text(q["unit"], f"{path}.unit") if "unit" in q else None,
        show_if=show_if,
        required=required,
    )


def load_directory(directory: str | Path) -> dict[str, Questionnaire]:
    """Load every `*.yaml` file directly in `directory` (not `parts/`); ids must be unique.
    Problems of all files are gathered into one `QuestionnaireError` per broken file, raised
    for the first broken file found (sorted by name)."""
    out: dict[str, Questionnaire] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        q = load_questionnaire(path)
        if q.id in out:
            raise QuestionnaireError(
                str(path),
                [Problem("id", f"duplicate questionnaire id {q.id!r} (also {out[q.id].path})")],
            )
        out[q.id] = q
    return out
