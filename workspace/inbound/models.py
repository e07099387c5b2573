"""Email in: the stored keys that addresses carry, and what was already received.

A key is 160 random bits written in lowercase base32, so that a mail server that folds the
case of local parts still finds it. Keys are never derived from ids: they are looked up.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Project
from workspace.types import UTCDateTime, utcnow

KEY_BYTES = 20  # 160 bits


def new_key() -> str:
    return base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=").lower()


class ReplyKey(db.Model):
    """One person's reply address for one item: a reply to it comments on the item."""

    __tablename__ = "reply_keys"
    __table_args__ = (UniqueConstraint("user_id", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, default=new_key)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    project: Mapped[Project] = relationship()


class EmailInAddress(db.Model):
    """One person's address for one project: an email sent to it becomes a message there."""

    __tablename__ = "email_in_addresses"
    __table_args__ = (UniqueConstraint("user_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, default=new_key)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    project: Mapped[Project] = relationship()


class ProcessedEmail(db.Model):
    """An email already turned into a comment or a message, by its Message-ID (or the
    SHA-256 of its bytes): written in the same transaction, so a redelivery does nothing."""

    __tablename__ = "processed_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(255), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RefusalNotice(db.Model):
    """When a person was last told that an email of theirs was refused (at most hourly)."""

    __tablename__ = "refusal_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
