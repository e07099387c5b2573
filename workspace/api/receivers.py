"""What the API does when an account closes. Connected by the app factory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from workspace.api.models import ApiToken
from workspace.auth.models import User
from workspace.auth.signals import account_deactivated
from workspace.extensions import db


def connect_signals() -> None:
    account_deactivated.connect(revoke_tokens)


def revoke_tokens(user: User, *, now: datetime, **extra: object) -> None:
    db.session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now))
