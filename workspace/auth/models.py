from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from workspace.extensions import db
from workspace.types import UTCDateTime, utcnow

LANGUAGES = {"en": "English", "fr": "Français"}


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


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
    # Part of the login session id: changing it signs out every other session.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    feed_secret: Mapped[str] = mapped_column(String(64), default=new_feed_secret)
    email_notifications: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def feed_token(self) -> str:
        """What feed URLs carry: the id to find the person, the secret to prove it is them."""
        return f"{self.id}-{self.feed_secret}"

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.session_token = new_session_token()

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


def normalize_email(email: str) -> str:
    return email.strip().lower()
