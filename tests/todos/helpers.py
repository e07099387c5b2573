from __future__ import annotations

from workspace.extensions import db
from workspace.todos.models import Todo, TodoList


def new_list(client, project, name="Launch", **extra) -> TodoList:
    response = client.post(f"/projects/{project.id}/todolists/new", data={"name": name, **extra})
    assert response.status_code == 302, response.data
    return db.session.scalars(db.select(TodoList).order_by(TodoList.id.desc())).first()


def add(client, todo_list, text="Write the copy", **extra):
    return client.post(f"/projects/{todo_list.project_id}/todolists/{todo_list.id}/todos",
                       data={"text": text, **extra})


def added(client, todo_list, text="Write the copy", **extra) -> Todo:
    assert add(client, todo_list, text, **extra).status_code == 302
    return db.session.scalars(db.select(Todo).order_by(Todo.id.desc())).first()


def positions(todo_list) -> list[tuple[str, int]]:
    db.session.expire_all()
    return [(t.text, t.position) for t in db.session.scalars(
        db.select(Todo).where(Todo.list_id == todo_list.id, Todo.completed_at.is_(None))
        .order_by(Todo.position))]
