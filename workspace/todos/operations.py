"""To-do lists and to-dos: each function is one transaction that also records its event."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from workspace import items
from workspace.activity import operations as activity
from workspace.auth.models import User
from workspace.comments.following import follow, follow_new_item
from workspace.comments.mentions import announce, render_with_mentions, resolve
from workspace.errors import Refused
from workspace.extensions import db
from workspace.projects.access import NotAllowed, ProjectAccess
from workspace.projects.models import Membership
from workspace.todos.models import Todo, TodoList
from workspace.todos.repeats import next_due
from workspace.todos.signals import todo_assigned
from workspace.types import utcnow


class NotInProject(Refused):
    message = _l("Choose someone, a list or a milestone of this project.")


class ClientCannotMarkPrivate(NotAllowed):
    description = _l("Only the team can mark a list private.")


# -- lists ------------------------------------------------------------------------------------

def ensure_milestone_in_project(access: ProjectAccess, milestone_id: int | None) -> None:
    if milestone_id is None:
        return
    milestone = db.session.get(items.kind("milestone").model, milestone_id)
    if milestone is None or milestone.project_id != access.project.id:
        raise NotInProject()


def create_list(access: ProjectAccess, *, name: str, description: str = "",
                milestone_id: int | None = None, private: bool = False,
                clients_can_complete: bool = False) -> TodoList:
    ensure_milestone_in_project(access, milestone_id)
    last = db.session.scalar(
        select(db.func.max(TodoList.position)).where(TodoList.project_id == access.project.id)
    )
    todo_list = TodoList(
        project_id=access.project.id, author=access.user, name=name.strip(),
        description=description.strip(), milestone_id=milestone_id, private=private,
        clients_can_complete=clients_can_complete and access.can("manage_people"),
        position=(last or 0) + 1,
    )
    db.session.add(todo_list)
    activity.record_event("created", todo_list, by=access.user, text=description)
    db.session.commit()
    return todo_list


def update_list(access: ProjectAccess, todo_list: TodoList, *, name: str, description: str,
                milestone_id: int | None, private: bool, clients_can_complete: bool) -> None:
    """Change a list; its private mark spreads to its to-dos and to their trail of events."""
    ensure_milestone_in_project(access, milestone_id)
    privacy_changed = private != todo_list.private
    todo_list.name, todo_list.description = name.strip(), description.strip()
    todo_list.milestone_id, todo_list.private = milestone_id, private
    if access.can("manage_people"):  # the clients' permission is an owner's setting
        todo_list.clients_can_complete = clients_can_complete
    activity.record_event("edited", todo_list, by=access.user, text=description)
    if privacy_changed:
        spread_privacy(todo_list)
    db.session.commit()


def spread_privacy(todo_list: TodoList) -> None:
    activity.follow_privacy(todo_list)
    todo_ids = select(Todo.id).where(Todo.list_id == todo_list.id).scalar_subquery()
    db.session.execute(
        update(Todo).where(Todo.list_id == todo_list.id).values(private=todo_list.private)
    )
    activity.follow_privacy_of(todo_list.project_id, "todo", todo_ids, private=todo_list.private)


def delete_list(todo_list: TodoList) -> None:
    """Delete a list with its to-dos (their items belong to its item) and all they hold."""
    items.delete(todo_list)
    db.session.commit()


def move_list(access: ProjectAccess, todo_list: TodoList, index: int) -> None:
    """Put a list at `index` among the project's lists (0 is first)."""
    all_ids = select(TodoList.id).where(TodoList.project_id == access.project.id)
    lock_lists(set(db.session.scalars(all_ids)))
    lists = list(db.session.scalars(
        select(TodoList).where(TodoList.project_id == access.project.id)
        .order_by(TodoList.position, TodoList.id).execution_options(populate_existing=True)
    ))
    place(lists, todo_list, index)
    db.session.commit()


# -- to-dos -----------------------------------------------------------------------------------

def person_in_project(access: ProjectAccess, user_id: int | None) -> User | None:
    """The person with `user_id` if they are in the project; refused otherwise."""
    if user_id is None:
        return None
    person = db.session.scalar(
        select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.project_id == access.project.id, User.id == user_id
        )
    )
    if person is None:
        raise NotInProject()
    return person


def add_todo(access: ProjectAccess, todo_list: TodoList, *, text: str, notes: str = "",
             assignee_id: int | None = None, due_on: date | None = None,
             repeat: str | None = None, remind: str | None = None) -> Todo:
    assignee = person_in_project(access, assignee_id)
    last = db.session.scalar(select(db.func.max(Todo.position)).where(Todo.list_id == todo_list.id))
    notes_html, found = render_with_mentions(notes, project_id=todo_list.project_id,
                                             private=todo_list.private, author=access.user)
    todo = Todo(
        project_id=todo_list.project_id, todo_list=todo_list, author=access.user,
        text=text.strip(), notes=notes, notes_html=notes_html,
        assignee_id=assignee_id, due_on=due_on, private=todo_list.private,
        position=(last or 0) + 1, repeat=repeat or None, remind=remind or None,
    )
    db.session.add(todo)
    todo.mentions = found  # not stored: for the view to tell the author
    event = activity.record_event("created", todo, by=access.user, text=notes)
    follow_new_item(todo, assignee_id)
    announce(todo, event, found)
    if assignee is not None:
        event = activity.record_event("assigned", todo, by=access.user, text=assignee.name)
        todo_assigned.send(todo, event=event)
    db.session.commit()
    return todo


def update_todo(access: ProjectAccess, todo: Todo, *, text: str, notes: str,
                assignee_id: int | None, due_on: date | None,
                repeat: str | None = None, remind: str | None = None) -> None:
    assignee = person_in_project(access, assignee_id)
    reassigned = assignee_id != todo.assignee_id
    before = resolve(todo.notes, project_id=todo.project_id, private=todo.private,
                     author=access.user)
    todo.text, todo.notes, todo.due_on = text.strip(), notes, due_on
    todo.notes_html, found = render_with_mentions(notes, project_id=todo.project_id,
                                                  private=todo.private, author=access.user)
    todo.mentions = found
    todo.assignee_id = assignee_id
    todo.repeat, todo.remind = repeat or None, remind or None
    todo.edited_at = utcnow()
    event = activity.record_event("edited", todo, by=access.user, text=notes)
    announce(todo, event, found, already=before)
    if reassigned and assignee is not None:
        follow(todo.item_id, [assignee.id])
        event = activity.record_event("assigned", todo, by=access.user, text=assignee.name)
        todo_assigned.send(todo, event=event)
    db.session.commit()


def complete_todo(todo: Todo, *, by: User) -> None:
    """Check a to-do off; one that repeats makes the next of its series in the same
    transaction. The check is a conditional UPDATE: of two people checking it off at once,
    only one completes it (and makes the next one), the other changes nothing."""
    if todo.is_completed:
        return
    now = utcnow()
    completed = db.session.execute(
        update(Todo).where(Todo.id == todo.id, Todo.completed_at.is_(None))
        .values(completed_at=now, completed_by_id=by.id, revision=Todo.revision + 1,
                series_id=func.coalesce(Todo.series_id, Todo.id))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(todo)
    if not completed:  # someone else just did
        db.session.rollback()
        return
    activity.record_event("completed", todo, by=by)
    if todo.repeat and todo.due_on is not None:
        add_next_of_series(todo, by=by)
    db.session.commit()


def add_next_of_series(todo: Todo, *, by: User) -> Todo | None:
    """The next to-do of a repeating one's series, due on its rule's next date, where it was
    in its list; none if the rule is over or the series already has one that day (reopened
    and checked off again)."""
    due_on = next_due(todo.repeat, todo.due_on)
    if due_on is None:
        return None
    following = Todo(
        project_id=todo.project_id, list_id=todo.list_id, author=by, text=todo.text,
        notes=todo.notes, notes_html=todo.notes_html, assignee_id=todo.assignee_id,
        due_on=due_on, private=todo.private, position=todo.position, repeat=todo.repeat,
        remind=todo.remind, series_id=todo.series_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(following)
            db.session.flush()
    except IntegrityError:
        return None
    activity.record_event("created", following, by=by, text=following.notes)
    return following


def reopen_todo(todo: Todo, *, by: User) -> None:
    if not todo.is_completed:
        return
    todo.completed_at, todo.completed_by = None, None
    activity.record_event("reopened", todo, by=by)
    db.session.commit()


def move_todo(access: ProjectAccess, todo: Todo, target: TodoList, index: int) -> None:
    """Put a to-do at `index` among the open to-dos of `target`, a list of the same project.

    Positions are recomputed from the lists as they are now, under a lock, so two people
    reordering at once never lose or duplicate a to-do: the last move wins.
    """
    if target.project_id != todo.project_id:
        raise NotInProject()
    lock_lists({todo.list_id, target.id})
    db.session.refresh(todo)  # someone may have moved it before we held the lock
    source_id = todo.list_id
    if source_id != target.id:
        todo.todo_list, todo.private = target, target.private
        db.session.flush()
        activity.follow_privacy(todo)
        activity.record_event("moved", todo, by=access.user, text=target.name)
        renumber(open_todos(source_id))
    siblings = open_todos(target.id)
    place(siblings, todo, index)
    db.session.commit()


def delete_todo(todo: Todo) -> None:
    items.delete(todo)
    db.session.commit()


# -- positions --------------------------------------------------------------------------------

def lock_lists(list_ids: set[int]) -> None:
    """Serialise concurrent moves touching these lists before reading their order.

    A no-op UPDATE takes the rows' write locks on PostgreSQL and starts SQLite's write
    transaction, so the positions read next cannot be changed by someone else meanwhile.
    """
    db.session.execute(
        update(TodoList).where(TodoList.id.in_(sorted(list_ids)))
        .values(position=TodoList.position)
    )


def open_todos(list_id: int) -> list[Todo]:
    """The open to-dos of a list in order, as the database has them now."""
    return list(db.session.scalars(
        select(Todo).where(Todo.list_id == list_id, Todo.completed_at.is_(None))
        .order_by(Todo.position, Todo.id).execution_options(populate_existing=True)
    ))


def place(items: list, item: object, index: int) -> None:
    """Move `item` to `index` in `items` and number them all 1..n."""
    if item in items:
        items.remove(item)
    items.insert(max(0, min(index, len(items))), item)
    renumber(items)


def renumber(items: list) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
