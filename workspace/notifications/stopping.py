"""Stop following by email: every notification email carries a link that stops the person
following the item it is about, in one click and without signing in (RFC 8058's
List-Unsubscribe and List-Unsubscribe-Post headers carry it too, for mail apps' own button).

The link's token names the person and the item, is signed with the app's secret and a salt of
its own (so no other token of the app, a CSRF or a feed token, can stand for it, nor it for
them), and expires after STOP_FOLLOWING_DAYS. It does one thing, always the same: it cannot be
used to follow, nor to reach the item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from workspace.auth.models import User
from workspace.comments.following import unfollow
from workspace.extensions import db
from workspace.items import Item
from workspace.types import utcnow

SALT = "workspace.stop-following"
STOP_FOLLOWING_DAYS = 90


class Refused(Exception):
    """A token that is not one of ours, or too old."""


# A recap's link stops following every item it shows: at most this many.
MAX_ITEMS = 100


@dataclass(frozen=True)
class Stop:
    user_id: int
    item_ids: tuple[int, ...]


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def stop_token(user_id: int, item_ids: int | list[int], now: datetime | None = None) -> str:
    """The token of a link that stops `user_id` following `item_ids` (one item, or those of a
    recap), issued `now`."""
    issued = int((now or utcnow()).timestamp())
    listed = [item_ids] if isinstance(item_ids, int) else item_ids[:MAX_ITEMS]
    return serializer().dumps({"u": user_id, "i": listed, "t": issued})


def stop_url(user_id: int, item_ids: int | list[int]) -> str:
    return url_for("notifications.stop_following", token=stop_token(user_id, item_ids),
                   _external=True)


def read_token(token: str, now: datetime | None = None) -> Stop:
    """What a token stands for; Refused for a forged, altered or expired one."""
    try:
        payload = serializer().loads(token)
        stop = Stop(int(payload["u"]), tuple(int(i) for i in payload["i"][:MAX_ITEMS]))
        issued = datetime.fromtimestamp(int(payload["t"]), tz=(now or utcnow()).tzinfo)
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise Refused() from None
    if (now or utcnow()) - issued > timedelta(days=STOP_FOLLOWING_DAYS):
        raise Refused()
    return stop


def stop_following(stop: Stop) -> None:
    """Done as often as asked: the second click changes nothing. An item deleted since is
    left alone (its followers went with it)."""
    if db.session.get(User, stop.user_id) is not None:
        for item_id in stop.item_ids:
            if db.session.get(Item, item_id) is not None:
                unfollow(item_id, stop.user_id)
    db.session.commit()
