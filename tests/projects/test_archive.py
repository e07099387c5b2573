"""An archived project is read-only for everyone until an owner unarchives it."""

from __future__ import annotations

import pytest

from tests.projects.helpers import database_state
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.models import Project, Role
from workspace.types import utcnow


@pytest.fixture
def archived(make):  # type: ignore[no-untyped-def]
    """Olga's archived project, with Mia as member, Cleo as client and Dora invited."""
    olga = make.user("Olga Owner")
    mia = make.user("Mia Member")
    cleo = make.user("Cleo Client")
    project = make.project("Old plan", owner=olga, members=(mia,), clients=(cleo,))
    invitation, _token = operations.invite(project, "dora@example.org", Role.MEMBER, by=olga)
    project.archived_at = utcnow()
    db.session.commit()
    mia_membership = next(m for m in project.memberships if m.user_id == mia.id)
    return {
        "olga": olga, "mia": mia, "cleo": cleo, "project": project.id,
        "membership": mia_membership.id, "invitation": invitation.id,
    }


WRITES = {
    "edit": ("/projects/{project}/edit", {"name": "New name", "description": "changed"}),
    "invite": ("/projects/{project}/people", {"email": "eve@example.org", "role": "member"}),
    "change role": ("/projects/{project}/people/{membership}/role", {"role": "client"}),
    "remove": ("/projects/{project}/people/{membership}/remove", {}),
    "delete": ("/projects/{project}/delete", {"confirmation": "Old plan"}),
    "renew invitation": ("/projects/{project}/invitations/{invitation}/renew", {}),
    "cancel invitation": ("/projects/{project}/invitations/{invitation}/cancel", {}),
}


@pytest.mark.parametrize("write", WRITES)
def test_an_archived_project_refuses_every_write_even_to_its_owner(
    archived, client_for, write
):
    path, data = WRITES[write]
    before = database_state()

    # A copy: the test client adds its CSRF token to the dict it is given.
    response = client_for(archived["olga"]).post(path.format(**archived), data=dict(data))

    assert response.status_code == 403
    assert b"archived" in response.data
    assert database_state() == before


@pytest.mark.parametrize("person", ["olga", "mia", "cleo"])
def test_an_archived_project_stays_readable(archived, client_for, person):
    client = client_for(archived[person])

    overview = client.get(f"/projects/{archived['project']}")
    people = client.get(f"/projects/{archived['project']}/people")

    assert overview.status_code == 200
    assert b"<h1>Old plan</h1>" in overview.data
    assert b"This project is archived" in overview.data
    assert people.status_code == 200
    assert b"Mia Member" in people.data and b"Cleo Client" in people.data
    assert b"Invite someone" not in people.data


def test_the_owner_finds_the_unarchive_button_in_the_settings(archived, client_for):
    page = client_for(archived["olga"]).get(f"/projects/{archived['project']}/edit")

    assert page.status_code == 200
    assert f'action="/projects/{archived["project"]}/unarchive"'.encode() in page.data
    assert b'name="name"' not in page.data  # the project itself cannot be edited


def test_the_owner_unarchives_and_the_team_can_work_again(archived, client_for):
    olga = client_for(archived["olga"])

    response = olga.post(f"/projects/{archived['project']}/unarchive")

    assert response.status_code == 302
    assert not db.session.get(Project, archived["project"]).is_archived
    edited = olga.post(f"/projects/{archived['project']}/edit",
                       data={"name": "Revived plan", "description": ""})
    assert edited.status_code == 302
    assert db.session.get(Project, archived["project"]).name == "Revived plan"


@pytest.mark.parametrize("person", ["mia", "cleo"])
def test_a_member_or_client_cannot_unarchive(archived, client_for, person):
    response = client_for(archived[person]).post(f"/projects/{archived['project']}/unarchive")

    assert response.status_code == 403
    assert db.session.get(Project, archived["project"]).is_archived
