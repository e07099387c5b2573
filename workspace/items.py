"""The kinds of items a project holds (messages, to-dos, files…), each described in one place.

Each domain registers its own kinds at the end of its models module, so that whatever imports
the models (the app factory, the CLI, the tests) has them registered. Activity, links, feeds,
search, notifications, email in and access read what they need of a kind here, instead of
keeping tables of their own. tests/test_items.py fails when a kind lacks a part, or when a
model that has events or comments has no kind.

This module imports no domain: the domains import it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


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
    its creation). `key` is the search entry's column with a foreign key to the item, which
    deletes the entry with it; a kind without one (None) has its entries replaced on each
    change, and left behind when an item is deleted."""

    title: str | None
    body: str
    edited: str | None
    key: str | None = None


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
