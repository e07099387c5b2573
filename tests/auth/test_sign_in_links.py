"""Email me a sign-in link: for clients by default (WORKSPACE_SIGNIN_LINKS), single use,
15 minutes, never a password reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.auth.links import link_path, nothing_sent
from tests.conftest import PASSWORD
from tests.mail.conftest import smtp  # noqa: F401 (the SMTP sink fixture)
from workspace.auth import operations
from workspace.auth.models import EmailedToken, TokenPurpose
from workspace.extensions import db
from workspace.mail.operations import deliver_queued
from workspace.types import utcnow


@pytest.fixture
def people(make):  # type: ignore[no-untyped-def]
    """Cy is only a client; Bo is a member of the same project."""
    cy = make.user("Cy Client", email="cy@example.org")
    bo = make.user("Bo Member", email="bo@example.org")
    make.project("Launch", members=(bo,), clients=(cy,))
    return cy, bo


def is_signed_in_as(client, name: str) -> bool:  # type: ignore[no-untyped-def]
    page = client.get("/settings/profile")
    return page.status_code == 200 and name in page.get_data(as_text=True)


def test_a_client_signs_in_with_the_emailed_link_once(app, people, client, smtp):  # noqa: F811
    assert "Email me a sign-in link" in client.get("/login").get_data(as_text=True)

    asked = client.post("/login/link", data={"email": "cy@example.org"})
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/login/link/sent")
    deliver_queued()
    [email] = smtp.to("cy@example.org")
    assert email["Subject"] == "Your link to sign in to Workspace"
    path = link_path(email, "login/link")

    shown = client.get(path)  # opening the link (or a mail scanner doing so) spends nothing
    assert shown.status_code == 200 and "Sign in as Cy Client" in shown.get_data(as_text=True)
    assert client.post(path).status_code == 302
    assert is_signed_in_as(client, "Cy Client")
    token = db.session.scalars(select(EmailedToken)).one()
    assert token.expires_at - token.created_at == timedelta(minutes=15)
    assert token.used_at is not None

    other = app.test_client()
    assert other.post(path).status_code == 410
    assert not is_signed_in_as(other, "Cy Client")


def test_by_default_a_team_member_gets_the_same_answer_and_no_link(people, client, smtp):  # noqa: F811
    client.get("/login/link")
    member = client.post("/login/link", data={"email": "bo@example.org"})
    guest = client.post("/login/link", data={"email": "cy@example.org"})

    assert (member.status_code, member.data, member.headers.to_wsgi_list()) == (
        guest.status_code, guest.data, guest.headers.to_wsgi_list())
    deliver_queued()
    assert smtp.to("bo@example.org") == [] and len(smtp.to("cy@example.org")) == 1


def test_everyone_may_have_links_when_the_site_says_so(app, people, client, smtp):  # noqa: F811
    app.config["WORKSPACE_SIGNIN_LINKS"] = "everyone"
    client.post("/login/link", data={"email": "bo@example.org"})
    deliver_queued()
    assert len(smtp.to("bo@example.org")) == 1


def test_links_can_be_turned_off(app, people, client):
    app.config.update(WORKSPACE_SIGNIN_LINKS="off", WORKSPACE_SMTP_HOST="127.0.0.1")
    cy, _bo = people
    secret = operations.issue_token(cy, TokenPurpose.SIGN_IN)
    db.session.commit()

    assert "sign-in link" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/link").status_code == 404
    assert client.post("/login/link", data={"email": "cy@example.org"}).status_code == 404
    assert client.post(f"/login/link/{secret}").status_code == 404
    assert not is_signed_in_as(client, "Cy Client")


def test_an_expired_link_signs_nobody_in(people, client):
    cy, _bo = people
    secret = operations.issue_token(cy, TokenPurpose.SIGN_IN)
    db.session.execute(update(EmailedToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    response = client.post(f"/login/link/{secret}")

    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert not is_signed_in_as(client, "Cy Client")


def test_a_reset_link_is_not_a_sign_in_link(people, client):
    cy, _bo = people
    secret = operations.issue_token(cy, TokenPurpose.RESET_PASSWORD)
    db.session.commit()

    for response in (client.get(f"/login/link/{secret}"), client.post(f"/login/link/{secret}")):
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(as_text=True)
    assert not is_signed_in_as(client, "Cy Client")
    assert db.session.scalars(select(EmailedToken.used_at)).one() is None


def test_a_deactivated_client_cannot_use_a_link(make, people, client):
    cy, _bo = people
    secret = operations.issue_token(cy, TokenPurpose.SIGN_IN)
    db.session.commit()
    operations.deactivate(cy, by=make.user(admin=True))

    response = client.post(f"/login/link/{secret}")

    assert response.status_code == 403
    assert "This account is deactivated" in response.get_data(as_text=True)
    assert not is_signed_in_as(client, "Cy Client")


@pytest.mark.parametrize("token", ["short", "A" * 42 + "!", "A" * 43, "A" * 100])
def test_a_malformed_link_gets_a_clear_page(people, client, token):
    response = client.post(f"/login/link/{token}")
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)


def test_asking_without_a_mail_server_says_so(people, client):
    response = client.post("/login/link", data={"email": "cy@example.org"})
    assert response.status_code == 503 and nothing_sent()


def test_a_sign_in_link_leaves_the_password_alone(people, client):
    cy, _bo = people
    secret = operations.issue_token(cy, TokenPurpose.SIGN_IN)
    db.session.commit()
    client.post(f"/login/link/{secret}")
    db.session.refresh(cy)
    assert cy.check_password(PASSWORD) and is_signed_in_as(client, "Cy Client")
