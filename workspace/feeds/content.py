"""What feeds publish: the events a person may see, with the text of what each is about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, literal, null, select, union_all

from workspace import items
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Project

FEED_SIZE = 50


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


def latest_entries(events: Select[tuple[Event]]) -> list[tuple[Event, str]]:
    """The newest events with their content's HTML: two queries, whatever their kinds."""
    latest = list(db.session.scalars(
        events.options(db.joinedload(Event.actor).load_only(User.name),
                       db.joinedload(Event.project).load_only(Project.name))
        .limit(FEED_SIZE)
    ))
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in latest:
        wanted[event.target_type].add(event.target_id)
    html = {(kind, item_id): items.kind(kind).feed.html(first, second or "")
            for kind, item_id, first, second in contents(wanted)}
    return [(event, html.get((event.target_type, event.target_id), "")) for event in latest]


def contents(wanted: dict[str, set[int]]) -> list[tuple[str, int, str, str | None]]:
    """(kind, id, first column, second column) of the wanted items, in one UNION query."""
    parts = []
    for kind, ids in sorted(wanted.items()):
        item_kind = items.kind(kind)
        first, second = item_kind.feed.first, item_kind.feed.second
        table = item_kind.model.__table__.c
        parts.append(select(
            literal(kind).label("kind"), table.id, table[first].label("first"),
            (table[second] if second else null()).label("second"),
        ).where(table.id.in_(ids)))
    if not parts:
        return []
    return [tuple(row) for row in db.session.execute(union_all(*parts))]
