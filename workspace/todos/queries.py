"""What the to-do pages read: lists with their to-dos, progress, and a person's assignments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select, union_all

from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.access import ProjectAccess, visible_across_projects
from workspace.projects.models import Project
from workspace.todos.models import Todo, TodoList


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    late: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.done + other.done, self.total + other.total, self.late + other.late)


@dataclass
class ListView:
    """A list as a page shows it: open to-dos in order (all of them, or the first), completed
    ones folded (all of them, or the most recent), progress."""

    todo_list: TodoList
    open: list[Todo] = field(default_factory=list)
    completed: list[Todo] = field(default_factory=list)
    open_count: int = 0
    completed_count: int = 0

    @property
    def progress(self) -> Progress:
        return Progress(self.completed_count, self.completed_count + self.open_count)

    @property
    def open_not_shown(self) -> int:
        return self.open_count - len(self.open)

    @property
    def completed_not_shown(self) -> int:
        return self.completed_count - len(self.completed)


def visible_lists(access: ProjectAccess) -> list[TodoList]:
    """The lists `access` may see in their order, those its viewer may check off first (a
    client sees what they can act on before what they can only read)."""
    query = access.visible(select(TodoList), TodoList).options(db.joinedload(TodoList.milestone))
    lists = list(db.session.scalars(query.order_by(TodoList.position, TodoList.id)))
    return sorted(lists, key=lambda todo_list: not access.may_complete(todo_list))


def todos_of(lists: list[TodoList], recent_completed: int | None = None,
             first_open: int | None = None) -> list[ListView]:
    """The to-dos of `lists`, with assignee and completer: every open one or only the
    `first_open` of each list, every completed one or only the `recent_completed` most recently
    completed of each list, and how many of each there are (two queries)."""
    views = {todo_list.id: ListView(todo_list) for todo_list in lists}
    if not views:
        return []
    query = select(Todo).where(Todo.list_id.in_(views))
    if first_open is not None or recent_completed is not None:
        query = query.where(Todo.id.in_(union_all(
            first_of_each_list(views, first_open, Todo.completed_at.is_(None),
                               (Todo.position, Todo.id)),
            first_of_each_list(views, recent_completed, Todo.completed_at.is_not(None),
                               (Todo.completed_at.desc(), Todo.id.desc())),
        )))
    todos = db.session.scalars(
        query.options(
            # Only what the lists show: a thousand users' rows cost as much as the to-dos.
            db.joinedload(Todo.assignee).load_only(User.name),
            db.joinedload(Todo.completed_by).load_only(User.name),
            db.defer(Todo.notes), db.defer(Todo.notes_html),
        )
        .order_by(Todo.position, Todo.id)
    )
    for todo in todos:
        view = views[todo.list_id]
        (view.completed if todo.is_completed else view.open).append(todo)
    counts = db.session.execute(
        select(Todo.list_id, func.count(), func.count(Todo.completed_at))
        .where(Todo.list_id.in_(views)).group_by(Todo.list_id)
    )
    for list_id, total, completed in counts:
        views[list_id].open_count, views[list_id].completed_count = total - completed, completed
    for view in views.values():
        view.completed.sort(key=lambda t: (t.completed_at, t.id), reverse=True)
    return list(views.values())


def first_of_each_list(list_ids: Iterable[int], per_list: int | None,
                       where: ColumnElement[bool],
                       order_by: tuple[ColumnElement[object], ...]) -> Select[tuple[int]]:
    """Ids of the to-dos of `list_ids` that `where` selects, or of only the `per_list` first of
    each list by `order_by`."""
    if per_list is None:
        return select(Todo.id).where(Todo.list_id.in_(list_ids), where)
    rank = func.row_number().over(partition_by=Todo.list_id, order_by=order_by)
    ranked = select(Todo.id, rank.label("rank")).where(Todo.list_id.in_(list_ids), where)
    ranked = ranked.subquery()
    return select(ranked.c.id).where(ranked.c.rank <= per_list)


def progress_by_list(list_ids: list[int], today: date) -> dict[int, Progress]:
    """Done, total and late counts of each list, in one aggregate query."""
    if not list_ids:
        return {}
    is_open = Todo.completed_at.is_(None)
    rows = db.session.execute(
        select(
            Todo.list_id,
            func.count(Todo.completed_at),
            func.count(),
            func.sum(case((and_(is_open, Todo.due_on < today), 1), else_=0)),
        ).where(Todo.list_id.in_(list_ids)).group_by(Todo.list_id)
    )
    return {list_id: Progress(done, total, late or 0) for list_id, done, total, late in rows}


def progress_by_milestone(access: ProjectAccess, today: date) -> dict[int, Progress]:
    """Combined progress of the lists linked to each milestone, as this person sees them."""
    lists = db.session.execute(
        access.visible(select(TodoList.id, TodoList.milestone_id), TodoList)
        .where(TodoList.milestone_id.is_not(None))
    ).all()
    per_list = progress_by_list([list_id for list_id, _ in lists], today)
    totals: dict[int, Progress] = defaultdict(Progress)
    for list_id, milestone_id in lists:
        totals[milestone_id] += per_list.get(list_id, Progress())
    return dict(totals)


ASSIGNMENT_GROUPS = ("late", "today", "this_week", "later", "no_date")


def assignment_group(due_on: date | None, today: date) -> str:
    if due_on is None:
        return "no_date"
    if due_on < today:
        return "late"
    if due_on == today:
        return "today"
    if due_on <= today + timedelta(days=6):
        return "this_week"
    return "later"


def my_assignments(user: User, today: date) -> dict[str, list[Todo]]:
    """Open to-dos assigned to `user` in active projects they may still see, grouped by when
    they fall due."""
    query = (
        visible_across_projects(user, Todo)
        .join(Project, Project.id == Todo.project_id)
        .where(
            Todo.assignee_id == user.id, Todo.completed_at.is_(None),
            Project.archived_at.is_(None),
        )
        .options(db.joinedload(Todo.todo_list), db.contains_eager(Todo.project))
        .order_by(Todo.due_on.is_(None), Todo.due_on, Todo.id)
    )
    groups: dict[str, list[Todo]] = {name: [] for name in ASSIGNMENT_GROUPS}
    for todo in db.session.scalars(query):
        groups[assignment_group(todo.due_on, today)].append(todo)
    return groups


def lists_with_progress(access: ProjectAccess, today: date) -> list[tuple[TodoList, Progress]]:
    """The lists this person sees, each with its progress and late count: two queries."""
    lists = visible_lists(access)
    progress = progress_by_list([todo_list.id for todo_list in lists], today)
    return [(todo_list, progress.get(todo_list.id, Progress())) for todo_list in lists]
