"""Forgot password: a neutral answer, a single-use link by email, a new password that signs
every other browser out."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from tests.auth.links import NEW_PASSWORD, link_path, nothing_sent, rows
from tests.conftest import Client, signed_in_client, test_config
from tests.mail.conftest import smtp  # noqa: F401 (the SMTP sink fixture)
from workspace import create_app
from workspace.auth import operations
from workspace.auth.models import EmailedToken, TokenPurpose, User
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.mail.operations import deliver_queued
from workspace.types import utcnow


@pytest.fixture
def mail_server(app: Flask) -> None:
    """An SMTP host is configured (nothing is delivered unless a test sends the outbox)."""
    app.config.update(WORKSPACE_SMTP_HOST="127.0.0.1")


def reset_token(user: User) -> str:
    secret = operations.issue_token(user, TokenPurpose.RESET_PASSWORD)
    db.session.commit()
    return secret


def is_signed_in(client: Client) -> bool:
    return client.get("/settings/profile").status_code == 200


def test_the_sign_in_page_links_to_the_reset(client, make):
    make.user()
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Forgot your password?" in page


@pytest.mark.parametrize("locale, subject, heading, used", [
    ("en", "Set a new password for Workspace", "Set a new password", "already used"),
    ("fr", "Choisissez un nouveau mot de passe pour Workspace",
     "Choisir un nouveau mot de passe", "déjà servi"),
])
def test_a_forgotten_password_is_reset_through_the_emailed_link(
        app, make, client, smtp, locale, subject, heading, used):  # noqa: F811
    ana = make.user("Ana Lost", email="ana@example.org")
    ana.locale = locale
    db.session.commit()
    other_browser = signed_in_client(app, ana)

    asked = client.post("/password/forgot", data={"email": " Ana@Example.org "})
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/password/forgot/sent")
    deliver_queued()

    [email] = smtp.to("ana@example.org")
    assert email["Subject"] == subject
    path = link_path(email, "password/reset")
    assert heading in client.get(path, headers={"Accept-Language": locale}).get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert done.status_code == 302 and is_signed_in(client)
    assert not is_signed_in(other_browser)
    db.session.refresh(ana)
    assert ana.check_password(NEW_PASSWORD)
    again = client.post(path, data={"password": "yet another one!", "confirm": "yet another one!"})
    assert again.status_code == 410 and used in again.get_data(as_text=True)
    db.session.refresh(ana)
    assert ana.check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_a_byte_identical_answer(make, client, mail_server):
    make.user(email="ana@example.org")
    client.get("/password/forgot")  # the browser's session exists before it asks

    known = client.post("/password/forgot", data={"email": "ana@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})

    assert (known.status_code, known.data) == (unknown.status_code, unknown.data)
    assert known.headers.to_wsgi_list() == unknown.headers.to_wsgi_list()
    assert db.session.scalars(select(OutboxEmail.to_address)).all() == ["ana@example.org"]


def test_known_and_unknown_addresses_take_the_same_time(make, client, mail_server):
    make.user(email="ana@example.org")
    timings: dict[str, list[float]] = {"ana@example.org": [], "nobody@example.org": []}
    for _try in range(20):
        for address, spent in timings.items():
            started = time.perf_counter()
            client.post("/password/forgot", data={"email": address})
            spent.append(time.perf_counter() - started)

    difference = abs(statistics.median(timings["ana@example.org"])
                     - statistics.median(timings["nobody@example.org"]))
    assert difference < 0.050


def test_the_link_expires_after_an_hour(make, client):
    ana = make.user()
    secret = reset_token(ana)
    token = db.session.scalars(select(EmailedToken)).one()
    assert token.expires_at - token.created_at == timedelta(hours=1)
    db.session.execute(update(EmailedToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    response = client.post(f"/password/reset/{secret}",
                           data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    db.session.refresh(ana)
    assert not ana.check_password(NEW_PASSWORD)


def test_the_token_is_stored_only_as_a_hash_of_256_random_bits(make):
    secret = reset_token(make.user())
    stored = db.session.scalars(select(EmailedToken)).one()
    assert len(secret) == 43 and secret not in stored.token_hash
    assert stored.token_hash == EmailedToken.hash(secret)


def test_a_deactivated_account_gets_a_clear_page(make, client):
    ana, admin = make.user(), make.user(admin=True)
    secret = reset_token(ana)
    operations.deactivate(ana, by=admin)

    response = client.get(f"/password/reset/{secret}")

    assert response.status_code == 403
    assert "This account is deactivated" in response.get_data(as_text=True)


def test_a_deactivated_account_asking_for_a_link_gets_nothing(make, client, mail_server):
    ana, admin = make.user(email="ana@example.org"), make.user(admin=True)
    operations.deactivate(ana, by=admin)
    response = client.post("/password/forgot", data={"email": "ana@example.org"})
    assert response.status_code == 303 and nothing_sent()


@pytest.mark.parametrize("token", [
    "short", "x" * 44, "abc!" * 10 + "abc", "é" * 43, "A" * 42 + "=", "A" * 43,
])
def test_a_malformed_or_unknown_token_gets_a_clear_page(make, client, token):
    ana = make.user()
    for response in (client.get(f"/password/reset/{token}"),
                     client.post(f"/password/reset/{token}",
                                 data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})):
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(as_text=True)
    db.session.refresh(ana)
    assert not ana.check_password(NEW_PASSWORD)


def test_a_sign_in_link_does_not_reset_a_password(make, client):
    ana = make.user()
    secret = operations.issue_token(ana, TokenPurpose.SIGN_IN)
    db.session.commit()

    response = client.post(f"/password/reset/{secret}",
                           data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 404
    db.session.refresh(ana)
    assert not ana.check_password(NEW_PASSWORD)
    assert db.session.scalars(select(EmailedToken.used_at)).one() is None


def test_a_new_password_is_checked_and_the_link_kept(make, client):
    ana = make.user()
    secret = reset_token(ana)

    response = client.post(f"/password/reset/{secret}",
                           data={"password": "short", "confirm": "short"})

    assert response.status_code == 400
    assert "between 8 and 256 characters" in response.get_data(as_text=True)
    assert client.get(f"/password/reset/{secret}").status_code == 200


@pytest.mark.parametrize("email", ["", "not an address", "ana@", "a" * 250 + "@example.org"])
def test_a_malformed_address_is_refused_and_kept(client, mail_server, email):
    response = client.post("/password/forgot", data={"email": email})
    assert response.status_code == 400
    assert "email address" in response.get_data(as_text=True)
    if email:
        assert f'value="{email}"' in response.get_data(as_text=True)
    assert nothing_sent()


def test_without_a_mail_server_the_page_says_so_and_sends_nothing(make, client):
    make.user(email="ana@example.org")
    assert "no mail server" in client.get("/password/forgot").get_data(as_text=True)

    response = client.post("/password/forgot", data={"email": "ana@example.org"})

    assert response.status_code == 503
    assert "no mail server configured" in response.get_data(as_text=True)
    assert nothing_sent() and rows(OutboxEmail) == 0


@pytest.fixture
def limited_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """Two requests a minute per address, three per client address."""
    limited = create_app(test_config(database_url) | {
        "RATELIMIT_ENABLED": True, "WORKSPACE_SMTP_HOST": "127.0.0.1",
        "WORKSPACE_EMAIL_LINK_RATE_LIMIT": "2 per minute",
        "WORKSPACE_EMAIL_LINK_IP_RATE_LIMIT": "3 per minute",
    })
    limited.test_client_class = Client
    yield limited
    with limited.app_context():
        db.engine.dispose()


def test_requests_are_limited_per_address_and_per_client_address(make, limited_app):
    make.user(email="ana@example.org")
    client = limited_app.test_client()
    with limited_app.app_context():
        asked = [client.post("/password/forgot", data={"email": "ana@example.org"}).status_code
                 for _ in range(3)]
        other_address = client.post("/password/forgot", data={"email": "bo@example.org"})
        from_elsewhere = client.post("/password/forgot", data={"email": "cy@example.org"},
                                     environ_base={"REMOTE_ADDR": "10.0.0.9"})
        same_ip_again = client.post("/password/forgot", data={"email": "dee@example.org"})

    assert asked == [303, 303, 429]
    assert other_address.status_code == 303  # the third request from this client address
    assert from_elsewhere.status_code == 303
    assert same_ip_again.status_code == 429
    assert rows(OutboxEmail) == 2
