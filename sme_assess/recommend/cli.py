"""Command line for recommendations and the platform catalogue (no Flask app, no database).

`recommend_command` (``recommend``) and `catalog_group` (``catalog validate`` / ``catalog
list``) are plain click commands; the app's CLI registers them. Default paths come from this
file's location, so they work from any directory and on a broken configuration. Bad input files
end with a non-zero exit status and a message naming the file and the problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..paths import QUESTIONNAIRES_DIR
from ..questionnaire import Questionnaire, QuestionnaireError, load_directory
from ..scoring import check_answers, score
from .catalog import Catalog, CatalogError, Profile, load_catalog
from .engine import Plan, plan_to_dict, recommend, render_reason

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONNAIRE_DIR = QUESTIONNAIRES_DIR
DEFAULT_CATALOG = PACKAGE_DIR / "data" / "platforms.yaml"

# Labels of the text output (the reasons themselves come from `engine.MESSAGES`).
_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Kế hoạch 12 tháng",
        "catalog": "danh mục",
        "months": "Tháng {phase}",
        "none": "(không có nền tảng mới)",
        "empty": (
            "Không có nền tảng nào để đề xuất: không còn tiêu chí yếu, "
            "hoặc danh mục chưa có nền tảng phù hợp."
        ),
        "free": "miễn phí {n} tháng",
        "unverified": "ưu đãi cần xác nhận với nhà cung cấp",
        "reason": "Lý do",
        "answers": "Câu trả lời",
        "gain": "Trụ cột {pillar}: {before} → {after}/{max} điểm, mức {lb} → {la}",
    },
    "en": {
        "title": "12-month plan",
        "catalog": "catalogue",
        "months": "Months {phase}",
        "none": "(no new platform)",
        "empty": (
            "No platform to recommend: no weak criterion, or no suitable platform in the catalogue."
        ),
        "free": "free for {n} months",
        "unverified": "offer to be confirmed with the provider",
        "reason": "Why",
        "answers": "Answers",
        "gain": "Pillar {pillar}: {before} → {after}/{max} points, level {lb} → {la}",
    },
}


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read the {what} file ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path}: the {what} file is not valid JSON ({exc})") from exc


def _load_questionnaires(directory: Path) -> dict[str, Questionnaire]:
    try:
        return load_directory(directory)
    except QuestionnaireError as exc:
        raise click.ClickException(f"broken questionnaire file:\n{exc}") from exc


def _load_catalog(path: Path, known_criteria: set[str] | None) -> Catalog:
    try:
        return load_catalog(path, known_criteria)
    except CatalogError as exc:
        raise click.ClickException(
            f"broken catalogue ({len(exc.problems)} problem(s)):\n{exc}"
        ) from exc


_PATH = click.Path(dir_okay=False, path_type=Path)
_DIR = click.Path(file_okay=False, path_type=Path)


@click.command("recommend")
@click.option(
    "--questionnaire",
    "qid",
    default="dbi-2021-sme",
    show_default=True,
    help="Questionnaire id.",
)
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=_PATH,
    help="JSON object: question id → option id, list of ids, number, or yes/no.",
)
@click.option(
    "--profile",
    "profile_file",
    required=True,
    type=_PATH,
    help='JSON object: {"size_class", "industry_section", "business_type"}.',
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option("--catalog", "catalog_file", type=_PATH, default=DEFAULT_CATALOG, show_default=True)
@click.option(
    "--questionnaire-dir", "qdir", type=_DIR, default=DEFAULT_QUESTIONNAIRE_DIR, show_default=True
)
@click.option("--locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option(
    "--allow-same-category", is_flag=True, help="Allow more than one platform per category."
)
def recommend_command(
    qid: str,
    answers_file: Path,
    profile_file: Path,
    fmt: str,
    catalog_file: Path,
    qdir: Path,
    locale: str,
    allow_same_category: bool,
) -> None:
    """Recommend platforms and a 12-month plan for an answers file and a business profile."""
    questionnaires = _load_questionnaires(qdir)
    questionnaire = questionnaires.get(qid)
    if questionnaire is None:
        known = ", ".join(sorted(questionnaires)) or "none"
        raise click.ClickException(f"unknown questionnaire {qid!r} in {qdir} (known: {known})")

    answers = _read_json(answers_file, "answers")
    if isinstance(answers, dict) and set(answers) == {"answers"}:
        answers = answers["answers"]  # also accept {"answers": {...}}
    if not isinstance(answers, dict):
        raise click.ClickException(
            f"{answers_file}: expected a JSON object mapping question id → answer"
        )
    problems = check_answers(questionnaire, answers)
    if problems:
        raise click.ClickException(
            f"{answers_file}: {len(problems)} invalid answer(s):\n"
            + "\n".join(f"  - {p}" for p in problems)
        )

    raw_profile = _read_json(profile_file, "profile")
    try:
        profile = Profile.from_mapping(raw_profile)
    except ValueError as exc:
        raise click.ClickException(f"{profile_file}: invalid profile: {exc}") from exc

    known_criteria = {c.id for q in questionnaires.values() for c in q.criteria}
    catalog = _load_catalog(catalog_file, known_criteria)
    result = score(questionnaire, answers)
    plan = recommend(
        questionnaire,
        result,
        answers,
        profile,
        catalog,
        allow_same_category=allow_same_category,
        locale=locale,
    )
    if fmt == "json":
        click.echo(json.dumps(plan_to_dict(plan, locale), ensure_ascii=False, indent=2))
    else:
        _echo_plan(plan, questionnaire, locale)


def _echo_plan(plan: Plan, questionnaire: Questionnaire, locale: str) -> None:
    lab = _LABELS.get(locale, _LABELS["vi"])
    click.echo(
        f"{lab['title']} — {plan.questionnaire_id}@{plan.questionnaire_version}, "
        f"{lab['catalog']} {plan.catalog_version}"
    )
    if not plan.recommendations:
        click.echo(lab["empty"])
        return
    number = 0  # numbered in plan order (`rank` is the priority from the fit)
    for phase in plan.phases:
        click.echo("")
        click.echo(lab["months"].format(phase=phase.id))
        if not phase.recommendations:
            click.echo(f"  {lab['none']}")
        for rec in phase.recommendations:
            number += 1
            pf = rec.platform
            notes = []
            if pf.free_months:
                notes.append(lab["free"].format(n=pf.free_months))
            if not pf.verified:
                notes.append(lab["unverified"])
            extra = f" ({'; '.join(notes)})" if notes else ""
            click.echo(
                f"  {number}. {pf.name} — {pf.provider} — {rec.category.name.get(locale)}{extra}"
            )
            click.echo(f"     {lab['reason']}: {render_reason(rec.reason_data, locale)}")
            gain = rec.gain
            pillar = questionnaire.pillar(gain.pillar_id)
            click.echo(
                "     "
                + lab["gain"].format(
                    pillar=pillar.title.get(locale) if pillar else gain.pillar_id,
                    before=gain.points_before,
                    after=gain.points_after,
                    max=gain.max_points,
                    lb=gain.level_before,
                    la=gain.level_after,
                )
            )
            if pf.website:
                click.echo(f"     {pf.website}")


@click.group("catalog", help="Platform catalogue: validate and list.")
def catalog_group() -> None:
    pass


@catalog_group.command("validate")
@click.argument("file", required=False, type=_PATH)
@click.option(
    "--questionnaire-dir",
    "qdir",
    type=_DIR,
    default=DEFAULT_QUESTIONNAIRE_DIR,
    show_default=True,
    help="Criterion ids are checked against these questionnaires.",
)
def validate_command(file: Path | None, qdir: Path) -> None:
    """Check the catalogue FILE (default: the packaged platforms.yaml)."""
    path = file or DEFAULT_CATALOG
    questionnaires = _load_questionnaires(qdir) if qdir.is_dir() else {}
    known: set[str] | None = {c.id for q in questionnaires.values() for c in q.criteria}
    if not questionnaires:
        click.echo(f"warning: no questionnaire in {qdir}: criterion ids not checked", err=True)
        known = None
    try:
        catalog = load_catalog(path, known)
    except CatalogError as exc:
        click.echo(f"FAIL {path}: {len(exc.problems)} problem(s)", err=True)
        for p in exc.problems:
            click.echo(f"  {path}: {p}", err=True)
        sys.exit(1)
    verified = sum(1 for p in catalog.platforms if p.verified)
    click.echo(
        f"ok   {path}: version {catalog.version}, {len(catalog.categories)} categories, "
        f"{len(catalog.platforms)} platforms ({verified} verified)"
    )


@catalog_group.command("list")
@click.option("--category", help="Only this category id.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--catalog", "catalog_file", type=_PATH, default=DEFAULT_CATALOG, show_default=True)
@click.option("--locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def list_command(category: str | None, fmt: str, catalog_file: Path, locale: str) -> None:
    """List the platforms of the catalogue, by category."""
    catalog = _load_catalog(catalog_file, None)
    if category is not None and catalog.category(category) is None:
        known = ", ".join(c.id for c in catalog.categories)
        raise click.ClickException(f"unknown category {category!r} (known: {known})")
    cats = [c for c in catalog.categories if category is None or c.id == category]
    if fmt == "json":
        data = {
            "version": catalog.version,
            "categories": [
                {
                    "id": c.id,
                    "name": c.name.get(locale),
                    "basic": c.basic,
                    "platforms": [
                        {
                            "id": p.id,
                            "name": p.name,
                            "provider": p.provider,
                            "sizes": list(p.sizes),
                            "industries": "all" if p.industries is None else list(p.industries),
                            "business_types": list(p.business_types),
                            "free_months": p.free_months,
                            "offer": p.offer.get(locale),
                            "verified": p.verified,
                            "verified_on": p.verified_on.isoformat() if p.verified_on else None,
                            "website": p.website,
                        }
                        for p in catalog.platforms_in(c.id)
                    ],
                }
                for c in cats
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for c in cats:
        basic = " [basic]" if c.basic else ""
        click.echo(f"{c.id}{basic} — {c.name.get(locale)}")
        for p in catalog.platforms_in(c.id):
            mark = "verified" if p.verified else "unverified"
            click.echo(
                f"  {p.id:<24} {p.free_months:>2} months  {mark:<10}  {p.name} ({p.provider})"
            )
