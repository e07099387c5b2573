"""Reading a project (or one of its lists) into a template document: what the owner chose
to keep, dates as days from the earliest kept one, people as role keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from workspace.comments.models import Comment
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.folders.models import Folder
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.project_templates.dates import days_from
from workspace.project_templates.schema import MAX_DAY, VERSION
from workspace.projects.models import Membership, Project
from workspace.todos.models import Todo, TodoList


@dataclass(frozen=True)
class Keep:
    """What a template keeps of a project. Completed to-dos and milestones are left out unless
    `completed`; private items unless `private` (then they stay private); messages are the
    ones chosen (the project has no notion of pinned messages)."""

    lists: bool = True
    milestones: bool = True
    documents: bool = True
    message_ids: tuple[int, ...] = ()
    people: bool = False
    private: bool = False
    settings: bool = True
    completed: bool = False
    # The comments on the kept to-dos, milestones, documents and messages.
    comments: bool = False
    # What each person's role is called ("Designer"), by user id; their name otherwise.
    role_labels: tuple[tuple[int, str], ...] = ()


@dataclass
class Roles:
    """The people of the project as role keys, made as they are first named."""

    labels: dict[int, tuple[str, str]]  # user id -> (label, project role)
    keys: dict[int, str] = field(default_factory=dict)

    def key_of(self, user_id: int | None) -> str | None:
        if user_id is None or user_id not in self.labels:
            return None
        return self.keys.setdefault(user_id, f"r{len(self.keys) + 1}")

    def entries(self) -> list[dict]:
        return [{"key": key, "label": self.labels[user_id][0],
                 "project_role": self.labels[user_id][1]} for user_id, key in self.keys.items()]


def project_roles(project_id: int, keep: Keep) -> Roles:
    if not keep.people:
        return Roles({})
    roles, labels = Roles({}), dict(keep.role_labels)
    for membership in db.session.scalars(
            select(Membership).where(Membership.project_id == project_id)
            .options(db.joinedload(Membership.user)).order_by(Membership.id)):
        roles.labels[membership.user_id] = (labels.get(membership.user_id) or membership.user.name,
                                            membership.role.value)
    return roles


def project_document(project: Project, keep: Keep, *, name: str, description: str) -> dict:
    """The template of `project`, keeping what `keep` says."""
    roles = project_roles(project.id, keep)
    if keep.people:  # every person becomes a role, assigned to something or not
        for user_id in roles.labels:
            roles.key_of(user_id)
    milestones = kept_milestones(project.id, keep) if keep.milestones else []
    lists = kept_lists(project.id, keep) if keep.lists else []
    todos = kept_todos([todo_list.id for todo_list in lists], keep)
    first = first_day([m.due_on for m in milestones] + [t.due_on for t in todos])
    milestone_keys = {m.id: f"m{n}" for n, m in enumerate(milestones, start=1)}
    folders, documents = kept_files(project.id, keep) if keep.documents else ([], [])
    folder_keys = {f.id: f"f{n}" for n, f in enumerate(folders, start=1)}
    messages = kept_messages(project.id, keep)
    comments = Comments.of(keep, first, roles, [*milestones, *todos, *documents, *messages])
    return {
        "workspace_template": VERSION, "kind": "project", "name": name,
        "description": description,
        "settings": {"timezone": project.timezone,
                     "alert_days_before": project.alert_days_before,
                     "alert_on_the_day": project.alert_on_the_day,
                     "alert_when_late": project.alert_when_late} if keep.settings else None,
        "milestones": [{"key": milestone_keys[m.id], "title": m.title,
                        "day": days_from(first, m.due_on), "notes": m.notes,
                        "responsible": roles.key_of(m.responsible_id),
                        "comments": comments.on(m)} for m in milestones],
        "lists": lists_entries(lists, todos, roles, milestone_keys, first, comments),
        "folders": [{"key": folder_keys[f.id], "name": f.name, "description": f.description,
                     "private": f.marked_private, "parent": folder_keys.get(f.parent_id)}
                    for f in folders],
        "documents": [{"title": d.title, "body": d.body, "private": d.marked_private,
                       "folder": folder_keys.get(d.folder_id), "comments": comments.on(d)}
                      for d in documents],
        "messages": [{"title": m.title, "body": m.body, "private": m.private,
                      "comments": comments.on(m)} for m in messages],
        "roles": roles.entries(),
    }


def list_document(todo_list: TodoList, keep: Keep, *, name: str, description: str) -> dict:
    """The template of one list: its to-dos, and the people they are assigned to as roles
    when `keep.people`."""
    roles = project_roles(todo_list.project_id, keep)
    todos = kept_todos([todo_list.id], keep)
    first = first_day([t.due_on for t in todos])
    comments = Comments.of(keep, first, roles, todos)
    return {
        "workspace_template": VERSION, "kind": "todolist", "name": name,
        "description": description, "settings": None, "milestones": [], "folders": [],
        "documents": [], "messages": [],
        "lists": lists_entries([todo_list], todos, roles, {}, first, comments),
        "roles": roles.entries(),
    }


def lists_entries(lists: list[TodoList], todos: list[Todo], roles: Roles,
                  milestone_keys: dict[int, str], first: date,
                  comments: Comments) -> list[dict]:
    by_list: dict[int, list[Todo]] = {}
    for todo in todos:
        by_list.setdefault(todo.list_id, []).append(todo)
    return [{"key": f"l{n}", "name": todo_list.name, "description": todo_list.description,
             "private": todo_list.private,
             "clients_can_complete": todo_list.clients_can_complete,
             "milestone": milestone_keys.get(todo_list.milestone_id),
             "todos": [{"text": todo.text, "notes": todo.notes,
                        "day": days_from(first, todo.due_on),
                        "assignee": roles.key_of(todo.assignee_id),
                        "comments": comments.on(todo)}
                       for todo in by_list.get(todo_list.id, [])]}
            for n, todo_list in enumerate(lists, start=1)]


@dataclass
class Comments:
    """The comments kept, by the (kind, id) of what they are on: their text, their author as
    a role key (None: whoever makes the project, as for an author no longer in the project or
    when people are not kept), their day counted as the template's other days (0 at the
    least: a comment written before the first due date is on day 0)."""

    by_subject: dict[tuple[str, int], list[dict]]

    @classmethod
    def of(cls, keep: Keep, first: date, roles: Roles, subjects: list) -> Comments:
        """One query per kind of item kept."""
        found: dict[tuple[str, int], list[dict]] = {}
        if not keep.comments:
            return cls(found)
        ids: dict[str, list[int]] = {}
        for subject in subjects:
            ids.setdefault(subject.subject_type, []).append(subject.id)
        for kind, subject_ids in ids.items():
            for comment in db.session.scalars(select(Comment).where(
                    Comment.subject_type == kind, Comment.subject_id.in_(subject_ids))
                    .order_by(Comment.id)):
                if not comment.body.strip():
                    continue  # only files: files are not kept
                found.setdefault((kind, comment.subject_id), []).append({
                    "body": comment.body, "author": roles.key_of(comment.author_id),
                    "day": min(max(days_from(first, comment.created_at.date()), 0), MAX_DAY)})
        return cls(found)

    def on(self, subject: object) -> list[dict]:
        return self.by_subject.get((subject.subject_type, subject.id), [])


def first_day(dates: list[date | None]) -> date:
    return min((day for day in dates if day is not None), default=date(2000, 1, 1))


def kept_milestones(project_id: int, keep: Keep) -> list[Milestone]:
    query = select(Milestone).where(Milestone.project_id == project_id)
    if not keep.completed:
        query = query.where(Milestone.completed_at.is_(None))
    return list(db.session.scalars(query.order_by(Milestone.due_on, Milestone.id)))


def kept_lists(project_id: int, keep: Keep) -> list[TodoList]:
    query = select(TodoList).where(TodoList.project_id == project_id)
    if not keep.private:
        query = query.where(TodoList.private.is_(False))
    return list(db.session.scalars(query.order_by(TodoList.position, TodoList.id)))


def kept_todos(list_ids: list[int], keep: Keep) -> list[Todo]:
    if not list_ids:
        return []
    query = select(Todo).where(Todo.list_id.in_(list_ids))
    if not keep.completed:
        query = query.where(Todo.completed_at.is_(None))
    if not keep.private:
        query = query.where(Todo.private.is_(False))
    return list(db.session.scalars(query.order_by(Todo.list_id, Todo.position, Todo.id)))


def kept_files(project_id: int, keep: Keep) -> tuple[list[Folder], list[Document]]:
    """Folders, parents before children, and documents; a private folder (and what it holds)
    only with `keep.private`."""
    folders = list(db.session.scalars(select(Folder).where(Folder.project_id == project_id)
                                      .order_by(Folder.id)))
    documents = select(Document).where(Document.project_id == project_id)
    if not keep.private:
        folders = [folder for folder in folders if not folder.private]
        documents = documents.where(Document.private.is_(False))
    return parents_first(folders), list(db.session.scalars(documents.order_by(Document.id)))


def parents_first(folders: list[Folder]) -> list[Folder]:
    kept = {folder.id for folder in folders}
    ordered: list[Folder] = []
    placed: set[int | None] = {None}
    remaining = list(folders)
    while remaining:
        ready = [f for f in remaining if f.parent_id in placed or f.parent_id not in kept]
        ordered += ready
        placed |= {f.id for f in ready}
        remaining = [f for f in remaining if f.id not in placed]
    return ordered


def kept_messages(project_id: int, keep: Keep) -> list[Message]:
    if not keep.message_ids:
        return []
    query = select(Message).where(Message.project_id == project_id,
                                  Message.id.in_(keep.message_ids))
    if not keep.private:
        query = query.where(Message.private.is_(False))
    return list(db.session.scalars(query.order_by(Message.id)))
