"""`workspace users set-password | deactivate | reactivate | list`."""

from __future__ import annotations

import json

from tests.conftest import PASSWORD, signed_in_client
from workspace.auth.models import User
from workspace.extensions import db


def refreshed(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_set_password_from_stdin_signs_every_browser_out(app, make, runner):
    ana = make.user("Ana", email="ana@example.org")
    browser = signed_in_client(app, ana)

    result = runner.invoke(args=["users", "set-password", "ANA@example.org", "--password-stdin"],
                           input="a long new password\n")

    assert result.exit_code == 0, result.output
    assert "every browser of theirs is signed out" in result.output
    assert refreshed(ana).check_password("a long new password")
    assert browser.get("/settings/profile").status_code == 302


def test_set_password_keeps_the_password_rules(make, runner):
    ana = make.user(email="ana@example.org")
    result = runner.invoke(args=["users", "set-password", "ana@example.org", "--password-stdin"],
                           input="short\n")
    assert result.exit_code == 1 and "between 8 and 256 characters" in result.output
    assert refreshed(ana).check_password(PASSWORD)


def test_set_password_asks_twice_without_stdin(make, runner):
    ana = make.user(email="ana@example.org")
    result = runner.invoke(args=["users", "set-password", "ana@example.org"],
                           input="typed twice here\ntyped twice here\n")
    assert result.exit_code == 0, result.output
    assert refreshed(ana).check_password("typed twice here")


def test_an_unknown_address_is_said(runner):
    for command in (["set-password", "--password-stdin"], ["deactivate"], ["reactivate"]):
        result = runner.invoke(args=["users", command[0], "nobody@example.org", *command[1:]],
                               input="whatever long\n")
        assert result.exit_code == 1
        assert "No account has the email address nobody@example.org." in result.output


def test_deactivate_and_reactivate(app, make, runner):
    make.user("Ada", admin=True)
    bo = make.user("Bo", email="bo@example.org")
    browser = signed_in_client(app, bo)

    result = runner.invoke(args=["users", "deactivate", "bo@example.org"])
    assert result.exit_code == 0 and "Deactivated bo@example.org." in result.output
    assert not refreshed(bo).is_active
    assert browser.get("/settings/profile").status_code == 302

    result = runner.invoke(args=["users", "reactivate", "bo@example.org"])
    assert result.exit_code == 0 and refreshed(bo).is_active


def test_the_last_administrator_is_not_deactivated(make, runner):
    ada = make.user("Ada", admin=True, email="ada@example.org")
    result = runner.invoke(args=["users", "deactivate", "ada@example.org"])
    assert result.exit_code == 1 and "at least one active administrator" in result.output
    assert refreshed(ada).is_active


def test_list_as_text_and_json(make, runner):
    make.user("Ada Admin", admin=True, email="ada@example.org")
    make.user("Bo Member", email="bo@example.org")
    runner.invoke(args=["users", "deactivate", "bo@example.org"])

    text = runner.invoke(args=["users", "list"]).output.splitlines()
    rows = json.loads(runner.invoke(args=["users", "list", "--json"]).output)

    assert text == ["ada@example.org\tAda Admin\tadmin\tnever",
                    "bo@example.org\tBo Member\tdeactivated\tnever"]
    assert [(row["email"], row["is_admin"], row["active"]) for row in rows] == [
        ("ada@example.org", True, True), ("bo@example.org", False, False)]
