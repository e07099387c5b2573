"""The API's writes: the same forms validate the JSON, the same operations do the work."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from workspace.access import Action, project_access
from workspace.api import serializers
from workspace.api.errors import ApiError
from workspace.api.views import bp, page_of
from workspace.comments import operations as comments
from workspace.comments.forms import CommentForm
from workspace.comments.models import Comment
from workspace.messages import operations as messages
from workspace.messages.forms import MessageForm
from workspace.messages.models import Message
from workspace.milestones import operations as milestones
from workspace.milestones.forms import MilestoneForm
from workspace.milestones.models import Milestone
from workspace.projects.operations import people_of
from workspace.todos import operations as todos
from workspace.todos.forms import TodoForm, TodoListForm
from workspace.todos.models import Todo, TodoList


def validated(form_class: type[FlaskForm], choices: dict[str, list] | None = None,
              **renamed: str) -> FlaskForm:
    """Validate the JSON body with the pages' form, as if it had been posted: the same
    parsing, filters and rules. 422 names the fields that are wrong."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_request", "Send a JSON object with Content-Type: "
                                           "application/json.")
    form = form_class(formdata=as_formdata(payload, renamed), meta={"csrf": False})
    for name, values in (choices or {}).items():
        getattr(form, name).choices = values
    if not form.validate():
        fields = {renamed_back(name, renamed): str(errors[0])
                  for name, errors in form.errors.items()}
        raise ApiError(422, "invalid", "Some fields are not valid.", fields=fields)
    return form


def as_formdata(payload: dict, renamed: dict[str, str]) -> MultiDict:
    items: list[tuple[str, str]] = []
    for key, value in payload.items():
        name = renamed.get(key, key)
        if value is None or value is False:
            continue
        values = value if isinstance(value, list) else [value]
        items.extend((name, "y" if item is True else str(item)) for item in values)
    return MultiDict(items)


def renamed_back(name: str, renamed: dict[str, str]) -> str:
    return next((outside for outside, inside in renamed.items() if inside == name), name)


def created(body: dict) -> tuple[Response, int]:
    return jsonify(body), 201


def people_choices(access) -> list:  # type: ignore[no-untyped-def]
    return [("", ""), *((m.user_id, m.user.name) for m in people_of(access.project))]


@bp.route("/projects/<int:project_id>/people")
def people(project_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    return jsonify([{"id": m.user_id, "name": m.user.name, "role": str(m.role)}
                    for m in people_of(access.project)])


@bp.route("/projects/<int:project_id>/messages", methods=["POST"])
def post_message(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.POST, user=g.acting_user)
    form = validated(MessageForm)
    notify = request.get_json().get("notify") or []
    if not isinstance(notify, list) or not all(isinstance(n, int) for n in notify):
        raise ApiError(422, "invalid", "Some fields are not valid.",
                       fields={"notify": "a list of person ids"})
    message = messages.post_message(access, title=form.title.data, body=form.body.data,
                                    private=bool(form.private.data), notify=notify)
    return created(serializers.message(message, access))


def comment_json(comment: Comment) -> dict:
    return {"id": comment.id, "body": comment.body, "body_html": comment.body_html,
            "author": serializers.person(comment.author),
            "created_at": serializers.when(comment.created_at),
            "edited_at": serializers.when(comment.edited_at)}


@bp.route("/projects/<int:project_id>/messages/<int:message_id>/comments")
def message_comments(project_id: int, message_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    message = access.item_or_404(Message, message_id)
    return jsonify([comment_json(c) for c in comments.comments_on(message)])


@bp.route("/projects/<int:project_id>/messages/<int:message_id>/comments", methods=["POST"])
def comment_on_message(project_id: int, message_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.COMMENT, user=g.acting_user)
    message = access.item_or_404(Message, message_id)
    form = validated(CommentForm)
    return created(comment_json(comments.add_comment(message, form.body.data, by=g.acting_user)))


def todo_list_json(todo_list: TodoList) -> dict:
    return {"id": todo_list.id, "project_id": todo_list.project_id, "name": todo_list.name,
            "description": todo_list.description, "milestone_id": todo_list.milestone_id,
            "private": todo_list.private, "position": todo_list.position,
            "clients_can_complete": todo_list.clients_can_complete}


def todo_json(todo: Todo) -> dict:
    return {"id": todo.id, "list_id": todo.list_id, "text": todo.text, "notes": todo.notes,
            "assignee_id": todo.assignee_id, "due_on": serializers.when(todo.due_on),
            "position": todo.position, "completed": todo.is_completed,
            "completed_at": serializers.when(todo.completed_at),
            "completed_by_id": todo.completed_by_id}


@bp.route("/projects/<int:project_id>/todolists")
def todo_lists(project_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    return page_of(access.visible(select(TodoList), TodoList), TodoList.id, todo_list_json,
                   "api.todo_lists", project_id=project_id)


@bp.route("/projects/<int:project_id>/todolists", methods=["POST"])
def create_todo_list(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    form = validated(TodoListForm, milestone_id="milestone")
    todo_list = todos.create_list(
        access, name=form.name.data, description=form.description.data or "",
        milestone_id=form.milestone.data, private=bool(form.private.data),
        clients_can_complete=bool(form.clients_can_complete.data),
    )
    return created(todo_list_json(todo_list))


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/todos")
def list_todos(project_id: int, list_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    return page_of(select(Todo).where(Todo.list_id == todo_list.id), Todo.id, todo_json,
                   "api.list_todos", project_id=project_id, list_id=list_id)


@bp.route("/projects/<int:project_id>/todolists/<int:list_id>/todos", methods=["POST"])
def create_todo(project_id: int, list_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    todo_list = access.item_or_404(TodoList, list_id)
    form = validated(TodoForm, {"assignee": people_choices(access)}, assignee_id="assignee")
    todo = todos.add_todo(access, todo_list, text=form.text.data, notes=form.notes.data or "",
                          assignee_id=form.assignee.data, due_on=form.due_on.data)
    return created(todo_json(todo))


@bp.route("/projects/<int:project_id>/todos/<int:todo_id>/<any(complete, reopen):change>",
          methods=["POST"])
def complete_todo(project_id: int, todo_id: int, change: str) -> Response:
    access = project_access(project_id, user=g.acting_user)
    todo = access.item_or_404(Todo, todo_id)
    access.require_complete(todo.todo_list)
    (todos.complete_todo if change == "complete" else todos.reopen_todo)(todo, by=g.acting_user)
    return jsonify(todo_json(todo))


def milestone_json(milestone: Milestone) -> dict:
    return {"id": milestone.id, "project_id": milestone.project_id, "title": milestone.title,
            "due_on": milestone.due_on.isoformat(), "responsible_id": milestone.responsible_id,
            "notes": milestone.notes, "completed": milestone.is_completed,
            "completed_at": serializers.when(milestone.completed_at)}


@bp.route("/projects/<int:project_id>/milestones")
def list_milestones(project_id: int) -> Response:
    access = project_access(project_id, user=g.acting_user)
    return page_of(access.visible(select(Milestone), Milestone), Milestone.id, milestone_json,
                   "api.list_milestones", project_id=project_id)


@bp.route("/projects/<int:project_id>/milestones", methods=["POST"])
def create_milestone(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    form = validated(MilestoneForm, {"responsible": people_choices(access)},
                     responsible_id="responsible")
    milestone = milestones.create_milestone(
        access, title=form.title.data, due_on=form.due_on.data,
        responsible_id=form.responsible.data, notes=form.notes.data or "",
    )
    return created(milestone_json(milestone))


@bp.route("/projects/<int:project_id>/milestones/<int:milestone_id>/complete",
          methods=["POST"])
def complete_milestone(project_id: int, milestone_id: int) -> Response:
    access = project_access(project_id, Action.PLAN, user=g.acting_user)
    milestone = access.item_or_404(Milestone, milestone_id)
    milestones.complete_milestone(milestone, by=g.acting_user)
    return jsonify(milestone_json(milestone))

