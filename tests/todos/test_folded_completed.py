"""The lists page shows the first open to-dos of each list and only counts its completed ones,
with links to the list, whose own page shows them all."""

from __future__ import annotations

import re

from workspace.extensions import db
from workspace.todos import views

from .helpers import added, new_list


def test_the_lists_page_counts_completed_todos_and_links_to_the_list(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    added(client, todo_list, "Still open")
    done = [added(client, todo_list, f"Done number {n}") for n in range(3)]
    for todo in done:
        client.post(f"/projects/{project.id}/todos/{todo.id}/complete")

    lists_page = client.get(f"/projects/{project.id}/todolists").data.decode()
    list_page = client.get(f"/projects/{project.id}/todolists/{todo_list.id}").data.decode()

    assert not any(f">Done number {n}</a>" in lists_page for n in range(len(done)))
    assert "Still open" in lists_page
    see_the_list = f'<a href="/projects/{project.id}/todolists/{todo_list.id}">'
    assert f"{see_the_list}{len(done)} completed to-dos</a>" in lists_page
    assert f"{len(done)} of {len(done) + 1} done" in lists_page
    assert all(f">Done number {n}</a>" in list_page for n in range(len(done)))
    assert f"{len(done)} completed to-dos</summary>" in list_page
    assert "See all" not in list_page


def test_the_lists_page_shows_the_first_open_todos_of_a_long_list(make, client_for,
                                                                   monkeypatch):
    monkeypatch.setattr(views, "FIRST_OPEN", 3)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    todos = [added(client, todo_list, f"Open number {n}") for n in range(5)]
    client.post(f"/projects/{project.id}/todos/{todos[0].id}/complete")

    lists_page = client.get(f"/projects/{project.id}/todolists").data.decode()
    list_page = client.get(f"/projects/{project.id}/todolists/{todo_list.id}").data.decode()

    assert [n for n in range(1, 5) if f">Open number {n}</a>" in lists_page] == [1, 2, 3]
    assert "1 of 5 done" in lists_page
    see_the_list = f'<a href="/projects/{project.id}/todolists/{todo_list.id}">'
    assert f"{see_the_list}1 more to-do: see the whole list</a>" in lists_page
    # Move buttons are on the list's own page only (the lists page drags).
    assert "Move “Open number 3” down" not in lists_page
    assert not re.search(r'aria-label="Move “Open number 3” down"\s*disabled', list_page)
    assert all(f">Open number {n}</a>" in list_page for n in range(1, 5))
    assert "see the whole list" not in list_page
    assert re.search(r'aria-label="Move “Open number 4” down"\s*disabled', list_page)

    added(client, todo_list, "Open number 5")
    ana.locale = "fr"
    db.session.commit()
    lists_page = client.get(f"/projects/{project.id}/todolists").data.decode()
    assert f"{see_the_list}2 tâches de plus : voir toute la liste</a>" in lists_page
