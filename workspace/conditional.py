"""Conditional requests for what readers poll (feeds, calendars, the API's events): validators
from a cheap query, a 304 before anything is built, and the bodies built kept by URL and
validator, so that a poll with nothing new costs its validator's query."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import request
from flask_babel import get_locale
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response

from workspace.kept import Bodies

BODIES = Bodies()


@dataclass(frozen=True)
class Freshness:
    """What a conditional request compares: changes whenever the visible stream changes."""

    etag: str
    last_modified: datetime | None


def not_modified(fresh: Freshness) -> Response | None:
    """Answer 304 before rendering anything when the reader's copy is current."""
    etag = opaque(fresh.etag)
    if is_resource_modified(request.environ, etag=etag, last_modified=fresh.last_modified):
        return None
    return with_validators(Response(status=304), etag, fresh, weak=gzipped())


def gzipped() -> bool:
    """Whether the reader takes bodies gzipped."""
    return request.accept_encodings.quality("gzip") > 0


def opaque(value: str) -> str:
    return hashlib.sha256(f"{value}.{get_locale()}".encode()).hexdigest()[:32]


def with_validators(response: Response, etag: str, fresh: Freshness,
                    weak: bool = False) -> Response:
    response.set_etag(etag, weak=weak)
    if fresh.last_modified:
        response.last_modified = fresh.last_modified
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.vary.add("Accept-Encoding")
    return response


def send_kept(fresh: Freshness, mimetype: str, render: Callable[[], bytes]) -> Response:
    """The body `render` makes, or the same one made earlier for this URL and validator;
    gzipped, once, for readers that accept it (feed readers and calendar apps do: a person's
    calendar over many projects shrinks tenfold). The gzipped body's ETag is the weak form of
    the plain one's, as conditional requests compare them weakly: either earns the 304."""
    etag = opaque(fresh.etag)
    key = (request.url, etag)
    body = BODIES.get_or_build(key, render)
    if not gzipped():
        return with_validators(Response(body, mimetype=mimetype), etag, fresh)
    packed = BODIES.get_or_build((*key, "gzip"), lambda: packed_body(body))
    response = Response(packed, mimetype=mimetype)
    response.content_encoding = "gzip"
    return with_validators(response, etag, fresh, weak=True)


# Bodies at least this big (a person's calendar over many projects) are compressed harder:
# they are built seldom and sent often, and level 6 takes a sixth off level 1's 880 KB.
LARGE_BODY = 256 * 1024


def packed_body(body: bytes) -> bytes:
    return gzip.compress(body, 6 if len(body) >= LARGE_BODY else 1, mtime=0)
