"""The `workspace` command: `workspace db upgrade`, `workspace users create`, `workspace run`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from workspace.errors import Refused


def register_commands(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(files)


@click.group(help="Manage stored files.")
def files() -> None:
    pass


@files.command("gc")
@click.option("--stale-after", default=3600, show_default=True,
              help="Seconds after which an unfinished upload's temporary file is removed.")
def collect_garbage_command(stale_after: int) -> None:
    """Remove stored contents that no file refers to (left by a crash or a deletion)."""
    from workspace.files.operations import collect_garbage

    orphans, temporaries = collect_garbage(stale_after)
    click.echo(f"Removed {orphans} orphaned blob(s) and {temporaries} stale temporary file(s).")


@click.group(help="Manage accounts.")
def users() -> None:
    pass


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's display name.")
@click.option("--admin", is_flag=True, help="Make the account a site administrator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, name: str, admin: bool, password_stdin: bool) -> None:
    """Create an account for EMAIL."""
    from workspace.auth.forms import AccountForm
    from workspace.auth.operations import create_user
    from workspace.extensions import db

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    form = AccountForm(meta={"csrf": False}, data={
        "name": name, "email": email, "password": password, "confirm": password,
    })
    if not form.validate():
        for errors in form.errors.values():
            for message in errors:
                click.echo(f"Error: {message}", err=True)
        raise SystemExit(1)
    try:
        user = create_user(email, name, password, is_admin=admin)
        db.session.commit()
    except Refused as refusal:
        raise click.ClickException(str(refusal.message)) from None
    click.echo(f"Created {'administrator' if admin else 'account'} {user.email}.")


def create_cli_app() -> Flask:
    from workspace import create_app

    return create_app()


main = FlaskGroup(create_app=create_cli_app, help="Workspace, the self-hosted project workspace.")
