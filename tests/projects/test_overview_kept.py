"""The overview's panels are kept per project version, role, language, timezone and day:
every change shows at once, and nothing crosses from one role or language to another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from workspace.auth.operations import update_profile
from workspace.extensions import db
from workspace.messages.operations import post_message
from workspace.milestones.operations import create_milestone, delete_milestone
from workspace.projects.access import project_access
from workspace.projects.models import Role
from workspace.projects.operations import remove_person
from workspace.todos import operations as todos
from workspace.types import utcnow


@pytest.fixture
def team(make):  # type: ignore[no-untyped-def]
    ana, bob, chloe = make.user("Ana"), make.user("Bob"), make.user("Chloé")
    project = make.project("Launch", owner=ana)
    make.join(project, bob, Role.MEMBER)
    make.join(project, chloe, Role.CLIENT)
    access = project_access(project.id, user=ana)
    todos.create_list(access, name="Shared list")
    todos.create_list(access, name="Team list", private=True)
    return ana, bob, chloe, project, access


def overview(client, project) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/projects/{project.id}")
    assert response.status_code == 200
    return response.text


def without_tokens(page: str) -> str:
    """The page but for its form tokens, which carry the time they were made."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def lists_panel(client, project) -> str:  # type: ignore[no-untyped-def]
    page = overview(client, project)
    return page[page.index('id="todos-heading"'):page.index('id="activity-heading"')]


def test_every_kind_of_change_shows_at_once(team, make, client_for):
    ana, bob, _chloe, project, access = team
    client = client_for(ana)
    page = overview(client, project)
    assert "Shared list" in page and "Team list" in page
    assert without_tokens(overview(client, project)) == without_tokens(page)  # kept
    shared, private = [todos_list for todos_list, _ in lists(access)]

    post_message(access, title="Kick-off notes", body="Hello", private=False, notify=())
    assert "Kick-off notes" in overview(client, project)

    todos.update_list(access, shared, name="Renamed list", description="", milestone_id=None,
                      private=False, clients_can_complete=False)
    panel = lists_panel(client, project)
    assert "Renamed list" in panel and "Shared list" not in panel

    todos.move_list(access, private, 0)  # an order, and no event says so
    panel = lists_panel(client, project)
    assert panel.index("Team list") < panel.index("Renamed list")

    todo = todos.add_todo(access, shared, text="Draft")
    before = lists_panel(client, project)
    todos.complete_todo(todo, by=ana)
    assert lists_panel(client, project) != before

    milestone = create_milestone(access, title="Beta", due_on=utcnow().date() + timedelta(days=3))
    assert "Beta" in overview(client, project)
    delete_milestone(milestone)
    assert "Beta" not in overview(client, project)

    dan = make.user("Dan")
    membership = make.join(project, dan, Role.MEMBER)
    assert "Dan" in overview(client, project)
    remove_person(membership)
    assert "Dan" not in overview(client, project)

    update_profile(bob, name="Robert", locale=None, timezone="UTC")
    page = overview(client, project)
    assert "Robert" in page and ">Bob<" not in page


def lists(access):  # type: ignore[no-untyped-def]
    from workspace.todos.queries import lists_with_progress

    return lists_with_progress(access, utcnow().date())


def test_a_client_never_gets_the_teams_panels(team, client_for):
    ana, bob, chloe, project, access = team
    assert "Team list" in overview(client_for(ana), project)
    assert "Team list" in overview(client_for(bob), project)
    client_page = overview(client_for(chloe), project)
    assert "Shared list" in client_page and "Team list" not in client_page
    private = next(todo_list for todo_list, _ in lists(access) if todo_list.private)
    todos.update_list(access, private, name="Team list", description="", milestone_id=None,
                      private=False, clients_can_complete=False)
    assert "Team list" in overview(client_for(chloe), project)


def test_each_language_and_timezone_has_its_own(team, client_for):
    _ana, bob, _chloe, project, _access = team
    client = client_for(bob)
    assert "Latest activity" in overview(client, project)
    update_profile(bob, name="Bob", locale="fr", timezone="Pacific/Kiritimati")
    db.session.commit()
    page = overview(client, project)
    assert "Activité récente" in page and "Latest activity" not in page


def test_the_kept_panels_hold_nothing_personal(team, client_for, app):
    ana, _bob, _chloe, project, _access = team
    overview(client_for(ana), project)
    kept = app.extensions["workspace.kept.overview_panels"].entries
    assert kept
    for _, html in kept.values():
        assert "csrf_token" not in html and ana.email not in html and "feed.atom" not in html
