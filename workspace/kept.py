"""What a worker rendered, kept by a key that changes whenever what it shows does: shared by
the feeds, the overview, /activity and the kept parts of pages (fragments.py).

Feeds, by URL and validator: readers polling without If-None-Match, or asking again after a
restart of their app, get the same bytes without the queries and the XML building; the
validator changes whenever the feed's events do, so a kept body is never staler than the 304
its validator would earn. The overview's panels, by project version (projects/versions.py)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from flask import Flask, current_app

MAX_BODIES = 128
MAX_AGE_SECONDS = 600.0


Body = TypeVar("Body")


class Bodies(Generic[Body]):
    """The most recently used bodies, each for at most `max_age` seconds (thread-safe)."""

    def __init__(self, max_entries: int = MAX_BODIES, max_age: float = MAX_AGE_SECONDS) -> None:
        self.max_entries, self.max_age = max_entries, max_age
        self.entries: OrderedDict[tuple[object, ...], tuple[float, Body]] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_build(self, key: tuple[object, ...], build: Callable[[], Body]) -> Body:
        body = self.get(key)
        if body is None:
            body = build()  # outside the lock: two requests may build it, neither waits
            self.put(key, body)
        return body

    def get(self, key: tuple[object, ...]) -> Body | None:
        with self.lock:
            kept = self.entries.get(key)
            if kept is not None and time.monotonic() - kept[0] < self.max_age:
                self.entries.move_to_end(key)
                return kept[1]
        return None

    def get_many(self, keys: list[tuple[object, ...]]) -> list[Body | None]:
        """`get` of each key, under one lock (a feed's fifty entries)."""
        now, found = time.monotonic(), []
        with self.lock:
            for key in keys:
                kept = self.entries.get(key)
                if kept is not None and now - kept[0] < self.max_age:
                    self.entries.move_to_end(key)
                    found.append(kept[1])
                else:
                    found.append(None)
        return found

    def put(self, key: tuple[object, ...], body: Body) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic(), body)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def kept_by_app(name: str, max_entries: int) -> Bodies:
    """The app's own `Bodies` called `name` (one per app; `forget_kept` empties them)."""
    key = f"workspace.kept.{name}"
    bodies = current_app.extensions.get(key)
    if bodies is None:
        bodies = current_app.extensions.setdefault(key, Bodies(max_entries))
    return bodies


def forget_kept(app: Flask) -> None:
    """Empty every `Bodies` that `app` keeps: for tests that share one app and empty its
    database between them, so that ids come back with other contents behind them."""
    for name, bodies in app.extensions.items():
        if name.startswith("workspace.kept."):
            bodies.clear()
