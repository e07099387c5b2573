"""Invitations: an owner makes a single-use link, the invited person follows it into the project."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.projects.helpers import database_state, invitation_link, link_path
from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.models import Invitation, Membership, Project, Role
from workspace.types import utcnow


def new_account(**overrides: str) -> dict[str, str]:
    return {"name": "Dora Newcomer", "password": "a long password",
            "confirm": "a long password"} | overrides


@pytest.fixture
def olga(make) -> User:
    return make.user("Olga Owner")


@pytest.fixture
def project(make, olga) -> Project:
    return make.project("Launch plan", owner=olga)


def invite(project: Project, email: str = "dora@example.org", role: Role = Role.CLIENT) -> str:
    """Invite straight through the operation; returns the link's path."""
    _invitation, token = operations.invite(project, email, role, by=project.memberships[0].user)
    return f"/invitations/{token}"


def membership(project_id: int, email: str) -> Membership | None:
    return db.session.scalar(
        select(Membership).join(Membership.user)
        .where(Membership.project_id == project_id, User.email == email)
    )


def memberships_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Membership))


def test_an_invited_person_creates_an_account_and_lands_in_the_project(
    project, olga, client_for, client
):
    page = client_for(olga).post(f"/projects/{project.id}/people",
                                 data={"email": "Dora@Example.org", "role": "client"})
    assert page.status_code == 200
    link = invitation_link(page.data)
    assert link.startswith("http://workspace.test/invitations/")
    assert b"dora@example.org" in page.data  # listed under the pending invitations

    form = client.get(link_path(link))
    assert form.status_code == 200
    assert b"Join Launch plan" in form.data
    assert b"dora@example.org" in form.data

    joined = client.post(link_path(link), data=new_account())

    assert joined.status_code == 302
    assert joined.headers["Location"].endswith(f"/projects/{project.id}")
    dora = User.by_email("dora@example.org")
    assert dora.name == "Dora Newcomer"
    assert dora.check_password("a long password") and not dora.is_admin
    assert membership(project.id, "dora@example.org").role is Role.CLIENT
    overview = client.get(f"/projects/{project.id}")
    assert overview.status_code == 200
    assert b"Welcome to Launch plan" in overview.data


def test_a_new_account_form_with_mistakes_answers_400_and_creates_nothing(project, client):
    link = invite(project)
    before = database_state()

    response = client.post(link, data=new_account(confirm="something else"))

    assert response.status_code == 400
    assert b"The two passwords differ" in response.data
    assert b'value="Dora Newcomer"' in response.data
    assert database_state() == before


def test_a_link_works_only_once(project, client, app):
    link = invite(project)
    assert client.post(link, data=new_account()).status_code == 302
    count = memberships_count()

    second = app.test_client().post(link, data=new_account(name="Someone Else"))

    assert second.status_code == 410
    assert b"already been used" in second.data
    assert memberships_count() == count
    assert User.by_email("dora@example.org").name == "Dora Newcomer"


def test_an_expired_link_is_gone(project, client):
    link = invite(project)
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    before = database_state()

    assert client.get(link).status_code == 410
    response = client.post(link, data=new_account())

    assert response.status_code == 410
    assert b"expired" in response.data
    assert database_state() == before


def test_an_invalid_token_is_not_found(project, client):
    invite(project)

    response = client.get("/invitations/not-a-real-token")

    assert response.status_code == 404
    assert b"not valid" in response.data


def test_someone_signed_in_with_another_account_cannot_use_the_link(
    project, make, client_for
):
    link = invite(project)
    mallory = make.user("Mallory Other")
    client = client_for(mallory)
    before = database_state()

    opened = client.get(link)
    posted = client.post(link)

    assert opened.status_code == 403 and posted.status_code == 403
    assert b"another email address" in posted.data
    assert membership(project.id, mallory.email) is None
    assert database_state() == before


def test_an_existing_account_signs_in_first_then_joins(project, make, client):
    dora = make.user("Dora Known", email="dora@example.org")
    link = invite(project, role=Role.MEMBER)

    opened = client.get(link)

    assert opened.status_code == 302
    location = urlsplit(opened.headers["Location"])
    assert (location.path, parse_qs(location.query)) == ("/login", {"next": [link]})
    assert membership(project.id, dora.email) is None

    signed_in = client.post(f"/login?next={link}",
                            data={"email": "dora@example.org", "password": PASSWORD})
    assert signed_in.headers["Location"] == link
    confirm = client.get(link)
    assert confirm.status_code == 200
    assert b"Join the project" in confirm.data
    assert membership(project.id, dora.email) is None  # opening the link alone joins nobody

    joined = client.post(link)

    assert joined.status_code == 302
    assert joined.headers["Location"].endswith(f"/projects/{project.id}")
    assert membership(project.id, dora.email).role is Role.MEMBER
    assert db.session.scalars(select(Invitation)).one().accepted_by_id == dora.id


def test_a_signed_in_account_with_the_invited_email_joins_with_one_post(
    project, make, client_for
):
    dora = make.user("Dora Known", email="dora@example.org")
    link = invite(project, role=Role.MEMBER)

    response = client_for(dora).post(link)

    assert response.status_code == 302
    assert membership(project.id, dora.email).role is Role.MEMBER
    assert client_for(dora).post(link).status_code == 410


def test_inviting_the_same_email_twice_is_a_conflict(project, olga, client_for):
    invite(project)
    before = database_state()

    response = client_for(olga).post(f"/projects/{project.id}/people",
                                     data={"email": "DORA@example.org ", "role": "member"})

    assert response.status_code == 409
    assert b"already invited" in response.data
    assert b'value="DORA@example.org"' in response.data
    assert b'id="invitation-link"' not in response.data
    assert database_state() == before


def test_inviting_someone_already_in_the_project_is_a_conflict(project, make, olga, client_for):
    bo = make.user("Bo Member", email="bo@example.org")
    make.join(project, bo, Role.MEMBER)
    before = database_state()

    response = client_for(olga).post(f"/projects/{project.id}/people",
                                     data={"email": "bo@example.org", "role": "client"})

    assert response.status_code == 409
    assert b"already in the project" in response.data
    assert b'value="bo@example.org"' in response.data
    assert database_state() == before


def test_a_malformed_email_is_refused_and_kept(project, olga, client_for):
    before = database_state()

    response = client_for(olga).post(f"/projects/{project.id}/people",
                                     data={"email": "dora-at-example", "role": "member"})

    assert response.status_code == 400
    assert b"Enter a valid email address" in response.data
    assert b'value="dora-at-example"' in response.data
    assert database_state() == before


def test_renewing_makes_a_new_link_and_the_old_one_stops_working(project, olga, client_for,
                                                                 client):
    old_link = invite(project)
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.expires_at = utcnow() + timedelta(hours=1)
    db.session.commit()

    page = client_for(olga).post(f"/projects/{project.id}/invitations/{invitation.id}/renew")

    assert page.status_code == 200
    new_link = link_path(invitation_link(page.data))
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200
    assert db.session.get(Invitation, invitation.id).expires_at > utcnow() + timedelta(days=6)


def test_cancelling_removes_the_invitation_and_its_link(project, olga, client_for, client):
    link = invite(project)
    invitation = db.session.scalars(select(Invitation)).one()

    response = client_for(olga).post(
        f"/projects/{project.id}/invitations/{invitation.id}/cancel"
    )

    assert response.status_code == 302
    assert db.session.scalars(select(Invitation)).all() == []
    assert client.get(link).status_code == 404
    assert b"dora@example.org" not in client_for(olga).get(f"/projects/{project.id}/people").data
