"""Feed tokens: how a feed reader, which cannot sign in, proves whose feed it asks for."""

from __future__ import annotations

import hmac

from sqlalchemy import bindparam, select
from werkzeug.exceptions import NotFound

from workspace.auth.models import User, new_feed_secret
from workspace.extensions import db
from workspace.projects.access import Action, ProjectAccess, access_from, with_project_role


def token_parts(token: str) -> tuple[int, str] | None:
    """The person's id and the secret a token carries, if it has their shape."""
    user_id, _, secret = token.partition("-")
    if not user_id.isdigit() or not secret:
        return None
    return int(user_id), secret


def holds(user: User | None, secret: str) -> bool:
    """Whether `secret` is the active person's feed secret, compared in constant time."""
    return (user is not None and user.is_active
            and hmac.compare_digest(user.feed_secret.encode(), secret.encode()))


def user_for_feed_token(token: str) -> User | None:
    """The person a token belongs to, or None."""
    parts = token_parts(token)
    if parts is None:
        return None
    user = db.session.get(User, parts[0])
    return user if holds(user, parts[1]) else None


# Built once (building it costs more than running it); parameters: the person's and the
# project's ids.
READER_WITH_PROJECT = with_project_role(select(User).where(User.id == bindparam("user_id")),
                                        bindparam("project_id"))


def feed_access(token: str, project_id: int) -> ProjectAccess:
    """The access of a token's owner to a project: the person, the project and their role
    read in one query. 404 for a wrong token as for a project they may not see."""
    parts = token_parts(token)
    row = db.session.execute(
        READER_WITH_PROJECT, {"user_id": parts[0], "project_id": project_id}
    ).first() if parts else None
    if row is None or not holds(row[0], parts[1]):
        raise NotFound()
    return access_from(*row).require(Action.VIEW)


def regenerate_feed_token(user: User) -> None:
    """Give the person a new secret: every feed URL they handed out stops working."""
    user.feed_secret = new_feed_secret()
    db.session.commit()
