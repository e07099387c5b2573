"""/api/v1: to-do lists and their to-dos."""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy import select
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import (
    created,
    invalid,
    json_object,
    position,
    refuse_undocumented,
    validated,
)
from workspace.api.milestones import people_choices
from workspace.api.views import bp, page_of, project_item, project_items
from workspace.projects.access import Action, project_access
from workspace.todos import operations
from workspace.todos.forms import TodoForm, TodoListForm
from workspace.todos.models import Todo, TodoList
from workspace.types import MAX_ID


@bp.route("/projects/<int:project_id>/todolists")
def todo_lists(project_id: int) -> Response:
    return project_items(project_id, TodoList, serializers.todo_list, "api.todo_lists")


@bp.route("/projects/<int:project_id>/todolists", methods=["POST"])
def create_todo_list(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    form = validated(TodoListForm, milestone_id="milestone")
    todo_list = operations.create_list(
        access, name=form.name.data, description=form.description.data or "",
        milestone_id=form.milestone.data, private=bool(form.private.data),
        clients_can_complete=bool(form.clients_can_complete.data),
    )
    return created(serializers.todo_list(todo_list))


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>")
def todo_list(project_id: int, list_id: int) -> Response:
    return project_item(project_id, TodoList, list_id, serializers.todo_list)


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>", methods=["PATCH"])
def update_todo_list(project_id: int, list_id: int) -> Response:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    form = validated(TodoListForm, current={
        "name": todo_list.name, "description": todo_list.description,
        "milestone_id": todo_list.milestone_id, "private": todo_list.private,
        "clients_can_complete": todo_list.clients_can_complete,
    }, milestone_id="milestone")
    operations.update_list(
        access, todo_list, name=form.name.data, description=form.description.data or "",
        milestone_id=form.milestone.data, private=bool(form.private.data),
        clients_can_complete=bool(form.clients_can_complete.data),
    )
    return jsonify(serializers.todo_list(todo_list))


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/move", methods=["POST"])
def move_todo_list(project_id: int, list_id: int) -> Response:
    """Reorder the project's lists: put this one at `position`."""
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    operations.move_list(access, todo_list, position())
    return jsonify(serializers.todo_list(todo_list))


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/todos")
def list_todos(project_id: int, list_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    return page_of(select(Todo).where(Todo.list_id == todo_list.id), Todo.id, serializers.todo,
                   "api.list_todos", project_id=project_id, list_id=list_id)


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/todos", methods=["POST"])
def create_todo(project_id: int, list_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    form = validated(TodoForm, {"assignee": people_choices(access)}, assignee_id="assignee")
    todo = operations.add_todo(access, todo_list, text=form.text.data,
                               notes=form.notes.data or "", assignee_id=form.assignee.data,
                               due_on=form.due_on.data, repeat=form.repeat.data,
                               remind=form.remind.data)
    return created(serializers.with_mentions(serializers.todo(todo), todo.mentions))


@bp.route("/projects/<int:project_id>/todos/<int:todo_id>")
def todo(project_id: int, todo_id: int) -> Response:
    return project_item(project_id, Todo, todo_id, serializers.todo)


@bp.route("/projects/<int:project_id>/todos/<int:todo_id>", methods=["PATCH"])
def update_todo(project_id: int, todo_id: int) -> Response:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    todo = access.item_or_404(Todo, todo_id)
    form = validated(TodoForm, {"assignee": people_choices(access)}, current={
        "text": todo.text, "notes": todo.notes, "assignee_id": todo.assignee_id,
        "due_on": serializers.when(todo.due_on), "repeat": todo.repeat or "",
        "remind": todo.remind or "",
    }, assignee_id="assignee")
    operations.update_todo(access, todo, text=form.text.data, notes=form.notes.data or "",
                           assignee_id=form.assignee.data, due_on=form.due_on.data,
                           repeat=form.repeat.data, remind=form.remind.data)
    return jsonify(serializers.with_mentions(serializers.todo(todo), todo.mentions))


@bp.route("/projects/<int:project_id>/todos/<int:todo_id>/<any(complete, reopen):change>",
          methods=["POST"])
def check_todo(project_id: int, todo_id: int, change: str) -> Response:
    access = project_access(project_id, user=g.acting_user)
    todo = access.item_or_404(Todo, todo_id)
    access.require_complete(todo.todo_list)
    refuse_undocumented()
    if change == "complete":
        operations.complete_todo(todo, by=access.user)
    else:
        operations.reopen_todo(todo, by=access.user)
    return jsonify(serializers.todo(todo))


@bp.route("/projects/<int:project_id>/todos/<int:todo_id>/move", methods=["POST"])
def move_todo(project_id: int, todo_id: int) -> Response:
    """Reorder a to-do within its list, or move it to another list of the project
    (`list_id`), at `position` among that list's open to-dos."""
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    todo = access.item_or_404(Todo, todo_id)
    target_id = json_object().get("list_id", todo.list_id)
    if not isinstance(target_id, int) or isinstance(target_id, bool) or not (
            0 < target_id <= MAX_ID):
        raise invalid({"list_id": "Give the id of a to-do list of this project."})
    target = access.item_or_404(TodoList, target_id)
    operations.move_todo(access, todo, target, position())
    return jsonify(serializers.todo(todo))
