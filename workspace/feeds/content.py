"""What feeds publish: the events a person may see, with the text of what each is about."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from markupsafe import escape
from sqlalchemy import CompoundSelect, Select, bindparam, literal, null, select, union_all

from workspace.activity.models import Event
from workspace.activity.queries import EventRow, read_events
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.todos.models import Todo, TodoList

FEED_SIZE = 50

# target type -> (model, two of its columns, the HTML shown as an entry's content from them)
CONTENT: dict[str, tuple[type, tuple[str, str | None], Callable[[str, str], str]]] = {
    "message": (Message, ("body_html", None), lambda html, _: html),
    "comment": (Comment, ("body_html", None), lambda html, _: html),
    "todo": (Todo, ("text", "notes_html"), lambda text, notes: f"<p>{escape(text)}</p>{notes}"),
    "todolist": (TodoList, ("description", None),
                 lambda text, _: f"<p>{escape(text)}</p>" if text else ""),
    "milestone": (Milestone, ("notes_html", None), lambda html, _: html),
    "file": (ProjectFile, ("name", "description"),
             lambda name, text: f"<p>{escape(name)}</p><p>{escape(text)}</p>"),
}


@dataclass(frozen=True)
class Freshness:
    """What a conditional request compares: changes whenever the visible stream changes."""

    etag: str
    last_modified: datetime | None


def freshness(events: Select[tuple[Event]], version: str) -> Freshness:
    """Validators from the newest visible event (one indexed query) and `version`, which
    changes when events vanish or change visibility."""
    newest = db.session.execute(
        events.with_only_columns(Event.id, Event.created_at).limit(1)
    ).first()
    newest_id, newest_at = newest if newest else (0, None)
    return Freshness(f"{version}.{newest_id}", newest_at)


def latest_entries(events: Select[tuple[Event]]) -> list[tuple[EventRow, str]]:
    """The newest events, with their projects' names, and their content's HTML: two queries,
    whatever their kinds."""
    latest = read_events(events.limit(FEED_SIZE), project_names=True)
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in latest:
        wanted[event.target_type].add(event.target_id)
    html = {(kind, item_id): CONTENT[kind][2](first, second or "")
            for kind, item_id, first, second in contents(wanted)}
    return [(event, html.get((event.target_type, event.target_id), "")) for event in latest]


def contents(wanted: dict[str, set[int]]) -> list[tuple[str, int, str, str | None]]:
    """(kind, id, first column, second column) of the wanted items, in one UNION query."""
    if not wanted:
        return []
    kinds = tuple(sorted(wanted))
    ids = {f"{kind}_ids": list(wanted[kind]) for kind in kinds}
    return [tuple(row) for row in db.session.execute(contents_statement(kinds), ids).all()]


@lru_cache(maxsize=64)
def contents_statement(kinds: tuple[str, ...]) -> CompoundSelect:
    """contents' query for these kinds, built once (building it costs as much as running it):
    the ids of each kind are the parameter `<kind>_ids`."""
    parts = []
    for kind in kinds:
        model, (first, second) = CONTENT[kind][:2]
        table = model.__table__.c
        parts.append(select(
            literal(kind).label("kind"), table.id, table[first].label("first"),
            (table[second] if second else null()).label("second"),
        ).where(table.id.in_(bindparam(f"{kind}_ids", expanding=True))))
    return union_all(*parts)
