"""/admin/people: site administrators run the accounts; to anyone else it does not exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.test_routes import call
from tests.conftest import count_queries
from workspace.api.tokens import create_token
from workspace.auth.models import User
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.projects.models import Invitation, Role
from workspace.projects.operations import invite


@pytest.fixture
def site(make):  # type: ignore[no-untyped-def]
    """Ada administers the site; Ana owns Launch with Bo as member and Cy as client; Dee
    is invited."""
    ada = make.user("Ada Admin", admin=True)
    ana, bo, cy = make.user("Ana Owner"), make.user("Bo Member"), make.user("Cy Client")
    project = make.project("Launch", owner=ana, members=(bo,), clients=(cy,))
    invite(project, "dee@example.org", Role.MEMBER, by=ana)
    return ada, ana, bo, cy, project


ROUTES = [("GET", "/admin/people"), ("POST", "/admin/people/{bo}/deactivate"),
          ("POST", "/admin/people/{bo}/make-admin"),
          ("POST", "/admin/invitations/{invitation}/cancel")]


@pytest.mark.parametrize("method, route", ROUTES)
def test_everyone_but_site_administrators_gets_404(site, client_for, client, method, route):
    _ada, ana, bo, _cy, _project = site
    invitation = db.session.scalars(select(Invitation)).one()
    url = route.format(bo=bo.id, invitation=invitation.id)
    assert getattr(client_for(ana), method.lower())(url).status_code == 404
    assert getattr(client, method.lower())(url).status_code == 302  # to sign in
    db.session.refresh(bo)
    assert bo.is_active and not bo.is_admin


def test_the_list_shows_accounts_projects_roles_and_invitations(site, client_for):
    ada, *_ = site
    page = client_for(ada).get("/admin/people").get_data(as_text=True)
    for text in ("Ana Owner", "Bo Member", "Cy Client", "Launch</a> (Owner)",
                 "Launch</a> (Member)", "Launch</a> (Client)", "dee@example.org",
                 "4 accounts", "Never"):
        assert text in page


def test_search_by_name_or_email(site, client_for):
    ada, _ana, bo, *_ = site
    client = client_for(ada)
    by_name = client.get("/admin/people?q=member").get_data(as_text=True)
    by_email = client.get(f"/admin/people?q={bo.email.upper()}").get_data(as_text=True)
    wildcard = client.get("/admin/people?q=%25").get_data(as_text=True)
    assert "Bo Member" in by_name and "Cy Client" not in by_name
    assert "Bo Member" in by_email and "Ana Owner" not in by_email
    assert "No account matches this search." in wildcard


def test_pages_of_25_and_a_page_past_the_last_shows_the_last(make, client_for):
    ada = make.user("Ada Admin", admin=True)
    for number in range(30):
        make.user(f"Person {number:02d}")
    client = client_for(ada)
    first = client.get("/admin/people").get_data(as_text=True)
    last = client.get("/admin/people?page=9").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in last and "Person 29" in last and "Person 00" not in last


def test_the_list_runs_the_same_queries_for_few_and_many(make, client_for):
    ada = make.user("Ada Admin", admin=True)
    client = client_for(ada)

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/admin/people").status_code == 200
        return counter.count

    make.project("One", owner=make.user())
    few = queries()
    for number in range(20):
        make.project(f"P{number}", owner=make.user(), clients=(make.user(),))
    assert queries() == few


def test_deactivate_and_reactivate_keep_the_search_and_page(site, client_for):
    ada, _ana, bo, *_ = site
    client = client_for(ada)
    done = client.post(f"/admin/people/{bo.id}/deactivate", data={"q": "bo", "page": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/admin/people?q=bo&page=1")
    db.session.refresh(bo)
    assert not bo.is_active
    assert "Deactivated" in client.get("/admin/people?q=bo").get_data(as_text=True)
    client.post(f"/admin/people/{bo.id}/reactivate")
    db.session.refresh(bo)
    assert bo.is_active


def test_actions_need_the_form_token(site, client_for):
    ada, _ana, bo, *_ = site
    response = client_for(ada).post(f"/admin/people/{bo.id}/deactivate", csrf=False)
    assert response.status_code == 400
    db.session.refresh(bo)
    assert bo.is_active


def test_deactivation_asks_for_confirmation_first(site, client_for):
    ada, *_ = site
    page = client_for(ada).get("/admin/people").get_data(as_text=True)
    assert '<details class="confirm">' in page and "Yes, deactivate" in page


def test_the_last_administrator_is_kept(site, client_for):
    ada, ana, *_ = site
    client = client_for(ada)
    refused = client.post(f"/admin/people/{ada.id}/remove-admin", follow_redirects=True)
    assert "at least one active administrator" in refused.get_data(as_text=True)
    client.post(f"/admin/people/{ana.id}/make-admin")
    client.post(f"/admin/people/{ada.id}/remove-admin")
    db.session.refresh(ada), db.session.refresh(ana)
    assert ana.is_admin and not ada.is_admin


def test_an_administrator_cannot_deactivate_themselves(site, client_for):
    ada, *_ = site
    refused = client_for(ada).post(f"/admin/people/{ada.id}/deactivate", follow_redirects=True)
    assert "your own account" in refused.get_data(as_text=True)
    db.session.refresh(ada)
    assert ada.is_active


def test_invitations_are_resent_or_cancelled(site, client_for):
    ada, *_ = site
    invitation = db.session.scalars(select(Invitation)).one()
    old_hash, invitation_id = invitation.token_hash, invitation.id
    client = client_for(ada)
    client.post(f"/admin/invitations/{invitation_id}/resend")
    db.session.refresh(invitation)
    assert invitation.token_hash != old_hash
    assert db.session.scalars(select(OutboxEmail.to_address)).all().count("dee@example.org") == 2
    client.post(f"/admin/invitations/{invitation_id}/cancel")
    assert db.session.scalars(select(Invitation)).all() == []
    assert client.post(f"/admin/invitations/{invitation_id}/cancel").status_code == 404


def test_the_api_lists_people_for_administrators_only(site, client):
    ada, ana, _bo, cy, project = site
    admin_token, owner_token = create_token(ada, "a")[1], create_token(ana, "b")[1]

    listed = call(client, "GET", "/people?limit=2", admin_token)
    refused = call(client, "GET", "/people", owner_token)

    assert refused.status_code == 403
    assert listed.status_code == 200 and len(listed.json) == 2 and "Link" in listed.headers
    assert listed.json[0] == {
        "id": cy.id, "name": "Cy Client", "email": cy.email, "is_admin": False, "active": True,
        "deactivated_at": None, "last_signed_in_on": None,
        "projects": [{"id": project.id, "name": "Launch", "role": "client"}]}
    following = client.get(listed.headers["Link"].split(">")[0][1:],
                           headers={"Authorization": f"Bearer {admin_token}"})
    names = [person["name"] for person in following.json]
    assert names == ["Ana Owner", "Ada Admin"]
    searched = call(client, "GET", "/people?q=ada", admin_token)
    assert [person["name"] for person in searched.json] == ["Ada Admin"]


def test_signing_in_records_the_day(site, client):
    _ada, ana, *_ = site
    client.post("/login", data={"email": ana.email, "password": "correct horse battery"})
    assert db.session.get(User, ana.id).last_signed_in_on is not None
