"""Feed tokens: how a feed reader, which cannot sign in, proves whose feed it asks for."""

from __future__ import annotations

import hmac

from workspace.auth.models import User, new_feed_secret
from workspace.extensions import db


def user_for_feed_token(token: str) -> User | None:
    """The person a token belongs to, or None; the secret is compared in constant time."""
    user_id, _, secret = token.partition("-")
    if not user_id.isdigit() or not secret:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(user.feed_secret.encode(), secret.encode()):
        return None
    return user


def regenerate_feed_token(user: User) -> None:
    """Give the person a new secret: every feed URL they handed out stops working."""
    user.feed_secret = new_feed_secret()
    db.session.commit()
