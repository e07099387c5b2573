"""Deactivation is one operation, and every surface honours it: pages, API tokens, feed
tokens, email-in addresses and the outbox. What the person wrote stays, with their name."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from tests.api.test_routes import call
from tests.conftest import PASSWORD, Client
from tests.inbound.conftest import email_bytes
from tests.mail.conftest import smtp  # noqa: F401 (the SMTP sink fixture)
from workspace.api.tokens import create_token
from workspace.auth import operations
from workspace.auth.models import User
from workspace.extensions import db
from workspace.inbound.addresses import email_in_address
from workspace.inbound.models import EmailInAddress
from workspace.inbound.operations import Outcome, receive
from workspace.mail.models import OutboxEmail
from workspace.mail.operations import deliver_queued, enqueue
from workspace.messages.models import Message
from workspace.messages.operations import post_message
from workspace.projects.access import project_access
from workspace.projects.models import Project


@dataclass
class World:
    ada: User  # the site administrator
    bo: User  # a member, about to be deactivated
    project: Project
    browser: Client
    api_token: str
    feed_url: str
    email_in: str


@pytest.fixture
def world(app, make, client_for) -> World:  # type: ignore[no-untyped-def]
    app.config["WORKSPACE_MAIL_INBOUND_ADDRESS"] = "workspace@example.org"
    ada, bo = make.user("Ada Admin", admin=True), make.user("Bo Member", email="bo@example.org")
    project = make.project("Launch", members=(bo,))
    post_message(project_access(project.id, user=bo), title="Bo's plan", body="Step one",
                 private=False, notify=[])
    return World(ada, bo, project, client_for(bo), create_token(bo, "script")[1],
                 f"/feed.atom?token={bo.feed_token}", email_in_address(bo, project))


def deactivate(world: World) -> None:
    operations.deactivate(world.bo, by=world.ada)
    db.session.refresh(world.bo)


def test_flask_login_sees_a_deactivated_account_as_inactive(world):
    assert world.bo.is_active
    deactivate(world)
    assert not world.bo.is_active


def test_pages_sign_the_person_out_and_refuse_their_password(world, app):
    assert world.browser.get("/settings/profile").status_code == 200
    deactivate(world)

    assert world.browser.get("/settings/profile").status_code == 302
    response = app.test_client().post("/login", data={"email": "bo@example.org",
                                                      "password": PASSWORD})
    assert response.status_code == 400 and "deactivated" in response.get_data(as_text=True)


def test_api_tokens_answer_401_even_after_reactivation(world, client):
    assert call(client, "GET", "/me", world.api_token).status_code == 200
    deactivate(world)
    assert call(client, "GET", "/me", world.api_token).status_code == 401
    operations.reactivate(world.bo)
    assert call(client, "GET", "/me", world.api_token).status_code == 401


def test_feed_urls_stop_working_for_good(world, client):
    assert client.get(world.feed_url).status_code == 200
    deactivate(world)
    assert client.get(world.feed_url).status_code == 404
    assert client.get(f"/feed.atom?token={world.bo.feed_token}").status_code == 404
    operations.reactivate(world.bo)
    assert client.get(world.feed_url).status_code == 404


def test_email_in_addresses_take_nothing(world):
    def messages() -> int:
        return db.session.scalar(select(func.count()).select_from(Message))

    assert receive(email_bytes(world.email_in, "bo@example.org", "Early", "Hello")) == (
        Outcome.ACCEPTED)
    before = messages()
    deactivate(world)
    outcome = receive(email_bytes(world.email_in, "bo@example.org", "Late", "Still here?"))
    assert outcome is Outcome.UNKNOWN_ADDRESS and messages() == before
    # Even a key that survived (restored from a backup, say) takes nothing from them.
    key = world.email_in.split("+")[1].split("@")[0]
    db.session.add(EmailInAddress(key=key, user_id=world.bo.id, project_id=world.project.id))
    db.session.commit()
    outcome = receive(email_bytes(world.email_in, "bo@example.org", "Later", "Anyone?"))
    assert outcome is Outcome.REFUSED and messages() == before


def test_no_email_leaves_for_them(world, smtp):  # noqa: F811
    queued = enqueue(world.bo, "Before", "queued before", "<p>queued before</p>")
    db.session.commit()
    deactivate(world)
    after = enqueue(world.bo, "After", "queued after", "<p>queued after</p>")
    by_address = enqueue("bo@example.org", "By address", "text", "<p>html</p>")
    db.session.commit()

    deliver_queued()

    assert smtp.to("bo@example.org") == []
    statuses = {db.session.get(OutboxEmail, email.id).status for email in (queued, after,
                                                                          by_address)}
    assert statuses == {"withdrawn"}


def test_their_content_stays_with_their_name(world, client_for):
    deactivate(world)
    board = client_for(world.ada).get(f"/projects/{world.project.id}/messages")
    page = board.get_data(as_text=True)
    assert "Bo&#39;s plan" in page and "Bo Member" in page


def test_the_last_administrator_and_oneself_stay_active(world):
    with pytest.raises(operations.NotYourself):
        operations.deactivate(world.ada, by=world.ada)
    with pytest.raises(operations.LastAdmin):
        operations.deactivate(world.ada)
    db.session.refresh(world.ada)
    assert world.ada.is_active
