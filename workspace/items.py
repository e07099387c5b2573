"""The kinds of items a project holds (messages, to-dos, files…), each described in one place.

Each domain registers its own kinds at the end of its models module, so that whatever imports
the models (the app factory, the CLI, the tests) has them registered. Activity, links, feeds,
search, notifications, email in and access read what they need of a kind here, instead of
keeping tables of their own. tests/test_items.py fails when a kind lacks a part, or when a
model that has events or comments has no kind.

Every item of every kind also has a row in one `items` table (Basecamp's "recordings", Rails'
delegated types): its kind's row, events, comments, attachments and search entries point at it
with real foreign keys, `ON DELETE CASCADE`, and so do the items that belong to it (a comment's
item has its subject's as parent). Deleting an item is therefore one statement, `delete`, and
the database removes everything that hangs on it. A kind's model takes `Itemized`, whose row
gets its `items` row as it is inserted: no caller has to remember it.

This module imports no domain: the domains import it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from sqlalchemy import ColumnElement, ForeignKey, String, event, insert, inspect, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from workspace.extensions import db


class Visibility(enum.Enum):
    """Where an item's private mark comes from."""

    OWN = "own"  # its own `private` column
    SUBJECT = "subject"  # the item it is on (a comment is hidden with its message)
    NEVER = "never"  # never private: shared with everyone in the project (milestones)


@dataclass(frozen=True)
class Page:
    """Where an item is shown: `endpoint`, with the project's id and the item's id as
    `id_argument`; `comments` is the endpoint that takes a new comment on it, if it takes any
    (same arguments)."""

    endpoint: str
    id_argument: str
    comments: str | None = None


@dataclass(frozen=True)
class FeedContent:
    """The HTML of a feed entry about an item, from one or two of its columns (names on the
    model and its table), read for many items at once."""

    first: str
    second: str | None
    html: Callable[[str, str], str]


@dataclass(frozen=True)
class Searched:
    """How search indexes an item: attribute names (the same on the model and its table) of
    its title (None: its subject's, for a comment), its body and its time of last change (None:
    its creation). Its entry points at its item, and goes with it."""

    title: str | None
    body: str
    edited: str | None


@dataclass(frozen=True, eq=False)
class ItemKind:
    """One kind of item. `name` is what events, comments and search entries store as its type.

    `descriptions` are the sentences of activity, feeds and emails, by the action of an event
    whose target is such an item (placeholders `actor`, `title`, `detail`): msgids marked with
    `i18n.N_`, translated where shown by `i18n.translated`. `reasons` say why a person is told of
    such an event, by the reason the notifying code gives. `page` is None for
    an item shown on its subject's page (a comment). `rank` orders kinds in lists of them.
    """

    name: str
    model: type
    label: str  # lazy_gettext strings, as are the reasons
    plural: str
    visibility: Visibility
    page: Page | None
    descriptions: Mapping[str, str]
    feed: FeedContent
    search: Searched
    reasons: Mapping[str, str] = field(default_factory=dict)
    rank: int = 100

    @property
    def can_be_private(self) -> bool:
        return self.visibility is not Visibility.NEVER

    @property
    def takes_comments(self) -> bool:
        return self.page is not None and self.page.comments is not None


_BY_NAME: dict[str, ItemKind] = {}
_BY_MODEL: dict[type, ItemKind] = {}
_ORDERED: list[tuple[ItemKind, ...]] = [()]


def register(item_kind: ItemKind) -> ItemKind:
    """Make a kind known everywhere. Twice the same name or model is a mistake: it fails."""
    if item_kind.name in _BY_NAME:
        raise ValueError(f"the item kind {item_kind.name!r} is already registered")
    if item_kind.model in _BY_MODEL:
        raise ValueError(f"{item_kind.model.__name__} is already the model of the item kind "
                         f"{_BY_MODEL[item_kind.model].name!r}")
    _BY_NAME[item_kind.name] = item_kind
    _BY_MODEL[item_kind.model] = item_kind
    _reorder()
    return item_kind


def unregister(name: str) -> None:
    """Forget a kind (for tests that register one of their own)."""
    item_kind = _BY_NAME.pop(name)
    del _BY_MODEL[item_kind.model]
    _reorder()


def _reorder() -> None:
    _ORDERED[0] = tuple(sorted(_BY_NAME.values(), key=lambda item_kind: item_kind.rank))


def kind(name: str) -> ItemKind:
    """The kind stored as `name`; KeyError for a name no domain registered."""
    return _BY_NAME[name]


def find(name: str) -> ItemKind | None:
    """The kind stored as `name`, or None (a type read from elsewhere, such as an email)."""
    return _BY_NAME.get(name)


def kinds() -> tuple[ItemKind, ...]:
    """Every registered kind, by rank."""
    return _ORDERED[0]


def by_model(model: type) -> ItemKind | None:
    return _BY_MODEL.get(model)


def description(action: str, target_type: str) -> str | None:
    """The sentence for an event, or None when its kind or action has none."""
    item_kind = _BY_NAME.get(target_type)
    return item_kind.descriptions.get(action) if item_kind else None


# -- the items table --------------------------------------------------------------------------

class Item(db.Model):
    """What every item is, whatever its kind: the row everything about it points at. `parent`
    is the item it belongs to (a comment's subject, a to-do's list, the comment or item a file
    is attached to): deleting the parent deletes it."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), index=True)


def item_key(*, nullable: bool = False, unique: bool = False) -> Mapped:
    """A column pointing at an item, deleted with it, and indexed (the cascade looks it up).
    The key names the column object, not "items.id", so that a model of another metadata (a
    test's) can point at it too."""
    return mapped_column(ForeignKey(Item.__table__.c.id, ondelete="CASCADE"),
                         nullable=nullable, unique=unique, index=None if unique else True)


class Itemized:
    """The model of a kind: `item_id` is its row in `items`, made as the row is inserted."""

    @declared_attr
    def item_id(cls) -> Mapped[int]:
        return item_key(unique=True)

    def item_parent(self) -> int | ColumnElement[int] | None:
        """The item this one belongs to (an id, or a subquery giving it), if any."""
        return None


class Revised:
    """A model whose `revision` counts the changes to what calendars publish of a row (its
    `revised_columns`): the iCalendar SEQUENCE (RFC 5545 3.8.7.4), which tells a subscribed
    calendar that an entry changed. It is bumped by the UPDATE that makes the change, as an
    expression (two concurrent changes count twice): it costs no write of its own."""

    revised_columns: ClassVar[tuple[str, ...]] = ()

    @declared_attr
    def revision(cls) -> Mapped[int]:
        return mapped_column(default=0, server_default="0")


@event.listens_for(Revised, "before_update", propagate=True)
def _bump_revision(mapper: object, connection: object, row: Revised) -> None:
    attributes = inspect(row).attrs
    if any(attributes[name].history.has_changes() for name in row.revised_columns):
        row.revision = type(row).revision + 1


class References:
    """A model whose rows point at items by a type and an id (read without a join where it
    matters) and by a real key: `item_references` maps each key to its (type, id) attributes.
    A key not given is filled from its pair by the row's INSERT itself."""

    item_references: ClassVar[Mapping[str, tuple[str, str]]] = {}


def item_of(kind_name: str, row_id: object) -> ColumnElement[int]:
    """The item of the row `row_id` of a kind, as a subquery."""
    model = kind(kind_name).model
    return select(model.item_id).where(model.id == row_id).scalar_subquery()


@event.listens_for(References, "before_insert", propagate=True)
def _fill_references(mapper: object, connection: object, row: References) -> None:
    for key, (type_attribute, id_attribute) in row.item_references.items():
        kind_name = getattr(row, type_attribute)
        if getattr(row, key) is None and kind_name is not None:
            setattr(row, key, item_of(kind_name, getattr(row, id_attribute)))


@event.listens_for(Itemized, "before_insert", propagate=True)
def _add_item(mapper: object, connection: object, row: Itemized) -> None:
    if isinstance(row, References):  # first: the parent may be one of them
        _fill_references(mapper, connection, row)
    if row.item_id is not None:
        return
    item_kind = _BY_MODEL.get(type(row))
    if item_kind is None:
        raise LookupError(f"{type(row).__name__} is the model of no registered item kind")
    row.item_id = connection.execute(insert(Item.__table__).values(
        kind=item_kind.name, project_id=row.project_id, parent_id=row.item_parent(),
    )).inserted_primary_key[0]


def delete(row: Itemized) -> None:
    """Delete an item of any kind, in the caller's transaction: its row in `items` goes, and
    the database deletes with it the kind's row, its events (and their notifications),
    comments, attachments and search entries, and the items that belong to it. The session's
    objects for those rows are stale afterwards: commit, and do not use them again. An item
    already gone (with another deleted before it) is left alone."""
    item = db.session.get(Item, row.item_id)
    if item is not None:
        db.session.delete(item)  # through the ORM: the flush bumps the project's version
        db.session.flush()
