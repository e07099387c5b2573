"""The lists' rendered to-dos are kept and shown again only where they are exactly right:
never after a change to a to-do or its assignee, never to a person with other rights, in
another language, or on another day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workspace.extensions import db
from workspace.fragments import FRAGMENTS
from workspace.todos import views

from .helpers import added, new_list


@pytest.fixture
def lists(make, client_for):
    FRAGMENTS.clear()
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project(owner=ana, members=(bo,), clients=(cy,))
    team = client_for(ana)
    todo_list = new_list(team, project, "Launch")
    todo = added(team, todo_list, "Write copy", assignee=str(bo.id))
    url = f"/projects/{project.id}/todolists"
    return project, todo_list, todo, url, team, client_for(cy), bo, client_for(bo)


def test_a_change_to_a_todo_or_its_assignee_shows_at_once(lists):
    project, _todo_list, todo, url, team, _client, bo, _member = lists
    assert "· Bo</span>" in team.get(url).data.decode()
    team.post(f"/projects/{project.id}/todos/{todo.id}/edit",
              data={"text": "Write better copy", "assignee": str(bo.id)})
    assert ">Write better copy</a>" in team.get(url).data.decode()

    bo.name = "Robert"
    db.session.commit()
    assert "· Robert</span>" in team.get(url).data.decode()

    team.post(f"/projects/{project.id}/todos/{todo.id}/complete")
    page = team.get(url).data.decode()
    assert ">Write better copy</a>" not in page and "1 completed to-do</a>" in page


def test_each_kind_of_reader_gets_their_own_buttons(lists):
    _project, _todo_list, _todo, url, team, client, _bo, _member = lists
    assert "Mark “Write copy” as done" in team.get(url).data.decode()
    page = client.get(url).data.decode()
    assert "Write copy" in page and "Mark “Write copy” as done" not in page
    assert "Mark “Write copy” as done" in team.get(url).data.decode()


def test_another_language_and_another_day_get_their_own_rendering(lists, monkeypatch):
    _project, _todo_list, todo, url, team, _client, bo, member = lists
    today = date.today()
    todo.due_on = today + timedelta(days=1)
    db.session.commit()
    monkeypatch.setattr(views, "viewer_today", lambda: today)
    assert "late</span>" not in team.get(url).data.decode()
    monkeypatch.setattr(views, "viewer_today", lambda: today + timedelta(days=2))
    assert "late</span>" in team.get(url).data.decode()

    assert "Mark “Write copy” as done" in member.get(url).data.decode()
    bo.locale = "fr"
    db.session.commit()
    assert "Marquer « Write copy » comme terminée" in member.get(url).data.decode()
    assert "Mark “Write copy” as done" in team.get(url).data.decode()
