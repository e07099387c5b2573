"""Writing a template's content into a project, in the caller's transaction.

What each item gets is what its normal creation writes (its `items` row, its row, its
"created" event, its author and assignee as followers, its search entry), without the
notifications: a project made from a template tells nobody of each of its to-dos. Lists and
to-dos, the bulk of a template, are written in a few multi-row INSERTs whatever their number
(`insert_lists`); the few milestones, folders, documents and messages go through the ORM.
Kept comments are written as `comments.operations.add_comment` writes one (its row, its
`items` row, its "commented" event, its search entry, the item's count and last commenter,
its author following the item), in multi-row INSERTs too, without mentions, notifications or
emails (`write_comments`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from workspace.activity import operations as activity
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.comments.following import follow_new_item
from workspace.comments.models import Comment, Follower
from workspace.documents.models import Document, DocumentVersion
from workspace.documents.operations import short_excerpt
from workspace.extensions import db
from workspace.folders.models import Folder
from workspace.items import Item
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.project_templates.dates import Calendar
from workspace.search.indexing import BATCH_SIZE, entry_values, reindex_ids, spec_for, upsert
from workspace.text import render_markdown
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow

# The actions recorded here, on items of other domains' kinds, each of which describes them
# (tests/project_templates/test_round_trip.py checks it: tests/test_items.py looks for the
# describing kind in the recording package only).
CREATED, ASSIGNED, COMMENTED = "created", "assigned", "commented"
WRITTEN_KINDS = ("milestone", "folder", "document", "message", "todolist", "todo")


@dataclass(frozen=True)
class Target:
    """Where a template's content goes: the project, who writes it, where its days fall and
    who each role is (a user id, or None: nobody)."""

    project_id: int
    by: User
    calendar: Calendar
    people: Mapping[str, int | None]
    rendered_notes: Mapping[str, str] = field(default_factory=dict)

    def notes_html(self, notes: str) -> str:
        """As `render_markdown` makes it, kept by the template when it was stored."""
        if not notes:
            return ""
        return self.rendered_notes.get(notes) or str(render_markdown(notes))

    def person(self, role_key: str | None) -> int | None:
        return self.people.get(role_key) if role_key else None

    def commenter(self, comment: dict) -> int:
        """The person given the comment's role; the maker when it has none, or nobody."""
        return self.person(comment["author"]) or self.by.id

    def commenters(self, entry: dict) -> list[int]:
        return [self.commenter(comment) for comment in entry.get("comments", [])]


@dataclass(frozen=True)
class Commented:
    """An item just written, and the comments of the template to write on it."""

    kind: str
    row_id: int
    item_id: int
    title: str
    private: bool
    comments: list[dict]


def count_comments(item: object, entry: dict, target: Target, now: datetime) -> None:
    """What `add_comment` keeps on the item (count, last comment and commenter), set before
    the item is written."""
    if entry["comments"]:
        item.comments_count = len(entry["comments"])
        item.last_comment_at = now
        item.last_commenter_id = target.commenter(entry["comments"][-1])
        item.comments_changed()


def commented(item: object, entry: dict, title: str) -> Commented:
    return Commented(item.subject_type, item.id, item.item_id, title,
                     bool(getattr(item, "private", False)), entry["comments"])


def write_content(document: dict, target: Target) -> None:
    now = utcnow()
    milestones, on_milestones = write_milestones(document["milestones"], target, now)
    insert_lists(document["lists"], target, milestones)
    folders = write_folders(document["folders"], target)
    on_documents = write_documents(document["documents"], target, folders, now)
    on_messages = write_messages(document["messages"], target, now)
    write_comments(target, now, [*on_milestones, *on_documents, *on_messages])


def write_milestones(entries: list[dict], target: Target,
                     now: datetime) -> tuple[dict[str, int], list[Commented]]:
    ids, written = {}, []
    for entry in entries:
        responsible = target.person(entry["responsible"])
        milestone = Milestone(
            project_id=target.project_id, author=target.by, title=entry["title"],
            due_on=target.calendar.date_of(entry["day"]), responsible_id=responsible,
            notes=entry["notes"], notes_html=str(render_markdown(entry["notes"])))
        count_comments(milestone, entry, target, now)
        db.session.add(milestone)
        activity.record_event(CREATED, milestone, by=target.by, text=entry["notes"])
        follow_new_item(milestone, responsible, *target.commenters(entry))
        ids[entry["key"]] = milestone.id
        written.append(commented(milestone, entry, milestone.title))
    return ids, written


def write_folders(entries: list[dict], target: Target) -> dict[str, Folder]:
    """Folders in an order where each parent comes first; private when marked or inside a
    private one."""
    folders: dict[str, Folder] = {}
    remaining = list(entries)
    while remaining:
        ready = [e for e in remaining if e["parent"] is None or e["parent"] in folders]
        for entry in ready:
            parent = folders.get(entry["parent"]) if entry["parent"] else None
            folder = Folder(project_id=target.project_id, author=target.by, name=entry["name"],
                            description=entry["description"], parent_id=parent and parent.id,
                            marked_private=entry["private"],
                            private=entry["private"] or bool(parent and parent.private))
            db.session.add(folder)
            activity.record_event(CREATED, folder, by=target.by, text=entry["description"])
            folders[entry["key"]] = folder
        remaining = [e for e in remaining if e["key"] not in folders]
    return folders


def write_documents(entries: list[dict], target: Target, folders: dict[str, Folder],
                    now: datetime) -> list[Commented]:
    written = []
    for entry in entries:
        folder = folders.get(entry["folder"]) if entry["folder"] else None
        document = Document(
            project_id=target.project_id, author=target.by, editor=target.by,
            title=entry["title"], body=entry["body"],
            body_html=str(render_markdown(entry["body"])), excerpt=short_excerpt(entry["body"]),
            marked_private=entry["private"],
            private=entry["private"] or bool(folder and folder.private),
            folder_id=folder and folder.id, created_at=now, updated_at=now, version_count=1)
        count_comments(document, entry, target, now)
        db.session.add(document)
        db.session.flush()
        db.session.add(DocumentVersion(document_id=document.id, number=1, title=document.title,
                                       body=document.body, size=len(document.body.encode()),
                                       author=target.by, created_at=now))
        activity.record_event(CREATED, document, by=target.by, text=entry["body"])
        follow_new_item(document, *target.commenters(entry))
        written.append(commented(document, entry, document.title))
    return written


def write_messages(entries: list[dict], target: Target, now: datetime) -> list[Commented]:
    written = []
    for entry in entries:
        message = Message(project_id=target.project_id, author=target.by, title=entry["title"],
                          body=entry["body"], body_html=str(render_markdown(entry["body"])),
                          private=entry["private"], created_at=now, last_activity_at=now)
        count_comments(message, entry, target, now)
        db.session.add(message)
        activity.record_event(CREATED, message, by=target.by, text=entry["body"])
        follow_new_item(message, *target.commenters(entry))
        written.append(commented(message, entry, message.title))
    return written


# -- lists and to-dos, in bulk ---------------------------------------------------------------

def insert_lists(entries: list[dict], target: Target, milestones: Mapping[str, int]) -> list[int]:
    """The lists and their to-dos after the project's last list; returns the lists' ids. The
    statements are the same few for 1 or 5,000 to-dos (each multi-row INSERT is split in
    pages of a thousand rows by SQLAlchemy, and search entries are written 500 at a time)."""
    if not entries:
        return []
    db.session.flush()
    last = db.session.scalar(select(func.max(TodoList.position))
                             .where(TodoList.project_id == target.project_id)) or 0
    now = utcnow()
    list_items = new_items("todolist", target.project_id, [None] * len(entries))
    list_ids = ids_by_item(TodoList, [
        {"project_id": target.project_id, "author_id": target.by.id, "name": entry["name"],
         "description": entry["description"], "milestone_id": milestones.get(entry["milestone"]),
         "private": entry["private"], "clients_can_complete": entry["clients_can_complete"],
         "position": last + number, "created_at": now, "item_id": item_id}
         for number, (entry, item_id) in enumerate(zip(entries, list_items, strict=True),
                                                    start=1)])
    lists = list(zip(entries, list_ids, list_items, strict=True))
    todos = [{"project_id": target.project_id, "list_id": list_id, "author_id": target.by.id,
              "text": todo["text"], "notes": todo["notes"],
              "notes_html": target.notes_html(todo["notes"]),
              "assignee_id": target.person(todo["assignee"]),
              "due_on": target.calendar.date_of(todo["day"]), "private": entry["private"],
              "position": position, "created_at": now, **comment_columns(todo, target, now)}
             for entry, list_id, _ in lists
             for position, todo in enumerate(entry["todos"], start=1)]
    parents = [item_id for entry, _, item_id in lists for _todo in entry["todos"]]
    todo_items = new_items("todo", target.project_id, parents)
    todo_ids = ids_by_item(Todo, [{**row, "item_id": item_id}
                                  for row, item_id in zip(todos, todo_items, strict=True)])
    record_created(target, now, [
        *(("todolist", list_id, item_id, entry["name"], entry["description"], entry["private"])
          for entry, list_id, item_id in lists),
        *(("todo", todo_id, item_id, row["text"], row["notes"], row["private"])
          for row, todo_id, item_id in zip(todos, todo_ids, todo_items, strict=True))])
    record_assigned(target, now, todos, todo_ids, todo_items)
    entries_of_todos = [todo for entry in entries for todo in entry["todos"]]
    add_followers(now, [(item_id, user_id) for row, todo, item_id
                        in zip(todos, entries_of_todos, todo_items, strict=True)
                        for user_id in {target.by.id, row["assignee_id"],
                                        *target.commenters(todo)} if user_id])
    connection = db.session.connection()
    reindex_ids(connection, spec_for(TodoList), list(list_ids))
    reindex_ids(connection, spec_for(Todo), list(todo_ids))
    write_comments(target, now, [
        Commented("todo", todo_id, item_id, row["text"], row["private"], todo["comments"])
        for row, todo, todo_id, item_id
        in zip(todos, entries_of_todos, todo_ids, todo_items, strict=True) if todo["comments"]])
    return list(list_ids)


def comment_columns(entry: dict, target: Target, now: datetime) -> dict:
    """A to-do's count of comments and last commenter, as `count_comments` sets them (every
    row of a multi-row INSERT has the same columns)."""
    comments = entry["comments"]
    return {"comments_count": len(comments), "last_comment_at": now if comments else None,
            "last_commenter_id": target.commenter(comments[-1]) if comments else None}


def write_comments(target: Target, now: datetime, subjects: list[Commented]) -> None:
    """The comments of the template on items just written: their `items` rows, rows,
    "commented" events and search entries, each in a few statements whatever their number.
    Private with their item (a comment's visibility is its item's)."""
    pairs = [(subject, comment) for subject in subjects for comment in subject.comments]
    if not pairs:
        return
    items = new_items("comment", target.project_id, [subject.item_id for subject, _ in pairs])
    rows = [{"project_id": target.project_id, "subject_type": subject.kind,
             "subject_id": subject.row_id, "subject_item_id": subject.item_id,
             "author_id": target.commenter(comment), "body": comment["body"],
             "body_html": target.notes_html(comment["body"]), "created_at": now,
             "item_id": item_id}
            for (subject, comment), item_id in zip(pairs, items, strict=True)]
    ids = ids_by_item(Comment, rows)
    db.session.execute(insert(Event), [
        {**event_row(target, now, COMMENTED, subject.kind, subject.row_id, subject.item_id,
                     subject.title, row["body"], subject.private),
         "actor_id": row["author_id"], "target_type": "comment", "target_id": comment_id,
         "target_item_id": row["item_id"]}
        for (subject, _), row, comment_id in zip(pairs, rows, ids, strict=True)])
    index_comments(pairs, rows, ids)


def index_comments(pairs: list[tuple[Commented, dict]], rows: list[dict],
                   ids: list[int]) -> None:
    """Their search entries, from what is known of their items (the indexer would look each
    item up again, a query per comment)."""
    spec = spec_for(Comment)
    entries = [entry_values(spec, SimpleNamespace(**row, id=comment_id, edited_at=None),
                            private=subject.private, subject_title=subject.title)
               for (subject, _), row, comment_id in zip(pairs, rows, ids, strict=True)]
    connection = db.session.connection()
    for start in range(0, len(entries), BATCH_SIZE):
        upsert(connection, spec, entries[start:start + BATCH_SIZE])


# The multi-row INSERTs return their ids in no particular order: asking for the order of the
# parameters makes SQLAlchemy send one INSERT per row on SQLite. Each row is found again by a
# unique column instead (its item), and items of the same parent are interchangeable.

def new_items(kind: str, project_id: int, parents: list[int | None]) -> list[int]:
    """`items` rows of a kind, one per parent given (None: none), their ids in that order."""
    if not parents:
        return []
    made: dict[int | None, list[int]] = defaultdict(list)
    for item_id, parent_id in db.session.execute(
            insert(Item).returning(Item.id, Item.parent_id),
            [{"kind": kind, "project_id": project_id, "parent_id": parent}
             for parent in parents]):
        made[parent_id].append(item_id)
    return [made[parent].pop() for parent in parents]


def ids_by_item(model: type, rows: list[dict]) -> list[int]:
    """Insert the rows of an item kind; their ids in the order of `rows`."""
    if not rows:
        return []
    made = {item_id: row_id for row_id, item_id in db.session.execute(
        insert(model).returning(model.id, model.item_id), rows)}
    return [made[row["item_id"]] for row in rows]


def event_row(target: Target, now: object, action: str, kind: str, row_id: int, item_id: int,
              title: str, text: str, private: bool) -> dict:
    return {"project_id": target.project_id, "actor_id": target.by.id, "action": action,
            "subject_type": kind, "subject_id": row_id, "target_type": kind, "target_id": row_id,
            "subject_item_id": item_id, "target_item_id": item_id, "summary": title[:200],
            "excerpt": activity.excerpt(text), "private": private, "created_at": now}


def record_created(target: Target, now: object,
                   rows: Iterable[tuple[str, int, int, str, str, bool]]) -> None:
    events = [event_row(target, now, CREATED, *row) for row in rows]
    if events:
        db.session.execute(insert(Event), events)


def record_assigned(target: Target, now: object, todos: list[dict], todo_ids: list[int],
                    todo_items: list[int]) -> None:
    assignees = {row["assignee_id"] for row in todos if row["assignee_id"]}
    if not assignees:
        return
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(assignees))).all())
    events = [event_row(target, now, ASSIGNED, "todo", todo_id, item_id, row["text"],
                        names[row["assignee_id"]], row["private"])
              for row, todo_id, item_id in zip(todos, todo_ids, todo_items, strict=True)
              if row["assignee_id"]]
    db.session.execute(insert(Event), events)


def add_followers(now: object, pairs: list[tuple[int, int]]) -> None:
    if pairs:
        db.session.execute(insert(Follower), [
            {"item_id": item_id, "user_id": user_id, "following": True, "created_at": now}
            for item_id, user_id in pairs])
