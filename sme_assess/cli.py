"""Command line: `sme-assess …` (also `flask --app sme_assess …`).

Commands that need no database (validate, score, catalogue tools) never build the app, so they
work on a broken configuration and are fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .paths import QUESTIONNAIRES_DIR
from .questionnaire import QuestionnaireError, load_directory, load_questionnaire

DEFAULT_QDIR = QUESTIONNAIRES_DIR


dir_option = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_QDIR,
    show_default=True,
    help="The questionnaire directory (validate: checked when no FILE is given).",
)


@click.group("questionnaire", help="Questionnaire files: validate and list.")
def questionnaire_group() -> None:
    pass


@questionnaire_group.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@dir_option
def validate_command(files: tuple[Path, ...], directory: Path) -> None:
    """Check questionnaire FILEs (default: every file in the questionnaire directory)."""
    paths = list(files) or sorted(directory.glob("*.yaml"))
    if not paths:
        raise click.ClickException(f"no questionnaire files in {directory}")
    failed = 0
    for path in paths:
        try:
            q = load_questionnaire(path)
        except QuestionnaireError as exc:
            failed += 1
            click.echo(f"FAIL {path}: {len(exc.problems)} problem(s)", err=True)
            for p in exc.problems:
                click.echo(f"  {path}: {p.path or '<file>'}: {p.message}", err=True)
            continue
        click.echo(
            f"ok   {path}: {q.key}, {len(q.pillars)} pillars, {len(q.criteria)} criteria, "
            f"{q.question_count} questions, max {q.scoring.max_total} points"
        )
    if failed:
        sys.exit(1)


@questionnaire_group.command("list")
@dir_option
def list_command(directory: Path) -> None:
    """List the questionnaires in the directory."""
    try:
        qs = load_directory(directory)
    except QuestionnaireError as exc:
        raise click.ClickException(str(exc)) from exc
    for q in qs.values():
        click.echo(f"{q.id}\t{q.version}\t{len(q.criteria)} criteria\t{q.title.get('vi')}")


@click.command("score")
@click.option("--questionnaire", "qid", required=True, help="Questionnaire id, e.g. dbi-2021-sme.")
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON file: question id → option id, list of ids, number, or yes/no.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@dir_option
@click.option("--locale", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
def score_command(qid: str, answers_file: Path, fmt: str, directory: Path, locale: str) -> None:
    """Score an answers file against a questionnaire."""
    from .scoring import check_answers, score

    q = _load_by_id(directory, qid)
    answers = _read_answers(answers_file)
    problems = check_answers(q, answers)
    if problems:
        raise click.ClickException(f"{answers_file}: " + "; ".join(problems))
    result = score(q, answers)
    if fmt == "json":
        data = result.to_dict()
        for p in data["pillars"]:
            p.pop("criteria")
            p.pop("pulled_down")
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    level = q.level(result.overall_level)
    click.echo(f"{q.title.get(locale)} ({q.key})")
    for p in result.pillars:
        pillar = q.pillar(p.pillar_id)
        assert pillar is not None
        click.echo(
            f"  {pillar.code}. {pillar.title.get(locale):<48} {p.points:>3}/{p.max_points:<3} "
            f"{p.percent:>5.1f}%  L{p.level} {q.level(p.level).name.get(locale)}"
        )
    click.echo(
        f"  {'Total' if locale == 'en' else 'Tổng'}: {result.total}/{result.max_total}  "
        f"L{result.overall_level} {level.name.get(locale)}"
    )


def _load_by_id(directory: Path, qid: str) -> Any:
    try:
        qs = load_directory(directory)
    except QuestionnaireError as exc:
        raise click.ClickException(str(exc)) from exc
    if qid not in qs:
        raise click.ClickException(
            f"unknown questionnaire {qid!r} (known: {', '.join(sorted(qs))})"
        )
    return qs[qid]


def _read_answers(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path}: not a readable JSON file ({exc})") from exc
    if not isinstance(data, dict):
        raise click.ClickException(f"{path}: expected a JSON object mapping question id → answer")
    return data


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete existing demo businesses first.")
@click.option(
    "--assessments",
    type=click.IntRange(min=1),
    default=None,
    help="Instead: generate N synthetic businesses with a submitted assessment each (bulk, "
    "marked synthetic, never counted with real data).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="With --assessments.")
@click.option(
    "--once",
    is_flag=True,
    help="With --assessments: generate nothing when synthetic data is there already.",
)
@click.option(
    "--accounts",
    is_flag=True,
    help="Also one account per role (owner, advisor, ministry, admin) with a random password "
    "kept in instance/demo-accounts.txt (0600); the owner keeps two demo businesses and shares "
    "three with the advisor. For local demonstrations only.",
)
@with_appcontext
def demo_command(
    reset: bool, assessments: int | None, seed: int, once: bool, accounts: bool
) -> None:
    """Seed sample businesses and assessments (idempotent)."""
    from .demo import seed_demo

    if assessments is not None:
        from .stats.cli import generate_synthetic

        if once:
            from sqlalchemy import select

            from .db import get_session
            from .models import Business

            have = get_session().scalar(select(Business.id).where(Business.synthetic).limit(1))
            if have is not None:
                click.echo("synthetic data: present already, none generated (--once)")
                return
        generate_synthetic(assessments, seed)
        return

    n = seed_demo(current_app, reset=reset)
    click.echo(f"demo data: {n} new assessment(s)")
    if accounts:
        from .demo import seed_demo_accounts

        path = Path(current_app.instance_path) / "demo-accounts.txt"
        password, made = seed_demo_accounts(path)
        click.echo(f"demo accounts (password in {path}):")
        for role, email, created in made:
            click.echo(f"  {role:<9} {email}{'' if created else '  (kept)'}")
        click.echo(f"  password  {password}")


@click.group("db", help="Database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    from .db import get_engine
    from .migrate import upgrade

    upgrade(get_engine(current_app), revision)
    click.echo(f"database at {revision}")


def _commands() -> list[click.Command]:
    from .auth.cli import users_group
    from .recommend.cli import catalog_group, recommend_command
    from .stats.cli import stats_group

    return [
        questionnaire_group,
        score_command,
        demo_command,
        db_group,
        recommend_command,
        catalog_group,
        users_group,
        stats_group,
    ]


def init_cli(app: Flask) -> None:
    for cmd in _commands():
        if cmd.name not in app.cli.commands:
            app.cli.add_command(cmd)


def _create_app() -> Flask:
    from . import create_app

    return create_app()


def main() -> None:
    group = FlaskGroup(create_app=_create_app, help="sme-assess command line.")
    for cmd in _commands():
        group.add_command(cmd)
    group.main(prog_name="sme-assess")
