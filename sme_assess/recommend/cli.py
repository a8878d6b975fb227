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
from .catalog import Catalog, CatalogError, Platform, Profile, load_catalog
from .engine import ALTERNATIVES_ORDER, Plan, cost_to_dict, plan_to_dict, recommend, render_reason

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONNAIRE_DIR = QUESTIONNAIRES_DIR
DEFAULT_CATALOG = PACKAGE_DIR / "data" / "platforms.yaml"

# Labels of the text output (the reasons themselves come from `engine.MESSAGES`).
_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Kế hoạch 12 tháng",
        "catalog": "danh mục",
        "months": "Tháng {start}–{end}",
        "none": "(không có việc mới)",
        "empty": (
            "Không có việc nào để đề xuất: không còn tiêu chí yếu mà danh mục có cách cải thiện "
            "phù hợp với doanh nghiệp."
        ),
        "reason": "Lý do",
        "gain": "Trụ cột {pillar}: {before} → {after}/{max} điểm, mức {lb} → {la}",
        "choices": "Các lựa chọn",
        "use_more": "Dùng tốt hơn công cụ đã có — không cần mua sản phẩm mới",
        "free_public": "dịch vụ công, miễn phí",
        "free_trial": "miễn phí {months} tháng theo {source} (kiểm tra ngày {as_of})",
        "paid": "có phí",
        "unknown": "chưa rõ giá, cần hỏi nhà cung cấp",
        "unverified": "ưu đãi cần xác nhận với nhà cung cấp",
        "later": "Để sau 12 tháng",
        "terms": "Điều khoản của chương trình SMEdx (mốc thời gian)",
    },
    "en": {
        "title": "12-month plan",
        "catalog": "catalogue",
        "months": "Months {start}–{end}",
        "none": "(nothing new)",
        "empty": (
            "Nothing to recommend: no weak criterion that the catalogue has a fitting way to "
            "improve for this business."
        ),
        "reason": "Why",
        "gain": "Pillar {pillar}: {before} → {after}/{max} points, level {lb} → {la}",
        "choices": "Alternatives",
        "use_more": "Use what you have more fully — no new product needed",
        "free_public": "public service, free",
        "free_trial": "free for {months} months per {source} (checked {as_of})",
        "paid": "paid",
        "unknown": "price not known, ask the provider",
        "unverified": "offer to be confirmed with the provider",
        "later": "After the 12 months",
        "terms": "SMEdx programme terms (dated)",
    },
}


def cost_label(platform: Platform, locale: str) -> str:
    """The platform's cost in words, exactly as the catalogue states it."""
    lab = _LABELS.get(locale, _LABELS["vi"])
    c = platform.cost
    if c.kind == "free_trial":
        return lab["free_trial"].format(
            months=c.months, source=c.source, as_of=c.as_of.isoformat() if c.as_of else "?"
        )
    return lab[c.kind]


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
    help='JSON object: {"size_class", "industry_section", "business_type", "activities"?}.',
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option("--catalog", "catalog_file", type=_PATH, default=DEFAULT_CATALOG, show_default=True)
@click.option(
    "--questionnaire-dir", "qdir", type=_DIR, default=DEFAULT_QUESTIONNAIRE_DIR, show_default=True
)
@click.option("--locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@click.option("--seed", help="Fixes the shuffle of alternatives (default: the profile's fields).")
def recommend_command(
    qid: str,
    answers_file: Path,
    profile_file: Path,
    fmt: str,
    catalog_file: Path,
    qdir: Path,
    locale: str,
    seed: str | None,
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
        locale=locale,
        seed=seed,
    )
    if fmt == "json":
        click.echo(json.dumps(plan_to_dict(plan, locale), ensure_ascii=False, indent=2))
    else:
        _echo_plan(plan, questionnaire, catalog, locale)


def _echo_plan(plan: Plan, questionnaire: Questionnaire, catalog: Catalog, locale: str) -> None:
    lab = _LABELS.get(locale, _LABELS["vi"])
    click.echo(
        f"{lab['title']} — {plan.questionnaire_id}@{plan.questionnaire_version}, "
        f"{lab['catalog']} {plan.catalog_version}"
    )
    if not plan.recommendations:
        click.echo(lab["empty"])
        return
    number = 0
    for phase in plan.phases:
        click.echo("")
        click.echo(lab["months"].format(start=phase.start_month + 1, end=phase.end_month))
        if not phase.recommendations:
            click.echo(f"  {lab['none']}")
        for rec in phase.recommendations:
            number += 1
            click.echo(f"  {number}. {rec.category.name.get(locale)}")
            click.echo(f"     {lab['reason']}: {render_reason(rec.reason_data, locale)}")
            gain = rec.gain
            if gain.points_after > gain.points_before:
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
            if not rec.alternatives:
                click.echo(f"     {lab['use_more']}")
                continue
            click.echo(f"     {lab['choices']}:")
            for pf in rec.alternatives:
                notes = [cost_label(pf, locale)]
                if not pf.verified and pf.cost.kind != "free_public":
                    notes.append(lab["unverified"])
                click.echo(f"       - {pf.name} — {pf.provider} ({'; '.join(notes)})")
                click.echo(f"         {pf.website}")
    if plan.later:
        click.echo("")
        click.echo(f"{lab['later']}: " + ", ".join(c.name.get(locale) for c in plan.later))
    click.echo("")
    click.echo(ALTERNATIVES_ORDER.get(locale, ALTERNATIVES_ORDER["vi"]))
    if catalog.programme_terms:
        click.echo(f"{lab['terms']}:")
        for t in catalog.programme_terms:
            click.echo(f"  - {t.date}: {t.text.get(locale)} ({t.source})")


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
    for w in catalog.warnings:
        click.echo(f"warning: {path}: {w}", err=True)
    verified = sum(1 for p in catalog.platforms if p.verified)
    costs = catalog.cost_summary()
    click.echo(
        f"ok   {path}: version {catalog.version}, {len(catalog.categories)} categories, "
        f"{len(catalog.platforms)} platforms ({verified} verified; "
        + ", ".join(f"{n} {k}" for k, n in costs.items())
        + f"; {len(catalog.warnings)} without a source)"
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
                            "cost": cost_to_dict(p),
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
            click.echo(f"  {p.id:<24} {p.cost.kind:<11}  {mark:<10}  {p.name} ({p.provider})")
