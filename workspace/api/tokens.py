"""Creating, revoking and checking personal API tokens."""

from __future__ import annotations

import secrets

from sqlalchemy import bindparam, select

from workspace.api.models import ApiToken
from workspace.auth.models import User
from workspace.extensions import db
from workspace.types import utcnow

PREFIX = "ws_"


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; its secret is returned now and never again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:80], token_hash=ApiToken.hash(secret))
    db.session.add(token)
    db.session.commit()
    return token, secret


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    db.session.commit()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ))


# Every API call's first query, built once: only the hash changes.
TOKEN_WITH_OWNER = (
    select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"),
                           ApiToken.revoked_at.is_(None))
    .options(db.joinedload(ApiToken.user))
)


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    """The owner of a valid token. Looked up by the hash of the secret, which leaks nothing
    about the secret through timing; last use is recorded at most once a day."""
    token = db.session.scalar(TOKEN_WITH_OWNER, {"token_hash": ApiToken.hash(secret)})
    if token is None or not token.user.is_active:
        return None
    today = utcnow().date()
    if token.last_used_on != today:
        token.last_used_on = today
        db.session.commit()
    return token.user, token
