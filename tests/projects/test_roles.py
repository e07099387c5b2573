"""Who may do what in a project: every role against every action, and the lists of projects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.projects.helpers import database_state
from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.models import Invitation, Membership, Project, Role
from workspace.types import utcnow


@dataclass
class Team:
    """One project with one person of each kind, and Bo, a member the people actions act on."""

    project_id: int
    project_name: str
    target_id: int
    people: dict[str, User]


@pytest.fixture
def team(make) -> Team:
    owner = make.user("Olga Owner")
    member = make.user("Mia Member")
    guest = make.user("Cleo Client")
    project = make.project("Launch plan", owner=owner, members=(member,), clients=(guest,))
    target = make.join(project, make.user("Bo Target"), Role.MEMBER)
    people = {
        "owner": owner,
        "member": member,
        "client": guest,
        "non-member": make.user("Nina Outsider"),
        "site admin": make.user("Ada Admin", admin=True),
    }
    return Team(project.id, project.name, target.id, people)


def project_of(team: Team) -> Project | None:
    return db.session.get(Project, team.project_id)


def target_of(team: Team) -> Membership | None:
    return db.session.get(Membership, team.target_id)


@dataclass(frozen=True)
class Act:
    method: str
    path: str
    ok_status: int
    done: Callable[[Team, bytes], bool]
    data: tuple[tuple[str, str], ...] = ()
    for_everyone: bool = False  # allowed to every role in the project, not only to owners
    on_archived: bool = False

    def send(self, client, team: Team):  # type: ignore[no-untyped-def]
        path = self.path.format(project=team.project_id, membership=team.target_id)
        if self.method == "GET":
            return client.get(path)
        data = {key: value.format(name=team.project_name) for key, value in self.data}
        return client.post(path, data=data)


ACTIONS = {
    "view overview": Act(
        "GET", "/projects/{project}", 200, for_everyone=True,
        done=lambda team, page: b"<h1>Launch plan</h1>" in page,
    ),
    "view people": Act(
        "GET", "/projects/{project}/people", 200, for_everyone=True,
        done=lambda team, page: b"Bo Target" in page and b"Mia Member" in page,
    ),
    "view settings": Act(
        "GET", "/projects/{project}/edit", 200,
        done=lambda team, page: b'value="Launch plan"' in page,
    ),
    "edit project": Act(
        "POST", "/projects/{project}/edit", 302,
        data=(("name", "Relaunch plan"), ("description", "Now with a description")),
        done=lambda team, page: project_of(team).name == "Relaunch plan",
    ),
    "invite": Act(
        "POST", "/projects/{project}/people", 200,
        data=(("email", "newcomer@example.org"), ("role", "member")),
        done=lambda team, page: db.session.scalar(
            select(Invitation).where(Invitation.email == "newcomer@example.org")
        ) is not None and b'id="invitation-link"' in page,
    ),
    "change role": Act(
        "POST", "/projects/{project}/people/{membership}/role", 302,
        data=(("role", "client"),),
        done=lambda team, page: target_of(team).role is Role.CLIENT,
    ),
    "remove": Act(
        "POST", "/projects/{project}/people/{membership}/remove", 302,
        done=lambda team, page: target_of(team) is None,
    ),
    "archive": Act(
        "POST", "/projects/{project}/archive", 302,
        done=lambda team, page: project_of(team).is_archived,
    ),
    "unarchive": Act(
        "POST", "/projects/{project}/unarchive", 302, on_archived=True,
        done=lambda team, page: not project_of(team).is_archived,
    ),
    "delete": Act(
        "POST", "/projects/{project}/delete", 302, data=(("confirmation", "{name}"),),
        done=lambda team, page: project_of(team) is None,
    ),
}

ROLES = ["owner", "member", "client", "non-member", "site admin"]


def expected_status(role: str, act: Act) -> int:
    if role == "non-member":
        return 404  # never 403: an outsider cannot learn that the project exists
    if act.for_everyone or role in ("owner", "site admin"):
        return act.ok_status
    return 403


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(team, client_for, role, action):
    act = ACTIONS[action]
    if act.on_archived:
        project_of(team).archived_at = utcnow()
        db.session.commit()
    before = database_state()

    response = act.send(client_for(team.people[role]), team)

    status = expected_status(role, act)
    assert response.status_code == status
    if status == act.ok_status:
        assert act.done(team, response.data)
        if act.method == "GET":
            assert database_state() == before
        return
    assert database_state() == before
    assert not act.done(team, response.data)
    if status == 404:
        assert b"Launch plan" not in response.data
    else:
        assert b"Your role in this project does not allow this." in response.data


@pytest.fixture
def two_projects(make):  # type: ignore[no-untyped-def]
    ana = make.user("Ana Owner")
    alpha = make.project("Alpha", owner=ana)
    boris = make.user("Boris Owner")
    beta = make.project("Beta", owner=boris)
    carl_in_beta = make.join(beta, make.user("Carl Member"), Role.MEMBER)
    invitation, _token = operations.invite(beta, "dora@example.org", Role.MEMBER, by=boris)
    return ana, alpha.id, carl_in_beta.id, invitation.id


@pytest.mark.parametrize("path", [
    "/projects/{alpha}/people/{membership}/role",
    "/projects/{alpha}/people/{membership}/remove",
    "/projects/{alpha}/invitations/{invitation}/renew",
    "/projects/{alpha}/invitations/{invitation}/cancel",
])
def test_an_owner_cannot_reach_another_projects_people_through_their_own(
    two_projects, client_for, path
):
    ana, alpha_id, membership_id, invitation_id = two_projects
    before = database_state()

    response = client_for(ana).post(
        path.format(alpha=alpha_id, membership=membership_id, invitation=invitation_id),
        data={"role": "owner"},
    )

    assert response.status_code == 404
    assert b"Carl Member" not in response.data
    assert b"dora@example.org" not in response.data
    assert database_state() == before


@pytest.fixture
def three_projects(make):  # type: ignore[no-untyped-def]
    ana = make.user("Ana Person")
    make.project("Alpha", owner=ana)
    beta = make.project("Beta", members=(ana,))
    beta.archived_at = utcnow()
    make.project("Gamma")
    db.session.commit()
    return ana


def test_the_project_list_shows_my_projects_active_first_and_archived_apart(
    three_projects, client_for
):
    page = client_for(three_projects).get("/").data

    assert b"Alpha" in page
    assert b"Gamma" not in page
    assert page.index(b"Alpha") < page.index(b"Archived projects") < page.index(b"Beta")


def test_a_site_admin_sees_every_project_in_the_list(three_projects, make, client_for):
    page = client_for(make.user("Ada Admin", admin=True)).get("/").data

    assert b"Alpha" in page and b"Gamma" in page
    assert page.index(b"Gamma") < page.index(b"Archived projects") < page.index(b"Beta")


def test_someone_in_no_project_sees_an_empty_list(three_projects, make, client_for):
    page = client_for(make.user("Nina Outsider")).get("/").data

    assert b"No active project yet" in page
    assert b"Alpha" not in page and b"Beta" not in page and b"Gamma" not in page
