"""`sme-assess users …`: create accounts, set passwords, deactivate, list."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session, sessionmaker

from ..models import Role, User


def _session() -> Session:
    maker: sessionmaker[Session] = current_app.extensions["sme_sessionmaker"]
    return maker()


@click.group("users", help="Accounts: advisors, ministry staff, administrators, owners.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", default=None, help="Name shown to owners (advisors).")
@click.option(
    "--province", default=None, help="Ministry accounts: limit statistics to this province code."
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="SME_NEW_PASSWORD",
    help="Prompted when not given (or from SME_NEW_PASSWORD).",
)
@with_appcontext
def create_command(
    role: str, email: str, name: str | None, province: str | None, password: str
) -> None:
    """Create an account."""
    from .service import AccountError, create_user

    with _session() as s:
        try:
            user = create_user(
                s, email=email, role=role, password=password, province_code=province, name=name
            )
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        s.commit()
        extra = f" share code {user.share_code}" if user.share_code else ""
        scope = f" province {user.province_code}" if user.province_code else ""
        click.echo(f"created {user.role.value} {user.email}{scope}{extra}")


def _find(s: Session, email: str) -> User:
    from .service import find_by_email

    user = find_by_email(s, email)
    if user is None:
        raise click.ClickException(f"no account with the email {email}")
    return user


@users_group.command("set-password")
@click.option("--email", required=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="SME_NEW_PASSWORD",
)
@with_appcontext
def set_password_command(email: str, password: str) -> None:
    """Set a new password (the account's sessions end)."""
    from .service import AccountError, set_password

    with _session() as s:
        user = _find(s, email)
        try:
            set_password(s, user, password)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        s.commit()
        click.echo(f"password set for {user.email}")


@users_group.command("deactivate")
@click.option("--email", required=True)
@with_appcontext
def deactivate_command(email: str) -> None:
    """Deactivate an account: refused from its next request on."""
    from .. import audit
    from .service import deactivate

    with _session() as s:
        user = _find(s, email)
        deactivate(s, user)
        audit.record(s, "command line", audit.DEACTIVATE, user, None)
        s.commit()
        click.echo(f"deactivated {user.email}")


@users_group.command("list")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=None)
@with_appcontext
def list_command(role: str | None) -> None:
    """List accounts: email, role, province, state, share code, last sign-in."""
    from .service import list_users

    with _session() as s:
        for u in list_users(s, Role(role) if role else None):
            last = u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "-"
            click.echo(
                "\t".join(
                    [
                        u.email,
                        u.role.value,
                        u.province_code or "-",
                        "active" if u.active else "inactive",
                        u.share_code or "-",
                        last,
                    ]
                )
            )
