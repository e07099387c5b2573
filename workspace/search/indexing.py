"""Keeping the index in step with the items, in the same transaction as each change.

`keep_index_in_step(db.session)`, called by the app factory, listens on the app's session:
- `after_flush`: every message, comment, to-do list, to-do, milestone and file the session
  inserted or changed gets its entry written; when an item's title or private mark changes,
  the entries of the comments on it follow.
- `do_orm_execute`: bulk `UPDATE`s of those models (a list's mark spreading to its to-dos,
  files following the item they are attached to) refresh the entries of the rows they touch.
- Deletions need nothing here: each entry has a foreign key to its item's row in `items`,
  `ON DELETE CASCADE`.

What is indexed, and how, is each kind's `search` part in the item-kind registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Update,
    and_,
    delete,
    event,
    false,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session, sessionmaker
from sqlalchemy.sql.expression import ColumnClause

from workspace import items
from workspace.comments.models import Comment
from workspace.items import ItemKind, Visibility
from workspace.search import text
from workspace.search.models import SearchEntry

BATCH_SIZE = 500


@dataclass(frozen=True)
class Indexed:
    """How one model is indexed: its kind, its title, body and time of last change
    (attribute names, the same on the model and its table)."""

    kind: str
    model: type
    title: str | None
    body: str
    edited: str | None
    own_mark: bool = True

    @classmethod
    def of(cls, item_kind: ItemKind) -> Indexed:
        searched = item_kind.search
        return cls(item_kind.name, item_kind.model, searched.title, searched.body,
                   searched.edited, own_mark=item_kind.visibility is Visibility.OWN)

    @property
    def table(self) -> Any:
        return self.model.__table__

    @property
    def watched(self) -> set[str]:
        """Attributes (and columns) whose change changes the entry."""
        return {"private", "author_id", *filter(None, (self.title, self.body, self.edited))}

    def private_column(self) -> Any:
        """Its own mark; false for a kind that is never private (milestones have no such
        column)."""
        return self.table.c.private if self.own_mark else false()


@cache
def spec_of(item_kind: ItemKind) -> Indexed:
    """A kind's spec, made once per registered kind (a kind registered later, a test's, gets
    its own)."""
    return Indexed.of(item_kind)


def spec_for(model: type) -> Indexed | None:
    """The spec of a model's kind, None for a model search does not index."""
    item_kind = items.by_model(model)
    return spec_of(item_kind) if item_kind else None


def subject_spec(name: str) -> Indexed | None:
    """The spec of a kind comments can be on, by its name (None for comments, or unknown)."""
    item_kind = items.find(name)
    if item_kind is None or item_kind.visibility is Visibility.SUBJECT:
        return None
    return spec_of(item_kind)


def subject_specs() -> list[Indexed]:
    return [spec_of(k) for k in items.kinds() if k.visibility is not Visibility.SUBJECT]


def entry_values(spec: Indexed, item: Any, *, private: bool, subject_title: str) -> dict:
    """The entry of one item (an ORM object or a row: both have the column names)."""
    title = getattr(item, spec.title) if spec.title else subject_title
    body = getattr(item, spec.body) or ""
    is_comment = spec.kind == "comment"
    return {
        "kind": spec.kind, "item_id": item.id, "key_item_id": item.item_id,
        "project_id": item.project_id, "private": bool(private), "author_id": item.author_id,
        "created_at": item.created_at,
        "updated_at": (getattr(item, spec.edited) if spec.edited else None) or item.created_at,
        "subject_type": item.subject_type if is_comment else spec.kind,
        "subject_id": item.subject_id if is_comment else item.id,
        "title": title, "body": body[:text.MAX_INDEXED_CHARS],
        "terms": " ".join(weighted_terms("" if is_comment else title, body)),
        "words": " ".join(text.surfaces(f"{'' if is_comment else title}\n{body}")),
    }


def weighted_terms(title: str, body: str) -> list[str]:
    """The stems of an item: its title's twice, so that a word in the title weighs more in
    both databases' ranking (plain words are matched on stems only, never as phrases)."""
    title_terms = text.terms(title)
    return title_terms + title_terms + text.terms(body)


def upsert(connection: Connection, spec: Indexed, rows: list[dict]) -> None:
    """Write these entries, replacing those of the same items: one statement executed with
    many parameter sets, compiled once (a multi-row VALUES of 500 entries took longer to
    compile than to run)."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SearchEntry.__table__)
    changed = {name: statement.excluded[name] for name in rows[0] if name != "key_item_id"}
    connection.execute(statement.on_conflict_do_update(index_elements=["key_item_id"],
                                                       set_=changed), rows)


def subjects_facts(connection: Connection,
                   comments: list[Any]) -> dict[tuple[str, int], tuple[bool, str]]:
    """The private mark and title each comment takes from what it is on, by (subject type,
    subject id): one query per kind of subject, however many comments."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for comment in comments:
        wanted[comment.subject_type].add(comment.subject_id)
    facts = {}
    for subject_type, ids in wanted.items():
        spec = subject_spec(subject_type)
        for subject_id, private, title in connection.execute(
                select(spec.table.c.id, spec.private_column(), spec.table.c[spec.title])
                .where(spec.table.c.id.in_(ids))):
            facts[subject_type, subject_id] = (bool(private), title)
    return facts


def follow_subjects(connection: Connection, spec: Indexed, ids: list[int]) -> None:
    """Comments show their subject's title and share its mark: the entries of the comments
    on these items take them again from the items' rows, in one statement."""
    entries = SearchEntry.__table__
    subject = select().select_from(spec.table).where(spec.table.c.id == entries.c.subject_id)
    connection.execute(
        update(entries)
        .where(entries.c.kind == "comment", entries.c.subject_type == spec.kind,
               entries.c.subject_id.in_(ids))
        .values(private=subject.add_columns(spec.private_column()).scalar_subquery(),
                title=subject.add_columns(spec.table.c[spec.title]).scalar_subquery())
    )


def index_objects(connection: Connection, spec: Indexed, found: list[Any]) -> None:
    """Write the entries of items of one kind (ORM objects or rows) in one statement; comments
    take their subjects' mark and title. A comment on a kind search does not know is left out:
    not searchable rather than wrong."""
    if spec.kind != "comment":
        upsert(connection, spec, [entry_values(spec, item, private=own_mark(item),
                                               subject_title="") for item in found])
        return
    found = [comment for comment in found if subject_spec(comment.subject_type)]
    facts = subjects_facts(connection, found)
    upsert(connection, spec, [
        entry_values(spec, comment, private=private, subject_title=title)
        for comment in found
        for private, title in [facts.get((comment.subject_type, comment.subject_id),
                                         (False, ""))]])


def changed_attributes(item: Any) -> set[str]:
    state = inspect(item)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def keep_index_in_step(session: scoped_session | sessionmaker) -> None:
    """Listen on `session` (the app's) for the changes the index follows; once, however many
    apps the process makes on the same extension."""
    for name, listener in (("after_flush", index_flushed),
                           ("do_orm_execute", index_bulk_updates)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def index_flushed(session: Session, flush_context: object) -> None:
    """The entries of what the flush inserted or changed, one statement a kind; the comments
    of items whose title or mark changed follow them."""
    written: dict[Indexed, list[Any]] = defaultdict(list)
    followed: dict[Indexed, list[int]] = defaultdict(list)
    for item in session.new:
        if spec := spec_for(type(item)):
            written[spec].append(item)
    for item in session.dirty:
        spec = spec_for(type(item))
        if spec is None or item in session.deleted:
            continue
        changed = changed_attributes(item) & spec.watched
        if changed:
            written[spec].append(item)
        if spec.kind != "comment" and changed & {"private", spec.title}:
            followed[spec].append(item.id)
    if not written:
        return
    connection = session.connection()
    for spec, found in written.items():
        index_objects(connection, spec, found)
    for spec, ids in followed.items():
        follow_subjects(connection, spec, ids)


def index_bulk_updates(state: ORMExecuteState) -> object:
    if not state.is_update or state.bind_mapper is None:
        return None
    spec = spec_for(state.bind_mapper.class_)
    if spec is None or not touches_watched(state.statement, spec):
        return None
    where = state.statement.whereclause
    ids = list(state.session.scalars(
        select(spec.table.c.id).where(where) if where is not None else select(spec.table.c.id)
    ))
    result = state.invoke_statement()
    reindex_ids(state.session.connection(), spec, ids)
    return result


def touches_watched(statement: Update, spec: Indexed) -> bool:
    """Whether a bulk UPDATE may change entries. The columns it sets are among its immediate
    children (`get_children()`, public), with any it reads them from: a column too many only
    costs a refresh. When none of the table's columns shows, it cannot tell: refresh."""
    names = {child.key for child in statement.get_children()
             if isinstance(child, ColumnClause) and child.table is spec.table}
    return not names or bool(names & spec.watched)


def reindex_ids(connection: Connection, spec: Indexed, ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start:start + BATCH_SIZE]
        rows = connection.execute(select(spec.table).where(spec.table.c.id.in_(chunk))).all()
        index_objects(connection, spec, rows)
        if spec.kind != "comment":
            follow_subjects(connection, spec, [row.id for row in rows])


def own_mark(item: Any) -> bool:
    return bool(getattr(item, "private", False))


# -- rebuilding everything -------------------------------------------------------------------

def batches(connection: Connection, query: Any, id_column: Any,
            size: int) -> Iterator[list[Any]]:
    """Rows of `query` in batches of `size`, by increasing id (keyset: memory stays flat)."""
    last = 0
    while True:
        rows = connection.execute(query.where(id_column > last).order_by(id_column)
                                  .limit(size)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def comment_rows(connection: Connection, subject: Indexed, size: int) -> Iterator[list[Any]]:
    comments = Comment.__table__
    query = (
        select(comments, subject.private_column().label("subject_private"),
               subject.table.c[subject.title].label("subject_title"))
        .join(subject.table, and_(comments.c.subject_type == subject.kind,
                                  comments.c.subject_id == subject.table.c.id))
    )
    return batches(connection, query, comments.c.id, size)


def rebuild(connection: Connection, size: int = BATCH_SIZE) -> int:
    """Empty the index and fill it again from the items, `size` rows at a time."""
    connection.execute(delete(SearchEntry.__table__))
    count = 0
    for spec in subject_specs():
        for rows in batches(connection, select(spec.table), spec.table.c.id, size):
            upsert(connection, spec, [entry_values(spec, row, private=own_mark(row),
                                                   subject_title="") for row in rows])
            count += len(rows)
    comment = spec_for(Comment)
    for subject in subject_specs():
        for rows in comment_rows(connection, subject, size):
            upsert(connection, comment, [
                entry_values(comment, row, private=row.subject_private,
                             subject_title=row.subject_title) for row in rows])
            count += len(rows)
    return count

