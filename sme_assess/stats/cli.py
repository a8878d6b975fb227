"""`sme-assess stats …`: maintain the statistics summaries."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext


@click.group("stats", help="Ministry statistics: summaries.")
def stats_group() -> None:
    pass


@stats_group.command("rebuild")
@click.option(
    "--only",
    type=click.Choice(["real", "synthetic"]),
    default=None,
    help="Recompute only the summaries of real or of synthetic data (default: both).",
)
@with_appcontext
def rebuild_command(only: str | None) -> None:
    """Recompute the statistics summaries from the submitted assessments."""
    from ..db import get_session
    from .summary import rebuild

    t0 = time.perf_counter()
    session = get_session()
    rows = rebuild(session, synthetic=None if only is None else only == "synthetic")
    session.commit()
    took = time.perf_counter() - t0
    click.echo(
        f"statistics rebuilt in {took:.1f} s: "
        + ", ".join(f"{table} {n:,}" for table, n in rows.items())
    )


def generate_synthetic(n: int, seed: int) -> None:
    """`sme-assess demo --assessments N`: bulk synthetic data, then its summaries."""
    from .. import registry
    from ..db import get_session
    from .synthetic import generate

    t0 = time.perf_counter()
    session = get_session()
    generate(session.connection(), registry.default_questionnaire(), n, seed=seed)
    session.commit()
    click.echo(
        f"synthetic data: {n:,} businesses with a submitted assessment each, and their "
        f"statistics, in {time.perf_counter() - t0:.1f} s (marked synthetic: shown only where "
        "SME_STATS_SYNTHETIC is on)"
    )
