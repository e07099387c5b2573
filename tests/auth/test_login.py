"""Signing in and out, settings, the sign-in rate limit and open sign-up."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Client, test_config
from workspace import create_app
from workspace.auth.models import User
from workspace.extensions import db

WRONG = b"Wrong email or password."


@pytest.fixture
def ana(make) -> User:
    return make.user("Ana Person", email="ana@example.org")


def sign_in(client, email: str = "ana@example.org", password: str = PASSWORD,
            **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": email, "password": password, **extra})


def is_signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return client.get("/settings/profile").status_code == 200


def set_cookies(response) -> list[str]:  # type: ignore[no-untyped-def]
    return response.headers.getlist("Set-Cookie")


def test_someone_signs_in_with_their_email_in_any_case(ana, client):
    assert not is_signed_in(client)

    response = sign_in(client, email="  ANA@Example.ORG ")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)
    assert b"Ana Person" in client.get("/").data


@pytest.mark.parametrize("email, password", [
    ("ana@example.org", "not the password"),
    ("nobody@example.org", PASSWORD),
])
def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    ana, client, email, password
):
    response = sign_in(client, email=email, password=password)

    assert response.status_code == 400
    assert b'<p class="error" id="password-error">Wrong email or password.</p>' in response.data
    assert b"email-error" not in response.data  # nothing tells whether the email exists
    assert f'value="{email}"'.encode() in response.data
    assert not is_signed_in(client)


def test_remember_me_sets_a_lasting_cookie_and_only_when_asked(ana, app):
    remembered = sign_in(app.test_client(), remember="y")
    forgotten = sign_in(app.test_client())

    assert remembered.status_code == forgotten.status_code == 302
    assert any(c.startswith("remember_token=") for c in set_cookies(remembered))
    assert not any(c.startswith("remember_token=") for c in set_cookies(forgotten))


def test_a_remembered_device_stays_signed_in_without_its_session(ana, client):
    sign_in(client, remember="y")
    client.delete_cookie("session", domain="workspace.test")

    assert is_signed_in(client)


def test_signing_out_takes_a_post(ana, client_for):
    client = client_for(ana)

    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)

    response = client.post("/logout")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not is_signed_in(client)


def test_signing_out_forgets_a_remembered_device(ana, client):
    sign_in(client, remember="y")

    response = client.post("/logout")

    assert any(c.startswith("remember_token=;") for c in set_cookies(response))
    assert not is_signed_in(client)


def test_signing_out_needs_the_csrf_token(ana, client_for):
    client = client_for(ana)

    assert client.post("/logout", csrf=False).status_code == 400
    assert is_signed_in(client)


def test_pages_need_a_signed_in_person(ana, client):
    response = client.get("/settings/profile")

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.path, parse_qs(location.query)) == ("/login",
                                                         {"next": ["/settings/profile"]})


def test_a_wrong_current_password_changes_nothing(ana, client_for):
    client = client_for(ana)
    old_hash = ana.password_hash

    response = client.post("/settings/password", data={
        "current": "not the password", "password": "a new password",
        "confirm": "a new password",
    })

    assert response.status_code == 400
    assert b"The current password is not correct." in response.data
    db.session.refresh(ana)
    assert ana.password_hash == old_hash
    assert is_signed_in(client)


def test_changing_the_password_signs_out_every_other_device(ana, app, client_for):
    laptop = client_for(ana)
    phone = client_for(ana)
    tablet = app.test_client()
    sign_in(tablet, remember="y")
    tablet.delete_cookie("session", domain="workspace.test")  # back later, by its remember cookie

    response = laptop.post("/settings/password", data={
        "current": PASSWORD, "password": "a new password", "confirm": "a new password",
    })

    assert response.status_code == 302
    assert is_signed_in(laptop)
    for device in (phone, tablet):
        refused = device.get("/settings/profile")
        assert refused.status_code == 302
        assert refused.headers["Location"].startswith("/login")
    other = app.test_client()
    assert sign_in(other).status_code == 400
    assert sign_in(other, password="a new password").status_code == 302


def test_the_profile_saves_name_language_and_timezone(ana, client_for):
    client = client_for(ana)

    response = client.post("/settings/profile", data={
        "name": " Ana María ", "locale": "fr", "timezone": "Europe/Paris",
    })

    assert response.status_code == 302
    db.session.refresh(ana)
    assert (ana.name, ana.locale, ana.timezone) == ("Ana María", "fr", "Europe/Paris")
    page = client.get("/settings/profile")
    assert b'<html lang="fr">' in page.data
    assert b'<option selected value="Europe/Paris">' in page.data


@pytest.mark.parametrize("field, value", [
    ("timezone", "Mars/Olympus_Mons"),
    ("locale", "xx"),
    ("name", ""),
])
def test_an_invalid_profile_answers_400_and_changes_nothing(ana, client_for, field, value):
    data = {"name": "Ana Renamed", "locale": "", "timezone": "Europe/Paris"} | {field: value}

    response = client_for(ana).post("/settings/profile", data=data)

    assert response.status_code == 400
    db.session.refresh(ana)
    assert (ana.name, ana.locale, ana.timezone) == ("Ana Person", None, "UTC")


@pytest.fixture
def limited_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """An app that limits sign-in attempts, on the test database (`app` wipes it after)."""
    limited = create_app(test_config(database_url) | {
        "RATELIMIT_ENABLED": True, "WORKSPACE_LOGIN_RATE_LIMIT": "3 per minute",
    })
    limited.test_client_class = Client
    yield limited
    with limited.app_context():
        db.engine.dispose()


def test_sign_in_attempts_are_rate_limited(ana, limited_app):
    client = limited_app.test_client()
    for _attempt in range(3):
        assert sign_in(client, password="guessing").status_code == 400
    assert client.get("/login").status_code == 200  # only attempts count

    response = sign_in(client)  # even the right password waits now

    assert response.status_code == 429
    assert b"Too many attempts" in response.data
    assert not is_signed_in(client)


def test_open_sign_up_is_off_by_default(client):
    assert client.get("/signup").status_code == 404
    response = client.post("/signup", data={
        "name": "Eve", "email": "eve@example.org", "password": "long enough",
        "confirm": "long enough",
    })
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert b"Create an account" not in client.get("/login").data


def test_open_sign_up_creates_an_account_when_turned_on(app, ana, client):
    app.config["WORKSPACE_OPEN_SIGNUP"] = True
    assert b'href="/signup"' in client.get("/login").data
    assert client.get("/signup").status_code == 200

    response = client.post("/signup", data={
        "name": "Eve Newcomer", "email": "Eve@Example.org", "password": "long enough",
        "confirm": "long enough",
    })

    assert response.status_code == 302
    eve = User.by_email("eve@example.org")
    assert (eve.name, eve.is_admin) == ("Eve Newcomer", False)
    assert is_signed_in(client)
    taken = app.test_client().post("/signup", data={
        "name": "Ana Again", "email": "ana@example.org", "password": "long enough",
        "confirm": "long enough",
    })
    assert taken.status_code == 400
    assert b"already exists" in taken.data


def test_signing_in_follows_next_to_a_page_of_this_site(ana, client):
    response = client.post("/login?next=/projects/7/people?tab=all",
                           data={"email": "ana@example.org", "password": PASSWORD})

    assert response.headers["Location"] == "/projects/7/people?tab=all"


@pytest.mark.parametrize("target", [
    "https://evil.example/steal",
    "//evil.example/steal",
    "/\\evil.example/steal",
    "/\t/evil.example/steal",
    "javascript:alert(1)",
    "projects/7",
])
def test_signing_in_ignores_next_outside_this_site(ana, client, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": "ana@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
