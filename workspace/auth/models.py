from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from workspace.extensions import db
from workspace.types import UTCDateTime, utcnow

USER_AGENT_LENGTH = 200


def new_feed_secret() -> str:
    """192 random bits: the secret part of a person's feed URLs."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    feed_secret: Mapped[str] = mapped_column(String(64), default=new_feed_secret)
    email_notifications: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by `deactivate`: the account can no longer sign in or be reached; its content stays.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A day, not an instant, like login sessions' last_seen_on: for the people administration.
    last_signed_in_on: Mapped[date | None]

    # The key of the login session this object was signed in or loaded with (never stored):
    # what Flask-Login keeps in the session cookie, through `get_id`.
    login_key = ""
    # How many notifications are unread, when loaded with the sign-in (for the page header).
    unread_notifications = None  # an int once loaded

    def get_id(self) -> str:
        return f"{self.id}:{self.login_key}"

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses to sign in an account that is not active."""
        return self.deactivated_at is None

    @property
    def feed_token(self) -> str:
        """What feed URLs carry: the id to find the person, the secret to prove it is them."""
        return f"{self.id}-{self.feed_secret}"

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == normalize_email(email)))

    @classmethod
    def any_exists(cls) -> bool:
        return db.session.scalar(select(func.count()).select_from(cls)) > 0

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginSession(db.Model):
    """One signed-in browser. Its cookie holds the key; only a hash of the key is stored, so
    the table gives no usable cookie. Deleting the row signs that browser out."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A day, not an instant: recorded at most once a day, so that pages stay read-only.
    last_seen_on: Mapped[date | None]
    user_agent: Mapped[str | None] = mapped_column(String(USER_AGENT_LENGTH))

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def is_of(self, user: User) -> bool:
        """Is this the session `user` was loaded for (the browser asking)?"""
        return self.key_hash == self.hash(user.login_key)

    @staticmethod
    def new_key() -> str:
        """256 random bits."""
        return secrets.token_urlsafe(32)

    @classmethod
    def close_all(cls, user: User) -> None:
        """Sign every browser of this person out (not committed)."""
        db.session.execute(delete(cls).where(cls.user_id == user.id))


class TokenPurpose(enum.StrEnum):
    RESET_PASSWORD = "reset_password"
    SIGN_IN = "sign_in"


class EmailedToken(db.Model):
    """A single-use link sent by email: a password reset or a sign-in link. Only a hash of
    the secret is stored; a token of one purpose never works for the other."""

    __tablename__ = "emailed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def normalize_email(email: str) -> str:
    return email.strip().lower()
