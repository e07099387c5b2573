"""The `workspace` command: `workspace db upgrade`, `workspace users create`, `workspace run`,
`workspace demo`, `workspace backup PATH`, `workspace restore PATH`…"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from workspace.errors import Refused
from workspace.types import utcnow


def register_commands(app: Flask) -> None:
    for group in (users, files, alerts, mail, tokens, search):
        app.cli.add_command(group)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("demo")
@click.option("--size", type=click.Choice(["small", "large"]), default="small",
              show_default=True, help="small: 3 projects; large: 50 projects, 20,000 messages.")
@click.option("--force", is_flag=True, help="Add the data set even if accounts exist already.")
@with_appcontext
def demo_command(size: str, force: bool) -> None:
    """Fill the database with a demo data set (everyone's password: "demo password")."""
    import time

    from sqlalchemy import select

    from workspace.auth.models import User
    from workspace.demo import DEMO_PASSWORD, NotEmpty, build_demo
    from workspace.extensions import db

    started = time.perf_counter()
    try:
        counts = build_demo(size, force=force)
    except NotEmpty:
        raise click.ClickException(
            "The database already has accounts; use --force to add the demo beside them."
        ) from None
    rows = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    click.echo(f"Demo data set '{size}' in {time.perf_counter() - started:.1f} s: {rows}.")
    owner = db.session.scalar(select(User.email).where(User.email.like("owner%@demo.example"))
                              .order_by(User.id.desc()).limit(1))
    click.echo(f"Sign in as {owner} with the password '{DEMO_PASSWORD}'.")


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the database and the stored files into PATH (a new folder, or a .tar.gz), while
    the site keeps serving."""
    from workspace.backup import BackupError, backup

    try:
        manifest = backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {sum(manifest['counts'].values())} row(s) and "
               f"{manifest['files']} stored file(s) to {path}.")
    if manifest["missing_files"]:
        click.echo(f"{len(manifest['missing_files'])} file(s) were deleted during the backup "
                   "and are not in it.", err=True)


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace what this instance's database holds.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Load a backup made by `workspace backup` into this (fresh) instance, then check it."""
    from workspace.backup import BackupError, restore

    try:
        manifest = restore(path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {sum(manifest['counts'].values())} row(s) and "
               f"{manifest['files']} stored file(s) from {path}; every one is in place.")


@click.group(help="Personal API tokens.")
def tokens() -> None:
    pass


@tokens.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Create an API token for the account EMAIL and print it (shown only once)."""
    from workspace.api.tokens import create_token
    from workspace.auth.models import User

    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    _token, secret = create_token(user, name)
    click.echo(secret)


@click.group(help="The search index.")
def search() -> None:
    pass


@search.command("reindex")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000),
              help="Items read and written at a time (memory stays flat).")
@with_appcontext
def reindex_command(batch_size: int) -> None:
    """Rebuild the search index from the items (after a restore, say), in one transaction."""
    from workspace.extensions import db
    from workspace.search.indexing import rebuild

    count = rebuild(db.session.connection(), batch_size)
    db.session.commit()
    click.echo(f"Indexed {count} item(s).")


@click.group(help="Milestone alerts, and the notification bundles and recaps.")
def alerts() -> None:
    pass


@alerts.command("send-due")
@click.option("--now", "now_text", help="Pretend it is this moment (ISO 8601, default: now).")
@with_appcontext
def send_due_command(now_text: str | None) -> None:
    """Send every milestone alert that is due and not sent yet (safe to run twice)."""
    from workspace.alerts.operations import send_due_alerts
    from workspace.web import in_app

    now = parse_moment(now_text) if now_text else utcnow()
    sent = in_app(current_app._get_current_object(), lambda: send_due_alerts(now))()
    click.echo(f"Sent {len(sent)} alert(s).")


@alerts.command("send-recaps")
@click.option("--now", "now_text", help="Pretend it is this moment (ISO 8601, default: now).")
@with_appcontext
def send_recaps_command(now_text: str | None) -> None:
    """Send the notification bundles and daily recaps that are due (safe to run twice)."""
    from workspace.notifications.delivery import send_due_recaps
    from workspace.web import in_app

    now = parse_moment(now_text) if now_text else utcnow()
    sent = in_app(current_app._get_current_object(), lambda: send_due_recaps(now))()
    click.echo(f"Sent {len(sent)} recap(s).")


def parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter("use ISO 8601, like 2026-11-25T08:00:00+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group(help="Email out (the outbox) and email in (replies, emails into projects).")
def mail() -> None:
    pass


@mail.command("send-queued")
@with_appcontext
def send_queued_command() -> None:
    """Deliver the emails waiting in the outbox, once."""
    from workspace.mail.operations import deliver_queued

    report = deliver_queued()
    click.echo(f"Sent {len(report.sent)}, will retry {len(report.retried)}, "
               f"failed {len(report.failed)}.")


@mail.command("receive")
@click.option("--recipient", "recipients", multiple=True, metavar="ADDR",
              help="An envelope recipient (repeatable); default: read from the headers.")
@click.option("--sender", metavar="ADDR", help="The envelope sender (return path).")
@with_appcontext
def receive_command(recipients: tuple[str, ...], sender: str | None) -> None:
    """Take one email on standard input. Exit codes (sysexits): 0 accepted or ignored,
    67 unknown address, 65 malformed or too large, 75 temporary failure (retry later)."""
    from workspace.inbound.operations import Outcome, max_bytes, receive
    from workspace.web import in_app

    raw = sys.stdin.buffer.read(max_bytes() + 1)  # never more than the limit in memory
    if len(raw) > max_bytes():
        outcome = Outcome.TOO_LARGE
    else:
        app = current_app._get_current_object()
        outcome = in_app(app, lambda: receive(raw, recipients, sender))()
    click.echo(f"workspace mail receive: {outcome.value}", err=True)
    sys.exit(outcome.exit_code)


@mail.command("lmtp")
@click.option("--listen", default="127.0.0.1:8024", show_default=True, metavar="HOST:PORT",
              help="Where the LMTP server listens.")
@with_appcontext
def lmtp_command(listen: str) -> None:
    """Run the LMTP server the mail server delivers to (250, 550, 552 or 451 per recipient)."""
    import signal
    import threading

    from workspace.inbound.lmtp import lmtp_server

    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("use HOST:PORT, like 127.0.0.1:8024", param_hint="--listen")
    server = lmtp_server(current_app._get_current_object(), host.strip("[]"), int(port))
    server.start()
    click.echo(f"LMTP server listening on {host}:{port}; Ctrl+C stops it.")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@mail.command("fetch")
@with_appcontext
def fetch_command() -> None:
    """Take the emails waiting in the IMAP mailbox (WORKSPACE_IMAP_*), once."""
    from workspace.inbound.imap import fetch_mail, imap_configured
    from workspace.web import in_app

    if not imap_configured():
        raise click.ClickException("Set WORKSPACE_IMAP_HOST (and _USER, _PASSWORD) first.")
    report = in_app(current_app._get_current_object(), fetch_mail)()
    click.echo(f"Processed {report.processed}, rejected {report.rejected}, "
               f"left for a retry {report.left}.")


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the periodic jobs (outbox, alerts) in the foreground, beside the web server."""
    from workspace.scheduler import run_blocking

    click.echo("Scheduler running; Ctrl+C stops it.")
    run_blocking(current_app._get_current_object())


@click.group(help="Manage stored files.")
def files() -> None:
    pass


@files.command("gc")
@click.option("--stale-after", default=3600, show_default=True,
              help="Seconds after which an unfinished upload's temporary file is removed.")
@click.option("--verify", is_flag=True,
              help="Also list the contents the database refers to that the store lacks "
                   "(exit status 1 if any).")
def collect_garbage_command(stale_after: int, verify: bool) -> None:
    """Remove stored contents that no file refers to (left by a crash or a deletion)."""
    from workspace.files.operations import collect_garbage, missing_contents

    orphans, temporaries = collect_garbage(stale_after)
    click.echo(f"Removed {orphans} orphaned blob(s) and {temporaries} stale temporary file(s).")
    if not verify:
        return
    missing = missing_contents()
    for sha256, versions in sorted(missing.items()):
        needed_by = ", ".join(f"file {v.file_id} version {v.number} ({v.original_name})"
                              for v in versions)
        click.echo(f"Missing: {sha256}, needed by {needed_by}")
    click.echo(f"{len(missing)} referenced content(s) missing from the store.")
    if missing:
        sys.exit(1)


@files.command("migrate")
@click.option("--to", "url", required=True,
              help="The store to copy into: file:///path or s3://bucket/prefix (with "
                   "WORKSPACE_S3_ENDPOINT_URL and the AWS_* variables of that bucket).")
def migrate_files_command(url: str) -> None:
    """Copy every stored content into another store, checking hashes; run it again to resume.
    Then set WORKSPACE_STORAGE_URL to the new store."""
    from workspace.errors import StorageUnavailable
    from workspace.files.operations import migrate_contents
    from workspace.files.storage import storage, storage_at

    try:
        target = storage_at(url, current_app.config)
        target.check()
    except (ValueError, StorageUnavailable) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Copying from {storage().url} to {target.url}")
    result = migrate_contents(target)
    click.echo(f"Copied {result.copied}, already there {result.skipped}, missing from the "
               f"source {len(result.missing)}, damaged in the source {len(result.damaged)}.")
    for sha256 in result.missing:
        click.echo(f"Missing: {sha256}")
    for sha256 in result.damaged:
        click.echo(f"Damaged: {sha256}")
    if result.missing or result.damaged:
        sys.exit(1)


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


def account_or_fail(email: str):  # type: ignore[no-untyped-def]
    from workspace.auth.models import User

    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email address {email}.")
    return user


def read_new_password(password_stdin: bool) -> str:
    """A new password from standard input or a prompt, checked by the pages' own rules."""
    from workspace.auth.forms import ResetPasswordForm

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    form = ResetPasswordForm(meta={"csrf": False},
                             data={"password": password, "confirm": password})
    if not form.validate():
        raise click.ClickException(" ".join(str(m) for ms in form.errors.values() for m in ms))
    return password


@users.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password_command(email: str, password_stdin: bool) -> None:
    """Set a new password for EMAIL; every browser it is signed in on is signed out."""
    from workspace.auth.operations import set_password

    user = account_or_fail(email)
    set_password(user, read_new_password(password_stdin))
    click.echo(f"New password set for {user.email}; every browser of theirs is signed out.")


@users.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate EMAIL: signed out everywhere, tokens and addresses revoked, no more email."""
    from workspace.auth.operations import deactivate

    user = account_or_fail(email)
    try:
        deactivate(user)
    except Refused as refusal:
        raise click.ClickException(str(refusal.message)) from None
    click.echo(f"Deactivated {user.email}.")


@users.command("reactivate")
@click.argument("email")
def reactivate_command(email: str) -> None:
    """Let a deactivated account sign in again (with new tokens and feed links)."""
    from workspace.auth.operations import reactivate

    user = account_or_fail(email)
    reactivate(user)
    click.echo(f"Reactivated {user.email}.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
def list_command(as_json: bool) -> None:
    """Every account: email, name, administrator, active, last sign-in day."""
    import json

    from workspace.auth.models import User
    from workspace.extensions import db

    users = db.session.scalars(db.select(User).order_by(User.email)).all()
    rows = [{"id": user.id, "email": user.email, "name": user.name, "is_admin": user.is_admin,
             "active": user.is_active,
             "last_signed_in_on": user.last_signed_in_on.isoformat()
             if user.last_signed_in_on else None} for user in users]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flags = ", ".join(flag for flag, on in (("admin", row["is_admin"]),
                                                ("deactivated", not row["active"])) if on)
        click.echo(f"{row['email']}\t{row['name']}\t{flags or '-'}\t"
                   f"{row['last_signed_in_on'] or 'never'}")
