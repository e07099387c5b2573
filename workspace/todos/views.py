from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from workspace import items
from workspace.comments.forms import CommentForm
from workspace.comments.views import (
    page_item_or_404,
    page_with_comment_form,
    requested_thread,
    tell_about_mentions,
)
from workspace.extensions import db
from workspace.files.operations import files_attached_to
from workspace.i18n import viewer_today
from workspace.links import item_url
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.projects.operations import people_of
from workspace.todos import operations, queries
from workspace.todos.forms import TodoForm, TodoListForm
from workspace.todos.models import Todo, TodoList
from workspace.web import Page, wants_json

bp = Blueprint("todos", __name__, url_prefix="/projects/<int:project_id>")
assignments_bp = Blueprint("assignments", __name__)


# -- helpers ----------------------------------------------------------------------------------

def people_choices(access: ProjectAccess) -> list[tuple[object, str]]:
    return [("", _("Nobody")), *((m.user_id, m.user.name) for m in people_of(access.project))]


def milestone_choices(access: ProjectAccess) -> list[tuple[object, str]]:
    milestone = items.kind("milestone").model
    milestones = db.session.scalars(
        select(milestone).where(milestone.project_id == access.project.id)
        .order_by(milestone.due_on)
    )
    return [("", _("None")), *((m.id, m.title) for m in milestones)]


def todo_form(access: ProjectAccess, **kwargs: object) -> TodoForm:
    form = TodoForm(**kwargs)
    form.assignee.choices = people_choices(access)
    return form


def list_form(access: ProjectAccess, **kwargs: object) -> TodoListForm:
    form = TodoListForm(**kwargs)
    form.milestone.choices = milestone_choices(access)
    return form


def back_to(todo_list: TodoList) -> Response:
    """After a change from the lists page or a list page, go back where the person was."""
    target = request.form.get("back")
    if target == "list":
        return redirect(item_url(todo_list))
    return redirect(url_for("todos.index", project_id=todo_list.project_id,
                            _anchor=f"list-{todo_list.id}"))


def new_index(current: int, siblings: int) -> int:
    """Where a move request puts an item: an explicit index, or one step up or down."""
    direction = request.form.get("direction")
    if direction in ("up", "down"):
        return current - 1 if direction == "up" else current + 1
    index = request.form.get("index", type=int)
    if index is None or index < 0:
        abort(400, _("Say where to move it."))
    return min(index, siblings)


# The lists page shows the first open to-dos of each list and only counts its completed ones
# (with a link), so that long lists do not make the page of all lists heavy and slow; the
# list's own page shows them all.
FIRST_OPEN = 10
RECENT_COMPLETED = 0


def lists_page(access: ProjectAccess, add_form: TodoForm | None = None,
               add_to: int | None = None) -> Page:
    views = queries.todos_of(queries.visible_lists(access), RECENT_COMPLETED, FIRST_OPEN)
    return render_template(
        "todos/index.html", access=access, project=access.project, views=views,
        today=viewer_today(), add_form=add_form, add_to=add_to,
        blank_form=todo_form(access, formdata=None),
    ), 400 if add_form is not None else 200


# -- lists ------------------------------------------------------------------------------------

@bp.route("/todolists")
@login_required
def index(project_id: int) -> Page:
    return lists_page(project_access(project_id))


@bp.route("/todolists/new", methods=["GET", "POST"])
@login_required
def new_list(project_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    form = list_form(access)
    if form.validate_on_submit():
        todo_list = operations.create_list(
            access, name=form.name.data, description=form.description.data or "",
            milestone_id=form.milestone.data, private=form.private.data,
            clients_can_complete=form.clients_can_complete.data,
        )
        flash(_("List created."), "success")
        return redirect(item_url(todo_list))
    return list_form_page(access, form)


def list_form_page(access: ProjectAccess, form: TodoListForm,
                   todo_list: TodoList | None = None) -> Page:
    return render_template(
        "todos/list_form.html", access=access, project=access.project, form=form,
        todo_list=todo_list,
    ), 400 if form.errors else 200


@bp.route("/todolists/<int:list_id>")
@login_required
def show_list(project_id: int, list_id: int) -> Page:
    access = project_access(project_id)
    todo_list = access.item_or_404(TodoList, list_id)
    return render_template(
        "todos/list.html", access=access, project=access.project, view=queries.todos_of(
            [todo_list])[0], today=viewer_today(), blank_form=todo_form(access, formdata=None),
    )


@bp.route("/todolists/<int:list_id>/edit", methods=["GET", "POST"])
@login_required
def edit_list(project_id: int, list_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    todo_list = access.item_or_404(TodoList, list_id)
    # Not obj=todo_list: its `milestone` relationship would hide the id the select needs.
    form = list_form(access, name=todo_list.name, description=todo_list.description,
                     milestone=todo_list.milestone_id, private=todo_list.private,
                     clients_can_complete=todo_list.clients_can_complete)
    if form.validate_on_submit():
        operations.update_list(
            access, todo_list, name=form.name.data, description=form.description.data or "",
            milestone_id=form.milestone.data, private=form.private.data,
            clients_can_complete=form.clients_can_complete.data,
        )
        flash(_("List saved."), "success")
        return redirect(item_url(todo_list))
    return list_form_page(access, form, todo_list)


@bp.route("/todolists/<int:list_id>/delete", methods=["POST"])
@login_required
def delete_list(project_id: int, list_id: int) -> Response:
    access = project_access(project_id, Action.PLAN)
    operations.delete_list(access.item_or_404(TodoList, list_id))
    flash(_("The list and its to-dos were deleted."), "success")
    return redirect(url_for("todos.index", project_id=project_id))


@bp.route("/todolists/<int:list_id>/move", methods=["POST"])
@login_required
def move_list(project_id: int, list_id: int) -> Response:
    access = project_access(project_id, Action.PLAN)
    todo_list = access.item_or_404(TodoList, list_id)
    lists = queries.visible_lists(access)
    index = new_index(lists.index(todo_list), len(lists))
    operations.move_list(access, todo_list, index)
    if wants_json():
        return Response(status=204)
    return redirect(url_for("todos.index", project_id=project_id, _anchor=f"list-{list_id}"))


# -- to-dos -----------------------------------------------------------------------------------

@bp.route("/todolists/<int:list_id>/todos", methods=["POST"])
@login_required
def add(project_id: int, list_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    todo_list = access.item_or_404(TodoList, list_id)
    form = todo_form(access)
    if not form.validate():
        return lists_page(access, add_form=form, add_to=list_id)
    todo = operations.add_todo(access, todo_list, text=form.text.data,
                               notes=form.notes.data or "", assignee_id=form.assignee.data,
                               due_on=form.due_on.data, repeat=form.repeat.data,
                               remind=form.remind.data)
    flash(_("To-do added."), "success")
    tell_about_mentions(todo.mentions)
    return back_to(todo_list)


@bp.route("/todos/<int:todo_id>")
@login_required
def show(project_id: int, todo_id: int) -> Page:
    access = project_access(project_id)
    return todo_page(access, page_item_or_404(access, "todo", todo_id), CommentForm())


@page_with_comment_form("todo", joinedload(Todo.todo_list), joinedload(Todo.author),
                        joinedload(Todo.assignee), joinedload(Todo.completed_by))
def todo_page(access: ProjectAccess, todo: Todo, comment_form: CommentForm) -> Page:
    return render_template(
        "todos/show.html", access=access, project=access.project, todo=todo,
        today=viewer_today(), thread=requested_thread(todo),
        attached=files_attached_to(todo, access), comment_form=comment_form,
    ), 400 if comment_form.errors else 200


@bp.route("/todos/<int:todo_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int, todo_id: int) -> Page:
    access = project_access(project_id, Action.PLAN)
    todo = access.item_or_404(Todo, todo_id)
    form = todo_form(access, text=todo.text, notes=todo.notes, due_on=todo.due_on,
                     assignee=todo.assignee_id, repeat=todo.repeat or "",
                     remind=todo.remind or "")
    if form.validate_on_submit():
        operations.update_todo(access, todo, text=form.text.data, notes=form.notes.data or "",
                               assignee_id=form.assignee.data, due_on=form.due_on.data,
                               repeat=form.repeat.data, remind=form.remind.data)
        flash(_("To-do saved."), "success")
        tell_about_mentions(todo.mentions)
        return redirect(item_url(todo))
    return render_template(
        "todos/todo_form.html", access=access, project=access.project, form=form, todo=todo,
    ), 400 if form.errors else 200


@bp.route("/todos/<int:todo_id>/<any(complete, reopen):change>", methods=["POST"])
@login_required
def check(project_id: int, todo_id: int, change: str) -> Response:
    """Check a to-do off (complete) or on again (reopen)."""
    access = project_access(project_id)
    todo = access.item_or_404(Todo, todo_id)
    access.require_complete(todo.todo_list)
    if change == "complete":
        operations.complete_todo(todo, by=access.user)
        flash(_("Done: %(todo)s", todo=todo.text), "success")
    else:
        operations.reopen_todo(todo, by=access.user)
        flash(_("Reopened: %(todo)s", todo=todo.text), "success")
    return back_to_todo(todo)


def back_to_todo(todo: Todo) -> Response:
    if request.form.get("back") == "todo":
        return redirect(item_url(todo))
    return back_to(todo.todo_list)


@bp.route("/todos/<int:todo_id>/move", methods=["POST"])
@login_required
def move(project_id: int, todo_id: int) -> Response:
    access = project_access(project_id, Action.PLAN)
    todo = access.item_or_404(Todo, todo_id)
    target_id = request.form.get("list_id", type=int) or todo.list_id
    target = access.item_or_404(TodoList, target_id)
    siblings = operations.open_todos(target.id)
    current = siblings.index(todo) if todo in siblings else len(siblings)
    operations.move_todo(access, todo, target, new_index(current, len(siblings)))
    if wants_json():
        return Response(status=204)
    return back_to(target)


@bp.route("/todos/<int:todo_id>/delete", methods=["POST"])
@login_required
def delete(project_id: int, todo_id: int) -> Response:
    access = project_access(project_id, Action.PLAN)
    todo = access.item_or_404(Todo, todo_id)
    todo_list = todo.todo_list
    operations.delete_todo(todo)
    flash(_("To-do deleted."), "success")
    return back_to(todo_list)


# -- my assignments ---------------------------------------------------------------------------

@assignments_bp.route("/assignments")
@login_required
def mine() -> str:
    groups = queries.my_assignments(current_user, viewer_today())
    return render_template("todos/assignments.html", groups=groups, today=viewer_today())
