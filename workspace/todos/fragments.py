"""What a list's to-dos show, for the kept renderings of workspace/fragments.py: each to-do
shown (text, assignee, due date, comments, completion and by whom), the counts of the list,
the day (late marks), the page they are on, and what this person may do with them. The rows
are those this person may see, so the key needs no more of who they are."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from markupsafe import Markup

from workspace.fragments import fragment_key, kept
from workspace.projects.access import Action, ProjectAccess
from workspace.todos.queries import ListView


def todos_key(view: ListView, access: ProjectAccess, today: date, back: str) -> tuple[str, ...]:
    shown = [(todo.id, todo.text, todo.assignee.name if todo.assignee else None, todo.due_on,
              todo.comments_count, todo.completed_at,
              todo.completed_by.name if todo.completed_by else None)
             for todo in (*view.open, *view.completed)]
    todo_list = view.todo_list
    return fragment_key("todos", todo_list.project_id, todo_list.id, back, today,
                        access.project.is_archived, access.may_complete(todo_list),
                        access.can(Action.PLAN),
                        view.open_count, view.completed_count, len(view.open), shown)


def kept_todos(view: ListView, access: ProjectAccess, today: date, back: str,
               caller: Callable[[], str]) -> Markup:
    """The to-dos of `view` as the template's `{% call %}` block renders them, rendered once
    for what they show."""
    return kept(todos_key(view, access, today, back), caller)
