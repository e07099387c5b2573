"""Creating, editing and deleting projects, and the rule that a project keeps an owner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import count_queries
from tests.projects.helpers import database_state
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.models import Invitation, Membership, Project, Role


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_creator_of_a_project_is_its_owner(make, client_for):
    ana = make.user("Ana Creator", admin=True)  # a first project: see test_project_creators

    response = client_for(ana).post("/projects/new", data={
        "name": "  Launch plan ", "description": "Ship it in spring",
    })

    project = db.session.scalars(select(Project)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    assert (project.name, project.description) == ("Launch plan", "Ship it in spring")
    assert [(m.user_id, m.role) for m in project.memberships] == [(ana.id, Role.OWNER)]


def test_a_project_needs_a_name_and_keeps_the_description(make, client_for):
    response = client_for(make.user(admin=True)).post("/projects/new", data={
        "name": "   ", "description": "Ship it in spring",
    })

    assert response.status_code == 400
    assert b"Give the project a name." in response.data
    assert b"Ship it in spring</textarea>" in response.data
    assert count(Project) == 0


def test_a_project_name_has_at_most_120_characters(make, client_for):
    client = client_for(make.user(admin=True))

    too_long = client.post("/projects/new", data={"name": "x" * 121})
    just_right = client.post("/projects/new", data={"name": "y" * 120})

    assert too_long.status_code == 400
    assert b"at most 120 characters" in too_long.data
    assert just_right.status_code == 302
    assert db.session.scalars(select(Project.name)).all() == ["y" * 120]


def test_an_owner_renames_and_describes_the_project(make, client_for):
    ana = make.user()
    project = make.project("Launch plan", owner=ana)

    response = client_for(ana).post(f"/projects/{project.id}/edit", data={
        "name": "Spring launch", "description": " For the whole team ",
    })

    assert response.status_code == 302
    db.session.refresh(project)
    assert (project.name, project.description) == ("Spring launch", "For the whole team")
    assert b"Spring launch" in client_for(ana).get(f"/projects/{project.id}").data


def test_an_invalid_edit_answers_400_and_changes_nothing(make, client_for):
    ana = make.user()
    project = make.project("Launch plan", owner=ana)
    before = database_state()

    response = client_for(ana).post(f"/projects/{project.id}/edit", data={
        "name": "", "description": "kept",
    })

    assert response.status_code == 400
    assert b"Give the project a name." in response.data
    assert b"kept</textarea>" in response.data
    assert database_state() == before


@pytest.fixture
def doomed(make):  # type: ignore[no-untyped-def]
    """Ana's project with Bo in it and Cleo invited, about to be deleted."""
    ana = make.user("Ana Owner")
    project = make.project("Launch plan", owner=ana, members=(make.user("Bo Member"),))
    operations.invite(project, "cleo@example.org", Role.CLIENT, by=ana)
    other = make.project("Other plan", owner=ana)
    return ana, project.id, other.id


def test_deleting_asks_for_the_project_name(doomed, client_for):
    ana, project_id, _other_id = doomed

    page = client_for(ana).get(f"/projects/{project_id}/delete")

    assert page.status_code == 200
    assert b"Type: Launch plan" in page.data
    assert b'name="confirmation"' in page.data


@pytest.mark.parametrize("typed", ["Launch", "launch plan", ""])
def test_deleting_with_the_wrong_name_keeps_the_project(doomed, client_for, typed):
    ana, project_id, _other_id = doomed
    before = database_state()

    response = client_for(ana).post(f"/projects/{project_id}/delete",
                                    data={"confirmation": typed})

    assert response.status_code == 400
    assert b"Type the project" in response.data or b"does not match" in response.data
    assert database_state() == before


def test_deleting_with_the_right_name_removes_the_project_and_its_people(doomed, client_for):
    ana, project_id, other_id = doomed
    client = client_for(ana)

    response = client.post(f"/projects/{project_id}/delete",
                           data={"confirmation": " Launch plan "})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert db.session.get(Project, project_id) is None
    assert db.session.scalars(select(Membership.project_id)).all() == [other_id]
    assert count(Invitation) == 0
    assert b"The project Launch plan was deleted." in client.get("/").data
    assert client.get(f"/projects/{project_id}").status_code == 404


@pytest.fixture
def sole_owner(make):  # type: ignore[no-untyped-def]
    ana = make.user("Ana Owner")
    project = make.project("Launch plan", owner=ana, members=(make.user("Bo Member"),))
    return ana, project


@pytest.mark.parametrize("action, data", [
    ("remove", {}),
    ("role", {"role": "member"}),
    ("role", {"role": "client"}),
])
def test_the_last_owner_can_neither_leave_nor_step_down(sole_owner, client_for, action, data):
    ana, project = sole_owner
    own = next(m for m in project.memberships if m.user_id == ana.id)
    before = database_state()

    response = client_for(ana).post(f"/projects/{project.id}/people/{own.id}/{action}",
                                    data=dict(data))  # a copy: the client adds its CSRF token

    assert response.status_code == 400
    assert b"A project keeps at least one owner" in response.data
    assert database_state() == before


def test_with_a_second_owner_the_first_may_step_down(sole_owner, client_for):
    ana, project = sole_owner
    own, bos = sorted(project.memberships, key=lambda m: m.role != Role.OWNER)
    client = client_for(ana)

    assert client.post(f"/projects/{project.id}/people/{bos.id}/role",
                       data={"role": "owner"}).status_code == 302
    response = client.post(f"/projects/{project.id}/people/{own.id}/role",
                           data={"role": "member"})

    assert response.status_code == 302
    db.session.refresh(own)
    db.session.refresh(bos)
    assert (own.role, bos.role) == (Role.MEMBER, Role.OWNER)
    assert client.post(f"/projects/{project.id}/people/{own.id}/role",
                       data={"role": "owner"}).status_code == 403  # no longer an owner


def test_an_owner_who_leaves_lands_on_their_projects(sole_owner, make, client_for):
    ana, project = sole_owner
    make.join(project, make.user("Olga Owner"), Role.OWNER)
    own_id = next(m.id for m in project.memberships if m.user_id == ana.id)
    project_id = project.id
    client = client_for(ana)

    response = client.post(f"/projects/{project_id}/people/{own_id}/remove")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert db.session.get(Membership, own_id) is None
    assert client.get(f"/projects/{project_id}").status_code == 404


def test_an_unknown_role_is_refused(sole_owner, client_for):
    ana, project = sole_owner
    bos = next(m for m in project.memberships if m.user_id != ana.id)
    before = database_state()

    response = client_for(ana).post(f"/projects/{project.id}/people/{bos.id}/role",
                                    data={"role": "emperor"})

    assert response.status_code == 400
    assert database_state() == before


@pytest.mark.parametrize("path", [
    "/projects/{id}", "/projects/{id}/people", "/projects/{id}/edit", "/projects/{id}/delete",
])
def test_a_project_that_does_not_exist_is_not_found_even_for_an_admin(make, client_for, path):
    project = make.project()
    missing = project.id + 1000

    response = client_for(make.user("Ada Admin", admin=True)).get(path.format(id=missing))

    assert response.status_code == 404


def test_the_project_list_costs_the_same_queries_for_many_projects(
    make, client_for
):
    ana = make.user()
    make.project("First", owner=ana)
    client = client_for(ana)
    with count_queries() as few:
        assert client.get("/").status_code == 200
    for number in range(8):
        make.project(f"Project {number}", owner=ana)
    with count_queries() as many:
        page = client.get("/")

    assert page.data.count(b'class="card"') == 9
    assert many.count == few.count


def test_the_people_page_costs_the_same_queries_for_many_people(
    make, client_for
):
    ana = make.user()
    project = make.project(owner=ana)
    client = client_for(ana)
    with count_queries() as few:
        assert client.get(f"/projects/{project.id}/people").status_code == 200
    for number in range(8):
        make.join(project, make.user(f"Member {number}"), Role.MEMBER)
        operations.invite(project, f"guest{number}@example.org", Role.CLIENT, by=ana)
    with count_queries() as many:
        page = client.get(f"/projects/{project.id}/people")

    assert page.data.count(b"<td>Member ") == 8
    assert page.data.count(b"@example.org \xc2\xb7 Client") == 8  # pending invitations
    assert many.count == few.count


def test_owners_set_the_milestone_alerts(make, client_for):
    from workspace.extensions import db as database
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    settings = {"timezone": "Europe/Paris", "alert_days_before": "5", "alert_on_the_day": "y"}
    assert client_for(bo).post(f"/projects/{project.id}/alerts", data=settings).status_code == 403
    bad = client_for(ana).post(f"/projects/{project.id}/alerts",
                               data=settings | {"alert_days_before": "99"})
    assert bad.status_code == 400 and "Between 0 and 60 days." in bad.text
    assert client_for(ana).post(f"/projects/{project.id}/alerts", data=settings).status_code == 302
    database.session.refresh(project)
    assert (project.timezone, project.alert_days_before, project.alert_on_the_day,
            project.alert_when_late) == ("Europe/Paris", 5, True, False)
