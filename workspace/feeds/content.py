"""What feeds publish: the events a person may see, with the text of what each is about."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from sqlalchemy import CompoundSelect, bindparam, literal, null, select, union_all

from workspace import items
from workspace.activity.queries import EventRow
from workspace.extensions import db

FEED_SIZE = 50

def latest_entries(latest: list[EventRow]) -> list[tuple[EventRow, str]]:
    """The newest events (`EventRow`s with their projects' names) with their content's HTML:
    one query, whatever their kinds."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in latest:
        wanted[event.target_type].add(event.target_id)
    html = {(kind, item_id): items.kind(kind).feed.html(first, second or "")
            for kind, item_id, first, second in contents(wanted)}
    return [(event, html.get((event.target_type, event.target_id), "")) for event in latest]


def contents(wanted: dict[str, set[int]]) -> list[tuple[str, int, str, str | None]]:
    """(kind, id, first column, second column) of the wanted items, in one UNION query."""
    if not wanted:
        return []
    kinds = tuple(sorted(wanted))
    ids = {f"{kind}_ids": list(wanted[kind]) for kind in kinds}
    statement = contents_statement(tuple(items.kind(kind) for kind in kinds))
    return [tuple(row) for row in db.session.execute(statement, ids).all()]


@lru_cache(maxsize=64)
def contents_statement(kinds: tuple[items.ItemKind, ...]) -> CompoundSelect:
    """contents' query for these kinds, built once (building it costs as much as running it):
    the ids of each kind are the parameter `<kind>_ids`."""
    parts = []
    for kind in kinds:
        first, second = kind.feed.first, kind.feed.second
        table = kind.model.__table__.c
        parts.append(select(
            literal(kind.name).label("kind"), table.id, table[first].label("first"),
            (table[second] if second else null()).label("second"),
        ).where(table.id.in_(bindparam(f"{kind.name}_ids", expanding=True))))
    return union_all(*parts)
