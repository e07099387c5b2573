"""The `workspace users create` command."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.extensions import db


def create(runner, *args: str, password: str = "password"):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["users", "create", *args, "--password-stdin"],
                         input=f"{password}\n")


def users_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_an_administrator_is_created_from_the_command_line(runner):
    result = create(runner, "Ana@Example.org", "--name", "Ana Admin", "--admin")

    assert result.exit_code == 0, result.output
    assert "Created administrator ana@example.org." in result.output
    ana = User.by_email("ana@example.org")
    assert (ana.name, ana.is_admin) == ("Ana Admin", True)
    assert ana.password_hash != "password"
    assert ana.check_password("password")


def test_an_account_without_admin_is_not_an_administrator(runner):
    result = create(runner, "bo@example.org", "--name", "Bo")

    assert result.exit_code == 0, result.output
    assert User.by_email("bo@example.org").is_admin is False


def test_without_stdin_the_password_is_asked_twice(runner):
    result = runner.invoke(args=["users", "create", "cy@example.org", "--name", "Cy"],
                           input="password\npassword\n")

    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert User.by_email("cy@example.org").check_password("password")


REFUSED = {
    "duplicate email": (("ANA@example.org", "--name", "Ana Again", "--admin"), "password",
                        "An account with this email address already exists."),
    "malformed email": (("not-an-email", "--name", "Nobody"), "password",
                        "Enter a valid email address"),
    "short password": (("eve@example.org", "--name", "Eve"), "short",
                       "A password has between 8 and 256 characters."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_account_fails_and_creates_nothing(runner, make, case):
    make.user("Ana", email="ana@example.org")
    args, password, _message = REFUSED[case]

    result = create(runner, *args, password=password)

    assert result.exit_code != 0
    assert users_count() == 1
    assert User.by_email("ana@example.org").name == "Ana"


@pytest.mark.parametrize("case", REFUSED)
def test_a_refused_account_says_why(runner, make, case):
    make.user("Ana", email="ana@example.org")
    args, password, message = REFUSED[case]

    result = create(runner, *args, password=password)

    assert result.exit_code == 1
    assert f"Error: {message}" in result.output


def test_the_mail_and_files_commands_run_one_pass(runner, app, tmp_path):
    app.instance_path = str(tmp_path)
    result = runner.invoke(args=["mail", "send-queued"])
    assert result.exit_code == 0 and "Sent 0, will retry 0, failed 0." in result.output
    result = runner.invoke(args=["files", "gc"])
    assert result.exit_code == 0 and "Removed 0 orphaned blob(s)" in result.output
    result = runner.invoke(args=["alerts", "send-due", "--now", "not a date"])
    assert result.exit_code != 0 and "ISO 8601" in result.output
