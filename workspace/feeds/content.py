"""What feeds publish: the events a person may see, with the text of what each is about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape
from sqlalchemy import Select, func, select

from workspace.activity.models import Event
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.files.models import ProjectFile
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.projects.models import Project
from workspace.todos.models import Todo, TodoList

FEED_SIZE = 50

# target type -> (model, how to get the HTML shown as an entry's content)
CONTENT = {
    "message": (Message, lambda m: m.body_html),
    "comment": (Comment, lambda c: c.body_html),
    "todo": (Todo, lambda t: f"<p>{escape(t.text)}</p>{t.notes_html}"),
    "todolist": (TodoList, lambda t: f"<p>{escape(t.description)}</p>" if t.description else ""),
    "milestone": (Milestone, lambda m: m.notes_html),
    "file": (ProjectFile, lambda f: f"<p>{escape(f.name)}</p><p>{escape(f.description)}</p>"),
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


def versions_of(projects: Select[tuple[Project]]) -> str:
    """One value that changes when any of these projects' streams changes, or their number."""
    subquery = projects.subquery()
    total, count = db.session.execute(
        select(func.coalesce(func.sum(subquery.c.activity_version), 0), func.count())
    ).one()
    return f"{total}.{count}"


def latest_entries(events: Select[tuple[Event]]) -> list[tuple[Event, str]]:
    """The newest events with their content's HTML: one query for the events, one per kind."""
    latest = list(db.session.scalars(
        events.options(db.joinedload(Event.actor), db.joinedload(Event.project))
        .limit(FEED_SIZE)
    ))
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in latest:
        wanted[event.target_type].add(event.target_id)
    html: dict[tuple[str, int], str] = {}
    for target_type, ids in wanted.items():
        model, render = CONTENT[target_type]
        for item in db.session.scalars(select(model).where(model.id.in_(ids))):
            html[(target_type, item.id)] = render(item)
    return [(event, html.get((event.target_type, event.target_id), "")) for event in latest]
