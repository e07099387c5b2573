"""The lists page shows every open to-do but only the most recently completed of each list,
with the count and a link to the list, whose own page shows them all."""

from __future__ import annotations

from workspace.todos.views import RECENT_COMPLETED

from .helpers import added, new_list


def test_the_lists_page_folds_completed_todos_to_the_most_recent(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    added(client, todo_list, "Still open")
    done = [added(client, todo_list, f"Done number {n}") for n in range(RECENT_COMPLETED + 2)]
    for todo in done:
        client.post(f"/projects/{project.id}/todos/{todo.id}/complete")

    lists_page = client.get(f"/projects/{project.id}/todolists").data.decode()
    list_page = client.get(f"/projects/{project.id}/todolists/{todo_list.id}").data.decode()

    shown = [todo for n, todo in enumerate(done) if f">Done number {n}</a>" in lists_page]
    assert shown == done[-RECENT_COMPLETED:]  # the most recently completed
    assert "Still open" in lists_page
    assert f"{len(done)} completed to-dos" in lists_page
    assert f"See all {len(done)} completed to-dos" in lists_page
    assert f"{len(done)} of {len(done) + 1} done" in lists_page
    assert all(f">Done number {n}</a>" in list_page for n in range(len(done)))
    assert "See all" not in list_page
