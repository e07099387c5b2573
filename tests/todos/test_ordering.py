"""Reordering never loses or duplicates a to-do, even when two people do it at once."""

import threading

from flask import Flask

from workspace.extensions import db
from workspace.projects.access import project_access
from workspace.todos import operations
from workspace.todos.models import Todo, TodoList

from .helpers import added, new_list, positions


def test_move_up_down_by_index_and_to_another_list(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    first, second = new_list(client, project, "First"), new_list(client, project, "Second")
    todos = [added(client, first, name) for name in "ABCD"]
    move = f"/projects/{project.id}/todos/{{}}/move"
    client.post(move.format(todos[2].id), data={"direction": "up"})
    assert positions(first) == [("A", 1), ("C", 2), ("B", 3), ("D", 4)]
    client.post(move.format(todos[0].id), data={"index": 3})
    assert positions(first) == [("C", 1), ("B", 2), ("D", 3), ("A", 4)]
    response = client.post(move.format(todos[1].id), data={"list_id": second.id, "index": 0},
                           headers={"Accept": "application/json"})
    assert response.status_code == 204
    assert positions(first) == [("C", 1), ("D", 2), ("A", 3)]
    assert positions(second) == [("B", 1)]


def test_lists_reorder(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    lists = [new_list(client, project, name) for name in ("One", "Two", "Three")]
    client.post(f"/projects/{project.id}/todolists/{lists[2].id}/move", data={"index": 0})
    db.session.expire_all()
    order = db.session.scalars(db.select(TodoList.name).order_by(TodoList.position)).all()
    assert order == ["Three", "One", "Two"]


def test_stale_positions_from_two_people_lose_nothing(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    todo_list = new_list(client, project)
    todos = [added(client, todo_list, name) for name in "ABCDE"]
    # Both looked at the same page: A..E. Ana drags E to the top, Bo drags A to the bottom.
    client.post(f"/projects/{project.id}/todos/{todos[4].id}/move", data={"index": 0})
    client_for(bo).post(f"/projects/{project.id}/todos/{todos[0].id}/move", data={"index": 4})
    final = positions(todo_list)
    assert sorted(text for text, _ in final) == list("ABCDE")
    assert [position for _, position in final] == [1, 2, 3, 4, 5]
    assert final[0][0] == "E" and final[-1][0] == "A"


def test_concurrent_moves_keep_every_todo_once(app: Flask, make):
    """Two threads reorder the same list at once, each in its own session."""
    ana = make.user("Ana")
    project = make.project(owner=ana)
    todo_list = TodoList(project_id=project.id, name="Busy")
    db.session.add(todo_list)
    db.session.flush()
    db.session.add_all(Todo(project_id=project.id, list_id=todo_list.id, text=f"T{n}",
                            position=n + 1) for n in range(8))
    db.session.commit()
    ids = db.session.scalars(db.select(Todo.id).order_by(Todo.id)).all()
    errors: list[BaseException] = []

    def shuffle(todo_id: int, indexes: list[int]) -> None:
        try:
            with app.test_request_context():
                access = project_access(project.id, user=db.session.get(type(ana), ana.id))
                for index in indexes:
                    todo = db.session.get(Todo, todo_id)
                    target = db.session.get(TodoList, todo_list.id)
                    operations.move_todo(access, todo, target, index)
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=shuffle, args=(ids[0], [7, 0, 5, 2] * 5)),
               threading.Thread(target=shuffle, args=(ids[1], [0, 6, 3, 1] * 5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    final = positions(todo_list)
    assert sorted(text for text, _ in final) == sorted(f"T{n}" for n in range(8))
    assert [position for _, position in final] == list(range(1, 9))
